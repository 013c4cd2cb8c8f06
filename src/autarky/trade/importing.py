"""The end of every flow import: one transaction commits the dataset, its quarantine and its Parquet."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pyarrow as pa

from autarky.errors import UsageError
from autarky.store import DatasetMeta, ImportResult, Store
from autarky.trade.flowstore import Staging, sweep, sync_flows_view

log = logging.getLogger(__name__)

__all__ = ["BadRow", "combine_results", "existing_hash", "finish_flow_import"]

#: A quarantined row: file, line, field, value, reason, raw text.
BadRow = tuple[str, int, str | None, str | None, str, str]


def existing_hash(store: Store, name: str, content_hash: str | None = None,
                  vintage: str | None = None) -> str | None:
    """The vintage of a loaded dataset called ``name`` (with this content and vintage, if given), or None."""
    sql = "SELECT vintage FROM datasets WHERE name = ?"
    params: list[object] = [name]
    if content_hash is not None:
        sql += " AND content_hash = ?"
        params.append(content_hash)
    if vintage is not None:
        sql += " AND vintage = ?"
        params.append(vintage)
    row = store.raw.execute(sql + " ORDER BY dataset_id DESC LIMIT 1", params).fetchone()
    return None if row is None else str(row[0])


def finish_flow_import(store: Store, stage: Staging, meta: DatasetMeta, *, rows_read: int,
                       bad: Sequence[BadRow], codes: pa.Table, warnings: Sequence[tuple[str, str]] = ()
                       ) -> ImportResult:
    """Commit a staged import: dataset row, partner codes, parts, quarantine, Parquet, view — or nothing."""
    with store.importer(meta) as imp:
        if imp.unchanged:
            return imp.result
        imp.rows_read = rows_read
        if codes.num_rows:
            imp.insert("trade_partner_codes", codes, count=False)
        parts = sorted(stage.parts.values(), key=lambda p: p.year)
        if parts:
            imp.insert("trade_flow_parts", pa.table({
                "year": pa.array([p.year for p in parts], pa.int16()),
                "hs_revision": ["+".join(sorted(p.revisions)) for p in parts],
                "reported_by": ["+".join(sorted(p.bases)) for p in parts],
                "path": [stage.relpath(imp.dataset_id, p.year) for p in parts],
                "files": pa.array([p.files for p in parts], pa.int32()),
                "rows": pa.array([p.rows for p in parts], pa.int64()),
                "value_usd": pa.array([p.value_usd for p in parts], pa.float64()),
            }), count=False)
        imp.result.rows_loaded += sum(p.rows for p in parts)
        imp.result.loaded_by_table["trade_flows"] = sum(p.rows for p in parts)
        for file, line, fld, value, reason, raw in bad:
            imp.quarantine(file=file, line=line, field=fld, value=value, reason=reason, raw=raw)
        for subject, message in warnings:
            imp.warn(subject, message)
        stage.promote(imp.dataset_id)
        sync_flows_view(store)
    sweep(store)
    return imp.result


def combine_results(results: Sequence[ImportResult]) -> ImportResult:
    """One result for a multi-file import: counts summed, the last file's dataset id."""
    if not results:
        raise UsageError("nothing to import")
    if len(results) == 1:
        return results[0]
    statuses = {r.status for r in results}
    status = "loaded" if "loaded" in statuses else "replaced" if "replaced" in statuses else "unchanged"
    by_table: dict[str, int] = {}
    for r in results:
        for k, v in r.loaded_by_table.items():
            by_table[k] = by_table.get(k, 0) + v
    vintages = sorted({r.vintage for r in results})
    return ImportResult(
        dataset_id=results[-1].dataset_id,
        name=f"{results[0].name} … {results[-1].name} ({len(results)} files)",
        vintage="+".join(vintages),
        status=status,  # type: ignore[arg-type]
        rows_read=sum(r.rows_read for r in results),
        rows_loaded=sum(r.rows_loaded for r in results),
        rows_quarantined=sum(r.rows_quarantined for r in results),
        loaded_by_table=by_table,
        warnings=[w for r in results for w in r.warnings],
    )
