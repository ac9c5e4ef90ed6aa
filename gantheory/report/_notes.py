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


# -- prose with ASCII mathematics -> LaTeX / Unicode ---------------------------------------------------

_GREEK = ("alpha beta gamma delta epsilon eta theta iota kappa lambda mu nu xi pi rho sigma tau phi chi psi omega "
          "Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega").split()
_GREEK_RE = r"\b(" + "|".join(sorted(_GREEK, key=len, reverse=True)) + r")\b"
_UNICODE_GREEK = dict(zip(_GREEK, "αβγδεηθικλμνξπρστφχψωΓΔΘΛΞΠΣΦΨΩ"))


def _balanced(text: str, start: int) -> int:
    """The index just past the parenthesis closing the one at ``start``."""
    depth = 0
    for i in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i + 1
    return len(text)


def _split_top(inner: str) -> list[str]:
    """``inner`` split at its top-level commas."""
    parts, depth, last = [], 0, 0
    for k, ch in enumerate(inner):
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            parts.append(inner[last:k].strip())
            last = k + 1
    return parts + [inner[last:].strip()]


def _unpython(text: str, star: bool = False) -> str:
    """SymPy's str() spellings as a mathematician writes them: intervals in brackets, ``**`` as ``^``,
    ``Eq(a, b)`` as ``a = b``, no ``*``; ``Matrix([...])`` as ``[...]``, ``oo`` as infinity,
    ``Piecewise`` as cases. With ``star`` (prose written by hand), ``f*(t)`` keeps its star (a conjugate
    or an optimum); otherwise ``*`` is multiplication (SymPy's output)."""
    while (i := text.find("Piecewise(")) >= 0:
        j = _balanced(text, i + 9)
        cases = []
        for part in _split_top(text[i + 10:j - 1]):
            val, cond = _split_top(part.strip()[1:-1])[:2] if part.strip().startswith("(") else (part, "True")
            cases.append(val if cond == "True" else f"{val} if {cond}")
        text = text[:i] + ", else ".join(cases) + text[j:]
    while (i := text.find("Abs(")) >= 0 and (i == 0 or not text[i - 1].isalnum()):
        j = _balanced(text, i + 3)
        text = text[:i] + "|" + text[i + 4:j - 1] + "|" + text[j:]
    text = re.sub(r"\bEmptySet\b", "∅", text)
    text = re.sub(r"\bReals\b", "ℝ", text)
    text = re.sub(r"\binf\)", "∞)", text)  # (a, inf): an interval written by hand
    text = re.sub(r"([-+(]\s*)inf\b", r"\1∞", text)  # +inf, (-inf, a]; "inf over" stays the infimum
    kinds = {"Interval.open": "()", "Interval.Lopen": "(]", "Interval.Ropen": "[)", "Interval": "[]"}
    for name, (lb, rb) in kinds.items():
        while (i := text.find(name + "(")) >= 0:
            j = _balanced(text, i + len(name))
            inner = text[i + len(name) + 1:j - 1]
            text = text[:i] + lb + inner + rb + text[j:]
    while (i := text.find("Eq(")) >= 0 and (i == 0 or not text[i - 1].isalnum()):
        j = _balanced(text, i + 2)
        inner = text[i + 3:j - 1]
        depth, cut = 0, None
        for k, ch in enumerate(inner):
            depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(ch, 0)
            if ch == "," and depth == 0:
                cut = k
                break
        inner = inner if cut is None else inner[:cut] + " =" + inner[cut + 1:]
        text = text[:i] + inner + text[j:]
    text = re.sub(r"\b(?:Immutable)?(?:Dense)?Matrix\(\[", "[", text)
    text = re.sub(r"\barray\((\[[^\]]*\])\)", r"\1", text)
    text = re.sub(r"\]\]\)", "]]", text)
    text = re.sub(r"\*\*", "^", text)
    if star:  # a star after a lone letter, not followed by a letter or digit: f*(t), D*, R* = 1
        text = re.sub(r"(?<![A-Za-z0-9])([A-Za-z])\*(?![\w*])", r"\1^*", text)
    text = re.sub(r"(?<=[\w)\]])\s*\*\s*(?=[\w(√])", " ", text)
    return re.sub(r"\boo\b", "∞", text)


def prose_unicode(text: str) -> str:
    """Prose with ASCII mathematics for Markdown: Greek names as letters, <= as ≤, ..."""
    text = _unpython(text, True).replace("^*", "*")
    text = re.sub(_GREEK_RE, lambda m: _UNICODE_GREEK[m.group(1)], text)
    for a, b in (("<=", "≤"), (">=", "≥"), ("!=", "≠"), ("->", "→"), ("<<", "≪"), ("+-", "±"), ("-+", "∓")):
        text = text.replace(a, b)
    return re.sub(r"\bsqrt\(", "√(", text)


_OPS = {"<=": r"\le ", ">=": r"\ge ", "!=": r"\ne ", "+-": r"\pm ", "-+": r"\mp ", "->": r"\to ", "||": r"\| ",
        "<<": r"\ll "}
_CHARS = {"∞": r"\infty ", "{": r"\{", "}": r"\}", "*": "^*", "~": r"\sim ", "#": r"\#", "%": r"\%", "&": r"\&",
          "$": r"\$", "\\": r"\setminus ", "^": r"\wedge ", "_": r"\_", "∅": r"\emptyset ",
          "ℝ": r"\mathbb{R} ", "≤": r"\le ", "≥": r"\ge ", "≠": r"\ne ",
          "√": r"\surd ", "∘": r"\circ "}  # a lone ^ or _ has nothing to raise
_FUNCS = {"log", "exp", "sin", "cos", "tanh", "max", "min", "sup", "inf", "det", "arg", "lim"}


def _math_word(w: str) -> str:
    if w in _GREEK or w in _FUNCS:
        return "\\" + w + " "
    if w == "grad":
        return r"\nabla "
    if w == "LambertW":
        return "W"
    if w in ("int", "sum"):
        return "\\" + w + " "
    if w in ("dx", "dy", "dz", "dt"):
        return r"\,d" + w[1] + " "
    return r"\mathrm{" + w + "}" if len(w) > 1 else w


def _math(text: str) -> str:
    """ASCII mathematics (already without Python spellings) as the inside of $...$."""
    out, i = [], 0
    while i < len(text):
        ch, rest = text[i], text[i:]
        if rest.startswith("sqrt(") or rest.startswith("√("):
            k = i + (4 if rest[0] == "s" else 1)
            j = _balanced(text, k)
            out.append(r"\sqrt{" + _math(text[k + 1:j - 1]) + "}")
            i = j
        elif m := re.match(r"√([A-Za-z0-9]+)", rest):
            out.append(r"\sqrt{" + _math(m.group(1)) + "}")
            i += len(m.group(0))
        elif m := re.match(r"(\d+(?:\.\d+)?)e([-+]?\d+)", rest):
            out.append(m.group(1) + r" \cdot 10^{" + str(int(m.group(2))) + "}")
            i += len(m.group(0))
        elif rest[:2] in _OPS:
            out.append(_OPS[rest[:2]])
            i += 2
        elif m := re.match(r"[A-Za-z]+", rest):
            w = m.group(0)
            if len(w) == 1 and text.startswith("~", i + 1):  # Y~: the tilde accent
                out.append(r"\tilde{" + w + "}")
                i += 2
            else:
                out.append(_math_word(w))
                i += len(w)
        elif m := re.match(r"_(\{[^}]*\}|[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*)", rest):
            sub = m.group(1).strip("{}")
            if "_" in sub:  # g_at_claim: one subscript, not two
                out.append(r"_{\mathrm{" + sub.replace("_", r"\_") + "}}")
            else:
                out.append("_{" + _math(sub) + "}")
            i += len(m.group(0))
        elif m := re.match(r"\^(\{[^}]*\}|\([^()]*\)|-?[A-Za-z0-9.]+|\*)", rest):
            sup = m.group(1)
            sup = sup[1:-1] if sup[0] == "{" else sup
            out.append("^{*}" if sup == "*" else "^{" + _math(sup) + "}")
            i += len(m.group(0))
        else:
            out.append(_CHARS.get(ch, ch))
            i += 1
    return "".join(out)


# a run of ASCII mathematics inside prose: starts at a formula-like token and extends over operators,
# brackets and further tokens (words of two or more letters that are not mathematical end it)
_MATH_WORD = set(_GREEK) | {"log", "exp", "sqrt", "grad", "sup", "inf", "max", "min", "det", "tanh", "KL", "JSD",
                            "JS", "W1", "E", "R", "C", "D", "G", "V", "f", "g", "d", "h", "p", "q", "x", "y", "z",
                            "t", "u", "v", "w", "s", "a", "b", "c", "k", "m", "n", "N", "P", "Q", "T", "L", "H",
                            "F", "M", "I", "X", "Y", "Z", "A", "B", "S", "e", "i", "j", "r", "l", "o", "int", "dx",
                            "dy", "argmax", "argmin", "mod", "Re", "Im", "LambertW", "lim"}


def prose_tex(text: str, star: bool = True) -> str:
    """Prose with ASCII mathematics (titles, notes, verifier details) as LaTeX text: the mathematical runs
    typeset as inline math, the words escaped; no Python spelling survives. ``star``: see
    :func:`_unpython` (False for SymPy's output)."""
    text = _unpython(text, star)
    toks = re.findall(r"\b(?:e\.g\.|i\.e\.)|[A-Za-z]{2,}'s\b|[A-Za-z][A-Za-z0-9]*(?:_(?:\{[^}]*\}|[A-Za-z0-9]+))*'*"
                      r"|\d+(?:\.\d+)?(?:e-?\d+)?|<=|>=|!=|->|\+-|-\+|\|\||<<|\s+|.", text)

    def is_word(tok, k=None):  # prose, not mathematics
        if k is not None and tok in ("a", "A", "I") and is_word(next_real(k)):  # an article, a pronoun
            return True
        return (bool(re.fullmatch(r"[A-Za-z]{2,}(?:'s)?", tok)) and tok not in _MATH_WORD) or tok in ("e.g.", "i.e.")

    def mathy(tok):
        if re.fullmatch(r"\d+(?:\.\d+)?(?:e-?\d+)?", tok):
            return True
        if ("_" in tok and tok[0].isalpha()) or re.sub(r"\d+$", "", re.split(r"'", tok)[0]) in _MATH_WORD:
            return True
        return tok in ("<=", ">=", "!=", "->", "+-", "-+", "||", "<<") or tok in "<>=+-*/^|()[]~∞{}\\∅ℝ≤≥≠√∘"

    def next_idx(k):
        for j in range(k + 1, len(toks)):
            if not toks[j].isspace():
                return j
        return None

    def next_real(k):
        j = next_idx(k)
        return "" if j is None else toks[j]

    def word_next(k):  # the next token is prose
        j = next_idx(k)
        return j is not None and is_word(toks[j], j)

    out, run = [], []

    def flush():
        tail = []
        while run and run[-1].isspace():  # trailing spaces go after the math
            tail.insert(0, run.pop())
        body = "".join(run)
        if body.strip():
            out.append(f"${_math(body)}$")
        run.clear()
        out.extend(tail)

    for k, tok in enumerate(toks):
        depth = sum(t.count("(") + t.count("[") - t.count(")") - t.count("]") for t in run)
        if tok.isspace():
            (run if run else out).append(tok)
        elif is_word(tok, k):
            flush()
            out.append(tex_escape(tok))
        elif tok == "-" and k and is_word(toks[k - 1]) and word_next(k) and not run:
            out.append("-")  # a hyphenated word (WGAN-QC, Dirac-GAN)
        elif tok in ",;:.?!'\"" and (not run or depth <= 0):
            flush()
            out.append(tex_escape(tok))
        elif tok in "([" and word_next(k):
            flush()
            out.append(tok)  # a parenthesis opening prose
        elif tok in ")]" and (not run or depth <= 0):
            flush()
            out.append(tok)
        elif mathy(tok) or run:
            run.append(tok)
        else:
            flush()
            out.append(tex_escape(tok))
    flush()
    return re.sub(r"(?<!\\)\$(\s*)\$", r"\1", "".join(out))  # adjacent formulas merge; \$ stays


def tex_escape(text: str) -> str:
    return "".join(_TEX_SPECIAL.get(ch, ch) for ch in text)


def _group(source: str) -> tuple[str, str]:
    if " § " in source:
        doc, section = source.split(" § ", 1)
        section = re.sub(r"\s*\(.*\)$", "", section)
        return doc, section
    return "Beyond the seeds", source


def _fmt_value(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (complex, np.complexfloating)):
        z = complex(value)
        if z.real == 0:
            return f"{z.imag:.6g} i"
        return f"{z.real:.6g} {'-' if z.imag < 0 else '+'} {abs(z.imag):.6g} i"
    if isinstance(value, (list, tuple)):
        arr = np.asarray(value, dtype=object)
        try:
            return np.array2string(np.asarray(value, dtype=float), precision=4, separator=", ",
                                   max_line_width=10_000)
        except (TypeError, ValueError):
            return str(arr.tolist())
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, str) and re.fullmatch(r"\(?[-+]?[\d.]+(?:e[-+]?\d+)?(?:[-+][\d.]+(?:e[-+]?\d+)?)?j\)?", value):
        try:
            return _fmt_value(complex(value))  # Python's complex literal, as a + b i
        except ValueError:
            pass
    return str(value)


def _ordered(verdicts):
    groups: OrderedDict = OrderedDict()
    key_order = list(SEED_TITLES) + ["Beyond the seeds"]
    for v in sorted(verdicts, key=lambda v: key_order.index(_group(v.source)[0])
                    if _group(v.source)[0] in key_order else len(key_order)):
        doc, section = _group(v.source)
        groups.setdefault(doc, OrderedDict()).setdefault(section, []).append(v)
    return groups


_PREAMBLE = r"""\documentclass[10pt]{article}
\usepackage[left=2cm,right=3.4cm,top=2cm,bottom=2cm,marginparwidth=2.8cm,marginparsep=0.3cm]{geometry}
\usepackage{amsmath,amssymb,graphicx,array,booktabs}
\usepackage[T1]{fontenc}
\usepackage{url}
\def\UrlBreaks{\do\-\do\_}
\urlstyle{tt}
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\setlength{\parskip}{2pt}
\setlength{\emergencystretch}{3em}
\newsavebox{\gtbox}
% a display formula (#1) at its natural size; if wider than the line, its form broken over lines (#2);
% scaled down only when that is still too wide
\newcommand{\fitmathor}[2]{\par{\centering\sbox{\gtbox}{$\displaystyle #1$}%
  \ifdim\wd\gtbox>\linewidth\sbox{\gtbox}{$\displaystyle #2$}\fi
  \ifdim\wd\gtbox>\linewidth\resizebox{\linewidth}{!}{\usebox{\gtbox}}\else\usebox{\gtbox}\fi\par}\smallskip}
\newcommand{\fitmath}[1]{\fitmathor{#1}{#1}}
\newenvironment{erratum}{\par\medskip\noindent\begin{minipage}{\linewidth}\noindent\rule{\linewidth}{0.8pt}\par}%
  {\par\vspace{-2pt}\noindent\rule{\linewidth}{0.8pt}\end{minipage}\par\medskip}
\title{The theory of GAN training, checked}
\author{gantheory}
\date{}
"""

#: a derivation step or a formula longer than this (LaTeX characters) is summarized, not typeset
_MAX_TEX = 2500


def _doc_section(source: str) -> str:
    doc, section = source.split(" § ", 1) if " § " in source else (None, source)
    return (SEED_TITLES.get(doc, doc) + ", § " + section) if doc else section


def _counterexample_rows(ce) -> list[tuple[str, str]]:
    return [(str(k), _fmt_value(v)) for k, v in (ce or {}).items()]


def _key_tex(key: str) -> str:
    """A counterexample's key: a name such as ``better_point`` reads as words, a formula as mathematics."""
    if re.fullmatch(r"[A-Za-z]{2,}(?:_[A-Za-z0-9]+)+", key) and key.split("_")[0] not in _MATH_WORD:
        return tex_escape(key.replace("_", " "))
    return prose_tex(key)


def _value_tex(value: str) -> str:
    """A counterexample's value: numbers and lists of numbers as text that may break after a comma; a
    formula as mathematics."""
    if re.fullmatch(r"[\[\]\d\s,.eE+\-()ij]+", value) and len(value) > 30:
        return re.sub(r"-(?=\d)", "$-$", tex_escape(value)).replace(", ", r",\allowbreak{} ")
    return prose_tex(value, star=False)


def _tex_counterexample(ce) -> list[str]:
    rows = _counterexample_rows(ce)
    if not rows:
        return []
    out = [r"\begin{tabular}{@{}>{\raggedright\arraybackslash}p{0.32\linewidth}"
           r">{\raggedright\arraybackslash}p{0.62\linewidth}@{}}", r"\toprule"]
    out += [_key_tex(k) + " & " + _value_tex(v) + r" \\" for k, v in rows]
    out += [r"\bottomrule", r"\end{tabular}"]
    return out


def _summarized(claim) -> str:
    """A statement too long to read on a page (a Jacobian of a composed map runs to 10 000 characters of
    LaTeX): its too-long side named by its size, the other side typeset."""
    from gantheory.symbolic import latex
    from gantheory.symbolic._latex import _RELATIONS

    st = claim.statement
    rel = _RELATIONS.get(getattr(st, "rel_op", ""))

    def side(expr) -> str:
        tex = latex(expr)
        if len(tex) <= _MAX_TEX // 2:
            return tex
        size = f"{len(tex):,}".replace(",", "{,}")
        return r"\boxed{\text{a formula of " + size + r" characters (in \texttt{prove --json})}}"

    if rel is None:
        return side(st)
    return side(st.lhs) + f" {rel} " + side(st.rhs)


def _display(tex: str, lines: str | None, tail: str = "") -> str:
    """A display formula: on one line if it fits, else broken over lines (``lines``), scaled only if that
    is still too wide."""
    if lines:
        end = r"\end{aligned}"
        broken = lines[:-len(end)] + tail + end if lines.endswith(end) else lines + tail
        return r"\fitmathor{" + tex + tail + "}{" + broken + "}"
    return r"\fitmath{" + tex + tail + "}"


def _lines_of(statement) -> str | None:
    from gantheory.symbolic._latex import latex_lines

    try:
        lines = latex_lines(statement) if statement is not None else None
    except Exception:  # a statement the line breaker cannot print stays on one line
        return None
    return lines if lines is None or len(lines) <= _MAX_TEX else None  # too long: summarized instead


def _tex_steps(steps) -> list[str]:
    if not steps:
        return []
    out = [r"\emph{Derivation:}", r"\begin{enumerate}\setlength{\itemsep}{1pt}"]
    for st in steps:
        item = r"\item " + prose_tex(st["step"])
        if st.get("latex") and len(st["latex"]) <= 40 and "matrix" not in st["latex"]:
            item += ": $" + st["latex"] + "$"  # short: in the line
        elif st.get("latex") and len(st["latex"]) <= _MAX_TEX:
            item += ":" + _display(st["latex"], st.get("latex_lines"))
        elif st.get("latex"):
            item += " (a formula too long to print here; \\texttt{gantheory prove --json} has it)"
        out.append(item)
    out.append(r"\end{enumerate}")
    return out


def _md_steps(steps) -> list[str]:
    out = []
    for k, st in enumerate(steps or (), 1):
        line = f"{k}. {prose_unicode(st['step'])}"
        if st.get("latex") and len(st["latex"]) <= _MAX_TEX:
            line += f": ${st['latex']}$"
        out.append(line)
    return (["Derivation:", ""] + out + [""]) if out else []


def render_notes(verdicts, fmt: str, include_fgan_table: bool = True, figures: dict | None = None) -> str:
    """The notes as a string in ``fmt`` ("latex" or "markdown").

    Every statement, derivation step and correction is typeset from SymPy (``latex()``); prose with
    ASCII mathematics (titles, notes, the verifiers' reasons) goes through :func:`prose_tex`, so no
    Python spelling reaches the page. An erratum is a ruled block: as printed, what is wrong (the
    counterexample as a table), corrected and proved. ``figures`` maps a claim id to ``(image path
    relative to the output, caption)`` pairs, included after that claim.
    """
    from gantheory.topics import REGISTRY

    if fmt not in ("latex", "markdown"):
        raise ValueError(f"format must be 'latex' or 'markdown', got {fmt!r}")
    tex = fmt == "latex"
    by_id = {v.id: v for v in verdicts}
    out: list[str] = []
    n_err = sum(1 for v in verdicts if not v.expected)
    bad = [v.id for v in verdicts if not v.as_expected]
    summary = (f"{len(verdicts)} claim{'s' * (len(verdicts) != 1)} checked, {n_err} "
               f"errat{'a' if n_err != 1 else 'um'} found in the sources; "
               + ("every outcome as expected." if not bad else f"NOT as expected: {', '.join(bad)}."))
    legend = ("Each claim shows its statement, where the source makes it, the verdict (proved: derived "
              "symbolically; checked: numeric evidence; refuted: a counterexample) and how it was reached. "
              "Claim ids, for \\texttt{gantheory prove -k ID}, are in the margin.")
    if tex:
        out += [_PREAMBLE, r"\begin{document}", r"\maketitle", tex_escape(summary), "", legend, ""]
    else:
        out += ["# The theory of GAN training, checked", "", summary, ""]
    figures = dict(figures or {})
    for doc, sections in _ordered(verdicts).items():
        title = SEED_TITLES.get(doc, doc)
        head = f"{title} ({doc})" if doc in SEED_TITLES else title
        if tex:
            out.append(rf"\section*{{{tex_escape(title)}}}" + (rf"{{\small\path{{{doc}}}}}\par" if doc in SEED_TITLES
                                                                else ""))
        else:
            out.append(f"## {head}")
        out.append("")
        for section, items in sections.items():
            out.append(rf"\subsection*{{{prose_tex(section)}}}" if tex else f"### {section}")
            out.append("")
            for v in items:
                claim = REGISTRY.get(v.id)
                formula = claim.latex if claim else v.latex
                if claim is not None and len(formula) > _MAX_TEX:
                    formula = _summarized(claim)
                mark = "" if v.as_expected else " -- NOT AS EXPECTED"
                corr = REGISTRY.get(claim.correction) if claim is not None and claim.correction else None
                if tex:
                    out += _tex_claim(v, claim, formula, mark, corr, by_id.get(corr.id) if corr else None)
                else:
                    out += _md_claim(v, claim, formula, mark, corr)
                out.append("")
                for path, caption in figures.get(v.id, ()):
                    if tex:
                        # a minipage cannot break: the caption stays on the page of its figure
                        out += [r"\par\medskip\noindent\begin{minipage}{\linewidth}\centering"
                                r"\includegraphics[width=\linewidth]{" + str(path) + r"}\par",
                                r"\small " + prose_tex(caption, star=False) + r"\end{minipage}\par\medskip", ""]
                    else:
                        out += [f"![{prose_unicode(caption)}]({path})", "", f"*{prose_unicode(caption)}*", ""]
    if include_fgan_table:
        out += _fgan_table(tex)
    if tex:
        out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def domain_text(statement, include_real: bool = False, tex: bool = True) -> str:
    """The domains of a statement's free parameters, as the statement's SymPy assumptions state them:
    ``a, b > 0``; with ``include_real`` also ``a, b real`` (to set an erratum stated for all reals
    apart from its correction). Densities, R and variables bound by an optimization are left out."""
    import sympy as sp

    from gantheory.symbolic import _atoms as A

    if statement is None:
        return ""
    bound = {a.args[1] for a in statement.atoms(A.ArgMax, A.ArgMin) if len(a.args) > 1}
    skip = set(getattr(A, "DENSITIES", ())) | {A.R} | bound
    groups: dict[str, list] = {}
    for x in sorted(statement.free_symbols, key=str):
        if not isinstance(x, sp.Symbol) or x in skip:
            continue
        kind = ("> 0" if x.is_positive else ">= 0" if x.is_nonnegative else "< 0" if x.is_negative
                else "<= 0" if x.is_nonpositive else "real" if include_real and x.is_real else None)
        if kind:
            groups.setdefault(kind, []).append(x)
    if not groups:
        return ""
    if tex:
        rel = {"> 0": "> 0", ">= 0": r"\ge 0", "< 0": "< 0", "<= 0": r"\le 0", "real": r"\in \mathbb{R}"}
        return r",\quad " + r",\ ".join(", ".join(sp.latex(x) for x in xs) + " " + rel[k] for k, xs in groups.items())
    return "; " + "; ".join(", ".join(map(str, xs)) + " " + k for k, xs in groups.items())


def _tex_claim(v, claim, formula, mark, corr, corr_verdict) -> list[str]:
    status = v.status + mark
    foot = r"\marginpar{\raggedright\scriptsize\path{" + v.id + "}}"
    st = claim.statement if claim is not None else None
    if v.expected:
        out = [r"\paragraph{" + prose_tex(v.title) + "}" + foot + rf" \emph{{{tex_escape(status)}}} "
               rf"({tex_escape(v.method)}).", _display(formula, _lines_of(st), domain_text(st))]
        out += _tex_steps(v.steps)
        if v.detail:
            out.append(r"\emph{Check:} " + prose_tex(v.detail[:400], star=False))
        if claim is not None and claim.note:
            out.append(r"\par\emph{Note:} " + prose_tex(claim.note))
        return out
    out = [r"\noindent" + foot + r"\begin{erratum}", r"\textbf{Erratum:} " + prose_tex(v.title)
           + rf" \emph{{{tex_escape(status)}}}.",
           r"\par\emph{As printed:}", _display(formula, _lines_of(st), domain_text(st, corr is not None)),
           r"\emph{What is wrong:} " + prose_tex(v.detail[:400], star=False) + "."]
    rows = _tex_counterexample(v.counterexample)
    if rows:
        out += [r"\par\emph{Counterexample:}\par\smallskip"] + rows
    if corr is not None:
        cstatus = corr_verdict.status if corr_verdict is not None else "registered"
        out += [r"\par\smallskip\emph{Corrected and " + tex_escape(cstatus) + r"} (\path{" + corr.id + "}):",
                _display(corr.latex, _lines_of(corr.statement), domain_text(corr.statement, True))]
    if claim is not None and claim.note:
        out.append(r"\emph{Note:} " + prose_tex(claim.note))
    out.append(r"\end{erratum}")
    return out


def _md_claim(v, claim, formula, mark, corr) -> list[str]:
    status = v.status + (" (erratum: wrong as printed)" if not v.expected else "") + mark
    st = claim.statement if claim is not None else None
    out = [f"**{prose_unicode(v.title)}** (`{v.id}`): *{status}* ({v.method})", "",
           f"$$ {formula}{domain_text(st, not v.expected and corr is not None)} $$", "",
           f"Source: {v.source}."]
    if v.expected:
        out += [""] + _md_steps(v.steps)
        if v.detail:
            out.append(f"Check: {prose_unicode(v.detail[:400])}")
    else:
        out += ["", f"What is wrong: {prose_unicode(v.detail[:400])}", ""]
        rows = _counterexample_rows(v.counterexample)
        if rows:
            out.append("Counterexample: " + "; ".join(f"{prose_unicode(k)} = {prose_unicode(x)}" for k, x in rows))
        if corr is not None:
            out += ["", f"Corrected (`{corr.id}`):", "", f"$$ {corr.latex}{domain_text(corr.statement, True)} $$"]
    if claim is not None and claim.note:
        out.append(f"\n> Note: {prose_unicode(claim.note)}")
    return out


def _fgan_table(tex: bool) -> list[str]:
    """The f-GAN table as a table (booktabs in LaTeX, a pipe table in Markdown), each cell read from the
    registry's corrected claims (:func:`gantheory.topics.fgan.table`)."""
    import sympy as sp

    from gantheory.formulas import fgan_table
    from gantheory.symbolic import latex

    rows = fgan_table()

    def cell(x) -> str:
        if isinstance(x, sp.Interval):  # a kink at 1: the subdifferential
            return r"\partial f(1) = " + latex(x)
        return latex(x)

    intro = (r"Every cell restates a registered claim, established by {gantheory prove}: $f$ from {fgan-*-generator} "
             r"(corrected where the printed $f$ is not a generator), $f^*$ and its domain from "
             r"{fgan-*-conjugate} (the corrected conjugate and domain where the printed ones are wrong), $g_f$ "
             r"from {fgan-*-activation}; $f'(1)$ is derived from $f$. The conjugates "
             r"$f^*(t) = \sup_{u>0}(ut - f(u))$ are derived by solving $f'(u) = t$, not typed in.")
    code = re.compile(r"\{([a-z*-]+(?: [a-z]+)?)\}")
    if tex:
        out = [r"\section*{The $f$-GAN table, computed}", "",
               code.sub(lambda m: r"\texttt{" + m.group(1).replace("*", r"$\ast$") + "}", intro), "",
               r"\begin{center}\renewcommand{\arraystretch}{1.35}",
               r"\begin{tabular}{@{}l>{$}l<{$}>{$}l<{$}@{}}", r"\toprule",
               r"Divergence & f(u) & g_f(v) \\", r"\midrule"]
        out += [rf"{r['name_tex']} & {latex(r['f'])} & {latex(r['activation'])} \\" for r in rows]
        out += [r"\bottomrule", r"\end{tabular}", r"\end{center}", "",
                r"\begin{center}\renewcommand{\arraystretch}{1.35}",
                r"\begin{tabular}{@{}l>{$\displaystyle}l<{$}>{$\displaystyle}l<{$}>{$}l<{$}@{}}", r"\toprule",
                r"Divergence & f^*(t) & t \in \operatorname{dom} f^* & f'(1) \\", r"\midrule"]
        out += [rf"{r['name_tex']} & {latex(r['conjugate'])} & {latex(r['domain'])} & {cell(r['fprime1'])} \\"
                for r in rows]
        out += [r"\bottomrule", r"\end{tabular}", r"\end{center}", ""]
        return out
    out = ["## The f-GAN table, computed", "", code.sub(r"`\1`", intro), "",
           "| Divergence | $f(u)$ | $f^*(t)$ | $\\operatorname{dom} f^*$ | $g_f(v)$ | $f'(1)$ |",
           "| --- | --- | --- | --- | --- | --- |"]
    out += [f"| {r['name_unicode']} | ${latex(r['f'])}$ | ${latex(r['conjugate'])}$ | ${latex(r['domain'])}$ "
            f"| ${latex(r['activation'])}$ | ${cell(r['fprime1'])}$ |" for r in rows]
    out.append("")
    return out
