"""One GLGD step on a 2^22-cell grid, as a ratio to one ``np.log1p`` pass over the same grid.

The step must evaluate log(1 + R) once (the gradient of g at the Bayes discriminator, and C(R) for
the monotonicity check). Baseline: ``np.log1p(R, out=buf)`` into a preallocated buffer, timed in the
same run and the same conditions: the stepper reuses its buffers, so the baseline does not allocate
either. Measured: the marginal cost of a step as ``glgd(..., record_every=0)`` runs it -- 20 steps of
``glgd_stepper`` from a fresh copy of the state (copies and the stepper's setup untimed), trial steps
rejected by the C(R) check included -- once with the compiled kernels (Numba, the ``fast`` extra) and
once with ``GANTHEORY_COMPILED=0`` (NumPy only). Medians of repeats; ``--busy`` keeps the other core busy.
Issue 13 asks for at most 3x, quiet or loaded (goal 2.5x: the memory floor of reading R, L, p_r and
writing R, L).

``--reference wide`` runs the same on a reference with a high dynamic range (issue #30): two narrow modes
(std 0.02) over a 1e-3 floor, so R = p_g / p_r spans about five orders of magnitude. Each run also times the
fixed cost of a call, ``glgd(..., steps=1)`` with the default diagnostics minus one step, in log1p passes
(target <= 20).

    python benchmarks/bench_glgd.py [--log2n 22] [--steps 20] [--busy] [--reference {readme,wide}]
"""

from __future__ import annotations

import argparse
import os

import numpy as np
from _timing import busy_core, median_of

from gantheory.engine import Grid, gaussian_mixture
from gantheory.engine._algorithms import glgd_init, glgd_stepper
from gantheory.engine._backend import compiled


def naive_step(R, p_r, vol, alpha):
    """The seed's step written directly: gradient, P_o, step, renormalize, C(R)."""
    grad = p_r * np.log(1 + R)
    direction = grad - np.sum(grad * p_r) * vol / (np.sum(p_r * p_r) * vol) * p_r
    R_new = R - alpha * direction
    R_new = R_new / (np.sum(p_r * R_new) * vol)
    C = np.sum(p_r * (1 + R_new) * np.log(1 + R_new)) * vol
    return R_new, C


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--log2n", type=int, default=22)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--busy", action="store_true", help="keep the other core busy while measuring")
    ap.add_argument("--reference", choices=("readme", "wide"), default="readme",
                    help="readme: the README's problem; wide: two narrow modes over a 1e-3 floor")
    args = ap.parse_args(argv)
    grid = Grid.uniform(-4.0, 4.0, 2**args.log2n)
    if args.reference == "wide":  # modes of std 0.02 over a density floor of 1e-3
        p_r = gaussian_mixture(grid, [-2.0, 2.0], 0.02) * (1 - 8e-3) + 1e-3
    else:
        p_r = gaussian_mixture(grid, [-2.0, 2.0], 0.5) * 0.98 + 0.02 / 8.0  # positive everywhere
    p_g = gaussian_mixture(grid, [0.0], 1.0)
    print(f"reference {args.reference}: R = p_g / p_r spans {float(np.min(p_g / p_r)):.3g} .. "
          f"{float(np.max(p_g / p_r)):.3g}")
    buf = np.empty_like(p_g)
    R_base = p_g / p_r
    state = glgd_init(p_r, p_g, grid, 1.0)

    def fresh():
        return state._replace(R=state.R.copy(), L=state.L.copy()), glgd_stepper(p_r, grid, 1.0)

    def run(prepared):
        s, update = prepared
        for _ in range(args.steps):
            s, _ = update(s)

    out = {}
    label = "busy (the other core runs NumPy passes)" if args.busy else "quiet"
    with busy_core(args.busy):
        base = median_of(lambda: np.log1p(R_base, out=buf), repeat=4 * args.repeat)
        print(f"grid 2^{args.log2n}, {label}; baseline np.log1p(R, out=buf) into a preallocated buffer: "
              f"{base * 1e3:.2f} ms (median of {4 * args.repeat})")
        paths = [("compiled", "1"), ("numpy", "0")] if compiled() is not None else [("numpy", "0")]
        old = os.environ.get("GANTHEORY_COMPILED")
        try:
            for name, flag in paths:
                os.environ["GANTHEORY_COMPILED"] = flag
                ours = median_of(run, repeat=args.repeat, setup=fresh) / args.steps
                out[name] = ours / base
                print(f"  GLGD step, {name + ' path:':15} {ours * 1e3:6.2f} ms = {ours / base:.2f} x log1p "
                      "(target <= 3, goal 2.5)")
        finally:
            if old is None:
                os.environ.pop("GANTHEORY_COMPILED", None)
            else:
                os.environ["GANTHEORY_COMPILED"] = old
        from gantheory.engine import glgd

        one = median_of(lambda: glgd(p_r, p_g, grid, steps=1, step_size=1.0), repeat=args.repeat)
        fixed = one - out[paths[0][0]] * base  # a call of one step, less the step
        out["fixed_cost_passes"] = fixed / base
        print(f"  fixed cost of a call (glgd(steps=1) with the default diagnostics, less one step): "
              f"{fixed * 1e3:.1f} ms = {fixed / base:.1f} log1p passes (target <= 20)")
        R0 = p_g / p_r
        naive = median_of(lambda: naive_step(R0, p_r, grid.cell_volume, 1.0), repeat=args.repeat)
        out["naive"] = naive / base
        print(f"  naive NumPy step:      {naive * 1e3:6.2f} ms = {naive / base:.2f} x log1p (allocates temporaries)")
    return out


if __name__ == "__main__":
    main()
