"""The supply-chain questions on the bundled data: the issues' acceptance points, through the typed results.

Each test asks a question as every face does (:func:`autarky.queries.ask`) and reads the typed result."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from autarky.figures import Basis, Figure
from autarky.queries import ask
from autarky.store import Store, open_store


@pytest.fixture(scope="module")
def st(bundled_store_path: Path) -> Iterator[Store]:
    s = open_store(bundled_store_path, read_only=True)
    yield s
    s.close()


def _rows(table: Any, key: str) -> dict[str, dict[str, Any]]:
    return {str(r[key]): r for r in table.rows}


def test_a_dutch_control_loses_the_euv_tier_and_keeps_a_non_euv_tier(st: Store) -> None:
    res = ask(st, "scenario.export-control", against="NLD", target="CHN")
    m = res.maps[0]
    tiers = _rows(m.capability, "tier")
    assert tiers["EUV"]["status"] == "lost" and tiers["EUV"]["availability"].high == pytest.approx(0.0)
    assert tiers["EUV"]["binding"] == "N20"
    # i-line keeps most of its supply in the best case: fabrication continues at a non-EUV tier
    iline = tiers["i-line"]
    assert not iline["status"].endswith("lost") and iline["availability"].high > 0.25
    for r in m.capability.rows:  # every tier says its status, its availability as an interval, its binding node
        assert isinstance(r["availability"], Figure) and r["binding"]


def test_substitution_and_ramp_change_availability(st: Store) -> None:
    base = ask(st, "scenario.export-control", against="NLD", target="CHN").maps[0]
    sub = ask(st, "scenario.export-control", against="NLD", target="CHN", domestic_substitution="0.3",
              no_domestic_base=True).maps[0]
    ramp = ask(st, "scenario.export-control", against="NLD", target="CHN", domestic_substitution="0.3",
               no_domestic_base=True, ramp_years=5, at_year=1).maps[0]

    def euv(m: Any) -> float:
        return float(_rows(m.capability, "tier")["EUV"]["availability"].low)

    assert euv(base) == pytest.approx(0.0)
    assert euv(sub) == pytest.approx(0.3)  # 30% of the lost EUV supply replaced at home
    assert euv(ramp) == pytest.approx(0.3 * 1 / 5)  # one year into a five-year ramp


def test_scenarios_from_the_measures_in_force_differ_by_date_and_name_their_causes(st: Store) -> None:
    early = ask(st, "scenario.export-control", target="CHN", measures_in_force="2021-06-01",
                map="eto-chip-explorer")
    later = ask(st, "scenario.export-control", target="CHN", measures_in_force="2024-06-01",
                map="eto-chip-explorer")
    assert later.maps, "the October 2022 rule and its successors bite China's chip supply by 2024"
    m = later.maps[0]
    assert any(x.startswith("us-bis-2022-10-07") for x in m.measures)
    assert m.origins.rows and all(r["causes"] for r in m.origins.rows)
    early_hit = {r["id"] for mm in early.maps for r in mm.origins.rows}
    assert {r["id"] for r in m.origins.rows} != early_hit


def test_chinas_mineral_controls_bite_the_united_states(st: Store) -> None:
    res = ask(st, "scenario.export-control", target="USA", measures_in_force="2025-06-01",
              map="critical-minerals")
    origins = _rows(res.maps[0].origins, "id")
    for node in ("gallium-refining", "germanium-refining"):
        assert node in origins and any(c.startswith("cn-") for c in origins[node]["causes"])
    assert origins["gallium-refining"]["status"] == "lost"  # the December 2024 ban to the US (No. 46)


def test_advanced_cpus_give_china_an_interval_from_zero_with_etos_description(st: Store) -> None:
    res = ask(st, "chokepoints", economy="CHN", all=True)
    n1 = _rows(res.table, "node")["N1"]
    share = n1["self_share"]
    assert share.low == pytest.approx(0.0) and share.basis is not Basis.REPORTED
    assert "Intel and AMD" in n1["description"]
    node = ask(st, "chains.show", node="N1", economy="CHN")
    assert node.self_share.low == pytest.approx(0.0) and node.description


def test_germany_reads_an_interval_within_europe_not_zero(st: Store) -> None:
    a = ask(st, "assess", economy="DEU")
    stages = a.section("stages").tables[0]
    for r in stages.rows:
        f = r["share"]
        assert f.basis is Basis.BOUNDED and f.low == 0.0 and f.high > 0.0, r
        assert "Europe" in (f.note or ""), f.note


def test_the_main_job_makes_no_headline_of_partial_trade_data(st: Store) -> None:
    from autarky.queries.display import fill

    a = ask(st, "assess", economy="CHN")
    text = " ".join(fill(t.template, t.figures) for t in a.takeaways)
    assert "ZAF" not in text and "import" not in text.lower()
    missing = {m.what: m for m in a.missing}
    assert "world trade flows" in missing and missing["world trade flows"].remedy.startswith("autarky fetch baci")
    assert a.takeaways and a.section("scenario") is not None


def test_measures_timeline_runs_the_scenario_at_each_date(st: Store) -> None:
    res = ask(st, "measures.timeline", target="CHN")
    dates = [r["date"].isoformat() for r in res.table.rows]
    assert dates == sorted(dates) and "2022-10-07" in dates
    oct22 = next(r for r in res.table.rows if r["date"].isoformat() == "2022-10-07")
    assert "us-bis-2022-10-07-advanced-computing-sme" in oct22["start"] and oct22["nodes_hit"] > 0


def test_the_timeline_runs_one_scenario_per_set_of_restrictions(st: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dates whose measures restrict the map alike share one scenario run, read without building the answer's
    tables; every row equals what that date's own ``scenario.export-control`` answer says."""
    import autarky.queries.measures as qm

    runs: list[str] = []
    real = qm._measures_outcome

    def counting(cmap: Any, rules: Any, day: Any, *args: Any) -> Any:
        runs.append(day.isoformat())
        return real(cmap, rules, day, *args)

    monkeypatch.setattr(qm, "_measures_outcome", counting)
    rows = ask(st, "measures.timeline", target="CHN").table.rows
    monkeypatch.setattr(qm, "_measures_outcome", real)
    assert 0 < len(runs) < len(rows)  # some dates change only measures that do not restrict the map
    hit_before: set[str] = set()
    for r in rows:
        m = ask(st, "scenario.export-control", target="CHN", measures_in_force=r["date"].isoformat(),
                map="eto-chip-explorer").maps
        worst = {o["id"] for o in m[0].origins.rows} if m else set()
        statuses = [(t["tier"], t["status"]) for t in m[0].capability.rows] if m else []
        assert r["stages_lost"] == (m[0].summary["stages"]["lost"] if m else None)
        assert r["tiers_lost"] == [t for t, status in statuses if status == "lost"]
        assert r["tiers_at_risk"] == [t for t, status in statuses if status.startswith("lost") and status != "lost"]
        assert r["nodes_hit"] == (len(worst) if m else None)
        assert r["added"] == sorted(worst - hit_before)
        hit_before = worst
    assert any(r["tiers_at_risk"] for r in rows) and any(r["tiers_lost"] for r in rows)


def test_the_lists_entities_are_on_are_kept_for_the_day_by_a_read_only_store(st: Store) -> None:
    from datetime import date

    from autarky.measures import listed_entities
    from autarky.queries.chains import listed_names

    names = listed_names(st)
    assert listed_names(st) is names  # kept
    fresh = listed_entities(st, date.today())
    assert set(names) == set(fresh) and names
    key, listings = next(iter(fresh.items()))
    assert names[key] == sorted({f"{x.list_name} ({x.imposing}, {x.measure_id})" for x in listings})


@pytest.mark.parametrize("economy", ["CHN", "DEU", "EU27"])
def test_the_graph_and_the_assessments_inputs_give_each_nodes_measures(st: Store, economy: str) -> None:
    """The map graph and the assessment's table of inputs read each node's own share and HHI as the node's
    measures give them (without working out the chokepoint factors they do not show)."""
    from autarky.chains import load_map, node_measures

    cmap = load_map(st)
    res = st.resolve(economy)
    expected = {nid: node_measures(cmap, nid, res.members, (), target_label=res.label) for nid in cmap.nodes}
    graph = _rows(ask(st, "chains.graph", economy=economy).table, "id")
    assert graph.keys() == expected.keys()
    for nid, m in expected.items():
        assert graph[nid]["own"] == m.self_share and graph[nid]["hhi"] == m.hhi
    inputs = {}
    for section in ask(st, "assess", economy=economy).sections:
        inputs |= {str(r["node"]): r for t in section.tables if t.title.endswith("every input with share data")
                   for r in t.rows}
    assert inputs  # the tools, materials and design inputs with share data
    for nid, r in inputs.items():
        m = expected[nid]
        assert (r["own"], r["hhi"], r["c75"]) == (m.self_share, m.hhi, m.countries_to_75)
        assert r["name"] == m.name
