"""Benchmark: export-control propagation on the ETO map and on a generated map of 1,000,000 nodes.

Targets (this 2-core machine): under 50 ms per scenario on the ETO map, under 2 s on the large map.
Prints the timings; asserts nothing (the tests never assert wall times).

    .venv/bin/python bench/chains/bench_scenario.py [--nodes 1000000] [--fanin 3]

What is timed:

* ETO: ``export_control(map, scenario)`` end to end (exposure, both ends of a domestic-substitution
  range, propagation, stage/tier/output outcomes with explanations), warm (the map's share tables and
  compiled graph cached, as in a session that runs several scenarios); the first, cold run is printed too.
* Large map: the per-scenario engine on arrays: exposure from the supply table (Polars), own
  availability at both ends of a range (NumPy) and two propagations over ~3,000,000 edges.  The one-off
  costs per map (share table, graph compilation) are printed separately.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

from autarky.bundled import bundled_path
from autarky.chains import load_map
from autarky.chains.eto import load_eto
from autarky.chains.graph import RequirementGraph
from autarky.chains.map import PROVISION_SCHEMA
from autarky.chains.scenario import ExportControl, export_control, exposure, own_availability
from autarky.chains.supply import country_supply
from autarky.store import open_store

COUNTRIES = ["USA", "JPN", "NLD", "CHN", "KOR", "TWN", "DEU", "FRA", "GBR", "SGP", "MYS", "ISR"]


def bench_eto(runs: int = 30) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "bench.duckdb")
        load_eto(store, bundled_path("eto-chip-explorer-2026"))
        cmap = load_map(store)
        sc = ExportControl(
            against=frozenset({"NLD", "JPN", "USA"}), target=frozenset({"CHN"}), domestic_substitution=(0.0, 0.3)
        )
        t0 = time.perf_counter()
        export_control(cmap, sc)
        first = time.perf_counter() - t0
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            result = export_control(cmap, sc)
            times.append(time.perf_counter() - t0)
        store.close()
    med = statistics.median(times)
    print(
        f"ETO map ({len(cmap.nodes)} nodes, {len(cmap.edges)} edges): first run {first * 1000:.1f} ms, "
        f"warm median {med * 1000:.1f} ms over {runs} runs (target < 50 ms: {'met' if med < 0.05 else 'MISSED'})"
    )
    print(f"  e.g. {result.node('N20').explanation}")


def generate(n: int, fanin: int, layers: int, seed: int = 7) -> tuple[RequirementGraph, pl.DataFrame, list[str]]:
    """A layered DAG: layer 0 are supplied tools/materials (with provision), each later node requires
    ``fanin`` nodes of the previous layers; three to four country suppliers per layer-0 node."""
    rng = np.random.default_rng(seed)
    sizes = np.full(layers, n // layers)
    sizes[0] += n - sizes.sum()
    starts = np.concatenate(([0], np.cumsum(sizes)))
    src_parts, dst_parts = [], []
    for k in range(1, layers):
        dst = np.repeat(np.arange(starts[k], starts[k + 1]), fanin)
        lo = starts[max(0, k - 3)]
        src = rng.integers(lo, starts[k], size=dst.size)
        src_parts.append(src)
        dst_parts.append(dst)
    src = np.concatenate(src_parts)
    dst = np.concatenate(dst_parts)
    ids = [f"N{i}" for i in range(n)]
    t0 = time.perf_counter()
    graph = RequirementGraph(ids, src, dst, np.zeros(n, dtype=np.bool_))
    compile_s = time.perf_counter() - t0
    supplied = np.arange(starts[1])
    k = 3
    node = np.repeat(supplied, k)
    country = np.array(COUNTRIES)[rng.integers(0, len(COUNTRIES), size=node.size)]
    share = rng.dirichlet(np.ones(k), size=supplied.size).ravel() * 100
    prov = pl.DataFrame(
        {
            "provider_id": country,
            "node_id": [ids[i] for i in node],
            "year": np.full(node.size, 2025, np.int32),
            "share": share,
            "negligible": None,
            "share_view": "hq",
            "source": None,
            "source_line": None,
            "provider_type": "country",
            "country": country,
        },
        schema=PROVISION_SCHEMA,
    )
    print(
        f"generated map: {n:,} nodes, {src.size:,} edges, {layers} layers, {prov.height:,} provision rows; "
        f"graph compiled in {compile_s:.2f} s (once per map)"
    )
    return graph, prov, ids


def bench_large(n: int, fanin: int, layers: int, runs: int = 3) -> None:
    graph, prov, ids = generate(n, fanin, layers)
    t0 = time.perf_counter()
    supply = country_supply(prov)
    id_series = pl.Series("node_id", ids)
    print(f"  share table built in {time.perf_counter() - t0:.2f} s (once per map and view)")
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        exp = exposure(supply, id_series, {"NLD", "JPN", "USA"}, {"CHN"})
        lo = graph.propagate(own_availability(exp, 0.0, 0.0, 1.0, True))
        hi = graph.propagate(own_availability(exp, 0.3, 0.0, 1.0, True))
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    lost = int((lo < 0.25).sum())
    print(
        f"large map scenario (exposure + 2 propagations): median {med:.2f} s over {runs} runs "
        f"(target < 2 s: {'met' if med < 2.0 else 'MISSED'}); {lost:,} nodes lost at the low end, "
        f"mean availability {lo.mean():.3f}–{hi.mean():.3f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=1_000_000)
    ap.add_argument("--fanin", type=int, default=3)
    ap.add_argument("--layers", type=int, default=30)
    args = ap.parse_args()
    bench_eto()
    bench_large(args.nodes, args.fanin, args.layers)


if __name__ == "__main__":
    main()
