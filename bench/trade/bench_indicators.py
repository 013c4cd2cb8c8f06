"""The trade indicator set on one BACI year: autarky (Ibis → DuckDB) against hand-written DuckDB SQL and Polars.

    python bench/trade/bench_indicators.py bench/out/trade/store/bench.duckdb [--spark]

Reads the store ``bench_ingest.py`` left (its flows are Parquet).  The indicator set, for every importing
economy, at product level and at strategic-sector level, per year: imports, exports, net, supplier HHI,
number of suppliers, top supplier share, share of imports from US_ALLIES, world export HHI — every input
of the dependency screen.  The three contenders compute the same table from the same Parquet (each in a
fresh process) and the script checks they agree.  ``--spark`` runs autarky once on Spark local[2] instead.
Target: autarky ≤ 1.2 × the faster hand-written version.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

COMMON = r"""
import json, resource, sys, time
from pathlib import Path
store_path = Path(sys.argv[2])
from autarky.geo.blocs import bundled_blocs
from autarky.trade.sectors import sector_concordance
BLOC = sorted(next(b for b in bundled_blocs() if b.name == "US_ALLIES").members)
SECTORS = sector_concordance().select(["sector", "hs_revision", "hs_code"])
GLOB = str(store_path.with_name(store_path.name + ".parquet") / "trade_flows" / "*" / "*" / "*.parquet")

def checksum(tables):
    out = []
    for t in tables:
        import pyarrow.compute as pc
        out.append({"rows": t.num_rows, **{c: round(float(pc.sum(t[c]).as_py() or 0), 6)
                    for c in ("imports", "exports", "import_hhi", "top_share", "bloc_share", "world_export_hhi")}})
    return out

def report(task, t0, tables, extra=None):
    print(json.dumps({"task": task, "seconds": time.perf_counter() - t0, "check": checksum(tables),
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, **(extra or {})}))
"""

AUTARKY = COMMON + r"""
from autarky.store import open_store
from autarky.trade import analysis as A, indicators as ind
from autarky.trade.engine import spark_engine
store = open_store(store_path)  # read-write: re-points the flows view if the store was moved
extra = {}
if sys.argv[1] == "spark":
    t0 = time.perf_counter()
    engine = spark_engine(store)
    engine.session.sparkContext.setLogLevel("ERROR")
    extra["session_start_s"] = time.perf_counter() - t0
else:
    engine = A.DuckDBEngine(store)
t0 = time.perf_counter()
flows = A.select_flows(store, engine=engine).flows
by_product = ind.dependence_panel(flows, bloc=BLOC)
by_sector = ind.dependence_panel(ind.with_groups(flows, "sector", engine.memtable(SECTORS)), bloc=BLOC, key="group")
tables = [engine.execute(by_product), engine.execute(by_sector)]
report(sys.argv[1], t0, tables, extra)
"""

DUCKDB_SQL = COMMON + r"""
import duckdb
con = duckdb.connect()
con.register("sectors", SECTORS)
bloc = ", ".join(f"'{m}'" for m in BLOC)
t0 = time.perf_counter()
con.execute(f"CREATE TEMP VIEW flows AS SELECT year, exporter, importer, product, value_usd "
            f"FROM read_parquet('{GLOB}', hive_partitioning = true)")
con.execute("CREATE TEMP VIEW sector_flows AS SELECT f.year, f.exporter, f.importer, m.sector AS product, "
            "f.value_usd FROM flows f JOIN (SELECT DISTINCT p.product, s.sector FROM "
            "(SELECT DISTINCT product FROM flows) p JOIN sectors s ON starts_with(p.product, s.hs_code)) m "
            "USING (product)")
PANEL = '''
WITH bilateral AS (
  SELECT year, product, importer, exporter, sum(value_usd) AS v FROM {src} GROUP BY ALL),
imp AS (
  SELECT year, product, importer AS economy, sum(v) AS imports, sum(v * v) AS sq, count(*) AS n_suppliers,
         max(v) AS top, sum(CASE WHEN exporter IN ({bloc}) THEN v ELSE 0 END) AS from_bloc
  FROM bilateral GROUP BY ALL),
exp AS (SELECT year, product, exporter AS economy, sum(v) AS exports FROM bilateral GROUP BY ALL),
world AS (SELECT year, product, sum(exports * exports) / (sum(exports) * sum(exports)) AS world_export_hhi
          FROM exp GROUP BY ALL)
SELECT economy, product, year, coalesce(imports, 0) AS imports, coalesce(exports, 0) AS exports,
       coalesce(exports, 0) - coalesce(imports, 0) AS net, sq / nullif(imports * imports, 0) AS import_hhi,
       coalesce(n_suppliers, 0) AS n_suppliers, top / nullif(imports, 0) AS top_share,
       from_bloc / nullif(imports, 0) AS bloc_share, world_export_hhi
FROM imp FULL OUTER JOIN exp USING (year, product, economy) LEFT JOIN world USING (year, product)
'''
tables = [con.execute(PANEL.format(src=s, bloc=bloc)).to_arrow_table() for s in ("flows", "sector_flows")]
report("duckdb_sql", t0, tables)
"""

POLARS = COMMON + r"""
import polars as pl
sectors = pl.from_arrow(SECTORS)
t0 = time.perf_counter()
flows = pl.scan_parquet(GLOB, hive_partitioning=True).select(
    "year", pl.col("exporter").cast(pl.String), pl.col("importer").cast(pl.String),
    pl.col("product").cast(pl.String), "value_usd")
products = flows.select("product").unique()
mapping = (products.join(sectors.lazy().select("sector", "hs_code"), how="cross")
           .filter(pl.col("product").str.starts_with(pl.col("hs_code"))).select("product", "sector").unique())
sector_flows = flows.join(mapping, on="product").drop("product").rename({"sector": "product"})

def panel(src):
    bilateral = src.group_by("year", "product", "importer", "exporter").agg(v=pl.col("value_usd").sum())
    imp = bilateral.group_by("year", "product", "importer").agg(
        imports=pl.col("v").sum(), sq=(pl.col("v") ** 2).sum(), n_suppliers=pl.len().cast(pl.Int32),
        top=pl.col("v").max(), from_bloc=pl.col("v").filter(pl.col("exporter").is_in(BLOC)).sum(),
    ).rename({"importer": "economy"})
    exp = bilateral.group_by("year", "product", "exporter").agg(exports=pl.col("v").sum()).rename(
        {"exporter": "economy"})
    world = exp.group_by("year", "product").agg(
        world_export_hhi=(pl.col("exports") ** 2).sum() / pl.col("exports").sum() ** 2)
    j = imp.join(exp, on=["year", "product", "economy"], how="full", coalesce=True)
    j = j.join(world, on=["year", "product"], how="left")
    imports = pl.col("imports")
    return j.select(
        "economy", "product", "year", imports=imports.fill_null(0.0), exports=pl.col("exports").fill_null(0.0),
        net=pl.col("exports").fill_null(0.0) - imports.fill_null(0.0),
        import_hhi=pl.when(imports > 0).then(pl.col("sq") / imports ** 2),
        n_suppliers=pl.col("n_suppliers").fill_null(0),
        top_share=pl.when(imports > 0).then(pl.col("top") / imports),
        bloc_share=pl.when(imports > 0).then(pl.col("from_bloc") / imports),
        world_export_hhi="world_export_hhi")

tables = [t.to_arrow() for t in pl.collect_all([panel(flows), panel(sector_flows)])]
report("polars", t0, tables)
"""


def run(code: str, task: str, store: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    res = subprocess.run([sys.executable, "-c", code, task, str(store)], capture_output=True, text=True, env=env,
                         check=False)
    if res.returncode:
        raise SystemExit(f"{task} failed:\n{res.stderr[-3000:]}")
    result: dict[str, object] = json.loads(res.stdout.strip().splitlines()[-1])
    return result


def _agree(a: list[dict[str, float]], b: list[dict[str, float]]) -> bool:
    return all(x["rows"] == y["rows"] and all(abs(x[k] - y[k]) <= 1e-6 * max(1.0, abs(x[k])) for k in x)
               for x, y in zip(a, b, strict=True))


def spark_only(store: Path) -> None:
    """One autarky run on Spark local[2], checked against the DuckDB results of the last full run."""
    r = run(AUTARKY, "spark", store)
    out = store.parent.parent / "indicators.json"
    previous = json.loads(out.read_text()) if out.exists() else {}
    agree = _agree(previous["checks"]["autarky"], r["check"]) if previous else None  # type: ignore[arg-type]
    (store.parent.parent / "indicators_spark.json").write_text(json.dumps({**r, "agrees_with_duckdb": agree},
                                                                          indent=2))
    print(f"  autarky (Ibis → Spark local[2])  {float(r['seconds']):7.2f} s "  # type: ignore[arg-type]
          f"(+ {float(r['session_start_s']):.1f} s session start), peak RSS of the driver "  # type: ignore[arg-type]
          f"{float(r['peak_rss_mb']):.0f} MB; agrees with DuckDB: {agree}")  # type: ignore[arg-type]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--spark", action="store_true",
                    help="only run autarky on Spark local[2] (slow), checked against the last DuckDB run")
    args = ap.parse_args()
    store = args.store.resolve()
    if args.spark:
        spark_only(store)
        return
    best: dict[str, dict[str, object]] = {}
    contenders = [("duckdb_sql", DUCKDB_SQL), ("polars", POLARS), ("autarky", AUTARKY)]
    for _ in range(args.repeat):
        for task, code in contenders:
            r = run(code, task, store)
            if task not in best or float(r["seconds"]) < float(best[task]["seconds"]):  # type: ignore[arg-type]
                best[task] = r
            print(f"  {task:10s} {float(r['seconds']):7.2f} s   peak RSS {float(r['peak_rss_mb']):6.0f} MB",  # type: ignore[arg-type]
                  flush=True)
    checks = {k: v["check"] for k, v in best.items()}
    agree = _agree(checks["autarky"], checks["duckdb_sql"]) and _agree(checks["autarky"], checks["polars"])  # type: ignore[arg-type]
    secs = {k: float(v["seconds"]) for k, v in best.items()}  # type: ignore[arg-type]
    ratio = secs["autarky"] / min(secs["duckdb_sql"], secs["polars"])
    report = {"seconds": secs, "ratio_to_faster_baseline": ratio, "results_agree": agree, "checks": checks,
              "peak_rss_mb": {k: v["peak_rss_mb"] for k, v in best.items()}}
    (store.parent.parent / "indicators.json").write_text(json.dumps(report, indent=2))
    rows = checks["autarky"][0]["rows"]  # type: ignore[index]
    print(f"Trade indicator set (product panel: {rows:,} rows; plus the sector panel)")
    print(f"  hand-written DuckDB SQL        {secs['duckdb_sql']:7.2f} s")
    print(f"  hand-written Polars (lazy)     {secs['polars']:7.2f} s")
    print(f"  autarky (Ibis → DuckDB)        {secs['autarky']:7.2f} s")
    print(f"  ratio autarky / faster hand-written: {ratio:.2f}  (target ≤ 1.2); results agree: {agree}")


if __name__ == "__main__":
    main()
