"""Verifiers: pure functions ``statement -> Evidence``, shared by many claims and by their twins.

Each verifier first tries a symbolic derivation (``proved``); where the derivation does not go
through it searches concrete instances for a counterexample (``refuted``) and otherwise reports a
numeric check (``checked``). Symbolic results are always cross-checked numerically; a
disagreement is a ``failed`` verdict, never silently resolved.
"""

from __future__ import annotations

import itertools

import numpy as np
import sympy as sp

from gantheory._claim import Evidence
from gantheory.symbolic import _atoms as A
from gantheory.symbolic._numeric import evaluate, instances
from gantheory.symbolic._reduce import (
    NotDerivable,
    _expr_reference,
    _ratio,
    integrand,
    interval_parametrization,
    pointwise_argmax,
)

__all__ = ["expectation_identity", "argmax", "omega_minimum", "strict_convexity", "limit_value"]

#: float64 tolerance for sums of a few dozen log terms (errors ~1e-13); twins differ by >= 1e-2.
RTOL = 1e-9


def _close(x: float, y: float) -> bool:
    if np.isinf(x) or np.isinf(y):
        return x == y
    return abs(x - y) <= RTOL * (1.0 + abs(x) + abs(y))


def _sides(statement):
    if not isinstance(statement, sp.Equality):
        raise TypeError(f"expected an equation, got {type(statement).__name__}")
    return statement.lhs, statement.rhs


# -- identities between functionals of two densities ---------------------------------------------

def _numeric_identity(lhs, rhs, ref):
    worst = None
    for reference, other in instances():
        a, b = evaluate(lhs, reference, other, ref), evaluate(rhs, reference, other, ref)
        if not _close(a, b):
            return {str(ref): reference, str(A.DENSITY_PAIRS[ref]): other, "lhs": a, "rhs": b}
        worst = max(worst or 0.0, abs(a - b))
    return worst


def expectation_identity(statement: sp.Equality) -> Evidence:
    """``lhs == rhs`` between functionals (KL, JSD, E, g, d, V, C(G)) of two densities.

    Symbolic: the difference of integrands is ``a + b R`` with ``a + b = 0``, which proves the
    identity for all densities because ``E[1] = E[R] = 1``. Numeric: both sides on concrete discrete
    distributions, computed from the definitions (SciPy ``rel_entr``, Bayes' rule, golden section).
    """
    lhs, rhs = _sides(statement)
    ref = _expr_reference(statement.lhs - statement.rhs)
    numeric = _numeric_identity(lhs, rhs, ref)
    try:
        phi = sp.expand_log(sp.expand(integrand(lhs, ref) - integrand(rhs, ref)), force=True)
        phi = sp.simplify(phi)
        affine = sp.simplify(sp.diff(phi, A.R, 2)) == 0
        if affine:
            b = sp.simplify(sp.diff(phi, A.R))
            a = sp.simplify(phi - b * A.R)
            total = sp.simplify(a + b)
            symbolic = total == 0
        else:
            symbolic, total = None, None
    except NotDerivable as exc:
        symbolic, total, phi = None, None, str(exc)
    if isinstance(numeric, dict):  # a counterexample
        if symbolic is True:
            return Evidence(None, "symbolic", "symbolic proof and numeric values disagree", numeric)
        why = (f"the integrands differ by {phi}, whose expectation is {total} != 0"
               if total is not None else f"the integrands differ by {phi}, not affine in R")
        return Evidence(False, "numeric", why, numeric)
    if symbolic is True:
        return Evidence(True, "symbolic",
                        f"integrands differ by {phi} = a + bR with a + b = 0; numeric gap <= {numeric:.1e}")
    if total is not None:
        return Evidence(None, "symbolic", f"symbolically off by {total} yet numerically equal")
    return Evidence(True, "numeric", f"no symbolic proof ({phi}); equal on all instances "
                    f"(max gap {numeric:.1e})")


# -- pointwise optima -----------------------------------------------------------------------------

_SAMPLES = {
    "positive": (0.3, 1.0, 2.5),
    "nonnegative": (0.0, 0.7, 2.0),
    "real": (-2.0, -0.5, 0.8, 3.0),
}


def _kind(sym: sp.Symbol) -> str:
    if sym.is_positive:
        return "positive"
    if sym.is_nonnegative:
        return "nonnegative"
    return "real"


def _grid(interval: sp.Set) -> np.ndarray:
    lo, hi = float(interval.inf), float(interval.sup)
    if np.isfinite(lo) and np.isfinite(hi):
        w = hi - lo
        edge = np.logspace(-12, -2, 200)
        return np.unique(np.concatenate([lo + w * edge, np.linspace(lo, hi, 20001)[1:-1],
                                         hi - w * edge]))
    if np.isfinite(lo):
        return lo + np.logspace(-8, 6, 20001)
    return np.linspace(-1e3, 1e3, 40001)


def _pointwise_problem(statement):
    lhs, claimed = _sides(statement)
    if not isinstance(lhs, (A.ArgMax, A.ArgMin)):
        raise TypeError("expected ArgMax(...) or ArgMin(...) on the left")
    phi, x, interval = lhs.args
    if phi.has(*A.FUNCTIONALS):  # an expectation optimized over a function: pointwise
        ref = _expr_reference(phi)
        phi = integrand(phi, ref)
        claimed = _ratio(claimed, ref)
    sign = 1 if isinstance(lhs, A.ArgMax) else -1
    return sign * phi, x, interval, claimed


def argmax(statement: sp.Equality) -> Evidence:
    """``ArgMax(phi, x, I) == claimed`` (or ArgMin): derived by first-order condition + concavity.

    The parameters' SymPy assumptions (positive, nonnegative, real) are the statement's domain:
    the numeric search draws them from that domain, so a lemma stated for all real parameters is
    tested on negative ones too.
    """
    phi, x, interval, claimed = _pointwise_problem(statement)
    params = sorted((phi.free_symbols | claimed.free_symbols) - {x}, key=str)
    fun = sp.lambdify([x, *params], phi, modules="numpy")
    cfun = sp.lambdify(params, claimed, modules="numpy")
    grid = _grid(interval)
    for values in itertools.product(*[_SAMPLES[_kind(p)] for p in params]):
        if values and all(v == 0 for v in values):
            continue
        with np.errstate(all="ignore"):
            obj = np.asarray(fun(grid, *values), dtype=complex) * np.ones_like(grid)
            obj = np.where(np.isfinite(obj) & (np.abs(obj.imag) < 1e-12), obj.real, -np.inf)
            c = complex(cfun(*values))
        at = dict(zip(map(str, params), values))
        if abs(c.imag) > 1e-12 or not np.isfinite(c.real) or not (interval.inf < c.real < interval.sup):
            return Evidence(False, "numeric", "the claimed optimizer is not in the interval",
                            {**at, "claimed": c.real if abs(c.imag) < 1e-12 else str(c),
                             "interval": str(interval)})
        with np.errstate(all="ignore"):
            at_c = float(np.real(fun(c.real, *values)))
        best = int(np.argmax(obj))
        if not np.isfinite(at_c) or obj[best] > at_c + RTOL * (1 + abs(at_c)):
            return Evidence(False, "numeric", "a point of the interval does better than the claim",
                            {**at, "claimed": c.real, "objective_at_claimed": at_c,
                             "better_point": float(grid[best]), "objective_there": float(obj[best])})
    try:
        derived = pointwise_argmax(phi, x, interval)
    except NotDerivable as exc:
        return Evidence(True, "numeric", f"no derivation ({exc}); claim optimal on all samples")
    if sp.simplify(derived - claimed) == 0:
        return Evidence(True, "symbolic", f"unique stationary point {derived} of a strictly "
                        "concave objective; matches numeric maxima")
    return Evidence(None, "symbolic", f"derived {derived}, claimed {claimed}, numbers agree?")


# -- minima over Omega_g via the Lagrangian -------------------------------------------------------

def omega_minimum(statement: sp.Equality) -> Evidence:
    """``MinOmega(J) == v`` or ``ArgMinOmega(J) == r`` for ``J(R) = E[phi(R)]`` over E[R] = 1.

    Derivation: the Lagrangian ``E[phi(R)] - lambda (E[R] - 1)`` is stationary where
    ``phi'(R(y)) = lambda`` for every y; strict convexity of ``phi`` (``phi'' > 0`` for R > 0) makes
    ``phi'`` injective, so R is constant, hence R = 1 by the constraint; and the stationary point
    of a strictly convex problem is its unique global minimum (equivalently, Jensen).
    """
    lhs, claimed = _sides(statement)
    if not isinstance(lhs, (A.MinOmega, A.ArgMinOmega)):
        raise TypeError("expected MinOmega(...) or ArgMinOmega(...) on the left")
    phi = integrand(lhs.args[0])
    d1 = sp.diff(phi, A.R)
    d2 = sp.simplify(sp.diff(phi, A.R, 2))
    if d2.is_positive is not True:
        return Evidence(None, "symbolic", f"cannot show strict convexity: phi'' = {d2}")
    # phi' strictly increasing, so phi'(R(y)) = lambda for all y forces R constant; E[R] = 1 gives 1.
    lam_star = sp.simplify(d1.subs(A.R, 1))
    truth = sp.nsimplify(sp.simplify(phi.subs(A.R, 1))) if isinstance(lhs, A.MinOmega) else sp.Integer(1)
    what = "minimum value" if isinstance(lhs, A.MinOmega) else "minimizer R"
    # numeric cross-check: feasible ratios never beat the derived minimum
    fun = sp.lambdify(A.R, phi, "numpy")
    low = float(fun(1.0))
    for reference, other in instances():
        val = float(np.sum(reference * fun(other / reference)))
        if val < low - RTOL * (1 + abs(low)):
            return Evidence(None, "symbolic", f"feasible R with value {val} < {low}: derivation wrong")
    if sp.simplify(truth - claimed) == 0:
        return Evidence(True, "symbolic", "Lagrangian: phi'(R(y)) = lambda with phi' injective, "
                        f"so R = 1 and lambda = {lam_star}; "
                        f"phi'' = {d2} > 0, so unique global minimizer R = 1, value {phi.subs(A.R, 1)}")
    return Evidence(False, "symbolic", f"the {what} is {truth}, not {claimed}",
                    {"R": 1.0, "value_at_R": low, f"derived_{what.replace(' ', '_')}": float(truth),
                     "claimed": float(claimed)})


# -- convexity on an interval ----------------------------------------------------------------------

def strict_convexity(statement: sp.Basic) -> Evidence:
    """``StrictlyConvex(h, x, I)``: h real-valued on I and h'' > 0 on its interior."""
    if not isinstance(statement, A.StrictlyConvex):
        raise TypeError("expected StrictlyConvex(h, x, I)")
    h, x, interval = statement.args
    lo, hi = float(interval.inf), float(interval.sup)
    lo_s, hi_s = (max(lo, -50.0), min(hi, 50.0))
    pts = np.linspace(lo_s, hi_s, 4001)[1:-1]
    hf = sp.lambdify(x, h, "numpy")
    with np.errstate(all="ignore"):
        vals = np.asarray(hf(pts.astype(complex)), dtype=complex)
    bad = np.flatnonzero(~np.isfinite(vals) | (np.abs(vals.imag) > 1e-12))
    if bad.size:
        p = float(pts[bad[0]])
        return Evidence(False, "numeric", "h is not real-valued everywhere on the interval",
                        {"x": p, "h(x)": str(complex(vals[bad[0]]))})
    v = vals.real
    mid = (v[:-2] + v[2:]) / 2 - v[1:-1]  # strict convexity: chord midpoints above the graph
    if np.any(mid <= 0):
        i = int(np.flatnonzero(mid <= 0)[0])
        return Evidence(False, "numeric", "midpoint convexity fails",
                        {"a": float(pts[i]), "b": float(pts[i + 2]),
                         "h(midpoint)": float(v[i + 1]), "chord midpoint": float((v[i] + v[i + 2]) / 2)})
    t, x_of_t = interval_parametrization(interval, x)
    d2 = sp.simplify(sp.diff(h, x, 2).subs(x, x_of_t))
    if d2.is_positive:
        return Evidence(True, "symbolic", f"h'' = {sp.simplify(sp.diff(h, x, 2))} > 0 on the interior")
    return Evidence(True, "numeric", f"h'' = {d2} not provably positive; midpoint-convex on a grid")


# -- limits -------------------------------------------------------------------------------------

def limit_value(statement: sp.Equality) -> Evidence:
    """``Limit(expr, x, x0) == value``: SymPy computes the limit; numbers at nearby points agree."""
    lhs, claimed = _sides(statement)
    if not isinstance(lhs, sp.Limit):
        raise TypeError("expected a Limit on the left")
    computed = lhs.doit()
    expr, x, x0 = lhs.args[:3]
    fun = sp.lambdify(x, expr, "mpmath")
    probe = [-1e3, -1e4] if x0 == -sp.oo else [1e3, 1e4] if x0 == sp.oo else [float(x0) + 1e-8]
    near = [float(fun(p)) for p in probe]
    if not all(abs(n - float(computed)) < 1e-2 for n in near):
        return Evidence(None, "symbolic", f"limit {computed} but f near the point is {near}")
    if sp.simplify(computed - claimed) == 0:
        return Evidence(True, "symbolic", f"limit = {computed}; f({probe[-1]:g}) = {near[-1]:.3g}")
    return Evidence(False, "symbolic", f"the limit is {computed}",
                    {"point": probe[-1], "value_near_point": near[-1], "limit": float(computed),
                     "claimed": float(claimed)})
