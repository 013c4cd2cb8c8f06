"""Every chains figure about one economy or bloc, in one object: what the assessment shows of a map.

:func:`economy_profile` gathers, for an economy (or bloc) on one map: its share of every stage (in the
stage's own view), every node's measures for it (its share, foreign dependence and concentration, the
largest foreign supplier, HHI, countries to 75%, criticality, each holder's share), the chokepoint
ranking, and a default export-control scenario.  :meth:`EconomyProfile.figures` walks every figure with
where it appears, so a face can render them and a test can audit them (each has a basis and source rows).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from autarky.chains.measures import Chokepoint, NodeMeasures, chokepoints, node_measures
from autarky.chains.nodeshares import stage_shares
from autarky.chains.scenario import ExportControl, Range, ScenarioResult, export_control
from autarky.chains.supply import holder_table

if TYPE_CHECKING:
    from autarky.chains.assumptions import Assumptions
    from autarky.chains.map import ChainMap, DatasetInfo
    from autarky.figures import Figure

__all__ = ["EconomyProfile", "economy_profile"]


@dataclass(frozen=True)
class EconomyProfile:
    """An economy's (or bloc's) figures on one map; see the module docstring."""

    economy: str
    members: frozenset[str]
    dataset: DatasetInfo
    stages: tuple[tuple[str, str, Figure], ...]  # (stage id, stage name, the economy's share)
    nodes: tuple[NodeMeasures, ...]
    chokepoints: tuple[Chokepoint, ...]
    scenario: ScenarioResult | None

    def figures(self) -> Iterator[tuple[str, Figure]]:
        """Every figure with where it appears, e.g. ``("node N20 self_share", figure)``."""
        for sid, _, f in self.stages:
            yield f"stage {sid} share", f
        for m in self.nodes:
            where = f"node {m.node_id}"
            for name in ("self_share", "foreign_dependence", "foreign_concentration", "control", "hhi",
                         "countries_to_75"):
                fig = getattr(m, name)
                if fig is not None:
                    yield f"{where} {name}", fig
            yield f"{where} criticality", m.criticality.figure
            for h in m.shares.holders:
                yield f"{where} holder {h.holder}", h.share
        for c in self.chokepoints:
            where = f"chokepoint {c.node_id}"
            for name in ("score", "foreign_dependence", "foreign_concentration", "control", "criticality",
                         "self_share", "bloc_share"):
                fig = getattr(c, name)
                if fig is not None:
                    yield f"{where} {name}", fig
            for holder, fig, _ in c.top_suppliers:
                yield f"{where} supplier {holder}", fig
        if self.scenario is not None:
            res = self.scenario
            for o in (*res.stages, *res.outputs, *res.tiers, *(x for cap in res.capability for x in cap.outputs)):
                if o.availability is not None:
                    yield f"scenario {o.kind} {o.id}", o.availability
            for o in res.origins():
                if o.availability is not None:
                    yield f"scenario node {o.id}", o.availability

    def to_dict(self) -> dict[str, Any]:
        return {
            "economy": self.economy,
            "members": sorted(self.members),
            "dataset": {"name": self.dataset.name, "vintage": self.dataset.vintage, "licence": self.dataset.licence},
            "stages": [{"stage_id": s, "name": n, "share": f.to_dict()} for s, n, f in self.stages],
            "nodes": [m.to_dict() for m in self.nodes],
            "chokepoints": [c.to_dict() for c in self.chokepoints],
            "scenario": None if self.scenario is None else self.scenario.to_dict(),
        }


def economy_profile(
    cmap: ChainMap,
    members: Collection[str],
    label: str | None = None,
    *,
    against: Collection[str] = (),
    against_label: str = "",
    domestic_substitution: Range = (0.0, 0.3),
    bloc: Collection[str] = (),
    bloc_label: str | None = None,
    assumptions: Assumptions | None = None,
) -> EconomyProfile:
    """Every chains figure about ``members`` on ``cmap``; the default scenario has ``against`` (less the
    economy's own members) stop supplying it, with ``domestic_substitution`` (none when ``against`` is
    empty or inside the economy)."""
    mset = frozenset(members)
    lab = label or ",".join(sorted(mset))
    stages = tuple(
        (sid, cmap.stages[sid].name, fig) for sid, fig in stage_shares(cmap, mset, label=lab, assumptions=assumptions)
    )
    with_rows = set(holder_table(cmap, "auto", None, assumptions)["node_id"].unique().to_list())
    nodes = tuple(
        node_measures(cmap, nid, mset, bloc, target_label=lab, bloc_label=bloc_label, assumptions=assumptions)
        for nid in cmap.node_ids
        if nid in with_rows
    )
    ranked = tuple(chokepoints(cmap, mset, target_label=lab, bloc=bloc, bloc_label=bloc_label,
                               assumptions=assumptions))
    restricted = frozenset(against) - mset
    scenario = None
    if restricted:
        scenario = export_control(cmap, ExportControl(
            against=restricted, target=mset, against_label=against_label, target_label=lab,
            domestic_substitution=domestic_substitution, assumptions=assumptions))
    return EconomyProfile(lab, mset, cmap.dataset, stages, nodes, ranked, scenario)
