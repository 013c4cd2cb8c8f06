"""Helpers of the HTTP API tests: the sample store, its fingerprint, the error envelope, a live `autarky serve`."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from autarky.bundled import bundled_path
from autarky.chains.eto import load_eto
from autarky.store import open_store

ETO = bundled_path("eto-chip-explorer-2026")
TOKEN = "test-token-6f1c"


def corrupt_eto(dst: Path) -> Path:
    """A copy of the bundled ETO release with two malformed provision rows (they go to quarantine)."""
    shutil.copytree(ETO, dst)
    for p in dst.iterdir():
        p.chmod(0o644)
    path = dst / "provision.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[1][4] = "not-a-number"
    rows[2][4] = "140"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return dst


def build_sample_store(bundled: Path, path: Path, scratch: Path) -> Path:
    """A copy of ``bundled`` (every bundled dataset: what `autarky init` loads) and, as an older vintage of the
    ETO map, a copy of the release with two malformed rows (quarantined)."""
    copy_store(bundled, path)
    store = open_store(path)
    try:
        load_eto(store, corrupt_eto(scratch / "eto-corrupt"), name="eto-quarantine-test", vintage="2000-01")
    finally:
        store.close()
    return path


def fingerprint(path: Path) -> str:
    """A digest of every row of every table (and the Parquet flows behind the store): equal before and after
    means the store is unchanged."""
    store = open_store(path, read_only=True)
    try:
        digest = hashlib.sha256()
        for table in store.tables():
            row = store.query(
                f'SELECT count(*) AS n, sum(hash(t)::HUGEINT)::VARCHAR AS h FROM "{table}" t').to_pylist()[0]
            digest.update(f"{table}:{row['n']}:{row['h']};".encode())
        return digest.hexdigest()
    finally:
        store.close()


def copy_store(src: Path, dst: Path) -> Path:
    """Copy a store file with what lives beside it (the Parquet folder of trade flows)."""
    shutil.copyfile(src, dst)
    for side in src.parent.glob(src.name + ".*"):
        target = dst.parent / (dst.name + side.name[len(src.name):])
        if side.is_dir():
            shutil.copytree(side, target)
        elif not side.name.endswith(".wal"):
            shutil.copyfile(side, target)
    return dst


class LiveServer:
    def __init__(self, proc: subprocess.Popen[str], url: str, banner: str, log: Path) -> None:
        self.proc = proc
        self.url = url
        self.banner = banner
        self.log = log

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def start_server(store: Path, extra_env: dict[str, str] | None = None, *args: str) -> LiveServer:
    """``autarky serve --port 0`` in a subprocess; returns once the printed address answers.

    stderr goes to a file beside the store (a pipe nobody reads could fill up and stall the server).
    """
    env = {k: v for k, v in os.environ.items() if k != "AUTARKY_TOKEN"}
    env.update(extra_env or {})
    cmd = [sys.executable, "-c", "import autarky.cli.serve; from autarky.cli import main; main()",
           "serve", "--port", "0", "--store", str(store), *args]
    log = store.with_name(store.name + ".serve.log")
    with log.open("w", encoding="utf-8") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True, env=env)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(proc.stdout.readline() if proc.stdout else ""),
                              daemon=True)
    reader.start()
    reader.join(timeout=120)
    banner = lines[0] if lines else ""
    server = LiveServer(proc, "", banner, log)
    if "http://" not in banner:
        stop_server(server)
        raise RuntimeError(f"autarky serve did not print its address: {banner!r}; stderr: {server.stderr()[-2000:]}")
    server.url = "http://" + banner.split("http://", 1)[1].split("/", 1)[0]
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{server.url}/api/health", timeout=5) as r:
                if r.status == 200:
                    return server
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                stop_server(server)
                raise
            time.sleep(0.1)


def stop_server(server: LiveServer) -> int:
    """Stop it (SIGTERM, then SIGKILL after 15 s); its exit status."""
    if server.proc.poll() is None:
        server.proc.terminate()
    try:
        server.proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait(timeout=5)
    if server.proc.stdout is not None:
        server.proc.stdout.close()
    return int(server.proc.returncode)


ENVELOPE_KEYS = {"error"}
BODY_KEYS = {"code", "message", "status"}


def assert_envelope(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is the one error envelope, with this status (and code)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == ENVELOPE_KEYS
    err = body["error"]
    assert set(err) == BODY_KEYS
    assert err["status"] == status
    assert isinstance(err["message"], str) and err["message"]
    assert isinstance(err["code"], str) and err["code"].replace("_", "").isalnum()
    if code is not None:
        assert err["code"] == code
    return dict(err)
