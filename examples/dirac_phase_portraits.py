"""Dirac-GAN phase portraits for every regularizer and optimizer, with the update eigenvalues against
the unit circle (seed 002; Mescheder et al. 2018)."""

from pathlib import Path

from _common import args

from gantheory.figures import dirac_phase_portraits

a = args(__doc__)
res = dirac_phase_portraits(Path(a.out) / "dirac_phase_portraits.png", quick=a.quick)
print(res["path"])
