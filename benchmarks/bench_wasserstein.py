"""The Wasserstein descent (seed 000, Method 3): cost per step against the grid size, in 1-D and in 2-D.

Each step needs the exact W1 critic (O(n) from the CDFs in 1-D), a Polyak step and, when the step
leaves {R >= 0, E[R] = 1}, the exact projection (a sort: O(n log n)). Measured: 30 steps of
``wasserstein_descent(..., record_every=0, diagnostics=())`` at three sizes (whole calls, medians of
repeats), the per-step time, its ratio to one ``np.log1p(x, out=buf)`` pass over the same grid
(preallocated, same run), and the scaling exponent fitted over the sizes (1 = linear). Issue 13 asks
for O(n) per step with the exponent measured, and for the default run to reduce W1 at least 20x.

In 2-D (cityblock) each step needs an exact min-cost flow on the grid (the compiled network simplex with
Numba). Measured: one whole ``wasserstein_descent(p_r, p_g, grid, steps=200)`` call with its defaults
(every step recorded, all diagnostics) on N x N cells, two modes at (-2, -2) and (2, 2) against one at
the centre; baseline: one exact ``wasserstein1`` of the starting pair, same run (median of repeats).
Issue 13: 256 x 256, 200 steps, under 60 s; issue #30: under 30 s on two cores, and 512 x 512 measured
(``--grid2d 512``).

    python benchmarks/bench_wasserstein.py [--log2n 14 16 18] [--steps 30] [--grid2d 128 256] [--steps2d 200]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _timing import median_of

from gantheory.engine import Grid, gaussian_mixture, wasserstein1, wasserstein_descent


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--log2n", type=int, nargs="+", default=[14, 16, 18])
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--grid2d", type=int, nargs="*", default=[128, 256])
    ap.add_argument("--steps2d", type=int, default=200)
    args = ap.parse_args(argv)
    sizes, per_step = [], []
    for k in args.log2n:
        n = 2**k
        g = Grid.uniform(-4.0, 4.0, n)
        p_r = gaussian_mixture(g, [-2.0, 2.0], 0.5)
        p_g = gaussian_mixture(g, [0.0], 1.0)
        buf = np.empty_like(p_g)
        base = median_of(lambda: np.log1p(p_g, out=buf), repeat=20)
        t = median_of(lambda: wasserstein_descent(p_r, p_g, g, steps=args.steps, record_every=0, diagnostics=()),
                      repeat=3) / args.steps
        tr = wasserstein_descent(p_r, p_g, g, steps=args.steps, record_every=0, diagnostics=())
        w0, w1 = tr.history[0]["objective"], tr.history[-1]["objective"]
        sizes.append(n)
        per_step.append(t)
        print(f"n = 2^{k}: {t * 1e3:8.3f} ms per step = {t / base:6.1f} x one log1p pass (baseline "
              f"np.log1p(x, out=buf), preallocated, {base * 1e3:.3f} ms); W1 {w0:.3g} -> {w1:.3g} "
              f"in {args.steps} steps ({w0 / w1:.0f}x)")
    slope = float(np.polyfit(np.log(sizes), np.log(per_step), 1)[0])
    print(f"scaling exponent of the time per step over n = {sizes}: {slope:.2f} (1 = O(n))")
    totals = {}
    for n in args.grid2d:
        g = Grid.uniform([-4.0, -4.0], [4.0, 4.0], [n, n])
        p_r = gaussian_mixture(g, [[-2.0, -2.0], [2.0, 2.0]], 0.5)
        p_g = gaussian_mixture(g, [[0.0, 0.0]], 1.0)
        solve = median_of(lambda: wasserstein1(p_r, p_g, g, metric="cityblock"), repeat=3)
        method = wasserstein1(p_r, p_g, g, metric="cityblock").method
        t0 = time.perf_counter()
        tr = wasserstein_descent(p_r, p_g, g, steps=args.steps2d)
        total = time.perf_counter() - t0
        w0, w1 = tr.history[0]["w1"], tr.history[-1]["w1"]
        totals[n] = total
        print(f"2-D {n} x {n}: {args.steps2d} steps in {total:.1f} s ({total / args.steps2d:.3f} s per step = "
              f"{total / args.steps2d / solve:.1f} x one exact W1 of the starting pair (baseline, {method}, "
              f"{solve:.3f} s)); W1 {w0:.4g} -> {w1:.4g} ({w0 / w1:.0f}x)")
    return {"exponent": slope, "per_step": dict(zip(sizes, per_step)), "totals_2d": totals}


if __name__ == "__main__":
    main()
