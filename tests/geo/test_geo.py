"""Economies through country_converter, blocs as data, resolution with suggestions."""

from __future__ import annotations

import country_converter as coco
import pytest

from autarky.errors import DataError, UnknownEconomyError
from autarky.geo import bundled_blocs, resolve, to_iso3
from autarky.geo.blocs import validate_bloc


@pytest.mark.parametrize(("text", "iso3"), [
    ("CHN", "CHN"), ("China", "CHN"), ("Taiwan", "TWN"), ("Netherlands", "NLD"), ("korea, rep.", "KOR"),
    ("usa", "USA"), ("Viet Nam", "VNM"),
])
def test_to_iso3(text: str, iso3: str) -> None:
    assert to_iso3(text) == iso3


@pytest.mark.parametrize("text", ["Various countries", "EUR", "", "Atlantis"])
def test_not_economies(text: str) -> None:
    assert to_iso3(text) is None


def test_bundled_eu27_equals_country_converter() -> None:
    eu27 = {b.name: b for b in bundled_blocs()}["EU27"]
    assert set(eu27.members) == set(coco.CountryConverter().EU27as("ISO3").ISO3)


def test_every_bundled_bloc_has_a_source_and_valid_members() -> None:
    for b in bundled_blocs():
        assert b.source and b.description, b.name
        assert b.members == validate_bloc(b.name, list(b.members))


def test_resolve_blocs_lists_and_unknowns() -> None:
    blocs = {"QUAD": ("USA", "JPN", "IND", "AUS"), "CHN": ("CHN",)}
    assert resolve("QUAD", blocs).members == {"USA", "JPN", "IND", "AUS"}
    assert resolve("NLD, Japan,USA", blocs).members == {"NLD", "JPN", "USA"}
    assert resolve("chn", blocs).label == "CHN"
    with pytest.raises(UnknownEconomyError) as err:
        resolve("Chnia", blocs)
    assert "CHN" in err.value.suggestions[0]
    assert "did you mean" in str(err.value)
    with pytest.raises(UnknownEconomyError):
        resolve("", blocs)


def test_invalid_bloc_members_are_refused() -> None:
    with pytest.raises(DataError, match="XYZ"):
        validate_bloc("MINE", ["USA", "XYZ"])
    with pytest.raises(DataError):
        validate_bloc("bad name!", ["USA"])
