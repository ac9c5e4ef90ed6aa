"""LaTeX for statements, with the project's symbol names."""

from __future__ import annotations

import sympy as sp
from sympy.printing.latex import LatexPrinter

from gantheory.symbolic import _atoms as A

_NAMES = {
    A.p_data: r"p_{\mathrm{data}}",
    A.p_g: r"p_g",
    A.f_star: r"f^*",
    A.lam: r"\lambda",
}


class _Printer(LatexPrinter):
    """SymPy's LaTeX, with roots of polynomials as numbers a reader can use."""

    def _print_ComplexRootOf(self, expr):
        # "the k-th root of P, about 0.1640": the decimal first, the exact root named after it
        poly = self._print(sp.Poly(expr.expr, expr.poly.gen).as_expr())
        value = sp.N(expr, 4)
        return rf"{self._print(value)}\ (\text{{root {expr.index + 1} of }} {poly})"


    def _print_MatAdd(self, expr):
        # SymPy writes A + (-h) B as "A + - h B"
        out = ""
        for k, term in enumerate(expr.args):
            text = self._print(term)
            if k == 0:
                out = text
            elif text.startswith("- "):
                out += " - " + text[2:]
            elif text.startswith("-"):
                out += " - " + text[1:]
            else:
                out += " + " + text
        return out


def _print(expr) -> str:
    return _Printer({"symbol_names": _NAMES}).doprint(expr)


def latex(expr: sp.Basic) -> str:
    """LaTeX of a statement or formula, as it goes into the notes."""
    if isinstance(expr, sp.Equality) and expr.rhs in (sp.true, sp.false):  # X = True reads "X"
        body = _print(expr.lhs)
        return body if expr.rhs is sp.true else r"\text{not: }\ " + body
    return _print(expr)
