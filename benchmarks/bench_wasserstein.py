"""The Wasserstein descent (seed 000, Method 3) in 1-D: cost per step against the grid size.

Each step needs the exact W1 critic (O(n) from the CDFs in 1-D), a Polyak step and, when the step
leaves {R >= 0, E[R] = 1}, the exact projection (a sort: O(n log n)). Measured: 30 steps of
``wasserstein_descent(..., record_every=0, diagnostics=())`` at three sizes (whole calls, medians of
repeats), the per-step time, its ratio to one ``np.log1p(x, out=buf)`` pass over the same grid
(preallocated, same run), and the scaling exponent fitted over the sizes (1 = linear). Issue 13 asks
for O(n) per step with the exponent measured, and for the default run to reduce W1 at least 20x.

    python benchmarks/bench_wasserstein.py [--log2n 14 16 18] [--steps 30]
"""

from __future__ import annotations

import argparse

import numpy as np
from _timing import median_of

from gantheory.engine import Grid, gaussian_mixture, wasserstein_descent


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--log2n", type=int, nargs="+", default=[14, 16, 18])
    ap.add_argument("--steps", type=int, default=30)
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
    return {"exponent": slope, "per_step": dict(zip(sizes, per_step))}


if __name__ == "__main__":
    main()
