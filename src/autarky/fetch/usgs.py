"""USGS Mineral Commodity Summaries data releases, from ScienceBase.

Each MCS data release is a ScienceBase catalog item (its DOI lands there; e.g. the MCS 2026 data release,
https://doi.org/10.5066/P1WKQ63T, per its record on data.usgs.gov).  ``GET https://www.sciencebase.gov/
catalog/item/<id>?format=json`` describes the item; its ``files`` list each file's ``name``, ``size``,
``downloadUri`` (or ``url``) and, where ScienceBase has one, a ``checksum`` ``{"type": "MD5", "value": …}``,
which autarky verifies.  The files matching ``pattern`` (``*.csv`` by default) are downloaded with the
item's JSON beside them.  No autarky loader reads the MCS tables yet: the files are downloaded only.
Licence: public domain (a U.S. Government work).
"""

from __future__ import annotations

import fnmatch
import logging
import re
from typing import Any

from autarky.errors import FormatError, UsageError
from autarky.fetch.record import FetchedFile
from autarky.fetch.result import FetchResult, page_download, safe_name
from autarky.fetch.sources import FetchConfig, base_url, source

log = logging.getLogger(__name__)

__all__ = ["fetch_usgs"]


def fetch_usgs(*, item: str, pattern: str = "*.csv", config: FetchConfig | None = None) -> FetchResult:
    """Download the files of ScienceBase ``item`` whose names match ``pattern`` (checksums verified)."""
    config = config or FetchConfig()
    src = source("usgs")
    if not re.fullmatch(r"[0-9a-fA-F]{24}", item):
        raise UsageError(f"not a ScienceBase item id {item!r} (24 hexadecimal digits, from the release's DOI page)")
    url = f"{base_url('usgs', config.base_url)}catalog/item/{item}"
    folder = config.folder("usgs") / item
    folder.mkdir(parents=True, exist_ok=True)
    files: list[FetchedFile] = []
    with config.transfer() as t:
        data, raw, headers = t.get_json(url, params={"format": "json"})
        if not isinstance(data, dict) or not isinstance(data.get("files", []), list):
            raise FormatError("not a ScienceBase item (expected an object with a files list)", path=url)
        files.append(FetchedFile.of("usgs", page_download(f"{url}?format=json", folder / "item.json", raw, headers),
                                    src.licence))
        entries: list[dict[str, Any]] = [f for f in data.get("files") or [] if isinstance(f, dict)]
        chosen = [f for f in entries if fnmatch.fnmatch(str(f.get("name", "")), pattern)]
        if not chosen:
            names = ", ".join(str(f.get("name")) for f in entries) or "none"
            raise UsageError(f"ScienceBase item {item} has no file matching {pattern!r}; it has: {names}")
        for entry in chosen:
            name = safe_name(str(entry["name"]))
            address = entry.get("downloadUri") or entry.get("url")
            if not address:
                raise FormatError(f"file {name} has no downloadUri", path=url)
            checksum = entry.get("checksum") if isinstance(entry.get("checksum"), dict) else None
            expected = ((str(checksum["type"]).lower(), str(checksum["value"]))
                        if checksum and checksum.get("type") and checksum.get("value") else None)
            d = t.download(str(address), folder / name, description=name, refresh=config.refresh,
                           expected=expected)
            files.append(FetchedFile.of("usgs", d, src.licence))
    title = str(data.get("title") or item)
    return FetchResult("usgs", src.licence, folder, tuple(files),
                       notes=(f"{title}: downloaded only (no autarky loader reads the MCS tables yet)",))
