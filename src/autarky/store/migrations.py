"""Schema migrations. ``migrate(con, from_version)`` brings a store up to ``SCHEMA_VERSION``.

Version 1 creates every declared table and seeds economies (country_converter) and the bundled blocs.
A later schema change adds a function to ``_STEPS`` keyed by the version it produces; stores are
upgraded in place, one transaction for all steps.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from autarky.geo.blocs import bundled_blocs
from autarky.geo.economies import economies_table
from autarky.store.schema import SCHEMA_VERSION, all_tables

__all__ = ["migrate"]


def _v1(con: duckdb.DuckDBPyConnection) -> None:
    for t in all_tables():
        for stmt in t.ddl():
            con.execute(stmt)
    econ = economies_table()
    con.register("__econ", econ)
    con.execute("INSERT INTO economies SELECT * FROM __econ")
    con.unregister("__econ")
    for b in bundled_blocs():
        con.execute("INSERT INTO blocs VALUES (?, ?, ?, 'bundled')", [b.name, b.description, b.source])
        con.executemany("INSERT INTO bloc_members VALUES (?, ?)", [[b.name, m] for m in b.members])


_STEPS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {1: _v1}


def migrate(con: duckdb.DuckDBPyConnection, from_version: int) -> None:
    for version in range(from_version + 1, SCHEMA_VERSION + 1):
        _STEPS[version](con)
    con.execute(
        "INSERT OR REPLACE INTO autarky_meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
    )
