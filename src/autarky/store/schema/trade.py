"""Trade tables: product nomenclature, HS concordances, strategic sectors, partner codes and flows.

Bilateral flows are stored as Parquet beside the store, not inside the DuckDB file, so that a full BACI
history (hundreds of millions of rows) loads with flat memory and Spark can read the very same files::

    <store>.parquet/trade_flows/dataset_id=<N>/year=<Y>/part-00000.parquet

``trade_flow_parts`` lists every (dataset, year) folder that belongs to a committed dataset, and
``trade_flows`` is a view over exactly those folders, named relative to ``<store>.parquet`` (every
connection autarky opens sets ``file_search_path`` there, see :mod:`autarky.store.flows`), so a copied store
reads only its own copy; the plain ``duckdb`` client reads the flows after ``SET file_search_path =
'<store>.parquet'``.  The view is declared here with an empty body; the trade domain
(:func:`autarky.trade.flowstore.sync_flows_view`) rewrites it inside each import's transaction.
Parquet folders not listed in ``trade_flow_parts`` (a killed import, a replaced vintage) are invisible
and swept when the store is next opened for writing.
"""

from __future__ import annotations

from autarky.store.schema import Column, Table, dataset_id, source_line

#: Columns of the ``trade_flows`` view, in order, with their DuckDB types.
FLOW_COLUMNS: tuple[Column, ...] = (
    dataset_id(),
    Column("year", "SMALLINT", False),
    Column("exporter", "VARCHAR", False,
           "ISO3; areas without one keep a documented code (BACI: 'X' + BACI code, e.g. X697)"),
    Column("importer", "VARCHAR", False, "ISO3, as for exporter"),
    Column("hs_revision", "VARCHAR", False, "HS92, HS96, HS02, HS07, HS12, HS17 or HS22"),
    Column("product", "VARCHAR", False, "HS code as published: six digits for BACI (leading zero restored)"),
    Column("value_usd", "DOUBLE", False, "current US dollars (BACI's v is thousands: multiplied by 1000)"),
    Column("quantity", "DOUBLE", doc="metric tons (BACI q; Comtrade net weight / 1000); NULL if not given"),
    Column("reported_by", "VARCHAR", False, "reconciled (BACI), importer or exporter (Comtrade reporter)"),
    source_line(),
)

_EMPTY_FLOWS = "SELECT " + ", ".join(
    f'CAST(NULL AS {c.type}) AS "{c.name}"' for c in FLOW_COLUMNS
) + " WHERE false"

TABLES: tuple[Table, ...] = (
    Table(
        "hs_products",
        "Harmonized System codes at 2, 4 and 6 digits with parent and section.",
        (
            dataset_id(),
            Column("revision", "VARCHAR", False, "HS revision, e.g. HS22"),
            Column("code", "VARCHAR", False),
            Column("description", "VARCHAR"),
            Column("parent", "VARCHAR"),
            Column("level", "INTEGER"),
            Column("section", "VARCHAR"),
            source_line(),
        ),
    ),
    Table(
        "hs_concordance",
        "Links between adjacent HS revisions with the weight used to split 1:n and n:n links.",
        (
            dataset_id(),
            Column("from_revision", "VARCHAR", False),
            Column("from_code", "VARCHAR", False),
            Column("to_revision", "VARCHAR", False),
            Column("to_code", "VARCHAR", False),
            Column("relationship", "VARCHAR", doc="UN link type, newer:older (1:1, 1:n, n:1, n:n)"),
            Column("weight", "DOUBLE",
                   doc="share of from_code's value assigned to to_code; equal split by default"),
            source_line(),
        ),
    ),
    Table(
        "sector_concordance",
        "Strategic sectors: HS codes -> sector and segment, with a source, linked to map nodes where it fits.",
        (
            dataset_id(),
            Column("sector", "VARCHAR", False),
            Column("segment", "VARCHAR", False),
            Column("hs_revision", "VARCHAR", False, "revision the code is written in"),
            Column("hs_code", "VARCHAR", False, "HS code at 2, 4 or 6 digits; covers every code under it"),
            Column("description", "VARCHAR", doc="what the code covers"),
            Column("node_ids", "VARCHAR", doc="supply-chain map nodes, ;-separated"),
            Column("rationale", "VARCHAR", doc="why the code belongs to the segment"),
            Column("source", "VARCHAR", False, "where the mapping comes from"),
            source_line(),
        ),
    ),
    Table(
        "trade_partner_codes",
        "How each source's economy codes were mapped to ISO3 (BACI numeric codes, Comtrade areas).",
        (
            dataset_id(),
            Column("scheme", "VARCHAR", False, "baci or comtrade"),
            Column("code", "VARCHAR", False, "the code as written in the source"),
            Column("iso3", "VARCHAR", False, "the code used in trade_flows"),
            Column("name", "VARCHAR"),
            Column("how", "VARCHAR", doc="which table or rule gave the mapping"),
        ),
    ),
    Table(
        "trade_flow_parts",
        "The Parquet folders holding each dataset's flows, one row per (dataset, year).",
        (
            dataset_id(),
            Column("year", "SMALLINT", False),
            Column("hs_revision", "VARCHAR", False),
            Column("reported_by", "VARCHAR", False),
            Column("path", "VARCHAR", False, "folder, relative to the store's Parquet root"),
            Column("files", "INTEGER", False),
            Column("rows", "BIGINT", False),
            Column("value_usd", "DOUBLE", False, "sum of value_usd, to check totals against the source"),
        ),
        primary_key=("dataset_id", "year"),
    ),
    Table(
        "trade_flows",
        "Bilateral product flows (BACI, Comtrade): a view over the Parquet listed in trade_flow_parts.",
        FLOW_COLUMNS,
        view_sql=_EMPTY_FLOWS,
    ),
)

__all__ = ["FLOW_COLUMNS", "TABLES"]
