"""Input–output tables: readers, Leontief and Ghosh models, self-sufficiency, batched extraction.

::

    from autarky.io import IOModel, read_pymrio, all_sector_scenarios, extract

    model = IOModel(read_pymrio(path))
    result = extract(model, all_sector_scenarios(model, "backward"))   # every industry, exact, batched

Modules: :mod:`~autarky.io.tables` (the :class:`IOTable`), ``read_*`` (layouts), :mod:`~autarky.io.leontief`
(pure algebra), :mod:`~autarky.io.model` (a cached model of one table), :mod:`~autarky.io.extraction`
(hypothetical extraction by Sherman–Morrison–Woodbury), :mod:`~autarky.io.selfsufficiency` (FAO ratios and
value-chain views), :mod:`~autarky.io.exposure` (the IO shock of an assessment), :mod:`~autarky.io.store`
(import with provenance, read back).
"""

from __future__ import annotations

from autarky.io.exposure import economy_exposure
from autarky.io.extraction import (
    Cells,
    ExtractionRange,
    ExtractionResult,
    Scenario,
    all_bilateral_scenarios,
    all_region_scenarios,
    all_sector_scenarios,
    bilateral_scenario,
    extract,
    extract_brute_force,
    extraction_frame,
    parse_range,
    region_scenario,
    scenario_set,
    sector_scenario,
    select_regions,
)
from autarky.io.model import IOModel, multipliers_frame
from autarky.io.read_icio import read_icio, write_icio
from autarky.io.read_national import read_national, write_national
from autarky.io.read_oecd_iot import read_oecd_iot, read_oecd_iot_series
from autarky.io.read_pymrio import from_pymrio, read_pymrio, to_pymrio
from autarky.io.selfsufficiency import (
    AGGREGATION_NOTE,
    fao_self_sufficiency,
    io_self_sufficiency_frame,
    oecd_trajectory,
    self_sufficiency_frame,
    self_sufficiency_series,
    split_imports,
    trade_accounts,
)
from autarky.io.store import (
    detect_layout,
    io_tables,
    load_io_table,
    national_tables,
    read_io_table,
    read_layout,
    read_national_series,
)
from autarky.io.tables import Extension, IOTable

__all__ = [
    "AGGREGATION_NOTE",
    "Cells",
    "Extension",
    "ExtractionRange",
    "ExtractionResult",
    "IOModel",
    "IOTable",
    "Scenario",
    "all_bilateral_scenarios",
    "all_region_scenarios",
    "all_sector_scenarios",
    "bilateral_scenario",
    "detect_layout",
    "economy_exposure",
    "extract",
    "extract_brute_force",
    "extraction_frame",
    "fao_self_sufficiency",
    "from_pymrio",
    "io_self_sufficiency_frame",
    "io_tables",
    "load_io_table",
    "multipliers_frame",
    "national_tables",
    "oecd_trajectory",
    "parse_range",
    "read_icio",
    "read_io_table",
    "read_layout",
    "read_national",
    "read_national_series",
    "read_oecd_iot",
    "read_oecd_iot_series",
    "read_pymrio",
    "region_scenario",
    "scenario_set",
    "sector_scenario",
    "select_regions",
    "self_sufficiency_frame",
    "self_sufficiency_series",
    "split_imports",
    "to_pymrio",
    "trade_accounts",
    "write_icio",
    "write_national",
]
