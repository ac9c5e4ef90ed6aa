"""Uniform grids (1-D and N-D) and densities on them, validated at the edge."""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gantheory.engine._backend import float_tolerance, namespace, real_array

__all__ = ["Grid", "check_density", "gaussian_mixture", "uniform_box", "point_mass"]


def _as_tuple(x, name: str) -> tuple:
    if isinstance(x, (int, float, np.integer, np.floating)):
        return (x,)
    try:
        return tuple(x)
    except TypeError:
        raise TypeError(f"{name} must be a number or a sequence of numbers, got {type(x).__name__}") from None


@dataclass(frozen=True)
class Grid:
    """A uniform grid of cells on the box [low, high] (DESIGN.md, "Contract: Python").

    Densities are arrays of shape ``grid.shape`` holding density values at the cell centres; they
    integrate to one as ``sum(p) * grid.cell_volume``.

    >>> g = Grid.uniform(-4.0, 4.0, 512)
    >>> g.shape, g.cell_volume
    ((512,), 0.015625)
    >>> Grid.uniform([-3, -3], [3, 3], [64, 64]).points.shape
    (64, 64, 2)
    """

    low: tuple[float, ...]
    high: tuple[float, ...]
    shape: tuple[int, ...]

    @classmethod
    def uniform(cls, low, high, n) -> Grid:
        lo, hi = _as_tuple(low, "low"), _as_tuple(high, "high")
        ns = _as_tuple(n, "n")
        d = max(len(lo), len(hi), len(ns))
        lo, hi, ns = (t * d if len(t) == 1 else t for t in (lo, hi, ns))
        if not len(lo) == len(hi) == len(ns):
            raise ValueError(f"low, high and n must have the same length, got {len(lo)}, {len(hi)}, {len(ns)}")
        for k in range(d):
            for name, val in (("low", lo[k]), ("high", hi[k])):
                if isinstance(val, (bool, str, bytes)) or not isinstance(val, (int, float, np.integer, np.floating)):
                    raise TypeError(f"{name} must be numbers, got {val!r}")
            if not (math.isfinite(float(lo[k])) and math.isfinite(float(hi[k]))):
                raise ValueError(f"low and high must be finite, got low={lo[k]}, high={hi[k]}")
            if not float(hi[k]) > float(lo[k]):
                raise ValueError(f"high must exceed low in every dimension, got low={lo[k]}, high={hi[k]}")
            if isinstance(ns[k], bool) or int(ns[k]) != ns[k] or int(ns[k]) < 2:
                raise ValueError(f"n must be an integer >= 2 in every dimension, got {ns[k]!r}")
        check_fits(math.prod(int(v) for v in ns) * (1 + len(ns)), 8, "Grid.uniform: the cell centres")
        grid = cls(tuple(float(v) for v in lo), tuple(float(v) for v in hi), tuple(int(v) for v in ns))
        tiny = sys.float_info.min  # smallest normal float64
        for k, w in enumerate(grid.widths):
            centres = grid.axis(k)
            if not (math.isfinite(w) and w >= tiny and np.all(np.diff(centres) > 0)):
                raise ValueError(f"the cells along axis {k} are not resolvable in float64: width "
                                 f"(high - low) / n = {w!r} between low = {grid.low[k]!r} and high = "
                                 f"{grid.high[k]!r} (cell centres must be finite and distinct)")
        vol = grid.cell_volume
        if not (math.isfinite(vol) and vol >= tiny):
            raise ValueError(f"the cell volume {vol!r} (product of the cell widths) over- or underflows float64")
        if not math.isfinite(vol * grid.size):
            raise ValueError("the grid's total volume overflows float64")
        return grid

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    @property
    def widths(self) -> tuple[float, ...]:
        """Cell width along each axis, (high - low) / n."""
        return tuple((h - lo) / n for lo, h, n in zip(self.low, self.high, self.shape))

    @property
    def cell_volume(self) -> float:
        return math.prod(self.widths)

    def axis(self, k: int = 0) -> np.ndarray:
        """Cell centres along axis ``k``."""
        w = self.widths[k]
        return self.low[k] + w * (np.arange(self.shape[k]) + 0.5)

    @property
    def points(self) -> np.ndarray:
        """Cell centres: shape (n,) in 1-D, (*shape, d) in N-D with 'ij' indexing."""
        if self.ndim == 1:
            return self.axis(0)
        mesh = np.meshgrid(*[self.axis(k) for k in range(self.ndim)], indexing="ij")
        return np.stack(mesh, axis=-1)

    def integrate(self, values):
        """sum(values) * cell_volume, in the array library of ``values``."""
        xp = namespace(values)
        return xp.sum(values) * self.cell_volume

    def normalize(self, values):
        """values / integrate(values)."""
        return values / self.integrate(values)


def check_density(p, grid: Grid, name: str):
    """Raise ValueError naming ``name`` unless ``p`` is a density on ``grid``; return it as an array.

    Checks: an array of real floating dtype, shape ``grid.shape``, finite, non-negative, and
    ``sum(p) * cell_volume`` within a dtype-dependent tolerance of 1 (see ``float_tolerance``).
    """
    return _checked_density(p, grid, name)[0]


def _checked_density(p, grid: Grid, name: str):
    """:func:`check_density`, returning ``(p, min p, max p)`` (max p None where it was not computed on the way):
    a NumPy float64 array from COMPILED_MIN_CELLS cells on is summed and ranged in one compiled pass."""
    from gantheory.engine._backend import compiled_for

    if not isinstance(grid, Grid):
        raise TypeError(f"grid must be a gantheory.engine.Grid, got {type(grid).__name__}")
    p, xp = real_array(p, name, what=f"an array of shape {grid.shape}")
    if tuple(p.shape) != grid.shape:
        raise ValueError(f"{name} has shape {tuple(p.shape)}, but the grid has shape {grid.shape}")
    summary = None
    if isinstance(p, np.ndarray) and p.dtype == np.float64 and p.flags.c_contiguous:
        kernels = compiled_for(p.size)
        summary = kernels.density_summary(p.reshape(-1)) if kernels is not None else None
    if summary is not None:  # finite and >= 0 everywhere
        total, low, high = summary
    else:
        # two reductions, no temporaries: a NaN or an infinity makes the sum non-finite (finite values
        # whose sum overflows are told apart by the exact check, and then fail the mass check)
        total, high = float(xp.sum(p)), None
        if not math.isfinite(total) and not bool(xp.all(xp.isfinite(p))):
            raise ValueError(f"{name} has NaN or infinite values")
        low = float(xp.min(p))
        if low < 0:
            raise ValueError(f"{name} has negative values (min {low:.3g})")
    mass = total * grid.cell_volume
    tol = float_tolerance(p.dtype, xp)
    if abs(mass - 1.0) > tol:
        raise ValueError(f"{name} integrates to {mass:.8g} over the grid, not 1 (tolerance {tol:.1g}); "
                         "use grid.normalize()")
    return p, low, high


def gaussian_mixture(grid: Grid, means: Sequence, stds, weights=None, *, xp=None, dtype=None):
    """A mixture of isotropic Gaussians, evaluated at the cell centres and normalized on the grid.

    >>> g = Grid.uniform(-4, 4, 256)
    >>> p = gaussian_mixture(g, [-2.0, 2.0], 0.5)
    >>> round(float(g.integrate(p)), 12)
    1.0
    """
    if not isinstance(grid, Grid):
        raise TypeError(f"grid must be a gantheory.engine.Grid, got {type(grid).__name__}")
    try:
        means = np.asarray(means, dtype=float).reshape(-1, grid.ndim)
    except (TypeError, ValueError):
        raise ValueError(f"means must be numbers, {grid.ndim} per component, got {means!r}") from None
    if means.shape[0] == 0 or not np.all(np.isfinite(means)):
        raise ValueError(f"means must be finite and at least one, got {means.tolist()}")
    k = means.shape[0]
    stds = _finite_vector(stds, "stds", k)
    if np.any(~np.isfinite(stds)) or np.any(stds <= 0):
        raise ValueError(f"stds must be positive and finite, got {stds.tolist()}")
    w = np.ones(k) if weights is None else np.asarray(weights, dtype=float)
    if w.shape != (k,) or np.any(w < 0) or not w.sum() > 0 or np.any(~np.isfinite(w)):
        raise ValueError(f"weights must be {k} non-negative numbers with a positive sum, got {w.tolist()}")
    pts = grid.points.reshape(grid.size, grid.ndim)
    # log domain (scale-free in the stds): log w_k - d log s_k - |x - m_k|^2 / (2 s_k^2); the grid
    # normalization absorbs the common (2 pi)^(d/2)
    captured = _captured_mass(grid, means, stds, w / w.sum())  # first: a mixture far off the grid is refused
    if not captured >= MIN_CAPTURED_MASS:
        raise ValueError(f"the grid holds only {captured:.3g} of the mixture's mass (means far outside "
                         f"[{grid.low}, {grid.high}]?): it would be conditioned on the grid's edge")
    with np.errstate(over="ignore"):  # a squared distance past 1e308 is a log density of -inf: exactly 0 mass
        logs = np.stack([np.log(wk) - grid.ndim * np.log(sk) - 0.5 * np.sum(((pts - m) / sk) ** 2, axis=1)
                         for m, sk, wk in zip(means, stds, w / w.sum()) if wk > 0])
    top = np.max(logs)
    dens = np.sum(np.exp(logs - top), axis=0)
    return _finish(dens.reshape(grid.shape), grid, xp, dtype)


#: gaussian_mixture refuses a mixture of which the grid's box holds less than this fraction.
MIN_CAPTURED_MASS = 1e-9


def _captured_mass(grid: Grid, means: np.ndarray, stds: np.ndarray, weights: np.ndarray) -> float:
    """The mixture's probability of the grid's box, from the normal CDF (tails computed on the
    side where they do not round to 1)."""
    from scipy.special import ndtr

    total = 0.0
    for m, sk, wk in zip(means, stds, weights):
        prob = 1.0
        for k in range(grid.ndim):
            a, b = (grid.low[k] - m[k]) / sk, (grid.high[k] - m[k]) / sk
            prob *= float(ndtr(-a) - ndtr(-b)) if a > 0 else float(ndtr(b) - ndtr(a))
        total += wk * prob
    return total


def available_memory() -> int | None:
    """Bytes of memory available now (Linux: MemAvailable), or None where it cannot be read."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_fits(values: int, itemsize: int, what: str, remedy: str = "use fewer cells") -> None:
    """MemoryError-free refusal: ValueError, before any allocation, when ``values`` numbers of ``itemsize``
    bytes would need more than the memory available now (with the estimate, the memory and what to change)."""
    need = int(values) * int(itemsize)
    have = available_memory()
    if have is not None and need > have:
        raise ValueError(f"{what} would need about {need / 2**30:.3g} GiB; {have / 2**30:.3g} GiB is available: "
                         f"{remedy}")


def uniform_box(grid: Grid, low, high, *, xp=None, dtype=None):
    """The uniform density on the cells whose centres lie in [low, high] (per axis)."""
    if not isinstance(grid, Grid):
        raise TypeError(f"grid must be a gantheory.engine.Grid, got {type(grid).__name__}")
    lo, hi = _finite_vector(low, "low", grid.ndim), _finite_vector(high, "high", grid.ndim)
    pts = grid.points.reshape(grid.size, grid.ndim)
    inside = np.all((pts >= lo) & (pts <= hi), axis=1).astype(float)
    if not inside.sum() > 0:
        raise ValueError(f"no cell centre lies in the box [{lo.tolist()}, {hi.tolist()}]")
    return _finish(inside.reshape(grid.shape), grid, xp, dtype)


def point_mass(grid: Grid, at, *, xp=None, dtype=None):
    """All mass in the cell whose centre is nearest to ``at``."""
    if not isinstance(grid, Grid):
        raise TypeError(f"grid must be a gantheory.engine.Grid, got {type(grid).__name__}")
    at = _finite_vector(at, "at", grid.ndim)
    idx = tuple(int(np.clip(np.floor((a - lo) / w), 0, n - 1))
                for a, lo, w, n in zip(at, grid.low, grid.widths, grid.shape))
    dens = np.zeros(grid.shape)
    dens[idx] = 1.0
    return _finish(dens, grid, xp, dtype)


def _finite_vector(x, name: str, size: int):
    try:
        arr = np.broadcast_to(np.asarray(x, dtype=float), (size,))
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number or {size} numbers, got {x!r}") from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {arr.tolist()}")
    return arr


def _finish(dens: np.ndarray, grid: Grid, xp, dtype):
    dens = dens / (dens.sum() * grid.cell_volume)
    if not np.all(np.isfinite(dens)):
        raise ValueError(f"the density overflows float64 on this grid (cell volume {grid.cell_volume:.3g})")
    if xp is None:
        out = dens.astype(dtype) if dtype is not None else dens
    else:
        out = xp.asarray(dens, dtype=dtype) if dtype is not None else xp.asarray(dens)
    return check_density(out, grid, "the density")  # a cast to float32 may overflow or lose mass


def demo_problem(n: int = 256, *, xp=None, dtype=None):
    """The demo problem of ``gantheory run``, the figures and the rate claims: a bimodal reference
    (modes at -2 and 2, std 0.5) and a unimodal initial generator (mean 0, std 1) on ``n`` cells of
    [-4, 4]. Returns ``(grid, p_r, p_g0)``."""
    grid = Grid.uniform(-4.0, 4.0, n)
    return (grid, gaussian_mixture(grid, [-2.0, 2.0], 0.5, xp=xp, dtype=dtype),
            gaussian_mixture(grid, [0.0], 1.0, xp=xp, dtype=dtype))
