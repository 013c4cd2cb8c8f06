"""The assessment's sector section: when ``AssessRequest.sector`` is not semiconductors (the sections the other
builders give), the sector's evidence for the economy (``sectors.show``), with what is missing.

Registered by an import in :mod:`autarky.queries.assess_sections`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from autarky.queries.assess import AssessRequest, Chart, Missing, Section, builder

if TYPE_CHECKING:
    from autarky.store import Store

__all__: list[str] = []

VEGA = "https://vega.github.io/schema/vega-lite/v5.json"
#: The sector the other builders already assess (the ETO chip map, chip trade, the IC series).
DEFAULT_SECTOR = "semiconductors"


@builder("sector")
def sector_sections(store: Store, req: AssessRequest, label: str, members: frozenset[str]) -> tuple[
        list[Section], list[Missing]]:
    from autarky.queries import ask
    from autarky.queries import sectors as qs
    from autarky.sectors import find_sector

    d = find_sector(req.sector)
    if d.sector_id == DEFAULT_SECTOR:
        return [], []
    ans = ask(store, "sectors.show", qs.SectorRequest(sector=d.sector_id, economy=req.economy))
    assert isinstance(ans, qs.SectorResult)
    sec = Section(f"sector-{d.sector_id}", f"{label}: {d.name} — sourced evidence", answer=ans,
                  notes=list(ans.notes), brief=True)
    chart = _series_chart(ans, d.name)
    if chart is not None:
        sec.charts.append(chart)
    missing = [Missing(f"{d.name}: {m.split(':', 1)[0]}", m.split(":", 1)[-1].strip()) for m in ans.missing]
    if d.thin:
        missing.append(Missing(f"{d.name}: open data", d.coverage))
    return [sec], missing


def _series_chart(ans: Any, name: str) -> Chart | None:
    """Reported yearly figures of one topic (e.g. robot installations) about the economy, as a line chart."""
    by_topic: dict[str, dict[int, dict[str, Any]]] = {}
    for r in ans.table.rows:  # ordered by fact, subject, year, edition: a later edition replaces an earlier one
        f = r.get("figure")
        if r.get("kind") != "fact" or r.get("subject") not in ans.members or f is None or f.point is None \
                or r.get("year") is None:
            continue
        by_topic.setdefault(str(r["topic"]), {})[int(r["year"])] = {"year": r["year"], "value": f.point,
                                                                      "unit": f.unit}
    best = max(by_topic.items(), key=lambda kv: len(kv[1]), default=None)
    if best is None or len(best[1]) < 2:
        return None
    topic, points = best
    values = [points[y] for y in sorted(points)]
    return Chart(f"sector-{topic}", f"{name}: {topic}", {
        "$schema": VEGA, "width": "container", "height": 200, "data": {"values": values},
        "mark": {"type": "line", "point": True, "tooltip": True},
        "encoding": {"x": {"field": "year", "type": "ordinal"},
                     "y": {"field": "value", "type": "quantitative", "title": topic}}})
