"""Issue 19.6: every reader bounds line length (1 MiB) and memory, the HTTP import route too."""

from __future__ import annotations

import io
import shutil
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from autarky.api import create_app
from autarky.bundled import bundled_path
from autarky.errors import FormatError
from autarky.queries.plumbing import run_import
from autarky.store import open_store
from autarky.store.limits import MAX_LINE_BYTES, check_input

#: kind, bundled source, the file (inside a folder) that gets a giant line.
CASES = [
    ("eto", "eto-chip-explorer-2026", "provision.csv"),
    ("chains", "chains/li-ion-batteries", "nodes.csv"),
    ("hs", "hs", "harmonized-system.csv"),
    ("sectors", "sectors/strategic_sectors.csv", None),
    ("ledger", "ledger", "deals.csv"),
    ("measures", "measures", "measures.csv"),
    ("series", "series", None),
    ("map-links", "chains/critical-minerals/feeds.csv", None),
    ("ev-outlook", "iea-gevo-2024", "iea-global-ev-data-2024-historical.csv"),
    ("sector-facts", "sectors-evidence/facts.csv", None),
    ("io", "mrio-test", None),
    ("wdi", "wdi-science-technology", None),
]


def _giant_line(path: Path, line: int = 3, size: int = MAX_LINE_BYTES + 10) -> None:
    lines = path.read_bytes().splitlines(keepends=True)
    lines.insert(line - 1, b"x" * size + b"\n")
    path.write_bytes(b"".join(lines))


def _copy(tmp_path: Path, source: str) -> Path:
    src = bundled_path(source)
    dst = tmp_path / "src" / src.name
    dst.parent.mkdir(parents=True)
    if src.is_dir():
        shutil.copytree(src, dst)
    else:
        shutil.copy(src, dst)
    return dst


def _victim(root: Path, inner: str | None) -> Path:
    if inner:
        return root / inner
    if root.is_file():
        return root
    return next(p for p in sorted(root.rglob("*")) if p.is_file() and p.suffix in (".csv", ".tsv", ".txt"))


@pytest.mark.parametrize(("kind", "source", "inner"), CASES, ids=[c[0] for c in CASES])
def test_a_giant_line_is_refused_naming_file_and_line(tmp_path: Path, kind: str, source: str,
                                                      inner: str | None) -> None:
    root = _copy(tmp_path, source)
    victim = _victim(root, inner)
    _giant_line(victim)
    with open_store(tmp_path / "s.duckdb") as st:
        before = st.query("SELECT count(*) AS n FROM datasets").column(0)[0].as_py()
        with pytest.raises(FormatError, match="line longer than 1024 KiB") as err:
            run_import(st, kind, root, **({"layout": "pymrio"} if kind == "io" else {}))
        assert str(victim) in str(err.value) and "line 3" in str(err.value)
        assert st.query("SELECT count(*) AS n FROM datasets").column(0)[0].as_py() == before


def test_the_check_reads_a_bounded_amount(tmp_path: Path) -> None:
    huge = tmp_path / "provision.csv"
    with huge.open("wb") as fh:
        fh.write(b"provider,node,share\n")
        for _ in range(64):  # 64 MiB on one line
            fh.write(b"y" * (1 << 20))
    tracemalloc.start()
    try:
        with pytest.raises(FormatError, match="line 2"):
            check_input("eto", tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * MAX_LINE_BYTES  # a few blocks, not the file


def test_the_http_import_route_bounds_lines(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    open_store(path).close()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(bundled_path("eto-chip-explorer-2026").iterdir()):
            data = p.read_bytes()
            if p.name == "provision.csv":
                data = data + b"z" * (2 * MAX_LINE_BYTES) + b"\n"
            zf.writestr(f"eto/{p.name}", data)
    app = create_app(path, token="t0ken", max_upload_bytes=8 * 1024 * 1024, pool_size=1)
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.post("/api/imports/eto", params={"filename": "eto.zip"}, content=buf.getvalue(),
                        headers={"Authorization": "Bearer t0ken"})
        assert r.status_code == 400, r.text
        assert "line longer than 1024 KiB" in r.text and "provision.csv" in r.text
        assert client.get("/api/datasets").json()["table"]["rows"] == []
