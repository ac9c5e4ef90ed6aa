"""`gantheory train dualing` on a small parametric GAN, drawn beside what the theory predicts (the figure of its
--plot, from the run whose numbers the caption quotes)."""

from pathlib import Path

from _common import args

from gantheory.figures import train_dualing

a = args(__doc__)
res = train_dualing(Path(a.out) / "train_dualing.png", quick=a.quick)
print(res["caption"])
print(res["path"])
