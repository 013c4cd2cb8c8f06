"""Issue 19.1: an empty or truncated file never replaces a loaded dataset, for every importer kind.

For each kind a real bundled source is copied, loaded, and then one of its files cut down to its header:
importing it again must fail with a clear error and leave the store exactly as it was; a header-only file
is an error on a fresh store too, and still an error with ``replace=True``.  A real replacement that drops
most rows needs ``replace=True``.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest

from autarky.bundled import bundled_path
from autarky.errors import AutarkyError, FormatError, StoreError
from autarky.queries.plumbing import run_import
from autarky.store import Store, open_store

#: kind, bundled source (file or folder), the file inside a folder to cut down, loader options.
CASES: list[tuple[str, str, str | None, dict[str, Any]]] = [
    ("baci", "baci-sample", "BACI_HS17_Y2020_V202301_exporters_4_710.csv", {}),
    ("comtrade", "comtrade-samples", "example_1.csv", {}),
    ("eto", "eto-chip-explorer-2026", "provision.csv", {}),
    ("chains", "chains/li-ion-batteries", "provision.csv", {}),
    ("chains", "chains/li-ion-batteries", "nodes.csv", {}),
    ("hs", "hs", "harmonized-system.csv", {}),
    ("sectors", "sectors/strategic_sectors.csv", None, {}),
    ("ledger", "ledger", "deals.csv", {}),
    ("measures", "measures", "measures.csv", {}),
    ("map-links", "chains/critical-minerals/feeds.csv", None, {}),
    ("ev-outlook", "iea-gevo-2024", "iea-global-ev-data-2024-historical.csv", {"name": "iea-gevo-2024"}),
    ("sector-facts", "sectors-evidence/facts.csv", None, {}),
]


def snapshot(store: Store) -> dict[str, str]:
    """A content digest of every table (order-independent), to compare a store before and after."""
    out = {}
    for name in store.tables():
        rows = store.raw.execute(f'SELECT * FROM "{name}"').fetchall()
        out[name] = f"{len(rows)}:{hashlib.sha256(chr(10).join(sorted(map(repr, rows))).encode()).hexdigest()}"
    return out


def _copy(tmp_path: Path, source: str) -> Path:
    src = bundled_path(source)
    dst = tmp_path / "src" / src.name
    dst.parent.mkdir(parents=True, exist_ok=True)
    if src.is_dir():
        shutil.copytree(src, dst)
    else:
        shutil.copy(src, dst)
        for extra in ("ATTRIBUTION.md", "README.md", "dataset.yaml"):
            if (src.parent / extra).exists():
                shutil.copy(src.parent / extra, dst.parent / extra)
    return dst


def _header_only(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: data.index(b"\n") + 1])


def _keep_fraction(path: Path, fraction: float) -> None:
    lines = path.read_bytes().splitlines(keepends=True)
    keep = max(2, int(len(lines) * fraction))
    path.write_bytes(b"".join(lines[:keep]))


def _target(root: Path, inner: str | None) -> Path:
    return root / inner if inner else root


def _store_rows(store: Store) -> int:
    row = store.raw.execute("SELECT coalesce(sum(rows_loaded), 0) FROM datasets").fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.parametrize(("kind", "source", "inner", "options"), CASES,
                         ids=[f"{c[0]}-{c[2] or Path(c[1]).name}" for c in CASES])
def test_a_header_only_file_never_replaces_a_loaded_dataset(
        tmp_path: Path, kind: str, source: str, inner: str | None, options: dict[str, Any]) -> None:
    root = _copy(tmp_path, source)
    store = open_store(tmp_path / "s.duckdb")
    try:
        if kind == "map-links":  # links point from one map into another: load both first
            run_import(store, "eto", bundled_path("eto-chip-explorer-2026"))
            run_import(store, "chains", bundled_path("chains/critical-minerals"))
        first = run_import(store, kind, root, **options)
        assert first.rows_loaded > 0
        before = snapshot(store)
        _header_only(_target(root, inner))
        with pytest.raises(AutarkyError) as err:
            run_import(store, kind, root, **options)
        assert isinstance(err.value, FormatError | StoreError)
        assert "Traceback" not in str(err.value)
        assert snapshot(store) == before  # nothing lost, nothing half-written
        with pytest.raises(AutarkyError):  # --replace does not make a file without data rows acceptable
            run_import(store, kind, root, replace=True, **options)
        assert snapshot(store) == before
    finally:
        store.close()


@pytest.mark.parametrize(("kind", "source", "inner", "options"), CASES,
                         ids=[f"{c[0]}-{c[2] or Path(c[1]).name}" for c in CASES])
def test_a_header_only_file_is_an_error_on_a_fresh_store(
        tmp_path: Path, kind: str, source: str, inner: str | None, options: dict[str, Any]) -> None:
    root = _copy(tmp_path, source)
    _header_only(_target(root, inner))
    store = open_store(tmp_path / "s.duckdb")
    try:
        before = snapshot(store)
        with pytest.raises(AutarkyError):
            run_import(store, kind, root, **options)
        assert snapshot(store) == before
    finally:
        store.close()


@pytest.mark.parametrize(("kind", "source", "inner"), [
    ("sectors", "sectors/strategic_sectors.csv", None),
    ("baci", "baci-sample", "BACI_HS17_Y2020_V202301_exporters_4_710.csv"),
    ("eto", "eto-chip-explorer-2026", "provision.csv"),
])
def test_a_truncated_replacement_needs_replace(tmp_path: Path, kind: str, source: str, inner: str | None) -> None:
    root = _copy(tmp_path, source)
    store = open_store(tmp_path / "s.duckdb")
    try:
        first = run_import(store, kind, root)
        before = snapshot(store)
        _keep_fraction(_target(root, inner), 0.2)
        with pytest.raises(StoreError, match="--replace") as err:
            run_import(store, kind, root)
        assert first.name in str(err.value)
        assert snapshot(store) == before
        forced = run_import(store, kind, root, replace=True)
        assert forced.status == "replaced"
        assert 0 < forced.rows_loaded < first.rows_loaded
        assert _store_rows(store) == forced.rows_loaded
    finally:
        store.close()


def test_a_replacement_keeping_most_rows_needs_no_flag(tmp_path: Path) -> None:
    root = _copy(tmp_path, "sectors/strategic_sectors.csv")
    store = open_store(tmp_path / "s.duckdb")
    try:
        first = run_import(store, "sectors", root)
        _keep_fraction(root, 0.9)
        again = run_import(store, "sectors", root)
        assert again.status == "replaced"
        assert first.rows_loaded * 0.5 <= again.rows_loaded < first.rows_loaded
    finally:
        store.close()
