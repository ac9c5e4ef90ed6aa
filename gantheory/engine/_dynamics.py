"""Batched simulation of game dynamics (many initial points and step sizes at once, Array API).

The vector fields come from :mod:`gantheory.symbolic._games`, lambdified onto the array namespace;
the optimizers are the update rules whose Jacobians ``update_jacobian`` gives in closed form.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np
import sympy as sp

from gantheory.engine._backend import compiled, namespace, real_array, to_numpy
from gantheory.symbolic import _games as G

__all__ = ["Simulation", "simulate", "numeric_field", "linearization"]

#: Gauss-Hermite nodes for the instance-noise expectation (exact for polynomials of degree < 2K).
HERMITE_NODES = 16
#: A trajectory whose distance to the equilibrium grows by this factor is declared divergent.
DIVERGENCE_FACTOR = 1e8
#: Distances below this fraction of the starting distance are not used for the measured rate: for the
#: instance-noise field, whose quadrature cancels terms of size O(1) (rounding noise near 1e-16), and
#: otherwise only to stay clear of underflow.
FLOOR_NOISE, FLOOR_DEFAULT = 1e-12, 1e-250


@cache
def _simplified_field(game, loss, reg, gamma, sigma):
    if loss == "general":
        raise ValueError("loss='general' has no numeric field: pick gan, nsgan or wgan")
    v = G.field(game, loss, reg).subs({G.gamma: gamma, G.sigma: sigma})
    if v.has(sp.Abs) or v.has(sp.sign):  # simplify would turn these into Piecewise
        return tuple(v)
    return tuple(sp.simplify(c) for c in v)


@cache
def _lambdified(game, loss, reg, gamma, sigma, xp):
    funcs = {name: getattr(xp, attr) for name, attr in (
        ("exp", "exp"), ("log", "log"), ("Abs", "abs"), ("sign", "sign"), ("sqrt", "sqrt"), ("log1p", "log1p"))}
    funcs["xsign"], funcs["xabs"] = xp.sign, xp.abs  # not the math printer's scalar-only versions
    args = [G.theta, G.psi, G.eps]
    comps = [c.replace(sp.sign, sp.Function("xsign")).replace(sp.Abs, sp.Function("xabs"))
             for c in _simplified_field(game, loss, reg, gamma, sigma)]
    # both components in one function, common subexpressions (one exp for the Dirac-GAN) shared
    return sp.lambdify(args, comps, modules=[funcs, "math"], cse=True)


def numeric_field(game="dirac", loss="gan", reg="none", gamma=1.0, sigma=1.0, xp=None):
    """``v(theta, psi) -> (v_theta, v_psi)`` on arrays of namespace ``xp`` (NumPy by default).

    With instance noise, the expectation over the noise uses Gauss-Hermite quadrature.
    """
    if xp is None:
        import array_api_compat.numpy as xp
    fv = _lambdified(game, loss, reg, float(gamma), float(sigma), xp)

    def full(a, like):  # a component that simplified to a constant still has to be an array
        return a if getattr(a, "shape", None) == like.shape else a + xp.zeros_like(like)

    if reg != "instance-noise":
        def v(th, ps):
            a, b = fv(th, ps, 0.0)
            return full(a, th), full(b, ps)

        return v
    x, w = np.polynomial.hermite_e.hermegauss(HERMITE_NODES)
    nodes = [(float(sigma * xi), float(wi / math.sqrt(2 * math.pi))) for xi, wi in zip(x, w)]

    def v_noise(th, ps):
        a = b = 0.0
        for ek, wk in nodes:
            da, db = fv(th, ps, ek)
            a, b = a + wk * da, b + wk * db
        return full(a, th), full(b, ps)

    return v_noise


@dataclass
class Simulation:
    """Final states, per-trajectory contraction rates and divergence flags (arrays of the namespace).

    ``path`` (NumPy, shape ``(steps + 1, record, 2)``) holds every iterate (theta, psi) of the first
    ``record`` trajectories when asked for (``simulate(..., record=k)``), NaN from the checkpoint at
    which a trajectory was declared divergent; otherwise None.
    """

    theta: object
    psi: object
    rate: object
    diverged: object
    distance0: object
    distance: object
    steps: int
    path: object = None


#: Trajectories simulated together: all steps run on one chunk while it sits in cache.
CHUNK = 1 << 14


def _starting_points(theta0, psi0):
    """theta0, psi0 as 1-D real floating arrays of one namespace (lists and scalars become NumPy)."""
    out = []
    for name, x in (("theta0", theta0), ("psi0", psi0)):
        x, xp = real_array(x, name, scalars=True, what="an array or a list of numbers")
        if len(x.shape) != 1 or x.shape[0] == 0:
            raise ValueError(f"{name} must be one-dimensional and non-empty, got shape {tuple(x.shape)}")
        if not bool(xp.all(xp.isfinite(x))):
            raise ValueError(f"{name} has NaN or infinite values")
        out.append(x)
    if tuple(out[0].shape) != tuple(out[1].shape):
        raise ValueError(f"theta0 and psi0 must have the same shape, got {tuple(out[0].shape)} and "
                         f"{tuple(out[1].shape)}")
    return out


def _check_number(name, value, *, low=None, low_open=True, high=None, integer=False):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if integer and int(value) != value:
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if low is not None and (value <= low if low_open else value < low):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low}, got {value!r}")
    if high is not None and not value < high:
        raise ValueError(f"{name} must be < {high}, got {value!r}")


def _check_hyperparameters(reg, n_g, n_d, beta, gamma, sigma) -> None:
    """beta in (-1, 1), gamma >= 0, sigma >= 0 (> 0 with instance noise), 1 <= n_g, n_d <= 10000 (integers)."""
    _check_number("beta", beta, low=-1, high=1)
    _check_number("gamma", gamma, low=0, low_open=False)
    _check_number("sigma", sigma, low=0, low_open=reg == "instance-noise")
    for name, val in (("n_g", n_g), ("n_d", n_d)):
        _check_number(name, val, low=1, low_open=False, integer=True)
        if val > 10_000:
            raise ValueError(f"{name} = {val}: at most 10000 steps per round")


def simulate(theta0, psi0, h, *, game="dirac", loss="gan", reg="none", optimizer="simgd", steps=1000,
             n_g=1, n_d=1, beta=0.0, gamma=1.0, sigma=1.0, clip=None, track=True, chunk=CHUNK,
             record: int = 0) -> Simulation:
    """Run ``steps`` updates of ``optimizer`` from every (theta0[i], psi0[i]) with step size h[i].

    ``h`` is a positive number or an array like ``theta0``. ``rate`` is the measured contraction
    factor per step of the distance to the equilibrium (0, 0), from step ``steps // 10`` to the last
    checkpoint (every 50 steps) where the distance is still above rounding level; trajectories
    that blow up are flagged ``diverged`` (rate NaN). ``clip`` bounds |psi| after each discriminator
    update (WGAN weight clipping). ``record=k`` keeps every iterate of the first k trajectories in
    ``path`` (for figures: the picture and the rate come from the same run). Trajectories are
    independent, so they are simulated ``chunk`` at a time, every step on one chunk before the next.
    """
    if optimizer not in G.OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {G.OPTIMIZERS}, got {optimizer!r}")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    theta0, psi0 = _starting_points(theta0, psi0)
    xp = namespace(theta0, psi0)
    n = theta0.shape[0]
    scalar_h = isinstance(h, (int, float, np.integer, np.floating)) and not isinstance(h, bool)
    if scalar_h:
        _check_number("h", h, low=0)
    else:
        if not hasattr(h, "shape") or tuple(h.shape) != (n,):
            raise ValueError(f"h must be a positive number or an array of shape ({n},), got "
                             f"{getattr(h, 'shape', type(h).__name__)}")
        if not bool(xp.all(xp.isfinite(h) & (h > 0))):
            raise ValueError("h must be positive and finite everywhere")
    _check_hyperparameters(reg, n_g, n_d, beta, gamma, sigma)
    if clip is not None:
        _check_number("clip", clip, low=0)
    if isinstance(record, bool) or not isinstance(record, int) or not 0 <= record <= n:
        raise ValueError(f"record must be an integer between 0 and the number of trajectories {n}, got {record!r}")
    if beta != 0 and optimizer not in ("simgd", "altgd"):
        raise ValueError(f"beta (heavy-ball momentum) applies to simgd and altgd, not {optimizer}")
    v = numeric_field(game, loss, reg, gamma, sigma, xp)
    # the fused NumPy kernel: simultaneous GD on the Dirac-GAN with the GAN loss (the common case of
    # sweeps over many trajectories); every other case runs the generic Array-API step
    fused = ((game, loss, reg, optimizer) == ("dirac", "gan", "none", "simgd") and beta == 0 and clip is None
             and scalar_h and record == 0 and _is_numpy(xp))
    parts = []
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        hk = float(h) if scalar_h else h[start:stop]
        rec = max(0, min(record - start, stop - start))
        parts.append(_simulate_chunk(xp, v, theta0[start:stop], psi0[start:stop], hk, optimizer, steps, n_g, n_d,
                                     beta, clip, track, FLOOR_NOISE if reg == "instance-noise" else FLOOR_DEFAULT,
                                     rec, fused))
    if len(parts) == 1:
        return parts[0]
    cat = xp.concat
    paths = [p.path for p in parts if p.path is not None]
    return Simulation(*(cat([getattr(p, f) for p in parts]) for f in
                        ("theta", "psi", "rate", "diverged", "distance0", "distance")), steps,
                      np.concatenate(paths, axis=1) if paths else None)


def _is_numpy(xp) -> bool:
    return getattr(xp, "__name__", "").split(".")[-1] == "numpy"


def _dirac_gan_simgd_kernel(n: int):
    """One simultaneous-GD step on the Dirac-GAN with the GAN loss, in place, in three preallocated
    buffers: v = (-psi s, theta s) with s = f'(theta psi) = 1 / (1 + exp(theta psi)). Eight ufunc calls
    with ``out=``, one ``exp``; the same arithmetic as the generic step up to rounding (tested)."""
    t, u, w = np.empty(n), np.empty(n), np.empty(n)

    def step(th, ps, h):
        m = th.shape[0]
        tt, uu, ww = t[:m], u[:m], w[:m]
        np.multiply(th, ps, out=tt)
        np.exp(tt, out=tt)
        tt += 1.0
        np.divide(h, tt, out=tt)  # h s
        np.multiply(ps, tt, out=uu)
        np.multiply(th, tt, out=ww)
        th -= uu  # theta + h (-psi s)
        ps += ww  # psi + h (theta s), with the theta of before the step
        return th, ps

    return step


def _simulate_chunk(xp, v, th, ps, h, optimizer, steps, n_g, n_d, beta, clip, track, floor_frac,
                    record=0, fused=False) -> Simulation:
    if clip is not None:  # max/min against 0-d bounds: the compat layer's clip broadcasts its scalars every call
        lo_c, hi_c = xp.asarray(-float(clip), dtype=ps.dtype), xp.asarray(float(clip), dtype=ps.dtype)
        clipf = lambda p: xp.minimum(xp.maximum(p, lo_c), hi_c)  # noqa: E731
    else:
        clipf = lambda p: p  # noqa: E731
    momentum = beta != 0
    prev_th, prev_ps = th, ps
    prev_v = None
    d0 = xp.sqrt(th * th + ps * ps)
    diverged = xp.zeros(th.shape, dtype=xp.bool)
    burn = max(1, steps // 10)  # the rate is measured from here to the last checkpoint above the floor
    log_first = log_last = k_last = early_log = early_k = None
    floor = floor_frac * d0
    path = [] if record else None
    marks = []  # (step, diverged flags of the recorded trajectories) at each checkpoint

    def keep():
        path.append(np.stack([to_numpy(th[:record]), to_numpy(ps[:record])], axis=-1).astype(float))

    if record:
        keep()
    if fused:  # the kernel updates in place: work on copies of the starting points
        fast = compiled()
        kernel = (fast.dirac_gan_simgd_kernel if fast is not None else _dirac_gan_simgd_kernel)(th.shape[0])
        th, ps = np.array(th, dtype=np.float64, copy=True), np.array(ps, dtype=np.float64, copy=True)
    for k in range(steps):
        if fused:
            th, ps = kernel(th, ps, h)
            nth, nps = th, ps
        elif optimizer == "simgd":
            a, b = v(th, ps)
            nth, nps = th + h * a, ps + h * b
            if momentum:
                nth, nps = nth + beta * (th - prev_th), nps + beta * (ps - prev_ps)
            nps = clipf(nps)
        elif optimizer == "altgd":
            nth = th
            for _ in range(n_g):
                nth = nth + h * v(nth, ps)[0]
                if momentum:
                    nth = nth + beta * (th - prev_th)
            nps = ps
            for _ in range(n_d):
                nps = nps + h * v(nth, nps)[1]
                if momentum:
                    nps = nps + beta * (ps - prev_ps)
                nps = clipf(nps)
        elif optimizer == "extragradient":
            a, b = v(th, ps)
            a, b = v(th + h * a, clipf(ps + h * b))
            nth, nps = th + h * a, clipf(ps + h * b)
        elif optimizer == "optimistic":
            a, b = v(th, ps)
            pa, pb = prev_v if prev_v is not None else (a, b)
            nth, nps = th + 2 * h * a - h * pa, clipf(ps + 2 * h * b - h * pb)
            prev_v = (a, b)
        prev_th, prev_ps, th, ps = th, ps, nth, nps
        if record:
            keep()
        if track and (k + 1 == burn or k + 1 == steps or (k + 1) % 50 == 0):
            d = xp.sqrt(th * th + ps * ps)
            bad = ~xp.isfinite(d) | (d > DIVERGENCE_FACTOR * d0)
            if bool(xp.any(bad)):  # a trajectory set to the equilibrium (0, 0) stays there: zero new ones only
                diverged = diverged | bad
                zero = xp.zeros_like(th)
                th, ps = xp.where(diverged, zero, th), xp.where(diverged, zero, ps)
                prev_th, prev_ps = xp.where(diverged, zero, prev_th), xp.where(diverged, zero, prev_ps)
            if record:
                marks.append((k + 1, to_numpy(diverged[:record])))
            ok = ~diverged & (d > floor)
            log_d = xp.log(xp.where(ok, d, xp.ones_like(d)))
            if k + 1 < burn:  # kept for trajectories that reach the floor soon after the burn-in
                early_log = log_d if early_log is None else xp.where(ok, log_d, early_log)
                early_k = xp.where(ok, xp.full_like(d, float(k + 1)),
                                   xp.zeros_like(d) if early_k is None else early_k)
            if k + 1 == burn:
                log_first, log_last = log_d, log_d
                k_last = xp.where(ok, xp.full_like(d, float(burn)), xp.zeros_like(d))
            elif k + 1 > burn:  # the last checkpoint above the floor
                log_last = xp.where(ok, log_d, log_last)
                k_last = xp.where(ok, xp.full_like(d, float(k + 1)), k_last)
    d = xp.sqrt(th * th + ps * ps)
    if track and log_last is not None:
        span = k_last - burn
        rate = xp.exp((log_last - log_first) / xp.where(span > 0, span, xp.ones_like(span)))
        if early_k is not None:
            # the floor was reached right after the burn-in: measure over [last checkpoint before it, burn]
            e_span = float(burn) - early_k
            early_rate = xp.exp((log_first - early_log) / xp.where(e_span > 0, e_span, xp.ones_like(e_span)))
            use_early = (span <= 0) & (early_k > 0) & (k_last >= burn)
            rate = xp.where(use_early, early_rate, rate)
            span = xp.where(use_early, e_span, span)
        rate = xp.where(diverged | (span <= 0), xp.full_like(rate, math.nan), rate)
    else:
        rate = xp.full_like(d, math.nan)
    if record:
        path = np.stack(path)  # (steps + 1, record, 2)
        with np.errstate(invalid="ignore", over="ignore"):
            path[~np.isfinite(path)] = np.nan
        for j in range(record):  # NaN from the checkpoint where the trajectory was declared divergent
            first = next((step for step, flags in marks if flags[j]), None)
            if first is not None:
                path[first:, j, :] = np.nan
    return Simulation(th, ps, rate, diverged, d0, d, steps, path)


def linearization(game="dirac", loss="gan", reg="none", optimizer="simgd", h=0.1, n_g=1, n_d=1, beta=0.0,
                  gamma=1.0, sigma=1.0) -> dict:
    """Field and update-operator eigenvalues at the equilibrium, from the closed-form Jacobians.

    Raises ``gantheory.symbolic._games.NotLinearizable`` where the field is not differentiable.
    """
    if optimizer not in G.OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {G.OPTIMIZERS}, got {optimizer!r}")
    _check_number("h", h, low=0)
    _check_hyperparameters(reg, n_g, n_d, beta, gamma, sigma)
    subs = {G.gamma: gamma, G.sigma: sigma}
    J = G.field_jacobian(game, loss, reg).subs(subs)
    if loss == "general":
        raise ValueError("loss='general' has no numbers: pick gan, nsgan or wgan")
    with np.errstate(over="ignore", invalid="ignore"):
        Jn = np.array(J.evalf(), dtype=float)
    if not np.all(np.isfinite(Jn)):
        raise ValueError(f"the field's Jacobian at gamma = {gamma:g}, sigma = {sigma:g} has entries beyond float64; "
                         f"`gantheory stability --game {game} --loss {loss} --reg {reg}` treats it exactly")
    U = G.update_jacobian(sp.Matrix(Jn), optimizer, float(h), n_g, n_d, float(beta))
    with np.errstate(over="ignore", invalid="ignore"):
        Un = np.array(U.evalf(), dtype=float)
    if not np.all(np.isfinite(Un)):
        big = max(abs(sp.Float(e)) for e in U)
        raise ValueError(f"h = {h:g}: the update operator's entries reach {sp.Float(big, 3)}, beyond float64, so its "
                         "eigenvalues cannot be computed in floating point; `gantheory stability --game "
                         f"{game} --loss {loss} --reg {reg} --optimizer {optimizer} --h {h:g}` decides it exactly")
    fe, ue = np.linalg.eigvals(Jn), np.linalg.eigvals(Un)
    return {"field_jacobian": Jn, "update_jacobian": Un, "field_eigenvalues": fe, "update_eigenvalues": ue,
            "spectral_radius": float(np.max(np.abs(ue)))}
