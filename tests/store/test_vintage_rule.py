"""Issue 19.5: one vintage rule for every importer, stated in the output.

Same name, vintage and content: unchanged.  A new vintage (``--vintage``) is loaded beside the old one even
when the content is identical.  Same name and vintage, new content: replaced.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from autarky.bundled import bundled_path
from autarky.queries.plumbing import run_import
from autarky.store import open_store

KINDS = [
    ("baci", "baci-sample"),
    ("comtrade", "comtrade-samples/example_1.csv"),
    ("sectors", "sectors/strategic_sectors.csv"),
    ("ledger", "ledger"),
    ("eto", "eto-chip-explorer-2026"),
    ("measures", "measures"),
    ("sector-facts", "sectors-evidence/facts.csv"),
]


@pytest.mark.parametrize(("kind", "source"), KINDS, ids=[k for k, _ in KINDS])
def test_a_new_vintage_of_identical_content_is_loaded_beside_the_old(tmp_path: Path, kind: str, source: str) -> None:
    path = bundled_path(source)
    with open_store(tmp_path / "s.duckdb") as st:
        first = run_import(st, kind, path)
        assert first.status == "loaded"
        again = run_import(st, kind, path)
        assert (again.status, again.vintage) == ("unchanged", first.vintage)
        assert "unchanged" in again.explanation
        new = run_import(st, kind, path, vintage="2099-09")
        assert new.status == "loaded", new.explanation
        assert new.vintage == "2099-09" and new.rows_loaded == first.rows_loaded
        assert "2099-09" in new.explanation
        rows = st.datasets(kind).to_pylist()
        assert any(r["vintage"] == "2099-09" for r in rows)
        assert any(r["vintage"] != "2099-09" and r["rows_loaded"] for r in rows)  # the old vintage is kept
        assert run_import(st, kind, path, vintage="2099-09").status == "unchanged"


def test_the_cli_states_the_rule(tmp_path: Path) -> None:
    env = {**os.environ, "AUTARKY_STORE": str(tmp_path / "s.duckdb"), "COLUMNS": "200"}
    src = str(bundled_path("sectors/strategic_sectors.csv"))

    def run(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "autarky", "import", "sectors", src, *args],
                              capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        return " ".join(done.stderr.split())

    assert "loaded as dataset 1" in run()
    assert "unchanged, this content is already loaded under this name and vintage" in run()
    out = run("--vintage", "2099-09")
    assert "vintage 2099-09: loaded as dataset 2" in out and "are kept" in out
