"""The CLI imports only what a command needs (issue 12): no web stack, report, pinyin or dataframes on
``--help``, ``datasets`` or ``sql``.  (Speed itself is measured in bench/cli/bench_startup.py.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import sys, runpy
sys.argv = ["autarky", *{args!r}]
try:
    runpy.run_module("autarky", run_name="__main__")
except SystemExit as exc:
    code = exc.code
else:
    code = 0
sys.stdout.flush()
print("\\n" + __import__("json").dumps({{"code": code, "modules": sorted(m.split(".")[0] if not m.startswith("autarky.")
      else ".".join(m.split(".")[:2]) for m in sys.modules)}}))
"""

NEVER = {"fastapi", "starlette", "uvicorn", "pypinyin", "rapidfuzz", "autarky.report", "autarky.web", "autarky.api",
         "polars", "pandas", "statsmodels", "scipy", "httpx", "openpyxl"}


def _modules(*args: str, cwd: Path) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", PROBE.format(args=list(args))], capture_output=True, text=True,
                          cwd=cwd, timeout=300)
    doc = json.loads(proc.stdout.strip().splitlines()[-1])
    assert doc["code"] in (0, None), proc.stderr
    return set(doc["modules"])


def test_help_loads_no_data_stack(tmp_path: Path) -> None:
    loaded = _modules("--help", cwd=tmp_path)
    assert not loaded & (NEVER | {"duckdb", "ibis", "numpy"})


@pytest.mark.parametrize("args", [("datasets",), ("sql", "SELECT count(*) AS n FROM datasets")])
def test_reading_commands_load_only_the_store(bundled_store_path: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    loaded = _modules("--store", str(bundled_store_path), *args, "--format", "json", cwd=tmp_path)
    assert "duckdb" in loaded  # the probe saw the command run
    assert not loaded & NEVER, loaded & NEVER


def test_help_lists_commands_built_only_when_run(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "autarky"]
    top = subprocess.run([*run, "--help"], capture_output=True, text=True, cwd=tmp_path, timeout=300,
                         env={**os.environ, "COLUMNS": "100"})
    assert top.returncode == 0 and "chokepoints" in top.stdout and "trajectory" in top.stdout
    typo = subprocess.run([*run, "trade", "depndence"], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert typo.returncode == 2 and "Did you mean 'dependence'" in typo.stderr + typo.stdout
