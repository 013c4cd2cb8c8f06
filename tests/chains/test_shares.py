"""Country shares and concentration measures on small maps built in code (hand-computed values)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autarky.chains import CountryShare, bloc_share, countries_to_reach, country_shares, hhi
from autarky.errors import UsageError
from conftest import make_map


def test_firm_shares_roll_up_by_hq_when_no_country_rows() -> None:
    cmap = make_map(
        [("T", "tool_resource", None)],
        [],
        [("ASML", "T", 60.0), ("Nikon", "T", 25.0), ("Canon", "T", 10.0), ("SMEE", "T", None)],
        firms={"ASML": "NLD", "Nikon": "JPN", "Canon": "JPN", "SMEE": "CHN"},
    )
    shares = country_shares(cmap, "T")
    assert [tuple(s) for s in shares] == [("NLD", 60.0, None), ("JPN", 35.0, None), ("CHN", None, "major")]


def test_country_rows_win_over_firm_rows() -> None:
    cmap = make_map(
        [("T", "tool_resource", None)],
        [],
        [("NLD", "T", 90.0), ("JPN", "T", 10.0), ("ASML", "T", 80.0)],
        firms={"ASML": "NLD"},
    )
    assert {s.iso3: s.share_pct for s in country_shares(cmap, "T")} == {"NLD": 90.0, "JPN": 10.0}


def test_hhi_hand_computed() -> None:
    shares = [CountryShare("A", 50.0, None), CountryShare("B", 30.0, None), CountryShare(None, 20.0, None)]
    # other / unattributed counts as atomistic: 0.5² + 0.3²
    assert hhi(shares) == pytest.approx(0.34)
    # shares summing under 100: the remainder stays unlisted (not renormalised)
    assert hhi([CountryShare("A", 50.0, None)]) == pytest.approx(0.25)
    # rounding above 100: scaled back so HHI <= 1
    assert hhi([CountryShare("A", 101.0, None)]) == pytest.approx(1.0)
    assert hhi([CountryShare("A", None, "major")]) is None


@given(st.lists(st.floats(min_value=0.0, max_value=100.0), min_size=1, max_size=12))
def test_hhi_is_between_0_and_1(values: list[float]) -> None:
    shares = [CountryShare(f"C{i}", v, None) for i, v in enumerate(values)]
    h = hhi(shares)
    assert h is not None and 0.0 <= h <= 1.0 + 1e-12
    if sum(values) >= 100.0 - 1e-9 and sum(values) > 0:
        assert h >= 1.0 / len(values) - 1e-9  # HHI >= 1/n when the listed shares cover the market


def test_countries_to_reach_etos_rule() -> None:
    q = [CountryShare("A", 50.0, None), CountryShare("B", 25.0, None), CountryShare("C", 25.0, None)]
    assert countries_to_reach(q, 0.75) == 2  # 50 + 25 reaches exactly 75
    assert countries_to_reach(q, 0.76) == 3
    # qualitative "major" countries: < 3 -> 1 (concentrated), >= 3 -> 4 (ETO's convention)
    assert countries_to_reach([CountryShare("A", None, "major"), CountryShare("B", None, "major")]) == 1
    three = [CountryShare(c, None, "major") for c in "ABC"]
    assert countries_to_reach(three) == 4
    # negligible providers are dropped first
    assert countries_to_reach([CountryShare("A", 90.0, None), CountryShare("B", None, "negligible")]) == 1
    # other / unattributed is never counted as a country
    assert countries_to_reach([CountryShare(None, 80.0, None), CountryShare("A", 20.0, None)]) == 1
    assert countries_to_reach([]) is None
    with pytest.raises(UsageError):
        countries_to_reach(q, 75)


def test_bloc_share() -> None:
    s = [CountryShare("NLD", 81.5, None), CountryShare("JPN", 15.0, None), CountryShare("CHN", None, "major")]
    assert bloc_share(s, {"NLD", "JPN", "USA"}) == pytest.approx(96.5)
    assert bloc_share(s, {"KOR"}) == 0.0
    assert bloc_share(s, {"CHN"}) is None  # listed, share unknown


def test_latest_year_by_default_and_year_on_request() -> None:
    a = make_map([("T", "tool_resource", None)], [], [("USA", "T", 70.0), ("JPN", "T", 30.0)], year=2019)
    b = make_map([("T", "tool_resource", None)], [], [("USA", "T", 40.0), ("CHN", "T", 60.0)], year=2025)
    import polars as pl

    from autarky.chains.map import ChainMap

    both = ChainMap(
        a.dataset,
        a.stages.values(),
        a.nodes.values(),
        a.edges,
        [*a.providers.values(), b.providers["CHN"]],
        pl.concat([a.provision, b.provision]),
    )
    assert {s.iso3 for s in country_shares(both, "T")} == {"USA", "CHN"}
    assert {s.iso3 for s in country_shares(both, "T", year=2019)} == {"USA", "JPN"}
    assert country_shares(both, "T", view="site") == []
