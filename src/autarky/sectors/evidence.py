"""What autarky knows about a strategic sector, for an economy: typed figures, each with basis and source.

:func:`sectors` lists the registry's sectors with the evidence each declares and what of it the store holds;
:func:`sector_evidence` gathers, for one sector and economy:

* **facts** of the sector facts ledger about the economy and the world (IFR, IEA text, FDA, McKinsey …);
* **IEA EV data**: electric-car sales, stock, sales share, share of world sales (:mod:`.ev_outlook`);
* **map shares**: the economy's share of each node of the sector's map(s) (:mod:`.chainview`; intervals
  where the map gives no number, never an equal split);
* **trade**: imports, exports and net import ratio of the sector's HS codes, latest year, with the coverage of
  the loaded flows (partial data say so);
* **measures**: export controls whose scope names the sector's nodes, codes or materials;
* **series**: the latest observed value of the sector's published series.

A sector with no number for the economy says so in words (:attr:`SectorEvidence.statement`), never with
zeros.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from autarky.errors import AutarkyError
from autarky.figures import Basis, Coverage, Figure, SourceRef
from autarky.sectors.registry import SectorDef, SectorSource, find_sector, load_registry

if TYPE_CHECKING:
    from autarky.store import Store

log = logging.getLogger(__name__)

__all__ = ["EvidenceItem", "SectorEvidence", "SectorInfo", "sector_evidence", "sectors"]

#: maps with at most this many nodes are shown whole when a sector names no node groups
WHOLE_MAP_NODES = 40


@dataclass(frozen=True)
class SectorInfo:
    """A sector of the registry, the evidence it declares and what of it the store holds."""

    sector_id: str
    name: str
    description: str
    aliases: tuple[str, ...]
    evidence_kinds: tuple[str, ...]
    loaded: tuple[str, ...]  # evidence kinds with data in the store
    not_loaded: tuple[str, ...]  # declared kinds the store holds nothing for
    coverage: str
    thin: bool
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class EvidenceItem:
    """One figure of a sector's evidence: its kind, what it measures, whom and when it is about."""

    kind: str  # fact, ev-outlook, map-share, trade, measure, series, none
    topic: str
    subject: str  # ISO3, WLD (the world), a bloc label, or the imposing economy of a measure
    year: int | None
    figure: Figure
    detail: str | None = None


@dataclass
class SectorEvidence:
    """The evidence on ``sector`` for ``economy``; ``statement`` says in words what is known."""

    sector: SectorInfo
    economy: str
    members: tuple[str, ...]
    items: list[EvidenceItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def has_numbers(self) -> bool:
        """True when a figure about the economy itself carries a number or an interval."""
        return any(_numeric(i.figure) and i.subject in self.members for i in self.items
                   if i.kind not in ("measure", "none"))

    @property
    def statement(self) -> str:
        kinds = sorted({i.kind for i in self.items if i.kind != "none"})
        if not self.items or kinds == []:
            return (f"No evidence on {self.sector.name} for {self.economy} is loaded: "
                    f"{self.sector.coverage or 'the registry declares none'}")
        if not self.has_numbers:
            return (f"No number on {self.sector.name} for {self.economy} itself: the evidence is in words, or about "
                    f"the world or other economies ({', '.join(kinds)}). {self.sector.coverage}")
        thin = " Thin: " + self.sector.coverage if self.sector.thin else ""
        return f"{len(self.items)} figures on {self.sector.name} ({', '.join(kinds)}).{thin}"

    @property
    def sources(self) -> list[SourceRef]:
        seen: dict[SourceRef, None] = {}
        for i in self.items:
            for s in i.figure.sources:
                seen.setdefault(s, None)
        return list(seen)


def _numeric(f: Figure) -> bool:
    return f.value is not None or f.low is not None or f.high is not None


def _source_ref(s: SectorSource) -> SourceRef:
    return SourceRef(dataset=s.title, vintage=s.date, licence=s.licence, url=s.url,
                     locator="; ".join(p for p in (s.publisher, s.locator) if p) or None)


# -- the registry against the store ---------------------------------------------------------------------------


def _count(store: Store, sql: str, params: list[Any]) -> int:
    try:
        return int(store.query(sql, params).to_pylist()[0]["n"])
    except Exception:  # a table a store of another version lacks: nothing loaded
        return 0


def _loaded_kinds(store: Store, d: SectorDef) -> tuple[list[str], list[str]]:
    from autarky.sectors.chainview import map_available
    from autarky.sectors.registry import EVIDENCE_KINDS

    have: dict[str, bool] = {}
    if d.chain_maps or d.chain_nodes:
        maps = set(d.chain_maps) | {g.map for g in d.chain_nodes}
        ok = all(map_available(store, m) for m in maps)
        if d.chain_maps:
            have["chain_maps"] = ok
        if d.chain_nodes:
            have["chain_nodes"] = ok
    if d.trade_sectors:
        have["trade_sectors"] = _count(store, "SELECT count(*) AS n FROM trade_flow_parts WHERE rows > 0", []) > 0
    if d.series:
        marks = ",".join("?" for _ in d.series)
        have["series"] = _count(store, f"SELECT count(*) AS n FROM series_points WHERE series_id IN ({marks})",
                                list(d.series)) > 0
    if d.facts:
        have["facts"] = _count(store, "SELECT count(*) AS n FROM sector_facts WHERE sector = ?", [d.sector_id]) > 0
    if d.ev_outlook:
        have["ev_outlook"] = _count(store, "SELECT count(*) AS n FROM ev_outlook", []) > 0
    if d.measures:
        have["measures"] = _count(store, "SELECT count(*) AS n FROM measures", []) > 0
    if d.indicators:
        marks = ",".join("?" for _ in d.indicators)
        have["indicators"] = _count(store, f"SELECT count(*) AS n FROM indicator_values WHERE indicator_code IN "
                                           f"({marks})", list(d.indicators)) > 0
    loaded = [EVIDENCE_KINDS[k] for k, v in have.items() if v]
    missing = [EVIDENCE_KINDS[k] for k, v in have.items() if not v]
    return loaded, missing


def _info(store: Store, d: SectorDef) -> SectorInfo:
    loaded, missing = _loaded_kinds(store, d)
    return SectorInfo(d.sector_id, d.name, d.description, d.aliases, d.evidence_kinds, tuple(loaded),
                      tuple(missing), d.coverage, d.thin, tuple(_source_ref(s) for s in d.sources))


def sectors(store: Store) -> list[SectorInfo]:
    """Every sector of the registry, with its declared evidence kinds and which of them the store holds."""
    return [_info(store, d) for d in load_registry()]


# -- one sector for one economy ---------------------------------------------------------------------------------


def sector_evidence(store: Store, sector: str, economy: str, *, on: date | None = None) -> SectorEvidence:
    """The evidence on ``sector`` (id or alias) for ``economy`` (ISO3, name or bloc); ``on`` dates the
    measures' status (default today). Raises :class:`~autarky.errors.UnknownItemError` for an unknown sector
    or economy."""
    d = find_sector(sector)
    resolved = store.resolve(economy)
    members = frozenset(resolved.members)
    ev = SectorEvidence(_info(store, d), resolved.label, tuple(sorted(members)))
    for part in (_facts, _ev_outlook, _maps, _trade, _series, _measures):
        try:
            part(store, d, ev, members, on or date.today())
        except AutarkyError as exc:  # one kind of evidence failing does not hide the others
            log.info("sector %s: %s skipped: %s", d.sector_id, part.__name__, exc)
            ev.missing.append(f"{part.__name__.strip('_')}: {exc}")
    if not ev.items:
        ev.items.append(EvidenceItem(
            "none", f"{d.name}: evidence", resolved.label, None,
            Figure.qualitative("no figures loaded", sources=tuple(_source_ref(s) for s in d.sources),
                               note=d.coverage or None)))
    return ev


def _facts(store: Store, d: SectorDef, ev: SectorEvidence, members: frozenset[str], on: date) -> None:
    if not d.facts:
        return
    from autarky.sectors.facts import WORLD, read_facts

    wanted = set(d.facts)
    for f in read_facts(store, sector=d.sector_id):
        if f.fact_id not in wanted or not (f.subject in members or f.subject == WORLD):
            continue
        detail = f.statement + (f" ({f.edition})" if f.edition else "")
        ev.items.append(EvidenceItem("fact", f.name, f.subject, f.year, f.figure, detail))
    if not any(i.kind == "fact" for i in ev.items):
        ev.missing.append(f"facts: none of {', '.join(sorted(wanted))} about {ev.economy} or the world is loaded "
                          "(autarky import sector-facts FILE)")


def _ev_outlook(store: Store, d: SectorDef, ev: SectorEvidence, members: frozenset[str], on: date) -> None:
    if not d.ev_outlook:
        return
    from autarky.sectors.ev_outlook import ev_figures

    if len(members) != 1:
        ev.notes.append("IEA EV data are read for single economies; assess one economy for EV sales and stock.")
        return
    iso3 = next(iter(members))
    figs = ev_figures(store, iso3)
    if figs is None:
        ev.missing.append(f"IEA EV data: no electric-car sales for {iso3} are loaded "
                          "(autarky import ev-outlook PATH; the bundled data cover 54 regions)")
        return
    for topic, fig in (("Electric cars sold (BEV + PHEV)", figs.sales),
                       ("Electric cars on the road (stock, BEV + PHEV)", figs.stock),
                       ("Electric cars' share of new car sales", figs.sales_share),
                       ("Share of the world's electric-car sales", figs.share_of_world_sales)):
        if fig is not None:
            ev.items.append(EvidenceItem("ev-outlook", topic, iso3, figs.year, fig, "IEA Global EV Outlook data"))


def _maps(store: Store, d: SectorDef, ev: SectorEvidence, members: frozenset[str], on: date) -> None:
    from autarky.sectors.chainview import map_available, map_nodes, node_shares

    groups: list[tuple[str, list[str], str | None]] = [(g.map, list(g.nodes), g.reason) for g in d.chain_nodes]
    grouped_maps = {g.map for g in d.chain_nodes}
    for m in d.chain_maps:
        if m in grouped_maps:
            continue
        if not map_available(store, m):
            ev.missing.append(f"supply-chain map {m!r} is not loaded (autarky init, or autarky import chains PATH)")
            continue
        nodes = map_nodes(store, m)
        if len(nodes) > WHOLE_MAP_NODES:
            ev.notes.append(f"Map {m} has {len(nodes)} nodes: see `autarky chains` questions for its node shares "
                            "and chokepoints.")
            continue
        groups.append((m, nodes, None))
    for m, nodes, reason in groups:
        if not map_available(store, m):
            ev.missing.append(f"supply-chain map {m!r} is not loaded (autarky init, or autarky import chains PATH)")
            continue
        for ns in node_shares(store, m, nodes, members, ev.economy):
            detail = ", ".join(ns.top) if ns.top else None
            if reason:
                detail = (detail + ". " if detail else "") + "In this sector because: " + reason
            fig = ns.share
            if fig is None:
                fig = Figure.qualitative("no share data", sources=(SourceRef(dataset=m, file="provision.csv",
                                                                             locator=f"node {ns.node_id}"),),
                                         note=f"the {m} map lists no provider of {ns.node}")
            ev.items.append(EvidenceItem("map-share", f"{ns.node} ({m} {ns.node_id})", ev.economy, ns.year, fig,
                                         detail))


def _trade(store: Store, d: SectorDef, ev: SectorEvidence, members: frozenset[str], on: date) -> None:
    if not d.trade_sectors:
        return
    from autarky.trade.analysis import dependence, sources_of
    from autarky.trade.flow_coverage import flow_coverage

    t = dependence(store, sorted(members), sectors=list(d.trade_sectors), by="sector")
    rows = t.to_pylist()
    if not rows:
        ev.missing.append(f"trade: no flows of {', '.join(d.trade_sectors)} involving {ev.economy} are loaded "
                          "(autarky fetch baci --release 202401 --hs 17 --years 2015-2023)")
        return
    srcs = sources_of(t)
    refs = tuple(SourceRef(dataset=str(s["name"]), dataset_id=int(s["dataset_id"]), vintage=str(s["vintage"]),
                           licence=s.get("licence")) for s in srcs)
    years = sorted({int(r["year"]) for r in rows})
    cov: Coverage = flow_coverage(store, [int(s["dataset_id"]) for s in srcs], years)
    last: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r["group"] not in last or int(r["year"]) > int(last[r["group"]]["year"]):
            last[r["group"]] = r
    for group, r in sorted(last.items()):
        y = int(r["year"])
        for key, topic, unit in (("imports", "imports", "USD"), ("exports", "exports", "USD"),
                                 ("net_import_ratio", "net import ratio (M − X) / M", "fraction")):
            v = r.get(key)
            if v is None:
                continue
            fig = Figure.derived(float(v), unit=unit, sources=refs, coverage=cov)
            ev.items.append(EvidenceItem("trade", f"{group}: {topic}", ev.economy, y, fig,
                                         "HS codes of the strategic-sector concordance"))
    if not cov.complete:
        ev.notes.append(f"Trade figures are partial: {cov.note}.")


def _series(store: Store, d: SectorDef, ev: SectorEvidence, members: frozenset[str], on: date) -> None:
    if not d.series or len(members) != 1:
        return
    from autarky.indicators import series_points

    iso3 = next(iter(members))
    for sid in d.series:
        obs = [p for p in series_points(store, sid, iso3) if p.kind == "observed"]
        if not obs:
            continue
        p = max(obs, key=lambda x: x.year)
        fig = Figure.reported(p.value, unit=p.unit, sources=p.refs, note=p.notes)
        ev.items.append(EvidenceItem("series", p.series_name or sid, iso3, p.year, fig, p.definition))


def _measures(store: Store, d: SectorDef, ev: SectorEvidence, members: frozenset[str], on: date) -> None:
    if not d.measures:
        return
    from autarky.measures import list_measures, status_on

    found: dict[str, Any] = {}
    for q in d.measures:
        for m in list_measures(store, affects=q):
            found.setdefault(m.measure_id, m)
    if not found:
        ev.notes.append(f"No export-control measure in the ledger names {', '.join(d.measures)} in its scope.")
        return
    for mid, m in sorted(found.items(), key=lambda kv: (kv[1].effective or date.max, kv[0])):
        fig = Figure(Basis.QUALITATIVE, label=status_on(m, on).replace("_", " "), sources=(m.source,),
                     note=f"status on {on.isoformat()}")
        targets = ", ".join(f"{t.kind}:{t.value}" for t in m.targets[:5])
        ev.items.append(EvidenceItem("measure", m.title, m.imposing, m.effective.year if m.effective else None, fig,
                                     f"{mid}; targets {targets or 'none listed'}"))
