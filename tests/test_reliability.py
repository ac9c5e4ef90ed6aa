"""No silently wrong answer (issue 11): extreme-but-valid inputs against independent references.

References: SciPy ``rel_entr`` (KL), 50-digit mpmath sums (KL, JSD), POT's ``emd2`` (W1), and
closed forms (point masses, Lipschitz constants of known functions).
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import ot
import pytest
from scipy.special import rel_entr

from gantheory.engine import (
    Grid,
    gaussian_mixture,
    jsd,
    kl,
    lipschitz_constant,
    point_mass,
    wasserstein1,
    wasserstein1_bounds,
)


def _mp_unit(x, vol):
    """The float64 values of x as mpf, scaled to unit mass in 50-digit arithmetic."""
    vals = [mp.mpf(float(v)) for v in np.asarray(x, dtype=np.float64).ravel()]
    mass = mp.fsum(vals) * vol
    return [v / mass for v in vals]


def mp_kl(p, q, vol) -> float:
    """KL(p||q) in 50-digit arithmetic, from the float64 values of the inputs scaled to unit mass."""
    with mp.workdps(50):
        total = mp.mpf(0)
        for a, b in zip(_mp_unit(p, vol), _mp_unit(q, vol)):
            if a > 0:
                if b == 0:
                    return math.inf
                total += a * mp.log(a / b) - a + b
            else:
                total += b
        return float(total * vol)


def mp_jsd(p, q, vol) -> float:
    with mp.workdps(50):
        total = mp.mpf(0)
        for a, b in zip(_mp_unit(p, vol), _mp_unit(q, vol)):
            m = (a + b) / 2
            if a > 0:
                total += a * mp.log(a / m) / 2
            if b > 0:
                total += b * mp.log(b / m) / 2
        return float(total * vol)


# -- KL and JSD ------------------------------------------------------------------------------------

def test_kl_is_inf_where_the_ratio_overflows_and_q_underflows():
    """The issue's case: q is 0 on cells where p has mass; old code returned 0.0 (max(0, nan))."""
    g = Grid.uniform(-4, 4, 512)
    p, q = gaussian_mixture(g, [3.0], 0.5), gaussian_mixture(g, [-3.0], 0.17)
    assert np.sum(rel_entr(p, q)) == math.inf  # SciPy agrees: no absolute continuity
    assert kl(p, q, g) == math.inf


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_kl_is_finite_and_right_when_q_is_tiny(dtype):
    """Gaussians at -2 and +2 (std 0.4) on [-3, 3]: q ~ 5e-34 > 0 everywhere, KL ~ 50 nats.

    In float32 the ratio p/q overflows (3.4e38); the answer must still be the float64 one.
    """
    g = Grid.uniform(-3, 3, 64)
    p = gaussian_mixture(g, [-2.0], 0.4, dtype=dtype)
    q = gaussian_mixture(g, [2.0], 0.4, dtype=dtype)
    assert float(np.min(q)) > 0
    ref = mp_kl(p, q, g.cell_volume)
    assert 45 < ref < 55
    assert kl(p, q, g) == pytest.approx(ref, rel=1e-13)
    assert jsd(p, q, g) == pytest.approx(mp_jsd(p, q, g.cell_volume), rel=1e-13)


@pytest.mark.parametrize("eps", [1e-3, 1e-6, 1e-9, 1e-12])
def test_divergences_keep_relative_accuracy_for_nearly_identical_inputs(eps):
    g = Grid.uniform(0, 1, 64)
    rng = np.random.default_rng(3)
    p = rng.random(64) + 0.1
    p /= p.sum() * g.cell_volume
    q = p * (1 + eps * rng.standard_normal(64))
    q /= q.sum() * g.cell_volume
    assert kl(p, q, g) == pytest.approx(mp_kl(p, q, g.cell_volume), rel=1e-12)
    assert jsd(p, q, g) == pytest.approx(mp_jsd(p, q, g.cell_volume), rel=1e-12)


@pytest.mark.parametrize("dtype, tiny", [(np.float64, 5e-324), (np.float32, 1.4e-45)])
def test_jsd_on_subnormal_masses_is_not_log2(dtype, tiny):
    """(p + q)/2 of a subnormal and 0 rounds to 0: a mixture formed explicitly gives KL(p||m) = inf."""
    g = Grid.uniform(0, 1, 4)
    p = np.array([tiny, 0.0, 2.0, 2.0], dtype=dtype)
    q = np.array([0.0, tiny, 2.0, 2.0], dtype=dtype)
    value = jsd(p, q, g)
    assert value == pytest.approx(mp_jsd(p, q, g.cell_volume), abs=1e-300)
    assert value < 1e-40
    assert kl(p, q, g) == math.inf  # q has no mass on the first cell


def test_jsd_attains_log2_for_disjoint_supports_and_stays_below_it():
    g = Grid.uniform(0, 1, 8)
    p = np.r_[np.full(4, 2.0), np.zeros(4)]
    q = p[::-1].copy()
    assert jsd(p, q, g) == pytest.approx(math.log(2), rel=1e-15)
    rng = np.random.default_rng(0)
    for _ in range(20):
        a, b = rng.random(8) ** 8, rng.random(8) ** 8
        a, b = a / (a.sum() * g.cell_volume), b / (b.sum() * g.cell_volume)
        assert jsd(a, b, g) <= math.log(2) * (1 + 1e-15)
        assert jsd(a, b, g) == pytest.approx(mp_jsd(a, b, g.cell_volume), rel=1e-12)


# -- W1 --------------------------------------------------------------------------------------------

def _pot_w1(p, q, grid, metric):
    pts = grid.points.reshape(grid.size, grid.ndim)
    M = ot.dist(pts, pts, metric=metric)
    a, b = p.ravel() / p.sum(), q.ravel() / q.sum()
    return float(ot.emd2(a, b, M, numItermax=10_000_000))


@pytest.mark.slow
@pytest.mark.parametrize("metric", ["euclidean", "cityblock"])
@pytest.mark.parametrize("rel", [1e-6, 1e-8, 1e-9])
def test_w1_of_nearly_identical_2d_densities_is_relatively_accurate(metric, rel):
    """Old code: 0.0 at rel = 1e-9 (solver tolerance above the answer), 3-5 % off at 1e-8."""
    g = Grid.uniform([0, 0], [1, 1], [8, 8])
    rng = np.random.default_rng(0)
    p = rng.random((8, 8)) + 0.1
    p /= p.sum() * g.cell_volume
    q = p * (1 + rel * rng.standard_normal((8, 8)))
    q /= q.sum() * g.cell_volume
    # reference: POT on the exact signed difference (POT on p, q itself rounds at 1e-16 of the mass)
    d = p / p.sum() - q / q.sum()
    dp, dm = np.clip(d, 0, None), np.clip(-d, 0, None)
    pts = g.points.reshape(-1, 2)
    ref = dp.sum() * ot.emd2(dp.ravel() / dp.sum(), dm.ravel() / dm.sum(), ot.dist(pts, pts, metric=metric))
    w = wasserstein1(p, q, g, metric=metric)
    assert w.distance > 0
    assert w.distance == pytest.approx(ref, rel=1e-6)
    b = wasserstein1_bounds(p, q, g) if metric == "cityblock" else None
    if b is not None:
        assert b.lower <= ref * (1 + 1e-6) and ref * (1 - 1e-6) <= b.upper
        assert b.upper > 0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_w1_critic_is_float64_and_1_lipschitz_for_float32_input(dtype):
    g = Grid.uniform(-4, 4, 512)
    p = gaussian_mixture(g, [-2.0], 0.4, dtype=dtype)
    q = gaussian_mixture(g, [1.0], 0.9, dtype=dtype)
    w = wasserstein1(p, q, g)
    assert w.critic.dtype == np.float64
    assert lipschitz_constant(w.critic, g) <= 1 + 1e-12
    pairing = float(np.sum((p.astype(np.float64) - q) * w.critic)) * g.cell_volume
    assert pairing == pytest.approx(w.distance, rel=1e-9)
    p64, q64 = p.astype(np.float64), q.astype(np.float64)
    ref = float(np.sum(np.abs(np.cumsum(p64 / p64.sum() - q64 / q64.sum())[:-1]))) * g.widths[0]
    assert w.distance == pytest.approx(ref, rel=1e-12)


@pytest.mark.slow
def test_bounds_bracket_contains_w1_where_the_move_cost_is_tight():
    """Point masses in opposite corners of one 2 x 2 block: the coarse problem sees no difference,
    so the whole distance h1 + h2 must come from the move term of the upper bound."""
    g = Grid.uniform([0, 0], [1, 2], [64, 64])
    h1, h2 = g.widths
    p = point_mass(g, [0.5 * h1, 0.5 * h2])
    q = point_mass(g, [1.5 * h1, 1.5 * h2])
    exact = _pot_w1(p, q, g, "cityblock")
    assert exact == pytest.approx(h1 + h2, rel=1e-12)
    b = wasserstein1_bounds(p, q, g, max_exact_cells=64)
    assert b.lower <= exact * (1 + 1e-12)
    assert exact <= b.upper * (1 + 1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_bounds_bracket_contains_pot_value_on_random_densities(seed):
    g = Grid.uniform([-2, -2], [2, 2], [32, 32])
    rng = np.random.default_rng(seed)
    p = rng.random((32, 32)) ** 4
    q = rng.random((32, 32)) ** 4
    p, q = p / (p.sum() * g.cell_volume), q / (q.sum() * g.cell_volume)
    exact = _pot_w1(p, q, g, "cityblock")
    b = wasserstein1_bounds(p, q, g, max_exact_cells=64)
    assert b.lower <= exact * (1 + 1e-9) and exact <= b.upper * (1 + 1e-9)
    assert wasserstein1(p, q, g, metric="cityblock").distance == pytest.approx(exact, rel=1e-8)


def test_lipschitz_constant_of_known_functions():
    """Against functions whose constant is known in closed form (a bug halving slopes shows here)."""
    g1 = Grid.uniform(-1, 1, 50)
    assert lipschitz_constant(3.0 * g1.points, g1) == pytest.approx(3.0, rel=1e-12)
    g2 = Grid.uniform([-1, -1], [1, 1], [12, 12])
    x, y = g2.points[..., 0], g2.points[..., 1]
    assert lipschitz_constant(np.abs(x) + np.abs(y), g2, "cityblock") == pytest.approx(1.0, rel=1e-12)
    assert lipschitz_constant(2 * x - 0.5 * y, g2, "cityblock") == pytest.approx(2.0, rel=1e-12)
    # Euclidean: a linear function a.x has constant |a|
    assert lipschitz_constant(3 * x + 4 * y, g2, "euclidean") == pytest.approx(5.0, rel=1e-12)


# -- validation: the right exception, naming the argument -------------------------------------------

@pytest.mark.parametrize("low, high, n", [(0, 5e-324, 2), (1e10, 1e10 + 1e-6, 1000), (-1e308, 1e308, 2),
                                          ([0] * 10, [1e-40] * 10, 2)])
def test_grid_rejects_unresolvable_cells(low, high, n):
    with pytest.raises(ValueError, match="cell"):
        Grid.uniform(low, high, n)


def test_gaussian_mixture_is_finite_for_tiny_scales_and_refuses_mass_off_the_grid():
    g = Grid.uniform(0, 1e-300, 4)
    p = gaussian_mixture(g, [5e-301], 1e-300)
    assert np.all(np.isfinite(p)) and float(np.sum(p)) * g.cell_volume == pytest.approx(1.0)
    with pytest.raises(ValueError, match="holds only"):
        gaussian_mixture(Grid.uniform(-4, 4, 64), [100.0], 0.5)
    with pytest.raises(ValueError, match="means"):
        gaussian_mixture(Grid.uniform(-4, 4, 64), [float("nan")], 0.5)


@pytest.mark.parametrize("fn", [kl, jsd, wasserstein1, wasserstein1_bounds])
@pytest.mark.parametrize("bad", [1.0, None, "p", True])
def test_numeric_functions_name_a_non_array_argument(fn, bad):
    g = Grid.uniform(-1, 1, 8)
    q = np.full(8, 0.5)
    with pytest.raises(TypeError, match="^p must be an array"):
        fn(bad, q, g)
    with pytest.raises(TypeError, match="^q must be an array"):
        fn(q, bad, g)


def test_public_entry_points_validate_their_arguments():
    import gantheory

    with pytest.raises(TypeError, match="pattern"):
        gantheory.claims(3)
    with pytest.raises(TypeError, match="claim_id"):
        gantheory.check(3)
    for bad in (0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="timeout"):
            gantheory.check("disc-bayes-f", timeout=bad)
    with pytest.raises(ValueError, match="jobs"):
        gantheory.prove("disc-bayes-f", jobs=0)


# -- algorithms: huge steps neither overflow nor claim a false convergence ----------------------------

def test_mirror_steps_survive_huge_first_steps_and_converge_for_real():
    from gantheory.engine import glgd, wasserstein_descent

    g = Grid.uniform(-4, 4, 64)
    p_r, p0 = gaussian_mixture(g, [-2.0, 2.0], 0.5), gaussian_mixture(g, [0.0], 1.0)
    with np.errstate(over="raise", invalid="raise"):
        for step in (1e300, 1.7e308):
            tr = glgd(p_r, p0, g, steps=300, method="mirror", step_size=step)
            # a stop "converged to rounding" must mean C(R) is at its minimum 2 log 2
            assert tr.stopped
            assert tr.history[-1]["objective"] - 2 * math.log(2) < 1e-12
            assert tr.history[-1]["kl"] < 1e-10
        tr = wasserstein_descent(p_r, p0, g, steps=30, method="mirror", step_size=1000.0)
    w1s = [h["objective"] for h in tr.history]
    assert w1s[-1] < 0.1 * w1s[0]
    assert all(b <= a for a, b in zip(w1s, w1s[1:]))


@pytest.mark.slow
def test_bounds_distance_is_the_lower_bound_and_the_tight_end_on_smooth_densities():
    """wasserstein1_bounds reports the critic's value (the lower bound) as its estimate: on smooth
    densities it is far closer to the exact W1 than the upper bound (and than the midpoint)."""
    g = Grid.uniform([0.0, 0.0], [1.0, 1.0], [64, 64])
    p = gaussian_mixture(g, [[0.2, 0.2], [0.8, 0.7]], 0.1)
    q = gaussian_mixture(g, [[0.5, 0.5]], 0.2)
    exact = _pot_w1(p, q, g, "cityblock")
    b = wasserstein1_bounds(p, q, g, max_exact_cells=16 * 16)
    assert b.distance == b.lower
    assert pytest.approx(float(np.sum((p - q) * b.critic)) * g.cell_volume, rel=1e-9) == b.lower
    assert b.lower <= exact * (1 + 1e-9) <= b.upper * (1 + 2e-9)
    assert exact - b.lower < 0.1 * (b.upper - exact)
