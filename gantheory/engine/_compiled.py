"""Optional compiled kernels (Numba) for the engine's hottest loops, NumPy arrays only.

Loaded only through :func:`gantheory.engine._backend.compiled`, which returns this module when Numba
is installed (the ``fast`` extra) and ``GANTHEORY_COMPILED`` is not ``0``, and None otherwise. Every
kernel computes what a NumPy / Array-API path computes elsewhere in the engine, in the same order for
the elementwise arithmetic (no fused multiply-add, so positions agree bit for bit); only the order of
the sums differs (they are reassociated so that they vectorize). The tests compare each kernel with
the Array-API path it replaces.

The transcendental of each sweep stays NumPy's (its SIMD ``log1p``): Numba's scalar libm calls are
several times slower, so a sweep is a compiled loop, one NumPy ``log1p`` and a compiled loop, block by
block, each block in cache.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from gantheory.engine import _flow as flow  # noqa: F401  (the exact grid min-cost flow, also Numba)

# elementwise kernels: IEEE arithmetic exactly as written; the sums are reassociated (so that they
# vectorize). error_model="numpy": a float division is IEEE (no Python ZeroDivisionError branch, which
# would stop the loop from vectorizing). Maxima are taken by NumPy on a scratch block: LLVM does not
# vectorize a floating-point max reduction here (one dependent vmaxsd per cell, 1 ns each).
_EXACT = {"cache": True, "nogil": True, "boundscheck": False, "error_model": "numpy"}
_SUMS = {**_EXACT, "fastmath": {"reassoc", "nsz"}}


@numba.njit(**_EXACT)
def _glgd_step_block(R, L, u, c, a_u, out):
    """out = R - ((L - c) u) a_u; returns the number of cells where out is not > 0 (NaN included)."""
    bad = 0
    for i in range(R.shape[0]):
        r = R[i] - ((L[i] - c) * u[i]) * a_u
        out[i] = r
        bad += not (r > 0.0)
    return bad


@numba.njit(**_SUMS)
def _glgd_sums_block(u, rn, ln, c, q):
    """(sum u (1 + rn) ln, sum u^2 ln, sum u rn) over one block; writes q = ((ln - c) u) / rn."""
    cs = 0.0
    ws = 0.0
    es = 0.0
    for i in range(u.shape[0]):
        ui = u[i]
        li = ln[i]
        ri = rn[i]
        cs += (ui + ui * ri) * li
        ws += (ui * ui) * li
        es += ui * ri
        q[i] = ((li - c) * ui) / ri
    return cs, ws, es


#: Cells per block of a compiled sweep: the block's arrays stay in the per-core cache.
GLGD_BLOCK = 1 << 16


def glgd_sweep(R1, L1, u1, c, a_u, rs, ls, block=GLGD_BLOCK):
    """The compiled GLGD sweep: the contract of ``_projected_sweep_numpy`` (writes rs, ls; returns
    (sum u (1 + R_new) L_new, sum u^2 L_new, sum u R_new, max (L_new - c) u / R_new), or None if
    R_new <= 0 somewhere), with w = u^2 formed in the loop instead of read from memory."""
    n = R1.shape[0]
    scratch = np.empty(min(block, n), dtype=R1.dtype)
    csum = wsum = esum = 0.0
    qmax = -math.inf
    for i in range(0, n, block):
        j = min(n, i + block)
        rn, ln, uc, q = rs[i:j], ls[i:j], u1[i:j], scratch[: j - i]
        if _glgd_step_block(R1[i:j], L1[i:j], uc, c, a_u, rn):
            return None
        np.log1p(rn, out=ln)
        cs, ws, es = _glgd_sums_block(uc, rn, ln, c, q)
        csum += cs
        wsum += ws
        esum += es
        qmax = max(qmax, float(q.max()))
    return csum, wsum, esum, qmax


@numba.njit(**_EXACT)
def _dirac_gan_simgd_rest(th, ps, e, h):
    """The step after e = exp(theta psi): s = h / (1 + e), theta -= psi s, psi += theta_old s, in place
    (the operations of the NumPy kernel, in its order); leaves e = theta psi of the new point."""
    for i in range(th.shape[0]):
        s = h / (e[i] + 1.0)
        a = th[i]
        b = ps[i]
        a, b = a - b * s, b + a * s
        th[i] = a
        ps[i] = b
        e[i] = a * b


def dirac_gan_simgd_kernel(n: int):
    """The compiled form of ``_dirac_gan_simgd_kernel``: one ``exp`` by NumPy, the rest in one compiled
    loop, which also forms theta psi for the next step (two passes over the chunk instead of eight). The
    product is reused only if the next call gets the same arrays (a checkpoint may replace them)."""
    t = np.empty(n)
    last: list = [None, None]

    def step(th, ps, h):
        tt = t[: th.shape[0]]
        if last[0] is not th or last[1] is not ps:
            np.multiply(th, ps, out=tt)
        np.exp(tt, out=tt)
        _dirac_gan_simgd_rest(th, ps, tt, float(h))
        last[0], last[1] = th, ps
        return th, ps

    return step
