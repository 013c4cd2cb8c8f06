"""The measures importer: CSV, Excel and JSON; bad rows quarantined with their reason; bad files refused whole."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from measures_helpers import quarantine
from openpyxl import Workbook

from autarky.errors import FormatError, MissingFileError, UsageError
from autarky.measures import load_measures, read_measures
from autarky.store import Store, open_store

HEADER = ["measure_id", "imposing", "instrument", "title", "announced", "effective", "targets", "excluded",
          "nodes", "hs_codes", "materials", "licence_policy", "source_url"]
URL = "https://www.federalregister.gov/d/2022-21658"

GOOD = [
    ["good-1", "USA", "rule", "A rule on lithography", "2022-10-07", "2022-10-07", "CHN", "",
     "eto-chip-explorer:N20;eto-chip-explorer:N22", "8486.20", "photoresist", "presumption_of_denial", URL],
    ["good-2", "CHN", "regulation", "Gallium controls", "2023-07-03", "2023-08-01", "*", "",
     "critical-minerals:gallium-refining", "8112929090", "gallium", "licence_required",
     "http://www.mofcom.gov.cn/article/zwgk/gkzcfb/202307/20230703419666.shtml"],
    ["good-3", "NLD", "regulation", "Dutch order", "2023-06-30", "2023-09-01", "*", "EU27", "", "", "",
     "", "https://zoek.officielebekendmakingen.nl/stcrt-2023-18212.html"],
]
BAD = {  # measure id -> (row, field, fragment of the reason)
    "bad-node": (["bad-node", "USA", "rule", "t", "2022-10-07", "2022-10-07", "CHN", "", "eto-chip-explorer:N9999",
                  "", "", "", URL], "nodes", "unknown node id 'N9999' in map 'eto-chip-explorer'"),
    "bad-map": (["bad-map", "USA", "rule", "t", "2022-10-07", "2022-10-07", "CHN", "", "solar-map:P1", "", "", "",
                 URL], "nodes", "map 'solar-map' is not loaded in the store"),
    "bad-date": (["bad-date", "USA", "rule", "t", "7 Oct 2022", "2022-10-07", "CHN", "", "", "", "", "", URL],
                 "announced", "is not a date (YYYY-MM-DD)"),
    "bad-order": (["bad-order", "USA", "rule", "t", "2023-10-17", "2023-01-01", "CHN", "", "", "", "", "", URL],
                  "effective", "effective date 2023-01-01 is before the announcement 2023-10-17"),
    "no-source": (["no-source", "USA", "rule", "t", "2022-10-07", "2022-10-07", "CHN", "", "", "", "", "", ""],
                  "source_url", "missing source_url"),
    "ftp-source": (["ftp-source", "USA", "rule", "t", "2022-10-07", "2022-10-07", "CHN", "", "", "", "", "",
                    "ftp://example.org/rule.txt"], "source_url", "is not an http(s) URL"),
    "bad-economy": (["bad-economy", "Atlantis", "rule", "t", "2022-10-07", "2022-10-07", "CHN", "", "", "", "", "",
                     URL], "imposing", "'Atlantis' is not an economy"),
    "bad-instrument": (["bad-instrument", "USA", "tweet", "t", "2022-10-07", "2022-10-07", "CHN", "", "", "", "",
                        "", URL], "instrument", "'tweet' is not one of"),
    "bad-hs": (["bad-hs", "USA", "rule", "t", "2022-10-07", "2022-10-07", "CHN", "", "", "85x42", "", "", URL],
               "hs_codes", "is not 2 to 10 digits"),
}
EVENTS = [["measure_id", "event", "date", "until", "source_url"],
          ["good-2", "suspended", "2025-11-09", "2026-11-27", URL],
          ["good-1", "lifted", "2025-05-13", "", URL],
          ["bad-node", "lifted", "2025-05-13", "", URL],          # its measure was quarantined
          ["nowhere", "lifted", "2025-05-13", "", URL],           # unknown measure
          ["good-1", "suspended", "2025-05-13", "2025-01-01", URL],  # ends before it starts
          ["good-1", "paused", "2025-05-13", "", URL]]            # unknown event kind
ENTITIES = [["measure_id", "entity", "name_zh", "economy", "removed"],
            ["good-1", "Example Semiconductor Co., Ltd.", "示例半导体有限公司", "CHN", "2024-01-01"],
            ["good-1", "Nameless Holdings", "", "Narnia", ""]]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def folder(tmp_path: Path, *, bad: bool = True) -> Path:
    d = tmp_path / "ledger"
    d.mkdir()
    rows = [HEADER, *GOOD] + ([r for r, _, _ in BAD.values()] if bad else [])
    write_csv(d / "measures.csv", rows)
    write_csv(d / "events.csv", EVENTS if bad else EVENTS[:3])
    write_csv(d / "entities.csv", ENTITIES if bad else ENTITIES[:2])
    (d / "dataset.yaml").write_text("name: my-measures\nvintage: '2026-12'\nlicence: CC0\n", encoding="utf-8")
    return d


def test_bad_rows_are_quarantined_with_their_reason_and_the_rest_loads(maps_store: Store, tmp_path: Path) -> None:
    result = load_measures(maps_store, folder(tmp_path))
    assert result.name == "my-measures" and result.vintage == "2026-12"
    loaded = {m.measure_id for m in read_measures(maps_store)}
    assert loaded == {"good-1", "good-2", "good-3"}
    q = quarantine(maps_store)
    by_value = {}
    for row in q:
        if row["file"] == "measures.csv":
            by_value[row["line"]] = row
    for i, (mid, (_, fld, reason)) in enumerate(BAD.items()):
        row = by_value[len(GOOD) + 2 + i]  # header is line 1
        assert row["field"] == fld, (mid, row)
        assert reason in str(row["reason"]), (mid, row["reason"])
    event_reasons = [r["reason"] for r in q if r["file"] == "events.csv"]
    assert event_reasons == ["its measure 'bad-node' was quarantined",
                             "unknown measure 'nowhere' (not in this file nor loaded)",
                             "suspension ends (2025-01-01) before it starts (2025-05-13)",
                             "event 'paused' is not one of amended, suspended, resumed, lifted"]
    assert [r["field"] for r in q if r["file"] == "entities.csv"] == ["economy"]
    assert result.rows_quarantined == len(BAD) + 4 + 1
    assert result.rows_read == len(GOOD) + len(BAD) + len(EVENTS) - 1 + len(ENTITIES) - 1


def test_rows_are_stored_as_written(maps_store: Store, tmp_path: Path) -> None:
    load_measures(maps_store, folder(tmp_path))
    m = {x.measure_id: x for x in read_measures(maps_store)}
    g1 = m["good-1"]
    assert g1.effective == date(2022, 10, 7) and g1.licence_policy == "presumption_of_denial"
    assert g1.map_nodes == {"eto-chip-explorer": frozenset({"N20", "N22"})}
    assert g1.hs_codes == {"848620"} and g1.materials == {"photoresist"}
    assert [(e.kind, e.on) for e in g1.events] == [("lifted", date(2025, 5, 13))]
    assert [(t.value, t.economy, t.removed) for t in g1.entities] == [
        ("Example Semiconductor Co., Ltd.", "CHN", date(2024, 1, 1))]
    assert g1.source.file == "measures.csv" and g1.source.lines == (2,) and g1.source.url == URL
    g3 = m["good-3"]
    assert {(t.kind, t.value) for t in g3.targets} == {("all", "*"), ("except", "EU27")}
    assert m["good-2"].events[0].until == date(2026, 11, 27)


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def _snapshot(store: Store) -> list[tuple[object, ...]]:
    return sorted((m.measure_id, m.effective, tuple(sorted(s.label for s in m.scope)),
                   tuple(sorted((t.kind, t.value) for t in m.targets)), tuple((e.kind, e.on) for e in m.events))
                  for m in read_measures(store))


def test_csv_excel_and_json_give_the_same_ledger(maps_store: Store, tmp_path: Path,
                                                templates: dict[str, tuple[Path, object]]) -> None:
    load_measures(maps_store, folder(tmp_path, bad=False))
    expected = _snapshot(maps_store)
    assert len(expected) == 3

    def excel_row(row: list[str]) -> list[object]:  # Excel cells hold real dates
        return [date.fromisoformat(v) if len(v) == 10 and v[4] == "-" and v[:4].isdigit() else (v or None)
                for v in row]

    xlsx = _workbook(tmp_path / "m.xlsx", {
        "dataset": [["key", "value"], ["name", "my-measures"]],
        "measures": [HEADER, *[excel_row(r) for r in GOOD]],
        "events": [EVENTS[0], *[excel_row(r) for r in EVENTS[1:3]]],
        "entities": ENTITIES[:2],
        "notes": [["anything", "goes here"]],
    })
    doc = {"dataset": {"name": "my-measures"}, "measures": []}
    for row in GOOD:
        item: dict[str, object] = {k: v for k, v in zip(HEADER, row, strict=True) if v}
        item["targets"] = row[6].split(";") if row[6] else []
        if row[0] == "good-1":
            item["events"] = [{"event": "lifted", "date": "2025-05-13", "source_url": URL}]
            item["entities"] = [dict(zip(ENTITIES[0][1:], ENTITIES[1][1:], strict=True))]
        if row[0] == "good-2":
            item["events"] = [{"event": "suspended", "date": "2025-11-09", "until": "2026-11-27", "source_url": URL}]
        doc["measures"].append(item)  # type: ignore[attr-defined]
    js = tmp_path / "m.json"
    js.write_text(json.dumps(doc), encoding="utf-8")
    for path in (xlsx, js):
        copy = tmp_path / f"{path.suffix[1:]}.duckdb"
        shutil.copyfile(templates["maps"][0], copy)
        other = open_store(copy)
        try:
            result = load_measures(other, path)
            assert result.rows_quarantined == 0, quarantine(other)
            assert _snapshot(other) == expected, path.suffix
        finally:
            other.close()


def test_loading_the_same_file_again_changes_nothing_and_an_edit_replaces_the_vintage(
        maps_store: Store, tmp_path: Path) -> None:
    d = folder(tmp_path, bad=False)
    first = load_measures(maps_store, d)
    before = {m.measure_id: m.title for m in read_measures(maps_store)}  # read (and memoised) before the edit
    assert before["good-1"] == "A rule on lithography"
    again = load_measures(maps_store, d)
    assert first.status == "loaded" and again.status == "unchanged" and again.dataset_id == first.dataset_id
    rows = (d / "measures.csv").read_text(encoding="utf-8").replace("A rule on lithography", "A better title")
    (d / "measures.csv").write_text(rows, encoding="utf-8")
    third = load_measures(maps_store, d)
    assert third.status == "replaced"
    titles = {m.measure_id: m.title for m in read_measures(maps_store)}
    assert titles["good-1"] == "A better title" and len(titles) == 3


@pytest.mark.parametrize(("name", "content", "message"), [
    ("measures.csv", "measure_id,imposing,instrument,title,source_url,colour\n", "unknown column 'colour'"),
    ("measures.csv", "measure_id,imposing,title\n", "required column(s) instrument, source_url missing"),
    ("measures.csv", "", "empty file"),
    ("notes.csv", "measure_id\n", "cannot tell which table"),
    ("m.json", "{\"measures\": [", "not JSON"),
    ("m.json", "{\"rules\": []}", "unknown key 'rules'"),
    ("m.xlsx", "not a zip", "not an Excel .xlsx workbook"),
    ("m.txt", "x", "not a measures file"),
])
def test_a_malformed_file_is_refused_whole_and_loads_nothing(maps_store: Store, tmp_path: Path, name: str,
                                                             content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    before = maps_store.query("SELECT count(*) AS n FROM datasets").to_pylist()[0]["n"]
    with pytest.raises(FormatError) as err:
        load_measures(maps_store, path)
    assert message in str(err.value) and name in str(err.value)
    assert maps_store.query("SELECT count(*) AS n FROM datasets").to_pylist()[0]["n"] == before
    assert maps_store.query("SELECT count(*) AS n FROM measures").to_pylist()[0]["n"] == 0


def test_not_utf8_names_file_and_line(maps_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "measures.csv"
    path.write_bytes(",".join(HEADER).encode() + b"\nx,USA,rule,Caf\xe9\n")
    with pytest.raises(FormatError, match=r"measures.csv, line 2: not UTF-8"):
        load_measures(maps_store, path)


def test_missing_path_and_unknown_option(maps_store: Store, tmp_path: Path) -> None:
    with pytest.raises(MissingFileError):
        load_measures(maps_store, tmp_path / "nope.csv")
    with pytest.raises(UsageError, match="no option 'layout'"):
        load_measures(maps_store, folder(tmp_path, bad=False), layout="x")


def test_events_and_entities_may_refer_to_measures_of_another_loaded_dataset(maps_store: Store,
                                                                              tmp_path: Path) -> None:
    load_measures(maps_store, folder(tmp_path, bad=False))
    extra = tmp_path / "extra"
    extra.mkdir()
    write_csv(extra / "events.csv", [["measure_id", "event", "date", "source_url"],
                                     ["good-3", "lifted", "2026-01-01", URL]])
    write_csv(extra / "entities.csv", [["measure_id", "entity", "removed"],
                                       ["good-2", "Listed Later Ltd", ""]])
    result = load_measures(maps_store, extra)
    assert result.name == "measures:extra" and result.rows_quarantined == 0
    m = {x.measure_id: x for x in read_measures(maps_store)}
    assert [(e.kind, e.on) for e in m["good-3"].events] == [("lifted", date(2026, 1, 1))]
    assert [t.value for t in m["good-2"].entities] == ["Listed Later Ltd"]


def test_a_later_dataset_with_the_same_measure_id_wins(maps_store: Store, tmp_path: Path) -> None:
    load_measures(maps_store, folder(tmp_path, bad=False))
    fix = write_csv(tmp_path / "fix_measures.csv", [HEADER, ["good-3", "NLD", "regulation", "Corrected title",
                                                             "2023-06-30", "2023-09-01", "*", "EU27", "", "", "",
                                                             "case_by_case", URL]])
    load_measures(maps_store, fix)
    m = {x.measure_id: x for x in read_measures(maps_store)}
    assert m["good-3"].title == "Corrected title" and m["good-3"].licence_policy == "case_by_case"
    assert m["good-3"].source.dataset == "measures:fix_measures"
    assert len([t for t in m["good-3"].targets if t.kind == "except"]) == 1  # not doubled


def test_hs_codes_typed_as_numbers_in_excel(maps_store: Store, tmp_path: Path) -> None:
    head = ["measure_id", "imposing", "instrument", "title", "effective", "hs_codes", "source_url"]
    xlsx = _workbook(tmp_path / "hs.xlsx", {"measures": [
        head,
        ["whole", "USA", "rule", "t", date(2022, 10, 7), 848620, URL],
        ["text", "USA", "rule", "t", date(2022, 10, 7), "8486.20; 8542", URL],
        ["decimal", "USA", "rule", "t", date(2022, 10, 7), 8486.2, URL],
    ]})
    result = load_measures(maps_store, xlsx)
    codes = {m.measure_id: m.hs_codes for m in read_measures(maps_store)}
    assert codes == {"whole": {"848620"}, "text": {"848620", "8542"}}
    (q,) = quarantine(maps_store)
    assert result.rows_quarantined == 1 and q["field"] == "hs_codes" and "type HS codes as text" in str(q["reason"])
    assert q["file"] == "hs.xlsx:measures" and q["line"] == 4


def test_a_measure_without_any_target_loads_with_a_warning(maps_store: Store, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "measures.csv", [HEADER, ["lonely", "USA", "rule", "t", "2022-10-07", "2022-10-07", "",
                                                       "", "", "", "", "", URL]])
    result = load_measures(maps_store, f)
    assert result.rows_quarantined == 0 and result.rows_loaded == 1
    assert result.warnings == ["measure lonely: measures.csv line 2: names no target (economy, bloc, '*' or entity), "
                               "so it restricts no one"]
