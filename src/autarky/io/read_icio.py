"""The OECD Inter-Country Input-Output (ICIO) CSV layout — one year per file (``ICIO2023_2018.csv``).

Layout (documented in ``docs/io-layouts.md``)::

    <blank or V1>, AUS_A01_02, AUS_A03, …, ROW_T, AUS_HFCE, AUS_NPISH, …, ROW_DPABR, OUT
    AUS_A01_02,    z…                                 y…                              x
    …
    TLS,           taxes less subsidies on products per industry, and on final demand
    VA,            value added per industry
    OUT,           output per industry

* industries are ``<REGION>_<SECTOR>``, split at the first underscore (sector codes may hold
  underscores: ``A01_02``); they are the labels found both as a row and as a column, region-major with
  the same sectors in every region.  China and Mexico's splits (``CN1``, ``CN2``, ``MX1``, ``MX2``) are
  regions of their own — that is how the 2023 edition has 81 regions;
* other columns are final demand, ``<REGION>_<CATEGORY>`` (``HFCE``, ``NPISH``, ``GGFC``, ``GFCF``,
  ``INVNT``, ``DPABR``, …; the 2016 edition's ``<CATEGORY>_<REGION>`` is recognised too); a column
  without a region (a statistical discrepancy) keeps region ``""``;
* other rows are primary inputs (``TLS``, ``VA``, 2021 edition ``<REGION>_TAXSUB`` and ``VALU``);
* a total row ``OUT``/``OUTPUT`` gives output and makes the columns checked (``Z + V = x``); a total
  column ``OUT``/``TOTAL`` is checked against the rows.  Without a total row ``x = Z·1 + Y·1``.
* empty cells are zero.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np

from autarky.errors import FormatError, ModelError
from autarky.io._csv import read_wide_csv, to_floats
from autarky.io.tables import DEFAULT_ATOL, DEFAULT_RTOL, FloatArray, IOTable

log = logging.getLogger(__name__)

__all__ = ["TOTAL_COLUMNS", "TOTAL_ROWS", "VALUE_ADDED_ROWS", "read_icio", "write_icio"]

TOTAL_ROWS = ("OUT", "OUTPUT")
TOTAL_COLUMNS = ("OUT", "TOTAL", "OUTPUT")
VALUE_ADDED_ROWS = ("VA", "VALU")


def _split(label: str) -> tuple[str, str]:
    if "_" not in label:
        return "", label
    region, rest = label.split("_", 1)
    return region, rest


def read_icio(path: Path, *, year: int | None = None, name: str | None = None, unit: str = "million USD",
              rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL) -> IOTable:
    """Read an ICIO-layout CSV (see the module docstring) into an :class:`IOTable`.

    ``year`` defaults to the last four-digit number of the file name (``ICIO2023_2018.csv`` → 2018).
    """
    path = Path(path)
    df = read_wide_csv(path, numeric_after=1)
    label_col = df.columns[0]
    row_labels = [("" if v is None else str(v).strip()) for v in df[label_col].to_list()]
    columns = [c.strip() for c in df.columns[1:]]
    seen: set[str] = set()
    for i, lab in enumerate(row_labels):
        if not lab:
            raise FormatError("empty row label", path=str(path), line=i + 2, field=label_col)
        if lab in seen:
            raise FormatError(f"row {lab!r} appears twice", path=str(path), line=i + 2, field=label_col)
        seen.add(lab)
    col_set = set(columns)
    industries = [lab for lab in row_labels if lab in col_set and lab.upper() not in TOTAL_ROWS]
    if not industries:
        raise FormatError("no industry appears both as a row and as a column; not the ICIO layout",
                          path=str(path), line=1)
    row_at = {lab: i for i, lab in enumerate(row_labels)}
    col_at = {lab: j for j, lab in enumerate(columns)}
    ind_rows = [row_at[lab] for lab in industries]
    if ind_rows != list(range(ind_rows[0], ind_rows[0] + len(ind_rows))):
        raise FormatError("industry rows must come together, before the primary-input rows", path=str(path),
                          line=ind_rows[0] + 2)
    ind_cols = [col_at[lab] for lab in industries]
    if ind_cols != sorted(ind_cols):
        raise FormatError("industry columns are not in the order of the industry rows", path=str(path),
                          line=1)
    labels = [_split(lab) for lab in industries]
    regions = tuple(dict.fromkeys(r for r, _ in labels))
    sectors = tuple(s for r, s in labels if r == regions[0])
    expected = [(r, s) for r in regions for s in sectors]
    if labels != expected:
        i = next((i for i, (a, b) in enumerate(zip(labels, expected, strict=False)) if a != b),
                 min(len(labels), len(expected)))
        got = "_".join(labels[i]) if i < len(labels) else "nothing"
        want = "_".join(expected[i]) if i < len(expected) else "no more industries"
        raise FormatError(f"industry {got} where {want} was expected: industries must be region-major with "
                          "the same sectors in every region", path=str(path), line=ind_rows[0] + i + 2)

    total_col = next((c for c in columns if c.upper() in TOTAL_COLUMNS and c not in set(industries)), None)
    total_row = next((i for i, lab in enumerate(row_labels) if lab.upper() in TOTAL_ROWS), None)
    industry_set = set(industries)
    fd_cols = [c for c in columns if c not in industry_set and c != total_col]
    factor_rows = [i for i, lab in enumerate(row_labels) if lab not in industry_set and i != total_row]

    def fd_label(col: str) -> tuple[str, str]:
        region, cat = _split(col)
        if region not in regions and cat in regions:  # 2016 edition: HFCE_AUS
            return cat, region
        return (region, cat) if region in regions else ("", col)

    fd_labels = tuple(fd_label(c) for c in fd_cols)
    header = list(df.columns[1:])
    pick = {c.strip(): h for c, h in zip(columns, header, strict=True)}
    body = df[ind_rows[0]: ind_rows[-1] + 1]
    Z = to_floats(body, [pick[c] for c in industries], path=path, first_line=ind_rows[0] + 2)
    Y = to_floats(body, [pick[c] for c in fd_cols], path=path, first_line=ind_rows[0] + 2)

    V: FloatArray = np.zeros((0, len(industries)))
    V_Y: FloatArray = np.zeros((0, len(fd_cols)))
    if factor_rows:
        parts = [to_floats(df[i:i + 1], [pick[c] for c in industries], path=path, first_line=i + 2)
                 for i in factor_rows]
        V = np.vstack(parts)
        # as in the national layout, primary inputs against final demand may be blank: none recorded
        V_Y = np.vstack([to_floats(df[i:i + 1], [pick[c] for c in fd_cols], path=path, first_line=i + 2,
                                   empty_is_zero=True) for i in factor_rows])
    factor_labels = tuple(row_labels[i] for i in factor_rows)
    rows_total = Z.sum(axis=1) + Y.sum(axis=1)
    if total_row is not None:
        x = to_floats(df[total_row:total_row + 1], [pick[c] for c in industries], path=path,
                      first_line=total_row + 2)[0]
    elif total_col is not None:
        x = to_floats(body, [pick[total_col]], path=path, first_line=ind_rows[0] + 2)[:, 0]
    else:
        x = rows_total
    if total_col is not None and total_row is not None:
        xc = to_floats(body, [pick[total_col]], path=path, first_line=ind_rows[0] + 2)[:, 0]
        bad = np.abs(xc - x) > atol + rtol * np.abs(x)
        if bad.any():
            i = int(np.argmax(np.where(bad, np.abs(xc - x), -1.0)))
            raise ModelError(f"{industries[i]}: the total column says output {xc[i]:.6g}, the total row "
                             f"{x[i]:.6g}")
    va = tuple(lab for lab in factor_labels if lab.upper() in VALUE_ADDED_ROWS)
    if year is None:
        found = re.findall(r"(?<!\d)(\d{4})(?!\d)", path.stem)
        year = int(found[-1]) if found else None
    log.info("%s: ICIO layout, %d regions x %d sectors, %d final-demand columns", path, len(regions),
             len(sectors), len(fd_cols))
    return IOTable(
        regions=regions, sectors=sectors, Z=Z, Y=Y, fd_labels=fd_labels, V=V, V_Y=V_Y,
        factor_labels=factor_labels, x=x, unit=unit, value_added_rows=va,
        columns_complete=total_row is not None, name=name or path.stem, year=year, rtol=rtol, atol=atol,
    )


def write_icio(table: IOTable, path: Path) -> Path:
    """Write a multi-regional table in the ICIO layout: the ``OUT`` column always, the ``OUT`` row when
    the table's columns are complete (so reading it back checks them again).  Floats are written in
    shortest round-trip form, so a round trip is exact."""
    import polars as pl

    ind = [f"{r}_{s}" for r, s in table.labels]
    fd = [f"{r}_{c}" if r else c for r, c in table.fd_labels]
    if len(set(ind + fd)) != len(ind) + len(fd):
        raise ModelError("final-demand labels clash with industry labels; cannot write the ICIO layout")
    f = len(table.factor_labels)
    V_Y = table.V_Y if table.V_Y is not None else np.zeros((f, len(fd)))
    blocks = [np.hstack([table.Z, table.Y, table.x[:, None]]),
              np.hstack([table.V, V_Y, np.full((f, 1), np.nan)])]
    labels = [*ind, *table.factor_labels]
    if table.columns_complete:
        blocks.append(np.hstack([table.x[None, :], np.full((1, len(fd) + 1), np.nan)]))
        labels.append("OUT")
    body = np.vstack(blocks)
    frame = pl.DataFrame({"V1": labels}).hstack(
        pl.DataFrame(body, schema=[*ind, *fd, "OUT"], orient="row").fill_nan(None)
    )
    frame.write_csv(path)
    return path
