"""Redundancy: the same segment or map node funded by many provinces or local funds at once.

The "duplicated projects" of local industrial policy: for every segment (or node), slide a window of
``window`` calendar years over the years with deals and count the distinct *funders* -- provinces
(``count="provinces"``: the fund's province, else the investee's) or local funds (``count="funds"``) --
among deals whose fund level is one of ``levels`` (provincial and municipal by default).  A key is
flagged when some window reaches ``k`` funders; the first such window with the most funders is reported.
Deals without a year or a key cannot be placed and are left out.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from autarky.errors import UsageError
from autarky.money.flows import explode_nodes

__all__ = ["redundancy"]

_SCHEMA = {
    "key": pl.String, "window_start": pl.Int32, "window_end": pl.Int32, "funders": pl.Int64,
    "funder_list": pl.String, "deals": pl.Int64, "amount_cny": pl.Float64, "deal_ids": pl.String,
}


def redundancy(deals: pl.DataFrame, *, by: str = "segment", k: int = 3, window: int = 3,
               count: str = "provinces", levels: Sequence[str] | None = ("provincial", "municipal")
               ) -> pl.DataFrame:
    """Segments (``by="segment"``) or map nodes (``by="node"``) funded by at least ``k`` distinct funders
    within ``window`` years.  ``levels=None`` counts every fund level.

    Columns: ``key``, ``window_start``, ``window_end``, ``funders``, ``funder_list``, ``deals``,
    ``amount_cny`` (known values in the window; a node's share when split), ``deal_ids``.
    """
    if k < 1 or window < 1:
        raise UsageError("k and window must be at least 1")
    if by not in ("segment", "node"):
        raise UsageError("redundancy is by segment or node")
    if count not in ("provinces", "funds"):
        raise UsageError("count provinces or funds")
    data = deals
    if levels is not None:
        data = data.filter(pl.col("fund_level").is_in(list(levels)))
    if by == "node":
        data = explode_nodes(data).rename({"node_id": "key"})
    else:
        data = data.with_columns(pl.col("segment").alias("key"))
    funder = (pl.coalesce("fund_province", "province") if count == "provinces"
              else pl.coalesce("fund_id", "fund_name"))
    data = data.with_columns(funder.alias("funder")).filter(
        pl.col("key").is_not_null() & pl.col("year").is_not_null() & pl.col("funder").is_not_null())
    rows: list[dict[str, object]] = []
    for (key,), group in data.group_by(["key"], maintain_order=True):
        years = sorted(set(group["year"].to_list()))
        best: dict[str, object] | None = None
        for start in years:
            end = start + window - 1
            w = group.filter(pl.col("year").is_between(start, end))
            funders = sorted(set(w["funder"].to_list()))
            if len(funders) >= k and (best is None or len(funders) > int(str(best["funders"]))):
                amounts = w["amount_cny"].drop_nulls()
                best = {
                    "key": key, "window_start": start, "window_end": end, "funders": len(funders),
                    "funder_list": "; ".join(funders), "deals": w.height,
                    "amount_cny": float(amounts.sum()) if amounts.len() else None,
                    "deal_ids": "; ".join(sorted(set(w["deal_id"].to_list()))),
                }
        if best is not None:
            rows.append(best)
    out = pl.DataFrame(rows, schema=_SCHEMA) if rows else pl.DataFrame(schema=_SCHEMA)
    return out.sort(["funders", "key"], descending=[True, False])
