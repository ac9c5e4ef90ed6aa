"""Verifiers for seed 001 (Dualing GANs): conjugates, strong duality, trust-region steps."""

from __future__ import annotations

import numpy as np
import sympy as sp
from scipy.optimize import minimize

from gantheory._claim import Evidence
from gantheory.symbolic._reduce import NotDerivable, pointwise_argmax

__all__ = ["max_value", "dualing_duality", "trust_region_step", "algebraic_identity", "NUMERIC"]


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
        vals = [rng.uniform(0.2, 3) if p.is_positive else rng.uniform(-4, 4) for p in params]
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
    gap = sp.simplify(sp.expand_log(sp.simplify(phi.subs(x, star) - claimed), force=True))
    if gap == 0:
        return Evidence(True, "symbolic", f"maximizer {star} (unique, strictly concave); value matches")
    return Evidence(True, "numeric", f"maximizer {star}; value equal on samples, difference {gap} not simplified")


def _instance(seed: int, n: int = 4, d: int = 3):
    rng = np.random.default_rng(seed)
    X = rng.normal(0.5, 1.0, (n, d))
    Y = rng.normal(-0.3, 0.8, (n, d))
    C = float(rng.uniform(0.2, 2.0))
    return X, Y, C, n


def _primal(X, Y, C, n):
    def f(w):
        return C / 2 * w @ w + np.sum(np.logaddexp(0, -X @ w)) / (2 * n) + np.sum(np.logaddexp(0, Y @ w)) / (2 * n)

    res = minimize(f, np.zeros(X.shape[1]), method="BFGS", options={"gtol": 1e-12})
    return res.fun, res.x


def dualing_duality(statement: sp.Equality) -> Evidence:
    """``DualingGap(g) == 0`` (strong duality) -- or, with ``w*`` on the right, the primal solution
    recovered from the dual optimum. Both problems solved with SciPy on random instances."""
    lhs, claimed = statement.lhs, statement.rhs
    lam_g = lhs.args[0]
    lx, lz, Xs, Ys, Cs, ns = lam_g.variables
    for seed in range(4):
        X, Y, C, n = _instance(seed)
        gfun = sp.lambdify((lx, lz, Xs, Ys, Cs, ns), lam_g.expr, modules=[NUMERIC, "numpy"])

        def neg(z):
            return -float(gfun(z[:n], z[n:], X, Y, C, n))

        bound = 1 / (2 * n)
        z0 = np.full(2 * n, bound / 2)
        res = minimize(neg, z0, method="L-BFGS-B", bounds=[(1e-12, bound - 1e-12)] * (2 * n),
                       options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10000})
        p_val, w_primal = _primal(X, Y, C, n)
        d_val = -res.fun
        if claimed == 0:
            if not abs(p_val - d_val) <= 1e-6 * (1 + abs(p_val)):
                return Evidence(False, "numeric", "primal and dual optima differ",
                                {"seed": seed, "C": C, "primal": p_val, "dual": d_val})
        else:
            w_fun = sp.lambdify((lx, lz, Xs, Ys, Cs), claimed, modules=[NUMERIC, "numpy"])
            w_rec = np.asarray(w_fun(res.x[:n], res.x[n:], X, Y, C), dtype=float)
            if not np.allclose(w_rec, w_primal, atol=1e-4):
                return Evidence(False, "numeric", "w from the dual optimum is not the primal minimizer",
                                {"seed": seed, "C": C, "w_from_dual": w_rec, "w_primal": w_primal})
    what = "primal = dual" if claimed == 0 else "w* from the dual = primal minimizer"
    return Evidence(True, "numeric", f"{what} on 4 random instances (BFGS primal, L-BFGS-B dual in the box)")


def trust_region_step(statement: sp.Equality) -> Evidence:
    """``TrustRegionStep == s*``: s* is feasible and attains the Cauchy-Schwarz lower bound
    g's >= -||g|| sqrt(2 Delta) (symbolic, d = 3), and matches SciPy's constrained minimizer."""
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
    if s is not None and sp.simplify((gs.T * s)[0] + sp.sqrt(2 * Ds) * norm) == 0 \
            and sp.simplify((s.T * s)[0] / 2 - Ds) == 0:
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
        vals = [rng.uniform(0.2, 3) if s.is_positive else rng.normal() for s in syms]
        diff = float(fn(*vals))
        if abs(diff) > 1e-9:
            return Evidence(False, "numeric", "the sides differ", {**dict(zip(map(str, syms), vals)),
                                                                 "lhs_minus_rhs": diff})
    if sp.simplify(sp.expand(lhs - rhs)) == 0:
        return Evidence(True, "symbolic", "lhs - rhs simplifies to 0")
    return Evidence(True, "numeric", "equal at random values")
