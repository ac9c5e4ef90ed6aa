"""Game dynamics of the trainers' parametric GAN, held against the spectrum that predicts them (issue #29).

The model is the one of :mod:`gantheory.engine._training`: data a 1-D Gaussian mixture, the generator
G_theta(z) = mu + exp(l) z (theta = (mu, l)), and either

- ``gan`` / ``nsgan``: the discriminator D_w(x) = sigmoid(w0 + w1 x + w2 x^2); D ascends
  E log D(x) + E log(1 - D(G(z))), the generator descends E log(1 - D(G(z))) (``gan``, as Goodfellow et al.
  state it) or E[-log D(G(z))] (``nsgan``);
- ``wgan``: the critic f_w(x) = w1 x + w2 x^2 (a constant term changes neither player's loss and is left
  out); f ascends E f(x) - E f(G(z)), the generator descends -E f(G(z)). No clipping: this is the
  unconstrained game whose rotation seed 002 describes.

The *expected* gradient field v(u), u = (w, theta), is computed by Gauss-Hermite quadrature (deterministic:
the dynamics of full-batch training). Its per-sample terms and their derivatives are derived by SymPy and
lambdified; the Jacobian J = dv/du is derived the same way, never by differences. Regularizers: ``r1``
(gamma/2 E_x (d/dx score)^2 subtracted from D's objective, Mescheder et al. 2018) and ``consensus``
(v - gamma J^T v, Mescheder et al. 2017).

An equilibrium u* (v(u*) = 0) is found by Newton's method from the moment-matched generator and w = 0.
The update maps (simultaneous, alternating with D first, extragradient, optimistic, heavy-ball momentum
beta) are iterated from u* plus a small perturbation; the measured rate (a least-squares slope of log
||u_k - u*|| over the second half of the run) is held against the spectral radius of the update map's
Jacobian at u*, composed from J (I + hJ, the alternating block product, I + hJ + (hJ)^2, and the
stacked maps of optimistic GD and momentum).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

__all__ = ["GAME_LOSSES", "GAME_OPTIMIZERS", "GAME_REGULARIZERS", "GameModel", "GameRun", "game_model",
           "update_jacobian", "update_radius", "noise_floor", "game_dynamics", "game_sweep"]

GAME_LOSSES = ("gan", "nsgan", "wgan")
GAME_OPTIMIZERS = ("simgd", "altgd", "extragradient", "optimistic")
GAME_REGULARIZERS = ("none", "r1", "consensus")
#: within this of 1, a spectral radius is "marginal": rounding of the eigenvalue decides the verdict
MARGINAL = 1e-9
#: the largest step size (h J must stay finite in float64; every map here diverges long before)
MAX_STEP = 1e6
#: the largest regularizer weight (gamma J^T J must stay finite)
MAX_GAMMA = 1e6
#: a run farther than this from u* has left the regime the linearization describes, and is stopped
LINEAR_LIMIT = 1e-2
#: the rate is fitted where the distance is below this (the quadratic terms of the map change it by about
#: that fraction) and above ROUNDING times max(1, |u*|) (below, rounding of u itself is a visible fraction)
FIT_LIMIT = 1e-3
ROUNDING = 1e-13
#: a minibatch run farther than this from u* is stopped (it has left the equilibrium's neighbourhood)
STOCHASTIC_LIMIT = 1.0


def _exprs(loss: str, reg: str):
    """Per-sample field terms and their Jacobians in u, derived by SymPy: (real term in x, fake term in z)."""
    from gantheory.engine._training import _LogSigmoid

    x, z, mu, ls, gamma = sp.symbols("x z mu l gamma", real=True)
    g = mu + sp.exp(ls) * z
    if loss == "wgan":
        w = sp.symbols("w1:3", real=True)
        score = lambda y: w[0] * y + w[1] * y**2  # noqa: E731
        d_real, d_fake, g_loss = score(x), -score(g), -score(g)
    else:
        w = sp.symbols("w0:3", real=True)
        score = lambda y: w[0] + w[1] * y + w[2] * y**2  # noqa: E731
        d_real, d_fake = _LogSigmoid(score(x)), _LogSigmoid(-score(g))
        g_loss = d_fake if loss == "gan" else -_LogSigmoid(score(g))
    if reg == "r1":
        d_real = d_real - gamma / 2 * sp.diff(score(x), x) ** 2
    u = (*w, mu, ls)
    real = [sp.diff(d_real, s) for s in w] + [sp.Integer(0), sp.Integer(0)]
    fake = [sp.diff(d_fake, s) for s in w] + [-sp.diff(g_loss, s) for s in (mu, ls)]
    jac = lambda col: [[sp.diff(e, s) for s in u] for e in col]  # noqa: E731
    mods = [{"_Sigmoid": _expit, "_LogSigmoid": _log_expit}, "numpy"]
    return {
        "n_w": len(w),
        "real": sp.lambdify((x, u, gamma), real, mods), "fake": sp.lambdify((z, u, gamma), fake, mods),
        "jreal": sp.lambdify((x, u, gamma), jac(real), mods), "jfake": sp.lambdify((z, u, gamma), jac(fake), mods),
    }


def _expit(a):
    from scipy.special import expit

    return expit(a)


def _log_expit(a):
    from scipy.special import log_expit

    return log_expit(a)


@dataclass
class GameModel:
    """The expected field of one game on one data mixture: ``v(u)``, its Jacobian ``jac(u)`` (with consensus,
    J - gamma J^T J: exact at an equilibrium, where v = 0 removes the second-derivative term), the equilibrium
    ``u_star`` and the names of the coordinates."""

    loss: str
    reg: str
    gamma: float
    names: tuple
    v: Callable
    jac: Callable
    u_star: np.ndarray
    residual: float
    nodes: int
    #: the minibatch field v_B(u, xs, zs): the per-sample terms averaged over data xs and noise zs (with
    #: consensus, v_B - gamma J_B^T v_B from the same batch); None for a model built without it
    v_batch: Callable | None = None
    #: noise(u) = (cov, bias) of the minibatch field at u by the same quadrature: a batch of m has covariance
    #: cov / m (to first order) and mean v(u) + bias / m (consensus only)
    noise: Callable | None = None


def _nodes(n: int):
    t, wt = np.polynomial.hermite.hermgauss(n)
    return math.sqrt(2.0) * t, wt / math.sqrt(math.pi)  # E f(Z), Z ~ N(0, 1) = sum w_k f(z_k)


def game_model(gan=None, *, loss: str = "gan", reg: str = "none", gamma: float = 1.0, nodes: int = 48) -> GameModel:
    """The game of ``loss`` ('gan', 'nsgan', 'wgan') with regularizer ``reg`` ('none', 'r1', 'consensus')
    on the data of ``gan`` (a :class:`~gantheory.engine._training.TrainingGAN`), with its equilibrium."""
    from gantheory.engine._training import TrainingGAN

    gan = TrainingGAN() if gan is None else gan
    if loss not in GAME_LOSSES:
        raise ValueError(f"loss must be one of {GAME_LOSSES}, got {loss!r}")
    if reg not in GAME_REGULARIZERS:
        raise ValueError(f"reg must be one of {GAME_REGULARIZERS}, got {reg!r}")
    if reg == "r1" and loss == "wgan":
        raise ValueError("reg 'r1' penalizes the discriminator of 'gan' and 'nsgan'; for 'wgan' use 'consensus'")
    if isinstance(gamma, bool) or not (isinstance(gamma, (int, float)) and math.isfinite(gamma)
                                       and 0 <= gamma <= MAX_GAMMA):
        raise ValueError(f"gamma must be a number in [0, {MAX_GAMMA:g}], got {gamma!r}")
    if isinstance(nodes, bool) or not isinstance(nodes, int) or not 8 <= nodes <= 200:
        raise ValueError(f"nodes must be an integer in [8, 200], got {nodes!r}")
    ex = _exprs(loss, "r1" if reg == "r1" else "none")
    n_w = ex["n_w"]
    dim = n_w + 2
    t, q = _nodes(nodes)
    xs = np.concatenate([m + s * t for m, s in zip(gan.means, gan.stds)])
    xw = np.concatenate([p * q for p in gan.weights])
    g_reg = float(gamma) if reg == "r1" else 0.0

    def _field(u, px=xs, wx=xw, pz=t, wz=q):  # the data and noise terms, weighted (quadrature or a batch's mean)
        return _stack(ex["real"], px, u, g_reg, (dim,)) @ wx + _stack(ex["fake"], pz, u, g_reg, (dim,)) @ wz

    def _jac(u, px=xs, wx=xw, pz=t, wz=q):
        return (np.tensordot(_stack(ex["jreal"], px, u, g_reg, (dim, dim)), wx, axes=([2], [0]))
                + np.tensordot(_stack(ex["jfake"], pz, u, g_reg, (dim, dim)), wz, axes=([2], [0])))

    def _batch(bx, bz):  # a minibatch as the points and weights of _field and _jac
        return {"px": bx, "wx": np.full(len(bx), 1 / len(bx)), "pz": bz, "wz": np.full(len(bz), 1 / len(bz))}

    def _batch_field(u, bx, bz):
        return _field(u, **_batch(bx, bz))

    def noise(u):
        """(cov, bias): a batch of m has E v_B = v(u) + bias / m and covariance cov / m to first order. Only
        consensus has a bias: its J_B^T v_B pairs the Jacobian and the field of the same batch, so E[J_B^T v_B]
        = J^T v + (1/m) sum_parts E[(J_s - J)^T (v_s - v)] (data and noise terms are independent)."""
        cov, cross = np.zeros((dim, dim)), np.zeros(dim)
        for fn, jfn, pts, wts in ((ex["real"], ex["jreal"], xs, xw), (ex["fake"], ex["jfake"], t, q)):
            terms = _stack(fn, pts, u, g_reg, (dim,))
            dev = terms - (terms @ wts)[:, None]
            cov += (dev * wts) @ dev.T
            if reg == "consensus":
                jt = _stack(jfn, pts, u, g_reg, (dim, dim))
                jdev = jt - np.tensordot(jt, wts, axes=([2], [0]))[:, :, None]
                cross += np.einsum("ijk,ik,k->j", jdev, dev, wts)  # E[(J_s - J)^T (v_s - v)]
        if reg != "consensus":
            return cov, np.zeros(dim)
        G = np.eye(dim) - float(gamma) * _jac(u).T  # the field's noise xi enters as (I - gamma J^T) xi
        return G @ cov @ G.T, -float(gamma) * cross

    if reg == "consensus":
        c = float(gamma)

        def v(u):
            f = _field(u)
            return f - c * _jac(u).T @ f

        def jac(u):  # exact at an equilibrium (v = 0 there, so the term with second derivatives drops)
            J = _jac(u)
            return J - c * J.T @ J

        def v_batch(u, bx, bz):
            b = _batch(bx, bz)
            f = _field(u, **b)
            return f - c * _jac(u, **b).T @ f
    else:
        v, jac, v_batch = _field, _jac, _batch_field
    mean = float(np.dot(gan.weights, gan.means))
    var = float(np.dot(gan.weights, np.asarray(gan.stds) ** 2 + (np.asarray(gan.means) - mean) ** 2))
    u = np.concatenate([np.zeros(n_w), [mean, 0.5 * math.log(var)]])
    for _ in range(50):  # Newton on the unregularized field (its zeros are the regularized field's too)
        f = _field(u)
        if np.linalg.norm(f) < 1e-13:
            break
        try:
            u = u - np.linalg.lstsq(_jac(u), f, rcond=None)[0]
        except np.linalg.LinAlgError:
            break
        if not np.all(np.isfinite(u)):
            break
    residual = float(np.linalg.norm(v(u))) if np.all(np.isfinite(u)) else math.inf
    if not residual < 1e-9:
        raise ValueError(f"no equilibrium of the {loss} game found on this data (Newton's residual {residual:.3g}); "
                         "the location-scale generator may not reach one here -- try one Gaussian component")
    names = (*(f"w{k}" for k in range(3 - n_w, 3)), "mu", "l")
    return GameModel(loss, reg, float(gamma), names, v, jac, u, residual, nodes, v_batch, noise)


def _stack(fn, pts, u, gamma, shape):
    """``fn(p, u, gamma)`` for every quadrature point p, as an array of ``shape + (len(pts),)``."""
    vals = fn(pts, tuple(u), gamma)
    arr = np.empty(shape + (len(pts),))
    it = np.ndindex(*shape)
    flat = vals if len(shape) == 1 else [c for row in vals for c in row]
    for idx, comp in zip(it, flat):
        arr[idx] = np.broadcast_to(np.asarray(comp, dtype=float), (len(pts),))
    return arr


def update_jacobian(J: np.ndarray, optimizer: str, h: float, beta: float = 0.0, n_w: int | None = None) -> np.ndarray:
    """The Jacobian at an equilibrium of one step of ``optimizer`` with step ``h`` (and heavy-ball momentum
    ``beta`` for simgd and altgd), composed from the field's Jacobian J; optimistic GD and momentum act on
    the stacked state (u_k, u_{k-1}). ``n_w``: how many leading coordinates are the discriminator's
    (for altgd, which moves them first)."""
    d = J.shape[0]
    eye = np.eye(d)
    if optimizer == "simgd":
        M = eye + h * J
    elif optimizer == "altgd":
        k = n_w
        A, B, C, E = J[:k, :k], J[:k, k:], J[k:, :k], J[k:, k:]
        Ik, Ig = np.eye(k), np.eye(d - k)
        M = np.block([[Ik + h * A, h * B], [h * C @ (Ik + h * A), Ig + h * E + h * h * C @ B]])
    elif optimizer == "extragradient":
        return eye + h * J + (h * J) @ (h * J)
    elif optimizer == "optimistic":
        return np.block([[eye + 2 * h * J, -h * J], [eye, np.zeros((d, d))]])
    else:
        raise ValueError(f"optimizer must be one of {GAME_OPTIMIZERS}, got {optimizer!r}")
    if beta == 0:
        return M
    return np.block([[M + beta * eye, -beta * eye], [eye, np.zeros((d, d))]])


def update_radius(model: GameModel, optimizer: str, h: float, beta: float = 0.0) -> float:
    """The spectral radius of ``optimizer``'s update map at the equilibrium of ``model`` (step h, momentum beta):
    the rate the theory predicts."""
    M = update_jacobian(model.jac(model.u_star), optimizer, h, beta, len(model.names) - 2)
    return float(np.max(np.abs(np.linalg.eigvals(M))))


def _noise_system(J: np.ndarray, optimizer: str, h: float, beta: float, n_w: int):
    """The linearized minibatch update s' = A s + G xi + G b (xi the batch field's zero-mean noise, b its bias)
    on the state s the update keeps: delta = u - u* for simgd, altgd (one batch per step, the generator's half
    step on the same batch against the new discriminator) and extragradient (both evaluations on the step's
    batch); (delta, previous delta) with momentum; (delta, previous delta, previous xi) for optimistic GD.
    Returns (A, G for xi, the constant input for b, d)."""
    d = J.shape[0]
    eye = np.eye(d)
    if optimizer == "optimistic":
        z = np.zeros((d, d))
        A = np.block([[eye + 2 * h * J, -h * J, -h * eye], [eye, z, z], [z, z, z]])
        return A, np.vstack([2 * h * eye, z, eye]), np.vstack([h * eye, z, z]), d
    if optimizer == "simgd":
        G = h * eye
    elif optimizer == "altgd":
        G = h * eye
        G[n_w:, :n_w] = h * h * J[n_w:, :n_w]
    else:  # extragradient
        G = h * eye + h * h * J
    A = update_jacobian(J, optimizer, h, beta, n_w)
    if beta != 0:
        G = np.vstack([G, np.zeros((d, d))])
    return A, G, G, d


def noise_floor(model: GameModel, optimizer: str, h: float, m: int, beta: float = 0.0) -> dict | None:
    """What the theory predicts for a minibatch run near u*: the linearized update driven by the batch field's
    noise (covariance cov/m and bias/m at u*, by quadrature; :attr:`GameModel.noise`) has the stationary mean
    (I - A)^{-1} c and covariance P solving the discrete Lyapunov equation P = A P A^T + G (cov/m) G^T, so
    E||u - u*||^2 -> ||mean||^2 + tr P (the delta block). None when the update is not contracting (rho >= 1):
    there is no stationary distribution."""
    from scipy.linalg import solve_discrete_lyapunov

    J = model.jac(model.u_star)
    A, G, C, d = _noise_system(J, optimizer, h, beta, len(model.names) - 2)
    if np.max(np.abs(np.linalg.eigvals(A))) >= 1 - MARGINAL:
        return None
    cov, bias = model.noise(model.u_star)
    P = solve_discrete_lyapunov(A, G @ (cov / m) @ G.T)
    mean = np.linalg.solve(np.eye(A.shape[0]) - A, C @ (bias / m))
    spread, offset = float(np.trace(P[:d, :d])), float(mean[:d] @ mean[:d])
    return {"mean_square": spread + offset, "spread": spread, "offset": offset}


@dataclass
class GameRun:
    """A run of the game dynamics from a perturbed equilibrium, and what the spectrum predicts."""

    settings: dict
    model: GameModel
    spectrum: np.ndarray          # eigenvalues of the field's Jacobian at u*
    rho: float                    # spectral radius of the update map's Jacobian at u*
    verdict: str                  # "converges", "diverges" or "marginal" (rho within MARGINAL of 1)
    measured_rate: float | None   # per-step factor fitted on the run (see _fit_window)
    distances: np.ndarray         # ||u_k - u*|| at the recorded steps
    steps_recorded: np.ndarray
    u: np.ndarray
    stopped: str = ""
    interrupted: bool = False
    linear_rate: float | None = None      # the linearized update's own rate fitted over the same steps
    fitted_steps: tuple | None = None     # (first, last) step of the fit
    floor: dict | None = None             # minibatch runs: noise_floor's prediction
    measured_mean_square: float | None = None   # minibatch runs: mean ||u - u*||^2 over the second half
    mean_square_error: float | None = None      # its standard error (batch means over 20 blocks)


def game_dynamics(gan=None, *, loss: str = "gan", optimizer: str = "simgd", h: float = 0.1, beta: float = 0.0,
                  reg: str = "none", gamma: float = 1.0, steps: int = 2000, eps: float = 1e-7, seed: int = 0,
                  record_every: int = 1, nodes: int = 48, model: GameModel | None = None, m: int | None = None,
                  on_step: Callable[[int, int], None] | None = None, _sign: float = 1.0) -> GameRun:
    """Iterate ``optimizer`` on the expected field from u* + eps * (a random unit direction) for ``steps``
    steps; return the distances to u*, the measured rate and the spectral radius that predicts it.

    With ``m`` each step draws a minibatch of m data and m noise samples (from the data of ``gan``) and uses
    the minibatch field: the run hovers at a noise floor, held against :func:`noise_floor` (the measured mean
    of ||u - u*||^2 over the second half of the run, with its standard error), not against a rate.

    ``_sign`` exists for the tests: -1 flips the discriminator's gradient (ascent becomes descent), which
    the known-answer tests must catch."""
    for name, val in (("h", h), ("eps", eps)):
        if isinstance(val, bool) or not (isinstance(val, (int, float)) and math.isfinite(val) and val > 0):
            raise ValueError(f"{name} must be a finite number > 0, got {val!r}")
    if h > MAX_STEP:
        raise ValueError(f"h must be at most {MAX_STEP:g} (beyond, the update's Jacobian I + hJ overflows), got {h!r}")
    if not eps <= FIT_LIMIT:
        raise ValueError(f"eps must be at most {FIT_LIMIT:g} (a perturbation in the linear regime), got {eps!r}")
    if isinstance(beta, bool) or not (isinstance(beta, (int, float)) and math.isfinite(beta) and -1 < beta < 1):
        raise ValueError(f"beta must be a number in (-1, 1), got {beta!r}")
    if beta != 0 and optimizer not in ("simgd", "altgd"):
        raise ValueError(f"beta (heavy-ball momentum) applies to simgd and altgd, not {optimizer}")
    if optimizer not in GAME_OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {GAME_OPTIMIZERS}, got {optimizer!r}")
    for name, val in (("steps", steps), ("record_every", record_every)):
        if isinstance(val, bool) or not isinstance(val, (int, np.integer)) or val < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {val!r}")
    if steps > 10**6:
        raise ValueError(f"steps must be at most 1e6, got {steps}")
    if m is not None and (isinstance(m, bool) or not isinstance(m, (int, np.integer)) or not 1 <= m <= 10**5):
        raise ValueError(f"m (the minibatch) must be an integer from 1 to 100000, got {m!r}")
    if m is not None and steps * m > 2 * 10**8:
        raise ValueError(f"steps * m = {steps * m:.3g} samples: at most 2e8; lower steps or m")
    from gantheory.engine._training import TrainingGAN

    gan = TrainingGAN() if gan is None else gan
    model = game_model(gan, loss=loss, reg=reg, gamma=gamma, nodes=nodes) if model is None else model
    n_w = len(model.names) - 2
    sign = np.concatenate([np.full(n_w, float(_sign)), np.ones(2)])
    v = (lambda u: sign * model.v(u)) if _sign != 1.0 else model.v
    J = model.jac(model.u_star)
    M = update_jacobian(J, optimizer, h, beta, n_w)
    rho = float(np.max(np.abs(np.linalg.eigvals(M))))  # as update_radius; M also gives the linearized run
    verdict = "marginal" if abs(rho - 1) <= MARGINAL else ("converges" if rho < 1 else "diverges")
    rng = np.random.default_rng(seed)
    direction = rng.standard_normal(len(model.u_star))
    u = start = model.u_star + eps * direction / np.linalg.norm(direction)
    dist, at = [float(eps)], [0]
    settings = {"loss": model.loss, "optimizer": optimizer, "h": h, "beta": beta, "reg": model.reg,
                "gamma": model.gamma, "steps": steps, "eps": eps, "seed": seed, "nodes": model.nodes, "m": m}
    run = GameRun(settings, model, np.linalg.eigvals(J), rho, verdict, None, np.asarray(dist), np.asarray(at), u)
    every = np.full(steps + 1, np.nan)  # the distance after every step (8 bytes a step): the rate is fitted on it
    every[0] = eps
    draw = None
    if m is not None:
        if model.v_batch is None:
            raise ValueError("this model has no minibatch field (built without it)")

        def draw():
            bx, bz = gan.sample(rng, m), rng.standard_normal(m)
            if _sign != 1.0:
                return lambda u: sign * model.v_batch(u, bx, bz)
            return lambda u: model.v_batch(u, bx, bz)

    try:
        stopped = _iterate(run, v, h, beta, optimizer, n_w, steps, record_every, on_step, dist, at, every, draw)
    except KeyboardInterrupt:
        stopped = f"interrupted after step {int(np.sum(np.isfinite(every))) - 1}"
        run.interrupted = True
    run.stopped = stopped
    run.distances, run.steps_recorded = np.asarray(dist), np.asarray(at)
    done = int(np.sum(~np.isnan(every)))
    if m is not None:
        run.floor = noise_floor(model, optimizer, h, m, beta)
        tail = every[done // 2:done] ** 2
        if not stopped and tail.size >= 40:
            blocks = np.array_split(tail, 20)
            run.measured_mean_square = float(tail.mean())
            run.mean_square_error = float(np.std([b.mean() for b in blocks], ddof=1) / math.sqrt(len(blocks)))
        window = None
    else:
        window = _fit_window(every[:done], ROUNDING * max(1.0, float(np.linalg.norm(model.u_star))))
    if window is not None:
        run.measured_rate = _fitted_rate(every[:done], window)
        run.linear_rate = _fitted_rate(_linear_distances(M, start - model.u_star, done), window)
        run.fitted_steps = (int(window[0]), int(window[-1]))
    if run.interrupted:
        from gantheory.engine._training import _Interrupted

        raise _Interrupted(run)
    return run


def _step(v, u, prev_u, prev_v, h, beta, optimizer, n_w):
    """One step of ``optimizer`` from u (previous point prev_u, previous field value prev_v for optimistic GD,
    None at the first step); returns (the new point, the field value optimistic GD keeps)."""
    if optimizer == "simgd":
        new = u + h * v(u)
    elif optimizer == "altgd":  # the discriminator first, then the generator against the new discriminator
        new = u.copy()
        new[:n_w] = u[:n_w] + h * v(u)[:n_w]
        new[n_w:] = u[n_w:] + h * v(new)[n_w:]
    elif optimizer == "extragradient":
        new = u + h * v(u + h * v(u))
    else:  # optimistic
        cur = v(u)
        new = u + 2 * h * cur - h * (prev_v if prev_v is not None else cur)
        prev_v = cur
    if beta != 0:
        new = new + beta * (u - prev_u)
    return new, prev_v


def _iterate(run, v, h, beta, optimizer, n_w, steps, record_every, on_step, dist, at, every, draw=None) -> str:
    """The loop of :func:`game_dynamics`: appends (step, distance) records to ``dist``/``at``, writes every
    step's distance into ``every`` and keeps the current point in ``run.u``; returns why it stopped early
    ("" if it ran every step). With ``draw`` (minibatch runs) each step's field is ``draw()``, the run is
    stopped only beyond STOCHASTIC_LIMIT and never at rounding (it hovers at its noise floor)."""
    u_star = run.model.u_star
    u = run.u
    prev_u, prev_v = u.copy(), None
    limit = LINEAR_LIMIT if draw is None else STOCHASTIC_LIMIT
    for k in range(1, steps + 1):
        new, prev_v = _step(v if draw is None else draw(), u, prev_u, prev_v, h, beta, optimizer, n_w)
        prev_u, u = u, new
        run.u = u
        d = float(np.linalg.norm(u - u_star))
        every[k] = d if math.isfinite(d) else math.inf
        if not math.isfinite(d) or d > limit:
            dist.append(d if math.isfinite(d) else math.inf)
            at.append(k)
            what = "the linear regime" if draw is None else f"distance {STOCHASTIC_LIMIT:g} of u*"
            return f"left {what} at step {k} (distance {d:.3g} from u*, {d / dist[0]:.3g} times the start)"
        if draw is None and d < ROUNDING * max(1.0, float(np.linalg.norm(u_star))):
            dist.append(d)
            at.append(k)
            return f"reached u* to rounding at step {k}"
        if k % record_every == 0 or k == steps:
            dist.append(d)
            at.append(k)
        if on_step is not None:
            on_step(k, steps)
    return ""


def _fit_window(dist: np.ndarray, floor: float) -> np.ndarray | None:
    """The steps the rate is fitted on: the second half of those whose distance lies in [floor, FIT_LIMIT]
    (at least the last 4); None with fewer than 4 such steps."""
    idx = np.flatnonzero(np.isfinite(dist) & (dist >= floor) & (dist <= FIT_LIMIT))
    if idx.size < 4:
        return None
    return idx[min(idx.size // 2, idx.size - 4):]


def _fitted_rate(dist: np.ndarray, window: np.ndarray) -> float:
    """exp of the least-squares slope of log distance against the step over ``window``."""
    return float(math.exp(np.polyfit(window.astype(float), np.log(dist[window]), 1)[0]))


def _linear_distances(M: np.ndarray, delta0: np.ndarray, n: int) -> np.ndarray:
    """||delta_k|| for k < n under the linearized update delta_{k+1} = M delta_k (the stacked state (delta,
    previous delta) starts at (delta0, delta0), as the run's first step treats the missing previous point)."""
    d = delta0.size
    state = delta0 if M.shape[0] == d else np.concatenate([delta0, delta0])
    out = np.empty(n)
    for k in range(n):
        out[k] = np.linalg.norm(state[:d])
        state = M @ state
        if not np.all(np.isfinite(state)):
            out[k + 1:] = np.inf
            break
    return out


@functools.lru_cache(maxsize=8)
def _cached_model(gan, loss: str, reg: str, gamma: float, nodes: int) -> GameModel:
    """One model per worker process and game (building one derives and lambdifies the field, about 1 s)."""
    return game_model(gan, loss=loss, reg=reg, gamma=gamma, nodes=nodes)


def _sweep_task(gan, kw: dict, task: tuple) -> dict:
    h, seed = task
    model = _cached_model(gan, kw["loss"], kw["reg"], kw["gamma"], kw["nodes"])
    run = game_dynamics(gan, h=float(h), seed=int(seed), model=model, **{k: v for k, v in kw.items()
                                                                        if k not in ("loss", "reg", "gamma", "nodes")})
    return {"h": float(h), "seed": int(seed), "rho": run.rho, "verdict": run.verdict,
            "measured_rate": run.measured_rate, "linear_rate": run.linear_rate, "stopped": run.stopped}


def game_sweep(gan=None, *, h_values, seeds=(0,), loss: str = "gan", reg: str = "none", gamma: float = 1.0,
               nodes: int = 48, scheduler: str | None = None, **run_kw) -> list[dict]:
    """One run of :func:`game_dynamics` per step size in ``h_values`` and seed in ``seeds`` (the seed picks
    the direction of the starting perturbation); each record holds h, seed, the spectral radius and verdict
    the theory gives, and the measured and linearized rates. With ``scheduler`` the runs go through Dask
    (the stability maps' path: 'threads', 'processes', 'synchronous' or a tcp:// address)."""
    from gantheory import _dask
    from gantheory.engine._training import TrainingGAN

    gan = TrainingGAN() if gan is None else gan
    _dask.check_scheduler(scheduler)
    h_values = [float(h) for h in h_values]
    if not h_values or not all(math.isfinite(h) and 0 < h <= MAX_STEP for h in h_values):
        raise ValueError(f"h_values must be numbers in (0, {MAX_STEP:g}], got {h_values!r}")
    if len(h_values) * len(seeds) > 10**5:
        raise ValueError(f"{len(h_values) * len(seeds)} runs: at most 100000")
    try:  # the arguments checked and the equilibrium found once: the serial runs and a plot reuse the model
        _cached_model(gan, loss, reg, gamma, nodes)
    except TypeError:  # an unhashable argument: game_model says which one is wrong
        game_model(gan, loss=loss, reg=reg, gamma=gamma, nodes=nodes)
        raise
    kw = {"loss": loss, "reg": reg, "gamma": gamma, "nodes": nodes, **run_kw}
    tasks = [(h, s) for h in h_values for s in seeds]
    fn = functools.partial(_sweep_task, gan, kw)
    if scheduler is None:
        return [fn(t) for t in tasks]
    return _dask.map_tasks(fn, tasks, scheduler)
