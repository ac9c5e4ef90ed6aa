"""f-divergences and Fenchel conjugates, derived (seed 003 § A family of alternatives (f-GAN)).

The seed defines f : R_+ -> R (convex, lower semicontinuous, f(1) = 0) and
f*(t) = sup_{u in dom f} (u t - f(u)). :func:`derive_conjugate` computes it: the stationary point
u*(t) = (f')^{-1}(t) where it is positive, and the boundary value -f(0+) where f' never reaches t.
"""

from __future__ import annotations

import sympy as sp

from gantheory.symbolic._simplify import simplified

__all__ = ["u", "t", "v", "derive_conjugate", "conjugate_pieces"]

u = sp.Symbol("u", positive=True)
t = sp.Symbol("t", real=True)
v = sp.Symbol("v", real=True)


def conjugate_pieces(f: sp.Expr):
    """f*(t) = sup_{u > 0} (u t - f(u)) in closed form for f with f'' > 0 on u > 0, as ``(pieces, dom f*,
    steps)`` with pieces ``[(set of t, f*(t) there)]``; None where a step cannot be done exactly.

    f' increases strictly from a = f'(0+) to b = f'(oo). For a < t < b, f'(u) = t has one root u* > 0, the
    maximizer: f* = t u* - f(u*). For t <= a, u t - f(u) decreases in u, so f* = -f(0+). At t = b it increases,
    so f*(b) = lim (b u - f(u)) (finite for Neyman's chi^2: 2), and for t > b it is unbounded."""
    from gantheory.symbolic._stability import _rational_between

    d = simplified(sp.diff(f, u))
    a, b = sp.limit(d, u, 0, "+"), sp.limit(d, u, sp.oo)
    if simplified(sp.diff(f, u, 2)).is_positive is not True:
        raise ValueError(f"f = {f} is not provably strictly convex on u > 0")
    if not (a.is_extended_real and b.is_extended_real) or not _lt(a, b):
        raise ValueError(f"f' of {f} does not increase from f'(0+) = {a} to f'(oo) = {b}")
    probes = [_rational_between(a, b)]
    probes += [_rational_between(a, probes[0]), _rational_between(probes[0], b)]
    root = None
    for r in sp.solve(sp.Eq(d, t), u):
        ok = True
        for tv in probes:
            rv = sp.N(r.subs(t, tv), 30)
            if not (rv.is_real and rv > 0 and abs(sp.N(d.subs(u, rv), 30) - tv) < sp.Float(10) ** -20 * (1 + abs(tv))):
                ok = False
                break
        if ok:
            root = r
            break
    if root is None:
        raise ValueError(f"cannot single out the maximizer u* > 0 of u t - ({f})")
    inner = simplified(t * root - f.subs(u, root))
    pieces = [(sp.Interval.open(a, b), inner)]
    steps = [("f*(t) = sup over u > 0 of u t - f(u); f'' > 0, so f' increases, from f'(0+) to f'(oo)",
              sp.Interval.open(a, b)),
             ("for t between them, the first-order condition f'(u) = t has one root u* > 0, the maximizer",
              sp.Eq(sp.Symbol("u^*"), root, evaluate=False)),
             ("there f*(t) = t u* - f(u*)", inner)]
    if a.is_finite:
        f0 = sp.limit(f, u, 0, "+")
        if not f0.is_finite:
            raise ValueError(f"f(0+) = {f0} although f'(0+) = {a} is finite")
        pieces.append((sp.Interval(-sp.oo, a), -f0))
        steps.append((f"for t <= {a}, u t - f(u) decreases: f*(t) = -f(0+)", -f0))
    closed = False
    if b.is_finite:
        fb = sp.limit(b * u - f, u, sp.oo)
        if fb.is_finite:
            pieces.append((sp.FiniteSet(b), fb))
            closed = True
        elif fb != sp.oo:
            raise ValueError(f"lim (b u - f(u)) = {fb} at b = f'(oo) = {b}")
        steps.append((f"at t = {b}, u t - f(u) increases: f*({b}) = lim (b u - f(u)); beyond it f* = +oo", fb))
    dom = sp.Interval(-sp.oo, b, right_open=not closed) if b.is_finite else sp.S.Reals
    steps.append(("so dom f*", dom))
    return pieces, dom, steps


def _lt(a, b) -> bool:
    if a == -sp.oo or b == sp.oo:
        return a != b
    return bool(sp.N(b - a, 30) > 0)


def derive_conjugate(f: sp.Expr):
    """(f*, dom f*): the conjugate of a strictly convex, differentiable f on u > 0 as one SymPy expression (a
    Piecewise where f'(0+) or f'(oo) is finite), from :func:`conjugate_pieces`. Raises ValueError when it
    cannot be derived in closed form."""
    pieces, dom, _ = conjugate_pieces(f)
    if len(pieces) == 1:
        return pieces[0][1], dom
    return sp.Piecewise(*[(e, reg.as_relational(t)) for reg, e in pieces]), dom
