"""Schema migrations, frozen: one SQL file per schema version, never rebuilt from the live declarations.

``v001.sql`` creates the schema of version 1 as it was released; ``vNNN.sql`` holds the statements that take
a store from version N−1 to N.  A fresh store runs every file in order, an older one the files above its
version, all in one transaction.  A step that needs data as well as DDL (seeding economies and blocs) has a
hook in :data:`HOOKS`.  ``tests/store/test_migrations.py`` builds a store at every earlier version from these
same files and checks that upgrading it gives exactly the declared schema of this version.

Changing a declared table means: bump ``SCHEMA_VERSION`` in ``autarky/store/schema``, add ``vNNN.sql``
(``ALTER TABLE``/``CREATE TABLE`` statements), and never edit an older file.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

import duckdb

from autarky.geo.blocs import bundled_blocs
from autarky.geo.economies import economies_table
from autarky.store.schema import SCHEMA_VERSION

__all__ = ["HOOKS", "migrate", "refresh_bundled_blocs", "statements"]


def statements(version: int) -> list[str]:
    """The SQL statements of one version's frozen file."""
    text = resources.files(__package__).joinpath(f"v{version:03d}.sql").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in body.split(";\n") if s.strip()]


def _seed_economies(con: duckdb.DuckDBPyConnection) -> None:
    econ = economies_table()
    con.register("__econ", econ)
    con.execute("INSERT INTO economies SELECT * FROM __econ")
    con.unregister("__econ")


def refresh_bundled_blocs(con: duckdb.DuckDBPyConnection) -> None:
    """Replace the bundled blocs with the package's ``blocs.yaml`` (user blocs are kept)."""
    cols = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'blocs'").fetchall()}
    con.execute("DELETE FROM bloc_members WHERE bloc IN (SELECT bloc FROM blocs WHERE origin = 'bundled')")
    con.execute("DELETE FROM blocs WHERE origin = 'bundled'")
    for b in bundled_blocs():
        if "as_of" in cols:
            con.execute("INSERT INTO blocs (bloc, description, source, origin, as_of, source_url) "
                        "VALUES (?, ?, ?, 'bundled', ?, ?)",
                        [b.name, b.description, b.source, b.as_of, b.source_url])
        else:
            con.execute("INSERT INTO blocs (bloc, description, source, origin) VALUES (?, ?, ?, 'bundled')",
                        [b.name, b.description, b.source])
        con.executemany("INSERT INTO bloc_members VALUES (?, ?)", [[b.name, m] for m in b.members])


def _v1(con: duckdb.DuckDBPyConnection) -> None:
    _seed_economies(con)
    refresh_bundled_blocs(con)


#: Data steps run after a version's SQL file.  Version 2 re-seeds the bundled blocs: they gained an as-of
#: date and a source URL, Thailand joined US_ALLIES, WASSENAAR and CHINA_PLUS_ONE were added.
HOOKS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {1: _v1, 2: refresh_bundled_blocs}


def migrate(con: duckdb.DuckDBPyConnection, from_version: int, to_version: int = SCHEMA_VERSION) -> None:
    """Bring a store at ``from_version`` (0 = empty) up to ``to_version``; the caller holds the transaction."""
    for version in range(from_version + 1, to_version + 1):
        for stmt in statements(version):
            con.execute(stmt)
        hook = HOOKS.get(version)
        if hook is not None:
            hook(con)
    con.execute("INSERT OR REPLACE INTO autarky_meta VALUES ('schema_version', ?)", [str(to_version)])
