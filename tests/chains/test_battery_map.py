"""The bundled lithium-ion battery map (issue 13, item 5): sourced, dated, corrected and extended."""

from __future__ import annotations

import re

import pytest

from autarky.chains.generic import load_generic
from autarky.chains.map import load_map
from autarky.chains.shares import country_shares
from autarky.data import bundled_path
from autarky.store import Store

LI_ION = bundled_path("chains/li-ion-batteries")


@pytest.fixture
def battery(store: Store) -> Store:
    result = load_generic(store, LI_ION)
    assert result.rows_quarantined == 0 and result.rows_loaded == result.rows_read
    return store


def test_every_provision_row_has_a_source_and_a_year(battery: Store) -> None:
    rows = battery.query("SELECT provider_id, node_id, year, share, source FROM chain_provision").to_pylist()
    assert len(rows) >= 40
    for r in rows:
        assert r["source"] and len(r["source"]) > 30 and r["year"] in range(2019, 2026), r
    # no unsourced share: every quantified row quotes its figure, or the tonnages it is computed from
    # (USGS: country tonnes / world tonnes, to one decimal -- recomputed here)
    for r in rows:
        if r["share"] is None:
            continue
        tonnes = re.search(r"([\d,]+) t of (?:a world total of )?([\d,]+) t", r["source"])
        if tonnes:
            part, world = (float(x.replace(",", "")) for x in tonnes.groups())
            assert r["share"] == pytest.approx(100 * part / world, abs=0.05), r
        else:
            assert f"{r['share']:g}" in r["source"] or "three-quarters" in r["source"], r


def test_cell_manufacturing_site_view_is_the_iea_share_and_others_stay_qualitative(battery: Store) -> None:
    cmap = load_map(battery)
    site = {s.iso3: s for s in country_shares(cmap, "B11", view="site")}
    assert site["CHN"].share_pct == 75.0 and site["CHN"].qualitative is None
    assert site["KOR"].share_pct is None and site["KOR"].qualitative == "major"  # no invented split
    assert site["JPN"].share_pct is None and site["JPN"].qualitative == "major"
    row = battery.query("SELECT source, year FROM chain_provision WHERE node_id = 'B11' AND provider_id = 'C-CHN'"
                        ).to_pylist()[0]
    assert "IEA" in row["source"] and "three-quarters" in row["source"] and row["year"] == 2022
    # by headquarters the ten makers' 2023 EV-installation shares (SNE Research) sum per country
    hq = {s.iso3: s.share_pct for s in country_shares(cmap, "B11", view="hq")}
    assert hq == pytest.approx({"CHN": 36.8 + 15.8 + 4.7 + 2.4 + 2.3 + 1.5, "KOR": 13.6 + 4.9 + 4.6, "JPN": 6.4})


def test_active_materials_follow_the_global_ev_outlook_2024(battery: Store) -> None:
    cmap = load_map(battery)
    cam = {s.iso3: s.share_pct for s in country_shares(cmap, "B7", view="site")}
    aam = {s.iso3: s.share_pct for s in country_shares(cmap, "B8", view="site")}
    assert cam == {"CHN": 90.0} and aam == {"CHN": 97.0}  # latest year (2023) by default
    sources = {r["node_id"]: r["source"] for r in battery.query(
        "SELECT node_id, source FROM chain_provision WHERE year = 2023 AND node_id IN ('B7', 'B8')").to_pylist()}
    for text in sources.values():
        assert "Global EV Outlook 2024" in text and "iea.org/reports/global-ev-outlook-2024" in text
    assert "over 97%" in sources["B8"] and "nearly 90%" in sources["B7"]


def test_new_nodes_keep_the_old_ids_and_link_up(battery: Store) -> None:
    cmap = load_map(battery)
    assert {f"B{i}" for i in (1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17)} <= set(cmap.nodes)
    edges = {(r["src"], r["dst"]) for r in battery.query("SELECT src, dst FROM chain_edges").to_pylist()}
    assert {("B1", "B14"), ("B14", "B7"), ("B2", "B17"), ("B3", "B17"), ("B17", "B7"), ("B14", "B15"),
            ("B15", "B11"), ("B16", "B11")} <= edges
    assert cmap.stage_of("B14") == "S1" and cmap.stage_of("B15") == "S2"
    # words-only shares stay words: lithium refining and pCAM have no number
    for node in ("B14", "B17"):
        shares = country_shares(cmap, node, view="site")
        assert [(s.iso3, s.share_pct, s.qualitative) for s in shares] == [("CHN", None, "major")]
    sep = {s.iso3: s.share_pct for s in country_shares(cmap, "B16", view="hq")}
    assert sep == {"CHN": 87.4, "JPN": 9.7}
