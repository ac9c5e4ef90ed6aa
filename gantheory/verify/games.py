"""Verifiers for game dynamics: spectra of Jacobians derived from the actual vector fields."""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from gantheory._claim import Evidence
from gantheory.symbolic import _atoms as A
from gantheory.symbolic import _games as G
from gantheory.symbolic._numeric import exact_in_domain, into_domain, symbol_intervals
from gantheory.symbolic._simplify import simplified

__all__ = ["spectrum", "radius_bound", "step_bound", "conserved", "simulation_outcome", "matrix_equal",
           "power_bound"]

#: Numbers substituted for the symbols when a statement is checked numerically.
SAMPLES = [
    {G.h: 0.3, G.gamma: 0.7, G.sigma: 0.9, G.fp0: 0.5, G.fpp0: -0.25},
    {G.h: 0.05, G.gamma: 2.5, G.sigma: 1.7, G.fp0: 1.3, G.fpp0: 0.4},
    {G.h: 1.1, G.gamma: 0.2, G.sigma: 0.3, G.fp0: 0.8, G.fpp0: -1.1},
]
lam = sp.Symbol("lambda")


def _name(s) -> str:
    return str(s)


def matrix_of(atom) -> sp.Matrix:
    """The SymPy matrix an atom stands for, derived from the game's field."""
    if isinstance(atom, A.FieldJac):
        return G.field_jacobian(*map(_name, atom.args))
    if isinstance(atom, A.WithValues):
        return matrix_of(atom.args[0]).subs(dict(zip(atom.args[1], atom.args[2])), simultaneous=True)
    if isinstance(atom, A.AtParams):
        return matrix_of(atom.args[0]).subs({G.gamma: atom.args[1], G.sigma: atom.args[2]})
    if isinstance(atom, A.UpdateJac):
        game, loss, reg, opt = map(_name, atom.args[:4])
        step, ng, nd, b = atom.args[4:]
        return G.update_jacobian(G.field_jacobian(game, loss, reg), opt, step, int(ng), int(nd), b)
    if isinstance(atom, (A.JacobianOf, A.HessianOf, A.AtPoint)):
        from gantheory.verify.calculus import evaluate

        return sp.Matrix(evaluate(atom))
    if isinstance(atom, sp.MatrixBase):
        return sp.Matrix(atom)
    raise TypeError(f"not a matrix atom: {atom}")


def _numeric_eigs(M: sp.Matrix, sub: dict) -> np.ndarray:
    return np.sort_complex(np.linalg.eigvals(np.array(M.subs(sub).evalf(), dtype=complex)))


def spectrum(statement: sp.Equality) -> Evidence:
    """``Spectrum(M) == (l1, l2, ...)``: the characteristic polynomial of M equals prod (x - l_i).

    M is derived from the game definition (Jacobian of the actual field, composed into the update
    operator). Numbers: eigenvalues of M with sample values of h, gamma, sigma, f'(0), f''(0).
    """
    lhs, claimed = statement.lhs, statement.rhs
    if not isinstance(lhs, A.Spectrum):
        raise TypeError("expected Spectrum(...) on the left")
    M = matrix_of(lhs.args[0])
    claimed = list(claimed)
    for sub in SAMPLES:
        got = _numeric_eigs(M, sub)
        want = np.sort_complex(np.array([complex(sp.N(c.subs(sub))) for c in claimed]))
        # compare as multisets through the monic polynomials they are the roots of
        if got.size != want.size or not np.allclose(np.poly(got), np.poly(want), rtol=1e-9, atol=1e-11):
            return Evidence(False, "numeric", "eigenvalues differ at sample parameter values",
                            {**{str(k): v for k, v in sub.items() if M.has(k) or any(c.has(k) for c in claimed)},
                             "eigenvalues": [[z.real, z.imag] for z in got],
                             "claimed": [[z.real, z.imag] for z in want]})
    char = M.charpoly(lam).as_expr()
    target = sp.prod([lam - c for c in claimed])
    if simplified(sp.expand(char - target)) == 0:
        steps = (("the matrix, derived from the game's field", sp.ImmutableMatrix(M)),
                 ("its characteristic polynomial det(lambda I - M)", sp.factor(char)),
                 ("equal to the product of (lambda - l_i) over the claimed eigenvalues", sp.factor(target)))
        return Evidence(True, "symbolic", f"characteristic polynomial {sp.factor(char)} = prod(lambda - l_i)",
                        steps=steps)
    return Evidence(True, "numeric", "eigenvalues agree at every sample; no symbolic identity found")


def matrix_equal(statement: sp.Equality) -> Evidence:
    """``M == explicit matrix``, M derived from the game."""
    M = matrix_of(statement.lhs)
    claimed = sp.Matrix(statement.rhs)
    diff = (M - claimed).applyfunc(sp.simplify)
    if diff == sp.zeros(*diff.shape):
        return Evidence(True, "symbolic", f"derived {M.tolist()}")
    sub = SAMPLES[0]
    return Evidence(False, "symbolic", f"derived {M.tolist()}",
                    {"derived": np.array(M.subs(sub).evalf(), dtype=float), "claimed":
                     np.array(claimed.subs(sub).evalf(), dtype=float), **{str(k): v for k, v in sub.items()}})


def _sign(expr) -> bool | None:
    expr = simplified(expr)
    return True if expr.is_positive else (False if expr.is_nonpositive else None)


def _symbolic_bound(M: sp.Matrix, abscissa: bool, less: bool, c) -> tuple[bool | None, str]:
    """Decide rho(M) < c / > c (or the abscissa) exactly where a criterion applies."""
    if M.shape == (2, 2) and c in (0, 1):
        tr, det = simplified(M.trace()), simplified(M.det())
        if abscissa and c == 0 and less:  # Routh-Hurwitz: Re < 0 for both iff tr < 0 and det > 0
            ok = _sign(-tr) and _sign(det)
            if ok:
                return True, f"Routh-Hurwitz: trace {tr} < 0 and det {det} > 0"
            if simplified(tr).is_nonnegative:  # the real parts sum to the trace
                return False, f"trace {tr} >= 0, so some eigenvalue has Re >= 0"
            return None, ""
        if not abscissa and c == 1 and less:  # Jury: |det| < 1 and |tr| < 1 + det
            ok = _sign(1 - det) and _sign(1 + det) and _sign(1 + det - tr) and _sign(1 + det + tr)
            return (True, f"Jury: |det {det}| < 1 and |trace {tr}| < 1 + det") if ok else (None, "")
        if not abscissa and c == 1 and not less:  # |l1 l2| = |det| > 1 forces max |l| > 1
            ok = _sign(det - 1) or _sign(-det - 1)
            return (True, f"|det| = |{det}| > 1, so some |eigenvalue| > 1") if ok else (None, "")
    if not M.free_symbols:  # the exact characteristic polynomial, its roots to 50 digits
        poly = sp.Poly(M.charpoly(lam).as_expr(), lam)
        roots = poly.nroots(n=50, maxsteps=200)
        vals = [(sp.re(r) if abscissa else sp.Abs(r)) for r in roots]
        top = max(vals)
        if abs(top - c) < sp.Float("1e-30"):  # too close for 50 digits: exact algebraic roots
            vals = [(sp.re(r) if abscissa else sp.Abs(r)).evalf(80) for r in poly.all_roots()]
            top = max(vals)
            if abs(top - c) < sp.Float("1e-70"):
                return None, "too close to call"
        verdict = (top < c) if less else (top > c)
        return bool(verdict), (f"roots of the exact characteristic polynomial {poly.as_expr()} to 50 digits: "
                               f"max {'Re' if abscissa else '|.|'} = {sp.N(top, 15)}")
    return None, ""


def radius_bound(statement: sp.Basic) -> Evidence:
    """``rho(M) < c`` or ``rho(M) > c`` (or the spectral abscissa), for the parameters' whole domain.

    Symbolic: Routh-Hurwitz / Jury conditions on trace and determinant (2x2), or the exact roots of
    the characteristic polynomial (concrete matrices). Numeric: the sign at sample parameter values.
    """
    if isinstance(statement, sp.Equality) and isinstance(statement.rhs, A.SpectralRadius) \
            and not isinstance(statement.lhs, A.SpectralRadius):
        statement = sp.Eq(statement.rhs, statement.lhs, evaluate=False)
    if isinstance(statement, sp.Equality) and isinstance(statement.lhs, A.SpectralRadius):
        # rho(M) = c: rho <= c and rho >= c, each decided as a bound (refuted where either fails)
        sides = [radius_bound(rel(statement.lhs, statement.rhs, evaluate=False))
                 for rel in (sp.LessThan, sp.GreaterThan)]
        failed = next((e for e in sides if e.holds is False), None)
        if failed is not None:
            return Evidence(False, failed.method, f"rho(M) = {statement.rhs} fails: {failed.detail}",
                            failed.counterexample, steps=failed.steps)
        if all(e.holds for e in sides):
            method = "symbolic" if all(e.method == "symbolic" for e in sides) else "numeric"
            return Evidence(True, method, f"rho(M) <= {statement.rhs} ({sides[0].detail}) and rho(M) >= "
                            f"{statement.rhs} ({sides[1].detail})", steps=sides[0].steps + sides[1].steps)
        return Evidence(None, "symbolic", "; ".join(e.detail for e in sides if e.holds is None))
    if isinstance(statement, (sp.LessThan, sp.GreaterThan)) and isinstance(statement.lhs, A.SpectralRadius):
        return _radius_bound_one_parameter(statement) or Evidence(
            None, "symbolic", "rho(M) <= c and >= c are decided exactly for a matrix of one real parameter (rational "
            "in it) and a rational c only")
    if not isinstance(statement, (sp.StrictLessThan, sp.StrictGreaterThan)):
        raise TypeError("expected rho(M) < c, <= c, > c or >= c")
    lhs, c = statement.lhs, sp.sympify(statement.rhs)
    M = matrix_of(lhs.args[0])
    less = isinstance(statement, sp.StrictLessThan)
    abscissa = isinstance(lhs, A.SpectralAbscissa)
    if not abscissa:
        exact = _radius_bound_one_parameter(statement)
        if exact is not None:
            return exact
    margin = math.inf
    for sub in [{}] + SAMPLES + _extremes(M):
        Ms = M.subs(sub)
        if Ms.free_symbols:
            continue
        params = {str(k): v for k, v in sub.items() if M.has(k)}
        exact = None if abscissa else _exact_radius_side(Ms, c)
        if exact is not None:  # rational matrix: decided exactly, rho = c included
            kind, rho = exact
            holds = kind == "inside" if less else kind == "outside"
            if not holds:
                said = {"inside": "every eigenvalue of M / {c} lies inside", "on": "an eigenvalue of M / {c} lies on, "
                        "none outside", "outside": "an eigenvalue of M / {c} lies outside"}[kind].format(c=c)
                return Evidence(False, "symbolic", f"exactly: {said} the unit circle (rational characteristic "
                                "polynomial, roots on the circle counted by Sturm)",
                                {**params, "spectral_radius": rho, "bound": float(c), "position": kind})
            continue  # a sample of the parameters (a concrete M is decided by _radius_bound_one_parameter)
        eig = _numeric_eigs(Ms, {})
        val = float(np.max(eig.real) if abscissa else np.max(np.abs(eig)))
        cn = float(c)
        margin = min(margin, abs(val - cn))
        if ((val >= cn) if less else (val <= cn)) and abs(val - cn) > 1e-12:
            return Evidence(False, "numeric", f"{'abscissa' if abscissa else 'spectral radius'} {val:.6g}",
                            {**params, "value": val, "bound": cn, "eigenvalues": [[z.real, z.imag] for z in eig]})
    verdict, why = _symbolic_bound(M, abscissa, less, c)
    if verdict is True:
        return Evidence(True, "symbolic", why)
    if verdict is False:
        ce = {"bound": float(c)}
        if not M.free_symbols:
            ce["matrix"] = np.array(M.evalf(), dtype=float)
        else:
            ce["matrix"] = str(M.tolist())
        return Evidence(False, "symbolic", why, ce)
    if margin < MARGIN:  # within rounding of the bound and no exact criterion: too close to call
        return Evidence(None, "numeric", f"the value is within {margin:.1e} of the bound at a sample and no "
                        "exact criterion applies: undecided")
    return Evidence(True, "numeric", f"holds at every sample of the parameters (margin >= {margin:.2g}; no "
                    "exact criterion applied)")


def _radius_bound_one_parameter(statement) -> Evidence | None:
    """rho(M(x)) against a rational c (<, <=, >, >=) for every x of the parameter's domain, exactly, where M has
    one free symbol and is rational in it: the eigenvalues of M / c are classified against the unit circle at
    every point where a root can cross it or two can meet, and between them
    (:func:`gantheory.symbolic._stability.radius_side`). None where that does not apply."""
    from gantheory.symbolic._stability import radius_side

    lhs, c = statement.lhs, sp.nsimplify(sp.sympify(statement.rhs))
    M = matrix_of(lhs.args[0])
    if len(M.free_symbols) > 1 or not (c.is_Rational and c > 0):
        return None
    allowed = {sp.StrictLessThan: {"inside"}, sp.LessThan: {"inside", "on"}, sp.StrictGreaterThan: {"outside"},
               sp.GreaterThan: {"outside", "on"}}[type(statement)]
    word = {"inside": f"< {c}", "on": f"= {c}", "outside": f"> {c}"}
    if not M.free_symbols:  # a concrete matrix: its one verdict, exactly
        exact = _exact_radius_side(M, c)
        if exact is None:
            return None
        kind, rho = exact
        if kind not in allowed:
            return Evidence(False, "symbolic", f"exactly: rho(M) {word[kind]} (rho = {rho:.12g})",
                            {"spectral_radius": rho, "bound": float(c), "position": kind})
        where = {"inside": "all inside", "on": "on it, none outside", "outside": "one or more outside"}[kind]
        steps = (("the matrix, derived from the game's field", sp.ImmutableMatrix(M)),
                 ("its characteristic polynomial", sp.factor(M.charpoly(lam).as_expr())),
                 (f"its roots, {where} the circle of radius {c} (counted exactly)",
                  sp.Tuple(*[sp.nsimplify(r) if r.is_rational else r for r in sp.Matrix(M).eigenvals()])))
        size = f"= {c} exactly" if kind == "on" else f"= {rho:.12g} {word[kind]}"
        return Evidence(True, "symbolic", f"exactly: rho(M) {size} (rational characteristic polynomial, roots on the "
                        "circle counted by Sturm)", steps=steps)
    (x,) = M.free_symbols
    if not all(sp.sympify(e).is_rational_function(x) for e in M):
        return None
    Mc = (M / c).applyfunc(sp.cancel)
    classified = []
    try:
        for dom in symbol_intervals(x):
            classified += [(q, kind, piece, dom) for q, kind, piece in radius_side(Mc, x, dom)]
    except (ValueError, NotImplementedError, sp.PolynomialError):
        return None
    for q, kind, piece, dom in classified:
        if any(not sp.sympify(e).subs(x, q).is_finite for e in M):
            continue  # M is undefined at a pole: nothing to claim there
        if kind not in allowed:
            eig = _numeric_eigs(M.subs(x, q), {})
            rho = float(np.max(np.abs(eig)))
            where = f"on all of {piece}, e.g. at {x} = {q}" if piece is not None else f"at {x} = {q}"
            return Evidence(False, "symbolic", f"exactly: rho(M) {word.get(kind, kind)} {where} (rho = {rho:.12g}), "
                            f"with {x} in {dom}",
                            {str(x): str(q), "spectral_radius": rho, "bound": float(c), "position": kind,
                             **({"on_interval": str(piece)} if piece is not None else {})})
    doms = " and ".join(str(d) for d in symbol_intervals(x))
    pts = sorted({q for q, _, piece, _ in classified if piece is None}, key=lambda z: float(sp.N(z, 30)))
    steps = (("the matrix, derived from the game's field", sp.ImmutableMatrix(M)),
             ("its characteristic polynomial", sp.factor(M.charpoly(lam).as_expr())),
             (f"where a root of M / {c} can cross the unit circle or two roots meet (resultant with the reversed "
              "polynomial, discriminant), in the domain", sp.FiniteSet(*pts)),
             ("the eigenvalues against the circle of radius c at each of those points and between them, exactly",
              sp.Tuple(*[sp.Tuple(q, sp.Symbol(kind)) for q, kind, _, _ in classified])))
    return Evidence(True, "symbolic", f"exactly: rho(M) {statement.rel_op} {c} for every {x} in {doms} (the "
                    "eigenvalues classified against the circle between and at every point where a root can cross "
                    "it or two meet)", steps=steps)


def _extremes(M) -> list[dict]:
    """Samples that reach where a parametric bound is tight: each parameter of M pushed to 1e-6, 1e-3, 1e3
    and 1e6 (and their negatives for a signed one), the others at the first sample."""
    out = []
    for s in sorted(M.free_symbols, key=str):
        values = (1e-6, 1e-3, 1e3, 1e6) if s.is_positive else (-1e3, -1e-3, 1e-3, 1e3)
        for v in dict.fromkeys(into_domain(s, x) for x in values):  # inside its assumed domain
            out.append({**SAMPLES[0], s: v})
    return out


#: A numeric spectral-radius check closer than this to its bound is undecided, not "checked".
MARGIN = 1e-9


def _exact_radius_side(M: sp.Matrix, c):
    """("inside" | "on" | "outside", rho) of the eigenvalues of M / c against the unit circle, exactly,
    or None where M / c is not a rational matrix."""
    from gantheory.symbolic._stability import matrix_unit_circle_verdict

    c = sp.nsimplify(c)
    if not (c.is_Rational and c > 0):
        return None
    Mc = M / c
    if not all(sp.nsimplify(e).is_Rational for e in Mc):
        return None
    try:
        v = matrix_unit_circle_verdict(Mc.applyfunc(sp.nsimplify))
    except ValueError:
        return None
    return v.kind, v.rho * float(c)


def derived_step_bound(ev: sp.Expr) -> sp.Expr:
    """The step where |1 + h lambda| crosses 1 for h > 0 (Lemma 8), solved from |1 + h lambda|^2 = 1:
    the nonzero root -2 Re(lambda) / |lambda|^2 (for Re lambda < 0 the modulus is below 1 before it)."""
    a, b = sp.re(ev), sp.im(ev)
    hh = sp.Symbol("h", positive=True)
    modulus2 = sp.expand((1 + hh * a) ** 2 + (hh * b) ** 2)
    poly = sp.Poly(modulus2 - 1, hh)  # h (|lambda|^2 h + 2 Re lambda): one nonzero root
    q, r = sp.div(poly, sp.Poly(hh, hh))
    if not r.is_zero or q.degree() != 1:
        raise ValueError(f"|1 + h lambda|^2 - 1 is not h times a linear polynomial for lambda = {ev}")
    c1, c0 = q.all_coeffs()
    return simplified(-c0 / c1)


def step_bound(statement: sp.Equality) -> Evidence:
    """``StableStepBound(lambda) == b``: derived by solving |1 + h lambda|^2 = 1 for h > 0 (Lemma 8)."""
    lhs, claimed = statement.lhs, statement.rhs
    ev = lhs.args[0]
    a, b = sp.re(ev), sp.im(ev)
    hh = sp.Symbol("h", positive=True)
    modulus2 = sp.expand((1 + hh * a) ** 2 + (hh * b) ** 2)
    roots = [r for r in sp.solve(sp.Eq(modulus2, 1), hh) if r != 0]
    rng = np.random.default_rng(3)
    syms = sorted(ev.free_symbols | claimed.free_symbols, key=str)
    for _ in range(20):
        sub = {s: into_domain(s, -rng.uniform(0.1, 3) if s.is_negative else rng.uniform(-3, 3)) for s in syms}
        lam_n = complex(sp.N(ev.subs(sub)))
        bound = float(sp.N(claimed.subs(sub)))
        inside = abs(1 + 0.999 * bound * lam_n) < 1
        outside = abs(1 + 1.001 * bound * lam_n) > 1
        if not (inside and outside):
            return Evidence(False, "numeric", "the claimed bound is not where |1 + h lambda| crosses 1",
                            {**{str(k): v for k, v in sub.items()}, "claimed_bound": bound,
                             "|1+0.999*b*lambda|": abs(1 + 0.999 * bound * lam_n),
                             "|1+1.001*b*lambda|": abs(1 + 1.001 * bound * lam_n)})
    if len(roots) == 1:
        gap = simplified(roots[0] - claimed)
        if gap == 0:
            return Evidence(True, "symbolic", f"|1 + h lambda|^2 = 1 at h = {roots[0]}; below it < 1 since "
                            "the modulus is a convex quadratic in h equal to 1 at h = 0")
        # the derivation gives one crossing and the claim is another expression: find where they differ
        for _ in range(50):
            sub = {sy: into_domain(sy, -rng.uniform(0.1, 3) if sy.is_negative else rng.uniform(-3, 3)) for sy in syms}
            d = complex(sp.N(gap.subs(sub)))
            if abs(d) > 1e-12 * (1 + abs(complex(sp.N(roots[0].subs(sub))))):
                derived = complex(sp.N(roots[0].subs(sub))).real
                return Evidence(False, "symbolic", f"the derived crossing h = {roots[0]} differs from the claim",
                                {**{str(k): v for k, v in sub.items()}, "derived": derived,
                                 "claimed": float(sp.N(claimed.subs(sub)))})
    return Evidence(True, "numeric", f"matches at random eigenvalues (derived roots {roots})")


def iteration_rate(statement: sp.Equality) -> Evidence:
    """``Eq(IterationRate(F, vars, point, r, start), True)``: the point must be a fixed point of F (exactly);
    rho(F'(point)) is derived from the Jacobian (reported). Then F is iterated in 30-digit arithmetic for
    1000 steps from 6 starting points at distance ``start`` (``near``: 1e-6) in evenly spread directions,
    and the ratio q_t = ||x_t - x*|| / (||x_0 - x*|| r^t) is watched: O(r^t) fails if it overflows or still
    grows over the second half (q_1000 > 1.05 q_500). A free symbol in r (the eps of Property 3) is
    sampled at 1/10 and 1/200."""
    import mpmath

    lhs, truth = statement.lhs, statement.rhs
    if not isinstance(lhs, A.IterationRate) or truth not in (sp.true, sp.false):
        raise TypeError("expected Eq(IterationRate(F, vars, point, r, start), True/False)")
    F, xs, pt, r, start = lhs.args
    F = sp.Matrix(F)
    at = dict(zip(xs, pt))
    moved = [simplified(F[i].subs(at) - pt[i]) for i in range(len(xs))]
    if any(m != 0 for m in moved):
        ev = Evidence(False, "symbolic", "the point is not a fixed point of F",
                      {"point": str(pt), "F(point) - point": str(moved)})
        return ev if truth == sp.true else Evidence(True, "symbolic", ev.detail)
    J = F.jacobian(list(xs)).subs(at)
    rho = float(np.max(np.abs(np.linalg.eigvals(np.array(J.evalf(30), dtype=float)))))  # reported only
    steps = (("the Jacobian of F at the fixed point", sp.ImmutableMatrix(J)),)
    radius = sp.Float("1e-6") if str(start) == "near" else sp.sympify(start)
    free = sorted(sp.sympify(r).free_symbols, key=str)
    eps_values = [sp.Rational(1, 10), sp.Rational(1, 200)] if free else [None]
    f = sp.lambdify(list(xs), list(F), "mpmath")
    T, holds, bad = 1000, True, None
    with mpmath.workdps(30):
        center = [mpmath.mpf(str(sp.N(c, 30))) for c in pt]
        for eps in eps_values:
            r_val = mpmath.mpf(str(sp.N(sp.sympify(r).subs({free[0]: eps}) if free else r, 30)))
            for k in range(6):
                angle = 2 * mpmath.pi * (k + 0.5) / 6
                d = [mpmath.cos(angle), mpmath.sin(angle)] if len(xs) == 2 else [mpmath.mpf(1) if k % 2 else -1]
                x = [center[i] + mpmath.mpf(str(sp.N(radius, 30))) * d[i] for i in range(len(xs))]
                x0_dist = mpmath.mpf(str(sp.N(radius, 30)))
                q_half = None
                for t in range(1, T + 1):
                    x = [mpmath.mpf(v) for v in f(*x)]
                    dist = mpmath.sqrt(sum((x[i] - center[i]) ** 2 for i in range(len(xs))))
                    q = dist / (x0_dist * r_val**t)
                    if not mpmath.isfinite(q) or q > 1e12:
                        holds, bad = False, {"eps": str(eps), "start": [float(v) for v in d], "step": t,
                                             "ratio": "overflow" if not mpmath.isfinite(q) else float(q)}
                        break
                    if t == T // 2:
                        q_half = q
                if holds and q > 1.05 * q_half:
                    holds, bad = False, {"eps": str(eps), "start_direction": [float(v) for v in d],
                                         "ratio_at_500": float(q_half), "ratio_at_1000": float(q)}
                if not holds:
                    break
            if not holds:
                break
    where = f"rho(F'(x*)) = {float(rho):.6g}"
    if holds == (truth == sp.true):
        return Evidence(True, "numeric", f"{where}; the ratio ||x_t - x*|| / r^t stays bounded and stops growing "
                        "from every start" if holds else f"{where}; the ratio to r^t grows", steps=steps)
    detail = f"{where}; ||x_t - x*|| / r^t keeps growing" if not holds else f"{where}; the rate holds"
    return Evidence(False, "numeric", detail, bad or {"rho": float(rho)}, steps=steps)


def conserved(statement: sp.Equality) -> Evidence:
    """``LieDerivative(H, FieldOf(...)) == 0``: grad H . v simplifies to 0; an ODE solve agrees."""
    from scipy.integrate import solve_ivp

    lhs = statement.lhs
    H, fld = lhs.args
    v = G.field(*map(_name, fld.args))
    vs = [simplified(c) for c in v]
    lie = simplified(sp.diff(H, G.theta) * vs[0] + sp.diff(H, G.psi) * vs[1])
    fn = sp.lambdify([G.theta, G.psi], vs, "numpy")
    Hn = sp.lambdify([G.theta, G.psi], H, "numpy")
    sol = solve_ivp(lambda t, x: fn(x[0], x[1]), (0.0, 30.0), [1.0, 0.5], rtol=1e-11, atol=1e-12)
    drift = float(np.max(np.abs(Hn(sol.y[0], sol.y[1]) - Hn(1.0, 0.5))))
    if simplified(lie - statement.rhs) == 0:
        if drift > 1e-6:
            return Evidence(None, "symbolic", f"symbolic 0 but the ODE drifts by {drift}")
        return Evidence(True, "symbolic", f"grad H . v = 0; along an ODE solution H drifts {drift:.1e}")
    return Evidence(False, "numeric", f"dH/dt = {lie}",
                    {"theta(0)": 1.0, "psi(0)": 0.5, "t_end": 30.0, "H(0)": float(Hn(1.0, 0.5)),
                     "H(t_end)": float(Hn(sol.y[0][-1], sol.y[1][-1]))})


def simulation_outcome(statement: sp.Equality) -> Evidence:
    """``Converges(...) == true/false``: run the batched simulator from 16 points near the equilibrium.

    Converged: every trajectory ends within 1e-6 of the equilibrium after 20000 steps.
    """
    from gantheory.engine._dynamics import simulate

    game, loss, opt, step, nd, clip = statement.lhs.args
    rng = np.random.default_rng(5)
    th, ps = rng.normal(size=16) * 0.1, rng.normal(size=16) * 0.1
    sim = simulate(th, ps, float(step), game=str(game), loss=str(loss), optimizer=str(opt), steps=20000,
                   n_d=int(nd), clip=None if clip == sp.oo else float(clip))
    converged = bool(np.all(sim.distance < 1e-6))
    claimed = bool(statement.rhs)
    if converged == claimed:
        return Evidence(True, "numeric", f"final distances in [{sim.distance.min():.2g}, {sim.distance.max():.2g}]")
    i = int(np.argmax(sim.distance)) if claimed else int(np.argmin(sim.distance))
    return Evidence(False, "numeric", "the simulation says otherwise",
                    {"theta0": th[i], "psi0": ps[i], "steps": 20000, "final_distance": float(sim.distance[i]),
                     "diverged": bool(sim.diverged[i])})


#: Values tried for a free parameter of the matrix in ``PowerBound`` (0 makes a Jordan block diagonal).
POWER_SAMPLES = (0, 1, -2, sp.Rational(1, 3), 5)


def _power_bound_exact(M: sp.Matrix, r) -> tuple[bool, str, dict]:
    """||M^k|| = O(r^k) for a matrix with exact entries, decided from its Jordan form: iff r > rho,
    or r = rho and every eigenvalue of modulus rho has only 1 x 1 Jordan blocks (a block of size m
    makes ||M^k|| ~ k^(m-1) rho^k)."""
    _, Jf = M.jordan_form()
    blocks = []  # (eigenvalue, size)
    i, n = 0, Jf.shape[0]
    while i < n:
        size = 1
        while i + size < n and Jf[i + size - 1, i + size] == 1 and Jf[i + size, i + size] == Jf[i, i]:
            size += 1
        blocks.append((Jf[i, i], size))
        i += size
    rho = max(sp.Abs(lam) for lam, _ in blocks)
    gap = simplified(r - rho)
    if gap.is_positive:
        return True, f"r - rho = {gap} > 0: ||M^k|| <= C k^(m-1) rho^k = o(r^k)", {}
    sizes = [m for lam, m in blocks if simplified(sp.Abs(lam) - rho) == 0]
    # numbers: ||M^k|| / r^k at growing k (a symbol in r, such as eps > 0, at a sample value 1/10)
    r_num = r.subs({sym: sp.Rational(1, 10) for sym in r.free_symbols})
    ratios = {"r": float(sp.N(r_num))}
    for k in (10, 100, 1000):
        val = float(sp.N(r_num)) ** k
        norm = float(np.linalg.norm(np.array(sp.N(M**k, 30).tolist(), dtype=float), 2))
        ratios[f"||M^{k}|| / r^{k}"] = norm / val if val > 0 else math.inf
    if gap.is_negative:
        return (False, f"r < rho = {rho}: along an eigenvector ||M^k v|| = rho^k ||v||",
                {"rho": float(sp.N(rho)), **ratios})
    if gap == 0 and max(sizes) == 1:
        return (True, f"r = rho = {rho} and the eigenvalues of modulus rho are semisimple: ||M^k|| <= C rho^k",
                {})
    if gap == 0:
        return False, (f"r = rho = {rho} but an eigenvalue of modulus rho has a Jordan block of size {max(sizes)}: "
                       f"||M^k|| ~ k^{max(sizes) - 1} rho^k is not O(rho^k)"), {"jordan_block": max(sizes), **ratios}
    raise ValueError(f"cannot compare r = {r} with rho = {rho}")


def power_bound(statement: sp.Equality) -> Evidence:
    """``Eq(PowerBound(M, r), True)``: decided exactly from the Jordan form of M (a free parameter of M
    is tried at several values; a free parameter of r must carry its sign, e.g. eps > 0)."""
    lhs, claimed = statement.lhs, statement.rhs
    if not isinstance(lhs, A.PowerBound) or claimed not in (sp.true, sp.false):
        raise TypeError("expected Eq(PowerBound(M, r), True/False)")
    M, r = sp.Matrix(lhs.args[0]), lhs.args[1]
    params = sorted(M.free_symbols, key=str)
    samples = [v for v in POWER_SAMPLES if not params or exact_in_domain(v, params[0])]  # inside its domain
    subs_list = [{}] if not params else [{params[0]: val} for val in samples]
    if len(params) > 1:
        raise TypeError("PowerBound: at most one free parameter in the matrix")
    proofs = []
    for sub in subs_list:
        holds, why, numbers = _power_bound_exact(M.subs(sub), r)
        if holds != bool(claimed):
            return Evidence(False, "symbolic", why, {**{str(k): v for k, v in sub.items()},
                                                   "matrix": str(M.subs(sub).tolist()), **numbers})
        proofs.append(why)
    if params and not any(sp.sympify(lam).has(params[0]) for lam in M.eigenvals()) and all(
            p.startswith("r - rho") for p in proofs):
        # the spectrum does not depend on the parameter and r > rho: the argument holds for every value
        return Evidence(True, "symbolic", proofs[0] + f", for every {params[0]} (the eigenvalues do not depend on it)")
    scope = f" for {params[0]} in {[str(v) for v in samples]}" if params else ""
    return Evidence(True, "symbolic" if not params else "numeric", "; ".join(sorted(set(proofs))) + scope)
