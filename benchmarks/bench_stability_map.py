"""Stability maps: rho over a 1000 x 1000 grid of two hyperparameters, from the characteristic
polynomial's coefficients, as a ratio to the direct baseline -- numpy's batched eigenvalues of the
update matrices themselves (built elementwise from the same symbolic matrix), timed in the same run.

Degree 2 (extragradient on the bilinear game, h x gamma of consensus) uses closed-form roots; degree 4
(alternating GD with momentum, h x beta) uses batched companion matrices. Target (issue 12): seconds.

    python benchmarks/bench_stability_map.py [--n 1000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import sympy as sp
from _timing import median_of

from gantheory import stability as S


def _direct(setup, axes):
    """The baseline: the update matrix lambdified entrywise, stacked, and np.linalg.eigvals per point."""
    M = S.update_matrix(setup)
    names = list(axes)
    syms = [S.PARAMETERS[p] for p in names]
    grids = [np.linspace(lo, hi, n) for lo, hi, n in axes.values()]
    mesh = [m.ravel() for m in np.meshgrid(*grids, indexing="ij")]
    k = M.shape[0]
    stack = np.empty((mesh[0].size, k, k))
    for i in range(k):
        for j in range(k):
            entry = sp.lambdify(syms, M[i, j], "numpy")
            stack[:, i, j] = np.broadcast_to(np.asarray(entry(*mesh), dtype=float), mesh[0].shape)
    return np.max(np.abs(np.linalg.eigvals(stack)), axis=-1)


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    args = ap.parse_args(argv)
    n = args.n
    cases = {
        "altgd + momentum (degree 4), h x beta": (S.Setup("bilinear", "gan", "none", "altgd", momentum=True),
                                                  {"h": (0.01, 2.0, n), "beta": (-0.99, 0.99, n)}),
        "consensus simgd (degree 2), h x gamma": (S.Setup("dirac", "gan", "consensus", "simgd"),
                                                  {"h": (0.01, 2.0, n), "gamma": (0.0, 5.0, n)}),
    }
    out = {}
    print("baseline: numpy's batched eigenvalues (np.linalg.eigvals) of the update matrices, built elementwise "
          "from the same symbolic matrix; medians of 3")
    for label, (setup, axes) in cases.items():
        t0 = time.perf_counter()
        ours = S.stability_map(setup, axes, {})["rho"]
        first = time.perf_counter() - t0
        t_ours = median_of(lambda: S.stability_map(setup, axes, {}), repeat=3)
        t_base = median_of(lambda: _direct(setup, axes), repeat=3)
        err = float(np.max(np.abs(ours.ravel() - _direct(setup, axes))))
        print(f"{label}: {n}x{n} map in {t_ours:.2f} s (first call {first:.2f} s), direct eigvals {t_base:.2f} s: "
              f"ratio {t_ours / t_base:.2f}; largest difference {err:.1e}")
        out[label] = t_ours
    return out


if __name__ == "__main__":
    main()
