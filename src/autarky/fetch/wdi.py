"""World Bank World Development Indicators through the Indicators API v2.

``https://api.worldbank.org/v2/country/CHN;USA/indicator/GB.XPD.RSDV.GD.ZS?format=json&per_page=1000&page=1``
(World Bank Data Help Desk, "API Basic Call Structures", https://datahelpdesk.worldbank.org/knowledgebase/
articles/898581): economies separated by ``;``, ``date=2000:2020`` for a range, pages of ``per_page``
records.  Each answer is a two-element array ``[{"page", "pages", "per_page", "total", "sourceid",
"lastupdated"}, [records]]``; an error is a one-element array ``[{"message": [{"id", "key", "value"}]}]``.
One request per indicator and page; every page is saved exactly as received
(``<indicator>_p0001.json`` …) into one folder per query, which the ``wdi`` loader reads.  Licence:
CC BY 4.0 (attribute the World Bank and the original sources each indicator names).
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from autarky.errors import FormatError, UsageError
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

log = logging.getLogger(__name__)

__all__ = ["fetch_wdi"]

_INDICATOR = re.compile(r"^[A-Za-z0-9_.]+$")
_ECONOMY = re.compile(r"^[A-Za-z0-9]{2,3}$")


def _check(data: Any, url: str) -> tuple[dict[str, Any], list[Any]]:
    if isinstance(data, list) and len(data) == 1 and isinstance(data[0], dict) and "message" in data[0]:
        messages = data[0]["message"] or [{}]
        text = "; ".join(f"{m.get('key', '')}: {m.get('value', '')}".strip(": ") for m in messages)
        raise UsageError(f"the World Bank API refused the query: {text} ({url})")
    if not (isinstance(data, list) and len(data) == 2 and isinstance(data[0], dict)):
        raise FormatError("not a World Bank API v2 answer (expected [metadata, records])", path=url)
    records = data[1] if isinstance(data[1], list) else []
    return data[0], records


def fetch_wdi(store: StoreArg, *, indicators: Sequence[str], economies: Sequence[str] = ("all",),
              years: tuple[int, int] | None = None, per_page: int = 1000,
              config: FetchConfig | None = None) -> FetchResult:
    """Download the API pages of ``indicators`` for ``economies`` (ISO3 codes, World Bank aggregates or
    ``all``) and import the folder with the ``wdi`` loader (``store=None``: download only)."""
    config = config or FetchConfig()
    src = source("wdi")
    inds = [i.strip() for i in indicators if i.strip()]
    econ = [e.strip().upper() if e.strip().lower() != "all" else "all" for e in economies if e.strip()]
    if not inds:
        raise UsageError("name at least one indicator, e.g. GB.XPD.RSDV.GD.ZS")
    bad = [i for i in inds if not _INDICATOR.match(i)] + [e for e in econ if not _ECONOMY.match(e)]
    if bad:
        raise UsageError(f"not an indicator or economy code: {', '.join(bad)}")
    if not 1 <= per_page <= 32500:
        raise UsageError("per_page must be between 1 and 32500")
    require_loader(store, src.kind)
    root = base_url("wdi", config.base_url)
    query = f"{';'.join(sorted(inds))}|{';'.join(sorted(econ))}|{years}"
    slug = f"{safe_name('-'.join(sorted(econ)))[:40]}_{hashlib.sha256(query.encode()).hexdigest()[:10]}"
    folder = config.folder("wdi")
    final, staging = folder / slug, folder / f"{slug}.part"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    files: list[FetchedFile] = []
    notes: list[str] = []
    with config.transfer() as t:
        for ind in inds:
            url = f"{root}country/{';'.join(econ)}/indicator/{ind}"
            page, pages = 1, 1
            while page <= pages:
                params = {"format": "json", "per_page": str(per_page), "page": str(page)}
                if years is not None:
                    params["date"] = f"{years[0]}:{years[1]}"
                data, raw, headers = t.get_json(url, params=params)
                full = str(t.client.build_request("GET", url, params=params).url)
                meta, records = _check(data, full)
                pages = int(meta.get("pages") or 1)
                if int(meta.get("total") or 0) == 0:
                    notes.append(f"{ind}: no data for {', '.join(econ)}")
                    break
                d = page_download(full, staging / f"{safe_name(ind)}_p{page:04d}.json", raw, headers)
                files.append(FetchedFile.of("wdi", d, src.licence))
                if config.progress is not None:
                    config.progress(page, pages, f"WDI {ind}: page {page} of {pages}")
                log.info("WDI %s page %d/%d: %d records", ind, page, pages, len(records))
                page += 1
    swap_folder(staging, final)
    files = [replace(f, path=str(final / Path(f.path).name)) for f in files]
    st = resolve_store(store) if files else None
    if st is None:
        if not files:
            notes.append("nothing to import")
        return FetchResult("wdi", src.licence, final, tuple(files), notes=tuple(notes))
    result = import_and_record(st, "wdi", final, files, progress=config.progress)
    return FetchResult("wdi", src.licence, final, tuple(files), (result,), tuple(notes))
