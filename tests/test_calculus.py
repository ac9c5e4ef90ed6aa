"""The exact stable-set kernel and the calculus verifiers, against independent computations."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from gantheory.symbolic import _games as G
from gantheory.symbolic._stability import stable_set
from gantheory.verify import calculus as VC

x = sp.Symbol("x", real=True)


def _rho(M, val):
    return np.max(np.abs(np.linalg.eigvals(np.array(M.subs(x, val).evalf(), dtype=float))))


@pytest.mark.parametrize("optimizer,beta", [("extragradient", 0), ("optimistic", 0), ("simgd", 0),
                                            ("altgd", sp.Rational(-1, 4))])
def test_stable_set_matches_eigenvalues_on_a_grid(optimizer, beta):
    """Membership of the derived set agrees with numpy's eigenvalues wherever rho is not within 1e-9 of 1."""
    M = G.update_jacobian(G.field_jacobian("bilinear", "gan"), optimizer, x, 1, 1, beta)
    S, _ = stable_set(M, x, sp.Interval.open(0, 3))
    checked = 0
    for val in np.linspace(0.01, 2.99, 157):
        rho = _rho(M, val)
        if abs(rho - 1) < 1e-9:
            continue
        assert bool(S.contains(sp.Float(val))) == (rho < 1), (optimizer, val, rho, S)
        checked += 1
    assert checked > 150


def test_stable_set_momentum_endpoints_are_marginal():
    """-3/4 and 0 bound the negative-momentum window of alternating GD at h = 1/2; rho = 1 there exactly."""
    M = G.update_jacobian(G.field_jacobian("bilinear", "gan"), "altgd", sp.Rational(1, 2), 1, 1, x)
    S, _ = stable_set(M, x, sp.Interval.open(-1, 1))
    assert S == sp.Interval.open(sp.Rational(-3, 4), 0)
    for end in (-0.75, 0.0):
        assert abs(_rho(M, end) - 1) < 1e-7


def test_stable_set_irrational_endpoint():
    """Optimistic GD: the window ends at 1/sqrt(3), where a root meets the unit circle."""
    M = G.update_jacobian(G.field_jacobian("bilinear", "gan"), "optimistic", x)
    S, _ = stable_set(M, x, sp.Interval.open(0, sp.oo))
    assert S == sp.Interval.open(0, 1 / sp.sqrt(3))
    assert _rho(M, 1 / np.sqrt(3) - 1e-6) < 1 < _rho(M, 1 / np.sqrt(3) + 1e-6)


def test_stable_set_needs_values_for_other_symbols():
    M = sp.Matrix([[1 - x * sp.Symbol("h", positive=True)]])
    with pytest.raises(ValueError, match="give values"):
        stable_set(M, x)


def test_calculus_identity_sees_a_dropped_second_derivative():
    """A Jacobian that forgets the curvature of a general L is refuted with a polynomial instance."""
    t = sp.Symbol("t", real=True)
    L = sp.Function("L")(t)
    stmt = sp.Eq(VC.A.JacobianOf(sp.ImmutableMatrix([t - sp.diff(L, t)]), sp.Tuple(t)), sp.ImmutableMatrix([[1]]),
                 evaluate=False)
    ev = VC.calculus_identity(stmt)
    assert ev.holds is False and "L" in ev.counterexample


def test_pure_nash_against_brute_force():
    rng = np.random.default_rng(3)
    for _ in range(20):
        A = sp.Matrix(rng.integers(-3, 4, size=(3, 3)))
        B = sp.Matrix(rng.integers(-3, 4, size=(3, 3)))
        rows, cols = sp.symbols("r0:3"), sp.symbols("c0:3")
        brute = {sp.Tuple(rows[i], cols[j]) for i in range(3) for j in range(3)
                 if all(A[i, j] >= A[k, j] for k in range(3)) and all(B[i, j] >= B[i, k] for k in range(3))}
        stmt = sp.Eq(VC.A.PureNash(A.as_immutable(), B.as_immutable(), sp.Tuple(*rows), sp.Tuple(*cols)),
                     sp.FiniteSet(*brute) if brute else sp.S.EmptySet, evaluate=False)
        assert VC.pure_nash(stmt).holds is True


def test_stable_set_of_a_never_stable_family_refutes_any_claimed_interval():
    """Alternating GD on the bilinear game (det = 1 for every h): a claimed window (0, 1) is refuted at a
    point inside it, not only at points of the derived (empty) set."""
    from gantheory.symbolic._atoms import StableSet

    M = G.update_jacobian(G.field_jacobian("bilinear", "gan"), "altgd", x)
    stmt = sp.Eq(StableSet(sp.ImmutableMatrix(M), x, sp.Interval.open(0, sp.oo)), sp.Interval.open(0, 1),
                 evaluate=False)
    ev = VC.stable_set(stmt)
    assert ev.holds is False and 0 < float(sp.sympify(ev.counterexample["x"])) < 1
