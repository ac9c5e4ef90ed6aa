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
