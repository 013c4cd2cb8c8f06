"""The sector facts ledger: facts stated by documents, each with its basis and its source (kind ``sector-facts``).

Why a ledger of its own and not series rows: many sector facts are about the world (IFR's global robot
installations) or are words and intervals ("more than half", "just shy of 1.8 million"), which the
published-series ledger (one number per ISO3 economy) cannot hold without inventing a number.

Format (CSV, UTF-8, header on line 1; ``data/sectors-evidence/facts.csv`` is the bundled ledger)::

    fact_id, sector, subject, year, basis, value, low, high, label, unit, name, statement, edition,
    source_document, source_publisher, source_date, source_locator, source_url, notes

* ``basis`` is ``reported`` (``value`` as the document states it), ``bounded`` (``low``..``high``: the
  interval the document's words allow, e.g. "more than half" → 50..100) or ``qualitative`` (``label``:
  the document's word, optionally with ``low``..``high``);
* ``subject`` is an economy (ISO3 or a name) or ``WLD`` (the world);
* ``edition`` names the edition of a recurring publication (``World Robotics 2024``); when editions
  revise a number, each edition's value is its own row.

Rules: a file without a ``source_document`` column is refused whole (:class:`~autarky.errors.FormatError`);
a row without a source document, with an unknown sector, subject or basis, a number
:func:`autarky.numbers.read_number` refuses, fields that do not fit its basis (a reported fact without a
value, a bounded one without both ends or with ``low > high``, a qualitative one without a label), a year
outside 1900-2100, or a repeated ``fact_id, subject, year, edition`` goes to quarantine with the reason.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from autarky.errors import FormatError, MissingFileError, UsageError
from autarky.figures import Basis, Figure, SourceRef
from autarky.geo.economies import to_iso3
from autarky.numbers import NumberError, read_number
from autarky.records import read_csv_file
from autarky.store import DatasetMeta, ImportResult, Store, hash_paths

log = logging.getLogger(__name__)

__all__ = ["COLUMNS", "KIND", "WORLD", "Fact", "load_sector_facts", "read_facts"]

KIND = "sector-facts"
WORLD = "WLD"
COLUMNS = ("fact_id", "sector", "subject", "year", "basis", "value", "low", "high", "label", "unit", "name",
           "statement", "edition", "source_document", "source_publisher", "source_date", "source_locator",
           "source_url", "notes")
_NUMBERS = ("value", "low", "high")


def _sector_ids() -> frozenset[str]:
    from autarky.sectors.registry import load_registry

    return frozenset(s.sector_id for s in load_registry())


def load_sector_facts(store: Store, path: Path, *, progress: Any = None, name: str | None = None,
                      vintage: str | None = None, licence: str | None = None, **unknown: Any) -> ImportResult:
    """Load a sector facts CSV (or every ``*.csv`` of a folder) into ``sector_facts`` (rules above)."""
    given = sorted(k for k, v in unknown.items() if v is not None)
    if given:
        raise UsageError(f"a sector-facts import takes no option {', '.join(map(repr, given))}")
    path = Path(path)
    if not path.exists():
        raise MissingFileError(f"{path}: no such file or folder")
    files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv") if path.is_dir() else [path]
    if not files:
        raise FormatError(f"{path}: no .csv file in the folder", path=str(path))
    rows = [r for f in files for r in _read(f)]
    sectors = _sector_ids()
    from autarky.sectors._tables import ensure_tables

    ensure_tables(store)
    meta = DatasetMeta(
        name=name or f"sector-facts:{path.stem}", kind=KIND, vintage=vintage or "current",
        content_hash=hashlib.sha256(hash_paths(files).encode()).hexdigest(),
        publisher="the publishers cited on each row", licence=licence,
        attribution="each row cites its source document", source=str(path),
    )
    with store.importer(meta) as imp:
        if imp.unchanged:
            return imp.result
        imp.rows_read += len(rows)
        out: dict[str, list[Any]] = {c: [] for c in (*COLUMNS, "source_file", "source_line")}
        seen: set[tuple[Any, ...]] = set()
        for file, line, values, raw in rows:
            clean = _clean(values, sectors)
            if isinstance(clean, tuple):
                field, reason = clean
                imp.quarantine(file=file, line=line, field=field, value=values.get(field), reason=reason, raw=raw)
                continue
            key = (clean["fact_id"], clean["subject"], clean["year"], clean["edition"])
            if key in seen:
                imp.quarantine(file=file, line=line, field="fact_id", value=clean["fact_id"], raw=raw,
                               reason="repeated fact_id, subject, year and edition")
                continue
            seen.add(key)
            clean["source_file"], clean["source_line"] = file, line
            for c in out:
                out[c].append(clean.get(c))
        types = {"year": pa.int32(), "value": pa.float64(), "low": pa.float64(), "high": pa.float64(),
                 "source_line": pa.int32()}
        imp.insert("sector_facts", pa.table({c: pa.array(v, types.get(c, pa.string())) for c, v in out.items()}))
    return imp.result


def _read(path: Path) -> list[tuple[str, int, dict[str, str], str]]:
    src = read_csv_file(path)
    header = [h.strip().lower() for h in src.header]
    if "source_document" not in header:
        raise FormatError(f"{path}: no source_document column: no fact in it could name its source, so none is "
                          "loaded", path=str(path), line=1, field="source_document")
    missing = [c for c in ("fact_id", "sector", "subject", "basis", "name", "statement") if c not in header]
    if missing:
        raise FormatError(f"{path}: no column(s) {', '.join(missing)}", path=str(path), line=1, field=missing[0])
    out = []
    for line, cells in src.records():
        values = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        out.append((path.name, line, values, ",".join(cells)))
    return out


def _clean(v: dict[str, str], sectors: frozenset[str]) -> dict[str, Any] | tuple[str, str]:
    if not v.get("source_document"):
        return "source_document", "no source document: every fact must cite the document that states it"
    for c in ("fact_id", "name", "statement"):
        if not v.get(c):
            return c, f"no {c}"
    out: dict[str, Any] = {c: (v.get(c) or None) for c in COLUMNS}
    out["fact_id"] = v["fact_id"].lower()
    sector = v.get("sector", "").strip().lower()
    if sector not in sectors:
        return "sector", f"unknown sector {v.get('sector')!r} (known: {', '.join(sorted(sectors))})"
    out["sector"] = sector
    subject = v.get("subject", "")
    iso3 = WORLD if subject.strip().upper() in (WORLD, "WORLD") else to_iso3(subject)
    if iso3 is None:
        return "subject", f"unknown economy {subject!r} (an ISO3 code, a name, or WLD for the world)"
    out["subject"] = iso3
    year = v.get("year", "").removesuffix(".0")
    if year:
        if not re.fullmatch(r"\d{4}", year) or not 1900 <= int(year) <= 2100:
            return "year", f"{v.get('year')!r} is not a year between 1900 and 2100"
        out["year"] = int(year)
    for c in _NUMBERS:
        try:
            out[c] = read_number(v.get(c), percent=True)
        except NumberError as exc:
            return c, str(exc)
    basis = v.get("basis", "").strip().lower()
    if basis == "reported":
        if out["value"] is None:
            return "value", "a reported fact needs its value"
        if out["low"] is not None or out["high"] is not None:
            return "low", "a reported fact has a value, not an interval"
    elif basis == "bounded":
        if out["low"] is None or out["high"] is None:
            return "low", "a bounded fact needs low and high"
        if out["value"] is not None:
            return "value", "a bounded fact has an interval, not a value (a midpoint would be a number no source gives)"
    elif basis == "qualitative":
        if not v.get("label"):
            return "label", "a qualitative fact needs its label (the source's words)"
        if out["value"] is not None:
            return "value", "a qualitative fact has no value"
    else:
        return "basis", f"basis {v.get('basis')!r} is not one of reported, bounded, qualitative"
    if out["low"] is not None and out["high"] is not None and out["low"] > out["high"]:
        return "low", f"low {out['low']:g} is above high {out['high']:g}"
    out["basis"] = basis
    return out


@dataclass(frozen=True)
class Fact:
    """One fact of the ledger as a typed figure, with what it measures and the statement it rests on."""

    fact_id: str
    sector: str
    subject: str
    year: int | None
    name: str
    statement: str
    edition: str | None
    figure: Figure


def read_facts(store: Store, sector: str | None = None, subject: str | None = None) -> list[Fact]:
    """Facts of the loaded ledgers (the newest dataset wins per ``fact_id, subject, year, edition``),
    optionally for one sector and one subject, ordered by fact, subject and year."""
    from autarky.sectors._tables import has_table

    if not has_table(store, "sector_facts"):
        return []
    where, params = ["1=1"], []
    if sector is not None:
        where.append("f.sector = ?")
        params.append(sector)
    if subject is not None:
        where.append("f.subject = ?")
        params.append(subject)
    rows = store.query(
        "SELECT f.*, d.name AS dataset_name, d.vintage, d.licence FROM sector_facts f JOIN datasets d USING "
        f"(dataset_id) WHERE {' AND '.join(where)} QUALIFY row_number() OVER (PARTITION BY f.fact_id, f.subject, "
        "f.year, f.edition ORDER BY d.loaded_at DESC, d.dataset_id DESC) = 1 "
        "ORDER BY f.sector, f.fact_id, f.subject, f.year NULLS LAST, f.edition", params).to_pylist()
    return [_fact(r) for r in rows]


def _fact(r: dict[str, Any]) -> Fact:
    published = ", ".join(p for p in (r["source_publisher"], r["edition"], r["source_date"]) if p)
    year = None if r["year"] is None else int(r["year"])
    document = SourceRef(dataset=r["source_document"], vintage=r["source_date"], url=r["source_url"],
                         locator="; ".join(p for p in (published, r["source_locator"]) if p) or None, year=year)
    row = SourceRef(dataset=r["dataset_name"], dataset_id=int(r["dataset_id"]), vintage=r["vintage"],
                    licence=r["licence"], file=r["source_file"],
                    lines=(int(r["source_line"]),) if r["source_line"] is not None else (),
                    locator=f"{r['fact_id']}, {r['subject']}, {year if year is not None else 'undated'}", year=year)
    note = r["notes"]
    basis = Basis(r["basis"])
    figure = Figure(basis, value=r["value"], low=r["low"], high=r["high"], label=r["label"], unit=r["unit"],
                    sources=(document, row), note=note)
    return Fact(r["fact_id"], r["sector"], r["subject"], year, r["name"], r["statement"], r["edition"], figure)
