"""Scoped restrictions: who stops supplying, at which nodes, and why; never counting an economy twice."""

from __future__ import annotations

import pytest

from autarky.chains import ChainMap, ExportControl, Restriction, export_control
from autarky.errors import UnknownItemError, UsageError

CHN = frozenset({"CHN"})


def test_blanket_shorthand_equals_one_restriction(eto_map: ChainMap) -> None:
    a = export_control(eto_map, ExportControl(against=frozenset({"NLD"}), target=CHN))
    b = export_control(eto_map, ExportControl(target=CHN, restrictions=(Restriction(frozenset({"NLD"})),)))
    assert [o.available for o in a.nodes] == [o.available for o in b.nodes]
    assert [o.available for o in a.stages] == [o.available for o in b.stages]


def test_a_restriction_scoped_to_nodes_bites_only_there(eto_map: ChainMap) -> None:
    euv_only = Restriction(frozenset({"NLD"}), nodes=frozenset({"N20"}), cause="NL-2023-EUV", label="Dutch EUV rule")
    r = export_control(eto_map, ExportControl(target=CHN, restrictions=(euv_only,)))
    assert r.node("N20").available == (0.0, 0.0) and r.node("N20").causes == ("NL-2023-EUV",)
    assert r.node("N22").available == (1.0, 1.0) and r.node("N22").causes == ()  # ArFi: not covered
    cap = next(c for c in r.capability if c.class_id == "N19")  # lithography
    assert cap.lost == ("EUV",) and cap.runs_at == ("ArF immersion (DUV)", "ArF immersion (DUV)")
    euv_tier = cap.tiers[0]
    assert euv_tier.binding == "N20" and euv_tier.causes == ("NL-2023-EUV",)
    # nodes by name as well as id
    by_name = Restriction(frozenset({"NLD"}), nodes=frozenset({"EUV lithography tools"}))
    assert export_control(eto_map, ExportControl(target=CHN, restrictions=(by_name,))).node("N20").available == (
        0.0,
        0.0,
    )
    with pytest.raises(UnknownItemError):
        export_control(eto_map, ExportControl(target=CHN, restrictions=(Restriction(frozenset({"NLD"}),
                                                                                     nodes=frozenset({"N9999"})),)))


def test_two_measures_on_one_economy_count_once_and_both_are_named(eto_map: ChainMap) -> None:
    one = Restriction(frozenset({"NLD"}), nodes=frozenset({"N21"}), cause="M1")
    two = Restriction(frozenset({"NLD"}), nodes=frozenset({"N21", "N22"}), cause="M2")
    r = export_control(eto_map, ExportControl(target=CHN, restrictions=(one, two)))
    n21 = r.node("N21")
    assert n21.lost_share == pytest.approx((0.944, 0.944))  # NLD's 94.4% once, not twice
    assert n21.available == pytest.approx((0.056, 0.056))
    assert n21.causes == ("M1", "M2")
    assert r.node("N22").causes == ("M2",)


def test_restrictions_on_different_economies_add_up(eto_map: ChainMap) -> None:
    nld = Restriction(frozenset({"NLD"}), nodes=frozenset({"N21"}), cause="NL")
    jpn = Restriction(frozenset({"JPN"}), nodes=frozenset({"N21"}), cause="JP")
    r = export_control(eto_map, ExportControl(target=CHN, restrictions=(nld, jpn)))
    assert r.node("N21").lost_share == pytest.approx((1.0, 1.0)) and r.node("N21").causes == ("NL", "JP")
    # a firm restriction by name, scoped, beside a blanket one
    asml = Restriction(firms=frozenset({"ASML"}), nodes=frozenset({"N22"}), cause="entity-list")
    r2 = export_control(eto_map, ExportControl(against=frozenset({"USA"}), target=CHN, restrictions=(asml,)))
    assert r2.node("N22").causes == ("entity-list",) and r2.node("N22").available[0] == pytest.approx(0.007)
    assert "ASML" in r2.node("N22").explanation


def test_restrictions_are_checked() -> None:
    with pytest.raises(UsageError):
        Restriction()
    with pytest.raises(UsageError):
        ExportControl(target=CHN, restrictions=(Restriction(frozenset({"CHN"})),))
    with pytest.raises(UsageError):
        ExportControl(target=CHN)
    d = ExportControl(target=CHN, restrictions=(Restriction(frozenset({"USA"}), cause="X"),)).describe()
    assert d["restrictions"] == [{"against": ["USA"], "firms": [], "nodes": None, "cause": "X", "label": "X"}]


def test_nodes_restricted_alike_by_different_measures_get_what_each_measure_alone_gives(eto_map: ChainMap) -> None:
    """Two measures against the same economy at different nodes, and a third against another: each node's own
    availability equals the one that node gets under its own measure alone."""
    nld_euv = Restriction(frozenset({"NLD"}), nodes=frozenset({"N20"}), cause="A")
    nld_litho = Restriction(frozenset({"NLD"}), nodes=frozenset({"N19"}), cause="B")
    jpn_litho = Restriction(frozenset({"JPN", "NLD"}), nodes=frozenset({"N22", "N17"}), cause="C")
    both = export_control(eto_map, ExportControl(target=CHN, restrictions=(nld_euv, nld_litho, jpn_litho)))
    for rule in (nld_euv, nld_litho, jpn_litho):
        alone = export_control(eto_map, ExportControl(target=CHN, restrictions=(rule,)))
        for node in rule.nodes or ():
            assert both.node(node).own_available == alone.node(node).own_available
            assert both.node(node).lost_share == alone.node(node).lost_share
    assert both.node("N19").own_available != (1.0, 1.0)
