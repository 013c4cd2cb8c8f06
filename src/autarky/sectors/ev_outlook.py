"""Read the IEA Global EV Outlook data (the Global EV Data Explorer CSV) into ``ev_outlook``; query it.

The layout is the IEA's own download, one value a row::

    region,category,parameter,mode,powertrain,year,unit,value
    China,Historical,EV sales,Cars,BEV,2023,Vehicles,5400000

Rules (loader kind ``ev-outlook``):

* a file without the eight columns raises :class:`~autarky.errors.FormatError` naming the file and the
  missing columns, and loads nothing; a folder loads every ``*.csv`` in it;
* ``region`` is kept as published; ``economy`` is its ISO3 code when the region is one economy (``China``
  → ``CHN``, ``Korea`` → ``KOR``) and NULL for aggregates (``World``, ``Europe``, ``EU27``, ``Rest of the
  world``);
* ``value`` is read by :func:`autarky.numbers.read_number`; a row with no value, a value that is not a
  number, a year outside 1900-2100, an empty required field or a repeated (region, category, parameter,
  mode, powertrain, year) goes to quarantine with file, line, field and reason.

Figures (:func:`ev_figures`): EV sales and stock of cars (BEV + PHEV, the IEA's "electric cars"), the EV
sales share, and an economy's share of world electric-car sales ``s = sales(economy) / sales(World)``
(derived; both numbers from the same file and year).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from autarky.errors import FormatError, MissingFileError, UsageError
from autarky.figures import Coverage, Figure, SourceRef
from autarky.geo.economies import to_iso3
from autarky.numbers import NumberError, read_number
from autarky.records import read_csv_file
from autarky.store import DatasetMeta, ImportResult, Store, hash_paths

log = logging.getLogger(__name__)

__all__ = ["COLUMNS", "KIND", "EvFigures", "ev_figures", "ev_share_of_world", "load_ev_outlook"]

KIND = "ev-outlook"
COLUMNS = ("region", "category", "parameter", "mode", "powertrain", "year", "unit", "value")
#: The IEA counts battery-electric and plug-in hybrid cars as electric cars (Global EV Outlook, glossary).
ELECTRIC_CARS = ("BEV", "PHEV")
IEA_LICENCE = "CC BY 4.0"


def load_ev_outlook(store: Store, path: Path, *, progress: Any = None, name: str | None = None,
                    vintage: str | None = None, **unknown: Any) -> ImportResult:
    """Load an IEA Global EV Data Explorer CSV (or a folder of them) into ``ev_outlook``.

    The dataset is named ``name`` (default ``iea-gevo:<file or folder name>``), vintage ``vintage``
    (default: the folder's ``vintage`` line in ``ATTRIBUTION.md`` if any, else ``current``).
    """
    given = sorted(k for k, v in unknown.items() if v is not None)
    if given:
        raise UsageError(f"an ev-outlook import takes no option {', '.join(map(repr, given))}")
    path = Path(path)
    files = _files(path)
    rows: list[tuple[str, int, dict[str, str], str]] = []
    for f in files:
        rows.extend(_read(f))
    from autarky.sectors._tables import ensure_tables

    ensure_tables(store)
    meta = DatasetMeta(
        name=name or f"iea-gevo:{path.stem}", kind=KIND, vintage=vintage or _vintage(path) or "current",
        content_hash=hashlib.sha256(hash_paths(files).encode()).hexdigest(),
        publisher="International Energy Agency (IEA)", licence=IEA_LICENCE,
        attribution="IEA, Global EV Outlook, Global EV Data Explorer (CC BY 4.0)", source=str(path),
    )
    with store.importer(meta) as imp:
        if imp.unchanged:
            return imp.result
        imp.rows_read += len(rows)
        cols: dict[str, list[Any]] = {c: [] for c in ("region", "economy", "category", "parameter", "mode",
                                                       "powertrain", "year", "unit", "value", "source_line")}
        seen: set[tuple[Any, ...]] = set()
        for file, line, values, raw in rows:
            clean = _clean(values)
            if isinstance(clean, tuple):
                field, reason = clean
                imp.quarantine(file=file, line=line, field=field, value=values.get(field), reason=reason, raw=raw)
                continue
            key = (clean["region"], clean["category"], clean["parameter"], clean["mode"], clean["powertrain"],
                   clean["year"])
            if key in seen:
                imp.quarantine(file=file, line=line, field="region", value=clean["region"], raw=raw,
                               reason="repeated region, category, parameter, mode, powertrain and year")
                continue
            seen.add(key)
            for c in cols:
                cols[c].append(line if c == "source_line" else clean[c])
        types = {"year": pa.int32(), "value": pa.float64(), "source_line": pa.int32()}
        imp.insert("ev_outlook", pa.table({c: pa.array(v, types.get(c, pa.string())) for c, v in cols.items()}))
    return imp.result


def _files(path: Path) -> list[Path]:
    if not path.exists():
        raise MissingFileError(f"{path}: no such file or folder")
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
        if not files:
            raise FormatError(f"{path}: no .csv file in the folder", path=str(path))
        return files
    return [path]


def _vintage(path: Path) -> str | None:
    folder = path if path.is_dir() else path.parent
    note = folder / "ATTRIBUTION.md"
    if note.exists():
        for line in note.read_text(encoding="utf-8").splitlines():
            if line.lower().startswith("vintage:"):
                return line.split(":", 1)[1].strip() or None
    return None


def _read(path: Path) -> list[tuple[str, int, dict[str, str], str]]:
    src = read_csv_file(path)
    header = [h.strip().lower() for h in src.header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise FormatError(f"{path}: not an IEA Global EV Data Explorer CSV: no column(s) {', '.join(missing)}",
                          path=str(path), line=1, field=missing[0])
    out = []
    for line, cells in src.records():
        values = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        out.append((path.name, line, values, ",".join(cells)))
    return out


def _clean(v: dict[str, str]) -> dict[str, Any] | tuple[str, str]:
    for c in ("region", "category", "parameter", "mode", "powertrain", "unit"):
        if not v.get(c):
            return c, f"no {c}"
    year = v.get("year", "").removesuffix(".0")
    if not year.isdigit() or not 1900 <= int(year) <= 2100:
        return "year", f"{v.get('year')!r} is not a year between 1900 and 2100"
    try:
        value = read_number(v.get("value"))
    except NumberError as exc:
        return "value", str(exc)
    if value is None:
        return "value", "no value"
    return {"region": v["region"], "economy": to_iso3(v["region"]), "category": v["category"],
            "parameter": v["parameter"], "mode": v["mode"], "powertrain": v["powertrain"], "year": int(year),
            "unit": v["unit"], "value": value}


# -- figures -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvFigures:
    """An economy's electric-car figures for one year from the IEA data (None where the data have none)."""

    economy: str
    year: int
    sales: Figure | None
    stock: Figure | None
    sales_share: Figure | None
    share_of_world_sales: Figure | None
    series: tuple[tuple[int, Figure], ...]  # electric-car sales, year by year


def _rows(store: Store, where: str, params: list[Any]) -> list[dict[str, Any]]:
    from autarky.sectors._tables import has_table

    if not has_table(store, "ev_outlook"):
        return []
    rows: list[dict[str, Any]] = store.query(
        "SELECT e.*, d.name AS dataset_name, d.vintage, d.licence FROM ev_outlook e JOIN datasets d USING "
        "(dataset_id) WHERE e.category = 'Historical' AND e.dataset_id = (SELECT max(dataset_id) FROM datasets "
        f"WHERE kind = '{KIND}') AND {where} ORDER BY e.year, e.powertrain", params).to_pylist()
    return rows


def _ref(rows: list[dict[str, Any]], locator: str) -> SourceRef:
    r = rows[0]
    return SourceRef(dataset=str(r["dataset_name"]), dataset_id=int(r["dataset_id"]), vintage=r["vintage"],
                     licence=r["licence"], file="ev_outlook (IEA Global EV Data Explorer CSV)",
                     lines=tuple(sorted(int(x["source_line"]) for x in rows if x["source_line"] is not None)),
                     url="https://www.iea.org/data-and-statistics/data-tools/global-ev-data-explorer",
                     locator=locator, year=int(r["year"]))


def _sum(rows: list[dict[str, Any]], what: str, subject: str, year: int) -> Figure | None:
    picked = [r for r in rows if r["year"] == year and r["powertrain"] in ELECTRIC_CARS]
    if not picked:
        return None
    have = {r["powertrain"] for r in picked}
    value = float(sum(float(r["value"]) for r in picked))
    locator = f"{what}, Cars, {'+'.join(sorted(have))}, {subject}, {year}"
    cov = None
    if have != set(ELECTRIC_CARS):
        cov = Coverage(False, f"only {', '.join(sorted(have))} published for {subject} in {year}",
                       years=(year,), missing=", ".join(sorted(set(ELECTRIC_CARS) - have)))
    fig = Figure.reported if len(picked) == 1 else Figure.derived
    return fig(value, unit="vehicles", sources=(_ref(picked, locator),), coverage=cov,
               note=None if len(picked) == 1 else "BEV + PHEV as published (the IEA's electric cars)")


def ev_figures(store: Store, economy: str, year: int | None = None) -> EvFigures | None:
    """Electric-car sales, stock, sales share and share of world sales of ``economy`` (ISO3) in ``year``
    (default: the latest year with sales data); None when the IEA data hold nothing for it."""
    sales = _rows(store, "e.economy = ? AND e.parameter = 'EV sales' AND e.mode = 'Cars'", [economy])
    if not sales:
        return None
    y = year if year is not None else max(int(r["year"]) for r in sales)
    stock = _rows(store, "e.economy = ? AND e.parameter = 'EV stock' AND e.mode = 'Cars' AND e.year = ?",
                  [economy, y])
    share = _rows(store, "e.economy = ? AND e.parameter = 'EV sales share' AND e.mode = 'Cars' AND "
                         "e.powertrain = 'EV' AND e.year = ?", [economy, y])
    share_fig = None
    if share:
        share_fig = Figure.reported(float(share[0]["value"]), unit="%",
                                    sources=(_ref(share, f"EV sales share, Cars, EV, {economy}, {y}"),),
                                    note="electric cars as a share of all new cars sold")
    years = sorted({int(r["year"]) for r in sales})
    series = tuple((yy, f) for yy in years if (f := _sum(sales, "EV sales", economy, yy)) is not None)
    return EvFigures(economy, y, _sum(sales, "EV sales", economy, y), _sum(stock, "EV stock", economy, y),
                     share_fig, ev_share_of_world(store, economy, y), series)


def ev_share_of_world(store: Store, economy: str, year: int) -> Figure | None:
    """``s = Σ_{BEV,PHEV} sales(economy, year) / Σ_{BEV,PHEV} sales(World, year)`` (a fraction, derived)."""
    own = _rows(store, "e.economy = ? AND e.parameter = 'EV sales' AND e.mode = 'Cars' AND e.year = ?",
                [economy, year])
    world = _rows(store, "e.region = 'World' AND e.parameter = 'EV sales' AND e.mode = 'Cars' AND e.year = ?",
                  [year])
    a = _sum(own, "EV sales", economy, year)
    b = _sum(world, "EV sales", "World", year)
    if a is None or b is None or not b.value:
        return None
    assert a.value is not None
    cov = a.coverage or b.coverage
    return Figure.derived(a.value / b.value, unit="fraction", sources=a.sources + b.sources, coverage=cov,
                          note=f"{economy}'s electric-car sales / world electric-car sales, {year}")
