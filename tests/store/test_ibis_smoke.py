"""Smoke test of the Ibis calls autarky relies on, so an upstream release cannot break them silently.

ENVIRONMENT.md: duckdb 2.x and sqlglot >= 30.18 break Ibis 12 (fetch_arrow_table, DROP VIEW IF EXISTS);
pyproject pins ibis-framework 12.0.0, duckdb 1.5.6 and sqlglot 30.17.0 together.
"""

from __future__ import annotations

from pathlib import Path

import ibis
import pyarrow as pa
import pyarrow.parquet as pq

from autarky.store import Store


def test_ibis_calls_used_by_autarky(store: Store, tmp_path: Path) -> None:
    con = store.ibis
    assert "datasets" in con.list_tables()
    t = con.table("economies")
    n = t.filter(t.continent == "Europe").count().execute()
    assert 40 < n < 60
    assert con.sql("SELECT iso3 FROM economies WHERE iso3 = 'CHN'").to_pyarrow().num_rows == 1
    batches = list(t.select("iso3").to_pyarrow_batches(chunk_size=100))
    assert sum(b.num_rows for b in batches) == t.count().execute()

    mem = ibis.memtable(pa.table({"k": ["a", "b", "a"], "v": [1.0, 2.0, 3.0]}))
    agg = mem.group_by("k").agg(total=mem.v.sum()).order_by("k")
    con.create_table("__smoke", agg, overwrite=True)
    con.create_table("__smoke", agg, overwrite=True)  # overwrite twice: the sqlglot regression
    assert con.table("__smoke").to_pyarrow().to_pylist() == [{"k": "a", "total": 4.0}, {"k": "b", "total": 2.0}]
    con.drop_table("__smoke")

    w = mem.mutate(share=mem.v / mem.v.sum().over(ibis.window(group_by="k")))
    assert sorted(w.share.to_pyarrow().to_pylist()) == [0.25, 0.75, 1.0]
    out = tmp_path / "x.parquet"
    mem.to_parquet(out)
    assert pq.read_table(out).num_rows == 3
