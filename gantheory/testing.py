"""Hypothesis strategies and assertions for testing GAN theory against numerics.

Strategies take the array namespace ``xp`` as an argument, are constructive (positive weights,
normalized; never ``assume(sum == 1)``), and come with two Hypothesis profiles:

- ``ci``: deterministic (derandomized), few examples -- what the test suite uses by default;
- ``thorough``: many more examples, random seeds.

Choose with the environment variable ``GANTHEORY_HYPOTHESIS_PROFILE`` (default ``ci``) and
:func:`load_profile`. Requires the ``test`` extra (``pip install 'gantheory[test]'``).
"""

from __future__ import annotations

import os

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st

from gantheory.engine._backend import namespace, to_numpy
from gantheory.engine._grid import Grid

__all__ = [
    "assert_close", "default_rtol", "distributions", "grid_densities", "likelihood_ratios",
    "positive_distribution_pairs", "fgan_generators", "dirac_parameters", "stable_eigenvalues",
    "step_sizes", "load_profile", "PROFILES",
    "extreme_grids", "extreme_densities", "near_identical", "point_masses", "invalid_densities",
    "invalid_points",
]

PROFILES = ("ci", "thorough")
settings.register_profile("ci", max_examples=25, derandomize=True, deadline=None, print_blob=True)
settings.register_profile("thorough", max_examples=400, deadline=None)


def load_profile(name: str | None = None) -> str:
    """Load a Hypothesis profile: ``name``, else $GANTHEORY_HYPOTHESIS_PROFILE, else ``ci``."""
    name = name or os.environ.get("GANTHEORY_HYPOTHESIS_PROFILE", "ci")
    if name not in PROFILES:
        raise ValueError(f"GANTHEORY_HYPOTHESIS_PROFILE must be one of {PROFILES}, got {name!r}")
    settings.load_profile(name)
    return name


def _weights(n: int, zeros: bool):
    elem = st.floats(0.05, 1.0) if not zeros else st.one_of(st.just(0.0), st.floats(0.05, 1.0))
    return st.lists(elem, min_size=n, max_size=n).filter(lambda w: sum(w) > 0)


@st.composite
def distributions(draw, n=st.integers(2, 8), *, zeros: bool = False, xp=None, dtype=None):
    """A discrete probability vector (masses summing to 1), as an array of ``xp`` (NumPy default)."""
    size = draw(n) if isinstance(n, st.SearchStrategy) else n
    w = np.asarray(draw(_weights(size, zeros)), dtype=float)
    p = w / w.sum()
    return p if xp is None else xp.asarray(p, dtype=dtype) if dtype is not None else xp.asarray(p)


@st.composite
def grid_densities(draw, grid: Grid, *, zeros: bool = False, xp=None, dtype=None, smooth: bool = True):
    """A density on ``grid`` (integrates to 1 over cells): a random mixture of bumps, or raw cells.

    ``zeros=True`` zeroes a random block of cells, so that supports differ.
    """
    if smooth:
        k = draw(st.integers(1, 3))
        pts = grid.points.reshape(grid.size, grid.ndim)
        dens = np.zeros(grid.size)
        for _ in range(k):
            centre = np.array([draw(st.floats(lo, hi)) for lo, hi in zip(grid.low, grid.high)])
            width = draw(st.floats(0.05, 0.5)) * min(h - lo for lo, h in zip(grid.low, grid.high))
            dens += draw(st.floats(0.2, 1.0)) * np.exp(-np.sum((pts - centre) ** 2, axis=1) / (2 * width**2))
        dens = dens + 1e-3 * dens.max()
    else:
        dens = np.asarray(draw(_weights(grid.size, False)), dtype=float)
    if zeros:
        start = draw(st.integers(0, grid.size - 2))
        stop = draw(st.integers(start + 1, min(grid.size - 1, start + grid.size // 2)))
        dens[start:stop] = 0.0
    dens = (dens / (dens.sum() * grid.cell_volume)).reshape(grid.shape)
    if xp is None:
        return dens if dtype is None else dens.astype(dtype)
    return xp.asarray(dens, dtype=dtype) if dtype is not None else xp.asarray(dens)


@st.composite
def likelihood_ratios(draw, p_r):
    """R in Omega_g for the discrete reference ``p_r`` (masses): R > 0 with sum(p_r * R) = 1."""
    xp = namespace(p_r)
    n = int(p_r.shape[0])
    q = draw(distributions(n))
    return xp.asarray(q) / p_r


def positive_distribution_pairs(n=st.integers(2, 8)):
    """Pairs (p_r, p_g) of strictly positive discrete distributions of the same length."""
    return n.flatmap(lambda k: st.tuples(distributions(k), distributions(k)))


def default_rtol(dtype) -> float:
    """1e-10 for float64, 1e-4 for float32: a few hundred ulps of a reduction over many cells."""
    return 1e-10 if np.dtype(str(dtype).split(".")[-1]) == np.float64 else 1e-4


def assert_close(actual, desired, *, rtol: float | None = None, atol: float = 0.0, xp=None) -> None:
    """Assert ``actual`` is close to ``desired``, checking namespace, shape and dtype first.

    Python scalars compare as float64. The default ``rtol`` follows the dtype (:func:`default_rtol`).
    """
    if xp is not None and hasattr(actual, "shape") and not isinstance(actual, (float, int)):
        got = namespace(actual)
        if got is not xp and getattr(got, "__name__", "") != getattr(xp, "__name__", ""):
            raise AssertionError(f"result is in namespace {got.__name__}, expected {xp.__name__}")
    a, d = np.asarray(to_numpy(actual)), np.asarray(to_numpy(desired))
    if hasattr(actual, "shape") and hasattr(desired, "shape") and a.shape != d.shape:
        raise AssertionError(f"shape {a.shape} != {d.shape}")
    if hasattr(actual, "dtype") and hasattr(desired, "dtype") and str(actual.dtype) != str(desired.dtype):
        raise AssertionError(f"dtype {actual.dtype} != {desired.dtype}")
    tol = default_rtol(getattr(actual, "dtype", "float64")) if rtol is None else rtol
    np.testing.assert_allclose(a, d, rtol=tol, atol=atol)


def fgan_generators():
    """Rows of the f-GAN table (``gantheory.topics.fgan.Row``): generator f, conjugate, domain, ..."""
    from gantheory.topics.fgan import ROWS

    return st.sampled_from(ROWS)


@st.composite
def dirac_parameters(draw, regs=("r1", "consensus", "instance-noise")):
    """(loss, reg, gamma, sigma) for the Dirac-GAN with a regularizer that makes it convergent."""
    loss = draw(st.sampled_from(["gan", "nsgan"]))
    reg = draw(st.sampled_from(list(regs)))
    return loss, reg, draw(st.floats(0.2, 3.0)), draw(st.floats(0.3, 2.0))


@st.composite
def stable_eigenvalues(draw):
    """An eigenvalue a + bi with a < 0 (the hypothesis of Lemma 8, seed 004)."""
    return complex(draw(st.floats(-3.0, -0.05)), draw(st.floats(-4.0, 4.0)))


@st.composite
def step_sizes(draw, eigenvalue: complex, inside: bool = True, margin: float = 0.02):
    """A step size h just inside (or just outside) Lemma 8's bound 2 |a| / (a^2 + b^2) for a + bi."""
    a, b = eigenvalue.real, eigenvalue.imag
    bound = 2 * abs(a) / (a * a + b * b)
    frac = draw(st.floats(0.5, 1 - margin)) if inside else draw(st.floats(1 + margin, 1.5))
    return frac * bound



# -- valid-but-extreme and invalid inputs (issue 11: no silently wrong answer) -------------------------

#: Magnitudes of raw cell weights before normalization: exact zeros, subnormals, tiny, ordinary, huge.
_MAGNITUDES = (0.0, 5e-324, 1e-310, 1e-300, 1e-30, 1e-8, 1.0, 3.0, 1e8, 1e30, 1e300)


@st.composite
def extreme_grids(draw, ndim=st.sampled_from([1, 2]), max_cells: int = 64, dtype=np.float64):
    """Grids with tiny to huge extents and 2 to ``max_cells`` cells (1-D or 2-D), whose cell volume
    keeps densities representable in ``dtype`` (float32 needs 1/volume below its maximum)."""
    d = draw(ndim) if isinstance(ndim, st.SearchStrategy) else ndim
    per_axis = max(2, int(round(max_cells ** (1 / d))))
    shape = [draw(st.integers(2, per_axis)) for _ in range(d)]
    exp_lo = -30 if np.dtype(dtype) == np.float32 else -150
    low, high = [], []
    for n in shape:
        width = 10.0 ** draw(st.integers(exp_lo // d, 30 // d))
        centre = draw(st.sampled_from([0.0, 1.0, -7.5, 1e3])) * width * n  # offset relative to the extent
        low.append(centre - width * n / 2)
        high.append(centre + width * n / 2)
    return Grid.uniform(low, high, shape)


def _normalize_to(weights: np.ndarray, grid: Grid, xp, dtype):
    dens = (weights / weights.sum() / grid.cell_volume).reshape(grid.shape)
    if dtype is not None:
        dens = dens.astype(dtype)
        dens = dens / (dens.astype(np.float64).sum() * grid.cell_volume)  # rounding of the cast
        dens = dens.astype(dtype)
    return dens if xp is None else xp.asarray(dens)


@st.composite
def extreme_densities(draw, grid: Grid, *, xp=None, dtype=None):
    """A density on ``grid`` whose cell weights span zeros, subnormals, tiny and huge magnitudes
    (normalized afterwards: at least one cell keeps an ordinary share of the mass)."""
    w = np.array([draw(st.sampled_from(_MAGNITUDES)) for _ in range(grid.size)], dtype=np.float64)
    w[draw(st.integers(0, grid.size - 1))] = max(1.0, float(w.max()))
    return _normalize_to(w, grid, xp, dtype)


@st.composite
def near_identical(draw, grid: Grid, *, xp=None, dtype=None):
    """(p, q): a positive density and a relative perturbation of it by 1e-3 ... 1e-14."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    base = rng.random(grid.size) + 0.05
    rel = 10.0 ** -draw(st.integers(3, 14 if dtype in (None, np.float64) else 5))
    other = base * (1 + rel * rng.standard_normal(grid.size))
    return _normalize_to(base, grid, xp, dtype), _normalize_to(other, grid, xp, dtype)


@st.composite
def point_masses(draw, grid: Grid, *, xp=None, dtype=None):
    """All mass in one cell."""
    w = np.zeros(grid.size)
    w[draw(st.integers(0, grid.size - 1))] = 1.0
    return _normalize_to(w, grid, xp, dtype)


@st.composite
def invalid_densities(draw, grid: Grid):
    """(value, reason) pairs that are not densities on ``grid``: NaN, inf, negative, unnormalized,
    wrong shape, wrong dtype, lists of the wrong length, scalars, None, strings."""
    good = np.full(grid.shape, 1.0 / (grid.size * grid.cell_volume))
    kind = draw(st.sampled_from(["nan", "inf", "negative", "mass", "shape", "int", "complex", "bool",
                                 "short-list", "scalar", "none", "string", "zero-d", "object"]))
    if kind == "nan":
        bad = good.copy(); bad.flat[0] = np.nan  # noqa: E702
    elif kind == "inf":
        bad = good.copy(); bad.flat[0] = np.inf  # noqa: E702
    elif kind == "negative":
        bad = good.copy(); bad.flat[0] = -bad.flat[0]  # noqa: E702
    elif kind == "mass":
        bad = good * draw(st.sampled_from([0.5, 2.0, 0.0]))
    elif kind == "shape":
        bad = np.full((grid.size + 1,), 1.0)
    elif kind == "int":
        bad = np.ones(grid.shape, dtype=int)
    elif kind == "complex":
        bad = good.astype(complex)
    elif kind == "bool":
        bad = np.ones(grid.shape, dtype=bool)
    elif kind == "short-list":
        bad = [1.0] * (grid.size - 1)
    elif kind == "scalar":
        bad = draw(st.sampled_from([1.0, 0, float("nan")]))
    elif kind == "none":
        bad = None
    elif kind == "string":
        bad = "p"
    elif kind == "zero-d":
        bad = np.float64(1.0)
    else:
        bad = np.array([object()] * grid.size, dtype=object).reshape(grid.shape)
    return bad, kind


def invalid_points():
    """Bad starting points for the game simulator: NaN, inf, strings, None, nested and empty arrays."""
    return st.sampled_from([[float("nan")], [float("inf")], "x", None, [[0.1]], [], np.array([[0.1]]),
                            np.array([], dtype=float), np.array([1], dtype=int)])
