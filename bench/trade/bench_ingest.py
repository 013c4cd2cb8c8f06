"""Ingest of one BACI year: autarky's loader against DuckDB's read_csv and Polars' streaming CSV → Parquet.

    python bench/trade/bench_ingest.py bench/out/trade/BACI_HS17_Y2022_V202401.csv

Each contender runs in a fresh Python process (so peak RSS is its own): DuckDB
``COPY (SELECT * FROM read_csv(file)) TO 'x.parquet'``, Polars ``scan_csv(file).sink_parquet(...)``, and
``autarky.trade.load_baci`` into a new store (parse, validate, map codes, restore HS codes, quarantine,
partitioned Parquet, one transaction).  To show that memory is flat in the file size, autarky also loads the
first quarter of the file.  Prints times, ratios and peak RSS; writes ``ingest.json`` next to the file.
Target: autarky ≤ 1.5 × the faster baseline, peak RSS < 2 GB and about the same for both sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
task, src, out = sys.argv[1], sys.argv[2], sys.argv[3]
if task == "duckdb":
    import duckdb
    t0 = time.perf_counter()
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{src}')) TO '{out}/duckdb.parquet' (FORMAT parquet)")
elif task == "polars":
    import polars as pl
    t0 = time.perf_counter()
    pl.scan_csv(src).sink_parquet(f"{out}/polars.parquet")
else:
    from pathlib import Path
    from autarky.store import open_store
    from autarky.trade import load_baci
    import autarky.trade.codes as C
    C.bundled_country_tables(); C.m49_codes()   # reference tables, loaded once per process
    store = open_store(Path(out) / "bench.duckdb")
    t0 = time.perf_counter()
    r = load_baci(store, Path(src))
    assert r.rows_quarantined == 0, r
elapsed = time.perf_counter() - t0
print(json.dumps({"task": task, "seconds": elapsed,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(task: str, src: Path, out: Path) -> dict[str, float]:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    res = subprocess.run([sys.executable, "-c", CHILD, task, str(src), str(out)], capture_output=True, text=True,
                         env=env, check=False)
    if res.returncode:
        raise SystemExit(f"{task} failed:\n{res.stderr[-3000:]}")
    result: dict[str, float] = json.loads(res.stdout.strip().splitlines()[-1])
    return result


def quarter(src: Path, dest: Path) -> Path:
    """The header and the first quarter of the lines (same release name, a smaller file)."""
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / src.name
    size = src.stat().st_size
    with src.open("rb") as fh, path.open("wb") as out:
        data = fh.read(size // 4)
        out.write(data[: data.rfind(b"\n") + 1])
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--repeat", type=int, default=1, help="runs of each contender (the best is kept)")
    args = ap.parse_args()
    src = args.file.resolve()
    rows = sum(1 for _ in src.open("rb")) - 1
    work = Path(tempfile.mkdtemp(prefix="autarky-bench-", dir=src.parent))
    try:
        best: dict[str, dict[str, float]] = {}
        for _ in range(args.repeat):
            for task in ("duckdb", "polars", "autarky"):
                r = run(task, src, work / task)
                if task not in best or r["seconds"] < best[task]["seconds"]:
                    best[task] = r
                print(f"  {task:8s} {r['seconds']:7.2f} s   peak RSS {r['peak_rss_mb']:7.0f} MB", flush=True)
        small = quarter(src, work / "quarter-src")
        q = run("autarky", small, work / "autarky-quarter")
        shutil.copytree(work / "autarky", src.parent / "store", dirs_exist_ok=True)  # kept for bench_indicators
    finally:
        shutil.rmtree(work, ignore_errors=True)
    faster = min(best["duckdb"]["seconds"], best["polars"]["seconds"])
    ratio = best["autarky"]["seconds"] / faster
    report = {
        "rows": rows, "file_mb": src.stat().st_size / 1e6,
        "duckdb_read_csv_s": best["duckdb"]["seconds"], "polars_sink_parquet_s": best["polars"]["seconds"],
        "autarky_load_baci_s": best["autarky"]["seconds"], "ratio_to_faster_baseline": ratio,
        "peak_rss_mb": {k: v["peak_rss_mb"] for k, v in best.items()},
        "autarky_quarter_file": {"rows": rows // 4, "seconds": q["seconds"], "peak_rss_mb": q["peak_rss_mb"]},
    }
    (src.parent / "ingest.json").write_text(json.dumps(report, indent=2))
    print(f"BACI ingest, {rows:,} rows ({report['file_mb']:.0f} MB)")
    print(f"  DuckDB read_csv → Parquet      {best['duckdb']['seconds']:7.2f} s   "
          f"peak RSS {best['duckdb']['peak_rss_mb']:6.0f} MB")
    print(f"  Polars scan_csv → sink_parquet {best['polars']['seconds']:7.2f} s   "
          f"peak RSS {best['polars']['peak_rss_mb']:6.0f} MB")
    print(f"  autarky load_baci              {best['autarky']['seconds']:7.2f} s   "
          f"peak RSS {best['autarky']['peak_rss_mb']:6.0f} MB")
    print(f"  autarky, first quarter of file {q['seconds']:7.2f} s   peak RSS {q['peak_rss_mb']:6.0f} MB")
    print(f"  ratio autarky / faster baseline: {ratio:.2f}  (target ≤ 1.5)")


if __name__ == "__main__":
    main()
