"""CLI start-up: the whole ``autarky --help`` process beside ``python -c "import typer"``, in one run.

Issue #12's goal: ``autarky --help`` within 1.5× of importing Typer alone (the CLI imports only what a command
needs: no FastAPI, report, pinyin or Polars for ``--help``, ``datasets`` or ``sql``).  Runs both commands
interleaved, ``--runs`` times each, and prints the medians, the ratio and whether it meets the goal.  Also
times ``autarky datasets --help`` and lists the heavy modules ``autarky --help`` imports, if any.

    .venv/bin/python bench/cli/bench_startup.py --runs 15
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

GOAL = 1.5
HEAVY = ("fastapi", "polars", "pypinyin", "autarky.report", "duckdb", "ibis", "pandas", "numpy")


def _time(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    py = sys.executable
    cli = str(Path(py).with_name("autarky"))
    cases = {
        "python -c 'import typer'": [py, "-c", "import typer"],
        "autarky --help": [cli, "--help"],
        "autarky datasets --help": [cli, "datasets", "--help"],
    }
    for cmd in cases.values():  # warm the OS cache
        _time(cmd)
    times: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(args.runs):
        for name, cmd in cases.items():
            times[name].append(_time(cmd))
    med = {k: statistics.median(v) for k, v in times.items()}
    base = med["python -c 'import typer'"]
    for name, m in med.items():
        print(f"{name:28s} median {m * 1000:7.1f} ms  ({m / base:.2f}× import typer)")
    ratio = med["autarky --help"] / base
    print(f"autarky --help / import typer = {ratio:.2f}× (goal ≤ {GOAL}×): {'MEETS' if ratio <= GOAL else 'MISSES'}")
    probe = ("import sys, autarky.cli; "
             f"print(','.join(m for m in sys.modules if m in {HEAVY!r}))")
    loaded = subprocess.run([py, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    print(f"heavy modules imported by the CLI at start-up: {loaded or 'none'}")


if __name__ == "__main__":
    main()
