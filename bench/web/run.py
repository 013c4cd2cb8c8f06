"""Bounded load on loopback: ``autarky serve`` over the bundled data, 32 concurrent clients, a fixed number of
requests over the main endpoints; prints p50/p95 latency and the error count (target: p95 < 50 ms, no error).

    .venv/bin/python bench/web/run.py [--clients 32] [--requests 6400] [--store PATH]

Each client keeps one HTTP/1.1 connection and sends its requests one after the other (a closed loop), so the
latency includes the server's queueing.  The server is warmed first (one pass over the endpoints: the caches
of computed results fill as they do after a user's first view); the client and the server share the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

#: The main questions with their registry examples (the routes are generated from the registry).
MAIN = ("datasets", "economies", "blocs", "assess", "chains.maps", "chokepoints", "chains.graph", "chains.show",
        "scenario.export-control", "trade.dependence", "money.flows", "money.alignment", "io.multipliers",
        "complexity", "measures.list", "innovation")


def endpoints() -> list[str]:
    from urllib.parse import urlencode

    from autarky.queries import QUESTIONS

    by_name = {q.name: q for q in QUESTIONS}
    return ["/api", "/", *(by_name[n].path + ("?" + urlencode({k: str(v).lower() if isinstance(v, bool) else v
                                                                 for k, v in by_name[n].example.items()})
                                            if by_name[n].example else "") for n in MAIN)]


def start(store: Path) -> tuple[subprocess.Popen[str], str]:
    env = {k: v for k, v in os.environ.items() if k != "AUTARKY_TOKEN"}
    proc = subprocess.Popen([sys.executable, "-c", "import autarky.cli.serve; from autarky.cli import main; main()",
                             "serve", "--port", "0", "--store", str(store)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    first: list[str] = []
    reader = threading.Thread(target=lambda: first.append(proc.stdout.readline() if proc.stdout else ""), daemon=True)
    reader.start()
    reader.join(180)
    if not first or "http://" not in first[0]:
        proc.kill()
        raise SystemExit(f"autarky serve printed no address: {first!r}")
    return proc, "http://" + first[0].split("http://", 1)[1].split("/", 1)[0]


async def one(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, path: str) -> int:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\r\n".encode())
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    length = -1
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
    if length < 0:
        raise RuntimeError(f"{path}: no content-length")
    await reader.readexactly(length)
    return status


async def client(host: str, port: int, paths: list[str], latencies: list[float], errors: list[str]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for path in paths:
            t0 = time.perf_counter()
            try:
                status = await one(reader, writer, f"{host}:{port}", path)
            except (OSError, RuntimeError, ValueError, asyncio.IncompleteReadError) as exc:
                errors.append(f"{path}: {exc}")
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            latencies.append(time.perf_counter() - t0)
            if status != 200:
                errors.append(f"{path}: HTTP {status}")
    finally:
        writer.close()


async def load(url: str, clients: int, total: int) -> tuple[list[float], list[str], float]:
    host, port = url.removeprefix("http://").split(":")
    per = total // clients
    latencies: list[float] = []
    errors: list[str] = []
    urls = endpoints()
    plans = [[urls[(c + i) % len(urls)] for i in range(per)] for c in range(clients)]
    t0 = time.perf_counter()
    await asyncio.gather(*(client(host, int(port), plan, latencies, errors) for plan in plans))
    return latencies, errors, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--requests", type=int, default=6400, help="total requests (split evenly over the clients)")
    ap.add_argument("--store", type=Path, help="an existing store (default: a new one with the bundled data)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="autarky-bench-"))
    store = args.store or tmp / "bench.duckdb"  # a new store: `serve` loads the bundled data into it first
    proc, url = start(store)
    try:
        for path in endpoints():  # warm-up: every endpoint once, and the Vega bundle
            with urllib.request.urlopen(url + path, timeout=120) as r:
                r.read()
        with urllib.request.urlopen(url + "/static/vega.js", timeout=120) as r:
            r.read()
        latencies, errors, wall = asyncio.run(load(url, args.clients, args.requests))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stdout is not None:
            proc.stdout.close()
        shutil.rmtree(tmp, ignore_errors=True)
    ms = sorted(x * 1000 for x in latencies)
    q = statistics.quantiles(ms, n=100)
    print(f"autarky web bench: {len(endpoints())} endpoints, {args.clients} clients, {len(ms)} requests "
          f"in {wall:.1f} s ({len(ms) / wall:.0f} req/s), {os.cpu_count()} cores")
    print(f"latency ms: p50 {q[49]:.1f}  p95 {q[94]:.1f}  p99 {q[98]:.1f}  max {ms[-1]:.1f}")
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    ok = q[94] < 50 and not errors
    print(f"target p95 < 50 ms and no error: {'met' if ok else 'NOT met'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
