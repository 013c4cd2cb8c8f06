"""The bundled sample data: every folder keeps its licence beside it, and `autarky init` loads all of it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from autarky.bundled import BUNDLED, bundled_path


@pytest.mark.parametrize("ds", BUNDLED, ids=lambda d: d.path)
def test_every_bundled_dataset_has_its_licence_beside_it(ds: object) -> None:
    path = bundled_path(ds.path)  # type: ignore[attr-defined]
    folder = path if path.is_dir() else path.parent
    notes = [p for p in folder.iterdir() if p.name.upper().startswith(("LICENSE", "LICENCE", "ATTRIBUTION", "README"))]
    assert notes, f"{folder} has no licence, attribution or README file"
    text = " ".join(p.read_text(encoding="utf-8", errors="replace") for p in notes)
    assert any(word in text for word in ("icence", "icense", "Terms", "terms of use")), folder


def test_eto_copy_says_non_commercial() -> None:
    folder = bundled_path("eto-chip-explorer-2026")
    assert "NonCommercial" in (folder / "LICENSE.md").read_text(encoding="utf-8")
    assert "CC BY-NC 4.0" in (folder / "ATTRIBUTION.md").read_text(encoding="utf-8")


def test_init_loads_every_bundled_dataset_and_datasets_lists_them(tmp_path: Path) -> None:
    env = {**os.environ, "AUTARKY_STORE": str(tmp_path / "s.duckdb")}
    r = subprocess.run([sys.executable, "-m", "autarky", "init"], env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    d = subprocess.run([sys.executable, "-m", "autarky", "datasets", "--format", "json"], env=env,
                       capture_output=True, text=True, timeout=120)
    rows = json.loads(d.stdout)["table"]["rows"]
    assert {row["kind"] for row in rows} == {ds.kind for ds in BUNDLED}
    for row in rows:
        assert row["licence"] and row["vintage"] and row["source"], row["name"]
    by_name = {row["name"]: row for row in rows}
    assert by_name["eto-chip-explorer"]["licence"] == "CC BY-NC 4.0"
    again = subprocess.run([sys.executable, "-m", "autarky", "init"], env=env, capture_output=True, text=True,
                           timeout=600)
    assert again.returncode == 0 and "unchanged" in again.stdout
    after = subprocess.run([sys.executable, "-m", "autarky", "datasets", "--format", "json"], env=env,
                           capture_output=True, text=True, timeout=120)
    assert json.loads(after.stdout)["table"]["rows"] == rows  # a second init changes nothing
