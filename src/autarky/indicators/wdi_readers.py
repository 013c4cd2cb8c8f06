"""Read World Bank WDI files in the three layouts the World Bank and autarky use, detected from content.

* **tidy CSV** (autarky's bundled extract): header
  ``indicator_code,indicator_name,economy_iso3,economy_name,year,value,is_aggregate``, one value a row.
* **bulk CSV** as the World Bank publishes it (``API_<topic>_DS2_en_csv_v2_<n>.csv``): four preamble
  lines (``"Data Source","World Development Indicators",``, a blank line, ``"Last Updated Date","YYYY-MM-DD",``,
  a blank line), then ``"Country Name","Country Code","Indicator Name","Indicator Code","1960",…,"2020",``
  — one row per economy and indicator, wide by year, every line ending in a comma.  The download zip holds
  it beside ``Metadata_Country_*.csv`` (``"Country Code","Region","IncomeGroup","SpecialNotes","TableName",``)
  whose blank ``Region`` marks an aggregate (WLD, EUU, HIC, …).
* **API v2 JSON** (``https://api.worldbank.org/v2/country/CHN;USA/indicator/<CODE>?format=json&per_page=N``):
  a two-element array, ``[{"page":1,"pages":P,"per_page":N,"total":T,"sourceid":"2","lastupdated":"YYYY-MM-DD"},
  [{"indicator":{"id":…,"value":…},"country":{"id":"CN","value":"China"},"countryiso3code":"CHN",
  "date":"2018","value":2.18568,"unit":"","obs_status":"","decimal":1}, …]]``; one file per page, or a
  folder of pages.  An error answer is a one-element array ``[{"message":[{"id":…,"key":…,"value":…}]}]``.

Readers only check the *shape* of a file and raise one :class:`~autarky.errors.FormatError` naming file,
line and field when it is wrong; values are checked row by row by the loader (a bad row is quarantined).
Line numbers are 1-based lines of the file (header = the header's line); in API JSON the "line" of a
record is its 1-based position in the page's data array.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from autarky.errors import FormatError, MissingFileError

log = logging.getLogger(__name__)

__all__ = ["TIDY_COLUMNS", "Layout", "RawValue", "WdiSource", "detect_layout", "read_wdi"]

Layout = Literal["tidy", "bulk", "api"]

TIDY_COLUMNS = ("indicator_code", "indicator_name", "economy_iso3", "economy_name", "year", "value",
                "is_aggregate")
_BULK_HEAD = ("Country Name", "Country Code", "Indicator Name", "Indicator Code")
_METADATA_HEAD = ("Country Code", "Region")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_IGNORED = ("wdi_economies.csv",)


@dataclass(frozen=True, slots=True)
class RawValue:
    """One value cell as read, before validation."""

    file: str
    line: int
    indicator_code: str
    indicator_name: str | None
    economy: str
    economy_name: str | None
    is_aggregate: bool | None  # None: the file does not say
    year: str
    value: object  # a text cell (CSV) or a JSON number / null
    raw: str


@dataclass
class WdiSource:
    """What was read: the values, the vintages files state, and the files (for the content hash)."""

    values: list[RawValue] = field(default_factory=list)
    layouts: set[str] = field(default_factory=set)
    vintages: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    aggregates: dict[str, bool] = field(default_factory=dict)  # code -> is aggregate (from metadata)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    pages: dict[str, tuple[int, set[int]]] = field(default_factory=dict)  # query -> (pages, pages seen)

    def missing_pages(self) -> list[str]:
        """API queries whose pages were not all read, e.g. ``GB.XPD.RSDV.GD.ZS (46 records): pages 2``."""
        out = []
        for key, (pages, seen) in sorted(self.pages.items()):
            gone = [p for p in range(1, pages + 1) if p not in seen]
            if gone:
                out.append(f"{key}: page(s) {', '.join(map(str, gone))} of {pages} missing")
        return out


def read_wdi(path: Path) -> WdiSource:
    """Read a WDI file (tidy CSV, bulk CSV, bulk zip, API JSON page) or a folder of them."""
    path = Path(path)
    if not path.exists():
        raise MissingFileError(f"{path}: no such file or folder")
    src = WdiSource()
    if path.is_dir():
        _read_folder(path, src)
    else:
        _read_file(path, src)
    if not src.layouts:
        raise FormatError("no WDI data here (expected a tidy CSV, a WDI bulk CSV or zip, or API JSON pages)",
                          path=str(path))
    return src


def detect_layout(path: Path) -> Layout | Literal["zip", "metadata"] | None:
    """The layout of one file, from its content (None: not a WDI file)."""
    if zipfile.is_zipfile(path):
        return "zip"
    with path.open("rb") as fh:
        head = fh.read(4096)
    return _detect_text(head.decode("utf-8-sig", errors="replace"))


def _detect_text(head: str) -> Layout | Literal["metadata"] | None:
    text = head.lstrip()
    if text.startswith("["):
        return "api"
    first = text.splitlines()[0] if text else ""
    cells = next(csv.reader([first]), [])
    cells = [c.strip() for c in cells]
    if cells[:1] == ["Data Source"]:
        return "bulk"
    if tuple(c for c in cells if c) == TIDY_COLUMNS:
        return "tidy"
    if tuple(cells[:2]) == _METADATA_HEAD:
        return "metadata"
    return None


# -- dispatch -----------------------------------------------------------------------------------------
def _read_folder(folder: Path, src: WdiSource) -> None:
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    metadata = [p for p in files if p.suffix.lower() == ".csv" and detect_layout(p) == "metadata"]
    for m in metadata:
        src.files.append(m)
        src.aggregates.update(_read_country_metadata(m.read_text(encoding="utf-8-sig"), str(m)))
    for p in files:
        if p in metadata or p.name in _IGNORED or p.suffix.lower() not in (".csv", ".json", ".zip"):
            continue
        layout = detect_layout(p)
        if layout is None:
            log.info("%s: not a WDI file, skipped", p)
            continue
        _read_file(p, src, layout)
    if not src.vintages:
        note = folder / "SOURCE.md"
        if note.exists():
            found = re.search(r"Last Updated Date\W+(\d{4}-\d{2}-\d{2})", note.read_text(encoding="utf-8"))
            if found:
                src.vintages.append(found.group(1))


def _read_file(path: Path, src: WdiSource, layout: str | None = None) -> None:
    layout = layout or detect_layout(path)
    if layout is None or layout == "metadata":
        raise FormatError(
            "not a WDI file: expected a tidy CSV (header " + ",".join(TIDY_COLUMNS) + "), a WDI bulk CSV "
            '(first line "Data Source",...), a WDI bulk zip or World Bank API JSON', path=str(path), line=1)
    src.files.append(path)
    if layout == "zip":
        _read_zip(path, src)
        return
    text = _decode(path.read_bytes(), str(path))
    if layout == "api":
        _read_api(text, str(path), src)
    elif layout == "bulk":
        _read_bulk(text, str(path), src)
    else:
        _read_tidy(text, str(path), src)


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path=name) from exc


def _read_zip(path: Path, src: WdiSource) -> None:
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise FormatError(f"not a readable zip: {exc}", path=str(path)) from exc
    with zf:
        members = [n for n in zf.namelist() if n.lower().endswith(".csv")]
        texts = {n: _decode(zf.read(n), f"{path}:{n}") for n in members}
    found = False
    for name, text in texts.items():
        if _detect_text(text[:4096]) == "metadata":
            src.aggregates.update(_read_country_metadata(text, f"{path.name}:{name}"))
    for name, text in texts.items():
        kind = _detect_text(text[:4096])
        if kind == "bulk":
            _read_bulk(text, f"{path.name}:{name}", src)
            found = True
        elif kind == "tidy":
            _read_tidy(text, f"{path.name}:{name}", src)
            found = True
    if not found:
        raise FormatError("the zip holds no WDI bulk CSV (API_*.csv)", path=str(path))


# -- tidy -----------------------------------------------------------------------------------------------
def _read_tidy(text: str, name: str, src: WdiSource) -> None:
    reader = csv.reader(io.StringIO(text))
    header = [c.strip() for c in next(reader, [])]
    if tuple(header) != TIDY_COLUMNS:
        raise FormatError(f"header must be {','.join(TIDY_COLUMNS)}", path=name, line=1)
    src.layouts.add("tidy")
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(TIDY_COLUMNS):
            raise FormatError(f"{len(cells)} fields, expected {len(TIDY_COLUMNS)}", path=name, line=line)
        code, ind_name, econ, econ_name, year, value, agg = (c.strip() for c in cells)
        flag = {"true": True, "false": False}.get(agg.lower())
        src.values.append(RawValue(name, line, code, ind_name or None, econ.upper(), econ_name or None, flag,
                                   year, value, ",".join(cells)))


# -- bulk -----------------------------------------------------------------------------------------------
def _read_bulk(text: str, name: str, src: WdiSource) -> None:
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    header_line = 0
    for cells in reader:
        clean = [c.strip() for c in cells]
        if clean[:1] == ["Last Updated Date"] and len(clean) > 1 and _DATE.fullmatch(clean[1]):
            src.vintages.append(clean[1])
        if tuple(clean[:4]) == _BULK_HEAD:
            header, header_line = clean, reader.line_num
            break
        if reader.line_num > 10:
            break
    if header is None:
        raise FormatError('no "Country Name","Country Code","Indicator Name","Indicator Code",<years> header '
                          "in the first 10 lines of this WDI bulk CSV", path=name)
    years = header[4:]
    while years and years[-1] == "":
        years.pop()  # the World Bank ends every line with a comma
    for i, y in enumerate(years):
        if not re.fullmatch(r"\d{4}", y):
            raise FormatError(f"year column {y!r} is not a year", path=name, line=header_line, field=f"column {i + 5}")
    src.layouts.add("bulk")
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < 4 + len(years):
            raise FormatError(f"{len(cells)} fields, expected {4 + len(years)}", path=name, line=line)
        econ_name, econ, ind_name, code = (c.strip() for c in cells[:4])
        for year, cell in zip(years, cells[4:4 + len(years)], strict=True):
            if cell.strip() == "":
                continue  # WDI leaves a year it has no value for empty
            src.values.append(RawValue(name, line, code, ind_name or None, econ.upper(), econ_name or None, None,
                                       year, cell, f"{econ},{code},{year}={cell}"))


def _read_country_metadata(text: str, name: str) -> dict[str, bool]:
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or not {"Country Code", "Region"} <= {f.strip() for f in reader.fieldnames}:
        raise FormatError('country metadata needs "Country Code" and "Region" columns', path=name, line=1)
    out: dict[str, bool] = {}
    for row in reader:
        row = {(k or "").strip(): (v or "") for k, v in row.items()}
        code = row.get("Country Code", "").strip().upper()
        if code:
            out[code] = row.get("Region", "").strip() == ""
    return out


# -- API JSON -------------------------------------------------------------------------------------------
def _read_api(text: str, name: str, src: WdiSource) -> None:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(f"not valid JSON: {exc.msg}", path=name, line=exc.lineno) from exc
    if isinstance(doc, list) and len(doc) == 1 and isinstance(doc[0], dict) and "message" in doc[0]:
        msgs = doc[0]["message"] if isinstance(doc[0]["message"], list) else [doc[0]["message"]]
        said = "; ".join(f"{m.get('key', '')}: {m.get('value', '')}".strip(": ") for m in msgs if isinstance(m, dict))
        raise FormatError(f"the World Bank API answered with an error, not data: {said}", path=name)
    if not (isinstance(doc, list) and len(doc) == 2 and isinstance(doc[0], dict)):
        raise FormatError("World Bank API JSON is a two-element array [page header, records]", path=name)
    head: dict[str, Any] = doc[0]
    for key in ("page", "pages", "total"):
        if key not in head:
            raise FormatError(f"the page header has no {key!r}", path=name, field=key)
    if head.get("lastupdated"):
        stamp = str(head["lastupdated"])
        if _DATE.fullmatch(stamp):
            src.vintages.append(stamp)
        else:
            src.warnings.append((name, f"lastupdated {stamp!r} is not a YYYY-MM-DD date; not used as the vintage"))
    records = doc[1]
    if records is None:  # the API answers an empty result with null
        records = []
    if not isinstance(records, list):
        raise FormatError("the second element must be the list of records", path=name)
    src.layouts.add("api")
    first_code = ""
    for i, rec in enumerate(records, start=1):
        if not isinstance(rec, dict):
            raise FormatError(f"record {i} is not an object", path=name, line=i)
        ind = rec.get("indicator") or {}
        country = rec.get("country") or {}
        if not isinstance(ind, dict) or not isinstance(country, dict):
            raise FormatError(f"record {i}: indicator and country must be objects", path=name, line=i)
        code = str(ind.get("id") or "").strip()
        first_code = first_code or code
        iso3 = str(rec.get("countryiso3code") or "").strip().upper()
        src.values.append(RawValue(
            name, i, code, _opt(ind.get("value")), iso3, _opt(country.get("value")), None,
            str(rec.get("date") or "").strip(), rec.get("value"),
            json.dumps(rec, ensure_ascii=False, sort_keys=True)[:500],
        ))
    _check_page(head, len(records), name, first_code, src)


def _check_page(head: dict[str, Any], n: int, name: str, code: str, src: WdiSource) -> None:
    try:
        page, pages, per_page, total = (int(head.get(k) or 0) for k in ("page", "pages", "per_page", "total"))
    except (TypeError, ValueError) as exc:
        raise FormatError(f"page header numbers do not parse: {exc}", path=name) from exc
    key = f"{code or 'query'} ({total} records)"
    _, seen = src.pages.setdefault(key, (pages, set()))
    seen.add(page)
    if per_page and page < pages and n != per_page:
        src.warnings.append((name, f"page {page} of {pages} holds {n} records, per_page is {per_page}"))


def _opt(v: object) -> str | None:
    return None if v is None or str(v).strip() == "" else str(v).strip()
