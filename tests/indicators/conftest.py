"""A store with the bundled WDI extract and series ledger, loaded once per test module; the tidy file read
independently (csv module) as the reference the tests compare with."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from autarky.data import bundled_path
from autarky.indicators import load_series, load_wdi
from autarky.store import Store, open_store

FIXTURES = Path(__file__).parents[1] / "data" / "indicators"
TIDY = bundled_path("wdi-science-technology/indicators.csv")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    st = open_store(tmp_path_factory.mktemp("ind") / "s.duckdb")
    load_wdi(st, bundled_path("wdi-science-technology"))
    load_series(st, bundled_path("series"), name="autarky-series", licence="MIT (autarky); facts cited per row")
    yield st
    st.close()


@pytest.fixture(scope="session")
def tidy() -> dict[tuple[str, str, int], dict[str, str]]:
    """Every row of the bundled tidy file keyed by (indicator, economy, year), with its 1-based line number
    (header = 1) under ``line``; read with the csv module, independently of autarky's reader."""
    with TIDY.open(encoding="utf-8", newline="") as fh:
        return {(r["indicator_code"], r["economy_iso3"], int(r["year"])): {**r, "line": str(i)}
                for i, r in enumerate(csv.DictReader(fh), start=2)}


@pytest.fixture
def fixtures() -> Path:
    """The WDI layout fixtures (built from the tidy file by tests/data/indicators/make_fixtures.py)."""
    return FIXTURES
