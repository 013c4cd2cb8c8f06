"""Country shares of a node and the concentration measures on them (pure functions, no I/O).

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

from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple

import polars as pl

from autarky.errors import UsageError

if TYPE_CHECKING:
    from autarky.chains.map import ChainMap

__all__ = [
    "VIEWS",
    "CountryShare",
    "FirmShare",
    "bloc_share",
    "countries_to_reach",
    "country_shares",
    "firm_shares",
    "hhi",
    "latest_year",
    "node_rows",
]

VIEWS = ("hq", "site", "auto")  # auto: hq where the node has hq rows, else site
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
    """Provision rows of one node, view and year (the latest if ``year`` is None)."""
    _check_view(view)
    rows = cmap.provision.filter(pl.col("node_id") == node_id)
    if view == "auto":
        view = "hq" if (rows["share_view"] == "hq").any() else "site"
    rows = rows.filter(pl.col("share_view") == view)
    if rows.height == 0:
        return rows
    y = year if year is not None else rows["year"].max()
    return rows.filter(pl.col("year") == y)


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


def _quantified(shares: Iterable[CountryShare]) -> list[CountryShare]:
    return [s for s in shares if s.share_pct is not None]


def hhi(shares: Sequence[CountryShare]) -> float | None:
    """Herfindahl–Hirschman index of country shares, 0–1: ``HHI = Σ_c (s_c / T)²``.

    ``s_c`` is country c's share in percent; ``T = max(100, Σ listed shares)`` so that a node whose
    listed shares fall short of 100% keeps the remainder as unlisted, and rounding above 100% does not
    push the index past 1.  Other / unattributed shares (``iso3 None``) count as many small suppliers
    (they contribute ~0).  Qualitative entries cannot be weighed: None if no share is quantified.
    (Rhoades 1993, "The Herfindahl-Hirschman index", Federal Reserve Bulletin 79.)
    """
    q = _quantified(shares)
    if not q:
        return None
    total = max(100.0, sum(s.share_pct or 0.0 for s in q))
    return float(sum(((s.share_pct or 0.0) / total) ** 2 for s in q if s.iso3 is not None))


def countries_to_reach(shares: Sequence[CountryShare], threshold: float = 0.75) -> int | None:
    """How many countries together reach ``threshold`` (a fraction, 0.75 = 75%) of the market: ETO's rule.

    ETO's Supply Chain Explorer (``scripts/preprocess.py``, ``get_provision_concentration``):

    1. drop negligible providers;
    2. if any remaining country is a qualitative ("major") provider, the shares cannot be added: the
       node counts as highly concentrated, **1**, when fewer than 3 countries remain, and as
       **4** (not concentrated) otherwise;
    3. else add the shares in descending order until the sum reaches the threshold; the count is the
       answer (all listed countries if they never reach it).

    autarky's one difference: other / unattributed entries (``iso3 None``) are not a country and are
    never counted.  None when no country is listed.
    """
    if not 0.0 < threshold <= 1.0:
        raise UsageError(f"threshold is a fraction in (0, 1] (got {threshold})")
    kept = [s for s in shares if s.iso3 is not None and s.qualitative != "negligible"]
    if not kept:
        return None
    if any(s.share_pct is None for s in kept):
        return 1 if len(kept) < 3 else 4
    values = sorted((s.share_pct or 0.0 for s in kept), reverse=True)
    target = threshold * 100.0
    cum, n = 0.0, 0
    for v in values:
        if cum >= target - 1e-9:
            break
        cum += v
        n += 1
    return n


def bloc_share(shares: Sequence[CountryShare], members: Collection[str]) -> float | None:
    """Percent of the market held by ``members`` (ISO3 codes: one economy or a bloc).

    None when a member is listed only qualitatively (its share is unknown) or nothing is quantified;
    0.0 when the shares are quantified and no member is among them.
    """
    if not _quantified(shares):
        return None
    total = 0.0
    for s in shares:
        if s.iso3 is not None and s.iso3 in members:
            if s.share_pct is None:
                if s.qualitative == "major":
                    return None
                continue
            total += s.share_pct
    return round(total, 6)
