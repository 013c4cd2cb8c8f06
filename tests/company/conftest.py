"""Fixtures for the company tests: the bundled store (read-only, built once per run) and writable copies."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from autarky.store import Store, open_store

DATA = Path(__file__).parent.parent / "data" / "company"


@pytest.fixture
def bundled(bundled_store_path: Path) -> Iterator[Store]:
    st = open_store(bundled_store_path, read_only=True)
    yield st
    st.close()


@pytest.fixture
def writable(bundled_store_path: Path, tmp_path: Path) -> Iterator[Store]:
    """A private copy of the bundled store (imports write to it)."""
    dst = tmp_path / "copy.duckdb"
    shutil.copyfile(bundled_store_path, dst)
    parquet = bundled_store_path.with_name(bundled_store_path.name + ".parquet")
    if parquet.exists():
        shutil.copytree(parquet, dst.with_name(dst.name + ".parquet"))
    st = open_store(dst)
    yield st
    st.close()
