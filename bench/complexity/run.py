"""autarky vs ecomplexity 0.5.3 on the same generated trade tables.

Each peer runs in its own subprocess, so that its peak RSS is measured on its own; both read the same
Parquet file (reading is not timed) and write their long result, which this script then compares.

    .venv/bin/python bench/complexity/run.py                     # 50x500x1 and 200x5000x3
    .venv/bin/python bench/complexity/run.py --sizes 50x500x1    # the quick one only

Prints, per size: seconds of each peer (the best of ``--repeat`` runs; ecomplexity runs once at the big
size), the time ratio, the peak RSS of each up to the end of its computation, and the largest absolute
difference over every measure where ecomplexity's value is defined.  ``--workdir`` keeps the files;
``--reuse-reference`` then skips rerunning ecomplexity.  Goals (issue 18) at 200x5000x3: ratio ≥ 300,
autarky's peak RSS ≤ 1 GiB, difference ≤ 1e-9; the last line says whether each size meets them.
ecomplexity needs a few minutes at that size.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

GOAL_RATIO = 300.0
GOAL_RSS = 2**30
GOAL_DIFF = 1e-9
MEASURES = ["rca", "mcp", "diversity", "ubiquity", "eci", "pci", "density", "coi", "cog"]
KEYS = ["year", "economy", "product"]
COLS = {"time": "year", "loc": "economy", "prod": "product", "val": "value"}


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux


def child(peer: str, source: Path, target: Path, repeat: int) -> None:
    """Run one peer ``repeat`` times on ``source`` (reading it is not timed), write its last result to
    ``target``, print the times and the peak RSS up to the end of the computations (writing excluded)."""
    import gc
    import warnings

    times = []
    if peer == "autarky":
        import polars as pl

        from autarky.complexity import ComplexityWarning, compute_complexity

        data = pl.read_parquet(source)
        for _ in range(repeat):
            result = None
            gc.collect()
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ComplexityWarning)
                result = compute_complexity(data)
            times.append(time.perf_counter() - start)
        rss = _peak_rss()
        assert result is not None
        result.to_polars().select([*KEYS, *MEASURES]).write_parquet(target)
    else:
        import pandas as pd
        from ecomplexity import ecomplexity

        frame = pd.read_parquet(source)
        for _ in range(repeat):
            out = None
            gc.collect()
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = ecomplexity(frame, COLS, check_logsupermodularity=False, verbose=False)
            times.append(time.perf_counter() - start)
        rss = _peak_rss()
        assert out is not None
        out[[*KEYS, *MEASURES]].to_parquet(target)
    print(json.dumps({"seconds": min(times), "times": times, "rss": rss}))


def run_peer(peer: str, source: Path, target: Path, repeat: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", peer, str(source), str(target), str(repeat)],
        check=True, capture_output=True, text=True,
    )
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def compare(ours: Path, theirs: Path) -> dict[str, float]:
    import numpy as np
    import polars as pl

    a = pl.read_parquet(ours)
    b = pl.read_parquet(theirs).drop_nulls(subset=KEYS)
    joined = b.join(a, on=KEYS, how="inner", suffix="_autarky")
    if joined.height != a.height:
        raise SystemExit(
            f"row sets differ: autarky {a.height}, ecomplexity {b.height}, common {joined.height}"
        )
    out = {}
    for column in MEASURES:
        ref = joined[column].cast(pl.Float64).fill_null(np.nan).to_numpy()
        mine = joined[f"{column}_autarky"].cast(pl.Float64).fill_null(np.nan).to_numpy()
        defined = np.isfinite(ref)
        if not defined.any():
            out[column] = float("nan")
            continue
        if not np.isfinite(mine[defined]).all():
            out[column] = float("inf")
            continue
        out[column] = float(np.max(np.abs(mine[defined] - ref[defined])))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50x500x1,200x5000x3",
                        help="comma-separated ECONOMIESxPRODUCTSxYEARS (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep inputs, outputs and timings here (default: a temporary directory)")
    parser.add_argument("--reuse-reference", action="store_true",
                        help="reuse ecomplexity's output and timing from --workdir when present")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of autarky; its best time counts (default: %(default)s). ecomplexity runs "
                             "once at sizes over a million cells, else as often")
    parser.add_argument("--child", nargs=4, metavar=("PEER", "SOURCE", "TARGET", "REPEAT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        peer, source, target, repeat = args.child
        child(peer, Path(source), Path(target), int(repeat))
        return

    from autarky.complexity import synthetic_trade

    print(f"{'size':>14} {'autarky s':>10} {'ecomplexity s':>14} {'ratio':>8} "
          f"{'autarky RSS':>12} {'ecomplexity RSS':>16} {'max |diff|':>11}")
    with tempfile.TemporaryDirectory(prefix="autarky-bench-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for size in args.sizes.split(","):
            n_e, n_p, n_y = (int(x) for x in size.lower().split("x"))
            stem = f"{size}-seed{args.seed}"
            source = work / f"trade-{stem}.parquet"
            mine = work / f"autarky-{stem}.parquet"
            ref = work / f"ecomplexity-{stem}.parquet"
            ref_timing = work / f"ecomplexity-{stem}.json"
            if not source.exists():
                synthetic_trade(n_e, n_p, n_y, seed=args.seed).write_parquet(source)
            ours = run_peer("autarky", source, mine, args.repeat)
            if args.reuse_reference and ref.exists() and ref_timing.exists():
                theirs = json.loads(ref_timing.read_text())
            else:
                theirs = run_peer("ecomplexity", source, ref, 1 if n_e * n_p * n_y > 1_000_000 else args.repeat)
                ref_timing.write_text(json.dumps(theirs))
            diffs = compare(mine, ref)
            worst = max(diffs.values())
            mib = 2**20
            print(f"{size:>14} {ours['seconds']:>10.2f} {theirs['seconds']:>14.2f} "
                  f"{theirs['seconds'] / ours['seconds']:>7.0f}x {ours['rss'] / mib:>8.0f} MiB "
                  f"{theirs['rss'] / mib:>12.0f} MiB {worst:>11.2e}")
            print(f"{'':>14} per column: " + ", ".join(f"{k} {v:.1e}" for k, v in diffs.items()))
            ratio = theirs["seconds"] / ours["seconds"]
            met = ratio >= GOAL_RATIO and ours["rss"] <= GOAL_RSS and worst <= GOAL_DIFF
            print(f"{'':>14} goal: ratio ≥ {GOAL_RATIO:.0f}× ({ratio:.0f}×), autarky RSS ≤ 1 GiB "
                  f"({ours['rss'] / mib:.0f} MiB), |diff| ≤ {GOAL_DIFF:.0e} ({worst:.1e}): "
                  f"{'MEETS' if met else 'MISSES'}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
