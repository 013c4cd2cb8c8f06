"""The bundled seed ledger: sourced, dated, scoped to the bundled maps, and the acceptance questions of issue 14.

Dates are pinned to the official texts the rows cite (Federal Register DATES sections, MOFCOM
announcements, the Dutch government's announcements); a change to any of them must be deliberate.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pytest
from measures_helpers import quarantine

from autarky.bundled import BUNDLED, bundled_path
from autarky.measures import list_measures, read_measures, restrictions_for
from autarky.store import ImportResult, Store

# a copy of ../shared/data/cn-export-control-lists (SOURCE.md beside it)
SHARED_LISTS = Path(__file__).parent.parent / "data" / "measures" / "cn_export_control_lists.csv"


def test_the_seed_loads_without_a_quarantined_row(seed_store: Store, seed_results: dict[str, ImportResult]) -> None:
    assert seed_results["measures"].rows_quarantined == 0, quarantine(seed_store)
    assert seed_results["measures"].warnings == []  # every measure names whom it restricts
    assert seed_results["feeds"].rows_quarantined == 0
    assert quarantine(seed_store) == []


def test_at_least_40_measures_2019_to_2026_in_both_directions_each_with_an_official_source(seed_store: Store) -> None:
    measures = read_measures(seed_store)
    assert len(measures) >= 40
    for m in measures:
        parts = urlparse(m.source_url)
        assert parts.scheme in ("http", "https") and parts.netloc, m.measure_id
        assert m.effective is not None, m.measure_id
        assert m.announced is None or m.announced <= m.effective, m.measure_id
        assert m.date_note, m.measure_id  # every row says how its dates were verified
        for e in m.events:
            assert e.source is not None and (e.source.url or "").startswith("http"), m.measure_id
    years = {m.effective.year for m in measures if m.effective}
    assert min(years) == 2019 and max(years) == 2026
    by_imposer = {m.imposing for m in measures}
    assert {"USA", "NLD", "JPN", "CHN"} <= by_imposer


# official dates: (measure id, announced, effective)
PINNED = [
    ("us-el-2019-05-huawei", "2019-05-16", "2019-05-16"),
    ("us-fdpr-2020-05-huawei", "2020-05-15", "2020-05-15"),
    ("us-fdpr-2020-08-huawei", "2020-08-17", "2020-08-17"),
    ("us-el-2020-12-smic", "2020-12-18", "2020-12-18"),
    ("us-bis-2022-10-07-advanced-computing-sme", "2022-10-07", "2022-10-07"),
    ("us-el-2022-12-ymtc", "2022-12-15", "2022-12-16"),
    ("us-bis-2023-10-17-sme", "2023-10-17", "2023-11-17"),
    ("us-bis-2023-10-17-advanced-computing", "2023-10-17", "2023-11-17"),
    ("us-bis-2024-12-02-fdpr-sme-hbm", "2024-12-02", "2024-12-02"),
    ("us-bis-2025-01-ai-diffusion", "2025-01-13", "2025-01-13"),
    ("us-bis-2025-01-foundry-due-diligence", "2025-01-15", "2025-01-16"),
    ("nl-2023-09-01-advanced-sme", "2023-06-30", "2023-09-01"),
    ("nl-2024-09-07-duv-expansion", "2024-09-06", "2024-09-07"),
    ("nl-2025-04-01-metrology-expansion", "2025-01-15", "2025-04-01"),
    ("jp-2023-07-23-sme", "2023-03-31", "2023-07-23"),
    ("cn-2023-23-gallium-germanium", "2023-07-03", "2023-08-01"),
    ("cn-2023-39-graphite", "2023-10-20", "2023-12-01"),
    ("cn-2023-12-21-technology-catalogue", "2023-12-21", "2023-12-21"),
    ("cn-2024-33-antimony", "2024-08-15", "2024-09-15"),
    ("cn-2024-46-us-gallium-germanium-antimony", "2024-12-03", "2024-12-03"),
    ("cn-2025-18-medium-heavy-rare-earths", "2025-04-04", "2025-04-04"),
    ("cn-2025-58-lithium-batteries-graphite-anodes", "2025-10-09", "2025-11-08"),
    ("cn-2025-62-rare-earth-technologies", "2025-10-09", "2025-10-09"),
]


@pytest.mark.parametrize(("mid", "announced", "effective"), PINNED)
def test_dates_match_the_official_texts(seed_store: Store, mid: str, announced: str, effective: str) -> None:
    m = {x.measure_id: x for x in read_measures(seed_store)}[mid]
    assert (m.announced, m.effective) == (date.fromisoformat(announced), date.fromisoformat(effective))


def test_rescission_and_suspensions_are_dated_events(seed_store: Store) -> None:
    m = {x.measure_id: x for x in read_measures(seed_store)}
    assert [(e.kind, e.on) for e in m["us-bis-2025-01-ai-diffusion"].events] == [("lifted", date(2025, 5, 13))]
    (s46,) = m["cn-2024-46-us-gallium-germanium-antimony"].events
    assert (s46.kind, s46.on, s46.until) == ("suspended", date(2025, 11, 9), date(2026, 11, 27))
    for mid in ("cn-2025-55-superhard-materials", "cn-2025-58-lithium-batteries-graphite-anodes",
                "cn-2025-61-extraterritorial-rare-earths", "cn-2025-62-rare-earth-technologies"):
        (e,) = m[mid].events
        assert (e.kind, e.on, e.until) == ("suspended", date(2025, 11, 7), date(2026, 11, 10)), mid
    (aff,) = m["us-bis-2025-09-affiliates-rule"].events
    assert (aff.kind, aff.on, aff.until) == ("suspended", date(2025, 11, 10), date(2026, 11, 9))


def test_list_in_force_2022_excludes_the_october_2022_rule_and_2024_includes_it_with_nl_and_gallium(
        seed_store: Store) -> None:
    before = {m.measure_id for m in list_measures(seed_store, in_force=date(2022, 1, 1))}
    assert "us-bis-2022-10-07-advanced-computing-sme" not in before
    assert "us-el-2019-05-huawei" in before
    mid_2024 = {m.measure_id for m in list_measures(seed_store, in_force=date(2024, 6, 1))}
    assert {"us-bis-2022-10-07-advanced-computing-sme", "nl-2023-09-01-advanced-sme",
            "cn-2023-23-gallium-germanium"} <= mid_2024
    assert "cn-2024-33-antimony" not in mid_2024  # effective 2024-09-15


def test_ai_diffusion_rule_in_force_only_until_its_rescission(seed_store: Store) -> None:
    def on(d: date) -> set[str]:
        return {m.measure_id for m in list_measures(seed_store, in_force=d)}

    assert "us-bis-2025-01-ai-diffusion" in on(date(2025, 5, 12))
    assert "us-bis-2025-01-ai-diffusion" not in on(date(2025, 5, 13))


def test_usa_2025_06_01_is_restricted_by_chinas_gallium_and_germanium_measures(seed_store: Store) -> None:
    rs = {r.measure_id: r for r in restrictions_for(seed_store, frozenset({"USA"}), date(2025, 6, 1))}
    gage = rs["cn-2023-23-gallium-germanium"]
    assert gage.imposing == {"CHN"} and gage.entities == frozenset()
    assert gage.map_nodes["critical-minerals"] == {"gallium-refining", "germanium-refining"}
    ban = rs["cn-2024-46-us-gallium-germanium-antimony"]
    assert {"gallium-refining", "germanium-refining"} <= ban.map_nodes["critical-minerals"]
    assert ban.licence_policy == "prohibited"
    assert not any(r.imposing == {"USA"} for r in rs.values())  # the U.S.'s own rules do not bite it


def test_china_2021_and_2024_differ_and_2024_adds_the_equipment_rules(seed_store: Store) -> None:
    chn = frozenset({"CHN"})
    y2021 = {r.measure_id for r in restrictions_for(seed_store, chn, date(2021, 6, 1))}
    y2024 = {r.measure_id for r in restrictions_for(seed_store, chn, date(2024, 6, 1))}
    assert y2021 != y2024 and y2021 < y2024
    assert y2021 == {"nl-2019-euv-licence-withheld",
                     "us-el-2019-05-huawei", "us-el-2019-08-huawei-affiliates", "us-fdpr-2020-05-huawei",
                     "us-fdpr-2020-08-huawei", "us-el-2020-12-smic"}
    assert {"us-bis-2022-10-07-advanced-computing-sme", "nl-2023-09-01-advanced-sme", "jp-2023-07-23-sme",
            "us-bis-2023-10-17-sme"} <= y2024
    assert not any(mid.startswith("cn-") for mid in y2024)  # China's controls do not bite China


def test_seed_scopes_the_bundled_maps(seed_store: Store) -> None:
    maps_used = {k for m in read_measures(seed_store) for k in m.map_nodes}
    assert maps_used == {"eto-chip-explorer", "li-ion-batteries", "critical-minerals"}
    m = {x.measure_id: x for x in read_measures(seed_store)}
    assert "N22" in m["nl-2024-09-07-duv-expansion"].map_nodes["eto-chip-explorer"]
    assert m["cn-2023-39-graphite"].map_nodes["li-ion-batteries"] == {"B5", "B6", "B8"}


def test_china_list_entries_are_all_there_with_their_announcement_urls(seed_store: Store) -> None:
    with open(SHARED_LISTS, encoding="utf-8") as f:
        shared = list(csv.DictReader(f))
    assert len(shared) == 240
    measures = [m for m in read_measures(seed_store) if m.measure_id.startswith(("cn-uel-", "cn-eccl-", "cn-watch-"))]
    entries = [(t.name_zh or "", m.source_url, m.effective) for m in measures for t in m.entities]
    assert len(entries) == 240
    assert sorted(entries) == sorted((r["name_zh"], r["source_url"], date.fromisoformat(r["date_added"]))
                                     for r in shared)
    assert all(m.source_url.startswith("https://aqygzj.mofcom.gov.cn/") for m in measures)


def test_notices_kept_beside_the_seed() -> None:
    folder = bundled_path("measures")
    assert "xyna-bpinelab/security-export-control-registry" in (folder / "SOURCE-cn-export-control-lists.md").read_text(
        encoding="utf-8")
    assert "MIT License" in (folder / "LICENSE.upstream-MIT").read_text(encoding="utf-8")
    order = [ds.path for ds in BUNDLED]
    assert order.index("measures") > max(order.index(p) for p in (
        "eto-chip-explorer-2026", "chains/li-ion-batteries", "chains/critical-minerals"))
