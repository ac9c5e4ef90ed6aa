"""Negative momentum on the bilinear game (seed 004, Sec. 4; Gidel et al. 2019): spectral radius of
alternating and simultaneous heavy-ball updates as beta goes negative, and one trajectory each."""

from pathlib import Path

from _common import args

from gantheory.figures import negative_momentum

a = args(__doc__)
res = negative_momentum(Path(a.out) / "negative_momentum.png", quick=a.quick)
for c in res["curves"]:
    print(f"curve {c['optimizer']} beta={c['beta']} rho={c['rho']:.6f} plotted_rate={c['plotted_rate']:.6f}")
print(res["path"])
