"""Evaluate statements numerically on concrete discrete distributions -- independently.

The symbolic side reduces functionals to integrands; this side computes the same functionals from
their definitions on arrays: KL with :func:`scipy.special.rel_entr`, the Bayes discriminator by
Bayes' rule, the max over D of the value function by a golden-section search per cell. A symbolic
proof that disagrees with these numbers is a bug, and a refutation's counterexample is always a
pair of concrete distributions with both sides' values.
"""

from __future__ import annotations

import zlib
from functools import lru_cache

import numpy as np
import sympy as sp
from scipy.spatial.distance import jensenshannon
from scipy.special import rel_entr
from sympy.core.function import AppliedUndef

from gantheory.symbolic import _atoms as A

__all__ = ["instances", "evaluate", "golden_max"]

_GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0


def golden_max(fun, lo, hi, iters: int = 200):
    """Vectorized golden-section search for the max of a concave function on ``[lo, hi]``."""
    lo = np.asarray(lo, dtype=float).copy()
    hi = np.asarray(hi, dtype=float).copy()
    for _ in range(iters):
        a = hi - _GOLDEN * (hi - lo)
        b = lo + _GOLDEN * (hi - lo)
        left = fun(a) >= fun(b)
        hi = np.where(left, b, hi)
        lo = np.where(left, lo, a)
    x = (lo + hi) / 2
    return x, fun(x)


def instances(seed: int = 20261124, count: int = 12):
    """Deterministic pairs ``(reference, other)`` of strictly positive discrete distributions.

    The first pair is small and readable, so that counterexamples read well.
    """
    yield np.array([0.5, 0.5]), np.array([0.25, 0.75])
    yield np.array([0.2, 0.3, 0.5]), np.array([0.6, 0.3, 0.1])
    rng = np.random.default_rng(seed)
    for k in range(count):
        n = (2, 3, 5, 8)[k % 4]
        ref = rng.dirichlet(np.ones(n))
        other = rng.dirichlet(np.ones(n) * (0.5 + k % 3))
        yield ref, other
    base = rng.dirichlet(np.ones(4))
    yield base, (base + 1e-6 * rng.dirichlet(np.ones(4))) / (1 + 1e-6)  # nearly identical


def _lambertw(x):
    from scipy.special import lambertw

    return np.real(lambertw(x))


def into_domain(symbol: sp.Symbol, value):
    """``value`` (a number or an array) moved into ``symbol``'s assumed domain: the sign its assumptions
    require (positive, nonnegative, negative, nonpositive; a real symbol keeps the value) and, for an
    integer, rounded (away from 0 where 0 is excluded). A value drawn outside the domain would refute a
    statement at a point it is not about."""
    out = np.asarray(value, dtype=float)
    if symbol.is_integer:
        out = np.round(out)
        if symbol.is_positive or symbol.is_negative or symbol.is_nonzero:
            out = np.where(out == 0, 1.0, out)
    if symbol.is_positive or symbol.is_nonnegative:
        out = np.abs(out)
        if symbol.is_positive:
            out = np.where(out == 0, 1e-3, out)
    elif symbol.is_negative or symbol.is_nonpositive:
        out = -np.abs(out)
        if symbol.is_negative:
            out = np.where(out == 0, -1e-3, out)
    return float(out) if out.ndim == 0 else out


def exact_in_domain(value, symbol: sp.Symbol) -> bool:
    """Whether the exact number ``value`` satisfies ``symbol``'s assumptions (sign, integrality)."""
    tests = {"positive": lambda c: c > 0, "nonnegative": lambda c: c >= 0, "negative": lambda c: c < 0,
             "nonpositive": lambda c: c <= 0, "integer": lambda c: c == int(c)}
    return all(bool(ok(value)) for fact, ok in tests.items() if getattr(symbol, f"is_{fact}"))


def symbol_intervals(symbol: sp.Symbol) -> list[sp.Interval]:
    """The intervals a real symbol ranges over, from its sign assumptions (one without a sign: all of R; a
    nonzero one: the two half-lines)."""
    if symbol.is_positive:
        return [sp.Interval.open(0, sp.oo)]
    if symbol.is_nonnegative:
        return [sp.Interval(0, sp.oo)]
    if symbol.is_negative:
        return [sp.Interval.open(-sp.oo, 0)]
    if symbol.is_nonpositive:
        return [sp.Interval(-sp.oo, 0)]
    if symbol.is_zero is False:
        return [sp.Interval.open(-sp.oo, 0), sp.Interval.open(0, sp.oo)]
    return [sp.S.Reals]


def branch_regions(d: sp.Expr, x: sp.Symbol, domains=None):
    """``(folded, [(branch, parts)])``: d (with Abs, Max, Min, Heaviside, sign, Piecewise) rewritten as one
    Piecewise in the real symbol x, and each branch with the parts of the domain (``domains``, default x's
    assumed intervals) where it applies -- its condition as a set, minus the earlier branches' -- as intervals
    and finite sets. None where a condition cannot be turned into a set, or the branches do not cover the
    domain."""
    try:
        folded = sp.piecewise_fold(d.rewrite(sp.Piecewise))
    except (NotImplementedError, ValueError, TypeError):
        return None
    branches = folded.args if isinstance(folded, sp.Piecewise) else ((folded, sp.true),)
    remaining = sp.Union(*(domains or symbol_intervals(x)))
    out = []
    for expr, cond in branches:
        try:
            region = sp.Intersection(remaining, cond.as_set() if cond is not sp.true else sp.S.Reals)
            remaining = sp.Complement(remaining, region)
        except (NotImplementedError, ValueError, TypeError):
            return None
        if region != sp.S.EmptySet:
            out.append((expr, list(region.args) if isinstance(region, sp.Union) else [region]))
    if remaining != sp.S.EmptySet:
        return None
    return folded, out


def arbitrary_values(symbol: sp.Symbol, shape) -> np.ndarray:
    """Deterministic values of an arbitrary pointwise function; in (0, 1) for discriminators."""
    rng = np.random.default_rng(zlib.crc32(symbol.name.encode()))
    if symbol.name in ("f", "D", "f^*"):
        return rng.uniform(0.05, 0.95, shape)
    return into_domain(symbol, rng.uniform(0.1, 3.0, shape) if symbol.is_positive else rng.uniform(-2.0, 2.0, shape))


@lru_cache(maxsize=4096)
def _lam_cached(expr, symbols):
    return sp.lambdify(symbols, expr, modules="numpy")


def _lam(expr, symbols):
    return _lam_cached(expr, tuple(symbols))


def _density(expr: sp.Basic, env: dict) -> np.ndarray:
    syms = sorted(expr.free_symbols, key=str)
    if not set(syms) <= set(env):
        raise ValueError(f"{expr} is not a density in {sorted(map(str, env))}")
    return np.broadcast_to(np.asarray(_lam(expr, syms)(*[env[s] for s in syms]), float),
                           next(iter(env.values())).shape)


def _pointwise(expr: sp.Basic, env: dict, ratio: np.ndarray) -> np.ndarray:
    """A pointwise quantity in R or in densities, on the cells."""
    expr = _bayes_numeric(expr, env, ratio)
    syms = sorted(expr.free_symbols, key=str)
    values = {**env, A.R: ratio}
    for s in syms:
        if s not in values:  # an arbitrary function of y: fixed pseudo-random values per cell
            values[s] = arbitrary_values(s, ratio.shape)
    out = _lam(expr, syms)(*[values[s] for s in syms]) if syms else float(expr)
    return np.broadcast_to(np.asarray(out, dtype=float), ratio.shape)


def _bayes_numeric(expr, env, ratio):
    """Replace f*(x) by Bayes' rule: P(real | y) with equal priors = p_r / (p_r + x p_r)."""
    if not expr.has(A.BayesDisc):
        return expr
    out = expr
    for atom in [a for a in sp.preorder_traversal(expr) if isinstance(a, A.BayesDisc)]:
        gen_ratio = _pointwise(atom.args[0], env, ratio)
        dummy = sp.Dummy()
        env[dummy] = 1.0 / (1.0 + gen_ratio)
        out = out.xreplace({atom: dummy})
    return out


def _value(atom: sp.Basic, env: dict, ref: sp.Symbol) -> float:
    pref = env[ref]
    ratio = env[A.DENSITY_PAIRS[ref]] / pref
    if isinstance(atom, A.KL):
        a, b = (_density(x, env) for x in atom.args)
        return float(np.sum(rel_entr(a, b)))
    if isinstance(atom, A.W1):  # the cells at 0, 1, ..., n-1 on a line: W1 by SciPy (CDF differences)
        from scipy.stats import wasserstein_distance

        a, b = (_density(x, env) for x in atom.args)
        cells = np.arange(a.size, dtype=float)
        return float(wasserstein_distance(cells, cells, a, b))
    if isinstance(atom, A.JSD):
        a, b = (_density(x, env) for x in atom.args)
        if abs(a.sum() - 1) < 1e-12 and abs(b.sum() - 1) < 1e-12:  # SciPy's, squared, in nats
            js = float(jensenshannon(a, b) ** 2)
            if np.isfinite(js) and js > 1e-6:  # SciPy loses digits (or gives NaN) for near-equal inputs
                return js
        m = (a + b) / 2
        return float(0.5 * np.sum(rel_entr(a, m)) + 0.5 * np.sum(rel_entr(b, m)))
    if isinstance(atom, A.E):
        return float(np.sum(pref * _pointwise(atom.args[0], dict(env), ratio)))
    if isinstance(atom, A.Et):
        return float(np.sum(env[A.DENSITY_PAIRS[ref]] * _pointwise(atom.args[0], dict(env), ratio)))
    if isinstance(atom, A.Int):
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(np.sum(_density(atom.args[0], env)))
    if isinstance(atom, (A.GenLoss, A.DiscLoss)):
        gen = pref * _pointwise(atom.args[0], dict(env), ratio)  # generator density R_gen * p_r
        fv = _pointwise(atom.args[1], dict(env), ratio)
        if isinstance(atom, A.GenLoss):
            return float(np.sum(gen * -np.log(fv)))
        return float(np.sum(pref * -np.log(fv)) + np.sum(gen * -np.log1p(-fv)))
    if isinstance(atom, A.ValueFn):
        a, b = (_density(x, env) for x in atom.args[:2])
        dv = _pointwise(atom.args[2], dict(env), ratio)
        return float(np.sum(a * np.log(dv) + b * np.log1p(-dv)))
    if isinstance(atom, A.FDiv):
        lam, P, Q = atom.args
        p, q = _density(P, env), _density(Q, env)
        fn = sp.lambdify(lam.variables, lam.expr, modules=["numpy", {"LambertW": _lambertw}])
        return float(np.sum(q * fn(p / q)))
    if isinstance(atom, A.NamedFDiv):
        p, q = (_density(x, env) for x in atom.densities)
        return fdiv_value(A.fdiv_generator(atom), p, q)
    if isinstance(atom, A.Entropy):
        return float(-np.sum(rel_entr(_density(atom.args[0], env), 1.0)))
    if isinstance(atom, A.CrossEntropy):
        a, b = (_density(x, env) for x in atom.args)
        with np.errstate(divide="ignore"):
            terms = np.where(a > 0, -a * np.log(b), 0.0)
        return float(np.sum(terms))
    if isinstance(atom, A.VirtualCriterion):
        a, b = (_density(x, env) for x in atom.args)
        _, best = golden_max(lambda d: a * np.log(d) + b * np.log1p(-d),
                             np.full_like(a, 1e-300), np.full_like(a, 1 - 1e-16))
        return float(np.sum(best))
    raise ValueError(f"no numeric value for {atom}")


@lru_cache(maxsize=256)
def _generator_parts(f: sp.Expr):
    """f as a NumPy function of u, f(0+) and f'(oo) = lim f(u)/u (the conventions at the boundary)."""
    fn = sp.lambdify(A.U, f, modules=["numpy", {"LambertW": _lambertw}])
    f0 = sp.limit(f, A.U, 0, "+")
    slope = sp.limit(f / A.U, A.U, sp.oo)
    return fn, float(f0), float(slope)


def fdiv_value(f: sp.Expr, p: np.ndarray, q: np.ndarray) -> float:
    """D_f(P || Q) = sum over q > 0 of q f(p/q) + f'(oo) * P(q = 0), with 0 f(0/0) = 0 and 0 * oo = 0."""
    fn, f0, slope = _generator_parts(f)
    p, q = np.asarray(p, float), np.asarray(q, float)
    both = (q > 0) & (p > 0)
    total = 0.0
    if both.any():
        with np.errstate(all="ignore"):
            total += float(np.sum(q[both] * np.asarray(fn(p[both] / q[both]), float)))
    only_q = (q > 0) & (p == 0)
    if only_q.any():
        total += f0 * float(np.sum(q[only_q]))
    only_p = (q == 0) & (p > 0)
    if only_p.any():
        total += slope * float(np.sum(p[only_p]))
    return total


def evaluate(expr: sp.Basic, reference: np.ndarray, other: np.ndarray, ref: sp.Symbol,
             fixed: dict | None = None) -> float:
    """The value of an expectation-level expression for concrete distributions.

    ``fixed`` gives values on the cells to pointwise symbols (e.g. a frozen discriminator).
    """
    env = {ref: np.asarray(reference, float), A.DENSITY_PAIRS[ref]: np.asarray(other, float)}
    env.update(fixed or {})
    atoms, combine = _combination(expr)
    floats = [_value(a, env, ref) for a in atoms]
    if combine is not None and all(np.isfinite(floats)):  # the common case, some 50x cheaper than SymPy's N
        import mpmath

        try:
            with mpmath.workdps(30):
                out = combine(*(mpmath.mpf(v) for v in floats))
            if isinstance(out, mpmath.mpf) and mpmath.isfinite(out):
                return float(out)
        except Exception:  # whatever mpmath cannot do, SymPy decides below, as it always did
            pass
    # an infinite value, an undefined or complex combination: SymPy's rules (0 * oo = nan, log(0) = zoo, ...)
    values = {a: sp.Float(v, 30) for a, v in zip(atoms, floats)}
    out = sp.sympify(expr).xreplace(values)
    return float(sp.N(out, 30))


@lru_cache(maxsize=512)
def _combination(expr: sp.Basic):
    """The functionals in ``expr`` (each once, in a fixed order) and ``expr`` as an mpmath function of their
    values (None where it cannot be one: a symbol left free). Cached: a search evaluates one statement's
    sides thousands of times."""
    atoms = tuple(dict.fromkeys(a for a in sp.preorder_traversal(expr) if isinstance(a, A.FUNCTIONALS + A.NONRATIO)))
    dummies = [sp.Dummy() for _ in atoms]
    body = sp.sympify(expr).xreplace(dict(zip(atoms, dummies)))
    if body.free_symbols - set(dummies) or body.atoms(AppliedUndef):  # not a number of the atoms' values
        return atoms, None
    return atoms, sp.lambdify(dummies, body, modules="mpmath")
