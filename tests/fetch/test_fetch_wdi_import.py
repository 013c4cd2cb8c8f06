"""``autarky fetch wdi`` writes the API pages and imports them with the ``wdi`` loader.

The ``wdi`` loader comes from the innovation work (issue 15); this test passes once it is merged.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fetchdata import wdi_api
from fetchserver import Loopback

from autarky.fetch import fetched_files
from autarky.store import open_store

pytestmark = pytest.mark.slow  # starts `autarky` in a subprocess


def test_fetch_wdi_writes_the_pages_and_imports_them(server: Loopback, tmp_path: Path, cache: Path) -> None:
    path = wdi_api(server)
    store = tmp_path / "s.duckdb"
    env = {**os.environ, "AUTARKY_STORE": str(store), "AUTARKY_CACHE": str(cache),
           "AUTARKY_WDI_URL": server.url + "v2/", "COLUMNS": "200"}
    r = subprocess.run([sys.executable, "-m", "autarky", "fetch", "wdi", "--indicators", "GB.XPD.RSDV.GD.ZS",
                        "--economies", "CHN,USA", "--format", "json"], capture_output=True, text=True, env=env,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    (hit,) = server.hits(path)
    assert hit.query["format"] == ["json"]
    pages = sorted((cache / "wdi").glob("*/GB.XPD.RSDV.GD.ZS_p*.json"))
    assert len(pages) == 1 and json.loads(pages[0].read_bytes())[0]["total"] == 46
    with open_store(store, read_only=True) as st:
        (ds,) = [d for d in st.datasets().to_pylist() if d["kind"] == "wdi"]
        assert ds["rows_loaded"] == 46 and ds["licence"]
        (row,) = fetched_files(st, ds["dataset_id"])
    assert row.source == "wdi" and row.licence == "CC BY 4.0" and Path(row.path) == pages[0]
