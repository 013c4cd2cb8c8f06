"""Read a bill of materials from CSV, Excel (.xlsx) or JSON into raw rows keyed by the layout's columns.

Readers check only the *shape* of the file -- it opens, its header names the required columns once each, a
value never stands under a column without a header -- and raise one :class:`~autarky.errors.FormatError`
naming the file, line (or sheet and row) and column when it does not.  Values are checked row by row later
(:mod:`autarky.company.validate`), so a bad value quarantines its row instead of failing the file.

Headers: a layout column by name (case, spaces and hyphens ignored: ``Unit cost`` is ``unit_cost``), or any
header mapped by ``columns`` (``{"Part No": "line_id"}``).  Other headers are ignored, with a warning.

Row numbers: CSV rows carry the 1-based line where the record starts (header = line 1); Excel rows the
sheet's row number (header = row 1); JSON rows their 1-based position in the list.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autarky.company.model import COLUMNS, REQUIRED
from autarky.errors import FormatError, MissingFileError, UsageError
from autarky.records import read_csv_file

__all__ = ["RawBom", "RawRow", "parse_columns", "read_bom_file", "read_bom_records"]


@dataclass
class RawRow:
    line: int
    values: dict[str, Any]
    raw: str


@dataclass
class RawBom:
    name: str
    file: str
    rows: list[RawRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _key(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def parse_columns(columns: Mapping[str, str] | str | None) -> dict[str, str]:
    """The header mapping as a dict: a mapping, or text ``"Part No=line_id,Qty=quantity"``."""
    if columns is None:
        return {}
    if isinstance(columns, str):
        out: dict[str, str] = {}
        for part in columns.split(","):
            if not part.strip():
                continue
            if "=" not in part:
                raise UsageError(f"columns: {part.strip()!r} is not HEADER=column (e.g. 'Part No=line_id')")
            header, _, col = part.partition("=")
            out[header.strip()] = col.strip()
        columns = out
    mapped: dict[str, str] = {}
    for header, col in columns.items():
        target = _key(str(col))
        if target not in COLUMNS:
            raise UsageError(f"columns: {header!r} maps to {col!r}, which is not one of {', '.join(COLUMNS)}")
        mapped[_key(str(header))] = target
    return mapped


def _header_columns(headers: list[str], mapping: dict[str, str], where: str,
                    warnings: list[str]) -> list[str | None]:
    cols: list[str | None] = []
    seen: dict[str, int] = {}
    for i, header in enumerate(headers):
        text = (header or "").strip()
        if not text:
            cols.append(None)
            continue
        key = _key(text)
        col = mapping.get(key, key if key in COLUMNS else None)
        if col is None:
            warnings.append(f"{where}: column {text!r} is not a BOM column and was ignored "
                            f"(map it with columns={{{text!r}: ...}})")
            cols.append("")  # known to be ignored: values under it are fine
            continue
        if col in seen:
            raise FormatError(f"column {text!r} repeats column {seen[col] + 1} (both are {col!r})", path=where,
                              line=1)
        seen[col] = i
        cols.append(col)
    missing = [c for c in REQUIRED if c not in seen]
    if missing:
        raise FormatError(f"required column(s) {', '.join(missing)} missing from the header "
                          f"(found {', '.join(h for h in headers if h) or 'none'}; map other names with columns=)",
                          path=where, line=1)
    return cols


def read_bom_file(path: Path, *, columns: Mapping[str, str] | str | None = None,
                  sheet: str | None = None) -> RawBom:
    """Read ``path`` (``.csv``/``.tsv``/``.txt``, ``.xlsx`` or ``.json``) into raw rows."""
    path = Path(path)
    if not path.exists():
        raise MissingFileError(f"{path}: no such file")
    if path.is_dir():
        raise FormatError("a BOM is one file (CSV, XLSX or JSON), not a folder", path=str(path))
    mapping = parse_columns(columns)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return _read_csv(path, mapping)
    if suffix == ".xlsx":
        return _read_xlsx(path, mapping, sheet)
    if suffix == ".json":
        return read_bom_records(_json_doc(path), name=path.stem, file=path.name, columns=mapping)
    if suffix == ".xls":
        raise FormatError("old .xls workbooks are not read; save it as .xlsx", path=str(path))
    raise FormatError("not a BOM file (expected .csv, .tsv, .xlsx or .json)", path=str(path))


def _read_csv(path: Path, mapping: dict[str, str]) -> RawBom:
    src = read_csv_file(path)
    bom = RawBom(name=path.stem, file=path.name)
    cols = _header_columns(src.header, mapping, str(path), bom.warnings)
    for start, record in src.records():
        raw = ",".join(record)
        if len(record) > len(cols) and any(v.strip() for v in record[len(cols):]):
            raise FormatError(f"{len(record)} fields where the header has {len(cols)}", path=str(path),
                              line=start)
        if any(c is None and v.strip() for c, v in zip(cols, record, strict=False)):
            raise FormatError("a value stands under a column without a header", path=str(path), line=start)
        values = {c: v for c, v in zip(cols, record, strict=False) if c}
        bom.rows.append(RawRow(start, values, raw))
    return bom


_EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!",
                           "#CALC!", "#GETTING_DATA"})


def _read_xlsx(path: Path, mapping: dict[str, str], sheet: str | None) -> RawBom:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FormatError(f"not an Excel .xlsx workbook: {exc}", path=str(path)) from exc
    try:
        names = wb.sheetnames
        if sheet is not None:
            if sheet not in names:
                raise FormatError(f"no sheet {sheet!r} (sheets: {', '.join(names)})", path=str(path))
            ws = wb[sheet]
        else:
            ws = wb[next((n for n in names if n.strip().lower() in ("bom", "bill of materials")), names[0])]
        where = f"{path}: sheet {ws.title!r}"
        bom = RawBom(name=path.stem, file=f"{path.name}:{ws.title}")
        rows = ws.iter_rows()
        header_cells = next(rows, None)
        if header_cells is None:
            raise FormatError("empty sheet (no header)", path=where)
        headers = ["" if c.value is None else str(c.value) for c in header_cells]
        while headers and not headers[-1].strip():
            headers.pop()
        cols = _header_columns(headers, mapping, where, bom.warnings)
        for row_cells in rows:
            cells = list(row_cells)
            if all(c.value is None or (isinstance(c.value, str) and not c.value.strip()) for c in cells):
                continue
            row_no = int(getattr(cells[0], "row", 0) or 0)
            values: dict[str, Any] = {}
            for i, cell in enumerate(cells):
                value = cell.value
                if value is None or (isinstance(value, str) and not value.strip()):
                    continue
                letter = get_column_letter(i + 1)
                if getattr(cell, "data_type", None) == "e" or (isinstance(value, str)
                                                                and value.strip() in _EXCEL_ERRORS):
                    raise FormatError(f"row {row_no}, column {letter}: Excel error value {value}; fix the formula "
                                      "or type the value", path=where)
                if i >= len(cols) or cols[i] is None:
                    raise FormatError(f"row {row_no}, column {letter}: a value stands under a column without a "
                                      "header", path=where)
                col = cols[i]
                if col:
                    values[col] = value
            raw = json.dumps({k: str(v) for k, v in values.items()}, ensure_ascii=False)
            bom.rows.append(RawRow(row_no, values, raw))
        return bom
    finally:
        wb.close()


def _json_doc(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FormatError("not UTF-8 text", path=str(path)) from exc
    except json.JSONDecodeError as exc:
        raise FormatError(f"not JSON: {exc.msg} (column {exc.colno})", path=str(path), line=exc.lineno) from exc


def read_bom_records(doc: Any, *, name: str = "bom", file: str = "bom.json",
                     columns: Mapping[str, str] | str | None = None) -> RawBom:
    """Raw rows from a JSON document: a list of line objects, or ``{"name": …, "lines": [...]}``.

    This is also how a BOM sent as a JSON body (the HTTP API) is read, so both paths check the same way.
    """
    mapping = parse_columns(columns)
    if isinstance(doc, dict):
        unknown = [k for k in doc if k not in ("name", "lines")]
        if unknown:
            raise FormatError(f"unknown key(s) {', '.join(map(repr, unknown))}; expected 'name' and 'lines'",
                              path=file)
        name = str(doc.get("name") or name)
        items = doc.get("lines")
    else:
        items = doc
    if not isinstance(items, list):
        raise FormatError("expected a list of BOM lines (objects), or an object with 'lines'", path=file)
    bom = RawBom(name=name, file=file)
    headers: list[str] = []
    for item in items:
        if isinstance(item, dict):
            headers.extend(str(k) for k in item if str(k) not in headers)
    known = _header_columns(headers, mapping, file, bom.warnings) if items else []
    by_header = dict(zip(headers, known, strict=True))
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise FormatError(f"lines[{i}] is not an object", path=file)
        values: dict[str, Any] = {}
        for k, v in item.items():
            col = by_header.get(str(k))
            if col and v is not None:
                values[col] = v
        bom.rows.append(RawRow(i, values, json.dumps(item, ensure_ascii=False, default=str)))
    return bom
