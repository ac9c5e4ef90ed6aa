"""Dualing GANs with a nonlinear discriminator (seed 001): trust-region steps on the cost (A) and the score (B)
linearization, (B) dualized.

Known answers, each able to fail: the derived score gradients against central differences; the dual of model
(B) meets the model's minimum on the ball found independently by SciPy's SLSQP on the primal, inside and on
the ball, and a dual with the offsets' sign flipped does not; (A)'s step is the linear model's minimizer on the
ball; for a score linear in w, (B) is exact (rho = 1, one step lands on the linear Dualing GAN's w*) and (A) is
not; the discriminator alone reaches D* where a wrong-sign step is never taken; training keeps V <= -log 4 +
2 JSD and ends at the family's JSD minimizer, where a wrong-sign generator gradient does not.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from _cli import run_cli
from scipy.optimize import minimize

from gantheory.engine import _dualing_nonlinear as DN
from gantheory.engine._dualing_nonlinear import dualing_nonlinear, loss, loss_grad, model_minimum_scipy, model_step
from gantheory.engine._training import TrainingGAN, _dual_solve, _features, _primal_solve

ONE = TrainingGAN(means=(1.0,), stds=(0.7,), weights=(1.0,))


def _instance(seed: int, hidden: int = 4):
    rng = np.random.default_rng(seed)
    F = DN.score_model("mlp", hidden)
    w = np.concatenate([rng.standard_normal(hidden) * 2, rng.standard_normal(hidden) * 1.5,
                        rng.standard_normal(hidden), [0.3]])
    return F, w, rng.normal(1.0, 0.7, 48), rng.normal(-0.5, 1.2, 48)


def test_the_derived_score_gradients_are_its_derivatives():
    F, w, xs, _ = _instance(0)
    eps = 1e-6
    num = np.stack([(F.value(xs, w + eps * e) - F.value(xs, w - eps * e)) / (2 * eps) for e in np.eye(F.size)],
                   axis=1)
    assert np.allclose(F.grad_w(xs, w), num, atol=1e-7)
    assert np.allclose(F.d_dy(xs, w), (F.value(xs + eps, w) - F.value(xs - eps, w)) / (2 * eps), atol=1e-7)
    c = 0.01  # and the loss's gradient, which the cost linearization uses
    num_f = np.array([(loss(F, w + eps * e, xs, xs[::-1], c) - loss(F, w - eps * e, xs, xs[::-1], c)) / (2 * eps)
                      for e in np.eye(F.size)])
    assert np.allclose(loss_grad(F, w, xs, xs[::-1], c), num_f, atol=1e-7)


@pytest.mark.parametrize("delta", [1e-3, 0.05, 1.0, 1e4])
def test_the_dual_of_the_score_model_meets_its_minimum_on_the_ball(delta):
    """Strong duality of the trust-region model: the dual's value equals m(s*), s* lies in the ball (on it when
    the multiplier is positive), and no point SLSQP finds on the primal is lower."""
    for seed in range(3):
        F, w, xs, gz = _instance(seed)
        st = model_step(F, w, xs, gz, 1e-3, delta)
        s = st["s"]
        assert s @ s / 2 <= delta * (1 + 1e-12)
        if st["mu"] > 0:
            assert s @ s / 2 == pytest.approx(delta, rel=1e-10)
        assert abs(st["model_value"] - st["dual"]) < 1e-10
        assert st["model_value"] <= model_minimum_scipy(st["linearized"], delta) + 1e-10
    big = model_step(F, w, xs, gz, 1e-3, 1e4)
    assert big["mu"] == 0.0  # a ball this large does not bind


def test_a_dual_with_the_offsets_sign_flipped_misses_the_model_minimum():
    """The twin: the same solver fed -F(w, x) as offsets returns a step whose model value exceeds the minimum."""
    F, w, xs, gz = _instance(1)
    lin = DN._Linearized.at(F, w, xs, gz, 1e-3)
    wrong = DN._Linearized(lin.w, lin.c, -lin.a, lin.u, -lin.b, lin.v)
    s_wrong = DN._score_step(wrong, 10.0)[0]
    assert lin.value(s_wrong) > model_minimum_scipy(lin, 10.0) + 1e-3


def test_the_cost_linearization_step_minimizes_the_linear_model_on_the_ball():
    F, w, xs, gz = _instance(2)
    for delta in (1e-4, 0.05, 2.0):
        st = model_step(F, w, xs, gz, 1e-3, delta, model="cost")
        g = loss_grad(F, w, xs, gz, 1e-3)
        cons = {"type": "ineq", "fun": lambda s, d=delta: d - s @ s / 2, "jac": lambda s: -s}
        res = minimize(lambda s: g @ s, np.zeros_like(w), jac=lambda s: g, constraints=[cons], method="SLSQP",
                       options={"ftol": 1e-15})
        assert g @ st["s"] <= res.fun + 1e-9
        assert np.allclose(st["s"], res.x, atol=1e-5 * math.sqrt(delta))
        assert st["predicted"] == pytest.approx(-g @ st["s"], rel=1e-12)


def test_for_a_linear_score_the_score_model_is_exact_and_one_step_reaches_the_linear_dualing_optimum():
    rng = np.random.default_rng(5)
    L = DN.score_model("linear")
    xs, gz, c = rng.normal(1.0, 0.7, 64), rng.normal(0.0, 1.0, 64), 0.1
    w0 = np.zeros(3)
    st = model_step(L, w0, xs, gz, c, 1e6)
    f_min, w_primal = _primal_solve(_features(xs), _features(gz), c)
    assert np.allclose(w0 + st["s"], w_primal, atol=1e-7)
    assert loss(L, w0 + st["s"], xs, gz, c) == pytest.approx(f_min, abs=1e-12)
    assert np.allclose(_dual_solve(_features(xs), _features(gz), c)[3], w_primal, atol=1e-7)
    for delta in (1e-3, 0.1):  # on the ball too: the model is f itself, so rho = 1; the cost model is not
        st = model_step(L, w0, xs, gz, c, delta)
        assert DN._ratio(loss(L, w0, xs, gz, c), loss(L, w0 + st["s"], xs, gz, c), st["predicted"]) == \
            pytest.approx(1.0, abs=1e-9)
        cost = model_step(L, w0, xs, gz, c, delta, model="cost")
        assert DN._ratio(loss(L, w0, xs, gz, c), loss(L, w0 + cost["s"], xs, gz, c), cost["predicted"]) < 0.99


@pytest.mark.slow
def test_the_discriminator_alone_reaches_d_star_and_a_wrong_sign_step_is_never_taken():
    run = dualing_nonlinear(ONE, steps=300, m=512, lr_g=0.0, record_every=100, seed=2)
    first, last = run.history[0], run.history[-1]
    assert last["d_gap"] < 0.05 < 0.2 < first["d_gap"]
    assert last["value"] == pytest.approx(last["value_at_optimal_d"], abs=0.01)
    wrong = dualing_nonlinear(ONE, steps=100, m=512, lr_g=0.0, record_every=50, seed=2, _s_sign=-1.0)
    assert all(r["taken"] == 0 for r in wrong.history[1:])
    assert wrong.history[-1]["d_gap"] == first["d_gap"]


@pytest.mark.slow
@pytest.mark.parametrize("model", ["score", "cost"])
def test_training_keeps_the_theory_and_ends_at_the_jsd_minimizer_and_a_wrong_sign_does_not(model):
    from gantheory.cli.train import _summary

    run = dualing_nonlinear(ONE, steps=500, model=model, record_every=50, seed=0)
    sm = _summary(run, ONE)
    assert sm["value_below_optimum_at_every_record"]
    if model == "score":
        assert sm["max_model_duality_gap"] < 1e-9 and sm["max_step_value_above_scipy"] < 1e-9
    assert sm["jsd_optimum"]["mu"] == pytest.approx(1.0, abs=1e-3)
    assert sm["jsd_optimum"]["sigma"] == pytest.approx(0.7, abs=1e-3)
    assert abs(sm["final"]["mu"] - 1.0) < 0.1 and abs(sm["final"]["sigma"] - 0.7) < 0.1
    assert sm["final"]["jsd"] < 0.01 < run.history[0]["jsd"]
    wrong = dualing_nonlinear(ONE, steps=150, model=model, record_every=50, seed=0, _g_sign=-1.0)
    assert wrong.history[-1]["jsd"] > run.history[0]["jsd"]


def test_train_dualing_mlp_command_and_its_refusals():
    res = run_cli("train", "dualing", "--discriminator", "mlp", "--data", "1:0.7", "--steps", "40",
                  "--record-every", "20", "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout, parse_constant=lambda c: pytest.fail(f"{c} in the JSON"))  # strict JSON
    assert out["history"][0]["rho"] is None  # no step yet: rho undefined, null
    assert out["settings"]["model"] == "score" and out["settings"]["c"] == 1e-3 and out["settings"]["hidden"] == 4
    assert out["theory"]["max_model_duality_gap"] < 1e-9 and len(out["history"]) == 3
    res = run_cli("train", "dualing", "--discriminator", "mlp", "--model", "cost", "--steps", "20",
                  "--record-every", "10")
    assert res.returncode == 0 and "(A) cost linearization" in res.stdout and "dual gap" not in res.stdout
    for argv, msg in ((("--delta", "0.1"), "--delta applies to 'train dualing --discriminator mlp'"),
                      (("--discriminator", "mlp", "--delta", "0"), "delta must be"),
                      (("--discriminator", "mlp", "--hidden", "0"), "hidden must be"),
                      (("--discriminator", "mlp", "--delta", "1e300"), "at most 1e6")):
        bad = run_cli("train", "dualing", *argv, "--steps", "5")
        assert bad.returncode == 2 and msg in bad.stderr, (argv, bad.stderr)
    bad = run_cli("train", "wgan", "--discriminator", "mlp")
    assert bad.returncode == 2 and "--discriminator applies to 'train dualing'" in bad.stderr
