"""``autarky fetch`` as a user runs it: a real subprocess against the loopback publisher."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fetchdata import baci_zip, corrupt
from fetchserver import Loopback, closed_port

from autarky.store import open_store

pytestmark = pytest.mark.slow  # each test starts `autarky` in a subprocess (seconds per start)

ZIP = "/BACI_HS17_V202301.zip"


def autarky(*args: str, store: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AUTARKY_STORE": str(store), "AUTARKY_CACHE": str(cache), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "autarky", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def baci_args(url: str) -> list[str]:
    return ["fetch", "baci", "--release", "202301", "--hs", "17", "--years", "2020", "--base-url", url]


def test_fetch_baci_then_datasets_show_checksum_and_licence(server: Loopback, tmp_path: Path, cache: Path) -> None:
    body = baci_zip()
    server.add(ZIP, body, "application/zip")
    store = tmp_path / "s.duckdb"
    r = autarky(*baci_args(server.url), store=store, cache=cache)
    assert r.returncode == 0, r.stderr
    assert "baci-HS17-2020" in r.stdout and "Etalab Open Licence 2.0" in r.stdout
    datasets = json.loads(autarky("datasets", "--format", "json", store=store, cache=cache).stdout)
    (baci,) = [d for d in datasets["table"]["rows"] if d["name"] == "baci-HS17-2020"]
    assert baci["licence"] == "Etalab Open Licence 2.0" and baci["vintage"] == "V202301"
    assert len(baci["content_hash"]) == 64
    assert baci["fetched_sha256"] == [hashlib.sha256(body).hexdigest()]  # `autarky datasets` shows the checksum
    files = json.loads(autarky("fetch", "files", "--format", "json", store=store, cache=cache).stdout)
    (row,) = files
    assert row["id"] == baci["id"] and row["sha256"] == hashlib.sha256(body).hexdigest()
    assert row["licence"] == "Etalab Open Licence 2.0" and row["url"] == server.url + ZIP[1:]


def test_a_killed_fetch_continues_where_it_stopped(server: Loopback, tmp_path: Path, cache: Path) -> None:
    body = baci_zip()
    server.add(ZIP, body, "application/zip")
    server.rate[ZIP] = 40_000  # bytes per second: the download takes seconds, time enough to kill it
    store = tmp_path / "s.duckdb"
    env = {**os.environ, "AUTARKY_STORE": str(store), "AUTARKY_CACHE": str(cache)}
    proc = subprocess.Popen([sys.executable, "-m", "autarky", *baci_args(server.url)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    part = cache / "baci" / "BACI_HS17_V202301.zip.part"
    deadline = time.monotonic() + 120
    try:
        while not (part.exists() and part.stat().st_size > len(body) // 3):
            assert proc.poll() is None, "the fetch ended before it could be killed"
            assert time.monotonic() < deadline, "the download never started"
            time.sleep(0.05)
        proc.kill()  # SIGKILL: no cleanup runs
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    had = part.stat().st_size
    assert 0 < had < len(body)
    assert not store.exists()  # the store is opened only once the download is done
    del server.rate[ZIP]
    r = autarky(*baci_args(server.url), store=store, cache=cache)
    assert r.returncode == 0, r.stderr
    resumed = server.hits(ZIP)[-1]
    assert resumed.headers["range"] == f"bytes={had}-" and resumed.status == 206
    assert resumed.sent == len(body) - had  # only what was missing crossed the wire again
    assert (cache / "baci" / "BACI_HS17_V202301.zip").read_bytes() == body
    with open_store(store, read_only=True) as st:
        names = [d["name"] for d in st.datasets().to_pylist()]
    assert "baci-HS17-2020" in names


def test_offline_is_one_line_exit_1_and_the_store_untouched(tmp_path: Path, cache: Path) -> None:
    store = tmp_path / "s.duckdb"
    url = f"http://127.0.0.1:{closed_port()}/"
    r = autarky(*baci_args(url), "--retries", "1", store=store, cache=cache)
    assert r.returncode == 1
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("error: cannot reach 127.0.0.1: ")
    assert lines[0].endswith("check your connection or --base-url")
    assert not store.exists()


def test_offline_leaves_an_existing_store_exactly_as_it_was(tmp_path: Path, cache: Path) -> None:
    store = tmp_path / "s.duckdb"
    assert autarky("blocs", "list", store=store, cache=cache).returncode == 0
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    url = f"http://127.0.0.1:{closed_port()}/"
    r = autarky("fetch", "wdi", "--indicators", "GB.XPD.RSDV.GD.ZS", "--economies", "CHN,USA", "--base-url", url,
                "--retries", "0", "--no-import", store=store, cache=cache)
    assert r.returncode == 1 and "cannot reach 127.0.0.1" in r.stderr
    assert hashlib.sha256(store.read_bytes()).hexdigest() == before


def test_http_500_forever_retries_then_one_clear_line(server: Loopback, tmp_path: Path, cache: Path) -> None:
    server.fail_forever[ZIP] = 500
    r = autarky(*baci_args(server.url), "--retries", "2", store=tmp_path / "s.duckdb", cache=cache)
    assert r.returncode == 1
    assert len(server.hits(ZIP)) == 3
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert lines == ["error: 127.0.0.1: HTTP 500 Internal Server Error (tried 3 times); try again later"]


def test_a_corrupt_archive_is_exit_1_and_nothing_imported(server: Loopback, tmp_path: Path, cache: Path) -> None:
    server.add(ZIP, corrupt(baci_zip()), "application/zip")
    store = tmp_path / "s.duckdb"
    r = autarky(*baci_args(server.url), store=store, cache=cache)
    assert r.returncode == 1
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "is corrupt" in lines[0] and "nothing was imported" in lines[0]
    assert not store.exists()
