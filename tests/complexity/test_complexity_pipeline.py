"""The all-years driver: output shape, diagnostics and warnings, rankings, the public API."""

from __future__ import annotations

import logging
import warnings

import numpy as np
import polars as pl
import pyarrow as pa
import pytest

import autarky.complexity as complexity
from autarky.complexity import (
    ComplexityWarning,
    compute_complexity,
    synthetic_population,
    synthetic_trade,
    top_economies,
    top_products,
)
from autarky.complexity.pipeline import OUTPUT_COLUMNS
from autarky.errors import UsageError


def quiet(data: pl.DataFrame, **kwargs: object) -> complexity.ComplexityResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ComplexityWarning)
        return compute_complexity(data, **kwargs)  # type: ignore[arg-type]


def test_public_api_is_sorted_and_complete() -> None:
    assert complexity.__all__ == sorted(complexity.__all__)
    for name in complexity.__all__:
        assert hasattr(complexity, name), name


def test_output_is_a_long_arrow_table_of_every_grid_cell() -> None:
    data = synthetic_trade(15, 40, 3, seed=2)
    result = quiet(data)
    table = result.table
    assert isinstance(table, pa.Table)
    assert table.column_names == ["year", "economy", "product", *OUTPUT_COLUMNS]
    frame = result.to_polars()
    for year, diag in zip((2000, 2001, 2002), result.diagnostics.years, strict=True):
        part = frame.filter(pl.col("year") == year)
        assert part.height == diag.n_economies * diag.n_products
        assert part.select("economy", "product").is_unique().all()
    # every input row is in the output with its value
    joined = data.join(frame, on=["year", "economy", "product"], how="left", suffix="_out")
    np.testing.assert_array_equal(joined["value"].to_numpy(), joined["value_out"].to_numpy())
    assert frame["rpop"].null_count() == frame.height  # only computed for presence="rpop"
    assert result.to_pandas().shape == (frame.height, len(table.column_names))
    assert result.params.as_dict()["threshold"] == 1.0


def test_per_year_normalisation() -> None:
    frame = quiet(synthetic_trade(20, 60, 2, seed=4)).to_polars()
    per_economy = frame.group_by("year", "economy").agg(pl.col("eci").first(), pl.col("coi").first())
    stats = per_economy.group_by("year").agg(
        pl.col("eci").mean().alias("m"), pl.col("eci").std(ddof=0).alias("s"),
        pl.col("coi").mean().alias("cm"), pl.col("coi").std(ddof=0).alias("cs"),
    )
    np.testing.assert_allclose(stats["m"].to_numpy(), 0, atol=1e-12)
    np.testing.assert_allclose(stats["s"].to_numpy(), 1, atol=1e-12)
    np.testing.assert_allclose(stats["cm"].to_numpy(), 0, atol=1e-12)
    np.testing.assert_allclose(stats["cs"].to_numpy(), 1, atol=1e-12)


def test_eci_ranks_the_capable_economies_first() -> None:
    # synthetic_trade draws economy capability first from the seed; ECI must recover its order
    data = synthetic_trade(40, 300, 1, seed=8)
    capability = np.random.default_rng(8).normal(0.0, 1.0, 40)
    eci = quiet(data).to_polars().group_by("economy").agg(pl.col("eci").first()).sort("economy")
    rho = np.corrcoef(np.argsort(np.argsort(capability)), np.argsort(np.argsort(eci["eci"].to_numpy())))[0, 1]
    assert rho > 0.9


def test_disconnected_network_is_detected_and_reported(caplog: pytest.LogCaptureFixture) -> None:
    a = synthetic_trade(10, 30, 1, seed=1)
    b = synthetic_trade(10, 30, 1, seed=2).with_columns(
        ("B" + pl.col("economy")).alias("economy"), ("B" + pl.col("product")).alias("product")
    )
    with caplog.at_level(logging.INFO, logger="autarky.complexity"), \
            pytest.warns(ComplexityWarning, match="2 disconnected parts"):
        result = compute_complexity(pl.concat([a, b]))
    diag = result.diagnostics.years[0]
    assert diag.components == 2
    assert diag.eigenvalues[0] == pytest.approx(1.0) and diag.eigenvalues[1] == pytest.approx(1.0)
    assert diag.degenerate
    assert any("disconnected" in m for m in result.diagnostics.warnings)
    assert "disconnected" in caplog.text


def test_every_economy_equally_complex_gives_no_eci() -> None:
    data = pl.DataFrame({
        "year": [1] * 4, "economy": ["a", "a", "b", "b"], "product": ["x", "y", "x", "y"], "value": [1.0] * 4,
    })
    with pytest.warns(ComplexityWarning, match="equally complex"):
        result = compute_complexity(data)
    frame = result.to_polars()
    assert frame["eci"].null_count() == 4 and not result.diagnostics.years[0].defined
    assert frame["density"].null_count() == 0


def test_rpop_output_and_population_per_year() -> None:
    data = synthetic_trade(12, 30, 2, seed=3)
    result = quiet(data, presence="rpop", population=synthetic_population(12, 2, seed=3))
    frame = result.to_polars()
    assert frame["rpop"].null_count() == 0 and frame["rca"].null_count() == 0
    # presence follows RPOP, not RCA
    np.testing.assert_array_equal(frame["mcp"].to_numpy(), (frame["rpop"].to_numpy() >= 1).astype(float))


def test_knn_density_differs_from_full_density() -> None:
    data = synthetic_trade(15, 40, 1, seed=5)
    full = quiet(data).to_polars()
    knn = quiet(data, knn=5).to_polars()
    assert not np.allclose(full["density"].to_numpy(), knn["density"].to_numpy())
    np.testing.assert_array_equal(full["eci"].to_numpy(), knn["eci"].to_numpy())  # only density changes
    np.testing.assert_allclose(full["cog"].to_numpy(), knn["cog"].to_numpy(), atol=1e-15)


def test_top_economies_and_products() -> None:
    result = quiet(synthetic_trade(15, 40, 2, seed=6))
    top = top_economies(result, top=5)
    assert top.columns == ["rank", "economy", "eci", "diversity", "coi", "year"]
    assert top["rank"].to_list() == [1, 2, 3, 4, 5] and top["year"].to_list() == [2001] * 5
    eci = top["eci"].to_numpy()
    assert (np.diff(eci) <= 0).all()
    assert eci[0] == result.to_polars().filter(pl.col("year") == 2001)["eci"].max()
    prods = top_products(result, year=2000, top=3)
    assert prods.height == 3 and (np.diff(prods["pci"].to_numpy()) <= 0).all()
    with pytest.raises(UsageError, match="year 1990 is not in the result"):
        top_economies(result, year=1990)
    with pytest.raises(UsageError, match="top must be"):
        top_products(result, top=0)


def test_empty_input_gives_an_empty_table() -> None:
    empty = pl.DataFrame(schema={"year": pl.Int64, "economy": pl.String, "product": pl.String,
                                 "value": pl.Float64})
    result = compute_complexity(empty)
    assert result.table.num_rows == 0 and result.diagnostics.years == ()
