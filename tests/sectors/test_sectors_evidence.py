"""Sector evidence on the bundled data: every figure with basis and source, intervals where maps give no number,
words where there is no number, and the questions and the assessment that show them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from autarky.figures import Basis, Figure
from autarky.queries import ask
from autarky.queries.assess import AssessRequest
from autarky.sectors import sector_evidence, sectors
from autarky.store import Store

ON = date(2026, 1, 1)


def _items(ev: object, kind: str) -> dict[str, Figure]:
    return {i.topic: i.figure for i in ev.items if i.kind == kind}  # type: ignore[attr-defined]


def test_every_item_has_a_basis_and_a_source(bundled: Store) -> None:
    for sid in ("semiconductors", "ai", "batteries", "robotics", "pharma", "quantum"):
        ev = sector_evidence(bundled, sid, "CHN", on=ON)
        assert ev.items, sid
        for i in ev.items:
            assert i.figure.sources, (sid, i.topic)
            assert isinstance(i.figure.basis, Basis)


def test_map_shares_are_numbers_intervals_or_words_never_an_equal_split(bundled: Store) -> None:
    ai = _items(sector_evidence(bundled, "ai", "CHN", on=ON), "map-share")
    gpu = ai["Discrete GPUs (eto-chip-explorer N2)"]
    # ETO lists China for GPUs without a number: the share starts at 0, and no midpoint is invented
    assert gpu.basis is Basis.QUALITATIVE and gpu.low == 0 and gpu.point is None
    pharma = _items(sector_evidence(bundled, "pharma", "CHN", on=ON), "map-share")
    api = pharma["API manufacturing (facilities supplying the U.S. market) (pharma-api P2)"]
    assert api.basis is Basis.REPORTED and api.value == 13
    de = _items(sector_evidence(bundled, "pharma", "DEU", on=ON), "map-share")
    dep2 = de["API manufacturing (facilities supplying the U.S. market) (pharma-api P2)"]
    assert dep2.basis is Basis.BOUNDED and (dep2.low, dep2.high) == pytest.approx((0, 100 - 28 - 13))
    robots = _items(sector_evidence(bundled, "robotics", "CHN", on=ON), "map-share")
    rv = robots["RV (cycloidal) reducers (robot-components R2)"]
    assert rv.basis is Basis.BOUNDED and (rv.low, rv.high) == (0, 40)  # Nabtesco 60% leaves 40 unlisted
    assert robots["Servo motors and drives (robot-components R4)"].label == "no share data"


def test_batteries_hold_the_ieas_ev_figures_and_the_sourced_shares(bundled: Store) -> None:
    ev = sector_evidence(bundled, "batteries", "CHN", on=ON)
    iea = _items(ev, "ev-outlook")
    sold = iea["Electric cars sold (BEV + PHEV)"]
    assert sold.value == 8_100_000 and sold.sources[0].licence == "CC BY 4.0"
    assert 0.55 < (iea["Share of the world's electric-car sales"].value or 0) < 0.60
    facts = _items(ev, "fact")
    assert facts["Share of the world's electric-car exports from China"].value == 40
    assert ev.has_numbers


def test_a_sector_with_no_number_for_the_economy_says_so_in_words(bundled: Store) -> None:
    ev = sector_evidence(bundled, "quantum", "BRA", on=ON)
    assert not ev.has_numbers
    assert ev.statement.startswith("No number on Quantum technology for BRA")
    assert all(i.subject != "BRA" or i.figure.point is None for i in ev.items)
    assert not any(i.figure.value == 0 for i in ev.items)  # no zeros stand in for missing data


def test_sectors_list_says_what_is_loaded(bundled: Store) -> None:
    infos = {i.sector_id: i for i in sectors(bundled)}
    assert list(infos) == ["semiconductors", "ai", "batteries", "robotics", "pharma", "quantum"]
    assert "IEA Global EV Outlook data" in infos["batteries"].loaded
    assert "sourced facts" in infos["robotics"].loaded
    assert all(i.sources for i in infos.values())


def test_sectors_list_from_the_command_line(bundled_store_path: Path, tmp_path: Path) -> None:
    env = {**os.environ, "AUTARKY_STORE": str(bundled_store_path)}
    r = subprocess.run([sys.executable, "-m", "autarky", "sectors", "list", "--format", "json"], env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["question"] == "sectors.list" and doc["sources"]
    rows = doc["table"]["rows"]
    assert [row["sector"] for row in rows] == ["semiconductors", "ai", "batteries", "robotics", "pharma", "quantum"]
    for row in rows:
        assert row["evidence"] and row["sources"]


@pytest.mark.parametrize("sector", ["robotics", "batteries"])
def test_assess_adds_the_sector_section_every_figure_sourced(bundled: Store, sector: str) -> None:
    res = ask(bundled, "assess", AssessRequest(economy="CHN", sector=sector))
    d = res.to_dict()
    secs = [s for s in d["sections"] if s["key"] == f"sector-{sector}"]
    assert len(secs) == 1 and secs[0]["brief"]
    rows = secs[0]["answer"]["table"]["rows"]
    assert rows
    for row in rows:
        f = row["figure"]
        assert f["basis"] in {"reported", "derived", "bounded", "qualitative"}  # nothing assumed, nothing invented
        assert f["sources"], row["topic"]
        for i in f["sources"]:  # sources are listed once per result and named by index
            assert d["sources"][i]["dataset"], row["topic"]


def test_assess_semiconductors_adds_no_sector_section(bundled: Store) -> None:
    res = ask(bundled, "assess", AssessRequest(economy="CHN"))
    assert not [s for s in res.to_dict()["sections"] if s["key"].startswith("sector-")]
