"""BACI from the loopback publisher: download, verify, extract, import, record; corrupt archives refused."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from fetchdata import BACI_SAMPLE, baci_zip, corrupt
from fetchserver import Loopback, config_for

from autarky.errors import FormatError, UsageError
from autarky.fetch import fetch_baci, fetched_files
from autarky.store import Store, open_store
from autarky.trade.baci import load_baci

ZIP = "/BACI_HS17_V202301.zip"


def _snapshot(store: Store) -> tuple[list[tuple[object, ...]], int]:
    datasets = store.raw.execute("SELECT dataset_id, name, vintage, content_hash FROM datasets ORDER BY 1").fetchall()
    files = store.raw.execute("SELECT count(*) FROM fetched_files").fetchone()
    return datasets, int(files[0]) if files else 0


def test_fetch_baci_downloads_verifies_imports_and_records(server: Loopback, cache: Path, store: Store,
                                                           tmp_path: Path) -> None:
    body = baci_zip()
    server.add(ZIP, body, "application/zip")
    result = fetch_baci(store, release="202301", hs="17", years=[2020], config=config_for(server.url, cache))
    (imported,) = result.imported
    assert imported.name == "baci-HS17-2020" and imported.vintage == "V202301" and imported.status == "loaded"
    # the same rows as importing the sample CSV directly (an independent load of the same real file)
    with open_store(tmp_path / "direct.duckdb") as direct:
        expected = load_baci(direct, BACI_SAMPLE, year=2020, revision="HS17", version="V202301")
    assert (imported.rows_read, imported.rows_loaded, imported.rows_quarantined) == (
        expected.rows_read, expected.rows_loaded, expected.rows_quarantined)
    assert imported.rows_read == BACI_SAMPLE.read_bytes().count(b"\n") - 1
    (row,) = fetched_files(store, imported.dataset_id)
    assert row.url == server.url + ZIP[1:]
    assert row.sha256 == hashlib.sha256(body).hexdigest() and row.bytes == len(body)
    assert row.member == "BACI_HS17_Y2020_V202301.csv"
    assert row.licence == "Etalab Open Licence 2.0" and row.source == "baci"
    assert row.etag == server.resources[ZIP].etag
    assert Path(row.path) == cache / "baci" / "BACI_HS17_V202301.zip"
    ds = store.dataset(imported.dataset_id)
    assert ds["licence"] == "Etalab Open Licence 2.0" and ds["content_hash"]


def test_a_second_fetch_reuses_the_verified_archive_and_changes_nothing(server: Loopback, cache: Path,
                                                                        store: Store) -> None:
    server.add(ZIP, baci_zip(), "application/zip")
    config = config_for(server.url, cache)
    first = fetch_baci(store, release="202301", hs="17", years=[2020], config=config)
    before = _snapshot(store)
    again = fetch_baci(store, release="V202301", hs="HS17", years=[2020], config=config)
    assert len(server.hits(ZIP)) == 1
    assert again.files[0].reused and again.imported[0].status == "unchanged"
    assert again.imported[0].dataset_id == first.imported[0].dataset_id
    assert _snapshot(store) == before


def test_a_corrupt_archive_is_refused_and_nothing_is_imported(server: Loopback, cache: Path, store: Store) -> None:
    server.add(ZIP, corrupt(baci_zip()), "application/zip")
    before = _snapshot(store)
    with pytest.raises(FormatError, match=r"BACI_HS17_Y2020_V202301\.csv is corrupt.*nothing was imported"):
        fetch_baci(store, release="202301", hs="17", years=[2020], config=config_for(server.url, cache))
    assert _snapshot(store) == before
    assert not list((cache / "baci" / "BACI_HS17_V202301").glob("*.csv"))


def test_an_error_page_saved_as_the_archive_is_a_clear_error(server: Loopback, cache: Path, store: Store) -> None:
    server.add(ZIP, b"<!DOCTYPE html><html><body>Service unavailable</body></html>", "text/html")
    with pytest.raises(FormatError, match="not a readable zip file"):
        fetch_baci(store, release="202301", hs="17", years=[2020], config=config_for(server.url, cache))
    assert _snapshot(store) == ([], 0)


def test_a_year_the_release_lacks_is_named(server: Loopback, cache: Path) -> None:
    server.add(ZIP, baci_zip(), "application/zip")
    with pytest.raises(UsageError, match="no year 2021; it holds 2020"):
        fetch_baci(None, release="202301", hs="17", years=[2021], config=config_for(server.url, cache))


def test_no_import_downloads_and_extracts_only(server: Loopback, cache: Path) -> None:
    server.add(ZIP, baci_zip(), "application/zip")
    result = fetch_baci(None, release="202301", hs="17", config=config_for(server.url, cache))
    assert result.imported == ()
    assert sorted(p.name for p in result.path.glob("*.csv")) == [
        "BACI_HS17_Y2020_V202301.csv", "country_codes_V202201.csv"]
    assert (result.path / "BACI_HS17_Y2020_V202301.csv").read_bytes() == BACI_SAMPLE.read_bytes()


def test_rate_limited_then_served(server: Loopback, cache: Path, store: Store) -> None:
    server.add(ZIP, baci_zip(), "application/zip")
    server.fail[ZIP] = [429, 503]
    result = fetch_baci(store, release="202301", hs="17", years=[2020], config=config_for(server.url, cache))
    assert [h.status for h in server.hits(ZIP)] == [429, 503, 200]
    assert result.imported[0].rows_loaded > 0


def test_release_names_are_checked() -> None:
    with pytest.raises(UsageError, match="not a BACI release"):
        fetch_baci(None, release="2023", hs="17")
