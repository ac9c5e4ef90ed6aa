"""KL and JSD of densities on a grid, in nats, on any Array API namespace.

Terms are written in Bregman form ``p log(p/q) - p + q`` (each term >= 0 and the extra terms sum to
zero for normalized inputs), with ``log(p/q)`` as ``log1p((p - q)/q)``: the result is never negative
and stays accurate for nearly identical inputs, where SciPy's ``jensenshannon`` returns NaN.
"""

from __future__ import annotations

import math

from gantheory.engine._backend import namespace
from gantheory.engine._grid import Grid, check_density

__all__ = ["kl", "jsd"]


def _kl_terms(xp, p, q):
    """Pointwise p log(p/q) - p + q with 0 log 0 = 0, and +inf where p > 0 = q."""
    pos_p, pos_q = p > 0, q > 0
    both = pos_p & pos_q
    one = xp.ones_like(p)
    p_safe, q_safe = xp.where(both, p, one), xp.where(both, q, one)
    rel = (p_safe - q_safe) / q_safe
    near = xp.abs(rel) < 0.5  # log1p is accurate near p = q; log p - log q is safe far from it
    log_ratio = xp.where(near, xp.log1p(xp.where(near, rel, 0 * one)), xp.log(p_safe) - xp.log(q_safe))
    body = q_safe * ((1 + rel) * log_ratio - rel)
    inf = xp.full_like(p, math.inf)
    return xp.where(pos_p, xp.where(pos_q, body, inf), q)


def kl(p, q, grid: Grid) -> float:
    r"""Kullback-Leibler divergence :math:`\mathrm{KL}(p\|q) = \int p \log(p/q)` in nats.

    ``inf`` where p has mass and q has none (0 log 0 = 0). Inputs are validated as densities on
    ``grid`` (ValueError naming the argument).

    >>> import numpy as np
    >>> from gantheory.engine import Grid
    >>> g = Grid.uniform(0.0, 1.0, 2)
    >>> p, q = np.array([0.5, 1.5]), np.array([1.0, 1.0])  # masses 0.25, 0.75 and 0.5, 0.5
    >>> round(kl(p, q, g), 6), round(float(0.25 * np.log(0.5) + 0.75 * np.log(1.5)), 6)
    (0.130812, 0.130812)
    """
    p = check_density(p, grid, "p")
    q = check_density(q, grid, "q")
    xp = namespace(p, q)
    return max(0.0, float(xp.sum(_kl_terms(xp, p, q))) * grid.cell_volume)


def jsd(p, q, grid: Grid) -> float:
    r"""Jensen-Shannon divergence :math:`\tfrac12 \mathrm{KL}(p\|m) + \tfrac12 \mathrm{KL}(q\|m)`, in nats.

    Between 0 and log 2; finite for any pair of densities.
    """
    p = check_density(p, grid, "p")
    q = check_density(q, grid, "q")
    xp = namespace(p, q)
    m = (p + q) / 2
    total = xp.sum(_kl_terms(xp, p, m)) + xp.sum(_kl_terms(xp, q, m))
    return min(math.log(2.0), max(0.0, 0.5 * float(total) * grid.cell_volume))
