"""Read a ledger from CSV (a file or a folder of files), Excel (.xlsx) or JSON into raw rows.

Readers only check the *shape* of the file -- it opens, its tables are known, its headers name known
columns once each, no cell holds an Excel error -- and raise one :class:`~autarky.errors.FormatError`
naming the file, sheet, row and column when it does not.  Values are checked row by row later
(:mod:`autarky.money.validate`), so a bad value quarantines its row instead of failing the file.

Row numbers: CSV rows carry the 1-based line of the file where the record starts (header = line 1); Excel
rows carry the sheet's row number (header = row 1); JSON rows carry their 1-based position in their list.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from autarky.errors import FormatError, MissingFileError
from autarky.money.validate import TABLES, TableFormat, canonical_column, canonical_table
from autarky.records import read_csv_file

__all__ = ["RawLedger", "RawRow", "RawTable", "read_ledger"]

META_KEYS = ("name", "vintage", "publisher", "licence", "attribution", "description")


@dataclass
class RawRow:
    line: int
    values: dict[str, Any]
    raw: str


@dataclass
class RawTable:
    name: str  # canonical table name
    origin: str  # file, file:sheet or file:key as shown in quarantine and errors
    rows: list[RawRow] = field(default_factory=list)


@dataclass
class RawLedger:
    tables: dict[str, list[RawTable]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    def add(self, table: RawTable) -> None:
        self.tables.setdefault(table.name, []).append(table)

    def rows(self, name: str) -> Iterator[tuple[RawTable, RawRow]]:
        for t in self.tables.get(name, []):
            for r in t.rows:
                yield t, r

    @property
    def row_count(self) -> int:
        return sum(len(t.rows) for ts in self.tables.values() for t in ts)


def read_ledger(path: Path, *, table: str | None = None) -> RawLedger:
    """Read ``path``: a folder of ``<table>.csv`` files, one CSV, an ``.xlsx`` workbook or a JSON file."""
    path = Path(path)
    if not path.exists():
        raise MissingFileError(f"{path}: no such file or folder", path=None)
    if path.is_dir():
        return _read_folder(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix == ".json":
        return _read_json(path)
    if suffix in (".csv", ".tsv", ".txt"):
        name = canonical_table(table) if table else canonical_table(path.stem)
        if name is None:
            raise FormatError(
                f"cannot tell which ledger table this CSV holds; name it one of "
                f"{', '.join(f'{t}.csv' for t in TABLES)} or pass table=",
                path=str(path),
            )
        ledger = RawLedger(files=[path])
        ledger.add(_read_csv(path, name))
        return ledger
    if suffix == ".xls":
        raise FormatError("old .xls workbooks are not read; save it as .xlsx", path=str(path))
    raise FormatError("not a ledger file (expected a folder, .csv, .xlsx or .json)", path=str(path))


# -- CSV ------------------------------------------------------------------------------------------------
def _read_folder(folder: Path) -> RawLedger:
    ledger = RawLedger()
    meta_file = next((folder / n for n in ("dataset.yaml", "dataset.yml") if (folder / n).exists()), None)
    if meta_file is not None:
        ledger.meta = _read_meta_yaml(meta_file)
        ledger.files.append(meta_file)
    for csv_path in sorted(folder.glob("*.csv")):
        name = canonical_table(csv_path.stem)
        if name is None:
            raise FormatError(
                f"unknown ledger table {csv_path.stem!r}; expected {', '.join(f'{t}.csv' for t in TABLES)}",
                path=str(csv_path),
            )
        ledger.files.append(csv_path)
        ledger.add(_read_csv(csv_path, name))
    if not ledger.tables:
        raise FormatError(f"no ledger tables here (expected {', '.join(f'{t}.csv' for t in TABLES)})",
                          path=str(folder))
    return ledger


def _read_meta_yaml(path: Path) -> dict[str, str]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise FormatError(f"not valid YAML: {exc}", path=str(path)) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FormatError("expected a mapping of name, vintage, publisher, licence, attribution",
                          path=str(path))
    unknown = [k for k in data if k not in META_KEYS]
    if unknown:
        raise FormatError(f"unknown key(s) {', '.join(map(str, unknown))}; known: {', '.join(META_KEYS)}",
                          path=str(path))
    return {str(k): str(v) for k, v in data.items() if v is not None}


def _header_columns(fmt: TableFormat, headers: list[str], where: str,
                    position: Any) -> list[str | None]:
    """Canonical column per header position; FormatError for unknown or repeated ones."""
    cols: list[str | None] = []
    seen: dict[str, int] = {}
    for i, header in enumerate(headers):
        text = (header or "").strip()
        if not text:
            cols.append(None)
            continue
        col = canonical_column(fmt, text)
        if col is None:
            raise FormatError(
                f"{where}, {position(i)}: unknown column {text!r} for table {fmt.name!r}; "
                f"known: {', '.join(fmt.columns)}"
            )
        if col in seen:
            raise FormatError(f"{where}, {position(i)}: column {text!r} repeats {position(seen[col])}")
        seen[col] = i
        cols.append(col)
    missing = [c for c in fmt.required if c not in seen]
    if missing:
        raise FormatError(f"{where}, header: required column(s) {', '.join(missing)} missing "
                          f"for table {fmt.name!r}")
    return cols


def _read_csv(path: Path, name: str) -> RawTable:
    fmt = TABLES[name]
    src = read_csv_file(path)
    table = RawTable(name=name, origin=path.name)
    cols = _header_columns(fmt, src.header, f"{path.name}: line 1", lambda i: f"column {i + 1}")
    for start, record in src.records():
        raw = ",".join(record)
        if len(record) > len(cols):
            extra = record[len(cols):]
            if any(v.strip() for v in extra):
                table.rows.append(RawRow(start, {"__error__": (
                    None, len(record), f"{len(record)} fields where the header has {len(cols)}")}, raw))
                continue
        values = {c: v for c, v in zip(cols, record, strict=False) if c is not None}
        if any(c is None and v.strip() for c, v in zip(cols, record, strict=False)):
            raise FormatError(f"{path.name}: line {start}: a value stands under a column without a header")
        table.rows.append(RawRow(start, values, raw))
    if not table.rows:
        raise FormatError("no data rows (only a header)", path=str(path), line=2)
    return table


# -- Excel ----------------------------------------------------------------------------------------------
def _read_xlsx(path: Path) -> RawLedger:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # from memory: a read-only workbook keeps the file open per sheet, and an error mid-sheet would leak it
        wb = load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FormatError(f"not an Excel .xlsx workbook: {exc}", path=str(path)) from exc
    ledger = RawLedger(files=[path])
    try:
        for ws in wb.worksheets:
            title = ws.title
            if title.strip().lower() == "dataset":
                ledger.meta = _xlsx_meta(path, ws)
                continue
            name = canonical_table(title)
            if name is None:
                continue  # a notes or README sheet
            fmt = TABLES[name]
            table = RawTable(name=name, origin=f"{path.name}:{title}")
            where = f"{path.name}: sheet {title!r}"
            rows = ws.iter_rows()
            header_cells = next(rows, None)
            if header_cells is None:
                continue
            headers = ["" if c.value is None else str(c.value) for c in header_cells]
            while headers and not headers[-1].strip():
                headers.pop()
            cols = _header_columns(
                fmt, headers, where,
                lambda i, _c=headers: f"row 1, column {get_column_letter(i + 1)} ({_c[i]!r})" if _c[i]
                else f"row 1, column {get_column_letter(i + 1)}",
            )
            for row_cells in rows:
                cells = list(row_cells)
                if not cells or all(c.value is None or (isinstance(c.value, str) and not c.value.strip())
                                    for c in cells):
                    continue
                row_no = int(getattr(cells[0], "row", 0) or 0)
                values: dict[str, Any] = {}
                for i, cell in enumerate(cells):
                    value = cell.value
                    if value is None:
                        continue
                    col_letter = get_column_letter(i + 1)
                    if getattr(cell, "data_type", None) == "e" or (
                            isinstance(value, str) and value.strip() in _EXCEL_ERRORS):
                        label = f"{col_letter} ({cols[i]})" if i < len(cols) and cols[i] else col_letter
                        raise FormatError(f"{where}, row {row_no}, column {label}: Excel error value "
                                          f"{value}; fix the formula or type the value")
                    if i >= len(cols) or cols[i] is None:
                        if isinstance(value, str) and not value.strip():
                            continue
                        raise FormatError(f"{where}, row {row_no}, column {col_letter}: a value stands under "
                                          "a column without a header")
                    column = cols[i]
                    assert column is not None
                    values[column] = value
                raw = json.dumps({k: str(v) for k, v in values.items()}, ensure_ascii=False)
                table.rows.append(RawRow(row_no, values, raw))
            ledger.add(table)
    finally:
        wb.close()
    if not ledger.tables:
        raise FormatError(f"no ledger sheet in this workbook (expected sheets named {', '.join(TABLES)})",
                          path=str(path))
    return ledger


_EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                           "#GETTING_DATA", "#SPILL!", "#CALC!"})


def _xlsx_meta(path: Path, ws: Any) -> dict[str, str]:
    meta: dict[str, str] = {}
    for row in ws.iter_rows(values_only=True):
        if not row or row[0] is None:
            continue
        key = str(row[0]).strip().lower()
        if key in ("key", "field"):
            continue
        if key not in META_KEYS:
            raise FormatError(f"{path.name}: sheet 'dataset': unknown key {key!r}; known: {', '.join(META_KEYS)}")
        if len(row) > 1 and row[1] is not None:
            meta[key] = str(row[1]).strip()
    return meta


# -- JSON -----------------------------------------------------------------------------------------------
def _read_json(path: Path) -> RawLedger:
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FormatError("not UTF-8 text", path=str(path)) from exc
    except json.JSONDecodeError as exc:
        raise FormatError(f"not JSON: {exc.msg} (column {exc.colno})", path=str(path), line=exc.lineno) from exc
    if not isinstance(doc, dict):
        raise FormatError(f"expected a JSON object with keys {', '.join(TABLES)} (and optionally dataset)",
                          path=str(path))
    ledger = RawLedger(files=[path])
    nested_shareholders: list[tuple[str, Mapping[str, Any], int, str]] = []
    for key, items in doc.items():
        if key == "dataset":
            if not isinstance(items, dict):
                raise FormatError("'dataset' must be an object", path=str(path))
            unknown = [k for k in items if k not in META_KEYS]
            if unknown:
                raise FormatError(f"dataset: unknown key(s) {', '.join(unknown)}", path=str(path))
            ledger.meta = {k: str(v) for k, v in items.items() if v is not None}
            continue
        name = canonical_table(key)
        if name is None:
            raise FormatError(f"unknown key {key!r}; expected {', '.join(TABLES)} or dataset", path=str(path))
        if not isinstance(items, list):
            raise FormatError(f"{key!r} must be a list of objects", path=str(path))
        fmt = TABLES[name]
        table = RawTable(name=name, origin=f"{path.name}:{key}")
        for i, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                raise FormatError(f"{key}[{i}] is not an object", path=str(path))
            values: dict[str, Any] = {}
            for field_name, value in item.items():
                if name == "funds" and field_name == "shareholders":
                    if not isinstance(value, list):
                        raise FormatError(f"{key}[{i}].shareholders must be a list", path=str(path))
                    for j, sh in enumerate(value, start=1):
                        if not isinstance(sh, dict):
                            raise FormatError(f"{key}[{i}].shareholders[{j}] is not an object", path=str(path))
                        nested_shareholders.append((f"{key}[{i}].shareholders[{j}]", sh, i, key))
                    continue
                col = canonical_column(fmt, field_name)
                if col is None:
                    raise FormatError(f"{key}[{i}]: unknown field {field_name!r}; known: {', '.join(fmt.columns)}",
                                      path=str(path))
                values[col] = value
            table.rows.append(RawRow(i, values, json.dumps(item, ensure_ascii=False, default=str)))
        ledger.add(table)
    if nested_shareholders:
        fmt = TABLES["shareholders"]
        table = RawTable(name="shareholders", origin=f"{path.name}:funds[].shareholders")
        funds_rows = {r.line: r for t in ledger.tables.get("funds", []) for r in t.rows}
        for n, (label, sh, fund_line, _key) in enumerate(nested_shareholders, start=1):
            values = {}
            for field_name, value in sh.items():
                col = canonical_column(fmt, field_name)
                if col is None:
                    raise FormatError(f"{label}: unknown field {field_name!r}", path=str(path))
                values[col] = value
            if "fund" not in values:
                parent = funds_rows.get(fund_line)
                if parent is not None:
                    values["fund"] = parent.values.get("fund_id") or parent.values.get("name")
            table.rows.append(RawRow(n, values, json.dumps(sh, ensure_ascii=False, default=str)))
        ledger.add(table)
    if not ledger.tables:
        raise FormatError("no ledger tables in this JSON file", path=str(path))
    return ledger
