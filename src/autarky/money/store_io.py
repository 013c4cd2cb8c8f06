"""Reading the ledger back from the store: current datasets, tables as Polars frames, user decisions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl

from autarky.store import Store
from autarky.store.schema import table as declared_table

__all__ = ["canonical_ids", "current_ledger_datasets", "decisions", "empty_frame", "read_ledger_table"]

_ARROW_TO_POLARS = {
    "VARCHAR": pl.String, "DOUBLE": pl.Float64, "INTEGER": pl.Int32, "BIGINT": pl.Int64, "DATE": pl.Date,
    "BOOLEAN": pl.Boolean, "TIMESTAMP": pl.Datetime, "SMALLINT": pl.Int16,
}


def current_ledger_datasets(store: Store, *, exclude_name: str | None = None) -> list[int]:
    """The latest vintage of every loaded ledger (kind ``ledger``), optionally leaving one name out."""
    rows = store.query(
        "SELECT dataset_id, name FROM ("
        " SELECT dataset_id, name, row_number() OVER (PARTITION BY name"
        "  ORDER BY vintage DESC, loaded_at DESC, dataset_id DESC) AS rn"
        " FROM datasets WHERE kind = 'ledger') WHERE rn = 1 ORDER BY dataset_id"
    ).to_pylist()
    return [int(r["dataset_id"]) for r in rows if r["name"] != exclude_name]


def empty_frame(table_name: str) -> pl.DataFrame:
    spec = declared_table(table_name)
    return pl.DataFrame(schema={c.name: _ARROW_TO_POLARS.get(c.type, pl.String) for c in spec.columns})


def read_ledger_table(store: Store, table_name: str, dataset_ids: Sequence[int]) -> pl.DataFrame:
    """Rows of a money table that belong to ``dataset_ids``, as Polars (declared columns, even if empty)."""
    if not dataset_ids:
        return empty_frame(table_name)
    marks = ", ".join("?" for _ in dataset_ids)
    arrow = store.query(f'SELECT * FROM "{table_name}" WHERE dataset_id IN ({marks})', list(dataset_ids))
    if arrow.num_rows == 0:
        return empty_frame(table_name)
    frame = pl.from_arrow(arrow)
    assert isinstance(frame, pl.DataFrame)
    return frame


def decisions(store: Store, entity_type: str | None = None) -> list[dict[str, Any]]:
    """A user's verdicts on suggestions (``merge`` or ``distinct``), oldest first."""
    sql = "SELECT * FROM entity_decisions"
    params: list[Any] = []
    if entity_type:
        sql += " WHERE entity_type = ?"
        params.append(entity_type)
    rows: list[dict[str, Any]] = store.query(sql + " ORDER BY decided_at, entity_id, candidate_id", params).to_pylist()
    return rows


def canonical_ids(merges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Follow ``merge`` decisions (entity -> the entity it is) to the end of each chain; cycles stop."""
    step = dict(merges)
    out: dict[str, str] = {}
    for start in step:
        seen = {start}
        cur = start
        while cur in step and step[cur] not in seen:
            cur = step[cur]
            seen.add(cur)
        out[start] = cur
    return out
