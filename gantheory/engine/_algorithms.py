"""The three algorithms of seed 000 on discretized densities, as init/update pairs with explicit state.

Notation (seed 000): Y ~ p_r, R = p_g / p_r in Omega_g = {R > 0, E[R(Y)] = 1}, f in (0, 1).
Gradients are taken in L2(dy), as in the seed: grad_R E[phi(R)] = p_r phi'(R), and
P_o d = d - E[d(Y)] / E[p_r(Y)] * p_r projects onto the tangent space {E[d(Y)] = 0}.

- :func:`alternating_minimization` (Algorithm 1): f <- 1/(1+R); R <- point mass at argmax f.
- :func:`glgd` (Algorithm 2): R <- R - alpha P_o grad_R g(R, f*), f* = 1/(1+R) held fixed, so
  grad_R g = p_r log(1 + R) and the step descends C(R) = E[(1+R) log(1+R)].
- :func:`wasserstein_descent` (Method 3): R <- R - alpha P_o grad_R g_w(R, f*), f* the exact W1 critic,
  grad_R g_w = -p_r f*.

.. note:: The seed takes a bare step of fixed size alpha. Here ``step_size`` is the first step
   tried (default ``1 / max(p_r)**2``, the scale of the curvature p_r^2 / (1 + R) of the update).
   GLGD's projected step is capped at ``ADMISSIBLE_FRACTION`` (1/2) of the largest step that keeps
   R > 0 (a certified bound carried from the previous sweep, so no trial step is thrown away at the
   R > 0 check and no cell loses more than half its R), halved until C(R) does not increase, and
   doubled after each accepted step, up to ``MAX_GROWTH`` times the first step. E[R] = 1 is kept by
   P_o exactly in exact arithmetic; R is rescaled by E[R] when rounding has moved it.
   The Wasserstein descent takes Polyak's step and projects onto {R >= 0, E[R] = 1} when a step
   leaves it (see :func:`wasserstein_descent`).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from gantheory.engine._backend import compiled, compiled_for, dot, namespace, to_numpy
from gantheory.engine._divergence import _finite_or_raise, jsd, kl
from gantheory.engine._grid import Grid, _checked_density, check_density
from gantheory.engine._wasserstein import _check_aspect, _grid_flow, _wasserstein1, wasserstein1, wasserstein1_bounds

__all__ = ["InterruptedRun", "Trajectory", "alternating_minimization", "glgd", "wasserstein_descent",
           "GLGDState", "glgd_init", "glgd_update", "glgd_stepper"]

#: A trial step is halved until it is accepted or until the change it makes is below rounding:
#: ``step * max|direction| <= ROUNDING * scale`` (scale: max R for additive steps, 1 for the
#: multiplicative ones). The halving count is therefore not capped by a constant -- a first step
#: of 1e300 takes ~1000 halvings, then the accepted size is remembered.
ROUNDING = 4 * 2.0**-52
#: The step may grow (by 2 after each accepted step) up to this multiple of the initial step.
MAX_GROWTH = 1024.0


@dataclass
class Trajectory:
    """What an algorithm did: the final generator density and per-step diagnostics.

    ``history`` holds records ``{step, objective, kl, jsd, w1, expected_R, max_cell_mass}``
    (DESIGN.md); ``densities`` holds ``(step, p_g)`` NumPy copies at the recorded steps when asked.
    """

    algorithm: str
    p_g: object
    history: list = field(default_factory=list)
    densities: list = field(default_factory=list)
    steps: int = 0
    stopped: str = ""

    def to_json(self) -> dict:
        return {"algorithm": self.algorithm, "steps": self.steps, "stopped": self.stopped,
                "history": self.history}


def _positive_reference(p_r, grid, xp, p_g0=None, low=None, g_high=None):
    """Refuse a p_r with an empty cell, or one so small where p_g0 has mass that R overflows (``low`` = min p_r
    and ``g_high`` = max p_g0 when the caller knows them)."""
    low = float(xp.min(p_r)) if low is None else low
    if not low > 0:
        raise ValueError("p_r must be positive on every cell: the likelihood ratio R = p_g / p_r "
                         "is undefined where p_r = 0")
    # max p_g0 / min p_r finite bounds every ratio (two reductions); only otherwise form the ratios
    g_high = float(xp.max(p_g0)) if p_g0 is not None and g_high is None else g_high
    if p_g0 is not None and not math.isfinite(g_high / low) and not _all_finite_ratios(xp, p_g0, p_r):
        raise ValueError("p_r is too small where p_g0 has mass: the likelihood ratio R = p_g0 / p_r "
                         f"overflows {p_r.dtype} (smallest p_r {low:.3g})")


def _all_finite_ratios(xp, a, b) -> bool:
    """Whether every a / b is finite; the overflow this looks for is the answer, not a warning."""
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        return bool(xp.all(xp.isfinite(a / b)))


def _check_steps(steps, record_every, step_size):
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    if isinstance(record_every, bool) or not isinstance(record_every, int) or record_every < 0:
        raise ValueError(f"record_every must be a non-negative integer, got {record_every!r}")
    if isinstance(step_size, bool) or not (isinstance(step_size, (int, float)) and math.isfinite(step_size)
                                           and step_size > 0):
        raise ValueError(f"step_size must be a positive finite number, got {step_size!r}")


def _setup(p_r, p_g0, grid, steps, record_every, step_size, method):
    """Validate an algorithm's inputs once, at the edge; returns (p_r, p_g0, xp, step_size, max p_r).

    The default first step is 1 / max(p_r)^2 for the additive (projected) step and 1 for the
    multiplicative (mirror) one.
    """
    if method not in ("projected", "mirror"):
        raise ValueError(f"method must be 'projected' or 'mirror', got {method!r}")
    p_r, low, high = _checked_density(p_r, grid, "p_r")
    p_g0, _, g_high = _checked_density(p_g0, grid, "p_g0")
    xp = namespace(p_r, p_g0)
    _positive_reference(p_r, grid, xp, p_g0, low, g_high)
    if grid.ndim > 1:  # every record has W1: refuse a grid its solvers cannot resolve now, not later
        _check_aspect(grid)
    pmax = float(xp.max(p_r)) if high is None else high
    if step_size is None:
        step_size = 1.0 / pmax ** 2 if method == "projected" else 1.0
    _check_steps(steps, record_every, step_size)
    return p_r, p_g0, xp, float(step_size), pmax


#: The diagnostics recorded by default (every one can be left out with ``diagnostics=``).
DIAGNOSTICS = ("kl", "jsd", "w1")
#: On N-D grids with more cells than this, the recorded W1 (cityblock) comes from the certified bracket of
#: :func:`wasserstein1_bounds` (seconds) instead of the exact min-cost flow (minutes at 256 x 256 by HiGHS).
EXACT_W1_MAX_CELLS = 64 * 64
#: The same limit when the compiled network simplex is available (Numba): 256 x 256 exactly in 0.1-0.4 s,
#: as fast as the bracket.
EXACT_W1_MAX_CELLS_COMPILED = 256 * 256


def _exact_w1_max_cells() -> int:
    return EXACT_W1_MAX_CELLS if compiled() is None else EXACT_W1_MAX_CELLS_COMPILED


def _check_diagnostics(diagnostics) -> tuple:
    if isinstance(diagnostics, str):
        diagnostics = (diagnostics,)
    try:
        diagnostics = tuple(diagnostics)
    except TypeError:
        raise ValueError(f"diagnostics must be a name or a tuple of names from {', '.join(DIAGNOSTICS)}, got "
                         f"{diagnostics!r}") from None
    bad = [d for d in diagnostics if d not in DIAGNOSTICS]
    if bad:
        raise ValueError(f"diagnostics: unknown {', '.join(map(repr, bad))}; choose from {', '.join(DIAGNOSTICS)}")
    return diagnostics


class _Reference:
    """What every record of a run needs from the reference p_r, prepared once per run: on a 1-D NumPy grid
    its float64 unit-mass form, so that a record validates only the iterate p_g (two reductions) and runs
    KL, JSD and W1 on prepared arrays -- the same operations as :func:`kl`, :func:`jsd` and
    :func:`wasserstein1`, so the same values to the last bit, without validating and renormalizing p_r
    three times and p_g three times per record."""

    def __init__(self, p_r, grid: Grid, xp):
        from gantheory.engine._backend import is_numpy

        self.p_r, self.grid, self.xp = p_r, grid, xp
        self.fast = grid.ndim == 1 and is_numpy(xp)
        if self.fast:
            from gantheory.engine._divergence import _unit_mass

            self.unit = _unit_mass(xp, p_r, grid)
            self.raw = np.asarray(to_numpy(p_r), dtype=np.float64).ravel()
            self.work = None  # two buffers of the grid's size for W1, allocated at the first record
            self.unit_buf = None  # p_g at unit mass, for KL and JSD

    def kl_jsd_w1(self, p_g, diagnostics, w1_metric) -> dict:
        """{"kl": KL(p_g || p_r), "jsd": JSD(p_g, p_r), "w1": W1(p_r, p_g)}, as many as ``diagnostics`` asks."""
        grid, xp, out = self.grid, self.xp, {}
        if not self.fast:
            if "kl" in diagnostics:
                out["kl"] = kl(p_g, self.p_r, grid)
            if "jsd" in diagnostics:
                out["jsd"] = jsd(p_g, self.p_r, grid)
            if "w1" in diagnostics:
                out["w1"] = self._w1_nd(p_g, w1_metric)
            return out
        from gantheory.engine._divergence import _finite_or_raise, _kl_jsd_sums, _unit_mass

        p_g = check_density(p_g, grid, "p_g")
        vol = grid.cell_volume
        if "kl" in diagnostics or "jsd" in diagnostics:
            if p_g.dtype == np.float64:  # _unit_mass's division, into a buffer kept for the run
                if self.unit_buf is None:
                    self.unit_buf = np.empty_like(self.unit)
                unit_g = np.divide(p_g, float(np.sum(p_g)) * grid.cell_volume, out=self.unit_buf)
            else:
                unit_g = _unit_mass(xp, p_g, grid)
            k, j = _kl_jsd_sums(xp, unit_g, self.unit, vol, "kl" in diagnostics, "jsd" in diagnostics)
            if "kl" in diagnostics:
                out["kl"] = _finite_or_raise(k, "kl")
            if "jsd" in diagnostics:
                out["jsd"] = _finite_or_raise(j, "jsd")
        if "w1" in diagnostics:
            out["w1"] = self._w1_1d(np.asarray(to_numpy(p_g), dtype=np.float64).ravel())
        return out

    def _w1_1d(self, q) -> float:
        """:func:`wasserstein1`'s 1-D distance W1(p_r, q), by its own steps (``_signed_difference``, the CDF
        formula) in two buffers kept for the run: the same floats, without temporaries of the grid's size (with
        Numba, the same steps and sums in three compiled passes, :func:`gantheory.engine._compiled.w1_1d`)."""
        from gantheory.engine._wasserstein import _one_signed, _signed_difference, _w1_1d_distance

        if self.work is None:
            self.work = (np.empty_like(self.raw), np.empty_like(self.raw))
            self.raw_sum = float(self.raw.sum())
        kernels = compiled_for(self.raw.shape[0])
        if kernels is not None:  # the same steps and sums, compiled: the same floats
            w1 = kernels.w1_1d(self.raw, self.raw_sum, q, self.grid.widths[0], *self.work)
            if w1 is not None:
                return w1
        unit, m = _signed_difference(self.raw, q, self.work)
        if unit is None or _one_signed(unit):  # identical, or apart by rounding only: W1 = 0, as wasserstein1
            return 0.0
        cdf = np.cumsum(unit, out=self.work[1])
        return _w1_1d_distance(cdf, self.grid.widths[0], scratch=cdf) * m

    def _w1_nd(self, p_g, w1_metric) -> dict | float:
        grid = self.grid
        if grid.ndim > 1 and w1_metric == "cityblock" and math.prod(grid.shape) > _exact_w1_max_cells():
            b = wasserstein1_bounds(self.p_r, p_g, grid)
            return {"w1": float(b.lower), "w1_upper": float(b.upper), "w1_method": "bounds"}
        return wasserstein1(self.p_r, p_g, grid, metric=w1_metric).distance


def _record(step, objective, ref: _Reference, p_g, w1_metric, diagnostics=DIAGNOSTICS, objective_is_w1=False):
    """One row of a trajectory: the step, the objective, the chosen diagnostics, E[R] and the largest
    cell mass. ``w1`` is exact, except on N-D grids above EXACT_W1_MAX_CELLS cells (with Numba:
    EXACT_W1_MAX_CELLS_COMPILED) with the cityblock metric: there ``w1`` is the certified lower bound of
    :func:`wasserstein1_bounds` (its best estimate: the coarse levels' error only adds to the upper
    bound), with ``w1_upper`` and ``w1_method`` = ``"bounds"``."""
    xp, vol = ref.xp, ref.grid.cell_volume
    row = {"step": step, "objective": float(objective)}
    asked = tuple(d for d in diagnostics if not (d == "w1" and objective_is_w1))
    values = ref.kl_jsd_w1(p_g, asked, w1_metric)
    w1 = values.pop("w1", None)
    row.update(values)
    if "w1" in diagnostics and objective_is_w1:  # the Wasserstein descent's objective is W1 itself
        row["w1"] = float(objective)
    elif isinstance(w1, dict):
        row.update(w1)
    elif w1 is not None:
        row["w1"] = w1
    row["expected_R"] = float(xp.sum(p_g)) * vol
    row["max_cell_mass"] = float(xp.max(p_g)) * vol
    return row


def _should_record(step, steps, record_every):
    return step == 0 or step == steps or (record_every > 0 and step % record_every == 0)


class InterruptedRun(KeyboardInterrupt):
    """Ctrl-C during an algorithm: ``trajectory`` holds what was recorded, ``step`` the steps done."""

    def __init__(self, trajectory: Trajectory, step: int):
        super().__init__(f"interrupted after {step} steps")
        self.trajectory, self.step = trajectory, step


def _run(name, state, update, objective, p_r, grid, xp, steps, record_every, keep_densities,
         progress, w1_metric, density_of, diagnostics=DIAGNOSTICS, objective_is_w1=False, values_of=None,
         final_of=None):
    """The loop every algorithm shares: update, record, report progress, stop on Ctrl-C with what was recorded.

    ``values_of(state)``, when given, returns a record's values (everything but step and objective) from the
    state itself, or None where it does not apply (the record is then made from ``density_of(state)``).
    ``final_of(state)``: the density the trajectory ends with (``density_of`` unless given)."""
    final_of = density_of if final_of is None else final_of
    if progress is not None and not callable(progress):
        raise ValueError(f"progress must be a callable progress(step, steps) or None, got {progress!r}")
    traj = Trajectory(name, None)
    ref = None
    try:
        for step in range(steps + 1):
            if step > 0:
                state, stop = update(state)
                if stop:
                    traj.stopped = stop
            if _should_record(step, steps, record_every) or traj.stopped:
                values = None if values_of is None else values_of(state)
                p_g = None
                if values is None:
                    ref = _Reference(p_r, grid, xp) if ref is None else ref
                    p_g = density_of(state)
                    traj.history.append(_record(step, objective(state), ref, p_g, w1_metric, diagnostics,
                                                objective_is_w1))
                else:
                    traj.history.append({"step": step, "objective": float(objective(state)), **values})
                if keep_densities:
                    p_g = density_of(state) if p_g is None else p_g
                    traj.densities.append((step, np.array(to_numpy(p_g), copy=True)))
            if progress is not None:
                progress(step, steps)
            traj.steps = step
            if traj.stopped:
                break
    except KeyboardInterrupt:
        traj.p_g = final_of(state)
        raise InterruptedRun(traj, traj.steps) from None
    traj.p_g = final_of(state)
    return traj


# -- GLGD -------------------------------------------------------------------------------------

class GLGDState(NamedTuple):
    """R, log(1 + R) (cached: the one transcendental per step), C(R), the current step size,
    c = E[p_r(Y) L(Y)] / E[p_r(Y)] (the coefficient of P_o applied to the gradient p_r L), and q, which
    bounds the step: R - a_u u (L - c) stays positive for every a_u < 1 / q."""

    R: object
    L: object
    C: float
    alpha: float
    c: float
    #: a certified upper bound on max u (L - c) / R (u = p_r / s, s the power of two at or above max p_r); NaN:
    #: not known, computed when needed
    q: float = math.nan


#: Cells per block in the GLGD sweep: a block's arrays stay in cache through the whole step.
GLGD_BLOCK = 1 << 17


#: Trust region of the multiplicative (mirror) step: one step changes R by a factor of at most
#: exp(MIRROR_MAX_EXPONENT) relative to other cells, so R never underflows to 0 in one step (where
#: it would stay forever: a multiplicative update cannot bring mass back).
MIRROR_MAX_EXPONENT = 30.0


def _mirror_cap(a: float, direction, xp) -> float:
    spread = float(xp.max(direction)) - float(xp.min(direction))
    return a if not spread > 0 else min(a, MIRROR_MAX_EXPONENT / spread)


def _grow(a: float, step_size: float) -> float:
    """The next first trial step after an accepted step ``a``: doubled, at most MAX_GROWTH times the
    initial step, and never infinite."""
    return min(2 * a, MAX_GROWTH * step_size, sys.float_info.max)


def _below_rounding(a: float, direction_max: float, scale: float) -> bool:
    return not a * direction_max > ROUNDING * scale


def _mirror_step(xp, R, p_r, vol, exponent):
    """R exp(exponent), renormalized to E_pr[R] = 1, without overflow: the exponent is shifted by its
    maximum over the cells where R > 0 (the shift cancels in the normalization)."""
    support = R > 0
    shift = float(xp.max(xp.where(support, exponent, xp.full_like(exponent, -math.inf))))
    R_new = xp.where(support, R * xp.exp(xp.where(support, exponent - shift, xp.zeros_like(exponent))),
                     xp.zeros_like(R))
    return R_new / (_flatdot(xp, p_r, R_new) * vol)


def _dot(xp, a, b) -> float:
    """sum(a * b) of two 1-D arrays: :func:`gantheory.engine._backend.dot` for NumPy (one thread, no BLAS);
    other namespaces use their ``vecdot``."""
    if _is_numpy(xp):
        return dot(a, b)
    return float(xp.vecdot(a, b))


def _flatdot(xp, a, b) -> float:
    return _dot(xp, xp.reshape(a, (-1,)), xp.reshape(b, (-1,)))


def _scaled_reference(xp, p_r, pmax: float | None = None, keep: bool = True):
    """(u, s, max u) with u = p_r / s in (0, 1] and s the power of two at or above max p_r (``pmax``, computed
    when not given): the projection P_o and the step only need p_r up to scale, and p_r**2 underflows where densities
    are small (float32 on a wide grid: 1e-24**2). Dividing by a power of two is exact (to the rounding of a
    subnormal result, which a multiplication by 1 / s rounds alike), so a compiled kernel can form u = p_r (1 / s)
    cell by cell: with ``keep=False`` u is None, and no array of it is made (:func:`_u_of` forms it where
    needed). Where max p_r is above the largest power of two, s = max p_r and u is kept."""
    pmax = float(xp.max(p_r)) if pmax is None else pmax
    m, e = math.frexp(pmax)
    scale = pmax if m == 0.5 or e > 1023 else math.ldexp(1.0, e)
    power_of_two = math.frexp(scale)[0] == 0.5
    return (p_r / scale if keep or not power_of_two else None), scale, pmax / scale


def _u_of(p_r, ref):
    """u of ``ref = (u, s[, max u])``: u itself, or p_r / s where the run keeps no array of it."""
    u, scale = ref[:2]
    return p_r / scale if u is None else u


def _kernel_u(p_r, ref):
    """``(src, inv)`` with u = src inv exactly, for the compiled kernels: (p_r, 1 / s) where u is not kept."""
    u, scale = ref[:2]
    return (np.ascontiguousarray(p_r).reshape(-1), 1.0 / scale) if u is None else (
        np.ascontiguousarray(u).reshape(-1), 1.0)


def _sum_u2(xp, p_r, ref) -> float:
    """sum u^2, without an array of u where the run keeps none."""
    kernels = compiled() if ref[0] is None else None
    if kernels is not None:
        return float(kernels.sum_of_squares(*_kernel_u(p_r, ref)))
    u = _u_of(p_r, ref)
    return _flatdot(xp, u, u)


def glgd_init(p_r, p_g0, grid: Grid, step_size: float, ref=None, w=None, pp: float | None = None) -> GLGDState:
    """The state at R = p_g0 / p_r; ``ref``, ``w`` and ``pp`` as for :func:`glgd_update` (computed when
    not given)."""
    return _glgd_init(p_r, p_g0, grid, step_size, ref, w, pp)[0]


def _glgd_init(p_r, p_g0, grid: Grid, step_size: float, ref=None, w=None, pp: float | None = None):
    """:func:`glgd_init`, and (sum R p_r, max R p_r) from its sweep with the compiled kernels (else None)."""
    xp = namespace(p_r, p_g0)
    vol = grid.cell_volume
    ref = _scaled_reference(xp, p_r) if ref is None else ref
    pp = _sum_u2(xp, p_r, ref) if pp is None else pp
    kernels = (compiled_for(math.prod(p_r.shape)) if _is_numpy(xp) and p_r.dtype == np.float64
               and p_g0.dtype == np.float64 else None)
    if kernels is not None:  # one sweep in cache for R, L, C and c, one for the bound (8 log1p passes, not 12)
        flat = [np.ascontiguousarray(x).reshape(-1) for x in (p_g0, p_r)]
        R, L, C, c, q, summary = kernels.glgd_init(*flat, *_kernel_u(p_r, ref), pp, vol)
        return GLGDState(R.reshape(p_r.shape), L.reshape(p_r.shape), C, float(step_size), c, q), summary
    u = _u_of(p_r, ref)
    w = u * u if w is None else w
    R = p_g0 / p_r
    L = xp.log1p(R)
    C = _flatdot(xp, p_r * (1 + R), L) * vol
    c = _flatdot(xp, w, L) / pp
    return GLGDState(R, L, C, float(step_size), c, _step_bound(xp, R, L, u, c)), None


#: A trial step takes at most this fraction of the largest step that keeps R > 0: with 1/2, no cell
#: loses more than half of its R in one step, and no trial step is thrown away at the R > 0 check.
ADMISSIBLE_FRACTION = 0.5


def _step_bound(xp, R, L, u, c) -> float:
    """max over the cells of (L - c) u / R (one pass): R - a_u u (L - c) > 0 for every a_u < 1 / this
    (cells with L <= c only grow, empty cells (R = 0, L = 0 <= c) among them: they count as -inf). The sweep
    computes the same expression, in the same order."""
    full = xp.all(R > 0)
    if bool(full):
        return float(xp.max((L - c) * u / R))
    live = R > 0
    terms = (L - c) * u / xp.where(live, R, xp.ones_like(R))
    return float(xp.max(xp.where(live, terms, xp.full_like(R, -math.inf))))


def _next_bound(q_at_c: float, c: float, c_new: float, u_max: float = 1.0) -> float | None:
    """A certified bound on max (L' - c_new) u / R' from its value ``q_at_c`` at the previous step's c.

    (L' - c) u / R' decreases in c cell by cell, so for c_new >= c the value at c bounds it. For
    c / 2 <= c_new < c: a cell with L' <= c / 2 has L' - c_new <= 0; one with L' > c / 2 has
    R' > expm1(c / 2) and u <= ``u_max`` (max p_r / s <= 1), so its term grows by at most
    (c - c_new) u_max / expm1(c / 2). Below c / 2 (or if c / 2 underflows), None: the bound must be computed
    by a pass (:func:`_step_bound`).
    """
    q = max(q_at_c, 0.0)
    if c_new >= c:
        return q
    r = math.expm1(c / 2)
    if c_new >= c / 2 and r > 0:
        return q + (c - c_new) * u_max / r
    return None


def _projected_sweep(xp, R, L, u, w, c, a_u, block, out=None, p_r=None, scale=None):
    """R - a P_o grad (as R - a_u u (L - c), a_u = a s), log1p of it, and sums, in one blocked pass.

    Writes into ``out = (R_new, L_new)`` (flat arrays, reused across steps) when given. Returns
    (R_new, L_new, sum u (1 + R_new) L_new, sum w L_new, sum u R_new, max (L_new - c) u / R_new), or None
    if R_new <= 0 somewhere. The last value bounds the next step (:func:`_next_bound`) at no extra pass.
    ``u`` None: u = p_r / ``scale`` (a power of two), which the compiled sweep forms cell by cell.
    """
    shape = R.shape
    R1, L1 = (xp.reshape(x, (-1,)) for x in (R, L))
    n = R1.shape[0]
    rs, ls = out if out is not None else (xp.empty_like(R1), xp.empty_like(R1))
    fast = compiled() if _is_numpy(xp) and isinstance(R1, np.ndarray) else None
    if fast is not None:  # forms w = u^2 itself
        sums = fast.glgd_sweep(R1, L1, *_kernel_u(p_r, (u, scale)), c, a_u, rs, ls)
        return None if sums is None else (xp.reshape(rs, shape), xp.reshape(ls, shape), *sums)
    u = _u_of(p_r, (u, scale))
    u1 = xp.reshape(u, (-1,))
    w1 = xp.reshape(u * u if w is None else w, (-1,))
    if _is_numpy(xp) and isinstance(R1, np.ndarray):
        sums = _projected_sweep_numpy(R1, L1, u1, w1, c, a_u, block, rs, ls)
        return None if sums is None else (xp.reshape(rs, shape), xp.reshape(ls, shape), *sums)
    csum = wsum = esum = 0.0
    qmax = -math.inf
    for i in range(0, n, block):
        j = min(n, i + block)
        uc = u1[i:j]
        rn = R1[i:j] - ((L1[i:j] - c) * uc) * a_u
        if not float(xp.min(rn)) > 0:
            return None
        ln = xp.log1p(rn)
        csum += _dot(xp, uc + uc * rn, ln)
        wsum += _dot(xp, w1[i:j], ln)
        esum += _dot(xp, uc, rn)
        qmax = max(qmax, float(xp.max((ln - c) * uc / rn)))
        rs[i:j] = rn
        ls[i:j] = ln
    return xp.reshape(rs, shape), xp.reshape(ls, shape), csum, wsum, esum, qmax


def _is_numpy(xp) -> bool:
    return xp is np or getattr(xp, "__name__", "") in ("numpy", "array_api_compat.numpy")


def _projected_sweep_numpy(R1, L1, u1, w1, c, a_u, block, rs, ls):
    """The NumPy path of :func:`_projected_sweep`, with no temporaries: every block is computed into the
    output buffers and one scratch block (ufuncs with ``out=``), reduced with single-threaded ``einsum``.
    Same arithmetic as the Array-API path (tested against it)."""
    n = R1.shape[0]
    scratch = np.empty(min(block, n), dtype=R1.dtype)
    csum = wsum = esum = 0.0
    qmax = -math.inf
    for i in range(0, n, block):
        j = min(n, i + block)
        t = scratch[: j - i]
        uc, rn, ln = u1[i:j], rs[i:j], ls[i:j]
        np.subtract(L1[i:j], c, out=t)
        np.multiply(t, uc, out=t)
        np.multiply(t, a_u, out=t)
        np.subtract(R1[i:j], t, out=rn)
        if not rn.min() > 0:
            return None
        np.log1p(rn, out=ln)
        esum += float(np.einsum("i,i->", uc, rn))
        np.subtract(ln, c, out=t)
        np.multiply(t, uc, out=t)
        np.divide(t, rn, out=t)
        qmax = max(qmax, float(t.max()))
        np.multiply(uc, rn, out=t)
        np.add(t, uc, out=t)  # u (1 + R_new)
        csum += float(np.einsum("i,i->", t, ln))
        wsum += float(np.einsum("i,i->", w1[i:j], ln))
    return csum, wsum, esum, qmax


#: Halvings of a rejected GLGD step before the below-rounding test is computed (it costs passes).
HALVINGS_BEFORE_CHECK = 40


def _drift_tolerance(xp, R) -> float:
    """How far E[R] may stray from 1 before R is rescaled: 16 ulps of R's dtype times sqrt(cells), the
    typical rounding of the sum that measures it (below that, rescaling would chase rounding noise
    and cost two extra passes every step)."""
    return 16 * float(xp.finfo(R.dtype).eps) * math.sqrt(math.prod(int(k) for k in R.shape))


def _weighted(xp, u, w, L) -> float:
    """sum w L with w = u^2 (formed here when the caller keeps no ``w``)."""
    return _flatdot(xp, u * u if w is None else w, L)


def _renormalized(xp, R, p_r, u, w, vol, mean):
    """R / E[R] with its log1p, C(R) and sum w log1p(R) recomputed (one extra pass, rarely needed in
    float64; in float32 a long run drifts by ~1e-6 per step without it)."""
    R = R / mean
    L = xp.log1p(R)
    return R, L, _flatdot(xp, p_r * (1 + R), L) * vol, _weighted(xp, u, w, L)


def glgd_update(state: GLGDState, p_r, grid: Grid, step_size: float, method: str = "projected",
                pp: float | None = None, w=None, out=None, ref=None):
    """One GLGD step; returns (new state, stop reason or "").

    ``ref = (u, s[, max u])`` with ``u = p_r / s`` (s at or above max p_r, :func:`_scaled_reference`; max u is
    1 when not given), ``w = u**2`` and ``pp = sum(w)`` may be passed in to save work on every step (``u`` or
    ``w`` None: formed where needed; the compiled sweep needs neither array). The projected step is one
    blocked sweep: one ``log1p`` per cell, the rest in cache. E[R] is kept by P_o (the direction has
    E[d(Y)] = 0 exactly); the sweep also measures E[R] (one more in-cache dot per block), and R is rescaled
    when rounding has moved it by more than its summation error (large steps on extreme densities drift by 1e-7 in
    a few steps, in float64 too). The trial step is at most ``ADMISSIBLE_FRACTION`` of the largest
    step that keeps R > 0, known from ``state.q`` (the sweep bounds it for the next step at no extra
    pass; :func:`_next_bound`). A trial step that increases C(R) is halved; after
    ``HALVINGS_BEFORE_CHECK`` halvings the step stops once its change is below rounding (none is
    abandoned above rounding). NumPy arrays run compiled kernels when Numba is installed
    (:func:`gantheory.engine._backend.compiled`), with the same arithmetic.
    """
    xp = namespace(p_r)
    vol = grid.cell_volume
    R, L, C, alpha, c = state[:5]
    ref = _scaled_reference(xp, p_r) if ref is None else ref
    pmax = ref[1]  # s, the scale of u = p_r / s
    u_max = ref[2] if len(ref) > 2 else 1.0
    pp = _sum_u2(xp, p_r, ref) if pp is None else pp
    u_made: list = []

    def u_now():  # u = p_r / s, formed at most once a step where the run keeps no array of it (rare paths)
        if not u_made:
            u_made.append(_u_of(p_r, ref))
        return u_made[0]

    a = alpha
    if method == "projected":
        q = state.q if math.isfinite(state.q) else _step_bound(xp, R, L, u_now(), c)
        if q > 0:  # the largest step that keeps R > 0 is above 1 / (q s): take a fraction of it
            a = min(a, ADMISSIBLE_FRACTION / (q * pmax))
        scales, halvings = None, 0
        while True:
            res = _projected_sweep(xp, R, L, ref[0], w, c, a * pmax, GLGD_BLOCK, out, p_r, pmax)
            if res is not None:
                R_new, L_new, csum, wsum, esum, q_new = res
                C_new = csum * pmax * vol
                mean = esum * pmax * vol  # P_o keeps E[R] = 1 exactly only in exact arithmetic
                renormalize = abs(mean - 1.0) > _drift_tolerance(xp, R_new)
                if renormalize:
                    R_new, L_new, C_new, wsum = _renormalized(xp, R_new, p_r, u_now(), w, vol, mean)
                if C_new <= C:
                    c_new = wsum / pp
                    q_new = None if renormalize else _next_bound(q_new, c, c_new, u_max)
                    if q_new is None:
                        q_new = _step_bound(xp, R_new, L_new, u_now(), c_new)
                    return GLGDState(R_new, L_new, C_new, _grow(a, step_size), c_new, q_new), ""
            a /= 2
            halvings += 1
            if halvings >= HALVINGS_BEFORE_CHECK:
                if scales is None:  # three passes: only once a step has been halved many times
                    scales = (pmax * float(xp.max(xp.abs(u_now() * (L - c)))), float(xp.max(R)))
                if _below_rounding(a, *scales):
                    return state, "no step decreases C(R): converged to rounding"
    # mirror: exponentiated gradient in the geometry of L2(p_r)
    direction = L - _flatdot(xp, p_r, L) * vol
    dmax = float(xp.max(xp.abs(direction)))
    a = _mirror_cap(a, direction, xp)
    while not _below_rounding(a, dmax, 1.0):
        R_new = _mirror_step(xp, R, p_r, vol, -a * direction)
        L_new = xp.log1p(R_new)
        C_new = _flatdot(xp, p_r * (1 + R_new), L_new) * vol
        if C_new <= C:
            c_new = _weighted(xp, u_now(), w, L_new) / pp
            return GLGDState(R_new, L_new, C_new, _grow(a, step_size), c_new), ""
        a /= 2
    return state, "no step decreases C(R): converged to rounding"


def glgd_stepper(p_r, grid: Grid, step_size: float, method: str = "projected", pmax: float | None = None):
    """``update(state) -> (state, stop)`` for GLGD, reusing the arrays of the state before last.

    Each step writes R and log(1 + R) into the buffers freed two steps earlier, so that a long run
    allocates no new memory (allocation and first touch of fresh pages cost more than a pass).
    ``update.weights`` is ``(ref, w, pp)`` for :func:`glgd_init` (computed once for both). ``pmax``: max p_r,
    when the caller knows it.
    """
    xp = namespace(p_r)
    # u = p_r / s and the weights w = u^2, kept for the run unless the compiled sweep forms them itself
    compiled_sweep = (method == "projected" and isinstance(p_r, np.ndarray) and p_r.dtype == np.float64
                      and compiled() is not None)
    ref = _scaled_reference(xp, p_r, pmax, keep=not compiled_sweep)
    w = None if compiled_sweep else ref[0] * ref[0]
    pp = _sum_u2(xp, p_r, ref)
    spare: list = [None]

    def update(state):
        new, stop = glgd_update(state, p_r, grid, step_size, method, pp, w, spare[0], ref)
        if new is not state and method == "projected":
            spare[0] = (xp.reshape(state.R, (-1,)), xp.reshape(state.L, (-1,)))
        return new, stop

    update.weights = (ref, w, pp)
    update.spare = spare  # the arrays of the state before last: free once the run is over
    return update


def glgd(p_r, p_g0, grid: Grid, steps: int = 200, step_size: float | None = None, record_every: int = 1,
         method: str = "projected", keep_densities: bool = False,
         progress: Callable | None = None, w1_metric: str = "cityblock",
         diagnostics=DIAGNOSTICS) -> Trajectory:
    """Generator-loss gradient descent (seed 000, Algorithm 2) on densities on ``grid``.

    Parameters
    ----------
    p_r, p_g0 : arrays
        Reference density (positive on every cell) and initial generator density.
    steps : int
        Number of updates.
    step_size : float
        First step alpha tried: capped at half the largest step that keeps R > 0, halved until C(R)
        does not increase, doubled after each accepted step.
    record_every : int
        Record diagnostics every this many steps (0: first and last only).
    method : {"projected", "mirror"}
        ``projected``: the seed's R <- R - alpha P_o grad. ``mirror``: the multiplicative update
        R <- R exp(-alpha (log(1+R) - E[log(1+R)])) / normalization, which keeps R > 0 by itself.
    diagnostics : tuple of {"kl", "jsd", "w1"}
        What each record computes besides the objective (all by default; ``()`` for none). On N-D grids
        above ``EXACT_W1_MAX_CELLS`` cells (64 x 64; 256 x 256 with Numba's network simplex) ``w1`` is
        the certified lower bound, with ``w1_upper``.

    Returns
    -------
    Trajectory
        ``objective`` is C(R) = E[(1+R) log(1+R)], non-increasing; its minimum 2 log 2 is at R = 1.
    """
    diagnostics = _check_diagnostics(diagnostics)
    p_r, p_g0, xp, step_size, pmax = _setup(p_r, p_g0, grid, steps, record_every, step_size, method)
    stepper = glgd_stepper(p_r, grid, step_size, method, pmax)
    state, summary = _glgd_init(p_r, p_g0, grid, step_size, *stepper.weights)

    def final_density(s):
        """R p_r; on NumPy into memory the run no longer needs and has touched already (a fresh array of 2^22
        cells costs 1-4 log1p passes in page faults, more than the product): the array of u = p_r / s, or the
        R of the state before last."""
        u, spare = stepper.weights[0][0], stepper.spare[0]
        buf = u if u is not None else None if spare is None else xp.reshape(spare[0], p_r.shape)
        if isinstance(buf, np.ndarray) and isinstance(s.R, np.ndarray) and s.R.dtype == buf.dtype == p_r.dtype:
            return np.multiply(s.R, p_r, out=buf)
        return s.R * p_r

    return _run(f"glgd-{method}", state, stepper,
                lambda s: s.C, p_r, grid, xp, steps, record_every, keep_densities, progress, w1_metric,
                lambda s: s.R * p_r, diagnostics, values_of=_glgd_values(p_r, grid, xp, diagnostics, state, summary),
                final_of=final_density)


def _glgd_values(p_r, grid: Grid, xp, diagnostics, first=None, summary=None):
    """A GLGD record's values from its state, on a 1-D float64 NumPy grid with the compiled kernels (from
    COMPILED_MIN_CELLS cells): KL, JSD and W1 of p_g = R p_r against p_r, E[R] and the largest cell mass, computed
    from R, log1p R (the state's) and p_r without forming p_g (:func:`gantheory.engine._compiled.glgd_record`:
    one logarithm per cell and about 4 log1p passes in all, against 16 for the public functions on p_g). The
    values are those of :func:`kl`, :func:`jsd` and :func:`wasserstein1` on ``R * p_r`` up to rounding (other
    formulas: within 1e-13 relative, and W1 within a few ulps of the grid's length where it is below float64's
    resolution of the masses; tested). None where this does not apply: the record is then made from p_g.
    ``summary`` = (sum R p_r, max R p_r) of the state ``first`` (from :func:`_glgd_init`'s sweep)."""
    if grid.ndim != 1 or not _is_numpy(xp) or p_r.dtype != np.float64:
        return None
    kernels = compiled_for(math.prod(grid.shape))
    if kernels is None:
        return None
    pr = np.ascontiguousarray(p_r).reshape(-1)
    pr_sum, h, vol = float(np.sum(pr)), float(grid.widths[0]), grid.cell_volume
    want = tuple(d in diagnostics for d in DIAGNOSTICS)

    def values(state):
        R, L = state.R, state.L
        if not (isinstance(R, np.ndarray) and isinstance(L, np.ndarray) and R.dtype == L.dtype == np.float64):
            return None
        got = kernels.glgd_record(np.ascontiguousarray(R).reshape(-1), np.ascontiguousarray(L).reshape(-1), pr,
                                  pr_sum, h, *want, summary=summary if state is first else None)
        if got is None:
            return None
        mass, top, k, j, w = got
        out = {}
        if k is not None:
            out["kl"] = _finite_or_raise(k, "kl")
        if j is not None:
            out["jsd"] = _finite_or_raise(j, "jsd")
        if w is not None:
            out["w1"] = w
        out["expected_R"] = mass * vol
        out["max_cell_mass"] = top * vol
        return out

    return values


# -- alternating minimization ------------------------------------------------------------------

def alternating_minimization(p_r, p_g0, grid: Grid, steps: int = 20, record_every: int = 1,
                             keep_densities: bool = False, progress: Callable | None = None,
                             w1_metric: str = "cityblock", diagnostics=DIAGNOSTICS) -> Trajectory:
    """Seed 000, Algorithm 1: f <- 1/(1+R), then R <- the generator's best response to f.

    The best response to a fixed f minimizes the linear functional g(R, f) = E[-R log f] over Omega_g:
    all mass in the cell where f is largest (ties go to the cell where p_r is largest). This is mode
    collapse; the discriminator then rates that cell lowest and the mass hops elsewhere (cycling).
    ``objective`` is g(R, f) after each generator update.
    """
    diagnostics = _check_diagnostics(diagnostics)
    p_r, p_g0, xp, _, _ = _setup(p_r, p_g0, grid, steps, record_every, 1.0, "projected")
    vol = grid.cell_volume
    flat_r = xp.reshape(p_r, (-1,))

    def g_value(state):
        R, f = state
        return float(xp.sum(p_r * R * -xp.log(f))) * vol

    def update(state):
        R, _ = state
        f = 1.0 / (1.0 + R)
        flat_f = xp.reshape(f, (-1,))
        best = flat_f >= xp.max(flat_f) * (1 - 1e-12)
        i_o = int(xp.argmax(xp.where(best, flat_r, xp.full_like(flat_r, -1.0))))
        onehot = xp.reshape(xp.astype(xp.arange(flat_r.shape[0]) == i_o, p_r.dtype), p_r.shape)
        R_new = onehot / (p_r * vol)  # R(y) = delta(y - y_o) / p_r(y_o), on cells
        return (R_new, f), ""

    R0 = p_g0 / p_r
    state = (R0, 1.0 / (1.0 + R0))
    return _run("altmin", state, update, g_value, p_r, grid, xp, steps, record_every, keep_densities,
                progress, w1_metric, lambda s: s[0] * p_r, diagnostics)


# -- Wasserstein descent -----------------------------------------------------------------------

#: Support updates of the pivot projection before it falls back to sorting the breakpoints.
PROJECTION_PIVOTS = 64


def _project_feasible(xp, R, p_r, vol):
    """The L2(dy) projection of R onto {R >= 0, E_{p_r}[R] = 1}: R = max(R - lam p_r, 0) (the KKT
    conditions), lam exact. Michelot's pivot method (1986), weighted: on a support S, E[max(R - lam p_r,
    0)] = 1 is linear in lam; solve it, drop the cells where R - lam p_r <= 0, repeat until S no longer
    changes. lam only grows, so S only shrinks: a few O(n) passes (a sort, O(n log n), is the fallback
    after ``PROJECTION_PIVOTS`` rounds)."""
    w = p_r * vol
    wR, wp = w * R, w * p_r
    keep = xp.ones(R.shape, dtype=xp.bool)
    zero = xp.zeros_like(R)
    count = math.prod(R.shape)
    for _ in range(PROJECTION_PIVOTS):
        denom = float(xp.sum(xp.where(keep, wp, zero)))
        if not denom > 0:  # only rounding can empty the support: let the sort decide
            break
        lam = (float(xp.sum(xp.where(keep, wR, zero))) - 1.0) / denom
        new = R - lam * p_r > 0
        new_count = int(xp.sum(xp.astype(new, xp.int64)))
        if new_count == count:  # S shrinks monotonically: the same size means the same support
            out = xp.where(new, R - lam * p_r, zero)
            return out / float(xp.sum(out * w))  # exact up to rounding: E[out] = 1 by the choice of lam
        keep, count = new & keep, new_count
    return _project_feasible_sorted(xp, R, p_r, vol)


def _project_feasible_sorted(xp, R, p_r, vol):
    """:func:`_project_feasible` by sorting the breakpoints R_i / p_r,i, between which the constraint is
    linear in lam (O(n log n); the fallback, and the reference in the tests)."""
    w = p_r * vol
    flat_R, flat_p, flat_w = (xp.reshape(a, (-1,)) for a in (R, p_r, w))
    t = flat_R / flat_p  # where cell i leaves the support as lam grows
    order = xp.argsort(-t)
    ts, a, b, pp = (xp.take(x, order) for x in (t, flat_R, flat_w, flat_p))
    s1 = xp.cumulative_sum(b * a)  # sum over the k largest t of w_i R_i
    s2 = xp.cumulative_sum(b * pp)  # ... of w_i p_r,i
    lam = (s1 - 1.0) / s2
    nxt = xp.concat([ts[1:], xp.asarray([-xp.inf], dtype=ts.dtype)])
    ok = (lam >= nxt) & (lam < ts)
    k = int(xp.argmax(xp.astype(ok, xp.int8)))
    out = xp.maximum(R - float(lam[k]) * p_r, xp.zeros_like(R))
    return out / float(xp.sum(out * w))  # exact up to rounding: E[out] = 1 by the choice of lam


def wasserstein_descent(p_r, p_g0, grid: Grid, steps: int = 200, step_size: float | None = None,
                        record_every: int = 1, metric: str = "cityblock", method: str = "mass",
                        keep_densities: bool = False, progress: Callable | None = None,
                        diagnostics=DIAGNOSTICS) -> Trajectory:
    """Seed 000, Method 3: R <- R - alpha P_o grad_R g_w(R, f*), f* the exact W1 critic.

    g_w(R, f) = E[-f(Y~_R)] = -E[R f], so grad_R g_w = -p_r f*; by Kantorovich-Rubinstein and the
    envelope theorem this is a (sub)gradient of W1(p_r, p_R) in R (up to a multiple of p_r, which P_o
    removes). ``objective`` is W1.

    W1 is convex in R but not differentiable (it is the maximum of linear functions, one per critic),
    so a descent with a monotone line search stalls at a kink. The additive methods take Polyak's
    step size alpha = step_size * W1(R) / ||g||^2 (the optimum W1 = 0 is known; ``step_size`` in
    (0, 2) is the relaxation factor, default 1) and project onto the feasible set only when a step
    leaves it (:func:`_project_feasible`); the projected subgradient method with this step converges
    to the optimum for a convex objective (Polyak 1969; Boyd, Subgradient Methods, Sec. 3.2). The
    iteration is not monotone: W1 may rise on a step.

    - ``method="mass"`` (default): the gradient taken in the Euclidean geometry of the cell masses
      m = p_R vol, g = -(f* - mean f*); mass moves wherever p_r is, at the same speed.
    - ``method="projected"``: the seed's geometry, g = P_o grad_R g_w in L2(dy). A cell's mass then
      moves at a speed proportional to p_r^2, so mass sitting where p_r is small moves slowly: the
      seed's step converges, slowly (``gantheory run wasserstein`` shows the rates side by side).

    ``method="mirror"`` replaces the additive step by R <- R exp(alpha (f* - E[f*])) / normalization
    (the same gradient, taken in L2(p_r)), with the step halved until W1 decreases.
    """
    if method not in ("mass", "projected", "mirror"):
        raise ValueError(f"method must be 'mass', 'projected' or 'mirror', got {method!r}")
    diagnostics = _check_diagnostics(diagnostics)
    if method in ("projected", "mass"):
        if step_size is None:
            step_size = 1.0
        if not (isinstance(step_size, (int, float)) and 0 < step_size < 2):
            raise ValueError(f"step_size must be in (0, 2) for the {method} (Polyak) step, got {step_size!r}")
    p_r, p_g0, xp, step_size, pmax = _setup(p_r, p_g0, grid, steps, record_every, step_size,
                                            "projected" if method == "mass" else method)
    vol = grid.cell_volume
    u = _scaled_reference(xp, p_r, pmax)[0]
    uu = float(xp.sum(u * u))

    # cityblock on N-D grids with the compiled kernels: one network-simplex solver for all the steps
    flow = _grid_flow(grid) if grid.ndim > 1 and metric == "cityblock" else None

    def w1(R):
        return _wasserstein1(p_r, R * p_r, grid, metric, flow)

    ones = xp.ones_like(p_r)
    ncells = math.prod(p_r.shape)

    def polyak(state):
        R, res, alpha = state
        if res.distance == 0.0:
            return state, "W1 = 0"
        critic = xp.astype(res.critic, p_r.dtype)
        if method == "projected":  # the seed's geometry: L2(dy) in R
            grad = -p_r * critic
            direction = grad - (float(xp.sum(grad * u)) / uu) * u  # P_o grad, written with u = p_r / s
            norm2 = float(xp.sum(direction * direction)) * vol
        else:  # "mass": the Euclidean geometry of the cell masses m = R p_r vol, where grad_m W1 = -f*
            direction = -(critic - float(xp.sum(critic)) / ncells)
            norm2 = float(xp.sum(direction * direction))
        if norm2 == 0.0:
            return state, "P_o grad = 0: no descent direction"
        a = step_size * res.distance / norm2
        if method == "projected":
            R_new = R - a * direction
            if float(xp.min(R_new)) < 0.0:
                R_new = _project_feasible(xp, R_new, p_r, vol)
        else:
            m_new = R * p_r * vol - a * direction
            if float(xp.min(m_new)) < 0.0:
                m_new = _project_feasible(xp, m_new, ones, 1.0)
            R_new = m_new / (p_r * vol)
        new = w1(R_new)
        if not math.isfinite(new.distance):
            raise FloatingPointError("W1 is not finite after a step")
        return (R_new, new, alpha), ""

    def update(state):
        R, res, alpha = state
        critic = xp.astype(res.critic, p_r.dtype)  # the critic is float64 whatever the densities' dtype
        centred = critic - float(xp.sum(p_r * critic)) * vol
        dmax = float(xp.max(xp.abs(centred)))
        a = _mirror_cap(alpha, centred, xp)
        while not _below_rounding(a, dmax, 1.0):
            R_new = _mirror_step(xp, R, p_r, vol, a * centred)
            new = w1(R_new)
            if new.distance < res.distance:
                return (R_new, new, _grow(a, step_size)), ""
            a /= 2
        return state, "no step decreases W1: converged to rounding"

    R0 = p_g0 / p_r
    state = (R0, w1(R0), float(step_size))
    return _run(f"wasserstein-{method}", state, update if method == "mirror" else polyak,
                lambda s: s[1].distance, p_r, grid, xp, steps, record_every,
                keep_densities, progress, metric, lambda s: s[0] * p_r, diagnostics, objective_is_w1=True)
