"""Issue 19.1 through the console script: a header-only BACI file is exit 1 with one clear line, the loaded
flows stay; a truncated one needs --replace."""

from __future__ import annotations

import shutil
from pathlib import Path

from autarky.bundled import bundled_path
from clitools import run_cli as run

NAME = "BACI_HS17_Y2020_V202301_exporters_4_710.csv"


def _flows(store: Path) -> str:
    done = run("sql", "SELECT count(*) AS n FROM trade_flows", "--format", "csv", store=store)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_header_only_and_truncated_baci(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    folder = tmp_path / "baci"
    shutil.copytree(bundled_path("baci-sample"), folder)
    assert run("import", "baci", str(folder), store=store).returncode == 0
    assert _flows(store) == "72097"
    data = (folder / NAME).read_bytes()
    (folder / NAME).write_bytes(data[: data.index(b"\n") + 1])
    done = run("import", "baci", str(folder), store=store)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "no data rows" in done.stderr
    assert _flows(store) == "72097"
    lines = data.splitlines(keepends=True)
    (folder / NAME).write_bytes(b"".join(lines[:1000]))
    done = run("import", "baci", str(folder), store=store)
    assert done.returncode == 1 and "--replace" in done.stderr and "Traceback" not in done.stderr
    assert _flows(store) == "72097"
    done = run("import", "baci", str(folder), "--replace", store=store)
    assert done.returncode == 0, done.stderr
    assert "replaced" in done.stderr
    assert _flows(store) == "999"
