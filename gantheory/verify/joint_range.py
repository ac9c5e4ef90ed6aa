"""Inequalities between f-divergences of one pair of distributions, decided on two-point distributions.

**The reduction.** For distributions P, Q on a finite set, write mu for the law of u = p(x)/q(x) under
Q (on the cells where q > 0) and s = P(q = 0) for P's mass where Q has none. Every f-divergence is
linear in (mu, s):

.. math:: D_f(P\\|Q) = \\int f\\,d\\mu + s\\,f'(\\infty), \\qquad f'(\\infty) = \\lim_{u\\to\\infty} f(u)/u,

and the pairs (P, Q) are exactly the (mu, s) with mu a probability measure on [0, oo), s >= 0 and
int u dmu + s = 1. This set is convex and its extreme points have mu on at most two atoms: pairs of
*two-point* distributions (a measure with one linear constraint besides its mass is a mixture of
measures on at most two atoms). So the joint range of any finite list of f-divergences is the convex
hull of their joint range on two-point distributions. For two divergences this is the theorem of
Harremoës & Vajda, "On pairs of f-divergences and their joint range", IEEE Trans. Inf. Theory 57
(2011), arXiv:1001.4432; their proof is this extreme-point argument, which does not use the number
of divergences.

Hence, for a statement Phi(D_1, ..., D_k) >= 0 about one pair:

- a two-point counterexample is a counterexample (always);
- a two-point proof extends to all distributions when the set {Phi >= 0} is convex in (D_1, ..., D_k):
  when Phi is affine, or concave (checked by its Hessian), or k = 1 (the range of one divergence on two
  points is already an interval).

**The deciders.** Phi affine: Phi = D_h with h = sum c_i f_i + c_0, and by LP duality over (mu, s),
D_h >= 0 for all pairs iff there is a line lambda (u - 1) below h on [0, oo) with h'(oo) >= lambda. The
line is chosen among exact candidates (h'(1), the one-sided slopes, h'(oo), -h(0)) and the two
one-variable inequalities h(u) - lambda (u - 1) >= 0 on [0, 1] and v h(1/v) - lambda (1 - v) >= 0 on
[0, 1] are certified by :mod:`gantheory.verify._interval`. k = 1: Phi(x) >= 0 is certified on the exact
range [f(1), f(0) + f'(oo)] of the divergence (its generator convex). Otherwise two-point
distributions are searched (boundaries included) and only a refutation is final.

``E[phi(R)]`` atoms are f-divergences too, with R = p_R / p_r defined only where P << Q: a statement
with them is decided over pairs with s = 0 (no mass of P where Q has none), and says so.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp

from gantheory._claim import Evidence
from gantheory.symbolic import _atoms as A
from gantheory.symbolic._simplify import simplified
from gantheory.verify._interval import certify_nonnegative, exact_sign

__all__ = ["reduce_to_generators", "decide_fdiv_inequality", "binary_value"]

U = A.U
_V = sp.Symbol("v", positive=True)
_X = sp.Symbol("x", nonnegative=True)
_a, _b = sp.symbols("a b", nonnegative=True)


class NotReducible(Exception):
    """The statement is not a function of f-divergences of one pair."""


def _generator_of(atom, ref):
    """(generator f(u), (P, Q), absolutely-continuous-only) for a functional atom, or raise."""
    f = A.fdiv_generator(atom)
    if f is not None:
        return f, A.fdiv_pair(atom), False
    if isinstance(atom, (A.E, A.Et)):
        from gantheory.symbolic._reduce import NotDerivable, _ratio

        try:
            phi = _ratio(atom.args[0], ref)
        except NotDerivable as exc:
            raise NotReducible(str(exc)) from None
        if phi.free_symbols - {A.R}:
            raise NotReducible(f"E[...] of {atom.args[0]} depends on more than R")
        phi = phi.subs(A.R, U)
        if isinstance(atom, A.Et):
            phi = U * phi
        return phi, (A.DENSITY_PAIRS[ref], ref), True
    if isinstance(atom, A.VirtualCriterion):
        # C(G) = V(D*_G, G) with D* derived (the maximizer of the value pointwise): E_ref[phi(R)], an
        # f-divergence-like integral of the pair; where p_ref = 0 the definition gives 0 (D* = 0, log 1), and
        # so does the generator's slope at infinity, lim phi(u)/u = 0: every pair, not only P << Q
        from gantheory.symbolic._reduce import NotDerivable, integrand

        data, gen = atom.args[:2]
        if not (isinstance(data, sp.Symbol) and isinstance(gen, sp.Symbol)):
            raise NotReducible(f"{atom} is not a criterion of two named distributions")
        try:
            phi = integrand(atom, data)
        except NotDerivable as exc:
            raise NotReducible(str(exc)) from None
        if phi.free_symbols - {A.R}:
            raise NotReducible(f"{atom} depends on more than R")
        phi = phi.subs(A.R, U)  # its logs are split with every generator's, in reduce_to_generators
        slope = sp.limit(phi / U, U, sp.oo)
        if slope != 0:
            raise NotReducible(f"{atom}: the generator's slope at infinity is {slope}, not 0")
        return phi, (gen, data), False
    raise NotReducible(f"{type(atom).__name__} is not an f-divergence")


def _of_mixtures(atom, f, P, Q, ref):
    """A divergence between mixtures of one pair, D_f(a1 X + b1 Y || a2 X + b2 Y) with a_i + b_i = 1 and a_i, b_i
    >= 0 (KL(p || (p+q)/2)), as an f-divergence of (X, Y): sum Y (a2 u + b2) f((a1 u + b1)/(a2 u + b2)), u = X/Y,
    the perspective of f (convex where f is; 0 at u = 1). On a cell where Y = 0 its slope at infinity gives the
    divergence's own value there (a2 X f(a1/a2), or a1 X f'(oo) where a2 = 0). Raises :class:`NotReducible` for
    anything else."""
    names = (P.free_symbols | Q.free_symbols) & A.DENSITIES
    if len(names) != 2:
        raise NotReducible(f"{atom} is not a divergence between mixtures of two named distributions")
    X, Y = sorted(names, key=lambda s_: (s_ == ref, str(s_)))  # the reference last, where the statement has one
    coeffs = []
    for mu in (P, Q):
        try:
            poly = sp.Poly(sp.expand(mu), X, Y)
        except sp.PolynomialError:
            raise NotReducible(f"{mu} is not a mixture of {X} and {Y}") from None
        a, b = poly.coeff_monomial(X), poly.coeff_monomial(Y)
        if poly.total_degree() != 1 or poly.coeff_monomial(1) != 0 or not (a.is_Rational and b.is_Rational) \
                or a < 0 or b < 0 or a + b != 1:
            raise NotReducible(f"{mu} is not a mixture of {X} and {Y} (nonnegative weights summing to 1)")
        coeffs.append((a, b))
    (a1, b1), (a2, b2) = coeffs
    # not simplified: simplify folds its logarithms into powers ((u + 1)**(2u)), whose exact values at two-point
    # masses are big-integer powers (the caller splits the logarithms instead)
    g = sp.expand((a2 * U + b2) * f.subs(U, (a1 * U + b1) / (a2 * U + b2)))
    # |.| of a rational function as |numerator|/denominator (u > 0), so that (u + 1) |(u - 1)/(u + 1)| is |u - 1|
    # (TV(p, (p+q)/2) - TV(p, q)/2 is then 0 as written; SymPy's limits of the unreduced form ran for minutes)
    if g.has(sp.Abs):
        g = sp.factor(g.replace(lambda e: isinstance(e, sp.Abs), lambda e: sp.Abs(sp.factor(sp.together(e.args[0])))))
    return g, (X, Y)


def reduce_to_generators(expr):
    """``(skeleton, [(dummy, f_oriented)], (P, Q), ac_only)``: ``expr`` as a function of f-divergences
    D_f(P || Q) of one ordered pair (a divergence written D(Q || P) becomes D_{f°}(P || Q) with
    f°(u) = u f(1/u))."""
    atoms = [a for a in sp.preorder_traversal(expr) if isinstance(a, A.FUNCTIONALS + A.NONRATIO)]
    atoms = list(dict.fromkeys(atoms))
    if not atoms:
        raise NotReducible("no divergence in the statement")
    refs = [r for r in A.REFERENCES if expr.has(r) or expr.has(A.DENSITY_PAIRS[r])]
    ref = refs[0] if len(refs) == 1 else A.p_r
    pair = None
    parts, ac = [], False
    for atom in atoms:
        f, (P, Q), ac_only = _generator_of(atom, ref)
        if not (isinstance(P, sp.Symbol) and isinstance(Q, sp.Symbol)):
            f, (P, Q) = _of_mixtures(atom, f, P, Q, ref)
        if not (isinstance(P, sp.Symbol) and isinstance(Q, sp.Symbol)) or P == Q:
            raise NotReducible(f"{atom} is not a divergence between two named distributions")
        if pair is None:
            pair = (P, Q)
        if (P, Q) == pair:
            g = f
        elif (Q, P) == pair:
            g = simplified(U * f.subs(U, 1 / U))
        else:
            raise NotReducible("the divergences compare different pairs of distributions")
        if g.free_symbols - {U}:
            raise NotReducible(f"the generator of {atom} has parameters {g.free_symbols - {U}}")
        # logs of products and powers split (u > 0): a power such as (u/(u + 1))**u at an exact two-point mass
        # with a 2^52 denominator is a rational power SymPy tries to evaluate exactly, for minutes
        g = sp.expand_log(g.replace(lambda e: isinstance(e, sp.log),
                                    lambda e: sp.log(sp.factor(sp.together(e.args[0])))), force=True)
        parts.append((atom, sp.Dummy(f"D{len(parts)}"), g))
        ac = ac or ac_only
    skeleton = expr.xreplace({atom: d for atom, d, _ in parts})
    if skeleton.free_symbols - {d for _, d, _ in parts}:
        raise NotReducible(f"symbols outside the divergences: {skeleton.free_symbols - {d for _, d, _ in parts}}")
    return skeleton, [(d, g) for _, d, g in parts], pair, ac, [atom for atom, _, _ in parts]


# -- exact values on two-point distributions ----------------------------------------------------------

def _lim(expr, point, direction="+"):
    return sp.limit(expr, U, point, direction)


_PARTS: dict = {}


def _parts(f):
    if f not in _PARTS:
        _PARTS[f] = (_lim(f, 0), _lim(f / U, sp.oo, "-"))
    return _PARTS[f]


def binary_value(f, a, b):
    """D_f(P || Q) exactly for P = (a, 1 - a), Q = (b, 1 - b) (exact numbers in [0, 1]), with the
    conventions 0 f(0/0) = 0, q f(0/q) = q f(0+), 0 f(p/0) = p f'(oo)."""
    f0, slope = _parts(f)
    total = sp.Integer(0)
    for p, q in ((a, b), (1 - a, 1 - b)):
        if p == 0 and q == 0:
            continue
        if q == 0:
            total += p * slope if p != 0 else 0
        elif p == 0:
            total += q * f0
        else:
            total += q * f.subs(U, p / q)
    return total


def _numeric_fn(f):
    fn = sp.lambdify(U, f, "numpy")
    f0, slope = _parts(f)
    return fn, float(f0), float(slope)


def _binary_numeric(fns, a, b):
    """Each divergence on arrays of two-point pairs (float64)."""
    out = []
    for fn, f0, slope in fns:
        total = np.zeros_like(a)
        for p, q in ((a, b), (1 - a, 1 - b)):
            with np.errstate(all="ignore"):
                inner = q * np.asarray(fn(np.where((p > 0) & (q > 0), p / np.where(q > 0, q, 1), 1.0)), float)
            term = np.where((p > 0) & (q > 0), inner, 0.0)
            term = np.where((q > 0) & (p == 0), q * f0, term)
            term = np.where((q == 0) & (p > 0), p * slope, term)
            total = total + term
        out.append(total)
    return out


def _search_points():
    """Two-point pairs (a, b) that reach where inequalities are tight: the corners and edges (disjoint
    supports, point masses), the diagonal (P = Q) and next to it, tiny and huge ratios, and a grid."""
    edge = np.array([0.0, 1e-12, 1e-9, 1e-6, 1e-4, 1e-3, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5])
    vals = np.unique(np.concatenate([edge, 1 - edge, np.linspace(0, 1, 41)]))
    A_, B_ = np.meshgrid(vals, vals, indexing="ij")
    a, b = A_.ravel(), B_.ravel()
    near = np.linspace(0.02, 0.98, 49)
    for eps in (1e-2, 1e-4, 1e-6):
        a = np.concatenate([a, near + eps, near - eps])
        b = np.concatenate([b, near, near])
    return np.clip(a, 0, 1), np.clip(b, 0, 1)


_SEARCHED = len(_search_points()[0])


def _search(skeleton, parts, strict, ac):
    """Candidate counterexamples for ``skeleton >= 0`` on two-point pairs (float64): [(margin, a, b)], the
    failing pairs with simple masses first (readable counterexamples), then the worst of the grid, then
    local minima from the worst starts."""
    fns = [_numeric_fn(g) for _, g in parts]
    phi = sp.lambdify([d for d, _ in parts], skeleton, "numpy")
    a, b = _search_points()
    if ac:  # P << Q: no mass of P where Q has none
        keep = ~(((b == 0) & (a > 0)) | ((b == 1) & (a < 1)))
        a, b = a[keep], b[keep]

    def margin(a, b):
        with np.errstate(all="ignore"):
            vals = _binary_numeric(fns, np.atleast_1d(a), np.atleast_1d(b))
            m = np.asarray(phi(*vals), float) * np.ones_like(np.atleast_1d(a))
        return np.where(np.isnan(m), np.inf, m)

    m = margin(a, b)
    order = np.argsort(m)[:8]
    found = [(float(m[i]), float(a[i]), float(b[i])) for i in order]
    bad = np.flatnonzero(m < 0)
    if bad.size:  # readable counterexamples first: failing pairs with simple masses (1/2, 1/10, ...)
        def plain(x):
            return Fraction(float(x)).limit_denominator(20) == Fraction(float(x))
        simple = [i for i in bad if plain(a[i]) and plain(b[i])]
        simple.sort(key=lambda i: (Fraction(float(a[i])).denominator + Fraction(float(b[i])).denominator, m[i]))
        found = [(float(m[i]), float(a[i]), float(b[i])) for i in simple[:6]] + found
    from scipy.optimize import minimize

    def cost(z):  # the margin once per call; an infinite or undefined one is a large cost
        v = float(margin(z[0], z[1])[0])
        return v if np.isfinite(v) else 1e300

    lo = 1e-12
    for _, a0, b0 in list(found[:4]):  # local optimization of the margin from the worst starts
        x0 = np.clip([a0, b0], lo, 1 - lo)
        try:
            res = minimize(cost, x0, method="L-BFGS-B", bounds=[(0, 1), (lo if ac else 0, 1 - lo if ac else 1)])
            found.append((float(res.fun), float(res.x[0]), float(res.x[1])))
        except (ValueError, FloatingPointError):
            pass
    return found


def _exact_counterexample(skeleton, parts, strict, candidates, ac):
    """Exact two-point pairs near the numeric candidates where the statement fails, confirmed exactly."""
    tried = set()
    for _, af, bf in candidates:
        approximations = [(sp.Rational(*Fraction(af).limit_denominator(den).as_integer_ratio()),
                           sp.Rational(*Fraction(bf).limit_denominator(den).as_integer_ratio()))
                          for den in (1, 2, 3, 4, 5, 10, 20, 100, 1000, 10**4, 10**6)]
        approximations.append((sp.Rational(af), sp.Rational(bf)))  # the float itself, exactly (tiny masses)
        for a, b in approximations:
            if (a, b) in tried or not (0 <= a <= 1 and 0 <= b <= 1):
                continue
            if ac and ((b == 0 and a > 0) or (b == 1 and a < 1)):
                continue
            tried.add((a, b))
            vals = {d: binary_value(g, a, b) for d, g in parts}
            phi = skeleton.xreplace(vals)
            s = exact_sign(phi)
            if s is not None and (s < 0 or (strict and s == 0)):
                return a, b, vals, phi
    return None


def exact_decimals(st):
    """Decimals as the exact rationals they denote (0.6 is 3/5): the decision is about what was typed."""
    floats = {f: sp.Rational(str(f)) if len(str(f)) < 40 else sp.nsimplify(f, rational=True)
              for f in st.atoms(sp.Float)}
    if not floats:
        return st
    if isinstance(st, sp.Rel):  # rebuilt unevaluated: pi > 3.1416 stays a statement, not False
        return type(st)(st.lhs.xreplace(floats), st.rhs.xreplace(floats), evaluate=False)
    return st.xreplace(floats)


def _is_affine(skeleton, dummies):
    for d in dummies:
        first = sp.diff(skeleton, d)
        if first.free_symbols & set(dummies):
            return False
    return True


def decide_fdiv_inequality(st, deadline: float | None = None) -> Evidence:
    """An inequality between functions of f-divergences of one pair: proved (certified), refuted (an
    exact two-point counterexample), or undecided. Raises :class:`NotReducible` where it does not apply."""
    ev, names = _decide(st, deadline)
    if not ev.steps:
        return ev
    steps = tuple((what, val.xreplace(names) if isinstance(val, sp.Basic) else val) for what, val in ev.steps)
    return Evidence(ev.holds, ev.method, ev.detail, ev.counterexample, steps=steps)


def _decide(st, deadline):
    if not isinstance(st, (sp.GreaterThan, sp.StrictGreaterThan, sp.LessThan, sp.StrictLessThan)):
        raise NotReducible("not an inequality")
    strict = isinstance(st, (sp.StrictGreaterThan, sp.StrictLessThan))
    st = exact_decimals(st)
    phi_expr = st.lhs - st.rhs if isinstance(st, (sp.GreaterThan, sp.StrictGreaterThan)) else st.rhs - st.lhs
    skeleton, parts, (P, Q), ac, atoms = reduce_to_generators(phi_expr)
    names = {d: atom for atom, (d, _) in zip(atoms, parts)}
    rel = ">" if strict else ">="
    steps = [("the statement as Phi >= 0" if not strict else "the statement as Phi > 0",
              sp.Rel(phi_expr, 0, rel, evaluate=False)),
             ("each divergence as D_f(P || Q) with P = " + str(P) + ", Q = " + str(Q) + ": its generator f(u)",
              sp.Tuple(*[sp.Eq(sp.Function(f"f_{i + 1}")(U), g, evaluate=False) for i, (_, g) in enumerate(parts)]))]
    family = "pairs with P << Q (E[...] needs R = dP/dQ)" if ac else "all pairs of distributions"
    found = _search(skeleton, parts, strict, ac)
    ce = _exact_counterexample(skeleton, parts, strict, found, ac)
    if ce is not None:
        a, b, vals, phi = ce
        cex = {str(P): f"({a}, {1 - a})", str(Q): f"({b}, {1 - b})"}
        for atom, (d, _) in zip(atoms, parts):
            cex[str(atom)] = _show(vals[d])
        cex["lhs"] = _show(st.lhs.xreplace({atom: vals[d] for atom, (d, _) in zip(atoms, parts)}))
        cex["rhs"] = _show(st.rhs.xreplace({atom: vals[d] for atom, (d, _) in zip(atoms, parts)}))
        return (Evidence(False, "symbolic", f"fails on two-point distributions {P} = ({a}, {1 - a}), "
                        f"{Q} = ({b}, {1 - b}) (exact values)", cex, steps=tuple(steps)), names)
    dummies = [d for d, _ in parts]
    worst = min(f[0] for f in found) if found else float("nan")
    if _is_affine(skeleton, dummies):
        return (_decide_affine(skeleton, parts, strict, ac, steps, family, deadline, worst), names)
    if len(parts) == 1:
        return (_decide_single(skeleton, parts, strict, ac, steps, family, deadline, worst), names)
    if len(parts) == 2:
        ev = _decide_pair(skeleton, parts, strict, ac, steps, family, deadline, worst)
        if ev is not None:
            return (ev, names)
    return (Evidence(None, "numeric", f"no two-point counterexample among {_SEARCHED} pairs and local "
                    f"searches (smallest margin {worst:.3g}), but no proof: the statement is neither affine in its "
                    "divergences, nor about one divergence, nor a concave function of two that the two-point "
                    "argument certifies", steps=tuple(steps)), names)


def _show(v):
    v = sp.nsimplify(v) if isinstance(v, sp.Float) else v
    if v.is_Number or v in (sp.oo, -sp.oo):
        return str(v)
    return f"{v} = {sp.N(v, 6)}"


_REV: dict = {}


def _reversed(f):
    """v f(1/v) in v, simplified one generator at a time (JSD and Hellinger come back as themselves)."""
    if f not in _REV:
        rev = simplified(sp.expand_log(sp.expand(_V * f.subs(U, 1 / _V)), force=True))
        same = f.subs(U, _V)
        _REV[f] = same if simplified(rev - same) == 0 else rev  # a self-dual generator keeps its spelling
    return _REV[f]


def _decide_affine(skeleton, parts, strict, ac, steps, family, deadline, worst) -> Evidence:
    dummies = [d for d, _ in parts]
    c0 = skeleton.xreplace({d: 0 for d in dummies})
    h = c0 + sum(sp.diff(skeleton, d) * g for d, g in parts)
    steps = steps + [("Phi = D_h(P || Q) with h(u) = c_0 + sum c_i f_i(u) (Phi is affine in the divergences)",
                      sp.Eq(sp.Symbol("h"), h))]
    if simplified(sp.diff(h, U, 2)) == 0:  # h = a + b u: D_h = a Q(q > 0) + b P(q > 0) + b P(q = 0) = a + b = h(1)
        c = simplified(h.subs(U, 1))  # at every pair (C(G) against -log 4 + 2 JSD: h = (u - 1) log 2, Phi = 0)
        sg = exact_sign(c)
        if sg is not None:
            steps = steps + [("h is affine in u, so Phi = D_h = h(1) at every pair", sp.Eq(sp.Symbol("Phi"), c))]
            if sg > 0 or (sg == 0 and not strict):
                return Evidence(True, "symbolic", f"proved for {family}: the generator h is affine in u, so Phi = "
                                f"D_h = h(1) = {c} at every pair" + (" (the two sides are equal)" if sg == 0 else ""),
                                steps=tuple(steps))
            return Evidence(False, "symbolic", f"the generator h is affine in u, so Phi = D_h = h(1) = {c} at every "
                            "pair: the inequality fails at every pair", {"P = Q": "any", "Phi": str(c)},
                            steps=tuple(steps))
    slope = sp.oo if ac else _lim(h / U, sp.oo, "-")
    h0 = _lim(h, 0)
    h1 = simplified(h.subs(U, 1))
    if exact_sign(h1) is not None and (exact_sign(h1) < 0 or (strict and exact_sign(h1) == 0)):
        return Evidence(False, "symbolic", "fails at P = Q", {"P = Q": "any", "Phi": str(h1)}, steps=tuple(steps))
    cands = []
    try:
        d = sp.diff(h, U)
        left, right = sp.limit(d, U, 1, "-"), sp.limit(d, U, 1, "+")
        cands += [left] if left == right else [left, right, (left + right) / 2]
    except (NotImplementedError, ValueError):
        pass
    cands += [slope, -h0, sp.Integer(0)]
    cands = [c for c in dict.fromkeys(cands) if c.is_finite and not c.has(sp.nan)]
    reasons = []
    for lam in cands:
        if not ac and exact_sign(slope - lam) == -1:
            continue
        if exact_sign(h0 + lam) == -1:  # h(0) >= -lambda is the line at u = 0
            continue
        g_u = h - lam * (U - 1)
        g_v = simplified(_V * h.subs(U, 1 / _V) - lam * (1 - _V))
        c1 = certify_nonnegative(g_u, U, 0, 1, strict=strict, deadline=deadline, hints=(1,), max_boxes=1500)
        if c1.holds is not True:
            reasons.append(f"lambda = {lam}: h(u) - lambda (u - 1) on [0, 1]: {c1.reason or 'negative'}")
            continue
        termwise = c0 * _V + sum(sp.diff(skeleton, d) * _reversed(g) for d, g in parts) - lam * (1 - _V)
        for form in (termwise, g_v):  # two spellings of one function: interval enclosures differ
            g_v_body = form.subs(_V, U)
            c2 = certify_nonnegative(g_v_body, U, 0, 1, strict=False, deadline=deadline, hints=(1,), max_boxes=1500)
            if c2.holds is not None:
                break
        if c2.holds is not True:
            reasons.append(f"lambda = {lam}: v h(1/v) - lambda (1 - v) on [0, 1]: {c2.reason or 'negative'}")
            continue
        if strict:  # the v-side must be positive except at v = 0, where the singular part carries it
            c3 = certify_nonnegative(g_v_body, U, sp.Rational(1, 10**9), 1, strict=True, deadline=deadline)
            if c3.holds is not True:
                reasons.append(f"lambda = {lam}: strict positivity on (0, 1]: {c3.reason}")
                continue
        tight = sorted({*c1.tight, *[1 / t for t in c2.tight if t != 0]}, key=float)
        steps += [("a supporting line: lambda", lam),
                  ("h(u) - lambda (u - 1) >= 0 on [0, 1], certified by interval arithmetic on "
                   f"{c1.boxes} boxes (mpmath.iv)", sp.Rel(g_u, 0, ">" if strict else ">=", evaluate=False)),
                  (f"v h(1/v) - lambda (1 - v) >= 0 on [0, 1] (u = 1/v >= 1, v = 0 is u = oo), certified on "
                   f"{c2.boxes} boxes", sp.Rel(g_v, 0, ">=", evaluate=False)),
                  ("so D_h(P || Q) = int (h(u) - lambda (u - 1)) dmu + s (h'(oo) - lambda) >= 0 for " + family +
                   " (int (u - 1) dmu = -s)", None)]
        where = "; tight at u = " + ", ".join(map(str, tight)) if tight else ""
        return Evidence(True, "symbolic", f"proved for {family}: the statement is D_h >= 0 for one generator h, "
                        f"certified by a supporting line (lambda = {lam}) and interval arithmetic{where}",
                        steps=tuple(steps))
    return Evidence(None, "symbolic", f"no two-point counterexample (smallest margin {worst:.3g}) and no certificate: "
                    + ("; ".join(reasons[:2]) or "no supporting line"), steps=tuple(steps))


def _decide_single(skeleton, parts, strict, ac, steps, family, deadline, worst) -> Evidence:
    (d, f), = parts
    conv = simplified(sp.diff(f, U, 2))
    c = certify_nonnegative(conv, U, sp.Rational(1, 10**6), 10**6, deadline=deadline)
    if conv.is_nonnegative is not True and c.holds is not True:
        return Evidence(None, "symbolic", f"no two-point counterexample (smallest margin {worst:.3g}); the generator "
                        "is not shown convex, so the divergence's range is not known exactly", steps=tuple(steps))
    lo = simplified(f.subs(U, 1))
    f0, slope = _parts(f)
    hi = sp.oo if ac else simplified(f0 + slope)
    phi = skeleton.subs(d, _X)
    steps = steps + [(f"the divergence ranges over [f(1), f(0) + f'(oo)] for {family} (f convex: Jensen below, "
                      "disjoint supports above)", sp.Interval(lo, hi))]
    if hi is sp.oo:
        s = sp.Symbol("s", nonnegative=True)
        body = simplified(phi.subs(_X, lo + s / (1 - s)))
        cert = certify_nonnegative(body, s, 0, 1, strict=strict, deadline=deadline)
        at_inf = sp.limit(phi, _X, sp.oo)
        if not ac and exact_sign(at_inf) is not None and exact_sign(at_inf) < 0:
            return Evidence(False, "symbolic", "fails at disjoint supports (the divergence is infinite)",
                            {"P": "(1, 0)", "Q": "(0, 1)", "Phi": str(at_inf)}, steps=tuple(steps))
    else:
        cert = certify_nonnegative(phi, _X, lo, hi, strict=strict, deadline=deadline)
    if cert.holds is True:
        return Evidence(True, "symbolic", f"proved for {family}: Phi(x) >= 0 on the whole range of the divergence, "
                        f"certified by interval arithmetic on {cert.boxes} boxes", steps=tuple(steps + [
                            ("Phi on that range", sp.Rel(phi, 0, ">" if strict else ">=", evaluate=False))]))
    return Evidence(None, "symbolic", f"no two-point counterexample (smallest margin {worst:.3g}); on the range "
                    f"of the divergence: {cert.reason or 'not certified'}", steps=tuple(steps))


def _concave(skeleton, dummies) -> bool:
    """Phi concave in the divergences (on the nonnegative quadrant): its superlevel set is convex, so a
    two-point proof extends to all distributions (the joint range is the convex hull of the two-point one)."""
    pos = {d: sp.Symbol(f"x{i}", positive=True) for i, d in enumerate(dummies)}
    F = skeleton.xreplace(pos)
    H = sp.hessian(F, list(pos.values())).applyfunc(sp.simplify)
    conds = [-H[0, 0], -H[1, 1], simplified(H.det())]
    return all(c == 0 or c.is_nonnegative for c in conds)


def _squared(skeleton, dummies):
    """``c sqrt(E) - X`` with c > 0 and X >= 0 (a nonnegative combination of divergences) as the
    equivalent ``c^2 E - X^2``; else None."""
    half = sp.Rational(1, 2)
    terms = sp.Add.make_args(sp.expand(skeleton))
    roots = [t for t in terms if any(isinstance(f, sp.Pow) and f.exp == half and f.base.has(*dummies)
                                     for f in sp.Mul.make_args(t))]
    if len(roots) != 1:
        return None
    factors = sp.Mul.make_args(roots[0])
    inner = sp.Mul(*[f.base for f in factors if isinstance(f, sp.Pow) and f.exp == half and f.base.has(*dummies)])
    c = sp.Mul(*[f for f in factors if not (isinstance(f, sp.Pow) and f.exp == half and f.base.has(*dummies))])
    X = -sp.Add(*[t for t in terms if t is not roots[0]])
    if not (c.is_positive and X.xreplace({d: 0 for d in dummies}) == 0
            and all(sp.diff(X, d).is_nonnegative for d in dummies) and sp.Poly(X, *dummies).is_linear):
        return None
    return sp.expand(c**2 * inner - X**2)


def _decide_pair(skeleton, parts, strict, ac, steps, family, deadline, worst):
    """Two divergences, Phi not affine: Phi concave (its superlevel set convex) and, on two-point
    distributions P = (a, 1 - a), Q = (b, 1 - b): Phi(b, b) >= 0, d/da Phi = 0 at a = b, and
    d^2/da^2 Phi >= 0 on each side of the diagonal (Taylor in a around a = b; the ends a = 0, 1 by
    continuity for 0 < b < 1), with the edges b = 0, 1 decided under the conventions. None where this
    argument does not apply (the caller says undecided)."""
    if strict or ac:
        return None
    dummies = [d for d, _ in parts]
    square = _squared(skeleton, dummies)
    if not (_concave(skeleton, dummies) or (square is not None and _concave(square, dummies))):
        return None
    phi_s = square if square is not None else skeleton
    a, b = sp.Symbol("a", positive=True), sp.Symbol("b", positive=True)
    inner = phi_s.xreplace({d: b * g.subs(U, a / b) + (1 - b) * g.subs(U, (1 - a) / (1 - b)) for d, g in parts})
    new_steps = [("Phi is concave in the two divergences: {Phi >= 0} is convex, so two points suffice", None),
                 ("two-point distributions P = (a, 1 - a), Q = (b, 1 - b); by the symmetry of the cells, "
                  "0 < b < 1 and the edge b = 0 cover the square", None)]
    if square is not None:
        new_steps.append(("squared (both sides are nonnegative)", sp.Rel(square, 0, ">=", evaluate=False)))
    for side, probe in (("a > b", (sp.Rational(7, 10), sp.Rational(3, 10))),
                        ("a < b", (sp.Rational(3, 10), sp.Rational(7, 10)))):
        def fix(e, probe=probe):
            arg = e.args[0]
            zeros = sp.solve(sp.together(arg), a)
            if [simplified(z - b) for z in zeros] != [0]:
                raise ValueError("a kink off the diagonal")
            return arg if arg.subs({a: probe[0], b: probe[1]}) > 0 else -arg
        try:
            phi = inner.replace(lambda e: isinstance(e, sp.Abs), fix)
        except ValueError:
            return None
        on_diag = simplified(phi.subs(a, b))
        d1 = simplified(sp.diff(phi, a).subs(a, b))
        if d1 != 0:
            return None
        d2 = simplified(sp.diff(phi, a, 2))
        if on_diag != 0 and certify_nonnegative(on_diag.subs(b, U), U, 0, 1, deadline=deadline).holds is not True:
            return None
        free = d2.free_symbols
        if not free <= {a} and not free <= {b}:
            return None
        var = a if a in free else b
        c = certify_nonnegative(d2.subs(var, U), U, 0, 1, deadline=deadline, hints=(sp.Rational(1, 2),))
        if c.holds is not True:
            return None
        new_steps.append((f"for {side}: Phi and d/da Phi vanish at a = b, and d^2/da^2 Phi >= 0 (certified on "
                          f"{c.boxes} boxes)", sp.Tuple(sp.Eq(sp.Symbol("Phi(b, b)"), on_diag, evaluate=False),
                                                         sp.Eq(sp.Symbol("dPhi/da(b, b)"), d1, evaluate=False),
                                                         sp.Eq(sp.Symbol("d2Phi/da2"), d2, evaluate=False))))
    for edge in (0,):  # b = 0: Q a point mass, under the conventions (b = 1 is b = 0 with the cells swapped)
        corner = phi_s.xreplace({d: binary_value(g, sp.Integer(1), sp.Integer(edge)) for d, g in parts})
        if exact_sign(corner) not in (0, 1):  # disjoint supports
            return None
        t = sp.Symbol("t", positive=True)  # 0 < a < 1 as a = 1/(1 + t), so that SymPy knows log(1 - a) is finite
        ph = simplified(phi_s.xreplace({d: binary_value(g, 1 / (1 + t), sp.Integer(edge)) for d, g in parts}))
        if ph is not sp.oo:
            ph = simplified(phi_s.xreplace({d: binary_value(g, a, sp.Integer(edge)) for d, g in parts}))
        if ph.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
            if ph is sp.oo:
                new_steps.append((f"the edge b = {edge} (Q a point mass): Phi is infinite for a > 0", None))
                continue
            return None
        if certify_nonnegative(ph.subs(a, U), U, 0, 1, deadline=deadline).holds is not True:
            return None
        new_steps.append((f"the edge b = {edge} (Q a point mass; b = 1 is the same with the cells swapped)",
                          sp.Rel(ph, 0, ">=", evaluate=False)))
    return Evidence(True, "symbolic", f"proved for {family}: on two-point distributions Phi is convex in a with "
                    "Phi = 0 and d/da Phi = 0 on the diagonal, and Phi is concave in the divergences (so the "
                    "two-point proof extends to every pair)", steps=tuple(steps + new_steps))


def exact_value(atom, ref, env):
    """A functional of concrete distributions, exactly: ``env`` maps density symbols to tuples of SymPy
    rationals (one per cell). f-divergences and E[...] by their generators (with the conventions at
    empty cells), W1 on the line by the cumulative sums, entropy and cross-entropy by their sums. Returns
    None for a functional without an exact evaluation here."""
    def density(expr):
        n = len(next(iter(env.values())))
        return [sp.nsimplify(expr).xreplace({s: env[s][i] for s in env}) for i in range(n)]

    if isinstance(atom, A.W1):
        a, b = (density(x) for x in atom.args)
        total, ca, cb = sp.Integer(0), sp.Integer(0), sp.Integer(0)
        for x, y in zip(a[:-1], b[:-1]):
            ca, cb = ca + x, cb + y
            total += abs(ca - cb)
        return total
    if isinstance(atom, A.Entropy):
        return -sum((x * sp.log(x) for x in density(atom.args[0]) if x != 0), sp.Integer(0))
    if isinstance(atom, A.CrossEntropy):
        a, b = (density(x) for x in atom.args)
        return sum((sp.oo if y == 0 else -x * sp.log(y) for x, y in zip(a, b) if x != 0), sp.Integer(0))
    try:
        f, (P, Q), _ = _generator_of(atom, ref)
    except NotReducible:
        return None
    if isinstance(atom, (A.E, A.Et)):
        p, q = (density(A.DENSITY_PAIRS[ref]), density(ref))
    else:
        try:
            p, q = density(P), density(Q)
        except (TypeError, ValueError):
            return None
    f0, slope = _parts(f)
    total = sp.Integer(0)
    for x, y in zip(p, q):
        if x == 0 and y == 0:
            continue
        if y == 0:
            total += x * slope
        elif x == 0:
            total += y * f0
        else:
            total += y * f.subs(U, x / y)
    return total
