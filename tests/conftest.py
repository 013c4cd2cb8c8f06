"""Shared fixtures. Tests import the installed package; shared real data is copied under tests/data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from autarky.store import Store, open_store

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
