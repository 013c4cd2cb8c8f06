"""Trade: product-level import dependence, the dependency screen, China+1 shifts, decoupling, coverage.

Each endpoint calls one function of :mod:`autarky.trade` (the store's DuckDB engine) and returns its
Arrow table as rows, with the datasets the figures come from.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Literal

import pyarrow as pa
from fastapi import APIRouter, Query

from autarky.api.deps import MAX_TEXT, HubDep, PagingDep, resolve_economy
from autarky.api.errors import ERROR_RESPONSES
from autarky.api.hub import StoreHub
from autarky.api.tables import TableOut, dataset_sources, table_out
from autarky.store import Store
from autarky.trade import coverage, decoupling, dependence, screen, shift, sources_of
from autarky.trade.screen import ScreenThresholds
from autarky.trade.sectors import sector_concordance, select_sectors

router = APIRouter(prefix="/api/trade", tags=["trade"], responses=ERROR_RESPONSES)

Economy = Annotated[str, Query(min_length=1, max_length=MAX_TEXT, description="Economy or bloc: CHN, EU27 …")]
Sectors = Annotated[str | None, Query(min_length=1, max_length=MAX_TEXT,
                                      description="Strategic sector(s) or sector/segment, comma-separated.")]
_YEARS = r"[12][0-9]{3}(-[12][0-9]{3})?"
Years = Annotated[str | None, Query(max_length=100, pattern=f"^{_YEARS}(,{_YEARS})*$",
                                    description="Years: 2015-2023 or 2019,2022.")]
Source = Annotated[Literal["baci", "comtrade"] | None, Query(description="Flows to use (default: BACI if loaded).")]
Ratio = Annotated[float, Query(ge=0, le=1)]


def _out(hub: StoreHub, store: Store, key: tuple[object, ...], compute: Callable[[], pa.Table], title: str,
         paging: PagingDep) -> TableOut:
    table = hub.cached(key, compute)
    meta = table.schema.metadata or {}
    notes = [str(n) for n in json.loads(meta.get(b"autarky.notes", b"[]"))]
    sources = dataset_sources(store, [int(s["dataset_id"]) for s in sources_of(table)])
    if not sources:
        notes.append("No trade flows loaded for this selection (load BACI with `autarky import baci PATH`).")
    return table_out(table, title=title, sources=sources, paging=paging, notes=[*notes, "Values in current USD."])


@router.get("/coverage", response_model=TableOut, summary="Which trade flows are loaded: source, release, year")
def trade_coverage(hub: HubDep, paging: PagingDep) -> TableOut:
    with hub.reader() as store:
        t = coverage(store)
        ids = t.column("dataset_id").to_pylist() if t.num_rows else []
        return table_out(t, title="Trade flows loaded", sources=dataset_sources(store, ids), paging=paging)


@router.get("/sectors", response_model=TableOut, summary="The strategic-sector concordance: HS codes per sector")
def trade_sectors(hub: HubDep, paging: PagingDep, sector: Sectors = None) -> TableOut:
    with hub.reader() as store:
        t = select_sectors(sector_concordance(store), sector)
        latest = store.latest_dataset("sectors")
        ids = [int(latest["dataset_id"])] if latest else []
        keep = [c for c in t.column_names if c != "source_line"]
        return table_out(t.select(keep), title="Strategic sectors", sources=dataset_sources(store, ids),
                         paging=paging, notes=["Edit the concordance as data: `autarky import sectors FILE`."])


@router.get("/dependence", response_model=TableOut,
            summary="Imports, exports, supplier concentration and top suppliers of an economy, year by year")
def trade_dependence(
    hub: HubDep, paging: PagingDep, economy: Economy = "CHN", sector: Sectors = None,
    by: Annotated[Literal["sector", "segment", "product"], Query()] = "sector",
    years: Years = None,
    bloc: Annotated[str | None, Query(min_length=1, max_length=MAX_TEXT,
                                      description="Also the share of imports from this bloc.")] = None,
    top: Annotated[int, Query(ge=1, le=20, description="Top suppliers listed per row.")] = 3,
    source: Source = None,
) -> TableOut:
    with hub.reader() as store:
        label = resolve_economy(hub, store, economy).label
        blabel = resolve_economy(hub, store, bloc).label if bloc else None
        return _out(hub, store, ("trade-dependence", label, sector, by, years, blabel, top, source),
                    lambda: dependence(store, label, sectors=sector, by=by, years=years, bloc=blabel, top=top,
                                       source=source),
                    f"Import dependence of {label}", paging)


@router.get("/screen", response_model=TableOut,
            summary="Products on which an economy is dependent (CEPII GeoDep-style screen)")
def trade_screen(
    hub: HubDep, paging: PagingDep, economy: Economy = "CHN", sector: Sectors = None, years: Years = None,
    import_hhi: Ratio = 0.4, world_hhi: Ratio = 0.4,
    ratio: Annotated[float, Query(ge=0, le=1000, description="Imports/exports threshold.")] = 1.0,
    window: Annotated[int, Query(ge=1, le=20)] = 3,
    min_years: Annotated[int, Query(ge=1, le=20)] = 2,
    detail: bool = False,
    include_all: Annotated[bool, Query(alias="all", description="Also products never flagged.")] = False,
    source: Source = None,
) -> TableOut:
    with hub.reader() as store:
        label = resolve_economy(hub, store, economy).label
        th = ScreenThresholds(import_hhi=import_hhi, world_hhi=world_hhi, import_export_ratio=ratio, window=window,
                              min_years=min_years)
        key = ("trade-screen", label, sector, years, import_hhi, world_hhi, ratio, window, min_years, detail,
               include_all, source)
        return _out(hub, store, key,
                    lambda: screen(store, label, sectors=sector, years=years, thresholds=th, detail=detail,
                                   flagged_only=not include_all, source=source),
                    f"Dependency screen of {label}", paging)


@router.get("/shift", response_model=TableOut,
            summary="China+1: which suppliers gained the share one supplier lost in an importer's imports")
def trade_shift(
    hub: HubDep, paging: PagingDep, importer: Economy, loser: Economy = "CHN", sector: Sectors = None,
    product: Annotated[list[Annotated[str, Query(pattern=r"^[0-9]{1,10}$")]] | None,
                       Query(max_length=50, description="HS codes or prefixes (digits).")] = None,
    base: Years = None, compare: Years = None, source: Source = None,
) -> TableOut:
    with hub.reader() as store:
        ilabel = resolve_economy(hub, store, importer).label
        llabel = resolve_economy(hub, store, loser).label
        key = ("trade-shift", ilabel, llabel, sector, tuple(product or ()), base, compare, source)
        return _out(hub, store, key,
                    lambda: shift(store, ilabel, llabel, sectors=sector, products=product, base=base,
                                  compare=compare, source=source),
                    f"Supplier shift in {ilabel}'s imports away from {llabel}", paging)


@router.get("/decoupling", response_model=TableOut,
            summary="Bilateral strategic-goods trade between two blocs and its shares, year by year")
def trade_decoupling(
    hub: HubDep, paging: PagingDep, a: Economy = "US_ALLIES", b: Economy = "CHN", sector: Sectors = None,
    years: Years = None, source: Source = None,
) -> TableOut:
    with hub.reader() as store:
        alabel = resolve_economy(hub, store, a).label
        blabel = resolve_economy(hub, store, b).label
        return _out(hub, store, ("trade-decoupling", alabel, blabel, sector, years, source),
                    lambda: decoupling(store, alabel, blabel, sectors=sector, years=years, source=source),
                    f"Strategic trade between {alabel} and {blabel}", paging)
