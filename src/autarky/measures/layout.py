"""The measures file layout: its tables and columns, and reading CSV, Excel and JSON into raw rows.

A measures ledger has up to three tables (reference: ``docs/measures.md``):

* ``measures`` (required) -- one row per measure;
* ``events`` -- dated status changes (amended, suspended, resumed, lifted);
* ``entities`` -- named entities a measure lists (one row per entity).

It comes as a folder of ``measures.csv``/``events.csv``/``entities.csv`` (plus an optional
``dataset.yaml``), a single ``.csv`` named after its table, an ``.xlsx`` workbook with sheets of those
names (plus an optional ``dataset`` sheet of key/value rows), or a JSON object
``{"dataset": {...}, "measures": [...], "events": [...], "entities": [...]}`` in which a measure may
also carry its own ``events`` and ``entities`` lists.  Multi-valued cells (targets, nodes, HS codes,
materials) are separated by ``;`` (in JSON they may be lists).

A file that cannot be read as the layout it claims -- not UTF-8, not CSV/JSON/XLSX, an unknown or
repeated column, a required column missing -- raises :class:`~autarky.errors.FormatError` naming the
file, line and field; nothing is loaded.  A bad *value* is left for the importer to quarantine.
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
from autarky.records import read_csv_file

__all__ = ["META_KEYS", "TABLES", "RawLedger", "RawRow", "TableSpec", "read_measures_file"]

META_KEYS = ("name", "vintage", "publisher", "licence", "license", "attribution", "source", "description")


@dataclass(frozen=True)
class TableSpec:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    aliases: Mapping[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional

    def canonical(self, header: str) -> str | None:
        key = header.strip().lower().replace(" ", "_").replace("-", "_")
        if key in self.columns:
            return key
        return self.aliases.get(key)


TABLES: dict[str, TableSpec] = {
    "measures": TableSpec(
        "measures",
        required=("measure_id", "imposing", "instrument", "title", "source_url"),
        optional=("authority", "document", "announced", "effective", "targets", "excluded", "nodes",
                  "hs_codes", "materials", "threshold", "end_use", "licence_policy", "locator", "date_note",
                  "scope_note", "note"),
        aliases={"id": "measure_id", "imposed_by": "imposing", "imposing_economy": "imposing",
                 "license_policy": "licence_policy", "source": "source_url", "url": "source_url",
                 "effective_date": "effective", "announced_date": "announced", "hs": "hs_codes",
                 "map_nodes": "nodes", "except": "excluded", "notes": "note"},
    ),
    "events": TableSpec(
        "events",
        required=("measure_id", "event", "date", "source_url"),
        optional=("until", "locator", "note"),
        aliases={"kind": "event", "source": "source_url", "url": "source_url", "notes": "note"},
    ),
    "entities": TableSpec(
        "entities",
        required=("measure_id", "entity"),
        optional=("name_zh", "economy", "removed", "source_url", "note"),
        aliases={"name": "entity", "entity_zh": "name_zh", "country": "economy", "source": "source_url",
                 "url": "source_url", "notes": "note"},
    ),
}


@dataclass
class RawRow:
    """One row as read: its origin (file, sheet or JSON key), line/row/index and raw text."""

    table: str
    origin: str
    line: int
    values: dict[str, Any]
    raw: str


@dataclass
class RawLedger:
    meta: dict[str, str] = field(default_factory=dict)
    rows: list[RawRow] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def of(self, table: str) -> Iterator[RawRow]:
        return (r for r in self.rows if r.table == table)


def read_measures_file(path: Path) -> RawLedger:
    """Read a folder, ``.csv``, ``.xlsx`` or ``.json`` measures ledger (see the module docstring)."""
    path = Path(path)
    if not path.exists():
        raise MissingFileError(f"{path}: no such file or folder", path=str(path))
    if path.is_dir():
        return _read_folder(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        name = _table_of(path.stem)
        if name is None:
            raise FormatError(f"cannot tell which table this CSV holds; name it {', '.join(TABLES)}.csv",
                              path=str(path))
        ledger = RawLedger(files=[path])
        ledger.rows.extend(_read_csv(path, TABLES[name]))
        return _require_measures(ledger, path)
    if suffix == ".xlsx":
        return _require_measures(_read_xlsx(path), path)
    if suffix == ".json":
        return _require_measures(_read_json(path), path)
    raise FormatError("not a measures file (expected a folder, .csv, .xlsx or .json)", path=str(path))


def _table_of(stem: str) -> str | None:
    key = stem.strip().lower()
    for name in TABLES:
        if key == name or key.endswith(f"_{name}") or key.endswith(f"-{name}"):
            return name
    return None


def _require_measures(ledger: RawLedger, path: Path) -> RawLedger:
    if not ledger.rows:
        raise FormatError(f"no rows in this file (expected tables {', '.join(TABLES)})", path=str(path))
    return ledger


# -- folder and CSV -------------------------------------------------------------------------------------
def _read_folder(folder: Path) -> RawLedger:
    ledger = RawLedger()
    meta = next((folder / n for n in ("dataset.yaml", "dataset.yml") if (folder / n).is_file()), None)
    if meta is not None:
        ledger.meta = _read_meta(meta)
        ledger.files.append(meta)
    found = False
    for name, spec in TABLES.items():
        p = folder / f"{name}.csv"
        if p.is_file():
            found = True
            ledger.files.append(p)
            ledger.rows.extend(_read_csv(p, spec))
    if not found:
        raise MissingFileError(f"no {', '.join(f'{t}.csv' for t in TABLES)} here", path=str(folder))
    return ledger


def _read_meta(path: Path) -> dict[str, str]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise FormatError(f"not valid YAML: {exc}", path=str(path)) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FormatError(f"expected a mapping of {', '.join(META_KEYS)}", path=str(path))
    return _clean_meta(data, str(path))


def _clean_meta(data: Mapping[Any, Any], where: str) -> dict[str, str]:
    unknown = [str(k) for k in data if str(k) not in META_KEYS]
    if unknown:
        raise FormatError(f"unknown key(s) {', '.join(unknown)}; known: {', '.join(META_KEYS)}", path=where)
    out = {str(k): str(v).strip() for k, v in data.items() if v is not None}
    if "license" in out:
        out.setdefault("licence", out.pop("license"))
    return out


def _columns(spec: TableSpec, headers: list[str], path: str) -> list[str | None]:
    cols: list[str | None] = []
    seen: dict[str, int] = {}
    for i, header in enumerate(headers):
        text = (header or "").strip()
        if not text:
            cols.append(None)
            continue
        col = spec.canonical(text)
        if col is None:
            raise FormatError(f"unknown column {text!r} for table {spec.name!r}; known: {', '.join(spec.columns)}",
                              path=path, line=1, field=text)
        if col in seen:
            raise FormatError(f"column {text!r} repeats column {seen[col] + 1}", path=path, line=1, field=text)
        seen[col] = i
        cols.append(col)
    missing = [c for c in spec.required if c not in seen]
    if missing:
        raise FormatError(f"required column(s) {', '.join(missing)} missing for table {spec.name!r}",
                          path=path, line=1)
    return cols


def _read_csv(path: Path, spec: TableSpec) -> list[RawRow]:
    src = read_csv_file(path)
    cols = _columns(spec, src.header, str(path))
    rows: list[RawRow] = []
    for start, record in src.records():
        if len(record) > len(cols) and any(v.strip() for v in record[len(cols):]):
            raise FormatError(f"{len(record)} fields where the header has {len(cols)}", path=str(path), line=start)
        values = {c: v for c, v in zip(cols, record, strict=False) if c is not None}
        rows.append(RawRow(spec.name, path.name, start, values, ",".join(record)))
    if not rows:
        raise FormatError("no data rows (only a header)", path=str(path), line=2)
    return rows


# -- Excel ----------------------------------------------------------------------------------------------
def _read_xlsx(path: Path) -> RawLedger:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FormatError(f"not an Excel .xlsx workbook: {exc}", path=str(path)) from exc
    ledger = RawLedger(files=[path])
    try:
        for ws in wb.worksheets:
            title = ws.title.strip().lower()
            if title == "dataset":
                pairs = {str(r[0]).strip().lower(): r[1] for r in ws.iter_rows(values_only=True)
                         if r and r[0] is not None and str(r[0]).strip().lower() not in ("key", "field")}
                ledger.meta = _clean_meta({k: v for k, v in pairs.items()}, f"{path}: sheet 'dataset'")
                continue
            name = _table_of(title)
            if name is None:
                continue  # a notes sheet
            spec = TABLES[name]
            it = ws.iter_rows(values_only=True)
            header = next(it, None)
            if header is None:
                continue
            headers = ["" if h is None else str(h) for h in header]
            cols = _columns(spec, headers, f"{path}: sheet {ws.title!r}")
            for n, cells in enumerate(it, start=2):
                if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                    continue
                values: dict[str, Any] = {}
                for i, cell in enumerate(cells):
                    if cell is None:
                        continue
                    if i >= len(cols) or cols[i] is None:
                        if isinstance(cell, str) and not cell.strip():
                            continue
                        raise FormatError("a value stands under a column without a header",
                                          path=f"{path}: sheet {ws.title!r}", line=n)
                    column = cols[i]
                    assert column is not None
                    values[column] = cell
                raw = json.dumps({k: str(v) for k, v in values.items()}, ensure_ascii=False)
                ledger.rows.append(RawRow(name, f"{path.name}:{ws.title}", n, values, raw))
    finally:
        wb.close()
    return ledger


# -- JSON -----------------------------------------------------------------------------------------------
def _read_json(path: Path) -> RawLedger:
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FormatError("not UTF-8 text", path=str(path)) from exc
    except json.JSONDecodeError as exc:
        raise FormatError(f"not JSON: {exc.msg} (column {exc.colno})", path=str(path), line=exc.lineno) from exc
    if isinstance(doc, list):
        doc = {"measures": doc}
    if not isinstance(doc, dict):
        raise FormatError("expected a JSON object with a 'measures' list", path=str(path))
    ledger = RawLedger(files=[path])
    for key, items in doc.items():
        if key == "dataset":
            if not isinstance(items, dict):
                raise FormatError("'dataset' must be an object", path=str(path), field="dataset")
            ledger.meta = _clean_meta(items, str(path))
            continue
        name = _table_of(key)
        if name is None:
            raise FormatError(f"unknown key {key!r}; expected dataset, {', '.join(TABLES)}", path=str(path),
                              field=key)
        if not isinstance(items, list):
            raise FormatError(f"{key!r} must be a list of objects", path=str(path), field=key)
        for i, item in enumerate(items, start=1):
            _json_row(ledger, path, name, f"{key}[{i}]", i, item)
    return ledger


def _json_row(ledger: RawLedger, path: Path, name: str, label: str, index: int, item: object) -> None:
    if not isinstance(item, dict):
        raise FormatError(f"{label} is not an object", path=str(path), field=label)
    spec = TABLES[name]
    values: dict[str, Any] = {}
    for key, value in item.items():
        if name == "measures" and key in ("events", "entities"):
            if not isinstance(value, list):
                raise FormatError(f"{label}.{key} must be a list", path=str(path), field=f"{label}.{key}")
            for j, sub in enumerate(value, start=1):
                if isinstance(sub, dict) and "measure_id" not in sub:
                    sub = {**sub, "measure_id": item.get("measure_id") or item.get("id")}
                _json_row(ledger, path, key, f"{label}.{key}[{j}]", index, sub)
            continue
        col = spec.canonical(str(key))
        if col is None:
            raise FormatError(f"{label}: unknown field {key!r}; known: {', '.join(spec.columns)}",
                              path=str(path), field=str(key))
        values[col] = ";".join(str(v) for v in value) if isinstance(value, list) else value
    missing = [c for c in spec.required if c not in values]
    if missing:
        # a missing required *value* is a row problem, not a file problem: the importer quarantines it
        for c in missing:
            values[c] = None
    ledger.rows.append(RawRow(name, f"{path.name}:{label}", index,
                              values, json.dumps(item, ensure_ascii=False, default=str)))
