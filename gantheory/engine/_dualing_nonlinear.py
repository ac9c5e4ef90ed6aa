"""Dualing GANs with a nonlinear discriminator (Li, Schwing, Wang, Zemel 2017; seed 001, "GANs with
Non-Linear Discriminators"): local model functions with a trust region.

The discriminator is D_w(x) = sigmoid(F(w, x)) with a score F nonlinear in w -- by default a network with one
hidden layer, F(w, y) = sum_j a_j tanh(b_j y + c_j) + d -- and its loss on a minibatch

    f(theta, w) = C/2 ||w||^2 + (1/2n) sum_i log(1 + e^{-F(w, x_i)}) + (1/2n) sum_i log(1 + e^{F(w, G(z_i))})

is not convex in w. Each iteration (the poster's "GAN optimization with model function"):

1. one (or a few) gradient *ascent* steps on f(theta, w_k) in theta;
2. a step s from min_s m_k(s) subject to 1/2 ||s||^2 <= Delta_k, with the model m_k either
   (A) the cost linearization f(w_k) + grad f(w_k) . s, whose minimizer on the ball is
       s* = -sqrt(2 Delta) grad f / ||grad f|| (a normalized gradient step), or
   (B) the score linearization: F(w_k + s, x) ~ F(w_k, x) + s . grad_w F(w_k, x) inside the loss, which keeps
       the regularizer and the log-losses exactly. This m_k is convex in s and is *dualized*: for a multiplier
       mu >= 0 of the trust-region constraint it is seed 001's dual with offsets (the entropy terms, one box
       variable per sample; :func:`gantheory.engine._training._dual_solve`), and mu solves the secular equation
       ||s(mu)|| = sqrt(2 Delta) when the ball binds;
3. w_{k+1} = w_k + s.

Delta_k is adapted as in a standard trust-region method (Nocedal & Wright 2006, Alg. 4.1): the ratio rho of
f's actual decrease to the model's predicted one shrinks the radius by 4 when rho < 1/4 and doubles it when
rho > 3/4 on the boundary; a step that does not decrease f (rho <= 0) is not taken. ``adapt=False`` runs the
poster's loop literally: a fixed Delta, every step taken.

The gradients of F in w and in x are derived by SymPy and lambdified, as for the other trainers. Every record
holds, beside the run: the learned D against D* = p_data / (p_data + p_g), V(D_w, G) against its maximum
-log 4 + 2 JSD, KL, JSD and W1 of p_g to p_data; the trust region's Delta and the ratio rho (how good the model
is); and, for model (B), the duality gap of the trust-region dual and the model's minimum found independently
by SciPy (SLSQP on the primal with the ball as its constraint).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sympy as sp

__all__ = ["Score", "score_model", "loss", "model_step", "dualing_nonlinear", "SCORES", "MODELS"]

SCORES = ("mlp", "linear")
MODELS = ("score", "cost")


@dataclass(frozen=True)
class Score:
    """A score F(w, y) with its derivatives, lambdified from one SymPy expression: ``value(y, w)`` (n,),
    ``grad_w(y, w)`` (n, p) and ``d_dy(y, w)`` (n,) for samples y (n,) and weights w (p,)."""

    kind: str
    hidden: int
    size: int
    expr: sp.Expr
    _value: Callable
    _grad: Callable
    _dy: Callable

    def value(self, y, w) -> np.ndarray:
        return np.broadcast_to(self._value(y, w), y.shape).astype(float)

    def grad_w(self, y, w) -> np.ndarray:
        out = np.empty((y.shape[0], self.size))
        for j, comp in enumerate(self._grad(y, w)):
            out[:, j] = comp  # a component constant in y (d F / d d = 1) broadcasts
        return out

    def d_dy(self, y, w) -> np.ndarray:
        return np.broadcast_to(self._dy(y, w), y.shape).astype(float)


@lru_cache(maxsize=8)
def score_model(kind: str = "mlp", hidden: int = 4) -> Score:
    """The score F(w, y): ``"mlp"``, sum_j a_j tanh(b_j y + c_j) + d with ``hidden`` units (w = a, b, c, d), or
    ``"linear"``, w0 + w1 y + w2 y^2 (the linear discriminator on (1, y, y^2): score linearization is then
    exact, which the tests use)."""
    if kind not in SCORES:
        raise ValueError(f"score must be one of {', '.join(SCORES)}, got {kind!r}")
    y = sp.Symbol("y", real=True)
    if kind == "linear":
        w = sp.symbols("w0:3", real=True)
        expr = w[0] + w[1] * y + w[2] * y**2
    else:
        if isinstance(hidden, bool) or not isinstance(hidden, int) or not 1 <= hidden <= 64:
            raise ValueError(f"hidden must be an integer from 1 to 64, got {hidden!r}")
        a, b, c = (sp.symbols(f"{s}0:{hidden}", real=True) for s in "abc")
        d = sp.Symbol("d", real=True)
        w = (*a, *b, *c, d)
        expr = sum(a[j] * sp.tanh(b[j] * y + c[j]) for j in range(hidden)) + d
    # cse: each unit's tanh(b_j y + c_j) is computed once for the value and all its derivatives
    return Score(kind, hidden if kind == "mlp" else 0, len(w), expr, sp.lambdify((y, w), expr, "numpy"),
                 sp.lambdify((y, w), [sp.diff(expr, v) for v in w], "numpy", cse=True),
                 sp.lambdify((y, w), sp.diff(expr, y), "numpy", cse=True))


def _softplus(t):
    return np.logaddexp(0.0, t)


def _logloss(c: float, w, a, b) -> float:
    """C/2 ||w||^2 + (1/2n) sum log(1 + e^{-a_i}) + (1/2n) sum log(1 + e^{b_i}): f with the scores a of the data
    and b of the generated samples (exact for f, linearized for model (B))."""
    return float(c / 2 * w @ w + (np.sum(_softplus(-a)) + np.sum(_softplus(b))) / (2 * a.shape[0]))


def _logloss_grad(c: float, w, a, u, b, v) -> np.ndarray:
    """The gradient of :func:`_logloss` when the scores move as a' = u, b' = v (their w-gradients, row by row)."""
    from scipy.special import expit

    return c * w + (-expit(-a) @ u + expit(b) @ v) / (2 * a.shape[0])


def loss(score: Score, w, xs, gz, c: float) -> float:
    """f(theta, w) on the minibatch (data xs, generated gz): C/2 ||w||^2 + the two halves of the log-loss."""
    return _logloss(c, w, score.value(xs, w), score.value(gz, w))


def loss_grad(score: Score, w, xs, gz, c: float) -> np.ndarray:
    """grad_w f: C w - (1/2n) sum sigmoid(-F(x_i)) grad F(x_i) + (1/2n) sum sigmoid(F(G(z_i))) grad F(G(z_i))."""
    return _logloss_grad(c, w, score.value(xs, w), score.grad_w(xs, w), score.value(gz, w), score.grad_w(gz, w))


@dataclass
class _Linearized:
    """Model (B) at w: the scores a (data), b (generated) and their w-gradients u, v at w."""

    w: np.ndarray
    c: float
    a: np.ndarray
    u: np.ndarray
    b: np.ndarray
    v: np.ndarray

    @classmethod
    def at(cls, score: Score, w, xs, gz, c: float) -> _Linearized:
        w = np.array(w, dtype=float)  # a copy: the trainer moves its w in place
        return cls(w, c, score.value(xs, w), score.grad_w(xs, w), score.value(gz, w), score.grad_w(gz, w))

    def value(self, s) -> float:
        return _logloss(self.c, self.w + s, self.a + self.u @ s, self.b + self.v @ s)

    def grad(self, s) -> np.ndarray:
        return _logloss_grad(self.c, self.w + s, self.a + self.u @ s, self.u, self.b + self.v @ s, self.v)

    def dual(self, mu: float, lam0=None):
        """The dual at the trust-region multiplier mu: C/2 ||w + s||^2 + mu/2 ||s||^2 = kappa/2 ||s - s0||^2 +
        C mu / (2 kappa) ||w||^2 with kappa = C + mu, s0 = -C w / kappa. Returns (dual value without -mu Delta,
        s(mu), lambda)."""
        from gantheory.engine._training import _dual_solve

        kappa = self.c + mu
        s0 = -self.c * self.w / kappa
        g, lx, lz, s = _dual_solve(self.u, self.v, kappa, self.a, self.b, s0, lam0)
        return g + self.c * mu / (2 * kappa) * (self.w @ self.w), s, np.concatenate([lx, lz])


def _score_step(lin: _Linearized, delta: float, lam0=None):
    """min m(s) s.t. 1/2 ||s||^2 <= delta through the dual: mu = 0 when s(0) lies in the ball, else the root of
    1/||s(mu)|| = 1/r (r = sqrt(2 delta); ||s(mu)|| decreases in mu) by a safeguarded secant on that secular
    equation. Returns (s, mu, dual value = max over lambda at mu, minus mu delta; lambda)."""
    r = math.sqrt(2 * delta)
    g, s, lam = lin.dual(0.0, lam0)
    if np.linalg.norm(s) <= r * (1 + 1e-10):
        return s, 0.0, g, lam
    lo, lo_psi = 0.0, 1 / np.linalg.norm(s) - 1 / r  # psi < 0 below the root
    hi = max(lin.c, 1e-8)
    while True:
        g, s, lam = lin.dual(hi, lam)
        hi_psi = 1 / max(np.linalg.norm(s), 1e-300) - 1 / r
        if hi_psi >= 0:
            break
        lo, lo_psi, hi = hi, hi_psi, hi * 4
        if hi > 1e30:
            raise FloatingPointError("the trust-region multiplier does not bracket the ball's radius")
    mu = hi
    for k in range(100):
        if abs(np.linalg.norm(s) - r) <= 1e-12 * r:
            break
        cand = hi - hi_psi * (hi - lo) / (hi_psi - lo_psi) if hi_psi != lo_psi else (lo + hi) / 2
        mu = cand if (lo < cand < hi and k % 3 != 2) else (lo + hi) / 2  # a bisection every third step
        g, s, lam = lin.dual(mu, lam)
        psi = 1 / max(np.linalg.norm(s), 1e-300) - 1 / r
        if psi < 0:
            lo, lo_psi = mu, psi
        else:
            hi, hi_psi = mu, psi
    norm = np.linalg.norm(s)
    if norm > r:  # onto the ball (a relative 1e-12 at most): m(s) is then an upper bound on the minimum
        s = s * (r / norm)
    return s, mu, g - mu * delta, lam


def model_step(score: Score, w, xs, gz, c: float, delta: float, model: str = "score", lam0=None) -> dict:
    """One trust-region model step at w on the minibatch: ``s``, the model's predicted decrease m(0) - m(s)
    (m(0) = f(w) for both models, returned as ``f0``), and for model (B) the multiplier ``mu``, the dual value
    ``dual`` and the model's value at s ``model_value`` (strong duality: equal), and ``lam`` (a warm start for
    the next step)."""
    lin = _Linearized.at(score, w, xs, gz, c)  # the scores at w and their gradients, evaluated once
    f0 = lin.value(np.zeros_like(lin.w))
    if model == "cost":
        grad = lin.grad(np.zeros_like(lin.w))
        norm = float(np.linalg.norm(grad))
        s = np.zeros_like(lin.w) if norm == 0 else -math.sqrt(2 * delta) / norm * grad
        return {"s": s, "predicted": math.sqrt(2 * delta) * norm, "f0": f0}
    s, mu, dual, lam = _score_step(lin, delta, lam0)
    mval = lin.value(s)
    return {"s": s, "predicted": f0 - mval, "f0": f0, "mu": mu, "dual": dual, "model_value": mval, "lam": lam,
            "linearized": lin}


def model_minimum_scipy(lin: _Linearized, delta: float) -> float:
    """min m(s) s.t. 1/2 ||s||^2 <= delta solved on the primal by SciPy's SLSQP (independent of the dual)."""
    from scipy.optimize import minimize

    cons = {"type": "ineq", "fun": lambda s: delta - s @ s / 2, "jac": lambda s: -s}
    res = minimize(lin.value, np.zeros_like(lin.w), jac=lin.grad, constraints=[cons], method="SLSQP",
                   options={"ftol": 1e-14, "maxiter": 500})
    return float(res.fun)


def _ratio(f0: float, f1: float, predicted: float) -> float:
    """rho = (f(w) - f(w + s)) / (m(0) - m(s)); 1 when both decreases are within rounding of f (the model agrees
    with f as far as float64 can tell: the radius is kept, not shrunk on noise), nan when nothing is predicted."""
    tiny = 64 * np.finfo(float).eps * max(abs(f0), abs(f1), 1e-300)
    if abs(f0 - f1) <= tiny and abs(predicted) <= tiny:
        return 1.0
    return (f0 - f1) / predicted if predicted > 0 else float("nan")


def dualing_nonlinear(gan=None, *, steps: int = 600, m: int = 64, c: float = 1e-3, lr_g: float = 0.1,
                      delta: float = 0.05, model: str = "score", score: str = "mlp", hidden: int = 4,
                      adapt: bool = True, theta0=(0.0, 0.0), seed: int = 0, record_every: int = 10,
                      on_step: Callable[[int, int], None] | None = None, _g_sign: float = 1.0,
                      _s_sign: float = 1.0):
    """Dualing GANs with a nonlinear score (see the module's docstring): ``steps`` iterations of one generator
    ascent step on f(theta, w_k) (step ``lr_g``) and one trust-region step of the discriminator on the model
    ``model`` ("score": (B), dualized; "cost": (A)) with initial ``delta`` (1/2 ||s||^2 <= delta), minibatches of
    ``m``. ``_g_sign`` and ``_s_sign`` exist for the tests (a wrong-sign generator gradient or model step)."""
    from gantheory.engine._training import (
        TrainingGAN,
        TrainingRun,
        _as_array,
        _check_dualing,
        _left_grid,
        _theory,
        _train_loop,
    )

    gan = TrainingGAN() if gan is None else gan
    _check_dualing(steps, m, record_every, c=(c, True), lr_g=(lr_g, False), delta=(delta, True))
    if delta > 1e6:
        raise ValueError(f"delta = {delta}: the trust region 1/2 ||s||^2 <= delta is at most 1e6")
    if model not in MODELS:
        raise ValueError(f"model must be one of {', '.join(MODELS)}, got {model!r}")
    F = score_model(score, hidden)
    rng = np.random.default_rng(seed)
    theta = _as_array(theta0, 2, "theta0").copy()
    if score == "mlp":  # a: small output weights; b, c: unit-scale hidden units; d = 0
        h = F.hidden
        w = np.concatenate([0.1 * rng.standard_normal(h), rng.standard_normal(h), rng.standard_normal(h), [0.0]])
    else:
        w = np.zeros(F.size)
    settings = {"m": m, "c": c, "lr_g": lr_g, "delta": delta, "model": model, "score": score,
                "hidden": F.hidden, "adapt": adapt, "seed": seed, "steps": steps,
                "data": {"means": list(gan.means), "stds": list(gan.stds), "weights": list(gan.weights)},
                "generator": "location-scale: G(z) = mu + sigma z, z ~ N(0, 1)",
                "discriminator": (f"sigmoid(F(w, x)), F = sum_j a_j tanh(b_j x + c_j) + d with {F.hidden} hidden "
                                  "units" if score == "mlp" else "sigmoid(w . (1, x, x^2))")
                + f"; model ({'B) score' if model == 'score' else 'A) cost'} linearization with a trust region"}
    run = TrainingRun("dualing", settings, w, theta, score=F.value)
    state = {"delta": float(delta), "lam": None, "taken": 0, "tried": 0, "rho": float("nan"), "mu": 0.0,
             "model_gap": 0.0, "scipy_gap": 0.0, "f": float("nan")}
    delta_max, delta_min = 1e6, float(delta) * 1e-12
    from scipy.special import expit

    def iteration(it):
        xs, zs = gan.sample(rng, m), rng.standard_normal(m)
        gz = theta[0] + math.exp(theta[1]) * zs
        # 1. ascent on f(theta, w_k) in theta: (1/2n) sum sigmoid(F(G(z))) dF/dy (dG/dmu, dG/dl), dG/dl = e^l z
        dfdy = expit(F.value(gz, w)) * F.d_dy(gz, w) / (2 * m)
        theta[:] += _g_sign * lr_g * np.array([np.sum(dfdy), np.sum(dfdy * math.exp(theta[1]) * zs)])
        if not (np.all(np.isfinite(theta)) and abs(theta[0]) < 1e300 and theta[1] < 700):
            raise _left_grid(it, theta, gan, ValueError("its scale or location overflows"), "lr_g")
        gz = theta[0] + math.exp(theta[1]) * zs
        # 2. the model step in the trust region, 3. w_{k+1} = w_k + s (when f decreases, or always if not adapt)
        used = state["delta"]
        step = model_step(F, w, xs, gz, c, used, model, state["lam"])
        s = _s_sign * step["s"]
        f0 = step["f0"]
        f1 = loss(F, w + s, xs, gz, c)
        rho = _ratio(f0, f1, step["predicted"])
        state["tried"] += 1
        if not adapt or rho > 0:
            w[:] += s
            state["taken"] += 1
            state["lam"] = step.get("lam")
            state["f"] = f1
        else:
            state["f"] = f0
        if adapt and math.isfinite(rho):
            if rho < 0.25:
                state["delta"] = max(used / 16, delta_min)  # the radius sqrt(2 delta) / 4
            elif rho > 0.75 and s @ s / 2 >= 0.98 * used:
                state["delta"] = min(used * 4, delta_max)   # the radius doubled
        state["rho"] = rho
        if model == "score":
            state["mu"] = step["mu"]
            state["model_gap"] = step["model_value"] - step["dual"]
            if it % record_every == 0 or it == steps:  # the independent check of the model's minimum, at records
                state["scipy_gap"] = step["model_value"] - model_minimum_scipy(step["linearized"], used)

    def theory():
        rec = _theory(gan, w, theta, score=F.value)
        tried = max(state["tried"], 1)
        rec.update({"f": state["f"], "delta": state["delta"], "rho": state["rho"], "taken": state["taken"] / tried,
                    "mu_tr": state["mu"], "model_gap": state["model_gap"], "scipy_gap": state["scipy_gap"]})
        state["taken"] = state["tried"] = 0
        return rec

    return _train_loop(run, gan, steps, record_every, iteration, theory, on_step, "lr_g or delta")
