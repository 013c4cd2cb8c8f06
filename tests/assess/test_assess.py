"""The main job: the scorecard from the bundled ETO data, its provenance, and the self-contained report."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from autarky.assess import Assessment, assess
from autarky.bundled import bundled_path
from autarky.chains.eto import load_eto
from autarky.report import render_html
from autarky.store import Store, open_store

ETO = bundled_path("eto-chip-explorer-2026")


@pytest.fixture(scope="module")
def eto_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    st = open_store(tmp_path_factory.mktemp("assess") / "s.duckdb")
    load_eto(st, ETO)
    return st


@pytest.fixture(scope="module")
def chn(eto_store: Store) -> Assessment:
    return assess(eto_store, "CHN")


def _row(a: Assessment, stage: str, node_id: str) -> dict[str, object]:
    sec = a.section(f"stage:{stage}")
    assert sec is not None
    return next(r for r in sec.rows if r["node_id"] == node_id)


def test_three_stages_with_figures(chn: Assessment) -> None:
    stages = [s.key for s in chn.sections if s.key.startswith("stage:")]
    assert stages == ["stage:Design", "stage:Fabrication", "stage:Assembly, testing, and packaging (ATP)"]
    for key in stages:
        sec = chn.section(key)
        assert sec is not None and len(sec.rows) >= 5
        assert any(r["own_share_pct"] is not None for r in sec.rows)


def test_figures_pinned_to_the_eto_data(chn: Assessment) -> None:
    euv = _row(chn, "Fabrication", "N20")
    assert euv["own_share_pct"] == 0.0
    assert euv["largest foreign"] == "NLD 100.0%"
    assert euv["countries to 75%"] == 1
    litho = _row(chn, "Fabrication", "N19")
    assert litho["own_share_pct"] == pytest.approx(0.2)
    assert litho["largest foreign"] == "NLD 81.5%"
    eda = _row(chn, "Design", "N84")
    assert eda["own_share_pct"] == pytest.approx(1.0) and eda["largest foreign"] == "USA 96.0%"
    fab = _row(chn, "Fabrication", "S2")  # fab capacity by site, kept apart from the HQ view
    assert fab["view"] == "site" and fab["own_share_pct"] == pytest.approx(24.0)


def test_gaps_are_inputs_china_does_not_supply_ranked_by_concentration(chn: Assessment) -> None:
    gaps = chn.section("gaps")
    assert gaps is not None and len(gaps.rows) == 10
    hhis = [r["HHI"] for r in gaps.rows]
    assert hhis == sorted(hhis, reverse=True)
    assert "N20" in {r["node_id"] for r in gaps.rows}
    fab = chn.section("stage:Fabrication")
    assert fab is not None
    own = {r["node_id"]: r["own_share_pct"] for r in fab.rows}
    for r in gaps.rows:
        assert own.get(str(r["node_id"]), 0.0) == 0.0


def test_every_figure_traces_to_its_source_rows(chn: Assessment) -> None:
    with (ETO / "provision.csv").open(encoding="utf-8", newline="") as fh:
        lines = fh.read().splitlines()
    for sec in chn.sections:
        for r in sec.rows:
            src = str(r["source"])
            assert "eto-chip-explorer 2026-08" in src and "CC BY-NC 4.0" in src
        for p in sec.sources:
            assert (p.dataset, p.vintage, p.licence) == ("eto-chip-explorer", "2026-08", "CC BY-NC 4.0")
            if sec.key == "scenario":  # a scenario draws on the whole map: dataset and vintage, no rows
                continue
            assert p.file == "provision.csv" and p.lines
            for n in p.lines:  # each cited line of provision.csv is a row of that node
                row = next(csv.reader([lines[n - 1]]))
                assert row[3] in {r["node_id"] for r in sec.rows}


def test_chokepoints_and_default_scenario(chn: Assessment) -> None:
    cps = chn.section("chokepoints")
    assert cps is not None and len(cps.rows) == 10
    # criticality weighs the tiers a node bounds: tools every tier needs rank above EUV (one tier of five)
    assert "N64" in {r["node_id"] for r in cps.rows}
    pm = next(r for r in cps.rows if r["node_id"] == "N64")
    assert "100% USA" in str(pm["explanation"]) and "not among the listed providers" in str(pm["explanation"])
    sc = chn.section("scenario")
    assert sc is not None and "CHIP_TOOLMAKERS" in sc.title
    stages = {r["stage or output"]: r for r in sc.rows}
    assert stages["Fabrication"]["status"] == "lost"
    assert "via" in str(stages["Finished logic chip"]["explanation"])  # the binding path is named
    cap = stages["capability: Lithography tools"]
    assert "EUV" in str(cap["explanation"]) and "tiers lost" in str(cap["explanation"])
    assert "–" in str(stages["Design"]["available"])  # domestic substitution 0-30% gives a range


def test_germany_reads_europe_not_zero(eto_store: Store) -> None:
    a = assess(eto_store, "DEU")
    ov = a.sections[0]
    fab = next(r for r in ov.rows if str(r["measure"]).startswith("Fabrication"))
    assert str(fab["value"]).startswith("0.0–8.0%") and "within Europe" in str(fab["value"])
    assert "not broken down by eto-chip-explorer" in str(fab["value"])
    total = _row(a, "Fabrication", "S2")
    assert total["own_share_pct"] is None and total["own_share"]["basis"] == "bounded"


def test_bloc_assessment_sums_member_shares(eto_store: Store) -> None:
    a = assess(eto_store, "CHIP_TOOLMAKERS")
    assert a.members == ("JPN", "NLD", "USA")
    assert _row(a, "Fabrication", "N20")["own_share_pct"] == pytest.approx(100.0)


def test_report_is_self_contained(eto_store: Store, chn: Assessment) -> None:
    html = render_html(eto_store, chn)
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']https?:", html)
    assert "vegaEmbed" in html
    specs = re.findall(r'<script type="application/json" id="([^"]+)">(.*?)</script>', html, re.S)
    assert len(specs) == 4  # one chart per stage, and the chokepoints
    for _, body in specs:
        assert json.loads(body)["data"]["values"]
    assert "CC BY-NC 4.0" in html and "non-commercial" in html


def test_main_job_on_a_fresh_store(tmp_path: Path) -> None:
    env = {**os.environ, "AUTARKY_STORE": str(tmp_path / "fresh.duckdb"), "COLUMNS": "120"}
    r = subprocess.run([sys.executable, "-m", "autarky", "assess", "CHN"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    for stage in ("Design", "Fabrication", "Assembly, testing, and packaging"):
        assert stage in r.stdout
    assert "EUV lithography tools" in r.stdout and "NLD 100.0%" in r.stdout
    assert "eto-chip-explorer release 2026-08" in r.stdout
    assert (tmp_path / "report.html").stat().st_size > 100_000
    d = subprocess.run([sys.executable, "-m", "autarky", "datasets", "--format", "json"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=120)
    names = {x["name"]: x for x in json.loads(d.stdout)}
    assert names["eto-chip-explorer"]["licence"] == "CC BY-NC 4.0"
    assert names["eto-chip-explorer"]["vintage"] == "2026-08"


def test_money_sections_from_the_bundled_ledger(tmp_path: Path) -> None:
    from autarky.money import load_ledger

    st = open_store(tmp_path / "m.duckdb")
    load_eto(st, ETO)
    load_ledger(st, bundled_path("ledger"))
    a = assess(st, "CHN")
    flows = a.section("money:flows")
    assert flows is not None and {r["phase"] for r in flows.rows} >= {"I", "II"}
    alignment = a.section("money:alignment")
    assert alignment is not None and alignment.rows
    deals = a.section("money:deals")
    assert deals is not None and len(deals.rows) >= 10
    for r in deals.rows:  # every deal shown names its source document and ledger row
        assert "ledger deal" in str(r["source"]) and len(str(r["source"])) > 30
    hsmc = [r for r in deals.rows if "Hongxin Semiconductor" in str(r["investee"])]
    assert hsmc and hsmc[0]["status"] == "failed" and hsmc[0]["amount"] == "128,000,000,000 CNY"


def test_without_a_ledger_the_money_section_says_why(eto_store: Store, chn: Assessment) -> None:
    assert chn.section("money:flows") is None
    assert any(m.startswith("investment:") for m in chn.missing)


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Store:
    from autarky.bundled import load_bundled

    st = open_store(tmp_path_factory.mktemp("full") / "s.duckdb")
    load_bundled(st)
    return st


def test_io_trajectory_pinned_to_the_oecd_table(full: Store) -> None:
    a = assess(full, "CHN")
    traj = a.section("io:trajectory")
    assert traj is not None and "1995–2018" in traj.title
    electronics = next(r for r in traj.rows if r["sector"] == "17")
    # independent: OECD21ed_CHN_1995.csv, Q = OUTPUT row, X = EXPO and M = -IMPO of product row 17
    with (bundled_path("oecd-iot-chn") / "OECD21ed_CHN_1995.csv").open(encoding="utf-8") as fh:
        rows = {r["Code"]: r for r in csv.DictReader(fh)}
    q, x, m = float(rows["OUTPUT"]["17"]), float(rows["17"]["EXPO"]), -float(rows["17"]["IMPO"])
    assert electronics["SSR 1995"] == pytest.approx(round(q / (q + m - x), 3))
    assert any("hide product-level chokepoints" in n for n in traj.notes)
    assert traj.charts and traj.charts[0].spec["mark"]["type"] == "line"
    shock = a.section("io:shock")
    assert shock is not None and len(shock.rows) == 10


def test_trade_section_says_its_coverage(full: Store) -> None:
    a = assess(full, "CHN")
    sec = a.section("trade:dependence")
    assert sec is not None and sec.rows
    assert sec.notes[0].startswith("Partial coverage") and "AFG" in sec.notes[0] and "ZAF" in sec.notes[0]
    assert {r["sector"] for r in sec.rows} >= {"semiconductors"}
    assert any("complexity: CHN has no exports" in m for m in a.missing)


def test_complexity_section_for_an_exporter(full: Store) -> None:
    a = assess(full, "ZAF")
    sec = a.section("complexity")
    assert sec is not None and "rank 1 of 2" in sec.title
    semis = next(r for r in sec.rows if r["sector"] == "semiconductors")
    assert 0 < int(semis["with RCA ≥ 1"]) <= int(semis["products"])


def test_overview_collects_the_headlines(full: Store) -> None:
    a = assess(full, "CHN")
    ov = a.sections[0]
    assert ov.key == "overview"
    measures = " | ".join(str(r["measure"]) for r in ov.rows)
    for expected in ("Design", "Fabrication", "chokepoints", "Export control", "state investment",
                     "semiconductor imports", "electronics industry self-sufficiency"):
        assert expected in measures
    fab = next(r for r in ov.rows if str(r["measure"]).startswith("Fabrication"))
    assert fab["value"] == "24.0%" and "capacity by site" in str(fab["measure"])
    assert "eto-chip-explorer 2026-08" in ov.notes[-1] and "oecd-iot-chn" in ov.notes[-1]
