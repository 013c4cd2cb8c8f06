"""The GeoDep-style screen, the China+1 shift and decoupling, on constructed cases."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pytest
from trade_helpers import flows_table

from autarky.errors import UsageError
from autarky.trade import indicators as ind
from autarky.trade.bilateral import bilateral_shares
from autarky.trade.screening import ScreenThresholds, dependency_screen, screen_summary
from autarky.trade.supplier_shifts import supplier_shift


def _flows(rows: list[tuple[int, str, str, str, float]]) -> ir.Table:
    return ind.with_groups(ibis.memtable(flows_table(rows)), "product")


def _screen_rows() -> list[tuple[int, str, str, str, float]]:
    """CHN's imports of P: concentrated every year; CHN a net importer in 2018 and 2020 only."""
    rows: list[tuple[int, str, str, str, float]] = []
    for year in (2018, 2019, 2020, 2021, 2022):
        rows += [(year, "TWN", "CHN", "P", 90.0), (year, "KOR", "CHN", "P", 10.0),
                 (year, "TWN", "USA", "P", 300.0)]
        if year not in (2018, 2020):
            rows.append((year, "CHN", "USA", "P", 200.0))  # then exports 200 > imports 100
    # Q: imports spread over four suppliers (HHI 0.25): never concentrated
    rows += [(2020, s, "CHN", "Q", 25.0) for s in ("TWN", "KOR", "JPN", "USA")]
    return rows


def test_screen_criteria_hand_computed() -> None:
    got = {(r["group"], r["year"]): r for r in
           dependency_screen(_flows(_screen_rows()), {"CHN"}).to_pyarrow().to_pylist()}
    p18 = got[("P", 2018)]
    # imports 100 (TWN 90, KOR 10): HHI .82; world exports TWN 390, KOR 10: HHI (390² + 10²)/400²
    assert p18["import_hhi"] == pytest.approx(0.82)
    assert p18["world_export_hhi"] == pytest.approx((390**2 + 10**2) / 400**2)
    assert p18["exports"] == 0.0 and p18["import_export_ratio"] is None and p18["net_importer"]
    assert p18["holds"] and p18["years_holding"] == 1 and not p18["flagged"]
    p19 = got[("P", 2019)]
    assert p19["import_export_ratio"] == pytest.approx(0.5) and not p19["net_importer"] and not p19["holds"]
    assert [got[("P", y)]["years_holding"] for y in (2018, 2019, 2020, 2021, 2022)] == [1, 1, 2, 1, 1]
    assert [got[("P", y)]["flagged"] for y in (2018, 2019, 2020, 2021, 2022)] == [False, False, True, False, False]
    q = got[("Q", 2020)]
    assert q["import_hhi"] == pytest.approx(0.25) and not q["concentrated_imports"] and not q["flagged"]


def test_screen_thresholds_are_parameters() -> None:
    loose = ScreenThresholds(window=1, min_years=1)
    got = {(r["group"], r["year"]): r["flagged"] for r in
           dependency_screen(_flows(_screen_rows()), {"CHN"}, thresholds=loose).to_pyarrow().to_pylist()}
    assert got[("P", 2018)] and got[("P", 2020)] and not got[("P", 2019)]
    strict = ScreenThresholds(import_hhi=0.9)
    assert not any(r["flagged"] for r in dependency_screen(_flows(_screen_rows()), {"CHN"},
                                                           thresholds=strict).to_pyarrow().to_pylist())
    with pytest.raises(UsageError):
        ScreenThresholds(window=2, min_years=3)


def test_screen_summary() -> None:
    sc = dependency_screen(_flows(_screen_rows()), {"CHN"})
    got = {r["group"]: r for r in screen_summary(sc).to_pyarrow().to_pylist()}
    assert (got["P"]["latest_year"], got["P"]["flagged_latest"], got["P"]["years_flagged"],
            got["P"]["first_flagged"]) == (2022, False, 1, 2020)
    assert got["Q"]["years_flagged"] == 0 and got["Q"]["first_flagged"] is None


SHIFT = [
    (2018, "CHN", "USA", "854231", 60.0), (2018, "MEX", "USA", "854231", 20.0),
    (2018, "VNM", "USA", "854231", 10.0), (2018, "KOR", "USA", "854231", 10.0),
    (2022, "CHN", "USA", "854231", 30.0), (2022, "MEX", "USA", "854231", 40.0),
    (2022, "VNM", "USA", "854231", 50.0), (2022, "KOR", "USA", "854231", 10.0),
    (2022, "IND", "USA", "854231", 20.0),
    (2022, "CHN", "DEU", "854231", 999.0),  # another importer: ignored
    (2020, "CHN", "USA", "854231", 999.0),  # a year in neither period: ignored
]


def test_china_plus_one_shift() -> None:
    got = supplier_shift(_flows(SHIFT), {"USA"}, {"CHN"}, base=[2018], compare=[2022]).to_pyarrow().to_pylist()
    by = {r["supplier"]: r for r in got}
    # base shares CHN .6 MEX .2 VNM .1 KOR .1; compare CHN .2 MEX 4/15 VNM 1/3 KOR 1/15 IND 2/15
    assert by["CHN"]["is_loser"] and by["CHN"]["share_change"] == pytest.approx(-0.4)
    assert by["CHN"]["captured"] is None
    expected = {"VNM": (1 / 3 - 0.1) / 0.4, "IND": (2 / 15) / 0.4, "MEX": (4 / 15 - 0.2) / 0.4,
                "KOR": (1 / 15 - 0.1) / 0.4}
    for k, v in expected.items():
        assert by[k]["captured"] == pytest.approx(v)
        assert by[k]["loser_share_change"] == pytest.approx(-0.4)
    assert sum(r["captured"] for r in got if r["captured"] is not None) == pytest.approx(1.0)
    assert sum(r["share_change"] for r in got) == pytest.approx(0.0, abs=1e-12)
    assert [r["supplier"] for r in got] == ["VNM", "IND", "MEX", "KOR", "CHN"]  # largest gain first
    assert by["IND"]["base_value"] == 0.0 and by["IND"]["compare_value"] == 20.0


def test_shift_periods_and_blocs() -> None:
    got = supplier_shift(_flows(SHIFT), {"USA"}, {"CHN", "KOR"}, base=[2018], compare=[2022]).to_pyarrow()
    rows = {r["supplier"]: r for r in got.to_pylist()}
    # CHN+KOR lose 0.4 + 0.0333 = 13/30
    assert rows["VNM"]["loser_share_change"] == pytest.approx(-13 / 30)
    assert rows["KOR"]["is_loser"] and rows["KOR"]["captured"] is None
    with pytest.raises(UsageError):
        supplier_shift(_flows(SHIFT), {"USA"}, {"CHN"}, base=[2018], compare=[2018, 2022])
    with pytest.raises(UsageError):
        supplier_shift(_flows(SHIFT), {"USA"}, {"USA"}, base=[2018], compare=[2022])


DECOUPLING = [
    (2020, "USA", "CHN", "854231", 30.0), (2020, "JPN", "CHN", "854231", 20.0),
    (2020, "CHN", "USA", "854231", 10.0), (2020, "KOR", "USA", "854231", 40.0),
    (2020, "KOR", "CHN", "854231", 50.0), (2020, "USA", "JPN", "854231", 100.0),
    (2021, "USA", "CHN", "854231", 10.0), (2021, "KOR", "CHN", "854231", 90.0),
    (2021, "CHN", "USA", "854231", 5.0), (2021, "KOR", "USA", "854231", 45.0),
]


def test_decoupling_shares() -> None:
    got = bilateral_shares(_flows(DECOUPLING), {"USA", "JPN"}, {"CHN"}).to_pyarrow().to_pylist()
    y20, y21 = got
    assert (y20["a_to_b"], y20["b_to_a"], y20["a_imports"], y20["b_imports"], y20["world"]) == (
        50.0, 10.0, 50.0, 100.0, 250.0)
    assert y20["share_of_a_imports_from_b"] == pytest.approx(0.2)
    assert y20["share_of_b_imports_from_a"] == pytest.approx(0.5)
    assert y20["bilateral_share_of_world"] == pytest.approx(0.24)
    assert y20["share_of_b_imports_from_a_change"] is None
    assert y21["share_of_b_imports_from_a"] == pytest.approx(0.1)
    assert y21["share_of_b_imports_from_a_change"] == pytest.approx(-0.4)
    with pytest.raises(UsageError, match="overlap"):
        bilateral_shares(_flows(DECOUPLING), {"USA", "CHN"}, {"CHN"})
