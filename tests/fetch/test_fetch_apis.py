"""The API connectors against the loopback publisher: World Bank WDI pages and UN Comtrade+ answers."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from fetchdata import WDI_SAMPLE, comtrade_api, comtrade_records, wdi_api
from fetchserver import Loopback, config_for

from autarky.data import bundled_path
from autarky.errors import AuthError, DataError, UsageError
from autarky.fetch import comtrade_code, fetch_comtrade, fetch_wdi, fetched_files
from autarky.fetch.result import require_loader
from autarky.store import Store


# -- WDI ------------------------------------------------------------------------------------------------
def test_wdi_pages_are_saved_exactly_as_the_api_answers_them(server: Loopback, cache: Path) -> None:
    path = wdi_api(server)
    result = fetch_wdi(None, indicators=["GB.XPD.RSDV.GD.ZS"], economies=["CHN", "USA"], per_page=20,
                       config=config_for(server.url + "v2/", cache))
    hits = server.hits(path)
    assert [h.query["page"] for h in hits] == [["1"], ["2"], ["3"]]
    assert all(h.query["format"] == ["json"] and h.query["per_page"] == ["20"] for h in hits)
    pages = sorted(result.path.glob("*.json"))
    assert [p.name for p in pages] == [f"GB.XPD.RSDV.GD.ZS_p000{i}.json" for i in (1, 2, 3)]
    records = []
    for p, f in zip(pages, result.files, strict=True):
        meta, rows = json.loads(p.read_bytes())
        assert meta["pages"] == 3 and meta["total"] == 46 and meta["lastupdated"] == "2021-09-15"
        assert f.sha256 == hashlib.sha256(p.read_bytes()).hexdigest() and f.licence == "CC BY 4.0"
        assert f.url.startswith(server.url + "v2/country/CHN;USA/indicator/GB.XPD.RSDV.GD.ZS?")
        records.extend(rows)
    # every real value of the sample, once: China's 2018 R&D intensity among them
    rows_ = csv.DictReader(io.StringIO(WDI_SAMPLE.read_text()))
    sample = {(r["economy_iso3"], r["year"]): float(r["value"]) for r in rows_}
    assert {(r["countryiso3code"], r["date"]): r["value"] for r in records} == sample
    assert sample[("CHN", "2018")] == 2.18568
    assert not list(result.path.parent.glob("*.part"))


def test_wdi_refusal_is_reported_with_the_apis_message(server: Loopback, cache: Path) -> None:
    message = [{"message": [{"id": "120", "key": "Invalid value", "value": "The provided parameter value is "
                             "not valid"}]}]
    server.add("/v2/country/CHN/indicator/NO.SUCH", json.dumps(message).encode(), "application/json")
    with pytest.raises(UsageError, match="Invalid value: The provided parameter value is not valid"):
        fetch_wdi(None, indicators=["NO.SUCH"], economies=["CHN"], config=config_for(server.url + "v2/", cache))


def test_wdi_codes_are_checked_before_any_request(server: Loopback, cache: Path) -> None:
    with pytest.raises(UsageError, match="not an indicator or economy code"):
        fetch_wdi(None, indicators=["GB.XPD.RSDV.GD.ZS"], economies=["CHN/../x"],
                  config=config_for(server.url, cache))
    assert server.log == []


def test_an_import_without_its_loader_is_refused_before_downloading(store: Store) -> None:
    with pytest.raises(UsageError, match="'no-such-kind' is not available"):
        require_loader(store, "no-such-kind")
    require_loader(None, "no-such-kind")  # download only: no loader needed


# -- UN Comtrade+ ---------------------------------------------------------------------------------------
def test_comtrade_codes_come_from_the_publishers_table() -> None:
    assert [comtrade_code(c) for c in ("CHN", "USA", "FRA", "IND", "TWN", "842", "W00")] == [
        "156", "842", "251", "699", "490", "842", "0"]
    with pytest.raises(UsageError, match="no UN Comtrade code"):
        comtrade_code("XXX")


def test_comtrade_asks_year_by_year_with_the_key_in_a_header_and_imports(server: Loopback, cache: Path,
                                                                         store: Store) -> None:
    records = comtrade_records("example_2.csv")
    path = comtrade_api(server, records)
    result = fetch_comtrade(store, reporters=["CHN"], partners=["KOR", "MEX", "USA"], years=[2012, 2013],
                            flows=["X"], api_key="secret-key", min_interval=0,
                            config=config_for(server.url, cache))
    hits = server.hits(path)
    assert [h.query["period"] for h in hits] == [["2012"], ["2013"]]
    assert all(h.headers["ocp-apim-subscription-key"] == "secret-key" for h in hits)
    assert hits[0].query["reporterCode"] == ["156"] and hits[0].query["partnerCode"] == ["410,484,842"]
    assert hits[0].query["breakdownMode"] == ["classic"] and hits[0].query["flowCode"] == ["X"]
    stored = [f.url for f in fetched_files(store)]
    assert len(stored) == 2 and not any("secret-key" in u for u in stored)
    assert not any(b"secret-key" in p.read_bytes() for p in result.path.parent.iterdir())
    (imported,) = result.imported
    assert imported.rows_read == 6 and imported.rows_loaded == 6 and imported.rows_quarantined == 0
    # the values loaded are the sample's primary values (independent: read from the sample CSV itself)
    with (bundled_path("comtrade-samples") / "example_2.csv").open() as fh:
        want = sum(float(r["primary_value"]) for r in csv.DictReader(fh) if r["ref_year"] in ("2012", "2013"))
    got = store.query("SELECT sum(value_usd) AS v FROM trade_flows WHERE dataset_id = ?",
                      [imported.dataset_id]).column("v")[0].as_py()
    assert got == pytest.approx(want, rel=1e-12)
    header = result.path.read_text().splitlines()[0].split(",")
    assert header[:3] == ["typeCode", "freqCode", "refPeriodId"] and "primaryValue" in header


def test_a_full_comtrade_answer_is_split_until_each_part_fits(server: Loopback, cache: Path, store: Store) -> None:
    records = comtrade_records("example_3.csv")
    path = comtrade_api(server, records)
    codes = ["030613", "030623", "160520"]
    want = [r for r in records if r["period"] == "2007" and r["flowCode"] == "X" and r["cmdCode"] in codes]
    per_code = {c: sum(1 for r in want if r["cmdCode"] == c) for c in codes}
    cap = max(per_code.values()) + 1  # each code fits alone, all three together do not
    assert sum(per_code.values()) >= cap
    result = fetch_comtrade(store, reporters=["THA"], years=[2007], hs=codes, flows=["X"], api_key="k",
                            max_records=cap, min_interval=0, config=config_for(server.url, cache))
    asked = [h.query["cmdCode"][0] for h in server.hits(path)]
    # all three: full; then 030613 alone and 030623,160520 together (full again, so each alone)
    halves_fit = per_code["030623"] + per_code["160520"] < cap
    expected = (["030613,030623,160520", "030613", "030623,160520"] if halves_fit else
                ["030613,030623,160520", "030613", "030623,160520", "030623", "160520"])
    assert asked == expected
    assert len(result.files) == (2 if halves_fit else 3)
    assert result.imported[0].rows_read == len(want)


def test_comtrade_cap_on_a_single_code_is_an_error_not_a_silent_truncation(server: Loopback, cache: Path) -> None:
    comtrade_api(server, comtrade_records("example_3.csv"))
    with pytest.raises(DataError, match="cap of 5 rows"):
        fetch_comtrade(None, reporters=["THA"], years=[2007], hs=["160520"], flows=["X"], api_key="k",
                       max_records=5, min_interval=0, config=config_for(server.url, cache))


def test_comtrade_needs_a_key(server: Loopback, cache: Path) -> None:
    with pytest.raises(AuthError, match="COMTRADE_API_KEY"):
        fetch_comtrade(None, reporters=["CHN"], years=[2020], config=config_for(server.url, cache))
    assert server.log == []


def test_comtrade_honours_429_then_answers(server: Loopback, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = comtrade_api(server, comtrade_records("example_1.csv"))
    server.fail[path] = [429]
    monkeypatch.setenv("COMTRADE_API_KEY", "from-env")
    result = fetch_comtrade(None, reporters=["USA"], years=[2018], flows=["M"], min_interval=0,
                            config=config_for(server.url, cache))
    assert [h.status for h in server.hits(path)] == [429, 200]
    assert server.hits(path)[1].headers["ocp-apim-subscription-key"] == "from-env"
    assert len(result.path.read_text().splitlines()) == 1 + 4


def test_comtrade_error_field_is_reported(server: Loopback, cache: Path) -> None:
    answer = {"elapsedTime": "0 secs", "count": 0, "data": [], "error": "Invalid period"}
    server.add("/data/v1/get/C/A/HS", json.dumps(answer).encode(), "application/json")
    with pytest.raises(DataError, match="Invalid period"):
        fetch_comtrade(None, reporters=["CHN"], years=[2020], api_key="k", min_interval=0,
                       config=config_for(server.url, cache))
