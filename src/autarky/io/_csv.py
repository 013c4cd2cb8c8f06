"""Reading delimited text into labelled float matrices, with errors that name file, line and field."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import polars as pl

from autarky.errors import FormatError, MissingFileError
from autarky.io.tables import FloatArray

__all__ = ["read_grid", "read_wide_csv", "to_floats"]


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
              empty_is_zero: bool = True) -> FloatArray:
    """Cast ``columns`` of a text frame to one float matrix (rows × columns).

    An empty cell is 0 when ``empty_is_zero``; anything else that is not a number raises
    :class:`FormatError` naming the line (``first_line`` is the file line of the frame's first row)
    and the column.
    """
    if not columns:
        return np.zeros((df.height, 0))
    schema = df.schema
    if all(schema[c].is_numeric() for c in columns):
        num = df.select(columns).to_numpy().astype(np.float64)
        return np.ascontiguousarray(np.where(np.isnan(num), 0.0, num))
    sub = df.select(columns)
    cast = sub.select(pl.col(c).str.strip_chars().cast(pl.Float64, strict=False) for c in columns)
    blank = sub.select(pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "") for c in columns)
    bad = cast.select(pl.col(c).is_null() for c in columns).to_numpy() & ~blank.to_numpy()
    if bad.any():
        r, c = (int(v) for v in np.argwhere(bad)[0])
        value = sub[r, c]
        raise FormatError(f"{value!r} is not a number", path=str(path), line=first_line + r,
                          field=columns[c])
    arr = cast.to_numpy().astype(np.float64, copy=False)
    if not empty_is_zero and np.isnan(arr).any():
        r, c = (int(v) for v in np.argwhere(np.isnan(arr))[0])
        raise FormatError("empty cell", path=str(path), line=first_line + r, field=columns[c])
    return np.ascontiguousarray(np.where(np.isnan(arr), 0.0, arr))


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


def parse_number(text: str, *, path: Path, line: int, field: str) -> float:
    t = text.strip()
    if not t:
        return 0.0
    try:
        return float(t)
    except ValueError:
        raise FormatError(f"{text!r} is not a number", path=str(path), line=line, field=field) from None
