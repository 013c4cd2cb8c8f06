"""Complexity in the store: exports read from trade_flows, results saved as a derived dataset."""

from __future__ import annotations

import hashlib
import json
import warnings

import numpy as np
import polars as pl
import pyarrow as pa
import pytest

from autarky.complexity import ComplexityWarning, compute_complexity, synthetic_trade, top_economies
from autarky.complexity.store import (
    complexity_from_store,
    exports_from_store,
    read_complexity,
    save_complexity,
)
from autarky.errors import UnknownItemError, UsageError
from autarky.store import DatasetMeta, Store


def add_trade_dataset(store: Store, flows: pl.DataFrame, *, kind: str = "baci") -> int:
    """A trade dataset whose flows the trade_flows view shows (the view is re-pointed at a plain table;
    how the trade domain lays its Parquet out does not matter to complexity)."""
    content = hashlib.sha256(flows.write_csv().encode()).hexdigest()
    with store.importer(DatasetMeta(name=f"test-{kind}", kind=kind, vintage="v1", content_hash=content)) as imp:
        dataset_id = imp.dataset_id
        imp.result.rows_loaded = flows.height  # its rows are the test_flows table below (no empty dataset)
    table = flows.with_columns(pl.lit(dataset_id).alias("dataset_id")).to_arrow()
    store.raw.register("__flows", table)
    store.raw.execute("CREATE TABLE test_flows AS SELECT * FROM __flows")
    store.raw.unregister("__flows")
    store.raw.execute("CREATE OR REPLACE VIEW trade_flows AS SELECT * FROM test_flows")
    return dataset_id


def bilateral(trade: pl.DataFrame) -> pl.DataFrame:
    """Split each export over two importers, as bilateral flows are stored."""
    parts = [
        trade.with_columns(pl.lit(importer).alias("importer"), (pl.col("value") * share).alias("value_usd"))
        for importer, share in (("AAA", 0.3), ("BBB", 0.7))
    ]
    return pl.concat(parts).select(
        pl.col("year").cast(pl.Int16), pl.col("economy").alias("exporter"), "importer",
        pl.lit("HS17").alias("hs_revision"), "product", "value_usd",
        pl.lit(None, dtype=pl.Float64).alias("quantity"), pl.lit("reconciled").alias("reported_by"),
        pl.lit(None, dtype=pl.Int32).alias("source_line"),
    )


@pytest.fixture
def trade() -> pl.DataFrame:
    return synthetic_trade(12, 40, 2, seed=11)


def test_exports_are_summed_over_importers(store: Store, trade: pl.DataFrame) -> None:
    source = add_trade_dataset(store, bilateral(trade))
    exports, found = exports_from_store(store)
    assert found == source
    got = pl.from_arrow(exports)
    assert isinstance(got, pl.DataFrame)
    expected = trade.sort("year", "economy", "product")
    assert got.select("year", "economy", "product").equals(expected.select("year", "economy", "product"))
    np.testing.assert_allclose(got["value"].to_numpy(), expected["value"].to_numpy(), rtol=1e-12)
    one, _ = exports_from_store(store, years=[2001])
    assert set(one.column("year").to_pylist()) == {2001}
    with pytest.raises(UnknownItemError, match="no flows in 1990"):
        exports_from_store(store, years=[1990])
    with pytest.raises(UsageError, match="no flows with hs_revision 'HS92'"):
        exports_from_store(store, hs_revision="HS92")


def test_no_trade_dataset_is_a_clear_error(store: Store) -> None:
    with pytest.raises(UnknownItemError, match="no trade dataset"):
        exports_from_store(store)
    with pytest.raises(UnknownItemError, match="no complexity result"):
        read_complexity(store)


def test_mixed_reporters_must_be_chosen(store: Store, trade: pl.DataFrame) -> None:
    flows = bilateral(trade)
    mixed = pl.concat([flows, flows.with_columns(pl.lit("importer").alias("reported_by"))])
    add_trade_dataset(store, mixed, kind="comtrade")
    with pytest.raises(UsageError, match="mixes reported_by importer, reconciled; choose one"):
        exports_from_store(store)
    exports, _ = exports_from_store(store, reported_by="importer")
    assert exports.num_rows == trade.height


def test_saved_result_round_trips_with_provenance(store: Store, trade: pl.DataFrame) -> None:
    source = add_trade_dataset(store, bilateral(trade))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ComplexityWarning)
        run = complexity_from_store(store, threshold=2.0)
    assert run.source_dataset_id == source and run.saved is not None
    assert run.saved.status == "loaded" and run.saved.rows_loaded == run.result.table.num_rows

    meta = store.dataset(run.saved.dataset_id)
    assert meta["kind"] == "derived" and meta["name"] == "complexity[rca>=2]"
    assert json.loads(meta["derived_from"]) == [source]
    params = json.loads(meta["params"])
    assert params["threshold"] == 2.0 and params["presence"] == "rca" and params["hs_revision"] == "HS17"

    stored = read_complexity(store)
    mine = run.result.to_polars()
    back = pl.from_arrow(stored)
    assert isinstance(back, pl.DataFrame)
    assert back.height == mine.height
    for column in ("value", "rca", "mcp", "eci", "pci", "density", "coi", "cog"):
        a, b = back[column].to_numpy(), mine[column].to_numpy()
        assert np.array_equal(np.isnan(a), np.isnan(b)) and np.allclose(a[~np.isnan(a)], b[~np.isnan(b)])
    assert top_economies(stored, top=3)["economy"].to_list() == top_economies(run.result, top=3)["economy"].to_list()

    years = store.query("SELECT * FROM complexity_years ORDER BY year").to_pylist()
    assert [y["year"] for y in years] == [2000, 2001]
    assert years[0]["n_economies"] == run.result.diagnostics.years[0].n_economies

    # the same run again is recognised; a different threshold is a dataset of its own
    again = save_complexity(store, run.result, source_dataset_ids=[source], params={"hs_revision": "HS17"})
    assert again.status == "unchanged" and again.dataset_id == run.saved.dataset_id
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ComplexityWarning)
        other = complexity_from_store(store)
    assert other.saved is not None and other.saved.dataset_id != run.saved.dataset_id
    assert read_complexity(store, dataset_id=run.saved.dataset_id, year=2001).num_rows > 0


def test_save_needs_sources_and_integer_years(store: Store, trade: pl.DataFrame) -> None:
    result = compute_complexity(trade)
    with pytest.raises(UsageError, match="id\\(s\\) of the dataset"):
        save_complexity(store, result, source_dataset_ids=[])
    source = add_trade_dataset(store, bilateral(trade))
    text_years = compute_complexity(trade.with_columns(pl.col("year").cast(pl.String)))
    with pytest.raises(ValueError, match="integer year"):
        save_complexity(store, text_years, source_dataset_ids=[source])
    assert isinstance(result.table, pa.Table)
