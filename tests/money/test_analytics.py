"""Flows, concentration, redundancy, failed projects and alignment pinned to a hand-computed ledger.

The ledger (tests/data/money/flows) in short -- CNY unless noted, USD converted at the Fed G.5A 2021
average of 6.4508 CNY per USD:

    deal fund(level, phase, province) -> investee(segment, nodes, province)      amount  year status
    d01  F1 (national, I)             -> D (fabrication, -, Shanghai)             100    2019 completed
    d02  F1 (national, I)             -> A (equipment, N36, Anhui)                 50    2019 completed
    d03  F2 (national, II)            -> B (equipment, N36;N55, Hubei)            200    2021 completed
    d04  F2 (national, II)            -> C (materials, N31, Guangdong)          10 USD   2021 completed
    d05  P1 (provincial, Hubei)       -> B                                         30    2020 completed
    d06  P2 (provincial, Anhui)       -> A                                         20    2021 completed
    d07  M3 (municipal, Guangdong)    -> C                                         40    2022 failed
    d08  M2 (municipal, Hubei)        -> B                                         --    2021 announced
    d09  M1 (municipal, Anhui)        -> A                                         60    2023 written_off
    d10  (no fund)                    -> E (fabrication, -, Hubei)     1000 planned    2020 failed
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from autarky.money import (
    alignment,
    classify_nodes,
    concentration,
    failed_projects,
    flows,
    load_frames,
    load_ledger,
    redundancy,
)
from autarky.store import Store

DATA = Path(__file__).parents[1] / "data" / "money" / "flows"
USD_2021 = 6.4508  # CNY per USD, Federal Reserve G.5A annual average for 2021
D04_CNY = 10 * USD_2021


@pytest.fixture
def deals(store: Store) -> pl.DataFrame:
    result = load_ledger(store, DATA)
    assert result.rows_quarantined == 0
    return load_frames(store).deals


def _by(frame: pl.DataFrame, key: str) -> dict[object, dict[str, object]]:
    return {r[key]: r for r in frame.iter_rows(named=True)}


def test_flows_by_phase(deals: pl.DataFrame) -> None:
    out = _by(flows(deals, ["phase"]), "phase")
    assert out["I"]["amount_cny"] == pytest.approx(150.0)
    assert out["II"]["amount_cny"] == pytest.approx(200.0 + D04_CNY)
    assert out["II"]["amount_usd"] == pytest.approx(200.0 / USD_2021 + 10.0)
    # local funds have no phase: d05 + d06 + d07 + d09; d08 has no amount; d10 is a planned total
    assert out[None]["amount_cny"] == pytest.approx(30.0 + 20.0 + 40.0 + 60.0)
    assert out[None]["deals"] == 5 and out[None]["with_amount"] == 4
    assert out["I"]["deals"] == 2 and out["II"]["deals"] == 2


def test_flows_planned_only_on_request(deals: pl.DataFrame) -> None:
    default = float(flows(deals, [])["amount_cny"].sum())
    planned = float(flows(deals, [], include_planned=True)["amount_cny"].sum())
    assert planned - default == pytest.approx(1000.0)


def test_flows_by_phase_and_segment(deals: pl.DataFrame) -> None:
    rows = flows(deals, ["phase", "segment"]).iter_rows(named=True)
    out = {(r["phase"], r["segment"]): r["amount_cny"] for r in rows}
    assert out == pytest.approx({
        ("I", "fabrication"): 100.0, ("I", "equipment"): 50.0,
        ("II", "equipment"): 200.0, ("II", "materials"): D04_CNY,
        (None, "equipment"): 30.0 + 20.0 + 60.0, (None, "materials"): 40.0,
    })


def test_flows_by_year_and_province(deals: pl.DataFrame) -> None:
    years = {r["year"]: r["amount_cny"] for r in flows(deals, ["year"]).iter_rows(named=True)}
    assert years == pytest.approx({2019: 150.0, 2020: 30.0, 2021: 220.0 + D04_CNY, 2022: 40.0, 2023: 60.0})
    prov = {r["province"]: r["amount_cny"] for r in flows(deals, ["province"]).iter_rows(named=True)}
    assert prov == pytest.approx({"Shanghai": 100.0, "Anhui": 130.0, "Hubei": 230.0, "Guangdong": D04_CNY + 40.0})


def test_flows_by_node_split_equally(deals: pl.DataFrame) -> None:
    nodes = {r["node_id"]: r["amount_cny"] for r in flows(deals, ["node"]).iter_rows(named=True)}
    # B's deals (d03 200, d05 30) are split half to N36, half to N55
    assert nodes == pytest.approx({"N36": 50 + 100 + 15 + 20 + 60, "N55": 100 + 15, "N31": D04_CNY + 40,
                                   None: 100.0})
    assert sum(nodes.values()) == pytest.approx(flows(deals, [])["amount_cny"].sum())


def test_concentration_over_segments_and_provinces(deals: pl.DataFrame) -> None:
    seg = concentration(deals, "segment")
    total = 360.0 + (D04_CNY + 40.0) + 100.0
    assert seg.hhi == pytest.approx((360.0**2 + (D04_CNY + 40.0) ** 2 + 100.0**2) / total**2)
    assert seg.groups == 3 and seg.coverage == pytest.approx(1.0)
    prov = concentration(deals, "province")
    ptotal = 100.0 + 130.0 + 230.0 + D04_CNY + 40.0
    assert prov.hhi == pytest.approx((100.0**2 + 130.0**2 + 230.0**2 + (D04_CNY + 40.0) ** 2) / ptotal**2)
    assert prov.shares["share"].sum() == pytest.approx(1.0)


def test_failed_projects(deals: pl.DataFrame) -> None:
    out = _by(failed_projects(deals), "status")
    assert out["failed"]["deals"] == 2 and out["failed"]["amount_cny"] == pytest.approx(1040.0)
    assert out["written_off"]["deals"] == 1 and out["written_off"]["amount_cny"] == pytest.approx(60.0)
    assert out["abandoned"]["deals"] == 0 and out["abandoned"]["amount_cny"] is None


def test_redundancy_counts_local_funds_in_a_window(deals: pl.DataFrame) -> None:
    # equipment, local funds: P1 (2020), P2 (2021), M2 (2021, no amount), M1 (2023)
    by_fund = redundancy(deals, by="segment", k=3, window=3, count="funds")
    assert by_fund.height == 1
    row = by_fund.row(0, named=True)
    assert (row["key"], row["window_start"], row["window_end"], row["funders"]) == ("equipment", 2020, 2022, 3)
    assert row["funder_list"] == "M2; P1; P2"
    assert row["amount_cny"] == pytest.approx(50.0)
    # the same deals come from only two provinces (Hubei, Anhui) in any 3-year window
    assert redundancy(deals, by="segment", k=3, window=3, count="provinces").height == 0
    assert redundancy(deals, by="segment", k=2, window=3, count="provinces")["key"].to_list() == ["equipment"]
    nodes = redundancy(deals, by="node", k=3, window=3, count="funds")
    assert nodes["key"].to_list() == ["N36"]  # N55 only has P1 and M2


def test_alignment_by_phase(deals: pl.DataFrame) -> None:
    classes = {"N36": "chokepoint", "N55": "self-supplied", "N31": "other"}
    out = _by(alignment(deals, classes, by=["phase"]), "phase")
    one = out["I"]
    assert one["value"] == pytest.approx(150.0)
    assert one["share_chokepoint"] == pytest.approx(50 / 150) and one["share_unmapped"] == pytest.approx(100 / 150)
    two = out["II"]
    v2 = 200.0 + D04_CNY
    assert two["share_chokepoint"] == pytest.approx(100 / v2)
    assert two["share_self_supplied"] == pytest.approx(100 / v2)
    assert two["share_other"] == pytest.approx(D04_CNY / v2)
    local = out[None]
    assert local["chokepoint"] == pytest.approx(15 + 20 + 60)
    assert local["self_supplied"] == pytest.approx(15.0)
    assert local["other"] == pytest.approx(40.0)
    for row in out.values():
        total = sum(float(str(row[f"share_{c}"])) for c in ("chokepoint", "self_supplied", "other", "unmapped"))
        assert total == pytest.approx(1.0)


def test_alignment_unknown_node_is_other_and_classes_are_checked(deals: pl.DataFrame) -> None:
    out = alignment(deals, {"N36": "chokepoint"}, by=[])
    row = out.row(0, named=True)
    assert row["value"] == pytest.approx(150.0 + 200.0 + D04_CNY + 150.0)
    assert row["other"] == pytest.approx(100.0 + 15.0 + D04_CNY + 40.0)
    with pytest.raises(ValueError, match="node classes"):
        alignment(deals, {"N36": "critical"})


def test_classify_nodes() -> None:
    classes = classify_nodes(["N20"], {"N20": 0.0, "N36": 55.0, "N55": 49.9, "N31": None})
    assert classes == {"N20": "chokepoint", "N36": "self-supplied", "N55": "other", "N31": "other"}


def test_unknown_dimension_is_a_usage_error(deals: pl.DataFrame) -> None:
    with pytest.raises(ValueError, match="cannot group by 'colour'"):
        flows(deals, ["colour"])


def test_alignment_cannot_be_grouped_by_node(deals: pl.DataFrame) -> None:
    from autarky.errors import UsageError

    with pytest.raises(UsageError, match="flows --by node"):
        alignment(deals, {"N36": "chokepoint"}, by=["node"])
