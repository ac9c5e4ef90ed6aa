"""Stability verdicts at |rho - 1| within rounding are decided exactly, and figures agree with them."""

from __future__ import annotations

import json

import numpy as np
import pytest
import sympy as sp
from _cli import run_cli

from gantheory.cli.dynamics import analyse, exact_stability, plot
from gantheory.symbolic._stability import unit_circle_verdict

z = sp.Symbol("z")


@pytest.mark.slow
@pytest.mark.parametrize("ng, nd", [(3, 2), (2, 3), (3, 1), (5, 1), (1, 1)])
def test_altgd_dirac_is_marginal_not_convergent(ng, nd):
    """Mescheder et al. 2018 (seed 002): alternating GD on the Dirac-GAN has det = 1 and, for
    alpha = sqrt(n_g n_d) h f'(0) < 2, complex eigenvalues: |lambda| = 1 exactly. Old output:
    rho = 1 - 2e-16, "converges: yes"."""
    res = analyse("dirac", "gan", "none", "altgd", 0.5, ng, nd, trajectories=4)
    assert res["stability"] == "marginal" and res["converges"] is False
    assert res["spectral_radius"] == 1.0
    assert res["decided"].startswith("exact")


def test_altgd_dirac_beyond_alpha_2_diverges_and_at_alpha_2_is_marginal():
    # alpha = sqrt(ng nd) h / 2 (f'(0) = 1/2): h = 1 with ng = nd = 4 gives alpha = 2 (double root -1)
    assert exact_stability("dirac", "gan", "none", "altgd", 1.0, 4, 4).kind == "on"
    assert exact_stability("dirac", "gan", "none", "altgd", 1.25, 4, 4).kind == "outside"


@pytest.mark.slow
def test_cli_prints_marginal_and_json_has_the_verdict():
    r = run_cli("dynamics", "--game", "dirac", "--optimizer", "altgd",
                        "--h", "0.5", "--ng", "3", "--nd", "2", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["stability"] == "marginal" and out["converges"] is False and out["spectral_radius"] == 1.0
    r = run_cli("dynamics", "--game", "dirac", "--optimizer", "altgd",
                        "--h", "0.5", "--ng", "3", "--nd", "2")
    assert "converges:           marginal" in r.stdout


@pytest.mark.parametrize("poly, kind", [
    (z**2 - z + 1, "on"),                      # exp(+-i pi/3)
    (z**2 - z + 1 + sp.Rational(1, 10**30), "outside"),  # |lambda|^2 = product of roots = 1 + 1e-30
    (z**2 - z + 1 - sp.Rational(1, 10**30), "inside"),
    (z**4 - 3 * z**2 + 1, "outside"),           # reciprocal pair off the circle (Salem-like)
    ((z - 1) ** 2 * (z - sp.Rational(1, 2)), "on"),
    ((z + 1) * (2 * z - 1), "on"),
    (z**4 + z**3 + z**2 + z + 1, "on"),         # primitive 5th roots of unity
    (z**3 - sp.Rational(9, 10), "inside"),
])
def test_unit_circle_verdict_is_exact_where_floats_cannot_tell(poly, kind):
    assert unit_circle_verdict(poly, z).kind == kind


@pytest.mark.slow
def test_unit_circle_verdict_agrees_with_numpy_on_random_rational_polynomials():
    rng = np.random.default_rng(0)
    for _ in range(200):
        deg = int(rng.integers(1, 6))
        coeffs = [sp.Rational(int(c), 8) for c in rng.integers(-8, 9, deg + 1)]
        coeffs[0] = sp.Rational(int(rng.integers(1, 9)), 8)
        poly = sum(c * z ** (deg - i) for i, c in enumerate(coeffs))
        moduli = np.abs(np.roots([float(c) for c in coeffs]))
        if np.min(np.abs(moduli - 1)) < 1e-6:
            continue  # floats cannot decide these; the exact cases are tested above
        v = unit_circle_verdict(poly, z)
        expect = "outside" if moduli.max() > 1 else "inside"
        assert v.kind == expect
        assert v.rho == pytest.approx(moduli.max(), rel=1e-9)


@pytest.mark.parametrize("game, optimizer, h, beta", [
    ("bilinear", "optimistic", 0.3, 0.0),
    ("dirac", "extragradient", 0.5, 0.0),
    pytest.param("bilinear", "altgd", 0.5, -0.5, marks=pytest.mark.slow),  # 1-3 s each here: in the slow run
    pytest.param("bilinear", "altgd", 0.5, 0.0, marks=pytest.mark.slow),
    pytest.param("bilinear", "simgd", 0.2, -0.3, marks=pytest.mark.slow),
])
def test_plotted_trajectories_decay_at_the_printed_spectral_radius(tmp_path, game, optimizer, h, beta):
    """The figure is drawn from the simulation behind the numbers: each plotted distance curve
    shrinks (or grows) at the spectral radius printed in the same figure."""
    pytest.importorskip("matplotlib")
    res = analyse(game, "gan", "none", optimizer, h, beta=beta, trajectories=8)
    drawn = plot(res, str(tmp_path / "fig.png"))
    rho = res["spectral_radius"]
    assert drawn["spectral_radius"] == rho
    for curve in drawn["distance_curves"]:
        ok = np.flatnonzero(np.isfinite(curve) & (curve > 1e-200))
        k0, k1 = len(curve) // 2, ok[-1]
        rate = (curve[k1] / curve[k0]) ** (1 / (k1 - k0))
        assert rate == pytest.approx(rho, abs=2e-3)


def test_radius_bound_decides_marginal_matrices_exactly():
    """Mutation from the audit: a claim "rho < 1" at a step where rho = 1 exactly stayed "checked";
    for the no-momentum altgd bilinear matrix (det 1, |lambda| = 1) both rho < 1 and rho > 1 did."""
    from gantheory.symbolic._atoms import SpectralRadius
    from gantheory.topics.dynamics import UJ
    from gantheory.verify import games as VG

    at_one = sp.StrictLessThan(SpectralRadius(UJ("extragradient", "bilinear", "gan", step=sp.Integer(1))), 1)
    assert VG.radius_bound(at_one).status == "refuted"
    for step in (sp.Rational(1, 2), sp.Rational(1, 10), sp.Rational(19, 10)):
        altgd = UJ("altgd", "bilinear", "gan", step=step)
        assert VG.radius_bound(sp.StrictLessThan(SpectralRadius(altgd), 1)).status == "refuted"
        assert VG.radius_bound(sp.StrictGreaterThan(SpectralRadius(altgd), 1)).status == "refuted"
    inside = sp.StrictLessThan(SpectralRadius(UJ("extragradient", "bilinear", "gan", step=sp.Rational(99, 100))), 1)
    assert VG.radius_bound(inside).status == "proved"


def test_non_strict_and_one_parameter_radius_bounds_are_decided_exactly():
    """rho <= c and >= c were undecided, and rho < c with a free step size was "checked" at a few samples. One
    parameter: the eigenvalues are classified where a root crosses the circle or two meet, and between: altgd
    on the Dirac-GAN keeps |lambda| = 1 for 0 < h < 4 (rho <= 1 there, not < 1) and leaves it past 4."""
    from gantheory.symbolic._atoms import SpectralRadius
    from gantheory.symbolic._games import h
    from gantheory.topics.dynamics import UJ
    from gantheory.verify import games as VG

    def rho(opt, rel, c=1, game="dirac", step=h):
        return VG.radius_bound(rel(SpectralRadius(UJ(opt, game, "gan", step=step)), c))

    assert rho("altgd", sp.GreaterThan).status == "proved"
    below = rho("altgd", sp.LessThan)
    assert below.status == "refuted" and sp.Rational(below.counterexample["h"]) > 4
    assert below.counterexample["on_interval"] == "Interval.open(4, oo)"
    strict = rho("altgd", sp.StrictLessThan)
    assert strict.status == "refuted" and strict.counterexample["position"] == "on"
    assert rho("simgd", sp.StrictGreaterThan).status == "proved"
    assert rho("simgd", sp.LessThan).status == "refuted"
    eg = rho("extragradient", sp.StrictLessThan)
    assert eg.status == "refuted" and sp.Rational(eg.counterexample["h"]) > 2
    assert rho("extragradient", sp.GreaterThan, step=sp.Integer(1), game="bilinear").status == "proved"  # = 1
    assert rho("extragradient", sp.LessThan, step=sp.Integer(1), game="bilinear").status == "proved"
    assert rho("extragradient", sp.StrictLessThan, step=sp.Integer(1), game="bilinear").status == "refuted"
    # a bound on the radius other than 1: rho = sqrt(1 + h^2/4) for simgd, so rho <= 2 fails past h = 2 sqrt(3)
    two = rho("simgd", sp.LessThan, c=2)
    assert two.status == "refuted" and sp.Rational(two.counterexample["h"]) > 2 * sp.sqrt(3)


def test_a_fast_contraction_gets_a_rate_not_nan():
    """Found by the thorough profile: rho = 0.82 reaches the rounding floor just after the burn-in, the
    measuring window was empty and the CLI printed "simulated rate: nan"."""
    res = analyse("dirac", "gan", "instance-noise", "altgd", 0.375, gamma=1.0, sigma=1.3125, trajectories=4)
    assert res["simulated_rate"] is not None and np.isfinite(res["simulated_rate"])
    assert res["simulated_rate"] == pytest.approx(res["spectral_radius"], abs=0.02)
