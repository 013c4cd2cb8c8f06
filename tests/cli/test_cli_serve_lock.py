"""Issue 19.4: reading commands run beside `autarky serve`; writing commands name the server (PID) and what to do."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from autarky.bundled import bundled_path
from autarky.store.serving import pid_file


def _env(store: Path) -> dict[str, str]:
    return {**os.environ, "AUTARKY_STORE": str(store), "COLUMNS": "200"}


def _run(*args: str, store: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "autarky", *args], capture_output=True, text=True,
                          env=_env(store), cwd=cwd, timeout=300)


def test_reads_work_beside_the_server_and_writes_name_it(tmp_path: Path, bundled_store_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    shutil.copy(bundled_store_path, store)
    parquet = bundled_store_path.with_name(bundled_store_path.name + ".parquet")
    if parquet.exists():
        shutil.copytree(parquet, tmp_path / "s.duckdb.parquet")
    server = subprocess.Popen([sys.executable, "-m", "autarky", "serve", "--port", "0"], env=_env(store),
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=tmp_path)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert "autarky serving" in line, line
        assert pid_file(store).exists()
        for args in (["assess", "CHN"], ["chokepoints", "CHN"], ["sql", "SELECT count(*) FROM datasets"]):
            done = _run(*args, store=store, cwd=tmp_path)
            assert done.returncode == 0, (args, done.stderr)
        done = _run("import", "sectors", str(bundled_path("sectors/strategic_sectors.csv")), "--name", "other",
                    store=store, cwd=tmp_path)
        assert done.returncode == 1
        assert "Traceback" not in done.stderr and "-readonly" not in done.stderr
        flat = " ".join(done.stderr.split())
        assert f"in use by `autarky serve` (PID {server.pid}" in flat
        assert "Stop the server" in flat
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=60)
    assert not pid_file(store).exists()
    done = _run("import", "sectors", str(bundled_path("sectors/strategic_sectors.csv")), "--name", "other",
                store=store, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
