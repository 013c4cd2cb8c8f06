"""Money: state investment ledgers -- funds, deals, investees -- and where the money goes.

Public API::

    from autarky.money import load_ledger, load_frames, flows, concentration, redundancy, alignment

    load_ledger(store, "my_ledger.xlsx")          # CSV folder/file, .xlsx or .json; one transaction
    frames = load_frames(store, economy={"CHN"})  # LedgerFrames: funds, investees, deals (enriched), ...
    flows(frames.deals, ["phase", "segment"])     # CNY and USD per group, with counts
    concentration(frames.deals, "province")       # HHI over provinces (or segments, ...)
    redundancy(frames.deals, by="segment", k=3, window=3)
    failed_projects(frames.deals)                 # failed, abandoned, written off: count and value
    flows_by_phase(frames.deals)                  # phases, and the unphased broken down by level and fund
    white_elephants(store)                        # stalled/failed/defaulted/... cases: Figures + sources
    alignment(frames.deals, {"N84": "chokepoint", "N36": "self-supplied"}, by=["phase"])
    chain_node_classes(store, {"CHN"})            # that mapping, from the supply-chain map
    pending_suggestions(store); decide(store, 1, "merge")   # entity resolution review
    money_summary(store, "CHN")                   # the assessment's money section

Ledger format: ``docs/money.md``.  The bundled seed ledger is ``autarky/data/ledger``.
"""

from __future__ import annotations

from autarky.money.alignment import alignment, chain_node_classes, classify_nodes
from autarky.money.flows import Concentration, concentration, failed_projects, flows, flows_by_phase
from autarky.money.frames import LedgerFrames, enrich_deals, load_frames
from autarky.money.fx import FxTable, bundled_rates
from autarky.money.ledger import load_ledger
from autarky.money.redundancy import redundancy
from autarky.money.resolve import EntityIndex, Resolution
from autarky.money.review import decide, pending_suggestions
from autarky.money.summary import money_summary
from autarky.money.white_elephants import StatusEvent, WhiteElephant, white_elephant_cases, white_elephants

__all__ = [
    "Concentration",
    "EntityIndex",
    "FxTable",
    "LedgerFrames",
    "Resolution",
    "StatusEvent",
    "WhiteElephant",
    "alignment",
    "bundled_rates",
    "chain_node_classes",
    "classify_nodes",
    "concentration",
    "decide",
    "enrich_deals",
    "failed_projects",
    "flows",
    "flows_by_phase",
    "load_frames",
    "load_ledger",
    "money_summary",
    "pending_suggestions",
    "redundancy",
    "white_elephant_cases",
    "white_elephants",
]
