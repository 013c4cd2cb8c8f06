"""The critical-minerals map (generic format) and its documented links to the chip and battery maps."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from measures_helpers import quarantine

from autarky.chains import load_map
from autarky.chains.shares import country_shares
from autarky.data import bundled_path
from autarky.errors import FormatError
from autarky.measures import load_map_links, map_links
from autarky.store import ImportResult, Store

NODES = {"gallium-refining", "germanium-refining", "graphite-mining", "graphite-processing", "antimony-mining",
         "antimony-refining", "rare-earths-mining", "rare-earths-separation", "rare-earth-magnets", "tungsten-mining",
         "tungsten-processing"}
FOLDER = bundled_path("chains/critical-minerals")

# USGS Mineral Commodity Summaries 2026, world production tables, 2025 estimates: (node, ISO3, tonnage, world total)
USGS = [
    ("rare-earths-mining", "CHN", 270_000, 390_000), ("rare-earths-mining", "USA", 51_000, 390_000),
    ("graphite-mining", "CHN", 1_400_000, 1_800_000), ("graphite-mining", "MDG", 80_000, 1_800_000),
    ("antimony-mining", "CHN", 40_000, 110_000), ("antimony-mining", "RUS", 32_000, 110_000),
    ("tungsten-mining", "CHN", 67_000, 85_000), ("gallium-refining", "RUS", 6_000, 900_000),
]


def test_map_loads_clean_with_the_required_node_ids(templates: dict[str, tuple[Path, dict[str, ImportResult]]],
                                                    seed_store: Store) -> None:
    result = templates["maps"][1]["chains/critical-minerals"]
    assert result.name == "critical-minerals" and result.rows_quarantined == 0 and result.warnings == []
    cmap = load_map(seed_store, name="critical-minerals")
    assert set(cmap.nodes) >= NODES
    assert cmap.dataset.licence == "CC BY 4.0"


@pytest.mark.parametrize(("node", "iso3", "tonnes", "world"), USGS)
def test_shares_are_tonnage_over_the_published_world_total(seed_store: Store, node: str, iso3: str, tonnes: int,
                                                           world: int) -> None:
    cmap = load_map(seed_store, name="critical-minerals")
    shares = {s.iso3: s for s in country_shares(cmap, node, view="site")}
    assert shares[iso3].share_pct == pytest.approx(round(100 * tonnes / world, 1))


def test_every_quantified_share_names_its_edition_and_unsourced_nodes_stay_qualitative(seed_store: Store) -> None:
    with (FOLDER / "provision.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        assert "Mineral Commodity Summaries 2026" in r["source"] or r["source"].startswith(("IEA", "IEA commentary")), r
    cmap = load_map(seed_store, name="critical-minerals")
    (ge,) = country_shares(cmap, "germanium-refining", view="site")
    assert ge.iso3 == "CHN" and ge.share_pct is None and ge.qualitative == "major"
    assert country_shares(cmap, "antimony-refining", view="site") == []
    gallium = {s.iso3: s.share_pct for s in country_shares(cmap, "gallium-refining", view="site")}
    assert gallium["CHN"] == 99  # "China accounted for 99% of worldwide primary low-purity gallium production"


def test_links_to_the_chip_and_battery_maps_carry_a_note_and_a_source(seed_store: Store) -> None:
    links = map_links(seed_store)
    assert len(links) == 8
    assert {(x.src_node, x.dst_map, x.dst_node) for x in links} >= {
        ("gallium-refining", "eto-chip-explorer", "N26"), ("graphite-processing", "li-ion-batteries", "B8")}
    assert {x.dst_map for x in links} == {"eto-chip-explorer", "li-ion-batteries"}
    for x in links:
        assert x.src_map == "critical-minerals" and x.note and x.source.locator
        assert x.source.dataset == "map-links:critical-minerals" and x.source.file == "feeds.csv"


def test_bad_links_are_quarantined_and_a_bad_header_refused(maps_store: Store, tmp_path: Path) -> None:
    f = tmp_path / "feeds.csv"
    f.write_text(
        "src,dst,relation,note,source\n"
        "critical-minerals:gallium-refining,eto-chip-explorer:N26,feeds,ok,doc\n"
        "critical-minerals:gallium-refining,solar:P1,feeds,no such map,doc\n"
        "critical-minerals:galium-refining,eto-chip-explorer:N26,feeds,typo,doc\n"
        "critical-minerals:gallium-refining,eto-chip-explorer:N26,feeds,,doc\n"
        "critical-minerals:gallium-refining,eto-chip-explorer:N26,competes,why,doc\n",
        encoding="utf-8")
    result = load_map_links(maps_store, f)
    assert result.rows_loaded == 1 and result.rows_quarantined == 4
    reasons = [r["reason"] for r in quarantine(maps_store)]
    assert reasons == ["map 'solar' is not loaded in the store",
                       "unknown node id 'galium-refining' in map 'critical-minerals'",
                       "missing note: say why the link holds",
                       "relation 'competes' is not one of feeds"]
    f.write_text("from,to\nx,y\n", encoding="utf-8")
    with pytest.raises(FormatError, match="unknown column"):
        load_map_links(maps_store, f)
