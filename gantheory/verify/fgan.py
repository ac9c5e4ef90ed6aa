"""Verifiers for the f-GAN table: conjugates computed as suprema, activations, f'(1), Fenchel-Young."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import sympy as sp
from scipy.special import lambertw

from gantheory._claim import Evidence
from gantheory.symbolic._fgan import _lt, conjugate_pieces, legendre_pieces, t, u
from gantheory.symbolic._simplify import simplified

__all__ = ["conjugate", "activation_image", "derivative_at_one", "fenchel_young"]

_MODULES = ["numpy", {"LambertW": lambda x: np.real(lambertw(x))}]


def _numeric_sup(fn, tv: float) -> float:
    """sup over u > 0 of u t - f(u), on a log grid refined around the best point; inf if unbounded."""
    grid = np.logspace(-12, 12, 24001)
    with np.errstate(all="ignore"):
        vals = grid * tv - fn(grid)
    vals = np.where(np.isfinite(vals), vals, -np.inf)
    k = int(np.argmax(vals))
    if k == grid.size - 1 and vals[k] > 1e6:
        return np.inf
    lo, hi = np.log(grid[max(k - 1, 0)]), np.log(grid[min(k + 1, grid.size - 1)])
    for _ in range(100):  # golden section in log u
        a, b = hi - 0.618 * (hi - lo), lo + 0.618 * (hi - lo)
        fa, fb = np.exp(a) * tv - fn(np.exp(a)), np.exp(b) * tv - fn(np.exp(b))
        lo, hi = (lo, b) if fa >= fb else (a, hi)
    x = np.exp((lo + hi) / 2)
    return float(max(vals[k], x * tv - fn(x), -fn(1e-300) if np.isfinite(fn(1e-300)) else -np.inf))


def _samples(dom: sp.Interval) -> tuple[list, list]:
    lo, hi = float(dom.inf), float(dom.sup)
    if np.isfinite(lo) and np.isfinite(hi):
        inside = list(np.linspace(lo, hi, 9)[1:-1])
    elif np.isfinite(hi):
        inside = [hi - d for d in (0.01, 0.3, 1.0, 2.5, 6.0)]
    elif np.isfinite(lo):
        inside = [lo + d for d in (0.01, 0.3, 1.0, 2.5, 6.0)]
    else:
        inside = [-6.0, -2.5, -1.0, -0.3, 0.0, 0.4, 1.5, 4.0]
    outside = ([hi + 0.5] if np.isfinite(hi) else []) + ([lo - 0.5] if np.isfinite(lo) else [])
    return inside, outside


def _finite_ends(dom) -> list:
    if not isinstance(dom, sp.Interval):
        return []
    return [e for e in (dom.inf, dom.sup) if e.is_finite]


def _sup_at_boundary(f, fn, end):
    """sup_{u > 0} (u t - f(u)) at t = ``end``, +oo included, symbolically: the larger of the limits at
    u -> 0+ and u -> oo and the values at the critical points (a grid cannot tell 2 - 1/u from the
    slow log u of the GAN row, and u - (1 - u)^2/u cancels catastrophically at large u). Falls back to
    the grid where SymPy cannot decide (a kink, as in total variation)."""
    g = u * end - f
    try:
        cands = [sp.limit(g, u, sp.oo), sp.limit(g, u, 0, "+")]
        if any(c == sp.oo for c in cands):  # unbounded whatever the critical points
            return sp.oo
        for r in sp.solve(sp.Eq(sp.diff(g, u), 0), u):
            if r.is_real and r.is_positive:
                cands.append(simplified(g.subs(u, r)))
        if any(c == sp.oo for c in cands):
            return sp.oo
        vals = [float(c) for c in cands if c.is_finite]
        if vals:
            return max(vals)
    except (NotImplementedError, TypeError, ValueError):
        pass
    return _numeric_sup(fn, float(end))


def _applied(claimed, var):
    """A claimed function typed as ``Lambda(s, ...)`` (as the left side's f is) is its value at ``var``; an
    expression is taken as one in ``var`` already."""
    if isinstance(claimed, sp.Lambda):
        if len(claimed.variables) != 1:
            raise ValueError(f"the claimed function {claimed} must take one variable")
        return claimed(var)
    return claimed


def conjugate(statement: sp.Equality) -> Evidence:
    """``Conjugate(f, dom) == f*``: f*(t) = sup_{u > 0} (u t - f(u)) equals the claim on dom, and is
    +inf just outside it. Numerically: the supremum on a log grid; symbolically: the first-order
    condition f'(u) = t solved for u > 0 on the parametrized domain (f strictly convex)."""
    lhs, claimed = statement.lhs, _applied(statement.rhs, t)
    lam, dom = lhs.args
    f = lam(u)
    params = sorted((f.free_symbols | sp.sympify(claimed).free_symbols | dom.free_symbols) - {u, t}, key=str)
    if params:
        return _at_parameter_samples(conjugate, statement, params)
    fn = sp.lambdify(u, f, _MODULES)
    cfn = sp.lambdify(t, claimed, _MODULES)
    inside, outside = _samples(dom)
    for tv in inside:
        sup = _numeric_sup(fn, tv)
        with np.errstate(all="ignore"):
            cv = float(np.real(cfn(tv)))
        if not np.isfinite(sup) or not abs(sup - cv) <= 1e-6 * (1 + abs(sup)):
            return Evidence(False, "numeric", "the supremum differs from the claimed conjugate",
                            {"t": tv, "sup_u(ut - f(u))": sup, "claimed": cv})
    for tv in outside:
        sup = _numeric_sup(fn, tv)
        if np.isfinite(sup):
            return Evidence(False, "numeric", "f* is finite outside the claimed domain",
                            {"t": tv, "sup_u(ut - f(u))": sup, "claimed_domain": str(dom)})
    for end in _finite_ends(dom):  # the caveat lives at the boundary: is f* finite there or not?
        sup = _sup_at_boundary(f, fn, end)
        included = bool(dom.contains(end))
        if not included and sp.oo != sup:
            return Evidence(False, "symbolic", "f* is finite at a boundary point the claimed domain excludes",
                            {"t": float(end), "f*(t) = sup_u (ut - f(u))": sup, "claimed_domain": str(dom)})
        if included:
            with np.errstate(all="ignore"):
                cv = float(np.real(cfn(float(end))))
            if sp.oo == sup or not abs(float(sup) - cv) <= 1e-6 * (1 + abs(cv)):
                return Evidence(False, "symbolic", "at the domain's boundary point f* differs from the claim",
                                {"t": float(end), "f*(t) = sup_u (ut - f(u))": sup, "claimed": cv})
    if simplified(sp.diff(f, u, 2)).is_positive is not True:
        return Evidence(True, "numeric", "f not differentiable/strictly convex: supremum checked on a grid")
    exact = _exact_conjugate(f, dom, claimed)
    if exact is not None:
        return exact
    return Evidence(True, "numeric", "supremum matches on the domain at the sampled t; f* not derived in closed "
                    "form")


def _no_exp_of_lambert(expr):
    """exp(a + W(z)) written as exp(a) z / W(z) (W e^W = z), which SymPy's simplification does not do: Jeffrey's
    maximizer u* = exp(t + W(e^(1 - t)) - 1) is 1/W(e^(1 - t))."""
    if not expr.has(sp.LambertW):
        return expr
    expr = sp.expand(expr, power_exp=True, mul=False, multinomial=False, log=False, power_base=False)
    return expr.replace(lambda e: isinstance(e, sp.exp) and isinstance(e.args[0], sp.LambertW),
                        lambda e: e.args[0].args[0] / e.args[0])


def _lambert_of_b_exp_b(expr):
    """W(b e^b) written as b where b >= -1 is shown (the principal branch inverts x e^x there):
    Jeffrey's critic gives W(e^(1/r)/r) = 1/r."""
    def inverted(w):
        z = w.args[0]
        for e in z.atoms(sp.exp):
            b = e.args[0]
            if simplified(z - b * sp.exp(b)) == 0 and (b + 1).is_nonnegative:
                return b
        return w
    return expr.replace(lambda e: isinstance(e, sp.LambertW) and len(e.args) == 1, inverted)


def _value(expr, x, xv):
    """expr at x = xv, exactly where SymPy can (a Piecewise's conditions decided), else to 30 digits."""
    v = expr.subs(x, xv)
    if v.has(sp.Piecewise):
        v = sp.N(expr.subs(x, sp.N(xv, 40)), 30)
    return v


def _branch(expr, x, xv):
    """The branch of a Piecewise in x active at the rational x = xv (expr itself if not a Piecewise)."""
    if not isinstance(expr, sp.Piecewise):
        return expr
    for e, c in expr.args:
        if c.subs(x, xv) == sp.true:
            return e
    return sp.nan


def _cuts(expr, x) -> list | None:
    """The real x where a condition of the Piecewise ``expr`` can change (None if not a finite set)."""
    out = set()
    for rel in expr.atoms(sp.Rel):
        if not rel.has(x):
            continue
        sol = sp.solveset(rel.lhs - rel.rhs, x, sp.S.Reals)
        if not isinstance(sol, sp.FiniteSet):
            return None
        out.update(sol)
    return list(out)


def _compare_pieces(pieces, region: sp.Interval, claimed, x, steps, name):
    """Compare ``claimed`` (an expression in x, Piecewise, Max, Abs allowed) with a function given by ``pieces``
    [(set, expression)] on the interval ``region``: on every stretch between the points where a piece of either
    one ends (simplified to 0 on the stretch's parametrization, else evaluated to 30 digits at three points),
    and at those points. Evidence (a proof, or a refutation at a point) or None where neither is reached."""
    from gantheory.symbolic._reduce import interval_parametrization
    from gantheory.symbolic._stability import _rational_between

    try:
        claim = sp.piecewise_fold(claimed.rewrite(sp.Piecewise)) if claimed.has(
            sp.Max, sp.Min, sp.Abs, sp.Heaviside, sp.sign, sp.Piecewise) else claimed
        cuts = _cuts(claim, x) if isinstance(claim, sp.Piecewise) else []
    except (NotImplementedError, ValueError, TypeError):
        return None
    if cuts is None:
        return None
    ends = [e for reg, _ in pieces for e in (reg.inf, reg.sup) if e.is_finite]
    pts = sorted({c for c in [*cuts, *ends] if c.is_real and region.contains(c) == sp.true},
                 key=lambda z: float(sp.N(z, 30)))
    edges = [region.inf, *[c for c in pts if c not in (region.inf, region.sup)], region.sup]

    def piece_at(xv):
        return next((e for reg, e in pieces if reg.contains(xv) == sp.true), None)

    def refute(xv, dv, cv):
        diff = sp.N(dv - cv, 30)
        return Evidence(False, "symbolic", f"derived {name}({xv}) = {dv}, but the claim gives {cv}",
                        {str(x): str(xv), "derived": str(sp.N(dv, 15)), "claimed": str(sp.N(cv, 15)),
                         "difference": float(diff) if diff.is_real else str(diff)}, steps=tuple(steps))

    for lo, hi in zip(edges[:-1], edges[1:]):
        if not _lt(lo, hi):
            continue
        mid = _rational_between(lo, hi)
        dv, cv = piece_at(mid), _branch(claim, x, mid)
        if dv is None:
            return None
        if cv is sp.nan:
            return refute(mid, dv, cv)
        w, x_of_w = interval_parametrization(sp.Interval.open(lo, hi), x)
        gap = simplified(_no_exp_of_lambert(sp.expand_log(simplified((dv - cv).subs(x, x_of_w)), force=True)))
        if gap == 0:
            continue
        for xv in dict.fromkeys([mid, _rational_between(lo, mid), _rational_between(mid, hi)]):
            diff = sp.N((dv - cv).subs(x, xv), 30)
            if not (diff.is_real and abs(diff) < sp.Float(10) ** -20 * (1 + abs(sp.N(dv.subs(x, xv), 30)))):
                return refute(xv, dv.subs(x, xv), cv.subs(x, xv))
        return None
    for c in pts:
        dv, cv = piece_at(c), _value(claim, x, c)
        if dv is None:
            return None
        if simplified(sp.expand_log(dv - cv, force=True)) == 0:
            continue
        diff = sp.N(dv - cv, 30)
        if not (diff.is_real and abs(diff) < sp.Float(10) ** -20 * (1 + abs(sp.N(dv, 30)))):
            return refute(c, dv, cv)
        return None
    steps = [*steps, ("the claim equals it on every stretch between the pieces' ends and at each end",
                      sp.Tuple(*pts))]
    return Evidence(True, "symbolic", f"{name} derived in closed form and equal to the claim on all of {region}",
                    steps=tuple(steps))


def _exact_conjugate(f, dom, claimed):
    """Compare the claim with f* derived in closed form (:func:`gantheory.symbolic._fgan.conjugate_pieces`):
    the domains as sets, then the expressions (:func:`_compare_pieces`). None where the derivation or the
    comparison does not finish (then the caller reports the numeric comparison)."""
    try:
        pieces, ddom, steps = conjugate_pieces(f)
    except (NotImplementedError, ValueError, TypeError):
        return None
    for diff, finite in ((sp.Complement(dom, ddom), False), (sp.Complement(ddom, dom), True)):
        if diff == sp.S.EmptySet or isinstance(diff, sp.Complement):
            continue
        pt = _a_point(diff)
        return Evidence(False, "symbolic", f"dom f* is {ddom}, not {dom}: at t = {pt} f* is "
                        f"{'finite' if finite else '+oo'}", {"t": str(pt), "derived_domain": str(ddom),
                                                              "claimed_domain": str(dom)}, steps=tuple(steps))
    return _compare_pieces(pieces, ddom, claimed, t, steps, "f*")


def _a_point(S: sp.Set):
    """One simple point of a nonempty set of reals (an isolated point, or a rational inside an interval)."""
    from gantheory.symbolic._stability import _rational_between

    if isinstance(S, sp.FiniteSet):
        return sorted(S, key=lambda z: float(z))[0]
    if isinstance(S, sp.Union):
        return _a_point(S.args[0])
    if isinstance(S, sp.Interval):
        if S.inf == S.sup:
            return S.inf
        return _rational_between(S.inf, S.sup)
    raise ValueError(f"no point chosen in {S}")


def _image_by_range(g, x) -> tuple[sp.Set, tuple]:
    """g(R) for g continuous on R and not of one strict sign of slope: the critical points and the limits at
    +-infinity bound it (SymPy's ``function_range``), with the steps that derive it."""
    from sympy.calculus.util import function_range

    dg = simplified(sp.diff(g, x))
    crit = sp.solveset(dg, x, sp.S.Reals)
    image = function_range(g, x, sp.S.Reals)
    ends = []
    for side, end in (("-", -sp.oo), ("+", sp.oo)):
        lim = sp.limit(g, x, end)
        ends.append((f"g at {side}infinity: no limit, it oscillates within" if isinstance(lim, sp.AccumBounds)
                     else f"the limit of g at {side}infinity", lim))
    steps = (("g'", dg), ("its real zeros (the critical points)", crit), *ends,
             ("so g(R), from the values at the critical points and the limits", image))
    return image, steps


def _at_parameter_samples(verifier, statement, params) -> Evidence:
    """A statement with parameters (a in a u^2) decided at values from each parameter's domain: a refutation
    at one of them refutes it (with those values); holding at all of them is numeric evidence ("checked")."""
    from gantheory._limits import TimeLimitExceeded, call_with_time_limit

    held, slow = [], []
    for sub in _parameter_samples(params):
        at = {str(k): str(v) for k, v in sub.items()}
        try:  # each value in its own budget: exp(t/a) at a = 1/100 can stall SymPy's limits
            ev = call_with_time_limit(verifier, PARAMETER_SAMPLE_SECONDS, statement.xreplace(sub))
        except TimeLimitExceeded:
            slow.append(at)
            continue
        if ev.holds is False:
            return Evidence(False, ev.method, f"at {', '.join(f'{k} = {v}' for k, v in at.items())}: {ev.detail}",
                            {**at, **(ev.counterexample or {})}, steps=ev.steps)
        if ev.holds is None:
            return Evidence(None, ev.method, f"at {', '.join(f'{k} = {v}' for k, v in at.items())}: {ev.detail}")
        held.append(at)
    def listed(rows):
        return "; ".join(", ".join(f"{k} = {v}" for k, v in h.items()) for h in rows)

    if not held:
        return Evidence(None, "numeric", f"not decided within {PARAMETER_SAMPLE_SECONDS:g} s at any value of "
                        f"{', '.join(map(str, params))} ({listed(slow)})")
    late = f"; not decided within {PARAMETER_SAMPLE_SECONDS:g} s at {listed(slow)}" if slow else ""
    return Evidence(True, "numeric", f"holds at {len(held)} values of {', '.join(map(str, params))} from their domains "
                    f"({listed(held)}), each decided as a concrete statement{late}; not derived for every value")


#: seconds for each parameter value of :func:`_at_parameter_samples`
PARAMETER_SAMPLE_SECONDS = 8.0


def _parameter_samples(params) -> list[dict]:
    """Values for the parameters of a statement, inside each one's assumed domain (one sample with none)."""
    from gantheory.symbolic._numeric import into_domain

    if not params:
        return [{}]
    rows = []
    for value in (sp.Rational(1, 3), sp.Integer(1), sp.Rational(5, 2), -sp.Integer(2), sp.Rational(1, 100),
                  sp.Integer(100)):  # near 0 and far out too: a claim wrong only for large a is seen
        row = {p: sp.nsimplify(into_domain(p, float(value))) for p in params}
        if row not in rows:
            rows.append(row)
    return rows


def _samples_outside(g, x, image: sp.Set):
    """A grid value of g (v in [-40, 40] and +-1e3, +-1e6, 30 digits) that the derived image does not contain
    (allowing rounding), or None: the independent check of the derivation ((nan, nan) where the image has a part
    that is neither an interval nor a finite set, so that no value can be compared)."""
    fn = sp.lambdify(x, g, "mpmath")
    grid = [*np.linspace(-40, 40, 401), -1e3, 1e3, -1e6, 1e6]
    parts = image.args if isinstance(image, sp.Union) else (image,)
    with mpmath.workdps(30):
        spans = []  # the closed hull of each part, to 30 digits (a value within 1e-20 of one is inside)
        for part in parts:
            if isinstance(part, sp.Interval):
                spans.append(tuple(mpmath.mpf(-mpmath.inf if e == -sp.oo else mpmath.inf if e == sp.oo
                                              else sp.N(e, 30)) for e in (part.inf, part.sup)))
            elif isinstance(part, sp.FiniteSet):
                spans += [(mpmath.mpf(sp.N(e, 30)),) * 2 for e in part]
            else:  # a part the grid cannot be compared with: the derivation goes unchecked, so no verdict
                return math.nan, math.nan
        for xv in grid:
            try:
                val = fn(mpmath.mpf(float(xv)))
            except (ZeroDivisionError, ValueError, OverflowError):
                continue
            if not isinstance(val, mpmath.mpf) or not mpmath.isfinite(val):
                continue
            tol = mpmath.mpf(10) ** -20 * (1 + abs(val))
            if not any(lo - tol <= val <= hi + tol for lo, hi in spans):
                return float(xv), float(val)
    return None


def activation_image(statement: sp.Equality) -> Evidence:
    """``ImageOf(g) == S``: the image g(R) derived, then compared with S as a set (end points included).

    g must be defined on all of R (an output activation maps every real v): a real v where g has no finite
    real value refutes. A g with g' of one strict sign is strictly monotone, and its image is the open
    interval between its limits at -oo and +oo; otherwise the image is bounded by the values at the
    critical points and those limits (SymPy's ``function_range``; x^3, sin). The derived image is checked
    against g on a grid, and a point of the difference between the two sets is the counterexample."""
    lam, claimed = statement.lhs.args[0], statement.rhs
    vv = lam.variables[0]
    x = sp.Symbol(vv.name, real=True)  # shown as the user wrote it
    g = lam.expr.subs(vv, x)
    if not isinstance(claimed, sp.Set):
        raise TypeError("expected Eq(ImageOf(Lambda(v, g)), a set)")
    from sympy.calculus.util import continuous_domain

    try:
        dom = continuous_domain(g, x, sp.S.Reals)
    except (NotImplementedError, ValueError, TypeError):
        dom = None
    if dom is not None and dom != sp.S.Reals:
        try:
            pt = _a_point(sp.Complement(sp.S.Reals, dom))
        except ValueError:
            pt = None
        if pt is not None:
            val = sp.simplify(g.subs(x, pt))
            if not (val.is_finite and val.is_real):
                return Evidence(False, "symbolic", f"g is not defined on all of R: g({pt}) = {val} (an output "
                                "activation maps every real v)", {"v": str(pt), "g(v)": str(val)})
        return Evidence(None, "symbolic", f"g is not continuous on R (continuous on {dom}): its image is not "
                        "derived")
    if dom is None:
        return Evidence(None, "symbolic", "the set where g is continuous could not be derived")
    dg = simplified(sp.diff(g, x))
    if dg.is_positive or dg.is_negative:
        a, b = sp.limit(g, x, -sp.oo), sp.limit(g, x, sp.oo)
        lo, hi = (a, b) if dg.is_positive else (b, a)
        image = sp.Interval.open(lo, hi)
        steps = (("g', of one sign on the real line (g strictly monotone)", dg),
                 ("the limit of g at -infinity", a), ("the limit of g at +infinity", b),
                 ("so g maps R onto the open interval between them", image))
        how = f"g is strictly monotone with limits {a} and {b}"
    else:
        try:
            image, steps = _image_by_range(g, x)
        except (NotImplementedError, ValueError, TypeError) as exc:
            return Evidence(None, "symbolic", f"the image of g could not be derived ({exc})")
        how = "from g's critical values and its limits at -oo and +oo"
        if not isinstance(image, (sp.Interval, sp.Union, sp.FiniteSet)) or image.has(sp.AccumBounds):
            return Evidence(None, "symbolic", f"the image of g could not be derived (got {image})")
    params = sorted(g.free_symbols - {x}, key=str)
    for sub in _parameter_samples(params):  # the independent check, at values from the parameters' domains
        outside = _samples_outside(g.subs(sub), x, image.subs(sub))
        if outside is not None:
            at = "".join(f", {k} = {v}" for k, v in sub.items())
            if math.isnan(outside[0]):
                return Evidence(None, "numeric", f"the derived image {image} cannot be compared with g on a grid: "
                                "undecided")
            return Evidence(None, "numeric", f"the derived image {image} misses g({outside[0]:.6g}) = "
                            f"{outside[1]:.12g}{at}: undecided")
    if isinstance(image, sp.Interval) and isinstance(claimed, sp.Interval) and (image.free_symbols
                                                                               or claimed.free_symbols):
        # with parameters SymPy leaves the set difference unevaluated: compare the ends and their closure
        same_ends = [simplified(a - b) == 0 if (a.is_finite is not False and b.is_finite is not False) else a == b
                     for a, b in ((image.inf, claimed.inf), (image.sup, claimed.sup))]
        if all(same_ends):
            for end, open_img, open_cl in ((image.inf, image.left_open, claimed.left_open),
                                           (image.sup, image.right_open, claimed.right_open)):
                if end.is_finite is not False and open_img != open_cl:
                    return Evidence(False, "symbolic", f"{how}: image is {image}; the end {end} is "
                                    f"{'not ' if open_img else ''}a value of g but {'in' if open_img else 'not in'} "
                                    "the claimed set", {"value": str(end), "attained": not open_img,
                                                        "image": str(image), "claimed": str(claimed)}, steps=steps)
            return Evidence(True, "symbolic", f"{how}: image {image}", steps=steps)
        for lo_img, lo_cl, lower in ((image.inf, claimed.inf, True), (image.sup, claimed.sup, False)):
            gap = simplified(lo_img - lo_cl) if lo_img.is_finite and lo_cl.is_finite else None
            if gap is None and lo_img != lo_cl:  # one end infinite: the finite one, moved by 1 towards it
                finite = lo_img if lo_img.is_finite else lo_cl
                pt = finite - 1 if lower else finite + 1
                attained = not lo_img.is_finite  # beyond the claim's finite end, inside the image's infinite one
            elif gap is not None and (gap.is_positive or gap.is_negative):
                pt = (lo_img + lo_cl) / 2
                attained = bool(gap.is_negative) if lower else bool(gap.is_positive)
            else:
                continue
            return Evidence(False, "symbolic", f"{how}: image is {image}; {pt} is "
                            f"{'a value of g but not in' if attained else 'not a value of g but in'} the claimed set",
                            {"value": str(pt), "attained": attained, "image": str(image), "claimed": str(claimed)},
                            steps=steps)
        return Evidence(None, "symbolic", f"image {image}; its ends could not be compared with {claimed}'s")
    missing, extra = sp.Complement(claimed, image), sp.Complement(image, claimed)
    if missing == sp.S.EmptySet and extra == sp.S.EmptySet:
        return Evidence(True, "symbolic", f"{how}: image {image}", steps=steps)
    for diff, attained in ((missing, False), (extra, True)):
        if diff == sp.S.EmptySet or isinstance(diff, sp.Complement):
            continue
        try:
            pt = _a_point(diff)
        except ValueError:
            continue
        into = sp.Complement(image, claimed) == sp.S.EmptySet
        said = ("g maps R into the claimed set, but not onto it" if into else
                "g takes values outside the claimed set")
        what = (f"{pt} is {'a value of g' if attained else 'not a value of g'} but "
                f"{'not in' if attained else 'in'} the claimed set")
        return Evidence(False, "symbolic", f"{how}: image is {image}; {what} ({said})",
                        {"value": str(pt), "attained": attained, "image": str(image), "claimed": str(claimed)},
                        steps=steps)
    return Evidence(None, "symbolic", f"image {image}; its difference with {claimed} could not be decided")


def derivative_at_one(statement: sp.Equality) -> Evidence:
    """``DerivAtOne(f) == c``: one-sided derivatives at u = 1; c must lie between them."""
    lam, claimed = statement.lhs.args[0], statement.rhs
    f = lam(u)
    h = sp.Symbol("h", positive=True)
    left = sp.limit((f.subs(u, 1) - f.subs(u, 1 - h)) / h, h, 0)
    right = sp.limit((f.subs(u, 1 + h) - f.subs(u, 1)) / h, h, 0)
    inside = simplified(claimed - left).is_nonnegative and simplified(right - claimed).is_nonnegative
    if inside:
        kind = "f'(1)" if simplified(left - right) == 0 else f"subdifferential [{left}, {right}]"
        steps = (("the left derivative at u = 1, lim (f(1) - f(1 - h))/h", left),
                 ("the right derivative at u = 1, lim (f(1 + h) - f(1))/h", right),
                 ("the claimed value lies between them", claimed))
        return Evidence(True, "symbolic", f"{kind} contains {claimed}", steps=steps)
    return Evidence(False, "symbolic", f"f'(1-) = {left}, f'(1+) = {right}",
                    {"left_derivative": float(left), "right_derivative": float(right), "claimed": float(claimed)})


def fenchel_young(statement: sp.Equality) -> Evidence:
    """``VariationalGap(f, f*, T) == 0``: D_f(P||Q) = E_P[T] - E_Q[f*(T)] at T = T(p/q).

    Pointwise, q [f(r) - (r T(r) - f*(T(r)))] must vanish (Fenchel-Young with equality at
    T = f'(r)); numerically on random discrete distributions, where any other T gives a positive gap.
    """
    lam_f, lam_c, lam_T = statement.lhs.args
    r = sp.Symbol("r", positive=True)
    fn = sp.lambdify(r, lam_f(r), _MODULES)
    Tn = sp.lambdify(r, lam_T(r), _MODULES)
    cn = sp.lambdify(t, lam_c(t), _MODULES)
    rng = np.random.default_rng(13)
    for k in range(6):
        n = 3 + k
        p, q = rng.dirichlet(np.ones(n)), rng.dirichlet(np.ones(n))
        ratio = p / q
        div = float(np.sum(q * fn(ratio)))
        Tv = Tn(ratio) * np.ones(n)
        bound = float(np.sum(p * Tv) - np.sum(q * np.real(cn(Tv))))
        other = Tv + 0.1 * rng.normal(size=n)
        with np.errstate(all="ignore"):
            worse = float(np.sum(p * other) - np.sum(q * np.real(cn(other))))
        if not abs(div - bound) <= 1e-8 * (1 + abs(div)):
            return Evidence(False, "numeric", "the bound is not attained",
                            {"p": p, "q": q, "D_f": div, "E_P[T] - E_Q[f*(T)]": bound})
        if np.isfinite(worse) and worse > div + 1e-9:
            return Evidence(None, "numeric", f"a perturbed critic beats D_f ({worse} > {div}): f* wrong?")
    gap = simplified(lam_f(r) - (r * lam_T(r) - lam_c(lam_T(r))))
    if gap != 0 and gap.has(sp.LambertW):
        gap = simplified(_no_exp_of_lambert(_lambert_of_b_exp_b(gap)))
    if gap == 0:
        steps = (("the critic T at the ratio r = p/q", lam_T(r)),
                 ("f*(T(r)), the conjugate at the critic", simplified(lam_c(lam_T(r)))),
                 ("f(r) - (r T(r) - f*(T(r))): zero for every r > 0, so E_P[T] - E_Q[f*(T)] = D_f", gap))
        return Evidence(True, "symbolic", "f(r) = r T(r) - f*(T(r)) for every r > 0 (Fenchel-Young equality)",
                        steps=steps)
    return Evidence(True, "numeric", f"attained on random distributions (pointwise gap simplifies to {gap})")


#: where f** is compared with f on a grid of t (from 1e-3 to 1e3: a claim wrong only past u = 10 is seen)
_BICONJUGATE_U = (1e-3, 0.05, 0.3, 1.0, 2.0, 5.0, 20.0, 100.0, 1000.0)
#: where the grid of t reaches the maximizer for every row of the table (a claim below the grid's supremum is
#: refuted there; elsewhere only where f* has a float value on the whole grid)
_BICONJUGATE_CORE = (0.05, 0.3, 1.0, 2.0, 5.0)


def biconjugate(statement: sp.Equality) -> Evidence:
    """``Biconjugate(f*, dom) == f(u)``: sup over t in dom of (t u - f*(t)) recovers f on u > 0
    (Fenchel-Moreau: f convex and lower semicontinuous), numerically on a grid of t."""
    lam_c, dom = statement.lhs.args
    f_expr = _applied(statement.rhs, u)
    params = sorted((lam_c(t).free_symbols | sp.sympify(f_expr).free_symbols | dom.free_symbols) - {u, t}, key=str)
    if params:
        return _at_parameter_samples(biconjugate, statement, params)
    cfn = sp.lambdify(t, lam_c(t), _MODULES)
    ffn = sp.lambdify(u, f_expr, _MODULES)
    lo, hi = float(dom.inf), float(dom.sup)
    lo_g, hi_g = max(lo, -1e4), min(hi, 1e4)
    ts = np.unique(np.concatenate([np.linspace(max(lo_g, -60.0), min(hi_g, 60.0), 240001),
                                   -np.logspace(0, 4, 40001), np.logspace(0, 4, 40001)]))
    ts = ts[(ts >= lo_g) & (ts <= hi_g)]
    if dom.left_open:
        ts = ts[ts > lo]
    if dom.right_open:
        ts = ts[ts < hi]
    with np.errstate(all="ignore"):
        cv = np.real(cfn(ts)) * np.ones_like(ts)
    overflow_free = bool(np.all(np.isfinite(cv)))  # Jeffrey's W(e^(1 - t)) overflows for t < -708
    cv = np.where(np.isfinite(cv), cv, np.inf)
    both = []  # the u where the grid's supremum was compared from both sides
    for uv in _BICONJUGATE_U:
        vals = ts * uv - cv
        k = int(np.argmax(vals))
        sup = float(vals[k])
        want = float(ffn(uv))
        # Any t gives a lower bound of f**(u), so a grid value above f(u) refutes. Below it, the grid's maximizer
        # must be inside the grid (t u - f*(t) is concave, so the true one is then within a cell of it, and
        # the resolution bounds the error: |dt| |u - f*'(t)|); at the grid's end it may lie beyond (Neyman's
        # t* = 1 - 1/u^2 at u = 1e-3): no verdict from that u.
        inside = 0 < k < ts.size - 1 and (uv in _BICONJUGATE_CORE or overflow_free)
        if sup > want + 1e-4 * (1 + abs(want)) or (inside and sup < want - 1e-4 * (1 + abs(want))):
            return Evidence(False, "numeric", "sup_t (tu - f*(t)) differs from f(u)",
                            {"u": uv, "sup_t": sup, "f(u)": want})
        if inside:
            both.append(uv)
    # f** derived in closed form where f* is strictly convex on its domain, and compared on all of u > 0
    try:
        pieces, ddom, steps = legendre_pieces(lam_c(t), t, u, dom, names=("f*", "t", "u"))
    except (NotImplementedError, ValueError, TypeError):
        pieces = None
    if pieces is not None:
        positive = sp.Interval.open(0, sp.oo)
        gap = sp.Complement(positive, ddom)
        if gap != sp.S.EmptySet and not isinstance(gap, sp.Complement):
            pt = _a_point(gap)
            return Evidence(False, "symbolic", f"f**({pt}) = +oo (dom f** = {ddom}), but the claim is finite there",
                            {"u": str(pt), "derived_domain": str(ddom)}, steps=tuple(steps))
        exact = _compare_pieces(pieces, positive, f_expr, u, steps, "f**")
        if exact is not None:
            return exact
    bounded = [x for x in _BICONJUGATE_U if x not in both]
    where = f"; at u in {{{', '.join(f'{x:g}' for x in bounded)}}} no grid t gives t u - f*(t) > f(u) (the grid " \
            "does not reach the maximizer there)" if bounded else ""
    return Evidence(True, "numeric", f"f**(u) = f(u) at u in {{{', '.join(f'{x:g}' for x in both)}}} (sup over a fine "
                    f"grid of t){where}; f** not derived in closed form")
