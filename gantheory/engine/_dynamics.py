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

from gantheory.engine._backend import namespace
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
    """Final states, per-trajectory contraction rates and divergence flags (arrays of the namespace)."""

    theta: object
    psi: object
    rate: object
    diverged: object
    distance0: object
    distance: object
    steps: int


#: Trajectories simulated together: all steps run on one chunk while it sits in cache.
CHUNK = 1 << 15


def simulate(theta0, psi0, h, *, game="dirac", loss="gan", reg="none", optimizer="simgd", steps=1000,
             n_g=1, n_d=1, beta=0.0, gamma=1.0, sigma=1.0, clip=None, track=True, chunk=CHUNK) -> Simulation:
    """Run ``steps`` updates of ``optimizer`` from every (theta0[i], psi0[i]) with step size h[i].

    ``h`` is a number or an array like ``theta0``. ``rate`` is the measured contraction factor per
    step of the distance to the equilibrium (0, 0), from step ``steps // 10`` to the last checkpoint
    (every 50 steps) where the distance is still above rounding level; trajectories
    that blow up are flagged ``diverged`` (rate NaN). ``clip`` bounds |psi| after each discriminator
    update (WGAN weight clipping). Trajectories are independent, so they are simulated ``chunk`` at a
    time, every step on one chunk before the next (cache blocking).
    """
    if optimizer not in G.OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {G.OPTIMIZERS}, got {optimizer!r}")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    xp = namespace(theta0, psi0)
    v = numeric_field(game, loss, reg, gamma, sigma, xp)
    n = theta0.shape[0]
    scalar_h = isinstance(h, (int, float))
    parts = []
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        hk = float(h) if scalar_h else h[start:stop]
        parts.append(_simulate_chunk(xp, v, theta0[start:stop], psi0[start:stop], hk, optimizer, steps, n_g, n_d,
                                     beta, clip, track, FLOOR_NOISE if reg == "instance-noise" else FLOOR_DEFAULT))
    if len(parts) == 1:
        return parts[0]
    cat = xp.concat
    return Simulation(*(cat([getattr(p, f) for p in parts]) for f in
                        ("theta", "psi", "rate", "diverged", "distance0", "distance")), steps)


def _simulate_chunk(xp, v, th, ps, h, optimizer, steps, n_g, n_d, beta, clip, track, floor_frac) -> Simulation:
    clipf = (lambda p: xp.clip(p, -clip, clip)) if clip is not None else (lambda p: p)
    momentum = beta != 0
    prev_th, prev_ps = th, ps
    prev_v = None
    d0 = xp.sqrt(th * th + ps * ps)
    diverged = xp.zeros(th.shape, dtype=xp.bool)
    burn = max(1, steps // 10)  # the rate is measured from here to the last checkpoint above the floor
    log_first = log_last = k_last = None
    floor = floor_frac * d0
    for k in range(steps):
        if optimizer == "simgd":
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
        if track and (k + 1 == burn or k + 1 == steps or (k + 1) % 50 == 0):
            d = xp.sqrt(th * th + ps * ps)
            bad = ~xp.isfinite(d) | (d > DIVERGENCE_FACTOR * d0)
            diverged = diverged | bad
            zero = xp.zeros_like(th)
            th, ps = xp.where(diverged, zero, th), xp.where(diverged, zero, ps)
            prev_th, prev_ps = xp.where(diverged, zero, prev_th), xp.where(diverged, zero, prev_ps)
            ok = ~diverged & (d > floor)
            log_d = xp.log(xp.where(ok, d, xp.ones_like(d)))
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
        rate = xp.where(diverged | (span <= 0), xp.full_like(rate, math.nan), rate)
    else:
        rate = xp.full_like(d, math.nan)
    return Simulation(th, ps, rate, diverged, d0, d, steps)


def linearization(game="dirac", loss="gan", reg="none", optimizer="simgd", h=0.1, n_g=1, n_d=1, beta=0.0,
                  gamma=1.0, sigma=1.0) -> dict:
    """Field and update-operator eigenvalues at the equilibrium, from the closed-form Jacobians.

    Raises ``gantheory.symbolic._games.NotLinearizable`` where the field is not differentiable.
    """
    subs = {G.gamma: gamma, G.sigma: sigma}
    J = G.field_jacobian(game, loss, reg).subs(subs)
    if loss == "general":
        raise ValueError("loss='general' has no numbers: pick gan, nsgan or wgan")
    Jn = np.array(J.evalf(), dtype=float)
    U = G.update_jacobian(sp.Matrix(Jn), optimizer, float(h), n_g, n_d, float(beta))
    Un = np.array(U.evalf(), dtype=float)
    fe, ue = np.linalg.eigvals(Jn), np.linalg.eigvals(Un)
    return {"field_jacobian": Jn, "update_jacobian": Un, "field_eigenvalues": fe, "update_eigenvalues": ue,
            "spectral_radius": float(np.max(np.abs(ue)))}
