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
def _glgd_step_block(R, L, src, inv, c, a_u, out):
    """out = R - ((L - c) u) a_u with u = src inv (inv a power of two, or 1: u exactly); returns the number of
    cells where out is not > 0 (NaN included)."""
    bad = 0
    for i in range(R.shape[0]):
        r = R[i] - ((L[i] - c) * (src[i] * inv)) * a_u
        out[i] = r
        bad += not (r > 0.0)
    return bad


@numba.njit(**_SUMS)
def _glgd_sums_block(src, inv, rn, ln, c, q):
    """(sum u (1 + rn) ln, sum u^2 ln, sum u rn) over one block (u = src inv); writes q = ((ln - c) u) / rn."""
    cs = 0.0
    ws = 0.0
    es = 0.0
    for i in range(src.shape[0]):
        ui = src[i] * inv
        li = ln[i]
        ri = rn[i]
        cs += (ui + ui * ri) * li
        ws += (ui * ui) * li
        es += ui * ri
        q[i] = ((li - c) * ui) / ri
    return cs, ws, es


#: Cells per block of a compiled sweep: the block's arrays stay in the per-core cache.
GLGD_BLOCK = 1 << 16


def glgd_sweep(R1, L1, u1, inv, c, a_u, rs, ls, block=GLGD_BLOCK):
    """The compiled GLGD sweep: the contract of ``_projected_sweep_numpy`` (writes rs, ls; returns
    (sum u (1 + R_new) L_new, sum u^2 L_new, sum u R_new, max (L_new - c) u / R_new), or None if
    R_new <= 0 somewhere), with u = u1 inv (p_r times a power of two, or u itself with inv = 1) and w = u^2
    formed in the loop instead of read from memory."""
    n = R1.shape[0]
    scratch = np.empty(min(block, n), dtype=R1.dtype)
    csum = wsum = esum = 0.0
    qmax = -math.inf
    for i in range(0, n, block):
        j = min(n, i + block)
        rn, ln, uc, q = rs[i:j], ls[i:j], u1[i:j], scratch[: j - i]
        if _glgd_step_block(R1[i:j], L1[i:j], uc, inv, c, a_u, rn):
            return None
        np.log1p(rn, out=ln)
        cs, ws, es = _glgd_sums_block(uc, inv, rn, ln, c, q)
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


# -- KL and JSD sums (the formulas of gantheory.engine._divergence, term for term) -----------------------------

#: the series' cut-off and length: _divergence's SERIES_BELOW and SERIES_TERMS, written here as literals because
#: Numba freezes a global into its cached machine code and keys that cache on this file alone (an imported value
#: changed there would keep the old one here); tests/test_engine.py's bit-for-bit test fails if they drift apart
_SERIES_BELOW = 1e-2
_SERIES_TERMS = 16
_LOG2 = math.log(2.0)
#: the series' Horner coefficients, highest power first: the floats _divergence computes in Python
_PHI_COEFFS = tuple(((-1) ** k) / (k * (k - 1)) for k in range(_SERIES_TERMS + 1, 1, -1))
_PSI_COEFFS = tuple(1.0 / (k * (2 * k - 1)) for k in range(_SERIES_TERMS // 2 + 1, 0, -1))


@numba.njit(**_EXACT)
def _divergence_prep(p, q, r, d, md, ps, qs):
    """Per cell, for KL: where p, q > 0 and |p - q| < q/2, r = (p - q)/q (else 0); ps, qs = p, q where both are
    positive (else 1), for the logarithms of the other cells. For JSD: d = (p - q)/(p + q) (0 where p + q = 0 or
    |d| >= 1), md = -d. Returns (cells where KL's series applies, cells far from p = q) among those where both
    are positive."""
    small = 0
    far = 0
    for i in range(p.shape[0]):
        a = p[i]
        b = q[i]
        if a > 0.0 and b > 0.0:
            ps[i] = a
            qs[i] = b
            if abs(a - b) < 0.5 * b:
                rr = (a - b) / b
                r[i] = rr
                small += abs(rr) < _SERIES_BELOW
            else:
                r[i] = 0.0
                far += 1
        else:
            ps[i] = 1.0
            qs[i] = 1.0
            r[i] = 0.0
        s = a + b
        dd = (a - b) / s if s > 0.0 else 0.0
        if abs(dd) >= 1.0:
            dd = 0.0
        d[i] = dd
        md[i] = -dd
    return small, far


_PHI_ARRAY = np.array(_PHI_COEFFS)


@numba.njit(**_EXACT)
def _phi_series_block(r, coeffs, out):
    """out = the series of (1 + r) log1p(r) - r (Horner, the coefficients of _divergence._phi_series), one
    coefficient at a time over the whole block, as NumPy evaluates it (so that it vectorizes)."""
    _horner_block(r, False, coeffs, coeffs.shape[0], out)
    for i in range(r.shape[0]):
        out[i] = out[i] * r[i] * r[i]


@numba.njit(**_EXACT)
def _kl_block_terms(p, q, vol, r, lr, ser, lp, lq, out):
    """out = _divergence._kl_terms(p, q, vol) on one block, with the same operations per cell (branch-free, so
    that the loop vectorizes): both forms are computed and one is selected, as the NumPy path selects; ``ser``
    holds the series where |r| < _SERIES_BELOW."""
    for i in range(p.shape[0]):
        a = p[i]
        b = q[i]
        both = (a > 0.0) & (b > 0.0)
        ps = a if both else 1.0
        qs = b if both else 1.0
        rr = r[i]
        closed = (1.0 + rr) * lr[i] - rr
        phi = ser[i] if abs(rr) < _SERIES_BELOW else closed
        near_t = (qs * vol) * phi
        pv = ps * vol
        far_t = pv * (lp[i] - lq[i]) - pv + qs * vol
        body = near_t if abs(ps - qs) < 0.5 * qs else far_t
        out[i] = (body if b > 0.0 else math.inf) if a > 0.0 else b * vol


@numba.njit(**_EXACT)
def _jsd_block_terms(p, q, vol, d, ld, lmd, out):
    """out = _divergence._jsd_terms(p, q, vol) on one block, with the same operations per cell (branch-free)."""
    for i in range(p.shape[0]):
        a = p[i]
        b = q[i]
        s = a + b
        ss = s if s > 0.0 else 1.0
        ad = abs((a - b) / ss) if s > 0.0 else 0.0
        dd = d[i]
        d2 = dd * dd
        acc = 0.0
        for c in _PSI_COEFFS:
            acc = acc * d2 + c
        series = acc * d2
        closed = (1.0 + dd) * ld[i] + (1.0 - dd) * lmd[i]
        inner = series if ad < _SERIES_BELOW else closed
        psi = 2.0 * _LOG2 if ad >= 1.0 else inner
        out[i] = (s * vol) * psi / 4.0 if s > 0.0 else 0.0


#: cells per block of the KL / JSD sweep: _divergence.SUM_BLOCK, so that the block sums are the NumPy path's
DIVERGENCE_BLOCK = 1 << 15


def kl_jsd_sums(p, q, vol: float, want_kl: bool, want_jsd: bool, block: int = DIVERGENCE_BLOCK):
    """(sum of KL terms, sum of JSD terms) over float64 1-D arrays p, q (unit-mass densities, cell volume vol):
    per block one compiled loop to prepare, NumPy's SIMD log1p (and log, where a cell is far from p = q), one
    compiled loop for the terms of _divergence's formulas, and NumPy's pairwise sum of the block; block sums
    added exactly (math.fsum), as the NumPy path adds them. (None for a sum not wanted.)"""
    n = p.shape[0]
    m = min(block, n)
    r, lr, ser, d, ld, md, lmd, ps, qs, lp, lq, tk, tj = (np.empty(m) for _ in range(13))
    kl_parts, jsd_parts = [], []
    for i in range(0, n, block):
        j = min(n, i + block)
        k = j - i
        pb, qb = p[i:j], q[i:j]
        small, far = _divergence_prep(pb, qb, r[:k], d[:k], md[:k], ps[:k], qs[:k])
        if want_kl:
            np.log1p(r[:k], out=lr[:k])
            if far:
                np.log(ps[:k], out=lp[:k])
                np.log(qs[:k], out=lq[:k])
            else:
                lp[:k] = 0.0
                lq[:k] = 0.0
            if small:
                _phi_series_block(r[:k], _PHI_ARRAY, ser[:k])
            else:
                ser[:k] = 0.0
            _kl_block_terms(pb, qb, vol, r[:k], lr[:k], ser[:k], lp[:k], lq[:k], tk[:k])
            kl_parts.append(float(np.sum(tk[:k])))
        if want_jsd:
            np.log1p(d[:k], out=ld[:k])
            np.log1p(md[:k], out=lmd[:k])
            _jsd_block_terms(pb, qb, vol, d[:k], ld[:k], lmd[:k], tj[:k])
            jsd_parts.append(float(np.sum(tj[:k])))
    return (math.fsum(kl_parts) if want_kl else None), (math.fsum(jsd_parts) if want_jsd else None)



# -- the 1-D W1 of a run's records (wasserstein1's steps, _wasserstein._signed_difference and the CDF formula) ----

@numba.njit(**_EXACT)
def _w1_difference(a, b, asum, bsum, d):
    """d = a / asum - b / bsum (the operations of _signed_difference); returns max |d|."""
    top = 0.0
    for i in range(a.shape[0]):
        x = a[i] / asum - b[i] / bsum
        d[i] = x
        ax = abs(x)
        if ax > top:
            top = ax
    return top


@numba.njit(**_EXACT)
def _w1_scale(d, factor, tmp):
    """d *= factor (a power of two: exact, as ldexp), tmp = |d|."""
    for i in range(d.shape[0]):
        x = d[i] * factor
        d[i] = x
        tmp[i] = abs(x)


@numba.njit(**_EXACT)
def _w1_cdf(d, half, tmp):
    """d /= half (the unit-mass difference), tmp = |cumsum(d)| (summed left to right, as np.cumsum); returns
    whether d has both signs (else the difference is rounding only)."""
    pos = False
    neg = False
    c = 0.0
    for i in range(d.shape[0]):
        u = d[i] / half
        d[i] = u
        pos |= u > 0.0
        neg |= u < 0.0
        c += u
        tmp[i] = abs(c)
    return pos and neg


def w1_1d(a, asum: float, b, h: float, d, tmp):
    """wasserstein1's 1-D W1(a, b) on a grid of spacing h, by its own steps and sums (the same floats) in three
    compiled passes instead of ten NumPy ones; ``asum`` = a.sum(), ``d`` and ``tmp`` buffers of a's size. None
    where the difference's exponent is out of the range a power of two can scale (the NumPy steps then run)."""
    top = _w1_difference(a, b, asum, float(b.sum()), d)
    if top == 0.0:
        return 0.0
    e = int(np.frexp(top)[1])
    if not -1000 < e < 1000:
        return None
    _w1_scale(d, 2.0 ** -e, tmp)
    half = 0.5 * float(tmp.sum())
    if not _w1_cdf(d, half, tmp):
        return 0.0
    return float(np.sum(tmp[:-1])) * h * float(np.ldexp(half, e))


# -- GLGD's initial state ------------------------------------------------------------------------------------

@numba.njit(**_EXACT)
def _ratio_block(pg, pr, R):
    """R = pg / pr."""
    for i in range(R.shape[0]):
        R[i] = pg[i] / pr[i]


@numba.njit(**_SUMS)
def _init_sums_block(pr, src, inv, R, L, m):
    """(sum pr (1 + R) L, sum u^2 L, sum R pr) over one block (u = src inv); m = R pr (the density a record
    reads)."""
    cs = 0.0
    ws = 0.0
    ms = 0.0
    for i in range(R.shape[0]):
        li = L[i]
        ui = src[i] * inv
        ri = R[i]
        cs += (pr[i] * (1.0 + ri)) * li
        ws += (ui * ui) * li
        mi = ri * pr[i]
        m[i] = mi
        ms += mi
    return cs, ws, ms


@numba.njit(**_EXACT)
def _bound_block(R, L, src, inv, c, q):
    """q = (L - c) u / R with u = src inv (the expression of _step_bound, in its order); -inf where R = 0."""
    for i in range(R.shape[0]):
        q[i] = (L[i] - c) * (src[i] * inv) / R[i] if R[i] > 0.0 else -math.inf


def glgd_init(p_g0, p_r, u, inv, pp: float, vol: float, block=GLGD_BLOCK):
    """GLGD's initial state (R, L, C, c, q) as ``_algorithms.glgd_init`` computes it, block by block in cache:
    R = p_g0 / p_r, L = log1p(R) (NumPy's SIMD log1p), C = sum p_r (1 + R) L * vol and c = sum u^2 L / pp in the
    same sweep, then the step bound q = max (L - c) u / R in a second (c needs every cell first), with u = u inv
    (as in :func:`glgd_sweep`). Also returns
    (sum R p_r, max R p_r), which the first record needs (:func:`glgd_record`'s ``summary``), from the first
    sweep."""
    n = p_r.shape[0]
    R, L = np.empty(n), np.empty(n)
    scratch = np.empty(min(block, n))
    csum = wsum = msum = 0.0
    top = 0
    for i in range(0, n, block):
        j = min(n, i + block)
        _ratio_block(p_g0[i:j], p_r[i:j], R[i:j])
        np.log1p(R[i:j], out=L[i:j])
        cs, ws, ms = _init_sums_block(p_r[i:j], u[i:j], inv, R[i:j], L[i:j], scratch[: j - i])
        csum += cs
        wsum += ws
        msum += ms
        top = max(top, _largest_nonnegative(scratch[: j - i]))
    c = wsum / pp
    qmax = -math.inf
    for i in range(0, n, block):
        j = min(n, i + block)
        q = scratch[: j - i]
        _bound_block(R[i:j], L[i:j], u[i:j], inv, c, q)
        qmax = max(qmax, float(q.max()))
    largest = float(_float_of_bits(top))
    return R, L, csum * vol, c, qmax, (msum, largest)


# -- GLGD's record from its state (R and log1p R known: one logarithm per cell instead of five) -----------------

#: below this |r| (KL) or |d| (JSD) the record's terms come from the series: the closed forms below are written with
#: log(rho) and log1p(rho), whose cancellation near rho = 1 costs eps / |r| (KL) and eps / r^2 (JSD) relative, at
#: most 10 and about 20 ulps here; with all of its terms the series' first omitted term is below 1e-18 relative at
#: 0.1, and a block whose cells are closer to rho = 1 takes fewer terms (:func:`_series_terms`)
RECORD_SERIES_BELOW = 0.1
_PSI_ARRAY = np.array(_PSI_COEFFS)


@numba.njit(**_EXACT)
def _series_terms(top, available):
    """How many of a Horner series' lowest terms reach float64 when its variable (r, or d^2) is at most ``top``
    in magnitude and each term is at most ``top`` times the previous one: the omitted terms are then below 2^-60
    relative (between 1 and ``available``)."""
    if not top > 0.0:
        return 1
    if top >= 1.0:
        return available
    return max(1, min(available, int(math.ceil(60.0 * _LOG2 / -math.log(top))) + 1))


@numba.njit(**_SUMS)
def _mass_block(R, pr, m):
    """m = R p_r (the product density_of forms); returns (sum of m, cells with R < 0)."""
    total = 0.0
    neg = 0
    for i in range(R.shape[0]):
        x = R[i] * pr[i]
        m[i] = x
        total += x
        neg += R[i] < 0.0
    return total, neg


@numba.njit(**_EXACT)
def _float_of_bits(bits):
    """The float64 whose bit pattern is the int64 ``bits``."""
    return np.array([bits], dtype=np.int64).view(np.float64)[0]


@numba.njit(**_EXACT)
def _largest_nonnegative(x):
    """max of x >= 0 (no NaN): the largest bit pattern, an integer reduction (which vectorizes where a
    floating-point max does not)."""
    bits = x.view(np.int64)
    top = 0
    for i in range(bits.shape[0]):
        top = max(top, bits[i])
    return top


@numba.njit(**_EXACT)
def _horner_block(x, square, coeffs, terms, out):
    """out = the polynomial of the lowest ``terms`` of ``coeffs`` (highest power first) at x (at x^2 if
    ``square``), one coefficient at a time over the block (so that it vectorizes; a cell's own Horner chain is
    latency-bound)."""
    n = x.shape[0]
    for i in range(n):
        out[i] = 0.0
    for k in range(coeffs.shape[0] - terms, coeffs.shape[0]):
        c = coeffs[k]
        if square:
            for i in range(n):
                out[i] = out[i] * (x[i] * x[i]) + c
        else:
            for i in range(n):
                out[i] = out[i] * x[i] + c


@numba.njit(**_EXACT)
def _record_prep(R, delta, r, d, t, want_jsd):
    """r = rho - 1 = (R - 1) + delta R (exact where R - 1 is), d = r / (2 + r) = (rho - 1) / (rho + 1) (for JSD),
    t = 1 + |r| where |r| < 2 RECORD_SERIES_BELOW (the cells a series takes), else 0."""
    for i in range(R.shape[0]):
        ri = R[i]
        rr = (ri - 1.0) + delta * ri
        r[i] = rr
        ar = abs(rr)
        t[i] = 1.0 + ar if ar < 2.0 * RECORD_SERIES_BELOW else 0.0
        if want_jsd:
            d[i] = rr / (2.0 + rr)


@numba.njit(**_SUMS)
def _cell_masses(pr, r, inv_sr, x):
    """x = a r, the cell masses of p_g - p_r (a = p_r / sum p_r); returns whether some are > 0, some < 0."""
    pos = 0
    neg = 0
    for i in range(r.shape[0]):
        xi = (pr[i] * inv_sr) * r[i]
        x[i] = xi
        pos += xi > 0.0
        neg += xi < 0.0
    return pos > 0, neg > 0


@numba.njit(**_SUMS)
def _stretch_sum(x, lo, hi):
    acc = 0.0
    for i in range(lo, hi):
        acc += x[i]
    return acc


@numba.njit(**_EXACT)
def _cdf_block(x, c):
    """W1's part of one block of cell masses x of p_g - p_r: the CDF difference carried in ``c``; returns (c at the
    block's end, the sum of |CDF| before each cell). Four stretches of the block run side by side from their own
    starting CDF (the sums of the stretches before them), so that four additions are in flight instead of one
    chain of n."""
    n = x.shape[0]
    s = n // 4
    c0 = c
    c1 = c0 + _stretch_sum(x, 0, s)
    c2 = c1 + _stretch_sum(x, s, 2 * s)
    c3 = c2 + _stretch_sum(x, 2 * s, 3 * s)
    w0 = 0.0
    w1 = 0.0
    w2 = 0.0
    w3 = 0.0
    for i in range(s):
        w0 += abs(c0)
        w1 += abs(c1)
        w2 += abs(c2)
        w3 += abs(c3)
        c0 += x[i]
        c1 += x[s + i]
        c2 += x[2 * s + i]
        c3 += x[3 * s + i]
    w = (w0 + w1) + (w2 + w3)
    for i in range(4 * s, n):  # the rest, left to right
        w += abs(c3)
        c3 += x[i]
    return c3, w


@numba.njit(**_SUMS)
def _record_terms_loop(R, L, pr, lr, r, d, sk, sj, k, delta, logk, inv_sr, want_kl, want_jsd):
    exact_x = abs(delta) > 1e-8
    kls = 0.0
    jss = 0.0
    for i in range(R.shape[0]):
        ri = R[i]
        a = pr[i] * inv_sr
        g = a * (k * ri)
        rr = r[i]
        lrho = lr[i] + logk
        empty = ri == 0.0
        if want_kl:
            near = a * (sk[i] * (rr * rr))
            far = (g * lrho - g) + a
            t = near if abs(rr) < RECORD_SERIES_BELOW else far
            kls += a if empty else t
        if want_jsd:
            dd = d[i]
            # log1p(rho) - L = log1p(x), x = delta R / (1 + R); within 1e-8 of 1 the mass of p_g gives x as
            # delta rho / (1 + rho) = delta (1 + d) / 2 (no division), off by at most delta^2 / 4
            x = delta * ri / (1.0 + ri) if exact_x else delta * (0.5 + 0.5 * dd)
            l1 = L[i] + x * (1.0 - x * (0.5 - x / 3.0))
            near = ((a + g) * 0.25) * (sj[i] * (dd * dd))
            far = 0.5 * (g * ((_LOG2 + lrho) - l1) + a * (_LOG2 - l1))
            t = near if abs(rr) < 2.0 * RECORD_SERIES_BELOW else far
            jss += (0.5 * _LOG2) * a if empty else t
    return kls, jss


@numba.njit(**_EXACT)
def _record_block(R, L, pr, lr, r, d, t, sk, sj, k, delta, logk, inv_sr, c, want_kl, want_jsd, want_w1):
    """One block of a record after its log R (``lr``): (sum of KL terms, sum of JSD terms, W1's CDF carried in
    ``c``, sum of |CDF|, positive, negative) for the unit-mass pair p_g = rho p_r (rho = k R), p_r, in cell masses
    (a = p_r / sum p_r, g = a rho): KL's a phi(r) and JSD's (a + g) psi(d) / 4 (r = rho - 1, d = r / (2 + r)).

    By the series where |r| < RECORD_SERIES_BELOW (KL) and 2 RECORD_SERIES_BELOW (JSD: |d| < 0.11), into
    ``sk`` = phi(r) / r^2 and ``sj`` = psi(d) / d^2 with as many terms as the block's cells need; otherwise as
    g log(rho) - g + a and (g (log 2 + log rho - log1p rho) + a (log 2 - log1p rho)) / 2, with
    log rho = log R + log k and log1p(rho) = L + log1p(delta R / (1 + R)) (``delta`` = k - 1, |delta| <= 1e-4:
    three terms of its series; for |delta| <= 1e-8 its argument is delta (1 + d) / 2, within delta^2 / 4, which
    changes a far cell's term by less than 1e-15 relative). A cell with R = 0 contributes a (KL) and
    a log(2) / 2 (JSD), the limits."""
    kls = 0.0
    jss = 0.0
    if want_kl or want_jsd or want_w1:
        _record_prep(R, delta, r, d, t, want_jsd)
    if want_kl or want_jsd:
        # the series at every cell of a block that has cells near rho = 1 (a far cell's value is not selected),
        # with the terms they need: one where they are all at rho = 1 exactly (r = 0 selects the series there,
        # so it must hold a number, not what the buffer held before)
        top = _float_of_bits(_largest_nonnegative(t))
        if top > 0.0:
            top_r = top - 1.0  # to rounding: only the number of terms depends on it
            if want_kl:
                _horner_block(r, False, _PHI_ARRAY,
                              _series_terms(min(top_r, RECORD_SERIES_BELOW), _PHI_ARRAY.shape[0]), sk)
            if want_jsd:
                top_d = top_r / (2.0 - top_r)
                _horner_block(d, True, _PSI_ARRAY, _series_terms(top_d * top_d, _PSI_ARRAY.shape[0]), sj)
        kls, jss = _record_terms_loop(R, L, pr, lr, r, d, sk, sj, k, delta, logk, inv_sr, want_kl, want_jsd)
    w = 0.0
    pos = neg = False
    if want_w1:
        pos, neg = _cell_masses(pr, r, inv_sr, t)
        c, w = _cdf_block(t, c)
    return kls, jss, c, w, pos, neg


#: cells per block of a GLGD record: the block's temporaries stay in cache
RECORD_BLOCK = 1 << 14


def glgd_record(R, L, pr, pr_sum: float, h: float, want_kl: bool, want_jsd: bool, want_w1: bool,
                block: int = RECORD_BLOCK, summary=None):
    """What a GLGD record needs from the state R (p_g = R p_r), L = log1p(R) and the reference p_r (1-D float64
    arrays, p_r > 0, ``pr_sum`` = sum p_r, ``h`` the grid spacing), without forming p_g: (sum R p_r, max R p_r,
    KL(p_g || p_r), JSD(p_g, p_r), W1(p_r, p_g)) of the unit-mass pair, None for one not wanted; None for
    everything if R has a cell that is not a finite number >= 0, or if sum R p_r is not within 1e-4 of sum p_r.

    A first sweep for the mass and the largest value of R p_r (``summary`` = (sum R p_r, max R p_r) of an R known
    to be finite and >= 0 saves it); then per block NumPy's SIMD log of R and one compiled call
    (:func:`_record_block`) for the KL and JSD terms and W1's CDF. Block sums are added exactly (math.fsum)."""
    n = R.shape[0]
    m = min(block, n)
    lr, r, d, t, sk, sj = (np.empty(m) for _ in range(6))
    if summary is None:
        parts = []
        top = 0
        for i in range(0, n, block):
            j = min(n, i + block)
            total, neg = _mass_block(R[i:j], pr[i:j], t[: j - i])
            if neg:
                return None
            parts.append(total)
            top = max(top, _largest_nonnegative(t[: j - i]))
        sg = math.fsum(parts)
        largest = float(_float_of_bits(top))
    else:
        sg, largest = summary
    if not (sg > 0.0 and math.isfinite(sg)):  # a NaN or an infinity in R makes the sum so
        return None
    delta = (pr_sum - sg) / sg
    if not abs(delta) <= 1e-4:
        return None
    k = 1.0 + delta
    logk = math.log1p(delta)
    inv_sr = 1.0 / pr_sum
    logs = want_kl or want_jsd
    kl_parts, jsd_parts, w_parts = [], [], []
    c = 0.0
    pos = neg = False
    with np.errstate(divide="ignore"):  # log 0 = -inf where R = 0: the terms select their limits there
        for i in range(0, n, block):
            j = min(n, i + block)
            b = j - i
            if logs:
                np.log(R[i:j], out=lr[:b])
            ks, js, c, w, p_, n_ = _record_block(R[i:j], L[i:j], pr[i:j], lr[:b], r[:b], d[:b], t[:b], sk[:b],
                                                 sj[:b], k, delta, logk, inv_sr, c, want_kl, want_jsd, want_w1)
            kl_parts.append(ks)
            jsd_parts.append(js)
            w_parts.append(w)
            pos |= p_
            neg |= n_
    w1 = (math.fsum(w_parts) * h if pos and neg else 0.0) if want_w1 else None
    return (sg, largest, math.fsum(kl_parts) if want_kl else None, math.fsum(jsd_parts) if want_jsd else None, w1)


# -- a density's validation: its sum and its smallest and largest value in one pass ---------------------------------

@numba.njit(**_SUMS)
def _sum_and_bit_range(p):
    """(sum of p, smallest and largest bit pattern of p as int64) of a float64 array: for values >= 0 the bit
    patterns order as the values do, a negative value (or -0.0, or a NaN with its sign bit) has a negative
    pattern and a NaN or +inf one above that of the largest finite float. Integer reductions vectorize where a
    floating-point min or max does not."""
    bits = p.view(np.int64)
    total = 0.0
    lo = bits[0]
    hi = bits[0]
    for i in range(p.shape[0]):
        total += p[i]
        lo = min(lo, bits[i])
        hi = max(hi, bits[i])
    return total, lo, hi


_LARGEST_FINITE_BITS = int(np.array([np.finfo(np.float64).max]).view(np.int64)[0])


def density_summary(p):
    """(sum, min, max) of a non-empty contiguous 1-D float64 array in one pass, or None if some value is
    negative (or -0.0), NaN or infinite (the caller's reductions then say which)."""
    total, lo, hi = _sum_and_bit_range(p)
    if lo < 0 or hi > _LARGEST_FINITE_BITS:
        return None
    return float(total), float(_float_of_bits(lo)), float(_float_of_bits(hi))


@numba.njit(**_SUMS)
def sum_of_squares(src, inv):
    """sum (src inv)^2 (the weights' total sum u^2 of GLGD with u = src inv, no array of u formed)."""
    total = 0.0
    for i in range(src.shape[0]):
        x = src[i] * inv
        total += x * x
    return total
