"""A sector's view of a supply-chain map: per node, an economy's share as a figure. The one module of this
package that calls :mod:`autarky.chains` (only ``load_map``, ``country_shares`` and ``firm_shares``).

An economy's share of a node, in percent of the node's market (``docs/chains.md`` §2), is:

* **reported** — the map gives the economy a number (its country row, or its firms summed by HQ);
* **qualitative** ``major`` / ``negligible`` — the map lists the economy without a number: the share lies
  in ``[0, 100 − Σ quantified]`` (what the quantified providers leave), never an equal split;
* **derived 0** — the economy is not listed and the listed numbers already sum to 100 (or more, rounding);
* **bounded** ``[0, 100 − Σ quantified]`` — not listed, and the listed numbers leave room for unlisted
  suppliers (the economy may be one of them);
* none — the node has no provider rows at all (nothing is known; said in words by the caller).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from autarky.figures import Figure, SourceRef

if TYPE_CHECKING:
    from autarky.store import Store

__all__ = ["NodeShare", "map_available", "node_shares"]


@dataclass(frozen=True)
class NodeShare:
    """An economy's share of one node of a map, with the node's top providers in words."""

    map: str
    node_id: str
    node: str
    node_type: str
    view: str | None
    year: int | None
    share: Figure | None  # None: the node has no provider rows
    top: tuple[str, ...]  # "NLD 100%", "Nabtesco (JPN) 60%", "JPN (major)"


def map_available(store: Store, name: str) -> bool:
    from autarky.errors import UnknownItemError

    try:
        _load(store, name)
    except UnknownItemError:
        return False
    return True


def _load(store: Store, name: str):  # type: ignore[no-untyped-def]  # the chains map type stays in chains
    from autarky.chains import load_map

    return load_map(store, name=name)


def _ref(cmap: object, node_id: str, view: str, year: int | None) -> tuple[SourceRef, ...]:
    """The map's provision rows behind a node's shares, as one source (dataset, file, lines)."""
    import polars as pl

    node_rows = getattr(cmap, "provision_of")(node_id)  # noqa: B009  (the node's provision rows; read only)
    ds = getattr(cmap, "dataset")  # noqa: B009
    rows = node_rows.filter(pl.col("share_view") == view)
    if year is not None:
        rows = rows.filter(pl.col("year") == year)
    lines = tuple(sorted(int(x) for x in rows["source_line"].drop_nulls().to_list()))
    texts = sorted({str(t) for t in rows["source"].drop_nulls().to_list()})
    locator = f"node {node_id}" + (f"; {texts[0][:240]}" if len(texts) == 1 else
                                   (f"; {len(texts)} sources on the rows" if texts else ""))
    return (SourceRef(dataset=ds.name, dataset_id=ds.dataset_id, vintage=ds.vintage, licence=ds.licence,
                      file="provision.csv", lines=lines, locator=locator, year=year),)


def node_shares(store: Store, map_name: str, node_ids: Collection[str], economy: frozenset[str],
                label: str) -> list[NodeShare]:
    """``economy``'s share (a figure, see the module docstring) of each node of map ``map_name``.

    The view is the node's HQ view where it has HQ rows, else its site view (never mixed); the year is the
    latest the node has in that view.
    """
    from autarky.chains import country_shares, firm_shares

    cmap = _load(store, map_name)
    out: list[NodeShare] = []
    for nid in node_ids:
        node = cmap.nodes[cmap.resolve(nid)]
        view = "hq"
        shares = country_shares(cmap, node.node_id, view="hq")
        if not shares:
            view = "site"
            shares = country_shares(cmap, node.node_id, view="site")
        if not shares:
            out.append(NodeShare(map_name, node.node_id, node.name, node.type, None, None, None, ()))
            continue
        year = _year(cmap, node.node_id, view)
        src = _ref(cmap, node.node_id, view, year)
        quantified = sum(s.share_pct or 0.0 for s in shares)
        room = max(0.0, 100.0 - quantified)
        mine = [s for s in shares if s.iso3 is not None and s.iso3 in economy]
        what = f"{label}'s share of {node.name} ({view.upper()} view, {year})"
        if any(s.share_pct is not None for s in mine):
            value = sum(s.share_pct or 0.0 for s in mine)
            fig = Figure.reported(value, unit="%", sources=src, note=what) if len(mine) == 1 else \
                Figure.derived(value, unit="%", sources=src, note=what + ": sum of its listed rows")
        elif mine:
            word = "major" if any(s.qualitative == "major" for s in mine) else "negligible"
            fig = Figure.qualitative(word, low=0.0, high=room, unit="%", sources=src,
                                     note=what + ": listed without a number; at most what the numbers leave")
        elif room <= 0.5:
            fig = Figure.derived(0.0, unit="%", sources=src, note=what + ": not listed; the listed shares sum to 100%")
        else:
            fig = Figure.bounded(0.0, room, unit="%", sources=src,
                                 note=what + ": not listed; the listed shares leave this much to unlisted suppliers")
        top = [_word(s.iso3 or "other", s.share_pct, s.qualitative) for s in shares[:4]]
        firms = firm_shares(cmap, node.node_id, view=view)
        if firms and not any(s.share_pct is not None for s in shares[:1]):
            top = [_word(f"{f.name} ({f.iso3 or '?'})", f.share_pct, f.qualitative) for f in firms[:4]]
        out.append(NodeShare(map_name, node.node_id, node.name, node.type, view, year, fig, tuple(top)))
    return out


def _year(cmap: object, node_id: str, view: str) -> int | None:
    import polars as pl

    node_rows = getattr(cmap, "provision_of")(node_id)  # noqa: B009
    years = node_rows.filter(pl.col("share_view") == view)["year"].drop_nulls()
    return int(years.max()) if len(years) else None


def _word(name: str, share: float | None, qualitative: str | None) -> str:
    return f"{name} {share:g}%" if share is not None else f"{name} ({qualitative or 'listed'})"


def map_nodes(store: Store, map_name: str) -> list[str]:
    """Every node id of a map, in map order."""
    return list(_load(store, map_name).nodes)
