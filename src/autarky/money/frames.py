"""The loaded ledger as Polars frames, one row per entity and one enriched row per deal.

Only the latest vintage of each ledger dataset counts.  Entities are merged by id across ledgers (the
first non-empty value of each attribute wins, newest dataset first) and through the merges a user
accepted (``autarky money resolve``).  Each deal row carries its fund's level, phase and province and its
investee's economy, province, city, sector, segment and map nodes, which every analysis groups by.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace

import polars as pl

from autarky.money.store_io import (
    canonical_ids,
    current_ledger_datasets,
    decisions,
    empty_frame,
    read_ledger_table,
)
from autarky.store import Store

__all__ = ["DEAL_COLUMNS", "LedgerFrames", "collapse_entities", "enrich_deals", "load_frames"]

DEAL_COLUMNS: dict[str, pl.DataType | type[pl.DataType]] = {
    "deal_id": pl.String, "fund_id": pl.String, "fund_name": pl.String, "fund_level": pl.String,
    "phase": pl.String, "fund_province": pl.String, "fund_economy": pl.String, "investee_id": pl.String,
    "investee_name": pl.String, "hq_economy": pl.String, "province": pl.String, "city": pl.String,
    "sector": pl.String, "segment": pl.String, "node_ids": pl.List(pl.String), "amount": pl.Float64,
    "currency": pl.String, "amount_basis": pl.String, "amount_usd": pl.Float64, "amount_cny": pl.Float64,
    "usd_rate": pl.Float64, "cny_rate": pl.Float64, "fx_year": pl.Int32, "date": pl.Date, "year": pl.Int32,
    "stake_pct": pl.Float64, "deal_type": pl.String, "status": pl.String, "confidence": pl.String,
    "source_document": pl.String, "source_locator": pl.String, "dataset_id": pl.Int64,
    "source_publisher": pl.String, "source_date": pl.String, "source_file": pl.String, "source_line": pl.Int32,
    "fx_source": pl.String, "notes": pl.String,
}


@dataclass(frozen=True)
class LedgerFrames:
    """Funds, investees, enriched deals, shareholders, figures and statuses of the current ledgers."""

    funds: pl.DataFrame
    investees: pl.DataFrame
    deals: pl.DataFrame
    shareholders: pl.DataFrame
    figures: pl.DataFrame
    dataset_ids: tuple[int, ...]
    statuses: pl.DataFrame = field(default_factory=lambda: empty_frame("entity_statuses"))

    @property
    def empty(self) -> bool:
        return not self.dataset_ids


def collapse_entities(frame: pl.DataFrame, id_col: str, merges: Mapping[str, str]) -> pl.DataFrame:
    """One row per (merged) entity id: first non-null value per column, newest dataset first."""
    if frame.height == 0:
        return frame
    mapping = dict(merges)
    frame = frame.with_columns(
        pl.col(id_col).replace_strict(mapping, default=pl.col(id_col), return_dtype=pl.String)
    )
    order = ["dataset_id", "source_line"] if "source_line" in frame.columns else ["dataset_id"]
    if "implicit" in frame.columns:
        frame = frame.with_columns(pl.col("implicit").fill_null(False))
        frame = frame.sort(["implicit", *order], descending=[False, True] + [False] * (len(order) - 1))
    else:
        frame = frame.sort(order, descending=[True] + [False] * (len(order) - 1))
    others = [c for c in frame.columns if c != id_col]
    return frame.group_by(id_col, maintain_order=True).agg(
        [pl.col(c).drop_nulls().first().alias(c) for c in others]
    )


def enrich_deals(deals: pl.DataFrame, funds: pl.DataFrame, investees: pl.DataFrame,
                 fund_merges: Mapping[str, str] | None = None,
                 investee_merges: Mapping[str, str] | None = None) -> pl.DataFrame:
    """Deals joined to their (collapsed) fund and investee: the frame every analysis reads."""
    fm, im = dict(fund_merges or {}), dict(investee_merges or {})
    if deals.height == 0:
        return pl.DataFrame(schema=DEAL_COLUMNS)
    d = deals.with_columns(
        pl.col("fund_id").replace_strict(fm, default=pl.col("fund_id"), return_dtype=pl.String),
        pl.col("investee_id").replace_strict(im, default=pl.col("investee_id"), return_dtype=pl.String),
    )
    f = collapse_entities(funds, "fund_id", fm).select(
        "fund_id", pl.col("name").alias("fund_name"), pl.col("level").alias("fund_level"), "phase",
        pl.col("province").alias("fund_province"), pl.col("economy").alias("fund_economy"),
    ) if funds.height else pl.DataFrame(schema={"fund_id": pl.String, "fund_name": pl.String,
                                                "fund_level": pl.String, "phase": pl.String,
                                                "fund_province": pl.String, "fund_economy": pl.String})
    i = collapse_entities(investees, "investee_id", im).select(
        "investee_id", pl.col("name").alias("investee_name"), "hq_economy", "province", "city", "sector",
        "segment", pl.col("node_ids").alias("_nodes"),
    ) if investees.height else pl.DataFrame(schema={
        "investee_id": pl.String, "investee_name": pl.String, "hq_economy": pl.String, "province": pl.String,
        "city": pl.String, "sector": pl.String, "segment": pl.String, "_nodes": pl.String})
    out = (
        d.join(f, on="fund_id", how="left")
        .join(i, on="investee_id", how="left")
        .with_columns(
            pl.col("_nodes").fill_null("").str.split(";")
            .list.eval(pl.element().str.strip_chars().filter(pl.element() != "")).alias("node_ids"),
            pl.col("date").dt.year().cast(pl.Int32).alias("year"),
            pl.col("fx_year").cast(pl.Int32),
        )
    )
    return out.select([pl.col(c).cast(t) for c, t in DEAL_COLUMNS.items()])


def load_frames(store: Store, *, economy: Collection[str] | None = None) -> LedgerFrames:
    """Read the current ledgers; ``economy`` (ISO3 codes) keeps deals whose investee is based there.

    A deal whose investee has no recorded economy is kept when its fund's economy is in ``economy``.  A
    read-only store reads the ledgers once (Polars frames are not changed in place: share them as they are).
    """
    whole = store.remember(("money.load_frames",), lambda: _read_frames(store))
    if economy is None:
        return whole
    members = list(economy)
    return replace(whole, deals=whole.deals.filter(
        pl.col("hq_economy").is_in(members)
        | (pl.col("hq_economy").is_null() & pl.col("fund_economy").is_in(members))
    ))


def _read_frames(store: Store) -> LedgerFrames:
    ids = current_ledger_datasets(store)
    merges: dict[str, dict[str, str]] = {}
    for kind in ("fund", "investee"):
        merges[kind] = canonical_ids(
            (d["entity_id"], d["candidate_id"]) for d in decisions(store, kind) if d["decision"] == "merge"
        )
    funds = read_ledger_table(store, "funds", ids)
    investees = read_ledger_table(store, "investees", ids)
    deals = enrich_deals(read_ledger_table(store, "deals", ids), funds, investees, merges["fund"],
                         merges["investee"])
    shareholders = read_ledger_table(store, "fund_shareholders", ids)
    if shareholders.height and merges["fund"]:
        shareholders = shareholders.with_columns(
            pl.col("fund_id").replace_strict(merges["fund"], default=pl.col("fund_id"), return_dtype=pl.String))
    statuses = read_ledger_table(store, "entity_statuses", ids)
    if statuses.height:
        statuses = statuses.with_columns(
            pl.when(pl.col("entity_type") == "fund")
            .then(pl.col("entity_id").replace_strict(merges["fund"], default=pl.col("entity_id"),
                                                     return_dtype=pl.String))
            .otherwise(pl.col("entity_id").replace_strict(merges["investee"], default=pl.col("entity_id"),
                                                          return_dtype=pl.String))
            .alias("entity_id"))
    return LedgerFrames(
        funds=collapse_entities(funds, "fund_id", merges["fund"]),
        investees=collapse_entities(investees, "investee_id", merges["investee"]),
        deals=deals,
        shareholders=shareholders,
        figures=read_ledger_table(store, "ledger_figures", ids),
        dataset_ids=tuple(ids),
        statuses=statuses,
    )
