"""Issue 19.2: the trade_flows view names its Parquet relative to the store, so a copied store reads only the
copy; a store copied without its Parquet folder is one clear error naming the missing folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from autarky.bundled import bundled_path
from autarky.errors import StoreError
from autarky.queries.plumbing import run_import
from autarky.store import open_store
from autarky.store.flows import MISSING_MARK, check_folders
from clitools import run_cli as _cli


def _trade_store(folder: Path) -> tuple[Path, int]:
    folder.mkdir(parents=True)
    path = folder / "s.duckdb"
    with open_store(path) as st:
        r = run_import(st, "baci", bundled_path("baci-sample"))
    return path, r.rows_loaded


def _move(src: Path, dst_folder: Path, *, with_parquet: bool = True) -> Path:
    dst_folder.mkdir(parents=True)
    shutil.copy(src, dst_folder / src.name)
    if with_parquet:
        shutil.copytree(src.with_name(src.name + ".parquet"), dst_folder / (src.name + ".parquet"))
    return dst_folder / src.name


def _count(path: Path, *, read_only: bool) -> int:
    with open_store(path, read_only=read_only) as st:
        row = st.raw.execute("SELECT count(*) FROM trade_flows").fetchone()
        assert row is not None
        return int(row[0])


def test_the_view_names_parquet_relative_to_the_store(tmp_path: Path) -> None:
    path, _ = _trade_store(tmp_path / "a")
    con = duckdb.connect(str(path), read_only=True)
    (sql,) = con.execute("SELECT sql FROM duckdb_views() WHERE view_name = 'trade_flows'").fetchone() or ("",)
    con.close()
    assert "read_parquet" in sql and str(tmp_path) not in sql


@pytest.mark.parametrize("read_only", [True, False])
def test_a_copied_store_reads_only_the_copy(tmp_path: Path, read_only: bool) -> None:
    original, rows = _trade_store(tmp_path / "a")
    copy = _move(original, tmp_path / "b")
    shutil.rmtree(original.with_name(original.name + ".parquet"))
    original.unlink()
    assert _count(copy, read_only=read_only) == rows
    done = _cli("sql", "SELECT count(*) AS n FROM trade_flows", "--format", "csv", store=copy)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == str(rows)


def test_a_copy_does_not_read_the_originals_files(tmp_path: Path) -> None:
    original, rows = _trade_store(tmp_path / "a")
    copy = _move(original, tmp_path / "b")
    # the copy's Parquet lose a year folder: reading must not fall back to the original's files
    part = next((copy.with_name(copy.name + ".parquet") / "trade_flows").glob("dataset_id=*/year=*"))
    shutil.rmtree(part)
    with pytest.raises(StoreError, match=MISSING_MARK), open_store(copy, read_only=True) as st:
        check_folders(st.raw, st.path)
    assert _count(original, read_only=True) == rows  # the original is untouched and still whole


def test_a_store_written_with_absolute_paths_is_repointed_on_open(tmp_path: Path) -> None:
    original, rows = _trade_store(tmp_path / "a")
    root = original.with_name(original.name + ".parquet")
    con = duckdb.connect(str(original))
    (sql,) = con.execute("SELECT sql FROM duckdb_views() WHERE view_name = 'trade_flows'").fetchone() or ("",)
    con.execute(sql.replace("'trade_flows/", f"'{root}/trade_flows/").replace("CREATE VIEW", "CREATE OR REPLACE VIEW"))
    con.close()
    copy = _move(original, tmp_path / "b")
    shutil.rmtree(root)
    original.unlink()
    assert _count(copy, read_only=True) == rows  # read-only: a temporary view over the copy's own files
    assert _count(copy, read_only=False) == rows  # read-write: the view itself is rewritten
    con = duckdb.connect(str(copy), read_only=True)
    (fixed,) = con.execute("SELECT sql FROM duckdb_views() WHERE view_name = 'trade_flows'").fetchone() or ("",)
    con.close()
    assert str(root) not in fixed


def test_a_store_copied_without_its_parquet_is_one_clear_error(tmp_path: Path) -> None:
    original, _ = _trade_store(tmp_path / "a")
    copy = _move(original, tmp_path / "b", with_parquet=False)
    missing = copy.with_name(copy.name + ".parquet")
    for args in (["sql", "SELECT count(*) FROM trade_flows"],
                 ["trade", "dependence", "CHN", "--sector", "semiconductors"]):
        done = _cli(*args, store=copy)
        assert done.returncode == 1, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
        assert MISSING_MARK in done.stderr and str(missing) in done.stderr.replace("\n", "")
    done = _cli("datasets", store=copy)  # what does not read flows keeps working
    assert done.returncode == 0, done.stderr


def test_the_stored_view_is_recognised_as_current(bundled_store_path: Path) -> None:
    """DuckDB stores a view's SQL re-rendered: the check compares the Parquet it lists, so a store opened
    read-only reads through its own view (no temporary view, no fallback to reading folders directly)."""
    from autarky.store import flows, open_store

    st = open_store(bundled_store_path, read_only=True)
    try:
        assert flows.view_matches(st.raw, flows._current(st.raw))
        temp = st.raw.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'trade_flows' AND temporary"
                              ).fetchone()
        assert temp == (0,)
        assert st.raw.execute("SELECT count(*) FROM trade_flows").fetchone()[0] > 0
    finally:
        st.close()
