"""Chokepoints and the default export-control scenario, as assessment sections (from ``autarky.chains``)."""

from __future__ import annotations

from typing import Any

from autarky.assess.model import Chart, Provenance, Section
from autarky.assess.scorecard import node_provenance
from autarky.chains import ChainMap, ExportControl, Thresholds, chokepoints, export_control
from autarky.chains.scenario import Range
from autarky.figures import Figure

__all__ = ["DEFAULT_AGAINST", "DEFAULT_DOMESTIC_SUBSTITUTION", "chokepoint_section", "scenario_section"]

#: The default scenario: the three economies whose 2023 alignment on chip-tool export controls covers almost
#: all lithography, deposition and etch supply (bloc CHIP_TOOLMAKERS) stop supplying the assessed economy.
DEFAULT_AGAINST = "CHIP_TOOLMAKERS"
#: Domestic substitution shown as a range: none, up to 30% of the lost supply.
DEFAULT_DOMESTIC_SUBSTITUTION: Range = (0.0, 0.3)


def _pct_range(r: Range) -> str:
    lo, hi = r
    return f"{lo:.0%}" if abs(hi - lo) < 5e-4 else f"{lo:.0%}–{hi:.0%}"


def _status(s: tuple[str, str]) -> str:
    return s[0] if s[0] == s[1] else f"{s[0]}–{s[1]}"


def _fig(f: Figure | None, digits: int = 3) -> float | str | None:
    if f is None:
        return None
    if f.point is not None:
        return round(f.point, digits)
    return f"{f.low:.{digits}f}–{f.high:.{digits}f}"


def chokepoint_section(cmap: ChainMap, members: frozenset[str], label: str, top: int) -> Section:
    ranked = [c for c in chokepoints(cmap, members, target_label=label) if c.is_chokepoint or c.possible][:top]
    sec = Section(
        key="chokepoints", title=f"Top {len(ranked)} chokepoints for {label}",
        columns=["rank", "input", "score", "foreign dependence", "concentration", "criticality", "explanation",
                 "source"],
        terminal_columns=["rank", "score", "explanation", "year"],
        notes=["score = foreign dependence × concentration of the foreign supply (HHI) × downstream criticality × "
               "absence of a substitute variant; " + Thresholds().explain() + " (docs/chains.md).",
               f"Source: {cmap.dataset.name} {cmap.dataset.vintage} ({cmap.dataset.licence}); HQ view."],
    )
    for i, c in enumerate(ranked, 1):
        prov = node_provenance(cmap, c.node_id, c.view or "hq")
        sec.rows.append({
            "rank": i, "node_id": c.node_id, "input": c.name + ("" if c.is_chokepoint else " (possibly)"),
            "score": _fig(c.score), "score_low": round(c.score_range[0], 3),
            "foreign dependence": _fig(c.foreign_dependence), "concentration": _fig(c.foreign_concentration),
            "criticality": _fig(c.criticality), "explanation": c.explanation,
            "source": prov.short(), "source_brief": prov.brief(), "year": prov.year,
        })
        sec.sources.append(prov)
    sec.charts.append(Chart(
        name="chokepoints", title=sec.title, sources=sec.sources[:1],
        spec={
            "$schema": "https://vega.github.io/schema/vega-lite/v5.json", "title": sec.title,
            "width": "container", "data": {"values": [{"input": r["input"], "score": r["score_low"],
                                                        "explanation": r["explanation"]} for r in sec.rows]},
            "mark": {"type": "bar", "tooltip": True, "color": "#c0392b"},
            "encoding": {"y": {"field": "input", "type": "nominal", "sort": "-x", "title": None},
                         "x": {"field": "score", "type": "quantitative", "scale": {"domain": [0, 1]}},
                         "tooltip": [{"field": "input"}, {"field": "score"}, {"field": "explanation"}]},
        },
    ))
    return sec


def scenario_section(cmap: ChainMap, members: frozenset[str], label: str, against: frozenset[str],
                     against_label: str) -> Section:
    restricted = against - members
    sc = ExportControl(against=restricted, target=members, against_label=against_label, target_label=label,
                       domestic_substitution=DEFAULT_DOMESTIC_SUBSTITUTION)
    res = export_control(cmap, sc)
    d = cmap.dataset
    prov = Provenance(dataset=d.name, dataset_id=d.dataset_id, vintage=d.vintage, licence=d.licence)
    sec = Section(
        key="scenario",
        title=f"Export control: {against_label} ({', '.join(sorted(restricted))}) stop supplying {label}",
        columns=["stage or output", "status", "available", "explanation", "source"],
        terminal_columns=["stage or output", "status", "available", "explanation"],
        notes=[f"Domestic substitution {_pct_range(sc.domestic_substitution)} of the lost supply (only where {label} "
               "already supplies), no third-country substitution; lost below 25% available, ok from 95%. "
               "Variants are capability tiers, not substitutes. Run `autarky scenario export-control` to change "
               "any of these.", f"Source: {d.name} {d.vintage} ({d.licence})."],
    )
    rows: list[dict[str, Any]] = []
    for o in (*res.stages, *res.outputs):
        rows.append({"stage or output": o.name, "status": _status(o.status), "available": _pct_range(o.available),
                     "explanation": o.explanation, "source": prov.short(), "source_brief": prov.brief()})
    for cap in res.capability:
        rows.append({"stage or output": f"capability: {cap.name}",
                     "status": f"runs at {cap.runs_at[0] or 'no tier'}–{cap.runs_at[1] or 'no tier'}",
                     "available": "", "explanation": (f"tiers lost: {', '.join(cap.lost) or 'none'}; "
                                                      f"tiers remaining: {', '.join(cap.remaining) or 'none'}"),
                     "source": prov.short(), "source_brief": prov.brief()})
    lost_tiers = [t for t in res.tiers if t.status[1] != "ok"]
    for t in lost_tiers[:12]:
        rows.append({"stage or output": f"tier: {t.name}", "status": _status(t.status),
                     "available": _pct_range(t.available), "explanation": t.explanation, "source": prov.short(),
                     "source_brief": prov.brief()})
    sec.rows = rows
    sec.sources.append(prov)
    return sec
