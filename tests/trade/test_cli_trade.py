"""`autarky trade …` in-process: each command prints what the library returns, errors are one line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from trade_helpers import BACI_SAMPLE, write_baci

from autarky.cli import main
from autarky.store import open_store
from autarky.trade.baci import load_baci
from resultjson import rows as table_rows


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    path = folder / "cli.duckdb"
    st = open_store(path)
    load_baci(st, BACI_SAMPLE)
    rows = [("CHN", "USA", "854231", 60.0), ("MEX", "USA", "854231", 20.0), ("VNM", "USA", "854231", 20.0)]
    load_baci(st, write_baci(folder / "y2018", 2018, rows))
    rows = [("CHN", "USA", "854231", 20.0), ("MEX", "USA", "854231", 30.0), ("VNM", "USA", "854231", 50.0)]
    load_baci(st, write_baci(folder / "y2022", 2022, rows))
    st.close()
    return path


def _run(args: list[str]) -> None:
    try:
        main(args)
    except SystemExit as exc:  # a clean run may end with exit code 0
        assert exc.code in (0, None)


def _doc(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    _run([*args, "--format", "json"])
    out: dict[str, Any] = json.loads(capsys.readouterr().out)
    return out


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    return table_rows(_doc(capsys, *args))


def test_dependence(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = _json(capsys, "trade", "dependence", "USA", "--sector", "semiconductors", "--years", "2015-2023",
                 "--store", str(store_path))
    assert [r["year"] for r in rows] == [2018, 2020, 2022]
    last = rows[-1]
    assert last["imports"] == 100000.0
    assert last["top_suppliers"] == {"VNM": 0.5, "MEX": 0.3, "CHN": 0.2}
    assert list(last["top_suppliers"]) == ["VNM", "MEX", "CHN"]


def test_screen_and_table_output(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _run(["trade", "screen", "USA", "--window", "1", "--min-years", "1", "--sector", "semiconductors",
          "--store", str(store_path)])
    out = capsys.readouterr().out
    assert "Dependency screen of USA" in out and "Sources:" in out and "baci" in out


def test_shift(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = _json(capsys, "trade", "shift", "--importer", "USA", "--loser", "CHN", "--sector", "semiconductors",
                 "--base", "2018", "--compare", "2022", "--store", str(store_path))
    by = {r["supplier"]: r for r in rows}
    assert by["VNM"]["captured"] == pytest.approx(0.75) and by["MEX"]["captured"] == pytest.approx(0.25)


def test_decoupling_csv(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _run(["trade", "decoupling", "--between", "US_ALLIES", "CHN", "--format", "csv", "--store", str(store_path)])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("year,a_to_b,a_to_b_low,a_to_b_high,a_to_b_label,a_to_b_basis,b_to_a")
    assert len(lines) == 4


def test_sectors_and_coverage(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = _json(capsys, "trade", "sectors", "--sector", "batteries", "--store", str(store_path))
    assert {r["hs_code"] for r in rows} >= {"850760"}
    cov = _json(capsys, "trade", "coverage", "--store", str(store_path))
    assert sorted(r["year"] for r in cov) == [2018, 2020, 2022]


def test_errors_are_one_line(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ex:
        main(["trade", "dependence", "Chnia", "--store", str(store_path)])
    assert ex.value.code == 1
    err = capsys.readouterr().err
    assert "Chnia" in err and "CHN" in err and "Traceback" not in err
    with pytest.raises(SystemExit) as ex:  # one bloc only: a usage error (exit 2), said by the option parser
        main(["trade", "decoupling", "--between", "US_ALLIES", "--store", str(store_path)])
    assert ex.value.code == 2 and "Usage: autarky trade decoupling" in capsys.readouterr().err
