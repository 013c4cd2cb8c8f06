"""Core tables: schema metadata, datasets (provenance), quarantine, economies and blocs."""

from __future__ import annotations

from autarky.store.schema import Column, Table, dataset_id, source_line

TABLES: tuple[Table, ...] = (
    Table(
        "autarky_meta",
        "Key/value facts about this store file, including schema_version.",
        (Column("key", "VARCHAR", False), Column("value", "VARCHAR")),
        primary_key=("key",),
        provenance=False,
    ),
    Table(
        "datasets",
        "One row per loaded dataset and vintage: where every other row came from.",
        (
            dataset_id(),
            Column("name", "VARCHAR", False, "stable dataset name, e.g. eto-chip-explorer"),
            Column("kind", "VARCHAR", False, "importer kind: eto, chains-csv, baci, comtrade, io, ledger, hs, derived"),
            Column("publisher", "VARCHAR"),
            Column("vintage", "VARCHAR", False, "release or reference period of the data"),
            Column("licence", "VARCHAR"),
            Column("attribution", "VARCHAR"),
            Column("source", "VARCHAR", doc="locator: file path or URL it was read from"),
            Column("content_hash", "VARCHAR", False, "sha256 of the source content"),
            Column("loaded_at", "TIMESTAMP", False),
            Column("rows_read", "BIGINT"),
            Column("rows_loaded", "BIGINT"),
            Column("rows_quarantined", "BIGINT"),
            Column("params", "VARCHAR", doc="JSON: parameters of a derived dataset"),
            Column("derived_from", "VARCHAR", doc="JSON list of dataset_ids a derived dataset was computed from"),
        ),
        primary_key=("dataset_id",),
        provenance=False,
    ),
    Table(
        "quarantine",
        "Rows that failed validation on import, with the reason; nothing is dropped silently.",
        (
            dataset_id(),
            Column("file", "VARCHAR", False),
            Column("line", "BIGINT", doc="1-based line (or row) in the file"),
            Column("field", "VARCHAR"),
            Column("value", "VARCHAR"),
            Column("reason", "VARCHAR", False),
            Column("raw", "VARCHAR", doc="the raw row, as read"),
        ),
    ),
    Table(
        "data_warnings",
        "Findings about loaded data that are kept, not corrected (e.g. shares summing over 100%).",
        (
            dataset_id(),
            Column("subject", "VARCHAR", False),
            Column("message", "VARCHAR", False),
        ),
    ),
    Table(
        "economies",
        "ISO 3166 economies, from country_converter at store creation.",
        (
            Column("iso3", "VARCHAR", False),
            Column("name", "VARCHAR", False),
            Column("official_name", "VARCHAR"),
            Column("iso2", "VARCHAR"),
            Column("un_code", "INTEGER"),
            Column("continent", "VARCHAR"),
        ),
        primary_key=("iso3",),
        provenance=False,
    ),
    Table(
        "blocs",
        "Named groupings of economies (bundled and user-defined); usable wherever an economy is named.",
        (
            Column("bloc", "VARCHAR", False),
            Column("description", "VARCHAR"),
            Column("source", "VARCHAR"),
            Column("origin", "VARCHAR", False, "bundled or user"),
            Column("as_of", "VARCHAR", doc="the date its membership is stated for (bundled blocs)"),
            Column("source_url", "VARCHAR", doc="where the membership is published"),
        ),
        primary_key=("bloc",),
        provenance=False,
    ),
    Table(
        "bloc_members",
        "Members of each bloc (ISO3).",
        (Column("bloc", "VARCHAR", False), Column("iso3", "VARCHAR", False)),
        primary_key=("bloc", "iso3"),
        provenance=False,
    ),
)

__all__ = ["TABLES", "dataset_id", "source_line"]
