"""Verifiers for seed 001 (Dualing GANs): conjugates, strong duality, trust-region steps."""

from __future__ import annotations

import numpy as np
import sympy as sp

from gantheory._claim import Evidence
from gantheory.symbolic import _atoms as A
from gantheory.symbolic._numeric import into_domain
from gantheory.symbolic._reduce import NotDerivable, pointwise_argmax
from gantheory.symbolic._simplify import simplified

__all__ = ["max_value", "dualing_duality", "trust_region_step", "algebraic_identity", "NUMERIC", "dualing_bounds",
           "better_model", "not_strictly_convex"]


def _entropy(q):
    q = np.asarray(q, dtype=float)
    with np.errstate(all="ignore"):
        return -(np.where(q > 0, q * np.log(q), 0.0) + np.where(q < 1, (1 - q) * np.log1p(-q), 0.0))


#: Numeric meanings of the vector atoms of seed 001 (see ``gantheory.topics.dualing``).
NUMERIC = {
    "WeightedSum": lambda lam, M: lam @ M,
    "SqNorm": lambda a: a @ a,
    "EuclidNorm": lambda a: np.sqrt(a @ a),
    "EntropySum": lambda q: np.sum(_entropy(q)),
    "H": _entropy,
}


def max_value(statement: sp.Equality) -> Evidence:
    """``MaxOver(phi, x, I) == value``: the maximizer derived (first-order condition, concavity), the
    value substituted and compared; numerically, the max over a grid for sampled parameters."""
    lhs, claimed = statement.lhs, statement.rhs
    phi, x, interval = lhs.args
    params = sorted((phi.free_symbols | claimed.free_symbols) - {x}, key=str)
    fun = sp.lambdify([x, *params], phi, "numpy")
    cfun = sp.lambdify(params, claimed, "numpy")
    lo, hi = float(interval.inf), float(interval.sup)
    grid = np.linspace(lo, hi, 200001)[1:-1]
    rng = np.random.default_rng(17)
    for _ in range(8):
        vals = [into_domain(p, rng.uniform(0.2, 3) if p.is_positive else rng.uniform(-4, 4)) for p in params]
        with np.errstate(all="ignore"):
            best = float(np.nanmax(fun(grid, *vals)))
        c = float(cfun(*vals))
        if abs(best - c) > 1e-6 * (1 + abs(c)):
            return Evidence(False, "numeric", "the maximum differs", {**dict(zip(map(str, params), vals)),
                                                                    "max_on_grid": best, "claimed": c})
    try:
        star = pointwise_argmax(phi, x, interval)
    except NotDerivable as exc:
        return Evidence(True, "numeric", f"matches the grid maximum; no derivation ({exc})")
    gap = simplified(sp.expand_log(simplified(phi.subs(x, star) - claimed), force=True))
    if gap == 0:
        return Evidence(True, "symbolic", f"maximizer {star} (unique, strictly concave); value matches")
    return Evidence(True, "numeric", f"maximizer {star}; value equal on samples, difference {gap} not simplified")


def _instance(seed: int, n: int = 4, d: int = 3):
    """Random data and generated points in R^d (seeds 0-3), or their images under the feature map
    phi(x) = (1, x, x^2) of scalar samples (seeds 4 and 5: the poster's 'any differentiable nonlinear
    feature phi(x) can be used in place of x')."""
    rng = np.random.default_rng(seed)
    if seed >= 4:
        def phi(v):
            return np.stack([np.ones_like(v), v, v * v], axis=1)

        X, Y = phi(rng.normal(0.5, 1.0, n)), phi(rng.normal(-0.3, 0.8, n))
    else:
        X = rng.normal(0.5, 1.0, (n, d))
        Y = rng.normal(-0.3, 0.8, (n, d))
    C = float(rng.uniform(0.2, 2.0))
    return X, Y, C, n


def _primal(X, Y, C, n):
    from scipy.optimize import minimize

    def f(w):
        return C / 2 * w @ w + np.sum(np.logaddexp(0, -X @ w)) / (2 * n) + np.sum(np.logaddexp(0, Y @ w)) / (2 * n)

    res = minimize(f, np.zeros(X.shape[1]), method="BFGS", options={"gtol": 1e-12})
    return res.fun, res.x


def _dual_maximum(gfun, X, Y, C, n):
    from scipy.optimize import minimize

    """max of the dual g over the box 0 < lambda < 1/(2n) (L-BFGS-B): (value, lambda = (lambda_x, lambda_z))."""
    bound = 1 / (2 * n)
    res = minimize(lambda z: -float(gfun(z[:n], z[n:], X, Y, C, n)), np.full(2 * n, bound / 2), method="L-BFGS-B",
                   bounds=[(1e-12, bound - 1e-12)] * (2 * n),
                   options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10000})
    return -res.fun, res.x


def dualing_duality(statement: sp.Equality) -> Evidence:
    """``DualingGap(g) == 0`` (strong duality) -- or, with ``w*`` on the right, the primal solution
    recovered from the dual optimum. Both problems solved with SciPy on random instances."""
    lhs, claimed = statement.lhs, statement.rhs
    lam_g = lhs.args[0]
    lx, lz, Xs, Ys, Cs, ns = lam_g.variables
    for seed in range(6):
        X, Y, C, n = _instance(seed)
        gfun = sp.lambdify((lx, lz, Xs, Ys, Cs, ns), lam_g.expr, modules=[NUMERIC, "numpy"])
        d_val, lam_opt = _dual_maximum(gfun, X, Y, C, n)
        p_val, w_primal = _primal(X, Y, C, n)
        if claimed == 0:
            if not abs(p_val - d_val) <= 1e-6 * (1 + abs(p_val)):
                return Evidence(False, "numeric", "primal and dual optima differ",
                                {"seed": seed, "C": C, "primal": p_val, "dual": d_val})
        else:
            w_fun = sp.lambdify((lx, lz, Xs, Ys, Cs), claimed, modules=[NUMERIC, "numpy"])
            w_rec = np.asarray(w_fun(lam_opt[:n], lam_opt[n:], X, Y, C), dtype=float)
            if not np.allclose(w_rec, w_primal, atol=1e-4):
                return Evidence(False, "numeric", "w from the dual optimum is not the primal minimizer",
                                {"seed": seed, "C": C, "w_from_dual": w_rec, "w_primal": w_primal})
    what = "primal = dual" if claimed == 0 else "w* from the dual = primal minimizer"
    return Evidence(True, "numeric", f"{what} on 6 random instances, two of them with features phi(x) = (1, x, x^2) "
                    "in place of x (BFGS primal, L-BFGS-B dual in the box)")


def trust_region_step(statement: sp.Equality) -> Evidence:
    """``TrustRegionStep == s*``: s* is feasible and attains the Cauchy-Schwarz lower bound
    g's >= -||g|| sqrt(2 Delta) (symbolic, d = 3), and matches SciPy's constrained minimizer."""
    from scipy.optimize import minimize

    lam = statement.rhs
    g_sym, delta = lam.variables
    rng = np.random.default_rng(23)
    fn = sp.lambdify((g_sym, delta), lam.expr, modules=[NUMERIC, "numpy"])
    for _ in range(5):
        g = rng.normal(size=3)
        D = float(rng.uniform(0.1, 2.0))
        s_claim = np.asarray(fn(g, D), dtype=float).ravel()
        cons = {"type": "ineq", "fun": lambda s: D - 0.5 * s @ s}
        res = minimize(lambda s: g @ s, np.zeros(3), constraints=[cons], method="SLSQP",
                       options={"ftol": 1e-14, "maxiter": 500})
        if 0.5 * s_claim @ s_claim > D * (1 + 1e-9) or g @ s_claim > res.fun + 1e-6 * (1 + abs(res.fun)):
            return Evidence(False, "numeric", "not the minimizer of the linear model in the trust region",
                            {"grad": g, "Delta": D, "s_claimed": s_claim, "value": float(g @ s_claim),
                             "value_scipy": float(res.fun)})
    gs = sp.Matrix(sp.symbols("g0:3", real=True))
    Ds = sp.Symbol("Delta", positive=True)
    norm = sp.sqrt(sum(x**2 for x in gs))
    expr = lam.expr.replace(lambda e: getattr(e.func, "__name__", "") == "EuclidNorm", lambda e: norm)
    s = expr.subs({g_sym: gs, delta: Ds})
    s = s if isinstance(s, sp.MatrixBase) else None
    if s is not None and simplified((gs.T * s)[0] + sp.sqrt(2 * Ds) * norm) == 0 \
            and simplified((s.T * s)[0] / 2 - Ds) == 0:
        return Evidence(True, "symbolic", "on the boundary 1/2|s|^2 = Delta and g's = -sqrt(2 Delta)|g|, the "
                        "Cauchy-Schwarz bound: the minimum")
    return Evidence(True, "numeric", "matches SciPy's SLSQP on random instances")


def algebraic_identity(statement: sp.Equality) -> Evidence:
    """``lhs == rhs`` between explicit expressions: simplify(lhs - rhs) == 0; random values otherwise."""
    lhs, rhs = statement.lhs, statement.rhs
    syms = sorted((lhs - rhs).free_symbols, key=str)
    fn = sp.lambdify(syms, lhs - rhs, "numpy")
    rng = np.random.default_rng(29)
    for _ in range(6):
        vals = [into_domain(s, rng.uniform(0.2, 3) if s.is_positive else rng.normal()) for s in syms]
        diff = float(fn(*vals))
        if abs(diff) > 1e-9:
            return Evidence(False, "numeric", "the sides differ", {**dict(zip(map(str, syms), vals)),
                                                                 "lhs_minus_rhs": diff})
    if simplified(sp.expand(lhs - rhs)) == 0:
        return Evidence(True, "symbolic", "lhs - rhs simplifies to 0")
    return Evidence(True, "numeric", "equal at random values")


def _gradient_steps(X, Y, C, n, k, step=0.5):
    w = np.zeros(X.shape[1])
    for _ in range(int(k)):
        sx = 1 / (1 + np.exp(X @ w))  # d/dw log(1 + e^{-w.x}) = -x sigma(-w.x)
        sy = 1 / (1 + np.exp(-(Y @ w)))
        grad = C * w - X.T @ sx / (2 * n) + Y.T @ sy / (2 * n)
        w = w - step * grad
    return w


def _side_value(side, inst, cache):
    X, Y, C, n = inst
    if isinstance(side, A.LogisticPrimal):
        k = side.args[0]
        if k == sp.oo:
            return cache.setdefault("fstar", _primal(X, Y, C, n)[0])
        w = _gradient_steps(X, Y, C, n, k)
        return C / 2 * w @ w + np.sum(np.logaddexp(0, -X @ w)) / (2 * n) + np.sum(np.logaddexp(0, Y @ w)) / (2 * n)
    if isinstance(side, A.LogisticDual):
        lam_g, t = side.args
        lx, lz, Xs, Ys, Cs, ns = lam_g.variables
        gfun = sp.lambdify((lx, lz, Xs, Ys, Cs, ns), lam_g.expr, modules=[NUMERIC, "numpy"])
        bound = 1 / (2 * n)
        if "lam" not in cache:
            cache["lam"] = _dual_maximum(gfun, X, Y, C, n)[1]
            cache["lam0"] = np.random.default_rng(int(1e6 * C)).uniform(0.05, 0.95, 2 * n) * bound
        z = float(t) * cache["lam"] + (1 - float(t)) * cache["lam0"]
        return float(gfun(z[:n], z[n:], X, Y, C, n))
    return float(side)


def dualing_bounds(statement: sp.Basic) -> Evidence:
    """An inequality between ``LogisticPrimal`` / ``LogisticDual`` values (seed 001's introduction: a
    discriminator from gradient steps over-estimates min_w f, the dual under-estimates it), evaluated
    on 4 random logistic problems; a violation beyond 1e-9 (the solvers' accuracy) refutes it."""
    if not isinstance(statement, (sp.GreaterThan, sp.StrictGreaterThan, sp.LessThan, sp.StrictLessThan)):
        raise TypeError("expected an inequality between LogisticPrimal/LogisticDual values")
    rows = []
    for seed in range(4):
        inst = _instance(seed)
        cache: dict = {}
        a, b = (_side_value(s, inst, cache) for s in (statement.lhs, statement.rhs))
        gap = a - b
        strict = isinstance(statement, (sp.StrictGreaterThan, sp.StrictLessThan))
        sign = 1 if isinstance(statement, (sp.GreaterThan, sp.StrictGreaterThan)) else -1
        ok = sign * gap > 1e-9 if strict else sign * gap >= -1e-9
        rows.append(gap)
        if not ok:
            return Evidence(False, "numeric", "the inequality fails on a random logistic problem",
                            {"instance": seed, "lhs": a, "rhs": b, "lhs_minus_rhs": gap})
    return Evidence(True, "numeric", f"holds on 4 random logistic problems (lhs - rhs from {min(rows):.3g} "
                    f"to {max(rows):.3g})")


def better_model(statement: sp.Equality) -> Evidence:
    """``Eq(BetterModel(m1, m2, f, W, S), True/False)``: the approximation errors of two model functions
    compared on a 121 x 41 grid of (w_k, s); m1 exact (its error simplifies to 0) is a proof."""
    lhs, claimed = statement.lhs, statement.rhs
    m1, m2, f, W, Sd = lhs.args
    wk, s = m1.variables
    e1 = m1.expr - f(wk + s)
    e2 = m2.expr - f(wk + s)
    g1 = sp.lambdify((wk, s), e1, "numpy")
    g2 = sp.lambdify((wk, s), e2, "numpy")
    Wg, Sg = np.meshgrid(np.linspace(float(W.inf), float(W.sup), 121), np.linspace(float(Sd.inf), float(Sd.sup), 41))
    a1 = np.abs(np.asarray(g1(Wg, Sg), dtype=float) * np.ones_like(Wg))
    a2 = np.abs(np.asarray(g2(Wg, Sg), dtype=float) * np.ones_like(Wg))
    if not (np.all(np.isfinite(a1)) and np.all(np.isfinite(a2))):
        raise FloatingPointError("a model error is not finite on the grid")
    worse = a1 > a2 + 1e-12 * (1 + a2)
    holds = not worse.any()
    if holds == bool(claimed):
        if holds and simplified(e1) == 0:
            return Evidence(True, "symbolic", "m1 equals f(w_k + s) identically: its error is 0")
        return Evidence(True, "numeric", f"{'holds' if holds else 'fails'} on the grid, as claimed")
    if holds:
        return Evidence(False, "numeric", "m1 is at least as accurate everywhere on the grid",
                        {"grid": "121 x 41", "largest_m1_error": float(a1.max()), "largest_m2_error": float(a2.max())})
    i = np.unravel_index(int(np.argmax(np.where(worse, a1 - a2, -np.inf))), a1.shape)
    return Evidence(False, "numeric", "m2 approximates f better than m1 here",
                    {"w_k": float(Wg[i]), "s": float(Sg[i]), "m1_error": float(a1[i]), "m2_error": float(a2[i])})


def not_strictly_convex(statement: sp.Equality) -> Evidence:
    """``Eq(StrictlyConvex(h, x, I), False)``: the negation of :func:`gantheory.verify.general.strict_convexity`
    (its counterexample is the evidence; its proof refutes)."""
    from gantheory.verify.general import strict_convexity

    lhs, claimed = statement.lhs, statement.rhs
    if not isinstance(lhs, A.StrictlyConvex) or claimed not in (sp.true, sp.false):
        raise TypeError("expected Eq(StrictlyConvex(h, x, I), True/False)")
    ev = strict_convexity(lhs)
    if ev.holds is None:
        return ev
    if ev.holds == bool(claimed):
        where = "; ".join(f"{k} = {v:.6g}" if isinstance(v, float) else f"{k} = {v}"
                          for k, v in (ev.counterexample or {}).items())
        return Evidence(True, ev.method, ev.detail + ("" if ev.holds else f" ({where})"))
    return Evidence(False, ev.method, ev.detail, ev.counterexample or {"proof": ev.detail})
