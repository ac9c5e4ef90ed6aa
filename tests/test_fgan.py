"""The f-GAN table computed from the generators agrees with the seed's table where it should."""

from __future__ import annotations

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
    assert len(rows) == len(ROWS) == 12
    for r in rows:
        assert set(r) == {"name", "f", "conjugate", "domain", "activation", "fprime1"}
        f1 = sp.simplify(r["f"].subs(u, 1))
        if r["name"] == "GAN":  # the exception: f(1) = -log 4, so D_f = 2 JSD - log 4 can be negative
            assert sp.simplify(f1 + sp.log(4)) == 0
        else:
            assert f1 == 0
        assert sp.simplify(sp.diff(r["f"], u, 2)).is_positive or r["f"].has(sp.Abs)  # convex
