"""Load published series, forecasts and targets (CSV, Excel or JSON) into ``series_points``; sources required.

The format is described in ``data/series/README.md``.  Rules:

* a file with no ``source_document`` column is refused whole (:class:`~autarky.errors.FormatError`): no
  row of it could name where its number comes from, so loading any of it would put unsourced figures in
  the store;
* a row whose ``source_document`` is empty is quarantined ("no source document"), as are rows with an
  unknown economy, a year outside 1900-2100, a value :func:`autarky.numbers.read_number` refuses, an
  unknown ``kind``/``comparator``, or a repeated ``series_id, economy, year, kind``;
* ``kind`` defaults to ``observed``; a target's ``comparator`` defaults to ``at_least``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from autarky.errors import FormatError, MissingFileError, UsageError
from autarky.geo.economies import to_iso3
from autarky.numbers import NumberError, read_number
from autarky.store import DatasetMeta, ImportResult, Progress, Store, hash_paths

log = logging.getLogger(__name__)

__all__ = ["COLUMNS", "COMPARATORS", "KINDS", "REQUIRED", "load_series"]

COLUMNS = ("series_id", "series_name", "economy", "year", "value", "unit", "kind", "comparator", "definition",
           "source_document", "source_publisher", "source_date", "source_locator", "source_url", "notes")
REQUIRED = ("series_id", "economy", "year", "value", "source_document")
KINDS = ("observed", "forecast", "target")
COMPARATORS = ("at_least", "at_most")
_SUFFIXES = (".csv", ".xlsx", ".json")


@dataclass(frozen=True, slots=True)
class _Row:
    file: str
    line: int
    values: dict[str, str]
    raw: str


def load_series(store: Store, path: Path, *, progress: Progress | None = None, name: str | None = None,
                vintage: str | None = None, publisher: str | None = None, licence: str | None = None,
                **unknown: Any) -> ImportResult:
    """Load a series file (``.csv``, ``.xlsx``, ``.json``) or a folder of them into ``store``.

    The dataset is named ``name`` (default ``series:<file or folder name>``), vintage ``vintage`` (default
    ``current``: loading an edited file again replaces it).
    """
    given = [k for k, v in unknown.items() if v is not None]
    if given:
        raise UsageError(f"a series import takes no option {', '.join(map(repr, given))}")
    path = Path(path)
    files = _files(path)
    rows: list[_Row] = []
    for f in files:
        rows.extend(_read(f))
    digest = hashlib.sha256(hash_paths(files).encode()).hexdigest()
    meta = DatasetMeta(
        name=name or f"series:{path.stem}", kind="series", vintage=vintage or "current", content_hash=digest,
        publisher=publisher or "the publishers cited on each row", licence=licence,
        attribution="each row cites its source document", source=str(path),
    )
    with store.importer(meta) as imp:
        if imp.unchanged:
            return imp.result
        imp.rows_read += len(rows)
        cols: dict[str, list[Any]] = {c: [] for c in (*COLUMNS, "source_file", "source_line")}
        seen: set[tuple[str, str, int, str]] = set()
        for i, row in enumerate(rows):
            if progress is not None and i % 1000 == 0:
                progress(i, len(rows), "series: checking rows")
            clean = _clean(row)
            if isinstance(clean, tuple):
                fld, reason = clean
                imp.quarantine(file=row.file, line=row.line, field=fld, value=row.values.get(fld), reason=reason,
                               raw=row.raw)
                continue
            key = (clean["series_id"], clean["economy"], clean["year"], clean["kind"])
            if key in seen:
                imp.quarantine(file=row.file, line=row.line, field="year", value=clean["year"], raw=row.raw,
                               reason=f"repeats {clean['series_id']} {clean['economy']} {clean['year']} "
                                      f"({clean['kind']}) already read")
                continue
            seen.add(key)
            for c in COLUMNS:
                cols[c].append(clean.get(c))
            cols["source_file"].append(row.file)
            cols["source_line"].append(row.line)
        imp.insert("series_points", pa.table({
            **{c: pa.array(v, pa.string()) for c, v in cols.items() if c not in ("year", "value", "source_line")},
            "year": pa.array(cols["year"], pa.int32()),
            "value": pa.array(cols["value"], pa.float64()),
            "source_line": pa.array(cols["source_line"], pa.int32()),
        }))
    return imp.result


# -- reading --------------------------------------------------------------------------------------------
def _files(path: Path) -> list[Path]:
    if not path.exists():
        raise MissingFileError(f"{path}: no such file or folder")
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in _SUFFIXES and not p.name.startswith("."))
        if not files:
            raise FormatError("no series files here (.csv, .xlsx or .json)", path=str(path))
        return files
    if path.suffix.lower() not in _SUFFIXES:
        raise FormatError("not a series file (expected .csv, .xlsx or .json)", path=str(path))
    return [path]


def _read(path: Path) -> list[_Row]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xlsx":
        return _read_xlsx(path)
    return _read_json(path)


def _header(names: list[str], path: Path) -> list[str]:
    canon = [re.sub(r"[^a-z0-9]+", "_", (n or "").strip().lower()).strip("_") for n in names]
    dup = sorted({c for c in canon if c and canon.count(c) > 1})
    if dup:
        raise FormatError(f"column(s) {', '.join(dup)} appear more than once", path=str(path), line=1)
    missing = [c for c in REQUIRED if c not in canon]
    if missing:
        why = (" — every series value and target must name the document it comes from, so a file without "
               "a source column is refused whole") if "source_document" in missing else ""
        raise FormatError(f"missing column(s) {', '.join(missing)}{why}", path=str(path), line=1,
                          field=missing[0])
    return canon


def _read_csv(path: Path) -> list[_Row]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(f"not UTF-8 text ({exc.reason})", path=str(path)) from exc
    reader = csv.reader(io.StringIO(text))
    head = next(reader, None)
    if head is None:
        raise FormatError("empty file", path=str(path))
    names = _header(head, path)
    out: list[_Row] = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(names):
            raise FormatError(f"{len(cells)} fields, the header has {len(names)}", path=str(path),
                              line=reader.line_num)
        values = {n: c.strip() for n, c in zip(names, cells, strict=False) if n}
        out.append(_Row(path.name, reader.line_num, values, ",".join(cells)))
    return out


def _read_xlsx(path: Path) -> list[_Row]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise FormatError(f"not a readable .xlsx workbook: {exc}", path=str(path)) from exc
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        head = next(rows, None)
        if head is None:
            raise FormatError("empty sheet", path=f"{path}:{ws.title}")
        names = _header([str(h) if h is not None else "" for h in head], path)
        out: list[_Row] = []
        for r, cells in enumerate(rows, start=2):
            if all(c is None or str(c).strip() == "" for c in cells):
                continue
            for c in cells:
                if isinstance(c, str) and c.startswith("#") and c.endswith(("!", "?", "A")):
                    raise FormatError(f"cell holds an Excel error {c}", path=f"{path.name}:{ws.title}", line=r)
            values = {n: ("" if c is None else str(c).strip()) for n, c in zip(names, cells, strict=False) if n}
            out.append(_Row(f"{path.name}:{ws.title}", r, values, json.dumps(values, ensure_ascii=False)))
        return out
    finally:
        wb.close()


def _read_json(path: Path) -> list[_Row]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FormatError(f"not valid JSON: {exc}", path=str(path)) from exc
    records = doc.get("rows") if isinstance(doc, dict) else doc
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise FormatError('expected a list of row objects, or {"rows": [...]}', path=str(path))
    keys: list[str] = []
    for r in records:
        keys.extend(k for k in r if k not in keys)
    names = _header(keys, path) if records else list(REQUIRED)
    mapping = dict(zip(keys, names, strict=False))
    out: list[_Row] = []
    for i, r in enumerate(records, start=1):
        values = {mapping[k]: ("" if v is None else str(v).strip()) for k, v in r.items()}
        out.append(_Row(path.name, i, values, json.dumps(r, ensure_ascii=False)[:500]))
    return out


# -- checking -------------------------------------------------------------------------------------------
def _clean(row: _Row) -> dict[str, Any] | tuple[str, str]:
    v = row.values
    out: dict[str, Any] = {c: (v.get(c) or None) for c in COLUMNS}
    if not v.get("source_document"):
        return "source_document", "no source document: every series value and target must cite its source"
    if not v.get("series_id"):
        return "series_id", "no series_id"
    out["series_id"] = v["series_id"].strip().lower()
    iso3 = to_iso3(v.get("economy", ""))
    if iso3 is None:
        return "economy", f"unknown economy {v.get('economy', '')!r}"
    out["economy"] = iso3
    year_text = v.get("year", "").removesuffix(".0")
    if not re.fullmatch(r"\d{4}", year_text) or not 1900 <= int(year_text) <= 2100:
        return "year", f"{v.get('year', '')!r} is not a year between 1900 and 2100"
    out["year"] = int(year_text)
    try:
        number = read_number(v.get("value", ""), percent=True)
    except NumberError as exc:
        return "value", str(exc)
    if number is None:
        return "value", "no value"
    out["value"] = number
    kind = (v.get("kind") or "observed").strip().lower()
    if kind not in KINDS:
        return "kind", f"kind {kind!r} is not one of {', '.join(KINDS)}"
    out["kind"] = kind
    comparator = (v.get("comparator") or "").strip().lower() or None
    if kind == "target":
        comparator = comparator or "at_least"
        if comparator not in COMPARATORS:
            return "comparator", f"comparator {comparator!r} is not one of {', '.join(COMPARATORS)}"
    elif comparator is not None:
        return "comparator", "only a target has a comparator"
    out["comparator"] = comparator
    return out
