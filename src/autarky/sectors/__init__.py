"""Strategic sectors beyond chips: a registry as data, and the sourced evidence autarky holds on each.

* :func:`sectors` — the six sectors of ``data/sectors/registry.yaml`` (semiconductors, ai, batteries,
  robotics, pharma, quantum) with the evidence each declares and what of it the store holds;
* :func:`sector_evidence` — typed figures (basis and sources on each) for one sector and economy: sourced
  facts, IEA EV data, map shares, trade, measures, series; words where there is no number;
* loaders: :func:`load_ev_outlook` (kind ``ev-outlook``, the IEA Global EV Data Explorer CSV) and
  :func:`load_sector_facts` (kind ``sector-facts``, the sector facts ledger).

Semantics and sources: ``docs/sectors.md``.
"""

from autarky.sectors.ev_outlook import EvFigures, ev_figures, ev_share_of_world, load_ev_outlook
from autarky.sectors.evidence import EvidenceItem, SectorEvidence, SectorInfo, sector_evidence, sectors
from autarky.sectors.facts import Fact, load_sector_facts, read_facts
from autarky.sectors.registry import NodeGroup, SectorDef, SectorSource, find_sector, load_registry

__all__ = [
    "EvFigures",
    "EvidenceItem",
    "Fact",
    "NodeGroup",
    "SectorDef",
    "SectorEvidence",
    "SectorInfo",
    "SectorSource",
    "ev_figures",
    "ev_share_of_world",
    "find_sector",
    "load_ev_outlook",
    "load_registry",
    "load_sector_facts",
    "read_facts",
    "sector_evidence",
    "sectors",
]
