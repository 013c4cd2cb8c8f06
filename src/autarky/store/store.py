"""The Store: one DuckDB file, reached through Ibis, holding every dataset autarky loads.

A store is an ordinary DuckDB database: ``duckdb autarky.duckdb`` opens it and every table described in
``autarky.store.schema`` is there to read.  Library code reads through Ibis expressions (``store.table``),
so the same expressions can run on another Ibis backend; writes go through :meth:`Store.importer`, one
transaction per import.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import duckdb
import pyarrow as pa

from autarky.errors import ReadOnlyError, SchemaVersionError, StoreError, UnknownItemError
from autarky.geo.blocs import validate_bloc
from autarky.geo.resolve import Resolved, resolve
from autarky.store import flows, migrations, serving
from autarky.store.memo import Memo
from autarky.store.schema import SCHEMA_VERSION, all_tables
from autarky.store.settings import apply_settings, machine_memory, store_settings

if TYPE_CHECKING:
    import ibis.expr.types as ir
    from ibis.backends.duckdb import Backend as DuckDBBackend

    from autarky.store.importer import DatasetMeta, Importer

log = logging.getLogger(__name__)

__all__ = ["DEFAULT_STORE", "Store", "open_store", "resolve_store_path"]

DEFAULT_STORE = "autarky.duckdb"
#: What Ibis sets on a connection it makes, set on every connection and cursor here, so that raw SQL sees the
#: same settings whether or not an Ibis backend has been built on it (see :attr:`Store.ibis`).
_SESSION = "SET TimeZone = 'UTC'; SET python_enable_replacements = false"
T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
#: What the answers a read-only store keeps (:meth:`Store.query`) may weigh together; one answer heavier than
#: a quarter of it is not kept.
QUERY_CACHE_BYTES = 128 << 20


def resolve_store_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The store file to use: ``path`` if given, else ``$AUTARKY_STORE``, else ``./autarky.duckdb``."""
    if path is not None:
        return Path(path)
    env = os.environ.get("AUTARKY_STORE")
    return Path(env) if env else Path(DEFAULT_STORE)


def open_store(path: str | os.PathLike[str] | None = None, *, read_only: bool = False,
               adopt: bool = False) -> Store:
    """Open (creating and migrating if needed) the store at ``path``.

    ``path`` defaults to ``$AUTARKY_STORE`` and then ``./autarky.duckdb``.  A read-only store opens an
    existing file without creating or migrating anything.  A DuckDB file that holds tables but is no
    autarky store is refused unless ``adopt`` (``autarky init``) asks to add autarky's tables to it.
    """
    resolved = resolve_store_path(path)
    if read_only and not resolved.exists():
        raise StoreError(f"{resolved}: no store here; run `autarky init` first")
    return Store(resolved, read_only=read_only, adopt=adopt)


class Store:
    """A DuckDB store file reached through Ibis."""

    def __init__(self, path: Path, *, read_only: bool = False, adopt: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        #: Whether an import may replace a vintage with far fewer rows (see :meth:`replacing`).
        self.replace_allowed = False
        #: Whether this (read-only) store answers question after question, as a server's does: figures that
        #: cost about as much for every economy as for one are then computed for all at once and kept.
        self.answers_many = False
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        settings = store_settings(path, os.environ, machine_memory())  # memory limit, spilling, threads
        self._ibis: DuckDBBackend | None = None
        self._reader_sql: tuple[str, ...] | None = None  # see on_cursor
        self._reader_lock = threading.Lock()
        # what a read-only store holds cannot change while it is open (DuckDB refuses a writer meanwhile):
        # catalogue answers are kept for the connection's life, shared with its cursors (see remember)
        self._frozen: Memo[Any] | None = Memo(512) if read_only else None
        self._answers: Memo[pa.Table] | None = (
            Memo(4096, weigh=lambda t: t.nbytes, budget=QUERY_CACHE_BYTES) if read_only else None)
        try:
            self._con = duckdb.connect(str(path.absolute()), read_only=read_only)
        except duckdb.Error as exc:
            if "Could not set lock" in str(exc) or "Conflicting lock" in str(exc):
                raise StoreError(serving.lock_message(path, str(exc))) from exc
            raise StoreError(f"{path}: cannot open the store: {exc}") from exc
        try:
            self._con.execute(_SESSION)
            apply_settings(self.raw, settings)
            if not read_only:
                self._ensure_schema(adopt=adopt)
            else:
                self._check_version()
            flows.attach(self.raw, path, read_only=read_only)
            if not read_only and flows.sweep_staging(path):  # we hold the write lock: no import is running
                log.info("removed the staging folders of an interrupted import under %s", self.parquet_root)
        except BaseException:
            self._con.close()
            raise

    # -- connection -------------------------------------------------------------------------------------
    @property
    def raw(self) -> duckdb.DuckDBPyConnection:
        """The underlying DuckDB connection (for transactions and bulk inserts)."""
        return self._con

    @property
    def ibis(self) -> DuckDBBackend:
        """An Ibis backend on :attr:`raw`, built on first use: importing Ibis costs ~0.4 s, which a
        process that only imports a file, or only runs SQL, never pays."""
        if self._ibis is None:
            import ibis

            self._ibis = ibis.duckdb.from_connection(self._con)
        return self._ibis

    def on_cursor(self, cursor: duckdb.DuckDBPyConnection) -> Store:
        """This store (same file, same attributes) with its queries on ``cursor``, a cursor of :attr:`raw`:
        readers in threads each take their own (DuckDB runs a connection's cursors concurrently)."""
        import copy

        with self._reader_lock:  # what every cursor needs, worked out once (~7 ms of queries), on the cursor:
            if self._reader_sql is None:  # the root connection is not for concurrent use
                self._reader_sql = flows.reader_statements(cursor, self.path)
        cursor.execute(_SESSION)  # settings, search path and temporary views are per connection
        for sql in self._reader_sql:
            cursor.execute(sql)
        store = copy.copy(self)
        store._con, store._ibis = cursor, None
        return store

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, kept under ``key`` while a read-only store is open; computed on every call in a
        writable one.

        Nothing can change a read-only store while it is open: DuckDB refuses to open the file for writing
        meanwhile, in this process or any other.  So values that every request derives again (the content key,
        the blocs, the supplier index) are built once per open store and shared by its cursors; plain query
        answers are kept by :meth:`query` itself.
        ``key`` names what is computed and its arguments; the value must be treated as read-only.
        """
        if self._frozen is None:
            return compute()
        value: T = self._frozen.get(key, compute)
        return value

    def remember_each(self, namespace: str, keys: Sequence[K], compute: Callable[[list[K]], Mapping[K, T]]
                      ) -> dict[K, T]:
        """A value per key: those kept (see :meth:`remember`) and, computed in one call to ``compute`` (given
        the keys missing; it answers a value for each of them), the others, then kept too.  In a writable store
        ``compute`` gets every key."""
        if self._frozen is None:
            return dict(compute(list(keys)))
        held = self._frozen.held((namespace, k) for k in keys)
        out = {k: held[(namespace, k)] for k in keys if (namespace, k) in held}
        missing = [k for k in keys if k not in out]
        if missing:
            fresh = compute(missing)
            for k in missing:
                out[k] = self._frozen.get((namespace, k), functools.partial(fresh.__getitem__, k))
        return out

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def parquet_root(self) -> Path:
        """The folder beside the store file holding its Parquet (``<store file>.parquet``)."""
        return flows.parquet_root(self.path)

    # -- schema -----------------------------------------------------------------------------------------
    def schema_version(self) -> int:
        """The store's schema version, from its marker; a clear error if the marker is missing or broken."""
        row = self.raw.execute(
            "SELECT value FROM autarky_meta WHERE key = 'schema_version'"
        ).fetchone()
        fix = ("it cannot be read or upgraded safely: restore a backup, or start a new store "
               "(`autarky init --store NEW.duckdb`)")
        if row is None:
            raise SchemaVersionError(f"{self.path}: the schema marker is missing (autarky_meta has no "
                                     f"schema_version); {fix}")
        text = str(row[0]).strip()
        if not text.isdigit():
            raise SchemaVersionError(f"{self.path}: the schema marker is {row[0]!r}, not a version number; {fix}")
        version = int(text)
        if version < 1:
            raise SchemaVersionError(f"{self.path}: the schema marker is {version}, a version autarky never "
                                     f"writes (a store whose creation did not finish?); {fix}")
        return version

    def _user_tables(self) -> list[str]:
        """Tables and views of the file (a file with any but no ``autarky_meta`` is someone else's)."""
        rows = self.raw.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_catalog = current_database() ORDER BY table_name"
        ).fetchall()
        return [str(r[0]) for r in rows]

    def _has_meta(self) -> bool:
        row = self.raw.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'autarky_meta'"
        ).fetchone()
        return bool(row and row[0])

    def _refuse_newer(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise SchemaVersionError(
                f"{self.path}: written by a newer autarky (schema {version}, this one knows {SCHEMA_VERSION})"
            )

    def _check_version(self) -> None:
        if not self._has_meta():
            raise StoreError(f"{self.path}: not an autarky store (no autarky_meta table)")
        self._refuse_newer(self.schema_version())

    def _ensure_schema(self, *, adopt: bool = False) -> None:
        if not self._has_meta():
            foreign = self._user_tables()
            if foreign and not adopt:
                shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
                raise StoreError(
                    f"{self.path}: not an autarky store (a DuckDB file with its own tables: {shown}); left "
                    f"untouched. Use another file for the store, or run `autarky init --store {self.path}` to "
                    "add autarky's tables to this one"
                )
        current = self.schema_version() if self._has_meta() else 0
        self._refuse_newer(current)
        if current == SCHEMA_VERSION:
            return
        con = self.raw
        con.begin()
        try:
            migrations.migrate(con, current)
            con.commit()
        except BaseException:
            con.rollback()
            raise
        log.info("store %s at schema version %d", self.path, SCHEMA_VERSION)

    # -- reading ----------------------------------------------------------------------------------------
    def table(self, name: str) -> ir.Table:
        """An Ibis expression over a declared table."""
        try:
            return self.ibis.table(name)
        except Exception as exc:  # ibis raises backend-specific errors
            raise UnknownItemError(f"no table {name!r} in the store") from exc

    def tables(self) -> list[str]:
        return sorted(self.ibis.list_tables())

    def query(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> pa.Table:
        """Run a parameterised SQL query written by library code; returns Arrow.

        In a read-only store the answer is kept (see :meth:`remember`; Arrow tables are immutable), within
        :data:`QUERY_CACHE_BYTES` for all answers held: the lookups that many requests repeat (a dataset's
        rows, the current ledgers, an IO table's cells) are read once.
        """
        def run() -> pa.Table:
            return self.raw.execute(sql, params or []).to_arrow_table()

        if self._answers is None:
            return run()
        items = sorted(params.items()) if isinstance(params, Mapping) else list(params or ())
        # a list parameter (``list_contains(?, …)``) is kept under its items
        frozen = tuple(tuple(v) if isinstance(v, list) else v for v in items)
        try:
            hash(frozen)
        except TypeError:  # a parameter that cannot be a key: not kept
            return run()
        return self._answers.get((sql, frozen), run)

    def read_only_sql(self, sql: str, *, allow_files: bool = True) -> pa.Table:
        """Run user-written SQL, refusing anything but queries (``autarky sql``).

        With ``allow_files=False`` the query may read the store and its own Parquet but no other file
        (DuckDB's ``enable_external_access`` off, the Parquet root the one allowed directory); this is
        irreversible for the store's connection, so faces use it on a store opened for that one query.
        """
        try:
            statements = duckdb.extract_statements(sql)
        except duckdb.Error as exc:
            raise StoreError(f"SQL does not parse: {exc}") from exc
        if not statements:
            raise StoreError("no SQL statement given")
        for st in statements:
            if st.type not in (duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN):
                raise ReadOnlyError(
                    f"only queries are allowed here (got a {st.type.name} statement); "
                    "imports go through `autarky import`"
                )
        # A cursor of our own connection: read-only stores refuse writes themselves; on a writable one the
        # statement types were checked above and whatever runs is rolled back.
        con = self.raw.cursor()
        try:
            # a cursor has its own settings and temp views
            flows.attach(con, self.path, read_only=True, absolute=not allow_files)
            if not allow_files:
                con.execute(f"SET allowed_directories = [{flows.sql_str(str(self.parquet_root) + os.sep)}]")
                con.execute("SET enable_external_access = false")
            con.begin()
            result = None
            for st in statements:
                result = con.execute(st.query).to_arrow_table()
            assert result is not None
            return result
        except duckdb.Error as exc:
            if "file system operations are disabled" in str(exc):
                raise ReadOnlyError(f"this query reads a file outside the store, which `autarky sql` does not do "
                                    f"unless given --allow-files ({str(exc).splitlines()[0]})") from exc
            raise StoreError(f"query failed: {exc}") from exc
        finally:
            con.rollback()
            con.close()

    # -- datasets and provenance ------------------------------------------------------------------------
    def datasets(self, kind: str | None = None) -> pa.Table:
        """Every loaded dataset with vintage, licence and row counts, newest first."""
        where = "WHERE kind = ?" if kind else ""
        return self.query(
            "SELECT dataset_id, name, kind, publisher, vintage, licence, attribution, source, content_hash,"
            " loaded_at, rows_read, rows_loaded, rows_quarantined FROM datasets "
            f"{where} ORDER BY name, vintage, dataset_id",
            [kind] if kind else None,
        )

    def latest_dataset(self, kind: str, name: str | None = None) -> dict[str, Any] | None:
        """The most recently loaded dataset of ``kind`` (and ``name``), as a dict, or None."""
        sql = "SELECT * FROM datasets WHERE kind = ?"
        params: list[Any] = [kind]
        if name:
            sql += " AND name = ?"
            params.append(name)
        sql += " ORDER BY vintage DESC, loaded_at DESC, dataset_id DESC LIMIT 1"

        def read() -> dict[str, Any] | None:
            rows = self.query(sql, params).to_pylist()
            return rows[0] if rows else None

        # kept while a read-only store is open (most questions ask, ~0.2 ms each); a copy, callers may change it
        row = self.remember(("latest_dataset", kind, name), read)
        return None if row is None else dict(row)

    def content_key(self) -> tuple[Any, ...]:
        """What the store's datasets hold, as a hashable key: the file and every dataset's id, content hash,
        name and vintage (one small query).  Any import, replacement or removal changes it, so values derived
        from the datasets can be memoised under it (:class:`autarky.store.memo.Memo`); user blocs are not in it."""
        def read() -> tuple[Any, ...]:
            rows = self.raw.execute(
                "SELECT dataset_id, content_hash, name, vintage FROM datasets ORDER BY dataset_id").fetchall()
            return (str(self.path), *((int(i), str(h), str(n), str(v)) for i, h, n, v in rows))

        return self.remember(("content_key",), read)

    def dataset(self, dataset_id: int) -> dict[str, Any]:
        rows = self.query("SELECT * FROM datasets WHERE dataset_id = ?", [dataset_id]).to_pylist()
        if not rows:
            raise UnknownItemError(f"no dataset with id {dataset_id}")
        row: dict[str, Any] = rows[0]
        return row

    @contextmanager
    def replacing(self, allowed: bool = True) -> Iterator[Store]:
        """Within the block, imports may replace a vintage even with far fewer rows (``--replace``)."""
        before = self.replace_allowed
        self.replace_allowed = allowed
        try:
            yield self
        finally:
            self.replace_allowed = before

    @contextmanager
    def importer(self, meta: DatasetMeta) -> Iterator[Importer]:
        """One import, one transaction: see :class:`autarky.store.importer.Importer`."""
        from autarky.store.importer import Importer

        if self.read_only:
            raise ReadOnlyError(f"{self.path} is open read-only")
        imp = Importer(self, meta)
        with imp.transaction():
            yield imp

    def data_tables(self) -> list[str]:
        """Declared tables whose rows belong to a dataset (deleted with it when a vintage is replaced)."""
        return [t.name for t in all_tables() if t.provenance and t.view_sql is None]

    # -- economies and blocs ----------------------------------------------------------------------------
    def blocs(self) -> dict[str, tuple[str, ...]]:
        """Every bloc (bundled and user-defined) with its ISO3 members."""
        def read() -> dict[str, tuple[str, ...]]:
            rows = self.raw.execute(
                "SELECT bloc, list(iso3 ORDER BY iso3) FROM bloc_members GROUP BY bloc ORDER BY bloc"
            ).fetchall()
            return {str(b): tuple(m) for b, m in rows}

        return dict(self.remember(("blocs",), read))

    def resolve(self, text: str | Sequence[str]) -> Resolved:
        """Resolve an economy, a bloc or a comma-separated list of them to ISO3 members."""
        return resolve(text, self.blocs())

    def add_bloc(self, name: str, members: Sequence[str], description: str = "", source: str = "") -> None:
        """Add or replace a user bloc (one transaction)."""
        if self.read_only:
            raise ReadOnlyError(f"{self.path} is open read-only")
        clean = validate_bloc(name, [self.resolve(m).label for m in members])
        con = self.raw
        con.begin()
        try:
            con.execute("DELETE FROM bloc_members WHERE bloc = ?", [name])
            con.execute("DELETE FROM blocs WHERE bloc = ?", [name])
            con.execute("INSERT INTO blocs (bloc, description, source, origin) VALUES (?, ?, ?, 'user')",
                        [name, description, source])
            con.executemany("INSERT INTO bloc_members VALUES (?, ?)", [[name, m] for m in clean])
            con.commit()
        except BaseException:
            con.rollback()
            raise
