"""The verifiers behind the general statements of issue #28, on known answers outside the registry: each
decides a true statement and refutes a perturbed one, with a counterexample that is checked here."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from gantheory.symbolic import _atoms as A
from gantheory.verify import games as VG
from gantheory.verify import general as V
from gantheory.verify import wasserstein as VW

x = sp.Symbol("x", real=True)


@pytest.mark.parametrize("h, interval, status", [
    (sp.log(1 + sp.exp(x)), sp.Reals, "proved"),          # flat tails: float second differences are 0 there
    (x**4, sp.Interval(-1, 1), "proved"),                 # strictly convex though h''(0) = 0: an isolated zero
    (sp.Abs(x), sp.Interval(-1, 1), "refuted"),           # linear pieces: the 60-digit recheck confirms
    (sp.cosh(x) - x**2 / 3, sp.Interval(-2, 2), "proved"),  # h'' = cosh x - 2/3 > 0: certified by intervals
    (sp.cosh(x) - x**2, sp.Interval(-2, 2), "refuted"),   # h'' = cosh x - 2 < 0 near 0
])
def test_strict_convexity_sees_flat_tails_and_linear_pieces(h, interval, status):
    assert V.strict_convexity(A.StrictlyConvex(h, x, interval)).status == status


def test_bayes_posterior_needs_equal_priors():
    pi = sp.Symbol("pi_r", positive=True)
    assert V.posterior(sp.Eq(A.Posterior(sp.Rational(1, 2), A.p_r, A.p_R), 1 / (1 + A.R))).status == "proved"
    ev = V.posterior(sp.Eq(A.Posterior(pi, A.p_r, A.p_R), 1 / (1 + A.R)))
    assert ev.status == "refuted"
    prior, R = sp.Rational(ev.counterexample["pi_r"]), sp.Rational(ev.counterexample["R"])
    assert prior != sp.Rational(1, 2)
    assert sp.Rational(ev.counterexample["bayes"]) == prior / (prior + (1 - prior) * R)  # Bayes' rule, by hand


def test_pushforward_needs_the_push_forward():
    D = sp.Function("D")
    h = sp.Lambda(x, sp.log(1 - D(x)))
    push, latent = sp.Symbol("pushforward"), sp.Symbol("latent")
    assert V.pushforward(sp.Eq(A.Ez(h), A.Ex(h, push))).status == "proved"
    ev = V.pushforward(sp.Eq(A.Ez(h), A.Ex(h, latent)))
    assert ev.status == "refuted" and ev.counterexample["lhs"] != pytest.approx(ev.counterexample["rhs"])


def test_manifold_limits_and_gradients():
    th = sp.Symbol("theta", real=True)
    W1, JS = A.ManifoldDivergence(sp.Symbol("W1"), th), A.ManifoldDivergence(sp.Symbol("JS"), th)
    assert VW.manifold_calculus(sp.Eq(sp.Limit(W1, th, 0, "+-"), 0)).status == "proved"
    assert VW.manifold_calculus(sp.Eq(sp.Limit(JS, th, 0, "+"), sp.log(2))).status == "proved"
    assert VW.manifold_calculus(sp.Eq(sp.Limit(JS, th, 0, "+-"), 0)).status == "refuted"
    assert VW.manifold_calculus(sp.Eq(sp.Derivative(W1, th), sp.sign(th))).status == "proved"
    assert VW.manifold_calculus(sp.Eq(sp.Derivative(W1, th), 1)).status == "refuted"  # -1 for theta < 0


def test_iteration_rate_of_a_diagonalizable_map_needs_no_eps():
    """F(x, y) = (x/2 + y^2, y/3): F'(0) = diag(1/2, 1/3) is diagonalizable, so O((1/2)^t) holds without
    eps, and a faster rate 2/5 does not."""
    y = sp.Symbol("y", real=True)
    F = sp.ImmutableMatrix([x / 2 + y**2, y / 3])
    near = sp.Symbol("near")
    ok = VG.iteration_rate(sp.Eq(A.IterationRate(F, sp.Tuple(x, y), sp.Tuple(0, 0), sp.Rational(1, 2), near),
                                 sp.true, evaluate=False))
    assert ok.status == "checked"
    fast = VG.iteration_rate(sp.Eq(A.IterationRate(F, sp.Tuple(x, y), sp.Tuple(0, 0), sp.Rational(2, 5), near),
                                   sp.true, evaluate=False))
    assert fast.status == "refuted"
    not_fixed = VG.iteration_rate(sp.Eq(A.IterationRate(F, sp.Tuple(x, y), sp.Tuple(1, 0), sp.Rational(1, 2),
                                                        near), sp.true, evaluate=False))
    assert not_fixed.status == "refuted"  # (1, 0) is not a fixed point


def test_glgd_step_bound_is_where_positivity_is_lost():
    """The verifier's largest step keeping R > 0 is recomputed here from the slide's formulas in floats, and
    steps just below and above it land on each side of Omega_g."""
    p = np.array([0.5, 0.25, 0.25])
    R = np.array([0.2, 1.8, 1.8])
    d = p * np.log1p(R)                       # p_r d/dR [-R log f] at f = 1/(1 + R)
    Pd = d - (p @ d) / (p @ p) * p
    bound = min(R[Pd > 0] / Pd[Pd > 0])
    P3 = sp.Tuple(*(sp.Rational(1, 2), sp.Rational(1, 4), sp.Rational(1, 4)))
    R3 = sp.Tuple(sp.Rational(1, 5), sp.Rational(9, 5), sp.Rational(9, 5))
    below, above = sp.Rational(str(round(bound * 0.99, 6))), sp.Rational(str(round(bound * 1.01, 6)))
    inside = sp.Eq(A.GLGDStepInOmega(P3, R3, below), sp.true, evaluate=False)
    outside = sp.Eq(A.GLGDStepInOmega(P3, R3, above), sp.false, evaluate=False)
    assert V.glgd_step_membership(inside).status == "checked"
    assert V.glgd_step_membership(outside).status == "checked"
    wrong = V.glgd_step_membership(sp.Eq(A.GLGDStepInOmega(P3, R3, above), sp.true, evaluate=False))
    assert wrong.status == "refuted"
    assert wrong.counterexample["largest alpha keeping R > 0"] == pytest.approx(bound, rel=1e-12)
    assert wrong.counterexample["E[new R]"] == pytest.approx(1.0, abs=1e-15)
    with pytest.raises(ValueError, match="not in Omega_g"):
        V.glgd_step_membership(sp.Eq(A.GLGDStepInOmega(P3, sp.Tuple(1, 1, 2), 1), sp.true, evaluate=False))


@pytest.mark.slow
def test_parametric_gradient_separates_the_two_generator_losses():
    """Along the softmax family, the saturating generator follows 2 JSD and the non-saturating one KL - 2 JSD;
    swapping them is refuted with a point of the family."""
    D = sp.Symbol("D", positive=True)
    sat = A.GeneratorGrad(sp.Lambda(D, sp.log(1 - D)), sp.true)
    nonsat = A.GeneratorGrad(sp.Lambda(D, -sp.log(D)), sp.true)
    js2 = A.ParamGrad(2 * A.JSD(A.p_R, A.p_r))
    assert V.parametric_gradient(sp.Eq(sat, js2)).status == "proved"
    ev = V.parametric_gradient(sp.Eq(nonsat, js2))
    assert ev.status == "refuted"
    lhs, rhs = np.array(ev.counterexample["lhs"]), np.array(ev.counterexample["rhs"])
    assert abs(lhs.sum()) < 1e-12 and abs(rhs.sum()) < 1e-12  # softmax gradients: the directions sum to 0
    assert np.max(np.abs(lhs - rhs)) > 1e-3


def test_critic_loss_minimum_is_minus_w1_on_point_masses():
    """Two point masses at distance 1/2 on a grid: min over 1-Lipschitz f of E_g f - E_r f is -1/2."""
    from gantheory.engine import Grid
    from gantheory.verify.wasserstein import _kr_side

    g = Grid.uniform(0.0, 1.0, 40)
    a, b = np.zeros(40), np.zeros(40)
    a[10], b[30] = 1 / g.cell_volume, 1 / g.cell_volume
    dens = {A.p_r: a, A.p_R: b}
    value = _kr_side(A.CriticLossMin(A.p_r, A.p_R, 1), dens, g)
    assert value == pytest.approx(-(g.points[30] - g.points[10]), abs=1e-9)
    assert _kr_side(-A.W1(A.p_r, A.p_R), dens, g) == pytest.approx(value, abs=1e-9)
    assert math.isclose(g.points[30] - g.points[10], 0.5)


def test_image_over_an_interval():
    r = sp.Symbol("R", real=True)
    pos = sp.Interval.open(0, sp.oo)
    unit = sp.Interval.open(0, 1)
    assert V.image_over(sp.Eq(A.ImageOver(sp.Lambda(r, r / (1 + r)), pos), unit, evaluate=False)).status == "proved"
    assert V.image_over(sp.Eq(A.ImageOver(sp.Lambda(r, r**2), sp.Interval(1, 2)), sp.Interval(1, 4),
                              evaluate=False)).status == "proved"   # closed ends are attained
    assert V.image_over(sp.Eq(A.ImageOver(sp.Lambda(r, r**2), sp.Interval(1, 2)), sp.Interval.open(1, 4),
                              evaluate=False)).status == "refuted"
    ev = V.image_over(sp.Eq(A.ImageOver(sp.Lambda(r, 1 / r), sp.Reals), unit, evaluate=False))
    assert ev.status == "refuted" and ev.counterexample["x"] == "0"   # a pole inside the interval


def _minimizers(loss, xs, claimed):
    return V.minimizers(sp.Eq(A.Minimizers(loss, sp.Tuple(*xs)), claimed, evaluate=False))


def test_minimizers_of_random_convex_quadratics_agree_with_a_linear_solve():
    """The exact minimizer of 1/2 x'Qx - b'x + c (Q > 0 with rational entries) is Q^-1 b, computed here by
    NumPy; the verifier proves it and refutes the point shifted by one unit in each coordinate in turn."""
    rng = np.random.default_rng(5)
    xs = sp.symbols("y_1:4", real=True)
    for _ in range(4):
        M = rng.integers(-3, 4, size=(3, 3))
        Q = M @ M.T + np.eye(3, dtype=int)
        b = rng.integers(-5, 6, size=3)
        loss = sp.Rational(1, 2) * sum(int(Q[i, j]) * xs[i] * xs[j] for i in range(3) for j in range(3)) \
            - sum(int(b[i]) * xs[i] for i in range(3)) + 7
        star = np.linalg.solve(Q.astype(float), b.astype(float))
        exact = sp.Matrix(Q.tolist()).solve(sp.Matrix(b.tolist()))
        assert np.allclose([float(v) for v in exact], star, rtol=1e-12, atol=1e-12)
        assert _minimizers(loss, xs, sp.FiniteSet(sp.Tuple(*exact))).status == "proved"
        for k in range(3):
            moved = sp.Tuple(*[v + (1 if i == k else 0) for i, v in enumerate(exact)])
            ev = _minimizers(loss, xs, sp.FiniteSet(moved))
            assert ev.status == "refuted"
            # the loss at the claimed point exceeds the minimum by Q_kk / 2 (expanding around the minimizer)
            gap = sp.Rational(ev.counterexample["loss_at_claimed_point"]) - sp.Rational(ev.counterexample["minimum"])
            assert gap == sp.Rational(int(Q[k, k]), 2)


def test_minimizers_see_unbounded_losses_and_flat_directions():
    y, z = sp.symbols("y z", real=True)
    a = sp.Symbol("a", real=True)
    assert _minimizers(y**2 - z**2, (y, z), sp.S.EmptySet).status == "proved"         # a saddle: unbounded below
    ev = _minimizers(y**2 - z**2, (y, z), sp.FiniteSet(sp.Tuple(0, 0)))
    assert ev.status == "refuted" and "descent_direction" in ev.counterexample
    assert _minimizers(y**2 + z, (y, z), sp.S.EmptySet).status == "proved"            # no stationary point
    assert _minimizers(y**2 + z, (y, z), sp.FiniteSet(sp.Tuple(0, 0))).status == "refuted"
    # (y + z - a)^2: a line of minimizers; the point (a, 0) is one of them, but not the only one
    ev = _minimizers((y + z - a) ** 2, (y, z), sp.FiniteSet(sp.Tuple(a, 0)))
    assert ev.status == "refuted" and ev.counterexample["free_directions"] == 1
    assert ev.counterexample["minimum"] == "0" and ev.counterexample["loss_at_claimed_point"] == "0"
    with pytest.raises(ValueError, match="degree"):
        _minimizers(y**4 + z**2, (y, z), sp.FiniteSet(sp.Tuple(0, 0)))


def test_the_printed_wgan_qc_loss_misses_the_potentials_when_m_differs_from_n():
    """Independently of the verifier: at D = H* the printed loss is 1/2 ((1/m - 1/n) sum_j H_j)^2 > 0 while a
    point matching only the mean has loss 0."""
    from gantheory.topics.wasserstein import _qc_critic_loss, qc_d, qc_e, qc_hx, qc_hy

    loss = _qc_critic_loss(printed=True)
    vals = {qc_hy[0]: 3, qc_hy[1]: 1, qc_hx[0]: 2, qc_hx[1]: -1, qc_hx[2]: 5}
    at_h = {qc_d[0]: 3, qc_d[1]: 1, qc_e[0]: 2, qc_e[1]: -1, qc_e[2]: 5}
    assert loss.subs(vals).subs(at_h) == sp.Rational(1, 2) * (sp.Rational(1, 2) - sp.Rational(1, 3)) ** 2 * 16
    mean_only = {**at_h, qc_d[0]: sp.Rational(4, 3), qc_d[1]: sp.Rational(4, 3)}  # (1/2) sum d = (1/3) sum H_y
    assert loss.subs(vals).subs(mean_only) == 0


def test_algorithm_one_quadrature_and_inner_loop_against_closed_forms():
    """The functional J is computed by quadrature: KL between Gaussians has a closed form; the inner loop's
    discriminator reaches D* = p_data / (p_data + p_g), whose logit here is quadratic with known coefficients."""
    from gantheory.verify.general import _family_functional, _inner_loop

    for mu, log_s in [(0.0, 0.0), (0.5, -0.3)]:
        s = math.exp(log_s)
        closed = math.log(0.7 / s) + (s * s + (mu - 1) ** 2) / (2 * 0.49) - 0.5
        assert _family_functional(A.KL(A.p_g, A.p_data), mu, log_s) == pytest.approx(closed, rel=1e-12)
    (w, _), steps = _inner_loop("gan", sp.oo, 0.5)
    logit = [-0.5 * math.log(0.49) - 1 / 0.98, 1 / 0.49, 0.5 - 1 / 0.98]  # log N(x; 1, 0.49) - log N(x; 0, 1)
    assert np.allclose(w, logit, atol=1e-9) and steps > 100
    with pytest.raises(ValueError, match="k must be"):
        V.algorithm_one(sp.Eq(A.AlgorithmOneStep(sp.Symbol("gan"), 0, sp.Rational(1, 2)),
                              A.FamilyGrad(2 * A.JSD(A.p_data, A.p_g)), evaluate=False))
    ev = V.algorithm_one(sp.Eq(A.AlgorithmOneStep(sp.Symbol("gan"), 3, sp.Rational(1, 2)),
                               A.FamilyGrad(2 * A.JSD(A.p_data, A.p_g)), evaluate=False))
    assert ev.status == "refuted" and ev.counterexample["inner_steps"] == 3
    assert ev.counterexample["max_abs_D_minus_Dstar"] > 0.5
