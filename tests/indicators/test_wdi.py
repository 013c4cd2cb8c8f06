"""The WDI loader: the tidy extract, the bulk CSV and zip, API JSON pages; quarantine; refusals; vintages."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from autarky.data import bundled_path
from autarky.errors import FormatError, UsageError
from autarky.indicators import innovation, load_wdi
from autarky.loaders import run_loader
from autarky.store import Store

Tidy = dict[tuple[str, str, int], dict[str, str]]
BULK = "API_14_DS2_en_csv_v2_3054360.csv"
META = "Metadata_Country_API_14_DS2_en_csv_v2_3054360.csv"


def _values(store: Store, dataset_id: int | None = None) -> dict[tuple[str, str, int], float]:
    where = "" if dataset_id is None else f"WHERE dataset_id = {int(dataset_id)}"
    return {(r["indicator_code"], r["economy"], r["year"]): r["value"] for r in
            store.query(f"SELECT indicator_code, economy, year, value FROM indicator_values {where}").to_pylist()}


def _quarantine(store: Store) -> list[dict[str, object]]:
    return store.query("SELECT file, line, field, value, reason FROM quarantine ORDER BY line").to_pylist()


def test_bundled_tidy_extract_loads_every_row_as_published(loaded: Store, tidy: Tidy) -> None:
    row = loaded.query("SELECT * FROM datasets WHERE kind = 'wdi'").to_pylist()[0]
    assert (row["name"], row["vintage"], row["licence"]) == ("wdi", "2021-09-15", "CC BY 4.0")
    assert row["rows_loaded"] == len(tidy) == 53442 and row["rows_quarantined"] == 0
    got = loaded.query(
        "SELECT value, source_file, source_line, is_aggregate FROM indicator_values "
        "WHERE indicator_code = 'GB.XPD.RSDV.GD.ZS' AND economy = 'CHN' AND year = 2018").to_pylist()
    ref = tidy[("GB.XPD.RSDV.GD.ZS", "CHN", 2018)]
    assert got == [{"value": 2.18568, "source_file": "indicators.csv", "source_line": int(ref["line"]),
                    "is_aggregate": False}]
    flags = {r["economy"]: r["is_aggregate"] for r in loaded.query(
        "SELECT DISTINCT economy, is_aggregate FROM indicator_values").to_pylist()}
    assert flags == {k[1]: v["is_aggregate"] == "true" for k, v in tidy.items()}


def test_bulk_csv_reads_the_world_bank_layout(store: Store, fixtures: Path, tidy: Tidy) -> None:
    result = load_wdi(store, fixtures / BULK)
    assert result.vintage == "2021-09-15"  # from "Last Updated Date"
    got = _values(store)
    codes = ("GB.XPD.RSDV.GD.ZS", "IP.PAT.RESD", "NY.GDP.MKTP.CD")
    economies = ("CHI", "CHN", "DEU", "EUU", "USA", "WLD")
    expected = {k: float(v["value"]) for k, v in tidy.items()
                if k[0] in codes and k[1] in economies and 1960 <= k[2] <= 2020}
    assert got == expected and got[("GB.XPD.RSDV.GD.ZS", "CHN", 2018)] == 2.18568
    line = store.query("SELECT source_line FROM indicator_values WHERE economy = 'CHN' "
                       "AND indicator_code = 'GB.XPD.RSDV.GD.ZS' AND year = 2018").to_pylist()[0]["source_line"]
    text = (fixtures / BULK).read_text(encoding="utf-8-sig").splitlines()
    assert '"CHN","Research and development expenditure (% of GDP)"' in text[line - 1]
    flags = {r["economy"]: r["is_aggregate"] for r in
             store.query("SELECT DISTINCT economy, is_aggregate FROM indicator_values").to_pylist()}
    assert flags["WLD"] and flags["EUU"] and not flags["CHN"] and not flags["CHI"]  # CHI: a WDI code, not ISO


def test_bulk_zip_takes_aggregates_from_the_country_metadata(store: Store, fixtures: Path, tmp_path: Path,
                                                             tidy: Tidy) -> None:
    archive = tmp_path / "API_14_DS2_en_csv_v2_3054360.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(fixtures / BULK, BULK)
        # the metadata says DEU is an aggregate (blank Region): the zip's own metadata must win
        meta = (fixtures / META).read_text(encoding="utf-8-sig").replace(
            '"DEU","Europe & Central Asia"', '"DEU",""')
        zf.writestr(META, meta)
    result = run_loader(store, "wdi", archive)
    assert result.rows_quarantined == 0 and result.rows_loaded > 0
    flags = {r["economy"]: r["is_aggregate"] for r in
             store.query("SELECT DISTINCT economy, is_aggregate FROM indicator_values").to_pylist()}
    assert flags["DEU"] and flags["WLD"] and not flags["CHN"]
    assert store.query("SELECT DISTINCT source_file FROM indicator_values").to_pylist() == [
        {"source_file": f"{archive.name}:{BULK}"}]


def test_api_json_folder_of_pages(store: Store, fixtures: Path, tidy: Tidy) -> None:
    result = load_wdi(store, fixtures / "api")
    assert result.vintage == "2021-09-15" and result.rows_quarantined == 0 and not result.warnings
    got = _values(store)
    rd = {k: v for k, v in got.items() if k[0] == "GB.XPD.RSDV.GD.ZS"}
    expected = {k: float(v["value"]) for k, v in tidy.items() if k[0] == "GB.XPD.RSDV.GD.ZS"
                and k[1] in ("CHN", "USA") and 1996 <= k[2] <= 2020}
    assert rd == expected
    pat = {k: v for k, v in got.items() if k[0] == "IP.PAT.RESD"}
    assert pat == {k: float(v["value"]) for k, v in tidy.items() if k[0] == "IP.PAT.RESD"
                   and k[1] in ("CHN", "EUU", "WLD") and 2015 <= k[2] <= 2019}
    agg = {r["economy"]: r["is_aggregate"] for r in
           store.query("SELECT DISTINCT economy, is_aggregate FROM indicator_values").to_pylist()}
    assert agg == {"CHN": False, "USA": False, "EUU": True, "WLD": True}  # from the bundled WDI code list


def test_one_api_page_is_a_valid_input_and_a_missing_page_is_reported(store: Store, fixtures: Path,
                                                                      tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for p in (1, 3):
        shutil.copy(fixtures / "api" / f"GB.XPD.RSDV.GD.ZS_CHN;USA_page{p}.json", folder)
    result = load_wdi(store, folder)
    assert any("page(s) 2 of 3 missing" in w for w in result.warnings)
    single = load_wdi(store, fixtures / "api" / "IP.PAT.RESD_WLD;EUU;CHN_page1.json", name="wdi-patents")
    assert single.rows_loaded == 15


def test_bad_rows_are_quarantined_with_file_line_field_and_reason(store: Store, fixtures: Path,
                                                                  tmp_path: Path) -> None:
    page = json.loads((fixtures / "api" / "GB.XPD.RSDV.GD.ZS_CHN;USA_page1.json").read_text())
    recs = page[1]
    recs[2]["value"] = "2,1.5"  # not a number
    recs[3]["countryiso3code"] = "XXX"  # unknown economy
    recs[4]["date"] = "1950"  # before WDI's first year
    recs[5]["date"] = "2019Q1"  # not annual
    recs[6]["countryiso3code"] = ""  # no ISO3 code
    recs[7]["date"] = recs[8]["date"]  # a repeat of the next record's year
    bad = tmp_path / "page.json"
    bad.write_text(json.dumps(page))
    result = load_wdi(store, bad)
    q = _quarantine(store)
    assert result.rows_quarantined == len(q) == 6
    by_line = {r["line"]: r for r in q}
    assert by_line[3]["field"] == "value" and "not a number" in str(by_line[3]["reason"])
    assert by_line[4]["field"] == "economy" and "XXX" in str(by_line[4]["reason"])
    assert by_line[5]["field"] == "year" and "out of range" in str(by_line[5]["reason"])
    assert by_line[6]["field"] == "year" and "annual" in str(by_line[6]["reason"])
    assert by_line[7]["field"] == "economy"
    assert "duplicate" in str(by_line[9]["reason"])
    assert {str(r["file"]) for r in q} == {str(bad)}


def test_a_bulk_cell_that_is_no_number_is_quarantined(store: Store, fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / BULK).read_text(encoding="utf-8-sig")
    bad = tmp_path / BULK
    bad.write_text(text.replace('"2.18568"', '"2.18.568"'), encoding="utf-8")
    result = load_wdi(store, bad)
    q = _quarantine(store)
    assert result.rows_quarantined == 1 and q[0]["value"] == "2.18.568" and q[0]["field"] == "value"
    assert ("GB.XPD.RSDV.GD.ZS", "CHN", 2018) not in _values(store)


@pytest.mark.parametrize("content, message", [
    ('"Data Source","World Development Indicators",\n\n"Last Updated Date","2021-09-15",\n\n"Country","Code",\n',
     "header"),
    ('[{"message":[{"id":"120","key":"Invalid value","value":"The provided parameter value is not valid"}]}]',
     "answered with an error"),
    ('[{"page":1}, [', "not valid JSON"),
    ("a,b,c\n1,2,3\n", "not a WDI file"),
])
def test_a_malformed_file_is_refused_whole(store: Store, tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / ("bad.json" if content.startswith("[") else "bad.csv")
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(FormatError, match=message) as err:
        load_wdi(store, bad)
    assert str(bad) in str(err.value)
    assert store.query("SELECT count(*) AS n FROM datasets").to_pylist() == [{"n": 0}]


def test_unknown_options_are_refused(store: Store, fixtures: Path) -> None:
    with pytest.raises(UsageError, match="layout"):
        load_wdi(store, fixtures / BULK, layout="bulk")


def test_a_refresh_is_a_new_vintage_and_its_values_win(loaded: Store, fixtures: Path, tmp_path: Path) -> None:
    folder = tmp_path / "refresh"
    folder.mkdir()
    for src in (fixtures / "api").glob("GB.XPD.RSDV.GD.ZS_*.json"):
        page = json.loads(src.read_text())
        page[0]["lastupdated"] = "2025-07-01"
        for rec in page[1]:
            if rec["countryiso3code"] == "CHN" and rec["date"] == "2020":
                rec["value"] = 2.40  # a year the 2021 release did not have
        (folder / src.name).write_text(json.dumps(page))
    result = load_wdi(loaded, folder)
    assert result.vintage == "2025-07-01" and result.status == "loaded"
    assert load_wdi(loaded, folder).status == "unchanged"
    vintages = [r["vintage"] for r in loaded.query("SELECT vintage FROM datasets WHERE kind = 'wdi' "
                                                   "ORDER BY vintage").to_pylist()]
    assert vintages == ["2021-09-15", "2025-07-01"]
    chn = innovation(loaded, "CHN", indicators=["GB.XPD.RSDV.GD.ZS"]).row("GB.XPD.RSDV.GD.ZS").subject
    assert chn.year == 2020 and chn.value is not None and chn.value.value == 2.40
    assert chn.value.sources[0].vintage == "2025-07-01"
    loaded.raw.execute("DELETE FROM indicator_values WHERE dataset_id = ?", [result.dataset_id])
    loaded.raw.execute("DELETE FROM datasets WHERE dataset_id = ?", [result.dataset_id])


def test_the_bundled_folder_keeps_its_licence_and_source(tidy: Tidy) -> None:
    folder = bundled_path("wdi-science-technology")
    assert "CC BY 4.0" in (folder / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "Last Updated Date 2021-09-15" in (folder / "SOURCE.md").read_text(encoding="utf-8")
    import hashlib

    digest = hashlib.sha256((folder / "indicators.csv").read_bytes()).hexdigest()
    assert digest in (folder / "SHA256SUMS").read_text(encoding="utf-8")


def test_refreshing_indicators_one_at_a_time_keeps_each(store: Store, fixtures: Path, tmp_path: Path) -> None:
    rd = tmp_path / "rd"
    rd.mkdir()
    for p in (fixtures / "api").glob("GB.XPD.RSDV.GD.ZS_*.json"):
        shutil.copy(p, rd)
    first = load_wdi(store, rd)
    second = load_wdi(store, fixtures / "api" / "IP.PAT.RESD_WLD;EUU;CHN_page1.json")
    assert (first.name, second.name) == ("wdi:GB.XPD.RSDV.GD.ZS", "wdi:IP.PAT.RESD")
    assert first.vintage == second.vintage == "2021-09-15" and second.status == "loaded"
    counts = {r["indicator_code"]: r["n"] for r in store.query(
        "SELECT indicator_code, count(*) AS n FROM indicator_values GROUP BY 1").to_pylist()}
    assert counts == {"GB.XPD.RSDV.GD.ZS": first.rows_loaded, "IP.PAT.RESD": 15}


def test_a_fetch_folder_may_hold_other_files(store: Store, fixtures: Path, tmp_path: Path) -> None:
    folder = tmp_path / "fetched"
    folder.mkdir()
    page = json.loads((fixtures / "api" / "IP.PAT.RESD_WLD;EUU;CHN_page1.json").read_text())
    page[0]["lastupdated"] = "1783987200"  # not a date: kept out of the vintage, with a warning
    (folder / "page1.json").write_text(json.dumps(page))
    (folder / "manifest.json").write_text(json.dumps({"url": "https://api.worldbank.org/v2/...", "sha256": "x"}))
    (folder / "page2.json.partial").write_text("[{")
    result = load_wdi(store, folder)
    assert result.rows_loaded == 15 and result.vintage == "current"
    assert any("not a YYYY-MM-DD date" in w for w in result.warnings)


def test_indicator_data_read_per_economy_and_kept_matches_the_file(
        tmp_path: Path, tidy: dict[tuple[str, str, int], dict[str, str]]) -> None:
    """A read-only store reads indicator values per economy and keeps them; every answer assembled from the
    kept pieces, whatever overlaps between the requests, holds what the file holds for those indicators and
    economies (read with the csv module), and equals a writable store's answer."""
    from autarky.indicators.store_io import indicator_data
    from autarky.store import open_store

    path = tmp_path / "s.duckdb"
    st = open_store(path)
    load_wdi(st, bundled_path("wdi-science-technology"))
    asks = [(None, ["CHN", "USA"]), (["GB.XPD.RSDV.GD.ZS"], ["USA", "DEU", "FRA"]), (None, ["EUU", "JPN", "CHN"]),
            (["GB.XPD.RSDV.GD.ZS", "NY.GDP.MKTP.CD"], ["CHN", "ZZZ"]), (None, [])]
    writable = [indicator_data(st, codes, econ) for codes, econ in asks]
    st.close()

    def expected(codes: list[str] | None, economies: list[str]) -> dict[str, dict[str, list[tuple[int, float]]]]:
        out: dict[str, dict[str, list[tuple[int, float]]]] = {}
        for (code, econ, year), row in sorted(tidy.items()):
            if econ in economies and (codes is None or code in codes):
                out.setdefault(code, {}).setdefault(econ, []).append((year, float(row["value"])))
        return out

    ro = open_store(path, read_only=True)
    try:
        for _ in range(2):  # the second round is answered from the kept pieces alone
            for (codes, econ), w in zip(asks, writable, strict=True):
                got = indicator_data(ro, codes, econ)
                flat = {c: {e: [(v.year, v.value) for v in vals] for e, vals in by.items()}
                        for c, by in got.series.items()}
                assert flat == expected(codes, econ)
                assert list(got.series) == sorted(got.series)
                assert got.aggregates == {e for (_, e, _), r in tidy.items()
                                          if e in econ and r["is_aggregate"] == "true" and e in
                                          {x for by in got.series.values() for x in by}}
                assert (got.names, got.series, got.aggregates) == (w.names, w.series, w.aggregates)
        assert indicator_data(ro, None, ["EUU", "CHN"]).aggregates == {"EUU"}
    finally:
        ro.close()
