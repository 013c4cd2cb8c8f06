"""Full history: every trade indicator for every economy-year on generated BACI-size years, in bounded memory.

    .venv/bin/python bench/trade/bench_full_history.py                 # 3 years of 8.5 M flows
    .venv/bin/python bench/trade/bench_full_history.py --years 29      # 1995-2023, the whole history
    .venv/bin/python bench/trade/bench_full_history.py --memory-limit default   # the store's own limit

Set-up (not timed, kept in ``bench/out/trade/history`` for the next run): a store holding ``--years`` years of
``--rows`` flows each, sampled like ``generate.py`` (Zipf exporters and importers, log-normal products and
values, real BACI country and HS 2017 codes), written as the BACI importer writes them (partitioned Parquet
committed by :func:`autarky.trade.importing.finish_flow_import`; the CSV parsing is ``bench_ingest*.py``'s
subject, not this one's).

Measured: a fresh process opens the store (so the store's settings apply: ``AUTARKY_MEMORY_LIMIT``, here 1 GB
unless ``--memory-limit`` says otherwise, spilling to ``<store>.tmp``), selects the flows and computes the
indicator set of ``bench_indicators.py`` — imports, exports, net, supplier HHI, number of suppliers, top supplier share,
share from US_ALLIES, world export HHI — for every economy × product × year and every economy × strategic
sector × year, streaming both panels to Parquet.  It runs once on all years but the last and once on all;
the script prints wall time and peak RSS of each process (``wait4``), the growth per year, the
extrapolation to 29 years and whether issue 18's goal is met: peak RSS ≤ 8 GB and time ≤ 10 minutes for
the 1995-2023 history on this machine.  The extrapolation is linear in the years; it is meaningful when
the limit binds at N years (RSS near the limit), since beyond it DuckDB spills instead of growing — without a
binding limit (``--memory-limit default`` on a large machine) RSS grows about 0.6 GB per BACI year.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOAL_RSS_GB = 8.0
GOAL_SECONDS = 600.0
HISTORY = 29  # BACI HS92: 1995-2023
PART_ROWS = 1_000_000

CHILD = r"""
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from autarky.geo.blocs import bundled_blocs
from autarky.store import open_store
from autarky.trade import analysis as A, indicators as ind
from autarky.trade.sectors import sector_concordance
store_path, out, years = Path(sys.argv[1]), Path(sys.argv[2]), [int(y) for y in sys.argv[3].split(",")]
bloc = sorted(next(b for b in bundled_blocs() if b.name == "US_ALLIES").members)
sectors = sector_concordance().select(["sector", "hs_revision", "hs_code"])
store = open_store(store_path, read_only=True)
limit = store.raw.execute("SELECT current_setting('memory_limit')").fetchone()[0]
engine = A.DuckDBEngine(store)
flows = A.select_flows(store, years=years, engine=engine).flows
panels = {
    "by_product": ind.dependence_panel(flows, bloc=bloc),
    "by_sector": ind.dependence_panel(ind.with_groups(flows, "sector", engine.memtable(sectors)), bloc=bloc,
                                      key="group"),
}
rows = {}
for name, expr in panels.items():
    target = out / f"{name}.parquet"
    store.ibis.to_parquet(expr, str(target))
    rows[name] = store.raw.execute(f"SELECT count(*) FROM read_parquet('{target}')").fetchone()[0]
print(json.dumps({"seconds": time.perf_counter() - t0, "rows": rows, "memory_limit": limit}))
"""


def build_store(store_path: Path, years: list[int], rows: int) -> None:
    """Add the missing years to the bench store (generated flows, committed as the BACI importer does)."""
    import numpy as np
    import polars as pl
    import pyarrow as pa

    sys.path.insert(0, str(HERE))
    from generate import sample_flows

    from autarky.store import DatasetMeta, open_store
    from autarky.trade import codes as C
    from autarky.trade.baci import BACI_ATTRIBUTION, BACI_LICENCE, BACI_PUBLISHER
    from autarky.trade.flowstore import staging
    from autarky.trade.importing import finish_flow_import

    with open_store(store_path) as store:
        have = {int(y) for (y,) in store.raw.execute("SELECT DISTINCT year FROM trade_flow_parts").fetchall()}
        for year in years:
            if year in have:
                continue
            t0 = time.perf_counter()
            flows, codes_file, _ = sample_flows(rows, year, seed=20240101 + year)
            tables = [(codes_file.name, C.read_baci_country_codes(codes_file))]
            code_map = C.baci_code_map(tables, sorted({c for _, r in tables for c, _, _ in r} | set(C.m49_codes())))
            codes = pl.Series(list(code_map), dtype=pl.Int32)
            iso = pl.Series([c.iso3 for c in code_map.values()], dtype=pl.String).cast(pl.Categorical)
            u = flows["u"].to_numpy()
            out = flows.select(
                exporter=pl.col("i").replace_strict(codes, iso),
                importer=pl.col("j").replace_strict(codes, iso),
                hs_revision=pl.lit("HS17").cast(pl.Categorical),
                product=pl.col("k").cast(pl.String).str.zfill(6).cast(pl.Categorical),
                value_usd=pl.col("v") * 1000.0,
                quantity=pl.when(pl.Series(u < 0.03)).then(None).when(pl.Series(u < 0.08)).then(0.0)
                .otherwise(pl.col("q")),
                reported_by=pl.lit("reconciled").cast(pl.Categorical),
                source_line=pl.int_range(2, pl.len() + 2, dtype=pl.Int32),
            )
            meta = DatasetMeta(
                name=f"baci-HS17-{year}", kind="baci", vintage="V202401",
                content_hash=f"generated-{year}-{rows}", publisher=BACI_PUBLISHER, licence=BACI_LICENCE,
                attribution=BACI_ATTRIBUTION, source=f"bench/trade/bench_full_history.py (generated, seed "
                f"{20240101 + year})", params={"revision": "HS17", "year": year},
            )
            with staging(store) as stage:
                for index, start in enumerate(range(0, out.height, PART_ROWS)):
                    part = out.slice(start, PART_ROWS)
                    part.write_parquet(stage.part_file(year, index), compression="lz4", statistics=False)
                    stage.record(year, part.height, float(part["value_usd"].sum()), {"HS17"}, {"reconciled"})
                finish_flow_import(store, stage, meta, rows_read=out.height, bad=[],
                                   codes=pa.table({"code": np.empty(0, dtype=np.int32)}))
            print(f"  set-up: year {year}, {out.height:,} flows in {time.perf_counter() - t0:.0f} s", flush=True)


def measure(store_path: Path, years: list[int], out: Path, env: dict[str, str]) -> tuple[dict[str, object], float]:
    """One fresh process computing both panels for ``years``: its report with wall seconds, and its own
    peak RSS in GB (``wait4``)."""
    out.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-c", CHILD, str(store_path), str(out), ",".join(str(y) for y in years)]
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        if proc.returncode:
            raise SystemExit(f"the indicator process failed:\n{stderr.read().decode(errors='replace')[-3000:]}")
        report: dict[str, object] = json.loads(stdout.read().decode().strip().splitlines()[-1])
    report["wall"] = wall
    return report, usage.ru_maxrss / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--years", type=int, default=3, help="years of history (default 3; BACI has 29)")
    ap.add_argument("--first-year", type=int, default=1995)
    ap.add_argument("--rows", type=int, default=8_500_000, help="flows per year (default 8.5 M, BACI's size)")
    ap.add_argument("--memory-limit", default="1GB",
                    help="AUTARKY_MEMORY_LIMIT for the measured process (default %(default)s: small enough to "
                         "bind from 2 years on, so the growth per year is what the limit does not cover; "
                         "'default' keeps the store's own, half the machine)")
    ap.add_argument("--workdir", type=Path, default=HERE.parent / "out" / "trade" / "history")
    args = ap.parse_args()
    years = list(range(args.first_year, args.first_year + args.years))
    store_path = (args.workdir / f"history-{args.rows}.duckdb").resolve()
    build_store(store_path, years, args.rows)
    env = dict(os.environ)
    if args.memory_limit != "default":
        env["AUTARKY_MEMORY_LIMIT"] = args.memory_limit
    runs = [years[:-1], years] if len(years) > 1 else [years]
    results = []
    for chosen in runs:  # the same limit binds in both: the difference is what grows beyond it
        out = args.workdir / f"panels-{len(chosen)}y"
        result, rss = measure(store_path, chosen, out, env)
        results.append((len(chosen), result, rss))
        rows = result["rows"]
        print(f"  {len(chosen):2d} year(s): {float(result['wall']):7.1f} s, peak RSS {rss:5.2f} GB "  # type: ignore[arg-type]
              f"(memory_limit {result['memory_limit']}; {rows['by_product']:,} product rows, "  # type: ignore[index]
              f"{rows['by_sector']:,} sector rows)", flush=True)  # type: ignore[index]
    n, last, rss_n = results[-1]
    t_n = float(last["wall"])  # type: ignore[arg-type]
    if len(results) > 1:
        _, first, rss_1 = results[0]
        t_1 = float(first["wall"])  # type: ignore[arg-type]
        rss_slope = (rss_n - rss_1) / 1
        t_slope = (t_n - t_1) / 1
    else:
        rss_slope = t_slope = float("nan")
    rss_29 = rss_n + rss_slope * (HISTORY - n) if n < HISTORY else rss_n
    t_29 = t_n + t_slope * (HISTORY - n) if n < HISTORY else t_n
    how = "measured" if n >= HISTORY else f"extrapolated linearly from {n - 1} and {n} years"
    print(f"Full history, {args.rows:,} flows per year, {n} year(s): {t_n:.1f} s, peak RSS {rss_n:.2f} GB; "
          f"growth per year {t_slope:.1f} s and {rss_slope:.3f} GB")
    met = rss_29 <= GOAL_RSS_GB and t_29 <= GOAL_SECONDS
    print(f"  {HISTORY} years ({how}): {t_29:.0f} s, peak RSS {rss_29:.2f} GB; goal ≤ {GOAL_RSS_GB:.0f} GB and "
          f"≤ {GOAL_SECONDS / 60:.0f} min: {'MEETS' if met else 'MISSES'}")


if __name__ == "__main__":
    main()
