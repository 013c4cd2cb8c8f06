"""Where the money goes: flows by any grouping, concentration (HHI) and failed projects.

Pure functions over the enriched deals frame (:func:`autarky.money.frames.enrich_deals`).  Values are
summed in CNY (``amount_cny``) and USD (``amount_usd``) as converted on import; a deal with no amount
counts in ``deals`` but adds nothing, and one whose amount could not be converted is counted in
``cny_missing`` / ``usd_missing`` so a total never hides what it leaves out.  Planned investment
(``amount_basis = planned``: a project's announced total, not money that moved) is left out of flows
and concentration unless ``include_planned`` is set; it always counts among failed projects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from autarky.errors import UsageError
from autarky.money.validate import FAILED_STATUSES

__all__ = [
    "DIMENSIONS",
    "Concentration",
    "concentration",
    "explode_nodes",
    "failed_projects",
    "flows",
    "flows_by_phase",
    "group_columns",
    "select_deals",
]

#: ``--by`` names and the deal columns they group on.
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "fund": ("fund_id", "fund_name"),
    "fund_level": ("fund_level",),
    "level": ("fund_level",),
    "phase": ("phase",),
    "fund_province": ("fund_province",),
    "investee": ("investee_id", "investee_name"),
    "economy": ("hq_economy",),
    "province": ("province",),
    "city": ("city",),
    "sector": ("sector",),
    "segment": ("segment",),
    "node": ("node_id",),
    "year": ("year",),
    "status": ("status",),
    "deal_type": ("deal_type",),
    "currency": ("currency",),
}


def group_columns(by: Sequence[str]) -> list[str]:
    cols: list[str] = []
    for name in by:
        key = name.strip().lower()
        if key not in DIMENSIONS:
            raise UsageError(f"cannot group by {name!r}; choose from {', '.join(sorted(DIMENSIONS))}")
        cols.extend(c for c in DIMENSIONS[key] if c not in cols)
    return cols


def select_deals(deals: pl.DataFrame, *, include_planned: bool = False,
                 statuses: Sequence[str] | None = None) -> pl.DataFrame:
    """Deals kept for a flow: planned totals out unless asked for, optionally only some statuses."""
    out = deals
    if not include_planned:
        out = out.filter(pl.col("amount_basis").fill_null("") != "planned")
    if statuses:
        out = out.filter(pl.col("status").is_in(list(statuses)))
    return out


def explode_nodes(deals: pl.DataFrame) -> pl.DataFrame:
    """One row per (deal, node) with each amount split equally over the deal's nodes.

    A deal linked to n map nodes puts 1/n of its value on each; a deal with none keeps one row with
    ``node_id`` null.  Totals are therefore unchanged by the split.
    """
    n = pl.col("node_ids").list.len()
    split = [(pl.col(c) / pl.when(n > 0).then(n).otherwise(1)).alias(c)
             for c in ("amount", "amount_usd", "amount_cny")]
    return (
        deals.with_columns(*split,
                           pl.when(n > 0).then(pl.col("node_ids")).otherwise(pl.lit([None], pl.List(pl.String)))
                           .alias("node_id"))
        .explode("node_id")
    )


def _sum_or_null(col: str) -> pl.Expr:
    return pl.when(pl.col(col).is_not_null().any()).then(pl.col(col).sum()).otherwise(None).alias(col)


def flows(deals: pl.DataFrame, by: Sequence[str], *, include_planned: bool = False,
          statuses: Sequence[str] | None = None) -> pl.DataFrame:
    """Sum of deal value per group: ``Σ amount_cny`` and ``Σ amount_usd`` with deal counts.

    ``by`` names dimensions from :data:`DIMENSIONS` (``phase``, ``segment``, ``province``, ``year``,
    ``fund``, ``node`` …).  Columns: the group columns, ``deals``, ``with_amount``, ``amount_cny``,
    ``amount_usd``, ``cny_missing``, ``usd_missing``; largest CNY value first.
    """
    cols = group_columns(by)
    data = select_deals(deals, include_planned=include_planned, statuses=statuses)
    if "node_id" in cols:
        data = explode_nodes(data)
    if not cols:
        data = data.with_columns(pl.lit("all").alias("total"))
        cols = ["total"]
    out = data.group_by(cols).agg(
        pl.len().cast(pl.Int64).alias("deals"),
        pl.col("amount").is_not_null().sum().cast(pl.Int64).alias("with_amount"),
        _sum_or_null("amount_cny"),
        _sum_or_null("amount_usd"),
        (pl.col("amount").is_not_null() & pl.col("amount_cny").is_null()).sum().cast(pl.Int64)
        .alias("cny_missing"),
        (pl.col("amount").is_not_null() & pl.col("amount_usd").is_null()).sum().cast(pl.Int64)
        .alias("usd_missing"),
    )
    return out.sort(["amount_cny", *cols], descending=[True] + [False] * len(cols), nulls_last=True)


_PHASE_ORDER = {"I": 1, "II": 2, "III": 3, "IV": 4}


def flows_by_phase(deals: pl.DataFrame, *, include_planned: bool = False,
                   statuses: Sequence[str] | None = None) -> pl.DataFrame:
    """Flows by fund phase, with the deals of funds that have no phase broken down by fund level and fund.

    A phase is a stage of one national programme (Big Fund I, II, III); provincial, municipal, SOE and
    private funds have none, and a deal may have no identified fund at all.  Lumping those together would
    hide who paid, so each such deal is grouped by its fund's level and by the fund itself.  Columns:
    ``bucket`` (``Phase I`` … or ``no phase · <level> · <fund>``), ``phase``, ``fund_level``, ``fund_id``,
    ``fund_name`` (the last three null on phased rows), then the columns of :func:`flows`.  Phased rows
    first, in phase order; then the rest by CNY value.  The CNY totals equal ``flows(deals, [])``.
    """
    phased = flows(deals.filter(pl.col("phase").is_not_null()), ["phase"], include_planned=include_planned,
                   statuses=statuses)
    loose = deals.filter(pl.col("phase").is_null())
    split = flows(loose, ["fund_level", "fund"], include_planned=include_planned, statuses=statuses) \
        if loose.height else pl.DataFrame()
    empty_cols = {"fund_level": pl.String, "fund_id": pl.String, "fund_name": pl.String}
    phased = phased.with_columns(
        *(pl.lit(None, t).alias(c) for c, t in empty_cols.items()),
        (pl.lit("Phase ") + pl.col("phase")).alias("bucket"),
        pl.col("phase").replace_strict(_PHASE_ORDER, default=99, return_dtype=pl.Int32).alias("_order"),
    )
    parts = [phased]
    if split.height:
        level = pl.col("fund_level").fill_null("level not recorded")
        name = pl.col("fund_name").fill_null(pl.col("fund_id")).fill_null("fund not identified")
        parts.append(split.with_columns(
            pl.lit(None, pl.String).alias("phase"),
            (pl.lit("no phase · ") + level + pl.lit(" · ") + name).alias("bucket"),
            pl.lit(1000, pl.Int32).alias("_order"),
        ))
    cols = ["bucket", "phase", "fund_level", "fund_id", "fund_name", "deals", "with_amount", "amount_cny",
            "amount_usd", "cny_missing", "usd_missing"]
    out = pl.concat([p.select([*cols, "_order"]) for p in parts], how="vertical_relaxed")
    return out.sort(["_order", "amount_cny", "bucket"], descending=[False, True, False], nulls_last=True) \
        .drop("_order")


@dataclass(frozen=True)
class Concentration:
    """HHI of deal value over a dimension: ``HHI = Σ_g s_g²`` with ``s_g = v_g / Σ v``."""

    over: str
    hhi: float | None  # 1/n (even) .. 1 (all in one group); None when no value has a known group
    groups: int
    value: float  # value with a known group
    coverage: float | None  # that value over all value (unknown groups excluded from the HHI)
    shares: pl.DataFrame  # group, value, share


def concentration(deals: pl.DataFrame, over: str, *, value: str = "amount_cny",
                  include_planned: bool = False) -> Concentration:
    """Herfindahl–Hirschman index of deal value over ``segment``, ``province`` or any dimension.

    Shares are fractions of the value whose group is known; deals without a value are ignored and value
    without a group is reported through ``coverage``.  (Rhoades 1993, Federal Reserve Bulletin 79.)
    """
    cols = group_columns([over])
    if value not in ("amount_cny", "amount_usd"):
        raise UsageError("value is amount_cny or amount_usd")
    data = select_deals(deals, include_planned=include_planned)
    if "node_id" in cols:
        data = explode_nodes(data)
    data = data.filter(pl.col(value).is_not_null())
    total = float(data[value].sum()) if data.height else 0.0
    key = cols[-1] if over != "fund" and over != "investee" else cols[0]
    known = data.filter(pl.col(key).is_not_null())
    grouped = known.group_by(key).agg(pl.col(value).sum().alias("value")).sort(
        ["value", key], descending=[True, False])
    known_total = float(grouped["value"].sum()) if grouped.height else 0.0
    if known_total > 0:
        grouped = grouped.with_columns((pl.col("value") / known_total).alias("share"))
        hhi: float | None = float((grouped["share"] ** 2).sum())
    else:
        grouped = grouped.with_columns(pl.lit(None, pl.Float64).alias("share"))
        hhi = None
    return Concentration(over=over, hhi=hhi, groups=grouped.height, value=known_total,
                         coverage=known_total / total if total > 0 else None, shares=grouped)


def failed_projects(deals: pl.DataFrame, *, statuses: Sequence[str] = FAILED_STATUSES) -> pl.DataFrame:
    """Count and value of failed, abandoned and written-off deals, per status (planned totals included)."""
    data = deals.filter(pl.col("status").is_in(list(statuses)))
    out = data.group_by("status").agg(
        pl.len().cast(pl.Int64).alias("deals"),
        pl.col("amount").is_not_null().sum().cast(pl.Int64).alias("with_amount"),
        _sum_or_null("amount_cny"),
        _sum_or_null("amount_usd"),
        pl.col("investee_name").sort().str.join("; ").alias("investees"),
    )
    missing = [s for s in statuses if s not in set(out["status"].to_list())]
    if missing:
        out = pl.concat([out, pl.DataFrame({
            "status": missing, "deals": [0] * len(missing), "with_amount": [0] * len(missing),
            "amount_cny": [None] * len(missing), "amount_usd": [None] * len(missing),
            "investees": [""] * len(missing)}, schema=out.schema)])
    order = {s: i for i, s in enumerate(statuses)}
    return out.sort(pl.col("status").replace_strict(order, default=len(order), return_dtype=pl.Int32))
