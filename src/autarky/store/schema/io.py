"""Input–output tables: each table's shape and provenance, its axes, and its non-zero cells.

A dataset (one import) holds one or more tables (``table_name``: one per year of a series).  A table is
described in ``io_tables``, its axes in ``io_labels`` (in matrix order) and its blocks (``Z``, ``Y``,
``V``, …) in ``io_blocks``; ``io_values`` holds the non-zero cells by position only, so an ICIO-sized
table (13.6 million cells) loads in seconds.  The view ``io_cells`` puts the labels back for SQL::

    SELECT row_region, sum(value) FROM io_cells
    WHERE block = 'Z' AND col_region = 'CHN' AND row_sector = 'C26' GROUP BY ALL
"""

from __future__ import annotations

from autarky.store.schema import Column, Table, dataset_id

_CELLS_VIEW = """
SELECT v.dataset_id, b.table_name, t.year, b.block,
       r.region AS row_region, r.code AS row_sector, c.region AS col_region, c.code AS col_sector,
       v.row_pos, v.col_pos, v.value
FROM io_values v
JOIN io_blocks b ON b.dataset_id = v.dataset_id AND b.block_id = v.block_id
JOIN io_tables t ON t.dataset_id = b.dataset_id AND t.table_name = b.table_name
LEFT JOIN io_labels r ON r.dataset_id = b.dataset_id AND r.table_name = b.table_name
                     AND r.axis = b.row_axis AND r.position = v.row_pos
LEFT JOIN io_labels c ON c.dataset_id = b.dataset_id AND c.table_name = b.table_name
                     AND c.axis = b.col_axis AND c.position = v.col_pos
"""

TABLES: tuple[Table, ...] = (
    Table(
        "io_tables",
        "One row per input-output table of a dataset: shape, unit, layout and the checks it passed.",
        (
            dataset_id(),
            Column("table_name", "VARCHAR", False, "e.g. OECD21ed_CHN_2018, testmrio"),
            Column("year", "SMALLINT", doc="reference year of the table"),
            Column("layout", "VARCHAR", False, "pymrio, icio, national or oecd"),
            Column("unit", "VARCHAR"),
            Column("n_regions", "INTEGER", False),
            Column("n_sectors", "INTEGER", False),
            Column("imports", "VARCHAR", False, "inter-regional, competitive or split"),
            Column("columns_complete", "BOOLEAN", False, "columns checked to sum to output"),
            Column("value_added_rows", "VARCHAR", doc="factor rows that are value added, ';'-separated"),
            Column("export_categories", "VARCHAR",
                   doc="final-demand categories that are exports, ';'-separated"),
            Column("rtol", "DOUBLE", doc="relative balance tolerance the table was checked with"),
            Column("atol", "DOUBLE", doc="absolute balance tolerance, in the table's unit"),
            Column("source_file", "VARCHAR", doc="file the table was read from"),
        ),
        primary_key=("dataset_id", "table_name"),
    ),
    Table(
        "io_labels",
        "Axes of each table in matrix order: region, sector, industry (region x sector), final_demand, "
        "factor, extension:<name>.",
        (
            dataset_id(),
            Column("table_name", "VARCHAR", False),
            Column("axis", "VARCHAR", False, "region, sector, industry, final_demand, factor, extension:<name>"),
            Column("position", "INTEGER", False, "0-based position in the axis"),
            Column("code", "VARCHAR", False, "sector code, category, factor or stressor label"),
            Column("region", "VARCHAR", doc="region of an industry or a final-demand column"),
            Column("name", "VARCHAR", doc="description (sector name)"),
            Column("unit", "VARCHAR", doc="unit of a factor or extension row"),
        ),
        primary_key=("dataset_id", "table_name", "axis", "position"),
    ),
    Table(
        "io_blocks",
        "The matrices of each table (Z, Y, V, V_Y, x, imports, Z_imported, Y_imported, F:<ext>, F_Y:<ext>) "
        "and the axes of their rows and columns.",
        (
            dataset_id(),
            Column("block_id", "INTEGER", False, "key of the block's cells in io_values"),
            Column("table_name", "VARCHAR", False),
            Column("block", "VARCHAR", False),
            Column("row_axis", "VARCHAR", False),
            Column("col_axis", "VARCHAR", doc="NULL for a vector (x, imports)"),
            Column("n_rows", "INTEGER", False),
            Column("n_cols", "INTEGER", False),
        ),
        primary_key=("dataset_id", "block_id"),
    ),
    Table(
        "io_values",
        "Non-zero cells of every block, by 0-based position (labels: the io_cells view).",
        (
            dataset_id(),
            Column("block_id", "INTEGER", False),
            Column("row_pos", "INTEGER", False),
            Column("col_pos", "INTEGER", False),
            Column("value", "DOUBLE", False),
        ),
    ),
    Table(
        "io_cells",
        "io_values with labels: table, year, block, row and column region and sector (or category, "
        "factor, stressor).",
        (
            dataset_id(),
            Column("table_name", "VARCHAR"),
            Column("year", "SMALLINT"),
            Column("block", "VARCHAR"),
            Column("row_region", "VARCHAR"),
            Column("row_sector", "VARCHAR"),
            Column("col_region", "VARCHAR"),
            Column("col_sector", "VARCHAR"),
            Column("row_pos", "INTEGER"),
            Column("col_pos", "INTEGER"),
            Column("value", "DOUBLE"),
        ),
        view_sql=_CELLS_VIEW,
    ),
)

__all__ = ["TABLES"]
