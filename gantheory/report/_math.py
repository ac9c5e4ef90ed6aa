"""Mathematics as a mathematician writes it on a terminal: intervals as (0, ∞), roots with a decimal,
∞ for oo, √ for sqrt. The SymPy form stays in ``--json``.

>>> import sympy as sp
>>> math_text(sp.Interval.open(0, sp.oo))
'(0, ∞)'
>>> math_text(sp.CRootOf(sp.Symbol("x")**3 - 10*sp.Symbol("x")**2 + 26*sp.Symbol("x") - 4, 0))
'0.1640 (the smallest root of x^3 - 10*x^2 + 26*x - 4)'
>>> u = sp.Symbol("u")
>>> math_text(sp.Piecewise((sp.sqrt(u), u >= 1), (sp.Abs(u - 1)/2, True)))
'{√u if u ≥ 1; otherwise |u - 1|/2}'
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.str import StrPrinter

__all__ = ["math_text"]

_ORDINAL = ["smallest", "second", "third", "fourth", "fifth"]


class _MathPrinter(StrPrinter):
    def _print_Infinity(self, expr):
        return "∞"

    def _print_NegativeInfinity(self, expr):
        return "-∞"

    def _print_Interval(self, i):
        left = "(" if i.left_open else "["
        right = ")" if i.right_open else "]"
        return f"{left}{self._print(i.start)}, {self._print(i.end)}{right}"

    def _print_Union(self, u):
        return " ∪ ".join(self._print(a) for a in u.args)

    def _print_EmptySet(self, e):
        return "∅"

    def _print_Reals(self, e):
        return "ℝ"

    def _print_ComplexRootOf(self, r):
        poly = sp.Poly(r.expr, r.poly.gen).as_expr()
        k = r.index
        which = _ORDINAL[k] if k < len(_ORDINAL) else f"root number {k + 1}"
        value = sp.N(r, 4)
        return f"{value} (the {which} root of {self._print(poly)})"

    def _print_Equality(self, e):
        return f"{self._print(e.lhs)} = {self._print(e.rhs)}"

    def _print_Unequality(self, e):
        return f"{self._print(e.lhs)} ≠ {self._print(e.rhs)}"

    def _print_Tuple(self, t):
        return "; ".join(self._print(a) for a in t.args) if all(isinstance(a, sp.Rel) for a in t.args) \
            else super()._print_Tuple(t)

    def _print_Abs(self, expr):
        return f"|{self._print(expr.args[0])}|"

    def _print_Pow(self, expr, rational=False):
        if expr.exp is sp.S.Half:
            inner = self._print(expr.base)
            return f"√{inner}" if expr.base.is_Atom else f"√({inner})"
        return super()._print_Pow(expr, rational).replace("**", "^")

    def _print_Relational(self, expr):
        op = {">=": "≥", "<=": "≤", "!=": "≠", "==": "="}.get(expr.rel_op, expr.rel_op)
        return f"{self._print(expr.lhs)} {op} {self._print(expr.rhs)}"

    def _print_Piecewise(self, expr):
        parts = [self._print(e) if c is sp.true else f"{self._print(e)} if {self._print(c)}" for e, c in expr.args]
        if len(parts) > 1 and expr.args[-1][1] is sp.true:
            parts[-1] = "otherwise " + parts[-1]
        return "{" + "; ".join(parts) + "}"

    def _print_LambertW(self, expr):
        return f"W({self._print(expr.args[0])})"

    def _print_And(self, expr):
        return " and ".join(self._print(a) for a in expr.args)


def math_text(expr) -> str:
    """``expr`` on one line, with intervals, infinities and roots written as mathematics."""
    if isinstance(expr, str):
        return expr
    return _MathPrinter().doprint(expr)
