"""Datasets and provenance: what is loaded, from where, under which licence; quarantined rows; warnings."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from autarky.api.deps import HubDep, PagingDep
from autarky.api.errors import ERROR_RESPONSES
from autarky.api.jsonio import plain
from autarky.api.models import DatasetOut, Page, QuarantineRow, WarningRow
from autarky.store import Store

router = APIRouter(prefix="/api", tags=["datasets"], responses=ERROR_RESPONSES)

DatasetId = Annotated[int, Path(ge=1, le=2**62, description="The dataset's id.")]


def _page(store: Store, table: str, columns: str, dataset_id: int | None, order: str, paging: Any) -> dict[str, Any]:
    # ``table``, ``columns`` and ``order`` are constants of this module; only values are parameters.
    where, params = ("WHERE dataset_id = ?", [dataset_id]) if dataset_id is not None else ("", [])
    total = store.query(f"SELECT count(*) AS n FROM {table} {where}", params).column("n")[0].as_py()
    rows = store.query(f"SELECT {columns} FROM {table} {where} ORDER BY {order} LIMIT ? OFFSET ?",
                       [*params, paging.limit, paging.offset]).to_pylist()
    return {"items": plain(rows), "total": int(total), "limit": paging.limit, "offset": paging.offset}


@router.get("/datasets/{dataset_id}", response_model=DatasetOut, summary="One dataset's provenance record")
def dataset(hub: HubDep, dataset_id: DatasetId) -> dict[str, Any]:
    with hub.reader() as store:
        row: dict[str, Any] = plain(store.dataset(dataset_id))
    return row


@router.get("/datasets/{dataset_id}/quarantine", response_model=Page[QuarantineRow],
            summary="Rows of one dataset set aside on import, with file, line, field and reason")
def dataset_quarantine(hub: HubDep, dataset_id: DatasetId, paging: PagingDep) -> dict[str, Any]:
    with hub.reader() as store:
        store.dataset(dataset_id)  # 404 for an unknown id
        return _page(store, "quarantine", "dataset_id, file, line, field, value, reason, raw", dataset_id,
                     "file, line NULLS LAST, field", paging)


@router.get("/datasets/{dataset_id}/warnings", response_model=Page[WarningRow],
            summary="Findings about one dataset kept as published, not corrected")
def dataset_warnings(hub: HubDep, dataset_id: DatasetId, paging: PagingDep) -> dict[str, Any]:
    with hub.reader() as store:
        store.dataset(dataset_id)
        return _page(store, "data_warnings", "dataset_id, subject, message", dataset_id, "subject, message", paging)
