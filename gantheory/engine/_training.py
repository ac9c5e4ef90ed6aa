"""The documents' training algorithms on a small parametric GAN whose densities are known in closed form.

The GAN (issue #29, first slice):

- data: a 1-D Gaussian mixture, p_data(x) = sum_i pi_i N(x; m_i, s_i^2);
- generator: location-scale of Gaussian noise, G_theta(z) = mu + exp(l) z with z ~ N(0, 1), theta = (mu, l),
  so p_g = N(mu, exp(2 l)) exactly;
- discriminator: logistic on quadratic features, D_w(x) = sigmoid(w0 + w1 x + w2 x^2). For one Gaussian
  against another the log-ratio log p_data/p_g is quadratic in x, so the optimal discriminator
  D* = p_data / (p_data + p_g) (Goodfellow et al. 2014, Prop. 1) is in the family: a run can reach it.

The losses are written once in SymPy; their gradients are derived by SymPy and lambdified (nothing is
differentiated by hand per model). The sigmoid and its logarithm are SymPy functions whose derivatives
SymPy knows and which evaluate with SciPy's ``expit`` / ``log_expit`` (no overflow at large scores).

Algorithm 1 of Goodfellow et al. (2014), seed 003: for each training iteration, k steps of stochastic
gradient *ascent* on the discriminator, each on a minibatch of m data samples and m noise samples, then
one step of stochastic gradient *descent* on the generator on m noise samples, with the saturating loss
log(1 - D(G(z))) as stated, or the non-saturating -log D(G(z)) the paper recommends in practice.

Every record holds, beside what training measures, what the theory says: the learned D against D*,
the value V(D_w, G) against its maximum over D, C(G) = -log 4 + 2 JSD(p_data || p_g) (the value is
computed by quadrature on a grid; V <= C(G) for every D), KL, JSD and W1 of p_g to p_data, and the
data modes that p_g covers.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import sympy as sp

__all__ = ["TrainingGAN", "TrainingRun", "GENERATORS", "generator_density", "curves", "goodfellow", "wgan_clipping",
           "clipped_critic_value", "fgan", "FGAN_DIVERGENCES", "dualing"]


class _Sigmoid(sp.Function):
    """sigma(a) = 1 / (1 + e^{-a}); d sigma / da = sigma (1 - sigma)."""

    def fdiff(self, argindex=1):
        return self * (1 - self)


class _LogSigmoid(sp.Function):
    """log sigma(a); d/da log sigma(a) = 1 - sigma(a) = sigma(-a)."""

    def fdiff(self, argindex=1):
        return _Sigmoid(-self.args[0])


#: the generator families: name -> (parameter names, a description)
GENERATORS = {
    "location-scale": (("mu", "l"), "location-scale: G(z) = mu + sigma z, z ~ N(0, 1)"),
    "mixture": (("mu1", "l1", "mu2", "l2"), "mixture: G(z, c) = mu_c + sigma_c z, z ~ N(0, 1), c uniform on {1, 2}"),
    "tanh": (("mu", "l", "k"), "nonlinear: G(z) = mu + e^l z + e^k tanh(z), z ~ N(0, 1) (increasing: its density "
             "is phi(z) / G'(z) at z = G^-1(x))"),
    #: 2-D data only (gantheory.engine._training2d)
    "location-scale-2d": (("mu1", "mu2", "l1", "l2"), "2-D location-scale: G(z) = (mu1 + e^l1 z1, mu2 + e^l2 z2)"),
}


def _generator_expr(kind: str, z, c):
    """G as a SymPy expression in the noise z, the component c (0 or 1; the mixture's only) and theta."""
    names = GENERATORS[kind][0]
    th = sp.symbols(" ".join(names), real=True)
    if kind == "location-scale":
        return th[0] + sp.exp(th[1]) * z, th
    if kind == "mixture":
        return (1 - c) * (th[0] + sp.exp(th[1]) * z) + c * (th[2] + sp.exp(th[3]) * z), th
    return th[0] + sp.exp(th[1]) * z + sp.exp(th[2]) * sp.tanh(z), th


@functools.lru_cache(maxsize=4)
def _derivatives(kind: str = "location-scale"):
    """The per-sample losses and their gradients for the generator family ``kind``, derived once by SymPy and
    lambdified: the generated terms take (z, c, w, theta), c the mixture component of each sample."""
    from scipy.special import expit, log_expit

    x, z, c = sp.symbols("x z c", real=True)
    w = sp.symbols("w0:3", real=True)
    score = lambda y: w[0] + w[1] * y + w[2] * y**2  # noqa: E731 - the discriminator's score
    g, th = _generator_expr(kind, z, c)
    log_d_real = _LogSigmoid(score(x))               # log D(x)
    log_1m_d_fake = _LogSigmoid(-score(g))           # log(1 - D(G(z)))
    gen_losses = {"saturating": log_1m_d_fake,       # minimized by the generator (Algorithm 1 as stated)
                  "nonsaturating": -_LogSigmoid(score(g))}  # -log D(G(z)), the practical variant
    mods = [{"_Sigmoid": expit, "_LogSigmoid": log_expit}, "numpy"]
    grad = lambda e, v: [sp.diff(e, s) for s in v]  # noqa: E731
    return {
        "d_real": sp.lambdify((x, w), grad(log_d_real, w), mods),
        "d_fake": sp.lambdify((z, c, w, th), grad(log_1m_d_fake, w), mods),
        "g": {k: sp.lambdify((z, c, w, th), grad(e, th), mods) for k, e in gen_losses.items()},
        "G": sp.lambdify((z, c, th), g, "numpy"),
        "dG_dtheta": sp.lambdify((z, c, th), [sp.diff(g, t) for t in th], "numpy"),
        "d": sp.lambdify((x, w), _Sigmoid(score(x)), mods),
        "log_d": sp.lambdify((x, w), log_d_real, mods),                 # log D(x), no overflow
        "log_1m_d": sp.lambdify((x, w), _LogSigmoid(-score(x)), mods),  # log(1 - D(x))
        "exprs": {"log D(x)": log_d_real, "log(1 - D(G(z)))": log_1m_d_fake, **gen_losses},
    }


def generator_density(grid, theta, kind: str = "location-scale") -> np.ndarray:
    """p_g of the generator family ``kind`` at ``theta`` on ``grid`` (normalized on it): the Gaussians of the
    location-scale and mixture families, and for ``tanh`` the exact mass of each cell, Phi(G^-1(b)) -
    Phi(G^-1(a)) (G is increasing; G^-1 by interpolating G on 40001 noise values in [-10, 10], where G
    changes by at most 5e-4 (e^l + e^k) between neighbours). ValueError if the grid holds (almost) none
    of p_g's mass."""
    from scipy.special import ndtr

    from gantheory.engine._grid import gaussian_mixture

    theta = [float(t) for t in theta]
    if kind == "location-scale":
        return gaussian_mixture(grid, [theta[0]], [math.exp(theta[1])])
    if kind == "mixture":
        return gaussian_mixture(grid, [theta[0], theta[2]], [math.exp(theta[1]), math.exp(theta[3])], [0.5, 0.5])
    if not all(math.isfinite(t) for t in theta) or max(theta[1], theta[2]) > 700:
        raise ValueError(f"the generator's parameters must be finite (scales below e^700), got {theta}")
    zs = np.linspace(-10.0, 10.0, 40001)
    xs = _deriv(kind)["G"](zs, 0.0, tuple(theta))
    step = (grid.high[0] - grid.low[0]) / grid.shape[0]
    edges = grid.low[0] + step * np.arange(grid.shape[0] + 1)
    mass = np.diff(ndtr(np.interp(edges, xs, zs, left=-np.inf, right=np.inf)))
    if not mass.sum() >= 1e-9:
        raise ValueError(f"the grid holds only {mass.sum():.3g} of the generator's mass: it has left [{grid.low[0]}, "
                         f"{grid.high[0]}]")
    return mass / (mass.sum() * grid.cell_volume)


def _wgan_derivatives():
    """WGAN's per-sample terms on the same model, the critic f_w(x) = w0 + w1 x + w2 x^2 (a score, no
    sigmoid): the critic ascends E[f_w(x)] - E[f_w(G(z))], the generator descends -E[f_w(G(z))]."""
    x, z, mu, ls = sp.symbols("x z mu l", real=True)
    w = sp.symbols("w0:3", real=True)
    critic = lambda y: w[0] + w[1] * y + w[2] * y**2  # noqa: E731
    g = mu + sp.exp(ls) * z
    grad = lambda e, v: [sp.diff(e, s) for s in v]  # noqa: E731
    return {"c_real": sp.lambdify((x, w), grad(critic(x), w), "numpy"),
            "c_fake": sp.lambdify((z, w, (mu, ls)), grad(-critic(g), w), "numpy"),
            "g": sp.lambdify((z, w, (mu, ls)), grad(-critic(g), (mu, ls)), "numpy"),
            "f": sp.lambdify((x, w), critic(x), "numpy"),
            "df": sp.lambdify((x, w), sp.diff(critic(x), x), "numpy")}


_WGAN = None


def _wgan():
    global _WGAN
    if _WGAN is None:
        _WGAN = _wgan_derivatives()
    return _WGAN


def _deriv(kind: str = "location-scale"):
    return _derivatives(kind)


def _as_array(v, n: int, name: str, broadcast: bool = False) -> np.ndarray:
    try:
        arr = np.asarray(v, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be {n} finite numbers, got {v!r}") from None
    if broadcast and arr.size == 1 and n > 1:
        arr = np.full(n, float(arr[0]))
    if arr.size != n or not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be {n} finite numbers, got {v!r}")
    return arr


def _check_mixture(means, stds, weights, lo, hi, cells, cell_range, box: str) -> None:
    """The data mixture of a trainer's GAN (1-D or 2-D: ``means`` one row per component): positive stds,
    weights that sum to 1, a grid of ``cell_range`` cells a side, and the data on the grid ``box`` the theory
    is evaluated on (means inside it, stds at most its width)."""
    if np.any(stds <= 0):
        raise ValueError(f"stds must be positive, got {stds.tolist()}")
    if np.any(weights < 0) or not math.isclose(float(weights.sum()), 1.0, rel_tol=0, abs_tol=1e-9):
        raise ValueError(f"weights must be nonnegative and sum to 1, got {weights.tolist()}")
    if not (lo < hi and cell_range[0] <= cells <= cell_range[1]):
        raise ValueError(f"the grid needs lo < hi and {cell_range[0]} <= cells <= {cell_range[1]}")
    if np.any(means < lo) or np.any(means > hi) or np.any(stds > hi - lo):
        raise ValueError(f"the data must lie on the grid {box} the theory is evaluated on: means inside it and "
                         f"stds at most its width, got means {means.tolist()}, stds {stds.tolist()}")


def _check_algorithm_one(steps, record_every, k, m, lr_d, lr_g, loss) -> None:
    """Algorithm 1's counts, step sizes and generator loss (1-D and 2-D data alike)."""
    _check_counts(steps, record_every, (k + 1) * m if isinstance(k, int) and isinstance(m, int) else 0, k=k, m=m)
    for name, val in (("lr_d", lr_d), ("lr_g", lr_g)):
        if isinstance(val, bool) or not (isinstance(val, (int, float)) and math.isfinite(val) and val >= 0):
            raise ValueError(f"{name} must be a finite number >= 0, got {val!r}")
    if loss not in ("saturating", "nonsaturating"):
        raise ValueError(f"loss must be 'saturating' or 'nonsaturating', got {loss!r}")


@dataclass(frozen=True)
class TrainingGAN:
    """The data mixture (``means``, ``stds``, ``weights``) and the grid the theory is evaluated on."""

    means: tuple = (-2.0, 2.0)
    stds: tuple = (0.5, 0.5)
    weights: tuple = (0.5, 0.5)
    lo: float = -8.0
    hi: float = 8.0
    cells: int = 2001

    def __post_init__(self):
        n = len(np.atleast_1d(self.means))
        m = _as_array(self.means, n, "means")
        s = _as_array(self.stds, n, "stds", broadcast=True)
        p = _as_array(self.weights, n, "weights")
        _check_mixture(m, s, p, self.lo, self.hi, self.cells, (101, 10**6), f"[{self.lo}, {self.hi}]")
        object.__setattr__(self, "means", tuple(m))
        object.__setattr__(self, "stds", tuple(s))
        object.__setattr__(self, "weights", tuple(p))

    @cached_property
    def grid(self):
        """The grid the theory is evaluated on (cell centres of [lo, hi])."""
        from gantheory.engine._grid import Grid

        return Grid.uniform(self.lo, self.hi, self.cells)

    def sample(self, rng, n: int) -> np.ndarray:
        k = rng.choice(len(self.means), size=n, p=np.asarray(self.weights))
        return np.asarray(self.means)[k] + np.asarray(self.stds)[k] * rng.standard_normal(n)


@dataclass
class TrainingRun:
    """A training run: its settings, the final parameters and the per-iteration records."""

    algorithm: str
    settings: dict
    w: np.ndarray
    theta: np.ndarray
    history: list = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    #: the discriminator's score F(x, w) (D = sigmoid(F)); None: the quadratic score w . (1, x, x^2)
    score: Callable | None = None
    #: the generator family (a key of GENERATORS)
    generator: str = "location-scale"


def curves(gan: TrainingGAN, w, theta, score: Callable | None = None, generator: str = "location-scale") -> dict:
    """On the grid: ``x``, ``p_data`` and ``p_g`` (the engine's Gaussian mixtures, normalized on the grid),
    the learned ``d`` and its ``log_d`` and ``log_1m_d`` (from the score, without overflow; ``score(x, w)`` when
    given, else the quadratic score), and the optimal ``d_star`` = p_data / (p_data + p_g) (1/2 where neither
    has mass). ValueError if p_g has left the grid."""
    from gantheory.engine._grid import gaussian_mixture

    grid, der = gan.grid, _deriv()
    x = grid.points
    pd = gaussian_mixture(grid, list(gan.means), list(gan.stds), list(gan.weights))
    pg = generator_density(grid, theta, generator)
    mix = pd + pg
    if score is None:
        d, log_d, log_1m_d = der["d"](x, w), der["log_d"](x, w), der["log_1m_d"](x, w)
    else:
        from scipy.special import expit, log_expit

        f = score(x, w)
        d, log_d, log_1m_d = expit(f), log_expit(f), log_expit(-f)
    return {"x": x, "p_data": pd, "p_g": pg, "d": d, "log_d": log_d, "log_1m_d": log_1m_d,
            "d_star": np.divide(pd, mix, out=np.full_like(mix, 0.5), where=mix > 0)}


def _theory(gan: TrainingGAN, w, theta, score: Callable | None = None, generator: str = "location-scale") -> dict:
    """What the theory says at (w, theta), from the densities on the grid (the engine's KL, JSD and W1);
    ``mu`` and ``sigma`` are the generator's parameters for the location-scale family, p_g's mean and standard
    deviation on the grid for the others."""
    from gantheory.engine import jsd, kl, wasserstein1

    c, grid = curves(gan, w, theta, score, generator), gan.grid
    pd, pg, x, dv = c["p_data"], c["p_g"], c["x"], grid.cell_volume
    gap = float(np.sum((pd + pg) / 2 * np.abs(c["d"] - c["d_star"])) * dv)  # where either has mass
    value = float(np.sum(pd * c["log_d"] + pg * c["log_1m_d"]) * dv)
    g_loss = float(-np.sum(pg * c["log_d"]) * dv)  # E_g[-log D]: seed 000's generator loss g(theta_g, theta_d)
    js = jsd(pd, pg, grid)
    covered = [bool(np.sum(pg[np.abs(x - mu) <= 2 * s]) * dv >= 0.05) for mu, s in zip(gan.means, gan.stds)]
    if generator == "location-scale":
        mu, sigma = float(theta[0]), float(math.exp(theta[1]))
    else:
        mu = float(np.sum(x * pg) * dv)
        sigma = float(math.sqrt(max(float(np.sum((x - mu) ** 2 * pg) * dv), 0.0)))
    return {"d_gap": gap, "value": value, "value_at_optimal_d": -math.log(4) + 2 * js, "g_loss": g_loss, "jsd": js,
            "kl": kl(pg, pd, grid), "w1": float(wasserstein1(pd, pg, grid).distance),
            "modes_covered": int(sum(covered)), "mu": mu, "sigma": sigma}


def _check_counts(steps: int, record_every: int, per_step_samples: int, **counts) -> None:
    """steps, record_every and the named counts are integers >= 1 (m >= 1); records and samples bounded."""
    for name, val in (("steps", steps), ("record_every", record_every), *counts.items()):
        if isinstance(val, bool) or not isinstance(val, (int, np.integer)) or val < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {val!r}")
    if steps // record_every > 10**5:  # each record is a dict of ten floats (about 1 KB): bounded memory
        raise ValueError(f"record_every = {record_every} keeps {steps // record_every} records of {steps} steps; "
                         f"at most 100000: use record_every >= {-(-steps // 10**5)}")
    if steps * per_step_samples > 5 * 10**9:
        raise ValueError(f"{steps * per_step_samples:.3g} samples in all: more than 5e9; lower steps or the batch")


def _left_grid(it: int, theta, gan: TrainingGAN, exc: Exception, lr_name: str,
               generator: str = "location-scale") -> FloatingPointError:
    """The error that ends a run whose generator has left the grid the theory is evaluated on."""
    if generator == "location-scale":
        scale = f"{math.exp(theta[1]):.4g}" if theta[1] < 700 else f"e^{theta[1]:.4g}"  # no overflow in the message
        what = f"N({theta[0]:.4g}, {scale}^2)"
    else:
        what = f"({generator}, theta = [{', '.join(f'{t:.4g}' for t in theta)}])"
    return FloatingPointError(f"at iteration {it} the generator {what} has "
                              f"left the grid [{gan.lo}, {gan.hi}] the theory is evaluated on ({exc}); lower {lr_name}")


def _train_loop(run: TrainingRun, gan: TrainingGAN, steps: int, record_every: int, iteration, theory,
                on_step, lr_name: str) -> TrainingRun:
    """The loop every trainer shares: ``iteration(it)`` does one iteration in place; ``theory()`` is the
    record of the current parameters. A record every ``record_every`` iterations and at the last; a
    non-finite parameter or a generator that leaves the theory's grid ends the run with the reason
    (FloatingPointError); Ctrl-C raises :class:`_Interrupted` with the records so far."""
    start = time.perf_counter()
    try:
        first = theory()
    except (ValueError, OverflowError, FloatingPointError) as exc:
        names = GENERATORS[run.generator][0]
        given = ", ".join(f"{float(v):.4g}" for v in run.theta)
        label = "(mu0, log_sigma0)" if run.generator == "location-scale" else f"({', '.join(names)})"
        raise ValueError(f"theta0 = {label} = ({given}): the initial generator is not a density "
                         f"on the grid [{gan.lo}, {gan.hi}] the theory is evaluated on ({exc})") from None
    run.history.append({"step": 0, **first})
    it = 0
    try:
        for it in range(1, steps + 1):
            with np.errstate(over="ignore", invalid="ignore"):  # a non-finite parameter is reported just below
                iteration(it)
            if not (np.all(np.isfinite(run.w)) and np.all(np.isfinite(run.theta))):
                raise FloatingPointError(f"training diverged at iteration {it} (w = {run.w}, theta = {run.theta}); "
                                         f"lower {lr_name}")
            if it % record_every == 0 or it == steps:
                try:
                    run.history.append({"step": it, **theory()})
                except (ValueError, OverflowError) as exc:
                    raise _left_grid(it, run.theta, gan, exc, lr_name, run.generator) from None
            if on_step is not None:
                on_step(it, steps)
    except KeyboardInterrupt:
        run.interrupted = True
        if run.history[-1]["step"] != it - 1 and it > 1:
            run.history.append({"step": it - 1, **theory()})
        raise _Interrupted(run) from None
    finally:
        run.seconds = time.perf_counter() - start
    return run


#: the generators' starting parameters: location-scale N(0, 1); the mixture's components at -0.5 and 0.5; tanh
#: as N(0, 1) plus a small e^-1 tanh(z)
THETA0 = {"location-scale": (0.0, 0.0), "mixture": (-0.5, 0.0, 0.5, 0.0), "tanh": (0.0, 0.0, -1.0)}


def goodfellow(gan: TrainingGAN | None = None, *, steps: int = 2000, k: int = 1, m: int = 64,
               lr_d: float = 0.05, lr_g: float = 0.02, loss: str = "nonsaturating", theta0=None,
               w0=None, seed: int = 0, record_every: int = 10, generator: str = "location-scale",
               discriminator: str = "linear", hidden: int = 4,
               on_step: Callable[[int, int], None] | None = None, _d_sign: float = 1.0) -> TrainingRun:
    """Algorithm 1 of Goodfellow et al. (2014): ``steps`` iterations of ``k`` discriminator ascent steps
    and one generator descent step, minibatches of ``m``; ``loss`` is ``"saturating"`` (log(1 - D(G(z))),
    as stated) or ``"nonsaturating"`` (-log D(G(z))). ``generator`` is a family of :data:`GENERATORS`
    (``theta0`` its parameters, default :data:`THETA0`); ``discriminator`` is ``"linear"`` (logistic on the
    features (1, x, x^2)) or ``"mlp"`` (a one-hidden-layer tanh score with ``hidden`` units,
    :func:`gantheory.engine._dualing_nonlinear.score_model`; the chain rule through its derived x-derivative
    and the generator's derived dG/dtheta gives the generator's gradient). Records every ``record_every``
    iterations (and the last) hold the theory beside the run (see the module's docstring).

    ``_d_sign`` exists for the tests: -1 turns the discriminator's ascent into descent (a wrong-sign
    gradient, which the known-answer tests must catch).
    """
    gan = TrainingGAN() if gan is None else gan
    _check_algorithm_one(steps, record_every, k, m, lr_d, lr_g, loss)
    if generator not in GENERATORS:
        raise ValueError(f"generator must be one of {', '.join(GENERATORS)}, got {generator!r}")
    if discriminator not in ("linear", "mlp"):
        raise ValueError(f"discriminator must be 'linear' or 'mlp', got {discriminator!r}")
    der = _deriv(generator)
    rng = np.random.default_rng(seed)
    names = GENERATORS[generator][0]
    theta = _as_array(THETA0[generator] if theta0 is None else theta0, len(names),
                      f"theta0 ({', '.join(names)})").copy()
    score = None
    if discriminator == "mlp":
        from scipy.special import expit

        from gantheory.engine._dualing_nonlinear import score_model

        F = score_model("mlp", hidden)
        score = F.value
        init = np.concatenate([0.1 * rng.standard_normal(hidden), rng.standard_normal(hidden),
                               rng.standard_normal(hidden), [0.0]])
        w = init if w0 is None else _as_array(w0, F.size, "w0").copy()
        what = f"sigmoid(F(w, x)), F = sum_j a_j tanh(b_j x + c_j) + d with {hidden} hidden units"
    else:
        w = _as_array((0.0, 0.0, 0.0) if w0 is None else w0, 3, "w0").copy()
        what = "logistic on (1, x, x^2)"
    settings = {"k": k, "m": m, "lr_d": lr_d, "lr_g": lr_g, "loss": loss, "seed": seed, "steps": steps,
                "data": {"means": list(gan.means), "stds": list(gan.stds), "weights": list(gan.weights)},
                "generator": GENERATORS[generator][1], "discriminator": what}
    run = TrainingRun("goodfellow", settings, w, theta, score=score, generator=generator)
    g_grad = der["g"][loss]
    mixture = generator == "mixture"

    def noise():  # z, and for the mixture each sample's component
        zs = rng.standard_normal(m)
        return zs, (rng.integers(0, 2, m).astype(float) if mixture else 0.0)

    def iteration(it):
        for _ in range(k):  # k steps of ascent on V for the discriminator
            xs, (zs, cs) = gan.sample(rng, m), noise()
            if score is None:
                ascent = _batch_mean(der["d_real"](xs, w), m) + _batch_mean(der["d_fake"](zs, cs, w, theta), m)
            else:  # d/dw log sigma(F(x)) = sigma(-F) grad F; d/dw log(1 - sigma(F(G))) = -sigma(F(G)) grad F(G)
                gz = np.broadcast_to(der["G"](zs, cs, tuple(theta)), (m,))
                ascent = (expit(-F.value(xs, w)) @ F.grad_w(xs, w) - expit(F.value(gz, w)) @ F.grad_w(gz, w)) / m
            w[:] += _d_sign * lr_d * ascent
        zs, cs = noise()  # one step of descent for the generator
        if score is None:
            theta[:] -= lr_g * _batch_mean(g_grad(zs, cs, w, theta), m)
        else:
            theta[:] -= lr_g * _generator_grad(der, F, w, theta, zs, cs, loss)

    return _train_loop(run, gan, steps, record_every, iteration,
                       lambda: _theory(gan, w, theta, score=score, generator=generator), on_step, "lr_d or lr_g")


def _generator_grad(der, F, w, theta, zs, cs, loss: str) -> np.ndarray:
    """The generator's minibatch gradient against a score F(w, y) (D = sigmoid(F)) by the chain rule: the
    loss's derivative in the score (log sigma(-F) saturating, -log sigma(F) non-saturating) times dF/dy at
    G(z), times the derived dG/dtheta, averaged over the batch."""
    from scipy.special import expit

    m = zs.shape[0]
    gz = np.broadcast_to(der["G"](zs, cs, tuple(theta)), (m,))
    f = F.value(gz, w)
    dl_df = -expit(f) if loss == "saturating" else -expit(-f)
    dg = np.stack([np.broadcast_to(c_, (m,)) for c_ in der["dG_dtheta"](zs, cs, tuple(theta))], axis=1)
    return ((dl_df * F.d_dy(gz, w)) @ dg) / m


def _moments(gan: TrainingGAN) -> tuple[float, float]:
    """E[x] and E[x^2] of the data mixture, in closed form."""
    m, sd, p = (np.asarray(v, float) for v in (gan.means, gan.stds, gan.weights))
    return float(np.sum(p * m)), float(np.sum(p * (m**2 + sd**2)))


def clipped_critic_value(gan: TrainingGAN, theta, clip: float) -> float:
    """max over |w_i| <= clip of E_data f_w - E_g f_w for f_w(x) = w0 + w1 x + w2 x^2: the box maximum of a
    linear function of (w1, w2), clip (|E_data x - E_g x| + |E_data x^2 - E_g x^2|) (w0 cancels). The
    'distance' weight clipping optimizes: moment matching, not W1 (its critics are not 1-Lipschitz)."""
    e1, e2 = _moments(gan)
    mu, sigma = float(theta[0]), math.exp(float(theta[1]))
    return clip * (abs(e1 - mu) + abs(e2 - (mu**2 + sigma**2)))


def _theory_wgan(gan: TrainingGAN, w, theta, clip: float) -> dict:
    """What the theory says for WGAN with clipping at (w, theta): the current critic's value E_data f_w -
    E_g f_w (exact moments), the clipped family's optimum, the true W1 (the engine's, on the grid), the
    critic's Lipschitz constant on the grid, and the moment-matching point the clipped critic drives to."""
    from gantheory.engine import wasserstein1

    c, grid = curves(gan, w, theta), gan.grid
    e1, e2 = _moments(gan)
    mu, sigma = float(theta[0]), math.exp(float(theta[1]))
    value = float(w[1] * (e1 - mu) + w[2] * (e2 - (mu**2 + sigma**2)))
    lip = float(np.max(np.abs(_wgan()["df"](c["x"], w)) * np.ones_like(c["x"])))
    return {"critic_value": value, "clipped_optimum": clipped_critic_value(gan, theta, clip),
            "w1": float(wasserstein1(c["p_data"], c["p_g"], grid).distance), "lipschitz": lip,
            "mu": mu, "sigma": sigma, "mu_target": e1, "sigma_target": math.sqrt(max(e2 - e1**2, 0.0))}


def wgan_clipping(gan: TrainingGAN | None = None, *, steps: int = 2000, n_critic: int = 5, m: int = 64,
                  lr: float = 0.005, clip: float = 0.01, optimizer: str = "rmsprop", theta0=(0.0, 0.0),
                  w0=(0.0, 0.0, 0.0), seed: int = 0, record_every: int = 10,
                  on_step: Callable[[int, int], None] | None = None, _d_sign: float = 1.0,
                  _clip: bool = True) -> TrainingRun:
    """Algorithm 1 of Arjovsky, Chintala and Bottou (2017), as seed 000 prints it ("Method 3: Wasserstein
    Practical Algorithm"): ``n_critic`` critic steps (ascent on the minibatch estimate of E f_w(x) -
    E f_w(G(z)), then w clipped to [-clip, clip]), then one generator step (descent on -E f_w(G(z))); both
    with RMSProp (decay 0.9, as in the paper) or plain SGD. The paper's defaults are clip = 0.01, m = 64,
    n_critic = 5 and lr = 5e-5; the default lr here is 0.005 so that a run of a few thousand steps moves
    (RMSProp's steps have size about lr whatever the clip). The loop runs n_critic critic steps: the
    slide's "for t = 0, ..., n_critic" would run n_critic + 1 (the erratum wass-critic-loop-count-as-printed).

    On this model the clipped critics are the quadratics with |w_i| <= clip, whose best value is
    :func:`clipped_critic_value`: moment matching. The theory predicts that the generator is driven to the
    data's mean and variance, not to the data (W1 stays positive for a mixture).

    ``_d_sign`` (-1: the critic descends) and ``_clip`` (False: the clip is not applied) exist for the tests,
    which must catch both."""
    gan = TrainingGAN() if gan is None else gan
    _check_counts(steps, record_every, (n_critic + 1) * m if isinstance(n_critic, int) and isinstance(m, int) else 0,
                  n_critic=n_critic, m=m)
    for name, val in (("lr", lr), ("clip", clip)):
        if isinstance(val, bool) or not (isinstance(val, (int, float)) and math.isfinite(val) and val > 0):
            raise ValueError(f"{name} must be a finite number > 0, got {val!r}")
    if optimizer not in ("rmsprop", "sgd"):
        raise ValueError(f"optimizer must be 'rmsprop' or 'sgd', got {optimizer!r}")
    der = _wgan()
    rng = np.random.default_rng(seed)
    w = np.clip(_as_array(w0, 3, "w0"), -clip, clip)
    theta = _as_array(theta0, 2, "theta0").copy()
    settings = {"n_critic": n_critic, "m": m, "lr": lr, "clip": clip, "optimizer": optimizer, "seed": seed,
                "steps": steps,
                "data": {"means": list(gan.means), "stds": list(gan.stds), "weights": list(gan.weights)},
                "generator": "location-scale: G(z) = mu + sigma z, z ~ N(0, 1)",
                "critic": "f_w(x) = w0 + w1 x + w2 x^2, weights clipped to [-c, c]"}
    run = TrainingRun("wgan", settings, w, theta)
    v_w, v_t, decay, eps = np.zeros(3), np.zeros(2), 0.9, 1e-8

    def step(grad, acc):
        if optimizer == "sgd":
            return lr * grad
        acc *= decay
        acc += (1 - decay) * grad**2
        return lr * grad / (np.sqrt(acc) + eps)

    def iteration(it):
        for _ in range(n_critic):
            xs, zs = gan.sample(rng, m), rng.standard_normal(m)
            g_w = _batch_mean(der["c_real"](xs, w), m) + _batch_mean(der["c_fake"](zs, w, theta), m)
            w[:] += _d_sign * step(g_w, v_w)
            if _clip:
                np.clip(w, -clip, clip, out=w)
        zs = rng.standard_normal(m)
        theta[:] -= step(_batch_mean(der["g"](zs, w, theta), m), v_t)

    return _train_loop(run, gan, steps, record_every, iteration, lambda: _theory_wgan(gan, w, theta, clip), on_step,
                       "lr")


#: every row of the f-GAN table (gantheory.topics.fgan.table())
FGAN_DIVERGENCES = ("total-variation", "kl", "reverse-kl", "pearson", "neyman", "squared-hellinger", "jeffrey",
                    "jensen-shannon", "jensen-shannon-weighted", "gan", "alpha-half", "alpha-minus-half", "alpha-two")


class _Softplus(sp.Function):
    """log(1 + e^a), evaluated as logaddexp(0, a) (no overflow); d/da = sigma(a)."""

    def fdiff(self, argindex=1):
        return _Sigmoid(self.args[0])


_FGAN: dict = {}


def _fgan_terms(key: str) -> dict:
    """f-GAN's per-sample terms for one row of the table (gantheory.topics.fgan.table(): f, f*, g_f from the
    registry's corrected claims): the critic's score V_w(x) = w0 + w1 x + w2 x^2, T = g_f(V); the critic ascends
    F = E_data[T(x)] - E_z[f*(T(G(z)))], the generator descends it. Gradients derived by SymPy."""
    if key in _FGAN:
        return _FGAN[key]
    from scipy.special import expit

    from gantheory.symbolic._fgan import t as t_sym
    from gantheory.symbolic._fgan import u as u_sym
    from gantheory.topics.fgan import table

    row = next((r for r in table() if r["key"] == key), None)
    if row is None or key not in FGAN_DIVERGENCES:
        raise ValueError(f"divergence must be one of {', '.join(FGAN_DIVERGENCES)}, got {key!r}")
    v_sym = next(iter(row["activation"].free_symbols))
    x, z, mu, ls = sp.symbols("x z mu l", real=True)
    w = sp.symbols("w0:3", real=True)
    score = lambda y: w[0] + w[1] * y + w[2] * y**2  # noqa: E731
    g = mu + sp.exp(ls) * z

    def soft(e):  # log(1 + exp(a)) -> _Softplus(a), so that it evaluates without overflow
        return e.replace(lambda a: isinstance(a, sp.log) and a.args[0].is_Add and len(a.args[0].args) == 2
                         and 1 in a.args[0].args and any(isinstance(b, sp.exp) for b in a.args[0].args),
                         lambda a: _Softplus(next(b for b in a.args[0].args if isinstance(b, sp.exp)).args[0]))

    act = lambda y: soft(row["activation"].subs(v_sym, score(y)))  # noqa: E731
    conj = lambda e: soft(row["conjugate"].subs(t_sym, e))  # noqa: E731
    real, fake = act(x), -conj(act(g))
    mods = [{"_Softplus": lambda a: np.logaddexp(0.0, a), "_Sigmoid": expit, "LambertW": _lambertw}, "numpy"]
    grad = lambda e, vs: [sp.diff(e, s_) for s_ in vs]  # noqa: E731
    out = {"row": row, "f": sp.lambdify(u_sym, row["f"], "numpy"), "f_expr": row["f"],
           "real": sp.lambdify((x, w), grad(real, w), mods), "fake": sp.lambdify((z, w, (mu, ls)), grad(fake, w), mods),
           "g": sp.lambdify((z, w, (mu, ls)), grad(fake, (mu, ls)), mods),
           "T": sp.lambdify((x, w), act(x), mods), "conj_T": sp.lambdify((x, w), conj(act(x)), mods)}
    _FGAN[key] = out
    return out


def _lambertw(a):
    """W_0 on the reals (Jeffrey's conjugate): SciPy's principal branch, real part (exact for a >= -1/e)."""
    from scipy.special import lambertw

    return np.real(lambertw(a))


def _theory_fgan(gan: TrainingGAN, key: str, w, theta) -> dict:
    """At (w, theta): the critic's variational value F = E_data T - E_g f*(T) by quadrature on the grid, beside
    D_f(p_data || p_g) (which F never exceeds: Fenchel-Young), KL both ways and W1 (the engine's)."""
    from gantheory.engine import kl, wasserstein1
    from gantheory.symbolic._numeric import fdiv_value

    terms, c, grid = _fgan_terms(key), curves(gan, w, theta), gan.grid
    pd, pg, x, dv = c["p_data"], c["p_g"], c["x"], grid.cell_volume
    with np.errstate(all="ignore"):
        value = float(np.sum(pd * terms["T"](x, w)) * dv - np.sum(pg * terms["conj_T"](x, w)) * dv)
    covered = [bool(np.sum(pg[np.abs(x - mu) <= 2 * s]) * dv >= 0.05) for mu, s in zip(gan.means, gan.stds)]
    return {"variational_value": value, "divergence": fdiv_value(terms["f_expr"], pd * dv, pg * dv),
            "kl_data_g": kl(pd, pg, grid), "kl_g_data": kl(pg, pd, grid),
            "w1": float(wasserstein1(pd, pg, grid).distance), "modes_covered": int(sum(covered)),
            "mu": float(theta[0]), "sigma": float(math.exp(theta[1]))}


def fgan_optimum(gan: TrainingGAN, key: str) -> tuple[float, float, float]:
    """The theory's end point: (mu, sigma, D_f) minimizing D_f(p_data || N(mu, sigma^2)) over the generator's
    family, by Nelder-Mead on the grid from the data's mean and standard deviation and from each data mode."""
    from scipy.optimize import minimize

    from gantheory.engine._grid import gaussian_mixture
    from gantheory.symbolic._numeric import fdiv_value

    terms, grid = _fgan_terms(key), gan.grid
    dv = grid.cell_volume
    pd = gaussian_mixture(grid, list(gan.means), list(gan.stds), list(gan.weights)) * dv

    def objective(th):
        if not (gan.lo < th[0] < gan.hi and -6 < th[1] < 3):
            return 1e6
        return fdiv_value(terms["f_expr"], pd, gaussian_mixture(grid, [th[0]], [math.exp(th[1])]) * dv)

    e1, e2 = _moments(gan)
    starts = [(e1, 0.5 * math.log(max(e2 - e1**2, 1e-6)))] + [(m_, math.log(s_)) for m_, s_ in zip(gan.means, gan.stds)]
    best = min((minimize(objective, np.array(s0), method="Nelder-Mead",
                         options={"xatol": 1e-6, "fatol": 1e-10, "maxiter": 2000}) for s0 in starts),
               key=lambda r: r.fun)
    return float(best.x[0]), float(math.exp(best.x[1])), float(best.fun)


def fgan(gan: TrainingGAN | None = None, *, divergence: str = "kl", steps: int = 2000, m: int = 64,
         lr_t: float = 0.01, lr_g: float = 0.01, theta0=(0.0, 0.0), w0=(0.0, 0.0, 0.0), seed: int = 0,
         record_every: int = 10, on_step: Callable[[int, int], None] | None = None,
         _t_sign: float = 1.0) -> TrainingRun:
    """f-GAN's single-step gradient method (Nowozin et al. 2016, Algorithm 1; seed 003's "New
    Optimization"): on one minibatch of m data and m noise samples, the critic ascends and the generator
    descends F(theta, w) = E_data[g_f(V_w(x))] - E_z[f*(g_f(V_w(G(z))))] simultaneously. f, f* and g_f are the
    f-GAN table's corrected cells for ``divergence`` (one of :data:`FGAN_DIVERGENCES`). Records hold F (by
    quadrature) beside D_f(p_data || p_g), which bounds it (Fenchel-Young), KL both ways and W1."""
    gan = TrainingGAN() if gan is None else gan
    _check_counts(steps, record_every, m if isinstance(m, int) else 0, m=m)
    for name, val in (("lr_t", lr_t), ("lr_g", lr_g)):
        if isinstance(val, bool) or not (isinstance(val, (int, float)) and math.isfinite(val) and val >= 0):
            raise ValueError(f"{name} must be a finite number >= 0, got {val!r}")
    terms = _fgan_terms(divergence)
    rng = np.random.default_rng(seed)
    w = _as_array(w0, 3, "w0").copy()
    theta = _as_array(theta0, 2, "theta0").copy()
    settings = {"divergence": divergence, "m": m, "lr_t": lr_t, "lr_g": lr_g, "seed": seed, "steps": steps,
                "f": str(terms["row"]["f"]), "conjugate": str(terms["row"]["conjugate"]),
                "activation": str(terms["row"]["activation"]),
                "data": {"means": list(gan.means), "stds": list(gan.stds), "weights": list(gan.weights)},
                "generator": "location-scale: G(z) = mu + sigma z, z ~ N(0, 1)",
                "critic": "T = g_f(V_w(x)), V_w(x) = w0 + w1 x + w2 x^2"}
    run = TrainingRun("fgan", settings, w, theta)
    def iteration(it):
        xs, zs = gan.sample(rng, m), rng.standard_normal(m)
        with np.errstate(all="ignore"):  # a non-finite gradient is reported just below
            g_w = _batch_mean(terms["real"](xs, w), m) + _batch_mean(terms["fake"](zs, w, theta), m)
            g_t = _batch_mean(terms["g"](zs, w, theta), m)
        if not (np.all(np.isfinite(g_w)) and np.all(np.isfinite(g_t))):
            raise FloatingPointError(f"the gradient is not finite at iteration {it} (w = {w}, theta = {theta}): "
                                     "the critic left the domain of f* or overflowed; lower lr_t")
        w[:] += _t_sign * lr_t * g_w
        theta[:] -= lr_g * g_t

    return _train_loop(run, gan, steps, record_every, iteration, lambda: _theory_fgan(gan, divergence, w, theta),
                       on_step, "lr_t or lr_g")


def _features(y: np.ndarray) -> np.ndarray:
    """phi(y) = (1, y, y^2): the linear discriminator's features (the poster: 'any differentiable nonlinear
    feature phi(x) can be used in place of x')."""
    return np.stack([np.ones_like(y), y, y * y], axis=1)


def _binary_entropy(a: np.ndarray) -> np.ndarray:
    from scipy.special import entr

    return entr(a) + entr(1 - a)


def _dual_solve(phi_x: np.ndarray, phi_z: np.ndarray, c: float, offset_x=None, offset_z=None, center=None,
                lam0=None):
    """max over lambda in [0, 1/(2n)]^{2n} of g = -||r||^2 / (2C) + (1/2n) sum H(2n l), r = sum lx phi_x - sum lz phi_z
    (seed 001's dual, strictly concave), by Newton's method: the Hessian -(B B^T / C) - diag(2n / (q (1 - q)))
    (q = 2n lambda, B the stacked features) is a diagonal plus rank p (p features), so each step is solved
    exactly with Woodbury's identity in O(n p^2); the step is shortened to stay inside the box and to increase
    g. Returns (g, lambda_x, lambda_z, w*), w* = center + r / C.

    The general form is the dual of min_s C/2 ||s - center||^2 + (1/2n) sum log(1 + e^{-(a_i + s.phi_x_i)})
    + (1/2n) sum log(1 + e^{b_j + s.phi_z_j}) (a = ``offset_x``, b = ``offset_z``; the trust-region model of a
    nonlinear score, :mod:`gantheory.engine._dualing_nonlinear`): log(1 + e^t) = max_{p in [0, 1]} p t + H(p)
    turns it into g = -||r||^2 / (2C) - center . r - lx . a + lz . b + (1/2n) sum H(2n l). ``lam0`` is a
    starting point inside the box (a warm start)."""
    n = phi_x.shape[0]
    top = 1.0 / (2 * n)
    B = np.concatenate([phi_x, -phi_z])  # lambda . B = sum lx phi_x - sum lz phi_z
    off = np.zeros(2 * n) if offset_x is None else np.concatenate([offset_x, -np.asarray(offset_z)])
    s0 = np.zeros(B.shape[1]) if center is None else np.asarray(center, dtype=float)
    lin = B @ s0 + off  # g's linear part is -lambda . lin

    def value(lam):
        q = 2 * n * lam
        mvec = lam @ B
        return -mvec @ mvec / (2 * c) - lam @ lin + np.sum(_binary_entropy(q)) / (2 * n)

    lam = np.full(2 * n, top / 2) if lam0 is None else np.clip(lam0, top * 1e-12, top * (1 - 1e-12))
    g_val = value(lam)
    for _ in range(200):
        q = 2 * n * lam
        grad = -(B @ (lam @ B)) / c - lin + np.log((1 - q) / q)
        if np.max(np.abs(grad)) < 1e-10:
            break
        d_inv = q * (1 - q) / (2 * n)          # the inverse of the diagonal part
        U = B / math.sqrt(c)
        small = np.eye(B.shape[1]) + U.T @ (d_inv[:, None] * U)
        step = d_inv * grad - d_inv * (U @ np.linalg.solve(small, U.T @ (d_inv * grad)))  # (D + U U^T)^-1 grad
        t = 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            room = np.where(step > 0, (top - lam) / step, np.where(step < 0, -lam / step, np.inf))
        t = min(1.0, 0.99 * float(np.min(room)))
        while t > 1e-16:
            new = lam + t * step
            new_val = value(new)
            if new_val >= g_val - 1e-15:
                break
            t /= 2
        else:  # no step inside the box increases g: lambda is optimal to rounding
            break
        lam, g_val = new, new_val
    lx, lz = lam[:n], lam[n:]
    return g_val, lx, lz, s0 + (lx @ phi_x - lz @ phi_z) / c


def _primal_solve(phi_x: np.ndarray, phi_z: np.ndarray, c: float):
    """min over w of f = C/2 ||w||^2 + (1/2n) sum log(1 + e^{-w.phi_x}) + (1/2n) sum log(1 + e^{w.phi_z}) (convex),
    by BFGS from 0: the primal the dual bounds from below."""
    from scipy.optimize import minimize
    from scipy.special import expit

    n = phi_x.shape[0]

    def fun(w):
        sx, sz = phi_x @ w, phi_z @ w
        val = c / 2 * w @ w + (np.sum(np.logaddexp(0, -sx)) + np.sum(np.logaddexp(0, sz))) / (2 * n)
        grad = c * w + (-(expit(-sx)) @ phi_x + expit(sz) @ phi_z) / (2 * n)
        return val, grad

    res = minimize(fun, np.zeros(phi_x.shape[1]), jac=True, method="BFGS", options={"gtol": 1e-12})
    return res.fun, res.x


def dualing(gan: TrainingGAN | None = None, *, steps: int = 600, m: int = 64, c: float = 0.1, lr_g: float = 0.2,
            theta0=(0.0, 0.0), seed: int = 0, record_every: int = 10,
            on_step: Callable[[int, int], None] | None = None, _g_sign: float = 1.0) -> TrainingRun:
    """Dualing GANs (Li, Schwing, Wang, Zemel 2017; seed 001) with the linear discriminator D_w(x) =
    sigmoid(w . phi(x)), phi(x) = (1, x, x^2): each iteration draws m data and m noise samples, solves the dual
    max_lambda g(theta, lambda) exactly (L-BFGS-B; concave), and takes one gradient *ascent* step on
    g(theta, lambda*) in theta ('max_theta max_lambda g'); by the envelope theorem that is the gradient of
    the discriminator's minimal loss, sum_i lambda_z_i w* . d phi(G(z_i))/d theta. Each record solves the
    primal min_w f on the same minibatch as well: strong duality says the two values agree and w* =
    (sum lambda_x phi_x - sum lambda_z phi_z) / C is the primal minimizer (dual-strong-duality, dual-w-star).
    At lambda's centre 1/(4n) the quadratic term is moment matching (dual-moment-matching): the theory
    predicts the generator goes to the data's mean and variance."""
    gan = TrainingGAN() if gan is None else gan
    _check_dualing(steps, m, record_every, c=(c, True), lr_g=(lr_g, False))
    rng = np.random.default_rng(seed)
    theta = _as_array(theta0, 2, "theta0").copy()
    w = np.zeros(3)
    settings = {"m": m, "c": c, "lr_g": lr_g, "seed": seed, "steps": steps,
                "data": {"means": list(gan.means), "stds": list(gan.stds), "weights": list(gan.weights)},
                "generator": "location-scale: G(z) = mu + sigma z, z ~ N(0, 1)",
                "discriminator": "sigmoid(w . (1, x, x^2)), the dual solved exactly each iteration"}
    run = TrainingRun("dualing", settings, w, theta)
    e1, e2 = _moments(gan)

    def record(step, dual_value, primal_value, w_dual, w_primal):
        from gantheory.engine import wasserstein1

        cv = curves(gan, w, theta)
        return {"step": step, "dual": dual_value, "primal": primal_value, "gap": primal_value - dual_value,
                "w_gap": float(np.max(np.abs(w_dual - w_primal))),
                "w1": float(wasserstein1(cv["p_data"], cv["p_g"], gan.grid).distance),
                "mu": float(theta[0]), "sigma": float(math.exp(theta[1])), "mu_target": e1,
                "sigma_target": math.sqrt(max(e2 - e1**2, 0.0))}

    start = time.perf_counter()
    it = 0
    try:
        for it in range(0, steps + 1):
            xs, zs = gan.sample(rng, m), rng.standard_normal(m)
            gz = theta[0] + math.exp(theta[1]) * zs
            phi_x, phi_z = _features(xs), _features(gz)
            g_val, lx, lz, w_star = _dual_solve(phi_x, phi_z, c)
            w[:] = w_star
            if it % record_every == 0 or it == steps:
                f_val, w_primal = _primal_solve(phi_x, phi_z, c)
                try:
                    run.history.append(record(it, g_val, f_val, w_star, w_primal))
                except ValueError as exc:
                    raise _left_grid(it, theta, gan, exc, "lr_g") from None
            if it == steps:
                break
            # d phi(G(z))/d theta for phi = (1, y, y^2), y = mu + e^l z: (0, 1, 2y) dmu and (0, e^l z, 2 y e^l z) dl
            dy = np.stack([np.ones(m), math.exp(theta[1]) * zs], axis=1)   # dy/d(mu, l), per sample
            dphi_dy = np.stack([np.zeros(m), np.ones(m), 2 * gz], axis=1)   # dphi/dy, per sample
            grad = np.sum((lz * (dphi_dy @ w_star))[:, None] * dy, axis=0)  # sum_i lz_i w* . dphi_i/dtheta
            theta += _g_sign * lr_g * grad
            if not np.all(np.isfinite(theta)):
                raise FloatingPointError(f"training diverged at iteration {it + 1}; lower lr_g")
            if on_step is not None:
                on_step(it + 1, steps)
    except KeyboardInterrupt:
        run.interrupted = True
        raise _Interrupted(run) from None
    finally:
        run.seconds = time.perf_counter() - start
    return run


def _check_dualing(steps, m, record_every, **numbers) -> None:
    """The Dualing GANs' counts (m >= 2 and at most 4096: a dual of 2m variables each iteration) and their
    numbers, name=(value, strictly positive?)."""
    for name, val, lo in (("steps", steps, 1), ("m", m, 2), ("record_every", record_every, 1)):
        if isinstance(val, bool) or not isinstance(val, (int, np.integer)) or val < lo:
            raise ValueError(f"{name} must be an integer >= {lo}, got {val!r}")
    if m > 4096:
        raise ValueError(f"m = {m}: each iteration solves a dual with 2m variables; at most 4096")
    if steps // record_every > 10**5:
        raise ValueError(f"record_every = {record_every} keeps {steps // record_every} records; at most 100000")
    for name, (val, strict) in numbers.items():
        ok = isinstance(val, (int, float)) and not isinstance(val, bool) and math.isfinite(val) and \
            (val > 0 if strict else val >= 0)
        if not ok:
            raise ValueError(f"{name} must be a finite number {'>' if strict else '>='} 0, got {val!r}")


def _batch_mean(components, m: int) -> np.ndarray:
    """The minibatch mean of a lambdified gradient (a component constant in the sample comes back as a
    scalar: its mean is itself)."""
    return np.array([np.mean(np.broadcast_to(c, (m,))) for c in components])


class _Interrupted(KeyboardInterrupt):
    """Ctrl-C during training: ``run`` holds the records so far."""

    def __init__(self, run: TrainingRun):
        super().__init__("training interrupted")
        self.run = run
