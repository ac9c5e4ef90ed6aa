"""The game dynamics of the parametric GAN (``train game``): the derived Jacobians against finite differences
of the field and of the update maps as implemented, the known answers of seeds 002 and 004 on a model that is
not the Dirac-GAN, and a wrong-sign gradient that the comparison with the theory catches."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from _cli import run_cli

from gantheory.engine._game_training import (
    GAME_OPTIMIZERS,
    _step,
    game_dynamics,
    game_model,
    game_sweep,
    update_jacobian,
)
from gantheory.engine._training import TrainingGAN

ONE = TrainingGAN(means=(1.0,), stds=(0.7,), weights=(1.0,))
MIX = TrainingGAN(means=(-1.0, 1.5), stds=(0.5, 0.8), weights=(0.4, 0.6))


@pytest.fixture(scope="module")
def models():
    return {(loss, reg): game_model(ONE, loss=loss, reg=reg, gamma=0.5)
            for loss, reg in [("gan", "none"), ("nsgan", "none"), ("wgan", "none"), ("wgan", "consensus"),
                              ("gan", "r1")]}


def _fd(fn, u, h=1e-6):
    """Central differences: an independent Jacobian (truncation error O(h^2), rounding O(eps/h) ~ 1e-10)."""
    cols = []
    for k in range(u.size):
        e = np.zeros_like(u)
        e[k] = h
        cols.append((fn(u + e) - fn(u - e)) / (2 * h))
    return np.stack(cols, axis=1)


@pytest.mark.slow
@pytest.mark.parametrize("key", [("gan", "none"), ("nsgan", "none"), ("wgan", "none"), ("gan", "r1")])
def test_the_derived_jacobian_is_the_field_s_derivative_off_the_equilibrium_too(models, key):
    m = models[key]
    rng = np.random.default_rng(1)
    for u in (m.u_star, m.u_star + 0.1 * rng.standard_normal(m.u_star.size)):
        assert np.allclose(m.jac(u), _fd(m.v, u), rtol=1e-6, atol=1e-7)


def test_the_equilibrium_matches_the_data_s_mean_and_variance_with_the_discriminator_at_one_half():
    """The quadratic discriminator sees only the first two moments: at u*, w = 0 (D = 1/2) and p_g has the
    mixture's mean and variance, computed here by hand."""
    mean = 0.4 * -1.0 + 0.6 * 1.5
    var = 0.4 * (0.25 + 1.0) + 0.6 * (0.64 + 2.25) - mean**2
    for loss in ("gan", "wgan"):
        m = game_model(MIX, loss=loss)
        assert np.allclose(m.u_star[:-2], 0, atol=1e-12)
        assert m.u_star[-2] == pytest.approx(mean, abs=1e-12)
        assert math.exp(2 * m.u_star[-1]) == pytest.approx(var, rel=1e-12)
        assert np.linalg.norm(m.v(m.u_star)) < 1e-12


def test_saturating_and_nonsaturating_losses_have_the_same_jacobian_at_the_equilibrium(models):
    """At D = 1/2 both generator losses have the same derivative in the discriminator's score (-1/2), so the
    linearizations coincide (Mescheder et al. 2018, Sec. 2.2); away from u* the fields differ."""
    a, b = models[("gan", "none")], models[("nsgan", "none")]
    assert np.allclose(a.jac(a.u_star), b.jac(b.u_star), rtol=1e-12, atol=1e-12)
    u = a.u_star + np.array([0.3, -0.2, 0.1, 0.0, 0.0])
    assert not np.allclose(a.v(u), b.v(u), rtol=1e-3)


@pytest.mark.parametrize("optimizer", GAME_OPTIMIZERS)
@pytest.mark.parametrize("beta", [0.0, -0.3])
def test_the_composed_update_jacobian_is_the_derivative_of_the_step_as_implemented(models, optimizer, beta):
    if beta and optimizer not in ("simgd", "altgd"):
        return
    m = models[("gan", "none")]
    h, n_w, d = 0.4, 3, m.u_star.size
    M = update_jacobian(m.jac(m.u_star), optimizer, h, beta, n_w)
    stacked = M.shape[0] == 2 * d
    if not stacked:
        fd = _fd(lambda u: _step(m.v, u, u, None, h, beta, optimizer, n_w)[0], m.u_star)
    elif optimizer == "optimistic":  # the state (u_k, u_{k-1}); prev_v is the field at u_{k-1}
        fd = _fd(lambda s: np.concatenate([_step(m.v, s[:d], s[d:], m.v(s[d:]), h, 0.0, optimizer, n_w)[0],
                                           s[:d]]), np.concatenate([m.u_star, m.u_star]))
    else:
        fd = _fd(lambda s: np.concatenate([_step(m.v, s[:d], s[d:], None, h, beta, optimizer, n_w)[0], s[:d]]),
                 np.concatenate([m.u_star, m.u_star]))
    assert np.allclose(M, fd, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("optimizer, h, beta", [("simgd", 0.5, 0.0), ("altgd", 0.5, 0.0), ("extragradient", 0.3, 0.0),
                                                ("optimistic", 0.3, 0.0), ("simgd", 0.5, -0.3)])
def test_the_measured_rate_is_the_linearization_s_and_its_spectral_radius(models, optimizer, h, beta):
    run = game_dynamics(ONE, loss="gan", optimizer=optimizer, h=h, beta=beta, steps=6000, model=models[("gan", "none")])
    assert run.measured_rate is not None
    assert abs(math.log(run.measured_rate / run.linear_rate)) < 2e-3
    assert run.measured_rate == pytest.approx(run.rho, abs=2e-3)
    assert (run.verdict == "converges") == (run.rho < 1)


@pytest.mark.slow
def test_wgan_rotates_simgd_diverges_and_consensus_converges(models):
    """Seed 002: without a regularizer the WGAN game's Jacobian at u* has purely imaginary eigenvalues, so
    simultaneous GD diverges for every h (|1 + h i b| > 1) and alternating GD is marginal (det 1); consensus
    optimization (Mescheder et al. 2017) moves them into the left half-plane and simgd converges."""
    plain, cons = models[("wgan", "none")], models[("wgan", "consensus")]
    eig = np.linalg.eigvals(plain.jac(plain.u_star))
    assert np.allclose(eig.real, 0, atol=1e-12) and np.all(np.abs(eig.imag) > 0.1)
    for h in (0.02, 0.1):
        run = game_dynamics(ONE, loss="wgan", optimizer="simgd", h=h, steps=3000, model=plain)
        assert run.verdict == "diverges"
        expected = max(math.sqrt(1 + (h * b) ** 2) for b in eig.imag)
        assert run.rho == pytest.approx(expected, rel=1e-12)
        assert run.measured_rate == pytest.approx(expected, abs=1e-3)
    alt = game_dynamics(ONE, loss="wgan", optimizer="altgd", h=0.1, steps=3000, model=plain)
    assert alt.verdict == "marginal" and alt.measured_rate == pytest.approx(1.0, abs=1e-4)
    run = game_dynamics(ONE, loss="wgan", reg="consensus", gamma=0.5, optimizer="simgd", h=0.1, steps=6000, model=cons)
    assert run.verdict == "converges" and run.rho < 1
    assert np.all(np.linalg.eigvals(cons.jac(cons.u_star)).real < 0)
    assert run.measured_rate == pytest.approx(run.rho, abs=2e-3) and run.measured_rate < 1


@pytest.mark.slow
def test_a_wrong_sign_discriminator_gradient_is_caught():
    """Flipping the discriminator's gradient (descent instead of ascent) makes the run diverge where the
    theory of the game as stated predicts convergence; the measured rate then disagrees with it."""
    m = game_model(ONE, loss="gan")
    good = game_dynamics(ONE, loss="gan", h=0.5, steps=4000, model=m)
    bad = game_dynamics(ONE, loss="gan", h=0.5, steps=4000, model=m, _sign=-1.0)
    assert good.verdict == "converges" and bad.rho == good.rho
    assert abs(math.log(good.measured_rate / good.linear_rate)) < 2e-3
    assert bad.measured_rate > 1 and abs(math.log(bad.measured_rate / bad.linear_rate)) > 0.05


def test_bad_arguments_are_refused_with_the_argument_named():
    for kw, match in [({"h": 0}, "h must be"), ({"h": float("nan")}, "h must be"), ({"eps": 0.5}, "eps must be"),
                      ({"beta": 1.0}, "beta must be"), ({"beta": 0.2, "optimizer": "extragradient"}, "beta"),
                      ({"optimizer": "adam"}, "optimizer must be"), ({"steps": 0}, "steps must be"),
                      ({"loss": "lsgan"}, "loss must be"), ({"reg": "r1", "loss": "wgan"}, "r1"),
                      ({"gamma": -1.0}, "gamma must be"), ({"nodes": 3}, "nodes must be")]:
        with pytest.raises(ValueError, match=match):
            game_dynamics(ONE, **kw)


@pytest.mark.slow
def test_train_game_command_json_plot_and_refusals(tmp_path):
    r = run_cli("train", "game", "--loss", "wgan", "--reg", "consensus", "--gamma", "0.5", "--h", "0.1", "--data",
                "1:0.7", "--steps", "3000", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    th = out["theory"]
    assert th["verdict"] == "converges" and th["rate_agrees"] is True
    assert th["generator_at_equilibrium"]["mu"] == pytest.approx(1.0) and th["jsd_at_equilibrium"] < 1e-6
    assert out["history"][0] == {"step": 0, "distance": pytest.approx(1e-7)}
    png = tmp_path / "g.png"
    r = run_cli("train", "game", "--data", "1:0.7", "--steps", "500", "--plot", str(png))
    assert r.returncode == 0 and png.stat().st_size > 10_000
    assert "spectral radius" in r.stdout and "agrees" in r.stdout
    for args, msg in [(("--m", "0"), "m (the minibatch) must be"),
                      (("--loss", "saturating"), "--loss for 'train game'"),
                      (("--optimizer", "rmsprop"), "--optimizer for 'train game'"), (("--eps", "1"), "eps must be")]:
        bad = run_cli("train", "game", *args)
        assert bad.returncode == 2 and msg in bad.stderr and "Traceback" not in bad.stderr
    bad = run_cli("train", "goodfellow", "--h", "0.1")
    assert bad.returncode == 2 and "--h applies to 'train game'" in bad.stderr


@pytest.mark.slow
def test_a_sweep_through_dask_threads_and_a_local_cluster_equals_the_serial_one():
    """Training batches (step sizes x seeds) go through the stability maps' Dask path; the records are the same
    run for run, and the seeds (starting directions) change the measured rate only within the tolerance."""
    kw = dict(h_values=[0.1, 0.4, 0.7], seeds=(0, 1), loss="wgan", reg="consensus", gamma=0.5, steps=2500)
    ref = game_sweep(ONE, **kw)
    assert [(r["h"], r["seed"]) for r in ref] == [(h, s) for h in (0.1, 0.4, 0.7) for s in (0, 1)]
    assert game_sweep(ONE, scheduler="threads", **kw) == ref
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0") as c:
        assert game_sweep(ONE, scheduler=c.scheduler_address, **kw) == ref
    for r in ref:
        assert abs(math.log(r["measured_rate"] / r["linear_rate"])) < 2e-3
    assert [r["verdict"] for r in ref[::2]] == ["converges", "converges", "diverges"]
    with pytest.raises(ValueError, match="scheduler must be"):
        game_sweep(ONE, scheduler="gpu", **kw)


@pytest.mark.slow
def test_train_game_sweep_command(tmp_path):
    r = run_cli("train", "game", "--data", "1:0.7", "--loss", "wgan", "--sweep-h", "0.05:0.6:4", "--steps", "2000",
                "--json", "--scheduler", "synchronous")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert [p["verdict"] for p in out["per_h"]] == ["diverges"] * 4  # WGAN rotates: simgd diverges at every h
    assert all(p["all_agree"] for p in out["per_h"]) and len(out["runs"]) == 4
    png = tmp_path / "s.png"
    r = run_cli("train", "game", "--data", "1:0.7", "--sweep-h", "0.1:1.5:3", "--steps", "1500", "--plot", str(png))
    assert r.returncode == 0 and png.stat().st_size > 10_000 and "rho (theory)" in r.stdout
    for args, msg in [(("--sweep-h", "1:0.5:3"), "0 < LO < HI"), (("--sweep-h", "a:b"), "expected LO:HI:N"),
                      (("--seeds", "3"), "apply to a sweep"), (("--sweep-h", "0.1:1:3", "--scheduler", "gpu"),
                                                               "scheduler must be")]:
        bad = run_cli("train", "game", *args)
        assert bad.returncode == 2 and msg in bad.stderr and "Traceback" not in bad.stderr, bad.stderr


# -- minibatch game updates against the noise floor -------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("key", [("wgan", "none"), ("gan", "r1"), ("wgan", "consensus")])
def test_the_batch_field_noise_is_the_quadrature_covariance_and_bias(models, key):
    """Monte Carlo of the minibatch field at u* (m = 32, 4000 batches) against noise(u*): mean bias / m (nonzero
    for consensus only: the same batch's J_B^T v_B) and covariance cov / m, to sampling error."""
    model, m = models[key], 32
    cov, bias = model.noise(model.u_star)
    rng = np.random.default_rng(3)
    vals = np.array([model.v_batch(model.u_star, ONE.sample(rng, m), rng.standard_normal(m)) for _ in range(4000)])
    se = np.sqrt(np.diag(cov) / m / len(vals))  # the standard error of each mean
    assert np.all(np.abs(vals.mean(axis=0) - bias / m) <= 5 * se + 1e-12), (vals.mean(axis=0), bias / m)
    scale = np.max(np.abs(cov))
    tol = 0.15 if key[1] == "consensus" else 0.08  # consensus: first order in the noise (terms O(1/m^2) left out)
    assert np.max(np.abs(np.cov(vals.T) * m - cov)) <= tol * scale
    if key[1] == "consensus":
        assert np.max(np.abs(bias)) > 0.1 * math.sqrt(scale)  # the bias is real, and seen above


@pytest.mark.slow
def test_minibatch_runs_hover_at_the_predicted_noise_floor_and_a_dropped_factor_does_not_fit(models):
    """simgd on minibatches near u*: the mean square distance over the second halves of three runs matches the
    discrete-Lyapunov prediction; it scales as 1/m (m = 64 and 256); the twin prediction with the noise
    halved (m counted twice) lies outside the measurement's error; a wrong-sign discriminator leaves u*."""
    from gantheory.engine._game_training import noise_floor

    model = models[("gan", "none")]
    floors = {}
    for m, seeds in ((64, 3), (256, 1)):
        runs = [game_dynamics(ONE, model=model, h=0.3, m=m, steps=5000, record_every=1000, eps=1e-3, seed=s)
                for s in range(seeds)]
        assert all(not r.stopped for r in runs)
        measured = np.mean([r.measured_mean_square for r in runs])
        error = math.sqrt(sum(r.mean_square_error ** 2 for r in runs)) / seeds
        predicted = runs[0].floor["mean_square"]
        assert predicted == pytest.approx(noise_floor(model, "simgd", 0.3, m)["mean_square"])
        assert abs(measured - predicted) <= max(3 * error, 0.12 * predicted), (m, measured, predicted, error)
        twin = noise_floor(model, "simgd", 0.3, 2 * m)["mean_square"]
        assert abs(measured - twin) > 3 * error and abs(measured - twin) > 0.3 * twin
        floors[m] = measured
    assert floors[64] / floors[256] == pytest.approx(4.0, rel=0.3)
    wrong = game_dynamics(ONE, model=model, h=0.3, m=64, steps=3000, eps=1e-3, _sign=-1.0)
    assert wrong.stopped.startswith("left distance 1")


@pytest.mark.slow
def test_train_game_with_minibatches_prints_the_noise_floor():
    res = run_cli("train", "game", "--data", "1:0.7", "--optimizer", "altgd", "--h", "0.3", "--m", "64", "--steps",
                  "2000", "--eps", "1e-3", "--record-every", "500", "--json")
    assert res.returncode == 0, res.stderr
    th = json.loads(res.stdout)["theory"]
    assert th["minibatch"] == 64 and th["predicted_noise_floor"]["mean_square"] > 0
    assert th["measured_mean_square"] > 0 and th["mean_square_error"] > 0
    bad = run_cli("train", "game", "--m", "0")
    assert bad.returncode == 2 and "m (the minibatch) must be" in bad.stderr
    bad = run_cli("train", "game", "--m", "100000", "--steps", "100000")
    assert bad.returncode == 2 and "at most 2e8" in bad.stderr
