"""The store's declared schema: every table, its typed columns, and the schema version.

Each domain declares its tables in a module of this package (``core``, ``chains``, ``trade``, ``money``,
``io``, ``complexity``); :func:`all_tables` gathers them in a fixed order.  The DDL is generated from these
declarations, so the schema a user reads with ``DESCRIBE`` is exactly the one written here.

Every data table carries ``dataset_id`` (the row in ``datasets`` it came from: name, publisher, vintage,
licence, source, content hash) and, where the data come from a file, ``source_line`` (the 1-based line of
the source file, header = line 1), so any figure can be traced to its dataset, vintage and source row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["SCHEMA_VERSION", "Column", "Table", "all_tables", "table"]

#: Bump when a declared table changes, and add a migration in ``autarky.store.migrations``.
SCHEMA_VERSION = 2


@dataclass(frozen=True)
class Column:
    """One typed column. ``type`` is a DuckDB type name."""

    name: str
    type: str
    nullable: bool = True
    doc: str = ""

    def ddl(self) -> str:
        return f'"{self.name}" {self.type}' + ("" if self.nullable else " NOT NULL")


@dataclass(frozen=True)
class Table:
    """A declared table (or, when ``view_sql`` is set, a view)."""

    name: str
    doc: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    provenance: bool = True  # has dataset_id and belongs to a dataset
    view_sql: str | None = None
    indexes: tuple[tuple[str, ...], ...] = field(default=())

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def ddl(self) -> list[str]:
        if self.view_sql is not None:
            return [f'CREATE OR REPLACE VIEW "{self.name}" AS {self.view_sql}']
        cols = [c.ddl() for c in self.columns]
        if self.primary_key:
            cols.append("PRIMARY KEY (" + ", ".join(f'"{c}"' for c in self.primary_key) + ")")
        stmts = [f'CREATE TABLE IF NOT EXISTS "{self.name}" (\n  ' + ",\n  ".join(cols) + "\n)"]
        for i, idx in enumerate(self.indexes):
            stmts.append(
                f'CREATE INDEX IF NOT EXISTS "{self.name}_idx{i}" ON "{self.name}" ('
                + ", ".join(f'"{c}"' for c in idx) + ")"
            )
        return stmts


def dataset_id() -> Column:
    return Column("dataset_id", "BIGINT", False, "the dataset this row came from (datasets.dataset_id)")


def source_line() -> Column:
    return Column("source_line", "INTEGER", True, "1-based line in the source file (header = 1)")


def all_tables() -> tuple[Table, ...]:
    """Every declared table, core first, in creation order."""
    from autarky.store.schema import (
        chains,
        company,
        complexity,
        core,
        fetch,
        indicators,
        io,
        measures,
        money,
        sectors,
        trade,
    )

    out: list[Table] = []
    for module in (core, chains, trade, money, io, complexity, indicators, fetch, measures, company, sectors):
        out.extend(module.TABLES)
    return tuple(out)


def table(name: str) -> Table:
    """The declared table called ``name``."""
    for t in all_tables():
        if t.name == name:
            return t
    raise KeyError(name)
