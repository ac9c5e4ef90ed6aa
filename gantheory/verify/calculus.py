"""Verifiers for calculus on update operators, conservative fields, stable parameter sets and games.

Every verifier computes the object its statement names (a Jacobian by differentiating the map, a
potential by integrating the field, a stable set from the characteristic polynomial, an equilibrium
by best responses) and compares the result with the claim.
"""

from __future__ import annotations

import functools
import itertools
from fractions import Fraction

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from gantheory._claim import Evidence
from gantheory.symbolic import _atoms as A
from gantheory.symbolic._simplify import simplified
from gantheory.symbolic._stability import stable_set as _stable_set

__all__ = ["calculus_identity", "conservative", "stable_set", "pure_nash", "game_value", "idealized_pne",
           "evaluate", "set_identity", "nash_point", "norm_radius",
           "spectrum_identity", "f_generator", "box_max",
           "local_nash_eigen", "halving_steps",
           "matrix_logic", "field_zeros", "optimal_parameter"]


def evaluate(expr):
    """Replace every calculus or game atom in ``expr`` by the matrix it stands for (bottom-up)."""
    from gantheory.verify.games import matrix_of

    def rep(e):
        if isinstance(e, A.JacobianOf):
            return sp.ImmutableMatrix(sp.Matrix(e.args[0]).jacobian(list(e.args[1])))
        if isinstance(e, A.HessianOf):
            return sp.ImmutableMatrix(sp.hessian(e.args[0], list(e.args[1])))
        if isinstance(e, A.AtPoint):
            return e.args[0].subs(dict(zip(e.args[1], e.args[2])))
        if isinstance(e, A.ConjugateAt):
            from gantheory.symbolic._fgan import derive_conjugate, t

            star, _ = derive_conjugate(e.args[0].expr.subs(e.args[0].variables[0], sp.Symbol("u", positive=True)))
            return star.subs(t, e.args[1])
        if isinstance(e, A.Solutions):
            return sp.solveset(e.args[0].doit(), e.args[1], sp.S.Reals)
        if isinstance(e, A.LocalMinimizers):
            L, x = e.args
            crit = sp.Poly(sp.diff(L, x), x).real_roots()
            return sp.FiniteSet(*[c for c in crit if _local_min_at_zero(sp.expand(L.subs(x, x + c)), x)])
        if isinstance(e, (A.FieldJac, A.UpdateJac, A.AtParams)):
            return sp.ImmutableMatrix(matrix_of(e))
        if isinstance(e, A.PointMassTarget):  # E over uniform point masses: the averages
            f_, g_, d_, zs, xs = e.args
            return (sum(f_(d_(g_(z))) for z in zs) / len(zs) + sum(f_(-d_(x)) for x in xs) / len(xs))
        return e

    atoms = (A.JacobianOf, A.HessianOf, A.AtPoint, A.FieldJac, A.UpdateJac, A.AtParams, A.Solutions,
             A.ConjugateAt, A.LocalMinimizers, A.PointMassTarget)
    if isinstance(expr, sp.MatrixBase):
        return expr.applyfunc(evaluate)
    # a Jacobian wanted at a point: forward-mode differentiation there (below) instead of differentiating a
    # composed map symbolically everywhere and then substituting
    expr = expr.replace(lambda e: isinstance(e, A.AtPoint) and isinstance(e.args[0], A.JacobianOf)
                        and not e.args[0].args[0].has(*atoms), _jacobian_at_point)
    return expr.replace(lambda e: isinstance(e, atoms), rep)


def _jacobian_at_point(e):
    """AtPoint(JacobianOf(M, xs), ys, point) by forward-mode differentiation over M's common subexpressions
    (SymPy's cse): each intermediate's value and derivatives in xs are evaluated at the point as they are
    built, so a composed update map (a step applied to the previous step, nested several times) costs one
    pass over its DAG instead of a symbolic derivative of an exponentially large tree. Exactly the same
    matrix as differentiating and then substituting (the chain rule, evaluated in order)."""
    jac, ys, point = e.args
    M, xs = sp.Matrix(jac.args[0]), list(jac.args[1])
    at = dict(zip(ys, point))
    reps, reduced = sp.cse(list(M))
    vals, ders = {}, {}

    def value_and_grad(expr):
        sub = {**at, **vals}
        inner = [s for s in expr.free_symbols if s in vals]
        partials = {s_: sp.diff(expr, s_).xreplace(sub) for s_ in inner}  # once, not once per x
        grad = [sp.diff(expr, x).xreplace(sub) + sum(partials[s_] * ders[s_][k] for s_ in inner)
                for k, x in enumerate(xs)]
        return expr.xreplace(sub), grad

    for sym, sub_expr in reps:
        vals[sym], ders[sym] = value_and_grad(sub_expr)
    rows = [value_and_grad(r)[1] for r in reduced]
    return sp.ImmutableMatrix(sp.Matrix(M.rows * M.cols, len(xs), lambda i, j: rows[i][j]))


def _as_matrix(e):
    e = e.doit() if hasattr(e, "doit") else e
    return sp.Matrix(e) if isinstance(e, (sp.MatrixBase, sp.MatrixExpr)) else sp.Matrix([[e]])


def _random_polynomial(rng, k: int):
    """A Lambda of k variables: a dense polynomial of total degree <= 3 with small rational coefficients."""
    xs = sp.symbols(f"u0:{k}")
    terms = [sp.Mul(*[x**e for x, e in zip(xs, exps)]) for exps in itertools.product(range(4), repeat=k)
             if sum(exps) <= 3]
    coeffs = [sp.Rational(int(rng.integers(-9, 10)), int(rng.integers(1, 5))) for _ in terms]
    return sp.Lambda(xs, sum(c * t for c, t in zip(coeffs, terms)))


def _random_value(rng, sym, small: bool = False):
    """A random rational for ``sym`` (positive if it is); ``small``: within [-2, 2], for expressions where
    exponentials of random polynomials would otherwise need thousands of digits to evaluate."""
    def signed(v):  # the sign the assumptions require, else a random one
        if sym.is_positive or sym.is_nonnegative:
            return v
        if sym.is_negative or sym.is_nonpositive:
            return -v
        return v if rng.random() < 0.5 else -v

    if sym.is_integer:
        return signed(sp.Integer(int(rng.integers(1, 12))))
    return signed(sp.Rational(int(rng.integers(1, 9)), 4) if small else sp.Rational(int(rng.integers(1, 40)),
                                                                                      int(rng.integers(1, 9))))


def _instantiate(lhs, rhs, rng, evaluated=None):
    """Replace each undefined function by a random polynomial and each symbol by a random rational.
    ``evaluated``: the sides with their atoms already evaluated (functions general), so that an instance only
    substitutes (and differentiates the polynomials where a derivative of a function was left)."""
    funcs = {a.func: len(a.args) for a in (lhs.atoms(AppliedUndef) | rhs.atoms(AppliedUndef))}
    fsub = {F: _random_polynomial(rng, k) for F, k in funcs.items()}
    if evaluated is not None:
        L, Rr = evaluated
        for F, lam in fsub.items():
            L, Rr = L.replace(F, lam), Rr.replace(F, lam)
        if fsub:
            L, Rr = (M.applyfunc(lambda e: e.doit() if e.has(sp.Derivative, sp.Subs) else e) for M in (L, Rr))
    else:
        L, Rr = lhs, rhs
        for F, lam in fsub.items():
            L, Rr = L.replace(F, lam), Rr.replace(F, lam)
        L, Rr = _as_matrix(evaluate(L)), _as_matrix(evaluate(Rr))
    syms = sorted(L.free_symbols | Rr.free_symbols, key=str)
    small = bool(fsub) and (L.has(sp.exp) or Rr.has(sp.exp))
    vals = {s: _random_value(rng, s, small) for s in syms}
    return _at(L, vals), _at(Rr, vals), {str(F): str(lam.expr) for F, lam in fsub.items()}, vals


def _at(M, vals):
    """M at the values: a structural replacement (fast), or SymPy's ``subs`` where a derivative, a
    substitution or an integral is left whose bound variables a structural replacement could touch."""
    out = M.xreplace(vals)
    return M.subs(vals) if out.has(sp.Subs, sp.Derivative, sp.Integral) else out


def _evaluated(lhs, rhs):
    """Both sides with their atoms evaluated while the functions are general, or None where that cannot be done
    (an atom that needs concrete functions, e.g. to solve for an equilibrium): each instance then evaluates
    after substituting its polynomials."""
    general = lhs.atoms(AppliedUndef) | rhs.atoms(AppliedUndef)
    other = (A.FieldJac, A.UpdateJac, A.AtParams, A.Solutions, A.ConjugateAt, A.LocalMinimizers, A.PointMassTarget)
    if general and (lhs.has(*other) or rhs.has(*other)):  # solving or deriving from a general f: per instance
        return None
    try:
        el, er = _as_matrix(evaluate(lhs)), _as_matrix(evaluate(rhs))
    except Exception:  # noqa: BLE001 - any failure: fall back to evaluating each instance
        return None
    if any(e.has(A.JacobianOf, A.HessianOf, A.AtPoint, *other) for M in (el, er) for e in M):
        return None
    return el, er


def _shown(M) -> str:
    """A side's value for a counterexample: a scalar as itself (a 1 x 1 matrix printed as [[3/20]] was read as
    a matrix), a matrix as its rows."""
    return str(M[0, 0]) if M.shape == (1, 1) else str(M.tolist())


def calculus_identity(statement: sp.Equality) -> Evidence:
    """``lhs == rhs`` where the sides may contain ``JacobianOf``, ``HessianOf``, ``AtPoint``, game
    matrix atoms and undefined functions (a general loss L, a general field v).

    Refutation: the undefined functions are replaced by random polynomials with rational coefficients
    and the symbols by random rationals, so the comparison at those values is exact. Proof: the
    difference of the evaluated sides simplifies to zero with the functions left general.
    """
    lhs, rhs = statement.lhs, statement.rhs
    rng = np.random.default_rng(61)
    evaluated = _evaluated(lhs, rhs)

    def differs(count):  # the first of ``count`` random polynomial instances on which the sides differ
        for _ in range(count):
            L, Rr, funcs, vals = _instantiate(lhs, rhs, rng, evaluated)
            if L.shape != Rr.shape:
                return Evidence(False, "symbolic", f"the sides have shapes {L.shape} and {Rr.shape}",
                                {"lhs_shape": list(L.shape), "rhs_shape": list(Rr.shape)})
            # exact inputs: evalf gives 40 correct digits of each entry (no simplification needed to see a gap)
            diff = [sp.N(e, 40) if not e.is_Rational else e for e in (L - Rr)]
            if any(d != 0 and abs(d) > 1e-30 for d in diff):
                return Evidence(False, "symbolic", "the sides differ on a polynomial instance",
                                {**funcs, **{str(k): str(v) for k, v in vals.items()},
                                 "lhs": _shown(L), "rhs": _shown(Rr)})
        return None

    # one instance first (it refutes a wrong identity cheaply); then the proof, which needs no more
    # instances when it closes; the other five instances only where it does not
    found = differs(1)
    if found is not None:
        return found
    el, er = evaluated if evaluated is not None else (_as_matrix(evaluate(lhs)), _as_matrix(evaluate(rhs)))
    D = (el - er).applyfunc(lambda e: simplified(e.doit()))
    steps = (("the left side, evaluated", _step_value(el)), ("the right side, evaluated", _step_value(er)),
             ("their difference, simplified", _step_value(D)))
    if D.is_zero_matrix:
        return Evidence(True, "symbolic", "the evaluated sides agree identically (general functions)", steps=steps)
    hyperbolic = (sp.tanh, sp.sinh, sp.cosh, sp.coth, sp.sech, sp.csch)
    if any(e.has(*hyperbolic) for e in D):  # tanh(x) = 2 sigma(2x) - 1: simplify keeps tanh and exp apart
        De = D.applyfunc(lambda e: simplified(e.rewrite(sp.exp)))
        if De.is_zero_matrix:
            return Evidence(True, "symbolic", "the evaluated sides agree identically (the hyperbolic functions written "
                            "with exp)", steps=steps + (("their difference with exp, simplified", _step_value(De)),))
    found = differs(5)
    if found is not None:
        return found
    if D.shape == (1, 1):  # kinks and jumps (Max, Abs, Heaviside): decided branch by branch in one variable
        piecewise = _piecewise_zero(D[0, 0])
        if piecewise is not None:
            return piecewise
    return Evidence(True, "numeric", "equal, exactly, on 6 random polynomial instances", steps=steps)


_KINKS = (sp.Max, sp.Min, sp.Abs, sp.Heaviside, sp.sign, sp.Piecewise)


def _piecewise_zero(d) -> Evidence | None:
    """Whether d(x) = 0 for every x of its one real symbol's domain, where d has kinks or jumps: d rewritten as
    one Piecewise, each branch taken on the part of the domain where it applies (its condition as a set, minus
    the earlier branches'), and a branch that is not 0 there refutes at an exact point of that part (Max(x,
    -1000) = x at x = -1001: the random instances never went below -1000). None where this does not apply."""
    from gantheory.symbolic._numeric import branch_regions, exact_in_domain
    from gantheory.symbolic._stability import _rational_between

    free = d.free_symbols
    if len(free) != 1 or not d.has(*_KINKS, sp.floor, sp.ceiling, sp.frac):
        return None
    (x,) = free
    if not x.is_real:
        return None
    if d.has(sp.floor, sp.ceiling, sp.frac):  # no Piecewise form: far and half-integer values, exactly
        for k in range(16):
            for pt in (sp.Integer(10) ** k, -sp.Integer(10) ** k, sp.Integer(10) ** k + sp.Rational(1, 2),
                       -sp.Integer(10) ** k - sp.Rational(1, 2)):
                if exact_in_domain(pt, x):
                    val = simplified(d.subs(x, pt))
                    if val.is_number and val != 0 and val.is_finite:
                        return Evidence(False, "symbolic", f"the sides differ by {val} at {x} = {pt}",
                                        {str(x): str(pt), "lhs_minus_rhs": str(val)})
        return None
    got = branch_regions(d, x)
    if got is None:
        return None
    folded, pieces = got
    for expr, parts in pieces:
        if simplified(expr) == 0:
            continue
        for part in parts:
            if isinstance(part, sp.FiniteSet):
                pts = list(part)
            elif isinstance(part, sp.Interval):
                mid = _rational_between(part.inf, part.sup)
                pts = [mid, _rational_between(part.inf, mid), _rational_between(mid, part.sup)]
            else:
                return None
            vals = [simplified(d.subs(x, pt)) for pt in pts]
            for pt, val in zip(pts, vals):
                if val.is_number and val != 0 and val.is_finite:
                    return Evidence(False, "symbolic", f"the sides differ by {val} at {x} = {pt}, on the piece "
                                    f"{part} where the difference is {expr}",
                                    {str(x): str(pt), "lhs_minus_rhs": str(val)})
            if not (isinstance(part, sp.FiniteSet) and all(v == 0 for v in vals)):
                return None  # a branch not shown to vanish on an interval, and no point where it does not
    return Evidence(True, "symbolic", "the difference, written as one Piecewise, vanishes on every piece of the "
                    "domain", steps=(("the difference as one Piecewise", folded),))


def _step_value(M):
    """A 1 x 1 matrix as its entry (a scalar identity reads as one)."""
    M = sp.ImmutableMatrix(M)
    return M[0, 0] if M.shape == (1, 1) else M


def conservative(statement: sp.Equality) -> Evidence:
    """``Eq(Conservative(v, vars), True/False)``: v is a gradient field iff its Jacobian is symmetric
    (Poincare lemma on R^n). When it is, a potential f is built by integrating v along rays from 0 and
    grad f = v is checked; when it is not, a point where dv_i/dx_j != dv_j/dx_i is reported."""
    lhs, claimed = statement.lhs, statement.rhs
    if not isinstance(lhs, A.Conservative) or claimed not in (sp.true, sp.false):
        raise TypeError("expected Eq(Conservative(v, vars), True/False)")
    v, xs = sp.Matrix(lhs.args[0]), list(lhs.args[1])
    J = v.jacobian(xs)
    skew = (J - J.T).applyfunc(lambda e: simplified(e.doit()))
    if not skew.is_zero_matrix:
        rng = np.random.default_rng(5)
        for _ in range(20):
            pt = {x: _random_value(rng, x) for x in xs}
            num = skew.subs(pt).applyfunc(sp.simplify)
            nz = [(i, j) for i in range(num.rows) for j in range(num.cols) if i < j and num[i, j] != 0]
            if nz:
                i, j = nz[0]
                found = {"point": {str(k): str(val) for k, val in pt.items()},
                         f"dv{i + 1}/d{xs[j]}": str(J[i, j].subs(pt)), f"dv{j + 1}/d{xs[i]}": str(J[j, i].subs(pt))}
                if claimed == sp.false:
                    return Evidence(True, "symbolic", "the Jacobian is not symmetric: no potential", )
                return Evidence(False, "symbolic", "the Jacobian of v is not symmetric, so v has no potential", found)
        return Evidence(None, "symbolic", "asymmetric Jacobian but no point found where it shows")
    t = sp.Dummy("t")
    f = sp.integrate(sum(vi.subs({x: t * x for x in xs}, simultaneous=True) * x for vi, x in zip(v, xs)), (t, 0, 1))
    grad = sp.Matrix([sp.diff(f, x) for x in xs])
    ok = (grad - v).applyfunc(lambda e: simplified(e.doit())).is_zero_matrix
    why = f"v = grad f with f = {simplified(f)}" if ok else "the Jacobian of v is symmetric (Poincare lemma on R^n)"
    if claimed == sp.true:
        return Evidence(True, "symbolic", why)
    return Evidence(False, "symbolic", why, {"potential": str(simplified(f)) if ok else "exists (symmetric Jacobian)"})


def _sample_values(M, x) -> list[dict]:
    others = sorted(M.free_symbols - {x}, key=str)
    if not others:
        return [{}]
    vals = (sp.Integer(1), sp.Rational(1, 3), sp.Rational(5, 2))
    return [{s: v for s in others} for v in vals]


def stable_set(statement: sp.Equality) -> Evidence:
    """``Eq(StableSet(M, x, domain), S)``: the set of x where rho(M(x)) < 1, derived exactly from the
    characteristic polynomial (:func:`gantheory.symbolic._stability.stable_set`), equals S.

    Other symbols of M (and of S) are given the values 1, 1/3, 5/2 in turn (the claim is then
    "checked" for those values); with none the comparison is a proof. A point where the derived
    and the claimed sets differ is the counterexample, with the verdict for rho there.
    """
    lhs, claimed = statement.lhs, statement.rhs
    if not isinstance(lhs, A.StableSet):
        raise TypeError("expected Eq(StableSet(M, x, domain), set)")
    M0, x, dom = evaluate(lhs.args[0]), lhs.args[1], lhs.args[2]
    M0 = sp.Matrix(M0)
    subs_list = _sample_values(M0, x)
    for sub in subs_list:
        S = sp.sympify(claimed).subs(sub)
        ends = [e for e in S.boundary] if S != sp.S.EmptySet else []
        derived, samples = _stable_set(M0.subs(sub), x, dom.subs(sub), extra_points=ends)
        for pt, kind in samples:
            inside = kind == "inside"
            said = bool(S.contains(pt))
            if inside != said:
                return Evidence(False, "symbolic", f"derived stable set {derived}; claimed {S}",
                                {**{str(k): str(v) for k, v in sub.items()}, str(x): str(pt),
                                 "roots": kind, "in_claimed_set": said, "derived_set": str(derived)})
    if len(subs_list) == 1 and not subs_list[0]:
        lam = sp.Symbol("lambda")
        polys = sp.factor(M0.charpoly(lam).as_expr())
        steps = (("the update operator's Jacobian", sp.ImmutableMatrix(M0)),
                 ("its characteristic polynomial", polys),
                 ("where the roots cross the unit circle, and one point between crossings, classified exactly",
                  sp.FiniteSet(*sorted({pt for pt, _ in samples}, key=lambda q: float(sp.N(q))))),
                 ("the points where every root is strictly inside the unit circle", derived))
        return Evidence(True, "symbolic", f"stable set derived exactly: {derived}", steps=steps)
    return Evidence(True, "numeric", f"stable set derived exactly at {len(subs_list)} values of "
                    f"{', '.join(sorted(map(str, subs_list[0])))}; for example {derived}")


# -- games -----------------------------------------------------------------------------------------

def _pne(A_, B_):
    Am, Bm = sp.Matrix(A_), sp.Matrix(B_)
    out = []
    for i in range(Am.rows):
        for j in range(Am.cols):
            if Am[i, j] >= max(Am[:, j]) and Bm[i, j] >= max(Bm[i, :]):
                out.append((i, j))
    return out


def pure_nash(statement: sp.Equality) -> Evidence:
    """``Eq(PureNash(A, B, rows, cols), {(row, col), ...})``: the pure equilibria found by checking every
    unilateral deviation, exactly."""
    lhs, claimed = statement.lhs, statement.rhs
    if not isinstance(lhs, A.PureNash):
        raise TypeError("expected Eq(PureNash(A, B, rows, cols), FiniteSet(...))")
    A_, B_, rows, cols = lhs.args
    found = {sp.Tuple(rows[i], cols[j]) for i, j in _pne(A_, B_)}
    want = set(claimed) if claimed != sp.S.EmptySet else set()
    if found == want:
        return Evidence(True, "symbolic",
                        f"pure equilibria {', '.join(sorted(map(str, found))) or 'none'} (every deviation checked)")
    Am, Bm = sp.Matrix(A_), sp.Matrix(B_)
    extra = sorted(want - found, key=str)
    if extra:
        r, c = extra[0]
        i, j = list(rows).index(r), list(cols).index(c)
        bi = max(range(Am.rows), key=lambda k: Am[k, j])
        bj = max(range(Am.cols), key=lambda k: Bm[i, k])
        dev = ({"row_deviates_to": str(rows[bi]), "row_payoff": str(Am[i, j]), "after": str(Am[bi, j])}
               if Am[bi, j] > Am[i, j] else
               {"column_deviates_to": str(cols[bj]), "column_payoff": str(Bm[i, j]), "after": str(Bm[i, bj])})
        return Evidence(False, "symbolic", f"{(str(r), str(c))} is not an equilibrium", {"profile": str((r, c)), **dev})
    missing = sorted(found - want, key=str)[0]
    return Evidence(False, "symbolic", f"{missing} is an equilibrium the claim leaves out",
                    {"profile": str(missing), "equilibria": sorted(map(str, found))})


def _mixed_value(M: sp.Matrix):
    """(value, x, y) of min_x max_y x^T M y over mixed strategies, certified exactly: the LP optima of
    both players (HiGHS) are rounded to rationals and checked to give equal upper and lower bounds."""
    from scipy.optimize import linprog

    m, n = M.shape
    Mf = np.array(M.tolist(), dtype=float)
    # x player: minimize v s.t. (x^T M)_j <= v, sum x = 1
    rx = linprog(np.r_[np.zeros(m), 1.0], A_ub=np.c_[Mf.T, -np.ones(n)], b_ub=np.zeros(n),
                 A_eq=np.r_[np.ones(m), 0.0][None, :], b_eq=[1.0], bounds=[(0, None)] * m + [(None, None)],
                 method="highs")
    ry = linprog(np.r_[np.zeros(n), -1.0], A_ub=np.c_[-Mf, np.ones(m)], b_ub=np.zeros(m),
                 A_eq=np.r_[np.ones(n), 0.0][None, :], b_eq=[1.0], bounds=[(0, None)] * n + [(None, None)],
                 method="highs")
    if rx.status != 0 or ry.status != 0:
        raise ValueError(f"HiGHS did not solve the game: {rx.message} / {ry.message}")

    def rational(p):
        q = [sp.Rational(str(Fraction(float(max(v, 0.0))).limit_denominator(10**6))) for v in p]
        s = sum(q)
        return [c / s for c in q]

    x, y = rational(rx.x[:m]), rational(ry.x[:n])
    upper = max((sp.Matrix([x]) * M)[0, j] for j in range(n))
    lower = min((M * sp.Matrix(y))[i, 0] for i in range(m))
    return upper, lower, x, y


def _game_value(atom):
    M, order, kind = sp.Matrix(atom.args[0]), str(atom.args[1]), str(atom.args[2])
    if kind == "pure":
        if order == "minmax":
            return min(max(M[i, :]) for i in range(M.rows)), {}
        return max(min(M[:, j]) for j in range(M.cols)), {}
    upper, lower, x, y = _mixed_value(M)
    if upper != lower:
        raise ValueError(f"the rounded LP strategies bracket the value in [{lower}, {upper}], not exactly")
    return upper, {"x": [str(c) for c in x], "y": [str(c) for c in y]}


def game_value(statement: sp.Equality) -> Evidence:
    """``Eq(GameValue(...), GameValue(...) or number)``: pure values by enumeration; mixed values from
    both players' linear programs (HiGHS), certified exactly (equal rational upper and lower bounds)."""
    sides, info = [], {}
    for side in (statement.lhs, statement.rhs):
        if isinstance(side, A.GameValue):
            val, strat = _game_value(side)
            info.update({f"{side.args[1]}_{side.args[2]}": str(val), **strat})
            sides.append(val)
        else:
            sides.append(sp.sympify(side))
    if simplified(sides[0] - sides[1]) == 0:
        said = "; ".join(f"{k} = ({', '.join(v)})" if isinstance(v, list) else f"{k} = {v}" for k, v in info.items())
        return Evidence(True, "symbolic", f"both sides equal {sides[0]} ({said})")
    return Evidence(False, "symbolic", f"{sides[0]} != {sides[1]}",
                    {"lhs": str(sides[0]), "rhs": str(sides[1]), **info})


# -- seed 003's idealized game ---------------------------------------------------------------------

def _best_discriminator(r_data: sp.Lambda, r_g: sp.Lambda):
    """D*(a, b) maximizing a r_data(D) + b r_g(D) over D in (0, 1), in closed form (first-order
    condition, with the second derivative negative there)."""
    a, b = sp.symbols("a b", positive=True)
    d = sp.Symbol("D", positive=True)
    obj = a * r_data(d) + b * r_g(d)
    crit = [c for c in sp.solve(sp.diff(obj, d), d)]
    crit = [c for c in crit if simplified(sp.diff(obj, d, 2).subs(d, c)).is_negative]
    if len(crit) != 1:
        raise ValueError(f"no unique interior maximizer of {obj} in D: {crit}")
    return sp.Lambda((a, b), simplified(crit[0]))


def idealized_pne(statement: sp.Equality) -> Evidence:
    """``Eq(IdealizedPNE(r_data, r_g), Tuple(p_g, D))``: the claimed pair is the unique PNE.

    D's best response is derived in closed form; on random data distributions (4 cells) the claimed
    pair is checked to be a PNE (D is a best response, and no generator deviation lowers its payoff),
    and 400 other generators each with D's best response are checked not to be (the generator gains
    by moving mass to the cell with the best payoff)."""
    lhs, claimed = statement.lhs, statement.rhs
    r_data, r_g = lhs.args
    Dstar = _best_discriminator(r_data, r_g)
    Dn = sp.lambdify(Dstar.variables, Dstar.expr, "numpy")
    rg = sp.lambdify(r_g.variables, r_g.expr, "numpy")
    pg_claim, d_claim = claimed
    rng = np.random.default_rng(83)
    for trial in range(5):
        p = rng.dirichlet(np.ones(4))
        if pg_claim not in (A.p_data, sp.Symbol("p_uniform")):
            raise TypeError("IdealizedPNE: the generator is claimed as p_data or p_uniform")
        pg = p if pg_claim == A.p_data else np.full(4, 0.25)
        dsym = sp.sympify(d_claim)
        dval = np.array([float(dsym.subs({A.p_data: p[i], A.p_g: pg[i]})) for i in range(4)])
        br = Dn(p, pg)
        if not np.allclose(dval, br, rtol=1e-12, atol=1e-14):
            return Evidence(False, "numeric", "the claimed D is not the discriminator's best response",
                            {"p_data": p, "p_g": pg, "claimed_D": dval, "best_D": br})
        pay = rg(dval)
        if np.sum(pg * pay) > np.min(pay) + 1e-12:
            return Evidence(False, "numeric", "the generator gains by moving mass to the cell with the lowest r_g(D)",
                            {"p_data": p, "p_g": pg, "D": dval, "payoff": float(np.sum(pg * pay)),
                             "deviation_payoff": float(np.min(pay))})
        for _ in range(80):
            q = rng.dirichlet(np.ones(4) * rng.uniform(0.3, 3))
            if rng.random() < 0.3:
                q = p + 1e-3 * (q - p)  # near the data
            if np.allclose(q, pg, atol=1e-9):
                continue
            d = Dn(p, q)
            pay = rg(d)
            if np.sum(q * pay) <= np.min(pay) + 1e-14:
                return Evidence(False, "numeric", "another pair is a PNE too: the claimed one is not unique",
                                {"p_data": p, "p_g": q, "D": d})
    return Evidence(True, "numeric", f"D* = {Dstar.expr}; the claimed pair is a PNE and 400 other generators "
                    "(with D's best response) are not, on 5 random data distributions")


def set_identity(statement: sp.Equality) -> Evidence:
    """``Eq(S1, S2)`` between sets (``Solutions`` atoms are solved with ``solveset`` over the reals):
    equal iff both differences are empty; otherwise a point of one that is not in the other."""
    S1, S2 = (evaluate(side) for side in (statement.lhs, statement.rhs))
    only1, only2 = sp.Complement(S1, S2), sp.Complement(S2, S1)
    if only1 == sp.S.EmptySet and only2 == sp.S.EmptySet:
        return Evidence(True, "symbolic", f"both sides are {S1}")
    for part, where in ((only1, "left"), (only2, "right")):
        if part != sp.S.EmptySet:
            if isinstance(part, sp.FiniteSet):
                pt = sorted(part, key=str)[0]
            else:
                inf = part.inf if part.inf.is_finite else sp.Integer(-10**6)
                pt = _rational_inside(part, inf)
            return Evidence(False, "symbolic", f"{S1} != {S2}", {"point": str(pt), "only_in": where,
                                                                  "lhs": str(S1), "rhs": str(S2)})
    return Evidence(None, "symbolic", f"cannot compare {S1} and {S2}")


def _rational_inside(S, start):
    for k in range(0, 200):
        for cand in (start + sp.Rational(k, 7) + sp.Rational(1, 13), start - sp.Rational(k, 7) - sp.Rational(1, 13)):
            if S.contains(cand) == sp.true:
                return cand
    return start


def _global_argmin(poly_expr, x):
    """(minimizers, why) of a polynomial in x over the reals: all of R if constant, none if it is
    unbounded below (odd degree or negative leading coefficient), else its best critical points."""
    P = sp.Poly(sp.expand(poly_expr), x)
    if P.degree() <= 0:
        return sp.S.Reals, "constant in the player's own variable"
    if P.degree() % 2 == 1 or P.LC().is_negative:
        return sp.S.EmptySet, f"{P.as_expr()} is unbounded below in {x}"
    crit = [c for c in sp.Poly(P.diff(x), x).real_roots()]
    vals = [simplified(P.as_expr().subs(x, c)) for c in crit]
    best = min(vals, key=lambda v: sp.N(v, 40))
    return sp.FiniteSet(*[c for c, v in zip(crit, vals) if simplified(v - best) == 0]), "best critical point"


def nash_point(statement: sp.Equality) -> Evidence:
    """``Eq(IsNash(L_phi, L_theta, (phi, theta), point), True/False)`` for polynomial losses: each
    player's global best responses to the other's equilibrium action are computed exactly
    (:func:`_global_argmin`) and the point is an equilibrium iff each action is among them."""
    lhs, claimed = statement.lhs, statement.rhs
    Lp, Lt, (p, t), (p0, t0) = lhs.args
    bp, why_p = _global_argmin(Lp.subs(t, t0), p)
    bt, why_t = _global_argmin(Lt.subs(p, p0), t)
    ok_p, ok_t = bp.contains(p0) == sp.true, bt.contains(t0) == sp.true
    holds = ok_p and ok_t
    detail = (f"best responses: {p} in {bp} ({why_p}), {t} in {bt} ({why_t})")
    if holds == bool(claimed):
        return Evidence(True, "symbolic", detail)
    bad = p if not ok_p else t
    return Evidence(False, "symbolic", detail, {"point": str((p0, t0)), "player_who_deviates": str(bad) if not holds
                                                 else "none", f"best_{p}": str(bp), f"best_{t}": str(bt)})


def norm_radius(statement: sp.Equality) -> Evidence:
    """``Eq(NormIsRadius(M), True/False)``: ||M||_2 (largest singular value) against rho(M) (largest
    |eigenvalue|) at 300 random values of M's symbols, at 30 digits (mpmath)."""
    import mpmath

    lhs, claimed = statement.lhs, statement.rhs
    M = sp.Matrix(evaluate(lhs.args[0]))
    syms = sorted(M.free_symbols, key=str)
    rng = np.random.default_rng(13)
    worst = 0.0
    with mpmath.workdps(30):
        for _ in range(300):
            vals = {s: sp.Rational(int(rng.integers(-30, 31)), int(rng.integers(1, 7))) for s in syms}
            Mn = mpmath.matrix(M.subs(vals).evalf(35).tolist())
            norm = max(mpmath.svd_r(Mn, compute_uv=False)) if Mn.rows > 1 else abs(Mn[0, 0])
            rho = max(abs(e) for e in mpmath.eig(Mn, left=False, right=False))
            gap = float(abs(norm - rho) / max(1, norm))
            worst = max(worst, gap)
            if gap > 1e-20:
                if claimed == sp.true:
                    return Evidence(False, "numeric", "the 2-norm exceeds the spectral radius",
                                    {**{str(k): str(v) for k, v in vals.items()},
                                     "norm": float(norm), "rho": float(rho)})
                return Evidence(True, "numeric", "they differ, as claimed", )
    if claimed == sp.true:
        return Evidence(True, "numeric", f"||M||_2 = rho(M) at 300 random values (largest gap {worst:.1e})")
    return Evidence(False, "numeric", "no value found where they differ", {"instances": 300, "largest_gap": worst})


def spectrum_identity(statement: sp.Equality) -> Evidence:
    """``Eq(Spectrum(M), (l_1, ..., l_n))`` for a matrix with free symbols: the characteristic polynomial
    of M (M derived by evaluating its atoms) equals prod (lambda - l_i); compared exactly at random
    rational values of the symbols (refutation), and identically (proof)."""
    lam = sp.Symbol("lambda")
    M = sp.Matrix(evaluate(statement.lhs.args[0]))
    claimed = list(statement.rhs)
    char = M.charpoly(lam).as_expr()
    target = sp.prod([lam - c for c in claimed])
    syms = sorted((char - target).free_symbols - {lam}, key=str)
    rng = np.random.default_rng(7)
    for _ in range(6):
        vals = {s: _random_value(rng, s) for s in syms}
        c1 = sp.Poly(sp.expand(char.subs(vals)), lam).all_coeffs()
        c2 = sp.Poly(sp.expand(target.subs(vals)), lam).all_coeffs()
        gaps = [abs(sp.N(sp.nsimplify(simplified(u - w)), 40)) for u, w in zip(c1, c2)] if len(c1) == len(c2) else [1]
        if max(gaps) > 1e-30:
            return Evidence(False, "symbolic", "characteristic polynomials differ",
                            {**{str(k): str(v) for k, v in vals.items()},
                             "eigenvalues": [str(e) for e in M.subs(vals).eigenvals(multiple=True)],
                             "claimed": [str(simplified(c.subs(vals))) for c in claimed]})
    if simplified(sp.expand(char - target)) == 0:
        return Evidence(True, "symbolic", f"characteristic polynomial {sp.factor(char)} = prod(lambda - l_i)")
    return Evidence(True, "numeric", "characteristic polynomials agree exactly at 6 random rational points")


def f_generator(statement: sp.Equality) -> Evidence:
    """``Eq(FGenerator(Lambda(u, f)), True/False)``: f(1) = 0 (exactly, as a limit) and f convex on
    u > 0 (f'' >= 0 proved by SymPy, or midpoint convexity on a grid of (0, 50] where f has a kink)."""
    lhs, claimed = statement.lhs, statement.rhs
    lam = lhs.args[0]
    u = lam.variables[0]
    f = lam.expr
    f1 = simplified(sp.limit(f, u, 1))
    why = []
    holds = True
    cex = {}
    if f1 != 0:
        holds, cex = False, {"u": 1, "f(1)": str(f1)}
        why.append(f"f(1) = {f1} != 0")
    if holds:
        d2 = simplified(sp.diff(f, u, 2))
        if not d2.has(sp.Derivative) and not f.has(sp.Abs) and (d2.is_nonnegative or simplified(d2).is_nonnegative):
            why.append(f"f(1) = 0 and f'' = {d2} >= 0 on u > 0")
            method = "symbolic"
        else:
            fn = sp.lambdify(u, f, "numpy")
            grid = np.concatenate([np.geomspace(1e-4, 1, 400), np.linspace(1, 50, 2000)[1:]])
            vals = np.asarray(fn(grid), dtype=float)
            mid = (vals[:-2] + vals[2:]) / 2 - np.asarray(fn((grid[:-2] + grid[2:]) / 2), dtype=float)
            bad = np.flatnonzero(mid < -1e-12 * (1 + np.abs(vals[1:-1])))
            if bad.size:
                i = int(bad[0])
                holds, cex = False, {"a": float(grid[i]), "b": float(grid[i + 2]),
                                     "chord_midpoint_minus_f": float(mid[i])}
                why.append("midpoint convexity fails")
            else:
                why.append("f(1) = 0 and midpoint-convex on a grid of (0, 50]")
            method = "numeric"
    else:
        method = "symbolic"
    if holds == bool(claimed):
        steps = [("f(1), as a limit", f1)]
        if method == "symbolic" and holds:
            steps.append(("f'', non-negative on u > 0 (f convex)", simplified(sp.diff(f, u, 2))))
        return Evidence(True, method, "; ".join(why), steps=tuple(steps))
    return Evidence(False, method, "; ".join(why), cex or {"f": str(f), "proof": "; ".join(why)})


def box_max(statement: sp.Equality) -> Evidence:
    """``Eq(BoxMax(expr, vars, c), value)``: the maximum over [-c, c]^N, for c in {1/100, 1, 3}. A convex
    expression attains it at a vertex: the 2^N vertices are evaluated exactly, and 2000 random points of
    the box (numerically) must not exceed it (else the numeric maximum is used)."""
    lhs, claimed = statement.lhs, statement.rhs
    e, vs, c = lhs.args
    rng = np.random.default_rng(17)
    fn = sp.lambdify(list(vs), e, "numpy")
    for cv in (sp.Rational(1, 100), sp.Integer(1), sp.Integer(3)):
        verts = [simplified(e.subs({v: sgn * cv for v, sgn in zip(vs, signs)}, simultaneous=True))
                 for signs in itertools.product((-1, 1), repeat=len(vs))]
        best = max(verts, key=lambda z: sp.N(z, 30))
        pts = rng.uniform(-float(cv), float(cv), size=(2000, len(vs)))
        inner = float(np.max(fn(*pts.T)))
        if inner > float(best) * (1 + 1e-12):
            best = sp.Float(inner, 15)
        want = sp.sympify(claimed).subs(c, cv)
        if abs(sp.N(best - want, 30)) > 1e-12 * (1 + abs(sp.N(want))):
            return Evidence(False, "numeric", f"maximum {best} at c = {cv}",
                            {"c": str(cv), "maximum": str(best), "claimed": str(want)})
    return Evidence(True, "numeric",
                    "the maximum over the box (at a vertex, exactly) equals the claim at c = 1/100, 1, 3")


def _local_min_at_zero(p: sp.Expr, x: sp.Symbol) -> bool:
    """Whether 0 is a local minimizer of the polynomial p with p'(0) = 0, exactly: the first nonzero
    coefficient beyond the constant must be of even degree and positive (none: p is constant)."""
    coeffs = sp.Poly(sp.expand(p), x).all_coeffs()[::-1]  # c_0, c_1, ...
    for k, c in enumerate(coeffs[1:], start=1):
        if c != 0:
            return k % 2 == 0 and c > 0
    return True


def _random_zero_sum_game(rng, phi, theta):
    """A polynomial zero-sum game with a stationary point at 0: quadratic, cubic and quartic terms with
    small rational coefficients, each zero with probability 1/3 (degenerate Hessians occur)."""
    monos = [phi**2, phi * theta, theta**2, phi**3, phi**2 * theta, phi * theta**2, theta**3, phi**4, theta**4]
    def coef():
        return 0 if rng.random() < 1 / 3 else sp.Rational(int(rng.integers(-6, 7)), int(rng.integers(1, 4)))
    return sp.Add(*[coef() * m for m in monos])  # one Add, not eight partial sums


def local_nash_eigen(statement: sp.Basic) -> Evidence:
    """``rel(LocalNashSymEig(), c)``: on 400 random polynomial zero-sum games (phi minimizes L, theta
    minimizes -L), every stationary point (0, 0) that is a local Nash equilibrium -- decided from the
    definition, by the exact derivative test of each player's own loss -- has the smallest eigenvalue
    of the symmetric part of grad v (v derived from the losses) in the claimed relation to c."""
    rels = (sp.GreaterThan, sp.StrictGreaterThan, sp.LessThan, sp.StrictLessThan)
    if not isinstance(statement, rels) or not isinstance(statement.lhs, A.LocalNashSymEig):
        raise TypeError("expected a relation between LocalNashSymEig() and a number")
    phi, theta = sp.symbols("phi theta", real=True)
    rng = np.random.default_rng(71)
    found = 0
    for _ in range(400):
        L = _random_zero_sum_game(rng, phi, theta)
        if not (_local_min_at_zero(L.subs(theta, 0), phi) and _local_min_at_zero(-L.subs(phi, 0), theta)):
            continue
        found += 1
        v = sp.Matrix([sp.diff(L, phi), sp.diff(-L, theta)])
        J = v.jacobian([phi, theta]).subs({phi: 0, theta: 0})
        S = (J + J.T) / 2
        lam = min(S.eigenvals(multiple=True), key=lambda e: sp.N(e, 30))
        if not bool(statement.func(lam, statement.rhs)):
            return Evidence(False, "symbolic", "a local Nash equilibrium where the relation fails",
                            {"L(phi, theta)": str(L), "grad_v": str(J.tolist()), "min_eigenvalue": str(lam)})
    if found < 50:
        raise ValueError(f"only {found} local Nash equilibria among the random games")
    return Evidence(True, "numeric", f"holds at all {found} local Nash equilibria (decided from the definition) "
                    "among 400 random polynomial zero-sum games")


def local_nash_sufficient(statement: sp.Basic) -> Evidence:
    """``LocalNashIf(condition)``: on 2000 random polynomial zero-sum games with a stationary point at 0 (phi
    minimizes L, theta minimizes -L; quadratic to quartic terms, a third of them zero, so degenerate
    Hessians occur), wherever the condition on the Hessians at 0 holds, (0, 0) must be a local Nash
    equilibrium -- decided from the definition by the exact derivative test of each player's own loss."""
    if not isinstance(statement, A.LocalNashIf):
        raise TypeError("expected LocalNashIf(condition)")
    cond = str(statement.args[0])
    tests = {"hessians": lambda a, c: a > 0 and c < 0,
             "hessians_semidefinite": lambda a, c: a >= 0 and c <= 0,
             "phi_only": lambda a, c: a > 0}
    if cond not in tests:
        raise ValueError(f"unknown condition {cond!r}; one of {sorted(tests)}")
    phi, theta = sp.symbols("phi theta", real=True)
    rng = np.random.default_rng(73)
    hit = 0
    for _ in range(2000):
        L = _random_zero_sum_game(rng, phi, theta)
        a, c = 2 * L.coeff(phi, 2).coeff(theta, 0), 2 * L.coeff(theta, 2).coeff(phi, 0)  # the Hessians at 0
        if not tests[cond](a, c):
            continue
        hit += 1
        nash = _local_min_at_zero(L.subs(theta, 0), phi) and _local_min_at_zero(-L.subs(phi, 0), theta)
        if not nash:
            return Evidence(False, "symbolic", "the condition holds at a stationary point that is no local Nash "
                            "equilibrium", {"L(phi, theta)": str(L), "Hess_phi L": str(a), "Hess_theta L": str(c)})
    if hit < 30:
        raise ValueError(f"only {hit} random games meet the condition")
    return Evidence(True, "numeric", f"every one of the {hit} random games meeting the condition has a local Nash "
                    "equilibrium at its stationary point (decided from the definition)")


@functools.lru_cache(maxsize=8)
def _steps_to_halve(algorithm: str, method: str, cap: int = 4000) -> int:
    """The first step of gantheory's GLGD (``glgd``'s own init and update) on the demo problem where
    KL(p_g || p_r) is at most half its initial value; cap + 1 if none up to ``cap``. Only KL is computed,
    and the run stops at the halving step (the same iterates ``glgd(..., record_every=1)`` records)."""
    from gantheory.engine import demo_problem, kl
    from gantheory.engine._algorithms import _setup, glgd_init, glgd_stepper

    if algorithm != "glgd":
        raise TypeError(f"StepsToHalve: only glgd, not {algorithm!r}")
    grid, p_r, p_g0 = demo_problem(256)
    p_r, p_g0, _, step_size, _ = _setup(p_r, p_g0, grid, cap, 0, None, method)  # glgd's checks and default step
    update = glgd_stepper(p_r, grid, step_size, method)
    state = glgd_init(p_r, p_g0, grid, step_size, *update.weights)
    kl0 = kl(p_g0, p_r, grid)
    for step in range(1, cap + 1):
        state, stop = update(state)
        if kl(state.R * p_r, p_r, grid) <= kl0 / 2:
            return step
        if stop:
            break
    return cap + 1


def halving_steps(statement: sp.Basic) -> Evidence:
    """A relation between ``StepsToHalve(...)`` terms (and numbers): each term is measured by running the
    engine on the demo problem (up to 4000 steps; more counts as 4001)."""
    rels = (sp.GreaterThan, sp.StrictGreaterThan, sp.LessThan, sp.StrictLessThan)
    if not isinstance(statement, rels):
        raise TypeError("expected a relation between StepsToHalve terms")
    terms = sorted(statement.atoms(A.StepsToHalve), key=str)  # a set: in a fixed order, so the detail reads the same
    vals = {t: sp.Integer(_steps_to_halve(str(t.args[0]), str(t.args[1]))) for t in terms}
    lhs, rhs = statement.lhs.xreplace(vals), statement.rhs.xreplace(vals)
    info = {str(t): int(v) for t, v in vals.items()}
    if bool(statement.func(lhs, rhs)):
        return Evidence(True, "numeric", "measured: " + "; ".join(f"{k} = {v}" for k, v in info.items()))
    return Evidence(False, "numeric", "measured: " + "; ".join(f"{k} = {v}" for k, v in info.items()), info)


#: a numeric decision closer than this (relative) to its threshold is "marginal": decided exactly instead
MARGIN = 1e-9
_MATRIX_ATOMS = (A.IsPSD, A.IsPD, A.IsHurwitz, A.IsSchur, A.FullColumnRank, A.EveryEigenvalue, A.SomeEigenvalue)


def _side(value: float, scale: float) -> bool | None:
    """value > 0 (True), value < 0 (False), or None within :data:`MARGIN` of 0 (decide exactly)."""
    if not np.isfinite(value):
        return None
    return None if abs(value) <= MARGIN * (1.0 + scale) else bool(value > 0)


def _numeric_decision(atom, M: np.ndarray, extra) -> bool | None:
    """True / False in float64, or None where the float is within rounding of the atom's threshold."""
    scale = float(np.abs(M).max()) if M.size else 0.0
    if isinstance(atom, (A.IsPSD, A.IsPD)):
        low = float(np.linalg.eigvalsh((M + M.T) / 2).min())
        decided = _side(low, scale)
        if decided is None and isinstance(atom, A.IsPSD):
            return None  # 0 is the threshold of both: PSD holds at 0 exactly, PD does not
        return decided
    if isinstance(atom, A.IsHurwitz):
        return _side(-float(np.linalg.eigvals(M).real.max()), scale)
    if isinstance(atom, A.IsSchur):
        return _side(1.0 - float(np.abs(np.linalg.eigvals(M)).max()), 1.0)
    if isinstance(atom, A.FullColumnRank):
        if M.shape[0] < M.shape[1]:
            return False
        return True if _side(float(np.linalg.svd(M, compute_uv=False).min()), scale) else None
    if isinstance(atom, (A.EveryEigenvalue, A.SomeEigenvalue)):
        cond = extra
        outcomes = []
        for lam in np.linalg.eigvals(M):
            diff = cond(float(lam.real), float(lam.imag))
            outcomes.append(_side(diff, scale))
        if isinstance(atom, A.EveryEigenvalue):
            return False if False in outcomes else (None if None in outcomes else True)
        return True if True in outcomes else (None if None in outcomes else False)
    raise TypeError(f"cannot decide {atom} numerically")


def _relation_gap(rel: sp.Basic):
    """``(gap, strict)`` with the relation true iff gap > 0 (strict) or gap >= 0."""
    if isinstance(rel, (sp.StrictLessThan, sp.LessThan)):
        return rel.rhs - rel.lhs, isinstance(rel, sp.StrictLessThan)
    if isinstance(rel, (sp.StrictGreaterThan, sp.GreaterThan)):
        return rel.lhs - rel.rhs, isinstance(rel, sp.StrictGreaterThan)
    raise TypeError(f"an eigenvalue condition must be an inequality, got {rel}")


def _exact_sign(x: sp.Expr) -> int:
    """The sign of a real algebraic number, exactly (0 only where it simplifies to 0)."""
    x = sp.nsimplify(x) if x.is_Float else x
    if simplified(x) == 0:
        return 0
    value = sp.N(x, 60)
    if value == 0 or not value.is_real:
        value = sp.re(sp.N(x, 200))
    return 1 if value > 0 else -1


def _hurwitz_exact(M: sp.Matrix) -> bool:
    """Routh-Hurwitz: every eigenvalue of the rational matrix M has Re < 0 iff every leading principal
    minor of the Hurwitz matrix of its characteristic polynomial is positive (exact arithmetic)."""
    lam = sp.Symbol("lambda")
    a = sp.Poly(M.charpoly(lam).as_expr(), lam).all_coeffs()  # a[0] = 1
    n = len(a) - 1
    H = sp.zeros(n, n)
    for i in range(n):
        for j in range(n):
            k = 2 * (j + 1) - (i + 1)
            H[i, j] = a[k] if 0 <= k <= n else 0
    return all(H[:k, :k].det() > 0 for k in range(1, n + 1))


def _decide_matrix_atom(atom) -> bool:
    """An atom whose matrix has exact (rational) entries, decided exactly."""
    M = sp.Matrix(atom.args[0])
    if isinstance(atom, A.IsPSD):
        return bool(((M + M.T) / 2).is_positive_semidefinite)
    if isinstance(atom, A.IsPD):
        return bool(((M + M.T) / 2).is_positive_definite)
    if isinstance(atom, A.IsHurwitz):
        return _hurwitz_exact(M)
    if isinstance(atom, A.IsSchur):
        from gantheory.symbolic._stability import _schur_stable

        return _schur_stable(sp.Poly(M.charpoly(sp.Symbol("lambda")).as_expr(), sp.Symbol("lambda")).all_coeffs())
    if isinstance(atom, A.FullColumnRank):
        return M.rank() == M.cols
    if isinstance(atom, (A.EveryEigenvalue, A.SomeEigenvalue)):
        cond = atom.args[1]
        (re_, im_), rel = cond.args
        found = []
        for lam, mult in M.eigenvals().items():
            gap, strict = _relation_gap(rel)
            gap = sp.sympify(gap).xreplace({re_: sp.re(lam), im_: sp.im(lam)})
            if gap.has(sp.zoo, sp.nan, sp.oo, -sp.oo):  # the condition is undefined there (a division by 0)
                found.append(False)
                continue
            sign = _exact_sign(gap)
            found.append(sign > 0 or (sign == 0 and not strict))
        return all(found) if isinstance(atom, A.EveryEigenvalue) else any(found)
    if isinstance(atom, A.HasStableStep):
        hh = sp.Symbol("h", positive=True)
        S, _ = _stable_set(sp.eye(M.rows) + hh * M, hh, sp.Interval.open(0, sp.oo))
        return S != sp.S.EmptySet
    raise TypeError(f"cannot decide {atom}")


def _numeric_matrix_atom(atom, syms):
    """``decide(*values) -> True | False | None`` for a matrix atom: its matrix compiled once (lambdify) and
    decided in float64; None where the float is within rounding of the threshold (the caller then decides
    exactly, with the rational values)."""
    if not isinstance(atom, _MATRIX_ATOMS):
        raise TypeError(f"cannot decide {atom} numerically")
    f = sp.lambdify(syms, sp.Matrix(atom.args[0]), "numpy")
    extra = None
    if isinstance(atom, (A.EveryEigenvalue, A.SomeEigenvalue)):
        (re_, im_), rel = atom.args[1].args
        gap, _ = _relation_gap(rel)
        g = sp.lambdify([re_, im_, *syms], gap, "numpy")
    if isinstance(atom, (A.EveryEigenvalue, A.SomeEigenvalue)):
        def gap_at(r, i, values):
            try:
                return float(g(r, i, *values))
            except (ZeroDivisionError, OverflowError, ValueError):  # undefined there: decided exactly
                return float("nan")

        def decide(*values):
            with np.errstate(all="ignore"):
                return _numeric_decision(atom, np.asarray(f(*values), dtype=float),
                                         lambda r, i: gap_at(r, i, values))
        return decide
    return lambda *values: _numeric_decision(atom, np.asarray(f(*values), dtype=float), extra)


def matrix_logic(statement: sp.Basic) -> Evidence:
    """A logical statement (Equivalent, Implies, And, ...) about matrices whose entries are scalar symbols,
    built from ``IsPSD`` / ``IsPD`` / ``IsHurwitz`` / ``IsSchur`` / ``FullColumnRank`` / ``EveryEigenvalue`` /
    ``SomeEigenvalue`` / ``HasStableStep`` and relations between the symbols: decided on 3000 random
    rational values of the symbols (small numerators and denominators, so singular and boundary cases
    occur). Each atom is decided in float64 unless the float lies within rounding of its threshold
    (an eigenvalue on the imaginary axis or on the unit circle, a singular matrix): then exactly, in
    rational arithmetic (Routh-Hurwitz, Schur's transform, exact rank and eigenvalues).
    ``HasStableStep`` is decided exactly (:func:`gantheory.symbolic._stability.stable_set`), only where the
    numeric atoms leave the statement open (an implication with a false premise holds whatever its
    conclusion). A value where the statement is false refutes it."""
    syms = sorted(statement.free_symbols, key=str)
    kinds = (*_MATRIX_ATOMS, A.HasStableStep)
    atoms = sorted(statement.atoms(*kinds), key=str)
    if isinstance(statement, kinds):
        atoms = [statement]
    if not atoms:
        raise TypeError("expected matrix statements (IsPSD, IsPD, IsHurwitz, IsSchur, FullColumnRank, "
                        "EveryEigenvalue, SomeEigenvalue, HasStableStep)")
    if not syms:  # concrete matrices: every atom decided once, exactly (no sampling to speak of)
        truth = {a: sp.true if _decide_matrix_atom(a) else sp.false for a in atoms}
        value = statement.xreplace(truth)
        value = sp.simplify_logic(value) if value not in (sp.true, sp.false) else value
        shown = {str(a.func.__name__) + f"#{i}": bool(t) for i, (a, t) in enumerate(truth.items())}
        if value is sp.true:
            found = ", ".join(f"{k} {v}" for k, v in shown.items())
            return Evidence(True, "symbolic", "decided exactly, in rational arithmetic (Routh-Hurwitz, Schur's "
                            f"transform, exact rank and eigenvalues): {found}")
        return Evidence(False, "symbolic", "the statement is false (decided exactly, in rational arithmetic)", shown)
    rng = np.random.default_rng(59)
    count = 3000 if not statement.atoms(A.HasStableStep) else 200
    premise_true = marginal = 0
    numeric = {a: _numeric_matrix_atom(a, syms) for a in atoms if not isinstance(a, A.HasStableStep)}
    seen: dict[tuple, tuple[bool, int]] = {}  # a repeated draw: (premise true, marginal decisions) as before
    # the statement as a Python function of its atoms' truth values, where it is nothing else (no relation between
    # the entries themselves, no stable set to decide lazily): evaluated without SymPy at each of the 3000 values
    flags = [sp.Symbol(f"_atom{i}") for i in range(len(atoms))]
    skeleton = statement.xreplace(dict(zip(atoms, flags)))
    fast = None
    if len(numeric) == len(atoms) and skeleton.free_symbols <= set(flags):
        fast = sp.lambdify(flags, skeleton, "math")
        fast_premise = (sp.lambdify(flags, skeleton.args[0], "math") if isinstance(statement, sp.Implies)
                        else None)
    for _ in range(count):
        vals = {x: _entry_value(x, rng) for x in syms}
        key = tuple(vals[x] for x in syms)
        if key in seen:  # the same values decide the same way; only the counts are repeated
            premise, marg = seen[key]
            premise_true += premise
            marginal += marg
            continue
        marginal_before, premise_before = marginal, premise_true
        floats = [float(vals[x]) for x in syms]
        # the numeric atoms first; exactly where a float is marginal or a stable set is still needed
        truth = {}
        for a, decide in numeric.items():
            t = decide(*floats)
            if t is None:
                marginal += 1
                t = _decide_matrix_atom(a.xreplace(vals))
            truth[a] = sp.true if t else sp.false
        if fast is not None:
            bits = [bool(truth[a]) for a in atoms]
            premise_true += fast_premise is not None and bool(fast_premise(*bits))
            holds = bool(fast(*bits))
        else:
            value = statement.xreplace(truth)
            if value not in (sp.true, sp.false):
                truth.update({a: sp.true if _decide_matrix_atom(a.xreplace(vals)) else sp.false
                              for a in atoms if isinstance(a, A.HasStableStep) and value.has(a)})
                value = statement.xreplace(truth)
            if value not in (sp.true, sp.false):  # relations between the entries themselves (e.g. b_12 = 0)
                value = value.xreplace(vals)
            value = sp.simplify_logic(value) if value not in (sp.true, sp.false) else value
            if isinstance(statement, sp.Implies) and statement.args[0].xreplace(truth).xreplace(vals) in (sp.true,):
                premise_true += 1
            holds = value is sp.true or value == sp.true
        if not holds:
            return Evidence(False, "numeric", "the statement is false for these values",
                            {**{str(k): str(v) for k, v in vals.items()},
                             **{str(a.func.__name__) + f"#{i}": bool(t) for i, (a, t) in enumerate(truth.items())}})
        seen[key] = (premise_true - premise_before, marginal - marginal_before)
    extra = f" ({premise_true} with the premise true)" if isinstance(statement, sp.Implies) else ""
    exact = f"; {marginal} decisions within rounding of a threshold made exactly" if marginal else ""
    return Evidence(True, "numeric", f"true at {count} random rational values of the entries{extra}{exact}")


def _entry_value(x: sp.Symbol, rng) -> sp.Rational:
    """A small rational for the symbol ``x``, inside its assumed domain (a > 0: positive; n integer: an
    integer): a value outside it would refute a statement at a point it is not about. An unconstrained
    symbol takes num/den with num in [-4, 4], den in [1, 3]; a sign changes the numerator's range."""
    from gantheory.symbolic._numeric import exact_in_domain

    num, den = int(rng.integers(-4, 5)), int(rng.integers(1, 4))
    if x.is_integer:
        den = 1
    if x.is_positive or x.is_negative:
        num = (abs(num) or 1) * (1 if x.is_positive else -1)
    elif x.is_nonnegative or x.is_nonpositive:
        num = abs(num) * (1 if x.is_nonnegative else -1)
    elif x.is_nonzero and num == 0:
        num = 1
    value = sp.Rational(num, den)
    if not exact_in_domain(value, x):
        raise ValueError(f"no value drawn for {x} inside its assumed domain")
    return value


def field_zeros(statement: sp.Equality) -> Evidence:
    """``Eq(FieldZeros(v, vars), {(x1, ...), ...})``: the real solutions of v = 0 by SymPy's ``solve``."""
    lhs, claimed = statement.lhs, statement.rhs
    v, xs = sp.Matrix(lhs.args[0]), list(lhs.args[1])
    sols = sp.solve(list(v), xs, dict=True)
    if any(len(sol) < len(xs) for sol in sols):
        return Evidence(None, "symbolic", f"v = 0 has a continuum of solutions: {sols}")
    found = {sp.Tuple(*[sol[x] for x in xs]) for sol in sols
             if all(sp.sympify(sol[x]).is_real for x in xs)}
    want = set(claimed) if claimed != sp.S.EmptySet else set()
    if found == want:
        return Evidence(True, "symbolic", "the zeros of v, solved exactly: " + ", ".join(sorted(map(str, found))))
    pt = sorted(found ^ want, key=str)[0]
    return Evidence(False, "symbolic", "the zeros of v, solved exactly: " + (", ".join(sorted(map(str, found)))
                                                                          or "none"),
                    {"point": str(pt), "v_there": str(v.subs(dict(zip(xs, pt))).tolist())})


def optimal_parameter(statement: sp.Equality) -> Evidence:
    """``Eq(Minimizer(M, x, lo, hi), x*)``: rho(M(x)) is minimized over [lo, hi] at the claimed x*. The
    claimed value is compared with a grid of 4001 points refined by Brent's method (a bracket a < x < b
    with rho(x) below rho(a) and rho(b) certifies the numeric minimizer); the claim must lie within
    1e-6 of it, and its own rho must not exceed the minimum found by more than 1e-12."""
    from scipy.optimize import minimize_scalar

    lhs, claimed = statement.lhs, statement.rhs
    M, x, lo, hi = lhs.args
    M = sp.Matrix(evaluate(M))
    lo_f, hi_f = float(lo), float(hi)
    from gantheory.stability import rho_function

    rho_f = rho_function(M, [x])
    grid = np.linspace(lo_f, hi_f, 4001)
    rho = rho_f(grid)
    k = int(np.argmin(rho))
    a, b = grid[max(k - 1, 0)], grid[min(k + 1, grid.size - 1)]
    res = minimize_scalar(lambda v: float(rho_f(v)[0]), bounds=(a, b), method="bounded", options={"xatol": 1e-12})
    x_star, r_star = float(res.x), float(res.fun)
    want = float(sp.N(claimed, 30))
    r_claim = float(rho_f(want)[0])
    info = {"minimizer": x_star, "rho_min": r_star, "claimed": want, "rho_at_claimed": r_claim,
            "bracket": [float(a), float(b)]}
    if abs(want - x_star) > 1e-6 * max(1.0, abs(x_star)) or r_claim > r_star + 1e-12:
        return Evidence(False, "numeric", f"rho is smallest at {x_star:.10g} (rho = {r_star:.10g})", info)
    return Evidence(True, "numeric", f"minimizer {x_star:.12g} (bracket [{a:.6g}, {b:.6g}]) = claimed {claimed}; "
                    f"rho there {r_claim:.12g}")
