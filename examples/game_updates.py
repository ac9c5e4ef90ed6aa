"""Simultaneous GD on the parametric WGAN of ``gantheory train game``, without and with consensus
optimization: the spectral radius against the step size with measured rates, and one run each."""

from pathlib import Path

from _common import args

from gantheory.figures import game_updates

a = args(__doc__)
res = game_updates(Path(a.out) / "game_updates.png", quick=a.quick)
for r in res["runs"]:
    print(f"{r['reg']}: h={r['h']} rho={r['rho']:.6f} {r['verdict']} measured={r['measured_rate']:.6f}")
print(res["path"])
