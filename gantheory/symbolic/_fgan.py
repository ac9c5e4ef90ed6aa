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
    """f*(t) = sup_{u > 0} (u t - f(u)) in closed form, for f with f'' > 0 on u > 0: :func:`legendre_pieces`
    of f over (0, oo). f*(t) = -f(0+) for t <= f'(0+); f*(f'(oo)) = lim (f'(oo) u - f(u)), finite for Neyman's
    chi^2 (f*(1) = 2)."""
    return legendre_pieces(f, u, t, sp.Interval.open(0, sp.oo), names=("f", "u", "t"))


def legendre_pieces(g: sp.Expr, x: sp.Symbol, s: sp.Symbol, domain: sp.Interval, names=("g", "x", "s")):
    """sup over x in ``domain`` of (s x - g(x)) in closed form, for g with g'' > 0 inside the interval, as
    ``(pieces, dom, steps)``: pieces ``[(set of s, the supremum there)]`` and the set of s where it is finite.
    Raises ValueError where a step cannot be done exactly.

    g' increases strictly from a = g'(lo+) to b = g'(hi-). For a < s < b, g'(x) = s has one root x* inside,
    the maximizer: s x* - g(x*). For s <= a, s x - g(x) decreases in x, so the supremum is its limit at lo: s lo -
    g(lo+) for a finite lo; for lo = -oo it is +oo below a and lim (a x - g(x)) at a. Symmetrically at b and hi."""
    from gantheory.symbolic._reduce import interval_parametrization
    from gantheory.symbolic._stability import _rational_between

    G, X, S = names
    lo, hi = domain.inf, domain.sup
    w, x_of_w = interval_parametrization(sp.Interval.open(lo, hi), x)
    if simplified(sp.diff(g, x, 2).subs(x, x_of_w)).is_positive is not True:
        raise ValueError(f"{G} = {g} is not provably strictly convex on {domain}")
    d = simplified(sp.diff(g, x))
    a = sp.limit(d, x, lo, "+") if lo.is_finite else sp.limit(d, x, -sp.oo)
    b = sp.limit(d, x, hi, "-") if hi.is_finite else sp.limit(d, x, sp.oo)
    if not (a.is_extended_real and b.is_extended_real) or not _lt(a, b):
        raise ValueError(f"{G}' of {g} does not increase from {a} to {b}")
    probes = [_rational_between(a, b)]
    probes += [_rational_between(a, probes[0]), _rational_between(probes[0], b)]
    root = None
    for r in sp.solve(sp.Eq(d, s), x):
        ok = True
        for sv in probes:
            rv = sp.N(r.subs(s, sv), 30)
            if not (rv.is_real and domain.contains(rv) == sp.true
                    and abs(sp.N(d.subs(x, rv), 30) - sv) < sp.Float(10) ** -20 * (1 + abs(sv))):
                ok = False
                break
        if ok:
            root = r
            break
    if root is None:
        raise ValueError(f"cannot single out the maximizer of {X} {S} - ({g}) in {domain}")
    inner = simplified(s * root - g.subs(x, root))
    pieces = [(sp.Interval.open(a, b), inner)]
    steps = [(f"{G}*({S}) = sup over {X} in {domain} of {X} {S} - {G}({X}); {G}'' > 0 there, so {G}' increases "
              "between its limits at the ends", sp.Interval.open(a, b)),
             (f"for {S} between them, {G}'({X}) = {S} has one root {X}* inside, the maximizer",
              sp.Eq(sp.Symbol(f"{X}^*"), root, evaluate=False)),
             (f"there {G}*({S}) = {S} {X}* - {G}({X}*)", inner)]
    ends = []  # (end of dom, closed?) on each side
    for side, slope, end in (("low", a, lo), ("high", b, hi)):
        if not slope.is_finite:
            ends.append((slope, False))
            continue
        if end.is_finite:  # the supremum is the limit at the end: affine in s
            g_end = sp.limit(g, x, end, "+" if side == "low" else "-")
            if not g_end.is_finite:
                raise ValueError(f"{G}({end}) = {g_end} although {G}' has the finite limit {slope} there")
            value = s * end - g_end
            region = sp.Interval(-sp.oo, slope) if side == "low" else sp.Interval(slope, sp.oo)
            pieces.append((region, value))
            steps.append((f"for {S} {'<=' if side == 'low' else '>='} {slope}, the supremum is at {X} -> {end}",
                          value))
            ends.append((-sp.oo if side == "low" else sp.oo, False))
            continue
        at = sp.limit(slope * x - g, x, end)
        if at.is_finite:
            pieces.append((sp.FiniteSet(slope), at))
        elif at != sp.oo:
            raise ValueError(f"lim ({slope} {X} - {G}({X})) = {at} as {X} -> {end}")
        steps.append((f"at {S} = {slope} the supremum is lim ({slope} {X} - {G}({X})) as {X} -> {end}; beyond "
                      "it +oo", at))
        ends.append((slope, at.is_finite))
    (l_end, l_closed), (h_end, h_closed) = ends
    dom = sp.Interval(l_end, h_end, left_open=not l_closed, right_open=not h_closed)
    steps.append((f"so dom {G}*", dom))
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
