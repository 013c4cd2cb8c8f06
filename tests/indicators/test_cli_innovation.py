"""The thin CLI: `autarky innovation` and `autarky trajectory` print what the library returns; import kinds."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import autarky.cli  # noqa: F401  (registers every command group)
from autarky.bundled import BUNDLED, bundled_path
from autarky.cli.app import app
from autarky.indicators import load_series, load_wdi
from autarky.store import open_store


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "s.duckdb"
    st = open_store(path)
    load_wdi(st, bundled_path("wdi-science-technology"))
    load_series(st, bundled_path("series"), name="autarky-series", licence="MIT")
    st.close()
    return path


def _run(store_path: Path, *args: str) -> Any:
    r = CliRunner().invoke(app, ["--store", str(store_path), *args])
    assert r.exit_code == 0, r.output
    return r


def test_innovation_json_gives_rd_2018_with_its_source(store_path: Path) -> None:
    out = json.loads(_run(store_path, "innovation", "CHN", "--peers", "USA,JPN,KOR,DEU,EU27", "--format",
                          "json").stdout)
    rd = next(r for r in out["table"]["rows"] if r["code"] == "GB.XPD.RSDV.GD.ZS")
    value = rd["value_CHN"]
    assert rd["year_CHN"] == 2018 and value["value"] == 2.18568 and value["basis"] == "reported"
    src = out["sources"][value["sources"][0]]
    assert (src["dataset"], src["vintage"], src["file"]) == ("wdi", "2021-09-15", "indicators.csv") and src["lines"]
    keys = [c["key"] for c in out["table"]["columns"] if c["key"].startswith("value_")]
    assert keys == ["value_CHN", "value_USA", "value_JPN", "value_KOR", "value_DEU", "value_EU27"]
    assert out["coverages"][rd["value_EU27"]["coverage"]]["complete"] is True


def test_innovation_table_and_csv(store_path: Path) -> None:
    table = _run(store_path, "innovation", "CHN", "--peers", "EU27").stdout
    assert "Innovation inputs: CHN" in table and "2.186" in table and "Sources: wdi" in table
    csv_out = _run(store_path, "innovation", "CHN", "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("indicator,code,unit,value_CHN,value_CHN_low")
    assert any(line.startswith("R&D expenditure,GB.XPD.RSDV.GD.ZS,% of GDP,2.18568,") for line in csv_out)


def test_trajectory_json_acceptance(store_path: Path) -> None:
    out = json.loads(_run(store_path, "trajectory", "CHN", "ic-self-sufficiency", "--format", "json").stdout)
    observed = out["observed"]["rows"]
    assert len(observed) == 9
    for p in observed:
        assert p["value"]["sources"] and out["sources"][p["value"]["sources"][0]]["url"]
    assert out["year"] == 2025
    proj = out["projection"]
    assert proj["low"] < proj["value"] < proj["high"] and proj["basis"] == "assumed"
    assert out["target_year"] == 2025 and out["target"]["value"] == 70.0
    assert out["sources"][out["target"]["sources"][0]]["url"]
    assert out["gap"]["value"] == pytest.approx(70.0 - proj["value"])
    assert out["gap"]["low"] == pytest.approx(70.0 - proj["high"])
    assert out["verdict"] == "off_course"


def test_trajectory_table_and_target_year(store_path: Path) -> None:
    out = _run(store_path, "trajectory", "CHN", "ic-self-sufficiency", "--target-year", "2020").stdout
    assert "missed" in out and "40" in out
    r = CliRunner().invoke(app, ["--store", str(store_path), "trajectory", "CHN", "no-such-series"])
    assert r.exit_code == 1 or isinstance(r.exception, Exception)


def test_import_kinds_and_bundled_entries_are_registered(store_path: Path, tmp_path: Path) -> None:
    from autarky.loaders import LOADERS, get_loader

    assert get_loader("wdi").__name__ == "load_wdi" and get_loader("series").__name__ == "load_series"
    assert {"wdi", "series"} <= set(LOADERS)
    kinds = {(d.kind, d.path) for d in BUNDLED}
    assert ("wdi", "wdi-science-technology") in kinds and ("series", "series") in kinds
    page = Path(__file__).parents[1] / "data" / "indicators" / "api" / "IP.PAT.RESD_WLD;EUU;CHN_page1.json"
    r = CliRunner().invoke(app, ["--store", str(tmp_path / "x.duckdb"), "import", "wdi", str(page)])
    assert r.exit_code == 0, r.output


def test_public_api_is_sorted_and_importable() -> None:
    module = importlib.import_module("autarky.indicators")
    exported = module.__all__
    assert list(exported) == sorted(exported) and len(set(exported)) == len(exported)
    for name in exported:
        assert hasattr(module, name), name
