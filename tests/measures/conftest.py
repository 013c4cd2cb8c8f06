"""Fixtures for the measures tests: the three bundled maps loaded once, the seed ledger on top, copied per test.

Loading the ETO map takes a second or two, so a template store is built once per session and each test
gets a fresh copy of the DuckDB file (tests write to their copy freely).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from autarky import loaders
from autarky.data import bundled_path
from autarky.store import ImportResult, Store, open_store

MAPS = (("eto", "eto-chip-explorer-2026"), ("chains", "chains/li-ion-batteries"),
        ("chains", "chains/critical-minerals"))
SEED = bundled_path("measures")


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, ImportResult]]]:
    base = tmp_path_factory.mktemp("measures-templates")
    st = open_store(base / "maps.duckdb")
    maps = {rel: loaders.run_loader(st, kind, bundled_path(rel)) for kind, rel in MAPS}
    st.close()
    shutil.copyfile(base / "maps.duckdb", base / "seed.duckdb")
    st = open_store(base / "seed.duckdb")
    seed = dict(maps)
    seed["feeds"] = loaders.run_loader(st, "map-links", bundled_path("chains/critical-minerals/feeds.csv"))
    seed["measures"] = loaders.run_loader(st, "measures", SEED)
    st.close()
    return {"maps": (base / "maps.duckdb", maps), "seed": (base / "seed.duckdb", seed)}


def _copy(src: Path, dst: Path) -> Iterator[Store]:
    shutil.copyfile(src, dst)
    st = open_store(dst)
    yield st
    st.close()


@pytest.fixture
def maps_store(templates: dict[str, tuple[Path, dict[str, ImportResult]]], tmp_path: Path) -> Iterator[Store]:
    """A store with the ETO, battery and critical-minerals maps and no measures."""
    yield from _copy(templates["maps"][0], tmp_path / "maps.duckdb")


@pytest.fixture
def seed_store(templates: dict[str, tuple[Path, dict[str, ImportResult]]], tmp_path: Path) -> Iterator[Store]:
    """The maps, the cross-map links and the bundled seed ledger."""
    yield from _copy(templates["seed"][0], tmp_path / "seed.duckdb")


@pytest.fixture
def seed_results(templates: dict[str, tuple[Path, dict[str, ImportResult]]]) -> dict[str, ImportResult]:
    return templates["seed"][1]
