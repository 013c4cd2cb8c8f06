"""The sample datasets shipped inside the package, and loading them into a store (``autarky init``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from autarky import loaders
from autarky.data import bundled_path
from autarky.store import ImportResult, Progress, Store

log = logging.getLogger(__name__)

__all__ = ["BUNDLED", "BundledDataset", "bundled_path", "load_bundled"]


@dataclass(frozen=True)
class BundledDataset:
    kind: str
    path: str  # relative to autarky/data
    licence: str
    options: dict[str, Any] = field(default_factory=dict)


#: In load order (the HS nomenclature before trade, maps before the ledger that links to them).
#: In load order: every chain map before the measures and map links, whose identity includes the maps
#: their node ids were checked against (a map loaded after them would make a second init re-import them).
BUNDLED: tuple[BundledDataset, ...] = (
    BundledDataset("eto", "eto-chip-explorer-2026", "CC BY-NC 4.0"),
    BundledDataset("chains", "chains/li-ion-batteries", "CC BY 4.0"),
    BundledDataset("chains", "chains/critical-minerals", "CC BY 4.0 (compilation; USGS public domain, IEA CC BY 4.0)"),
    BundledDataset("chains", "chains/robot-components", "CC BY 4.0 (autarky); figures quoted with attribution"),
    BundledDataset("chains", "chains/pharma-api", "CC BY 4.0 (autarky); FDA testimony (public domain)"),
    BundledDataset("hs", "hs", "ODC-PDDL-1.0 (nomenclature); Apache-2.0 (concordances)"),
    BundledDataset("sectors", "sectors/strategic_sectors.csv", "MIT (autarky)"),
    BundledDataset("baci", "baci-sample", "Etalab Open Licence 2.0"),
    BundledDataset("comtrade", "comtrade-samples", "UN Comtrade terms of use"),
    BundledDataset("io", "mrio-test", "LGPL-3.0", {"layout": "pymrio"}),
    BundledDataset("io", "oecd-iot-chn", "CC BY 4.0", {"layout": "oecd"}),
    BundledDataset("ledger", "ledger", "MIT (autarky); facts cited per row"),
    BundledDataset("wdi", "wdi-science-technology", "CC BY 4.0"),
    BundledDataset("series", "series", "MIT (autarky); facts cited per row",
                   {"name": "autarky-series", "licence": "MIT (autarky); facts cited per row"}),
    BundledDataset("map-links", "chains/critical-minerals/feeds.csv", "CC BY 4.0 (autarky); sources per row"),
    BundledDataset("measures", "measures", "MIT (autarky); facts cited per row; see data/measures/README.md"),
    BundledDataset("ev-outlook", "iea-gevo-2024", "CC BY 4.0 (IEA)", {"name": "iea-gevo-2024"}),
    BundledDataset("sector-facts", "sectors-evidence/facts.csv", "MIT (autarky); facts cited per row",
                   {"name": "sector-facts", "licence": "MIT (autarky); facts cited per row"}),
)


def load_bundled(store: Store, progress: Progress | None = None,
                 on_start: Any = None) -> list[ImportResult]:
    """Load every bundled dataset whose reader exists in this version; skips the rest (logged)."""
    results: list[ImportResult] = []
    for ds in BUNDLED:
        path = bundled_path(ds.path)
        if not path.exists() or not loaders.available(ds.kind):
            log.info("bundled %s (%s): no reader in this version, skipped", ds.path, ds.kind)
            continue
        if on_start is not None:
            on_start(ds)
        results.append(loaders.run_loader(store, ds.kind, path, progress=progress, **ds.options))
    return results
