"""Trade: product-level dependence from CEPII BACI and UN Comtrade.

* Readers and loaders (one transaction per file, bad rows quarantined, flows as Parquet behind the
  store): :func:`load_baci`, :func:`load_comtrade`, :func:`load_hs`, :func:`load_sectors`.
* HS revisions: :func:`convert_flows` with the UN concordances (equal or trade-weighted splits).
* Strategic sectors as data: :func:`sector_concordance`, :func:`select_sectors`.
* Indicators as Ibis expressions (DuckDB or Spark): :mod:`autarky.trade.indicators`, the GeoDep-style
  :func:`dependency_screen`, the China+1 :func:`supplier_shift`, :func:`bilateral_shares` (decoupling).
* Questions asked of a store, returning Arrow tables with their sources: :func:`dependence`,
  :func:`dependence_summary`, :func:`screen`, :func:`shift`, :func:`decoupling`, :func:`coverage`.
* Engines: the store's DuckDB by default, :func:`spark_engine` for Spark (local or a cluster).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from autarky.trade.analysis import (
        FlowSelection,
        coverage,
        decoupling,
        dependence,
        dependence_summary,
        parse_years,
        read_production,
        screen,
        select_flows,
        shift,
        sources_of,
    )
    from autarky.trade.baci import load_baci, load_baci_files
    from autarky.trade.bilateral import bilateral_shares
    from autarky.trade.comtrade import load_comtrade, load_comtrade_files
    from autarky.trade.engine import DuckDBEngine, Engine, SparkEngine, spark_engine, spark_session
    from autarky.trade.hs import load_hs
    from autarky.trade.hs_convert import conversion_table, convert_flows, trade_weights
    from autarky.trade.indicators import (
        bloc_share,
        concentration,
        dependence_panel,
        growth,
        self_sufficiency,
        supplier_shares,
        trade_totals,
        trend,
        with_groups,
        world_export_concentration,
    )
    from autarky.trade.screening import ScreenThresholds, dependency_screen, screen_summary
    from autarky.trade.sectors import load_sectors, read_sectors, sector_concordance, select_sectors
    from autarky.trade.supplier_shifts import supplier_shift

#: Where each public name lives: modules load on first use, so ``autarky import baci`` (which needs the
#: reader, not the Ibis indicators) does not pay for importing Ibis.
_WHERE = {
    "DuckDBEngine": "autarky.trade.engine",
    "Engine": "autarky.trade.engine",
    "FlowSelection": "autarky.trade.analysis",
    "ScreenThresholds": "autarky.trade.screening",
    "SparkEngine": "autarky.trade.engine",
    "bilateral_shares": "autarky.trade.bilateral",
    "bloc_share": "autarky.trade.indicators",
    "concentration": "autarky.trade.indicators",
    "conversion_table": "autarky.trade.hs_convert",
    "convert_flows": "autarky.trade.hs_convert",
    "coverage": "autarky.trade.analysis",
    "decoupling": "autarky.trade.analysis",
    "dependence": "autarky.trade.analysis",
    "dependence_panel": "autarky.trade.indicators",
    "dependence_summary": "autarky.trade.analysis",
    "dependency_screen": "autarky.trade.screening",
    "growth": "autarky.trade.indicators",
    "load_baci": "autarky.trade.baci",
    "load_baci_files": "autarky.trade.baci",
    "load_comtrade": "autarky.trade.comtrade",
    "load_comtrade_files": "autarky.trade.comtrade",
    "load_hs": "autarky.trade.hs",
    "load_sectors": "autarky.trade.sectors",
    "parse_years": "autarky.trade.analysis",
    "read_production": "autarky.trade.analysis",
    "read_sectors": "autarky.trade.sectors",
    "screen": "autarky.trade.analysis",
    "screen_summary": "autarky.trade.screening",
    "sector_concordance": "autarky.trade.sectors",
    "select_flows": "autarky.trade.analysis",
    "select_sectors": "autarky.trade.sectors",
    "self_sufficiency": "autarky.trade.indicators",
    "shift": "autarky.trade.analysis",
    "sources_of": "autarky.trade.analysis",
    "spark_engine": "autarky.trade.engine",
    "spark_session": "autarky.trade.engine",
    "supplier_shares": "autarky.trade.indicators",
    "supplier_shift": "autarky.trade.supplier_shifts",
    "trade_totals": "autarky.trade.indicators",
    "trade_weights": "autarky.trade.hs_convert",
    "trend": "autarky.trade.indicators",
    "with_groups": "autarky.trade.indicators",
    "world_export_concentration": "autarky.trade.indicators",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'autarky.trade' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "DuckDBEngine",
    "Engine",
    "FlowSelection",
    "ScreenThresholds",
    "SparkEngine",
    "bilateral_shares",
    "bloc_share",
    "concentration",
    "conversion_table",
    "convert_flows",
    "coverage",
    "decoupling",
    "dependence",
    "dependence_panel",
    "dependence_summary",
    "dependency_screen",
    "growth",
    "load_baci",
    "load_baci_files",
    "load_comtrade",
    "load_comtrade_files",
    "load_hs",
    "load_sectors",
    "parse_years",
    "read_production",
    "read_sectors",
    "screen",
    "screen_summary",
    "sector_concordance",
    "select_flows",
    "select_sectors",
    "self_sufficiency",
    "shift",
    "sources_of",
    "spark_engine",
    "spark_session",
    "supplier_shares",
    "supplier_shift",
    "trade_totals",
    "trade_weights",
    "trend",
    "with_groups",
    "world_export_concentration",
]
