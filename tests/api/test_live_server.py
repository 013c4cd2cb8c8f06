"""`autarky serve` for real: uvicorn on 127.0.0.1, concurrent clients, the envelope over the wire, shutdown."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from apitools import TOKEN, LiveServer, copy_store, fingerprint, start_server, stop_server

from autarky.cli.workers import PORT_SHARING


def fetch(server: LiveServer, path: str, method: str = "GET", body: bytes | None = None,
          headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    u = urlsplit(server.url)
    conn = http.client.HTTPConnection(u.hostname or "127.0.0.1", u.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def fetch_json(server: LiveServer, path: str) -> tuple[int, Any]:
    status, _, body = fetch(server, path)
    return status, json.loads(body)


def test_banner_prints_the_address(live_server: LiveServer) -> None:
    assert live_server.url.startswith("http://127.0.0.1:")
    assert "read-only" in live_server.banner


def test_api_and_dashboard_over_http(live_server: LiveServer) -> None:
    status, index = fetch_json(live_server, "/api")
    assert status == 200 and index["read_only"] is True
    status, a = fetch_json(live_server, "/api/assess?economy=CHN")
    assert status == 200 and a["question"] == "assess" and a["request"]["economy"] == "CHN"
    status, headers, page = fetch(live_server, "/?economy=CHN")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b'src="/static/vega.js"' in page and b"https://" not in page.replace(b"https://vega.github.io", b"")
    assert "default-src 'self'" in headers["content-security-policy"]
    status, schema = fetch_json(live_server, "/openapi.json")
    assert status == 200 and "/api/assess" in schema["paths"] and "/api/company/exposure" in schema["paths"]


def test_static_files_and_gzipped_vega(live_server: LiveServer) -> None:
    status, headers, body = fetch(live_server, "/static/vega.js", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    script = gzip.decompress(body)
    assert b"autarkyRender" in script and len(script) > 500_000
    status, _, _ = fetch(live_server, "/static/vega.js", headers={"If-None-Match": headers["etag"]})
    assert status == 304
    status, headers, css = fetch(live_server, "/static/app.css")
    assert status == 200 and headers["content-type"].startswith("text/css") and b"@media" in css
    status, _, _ = fetch(live_server, "/static/../../pyproject.toml")
    assert status == 404


def test_errors_over_the_wire(live_server: LiveServer) -> None:
    status, body = fetch_json(live_server, "/api/assess?economy=Atlantis")
    assert status == 404 and body["error"]["code"] == "unknown_economy"
    status, body = fetch_json(live_server, "/api/datasets?limit=100000")
    assert status == 422 and body["error"]["code"] == "invalid_request"
    status, _, raw = fetch(live_server, "/api/imports/eto?filename=x.zip", method="POST", body=b"PK",
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert status == 403 and json.loads(raw)["error"]["code"] == "read_only"


def test_concurrent_clients_get_consistent_answers(live_server: LiveServer) -> None:
    paths = ["/api/assess?economy=CHN", "/api/chains/graph?economy=CHN", "/api/datasets",
             "/api/chains/node?node=N20&economy=CHN", "/api/economies?search=korea", "/api/blocs",
             "/api/assess?economy=Atlantis", "/api/chokepoints?economy=JPN"] * 12
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda p: (p, *fetch_json(live_server, p)), paths))
    by_path: dict[str, set[str]] = {}
    for path, status, body in results:
        assert status == (404 if "Atlantis" in path else 200), (path, body)
        by_path.setdefault(path, set()).add(json.dumps(body, sort_keys=True))
    assert all(len(v) == 1 for v in by_path.values())


def test_import_through_a_live_server_with_token(sample_store: Path, tmp_path: Path) -> None:
    from test_imports import eto_zip

    path = tmp_path / "live-import.duckdb"
    copy_store(sample_store, path)
    server = start_server(path, {"AUTARKY_TOKEN": TOKEN}, "--max-upload-mb", "4")
    try:
        assert "imports accepted" in server.banner
        status, _, raw = fetch(server, "/api/imports/eto?filename=e.zip&name=eto-live", method="POST",
                               body=b"x" * (4 * 1024 * 1024 + 1), headers={"Authorization": f"Bearer {TOKEN}"})
        assert status == 413 and json.loads(raw)["error"]["code"] == "payload_too_large"
        status, _, raw = fetch(server, "/api/imports/eto?filename=e.zip&name=eto-live", method="POST",
                               body=eto_zip(), headers={"Authorization": f"Bearer {TOKEN}"})
        assert status == 201, raw
        status, datasets = fetch_json(server, "/api/datasets")
        assert "eto-live" in [d["name"] for d in datasets["table"]["rows"]]
    finally:
        stop_server(server)
    assert "eto-live" in fingerprint_names(path)


def test_company_exposure_posted_over_the_wire(live_server: LiveServer) -> None:
    lines = [{"line_id": "A", "part": "Li-ion cells", "quantity": 10, "unit_cost": 20, "currency": "USD",
              "hs_code": "850760", "supplier": "CATL", "hq_country": "CHN", "site_country": "CHN"},
             {"line_id": "B", "part": "thing", "quantity": -1}]
    status, headers, raw = fetch(live_server, "/api/company/exposure", method="POST",
                                 body=json.dumps({"lines": lines, "against": "CHN"}).encode(),
                                 headers={"Content-Type": "application/json"})
    assert status == 200, raw
    body = json.loads(raw)
    assert [r["line_id"] for r in body["lines"]["rows"]] == ["A"]
    assert [(r["line"], r["field"]) for r in body["rejected"]["rows"]] == [(2, "quantity")]
    assert [r["status"] for r in body["impact"]["rows"]] != []
    assert "x-cache" not in headers


def fingerprint_names(path: Path) -> list[str]:
    from autarky.store import open_store

    store = open_store(path, read_only=True)
    try:
        return [r["name"] for r in store.datasets().to_pylist()]
    finally:
        store.close()


def test_serve_refuses_a_busy_port(live_server: LiveServer, sample_store: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    port = str(urlsplit(live_server.url).port)
    path = tmp_path / "busy.duckdb"
    copy_store(sample_store, path)
    proc = subprocess.run([sys.executable, "-c", "import autarky.cli.serve; from autarky.cli import main; main()",
                           "serve", "--port", port, "--store", str(path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "cannot listen" in proc.stderr


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_stops_cleanly_and_leaves_the_store_intact(sample_store: Path, tmp_path: Path, sig: signal.Signals) -> None:
    path = tmp_path / "stop.duckdb"
    copy_store(sample_store, path)
    before = fingerprint(path)
    server = start_server(path)
    assert fetch_json(server, "/api/datasets")[0] == 200
    server.proc.send_signal(sig)
    server.proc.wait(timeout=20)
    # uvicorn shuts down gracefully, then re-raises the signal: the conventional exit status for it
    assert stop_server(server) in (0, -sig, 128 + sig)
    assert "Traceback" not in server.stderr()
    assert fingerprint(path) == before


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def test_several_worker_processes_answer_alike(sample_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "workers.duckdb"
    copy_store(sample_store, path)
    single = start_server(path, None, "--no-warm")
    assert fetch_json(single, "/api/health")[1] == {"status": "ok", "warm": "off"}
    paths = ["/api/assess?economy=JPN", "/api/chains/node?node=N20&economy=USA", "/api/chokepoints?economy=KOR",
             "/api/measures/timeline?target=RUS", "/api/economies?search=ger"]
    try:
        expected = {p: fetch_json(single, p) for p in paths}
    finally:
        stop_server(single)
    server = start_server(path, None, "--workers", "2")
    try:
        assert "read-only, 2 processes" in server.banner
        deadline = time.monotonic() + 300  # each worker warms itself (serve's default) and says so
        while {fetch_json(server, "/api/health")[1]["warm"] for _ in range(8)} != {"done"}:
            assert time.monotonic() < deadline, "the workers' warm-up did not finish"
            time.sleep(0.5)
        assert len(_children(server.proc.pid)) >= 2  # the workers (and multiprocessing's resource tracker)
        with ThreadPoolExecutor(max_workers=8) as pool:
            got = list(pool.map(lambda p: (p, fetch_json(server, p)), paths * 4))
        for p, answer in got:
            assert answer == expected[p], (p, answer[0], json.dumps(answer[1])[:300], json.dumps(expected[p][1])[:300])
        status, _, raw = fetch(server, "/api/imports/eto?filename=x.zip", method="POST", body=b"PK",
                               headers={"Authorization": f"Bearer {TOKEN}"})
        assert status == 403 and json.loads(raw)["error"]["code"] == "read_only"
    finally:
        assert stop_server(server) in (0, -15)
    assert not _children(server.proc.pid)


def _workers_of(pid: int) -> list[int]:
    """The server processes ``autarky serve --workers`` (``pid``) started (not multiprocessing's helpers)."""
    workers = []
    for child in _children(pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:  # it ended meanwhile
            continue
        if b"spawn_main" in cmdline and b"resource_tracker" not in cmdline:
            workers.append(child)
    return workers


def _connections_held(pid: int, port: int) -> int:
    """Established TCP connections to ``port`` whose server end process ``pid`` holds (from /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    held = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            cols = line.split()
            if cols[3] == "01" and int(cols[1].rsplit(":", 1)[1], 16) == port and cols[9] in inodes:
                held += 1
    return held


@pytest.mark.skipif(not PORT_SHARING, reason="workers listen on sockets of their own only with Linux's SO_REUSEPORT")
def test_workers_share_a_burst_of_connections(sample_store: Path, tmp_path: Path) -> None:
    # 48 connections opened at once: with one socket shared by every worker, the first to wake accepted them
    # all; with a socket each, the kernel spreads them (each of 3 gets 16 ± 3; fewer than 4: ~1 run in 40,000)
    path = tmp_path / "spread.duckdb"
    copy_store(sample_store, path)
    server = start_server(path, None, "--workers", "3", "--no-warm")
    port = urlsplit(server.url).port or 0
    conns = [http.client.HTTPConnection("127.0.0.1", port, timeout=30) for _ in range(48)]
    try:
        for conn in conns:
            conn.connect()
        for conn in conns:
            conn.request("GET", "/api/health")
        for conn in conns:
            response = conn.getresponse()
            assert response.status == 200 and json.loads(response.read())["status"] == "ok"
        workers = _workers_of(server.proc.pid)
        held = {pid: _connections_held(pid, port) for pid in workers}
        assert len(workers) == 3 and sum(held.values()) == 48, held
        assert min(held.values()) >= 4, held
    finally:
        for conn in conns:
            conn.close()
        assert stop_server(server) in (0, -15)
    assert not _children(server.proc.pid)


@pytest.mark.skipif(not PORT_SHARING, reason="autarky's own supervisor runs only with Linux's SO_REUSEPORT")
def test_a_worker_that_dies_is_replaced(sample_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "replaced.duckdb"
    copy_store(sample_store, path)
    server = start_server(path, None, "--workers", "2", "--no-warm")
    try:
        first = _workers_of(server.proc.pid)
        assert len(first) == 2
        os.kill(first[0], signal.SIGKILL)
        deadline = time.monotonic() + 120
        while len(now := _workers_of(server.proc.pid)) != 2 or first[0] in now:
            assert time.monotonic() < deadline and server.proc.poll() is None, server.stderr()[-2000:]
            time.sleep(0.2)
        assert first[1] in now  # the other one served on
        statuses = [fetch(server, "/api/economies?search=ger")[0] for _ in range(16)]
        assert statuses == [200] * 16
    finally:
        assert stop_server(server) in (0, -15)
    assert not _children(server.proc.pid)


@pytest.mark.skipif(not PORT_SHARING, reason="workers listen on sockets of their own only with Linux's SO_REUSEPORT")
def test_workers_do_not_join_another_servers_port(sample_store: Path, tmp_path: Path) -> None:
    # a process of the same user may join a SO_REUSEPORT group: a second server asked for the first one's port
    # must fail, not take a share of its connections
    import subprocess
    import sys

    first_store, second_store = tmp_path / "first.duckdb", tmp_path / "second.duckdb"
    copy_store(sample_store, first_store)
    copy_store(sample_store, second_store)
    server = start_server(first_store, None, "--workers", "2", "--no-warm")
    try:
        port = str(urlsplit(server.url).port)
        for workers in ("2", "1"):
            second = subprocess.run([sys.executable, "-m", "autarky", "serve", "--port", port, "--workers", workers,
                                     "--store", str(second_store)], capture_output=True, text=True, timeout=120)
            assert second.returncode == 2 and "cannot listen on 127.0.0.1:" + port in second.stderr, second.stderr
        assert fetch_json(server, "/api/health")[1]["status"] == "ok"
    finally:
        assert stop_server(server) in (0, -15)


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited (its new parent reaps it)


@pytest.mark.skipif(not PORT_SHARING, reason="autarky's own supervisor runs only with Linux's SO_REUSEPORT")
def test_workers_stop_when_their_supervisor_is_killed(sample_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "orphans.duckdb"
    copy_store(sample_store, path)
    server = start_server(path, None, "--workers", "2", "--no-warm")
    workers = _workers_of(server.proc.pid)
    assert len(workers) == 2
    server.proc.kill()  # SIGKILL: no handler runs, nothing stops the workers but the kernel
    server.proc.wait(15)
    deadline = time.monotonic() + 60
    while any(_running(pid) for pid in workers):
        assert time.monotonic() < deadline, "a worker outlived its supervisor"
        time.sleep(0.2)
    stop_server(server)


def test_workers_refuse_a_token(sample_store: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    path = tmp_path / "token.duckdb"
    copy_store(sample_store, path)
    proc = subprocess.run([sys.executable, "-m", "autarky", "serve", "--port", "0", "--store", str(path),
                           "--workers", "2"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "AUTARKY_TOKEN": TOKEN})
    assert proc.returncode == 2 and "imports (AUTARKY_TOKEN) need a single process" in proc.stderr
