"""Verifiers for the Wasserstein claims, on discretized densities (no symbolic route for W1)."""

from __future__ import annotations

import numpy as np
import sympy as sp

from gantheory._claim import Evidence
from gantheory.symbolic import _atoms as A
from gantheory.symbolic._simplify import simplified

__all__ = ["kr_duality", "wasserstein_gradient", "manifold"]


def _pairs(seed=41, count=5, n=40):
    rng = np.random.default_rng(seed)
    from gantheory.engine import Grid

    g = Grid.uniform(0.0, 1.0, n)
    for _ in range(count):
        a = rng.dirichlet(np.ones(n) * 0.7)
        b = rng.dirichlet(np.ones(n) * 0.7)
        yield g, a / g.cell_volume, b / g.cell_volume


def _dual_lp(a, b, x, lip):
    """max sum f (a - b) s.t. |f_i - f_{i+1}| <= lip |x_i - x_{i+1}|, f_0 = 0 (HiGHS)."""
    from scipy.optimize import linprog
    from scipy.sparse import diags

    n = a.size
    D = diags([-np.ones(n - 1), np.ones(n - 1)], [0, 1], shape=(n - 1, n)).tocsr()
    h = np.diff(x)
    A_ub = np.vstack([D.toarray(), -D.toarray()])
    b_ub = np.concatenate([lip * h, lip * h])
    bounds = [(0, 0)] + [(None, None)] * (n - 1)
    res = linprog(-(a - b), A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs")
    return -res.fun


def _critic_min_lp(a, b, x, lip):
    """min sum f (b - a) over f with |f_i - f_{i+1}| <= lip |x_i - x_{i+1}|, f_0 = 0 (HiGHS): seed 000's
    d_w(R, f) = E[f(Y~_R)] - E[f(Y)] minimized over the L-Lipschitz critics on the grid."""
    from scipy.optimize import linprog

    n = a.size
    h = np.diff(x)
    D = np.zeros((n - 1, n))
    D[np.arange(n - 1), np.arange(n - 1)] = -1.0
    D[np.arange(n - 1), np.arange(1, n)] = 1.0
    res = linprog(b - a, A_ub=np.vstack([D, -D]), b_ub=np.concatenate([lip * h, lip * h]),
                  bounds=[(0, 0)] + [(None, None)] * (n - 1), method="highs")
    return res.fun


def _kr_side(expr, dens: dict, g) -> float:
    """A side of a KR statement on concrete densities: W1(a, b) by SciPy's primal, KRDual(a, b, L) by
    the dual LP over L-Lipschitz functions (HiGHS), a number as itself; ``dens`` maps the density
    symbols of the statement to arrays."""
    from scipy.stats import wasserstein_distance

    x = g.points
    if isinstance(expr, A.W1):
        a, b = (dens[arg] for arg in expr.args)
        return float(wasserstein_distance(x, x, a, b))
    if isinstance(expr, A.KRDual):
        a, b = (dens[arg] for arg in expr.args[:2])
        return _dual_lp(a * g.cell_volume, b * g.cell_volume, x, float(expr.args[2]))
    if isinstance(expr, A.CriticLossMin):
        a, b = (dens[arg] for arg in expr.args[:2])
        return float(_critic_min_lp(a * g.cell_volume, b * g.cell_volume, x, float(expr.args[2])))
    if sp.sympify(expr).is_number:
        return float(expr)
    atoms = sp.sympify(expr).atoms(A.W1, A.KRDual, A.CriticLossMin)
    if atoms:  # a combination (-W1, 2 W1, ...): each atom evaluated, then the arithmetic
        return float(sp.sympify(expr).xreplace({at: sp.Float(_kr_side(at, dens, g), 30) for at in atoms}))
    raise TypeError(f"cannot evaluate {expr} in a Kantorovich-Rubinstein statement")


def kr_duality(statement: sp.Equality) -> Evidence:
    """``W1(a, b) == KRDual(a, b, L)`` (each side as written, a and b among p_r, p_R): the primal
    (SciPy's ``wasserstein_distance``) and the dual linear program over L-Lipschitz functions on the
    grid (HiGHS), evaluated side by side on random pairs of densities."""
    for g, p, q in _pairs():
        dens = {A.p_r: p, A.p_R: q}
        lhs, rhs = _kr_side(statement.lhs, dens, g), _kr_side(statement.rhs, dens, g)
        if not abs(lhs - rhs) <= 1e-8 * (1 + abs(lhs)):
            return Evidence(False, "numeric", "the two sides differ on a pair of densities",
                            {"cells": int(g.points.size), "lhs": lhs, "rhs": rhs,
                             "statement": str(statement)})
    return Evidence(True, "numeric", "both sides agree (primal by SciPy, dual LP over Lipschitz functions by "
                    "HiGHS) on 5 random pairs of densities on a 40-cell grid")


#: The exact W1 critic f*_W inside a statement: held fixed while differentiating in R.
F_W = sp.Symbol("f^*_W", real=True)


def wasserstein_gradient(statement: sp.Equality) -> Evidence:
    """``Proj(Grad(E(phi(R, f*_W)))) == Proj(Grad(W1(p_r, p_R)))``: the generator loss g_w = E[phi] as
    written (seed 000: phi = -R f*_W, i.e. g_w = E[-f(Y~_R)]) has L2(dy) gradient p_r dphi/dR, derived
    from phi with the critic held fixed and then set to the exact W1 critic; it is compared with
    directional derivatives of W1 (central differences of the exact 1-D W1) along tangent directions
    delta (E[delta(Y)] = 0, which is all P_o keeps)."""
    from gantheory.engine import wasserstein1

    lhs, rhs = statement.lhs, statement.rhs
    ok = (isinstance(lhs, A.Proj) and isinstance(lhs.args[0], A.Grad) and isinstance(lhs.args[0].args[0], A.E)
          and isinstance(rhs, A.Proj) and isinstance(rhs.args[0], A.Grad) and isinstance(rhs.args[0].args[0], A.W1))
    if not ok:
        raise TypeError("expected Proj(Grad(E(phi))) == Proj(Grad(W1(p_r, p_R)))")
    phi = lhs.args[0].args[0].args[0]
    dphi = sp.diff(phi, A.R)
    dfun = sp.lambdify((A.R, F_W), dphi, "numpy")
    rng = np.random.default_rng(43)
    for g, p_r, p_g in _pairs(count=4):
        p_r = 0.5 * p_r + 0.5  # positive reference
        p_r = p_r / (p_r.sum() * g.cell_volume)
        R = p_g / p_r
        res = wasserstein1(p_r, R * p_r, g)
        grad = p_r * np.asarray(dfun(R, res.critic), dtype=float) * np.ones_like(R)  # L2(dy) gradient
        for _ in range(3):
            d = rng.normal(size=R.size)
            d = d - (np.sum(d * p_r) / np.sum(p_r * p_r)) * p_r  # P_o d: tangent
            eps = 1e-7 / np.max(np.abs(d))
            up = wasserstein1(p_r, (R + eps * d) * p_r, g).distance
            dn = wasserstein1(p_r, (R - eps * d) * p_r, g).distance
            fd = (up - dn) / (2 * eps)
            pred = float(np.sum(grad * d) * g.cell_volume)
            if not abs(fd - pred) <= 1e-5 * (1 + abs(fd)):
                return Evidence(False, "numeric", "directional derivative of W1 differs from <grad g_w, delta>",
                                {"d/dt W1(R + t delta)": fd, "<grad g_w, delta>": pred,
                                 "grad g_w": f"p_r * ({dphi})"})
    return Evidence(True, "numeric", f"grad g_w = p_r * ({dphi}) with the exact critic: directional derivatives "
                    "of the exact W1 along tangent directions agree (envelope theorem), 12 directions on 4 pairs")


def _manifold_symbolic(name: str, th) -> sp.Expr:
    """The divergence between delta_0 and delta_th (the x-marginals; the common U(0,1) factor in z
    drops out: KL and JS by the chain rule for product measures with the same second factor, W1
    because the coupling (x, z) -> (x + th, z) costs |th| and the 1-Lipschitz f(x, z) = sign(th) x
    certifies it), computed from the definitions with 0 log 0 = 0."""
    x = sp.Symbol("x", real=True)
    if th == 0:  # the two measures coincide
        a, b = [sp.Integer(1)], [sp.Integer(1)]
    else:  # masses on the two points {0, th}
        a, b = [sp.Integer(1), sp.Integer(0)], [sp.Integer(0), sp.Integer(1)]

    def kl(p, q):
        total = sp.Integer(0)
        for pi, qi in zip(p, q):
            if pi == 0:
                continue
            total += sp.oo if qi == 0 else pi * sp.log(pi / qi)
        return total

    if name == "KL":
        return kl(a, b)
    if name == "JS":
        m = [(ai + bi) / 2 for ai, bi in zip(a, b)]
        return simplified(kl(a, m) / 2 + kl(b, m) / 2)
    if name == "W1":  # int |F_0 - F_th| dx with the CDFs of delta_0 and delta_th (equal outside the box)
        diff = (sp.Heaviside(x) - sp.Heaviside(x - th)).rewrite(sp.Piecewise)
        lo, hi = sp.Min(0, th) - 1, sp.Max(0, th) + 1
        return simplified(sp.integrate(sp.Abs(diff), (x, lo, hi)))
    raise ValueError(f"unknown divergence {name!r}")


def manifold(statement: sp.Equality) -> Evidence:
    """``ManifoldDivergence(name, theta) == claimed(theta)``.

    Symbolic: the divergence of delta_0 and delta_theta from its definition, in the three cases
    theta > 0, theta < 0 (symbols with those signs) and theta = 0. Numeric cross-check on a 2-D grid:
    P_0 uniform on the cells {x = 0} x [0, 1], P_theta the same column shifted by theta, with the
    engine's exact W1, KL and JSD at theta in {0, +-0.25, 0.5, -0.75}."""
    from gantheory.engine import Grid, jsd, kl, wasserstein1

    name, th = statement.lhs.args
    claimed = statement.rhs
    nx, nz = 9, 4
    g = Grid.uniform([-1.125, 0.0], [1.125, 1.0], [nx, nz])  # x cell centres -1, -0.75, ..., 1
    xs = g.axis(0)
    for theta in (0.0, 0.25, -0.25, 0.5, -0.75):
        P0 = np.zeros(g.shape)
        Pt = np.zeros(g.shape)
        P0[int(np.argmin(abs(xs - 0.0))), :] = 1.0
        Pt[int(np.argmin(abs(xs - theta))), :] = 1.0
        P0, Pt = g.normalize(P0), g.normalize(Pt)
        value = {"W1": lambda: wasserstein1(P0, Pt, g, metric="euclidean").distance,
                 "JS": lambda: jsd(P0, Pt, g), "KL": lambda: kl(P0, Pt, g)}[str(name)]()
        want = claimed.subs(th, sp.Float(theta))
        want = float(want) if want.is_finite else np.inf
        if not (value == want or abs(value - want) <= 1e-9):
            return Evidence(False, "numeric", f"{name} at theta = {theta}",
                            {"theta": theta, "computed": value, "claimed": want})
    cases = {"theta > 0": sp.Symbol("t", positive=True), "theta < 0": sp.Symbol("t", negative=True),
             "theta = 0": sp.Integer(0)}
    for label, value in cases.items():
        got = _manifold_symbolic(str(name), value)
        want = claimed.subs(th, value)
        if not (got == want or (got.is_finite and want.is_finite and simplified(got - want) == 0)):
            return Evidence(None, "symbolic", f"{label}: derived {got}, claimed {want}, yet the grid agreed")
    return Evidence(True, "symbolic", "derived from the definitions for theta > 0, theta < 0 and theta = 0 "
                    "(the z factor drops out); equal on a grid as well")


def manifold_calculus(statement: sp.Equality) -> Evidence:
    """``Limit(ManifoldDivergence(name, theta), theta, 0, dir) == value`` or
    ``Derivative(ManifoldDivergence(name, theta), theta) == g(theta)`` (for theta != 0).

    The divergence is derived from its definition (:func:`_manifold_symbolic`) with theta a positive and a
    negative symbol; one-sided limits and derivatives are taken on those expressions. A two-sided limit
    (dir ``"+-"``) exists only if both sides agree. ``ManifoldDivergence(name, 0)`` on the right is derived
    at theta = 0, so continuity reads ``Limit(M(theta), theta, 0, "+-") == M(0)``."""
    lhs, claimed = statement.lhs, statement.rhs
    claimed = claimed.xreplace({a: _manifold_symbolic(str(a.args[0]), 0)
                                for a in claimed.atoms(A.ManifoldDivergence) if a.args[1] == 0})
    if claimed.atoms(A.ManifoldDivergence):
        raise TypeError("the right side may name a divergence only at theta = 0")
    sides = {"+": sp.Symbol("t", positive=True), "-": sp.Symbol("t", negative=True)}
    if isinstance(lhs, sp.Limit):
        atom, th, x0 = lhs.args[0], lhs.args[1], lhs.args[2]
        direction = str(lhs.args[3])
        if not isinstance(atom, A.ManifoldDivergence) or x0 != 0 or atom.args[1] != th:
            raise TypeError("expected Limit(ManifoldDivergence(name, theta), theta, 0, dir)")
        name = str(atom.args[0])
        found, steps = {}, []
        for side in ([direction] if direction in sides else ["+", "-"]):
            t = sides[side]
            derived = _manifold_symbolic(name, t)
            found[side] = sp.limit(derived, t, 0, side)
            steps += [(f"{name}(P_0, P_theta) for theta {'>' if side == '+' else '<'} 0, from the definition",
                       derived.subs(t, th)),
                      (f"its limit as theta -> 0{side}", found[side])]
        values = set(found.values())
        if len(values) > 1:
            return Evidence(False, "symbolic", f"the one-sided limits differ ({found['+']} from the right, "
                            f"{found['-']} from the left): no limit", {"right": found["+"], "left": found["-"],
                                                                      "claimed": claimed}, steps=tuple(steps))
        value = values.pop()
        if value == claimed or simplified(value - claimed) == 0:
            return Evidence(True, "symbolic", f"the limit is {value}", steps=tuple(steps))
        return Evidence(False, "symbolic", f"the limit is {value}", {"limit": value, "claimed": claimed},
                        steps=tuple(steps))
    if isinstance(lhs, sp.Derivative):
        atom = lhs.expr
        th = lhs.variables[0]
        if not isinstance(atom, A.ManifoldDivergence) or atom.args[1] != th or len(lhs.variables) != 1:
            raise TypeError("expected Derivative(ManifoldDivergence(name, theta), theta)")
        name = str(atom.args[0])
        steps = []
        for side, t in sides.items():
            derived = _manifold_symbolic(name, t)
            slope = simplified(sp.diff(derived, t))
            want = simplified(claimed.subs(th, t))
            steps += [(f"the derivative for theta {'>' if side == '+' else '<'} 0", slope.subs(t, th))]
            if simplified(slope - want) != 0:
                return Evidence(False, "symbolic", f"for theta {'>' if side == '+' else '<'} 0 the derivative "
                                f"is {slope.subs(t, th)}", {"theta": "positive" if side == "+" else "negative",
                                                            "derivative": slope, "claimed": want},
                                steps=tuple(steps))
        return Evidence(True, "symbolic", "the derivative agrees for theta > 0 and theta < 0", steps=tuple(steps))
    raise TypeError("expected a Limit or a Derivative of ManifoldDivergence(name, theta)")


def _transport_lp(a, b, x, p):
    """min over couplings of sum |x_i - x_j|^p gamma_ij with marginals a, b (HiGHS), a and b masses."""
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix, eye, kron

    n = a.size
    cost = np.abs(x[:, None] - x[None, :]) ** float(p)
    ones = csr_matrix(np.ones((1, n)))
    A_eq = np.vstack([kron(eye(n), ones).toarray(), kron(ones, eye(n)).toarray()])
    res = linprog(cost.ravel(), A_eq=A_eq, b_eq=np.concatenate([a, b]), bounds=(0, None), method="highs")
    if res.status != 0:
        raise ValueError(f"HiGHS: {res.message}")
    return float(res.fun)


def coupling_side(expr, dens, g):
    if isinstance(expr, A.W1Coupling):
        a, b = (dens[arg] for arg in expr.args[:2])
        return _transport_lp(a * g.cell_volume, b * g.cell_volume, g.points, expr.args[2])
    return _kr_side(expr, dens, g)


def coupling_definition(statement: sp.Equality) -> Evidence:
    """``W1Coupling(a, b, p) == W1(a, b)``: the transport problem over couplings (HiGHS, 20-cell grids)
    against SciPy's 1-D W1 (the CDF formula) on random pairs of densities."""
    for g, p, q in _pairs(seed=43, count=4, n=20):
        dens = {A.p_r: p, A.p_R: q}
        lhs, rhs = coupling_side(statement.lhs, dens, g), coupling_side(statement.rhs, dens, g)
        if not abs(lhs - rhs) <= 1e-8 * (1 + abs(lhs)):
            return Evidence(False, "numeric", "the two sides differ on a pair of densities",
                            {"cells": int(g.points.size), "lhs": lhs, "rhs": rhs})
    return Evidence(True, "numeric", "coupling LP (HiGHS) = W1 by the CDF formula (SciPy) on 4 random pairs, 20 cells")


def _qc_instances():
    rng = np.random.default_rng(2019)
    for _ in range(12):
        m = int(rng.integers(3, 6))
        X = rng.normal(size=(m, 2))
        Y = rng.normal(size=(m, 2)) * rng.uniform(0.3, 3) + 2 * rng.normal(size=2)
        yield X, Y


def _qc_lp(C, absolute):
    from scipy.optimize import linprog

    m = C.shape[0]
    rows, rhs = [], []
    for i in range(m):
        for j in range(m):
            r = np.zeros(2 * m)
            r[m + j], r[i] = 1.0, -1.0  # H_j - H_i <= c_ij
            rows.append(r)
            rhs.append(C[i, j])
            if absolute:
                rows.append(-r)
                rhs.append(C[i, j])
    obj = np.r_[np.ones(m), -np.ones(m)] / m  # minimize -(mean H_j - mean H_i)
    res = linprog(obj, A_ub=np.array(rows), b_ub=rhs, bounds=[(None, None)] * (2 * m), method="highs")
    if res.status != 0:
        raise ValueError(f"HiGHS: {res.message}")
    return -res.fun, res.x[:m], res.x[m:]


def _qc_side(expr, X, Y):
    if not isinstance(expr, (A.QCValue, A.QuadraticOT)):  # a number or an expression in the atoms
        vals = {a: sp.Float(_qc_side(a, X, Y), 30) for a in sp.sympify(expr).atoms(A.QCValue, A.QuadraticOT)}
        return float(sp.sympify(expr).xreplace(vals))
    import ot
    from scipy.optimize import linear_sum_assignment
    from scipy.spatial.distance import cdist

    C = 0.5 * cdist(X, Y, "sqeuclidean")
    m = C.shape[0]
    if isinstance(expr, A.QuadraticOT):
        val = float(ot.emd2(np.full(m, 1 / m), np.full(m, 1 / m), C))
        r, c = linear_sum_assignment(C)  # uniform empirical measures of equal size: an optimal matching
        if abs(C[r, c].mean() - val) > 1e-9 * (1 + val):
            raise ValueError("POT and the assignment solver disagree")
        return val
    kind = str(expr.args[0])
    if kind in ("lp-absolute", "lp-one-sided"):
        return _qc_lp(C, kind == "lp-absolute")[0]
    if kind == "assignment":  # sigma(j) = argmin_i, ties broken by the lowest index (numpy's argmin)
        _, Hi, Hj = _qc_lp(C, False)
        sigma = np.argmin(C + Hi[:, None] - Hj[None, :], axis=0)
        return float(C[sigma, np.arange(m)].mean())
    if kind == "matched-gap":  # how far an optimal matching's pairs are from attaining the argmin
        _, Hi, Hj = _qc_lp(C, False)
        red = C + Hi[:, None] - Hj[None, :]
        r, c = linear_sum_assignment(C)
        return float(np.max(red[r, c] - red.min(axis=0)[c]))
    raise TypeError(f"unknown QCValue kind {kind!r}")


def qc_transport(statement: sp.Equality) -> Evidence:
    """WGAN-QC statements (``QCValue(kind) == QuadraticOT()``) on 12 random pairs of point sets in R^2
    (3-5 points each): the LPs by HiGHS, the transport cost by POT's network simplex, cross-checked with
    SciPy's assignment solver."""
    worst = 0.0
    for k, (X, Y) in enumerate(_qc_instances()):
        lhs, rhs = _qc_side(statement.lhs, X, Y), _qc_side(statement.rhs, X, Y)
        gap = abs(lhs - rhs)
        if not gap <= 1e-8 * (1 + abs(rhs)):
            return Evidence(False, "numeric", "the two sides differ on a pair of point sets",
                            {"instance": k, "x": X, "y": Y, "lhs": lhs, "rhs": rhs})
        worst = max(worst, gap)
    return Evidence(True, "numeric", f"equal on 12 random pairs of point sets (largest gap {worst:.1e})")
