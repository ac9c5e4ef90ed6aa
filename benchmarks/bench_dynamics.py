"""Batched Dirac-GAN simulator: trajectory-steps per second, as a ratio to one exp pass.

For 10^6 trajectories, one simultaneous-GD step on the Dirac-GAN (GAN loss) must evaluate one
transcendental per trajectory; the baseline is one ``np.exp`` over an array of that size, timed in
the same run. Target (issue 5): at most 6x.

    python benchmarks/bench_dynamics.py [--n 1000000] [--steps 50]
"""

from __future__ import annotations

import argparse

import numpy as np
from _timing import best_of

from gantheory.engine._dynamics import simulate


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--steps", type=int, default=50)
    args = ap.parse_args(argv)
    rng = np.random.default_rng(0)
    th, ps = rng.normal(size=args.n) * 0.1, rng.normal(size=args.n) * 0.1
    exp_pass = best_of(lambda: np.exp(th))
    simulate(th[:10], ps[:10], 0.1, steps=2, track=False)  # warm the lambdify cache
    for optimizer in ("simgd", "altgd", "extragradient"):
        total = best_of(lambda: simulate(th, ps, 0.1, optimizer=optimizer, steps=args.steps, track=False), repeat=3)
        per_step = total / args.steps
        print(f"{optimizer:>14}: {args.n * args.steps / total:.3g} trajectory-steps/s; one step = "
              f"{per_step / exp_pass:.2f} x one exp pass ({per_step * 1e3:.1f} ms vs {exp_pass * 1e3:.1f} ms)")
        if optimizer == "simgd":
            ratio = per_step / exp_pass
    print(f"simgd target: <= 6x -> {'met' if ratio <= 6 else 'NOT met'} ({ratio:.2f}x)")
    return {"simgd_ratio": ratio}


if __name__ == "__main__":
    main()
