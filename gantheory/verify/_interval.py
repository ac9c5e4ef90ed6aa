"""Certified signs of functions of one variable, by interval arithmetic (``mpmath.iv``) and exact points.

:func:`certify_nonnegative` decides ``g(x) >= 0`` (or ``> 0``) on a closed interval ``[lo, hi]``:

- a box where the interval enclosure of ``g`` is of the right sign is certified;
- a box where ``g'`` has one sign has its minimum at an end, whose value is decided exactly (SymPy,
  with the one-sided limit at the interval's ends, where ``g`` may be singular);
- a box around an exact zero ``x0`` of ``g`` and ``g'`` (found by SymPy, not by rounding) is certified
  when ``g''`` is nonnegative on it (Taylor: ``g(x) = g''(xi) (x - x0)^2 / 2``);
- otherwise the box is split. A point where the enclosure is negative is returned as an exact
  counterexample once SymPy confirms the sign there; a box that stays undecided makes the answer
  ``None`` (undecided), never a guess.

Kinks (``Abs``) are removed first: the interval is split at the roots of their arguments, and on each
piece ``|e|`` is ``e`` or ``-e``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction

import sympy as sp
from mpmath import iv
from sympy.printing.pycode import MpmathPrinter

from gantheory.symbolic._simplify import simplified

__all__ = ["Certificate", "certify_nonnegative", "exact_sign", "interval_function"]

iv.dps = 30


@dataclass
class Certificate:
    holds: bool | None
    boxes: int = 0
    tight: list = field(default_factory=list)  # exact points where g = 0
    counterexample: sp.Expr | None = None
    value: sp.Expr | None = None
    reason: str = ""


class _NoInterval(Exception):
    pass


class XLog(sp.Function):
    """``XLog(y, a) = y**a * log(y)`` (a > 0), 0 at y = 0: one function so that its enclosure is exact
    (decreasing up to exp(-1/a), increasing after) instead of ``[0, r] * [-oo, log r] = [-oo, 0]``."""

    def _mpmathcode(self, printer):
        return f"mpmath.xlog({printer._print(self.args[0])}, {printer._print(self.args[1])})"


def _xlog_interval(y, a):
    y = y if hasattr(y, "a") else iv.mpf(y)
    a = float(a.a) if hasattr(a, "a") else float(a)
    lo, hi = y.a, y.b

    def at(t):
        if t == 0:
            return iv.mpf(0)
        return iv.mpf(t) ** a * iv.log(iv.mpf(t)) if a != 1 else iv.mpf(t) * iv.log(iv.mpf(t))

    ends = [at(lo), at(hi)]
    out = iv.mpf([min(e.a for e in ends), max(e.b for e in ends)])
    crit = iv.exp(iv.mpf(-1) / a)
    if crit.b >= lo and crit.a <= hi:
        m = iv.mpf(-1) / (a * iv.e)
        out = iv.mpf([min(out.a, m.a), max(out.b, m.b)])
    return out


def _tanh(x):
    x = x if hasattr(x, "a") else iv.mpf(x)
    lo, hi = iv.mpf(x.a), iv.mpf(x.b)  # tanh is increasing: its values at the ends enclose it
    a = 1 - 2 / (iv.exp(2 * lo) + 1)
    b = 1 - 2 / (iv.exp(2 * hi) + 1)
    return iv.mpf([a.a, b.b])


_HYPERBOLIC = {"tanh": _tanh, "sinh": lambda x: (iv.exp(x) - iv.exp(-x)) / 2,
               "cosh": lambda x: (iv.exp(x) + iv.exp(-x)) / 2}


class _IV:
    """mpmath's interval context with xlog added (the printer writes ``mpmath.xlog``)."""

    def __getattr__(self, name):
        if name.startswith("_"):  # introspection (doctest, copy, pickle) asks for dunders: not mathematics
            raise AttributeError(name)
        if name == "xlog":
            return _xlog_interval
        if name in _HYPERBOLIC:
            return _HYPERBOLIC[name]
        try:
            return getattr(iv, name)
        except AttributeError:
            raise _NoInterval(f"no interval enclosure of {name}") from None


_IV_NS = _IV()


def _with_xlog(expr, y):
    """Terms y**a * log(y) (a > 0) rewritten as XLog(y, a), after expanding logs of products."""
    expr = sp.expand(sp.expand_log(expr, force=True))
    out = []
    for term in sp.Add.make_args(expr):
        factors = sp.Mul.make_args(term)
        logs = [f for f in factors if f == sp.log(y)]
        pows = [f for f in factors if f == y or (f.is_Pow and f.base == y and f.exp.is_positive)]
        if len(logs) == 1 and len(pows) == 1:
            a = sp.Integer(1) if pows[0] == y else pows[0].exp
            rest = [f for f in factors if f is not logs[0] and f is not pows[0]]
            out.append(sp.Mul(*rest) * XLog(y, a))
        else:
            out.append(term)
    return sp.Add(*out)


def interval_function(expr: sp.Expr, x: sp.Symbol):
    """``expr`` as a function of an ``mpmath.iv`` interval (rational constants as exact intervals)."""
    floats = expr.atoms(sp.Float) if isinstance(expr, sp.Basic) else set()
    if floats:  # a float is the binary number it holds: exactly that, as an interval of width 0
        expr = expr.xreplace({f: sp.Rational(f) for f in floats})
    try:
        return sp.lambdify(x, expr, modules=[{"mpmath": _IV_NS}], printer=MpmathPrinter)
    except Exception as exc:  # a function iv has no enclosure for (atan, LambertW, ...)
        raise _NoInterval(str(exc).splitlines()[0]) from None


def _call(fn, lo, hi):
    try:
        out = fn(iv.mpf([lo, hi]))
    except (ZeroDivisionError, ValueError, TypeError, OverflowError, NotImplementedError, AttributeError, _NoInterval):
        return None
    if not hasattr(out, "a"):
        out = iv.mpf(out)
    a, b = out.a, out.b
    if a != a or b != b:  # NaN: no information
        return None
    return out


def exact_sign(value: sp.Expr) -> int | None:
    """The sign of an exact real number (-1, 0, 1), or None when it cannot be decided. Zero only when
    SymPy simplifies it to zero; otherwise the sign of an interval enclosure that excludes zero."""
    value = sp.sympify(value)
    if value is sp.oo:
        return 1
    if value is -sp.oo:
        return -1
    if value is sp.nan or value is sp.zoo or value.has(sp.nan, sp.zoo):
        return None
    if value == 0:
        return 0
    if not value.free_symbols:
        for dps in (30, 90):  # an enclosure that excludes 0 decides; more digits for a tight one
            old = iv.dps
            try:
                iv.dps = dps
                enc = interval_function(value, sp.Dummy())(iv.mpf(0))
                enc = enc if hasattr(enc, "a") else iv.mpf(enc)
                if enc.a > 0:
                    return 1
                if enc.b < 0:
                    return -1
            except (_NoInterval, ZeroDivisionError, ValueError, TypeError, OverflowError, NotImplementedError,
                    AttributeError):
                break
            finally:
                iv.dps = old
    if sp.count_ops(value) > 400 or any(abs(r.p) > 10**6 or r.q > 10**6 for r in value.atoms(sp.Rational)):
        return None  # too large to simplify quickly: undecided rather than a long wait
    simp = simplified(value)
    if simp == 0:
        return 0
    if simp.is_positive:
        return 1
    if simp.is_negative:
        return -1
    return None


def _value_at(expr, x, point, lo, hi):
    """g at an exact point (a one-sided limit at the interval's ends)."""
    try:
        val = expr.subs(x, point)
        if val.has(sp.nan, sp.zoo) or not val.is_finite and val not in (sp.oo, -sp.oo):
            raise ValueError
        # not simplified: exact_sign encloses it by interval arithmetic first and simplifies only if that fails
        return val
    except (ValueError, TypeError, ZeroDivisionError):
        d = "+" if point == lo else "-"
        return sp.limit(expr, x, point, d)


def _pieces(expr, x, lo, hi):
    """[(expr without Abs, lo_i, hi_i)]: the interval split at the roots of Abs arguments."""
    abs_args = [a.args[0] for a in expr.atoms(sp.Abs) if a.args[0].has(x)]
    cuts = {lo, hi}
    for e in abs_args:
        roots = sp.solveset(e, x, sp.Interval.open(lo, hi))
        if roots is sp.S.EmptySet:
            continue
        if not isinstance(roots, sp.FiniteSet):
            raise _NoInterval(f"cannot split at the kinks of |{e}|")
        cuts |= set(roots)
    cuts = sorted(cuts, key=lambda c: float(c))
    out = []
    for a, b in zip(cuts, cuts[1:]):
        mid = (a + b) / 2
        piece = expr.replace(lambda e: isinstance(e, sp.Abs) and e.args[0].has(x),
                             lambda e: e.args[0] if (e.args[0].subs(x, mid)).is_nonnegative else -e.args[0])
        out.append((piece, a, b))
    return out


def certify_nonnegative(expr: sp.Expr, x: sp.Symbol, lo, hi, *, strict: bool = False, max_boxes: int = 4000,
                        deadline: float | None = None, hints=()) -> Certificate:
    """Decide ``expr >= 0`` (``> 0`` if ``strict``) for every x in ``[lo, hi]`` (finite, exact)."""
    lo, hi = sp.sympify(lo), sp.sympify(hi)
    try:
        pieces = _pieces(sp.sympify(expr), x, lo, hi)
    except _NoInterval as exc:
        return Certificate(None, reason=str(exc))
    total = Certificate(True)
    for piece, a, b in pieces:
        piece = _cleared(piece, x, a, b)
        c = _certify_piece(piece, x, a, b, strict, max_boxes, deadline, hints)
        total.boxes += c.boxes
        total.tight += c.tight
        if c.holds is not True:
            c.boxes = total.boxes
            return c
    return total


def _cleared(g, x, lo, hi):
    """g with a denominator that is positive inside (lo, hi) cleared: the same sign there, and often no
    singularity at the ends (``(1 - v)**2/v + log(v)`` -> ``(1 - v)**2 + v log(v)``)."""
    num, den = sp.fraction(sp.together(g))
    if den == 1 or not den.has(x):
        return g
    t = sp.Dummy("t", positive=True)
    inside = den.subs(x, lo + (hi - lo) / (1 + t)) if (hi - lo).is_positive else None
    if inside is not None and (inside.is_positive or sp.factor(inside).is_positive or simplified(inside).is_positive):
        return sp.expand(num) if sp.count_ops(sp.expand(num)) <= sp.count_ops(num) else num
    return g


def _certify_piece(g, x, lo, hi, strict, max_boxes, deadline, hints) -> Certificate:
    try:
        G = interval_function(g, x)
        g1 = sp.diff(g, x)
        G1 = interval_function(g1, x)
    except _NoInterval as exc:
        return Certificate(None, reason=f"no interval enclosure ({exc})")
    lo_f, hi_f = float(lo), float(hi)
    exact_cache: dict = {}
    ends: dict = {}

    def value(point):
        key = sp.nsimplify(point) if not isinstance(point, sp.Basic) else point
        if key not in exact_cache:
            exact_cache[key] = _value_at(g, x, key, lo, hi)
        return exact_cache[key]

    orders: dict = {}  # zero -> (k, interval function of the k-th derivative)
    zeros: list = []  # exact double zeros x0: g(x0) = g'(x0) = 0 (or g(x0) = 0 at an end)

    def is_zero_point(p):
        v = value(p)
        return exact_sign(v) == 0

    for p in [lo, hi, *hints]:
        p = sp.sympify(p)
        if lo <= p <= hi and is_zero_point(p):
            if strict:  # g = 0 at an exact point: g > 0 fails there
                return Certificate(False, 0, counterexample=p, value=value(p))
            zeros.append(p)

    def ok_at(p) -> bool | None:
        s = exact_sign(value(p))
        if s is None:
            return None
        return s > 0 or (s == 0 and not strict)

    stack = [(lo_f, hi_f, 0)]
    boxes = 0
    while stack:
        if deadline is not None and time.monotonic() > deadline:
            return Certificate(None, boxes, reason="over its time budget")
        lb, r, depth = stack.pop()
        boxes += 1
        if boxes > max_boxes:
            return Certificate(None, boxes,
                               reason=f"{max_boxes} boxes without a certificate near x = {(lb + r) / 2:.6g}")
        E = _call(G, lb, r)
        if E is not None and E.a <= 0 <= E.b and r - lb < 0.25:  # the centered (mean-value) form, tighter
            m = (lb + r) / 2
            Gm, D = _call(G, m, m), _call(G1, lb, r)
            if Gm is not None and D is not None:
                C = Gm + D * iv.mpf([lb - m, r - m])
                E = iv.mpf([max(E.a, C.a), min(E.b, C.b)])
        if E is not None and (E.a > 0 or (E.a >= 0 and not strict)):
            continue
        if E is not None and E.b < 0:
            return _counter(g, x, lb, r, value, boxes, lo, hi)
        end = lo if lb == lo_f else hi if r == hi_f else None
        if end is not None and end not in ends:
            ends[end] = _end_forms(g, g1, x, end, +1 if end == lo else -1)
        if end is not None and ends[end] is not None:  # a box at an end: the scaled forms there
            Gs, G1s, sign = ends[end]
            y = iv.mpf([0, r - lb])
            Es = _safe(Gs, y)
            if Es is not None and (Es.a > 0 or (Es.a >= 0 and not strict)) and \
                    (not strict or exact_sign(value(end)) == 1 or Es.a > 0 and ends[end][2] == 0):
                if not strict or exact_sign(value(end)) != 0:
                    continue
            D1s = _safe(G1s, y)
            if D1s is not None and (D1s.a > 0 or D1s.b < 0):  # g' has one sign on the box
                incr = (D1s.a > 0) == (sign > 0)  # increasing in x
                p_end = lb if incr else r
                p = _exact_end(p_end, lo, hi, zeros)
                if p is not None and ok_at(p):
                    continue
                thin = _call(G, p_end, p_end) if p is None else None
                if thin is not None and (thin.a > 0 or (thin.a >= 0 and not strict)):
                    continue
        D1 = _call(G1, lb, r)
        if D1 is not None and (D1.a > 0 or D1.b < 0):  # monotone: the minimum is at an end
            end = lb if D1.a > 0 else r
            p = _exact_end(end, lo, hi, zeros)
            if p is not None:
                good = ok_at(p)
                if good:
                    continue
                if good is False:
                    return Certificate(False, boxes, counterexample=p, value=value(p))
            else:
                thin = _call(G, end, end)
                if thin is not None and (thin.a > 0 or (thin.a >= 0 and not strict)):
                    continue
        here = [z for z in zeros if lb <= float(z) <= r]
        if here and not strict and _taylor_ok(g, x, here[0], lb, r, lo, hi, orders):
            continue
        near = [z for z in zeros if 0 < min(abs(float(z) - lb), abs(float(z) - r)) < 0.25 and z not in here]
        if near and not strict and any(_taylor_ok(g, x, z, min(lb, float(z)), max(r, float(z)), lo, hi, orders)
                                       for z in near):
            continue  # the Taylor bound on the hull of the box and a nearby exact zero
        if r - lb < 1e-9:
            found = _find_zero(g, g1, x, lb, r, lo, hi, zeros)
            if found is None:
                return Certificate(None, boxes, reason=f"could not certify the sign near x = {(lb + r) / 2:.9g}")
            if strict:
                return Certificate(False, boxes, counterexample=found, value=value(found))
            zeros.append(found)
            stack.append((lb, r, depth))
            continue
        mid = next((float(z) for z in here if lb < float(z) < r), (lb + r) / 2)
        thin = _call(G, mid, mid)
        if thin is not None and (thin.b < 0 or (strict and thin.b <= 0)):  # a failing point: confirmed exactly
            found = _counter(g, x, mid, mid, value, boxes, lo, hi)
            if found.holds is False:
                return found
        stack.append((mid, r, depth + 1))
        stack.append((lb, mid, depth + 1))
    return Certificate(True, boxes, tight=[z for z in zeros if exact_sign(value(z)) == 0])


def _taylor_ok(g, x, z, lb, r, lo, hi, orders) -> bool:
    """g(z) = 0 and the derivatives of g at z vanish below order k (exactly); then on [l, r]
    g(x) = g^(k)(xi) (x - z)^k / k!, which is >= 0 if (x - z)^k g^(k) >= 0 on the box."""
    if z not in orders:
        k, dk = None, g
        for j in range(1, 7):
            dk = sp.diff(dk, x)
            if z in (lo, hi) and j == 1:
                pass
            v = exact_sign(_value_at(dk, x, z, lo, hi))
            if v is None:
                break
            if v != 0:
                k = j
                break
        try:
            orders[z] = (k, interval_function(dk, x)) if k is not None else None
        except _NoInterval:
            orders[z] = None
    if orders[z] is None:
        return False
    k, Dk = orders[z]
    zf = float(z)
    for a, b in ((lb, min(r, zf)), (max(lb, zf), r)):
        if b <= a:
            continue
        enc = _call(Dk, a, b)
        if enc is None:
            return False
        sign = 1 if a >= zf else (-1) ** k  # the sign of (x - z)^k on this side
        if not ((sign > 0 and enc.a >= 0) or (sign < 0 and enc.b <= 0)):
            return False
    return True


def _safe(fn, y):
    if fn is None:
        return None
    try:
        out = fn(y)
    except (ZeroDivisionError, ValueError, TypeError, OverflowError, NotImplementedError, AttributeError, _NoInterval):
        return None
    out = out if hasattr(out, "a") else iv.mpf(out)
    return None if out.a != out.a or out.b != out.b else out


def _order_at_zero(fn, y) -> sp.Rational:
    """The power k with fn(y) ~ c y**k as y -> 0+ (to the nearest half), estimated at y = 1e-30 and 1e-40
    in 50-digit arithmetic. Only a scaling: any k keeps the sign for y > 0, so an estimate is sound."""
    import mpmath

    f = sp.lambdify(y, fn, "mpmath")
    with mpmath.workdps(60):
        try:
            v1, v2 = abs(f(mpmath.mpf("1e-30"))), abs(f(mpmath.mpf("1e-40")))
        except (ZeroDivisionError, ValueError, TypeError, OverflowError):
            return sp.Integer(0)
        if not (mpmath.isfinite(v1) and mpmath.isfinite(v2)) or v1 == 0 or v2 == 0:
            return sp.Integer(0)
        k = float(mpmath.log(v1 / v2) / mpmath.log(mpmath.mpf("1e10")))
    k = max(-3.0, min(3.0, round(2 * k) / 2))
    return sp.Rational(int(round(2 * k)), 2)


def _end_forms(g, g1, x, end, direction):
    """Near an end e of the interval, with y = |x - e|: g / y**alpha and g' / y**beta, with the powers
    that make them of order one at y = 0 (same signs for y > 0), y**a log y written as XLog."""
    y = sp.Dummy("y", positive=True)
    forms = []
    for fn in (g, g1):
        at = fn.subs(x, end + direction * y)
        k = _order_at_zero(at, y)
        try:
            forms.append(interval_function(_with_xlog(at / y**k, y), y))
        except _NoInterval:
            return None
    return forms[0], forms[1], direction


def _exact_end(end: float, lo, hi, zeros):
    for p in (lo, hi, *zeros):
        if float(p) == end:
            return p
    return None


def _find_zero(g, g1, x, lb, r, lo, hi, zeros):
    """An exact point in [l, r] where g (and g', inside the interval) vanish: a rational of small
    denominator, confirmed by SymPy."""
    mid = (lb + r) / 2
    for den in (1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 100, 1000):
        fr = Fraction(mid).limit_denominator(den)
        p = sp.Rational(fr.numerator, fr.denominator)
        if not (lb - 1e-9 <= float(p) <= r + 1e-9) or not (lo <= p <= hi) or p in zeros:
            continue
        if exact_sign(_value_at(g, x, p, lo, hi)) == 0 and (p in (lo, hi) or
                                                           exact_sign(_value_at(g1, x, p, lo, hi)) == 0):
            return p
    return None


def _counter(g, x, lb, r, value, boxes, lo, hi) -> Certificate:
    mid = (lb + r) / 2
    for den in (1, 2, 4, 10, 100, 1000, 10**6, 10**9):
        fr = Fraction(mid).limit_denominator(den)
        p = sp.Rational(fr.numerator, fr.denominator)
        if not (lo <= p <= hi):
            continue
        v = value(p)
        if exact_sign(v) == -1:
            return Certificate(False, boxes, counterexample=p, value=v)
    return Certificate(None, boxes, reason=f"negative near x = {mid:.6g}, but no exact point confirms it")
