"""Complexity and the store: exports in from ``trade_flows``, results out as a derived dataset.

A saved run is a dataset of kind ``derived`` whose ``params`` are the run's parameters and whose
``derived_from`` lists the trade dataset(s) it was computed from; its rows are in ``complexity_results``
and ``complexity_years`` (:mod:`autarky.store.schema.complexity`), its warnings in ``data_warnings``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from autarky.complexity.inputs import Year
from autarky.complexity.pipeline import OUTPUT_COLUMNS, ComplexityResult, compute_complexity
from autarky.errors import DataError, UnknownItemError, UsageError
from autarky.store import DatasetMeta, ImportResult, Store

__all__ = [
    "StoredComplexity",
    "complexity_from_store",
    "exports_from_store",
    "read_complexity",
    "save_complexity",
]

log = logging.getLogger(__name__)

#: Dataset kinds whose flows ``exports_from_store`` reads, preferred first.
TRADE_KINDS: tuple[str, ...] = ("baci", "comtrade")


def _one_or_error(store: Store, dataset_id: int, column: str, chosen: str | None, option: str) -> str:
    values = [
        str(v) for v in store.query(
            f'SELECT DISTINCT "{column}" FROM trade_flows WHERE dataset_id = ? ORDER BY 1', [dataset_id]
        ).column(0).to_pylist()
    ]
    if chosen is not None:
        if chosen not in values:
            raise UsageError(
                f"dataset {dataset_id} has no flows with {column} {chosen!r} (it has {', '.join(values)})"
            )
        return chosen
    if len(values) != 1:
        raise UsageError(
            f"dataset {dataset_id} mixes {column} {', '.join(values) or '(none)'}; choose one with {option}"
        )
    return values[0]


def exports_from_store(
    store: Store,
    *,
    dataset_id: int | None = None,
    years: Sequence[int] | None = None,
    hs_revision: str | None = None,
    reported_by: str | None = None,
) -> tuple[pa.Table, int]:
    """Exports by ``year, economy (exporter), product`` summed over importers, from ``trade_flows``.

    ``dataset_id`` defaults to the latest BACI dataset, then the latest Comtrade one.  A dataset with
    several HS revisions or reporters (Comtrade has importer- and exporter-reported flows) must be told
    which one to use, rather than adding them up.  Returns the table and the dataset id it came from.
    """
    if dataset_id is None:
        for kind in TRADE_KINDS:
            latest = store.latest_dataset(kind)
            if latest is not None:
                dataset_id = int(latest["dataset_id"])
                break
        else:
            raise UnknownItemError("no trade dataset in the store; load BACI or Comtrade flows first")
    else:
        kind = str(store.dataset(dataset_id)["kind"])
        if kind not in TRADE_KINDS:
            raise UsageError(f"dataset {dataset_id} is {kind!r}, not trade flows ({', '.join(TRADE_KINDS)})")
    revision = _one_or_error(store, dataset_id, "hs_revision", hs_revision, "hs_revision")
    reporter = _one_or_error(store, dataset_id, "reported_by", reported_by, "reported_by")
    sql = (
        "SELECT CAST(year AS BIGINT) AS year, exporter AS economy, product, sum(value_usd) AS value "
        "FROM trade_flows WHERE dataset_id = ? AND hs_revision = ? AND reported_by = ?"
    )
    params: list[Any] = [dataset_id, revision, reporter]
    if years is not None:
        sql += " AND year IN (" + ", ".join("?" for _ in years) + ")"
        params.extend(int(y) for y in years)
    sql += " GROUP BY ALL ORDER BY year, economy, product"
    table = store.query(sql, params)
    if years is not None:
        found = set(pc.unique(table.column("year")).to_pylist())
        lacking = [y for y in years if y not in found]
        if lacking:
            raise UnknownItemError(f"dataset {dataset_id} has no flows in {', '.join(map(str, lacking))}")
    log.info("read %d export rows from dataset %d (%s, %s)", table.num_rows, dataset_id, revision, reporter)
    return table, dataset_id


def _signature(params: Mapping[str, Any]) -> str:
    test = "manual" if params.get("presence") == "manual" else f"{params.get('presence')}>={params.get('threshold'):g}"
    extras = [k for k in ("continuous", "asymmetric") if params.get(k)]
    if params.get("knn"):
        extras.append(f"knn={params['knn']}")
    return ",".join([test, *extras])


def save_complexity(
    store: Store,
    result: ComplexityResult,
    *,
    source_dataset_ids: Sequence[int],
    params: Mapping[str, Any] | None = None,
    name: str | None = None,
) -> ImportResult:
    """Store ``result`` as a derived dataset with provenance; one transaction.

    ``params`` adds to the run's own parameters (e.g. which HS revision the exports were read in).  The
    dataset is called ``complexity[<presence test>,...]`` unless ``name`` is given; its vintage joins the
    source datasets' vintages.  Its identity (content hash) is the sources' content hashes plus all
    parameters, so saving the same run twice changes nothing, and a rerun on a new vintage of the source is
    kept beside the old one.
    """
    if not source_dataset_ids:
        raise UsageError("save_complexity needs the id(s) of the dataset(s) the result was computed from")
    sources = [store.dataset(int(i)) for i in source_dataset_ids]
    all_params: dict[str, Any] = {**result.params.as_dict(), **(params or {})}
    if all_params.get("years") is not None:
        all_params["years"] = list(all_params["years"])
    identity = json.dumps(
        {"sources": [[s["dataset_id"], s["content_hash"]] for s in sources], "params": all_params},
        sort_keys=True, default=str,
    )
    meta = DatasetMeta(
        name=name or f"complexity[{_signature(all_params)}]",
        kind="derived",
        vintage="+".join(str(s["vintage"]) for s in sources),
        content_hash=hashlib.sha256(identity.encode()).hexdigest(),
        source="autarky.complexity.compute_complexity",
        params=all_params,
        derived_from=tuple(int(i) for i in source_dataset_ids),
    )
    table = result.table
    if not pa.types.is_integer(table.schema.field("year").type):
        raise DataError("the store keeps complexity results by integer year; this result's years are not")
    rows = pa.table(
        {
            "year": table.column("year").cast(pa.int16()),
            "economy": table.column("economy").cast(pa.string()),
            "product": table.column("product").cast(pa.string()),
            **{c: table.column(c) for c in OUTPUT_COLUMNS},
        }
    )
    years = result.diagnostics.years

    def joined(names: tuple[str, ...]) -> str | None:
        return ";".join(names) if names else None

    year_rows = pa.table(
        {
            "year": pa.array([int(y.year) for y in years], pa.int16()),
            "n_economies": pa.array([y.n_economies for y in years], pa.int32()),
            "n_products": pa.array([y.n_products for y in years], pa.int32()),
            "zero_diversity": pa.array([joined(y.zero_diversity) for y in years], pa.string()),
            "zero_ubiquity": pa.array([joined(y.zero_ubiquity) for y in years], pa.string()),
            "absent_economies": pa.array([joined(y.absent_economies) for y in years], pa.string()),
            "absent_products": pa.array([joined(y.absent_products) for y in years], pa.string()),
            "components": pa.array([y.components for y in years], pa.int32()),
            "lambda2": pa.array([y.eigenvalues[1] if len(y.eigenvalues) > 1 else None for y in years],
                                pa.float64()),
            "lambda3": pa.array([y.eigenvalues[2] if len(y.eigenvalues) > 2 else None for y in years],
                                pa.float64()),
            "degenerate": pa.array([y.degenerate for y in years], pa.bool_()),
            "defined": pa.array([y.defined for y in years], pa.bool_()),
        }
    )
    with store.importer(meta) as imp:
        if imp.unchanged:
            log.info("complexity result %s already stored as dataset %d", meta.name, imp.result.dataset_id)
            return imp.result
        imp.rows_read = rows.num_rows
        imp.insert("complexity_results", rows)
        imp.insert("complexity_years", year_rows, count=False)
        for message in result.diagnostics.warnings:
            imp.warn("complexity", message)
    return imp.result


def read_complexity(store: Store, *, dataset_id: int | None = None, year: Year | None = None) -> pa.Table:
    """A stored complexity result (default: the latest saved one), optionally one year."""
    if dataset_id is None:
        row = store.query(
            "SELECT max(dataset_id) FROM datasets WHERE kind = 'derived' AND dataset_id IN "
            "(SELECT DISTINCT dataset_id FROM complexity_years)"
        ).column(0)[0].as_py()
        if row is None:
            raise UnknownItemError("no complexity result in the store; run `autarky complexity` first")
        dataset_id = int(row)
    sql = "SELECT * EXCLUDE (dataset_id) FROM complexity_results WHERE dataset_id = ?"
    params: list[Any] = [dataset_id]
    if year is not None:
        sql += " AND year = ?"
        params.append(year)
    table = store.query(sql + " ORDER BY year, economy, product", params)
    if table.num_rows == 0:
        raise UnknownItemError(f"no complexity rows for dataset {dataset_id}" + (f" in {year}" if year else ""))
    return table


@dataclass(frozen=True)
class StoredComplexity:
    """A run on stored exports: the result, the trade dataset it read, and the derived dataset written."""

    result: ComplexityResult
    source_dataset_id: int
    saved: ImportResult | None


def complexity_from_store(
    store: Store,
    *,
    dataset_id: int | None = None,
    years: Sequence[int] | None = None,
    threshold: float = 1.0,
    hs_revision: str | None = None,
    reported_by: str | None = None,
    save: bool = True,
    **options: Any,
) -> StoredComplexity:
    """Read exports from the store, compute complexity (``options`` go to :func:`compute_complexity`), and
    save the result as a derived dataset unless ``save`` is false (or the store is read-only)."""
    exports, source = exports_from_store(
        store, dataset_id=dataset_id, years=years, hs_revision=hs_revision, reported_by=reported_by
    )
    result = compute_complexity(exports, threshold=threshold, **options)
    saved = None
    if save and not store.read_only:
        revision = hs_revision or _one_or_error(store, source, "hs_revision", None, "hs_revision")
        saved = save_complexity(store, result, source_dataset_ids=[source], params={"hs_revision": revision})
    return StoredComplexity(result=result, source_dataset_id=source, saved=saved)
