"""The same pipeline on DuckDB and on Spark gives the same tables (marked ``spark``; runs in CI)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pytest
from trade_helpers import write_baci

from autarky.store import Store
from autarky.trade import analysis as A
from autarky.trade import indicators as ind
from autarky.trade.baci import load_baci
from autarky.trade.engine import Engine, SparkEngine
from autarky.trade.screening import ScreenThresholds

pytestmark = [
    pytest.mark.spark,
    # py4j leaves its gateway sockets to the garbage collector; nothing of autarky's is unclosed here.
    pytest.mark.filterwarnings("ignore:unclosed <socket:ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

YEARS = {
    2019: [("CHN", "USA", "854231", 60), ("MEX", "USA", "854231", 20), ("TWN", "USA", "854231", 20),
           ("TWN", "CHN", "854231", 90), ("KOR", "CHN", "854231", 10), ("USA", "CHN", "848620", 40),
           ("NLD", "CHN", "848620", 50), ("JPN", "CHN", "848620", 30), ("CHN", "VNM", "850760", 7)],
    2020: [("CHN", "USA", "854231", 50), ("VNM", "USA", "854231", 40), ("TWN", "CHN", "854231", 80),
           ("KOR", "CHN", "854231", 15), ("NLD", "CHN", "848620", 70), ("JPN", "CHN", "848620", 20),
           ("CHN", "USA", "850760", 30)],
    2021: [("CHN", "USA", "854231", 30), ("VNM", "USA", "854231", 50), ("MEX", "USA", "854231", 30),
           ("TWN", "CHN", "854231", 95), ("NLD", "CHN", "848620", 90), ("USA", "CHN", "848620", 5),
           ("CHN", "DEU", "850760", 40), ("KOR", "DEU", "850760", 10)],
}


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    from autarky.store import open_store

    folder = tmp_path_factory.mktemp("engines")
    st = open_store(folder / "engines.duckdb")
    for year, rows in YEARS.items():
        load_baci(st, write_baci(folder / str(year), year, [(e, i, k, float(v)) for e, i, k, v in rows]))
    return st


def _same(a: pa.Table, b: pa.Table) -> None:
    """Equal tables: same schema and rows; floats within 1e-12 (summation order may differ)."""
    a, b = a.replace_schema_metadata(None), b.replace_schema_metadata(None)
    assert a.schema == b.schema
    keys = [(c, "ascending") for c in a.column_names
            if not pa.types.is_floating(a.schema.field(c).type) and not pa.types.is_nested(a.schema.field(c).type)]
    ra, rb = a.sort_by(keys).to_pylist(), b.sort_by(keys).to_pylist()
    assert len(ra) == len(rb) > 0
    for x, y in zip(ra, rb, strict=True):
        for c in a.column_names:
            if isinstance(x[c], float) and isinstance(y[c], float):
                assert x[c] == pytest.approx(y[c], rel=1e-12, abs=1e-12), c
            else:
                assert x[c] == y[c], c


Query = Callable[[Engine | None], pa.Table]


def test_same_results_on_duckdb_and_spark(tiny_store: Store, spark: Any) -> None:
    eng = SparkEngine(store=tiny_store, session=spark)
    queries: dict[str, Query] = {
        "dependence": lambda e: A.dependence(tiny_store, "CHN", by="segment", sectors="semiconductors",
                                             bloc="CHIP_TOOLMAKERS", engine=e),
        "screen": lambda e: A.screen(tiny_store, "CHN", detail=True, engine=e,
                                     thresholds=ScreenThresholds(window=2, min_years=2)),
        "shift": lambda e: A.shift(tiny_store, "USA", "CHN", base="2019", compare="2021", engine=e),
        "decoupling": lambda e: A.decoupling(tiny_store, "US_ALLIES", "CHN", engine=e),
    }
    for name, query in queries.items():
        duck, spk = query(None), query(eng)
        assert duck.num_rows > 0, name
        _same(duck, spk)


def test_panel_and_trend_on_both(tiny_store: Store, spark: Any) -> None:
    eng = SparkEngine(store=tiny_store, session=spark)
    results = []
    for e in (A.DuckDBEngine(tiny_store), eng):
        flows = A.select_flows(tiny_store, engine=e).flows
        panel = ind.dependence_panel(flows, bloc={"USA", "JPN", "NLD"})
        totals = ind.trade_totals(ind.with_groups(flows, "product"), {"USA"})
        results.append((e.execute(panel), e.execute(ind.trend(totals, "imports"))))
    _same(results[0][0], results[1][0])
    _same(results[0][1], results[1][1])
