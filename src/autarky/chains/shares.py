"""Country shares of a node as published: the raw rows, one view and year (pure functions, no I/O).

These are the map's own numbers, for listing.  Every figure a reader could cite — an economy's or a bloc's
share, HHI, countries to 75% — comes from :mod:`autarky.chains.nodeshares`, which bounds what the map
leaves unattributed instead of reading it as zero.

Conventions (see ``docs/chains.md``):

* Shares are **percent of the global market** (0–100), as published.  A qualitative provider (ETO's
  blank share, "major") has ``share_pct = None`` and ``qualitative = "major"``; a provider flagged
  negligible has ``qualitative = "negligible"``.
* **Country rows first.**  Where a node has rows from country providers (ETO gives both country and firm
  rows for most nodes), those are its country shares; otherwise firm shares are summed by the firm's HQ
  country.  Providers that are not one economy ("Various countries", "EUR", "Various companies") are
  summed into one entry with ``iso3 = None``: *other / unattributed*.
* **Views** never mix: ``view='hq'`` (by headquarters) or ``view='site'`` (by location of capacity;
  ETO's fabrication and ATP stage shares).
* **Year**: the latest year the node has rows for in that view, unless ``year`` is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple

import polars as pl

from autarky.errors import UsageError

if TYPE_CHECKING:
    from autarky.chains.map import ChainMap


__all__ = [
    "VIEWS",
    "CountryShare",
    "FirmShare",
    "country_shares",
    "firm_shares",
    "latest_year",
    "node_rows",
]

VIEWS = ("hq", "site", "auto")  # auto: the view that has numbers (hq first)
Qualitative = Literal["major", "negligible"]


class CountryShare(NamedTuple):
    """One economy's share of a node.  ``iso3`` None = other / unattributed providers."""

    iso3: str | None
    share_pct: float | None  # percent of the global market; None when only qualitative
    qualitative: Qualitative | None  # None when quantified; "major" or "negligible" otherwise (truthy)


class FirmShare(NamedTuple):
    """One firm's share of a node, with its HQ economy."""

    provider_id: str
    name: str
    iso3: str | None
    share_pct: float | None
    qualitative: Qualitative | None


def _check_view(view: str) -> None:
    if view not in VIEWS:
        raise UsageError(f"view must be one of {', '.join(VIEWS)} (got {view!r})")


def latest_year(cmap: ChainMap, node_id: str, view: str = "hq") -> int | None:
    """The latest year ``node_id`` has shares for in ``view`` (None if it has none)."""
    top = node_rows(cmap, node_id, None, view)["year"].max()
    return int(top) if isinstance(top, int) else None


def node_rows(cmap: ChainMap, node_id: str, year: int | None = None, view: str = "hq") -> pl.DataFrame:
    """Provision rows of one node, view and year (the latest if ``year`` is None); ``view='auto'`` picks
    the view that has numbers (:func:`autarky.chains.supply.select_rows`).

    For maps of up to :data:`~autarky.chains.graph.LIST_IDS_UP_TO` provision rows, the rows of every node
    are selected at once and split by node, kept per map, view and year (a year the map has, or the latest):
    :func:`~autarky.chains.supply.select_rows` decides per node (its windows are over ``node_id``), so a
    node's rows are the same, and a page visiting node after node does not run its filters again for each
    (~0.6 ms a node).  A larger map selects the node's own rows (no frame per node of a huge map)."""
    from autarky.chains.graph import LIST_IDS_UP_TO
    from autarky.chains.supply import select_rows

    _check_view(view)
    if cmap.provision.height > LIST_IDS_UP_TO or (year is not None and year not in cmap.years):
        return select_rows(cmap.provision_of(node_id), view, year)
    key = ("node rows", view, year)
    split = cmap.cache.get(key)
    if not isinstance(split, dict):
        rows = select_rows(cmap.provision, view, year)
        split = {str(k[0]): v for k, v in rows.partition_by("node_id", as_dict=True, maintain_order=True).items()}
        cmap.cache[key] = split
    got = split.get(node_id)
    return cmap.provision.clear() if got is None else got


def _qualitative(negligible: Sequence[bool | None]) -> Qualitative:
    return "major" if any(not n for n in negligible) else "negligible"


def _sort_key(s: CountryShare | FirmShare) -> tuple[int, float, int, str]:
    qual_rank = 0 if s.share_pct is not None else (1 if s.qualitative == "major" else 2)
    return (qual_rank, -(s.share_pct or 0.0), 1 if s.iso3 is None else 0, s.iso3 or "")


def country_shares(cmap: ChainMap, node_id: str, year: int | None = None, view: str = "hq") -> list[CountryShare]:
    """Country shares of a node (or stage): country rows where it has them, else firm shares by HQ country.

    Returns one :class:`CountryShare` per economy (and at most one ``iso3=None`` entry for other /
    unattributed providers), quantified shares first, largest first; ``[]`` when the node has no rows
    for that view and year.  A node id not in the map raises :class:`UnknownItemError`.
    """
    node_id = cmap.resolve(node_id)
    return cmap.kept_list(("country_shares", node_id, year, view), lambda: _country_shares(cmap, node_id, year, view))


def _country_shares(cmap: ChainMap, node_id: str, year: int | None, view: str) -> list[CountryShare]:
    rows = node_rows(cmap, node_id, year, view)
    if rows.height == 0:
        return []
    countries = rows.filter(pl.col("provider_type") == "country")
    use = countries if countries.height else rows.filter(pl.col("provider_type") != "country")
    grouped = use.group_by("country").agg(
        pl.col("share").sum().alias("total"),
        pl.col("share").count().alias("n_numeric"),
        pl.col("negligible").alias("neg"),
    )
    out: list[CountryShare] = []
    for country, total, n_numeric, neg in grouped.iter_rows():
        if n_numeric:
            out.append(CountryShare(country, round(float(total), 6), None))
        else:
            out.append(CountryShare(country, None, _qualitative(neg)))
    return sorted(out, key=_sort_key)


def firm_shares(cmap: ChainMap, node_id: str, year: int | None = None, view: str = "hq") -> list[FirmShare]:
    """The firms providing a node, with HQ economy and share, largest first."""
    node_id = cmap.resolve(node_id)
    return cmap.kept_list(("firm_shares", node_id, year, view), lambda: _firm_shares(cmap, node_id, year, view))


def _firm_shares(cmap: ChainMap, node_id: str, year: int | None, view: str) -> list[FirmShare]:
    rows = node_rows(cmap, node_id, year, view).filter(pl.col("provider_type") != "country")
    out = [
        FirmShare(
            pid,
            cmap.providers[pid].name if pid in cmap.providers else pid,
            country,
            None if share is None else float(share),
            None if share is not None else ("negligible" if neg else "major"),
        )
        for pid, country, share, neg in rows.select("provider_id", "country", "share", "negligible").iter_rows()
    ]
    return sorted(out, key=lambda f: (*_sort_key(f), f.name))
