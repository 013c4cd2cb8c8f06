"""Load World Bank WDI indicators (tidy CSV, bulk CSV or zip, API JSON pages) into ``indicator_values``.

``load_wdi(store, path)`` reads ``path`` (:mod:`autarky.indicators.wdi_readers`: a malformed file raises
one :class:`~autarky.errors.FormatError` and loads nothing), checks every value and writes the good ones in
one transaction.  A value is quarantined, with file, line, field and reason, when:

* it does not parse as a number (:func:`autarky.numbers.read_number`); an empty cell or JSON ``null`` is
  a missing value, not an error, and is skipped;
* its economy is neither an ISO 3166 economy nor a WDI code (aggregates such as ``WLD``, ``EUU``, and the
  few WDI economies outside ISO 3166, listed in ``data/wdi-science-technology/wdi_economies.csv``);
* its year is not a year from 1960 (WDI's first) to the current year;
* it repeats an indicator, economy and year already read in the same import.

Aggregates are flagged from the file where it says (tidy ``is_aggregate``; the bulk zip's country metadata,
blank ``Region``), else from the bundled WDI code list.  The dataset is named ``wdi`` (``wdi:<codes>`` for
a load of one to three indicators, see :func:`default_name`) and its vintage is the release date the files
state ("Last Updated Date" in a bulk CSV, ``lastupdated`` in API JSON, the newest if several), so a refresh
from the API is kept beside the bundled release and queries read, for each indicator, economy and year,
the value of the newest vintage.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa

from autarky.data import bundled_path
from autarky.errors import UsageError
from autarky.geo.economies import iso3_codes
from autarky.indicators.wdi_readers import RawValue, read_wdi
from autarky.numbers import NumberError, read_number
from autarky.store import DatasetMeta, Importer, ImportResult, Progress, Store, hash_paths

log = logging.getLogger(__name__)

__all__ = ["FIRST_YEAR", "WDI_ATTRIBUTION", "default_name", "load_wdi", "wdi_codes"]

FIRST_YEAR = 1960
WDI_ATTRIBUTION = (
    "The World Bank: World Development Indicators (CC BY 4.0); original sources per indicator: UNESCO "
    "Institute for Statistics, WIPO, NSF Science and Engineering Indicators, UN Comtrade (WITS), IMF BoP, "
    "World Bank and OECD national accounts"
)


def default_name(codes: list[str]) -> str:
    """``wdi:<code>[+<code>…]`` for a load of one to three indicators, else ``wdi``.

    Loads of the same name and vintage replace each other; naming small loads after their indicators lets a
    user (or the fetcher) refresh indicators one at a time from the API without one refresh replacing another.
    """
    return "wdi:" + "+".join(codes) if 1 <= len(codes) <= 3 else "wdi"


@cache
def wdi_codes() -> dict[str, tuple[str, bool]]:
    """WDI economy and aggregate codes: code -> (WDI name, is_aggregate), from the bundled list."""
    path = bundled_path("wdi-science-technology/wdi_economies.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["code"]: (r["name"], r["is_aggregate"] == "true") for r in csv.DictReader(fh)}


def load_wdi(store: Store, path: Path, *, progress: Progress | None = None, name: str | None = None,
             vintage: str | None = None, **unknown: Any) -> ImportResult:
    """Load WDI values from ``path`` (file or folder, layout detected from content) into ``store``.

    ``name`` (default ``wdi``) and ``vintage`` (default: the release date the files state) override the
    dataset's identity.
    """
    given = [k for k, v in unknown.items() if v is not None]
    if given:
        raise UsageError(f"a wdi import takes no option {', '.join(map(repr, given))} (its layout is read "
                         "from the content)")
    path = Path(path)
    src = read_wdi(path)
    stated = max(src.vintages) if src.vintages else None
    digest = hashlib.sha256((hash_paths(src.files) + json.dumps({"name": name, "vintage": vintage})).encode())
    codes = sorted({v.indicator_code for v in src.values if v.indicator_code})
    meta = DatasetMeta(
        name=name or default_name(codes),
        kind="wdi",
        vintage=vintage or stated or "current",
        content_hash=digest.hexdigest(),
        publisher="The World Bank, World Development Indicators",
        licence="CC BY 4.0",
        attribution=WDI_ATTRIBUTION,
        source=str(path),
        params={"layouts": sorted(src.layouts)},
    )
    with store.importer(meta) as imp:
        if imp.unchanged:
            return imp.result
        imp.rows_read += len(src.values)
        for subject, message in src.warnings:
            imp.warn(subject, message)
        for message in src.missing_pages():
            imp.warn(str(path), message)
        table = _validate(src.values, src.aggregates, imp, progress)
        imp.insert("indicator_values", table)
    return imp.result


def _validate(values: list[RawValue], aggregates: dict[str, bool], imp: Importer,
              progress: Progress | None) -> pa.Table:
    known = iso3_codes()
    wdi = wdi_codes()
    last_year = date.today().year
    seen: set[tuple[str, str, int]] = set()
    cols: dict[str, list[Any]] = {k: [] for k in (
        "indicator_code", "indicator_name", "economy", "economy_name", "is_aggregate", "year", "value",
        "source_file", "source_line")}

    def reject(v: RawValue, fld: str, value: object, reason: str) -> None:
        imp.quarantine(file=v.file, line=v.line, field=fld, value=value, reason=reason, raw=v.raw)

    total = len(values)
    missing = 0
    for i, v in enumerate(values):
        if progress is not None and i % 20000 == 0:
            progress(i, total, "wdi: checking values")
        if not v.indicator_code:
            reject(v, "indicator_code", "", "no indicator code")
            continue
        if not v.economy:
            reject(v, "economy", v.economy_name, "no ISO3 economy code (countryiso3code is empty)")
            continue
        if v.economy not in known and v.economy not in wdi:
            reject(v, "economy", v.economy, f"unknown economy code {v.economy!r}: neither ISO 3166 nor WDI")
            continue
        year = int(v.year) if v.year.isdigit() and len(v.year) == 4 else None
        if year is None:
            reject(v, "year", v.year, f"{v.year!r} is not a year (annual observations only)")
            continue
        if not FIRST_YEAR <= year <= last_year:
            reject(v, "year", v.year, f"year {year} is out of range {FIRST_YEAR}-{last_year}")
            continue
        try:
            number = read_number(v.value)
        except NumberError as exc:
            reject(v, "value", v.value, str(exc))
            continue
        if number is None:
            missing += 1
            continue  # a missing value: WDI publishes none for this year
        key = (v.indicator_code, v.economy, year)
        if key in seen:
            reject(v, "value", v.value, f"duplicate value for {v.indicator_code}, {v.economy}, {year}")
            continue
        seen.add(key)
        if v.is_aggregate is not None:
            agg = v.is_aggregate
        elif v.economy in aggregates:
            agg = aggregates[v.economy]
        else:
            agg = wdi[v.economy][1] if v.economy in wdi else False
        cols["indicator_code"].append(v.indicator_code)
        cols["indicator_name"].append(v.indicator_name)
        cols["economy"].append(v.economy)
        cols["economy_name"].append(v.economy_name)
        cols["is_aggregate"].append(agg)
        cols["year"].append(year)
        cols["value"].append(number)
        cols["source_file"].append(v.file.rsplit("/", 1)[-1])
        cols["source_line"].append(v.line)
    imp.skip(missing, "empty or not-a-number values (no observation for that year)")
    if progress is not None:
        progress(total, total, "wdi: writing")
    return pa.table({
        **{k: pa.array(cols[k], pa.string()) for k in ("indicator_code", "indicator_name", "economy",
                                                        "economy_name", "source_file")},
        "is_aggregate": pa.array(cols["is_aggregate"], pa.bool_()),
        "year": pa.array(cols["year"], pa.int32()),
        "value": pa.array(cols["value"], pa.float64()),
        "source_line": pa.array(cols["source_line"], pa.int32()),
    })
