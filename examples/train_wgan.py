"""`gantheory train wgan` on a small parametric GAN, drawn beside what the theory predicts (the figure of its
--plot, from the run whose numbers the caption quotes)."""

from pathlib import Path

from _common import args

from gantheory.figures import train_wgan

a = args(__doc__)
res = train_wgan(Path(a.out) / "train_wgan.png", quick=a.quick)
print(res["caption"])
print(res["path"])
