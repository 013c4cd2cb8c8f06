"""Export-control scenarios: hand-computed small maps, and the bundled ETO map."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from autarky.chains import ChainMap
from autarky.chains.scenario import (
    ExportControl,
    Outcome,
    as_range,
    export_control,
    export_control_timeline,
    resolve_against,
)
from autarky.errors import UnknownEconomyError, UnknownItemError, UsageError
from autarky.store import Store
from conftest import make_map

CHN = frozenset({"CHN"})


def tiny() -> ChainMap:
    """tool T (USA 60, CHN 20, DEU 20) and material M (JPN 100) go into process P (S1), which goes into
    process Q (S2), which makes output O.  Class C has variants V1 (NLD 100) and V2 (CHN 50, KOR 50); C
    goes into Q."""
    return make_map(
        [
            ("T", "tool_resource", None),
            ("M", "material_resource", None),
            ("P", "process", "S1"),
            ("Q", "process", "S2"),
            ("O", "ultimate_output", None),
            ("C", "tool_resource", None),
            ("V1", "tool_resource", None),
            ("V2", "tool_resource", None),
        ],
        [
            ("T", "P", "goes_into"),
            ("M", "P", "goes_into"),
            ("P", "Q", "goes_into"),
            ("Q", "O", "goes_into"),
            ("C", "Q", "goes_into"),
            ("V1", "C", "is_type_of"),
            ("V2", "C", "is_type_of"),
        ],
        [
            ("USA", "T", 60.0),
            ("CHN", "T", 20.0),
            ("DEU", "T", 20.0),
            ("JPN", "M", 100.0),
            ("NLD", "V1", 100.0),
            ("CHN", "V2", 50.0),
            ("KOR", "V2", 50.0),
        ],
        stages=("S1", "S2"),
    )


def test_own_availability_formula() -> None:
    r = export_control(tiny(), ExportControl(against=frozenset({"USA"}), target=CHN))
    # T: lose USA 60% -> 40% left
    assert r.node("T").available == pytest.approx((0.4, 0.4))
    assert r.node("T").status == ("degraded", "degraded")
    # P needs T and M: bounded by T
    assert r.node("P").available == pytest.approx((0.4, 0.4))
    assert r.node("P").path == ("T", "P")
    assert r.node("M").status == ("ok", "ok")


def test_domestic_substitution_needs_a_base_and_gives_ranges() -> None:
    sc = ExportControl(against=frozenset({"USA", "JPN"}), target=CHN, domestic_substitution=(0.0, 0.5))
    r = export_control(tiny(), sc)
    # T: lost 0.6, CHN has a base: own = 0.4 + 0.5 * 0.6 = 0.7 at the high end
    assert r.node("T").available == pytest.approx((0.4, 0.7))
    # M: JPN 100%, CHN has no base -> no domestic substitution
    assert r.node("M").available == pytest.approx((0.0, 0.0))
    assert r.node("M").status == ("lost", "lost")
    assert "no domestic base" in r.node("M").explanation
    # without the base requirement, M gets half back at the high end
    r2 = export_control(
        tiny(),
        ExportControl(
            against=frozenset({"USA", "JPN"}), target=CHN, domestic_substitution=(0.0, 0.5), require_domestic_base=False
        ),
    )
    assert r2.node("M").available == pytest.approx((0.0, 0.5))
    assert r2.node("P").status == ("lost", "degraded")


def test_third_country_substitution_is_capped_by_their_share() -> None:
    sc = ExportControl(against=frozenset({"USA"}), target=CHN, third_country_substitution=(1.0, 1.0))
    r = export_control(tiny(), sc)
    # DEU holds 20%: it can make up at most 20 of the 60 points lost
    assert r.node("T").available == pytest.approx((0.6, 0.6))


def test_ramp_over_years() -> None:
    sc = ExportControl(against=frozenset({"USA"}), target=CHN, domestic_substitution=(0.5, 0.5))
    years = export_control_timeline(tiny(), sc, 4)
    assert [round(y.node("T").available[0], 3) for y in years] == [0.4, 0.475, 0.55, 0.625, 0.7]


def test_variants_are_complements_unless_declared_tiers() -> None:
    cmap = tiny()
    r = export_control(cmap, ExportControl(against=frozenset({"NLD"}), target=CHN))
    # undeclared: the class needs every variant: V1 lost -> C lost -> Q and O lost
    assert r.node("C").status == ("lost", "lost")
    assert r.node("O").status[0] == "lost"
    assert r.node("O").path == ("V1", "C", "Q", "O")
    assert r.node("O").binding == "V1" and r.node("O").causes == ("NLD",)
    assert r.tiers == () and r.capability == ()
    stages = {s.id: s for s in r.stages}
    assert stages["S1"].status == ("ok", "ok") and stages["S2"].status == ("lost", "lost")
    # declared tiers (V1 best, V2 next): Q runs at the V2 tier; the V1 tier of the output is lost
    rt = export_control(
        cmap, ExportControl(against=frozenset({"NLD"}), target=CHN, tiers={"C": [["V1"], ["V2"]]})
    )
    assert rt.node("C").status == ("ok", "ok") and rt.node("O").status == ("ok", "ok")
    (cap,) = rt.capability
    assert cap.runs_at == ("tier 2", "tier 2") and cap.lost == ("tier 1",) and cap.remaining == ("tier 2",)
    t1, t2 = cap.tiers
    assert t1.status == ("lost", "lost") and t1.binding == "V1" and t1.causes == ("NLD",)
    assert t2.status == ("ok", "ok") and t2.available == pytest.approx((1.0, 1.0))
    assert [o.id for o in cap.outputs] == ["O@C#1", "O@C#2"]
    # a declared substitution group: the class takes its best member
    r2 = export_control(
        cmap, ExportControl(against=frozenset({"NLD"}), target=CHN, substitution_groups=(frozenset({"V1", "V2"}),))
    )
    assert r2.node("C").status == ("ok", "ok")
    # a profile that does without V1 (e.g. mature nodes without EUV)
    r3 = export_control(
        cmap, ExportControl(against=frozenset({"NLD"}), target=CHN, profiles=(("without V1", frozenset({"V1"})),))
    )
    (p,) = r3.profiles
    assert {s.id: s.status for s in p.stages}["S2"] == ("ok", "ok")


def test_stage_own_inputs_vs_upstream() -> None:
    r = export_control(tiny(), ExportControl(against=frozenset({"JPN"}), target=CHN))
    s2 = {s.id: s for s in r.stages}["S2"]
    assert s2.status == ("lost", "lost")  # via M -> P -> Q
    assert s2.own_available == pytest.approx((1.0, 1.0))  # its own inputs are fine
    assert "own inputs alone: ok" in s2.explanation


def test_firm_restriction() -> None:
    cmap = make_map(
        [("T", "tool_resource", None)],
        [],
        [("ASML", "T", 80.0), ("Nikon", "T", 20.0)],
        firms={"ASML": "NLD", "Nikon": "JPN"},
    )
    r = export_control(cmap, ExportControl(against=frozenset(), firms=frozenset({"ASML"}), target=CHN))
    assert r.node("T").available == pytest.approx((0.2, 0.2))
    assert r.node("T").causes == ("ASML",) and "80% ASML" in r.node("T").explanation


def test_parameters_are_checked() -> None:
    assert as_range("0-0.3", "x") == (0.0, 0.3)
    assert as_range("0.2", "x") == (0.2, 0.2)
    assert as_range((0.1, 0.2), "x") == (0.1, 0.2)
    with pytest.raises(UsageError):
        as_range("0.5-0.1", "x")
    with pytest.raises(UsageError):
        as_range("1.5", "x")
    with pytest.raises(UsageError):
        ExportControl(against=frozenset({"CHN"}), target=CHN)
    with pytest.raises(UsageError):
        ExportControl(against=frozenset({"USA"}), target=CHN, lost_below=(0.9, 0.9), ok_from=(0.5, 0.5))


# -- the ETO map -------------------------------------------------------------------------------------------


def eto_scenario(**kw: object) -> ExportControl:
    return ExportControl(against=frozenset({"NLD", "JPN", "USA"}), target=CHN, **kw)  # type: ignore[arg-type]


def test_eto_export_control_loses_euv_and_names_downstream_stages(eto_map: ChainMap) -> None:
    r = export_control(eto_map, eto_scenario())
    euv = r.node("N20")
    assert euv.status == ("lost", "lost") and euv.available == (0.0, 0.0)
    assert "100% NLD (ASML) restricted" in euv.explanation
    assert "necessary for mass-producing the most advanced logic chips" in (euv.description or "")
    down = dict(euv.downstream)
    assert down["S2"] == ("N20", "N19", "N25")  # EUV -> lithography tools -> photolithography
    assert down["S3"][-1] == "N69" and down["N99"][-1] == "N99"
    stages = {s.id: s for s in r.stages}
    assert stages["S2"].status[0] == "lost" and stages["S3"].status[0] == "lost"
    assert {o.id: o.status for o in r.outputs}["N99"][0] == "lost"
    assert "N20" in {o.id for o in r.origins()}
    litho = next(c for c in r.capability if c.class_id == "N19")  # lithography
    assert litho.class_id == "N19" and litho.lost == ("EUV", "ArF immersion (DUV)", "ArF dry (DUV)", "KrF (DUV)",
                                                      "i-line")


def test_eto_domestic_substitution_range_gives_ranges(eto_map: ChainMap) -> None:
    r = export_control(eto_map, eto_scenario(domestic_substitution="0-0.3"))
    # lithography tools: NLD 81.5 + JPN 15 + USA 0.6 of 100.1 restricted; CHN 0.2 (a base):
    lost = 97.1 / 100.1
    lo, hi = r.node("N19").own_available or (0, 0)
    assert lo == pytest.approx(1 - lost) and hi == pytest.approx(1 - lost + 0.3 * lost)
    # its variants carry their own shares: the aggregate does not bound it, its tiers and other variants do:
    # at the high end China ramps up its i-line base (4.2% + 0.3 x 95.8% = 33%), bounded by direct write
    # systems (DEU 32.8 + JPN 67.2: 32.8% left, no Chinese base)
    assert r.node("N19").status == ("lost", "degraded")
    assert r.node("N19").available == pytest.approx((0.042, 0.328))
    assert r.node("N19").path[0] == "N106"  # the binding path is the low end's: China's own i-line share
    assert r.node("N20").available == (0.0, 0.0)  # no Chinese EUV supplier: nothing to ramp up
    assert any(s.available[0] < s.available[1] for s in r.stages)


def test_eto_results_are_deterministic(eto_map: ChainMap) -> None:
    a = export_control(eto_map, eto_scenario(domestic_substitution="0-0.3"))
    b = export_control(eto_map, eto_scenario(domestic_substitution="0-0.3"))
    assert a.to_dict() == b.to_dict()


def test_eto_more_substitution_never_lowers_availability(eto_map: ChainMap) -> None:
    base = export_control(eto_map, eto_scenario())
    more = export_control(eto_map, eto_scenario(domestic_substitution=0.3, third_country_substitution=0.5))
    for x, y in zip(base.nodes, more.nodes, strict=True):
        assert y.available[0] >= x.available[0] - 1e-12


def test_resolve_against_economies_blocs_and_firms(eto_map: ChainMap, eto_store: Store) -> None:
    econ, firms, label = resolve_against(eto_map, "CHIP_TOOLMAKERS,ASML", eto_store.resolve)
    assert econ == {"USA", "JPN", "NLD"} and firms == {"P88"} and "ASML" in label
    with pytest.raises(UnknownEconomyError):
        resolve_against(eto_map, "Atlantis", eto_store.resolve)


def test_worst_statuses_are_the_nodes_worst_case_statuses(eto_map: ChainMap) -> None:
    for sc in (ExportControl(against=frozenset({"NLD", "JPN", "USA"}), target=frozenset({"CHN"}),
                             domestic_substitution=(0.0, 0.3)),
               ExportControl(against=frozenset({"USA"}), target=frozenset({"CHN"}))):
        res = export_control(eto_map, sc)
        worst = res.worst_statuses()
        assert worst == [o.status[0] for o in res.nodes]
        assert {"lost", "ok"} <= set(worst)


def test_an_unexplained_run_has_the_explained_runs_statuses(eto_map: ChainMap) -> None:
    """explain=False (the measures timeline) leaves out figures, paths, causes and text; every status,
    interval and binding node of the stages, outputs, tiers, capability and profiles is the explained run's."""
    from dataclasses import asdict

    kept = ("id", "name", "kind", "stage_id", "available", "status", "binding", "own_available", "bounded",
            "assumed", "tier", "tier_rank", "class_id", "variant_id", "consumer_id")

    def core(outcomes: Iterable[Outcome]) -> list[tuple[object, ...]]:
        return [tuple(asdict(o)[k] for k in kept) for o in outcomes]

    for sc in (eto_scenario(domestic_substitution="0-0.3"),
               ExportControl(against=frozenset({"USA"}), target=CHN, profiles=(("no EUV", frozenset({"N20"})),)),
               ExportControl(against=frozenset({"JPN"}), target=frozenset({"RUS"}))):
        full, light = export_control(eto_map, sc), export_control(eto_map, sc, explain=False)
        for part in ("stages", "outputs", "tiers"):
            assert core(getattr(light, part)) == core(getattr(full, part)), part
        assert [(c.class_id, c.runs_at, core(c.tiers), core(c.outputs), core(c.stages)) for c in light.capability] \
            == [(c.class_id, c.runs_at, core(c.tiers), core(c.outputs), core(c.stages)) for c in full.capability]
        assert [(p.name, core(p.stages), core(p.outputs)) for p in light.profiles] \
            == [(p.name, core(p.stages), core(p.outputs)) for p in full.profiles]
        assert light.origin_ids() == full.origin_ids() and light.worst_statuses() == full.worst_statuses()
        shown = [*light.stages, *light.outputs, *light.tiers]
        assert shown and all(o.availability is None and not o.explanation and not o.causes for o in shown)
        assert any(o.explanation for o in full.stages)
        assert light.node("N20") == full.node("N20")  # nodes are whole either way


def test_a_nodes_state_is_its_outcomes(eto_map: ChainMap) -> None:
    """node_state (what a bill of materials reads of every node) is the node's outcome's availability, status,
    path and share data, in an explained run and an unexplained one."""
    for sc in (eto_scenario(domestic_substitution="0-0.3"),
               ExportControl(against=frozenset({"USA", "JPN"}), target=frozenset({"RUS"}))):
        full, light = export_control(eto_map, sc), export_control(eto_map, sc, explain=False)
        states = {nid: light.node_state(nid) for nid in eto_map.nodes}
        assert states == {nid: full.node_state(nid) for nid in eto_map.nodes}
        assert states == {nid: (o.available, o.status, o.path, o.has_data)
                          for nid, o in ((nid, full.node(nid)) for nid in eto_map.nodes)}
        assert {s[1][0] for s in states.values()} >= {"lost", "ok"}
        assert any(len(s[2]) > 1 for s in states.values()) and any(not s[3] for s in states.values())
    with pytest.raises(UnknownItemError):
        light.node_state("no such node")


def test_a_stage_is_bound_by_its_weakest_process(eto_map: ChainMap) -> None:
    """A stage's availability is the least of its processes' at each end, and its binding node that of its
    weakest process: least available at the low end, then at the high end, then earliest, then first in the
    map (stated here node by node, as the engine computes it for every stage at once)."""
    scenarios = [eto_scenario(domestic_substitution="0-0.3"), *(
        ExportControl(against=frozenset(a.split(",")), target=frozenset({t}))
        for a in ("USA", "JPN", "NLD", "KOR", "TWN", "BRA", "USA,JPN,NLD") for t in ("CHN", "RUS", "IND"))]
    for sc in scenarios:
        res = export_control(eto_map, sc)
        g = res._ctx.g
        assert len(res.stages) == len(eto_map.stages)
        for stage in res.stages:
            procs = [nid for nid, n in eto_map.nodes.items() if n.stage_id == stage.id]
            nodes = [res.node(nid) for nid in procs]
            assert stage.available == (min(o.available[0] for o in nodes), min(o.available[1] for o in nodes))
            weakest = min(nodes, key=lambda o: (o.available[0], o.available[1], int(g.level[g.index[o.id]]),
                                                g.index[o.id]))
            assert stage.binding == weakest.binding, (stage.id, sc.against)


def test_ties_between_processes_go_to_the_lower_end_then_the_first() -> None:
    """S1: P1 and P3 both lost (tools T1, T3 all USA): the first in map order binds.  S2: P4 at 30% (T4: CHN
    holds 30) and P5 at 20–100% (T5: CHN 20, USA and DEU listed without shares): the lower low end binds,
    though P4's high end is lower."""
    cmap = make_map(
        [("T1", "tool_resource", None), ("T3", "tool_resource", None), ("T4", "tool_resource", None),
         ("T5", "tool_resource", None), ("P1", "process", "S1"), ("P3", "process", "S1"),
         ("P4", "process", "S2"), ("P5", "process", "S2"), ("O", "ultimate_output", None)],
        [("T1", "P1", "goes_into"), ("T3", "P3", "goes_into"), ("T4", "P4", "goes_into"), ("T5", "P5", "goes_into"),
         *((p, "O", "goes_into") for p in ("P1", "P3", "P4", "P5"))],
        [("USA", "T1", 100.0), ("USA", "T3", 100.0), ("USA", "T4", 70.0), ("CHN", "T4", 30.0),
         ("USA", "T5", None), ("CHN", "T5", 20.0), ("DEU", "T5", None)],
        stages=("S1", "S2"),
    )
    res = export_control(cmap, ExportControl(against=frozenset({"USA"}), target=CHN))
    s1, s2 = res.stages
    assert res.node("P1").available == res.node("P3").available == (0.0, 0.0)
    assert s1.binding == "T1" and s1.path == ("T1", "P1")
    assert s2.available == pytest.approx((0.2, 0.3)) and s2.binding == "T5"


def test_an_outcome_built_fast_is_the_dataclasss(eto_map: ChainMap) -> None:
    """Outcome.of and Outcome.but (the engine's constructors) give what Outcome(...) and dataclasses.replace
    give, and refuse an unknown or a missing field."""
    from dataclasses import asdict, fields, replace

    names = {f.name for f in fields(Outcome)}
    res = export_control(eto_map, ExportControl(against=frozenset({"USA"}), target=CHN))
    built = [*res.stages, *res.outputs, *res.tiers, res.node("N20"), *res.origins()[:5]]
    for o in built:
        assert set(vars(o)) == names
        assert Outcome(**asdict(o) | {"availability": o.availability}) == o
    plain = {"id": "X", "name": "x", "kind": "node", "stage_id": None, "available": (0.5, 1.0),
             "status": ("degraded", "ok")}
    assert Outcome.of(**plain) == Outcome(**plain) and asdict(Outcome.of(**plain)) == asdict(Outcome(**plain))
    changed = {"binding": "N1", "causes": ("USA",), "tier_rank": 2}
    assert built[0].but(**changed) == replace(built[0], **changed)
    assert built[0].but() == built[0] and built[0].but() is not built[0]
    with pytest.raises(TypeError):
        Outcome.of(**plain, bindings="N1")
    with pytest.raises(TypeError):
        Outcome.of(**{k: v for k, v in plain.items() if k != "status"})
    with pytest.raises(TypeError):
        built[0].but(bindings="N1")
