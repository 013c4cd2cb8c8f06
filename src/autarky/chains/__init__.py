"""Supply-chain maps: readers, the in-memory map, country shares and concentration.

Public API (names and signatures are stable; other modules build on them)::

    from autarky.chains import load_map, country_shares, hhi, countries_to_reach

    cmap = load_map(store)                      # ChainMap; latest ETO map, else latest generic map
    cmap = load_map(store, dataset_id=3)        # a given dataset (kind eto or chains)
    cmap.dataset                                # DatasetInfo: dataset_id, name, kind, vintage, licence,
                                                #   publisher, attribution, source
    cmap.stages                                 # dict stage_id -> Stage(stage_id, name, description,
                                                #   share_view)
    cmap.nodes                                  # dict node_id -> Node(node_id, name, type, stage_id, ...)
    cmap.edges, cmap.providers, cmap.provision  # tuple[Edge], dict[str, Provider], polars.DataFrame
    cmap.stage_of("N20")                        # "S2": via is_type_of/goes_into to the nearest process
    cmap.stages_of("N91")                       # ("S2", "S3"): every stage a node feeds
    cmap.resolve("EUV lithography tools")       # "N20" (id or name -> id; UnknownItemError with hints)
    cmap.inputs_of / outputs_of / variants_of / class_of

    shares = country_shares(cmap, "N20")        # [CountryShare("NLD", 100.0, None)]
    country_shares(cmap, "S2", view="site")     # fab capacity by site location
    # -> list[CountryShare(iso3 | None, share_pct | None, qualitative: None | "major" | "negligible")]
    #    latest year per node unless year=; country rows where the node has them, else firms by HQ;
    #    iso3 None = other / unattributed ("Various countries", "EUR")
    hhi(shares)                                 # 0-1, None if nothing quantified
    countries_to_reach(shares, 0.75)            # ETO's rule incl. its qualitative convention
    bloc_share(shares, {"USA", "JPN", "NLD"})   # percent held by a set of economies
    firm_shares(cmap, "N19")                    # [FirmShare(provider_id, name, iso3, share_pct, qualitative)]

Measures, chokepoints, scenarios, vintages (semantics: ``docs/chains.md``)::

    node_measures(cmap, "N19", target={"CHN"}, bloc={"USA", "JPN", "NLD"})   # NodeMeasures
    chokepoints(cmap, {"CHN"}, target_label="CHN", bloc=..., stage="S2")      # [Chokepoint], ranked
    sc = ExportControl(against=frozenset({"NLD", "JPN", "USA"}), target=frozenset({"CHN"}),
                       domestic_substitution=(0.0, 0.3))
    res = export_control(cmap, sc)        # ScenarioResult: .stages .outputs .tiers .nodes .profiles
    res.node("N20").status                # ("lost", "lost"); .available, .path, .explanation, .downstream
    export_control_timeline(cmap, sc, years=5)
    compare_vintages(store, "2019", "2025", target={"CHN"})                   # Comparison

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
