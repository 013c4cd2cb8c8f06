"""WDI ingest and the innovation queries against their floors, in one run; prints ratios.

    python bench/indicators/run.py [--repeat 3]

* ingest: ``load_wdi`` of the bundled tidy extract (53,442 rows: content detection, the one number reader,
  economy and year checks, one transaction) against DuckDB's own ``read_csv`` + ``INSERT`` of the same file
  into a bare table (no validation: the floor);
* ``innovation(CHN, peers USA,JPN,KOR,DEU,EU27)`` against one hand-written SQL query that returns the latest
  value of every indicator for the same six (no trend, rank, bloc aggregation or sources: a floor);
* ``fit_trajectory`` against a bare statsmodels OLS fit and prediction of the same series.

Medians of ``--repeat`` runs; the machine is shared, so read the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
from statsmodels.regression.linear_model import OLS
from statsmodels.tools import add_constant

from autarky.bundled import bundled_path
from autarky.indicators import fit_trajectory, innovation, load_wdi
from autarky.store import open_store

TIDY = bundled_path("wdi-science-technology/indicators.csv")
YEARS = [2010, 2011, 2013, 2014, 2018, 2019, 2020, 2021, 2022]
VALUES = [10.2, 12.7, 12.6, 15.1, 15.3, 15.7, 15.9, 16.7, 18.2]


def timed(fn: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(10_000))
        target = open_store(Path(tmp) / "a.duckdb")  # store creation (schema, economies) is not timed

        def ingest_autarky() -> None:
            load_wdi(target, bundled_path("wdi-science-technology"), name=f"wdi-{next(counter)}")

        def ingest_duckdb() -> None:
            con = duckdb.connect(str(Path(tmp) / f"d{next(counter)}.duckdb"))
            con.execute("CREATE TABLE v (indicator_code VARCHAR, indicator_name VARCHAR, economy VARCHAR, "
                        "economy_name VARCHAR, year INTEGER, value DOUBLE, is_aggregate BOOLEAN)")
            con.execute(f"INSERT INTO v SELECT * FROM read_csv('{TIDY}', header = true)")
            con.close()

        a, d = timed(ingest_autarky, args.repeat), timed(ingest_duckdb, args.repeat)
        print(f"ingest 53,442 WDI rows: autarky {a:.2f} s, DuckDB read_csv floor {d:.2f} s, ratio {a / d:.1f}x")
        target.close()

        st = open_store(Path(tmp) / "q.duckdb")
        load_wdi(st, bundled_path("wdi-science-technology"))
        peers = "USA,JPN,KOR,DEU,EU27"
        members = sorted({"CHN", "USA", "JPN", "KOR", "DEU"} | set(st.resolve("EU27").members))
        marks = ", ".join("?" for _ in members)

        def floor() -> object:
            return st.query("SELECT indicator_code, economy, arg_max(value, year), max(year) FROM indicator_values "
                            f"WHERE economy IN ({marks}) GROUP BY ALL", members)

        q, f = timed(lambda: innovation(st, "CHN", peers), args.repeat), timed(floor, args.repeat)
        print(f"innovation(CHN; 5 peers incl. EU27): autarky {q:.3f} s, bare latest-value SQL {f:.3f} s, "
              f"ratio {q / f:.1f}x")
        st.close()

    def bare() -> object:
        res = OLS(np.array(VALUES), add_constant(np.array(YEARS, dtype=float))).fit()
        return res.get_prediction(np.array([[1.0, 2025.0]])).summary_frame(alpha=0.1)

    t = timed(lambda: fit_trajectory(YEARS, VALUES, year=2025), max(args.repeat, 20))
    b = timed(bare, max(args.repeat, 20))
    print(f"fit_trajectory (9 points, band to 2075): {t * 1e3:.1f} ms, bare statsmodels fit+predict {b * 1e3:.1f} ms, "
          f"ratio {t / b:.1f}x")


if __name__ == "__main__":
    main()
