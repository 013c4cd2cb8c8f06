"""Reading delimited text into labelled float matrices, with errors that name file, line and field."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import polars as pl

from autarky.errors import FormatError, MissingFileError
from autarky.io.tables import FloatArray
from autarky.numbers import NumberError, read_number

__all__ = ["cell_number", "read_grid", "read_wide_csv", "to_floats"]


def require_file(path: Path) -> Path:
    if not path.exists():
        raise MissingFileError("no such file", path=str(path))
    if path.is_dir():
        raise FormatError("expected a file, found a folder", path=str(path))
    return path


def read_wide_csv(path: Path, *, comment_prefix: str | None = None, numeric_after: int | None = None
                  ) -> pl.DataFrame:
    """Every cell as text (no type guessing), header on the first non-comment line.

    With ``numeric_after=k`` the columns after the first ``k`` are first read as floats directly (fast
    and light for an ICIO-sized file); if any cell is not a number the file is read again as text so
    that :func:`to_floats` can name the line and column."""
    require_file(path)
    if numeric_after is not None:
        try:
            header = pl.read_csv(path, n_rows=0, comment_prefix=comment_prefix).columns
            schema = {c: (pl.String if i < numeric_after else pl.Float64) for i, c in enumerate(header)}
            return pl.read_csv(path, schema=schema, comment_prefix=comment_prefix)
        except (pl.exceptions.PolarsError, UnicodeDecodeError):
            pass  # fall through to the text read, which reports the problem precisely
    try:
        df = pl.read_csv(path, infer_schema=False, comment_prefix=comment_prefix, truncate_ragged_lines=False,
                         raise_if_empty=True)
    except pl.exceptions.NoDataError as exc:
        raise FormatError("the file is empty", path=str(path)) from exc
    except (pl.exceptions.ComputeError, pl.exceptions.PolarsError) as exc:
        ragged = _first_ragged_line(path, comment_prefix)
        if ragged is not None:
            line, got, want = ragged
            raise FormatError(f"{got} fields, the header has {want}", path=str(path), line=line) from exc
        raise FormatError(f"not a readable CSV file ({str(exc).splitlines()[0]})", path=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise FormatError("not UTF-8 text", path=str(path)) from exc
    if df.width < 2:
        raise FormatError("expected comma-separated columns, found one column", path=str(path),
                          line=1)
    return df


def _first_ragged_line(path: Path, comment_prefix: str | None) -> tuple[int, int, int] | None:
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            width = None
            for number, row in enumerate(csv.reader(fh), start=1):
                if comment_prefix and row and row[0].startswith(comment_prefix):
                    continue
                if width is None:
                    width = len(row)
                elif row and len(row) != width:
                    return number, len(row), width
    except (UnicodeDecodeError, csv.Error):
        return None
    return None


def to_floats(df: pl.DataFrame, columns: Sequence[str], *, path: Path, first_line: int,
              empty_is_zero: bool = False) -> FloatArray:
    """Cast ``columns`` of a text frame to one float matrix (rows × columns), with the one number reader.

    Cells follow :func:`autarky.numbers.read_number` (thousands separators, missing markers).  A missing
    cell (blank, ``NA``, ``..``) in a matrix is an error naming the line (``first_line`` is the file line of
    the frame's first row) and the column, unless the layout declares blanks to mean zero
    (``empty_is_zero``, which no bundled layout does); anything that is not a number is an error too.
    """
    if not columns:
        return np.zeros((df.height, 0))
    schema = df.schema
    if all(schema[c].is_numeric() for c in columns):
        arr = df.select(columns).to_numpy().astype(np.float64)
    else:
        sub = df.select(pl.col(c).cast(pl.String) for c in columns)
        cast = sub.select(pl.col(c).str.strip_chars().cast(pl.Float64, strict=False) for c in columns)
        arr = cast.to_numpy().astype(np.float64, copy=True)
        for r, c in np.argwhere(np.isnan(arr)):  # only the cells a plain cast could not read
            cell = sub[int(r), int(c)]
            try:
                value = read_number(cell)
            except NumberError as exc:
                raise FormatError(str(exc), path=str(path), line=first_line + int(r), field=columns[int(c)]) from None
            arr[r, c] = np.nan if value is None else value
    missing = np.isnan(arr)
    if missing.any():
        if not empty_is_zero:
            r, c = (int(v) for v in np.argwhere(missing)[0])
            raise FormatError("missing value in a table that must be complete (a blank is not read as 0)",
                              path=str(path), line=first_line + r, field=columns[c])
        arr = np.where(missing, 0.0, arr)
    return np.ascontiguousarray(arr)


def read_grid(path: Path, delimiter: str = "\t") -> list[list[str]]:
    """A small delimited file as a list of rows of text cells (line ``i + 1`` is ``rows[i]``)."""
    require_file(path)
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            rows = [row for row in csv.reader(fh, delimiter=delimiter)]
    except UnicodeDecodeError as exc:
        raise FormatError("not UTF-8 text", path=str(path)) from exc
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise FormatError("the file is empty", path=str(path))
    return rows


def cell_number(text: str, *, path: Path, line: int, field: str) -> float:
    """One cell of a table that must be complete, read with the one number reader; a missing or non-numeric
    cell is a :class:`FormatError` naming file, line and field (never a silent 0)."""
    try:
        value = read_number(text)
    except NumberError as exc:
        raise FormatError(str(exc), path=str(path), line=line, field=field) from None
    if value is None:
        raise FormatError(f"{text!r} is a missing value in a table that must be complete (a blank is not read "
                          "as 0)", path=str(path), line=line, field=field)
    return value
