"""Developer tool: the SQL that takes a store from the frozen schema of version N−1 to the declared schema.

    .venv/bin/python bench/dev/schema_diff.py > src/autarky/store/migrations/v002.sql   # while version 2 is open

Builds a store from the frozen files up to ``SCHEMA_VERSION - 1`` and compares it with the declarations in
``autarky/store/schema``: new tables are created, new columns added, views replaced.  A dropped or retyped
column is printed as a comment to be written by hand.  Once a version is released its file is never rewritten.
"""

from __future__ import annotations

import sys

import duckdb

from autarky.store.migrations import migrate
from autarky.store.schema import SCHEMA_VERSION, all_tables


def main() -> None:
    con = duckdb.connect()
    con.begin()
    migrate(con, 0, SCHEMA_VERSION - 1)
    have: dict[str, list[tuple[str, str]]] = {}
    for t, c, typ in con.execute("SELECT table_name, column_name, data_type FROM information_schema.columns "
                                 "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position").fetchall():
        have.setdefault(t, []).append((c, typ))
    out = [f"-- autarky store schema, version {SCHEMA_VERSION}: from version {SCHEMA_VERSION - 1} (frozen once "
           "released; never edit a released file).", ""]
    for t in all_tables():
        if t.view_sql is not None:
            old = con.execute("SELECT sql FROM duckdb_views() WHERE view_name = ?", [t.name]).fetchone()
            new = t.ddl()[0]
            if old is None or t.name not in have or [c for c, _ in have[t.name]] != list(t.column_names):
                out += [new.rstrip(";") + ";", ""]
            continue
        if t.name not in have:
            out += [s.rstrip(";") + ";" for s in t.ddl()] + [""]
            continue
        cols = {c for c, _ in have[t.name]}
        for c in t.columns:
            if c.name not in cols:
                out += [f'ALTER TABLE "{t.name}" ADD COLUMN {c.ddl().replace(" NOT NULL", "")};', ""]
        declared = {c.name for c in t.columns}
        for c in cols - declared:
            out += [f"-- TODO by hand: column {t.name}.{c} is no longer declared", ""]
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
