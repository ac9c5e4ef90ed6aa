"""KL and JSD of densities on a grid, in nats, on any Array API namespace.

Precision (what the tests hold these functions to):

- Computed in float64 whatever the input dtype (float32 inputs are widened first), so a float32
  density whose ratio p/q overflows float32 still gets the right answer; each input is scaled to
  unit mass first (a float32 density is accepted with mass 1 +- 1e-7, and JSD <= log 2 must hold).
- ``kl`` is ``inf`` exactly when p has mass on a cell where q has none (0 log 0 = 0); where q is
  merely tiny (down to the smallest subnormal) it is finite and right. Terms are written in
  Bregman form ``p log(p/q) - p + q`` (each term >= 0 in exact arithmetic; the extra terms sum to
  zero for normalized inputs), as ``q phi((p - q)/q)`` near p = q (a series for |r| < 1e-2, so
  nearly identical inputs keep full relative accuracy) and ``p (log p - log q) - p + q`` away
  from it (no ratio is formed, so nothing overflows).
- ``jsd`` never forms the mixture ``(p + q)/2`` (which rounds to 0 for two subnormals):
  with s = p + q and d = (p - q)/s in [-1, 1], JSD = sum s psi(d) / 4 * cell_volume,
  psi(d) = (1 + d) log(1 + d) + (1 - d) log(1 - d) in [0, 2 log 2] (a series near d = 0).
- No clamp hides a NaN: a result that is NaN raises ``FloatingPointError``.
  Relative error: a few float64 ulps per term plus the summation (pairwise in NumPy).
"""

from __future__ import annotations

import math

from gantheory.engine._backend import as_float64, is_numpy, namespace
from gantheory.engine._grid import Grid, check_density

__all__ = ["kl", "jsd"]

#: Below this |r| (or |d|) the series replaces the closed form (whose cancellation loses eps/|r|).
SERIES_BELOW = 1e-2
#: Terms kept in the series: the first omitted term is below 1e-2**(2 * 8) relative, far under eps.
SERIES_TERMS = 16


def _phi_series(xp, r):
    """(1 + r) log1p(r) - r = sum_{k>=2} (-1)^k r^k / (k (k - 1)), Horner in r."""
    acc = xp.zeros_like(r)
    for k in range(SERIES_TERMS + 1, 1, -1):
        acc = acc * r + ((-1) ** k) / (k * (k - 1))
    return acc * r * r


def _psi_series(xp, d):
    """(1 + d) log1p(d) + (1 - d) log1p(-d) = sum_{k>=1} d^(2k) / (k (2k - 1))."""
    d2 = d * d
    acc = xp.zeros_like(d)
    for k in range(SERIES_TERMS // 2 + 1, 0, -1):
        acc = acc * d2 + 1.0 / (k * (2 * k - 1))
    return acc * d2


def _kl_terms(xp, p, q, vol: float = 1.0):
    """Pointwise (p log(p/q) - p + q) * vol (float64 inputs) with 0 log 0 = 0, +inf where p > 0 = q.

    The cell volume goes in before the log ratio multiplies: p may be ~1/vol ~ 1e307 on a fine grid,
    and p log(p/q) would overflow where (p vol) log(p/q) does not."""
    pos_p, pos_q = p > 0, q > 0
    both = pos_p & pos_q
    one = xp.ones_like(p)
    p_s, q_s = xp.where(both, p, one), xp.where(both, q, one)
    near = xp.abs(p_s - q_s) < 0.5 * q_s          # |r| < 1/2: r = (p - q)/q cannot overflow
    any_near, all_near = bool(xp.any(near)), bool(xp.all(near))  # a branch not taken is not computed
    if any_near:
        r = xp.where(near, p_s - q_s, 0 * one) / xp.where(near, q_s, one)
        small = xp.abs(r) < SERIES_BELOW
        closed = (1 + r) * xp.log1p(r) - r
        phi = xp.where(small, _phi_series(xp, r), closed) if bool(xp.any(small)) else closed
        near_term = (q_s * vol) * phi
    if not all_near:
        pv, qv = p_s * vol, q_s * vol
        far_term = pv * (xp.log(p_s) - xp.log(q_s)) - pv + qv
    body = (xp.where(near, near_term, far_term) if any_near and not all_near
            else near_term if any_near else far_term)
    inf = xp.full_like(p, math.inf)
    return xp.where(pos_p, xp.where(pos_q, body, inf), q * vol)


def _jsd_terms(xp, p, q, vol: float = 1.0):
    """Pointwise s psi(d) / 4 * vol with s = p + q, d = (p - q)/s; 0 where s = 0."""
    s = p + q
    pos = s > 0
    s_s = xp.where(pos, s, xp.ones_like(s))
    d = xp.where(pos, (p - q) / s_s, xp.zeros_like(s))
    ad = xp.abs(d)
    edge = ad >= 1  # one of p, q is zero: psi = 2 log 2
    d_in = xp.where(edge, xp.zeros_like(d), d)
    closed = (1 + d_in) * xp.log1p(d_in) + (1 - d_in) * xp.log1p(-d_in)
    small = ad < SERIES_BELOW
    inner = xp.where(small, _psi_series(xp, d_in), closed) if bool(xp.any(small)) else closed
    psi = xp.where(edge, xp.full_like(d, 2 * math.log(2.0)), inner)
    return xp.where(pos, (s * vol) * psi / 4, xp.zeros_like(s))


#: Cells per block when the terms are summed on NumPy: some 30 elementwise operations per cell (the
#: series, two logs, the selections) run on blocks that stay in cache, instead of allocating and
#: faulting in a fresh full-size temporary for each (4-5x faster on 2^22 cells). Other namespaces
#: (a GPU) take the whole array in one go.
SUM_BLOCK = 1 << 15


def _blocked_sum(xp, terms, p, q, vol: float) -> float:
    """sum(terms(xp, p, q, vol)) over the flattened arrays, block by block on NumPy."""
    p1, q1 = xp.reshape(p, (-1,)), xp.reshape(q, (-1,))
    n = p1.shape[0]
    if not is_numpy(xp) or n <= SUM_BLOCK:
        return float(xp.sum(terms(xp, p1, q1, vol)))
    return math.fsum(float(xp.sum(terms(xp, p1[i:i + SUM_BLOCK], q1[i:i + SUM_BLOCK], vol)))
                     for i in range(0, n, SUM_BLOCK))


def _kl_jsd_sums(xp, p, q, vol: float, want_kl: bool, want_jsd: bool):
    """(KL sum, JSD sum) of float64 unit-mass p, q (None for one not wanted): on NumPy with the compiled kernels
    (the ``fast`` extra; from COMPILED_MIN_CELLS cells) one sweep for both, with the same per-cell operations and
    block sums as
    :func:`_blocked_sum` of :func:`_kl_terms` and :func:`_jsd_terms` (3-4x faster: the series only where a block
    needs it, no full-size selections); otherwise those."""
    from gantheory.engine._backend import compiled_for

    p1, q1 = xp.reshape(p, (-1,)), xp.reshape(q, (-1,))
    kernels = compiled_for(p1.shape[0]) if is_numpy(xp) else None
    if kernels is not None:
        return kernels.kl_jsd_sums(p1, q1, float(vol), want_kl, want_jsd, SUM_BLOCK)
    return (_blocked_sum(xp, _kl_terms, p, q, vol) if want_kl else None,
            _blocked_sum(xp, _jsd_terms, p, q, vol) if want_jsd else None)


def _unit_mass(xp, p, grid: Grid):
    """p in float64, scaled to integrate to exactly 1 (up to rounding): a density accepted within the
    dtype's tolerance (float32: mass 1 +- 1e-7) is read as the probability distribution it stands for."""
    p = as_float64(xp, p)
    return p / (float(xp.sum(p)) * grid.cell_volume)


def _finite_or_raise(value: float, what: str) -> float:
    if math.isnan(value):
        raise FloatingPointError(f"{what} came out NaN: please report this input")
    return value


def kl(p, q, grid: Grid) -> float:
    r"""Kullback-Leibler divergence :math:`\mathrm{KL}(p\|q) = \int p \log(p/q)` in nats.

    ``inf`` where p has mass and q has none (0 log 0 = 0); finite and accurate where q is merely
    tiny. Computed in float64 for every input dtype. Inputs are validated as densities on ``grid``
    (ValueError/TypeError naming the argument).

    >>> import numpy as np
    >>> from gantheory.engine import Grid
    >>> g = Grid.uniform(0.0, 1.0, 2)
    >>> p, q = np.array([0.5, 1.5]), np.array([1.0, 1.0])  # masses 0.25, 0.75 and 0.5, 0.5
    >>> round(kl(p, q, g), 6), round(float(0.25 * np.log(0.5) + 0.75 * np.log(1.5)), 6)
    (0.130812, 0.130812)
    >>> kl(np.array([1.0, 1.0]), np.array([2.0, 0.0]), g)
    inf
    """
    p = check_density(p, grid, "p")
    q = check_density(q, grid, "q")
    xp = namespace(p, q)
    p, q = _unit_mass(xp, p, grid), _unit_mass(xp, q, grid)
    return _finite_or_raise(_kl_jsd_sums(xp, p, q, grid.cell_volume, True, False)[0], "kl")


def jsd(p, q, grid: Grid) -> float:
    r"""Jensen-Shannon divergence :math:`\tfrac12 \mathrm{KL}(p\|m) + \tfrac12 \mathrm{KL}(q\|m)`, in nats.

    Between 0 and log 2 (up to rounding); finite for any pair of densities, subnormal ones included.
    Computed in float64 for every input dtype.

    >>> import math
    >>> import numpy as np
    >>> from gantheory.engine import Grid
    >>> g = Grid.uniform(0.0, 1.0, 2)
    >>> abs(jsd(np.array([2.0, 0.0]), np.array([0.0, 2.0]), g) - math.log(2)) < 1e-15
    True
    """
    p = check_density(p, grid, "p")
    q = check_density(q, grid, "q")
    xp = namespace(p, q)
    p, q = _unit_mass(xp, p, grid), _unit_mass(xp, q, grid)
    return _finite_or_raise(_kl_jsd_sums(xp, p, q, grid.cell_volume, False, True)[1], "jsd")
