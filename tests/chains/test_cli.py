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
    assert len(rows) == 5 and rows[0]["score"] == 1.0
    assert all(r["bloc_share"] for r in rows)
    out = run("chokepoints", "CHN", "--stage", "S3", "--top", "3")
    assert "Chokepoints for CHN" in out


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
