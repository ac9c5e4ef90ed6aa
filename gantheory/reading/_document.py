"""Whole documents -> the relations they state, in file order, with where they are.

A lecture is LaTeX (article or beamer), Markdown (as Jupyter, Quarto and MkDocs write it) or plain text
with ``$$`` blocks (as the seeds come). :func:`read_document` finds the math (``$...$``, ``$$...$$``,
``\\(...\\)``, ``\\[...\\]``, ``equation``/``align``/``gather``/``multline``, ``aligned`` inside them), splits
it into relations (an ``align`` line is a statement; a chain ``a = b = c`` becomes its links, each link
keeping the left side ``a = b``, ``b = c``), and keeps each statement's line and the frame or section it
sits in. Notation the document declares is collected as it goes: ``\\newcommand{\\KL}{...}`` (applied to
the math after it), ``:=`` and "where X = ...", "let X = ...", "define X = ..." (recorded as definitions,
not claims). Nothing is evaluated: the statements are text for :func:`gantheory.reading.read_statement`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["DocStatement", "read_document", "FORMATS", "format_of"]

FORMATS = ("latex", "markdown", "text")
_EXT = {".tex": "latex", ".ltx": "latex", ".md": "markdown", ".markdown": "markdown", ".qmd": "markdown",
        ".txt": "text", ".text": "text"}


@dataclass
class DocStatement:
    line: int
    where: str
    text: str              # the relation as written (LaTeX)
    context: str = ""      # the whole formula it came from
    kind: str = "claim"    # claim | definition
    notes: list = field(default_factory=list)
    lhs: str = ""          # the link's two sides and its relation, as split from the formula
    op: str = ""
    rhs: str = ""
    chain: int = 1         # how many links the formula it came from has
    hypothesis: bool = False  # stated as a condition ("if $x > 0$", "iff $p_g = p_{data}$", "Suppose $x < 0$.")
    hypotheses: list = field(default_factory=list)  # the conditions (LaTeX) this claim is stated under
    connective: str = ""   # how it is tied to them: "iff" (an equivalence), "if" (a condition), ""
    sentence: int = 0      # which sentence of the document it is in (a line's conditions reach only their sentence)
    reading: str | None = None  # what is checked when not the text: the document's functions put in (reader's syntax)


def format_of(path: str, given: str | None = None) -> str:
    if given is not None:
        if given not in FORMATS:
            raise ValueError(f"--format must be one of {', '.join(FORMATS)}, got {given!r}")
        return given
    import os

    ext = os.path.splitext(path)[1].lower()
    return _EXT.get(ext, "text")


_ENVS = ("equation", "equation*", "align", "align*", "gather", "gather*", "multline", "multline*", "eqnarray",
         "eqnarray*", "displaymath", "math", "flalign", "flalign*")
_REL = re.compile(r"(:=|\\coloneqq|\\triangleq|\\leqq?|\\geqq?|\\le(?![a-zA-Z])|\\ge(?![a-zA-Z])|\\neq|"
                  r"\\ne(?![a-zA-Z])|<=|>=|!=|"
                  r"(?<![<>!:=\\])=(?!=)|<(?!=)|>(?!=))")


def _strip_comments(tex: str) -> str:
    return re.sub(r"(?<!\\)%.*", "", tex)


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _headings(text: str, fmt: str) -> list[tuple[int, str]]:
    """(position, title) of each section / frame / heading, in order."""
    out = []
    if fmt == "latex":
        pat = re.compile(r"\\(?:sub)*section\*?\{([^{}]*)\}|\\begin\{frame\}(?:\[[^\]]*\])?\{([^{}]*)\}|"
                         r"\\frametitle\{([^{}]*)\}")
        for m in pat.finditer(text):
            out.append((m.start(), next(g for g in m.groups() if g is not None).strip()))
    else:
        for m in re.finditer(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", text, flags=re.M):
            out.append((m.start(), m.group(1).strip().strip("*").strip()))
    return out


def _where(headings, pos: int) -> str:
    title = ""
    for p, t in headings:
        if p <= pos:
            title = t
        else:
            break
    return title


def _math_spans(text: str, fmt: str):
    """(start, content, display) of each piece of math, in file order (code fences skipped)."""
    spans = []
    masked = text
    if fmt == "markdown":  # code fences and inline code are not math
        masked = re.sub(r"```.*?```|~~~.*?~~~", lambda m: " " * len(m.group(0)), masked, flags=re.S)
        masked = re.sub(r"`[^`\n]*`", lambda m: " " * len(m.group(0)), masked)
    taken = [False] * len(masked)

    def take(a, b):
        for i in range(a, b):
            taken[i] = True

    if fmt == "latex":
        env = "|".join(re.escape(e) for e in _ENVS)
        for m in re.finditer(rf"\\begin\{{({env})\}}(.*?)\\end\{{\1\}}", masked, flags=re.S):
            spans.append((m.start(2), m.group(2), True, m.group(1)))
            take(m.start(), m.end())
    for pat, disp in ((r"\$\$(.+?)\$\$", True), (r"\\\[(.+?)\\\]", True), (r"\\\((.+?)\\\)", False),
                      (r"(?<![\\$])\$(?!\$)([^$\n]+?)(?<!\\)\$", False)):
        for m in re.finditer(pat, masked, flags=re.S):
            if any(taken[m.start():m.end()]):
                continue
            spans.append((m.start(1), m.group(1), disp, "math"))
            take(m.start(), m.end())
    spans.sort(key=lambda s: s[0])
    return spans


def _apply_macros(math: str, macros: dict) -> str:
    for _ in range(5):  # nested macros, bounded
        new = math
        for name, (nargs, body) in macros.items():
            if nargs == 0:
                new = re.sub(rf"\\{name}(?![A-Za-z])", lambda m, b=body: b, new)
            else:
                def rep(m, b=body, k=nargs):
                    out = b
                    for i in range(k):
                        out = out.replace(f"#{i + 1}", m.group(i + 1))
                    return out
                new = re.sub(rf"\\{name}" + r"\s*\{([^{}]*)\}" * nargs, rep, new)
        if new == math:
            break
        math = new
    return math


def _macros(text: str) -> list[tuple[int, str, int, str]]:
    """(position, name, number of arguments, body) of \\newcommand / \\renewcommand / \\def."""
    out = []
    pat = re.compile(r"\\(?:re)?newcommand\*?\s*\{?\\([A-Za-z]+)\}?\s*(?:\[(\d)\])?\s*\{")
    for m in pat.finditer(text):
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        out.append((m.start(), m.group(1), int(m.group(2) or 0), text[m.end():i - 1]))
    for m in re.finditer(r"\\def\\([A-Za-z]+)\{([^{}]*)\}", text):
        out.append((m.start(), m.group(1), 0, m.group(2)))
    return sorted(out)


#: The relations that define their left side (``:=``, ``\\triangleq``): notation, never a claim.
DEFINING = (":=", "\\coloneqq", "\\triangleq")
#: A matrix environment (its & and \\\\ separate entries and rows, not alignment points and lines).
_MATRIX = re.compile(r"\\begin\s*\{([pbBvV]?matrix)\}.*?\\end\s*\{\1\}", re.S)


def _split_lines(math: str, env: str) -> list[tuple[int, str]]:
    """An align-like environment (or an aligned block) as its lines, with offsets."""
    if env in ("equation", "equation*", "math", "displaymath") and "\\begin{aligned}" not in math \
            and "\\begin{split}" not in math:
        return [(0, math)]
    body = re.sub(r"\\(begin|end)\{(aligned|split|gathered)\}", " ", math)
    out, start = [], 0
    inside = [(m.start(), m.end()) for m in _MATRIX.finditer(body)]
    for m in re.finditer(r"\\\\", body):
        if any(a <= m.start() < b for a, b in inside):  # a matrix's row, not a line
            continue
        out.append((start, body[start:m.start()]))
        start = m.end()
    out.append((start, body[start:]))
    return out


def _clean(piece: str) -> str:
    piece = re.sub(r"^\s*\\(Rightarrow|Longrightarrow|implies|therefore|because|iff)\s*", " ", piece)
    piece = re.sub(r"\\(label|tag|eqref|ref)\{[^{}]*\}|\\(nonumber|notag)", " ", piece)
    kept = [m.group(0) for m in _MATRIX.finditer(piece)]  # a matrix's & separates its entries: kept
    piece = _MATRIX.sub("\x00", piece).replace("&", " ")
    for k in kept:
        piece = piece.replace("\x00", k, 1)
    piece = re.sub(r"\\(quad|qquad|,|;|!|:)\s*", " ", piece)
    return " ".join(piece.split()).strip().rstrip(".,;").strip()


def _links(formula: str) -> list[tuple[str, str, str]]:
    """``a = b \\le c`` -> [(``a``, ``=``, ``b``), (``b``, ``\\le``, ``c``)]; relations inside brackets do not
    split; a formula that starts with a relation continues an earlier one (its left side is ``…``)."""
    depth, cuts = 0, []
    i = 0
    while i < len(formula):
        ch = formula[i]
        if ch in "({[":
            depth += 1
        elif ch in ")}]":
            depth -= 1
        elif depth == 0:
            m = _REL.match(formula, i)
            if m and not (formula[i] in "<>" and formula[max(0, i - 5):i].endswith(("\\left", "\\right"))):
                cuts.append((i, m.end(), m.group(0)))
                i = m.end()
                continue
        i += 1
    if not cuts:
        return []
    parts, prev = [], 0
    for a, b, _ in cuts:
        parts.append(formula[prev:a])
        prev = b
    parts.append(formula[prev:])
    ops = [c[2] for c in cuts]
    out = []
    for k, op in enumerate(ops):
        left, right = parts[k].strip(), parts[k + 1].strip()
        if not left and k > 0:
            left = parts[k - 1].strip()
        if not left:  # "= b" continuing an earlier line: the caller supplies the left side
            left = "\u2026"
        out.append((left, op, right))
    return out


#: Prose before a formula that makes it a hypothesis of the sentence's claims ("If $p_g = p_{data}$, then ...",
#: "When $x > 0$ we have ..."); the standing ones hold to the end of the paragraph ("Suppose $x < 0$. Then ...").
_HYPOTHESIS_BEFORE = re.compile(r"\b(if|when|whenever|suppose|supposing|assume|assuming|provided|given|"
                                r"for(?: all| every| any| each)?)\s*(?:that\s*)?$", re.I)
#: Prose between two hypotheses ("If $a > 0$ and $b > 0$, then ..."): the second is a hypothesis too.
_AND = re.compile(r"^[\s,;]*and\s*(?:that\s*)?$", re.I)  # "and" only: "For $x > 0$, $A$" states A
_STANDING = ("suppose", "supposing", "assume", "assuming", "let")
#: "Let" before a condition (no "="): a standing hypothesis; before a definition ("Let $f(x) = x^2$") it is notation.
_LET = re.compile(r"\b(let)\s*$", re.I)
#: Prose after a claim that ties it to the next formula: "$A$ iff $B$", "$A$ is attained if and only if $B$",
#: "$A$ if $B$", "$A$ whenever $B$" (a few words may come between).
_CONDITION_AFTER = re.compile(r"^[\s,;]*(?:[A-Za-z]+\s+){0,4}?(iff|if\s+and\s+only\s+if|only\s+if|if|when|whenever|"
                              r"provided(?:\s+that)?|exactly\s+when|precisely\s+when|as\s+long\s+as)\s*$", re.I)
#: Where a sentence ends in the prose between two formulas (a claim's conditions do not reach past it) and where a
#: paragraph does (standing hypotheses end there).
_SENTENCE_END = re.compile(r"(?<!i\.e)(?<!e\.g)(?<!\bcf)(?<!\bvs)(?<!\bEq)(?<!\bFig)(?<!\bSec)(?<!\bThm)(?<!\bresp)"
                           r"[.!?](?=\s|$)|\n\s*\n|\\(?:item|section|subsection|subsubsection|paragraph|frametitle)\b|"
                           r"\\(?:begin|end)\{(?:frame|itemize|enumerate|description|theorem|lemma|proposition|"
                           r"corollary|proof|definition|remark|example)\*?\}")
_PARAGRAPH_END = re.compile(r"\n\s*\n|\\(?:item|section|subsection|subsubsection|paragraph|frametitle)\b|"
                            r"\\(?:begin|end)\{(?:frame|itemize|enumerate|description|theorem|lemma|proposition|"
                            r"corollary|proof|definition|remark|example)\*?\}")

_DEF_WORDS = re.compile(r"(?:\bwhere\b|\blet\b|\bdefine\b|\bdenote\b|\bwe write\b|\bset\b)\s*[$\\(]*\s*$", re.I)


_RELATION = re.compile(r"(?<![<>!:\\])=|<|>|\\(?:le|ge|leq|geq|neq|ne|lt|gt|leqslant|geqslant)(?![A-Za-z])")


def _comma_parts(text: str) -> list[tuple[int, str]]:
    """``x \\ge 0, y \\ge 0``: relations separated by commas outside brackets are separate statements (each
    part with its offset); anything else (``f(x, y) \\le 1``, ``x, y > 0``) stays whole."""
    parts, depth, last = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0 and not text[max(0, i - 1):i] == "\\":
            parts.append((last, text[last:i]))
            last = i + 1
    parts.append((last, text[last:]))
    if len(parts) < 2 or not all(_RELATION.search(p) for _, p in parts):
        return [(0, text)]
    return parts


def read_document(text: str, fmt: str) -> tuple[list[DocStatement], list[dict]]:
    """``(statements, notation)``: the relations of a document in file order, and the notation it
    declared (macros and definitions), each with its line."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    src = _strip_comments(text) if fmt == "latex" else text
    heads = _headings(src, fmt)
    macro_defs = _macros(src) if fmt == "latex" else []
    notation: list[dict] = [{"line": _line_of(src, p), "kind": "macro", "name": "\\" + n, "meaning": b}
                            for p, n, _, b in macro_defs]
    out: list[DocStatement] = []
    last_left = None  # a display that starts with "= ..." continues the last formula's left side
    spans = _math_spans(src, fmt)
    sentence: list[str] = []   # hypotheses stated so far in this sentence, and standing ones of the paragraph
    standing: list[str] = []
    tied_to_next: list[tuple[list, str]] = []  # claims whose condition is the next formula ("$A$ iff $B$")
    previous_end = 0
    previous_hypothesis = None  # the word that made the formula before a hypothesis (carried over "and")
    sentence_no = 0
    for i, (start, content, display, env) in enumerate(spans):
        if re.search(r"\\(re)?newcommand|\\def\\", content):
            continue
        gap = _prose_between(src, previous_end, start)
        previous_end = start + len(content)
        if _SENTENCE_END.search(gap):
            sentence, tied_to_next = [], []
            sentence_no += 1
        if _PARAGRAPH_END.search(gap):
            standing = []
        macros = {n: (k, b) for p, n, k, b in macro_defs if p < start}
        where = _where(heads, start)
        before = src[max(0, start - 40):start]
        said_definition = bool(_DEF_WORDS.search(before.replace("$", " ").replace("\\(", " ")))
        prose = gap.replace("$", " ").replace("\\(", " ")
        hyp_word = _HYPOTHESIS_BEFORE.search(prose)
        if hyp_word is None and previous_hypothesis and _AND.match(gap):  # "If $a > 0$ and $b > 0$, then"
            hyp_word = previous_hypothesis
        if hyp_word is None and _RELATION.search(content) and not re.search(r"(?<![<>!:\\])=", content):
            hyp_word = _LET.search(prose)  # "Let $x > 0$.": a standing condition, as Suppose (no "=": no definition)
        is_hypothesis = bool(hyp_word) or bool(tied_to_next)
        bounds = _membership(_clean(_apply_macros(content, macros)))
        if bounds is not None:  # "for $t \in (0, 1)$": the bounds it states, a condition
            content, is_hypothesis = bounds, True
        after = _prose_between(src, previous_end, spans[i + 1][0] if i + 1 < len(spans) else len(src))
        tie = None if _SENTENCE_END.search(after) else _CONDITION_AFTER.match(after)
        if tie is not None and re.search(r"\bequal(ity|s)?\b", after, re.I):  # "with equality iff $p = q$": the
            tie = None                                                        # equality case, not the claim's condition
        first_here = len(out)
        pieces = []
        for off, line_text in _split_lines(content, env if display else "math"):
            sub_off = 0
            for piece in re.split(r"(,?\s*\\q?quad\s*(?:\\text\{[^{}]*\}\s*)?)", line_text):
                if not re.fullmatch(r",?\s*\\q?quad\s*(?:\\text\{[^{}]*\}\s*)?", piece):
                    pieces.append((off + sub_off, piece))
                sub_off += len(piece)
        pieces = [(off + k, part) for off, text in pieces for k, part in _comma_parts(text)]
        for off, line_text in pieces:  # formulas side by side (\qquad, ", \quad") are separate statements
            formula = _clean(_apply_macros(line_text, macros))
            if not formula:
                continue
            line = _line_of(src, start + off + (len(line_text) - len(line_text.lstrip())))
            links = _links(formula)
            for k, (left, op, right) in enumerate(links):
                if left == "\u2026" and last_left is not None:
                    left = last_left
                link = f"{left} {op} {right}"
                kind = "definition" if op in DEFINING or (said_definition and k == 0) else "claim"
                if is_hypothesis:
                    kind = "definition"
                out.append(DocStatement(line, where, link, formula, kind, lhs=left, op=op, rhs=right,
                                        chain=len(links), hypothesis=is_hypothesis, sentence=sentence_no))
                if kind == "definition" and not is_hypothesis:
                    notation.append({"line": line, "kind": "definition", "name": left, "meaning": link})
            if links and links[0][0] != "\u2026":
                last_left = links[0][0]
        here = out[first_here:]
        if is_hypothesis:
            conditions = [d.text for d in here]
            for claims, word in tied_to_next:  # "$A$ iff $B$": B is A's condition
                for d in claims:
                    d.hypotheses.extend(conditions)
                    d.connective = d.connective or word
            tied_to_next = []
            if hyp_word or bounds is not None:
                sentence.extend(conditions)
                if hyp_word and hyp_word.group(1).lower() in _STANDING:
                    standing.extend(conditions)
            previous_hypothesis = hyp_word
        else:
            previous_hypothesis = None
            for d in here:  # a claim stated under the sentence's (and the paragraph's) hypotheses so far
                d.hypotheses.extend(dict.fromkeys([*standing, *sentence]))
                if d.hypotheses:
                    d.connective = d.connective or "if"
        if tie is not None and here and not is_hypothesis:
            word = " ".join(tie.group(1).lower().split())
            tied_to_next = [(here, "iff" if word in ("iff", "if and only if", "only if", "exactly when",
                                                     "precisely when") else "if")]  # "only if": not A under B
    return out, notation


_ENDPOINT = r"(-?\s*(?:\d+(?:\.\d+)?|\\infty|\\frac\{\d+\}\{\d+\}|\d+/\d+))"
_MEMBERSHIP = re.compile(rf"^\s*([A-Za-z](?:_\{{?\w+\}}?)?)\s*\\in\s*(?:\\left)?\s*([(\[])\s*{_ENDPOINT}\s*,\s*"
                         rf"{_ENDPOINT}\s*(?:\\right)?\s*([)\]])\s*$")


def _membership(formula: str) -> str | None:
    """``t \\in (0, 1)``, ``x \\in [-1, 1)``, ``x \\in (0, \\infty)``: the bounds it states, as a relation
    (``0 < t < 1``), so that it can be a claim's condition; None for anything else."""
    m = _MEMBERSHIP.match(formula)
    if not m:
        return None
    name, left, lo, hi, right = m.groups()
    lo, hi = lo.replace(" ", ""), hi.replace(" ", "")
    infinite = ("-\\infty", "\\infty")
    below = None if lo in infinite else lo + (" < " if left == "(" else " \\le ")
    above = None if hi in infinite else (" < " if right == ")" else " \\le ") + hi
    if below is None and above is None:
        return None
    return (below or "") + name + (above or "")


def _prose_between(src: str, a: int, b: int) -> str:
    """The text between two formulas, without the delimiters of either (``$``, ``\\)``, ``\\end{equation}``)."""
    gap = src[a:b]
    gap = re.sub(r"^(?:\$\$|\$|\\\)|\\\]|\\end\{[^{}]*\})", "", gap)
    gap = re.sub(r"(?:\$\$|\$|\\\(|\\\[|\\begin\{[^{}]*\})$", "", gap.rstrip())
    return gap
