"""Tables for the API: a domain's Arrow or Polars result as rows, paged, with its sources and notes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl
import pyarrow as pa
from pydantic import BaseModel, Field

from autarky.api.deps import Paging
from autarky.api.jsonio import plain
from autarky.api.models import SourceOut
from autarky.assess.model import Provenance
from autarky.store import Store

__all__ = ["TableOut", "dataset_sources", "table_out"]


class TableOut(BaseModel):
    """A result table: its columns, one page of rows, and the datasets it was computed from."""

    title: str
    columns: list[str]
    rows: list[dict[str, Any]]
    total: int
    limit: int
    offset: int
    sources: list[SourceOut] = Field(description="Every dataset the figures come from, with vintage and link.")
    notes: list[str] = Field(default_factory=list)


def dataset_sources(store: Store, ids: Iterable[int]) -> list[SourceOut]:
    """A source per dataset id, from the store's provenance records (unknown ids are skipped)."""
    out: list[SourceOut] = []
    for did in sorted(set(ids)):
        rows = store.query("SELECT dataset_id, name, vintage, licence FROM datasets WHERE dataset_id = ?",
                           [did]).to_pylist()
        for r in rows:
            p = Provenance(dataset=r["name"], dataset_id=int(r["dataset_id"]), vintage=r["vintage"],
                           licence=r["licence"])
            out.append(SourceOut(dataset_id=p.dataset_id, dataset=p.dataset, vintage=p.vintage, licence=p.licence,
                                 label=p.short(), href=f"/datasets#dataset-{p.dataset_id}",
                                 api=f"/api/datasets/{p.dataset_id}"))
    return out


def table_out(data: pa.Table | pl.DataFrame, *, title: str, sources: Sequence[SourceOut], paging: Paging | None = None,
              notes: Sequence[str] = ()) -> TableOut:
    table = data.to_arrow() if isinstance(data, pl.DataFrame) else data
    total = table.num_rows
    if paging is not None:
        table = table.slice(paging.offset, paging.limit)
        limit, offset = paging.limit, paging.offset
    else:
        limit, offset = total, 0
    return TableOut(title=title, columns=list(table.column_names), rows=plain(table.to_pylist()), total=total,
                    limit=limit, offset=offset, sources=list(sources), notes=list(notes))
