"""The OECD national input–output tables (2021 edition), one CSV per country and year
(``OECD21ed_CHN_2018.csv``, as redistributed by the R package ionet).

Layout::

    Code,Description,01,02,…,45,HFCE,NPISH,GGFC,GFCF,INVNT,CONS_ABR,CONS_NONRES,EXPO,IMPO
    01,"Agriculture, hunting, forestry",…       products 01–45: total use (domestic + imported)
    …
    TXS_IMP_FNL,…   taxes less subsidies paid abroad          } primary inputs (V), also on final
    TXS_INT_FNL,…   taxes less subsidies paid at home         } demand (V_Y)
    TTL_INT_FNL,…   total intermediate consumption (checked: products + taxes)
    VALU,…          value added at basic prices
    OUTPUT,…        output at basic prices

Imports enter as a negative column ``IMPO``: each product row balances as intermediate use + final
demand + exports − imports = output, so the table has *competitive* imports (``IOTable.imports`` =
−IMPO) and exports are the final-demand category ``EXPO``.  Columns balance as products + taxes +
value added = output.  The ``IMPO`` cells of the tax rows (direct purchases abroad by residents) are not
product imports and are not kept.  Million USD.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np

from autarky.errors import FormatError, MissingFileError, ModelError
from autarky.io._csv import read_wide_csv, to_floats
from autarky.io.tables import DEFAULT_ATOL, DEFAULT_RTOL, FloatArray, IOTable

log = logging.getLogger(__name__)

__all__ = ["OECD_FILE", "read_oecd_iot", "read_oecd_iot_series"]

#: ``OECD<edition>ed_<ISO3>_<year>.csv``
OECD_FILE = re.compile(r"^OECD(\d+)ed_([A-Z0-9]{3})_(\d{4})\.csv$", re.IGNORECASE)
_FACTOR_ROWS = ("TXS_IMP_FNL", "TXS_INT_FNL", "VALU")
_SPECIAL_ROWS = (*_FACTOR_ROWS, "TTL_INT_FNL", "OUTPUT")
_EXPORTS = "EXPO"
_IMPORTS = "IMPO"


def read_oecd_iot(path: Path, *, region: str | None = None, year: int | None = None,
                  rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL) -> IOTable:
    """Read one OECD national IOT file (see the module docstring) into an :class:`IOTable`.

    Region and year come from the file name unless given.
    """
    path = Path(path)
    m = OECD_FILE.match(path.name)
    region = region or (m.group(2).upper() if m else None)
    year = year or (int(m.group(3)) if m else None)
    if region is None:
        raise FormatError("cannot tell the country from the file name (OECD21ed_<ISO3>_<year>.csv); "
                          "pass region", path=str(path))
    df = read_wide_csv(path)
    cols = list(df.columns)
    if len(cols) < 3 or cols[0] != "Code" or cols[1] != "Description":
        raise FormatError("the header must start with Code,Description", path=str(path), line=1,
                          field=cols[0] if cols else None)
    codes = [("" if c is None else str(c).strip()) for c in df["Code"].to_list()]
    names = [("" if c is None else str(c).strip()) for c in df["Description"].to_list()]
    for special in ("OUTPUT", "VALU"):
        if special not in codes:
            raise FormatError(f"no {special} row", path=str(path), field="Code")
    for special in (_EXPORTS, _IMPORTS):
        if special not in cols:
            raise FormatError(f"no {special} column", path=str(path), line=1)
    products = [i for i, c in enumerate(codes) if c not in _SPECIAL_ROWS]
    sectors = tuple(codes[i] for i in products)
    if products != list(range(len(products))):
        raise FormatError("product rows must come first", path=str(path), line=products[-1] + 2, field="Code")
    if list(cols[2:2 + len(sectors)]) != list(sectors):
        j = next((j for j, (a, b) in enumerate(zip(cols[2:], sectors, strict=False)) if a != b),
                 len(cols) - 2)
        raise FormatError(f"industry column {j + 1} is {cols[2 + j]!r}, expected {sectors[j]!r} "
                          "(columns must repeat the product codes in order)", path=str(path), line=1)
    ind_cols = list(sectors)
    fd_cols = [c for c in cols[2 + len(sectors):] if c != _IMPORTS]
    n = len(sectors)
    body = df[:n]
    Z = to_floats(body, ind_cols, path=path, first_line=2)
    Y = to_floats(body, fd_cols, path=path, first_line=2)
    imports = -to_floats(body, [_IMPORTS], path=path, first_line=2)[:, 0]

    def row(code: str, columns: list[str]) -> FloatArray:
        i = codes.index(code)
        out: FloatArray = to_floats(df[i:i + 1], columns, path=path, first_line=i + 2)[0]
        return out

    factors = tuple(c for c in _FACTOR_ROWS if c in codes)
    V = np.vstack([row(c, ind_cols) for c in factors])
    V_Y = np.vstack([row(c, fd_cols) for c in factors])
    x = row("OUTPUT", ind_cols)
    tol = atol + rtol * np.abs(x)
    if (imports < -tol).any():
        j = int(np.argmax(-imports))
        log.warning("%s: product %s has negative imports %g (a positive IMPO cell)", path, sectors[j],
                    imports[j])
    log.info("%s: OECD national IOT, %s %s, %d products", path, region, year, n)
    table = IOTable(
        regions=(region,), sectors=sectors, Z=Z, Y=Y, fd_labels=tuple((region, c) for c in fd_cols), V=V,
        V_Y=V_Y, factor_labels=factors, x=x, imports=imports, unit="million USD",
        sector_names=tuple(names[i] for i in products), value_added_rows=("VALU",),
        export_categories=(_EXPORTS,), columns_complete=True, name=path.stem, year=year, rtol=rtol, atol=atol,
    )
    if "TTL_INT_FNL" in codes:
        ttl = row("TTL_INT_FNL", ind_cols)
        taxes = V[[k for k, c in enumerate(factors) if c != "VALU"]].sum(axis=0)
        gap = Z.sum(axis=0) + taxes - ttl
        if (np.abs(gap) > tol).any():
            j = int(np.argmax(np.abs(gap)))
            raise ModelError(f"the table's columns do not sum: industry {sectors[j]} ({names[j]}) has "
                             f"products + taxes = {Z[:, j].sum() + taxes[j]:.6g} "
                             f"but TTL_INT_FNL {ttl[j]:.6g}")
    return table


def read_oecd_iot_series(folder: Path, *, region: str | None = None, rtol: float = DEFAULT_RTOL,
                         atol: float = DEFAULT_ATOL) -> list[IOTable]:
    """Every ``OECD<ed>ed_<ISO3>_<year>.csv`` in ``folder`` (optionally one country), oldest first."""
    folder = Path(folder)
    if not folder.is_dir():
        raise MissingFileError("no such folder", path=str(folder))
    files = []
    for f in folder.iterdir():
        m = OECD_FILE.match(f.name)
        if m and (region is None or m.group(2).upper() == region.upper()):
            files.append((m.group(2).upper(), int(m.group(3)), f))
    if not files:
        raise MissingFileError("no OECD national IOT files (OECD21ed_<ISO3>_<year>.csv) here",
                               path=str(folder))
    return [read_oecd_iot(f, rtol=rtol, atol=atol) for _, _, f in sorted(files)]
