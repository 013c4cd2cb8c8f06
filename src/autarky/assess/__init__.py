"""The main job: an economy's assessment, joining every domain whose data are loaded.

``assess(store, "CHN")`` returns an :class:`Assessment` (sections of rows, notes, charts and provenance);
the faces render it (terminal scorecard, HTML report, dashboard) without computing anything.  Each domain
contributes its sections when its data are in the store, and otherwise says in ``missing`` what is left out
and how to load it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from autarky.assess.chains_sections import DEFAULT_AGAINST, chokepoint_section, scenario_section
from autarky.assess.charts import stage_self_supply_chart
from autarky.assess.complexity_sections import complexity_sections
from autarky.assess.io_sections import io_sections
from autarky.assess.model import Assessment, Chart, Provenance, Section
from autarky.assess.money_sections import money_sections
from autarky.assess.overview import overview_section
from autarky.assess.scorecard import scorecard_sections
from autarky.assess.trade_sections import trade_sections
from autarky.store import Store

log = logging.getLogger(__name__)

__all__ = ["Assessment", "Chart", "Provenance", "Section", "assess"]

Built = tuple[list[Section], list[str]]


def _chains(store: Store, members: frozenset[str], label: str, top: int) -> Built:
    from autarky.chains import load_map

    if store.latest_dataset("eto") is None and store.latest_dataset("chains") is None:
        return [], ["supply chains: no map loaded (autarky import eto PATH)"]
    cmap = load_map(store)
    sections = scorecard_sections(cmap, members, label, top=top)
    for i, sec in enumerate(sections):
        if sec.key.startswith("stage:"):
            stage = sec.key.split(":", 1)[1]
            sec.charts.append(Chart(name=f"stage-{i}", title=stage, sources=sec.sources[:1],
                                    spec=stage_self_supply_chart(sec.rows, label, stage)))
    sections.insert(len(sections) - 1, chokepoint_section(cmap, members, label, top))
    against = store.resolve(DEFAULT_AGAINST)
    if not against.members - members:
        return sections, [f"default export-control scenario: {label} includes all of {DEFAULT_AGAINST}"]
    sections.append(scenario_section(cmap, members, label, against.members, DEFAULT_AGAINST))
    return sections, []


def assess(store: Store, economy: str, *, top: int = 10) -> Assessment:
    """Assess ``economy`` (an ISO3 code, a name or a bloc) from whatever the store holds."""
    resolved = store.resolve(economy)
    members, label = resolved.members, resolved.label
    result = Assessment(economy=label, members=tuple(sorted(members)))
    builders: list[Callable[[], Built]] = [
        lambda: _chains(store, members, label, top),
        lambda: money_sections(store, economy),
        lambda: trade_sections(store, economy),
        lambda: complexity_sections(store, members, label),
        lambda: io_sections(store, members, label, top=top),
    ]
    for build in builders:
        sections, missing = build()
        result.sections.extend(sections)
        result.missing.extend(missing)
    result.sections.insert(0, overview_section(result))
    return result
