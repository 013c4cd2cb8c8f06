"""Validate a long ``(year, economy, product, value)`` table and cut it into one matrix per year.

Rules (each one a documented rule, none a silent guess):

* The value column must be numeric (integers or floats; booleans too when it holds a presence matrix).
  A text column is a :class:`~autarky.errors.DataError` — autarky does not parse numbers out of strings.
* Negative or infinite values are a :class:`~autarky.errors.DataError`.
* Missing values (null or NaN) count as zero when ``missing="zero"`` (the default, as in ``ecomplexity``);
  the pipeline then says so with a :class:`~autarky.complexity.diagnostics.ComplexityWarning` and counts
  them in the diagnostics.  ``missing="raise"`` makes them an error.
* A missing ``(economy, product)`` row in a year means zero.
* Duplicate ``(year, economy, product)`` rows are a :class:`~autarky.errors.DataError` by default;
  ``duplicates="sum"`` adds them up (e.g. exports already split by partner) and counts them.
* Null years, economies or products are a :class:`~autarky.errors.DataError`.
* Per year, only economies and products with a positive total value form the matrix (the same rule as
  ``ecomplexity``); the others are reported as absent for that year.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from autarky.errors import DataError, UnknownItemError, UsageError

__all__ = [
    "Columns",
    "Duplicates",
    "Missing",
    "Panel",
    "TableLike",
    "YearMatrix",
    "read_long_table",
    "read_population",
]

TableLike: TypeAlias = pa.Table | pl.DataFrame | pd.DataFrame
Missing: TypeAlias = Literal["zero", "raise"]
Duplicates: TypeAlias = Literal["raise", "sum"]
Year: TypeAlias = int | str

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

_EXAMPLES = 5


@dataclass(frozen=True)
class Columns:
    """Names of the columns of the long input table."""

    year: str = "year"
    economy: str = "economy"
    product: str = "product"
    value: str = "value"

    @property
    def keys(self) -> list[str]:
        return [self.year, self.economy, self.product]


DEFAULT_COLUMNS = Columns()


@dataclass(frozen=True)
class YearMatrix:
    """One year as a dense ``economies × products`` value matrix over that year's grid.

    ``economies`` and ``products`` are codes into :attr:`Panel.economy_labels` and
    :attr:`Panel.product_labels`, sorted; ``absent_*`` are codes of the ones that have rows in the year but a
    zero total, so they are outside the grid.
    """

    year: Year
    economies: IntArray
    products: IntArray
    values: FloatArray
    absent_economies: IntArray
    absent_products: IntArray


@dataclass(frozen=True)
class Panel:
    """A validated long table, coded once; :meth:`matrices` yields one :class:`YearMatrix` per year."""

    economy_labels: pa.Array
    product_labels: pa.Array
    years: tuple[Year, ...]
    year_type: pa.DataType
    n_rows: int
    missing_values: int
    duplicates_summed: int
    _year_code: npt.NDArray[np.int64]
    _economy_code: IntArray
    _product_code: IntArray
    _value: FloatArray

    def matrices(self) -> Iterator[YearMatrix]:
        """Yield the years in order; each matrix is built only when asked for (memory stays one year)."""
        bounds = np.searchsorted(self._year_code, np.arange(len(self.years) + 1))
        n_e = len(self.economy_labels)
        n_p = len(self.product_labels)
        for i, year in enumerate(self.years):
            lo, hi = int(bounds[i]), int(bounds[i + 1])
            e = self._economy_code[lo:hi]
            p = self._product_code[lo:hi]
            v = self._value[lo:hi]
            e_total = np.bincount(e, weights=v, minlength=n_e)
            p_total = np.bincount(p, weights=v, minlength=n_p)
            e_seen = np.bincount(e, minlength=n_e) > 0
            p_seen = np.bincount(p, minlength=n_p) > 0
            e_in = e_total > 0
            p_in = p_total > 0
            e_local = np.cumsum(e_in) - 1
            p_local = np.cumsum(p_in) - 1
            keep = e_in[e] & p_in[p]
            values = np.zeros((int(e_in.sum()), int(p_in.sum())), dtype=np.float64)
            values[e_local[e[keep]], p_local[p[keep]]] = v[keep]
            yield YearMatrix(
                year=year,
                economies=np.flatnonzero(e_in),
                products=np.flatnonzero(p_in),
                values=values,
                absent_economies=np.flatnonzero(e_seen & ~e_in),
                absent_products=np.flatnonzero(p_seen & ~p_in),
            )


def _to_polars(data: TableLike, what: str) -> pl.DataFrame:
    if isinstance(data, pl.DataFrame):
        return data
    if isinstance(data, pa.Table):
        frame = pl.from_arrow(data)
        assert isinstance(frame, pl.DataFrame)
        return frame
    if isinstance(data, pd.DataFrame):
        return pl.from_pandas(data, nan_to_null=False)
    raise UsageError(
        f"{what} must be a pyarrow.Table, polars.DataFrame or pandas.DataFrame, not {type(data).__name__}"
    )


def _require_columns(frame: pl.DataFrame, names: Sequence[str], what: str) -> None:
    missing = [n for n in names if n not in frame.columns]
    if missing:
        raise UsageError(
            f"{what} has no column {', '.join(repr(m) for m in missing)}; "
            f"its columns are {', '.join(repr(c) for c in frame.columns)}"
        )


def _numeric(frame: pl.DataFrame, column: str, what: str, *, allow_bool: bool) -> pl.DataFrame:
    dtype = frame.schema[column]
    if dtype == pl.Boolean and allow_bool:
        return frame.with_columns(pl.col(column).cast(pl.Float64))
    if not dtype.is_numeric() or dtype == pl.Decimal:
        if dtype == pl.Decimal:
            return frame.with_columns(pl.col(column).cast(pl.Float64))
        raise DataError(
            f"{what}: column {column!r} holds {dtype}, not numbers; convert it to a numeric type first "
            "(autarky does not guess numbers from text)"
        )
    return frame.with_columns(pl.col(column).cast(pl.Float64))


def _examples(frame: pl.DataFrame, keys: Sequence[str]) -> str:
    rows = frame.select(keys).head(_EXAMPLES).rows()
    return "; ".join(", ".join(str(x) for x in row) for row in rows)


def _check_keys(frame: pl.DataFrame, keys: Sequence[str], what: str) -> None:
    for key in keys:
        n_null = frame[key].null_count()
        if n_null:
            raise DataError(f"{what}: column {key!r} has {n_null} empty (null) entries; every row needs one")


def _encode(series: pl.Series) -> tuple[pa.Array, IntArray]:
    """Sorted distinct labels of a key column and each row's code into them."""
    if series.dtype == pl.String:  # Polars' own string views: no copy of the column into Arrow strings
        encoded = pc.dictionary_encode(series.to_arrow(compat_level=pl.CompatLevel.newest()))
    else:
        encoded = pc.dictionary_encode(series.to_arrow())
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    assert isinstance(encoded, pa.DictionaryArray)
    dictionary = encoded.dictionary
    if pa.types.is_string_view(dictionary.type):  # the labels as Polars gives them otherwise
        dictionary = dictionary.cast(pa.large_string())
    order = np.asarray(pc.sort_indices(dictionary), dtype=np.intp)
    rank = np.empty(len(dictionary), dtype=np.intp)
    rank[order] = np.arange(len(dictionary), dtype=np.intp)
    codes = rank[np.asarray(encoded.indices, dtype=np.intp)]
    return dictionary.take(pa.array(order, type=pa.int64())), codes


def read_long_table(
    data: TableLike,
    columns: Columns = DEFAULT_COLUMNS,
    *,
    allow_bool: bool = False,
    missing: Missing = "zero",
    duplicates: Duplicates = "raise",
    years: Sequence[Year] | None = None,
) -> Panel:
    """Validate ``data`` by the module rules and code it into a :class:`Panel`.

    ``years`` keeps only those years (each must occur in the data).  The heavy work is done on NumPy
    arrays of codes, so memory stays a few bytes per row.
    """
    what = "complexity input"
    if missing not in ("zero", "raise"):
        raise UsageError(f"missing must be 'zero' or 'raise', not {missing!r}")
    if duplicates not in ("raise", "sum"):
        raise UsageError(f"duplicates must be 'raise' or 'sum', not {duplicates!r}")
    frame = _to_polars(data, what)
    _require_columns(frame, [*columns.keys, columns.value], what)
    frame = frame.select([*columns.keys, columns.value])
    _check_keys(frame, columns.keys, what)
    frame = _numeric(frame, columns.value, what, allow_bool=allow_bool)

    if years is not None:
        available = set(frame[columns.year].unique().to_list())
        unknown = [y for y in years if y not in available]
        if unknown:
            raise UnknownItemError(
                f"year {', '.join(str(u) for u in unknown)} is not in the data "
                f"(years: {', '.join(str(y) for y in sorted(available))})"
            )
        frame = frame.filter(pl.col(columns.year).is_in(list(years)))

    value_series = frame[columns.value]
    is_missing = value_series.is_null().to_numpy()
    values = value_series.fill_null(0.0).to_numpy().astype(np.float64, copy=True)
    is_missing |= np.isnan(values)
    n_missing = int(is_missing.sum())
    if n_missing:
        if missing == "raise":
            raise DataError(
                f"{what}: {n_missing} missing value(s) in column {columns.value!r}, e.g. "
                f"{_examples(frame.filter(pl.Series(is_missing)), columns.keys)}; "
                "pass missing='zero' to count them as zero"
            )
        values[is_missing] = 0.0
    del is_missing
    for bad, problem in ((np.isinf(values), "infinite"), (values < 0, "negative")):
        if bad.any():
            raise DataError(
                f"{what}: {int(bad.sum())} {problem} value(s) in column {columns.value!r}, e.g. "
                f"{_examples(frame.filter(pl.Series(bad)), columns.keys)}; values must be finite and ≥ 0"
            )

    n_rows = frame.height
    year_labels, y = _encode(frame[columns.year])
    economy_labels, e = _encode(frame[columns.economy])
    product_labels, p = _encode(frame[columns.product])
    n_e, n_p = len(economy_labels), len(product_labels)
    key = (y.astype(np.int64) * n_e + e) * n_p + p
    order = np.argsort(key, kind="stable")
    key = key[order]
    values = values[order]
    repeated = key[1:] == key[:-1]
    n_dup = 0
    if repeated.any():
        if duplicates == "raise":
            first = order[1:][repeated]
            examples = frame[first[:_EXAMPLES].tolist()]
            raise DataError(
                f"{what}: {int(repeated.sum())} row(s) repeat a (year, economy, product) key, e.g. "
                f"{_examples(examples, columns.keys)}; pass duplicates='sum' to add them up"
            )
        n_dup = int(repeated.sum())
        starts = np.flatnonzero(np.concatenate(([True], ~repeated)))
        values = np.add.reduceat(values, starts)
        key = key[starts]
    del order, y, e, p, repeated
    product_code = key % n_p
    rest = key // n_p
    return Panel(
        economy_labels=economy_labels,
        product_labels=product_labels,
        years=tuple(year_labels.to_pylist()),
        year_type=year_labels.type,
        n_rows=n_rows,
        missing_values=n_missing,
        duplicates_summed=n_dup,
        _year_code=rest // n_e,
        _economy_code=(rest % n_e).astype(np.intp),
        _product_code=product_code.astype(np.intp),
        _value=values,
    )


def read_population(
    population: TableLike, columns: Columns = DEFAULT_COLUMNS, *, column: str = "population"
) -> dict[tuple[Year, object], float]:
    """Validate a ``(year, economy, population)`` table: numeric, positive, finite, one row per key."""
    what = "population table"
    frame = _to_polars(population, what)
    keys = [columns.year, columns.economy]
    _require_columns(frame, [*keys, column], what)
    frame = frame.select([*keys, column])
    _check_keys(frame, keys, what)
    frame = _numeric(frame, column, what, allow_bool=False)
    pop = pl.col(column)
    bad = frame.filter(pop.is_null() | pop.is_nan() | pop.is_infinite() | (pop <= 0))
    if bad.height:
        raise DataError(
            f"{what}: {bad.height} population(s) missing, infinite or not positive, e.g. "
            f"{_examples(bad, keys)}"
        )
    dup = frame.group_by(keys).len().filter(pl.col("len") > 1)
    if dup.height:
        raise DataError(f"{what}: (year, economy) given more than once, e.g. {_examples(dup, keys)}")
    return {(y, e): float(v) for y, e, v in frame.iter_rows()}
