"""Dirac-GAN phase portraits for every regularizer and optimizer, with the update eigenvalues against
the unit circle (seed 002; Mescheder et al. 2018)."""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from _common import args

from gantheory._dynamics_cli import analyse
from gantheory.engine._dynamics import numeric_field, simulate

a = args(__doc__)
regs = ["none", "instance-noise", "r1", "consensus", "wgan-gp"]
opts = ["simgd", "altgd", "extragradient", "optimistic"]
if a.quick:
    regs, opts = ["none", "r1"], ["simgd", "altgd"]
fig, axes = plt.subplots(len(regs), len(opts), figsize=(3.2 * len(opts), 3.0 * len(regs)), squeeze=False)
grid = np.linspace(-2, 2, 13)
T, P = np.meshgrid(grid, grid, indexing="ij")
for i, reg in enumerate(regs):
    loss = "wgan" if reg == "wgan-gp" else "gan"
    v = numeric_field("dirac", loss, reg, 1.0, 1.0)
    with np.errstate(all="ignore"):
        A, B = v(T.ravel(), P.ravel())
    for j, opt in enumerate(opts):
        ax = axes[i][j]
        ax.quiver(T.ravel(), P.ravel(), A, B, color="0.75", angles="xy")
        # one simulation from two starting points, every iterate recorded (optimizer state carries over)
        with np.errstate(all="ignore"):
            sim = simulate(np.array([1.5, -1.0]), np.array([0.0, 1.2]), 0.2, loss=loss, reg=reg, optimizer=opt,
                           steps=150 if a.quick else 400, track=False, record=2)
        ax.plot(np.clip(sim.path[:, :, 0], -5, 5), np.clip(sim.path[:, :, 1], -5, 5), lw=0.8)
        res = analyse("dirac", loss, reg, opt, 0.2, trajectories=2)
        rho = res["spectral_radius"]
        ax.set_title(f"{reg} / {opt}\n" + (f"rho = {rho:.4f}" if rho is not None else "no linearization"),
                     fontsize=8)
        ax.set(xlim=(-2, 2), ylim=(-2, 2))
        if res["update_eigenvalues"]:
            inset = ax.inset_axes([0.68, 0.68, 0.3, 0.3])
            c = np.exp(1j * np.linspace(0, 2 * np.pi, 200))
            inset.plot(c.real, c.imag, "k", lw=0.5)
            ue = np.array(res["update_eigenvalues"])
            inset.plot(ue[:, 0], ue[:, 1], "rx", ms=4)
            inset.set(xticks=[], yticks=[], aspect="equal")
fig.tight_layout()
out = Path(a.out) / "dirac_phase_portraits.png"
fig.savefig(out, dpi=90)
print(out)
