"""Algorithm 1 of Goodfellow et al. (2014) on 2-D data: the parametric GAN of :mod:`gantheory.engine._training`
one dimension up, with the theory evaluated on a 2-D grid.

- data: a mixture of isotropic 2-D Gaussians, p_data(x) = sum_i pi_i N(x; m_i, s_i^2 I);
- generator: G_theta(z) = (mu1 + e^{l1} z1, mu2 + e^{l2} z2), z ~ N(0, I), theta = (mu1, mu2, l1, l2), so
  p_g = N(mu, diag(e^{2 l})) exactly;
- discriminator: D_w(x) = sigmoid(w . phi(x)), phi(x) = (1, x1, x2, x1^2, x1 x2, x2^2). For one Gaussian
  against another the log-ratio log p_data / p_g is a quadratic in x, so D* = p_data / (p_data + p_g) is in
  the family.

The losses are written once in SymPy and their gradients derived and lambdified, as in 1-D. Each record
holds the learned D against D*, V(D_w, G) against its maximum over D, -log 4 + 2 JSD, KL, JSD and the exact
W1 (the engine's network simplex on the grid), and the modes p_g covers.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

__all__ = ["TrainingGAN2D", "goodfellow2d", "density2d"]


@dataclass(frozen=True)
class TrainingGAN2D:
    """2-D data: component means ``means`` ((x, y) each), isotropic ``stds`` and ``weights``; the theory's
    grid is ``cells`` x ``cells`` on [lo, hi]^2."""

    means: tuple = ((-2.0, 0.0), (2.0, 0.0))
    stds: tuple = (0.5, 0.5)
    weights: tuple = (0.5, 0.5)
    lo: float = -5.0
    hi: float = 5.0
    cells: int = 48

    def __post_init__(self):
        try:
            m = np.asarray(self.means, dtype=float).reshape(-1, 2)
        except (TypeError, ValueError):
            raise ValueError(f"means must be pairs of numbers, got {self.means!r}") from None
        k = m.shape[0]
        s = np.broadcast_to(np.asarray(self.stds, dtype=float).reshape(-1), (k,)) if np.size(self.stds) in (1, k) \
            else None
        p = np.asarray(self.weights, dtype=float).reshape(-1)
        if s is None or p.size != k or not (np.all(np.isfinite(m)) and np.all(np.isfinite(s)) and
                                            np.all(np.isfinite(p))):
            raise ValueError(f"means, stds and weights must be {k} finite pairs, numbers and numbers")
        from gantheory.engine._training import _check_mixture

        _check_mixture(m, s, p, self.lo, self.hi, self.cells, (16, 256), f"[{self.lo}, {self.hi}]^2")
        object.__setattr__(self, "means", tuple(map(tuple, m.tolist())))
        object.__setattr__(self, "stds", tuple(s.tolist()))
        object.__setattr__(self, "weights", tuple(p.tolist()))

    @functools.cached_property
    def grid(self):
        from gantheory.engine._grid import Grid

        return Grid.uniform((self.lo, self.lo), (self.hi, self.hi), (self.cells, self.cells))

    def sample(self, rng, n: int) -> np.ndarray:
        k = rng.choice(len(self.means), size=n, p=np.asarray(self.weights))
        return np.asarray(self.means)[k] + np.asarray(self.stds)[k, None] * rng.standard_normal((n, 2))


@functools.lru_cache(maxsize=1)
def _derivatives2d():
    """Per-sample losses and gradients in 2-D, derived by SymPy and lambdified."""
    from scipy.special import expit, log_expit

    from gantheory.engine._training import _LogSigmoid, _Sigmoid

    x1, x2, z1, z2 = sp.symbols("x1 x2 z1 z2", real=True)
    th = sp.symbols("mu1 mu2 l1 l2", real=True)
    w = sp.symbols("w0:6", real=True)
    score = lambda a, b: w[0] + w[1] * a + w[2] * b + w[3] * a**2 + w[4] * a * b + w[5] * b**2  # noqa: E731
    g1, g2 = th[0] + sp.exp(th[2]) * z1, th[1] + sp.exp(th[3]) * z2
    log_d_real, log_1m_d_fake = _LogSigmoid(score(x1, x2)), _LogSigmoid(-score(g1, g2))
    losses = {"saturating": log_1m_d_fake, "nonsaturating": -_LogSigmoid(score(g1, g2))}
    mods = [{"_Sigmoid": expit, "_LogSigmoid": log_expit}, "numpy"]
    grad = lambda e, v: [sp.diff(e, s) for s in v]  # noqa: E731
    return {"d_real": sp.lambdify((x1, x2, w), grad(log_d_real, w), mods),
            "d_fake": sp.lambdify((z1, z2, w, th), grad(log_1m_d_fake, w), mods),
            "g": {k: sp.lambdify((z1, z2, w, th), grad(e, th), mods) for k, e in losses.items()},
            "d": sp.lambdify((x1, x2, w), _Sigmoid(score(x1, x2)), mods),
            "log_d": sp.lambdify((x1, x2, w), log_d_real, mods),
            "log_1m_d": sp.lambdify((x1, x2, w), _LogSigmoid(-score(x1, x2)), mods)}


def density2d(grid, theta) -> np.ndarray:
    """p_g = N((mu1, mu2), diag(e^{2 l1}, e^{2 l2})) at the cell centres, normalized on the grid; ValueError when
    the grid holds (almost) none of its mass."""
    from scipy.special import ndtr

    mu1, mu2, l1, l2 = (float(t) for t in theta)
    if not all(math.isfinite(t) for t in (mu1, mu2, l1, l2)) or max(l1, l2) > 700:
        raise ValueError(f"the generator's parameters must be finite, got {[mu1, mu2, l1, l2]}")
    s1, s2 = math.exp(l1), math.exp(l2)
    if not (s1 > 0 and s2 > 0):
        raise ValueError(f"the generator's scales must be positive, got {s1}, {s2}")
    lo, hi = grid.low[0], grid.high[0]
    captured = (ndtr((hi - mu1) / s1) - ndtr((lo - mu1) / s1)) * (ndtr((hi - mu2) / s2) - ndtr((lo - mu2) / s2))
    if not captured >= 1e-9:
        raise ValueError(f"the grid holds only {captured:.3g} of the generator's mass")
    x, y = grid.points[..., 0], grid.points[..., 1]
    with np.errstate(over="ignore", under="ignore"):
        logs = -((x - mu1) / s1) ** 2 / 2 - ((y - mu2) / s2) ** 2 / 2
        p = np.exp(logs - np.max(logs))
    return p / (np.sum(p) * grid.cell_volume)


def _theory2d(gan: TrainingGAN2D, w, theta) -> dict:
    from gantheory.engine import jsd, kl, wasserstein1
    from gantheory.engine._grid import gaussian_mixture

    grid, der = gan.grid, _derivatives2d()
    x, y = grid.points[..., 0], grid.points[..., 1]
    pd = gaussian_mixture(grid, [list(m) for m in gan.means], list(gan.stds), list(gan.weights))
    pg = density2d(grid, theta)
    dv = grid.cell_volume
    mix = pd + pg
    d_star = np.divide(pd, mix, out=np.full_like(mix, 0.5), where=mix > 0)
    d = der["d"](x, y, w)
    value = float(np.sum(pd * der["log_d"](x, y, w) + pg * der["log_1m_d"](x, y, w)) * dv)
    js = jsd(pd, pg, grid)
    covered = [bool(np.sum(pg[(x - mx) ** 2 + (y - my) ** 2 <= (2 * s) ** 2]) * dv >= 0.05)
               for (mx, my), s in zip(gan.means, gan.stds)]
    return {"d_gap": float(np.sum(mix / 2 * np.abs(d - d_star)) * dv), "value": value,
            "value_at_optimal_d": -math.log(4) + 2 * js, "jsd": js, "kl": kl(pg, pd, grid),
            "w1": float(wasserstein1(pd, pg, grid).distance), "modes_covered": int(sum(covered)),
            "mu": [float(theta[0]), float(theta[1])], "sigma": [math.exp(theta[2]), math.exp(theta[3])]}


def goodfellow2d(gan: TrainingGAN2D | None = None, *, steps: int = 2000, k: int = 1, m: int = 64,
                 lr_d: float = 0.05, lr_g: float = 0.02, loss: str = "nonsaturating", theta0=(0.0, 0.0, 0.0, 0.0),
                 seed: int = 0, record_every: int = 10, on_step: Callable[[int, int], None] | None = None,
                 _d_sign: float = 1.0):
    """Algorithm 1 on 2-D data (see the module's docstring): ``steps`` iterations of ``k`` discriminator
    ascent steps and one generator descent step on minibatches of ``m``."""
    from gantheory.engine._training import TrainingRun, _as_array, _batch_mean, _check_algorithm_one, _train_loop

    gan = TrainingGAN2D() if gan is None else gan
    _check_algorithm_one(steps, record_every, k, m, lr_d, lr_g, loss)
    der = _derivatives2d()
    rng = np.random.default_rng(seed)
    w = np.zeros(6)
    theta = _as_array(theta0, 4, "theta0 (mu1, mu2, l1, l2)").copy()
    settings = {"k": k, "m": m, "lr_d": lr_d, "lr_g": lr_g, "loss": loss, "seed": seed, "steps": steps,
                "data": {"means": [list(mm) for mm in gan.means], "stds": list(gan.stds),
                         "weights": list(gan.weights)},
                "generator": "2-D location-scale: G(z) = (mu1 + e^l1 z1, mu2 + e^l2 z2), z ~ N(0, I)",
                "discriminator": "logistic on (1, x1, x2, x1^2, x1 x2, x2^2)"}
    run = TrainingRun("goodfellow", settings, w, theta, generator="location-scale-2d")
    g_grad = der["g"][loss]

    def iteration(it):
        for _ in range(k):
            xs, zs = gan.sample(rng, m), rng.standard_normal((m, 2))
            ascent = (_batch_mean(der["d_real"](xs[:, 0], xs[:, 1], w), m)
                      + _batch_mean(der["d_fake"](zs[:, 0], zs[:, 1], w, theta), m))
            w[:] += _d_sign * lr_d * ascent
        zs = rng.standard_normal((m, 2))
        theta[:] -= lr_g * _batch_mean(g_grad(zs[:, 0], zs[:, 1], w, theta), m)

    return _train_loop(run, gan, steps, record_every, iteration, lambda: _theory2d(gan, w, theta), on_step,
                       "lr_d or lr_g")
