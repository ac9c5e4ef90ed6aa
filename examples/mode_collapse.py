"""Mode collapse under alternating minimization (seed 000, Algorithm 1): the generator's density over
iterations jumps to a single cell, then hops between the modes of p_r."""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from _common import args

from gantheory.engine import Grid, alternating_minimization, gaussian_mixture

a = args(__doc__)
g = Grid.uniform(-4.0, 4.0, 256)
p_r, p_g = gaussian_mixture(g, [-2.0, 2.0], 0.5), gaussian_mixture(g, [0.0], 1.0)
traj = alternating_minimization(p_r, p_g, g, steps=4 if a.quick else 6, keep_densities=True)
fig, axes = plt.subplots(1, len(traj.densities), figsize=(3 * len(traj.densities), 2.8), sharey=True)
for ax, (step, p) in zip(axes, traj.densities):
    ax.fill_between(g.points, p * g.cell_volume, color="C1", label="mass of $p_g$ per cell")
    ax.plot(g.points, p_r * g.cell_volume * 20, "k", lw=1, label="$p_r$ (x20)")
    ax.set_title(f"step {step}")
    ax.set_yscale("symlog", linthresh=1e-3)
axes[0].legend(fontsize=7)
fig.suptitle("Alternating minimization: collapse onto one cell, then cycling between the modes")
fig.tight_layout()
out = Path(a.out) / "mode_collapse.png"
fig.savefig(out, dpi=100)
print(out, "max cell mass per step:", np.round([h["max_cell_mass"] for h in traj.history], 3).tolist())
