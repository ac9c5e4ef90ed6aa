"""The f-GAN table computed from the generators agrees with the seed's table where it should."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from gantheory.symbolic._fgan import derive_conjugate, t, u
from gantheory.topics.fgan import ROWS, table

#: rows whose conjugate is derived in the slow run only (1-2 s each here: a weighted logarithm or a fractional
#: power); the registry's own derivations of every row run in the default run
SLOW_ROWS = {"alpha-minus-half", "jensen-shannon-weighted", "jensen-shannon"}


@pytest.mark.parametrize("row", [pytest.param(r, id=r.key, marks=[pytest.mark.slow] if r.key in SLOW_ROWS else [])
                                 for r in ROWS if not r.f.has(sp.Abs)])
def test_derived_conjugate_matches_table_on_its_domain(row):
    """The conjugate is *computed* (first-order condition), then compared with the table's entry."""
    conj, dom = derive_conjugate(row.f)
    expected = row.conjugate_fix if row.conjugate_fix is not None else row.conjugate
    lo, hi = float(max(dom.inf, -5)), float(min(dom.sup, 5))
    for tv in np.linspace(lo, hi, 9)[1:-1]:
        a = complex(sp.N(conj.subs(t, tv)))
        b = complex(sp.N(expected.subs(t, tv)))
        assert a == pytest.approx(b, rel=1e-9, abs=1e-12), (row.key, tv)


@pytest.mark.slow
def test_table_rows_have_every_column():
    rows = table()
    assert len(rows) == len(ROWS) == 13
    for r in rows:
        assert set(r) == {"key", "name", "name_tex", "name_unicode", "f", "conjugate", "domain", "activation",
                          "fprime1", "claims"}
        assert sp.simplify(r["f"].subs(u, 1)) == 0  # corrected generators: f(1) = 0 in every row, GAN's too
        assert sp.simplify(sp.diff(r["f"], u, 2)).is_positive or r["f"].has(sp.Abs)  # convex


def _num(expr, tv):
    return complex(sp.N(expr.subs(t, tv)))


@pytest.mark.slow
def test_table_agrees_cell_by_cell_with_the_corrected_claims_and_is_derived(verdicts):
    """Each cell is the corrected claim's (which gantheory prove proves), and, independently, the
    conjugate column equals sup_u (ut - f(u)) computed by bounded maximization at points of its domain
    (and is +inf just outside it); no cell is a printed version that an erratum refutes."""
    from scipy.optimize import minimize_scalar

    from gantheory.topics import REGISTRY

    for r in table():
        for cid in r["claims"].values():
            assert verdicts[cid].status in ("proved", "checked") and verdicts[cid].expected, cid
        f = sp.lambdify(u, r["f"], "math")
        f_hp = sp.lambdify(u, r["f"], "mpmath")  # far out, ut - f(u) cancels: 50 digits there
        dom = r["domain"]
        lo, hi = float(max(dom.inf, -4)), float(min(dom.sup, 4))
        points = [lo + (hi - lo) * k / 6 for k in range(1, 6)]
        points += [float(e) for e, is_open in ((dom.inf, dom.left_open), (dom.sup, dom.right_open))
                   if e.is_finite and not is_open]  # a closed end: the conjugate is finite there too
        for tv in points:
            best = minimize_scalar(lambda x, tv=tv: -(x * tv - f(x)), bounds=(1e-12, 1e7), method="bounded",
                                   options={"xatol": 1e-12, "maxiter": 2000})
            with mpmath.workdps(50):
                t_hp = mpmath.mpf(str(sp.N(sp.nsimplify(tv), 50)))  # the closed end 2/3 exactly, not its float
                far = max(float(t_hp * x - f_hp(x)) for x in (mpmath.mpf(10) ** 7, mpmath.mpf(10) ** 14))
            sup = max(-best.fun, -f(1e-12) if r["key"] != "reverse-kl" else -math.inf, far)  # a sup as u -> oo
            assert _num(r["conjugate"], tv).real == pytest.approx(sup, rel=1e-5, abs=1e-5), (r["key"], tv)
        if dom.sup.is_finite:  # just past the right end the supremum is infinite
            tv = float(dom.sup) + 0.05
            assert max(x * tv - f(x) for x in (1e3, 1e6, 1e9)) > 1e3, r["key"]
        for erratum in (c for c in REGISTRY.values() if not c.expected and c.correction == r["claims"]["conjugate"]):
            printed = erratum.statement
            assert (printed.rhs, printed.lhs.args[1]) != (r["conjugate"], r["domain"]), erratum.id


def test_the_notes_table_is_a_booktabs_table_of_the_corrected_cells():
    from gantheory.report._notes import _fgan_table
    from gantheory.symbolic import latex

    tex = "\n".join(_fgan_table(True))
    assert tex.count("\\toprule") == 2 and tex.count("\\bottomrule") == 2
    for r in table():
        assert f"{r['name_tex']} & {latex(r['conjugate'])} & {latex(r['domain'])}" in tex
    assert "Pearson chi" not in tex and "alpha-divergence, alpha" not in tex
    tv = next(r for r in table() if r["key"] == "total-variation")
    assert tv["domain"] == sp.Interval(-sp.oo, sp.Rational(1, 2))  # not the printed [-1/2, 1/2]
    md = "\n".join(_fgan_table(False))
    assert md.count("\n| ") == 15 and "Pearson χ²" in md


def _conjugate_claim(f, dom, claimed):
    from gantheory.symbolic._atoms import Conjugate
    from gantheory.verify import fgan as VF

    return VF.conjugate(sp.Eq(Conjugate(sp.Lambda(u, f), dom), claimed, evaluate=False))


def test_a_piecewise_conjugate_is_compared_on_every_piece():
    """Only the first branch of a Piecewise claim was compared exactly (and the rest at 8 sampled t): a
    breakpoint moved from -2 to -11/5, or a 1e-8 term on the second branch, was "proved"."""
    R = sp.S.Reals
    f = (u - 1) ** 2
    right = _conjugate_claim(f, R, sp.Piecewise((t**2 / 4 + t, t >= -2), (-1, True)))
    assert right.holds is True and right.method == "symbolic"
    moved = _conjugate_claim(f, R, sp.Piecewise((t**2 / 4 + t, t >= sp.Rational(-11, 5)), (-1, True)))
    assert moved.holds is False and -sp.Rational(11, 5) < sp.Rational(moved.counterexample["t"]) < -2
    tiny = _conjugate_claim(f, R, sp.Piecewise((t**2 / 4 + t, t >= -2), (-1 + (t + 2) ** 2 / 10**8, True)))
    assert tiny.holds is False and sp.Rational(tiny.counterexample["t"]) < -2
    as_max = _conjugate_claim(f, R, sp.Max(t**2 / 4 + t, -1))  # (t/2 + 1)^2 >= 0: the Max is never -1
    assert as_max.holds is False


def test_a_conjugate_wrong_only_far_out_is_refuted():
    """A claim that leaves the derived f* past every sampled t (exp(t - 1) + Max(0, t - 20)) was "checked"."""
    ev = _conjugate_claim(u * sp.log(u), sp.S.Reals, sp.exp(t - 1) + sp.Max(0, t - 20))
    assert ev.holds is False and sp.Rational(ev.counterexample["t"]) > 20
    assert _conjugate_claim(u * sp.log(u), sp.S.Reals, sp.exp(t - 1)).holds is True


@pytest.mark.slow
def test_conjugate_domain_is_derived_with_its_end_point():
    """dom f* for Neyman's chi^2 is t <= 1 (f*(1) = lim (u - f(u)) = 2): the closed domain is proved, the open
    one refuted; Jeffrey's LambertW conjugate is proved (exp(t + W - 1) = 1/W)."""
    from gantheory.symbolic._fgan import conjugate_pieces

    pieces, dom, _ = conjugate_pieces((1 - u) ** 2 / u)
    assert dom == sp.Interval(-sp.oo, 1) and (sp.FiniteSet(1), 2) in pieces
    claim = 2 - 2 * sp.sqrt(1 - t)
    assert _conjugate_claim((1 - u) ** 2 / u, sp.Interval(-sp.oo, 1), claim).holds is True
    assert _conjugate_claim((1 - u) ** 2 / u, sp.Interval.open(-sp.oo, 1), claim).holds is False
    W = sp.LambertW(sp.exp(1 - t))
    jeffrey = _conjugate_claim((u - 1) * sp.log(u), sp.S.Reals, t + W - 2 + 1 / W)
    assert jeffrey.holds is True and jeffrey.method == "symbolic"
    assert _conjugate_claim((u - 1) * sp.log(u), sp.S.Reals, t + W - 2 + 1 / W + t / 10**6).holds is False


@pytest.mark.slow
def test_biconjugate_is_derived_and_compared_on_all_of_u_positive():
    """f** was compared with f at u in {0.05, ..., 5} only: u log u + Max(0, u - 10) was "checked"."""
    from gantheory.symbolic._atoms import Biconjugate
    from gantheory.verify import fgan as VF

    def bi(conj, dom, f):
        return VF.biconjugate(sp.Eq(Biconjugate(sp.Lambda(t, conj), dom), f, evaluate=False))

    R = sp.S.Reals
    assert bi(sp.exp(t - 1), R, u * sp.log(u)).holds is True
    far = bi(sp.exp(t - 1), R, u * sp.log(u) + sp.Max(0, u - 10))
    assert far.holds is False and sp.Rational(far.counterexample["u"]) > 10
    neyman = bi(2 - 2 * sp.sqrt(1 - t), sp.Interval(-sp.oo, 1), (1 - u) ** 2 / u)
    assert neyman.holds is True and neyman.method == "symbolic"
    # Pearson's f* is flat below -2, so f** is not derived: the grid decides, now out to u = 1000
    pearson = sp.Piecewise((t**2 / 4 + t, t >= -2), (-1, True))
    assert bi(pearson, R, (u - 1) ** 2).holds is True
    wrong = bi(pearson, R, (u - 1) ** 2 + sp.Max(0, u - 10))
    assert wrong.holds is False and wrong.counterexample["u"] > 10
    # Jeffrey's f* overflows in floats for t < -708: the grid cannot refute from below at u = 1e-3 there
    W = sp.LambertW(sp.exp(1 - t))
    jeffrey = bi(t + W - 2 + 1 / W, R, (u - 1) * sp.log(u))
    assert jeffrey.holds is True and "no grid t gives" in jeffrey.detail
