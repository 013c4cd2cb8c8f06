"""Input–output tables: the stored tables, multipliers, hypothetical extraction (an export control on a
sector's supplies), and the FAO self-sufficiency of national tables."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from autarky.api.deps import MAX_TEXT, DatasetIdQuery, HubDep, PagingDep, resolve_economy
from autarky.api.errors import ERROR_RESPONSES
from autarky.api.hub import StoreHub
from autarky.api.models import SourceOut
from autarky.api.tables import TableOut, dataset_sources, table_out
from autarky.errors import UnknownItemError
from autarky.io import (
    AGGREGATION_NOTE,
    IOModel,
    bilateral_scenario,
    extraction_frame,
    io_tables,
    multipliers_frame,
    national_tables,
    parse_range,
    read_io_table,
    read_national_series,
    sector_scenario,
    select_regions,
    self_sufficiency_series,
)
from autarky.store import Store

router = APIRouter(prefix="/api/io", tags=["input-output"], responses=ERROR_RESPONSES)

Year = Annotated[int | None, Query(ge=1900, le=2100, description="Year of a series (default: the latest).")]
_FRACTION = r"(0(\.[0-9]+)?|1(\.0+)?|\.[0-9]+)"
Fraction = Annotated[str, Query(max_length=40, pattern=f"^{_FRACTION}(-{_FRACTION})?$",
                                description="A fraction (0-1) or a low-high range: 0.5-1.")]
Code = Annotated[str, Query(min_length=1, max_length=MAX_TEXT, description="A region or sector code of the table.")]


def _model(hub: StoreHub, store: Store, dataset_id: int | None, year: int | None) -> tuple[IOModel, list[SourceOut]]:
    def compute() -> tuple[IOModel, list[SourceOut]]:
        table = read_io_table(store, dataset_id, year)
        ids = [int(r["dataset_id"]) for r in io_tables(store).to_pylist() if r["table_name"] == table.name]
        return IOModel(table), dataset_sources(store, ids[:1])

    return hub.cached(("io-model", dataset_id, year), compute)


def _label(model: IOModel) -> str:
    return f"{model.table.name} {model.table.year or ''}".strip()


@router.get("/tables", response_model=TableOut, summary="Every stored IO table: dataset, year, shape, licence")
def tables(hub: HubDep, paging: PagingDep) -> TableOut:
    with hub.reader() as store:
        t = io_tables(store)
        ids = [int(x) for x in t.column("dataset_id").to_pylist()] if t.num_rows else []
        return table_out(t, title="Input-output tables", sources=dataset_sources(store, ids), paging=paging)


@router.get("/multipliers", response_model=TableOut,
            summary="Output multipliers and value added embodied in final demand, per industry")
def multipliers(hub: HubDep, paging: PagingDep, dataset_id: DatasetIdQuery = None, year: Year = None) -> TableOut:
    with hub.reader() as store:
        model, sources = _model(hub, store, dataset_id, year)
    frame = multipliers_frame(model).sort("output_multiplier", descending=True)
    return table_out(frame, title=f"Multipliers: {_label(model)}", sources=sources, paging=paging)


def _regions(hub: StoreHub, store: Store, text: str, regions: tuple[str, ...]) -> tuple[str, ...]:
    return select_regions(text, regions, lambda t: resolve_economy(hub, store, t).members)


@router.get("/extract", response_model=TableOut,
            summary="Hypothetical extraction: cut a sector's supplies from some regions to another (an export control)")
def extract(
    hub: HubDep, paging: PagingDep, sector: Code,
    from_: Annotated[str | None, Query(alias="from", min_length=1, max_length=MAX_TEXT,
                                       description="Supplying regions or a bloc (multi-regional tables).")] = None,
    to: Annotated[str | None, Query(min_length=1, max_length=MAX_TEXT,
                                    description="Receiving region, or the economy of a national table.")] = None,
    fraction: Fraction = "1", substitution: Fraction = "0",
    dataset_id: DatasetIdQuery = None, year: Year = None,
) -> TableOut:
    with hub.reader() as store:
        model, sources = _model(hub, store, dataset_id, year)
        t = model.table
        if t.is_national:
            target = to or t.regions[0]
            key: tuple[Any, ...] = ("national", target)
        else:
            target = _regions(hub, store, to, t.regions)[0] if to else t.regions[0]
            origin = _regions(hub, store, from_, t.regions) if from_ else tuple(r for r in t.regions if r != target)
            key = ("bilateral", origin, target)
    cut, sub = parse_range(fraction), parse_range(substitution)

    def compute() -> Any:
        scenario = (sector_scenario(model, target, sector) if t.is_national
                    else bilateral_scenario(model, key[1], sector, target))
        return extraction_frame(model, [scenario], fraction=cut, substitution=sub)

    frame = hub.cached(("io-extract", dataset_id, year, sector, key, cut, sub), compute)
    return table_out(frame, title=f"Extraction of {sector} supplies on {_label(model)}", sources=sources,
                     paging=paging, notes=["ghosh = output lost downstream of the cut supplies; leontief = output the "
                                           "suppliers lose (million USD)."])


@router.get("/self-sufficiency", response_model=TableOut,
            summary="FAO self-sufficiency Q/(Q+M-X) and import dependence per industry and year (national tables)")
def self_sufficiency(
    hub: HubDep, paging: PagingDep,
    sector: Annotated[str | None, Query(min_length=1, max_length=MAX_TEXT, description="Only this industry.")]
    = None,
    dataset_id: DatasetIdQuery = None,
) -> TableOut:
    with hub.reader() as store:
        rows = national_tables(store, dataset_id)
        if not rows:
            raise UnknownItemError("no national input-output table" + (
                f" in dataset {dataset_id}" if dataset_id is not None else " is loaded"))
        series = hub.cached(("io-self-sufficiency", dataset_id),
                            lambda: self_sufficiency_series(read_national_series(store, rows)))
        sources = dataset_sources(store, [int(r["dataset_id"]) for r in rows])
    if sector is not None:
        series = series.filter(series["sector"] == sector)
    return table_out(series, title="Self-sufficiency by industry", sources=sources, paging=paging,
                     notes=[AGGREGATION_NOTE])
