"""Who supplies each node, for every node at once: the vectorised basis of measures and scenarios.

:func:`supply_table` gives one row per (node, economy) with the share as published *and* a share usable
in arithmetic, ``share``, a fraction of the node's market:

* **rows used**: per node, one view (``hq``, ``site``, or ``auto`` = hq where the node has hq rows, else
  site) and one year (the latest the node has in that view, or the ``year`` asked for); country rows
  where the node has them, else firm rows summed by HQ economy;
* **qualitative providers** (blank share, ETO's "major"): the part of the market the quantified shares
  leave unexplained, ``max(0, 100 - Σ quantified)``, is split equally among them (``estimated = True``);
  negligible providers get 0;
* **normalisation**: ``share = pct / max(100, Σ pct)``: rounding above 100% is scaled back, a shortfall
  below 100% stays unlisted (counted as other suppliers, never as the target or a restricted country).

:func:`firm_table` does the same for firms (used when a scenario restricts named firms).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from autarky.errors import UsageError

if TYPE_CHECKING:
    from autarky.chains.map import ChainMap

__all__ = [
    "SUPPLY_VIEWS",
    "country_supply",
    "firm_index",
    "firm_table",
    "select_rows",
    "supplier_index",
    "supply_table",
]

SUPPLY_VIEWS = ("hq", "site", "auto")


def select_rows(provision: pl.DataFrame, view: str = "hq", year: int | None = None) -> pl.DataFrame:
    """Provision rows in one view and year per node (see the module docstring)."""
    if view not in SUPPLY_VIEWS:
        raise UsageError(f"view must be one of {', '.join(SUPPLY_VIEWS)} (got {view!r})")
    rows = provision
    if view == "auto":
        is_hq = pl.col("share_view") == "hq"
        rows = rows.filter(is_hq == is_hq.any().over("node_id"))
    else:
        rows = rows.filter(pl.col("share_view") == view)
    if year is not None:
        return rows.filter(pl.col("year") == year)
    return rows.filter(pl.col("year") == pl.col("year").max().over("node_id"))


def _shares(rows: pl.DataFrame, key: str) -> pl.DataFrame:
    grouped = rows.group_by("node_id", key).agg(
        pl.col("share").sum().alias("pct_sum"),
        pl.col("share").count().alias("n_numeric"),
        (pl.col("negligible").fill_null(False).not_()).any().alias("major"),
        pl.col("share_view").first().alias("view"),
        pl.col("year").first().alias("year"),
    )
    pct = pl.when(pl.col("n_numeric") > 0).then(pl.col("pct_sum")).otherwise(None)
    qual = (
        pl.when(pl.col("n_numeric") > 0)
        .then(None)
        .when(pl.col("major"))
        .then(pl.lit("major"))
        .otherwise(pl.lit("negligible"))
    )
    out = grouped.with_columns(pct.alias("share_pct"), qual.alias("qualitative"))
    node_total = pl.col("share_pct").sum().over("node_id")
    n_major = (pl.col("qualitative") == "major").sum().over("node_id")
    remainder = pl.max_horizontal(pl.lit(0.0), 100.0 - node_total.fill_null(0.0))
    estimate = (
        pl.when(pl.col("share_pct").is_not_null())
        .then(pl.col("share_pct"))
        .when(pl.col("qualitative") == "major")
        .then(remainder / n_major.cast(pl.Float64))
        .otherwise(0.0)
    )
    out = out.with_columns(estimate.alias("_est"))
    denom = pl.max_horizontal(pl.lit(100.0), pl.col("_est").sum().over("node_id"))
    return out.with_columns(
        (pl.col("_est") / denom).alias("share"),
        pl.col("share_pct").is_null().alias("estimated"),
    ).drop("_est", "pct_sum", "n_numeric", "major")


def supply_table(cmap: ChainMap, view: str = "hq", year: int | None = None) -> pl.DataFrame:
    """Per node and economy: ``node_id, iso3, share_pct, qualitative, share, estimated, view, year``.

    ``iso3`` null = other / unattributed.  Cached on the map per (view, year).
    """
    key = ("supply", view, year)
    cached = cmap.cache.get(key)
    if isinstance(cached, pl.DataFrame):
        return cached
    out = country_supply(cmap.provision, view, year)
    cmap.cache[key] = out
    return out


def country_supply(provision: pl.DataFrame, view: str = "hq", year: int | None = None) -> pl.DataFrame:
    """:func:`supply_table` over a bare provision frame (columns of ``PROVISION_SCHEMA``), uncached."""
    rows = select_rows(provision, view, year)
    is_country = pl.col("provider_type") == "country"
    rows = rows.filter(is_country == is_country.any().over("node_id"))
    return _shares(rows, "country").rename({"country": "iso3"}).sort("node_id", "iso3", nulls_last=True)


def firm_table(cmap: ChainMap, view: str = "hq", year: int | None = None) -> pl.DataFrame:
    """Per node and firm: ``node_id, provider_id, iso3, share_pct, qualitative, share, estimated, view, year``."""
    key = ("firms", view, year)
    cached = cmap.cache.get(key)
    if isinstance(cached, pl.DataFrame):
        return cached
    rows = select_rows(cmap.provision.filter(pl.col("provider_type") != "country"), view, year)
    hq = rows.select("provider_id", "country").unique("provider_id")
    out = (
        _shares(rows, "provider_id")
        .join(hq, on="provider_id", how="left")
        .rename({"country": "iso3"})
        .sort("node_id", "provider_id")
    )
    cmap.cache[key] = out
    return out


def supplier_index(
    cmap: ChainMap, view: str = "hq", year: int | None = None
) -> dict[str, list[tuple[str | None, float, bool]]]:
    """Per node: ``[(iso3, share, estimated), …]`` largest first (cached; for explanations)."""
    key = ("supplier_index", view, year)
    cached = cmap.cache.get(key)
    if isinstance(cached, dict):
        return cached
    out: dict[str, list[tuple[str | None, float, bool]]] = {}
    st = supply_table(cmap, view, year).sort(
        "node_id", "share", "iso3", descending=[False, True, False], nulls_last=True
    )
    for node, iso3, share, est in st.select("node_id", "iso3", "share", "estimated").iter_rows():
        out.setdefault(node, []).append((iso3, float(share or 0.0), bool(est)))
    cmap.cache[key] = out
    return out


def firm_index(
    cmap: ChainMap, view: str = "hq", year: int | None = None
) -> dict[tuple[str, str | None], list[tuple[str, float]]]:
    """Per (node, HQ economy): ``[(provider_id, share), …]`` largest first (cached; for explanations)."""
    key = ("firm_index", view, year)
    cached = cmap.cache.get(key)
    if isinstance(cached, dict):
        return cached
    out: dict[tuple[str, str | None], list[tuple[str, float]]] = {}
    ft = firm_table(cmap, view, year).sort(
        "node_id", "share", "provider_id", descending=[False, True, False], nulls_last=True
    )
    for node, iso3, pid, share in ft.select("node_id", "iso3", "provider_id", "share").iter_rows():
        out.setdefault((node, iso3), []).append((pid, float(share or 0.0)))
    cmap.cache[key] = out
    return out
