"""Fixtures for the sector tests: the real IEA sample, and the bundled store (read-only)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from autarky.store import Store, open_store

DATA = Path(__file__).parents[1] / "data" / "sectors"


@pytest.fixture
def iea_sample() -> Path:
    return DATA / "iea_gevo_2024_sample.csv"


@pytest.fixture
def bundled(bundled_store_path: Path) -> Iterator[Store]:
    st = open_store(bundled_store_path, read_only=True)
    yield st
    st.close()
