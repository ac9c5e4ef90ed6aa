"""`gantheory train fgan` on a small parametric GAN, drawn beside what the theory predicts (the figure of its
--plot, from the run whose numbers the caption quotes)."""

from pathlib import Path

from _common import args

from gantheory.figures import train_fgan

a = args(__doc__)
res = train_fgan(Path(a.out) / "train_fgan.png", quick=a.quick)
print(res["caption"])
print(res["path"])
