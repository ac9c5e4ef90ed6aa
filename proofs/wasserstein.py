"""Wasserstein duality, the generator gradient, and the manifold example (seeds 000, 002).

Run: python proofs/wasserstein.py
"""

import sys

import numpy as np

from gantheory.engine import Grid, gaussian_mixture, lipschitz_constant, wasserstein1
from gantheory.report._proof import run_topic

g = Grid.uniform(-4.0, 4.0, 512)
p_r, p_g = gaussian_mixture(g, [-2.0, 2.0], 0.5), gaussian_mixture(g, [0.0], 1.0)
res = wasserstein1(p_r, p_g, g)
steps = [
    ("W1 between a bimodal p_r and N(0, 1) on a 512-cell grid (CDF formula):", lambda: res.distance),
    ("the critic attains it: sum((p_r - p_g) f*) * cell volume =",
     lambda: float(np.sum((p_r - p_g) * res.critic) * g.cell_volume)),
    ("and is 1-Lipschitz: largest slope between neighbouring cells =", lambda: lipschitz_constant(res.critic, g)),
]
sys.exit(run_topic(["wasserstein"], "Wasserstein", steps))
