"""Property-based checks tying numerics to theory, at least one per source document.

Each test's docstring states the property. Profiles: ``ci`` (default, deterministic) and
``thorough`` (GANTHEORY_HYPOTHESIS_PROFILE=thorough).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import minimize

from gantheory.testing import (
    assert_close,
    dirac_parameters,
    distributions,
    fgan_generators,
    likelihood_ratios,
    positive_distribution_pairs,
    stable_eigenvalues,
    step_sizes,
)
from gantheory.verify.general import project

# -- seed 000 ---------------------------------------------------------------------------------------

@given(p=distributions(), data=st.data())
def test_bayes_discriminator_beats_every_perturbation(p, data):
    """Seed 000: f* = 1/(1+R) minimizes d(R, f) = E[-log f] + E[-R log(1-f)] over f in (0, 1)."""
    R = data.draw(likelihood_ratios(p))
    f_star = 1 / (1 + R)
    eps = np.asarray(data.draw(st.lists(st.floats(-0.3, 0.3), min_size=p.size, max_size=p.size)))
    f = np.clip(f_star + eps * f_star * (1 - f_star), 1e-9, 1 - 1e-9)

    def d(ff):
        return float(np.sum(p * (-np.log(ff) - R * np.log1p(-ff))))

    assert d(f_star) <= d(f) + 1e-12


@given(p=distributions(), data=st.data())
def test_c_of_r_is_minimal_only_at_r_equal_one(p, data):
    """Seed 000: C(R) = E[(1+R) log(1+R)] >= C(1) = 2 log 2 on Omega_g, with equality only at R = 1."""
    R = data.draw(likelihood_ratios(p))
    C = float(np.sum(p * (1 + R) * np.log1p(R)))
    assert C >= 2 * math.log(2) - 1e-12
    if np.max(np.abs(R - 1)) > 1e-3:
        assert C > 2 * math.log(2)


@given(p=distributions(), d=st.lists(st.floats(-5, 5), min_size=8, max_size=8),
       e=st.lists(st.floats(-5, 5), min_size=8, max_size=8))
def test_projection_is_an_orthogonal_projection_onto_the_tangent_space(p, d, e):
    """Seed 000: P_o is idempotent, self-adjoint, and E[(P_o d)(Y)] = 0."""
    n = p.size
    d, e = np.asarray(d[:n]), np.asarray(e[:n])
    Pd = project(d, p)
    assert_close(project(Pd, p), Pd, atol=1e-12)
    assert abs(np.dot(Pd, e) - np.dot(d, project(e, p))) <= 1e-9 * (1 + np.abs(d).sum() * np.abs(e).sum())
    assert abs(np.sum(p * Pd)) <= 1e-12 * (1 + np.abs(d).sum())


@given(pair=positive_distribution_pairs())
def test_corrected_identities_hold_and_printed_ones_do_not(pair):
    """Seed 000 (A Useful Relationships): 2 KL(pbar||p2) = KL(p1||p2) - 2 JSD holds; the printed version
    without the 2 fails whenever p1 != p2; 2 KL((p_R+p_r)/2||p_r) = E[(1+R)log(1+R)] - 2 log 2."""
    p2, p1 = pair
    m = (p1 + p2) / 2
    kl = lambda a, b: float(np.sum(a * np.log(a / b)))  # noqa: E731
    jsd = 0.5 * kl(p1, m) + 0.5 * kl(p2, m)
    assert 2 * kl(m, p2) == pytest.approx(kl(p1, p2) - 2 * jsd, rel=1e-9, abs=1e-12)
    if np.max(np.abs(p1 - p2)) > 1e-3:
        assert kl(m, p2) != pytest.approx(kl(p1, p2) - 2 * jsd, rel=1e-6, abs=1e-9)
    R = p1 / p2
    assert 2 * kl(m, p2) == pytest.approx(np.sum(p2 * (1 + R) * np.log1p(R)) - 2 * math.log(2), rel=1e-9, abs=1e-12)


# -- seed 001 ---------------------------------------------------------------------------------------

@given(seed=st.integers(0, 10_000), C=st.floats(0.2, 3.0))
def test_dual_objective_is_a_lower_bound_everywhere(seed, C):
    """Seed 001: weak duality -- g(theta, lambda) <= min_w f(theta, w) for every lambda in [0, 1/(2n)]^2n."""
    rng = np.random.default_rng(seed)
    n, d = 3, 2
    X, Y = rng.normal(size=(n, d)), rng.normal(size=(n, d))
    lx, lz = rng.uniform(1e-6, 1 / (2 * n) - 1e-6, n), rng.uniform(1e-6, 1 / (2 * n) - 1e-6, n)
    H = lambda q: -(q * np.log(q) + (1 - q) * np.log1p(-q))  # noqa: E731
    m = lx @ X - lz @ Y
    g = -m @ m / (2 * C) + np.sum(H(2 * n * lx)) / (2 * n) + np.sum(H(2 * n * lz)) / (2 * n)
    f = lambda w: C / 2 * w @ w + np.sum(np.logaddexp(0, -X @ w)) / (2 * n) + np.sum(np.logaddexp(0, Y @ w)) / (2 * n)  # noqa: E731
    assert g <= minimize(f, np.zeros(d), method="BFGS").fun + 1e-9


# -- seed 002 ---------------------------------------------------------------------------------------

@pytest.mark.slow
@given(params=dirac_parameters(), h=st.floats(0.02, 0.3))
def test_regularized_dirac_gan_is_locally_convergent_for_small_steps(params, h):
    """Seed 002 / Mescheder 2018: with instance noise (f''(0) < 0), R1 or consensus the field's
    eigenvalues have negative real parts, so for h below Lemma 8's bound the update contracts."""
    from gantheory.engine._dynamics import linearization

    loss, reg, gamma, sigma = params
    lin = linearization("dirac", loss, reg, "simgd", h, gamma=gamma, sigma=sigma)
    lam = lin["field_eigenvalues"]
    assert np.all(lam.real < 0)
    bound = min(2 * abs(z.real) / abs(z) ** 2 for z in lam)
    assert (lin["spectral_radius"] < 1) == (h < bound)


# -- seed 003 ---------------------------------------------------------------------------------------

@given(pair=positive_distribution_pairs(), row=fgan_generators())
def test_fgan_variational_bound_holds_and_is_attained(pair, row):
    """Seed 003: D_f(P||Q) >= E_P[T] - E_Q[f*(T)] for every T with values in dom f*, with equality at
    T* = f'(p/q) -- on random discrete distributions, for every row of the table."""
    import sympy as sp

    from gantheory.symbolic._fgan import t, u

    if row.f.has(sp.Abs):
        return  # total variation: f not differentiable at 1 (T* is a subgradient)
    q, p = pair
    mods = ["numpy", {"LambertW": lambda x: np.real(__import__("scipy.special").special.lambertw(x))}]
    f = sp.lambdify(u, row.f, mods)
    fp = sp.lambdify(u, sp.diff(row.f, u), mods)
    conj = sp.lambdify(t, row.conjugate_fix if row.conjugate_fix is not None else row.conjugate, mods)
    D = float(np.sum(q * f(p / q)))
    T = fp(p / q) * np.ones_like(p)
    assert float(np.sum(p * T) - np.sum(q * np.real(conj(T)))) == pytest.approx(D, rel=1e-8, abs=1e-10)
    T2 = T - 0.05 * np.abs(T) - 0.01  # another critic, still inside dom f* (which is open to the right)
    with np.errstate(all="ignore"):
        other = float(np.sum(p * T2) - np.sum(q * np.real(conj(T2))))
    assert not other > D + 1e-10


@given(pair=positive_distribution_pairs())
def test_kl_nonnegative_jsd_bounded_and_cg_minimum(pair):
    """Seed 003: KL >= 0, 0 <= JSD <= log 2, and C(G) = -log 4 + 2 JSD >= -log 4."""
    from scipy.spatial.distance import jensenshannon
    from scipy.special import rel_entr

    from gantheory.engine import Grid, jsd, kl

    p, q = pair
    g = Grid.uniform(0.0, float(p.size), p.size)  # unit cells: densities = masses
    # against SciPy, then the bounds (no clamp in the package: they are properties of the numbers)
    assert kl(p, q, g) == pytest.approx(float(np.sum(rel_entr(p, q))), rel=1e-10, abs=1e-15)
    assert kl(p, q, g) >= 0.0
    js = jsd(p, q, g)
    assert js == pytest.approx(float(jensenshannon(p, q)) ** 2, rel=1e-8, abs=1e-14)
    assert 0.0 <= js <= math.log(2) * (1 + 1e-15)
    D = p / (p + q)
    C = float(np.sum(p * np.log(D) + q * np.log1p(-D)))
    assert C == pytest.approx(-math.log(4) + 2 * js, rel=1e-9, abs=1e-12)


# -- seed 004 ---------------------------------------------------------------------------------------

@given(data=st.data(), lam=stable_eigenvalues())
def test_lemma8_inside_and_outside(data, lam):
    """Seed 004, Lemma 8: |1 + h lambda| < 1 for h just inside the bound, > 1 just outside."""
    h_in = data.draw(step_sizes(lam, inside=True))
    h_out = data.draw(step_sizes(lam, inside=False))
    assert abs(1 + h_in * lam) < 1 < abs(1 + h_out * lam)
