"""Mode collapse under alternating minimization (seed 000, Algorithm 1): the generator's density over
iterations jumps to a single cell, then hops between the modes of p_r."""

from pathlib import Path

from _common import args

from gantheory.figures import mode_collapse

a = args(__doc__)
res = mode_collapse(Path(a.out) / "mode_collapse.png", quick=a.quick)
print(res["path"], "max cell mass per step:", [round(m, 3) for m in res["max_cell_mass"]])
