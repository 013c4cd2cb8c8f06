"""Economies (ISO3, through country_converter) and blocs (named, editable groupings)."""

from autarky.geo.blocs import Bloc, bundled_as_of, bundled_blocs
from autarky.geo.economies import economies_table, is_economy, suggest, to_iso3
from autarky.geo.resolve import Resolved, resolve

__all__ = [
    "Bloc",
    "Resolved",
    "bundled_as_of",
    "bundled_blocs",     "economies_table",
    "is_economy",
    "resolve",
    "suggest",
    "to_iso3",
]
