"""Supply-chain map tables (ETO format and the generic CSV format share them)."""

from __future__ import annotations

from autarky.store.schema import Column, Table, dataset_id, source_line

TABLES: tuple[Table, ...] = (
    Table(
        "chain_stages",
        "Top-level stages of a map (ETO: Design, Fabrication, ATP).",
        (
            dataset_id(),
            Column("stage_id", "VARCHAR", False),
            Column("name", "VARCHAR", False),
            Column("description", "VARCHAR"),
            Column("share_view", "VARCHAR", doc="hq or site: what the stage's own shares measure"),
            source_line(),
        ),
        primary_key=("dataset_id", "stage_id"),
    ),
    Table(
        "chain_nodes",
        "Nodes of a map: processes, tools, materials, design resources, final outputs.",
        (
            dataset_id(),
            Column("node_id", "VARCHAR", False),
            Column("name", "VARCHAR", False),
            Column(
                "type", "VARCHAR", False,
                "process, tool_resource, material_resource, design_resource, ultimate_output",
            ),
            Column("stage_id", "VARCHAR", doc="stage for process nodes, as published"),
            Column("description", "VARCHAR"),
            Column("year", "INTEGER", doc="reference year of the market-size note"),
            Column("market_size", "VARCHAR"),
            Column("source", "VARCHAR"),
            source_line(),
        ),
        primary_key=("dataset_id", "node_id"),
    ),
    Table(
        "chain_edges",
        "Edges: goes_into (input -> what it feeds), is_type_of (variant -> class), substitute (variants).",
        (
            dataset_id(),
            Column("src", "VARCHAR", False),
            Column("dst", "VARCHAR", False),
            Column("kind", "VARCHAR", False, "goes_into, is_type_of or substitute (interchangeable variants)"),
            source_line(),
        ),
    ),
    Table(
        "chain_providers",
        "Providers: countries (iso3 in country) and firms (country = HQ iso3).",
        (
            dataset_id(),
            Column("provider_id", "VARCHAR", False),
            Column("name", "VARCHAR", False),
            Column("alias", "VARCHAR"),
            Column("provider_type", "VARCHAR", False, "country or organization"),
            Column("country", "VARCHAR", doc="ISO3: the country itself, or the firm's HQ; NULL if unattributed"),
            source_line(),
        ),
        primary_key=("dataset_id", "provider_id"),
    ),
    Table(
        "chain_provision",
        "Who provides what: one row per provider, node and year; share in percent (NULL = qualitative).",
        (
            dataset_id(),
            Column("provider_id", "VARCHAR", False),
            Column("node_id", "VARCHAR", False),
            Column("year", "INTEGER", False, "year the share refers to (the map's value vintage)"),
            Column("share", "DOUBLE", doc="percent of the global market, 0-100; NULL for a qualitative provider"),
            Column("negligible", "BOOLEAN", doc="the publisher flags the share as negligible"),
            Column("share_view", "VARCHAR", False, "hq (who owns the supplier) or site (where capacity is)"),
            Column("source", "VARCHAR"),
            source_line(),
        ),
    ),
)

__all__ = ["TABLES"]
