"""Frozen migrations: a store made by every earlier schema version upgrades to exactly the declared schema."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from autarky.store import open_store
from autarky.store.migrations import migrate, statements
from autarky.store.schema import SCHEMA_VERSION, all_tables


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position").fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for t, c, typ in rows:
        out.setdefault(t, []).append((c, typ))
    return out


def test_every_version_has_its_frozen_file() -> None:
    for v in range(1, SCHEMA_VERSION + 1):
        assert statements(v), f"v{v:03d}.sql is empty or missing"


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION + 1))
def test_a_store_of_every_earlier_version_upgrades_to_the_declared_schema(tmp_path: Path, version: int) -> None:
    old = tmp_path / f"v{version}.duckdb"
    con = duckdb.connect(str(old))
    con.begin()
    migrate(con, 0, version)
    con.commit()
    con.execute("INSERT INTO datasets (dataset_id, name, kind, vintage, content_hash, loaded_at) "
                "VALUES (1, 'kept', 'ledger', 'v', 'h', now())")
    con.close()

    upgraded = open_store(old)  # migrates to SCHEMA_VERSION on open
    fresh = open_store(tmp_path / "fresh.duckdb")
    try:
        assert upgraded.schema_version() == SCHEMA_VERSION
        assert _columns(upgraded.raw) == _columns(fresh.raw)
        assert upgraded.query("SELECT name FROM datasets").column(0).to_pylist() == ["kept"]
        declared = {t.name: [c.name for c in t.columns] for t in all_tables()}
        found = _columns(fresh.raw)
        for name, cols in declared.items():
            assert [c for c, _ in found[name]] == cols, name
    finally:
        upgraded.close()
        fresh.close()
