"""Flows as partitioned Parquet behind the store, committed with the DuckDB transaction of their import.

Layout (next to ``x.duckdb``)::

    x.duckdb.parquet/trade_flows/dataset_id=3/year=2022/part-00000.parquet
                                 .staging-<random>/year=2022/part-00000.parquet   (during an import)

An import writes its Parquet into a staging folder first.  Inside the import's transaction the staging
folder is renamed to ``dataset_id=N``, ``trade_flow_parts`` gets one row per year and the ``trade_flows``
view is rewritten to list exactly the committed folders (DuckDB DDL is transactional).  If anything fails
before the commit, the folder is removed; if the process is killed between the rename and the commit, the
folder is listed nowhere (invisible) and :func:`sweep` removes it at the start of the next import.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from autarky.store import Store
from autarky.store import flows as store_flows

log = logging.getLogger(__name__)

__all__ = ["FLOW_TABLE", "Staging", "flow_dirs", "parquet_root", "sweep", "sync_flows_view"]

FLOW_TABLE = "trade_flows"
_HIVE_KEYS = ("dataset_id", "year")


def parquet_root(store: Store) -> Path:
    """The folder holding the store's Parquet: ``<store file>.parquet`` (absolute)."""
    return store.parquet_root


def _flows_root(store: Store) -> Path:
    return parquet_root(store) / FLOW_TABLE


def flow_dirs(con: duckdb.DuckDBPyConnection, root: Path,
              dataset_ids: list[int] | None = None) -> list[Path]:
    """Absolute (dataset, year) folders of committed flows, optionally only some datasets."""
    rows = con.execute(
        "SELECT dataset_id, path FROM trade_flow_parts WHERE rows > 0 ORDER BY dataset_id, year"
    ).fetchall()
    keep = None if dataset_ids is None else set(dataset_ids)
    return [root / str(p) for d, p in rows if keep is None or int(d) in keep]


def sync_flows_view(store: Store) -> None:
    """Rewrite the ``trade_flows`` view to list the committed parts (runs in the caller's transaction)."""
    sql = store_flows.view_sql(store.raw)
    store.raw.execute(f'DROP VIEW IF EXISTS temp."{FLOW_TABLE}"')
    store.raw.execute(f'CREATE OR REPLACE VIEW "{FLOW_TABLE}" AS {sql}')


def sweep(store: Store) -> int:
    """Remove Parquet folders no committed dataset lists (killed or replaced imports); returns how many."""
    root = _flows_root(store)
    if not root.is_dir():
        return 0
    live = {Path(str(p)).parts[1] for (p,) in store.raw.execute(
        "SELECT path FROM trade_flow_parts").fetchall() if len(Path(str(p)).parts) > 1}
    removed = 0
    for child in root.iterdir():
        if (child.name.startswith("dataset_id=") and child.name not in live) or child.name.startswith(".staging-"):
            shutil.rmtree(child, ignore_errors=True)
            removed += 1
    if removed:
        log.info("swept %d orphan Parquet folder(s) under %s", removed, root)
    return removed


@dataclass
class PartStats:
    """What was written for one year of one import."""

    year: int
    files: int = 0
    rows: int = 0
    value_usd: float = 0.0
    revisions: set[str] = field(default_factory=set)
    bases: set[str] = field(default_factory=set)


class Staging:
    """A private folder an import writes its Parquet into before the commit renames it into place."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.root = _flows_root(store)
        self.path = self.root / f".staging-{uuid.uuid4().hex}"
        self.path.mkdir(parents=True)
        self.parts: dict[int, PartStats] = {}
        self.final: Path | None = None

    def part_file(self, year: int, index: int) -> Path:
        folder = self.path / f"year={year}"
        folder.mkdir(exist_ok=True)
        return folder / f"part-{index:05d}.parquet"

    def record(self, year: int, rows: int, value_usd: float, revisions: set[str], bases: set[str]) -> None:
        """Count a Parquet file written for ``year`` (called from one thread, in file order)."""
        st = self.parts.setdefault(year, PartStats(year))
        st.files += 1
        st.rows += rows
        st.value_usd += value_usd
        st.revisions |= revisions
        st.bases |= bases

    def promote(self, dataset_id: int) -> Path:
        """Rename the staging folder to ``dataset_id=N`` (inside the import's transaction)."""
        target = self.root / f"dataset_id={dataset_id}"
        if target.exists():  # an orphan of a killed import that had the same (uncommitted) id
            shutil.rmtree(target)
        os.replace(self.path, target)
        self.final = target
        return target

    def discard(self) -> None:
        shutil.rmtree(self.final if self.final is not None else self.path, ignore_errors=True)

    def relpath(self, dataset_id: int, year: int) -> str:
        return f"{FLOW_TABLE}/dataset_id={dataset_id}/year={year}"


@contextmanager
def staging(store: Store) -> Iterator[Staging]:
    """A staging folder removed on any failure; on success the caller has promoted it."""
    sweep(store)
    st = Staging(store)
    try:
        yield st
    except BaseException:
        st.discard()
        raise
    finally:
        if st.final is None:
            shutil.rmtree(st.path, ignore_errors=True)
