"""Indicators pinned to hand-computed small cases, and their invariants."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from trade_helpers import flows_table

from autarky.errors import UsageError
from autarky.trade import indicators as ind

ROWS = [
    # year, exporter, importer, product, value
    (2020, "TWN", "CHN", "854231", 60.0), (2020, "KOR", "CHN", "854231", 30.0),
    (2020, "USA", "CHN", "854231", 10.0), (2020, "CHN", "USA", "854231", 20.0),
    (2020, "CHN", "VNM", "854231", 5.0), (2020, "TWN", "USA", "854231", 40.0),
    (2020, "CHN", "USA", "850760", 50.0), (2020, "KOR", "CHN", "850760", 8.0),
    (2020, "JPN", "CHN", "850760", 2.0),
    (2021, "TWN", "CHN", "854231", 50.0), (2021, "KOR", "CHN", "854231", 40.0),
    (2021, "VNM", "CHN", "854231", 30.0),
]


def _flows(rows: list[tuple[int, str, str, str, float]] = ROWS) -> ir.Table:
    return ind.with_groups(ibis.memtable(flows_table(rows)), "product")


def _rows(expr: ir.Table, *keys: str) -> list[dict[str, object]]:
    t = expr.to_pyarrow()
    return t.sort_by([(k, "ascending") for k in keys]).to_pylist()


def test_totals_net_and_ratio() -> None:
    got = _rows(ind.trade_totals(_flows(), {"CHN"}), "year", "group")
    assert got == [
        {"year": 2020, "group": "850760", "imports": 10.0, "exports": 50.0, "net": 40.0,
         "net_import_ratio": pytest.approx(-40 / 60)},
        {"year": 2020, "group": "854231", "imports": 100.0, "exports": 25.0, "net": -75.0,
         "net_import_ratio": pytest.approx(0.6)},
        {"year": 2021, "group": "854231", "imports": 120.0, "exports": 0.0, "net": -120.0,
         "net_import_ratio": 1.0},
    ]


def test_shares_hhi_top() -> None:
    shares = ind.supplier_shares(_flows(), {"CHN"})
    got = _rows(shares.filter((shares.year == 2020) & (shares.group == "854231")), "rank")
    assert [(r["supplier"], r["share"], r["rank"]) for r in got] == [
        ("TWN", pytest.approx(0.6), 1), ("KOR", pytest.approx(0.3), 2), ("USA", pytest.approx(0.1), 3)]
    conc = {(r["year"], r["group"]): r for r in _rows(ind.concentration(shares), "year", "group")}
    c = conc[(2020, "854231")]
    assert (c["hhi"], c["n_suppliers"], c["top_supplier"], c["top_share"]) == (
        pytest.approx(0.36 + 0.09 + 0.01), 3, "TWN", pytest.approx(0.6))
    assert conc[(2020, "850760")]["hhi"] == pytest.approx(0.8**2 + 0.2**2)
    assert conc[(2021, "854231")]["hhi"] == pytest.approx((50**2 + 40**2 + 30**2) / 120**2)


def test_ties_are_ranked_by_code() -> None:
    rows = [(2020, "KOR", "CHN", "1", 5.0), (2020, "JPN", "CHN", "1", 5.0)]
    got = _rows(ind.supplier_shares(_flows(rows), {"CHN"}), "rank")
    assert [(r["supplier"], r["rank"]) for r in got] == [("JPN", 1), ("KOR", 2)]


def test_bloc_share_and_bloc_as_economy() -> None:
    got = {r["group"]: r["bloc_share"] for r in _rows(
        ind.bloc_share(_flows(), {"CHN"}, {"USA", "JPN", "KOR", "TWN"}).filter(ibis._.year == 2020), "group")}
    assert got == {"850760": 1.0, "854231": 1.0}
    only_usa = _rows(ind.bloc_share(_flows(), {"CHN"}, {"USA"}).filter(ibis._.year == 2020), "group")
    assert [r["bloc_share"] for r in only_usa] == [0.0, pytest.approx(0.1)]
    # CHN+USA as one economy: their mutual trade is internal
    bloc = _rows(ind.trade_totals(_flows(), {"CHN", "USA"}).filter(ibis._.year == 2020), "group")
    assert [(r["group"], r["imports"], r["exports"]) for r in bloc] == [
        ("850760", 10.0, 0.0), ("854231", 130.0, 5.0)]


def test_world_export_concentration() -> None:
    got = {(r["year"], r["group"]): r for r in _rows(ind.world_export_concentration(_flows()), "year", "group")}
    r = got[(2020, "854231")]
    assert r["world_exports"] == 165.0 and r["n_exporters"] == 4
    assert r["world_export_hhi"] == pytest.approx((100**2 + 30**2 + 10**2 + 25**2) / 165**2)


def test_self_sufficiency_fao() -> None:
    prod = ibis.memtable(pa.table({"year": pa.array([2020], pa.int16()), "group": ["854231"],
                                   "production": [300.0]}))
    got = _rows(ind.self_sufficiency(ind.trade_totals(_flows(), {"CHN"}), prod), "year", "group")
    r = next(x for x in got if x["group"] == "854231" and x["year"] == 2020)
    # Q = 300, M = 100, X = 25: SSR = 300 / 375, IDR = 100 / 375
    assert r["apparent_consumption"] == 375.0
    assert r["self_sufficiency"] == pytest.approx(0.8) and r["import_dependency"] == pytest.approx(100 / 375)
    assert next(x for x in got if x["group"] == "850760")["self_sufficiency"] is None


def test_growth_and_trend() -> None:
    totals = ind.trade_totals(_flows(), {"CHN"})
    got = {(r["year"], r["group"]): r["imports_growth"] for r in _rows(ind.growth(totals, "imports"),
                                                                        "year", "group")}
    assert got == {(2020, "850760"): None, (2020, "854231"): None, (2021, "854231"): pytest.approx(0.2)}
    series = ibis.memtable(pa.table({"group": ["a"] * 4 + ["b"], "year": pa.array([2018, 2019, 2020, 2022, 2020],
                                                                                    pa.int16()),
                                     "v": [100.0, 110.0, 121.0, 146.41, 5.0]}))
    tr = {r["group"]: r for r in _rows(ind.trend(series, "v"), "group")}
    a = tr["a"]
    assert (a["first_year"], a["last_year"], a["n_years"]) == (2018, 2022, 4)
    assert a["cagr"] == pytest.approx(0.1) and a["trend_growth"] == pytest.approx(0.1)
    assert tr["b"]["cagr"] is None and tr["b"]["trend_growth"] is None
    gaps = _rows(ind.growth(series, "v"), "group", "year")
    assert [r["v_growth"] for r in gaps if r["group"] == "a"] == [None, pytest.approx(0.1), pytest.approx(0.1), None]


def test_panel_matches_the_single_economy_functions() -> None:
    panel = {(r["economy"], r["product"], r["year"]): r
             for r in ind.dependence_panel(ibis.memtable(flows_table(ROWS)), bloc={"USA"}).to_pyarrow().to_pylist()}
    p = panel[("CHN", "854231", 2020)]
    assert (p["imports"], p["exports"], p["net"], p["n_suppliers"]) == (100.0, 25.0, -75.0, 3)
    assert p["import_hhi"] == pytest.approx(0.46) and p["top_share"] == pytest.approx(0.6)
    assert p["bloc_share"] == pytest.approx(0.1)
    assert p["world_export_hhi"] == pytest.approx(11625 / 27225)
    # an exporter that imports nothing still has a row (exports only)
    t = panel[("TWN", "854231", 2020)]
    assert (t["imports"], t["exports"], t["import_hhi"]) == (0.0, 100.0, None)


def test_groups_need_a_concordance() -> None:
    with pytest.raises(UsageError):
        ind.with_groups(ibis.memtable(flows_table(ROWS)), "sector")
    with pytest.raises(UsageError):
        ind.trade_totals(_flows(), set())


flow_rows = st.lists(
    st.tuples(st.sampled_from(["AAA", "BBB", "CCC", "DDD", "EEE"]), st.sampled_from(["111111", "222222"]),
              st.integers(min_value=1, max_value=10**6)),
    min_size=1, max_size=30)


@settings(max_examples=25, deadline=None)
@given(flow_rows)
def test_shares_sum_to_one_and_hhi_bounds(rows: list[tuple[str, str, int]]) -> None:
    flows = _flows([(2020, e, "ZZZ", p, float(v)) for e, p, v in rows])
    shares = ind.supplier_shares(flows, {"ZZZ"})
    sums = shares.group_by("group").agg(s=shares.share.sum()).to_pyarrow().column("s").to_pylist()
    assert all(s == pytest.approx(1.0) for s in sums)
    for r in ind.concentration(shares).to_pyarrow().to_pylist():
        assert 1 / r["n_suppliers"] - 1e-12 <= r["hhi"] <= 1 + 1e-12


@pytest.mark.parametrize("precomputed", [False, True])
def test_sector_groups_by_code_prefix_or_from_the_products_groups(precomputed: bool) -> None:
    """854231 lies in s (8542 and 854231: two segments) and t (85); 850760 in t only.  Grouping through the
    concordance or through :func:`product_groups` computed beforehand gives the same hand-computed sums."""
    concordance = pa.table({"sector": ["s", "s", "t"], "segment": ["a", "b", "c"], "hs_revision": ["HS17"] * 3,
                            "hs_code": ["8542", "854231", "85"]})
    flows = ibis.memtable(flows_table(ROWS))

    def grouped(by: str, sectors: pa.Table) -> ir.Table:
        if precomputed:
            groups = ibis.memtable(ind.product_groups(flows, sectors).to_pyarrow())
            return ind.with_groups(flows, by, groups=groups)
        return ind.with_groups(flows, by, sectors)

    def sums(t: ir.Table) -> dict[tuple[int, str], float]:
        return {(r["year"], r["group"]): r["v"]
                for r in t.group_by("year", "group").agg(v=t.value_usd.sum()).to_pyarrow().to_pylist()}

    in_2020_854231, in_2020_850760, in_2021 = 165.0, 60.0, 120.0
    assert sums(grouped("sector", concordance)) == {
        (2020, "s"): in_2020_854231, (2020, "t"): in_2020_854231 + in_2020_850760,
        (2021, "s"): in_2021, (2021, "t"): in_2021}
    assert sums(grouped("segment", concordance))[(2020, "s/a")] == in_2020_854231
    only_s = concordance.filter(pa.array([True, True, False]))
    if precomputed:
        kept = ind.in_groups(flows, groups=ibis.memtable(ind.product_groups(flows, only_s).to_pyarrow()))
    else:
        kept = ind.in_groups(flows, only_s)
    assert sorted(set(kept.product.to_pyarrow().to_pylist())) == ["854231"] and kept.count().to_pyarrow().as_py() == 9


def test_a_concordance_without_segments_groups_by_sector() -> None:
    """``with_groups(…, "sector", concordance)`` needs no segment column (the benches pass such tables)."""
    concordance = pa.table({"sector": ["s", "t"], "hs_revision": ["HS17"] * 2, "hs_code": ["8542", "85"]})
    flows = ibis.memtable(flows_table(ROWS))
    t = ind.with_groups(flows, "sector", concordance)
    got = {(r["year"], r["group"]): r["v"]
           for r in t.group_by("year", "group").agg(v=t.value_usd.sum()).to_pyarrow().to_pylist()}
    assert got == {(2020, "s"): 165.0, (2020, "t"): 225.0, (2021, "s"): 120.0, (2021, "t"): 120.0}
    assert ind.in_groups(flows, concordance.slice(0, 1)).count().to_pyarrow().as_py() == 9
