"""Batched Dirac-GAN simulator: trajectory-steps per second, as a ratio to one exp pass.

For 10^6 trajectories, one simultaneous-GD step on the Dirac-GAN (GAN loss) must evaluate one
transcendental per trajectory. Baseline: one ``np.exp(x, out=buf)`` over an array of that size into a
preallocated buffer (the simulator reuses its buffers, so the baseline does not pay for allocation
either), timed in the same run and conditions. Measured: ``simulate(...)`` as users call it
(``track=True``: the rate and divergence checkpoints), whole calls divided by the steps, so the fixed
cost of a call (validation, checkpoints, results) is included. simgd runs an in-place kernel: compiled
(Numba, the ``fast`` extra) or NumPy ufuncs (``GANTHEORY_COMPILED=0``); altgd and extragradient run
the generic Array-API step. Medians of repeats; ``--busy`` keeps the other core busy. Target (issue 13):
at most 3x for simgd.

    python benchmarks/bench_dynamics.py [--n 1000000] [--steps 50] [--busy]
"""

from __future__ import annotations

import argparse
import os

import numpy as np
from _timing import busy_core, median_of

from gantheory.engine._backend import compiled
from gantheory.engine._dynamics import simulate


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--busy", action="store_true", help="keep the other core busy while measuring")
    args = ap.parse_args(argv)
    rng = np.random.default_rng(0)
    th, ps = rng.normal(size=args.n) * 0.1, rng.normal(size=args.n) * 0.1
    buf = np.empty_like(th)
    simulate(th[:10], ps[:10], 0.1, steps=2, track=False)  # warm the lambdify cache
    out = {}
    old = os.environ.get("GANTHEORY_COMPILED")
    with busy_core(args.busy):
        exp_pass = median_of(lambda: np.exp(th, out=buf), repeat=20)
        print(f"{args.n} trajectories, {args.steps} steps, {'busy' if args.busy else 'quiet'}; baseline "
              f"np.exp(x, out=buf) into a preallocated buffer: {exp_pass * 1e3:.2f} ms (median of 20)")
        runs = [("simgd", "1"), ("simgd", "0")] if compiled() is not None else [("simgd", "0")]
        try:
            for optimizer, flag in runs + [("altgd", "0"), ("extragradient", "0")]:
                os.environ["GANTHEORY_COMPILED"] = flag
                total = median_of(lambda: simulate(th, ps, 0.1, optimizer=optimizer, steps=args.steps), repeat=3)
                per_step = total / args.steps
                label = optimizer + (" (compiled)" if flag == "1" else " (numpy)" if optimizer == "simgd" else "")
                print(f"{label:>18}: {args.n * args.steps / total:.3g} trajectory-steps/s; one step = "
                      f"{per_step / exp_pass:.2f} x one exp pass ({per_step * 1e3:.2f} ms)")
                out[label] = per_step / exp_pass
        finally:
            if old is None:
                os.environ.pop("GANTHEORY_COMPILED", None)
            else:
                os.environ["GANTHEORY_COMPILED"] = old
    best = min(v for k, v in out.items() if k.startswith("simgd"))
    print(f"simgd target: <= 3x -> {'met' if best <= 3 else 'NOT met'} ({best:.2f}x)")
    return out


if __name__ == "__main__":
    main()
