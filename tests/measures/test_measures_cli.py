"""`autarky measures …` and `autarky import measures`, run through the root app in-process."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

import autarky.cli  # noqa: F401  (registers every command group)
from autarky.cli.app import app
from autarky.errors import UsageError
from autarky.store import ImportResult

Templates = dict[str, tuple[Path, dict[str, ImportResult]]]


@dataclass
class Out:
    returncode: int
    stdout: str
    stderr: str


def run(*args: str, store: Path) -> Out:
    result = CliRunner().invoke(app, ["--store", str(store), *args], catch_exceptions=False,
                                env={"COLUMNS": "200"})
    return Out(result.exit_code, result.stdout, result.stderr)


def _seed(templates: Templates, tmp_path: Path) -> Path:
    path = tmp_path / "cli.duckdb"
    shutil.copyfile(templates["seed"][0], path)
    return path


def test_list_json_has_40_measures_each_with_source_and_effective_date(templates: Templates, tmp_path: Path) -> None:
    store = _seed(templates, tmp_path)
    r = run("measures", "list", "--format", "json", store=store)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    rows = doc["table"]["rows"]
    assert len(rows) >= 40 and len(doc["measures"]) == len(rows)
    for row, full in zip(rows, doc["measures"], strict=True):
        assert row["source_url"].startswith(("http://", "https://")), row["measure_id"]
        assert row["effective"] and len(row["effective"]) == 10, row["measure_id"]
        assert doc["sources"][full["source"]]["dataset"] == "export-control-measures"


def test_list_in_force_filters_by_date(templates: Templates, tmp_path: Path) -> None:
    store = _seed(templates, tmp_path)
    early = json.loads(run("measures", "list", "--in-force", "2022-01-01", "--format", "json",
                           store=store).stdout)["table"]["rows"]
    later = json.loads(run("measures", "list", "--in-force", "2024-06-01", "--format", "json",
                           store=store).stdout)["table"]["rows"]
    early_ids = {m["measure_id"] for m in early}
    later_ids = {m["measure_id"] for m in later}
    assert "us-bis-2022-10-07-advanced-computing-sme" not in early_ids
    assert {"us-bis-2022-10-07-advanced-computing-sme", "nl-2023-09-01-advanced-sme",
            "cn-2023-23-gallium-germanium"} <= later_ids
    csv_out = run("measures", "list", "--imposed-by", "NLD", "--format", "csv", store=store)
    lines = csv_out.stdout.strip().splitlines()
    assert lines[0].startswith("measure_id,imposing,instrument,announced,effective")
    assert len(lines) == 5  # the header and the 4 Dutch measures
    with pytest.raises(UsageError, match=r"in_force: 'June 2024' is not a date \(YYYY-MM-DD\)"):
        run("measures", "list", "--in-force", "June 2024", store=store)


def test_affects_restrictions_and_timeline(templates: Templates, tmp_path: Path) -> None:
    store = _seed(templates, tmp_path)
    rows = json.loads(run("measures", "list", "--affects", "gallium-refining", "--format", "json",
                          store=store).stdout)["table"]["rows"]
    ids = {r["measure_id"] for r in rows}
    assert {"cn-2023-23-gallium-germanium", "cn-2024-46-us-gallium-germanium-antimony"} <= ids
    rs = json.loads(run("measures", "restrictions", "--target", "USA", "--on", "2025-06-01", "--format", "json",
                        store=store).stdout)["table"]["rows"]
    gage = next(r for r in rs if r["measure_id"] == "cn-2023-23-gallium-germanium")
    assert {"critical-minerals:gallium-refining", "critical-minerals:germanium-refining"} <= set(gage["map_nodes"])
    tl = run("measures", "timeline", "--target", "CHN", "--format", "csv", store=store)
    assert tl.returncode == 0 and "2022-10-07" in tl.stdout
    show = json.loads(run("measures", "show", "us-bis-2025-01-ai-diffusion", "--format", "json", store=store).stdout)
    assert show["measure"]["events"][0]["kind"] == "lifted"


def test_import_measures_through_the_generic_import_command(templates: Templates, tmp_path: Path) -> None:
    store = tmp_path / "imp.duckdb"
    shutil.copyfile(templates["maps"][0], store)
    f = tmp_path / "my_measures.csv"
    f.write_text(
        "measure_id,imposing,instrument,title,effective,targets,nodes,source_url\n"
        "m1,USA,rule,Good,2022-10-07,CHN,eto-chip-explorer:N20,https://www.federalregister.gov/d/2022-21658\n"
        "m2,USA,rule,Bad node,2022-10-07,CHN,eto-chip-explorer:N999,https://www.federalregister.gov/d/2022-21658\n",
        encoding="utf-8")
    r = run("import", "measures", str(f), store=store)
    assert r.returncode == 0, r.stderr
    assert "1 row(s) quarantined" in r.stderr
    q = run("quarantine", "--format", "json", store=store)
    (row,) = json.loads(q.stdout)["table"]["rows"]
    assert row["line"] == 3 and row["field"] == "nodes" and "unknown node id 'N999'" in row["reason"]
    listed = json.loads(run("measures", "list", "--format", "json", store=store).stdout)["table"]["rows"]
    assert [m["measure_id"] for m in listed] == ["m1"]
