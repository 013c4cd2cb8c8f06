"""Innovation tables: WDI-style indicator values, and published series and targets with their sources.

``indicator_values`` holds one value per indicator, economy and year as a publisher states it (World Bank
WDI: tidy CSV, bulk CSV or API JSON); ``economy`` is an ISO3 code or a WDI aggregate code (``WLD``,
``EUU``, ... with ``is_aggregate`` true).  ``series_points`` holds series no open dataset carries
(``observed``), publishers' forecasts (``forecast``) and stated goals (``target``), every row with the
document it comes from (``source_document``, ``source_publisher``, ``source_date``, ``source_locator``,
``source_url``).
"""

from __future__ import annotations

from autarky.store.schema import Column, Table, dataset_id, source_line

TABLES: tuple[Table, ...] = (
    Table(
        "indicator_values",
        "Indicator values by economy and year as published (World Bank WDI layouts).",
        (
            dataset_id(),
            Column("indicator_code", "VARCHAR", False, "publisher's indicator code, e.g. GB.XPD.RSDV.GD.ZS"),
            Column("indicator_name", "VARCHAR"),
            Column("economy", "VARCHAR", False, "ISO3 code, or a WDI aggregate code (WLD, EUU, HIC, ...)"),
            Column("economy_name", "VARCHAR"),
            Column("is_aggregate", "BOOLEAN", False, "a WDI aggregate (region, income group), not an economy"),
            Column("year", "INTEGER", False),
            Column("value", "DOUBLE", False, "as published, in the indicator's unit (no rescaling)"),
            Column("source_file", "VARCHAR", doc="file (or zip member) the row was read from"),
            source_line(),
        ),
        indexes=(("indicator_code", "economy", "year"),),
    ),
    Table(
        "series_points",
        "Published series, forecasts and targets by economy and year, each row citing its source document.",
        (
            dataset_id(),
            Column("series_id", "VARCHAR", False, "e.g. ic-self-sufficiency"),
            Column("series_name", "VARCHAR"),
            Column("economy", "VARCHAR", False, "ISO3"),
            Column("year", "INTEGER", False),
            Column("value", "DOUBLE", False),
            Column("unit", "VARCHAR", doc="e.g. '%', 'USD bn'"),
            Column("kind", "VARCHAR", False, "observed, forecast or target"),
            Column("comparator", "VARCHAR", doc="for targets: at_least or at_most"),
            Column("definition", "VARCHAR", doc="what the number measures, as the source defines it"),
            Column("source_document", "VARCHAR", False),
            Column("source_publisher", "VARCHAR"),
            Column("source_date", "VARCHAR", doc="publication date (YYYY, YYYY-MM or YYYY-MM-DD)"),
            Column("source_locator", "VARCHAR", doc="page, table, paragraph or figure"),
            Column("source_url", "VARCHAR"),
            Column("notes", "VARCHAR"),
            Column("source_file", "VARCHAR"),
            source_line(),
        ),
        indexes=(("series_id", "economy", "year"),),
    ),
)

__all__ = ["TABLES"]
