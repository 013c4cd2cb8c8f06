"""innovation(): latest values with sources, trends, ranks, peers; bloc aggregation pinned to independent sums."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from autarky.data import bundled_path
from autarky.errors import UnknownEconomyError, UsageError
from autarky.figures import Basis
from autarky.indicators import aggregate, cagr, innovation, load_wdi, ols_slope, rank_of, spec_for
from autarky.indicators.catalogue import CATALOGUE
from autarky.store import Store, open_store

Tidy = dict[tuple[str, str, int], dict[str, str]]
RD = "GB.XPD.RSDV.GD.ZS"
EU27 = ["AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL", "ITA",
        "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE"]


def test_acceptance_chn_rd_2018_with_its_source(loaded: Store, tidy: Tidy) -> None:
    res = innovation(loaded, "CHN")
    chn = res.row(RD).subject
    assert chn.year == 2018 and chn.value is not None
    assert chn.value.basis is Basis.REPORTED and chn.value.value == 2.18568 and chn.value.unit == "% of GDP"
    (src,) = chn.value.sources
    assert (src.dataset, src.vintage, src.licence, src.file) == ("wdi", "2021-09-15", "CC BY 4.0", "indicators.csv")
    assert src.lines == (int(tidy[(RD, "CHN", 2018)]["line"]),) and src.year == 2018
    assert src.url == "https://data.worldbank.org/indicator/GB.XPD.RSDV.GD.ZS"
    assert [r.code for r in res.rows][:len(CATALOGUE)] == [s.code for s in CATALOGUE]


def test_rank_counts_economies_not_aggregates(loaded: Store, tidy: Tidy) -> None:
    chn = innovation(loaded, "CHN", indicators=[RD]).row(RD).subject
    pool = {k[1]: float(v["value"]) for k, v in tidy.items()
            if k[0] == RD and k[2] == 2018 and v["is_aggregate"] == "false"}
    higher = sum(1 for v in pool.values() if v > 2.18568)
    assert chn.rank is not None and chn.rank.value == higher + 1
    assert f"of {len(pool)} economies" in (chn.rank.note or "")


def test_trend_is_the_ols_slope_and_cagr_of_the_last_ten_observations(loaded: Store, tidy: Tidy) -> None:
    code = "IP.PAT.RESD"
    chn = innovation(loaded, "CHN", indicators=[code], trend_years=10).row(code).subject
    pts = sorted((k[2], float(v["value"])) for k, v in tidy.items() if k[0] == code and k[1] == "CHN")[-10:]
    slope = np.polyfit([p[0] for p in pts], [p[1] for p in pts], 1)[0]
    assert chn.trend is not None and chn.trend.value == pytest.approx(slope, rel=1e-9)
    assert chn.trend.unit == "count/yr" and chn.trend.basis is Basis.DERIVED
    growth = 100 * ((pts[-1][1] / pts[0][1]) ** (1 / (pts[-1][0] - pts[0][0])) - 1)
    assert chn.growth is not None and chn.growth.value == pytest.approx(growth, rel=1e-12)
    assert {ln for s in chn.trend.sources for ln in s.lines} == {
        int(tidy[(code, "CHN", y)]["line"]) for y, _ in pts}
    rd = innovation(loaded, "CHN", indicators=[RD]).row(RD).subject
    assert rd.trend is not None and rd.trend.unit == "pp/yr"


def test_eu27_rd_is_the_gdp_weighted_mean_with_its_coverage(loaded: Store, tidy: Tidy) -> None:
    eu = innovation(loaded, "CHN", peers="EU27", indicators=[RD]).row(RD).peers[0]
    assert eu.economy == "EU27" and sorted(eu.members) == sorted(EU27) and eu.year == 2018
    num = math.fsum(float(tidy[(RD, m, 2018)]["value"]) * float(tidy[("NY.GDP.MKTP.CD", m, 2018)]["value"])
                    for m in EU27)
    den = math.fsum(float(tidy[("NY.GDP.MKTP.CD", m, 2018)]["value"]) for m in EU27)
    assert eu.value is not None and eu.value.basis is Basis.DERIVED
    assert eu.value.value == pytest.approx(num / den, rel=1e-12)
    cov = eu.value.coverage
    assert cov is not None and cov.complete and sorted(cov.economies) == sorted(EU27) and cov.years == (2018,)
    assert "100% of the members' GDP" in cov.note
    assert {s.url for s in eu.value.sources} == {"https://data.worldbank.org/indicator/GB.XPD.RSDV.GD.ZS",
                                                  "https://data.worldbank.org/indicator/NY.GDP.MKTP.CD"}
    assert eu.rank is None


def test_bloc_sums_name_the_members_missing(loaded: Store, tidy: Tidy) -> None:
    code = "IP.PAT.RESD"
    eu = innovation(loaded, "EU27", indicators=[code]).row(code).subject
    assert eu.year is not None and eu.value is not None and eu.value.coverage is not None
    have = [m for m in EU27 if (code, m, eu.year) in tidy]
    assert eu.value.value == pytest.approx(math.fsum(float(tidy[(code, m, eu.year)]["value"]) for m in have))
    missing = sorted(set(EU27) - set(have))
    assert missing and not eu.value.coverage.complete
    assert eu.value.coverage.missing == "no data: " + ", ".join(missing)
    gdp = {m: float(tidy[("NY.GDP.MKTP.CD", m, eu.year)]["value"]) for m in EU27}
    share = math.fsum(gdp[m] for m in have) / math.fsum(gdp.values())
    assert f"{share:.0%} of the members' GDP" in eu.value.coverage.note


def test_high_tech_share_of_a_bloc_is_a_ratio_of_sums(loaded: Store, tidy: Tidy) -> None:
    code, usd = "TX.VAL.TECH.MF.ZS", "TX.VAL.TECH.CD"
    eu = innovation(loaded, "EU27", indicators=[code]).row(code).subject
    assert eu.year is not None and eu.value is not None
    both = [m for m in EU27 if (code, m, eu.year) in tidy and (usd, m, eu.year) in tidy]
    h = {m: float(tidy[(usd, m, eu.year)]["value"]) for m in both}
    s = {m: float(tidy[(code, m, eu.year)]["value"]) for m in both}
    manufactured = math.fsum(h[m] * 100 / s[m] for m in both)
    assert eu.value.value == pytest.approx(100 * math.fsum(h.values()) / manufactured, rel=1e-12)


def test_researchers_per_million_are_not_aggregated_without_population(loaded: Store) -> None:
    eu = innovation(loaded, "EU27", indicators=["SP.POP.SCIE.RD.P6"]).row("SP.POP.SCIE.RD.P6").subject
    assert eu.value is not None and eu.value.basis is Basis.QUALITATIVE
    assert "population" in (eu.value.label or "") and eu.value.value is None


def test_aggregate_rules_on_a_hand_computed_case() -> None:
    members = ["A", "B", "C"]
    rd = spec_for("GB.XPD.RSDV.GD.ZS")
    got = aggregate(rd, {"A": 2.0, "B": 4.0}, {"A": 100.0, "B": 300.0, "C": 50.0}, members)
    assert got.value == pytest.approx((2 * 100 + 4 * 300) / 400) and got.covered == ("A", "B")
    researchers = spec_for("SP.POP.SCIE.RD.P6")
    got = aggregate(researchers, {"A": 1000.0, "B": 3000.0}, {"A": 10.0, "B": 30.0}, members)
    assert got.value == pytest.approx((1000 * 10 + 3000 * 30) / 40)
    assert aggregate(researchers, {"A": 1.0}, None, members).value is None
    share = spec_for("TX.VAL.TECH.MF.ZS")  # A: 10 of 100 manufactured, B: 30 of 60
    got = aggregate(share, {"A": 10.0, "B": 50.0}, {"A": 10.0, "B": 30.0}, members)
    assert got.value == pytest.approx(100 * 40 / 160)
    assert aggregate(spec_for("IP.PAT.RESD"), {"A": 1.0, "C": 2.0}, None, members).value == 3.0
    assert aggregate(spec_for("XX.UNKNOWN"), {"A": 1.0}, None, members).value is None


def test_small_pure_helpers() -> None:
    assert ols_slope([0, 1, 2], [1, 3, 5]) == pytest.approx(2.0)
    assert cagr(2000, 100.0, 2002, 121.0) == pytest.approx(10.0)
    assert cagr(2000, 0.0, 2002, 1.0) is None
    assert rank_of(3.0, [1.0, 3.0, 5.0, 3.0]) == (2, 4)


def test_peers_side_by_side_and_unknown_names(loaded: Store) -> None:
    res = innovation(loaded, "CHN", peers="USA,JPN,KOR,DEU,EU27")
    assert res.peers == ("USA", "JPN", "KOR", "DEU", "EU27")
    row = res.row(RD)
    assert [p.economy for p in row.peers] == ["USA", "JPN", "KOR", "DEU", "EU27"]
    usa = row.peers[0]
    assert usa.value is not None and usa.value.value == 2.83766 and usa.rank is not None
    d = res.to_dict()
    assert d["indicators"][0]["subject"]["value"]["value"] == 2.18568
    with pytest.raises(UnknownEconomyError):
        innovation(loaded, "CHN", peers="Atlantis")
    with pytest.raises(UsageError):
        innovation(loaded, "CHN", indicators=["NOPE"])


def test_an_empty_store_says_how_to_load_data(store: Store) -> None:
    with pytest.raises(UsageError, match="autarky import wdi"):
        innovation(store, "CHN")


def test_the_economy_among_its_own_peers_appears_once(loaded: Store) -> None:
    res = innovation(loaded, "USA", "USA,EU27", indicators=[RD])
    assert [p.economy for p in res.row(RD).peers] == [innovation(loaded, "EU27", indicators=[RD]).row(RD)
                                                      .subject.economy]


def test_a_series_held_for_other_economies_says_which(loaded: Store) -> None:
    from autarky.errors import UnknownItemError
    from autarky.indicators.trajectories import trajectory

    with pytest.raises(UnknownItemError, match=r"'ic-self-sufficiency' has no values for USA; the store holds it "
                                               r"for CHN"):
        trajectory(loaded, "USA", "ic-self-sufficiency")


def test_a_read_only_store_keeps_bloc_values_equal_to_fresh_ones(tmp_path: Path) -> None:
    """A bloc's values are kept by a read-only store (every economy's assessment asks the same peers):
    asked for two economies, in either order, they equal a writable store's, computed afresh."""
    path = tmp_path / "s.duckdb"
    st = open_store(path)
    load_wdi(st, bundled_path("wdi-science-technology"))
    fresh = {e: innovation(st, e, "USA,EU27,US_ALLIES") for e in ("CHN", "JPN")}
    st.close()
    ro = open_store(path, read_only=True)
    try:
        first = None
        for e in ("JPN", "CHN", "JPN"):
            kept = innovation(ro, e, "USA,EU27,US_ALLIES")
            assert kept == fresh[e]
            eu = kept.row(RD).peers[1]
            assert eu.economy == "EU27" and eu.value is not None and eu.value.coverage is not None
            assert first is None or eu is first  # kept, not computed again
            first = eu
        assert innovation(ro, "EU27", "CHN").row(RD).subject == fresh["CHN"].row(RD).peers[1]
    finally:
        ro.close()


def test_a_servers_store_reads_every_economy_at_once_and_answers_as_one_by_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server's store reads every economy's values in one query (kept while open): each economy's data, the
    pools ranks are computed over, and every innovation answer equal reading the economies one by one (and
    querying the pools); above READ_ALL_UP_TO values it reads one by one again."""
    from autarky.indicators import store_io

    path = tmp_path / "s.duckdb"
    st = open_store(path)
    load_wdi(st, bundled_path("wdi-science-technology"))
    st.close()
    one, served = open_store(path, read_only=True), open_store(path, read_only=True)
    served.answers_many = True
    try:
        economies = [r[0] for r in one.raw.execute("SELECT DISTINCT economy FROM indicator_values "
                                                   "ORDER BY 1").fetchall()]
        assert len(economies) > 200
        reads: list[object] = []
        real = store_io._read
        monkeypatch.setattr(store_io, "_read", lambda s, c, e: reads.append(e) or real(s, c, e))
        for group in (economies[:1], economies[5:40], ["CHN", "USA", "DEU", "ZZZ"], economies):
            a, b = store_io.indicator_data(one, None, group), store_io.indicator_data(served, None, group)
            assert (a.names, a.series, a.aggregates) == (b.names, b.series, b.aggregates)
        assert reads.count(None) == 1  # the server's store: one read of every economy
        pairs = [(c, int(y)) for c, y in one.raw.execute(
            "SELECT DISTINCT indicator_code, year FROM indicator_values").fetchall()] + [("NO.SUCH.CODE", 2020)]
        assert store_io.year_pools(served, pairs) == store_io.year_pools(one, pairs)  # ranks' pools, aggregates out
        for e in ("CHN", "JPN", "BRA"):
            assert innovation(served, e, "USA,EU27") == innovation(one, e, "USA,EU27")
        monkeypatch.setattr(store_io, "READ_ALL_UP_TO", 1000)
        assert store_io._every_economy(served) is None
    finally:
        one.close()
        served.close()
