"""The one place that knows about specific array libraries.

Everything else in the engine takes ``xp = namespace(...)`` once at the top of a public function and
uses only the Array API standard through it (NumPy, CuPy, ``array_api_strict``).
"""

from __future__ import annotations

import numpy as np
from array_api_compat import array_namespace, is_cupy_namespace, is_numpy_namespace

__all__ = ["namespace", "to_numpy", "from_numpy", "is_cupy", "is_numpy", "float_tolerance", "as_float64",
           "real_array", "compiled", "dot"]

_COMPILED: list = []  # [module or None], filled on first use


def compiled():
    """The optional compiled kernels (:mod:`gantheory.engine._compiled`), or None.

    They run for NumPy arrays when Numba is installed (``pip install gantheory[fast]``) unless the
    environment variable ``GANTHEORY_COMPILED`` is ``0`` (read at each call, so a test or a user can
    switch to the NumPy path at any time). Every other namespace (CuPy, ``array_api_strict``) and NumPy
    without Numba run the Array-API / NumPy path, which computes the same values.
    """
    import os

    if os.environ.get("GANTHEORY_COMPILED", "1") == "0":
        return None
    if not _COMPILED:
        try:
            from gantheory.engine import _compiled
        except ImportError:
            _compiled = None
        _COMPILED.append(_compiled)
    return _COMPILED[0]


def dot(a, b) -> float:
    """sum(a * b) of two 1-D NumPy arrays in one thread, without a temporary.

    ``np.dot`` / ``np.vecdot`` of long vectors go to multi-threaded BLAS, which is slow when the other core is
    busy (24-42x in the worst runs measured), and whose idle threads then spin on the other core for a while:
    in the 2-D Wasserstein descent, one ``np.dot`` per step kept the second core busy for the whole run and
    made the solver's core 10 % slower (measured on two cores). ``einsum`` reduces in one thread and agrees to
    rounding."""
    return float(np.einsum("i,i->", a, b))


#: Arrays of fewer cells take the NumPy path even where the compiled kernels exist (:func:`compiled_for`): it is
#: fast enough there, and a process that never needs Numba does not import it and load its kernels (0.5-1 s).
COMPILED_MIN_CELLS = 1 << 16


def compiled_for(cells: int):
    """:func:`compiled` for an array of ``cells`` cells: None below :data:`COMPILED_MIN_CELLS`."""
    return compiled() if cells >= COMPILED_MIN_CELLS else None


def namespace(*arrays):
    """The Array API namespace of the arguments (NumPy for Python scalars and lists)."""
    arrs = [a for a in arrays if a is not None and not isinstance(a, (int, float, list, tuple))]
    if not arrs:
        import array_api_compat.numpy as xnp

        return xnp
    return array_namespace(*arrs)


def is_cupy(xp) -> bool:
    return is_cupy_namespace(xp)


def is_numpy(xp) -> bool:
    return is_numpy_namespace(xp)


def to_numpy(x) -> np.ndarray:
    """A NumPy copy of an array from any supported library (for SciPy's solvers and for reports)."""
    if isinstance(x, np.ndarray):
        return x
    if hasattr(x, "get") and type(x).__module__.startswith("cupy"):
        return x.get()
    try:
        return np.from_dlpack(x)
    except (TypeError, AttributeError, BufferError, RuntimeError):
        return np.asarray(x)


def from_numpy(x: np.ndarray, xp, like=None):
    """Move a NumPy array into namespace ``xp`` (on the device of ``like``, if given)."""
    dtype = like.dtype if like is not None else None
    out = xp.asarray(np.ascontiguousarray(x), dtype=dtype) if dtype is not None else xp.asarray(x)
    return out


def float_tolerance(dtype, xp) -> float:
    """Normalization tolerance for a float dtype: 10 sqrt(eps) (1.5e-7 in float64, 3.5e-3 in float32).

    Quadrature of a density on n cells loses about n eps relative accuracy with naive summation, far
    below sqrt(eps) for every grid that fits in memory; 10 sqrt(eps) accepts those and rejects a
    density that is off by a real factor.
    """
    return 10.0 * float(xp.finfo(dtype).eps) ** 0.5


def as_float64(xp, x):
    """``x`` widened to float64 in its own namespace (a no-op for float64 input).

    The divergences and the W1 critics compute in float64 whatever the input dtype: a float32
    ratio p/q overflows at 3.4e38, and a float32 critic cannot be 1-Lipschitz to better than ~1e-3
    on a fine grid. Every namespace the engine supports (NumPy, CuPy, array_api_strict) has float64.
    """
    if x.dtype == xp.float64:
        return x
    return xp.astype(x, xp.float64)


def real_array(x, name: str, *, scalars: bool = False, what: str = "an array"):
    """``(x, xp)``: ``x`` as an array of a real floating dtype in its namespace, validated at the edge.

    Lists and tuples of numbers become NumPy float64 arrays (and, with ``scalars``, Python numbers and
    0-d arrays become 1-element arrays); ``None``, strings, booleans and non-arrays raise TypeError
    naming ``name``; a dtype that is not real floating raises ValueError naming it.
    """
    if x is None or isinstance(x, (str, bytes, bool)):
        raise TypeError(f"{name} must be {what}, got {type(x).__name__}")
    zero_d = hasattr(x, "shape") and len(getattr(x, "shape", ())) == 0
    if isinstance(x, (list, tuple)) or (scalars and (isinstance(x, (int, float)) or zero_d)):
        try:
            x = np.asarray(x, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be {what} of numbers") from None
        x = np.atleast_1d(x) if scalars else x
    if isinstance(x, (int, float, complex)) or not hasattr(x, "dtype"):
        raise TypeError(f"{name} must be {what}, got {type(x).__name__}")
    try:
        xp = namespace(x)
    except TypeError:
        raise TypeError(f"{name} must be {what}, got {type(x).__name__}") from None
    if not xp.isdtype(x.dtype, "real floating"):
        raise ValueError(f"{name} must have a real floating dtype, got {x.dtype}")
    return x, xp


def warm_compiled() -> bool:
    """Compile every compiled kernel for the arguments the engine passes it, so that Numba's on-disk cache
    holds them: a process started afterwards loads them instead of compiling (about 25 s of CPU on a
    2.45 GHz core for the whole set). Runs each public path that reaches a kernel once, on the smallest
    problem that takes it (KL and JSD, GLGD with its default diagnostics, the 1-D and 2-D Wasserstein
    descent, the fused Dirac-GAN step). False, doing nothing, where the kernels are not in use (Numba not
    installed, or ``GANTHEORY_COMPILED=0``)."""
    if compiled() is None:
        return False
    from gantheory.engine._algorithms import alternating_minimization, glgd, wasserstein_descent
    from gantheory.engine._divergence import jsd, kl
    from gantheory.engine._dynamics import simulate
    from gantheory.engine._grid import Grid, gaussian_mixture

    g = Grid.uniform(-4.0, 4.0, COMPILED_MIN_CELLS)
    p_r = gaussian_mixture(g, [-1.0, 1.0], 0.5)
    p_g = gaussian_mixture(g, [0.0], 1.0)
    kl(p_r, p_g, g)
    jsd(p_r, p_g, g)
    glgd(p_r, p_g, g, steps=2)
    wasserstein_descent(p_r, p_g, g, steps=2)
    alternating_minimization(p_r, p_g, g, steps=1)
    g2 = Grid.uniform((-2.0, -2.0), (2.0, 2.0), (64, 64))  # the size from which a solve starts from a coarse one
    wasserstein_descent(gaussian_mixture(g2, [(-1.0, 0.0)], 0.5), gaussian_mixture(g2, [(1.0, 0.0)], 0.5), g2, steps=2)
    simulate(np.full(4, 0.5), np.full(4, 0.5), 0.1, steps=2)
    return True
