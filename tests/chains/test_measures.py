"""Measures, criticality per capability tier, the chokepoint ranking and vintage comparison."""

from __future__ import annotations

from pathlib import Path

import pytest

from autarky.chains import ChainMap, Thresholds, load_map
from autarky.chains.compare import compare_maps, compare_vintages
from autarky.chains.eto import load_eto
from autarky.chains.measures import chokepoints, criticality, node_measures
from autarky.errors import UnknownItemError
from autarky.figures import Basis
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
    assert a.foreign_dependence.point == pytest.approx(0.8)
    assert a.foreign_concentration.point == pytest.approx((0.36 + 0.04) / 0.64)
    assert a.control.point == pytest.approx(60.0)
    assert a.criticality.point == 1.0 and a.substitute_absence == 1.0
    assert a.score.point == pytest.approx(0.8 * 0.625) and a.score.basis is Basis.DERIVED
    assert not a.is_chokepoint  # USA holds 60% < 75%, and CHN makes 20% of it
    assert by_id["B"].criticality.point == 0.0 and by_id["B"].score.point == 0.0  # nothing depends on B
    assert not by_id["B"].is_chokepoint
    # relax the control threshold: still not flagged while CHN makes a fifth of it
    assert not {c.node_id: c for c in chokepoints(cmap, {"CHN"}, min_control=0.5)}["A"].is_chokepoint
    flagged = {c.node_id: c for c in chokepoints(cmap, {"CHN"}, min_control=0.5, max_self_share=0.2)}
    assert flagged["A"].is_chokepoint


def test_criticality_weighs_tiers(eto_map: ChainMap) -> None:
    crit = criticality(eto_map)
    # the final output counts once per combination of lithography (5) and logic-design (4) tiers: EUV tools
    # bound only the EUV tier, whatever the design
    euv = crit["N20"]
    assert euv.total == 20 and len(euv.units) == 4 and euv.share == pytest.approx(0.2)
    assert euv.labels == ("Finished logic chip (EUV tier of Lithography tools)",)
    assert crit["N106"].share == pytest.approx(0.2)  # i-line: its own tier only
    assert crit["N4"].share == pytest.approx(0.25)  # AI ASICs: one design tier of four, at any lithography tier
    assert crit["N4"].labels == ("Finished logic chip (AI ASICs tier of Logic chip design)",)
    assert crit["N84"].share == 1.0  # EDA software: every tier needs design
    assert crit["N123"].share == 1.0  # mask aligners: named by no tier, needed by every tier
    assert "S2" in crit["N20"].needed_for and "N99" in crit["N20"].needed_for
    assert crit["N99"].needed_for == ("N99",)  # the final output depends on itself only


def test_chokepoints_for_china_are_a_handful_with_reasons(eto_map: ChainMap, eto_store: Store) -> None:
    allies = eto_store.resolve("US_ALLIES").members
    ranked = chokepoints(eto_map, {"CHN"}, target_label="CHN", bloc=allies, bloc_label="US_ALLIES")
    flagged = [c for c in ranked if c.is_chokepoint]
    assert len(ranked) == 110
    assert 5 <= len(flagged) <= 25  # not 99 of 110
    euv = next(c for c in ranked if c.node_id == "N20")
    assert euv.is_chokepoint and euv.score.point == pytest.approx(0.2)  # one tier of five
    assert "100% NLD (ASML)" in euv.explanation and "no substitute variant" in euv.explanation
    assert "bounds 4 of 20 capability units (Finished logic chip (EUV tier of Lithography tools))" in euv.explanation
    assert "not among the listed providers" in euv.explanation
    # EDA: 96% USA, China 1% (negligible): a chokepoint every tier needs, ranked above EUV
    eda = next(c for c in ranked if c.node_id == "N84")
    assert eda.is_chokepoint and eda.score.low > 0.8 and eda.rank < euv.rank
    # PVD tools: 83% USA, but China makes 15%: ranked high, not flagged
    pvd = next(c for c in ranked if c.node_id == "N42")
    assert not pvd.is_chokepoint and pvd.score.low > 0.75
    assert euv.bloc_share is not None and euv.bloc_share.point == pytest.approx(100.0)
    # ranking: by the low end of the score; ties in natural id order (N8 before N64 before N130)
    keys = [(-round(c.score_range[0], 12), -round(c.score_range[1], 12)) for c in ranked]
    assert keys == sorted(keys)
    top = [c.node_id for c in ranked[:4]]
    assert top == ["N8", "N64", "N77", "N130"]
    assert [c.rank for c in ranked[:3]] == [1, 2, 3]
    # qualitative nodes: the score is an interval, and the row says its place rests on bounds
    cpus = next(c for c in ranked if c.node_id == "N1")
    assert cpus.rests_on_bounds and cpus.self_share.basis is Basis.QUALITATIVE
    assert (cpus.self_share.low, cpus.self_share.high) == (0.0, 100.0)
    assert "rests on bounds" in cpus.explanation and "duopoly" in (cpus.description or "")
    # stage filter: only nodes feeding ATP
    atp = chokepoints(eto_map, {"CHN"}, stage="S3")
    assert atp and all("S3" in eto_map.stages_of(c.node_id) for c in atp)
    assert "N20" not in {c.node_id for c in atp}
    assert "one foreign economy holds at least 75%" in Thresholds().explain()


def test_node_measures(eto_map: ChainMap) -> None:
    m = node_measures(eto_map, "N19", {"CHN"}, {"NLD", "JPN", "USA"})
    assert m.self_share is not None and m.self_share.point == pytest.approx(0.2)
    assert m.foreign_dependence is not None and m.foreign_dependence.point == pytest.approx(1 - 0.2 / 100)
    assert m.bloc_share is not None and m.bloc_share.point == pytest.approx(97.1)
    assert m.countries_to_75.point == 1 and m.year == 2025
    assert m.description and "lithography" in m.description.lower()
    assert m.criticality.share == 1.0


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
    # ArF dry scanners stop being a chokepoint: China now makes a tenth of them
    assert "N21" in {x.node_id for x in c.disappeared} and c.appeared == ()
    a, b = load_map(store, 1), load_map(store, 2)
    c2 = compare_maps(a, b, target={"CHN"})
    assert {x.node_id for x in c2.disappeared} == {"N21"}
    n21 = dict((n, (x, y)) for n, x, y in c2.hhi_changes)["N21"]
    assert n21[0].point == pytest.approx(0.944**2 + 0.056**2)
    assert n21[1].point == pytest.approx(0.844**2 + 0.056**2 + 0.1**2)
