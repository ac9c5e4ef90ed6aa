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
        # root k of its polynomial (which the derivation prints a step before), with its value
        value = sp.N(expr, 4)
        return rf"\operatorname{{root}}_{{{expr.index + 1}}} \approx {self._print(value)}"

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


_RELATIONS = {"==": "=", "<=": r"\le", ">=": r"\ge", "<": "<", ">": ">", "!=": r"\ne"}


def latex_lines(expr: sp.Basic, width: int = 60) -> str | None:
    """A relation or a long sum broken over lines (an ``aligned`` block) for a display that is too wide
    for the page: the left side on the first line, then the right side's terms, at most about ``width``
    characters of LaTeX per line. None where there is nothing to break at (no relation, no sum).

    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> out = latex_lines(sp.Eq(y, sum(sp.Symbol(f"a_{k}") * x**k for k in range(6))), width=30)
    >>> print(out.replace(r"\\\\", "\\n"))
    \\begin{aligned}&y
    &\\quad = a_{0} + a_{1} x + a_{2} x^{2}
    &\\qquad + a_{3} x^{3} + a_{4} x^{4}
    &\\qquad + a_{5} x^{5}\\end{aligned}
    """
    if isinstance(expr, sp.Equality) and expr.rhs in (sp.true, sp.false):
        return None
    rel = getattr(expr, "rel_op", None)
    if rel in _RELATIONS:
        lines = _side_lines(expr.lhs, width)
        right = _side_lines(expr.rhs, width)
        lines.append(r"\quad " + _RELATIONS[rel] + " " + right[0])
        lines += right[1:]
    elif isinstance(expr, (sp.Add, sp.Mul)):
        lines = _side_lines(expr, width)
    else:
        return None
    if len(lines) == 1:
        return None
    return r"\begin{aligned}" + r"\\".join("&" + ln for ln in lines) + r"\end{aligned}"


def _terms(add: sp.Add, width: int) -> list[str]:
    """A sum's terms grouped into chunks of about ``width`` characters of LaTeX, signs leading."""
    chunks, line = [], ""
    for k, term in enumerate(add.as_ordered_terms()):
        text = _print(term)
        piece = text if k == 0 else (" - " + text[1:].lstrip() if text.startswith("-") else " + " + text)
        if line and len(line) + len(piece) > width:
            chunks.append(line)
            line = piece.lstrip()
        else:
            line += piece
    chunks.append(line)
    return chunks


def _side_lines(expr, width: int) -> list[str]:
    """One side of a relation as lines: a sum broken between its terms; a product whose one long factor
    is a sum (c (a + b + ...), or a sum over a denominator) with that sum broken inside big parentheses;
    anything else on one line. Lines after the first are indented and start with their sign."""
    def cont(chunk: str) -> str:
        return r"\qquad " + (chunk if chunk[:1] in "+-" else "+ " + chunk)

    if isinstance(expr, sp.Add):
        chunks = _terms(expr, width)
        return [chunks[0]] + [cont(c) for c in chunks[1:]]
    if isinstance(expr, sp.Mul):
        sums = [f for f in expr.args if isinstance(f, sp.Add)]
        if len(sums) == 1 and len(_print(sums[0])) > width:
            rest = sp.Mul(*[f for f in expr.args if f is not sums[0]], evaluate=False)
            chunks = _terms(sums[0], width)
            head = "" if rest == 1 else _print(rest) + " "
            return ([head + r"\Big(" + chunks[0]] + [cont(c) for c in chunks[1:-1]]
                    + [cont(chunks[-1] if len(chunks) > 1 else "") + r"\Big)"] if len(chunks) > 1
                    else [head + r"\Big(" + chunks[0] + r"\Big)"])
    return [_print(expr)]
