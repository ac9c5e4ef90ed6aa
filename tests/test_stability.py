"""gantheory.stability and ``gantheory stability``: against per-point eigenvalues, simulation and
closed forms from the literature."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp

from gantheory import stability as S
from gantheory.engine._dynamics import simulate

EG = S.Setup("bilinear", "gan", "none", "extragradient")
ALT_MOM = S.Setup("bilinear", "gan", "none", "altgd", momentum=True)
R1 = S.Setup("dirac", "gan", "r1", "simgd")


def _rho_eig(setup, point):
    """Independent: the numeric update matrix (not its polynomial) and numpy's eigenvalues."""
    M = S.update_matrix(setup).subs({S.PARAMETERS[k]: v for k, v in point.items()})
    return np.max(np.abs(np.linalg.eigvals(np.array(M.evalf(), dtype=complex))))


@pytest.mark.parametrize("setup,axes,fixed", [
    (ALT_MOM, {"h": (0.05, 2.0, 9), "beta": (-0.95, 0.95, 11)}, {}),
    (EG, {"h": (0.05, 1.8, 23)}, {}),
    (R1, {"h": (0.05, 3.0, 7), "gamma": (0.0, 5.0, 9)}, {}),
    (S.Setup("bilinear", "gan", "none", "optimistic"), {"h": (0.05, 1.5, 17)}, {}),
])
def test_map_matches_per_point_eigenvalues(setup, axes, fixed):
    m = S.stability_map(setup, axes, fixed, chunk=7)  # small chunks: the chunk boundaries are exercised
    grids = [np.asarray(a) for a in m["axes"]]
    for idx in np.ndindex(m["rho"].shape):
        point = {name: sp.Float(grids[k][idx[k]]) for k, name in enumerate(m["parameters"])}
        assert m["rho"][idx] == pytest.approx(_rho_eig(setup, point), rel=1e-9, abs=1e-12)


def test_map_with_dask_threads_and_a_local_cluster_equals_numpy():
    axes = {"h": (0.05, 2.0, 40), "beta": (-0.9, 0.9, 30)}
    ref = S.stability_map(ALT_MOM, axes, {}, chunk=97)["rho"]
    threads = S.stability_map(ALT_MOM, axes, {}, chunk=97, scheduler="threads")["rho"]
    np.testing.assert_array_equal(ref, threads)
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as c:
        far = S.stability_map(ALT_MOM, axes, {}, chunk=97, scheduler=c.scheduler_address)["rho"]
    np.testing.assert_array_equal(ref, far)


@pytest.mark.parametrize("setup,param,fixed,inside,outside", [
    (EG, "h", {}, [0.3, 0.9], [1.1, 1.5]),
    (ALT_MOM, "beta", {"h": sp.Rational(1, 2)}, [-0.7, -0.2], [-0.9, 0.2]),
    (R1, "h", {"gamma": 1}, [0.5, 3.5], [4.5]),
])
def test_condition_agrees_with_simulation(setup, param, fixed, inside, outside):
    """Points inside the exact stable set contract in the simulator, points outside grow (from a start near
    the equilibrium: the condition is local, and the Dirac-GAN is nonlinear)."""
    c = S.condition(setup, param, fixed)
    for val in inside + outside:
        assert bool(c["set"].contains(sp.nsimplify(val))) == (val in inside)
        kw = {k: float(v) for k, v in fixed.items()}
        kw[param] = val
        h = kw.pop("h", 0.1)
        beta = kw.pop("beta", 0.0)
        with np.errstate(all="ignore"):  # the diverging runs overflow, as they should
            sim = simulate(np.array([3e-4]), np.array([-2e-4]), h, game=setup.game, loss=setup.loss, reg=setup.reg,
                           optimizer=setup.optimizer, steps=3000, beta=beta, gamma=kw.get("gamma", 1.0), track=False)
        d = float(np.hypot(sim.theta[0], sim.psi[0])) / float(np.hypot(3e-4, 2e-4))
        if val in inside:
            assert d < 1e-3, (val, d)
        else:
            assert not d < 1, (val, d)  # grown (or overflowed to inf / nan)


def test_optimum_closed_forms():
    """Extragradient on the bilinear game: h* = 1/sqrt(2), rho* = sqrt(3)/2 (rho^2 = 1 - h^2 + h^4);
    R1 on the Dirac-GAN at h = 1/10: gamma* = 2 f'(0) = 1 (critical damping), rho* = 1 - h/2."""
    o = S.optimum(EG, "h", {}, 0.01, 2.0)
    assert o["certified"] and o["value"] == pytest.approx(2 ** -0.5, abs=1e-7)
    assert sp.sympify(o["closed_form"]["value"]) == 1 / sp.sqrt(2)
    assert sp.sympify(o["closed_form"]["spectral_radius_exact"]) == sp.sqrt(3) / 2
    o = S.optimum(R1, "gamma", {"h": sp.Rational(1, 10)}, 0.0, 20.0)
    assert sp.sympify(o["closed_form"]["value"]) == 1 and o["spectral_radius"] == pytest.approx(0.95, abs=1e-8)
    o = S.optimum(ALT_MOM, "beta", {"h": sp.Rational(1, 2)}, -0.99, 0.99)  # Gidel et al.: negative
    assert o["certified"] and -0.75 < o["value"] < 0 and o["spectral_radius"] < 1


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "gantheory", "stability", *args], capture_output=True, text=True,
                          timeout=300)


def test_cli_json_contract(tmp_path):
    r = _cli("--game", "bilinear", "--optimizer", "altgd", "--h", "0.5", "--optimize", "beta",
             "--map", "beta=-0.99:0.99:50", "--json", "--plot", str(tmp_path / "m.png"))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    for key in ("characteristic_polynomial", "condition", "spectral_radius", "optimum", "map"):
        assert key in out
    assert out["condition"]["set"] == "Interval.open(-3/4, 0)"
    assert len(out["map"]["rho"]) == 50 and (tmp_path / "m.png").stat().st_size > 10_000
    r = _cli("--game", "dirac", "--optimizer", "altgd", "--h", "0.1", "--json")
    out = json.loads(r.stdout)
    assert out["stability"] == "marginal" and out["spectral_radius"] == 1.0


@pytest.mark.parametrize("args, needle", [
    (["--game", "dirac", "--optimizer", "simgd", "--optimize", "eta"], "unknown parameter 'eta'"),
    (["--game", "dirac", "--optimizer", "simgd", "--h", "0.1", "--hg", "0.2"], "either --h or --hg/--hd"),
    (["--game", "dirac", "--optimizer", "simgd", "--h", "-1"], "outside its domain"),
    (["--game", "dirac", "--optimizer", "simgd", "--h", "abc"], "is not a number"),
    (["--game", "dirac", "--optimizer", "simgd", "--map", "h=1:0:10"], "LO < HI"),
    (["--game", "dirac", "--optimizer", "extragradient", "--hg", "0.1", "--hd", "0.1"], "two time scales"),
    (["--game", "dirac", "--optimizer", "simgd", "--h", "0.1", "--plot", "x.png"], "--plot draws the map"),
    (["--game", "dirac", "--optimizer", "altgd", "--h", "0.1", "--ng", "0"], "--ng must be at least 1"),
])
def test_cli_bad_input_one_line(args, needle):
    r = _cli(*args)
    assert r.returncode == 2 and needle in r.stderr and "Traceback" not in r.stderr


def test_typed_games_agree_with_the_built_in_ones():
    """The Dirac-GAN and the bilinear game typed as expressions give the same polynomials as --game."""
    typed = S.Setup(loss_expr="-log(1 + exp(-psi*theta)) - log(2)", optimizer="altgd")
    built = S.Setup("dirac", "gan", "none", "altgd")
    assert sp.simplify(S.characteristic_polynomial(typed) - S.characteristic_polynomial(built)) == 0
    typed = S.Setup(loss_expr="theta*psi", optimizer="optimistic")
    assert S.condition(typed, "h", {})["set"] == sp.Interval.open(0, 1 / sp.sqrt(3))


def test_typed_game_with_vector_players_matches_eigenvalues():
    setup = S.Setup(loss_expr="theta1*psi + theta2*psi + theta1**2/2 - psi**2/2", optimizer="simgd",
                    min_vars=("theta1", "theta2"), max_vars=("psi",))
    c = S.condition(setup, "h", {})
    for h in (0.1, 0.5, 1.0, 1.5, 2.5):
        rho = _rho_eig(setup, {"h": sp.Float(h)})
        if abs(rho - 1) > 1e-9:
            assert bool(c["set"].contains(sp.Float(h))) == (rho < 1), (h, rho)


@pytest.mark.parametrize("args, needle", [
    (["--loss-expr", "theta**2*psi - psi", "--optimizer", "simgd", "--h", "0.1"], "choose one with --at"),
    (["--loss-expr", "theta*psi + a", "--optimizer", "simgd"], "not players' variables: a"),
    (["--loss-expr", "theta*psi +", "--optimizer", "simgd"], "cannot parse"),
    (["--loss-expr", "theta*psi", "--game", "dirac", "--optimizer", "simgd"], "one of them"),
    (["--loss-expr", "theta*psi", "--optimizer", "simgd", "--at", "theta=1,psi=1"], "not a stationary point"),
])
def test_typed_game_errors(args, needle):
    r = _cli(*args)
    assert r.returncode == 2 and needle in r.stderr and "Traceback" not in r.stderr


def test_typed_game_at_a_chosen_equilibrium():
    r = _cli("--loss-expr", "theta**2*psi - psi", "--optimizer", "simgd", "--h", "0.1", "--at", "theta=1,psi=0",
             "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["stability"] == "diverges" and out["spectral_radius"] == pytest.approx(np.sqrt(1.04), rel=1e-12)
