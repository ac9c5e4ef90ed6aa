"""The Wasserstein algorithm (seed 000, Method 3) with its exact critic: densities over iterations,
and the 1-Lipschitz critic f* of the first step, next to the Bayes discriminator 1/(1+R)."""

from pathlib import Path

import matplotlib.pyplot as plt
from _common import args

from gantheory.engine import Grid, gaussian_mixture, wasserstein1, wasserstein_descent

a = args(__doc__)
g = Grid.uniform(-4.0, 4.0, 256)
p_r, p_g = gaussian_mixture(g, [-2.0, 2.0], 0.5), gaussian_mixture(g, [0.0], 1.0)
traj = wasserstein_descent(p_r, p_g, g, steps=20 if a.quick else 150, record_every=10, method="mirror",
                           keep_densities=True)
res = wasserstein1(p_r, p_g, g)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 3.8))
ax1.plot(g.points, p_r, "k", lw=2, label="$p_r$")
for k, (step, p) in enumerate(traj.densities):
    ax1.plot(g.points, p, color=plt.get_cmap("viridis")(k / max(1, len(traj.densities) - 1)), lw=1,
             label=f"$p_g$ step {step}" if k in (0, len(traj.densities) - 1) else None)
ax1.legend(fontsize=8)
ax1.set_title(f"Wasserstein descent (mirror step): W1 {traj.history[0]['w1']:.3f} -> {traj.history[-1]['w1']:.4f}")
ax2.plot(g.points, res.critic, label="critic $f^*$ (1-Lipschitz)")
ax2.plot(g.points, 1 / (1 + p_g / p_r), label="Bayes discriminator $1/(1+R)$")
ax2.legend(fontsize=8)
ax2.set_title("clean critic gradients vs a saturating discriminator")
fig.tight_layout()
out = Path(a.out) / "wasserstein_critic.png"
fig.savefig(out, dpi=100)
print(out)
