"""Sector questions: the strategic sectors with their evidence (``sectors.list``), and one sector's evidence for
an economy (``sectors.show``), every figure with its basis and source; words where there is no number."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from autarky.figures import SourceRef
from autarky.queries.convert import Out, build_table, fig, integer, listing, text
from autarky.queries.results import Column, TableResult
from autarky.queries.spec import Request, as_names, param, set_field

if TYPE_CHECKING:
    from autarky.store import Store

__all__ = ["SectorRequest", "SectorResult", "SectorsRequest", "SectorsResult"]


@dataclass(frozen=True, kw_only=True)
class SectorsRequest(Request):
    pass


@dataclass(frozen=True, kw_only=True)
class SectorRequest(Request):
    sector: str = param(help="Sector id or alias: semiconductors, ai, batteries, robotics, pharma, quantum.",
                        positional=True)
    economy: str = param(help="Economy or bloc (ISO3, name or bloc).", flag="--economy")

    def __post_init__(self) -> None:
        set_field(self, "sector", self.sector.strip())
        set_field(self, "economy", ",".join(as_names(self.economy, "economy")))


@dataclass
class SectorsResult(TableResult):
    """Every sector: the evidence kinds it declares, which of them the store holds, coverage and sources."""

    question = "sectors.list"
    sectors: list[Any] = field(default_factory=list)


@dataclass
class SectorResult(TableResult):
    """One sector's evidence for an economy: a table of typed figures, and in words what is known."""

    question = "sectors.show"
    sector: Any = None
    economy: str = ""
    members: list[str] = field(default_factory=list)
    statement: str = ""
    has_numbers: bool = False
    missing: list[str] = field(default_factory=list)


def _bool(key: str, label: str) -> Out:
    return Out(Column(key, label, "bool"), key)


def list_sectors(store: Store, req: SectorsRequest) -> SectorsResult:
    from autarky import sectors as sx

    infos = sx.sectors(store)
    rows = [{"sector": i.sector_id, "name": i.name, "evidence": list(i.evidence_kinds), "loaded": list(i.loaded),
             "not_loaded": list(i.not_loaded), "thin": i.thin, "coverage": i.coverage,
             "sources": [s.dataset for s in i.sources], "aliases": list(i.aliases)} for i in infos]
    outs = [text("sector", "Sector"), text("name", "Name"), listing("evidence", "Evidence kinds"),
            listing("loaded", "Loaded in the store"), listing("not_loaded", "Declared, not loaded", terminal=False),
            _bool("thin", "Thin"), text("coverage", "Coverage", terminal=False),
            listing("sources", "Sources", terminal=False), listing("aliases", "Also called", terminal=False)]
    table = build_table(rows, outs, title=f"Strategic sectors ({len(infos)})",
                        notes=["The registry is data: src/autarky/data/sectors/registry.yaml (docs/sectors.md)."])
    srcs: list[SourceRef] = list(dict.fromkeys(s for i in infos for s in i.sources))
    return SectorsResult(req, table, sectors=infos, sources=srcs)


def show(store: Store, req: SectorRequest) -> SectorResult:
    from autarky import sectors as sx

    ev = sx.sector_evidence(store, req.sector, req.economy)
    rows = [{"kind": i.kind, "topic": i.topic, "subject": i.subject, "year": i.year, "figure": i.figure,
             "unit": i.figure.unit, "detail": i.detail} for i in ev.items]
    outs = [text("kind", "Evidence"), text("topic", "What"), text("subject", "About"),
            integer("year", "Year", fmt="year"),
            fig("figure", "Figure", doc="a number, an interval or words; unit, basis and sources are on the figure"),
            text("unit", "Unit"),
            text("detail", "Statement or detail", terminal=False)]
    table = build_table(rows, outs, title=f"{ev.sector.name}: evidence for {ev.economy}")
    notes = [ev.statement, *ev.notes]
    return SectorResult(req, table, sector=ev.sector, economy=ev.economy, members=list(ev.members),
                        statement=ev.statement, has_numbers=ev.has_numbers, missing=list(ev.missing), notes=notes,
                        sources=ev.sources)
