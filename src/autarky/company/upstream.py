"""Every call the company domain makes into :mod:`autarky.chains`, behind a few small functions.

The chains maths is being rewritten (qualitative providers as intervals, scoped restrictions); keeping the
calls here lets the switch happen in one place.  What this module offers:

* :func:`load_maps` / :func:`map_nodes` -- the loaded maps (latest vintage per map name) and their nodes;
* :func:`map_firms` -- the firms the maps name as providers, with their HQ economy (supplier resolution);
* :func:`node_shares` -- a node's country shares as :class:`~autarky.figures.Figure` s, per view;
* :func:`firm_providers` -- a node's firms with their shares;
* :func:`inputs_of` -- what goes into a node (and a class node's variants);
* :func:`scenario_for_nodes` -- a scoped export control (economies restricted at some nodes or at all of
  them) run on a map, with the availability of every node as an interval and the path that binds it.

**Qualitative providers.**  Where a map lists a provider without a share (ETO's "major"), its share is the
interval ``[0, 100 − Σ reported]`` of the node's market, never an equal split of the remainder.  In a
scenario the same bounds are kept: the worst case gives every restricted qualitative provider the whole
unexplained remainder, the best case none of it; the availability is the interval between the two runs.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import polars as pl

from autarky.company.model import NodeRef
from autarky.figures import Figure, SourceRef
from autarky.store import Store

if TYPE_CHECKING:
    from autarky.chains import ChainMap

log = logging.getLogger(__name__)

__all__ = [
    "BUYER",
    "RESTRICTED",
    "FirmRef",
    "NodeImpact",
    "ShareFigure",
    "firm_providers",
    "inputs_of",
    "load_maps",
    "map_firms",
    "map_nodes",
    "map_source",
    "node_hhi",
    "node_name",
    "node_shares",
    "scenario_for_nodes",
    "with_variants",
]

#: Placeholder economy standing for "a restricted provider" in a scoped scenario (no ISO3 code uses X..).
RESTRICTED = "XRS"
#: Placeholder economy standing for the buying company when no viewpoint economy is given.
BUYER = "XBY"


def load_maps(store: Store) -> dict[str, ChainMap]:
    """Every loaded supply-chain map, the latest vintage per map name, keyed by name."""
    from autarky.chains import load_map

    out: dict[str, ChainMap] = {}
    for kind in ("eto", "chains"):
        rows = store.datasets(kind).to_pylist()
        for name in sorted({str(r["name"]) for r in rows}):
            if name not in out:
                out[name] = load_map(store, name=name)
    return out


def map_nodes(store: Store, maps: Mapping[str, ChainMap] | None = None) -> list[NodeRef]:
    """Every node of every loaded map."""
    maps = load_maps(store) if maps is None else maps
    return [NodeRef(name, nid, node.name) for name, cmap in maps.items() for nid, node in cmap.nodes.items()]


@dataclass(frozen=True)
class FirmRef:
    """A firm a map names as a provider."""

    map: str
    provider_id: str
    name: str
    alias: str | None
    iso3: str | None

    @property
    def key(self) -> str:
        return f"{self.map}:{self.provider_id}"


def map_firms(maps: Mapping[str, ChainMap]) -> list[FirmRef]:
    """The firms (not countries) every map names as providers."""
    return [FirmRef(name, p.provider_id, p.name, p.alias, p.country)
            for name, cmap in maps.items() for p in cmap.providers.values() if not p.is_country]


def map_source(cmap: ChainMap, lines: Collection[int] = (), year: int | None = None) -> SourceRef:
    """The source of figures read from a map's provision rows."""
    d = cmap.dataset
    return SourceRef(dataset=d.name, dataset_id=d.dataset_id, vintage=d.vintage, licence=d.licence,
                     file="provision.csv", lines=tuple(sorted(set(lines))), year=year)


@dataclass(frozen=True)
class ShareFigure:
    """One economy's (or firm's) share of a node in one view: ``share`` is a Figure (fraction 0-1)."""

    name: str  # ISO3, a firm name, or "other / unattributed"
    iso3: str | None
    share: Figure
    view: str
    year: int | None


OTHER = "other / unattributed"


def _rows(cmap: ChainMap, node_id: str, view: str) -> pl.DataFrame:
    rows = cmap.provision_of(node_id).filter(pl.col("share_view") == view)
    if rows.height == 0:
        return rows
    return rows.filter(pl.col("year") == rows["year"].max())


def _views(cmap: ChainMap, node_id: str) -> list[str]:
    views = set(cmap.provision_of(node_id)["share_view"].drop_nulls().to_list())
    return [v for v in ("hq", "site") if v in views]


def node_shares(cmap: ChainMap, node_id: str, views: Collection[str] | None = None) -> list[ShareFigure]:
    """A node's economies and their shares of its world market, as figures (fraction 0-1), per view.

    Country rows where the node has them (``reported``), else firm rows summed by HQ economy (``derived``);
    the latest year per view.  A qualitative provider gets ``qualitative`` ("major"/"negligible") with the
    interval ``[0, 1 − Σ reported]``.  Providers that are no single economy are one "other / unattributed"
    entry.
    """
    chosen = tuple(views) if views else None
    return cmap.kept_list(("company.node_shares", node_id, chosen), lambda: _node_shares(cmap, node_id, chosen))


def _node_shares(cmap: ChainMap, node_id: str, views: tuple[str, ...] | None) -> list[ShareFigure]:
    from autarky.chains import country_shares

    out: list[ShareFigure] = []
    for view in views or _views(cmap, node_id):
        rows = _rows(cmap, node_id, view)
        if rows.height == 0:
            continue
        year = int(rows["year"][0]) if rows["year"][0] is not None else None
        has_country = bool((rows["provider_type"] == "country").any())
        used = rows.filter((pl.col("provider_type") == "country") == has_country)
        src = map_source(cmap, [int(x) for x in used["source_line"].drop_nulls().to_list()], year)
        shares = country_shares(cmap, node_id, year=year, view=view)
        reported = sum(s.share_pct or 0.0 for s in shares if s.share_pct is not None)
        rest = max(0.0, 100.0 - reported) / 100.0
        for s in shares:
            name = s.iso3 or OTHER
            if s.share_pct is not None:
                fig = (Figure.reported if has_country else Figure.derived)(
                    s.share_pct / 100.0, unit="fraction", sources=(src,),
                    note=None if has_country else "sum of the map's firm shares by HQ economy")
            else:
                fig = Figure.qualitative(str(s.qualitative), low=0.0, high=rest, unit="fraction", sources=(src,),
                                         note="listed without a share: between none and all of what the reported "
                                              "shares leave unexplained")
            out.append(ShareFigure(name, s.iso3, fig, view, year))
    return out


def node_hhi(cmap: ChainMap, node_id: str) -> tuple[float, float] | None:
    """A node's HHI over economies as ``(low, high)`` (the chains figure: exact where every share is reported,
    an interval over what qualitative providers and regions allow); None when the map gives no share."""
    from autarky.chains import node_shares as chain_node_shares

    fig = chain_node_shares(cmap, node_id).hhi
    if fig.low is None or fig.high is None:
        return None
    return (fig.low, fig.high)


def firm_providers(cmap: ChainMap, node_id: str) -> list[ShareFigure]:
    """The firms providing a node with their shares (figures, fraction 0-1), per view, largest first."""
    return cmap.kept_list(("company.firm_providers", node_id), lambda: _firm_providers(cmap, node_id))


def _firm_providers(cmap: ChainMap, node_id: str) -> list[ShareFigure]:
    from autarky.chains import firm_shares

    out: list[ShareFigure] = []
    for view in _views(cmap, node_id):
        rows = _rows(cmap, node_id, view).filter(pl.col("provider_type") != "country")
        if rows.height == 0:
            continue
        year = int(rows["year"][0]) if rows["year"][0] is not None else None
        reported = float(rows["share"].drop_nulls().sum() or 0.0)
        rest = max(0.0, 100.0 - reported) / 100.0
        lines = {str(p): int(ln) for p, ln in rows.select("provider_id", "source_line").iter_rows()
                 if ln is not None}
        for f in firm_shares(cmap, node_id, year=year, view=view):
            src = map_source(cmap, [lines[f.provider_id]] if f.provider_id in lines else [], year)
            fig = (Figure.reported(f.share_pct / 100.0, unit="fraction", sources=(src,)) if f.share_pct is not None
                   else Figure.qualitative(str(f.qualitative), low=0.0, high=rest, unit="fraction", sources=(src,)))
            out.append(ShareFigure(f.name, f.iso3, fig, view, year))
    return out


def with_variants(cmap: ChainMap, node_ids: Collection[str]) -> set[str]:
    """The nodes and, for class nodes, their variants (a measure on lithography tools covers EUV tools)."""
    out = {n for n in node_ids if n in cmap.nodes}
    for n in list(out):
        out.update(cmap.variants_of(n))
    return out


def node_name(cmap: ChainMap, node_id: str) -> str:
    return cmap.name_of(node_id)


def inputs_of(cmap: ChainMap, node_id: str) -> list[str]:
    """What a node needs: its ``goes_into`` inputs and, for a class node, its variants."""
    return list(dict.fromkeys([*cmap.inputs_of(node_id), *cmap.variants_of(node_id)]))


@dataclass(frozen=True)
class NodeImpact:
    """A node's availability to the buyer under a scoped export control.

    ``available`` is ``(low, high)``: the worst case (restricted qualitative providers hold the whole
    unexplained remainder) and the best case (they hold none of it); ``status`` the (worst, best) of
    ``lost`` / ``degraded`` / ``ok``; ``path`` the node ids from the origin of the loss to the node;
    ``origin_losses`` the restricted economies at the origin and their shares of it.
    """

    node_id: str
    available: tuple[float, float]
    status: tuple[str, str]
    path: tuple[str, ...]
    origin_losses: tuple[tuple[str, float | None], ...] = ()
    has_data: bool = False


def _restricted_at(node: str, country: str | None, restrictions: Mapping[str | None, frozenset[str]]) -> bool:
    if country is None:
        return False
    return country in restrictions.get(None, frozenset()) or country in restrictions.get(node, frozenset())


def scenario_for_nodes(cmap: ChainMap, restrictions: Mapping[str | None, frozenset[str]],
                       target: frozenset[str] = frozenset(), *, lost_below: float = 0.25,
                       ok_from: float = 0.95) -> dict[str, NodeImpact]:
    """Availability of every node of ``cmap`` when the economies in ``restrictions`` stop supplying.

    ``restrictions`` maps a node id to the economies restricted at that node; the key ``None`` applies to
    every node (a blanket control).  ``target`` is the buyer's economy (none: an outside buyer).  This is the
    chains scenario engine (:func:`autarky.chains.export_control`) with one scoped
    :class:`~autarky.chains.scenario.Restriction` per entry and no substitution assumed: a node keeps what its
    unrestricted suppliers provide (an interval where providers are listed without a share) and needs its
    inputs; ``lost`` below ``lost_below``, ``ok`` from ``ok_from``, else ``degraded``.
    """
    from autarky.chains import ExportControl, export_control
    from autarky.chains.scenario import Restriction

    rules = [Restriction(against=econ, nodes=None if node is None else frozenset({node}))
             for node, econ in restrictions.items() if econ]
    if not rules:
        return {nid: NodeImpact(nid, (1.0, 1.0), ("ok", "ok"), (nid,)) for nid in cmap.nodes}
    buyer = frozenset(target) or frozenset({BUYER})
    against = frozenset().union(*(r.against for r in rules)) - buyer
    sc = ExportControl(against=against, target=buyer, restrictions=tuple(rules),
                       lost_below=(lost_below, lost_below), ok_from=(ok_from, ok_from))
    result = export_control(cmap, sc, explain=False)  # read node by node: no stage's or tier's explanation
    out: dict[str, NodeImpact] = {}
    for nid in cmap.nodes:
        available, status, path, has_data = result.node_state(nid)
        path = path or (nid,)
        losses = tuple(sorted(_origin_losses(cmap, path[0], restrictions).items()))
        out[nid] = NodeImpact(nid, available, status, path, losses, has_data)
    return out


def _origin_losses(cmap: ChainMap, node: str, restrictions: Mapping[str | None, frozenset[str]],
                   ) -> dict[str, float | None]:
    """Restricted economies at ``node`` and their reported share (None: listed without a share)."""
    out: dict[str, float | None] = {}
    for country, share in _provider_rows(cmap, node):
        if country is not None and _restricted_at(node, country, restrictions):
            prev = out.get(country, 0.0)
            out[country] = None if share is None or prev is None else prev + float(share) / 100.0
    return out


def _provider_rows(cmap: ChainMap, node: str) -> tuple[tuple[str | None, float | None], ...]:
    """(country, share in %) of ``node``'s providers in its first view, latest year: its country rows if it has
    any, else its firm rows.  Depends on the map alone: kept on it (a BOM asks for every node, per scenario)."""
    kept = cast(dict[str, tuple[tuple[str | None, float | None], ...]],
                cmap.cache.setdefault(("company.provider_rows",), {}))
    hit = kept.get(node)
    if hit is not None:
        return hit
    found: tuple[tuple[str | None, float | None], ...] = ()
    for view in _views(cmap, node)[:1]:
        rows = _rows(cmap, node, view)
        has_country = bool((rows["provider_type"] == "country").any())
        rows = rows.filter((pl.col("provider_type") == "country") == has_country)
        found = tuple((c, None if s is None else float(s)) for c, s in rows.select("country", "share").iter_rows())
    kept[node] = found
    return found
