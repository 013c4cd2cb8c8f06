"""The series importer: sources required, bad rows quarantined, CSV / Excel / JSON alike; the bundled ledger."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from autarky.data import bundled_path
from autarky.errors import FormatError
from autarky.indicators import load_series, series_points
from autarky.indicators.series import COLUMNS
from autarky.store import Store

ROWS = [
    {"series_id": "fab-capacity", "economy": "China", "year": "2021", "value": "15.9%", "unit": "%",
     "source_document": "A report", "source_publisher": "A publisher", "source_locator": "p. 3"},
    {"series_id": "fab-capacity", "economy": "CHN", "year": "2022", "value": "1,234.5", "unit": "%",
     "source_document": "A report", "source_locator": "p. 4"},
    {"series_id": "fab-capacity", "economy": "CHN", "year": "2030", "value": "40", "unit": "%", "kind": "target",
     "source_document": "A plan", "source_locator": "art. 2"},
]


def _csv(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    cols = columns or list(COLUMNS)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow(r)
    return path


def _loaded(store: Store) -> list[dict[str, object]]:
    return store.query("SELECT series_id, economy, year, value, kind, comparator, source_document FROM series_points "
                       "ORDER BY year").to_pylist()


def test_csv_rows_are_checked_and_loaded(store: Store, tmp_path: Path) -> None:
    result = load_series(store, _csv(tmp_path / "mine.csv", ROWS))
    assert (result.name, result.rows_loaded, result.rows_quarantined) == ("series:mine", 3, 0)
    rows = _loaded(store)
    assert [(r["economy"], r["year"], r["value"], r["kind"], r["comparator"]) for r in rows] == [
        ("CHN", 2021, 15.9, "observed", None), ("CHN", 2022, 1234.5, "observed", None),
        ("CHN", 2030, 40.0, "target", "at_least")]


def test_a_file_without_a_source_column_is_refused_whole(store: Store, tmp_path: Path) -> None:
    cols = [c for c in COLUMNS if c != "source_document"]
    path = _csv(tmp_path / "nosource.csv", ROWS, cols)
    with pytest.raises(FormatError, match="source_document") as err:
        load_series(store, path)
    assert "refused whole" in str(err.value) and str(path) in str(err.value)
    assert store.query("SELECT count(*) AS n FROM datasets").to_pylist() == [{"n": 0}]


def test_a_row_without_a_source_is_quarantined_with_the_reason(store: Store, tmp_path: Path) -> None:
    rows = [*ROWS, {"series_id": "fab-capacity", "economy": "CHN", "year": "2023", "value": "17", "unit": "%"}]
    result = load_series(store, _csv(tmp_path / "mine.csv", rows))
    assert (result.rows_loaded, result.rows_quarantined) == (3, 1)
    q = store.query("SELECT file, line, field, reason FROM quarantine").to_pylist()
    assert q == [{"file": "mine.csv", "line": 5, "field": "source_document",
                  "reason": "no source document: every series value and target must cite its source"}]


@pytest.mark.parametrize("change, field, reason", [
    ({"economy": "Atlantis"}, "economy", "unknown economy"),
    ({"year": "1850"}, "year", "not a year between"),
    ({"value": "1,5"}, "value", "decimal comma"),
    ({"value": ""}, "value", "no value"),
    ({"kind": "guess"}, "kind", "not one of"),
    ({"kind": "target", "comparator": "about"}, "comparator", "not one of"),
    ({"comparator": "at_least"}, "comparator", "only a target"),
])
def test_bad_rows_are_quarantined(store: Store, tmp_path: Path, change: dict[str, str], field: str,
                                  reason: str) -> None:
    result = load_series(store, _csv(tmp_path / "mine.csv", [ROWS[0], {**ROWS[1], **change}]))
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    q = store.query("SELECT line, field, reason FROM quarantine").to_pylist()[0]
    assert q["line"] == 3 and q["field"] == field and reason in str(q["reason"])


def test_a_repeated_row_is_quarantined(store: Store, tmp_path: Path) -> None:
    result = load_series(store, _csv(tmp_path / "mine.csv", [*ROWS, ROWS[0]]))
    assert (result.rows_loaded, result.rows_quarantined) == (3, 1)


def test_excel_and_json_load_the_same_rows_as_csv(store: Store, tmp_path: Path) -> None:
    load_series(store, _csv(tmp_path / "a.csv", ROWS), name="from-csv")
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(list(COLUMNS))
    for r in ROWS:
        ws.append([r.get(c) for c in COLUMNS])
    wb.save(tmp_path / "b.xlsx")
    load_series(store, tmp_path / "b.xlsx", name="from-xlsx")
    (tmp_path / "c.json").write_text(json.dumps({"rows": ROWS}), encoding="utf-8")
    load_series(store, tmp_path / "c.json", name="from-json")
    got: dict[str, list[tuple[object, ...]]] = {}
    for r in store.query("SELECT d.name, s.year, s.value, s.kind, s.source_document FROM series_points s "
                         "JOIN datasets d USING (dataset_id) ORDER BY d.name, s.year").to_pylist():
        got.setdefault(str(r["name"]), []).append((r["year"], r["value"], r["kind"], r["source_document"]))
    assert len(got) == 3 and got["from-csv"] == got["from-xlsx"] == got["from-json"]
    lines = store.query("SELECT source_file, source_line FROM series_points WHERE year = 2030 "
                        "ORDER BY source_file").to_pylist()
    assert lines == [{"source_file": "a.csv", "source_line": 4}, {"source_file": "b.xlsx:Sheet", "source_line": 4},
                     {"source_file": "c.json", "source_line": 3}]


def test_json_without_a_source_key_is_refused(store: Store, tmp_path: Path) -> None:
    rows = [{k: v for k, v in r.items() if k != "source_document"} for r in ROWS]
    (tmp_path / "c.json").write_text(json.dumps(rows), encoding="utf-8")
    with pytest.raises(FormatError, match="source_document"):
        load_series(store, tmp_path / "c.json")


def test_the_bundled_ledger_cites_a_document_for_every_row(loaded: Store) -> None:
    rows = loaded.query("SELECT * FROM series_points").to_pylist()
    assert len(rows) == 38
    assert loaded.query("SELECT count(*) AS n FROM quarantine").to_pylist() == [{"n": 0}]
    for r in rows:
        assert r["source_document"] and r["source_publisher"] and r["source_locator"] and r["source_url"], r
        assert r["source_date"] or "undated" in (r["notes"] or ""), r
        assert r["unit"] and r["definition"] and r["series_name"], r
    kinds = {(r["series_id"], r["kind"]) for r in rows}
    assert {("ic-self-sufficiency", "observed"), ("ic-self-sufficiency", "target"), ("ic-imports", "observed"),
            ("semi-equipment", "observed"), ("rd-basic-research-share", "target")} <= kinds
    readme = (bundled_path("series") / "README.md").read_text(encoding="utf-8")
    assert "MIT" in readme and "source" in readme


def test_series_points_carry_the_document_and_the_ledger_row(loaded: Store) -> None:
    pts = series_points(loaded, "IC-Self-Sufficiency", "CHN")
    p2020 = next(p for p in pts if p.year == 2020 and p.kind == "observed")
    document, row = p2020.refs
    assert p2020.value == 15.9
    assert document.url == "https://www.design-reuse.com/news/49259/made-in-china-2025.html"
    assert document.locator is not None and "IC Insights, 2021-01-06" in document.locator
    text = (bundled_path("series") / "series.csv").read_text(encoding="utf-8").splitlines()
    assert row.file == "series.csv" and text[row.lines[0] - 1].startswith("ic-self-sufficiency,") \
        and ",2020,15.9," in text[row.lines[0] - 1]
