"""gantheory.stability and ``gantheory stability``: against per-point eigenvalues, simulation and
closed forms from the literature."""

from __future__ import annotations

import json

import numpy as np
import pytest
import sympy as sp
from _cli import run_cli

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


@pytest.mark.slow
def test_map_with_dask_threads_and_a_local_cluster_equals_numpy():
    axes = {"h": (0.05, 2.0, 40), "beta": (-0.9, 0.9, 30)}
    ref = S.stability_map(ALT_MOM, axes, {}, chunk=97)["rho"]
    threads = S.stability_map(ALT_MOM, axes, {}, chunk=97, scheduler="threads")["rho"]
    np.testing.assert_array_equal(ref, threads)
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0") as c:
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


#: two uncoupled strongly convex-concave parts, simultaneous GD with momentum: lambda-degree 8 = 4 + 4
TWO_PART = S.Setup("expression", "gan", "none", "simgd", momentum=True,
                   loss_expr="theta1*psi1 + 3*theta2*psi2 + theta1**2/2 + theta2**2/4 - psi1**2/4 - psi2**2/2",
                   min_vars=("theta1", "theta2"), max_vars=("psi1", "psi2"))


#: more of the same kind (an alternating and a lookahead update, covered above by ALT_MOM and EG): slow run
_MORE = pytest.mark.slow


@pytest.mark.slow
@pytest.mark.parametrize("setup", [ALT_MOM, R1, S.Setup("bilinear", "gan", "none", "simgd", momentum=True),
                                   pytest.param(S.Setup("dirac", "gan", "instance-noise", "altgd"), marks=_MORE),
                                   pytest.param(S.Setup("bilinear", "gan", "none", "optimistic"), marks=_MORE),
                                   EG, TWO_PART])
def test_schur_cohn_conditions_agree_with_exact_verdicts_and_simulation(setup):
    """The converges-iff condition in every free parameter, at 60 random rational points: true exactly where
    the exact unit-circle verdict says "converges" (points on an exception or marginal excluded); and at a
    few of them, iterating the update matrix contracts or not as the condition says. ``TWO_PART`` has a
    characteristic polynomial of degree 8, two irreducible factors of degree 4: its condition is theirs."""
    c = S.conditions(setup, {})
    if setup is TWO_PART:
        from gantheory.symbolic._stability import lambda_factors

        P = S.characteristic_polynomial(setup)
        assert sorted(sp.Poly(f, S.lam).degree() for f in lambda_factors(P, S.lam)) == [4, 4]
    syms = [S.PARAMETERS[n] for n in c["parameters"]]
    rng = np.random.default_rng(7)
    M = S.update_matrix(setup)
    seen = {True: 0, False: 0}
    for k in range(60):
        point = {}
        for n in c["parameters"]:
            lo, hi = {"beta": (-9, 9), "h": (1, 30), "gamma": (0, 40), "sigma": (1, 30)}[n]
            point[n] = sp.Rational(int(rng.integers(lo, hi + 1)), 10)
        sub = {S.PARAMETERS[n]: v for n, v in point.items()}
        if any(sp.simplify(e.subs(sub)) == 0 for e in c["exceptions"]):
            continue
        exact = S.spectral_radius(setup, point)["stability"]
        if exact == "marginal":
            continue
        said = bool(c["relational"].subs(sub))
        assert said == (exact == "converges"), (point, exact)
        seen[said] += 1
        if k % 6 == 0:  # the iteration itself
            A = np.array(M.subs(sub).evalf(), dtype=float)
            z = np.ones(A.shape[0])
            for _ in range(3000):
                z = A @ z
                if not np.all(np.isfinite(z)) or np.linalg.norm(z) > 1e12:
                    break
            assert (np.linalg.norm(z) < 1e-3) == said, (point, np.linalg.norm(z))
    assert seen[False] and sum(seen.values()) >= 30
    # seed 004: simultaneous momentum never converges on the bilinear game (a strongly convex-concave one can)
    never = setup.optimizer == "simgd" and setup.momentum and setup.game != "expression"
    assert bool(seen[True]) != never  # both sides of the boundary met, where there are two
    assert set(map(str, syms)) == {str(S.PARAMETERS[n]) for n in c["parameters"]}


@pytest.mark.slow
def test_schur_cohn_on_random_polynomials_matches_root_finding():
    from gantheory.symbolic._stability import schur_cohn

    lam = sp.Symbol("lambda")
    rng = np.random.default_rng(0)
    for _ in range(200):
        n = int(rng.integers(1, 6))
        coeffs = rng.normal(size=n + 1) * rng.choice([0.3, 1.0, 2.0])
        p = sum(sp.Float(c) * lam ** (n - k) for k, c in enumerate(coeffs))
        stable = all(float(d) > 0 for d in schur_cohn(p, lam))
        assert stable == (np.max(np.abs(np.roots(coeffs))) < 1)


def test_conditions_refuse_a_factor_above_max_degree_before_any_work():
    """An irreducible factor of degree 8 with two free parameters: the Schur-Cohn derivation would take
    minutes, so ``conditions`` says so at once (the degree, the limit, what to do instead); a bad
    ``max_degree`` is named. With one parameter fixed the condition is derived as before."""
    import time

    coupled = S.Setup("expression", "gan", "none", "simgd", momentum=True,
                      loss_expr="theta1*psi1 + theta2*psi2 + theta1*psi2 + theta1**2/4",
                      min_vars=("theta1", "theta2"), max_vars=("psi1", "psi2"))
    t = time.monotonic()
    with pytest.raises(S.ConditionsTooHard, match=r"degree 8 in lambda \(above max_degree = 4\).*max_degree=None") \
            as hard:
        S.conditions(coupled, {})
    assert (hard.value.degree, hard.value.max_degree, hard.value.parameters) == (8, 4, ["beta", "h"])
    assert isinstance(hard.value, ValueError)
    assert time.monotonic() - t < 20  # the factoring only, no Schur-Cohn in two parameters
    for bad in (0, 2.5, True, "4"):
        with pytest.raises(ValueError, match="max_degree must be a positive integer or None"):
            S.conditions(ALT_MOM, {}, max_degree=bad)
    with pytest.raises(ValueError, match="degree 4 in lambda"):
        S.conditions(ALT_MOM, {}, max_degree=3)  # one factor of degree 4, h and beta free
    c = S.conditions(ALT_MOM, {"beta": sp.Rational(1, 2)}, max_degree=1)  # one free parameter: always derived
    assert c["parameters"] == ["h"] and c["schur_cohn"]


@pytest.mark.slow
def test_cli_says_why_a_condition_in_several_parameters_is_not_computed(tmp_path):
    """The command asks conditions() and turns its refusal (ConditionsTooHard) into the note with the degree and
    what to do instead; the map is still drawn, the plot shows rho alone, and fixing beta gives the condition."""
    args = ("--loss-expr", "theta1*psi1 + theta2*psi2 + theta1*psi2 + theta1**2/4", "--min", "theta1,theta2",
            "--max", "psi1,psi2", "--optimizer", "simgd")
    res = run_cli("stability", *args, "--map", "h=0.01:1:5,beta=-0.5:0.5:5", "--plot", tmp_path / "m.png")
    assert res.returncode == 0, res.stderr
    assert "not computed: the characteristic polynomial has an irreducible factor of degree 8 in lambda" in res.stdout
    assert "above degree 4; --fix decides a point exactly" in res.stdout and (tmp_path / "m.png").stat().st_size
    out = json.loads(run_cli("stability", *args, "--map", "h=0.01:1:5,beta=-0.5:0.5:5", "--json").stdout)
    assert out["condition"] is None and "degree 8" in out["condition_note"] and out["map"]["parameters"]
    fixed = json.loads(run_cli("stability", *args, "--beta", "0", "--json").stdout)
    assert fixed["condition"]["parameters"] == ["h"] and "condition_note" not in fixed


@pytest.mark.slow
def test_cli_condition_in_two_parameters_and_its_exact_boundary(tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "map.png"
    r = _cli("--game", "bilinear", "--optimizer", "altgd", "--map", "beta=-0.99:0.5:60,h=0.01:2:60", "--plot",
             str(out), "--json")
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)
    cond = rec["condition"]
    assert cond["parameters"] == ["beta", "h"] and "beta" in cond["exceptions"]
    rel = sp.sympify(cond["relational"], locals={"beta": S.PARAMETERS["beta"], "h": S.PARAMETERS["h"]})
    beta, h = S.PARAMETERS["beta"], S.PARAMETERS["h"]
    assert bool(rel.subs({beta: sp.Rational(-1, 2), h: sp.Rational(1, 2)}))  # Gidel et al.: negative momentum
    assert not bool(rel.subs({beta: sp.Rational(1, 4), h: sp.Rational(1, 2)}))
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


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
    return run_cli("stability", *args)


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
    (["--game", "dirac", "--optimizer", "simgd", "--beta", "0.1", "--hg", "0.1", "--hd", "0.1"],
     "two time scales (hg, hd) are defined without momentum"),
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
    (["--loss-expr", "theta*psi +", "--optimizer", "simgd"], "cannot read --loss-expr"),
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


@pytest.mark.parametrize("optimizer", ["simgd", "altgd", "extragradient", "optimistic"])
def test_two_time_scales_for_every_optimizer_match_the_maps_they_linearize(optimizer):
    """The update Jacobian with a generator step hg and a discriminator step hd equals the finite-difference
    Jacobian of the nonlinear map on the Dirac-GAN with R1 (the field from the engine, not the symbolic
    Jacobian): extragradient z + H v(z + H v(z)); optimistic z + 2H v(z_t) - H v(z_{t-1}) on (z_t, z_{t-1})."""
    from gantheory.engine._dynamics import numeric_field

    hg_, hd_ = 0.3, 0.7
    setup = S.Setup("dirac", "gan", "r1", optimizer, two_timescale=True)
    M = np.array(S.update_matrix(setup).subs({S.PARAMETERS["hg"]: hg_, S.PARAMETERS["hd"]: hd_,
                                              S.PARAMETERS["gamma"]: 1}).evalf(), dtype=float)
    f = numeric_field("dirac", "gan", "r1", 1.0, 1.0)
    H = np.array([hg_, hd_])

    def v(z):
        a, b = f(np.array([z[0]]), np.array([z[1]]))
        return np.array([a[0], b[0]])

    def step(z):
        if optimizer == "simgd":
            return z + H * v(z)
        if optimizer == "altgd":
            t = z[0] + hg_ * v(z)[0]
            return np.array([t, z[1] + hd_ * v(np.array([t, z[1]]))[1]])
        if optimizer == "extragradient":
            return z + H * v(z + H * v(z))
        cur, prev = z[:2], z[2:]  # optimistic, on the stacked state
        return np.concatenate([cur + 2 * H * v(cur) - H * v(prev), cur])

    n = M.shape[0]
    eps = 1e-6
    fd = np.column_stack([(step(eps * e) - step(-eps * e)) / (2 * eps) for e in np.eye(n)])
    np.testing.assert_allclose(M, fd, atol=1e-8)


@pytest.mark.slow
@pytest.mark.parametrize("h", [sp.Rational(1, 10**100), sp.Rational(1, 10**300), sp.Rational(1, 10)])
def test_exact_verdicts_stay_exact_at_extreme_step_sizes(h):
    """rho = 1 - h^2/8 + O(h^4) for extragradient and optimistic on the Dirac-GAN (below 1 for every small
    h): at h = 1e-100 the modulus is 1e-201 from 1, far below the root finder's first precision; Schur-Cohn
    in rational arithmetic decides it. simgd's rho = sqrt(1 + h^2 ...) > 1 stays outside, altgd on the
    circle; h = 1e300 (coefficients of 1e600) gets an answer, not a root-finder failure."""
    from gantheory.stability import Setup, spectral_radius

    want = {"extragradient": "converges", "optimistic": "converges", "simgd": "diverges", "altgd": "marginal"}
    for opt, verdict in want.items():
        assert spectral_radius(Setup("dirac", "nsgan", "none", opt), {"h": h})["stability"] == verdict, opt
    assert spectral_radius(Setup("dirac", "nsgan", "none", "simgd"), {"h": sp.Integer(10) ** 300})["stability"] \
        == "diverges"


def test_joint_optimum_finds_r1s_two_step_point_and_a_multiple_root():
    """R1 on the Dirac-GAN, simultaneous GD: the characteristic polynomial is
    (4 gamma h lambda - 4 gamma h + h^2 + 4 lambda^2 - 8 lambda + 4)/4, which at h = 2, gamma = 1 is lambda^2
    (checked here by substitution): rho = 0, the best possible, at a double root. The joint search finds it."""
    from gantheory import stability as S

    s = S.Setup("dirac", "gan", "r1", "simgd")
    lam = sp.Symbol("lambda")
    poly = sp.expand(S.characteristic_polynomial(s).subs({S.PARAMETERS["h"]: 2, S.PARAMETERS["gamma"]: 1}))
    assert sp.simplify(poly - lam**2) == 0
    j = S.joint_optimum(s, ["h", "gamma"], {}, {"h": (1e-3, 4.0), "gamma": (0.0, 20.0)})
    assert j["values"]["h"] == pytest.approx(2.0, abs=1e-6) and j["values"]["gamma"] == pytest.approx(1.0, abs=1e-6)
    assert j["spectral_radius"] < 1e-6 and j["multiple_root"] and j["multiplicity"] == 2
    assert j["spectral_radius"] <= j["grid_best"] and j["certified"] is True
    assert j["certificate"]["lower"] == 0 and j["certificate"]["upper"] < 1e-9
    assert j["exact"]["values"] == {"h": "2", "gamma": "1"} and j["exact"]["spectral_radius"] == "0"


@pytest.mark.slow
def test_joint_optimum_of_step_and_momentum_beats_every_grid_point():
    from gantheory import stability as S

    s = S.Setup("bilinear", "gan", "none", "altgd", momentum=True)
    j = S.joint_optimum(s, ["h", "beta"], {}, {"h": (1e-3, 2.0), "beta": (-0.999, 0.999)}, certify=False)
    assert j["certificate"] is None and j["certified"] is False
    rho = S.rho_function(S.update_matrix(s), [S.PARAMETERS["h"], S.PARAMETERS["beta"]])
    hs, bs = np.meshgrid(np.linspace(1e-3, 2, 81), np.linspace(-0.999, 0.999, 81), indexing="ij")
    assert j["spectral_radius"] <= float(np.min(rho(hs.ravel(), bs.ravel()))) + 1e-12
    assert j["spectral_radius"] < 0.5 and j["multiple_root"]  # momentum alone (h = 1/2) reaches 1/sqrt(2)
    with pytest.raises(ValueError, match="two or three different parameters"):
        S.joint_optimum(s, ["h", "h"], {}, {"h": (0.1, 1)})


def test_stability_command_optimizes_jointly():
    from _cli import run_cli

    res = run_cli("stability", "--game", "dirac", "--reg", "r1", "--optimizer", "simgd", "--optimize", "h,gamma",
                  "--json")
    assert res.returncode == 0, res.stderr
    import json

    j = json.loads(res.stdout)["joint_optimum"]
    assert j["values"]["h"] == pytest.approx(2.0, abs=1e-6)
    bad = run_cli("stability", "--game", "dirac", "--reg", "r1", "--optimizer", "simgd", "--optimize", "h,gamma",
                  "--range", "0.1", "1")
    assert bad.returncode == 2 and "--range is the interval of one parameter" in bad.stderr
    bad = run_cli("stability", "--game", "dirac", "--reg", "r1", "--optimizer", "simgd", "--optimize", "h=2:1,gamma")
    assert bad.returncode == 2 and "lo < hi" in bad.stderr


def test_a_periodic_field_has_infinitely_many_equilibria_and_says_so():
    """sin(theta) psi: grad L = 0 at theta = k pi, psi = 0 for every integer k (SymPy's solve returns one
    period's two); the command says there are infinitely many and asks for --at, which then linearizes there.
    A polynomial game with one equilibrium is not affected."""
    from gantheory.stability import expression_game

    with pytest.raises(ValueError, match="infinitely many solutions.*period 2\\*pi in theta"):
        expression_game("sin(theta)*psi")
    with pytest.raises(ValueError, match="infinitely many"):
        expression_game("cos(theta)*psi + psi**2")
    J, point = expression_game("sin(theta)*psi", at=(("theta", 0), ("psi", 0)))
    assert point == {"theta": "0", "psi": "0"} and J == sp.Matrix([[0, -1], [1, 0]])
    # no stationary point at all (exp(theta) never vanishes), and a line of them (theta = 0, psi free)
    with pytest.raises(ValueError, match="no real solution that SymPy finds: the game may have no stationary"):
        expression_game("exp(theta)*psi")
    with pytest.raises(ValueError, match="no isolated real solution"):
        expression_game("theta**3")
    J, point = expression_game("theta*psi + theta**2/4")
    assert point == {"theta": "0", "psi": "0"}


def test_the_update_matrix_is_derived_once_and_handed_out_as_a_copy():
    """update_matrix caches its derivation per setup: a caller that changes the Matrix it got does not change
    the next caller's, and the setup is still validated on every call (n_g = True equals 1 as a key)."""
    s = S.Setup("bilinear", "gan", "none", "altgd", momentum=True, n_g=1)
    first = S.update_matrix(s)
    kept = first.copy()
    first[0, 0] = sp.Integer(123)
    assert S.update_matrix(s) == kept and S.update_matrix(s) is not S.update_matrix(s)
    with pytest.raises(ValueError, match="n_g must be an integer"):
        S.update_matrix(S.Setup("bilinear", "gan", "none", "altgd", momentum=True, n_g=True))
    with pytest.raises(ValueError, match="n_g must be an integer"):
        S.characteristic_polynomial(S.Setup("bilinear", "gan", "none", "altgd", momentum=True, n_g=True))


def test_an_equilibrium_sympy_cannot_solve_in_time_asks_for_at(monkeypatch):
    """SymPy's solve of grad L = 0 has no deadline; past EQUILIBRIUM_MAX_SECONDS the command asks for --at
    (one clear line, exit 2) instead of running on. With --at the same game is analysed."""
    import sys

    from _cli import run_cli

    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: None)  # see test_limits: an alarm lost in gc
    monkeypatch.setattr(S, "EQUILIBRIUM_MAX_SECONDS", 0.05)
    loss = "theta*psi + theta**2/2 + sin(theta*psi)**3 + exp(theta)*psi**5"
    res = run_cli("stability", "--loss-expr", loss, "--optimizer", "simgd", "--h", "0.1")
    assert res.returncode == 2
    assert "grad L = 0 was not solved within 0.05 s: give the equilibrium with --at" in res.stderr
    res = run_cli("stability", "--loss-expr", loss, "--optimizer", "simgd", "--h", "0.1", "--at", "theta=0,psi=0")
    assert res.returncode == 0, res.stderr
