"""The main job: an economy's assessment, joining every domain whose data are loaded.

``assess(store, "CHN")`` returns an :class:`Assessment` (sections of rows, notes, charts and provenance);
the faces render it (terminal scorecard, HTML report, dashboard) without computing anything.
"""

from __future__ import annotations

import logging

from autarky.assess.chains_sections import DEFAULT_AGAINST, chokepoint_section, scenario_section
from autarky.assess.charts import stage_self_supply_chart
from autarky.assess.io_sections import io_sections
from autarky.assess.model import Assessment, Chart, Provenance, Section
from autarky.assess.money_sections import money_sections
from autarky.assess.scorecard import scorecard_sections
from autarky.store import Store

log = logging.getLogger(__name__)

__all__ = ["Assessment", "Chart", "Provenance", "Section", "assess"]


def _chains(store: Store, result: Assessment, top: int) -> None:
    from autarky.chains import load_map

    if store.latest_dataset("eto") is None and store.latest_dataset("chains") is None:
        result.missing.append("supply chains: no map loaded (autarky import eto PATH)")
        return
    cmap = load_map(store)
    members = frozenset(result.members)
    sections = scorecard_sections(cmap, members, result.economy, top=top)
    sections.insert(len(sections) - 1, chokepoint_section(cmap, members, result.economy, top))
    against = store.resolve(DEFAULT_AGAINST)
    if against.members - members:
        sections.append(scenario_section(cmap, members, result.economy, against.members, DEFAULT_AGAINST))
    else:
        result.missing.append(f"default export-control scenario: {result.economy} includes all of {DEFAULT_AGAINST}")
    for sec in sections:
        if sec.key.startswith("stage:"):
            stage = sec.key.split(":", 1)[1]
            spec = stage_self_supply_chart(sec.rows, result.economy, stage)
            sec.charts.append(Chart(name=f"stage-{len(result.sections)}", title=stage, spec=spec,
                                    sources=sec.sources[:1]))
        result.sections.append(sec)


def assess(store: Store, economy: str, *, top: int = 10) -> Assessment:
    """Assess ``economy`` (an ISO3 code, a name or a bloc) from whatever the store holds."""
    resolved = store.resolve(economy)
    result = Assessment(economy=resolved.label, members=tuple(sorted(resolved.members)))
    _chains(store, result, top)
    sections, missing = money_sections(store, economy)
    result.sections.extend(sections)
    if missing:
        result.missing.append(f"investment: {missing}")
    io, io_missing = io_sections(store, frozenset(result.members), result.economy, top=top)
    result.sections.extend(io)
    result.missing.extend(io_missing)
    return result
