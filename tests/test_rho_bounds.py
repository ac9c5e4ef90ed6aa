"""Certified enclosures of polynomials over boxes, and certified bounds on the smallest spectral radius."""

from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from mpmath import iv

from gantheory import stability as S
from gantheory.symbolic._boxes import BoxPolynomial
from gantheory.symbolic._rho_bounds import dyadic_above, dyadic_below, rho_at_least, rho_below_at

x, y = sp.symbols("x y")


def _exact(poly: sp.Poly, point) -> Fraction:
    total = Fraction(0)
    for mono, c in zip(poly.monoms(), poly.coeffs()):
        term = Fraction(int(c.p), int(c.q))
        for v, e in zip(point, mono):
            term *= Fraction(v) ** e
        total += term
    return total


def test_enclosures_round_outward_where_nearest_rounding_would_miss():
    """x - 1/10 at the float nearest 1/10: the exact value is 2^-56 * 0.4 > 0, and float arithmetic gives 0.
    The enclosure must contain the exact value (so it cannot be the single float 0)."""
    p = BoxPolynomial(x - sp.Rational(1, 10), [x])
    pt = np.array([[0.1]])
    lo, hi = p.enclose(pt, pt)
    exact = Fraction(0.1) - Fraction(1, 10)
    assert exact > 0 and float(exact) > 0
    assert Fraction(float(lo[0])) <= exact <= Fraction(float(hi[0]))
    assert hi[0] > 0  # nearest rounding alone would end at 0 and miss it


def test_enclosures_contain_exact_values_and_agree_with_mpmath_iv():
    """Random polynomials in two variables on random boxes: every exact value at the corners and at random
    points of the box lies in the enclosure, and the enclosure is no wider than mpmath.iv's natural one
    (evaluated term by term at 53 bits), up to rounding."""
    rng = np.random.default_rng(7)
    iv.prec = 53
    for _ in range(30):
        expr = sum(sp.Rational(int(rng.integers(-50, 50)), int(rng.integers(1, 9))) * x ** int(rng.integers(0, 4))
                   * y ** int(rng.integers(0, 4)) for _ in range(6))
        if expr == 0:
            continue
        poly = sp.Poly(expr, x, y)
        bp = BoxPolynomial(expr, [x, y])
        c = rng.normal(size=2) * 2
        w = 10.0 ** rng.uniform(-6, 0, size=2)
        lo, hi = np.array([c - w]), np.array([c + w])
        a, b = bp.enclose(lo, hi)
        pts = [(lo[0, 0], lo[0, 1]), (lo[0, 0], hi[0, 1]), (hi[0, 0], lo[0, 1]), (hi[0, 0], hi[0, 1])]
        pts += [tuple(lo[0] + rng.uniform(size=2) * (hi[0] - lo[0])) for _ in range(20)]
        for pt in pts:
            v = _exact(poly, pt)
            assert Fraction(float(a[0])) <= v <= Fraction(float(b[0])), (expr, pt)
        X, Y = iv.mpf([lo[0, 0], hi[0, 0]]), iv.mpf([lo[0, 1], hi[0, 1]])
        ref = iv.mpf(0)
        for mono, coef in zip(poly.monoms(), poly.coeffs()):
            ref += iv.mpf(int(coef.p)) / int(coef.q) * X ** mono[0] * Y ** mono[1]
        assert float(b[0]) - float(a[0]) <= float(ref.delta) * (1 + 1e-9) + 1e-300


def test_a_perturbed_polynomial_is_caught_by_its_exact_values():
    """The same check on a wrong enclosure (one coefficient's sign flipped) fails: the test can see an error."""
    expr = 3 * x**2 * y - 2 * x + sp.Rational(1, 3)
    wrong = BoxPolynomial(3 * x**2 * y + 2 * x + sp.Rational(1, 3), [x, y])
    lo, hi = np.array([[0.5, 0.2]]), np.array([[0.6, 0.3]])
    a, b = wrong.enclose(lo, hi)
    v = _exact(sp.Poly(expr, x, y), (0.55, 0.25))
    assert not (Fraction(float(a[0])) <= v <= Fraction(float(b[0])))


def _setup_poly(s, params):
    P = S.update_matrix(s).charpoly(S.lam).as_expr()
    return P, [S.PARAMETERS[p] for p in params]


def test_rho_below_at_is_exact_and_strict():
    """R1 on the Dirac-GAN with simultaneous GD at h = 2, gamma = 1: the characteristic polynomial is
    lambda^2, rho = 0 (a double root at 0): below every positive r, not below 0."""
    P, (h, g) = _setup_poly(S.Setup("dirac", "gan", "r1", "simgd"), ["h", "gamma"])
    at = {h: sp.Integer(2), g: sp.Integer(1)}
    assert rho_below_at(P, S.lam, at, sp.Rational(1, 10**30))
    assert not rho_below_at(P, S.lam, at, 0)
    # bilinear extragradient at h = 1/2: rho^2 = (1 - h^2)^2 + h^2 = 13/16 (the roots 1 - h^2 -+ i h)
    P, (h,) = _setup_poly(S.Setup("bilinear", "gan", "none", "extragradient"), ["h"])
    rho2 = sp.Rational(13, 16)
    assert sp.expand(P.subs(h, sp.Rational(1, 2))) == sp.expand((S.lam - sp.Rational(3, 4))**2 + sp.Rational(1, 4))
    assert rho_below_at(P, S.lam, {h: sp.Rational(1, 2)}, dyadic_above(float(sp.sqrt(rho2)) + 1e-15, 60))
    assert not rho_below_at(P, S.lam, {h: sp.Rational(1, 2)}, dyadic_below(float(sp.sqrt(rho2)) - 1e-15, 60))


@pytest.mark.parametrize("setup,params,box", [
    (S.Setup("dirac", "gan", "r1", "simgd"), ["h", "gamma"], [(0.5, 4.0), (0.0, 0.5)]),
    (S.Setup("dirac", "nsgan", "none", "extragradient"), ["h", "gamma"], [(1e-3, 2.0), (0.0, 3.0)]),
])
def test_lower_bounds_hold_below_the_minimum_and_fail_above_it(setup, params, box):
    """rho >= r on the whole box is proved for r just below the minimum, and refuted for r above it, with a
    box where rho < r -- checked at its centre independently (NumPy's roots). The minima, by hand:
    R1 with simultaneous GD has lambda^2 + (gamma h - 2) lambda + 1 - gamma h + h^2/4, a complex pair with
    rho^2 = 1 - gamma h + h^2/4 (discriminant -3 h^2/4 at gamma = 1/2), smallest at gamma = 1/2, h = 1:
    sqrt(3)/2; extragradient on the Dirac-GAN: sqrt(3)/2 at h = sqrt(2) (``gantheory stability``'s closed form)."""
    P, gens = _setup_poly(setup, params)
    true_min = np.sqrt(3) / 2
    below = rho_at_least(P, S.lam, gens, box, dyadic_below(true_min - 1e-5, 24))
    assert below.holds is True and below.boxes > 1
    above = rho_at_least(P, S.lam, gens, box, dyadic_below(true_min + 1e-3, 24))
    assert above.holds is False
    centre = 0.5 * (above.better[0] + above.better[1])
    coeffs = sp.Poly(P.subs(dict(zip(gens, centre.tolist()))), S.lam).all_coeffs()
    assert np.max(np.abs(np.roots(np.array(coeffs, dtype=float)))) < true_min + 1e-3


def test_an_exhausted_budget_is_undecided_not_a_verdict():
    P, gens = _setup_poly(S.Setup("dirac", "nsgan", "none", "extragradient"), ["h", "gamma"])
    b = rho_at_least(P, S.lam, gens, [(1e-3, 2.0), (0.0, 3.0)], dyadic_below(np.sqrt(3) / 2 - 1e-9, 40),
                     max_boxes=500)
    assert b.holds is None and "still open" in b.reason


@pytest.mark.slow
def test_joint_optimum_of_negative_momentum_is_certified_and_exact():
    """Alternating GD with heavy-ball momentum on the bilinear game, (h, beta) jointly: the optimum is a triple
    real root. The exact point is checked here independently: at beta = 4 sqrt(3) - 7 and
    h = sqrt(128 sqrt(3) - 192) / 3 the roots (mpmath, 50 digits) have largest modulus 2 sqrt(3) - 3, three of
    them equal, and the certified bracket contains that value."""
    s = S.Setup("bilinear", "gan", "none", "altgd", momentum=True)
    j = S.joint_optimum(s, ["h", "beta"], {}, {"h": (1e-3, 2.0), "beta": (-0.999, 0.999)})
    c, e = j["certificate"], j["exact"]
    assert j["certified"] and c["holds"]
    assert c["lower"] <= 2 * np.sqrt(3) - 3 <= c["upper"] and c["upper"] - c["lower"] < 1e-5
    assert sp.sympify(e["spectral_radius"]).equals(2 * sp.sqrt(3) - 3)
    assert "multiplicity 3" in e["root"]
    P, (h, beta) = _setup_poly(s, ["h", "beta"])
    mpmath.mp.dps = 50
    at = {h: sp.sqrt(128 * sp.sqrt(3) - 192) / 3, beta: 4 * sp.sqrt(3) - 7}
    assert sp.sympify(e["values"]["beta"]).equals(at[beta]) and sp.sympify(e["values"]["h"]).equals(at[h])
    coeffs = [mpmath.mpf(str(sp.N(cf, 60))) for cf in sp.Poly(P.subs(at), S.lam).all_coeffs()]
    roots = sorted(mpmath.polyroots(coeffs, maxsteps=200, extraprec=200), key=lambda z: -abs(z))
    assert abs(abs(roots[0]) - (2 * mpmath.sqrt(3) - 3)) < mpmath.mpf(10) ** -15
    assert abs(roots[0] - roots[2]) < mpmath.mpf(10) ** -12  # a triple root: spread ~ (1e-50)^(1/3)


def test_a_wrong_candidate_restarts_the_search_where_rho_is_lower(monkeypatch):
    """If the local search stops at a poor point, the branch and bound finds a box with a provably lower rho,
    and the search restarts there: the result ends at the true optimum, certified."""
    s = S.Setup("dirac", "nsgan", "none", "extragradient")
    from scipy import optimize

    calls = []
    real = optimize.minimize

    def stuck_once(fun, x0, **kw):  # the first local search returns its (poor) start unchanged
        calls.append(np.array(x0))
        if len(calls) == 1:
            return optimize.OptimizeResult(x=np.array([0.3, 1.0]), fun=fun(np.array([0.3, 1.0])))
        return real(fun, x0, **kw)

    monkeypatch.setattr(optimize, "minimize", stuck_once)
    j = S.joint_optimum(s, ["h", "gamma"], {}, {"h": (1e-3, 2.0), "gamma": (0.0, 3.0)}, points=3)
    assert len(calls) >= 2 and j["certified"]
    assert j["certificate"]["lower"] <= np.sqrt(3) / 2 <= j["certificate"]["upper"]
    assert j["spectral_radius"] == pytest.approx(np.sqrt(3) / 2, abs=1e-5)


def test_a_factor_of_degree_eight_is_decided_by_the_interval_transform_and_rouche():
    """Simultaneous GD with momentum on a coupled two-by-two game: the characteristic polynomial is irreducible of
    degree 8, beyond the symbolic Schur-Cohn signs. On a small box around a point the two numeric tests still
    decide both ways, against rho computed there by NumPy."""
    s = S.Setup("expression", "gan", "none", "simgd", momentum=True,
                loss_expr="theta1*psi1 + theta2*psi2 + theta1*psi2 + theta1**2/4",
                min_vars=("theta1", "theta2"), max_vars=("psi1", "psi2"))
    P, gens = _setup_poly(s, ["h", "beta"])
    from gantheory.symbolic._stability import lambda_factors

    assert [sp.Poly(f, S.lam).degree() for f in lambda_factors(P, S.lam)] == [8]
    centre = (0.8, 0.4)
    coeffs = sp.Poly(P.subs(dict(zip(gens, centre))), S.lam).all_coeffs()
    rho = float(np.max(np.abs(np.roots(np.array(coeffs, dtype=float)))))
    box = [(c - 1e-5, c + 1e-5) for c in centre]
    assert rho_at_least(P, S.lam, gens, box, dyadic_below(rho - 0.05, 20)).holds is True
    above = rho_at_least(P, S.lam, gens, box, dyadic_above(rho + 0.05, 20))
    assert above.holds is False and "Schur's transform" in above.reason


@pytest.mark.parametrize("kw,match", [({"tolerance": 0.0}, "tolerance"), ({"tolerance": float("nan")}, "tolerance"),
                                      ({"tolerance": True}, "tolerance"), ({"certify": "yes"}, "certify")])
def test_the_certificate_options_are_checked(kw, match):
    with pytest.raises(ValueError, match=match):
        S.joint_optimum(S.Setup("dirac", "gan", "r1", "simgd"), ["h", "gamma"], {}, {"h": (0.5, 4), "gamma": (0, 1)},
                        **kw)


@pytest.mark.slow
def test_a_quadruple_root_is_solved_exactly_where_the_search_stops_short_of_it():
    """R1 with alternating GD and heavy-ball momentum on the Dirac-GAN, (h, beta, gamma) jointly: at h = 2,
    beta = 0, gamma = 1/2 the characteristic polynomial is lambda^4 (checked here by substitution), rho = 0.
    Near a root of multiplicity 4 rho grows like the fourth root of the distance, so Nelder-Mead stops with
    rho ~ 1e-3; the multiple root's equations give the point exactly, and rho = 0 is then proved both ways."""
    s = S.Setup("dirac", "gan", "r1", "altgd", momentum=True)
    P, (h, beta, gamma) = _setup_poly(s, ["h", "beta", "gamma"])
    assert sp.expand(P.subs({h: 2, beta: 0, gamma: sp.Rational(1, 2)})) == S.lam**4
    j = S.joint_optimum(s, ["h", "beta", "gamma"], {}, {"h": (0.5, 4.0), "beta": (-0.9, 0.9), "gamma": (0.0, 2.0)},
                        points=21)
    assert j["exact"]["values"] == {"h": "2", "beta": "0", "gamma": "1/2"} and j["exact"]["spectral_radius"] == "0"
    assert "multiplicity 4" in j["exact"]["root"]
    assert j["values"] == {"h": 2.0, "beta": 0.0, "gamma": 0.5} and j["spectral_radius"] == 0.0
    assert j["certified"] and j["certificate"]["lower"] == 0 and j["certificate"]["upper"] == 0


@pytest.mark.slow
def test_every_root_at_zero_is_solved_first_from_the_coefficients_alone():
    """Instance noise with alternating GD and momentum on the Dirac-GAN, (beta, h, sigma) jointly: at beta = 0,
    h = 2, sigma = 1 the characteristic polynomial is lambda^4 (checked here by substitution), rho = 0, the
    global minimum. The four coefficients' equations in the three parameters give it at once; the heads with
    extra unknowns made SymPy's solve run for minutes on this system."""
    import time

    s = S.Setup("dirac", "gan", "instance-noise", "altgd", momentum=True)
    P, (beta, h, sigma) = _setup_poly(s, ["beta", "h", "sigma"])
    assert sp.expand(P.subs({beta: 0, h: 2, sigma: 1})) == S.lam**4
    t = time.monotonic()
    j = S.joint_optimum(s, ["beta", "h", "sigma"], {}, {"beta": (-0.9, 0.9), "h": (0.05, 3.0), "sigma": (0.1, 2.0)})
    assert time.monotonic() - t < S.EXACT_MAX_SECONDS
    assert j["exact"]["values"] == {"beta": "0", "h": "2", "sigma": "1"} and j["exact"]["multiplicity"] == 4
    assert j["spectral_radius"] == 0.0 and j["certificate"]["lower"] == 0 and j["certificate"]["upper"] == 0


@pytest.mark.slow
def test_huge_coefficients_end_in_bounded_time_with_an_honest_answer():
    """A fixed gamma = 3.6e54 (a case the command-line fuzz found) makes the symbolic Schur-Cohn factoring take
    minutes; the search then uses its numeric tests only, within its time budget, and says what it proved."""
    import time

    s = S.Setup("dirac", "gan", "r1", "simgd", momentum=True)
    t = time.monotonic()
    j = S.joint_optimum(s, ["h", "beta"], {"gamma": sp.Rational(3.579519429763528e54)},
                        {"h": (1e-3, 4.0), "beta": (-0.999, 0.999)})
    assert time.monotonic() - t < 2 * S.CERTIFY_MAX_SECONDS
    c = j["certificate"]
    assert c["holds"] is j["certified"]
    if c["holds"]:
        assert c["lower"] <= j["spectral_radius"] <= c["upper"]
    else:
        assert c["reason"]


def test_an_overflow_is_an_infinite_end_never_a_wrong_one():
    """1e200 * 1e200 overflows: the lower end is a float near the largest (below the exact 1e400), the upper
    end infinite; -x*y the mirror image; and inf - inf inside a sum makes the whole line, not NaN."""
    big = np.array([[1e200, 1e200]])
    lo, hi = BoxPolynomial(x * y, [x, y]).enclose(big, big)
    assert 1e308 < lo[0] < np.inf and hi[0] == np.inf
    lo, hi = BoxPolynomial(-x * y, [x, y]).enclose(big, big)
    assert lo[0] == -np.inf and -np.inf < hi[0] < -1e308
    lo, hi = BoxPolynomial(x**2 * y - x * y**2, [x, y]).enclose(big, big)  # exactly 0 here
    assert lo[0] <= 0 <= hi[0] and not (np.isnan(lo[0]) or np.isnan(hi[0]))


@pytest.mark.slow
def test_an_unclosed_search_is_said_not_certified_with_its_reason(monkeypatch):
    """With a budget of a few boxes the branch and bound cannot close: the command prints NOT certified and
    why, exits 0, and --json carries certified = false with the reason."""
    import json

    from _cli import run_cli

    from gantheory.symbolic import _rho_bounds as R

    monkeypatch.setattr(S, "CERTIFY_MAX_BOXES", 3)
    monkeypatch.setattr(R, "SCHUR_COHN_MAX_PARAMETERS", 0)  # the numeric tests only: this is about the report
    args = ("stability", "--game", "bilinear", "--optimizer", "altgd", "--optimize", "h=0.1:0.5,beta=-0.9:0.5")
    res = run_cli(*args)
    assert res.returncode == 0, res.stderr
    assert "NOT certified:" in res.stdout and "boxes still open" in res.stdout
    j = json.loads(run_cli(*args, "--json").stdout)["joint_optimum"]
    assert j["certified"] is False and j["certificate"]["holds"] is False and j["certificate"]["reason"]


def test_a_search_that_keeps_being_beaten_is_not_certified(monkeypatch):
    """If every attempt proves a lower rho than the search reached, the result says so instead of a bracket."""
    import gantheory.stability as stab

    monkeypatch.setattr(stab, "_certify_minimum", lambda P, gens, box, x, *a: (None, np.array(x, dtype=float)))
    j = S.joint_optimum(S.Setup("dirac", "nsgan", "none", "extragradient"), ["h", "gamma"], {},
                        {"h": (1e-3, 2.0), "gamma": (0.0, 3.0)}, points=5)
    assert j["certified"] is False and "lower rho" in j["certificate"]["reason"]


@pytest.mark.slow
def test_each_test_of_a_box_agrees_with_rho_at_points_inside_it():
    """Soundness, box by box: on 400 random boxes (random centres, widths from 1e-6 to 1) and random r, wherever
    Rouche's test, the Schur-Cohn signs or the interval transform settle a box, rho computed by NumPy at
    the box's corners and at random points inside agrees (to 1e-9, the roots' rounding)."""
    from gantheory.symbolic import _rho_bounds as R

    s = S.Setup("bilinear", "gan", "none", "altgd", momentum=True)
    P, gens = _setup_poly(s, ["h", "beta"])
    coeffs = R._coefficients(P, S.lam)
    polys = [BoxPolynomial(c, gens) for c in coeffs]
    funcs = [sp.lambdify(gens, c, "numpy") for c in coeffs]
    rng = np.random.default_rng(11)
    settled = {"rouche": 0, "signs": 0, "interval": 0, "stable": 0}
    for r in (sp.Rational(1, 2), sp.Rational(9, 10), sp.Rational(3, 4)):
        signs = R._SchurCohnSigns(R.lambda_factors(P, S.lam), S.lam, gens, r, deadline=float("inf"))
        c = np.column_stack([rng.uniform(0.01, 2.0, 400), rng.uniform(-0.95, 0.95, 400)])
        w = 10.0 ** rng.uniform(-6, 0, size=(400, 1)) * np.array([[2.0, 1.0]])
        lo, hi = c - w / 2, c + w / 2
        rouche = R._rouche(polys, lo, hi, float(r))
        excluded, stable = signs.classify(lo, hi)
        iv_excluded, iv_stable = R._interval_schur(polys, lo, hi, r)
        for k in range(400):
            pts = [lo[k] + rng.uniform(size=2) * (hi[k] - lo[k]) for _ in range(6)] + [lo[k], hi[k]]
            rhos = [float(np.max(np.abs(np.roots([float(f(*pt)) if callable(f) else float(f) for f in funcs]))))
                    for pt in pts]
            if rouche[k] or excluded[k] or iv_excluded[k]:
                assert min(rhos) >= float(r) - 1e-9, (k, r, rouche[k], excluded[k], iv_excluded[k])
            if stable[k] or iv_stable[k]:
                assert max(rhos) < float(r) + 1e-9, (k, r)
        settled["rouche"] += int(rouche.sum())
        settled["signs"] += int(excluded.sum())
        settled["interval"] += int(iv_excluded.sum())
        settled["stable"] += int(stable.sum() + iv_stable.sum())
    assert all(v > 0 for v in settled.values()), settled  # every test was exercised


@pytest.mark.slow
def test_the_command_takes_the_tolerance_and_can_skip_the_certificate():
    import json

    from _cli import run_cli

    args = ("stability", "--game", "bilinear", "--optimizer", "altgd", "--optimize", "h=0.1:0.5,beta=-0.9:0.5")
    c = json.loads(run_cli(*args, "--tolerance", "1e-9", "--json").stdout)["joint_optimum"]["certificate"]
    assert c["holds"] and 0 <= c["upper"] - c["lower"] <= 2e-9 * 1.01
    res = run_cli(*args, "--no-certify")
    assert res.returncode == 0 and "not certified:             --no-certify" in res.stdout
    assert json.loads(run_cli(*args, "--no-certify", "--json").stdout)["joint_optimum"]["certificate"] is None
    for bad in (("--tolerance", "nan"), ("--tolerance", "1")):
        r = run_cli(*args, *bad)
        assert r.returncode == 2 and "--tolerance must be in" in r.stderr
    r = run_cli("stability", "--game", "bilinear", "--optimizer", "altgd", "--optimize", "h", "--no-certify")
    assert r.returncode == 2 and "are for a joint optimum" in r.stderr  # one parameter: nothing to certify
