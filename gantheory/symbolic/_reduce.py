"""Reductions: functionals of densities -> expectations of pointwise functions of ``R``.

Every functional in :mod:`gantheory.symbolic._atoms` is an expectation under the reference
density of a function of the likelihood ratio ``R`` (an f-divergence, in effect). ``integrand``
computes that function, so an identity between functionals is proved for *all* densities (with
the other density absolutely continuous w.r.t. the reference) when the difference of the two
integrands is ``a + b R`` with ``a + b = 0`` -- because ``E[1] = E[R] = 1``.

Optimizations that the seeds state in closed form (the optimal discriminator, the virtual
training criterion) are *derived* here by solving the first-order condition and checking strict
concavity, never copied from the seeds.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from gantheory.symbolic import _atoms as A
from gantheory.symbolic._simplify import simplified

__all__ = [
    "NotDerivable",
    "relative_density",
    "integrand",
    "pointwise_argmax",
    "bayes_discriminator",
    "optimal_discriminator",
    "virtual_criterion_integrand",
    "interval_parametrization",
]


class NotDerivable(Exception):
    """A derivation could not be completed symbolically (the caller falls back to numerics)."""


def _reference_of(expr: sp.Basic) -> sp.Symbol:
    syms = expr.free_symbols & A.DENSITIES
    refs = {s if s in A.REFERENCES else _partner(s) for s in syms}
    if len(refs) != 1:
        raise NotDerivable(f"cannot tell the reference density of {expr}")
    return refs.pop()


def _partner(other: sp.Symbol) -> sp.Symbol:
    for ref, oth in A.DENSITY_PAIRS.items():
        if oth == other:
            return ref
    raise KeyError(other)


def relative_density(expr: sp.Basic, ref: sp.Symbol | None = None) -> sp.Expr:
    """A density written in density symbols, divided by its reference density, as a function of R.

    >>> relative_density((A.p_R + A.p_r) / 2)
    R/2 + 1/2
    """
    expr = sp.sympify(expr)
    ref = ref if ref is not None else _reference_of(expr)
    other = A.DENSITY_PAIRS[ref]
    out = simplified(expr.subs(other, A.R * ref) / ref)
    if out.free_symbols & A.DENSITIES and out.has(sp.Min, sp.Max):
        # Min(p, q) = (p + q - |p - q|)/2, whose |.| SymPy takes the positive density out of
        kinked = expr.replace(lambda e: isinstance(e, (sp.Min, sp.Max)) and len(e.args) == 2,
                              lambda e: (e.args[0] + e.args[1] + (1 if isinstance(e, sp.Max) else -1)
                                         * sp.Abs(e.args[0] - e.args[1])) / 2)
        out = simplified(kinked.subs(other, A.R * ref) / ref)
    if out.free_symbols & A.DENSITIES:
        raise NotDerivable(f"{expr} is not homogeneous of degree one in the densities")
    return out


def _ratio(expr: sp.Basic, ref: sp.Symbol) -> sp.Expr:
    """A pointwise quantity (degree zero in the densities) as a function of R."""
    expr = sp.sympify(expr)
    if not expr.free_symbols & A.DENSITIES:
        return expr
    other = A.DENSITY_PAIRS[ref]
    out = simplified(expr.subs(other, A.R * ref))
    if out.free_symbols & A.DENSITIES:
        raise NotDerivable(f"{expr} is not a function of the likelihood ratio alone")
    return out


def interval_parametrization(interval: sp.Set, x: sp.Symbol):
    """A map t > 0 -> interior of ``interval`` so that sign questions use SymPy's assumptions."""
    t = sp.Dummy("t", positive=True)
    lo, hi = interval.inf, interval.sup
    if lo.is_finite and hi.is_finite:
        return t, lo + (hi - lo) / (1 + t)
    if lo.is_finite and hi is sp.oo:
        return t, lo + t
    if lo is -sp.oo and hi.is_finite:
        return t, hi - t
    u = sp.Dummy("u", real=True)
    return u, u


def _inside(value: sp.Expr, interval: sp.Set) -> bool | None:
    lo, hi = interval.inf, interval.sup
    checks = []
    if lo.is_finite:
        checks.append(simplified(value - lo).is_positive)
    if hi.is_finite:
        checks.append(simplified(hi - value).is_positive)
    if any(c is False for c in checks):
        return False
    if all(c is True for c in checks):
        return True
    return None


def pointwise_argmax(phi: sp.Expr, x: sp.Symbol, interval: sp.Set) -> sp.Expr:
    """Derive the unique maximizer of ``phi`` over the interior of ``interval``.

    Proof obligations discharged symbolically: ``phi'' < 0`` on the whole interior (strict
    concavity, checked through a positive reparametrization of the interval), and exactly one
    root of ``phi' = 0`` inside. Raises :class:`NotDerivable` when either cannot be shown.
    """
    t, x_of_t = interval_parametrization(interval, x)
    d1 = sp.diff(phi, x)
    d2 = simplified(sp.diff(phi, x, 2).subs(x, x_of_t))
    concave = d2.is_negative
    if concave is not True:
        concave = simplified(sp.factor(d2)).is_negative
    if concave is not True:
        raise NotDerivable(f"cannot show strict concavity: second derivative {d2}")
    roots = sp.solve(sp.Eq(d1, 0), x, dict=False)
    inside = [r for r in roots if _inside(r, interval) is True]
    if len(inside) != 1:
        raise NotDerivable(f"first-order condition has roots {roots}; inside the interval: {inside}")
    return simplified(inside[0])


@cache
def bayes_discriminator() -> sp.Expr:
    r"""Derive :math:`f^*(R) = \arg\min_{f\in(0,1)} [-\log f - R\log(1-f)]` (pointwise in d(R, f))."""
    phi = -(-sp.log(A.f) - A.R * sp.log(1 - A.f))
    return pointwise_argmax(phi, A.f, sp.Interval.open(0, 1))


@cache
def optimal_discriminator() -> sp.Expr:
    r"""Derive :math:`D^* = \arg\max_D [p_{data}\log D + p_g \log(1-D)]`, in the densities."""
    phi = A.p_data * sp.log(A.D) + A.p_g * sp.log(1 - A.D)
    return pointwise_argmax(phi, A.D, sp.Interval.open(0, 1))


@cache
def virtual_criterion_integrand() -> sp.Expr:
    """Pointwise max over D of log D + R log(1 - D): the integrand of C(G) relative to p_data."""
    phi = sp.log(A.D) + A.R * sp.log(1 - A.D)
    d_star = pointwise_argmax(phi, A.D, sp.Interval.open(0, 1))
    return simplified(phi.subs(A.D, d_star))


def _bayes(expr: sp.Basic) -> sp.Basic:
    return expr.replace(lambda e: isinstance(e, A.BayesDisc),
                        lambda e: bayes_discriminator().subs(A.R, e.args[0]))


def _atom_integrand(atom: sp.Basic, ref: sp.Symbol) -> sp.Expr:
    if isinstance(atom, A.KL):
        a, b = (relative_density(x, ref) for x in atom.args)
        return a * sp.log(a / b)
    if isinstance(atom, A.JSD):
        a, b = (relative_density(x, ref) for x in atom.args)
        m = (a + b) / 2
        return a * sp.log(a / m) / 2 + b * sp.log(b / m) / 2
    if isinstance(atom, A.E):
        return _bayes(_ratio(atom.args[0], ref))
    if isinstance(atom, A.Et):  # change of measure: E[h(Y~)] = E[h(Y) R(Y)]
        return A.R * _bayes(_ratio(atom.args[0], ref))
    if isinstance(atom, A.Int):
        return relative_density(atom.args[0], ref)
    if isinstance(atom, A.GenLoss):
        r_gen, fx = (_bayes(_ratio(x, ref)) for x in atom.args)
        return -r_gen * sp.log(fx)
    if isinstance(atom, A.DiscLoss):
        r_gen, fx = (_bayes(_ratio(x, ref)) for x in atom.args)
        return -sp.log(fx) - r_gen * sp.log(1 - fx)
    if isinstance(atom, A.ValueFn):
        a, b = (relative_density(x, ref) for x in atom.args[:2])
        dx = _ratio(atom.args[2], ref)
        return a * sp.log(dx) + b * sp.log(1 - dx)
    if isinstance(atom, A.NamedFDiv):  # int q f(p/q) = E_ref[(q/ref) f((p/ref)/(q/ref))]
        a, b = (relative_density(x, ref) for x in atom.densities)
        return simplified(b * type(atom).generator(*atom.params).subs(A.U, a / b))
    if isinstance(atom, A.FDiv):  # int q f(p/q) with q the reference: f(R)
        lam, P, Q = atom.args
        if relative_density(Q, ref) != 1 or relative_density(P, ref) != A.R:
            raise NotDerivable("FDiv(f, P, Q) needs Q to be the reference density")
        return lam(A.R)
    if isinstance(atom, A.VirtualCriterion):
        a, b = (relative_density(x, ref) for x in atom.args)
        if simplified(a - 1) != 0 or simplified(b - A.R) != 0:
            raise NotDerivable("C(G) takes (p_data, p_g) in that order")
        return virtual_criterion_integrand()
    raise NotDerivable(f"no integrand for {atom}")


def _functional_atoms(expr: sp.Basic) -> set:
    return {a for a in sp.preorder_traversal(expr) if isinstance(a, A.FUNCTIONALS)}


def _expr_reference(expr: sp.Basic) -> sp.Symbol:
    syms = set()
    for atom in _functional_atoms(expr):
        syms |= atom.free_symbols & A.DENSITIES
    if not syms:
        syms = expr.free_symbols & A.DENSITIES
    refs = {s if s in A.REFERENCES else _partner(s) for s in syms}
    if len(refs) > 1:
        raise NotDerivable(f"{expr} mixes unrelated density pairs")
    return refs.pop() if refs else A.p_r


def integrand(expr: sp.Basic, ref: sp.Symbol | None = None) -> sp.Expr:
    """``phi`` with ``expr == E_ref[phi(R)]`` for all densities; ``expr`` must be affine in functionals.

    >>> integrand(A.KL(A.p_R, A.p_r))
    R*log(R)
    """
    expr = sp.sympify(expr)
    ref = ref if ref is not None else _expr_reference(expr)
    atoms = _functional_atoms(expr)
    dummies = {atom: sp.Dummy() for atom in atoms}
    skeleton = expr.xreplace(dummies)
    if skeleton.free_symbols & (A.DENSITIES | {A.R}):
        raise NotDerivable(f"{expr} has densities or R outside an expectation")
    for d in dummies.values():
        if sp.diff(skeleton, d, 2) != 0 or sp.diff(skeleton, d).free_symbols & set(dummies.values()):
            raise NotDerivable(f"{expr} is not affine in its expectations")
    return skeleton.xreplace({d: _atom_integrand(a, ref) for a, d in dummies.items()})
