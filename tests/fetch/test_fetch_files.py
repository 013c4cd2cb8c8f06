"""File connectors against the loopback publisher: OECD ICIO and national IOTs, ETO on GitHub, USGS ScienceBase."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from fetchdata import ETO_FILES, ICIO_SAMPLE, OECD_IOT, eto_files, icio_zip, sciencebase_item
from fetchserver import Loopback, Resource, config_for

from autarky.data import bundled_path
from autarky.errors import FormatError, UsageError
from autarky.fetch import fetch_eto, fetch_icio, fetch_oecd_iot, fetch_usgs, fetched_files
from autarky.fetch.oecd import ICIO_BUNDLES
from autarky.loaders import run_loader
from autarky.store import Store, open_store


# -- OECD ICIO ------------------------------------------------------------------------------------------
def _serve_icio(server: Loopback) -> str:
    body = icio_zip()
    file_id = ICIO_BUNDLES["2023"]["2016-2020"][1]

    def bundle(query: dict[str, list[str]], headers: dict[str, str]) -> Resource | int:
        return Resource(body, "application/zip") if query.get("IDFile") == [file_id] else 404

    server.dynamic["/wbos/fileview2.aspx"] = bundle
    return file_id


def test_icio_bundle_is_downloaded_and_the_year_imported(server: Loopback, cache: Path, store: Store,
                                                         tmp_path: Path) -> None:
    file_id = _serve_icio(server)
    result = fetch_icio(store, years=[2018], edition="2023", config=config_for(server.url, cache))
    (hit,) = server.hits("/wbos/fileview2.aspx")
    assert hit.query["IDFile"] == [file_id]
    (imported,) = result.imported
    assert imported.name == "oecd-icio-2023" and imported.vintage == "2018"
    with open_store(tmp_path / "direct.duckdb") as direct:
        expected = run_loader(direct, "io", ICIO_SAMPLE, layout="icio")
    assert imported.rows_loaded == expected.rows_loaded > 0
    (row,) = fetched_files(store, imported.dataset_id)
    assert row.member == "ICIO2023_2018.csv" and row.licence == "CC BY 4.0" and row.source == "oecd-icio"
    assert Path(row.path).name == "ICIO-2016-2020-extended.zip"


def test_icio_year_outside_every_bundle_or_missing_from_it(server: Loopback, cache: Path) -> None:
    _serve_icio(server)
    with pytest.raises(UsageError, match="no year 2024"):
        fetch_icio(None, years=[2024], config=config_for(server.url, cache))
    with pytest.raises(UsageError, match="no ICIO table for 2019; it holds 2018"):
        fetch_icio(None, years=[2019], config=config_for(server.url, cache))


def test_icio_from_a_given_address(server: Loopback, cache: Path) -> None:
    server.add("/mirror/ICIO-2016-2020-extended.zip", icio_zip(), "application/zip")
    result = fetch_icio(None, years=[2018], url=server.url + "mirror/ICIO-2016-2020-extended.zip",
                        config=config_for(server.url, cache))
    assert (result.path / "ICIO2023_2018.csv").read_bytes() == ICIO_SAMPLE.read_bytes()


# -- OECD national IOTs -----------------------------------------------------------------------------------
def test_national_iots_from_a_mirror_load_as_one_series(server: Loopback, cache: Path, store: Store) -> None:
    for year in (1995, 2018):
        name = f"OECD21ed_CHN_{year}.csv"
        server.add(f"/iot/{name}", (OECD_IOT / name).read_bytes(), "text/csv")
    result = fetch_oecd_iot(store, economies=["CHN"], years=[1995, 2018],
                            config=config_for(server.url + "iot/", cache))
    (imported,) = result.imported
    assert imported.name == "oecd-iot-chn" and imported.vintage == "2021 edition"
    rows = fetched_files(store, imported.dataset_id)
    assert sorted(Path(r.path).name for r in rows) == ["OECD21ed_CHN_1995.csv", "OECD21ed_CHN_2018.csv"]
    assert all(r.sha256 == hashlib.sha256(Path(r.path).read_bytes()).hexdigest() for r in rows)


def test_national_iots_need_a_base_url(cache: Path) -> None:
    with pytest.raises(UsageError, match="AUTARKY_OECD_IOT_URL"):
        fetch_oecd_iot(None, economies=["CHN"], years=[2018])


# -- ETO ------------------------------------------------------------------------------------------------
def test_eto_csvs_from_github_raw_are_imported_with_their_licence(server: Loopback, cache: Path, store: Store,
                                                                  tmp_path: Path) -> None:
    for name, body in eto_files().items():
        server.add(f"/main/data/{name}", body, "text/plain; charset=utf-8")
    config = config_for(server.url, cache)
    result = fetch_eto(store, ref="main", vintage="2026-08", config=config)
    (imported,) = result.imported
    with open_store(tmp_path / "direct.duckdb") as direct:
        expected = run_loader(direct, "eto", bundled_path("eto-chip-explorer-2026"), vintage="2026-08")
    assert (imported.rows_loaded, imported.rows_quarantined) == (expected.rows_loaded, expected.rows_quarantined)
    assert imported.vintage == "2026-08"
    rows = fetched_files(store, imported.dataset_id)
    assert sorted(Path(r.path).name for r in rows) == sorted(ETO_FILES)
    assert {r.licence for r in rows} == {"CC BY-NC 4.0"}
    attribution = (result.path / "ATTRIBUTION.md").read_text()
    assert "CC BY-NC 4.0" in attribution and "non-commercial" in attribution
    # a branch moves: the next fetch asks the server, which answers 304 for every file
    again = fetch_eto(store, ref="main", vintage="2026-08", config=config)
    assert [h.status for h in server.log[-5:]] == [304] * 5
    assert all(f.reused for f in again.files) and again.imported[0].status == "unchanged"


def test_eto_refs_are_checked(cache: Path) -> None:
    with pytest.raises(UsageError, match="not a git branch"):
        fetch_eto(None, ref="../../etc")


# -- USGS -----------------------------------------------------------------------------------------------
ITEM = "0123456789abcdef01234567"


def _serve_usgs(server: Loopback, md5: str | None = None) -> bytes:
    body = os.urandom(50_000)
    files = {"MCS2026_Commodities_Data.csv": body}
    item = sciencebase_item(ITEM, server.url, files,
                            {"MCS2026_Commodities_Data.csv": md5 or hashlib.md5(body).hexdigest()})
    server.add(f"/catalog/item/{ITEM}", item, "application/json")
    server.dynamic[f"/catalog/file/get/{ITEM}"] = lambda q, h: (
        Resource(body, "text/csv") if q.get("f") == ["__disk__MCS2026_Commodities_Data.csv"] else 404)
    return body


def test_usgs_files_are_downloaded_and_checked_against_sciencebase_md5(server: Loopback, cache: Path) -> None:
    body = _serve_usgs(server)
    result = fetch_usgs(item=ITEM, config=config_for(server.url, cache))
    assert (result.path / "MCS2026_Commodities_Data.csv").read_bytes() == body
    assert (result.path / "item.json").exists()
    assert [Path(f.path).name for f in result.files] == ["item.json", "MCS2026_Commodities_Data.csv"]
    assert result.licence.startswith("Public domain") and result.imported == ()
    assert server.hits(f"/catalog/item/{ITEM}")[0].query == {"format": ["json"]}


def test_usgs_checksum_mismatch_is_refused(server: Loopback, cache: Path) -> None:
    _serve_usgs(server, md5="0" * 32)
    with pytest.raises(FormatError, match="md5 checksum"):
        fetch_usgs(item=ITEM, config=config_for(server.url, cache))


def test_usgs_pattern_that_matches_nothing_lists_the_files(server: Loopback, cache: Path) -> None:
    _serve_usgs(server)
    with pytest.raises(UsageError, match=r"MCS2026_Commodities_Data\.csv"):
        fetch_usgs(item=ITEM, pattern="*.xlsx", config=config_for(server.url, cache))
