"""Exact W1 (cityblock) on N x N grids: gantheory's min-cost flow vs POT's ``emd2``, same run.

gantheory solves a flow on the grid's neighbour edges (2 d n variables, SciPy HiGHS); POT builds the
dense n x n cost matrix, so it stops at the largest size whose matrix fits comfortably (``--pot-max``).
Issue 6: 128 x 128 under 10 s here, and the ratio to POT at the largest size POT handles.

    python benchmarks/bench_w1.py [--sizes 32 64 128] [--pot-max 64]
"""

from __future__ import annotations

import argparse
import time

from gantheory.engine import Grid, gaussian_mixture, wasserstein1


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[32, 64, 128])
    ap.add_argument("--pot-max", type=int, default=64)
    args = ap.parse_args(argv)
    out = {}
    for n in args.sizes:
        g = Grid.uniform([0.0, 0.0], [1.0, 1.0], [n, n])
        p = gaussian_mixture(g, [[0.2, 0.2], [0.8, 0.7]], 0.1)
        q = gaussian_mixture(g, [[0.5, 0.5]], 0.2)
        t = time.perf_counter()
        ours = wasserstein1(p, q, g, metric="cityblock")
        t_ours = time.perf_counter() - t
        line = f"{n:>4} x {n:<4} gantheory {t_ours:7.2f} s (W1 = {ours.distance:.6f})"
        if n <= args.pot_max:
            import ot

            pts = g.points.reshape(-1, 2)
            t = time.perf_counter()
            M = ot.dist(pts, pts, metric="cityblock")
            a, b = p.ravel() * g.cell_volume, q.ravel() * g.cell_volume
            ref = ot.emd2(a, b * a.sum() / b.sum(), M, numItermax=10**8)
            t_pot = time.perf_counter() - t
            line += f" | POT emd2 {t_pot:7.2f} s (W1 = {ref:.6f}) | ratio ours/POT = {t_ours / t_pot:.3f}"
            out[n] = t_ours / t_pot
        print(line)
    return out


if __name__ == "__main__":
    main()
