"""The certificates behind check's proofs (gantheory.verify._interval): a certified sign must be the
true sign. Each function below has its sign known in closed form here; the certifier may say
"undecided", never the wrong thing."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from gantheory.verify._interval import certify_nonnegative, exact_sign

x = sp.Symbol("x", positive=True)


def test_tight_points_are_certified_exactly():
    cases = [
        ((x - sp.Rational(1, 2)) ** 2, 0, 1),               # a double root inside
        ((x - 1) ** 4 * (x + 1), 0, 2),                      # a zero of order 4
        (x * sp.log(x) - x + 1, 0, 3),                       # u log u - u + 1: tight at 1, log at 0
        (sp.sqrt(x) - x, 0, 1),                              # zero at both ends
        (1 - sp.Abs(x - 1), 0, 2),                           # a kink, zero at both ends
        (sp.log(2) - x * sp.log(2) + x * sp.log(x) - (x + 1) * sp.log((x + 1) / 2) + x * sp.log(2), 0, 1),
    ]
    for g, lo, hi in cases:
        c = certify_nonnegative(g, x, lo, hi, hints=(1, sp.Rational(1, 2)))
        assert c.holds is True, (g, c.reason)


def test_a_negative_dip_is_found_and_confirmed_exactly():
    for g, lo, hi in [((x - sp.Rational(1, 2)) ** 2 - sp.Rational(1, 10**8), 0, 1),
                      (x * sp.log(x) - x + 1 - sp.Rational(1, 1000), 0, 3),
                      (sp.sqrt(x) - x - sp.Rational(1, 10**6), 0, 1)]:
        c = certify_nonnegative(g, x, lo, hi)
        assert c.holds is False, g
        assert exact_sign(g.subs(x, c.counterexample)) == -1


def test_strict_positivity_fails_at_a_zero():
    c = certify_nonnegative((x - 1) ** 2, x, 0, 2, strict=True)
    assert c.holds is False and c.counterexample == 1


@pytest.mark.slow
@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.lists(st.integers(-6, 6), min_size=2, max_size=4), st.integers(-3, 3))
def test_never_a_wrong_certificate_on_random_polynomials(roots, shift):
    """(x - r1)(x - r2)... + shift/10 on [0, 1]: the certifier's verdict is never contradicted by a fine
    sampling (a certificate of >= 0 with a negative sample, or a counterexample where g >= 0)."""
    g = sp.expand(sp.prod([(x - sp.Rational(r, 6)) for r in roots]) + sp.Rational(shift, 10))
    c = certify_nonnegative(g, x, 0, 1, max_boxes=800)
    f = sp.lambdify(x, g, "numpy")
    grid = np.linspace(0, 1, 20001)
    worst = float(np.min(f(grid)))
    if c.holds is True:
        assert worst >= -1e-12, (g, worst)
    elif c.holds is False:
        assert exact_sign(g.subs(x, c.counterexample)) == -1, g


def test_exact_sign_decides_or_abstains():
    assert exact_sign(sp.pi - sp.Rational(314159, 100000)) == 1
    assert exact_sign(sp.pi - sp.Rational(3927, 1250)) == -1
    assert exact_sign(sp.log(2) + sp.log(3) - sp.log(6)) == 0
    assert exact_sign(sp.oo) == 1 and exact_sign(sp.nan) is None
