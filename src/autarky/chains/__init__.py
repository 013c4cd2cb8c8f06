"""Supply-chain maps: readers, the in-memory map, shares as figures, chokepoints and export-control scenarios.

Public API (semantics: ``docs/chains.md``)::

    from autarky.chains import load_map, node_shares, chokepoints, export_control, ExportControl, Restriction

    cmap = load_map(store)                      # ChainMap; latest ETO map, else latest generic map
    cmap.dataset                                # DatasetInfo: dataset_id, name, kind, vintage, licence, params
    cmap.nodes / edges / providers / provision  # and node_frame / edge_frame for whole-map computation

    ns = node_shares(cmap, "S2", view="site")   # NodeShares: holders with their shares as Figures
    ns.share_of({"DEU"})                        # Figure bounded 0-8 (within Europe, not broken down by ETO)
    ns.hhi, ns.countries_to_reach(0.75)         # Figures (intervals where the map does not pin shares down)
    economy_share(cmap, "N1", {"CHN"})          # Figure qualitative "major" 0-100
    stage_shares(cmap, {"DEU"})                 # [(stage id, Figure)] in each stage's own view
    country_shares(cmap, "N20")                 # the rows as published: [CountryShare(iso3, share_pct, qual)]

    node_measures(cmap, "N19", target={"CHN"}, bloc={"USA", "JPN", "NLD"})   # NodeMeasures (Figures)
    chokepoints(cmap, {"CHN"}, target_label="CHN")                            # [Chokepoint], ranked
    economy_profile(cmap, {"DEU"}, "DEU", against=...)                         # every figure about DEU

    sc = ExportControl(target=frozenset({"CHN"}), restrictions=(
        Restriction(against=frozenset({"NLD"}), nodes=frozenset({"N20"}), cause="NL-2023"),))
    res = export_control(cmap, sc)      # ScenarioResult: .stages .outputs .tiers .capability .nodes
    res.node("N20").availability        # Figure (fraction); .status, .binding, .causes, .path, .explanation
    res.capability[0].runs_at           # the best lithography tier not lost (worst case, best case)

    read_assumptions("shares.csv")      # user share assumptions → basis "assumed" wherever used

Loaders (registered in ``autarky.loaders``): ``eto`` → :func:`autarky.chains.eto.load_eto`,
``chains`` → :func:`autarky.chains.generic.load_generic` (the generic CSV format).
"""

from __future__ import annotations

from autarky.chains.assumptions import Assumptions, ShareAssumption, assumptions_from, read_assumptions
from autarky.chains.compare import Comparison, compare_maps, compare_vintages
from autarky.chains.map import ChainMap, DatasetInfo, Edge, Node, Provider, Stage, load_map
from autarky.chains.measures import Chokepoint, Criticality, NodeMeasures, Thresholds, chokepoints, node_measures
from autarky.chains.nodeshares import HolderShare, NodeShares, economy_share, node_shares, stage_shares
from autarky.chains.profile import EconomyProfile, economy_profile
from autarky.chains.regions import Region, region_of, regions
from autarky.chains.scenario import (
    Capability,
    ExportControl,
    Outcome,
    Restriction,
    ScenarioResult,
    export_control,
    export_control_timeline,
)
from autarky.chains.shares import CountryShare, FirmShare, country_shares, firm_shares, latest_year
from autarky.chains.tiers import Tier, TieredClass, declared_tiers

__all__ = [
    "Assumptions",
    "Capability",
    "ChainMap",
    "Chokepoint",
    "Comparison",
    "CountryShare",
    "Criticality",
    "DatasetInfo",
    "EconomyProfile",
    "Edge",
    "ExportControl",
    "FirmShare",
    "HolderShare",
    "Node",
    "NodeMeasures",
    "NodeShares",
    "Outcome",
    "Provider",
    "Region",
    "Restriction",
    "ScenarioResult",
    "ShareAssumption",
    "Stage",
    "Thresholds",
    "Tier",
    "TieredClass",
    "assumptions_from",
    "chokepoints",
    "compare_maps",
    "compare_vintages",
    "country_shares",
    "declared_tiers",
    "economy_profile",
    "economy_share",
    "export_control",
    "export_control_timeline",
    "firm_shares",
    "latest_year",
    "load_map",
    "node_measures",
    "node_shares",
    "read_assumptions",
    "region_of",
    "regions",
    "stage_shares",
]
