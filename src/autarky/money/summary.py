"""The money section of a country assessment: flows by phase, alignment, failed projects, the funds."""

from __future__ import annotations

from typing import Any

import polars as pl

from autarky.errors import UnknownItemError, UsageError
from autarky.money.alignment import alignment, chain_node_classes
from autarky.money.flows import failed_projects, flows, flows_by_phase
from autarky.money.frames import LedgerFrames, load_frames
from autarky.store import Store

__all__ = ["money_summary"]


def money_summary(store: Store, economy: str = "CHN", frames: LedgerFrames | None = None) -> dict[str, Any]:
    """Investment flows by phase, their alignment with the economy's chokepoints, failed projects and the
    funds' capital, for deals whose investee is based in ``economy`` (an ISO3 code, name or bloc).

    ``frames`` are the economy's ledger frames when the caller has them already.
    Never raises for missing data: ``loaded`` is False when no ledger is in the store, and
    ``alignment`` is None (with ``alignment_note`` saying why) when no supply-chain map is.
    """
    resolved = store.resolve(economy)
    out: dict[str, Any] = {"economy": resolved.label, "loaded": False}
    if frames is None:
        frames = load_frames(store, economy=resolved.members)
    if frames.empty:
        out["message"] = "no investment ledger is loaded; run `autarky init` or `autarky import ledger PATH`"
        return out
    deals = frames.deals
    out.update(
        loaded=True,
        datasets=list(frames.dataset_ids),
        deals=deals.height,
        deals_with_amount=int(deals["amount"].is_not_null().sum()),
        deals_with_source=int(deals["source_document"].is_not_null().sum()),
        flows_by_phase=flows(deals, ["phase"]).to_dicts(),
        # the same flows with the unphased deals broken down by fund level and fund (``bucket`` labels them)
        flows_by_phase_detail=flows_by_phase(deals).to_dicts(),
        failed=failed_projects(deals).to_dicts(),
        funds=frames.funds.filter(pl.col("economy").is_in(list(resolved.members)) | pl.col("economy").is_null())
        .select("fund_id", "name", "level", "phase", "established", "registered_capital", "raised_capital",
                "currency", "registered_capital_usd", "raised_capital_usd", "source_document")
        .sort("fund_id").to_dicts() if frames.funds.height else [],
    )
    try:
        classes = chain_node_classes(store, resolved.members)
    except (UnknownItemError, UsageError) as exc:
        out["alignment"] = None
        out["alignment_note"] = str(exc)
        return out
    out["alignment"] = alignment(deals, classes, by=["phase"]).to_dicts()
    out["alignment_note"] = (
        "share of deal value on the economy's chokepoint nodes vs nodes it supplies itself (>= 50% of the "
        "market), by fund phase; deals whose investee has no map node are 'unmapped'"
    )
    return out
