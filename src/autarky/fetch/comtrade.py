"""UN Comtrade+ API: final annual goods trade by HS code.

``GET https://comtradeapi.un.org/data/v1/get/C/A/HS?reporterCode=156&partnerCode=842&period=2020&
cmdCode=8542&flowCode=M,X&…`` with the subscription key in the ``Ocp-Apim-Subscription-Key`` header
(UN Comtrade developer portal, https://comtradedeveloper.un.org; the layout is the one the UN's own
``comtradeapicall`` and rOpenSci's ``comtradr`` use).  An answer is
``{"elapsedTime": "0.03 secs", "count": 4, "data": [{47 fields: typeCode … primaryValue … isAggregate}],
"error": ""}``.  The API has no paging: an answer holds at most ``maxRecords`` rows (100,000 on the free
subscription), so autarky asks one year at a time and, when an answer comes back full, splits the HS
codes (then the partners) in halves and asks again.  HTTP 429 is honoured (``Retry-After``) and calls
are spaced by ``min_interval`` seconds.  ``breakdownMode=classic`` with partner 2 World, customs
procedure ``C00`` and transport mode ``0`` asks for totals only, the rows the ``comtrade`` loader keeps.

Economies are given as ISO3 codes (or Comtrade's numeric codes): Comtrade codes some economies with
its own numbers (842 USA, 251 France, 699 India, 757 Switzerland), and autarky maps ISO3 to them with
CEPII's BACI country table, which uses Comtrade's codes (bundled ``country_codes_V*.csv``); Taiwan is
490 "Other Asia, nes".  Every answer is kept exactly as received (JSON) and the rows are written, with
the API's own field names, to one CSV that the ``comtrade`` loader imports.  Licence: UN Comtrade
terms of use.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import os
import re
import shutil
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from autarky.data import bundled_path
from autarky.errors import AuthError, DataError, FormatError, UsageError
from autarky.fetch.http import Transfer
from autarky.fetch.record import FetchedFile
from autarky.fetch.result import (
    FetchResult,
    StoreArg,
    import_and_record,
    page_download,
    require_loader,
    resolve_store,
    safe_name,
    swap_folder,
)
from autarky.fetch.sources import FetchConfig, base_url, source
from autarky.trade.codes import read_baci_country_codes

log = logging.getLogger(__name__)

__all__ = ["API_KEY_ENV", "comtrade_code", "fetch_comtrade"]

#: The environment variable holding the Comtrade+ subscription key.
API_KEY_ENV = "COMTRADE_API_KEY"
#: Rows per answer on the free subscription (comtradeapicall, comtradr).
FREE_MAX_RECORDS = 100_000
_HS = re.compile(r"^(\d{2}|\d{4}|\d{6}|TOTAL|AG2|AG4|AG6|ALL)$")
_FLOWS = {"M", "X", "RM", "RX"}


@cache
def _iso3_to_code() -> dict[str, int]:
    """ISO3 → Comtrade numeric code, from the newest BACI country table bundled with autarky."""
    folder = bundled_path("baci-sample")
    tables = sorted(folder.glob("country_codes_V*.csv"), reverse=True)
    out: dict[str, int] = {"TWN": 490}
    for table in tables:
        for code, name, iso3 in read_baci_country_codes(table):
            if iso3 and iso3 not in out and not name.lower().startswith("fmr"):
                out[iso3] = code
    return out


def comtrade_code(economy: str) -> str:
    """Comtrade's numeric code for an ISO3 code (``USA`` → ``842``); digits pass through; ``W00``/World → 0."""
    text = economy.strip().upper()
    if text.isdigit():
        return str(int(text))
    if text in ("W00", "WLD", "WORLD"):
        return "0"
    code = _iso3_to_code().get(text)
    if code is None:
        raise UsageError(f"no UN Comtrade code for {economy!r}: give an ISO3 code (CHN, USA…) or Comtrade's "
                         "numeric code")
    return str(code)


def _split(values: list[str]) -> tuple[list[str], list[str]]:
    half = len(values) // 2
    return values[:half], values[half:]


class _Query:
    def __init__(self, t: Transfer, url: str, key: str, fixed: dict[str, str], max_records: int,
                 staging: Path, licence: str) -> None:
        self.t, self.url, self.fixed, self.max_records = t, url, fixed, max_records
        self.headers = {"Ocp-Apim-Subscription-Key": key}
        self.staging, self.licence = staging, licence
        self.files: list[FetchedFile] = []
        self.rows: list[dict[str, Any]] = []

    def ask(self, period: str, cmds: list[str], partners: list[str] | None) -> None:
        params = {**self.fixed, "period": period, "cmdCode": ",".join(cmds),
                  "maxRecords": str(self.max_records)}
        if partners is not None:
            params["partnerCode"] = ",".join(partners)
        full = str(self.t.client.build_request("GET", self.url, params=params).url)
        data, raw, headers = self.t.get_json(self.url, params=params, headers=self.headers)
        if not isinstance(data, dict) or not isinstance(data.get("data", []), list):
            raise FormatError("not a Comtrade+ API answer (expected {elapsedTime, count, data, error})", path=full)
        if data.get("error"):
            raise DataError(f"UN Comtrade answered an error for period {period}: {data['error']}")
        rows = data.get("data") or []
        if len(rows) >= self.max_records:
            if len(cmds) > 1:
                log.info("Comtrade %s: %d rows, the cap; splitting %d HS codes", period, len(rows), len(cmds))
                for part in _split(cmds):
                    self.ask(period, part, partners)
                return
            if partners is not None and len(partners) > 1:
                for part in _split(partners):
                    self.ask(period, cmds, part)
                return
            raise DataError(f"UN Comtrade returned its cap of {self.max_records} rows for {period}, HS "
                            f"{cmds[0]}: the answer is incomplete; ask for fewer partners or a narrower code")
        n = len(self.files) + 1
        d = page_download(full, self.staging / f"{period}_{n:04d}.json", raw, headers)
        self.files.append(FetchedFile.of("comtrade", d, self.licence))
        self.rows.extend(r for r in rows if isinstance(r, dict))


def _write_csv(rows: list[dict[str, Any]], path: Path) -> None:
    """The rows with the API's own field names, in the API's order; null → empty, booleans as true/false."""
    fields: list[str] = []
    for r in rows:
        fields.extend(k for k in r if k not in fields)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(fields)
        for r in rows:
            w.writerow(["" if (v := r.get(f)) is None else str(v).lower() if isinstance(v, bool) else v
                        for f in fields])
    os.replace(tmp, path)


def fetch_comtrade(store: StoreArg, *, reporters: Sequence[str], years: Sequence[int],
                   partners: Sequence[str] | None = None, hs: Sequence[str] = ("TOTAL",),
                   flows: Sequence[str] = ("M", "X"), api_key: str | None = None,
                   max_records: int = FREE_MAX_RECORDS, min_interval: float = 1.0,
                   config: FetchConfig | None = None) -> FetchResult:
    """Ask the Comtrade+ API for ``reporters``' trade with ``partners`` (all when None) in ``hs`` codes,
    one year at a time; keep the answers, write one CSV and import it with the ``comtrade`` loader.

    The key comes from ``api_key`` or ``$COMTRADE_API_KEY`` and travels in a header only (it is never
    written to the cache or the store).
    """
    config = config or FetchConfig()
    src = source("comtrade")
    key = api_key or os.environ.get(API_KEY_ENV)
    if not key:
        raise AuthError(f"the UN Comtrade+ API needs a subscription key: set {API_KEY_ENV} (a free key comes "
                        "from https://comtradedeveloper.un.org)")
    if not reporters or not years:
        raise UsageError("name the reporters and the years, e.g. --reporters CHN --years 2020")
    codes = [c.strip().upper() for c in hs if c.strip()] or ["TOTAL"]
    bad = [c for c in codes if not _HS.match(c)] + [f for f in flows if f.upper() not in _FLOWS]
    if bad:
        raise UsageError(f"not an HS code or flow: {', '.join(bad)} (HS: 2, 4 or 6 digits or TOTAL; flows M, X)")
    rep = [comtrade_code(r) for r in reporters]
    par = [comtrade_code(p) for p in partners] if partners else None
    require_loader(store, src.kind)
    url = base_url("comtrade", config.base_url) + "data/v1/get/C/A/HS"
    fixed = {"reporterCode": ",".join(rep), "flowCode": ",".join(f.upper() for f in flows),
             "partner2Code": "0", "customsCode": "C00", "motCode": "0", "breakdownMode": "classic",
             "includeDesc": "true", "format": "JSON"}
    query = f"{fixed}|{par}|{codes}|{sorted(set(years))}"
    label = f"{'-'.join(reporters)}_{min(years)}-{max(years)}"
    slug = f"{safe_name(label)[:40]}_{hashlib.sha256(query.encode()).hexdigest()[:10]}"
    folder = config.folder("comtrade")
    final, staging = folder / slug, folder / f"{slug}.part"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    with config.transfer(min_interval=min_interval) as t:
        q = _Query(t, url, key, fixed, max_records, staging, src.licence)
        for i, year in enumerate(sorted(set(years)), start=1):
            q.ask(str(year), codes, par)
            if config.progress is not None:
                config.progress(i, len(set(years)), f"Comtrade {year}")
    csv_path = staging / f"comtrade-api_{slug}.csv"
    notes: list[str] = []
    if q.rows:
        _write_csv(q.rows, csv_path)
    else:
        notes.append("UN Comtrade has no rows for this query; nothing to import")
    swap_folder(staging, final)
    files = tuple(replace(f, path=str(final / Path(f.path).name)) for f in q.files)
    csv_final = final / csv_path.name
    st = resolve_store(store) if q.rows else None
    if st is None:
        return FetchResult("comtrade", src.licence, csv_final if q.rows else final, files, notes=tuple(notes))
    result = import_and_record(st, "comtrade", csv_final, files, progress=config.progress,
                               name=f"comtrade-api-{slug}")
    return FetchResult("comtrade", src.licence, csv_final, files, (result,), tuple(notes))
