"""Batched Dirac-GAN simulator: trajectory-steps per second, as a ratio to one exp pass.

For 10^6 trajectories, one simultaneous-GD step on the Dirac-GAN (GAN loss) must evaluate one
transcendental per trajectory; the baseline is one ``np.exp(x, out=buf)`` over an array of that size
into a preallocated buffer (the simulator reuses its buffers, so the baseline does not pay for
allocation either), timed in the same run. The simulator runs as users call it: ``track=True`` (the
rate and divergence checkpoints) by default. Target (issue 13): at most 3x for simgd, which runs a
fused in-place NumPy kernel; altgd and extragradient run the generic Array-API step.

    python benchmarks/bench_dynamics.py [--n 1000000] [--steps 50]
"""

from __future__ import annotations

import argparse

import numpy as np
from _timing import median_of

from gantheory.engine._dynamics import simulate


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--steps", type=int, default=50)
    args = ap.parse_args(argv)
    rng = np.random.default_rng(0)
    th, ps = rng.normal(size=args.n) * 0.1, rng.normal(size=args.n) * 0.1
    buf = np.empty_like(th)
    exp_pass = median_of(lambda: np.exp(th, out=buf))
    simulate(th[:10], ps[:10], 0.1, steps=2, track=False)  # warm the lambdify cache
    for optimizer in ("simgd", "altgd", "extragradient"):
        total = median_of(lambda: simulate(th, ps, 0.1, optimizer=optimizer, steps=args.steps), repeat=3)
        per_step = total / args.steps
        print(f"{optimizer:>14}: {args.n * args.steps / total:.3g} trajectory-steps/s; one step = "
              f"{per_step / exp_pass:.2f} x one exp pass ({per_step * 1e3:.1f} ms vs {exp_pass * 1e3:.1f} ms)")
        if optimizer == "simgd":
            ratio = per_step / exp_pass
    print(f"simgd target: <= 3x -> {'met' if ratio <= 3 else 'NOT met'} ({ratio:.2f}x)")
    return {"simgd_ratio": ratio}


if __name__ == "__main__":
    main()
