"""GLGD (the seed's projected step) against the multiplicative (mirror) variant: C(R) - 2 log 2, KL and
W1 on a log scale, on the same problem."""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from _common import args

from gantheory.engine import Grid, gaussian_mixture, glgd

a = args(__doc__)
g = Grid.uniform(-4.0, 4.0, 256)
p_r, p_g = gaussian_mixture(g, [-2.0, 2.0], 0.5), gaussian_mixture(g, [0.0], 1.0)
steps = 40 if a.quick else 300
fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
for method, style in (("projected", "-"), ("mirror", "--")):
    traj = glgd(p_r, p_g, g, steps=steps, method=method)
    s = [h["step"] for h in traj.history]
    for ax, key, f in zip(axes, ("objective", "kl", "w1"), (lambda c: c - 2 * np.log(2), lambda x: x, lambda x: x)):
        ax.semilogy(s, np.maximum([f(h[key]) for h in traj.history], 1e-16), style, label=method)
for ax, title in zip(axes, ("C(R) - 2 log 2", "KL(p_g || p_r)", "W1(p_r, p_g)")):
    ax.set_title(title)
    ax.set_xlabel("step")
    ax.legend()
fig.suptitle("GLGD: the seed's step (slow where p_r is small) vs the mirror step")
fig.tight_layout()
out = Path(a.out) / "glgd_vs_mirror.png"
fig.savefig(out, dpi=100)
print(out)
