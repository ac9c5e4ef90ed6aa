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


@pytest.mark.parametrize("optimizer,beta", [("simgd", 0), ("altgd", sp.Rational(-1, 4)),  # the others in the slow run
                                            pytest.param("extragradient", 0, marks=pytest.mark.slow),
                                            pytest.param("optimistic", 0, marks=pytest.mark.slow)])
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


# -- matrix statements: marginal floats are decided exactly ------------------------------------------

def test_matrix_atoms_exact_at_their_thresholds():
    """Where a float lies within rounding of a threshold the atom is decided in rational arithmetic."""
    from gantheory.symbolic import _atoms as A
    from gantheory.verify.calculus import _decide_matrix_atom, _hurwitz_exact, _numeric_matrix_atom

    h = sp.Rational(2)
    on_circle = sp.Matrix([[1 - h, 0], [0, 1 - h / 2]])       # eigenvalues -1 and 0: rho = 1 exactly
    assert _decide_matrix_atom(A.IsSchur(on_circle)) is False
    assert _decide_matrix_atom(A.IsSchur(on_circle / 2)) is True
    rotation = sp.Matrix([[0, -1], [1, 0]])                   # eigenvalues +-i: on the imaginary axis
    assert _hurwitz_exact(rotation) is False
    assert _hurwitz_exact(rotation - sp.eye(2) / 10**30) is True  # 1e-30 inside: floats cannot see it
    x = sp.Symbol("x", real=True)
    decide = _numeric_matrix_atom(A.IsHurwitz(sp.Matrix([[-x, -1], [1, -x]])), [x])
    assert decide(1e-30) is None and decide(0.5) is True and decide(-0.5) is False
    singular = sp.Matrix([[1, 2], [2, 4]])
    assert _decide_matrix_atom(A.FullColumnRank(singular)) is False
    assert _decide_matrix_atom(A.FullColumnRank(sp.Matrix([[1, 2], [2, 5]]))) is True
    psd = sp.Matrix([[1, 1], [1, 1]])                         # PSD, not PD
    assert _decide_matrix_atom(A.IsPSD(psd)) is True and _decide_matrix_atom(A.IsPD(psd)) is False


def test_eigenvalue_statements_quantify_over_the_spectrum():
    from gantheory.symbolic import _atoms as A
    from gantheory.verify.calculus import _decide_matrix_atom

    re_, im_ = sp.symbols("x y", real=True)
    M = sp.diag(-1, -3)
    cond = sp.Lambda((re_, im_), 1 < 2 / (sp.Abs(re_) * (1 + (im_ / re_) ** 2)))  # h = 1 below 2|Re|/|l|^2
    assert _decide_matrix_atom(A.SomeEigenvalue(M, cond)) is True      # -1: 1 < 2
    assert _decide_matrix_atom(A.EveryEigenvalue(M, cond)) is False    # -3: 1 < 2/3 fails
    tight = sp.Lambda((re_, im_), 2 < 2 / (sp.Abs(re_) * (1 + (im_ / re_) ** 2)))  # h = 2 at l = -1: equality
    assert _decide_matrix_atom(A.EveryEigenvalue(-sp.eye(2), tight)) is False
    undefined = sp.Matrix([[0, -1], [1, 0]])                           # Re l = 0: the bound divides by 0
    assert _decide_matrix_atom(A.EveryEigenvalue(undefined, cond)) is False


@pytest.mark.slow
def test_lemma8_and_block_jacobian_claims_see_their_caveats():
    """The general statements hold; dropping the caveat (Re l < 0, full column rank) is refuted with a
    counterexample that really violates the statement."""
    from gantheory.topics import REGISTRY
    from gantheory.verify.calculus import matrix_logic

    lemma8 = REGISTRY["dyn-lemma8-spectrum"]
    assert matrix_logic(lemma8.statement).holds is True
    dropped = next(t for t in lemma8.twins if "caveat" in t.label)
    ev = matrix_logic(dropped.statement)
    assert ev.holds is False
    vals = {sp.Symbol(k, real=True): sp.Rational(v) for k, v in ev.counterexample.items() if "#" not in k}
    A_ = sp.Matrix(2, 2, [vals[sp.Symbol(f"m_{i}{j}", real=True)] for i in (1, 2) for j in (1, 2)])
    h = vals[sp.Symbol("h", real=True)]
    assert h > 0 and max(abs(complex(e)) for e in (sp.eye(2) + h * A_).eigenvals()) >= 1
    block = REGISTRY["wass-qc-block-jacobian-stable"]
    assert matrix_logic(block.statement).holds is True
    ev = matrix_logic(block.twins[0].statement)               # the rank condition dropped
    assert ev.holds is False and ev.counterexample["IsPD#1"] is True


@pytest.mark.slow
def test_the_jacobian_at_a_point_by_forward_mode_is_the_symbolic_one():
    """evaluate's forward-mode Jacobian at a point (over common subexpressions) against differentiating the
    whole map and substituting, on composed maps with a symbolic step, at zero and at other points."""
    import sympy as sp

    from gantheory.symbolic import _atoms as A
    from gantheory.verify.calculus import _jacobian_at_point

    th, ps, h = sp.symbols("theta psi h", real=True)
    step = lambda a, b: (a - h * b * sp.exp(-a * b) / (1 + sp.exp(-a * b)), b + h * a * sp.tanh(a + b))  # noqa: E731
    a, b = th, ps
    for _ in range(2):
        a, b = step(a, b)
    M = sp.Matrix([a, b * a, sp.sin(a) + b**2])
    J = M.jacobian([th, ps])
    for point in ((0, 0), (sp.Rational(1, 3), -2)):
        at = A.AtPoint(A.JacobianOf(M, (th, ps)), (th, ps), point)
        fast = _jacobian_at_point(at)
        assert fast.shape == (3, 2)
        for hv in (sp.Rational(1, 7), sp.Rational(-5, 2)):
            vals = {th: point[0], ps: point[1], h: hv}
            direct = J.xreplace(vals).evalf(30)
            assert (direct - fast.xreplace({h: hv}).evalf(30)).norm() < 1e-25
    wrong = A.AtPoint(A.JacobianOf(M, (th, ps)), (th, ps), (0, 0))  # a twin: the derivative of the other map
    other = M.jacobian([ps, th]).xreplace({th: 0, ps: 0, h: 1}).evalf(20)
    assert (_jacobian_at_point(wrong).xreplace({h: 1}).evalf(20) - other).norm() > 0.1


def test_simplify_is_remembered_per_expression_and_matrices_still_work():
    """The verifiers' simplify is SymPy's, computed once per hashable expression (a second call is the same
    object) and as before for a mutable Matrix."""
    from gantheory.symbolic._simplify import simplified

    x = sp.Symbol("x", positive=True)
    e = sp.log(x**2) - 2 * sp.log(x) + sp.sin(x) ** 2 + sp.cos(x) ** 2
    assert simplified(e) == sp.simplify(e) == 1
    assert simplified(e) is simplified(e)
    m = sp.Matrix([[sp.sin(x) ** 2 + sp.cos(x) ** 2, 0]])
    assert simplified(m) == sp.Matrix([[1, 0]])
