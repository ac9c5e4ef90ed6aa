"""Verifiers: pure functions ``statement -> Evidence``, shared by many claims and by their twins.

Each verifier first tries a symbolic derivation (``proved``); where the derivation does not go
through it searches concrete instances for a counterexample (``refuted``) and otherwise reports a
numeric check (``checked``). Symbolic results are always cross-checked numerically; a
disagreement is a ``failed`` verdict, never silently resolved.
"""

from __future__ import annotations

import functools
import itertools
import math

import mpmath
import numpy as np
import sympy as sp

from gantheory._claim import Evidence
from gantheory.symbolic import _atoms as A
from gantheory.symbolic._numeric import evaluate, instances, into_domain
from gantheory.symbolic._reduce import (
    NotDerivable,
    _expr_reference,
    _ratio,
    integrand,
    interval_parametrization,
    pointwise_argmax,
)
from gantheory.symbolic._simplify import simplified

__all__ = ["expectation_identity", "argmax", "omega_minimum", "strict_convexity", "limit_value",
           "gradient_identity", "vector_identity", "discrete_expectation", "project", "point_mass_best_response",
           "point_mass_not_best_response"]

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


def _identity_numeric(statement: sp.Equality):
    """(ref, numeric): the identity's reference density and its numeric comparison (a counterexample dict, or
    the largest gap) -- the first step of :func:`expectation_identity`."""
    ref = _expr_reference(statement.lhs - statement.rhs)
    return ref, _numeric_identity(statement.lhs, statement.rhs, ref)


def expectation_identity_fails_numerically(statement) -> bool:
    """True where :func:`expectation_identity` finds a numeric counterexample to ``statement``: it then never
    says the identity holds (refuted, or undecided where a symbolic proof disagrees), whatever SymPy
    derives. A cheap screen for a search that keeps only identities that hold (``check``'s repairs)."""
    if isinstance(statement, A.Unrestricted) or not isinstance(statement, sp.Equality):
        return False
    return isinstance(_identity_numeric(statement)[1], dict)


def expectation_identity(statement: sp.Equality) -> Evidence:
    """``lhs == rhs`` between functionals (KL, JSD, E, g, d, V, C(G)) of two densities.

    Symbolic: the difference of integrands is ``a + b R`` with ``a + b = 0``, which proves the
    identity for all densities because ``E[1] = E[R] = 1``. Numeric: both sides on concrete discrete
    distributions, computed from the definitions (SciPy ``rel_entr``, Bayes' rule, golden section).
    ``Unrestricted(identity)`` asks whether it survives without p_R << p_r (on :data:`NON_AC_PAIR`).
    """
    if isinstance(statement, A.Unrestricted):
        return _without_absolute_continuity(statement.args[0])
    lhs, rhs = _sides(statement)
    ref, numeric = _identity_numeric(statement)
    steps = []
    try:
        il, ir = integrand(lhs, ref), integrand(rhs, ref)
        steps += [(f"the left side as an expectation over {ref} of a function of R", A.E(simplified(il))),
                  (f"the right side as an expectation over {ref} of a function of R", A.E(simplified(ir)))]
        phi = sp.expand_log(sp.expand(il - ir), force=True)
        phi = simplified(phi)
        steps.append(("the difference of the integrands", phi))
        affine = simplified(sp.diff(phi, A.R, 2)) == 0
        if affine:
            b = simplified(sp.diff(phi, A.R))
            a = simplified(phi - b * A.R)
            total = simplified(a + b)
            steps.append(("affine in R, a + b R; its expectation is a + b since E[1] = E[R] = 1",
                          sp.Eq(sp.Symbol("a") + sp.Symbol("b"), total, evaluate=False)))
            symbolic = total == 0
        else:
            steps.append(("not affine in R: the second derivative in R", simplified(sp.diff(phi, A.R, 2))))
            symbolic, total = None, None
    except NotDerivable as exc:
        symbolic, total, phi = None, None, str(exc)
    steps = tuple(steps)
    if isinstance(numeric, dict):  # a counterexample
        if symbolic is True:
            return Evidence(None, "symbolic", "symbolic proof and numeric values disagree", numeric, steps)
        why = (f"the integrands differ by {phi}, whose expectation is {total} != 0"
               if total is not None else f"the integrands differ by {phi}, not affine in R")
        return Evidence(False, "numeric", why, numeric, steps)
    if symbolic is True:
        why = ("the integrands agree pointwise" if phi == 0 else
               f"the integrands differ by {phi}, of the form a + bR with a + b = 0 (expectation 0 under p_r)")
        gap = "numeric gap 0" if numeric == 0 else f"numeric gap <= {numeric:.1e}"
        return Evidence(True, "symbolic", f"{why}; {gap}", steps=steps)
    if total is not None:
        return Evidence(None, "symbolic", f"symbolically off by {total} yet numerically equal")
    return Evidence(True, "numeric", f"no symbolic proof ({phi}); equal on all instances "
                    f"(max gap {numeric:.1e})")


def interval_text(interval: sp.Set) -> str:
    """An interval as a mathematician writes it: (0, 1], [0, oo)."""
    if not isinstance(interval, sp.Interval):
        return str(interval)
    return (f"{'(' if interval.left_open else '['}{interval.inf}, {interval.sup}"
            f"{')' if interval.right_open else ']'}")


# -- pointwise optima -----------------------------------------------------------------------------

_SAMPLES = {
    "positive": (0.3, 1.0, 2.5),
    "nonnegative": (0.0, 0.7, 2.0),
    "negative": (-0.3, -1.0, -2.5),
    "nonpositive": (0.0, -0.7, -2.0),
    "real": (-2.0, -0.5, 0.8, 3.0),
}


def _kind(sym: sp.Symbol) -> str:
    """The symbol's domain as its assumptions give it: the values a search draws it from."""
    for kind in ("positive", "nonnegative", "negative", "nonpositive"):
        if getattr(sym, f"is_{kind}"):
            return kind
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
        ref = _expr_reference(phi + A.E(claimed))
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
    for values, at, obj in _sampled_objectives(params, fun, grid):
        with np.errstate(all="ignore"):
            try:
                c = complex(cfun(*values))
            except (ZeroDivisionError, OverflowError, ValueError):  # the claimed formula is undefined here
                return Evidence(False, "numeric", "the claimed optimizer is undefined at these parameters",
                                {**at, "claimed": "undefined", "interval": str(interval)})
        lo_, hi_ = float(interval.inf), float(interval.sup)
        inside = ((c.real > lo_ or (not interval.left_open and c.real == lo_))
                  and (c.real < hi_ or (not interval.right_open and c.real == hi_)))
        if abs(c.imag) > 1e-12 or not np.isfinite(c.real) or not inside:
            return Evidence(False, "numeric", "the claimed optimizer is not in the interval",
                            {**at, "claimed": c.real if abs(c.imag) < 1e-12 else str(c),
                             "interval": str(interval)})
        with np.errstate(all="ignore"):
            at_c = float(np.real(fun(c.real, *values)))
        best = int(np.argmax(obj))
        if np.isfinite(at_c) and obj[best] > at_c + RTOL * (1 + abs(at_c)):
            # report a point that visibly lies inside the interval (1% of its width from a finite end),
            # when one beats the claim too: a point 1e-12 from the end prints as the end point itself
            lo_, hi_ = float(interval.inf), float(interval.sup)
            span = hi_ - lo_ if np.isfinite(hi_ - lo_) else 1.0
            inner = (grid >= lo_ + 0.01 * span) & (grid <= hi_ - 0.01 * span)
            better = inner & (obj > at_c + RTOL * (1 + abs(at_c)))
            if better.any():
                best = int(np.argmax(np.where(better, obj, -np.inf)))
        if not np.isfinite(at_c) or obj[best] > at_c + RTOL * (1 + abs(at_c)):
            return Evidence(False, "numeric", "a point of the interval does better than the claim",
                            {**at, "claimed": c.real, "objective_at_claimed": at_c,
                             "better_point": float(grid[best]), "objective_there": float(obj[best])})
    try:
        derived = pointwise_argmax(phi, x, interval)
    except NotDerivable as exc:
        at_end = _monotone_to_a_closed_end(phi, x, interval, claimed, isinstance(_sides(statement)[0], A.ArgMin))
        if at_end is not None:
            return at_end
        rival = _second_maximizer(phi, x, params, interval, fun, cfun, grid, lambda subs: claimed.subs(subs))
        if rival is not None:
            return rival
        return Evidence(True, "numeric", f"no derivation ({exc}); claim optimal on all samples, and no other "
                        "point of the grid comes within rounding of its value (the optimizer is unique there)")
    if simplified(derived - claimed) == 0:
        d1 = sp.together(sp.diff(phi, x))
        minimize = isinstance(_sides(statement)[0], A.ArgMin)
        what = "objective" if not minimize else "negated objective (a minimum of phi is a maximum of -phi)"
        steps = ((f"the pointwise {what}", phi),
                 ("the first-order condition", sp.Eq(d1, 0, evaluate=False)),
                 (f"its unique solution in {interval_text(interval)}", sp.Eq(x, derived, evaluate=False)),
                 ("the second derivative, negative on the interval (strictly concave)",
                  simplified(sp.diff(phi, x, 2))))
        return Evidence(True, "symbolic", f"unique stationary point {derived} of a strictly "
                        f"{'convex' if minimize else 'concave'} objective; matches the numeric "
                        f"{'minima' if minimize else 'maxima'}", steps=steps)
    return Evidence(None, "symbolic", f"derived {derived}, claimed {claimed}, numbers agree?")


def _monotone_to_a_closed_end(phi, x, interval, claimed, minimize) -> Evidence | None:
    """An objective with phi' of one strict sign inside the interval climbs to one end: the maximizer is that
    end where the interval contains it (ArgMax(-(y - 2)^2, y, [0, 1]) = 1), proved exactly. None otherwise (an
    open end is never attained: the numeric search has refuted any claim there)."""
    from gantheory.symbolic._reduce import interval_parametrization

    if not isinstance(interval, sp.Interval):
        return None
    t_, x_of_t = interval_parametrization(interval, x)
    slope = simplified(sp.diff(phi, x).subs(x, x_of_t))
    if slope.is_positive:
        end, closed = interval.sup, not interval.right_open
    elif slope.is_negative:
        end, closed = interval.inf, not interval.left_open
    else:
        return None
    if not (closed and end.is_finite) or simplified(end - claimed) != 0:
        return None
    word = "minimizer" if minimize else "maximizer"
    steps = (("the objective" if not minimize else "the negated objective (a minimum of phi is a maximum of -phi)",
              phi), ("its derivative, of one sign inside the interval", simplified(sp.diff(phi, x))),
             (f"so it climbs to the closed end {end}, the unique {word}", sp.Eq(x, end, evaluate=False)))
    return Evidence(True, "symbolic", f"the objective is strictly monotone on {interval_text(interval)}, so its "
                    f"{word} is the closed end {end}", steps=steps)


def _sampled_objectives(params, fun, grid):
    """(parameter values, the same by name, the objective on the grid) for each sample of the parameters
    from their assumed domains (all-zero samples skipped); an undefined or complex value is -inf."""
    for values in itertools.product(*[_SAMPLES[_kind(p)] for p in params]):
        if values and all(v == 0 for v in values):
            continue
        with np.errstate(all="ignore"):
            obj = np.asarray(fun(grid, *values), dtype=complex) * np.ones_like(grid)
            obj = np.where(np.isfinite(obj) & (np.abs(obj.imag) < 1e-12), obj.real, -np.inf)
        yield values, dict(zip(map(str, params), values)), obj


def _second_maximizer(phi, x, params, interval, fun, cfun, grid, cfun_exact):
    """Evidence that the claimed maximizer is not *the* maximizer: another point, away from it, where the
    objective reaches the same value (sin on the reals, x**4 - x**2 at -1/sqrt(2)). The grid's local maxima
    away from the claim are refined (bounded scalar search) and, where one comes within rounding of the
    claim's value, made exact (nsimplify with pi, E and square roots) and compared in exact arithmetic:
    refuted where equal, undecided where only the floats agree. None: the optimizer looks unique."""
    from scipy.optimize import minimize_scalar

    from gantheory.verify._interval import exact_sign

    for values, at, obj in _sampled_objectives(params, fun, grid):
        with np.errstate(all="ignore"):
            c = float(np.real(complex(cfun(*values))))
            at_c = float(np.real(fun(c, *values)))
        if not np.isfinite(at_c):
            continue
        step = np.gradient(grid)
        peaks = np.flatnonzero((obj[1:-1] >= obj[:-2]) & (obj[1:-1] >= obj[2:])) + 1
        peaks = [i for i in peaks if abs(grid[i] - c) > 3 * step[i] and np.isfinite(obj[i])]
        top = max((obj[i] for i in peaks), default=-np.inf)
        low = top - 1e-3 * (1 + abs(top))  # the grid misses a peak by up to (spacing/2)^2 |phi''| / 2
        # the best peaks first, and among those within the grid's resolution of the best the nearest to 0
        peaks.sort(key=lambda i: (obj[i] < low, -obj[i] if obj[i] < low else abs(grid[i])))
        for i in peaks[:5]:
            lo_, hi_ = grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]

            def neg(t, values=values):
                with np.errstate(all="ignore"):
                    v = complex(fun(t, *values))
                return -v.real if np.isfinite(v.real) and abs(v.imag) < 1e-12 else np.inf

            res = minimize_scalar(neg, bounds=(lo_, hi_), method="bounded", options={"xatol": 1e-12})
            x2, v2 = float(res.x), -float(res.fun)
            if not (np.isfinite(v2) and v2 >= at_c - RTOL * (1 + abs(at_c))) or abs(x2 - c) <= 3 * step[i]:
                continue
            subs = {p: sp.nsimplify(v) for p, v in zip(params, values)}
            claimed_exact = cfun_exact(subs)
            phi_at = phi.subs(subs)
            # a flat maximum is located to about sqrt(eps): the exact value is looked for at 1e-7
            cands = [sp.nsimplify(x2, tolerance=1e-7), sp.nsimplify(x2, [sp.pi, sp.E], tolerance=1e-7),
                     -claimed_exact]  # the last: the reflection, for an even objective
            for cand in dict.fromkeys(cands):
                if abs(float(cand) - x2) > 1e-6 * (1 + abs(x2)) or interval.contains(cand) is not sp.true:
                    continue
                sign_ = exact_sign(phi_at.subs(x, cand) - phi_at.subs(x, claimed_exact))
                if sign_ is not None and sign_ >= 0:
                    return Evidence(False, "numeric", f"the optimum is also attained at {cand}, away from the "
                                    "claimed point: the optimizer is not unique"
                                    + (" (and does better there)" if sign_ > 0 else " (equal values, exactly)"),
                                    {**at, "claimed": c, "also_at": str(cand), "objective_at_claimed": at_c,
                                     "objective_there": v2})
            return Evidence(None, "numeric", f"the objective at {x2:.10g} comes within rounding of its value at the "
                            f"claimed point {c:.10g} ({at}): the optimizer may not be unique")
    return None


# -- minima over Omega_g via the Lagrangian -------------------------------------------------------

def omega_minimum(statement: sp.Equality) -> Evidence:
    """``MinOmega(J) == v`` or ``ArgMinOmega(J) == r`` for ``J(R) = E[phi(R)]`` over E[R] = 1.

    Derivation: the Lagrangian ``E[phi(R)] - lambda (E[R] - 1)`` is stationary where
    ``phi'(R(y)) = lambda`` for every y; strict convexity of ``phi`` (``phi'' > 0`` for R > 0) makes
    ``phi'`` injective, so R is constant, hence R = 1 by the constraint; and the stationary point
    of a strictly convex problem is its unique global minimum (equivalently, Jensen).
    """
    lhs, claimed = _sides(statement)
    if not isinstance(lhs, (A.MinOmega, A.ArgMinOmega, A.ArgMaxOmega)):
        raise TypeError("expected MinOmega(...), ArgMinOmega(...) or ArgMaxOmega(...) on the left")
    phi = integrand(lhs.args[0])
    d1 = sp.diff(phi, A.R)
    d2 = simplified(sp.diff(phi, A.R, 2))
    if d2.is_positive is not True:
        return _omega_without_convexity(lhs, claimed, phi, d2)
    # phi' strictly increasing, so phi'(R(y)) = lambda for all y forces R constant; E[R] = 1 gives 1.
    lam_star = simplified(d1.subs(A.R, 1))
    if isinstance(lhs, A.ArgMaxOmega):  # the claimed maximizer, checked as claimed
        fun = sp.lambdify(A.R, phi, "numpy")
        c = sp.sympify(claimed)
        if c.is_number and not c.has(sp.zoo, sp.nan) and simplified(c - 1) != 0:
            # a constant R = c has E[R] = c: outside Omega_g unless c = 1
            return Evidence(False, "symbolic", f"R = {c} is not in Omega_g: E[R(Y)] = {c} != 1",
                            {"claimed_maximizer": str(c), "E[R]": float(c)})
        at_one = float(fun(1.0))
        for reference, other in instances():
            val = float(np.sum(reference * fun(other / reference)))
            if val > at_one + 1e-6:
                return Evidence(False, "symbolic", f"R = 1 is the unique *minimizer* (phi'' = {d2} > 0)",
                                {"p_r": reference, "R": other / reference, "value_at_R": val,
                                 "value_at_R=1": at_one, "claimed_maximizer": str(claimed)})
        return Evidence(None, "symbolic", "no feasible R beats R = 1")
    truth = sp.nsimplify(simplified(phi.subs(A.R, 1))) if isinstance(lhs, A.MinOmega) else sp.Integer(1)
    what = "minimum value" if isinstance(lhs, A.MinOmega) else "minimizer R"
    # numeric cross-check: feasible ratios never beat the derived minimum
    fun = sp.lambdify(A.R, phi, "numpy")
    low = float(fun(1.0))
    for reference, other in instances():
        val = float(np.sum(reference * fun(other / reference)))
        if val < low - RTOL * (1 + abs(low)):
            return Evidence(None, "symbolic", f"feasible R with value {val} < {low}: derivation wrong")
    if simplified(truth - claimed) == 0:
        lam_s = sp.Symbol("lambda")
        def tidy(e):
            return sp.expand_log(simplified(e), force=True)

        steps = (("the objective E[phi(R)] over Omega_g (E[R] = 1), with phi", tidy(phi)),
                 ("the Lagrangian E[phi(R)] - lambda (E[R] - 1) is stationary where, for every y",
                  sp.Eq(tidy(d1), lam_s, evaluate=False)),
                 ("phi'' > 0, so phi' is injective: R is constant, and E[R] = 1 makes it 1", d2),
                 ("the multiplier and the minimum value at R = 1",
                  sp.Tuple(sp.Eq(lam_s, lam_star, evaluate=False), simplified(phi.subs(A.R, 1)))))
        return Evidence(True, "symbolic", "Lagrangian: phi'(R(y)) = lambda with phi' injective, "
                        f"so R = 1 and lambda = {lam_star}; "
                        f"phi'' = {d2} > 0, so unique global minimizer R = 1, value {phi.subs(A.R, 1)}", steps=steps)
    return Evidence(False, "symbolic", f"the {what} is {truth}, not {claimed}",
                    {"R": 1.0, "value_at_R": low, f"derived_{what.replace(' ', '_')}": float(truth),
                     "claimed": float(claimed)})


#: two-point laws of R searched where phi is not convex: R = a on reference mass (b - 1)/(b - a), b elsewhere
#: (a > 0: seed 000's Omega_g holds R : R^N -> (0, oo))
_OMEGA_LOW = (sp.Rational(1, 10**6), sp.Rational(1, 100), sp.Rational(1, 10), sp.Rational(1, 4),
              sp.Rational(1, 2), sp.Rational(3, 4), sp.Rational(9, 10), sp.Rational(99, 100))
_OMEGA_HIGH = (sp.Rational(101, 100), sp.Rational(11, 10), sp.Rational(3, 2), *map(sp.Integer, (2, 3, 5, 10, 100, 10**3,
                                                                                          10**4, 10**6)))


def _omega_without_convexity(lhs, claimed, phi, d2) -> Evidence:
    """MinOmega / ArgMinOmega / ArgMaxOmega of E[phi(R)] where phi'' > 0 is not shown. E[phi(R)] is linear in
    the law of R, and the laws with E[R] = 1 have the two-point laws as extreme points, so the infimum is the
    lower convex envelope of phi at 1: a two-point law below the claim refutes it (exactly); a supporting line
    at R = 1 (phi(r) >= phi(1) + phi'(1)(r - 1) for all r > 0, decided as a one-variable inequality) proves
    the minimum value phi(1)."""
    from gantheory.verify._interval import exact_sign

    r = A.R
    at_one = simplified(phi.subs(r, 1))
    fun = sp.lambdify(r, phi, "mpmath")
    best = None
    def mp(q):
        q = sp.Rational(q)
        return mpmath.mpf(q.p) / q.q

    with mpmath.workdps(30):
        for a in _OMEGA_LOW:
            for b in _OMEGA_HIGH:
                try:
                    val = ((mp(b) - 1) * fun(mp(a)) + (1 - mp(a)) * fun(mp(b))) / (mp(b) - mp(a))
                except (ValueError, ZeroDivisionError, TypeError, OverflowError):
                    continue
                if isinstance(val, mpmath.mpf) and mpmath.isfinite(val) and (best is None or val < best[0]):
                    best = (val, a, b)
    maximize = isinstance(lhs, A.ArgMaxOmega)
    if best is not None and not maximize:
        _, a, b = best
        value = ((b - 1) * phi.subs(r, a) + (1 - a) * phi.subs(r, b)) / (b - a)
        target = sp.sympify(claimed) if isinstance(lhs, A.MinOmega) else at_one
        if isinstance(lhs, A.MinOmega) or simplified(sp.sympify(claimed) - 1) == 0:
            sg = exact_sign(value - target)
            if sg is not None and sg < 0:
                t = (b - 1) / (b - a)
                return Evidence(False, "symbolic", f"R = {a} on reference mass {t} and R = {b} on the rest has E[R] "
                                f"= 1 and E[phi(R)] = {sp.N(value, 12)} < {sp.N(target, 12)}: phi is not convex "
                                f"(phi'' = {d2}), so the minimum over Omega is phi's convex envelope at 1",
                                {"R_values": [str(a), str(b)], "reference_masses": [str(t), str(1 - t)],
                                 "E[phi(R)]": float(sp.N(value)), "claimed": str(claimed)})
    if isinstance(lhs, A.MinOmega) and simplified(sp.sympify(claimed) - at_one) == 0:
        from gantheory.checking import _one_variable_extremes

        line = sp.expand(phi - at_one - sp.diff(phi, r).subs(r, 1) * (r - 1))
        grid = [mpmath.mpf(10) ** k for k in np.linspace(-6, 6, 121)]
        with mpmath.workdps(30):
            lfun = sp.lambdify(r, line, "mpmath")
            sampled = min(float(lfun(g)) for g in grid)
        ev = _one_variable_extremes(line, r, False, sampled)
        if ev is not None and ev.holds is True:
            steps = (("the objective E[phi(R)] over Omega (E[R] = 1), with phi", phi),
                     ("phi is not convex everywhere (phi''), but its tangent at R = 1 lies below it: the margin",
                      line), *ev.steps[1:],
                     ("so E[phi(R)] >= phi(1) + phi'(1) (E[R] - 1) = phi(1), attained at R = 1", at_one))
            return Evidence(True, "symbolic", f"phi's tangent at R = 1 supports it on R > 0, so E[phi(R)] >= phi(1) = "
                            f"{at_one} on Omega, attained at R = 1", steps=steps)
    return Evidence(None, "symbolic", f"cannot show strict convexity (phi'' = {d2}); no two-point law of R "
                    "beats the claim and no supporting line at R = 1 was found")


# -- convexity on an interval ----------------------------------------------------------------------

def strict_convexity(statement: sp.Basic, _refute_only: bool = False) -> Evidence:
    """``StrictlyConvex(h, x, I)``: h real-valued on I and h'' > 0 on its interior.

    ``_refute_only``: only a refutation is wanted (the parameters' sampled instances): the numeric search
    runs in full, and where it finds nothing the proof is not attempted (a holding verdict, "numeric")."""
    if not isinstance(statement, A.StrictlyConvex):
        raise TypeError("expected StrictlyConvex(h, x, I)")
    h, x, interval = statement.args
    lo, hi = float(interval.inf), float(interval.sup)
    lo_s, hi_s = (max(lo, -50.0), min(hi, 50.0))
    params = sorted(h.free_symbols - {x}, key=str)
    if params:  # other symbols: check at a few values from their domains, then symbolically
        rng = np.random.default_rng(31)
        for _ in range(5):
            vals = {p: sp.Float(into_domain(p, rng.uniform(0.2, 3) if p.is_positive else rng.uniform(-3, 3)))
                    for p in params}
            ev = strict_convexity(A.StrictlyConvex(h.subs(vals), x, interval), _refute_only=True)
            if ev.holds is False:
                return Evidence(False, "numeric", ev.detail, {**{str(k): float(v) for k, v in vals.items()},
                                                              **ev.counterexample})
        d2 = simplified(sp.diff(h, x, 2))
        if d2.is_positive:
            return Evidence(True, "symbolic", f"h'' = {d2} > 0")
        return Evidence(True, "numeric", f"h'' = {d2}: positive at the sampled parameters")
    ends = _undefined_end(h, x, interval)
    if ends is not None:
        return ends
    hf = sp.lambdify(x, h, "numpy")
    nice = np.arange(np.ceil(lo_s), np.floor(hi_s) + 1)[::-1]  # round points first: readable
    nice = nice[(nice > lo) & (nice < hi)]
    with np.errstate(all="ignore"):
        nv = np.asarray(hf(nice.astype(complex)), dtype=complex) * np.ones(nice.size)
    bad = np.flatnonzero(np.isfinite(nv) & (np.abs(nv.imag) > 1e-12))  # NaN may be a removable 0 log 0
    if bad.size:
        return Evidence(False, "numeric", "h is not real-valued everywhere on the interval",
                        {"x": float(nice[bad[0]]), "h(x)": str(complex(nv[bad[0]]))})
    pts = np.linspace(lo_s, hi_s, 4001)[1:-1]
    with np.errstate(all="ignore"):
        vals = np.asarray(hf(pts.astype(complex)), dtype=complex)
    bad = np.flatnonzero(~np.isfinite(vals) | (np.abs(vals.imag) > 1e-12))
    if bad.size:
        return Evidence(False, "numeric", "h is not real-valued everywhere on the interval",
                        {"x": float(pts[bad[0]]), "h(x)": str(complex(vals[bad[0]]))})
    v = vals.real
    mid = (v[:-2] + v[2:]) / 2 - v[1:-1]  # strict convexity: chord midpoints above the graph
    # a gap within float64 rounding (a tail where h is nearly flat, or a linear piece) is recomputed with 60
    # digits: only a gap that stays at 0 or below there refutes strictness
    close = np.flatnonzero(mid <= 1e-12 * (1 + np.abs(v[1:-1])))
    hp = sp.lambdify(x, h, "mpmath") if close.size else None
    for i in close[:400]:
        with mpmath.workdps(60):
            a_, m_, b_ = (mpmath.mpf(float(pts[j])) for j in (i, i + 1, i + 2))
            va, vm, vb = hp(a_), hp(m_), hp(b_)
            gap = (va + vb) / 2 - vm
            if gap <= mpmath.mpf(10) ** -45 * (1 + abs(vm)):
                return Evidence(False, "numeric", "midpoint convexity fails (confirmed with 60 digits)",
                                {"chord from": float(pts[i]), "chord to": float(pts[i + 2]), "h(midpoint)": float(vm),
                                 "chord midpoint": float((va + vb) / 2)})
    concave = _where_second_derivative_is_negative(h, x, interval)
    if concave is not None:
        return concave
    if _refute_only:
        return Evidence(True, "numeric", "midpoint-convex on a grid (no proof attempted)")
    if interval.inf.is_finite and interval.sup.is_finite:  # h'' > 0 certified by interval arithmetic, if it can be
        from gantheory.verify._interval import certify_nonnegative

        try:
            cert = certify_nonnegative(sp.diff(h, x, 2), x, interval.inf, interval.sup, strict=True, max_boxes=3000)
        except Exception:  # a function the interval evaluator does not know: the symbolic route below
            cert = None
        if cert is not None and cert.holds:
            return Evidence(True, "symbolic", f"h'' > 0 on [{interval.inf}, {interval.sup}], certified by interval "
                            f"arithmetic on {cert.boxes} boxes")
    t, x_of_t = interval_parametrization(interval, x)
    d2 = simplified(sp.diff(h, x, 2).subs(x, x_of_t))
    if d2.is_positive:
        return Evidence(True, "symbolic", f"h'' = {simplified(sp.diff(h, x, 2))} > 0 on the interior")
    return Evidence(True, "numeric", f"h'' = {d2} not provably positive; midpoint-convex on a grid")


def _undefined_end(h, x, interval) -> Evidence | None:
    """A refutation where a closed interval's finite end point is one where h has no finite real value, even
    as its limit from inside (1/x on [0, 1]; x log x at 0 has the limit 0 and is kept); None otherwise. The
    grids and the interval certificate look inside the interval only (2/x**3 on [0, 1] is "positive")."""
    if not isinstance(interval, sp.Interval):
        return None
    for end, included, side in ((interval.inf, not interval.left_open, "+"),
                                (interval.sup, not interval.right_open, "-")):
        if not (included and end.is_finite):
            continue
        value = h.subs(x, end)
        if value.has(sp.nan) or not value.is_finite:
            try:
                value = sp.limit(h, x, end, side)
            except (NotImplementedError, ValueError, TypeError):
                continue
        if value.has(sp.zoo, sp.nan) or value.is_finite is False or value.is_extended_real is False:
            return Evidence(False, "symbolic", f"h has no finite real value at the end point {end} of the closed "
                            "interval (nor a finite limit from inside)", {"x": str(end), "h(x)": str(value)})
    return None


def _where_second_derivative_is_negative(h, x, interval) -> Evidence | None:
    """A refutation of strict convexity from h'' < 0 somewhere in the interior of the interval, which the
    midpoint grid on [-50, 50] misses when the concave stretch is tiny (x**4 - x**2/10**6 near 0) or far out
    (x**2 - 10**-9 x**4 past 12 910). For a rational h'' the set {h'' < 0} is solved exactly; otherwise h''
    is scanned on both sides of 0 from 1e-12 to 1e12 (log-spaced) and near the interval's ends. A point found
    there is confirmed by a chord around it whose midpoint lies on or above the chord (60 digits)."""
    d2 = sp.diff(h, x, 2)
    if d2.has(sp.DiracDelta, sp.Heaviside, sp.Derivative, sp.Subs):
        return None
    inside = interval.interior if hasattr(interval, "interior") else interval
    points = []
    if d2.is_rational_function(x):
        exact_d2 = sp.nsimplify(d2, rational=True)  # decimals typed as the exact numbers they denote
        try:
            neg = sp.solveset(sp.Lt(exact_d2, 0), x, inside)
        except (NotImplementedError, ValueError, TypeError):
            neg = None
        pieces = [] if neg is None else list(neg.args) if isinstance(neg, sp.Union) else [neg]
        if neg is sp.S.EmptySet and h.is_rational_function(x):  # h'' >= 0: strict where its zeros are isolated
            try:
                poles = sp.solveset(sp.Eq(sp.denom(sp.together(sp.nsimplify(h, rational=True))), 0), x, interval)
            except (NotImplementedError, ValueError, TypeError):
                poles = None
            if poles is not sp.S.EmptySet:  # h undefined somewhere inside: no proof here
                return None
            try:
                zeros = sp.solveset(sp.Eq(sp.numer(sp.together(exact_d2)), 0), x, inside)
            except (NotImplementedError, ValueError, TypeError):
                zeros = None
            if isinstance(zeros, sp.FiniteSet) or zeros is sp.S.EmptySet:
                shown = ", ".join(map(str, zeros))
                why = (f"h'' = {d2} >= 0 on the interior, with zeros only at isolated points ({shown}): h' is "
                       "strictly increasing, so h is strictly convex") if shown else \
                    f"h'' = {d2} > 0 on the interior (where it is negative or zero, solved exactly: nowhere)"
                return Evidence(True, "symbolic", why,
                                steps=(("the second derivative", d2), ("where it is negative (solved exactly)", neg),
                                       ("where it is zero", zeros)))
        for piece in pieces:
            if isinstance(piece, sp.Interval) and piece.measure != 0:
                a, b = piece.inf, piece.sup
                pt = (a + b) / 2 if a.is_finite and b.is_finite else (b - 1 - abs(b) if b.is_finite else
                                                                       a + 1 + abs(a) if a.is_finite else 0)
                width = min((b - pt) if b.is_finite else sp.oo, (pt - a) if a.is_finite else sp.oo)
                points.append((float(pt), float(width)))
    else:
        lo, hi = float(interval.inf), float(interval.sup)
        mags = np.logspace(-12, 12, 2401)
        cand = np.concatenate([-mags[::-1], [0.0], mags])
        if np.isfinite(lo) and np.isfinite(hi):
            w = hi - lo
            cand = np.concatenate([cand, lo + w * np.logspace(-12, 0, 601), hi - w * np.logspace(-12, 0, 601)])
        cand = cand[(cand > lo) & (cand < hi)]
        f2 = sp.lambdify(x, d2, "numpy")
        with np.errstate(all="ignore"):
            vals = np.asarray(f2(cand.astype(complex)), dtype=complex) * np.ones(cand.size)
        ok = np.isfinite(vals) & (np.abs(vals.imag) <= 1e-12 * (1 + np.abs(vals.real)))
        bad = np.flatnonzero(ok & (vals.real < -1e-9 * (1 + np.abs(vals.real))))
        for i in bad[np.argsort(np.abs(cand[bad]))][:5]:
            gap_to = [abs(cand[i] - cand[j]) for j in (i - 1, i + 1) if 0 <= j < cand.size]
            points.append((float(cand[i]), min(gap_to) if gap_to else 1e-6))
    hp = sp.lambdify(x, h, "mpmath")
    for pt, width in points:
        for frac in (2**-2, 2**-6, 2**-12, 2**-20):
            delta = width * frac
            if not delta > 0:
                continue
            with mpmath.workdps(60):
                m_ = mpmath.mpf(pt)
                a_, b_ = m_ - mpmath.mpf(delta), m_ + mpmath.mpf(delta)
                try:
                    va, vm, vb = hp(a_), hp(m_), hp(b_)
                except (ValueError, ZeroDivisionError, TypeError):
                    continue
                if not all(isinstance(v, mpmath.mpf) for v in (va, vm, vb)):
                    continue
                gap = (va + vb) / 2 - vm
                if gap <= 0:
                    return Evidence(False, "numeric", "h'' < 0 inside the interval, and midpoint convexity fails "
                                    "there (confirmed with 60 digits)",
                                    {"h''": str(d2), "at": pt, "h''(at)": float(sp.N(d2.subs(x, sp.nsimplify(pt)))),
                                     "chord from": float(a_), "chord to": float(b_), "h(midpoint)": float(vm),
                                     "chord midpoint": float((va + vb) / 2)})
    return None


# -- gradients along a parametric family (Arjovsky & Bottou's Theorem 2.5) -------------------------------

SOFTMAX_K = 3


def _discrete_functional(expr: sp.Basic, q: list, r: list) -> sp.Expr:
    """``expr`` with KL / JSD / E atoms of (p_R, p_r) replaced by their sums over K points, p_R = q, p_r = r."""
    def kl(a, b):
        return sum(ai * sp.log(ai / bi) for ai, bi in zip(a, b))

    dens = {A.p_R: q, A.p_r: r}

    def value(atom):
        if isinstance(atom, A.KL):
            return kl(dens[atom.args[0]], dens[atom.args[1]])
        if isinstance(atom, A.JSD):
            a, b = dens[atom.args[0]], dens[atom.args[1]]
            m = [(x + y) / 2 for x, y in zip(a, b)]
            return kl(a, m) / 2 + kl(b, m) / 2
        if isinstance(atom, A.E):  # E under p_r of a function of R = p_R / p_r
            return sum(rk * atom.args[0].xreplace({A.R: qk / rk}) for qk, rk in zip(q, r))
        raise TypeError(f"cannot evaluate {atom} on the softmax family")

    atoms = [a for a in sp.preorder_traversal(expr) if isinstance(a, (A.KL, A.JSD, A.E))]
    out = sp.sympify(expr).xreplace({a: value(a) for a in atoms})
    if out.free_symbols & (A.DENSITIES | {A.R}):
        raise TypeError(f"{expr} has densities outside KL / JSD / E")
    return out


def _param_side(side: sp.Basic, e: list, q: list, r: list) -> list:
    """The gradient in theta (theta_k = log e_k, so d/dtheta_k = e_k d/de_k) of one side, as K expressions."""
    if isinstance(side, A.ParamGrad):
        F = _discrete_functional(side.args[0], q, r)
        return [ek * sp.diff(F, ek) for ek in e]
    if isinstance(side, A.GeneratorGrad):
        lam, frozen = side.args
        D_now = [rk / (rk + qk) for qk, rk in zip(q, r)]
        if frozen == sp.true:  # D* evaluated, then held: only the sampling distribution p_theta moves
            losses = [lam(d) for d in D_now]
            return [ek * sum(sp.diff(qk, ek) * lk for qk, lk in zip(q, losses)) for ek in e]
        total = sum(qk * lam(d) for qk, d in zip(q, D_now))
        return [ek * sp.diff(total, ek) for ek in e]
    if side == 0:
        return [sp.Integer(0)] * len(e)
    raise TypeError("expected ParamGrad(J) or GeneratorGrad(Lambda(D, loss), frozen) on each side")


def _log_polynomial_zero(expr: sp.Expr, syms: list) -> sp.Expr:
    """0 if ``expr`` vanishes identically as a rational function of ``syms`` and of the logarithms of the
    irreducible factors of its log arguments, taken as independent symbols (a sufficient test, fast);
    otherwise ``expr`` simplified by SymPy (which may still find 0 through relations between the logs)."""
    x = expr.replace(lambda a: isinstance(a, sp.log), lambda a: sp.log(sp.factor(sp.together(a.args[0]))))
    x = sp.expand_log(x, force=True)
    logs = sorted(x.atoms(sp.log), key=str)
    names = sp.symbols(f"L0:{len(logs)}") if logs else ()
    xl = x.xreplace(dict(zip(logs, names)))
    parts = [sp.diff(xl, n) for n in names]
    if not any(p_.has(*names) for p_ in parts):  # linear in the logs: each coefficient must vanish on its own
        parts.append(xl.xreplace(dict.fromkeys(names, 0)))
        if all(sp.fraction(sp.together(p_))[0].expand() == 0 for p_ in parts):
            return sp.Integer(0)
    num, _ = sp.fraction(sp.together(xl))
    if sp.Poly(num, *names, *syms).is_zero:
        return sp.Integer(0)
    return simplified(expr)


def parametric_gradient(statement: sp.Equality) -> Evidence:
    """``GeneratorGrad(...) == ParamGrad(J)`` (or two ParamGrads) along the softmax family on K = 3 points:
    p_theta(y_k) = e^{theta_k} / sum e^{theta_j}, p_r(y_k) = u_k / sum u_j with symbolic e_k = e^{theta_k} > 0 and
    u_k > 0. Both gradients are derived by differentiation (chain rule d/dtheta_k = e_k d/de_k). Refutation: an
    exact point (rational e, u) where the K components differ, evaluated to 50 digits. Proof: the difference
    simplifies to 0 for all e, u."""
    lhs, rhs = statement.lhs, statement.rhs
    K = SOFTMAX_K
    e = list(sp.symbols(f"e_1:{K + 1}", positive=True))
    u = list(sp.symbols(f"u_1:{K + 1}", positive=True))
    q = [ek / sum(e) for ek in e]
    r = [uk / sum(u) for uk in u]
    left, right = _param_side(lhs, e, q, r), _param_side(rhs, e, q, r)
    diff = [a - b for a, b in zip(left, right)]
    rng = np.random.default_rng(23)
    for _ in range(8):
        vals = {s_: sp.Rational(int(rng.integers(1, 20)), int(rng.integers(1, 6))) for s_ in e + u}
        gaps = [sp.N(d.xreplace(vals), 50) for d in diff]
        if any(abs(g) > sp.Float("1e-40") for g in gaps):
            theta = [float(sp.log(vals[ek])) for ek in e]
            return Evidence(False, "symbolic", "the gradients differ at an exact point of the family",
                            {"theta": theta, "p_theta": [float(qk.xreplace(vals)) for qk in q],
                             "p_r": [float(rk.xreplace(vals)) for rk in r],
                             "lhs": [float(sp.N(a.xreplace(vals), 30)) for a in left],
                             "rhs": [float(sp.N(b.xreplace(vals), 30)) for b in right]})
    simplified = [_log_polynomial_zero(d, e + u) for d in diff]
    steps = (("the family: p_theta and p_r on 3 points (e_k = exp(theta_k))", sp.Tuple(sp.Tuple(*q), sp.Tuple(*r))),
             ("the difference of the two theta-gradients, every component (each logarithm's argument factored, "
              "the logarithms then taken as independent symbols)", sp.Tuple(*simplified)))
    if all(d == 0 for d in simplified):
        return Evidence(True, "symbolic", f"equal for every theta in R^{K} and every p_r on {K} points "
                        "(the difference simplifies to 0)", steps=steps)
    return Evidence(True, "numeric", f"equal to 50 digits at 8 exact points; the difference {simplified} did not "
                    "simplify to 0", steps=steps)


# -- the push-forward: an expectation over z as one over x -------------------------------------------

def pushforward(statement: sp.Equality) -> Evidence:
    """``lhs == rhs`` between combinations of ``Ez(h)`` (over the latent z, through G) and ``Ex(h, which)``
    (over the data space), h a Lambda in x that may apply an undefined function (the discriminator D).

    Exact, for every map G from 4 latent points onto 3 data points (all 81 maps, so non-injective ones and
    ones that miss points): the masses of p_z and p_data and the values D(x_j) are symbols, the push-forward
    p_g(x_j) is the sum of the masses of G^{-1}(x_j), and the two sides are compared as expressions in those
    symbols (with log D(x_j) as independent symbols)."""
    import itertools

    nz, nx = 4, 3
    w = sp.symbols(f"w_1:{nz + 1}", positive=True)      # p_z masses
    pd = sp.symbols(f"q_1:{nx + 1}", positive=True)     # p_data masses
    dv = sp.symbols(f"d_1:{nx + 1}", positive=True)     # D(x_j)
    xs = sp.symbols(f"x_1:{nx + 1}", real=True)         # the data points
    funcs = sorted({a.func for a in statement.atoms(sp.core.function.AppliedUndef)}, key=str)
    if len(funcs) > 1:
        raise TypeError("at most one undefined function (the discriminator) may appear")

    def h_at(h, j):
        out = h(xs[j]).xreplace({A.D: dv[j]})  # D read pointwise (the text D(x) is the symbol D at x)
        if funcs:
            out = out.replace(funcs[0], lambda *args: dv[xs.index(args[0])] if args[0] in xs else None)
        return out

    def side(expr, G):
        push = [sum((w[i] for i in range(nz) if G[i] == j), sp.Integer(0)) for j in range(nx)]

        def value(atom):
            if isinstance(atom, A.Ez):
                return sum(w[i] * h_at(atom.args[0], G[i]) for i in range(nz))
            which = str(atom.args[1])
            if which == "data":
                return sum(pd[j] * h_at(atom.args[0], j) for j in range(nx))
            if which == "pushforward":
                return sum(push[j] * h_at(atom.args[0], j) for j in range(nx))
            if which == "latent":  # p_z's masses put on the data points as if G were the identity
                return sum(w[j] * h_at(atom.args[0], j) for j in range(nx))
            raise ValueError(f"unknown distribution {which!r}")

        atoms = [a for a in sp.preorder_traversal(expr) if isinstance(a, (A.Ez, A.Ex))]
        return sp.sympify(expr).xreplace({a: value(a) for a in atoms})

    for G in itertools.product(range(nx), repeat=nz):
        gap = sp.expand(sp.expand_log(side(statement.lhs, G) - side(statement.rhs, G), force=True))
        if gap != 0:
            vals = {**{s_: sp.Rational(1, nz) for s_ in w}, **{s_: sp.Rational(1, nx) for s_ in pd},
                    **{s_: sp.Rational(k + 1, nx + 2) for k, s_ in enumerate(dv)}}
            return Evidence(False, "symbolic", "the two sides differ for this map G",
                            {"G(z_i) = x_j, j for i = 1..4": [j + 1 for j in G],
                             "p_z": "uniform", "D(x_j)": [str(vals[d]) for d in dv],
                             "lhs": float(sp.N(side(statement.lhs, G).xreplace(vals), 20)),
                             "rhs": float(sp.N(side(statement.rhs, G).xreplace(vals), 20))})
    return Evidence(True, "symbolic", f"equal as expressions in the masses and the values of D, for all "
                    f"{nx ** nz} maps G from {nz} latent points to {nx} data points")


# -- one GLGD step and Omega_g ------------------------------------------------------------------------

def glgd_step_membership(statement: sp.Equality) -> Evidence:
    """``Eq(GLGDStepInOmega(p_r, R, alpha), True/False)``: one step of seed 000's GLGD on cells of unit volume,
    from the slide's own formulas -- g(R, f) = E[-R log f] differentiated in R (SymPy) with f held, then
    f* = 1/(1 + R), P_o d = d - E[d]/E[p_r] p_r with E[d] = sum p_r d -- in 50-digit arithmetic. The new R
    is in Omega_g iff E[R] = 1 (to 1e-40) and every value is > 0; a value within 1e-40 of 0 is undecided."""
    import mpmath

    lhs, claimed = statement.lhs, statement.rhs
    if not isinstance(lhs, A.GLGDStepInOmega) or claimed not in (sp.true, sp.false):
        raise TypeError("expected Eq(GLGDStepInOmega(p_r, R, alpha), True/False)")
    p, r, alpha = (tuple(lhs.args[0]), tuple(lhs.args[1]), lhs.args[2])
    if len(p) != len(r) or any(not (x.is_number and x > 0) for x in p + r):
        raise ValueError("p_r and R must be tuples of positive numbers of the same length")
    Rs, fs = sp.symbols("R f", positive=True)
    dg = sp.diff(Rs * -sp.log(fs), Rs)  # d/dR of the integrand of g = E[-R log f], f held
    with mpmath.workdps(50):
        P = [mpmath.mpf(str(sp.N(x, 50))) for x in p]
        Rv = [mpmath.mpf(str(sp.N(x, 50))) for x in r]
        a = mpmath.mpf(str(sp.N(alpha, 50)))
        mean0 = sum(pi * ri for pi, ri in zip(P, Rv))
        if abs(mean0 - 1) > mpmath.mpf(10) ** -40:
            raise ValueError(f"the starting R is not in Omega_g: E[R] = {mpmath.nstr(mean0, 12)}")
        # the L2(dy) gradient on cells of unit volume, p_r d(integrand)/dR, at f = f* = 1/(1 + R)
        grad = [pi * mpmath.mpf(str(sp.N(dg.subs({Rs: x, fs: 1 / (1 + x)}), 50))) for pi, x in zip(P, r)]
        ed = sum(pi * gi for pi, gi in zip(P, grad))
        ep = sum(pi * pi for pi in P)
        proj = [gi - ed / ep * pi for gi, pi in zip(grad, P)]
        new = [ri - a * di for ri, di in zip(Rv, proj)]
        mean = sum(pi * ri for pi, ri in zip(P, new))
        low = min(new)
        room = [ri / di for ri, di in zip(Rv, proj) if di > 0]
        alpha_max = min(room) if room else mpmath.inf
    info = {"new_R": [float(x) for x in new], "E[new R]": float(mean), "min new R": float(low),
            "largest alpha keeping R > 0": float(alpha_max)}
    if abs(mean - 1) > 1e-40:
        inside = False
    elif abs(low) <= 1e-40:
        return Evidence(None, "numeric", "a value of the new R is within 1e-40 of 0: undecided")
    else:
        inside = bool(low > 0)
    steps = (("the gradient of the integrand of g in R, f held", dg),
             ("the step's largest alpha keeping R > 0 (min over P_o d > 0 of R / P_o d)", sp.Float(float(alpha_max))))
    if inside == (claimed == sp.true):
        return Evidence(True, "numeric", f"the new R is {'in' if inside else 'outside'} Omega_g (E = "
                        f"{float(mean):.3g}, min = {float(low):.3g}; R > 0 kept for alpha < {float(alpha_max):.4g})",
                        steps=steps)
    return Evidence(False, "numeric", f"the new R is {'in' if inside else 'outside'} Omega_g", info, steps=steps)


# -- GLGD's linear rate near R* = 1 ------------------------------------------------------------------------

_GLGD_JAC: dict = {}


def _glgd_generator_matrix(n: int):
    """M(p) with the GLGD map's Jacobian at R = 1 equal to I - alpha M(p), derived by SymPy from C(R) =
    sum p_i (1 + R_i) log(1 + R_i) (cells of unit volume), its gradient and P_o d = d - <d, p>/<p, p> p; lambdified."""
    if n not in _GLGD_JAC:
        ps = sp.symbols(f"p_1:{n + 1}", positive=True)
        Rs = sp.symbols(f"R_1:{n + 1}", positive=True)
        alpha = sp.Symbol("alpha", positive=True)
        C = sum(pi * (1 + ri) * sp.log(1 + ri) for pi, ri in zip(ps, Rs))
        grad = sp.Matrix([sp.diff(C, ri) for ri in Rs])
        pv = sp.Matrix(ps)
        proj = grad - (grad.dot(pv) / pv.dot(pv)) * pv
        F = sp.Matrix(Rs) - alpha * proj
        J = F.jacobian(Rs).subs({ri: 1 for ri in Rs})
        M = simplified((sp.eye(n) - J) / alpha)
        _GLGD_JAC[n] = sp.lambdify([ps], M, "numpy")
    return _GLGD_JAC[n]


def glgd_best_rate(p) -> float:
    """GLGDBestRate for numeric masses: the eigenvalues mu_k of M(p) on the tangent space (an orthonormal basis of
    p-perp); the best rate over alpha of max |1 - alpha mu| is (mu_max - mu_min) / (mu_max + mu_min)."""
    p = np.asarray(p, dtype=float)
    M = np.asarray(_glgd_generator_matrix(p.size)(p), dtype=float)
    Q, _ = np.linalg.qr(np.column_stack([p, np.eye(p.size)[:, : p.size - 1]]))
    B = Q[:, 1:]
    mu = np.linalg.eigvals(B.T @ M @ B)
    if np.max(np.abs(mu.imag)) > 1e-9 * np.max(np.abs(mu)) or np.min(mu.real) <= 0:
        raise ValueError(f"unexpected spectrum on the tangent space: {mu}")
    mu = mu.real
    return float((mu.max() - mu.min()) / (mu.max() + mu.min()))


def glgd_rate(statement: sp.Basic) -> Evidence:
    """A relation between ``GLGDBestRate((p_1, ..., p_n))`` and an expression in the p_i (or a number). With free
    symbols the relation is checked at 400 random rational masses and at extremes (one or two masses 1/1000);
    a sample within 1e-9 of equality is counted as tight (within rounding: consistent with a non-strict
    relation, never a refutation)."""
    rels = (sp.LessThan, sp.StrictLessThan, sp.GreaterThan, sp.StrictGreaterThan, sp.Equality)
    if not isinstance(statement, rels) or not isinstance(statement.lhs, A.GLGDBestRate):
        raise TypeError("expected a relation GLGDBestRate((p_1, ...)) <= / >= / = expression")
    masses = tuple(statement.lhs.args[0])
    bound = sp.sympify(statement.rhs)
    syms = sorted(set().union(*(sp.sympify(m).free_symbols for m in masses)) | bound.free_symbols, key=str)
    rng = np.random.default_rng(29)
    samples = [{}] if not syms else []
    for k in range(400 if syms else 0):
        vals = {x_: sp.Rational(int(rng.integers(1, 31)), int(rng.integers(1, 11))) for x_ in syms}
        if k % 4 == 0:  # extremes: tiny masses, where the conditioning is worst
            for x_ in rng.choice(syms, size=min(len(syms), 1 + k % 2), replace=False):
                vals[x_] = sp.Rational(1, 1000)
        if k == 1:
            vals = {x_: sp.Integer(1) for x_ in syms}  # uniform: the best-conditioned case
        samples.append(vals)
    tight = 0
    for vals in samples:
        p = [float(sp.sympify(m).xreplace(vals)) for m in masses]
        rate = glgd_best_rate(p)
        rhs = float(bound.xreplace(vals))
        gap = rhs - rate
        if abs(gap) <= 1e-9:
            tight += 1
            if isinstance(statement, (sp.StrictLessThan, sp.StrictGreaterThan)):
                return Evidence(None, "numeric", f"the rate is within rounding of the bound at p = {p}: marginal")
            continue
        holds = {sp.LessThan: gap > 0, sp.StrictLessThan: gap > 0, sp.GreaterThan: gap < 0,
                 sp.StrictGreaterThan: gap < 0, sp.Equality: False}[type(statement)]
        if not holds:
            return Evidence(False, "numeric", "the relation fails at these masses",
                            {"p_r": p, "best_rate": rate, "rhs": rhs})
    where = f"{len(samples)} random mass vectors (extremes included)" if syms else "the given masses"
    return Evidence(True, "numeric", f"holds at {where}" + (f"; {tight} within rounding of equality" if tight else ""),
                    steps=(("M(p): the GLGD map's Jacobian at R = 1 is I - alpha M(p), derived", None),))


# -- the image of an interval ----------------------------------------------------------------------------

def image_over(statement: sp.Equality) -> Evidence:
    """``ImageOver(Lambda(x, g), I) == S``: g must be defined on all of I (no singularity inside), strictly
    monotone there (the sign of g' decided by SymPy on the interior, parametrized by t > 0), and then its image
    is the interval between its one-sided limits at the ends of I (closed at an end of I that I contains).
    The derived image is compared with the claimed set."""
    lhs, claimed = _sides(statement)
    if not isinstance(lhs, A.ImageOver):
        raise TypeError("expected ImageOver(Lambda(x, g), interval) on the left")
    lam, dom = lhs.args
    x = lam.variables[0]
    g = lam.expr
    inside = [z for z in sp.singularities(g, x, dom)] if dom != sp.S.Reals else list(sp.singularities(g, x))
    inside = [z for z in inside if dom.contains(z) == sp.true]
    if inside:
        return Evidence(False, "symbolic", f"g is undefined at x = {inside[0]}, inside the interval",
                        {"x": str(inside[0]), "interval": interval_text(dom)})
    t, x_of_t = interval_parametrization(dom, x)
    dg = simplified(sp.diff(g, x).subs(x, x_of_t))
    if not (dg.is_positive or dg.is_negative):
        return Evidence(None, "symbolic", f"the sign of g' = {simplified(sp.diff(g, x))} is not decided on the "
                        "interval")
    lo, hi = dom.inf, dom.sup
    a = g.subs(x, lo) if dom.contains(lo) == sp.true else sp.limit(g, x, lo, "+")
    b = g.subs(x, hi) if dom.contains(hi) == sp.true else sp.limit(g, x, hi, "-")
    a_in, b_in = dom.contains(lo) == sp.true, dom.contains(hi) == sp.true
    if dg.is_negative:
        a, b, a_in, b_in = b, a, b_in, a_in
    image = sp.Interval(a, b, left_open=not a_in, right_open=not b_in)
    steps = (("g', of one sign on the interval", simplified(sp.diff(g, x))),
             ("the values at (or limits toward) the interval's ends", sp.Tuple(a, b)), ("so the image", image))
    if image == claimed:
        return Evidence(True, "symbolic", f"g is strictly monotone on the interval with image {interval_text(image)}",
                        steps=steps)
    return Evidence(False, "symbolic", f"the image is {interval_text(image)}",
                    {"image": interval_text(image), "claimed": str(claimed)}, steps=steps)


# -- the minimizers of a quadratic loss -------------------------------------------------------------

def _as_points(claimed) -> list | None:
    """The claimed minimizers as a list of tuples (a set of points, or one point), or None if the claim is
    not a finite set."""
    if isinstance(claimed, sp.Tuple):
        return [claimed]
    if claimed == sp.S.EmptySet:
        return []
    if isinstance(claimed, sp.FiniteSet):
        return [p if isinstance(p, sp.Tuple) else sp.Tuple(p) for p in claimed]
    return None


def _univariate_minimizers(poly: sp.Poly, x: sp.Symbol, claimed) -> Evidence:
    """The global minimizers of a polynomial in one variable with rational coefficients, exactly: none if its
    degree is odd or its leading coefficient negative (unbounded below); else the real roots of p' (isolated
    exactly) with the least value of p, compared exactly with the claim."""
    if not all(c.is_Rational for c in poly.all_coeffs()):
        raise ValueError("Minimizers of a polynomial of degree > 2 are decided for rational coefficients only")
    points = _as_points(claimed)
    if points is None:
        raise ValueError(f"Minimizers: the claim must be a finite set of points, got {claimed}")
    steps = [("the loss, a polynomial in one variable", poly.as_expr())]
    if poly.degree() % 2 or poly.LC() < 0:
        steps.append(("odd degree or a negative leading coefficient: unbounded below", poly.LC()))
        if not points:
            return Evidence(True, "symbolic", "the loss is unbounded below: no minimizer", steps=tuple(steps))
        far = sp.Integer(-10**6 if poly.degree() % 2 and poly.LC() > 0 else 10**6)  # where p is very negative
        return Evidence(False, "symbolic", "the loss is unbounded below, so no point minimizes it",
                        {str(x): str(far), "loss_there": str(poly.eval(far)), "claimed": str(claimed)},
                        steps=tuple(steps))
    crit = sp.Poly(poly.diff(x), x).real_roots()
    values = [(r, poly.as_expr().subs(x, r)) for r in dict.fromkeys(crit)]
    low = min(v for _, v in values) if values else None
    best = [r for r, v in values if simplified(v - low) == 0]
    steps += [("the real zeros of p' (isolated exactly)", sp.FiniteSet(*crit)),
              ("the least value of p among them, the minimum (p -> +oo at both ends)", simplified(low)),
              ("the minimizers", sp.FiniteSet(*best))]
    derived = {sp.Tuple(r) for r in best}
    want = {sp.Tuple(*c) for c in points}
    same = len(derived) == len(want) and all(any(len(c) == 1 and simplified(c[0] - d[0]) == 0 for c in want)
                                             for d in derived)
    if same:
        return Evidence(True, "symbolic", f"the global minimizers are {', '.join(str(d[0]) for d in derived)} "
                        f"(minimum {simplified(low)})", steps=tuple(steps))
    missed = next((d for d in derived if not any(len(c) == 1 and simplified(c[0] - d[0]) == 0 for c in want)), None)
    extra = next((c for c in want if len(c) != 1 or not any(simplified(c[0] - d[0]) == 0 for d in derived)), None)
    cex = {"minimizers": str(sp.FiniteSet(*best)), "minimum": str(simplified(low)), "claimed": str(claimed)}
    if extra is not None and len(extra) == 1:
        cex["claimed_point"] = str(extra[0])
        cex["loss_at_claimed_point"] = str(simplified(poly.as_expr().subs(x, extra[0])))
    elif missed is not None:
        cex["missed_minimizer"] = str(missed[0])
    return Evidence(False, "symbolic", f"the global minimizers are {sp.FiniteSet(*best)}", cex, steps=tuple(steps))


def minimizers(statement: sp.Equality) -> Evidence:
    """``Minimizers(L, (x_1, ..., x_k)) == S`` for a loss L of degree at most 2 in the x's (every other symbol
    a parameter): the Hessian is constant; if it is not positive semidefinite L is unbounded below (no
    minimizer); otherwise the minimizers are exactly the stationary points, the solutions of the linear system
    grad L = 0 (solved exactly: empty, one point, or an affine set). That set is compared with the claim; where
    they differ, a point with rational parameters shows it (a minimizer the claim misses, or a claimed point
    whose loss is above the minimum)."""
    lhs, claimed = _sides(statement)
    if not isinstance(lhs, A.Minimizers):
        raise TypeError("expected Minimizers(L, (x_1, ..., x_k)) on the left")
    loss, xs = lhs.args
    xs = list(xs)
    if not xs or not all(isinstance(x, sp.Symbol) for x in xs):
        raise ValueError("Minimizers: the variables must be symbols")
    poly = sp.Poly(sp.expand(loss), *xs)  # raises on a loss that is not polynomial in the variables
    if poly.total_degree() > 2 and len(xs) == 1 and not (loss.free_symbols - set(xs)):
        return _univariate_minimizers(poly, xs[0], claimed)
    if poly.total_degree() > 2:
        raise ValueError(f"Minimizers decides losses of degree <= 2 in the variables; this one has degree "
                         f"{poly.total_degree()}")
    grad = [sp.expand(sp.diff(loss, x)) for x in xs]
    hess = sp.hessian(loss, xs)
    if hess.free_symbols:
        raise ValueError("Minimizers: the Hessian depends on the parameters; fix their signs first")
    steps = [("the gradient", sp.Matrix(grad)), ("the Hessian (constant)", hess)]
    points = _as_points(claimed)
    if points is None:
        raise ValueError(f"Minimizers: the claim must be a finite set of points, got {claimed}")
    params = sorted(loss.free_symbols - set(xs), key=str)
    rng = np.random.default_rng(29)
    vals = {p: sp.Rational(int(rng.integers(-9, 10)), int(rng.integers(1, 5))) for p in params}
    if not hess.is_positive_semidefinite:
        direction = next(v for lam, _, vecs in hess.eigenvects() if lam.is_negative for v in vecs)
        steps.append(("a direction of negative curvature", direction))
        if not points:
            return Evidence(True, "symbolic", "the Hessian has a negative eigenvalue: the loss is unbounded below "
                            "and has no minimizer", steps=tuple(steps))
        return Evidence(False, "symbolic", "the Hessian has a negative eigenvalue: the loss is unbounded below, "
                        "so no point minimizes it", {"descent_direction": str(tuple(direction)),
                                                     "claimed": str(claimed)}, steps=tuple(steps))
    sol = sp.linsolve(grad, xs)
    derived = list(sol)
    if not derived:
        steps.append(("grad L = 0 has no solution", sp.S.EmptySet))
        if not points:
            return Evidence(True, "symbolic", "a convex quadratic with no stationary point is unbounded below "
                            "along its flat directions: no minimizer", steps=tuple(steps))
        return Evidence(False, "symbolic", "grad L = 0 has no solution, so no point minimizes the loss",
                        {"claimed": str(claimed)}, steps=tuple(steps))
    point = sp.Tuple(*derived[0])
    free = sorted(point.free_symbols & set(xs), key=str)
    steps.append(("the minimizers: the solutions of grad L = 0", sol))
    minimum = simplified(loss.subs(dict(zip(xs, point))))
    steps.append(("the minimum value", minimum))
    if not free:
        for c in points:
            if len(c) == len(xs) and all(simplified(a - b) == 0 for a, b in zip(point, c)):
                if len(points) == 1:
                    return Evidence(True, "symbolic", f"the loss is convex with the unique minimizer {tuple(point)}",
                                    steps=tuple(steps))
        bad = next((c for c in points if len(c) != len(xs)
                    or any(simplified(a - b) != 0 for a, b in zip(point, c))), None)
        cex = {str(k): str(v) for k, v in vals.items()}
        cex["minimizer"] = str(tuple(simplified(v.subs(vals)) for v in point))
        cex["minimum"] = str(simplified(minimum.subs(vals)))
        if bad is not None and len(bad) == len(xs):
            cex["claimed_point"] = str(tuple(simplified(v.subs(vals)) for v in bad))
            cex["loss_at_claimed_point"] = str(simplified(loss.subs(dict(zip(xs, bad))).subs(vals)))
        elif not points:
            cex["claimed"] = "no minimizer"
        return Evidence(False, "symbolic", f"the unique minimizer is {tuple(point)}", cex, steps=tuple(steps))
    # an affine set of minimizers: any finite claim misses points of it
    shift = {v: sp.Integer(k + 1) for k, v in enumerate(free)}
    other = sp.Tuple(*[simplified(v.subs(shift).subs(vals)) for v in point])
    cex = {str(k): str(v) for k, v in vals.items()}
    cex.update({"minimizer": str(tuple(other)), "minimum": str(simplified(minimum.subs(vals))),
                "free_directions": len(free)})
    for c in points:
        if len(c) == len(xs):
            cex["claimed_point"] = str(tuple(simplified(v.subs(vals)) for v in c))
            cex["loss_at_claimed_point"] = str(simplified(loss.subs(dict(zip(xs, c))).subs(vals)))
            break
    return Evidence(False, "symbolic", f"the minimizers form an affine set of dimension {len(free)} "
                    f"(free: {', '.join(map(str, free))}), not a finite set", cex, steps=tuple(steps))


# -- Algorithm 1 as stated: k discriminator ascent steps, then the generator's gradient -------------------

#: the setting of AlgorithmOneStep / FamilyGrad: data N(1, 0.7^2), generator at theta = (mu, log sigma) = (0, 0)
ALG1_DATA, ALG1_THETA = (1.0, 0.7), (0.0, 0.0)


class _Normal:
    """The normal density and its logarithm at a float (scipy.stats' per-call overhead is 80 us, and a
    quadrature calls these thousands of times)."""

    @staticmethod
    def logpdf(x: float, m: float, s: float) -> float:
        return -0.5 * ((x - m) / s) ** 2 - math.log(s) - 0.5 * math.log(2 * math.pi)

    @staticmethod
    def pdf(x: float, m: float, s: float) -> float:
        return math.exp(_Normal.logpdf(x, m, s))


@functools.lru_cache(maxsize=16)
def _inner_loop(loss: str, k, h: float):
    """Algorithm 1's inner loop from w = 0 at theta = ALG1_THETA: (w, steps done), or (None, why)."""
    from gantheory.engine._game_training import _cached_model
    from gantheory.engine._training import TrainingGAN

    gan = TrainingGAN(means=(ALG1_DATA[0],), stds=(ALG1_DATA[1],), weights=(1.0,))
    model = _cached_model(gan, loss, "none", 1.0, 48)  # one derivation of the field per process
    theta = np.array(ALG1_THETA)
    w = np.zeros(3)
    limit = k == sp.oo
    steps = 10**5 if limit else int(k)
    for done in range(1, steps + 1):
        step = h * model.v(np.concatenate([w, theta]))[:3]
        w = w + step
        if not np.all(np.isfinite(w)):
            return None, f"the discriminator's ascent diverged at step {done} with h = {h}"
        if limit and np.linalg.norm(step) < 1e-14:
            return (w, -model.v(np.concatenate([w, theta]))[3:]), done
    if limit:
        return None, f"the inner loop did not settle in {steps} steps with h = {h}"
    return (w, -model.v(np.concatenate([w, theta]))[3:]), steps


def _family_functional(J: sp.Expr, mu: float, log_sigma: float) -> float:
    """J (KL and JSD of p_data = N(1, 0.7^2) and p_g = N(mu, e^{2 log_sigma}), and numbers) by adaptive
    quadrature of the definitions (SciPy ``quad``, absolute error 1e-14)."""
    from scipy.integrate import quad

    dens = {A.p_data: (ALG1_DATA[0], ALG1_DATA[1]), A.p_g: (mu, math.exp(log_sigma))}
    norm = _Normal

    def integral(fn):
        pts = sorted({dens[A.p_data][0], dens[A.p_g][0]})
        return quad(fn, -40, 40, epsabs=1e-14, epsrel=1e-13, limit=500, points=pts)[0]

    def pdf(d):
        m, s = dens[d]
        return lambda x: norm.pdf(x, m, s)

    def kl(a, b):  # log densities: no log of an underflowed density in the tails
        (ma, sa), (mb, sb) = dens[a], dens[b]
        return integral(lambda x: norm.pdf(x, ma, sa) * (norm.logpdf(x, ma, sa) - norm.logpdf(x, mb, sb)))

    def jsd(a, b):
        pa, pb = pdf(a), pdf(b)

        def f(x):
            u, v = pa(x), pb(x)
            m = (u + v) / 2
            return (0.5 * u * math.log(u / m) if u > 0 else 0.0) + (0.5 * v * math.log(v / m) if v > 0 else 0.0)
        return integral(f)

    vals = {}
    for atom in J.atoms(A.KL, A.JSD):
        a, b = atom.args
        if a not in dens or b not in dens:
            raise ValueError(f"FamilyGrad: {atom} must compare p_data and p_g")
        vals[atom] = sp.Float(kl(a, b) if isinstance(atom, A.KL) else jsd(a, b), 30)
    out = J.xreplace(vals)
    if out.free_symbols:
        raise ValueError(f"FamilyGrad: {J} has more than KL and JSD of p_data and p_g")
    return float(out)


def algorithm_one(statement: sp.Equality) -> Evidence:
    """``AlgorithmOneStep(loss, k, h) == FamilyGrad(J)``: Algorithm 1's inner loop is run as stated -- k ascent
    steps of size h on V in the discriminator (expected gradients, Gauss-Hermite quadrature; k = oo: until a
    step moves w by less than 1e-14, at most 1e5 steps) from D = 1/2 -- and the gradient the generator then
    descends is compared with the gradient of J along the location-scale family, by central differences
    (step 1e-4) of J computed by adaptive quadrature from the definitions: an independent route. Tolerance
    1e-6 relative (differences of quadratures accurate to 1e-13: about 1e-9, and 1e-8 from the step)."""
    lhs, rhs = _sides(statement)
    if not isinstance(lhs, A.AlgorithmOneStep) or not isinstance(rhs, A.FamilyGrad):
        raise TypeError("expected AlgorithmOneStep(loss, k, h) == FamilyGrad(J)")
    loss, k, h = lhs.args
    if str(loss) not in ("gan", "nsgan"):
        raise ValueError(f"AlgorithmOneStep: loss must be gan or nsgan, got {loss}")
    if not (k == sp.oo or (k.is_integer and k.is_positive and k <= 10**5)):
        raise ValueError(f"AlgorithmOneStep: k must be a positive integer (at most 1e5) or oo, got {k}")
    h = float(h)
    if not (math.isfinite(h) and h > 0):
        raise ValueError(f"AlgorithmOneStep: the step h must be a positive number, got {lhs.args[2]}")
    result, done = _inner_loop(str(loss), k, h)
    if result is None:
        return Evidence(None, "numeric", done)
    w, measured = result
    d = 1e-4
    grad = np.array([(_family_functional(rhs.args[0], ALG1_THETA[0] + d, ALG1_THETA[1])
                      - _family_functional(rhs.args[0], ALG1_THETA[0] - d, ALG1_THETA[1])) / (2 * d),
                     (_family_functional(rhs.args[0], ALG1_THETA[0], ALG1_THETA[1] + d)
                      - _family_functional(rhs.args[0], ALG1_THETA[0], ALG1_THETA[1] - d)) / (2 * d)])
    # how far the inner loop's D is from D* = p_data / (p_data + p_g) (in the family here), on a grid
    xs = np.linspace(-4, 5, 901)
    from scipy.special import expit
    from scipy.stats import norm

    d_w = expit(w[0] + w[1] * xs + w[2] * xs**2)
    pd, pg = norm.pdf(xs, *ALG1_DATA), norm.pdf(xs, ALG1_THETA[0], math.exp(ALG1_THETA[1]))
    gap = float(np.max(np.abs(d_w - pd / (pd + pg))))
    where = (f"after {done} ascent step{'s' if done != 1 else ''} of size {h} (max |D - D*| = {gap:.1e} on "
             "[-4, 5])")
    steps_out = (("the discriminator after the inner loop, w", sp.Matrix(np.round(w, 12).tolist())),
                 ("the gradient the generator descends, E_z[grad_theta loss]", sp.Matrix(measured.tolist())),
                 ("grad_theta J by central differences of quadratures", sp.Matrix(grad.tolist())))
    if np.allclose(measured, grad, rtol=1e-6, atol=1e-6):
        return Evidence(True, "numeric", f"{where}: the generator's gradient {np.round(measured, 7).tolist()} "
                        f"equals grad_theta J {np.round(grad, 7).tolist()} to 1e-6", steps=steps_out)
    return Evidence(False, "numeric", f"{where}: the generator's gradient differs from grad_theta J",
                    {"generator_gradient": measured.tolist(), "grad_J": grad.tolist(), "inner_steps": done,
                     "max_abs_D_minus_Dstar": gap, "theta": list(ALG1_THETA)}, steps=steps_out)


# -- Bayes' rule ------------------------------------------------------------------------------------

def posterior(statement: sp.Equality) -> Evidence:
    """``Posterior(prior, p_real, p_fake) == expr``: Bayes' rule applied to the two-class mixture (joint
    P{real, y} = prior p_real(y), P{fake, y} = (1 - prior) p_fake(y); posterior = joint / evidence), then
    p_R = R p_r put in, and compared with the claim: exactly, or at a point of exact rationals where
    they differ (prior in (0, 1), densities and R positive)."""
    lhs, claimed = _sides(statement)
    if not isinstance(lhs, A.Posterior):
        raise TypeError("expected Posterior(prior, p_real, p_fake) on the left")
    prior, p_real, p_fake = lhs.args
    joint = {"real": prior * p_real, "fake": (1 - prior) * p_fake}
    evidence = joint["real"] + joint["fake"]
    derived = joint["real"] / evidence
    ratio = {A.p_R: A.R * A.p_r, A.p_g: A.R * A.p_data}
    steps = (("the joint probabilities P{real, y} and P{fake, y}", sp.Tuple(joint["real"], joint["fake"])),
             ("Bayes' rule: P{real | y} = P{real, y} / (P{real, y} + P{fake, y})", derived),
             ("with p_R = R p_r", simplified(derived.xreplace(ratio))))
    gap = simplified((derived - claimed).xreplace(ratio))
    if gap == 0:
        return Evidence(True, "symbolic", "Bayes' rule gives the claimed posterior identically", steps=steps)
    syms = sorted(gap.free_symbols, key=str)
    rng = np.random.default_rng(17)
    for _ in range(200):
        vals = {}
        for x in syms:
            if x == prior or str(x).startswith("pi"):  # a prior: in (0, 1)
                vals[x] = sp.Rational(int(rng.integers(1, 9)), 10)
            else:
                vals[x] = sp.Rational(int(rng.integers(1, 30)), int(rng.integers(1, 10)))
        g = gap.xreplace(vals)
        if g != 0:
            return Evidence(False, "symbolic", "Bayes' rule gives another posterior at this point",
                            {**{str(k): str(v) for k, v in vals.items()},
                             "bayes": str(simplified(derived.xreplace(ratio).xreplace(vals))),
                             "claimed": str(simplified(sp.sympify(claimed).xreplace(ratio).xreplace(vals)))},
                            steps=steps)
    return Evidence(None, "symbolic", f"the difference {gap} does not simplify to 0 and vanishes at every sample")


# -- limits -------------------------------------------------------------------------------------

def _derived_bound(atom):
    from gantheory.verify.games import derived_step_bound

    return derived_step_bound(atom.args[0])


def limit_value(statement: sp.Equality) -> Evidence:
    """``Limit(expr, x, x0) == value``: SymPy computes the limit; numbers at nearby points agree."""
    lhs, claimed = _sides(statement)
    if not isinstance(lhs, sp.Limit):
        raise TypeError("expected a Limit on the left")
    bounds = {atom: _derived_bound(atom) for atom in lhs.atoms(A.StableStepBound)}
    if bounds:  # Lemma 8's step bound, derived from |1 + h lambda| = 1, not read from the statement
        lhs = lhs.xreplace(bounds)
    expr, x, x0 = lhs.args[:3]
    side = str(lhs.args[3]) if len(lhs.args) > 3 else "+"
    try:
        computed = lhs.doit()
    except ValueError as exc:  # SymPy: "The limit does not exist since left hand limit = ... and right ..."
        if side != "+-" or "does not exist" not in str(exc):
            raise
        computed = None
    if computed is None or ((computed in (sp.zoo, sp.nan) or isinstance(computed, sp.AccumBounds))
                            and claimed != computed):
        sides = {}
        for d in ("-", "+"):
            try:
                sides[f"from the {'left' if d == '-' else 'right'}"] = str(sp.Limit(expr, x, x0, d).doit())
            except Exception:  # one side SymPy cannot compute: shown as such
                sides[f"from the {'left' if d == '-' else 'right'}"] = "not computed"
        why = "the one-sided limits differ" if computed is None else f"SymPy gives {computed}"
        return Evidence(False, "symbolic", f"the limit does not exist ({why})",
                        {"limit": "does not exist" if computed is None else str(computed), **sides,
                         "claimed": str(claimed)})
    params = {s: sp.Rational(-7 if s.is_negative else 7, 10)  # a value the symbol's assumptions allow
              for s in (expr.free_symbols | sp.sympify(claimed).free_symbols) - {x}}
    fun = sp.lambdify(x, expr.subs(params), "mpmath")
    step = 1e-8 if side != "-" else -1e-8
    probe = [-1e3, -1e4] if x0 == -sp.oo else [1e3, 1e4] if x0 == sp.oo else [float(x0) + step]
    computed_n = float(computed.subs(params))
    if math.isinf(computed_n):  # an infinite limit: |f| must grow, with the right sign, toward the point
        if x0 in (sp.oo, -sp.oo):
            probe = [float(x0.subs({})) * 0 + (1e3 if x0 == sp.oo else -1e3), 1e6 if x0 == sp.oo else -1e6]
        else:
            probe = [float(x0) + step, float(x0) + step * 1e-8]
        near = [float(fun(p)) for p in probe]
        if not (near[1] * computed_n > 0 and abs(near[1]) > abs(near[0]) > 1):
            return Evidence(None, "symbolic", f"limit {computed} but f near the point is {near}")
    else:
        near = [float(fun(p)) for p in probe]
        if not all(abs(n - computed_n) < 1e-2 for n in near):
            return Evidence(None, "symbolic", f"limit {computed} but f near the point is {near}")
    if computed == claimed or (computed.is_finite and simplified(computed - claimed) == 0):
        return Evidence(True, "symbolic", f"limit{_one_sided(expr, x, x0, side, computed)} = {computed}; "
                        f"f({probe[-1]:g}) = {near[-1]:.3g}")
    return Evidence(False, "symbolic", f"the limit is {computed}",
                    {**{str(k): float(v) for k, v in params.items()}, "point": probe[-1],
                     "value_near_point": near[-1], "limit": computed_n, "claimed": float(claimed.subs(params))})


def _one_sided(expr, x, x0, side, computed) -> str:
    """Words for a one-sided limit at a finite point: SymPy's Limit(f, x, a) is the limit from the right
    unless dir is given; where the other side's limit differs, the two-sided limit does not exist, and the
    verdict says so (Limit(1/x, x, 0) = oo holds from the right only)."""
    if x0 in (sp.oo, -sp.oo) or side not in ("+", "-"):
        return ""
    words = " from the right (SymPy's default)" if side == "+" else " from the left"
    try:
        other = sp.Limit(expr, x, x0, "-" if side == "+" else "+").doit()
    except Exception:  # SymPy could not compute the other side: say only which side this is
        return words
    if other == computed:
        return ""
    return words + (f" (from the {'left' if side == '+' else 'right'} it is {other}: the two-sided limit does not "
                    "exist; dir='+-' asks for it)")


# -- gradients in L2(dy) and the projection P_o -------------------------------------------------

def _grad_side(side):
    projected = isinstance(side, A.Proj)
    inner = side.args[0] if projected else side
    if not isinstance(inner, A.Grad):
        raise TypeError("expected Grad(J) or Proj(Grad(J))")
    return projected, inner.args[0]


def project(v: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Seed 000's P_o on cells of unit volume: v - (E[v(Y)] / E[p_r(Y)]) p_r."""
    return v - (np.sum(p * v) / np.sum(p * p)) * p


def _numeric_gradient(J, ref, pr, r0, frozen):
    fixed = {A.f_star: 1.0 / (1.0 + r0)} if frozen else {}
    out = np.empty_like(r0)
    for i in range(r0.size):
        h = 1e-6 * max(1.0, r0[i])
        up, dn = r0.copy(), r0.copy()
        up[i] += h
        dn[i] -= h
        out[i] = (evaluate(J, pr, pr * up, ref, fixed) - evaluate(J, pr, pr * dn, ref, fixed)) / (2 * h)
    return out


def gradient_identity(statement: sp.Equality) -> Evidence:
    """``[Proj](Grad(J1)) == [Proj](Grad(J2))``: gradients in R of functionals, in L2(dy).

    The gradient of ``E[phi(R)] = int phi(R) p_r dy`` is ``p_r phi'(R)``; a frozen ``f^*`` is held
    fixed and then set to the derived Bayes discriminator. ``P_o (p_r u) = 0`` iff ``u`` is constant,
    so with ``P_o`` on both sides the identity holds iff ``phi1' - phi2'`` is constant in R, and
    without it iff they are equal. Numerically: central differences of the functionals (computed from
    their definitions) on concrete distributions, then the discrete ``P_o``.
    """
    lhs, rhs = _sides(statement)
    (p1, J1), (p2, J2) = _grad_side(lhs), _grad_side(rhs)
    ref = _expr_reference(J1 - J2)
    from gantheory.symbolic._reduce import bayes_discriminator

    def psi(J):
        return sp.diff(integrand(J, ref), A.R).subs(A.f_star, bayes_discriminator())

    diff = simplified(psi(J1) - psi(J2))
    if p1 and p2:
        symbolic = simplified(sp.diff(diff, A.R)) == 0
    elif not p1 and not p2:
        symbolic = diff == 0
    else:
        symbolic = None
    frozen = statement.has(A.f_star)
    for k, (pr, pg) in enumerate(instances()):
        if k >= 4:
            break
        r0 = pg / pr
        g1 = _numeric_gradient(J1, ref, pr, r0, frozen)
        g2 = _numeric_gradient(J2, ref, pr, r0, frozen)
        g1, g2 = (project(g1, pr) if p1 else g1), (project(g2, pr) if p2 else g2)
        if not np.allclose(g1, g2, rtol=1e-5, atol=1e-6):
            ce = {str(ref): pr, "R": r0, "lhs": g1, "rhs": g2}
            if symbolic:
                return Evidence(None, "symbolic", "symbolic proof and finite differences disagree", ce)
            return Evidence(False, "numeric", f"phi_1' - phi_2' = {diff}", ce)
    if symbolic:
        return Evidence(True, "symbolic", f"phi_1' - phi_2' = {diff}"
                        + (" is constant, annihilated by P_o" if p1 and p2 else ""))
    if symbolic is False:
        return Evidence(None, "symbolic", f"phi1' - phi2' = {diff} but finite differences agree")
    return Evidence(True, "numeric", "equal on every instance (finite differences, discrete P_o)")


def _components(expr: sp.Basic, vectors: dict, k: int):
    """The k-th component of a pointwise expression with inner products evaluated."""
    expr = sp.sympify(expr)
    inners = [a for a in sp.postorder_traversal(expr) if isinstance(a, A.Inner)]
    while inners:
        atom = inners[0]
        n = len(next(iter(vectors.values())))
        total = sum(_components(atom.args[0], vectors, j) * _components(atom.args[1], vectors, j)
                    for j in range(n))
        expr = expr.xreplace({atom: total})
        inners = [a for a in sp.postorder_traversal(expr) if isinstance(a, A.Inner)]
    return expr.xreplace({s: v[k] for s, v in vectors.items()})


def vector_identity(statement: sp.Equality, n: int = 4) -> Evidence:
    """``lhs == rhs`` between pointwise expressions with inner products ``<a, b> = int a b dy``.

    Every pointwise symbol becomes a vector of length ``n`` with symbolic entries (positive where the
    symbol is), so the identity is proved for vectors on ``n`` cells; the algebra is the same for
    every ``n``. Numerically: random vectors.
    """
    lhs, rhs = _sides(statement)
    syms = sorted((lhs - rhs).free_symbols, key=str)
    rng = np.random.default_rng(7)
    for _ in range(5):
        num = {s: [sp.Float(x) for x in into_domain(s, rng.uniform(0.05, 1.0, n) if s.is_positive
                                                    else rng.normal(size=n))]
               for s in syms}
        vals = [complex(sp.N(_components(lhs - rhs, num, k))) for k in range(n)]
        if max(abs(v) for v in vals) > 1e-9:
            return Evidence(False, "numeric", "the two sides differ on random vectors",
                            {**{str(s): v for s, v in num.items()},
                             "lhs": [float(sp.N(_components(lhs, num, k))) for k in range(n)],
                             "rhs": [float(sp.N(_components(rhs, num, k))) for k in range(n)]})
    vecs = {s: [sp.Symbol(f"{s.name}_{j}", positive=bool(s.is_positive), real=True) for j in range(n)]
            for s in syms}
    if all(simplified(_components(lhs - rhs, vecs, k)) == 0 for k in range(n)):
        return Evidence(True, "symbolic", f"holds componentwise for vectors on {n} cells with symbolic entries")
    return Evidence(True, "numeric", "equal on random vectors; no symbolic simplification to 0")


def _cellwise(expr, pr, pg, cell):
    """``expr`` with every E[...] (under p_r) and E~[...] (under p_g) replaced by its sum over cells:
    sum_i weight_i * body.subs(cell(i)); cells of weight 0 are skipped (their body may be undefined).
    The weights may be numbers or SymPy expressions."""
    def atom_value(atom):
        weights = pr if isinstance(atom, A.E) else pg
        return sum((w * atom.args[0].subs(cell(i)) for i, w in enumerate(weights) if w != 0), sp.Integer(0))

    atoms = [a for a in sp.preorder_traversal(expr) if isinstance(a, (A.E, A.Et))]
    return sp.sympify(expr).xreplace({a: atom_value(a) for a in atoms})


def discrete_expectation(statement: sp.Equality, n: int = 3) -> Evidence:
    """An identity of expectations, for every n-point pair of distributions with symbolic masses.

    Unlike :func:`expectation_identity` this does not use ``E[R] = 1`` as a rule: the masses are
    ``u_i / sum(u)`` and ``v_i / sum(v)``, so normalization itself is what is checked.
    """
    if isinstance(statement, A.Unrestricted):
        return _without_absolute_continuity(statement.args[0])
    lhs, rhs = _sides(statement)
    ref = _expr_reference(lhs - rhs)
    numeric = _numeric_identity(lhs, rhs, ref)
    if isinstance(numeric, dict):
        return Evidence(False, "numeric", "differs on a concrete pair of distributions", numeric)
    u = sp.symbols(f"u0:{n}", positive=True)
    v = sp.symbols(f"v0:{n}", positive=True)
    pr = [ui / sum(u) for ui in u]
    pg = [vi / sum(v) for vi in v]
    others = sorted((lhs - rhs).free_symbols - A.DENSITIES - {A.R}, key=str)

    def cell(i):
        return {A.R: pg[i] / pr[i], **{s: sp.Symbol(f"{s.name}_{i}") for s in others}}

    if simplified(_cellwise(lhs, pr, pg, cell) - _cellwise(rhs, pr, pg, cell)) == 0:
        return Evidence(True, "symbolic", f"exact for every {n}-point pair of distributions (symbolic masses)")
    return Evidence(True, "numeric", "equal on concrete distributions; no symbolic proof")


#: A pair where absolute continuity fails: p_g has mass 1/2 on the third cell, where p_r has none.
NON_AC_PAIR = ((0.5, 0.5, 0.0), (0.25, 0.25, 0.5))


def _without_absolute_continuity(statement: sp.Equality) -> Evidence:
    """The identity on :data:`NON_AC_PAIR`, R = p_g / p_r on the support of p_r (0 elsewhere: E over
    p_r does not see it), the other symbols (h, f) at values in (0, 1) per cell."""
    lhs, rhs = _sides(statement)
    pr, pg = NON_AC_PAIR
    others = sorted((lhs - rhs).free_symbols - A.DENSITIES - {A.R}, key=str)
    rng = np.random.default_rng(5)
    vals = {s: into_domain(s, rng.uniform(0.1, 0.9, 3)) for s in others}

    def cell(i):  # R = p_g / p_r on the support of p_r; where p_r = 0 its value never enters E
        return {A.R: pg[i] / pr[i] if pr[i] > 0 else 0.0, **{s: float(vals[s][i]) for s in others}}

    def value(side) -> float:  # E and E~ by cells; KL, JSD, ... from their definitions (inf where they are)
        with np.errstate(divide="ignore", invalid="ignore"):
            return evaluate(_cellwise(side, pr, pg, cell), np.array(pr), np.array(pg), A.p_r)

    a, b = value(lhs), value(rhs)
    if math.isnan(a) or math.isnan(b):
        return Evidence(None, "numeric", "undefined on the pair without absolute continuity")
    if (math.isinf(a) or math.isinf(b)) and a != b or not (math.isinf(a) or abs(a - b) <= 1e-12 * (1 + abs(a))):
        return Evidence(False, "numeric", "fails where p_g has mass and p_r has none: the condition p_R << p_r is "
                        "needed", {"p_r": list(pr), "p_g": list(pg), **{str(s): v for s, v in vals.items()},
                                   "lhs": a, "rhs": b})
    return Evidence(True, "numeric", "holds on the pair without absolute continuity too")


# -- best responses of the generator (linear programs) -------------------------------------------

def _point_mass_vector(expr: sp.Basic, p: np.ndarray, f0: np.ndarray) -> np.ndarray:
    """A ratio R on cells from an expression of ``PointMassRatio(ArgMaxCell(f) | ArgMinCell(f))`` (the
    cell computed from the discriminator's values ``f0``) and numbers."""
    def cell(where):
        if isinstance(where, (A.ArgMaxCell, A.ArgMinCell)) and where.args[0] == A.f:
            return int(np.argmax(f0) if isinstance(where, A.ArgMaxCell) else np.argmin(f0))
        raise ValueError(f"cannot locate the point {where} (ArgMaxCell(f) or ArgMinCell(f))")

    def vec(e):
        if isinstance(e, A.PointMassRatio):
            i = cell(e.args[0])
            return np.eye(p.size)[i] / p[i]
        if e.is_number:
            return np.full(p.size, float(e))
        if isinstance(e, (sp.Add, sp.Mul)):
            parts = [vec(a) for a in e.args]
            out = parts[0]
            for q in parts[1:]:
                out = out + q if isinstance(e, sp.Add) else out * q
            return out
        raise ValueError(f"cannot evaluate {e} as a likelihood ratio on cells")

    return np.broadcast_to(vec(sp.sympify(expr)), p.shape).copy()


def point_mass_best_response(statement: sp.Equality) -> Evidence:
    """``ArgMinOmega(GenLoss(R, f)) == R_claimed`` on discrete distributions, by linear programming.

    ``g(R, f) = sum_i p_i R_i (-log f_i)`` is linear in ``q = p R``, which ranges over the simplex
    when R ranges over Omega_g (closure); its minimum is at a vertex. The claimed R is compared with
    the optimum that SciPy's HiGHS finds, on random ``p_r`` and discriminators ``f``.
    """
    from scipy.optimize import linprog

    lhs, claimed = _sides(statement)
    if not (isinstance(lhs, A.ArgMinOmega) and isinstance(lhs.args[0], A.GenLoss)):
        raise TypeError("expected ArgMinOmega(GenLoss(R, f)) on the left")
    fx = lhs.args[0].args[1]
    rng = np.random.default_rng(11)
    for n in (3, 4, 6, 9):
        p = rng.dirichlet(np.ones(n))
        f0 = rng.uniform(0.05, 0.95, n)
        if isinstance(fx, A.BayesDisc):
            f_vals = 1.0 / (1.0 + _point_mass_vector(fx.args[0], p, f0))
        elif fx == A.f:
            f_vals = f0
        else:
            raise TypeError(f"cannot evaluate the discriminator {fx}")
        cost = -np.log(f_vals)
        res = linprog(p * cost, A_eq=p[None, :], b_eq=[1.0], bounds=[(0, None)] * n, method="highs")
        r_claim = _point_mass_vector(claimed, p, f0)
        feasible = abs(float(p @ r_claim) - 1) < 1e-9 and np.all(r_claim >= 0)
        g_claim = float(np.sum(p * r_claim * cost))
        if not feasible or g_claim > res.fun + 1e-9 * (1 + abs(res.fun)):
            return Evidence(False, "numeric", "HiGHS finds a better (or the claim is infeasible) R",
                            {"p_r": p, "f": f_vals, "R_claimed": r_claim, "g_at_claim": g_claim,
                             "E[R_claimed]": float(p @ r_claim), "g_optimal": res.fun, "R_optimal": res.x})
    return Evidence(True, "numeric", "the claimed R attains the LP optimum (HiGHS) on every instance; "
                    "a linear function on the simplex is minimized at a vertex")


def point_mass_not_best_response(statement: sp.Unequality) -> Evidence:
    """``Ne(ArgMinOmega(GenLoss(R, f)), R_claimed)``: holds iff :func:`point_mass_best_response`
    refutes the equation (its counterexample, an LP instance where HiGHS finds a better R, is the
    evidence); refuted, with the instances as counterexample, iff the equation holds on all of them."""
    if not isinstance(statement, sp.Unequality):
        raise TypeError(f"expected Ne(...), got {type(statement).__name__}")
    ev = point_mass_best_response(sp.Eq(statement.lhs, statement.rhs, evaluate=False))
    if ev.holds is False:
        ce = ev.counterexample

        def vec(x):
            return "(" + ", ".join(f"{float(v):.3g}" for v in np.ravel(x)) + ")"

        return Evidence(True, "numeric", "the equation fails: " + ev.detail + f" (on p_r = {vec(ce['p_r'])}, "
                        f"f = {vec(ce['f'])}: g = {ce['g_at_claim']:.4g} at the claimed R, {ce['g_optimal']:.4g} "
                        f"at HiGHS's R = {vec(ce['R_optimal'])})")
    if ev.holds is True:
        return Evidence(False, "numeric", "the two sides agree: " + ev.detail,
                        {"equation": f"{statement.lhs} = {statement.rhs}", "found": ev.detail})
    return Evidence(None, "numeric", ev.detail)


def matrix_scalar(statement: sp.Equality) -> Evidence:
    """``Det(M) == value`` for a matrix M derived from a game; numbers at sample parameters."""
    from gantheory.verify.games import SAMPLES, matrix_of

    lhs, claimed = _sides(statement)
    if not isinstance(lhs, A.Det):
        raise TypeError("expected Det(...) on the left")
    M = matrix_of(lhs.args[0])
    value = simplified(M.det())
    for sub in SAMPLES:
        got, want = float(sp.N(value.subs(sub))), float(sp.N(sp.sympify(claimed).subs(sub)))
        if not _close(got, want):
            return Evidence(False, "symbolic", f"det = {value}",
                            {**{str(k): v for k, v in sub.items()}, "det": got, "claimed": want})
    if simplified(value - claimed) == 0:
        return Evidence(True, "symbolic", f"det = {value}")
    return Evidence(True, "numeric", f"det = {value}, equal at the samples")
