"""The ``trade_flows`` view: Parquet folders beside the store, named relative to the store's Parquet root.

The view lists the folders of ``trade_flow_parts`` by *relative* path (``trade_flows/dataset_id=3/year=2022/
*.parquet``); every connection the store opens sets DuckDB's ``file_search_path`` to the store's own Parquet
root (``<store file>.parquet``), so a store copied or moved together with its Parquet folder reads only its
own files.  (The plain ``duckdb`` client reads the view after ``SET file_search_path = '<store>.parquet'``.)

:func:`attach` runs on every open: a view written by an older autarky (absolute paths) is rewritten (or, on a
read-only connection, shadowed by a temporary view), and when a listed folder is missing the view is replaced,
for that connection, by one that fails with a message naming what is missing.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import duckdb

from autarky.errors import StoreError
from autarky.store.schema.trade import FLOW_COLUMNS

__all__ = ["FLOW_TABLE", "MISSING_MARK", "attach", "check_folders", "missing_folders", "parquet_root",
           "reader_statements", "relative_parts", "sweep_staging", "view_sql"]

FLOW_TABLE = "trade_flows"
#: Words every "Parquet missing" message contains (faces recognise the error by them).
MISSING_MARK = "Parquet folder of this store is missing"


def parquet_root(store_path: Path) -> Path:
    """The folder holding a store's Parquet: ``<store file>.parquet`` (absolute)."""
    return Path(os.path.abspath(store_path)).with_name(store_path.name + ".parquet")


def sql_str(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def relative_parts(con: duckdb.DuckDBPyConnection, dataset_ids: list[int] | None = None) -> list[str]:
    """The committed (dataset, year) folders, relative to the Parquet root (as ``trade_flow_parts`` lists them)."""
    rows = con.execute(
        "SELECT dataset_id, path FROM trade_flow_parts WHERE rows > 0 ORDER BY dataset_id, year"
    ).fetchall()
    keep = None if dataset_ids is None else set(dataset_ids)
    return [str(p) for d, p in rows if keep is None or int(d) in keep]


def view_sql(con: duckdb.DuckDBPyConnection, root: Path | None = None) -> str:
    """The body of the ``trade_flows`` view for the parts committed in ``con``'s current transaction.

    Paths are relative to the Parquet root, or under ``root`` if given (a connection whose external
    access is off resolves no relative path).
    """
    parts = relative_parts(con)
    if not parts:
        return "SELECT " + ", ".join(f'CAST(NULL AS {c.type}) AS "{c.name}"' for c in FLOW_COLUMNS) + \
            " WHERE false"
    casts = ", ".join(f'CAST("{c.name}" AS {c.type}) AS "{c.name}"' for c in FLOW_COLUMNS)
    files = ", ".join(sql_str(f"{root / p if root is not None else p}/*.parquet") for p in parts)
    return (f"SELECT {casts} FROM read_parquet([{files}], hive_partitioning = true, "
            "hive_types = {'dataset_id': BIGINT, 'year': SMALLINT})")


_LISTED = re.compile(r"'([^']*\*\.parquet)'")


def view_matches(con: duckdb.DuckDBPyConnection, current: str | None) -> bool:
    """Whether a view's SQL (as DuckDB stores it: re-rendered, so not comparable as text) reads exactly the
    committed parts, by paths relative to the store."""
    if current is None:
        return False
    parts = relative_parts(con)
    if not parts:
        return "read_parquet" not in current.lower()
    return sorted(_LISTED.findall(current)) == sorted(f"{p}/*.parquet" for p in parts)


def check_folders(con: duckdb.DuckDBPyConnection, store_path: Path, parts: list[str] | None = None) -> None:
    """Raise :class:`StoreError` naming the Parquet folders of committed flows that are not on disk;
    ``parts``: the committed folders (:func:`relative_parts`) if the caller has them."""
    root = parquet_root(store_path)
    missing = missing_folders(con, root, parts)
    if missing:
        raise StoreError(_missing_message(missing, root, store_path))


def _missing_message(missing: list[Path], root: Path, store_path: Path) -> str:
    shown = ", ".join(str(m) for m in missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
    return (f"{store_path}: the {MISSING_MARK}: {shown} (copy {root} beside {store_path}, or re-import the "
            "trade datasets)")


def missing_folders(con: duckdb.DuckDBPyConnection, root: Path, parts: list[str] | None = None) -> list[Path]:
    """Listed Parquet folders that are not on disk (a store copied without its Parquet folder)."""
    return [root / p for p in (relative_parts(con) if parts is None else parts) if not (root / p).is_dir()]


def _current(con: duckdb.DuckDBPyConnection) -> str | None:
    # a literal, not a parameter: DuckDB's Python client imports pandas to bind parameters (~0.4 s on a read)
    row = con.execute(
        f"SELECT sql FROM duckdb_views() WHERE view_name = {sql_str(FLOW_TABLE)} AND schema_name = 'main' "
        "AND NOT temporary"
    ).fetchone()
    return str(row[0]) if row else None


def _is_declared(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'trade_flow_parts'"
    ).fetchone()
    return bool(row and row[0])


def sweep_staging(store_path: Path) -> int:
    """Remove ``.staging-*`` folders a killed import left (only with the store open for writing); how many."""
    root = parquet_root(store_path) / FLOW_TABLE
    if not root.is_dir():
        return 0
    removed = 0
    for child in root.iterdir():
        if child.name.startswith(".staging-") and child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
            removed += 1
    return removed


def attach(con: duckdb.DuckDBPyConnection, store_path: Path, *, read_only: bool, absolute: bool = False) -> None:
    """Point ``con`` at the store's own Parquet and make sure ``trade_flows`` reads only it.

    ``absolute`` gives ``con`` a temporary view naming the Parquet by absolute path (before its external
    access is turned off, see :meth:`autarky.store.Store.read_only_sql`).  Read-only, a stale stored view is
    shadowed by a temporary one; with write access it is rewritten in the store.
    """
    statements, stale = _plan(con, store_path, absolute)
    for sql in statements:
        con.execute(sql)
    if stale is None:
        return
    if read_only:
        con.execute(f'CREATE OR REPLACE TEMP VIEW "{FLOW_TABLE}" AS {stale}')
        return
    con.begin()
    try:
        con.execute(f'CREATE OR REPLACE VIEW "{FLOW_TABLE}" AS {stale}')
        con.commit()
    except BaseException:
        con.rollback()
        raise


def reader_statements(con: duckdb.DuckDBPyConnection, store_path: Path) -> tuple[str, ...]:
    """What a read-only connection to the store runs so that its trade flows read the store's own Parquet
    (what :func:`attach` does read-only).  Computed once from ``con``, the statements hold for every cursor of
    ``con``: the API runs them on each request's cursor (:meth:`autarky.store.Store.on_cursor`)."""
    statements, stale = _plan(con, store_path, False)
    if stale is not None:
        statements.append(f'CREATE OR REPLACE TEMP VIEW "{FLOW_TABLE}" AS {stale}')
    return tuple(statements)


def _plan(con: duckdb.DuckDBPyConnection, store_path: Path, absolute: bool) -> tuple[list[str], str | None]:
    """The statements pointing ``con`` at the Parquet, and the SQL of the view if the stored one is stale."""
    root = parquet_root(store_path)
    out = [f"SET file_search_path = {sql_str(str(root))}"]
    if not _is_declared(con):
        return out, None
    missing = missing_folders(con, root)
    if missing:
        fail = f"CASE WHEN i >= 0 THEN error({sql_str(_missing_message(missing, root, store_path))}) END"
        cols = ", ".join(f'CAST({fail} AS {c.type}) AS "{c.name}"' for c in FLOW_COLUMNS)
        # every column and the row filter raise, so no query over the view can silently come back empty
        out.append(f'CREATE OR REPLACE TEMP VIEW "{FLOW_TABLE}" AS SELECT {cols} FROM range(1) t(i) '
                   f"WHERE {fail} IS NULL")
        return out, None
    if absolute:
        out.append(f'CREATE OR REPLACE TEMP VIEW "{FLOW_TABLE}" AS {view_sql(con, root)}')
        return out, None
    return out, None if view_matches(con, _current(con)) else view_sql(con)
