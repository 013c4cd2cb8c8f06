"""Who a measure bites, which entities are listed on a date, when the biting set changes, what a measure affects."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest

from autarky.measures import (
    affects,
    list_measures,
    listed_entities,
    load_measures,
    normalise_entity,
    read_measures,
    restrictions_for,
    timeline,
)
from autarky.store import Store

URL = "https://example.gov/official-text"


def _ledger(tmp_path: Path, measures: list[list[str]], entities: list[list[str]] | None = None,
            events: list[list[str]] | None = None) -> Path:
    d = tmp_path / "mini"
    d.mkdir()
    with (d / "measures.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["measure_id", "imposing", "instrument", "title", "effective", "targets",
                                  "excluded", "nodes", "source_url"], *measures])
    if entities:
        with (d / "entities.csv").open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([["measure_id", "entity", "name_zh", "economy", "removed"], *entities])
    if events:
        with (d / "events.csv").open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([["measure_id", "event", "date", "until", "source_url"], *events])
    return d


def test_exclusions_the_imposer_and_blocs(maps_store: Store, tmp_path: Path) -> None:
    load_measures(maps_store, _ledger(tmp_path, [
        ["nl", "NLD", "regulation", "Dutch", "2023-09-01", "*", "EU27", "eto-chip-explorer:N22", URL],
        ["eu", "EU27", "regulation", "EU-wide", "2024-01-01", "CHN;RUS", "", "", URL],
        ["cn", "CHN", "regulation", "Chinese", "2023-08-01", "US_ALLIES", "", "", URL],
    ]))
    on = date(2024, 6, 1)

    def ids(members: set[str]) -> set[str]:
        return {r.measure_id for r in restrictions_for(maps_store, frozenset(members), on)}

    assert ids({"CHN"}) == {"nl", "eu"}
    assert ids({"DEU"}) == {"cn"}  # Germany is excluded from the Dutch rule (EU27) but in US_ALLIES
    assert ids({"NLD"}) == {"cn"}  # the Dutch rule does not bite the Netherlands
    assert ids({"RUS"}) == {"nl", "eu"}
    eu = next(r for r in restrictions_for(maps_store, frozenset({"CHN"}), on) if r.measure_id == "eu")
    assert "DEU" in eu.imposing and "NLD" in eu.imposing and len(eu.imposing) == 27
    nl = next(r for r in restrictions_for(maps_store, frozenset({"CHN"}), on) if r.measure_id == "nl")
    assert nl.map_nodes == {"eto-chip-explorer": frozenset({"N22"})} and nl.entities == frozenset()
    assert {m.measure_id for m in list_measures(maps_store, imposed_by="EU27")} == {"nl", "eu"}
    assert {m.measure_id for m in list_measures(maps_store, targets="DEU")} == {"cn"}


def test_entity_listings_restrict_only_the_named_firms_until_their_removal(maps_store: Store, tmp_path: Path) -> None:
    load_measures(maps_store, _ledger(
        tmp_path,
        [["el", "USA", "list_entry", "Entity List additions", "2020-12-18", "", "", "", URL]],
        entities=[["el", "Example Foundry Co., Ltd.", "示例晶圆有限公司", "CHN", ""],
                  ["el", "Left Corp.", "", "CHN", "2022-01-01"],
                  ["el", "Somewhere Inc.", "", "", ""]],
    ))
    (r,) = restrictions_for(maps_store, frozenset({"CHN"}), date(2021, 6, 1))
    assert r.entities == {"Example Foundry Co., Ltd.", "Left Corp."} and r.map_nodes == {}
    (r,) = restrictions_for(maps_store, frozenset({"CHN"}), date(2023, 6, 1))
    assert r.entities == {"Example Foundry Co., Ltd."}
    assert restrictions_for(maps_store, frozenset({"USA"}), date(2023, 6, 1)) == []  # economy unknown: by name only
    listed = listed_entities(maps_store, date(2023, 6, 1))
    assert set(listed) == {"example foundry", "示例晶圆", "somewhere"}
    (listing,) = listed["example foundry"]
    assert listing.measure_id == "el" and listing.listed_on == date(2020, 12, 18) and listing.economy == "CHN"
    assert listing.source.url == URL and listing.source.file == "measures.csv"
    assert listed["示例晶圆"] == listed["example foundry"]
    assert "left" in listed_entities(maps_store, date(2021, 12, 31))
    assert listed_entities(maps_store, date(2020, 12, 17)) == {}
    assert [m.measure_id for m in list_measures(maps_store, affects="EXAMPLE FOUNDRY CO LTD")] == ["el"]
    assert [m.measure_id for m in list_measures(maps_store, targets="Somewhere, Inc.")] == ["el"]


def test_timeline_lists_exactly_the_days_the_biting_set_changes(maps_store: Store, tmp_path: Path) -> None:
    load_measures(maps_store, _ledger(
        tmp_path,
        [["a", "USA", "rule", "A", "2022-10-07", "CHN", "", "", URL],
         ["b", "USA", "rule", "B", "2023-11-17", "CHN", "", "", URL],
         ["c", "USA", "rule", "C (not for China)", "2023-01-01", "RUS", "", "", URL],
         ["l", "USA", "list_entry", "L", "2021-01-01", "", "", "", URL]],
        entities=[["l", "Firm", "", "CHN", "2024-03-01"]],
        events=[["b", "suspended", "2024-01-01", "2024-06-30", URL], ["a", "amended", "2023-11-17", "", URL]],
    ))
    days = timeline(maps_store, "CHN")
    assert days == [date(2021, 1, 1), date(2022, 10, 7), date(2023, 11, 17), date(2024, 1, 1), date(2024, 3, 1),
                    date(2024, 7, 1)]
    for d in days:  # each kept day really changes the set, and no other candidate does
        before = {r.measure_id for r in restrictions_for(maps_store, frozenset({"CHN"}), d - timedelta(days=1))}
        after = {r.measure_id for r in restrictions_for(maps_store, frozenset({"CHN"}), d)}
        assert before != after, d
    assert timeline(maps_store, frozenset({"RUS"})) == [date(2023, 1, 1)]


@pytest.mark.parametrize(("query", "expected"), [
    ("N20", True), ("eto-chip-explorer:N20", True), ("euv lithography tools", True), ("N21", False),
    ("8486", True), ("8486.20.10", True), ("84", True), ("8542", False),
    ("photoresist", True), ("resist", False), ("gallium", False),
])
def test_affects_nodes_codes_materials(maps_store: Store, tmp_path: Path, query: str, expected: bool) -> None:
    d = _ledger(tmp_path, [["x", "USA", "rule", "X", "2022-10-07", "CHN", "", "eto-chip-explorer:N20", URL]])
    text = (d / "measures.csv").read_text(encoding="utf-8").replace("source_url", "source_url,hs_codes,materials")
    text = text.replace(f"{URL}\n", f"{URL},848620,photoresist (ArF)\n")
    (d / "measures.csv").write_text(text, encoding="utf-8")
    load_measures(maps_store, d)
    (m,) = read_measures(maps_store)
    from autarky.measures.queries import _node_names

    assert affects(m, query, _node_names(maps_store)) is expected


def test_normalise_entity() -> None:
    assert normalise_entity("Huawei Technologies Co., Ltd.") == normalise_entity("HUAWEI TECHNOLOGIES CO LTD") \
        == "huawei technologies"
    assert normalise_entity("SUBARU Corporation") == "subaru"
    assert normalise_entity("斯巴鲁株式会社") == "斯巴鲁"
    assert normalise_entity("Lockheed Martin Advanced Technology Laboratories") == \
        "lockheed martin advanced technology laboratories"
    assert normalise_entity("Company") == "company"  # a name that is only a legal form stays
