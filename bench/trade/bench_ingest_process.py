"""Ingest as the user runs it: the whole ``autarky import baci FILE`` process beside Polars' streaming
``scan_csv → sink_parquet`` process, in one run.

    .venv/bin/python bench/trade/bench_ingest_process.py bench/out/trade/BACI_HS17_Y2022_V202401.csv
    .venv/bin/python bench/trade/bench_ingest_process.py --generate 11000000   # writes the file first

Both sides are timed from process start to exit (interpreter start-up, imports, reading, writing; the
autarky side also opens the store, validates, maps codes, writes partitioned Parquet and commits).  The
store exists, empty, as after ``autarky init`` (a copy of one made beforehand, so each run starts alike);
``--fresh-store`` lets the import create it instead (creating a store is a one-time cost).  The Polars
side is ``python -c "import polars as pl; pl.scan_csv(FILE).sink_parquet(OUT)"``.
Runs alternate, ``--repeat`` times each (the best of each counts); each run's peak RSS is its own
(``wait4``), and so is its CPU time (user + system).  Prints the times, the ratio and whether it meets
issue 18's goal: whole process ≤ 1.5 × Polars in wall time; the CPU-time ratio is printed beside it (on a
shared machine it moves less).  Outputs go to a temporary folder beside the file, removed at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL = 1.5
POLARS = "import sys, polars as pl; pl.scan_csv(sys.argv[1]).sink_parquet(sys.argv[2])"


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Seconds from start to exit, CPU seconds (user + system) and peak RSS (MB) of one process; fails
    loudly if it fails."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", type=Path, nargs="?", help="a BACI year file (BACI_HS17_Y2022_V202401.csv)")
    ap.add_argument("--generate", type=int, metavar="ROWS",
                    help="first write a synthetic BACI year of ROWS rows (bench/trade/generate.py)")
    ap.add_argument("--repeat", type=int, default=2, help="runs of each side; the best counts (default 2)")
    ap.add_argument("--fresh-store", action="store_true", help="import into a store the import creates")
    args = ap.parse_args()
    if args.generate:
        # in its own process: a child forked from a parent that held the generated gigabytes would report
        # them as its peak RSS (the high-water mark survives fork and exec)
        out = Path(__file__).resolve().parents[1] / "out" / "trade"
        subprocess.run([sys.executable, str(Path(__file__).with_name("generate.py")), "--rows",
                        str(args.generate), "--year", "2022", "--out", str(out)], check=True)
        args.file = out / "BACI_HS17_Y2022_V202401.csv"
    if args.file is None:
        ap.error("give a BACI year file or --generate ROWS")
    src = args.file.resolve()
    rows = sum(1 for _ in src.open("rb")) - 1
    cli = str(Path(sys.executable).with_name("autarky"))
    env = {**os.environ, "AUTARKY_STORE": ""}
    work = Path(tempfile.mkdtemp(prefix="autarky-ingest-", dir=src.parent))
    best: dict[str, tuple[float, float, float]] = {}
    empty = work / "empty.duckdb"
    if not args.fresh_store:  # made in a child too, so that this process stays small (see above)
        subprocess.run([sys.executable, "-c", "import sys; from autarky.store import open_store; "
                        "open_store(sys.argv[1]).close()", str(empty)], check=True)
    try:
        for i in range(args.repeat):
            for side in ("polars", "autarky"):
                target = work / f"{side}-{i}"
                target.mkdir()
                if side == "polars":
                    cmd = [sys.executable, "-c", POLARS, str(src), str(target / "out.parquet")]
                else:
                    store = target / "store.duckdb"
                    if not args.fresh_store:
                        shutil.copyfile(empty, store)
                    cmd = [cli, "import", "baci", str(src), "--store", str(store)]
                seconds, cpu, rss = timed(cmd, env)
                shutil.rmtree(target)
                print(f"  {side:8s} run {i + 1}: {seconds:6.2f} s  (CPU {cpu:6.2f} s)  peak RSS {rss:6.0f} MB",
                      flush=True)
                if side not in best or seconds < best[side][0]:
                    best[side] = (seconds, cpu, rss)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ratio = best["autarky"][0] / best["polars"][0]
    print(f"BACI ingest, whole process, {rows:,} rows ({src.stat().st_size / 1e6:.0f} MB), best of {args.repeat}")
    print(f"  python -c 'pl.scan_csv(f).sink_parquet(o)'  {best['polars'][0]:7.2f} s  "
          f"(CPU {best['polars'][1]:6.2f} s)  peak RSS {best['polars'][2]:6.0f} MB")
    kind = "new" if args.fresh_store else "empty"
    print(f"  autarky import baci FILE ({kind} store)      {best['autarky'][0]:7.2f} s  "
          f"(CPU {best['autarky'][1]:6.2f} s)  peak RSS {best['autarky'][2]:6.0f} MB")
    cpu_ratio = best["autarky"][1] / best["polars"][1]
    print(f"  CPU time ratio = {cpu_ratio:.2f}× (steadier than wall time when the machine is shared)")
    print(f"  ratio autarky / Polars = {ratio:.2f}× (goal ≤ {GOAL}×): {'MEETS' if ratio <= GOAL else 'MISSES'}")


if __name__ == "__main__":
    main()
