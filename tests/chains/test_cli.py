"""The chains commands, run through the root app in-process."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import autarky.cli.chains  # noqa: F401  (registers the commands)
from autarky.cli.app import app
from autarky.store import Store


@pytest.fixture(scope="module")
def run(eto_store: Store):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def invoke(*args: str) -> str:
        result = runner.invoke(
            app, ["--store", str(eto_store.path), *args], catch_exceptions=False, env={"COLUMNS": "250"}
        )
        assert result.exit_code == 0, result.output
        return result.output

    return invoke


def test_export_control_json_names_lost_euv_and_stages(run) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(
        run("scenario", "export-control", "--against", "NLD,JPN,USA", "--target", "CHN", "--format", "json")
    )
    nodes = {n["id"]: n for n in doc["nodes"]}
    assert nodes["N20"]["status"] == ["lost", "lost"]
    assert {"S2", "S3"} <= {s["id"] for s in doc["stages"] if s["status"][0] == "lost"}
    assert dict((t, p) for t, p in nodes["N20"]["downstream"])["S2"] == ["N20", "N19", "N25"]
    assert doc["dataset"]["licence"] == "CC BY-NC 4.0"
    assert nodes["N20"]["availability"]["basis"] == "derived" and nodes["N20"]["causes"] == ["NLD,JPN,USA"]


def test_export_control_against_nld_keeps_the_mature_tiers(run) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(run("scenario", "export-control", "--against", "NLD", "--target", "CHN", "--format", "json"))
    (litho,) = doc["capability"]
    tiers = {t["tier"]: t for t in litho["tiers"]}
    assert tiers["EUV"]["status"] == ["lost", "lost"] and tiers["EUV"]["binding"] == "N20"
    # ASML also makes 99.3% of ArF immersion and 94.4% of ArF dry scanners: those tiers go too
    assert tiers["ArF immersion (DUV)"]["status"][1] == "lost"
    for label in ("KrF (DUV)", "i-line"):  # a non-EUV tier is not lost: an interval, and what binds it
        t = tiers[label]
        assert t["status"][1] != "lost" and t["available"][1] > 0.25
        assert t["availability"]["low"] <= t["availability"]["high"] and t["binding"]
    assert litho["runs_at"][1] == "KrF (DUV)" and "EUV" in litho["lost"]
    # the CPUs and the other US-designed chips: not touched by a Dutch control
    nodes = {n["id"]: n for n in doc["nodes"]}
    assert nodes["N1"]["status"] == ["ok", "ok"]


def test_export_control_against_usa_bounds_cpus_from_zero(run) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(run("scenario", "export-control", "--against", "USA", "--target", "CHN", "--format", "json"))
    nodes = {n["id"]: n for n in doc["nodes"]}
    for nid in ("N1", "N2", "N3", "N4"):  # never "available 50%" or "67%": ETO gives no number
        assert nodes[nid]["available"][0] == 0.0 and nodes[nid]["availability"]["basis"] == "bounded"
        assert nodes[nid]["availability"]["value"] is None


def test_export_control_range_and_table(run) -> None:  # type: ignore[no-untyped-def]
    out = run(
        "scenario", "export-control", "--against", "NLD,JPN,USA", "--target", "CHN", "--domestic-substitution", "0-0.3"
    )
    assert "EUV lithography tools" in out and "lost" in out
    assert "–" in out  # ranges, e.g. "lost–degraded" and "3%–32%"
    assert "Fabrication" in out and "Assembly, testing, and packaging" in out
    again = run(
        "scenario", "export-control", "--against", "NLD,JPN,USA", "--target", "CHN", "--domestic-substitution", "0-0.3"
    )
    assert out == again  # deterministic


def test_export_control_timeline(run) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(
        run(
            "scenario",
            "export-control",
            "--against",
            "USA",
            "--target",
            "CHN",
            "--domestic-substitution",
            "0.5",
            "--years",
            "3",
            "--format",
            "json",
        )
    )
    assert [t["year"] for t in doc["timeline"]] == [0, 1, 2, 3]


def test_chokepoints_command(run) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(run("chokepoints", "CHN", "--bloc", "US_ALLIES", "--top", "5", "--format", "json"))
    assert len(rows) == 5 and rows[0]["score"]["value"] == 1.0 and rows[0]["score"]["basis"] == "derived"
    assert all(r["bloc_share"] for r in rows)
    assert [r["node_id"] for r in rows[:2]] == ["N8", "N64"]  # ties in natural id order
    out = run("chokepoints", "CHN", "--stage", "S3", "--top", "3")
    assert "Chokepoints for CHN" in out and "one foreign economy holds at least 75%" in out


def test_chokepoints_json_gives_intervals_never_split_shares(run) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(run("chokepoints", "CHN", "--all", "--top", "200", "--format", "json"))
    by_id = {r["node_id"]: r for r in rows}
    for nid in ("N1", "N2", "N3", "N4"):  # advanced CPUs, discrete GPUs, FPGAs, AI ASICs
        share = by_id[nid]["self_share"]
        assert share["low"] == 0.0 and share["value"] is None  # an interval starting at 0, no point share
        assert share["basis"] in ("qualitative", "bounded")
        assert by_id[nid]["description"]  # ETO's description of the node beside it
        assert share["sources"][0]["file"] == "provision.csv" and share["sources"][0]["lines"]


def test_chains_show_and_compare(run) -> None:  # type: ignore[no-untyped-def]
    out = run("chains", "show", "EUV lithography tools")
    assert "N20 EUV lithography tools" in out and "ASML" in out and "NLD" in out
    doc = json.loads(run("chains", "show", "N19", "--target", "CHN", "--format", "json"))
    assert doc["countries_to_75"] == 1
    assert {c["iso3"]: c["share_pct"] for c in doc["countries"]}["CHN"] == 0.2
    cmp_out = run("chains", "compare", "--vintage", "2019", "--vintage", "2025")
    assert "only in 2019" in cmp_out


def test_errors_are_library_errors(eto_store: Store) -> None:
    from autarky.errors import UnknownEconomyError

    runner = CliRunner()
    result = runner.invoke(app, ["--store", str(eto_store.path), "chokepoints", "Atlantis"])
    assert isinstance(result.exception, UnknownEconomyError)
