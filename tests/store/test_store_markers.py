"""Issue 19.3: a DuckDB file of one's own is never silently turned into a store; broken schema markers give
one clear message each (no traceback, no half-migrated file)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from autarky.errors import SchemaVersionError, StoreError
from autarky.store import open_store


def _own_file(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE my_sales (region VARCHAR, amount DOUBLE)")
    con.execute("INSERT INTO my_sales VALUES ('north', 12.5)")
    con.close()


def _tables(path: Path) -> list[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return sorted(r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall())
    finally:
        con.close()


def test_a_foreign_duckdb_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "mine.duckdb"
    _own_file(path)
    with pytest.raises(StoreError, match="not an autarky store") as err:
        open_store(path)
    assert "my_sales" in str(err.value) and "autarky init" in str(err.value)
    assert _tables(path) == ["my_sales"]
    with pytest.raises(StoreError, match="not an autarky store"):
        open_store(path, read_only=True)


def test_init_adopts_a_foreign_file_keeping_its_tables(tmp_path: Path) -> None:
    path = tmp_path / "mine.duckdb"
    _own_file(path)
    open_store(path, adopt=True).close()
    tables = _tables(path)
    assert "my_sales" in tables and "autarky_meta" in tables and "datasets" in tables
    open_store(path).close()  # now a store: plain opens work


def test_an_empty_duckdb_file_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    open_store(path).close()
    assert "autarky_meta" in _tables(path)


def _break_marker(path: Path, how: str) -> None:
    open_store(path).close()
    con = duckdb.connect(str(path))
    if how == "missing":
        con.execute("DELETE FROM autarky_meta WHERE key = 'schema_version'")
    else:
        con.execute("UPDATE autarky_meta SET value = ? WHERE key = 'schema_version'", [how])
    con.close()


@pytest.mark.parametrize(("how", "says"), [("0", "marker is 0"), ("missing", "marker is missing"),
                                           ("x", "marker is 'x', not a version number")])
@pytest.mark.parametrize("read_only", [False, True])
def test_a_broken_schema_marker_is_one_clear_message(tmp_path: Path, how: str, says: str, read_only: bool) -> None:
    path = tmp_path / "s.duckdb"
    _break_marker(path, how)
    with pytest.raises(SchemaVersionError, match=says) as err:
        open_store(path, read_only=read_only)
    assert str(path) in str(err.value)


@pytest.mark.parametrize("how", ["0", "missing", "x"])
def test_the_cli_prints_one_line_for_a_broken_marker(tmp_path: Path, how: str) -> None:
    path = tmp_path / "s.duckdb"
    _break_marker(path, how)
    env = {**os.environ, "AUTARKY_STORE": str(path), "COLUMNS": "200"}
    for args in (["datasets"], ["import", "sectors", str(tmp_path)]):
        done = subprocess.run([sys.executable, "-m", "autarky", *args], capture_output=True, text=True, env=env,
                              timeout=120)
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
        assert "schema marker" in done.stderr


def test_the_cli_refuses_a_foreign_file_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "mine.duckdb"
    _own_file(path)
    env = {**os.environ, "AUTARKY_STORE": str(path), "COLUMNS": "200"}
    for args in (["datasets"], ["blocs", "add", "MINE", "VNM,MEX"]):
        done = subprocess.run([sys.executable, "-m", "autarky", *args], capture_output=True, text=True, env=env,
                              timeout=120)
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr and "not an autarky store" in done.stderr
    assert _tables(path) == ["my_sales"]
