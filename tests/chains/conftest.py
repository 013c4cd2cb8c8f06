"""Fixtures for the chains tests: the bundled ETO release loaded once into a temporary store."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from autarky.chains import ChainMap, load_map
from autarky.chains.eto import load_eto
from autarky.data import bundled_path
from autarky.store import ImportResult, Store, open_store

ETO_DIR = bundled_path("eto-chip-explorer-2026")


@pytest.fixture(scope="session")
def eto_dir() -> Path:
    return ETO_DIR


@pytest.fixture(scope="session")
def eto_loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, ImportResult]]:
    store = open_store(tmp_path_factory.mktemp("eto") / "eto.duckdb")
    result = load_eto(store, ETO_DIR)
    yield store, result
    store.close()


@pytest.fixture(scope="session")
def eto_store(eto_loaded: tuple[Store, ImportResult]) -> Store:
    return eto_loaded[0]


@pytest.fixture(scope="session")
def eto_map(eto_store: Store) -> ChainMap:
    return load_map(eto_store)


@pytest.fixture
def eto_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled release, to corrupt."""
    dst = tmp_path / "eto-copy"
    shutil.copytree(ETO_DIR, dst)
    for p in dst.iterdir():
        p.chmod(0o644)
    return dst


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    st = open_store(tmp_path / "t.duckdb")
    yield st
    st.close()


def make_map(
    nodes: list[tuple[str, str, str | None]],
    edges: list[tuple[str, str, str]],
    provision: list[tuple[str, str, float | None]],
    *,
    stages: tuple[str, ...] = ("S1",),
    firms: dict[str, str] | None = None,
    year: int = 2025,
    view: str = "hq",
) -> ChainMap:
    """A small map built in code: nodes (id, type, stage), edges (src, dst, kind), provision
    (provider, node, share) where a provider is an ISO3 country or a firm named in ``firms`` (id -> HQ)."""
    from autarky.chains.map import DatasetInfo, Edge, Node, Provider, Stage, provision_frame

    firms = firms or {}
    countries = sorted({p for p, _, _ in provision if p not in firms})
    providers = [Provider(c, c, "country", c) for c in countries]
    providers += [Provider(f, f, "organization", hq) for f, hq in firms.items()]
    ptype = {p.provider_id: p for p in providers}
    rows = [
        {
            "provider_id": p,
            "node_id": n,
            "year": year,
            "share": s,
            "negligible": None,
            "share_view": view,
            "source": "test",
            "source_line": i + 2,
            "provider_type": ptype[p].provider_type,
            "country": ptype[p].country,
        }
        for i, (p, n, s) in enumerate(provision)
    ]
    return ChainMap(
        DatasetInfo(dataset_id=0, name="test-map", kind="chains", vintage="test"),
        [Stage(s, f"stage {s}") for s in stages],
        [Node(n, f"node {n}", t, st) for n, t, st in nodes],
        [Edge(a, b, k) for a, b, k in edges],
        providers,
        provision_frame(rows),
    )
