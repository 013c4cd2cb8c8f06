"""Cold HTTP API: ``autarky serve`` over a store, ~210 distinct uncached requests from 32 concurrent clients.

    .venv/bin/python bench/api/bench_cold.py [--clients 32] [--store PATH] [--mix all|reads] [--pool N] [--workers N]
                                             [--repeat N] [--client lean|httpx] [--order grouped|shuffled]

Every URL of the mix is asked once, so no answer comes from the response cache or from the hub's cache of
computed results: each request computes its answer from the store and from what the server derives from it
once and keeps until the next import (maps and their tables, complexity, every economy's import dependence
and indicator values: see docs/api.md), as a long-running server does.  The mix is built from the question
registry (:data:`autarky.queries.QUESTIONS`): its example request plus variations over economies, map nodes,
vintages, dates and options, the way dashboard users fan out over the data.  ``--mix reads`` leaves out the
three questions that run many scenarios or a whole bill per request (assess, measures.timeline,
company.exposure), to show what the rest costs.

Clients are keep-alive HTTP/1.1 connections on loopback (at most ``--clients`` in flight, each request sent as
soon as a slot frees), each reading its whole answer.  The load generator runs on the server's machine, so
what it spends is taken from the server: the default ``--client lean`` is a bare HTTP/1.1 client on asyncio
streams (~0.1 s of CPU for the mix, like ``wrk`` or ``oha``, which the machine cannot install);
``--client httpx`` uses ``httpx.AsyncClient``, which spends ~0.7–1.3 s of the two cores on the same
requests.  The CPU time of the client and of the server (its processes, from /proc) is printed.  The mix is
sent in the order it is built, each question's requests in a row (``--order grouped``, the default: a burst
of one kind, the harder case for a server taking requests in turn) or shuffled the same way every run.

The server starts once and first answers, one after the other, each question's registry example (URLs the mix
does not ask), so that the process's start-up — importing each domain's modules on first use — is not timed;
then it waits until ``GET /api/health`` says the server's own warm-up (``autarky serve --warm``, the default:
every example answered once per process, in the background) is done.  Prints per-question and overall
p50/p95, errors and throughput, and whether the goal of issue 18 is met: p95 ≤ 250 ms at 32 clients, zero
errors.

``--clients 1`` asks the same URLs one after the other: each request's own service time, and in ``wall`` the
CPU the mix needs (on this 2-core machine no concurrency can bring the 32-client run's wall time much below half
of it, and the GIL keeps most Python work on one core).

Without ``--store`` a store with the bundled data (what ``autarky init`` loads) is built in a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx

GOAL_P95_S = 0.250
GOAL_CLIENTS = 32  # the goal is for this many concurrent clients (or more)
ORDER_SEED = 18  # --order shuffled: the same order in every run

ECONOMIES = ["CHN", "USA", "JPN", "KOR", "DEU", "NLD", "TWN", "FRA", "GBR", "IND", "ITA", "SGP", "MYS", "VNM",
             "CAN", "BRA", "MEX", "ISR", "CHE", "SWE"]
BLOCS = ["US_ALLIES", "CHIP_TOOLMAKERS", "EU27"]


def _url(path: str, **params: object) -> str:
    clean = {k: (str(v).lower() if isinstance(v, bool) else v) for k, v in params.items() if v is not None}
    return path + ("?" + urlencode(clean) if clean else "")


def cold_mix(nodes: list[str], heavy: bool = True) -> list[tuple[str, str]]:
    """(question, URL) pairs, every URL distinct (so every request is a cache miss); ``nodes``: node ids of
    the map the store serves by default."""
    out: list[tuple[str, str]] = []

    def add(q: str, path: str, **params: object) -> None:
        out.append((q, _url(path, **params)))

    for i, node in enumerate(nodes[:54]):  # a node page per click on the map: the most frequent request
        add("chains.show", "/api/chains/node", node=node, economy=ECONOMIES[i % len(ECONOMIES)])
    for e in ECONOMIES:
        add("chokepoints", "/api/chokepoints", economy=e)
    for e in ECONOMIES[:12]:
        add("chains.graph", "/api/chains/graph", economy=e)
    for e in ECONOMIES[:12]:
        add("trade.dependence", "/api/trade/dependence", economy=e, sector="semiconductors")
    for e in ECONOMIES[:6]:
        add("trade.screen", "/api/trade/screen", economy=e, all=True, limit=100)
    for a, b in [("US_ALLIES", "CHN"), ("USA", "CHN"), ("JPN", "CHN"), ("EU27", "CHN"), ("KOR", "CHN")]:
        add("trade.decoupling", "/api/trade/decoupling", between=f"{a},{b}")
    for imp in ["USA", "JPN", "DEU", "KOR"]:
        add("trade.shift", "/api/trade/shift", importer=imp, loser="CHN", source="comtrade", base="2012",
            compare="2022")
    for against in ["NLD", "JPN", "USA", "CHIP_TOOLMAKERS", "US_ALLIES", "KOR", "TWN", "DEU"]:
        for target in ["CHN", "RUS"]:
            add("scenario.export-control", "/api/scenario/export-control", against=against, target=target)
    for day in ["2019-06-01", "2021-01-01", "2023-01-01", "2024-06-01", "2025-06-01"]:
        add("measures.list", "/api/measures", in_force=day)
    for e in ["CHN", "USA", "RUS", "NLD", "JPN"]:
        add("measures.restrictions", "/api/measures/restrictions", target=e, on="2025-06-01")
    for e in ["CHN", "JPN", "KOR", "DEU", "IND", "BRA"]:
        add("innovation", "/api/innovation", economy=e, peers="USA,EU27")
    for e in ["CHN", "USA", "JPN", "KOR", "DEU"]:
        add("complexity", "/api/complexity", economy=e)
    for by in ["phase", "segment", "phase,segment", "fund", "province"]:
        add("money.flows", "/api/money/flows", by=by)
    for over in ["segment", "province"]:
        add("money.concentration", "/api/money/concentration", over=over)
    for e in ["CHN", "USA"]:
        add("money.alignment", "/api/money/alignment", economy=e)
    for top in [3, 5, 10]:
        add("io.multipliers", "/api/io/multipliers", dataset="pymrio-testmrio", top=top)
    for to in ["reg1", "reg2", "reg3"]:
        add("io.extract", "/api/io/extract", dataset="pymrio-testmrio", sector="electricity",
            source_regions="reg4,reg5", to=to, fraction="0.5-1")
    for s in ["semiconductors", "batteries", "robotics_machinery"]:
        add("trade.sectors", "/api/trade/sectors", sector=s)
    for s in ["robotics", "batteries", "semiconductors"]:
        add("sectors.show", "/api/sectors/show", sector=s, economy="CHN")
    for text in ["chin", "korea", "nether", "united", "ger", "jap", "ind", "mal"]:
        add("economies", "/api/economies", search=text)
    for name in ["CHIP_TOOLMAKERS", "US_ALLIES", "EU27", "NLD,JPN", "China", "Taiwan"]:
        add("economy", "/api/economies/resolve", name=name)
    for off in range(0, 20, 5):
        add("datasets", "/api/datasets", limit=5, offset=off)
    for method in ["ols", "log-ols"]:
        add("trajectory", "/api/trajectory", economy="CHN", series="ic-self-sufficiency", method=method)
    add("chains.maps", "/api/chains/maps")
    add("chains.compare", "/api/chains/compare", vintage="2019,2025")
    add("blocs", "/api/blocs")
    add("io.tables", "/api/io/tables")
    add("trade.coverage", "/api/trade/coverage")
    add("money.deals", "/api/money/deals")
    add("money.funds", "/api/money/funds")
    add("sectors.list", "/api/sectors")
    if heavy:
        for e in ["CHN", "USA", "JPN", "KOR", "DEU", "NLD"]:
            add("assess", "/api/assess", economy=e)
        for e in ["CHN", "RUS"]:
            add("measures.timeline", "/api/measures/timeline", target=e)
        for against in ["NLD", "JPN", "USA"]:
            add("company.exposure", "/api/company/exposure", against=against)
    urls = [u for _, u in out]
    assert len(urls) == len(set(urls)), "the mix repeats a URL"
    return out


def map_nodes(store: Path) -> list[str]:
    """Node ids of the newest ETO map in ``store`` (the map the chains questions default to)."""
    from autarky.store import open_store

    st = open_store(store, read_only=True)
    try:
        rows = st.query("SELECT node_id FROM chain_nodes WHERE dataset_id = (SELECT max(dataset_id) FROM datasets "
                        "WHERE kind = 'eto') ORDER BY source_line").to_pylist()
    finally:
        st.close()
    return [str(r["node_id"]) for r in rows]


def build_store(folder: Path) -> Path:
    from autarky.bundled import load_bundled
    from autarky.store import open_store

    path = folder / "bench.duckdb"
    st = open_store(path)
    try:
        load_bundled(st)
    finally:
        st.close()
    return path


def start_server(store: Path, pool: int | None, log: Path, workers: int = 1) -> tuple[subprocess.Popen[str], str]:
    env = {k: v for k, v in os.environ.items() if k != "AUTARKY_TOKEN"}
    cmd = [sys.executable, "-c", "import autarky.cli.serve; from autarky.cli import main; main()",
           "serve", "--port", "0", "--store", str(store)]
    if pool is not None:
        cmd += ["--pool", str(pool)]
    if workers > 1:
        cmd += ["--workers", str(workers)]
    with log.open("w", encoding="utf-8") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True, env=env)
    first: list[str] = []
    reader = threading.Thread(target=lambda: first.append(proc.stdout.readline() if proc.stdout else ""),
                              daemon=True)
    reader.start()
    reader.join(180)
    if not first or "http://" not in first[0]:
        proc.kill()
        raise SystemExit(f"autarky serve printed no address: {first!r}; stderr: {log.read_text()[-2000:]}")
    return proc, "http://" + first[0].split("http://", 1)[1].split("/", 1)[0]


def server_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) spent so far by process ``pid`` and every process below it, from /proc
    (None where there is no /proc): with ``--workers N`` the supervisor and its workers."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            children = [Path(t, "children").read_text().split() for t in Path(f"/proc/{p}/task").iterdir()]
        except OSError:
            if p == pid:
                return None
            continue  # a process that ended meanwhile
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime (fields 14 and 15 of stat)
        todo += [int(c) for each in children for c in each]
    return total


def warm_up_urls(mix: list[tuple[str, str]]) -> list[str]:
    """One request per question (its registry example) that the mix does not ask: the server process imports
    each domain's modules on first use, which is start-up, not the cost of a request."""
    from autarky.queries import QUESTIONS

    asked = {u for _, u in mix}
    urls = [_url(q.path, **q.example) for q in QUESTIONS]
    return [u for u in urls if u not in asked]


@dataclass
class Fired:
    """One timed mix: (question, seconds, status, error) per request, its wall time and CPU seconds."""

    results: list[tuple[str, float, int, str]]
    wall: float
    client_cpu: float
    server_cpu: float | None  # None without /proc


class LeanConnection:
    """One keep-alive HTTP/1.1 connection that sends GETs and reads each whole answer (``Content-Length`` or
    chunked), with nothing else: a load generator that leaves the cores to the server."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, int]:
        """(status, body bytes) of ``GET path``."""
        if self._reader is None or self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        reader, writer = self._reader, self._writer
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept: application/json\r\n\r\n"
                     .encode("ascii"))
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:] if line)}
        if "content-length" in headers:
            size = len(await reader.readexactly(int(headers["content-length"])))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            size = 0
            while chunk := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                size += len(await reader.readexactly(chunk + 2)) - 2
            await reader.readuntil(b"\r\n")  # the empty trailer
        else:
            raise ConnectionError(f"an answer with no length to {path}")
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, size

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None


async def fire(base: str, mix: list[tuple[str, str]], clients: int, timeout: float, workers: int = 1,
               lean: bool = True, server_pid: int | None = None) -> Fired:
    """Every URL once, at most ``clients`` in flight: (question, seconds, status, error) per request, the wall
    time, and the CPU time the load generator and the server (``server_pid`` and its workers) spent.  The
    warm-up runs on ``4 × workers`` connections at once, so that every worker process (the kernel hands each
    new connection to one) answers the registry examples before the timed mix."""
    sem = asyncio.Semaphore(clients)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    results: list[tuple[str, float, int, str]] = []
    warm = ["/api/health", *warm_up_urls(mix)]

    async def warm_up() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=timeout, trust_env=False) as own:
            for url in warm:
                await own.get(url)

    await asyncio.gather(*(warm_up() for _ in range(4 * workers if workers > 1 else 1)))
    # and the server's own warm-up (serve --warm, in each worker): until it is done it takes CPU from the mix
    deadline, done_in_a_row = time.monotonic() + 600, 0
    while done_in_a_row < 4 * workers and time.monotonic() < deadline:
        async with httpx.AsyncClient(base_url=base, timeout=timeout, trust_env=False) as fresh:  # any worker
            state = (await fresh.get("/api/health")).json().get("warm", "off")
        done_in_a_row = done_in_a_row + 1 if state in ("done", "off") else 0
        if not done_in_a_row:
            await asyncio.sleep(0.2)
    cpu0, server0 = time.process_time(), server_cpu(server_pid) if server_pid else None

    def fired(wall: float) -> Fired:
        server1 = server_cpu(server_pid) if server_pid else None
        return Fired(results, wall, time.process_time() - cpu0,
                     None if server0 is None or server1 is None else server1 - server0)

    if lean:
        host, port = base.split("//", 1)[1].rsplit(":", 1)
        idle = [LeanConnection(host, int(port)) for _ in range(clients)]

        async def one(q: str, url: str) -> None:
            async with sem:
                conn = idle.pop()
                t = time.perf_counter()
                error = ""
                try:
                    status, _ = await asyncio.wait_for(conn.get(url), timeout)
                except (TimeoutError, OSError, asyncio.IncompleteReadError) as exc:
                    status, error = 0, type(exc).__name__
                    conn.close()
                results.append((q, time.perf_counter() - t, status, error))
                idle.append(conn)

        t0 = time.perf_counter()
        await asyncio.gather(*(one(q, u) for q, u in mix))
        wall = time.perf_counter() - t0
        for conn in idle:
            conn.close()
        return fired(wall)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout, trust_env=False) as client:

        async def one_httpx(q: str, url: str) -> None:
            async with sem:
                t = time.perf_counter()
                error = ""
                try:
                    status = (await client.get(url)).status_code
                except httpx.HTTPError as exc:
                    status, error = 0, type(exc).__name__
                results.append((q, time.perf_counter() - t, status, error))

        t0 = time.perf_counter()
        await asyncio.gather(*(one_httpx(q, u) for q, u in mix))
        wall = time.perf_counter() - t0
    return fired(wall)


def pct(values: list[float], p: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--store", type=Path, help="an existing store (default: the bundled data, built here)")
    ap.add_argument("--mix", choices=["all", "reads"], default="all")
    ap.add_argument("--pool", type=int, help="the server's --pool (requests computed at once per process); "
                                             "default: its own")
    ap.add_argument("--order", choices=["grouped", "shuffled"], default="grouped",
                    help="the mix in the order it is built (each question's requests one after the other) or "
                         "shuffled (the same order every run), as independent users would interleave them")
    ap.add_argument("--workers", type=int, default=1, help="the server's --workers (processes); default 1")
    ap.add_argument("--timeout", type=float, default=120.0, help="per request, seconds")
    ap.add_argument("--client", choices=["lean", "httpx"], default="lean",
                    help="the load generator: a bare HTTP/1.1 client (default) or httpx.AsyncClient")
    ap.add_argument("--log", type=Path, help="keep the server's stderr in this file")
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs, each on a fresh server; the goal is judged on the median run (a shared machine's "
                         "runs differ by a third)")
    args = ap.parse_args()
    runs: list[tuple[float, float, int]] = []  # p95, throughput, errors of each run
    with tempfile.TemporaryDirectory(prefix="autarky-bench-cold-") as tmp:
        store = args.store or build_store(Path(tmp))
        mix = cold_mix(map_nodes(store), heavy=args.mix == "all")
        if args.order == "shuffled":
            random.Random(ORDER_SEED).shuffle(mix)
        for _ in range(max(1, args.repeat)):
            runs.append(_report(_run(store, mix, args, args.log or Path(tmp) / "serve.log"), args))
    if len(runs) > 1:
        p95s, rates = sorted(r[0] for r in runs), sorted(r[1] for r in runs)
        print(f"{len(runs)} runs: p95 {', '.join(f'{p * 1000:.0f}' for p in p95s)} ms (median "
              f"{statistics.median(p95s) * 1000:.0f}); throughput median {statistics.median(rates):.1f} req/s")
    p95, errors = statistics.median(r[0] for r in runs), sum(r[2] for r in runs)
    if args.clients < GOAL_CLIENTS:
        print(f"goal (p95 <= {GOAL_P95_S * 1000:.0f} ms at {GOAL_CLIENTS} clients): not judged with {args.clients}")
        return
    met = p95 <= GOAL_P95_S and not errors
    print(f"goal p95 <= {GOAL_P95_S * 1000:.0f} ms and zero errors at {args.clients} clients: "
          f"{'MET' if met else 'NOT MET'}")


def _run(store: Path, mix: list[tuple[str, str]], args: argparse.Namespace, log: Path) -> Fired:
    """One timed mix on a fresh server process."""
    proc, base = start_server(store, args.pool, log, args.workers)
    try:
        return asyncio.run(fire(base, mix, args.clients, args.timeout, args.workers, lean=args.client == "lean",
                                server_pid=proc.pid))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _report(run: Fired, args: argparse.Namespace) -> tuple[float, float, int]:
    """Print one run's table; its (p95, throughput, errors)."""
    results, wall = run.results, run.wall
    by_q: dict[str, list[float]] = defaultdict(list)
    for q, s, _, _ in results:
        by_q[q].append(s)
    errors = [(q, st, why) for q, _, st, why in results if st != 200]
    times = [s for _, s, _, _ in results]
    print(f"cold API mix ({args.mix}): {len(results)} distinct requests, {args.clients} concurrent clients, "
          f"{args.workers} server process(es), {os.cpu_count()} cores")
    print(f"{'question':28} {'n':>4} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}")
    for q, ts in sorted(by_q.items(), key=lambda kv: -pct(kv[1], 95)):
        print(f"{q:28} {len(ts):4d} {pct(ts, 50) * 1000:9.0f} {pct(ts, 95) * 1000:9.0f} {max(ts) * 1000:9.0f}")
    p95 = pct(times, 95)
    print(f"overall: p50 {pct(times, 50) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {max(times) * 1000:.0f} ms, "
          f"errors {len(errors)}, throughput {len(results) / wall:.1f} req/s, wall {wall:.1f} s; CPU: the server's "
          f"{'?' if run.server_cpu is None else f'{run.server_cpu:.2f}'} s, the {args.client} client's "
          f"{run.client_cpu:.2f} s")
    if errors:
        print("errors:", ", ".join(f"{q} {st or why}" for q, st, why in errors[:20]))
    if args.clients > 1:
        n, k = len(results), args.clients
        # Little's law: with k requests in flight throughout, the latencies add up to about k × wall.  For 95%
        # of them to be within the goal, the mix must end by in_turn (every request waits about as long) or,
        # at best, by shortest_first (the slowest 5% wait the whole run, the rest within the goal).
        in_turn = n * GOAL_P95_S / k
        bound = (f"{GOAL_P95_S * 1000:.0f} ms needs the mix done in <= {in_turn:.1f} s ({n / in_turn:.0f} req/s) "
                 "served in turn")
        if k > 0.05 * n:  # with fewer in flight, waiting out the run is no bound on the rest
            shortest_first = 0.95 * n * GOAL_P95_S / (k - 0.05 * n)
            bound += f", <= {shortest_first:.1f} s ({n / shortest_first:.0f} req/s) even served shortest first"
        print(f"latencies add up to {sum(times):.0f} s (Little's law: at most {k} in flight × wall {wall:.1f} s = "
              f"{k * wall:.0f} s); p95 <= {bound}")
    return p95, len(results) / wall, len(errors)


if __name__ == "__main__":
    main()
