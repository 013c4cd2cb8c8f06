"""Shared fixtures. Tests import the installed package; shared real data is copied under tests/data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from autarky.store import Store, open_store

# Property tests: derandomised by default, so a run on a fresh clone or in CI tries the same examples every
# time (a failure found once is found again); HYPOTHESIS_PROFILE=thorough searches wider, with fresh seeds.
settings.register_profile("default", derandomize=True, max_examples=100, print_blob=True)
settings.register_profile("thorough", derandomize=False, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

DATA = Path(__file__).parent / "data"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    st = open_store(tmp_path / "test.duckdb")
    yield st
    st.close()


@pytest.fixture(autouse=True)
def _isolated_store_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test may touch ./autarky.duckdb: the default store points into the test's tmp dir."""
    monkeypatch.setenv("AUTARKY_STORE", str(tmp_path / "default.duckdb"))


@pytest.fixture(scope="session")
def bundled_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with every bundled dataset loaded (what `autarky init` does), built once per run; read-only."""
    from autarky.bundled import load_bundled

    path = tmp_path_factory.mktemp("bundled") / "bundled.duckdb"
    st = open_store(path)
    try:
        load_bundled(st)
    finally:
        st.close()
    return path
