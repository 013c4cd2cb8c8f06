"""Economic complexity results: a derived dataset per run (``datasets.kind = 'derived'``).

``datasets.params`` holds the run's parameters (presence test, threshold, proximity, knn, input rules) and
``datasets.derived_from`` the trade dataset(s) it was computed from.  ``complexity_results`` has one row
per ``(year, economy, product)`` of each year's grid, the columns of
``autarky.complexity.compute_complexity``; ``complexity_years`` what each year's computation noticed::

    SELECT economy, any_value(eci) AS eci FROM complexity_results
    WHERE dataset_id = 7 AND year = 2022 GROUP BY economy ORDER BY eci DESC LIMIT 20
"""

from __future__ import annotations

from autarky.store.schema import Column, Table, dataset_id

_MEASURES: tuple[tuple[str, str], ...] = (
    ("value", "the input value (exports, US$), 0 where the economy does not export the product"),
    ("rca", "Balassa's revealed comparative advantage; NULL for a manual presence matrix"),
    ("rpop", "RCA per capita; NULL unless presence was tested on RPOP"),
    ("mcp", "presence M_cp used for the measures (0 or 1 unless given manually)"),
    ("diversity", "number of products with presence (k_c,0)"),
    ("ubiquity", "number of economies with presence (k_p,0)"),
    ("eci", "economic complexity index, normalised per year; NULL for zero diversity"),
    ("pci", "product complexity index, on the ECI scale; NULL for zero ubiquity"),
    ("density", "density of the economy's presences around the product; NULL outside the product space"),
    ("coi", "complexity outlook index, normalised per year"),
    ("cog", "complexity outlook gain of moving into the product"),
)

TABLES: tuple[Table, ...] = (
    Table(
        "complexity_results",
        "RCA, presence, diversity, ubiquity, ECI, PCI, density, COI and COG per year, economy and product.",
        (
            dataset_id(),
            Column("year", "SMALLINT", False),
            Column("economy", "VARCHAR", False, "ISO3 (as in trade_flows.exporter)"),
            Column("product", "VARCHAR", False, "product code (as in trade_flows.product)"),
            *(Column(name, "DOUBLE", True, doc) for name, doc in _MEASURES),
        ),
        # no index: rows arrive sorted by dataset and year, so DuckDB's zone maps already prune them
    ),
    Table(
        "complexity_years",
        "What each year's complexity computation noticed: size, left-out economies and products, spectrum.",
        (
            dataset_id(),
            Column("year", "SMALLINT", False),
            Column("n_economies", "INTEGER", False, "economies with a positive total value"),
            Column("n_products", "INTEGER", False, "products with a positive total value"),
            Column("zero_diversity", "VARCHAR", doc="economies left out of the ECI, ';'-separated"),
            Column("zero_ubiquity", "VARCHAR", doc="products left out of the PCI, ';'-separated"),
            Column("absent_economies", "VARCHAR", doc="economies with rows but a zero total, ';'-separated"),
            Column("absent_products", "VARCHAR", doc="products with rows but a zero total, ';'-separated"),
            Column("components", "INTEGER", False, "connected parts of the economy-product network"),
            Column("lambda2", "DOUBLE", doc="second eigenvalue of the ECI matrix"),
            Column("lambda3", "DOUBLE", doc="third eigenvalue (λ2 − λ3 small: ECI ill-defined)"),
            Column("degenerate", "BOOLEAN", False, "λ2 not separated from λ1 or λ3"),
            Column("defined", "BOOLEAN", False, "the year has an ECI at all"),
        ),
        primary_key=("dataset_id", "year"),
    ),
)

__all__ = ["TABLES"]
