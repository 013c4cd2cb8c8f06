"""Bad input gets a clear error or a documented rule, never a silent guess."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from autarky.complexity import Columns, ComplexityWarning, compute_complexity, synthetic_trade
from autarky.errors import DataError, UnknownItemError, UsageError


@pytest.fixture
def trade() -> pl.DataFrame:
    return synthetic_trade(12, 30, 2, seed=5)


def set_row(frame: pl.DataFrame, column: str, value: object, row: int = 0) -> pl.DataFrame:
    return frame.with_columns(
        pl.when(pl.int_range(pl.len()) == row).then(pl.lit(value)).otherwise(pl.col(column)).alias(column)
    )


def quiet(data: object, **kwargs: object) -> pl.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ComplexityWarning)
        return compute_complexity(data, **kwargs).to_polars()  # type: ignore[arg-type]


def test_negative_value_is_an_error_naming_the_row(trade: pl.DataFrame) -> None:
    bad = trade.with_columns(
        pl.when(pl.int_range(pl.len()) == 3).then(-1.0).otherwise(pl.col("value")).alias("value")
    )
    row = bad.row(3, named=True)
    with pytest.raises(DataError, match="1 negative value") as err:
        compute_complexity(bad)
    assert row["economy"] in str(err.value) and row["product"] in str(err.value)


def test_infinite_value_is_an_error(trade: pl.DataFrame) -> None:
    bad = set_row(trade, "value", np.inf)
    with pytest.raises(DataError, match="infinite"):
        compute_complexity(bad)


def test_duplicate_rows_are_an_error_by_default(trade: pl.DataFrame) -> None:
    doubled = pl.concat([trade, trade.head(2)])
    with pytest.raises(DataError, match=r"2 row\(s\) repeat .*duplicates='sum'"):
        compute_complexity(doubled)


def test_duplicates_sum_adds_them_up(trade: pl.DataFrame) -> None:
    halves = pl.concat([trade.with_columns(pl.col("value") * share) for share in (0.25, 0.75)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ComplexityWarning)
        result = compute_complexity(halves.sample(fraction=1.0, shuffle=True, seed=1), duplicates="sum")
    assert result.diagnostics.duplicates_summed == trade.height
    expected = quiet(trade)
    got = result.to_polars()
    np.testing.assert_allclose(got["value"].to_numpy(), expected["value"].to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(got["eci"].to_numpy(), expected["eci"].to_numpy(), atol=1e-9)


def test_duplicates_sum_is_refused_for_a_manual_presence_matrix(trade: pl.DataFrame) -> None:
    with pytest.raises(UsageError, match="manual"):
        compute_complexity(trade, presence="manual", duplicates="sum")


def test_text_value_column_is_an_error_not_a_guess(trade: pl.DataFrame) -> None:
    text = trade.with_columns(pl.col("value").cast(pl.String))
    with pytest.raises(DataError, match="'value' holds String, not numbers"):
        compute_complexity(text)


def test_missing_values_count_as_zero_and_are_said(trade: pl.DataFrame) -> None:
    holes = trade.with_columns(
        pl.when(pl.int_range(pl.len()) % 7 == 0).then(None).otherwise("value").alias("value")
    )
    n_missing = holes["value"].null_count()
    with pytest.warns(ComplexityWarning, match=f"{n_missing} missing value"):
        result = compute_complexity(holes)
    assert result.diagnostics.missing_values == n_missing
    zeros = quiet(holes.with_columns(pl.col("value").fill_null(0.0)))
    assert result.to_polars().equals(zeros)


def test_nan_is_missing_too(trade: pl.DataFrame) -> None:
    nan = set_row(trade, "value", np.nan)
    with pytest.warns(ComplexityWarning, match="1 missing value"):
        compute_complexity(nan)
    with pytest.raises(DataError, match=r"1 missing value.*missing='zero'"):
        compute_complexity(nan, missing="raise")


def test_null_keys_are_an_error(trade: pl.DataFrame) -> None:
    bad = set_row(trade, "economy", None)
    with pytest.raises(DataError, match="'economy' has 1 empty"):
        compute_complexity(bad)


def test_missing_column_is_a_usage_error_listing_columns(trade: pl.DataFrame) -> None:
    with pytest.raises(UsageError, match=r"no column 'exports'.*'value'"):
        compute_complexity(trade, columns=Columns(value="exports"))


def test_custom_column_names(trade: pl.DataFrame) -> None:
    renamed = trade.rename({"year": "t", "economy": "exporter", "product": "hs", "value": "usd"})
    got = quiet(renamed, columns=Columns(year="t", economy="exporter", product="hs", value="usd"))
    assert got.equals(quiet(trade))


def test_unknown_year_and_year_filter(trade: pl.DataFrame) -> None:
    with pytest.raises(UnknownItemError, match="year 1999 is not in the data"):
        compute_complexity(trade, years=[1999])
    one = quiet(trade, years=[2001])
    both = quiet(trade)
    assert one["year"].unique().to_list() == [2001]
    assert one.equals(both.filter(pl.col("year") == 2001))


def test_pandas_arrow_and_polars_inputs_agree(trade: pl.DataFrame) -> None:
    expected = quiet(trade)
    assert quiet(trade.to_arrow()).equals(expected)
    assert quiet(trade.to_pandas()).equals(expected)
    with pytest.raises(UsageError, match="not list"):
        compute_complexity([1, 2, 3])


def test_integer_values_and_codes_work() -> None:
    table = pa.table({
        "year": [2020] * 6, "economy": [1, 1, 2, 2, 3, 3], "product": [10, 20, 10, 30, 20, 30],
        "value": [5, 1, 2, 7, 3, 3],
    })
    got = quiet(table)
    assert got.schema["economy"] == pl.Int64 and got.height == 9


def test_rpop_needs_population(trade: pl.DataFrame) -> None:
    with pytest.raises(UsageError, match="population"):
        compute_complexity(trade, presence="rpop")
    pop = pl.DataFrame({"year": [2000], "economy": ["E00"], "population": [1e6]})
    with pytest.raises(DataError, match="no population for year 2000 of E01"):
        compute_complexity(trade, presence="rpop", population=pop)
    bad = pl.DataFrame({"year": [2000], "economy": ["E00"], "population": [-1.0]})
    with pytest.raises(DataError, match="not positive"):
        compute_complexity(trade, presence="rpop", population=bad)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"presence": "both"}, "presence must be"),
        ({"threshold": 0}, "threshold must be"),
        ({"knn": 0}, "knn must be"),
        ({"knn": 30}, "knn=30"),
        ({"missing": "drop"}, "missing must be"),
        ({"duplicates": "first"}, "duplicates must be"),
    ],
)
def test_bad_parameters_are_usage_errors(trade: pl.DataFrame, kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(UsageError, match=match):
        compute_complexity(trade, **kwargs)  # type: ignore[arg-type]


def test_zero_total_economy_is_outside_the_grid_and_reported(trade: pl.DataFrame) -> None:
    extra = pl.DataFrame({"year": [2000, 2000], "economy": ["ZZZ", "ZZZ"], "product": ["P00", "P01"],
                          "value": [0.0, 0.0]})
    result = compute_complexity(pl.concat([trade, extra]))
    assert result.diagnostics.year(2000).absent_economies == ("ZZZ",)
    assert "ZZZ" not in result.to_polars()["economy"].to_list()
    with pytest.raises(KeyError):
        result.diagnostics.year(1990)


def test_manual_presence_accepts_booleans(trade: pl.DataFrame) -> None:
    ref = quiet(trade)
    boolean = ref.select("year", "economy", "product", (pl.col("mcp") > 0).alias("value"))
    got = quiet(boolean, presence="manual")
    np.testing.assert_allclose(got["eci"].to_numpy(), ref["eci"].to_numpy(), atol=1e-12)
    assert got["rca"].null_count() == got.height


def test_pandas_string_dtype_is_fine(trade: pl.DataFrame) -> None:
    frame = trade.to_pandas()
    frame["economy"] = frame["economy"].astype("string")
    frame["product"] = frame["product"].astype(pd.StringDtype("pyarrow"))
    assert quiet(frame).equals(quiet(trade))
