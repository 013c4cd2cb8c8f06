"""Capability tiers: a Dutch control caps China's logic at the non-EUV tiers; each substitution parameter
visibly moves availability where it applies."""

from __future__ import annotations

from dataclasses import replace

import pytest

from autarky.chains import ChainMap, ExportControl, declared_tiers, export_control
from autarky.chains.scenario import Capability
from autarky.errors import UsageError

NLD = ExportControl(against=frozenset({"NLD"}), target=frozenset({"CHN"}))


def _cap(eto_map: ChainMap, sc: ExportControl) -> Capability:
    cap = next(c for c in export_control(eto_map, sc).capability if c.class_id == "N19")  # lithography
    return cap


def _tier(cap: Capability, label: str):  # type: ignore[no-untyped-def]
    return next(t for t in cap.tiers if t.tier == label)


def test_the_map_declares_lithography_tiers_with_a_source(eto_map: ChainMap) -> None:
    litho = declared_tiers(eto_map)["N19"]  # lithography (logic design, N6, is tiered too)
    assert litho.class_id == "N19"
    assert [t.label for t in litho.tiers] == ["EUV", "ArF immersion (DUV)", "ArF dry (DUV)", "KrF (DUV)", "i-line"]
    assert "most advanced logic chips" in litho.source and "365 nm" in litho.source


def test_a_dutch_control_loses_the_euv_tier_not_fabrication(eto_map: ChainMap) -> None:
    r = export_control(eto_map, NLD)
    cap = next(c for c in r.capability if c.class_id == "N19")  # lithography
    euv = _tier(cap, "EUV")
    assert euv.status == ("lost", "lost") and euv.binding == "N20" and euv.causes == ("NLD",)
    # ASML also makes 99.3% of immersion and 94.4% of dry ArF scanners: those tiers go with a blanket stop
    assert _tier(cap, "ArF immersion (DUV)").status[1] == "lost"
    assert _tier(cap, "ArF dry (DUV)").status[1] == "lost"
    # the mature tiers remain: an interval, and a binding node each
    for label in ("KrF (DUV)", "i-line"):
        t = _tier(cap, label)
        assert t.status[1] != "lost" and t.available[1] > 0.25 and t.binding and t.path
    assert cap.runs_at[1] == "KrF (DUV)" and cap.remaining == ("KrF (DUV)", "i-line")
    # fabrication is not "lost, 0%" at best: it continues at the best tier still available
    fab = {s.id: s for s in r.stages}["S2"]
    assert fab.status[1] != "lost" and fab.available[1] > 0.25
    # each final output and stage, per tier
    assert {o.id for o in cap.outputs} == {f"N99@N19#{k}" for k in range(1, 6)}
    assert {o.stage_id for o in cap.stages} == {"S2", "S3"}


def test_domestic_substitution_moves_the_tier_it_applies_to(eto_map: ChainMap) -> None:
    # i-line scanners: China makes 4.2% (a base), so ramping up replaces part of NLD's 31.2%
    without = _tier(_cap(eto_map, NLD), "i-line")
    with_sub = _tier(_cap(eto_map, replace(NLD, domestic_substitution=0.5)), "i-line")
    assert with_sub.available[1] > without.available[1] + 0.01
    # KrF: China makes none, so nothing to ramp up: unchanged
    assert _tier(_cap(eto_map, replace(NLD, domestic_substitution=0.5)), "KrF (DUV)").available == pytest.approx(
        _tier(_cap(eto_map, NLD), "KrF (DUV)").available
    )


def test_the_ramp_moves_availability_year_by_year(eto_map: ChainMap) -> None:
    sc = replace(NLD, domestic_substitution=0.5, ramp_years=4.0)
    early = export_control(eto_map, replace(sc, at_year=1.0)).node("N106")
    late = export_control(eto_map, replace(sc, at_year=4.0)).node("N106")
    # i-line: 68.8% left; a quarter of the way, 0.5 x 31.2% x 1/4 more; at full ramp 0.5 x 31.2%
    assert early.available[1] == pytest.approx(0.688 + 0.5 * 0.312 / 4)
    assert late.available[1] == pytest.approx(0.688 + 0.5 * 0.312)
    t_early = _tier(_cap(eto_map, replace(sc, at_year=1.0)), "i-line")
    t_late = _tier(_cap(eto_map, replace(sc, at_year=4.0)), "i-line")
    assert t_late.available[1] > t_early.available[1]


def test_third_country_substitution_moves_the_krf_tier(eto_map: ChainMap) -> None:
    # KrF: NLD 66, JPN 34; Japanese makers can at most double their sales to China
    base = export_control(eto_map, NLD).node("N105")
    more = export_control(eto_map, replace(NLD, third_country_substitution=1.0)).node("N105")
    assert base.available == pytest.approx((0.34, 0.34))
    assert more.available == pytest.approx((0.68, 0.68))
    t0 = _tier(_cap(eto_map, NLD), "KrF (DUV)")
    t1 = _tier(_cap(eto_map, replace(NLD, third_country_substitution=1.0)), "KrF (DUV)")
    assert t1.available[1] > t0.available[1]


def test_scenario_tiers_are_checked(eto_map: ChainMap) -> None:
    with pytest.raises(UsageError):
        export_control(eto_map, replace(NLD, tiers={"N19": [["N9999"]]}))
    none = export_control(eto_map, replace(NLD, tiers={}))  # no tiers: lithography's variants all required
    assert none.capability == () and {s.id: s for s in none.stages}["S2"].status[1] == "lost"


def test_the_declared_tiers_are_worked_out_once_and_handed_out_as_copies(eto_map: ChainMap) -> None:
    from autarky.chains.tiers import tiers_for

    first = tiers_for(eto_map)
    assert eto_map.cache[("tiers",)] == first and set(first) <= set(declared_tiers(eto_map))
    assert first["N19"].tiers[0].label == "EUV"
    litho = first.pop("N19")  # a caller's copy: the next caller still gets every class
    assert tiers_for(eto_map)["N19"] == litho
    assert tiers_for(eto_map, {"N19": declared_tiers(eto_map)["N19"]}) == {"N19": litho}  # a scenario's own
