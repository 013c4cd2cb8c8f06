"""The ``fetched_files`` table: which downloaded file each imported dataset came from.

A loader commits its dataset in its own transaction (``run_loader`` owns it), so the files are recorded
right after it returns, in a second transaction that replaces the dataset's rows of that source: a
fetch killed between the two leaves a dataset without its file rows, and running the fetch again
(the import is then ``unchanged`` and returns the same ``dataset_id``) writes them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import pyarrow as pa

from autarky.fetch.http import Download
from autarky.store import Store
from autarky.store.schema import table as declared_table

log = logging.getLogger(__name__)

__all__ = ["FetchedFile", "fetched_files", "record_fetched"]


@dataclass(frozen=True)
class FetchedFile:
    """One file a fetch downloaded (or found verified in the cache), and the dataset it was imported into."""

    source: str
    url: str
    path: str
    bytes: int
    sha256: str
    etag: str | None
    last_modified: str | None
    fetched_at: datetime
    licence: str | None
    member: str | None = None  # the file inside an archive that was imported
    dataset_id: int | None = None
    reused: bool = False  # served from the cache without downloading again

    @classmethod
    def of(cls, source: str, d: Download, licence: str | None, member: str | None = None) -> FetchedFile:
        return cls(source=source, url=d.url, path=str(d.path), bytes=d.bytes, sha256=d.sha256, etag=d.etag,
                   last_modified=d.last_modified, fetched_at=d.fetched_at, licence=licence, member=member,
                   reused=d.reused)

    def for_dataset(self, dataset_id: int, member: str | None = None) -> FetchedFile:
        return replace(self, dataset_id=dataset_id, member=member if member is not None else self.member)


_COLUMNS = ("dataset_id", "source", "url", "path", "member", "bytes", "sha256", "etag", "last_modified",
            "fetched_at", "licence")


def _ensure_table(store: Store) -> None:
    # A store created before this table was declared gets it here, exactly as declared (the schema
    # migration that adds it does the same CREATE TABLE IF NOT EXISTS).
    for stmt in declared_table("fetched_files").ddl():
        store.raw.execute(stmt)


def record_fetched(store: Store, files: Sequence[FetchedFile]) -> None:
    """Write ``files`` (each with its ``dataset_id``) to ``fetched_files``, replacing the rows of the same
    dataset and source; one transaction."""
    rows = [f for f in files if f.dataset_id is not None]
    if not rows:
        return
    con = store.raw
    con.begin()
    try:
        _ensure_table(store)
        for dataset_id, src in sorted({(f.dataset_id, f.source) for f in rows}, key=str):
            con.execute("DELETE FROM fetched_files WHERE dataset_id = ? AND source = ?", [dataset_id, src])
        data = pa.table({
            "dataset_id": pa.array([f.dataset_id for f in rows], pa.int64()),
            "source": [f.source for f in rows],
            "url": [f.url for f in rows],
            "path": [f.path for f in rows],
            "member": pa.array([f.member for f in rows], pa.string()),
            "bytes": pa.array([f.bytes for f in rows], pa.int64()),
            "sha256": [f.sha256 for f in rows],
            "etag": pa.array([f.etag for f in rows], pa.string()),
            "last_modified": pa.array([f.last_modified for f in rows], pa.string()),
            "fetched_at": pa.array([f.fetched_at for f in rows], pa.timestamp("us")),
            "licence": pa.array([f.licence for f in rows], pa.string()),
        })
        view = f"__autarky_fetched_{id(data)}"
        con.register(view, data)
        try:
            cols = ", ".join(f'"{c}"' for c in _COLUMNS)
            con.execute(f'INSERT INTO fetched_files ({cols}) SELECT {cols} FROM "{view}"')
        finally:
            con.unregister(view)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    log.info("recorded %d fetched file(s) for dataset(s) %s", len(rows),
             ", ".join(str(i) for i in sorted({f.dataset_id for f in rows if f.dataset_id is not None})))


def fetched_files(store: Store, dataset_id: int | None = None) -> list[FetchedFile]:
    """The files fetched for ``dataset_id`` (every dataset when None), oldest dataset first."""
    exists = store.raw.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'fetched_files'").fetchone()
    if not exists or not exists[0]:
        return []
    where, params = ("WHERE dataset_id = ?", [dataset_id]) if dataset_id is not None else ("", [])
    rows = store.query(
        f"SELECT {', '.join(_COLUMNS)} FROM fetched_files {where} ORDER BY dataset_id, path, member", params
    ).to_pylist()
    return [FetchedFile(source=r["source"], url=r["url"], path=r["path"], bytes=int(r["bytes"]), sha256=r["sha256"],
                        etag=r["etag"], last_modified=r["last_modified"], fetched_at=r["fetched_at"],
                        licence=r["licence"], member=r["member"], dataset_id=int(r["dataset_id"]))
            for r in rows]
