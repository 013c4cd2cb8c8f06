"""Where trade queries run: the store's DuckDB (default) or Spark, through the same Ibis expressions.

The flows are Parquet folders listed in the store (``trade_flow_parts``); DuckDB reads them through the
``trade_flows`` view, Spark reads the same folders (``basePath`` partition discovery: ``dataset_id``,
``year``).  Everything else an indicator needs (sector concordance, bloc members, HS links) is small and
travels as an Ibis memtable, which both backends accept.

Spark is optional (``pip install 'autarky[spark]'``): ``local[2]`` by default, or any master URL.  On a
cluster the executors must see the Parquet: copy ``<store>.parquet`` to shared storage (HDFS, S3, a
network mount) and pass its URI as ``parquet_uri``.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from autarky.errors import EngineError
from autarky.store import Store
from autarky.store.flows import check_folders, relative_parts
from autarky.store.memo import Memo
from autarky.trade.flowstore import FLOW_TABLE, flow_dirs, parquet_root

__all__ = ["DuckDBEngine", "Engine", "SparkEngine", "spark_engine", "spark_session"]


@dataclass
class Engine:
    """A backend that can read the store's flows and run Ibis expressions."""

    store: Store
    name: str = "duckdb"

    @property
    def backend(self) -> Any:
        return self.store.ibis

    def flows(self, dataset_ids: list[int]) -> ir.Table:
        """All flow rows of ``dataset_ids`` (columns as the ``trade_flows`` view)."""
        raise NotImplementedError

    def check(self, dataset_ids: list[int]) -> None:
        """Raise a clear error now if the flows of ``dataset_ids`` cannot be read (see :meth:`flows`, which
        an analysis may never need: a prepared query reads the flows in its own SQL)."""

    def execute(self, expr: ir.Table) -> pa.Table:
        table: pa.Table = self.backend.to_pyarrow(expr)
        return table

    def memtable(self, data: pa.Table) -> ir.Table:
        return ibis.memtable(data)

    def value_set(self, name: str, members: Collection[str]) -> Collection[str] | ir.Column:
        """What an expression matches texts against (``isin``: economies' ISO3 codes, HS products): here the
        members themselves; an engine that prepares queries (:meth:`execute_prepared`) gives a column of a
        table named after ``name``, whose members each run passes."""
        return sorted(members)

    def table_param(self, name: str, data: pa.Table) -> ir.Table:
        """A small table an expression reads (a sector concordance): here the data itself; an engine that
        prepares queries gives a table named after ``name``, filled from ``tables`` at each run."""
        return self.memtable(data)

    def execute_prepared(self, key: Hashable, build: Callable[[], ir.Table],
                         sets: Mapping[str, Collection[str]],
                         tables: Mapping[str, pa.Table] | None = None) -> pa.Table:
        """The result of ``build()`` (an expression whose sets of texts come from :meth:`value_set` and
        whose table parameters from :meth:`table_param`, filled from ``sets`` and ``tables``).  ``key`` names
        everything else the expression depends on: an engine that prepares queries compiles it once per
        key."""
        return self.execute(build())


@dataclass(frozen=True)
class _Prepared:
    sql: str
    tables: tuple[tuple[str, Any], ...]  # the memtables the SQL names, with their data
    schema: Any  # the expression's Ibis schema, which the result is converted to


#: Compiled trade queries by their key (see :meth:`Engine.execute_prepared`): compiling an indicator's Ibis
#: expression costs 20–60 ms, more than running it on a year of flows.
_PREPARED: Memo[_Prepared] = Memo(256)
_SET_PREFIX = "autarky_set_"
_TABLE_PREFIX = "autarky_table_"


def _with_sets(sql: str, names: Sequence[str]) -> str:
    """``sql`` (compiled by Ibis) with each set of texts it reads (:meth:`DuckDBEngine.value_set`) defined
    first, as a common table expression of its members, which the run passes as a list parameter.

    Registering a one-column Arrow table for a set and unregistering it after the run took ~2 ms on this
    machine, a catalog change per set and query; the members as a parameter cost nothing like it.  The set
    is named as the table the expression reads, so the expression's own references resolve to it."""
    if not names:
        return sql
    ctes = ", ".join(f'"{_SET_PREFIX}{n}" AS (SELECT unnest(${_SET_PREFIX}{n}::VARCHAR[]) AS "value")'
                     for n in names)
    body = sql.lstrip()
    head = re.match(r"WITH(\s+RECURSIVE)?\s", body, re.IGNORECASE)
    if head:  # one WITH clause: the sets first, then the expression's own
        return f"{head.group(0)}{ctes}, {body[head.end():]}"
    return f"WITH {ctes} {body}"


@dataclass
class DuckDBEngine(Engine):
    """The store's own DuckDB connection (the default).

    Queries run through :meth:`execute_prepared` are compiled once per key and run as prepared SQL: the
    economies or products they match are a list parameter of the run (``value_set``), the sector
    concordance they group by a table registered on the connection for the run (``table_param``), so asking
    about another economy or sector reuses the SQL instead of compiling a new expression.
    """

    def check(self, dataset_ids: list[int]) -> None:
        # the connection's ``trade_flows`` lists the committed parts: opening the store (and every API cursor)
        # points it at them, shadowing a stale stored view read-only, and each import rewrites it in its
        # transaction; what can still change under an open store is its Parquet folder, checked here on every
        # query (which folders are committed is read once while a read-only store is open)
        con = self.store.raw
        parts = self.store.remember(("trade flow parts",), lambda: relative_parts(con))
        check_folders(con, self.store.path, parts)  # a store copied without its Parquet: one clear error

    def flows(self, dataset_ids: list[int]) -> ir.Table:
        self.check(dataset_ids)
        t = self.store.table(FLOW_TABLE)
        return t.filter(t.dataset_id.isin(dataset_ids)) if dataset_ids else t.limit(0)

    def value_set(self, name: str, members: Collection[str]) -> Collection[str] | ir.Column:
        column: ir.Column = ibis.table({"value": "string"}, name=_SET_PREFIX + name)["value"]
        return column

    def table_param(self, name: str, data: pa.Table) -> ir.Table:
        return ibis.table(ibis.Schema.from_pyarrow(data.schema), name=_TABLE_PREFIX + name)

    def execute_prepared(self, key: Hashable, build: Callable[[], ir.Table],
                         sets: Mapping[str, Collection[str]],
                         tables: Mapping[str, pa.Table] | None = None) -> pa.Table:
        from ibis.backends.duckdb.converter import DuckDBPyArrowData
        from ibis.expr import operations as ops

        def prepare() -> _Prepared:
            t = build().as_table()
            tables = tuple((op.name, op.data.to_pyarrow(op.schema)) for op in t.op().find(ops.InMemoryTable))
            return _Prepared(_with_sets(str(self.backend.compile(t)), sorted(sets)), tables, t.schema())

        prepared = _PREPARED.get(key, prepare)
        con = self.store.raw
        for name, data in prepared.tables:
            con.register(name, data)
        registered = [(_TABLE_PREFIX + name, data) for name, data in (tables or {}).items()]
        for name, data in registered:
            con.register(name, data)
        params = {_SET_PREFIX + name: sorted(members) for name, members in sets.items()}
        try:  # planned once (a relation would bind it twice)
            table = con.execute(prepared.sql, params or None).to_arrow_table()
        finally:
            for name, _ in registered:
                con.unregister(name)
        converted: pa.Table = DuckDBPyArrowData.convert_table(table, prepared.schema)
        return converted


@dataclass
class SparkEngine(Engine):
    """A Spark session (local or a cluster) reading the store's Parquet."""

    name: str = "spark"
    session: Any = None
    parquet_uri: str | None = None
    _backend: Any = field(default=None, repr=False)

    @property
    def backend(self) -> Any:
        if self._backend is None:
            self._backend = ibis.pyspark.connect(self.session)
        return self._backend

    def flows(self, dataset_ids: list[int]) -> ir.Table:
        local_root = parquet_root(self.store)
        root = (self.parquet_uri or str(local_root)).rstrip("/")
        dirs = [str(d).replace(str(local_root), root, 1)
                for d in flow_dirs(self.store.raw, local_root, dataset_ids or [-1])]
        base = f"{root}/{FLOW_TABLE}"
        if not dirs:
            empty = self.store.table(FLOW_TABLE).limit(0).to_pyarrow()
            return self.memtable(empty)
        df = self.session.read.option("basePath", base).parquet(*dirs)
        name = f"autarky_trade_flows_{abs(hash(tuple(dirs))) % 10**12}"
        df.createOrReplaceTempView(name)
        t = self.backend.table(name)
        return t.mutate(dataset_id=t.dataset_id.cast("int64"), year=t.year.cast("int16"))


def spark_session(master: str | None = None, *, app_name: str = "autarky", shuffle_partitions: int = 8,
                  conf: dict[str, str] | None = None) -> Any:
    """A Spark session with the settings autarky needs (see docs/trade.md).

    ``master`` is ``local[2]`` by default, or a cluster URL (``spark://host:7077``, ``yarn``, ``k8s://…``).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise EngineError("Spark is not installed: pip install 'autarky[spark]'") from exc
    master = master or os.environ.get("AUTARKY_SPARK_MASTER") or "local[2]"
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    warehouse = tempfile.mkdtemp(prefix="autarky-spark-warehouse-")
    atexit.register(shutil.rmtree, warehouse, ignore_errors=True)
    builder = (SparkSession.builder.master(master).appName(app_name)
               .config("spark.sql.warehouse.dir", warehouse)
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
               .config("spark.sql.session.timeZone", "UTC"))
    for k, v in (conf or {}).items():
        builder = builder.config(k, v)
    try:
        return builder.getOrCreate()
    except Exception as exc:  # Spark raises many kinds (Java missing, port in use)
        raise EngineError(f"cannot start Spark ({master}): {exc}") from exc


def spark_engine(store: Store, *, session: Any = None, master: str | None = None,
                 parquet_uri: str | None = None) -> SparkEngine:
    """A :class:`SparkEngine` over ``store``'s flows (starting a session unless one is given)."""
    return SparkEngine(store=store, session=session or spark_session(master), parquet_uri=parquet_uri)
