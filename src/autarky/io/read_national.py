"""A single-country table with a domestic / imported split of use — the layout statistics offices publish
(a domestic use table and an imports use table, product × industry, with primary inputs below).

Layout (one CSV; documented in ``docs/io-layouts.md``)::

    # region: KOR                      optional "# key: value" lines: region, year, unit, name
    # year: 2020
    block,code,name,C01,C02,…,HFCE,GGFC,GFCF,INVNT,EXPORTS,TOTAL
    domestic,C01,Agriculture,…         use of domestic products (rows: products, same codes as columns)
    …
    imported,C01,Agriculture,…         use of imported products, same codes in the same order
    …
    primary,VA,Value added,…           primary inputs: value added, its parts, taxes on products
    output,OUTPUT,Output,…             optional: output per industry (else the domestic row totals)

* ``block`` is one of ``domestic``, ``imported``, ``primary``, ``output``; ``name`` is optional;
* primary rows are value added except taxes less subsidies on products (codes ``TLS``, ``TAXSUB``,
  ``D21X31``, ``D21``, ``D31``);
* the industry columns are the codes of the ``domestic`` rows, in the same order;
* the other columns are final-use categories; ``EXPORTS`` (or ``EXPO``, ``EXP``, ``P6``) holds exports;
  an optional ``TOTAL`` column is checked against the row totals;
* rows balance: domestic intermediate + domestic final use (exports included) = output; columns
  balance: domestic + imported intermediate inputs + primary inputs = output.  Empty cells are zero.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np
import polars as pl

from autarky.errors import FormatError, ModelError
from autarky.io._csv import read_wide_csv, require_file, to_floats
from autarky.io.tables import DEFAULT_ATOL, DEFAULT_RTOL, FloatArray, IOTable

log = logging.getLogger(__name__)

__all__ = ["EXPORT_COLUMNS", "PRODUCT_TAX_ROWS", "read_national", "write_national"]

EXPORT_COLUMNS = ("EXPORTS", "EXPO", "EXP", "P6")
#: Primary-input rows that are taxes less subsidies on products, not value added (ESA/SNA D21X31).
PRODUCT_TAX_ROWS = ("TLS", "TAXSUB", "D21X31", "D21", "D31", "TXS_INT_FNL", "TXS_IMP_FNL")
_BLOCKS = ("domestic", "imported", "primary", "output")
_META = re.compile(r"^#\s*(\w+)\s*:\s*(.*?)\s*$")


def _metadata(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if not line.startswith("#"):
                break
            m = _META.match(line)
            if m:
                out[m.group(1).lower()] = m.group(2)
    return out


def read_national(path: Path, *, region: str | None = None, year: int | None = None, unit: str | None = None,
                  name: str | None = None, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL) -> IOTable:
    """Read the national domestic/imported layout (see the module docstring) into an :class:`IOTable`.

    Arguments override the file's ``# key: value`` lines; the region defaults to ``"DOM"``.
    """
    path = Path(path)
    require_file(path)
    meta = _metadata(path)
    with path.open(encoding="utf-8", errors="replace") as fh:
        n_comments = 0
        for line in fh:
            if not line.startswith("#"):
                break
            n_comments += 1
    df = read_wide_csv(path, comment_prefix="#")
    header_line = n_comments + 1
    cols = [c.strip() for c in df.columns]
    lower = [c.lower() for c in cols]
    for required in ("block", "code"):
        if required not in lower:
            raise FormatError(f"no {required!r} column; the header must start with block,code[,name]",
                              path=str(path), line=header_line)
    block_col = df.columns[lower.index("block")]
    code_col = df.columns[lower.index("code")]
    name_col = df.columns[lower.index("name")] if "name" in lower else None
    blocks = [("" if b is None else str(b).strip().lower()) for b in df[block_col].to_list()]
    codes = [("" if c is None else str(c).strip()) for c in df[code_col].to_list()]
    names = [("" if c is None else str(c).strip()) for c in df[name_col].to_list()] if name_col else codes
    for i, b in enumerate(blocks):
        if b not in _BLOCKS:
            raise FormatError(f"unknown block {b!r}; expected one of {', '.join(_BLOCKS)}", path=str(path),
                              line=header_line + 1 + i, field=block_col)
        if not codes[i]:
            raise FormatError("empty code", path=str(path), line=header_line + 1 + i, field=code_col)
    dom = [i for i, b in enumerate(blocks) if b == "domestic"]
    imp = [i for i, b in enumerate(blocks) if b == "imported"]
    prim = [i for i, b in enumerate(blocks) if b == "primary"]
    outp = [i for i, b in enumerate(blocks) if b == "output"]
    if not dom:
        raise FormatError("no domestic rows", path=str(path), line=header_line + 1, field=block_col)
    sectors = tuple(codes[i] for i in dom)
    if len(set(sectors)) != len(sectors):
        dup = next(i for i in dom if sectors.count(codes[i]) > 1)
        raise FormatError(f"product {codes[dup]!r} appears twice among the domestic rows", path=str(path),
                          line=header_line + 1 + dup, field=code_col)
    if imp and [codes[i] for i in imp] != list(sectors):
        bad = next((i for i, j in zip(imp, dom, strict=False) if codes[i] != codes[j]), imp[-1])
        raise FormatError("imported rows must list the domestic products in the same order",
                          path=str(path), line=header_line + 1 + bad, field=code_col)
    if len(outp) > 1:
        raise FormatError("more than one output row", path=str(path), line=header_line + 1 + outp[1])
    label_cols = {block_col, code_col, *( [name_col] if name_col else [])}
    value_cols = [c for c in df.columns if c not in label_cols]
    stripped = [c.strip() for c in value_cols]
    missing = [s for s in sectors if s not in stripped]
    if missing:
        raise FormatError(f"no column for industry {missing[0]!r} (columns must repeat the domestic codes)",
                          path=str(path), line=header_line)
    ind_cols = [value_cols[stripped.index(s)] for s in sectors]
    if [value_cols.index(c) for c in ind_cols] != sorted(value_cols.index(c) for c in ind_cols):
        raise FormatError("industry columns are not in the order of the domestic rows", path=str(path),
                          line=header_line)
    total_col = next((c for c in value_cols if c.strip().upper() == "TOTAL"), None)
    fd_cols = [c for c in value_cols if c not in ind_cols and c != total_col]
    fd_names = [c.strip() for c in fd_cols]

    def rows(idx: list[int], columns: list[str], *, blank_is_zero: bool = False) -> FloatArray:
        if not idx:
            return np.zeros((0, len(columns)))
        if idx == list(range(idx[0], idx[0] + len(idx))):
            return to_floats(df[idx[0]: idx[-1] + 1], columns, path=path, first_line=header_line + 1 + idx[0],
                             empty_is_zero=blank_is_zero)
        return np.vstack([to_floats(df[i:i + 1], columns, path=path, first_line=header_line + 1 + i,
                                    empty_is_zero=blank_is_zero) for i in idx])

    Z = rows(dom, ind_cols)
    Y = rows(dom, fd_cols)
    Z_imp = rows(imp, ind_cols) if imp else None
    Y_imp = rows(imp, fd_cols) if imp else None
    V = rows(prim, ind_cols)
    # the layout's one declared blank: primary inputs recorded against final use (taxes on final products) are
    # often not recorded at all, and a blank there means none (docs/io-layouts.md); everywhere else a blank
    # cell is an error
    V_Y = rows(prim, fd_cols, blank_is_zero=True)
    x = rows(outp, ind_cols)[0] if outp else Z.sum(axis=1) + Y.sum(axis=1)
    if total_col is not None:
        tot = rows(dom, [total_col])[:, 0]
        bad = np.abs(tot - x) > atol + rtol * np.abs(x)
        if bad.any():
            i = int(np.argmax(np.where(bad, np.abs(tot - x), -1.0)))
            raise ModelError(f"the table's rows do not sum: {sectors[i]} has TOTAL {tot[i]:.6g} but output "
                             f"{x[i]:.6g}")
    region = region or meta.get("region") or "DOM"
    if year is None and meta.get("year"):
        try:
            year = int(meta["year"])
        except ValueError:
            raise FormatError(f"year {meta['year']!r} is not a number", path=str(path),
                              field="year") from None
    exports = tuple(c for c in fd_names if c.upper() in EXPORT_COLUMNS)
    log.info("%s: national layout, %d products, %d final-use columns, imports %s", path, len(sectors),
             len(fd_cols), "split" if imp else "absent")
    return IOTable(
        regions=(region,), sectors=sectors, Z=Z, Y=Y, fd_labels=tuple((region, c) for c in fd_names), V=V,
        V_Y=V_Y, factor_labels=tuple(codes[i] for i in prim), x=x, Z_imported=Z_imp, Y_imported=Y_imp,
        value_added_rows=tuple(codes[i] for i in prim if codes[i].upper() not in PRODUCT_TAX_ROWS),
        unit=unit or meta.get("unit") or "million", sector_names=tuple(names[i] for i in dom),
        export_categories=exports, columns_complete=True, name=name or meta.get("name") or path.stem,
        year=year, rtol=rtol, atol=atol,
    )


def write_national(table: IOTable, path: Path) -> Path:
    """Write a national table with a domestic/imported split in the national layout (exact floats)."""
    if not table.is_national:
        raise ModelError("only a single-region table can be written in the national layout")
    if table.imports is not None:
        raise ModelError("the table has competitive imports; split them first (split_imports)")
    f = len(table.factor_labels)
    names = table.sector_names or table.sectors
    cats = [c for _, c in table.fd_labels]
    value_cols = [*table.sectors, *cats]
    parts: list[tuple[str, tuple[str, ...], tuple[str, ...], FloatArray]] = [
        ("domestic", table.sectors, names, np.hstack([table.Z, table.Y]))]
    if table.Z_imported is not None and table.Y_imported is not None:
        parts.append(("imported", table.sectors, names, np.hstack([table.Z_imported, table.Y_imported])))
    V_Y = table.V_Y if table.V_Y is not None else np.zeros((f, len(cats)))
    parts.append(("primary", table.factor_labels, table.factor_labels, np.hstack([table.V, V_Y])))
    out_row = np.concatenate([table.x, np.full(len(cats), np.nan)])[None, :]
    parts.append(("output", ("OUTPUT",), ("Output",), out_row))
    labels = pl.DataFrame({
        "block": [b for b, codes, _, _ in parts for _ in codes],
        "code": [c for _, codes, _, _ in parts for c in codes],
        "name": [nm for _, _, nms, _ in parts for nm in nms],
    })
    values = pl.DataFrame(np.vstack([p[3] for p in parts]), schema=value_cols, orient="row").fill_nan(None)
    header = f"# region: {table.regions[0]}\n" + (f"# year: {table.year}\n" if table.year else "") \
        + f"# unit: {table.unit}\n"
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        fh.write(header)
        labels.hstack(values).write_csv(fh)
    return Path(path)
