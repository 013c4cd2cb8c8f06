"""The store file: schema, version, plain-DuckDB readability, read-only SQL."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from autarky.errors import ReadOnlyError, SchemaVersionError, StoreError
from autarky.store import open_store
from autarky.store.schema import SCHEMA_VERSION, all_tables


def test_every_declared_table_is_readable_by_plain_duckdb(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    open_store(path).close()
    con = duckdb.connect(str(path), read_only=True)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    for t in all_tables():
        assert t.name in tables
        cols = [r[0] for r in con.execute(f'DESCRIBE "{t.name}"').fetchall()]
        assert tuple(cols) == t.column_names, t.name
        con.execute(f'SELECT * FROM "{t.name}" LIMIT 1').fetchall()
    assert con.execute("SELECT value FROM autarky_meta WHERE key='schema_version'").fetchone() == (
        str(SCHEMA_VERSION),
    )
    con.close()


def test_economies_and_bundled_blocs_are_seeded(store) -> None:  # type: ignore[no-untyped-def]
    n = store.query("SELECT count(*) AS n FROM economies").column("n")[0].as_py()
    assert n > 240
    blocs = store.blocs()
    assert {"US_ALLIES", "EU27", "CHN", "QUAD"} <= set(blocs)
    assert blocs["CHN"] == ("CHN",)
    assert {"USA", "JPN", "NLD", "KOR", "TWN", "DEU", "GBR"} <= set(blocs["US_ALLIES"])


def test_reopening_does_not_duplicate_seed_rows(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    open_store(path).close()
    st = open_store(path)
    assert st.query("SELECT count(*) AS n FROM bloc_members WHERE bloc = 'EU27'").column("n")[0].as_py() == 27
    st.close()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    st = open_store(path)
    st.raw.execute("UPDATE autarky_meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    st.close()
    with pytest.raises(SchemaVersionError, match="newer autarky"):
        open_store(path)


def test_read_only_sql_refuses_writes_and_leaves_store_unchanged(store) -> None:  # type: ignore[no-untyped-def]
    before = store.query("SELECT count(*) AS n FROM blocs").column("n")[0].as_py()
    for stmt in ("DELETE FROM blocs", "DROP TABLE blocs", "SELECT 1; DELETE FROM blocs",
                 "INSERT INTO blocs VALUES ('x', '', '', 'user')", "CREATE TABLE t (a INT)"):
        with pytest.raises(ReadOnlyError):
            store.read_only_sql(stmt)
    assert store.query("SELECT count(*) AS n FROM blocs").column("n")[0].as_py() == before


def test_read_only_sql_answers_queries(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    open_store(path).close()
    st = open_store(path, read_only=True)
    out = st.read_only_sql("SELECT iso3 FROM economies WHERE iso3 IN ('CHN', 'TWN') ORDER BY iso3")
    assert out.column("iso3").to_pylist() == ["CHN", "TWN"]
    with pytest.raises(StoreError, match=r"does not parse|query failed"):
        st.read_only_sql("SELEC nonsense")


def test_read_only_open_of_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="autarky init"):
        open_store(tmp_path / "nope.duckdb", read_only=True)


def test_store_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTARKY_STORE", str(tmp_path / "env.duckdb"))
    st = open_store()
    assert st.path == tmp_path / "env.duckdb"
    st.close()
    assert (tmp_path / "env.duckdb").exists()


def test_user_bloc_is_resolvable_and_persists(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    st = open_store(path)
    st.add_bloc("CHINA_PLUS_ONE", ["Vietnam", "MEX", "IND"], "alternatives", "user")
    st.close()
    st = open_store(path)
    assert st.resolve("china_plus_one").members == {"VNM", "MEX", "IND"}
    assert st.resolve("CHINA_PLUS_ONE,QUAD").members == {"VNM", "MEX", "IND", "USA", "JPN", "AUS"}
    st.close()


def test_read_only_sql_on_a_writable_store(store) -> None:  # type: ignore[no-untyped-def]
    out = store.read_only_sql("SELECT count(*) AS n FROM blocs")
    assert out.column("n")[0].as_py() >= 8
