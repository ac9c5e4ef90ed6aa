"""The numeric engine against SciPy, POT and theory, on every array namespace (``xp`` fixture)."""

from __future__ import annotations

import math

import numpy as np
import ot
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import jensenshannon
from scipy.special import rel_entr
from scipy.stats import wasserstein_distance

from gantheory.engine import (
    Grid,
    alternating_minimization,
    gaussian_mixture,
    glgd,
    jsd,
    kl,
    lipschitz_constant,
    point_mass,
    uniform_box,
    wasserstein1,
    wasserstein_descent,
)
from gantheory.testing import grid_densities

G1 = Grid.uniform(-4.0, 4.0, 64)
G2 = Grid.uniform([-1.0, -1.0], [1.0, 1.0], [7, 6])


# -- grids and validation ----------------------------------------------------------------------

def test_grid_contract():
    g = Grid.uniform(-4.0, 4.0, 512)
    assert g.shape == (512,) and g.cell_volume == 8 / 512 and g.points.shape == (512,)
    g2 = Grid.uniform([-3, -3], [3, 3], [64, 32])
    assert g2.points.shape == (64, 32, 2)
    assert g2.cell_volume == pytest.approx((6 / 64) * (6 / 32))
    # points[i, j] is the centre of cell (i, j): 'ij' order
    assert g2.points[5, 7, 0] == pytest.approx(-3 + 6 / 64 * 5.5)
    assert g2.points[5, 7, 1] == pytest.approx(-3 + 6 / 32 * 7.5)


@pytest.mark.parametrize("kwargs, msg", [
    (dict(low=1.0, high=0.0, n=4), "high must exceed low"),
    (dict(low=0.0, high=1.0, n=1), "n must be an integer >= 2"),
    (dict(low=[0, 0], high=[1, 1, 1], n=4), "same length"),
    (dict(low=float("nan"), high=1.0, n=4), "finite"),
])
def test_grid_rejects_bad_input(kwargs, msg):
    with pytest.raises(ValueError, match=msg):
        Grid.uniform(**kwargs)


def test_density_validation_names_the_argument(xp):
    p = xp.asarray(gaussian_mixture(G1, [0.0], 1.0))
    bad_shape = xp.asarray(np.ones(10) / (10 * G1.cell_volume))
    with pytest.raises(ValueError, match="q has shape"):
        kl(p, bad_shape, G1)
    neg = np.array(gaussian_mixture(G1, [0.0], 1.0))
    neg[3] = -neg[3]
    with pytest.raises(ValueError, match="p has negative"):
        jsd(xp.asarray(neg), p, G1)
    nan = np.array(gaussian_mixture(G1, [0.0], 1.0))
    nan[0] = np.nan
    with pytest.raises(ValueError, match="q has NaN"):
        wasserstein1(p, xp.asarray(nan), G1)
    with pytest.raises(ValueError, match="p integrates to 2"):
        kl(2 * p, p, G1)


def test_float32_tolerance_follows_dtype(xp):
    p64 = gaussian_mixture(G1, [0.0, 1.0], [0.7, 0.4])
    p32 = xp.asarray(p64, dtype=xp.float32)
    q32 = xp.asarray(gaussian_mixture(G1, [0.5], 1.0), dtype=xp.float32)
    assert kl(p32, q32, G1) == pytest.approx(kl(p64, gaussian_mixture(G1, [0.5], 1.0), G1), rel=1e-4)


# -- divergences -------------------------------------------------------------------------------

@given(p=grid_densities(G1, zeros=True), q=grid_densities(G1))
def test_kl_matches_scipy_rel_entr(p, q):
    vol = G1.cell_volume
    expected = float(np.sum(rel_entr(p * vol, q * vol)))
    assert kl(p, q, G1) == pytest.approx(expected, rel=1e-9, abs=1e-12)


@given(p=grid_densities(G1, zeros=True), q=grid_densities(G1, zeros=True))
def test_kl_is_inf_without_absolute_continuity_and_jsd_matches_scipy(p, q):
    vol = G1.cell_volume
    if np.any((p > 0) & (q == 0)):
        assert kl(p, q, G1) == math.inf
    expected = jensenshannon(p * vol, q * vol) ** 2
    if expected > 1e-6:  # SciPy loses all digits (or returns NaN) below that
        assert jsd(p, q, G1) == pytest.approx(expected, rel=1e-7)
    assert 0.0 <= jsd(p, q, G1) <= math.log(2)


def test_divergences_on_every_namespace(xp):
    p = gaussian_mixture(G1, [-2.0, 2.0], 0.5)
    q = gaussian_mixture(G1, [0.0], 1.0)
    vol = G1.cell_volume
    assert kl(xp.asarray(p), xp.asarray(q), G1) == pytest.approx(np.sum(rel_entr(p * vol, q * vol)), rel=1e-12)
    assert jsd(xp.asarray(p), xp.asarray(q), G1) == pytest.approx(jensenshannon(p * vol, q * vol) ** 2, rel=1e-9)


def test_nearly_identical_inputs_are_stable():
    p = gaussian_mixture(G1, [0.0], 1.0)
    q = G1.normalize(p * (1 + 1e-9 * np.sin(np.arange(64))))
    with np.errstate(all="ignore"):
        scipy_value = jensenshannon(p, q) ** 2
    ours = jsd(p, q, G1)
    assert math.isfinite(ours) and 0.0 <= ours < 1e-15
    assert math.isnan(scipy_value) or scipy_value >= 0  # SciPy may give NaN here; we never do
    assert 0.0 <= kl(p, q, G1) < 1e-15 and kl(p, p, G1) == 0.0


def test_manifold_example_on_a_grid():
    """Seed 002: disjoint supports give JS = log 2 and KL = inf; W1 = the shift."""
    g = Grid.uniform(0.0, 1.0, 100)
    a, b = point_mass(g, 0.105), point_mass(g, 0.405)
    assert jsd(a, b, g) == pytest.approx(math.log(2), rel=1e-12)
    assert kl(a, b, g) == math.inf and kl(a, a, g) == 0.0
    assert wasserstein1(a, b, g).distance == pytest.approx(0.3, rel=1e-12)


# -- W1 ----------------------------------------------------------------------------------------

@given(p=grid_densities(G1, zeros=True), q=grid_densities(G1, zeros=True))
def test_w1_1d_matches_scipy_and_critic_attains_it(p, q):
    res = wasserstein1(p, q, G1)
    x = G1.points
    assert res.distance == pytest.approx(wasserstein_distance(x, x, p, q), rel=1e-9, abs=1e-12)
    assert float(np.sum((p - q) * res.critic) * G1.cell_volume) == pytest.approx(res.distance, rel=1e-9, abs=1e-12)
    assert lipschitz_constant(res.critic, G1) <= 1 + 1e-9


@pytest.mark.parametrize("metric", ["cityblock", "euclidean"])
@given(data=st.data())
def test_w1_nd_matches_pot_and_critic_is_1_lipschitz_everywhere(metric, data):
    p = data.draw(grid_densities(G2, zeros=True, smooth=False))
    q = data.draw(grid_densities(G2, zeros=True, smooth=False))
    res = wasserstein1(p, q, G2, metric=metric)
    pts = G2.points.reshape(-1, 2)
    M = ot.dist(pts, pts, metric="cityblock" if metric == "cityblock" else "euclidean")
    vol = G2.cell_volume
    a, b = p.ravel() * vol, q.ravel() * vol
    expected = ot.emd2(a, b * a.sum() / b.sum(), M)
    assert res.distance == pytest.approx(expected, rel=1e-7, abs=1e-10)
    assert float(np.sum((p - q) * res.critic) * vol) == pytest.approx(res.distance, rel=1e-7, abs=1e-10)
    # 1-Lipschitz on all cells, including those where both densities vanish
    assert lipschitz_constant(res.critic, G2, metric) <= 1 + 1e-7


def test_w1_nd_on_every_namespace_returns_same_namespace(xp):
    p = gaussian_mixture(G2, [[0.3, 0.3]], 0.3)
    q = uniform_box(G2, [-1, -1], [0, 0])
    from scipy.spatial.distance import cdist

    from gantheory.engine._backend import to_numpy

    res = wasserstein1(xp.asarray(p), xp.asarray(q), G2, metric="cityblock")
    pts = G2.points.reshape(-1, 2)
    ref = ot.emd2(p.ravel() / p.sum(), q.ravel() / q.sum(), cdist(pts, pts, "cityblock"), numItermax=10**7)
    assert res.distance == pytest.approx(ref, rel=1e-8)  # POT, not the package
    # the critic is in the caller's namespace, float64, 1-Lipschitz and attains the distance
    from array_api_compat import array_namespace

    assert array_namespace(res.critic).__name__ == xp.__name__
    c = to_numpy(res.critic)
    assert c.dtype == np.float64 and lipschitz_constant(c, G2, "cityblock") <= 1 + 1e-12
    assert float(np.sum((p - q) * c)) * G2.cell_volume == pytest.approx(ref, rel=1e-8)


def test_w1_rejects_unknown_metric():
    p = gaussian_mixture(G1, [0.0], 1.0)
    with pytest.raises(ValueError, match="metric must be"):
        wasserstein1(p, p, G1, metric="chebyshev")


# -- algorithms: what theory predicts -----------------------------------------------------------

GA = Grid.uniform(-3.0, 3.0, 128)
PR = gaussian_mixture(GA, [-1.0, 1.0], 0.8)
PG = gaussian_mixture(GA, [0.5], 1.0)


@pytest.mark.parametrize("method", ["projected", "mirror"])
def test_glgd_decreases_c_monotonically_to_2log2_and_kl_to_0(xp, method):
    traj = glgd(xp.asarray(PR), xp.asarray(PG), GA, steps=150, record_every=1, method=method)
    c = [h["objective"] for h in traj.history]
    assert all(b <= a + 1e-12 for a, b in zip(c, c[1:])), "C(R) must never increase"
    assert c[-1] == pytest.approx(2 * math.log(2), abs=1e-6)  # min of C on Omega_g at R = 1
    assert traj.history[-1]["kl"] < 1e-6
    assert all(abs(h["expected_R"] - 1) < 1e-9 for h in traj.history)


def test_altmin_collapses_and_cycles(xp):
    traj = alternating_minimization(xp.asarray(gaussian_mixture(G1, [-2.0, 2.0], 0.5)),
                                    xp.asarray(gaussian_mixture(G1, [0.0], 1.0)), G1,
                                    steps=8, keep_densities=True)
    masses = [h["max_cell_mass"] for h in traj.history]
    assert masses[0] < 0.1 and all(m == pytest.approx(1.0) for m in masses[1:])  # mode collapse
    cells = [int(np.argmax(p)) for _, p in traj.densities[1:]]
    assert len(set(cells)) >= 2, "the point mass must move (no convergence)"
    assert cells[3:] == cells[1:-2] and cells[1] != cells[2], "after the first jump it cycles with period 2"


def test_wasserstein_descent_drives_w1_to_the_grid_resolution(xp):
    """W1 is convex in p_g with minimum 0: the default (Polyak steps on the cell masses) reduces it 20x in
    200 steps on the demo problem and below a hundredth of a cell width in 2000; every method keeps
    unit mass exactly at every record (a step without P_o, or without its projection, does not)."""
    p_r, p_g = gaussian_mixture(G1, [-2.0, 2.0], 0.5), gaussian_mixture(G1, [0.0], 1.0)
    short = wasserstein_descent(xp.asarray(p_r), xp.asarray(p_g), G1, steps=200, record_every=20)
    w = [h["w1"] for h in short.history]
    assert w[-1] < w[0] / 20
    long = wasserstein_descent(p_r, p_g, G1, steps=2000, record_every=0)
    assert long.history[-1]["w1"] < 0.01 * float(G1.cell_volume)
    for method in ("mass", "projected", "mirror"):
        tr = wasserstein_descent(p_r, p_g, G1, steps=60, record_every=1, method=method)
        assert all(abs(h["expected_R"] - 1) < 1e-12 for h in tr.history), method
        assert all(h["max_cell_mass"] >= 0 for h in tr.history)


def test_descents_reduce_in_one_thread(monkeypatch):
    """The descents' reductions stay out of multi-threaded BLAS: its idle threads spin on the other core after
    each call, and one ``np.dot`` per step of the 2-D Wasserstein descent kept the second core busy for the whole
    run. ``_backend.dot`` (einsum, one thread) agrees with an exactly rounded sum to a few ulps."""
    from gantheory.engine import _backend

    rng = np.random.default_rng(3)
    a, b = rng.standard_normal(10_001), rng.standard_normal(10_001)
    exact = math.fsum(float(x) * float(y) for x, y in zip(a, b))
    assert abs(_backend.dot(a, b) - exact) <= 1e-12 * math.fsum(abs(a * b))
    calls = []
    for name in ("dot", "vdot", "vecdot", "inner", "matmul"):
        real = getattr(np, name)
        monkeypatch.setattr(np, name, lambda *args, _real=real, _name=name, **kw:
                            calls.append(_name) or _real(*args, **kw))
    g2 = Grid.uniform([-2.0, -2.0], [2.0, 2.0], [16, 16])
    p_r = gaussian_mixture(g2, [[-1.0, -1.0], [1.0, 1.0]], 0.4)
    p_g = gaussian_mixture(g2, [[0.0, 0.0]], 0.6)
    wasserstein_descent(p_r, p_g, g2, steps=5)
    p1, q1 = gaussian_mixture(G1, [-2.0, 2.0], 0.5), gaussian_mixture(G1, [0.0], 1.0)
    wasserstein_descent(p1, q1, G1, steps=5)
    glgd(p1, q1, G1, steps=5)
    assert calls == []


@pytest.mark.parametrize("method", ["projected", "mass"])
def test_wasserstein_step_is_tangent_without_projection(method):
    """Near p_r the step leaves R > 0, so no projection hides anything: the step itself (P_o of the gradient,
    or the centred critic on the masses) must keep E[R] = 1. Dropping P_o changes the mass here."""
    p_r = gaussian_mixture(G1, [-2.0, 1.5], 0.7)  # asymmetric: no integral vanishes by symmetry
    p_g = p_r * (1 + 0.05 * np.sin(G1.points) + 0.03 * np.cos(0.7 * G1.points))
    p_g = p_g / (p_g.sum() * G1.cell_volume)
    tr = wasserstein_descent(p_r, p_g, G1, steps=3, record_every=1, method=method, step_size=0.5)
    assert min(h["max_cell_mass"] for h in tr.history) > 0
    assert all(abs(h["expected_R"] - 1) < 1e-13 for h in tr.history)
    assert tr.history[-1]["w1"] < tr.history[0]["w1"]


def test_wasserstein_seed_step_keeps_descending():
    """The seed's geometry (projected: L2(dy) in R) is slow where p_r is small, but with Polyak's step it
    does not stall: the best W1 keeps falling between 200 and 2000 steps (a line search stopped at 0.23)."""
    p_r, p_g = gaussian_mixture(G1, [-2.0, 2.0], 0.5), gaussian_mixture(G1, [0.0], 1.0)
    tr = wasserstein_descent(p_r, p_g, G1, steps=2000, record_every=100, method="projected")
    best = np.minimum.accumulate([h["w1"] for h in tr.history])
    assert best[-1] < 0.95 * best[2] < best[0]


def test_feasible_projection_against_a_solver():
    """_project_feasible is the L2(dy) projection onto {R >= 0, E_{p_r} R = 1}: compared with SLSQP."""
    from scipy.optimize import minimize

    from gantheory.engine._algorithms import _project_feasible

    rng = np.random.default_rng(4)
    for _ in range(10):
        n = 7
        p = rng.uniform(0.1, 2, n)
        vol = 0.3
        p = p / (p.sum() * vol)
        y = rng.normal(1.0, 1.5, n)
        got = _project_feasible(np, y, p, vol)
        res = minimize(lambda r: np.sum((r - y) ** 2) * vol, np.full(n, 1.0), method="SLSQP",
                       bounds=[(0, None)] * n, constraints=[{"type": "eq", "fun": lambda r: np.sum(r * p) * vol - 1}],
                       options={"ftol": 1e-14, "maxiter": 500})
        np.testing.assert_allclose(got, res.x, atol=1e-6)
        assert abs(np.sum(got * p) * vol - 1) < 1e-12 and got.min() >= 0


def test_algorithms_reject_zero_reference():
    q = uniform_box(G1, -1, 1)
    with pytest.raises(ValueError, match="p_r must be positive on every cell"):
        glgd(q, gaussian_mixture(G1, [0.0], 1.0), G1)
    with pytest.raises(ValueError, match="steps must be"):
        glgd(PR, PG, GA, steps=-1)
    for method in ("projected", "mirror"):
        with pytest.raises(ValueError, match="step_size must be a positive"):
            glgd(PR, PG, GA, step_size=0.0, method=method)
    with pytest.raises(ValueError, match="step_size must be a positive"):
        wasserstein_descent(PR, PG, GA, step_size=float("nan"), method="mirror")
    for method in ("mass", "projected"):
        with pytest.raises(ValueError, match=r"step_size must be in \(0, 2\)"):
            wasserstein_descent(PR, PG, GA, step_size=float("nan"), method=method)
        with pytest.raises(ValueError, match=r"step_size must be in \(0, 2\)"):
            wasserstein_descent(PR, PG, GA, step_size=2.0, method=method)
    with pytest.raises(ValueError, match="method must be"):
        wasserstein_descent(PR, PG, GA, method="newton")
    with pytest.raises(ValueError, match="method must be"):
        glgd(PR, PG, GA, method="newton")


@given(data=st.data())
def test_multiscale_bounds_bracket_the_exact_w1(data):
    """Large-grid solver: lower <= exact W1 <= upper, and its critic is 1-Lipschitz (cityblock)."""
    from gantheory.engine import wasserstein1_bounds

    g = Grid.uniform([0.0, 0.0], [1.0, 1.0], [16, 16])
    p = data.draw(grid_densities(g))
    q = data.draw(grid_densities(g, zeros=True))
    exact = wasserstein1(p, q, g, metric="cityblock").distance
    res = wasserstein1_bounds(p, q, g, max_exact_cells=4 * 4)
    assert res.lower <= exact * (1 + 1e-9) + 1e-12 and exact <= res.upper * (1 + 1e-9) + 1e-12
    assert res.upper - res.lower <= 2 * sum(Grid.uniform([0.0, 0.0], [1.0, 1.0], [4, 4]).widths) + 1e-12
    assert lipschitz_constant(res.critic, g, "cityblock") <= 1 + 1e-9
    assert float(np.sum((p - q) * res.critic) * g.cell_volume) <= exact + 1e-9


@pytest.mark.parametrize("compiled", ["0", "1"])
def test_glgd_sweep_numpy_path_equals_array_api_path(compiled, monkeypatch):
    """The NumPy sweep (ufuncs with out=, einsum) and the compiled sweep (Numba) give the Array-API sweep's
    step and log1p bit for bit, and its sums and step bound to rounding."""
    xps = pytest.importorskip("array_api_strict")
    from gantheory.engine._algorithms import _projected_sweep
    from gantheory.engine._backend import compiled as kernels

    monkeypatch.setenv("GANTHEORY_COMPILED", compiled)
    if compiled == "1" and kernels() is None:
        pytest.skip("Numba is not installed (the fast extra)")
    rng = np.random.default_rng(8)
    n = 1000
    R = rng.uniform(0.5, 2.0, n)
    L = np.log1p(R)
    u = rng.uniform(0.1, 1.0, n)
    w = u * u  # the only weights the algorithm uses (the compiled sweep forms them itself)
    c, a_u = float(np.mean(L)), 0.05
    got = _projected_sweep(np, R, L, u, w, c, a_u, 128)
    ref = _projected_sweep(xps, *(xps.asarray(x) for x in (R, L, u, w)), c, a_u, 128)
    np.testing.assert_array_equal(got[0], np.asarray(ref[0]))
    np.testing.assert_array_equal(got[1], np.asarray(ref[1]))
    np.testing.assert_allclose(got[2:5], ref[2:5], rtol=1e-13)  # sums: only the order of addition differs
    np.testing.assert_allclose(got[5], ref[5], rtol=4e-16)  # a maximum: the same terms to an ulp
    assert got[5] == pytest.approx(float(np.max((got[1] - c) * u / got[0])), rel=4e-16)
    assert _projected_sweep(np, R, L, u, w, c, 100.0, 128) is None  # a step that leaves R > 0 is refused
    bad = R.copy()
    bad[500] = np.nan
    assert _projected_sweep(np, bad, L, u, w, c, a_u, 128) is None  # NaN is not > 0 either


@pytest.mark.slow
@pytest.mark.parametrize("kernels", ["numpy", "compiled"])
def test_diagnostics_are_chosen_and_large_grids_record_a_certified_w1(kernels, monkeypatch):
    """``diagnostics=`` picks what a record computes; on an N-D grid above the exact limit (EXACT_W1_MAX_CELLS,
    64 x 64, without Numba) the recorded W1 is the certified bracket of wasserstein1_bounds, which contains
    the exact value (min-cost flow); with the compiled network simplex it is the exact value itself."""
    from gantheory.engine import Grid, gaussian_mixture, glgd, wasserstein1
    from gantheory.engine._algorithms import EXACT_W1_MAX_CELLS
    from gantheory.engine._backend import compiled

    if kernels == "compiled" and compiled() is None:
        pytest.skip("needs Numba")
    if kernels == "numpy":
        monkeypatch.setenv("GANTHEORY_COMPILED", "0")
    g = Grid.uniform([-4.0, -4.0], [4.0, 4.0], [72, 72])
    assert 72 * 72 > EXACT_W1_MAX_CELLS
    p_r = gaussian_mixture(g, [[-2.0, -2.0], [2.0, 2.0]], 0.6)
    p_g = gaussian_mixture(g, [[0.0, 0.0]], 1.0)
    tr = glgd(p_r, p_g, g, steps=2, record_every=0)
    row = tr.history[0]
    exact = wasserstein1(p_r, p_g, g, metric="cityblock").distance
    if kernels == "numpy":
        assert row["w1_method"] == "bounds" and row["w1"] <= exact * (1 + 1e-12)
        assert exact <= row["w1_upper"] * (1 + 1e-12)
    else:
        assert "w1_method" not in row and row["w1"] == pytest.approx(exact, rel=1e-12)
    quiet = glgd(p_r, p_g, g, steps=2, record_every=0, diagnostics=("kl",)).history[-1]
    assert "kl" in quiet and "w1" not in quiet and "jsd" not in quiet
    assert quiet["kl"] == pytest.approx(tr.history[-1]["kl"], rel=1e-12)
    with pytest.raises(ValueError, match="diagnostics: unknown 'w2'"):
        glgd(p_r, p_g, g, steps=2, diagnostics=("w2",))


@given(seed=st.integers(0, 2**32 - 1), shift=st.floats(-0.75, 0.75), u_max=st.floats(0.5, 1.0))
def test_glgd_step_bound_is_certified_and_its_correction_is_needed(seed, shift, u_max):
    """The bound carried from one sweep to the next (_next_bound) is at least the exact max (L - c') u / R
    at the next c' whatever c' is (or asks for a pass), for u up to ``u_max`` (max p_r over the power of two
    above it); the bound without its correction term, a perturbed twin, fails for some c' < c (checked on a
    fixed instance below)."""
    from gantheory.engine._algorithms import _next_bound

    rng = np.random.default_rng(seed)
    R = np.exp(rng.uniform(-30.0, 4.0, 300))  # ratios from 1e-13 to 55, as in the tails of a mixture
    L = np.log1p(R)
    u = rng.uniform(1e-6, 1.0, 300)
    u *= u_max / u.max()
    c = float(np.average(L, weights=u * u))
    c_new = c * (1.0 + shift)
    bound = _next_bound(float(np.max((L - c) * u / R)), c, c_new, u_max)
    exact = float(np.max((L - c_new) * u / R))
    if c_new < c / 2:
        assert bound is None
    else:
        assert bound >= exact * (1 - 1e-12) - 1e-300


def test_glgd_step_bound_twin_without_correction_is_refuted():
    from gantheory.engine._algorithms import _next_bound

    R = np.array([0.5, 1.5, 3.0])
    L = np.log1p(R)
    u = np.array([1.0, 1.0, 1.0])
    c, c_new = 1.0, 0.6  # c falls: every term (L - c) u / R grows
    at_c = float(np.max((L - c) * u / R))
    exact = float(np.max((L - c_new) * u / R))
    assert max(at_c, 0.0) < exact  # the twin (no correction) would allow a step that makes R negative
    assert _next_bound(at_c, c, c_new) >= exact
    assert _next_bound(at_c, c, c_new, u_max=0.1) < exact  # nor a correction made for u smaller than it is


def test_glgd_paths_agree_and_no_cell_loses_more_than_half(monkeypatch):
    """GLGD with the compiled kernels, with NumPy only, and with array_api_strict follow the same
    trajectory (to the rounding of their sums); a projected step never takes a cell below half its R."""
    xps = pytest.importorskip("array_api_strict")
    from gantheory.engine import Grid, gaussian_mixture, glgd
    from gantheory.engine._algorithms import ADMISSIBLE_FRACTION

    g = Grid.uniform(-4.0, 4.0, 4096)
    p_r = gaussian_mixture(g, [-2.0, 2.0], 0.5) * 0.98 + 0.02 / 8.0
    p_g = gaussian_mixture(g, [0.0], 1.0)
    runs = {}
    for flag in ("1", "0"):
        monkeypatch.setenv("GANTHEORY_COMPILED", flag)
        runs[flag] = glgd(p_r, p_g, g, steps=30, keep_densities=True, diagnostics=())
    runs["strict"] = glgd(xps.asarray(p_r), xps.asarray(p_g), g, steps=30, diagnostics=())
    ref = [h["objective"] for h in runs["0"].history]
    for key in ("1", "strict"):
        np.testing.assert_allclose([h["objective"] for h in runs[key].history], ref, rtol=1e-10)
        np.testing.assert_allclose(np.asarray(runs[key].p_g), runs["0"].p_g, rtol=1e-8, atol=1e-12)
    assert ref[-1] < ref[0] and len(ref) == 31
    dens = [d for _, d in runs["1"].densities]
    worst = min(float(np.min(b / a)) for a, b in zip(dens, dens[1:]))
    assert worst >= (1 - ADMISSIBLE_FRACTION) * (1 - 1e-9)
    assert worst < 0.9  # the bound is what limits the steps here (else this test shows nothing)


@pytest.mark.slow
def test_kl_and_jsd_on_large_grids_sum_block_by_block_correctly():
    """Above SUM_BLOCK cells the terms are summed block by block, each block skipping the branches it
    does not need (all cells near p = q, none, or a mix): the result matches SciPy's terms summed exactly."""
    from scipy.special import entr

    from gantheory.engine._divergence import SUM_BLOCK

    n = 4 * SUM_BLOCK
    g = Grid.uniform(0.0, 1.0, n)
    rng = np.random.default_rng(11)
    q = rng.uniform(0.5, 1.5, n)
    p = q.copy()
    p[SUM_BLOCK:2 * SUM_BLOCK] *= 1 + 1e-6 * rng.standard_normal(SUM_BLOCK)  # a block of series cells
    p[2 * SUM_BLOCK:3 * SUM_BLOCK] *= rng.uniform(0.0, 5.0, SUM_BLOCK)  # a block of far cells
    p[3 * SUM_BLOCK:] *= np.where(rng.random(SUM_BLOCK) < 0.5, 1 + 0.1 * rng.standard_normal(SUM_BLOCK), 3.0)
    p, q = p / p.sum() / g.cell_volume, q / q.sum() / g.cell_volume
    a, b = p * g.cell_volume, q * g.cell_volume
    assert kl(p, q, g) == pytest.approx(math.fsum(rel_entr(a, b)), rel=1e-11)
    m = (a + b) / 2
    ref = math.fsum(np.concatenate([entr(m) * 2, -entr(a), -entr(b)])) / 2
    assert jsd(p, q, g) == pytest.approx(ref, rel=1e-9)


@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 400), spread=st.floats(0.01, 100.0))
def test_pivot_projection_equals_the_sorted_projection(seed, n, spread):
    """The Wasserstein descent's projection onto {R >= 0, E[R] = 1} by pivots (O(n) passes) gives the
    sorted-breakpoint projection's result, satisfies the KKT form max(R - lam p_r, 0) and E[R] = 1."""
    import array_api_compat.numpy as xnp

    from gantheory.engine._algorithms import _project_feasible, _project_feasible_sorted

    rng = np.random.default_rng(seed)
    p = rng.uniform(0.001, 3.0, n)
    vol = 1.0 / p.sum()
    R = rng.normal(1.0, spread, n)
    got = _project_feasible(xnp, R, p, vol)
    ref = _project_feasible_sorted(xnp, R, p, vol)
    np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-12 * (1 + np.abs(R).max()))
    assert got.min() >= 0 and float(np.sum(got * p) * vol) == pytest.approx(1.0, rel=1e-12)
    lam = np.median(((R - got) / p)[got > 0])  # one multiplier for the whole support
    np.testing.assert_allclose(got[got > 0], (R - lam * p)[got > 0], rtol=1e-7, atol=1e-9 * (1 + abs(lam)))


def test_a_runs_diagnostics_are_the_public_functions_to_the_last_bit():
    """A run's records compute KL, JSD and W1 on its reference prepared once (1-D NumPy): the values are
    those of kl, jsd and wasserstein1 exactly, also where p_g has empty cells, equals p_r, or differs from it
    by rounding only; on array-api-strict the public functions themselves run."""
    import array_api_compat.numpy as xnp
    import array_api_strict

    from gantheory.engine import jsd, kl, wasserstein1
    from gantheory.engine._algorithms import _Reference

    rng = np.random.default_rng(0)
    for n in (8, 1000, 2**16 + 5):
        g = Grid.uniform(-3, 3, n)
        for case in range(4):
            pr = g.normalize(rng.random(n) ** 3)
            pg = rng.random(n) ** 5
            if case == 1:
                pg[: n // 3] = 0
            pg = pr.copy() if case == 2 else pr * (1 + 1e-16) if case == 3 else g.normalize(pg)
            got = _Reference(pr, g, xnp).kl_jsd_w1(pg, ("kl", "jsd", "w1"), "euclidean")
            assert got == {"kl": kl(pg, pr, g), "jsd": jsd(pg, pr, g), "w1": wasserstein1(pr, pg, g).distance}
    g = Grid.uniform(-3, 3, 64)
    pr, pg = (array_api_strict.asarray(g.normalize(rng.random(64) + 0.1)) for _ in range(2))
    got = _Reference(pr, g, array_api_strict).kl_jsd_w1(pg, ("kl", "w1"), "euclidean")
    assert got == {"kl": kl(pg, pr, g), "w1": wasserstein1(pr, pg, g).distance}


def test_compiled_kl_and_jsd_are_the_numpy_path_bit_for_bit(monkeypatch):
    """kl and jsd with the compiled sweep (Numba) equal the NumPy path (GANTHEORY_COMPILED=0) to the last bit:
    the same operations per cell and the same block sums, on inputs that take every branch -- cells near
    p = q (the series), far from it (the logarithms), p = 0, q = 0 (KL = inf), both 0, subnormal cells, p = q
    exactly, blocks with and without far cells -- and across several blocks. A perturbed term is seen."""
    from gantheory.engine import jsd, kl
    from gantheory.engine._backend import compiled as kernels

    if kernels() is None:
        pytest.skip("Numba is not installed (the fast extra)")
    from gantheory.engine._divergence import SERIES_BELOW, SERIES_TERMS

    assert (kernels()._SERIES_BELOW, kernels()._SERIES_TERMS) == (SERIES_BELOW, SERIES_TERMS)
    rng = np.random.default_rng(12)
    n = 3 * (1 << 15) + 17
    g = Grid.uniform(-4.0, 4.0, n)
    base = rng.random(n) ** 3 + 1e-300
    cases = {
        "far": (base, rng.random(n) ** 5),
        "near": (base, base * (1 + 1e-3 * rng.standard_normal(n))),
        "very near": (base, base * (1 + 1e-12 * rng.standard_normal(n))),
        "mixed": (base, np.where(np.arange(n) < n // 2, base * 1.001, rng.random(n))),
        "zeros": (np.where(rng.random(n) < 0.2, 0.0, base), np.where(rng.random(n) < 0.2, 0.0, base[::-1])),
        "subnormal": (np.where(rng.random(n) < 0.3, 1e-320 * rng.integers(1, 9, n), base),
                      np.where(rng.random(n) < 0.3, 1e-320 * rng.integers(1, 9, n), base)),
        "equal": (base, base.copy()),
    }
    seen_inf = False
    for name, (p, q) in cases.items():
        p, q = p / (p.sum() * g.cell_volume), q / (q.sum() * g.cell_volume)
        monkeypatch.setenv("GANTHEORY_COMPILED", "1")
        fast = (kl(p, q, g), jsd(p, q, g), kl(q, p, g))
        monkeypatch.setenv("GANTHEORY_COMPILED", "0")
        slow = (kl(p, q, g), jsd(p, q, g), kl(q, p, g))
        assert fast == slow, (name, fast, slow)
        seen_inf |= math.isinf(fast[0]) or math.isinf(fast[2])
    assert seen_inf
    monkeypatch.setenv("GANTHEORY_COMPILED", "1")
    p, q = cases["near"]
    p, q = p / (p.sum() * g.cell_volume), q / (q.sum() * g.cell_volume)
    k_fast, j_fast = kernels().kl_jsd_sums(p, q, g.cell_volume, True, True)
    q2 = q.copy()
    q2[n // 3] *= 1 + 1e-6  # one cell moved: the sums see it
    k2, j2 = kernels().kl_jsd_sums(p, q2, g.cell_volume, True, True)
    assert k2 != k_fast and j2 != j_fast


def test_the_compiled_w1_record_is_wasserstein1_bit_for_bit_and_falls_back_below_its_range():
    """A run's 1-D W1 record with Numba is wasserstein1's value to the last bit, also where the difference is
    only subnormal cells (there the compiled kernel declines, 2^-e would overflow, and the NumPy steps run)."""
    from gantheory.engine import wasserstein1
    from gantheory.engine._algorithms import _Reference
    from gantheory.engine._backend import compiled as kernels

    if kernels() is None:
        pytest.skip("Numba is not installed (the fast extra)")
    g = Grid.uniform(0.0, 1.0, 4)
    pr = np.array([2.0, 2.0, 1e-310, 0.0])
    pg = np.array([2.0, 2.0, 3e-310, 0.0])
    assert kernels().w1_1d(pr, float(pr.sum()), pg, 0.25, np.empty(4), np.empty(4)) is None
    got = _Reference(pr, g, np).kl_jsd_w1(pg, ("w1",), "cityblock")["w1"]
    assert got == wasserstein1(pr, pg, g).distance  # the NumPy steps: below resolution here, 0
    rng = np.random.default_rng(3)
    n = 70_000  # above COMPILED_MIN_CELLS: the compiled record
    g = Grid.uniform(-1.0, 2.0, n)
    pr = g.normalize(rng.random(n) + 0.01)
    for pg in (g.normalize(rng.random(n) ** 4), pr * (1 + 1e-16), pr.copy()):
        w = _Reference(pr, g, np).kl_jsd_w1(pg, ("w1",), "cityblock")["w1"]
        assert w == wasserstein1(pr, pg, g).distance


@pytest.mark.slow
def test_compiled_glgd_init_is_the_numpy_init(monkeypatch):
    """GLGD's initial state with Numba: R and log1p(R) equal the NumPy path's bit for bit, C, c and the step
    bound q agree to rounding (sums reassociated), and the bound is attained (a cell reaches it)."""
    from gantheory.engine import gaussian_mixture
    from gantheory.engine._algorithms import _scaled_reference, glgd_init
    from gantheory.engine._backend import compiled as kernels

    if kernels() is None:
        pytest.skip("Numba is not installed (the fast extra)")
    g = Grid.uniform(-4.0, 4.0, (1 << 17) + 3)
    p_r = g.normalize(gaussian_mixture(g, [-2.0, 2.0], 0.3) + 1e-3)
    p_g = gaussian_mixture(g, [0.5], 1.0)
    fast = glgd_init(p_r, p_g, g, 1.0)
    monkeypatch.setenv("GANTHEORY_COMPILED", "0")
    slow = glgd_init(p_r, p_g, g, 1.0)
    np.testing.assert_array_equal(fast.R, slow.R)
    np.testing.assert_array_equal(fast.L, slow.L)
    for a, b in ((fast.C, slow.C), (fast.c, slow.c), (fast.q, slow.q)):
        assert a == pytest.approx(b, rel=1e-12)
    u = p_r / _scaled_reference(np, p_r)[1]  # p_r over the power of two at or above its max
    assert fast.q == float(np.max((fast.L - fast.c) * u / fast.R))


def _record_reference(R, pr, h):
    """KL(p_g || p_r), JSD and W1 of p_g = R p_r and p_r as unit masses, from the float inputs in 40-digit
    arithmetic (mpmath): the definitions themselves, with no series and no rearrangement."""
    import mpmath as mp

    with mp.workdps(40):
        a = [mp.mpf(float(p)) for p in pr]
        m = [mp.mpf(float(r)) * x for r, x in zip(R, a)]
        sa, sg = mp.fsum(a), mp.fsum(m)
        a = [x / sa for x in a]
        g = [x / sg for x in m]
        kl_ = mp.fsum(gi * mp.log(gi / ai) for gi, ai in zip(g, a) if gi > 0)
        jsd_ = mp.fsum((gi * mp.log(2 * gi / (gi + ai)) if gi > 0 else 0) + ai * mp.log(2 * ai / (gi + ai))
                       for gi, ai in zip(g, a)) / 2
        c = w = mp.mpf(0)
        for gi, ai in list(zip(g, a))[:-1]:
            c += gi - ai
            w += abs(c)
        return float(kl_), float(jsd_), float(w * mp.mpf(h))


@pytest.mark.slow
@pytest.mark.parametrize("case", ["far", "near", "mixed", "empty-cells", "extreme"])
@pytest.mark.parametrize("mass_off", [0.0, 1e-9, 3e-8])
def test_a_glgd_record_from_its_state_is_kl_jsd_and_w1_to_a_few_ulps(case, mass_off):
    """A GLGD record computed from R, log1p R and p_r (one logarithm per cell, series near R = 1, W1's CDF in
    stretches side by side) equals the definitions in 40 digits: KL and JSD to 1e-14 relative, W1 to 1e-13
    relative plus the rounding of the masses' normalization (8 eps per unit of the grid's length: the measured
    error is below 1e-16 absolute). Cells far from R = 1 and near it, empty cells (R = 0), ratios from 1e-200 to
    1e250, p_g's mass off by up to 3e-8 (the exact and the approximate mass correction), several blocks and a
    remainder. A state whose L is not log1p(R), or the wrong mass of p_r, is seen."""
    kernels = pytest.importorskip("gantheory.engine._compiled")
    rng = np.random.default_rng(5)
    n, h = 1003, 0.01
    pr = rng.uniform(0.1, 2.0, n)
    pr /= pr.sum() * h
    R = {"far": np.exp(rng.uniform(-5.0, 5.0, n)),
         "near": 1 + 1e-7 * rng.standard_normal(n),
         "mixed": np.where(rng.random(n) < 0.5, 1 + 0.05 * rng.standard_normal(n), rng.uniform(0.0, 4.0, n)),
         "empty-cells": np.where(rng.random(n) < 0.3, 0.0, rng.uniform(0.5, 2.0, n)),
         "extreme": np.where(rng.random(n) < 0.01, 1e250, 1e-200)}[case]
    R = R / (np.sum(R * pr) * h) * (1 + mass_off)
    L = np.log1p(R)
    mass, top, k, j, w = kernels.glgd_record(R, L, pr, float(pr.sum()), h, True, True, True, block=64)
    kl_, jsd_, w1_ = _record_reference(R, pr, h)
    assert k == pytest.approx(kl_, rel=1e-14) and j == pytest.approx(jsd_, rel=1e-14)
    assert abs(w - w1_) <= 1e-13 * w1_ + 8 * np.finfo(float).eps * n * h
    assert mass == pytest.approx(float(np.sum(R * pr)), rel=1e-15) and top == float(np.max(R * pr))
    assert kernels.glgd_record(R, L, pr, float(pr.sum()), h, False, False, False, block=64)[2:] == (None,) * 3
    # twins: a state whose L belongs to another R, and a wrong sum of p_r, change the answer beyond the tolerance
    wrong = kernels.glgd_record(R, np.log1p(R * (1 + 1e-6)), pr, float(pr.sum()), h, True, True, True, block=64)
    if case != "near":  # near R = 1 every cell takes the series, which does not read L
        assert wrong[3] != pytest.approx(jsd_, rel=1e-9)
    off = kernels.glgd_record(R, L, pr, float(pr.sum()) * (1 + 1e-6), h, True, True, True, block=64)
    assert off[2] != pytest.approx(kl_, rel=1e-9) or off[4] != pytest.approx(w1_, rel=1e-9)


def test_a_glgd_record_where_a_block_sits_at_r_equal_1_exactly():
    """A block whose cells near R = 1 are all at R = 1 exactly (r = 0; here after a block whose far cell made the
    series overflow, and with the masses equal to the last bit) takes the series, which must be evaluated there:
    KL and JSD are the 40-digit definitions, not NaN from the buffer's earlier contents; and p_g = p_r exactly
    gives 0, 0, 0."""
    kernels = pytest.importorskip("gantheory.engine._compiled")
    pr = np.array([1.0, 2.0**-100, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    R = np.array([1.03125, 2.0**100, 0.5, 0.46875, 1.0, 1.0, 1.0, 1.0])  # sum R p_r = sum p_r = 7 exactly
    _, _, k, j, w = kernels.glgd_record(R, np.log1p(R), pr, float(np.sum(pr)), 0.1, True, True, True, block=4)
    kl_, jsd_, w1_ = _record_reference(R, pr, 0.1)
    assert k == pytest.approx(kl_, rel=1e-14) and j == pytest.approx(jsd_, rel=1e-14)
    assert w == pytest.approx(w1_, rel=1e-13)
    one = np.ones(64)
    assert kernels.glgd_record(one, np.log1p(one), one, 64.0, 0.1, True, True, True, block=16)[2:] == (0.0, 0.0, 0.0)


def test_a_glgd_record_refuses_a_state_that_is_not_a_ratio():
    """NaN, an infinity, a negative cell, or a mass of p_g more than 1e-4 from p_r's: None (the run then records
    from p_g itself, whose validation names the problem)."""
    kernels = pytest.importorskip("gantheory.engine._compiled")
    pr = np.full(100, 1.0)
    for bad in (np.nan, np.inf, -0.5):
        R = np.ones(100)
        R[37] = bad
        assert kernels.glgd_record(R, np.log1p(np.abs(R)), pr, 100.0, 0.01, True, True, True) is None
    R = np.full(100, 1.001)
    assert kernels.glgd_record(R, np.log1p(R), pr, 100.0, 0.01, True, True, True) is None


@pytest.mark.parametrize("method", ["projected", "mirror"])
def test_glgd_records_from_the_state_agree_with_the_public_functions(method, monkeypatch):
    """With Numba, from COMPILED_MIN_CELLS cells, a GLGD run records from its state; the records agree with those
    made from p_g by kl, jsd and wasserstein1 (GANTHEORY_COMPILED=0) to 1e-12 and the rounding of p_g's
    normalization (which the records from p_g carry; the state's are exact to ulps, above), also for a point mass p_g0
    (empty cells, which the mirror step keeps empty) and to convergence, where every cell is near R = 1."""
    from gantheory.engine import gaussian_mixture, glgd, point_mass
    from gantheory.engine._backend import COMPILED_MIN_CELLS, compiled

    if compiled() is None:
        pytest.skip("needs Numba")
    kernels, made = compiled(), []
    record = kernels.glgd_record
    monkeypatch.setattr(kernels, "glgd_record", lambda *a, **k: made.append(record(*a, **k)) or made[-1])
    g = Grid.uniform(-4.0, 4.0, COMPILED_MIN_CELLS + 7)
    p_r = gaussian_mixture(g, [-2.0, 2.0], 0.5) * 0.98 + 0.02 / 8.0
    for p_g0 in (gaussian_mixture(g, [0.0], 1.0), g.normalize(point_mass(g, [0.3]) + g.normalize(p_r))):
        runs = {}
        for flag in ("1", "0"):
            monkeypatch.setenv("GANTHEORY_COMPILED", flag)
            made.clear()
            runs[flag] = glgd(p_r, p_g0, g, steps=60, record_every=20, method=method)
            taken = len(runs[flag].history) if flag == "1" else 0  # every record from the state, or none
            assert len(made) == taken and all(m is not None for m in made)
        assert [sorted(h) for h in runs["1"].history] == [sorted(h) for h in runs["0"].history]
        for a, b in zip(runs["1"].history, runs["0"].history):
            for key in ("expected_R", "max_cell_mass"):
                assert a[key] == pytest.approx(b[key], rel=1e-12), key
            for key in ("kl", "jsd"):  # near convergence kl and jsd on p_g carry p_g's normalization: each r = p_g
                # / p_r - 1 off by an ulp moves sum a r^2 / 2 by up to eps sum a |r| <= eps sqrt(2 KL)
                assert abs(a[key] - b[key]) <= 1e-12 * b[key] + 4 * np.finfo(float).eps * math.sqrt(8 * b[key]), key
            assert abs(a["w1"] - b["w1"]) <= 1e-12 * b["w1"] + 8 * np.finfo(float).eps * 8.0
        assert list(runs["1"].history[0]) == ["step", "objective", "kl", "jsd", "w1", "expected_R", "max_cell_mass"]


@pytest.mark.parametrize("bad", [np.nan, -np.nan, np.inf, -np.inf, -1e-300, -0.0, 2.0])
def test_a_large_density_is_validated_in_one_pass_with_the_same_verdicts(bad, monkeypatch):
    """From COMPILED_MIN_CELLS cells a float64 density is summed and ranged in one compiled pass (integer
    reductions over the bit patterns): the same error as the NumPy reductions for NaN (either sign), infinities,
    a negative value, -0.0 (accepted: it is zero) and a wrong mass; and min and max are the values themselves."""
    from gantheory.engine._backend import COMPILED_MIN_CELLS, compiled
    from gantheory.engine._grid import _checked_density, check_density

    if compiled() is None:
        pytest.skip("needs Numba")
    g = Grid.uniform(0.0, 1.0, COMPILED_MIN_CELLS + 3)
    p = g.normalize(np.random.default_rng(2).uniform(0.5, 1.5, g.shape[0]))
    _, low, high = _checked_density(p, g, "p_x")
    assert (low, high) == (float(p.min()), float(p.max()))
    p[77] = bad
    if bad == 0.0:
        p *= 1.0 / (p.sum() * g.cell_volume)  # keeps the sign of -0.0
        assert math.copysign(1.0, p[77]) == -1.0
    outcomes = []
    for flag in ("1", "0"):
        monkeypatch.setenv("GANTHEORY_COMPILED", flag)
        try:
            outcomes.append(check_density(p, g, "p_x") is p)
        except ValueError as e:
            outcomes.append(str(e))
    assert outcomes[0] == outcomes[1]
    assert (outcomes[0] is True) == (bad == 0.0)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 300), block=st.sampled_from([1, 2, 3, 7, 64, 4096]),
       near=st.floats(0.0, 1.0), spread=st.floats(1e-9, 30.0), empty=st.floats(0.0, 0.5),
       mass_off=st.sampled_from([0.0, 1e-12, 1e-9, 5e-8]))
def test_a_glgd_record_is_the_definitions_on_any_state(seed, n, block, near, spread, empty, mass_off):
    """The record kernel against the definitions in 40 digits on random states: any length (a single cell, fewer
    cells than W1's four stretches), any block size, cells near R = 1 (series) and far from it (log), empty cells,
    ratios spread over 2 * 30 orders of magnitude, p_g's mass off by up to 5e-8."""
    kernels = pytest.importorskip("gantheory.engine._compiled")
    rng = np.random.default_rng(seed)
    h = 0.01
    pr = rng.uniform(0.1, 2.0, n)
    pr /= pr.sum() * h
    R = np.where(rng.random(n) < near, 1 + min(spread, 0.3) * rng.uniform(-1, 1, n) * 1e-3,
                 np.exp(rng.uniform(-spread, spread, n)))
    R = np.where(rng.random(n) < empty, 0.0, R)
    if not R.any():
        R[0] = 1.0
    R = R / (np.sum(R * pr) * h) * (1 + mass_off)
    mass, top, k, j, w = kernels.glgd_record(R, np.log1p(R), pr, float(pr.sum()), h, True, True, True, block=block)
    kl_, jsd_, w1_ = _record_reference(R, pr, h)
    eps = np.finfo(float).eps
    for got, ref in ((k, kl_), (j, jsd_)):  # the mass of p_g is a rounded sum: rho - 1 is off by about eps, which
        # moves a divergence near 0 by up to eps sqrt(2 D) + eps^2 (a single cell: D = 0 exactly, ours ~ eps^2)
        assert abs(got - ref) <= 1e-13 * ref + 4 * eps * math.sqrt(8 * ref) + 4 * eps**2, (got, ref)
    assert abs(w - w1_) <= 1e-13 * w1_ + 8 * np.finfo(float).eps * n * h, (w, w1_)
    assert top == float(np.max(R * pr)) and mass == pytest.approx(float(np.sum(R * pr)), rel=1e-14)


def test_the_step_bound_skips_empty_cells_without_a_warning():
    """Empty cells (R = 0, L = 0, which only grow) do not bound the step: the NumPy bound and the compiled one are
    the largest (L - c) u / R over the other cells, with no division by zero (c = 0 included, where 0 / 0 would
    be NaN), and a p_g0 whose ratio overflows is refused with its message, not a RuntimeWarning first."""
    import warnings

    from gantheory.engine._algorithms import _step_bound

    R = np.array([0.0, 0.5, 2.0, 0.0])
    L = np.log1p(R)
    u = np.array([1.0, 0.25, 1.0, 0.5])
    live = R > 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for c in (0.0, 0.3):
            assert _step_bound(np, R, L, u, c) == float(np.max(((L - c) * u)[live] / R[live]))
        kernels = pytest.importorskip("gantheory.engine._compiled")
        q = np.empty(4)
        kernels._bound_block(R, L, u, 1.0, 0.3, q)
        assert float(q.max()) == _step_bound(np, R, L, u, 0.3) and q[0] == -np.inf
        g = Grid.uniform(-1.0, 1.0, 2)
        with pytest.raises(ValueError, match="likelihood ratio R = p_g0 / p_r overflows"):
            glgd(np.array([1.0, 5e-324]) / 1.0, np.array([0.0, 1.0]), g, steps=1)


def test_warm_compiled_does_nothing_where_the_kernels_are_off(monkeypatch):
    from gantheory.engine._backend import warm_compiled

    monkeypatch.setenv("GANTHEORY_COMPILED", "0")
    assert warm_compiled() is False


@pytest.mark.slow
def test_warm_compiled_caches_every_kernel(tmp_path):
    """From an empty Numba cache, warm_compiled leaves a cached index for every compiled function of the
    engine (what the test suite's background warm-up relies on: a worker then compiles nothing)."""
    pytest.importorskip("numba")
    import ast
    import os
    import pathlib
    import subprocess
    import sys

    import gantheory

    root = pathlib.Path(gantheory.__file__).parent
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path), "GANTHEORY_COMPILED": "1"}
    r = subprocess.run([sys.executable, "-c", "from gantheory.engine._backend import warm_compiled; "
                        "print(warm_compiled())"], capture_output=True, text=True, env=env, timeout=600,
                       cwd=root.parent)
    assert r.returncode == 0 and r.stdout.strip() == "True", r.stderr[-2000:]
    cached = {p.name.split("-")[0] for p in tmp_path.rglob("*.nbi")}
    kernels = set()
    for module in ("_compiled", "_flow"):
        tree = ast.parse((root / "engine" / f"{module}.py").read_text())
        kernels |= {f"{module}.{f.name}" for f in tree.body if isinstance(f, ast.FunctionDef)
                    and any("numba.njit" in ast.unparse(d) for d in f.decorator_list)}
    assert len(kernels) >= 30 and kernels <= cached, sorted(kernels - cached)


def test_a_kernel_patched_on_the_warm_up_stand_in_is_patched_on_the_module(tmp_path, monkeypatch):
    """A worker whose first use of the kernels comes while the background warm-up runs gets a stand-in from
    compiled() (conftest). A test that patched a kernel on it (monkeypatch.setattr(compiled(), ...)) patched the
    stand-in, lost once compiled() returned the module: test_glgd_records_from_the_state... failed when it came
    first. The stand-in now patches, and restores, the module itself."""
    import os

    import conftest

    from gantheory.engine import _backend

    if _backend.compiled() is None:
        pytest.skip("needs Numba")
    from gantheory.engine import _compiled

    (tmp_path / "kernels.background").write_text(str(os.getpid()))
    (tmp_path / "kernels.done").write_text("")
    monkeypatch.setattr(_backend, "_COMPILED", [])
    conftest._kernels_after_warm_up(tmp_path)
    stand_in = _backend.compiled()
    assert type(stand_in).__name__ == "_AfterWarmUp"
    real = _compiled.glgd_record
    with monkeypatch.context() as m:
        m.setattr(stand_in, "glgd_record", "patched")
        assert _backend.compiled() is _compiled and _compiled.glgd_record == "patched"
    assert _compiled.glgd_record is real
