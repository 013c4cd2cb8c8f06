"""Measures, chokepoint ranking and vintage comparison."""

from __future__ import annotations

from pathlib import Path

import pytest

from autarky.chains import ChainMap, load_map
from autarky.chains.compare import compare_maps, compare_vintages
from autarky.chains.eto import load_eto
from autarky.chains.measures import chokepoints, criticality, measures_table, node_measures
from autarky.errors import UnknownItemError
from autarky.store import Store
from conftest import make_map


def test_chokepoint_score_components_hand_computed() -> None:
    cmap = make_map(
        [
            ("A", "tool_resource", None),
            ("B", "tool_resource", None),
            ("P", "process", "S1"),
            ("O", "ultimate_output", None),
        ],
        [("A", "P", "goes_into"), ("P", "O", "goes_into")],
        [("USA", "A", 60.0), ("JPN", "A", 20.0), ("CHN", "A", 20.0), ("USA", "B", 100.0)],
    )
    by_id = {c.node_id: c for c in chokepoints(cmap, {"CHN"})}
    a = by_id["A"]
    assert a.foreign_dependence == pytest.approx(0.8)
    assert a.foreign_concentration == pytest.approx((0.36 + 0.04) / 0.64)
    assert a.criticality == 1.0 and a.substitute_absence == 1.0
    assert a.score == pytest.approx(0.8 * 0.625)
    assert by_id["B"].criticality == 0.0 and by_id["B"].score == 0.0  # nothing depends on B
    assert not by_id["B"].is_chokepoint


def test_euv_is_chinas_top_chokepoint(eto_map: ChainMap, eto_store: Store) -> None:
    allies = eto_store.resolve("US_ALLIES").members
    ranked = chokepoints(eto_map, {"CHN"}, target_label="CHN", bloc=allies, bloc_label="US_ALLIES")
    euv = next(c for c in ranked if c.node_id == "N20")
    assert euv.score == pytest.approx(1.0) and euv.is_chokepoint
    assert ranked[0].score == pytest.approx(1.0)
    assert "100% NLD (ASML)" in euv.explanation and "no substitute variant" in euv.explanation
    assert "needed for Fabrication" in euv.explanation
    assert euv.bloc_share_pct == pytest.approx(100.0)
    scores = [c.score for c in ranked]
    assert scores == sorted(scores, reverse=True)
    # stage filter: only nodes feeding ATP
    atp = chokepoints(eto_map, {"CHN"}, stage="S3")
    assert atp and all("S3" in eto_map.stages_of(c.node_id) for c in atp)
    assert "N20" not in {c.node_id for c in atp}


def test_node_measures_and_criticality(eto_map: ChainMap) -> None:
    m = node_measures(eto_map, "N19", {"CHN"}, {"NLD", "JPN", "USA"})
    assert m.self_share_pct == pytest.approx(100 * 0.2 / 100.1)
    assert m.foreign_dependence == pytest.approx(1 - 0.2 / 100.1)
    assert m.bloc_share_pct == pytest.approx(100 * 97.1 / 100.1)
    assert m.countries_to_75 == 1 and m.year == 2025
    crit = criticality(eto_map)
    assert crit["N20"][0] == 1.0 and "S2" in crit["N20"][1]
    assert crit["N99"][1] == ("N99",)  # the final output depends on itself only
    table = measures_table(eto_map, {"CHN"})
    assert table.height == len({r for r in eto_map.provision["node_id"].to_list() if r in eto_map.nodes})


def test_compare_years_in_one_release(eto_store: Store) -> None:
    c = compare_vintages(eto_store, "2019", "2025", target={"CHN"})
    # the 2026 release gives each node one year: nothing to compare share by share, nodes listed apart
    assert c.changes == ()
    assert "N26" in c.only_a and "N20" in c.only_b
    assert "N20" in {x.node_id for x in c.chokepoints_only_b}
    with pytest.raises(UnknownItemError):
        compare_vintages(eto_store, "2019", "1999", target={"CHN"})


def test_compare_two_releases(store: Store, eto_copy: Path, eto_dir: Path) -> None:
    load_eto(store, eto_dir)
    path = eto_copy / "provision.csv"
    text = path.read_text(encoding="utf-8")
    # a later release in which China sells ArF dry scanners: NLD 84.4, JPN 5.6, CHN 10
    text = text.replace(
        "NLD,P45,ArF dry (DUV) lithography tools,N21,94.4,", "NLD,P45,ArF dry (DUV) lithography tools,N21,84.4,"
    )
    text += 'CHN,P2,ArF dry (DUV) lithography tools,N21,10.0,2025,"test"\n'
    path.write_text(text, encoding="utf-8")
    load_eto(store, eto_copy, vintage="2027-01")
    c = compare_vintages(store, "2026-08", "2027-01", target={"CHN"})
    changes = {(x.node_id, x.iso3): x.delta_pct for x in c.changes}
    assert changes[("N21", "CHN")] == pytest.approx(10.0)
    assert changes[("N21", "NLD")] == pytest.approx(-10.0)
    assert len(changes) == 2
    assert c.appeared == () and c.disappeared == ()
    # with a low enough concentration bar the change is visible in the chokepoint list too
    a, b = load_map(store, 1), load_map(store, 2)
    c2 = compare_maps(a, b, target={"CHN"}, min_dependence=0.95)
    assert "N21" in {x.node_id for x in c2.disappeared}
