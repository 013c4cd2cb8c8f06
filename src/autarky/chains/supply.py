"""Who holds what share of each node, and what that does and does not pin down (vectorised, no I/O).

**Rows used.**  Per node: one view and one year (the latest the node has in that view, or ``year``).
``view='auto'`` prefers the view that has numbers: HQ if the node's HQ rows give a share, else site if its
site rows do, else whichever view has rows (HQ first); the table says which view it used.  Country rows
where the node has them, else firm rows summed by headquarters economy.

**Holders** (:func:`holder_table`, one row per node and holder):

* an **economy** (ISO3);
* a **region** the map names instead of one economy (:mod:`autarky.chains.regions`): a fixed region
  (``members``, e.g. ETO's Europe), ``rest`` ("Various countries": every economy the node does not list,
  on its own or through a listed region) or ``unknown`` (firms without one headquarters economy).

A holder has a **reported** share (``pct``, percent of the global market, as published) and/or is listed
**without a number** (``qual``: ``major``, or ``negligible``).  Nothing is ever split among holders.

**The unexplained share** ``R`` of a node.  With ``Σ`` the reported shares and ``slack`` the rounding of
the published numbers (half a unit of their last digit per row: 0.5 for whole percents, 0.05 for tenths)::

    R = max(0, 100 − Σ)                          the share the numbers leave unexplained
    R = max(R, slack)   if a holder is listed without a number (the numbers may be rounded up)
    R = 0               if no holder is unquantified and R ≤ slack (complete within rounding)

``R`` belongs to the holders listed without a number — each at most ``R`` ("major") or at most
``min(R, 2.5)`` ("negligible": ETO's technical notes call a provider negligible when its country has 2% or
less of the market, rounded) — and also to the economies the node does not list when fewer than two
holders are listed without a number (a lone unquantified provider is never handed the whole remainder:
the map does not say it is alone) or their caps cannot hold ``R``.  So no provider without a number ever
gets a lower bound above 0 by elimination alone, unless the map names two or more that share ``R``.

What a set of economies holds of each node (within bounds where the data do not pin it down), and what a
restriction exposes, is worked out from these tables in :mod:`autarky.chains.exposure`.  Shares stay in
percent; scenarios divide by ``max(100, Σ + R)`` (rounding above 100% scaled back).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from autarky.chains.regions import Region, region_of, regions
from autarky.errors import UsageError

if TYPE_CHECKING:
    from autarky.chains.assumptions import Assumptions
    from autarky.chains.map import ChainMap

log = logging.getLogger(__name__)

__all__ = [
    "NEGLIGIBLE_PCT",
    "SUPPLY_VIEWS",
    "firm_table",
    "holder_table",
    "node_table",
    "provider_holders",
    "select_rows",
]

SUPPLY_VIEWS = ("hq", "site", "auto")
#: The most a provider flagged "negligible" holds, percent: ETO's technical notes call a provider negligible
#: when its country has "2% or less (rounded value)" of the market, i.e. under 2.5%.
NEGLIGIBLE_PCT = 2.5


HOLDER_SCHEMA: dict[str, pl.DataType] = {
    "node_id": pl.Utf8(),
    "holder": pl.Utf8(),
    "kind": pl.Utf8(),
    "pct": pl.Float64(),
    "qual": pl.Utf8(),
    "assumed": pl.Boolean(),
    "lines": pl.List(pl.Int32()),
    "view": pl.Utf8(),
    "year": pl.Int32(),
}


def _check_view(view: str) -> None:
    if view not in SUPPLY_VIEWS:
        raise UsageError(f"view must be one of {', '.join(SUPPLY_VIEWS)} (got {view!r})")


def select_rows(provision: pl.DataFrame, view: str = "hq", year: int | None = None) -> pl.DataFrame:
    """Provision rows in one view and one year per node (see the module docstring)."""
    _check_view(view)
    rows = provision
    if view == "auto":
        has_num = pl.col("share").is_not_null()
        hq = pl.col("share_view") == "hq"
        site = pl.col("share_view") == "site"
        hq_num = (hq & has_num).any().over("node_id")
        site_num = (site & has_num).any().over("node_id")
        hq_any = hq.any().over("node_id")
        chosen = (
            pl.when(hq_num)
            .then(pl.lit("hq"))
            .when(site_num)
            .then(pl.lit("site"))
            .when(hq_any)
            .then(pl.lit("hq"))
            .otherwise(pl.lit("site"))
        )
        rows = rows.filter(pl.col("share_view") == chosen)
    else:
        rows = rows.filter(pl.col("share_view") == view)
    if year is not None:
        return rows.filter(pl.col("year") == year)
    return rows.filter(pl.col("year") == pl.col("year").max().over("node_id"))


def provider_holders(cmap: ChainMap) -> pl.DataFrame:
    """Per provider: the holder its rows count for (``holder``, ``kind``); cached on the map."""
    key = ("provider_holders",)
    cached = cmap.cache.get(key)
    if isinstance(cached, pl.DataFrame):
        return cached
    ids: list[str] = []
    holders: list[str] = []
    kinds: list[str] = []
    unknown = next(r for r in regions() if r.kind == "unknown")
    rest = next(r for r in regions() if r.kind == "rest")
    for pid, p in cmap.providers.items():
        region = region_of(p.name, p.alias, p.country, p.provider_type)
        if region is None and p.country is not None:
            ids.append(pid)
            holders.append(p.country)
            kinds.append("economy")
            continue
        if region is None:  # not one economy, and no declared region: could be anyone
            region = unknown if p.provider_type != "country" else rest
        ids.append(pid)
        holders.append(region.code)
        kinds.append(region.kind)
    out = pl.DataFrame(
        {"provider_id": ids, "holder": holders, "kind": kinds},
        schema={"provider_id": pl.Utf8, "holder": pl.Utf8, "kind": pl.Utf8},
    )
    cmap.cache[key] = out
    return out


def _aggregate(rows: pl.DataFrame) -> pl.DataFrame:
    """Rows of one view/year per node → one row per (node, holder)."""
    return (
        rows.group_by("node_id", "holder", "kind")
        .agg(
            pl.col("share").sum().alias("_sum"),
            pl.col("share").count().alias("_n"),
            (pl.col("share").is_null() & ~pl.col("negligible").fill_null(False)).any().alias("_major"),
            (pl.col("share").is_null() & pl.col("negligible").fill_null(False)).any().alias("_neg"),
            pl.col("source_line").drop_nulls().cast(pl.Int32).sort().alias("lines"),
            pl.col("share_view").first().alias("view"),
            pl.col("year").first().cast(pl.Int32).alias("year"),
        )
        .with_columns(
            pl.when(pl.col("_n") > 0).then(pl.col("_sum")).otherwise(None).alias("pct"),
            pl.when(pl.col("_major"))
            .then(pl.lit("major"))
            .when(pl.col("_neg"))
            .then(pl.lit("negligible"))
            .otherwise(None)
            .alias("qual"),
            pl.lit(False).alias("assumed"),
        )
        .select(list(HOLDER_SCHEMA))
    )


def holder_table(
    cmap: ChainMap, view: str = "hq", year: int | None = None, assumptions: Assumptions | None = None
) -> pl.DataFrame:
    """One row per (node, holder) with columns :data:`HOLDER_SCHEMA` (cached on the map).

    ``assumptions`` (:class:`autarky.chains.assumptions.Assumptions`) replace or add holders' shares;
    their rows carry ``assumed = True``.
    """
    _check_view(view)
    key = ("holders", view, year, None if assumptions is None else assumptions.key)
    cached = cmap.cache.get(key)
    if isinstance(cached, pl.DataFrame):
        return cached
    if assumptions is not None:
        out = assumptions.apply(cmap, holder_table(cmap, view, year))
    else:
        rows = select_rows(cmap.provision, view, year)
        is_country = pl.col("provider_type") == "country"
        rows = rows.filter(is_country == is_country.any().over("node_id"))
        rows = rows.join(provider_holders(cmap), on="provider_id", how="left")
        out = _aggregate(rows).sort("node_id", "holder")
    cmap.cache[key] = out
    return out


def node_table(holders: pl.DataFrame) -> pl.DataFrame:
    """Per node: ``reported`` (Σ pct), ``slack``, ``R`` (the unexplained share), ``major`` (a holder is listed
    without a number as major), ``unlisted`` (whether economies the node does not list share ``R``),
    ``total`` (``max(100, reported + R)``: the divisor for fractions), ``assumed``, ``view``, ``year``."""
    per_row = holders.with_columns(
        pl.col("lines").list.len().alias("_rows"),
        ((pl.col("pct").fill_null(0.0) - pl.col("pct").fill_null(0.0).round(0)).abs() > 1e-9).alias("_frac"),
    )
    agg = per_row.group_by("node_id").agg(
        pl.col("pct").sum().alias("reported"),
        pl.col("_rows").filter(pl.col("pct").is_not_null()).sum().alias("_nrep"),
        pl.col("_frac").any().alias("_frac"),
        (pl.col("qual") == "major").any().alias("major"),
        (pl.col("qual") == "major").sum().alias("_n_major"),
        (pl.col("qual") == "negligible").sum().alias("_n_neg"),
        pl.col("qual").is_not_null().any().alias("_unq"),
        pl.col("assumed").any().alias("assumed"),
        pl.col("view").first().alias("view"),
        pl.col("year").first().alias("year"),
    )
    unit = pl.when(pl.col("_frac")).then(0.1).otherwise(1.0)
    slack = 0.5 * unit * pl.col("_nrep").cast(pl.Float64)
    raw = pl.max_horizontal(pl.lit(0.0), 100.0 - pl.col("reported"))
    r = (
        pl.when(pl.col("_unq"))
        .then(pl.max_horizontal(raw, pl.col("slack")))
        .when(raw > pl.col("slack") + 1e-9)
        .then(raw)
        .otherwise(0.0)
    )
    n_qual = pl.col("_n_major") + pl.col("_n_neg")
    caps = pl.col("_n_major").cast(pl.Float64) * pl.col("R") + pl.col("_n_neg").cast(pl.Float64) * pl.min_horizontal(
        pl.col("R"), pl.lit(NEGLIGIBLE_PCT)
    )
    return (
        agg.with_columns(slack.alias("slack"))
        .with_columns(r.alias("R"))
        .with_columns(
            ((pl.col("R") > 0) & ((n_qual < 2) | (caps < pl.col("R") - 1e-9))).alias("unlisted"),
            pl.max_horizontal(pl.lit(100.0), pl.col("reported") + pl.col("R")).alias("total"),
        )
        .drop("_nrep", "_frac", "_unq", "_n_major", "_n_neg")
    )


def firm_table(cmap: ChainMap, view: str = "hq", year: int | None = None) -> pl.DataFrame:
    """Per node and firm: ``node_id, provider_id, iso3, pct, qual, lines, view, year`` (cached)."""
    key = ("firms", view, year)
    cached = cmap.cache.get(key)
    if isinstance(cached, pl.DataFrame):
        return cached
    rows = select_rows(cmap.provision.filter(pl.col("provider_type") != "country"), view, year)
    out = (
        rows.group_by("node_id", "provider_id")
        .agg(
            pl.col("country").first().alias("iso3"),
            pl.col("share").sum().alias("_sum"),
            pl.col("share").count().alias("_n"),
            pl.col("negligible").fill_null(False).all().alias("_neg"),
            pl.col("source_line").drop_nulls().cast(pl.Int32).sort().alias("lines"),
            pl.col("share_view").first().alias("view"),
            pl.col("year").first().cast(pl.Int32).alias("year"),
        )
        .with_columns(
            pl.when(pl.col("_n") > 0).then(pl.col("_sum")).otherwise(None).alias("pct"),
            pl.when(pl.col("_n") > 0)
            .then(None)
            .when(pl.col("_neg"))
            .then(pl.lit("negligible"))
            .otherwise(pl.lit("major"))
            .alias("qual"),
        )
        .drop("_sum", "_n", "_neg")
        .sort("node_id", "provider_id")
    )
    cmap.cache[key] = out
    return out


def positions(cmap: ChainMap) -> pl.DataFrame:
    """``node_id`` → ``_i`` (position in map order) for the nodes that have holders (cached)."""
    key = ("holder_positions",)
    cached = cmap.cache.get(key)
    if isinstance(cached, pl.DataFrame):
        return cached
    ids = cmap.node_frame["node_id"]
    with_rows = cmap.provision.select("node_id").unique()
    out = (
        pl.DataFrame({"node_id": ids, "_i": np.arange(ids.len(), dtype=np.int64)})
        .join(with_rows, on="node_id", how="semi")
    )
    cmap.cache[key] = out
    return out


def cached_node_table(cmap: ChainMap, holders: pl.DataFrame, key: tuple[object, ...]) -> pl.DataFrame:
    """:func:`node_table` of a cached holder table, cached with it."""
    k = ("node_table", *key)
    cached = cmap.cache.get(k)
    if isinstance(cached, pl.DataFrame):
        return cached
    out = node_table(holders)
    cmap.cache[k] = out
    return out


def region_for(code: str) -> Region | None:
    """The declared region with this code (None for an economy or the implicit '*unlisted')."""
    return next((r for r in regions() if r.code == code), None)
