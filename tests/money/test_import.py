"""Importers: CSV, Excel and JSON; validation and quarantine; malformed files; currency conversion."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from autarky.errors import FormatError, MissingFileError
from autarky.money import load_ledger
from autarky.money.fx import bundled_rates
from autarky.store import Store

SRC = ["source_document", "confidence"]


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """Write ``sheets`` (title -> rows) as an .xlsx workbook."""
    wb = Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def _counts(store: Store) -> dict[str, int]:
    return {t: int(store.query(f'SELECT count(*) AS n FROM "{t}"').to_pylist()[0]["n"])
            for t in ("datasets", "funds", "investees", "deals", "quarantine")}


GOOD_DEALS: list[list[object]] = [
    ["deal_id", "fund", "investee", "amount", "currency", "date", "stake_pct", "status", *SRC],
    ["a1", "Big Fund II", "SMIC", 100, "CNY", date(2021, 3, 1), 10, "completed", "doc", "high"],
    ["a2", "Big Fund II", "SMIC", 50, "USD", "2020", 5, "completed", "doc", "high"],
]


def test_excel_ledger_loads(store: Store, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "ledger.xlsx", {
        "README": [["anything here is ignored"]],
        "dataset": [["key", "value"], ["name", "my-ledger"], ["vintage", "2025"]],
        "funds": [["fund_id", "name", "level", "phase", *SRC], ["bf2", "Big Fund II", "national", "II", "doc", "high"]],
        "Deals": GOOD_DEALS,
    })
    result = load_ledger(store, path)
    assert (result.name, result.vintage, result.rows_loaded, result.rows_quarantined) == ("my-ledger", "2025", 3, 0)
    rows = {r["deal_id"]: r for r in store.query("SELECT * FROM deals").to_pylist()}
    assert rows["a1"]["date"] == date(2021, 3, 1) and rows["a1"]["date_precision"] == "day"
    assert rows["a2"]["date_precision"] == "year" and rows["a2"]["fund_id"] == "bf2"


def test_malformed_excel_names_sheet_row_and_column_and_loads_nothing(store: Store, tmp_path: Path) -> None:
    bad_header = [row[:] for row in GOOD_DEALS]
    bad_header[0][3] = "amout"  # column D
    path = _workbook(tmp_path / "bad.xlsx", {"funds": [["name", *SRC], ["Big Fund II", "doc", "high"]],
                                             "deals": bad_header})
    before = _counts(store)
    with pytest.raises(FormatError) as err:
        load_ledger(store, path)
    msg = str(err.value)
    assert "\n" not in msg
    assert "sheet 'deals'" in msg and "row 1" in msg and "column D" in msg and "amout" in msg
    assert _counts(store) == before


def test_excel_error_cell_is_a_malformed_file(store: Store, tmp_path: Path) -> None:
    rows = [row[:] for row in GOOD_DEALS]
    rows[2][3] = "#REF!"  # amount of the second deal: row 3, column D
    path = _workbook(tmp_path / "ref.xlsx", {"deals": rows})
    with pytest.raises(FormatError, match=r"sheet 'deals', row 3, column D \(amount\): Excel error value #REF!"):
        load_ledger(store, path)
    assert _counts(store)["datasets"] == 0


def test_malformed_excel_through_the_cli_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from autarky.cli import main

    rows = [row[:] for row in GOOD_DEALS]
    rows[0][6] = "stake percent"  # column G
    path = _workbook(tmp_path / "bad.xlsx", {"deals": rows})
    store_path = tmp_path / "cli.duckdb"
    with pytest.raises(SystemExit) as code:
        main(["--store", str(store_path), "import", "ledger", str(path)])
    assert code.value.code == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "sheet 'deals'" in err and "row 1" in err and "column G" in err
    from autarky.store import open_store

    with open_store(store_path) as st:
        assert _counts(st)["datasets"] == 0


def test_not_a_workbook(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    with pytest.raises(FormatError, match=r"not an Excel \.xlsx workbook"):
        load_ledger(store, path)
    with pytest.raises(MissingFileError):
        load_ledger(store, tmp_path / "absent.csv")


def test_bad_rows_are_quarantined_with_reasons(store: Store, tmp_path: Path) -> None:
    (tmp_path / "deals.csv").write_text(
        "deal_id,fund,investee,amount,currency,date,stake_pct,status,source_document,confidence\n"
        "ok,F,I,10,CNY,2021,10,completed,doc,high\n"
        "c1,F,I,10,XYZ,2021,10,completed,doc,high\n"
        "c2,F,I,10,CNY,2021,140,completed,doc,high\n"
        "c3,F,I,-5,CNY,2021,10,completed,doc,high\n"
        "c4,F,I,10,CNY,2019-13,10,completed,doc,high\n"
        "c5,F,I,10,CNY,2021,10,completed,,high\n"
        "c6,F,I,10,CNY,2021,10,exploded,doc,high\n"
        "c7,F,I,10,,2021,10,completed,doc,high\n"
        "c8,F,I,10,CNY,2021,10,completed,doc,certain\n"
        "c9,F,I,10,CNY,2021,10,completed,doc,high,extra\n"
        "ok,F,I,10,CNY,2021,10,completed,doc,high\n",
        encoding="utf-8",
    )
    result = load_ledger(store, tmp_path / "deals.csv")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (11, 1, 10)
    q = {r["line"]: r for r in store.query("SELECT * FROM quarantine").to_pylist()}
    assert q[3]["field"] == "currency" and "ISO 4217" in q[3]["reason"]
    assert q[4]["field"] == "stake_pct" and "between 0 and 100" in q[4]["reason"]
    assert q[5]["field"] == "amount" and ">= 0" in q[5]["reason"]
    assert q[6]["field"] == "date"
    assert q[7]["field"] == "source_document"
    assert q[8]["field"] == "status"
    assert q[9]["field"] == "currency" and "without a currency" in q[9]["reason"]
    assert q[10]["field"] == "confidence"
    assert "11 fields where the header has 10" in q[11]["reason"]
    assert "declared twice" not in q[12]["reason"] and "appears twice" in q[12]["reason"]
    assert all(r["file"] == "deals.csv" and r["raw"] for r in q.values())


def test_unknown_option_is_a_usage_error(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="takes no option 'layout'"):
        load_ledger(store, tmp_path, layout="oecd")


def test_unsourced_rows_allowed_on_request(store: Store, tmp_path: Path) -> None:
    (tmp_path / "deals.csv").write_text("fund,investee,amount,currency\nF,I,1,CNY\n", encoding="utf-8")
    assert load_ledger(store, tmp_path / "deals.csv").rows_quarantined == 1
    result = load_ledger(store, tmp_path / "deals.csv", require_source=False, name="lax")
    assert (result.rows_loaded, result.rows_quarantined) == (1, 0)


def test_csv_header_errors(store: Store, tmp_path: Path) -> None:
    (tmp_path / "deals.csv").write_text("deal_id,investee,colour\nx,I,red\n", encoding="utf-8")
    with pytest.raises(FormatError, match="line 1, column 3: unknown column 'colour'"):
        load_ledger(store, tmp_path / "deals.csv")
    (tmp_path / "stuff.csv").write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(FormatError, match="cannot tell which ledger table"):
        load_ledger(store, tmp_path / "stuff.csv")
    (tmp_path / "stuff.csv").write_text("subject,metric,value,source_document,confidence\nX,count,3,doc,high\n",
                                        encoding="utf-8")
    assert load_ledger(store, tmp_path / "stuff.csv", table="figures").rows_loaded == 1


def test_json_ledger_with_nested_shareholders(store: Store, tmp_path: Path) -> None:
    doc = {
        "dataset": {"name": "json-ledger", "vintage": "1"},
        "funds": [{"fund_id": "bf3", "name": "Big Fund III", "aliases": ["国家集成电路产业投资基金三期"],
                   "level": "national", "phase": "III", "established": "2024-05-24",
                   "registered_capital": 344e9, "currency": "CNY", "source_document": "doc", "confidence": "high",
                   "shareholders": [{"shareholder": "Ministry of Finance", "share_pct": 17.44,
                                     "source_document": "doc", "confidence": "high"}]}],
        "investees": [{"investee_id": "naura", "name": "NAURA", "node_ids": ["N36", "N55"],
                       "source_document": "doc", "confidence": "high"}],
        "deals": [{"fund": "国家集成电路产业投资基金三期", "investee": "NAURA", "amount": 1, "currency": "CNY",
                   "date": "2023", "status": "announced", "source_document": "doc", "confidence": "low"}],
    }
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = load_ledger(store, path)
    assert (result.name, result.rows_quarantined, result.rows_loaded) == ("json-ledger", 0, 4)
    sh = store.query("SELECT fund_id, share_pct FROM fund_shareholders").to_pylist()
    assert sh == [{"fund_id": "bf3", "share_pct": 17.44}]
    deal = store.query("SELECT fund_id, investee_id FROM deals").to_pylist()[0]
    assert deal == {"fund_id": "bf3", "investee_id": "naura"}
    assert store.query("SELECT node_ids FROM investees").to_pylist()[0]["node_ids"] == "N36;N55"
    path.write_text('{"deals": [{"investee": "x", "amout": 1}]}', encoding="utf-8")
    with pytest.raises(FormatError, match=r"deals\[1\]: unknown field 'amout'"):
        load_ledger(store, path)
    path.write_text('{"deals": [', encoding="utf-8")
    with pytest.raises(FormatError, match="not JSON"):
        load_ledger(store, path)


def test_reimport_is_unchanged_and_edits_replace(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    path.write_text("deal_id,investee,status,source_document,confidence\na,I,announced,doc,high\n", encoding="utf-8")
    first = load_ledger(store, path)
    assert load_ledger(store, path).status == "unchanged"
    path.write_text("deal_id,investee,status,source_document,confidence\nb,I,announced,doc,high\n", encoding="utf-8")
    second = load_ledger(store, path)
    assert second.status == "replaced"
    assert [r["deal_id"] for r in store.query("SELECT deal_id FROM deals").to_pylist()] == ["b"]
    assert first.status == "loaded"


def test_currency_conversion_by_year_keeps_the_rate(store: Store, tmp_path: Path) -> None:
    """Hand-computed: Fed G.5A 2014 averages are 1.3297 USD per EUR and 6.1620 CNY per USD."""
    (tmp_path / "deals.csv").write_text(
        "deal_id,investee,amount,currency,date,status,source_document,confidence\n"
        "eur,I,1000000,EUR,2014-06-30,completed,doc,high\n"
        "usd,I,10,USD,2021,completed,doc,high\n"
        "cny,I,6451,CNY,2016,completed,doc,high\n",
        encoding="utf-8",
    )
    result = load_ledger(store, tmp_path / "deals.csv")
    rows = {r["deal_id"]: r for r in store.query("SELECT * FROM deals").to_pylist()}
    eur = rows["eur"]
    assert eur["amount_usd"] == pytest.approx(1_329_700.0)
    assert eur["amount_cny"] == pytest.approx(1_329_700.0 * 6.1620)  # 8,193,611.4
    assert eur["usd_rate"] == pytest.approx(1 / 1.3297) and eur["cny_rate"] == pytest.approx(6.1620 * 1.3297)
    assert eur["fx_year"] == 2014 and "G.5A" in eur["fx_source"]
    assert rows["usd"]["amount_cny"] == pytest.approx(64.508) and rows["usd"]["usd_rate"] == 1.0
    # 2016 is not in the bundled table: the CNY figure stays, the USD one is left empty, with a warning
    assert rows["cny"]["amount_cny"] == 6451 and rows["cny"]["amount_usd"] is None
    assert any("CNY in 2016" in w for w in result.warnings)


def test_bundled_rates_are_sourced_and_positive() -> None:
    fx = bundled_rates()
    assert len(fx) >= 60
    for (code, year), rate in fx.rates.items():
        assert rate.per_usd > 0 and "Federal Reserve" in rate.source and 2010 <= year <= 2025, (code, year)
    assert fx.per_usd("CNY", 2019).per_usd == 6.9081  # type: ignore[union-attr]
    assert fx.convert(100.0, "JPY", 2015).amount_usd == pytest.approx(100 / 121.05)
