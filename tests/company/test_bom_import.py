"""BOM import: CSV, XLSX, JSON; header mapping; all-or-nothing files; bad rows quarantined with reasons."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from autarky.company import load_bom, parse_bom, parse_bom_records, sample_bom_path
from autarky.company.validate import clean_hs
from autarky.errors import FormatError
from autarky.store import Store

DATA = Path(__file__).resolve().parents[1] / "data" / "company"


def test_bad_rows_are_quarantined_with_reasons_and_good_lines_load(writable: Store) -> None:
    result = load_bom(writable, DATA / "bad-bom.csv")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (5, 2, 3)
    lines = writable.query("SELECT line_id, quantity, unit_cost, spend_usd FROM bom_lines WHERE dataset_id = ? "
                           "ORDER BY line_id", [result.dataset_id]).to_pylist()
    assert [r["line_id"] for r in lines] == ["OK-1", "OK-2"]
    assert lines[0]["unit_cost"] == 9000.0  # "9,000": thousands separator, read by the one number reader
    assert lines[0]["spend_usd"] == 18000.0
    q = {r["line"]: r for r in writable.query("SELECT line, field, value, reason FROM quarantine WHERE dataset_id = ?",
                                              [result.dataset_id]).to_pylist()}
    assert sorted(q) == [3, 4, 5]
    assert q[3]["field"] == "hs_code" and "unknown HS code 999990" in q[3]["reason"]
    assert q[4]["field"] == "quantity" and "negative quantity" in q[4]["reason"]
    assert q[5]["field"] == "unit_cost" and "unparseable unit cost" in q[5]["reason"] and q[5]["value"] == "twelve"


def test_import_again_is_unchanged_and_a_bad_file_writes_nothing(writable: Store, tmp_path: Path) -> None:
    first = load_bom(writable, DATA / "bad-bom.csv")
    again = load_bom(writable, DATA / "bad-bom.csv")
    assert again.status == "unchanged" and again.dataset_id == first.dataset_id
    before = writable.query("SELECT count(*) AS n FROM datasets").to_pylist()[0]["n"]
    broken = tmp_path / "broken.csv"
    broken.write_text("line_id,description,qty\nX,a,1\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"broken.csv.*required column\(s\) part, quantity"):
        load_bom(writable, broken)
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("line_id,part,quantity\nX,a,1\nY,b,2,extra\n", encoding="utf-8")
    with pytest.raises(FormatError, match="line 3"):
        load_bom(writable, ragged)
    assert writable.query("SELECT count(*) AS n FROM datasets").to_pylist()[0]["n"] == before


def test_other_headers_map_through_columns(bundled: Store) -> None:
    bom = parse_bom(bundled, DATA / "renamed-bom.csv",
                    columns="Part No=line_id,Description=part,Qty=quantity,Price=unit_cost,Cur=currency,"
                            "Tariff code=hs_code")
    assert [ln.line_id for ln in bom.lines] == ["R-1", "R-2"] and not bom.rejected
    assert bom.lines[0].hs_code == "850760"  # a national tariff line cut to its subheading
    assert any("'Notes'" in w for w in bom.warnings)
    with pytest.raises(FormatError, match="required column"):
        parse_bom(bundled, DATA / "renamed-bom.csv")


def test_json_document_and_unknown_currency(bundled: Store) -> None:
    bom = parse_bom(bundled, DATA / "cells-bom.json")
    assert bom.name == "cells"
    assert [ln.line_id for ln in bom.lines] == ["J-1"]
    assert bom.lines[0].site_country == "CHN"  # a country name
    (bad,) = bom.rejected
    assert (bad.line, bad.field, bad.value) == (2, "currency", "XYZ") and "unknown currency" in bad.reason
    same = parse_bom_records(bundled, json.loads((DATA / "cells-bom.json").read_text()))
    assert same.lines == bom.lines


def test_xlsx_reads_like_csv(bundled: Store, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "BOM"
    with open(sample_bom_path(), encoding="utf-8") as fh:
        for row in csv.reader(fh):
            ws.append([(float(c) if c.replace(".", "", 1).isdigit() and i in (2, 3) else c) or None
                       for i, c in enumerate(row)])
    path = tmp_path / "sample.xlsx"
    wb.save(path)
    from_xlsx = parse_bom(bundled, path)
    from_csv = parse_bom(bundled, sample_bom_path())
    assert [ln.to_dict() | {"source_line": 0} for ln in from_xlsx.lines] == [
        ln.to_dict() | {"source_line": 0} for ln in from_csv.lines]


def test_fx_conversion_matches_the_bundled_rate(bundled: Store) -> None:
    from autarky.money.fx import bundled_rates

    bom = parse_bom(bundled, sample_bom_path())
    cells = next(ln for ln in bom.lines if ln.line_id == "AIS-005")
    rate = bundled_rates().per_usd("CNY", 2023)
    assert rate is not None and cells.fx_year == 2023
    assert cells.spend_usd == pytest.approx(48 * 150 / rate.per_usd, rel=1e-12)


def test_older_hs_revision_links_to_hs2022_through_the_un_concordance(bundled: Store) -> None:
    row = bundled.query(
        "SELECT from_code, to_code FROM hs_concordance WHERE from_revision = 'HS17' AND to_revision = 'HS22' "
        "AND from_code NOT IN (SELECT code FROM hs_products WHERE revision = 'HS22') "
        "AND from_code IN (SELECT from_code FROM hs_concordance WHERE from_revision = 'HS17' "
        "AND to_revision = 'HS22' GROUP BY from_code HAVING count(*) = 1) ORDER BY from_code LIMIT 1").to_pylist()[0]
    bom = parse_bom_records(bundled, [{"line_id": "1", "part": "x", "quantity": 1, "hs_code": row["from_code"]}])
    (ln,) = bom.lines
    assert "HS17" in ln.hs_revisions and "HS22" not in ln.hs_revisions
    assert ln.hs22 == (row["to_code"],)


def test_nodes_by_id_name_or_map_key_and_unknown_ones(bundled: Store) -> None:
    bom = parse_bom_records(bundled, [
        {"line_id": "1", "part": "a", "quantity": 1, "node": "N20"},
        {"line_id": "2", "part": "b", "quantity": 1, "node": "euv lithography tools"},
        {"line_id": "3", "part": "c", "quantity": 1, "node": "li-ion-batteries:B11"},
        {"line_id": "4", "part": "d", "quantity": 1, "node": "EUV lithography tool"},
        {"line_id": "4", "part": "e", "quantity": 1},
    ])
    assert [ln.node.key if ln.node else None for ln in bom.lines] == [
        "eto-chip-explorer:N20", "eto-chip-explorer:N20", "li-ion-batteries:B11"]
    reasons = {(r.line, r.field): r.reason for r in bom.rejected}
    assert "unknown node" in reasons[(4, "node")] and "euv lithography tools" in reasons[(4, "node")]
    assert "repeats line 4" in reasons[(5, "line_id")]


@pytest.mark.parametrize(("cell", "code"), [("8486.20", "848620"), (85076, "085076"), (848620.0, "848620"),
                                             ("8542.31.0000", "854231"), ("8542", "8542")])
def test_clean_hs(cell: object, code: str) -> None:
    assert clean_hs(cell) == code
