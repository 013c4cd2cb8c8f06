"""The io and complexity command groups print what the library computes (in-process through Typer)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import autarky.cli  # noqa: F401  (registers every command group)
from autarky.cli.app import app
from autarky.data import bundled_path
from autarky.io import ExtractionResult, IOModel, bilateral_scenario, extract, load_io_table, read_io_table
from autarky.store import open_store
from autarky.trade.baci import load_baci
from resultjson import rows as table_rows


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "s.duckdb"
    st = open_store(path)
    load_io_table(st, bundled_path("mrio-test"), layout="pymrio")
    load_baci(st, bundled_path("baci-sample"))
    st.close()
    return path


def _json(store_path: Path, *args: str) -> list[dict[str, Any]]:
    r = CliRunner().invoke(app, ["--store", str(store_path), *args, "--format", "json"])
    assert r.exit_code == 0, r.output
    return table_rows(json.loads(r.stdout))


def test_io_extract_range_matches_the_library(store_path: Path) -> None:
    rows = _json(store_path, "io", "extract", "--sector", "food", "--from", "reg2,reg3", "--to", "reg1",
                 "--fraction", "0.5-1")
    reg2 = next(r for r in rows if r["model"] == "leontief" and r["region"] == "reg2")
    st = open_store(store_path, read_only=True)
    model = IOModel(read_io_table(st, "pymrio-testmrio"))
    lib = extract(model, [bilateral_scenario(model, ("reg2", "reg3"), "food", "reg1")], fraction=1.0)
    assert isinstance(lib, ExtractionResult)
    loss = reg2["output_loss"]
    assert loss["basis"] == "bounded"  # the cut is a range: the loss is an interval, not a midpoint
    assert loss["high"] == pytest.approx(float(lib.loss_in("reg2")[0]), rel=1e-9)
    assert 0 < loss["low"] < loss["high"]


def test_io_all_single_sector_scenarios(store_path: Path) -> None:
    rows = _json(store_path, "io", "scenarios", "--all", "single-sector", "--top", "5")
    losses = [float(r["output_loss"]) for r in rows]
    assert len(rows) == 5 and losses == sorted(losses, reverse=True) and losses[0] > 0


def test_complexity_on_the_bundled_baci_sample(store_path: Path) -> None:
    rows = _json(store_path, "complexity", "--top", "5")
    assert rows and {"economy", "eci"} <= set(rows[0])
