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
from autarky.trade.comtrade import load_comtrade, load_comtrade_files
from autarky.trade.decoupling import bilateral_shares
from autarky.trade.engine import DuckDBEngine, Engine, SparkEngine, spark_engine, spark_session
from autarky.trade.hs import conversion_table, convert_flows, load_hs, trade_weights
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
from autarky.trade.screen import ScreenThresholds, dependency_screen, screen_summary
from autarky.trade.sectors import load_sectors, read_sectors, sector_concordance, select_sectors
from autarky.trade.shift import supplier_shift

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
