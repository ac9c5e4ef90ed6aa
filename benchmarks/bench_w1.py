"""Exact W1 on N x N grids: gantheory's solvers vs POT's ``emd2`` on the same densities, same run.

Baseline: POT's network simplex on the full problem as a user would call it -- the dense n x n cost
matrix (``ot.dist``) and ``ot.emd2`` between the two densities' cell masses -- timed including the
cost matrix. gantheory, Euclidean metric: POT's simplex between the supports of d+ and d- (d = p - q),
plus the c-transform critic; cityblock metric: the min-cost flow on the grid's neighbour edges by the
compiled network simplex (with Numba; else POT's simplex on small supports and HiGHS above), plus its
critic. The solver that ran is printed. The values must agree to 1e-12 relative (printed). Medians of
repeats. POT stops at ``--pot-max`` (its cost matrix has n^2 entries). Issue 13: Euclidean at least as
fast as POT on 16^2 - 64^2; issue 6: cityblock 128 x 128 under 10 s.

    python benchmarks/bench_w1.py [--sizes 16 32 64 128 256] [--pot-max 64]
"""

from __future__ import annotations

import argparse

import ot
from _timing import median_of

from gantheory.engine import Grid, gaussian_mixture, wasserstein1


def pot_w1(p, q, g, metric):
    pts = g.points.reshape(-1, 2)
    M = ot.dist(pts, pts, metric=metric)
    a, b = p.ravel() * g.cell_volume, q.ravel() * g.cell_volume
    return ot.emd2(a, b * a.sum() / b.sum(), M, numItermax=10**8)


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[16, 32, 64, 128, 256])
    ap.add_argument("--pot-max", type=int, default=64)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    out = {}
    print("baseline: POT ot.dist + ot.emd2 on the full n x n problem (median of repeats)")
    for metric in ("euclidean", "cityblock"):
        for n in args.sizes:
            if metric == "euclidean" and n > args.pot_max:
                continue  # exact Euclidean needs the pairs of the supports: the same n^2 as POT
            g = Grid.uniform([0.0, 0.0], [1.0, 1.0], [n, n])
            p = gaussian_mixture(g, [[0.2, 0.2], [0.8, 0.7]], 0.1)
            q = gaussian_mixture(g, [[0.5, 0.5]], 0.2)
            rep = 1 if n > 64 else args.repeat
            res = wasserstein1(p, q, g, metric=metric)
            ours = res.distance
            t_ours = median_of(lambda: wasserstein1(p, q, g, metric=metric), repeat=rep)
            line = f"{metric:>9} {n:>4} x {n:<4} gantheory {t_ours:8.3f} s ({res.method}, W1 = {ours:.12f})"
            if n <= args.pot_max:
                ref = pot_w1(p, q, g, metric)
                t_pot = median_of(lambda: pot_w1(p, q, g, metric), repeat=rep)
                line += (f" | POT {t_pot:8.3f} s, |rel diff| {abs(ours - ref) / ref:.1e}"
                         f" | time ours/POT = {t_ours / t_pot:.3f}")
                out[(metric, n)] = t_ours / t_pot
            print(line)
    return out


if __name__ == "__main__":
    main()
