"""The Wasserstein algorithm (seed 000, Method 3) with its exact critic: densities over iterations,
and the 1-Lipschitz critic f* of the first step, next to the Bayes discriminator 1/(1+R)."""

from pathlib import Path

from _common import args

from gantheory.figures import wasserstein_critic

a = args(__doc__)
res = wasserstein_critic(Path(a.out) / "wasserstein_critic.png", quick=a.quick)
print(res["path"], f"W1 {res['w1_first']:.4f} -> {res['w1_last']:.4f}")
