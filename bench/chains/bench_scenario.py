"""Benchmark: the whole ``export_control()`` call, on the ETO map and on generated maps of 10k to 1M nodes.

Goals (issue 18, this 2-core machine): the whole call on a 1M-node map ≤ 2 s, on 100k ≤ 0.3 s, at any
depth, memory linear in the edges.  Prints seconds, the growth exponent between sizes and whether each
goal is met; asserts nothing (tests never assert wall times).

    .venv/bin/python bench/chains/bench_scenario.py [--sizes 10000,100000,1000000] [--runs 3]

What is timed, per map:

* **cold**: the first ``export_control(map, scenario)`` on a freshly built map — compiling the requirement
  graph (once per map), the holder table (once per map and view), the exposure, both ends of a
  domestic-substitution range, propagation with back-pointers, stage / output / tier outcomes with their
  binding paths, explanations and provenance;
* **warm**: another scenario on the same map (what every further scenario in a session costs): each warm run
  moves both ends of the domestic substitution by a point, so no run is served from the propagations the
  graph remembers for vectors it has seen (``RequirementGraph.propagations``); the goals are stated for it,
  the cold time is printed beside it.

Maps: ``autarky.chains.synthetic.layered_map`` — 30 tiers, fan-in 3 (3M edges at 1M nodes), and a deep
one, 55 tiers of fan-in 2 (2^54 paths into each output: the engine never enumerates paths).
"""

from __future__ import annotations

import argparse
import math
import resource
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from autarky.bundled import bundled_path
from autarky.chains import ExportControl, export_control, load_map
from autarky.chains.eto import load_eto
from autarky.chains.graph import requirement_graph
from autarky.chains.synthetic import layered_map
from autarky.store import open_store

SCENARIO = ExportControl(
    against=frozenset({"NLD", "JPN", "USA"}), target=frozenset({"CHN"}), domestic_substitution=(0.0, 0.3)
)
GOALS = {100_000: 0.3, 1_000_000: 2.0}


def _another(i: int) -> ExportControl:
    """The bench's scenario with both ends of the domestic substitution moved by ``i + 1`` points."""
    lo, hi = SCENARIO.domestic_substitution
    return replace(SCENARIO, domestic_substitution=(lo + 0.01 * (i + 1), hi + 0.01 * (i + 1)))


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_eto(runs: int = 20) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "bench.duckdb")
        load_eto(store, bundled_path("eto-chip-explorer-2026"))
        cmap = load_map(store)
        t0 = time.perf_counter()
        export_control(cmap, SCENARIO)
        first = time.perf_counter() - t0
        times = []
        for i in range(runs):
            t0 = time.perf_counter()
            result = export_control(cmap, _another(i))
            times.append(time.perf_counter() - t0)
        store.close()
    med = statistics.median(times)
    print(f"ETO map ({len(cmap.node_ids)} nodes): cold {first * 1000:.0f} ms, warm median {med * 1000:.1f} ms "
          f"over {runs} runs")
    for cap in result.capability:  # one capability per tiered node family (lithography, logic design)
        print(f"  {cap.name}: tiers lost {', '.join(cap.lost) or 'none'}")
    print(f"  N20: {result.node('N20').explanation}")


def time_map(n: int, runs: int, **shape: int) -> tuple[float, float, int]:
    t0 = time.perf_counter()
    cmap = layered_map(n, **shape)
    built = time.perf_counter() - t0
    t0 = time.perf_counter()
    res = export_control(cmap, SCENARIO)
    cold = time.perf_counter() - t0
    warm = []
    for i in range(runs):
        t0 = time.perf_counter()
        res = export_control(cmap, _another(i))
        warm.append(time.perf_counter() - t0)
    g = requirement_graph(cmap, groups=(), tiers={})
    arrays = [g.src, g.dst, g.level, g.is_max, g.cut, g._in_src, g._in_off]
    arrays += [a for st in g._steps for a in (st.dst, st.starts, st.src, st.seg)]
    per_edge = sum(a.nbytes for a in arrays) / max(1, g.n_edges)
    lost = sum(1 for o in res.outputs if o.status[0] == "lost")
    print(f"  {n:>9,} nodes, {g.n_edges:>9,} edges, {shape.get('layers', 30)} tiers: map built in {built:.2f} s; "
          f"whole call cold {cold:.3f} s, warm {statistics.median(warm):.3f} s; graph arrays {per_edge:.0f} "
          f"bytes/edge; peak RSS {_rss_mb():.0f} MB; {lost} of {len(res.outputs)} outputs lost at the low end")
    return cold, statistics.median(warm), g.n_edges


def exponent(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(time) on log(size)."""
    if len(points) < 2:
        return None
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(max(t, 1e-6)) for _, t in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-deep", action="store_true", help="skip the 55-tier map")
    args = ap.parse_args()
    bench_eto()
    sizes = [int(s) for s in args.sizes.split(",")]
    print("generated maps, 30 tiers, fan-in 3:")
    results = {n: time_map(n, args.runs, layers=30, fanin=3) for n in sizes}
    for label, k in (("cold", 0), ("warm", 1)):
        e = exponent([(n, r[k]) for n, r in results.items()])
        if e is not None:
            print(f"  growth exponent ({label}): time ~ n^{e:.2f}")
    for n, goal in GOALS.items():
        if n in results:
            cold, warm, _ = results[n]
            print(f"  goal {n:,} nodes ≤ {goal} s (warm): {'met' if warm <= goal else 'MISSED'} ({warm:.3f} s); "
                  f"cold {cold:.3f} s ({'within' if cold <= goal else 'over'} the goal)")
    if not args.no_deep:
        print("deep maps, 55 tiers, fan-in 2 (2^54 paths into each output):")
        deep = {n: time_map(n, args.runs, layers=55, fanin=2, reach=1) for n in (30_000, 300_000)}
        e = exponent([(n, r[1]) for n, r in deep.items()])
        print(f"  growth exponent (warm): time ~ n^{e:.2f}" if e is not None else "")


if __name__ == "__main__":
    main()
