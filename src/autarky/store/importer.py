"""Transactional imports with quarantine and provenance.

Every import is one DuckDB transaction::

    with store.importer(DatasetMeta(...)) as imp:
        if imp.unchanged:            # same dataset name and content hash already loaded
            return imp.result
        imp.insert("chain_nodes", arrow_table)
        imp.quarantine(file="provision.csv", line=12, field="share_provided", value="140", reason="...")

On a clean exit the dataset row, its rows and its quarantine commit together; on any exception (or a
killed process) nothing of it is visible.  Rules:

The vintage rule, the same for every importer (a vintage given with ``--vintage`` or read from the source):

* same ``name``, ``vintage`` and ``content_hash`` as a loaded dataset: nothing changes (``status = "unchanged"``);
* same ``name`` and ``vintage`` but new content: the old rows of that vintage are replaced in the same
  transaction (``status = "replaced"``);
* a new vintage is kept beside the old ones (``status = "loaded"``), even when its content is identical to
  another vintage's (re-importing with ``--vintage 2099-09`` loads a 2099-09 vintage).

:attr:`ImportResult.explanation` states which of these happened, in words the faces print.

Two guards keep a bad file from wiping data (checked before the commit, so a refused import changes nothing):

* an import with no data row (nothing loaded, nothing quarantined: an empty or header-only file) is an
  error, always;
* a replacement that would leave fewer than half the rows the replaced vintage had (:data:`SHRINK_LIMIT`)
  is refused unless the store is in :meth:`~autarky.store.Store.replacing` mode (``autarky import --replace``).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pyarrow as pa

from autarky.errors import FormatError, StoreError
from autarky.store.schema import table as declared_table

if TYPE_CHECKING:
    from autarky.store.store import Store

log = logging.getLogger(__name__)

__all__ = ["SHRINK_LIMIT", "DatasetMeta", "ImportResult", "Importer", "hash_paths"]

#: A replacement keeping fewer than this share of the replaced vintage's rows needs ``--replace``.
SHRINK_LIMIT = 0.5


@dataclass(frozen=True)
class DatasetMeta:
    """What a dataset is and where it came from."""

    name: str
    kind: str
    vintage: str
    content_hash: str
    publisher: str | None = None
    licence: str | None = None
    attribution: str | None = None
    source: str | None = None
    params: dict[str, Any] | None = None
    derived_from: tuple[int, ...] = ()


@dataclass
class ImportResult:
    """What an import did."""

    dataset_id: int
    name: str
    vintage: str
    status: Literal["loaded", "replaced", "unchanged"]
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    loaded_by_table: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: Rows read but deliberately neither loaded nor quarantined, by reason (e.g. merged duplicates).
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def rows_skipped(self) -> int:
        return sum(self.skipped.values())

    @property
    def explanation(self) -> str:
        """What happened, by the vintage rule (one line for the faces)."""
        what = f"{self.name} vintage {self.vintage}"
        if self.status == "unchanged":
            return (f"{what}: unchanged, this content is already loaded under this name and vintage (dataset "
                    f"{self.dataset_id}); another --vintage would load it beside")
        if self.status == "replaced":
            return (f"{what}: replaced (same name and vintage, new content) by dataset {self.dataset_id}; other "
                    "vintages are kept")
        return f"{what}: loaded as dataset {self.dataset_id}; other vintages of {self.name}, if any, are kept"


_QUARANTINE_COLUMNS = ("file", "line", "field", "value", "reason", "raw")


class Importer:
    """Collects one import's rows, quarantine and warnings inside a single transaction."""

    def __init__(self, store: Store, meta: DatasetMeta) -> None:
        self.store = store
        self.meta = meta
        self.unchanged = False
        self.rows_read = 0
        self._quarantine: list[tuple[Any, ...]] = []
        self._warnings: list[tuple[str, str]] = []
        self._replaced_rows = 0
        self._replaced_by_table: dict[str, int] = {}
        self.result = ImportResult(dataset_id=-1, name=meta.name, vintage=meta.vintage, status="loaded")

    # -- lifecycle --------------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        con = self.store.raw
        con.begin()
        try:
            self._open()
            yield
            if not self.unchanged:
                self._close()
            con.commit()
        except BaseException:
            con.rollback()
            raise

    def _open(self) -> None:
        con = self.store.raw
        m = self.meta
        same = con.execute(
            "SELECT dataset_id, vintage, rows_read, rows_loaded, rows_quarantined FROM datasets "
            "WHERE name = ? AND content_hash = ? AND vintage = ? ORDER BY dataset_id DESC LIMIT 1",
            [m.name, m.content_hash, m.vintage],
        ).fetchone()
        if same is not None:
            self.unchanged = True
            self.result = ImportResult(
                dataset_id=int(same[0]), name=m.name, vintage=str(same[1]), status="unchanged",
                rows_read=int(same[2] or 0), rows_loaded=int(same[3] or 0),
                rows_quarantined=int(same[4] or 0),
            )
            return
        old = con.execute(
            "SELECT dataset_id, coalesce(rows_loaded, 0) FROM datasets WHERE name = ? AND vintage = ?",
            [m.name, m.vintage],
        ).fetchall()
        status: Literal["loaded", "replaced"] = "loaded"
        # the new id is taken before the old rows go: an id is never reused for a replacement, so files
        # named after a dataset id (the trade Parquet) of the replaced vintage stay intact if this rolls back
        row = con.execute("SELECT coalesce(max(dataset_id), 0) + 1 FROM datasets").fetchone()
        assert row is not None
        dataset_id = int(row[0])
        for old_id, old_rows in old:
            self._replaced_rows += int(old_rows)
            for name, n in self._table_counts(int(old_id)).items():
                self._replaced_by_table[name] = self._replaced_by_table.get(name, 0) + n
            self._delete_dataset(int(old_id))
            status = "replaced"
        con.execute(
            "INSERT INTO datasets (dataset_id, name, kind, publisher, vintage, licence, attribution, source,"
            " content_hash, loaded_at, params, derived_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                dataset_id, m.name, m.kind, m.publisher, m.vintage, m.licence, m.attribution, m.source,
                m.content_hash, datetime.now(UTC).replace(tzinfo=None),
                json.dumps(m.params, sort_keys=True) if m.params is not None else None,
                json.dumps(list(m.derived_from)) if m.derived_from else None,
            ],
        )
        self.result = ImportResult(dataset_id=dataset_id, name=m.name, vintage=m.vintage, status=status)

    def _table_counts(self, dataset_id: int) -> dict[str, int]:
        """Rows of ``dataset_id`` in each data table that has any."""
        con = self.store.raw
        tables = self.store.data_tables()
        if not tables:
            return {}
        union = " UNION ALL ".join(
            f"SELECT '{name}' AS t, count(*) AS n FROM \"{name}\" WHERE dataset_id = $1" for name in tables)
        return {str(t): int(n) for t, n in con.execute(union, [dataset_id]).fetchall()
                if n and t not in ("quarantine", "data_warnings")}

    def _delete_dataset(self, dataset_id: int) -> None:
        con = self.store.raw
        for name in self.store.data_tables():
            con.execute(f'DELETE FROM "{name}" WHERE dataset_id = ?', [dataset_id])
        con.execute("DELETE FROM datasets WHERE dataset_id = ?", [dataset_id])

    def _guard(self) -> None:
        """Refuse an import with no data row, and a replacement that would drop most of the old rows."""
        r, m = self.result, self.meta
        where = m.source or m.name
        if r.rows_loaded == 0 and not self._quarantine:
            raise FormatError(
                f"no data rows (read {self.rows_read}); nothing was imported and dataset {m.name} is unchanged",
                path=where)
        if r.status != "replaced" or self.store.replace_allowed:
            return
        shrunk = [(t, old, r.loaded_by_table.get(t, 0)) for t, old in sorted(self._replaced_by_table.items())
                  if r.loaded_by_table.get(t, 0) < old * SHRINK_LIMIT]
        if r.rows_loaded < self._replaced_rows * SHRINK_LIMIT:
            shrunk.insert(0, ("rows in all", self._replaced_rows, r.rows_loaded))
        if shrunk:
            what = "; ".join(f"{t}: {old:,} -> {new:,}" for t, old, new in shrunk)
            raise StoreError(
                f"{where}: importing this would replace most of {m.name} (vintage {m.vintage}) with far fewer rows "
                f"({what}; {len(self._quarantine):,} quarantined); refused, nothing changed. If the file is "
                "truncated, fix it; to replace the dataset anyway, import again with --replace"
            )

    def _close(self) -> None:
        self._guard()
        con = self.store.raw
        r = self.result
        notes = [("rows skipped", f"{n} row(s) read and not loaded: {reason}") for reason, n in r.skipped.items()]
        unaccounted = self.rows_read - r.rows_loaded - len(self._quarantine) - r.rows_skipped
        if unaccounted > 0 and r.rows_loaded < self.rows_read:
            self._warnings.append(("rows unaccounted", f"{unaccounted} row(s) read were neither loaded, "
                                   "quarantined nor skipped with a reason (a reader's bug: please report it)"))
        if self._quarantine:
            qt = pa.table(
                {
                    "dataset_id": pa.array([r.dataset_id] * len(self._quarantine), pa.int64()),
                    **{
                        col: pa.array([str(q[i]) if q[i] is not None and col != "line" else q[i]
                                       for q in self._quarantine],
                                      pa.int64() if col == "line" else pa.string())
                        for i, col in enumerate(_QUARANTINE_COLUMNS)
                    },
                }
            )
            self._bulk_insert("quarantine", qt)
        stored = self._warnings + notes  # skipped rows are kept with their reason, beside the warnings
        if stored:
            wt = pa.table({
                "dataset_id": pa.array([r.dataset_id] * len(stored), pa.int64()),
                "subject": [w[0] for w in stored],
                "message": [w[1] for w in stored],
            })
            self._bulk_insert("data_warnings", wt)
        r.rows_read = self.rows_read
        r.rows_quarantined = len(self._quarantine)
        r.warnings = [f"{s}: {msg}" for s, msg in self._warnings]
        con.execute(
            "UPDATE datasets SET rows_read = ?, rows_loaded = ?, rows_quarantined = ? WHERE dataset_id = ?",
            [r.rows_read, r.rows_loaded, r.rows_quarantined, r.dataset_id],
        )
        log.info("dataset %s %s: %s, %d read, %d loaded, %d quarantined", r.name, r.vintage, r.status,
                 r.rows_read, r.rows_loaded, r.rows_quarantined)

    # -- writing ----------------------------------------------------------------------------------------
    @property
    def dataset_id(self) -> int:
        return self.result.dataset_id

    def insert(self, table_name: str, data: pa.Table, *, count: bool = True) -> int:
        """Append ``data`` to a declared table, stamping this import's ``dataset_id``.

        Columns of ``data`` must be declared columns of the table; missing nullable ones become NULL.
        ``count=False`` keeps the rows out of ``rows_loaded`` (for tables derived from other loaded rows).
        """
        if self.unchanged:
            raise StoreError(f"dataset {self.meta.name} is already loaded with this content")
        spec = declared_table(table_name)
        unknown = [c for c in data.column_names if c not in spec.column_names]
        if unknown:
            raise StoreError(f"table {table_name} has no column(s) {', '.join(unknown)}")
        if "dataset_id" in data.column_names:
            data = data.drop_columns(["dataset_id"])
        data = data.append_column("dataset_id", pa.array([self.dataset_id] * data.num_rows, pa.int64()))
        self._bulk_insert(table_name, data)
        n = int(data.num_rows)
        if count:
            self.result.rows_loaded += n
        self.result.loaded_by_table[table_name] = self.result.loaded_by_table.get(table_name, 0) + n
        return n

    def _bulk_insert(self, table_name: str, data: pa.Table) -> None:
        con = self.store.raw
        view = f"__autarky_insert_{id(data)}"
        con.register(view, data)
        try:
            cols = ", ".join(f'"{c}"' for c in data.column_names)
            con.execute(f'INSERT INTO "{table_name}" ({cols}) SELECT {cols} FROM "{view}"')
        finally:
            con.unregister(view)

    def quarantine(self, *, file: str, line: int | None, field: str | None, value: object,
                   reason: str, raw: str | None = None) -> None:
        """Set a rejected row aside with the reason; it is committed with the import."""
        self._quarantine.append((file, line, field, None if value is None else str(value), reason, raw))

    def skip(self, count: int, reason: str) -> None:
        """Account for ``count`` rows read but deliberately not loaded (kept as a data warning with the reason)."""
        if count > 0:
            self.result.skipped[reason] = self.result.skipped.get(reason, 0) + count

    def warn(self, subject: str, message: str) -> None:
        """Record a finding about the data that is kept as is (e.g. shares summing over 100%)."""
        self._warnings.append((subject, message))


def hash_paths(paths: Iterable[Path]) -> str:
    """sha256 over the names and bytes of ``paths`` (sorted), the identity of a source's content."""
    h = hashlib.sha256()
    for p in sorted(Path(x) for x in paths):
        h.update(p.name.encode())
        h.update(b"\0")
        with p.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        h.update(b"\0")
    return h.hexdigest()
