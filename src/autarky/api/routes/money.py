"""State investment ledgers: flows (fund → segment …), alignment with chokepoints, redundancy, failures.

Each endpoint reads the current ledgers (:func:`autarky.money.load_frames`) and calls one function of
:mod:`autarky.money`; amounts are converted at annual average rates of each deal's year.
"""

from __future__ import annotations

from typing import Annotated, Literal

import polars as pl
from fastapi import APIRouter, Query
from pydantic import BaseModel

from autarky import money as m
from autarky.api.deps import MAX_TEXT, HubDep, PagingDep, resolve_economy
from autarky.api.errors import ERROR_RESPONSES
from autarky.api.hub import StoreHub
from autarky.api.tables import TableOut, dataset_sources, table_out
from autarky.errors import UsageError
from autarky.money.flows import DIMENSIONS
from autarky.store import Store

router = APIRouter(prefix="/api/money", tags=["investment"], responses=ERROR_RESPONSES)

EconomyFilter = Annotated[str | None, Query(min_length=1, max_length=MAX_TEXT,
                                            description="Only deals whose investee is based here.")]
_DIM = "(" + "|".join(sorted(DIMENSIONS, key=lambda d: (-len(d), d))) + ")"
By = Annotated[str, Query(max_length=MAX_TEXT, pattern=f"^{_DIM}(,{_DIM})*$",
                          description=f"Comma-separated: {', '.join(sorted(DIMENSIONS))}.")]
Over = Annotated[str, Query(max_length=40, pattern=f"^{_DIM}$", description="A dimension: segment, province …")]
# Alignment already spreads each deal over its investee's map nodes: every dimension but the node itself.
_ADIM = "(" + "|".join(sorted((d for d in DIMENSIONS if d != "node"), key=lambda d: (-len(d), d))) + ")"
AlignBy = Annotated[str, Query(max_length=MAX_TEXT, pattern=f"^{_ADIM}(,{_ADIM})*$",
                               description="Comma-separated dimensions (not node).")]
Planned = Annotated[bool, Query(description="Count planned project totals (e.g. failed fabs' plans).")]
_NOTE = ("Amounts converted at Federal Reserve G.5A annual averages of each deal's year; "
         "every deal keeps its source document (`/api/money/deals`).")


def _dims(by: str) -> list[str]:
    dims = [b for b in by.split(",") if b]
    unknown = [d for d in dims if d not in DIMENSIONS]
    if unknown:
        raise UsageError(f"unknown dimension(s) {', '.join(unknown)}; use {', '.join(sorted(DIMENSIONS))}")
    return dims


def _frames(hub: StoreHub, store: Store, economy: str | None) -> tuple[str | None, m.LedgerFrames]:
    label = resolve_economy(hub, store, economy) if economy else None
    frames = hub.cached(("ledger-frames", label.label if label else None),
                        lambda: m.load_frames(store, economy=label.members if label else None))
    return (label.label if label else None), frames


def _table(store: Store, frames: m.LedgerFrames, data: pl.DataFrame, title: str, paging: PagingDep,
           notes: list[str] | None = None) -> TableOut:
    extra = [] if frames.dataset_ids else ["No investment ledger is loaded: `autarky import ledger PATH`."]
    return table_out(data, title=title, sources=dataset_sources(store, frames.dataset_ids), paging=paging,
                     notes=[*(notes or [_NOTE]), *extra])


@router.get("/flows", response_model=TableOut, summary="Deal value (CNY, USD) and counts per fund, phase, segment …")
def money_flows(
    hub: HubDep, paging: PagingDep, by: By = "fund,segment", economy: EconomyFilter = None,
    status: Annotated[str | None, Query(max_length=MAX_TEXT, pattern=r"^[a-z_ -]+(,[a-z_ -]+)*$",
                                        description="Only these statuses, comma-separated.")] = None,
    include_planned: Planned = False,
) -> TableOut:
    dims = _dims(by)
    with hub.reader() as store:
        label, frames = _frames(hub, store, economy)
        statuses = [s.strip() for s in status.split(",")] if status else None
        out = hub.cached(("money-flows", label, tuple(dims), tuple(statuses or ()), include_planned),
                         lambda: m.flows(frames.deals, dims, include_planned=include_planned, statuses=statuses))
        return _table(store, frames, out, f"Investment flows by {', '.join(dims)}", paging)


@router.get("/alignment", response_model=TableOut,
            summary="Share of deal value going to the economy's chokepoints vs nodes it supplies itself")
def money_alignment(
    hub: HubDep, paging: PagingDep,
    economy: Annotated[str, Query(min_length=1, max_length=MAX_TEXT)] = "CHN",
    by: AlignBy = "phase",
    usd: Annotated[bool, Query(description="Weigh deals in USD instead of CNY.")] = False,
    self_supplied_at: Annotated[float, Query(ge=0, le=100, description="Domestic share (%) that is self-supply.")]
    = 50.0,
    include_planned: Planned = False,
) -> TableOut:
    dims = _dims(by)
    with hub.reader() as store:
        label, frames = _frames(hub, store, economy)
        members = resolve_economy(hub, store, economy).members

        def compute() -> pl.DataFrame:
            classes = m.chain_node_classes(store, members, self_supplied_at=self_supplied_at)
            return m.alignment(frames.deals, classes, by=dims, value="amount_usd" if usd else "amount_cny",
                               include_planned=include_planned)

        out = hub.cached(("money-alignment", label, tuple(dims), usd, self_supplied_at, include_planned), compute)
        chains = store.latest_dataset("eto") or store.latest_dataset("chains")
        table = _table(store, frames, out, f"Alignment of investment with {label}'s chokepoints", paging,
                       [_NOTE, "Value spread equally over each investee's map nodes; 'unmapped' = investee linked "
                               "to no node; chokepoints as ranked by /api/chains/chokepoints."])
        if chains:
            table.sources.extend(dataset_sources(store, [int(chains["dataset_id"])]))
        return table


@router.get("/redundancy", response_model=TableOut,
            summary="Segments or map nodes funded by many provinces or local funds within a few years")
def money_redundancy(
    hub: HubDep, paging: PagingDep,
    by: Annotated[Literal["segment", "node"], Query()] = "segment",
    k: Annotated[int, Query(ge=1, le=100, description="Flag keys funded by at least k distinct funders.")] = 3,
    window: Annotated[int, Query(ge=1, le=50, description="Window length in years.")] = 3,
    count: Annotated[Literal["provinces", "funds"], Query()] = "provinces",
    levels: Annotated[str, Query(max_length=MAX_TEXT, pattern=r"^[a-z_]+(,[a-z_]+)*$",
                                 description="Fund levels counted (comma-separated), or all.")]
    = "provincial,municipal",
    economy: EconomyFilter = None,
) -> TableOut:
    lv = None if levels == "all" else levels.split(",")
    with hub.reader() as store:
        label, frames = _frames(hub, store, economy)
        out = hub.cached(("money-redundancy", label, by, k, window, count, tuple(lv or ())),
                         lambda: m.redundancy(frames.deals, by=by, k=k, window=window, count=count, levels=lv))
        return _table(store, frames, out, f"{by}s funded by at least {k} {count} within {window} years", paging)


class ConcentrationOut(BaseModel):
    over: str
    hhi: float | None
    groups: int
    coverage: float | None
    table: TableOut


@router.get("/concentration", response_model=ConcentrationOut,
            summary="HHI of deal value over segments, provinces or another dimension, with each group's share")
def money_concentration(
    hub: HubDep, paging: PagingDep, over: Over = "segment",
    economy: EconomyFilter = None, include_planned: Planned = False,
) -> ConcentrationOut:
    _dims(over)
    with hub.reader() as store:
        label, frames = _frames(hub, store, economy)
        c = hub.cached(("money-concentration", label, over, include_planned),
                       lambda: m.concentration(frames.deals, over, include_planned=include_planned))
        return ConcentrationOut(over=over, hhi=c.hhi, groups=c.groups, coverage=c.coverage,
                                table=_table(store, frames, c.shares, f"Concentration over {over}", paging))


@router.get("/failed", response_model=TableOut, summary="Failed, abandoned and written-off projects")
def money_failed(hub: HubDep, paging: PagingDep, economy: EconomyFilter = None) -> TableOut:
    with hub.reader() as store:
        label, frames = _frames(hub, store, economy)
        out = hub.cached(("money-failed", label), lambda: m.failed_projects(frames.deals))
        return _table(store, frames, out, "Failed projects", paging)


_DEAL_COLUMNS = ("deal_id", "fund_name", "phase", "investee_name", "segment", "amount", "currency", "amount_cny",
                 "amount_usd", "date", "stake_pct", "status", "confidence", "source_document", "source_locator")


@router.get("/deals", response_model=TableOut, summary="Every deal with fund, investee, amount, status and source")
def money_deals(hub: HubDep, paging: PagingDep, economy: EconomyFilter = None) -> TableOut:
    with hub.reader() as store:
        _, frames = _frames(hub, store, economy)
        cols = [c for c in _DEAL_COLUMNS if c in frames.deals.columns]
        return _table(store, frames, frames.deals.select(cols), "Deals", paging)


_FUND_COLUMNS = ("fund_id", "name", "level", "phase", "established", "registered_capital", "raised_capital",
                 "currency", "registered_capital_usd", "raised_capital_usd", "source_document")


@router.get("/funds", response_model=TableOut, summary="Funds with level, phase, capital and source")
def money_funds(hub: HubDep, paging: PagingDep) -> TableOut:
    with hub.reader() as store:
        _, frames = _frames(hub, store, None)
        cols = [c for c in _FUND_COLUMNS if c in frames.funds.columns]
        return _table(store, frames, frames.funds.select(cols), "Funds", paging)
