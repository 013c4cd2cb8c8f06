"""Company bills of materials (``autarky import bom FILE``): one row per checked BOM line.

A BOM is a dataset like any other (name, vintage, content hash, quarantine of rejected rows); its lines
keep what the file said (part, quantity, unit cost and currency, HS code, map node, supplier, HQ and site
economies) and what the import derived (spend, spend in USD at the annual average rate of ``fx_year``, the
HS 2022 codes an older code corresponds to).
"""

from __future__ import annotations

from autarky.store.schema import Column, Table, dataset_id, source_line

TABLES: tuple[Table, ...] = (
    Table(
        "bom_lines",
        "Bill-of-materials lines: part, quantity, cost, HS code, map node, supplier and its economies.",
        (
            dataset_id(),
            Column("line_id", "VARCHAR", False, "the BOM's own line id (unique within the file)"),
            Column("part", "VARCHAR", False, "part description as written"),
            Column("quantity", "DOUBLE", False, "units per bill (never negative)"),
            Column("unit_cost", "DOUBLE", doc="cost per unit in currency; NULL if not given"),
            Column("currency", "VARCHAR", doc="ISO 4217 code"),
            Column("spend", "DOUBLE", doc="quantity x unit_cost, in currency"),
            Column("spend_usd", "DOUBLE", doc="spend at the annual average rate of fx_year; NULL without a rate"),
            Column("fx_year", "INTEGER", doc="year of the rate used (NULL for USD or when no rate)"),
            Column("fx_source", "VARCHAR", doc="publisher and release of the rate"),
            Column("hs_code", "VARCHAR", doc="HS code as given (2, 4 or 6 digits, leading zero restored)"),
            Column("hs_revisions", "VARCHAR", doc="HS revisions the code exists in, ;-separated"),
            Column("hs22", "VARCHAR", doc="HS 2022 codes it corresponds to, ;-separated"),
            Column("node_map", "VARCHAR", doc="supply-chain map (dataset name) of the node"),
            Column("node_id", "VARCHAR", doc="node id in that map"),
            Column("supplier", "VARCHAR", doc="supplier name as written"),
            Column("hq_country", "VARCHAR", doc="ISO3 of the supplier's headquarters"),
            Column("site_country", "VARCHAR", doc="ISO3 of the production site the part ships from"),
            source_line(),
        ),
    ),
)

__all__ = ["TABLES"]
