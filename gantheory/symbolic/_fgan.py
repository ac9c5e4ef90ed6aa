"""f-divergences and Fenchel conjugates, derived (seed 003 § A family of alternatives (f-GAN)).

The seed defines f : R_+ -> R (convex, lower semicontinuous, f(1) = 0) and
f*(t) = sup_{u in dom f} (u t - f(u)). :func:`derive_conjugate` computes it: the stationary point
u*(t) = (f')^{-1}(t) where it is positive, and the boundary value -f(0+) where f' never reaches t.
"""

from __future__ import annotations

import sympy as sp

from gantheory.symbolic._simplify import simplified

__all__ = ["u", "t", "v", "derive_conjugate", "effective_domain"]

u = sp.Symbol("u", positive=True)
t = sp.Symbol("t", real=True)
v = sp.Symbol("v", real=True)


def effective_domain(f: sp.Expr) -> sp.Interval:
    """{t : f*(t) < inf} for a convex f on u > 0: up to lim f'(u) as u -> inf (open there if not attained)."""
    d = sp.diff(f, u)
    hi = sp.limit(d, u, sp.oo)
    f0 = sp.limit(f, u, 0, "+")
    lo = -sp.oo if f0.is_finite or sp.limit(d, u, 0, "+") == -sp.oo else sp.limit(d, u, 0, "+")
    return sp.Interval.open(lo, hi) if hi.is_finite else sp.Interval(lo, sp.oo)


def derive_conjugate(f: sp.Expr):
    """(f*, domain): the conjugate of a strictly convex, differentiable f on u > 0, as a SymPy expression.

    Where f'(0+) is finite, f* is piecewise: t u*(t) - f(u*(t)) above f'(0+), and -f(0+) below.
    Raises ValueError when the first-order condition cannot be solved in closed form.
    """
    d = sp.diff(f, u)
    if simplified(sp.diff(f, u, 2)).is_positive is not True:
        raise ValueError(f"f = {f} is not provably strictly convex on u > 0")
    dom = effective_domain(f)
    roots = sp.solve(sp.Eq(d, t), u)
    lo = sp.limit(d, u, 0, "+")
    probe = (dom.sup - 1 if dom.sup.is_finite else sp.Integer(1)) if lo == -sp.oo else lo + 1
    good = [r for r in roots if sp.N(r.subs(t, probe)).is_positive]
    if len(good) != 1:
        raise ValueError(f"cannot single out the maximizer among {roots}")
    star = simplified(t * good[0] - f.subs(u, good[0]))
    if lo.is_finite:
        star = sp.Piecewise((star, t >= lo), (-sp.limit(f, u, 0, "+"), True))
    return star, dom
