"""LaTeX for statements, with the project's symbol names."""

from __future__ import annotations

import sympy as sp

from gantheory.symbolic import _atoms as A

_NAMES = {
    A.p_data: r"p_{\mathrm{data}}",
    A.p_g: r"p_g",
    A.f_star: r"f^*",
    A.lam: r"\lambda",
}


def latex(expr: sp.Basic) -> str:
    """LaTeX of a statement or formula, as it goes into the notes."""
    if isinstance(expr, sp.Equality) and expr.rhs in (sp.true, sp.false):  # X = True reads "X"
        body = sp.latex(expr.lhs, symbol_names=_NAMES)
        return body if expr.rhs is sp.true else r"\text{not: }\ " + body
    return sp.latex(expr, symbol_names=_NAMES)
