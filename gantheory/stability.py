"""Exact stability analysis of game dynamics: characteristic polynomials, converges-iff conditions,
optimal hyperparameters and stability maps (``gantheory stability``).

The update operator of each optimizer is composed from the Jacobian of the game's actual vector field
at the equilibrium (:mod:`gantheory.symbolic._games`), with the hyperparameters left as symbols:

- ``h`` (one step size) or ``hg``, ``hd`` (two time scales: the generator's and the discriminator's
  step; simgd and altgd), ``beta`` (heavy-ball momentum, simgd and altgd), ``gamma`` (R1/R2/consensus
  weight), ``sigma`` (instance-noise standard deviation).

Then, with every parameter but one fixed to a rational value:

- :func:`condition`: the exact set of values of the free parameter for which every root of the
  characteristic polynomial lies strictly inside the unit circle
  (:func:`gantheory.symbolic._stability.stable_set`; a root on the circle is marginal and excluded),
  as a SymPy set and relational;
- :func:`optimum`: the value minimizing the spectral radius, numerically with a certifying bracket
  (a < x* < b with rho(x*) below rho(a) and rho(b)), and in closed form where the minimum sits at a
  double root (a zero of the discriminant, which SymPy solves);
- :func:`stability_map`: rho on a grid of one or two parameters, elementwise from the polynomial's
  coefficients (closed-form roots for degree 2, batched companion eigenvalues above), in chunks.

With two or three parameters free, :func:`conditions` gives the converges-iff condition (Schur-Cohn, factor
by factor) and :func:`joint_optimum` the jointly optimal values, with the smallest rho over the box
certified between two bounds (:mod:`gantheory.symbolic._rho_bounds`) and solved exactly where it sits at a
multiple root that fixes the point.
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass

import numpy as np
import sympy as sp

from gantheory.symbolic import _games as G
from gantheory.symbolic._stability import stable_set, unit_circle_verdict

__all__ = ["PARAMETERS", "Setup", "expression_game", "update_matrix", "characteristic_polynomial", "condition",
           "conditions", "ConditionsTooHard", "spectral_radius", "optimum", "joint_optimum", "stability_map"]

lam = sp.Symbol("lambda")
hg, hd = sp.symbols("h_g h_d", positive=True)
#: name -> SymPy symbol of every hyperparameter
PARAMETERS = {"h": G.h, "hg": hg, "hd": hd, "beta": G.beta, "gamma": G.gamma, "sigma": G.sigma}
#: the domain each parameter ranges over
DOMAINS = {"h": sp.Interval.open(0, sp.oo), "hg": sp.Interval.open(0, sp.oo), "hd": sp.Interval.open(0, sp.oo),
           "beta": sp.Interval.open(-1, 1), "gamma": sp.Interval(0, sp.oo), "sigma": sp.Interval.open(0, sp.oo)}


@dataclass(frozen=True)
class Setup:
    """A game, loss, regularizer and optimizer (the fixed, non-numeric part of an analysis)."""

    game: str = "dirac"
    loss: str = "gan"
    reg: str = "none"
    optimizer: str = "simgd"
    n_g: int = 1
    n_d: int = 1
    two_timescale: bool = False
    momentum: bool = False
    loss_expr: str | None = None  # a zero-sum game L typed as SymPy: min over min_vars, max over max_vars
    min_vars: tuple = ("theta",)
    max_vars: tuple = ("psi",)
    at: tuple = ()  # ((name, value), ...): the equilibrium to linearize at, when L has several


#: seconds SymPy may take to solve grad L = 0 for a typed game (its solve has no deadline of its own)
EQUILIBRIUM_MAX_SECONDS = 20.0


def expression_game(text: str, min_vars=("theta",), max_vars=("psi",), at=()) -> tuple[sp.Matrix, dict]:
    """The Jacobian of v = (-grad_min L, grad_max L) at the equilibrium of a zero-sum game typed as SymPy
    text, and the equilibrium. The equilibrium solves grad L = 0; several candidates need ``at``.
    Raises ValueError with one clear line for a bad expression."""
    from gantheory.reading import StatementError, read_loss

    names = [*min_vars, *max_vars]
    if len(set(names)) != len(names) or not names or not all(n.isidentifier() for n in names):
        raise ValueError(f"--min/--max must name distinct variables, got {', '.join(names) or 'none'}")
    xs = [sp.Symbol(n, real=True) for n in names]
    local = dict(zip(names, xs))
    try:
        L = read_loss(text, names)
    except StatementError as exc:
        raise ValueError(f"--loss-expr: {exc}") from None
    extra = sorted(map(str, L.free_symbols - set(xs)))
    if extra:
        raise ValueError(f"--loss-expr has symbols that are not players' variables: {', '.join(extra)} "
                         f"(variables: {', '.join(names)}; give numbers for parameters)")
    grad = [sp.diff(L, x) for x in xs]
    if at:
        point = {local[k]: sp.nsimplify(v, rational=True) for k, v in at}
        missing = [n for n in names if local[n] not in point]
        if missing:
            raise ValueError(f"--at must give every variable; missing {', '.join(missing)}")
        bad = [str(g.subs(point)) for g in grad if sp.simplify(g.subs(point)) != 0]
        if bad:
            raise ValueError(f"--at is not a stationary point of L: grad L = ({', '.join(bad)}) there")
    else:
        from gantheory._limits import TimeLimitExceeded, call_with_time_limit

        try:
            sols = call_with_time_limit(lambda: sp.solve(grad, xs, dict=True), EQUILIBRIUM_MAX_SECONDS)
        except NotImplementedError:
            sols = None
        except TimeLimitExceeded:
            raise ValueError(f"grad L = 0 was not solved within {EQUILIBRIUM_MAX_SECONDS:g} s: give the "
                             "equilibrium with --at") from None
        if sols is None:
            raise ValueError("cannot solve grad L = 0 in closed form: give the equilibrium with --at")
        sols = [sol for sol in sols if all(sp.sympify(sol.get(x, x)).is_real is not False for x in xs)]
        full = [sol for sol in sols if all(x in sol for x in xs)]
        if not sols:
            raise ValueError("grad L = 0 has no real solution that SymPy finds: the game may have no stationary "
                             "point to linearize at (if it has one, give it with --at)")
        if not full:
            raise ValueError("grad L = 0 has no isolated real solution: give the equilibrium with --at"
                             + (f" (solutions: {sols})" if sols else ""))
        repeats = _periodic_repeats(grad, xs, full)
        if repeats:
            cands = "; ".join(", ".join(f"{x}={sol[x]}" for x in xs) for sol in full)
            raise ValueError(f"grad L = 0 has infinitely many solutions: {cands} repeat{'s' if len(full) == 1 else ''} "
                             f"with period 2*pi in {', '.join(repeats)}: choose one with --at")
        if len(full) > 1:
            cands = "; ".join(", ".join(f"{x}={sol[x]}" for x in xs) for sol in full)
            raise ValueError(f"grad L = 0 has {len(full)} solutions ({cands}): choose one with --at")
        point = full[0]
    nmin = len(min_vars)
    v = sp.Matrix([-g for g in grad[:nmin]] + grad[nmin:])
    J = v.jacobian(xs).subs(point).applyfunc(sp.simplify)
    if any(e.has(sp.nan, sp.zoo, sp.oo) for e in J):
        raise ValueError("the field has no Jacobian at the equilibrium")
    return J, {str(k): str(val) for k, val in point.items()}


def _periodic_repeats(grad, xs, sols) -> list[str]:
    """The variables in which grad L is 2*pi-periodic and a solution shifted by 2*pi still solves grad L = 0
    (SymPy's ``solve`` returns one period's solutions only): a non-empty list means infinitely many."""
    out = []
    for x in xs:
        if not any(a.has(x) for a in sp.preorder_traversal(sp.Matrix(grad))
                   if isinstance(a, sp.functions.elementary.trigonometric.TrigonometricFunction)):
            continue
        shifted = [sp.simplify(g.subs(x, x + 2 * sp.pi) - g) for g in grad]
        if all(e == 0 for e in shifted) and any(all(sp.simplify(g.subs(sol)) == 0 for g in grad) for sol in sols):
            out.append(str(x))
    return out


def _field_jacobian(s: Setup) -> sp.Matrix:
    if s.loss_expr is not None:
        return expression_game(s.loss_expr, s.min_vars, s.max_vars, s.at)[0]
    return sp.Matrix(G.field_jacobian(s.game, s.loss, s.reg))


def _per_setup(fn):
    """``fn(setup)`` derived once per setup in a process (kept for 128 setups); the setup is validated on every
    call, before the cache (n_g = True equals n_g = 1 as a key), and one that cannot be hashed (a list field)
    is derived every time."""
    cached = functools.lru_cache(maxsize=128)(fn)

    @functools.wraps(fn)
    def per_setup(s: Setup):
        _check_setup(s)
        try:
            hash(s)
        except TypeError:
            return fn(s)
        return cached(s)

    return per_setup


def update_matrix(s: Setup) -> sp.Matrix:
    """The update Jacobian at the equilibrium with the hyperparameters as symbols (a new Matrix on each call;
    derived once per setup in a process: a map, a condition checked at many points and the joint optimum's
    steps all start from it)."""
    return _update_matrix_once(s).as_mutable()


@_per_setup
def _update_matrix_once(s: Setup) -> sp.ImmutableMatrix:
    return sp.ImmutableMatrix(_update_matrix(s))


def _update_matrix(s: Setup) -> sp.Matrix:
    _check_setup(s)
    J = _field_jacobian(s)
    ng = len(s.min_vars) if s.loss_expr is not None else 1
    b = G.beta if s.momentum else 0
    if not s.two_timescale:
        return G.update_jacobian(J, s.optimizer, G.h, s.n_g, s.n_d, b, n_gen=ng)
    if s.momentum:
        raise ValueError("two time scales (hg, hd) are defined without momentum")
    # a diagonal step matrix: generator rows scaled by hg, discriminator rows by hd
    step = sp.diag(*([hg] * ng + [hd] * (J.rows - ng)))
    return G.update_jacobian(J, s.optimizer, step, s.n_g, s.n_d, 0, n_gen=ng)


@_per_setup
def characteristic_polynomial(s: Setup) -> sp.Expr:
    """det(lambda I - M) in lambda and the hyperparameters, factored (derived once per setup in a process)."""
    return sp.factor(update_matrix(s).charpoly(lam).as_expr())


def _check_setup(s: Setup) -> None:
    """Counts of steps are integers >= 1 (a 0 or negative count is no optimizer)."""
    for name in ("n_g", "n_d"):
        val = getattr(s, name)
        if isinstance(val, bool) or not isinstance(val, (int, np.integer)) or val < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {val!r}")
        if val > 10_000:
            raise ValueError(f"{name} = {val}: at most 10000 steps per iteration (the update is a product of "
                             f"{name} matrices)")


def _parameter(name: str) -> str:
    if name not in PARAMETERS:
        raise ValueError(f"unknown parameter {name!r}; parameters are {', '.join(PARAMETERS)}")
    return name


def _range(name: str, lo, hi) -> tuple[float, float]:
    """A search or map range of ``name``: finite numbers, lo < hi, both inside the parameter's domain
    (the ends may be its boundary where the domain is open)."""
    try:
        a, b = float(lo), float(hi)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: the range ends must be numbers, got {lo!r} and {hi!r}") from None
    if not (math.isfinite(a) and math.isfinite(b)):
        raise ValueError(f"{name}: the range ends must be finite, got {lo!r} and {hi!r}")
    if not a < b:
        raise ValueError(f"{name}: the range needs lo < hi, got {lo!r} and {hi!r}")
    dom = DOMAINS[name]
    if a < float(dom.inf) or b > float(dom.sup):
        raise ValueError(f"{name}: the range [{a:g}, {b:g}] leaves its domain {dom}")
    return a, b


def _values(values: dict) -> dict:
    out = {}
    for name, val in values.items():
        if name not in PARAMETERS:
            raise ValueError(f"unknown parameter {name!r}; parameters are {', '.join(PARAMETERS)}")
        if isinstance(val, str):  # text is read as a number, never through SymPy's string parser
            from gantheory.reading import StatementError, read_number

            try:
                v = read_number(val, name)
            except StatementError as exc:
                raise ValueError(str(exc)) from None
        elif isinstance(val, (bool, complex)) or not isinstance(val, (int, float, sp.Basic)):
            raise ValueError(f"{name} must be a real number, got {val!r}")
        else:
            v = sp.nsimplify(val, rational=True) if not isinstance(val, sp.Basic) else val
        if not v.is_real or not DOMAINS[name].contains(v):
            raise ValueError(f"{name} = {val} is outside its domain {DOMAINS[name]}")
        out[PARAMETERS[name]] = v
    return out


def _free_symbols(M: sp.Matrix) -> set:
    return {s for s in M.free_symbols if s in PARAMETERS.values()}


def condition(s: Setup, param: str, values: dict) -> dict:
    """The exact set of ``param`` values (others fixed by ``values``) for which the iteration converges."""
    M = update_matrix(s).subs(_values(values))
    x = PARAMETERS[_parameter(param)]
    missing = _free_symbols(M) - {x}
    if missing:
        raise ValueError(f"give values to {', '.join(sorted(map(str, missing)))} (the condition is in {param} only)")
    S, _ = stable_set(M, x, DOMAINS[param])
    return {"parameter": param, "set": S, "relational": S.as_relational(x) if S != sp.S.EmptySet else sp.false,
            "latex": sp.latex(S.as_relational(x)) if S != sp.S.EmptySet else r"\text{never}"}


def _sign_condition(D: sp.Expr, domain: dict) -> tuple[list, list]:
    """D > 0 as ``(relations, exceptions)``: constant factors and factors positive on the domain dropped,
    the factors of odd power combined into one product with its sign; a factor of even power does not
    change the sign and only vanishes on a lower-dimensional set, returned in ``exceptions``."""
    const, factors = sp.factor_list(D)
    sign = 1 if const > 0 else -1
    odd, exceptions = [], []
    for f, e in factors:
        if f.is_positive or _positive_on(f, domain):
            continue
        if e % 2 == 0:
            exceptions.append(f)
        else:
            odd.append(f)
    if not odd:
        return ([] if sign > 0 else [sp.false]), exceptions
    prod = sp.Mul(*odd)
    return [sp.Gt(prod, 0) if sign > 0 else sp.Lt(prod, 0)], exceptions


def _positive_on(f: sp.Expr, domain: dict) -> bool:
    """f > 0 on the box ``domain`` (symbol -> interval), when SymPy can show it with positive substitutes."""
    subs = {}
    for x, iv in domain.items():
        if iv.inf == 0 and iv.sup == sp.oo:
            subs[x] = sp.Symbol(x.name, positive=True)
    return bool(f.xreplace(subs).is_positive)


#: ``gantheory stability`` writes the converges-iff condition in several parameters up to this degree of the
#: characteristic polynomial's largest irreducible factor (degree 4 in two parameters: about a second;
#: degree 8: many minutes)
CONDITIONS_MAX_DEGREE = 4


class ConditionsTooHard(ValueError):
    """:func:`conditions` refuses, before any work, a derivation in two or more free parameters whose
    characteristic polynomial has an irreducible factor above ``max_degree`` in lambda (``degree``)."""

    def __init__(self, degree: int, max_degree: int, parameters: list):
        self.degree, self.max_degree, self.parameters = degree, max_degree, parameters
        super().__init__(f"the characteristic polynomial has an irreducible factor of degree {degree} in lambda "
                         f"(above max_degree = {max_degree}): its Schur-Cohn conditions in {len(parameters)} "
                         "parameters would take many minutes; fix parameters in values, decide points with "
                         "spectral_radius, or pass max_degree=None to wait for them")


def conditions(s: Setup, values: dict, max_degree: int | None = CONDITIONS_MAX_DEGREE) -> dict:
    """The exact converges-iff condition in every parameter left free: the Schur-Cohn conditions on the
    irreducible factors of the update operator's characteristic polynomial
    (:func:`gantheory.symbolic._stability.schur_cohn`), each
    D_k > 0 written as simple relations, as one SymPy ``And``. Exact wherever no D_k vanishes; on
    D_k = 0 a root may lie on the circle (``marginal``) and :func:`spectral_radius` decides.

    With two or more free parameters and an irreducible factor of degree above ``max_degree`` (in lambda)
    the derivation would take many minutes: :class:`ConditionsTooHard` (a ValueError) says so before any
    work, unless ``max_degree`` is None (wait for it). One free parameter is always derived."""
    from gantheory.symbolic._stability import lambda_factors, schur_cohn

    if max_degree is not None and (isinstance(max_degree, bool) or not isinstance(max_degree, int)
                                   or max_degree < 1):
        raise ValueError(f"max_degree must be a positive integer or None, got {max_degree!r}")
    M = update_matrix(s).subs(_values(values))
    free = sorted(_free_symbols(M), key=str)
    names = {v: k for k, v in PARAMETERS.items()}
    domain = {x: DOMAINS[names[x]] for x in free}
    factors = lambda_factors(M.charpoly(lam).as_expr(), lam)
    degree = max((sp.Poly(f, lam).degree() for f in factors), default=0)
    if max_degree is not None and len(free) >= 2 and degree > max_degree:
        raise ConditionsTooHard(degree, max_degree, [names[x] for x in free])
    # stable iff every irreducible factor is: their Schur-Cohn conditions together (smaller than the product's)
    D = [d for f in factors for d in schur_cohn(f, lam)]
    rels, exceptions = [], []
    for d in D:
        r, ex = _sign_condition(d, domain)
        rels += [x for x in r if x is not sp.true and x not in rels]
        exceptions += [x for x in ex if x not in exceptions]
    cond = sp.And(*rels) if rels else sp.true
    box = [iv.as_relational(x) for x, iv in domain.items()]
    return {"parameters": [names[x] for x in free], "schur_cohn": D, "relational": cond,
            "exceptions": exceptions, "domain": sp.And(*box) if box else sp.true,
            "latex": sp.latex(cond) if cond not in (sp.true, sp.false) else
            (r"\text{always}" if cond is sp.true else r"\text{never}")}


def spectral_radius(s: Setup, values: dict) -> dict:
    """rho at fixed rational parameters, decided exactly against 1 (inside / on / outside)."""
    M = update_matrix(s).subs(_values(values))
    missing = _free_symbols(M)
    if missing:
        raise ValueError(f"give values to {', '.join(sorted(map(str, missing)))}")
    v = unit_circle_verdict(M.charpoly(lam).as_expr(), lam)
    return {"spectral_radius": v.rho, "stability": {"inside": "converges", "on": "marginal",
                                                   "outside": "diverges"}[v.kind]}


def _rho_numeric(coeffs: np.ndarray) -> np.ndarray:
    """Largest root modulus of polynomials given by rows of coefficients (highest degree first)."""
    n = coeffs.shape[-1] - 1
    a = coeffs[..., 0]
    if n == 1:
        return np.abs(-coeffs[..., 1] / a)
    if n == 2:
        b, c = coeffs[..., 1] / a, coeffs[..., 2] / a
        disc = np.sqrt((b * b - 4 * c).astype(complex))
        return np.maximum(np.abs((-b + disc) / 2), np.abs((-b - disc) / 2))
    comp = np.zeros(coeffs.shape[:-1] + (n, n))
    comp[..., 0, :] = -coeffs[..., 1:] / a[..., None]
    comp[..., np.arange(1, n), np.arange(n - 1)] = 1.0
    return np.max(np.abs(np.linalg.eigvals(comp)), axis=-1)


def rho_function(M: sp.Matrix, syms: list):
    """A NumPy function of arrays of the parameters ``syms`` returning rho(M) elementwise, from the
    characteristic polynomial's coefficients (lambdified once; no eigenvalue problem per point for degree 2)."""
    coeffs = sp.Poly(sp.Matrix(M).charpoly(lam).as_expr(), lam).all_coeffs()
    funcs = [sp.lambdify(syms, c, "numpy") for c in coeffs]

    def rho(*cols):
        cols = [np.atleast_1d(np.asarray(c, dtype=float)) for c in cols]
        cs = np.stack([np.broadcast_to(np.asarray(f(*cols), dtype=float), cols[0].shape) for f in funcs], axis=-1)
        return _rho_numeric(cs)

    return rho


def _rho_for(s: Setup, values: dict, free: list[str]):
    M = update_matrix(s).subs(_values(values))
    syms = [PARAMETERS[p] for p in free]
    missing = _free_symbols(M) - set(syms)
    if missing:
        raise ValueError(f"give values to {', '.join(sorted(map(str, missing)))}")
    return rho_function(M, syms)


#: the most points a map evaluates (4e6: 2000 x 2000; about 2 s per 1e6 points for a quartic characteristic
#: polynomial on two cores, and a JSON map of that size is some 80 MB)
MAX_MAP_POINTS = 4 * 10**6


def stability_map(s: Setup, axes: dict, values: dict, chunk: int = 1 << 16, scheduler: str | None = None) -> dict:
    """rho over a grid: ``axes`` maps one or two parameter names to (lo, hi, n). Evaluated elementwise from
    the characteristic polynomial's coefficients in chunks of ``chunk`` points; with ``scheduler`` the
    chunks run as a Dask array (``"threads"``, ``"processes"``, ``"synchronous"`` or a ``tcp://`` address of a
    distributed scheduler)."""
    from gantheory._dask import check_scheduler

    check_scheduler(scheduler)
    names = [_parameter(n) for n in axes]
    if not 1 <= len(names) <= 2:
        raise ValueError("a map takes one or two parameters")
    _check_setup(s)
    grids = []
    for name, (lo, hi, n) in axes.items():
        a, b = _range(name, lo, hi)
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
            raise ValueError(f"{name}: the number of points must be an integer >= 2, got {n!r}")
        grids.append(np.linspace(a, b, int(n)))
    total = math.prod(g.size for g in grids)
    if total > MAX_MAP_POINTS:
        raise ValueError(f"a map of {total:.3g} points: at most {MAX_MAP_POINTS:.0e} (2000 x 2000); lower N")
    block = _rho_for(s, values, names)
    mesh = np.meshgrid(*grids, indexing="ij")
    pts = [m.ravel() for m in mesh]

    if scheduler is None:
        rho = np.concatenate([block(*(p[i:i + chunk] for p in pts)) for i in range(0, pts[0].size, chunk)])
    else:
        rho = _dask_map(block, pts, chunk, scheduler)
    return {"parameters": names, "axes": [g.tolist() for g in grids], "rho": rho.reshape(mesh[0].shape)}


def _dask_map(block, pts, chunk, scheduler):
    from gantheory import _dask

    _dask.imported()
    import dask.array as da

    cols = [da.from_array(p, chunks=chunk) for p in pts]
    return _dask.compute(da.map_blocks(block, *cols, dtype=float), scheduler)


def optimum(s: Setup, param: str, values: dict, lo: float, hi: float) -> dict:
    """The value of ``param`` in [lo, hi] minimizing rho (others fixed): a grid of 2001 points, then
    Brent's method on the best cell; certified by a bracket a < x* < b with rho(x*) < rho(a), rho(b).
    Where the minimizer is a zero of the discriminant of the characteristic polynomial (a double root,
    as for extragradient and for critically damped momentum), the closed form is given."""
    from scipy.optimize import minimize_scalar

    _check_setup(s)
    lo, hi = _range(_parameter(param), lo, hi)
    rho = _rho_for(s, values, [param])

    grid = np.linspace(lo, hi, 2001)
    r = rho(grid)
    if not np.all(np.isfinite(r)):
        raise FloatingPointError("rho is not finite on the search interval")
    k = int(np.argmin(r))
    a, b = grid[max(k - 1, 0)], grid[min(k + 1, grid.size - 1)]
    res = minimize_scalar(lambda x: float(rho(x)[0]), bounds=(a, b), method="bounded",
                          options={"xatol": 1e-12 * max(1.0, abs(grid[k]))})
    x_star, r_star = float(res.x), float(res.fun)
    bracket = [float(a), float(b)]
    certified = bool(r_star <= rho(a)[0] and r_star <= rho(b)[0])
    out = {"parameter": param, "value": x_star, "spectral_radius": r_star, "bracket": bracket,
           "certified": certified, "closed_form": None}
    # a double root at the optimum: solve disc(p)(x) = 0 exactly and keep the root next to x*
    M = update_matrix(s).subs(_values(values))
    x = PARAMETERS[param]
    poly = sp.Poly(M.charpoly(lam).as_expr(), lam)
    try:
        disc = sp.factor(sp.discriminant(poly.as_expr(), lam))
        cands = [c for c in sp.Poly(sp.numer(sp.together(disc)), x).real_roots() if lo <= float(c) <= hi]
    except (sp.PolynomialError, ValueError):
        cands = []
    if poly.degree() == 2:  # a complex pair of a real quadratic has rho^2 = c/a: its stationary points
        a2, _, c2 = poly.all_coeffs()
        try:
            dc = sp.numer(sp.together(sp.diff(c2 / a2, x)))
            cands += [c for c in sp.Poly(dc, x).real_roots() if lo <= float(c) <= hi]
        except (sp.PolynomialError, ValueError):
            pass
    for c in cands:
        if abs(float(c) - x_star) < 1e-6 * max(1.0, abs(x_star)):
            v = unit_circle_verdict(poly.as_expr().subs(x, c), lam) if c.is_Rational else None
            c = sp.simplify(c)
            rho_c = None
            if poly.degree() == 2:  # |root| = sqrt(c/a) for a complex pair or a double root only
                a_, b_, c_ = (sp.simplify(q.subs(x, c)) for q in poly.all_coeffs())
                if sp.simplify(b_**2 - 4 * a_ * c_).is_nonpositive:
                    rho_c = sp.simplify(sp.sqrt(c_ / a_))
            out["closed_form"] = {"value": str(c), "latex": sp.latex(c),
                                  "spectral_radius": float(rho_c) if rho_c is not None else
                                  (v.rho if v else float(rho(float(c))[0])),
                                  "spectral_radius_exact": str(rho_c) if rho_c is not None else None}
            break
    return out


def joint_optimum(s: Setup, params: list, values: dict, ranges: dict, points: int | None = None,
                  certify: bool = True, tolerance: float = 1e-6) -> dict:
    """The values of two or three parameters in the box ``ranges`` (name -> (lo, hi)) minimizing rho jointly
    (the others fixed by ``values``): a grid (201 points per axis for two parameters, 41 for three), then
    Nelder-Mead from the best grid point, kept inside the box.

    ``certify``: the smallest rho over the box is then proved to lie in ``certificate["lower"]``,
    ``certificate["upper"]`` (:func:`_certify_minimum`): the upper end is rho at an exact rational point
    (decided in rational arithmetic) or at the exact optimum, the lower end holds on the whole box (branch
    and bound, :mod:`gantheory.symbolic._rho_bounds`). Each end is within ``tolerance`` (times max(1, rho))
    of the rho found when the search closes within its budget, the lower one 100 or 10 000 times further
    when it does not; ``certified`` says whether it closed at all, ``certificate["reason"]`` why not. A box
    on which rho is provably below the candidate restarts the search there (at most three times).

    ``exact``: the optimum solved at a multiple root that fixes the point (:func:`_exact_optimum`: as many
    equations as unknowns), with the values and rho as SymPy closed forms, checked by substituting them back
    (the characteristic polynomial factors as the multiple root says); the search then moves there when it
    is better (near a root of multiplicity m a numeric search stops about eps^(1/m) short of it).
    ``multiple_root`` and ``multiplicity``: the exact root's, else whether the largest roots coincide at the
    point found (to 1e-3)."""
    from scipy.optimize import minimize

    _check_setup(s)
    params = [_parameter(p) for p in params]
    if not 2 <= len(params) <= 3 or len(set(params)) != len(params):
        raise ValueError(f"a joint optimum takes two or three different parameters, got {params}")
    if not isinstance(certify, bool):
        raise ValueError(f"certify must be True or False, got {certify!r}")
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or not 1e-12 <= tolerance <= 0.1:
        raise ValueError(f"tolerance must be a number in [1e-12, 0.1], got {tolerance!r}")
    box = [_range(p, *ranges[p]) for p in params]
    rho = _rho_for(s, values, params)
    n = points or (201 if len(params) == 2 else 41)
    axes = [np.linspace(a, b, n) for a, b in box]
    mesh = np.meshgrid(*axes, indexing="ij")
    flat = [m.ravel() for m in mesh]
    r = np.concatenate([rho(*(f[i:i + 1 << 16] for f in flat)) for i in range(0, flat[0].size, 1 << 16)])
    if not np.all(np.isfinite(r)):
        raise FloatingPointError("rho is not finite on the search box")
    k = int(np.argmin(r))
    start = np.array([f[k] for f in flat])
    lo, hi = np.array([a for a, _ in box]), np.array([b for _, b in box])

    def objective(x):  # rho at the point clipped into the box, plus the distance outside it
        outside = float(np.sum(np.maximum(lo - x, 0) + np.maximum(x - hi, 0)))
        return float(rho(*np.clip(x, lo, hi)[:, None])[0]) + outside

    def refine(x0):
        res = minimize(objective, x0, method="Nelder-Mead",
                       options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 4000,
                                "initial_simplex": np.vstack([x0] + [x0 + np.eye(len(params))[i] * (hi - lo) / n
                                                                 for i in range(len(params))])})
        x = np.clip(res.x, lo, hi)
        r_x = float(rho(*x[:, None])[0])
        r0 = float(rho(*np.asarray(x0)[:, None])[0])
        return (x, r_x) if r_x <= r0 else (np.asarray(x0, dtype=float), r0)  # never above where it started

    x, r_star = refine(start)
    P = update_matrix(s).subs(_values(values)).charpoly(lam).as_expr()
    gens = [PARAMETERS[p] for p in params]

    exact_left = [EXACT_MAX_SECONDS]  # for every exact solve of this call together
    exact_note = [None]

    def at_multiple_root(x, r_star):
        """The roots coinciding at x, and the exact optimum there if the multiple root fixes it and it is no
        worse (then x and rho move to it: near a root of multiplicity m the search stops eps^(1/m) short)."""
        from gantheory._limits import TimeLimitExceeded, call_with_time_limit

        top, cluster = _largest_root_cluster(P, gens, x)
        found, t0 = None, time.monotonic()
        if exact_left[0] > 0:
            try:
                found = call_with_time_limit(_exact_optimum, exact_left[0], P, gens, box, x, r_star)
            except TimeLimitExceeded:
                exact_note[0] = (f"the multiple-root equations were not solved within {EXACT_MAX_SECONDS:g} s; "
                                 "the optimum stays numeric")
            exact_left[0] -= time.monotonic() - t0
        if found is not None and found[0]["spectral_radius_value"] < r_star:
            x, r_star = np.array([float(found[2][g]) for g in gens]), found[0]["spectral_radius_value"]
            top, cluster = _largest_root_cluster(P, gens, x)
        return x, r_star, top, cluster, found

    x, r_star, top, cluster, found = at_multiple_root(x, r_star)
    certificate = None
    if certify:
        deadline = time.monotonic() + CERTIFY_MAX_SECONDS
        for _ in range(3):
            certificate, better = _certify_minimum(P, gens, box, x, r_star, tolerance, found, deadline)
            if better is None:
                break
            x, r_star = refine(better)  # rho is provably lower there: search again from that box
            x, r_star, top, cluster, found = at_multiple_root(x, r_star)
        if certificate is None:  # every attempt found a lower rho than the search had reached
            certificate = {"holds": False, "lower": None, "lower_exact": None, "upper": None, "upper_exact": None,
                           "at": None, "boxes": None, "lower_by": None, "upper_by": None,
                           "reason": "three times the branch and bound proved a lower rho than the search reached "
                                     "(the search does not find the optimum of this box)"}
    return {"parameters": params, "values": {p: float(v) for p, v in zip(params, x)}, "spectral_radius": r_star,
            "grid_points": int(flat[0].size), "grid_best": float(r[k]),
            "certified": bool(certificate is not None and certificate["holds"]), "certificate": certificate,
            "multiple_root": bool(found or len(cluster) > 1),
            "multiplicity": found[0]["multiplicity"] if found else int(len(cluster)),
            "exact": found[0] if found else None, "exact_note": None if found else exact_note[0],
            "largest_roots": [[float(z.real), float(z.imag)] for z in top],
            "box": {p: [float(a), float(b)] for p, (a, b) in zip(params, box)}}


def _largest_root_cluster(P: sp.Expr, gens: list, x: np.ndarray):
    """(roots of the characteristic polynomial ``P`` of the largest modulus, those of them that coincide with
    the first) at x, to 1e-3."""
    Px = P.subs({g: sp.Float(v, 30) for g, v in zip(gens, x)})
    roots = np.roots(np.array(sp.Poly(Px, lam).all_coeffs(), dtype=complex))
    # a root of multiplicity k computed from parameters accurate to 1e-10 spreads like 1e-10^(1/k): 1e-3 groups them
    top = roots[np.abs(np.abs(roots) - np.max(np.abs(roots))) < 1e-3]
    return top, top[np.abs(top - top[0]) < 1e-3 * max(1.0, float(np.abs(top[0])))]


#: the branch and bound's budget per attempt of :func:`_certify_minimum` in boxes (2-5 s at the limit here): it
#: decides what is certified, the same on any machine. The seconds all of a joint optimum's attempts may take
#: together are a safety net for inputs whose boxes cost more than measured (the first attempt may use 70 %
#: of them, so that a loaded machine does not change the answer of a problem that closes in a few seconds)
CERTIFY_MAX_BOXES = 150_000
CERTIFY_MAX_SECONDS = 20.0


def _certify_minimum(P: sp.Expr, gens: list, box: list, x: np.ndarray, r_star: float, tolerance: float,
                     exact=None, deadline: float | None = None):
    """(certificate, better): min rho over the box in [lower, upper], proved; ``better`` is a point where a
    lower rho was proved instead (then certificate is None). ``exact``: the exact optimum (entry, rho, point),
    whose rho is the upper end (proved by substituting it back)."""
    from gantheory.symbolic._rho_bounds import dyadic_above, rho_at_least, rho_below_at, simplest_between

    if exact is not None:
        upper, upper_text, at = exact[1], exact[0]["spectral_radius"], exact[0]["values"]
        upper_by = "rho at the exact optimum (substituted back)"
    else:
        point = {g: sp.Rational(float(v)) for g, v in zip(gens, x)}  # the float's exact value
        upper, upper_text, at, upper_by = None, None, {str(g): str(v) for g, v in point.items()}, \
            "rho at a rational point, exact"
        for slack in (1e-12, 1e-9, 1e-7, tolerance):
            cand = dyadic_above(r_star * (1 + slack) + slack, 60)
            if rho_below_at(P, lam, point, cand):
                upper, upper_text = cand, str(cand)
                break
    scale = max(1.0, r_star)
    lower, bound = None, None
    deadline = time.monotonic() + CERTIFY_MAX_SECONDS if deadline is None else deadline
    for attempt, widen in enumerate((1, 100, 10_000)):
        # the simplest rational in [r* - t, r* - 3t/4] (t = tolerance * widen * scale): its few bits keep the
        # Schur-Cohn polynomials' coefficients small, which is what factoring them costs (a dyadic r of
        # log2(1/t) + 8 bits took up to 10x longer); the margin of at least 3t/4 below r* lets the boxes close
        t = tolerance * widen * scale
        cand = simplest_between(max(r_star - t, 0.0), max(r_star - 0.75 * t, 0.0))
        seconds = max(0.5, (deadline - time.monotonic()) * (0.7, 0.6, 1.0)[attempt])  # of the time left
        bound = rho_at_least(P, lam, gens, box, cand, max_boxes=CERTIFY_MAX_BOXES, max_seconds=seconds)
        if bound.holds is False:
            lo_b, hi_b = bound.better
            return None, 0.5 * lo_b + 0.5 * hi_b
        if bound.holds:
            lower = cand
            break
    if lower is not None and upper is not None and bool(upper < lower):
        raise RuntimeError(f"the proved bounds cross: rho >= {lower} on the box, rho < {upper} at a point")
    holds = lower is not None and upper is not None
    return ({"holds": holds, "lower": float(lower) if lower is not None else None,
             "lower_exact": str(lower) if lower is not None else None,
             "upper": float(upper) if upper is not None else None, "upper_exact": upper_text, "at": at,
             "boxes": bound.boxes,
             "lower_by": ("every root modulus is >= 0" if lower == 0 else
                          f"branch and bound over {bound.boxes} boxes (Schur-Cohn signs, Rouche)"),
             "upper_by": upper_by,
             "reason": bound.reason if lower is None else ("" if upper is not None else
                                                           "rho at the rational point could not be bounded")},
            None)


#: the multiple-root system is handed to SymPy's solve up to this degree of the characteristic polynomial, and
#: while its rational numbers have at most this many bits
EXACT_MAX_DEGREE = 4
EXACT_MAX_BITS = 128
#: seconds all the exact solves of one joint optimum may take together (SymPy's solve has no deadline: a
#: three-parameter system ran for minutes); past them the optimum stays numeric, and ``exact_note`` says so
EXACT_MAX_SECONDS = 10.0


def _exact_optimum(P: sp.Expr, gens: list, box: list, x: np.ndarray, r_star: float):
    """The optimum solved exactly at a multiple root, or None.

    The characteristic polynomial ``P`` (degree n, d parameters) is equated with head * rest, rest monic with free
    coefficients, for each head whose unknowns number exactly n (so that the multiple root fixes the point):
    first lambda^n itself (every root at 0, the global minimum rho = 0: n equations in the d parameters, solved
    where SymPy finds isolated solutions), then lambda^d (a root of multiplicity d at 0: rho = 0),
    (lambda - a)^(d+1) (a real root), and for even d
    (lambda^2 - s lambda + q)^(d/2+1) (a complex pair). Of the real solutions in the box, the one with the
    smallest rho is kept if it is no worse than the numeric optimum ``r_star`` (near a root of multiplicity m
    the numeric search stops about eps^(1/m) short of it, and its roots do not even look clustered), and it
    is checked by substituting it back. Returns (the result's ``exact`` entry, rho and the point as SymPy
    expressions)."""
    from gantheory.symbolic._rho_bounds import max_bits

    P = sp.Poly(P, lam)
    n, d = P.degree(), len(gens)
    if n > EXACT_MAX_DEGREE or max_bits(P.all_coeffs()) > EXACT_MAX_BITS:
        return None
    a, sq, qq = sp.symbols("a s q", real=True)
    # lambda^n first: every root at 0 (n equations in the d parameters, more equations than unknowns allowed);
    # found in the box, rho = 0 is the global minimum and no other head can do better
    heads = [("zero", n, lam**n, [], sp.Integer(0))] + ([("zero", d, lam**d, [], sp.Integer(0))] if d < n else [])
    heads.append(("real", d + 1, (lam - a) ** (d + 1), [a], sp.Abs(a)))
    if d % 2 == 0:
        m = d // 2 + 1
        heads.append(("pair", 2 * m, (lam**2 - sq * lam + qq) ** m, [sq, qq], sp.sqrt(qq)))
    best, best_key = None, None
    for kind, width, head, head_syms, head_rho in heads:
        if width > n or (best_key is not None and best_key[0] == 0):
            continue
        rest_syms = list(sp.symbols(f"c1:{n - width + 1}", real=True)) if n > width else []
        rest = lam ** (n - width) + sum(c * lam ** (n - width - 1 - i) for i, c in enumerate(rest_syms))
        unknowns = list(gens) + head_syms + rest_syms
        if len(unknowns) != n and width != n:
            continue
        ansatz = sp.Poly(sp.expand(head * rest), lam)
        eqs = [sp.expand(u - v) for u, v in zip(P.all_coeffs()[1:], ansatz.all_coeffs()[1:])]
        try:
            sols = sp.solve(eqs, unknowns, dict=True)
        except (NotImplementedError, sp.PolynomialError, ValueError, TypeError, ZeroDivisionError):
            continue  # SymPy cannot solve the system: the optimum stays numeric (and certified)
        for sol in sols:
            if set(sol) != set(unknowns):
                continue  # a family of solutions: this multiple root does not fix the point
            try:
                vals = [complex(sp.N(sol[g], 30)) for g in gens]
                # rho from the factored form: the multiple root's modulus and the rest's (simple) roots, both
                # accurate (the roots of the expanded polynomial near a root of multiplicity m are not)
                rho_head = abs(complex(sp.N(head_rho.subs(sol), 30)))
                rest_coeffs = [complex(sp.N(c.subs(sol), 30)) for c in sp.Poly(rest, lam).all_coeffs()]
            except TypeError:
                continue
            if any(abs(v.imag) > 1e-12 for v in vals):
                continue
            if kind == "pair" and not complex(sp.N((sq**2 - 4 * qq).subs(sol), 30)).real < 0:
                continue  # not a complex pair (a real double root is the other head)
            if not all(lo - 1e-12 <= v.real <= hi + 1e-12 for v, (lo, hi) in zip(vals, box)):
                continue
            rest_rho = float(np.max(np.abs(np.roots(rest_coeffs)))) if len(rest_coeffs) > 1 else 0.0
            key = (max(rho_head, rest_rho), max(abs(v.real - float(xi)) for v, xi in zip(vals, x)))
            if best_key is None or key < best_key:
                best, best_key = (kind, width, head, rest, head_rho, rest_rho, sol), key
    if best is None or best_key[0] > r_star + 1e-6 * max(1.0, r_star):
        return None
    kind, width, head, rest, head_rho, rest_rho, sol = best
    values = {g: sp.radsimp(sol[g]) for g in gens}
    # check by substitution: at these values the polynomial factors as the ansatz says
    if sp.simplify(sp.expand(P.as_expr().subs(values) - (head * rest).subs(sol))) != 0:
        return None
    rho_exact = sp.radsimp(sp.simplify(head_rho.subs(sol)))
    if kind == "pair":
        m = width // 2
        what = (f"a complex pair of multiplicity {m}: lambda^2 - ({sp.radsimp(sq.subs(sol))}) lambda + "
                f"{sp.radsimp(qq.subs(sol))}")
    else:
        what = f"a real root of multiplicity {width}: lambda = {sp.radsimp(a.subs(sol)) if kind == 'real' else 0}"
    if rest_rho > float(rho_exact) * (1 + 1e-12):  # the other roots must not be larger
        return None
    return ({"values": {str(g): str(v) for g, v in values.items()},
             "latex": {str(g): sp.latex(v) for g, v in values.items()},
             "spectral_radius": str(rho_exact), "spectral_radius_value": float(rho_exact), "root": what,
             "multiplicity": width // 2 if kind == "pair" else width},
            rho_exact, values)


def parse_assignments(text: str | None) -> dict:
    """``"h=0.1,beta=-0.5"`` -> {"h": Rational(1, 10), "beta": Rational(-1, 2)} (exact rationals)."""
    out: dict = {}
    if not text:
        return out
    for part in text.split(","):
        if "=" not in part:
            raise ValueError(f"expected NAME=VALUE, got {part!r}")
        name, val = (t.strip() for t in part.split("=", 1))
        if not name.isidentifier():
            raise ValueError(f"expected NAME=VALUE with a parameter name, got {part.strip()!r}")
        if name in out:
            raise ValueError(f"{name} is given twice")
        try:
            num = float(val)
        except ValueError:
            raise ValueError(f"{name}: {val!r} is not a number") from None
        if not math.isfinite(num):
            raise ValueError(f"{name} must be finite, got {val}")
        from gantheory.reading import StatementError, read_number

        try:
            out[name] = read_number(val, name)  # exact, and never through SymPy's string parser
        except StatementError as exc:
            raise ValueError(str(exc)) from None
    return out
