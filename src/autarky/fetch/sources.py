"""The publishers autarky fetches from: URL layout, licence, loader, and the settings every fetch shares.

Each source's base URL can be overridden (a mirror, a proxy cache, the loopback server of the tests):
the ``base_url`` argument (``--base-url``) first, then the source's environment variable
(``AUTARKY_BACI_URL`` …), then the publisher's own address below.  The local cache is ``cache_dir``
(``--cache-dir``), else ``$AUTARKY_CACHE``, else ``$XDG_CACHE_HOME/autarky``, else ``~/.cache/autarky``;
each source has its own folder in it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from autarky.data import cache_dir
from autarky.errors import UsageError
from autarky.fetch.http import RetryPolicy, Transfer
from autarky.store import Progress

__all__ = ["SOURCES", "FetchConfig", "Source", "base_url", "cache_dir", "source"]


@dataclass(frozen=True)
class Source:
    """A publisher's data as autarky fetches it."""

    name: str
    title: str
    publisher: str
    licence: str
    default_url: str  # base URL; each connector appends the publisher's file layout
    env: str  # environment variable overriding the base URL
    kind: str | None  # loader kind the files are imported with (None: download only)
    layout: str  # the publisher's URL layout below the base URL, for the docs and --help


SOURCES: dict[str, Source] = {s.name: s for s in (
    Source("baci", "CEPII BACI (one zip per HS revision and release)", "CEPII", "Etalab Open Licence 2.0",
           "https://www.cepii.fr/DATA_DOWNLOAD/baci/data/", "AUTARKY_BACI_URL", "baci",
           "BACI_HS{hs}_V{release}.zip"),
    Source("comtrade", "UN Comtrade+ API (final annual data)", "United Nations Statistics Division (UN Comtrade)",
           "UN Comtrade terms of use", "https://comtradeapi.un.org/", "AUTARKY_COMTRADE_URL", "comtrade",
           "data/v1/get/C/A/HS?reporterCode=…&partnerCode=…&period=…&cmdCode=…&flowCode=…"),
    Source("wdi", "World Bank World Development Indicators, API v2", "The World Bank", "CC BY 4.0",
           "https://api.worldbank.org/v2/", "AUTARKY_WDI_URL", "wdi",
           "country/{ISO3;ISO3}/indicator/{code}?format=json&per_page=…&page=…"),
    Source("oecd-icio", "OECD Inter-Country Input-Output tables (zipped CSV releases)", "OECD", "CC BY 4.0",
           "https://stats.oecd.org/", "AUTARKY_OECD_ICIO_URL", "io",
           "wbos/fileview2.aspx?IDFile={id of the release's bundle}"),
    Source("oecd-iot", "OECD national input-output tables (CSV per economy and year)", "OECD", "CC BY 4.0",
           "", "AUTARKY_OECD_IOT_URL", "io", "OECD{edition}ed_{ISO3}_{year}.csv"),
    Source("eto", "ETO Advanced Semiconductor Supply Chain Dataset (chip explorer CSVs)",
           "Georgetown CSET, Emerging Technology Observatory", "CC BY-NC 4.0",
           "https://raw.githubusercontent.com/georgetown-cset/eto-chip-explorer/", "AUTARKY_ETO_URL", "eto",
           "{ref}/data/{stages,inputs,providers,provision,sequence}.csv"),
    Source("usgs", "USGS Mineral Commodity Summaries data releases (ScienceBase)", "U.S. Geological Survey",
           "Public domain (U.S. Government work)", "https://www.sciencebase.gov/", "AUTARKY_USGS_URL", None,
           "catalog/item/{item id}?format=json, then each file's downloadUri"),
)}


def source(name: str) -> Source:
    """The source called ``name``."""
    try:
        return SOURCES[name]
    except KeyError:
        raise UsageError(f"unknown source {name!r}; known: {', '.join(SOURCES)}") from None


def base_url(name: str, explicit: str | None = None) -> str:
    """The base URL of source ``name``: ``explicit``, else its environment variable, else the publisher's.

    Always ends with ``/``.
    """
    s = source(name)
    url = explicit or os.environ.get(s.env) or s.default_url
    if not url:
        raise UsageError(f"{s.title}: no public URL layout is known; pass --base-url (or set {s.env}) "
                         f"to a folder holding {s.layout}")
    return url if url.endswith("/") else url + "/"


@dataclass(frozen=True)
class FetchConfig:
    """Settings every fetch shares (the CLI's common options)."""

    base_url: str | None = None
    cache_dir: Path | None = None
    refresh: bool = False  # download again even if the cache holds a verified copy
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    timeout: float = 60.0
    progress: Progress | None = None

    def folder(self, name: str) -> Path:
        """This source's folder in the cache (created)."""
        path = cache_dir(self.cache_dir) / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def transfer(self, *, min_interval: float = 0.0) -> Transfer:
        return Transfer(timeout=self.timeout, retry=self.retry, progress=self.progress, min_interval=min_interval)
