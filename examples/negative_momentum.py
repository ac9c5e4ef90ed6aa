"""Negative momentum on the bilinear game (seed 004, Sec. 4; Gidel et al. 2019): spectral radius of
alternating and simultaneous heavy-ball updates as beta goes negative, and one trajectory each."""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from _common import args

from gantheory.engine._dynamics import linearization, simulate

a = args(__doc__)
betas = np.linspace(-0.9, 0.5, 15 if a.quick else 57)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
for opt in ("altgd", "simgd"):
    rho = [linearization("bilinear", "gan", "none", opt, 0.5, beta=float(b))["spectral_radius"] for b in betas]
    ax1.plot(betas, rho, label=opt)
ax1.axhline(1, color="k", lw=0.5)
ax1.set(xlabel="momentum beta", ylabel="spectral radius", title="bilinear game, h = 0.5")
ax1.legend()
for opt, beta in (("altgd", -0.5), ("altgd", 0.0), ("simgd", -0.5)):
    # one simulation per curve, every iterate recorded: momentum state carries over between steps
    with np.errstate(all="ignore"):
        sim = simulate(np.array([1.0]), np.array([0.0]), 0.5, game="bilinear", optimizer=opt, beta=beta,
                       steps=60 if a.quick else 150, track=False, record=1)
    pts = sim.path[:, 0, :]
    rho = linearization("bilinear", "gan", "none", opt, 0.5, beta=beta)["spectral_radius"]
    ax2.plot(pts[:, 0], pts[:, 1], lw=0.8, label=f"{opt}, beta = {beta} (rho = {rho:.4f})")
    d = np.linalg.norm(pts, axis=1)
    half = len(d) // 2  # the rate of the plotted curve over its second half (transients gone)
    print(f"curve {opt} beta={beta} rho={rho:.6f} plotted_rate={(d[-1] / d[half]) ** (1 / (len(d) - 1 - half)):.6f}")
ax2.set(xlim=(-3, 3), ylim=(-3, 3), title="trajectories from (1, 0)")
ax2.legend(fontsize=8)
fig.tight_layout()
out = Path(a.out) / "negative_momentum.png"
fig.savefig(out, dpi=100)
print(out)
