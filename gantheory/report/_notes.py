"""Lecture notes from verdicts: standalone LaTeX (pdflatex, amsmath) or Markdown with $...$ math.

Claims are grouped by source document and section; each shows its statement, source, verdict and
method; an erratum shows the statement as printed, the counterexample and the corrected statement.
"""

from __future__ import annotations

import re
from collections import OrderedDict

import numpy as np

__all__ = ["render_notes", "SEED_TITLES"]

SEED_TITLES = {
    "000_62b6c109a73221df.txt": "Computing the GAN Equilibrium (lecture slides)",
    "001_6fb4bb27135ac5f1.txt": "Dualing GANs (poster; Li, Schwing, Wang, Zemel)",
    "002_c2a2977b6273c765.txt": "Convergence Analysis of GAN training procedures (presentation)",
    "003_c1c0aa34b0c233a3.txt": "GAN basics and f-GANs (lecture slides)",
    "004_c244375ad6f330fe.txt": "The Numerics of GANs (IFT 6085 lecture notes)",
}
_TEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def plain_math(text: str) -> str:
    """Text from SymPy's str() without Python's operators: ``**`` becomes ``^``, ``*`` a space
    (``2*lambda`` reads ``2 lambda``)."""
    text = re.sub(r"\*\*", "^", text)
    return re.sub(r"\s*\*\s*", " ", text)


def tex_escape(text: str) -> str:
    return "".join(_TEX_SPECIAL.get(ch, ch) for ch in text)


def _group(source: str) -> tuple[str, str]:
    if " § " in source:
        doc, section = source.split(" § ", 1)
        section = re.sub(r"\s*\(.*\)$", "", section)
        return doc, section
    return "Beyond the seeds", source


def _fmt_value(value) -> str:
    if isinstance(value, (list, tuple)):
        arr = np.asarray(value, dtype=object)
        try:
            return np.array2string(np.asarray(value, dtype=float), precision=4, separator=", ",
                                   max_line_width=10_000)
        except (TypeError, ValueError):
            return str(arr.tolist())
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _counterexample(ce) -> list[str]:
    return [f"{k} = {_fmt_value(v)}" for k, v in (ce or {}).items()]


def _ordered(verdicts):
    groups: OrderedDict = OrderedDict()
    key_order = list(SEED_TITLES) + ["Beyond the seeds"]
    for v in sorted(verdicts, key=lambda v: key_order.index(_group(v.source)[0])
                    if _group(v.source)[0] in key_order else len(key_order)):
        doc, section = _group(v.source)
        groups.setdefault(doc, OrderedDict()).setdefault(section, []).append(v)
    return groups


def render_notes(verdicts, fmt: str, include_fgan_table: bool = True) -> str:
    """The notes as a string in ``fmt`` ("latex" or "markdown")."""
    from gantheory.topics import REGISTRY

    if fmt not in ("latex", "markdown"):
        raise ValueError(f"format must be 'latex' or 'markdown', got {fmt!r}")
    tex = fmt == "latex"
    out: list[str] = []
    n_err = sum(1 for v in verdicts if not v.expected)
    bad = [v.id for v in verdicts if not v.as_expected]
    summary = (f"{len(verdicts)} claims checked, {n_err} errata found in the sources; "
               + ("every outcome as expected." if not bad else f"NOT as expected: {', '.join(bad)}."))
    if tex:
        out += [r"\documentclass[10pt]{article}", r"\usepackage[margin=2cm]{geometry}",
                r"\usepackage{amsmath,amssymb}", r"\usepackage[T1]{fontenc}", r"\allowdisplaybreaks",
                r"\setlength{\parindent}{0pt}", r"\title{The theory of GAN training, checked}",
                r"\author{gantheory}", r"\date{}", r"\begin{document}", r"\maketitle", tex_escape(summary), ""]
    else:
        out += ["# The theory of GAN training, checked", "", summary, ""]
    for doc, sections in _ordered(verdicts).items():
        title = SEED_TITLES.get(doc, doc)
        head = f"{title} ({doc})" if doc in SEED_TITLES else title
        out.append(rf"\section*{{{tex_escape(head)}}}" if tex else f"## {head}")
        out.append("")
        for section, items in sections.items():
            out.append(rf"\subsection*{{{tex_escape(section)}}}" if tex else f"### {section}")
            out.append("")
            for v in items:
                claim = REGISTRY.get(v.id)
                status = v.status + (" (erratum: wrong as printed)" if not v.expected else "")
                mark = "" if v.as_expected else " -- NOT AS EXPECTED"
                if tex:
                    out.append(rf"\paragraph{{{tex_escape(plain_math(v.title))}}} \texttt{{{tex_escape(v.id)}}}, "
                               rf"{tex_escape(status + mark)} ({tex_escape(v.method)}).")
                    out.append(r"\begin{gather*}" + (claim.latex if claim else v.latex) + r"\end{gather*}")
                else:
                    out.append(f"**{plain_math(v.title)}** (`{v.id}`): *{status}{mark}* ({v.method})")
                    out.append("")
                    out.append(f"$$ {claim.latex if claim else v.latex} $$")
                out.append(("Source: " + tex_escape(v.source) + r"\\") if tex else f"Source: {v.source}.")
                if v.detail:
                    detail = plain_math(v.detail[:400])
                    out.append(("Check: " + tex_escape(detail)) if tex else f"Check: {detail}")
                if not v.expected and claim is not None:
                    lines = [plain_math(x) for x in _counterexample(v.counterexample)]
                    corr = REGISTRY.get(claim.correction)
                    if tex:
                        out.append(r"\\ Counterexample: " + tex_escape("; ".join(lines)) + r"\\")
                        if corr is not None:
                            out.append(r"Corrected (\texttt{" + tex_escape(corr.id) + r"}):"
                                       r"\begin{gather*}" + corr.latex + r"\end{gather*}")
                    else:
                        out.append("")
                        out.append("Counterexample: " + "; ".join(lines))
                        if corr is not None:
                            out.append("")
                            out.append(f"Corrected (`{corr.id}`):")
                            out.append("")
                            out.append(f"$$ {corr.latex} $$")
                if claim is not None and claim.note:
                    note = plain_math(claim.note)
                    out.append(("\\\\ Note: " + tex_escape(note)) if tex else f"\n> Note: {note}")
                out.append("")
    if include_fgan_table:
        out += _fgan_table(tex)
    if tex:
        out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def _fgan_table(tex: bool) -> list[str]:
    import sympy as sp

    from gantheory.formulas import fgan_table
    from gantheory.symbolic import latex

    out = [r"\section*{The f-GAN table, computed}" if tex else "## The f-GAN table, computed", "",
           ("Conjugates $f^*(t) = \\sup_{u>0}(ut - f(u))$ and their domains are derived from the generators "
            "by solving $f'(u) = t$; they are not typed in.")]
    out.append("")
    for row in fgan_table():
        parts = [rf"f(u) = {latex(row['f'])}", rf"f^*(t) = {latex(row['conjugate'])}",
                 rf"t \in {latex(row['domain'])}", rf"g_f(v) = {latex(row['activation'])}",
                 rf"f'(1) = {latex(sp.sympify(row['fprime1']))}"]
        if tex:
            out.append(rf"\paragraph{{{tex_escape(row['name'])}}}" + r"\begin{gather*}" + r" \\ ".join(parts)
                       + r"\end{gather*}")
        else:
            out.append(f"- **{row['name']}**: " + ", ".join(f"${p}$" for p in parts))
    out.append("")
    return out
