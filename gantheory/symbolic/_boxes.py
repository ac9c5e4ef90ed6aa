"""Certified enclosures of polynomials over many boxes at once: interval arithmetic in float64 with
outward rounding, vectorized over the boxes with NumPy.

Every operation rounds to nearest, which is within half a unit in the last place of the exact result;
moving each computed lower end one float down and each upper end one float up (``np.nextafter``)
therefore encloses the exact result. A rational coefficient enters as the two floats around it. An
operation that overflows gives an infinite end, and one that is undefined (``inf * 0``) gives the
whole line: an enclosure is never narrower than the truth, only wider. (``mpmath.iv`` does the same in
arbitrary precision one interval at a time; here thousands of boxes go through one NumPy call per
term, which is what a branch and bound in two or three variables needs. The tests hold these
enclosures to ``mpmath.iv``'s.)

A polynomial's enclosure over a box is the intersection of two forms: the natural one (each monomial's
exact range over the box, rounded outward, summed) and the mean-value one, p(c) + sum_i dp/dx_i(B) (B_i - c_i)
about the box's centre c, whose overestimation shrinks with the square of the box's width.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp

__all__ = ["BoxPolynomial"]

_INF = np.inf


def _down(x):
    return np.nextafter(x, -_INF)


def _up(x):
    return np.nextafter(x, _INF)


def _undefined_to_whole(lo, hi):
    bad = np.isnan(lo) | np.isnan(hi)
    if bad.any():
        lo = np.where(bad, -_INF, lo)
        hi = np.where(bad, _INF, hi)
    return lo, hi


def _add(a, b):
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is an infinite end, inf - inf the whole line
        return _undefined_to_whole(_down(a[0] + b[0]), _up(a[1] + b[1]))


def _neg(a):
    return -a[1], -a[0]


def _mul(a, b):
    with np.errstate(over="ignore", invalid="ignore"):  # as in _add; inf * 0 is the whole line
        p1, p2, p3, p4 = a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]
        lo = np.minimum(np.minimum(p1, p2), np.minimum(p3, p4))
        hi = np.maximum(np.maximum(p1, p2), np.maximum(p3, p4))
    return _undefined_to_whole(_down(lo), _up(hi))


def _rational_enclosure(c) -> tuple[float, float]:
    q = Fraction(int(c.p), int(c.q)) if isinstance(c, sp.Rational) else Fraction(c)
    try:
        f = q.numerator / q.denominator  # correctly rounded (Python's int true division)
    except OverflowError:
        return (-_INF, -np.finfo(float).max) if q < 0 else (np.finfo(float).max, _INF)
    if Fraction(f) == q:
        return f, f
    return float(_down(f)), float(_up(f))


def _abs_power_bounds(m_lo, m_hi, k):
    """[m_lo^k rounded down, m_hi^k rounded up] for 0 <= m_lo <= m_hi (k >= 1)."""
    lo, hi = m_lo.copy(), m_hi.copy()
    with np.errstate(over="ignore"):
        for _ in range(k - 1):
            lo = _down(lo * m_lo)
            hi = _up(hi * m_hi)
    return np.maximum(lo, 0.0), hi


def _powers(a, b, degree):
    """Enclosures of x^k over [a, b] (arrays of box ends) for k = 0..degree: exact ranges, rounded outward."""
    out = [(np.ones_like(a), np.ones_like(a))]
    abs_a, abs_b = np.abs(a), np.abs(b)
    for k in range(1, degree + 1):
        da, ua = _abs_power_bounds(abs_a, abs_a, k)  # |a|^k, down and up
        db, ub = _abs_power_bounds(abs_b, abs_b, k)
        if k % 2:
            lo = np.where(a >= 0, da, -ua)
            hi = np.where(b >= 0, ub, -db)
        else:
            lo = np.where(a >= 0, da, np.where(b <= 0, db, 0.0))
            hi = np.where(a >= 0, ub, np.where(b <= 0, ua, np.maximum(ua, ub)))
        out.append((lo, hi))
    return out


class BoxPolynomial:
    """A polynomial with rational coefficients in ``gens``, enclosed over arrays of boxes.

    ``enclose(lo, hi)`` takes two (K, d) arrays, the boxes' lower and upper corners, and returns two
    arrays of K floats [lower, upper] that contain the polynomial's every value on each box."""

    def __init__(self, expr: sp.Expr, gens: list):
        poly = sp.Poly(sp.expand(expr), *gens)
        if not all(c.is_Rational for c in poly.coeffs()):
            raise ValueError(f"the coefficients of {expr} are not rational")
        self.gens = list(gens)
        self.monoms = np.array(poly.monoms(), dtype=np.int64).reshape(-1, len(gens))
        enc = [_rational_enclosure(c) for c in poly.coeffs()]
        self.coeff_lo = np.array([e[0] for e in enc])
        self.coeff_hi = np.array([e[1] for e in enc])
        self.degrees = self.monoms.max(axis=0) if len(self.monoms) else np.zeros(len(gens), dtype=np.int64)
        self._derivatives = None
        self._poly = poly

    def derivatives(self) -> list[BoxPolynomial]:
        if self._derivatives is None:
            self._derivatives = [BoxPolynomial(self._poly.diff(x).as_expr(), self.gens) for x in self.gens]
        return self._derivatives

    def natural(self, lo: np.ndarray, hi: np.ndarray):
        """Each monomial's range over the box (exact, rounded outward) times its coefficient, summed."""
        K = lo.shape[0]
        acc = (np.zeros(K), np.zeros(K))
        if not len(self.monoms):
            return acc
        powers = [_powers(lo[:, i], hi[:, i], int(self.degrees[i])) for i in range(len(self.gens))]
        for t, mono in enumerate(self.monoms):
            term = (np.full(K, self.coeff_lo[t]), np.full(K, self.coeff_hi[t]))
            for i, e in enumerate(mono):
                if e:
                    term = _mul(term, powers[i][e])
            acc = _add(acc, term)
        return acc

    def enclose(self, lo: np.ndarray, hi: np.ndarray):
        """The intersection of the natural enclosure and the mean-value form about each box's centre."""
        nat = self.natural(lo, hi)
        if self.monoms.shape[0] <= 1 or int(self.degrees.sum()) == 0:
            return nat
        c = 0.5 * lo + 0.5 * hi  # any point of the box will do; the radius below is measured from it
        mid = self.natural(c, c)
        acc = mid
        for i, d in enumerate(self.derivatives()):
            g = d.natural(lo, hi)
            r = np.maximum(_up(hi[:, i] - c[:, i]), _up(c[:, i] - lo[:, i]))
            acc = _add(acc, _mul(g, (-r, r)))
        return np.maximum(nat[0], acc[0]), np.minimum(nat[1], acc[1])
