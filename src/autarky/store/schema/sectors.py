"""Sector-evidence tables: the IEA Global EV Outlook data, and the sector facts ledger.

``ev_outlook`` holds the IEA Global EV Data Explorer CSV as published (``region, category, parameter, mode,
powertrain, year, unit, value``), with the region resolved to an ISO3 code where it is one economy.
``sector_facts`` holds facts stated by documents (IFR press releases, IEA report text, FDA testimony, ...),
each with its basis (a reported number, an interval the words allow, or words only) and its source.
"""

from __future__ import annotations

from autarky.store.schema import Column, Table, dataset_id, source_line

TABLES: tuple[Table, ...] = (
    Table(
        "ev_outlook",
        "IEA Global EV Outlook data (Global EV Data Explorer CSV) as published, one row per value.",
        (
            dataset_id(),
            Column("region", "VARCHAR", False, "as published: a country name, World, Europe, EU27, Rest of the world"),
            Column("economy", "VARCHAR", doc="ISO3 code where the region is one economy; NULL for aggregates"),
            Column("category", "VARCHAR", False, "Historical, Projection-STEPS, Projection-APS, ..."),
            Column("parameter", "VARCHAR", False, "EV sales, EV stock, EV sales share, EV stock share, ..."),
            Column("mode", "VARCHAR", False, "Cars, Buses, Vans, Trucks, EV (charging points)"),
            Column("powertrain", "VARCHAR", False, "BEV, PHEV, FCEV, EV (all)"),
            Column("year", "INTEGER", False),
            Column("unit", "VARCHAR", False, "Vehicles, percent, charging points, GWh, ..."),
            Column("value", "DOUBLE", False, "as published, in the row's unit"),
            source_line(),
        ),
        indexes=(("economy", "parameter", "year"),),
    ),
    Table(
        "sector_facts",
        "Facts about strategic sectors stated by documents, each with basis and source (no estimates).",
        (
            dataset_id(),
            Column("fact_id", "VARCHAR", False, "e.g. robot-installations"),
            Column("sector", "VARCHAR", False, "registry sector id: semiconductors, ai, batteries, robotics, pharma, "
                                                 "quantum"),
            Column("subject", "VARCHAR", False, "ISO3 economy, or WLD for the world"),
            Column("year", "INTEGER", doc="the year the fact is about (NULL: undated statement)"),
            Column("basis", "VARCHAR", False, "reported, bounded or qualitative"),
            Column("value", "DOUBLE", doc="reported: the number as stated"),
            Column("low", "DOUBLE", doc="bounded/qualitative: lower end the words allow"),
            Column("high", "DOUBLE", doc="bounded/qualitative: upper end the words allow"),
            Column("label", "VARCHAR", doc="qualitative: the words (e.g. 'major', 'leading')"),
            Column("unit", "VARCHAR", doc="units, %, USD bn, GWh, ..."),
            Column("name", "VARCHAR", False, "what the fact measures, in words"),
            Column("statement", "VARCHAR", False, "the source's statement, paraphrased or quoted"),
            Column("edition", "VARCHAR", doc="edition of the source (World Robotics 2024, GEVO 2025, ...)"),
            Column("source_document", "VARCHAR", False),
            Column("source_publisher", "VARCHAR"),
            Column("source_date", "VARCHAR"),
            Column("source_locator", "VARCHAR"),
            Column("source_url", "VARCHAR"),
            Column("notes", "VARCHAR"),
            Column("source_file", "VARCHAR"),
            source_line(),
        ),
        indexes=(("sector", "subject"),),
    ),
)

__all__ = ["TABLES"]
