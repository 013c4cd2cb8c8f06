"""`autarky import baci` in a process of its own runs without pandas (autarky.startup), with the same
result as with it; in-process callers keep pandas."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autarky.bundled import bundled_path
from autarky.startup import PandasLeftOut, leave_out_pandas, need_pandas
from autarky.store import open_store

NAME = "BACI_HS17_Y2020_V202301_exporters_4_710.csv"
# the console entry point, reporting at exit whether pandas was ever loaded
CHILD = ("import atexit, runpy, sys; "
         "atexit.register(lambda: print('pandas loaded:', 'pandas' in sys.modules, file=sys.stderr)); "
         "runpy.run_module('autarky', run_name='__main__')")


def _run(*args: str, store: Path, first: str = "") -> subprocess.CompletedProcess[str]:
    """The console entry point with ``args`` over ``store``, after the Python statements ``first``."""
    env = {**os.environ, "AUTARKY_STORE": str(store), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-c", first + CHILD, *args], capture_output=True, text=True, env=env,
                          timeout=300)


def _loaded(store: Path) -> tuple[int, float, list[tuple[int, str]]]:
    st = open_store(store, read_only=True)
    try:
        flows = st.query("SELECT count(*) AS n, sum(value_usd) AS v FROM trade_flows").to_pylist()[0]
        bad = st.query("SELECT line, field FROM quarantine ORDER BY line").to_pylist()
    finally:
        st.close()
    return int(flows["n"]), float(flows["v"]), [(int(r["line"]), str(r["field"])) for r in bad]


def test_import_baci_runs_without_pandas_and_loads_the_same(tmp_path: Path) -> None:
    folder = tmp_path / "baci"
    shutil.copytree(bundled_path("baci-sample"), folder)
    path = folder / NAME
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[10] = "2020,4,710,854231,lots,1.0"  # text in the value field: quarantined
    path.write_text("\n".join(lines), encoding="utf-8")
    for name in "abc":  # stores as after `autarky init`
        open_store(tmp_path / f"{name}.duckdb").close()

    without = _run("import", "baci", str(path), store=tmp_path / "a.duckdb")
    assert without.returncode == 0, without.stderr
    assert "pandas loaded: False" in without.stderr
    # an option before the command: still recognised
    before = _run("--store", str(tmp_path / "b.duckdb"), "import", "baci", str(path), store=tmp_path / "x.duckdb")
    assert before.returncode == 0, before.stderr
    assert "pandas loaded: False" in before.stderr
    # pandas loaded first: the same import with it
    forced = _run("import", "baci", str(path), store=tmp_path / "c.duckdb", first="import pandas; ")
    assert forced.returncode == 0, forced.stderr
    assert "pandas loaded: True" in forced.stderr
    # a new store seeds its economies through country_converter, which needs pandas: it is let in
    fresh = _run("import", "baci", str(path), store=tmp_path / "d.duckdb")
    assert fresh.returncode == 0, fresh.stderr
    assert "pandas loaded: True" in fresh.stderr
    a, b, c, d = (_loaded(tmp_path / f"{x}.duckdb") for x in "abcd")
    assert a == b == c == d
    assert a[0] > 70_000 and a[2] == [(11, "v")]


def test_a_bad_file_fails_clearly_without_pandas(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_text("t,i,j,k,v,q\n", encoding="utf-8")  # header only
    open_store(tmp_path / "s.duckdb").close()
    done = _run("import", "baci", str(path), store=tmp_path / "s.duckdb")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "no data row" in done.stderr.lower()
    assert "pandas loaded: False" in done.stderr


def test_other_commands_and_in_process_calls_keep_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "pandas" in sys.modules  # loaded in this test process: nothing to leave out
    assert not leave_out_pandas(["import", "baci", "f.csv"])
    monkeypatch.delitem(sys.modules, "pandas")
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    assert not leave_out_pandas(["import", "eto", "folder"])
    assert not leave_out_pandas(["assess", "CHN"])
    assert leave_out_pandas(["--store", "s.duckdb", "import", "baci", "f.csv"])
    finder = sys.meta_path[0]
    assert isinstance(finder, PandasLeftOut)
    with pytest.raises(ModuleNotFoundError, match="left out of `autarky import baci`"):
        finder.find_spec("pandas.core.frame")
    assert finder.find_spec("polars") is None
    need_pandas()
    assert not any(isinstance(f, PandasLeftOut) for f in sys.meta_path)
