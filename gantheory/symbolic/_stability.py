"""Where the roots of a characteristic polynomial lie with respect to the unit circle, decided exactly.

A fixed-point iteration converges locally iff every eigenvalue of its Jacobian lies strictly inside
the unit circle (Bertsekas Prop. 4.4.1; seed 004, Property 3). Floating-point eigenvalues cannot tell
rho = 1 from rho = 1 - 2e-16, and that case is common: alternating gradient descent on the Dirac-GAN
has det = 1 and complex eigenvalues, so |lambda| = 1 exactly. This module decides it exactly for a
polynomial with rational coefficients (the update Jacobians of gantheory's games at rational
parameters -- a float parameter *is* a rational, e.g. ``Rational(0.5) = 1/2``):

- factor p over Q; an irreducible factor q has a root on the unit circle only if it is
  self-reciprocal (z^n q(1/z) = +-q(z)): a root lambda on the circle has 1/lambda = conj(lambda),
  also a root, so q and its reversal share a root and, q being irreducible, are proportional;
- a self-reciprocal q of even degree 2m is z^m Q(z + 1/z) with deg Q = m, and z is on the circle
  iff w = z + 1/z = 2 cos(theta) is real in [-2, 2]: the number of roots of q on the circle is
  twice the number of real roots of Q in (-2, 2), counted exactly by Sturm sequences
  (``Poly.count_roots``); z + 1 and z - 1 are the odd-degree cases;
- every other root is off the circle, and which side it lies on is read from its modulus computed
  with mpmath at 60 significant digits (simple roots, since q is irreducible).
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import sympy as sp
from sympy.core.evalf import PrecisionExhausted

__all__ = ["UnitCircleVerdict", "unit_circle_verdict", "matrix_unit_circle_verdict"]

_z = sp.Symbol("z")
#: Significant digits for the moduli of roots known to be off the circle.
DIGITS = 60


@dataclass(frozen=True)
class UnitCircleVerdict:
    """``kind``: "inside" (all roots strictly inside), "on" (some on the circle, none outside) or
    "outside" (some strictly outside). ``rho``: the largest modulus (exactly 1.0 when the largest
    roots are on the circle); ``on_circle``: how many roots (with multiplicity) lie on it."""

    kind: str
    rho: float
    on_circle: int
    roots: tuple

    @property
    def converges(self) -> bool:
        return self.kind == "inside"


def _reversal(q: sp.Poly) -> sp.Poly:
    return sp.Poly(list(reversed(q.all_coeffs())), q.gen, domain=q.domain)


def _self_reciprocal(q: sp.Poly) -> bool:
    r = _reversal(q)
    return r.monic() == q.monic() and r.degree() == q.degree()


def _chebyshev_reduction(q: sp.Poly) -> sp.Poly:
    """Q with q(z) = z^m Q(z + 1/z) for a palindromic q of degree 2m."""
    c = list(reversed(q.all_coeffs()))  # c[k]: coefficient of z^k
    m = q.degree() // 2
    w = sp.Symbol("w")
    D = [sp.Integer(2), w]  # D_k(w) = z^k + z^-k
    for _ in range(2, m + 1):
        D.append(sp.expand(w * D[-1] - D[-2]))
    Q = c[m] + sum(c[m + k] * D[k] for k in range(1, m + 1))
    return sp.Poly(sp.expand(Q), w)


def _on_circle_count(q: sp.Poly) -> int:
    """Roots of an irreducible q (over Q) on the unit circle, exactly."""
    if not _self_reciprocal(q):
        return 0
    if q.degree() == 1:  # z - 1 or z + 1
        return 1
    Q = _chebyshev_reduction(q)
    return 2 * int(Q.count_roots(-2, 2))


#: the most digits the root finder may use to separate a root's modulus from 1 before giving up
MAX_DIGITS = 4000


def _numeric_roots(q: sp.Poly, on: int = 0, separate: bool = True) -> list:
    """The roots of an irreducible q, each with its modulus separated from 1: the working precision
    doubles (from DIGITS up to MAX_DIGITS) until every root but the ``on`` ones known to lie on the
    circle has | |r| - 1 | above ten times the root finder's error estimate. A root at 1 - 1e-200 (the
    spectral radius 1 - h^2/8 at h = 1e-100) is told from 1 this way, and coefficients of 1e308 do not
    stop the root finder. Runs in its own precision context; ValueError if not separated at MAX_DIGITS."""
    coeffs = [sp.Rational(c) for c in q.all_coeffs()]
    dps = DIGITS
    while True:
        with mpmath.workdps(dps):
            cs = [mpmath.mpf(c.p) / c.q for c in coeffs]
            try:
                if q.degree() == 1:
                    rts, err = [-cs[1] / cs[0]], mpmath.mpf(10) ** (-dps + 5)
                else:
                    rts, err = mpmath.polyroots(cs, maxsteps=50 + 10 * dps, extraprec=4 * dps, error=True)
                    rts = list(rts)
                gaps = sorted(abs(abs(r) - 1) for r in rts)
                if not separate or all(g > 10 * err for g in gaps[on:]):
                    return [mpmath.mpc(r) for r in rts]
            except mpmath.libmp.libhyper.NoConvergence:
                pass
        if dps >= MAX_DIGITS:
            raise ValueError(f"the roots of {q.as_expr()} could not be separated from the unit circle at "
                             f"{MAX_DIGITS} digits: no exact decision")
        dps *= 2


def _schur_stable(coeffs) -> bool:
    """Every root of the polynomial with these rational coefficients (highest degree first) strictly inside
    the unit circle: Schur's transform in exact rational arithmetic, |a_0| < |a_n| at every degree (the
    numeric form of :func:`schur_cohn`; each step rescaled by a_n, which changes no root)."""
    from fractions import Fraction

    c = [Fraction(int(sp.Rational(x).p), int(sp.Rational(x).q)) for x in coeffs]
    while len(c) > 1:
        an, a0 = c[0], c[-1]
        if not an * an > a0 * a0:
            return False
        rev = c[::-1]
        c = [an * c[k] - a0 * rev[k] for k in range(len(c) - 1)]
        c = [x / c[0] for x in c] if c[0] != 0 else c
    return True


def unit_circle_verdict(poly, gen=None) -> UnitCircleVerdict:
    """Classify the roots of ``poly`` (rational coefficients) against the unit circle, exactly.

    >>> z = sp.Symbol("z")
    >>> unit_circle_verdict(z**2 - z + 1, z).kind          # roots exp(+-i pi/3)
    'on'
    >>> v = unit_circle_verdict(z**2 - sp.Rational(1, 2), z)
    >>> v.kind, round(v.rho, 12)
    ('inside', 0.707106781187)
    >>> unit_circle_verdict(z**4 - 3 * z**2 + 1, z).kind   # a reciprocal pair off the circle
    'outside'
    """
    p = sp.Poly(poly, gen) if gen is not None else sp.Poly(poly)
    if p.degree() < 1:
        raise ValueError("a polynomial of degree >= 1 is needed")
    try:
        p = sp.Poly(p.as_expr(), p.gen, domain="QQ")
    except sp.polys.polyerrors.CoercionFailed:
        raise ValueError(f"the coefficients of {p.as_expr()} are not rational: no exact decision") from None
    kinds, moduli, roots, on_total = [], [], [], 0
    stable = _schur_stable(p.all_coeffs())  # exact; the roots below only measure (and, if not, classify)
    for q, mult in p.factor_list()[1]:
        on = _on_circle_count(q)
        rts = _numeric_roots(q, on, separate=not stable)
        with mpmath.workdps(MAX_DIGITS):
            gaps = [abs(r) - 1 for r in rts]  # separated from 0 where it counts; only the exact count decides "on"
            order = sorted(range(len(rts)), key=lambda i: abs(gaps[i]))
            for rank, i in enumerate(order):
                if rank < on:
                    kind, mod = "on", 1.0
                else:
                    kind, mod = ("inside" if gaps[i] < 0 else "outside"), float(abs(rts[i]))
                kinds.extend([kind] * mult)
                moduli.extend([mod] * mult)
                roots.extend([complex(rts[i])] * mult)
        on_total += on * mult
    kind = "outside" if "outside" in kinds else "on" if "on" in kinds else "inside"
    rho = max(moduli)
    # "every root strictly inside" decided exactly, in rational arithmetic (Schur-Cohn: the recursion's
    # |a_0| < |a_n| at every degree); the numeric moduli only say how far from the circle
    if stable:
        kind = "inside"
    elif kind == "inside":  # not Schur stable, though no root was seen outside: a root is on or outside
        kind, rho = ("on" if on_total else "outside"), max(rho, 1.0)
    return UnitCircleVerdict(kind, rho, on_total, tuple(roots))


def matrix_unit_circle_verdict(M: sp.Matrix) -> UnitCircleVerdict:
    """:func:`unit_circle_verdict` of the characteristic polynomial of a matrix with rational entries."""
    lam = sp.Symbol("lambda")
    return unit_circle_verdict(M.charpoly(lam).as_expr(), lam)


# -- the set of parameter values where an iteration converges -------------------------------------

def _verdict_at(p: sp.Expr, lam: sp.Symbol, x: sp.Symbol, value) -> str:
    """"inside" / "on" / "outside" for p(lambda; x = value): exact at a rational value, else from
    roots at DIGITS digits (an irrational value is a breakpoint, where a root meets the circle)."""
    q = sp.expand(p.subs(x, value))
    if sp.Poly(q, lam).degree() < 1:
        return "degenerate"
    if value.is_Rational:
        return unit_circle_verdict(q, lam).kind
    with mpmath.workdps(DIGITS):
        coeffs = [mpmath.mpf(sp.N(c, DIGITS)) if c.is_real else mpmath.mpc(complex(sp.N(c, DIGITS)))
                  for c in sp.Poly(q, lam).all_coeffs()]
        mods = [abs(r) for r in (mpmath.polyroots(coeffs, maxsteps=400, extraprec=4 * DIGITS)
                                 if len(coeffs) > 2 else [-coeffs[1] / coeffs[0]])]
        top = max(mods)
        tol = mpmath.mpf(10) ** (-(DIGITS // 2))
        return "outside" if top > 1 + tol else "inside" if top < 1 - tol else "on"


def _breakpoints(p: sp.Expr, lam: sp.Symbol, x: sp.Symbol) -> list | None:
    """Real values of x where a root of p(lambda; x) can cross the unit circle: zeros of the resultant
    of p and its reversal lambda^n p(1/lambda) (a root on the circle has 1/lambda = conj(lambda), also a
    root), of the leading coefficient, and poles of the coefficients. None if that resultant vanishes
    identically (then the breakpoints cannot be told this way)."""
    num, den = sp.fraction(sp.together(p))
    P = sp.Poly(sp.expand(num), lam)
    rev = sp.Poly(list(reversed(P.all_coeffs())), lam)
    res = sp.expand(sp.resultant(P.as_expr(), rev.as_expr(), lam))
    if res == 0:
        return None
    pts = set()
    for e in (res, P.LC(), den):
        e = sp.expand(e)
        if e.has(x):
            pts.update(sp.Poly(e, x).real_roots())
    return sorted(pts, key=lambda r: float(sp.N(r, 30)))


def _rational_between(a, b):
    """A simple rational strictly between the reals a < b (either may be infinite)."""
    if a == -sp.oo and b == sp.oo:
        return sp.Integer(0)
    if a == -sp.oo:
        return sp.floor(sp.N(b, 30)) - 1
    if b == sp.oo:
        return sp.ceiling(sp.N(a, 30)) + 1
    fa, fb = sp.N(a, 40), sp.N(b, 40)
    for den in (1, 2, 4, 10, 100, 10**4, 10**8, 10**16):
        cand = sp.Rational(sp.floor(fa * den) + 1, den)
        if fa < cand < fb:
            return cand
    return sp.nsimplify((fa + fb) / 2, rational=True)


def _le(a, b) -> bool:
    """a <= b for real algebraic numbers (or infinities): decided by SymPy, or where it cannot (huge terms that
    cancel, as at gamma = 3.6e54) by b - a evaluated to 30 certified digits; a difference no precision
    separates from 0 is decided by its minimal polynomial."""
    rel = sp.Le(a, b)
    if rel in (sp.true, sp.false):
        return bool(rel)
    d = sp.expand(b - a)
    if d == 0:
        return True
    try:
        return bool(d.evalf(30, strict=True) >= 0)
    except PrecisionExhausted:
        z = sp.Dummy("z")
        if sp.minimal_polynomial(d, z) == z:
            return True
        raise ValueError(f"cannot decide the sign of {d}") from None


def _classified(M: sp.Matrix, x: sp.Symbol, domain: sp.Interval, extra_points=(), collisions=False) -> list:
    """``[(point, kind, piece)]``: M(x)'s eigenvalues against the unit circle ("inside" / "on" / "outside"),
    exactly, at every breakpoint in ``domain`` (``piece`` None) and at one rational point of each open stretch
    between consecutive ones (``piece`` that stretch). The roots move continuously with x, so the kind can
    change only at a breakpoint (:func:`_breakpoints`). With ``collisions`` the zeros of the discriminant are
    breakpoints too: roots that stay on the circle over a stretch (alternating GD on the Dirac-GAN) can leave it
    only where two of them meet, so "on" is then constant between breakpoints as well."""
    lam = sp.Symbol("lambda")
    M = sp.Matrix(M)
    if M.free_symbols - {x}:
        raise ValueError(f"StableSet: give values to {sorted(map(str, M.free_symbols - {x}))} first")
    p = M.charpoly(lam).as_expr()
    pts = _breakpoints(p, lam, x)
    lo, hi = domain.inf, domain.sup
    num = sp.Poly(sp.expand(sp.fraction(sp.together(p))[0]), lam)
    if pts is None:
        # p(lambda) and lambda^n p(1/lambda) share a factor g for every x: the roots of g are closed under
        # lambda -> 1/lambda, so one of them has modulus >= 1 and no x is stable -- except possibly where g
        # degenerates (its leading coefficient vanishes). Those points are the breakpoints; the classification
        # below then finds every piece between them unstable.
        g = sp.Poly(sp.gcd(num.as_expr(), sp.Poly(list(reversed(num.all_coeffs())), lam).as_expr()), lam)
        pts = [q for e in (g.LC(), num.LC()) if sp.expand(e).has(x) for q in sp.Poly(sp.expand(e), x).real_roots()]
        rest = sp.Poly(sp.quo(num.as_expr(), g.as_expr(), lam), lam)
        if collisions and rest.degree() >= 1:  # the cofactor's roots cross the circle where it meets its reversal
            more = _breakpoints(rest.as_expr(), lam, x)
            pts = [*pts, *(more or [])]
    if collisions:
        sqf = sp.Poly(sp.quo(num.as_expr(), sp.gcd(num.as_expr(), sp.diff(num.as_expr(), lam)), lam), lam)
        if sqf.degree() >= 2:
            disc = sp.expand(sp.discriminant(sqf.as_expr(), lam))
            if disc.has(x):
                pts = [*pts, *sp.Poly(sp.fraction(sp.together(disc))[0], x).real_roots()]
    inner = {q for q in (*pts, *extra_points) if q.is_real and _le(lo, q) and _le(q, hi) and q not in (lo, hi)}
    ends = {e for e in (lo, hi) if e.is_finite and e in domain}
    pts = sorted(inner | ends, key=lambda r: float(sp.N(r, 30)))
    edges = [lo, *[q for q in pts if q not in (lo, hi)], hi]
    out = []
    for a, b in zip(edges[:-1], edges[1:]):
        mid = _rational_between(a, b)
        out.append((mid, _verdict_at(p, lam, x, mid), sp.Interval.open(a, b)))
    for q in pts:
        out.append((q, _verdict_at(p, lam, x, q), None))
    return out


def stable_set(M: sp.Matrix, x: sp.Symbol, domain: sp.Set = sp.S.Reals, extra_points=()) -> tuple[sp.Set, list]:
    """The exact set of x in ``domain`` (an interval) where every eigenvalue of M(x) is strictly inside
    the unit circle, with the sample points that decided it.

    The roots of the characteristic polynomial move continuously with x, so membership can change
    only at a breakpoint (:func:`_breakpoints`); each breakpoint and one rational point of each open
    interval between consecutive breakpoints are classified exactly (:func:`unit_circle_verdict`).
    ``extra_points`` (e.g. the endpoints of a claimed set) are added to the breakpoints, so a claimed
    set is compared with the derived one at every point where either can change. Other symbols of M
    must have been given values. Raises ValueError when the breakpoints cannot be found.
    """
    classified = _classified(M, x, domain, extra_points)
    pieces = [piece if piece is not None else sp.FiniteSet(q) for q, kind, piece in classified if kind == "inside"]
    samples = [(q, kind) for q, kind, _ in classified]
    return sp.Intersection(sp.Union(*pieces), domain).simplify() if pieces else sp.S.EmptySet, samples


def radius_side(M: sp.Matrix, x: sp.Symbol, domain: sp.Interval) -> list:
    """:func:`_classified` with the collisions of roots as breakpoints too: ``[(point, kind, piece)]`` covering
    ``domain``, where kind is constant on each piece -- so rho(M(x)) <= 1 (no "outside") or >= 1 (no "inside")
    on a whole interval is decided exactly, not only rho < 1."""
    return _classified(M, x, domain, collisions=True)


def lambda_factors(p: sp.Expr, lam: sp.Symbol) -> list[sp.Expr]:
    """The distinct irreducible factors of ``p`` (over the rationals, in ``lam`` and the parameters) of positive
    degree in ``lam``. The roots of p are theirs, so p is Schur stable iff each of them is; a game of two
    independent parts has a characteristic polynomial of degree 8 that is two of degree 4."""
    _, factors = sp.factor_list(sp.expand(p))
    return [f for f, _ in factors if sp.Poly(f, lam).degree() >= 1]


def schur_cohn(p: sp.Expr, lam: sp.Symbol) -> list[sp.Expr]:
    """Polynomials D_1, ..., D_n in the parameters with: every root of ``p`` (real coefficients, degree n in
    ``lam``) lies strictly inside the unit circle iff D_k > 0 for every k (Schur-Cohn).

    Schur's transform: for p(z) = a_n z^n + ... + a_0 with |a_0| < |a_n|, the polynomial
    Tp(z) = (a_n p(z) - a_0 z^n p(1/z)) / z has degree n - 1 and is Schur stable iff p is (Schur 1917;
    Cohn 1922). With real coefficients |a_0| < |a_n| reads a_n^2 - a_0^2 > 0; the recursion gives one
    such condition per degree. Each D_k is returned factored, with positive constant factors and squares of
    non-vanishing factors left in (they do not change the sign where the parameters are generic). Where a
    D_k vanishes a root is on the circle or the recursion degenerates: the condition is then decided
    elsewhere (``unit_circle_verdict``); the set {all D_k > 0} is exact.
    """
    poly = sp.Poly(sp.expand(p), lam)
    params = sorted(poly.free_symbols - {lam}, key=str)
    if params:
        cs = [sp.Poly(c, *params) for c in poly.all_coeffs()]
        if all(c.domain.is_ZZ or c.domain.is_QQ for c in cs):
            return _schur_cohn_polys(cs)
    out = []
    while poly.degree() >= 1:
        c = poly.all_coeffs()  # highest degree first
        an, a0 = c[0], c[-1]
        out.append(sp.factor(sp.expand(an**2 - a0**2)))
        n = poly.degree()
        rev = list(reversed(c))
        # Tp(z) = (a_n p(z) - a_0 p*(z)) / z: the constant term cancels
        new = [sp.expand(an * c[k] - a0 * rev[k]) for k in range(n)]
        poly = sp.Poly(new, lam)
    return out


def schur_transform(cs: list):
    """The a_n^2 - a_0^2 of each step of Schur's transform (see :func:`schur_cohn`), for coefficients given
    highest degree first as SymPy Polys in the parameters: the recursion done in polynomial arithmetic, which
    multiplies without expanding expressions. Used by :func:`schur_cohn` and by the Schur-Cohn signs of
    :mod:`gantheory.symbolic._rho_bounds`."""
    while len(cs) > 1:
        an, a0 = cs[0], cs[-1]
        yield an**2 - a0**2
        rev = cs[::-1]
        cs = [an * cs[k] - a0 * rev[k] for k in range(len(cs) - 1)]  # Tp(z): the constant term cancels
        while len(cs) > 1 and cs[0].is_zero:  # the degree drops, as sp.Poly(coefficients, lam) has it
            cs = cs[1:]


def _schur_cohn_polys(cs: list) -> list[sp.Expr]:
    """:func:`schur_cohn` on coefficients that are polynomials in the parameters with rational coefficients
    (highest degree first), through :func:`schur_transform` (three quarters of the time on a degree-4 factor in
    two parameters went to expanding expressions). Each D_k is factored from its expanded form, as there."""
    return [sp.factor(d.as_expr()) for d in schur_transform(cs)]
