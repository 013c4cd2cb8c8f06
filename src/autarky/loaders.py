"""Importer registry: ``autarky import KIND PATH`` and ``autarky init`` find loaders here.

Each kind names a function ``load(store, path, *, progress=None, **options) -> ImportResult`` in its
domain.  Loaders are imported lazily, so a domain that is missing or whose optional dependency is absent
does not stop the others.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autarky.errors import UsageError

if TYPE_CHECKING:
    from autarky.store import ImportResult, Progress, Store

__all__ = ["LOADERS", "Loader", "get_loader", "run_loader"]


Loader = Callable[..., "ImportResult"]


@dataclass(frozen=True)
class LoaderSpec:
    target: str  # "module:function"
    help: str


LOADERS: dict[str, LoaderSpec] = {
    "eto": LoaderSpec("autarky.chains.eto:load_eto", "ETO Advanced Semiconductor Supply Chain folder"),
    "chains": LoaderSpec("autarky.chains.generic:load_generic", "generic supply-chain CSV folder"),
    "hs": LoaderSpec("autarky.trade.hs:load_hs", "HS nomenclature and concordances folder"),
    "sectors": LoaderSpec("autarky.trade.sectors:load_sectors", "strategic-sector concordance CSV"),
    "baci": LoaderSpec("autarky.trade.baci:load_baci", "CEPII BACI CSV, folder or release zip"),
    "comtrade": LoaderSpec("autarky.trade.comtrade:load_comtrade", "UN Comtrade bulk or API CSV"),
    "io": LoaderSpec("autarky.io.store:load_io_table", "input-output table (--layout pymrio|icio|national|oecd)"),
    "ledger": LoaderSpec("autarky.money.ledger:load_ledger", "investment ledger: CSV, XLSX or JSON"),
    "series": LoaderSpec("autarky.indicators.series:load_series", "published series and targets: CSV, XLSX or JSON"),
    "wdi": LoaderSpec("autarky.indicators.wdi:load_wdi", "World Bank WDI: tidy CSV, bulk CSV/zip or API JSON pages"),
    "measures": LoaderSpec("autarky.measures.loader:load_measures", "export-control measures: CSV, XLSX or JSON"),
    "map-links": LoaderSpec("autarky.measures.links:load_map_links", "cross-map links CSV (feeds.csv)"),
    "bom": LoaderSpec("autarky.company.loader:load_bom", "a company's bill of materials: CSV, XLSX or JSON"),
    "ev-outlook": LoaderSpec("autarky.sectors.ev_outlook:load_ev_outlook", "IEA Global EV Data Explorer CSV"),
    "sector-facts": LoaderSpec("autarky.sectors.facts:load_sector_facts", "sector facts ledger CSV (sources required)"),
}


def get_loader(kind: str) -> Loader:
    """The loader function for ``kind``; a clear error if the kind is unknown or not available."""
    spec = LOADERS.get(kind)
    if spec is None:
        raise UsageError(f"unknown import kind {kind!r}; known: {', '.join(sorted(LOADERS))}")
    module_name, func = spec.target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("autarky"):
            raise UsageError(f"import kind {kind!r} is not available in this version") from exc
        raise
    fn: Loader = getattr(module, func)
    return fn


def available(kind: str) -> bool:
    try:
        get_loader(kind)
    except (UsageError, AttributeError):
        return False
    return True


def run_loader(store: Store, kind: str, path: Path, progress: Progress | None = None,
               **options: Any) -> ImportResult:
    from autarky.store.limits import check_input

    loader = get_loader(kind)
    check_input(kind, Path(path))  # no line over 1 MiB in any text file the loader will read
    return loader(store, Path(path), progress=progress, **options)
