"""Certified bounds on the spectral radius of a polynomial family over a box of parameters.

``rho(x)`` is the largest root modulus of ``p_x(lambda)``, a polynomial in ``lambda`` whose coefficients are
polynomials with rational coefficients in the parameters x. Two questions are decided soundly:

- :func:`rho_below_at` -- ``rho(x) < r`` at one rational point, exactly: every root of ``p_x(r z)`` inside
  the unit circle (Schur's transform in rational arithmetic).
- :func:`rho_at_least` -- ``rho(x) >= r`` for every x in a closed box, by branch and bound. A box is
  settled when one of two tests proves it:

  1. **Schur-Cohn signs.** ``rho(x) < r`` iff every Schur-Cohn polynomial D_k of ``p_x(r z)`` is positive
     (as :func:`gantheory.symbolic._stability.schur_cohn`; if D_1 <= 0 the product of the roots has modulus
     >= 1, and while D_1 > 0 the transform keeps its degree, so the equivalence holds at every point).
     Each D_k is a product of factors; their signs on the box come from interval enclosures
     (:mod:`gantheory.symbolic._boxes`). The box has rho >= r if, for every sign the undecided factors
     could take, some D_k is <= 0. (Where several factors vanish at one point this test cannot close the
     boxes around it; the second test does.)
  2. **Rouche around the dominant root.** With mu_1, ..., mu_n the roots computed at the box's centre and
     p~ = prod (lambda - mu_i), if ``|p_x(l) - p~(l)| < |p~(l)|`` on the circle |l - mu_1| = s for every x in
     the box, then p_x has as many roots in that disk as p~ (at least mu_1). If the disk lies outside the
     circle of radius r, every p_x has a root of modulus >= r. The left side is bounded by the enclosures
     of the coefficients, the right side by the distances |s - |mu_i - mu_1||; both are computed in floats
     with the rounding of the coefficients of p~ bounded (16 n u e_k(|mu|), above the error of the product
     recurrence: Higham, *Accuracy and Stability of Numerical Algorithms*, 2002, ch. 3) and a relative
     margin of 1e-12 for the rest.

  The first test takes the irreducible factors of p one by one (p(r z) is Schur stable iff each is), up
  to degree 4 in lambda (:data:`SCHUR_COHN_MAX_DEGREE`), two parameters and 128-bit rationals. Beyond,
  Schur's transform is run instead in interval arithmetic on each box's coefficient enclosures
  (:func:`_interval_schur`): sound, but its intervals widen with every step, so it needs small boxes, and
  the search may end undecided.

  A box where every D_k is certainly positive has rho < r on all of it: the answer is then False, with
  the box (a better point than the one the bound was asked for). A box neither test settles is split in
  two across its relatively widest side; past ``max_boxes`` the answer is None (undecided).
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy as sp

from gantheory.symbolic._boxes import BoxPolynomial, _add, _down, _mul, _neg, _rational_enclosure, _up
from gantheory.symbolic._stability import _schur_stable, lambda_factors, schur_transform

__all__ = ["RhoBound", "dyadic_above", "dyadic_below", "max_bits", "rho_at_least", "rho_below_at", "simplest_between"]

_U = 2.0**-53
_MARGIN = 1e-12
#: a box with more undecided Schur-Cohn factors than this is split instead of having 2^k sign patterns tried
_MAX_UNDECIDED = 8


@dataclass
class RhoBound:
    holds: bool | None  # True: rho >= r on the whole box; False: rho < r on ``better``; None: undecided
    boxes: int = 0
    better: tuple | None = None  # (lo, hi) corners of a box where rho < r everywhere
    reason: str = ""


def _coefficients(poly: sp.Expr, lam: sp.Symbol) -> list:
    """The coefficients of ``poly`` in ``lam`` (highest first), divided by the leading one (a nonzero constant)."""
    P = sp.Poly(sp.expand(poly), lam)
    coeffs = P.all_coeffs()
    lead = sp.expand(coeffs[0])
    if not lead.is_number or lead == 0:
        raise ValueError(f"the leading coefficient in {lam} must be a nonzero constant, got {lead}")
    return [sp.expand(c / lead) for c in coeffs]


def rho_below_at(poly: sp.Expr, lam: sp.Symbol, point: dict, r) -> bool:
    """rho(x) < r at the rational ``point`` (symbol -> Rational), decided in exact arithmetic."""
    r = sp.Rational(r)
    if r <= 0:
        return False
    coeffs = [sp.Rational(c) for c in sp.Poly(sp.expand(poly).subs(point), lam).all_coeffs()]
    n = len(coeffs) - 1
    return _schur_stable([c * r ** (n - k) for k, c in enumerate(coeffs)])


class _TooSlow(Exception):
    pass


class _SchurCohnSigns:
    """The Schur-Cohn polynomials of f(r z) for each irreducible factor f of p (p is Schur stable iff every
    factor is), each as (sign of its constant, odd-power factors, even-power factors), the factors shared
    between them enclosed once per box. Built in SymPy's polynomial arithmetic over the parameters; past
    ``deadline`` (time.monotonic) the construction gives up (:class:`_TooSlow`)."""

    def __init__(self, lam_factors: list, lam: sp.Symbol, gens: list, r: sp.Rational, deadline: float):
        self.factors, self.conditions = [], []
        index = {}
        for f in lam_factors:
            self._add(f, lam, gens, r, index, deadline)
        self.odd_used = sorted({i for _, odd, _ in self.conditions for i in odd})

    def _add(self, f: sp.Expr, lam: sp.Symbol, gens: list, r: sp.Rational, index: dict, deadline: float) -> None:
        cs = [sp.Poly(c, *gens) for c in sp.Poly(f, lam).all_coeffs()]
        n = len(cs) - 1
        cs = [c * r ** (n - k) for k, c in enumerate(cs)]
        for d in schur_transform(cs):  # each D_k factored once
            if time.monotonic() > deadline:
                raise _TooSlow
            const, facs = d.factor_list()
            odd, even = [], []
            for fac, e in facs:
                key = fac.as_expr()
                if key not in index:
                    index[key] = len(self.factors)
                    big = max(abs(c) for c in fac.coeffs())
                    # a positive power of two scales the factor to unit size without changing its sign
                    scale = sp.Integer(2) ** int(sp.floor(sp.log(big, 2))) if big > 0 else sp.Integer(1)
                    self.factors.append(BoxPolynomial(key / scale, gens))
                (odd if e % 2 else even).append(index[key])
            self.conditions.append((0 if const == 0 else (1 if const > 0 else -1), odd, even))

    def classify(self, lo: np.ndarray, hi: np.ndarray):
        """(excluded, stable): rho >= r proved on the box; rho < r proved on the box."""
        K = lo.shape[0]
        sign = np.zeros((len(self.factors), K), dtype=np.int8)  # +1: >= 0, -1: <= 0, 0: undecided
        nonzero = np.zeros((len(self.factors), K), dtype=bool)
        for i, f in enumerate(self.factors):
            a, b = f.enclose(lo, hi)
            sign[i] = np.where(a >= 0, 1, np.where(b <= 0, -1, 0))
            nonzero[i] = (a > 0) | (b < 0)
        stable = np.ones(K, dtype=bool)
        for const, odd, even in self.conditions:
            prod = np.full(K, const, dtype=np.int64)
            for i in odd:
                prod = prod * sign[i]
            ok = prod > 0
            for i in odd + even:
                ok &= nonzero[i]
            stable &= ok
        excluded = np.zeros(K, dtype=bool)
        for k in range(K):
            undecided = [i for i in self.odd_used if sign[i, k] == 0]
            if len(undecided) > _MAX_UNDECIDED:
                continue
            excluded[k] = all(self._some_nonpositive(sign[:, k], dict(zip(undecided, pattern)))
                              for pattern in itertools.product((1, -1), repeat=len(undecided)))
        return excluded, stable

    def _some_nonpositive(self, sign, assumed) -> bool:
        for const, odd, _ in self.conditions:
            prod = const
            for i in odd:
                prod *= assumed.get(i, sign[i])
            if prod <= 0:
                return True
        return False


def _interval_schur(coef_polys: list, lo: np.ndarray, hi: np.ndarray, r: sp.Rational):
    """(excluded, stable) by Schur's transform of p(r z) run in interval arithmetic on the box's coefficient
    enclosures: at every point of the box the pointwise transform lies in the intervals, so a step whose
    a_n^2 - a_0^2 is <= 0 on the whole box makes every point unstable (where an earlier step was <= 0 the
    point is unstable already); every step > 0 makes every point stable. Each step is rescaled by a power of
    two, which changes no sign (and is exact but where a product falls subnormal: its ends are rounded out)."""
    K, n = lo.shape[0], len(coef_polys) - 1
    rk = [_rational_enclosure(r ** (n - k)) for k in range(n + 1)]
    c = []
    for k, p in enumerate(coef_polys):
        a, b = p.enclose(lo, hi)
        c.append(_mul((a, b), (np.full(K, rk[k][0]), np.full(K, rk[k][1]))))
    excluded = np.zeros(K, dtype=bool)
    stable = np.ones(K, dtype=bool)
    while len(c) > 1:
        an, a0 = c[0], c[-1]
        d = _add(_mul(an, an), _neg(_mul(a0, a0)))
        excluded |= d[1] <= 0
        stable &= d[0] > 0
        m = len(c) - 1
        c = [_add(_mul(an, c[k]), _neg(_mul(a0, c[m - k]))) for k in range(m)]
        big = np.max(np.stack([np.maximum(np.abs(x[0]), np.abs(x[1])) for x in c]), axis=0)
        usable = np.isfinite(big) & (big > 0)
        with np.errstate(all="ignore"):
            scale = np.where(usable, np.exp2(-np.floor(np.log2(np.where(usable, big, 1.0)))), 1.0)
        with np.errstate(under="ignore"):  # a power of two scales exactly, unless a product falls subnormal
            c = [(_down(x[0] * scale), _up(x[1] * scale)) for x in c]
    return excluded, stable & ~excluded


def _rouche(coef_polys: list, lo: np.ndarray, hi: np.ndarray, r: float) -> np.ndarray:
    """Where every polynomial of the box provably has a root of modulus >= r (Rouche, module docstring)."""
    K, n = lo.shape[0], len(coef_polys) - 1
    ok = np.zeros(K, dtype=bool)
    if n < 1:
        return ok
    c = 0.5 * lo + 0.5 * hi
    cc = np.stack([0.5 * v[0] + 0.5 * v[1] for v in (p.natural(c, c) for p in coef_polys)], axis=1)
    finite = np.all(np.isfinite(cc), axis=1)
    if not finite.any():
        return ok
    idx = np.flatnonzero(finite)
    comp = np.zeros((idx.size, n, n))
    comp[:, 0, :] = -cc[idx, 1:] / cc[idx, :1]
    comp[:, np.arange(1, n), np.arange(n - 1)] = 1.0
    with np.errstate(all="ignore"):
        mu = np.linalg.eigvals(comp)
    good = np.all(np.isfinite(mu), axis=1)
    idx, mu = idx[good], mu[good]
    if not idx.size:
        return ok
    M = idx.size
    k1 = np.argmax(np.abs(mu), axis=1)
    mu1 = mu[np.arange(M), k1]
    m = np.abs(mu1) - r
    # coefficients of prod (lambda - mu_i), highest first, and the elementary symmetric functions of |mu_i|
    at = np.ones((M, 1), dtype=complex)
    ab = np.ones((M, 1))
    for i in range(n):
        zero = np.zeros((M, 1))
        at = np.concatenate([at, zero], axis=1) - np.concatenate([zero, at * mu[:, i:i + 1]], axis=1)
        ab = np.concatenate([ab, zero], axis=1) + np.concatenate([zero, ab * np.abs(mu[:, i:i + 1])], axis=1)
    # complex multiply-and-subtract has a relative error below 3 sqrt(2) u per step, n steps: below 5 n u e_k(|mu|)
    # (e_k itself computed in floats, a relative n u low); 16 n u covers both with room
    err = 16 * n * _U * ab
    E = np.empty((M, n + 1))
    for k, p in enumerate(coef_polys):
        a, b = p.enclose(lo[idx], hi[idx])
        E[:, k] = np.maximum(np.abs(a - at[:, k].real), np.abs(b - at[:, k].real))
    E = E + np.abs(at.imag) + err
    dist = np.abs(mu - mu1[:, None])
    found = np.zeros(M, dtype=bool)
    with np.errstate(all="ignore"):
        for t in (0.95, 0.7, 0.5, 0.3, 0.15, 0.05):
            s = t * m
            R = np.abs(mu1) + s
            lhs = np.zeros(M)
            for k in range(n + 1):
                lhs = lhs + E[:, k] * R ** (n - k)
            rhs = np.ones(M)
            for i in range(n):
                rhs = rhs * np.where(k1 == i, s, np.abs(s - dist[:, i]))
            found |= ((m > 0) & (lhs * (1 + _MARGIN) < rhs * (1 - _MARGIN))
                      & (np.abs(mu1) - s >= r * (1 + _MARGIN)))
    ok[idx] = found
    return ok


#: the Schur-Cohn signs are used while every irreducible factor of p has at most this degree in lambda: their
#: polynomials grow fast with the degree
#: (degree 4 in two parameters: about a second to factor; degree 8: more than minutes). Above it the boxes
#: are settled by Rouche's test alone, and no box is found on which rho is provably lower.
SCHUR_COHN_MAX_DEGREE = 4
#: ... and while the rational numbers in p and r have at most this many bits (a fixed gamma = 3.6e54 makes
#: SymPy's factoring of the Schur-Cohn polynomials take minutes), in at most this many parameters (three
#: took 9 s per attempt to build). These limits are deterministic, so the answer does not depend on the
#: machine's load; the time limit below them is a safety net.
SCHUR_COHN_MAX_BITS = 128
SCHUR_COHN_MAX_PARAMETERS = 2


def max_bits(exprs) -> int:
    """The largest bit length of a numerator or denominator of a rational number in ``exprs``."""
    out = 0
    for e in exprs:
        for q in sp.S(e).atoms(sp.Rational):
            out = max(out, abs(int(q.p)).bit_length(), int(q.q).bit_length())
    return out


def rho_at_least(poly: sp.Expr, lam: sp.Symbol, gens: list, box: list, r, max_boxes: int = 200_000,
                 max_seconds: float = 30.0) -> RhoBound:
    """Decide rho(x) >= r for every x in the closed ``box`` (a (lo, hi) pair of floats per generator), within
    ``max_boxes`` boxes and about ``max_seconds`` of branch and bound (else undecided)."""
    r = sp.Rational(r)
    if r <= 0:
        return RhoBound(True, 0, reason="r <= 0: every modulus is >= r")
    coeffs = _coefficients(poly, lam)
    lam_factors = lambda_factors(poly, lam)
    small = (max(sp.Poly(f, lam).degree() for f in lam_factors) <= SCHUR_COHN_MAX_DEGREE
             and len(gens) <= SCHUR_COHN_MAX_PARAMETERS and max_bits([*coeffs, r]) <= SCHUR_COHN_MAX_BITS)
    deadline = time.monotonic() + max_seconds
    signs = None
    if small:
        from gantheory._limits import TimeLimitExceeded, call_with_time_limit

        try:  # the limit also stops one long factoring, which the deadline between steps cannot
            signs = call_with_time_limit(_SchurCohnSigns, max_seconds / 2, lam_factors, lam, gens, r,
                                         time.monotonic() + max_seconds / 2)
        except (_TooSlow, TimeLimitExceeded):
            signs = None  # the numeric tests alone, in the time left
    coef_polys = [BoxPolynomial(c, gens) for c in coeffs]
    lo = np.array([[float(a) for a, _ in box]])
    hi = np.array([[float(b) for _, b in box]])
    if not (np.all(np.isfinite(lo)) and np.all(np.isfinite(hi)) and np.all(lo <= hi)):
        raise ValueError(f"the box must be finite with lo <= hi, got {box}")
    width0 = np.where(hi[0] > lo[0], hi[0] - lo[0], 1.0)
    r_float = float(r)
    boxes = 0
    while lo.shape[0]:
        boxes += lo.shape[0]
        if boxes > max_boxes or time.monotonic() > deadline:
            limit = f"{max_boxes} boxes" if boxes > max_boxes else f"{max_seconds:g} s"
            return RhoBound(None, boxes, reason=f"{lo.shape[0]} boxes still open after {limit} "
                                                 f"(around {[f'{v:.6g}' for v in 0.5 * (lo.min(0) + hi.max(0))]})")
        done = _rouche(coef_polys, lo, hi, r_float)
        lo, hi = lo[~done], hi[~done]
        if lo.shape[0] and signs is None:  # a factor of high degree: Schur's transform in intervals instead
            excluded, stable = _interval_schur(coef_polys, lo, hi, r)
            if stable.any():
                k = int(np.flatnonzero(stable)[0])
                return RhoBound(False, boxes, better=(lo[k].copy(), hi[k].copy()),
                                reason="Schur's transform is positive at every step on a box: rho < r there")
            lo, hi = lo[~excluded], hi[~excluded]
        if lo.shape[0] and signs is not None:
            excluded, stable = signs.classify(lo, hi)
            if stable.any():
                k = int(np.flatnonzero(stable)[0])
                return RhoBound(False, boxes, better=(lo[k].copy(), hi[k].copy()),
                                reason="every Schur-Cohn polynomial is positive on a box: rho < r there")
            lo, hi = lo[~excluded], hi[~excluded]
        n = lo.shape[0]
        if not n:
            break
        rows = np.arange(n)
        axis = np.argmax((hi - lo) / width0, axis=1)
        mid = 0.5 * lo[rows, axis] + 0.5 * hi[rows, axis]
        lo2, hi2 = lo.copy(), hi.copy()
        hi[rows, axis] = mid
        lo2[rows, axis] = mid
        lo, hi = np.vstack([lo, lo2]), np.vstack([hi, hi2])
    return RhoBound(True, boxes, reason="every box settled")


def dyadic_below(x: float, bits: int) -> sp.Rational:
    """The largest multiple of 2^-bits that is <= x (exactly)."""
    q = Fraction(x) * (1 << bits)
    return sp.Rational(q.numerator // q.denominator, 1 << bits)


def dyadic_above(x: float, bits: int) -> sp.Rational:
    q = Fraction(x) * (1 << bits)
    return sp.Rational(-((-q.numerator) // q.denominator), 1 << bits)


def simplest_between(a: float, b: float) -> sp.Rational:
    """The rational with the smallest denominator in the closed interval [a, b] (0 <= a <= b; the floats' exact
    values), by the continued fractions of its ends (Stern-Brocot). A bound r with a small numerator and
    denominator keeps the Schur-Cohn polynomials of p(r z) small: SymPy's factoring of them searches a prime
    above a bound on their coefficients, and that search grows with the coefficients' bits.

    >>> simplest_between(0.4641, 0.4642), simplest_between(0.0, 0.3), simplest_between(0.5, 0.5)
    (97/209, 0, 1/2)
    """
    lo, hi = Fraction(a), Fraction(b)
    if not 0 <= lo <= hi:
        raise ValueError(f"need 0 <= a <= b, got a = {a!r}, b = {b!r}")
    # continued fraction terms shared by both ends, then the smallest term that separates them
    terms = []
    while True:
        fl = lo.numerator // lo.denominator
        if fl == lo or fl + 1 <= hi:  # lo is an integer, or an integer lies in (lo, hi]
            terms.append(fl if fl == lo else fl + 1)
            break
        terms.append(fl)
        lo, hi = 1 / (hi - fl), 1 / (lo - fl)  # both ends in (fl, fl + 1): recurse on the reciprocals
    x = Fraction(terms[-1])
    for t in reversed(terms[:-1]):
        x = t + 1 / x
    return sp.Rational(x.numerator, x.denominator)

