"""``gantheory train``: Goodfellow's Algorithm 1 on a parametric GAN, held against the theory.

Known answers, each able to fail: with the generator frozen and many discriminator steps the learned
logistic-quadratic discriminator reaches the closed-form optimum (its coefficients are derived here,
independently, from log p_data - log p_g with SymPy) and a wrong-sign ascent does not; V(D, G) never
exceeds its maximum over D, -log 4 + 2 JSD, and meets it at D*; the non-saturating generator finds the data
where the saturating one, started far away, stalls (the reason Goodfellow et al. give for the trick).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import sympy as sp
from _cli import run_cli

from gantheory.engine._training import TrainingGAN, goodfellow

ONE = TrainingGAN(means=(1.0,), stds=(0.7,), weights=(1.0,))


def _optimal_w(m: float, s: float, mu: float, sigma: float) -> np.ndarray:
    """The score w0 + w1 x + w2 x^2 = log p_data(x) - log p_g(x) for two Gaussians: D* = sigmoid(score)."""
    x = sp.Symbol("x", real=True)
    log_n = lambda c, d: -((x - c) ** 2) / (2 * d**2) - sp.log(d) - sp.log(2 * sp.pi) / 2  # noqa: E731
    poly = sp.Poly(sp.expand(log_n(sp.nsimplify(m), sp.nsimplify(s)) - log_n(sp.nsimplify(mu), sp.nsimplify(sigma))),
                   x)
    return np.array([float(poly.coeff_monomial(x**k)) for k in range(3)])


@pytest.mark.slow
def test_many_discriminator_steps_reach_the_optimal_discriminator_and_a_wrong_sign_does_not():
    run = goodfellow(ONE, steps=1, k=3000, m=256, lr_d=0.1, lr_g=0.0, record_every=1, seed=3)
    w_star = _optimal_w(1.0, 0.7, 0.0, 1.0)
    assert np.allclose(run.w, w_star, atol=0.08), (run.w, w_star)  # SGD noise at m = 256, 3000 steps
    last = run.history[-1]
    assert last["d_gap"] < 0.01 < run.history[0]["d_gap"]
    # at D* the value is its maximum over D: V = -log 4 + 2 JSD (to the SGD error on w)
    assert last["value"] == pytest.approx(last["value_at_optimal_d"], abs=2e-3)
    wrong = goodfellow(ONE, steps=1, k=3000, m=256, lr_d=0.1, lr_g=0.0, record_every=1, seed=3, _d_sign=-1.0)
    assert wrong.history[-1]["d_gap"] > 0.4


def test_the_value_never_exceeds_its_maximum_over_d():
    """V(D_w, G) <= -log 4 + 2 JSD(p_data || p_g) at every record of a training run (Prop. 1: D* maximizes V),
    on unimodal and bimodal data; quadrature on the grid is accurate far below the 1e-6 allowed."""
    for gan in (ONE, TrainingGAN()):
        run = goodfellow(gan, steps=300, seed=1)
        excess = [h["value"] - h["value_at_optimal_d"] for h in run.history]
        assert max(excess) <= 1e-6, max(excess)


@pytest.mark.slow
def test_nonsaturating_training_finds_the_data_where_the_saturating_loss_stalls():
    far = dict(steps=1500, theta0=(-4.0, 0.0), seed=2, k=5)
    ns = goodfellow(ONE, loss="nonsaturating", **far)
    sat = goodfellow(ONE, loss="saturating", **far)
    assert ns.history[-1]["jsd"] < 0.01 and abs(ns.history[-1]["mu"] - 1.0) < 0.2
    assert abs(ns.history[-1]["sigma"] - 0.7) < 0.2
    assert sat.history[-1]["jsd"] > 10 * ns.history[-1]["jsd"]


def test_bad_arguments_are_refused_with_their_name():
    for kw, name in (({"steps": 0}, "steps"), ({"k": 1.5}, "k"), ({"m": True}, "m"), ({"lr_d": -1.0}, "lr_d"),
                     ({"lr_g": math.nan}, "lr_g"), ({"loss": "wgan"}, "loss"), ({"theta0": (0.0,)}, "theta0")):
        with pytest.raises(ValueError, match=name):
            goodfellow(ONE, **kw)
    with pytest.raises(ValueError, match="record_every >= 100"):  # bounded memory: at most 10^5 records
        goodfellow(ONE, steps=10**7, record_every=1)
    with pytest.raises(ValueError, match="weights"):
        TrainingGAN(means=(0.0, 1.0), stds=(1.0, 1.0), weights=(0.5, 0.6))
    with pytest.raises(ValueError, match="stds"):
        TrainingGAN(means=(0.0,), stds=(0.0,), weights=(1.0,))


@pytest.mark.slow
def test_cli_json_records_the_theory_beside_the_run(tmp_path):
    r = run_cli("train", "goodfellow", "--data", "1:0.7", "--steps", "200", "--json")
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)
    assert rec["algorithm"] == "goodfellow" and rec["steps"] == 200 and rec["settings"]["k"] == 1
    keys = {"step", "d_gap", "value", "value_at_optimal_d", "g_loss", "jsd", "kl", "w1", "modes_covered", "mu",
            "sigma"}
    assert all(set(h) == keys for h in rec["history"]) and rec["history"][-1]["step"] == 200
    assert rec["theory"]["value_below_optimum_at_every_record"] is True
    r = run_cli("train", "goodfellow", "--steps", "50", "--plot", str(tmp_path / "t.png"))
    assert r.returncode == 0 and (tmp_path / "t.png").exists() and "-log 4 + 2 JSD" in r.stdout
    for args, msg in ((["--data", "1:x"], "not a number"), (["--data", "1:0.5:0.3,2:0.5"], "every component"),
                      (["--data", "1:-1"], "stds"), (["--steps", "0"], "steps"), (["--plot", "t.txt"], "--plot")):
        r = run_cli("train", "goodfellow", *args)
        assert r.returncode == 2 and msg in r.stderr and len(r.stderr.strip().splitlines()) == 1, (args, r.stderr)


# -- WGAN with weight clipping (Arjovsky et al. 2017, Algorithm 1; seed 000's practical algorithm) -------------

def test_clipped_critic_value_is_the_box_maximum():
    """The closed form c (|dE x| + |dE x^2|) against a brute-force maximum over a grid of the clipping box,
    with the moments computed independently by quadrature on the theory grid."""
    from gantheory.engine._training import clipped_critic_value, curves

    gan = TrainingGAN()
    theta = np.array([0.7, math.log(1.3)])
    c = curves(gan, np.zeros(3), theta)
    dx = gan.grid.cell_volume
    m1 = [float(np.sum(p * c["x"] ** k) * dx) for p in (c["p_data"], c["p_g"]) for k in (1, 2)]
    clip = 0.03
    box = np.linspace(-clip, clip, 61)
    brute = max(w1 * (m1[0] - m1[2]) + w2 * (m1[1] - m1[3]) for w1 in box for w2 in box)
    assert clipped_critic_value(gan, theta, clip) == pytest.approx(brute, rel=1e-6)


@pytest.mark.slow
def test_wgan_with_clipping_matches_moments_not_the_data_and_a_wrong_sign_critic_does_not():
    """The theory: the clipped critics are the quadratics with |w_i| <= c, so the generator is driven to the data's
    mean and variance. On the two-mode mixture that is N(0, 4.25): W1 stays at its value there (about 0.73), far
    from 0; the critic's value never exceeds the clipped optimum. A critic that descends cannot drive it there."""
    from gantheory.cli.train import _summary
    from gantheory.engine._training import wgan_clipping

    gan = TrainingGAN()
    run = wgan_clipping(gan, steps=2000, theta0=(1.0, -0.7), record_every=100, seed=1)
    sm = _summary(run, gan)
    last = run.history[-1]
    assert sm["critic_below_clipped_optimum_at_every_record"]
    assert sm["mu_target"] == pytest.approx(0.0) and sm["sigma_target"] == pytest.approx(math.sqrt(4.25))
    assert sm["final_distance_to_target"] < 0.15, (last["mu"], last["sigma"])
    assert abs(last["w1"] - sm["w1_at_target"]) < 0.02 and sm["w1_at_target"] > 0.6
    wrong = wgan_clipping(gan, steps=600, theta0=(1.0, -0.7), record_every=100, seed=1, _d_sign=-1.0)
    assert _summary(wrong, gan)["final_distance_to_target"] > 0.5


def test_a_clip_not_applied_is_caught_by_the_clipped_optimum():
    """The twin of the clipping: a critic whose weights are not clipped beats the clipped family's best value,
    which the record beside each step shows (the same run clipped never does)."""
    from gantheory.cli.train import _summary
    from gantheory.engine._training import wgan_clipping

    gan = TrainingGAN()
    kw = dict(steps=200, theta0=(1.0, -0.7), record_every=50, seed=1)
    assert _summary(wgan_clipping(gan, **kw), gan)["critic_below_clipped_optimum_at_every_record"]
    unclipped = _summary(wgan_clipping(gan, **kw, _clip=False), gan)
    assert not unclipped["critic_below_clipped_optimum_at_every_record"]
    assert unclipped["max_critic_minus_optimum"] > 0.01


@pytest.mark.slow
def test_wgan_with_clipping_reaches_gaussian_data():
    """One Gaussian: its mean and variance determine it, so moment matching is the data and W1 -> 0."""
    from gantheory.engine._training import wgan_clipping

    run = wgan_clipping(ONE, steps=1500, theta0=(-1.0, 0.5), record_every=100, seed=2)
    assert run.history[0]["w1"] > 1.5 and run.history[-1]["w1"] < 0.06
    assert run.history[-1]["mu"] == pytest.approx(1.0, abs=0.06)


@pytest.mark.parametrize("kwargs, match", [
    ({"lr": 0.0}, "lr must be"), ({"clip": -0.1}, "clip must be"), ({"optimizer": "adam"}, "optimizer must be"),
    ({"n_critic": 0}, "n_critic must be"), ({"lr": float("nan")}, "lr must be"),
])
def test_wgan_refuses_bad_settings(kwargs, match):
    from gantheory.engine._training import wgan_clipping

    with pytest.raises(ValueError, match=match):
        wgan_clipping(steps=1, **kwargs)


def test_train_wgan_command_prints_the_theory_and_refuses_options_of_another_algorithm(tmp_path):
    res = run_cli("train", "wgan", "--data", "1:0.7", "--steps", "300", "--record-every", "50", "--mu0", "-1",
                  "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["algorithm"] == "wgan" and out["settings"]["clip"] == 0.01
    assert out["theory"]["critic_below_clipped_optimum_at_every_record"] is True
    assert out["history"][-1]["w1"] < out["history"][0]["w1"]
    bad = run_cli("train", "wgan", "--k", "3")
    assert bad.returncode == 2 and "--k applies to 'train goodfellow'" in bad.stderr
    bad = run_cli("train", "goodfellow", "--clip", "0.1")
    assert bad.returncode == 2 and "--clip applies to 'train wgan'" in bad.stderr


# -- f-GAN (Nowozin et al. 2016, the single-step gradient method; seed 003 "New Optimization") ------------------

@pytest.mark.slow
def test_fgan_critic_value_is_a_lower_bound_and_kl_reaches_its_optimum():
    """Fenchel-Young: the critic's F never exceeds D_f(p_data || p_g). For KL the minimizer over the Gaussian
    family is moment matching (found here independently by Nelder-Mead on the grid), and the run ends there."""
    from gantheory.cli.train import _summary
    from gantheory.engine._training import fgan

    gan = TrainingGAN()
    run = fgan(gan, divergence="kl", steps=1500, record_every=100, theta0=(0.5, 0.0), seed=1)
    sm = _summary(run, gan)
    assert sm["variational_below_divergence_at_every_record"]
    assert sm["optimum"]["mu"] == pytest.approx(0.0, abs=0.02)
    assert sm["optimum"]["sigma"] == pytest.approx(math.sqrt(4.25), abs=0.02)  # KL(P||Q) over Gaussians
    assert abs(sm["final"]["mu"]) < 0.15 and abs(sm["final"]["sigma"] - math.sqrt(4.25)) < 0.15
    assert sm["final"]["divergence"] < sm["optimum"]["divergence"] + 0.01


@pytest.mark.slow
def test_fgan_reverse_kl_with_a_quadratic_critic_stops_at_moment_matching_not_at_a_mode():
    """Reverse KL's minimizer over the Gaussian family sits on one mode (D_f = log 2 for separated modes), but with
    a quadratic critic the game is stationary at moment matching: at T = f'(1) the critic's gradient is
    E_data phi - E_g phi for phi = 1, x, x^2. The run stops there, with D_f far above the optimum."""
    from gantheory.cli.train import _summary
    from gantheory.engine._training import fgan

    gan = TrainingGAN()
    run = fgan(gan, divergence="reverse-kl", steps=1500, record_every=100, theta0=(0.5, 0.0), seed=1)
    sm = _summary(run, gan)
    assert abs(abs(sm["optimum"]["mu"]) - 2.0) < 0.02 and sm["optimum"]["divergence"] == pytest.approx(
        math.log(2), abs=1e-3)
    assert abs(sm["final"]["mu"]) < 0.2 and abs(sm["final"]["sigma"] - sm["moment_match"]["sigma"]) < 0.2
    assert sm["final"]["divergence"] > 1.5 > sm["optimum"]["divergence"]
    assert sm["variational_below_divergence_at_every_record"]


@pytest.mark.slow
def test_fgan_on_gaussian_data_comes_close_and_a_wrong_sign_critic_does_not():
    """One Gaussian is in the generator's family, D_f = 0 there. The single-step (simultaneous) method comes
    within 0.01 of it and then circles the equilibrium, as simultaneous gradient steps on a game do; a critic that
    descends never comes close (or leaves the domain of f*: a clear FloatingPointError)."""
    from gantheory.engine._training import fgan

    run = fgan(ONE, divergence="squared-hellinger", steps=1500, record_every=50, theta0=(-1.0, 0.4), seed=2,
               lr_g=0.005)
    assert run.history[0]["divergence"] > 0.5 and min(h["divergence"] for h in run.history) < 0.01
    try:
        wrong = fgan(ONE, divergence="squared-hellinger", steps=1500, record_every=50, theta0=(-1.0, 0.4), seed=2,
                     lr_g=0.005, _t_sign=-1.0)
        assert min(h["divergence"] for h in wrong.history) > 0.1
    except FloatingPointError as exc:
        assert "domain of f*" in str(exc)


def test_train_fgan_command_and_its_refusals():
    res = run_cli("train", "fgan", "--divergence", "pearson", "--data", "1:0.7", "--steps", "200",
                  "--record-every", "50", "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["settings"]["divergence"] == "pearson" and out["settings"]["f"] == "(u - 1)**2"
    assert out["theory"]["variational_below_divergence_at_every_record"] is True
    bad = run_cli("train", "fgan", "--clip", "0.1")
    assert bad.returncode == 2 and "--clip applies to 'train wgan'" in bad.stderr
    bad = run_cli("train", "fgan", "--divergence", "hellinger")
    assert bad.returncode == 2
    with pytest.raises(ValueError, match="divergence must be one of"):
        from gantheory.engine._training import fgan

        fgan(divergence="bogus", steps=1)


# -- Dualing GANs (Li et al. 2017; seed 001) --------------------------------------------------------------------

def test_the_dual_solver_meets_the_primal_and_the_conjugacy_relation():
    """Newton on the dual against BFGS on the primal, on random features: equal values (strong duality), w* from
    lambda* equal to the primal minimizer, and lambda* = sigmoid(-w*.phi_x)/(2n), sigmoid(w*.phi_z)/(2n) (the
    maximizers of the logistic loss's conjugate, derived independently of both solvers)."""
    from scipy.special import expit

    from gantheory.engine._training import _dual_solve, _features, _primal_solve

    rng = np.random.default_rng(7)
    for c in (0.01, 0.1, 1.0):
        n = 32
        phi_x, phi_z = _features(rng.normal(1.0, 0.8, n)), _features(rng.normal(-0.5, 1.5, n))
        g, lx, lz, w_dual = _dual_solve(phi_x, phi_z, c)
        f, w_primal = _primal_solve(phi_x, phi_z, c)
        assert g == pytest.approx(f, abs=1e-10)
        assert np.allclose(w_dual, w_primal, atol=1e-7)
        assert np.allclose(lx, expit(-phi_x @ w_primal) / (2 * n), atol=1e-8)
        assert np.allclose(lz, expit(phi_z @ w_primal) / (2 * n), atol=1e-8)
        assert f <= math.log(2)  # w = 0 gives log 2
        # the twin: a dual not at its optimum (lambda at its starting point, the box's centre) leaves a gap the
        # strong-duality check sees
        lam0 = np.full(n, 1 / (4 * n))
        r = lam0 @ phi_x - lam0 @ phi_z
        g_start = -r @ r / (2 * c) + math.log(2)  # (1/2n) sum H(1/2) over 2n variables = log 2
        assert f - g_start > 1e-3


def test_dualing_training_keeps_strong_duality_and_matches_moments_and_a_wrong_sign_does_not():
    from gantheory.cli.train import _summary
    from gantheory.engine._training import dualing

    gan = TrainingGAN()
    run = dualing(gan, steps=500, record_every=50, theta0=(1.0, -0.7), seed=1)
    sm = _summary(run, gan)
    assert sm["max_duality_gap"] < 1e-9 and sm["max_w_gap"] < 1e-6 and sm["primal_at_most_log2_at_every_record"]
    assert sm["final_distance_to_target"] < 0.25 and run.history[0]["w1"] > 1.5
    wrong = dualing(gan, steps=200, record_every=50, theta0=(1.0, -0.7), seed=1, _g_sign=-1.0)
    assert _summary(wrong, gan)["final_distance_to_target"] > 0.8


def test_train_dualing_command_and_its_refusals():
    res = run_cli("train", "dualing", "--data", "1:0.7", "--steps", "60", "--record-every", "20", "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["algorithm"] == "dualing" and out["settings"]["c"] == 0.1
    assert out["theory"]["max_duality_gap"] < 1e-9
    bad = run_cli("train", "goodfellow", "--c", "0.5")
    assert bad.returncode == 2 and "--c applies to 'train dualing'" in bad.stderr
    bad = run_cli("train", "dualing", "--c", "0")
    assert bad.returncode == 2 and "c must be" in bad.stderr


def test_dualing_with_a_huge_step_stops_with_the_reason():
    """A generator thrown off the grid ends the run with the reason (exit 1), as the other trainers do; the dual
    solver meets points where no step inside its box increases g (it once failed there)."""
    res = run_cli("train", "dualing", "--lr-g", "50", "--steps", "50", "--record-every", "1")
    assert res.returncode == 1 and "has left the grid" in res.stderr and "Traceback" not in res.stderr


# -- seed 000's practical loop (Algorithm 2) ------------------------------------------------------------------

@pytest.mark.slow
def test_practical_loop_reaches_the_equilibrium_losses_and_a_wrong_sign_does_not():
    """N_d descent steps on d, one on g = E[-log D(G(Z))]: on data the family contains the run ends at seed 000's
    equilibrium values d = 2 log 2 and g = log 2; d >= log 4 - 2 JSD at every record (d = -V); a discriminator
    that ascends d instead ends far from 2 log 2."""
    res = run_cli("train", "practical", "--data", "1:0.7", "--steps", "1000", "--record-every", "100", "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    th = out["theory"]
    assert out["algorithm"] == "practical" and out["settings"]["N_d"] == 5
    assert out["settings"]["loss"] == "nonsaturating"
    assert th["value_below_optimum_at_every_record"]
    assert th["final_d_loss"] == pytest.approx(2 * math.log(2), abs=0.005)
    assert th["final_g_loss"] == pytest.approx(math.log(2), abs=0.02)
    assert all(-h["value"] >= math.log(4) - 2 * h["jsd"] - 1e-6 for h in out["history"])
    wrong = goodfellow(ONE, steps=100, k=5, record_every=50, _d_sign=-1.0)
    assert -wrong.history[-1]["value"] > 2 * math.log(2) + 1
    bad = run_cli("train", "practical", "--k", "3")
    assert bad.returncode == 2 and "--k applies to 'train goodfellow'" in bad.stderr
    bad = run_cli("train", "practical", "--nd", "0")
    assert bad.returncode == 2 and "--nd (N_d) must be an integer >= 1" in bad.stderr


# -- generator families and the network discriminator -----------------------------------------------------------

def test_the_generator_densities_are_their_samples_laws():
    """p_g on the grid of each family against its samples (the CDF at the cell edges within the
    Kolmogorov-Smirnov bound of 2e5 samples), and tanh's density against the change of variables at the exact
    preimage (SciPy's brentq, independent of the interpolation)."""
    from scipy.optimize import brentq
    from scipy.stats import norm

    from gantheory.engine._training import _deriv, generator_density

    gan = TrainingGAN()
    grid = gan.grid
    rng = np.random.default_rng(4)
    n = 200_000
    for kind, theta in (("location-scale", (0.3, -0.2)), ("mixture", (-2.0, -1.0, 1.5, -0.3)),
                        ("tanh", (0.2, -2.0, 1.0))):
        der = _deriv(kind)
        p = generator_density(grid, theta, kind)
        assert np.sum(p) * grid.cell_volume == pytest.approx(1.0, abs=1e-12)
        cs = rng.integers(0, 2, n).astype(float) if kind == "mixture" else 0.0
        ys = np.sort(np.broadcast_to(der["G"](rng.standard_normal(n), cs, theta), (n,)))
        edges = grid.low[0] + (grid.high[0] - grid.low[0]) / grid.shape[0] * np.arange(1, grid.shape[0] + 1)
        cdf = np.cumsum(p) * grid.cell_volume
        assert np.max(np.abs(cdf - np.searchsorted(ys, edges) / n)) < 2.0 / math.sqrt(n) + 2e-3, kind
    G = lambda z: 0.2 + math.exp(-2.0) * z + math.exp(1.0) * math.tanh(z)  # noqa: E731
    dG = lambda z: math.exp(-2.0) + math.exp(1.0) / math.cosh(z) ** 2  # noqa: E731
    p = generator_density(grid, (0.2, -2.0, 1.0), "tanh")
    for x in (-2.5, -1.0, 0.4, 2.0, 2.8):
        z = brentq(lambda t: G(t) - x, -40, 40)
        k = int(np.argmin(np.abs(grid.points - x)))
        exact = norm.pdf(brentq(lambda t: G(t) - grid.points[k], -40, 40)) / dG(brentq(lambda t: G(t) - grid.points[k],
                                                                                     -40, 40))
        assert p[k] == pytest.approx(exact, rel=2e-3), (x, z)


@pytest.mark.parametrize("kind", ["location-scale", "mixture", "tanh"])
@pytest.mark.parametrize("loss", ["saturating", "nonsaturating"])
def test_the_generator_gradient_against_a_network_is_the_derivative_of_its_loss(kind, loss):
    from scipy.special import log_expit

    from gantheory.engine._dualing_nonlinear import score_model
    from gantheory.engine._training import THETA0, _deriv, _generator_grad

    der, F = _deriv(kind), score_model("mlp", 3)
    rng = np.random.default_rng(1)
    w = rng.standard_normal(F.size)
    zs = rng.standard_normal(32)
    cs = rng.integers(0, 2, 32).astype(float) if kind == "mixture" else 0.0
    theta = np.asarray(THETA0[kind]) + 0.3 * rng.standard_normal(len(THETA0[kind]))

    def batch_loss(th):
        f = F.value(np.broadcast_to(der["G"](zs, cs, tuple(th)), (32,)), w)
        return float(np.mean(log_expit(-f) if loss == "saturating" else -log_expit(f)))

    eps = 1e-6
    num = np.array([(batch_loss(theta + eps * e) - batch_loss(theta - eps * e)) / (2 * eps)
                    for e in np.eye(theta.size)])
    assert np.allclose(_generator_grad(der, F, w, theta, zs, cs, loss), num, atol=1e-8)


@pytest.mark.slow
def test_with_a_network_discriminator_the_generator_goes_to_its_familys_jsd_minimum():
    """Thm. 1 in practice: with a network discriminator (close to D*) a single Gaussian ends at the family's JSD
    minimum on two modes (0.2009, found by Nelder-Mead on the grid), and the nonlinear tanh generator, whose
    family is larger, ends below it; a wrong-sign discriminator does not."""
    from gantheory.cli.train import _summary

    gan = TrainingGAN()
    kw = dict(discriminator="mlp", k=5, lr_d=0.1, steps=1500, record_every=500)
    single = goodfellow(gan, **kw)
    sm = _summary(single, gan)
    best = sm["jsd_location_scale_minimum"]["jsd"]
    assert best == pytest.approx(0.2009, abs=1e-3) and sm["value_below_optimum_at_every_record"]
    assert single.history[-1]["jsd"] == pytest.approx(best, abs=0.005)
    tanh = goodfellow(gan, generator="tanh", **kw)
    assert tanh.history[-1]["jsd"] < best - 0.05
    wrong = goodfellow(gan, generator="tanh", **{**kw, "steps": 300}, _d_sign=-1.0)
    assert wrong.history[-1]["jsd"] > best


def test_generator_and_discriminator_options_belong_to_their_trainers():
    for argv, msg in ((("wgan", "--generator", "tanh"), "--generator applies to"),
                      (("goodfellow", "--hidden", "3"), "--hidden applies to --discriminator mlp"),
                      (("goodfellow", "--discriminator", "mlp", "--delta", "0.1"), "--delta applies to")):
        bad = run_cli("train", *argv)
        assert bad.returncode == 2 and msg in bad.stderr, (argv, bad.stderr)
    res = run_cli("train", "practical", "--generator", "mixture", "--discriminator", "mlp", "--hidden", "3",
                  "--steps", "20", "--record-every", "10", "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["settings"]["generator"].startswith("mixture") and "3 hidden units" in out["settings"]["discriminator"]
    assert len(out["theta"]) == 4 and len(out["w"]) == 3 * 3 + 1


def test_a_batch_of_seeds_through_dask_is_the_serial_batch_and_the_theory_holds_in_each():
    """--seeds K runs K seeds; through Dask (threads) the records equal the serial ones; each run's theory
    verdict is printed; a diverging batch exits 1 with every seed's reason; --plot is refused for a batch."""
    argv = ("train", "goodfellow", "--data", "1:0.7", "--steps", "200", "--record-every", "100", "--seeds", "3",
            "--json")
    serial = json.loads(run_cli(*argv).stdout)
    dask = run_cli(*argv, "--scheduler", "threads")
    assert dask.returncode == 0, dask.stderr
    par = json.loads(dask.stdout)
    assert [r["seed"] for r in par["runs"]] == [0, 1, 2] and par["batch"]["scheduler"] == "threads"
    assert [r["final"] for r in par["runs"]] == [r["final"] for r in serial["runs"]]
    assert all(r["theory_holds"] for r in par["runs"])
    assert len({r["final"]["mu"] for r in par["runs"]}) == 3  # three different seeds
    bad = run_cli("train", "goodfellow", "--lr-g", "1e5", "--steps", "20", "--seeds", "2")
    assert bad.returncode == 1 and bad.stdout.count("stopped: training diverged") == 2
    bad = run_cli("train", "wgan", "--seeds", "2", "--plot", "x.png")
    assert bad.returncode == 2 and "--plot draws one run" in bad.stderr


# -- 2-D data ----------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_2d_discriminator_reaches_the_closed_form_optimum_and_training_reaches_the_data():
    """On 2-D data: with the generator frozen many discriminator steps reach w* = the quadratic log p_data/p_g
    (derived here with SymPy, independently) and a wrong-sign ascent does not; training reaches the data with
    V <= -log 4 + 2 JSD at every record; on two modes along x the quadratic discriminator stops the generator at
    the data's per-axis moments (sd 2.06 along x, 0.5 along y), as in 1-D."""
    from gantheory.engine._training2d import TrainingGAN2D, goodfellow2d

    one = TrainingGAN2D(means=((1.0, -0.5),), stds=(0.7,), weights=(1.0,))
    x1, x2 = sp.symbols("x1 x2", real=True)
    s = sp.Rational(7, 10)
    log_ratio = sp.expand(-((x1 - 1) ** 2 + (x2 + sp.Rational(1, 2)) ** 2) / (2 * s**2) - 2 * sp.log(s)
                          + (x1**2 + x2**2) / 2)  # log N((1, -1/2), s^2 I) - log N(0, I)
    poly = sp.Poly(log_ratio, x1, x2)
    w_star = np.array([float(poly.coeff_monomial(mono)) for mono in (1, x1, x2, x1**2, x1 * x2, x2**2)])
    run = goodfellow2d(one, steps=1, k=3000, m=256, lr_d=0.1, lr_g=0.0, record_every=1, seed=3)
    assert np.allclose(run.w, w_star, atol=0.12), (run.w, w_star)
    assert run.history[-1]["d_gap"] < 0.015 < run.history[0]["d_gap"]
    wrong = goodfellow2d(one, steps=1, k=300, m=256, lr_d=0.1, lr_g=0.0, record_every=1, seed=3, _d_sign=-1.0)
    assert wrong.history[-1]["d_gap"] > run.history[0]["d_gap"]
    trained = goodfellow2d(one, steps=1500, record_every=500)
    assert all(h["value"] <= h["value_at_optimal_d"] + 1e-6 for h in trained.history)
    assert trained.history[-1]["jsd"] < 0.01 < 0.2 < trained.history[0]["jsd"]
    two = goodfellow2d(TrainingGAN2D(), steps=900, record_every=900)
    assert two.history[-1]["sigma"][0] == pytest.approx(math.sqrt(4.25), abs=0.15)
    assert two.history[-1]["sigma"][1] == pytest.approx(0.5, abs=0.1)


@pytest.mark.slow
def test_train_with_2d_data_and_its_refusals():
    res = run_cli("train", "goodfellow", "--data", "1/-0.5:0.7", "--steps", "100", "--record-every", "50", "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["settings"]["data"]["means"] == [[1.0, -0.5]] and len(out["theta"]) == 4 and len(out["w"]) == 6
    assert len(out["history"]) == 3 and len(out["history"][0]["mu"]) == 2
    for argv, msg in ((("wgan", "--data", "1/2:1"), "runs with 'train goodfellow' and 'train practical'"),
                      (("goodfellow", "--data", "1/2:1,3:1"), "a 2-D mean x/y, or none"),
                      (("goodfellow", "--data", "1/2/3:1"), "a mean is x or x/y"),
                      (("goodfellow", "--data", "1/2:1", "--generator", "tanh"), "--generator is for 1-D data"),
                      (("practical", "--data", "1/2:1", "--k", "2"), "--k applies to 'train goodfellow', not to "
                                                                        "'train practical'"),
                      (("practical", "--data", "1/2:1", "--loss", "saturating"), "--loss applies to"),
                      (("practical", "--data", "1/2:1", "--nd", "0"), "--nd (N_d) must be an integer >= 1")):
        bad = run_cli("train", *argv)
        assert bad.returncode == 2 and msg in bad.stderr, (argv, bad.stderr)


@pytest.mark.parametrize("divergence", ["total-variation", "alpha-half"] + [  # the rest in the slow run (1-2 s each)
    pytest.param(d, marks=pytest.mark.slow)
    for d in ("neyman", "jeffrey", "jensen-shannon-weighted", "alpha-minus-half", "alpha-two")])
def test_every_row_of_the_fgan_table_trains_below_its_divergence(divergence):
    """The rows the other f-GAN tests leave out, each with the table's corrected f*, g_f (Jeffrey's conjugate
    through Lambert's W): the critic's F never exceeds D_f (Fenchel-Young) at any record, and the family's
    minimizer of D_f on Gaussian data is the data itself."""
    from gantheory.cli.train import _summary
    from gantheory.engine._training import fgan

    run = fgan(ONE, divergence=divergence, steps=150, record_every=50)
    sm = _summary(run, ONE)
    assert sm["variational_below_divergence_at_every_record"], sm["max_variational_minus_divergence"]
    assert len(run.history) == 4 and all(math.isfinite(h["variational_value"]) for h in run.history)
    assert sm["optimum"]["mu"] == pytest.approx(1.0, abs=1e-3)
    assert sm["optimum"]["sigma"] == pytest.approx(0.7, abs=1e-3)
