"""Every single-sector hypothetical extraction of an ICIO-sized system, batched, against recomputing.

    .venv/bin/python bench/io/run.py                    # 81 regions x 45 sectors = 3,645 industries
    .venv/bin/python bench/io/run.py --size 20x10       # a quick one

Generates a random multi-regional table shaped like the OECD ICIO 2023 release (domestic blocks dense and
heavy, foreign blocks lighter), then times:

1. one full Leontief solve ``L = (I − A)⁻¹`` (autarky: LU + LAPACK getri; numpy ``inv`` for reference);
2. one brute-force extraction: rebuild ``Ā``, LU-solve ``(I − Ā) x̄ = y`` (no inverse: the cheapest exact
   recomputation), averaged over a few scenarios;
3. pymrio 0.7.0 ``IOSystem.calc_system()`` on the same ``Z``, ``Y`` (x, A, L through pandas);
4. autarky: ``IOModel`` + every single-sector backward extraction at once (the inverse included), and
   the forward, total and Ghosh-forward kinds on the same model (inverse already made).

Prints the seconds, the ratio against (each recomputation × number of scenarios), and the largest
difference from brute force over a few scenarios.  Target: all 3,645 in under 10 s, ≥ 1,000× faster
than recomputing the Leontief inverse per scenario.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

from autarky.io import IOModel, IOTable, all_sector_scenarios, extract, extract_brute_force, to_pymrio
from autarky.io import leontief as lm


def generate(n_regions: int, n_sectors: int, seed: int = 2023) -> IOTable:
    rng = np.random.default_rng(seed)
    n = n_regions * n_sectors
    reg = np.repeat(np.arange(n_regions), n_sectors)
    Z = rng.random((n, n)) ** 4  # many small flows, a few large ones
    Z *= np.where(reg[:, None] == reg[None, :], 60.0, 1.0)  # domestic blocks dominate
    Y = rng.random((n, n_regions)) * Z.sum(axis=1).mean()
    Y[reg[:, None] == np.arange(n_regions)[None, :]] *= 20.0
    x = Z.sum(axis=1) + Y.sum(axis=1)
    regions = tuple(f"R{i:02d}" for i in range(n_regions))
    return IOTable(
        regions=regions, sectors=tuple(f"S{i:02d}" for i in range(n_sectors)), Z=Z, Y=Y,
        fd_labels=tuple((r, "FD") for r in regions), V=(x - Z.sum(axis=0))[None, :], factor_labels=("VA",),
        x=x, columns_complete=True, name=f"bench-{n_regions}x{n_sectors}",
    )


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="81x45", help="REGIONSxSECTORS (default 81x45)")
    parser.add_argument("--brute", type=int, default=3, help="brute-force scenarios to time (default 3)")
    parser.add_argument("--no-pymrio", action="store_true", help="skip pymrio's calc_system")
    args = parser.parse_args()
    n_regions, n_sectors = (int(v) for v in args.size.lower().split("x"))
    table, t_gen = timed(generate, n_regions, n_sectors)
    n = table.n
    print(f"system: {n_regions} regions x {n_sectors} sectors = {n} industries (generated in {t_gen:.2f} s)")

    A = lm.technical_coefficients(table.Z, table.x)
    _, t_inv = timed(lm.leontief_inverse, A)
    _, t_np = timed(np.linalg.inv, np.eye(n) - A)
    t_solve = min(t_inv, t_np)  # the faster of the two: the conservative baseline
    print(f"one full Leontief solve: autarky {t_inv:.2f} s (LU + getri), numpy.linalg.inv {t_np:.2f} s")

    t_pymrio = float("nan")
    if not args.no_pymrio:
        io = to_pymrio(table)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _, t_pymrio = timed(io.calc_system)
        print(f"pymrio 0.7.0 calc_system (x, A, L): {t_pymrio:.2f} s")
        del io

    # autarky, batched: the model (and its one inverse) is built inside the timing
    def batched() -> tuple[IOModel, object]:
        model = IOModel(table)
        return model, extract(model, all_sector_scenarios(model, "backward"))

    (model, result), t_batched = timed(batched)
    print(f"autarky: all {n} single-sector backward extractions, inverse included: {t_batched:.2f} s")
    for kind, ext in (("leontief", "forward"), ("leontief", "total"), ("ghosh", "forward")):
        _, t_more = timed(extract, model, all_sector_scenarios(model, ext), kind=kind)  # type: ignore[arg-type]
        print(f"         + all {n} {ext} ({kind}) on the same model: {t_more:.2f} s")

    scenarios = all_sector_scenarios(model, "backward")
    picks = np.random.default_rng(0).choice(n, size=min(args.brute, n), replace=False)
    full = extract(model, [scenarios[i] for i in picks], keep_output=True)
    brute_times, worst = [], 0.0
    for k, i in enumerate(picks):
        x_bar, t_b = timed(extract_brute_force, model, scenarios[i])
        brute_times.append(t_b)
        assert full.output is not None  # type: ignore[union-attr]
        worst = max(worst, float(np.abs(full.output[k] - x_bar).max() / table.x.max()))  # type: ignore[union-attr]
    t_brute = float(np.mean(brute_times))
    print(f"brute force, one scenario (rebuild A, LU solve): {t_brute:.2f} s; largest difference from the "
          f"batched result: {worst:.1e} of the largest output")

    print("\nratio = (one recomputation x scenarios) / autarky batched")
    print(f"  vs one full Leontief solve per scenario: {t_solve * n / t_batched:10.0f} x  (the faster solve above)")
    if not np.isnan(t_pymrio):
        print(f"  vs pymrio calc_system per scenario:       {t_pymrio * n / t_batched:10.0f} x")
    print(f"  vs an LU solve per scenario (no inverse): {t_brute * n / t_batched:10.0f} x")
    print(f"target: all {n} in under 10 s -> {'met' if t_batched < 10 else 'NOT met'} ({t_batched:.2f} s); "
          f">= 1,000x against recomputing the inverse -> "
          f"{'met' if t_solve * n / t_batched >= 1000 else 'NOT met'}")
    print(f"total output loss, largest scenario: {result.total_loss.max():.4g}")  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
