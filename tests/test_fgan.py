"""The f-GAN table computed from the generators agrees with the seed's table where it should."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from gantheory.symbolic._fgan import derive_conjugate, t, u
from gantheory.topics.fgan import ROWS, table


@pytest.mark.parametrize("row", [r for r in ROWS if not r.f.has(sp.Abs)], ids=lambda r: r.key)
def test_derived_conjugate_matches_table_on_its_domain(row):
    """The conjugate is *computed* (first-order condition), then compared with the table's entry."""
    conj, dom = derive_conjugate(row.f)
    expected = row.conjugate_fix if row.conjugate_fix is not None else row.conjugate
    lo, hi = float(max(dom.inf, -5)), float(min(dom.sup, 5))
    for tv in np.linspace(lo, hi, 9)[1:-1]:
        a = complex(sp.N(conj.subs(t, tv)))
        b = complex(sp.N(expected.subs(t, tv)))
        assert a == pytest.approx(b, rel=1e-9, abs=1e-12), (row.key, tv)


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
