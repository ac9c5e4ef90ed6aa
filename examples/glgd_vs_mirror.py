"""GLGD (the seed's projected step) against the multiplicative (mirror) variant: C(R) - 2 log 2, KL and
W1 on a log scale, on the same problem."""

from pathlib import Path

from _common import args

from gantheory.figures import glgd_vs_mirror

a = args(__doc__)
res = glgd_vs_mirror(Path(a.out) / "glgd_vs_mirror.png", quick=a.quick)
print(res["path"], {m: res[m] for m in ("projected", "mirror")})
