"""One call that analyses a parsed bill of materials against the store: :func:`analyse_bom`.

It joins the pieces (each documented in its module): direct spend by HQ economy, site economy and bloc
(:mod:`~autarky.company.exposure`), supplier resolution and entity-list flags
(:mod:`~autarky.company.suppliers`), each line's map nodes (named on the line, or through the HS ↔ node
concordance, :mod:`~autarky.company.concordance`) and their upstream shares
(:mod:`~autarky.company.upstream`), a scenario's impact (:mod:`~autarky.company.impact`) and alternatives
(:mod:`~autarky.company.alternatives`).  Faces call it through the query layer (``company.exposure``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from autarky.company import upstream
from autarky.company.alternatives import Alternative, exporter_shares, map_alternatives, trade_alternatives
from autarky.company.concordance import HsNodeLink, bundled_concordance, links_for
from autarky.company.exposure import SpendGroup, bloc_of, spend_groups
from autarky.company.impact import LineImpact, Scenario, blanket_scenario, line_impacts, measures_scenario
from autarky.company.model import BomLine, NodeRef, ParsedBom
from autarky.company.suppliers import ListingFlag, SupplierMatch, entity_index, listing_flags, resolve_suppliers
from autarky.errors import UsageError
from autarky.figures import SourceRef
from autarky.store import Store

if TYPE_CHECKING:
    from autarky.chains import ChainMap

log = logging.getLogger(__name__)

__all__ = ["CompanyExposure", "LineNodes", "UpstreamShare", "analyse_bom"]


@dataclass(frozen=True)
class LineNodes:
    """The map nodes a line is traced through, and how they were found."""

    line_id: str
    nodes: tuple[NodeRef, ...]
    how: str  # "named on the line", "HS 850760 (one-to-many)", "" (none)
    links: tuple[HsNodeLink, ...] = ()


@dataclass(frozen=True)
class UpstreamShare:
    """One economy's share of a node a line depends on (its own node, or an input of it)."""

    line_id: str
    node: NodeRef
    level: str  # "own" or "input of <node>"
    link: str
    share: upstream.ShareFigure


@dataclass
class CompanyExposure:
    """Everything :func:`analyse_bom` found (each part documented in its module)."""

    bom: ParsedBom
    by_hq: list[SpendGroup]
    by_site: list[SpendGroup]
    by_bloc: list[SpendGroup]
    blocs: tuple[tuple[str, frozenset[str]], ...]
    hq_filled: dict[str, str]  # line id -> where the HQ economy came from when the BOM left it blank
    suppliers: list[SupplierMatch]
    flags: list[ListingFlag]
    line_nodes: list[LineNodes]
    upstream: list[UpstreamShare]
    node_hhi: dict[tuple[str, str], tuple[float, float] | None]  # (line id, node key) -> HHI bounds
    scenario: Scenario | None
    impacts: list[LineImpact]
    alternatives: list[Alternative]
    map_sources: dict[str, SourceRef] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _line_nodes(ln: BomLine, maps: dict[str, ChainMap], concordance: Sequence[HsNodeLink]) -> LineNodes:
    if ln.node is not None:
        return LineNodes(ln.line_id, (ln.node,), "named on the line")
    links = [lk for lk in links_for(ln.hs22, concordance) if lk.map in maps and lk.node_id in maps[lk.map].nodes]
    if not links:
        return LineNodes(ln.line_id, (), "")
    nodes = tuple(dict.fromkeys(NodeRef(lk.map, lk.node_id, maps[lk.map].nodes[lk.node_id].name) for lk in links))
    kinds = sorted({lk.relation for lk in links} | {lk.scope for lk in links if lk.scope != "exact"})
    return LineNodes(ln.line_id, nodes, f"HS {ln.hs_code} ({', '.join(kinds)})", tuple(links))


def analyse_bom(store: Store, bom: ParsedBom, *, against: Sequence[str] | str | None = None,
                measures_on: date | None = None, economy: str | None = None, bloc: str | Sequence[str] = "US_ALLIES",
                listed_on: date | None = None, upstream_depth: int = 1, top: int = 5,
                concordance: Sequence[HsNodeLink] | None = None) -> CompanyExposure:
    """Analyse ``bom`` (see the module docstring).

    ``against`` (economies or blocs) runs a blanket export control; ``measures_on`` the measures in force
    on that date biting ``economy`` (required then: the economy the company buys into).  ``bloc`` lists
    the blocs of the spend table (first match wins) and the first of them is where alternatives are
    sought.  ``listed_on`` is the date of the entity lists (default: ``measures_on`` or today).
    ``upstream_depth`` how many levels of inputs to show (0: the line's node only).
    """
    if against and measures_on is not None:
        raise UsageError("give --against (a blanket control) or --measures-in-force (a date), not both")
    if not 0 <= upstream_depth <= 5:
        raise UsageError("upstream_depth: between 0 and 5")
    maps = upstream.load_maps(store)
    conc = bundled_concordance() if concordance is None else tuple(concordance)
    lines = bom.lines
    notes: list[str] = []
    # -- direct ----------------------------------------------------------------------------------------------
    firms = upstream.map_firms(maps)
    index, known = entity_index(store, firms)
    matches = resolve_suppliers(lines, index, known)
    hq_filled: dict[str, str] = {}
    by_line = {m.line_id: m for m in matches}
    hq: dict[str, str | None] = {}
    for ln in lines:
        hq[ln.line_id] = ln.hq_country
        m = by_line.get(ln.line_id)
        if ln.hq_country is None and m is not None and m.entity is not None and m.entity.iso3:
            hq[ln.line_id] = m.entity.iso3
            hq_filled[ln.line_id] = f"HQ of {m.entity.name} in {m.entity.origin}"
    bloc_names = [bloc] if isinstance(bloc, str) else list(bloc)
    bloc_names = [b.strip() for n in bloc_names for b in n.split(",") if b.strip()]
    blocs = tuple((b, store.resolve(b).members) for b in bloc_names)
    by_hq = spend_groups(lines, lambda ln: hq[ln.line_id])
    by_site = spend_groups(lines, lambda ln: ln.site_country)
    by_bloc = spend_groups(lines, lambda ln: bloc_of(ln.site_country or hq[ln.line_id], blocs))
    unpriced = [ln.line_id for ln in lines if ln.spend_usd is None]
    if unpriced:
        notes.append(f"{len(unpriced)} line(s) without a USD spend are in no spend share: {', '.join(unpriced)}")
    on = listed_on or measures_on or date.today()
    from autarky.measures import listed_entities

    flags = listing_flags(lines, matches, listed_entities(store, on))
    # -- upstream --------------------------------------------------------------------------------------------
    line_nodes = [_line_nodes(ln, maps, conc) for ln in lines]
    ups: list[UpstreamShare] = []
    hhis: dict[tuple[str, str], tuple[float, float] | None] = {}
    for ln_nodes in line_nodes:
        for n in ln_nodes.nodes:
            cmap = maps[n.map]
            level_nodes: list[tuple[str, str]] = [(n.node_id, "own")]
            frontier = [n.node_id]
            for depth in range(upstream_depth):
                nxt = []
                for parent in frontier:
                    for child in upstream.inputs_of(cmap, parent):
                        if all(child != x for x, _ in level_nodes):
                            level_nodes.append((child, f"input of {cmap.name_of(parent)}"
                                                + (f" (level {depth + 1})" if depth else "")))
                            nxt.append(child)
                frontier = nxt
            for node_id, level in level_nodes:
                ref = NodeRef(n.map, node_id, cmap.name_of(node_id))
                shares = upstream.node_shares(cmap, node_id)
                for s in shares:
                    ups.append(UpstreamShare(ln_nodes.line_id, ref, level, ln_nodes.how, s))
                if level == "own":
                    hhis[(ln_nodes.line_id, n.key)] = upstream.node_hhi(cmap, node_id) if shares else None
    # -- scenario --------------------------------------------------------------------------------------------
    scenario: Scenario | None = None
    target: frozenset[str] = frozenset()
    if economy:
        target = store.resolve(economy).members
    if against:
        res = store.resolve(against if isinstance(against, str) else list(against))
        both = sorted(res.members & target)
        if both:
            raise UsageError(f"{', '.join(both)} cannot both restrict and be the company's economy")
        scenario = blanket_scenario(res.members, res.label, list(maps), target)
    elif measures_on is not None:
        if not economy:
            raise UsageError("--measures-in-force needs --economy: the economy the company buys into "
                             "(the measures that bite it are applied)")
        scenario = measures_scenario(store, target, economy, measures_on, maps)
    candidates = {x.line_id: x.nodes for x in line_nodes}
    impacts = line_impacts(lines, candidates, maps, scenario) if scenario is not None else []
    # -- alternatives ----------------------------------------------------------------------------------------
    alts: list[Alternative] = []
    bloc_members = blocs[0][1] if blocs else frozenset()
    exposed = ({i.line_id for i in impacts if i.status[0] in ("lost", "degraded")} if scenario is not None
               else {ln.line_id for ln in lines})
    exporters = exporter_shares(store, [tuple(c for c in ln.hs22 if len(c) == 6) for ln in lines
                                     if ln.line_id in exposed and any(len(c) == 6 for c in ln.hs22)])
    for ln in lines:
        if ln.line_id not in exposed:
            continue
        own = {ln.site_country or hq[ln.line_id]} - {None}
        avoid: dict[str, set[str]] = {}
        for n in candidates.get(ln.line_id, ()):
            restricted = scenario.restricted_at(n.map, n.node_id) if scenario is not None else frozenset()
            avoid[n.key] = set(restricted) | {x for x in own if x}
        alts.extend(map_alternatives(ln.line_id, candidates.get(ln.line_id, ()), maps, avoid, bloc_members, top))
        codes = tuple(c for c in ln.hs22 if len(c) == 6)
        if codes:
            ex = exporters[codes]
            blanket = set(scenario.rules[0].imposing) if scenario is not None and scenario.rules and \
                scenario.rules[0].blanket else set()
            alts.extend(trade_alternatives(ln.line_id, ex, blanket | {x for x in own if x}, bloc_members, top))
    map_sources = {name: upstream.map_source(cmap) for name, cmap in maps.items()}
    return CompanyExposure(bom, by_hq, by_site, by_bloc, blocs, hq_filled, matches, flags, line_nodes, ups, hhis,
                           scenario, impacts, alts, map_sources, notes)
