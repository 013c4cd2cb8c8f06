"""Economies through country_converter, blocs as data, resolution with suggestions."""

from __future__ import annotations

from pathlib import Path

import country_converter as coco
import pytest

from autarky.errors import DataError, UnknownEconomyError
from autarky.geo import Bloc, bundled_as_of, bundled_blocs, resolve, to_iso3
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


# -- issue 13: blocs, sourced ----------------------------------------------------------------------------
def _bloc(name: str) -> Bloc:
    return {b.name: b for b in bundled_blocs()}[name]


def test_every_bundled_bloc_has_a_source_and_an_as_of_date() -> None:
    import re

    for b in bundled_blocs():
        assert b.source and b.as_of and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", b.as_of), b.name
    assert bundled_as_of()["WASSENAAR"] == "2017-12-08"


def test_us_allies_include_every_treaty_ally_in_asia() -> None:
    allies = set(_bloc("US_ALLIES").members)
    assert "THA" in allies  # Manila Pact (1954) and the Thanat-Rusk communique (1962)
    assert {"JPN", "KOR", "AUS", "NZL", "PHL"} <= allies
    assert len(allies - {"USA", "JPN", "KOR", "AUS", "NZL", "PHL", "THA", "TWN"}) == 31  # the other NATO members


def test_wassenaar_membership_matches_the_count_its_source_states() -> None:
    wa = _bloc("WASSENAAR")
    assert len(wa.members) == 42  # "the Arrangement's 42nd Participating State" (India, 2017-12-08)
    assert "42" in wa.description and "IND" in wa.members and "CHN" not in wa.members
    assert wa.source_url and "mofa.go.jp" in wa.source_url


def test_chip4_and_china_plus_one_are_sourced() -> None:
    assert set(_bloc("CHIP4").members) == {"USA", "JPN", "KOR", "TWN"} and "Reuters" in _bloc("CHIP4").source
    c1 = _bloc("CHINA_PLUS_ONE")
    assert set(c1.members) == {"IND", "IDN", "THA", "VNM", "MEX", "POL"} and "Lazard" in c1.source


def test_a_bundled_bloc_without_an_as_of_date_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from autarky.geo import blocs as blocs_mod

    class _Res:
        def joinpath(self, _name: str) -> _Res:
            return self

        def read_text(self, encoding: str = "utf-8") -> str:
            return "X:\n  source: somewhere\n  members: [USA]\n"

    blocs_mod._bundled.cache_clear()
    monkeypatch.setattr(blocs_mod.resources, "files", lambda _pkg: _Res())
    try:
        with pytest.raises(DataError, match="as_of"):
            blocs_mod.bundled_blocs()
    finally:
        monkeypatch.undo()
        blocs_mod._bundled.cache_clear()


def test_blocs_list_shows_the_as_of_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import csv
    import io

    from autarky.cli import main

    try:
        main(["--store", str(tmp_path / "b.duckdb"), "blocs", "list", "--format", "csv"])
    except SystemExit as exc:
        assert exc.code in (0, None)
    rows = {r["bloc"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert rows["US_ALLIES"]["as_of"] == "2024-03-07" and rows["WASSENAAR"]["n"] == "42"
