"""Slide LaTeX -> the reader's text syntax (a pure string rewrite; nothing is evaluated here either).

The notation lecturers type is a table (:data:`COMMANDS`, :data:`NAMES`): macros map to the text the
whitelist reader reads, so notation can grow without touching meaning. Braced arguments are matched
with a bracket counter (``\\frac{\\frac{a}{b}}{c}`` works at any depth), and an unknown command is an
error naming it and its column in the LaTeX.
"""

from __future__ import annotations

import contextvars
import re

from gantheory.reading._reader import StatementError

__all__ = ["latex_to_text", "looks_like_latex"]

#: commands dropped (spacing, sizing, display style)
DROP = ("left", "right", "middle", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "displaystyle",
        "textstyle", "quad", "qquad", "limits", "nolimits", "!", ",", ";", ":", " ")
#: commands with a fixed replacement
COMMANDS = {
    "cdot": "*", "times": "*", "ast": "*", "log": "log", "ln": "log", "exp": "exp", "infty": "oo", "pi": "pi",
    "leq": "<=", "le": "<=", "geq": ">=", "ge": ">=", "neq": "!=", "ne": "!=", "lt": "<", "gt": ">",
    "leqslant": "<=", "geqslant": ">=",
    "triangleq": "=", "coloneqq": "=", "|": ",", "Vert": ",", "mid": ",", "parallel": ",", "lVert": "Abs(",
    "rVert": ")", "sin": "sin", "cos": "cos", "tan": "tan", "tanh": "tanh", "sinh": "sinh", "cosh": "cosh",
    "arctan": "atan", "max": "max", "min": "min", "det": "det", "sup": "sup", "inf": "inf",
    "lbrace": "(", "rbrace": ")", "{": "(", "}": ")", "lvert": "Abs(", "rvert": ")",
    "sigma": "sigma",
}
GREEK = ("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi rho "
         "varrho tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Sigma Phi Psi Omega").split()
#: font and text wrappers whose argument is a name
WRAPPERS = ("mathrm", "operatorname", "text", "textrm", "mathit", "mathsf", "mathbf", "boldsymbol", "mathcal",
            "textnormal", "rm")
#: the divergences' spellings on slides -> the reader's function names
NAMES = {"KL": "KL", "D_KL": "KL", "D_{KL}": "KL", "JSD": "JSD", "JS": "JSD", "D_JS": "JSD", "D_{JS}": "JSD",
         "TV": "TV", "D_TV": "TV", "D_{TV}": "TV", "W": "W1", "W_1": "W1", "W_{1}": "W1"}


def looks_like_latex(text: str) -> bool:
    return "\\" in text or "$" in text or bool(re.search(r"[_^]\{", text))


def _group(s: str, i: int) -> tuple[str, int]:
    """The braced group starting at s[i] == '{' (its content, the index after it), or one token."""
    while i < len(s) and s[i] == " ":
        i += 1
    if i >= len(s):
        raise StatementError("a command is missing its argument", i + 1, "a missing argument")
    if s[i] != "{":
        if s[i] == "\\":
            m = re.match(r"\\[A-Za-z]+", s[i:])
            if m:
                return m.group(0), i + m.end()
        return s[i], i + 1
    depth = 0
    for j in range(i, len(s)):
        depth += {"{": 1, "}": -1}.get(s[j], 0)
        if depth == 0:
            return s[i + 1:j], j + 1
    raise StatementError("an unclosed brace {", i + 1, "an unclosed brace")


def _name_text(s: str) -> str:
    """``p_{\\text{data}}`` -> ``p_data``: the content of a subscript as an identifier part."""
    s = re.sub(r"\\(?:" + "|".join(WRAPPERS) + r")\s*", "", s)
    s = s.replace("{", "").replace("}", "").replace("\\", "").replace(" ", "")
    return s


#: words a slide may type in plain letters that are one name, not a product of letters (besides the reader's
#: vocabulary, the divergences' spellings and the Greek letters' names), and the markers latex_to_text inserts
_PLAIN_WORDS = frozenset("log ln exp sin cos tan tanh sqrt max min sup inf lim det sign sigmoid softplus softmax relu "
                         "ReLU ARGMAX ARGMIN OPTMAX OPTMIN OPTSUP OPTINF GTIN YTILDE Int Reals Jacobian Matrix".split())
_KNOWN = None


def _known() -> frozenset:
    """The multi-letter names the reader knows (see :data:`_PLAIN_WORDS`)."""
    global _KNOWN
    if _KNOWN is None:
        from gantheory.reading import vocabulary

        names, functions = vocabulary()
        _KNOWN = (frozenset(n for n in (*names, *functions) if n.isalpha()) | frozenset(n for n in NAMES if n.isalpha())
                  | frozenset(GREEK) | _PLAIN_WORDS)
    return _KNOWN


#: Functions whose power is written on their name, ``\\sin^2 x`` = (sin x)^2: read as gantheory's ``gtpowN_sin``.
_POWERED = {"sin": "sin", "cos": "cos", "tan": "tan", "tanh": "tanh", "sinh": "sinh", "cosh": "cosh", "log": "log",
            "ln": "log"}


def _join_subscript(out: list) -> None:
    """A subscript belongs to the name before it: ``\\theta_t`` is the name theta_t (a Greek letter, ``\\hat{x}``
    or a matrix is emitted with a space after it, and theta _t was read as the product theta * _t: ``\\theta_t^2
    \\ge 0`` was refuted)."""
    prev = "".join(out)
    if re.search(r"[A-Za-z0-9_]\s+$", prev):
        out[:] = [prev.rstrip()]


#: The denominator of a derivative in Leibniz's notation: d (or \\partial) and one variable (dx, d\\theta, dx_t).
_ONE_VARIABLE = r"\s*(d|\\partial)\s*(\\[A-Za-z]+|[A-Za-z])(_\{?\w+\}?)?\s*"


def _convert(s: str, offset: int) -> str:
    out: list[str] = []
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", s[i:], re.S)
            if m is None:
                raise StatementError("a backslash with no command after it", offset + i + 1, "a lone backslash")
            cmd = m.group(1)
            j = i + m.end()
            if cmd in DROP:
                out.append(" ")
                i = j
            elif cmd in ("frac", "tfrac", "dfrac", "cfrac"):
                a, j = _group(s, j)
                b, j = _group(s, j)
                # an upright d (\mathrm{d}x, \operatorname{d}, \text{d}) is the differential's d (d/dx e^x was read
                # as e^x/x)
                a, b = (re.sub(r"\\(?:mathrm|operatorname|text|textrm|rm)\s*\{\s*d\s*\}", "d", t) for t in (a, b))
                over_d = re.fullmatch(r"\s*(d|\\partial)\s*[A-Za-z\\]+.*", b)
                leibniz = re.fullmatch(r"\s*(d|\\partial)(?![A-Za-z])\s*(\S.*)", a, re.S)
                if re.fullmatch(r"\s*(d|\\partial)\s*", a) and over_d:
                    var = re.sub(r"^\s*(d|\\partial)\s*", "", b)
                    out.append(f" DIFF[{_convert(var, offset + j).strip()}] ")
                elif leibniz and over_d and re.fullmatch(_ONE_VARIABLE, b):
                    # dy/dx, d(x^2)/dx: the derivative of what follows the d; of a bare name (dy/dx, d theta/dt, an
                    # ODE) it is not read: the name is not written as a function of x
                    var = re.sub(r"^\s*(d|\\partial)\s*", "", b)
                    what = _convert(leibniz.group(2), offset + i).strip()
                    if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", what):
                        raise StatementError(f"the derivative of the name {what} (Leibniz's d{what}/d...): write it as "
                                             "a function's value or an expression, \\frac{d}{dx} f(x)",
                                             offset + i + 1, "\\frac{d...}")
                    out.append(f" DIFF[{_convert(var, offset + j).strip()}] ({what}) ")
                else:
                    out.append(f"(({_convert(a, offset + i)})/({_convert(b, offset + i)}))")
                i = j
            elif cmd == "sqrt":
                if j < len(s) and s[j] == "[":
                    k = s.find("]", j)
                    if k < 0:
                        raise StatementError("an unclosed bracket [ after \\sqrt", offset + j + 1, "an unclosed [")
                    n = s[j + 1:k]
                    a, j = _group(s, k + 1)
                    out.append(f"(({_convert(a, offset + i)})**(1/({_convert(n, offset + i)})))")
                else:
                    a, j = _group(s, j)
                    out.append(f"sqrt({_convert(a, offset + i)})")
                i = j
            elif cmd in WRAPPERS and _name_text(_group(s, j)[0]) == "i" and cmd in ("mathrm", "mathit", "operatorname",
                                                                                 "rm", "text", "textrm"):
                out.append(" I ")  # \mathrm{i}: the imaginary unit
                i = _group(s, j)[1]
            elif cmd == "imath":
                out.append(" I ")
                i = j
            elif cmd in WRAPPERS:
                a, j = _group(s, j)
                name = _name_text(a)
                if name in ("I", "Id") and cmd in ("mathbf", "boldsymbol", "mathrm", "mathbb", "operatorname"):
                    raise StatementError(f"\\{cmd}{{{a}}}, an identity matrix of unstated size, is not read (write "
                                         "the matrix: \\begin{bmatrix} 1 & 0 \\\\ 0 & 1 \\end{bmatrix})",
                                         offset + i + 1, f"\\{cmd}{{{a}}}")
                joined = j < len(s) and s[j] in "_^"  # \mathbf{x}_t: the subscript belongs to the name
                out.append((f" {NAMES.get(name, name)}" + ("" if joined else " "))
                           if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name) else f" {_convert(a, offset + i)} ")
                i = j
            elif cmd == "mathbb":
                a, j = _group(s, j)
                if a.strip() == "E":
                    out.append(" EXPECT")
                elif a.strip() == "R":
                    out.append(" Reals ")
                elif a.strip() == "I":
                    raise StatementError("\\mathbb{I}, an identity matrix of unstated size (or an indicator), is not "
                                         "read", offset + i + 1, "\\mathbb{I}")
                else:
                    raise StatementError(f"unknown blackboard letter \\mathbb{{{a}}}", offset + i + 1, "\\mathbb")
                i = j
            elif cmd == "arg":
                out.append(" arg")
                i = j
            elif cmd == "nabla":  # NABLA1[vars] / NABLA2[vars]: rewritten with its operand by _nablas
                sub, power = "", 1
                while True:
                    k = j
                    while k < len(s) and s[k] == " ":
                        k += 1
                    if k < len(s) and s[k] == "_" and not sub:
                        a, j = _group(s, k + 1)
                        sub = " ".join(_convert(a, offset + k + 1).split()) or "?"
                    elif k < len(s) and s[k] == "^" and power == 1:
                        a, j = _group(s, k + 1)
                        if a.strip() != "2":
                            raise StatementError(f"a power {a.strip()!r} of \\nabla is not read (the Hessian is "
                                                 "\\nabla^2)", offset + k + 1, "\\nabla^")
                        power = 2
                    else:
                        break
                out.append(f" NABLA{power}[{sub}] ")
                i = j
            elif cmd == "sigma" and re.match(r"\s*(?:\\left\s*)?\(", s[j:]):
                # sigma applied to an argument on a GAN slide is the logistic sigmoid, D(x) = sigma(F(w, x)) (seed
                # 001); sigma alone is a symbol (a noise's standard deviation, seed 002)
                out.append(" sigmoid")
                i = j
            elif cmd in ("log", "ln") and re.match(r"\s*_", s[j:]):  # \log_2 x: log(x)/log(2)
                a, j = _group(s, s.index("_", j) + 1)
                base = _convert(a, offset + j)
                if not base.strip():
                    raise StatementError("a logarithm's base is empty", offset + i + 1, "\\log_")
                out.append(f" ((1)/(log({base}))) * log ")
                i = j
            elif cmd in _POWERED and re.match(r"\s*\^", s[j:]):  # \sin^2 x: (sin x)^2
                a, j = _group(s, s.index("^", j) + 1)
                if not re.fullmatch(r"\s*[2-9]\s*", a):
                    raise StatementError(f"\\{cmd}^{{{a.strip()}}} (an inverse, a reciprocal or a power?) is not read: "
                                         f"write (\\{cmd} x)^{{{a.strip()}}} or its inverse's name", offset + i + 1,
                                         f"\\{cmd}^")
                out.append(f" gtpow{a.strip()}_{_POWERED[cmd]} ")
                i = j
            elif cmd in COMMANDS:
                out.append(f" {COMMANDS[cmd]} ")
                i = j
            elif cmd == "rho" and _RHO_OF_A_MATRIX.match(s[j:]):
                out.append(" SpectralRadius ")  # \rho of a written matrix: its spectral radius
                i = j
            elif cmd in GREEK:
                if re.match(r"\s*(?:\\left\s*)?\(", s[j:]):  # \psi(x): a function's value or a product?
                    if cmd not in _ALONE.get():
                        raise StatementError(f"\\{cmd}(...) is read neither as a function (gantheory does not know "
                                             f"\\{cmd}) nor as a product: write \\{cmd} \\cdot (...) for a product",
                                             offset + i + 1, f"\\{cmd}(")
                    out.append(f" {cmd} *")  # the letter is a number elsewhere in the statement: a product
                else:
                    out.append(f" {cmd} ")
                i = j
            elif cmd in ("hat", "tilde", "bar", "overline", "widehat", "widetilde"):
                a, j = _group(s, j)
                out.append(f" {_name_text(a)}_{cmd} ")
                i = j
            else:
                raise StatementError(f"unknown LaTeX command \\{cmd}", offset + i + 1, f"\\{cmd}")
        elif ch == "_" and out and out[-1] == " EXPECT":
            a, j = _group(s, i + 1)
            under = re.split(r"\\sim|~|\\in", a)[-1]
            out.append(f"[[{_name_text(under)}]]")
            i = j
        elif ch == "_":
            a, j = _group(s, i + 1)
            _join_subscript(out)
            out.append("_" + _name_text(a) if re.fullmatch(r"[\w\\{} ]+", a) and "\\sim" not in a else f"_{{{a}}}")
            i = j
        elif ch == "^":
            a, j = _group(s, i + 1)
            if a.strip() in ("*", "\\ast", "\\star"):  # x^* is the name x_star; x^*y is x_star times y
                out = ["".join(out).rstrip(), "_star" + (" " if s[j:j + 1].isalnum() else "")]
            elif a.strip() in ("\\top", "T", "\\intercal"):
                _join_subscript(out)
                out.append("_TRANSPOSED")
            elif re.search(r"(?<![\w\\])e\s*$", "".join(out)):  # e^{...} on a slide is the exponential
                out = [re.sub(r"e\s*$", "", "".join(out)), f"exp({_convert(a, offset + i + 1)})"]
            else:
                out.append(f"**({_convert(a, offset + i + 1)})")
            i = j
        elif ch.isascii() and ch.isalpha() and not (i > 0 and (s[i - 1].isalnum() or s[i - 1] in "_\\")):
            run = re.match(r"[A-Za-z]+", s[i:]).group(0)
            i += len(run)
            nxt = s[i:i + 1]
            split = len(run) > 1 and run not in _known() and not nxt.isdigit() and not s[i:].lstrip().startswith("(")
            letters = list(run) if split else [run]
            if "i" in letters[:-1] or (letters[-1] == "i" and nxt not in ("_", "(")):
                # |1 + i h| = sqrt(1 + h^2) was refuted with i a real number; on a slide about eigenvalues i is the
                # imaginary unit, elsewhere an index: not guessed
                raise StatementError("the letter i: the imaginary unit or a number? Not guessed: write \\mathrm{i} "
                                     "for the imaginary unit", offset + i - len(run) + 1, "i")
            # a bare e on a slide is Euler's number (x \log x \ge -\frac{1}{e} was refuted at e = -1): e^{...} stays for
            # the caret's exponential, e_k and e(...) stay names
            euler = [k for k, c in enumerate(letters)
                     if c == "e" and (k < len(letters) - 1 or nxt not in ("_", "(", "^"))]
            if euler:
                letters = ["exp(1)" if k in euler else c for k, c in enumerate(letters)]
            if split or euler:
                # letters side by side in math mode are a product (xy, ab, 2xy): TeX sets them so; a known name
                # (KL, log, eta, a registry name) or a name applied to arguments stays one name
                out.append(" " + " ".join(letters) + ("" if nxt in ("_", "^") else " "))
            else:
                out.append(run)
        elif ch in "{}":
            out.append("(" if ch == "{" else ")")
            i += 1
        elif ch == "$":
            i += 1
        elif ch == "&":
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


_DENSITY_ARG = re.compile(r"\b(p_\w+|p|q|D_star\w*|D|R|f_star|f)\s*\(\s*[xyzXYZ]\s*\)")


def _expectations(s: str) -> str:
    """``EXPECT[[p]][...]`` / ``EXPECT[...]`` -> ``E(...)`` (under the reference of the pair: p_data, p_r, p_2,
    q, p_b) or ``Et(...)`` (under the other density: p_g, p_R, p_1, p, p_a; ``E_a`` is under p_a)."""
    while (m := re.search(r"EXPECT\s*(?:\[\[(\w*)\]\])?\s*", s)):
        under, rest = m.group(1), s[m.end():]
        if not rest or rest[0] not in "[(":
            raise StatementError("an expectation without its bracket [ ... ]", None, "\\mathbb{E}")
        depth = 0
        for j, ch in enumerate(rest):
            depth += 1 if ch in "([" else -1 if ch in ")]" else 0
            if depth == 0:
                break
        else:
            raise StatementError("an unclosed bracket after an expectation", None, "\\mathbb{E}")
        body = rest[1:j]
        if under not in (None, "", "p_r", "p_data", "p_2", "p", "p_g", "p_R", "p_1", "q", "p_theta", "a", "p_a", "b",
                         "p_b"):
            raise StatementError(f"an expectation under {under}: write it under the reference density "
                                 "(E[...]) or the generator's (E_{x ~ p_g}[...])", None, "\\mathbb{E}_" + under)
        # p and q are read as p_1 and p_2, with p_2 (q) the reference: E_{x ~ q} is E, E_{x ~ p} is Et
        fn = "Et" if under in ("p_g", "p_R", "p_1", "p", "p_theta", "a", "p_a") or "YTILDE" in body else "E"
        body = body.replace("(YTILDE)", "").replace("YTILDE", "Y")
        s = s[:m.start()] + f"{fn}({body})" + rest[j + 1:]
    return s


def _derivatives(s: str) -> str:
    """``DIFF[x] operand`` -> ``Derivative(operand, x)``: the operand is the bracketed group right after
    it, else everything up to the next relation outside brackets."""
    while (m := re.search(r"DIFF\[([^\]]*)\]\s*", s)):
        var, rest = m.group(1).strip(), s[m.end():]
        if rest[:1] in "([":
            depth = 0
            for k, ch in enumerate(rest):
                depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(ch, 0)
                if depth == 0:
                    break
            operand, tail = rest[1:k], rest[k + 1:]
        else:
            operand, tail = _up_to_relation(rest)
        s = s[:m.start()] + f"Derivative({operand.strip()}, {var})" + (" " if tail[:1] in "=<>!" else "") + tail
    return s


#: Functions whose primed form is read as their derivative (``\\sigma'(x)``, ``\\log'(x)``); a prime on any other
#: name stays and is refused: ``\\theta'(t) = -\\psi(t)`` on a dynamics slide is an ODE (notation), and reading
#: theta(t) as a product, or as any function, would make it a false identity.
_PRIMED = {"sigma": "sigmoid", "sigmoid": "sigmoid", "log": "log", "ln": "log", "exp": "exp", "sin": "sin",
           "cos": "cos", "tan": "tan", "tanh": "tanh", "sinh": "sinh", "cosh": "cosh", "atan": "atan",
           "arctan": "atan", "sqrt": "sqrt"}


def _primes(s: str) -> str:
    """``\\sigma'(x)``, ``\\tanh''(x)``: the derivative of a known elementary function at a variable,
    ``Derivative(sigmoid(x), x, n)``. On another name, or at anything but one variable (f'(0), F'(\\theta, \\psi)),
    the prime stays, and the reader refuses it."""
    def rewrite(m):
        name, order, var = m.group(1), len(m.group(2)), m.group(3)
        if name not in _PRIMED:
            return m.group(0)
        return f"Derivative({_PRIMED[name]}({var}), {var}{'' if order == 1 else f', {order}'})"

    return re.sub(r"\b([A-Za-z][A-Za-z0-9_]*)\s*('+)\s*\(\s*([A-Za-z][A-Za-z0-9_]*)\s*\)", rewrite, s)


#: Matrix environments read as matrices (``vmatrix``, a determinant, is not among them).
#: ``\rho(`` before a written matrix (already its placeholder GTMATk) that the bracket closes: a spectral radius.
_RHO_OF_A_MATRIX = re.compile(r"\s*(?:\\left\s*)?\(\s*(?:\\begin\{[bpB]?matrix\}|GTMAT\d+\s*(?:\\right\s*)?\))")
_MATRIX_ENV = re.compile(r"\\begin\s*\{([pbB]?matrix)\}(.*?)\\end\s*\{\1\}", re.S)


def _matrices(s: str) -> tuple[str, dict]:
    """``\\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}`` (and pmatrix, Bmatrix, matrix) -> a placeholder name
    GTMATk, with ``Matrix([[a, b], [c, d]])`` (each entry read as its own formula) to put back at the end: the
    placeholder passes every rewrite as one name. Rows of unequal length, or an empty entry, are an error."""
    found = {}
    while (m := _MATRIX_ENV.search(s)):
        rows = re.split(r"\\\\", m.group(2))
        if rows and not rows[-1].strip():
            rows = rows[:-1]  # a trailing \\ before \end
        table = []
        for row in rows:
            cells = row.split("&")
            if any(not c.strip() for c in cells):
                raise StatementError(f"an empty entry in a matrix (its entries are separated by & and its rows by "
                                     f"\\\\): {m.group(0)!r}", m.start() + 1, f"\\begin{{{m.group(1)}}}")
            table.append([latex_to_text(c) for c in cells])
        if not table or len({len(r) for r in table}) != 1:
            raise StatementError("a matrix whose rows have different lengths", m.start() + 1,
                                 f"\\begin{{{m.group(1)}}}")
        key = f"GTMAT{len(found)}"
        found[key] = "Matrix([" + ", ".join("[" + ", ".join(r) + "]" for r in table) + "])"
        s = s[:m.start()] + f" {key} " + s[m.end():]
    return s, found


#: A function's label written as a parenthesized superscript: ``\mathcal{L}^{(\phi)}(\phi, \theta)``, the loss of
#: the player phi, is the name L_phi (a letter or a Greek letter in the brackets; x^{(2)} stays a power).
_LABEL = re.compile(r"(\\(?:mathcal|mathrm|mathbf|mathit|operatorname)\s*\{\s*[A-Za-z]+\s*\}|\\[A-Za-z]+|[A-Za-z])"
                    r"\s*\^\s*\{\s*\(\s*(\\[A-Za-z]+|[A-Za-z]+)\s*\)\s*\}")


def _call_end(s: str, i: int) -> int:
    """The index after the bracket group that opens at s[i] ('(' or '[')."""
    depth = 0
    for k in range(i, len(s)):
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(s[k], 0)
        if depth == 0:
            return k + 1
    raise StatementError("an unclosed bracket after \\nabla", None, "\\nabla")


def _nablas(s: str) -> str:
    """``NABLA1[x] operand`` -> ``Jacobian(operand, (x,))`` (the gradient, or the Jacobian of a column), the
    innermost first (``\\nabla_\\phi \\nabla_\\theta L``); ``NABLA2[x]`` is the Hessian. The operand is a bracket
    group or a function's value ``f(a, b)`` (and its transpose); without a subscript the variables are
    the function's arguments, which must then be names."""
    while (ms := list(re.finditer(r"NABLA([12])\[([^\]]*)\]\s*", s))):
        m = ms[-1]
        rest = s[m.end():]
        f = re.match(r"[A-Za-z][A-Za-z0-9_]*\s*(?=\()", rest)
        placeholder = re.match(r"GTMAT\d+\b", rest)  # a matrix written out
        if rest[:1] == "(":
            end = _call_end(rest, 0)
            args = None
        elif f:
            end = _call_end(rest, f.end())
            args = rest[f.end() + 1:end - 1]
        elif placeholder:
            end, args = placeholder.end(), None
        else:  # a bare name (\nabla_x f) would be read as a constant: its gradient 0
            raise StatementError("\\nabla is read before a function's value f(x, y), a bracket or a matrix", None,
                                 "\\nabla")
        follows = rest[end:]
        transposed = re.match(r"\s*_TRANSPOSED\b", follows)
        if transposed:
            follows = follows[transposed.end():]
        if not re.match(r"\s*(?:$|[-+=<>!,)\]])", follows):
            # \nabla_\theta \frac{h}{2} \theta^2: the gradient of the first factor or of the product? Not guessed
            raise StatementError("\\nabla before a product or a power: put what it applies to in brackets "
                                 "(\\nabla_\\theta \\left(\\frac{h}{2} \\theta^2\\right))", None, "\\nabla")
        if m.group(2):
            names = [v.strip() for v in m.group(2).strip().strip("()").split(",")]
        elif args is not None:
            names = [v.strip() for v in args.split(",")]
        else:
            raise StatementError("\\nabla of a bracket needs its variables as a subscript (\\nabla_x)", None, "\\nabla")
        if not all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", v) for v in names):
            raise StatementError(f"\\nabla with respect to {', '.join(names)}: the variables must be names (write "
                                 "them as its subscript: \\nabla_x)", None, "\\nabla")
        operand = rest[:end]
        if transposed:
            operand, end = f"Transpose({operand})", end + transposed.end()
        out = operand
        for _ in range(int(m.group(1))):
            out = f"Jacobian({out}, ({', '.join(names)},))"
        s = s[:m.start()] + out + " " + rest[end:]
    return s


def _transposes(s: str) -> str:
    """``x^\\top``, ``M^T``, ``f(x)^T``, ``(a + b)^T`` (marked NAME_TRANSPOSED by _convert) -> ``Transpose(...)``: a
    matrix's transpose, and a scalar itself (``x^\\top x \\ge 0`` was read with x^T a second, independent symbol and
    refuted)."""
    while (m := re.search(r"\s*_TRANSPOSED\b", s)):
        k = m.start()
        if k > 0 and s[k - 1] in ")]":
            depth, start = 0, None
            for q in range(k - 1, -1, -1):
                depth += {")": 1, "]": 1, "(": -1, "[": -1}.get(s[q], 0)
                if depth == 0:
                    start = q
                    break
            if start is None:
                raise StatementError("a transpose ^T after an unopened bracket", None, "^T")
            name = re.search(r"[A-Za-z][A-Za-z0-9_]*$", s[:start])
            if name:
                start = name.start()
        else:
            name = re.search(r"[A-Za-z][A-Za-z0-9_]*$", s[:k])
            if name is None:
                raise StatementError("a transpose ^T after something that is not a name, a call or a bracket", None,
                                     "^T")
            start = name.start()
        s = f"{s[:start]}Transpose({s[start:k]}){s[m.end():]}"
    return s


def _applied_to_derivatives(s: str) -> None:
    """A name that is not a function, right before a bracket holding a derivative (``\\lambda(\\nabla F)``,
    ``\\rho(\\nabla F)``): an eigenvalue or a spectral radius of the Jacobian, which the reader would take for a
    product. Not guessed: a StatementError (a product is written with \\cdot or a space before the bracket's
    own name, ``\\eta \\nabla v``)."""
    from gantheory.reading import vocabulary

    _, functions = vocabulary()
    for m in re.finditer(r"(?<![A-Za-z0-9_])([A-Za-z][A-Za-z0-9_]*)\s*\(", s):
        name = m.group(1)
        if name in functions or name in ("Jacobian", "Transpose", "Matrix", "Derivative"):
            continue
        try:
            inner = s[m.end() - 1:_call_end(s, m.end() - 1)]
        except StatementError:
            continue
        if "Jacobian(" in inner or "Derivative(" in inner:
            raise StatementError(f"{name}(...) of a derivative: a function of it (an eigenvalue lambda(M), a spectral "
                                 f"radius rho(M)) or a product? Not read (a product: {name} \\cdot (...))", None,
                                 f"{name}(")


def _up_to_relation(rest: str) -> tuple[str, str]:
    """``rest`` split before its first relation (=, <, >, !) outside brackets, or where a bracket opened
    before it closes: the operand of a derivative or an arg max, and what follows."""
    depth, k = 0, len(rest)
    for i, ch in enumerate(rest):
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(ch, 0)
        if (depth == 0 and ch in "=<>!") or depth < 0:
            k = i
            break
    return rest[:k], rest[k:]


def _grouping_brackets(s: str) -> str:
    """Square brackets that open after a space, an operator or a bracket group (``\\left[ ... \\right]``)
    -> parentheses; one right after a name (``x[0]``) stays, and the reader refuses it as a subscript."""
    out, stack = [], []
    for i, ch in enumerate(s):
        if ch == "[":
            prev = s[:i].rstrip()[-1:] if s[:i].strip() else ""
            grouping = not prev or not (prev.isalnum() or prev in "_)]")
            stack.append(grouping)
            out.append("(" if grouping else ch)
        elif ch == "]":
            out.append(")" if (stack and stack.pop()) else ch)
        else:
            out.append(ch)
    return "".join(out)


#: The subscript of an optimum or an arg max, ``_{y \\in (0, 1)}`` or ``_y`` (with ``\\limits`` or not): its group.
_SUBSCRIPT = r"\s*(?:\\limits)?\s*_\s*(\{(?:[^{}]|\{[^{}]*\})*\}|\\?\w+)"
#: An optimum or an arg max with its subscript (the audit reads its ``\\in`` as part of it, not as prose).
OPTIMUM_SUBSCRIPTED = re.compile(r"\\(?:arg\s*\\?)?(?:max|min|sup|inf)" + _SUBSCRIPT)
#: An expectation with its subscript, ``\\mathbb{E}_{x \\sim p_{data}}`` (the audit reads its ``\\sim`` as part of it).
EXPECTATION_SUBSCRIPTED = re.compile(r"\\mathbb\s*\{\s*E\s*\}" + _SUBSCRIPT)
_NAME = r"[A-Za-z][A-Za-z0-9_]*"
_IN = re.compile(r"\\in\b")
_END = r"-?\s*(?:oo|\d+(?:\.\d+)?(?:\s*/\s*\d+)?)"


def _optimum_range(sub: str, what: str) -> tuple[str, str]:
    """The subscript of an optimum or an arg max (``y``, ``y \\in (0, 1)``, ``y \\in [0, \\infty)``, ``x \\in
    \\mathbb{R}``, ``0 < y < 1``, ``x > 0``) as (the variable, its interval in SymPy syntax). A lone discriminator
    (D, f, D^*) ranges over (0, 1), another lone name over the reals; any other set or condition is refused."""
    try:
        text = re.sub(r"\s+", " ", _convert(_IN.sub(" GTIN ", sub), 0)).strip()
    except StatementError:
        text = sub
    text = re.sub(r"\bGTIN\b", " in ", text)
    text = re.sub(r"\s+", " ", text).strip()
    refuse = StatementError(f"{what} over {sub!r} (a set or a condition) is not read: a name, or a name in an "
                            "interval (y \\in (0, 1))", None, what)
    if re.fullmatch(_NAME, text):
        return text, "Interval.open(0, 1)" if text in ("D", "f", "D_star") else "Reals"
    m = re.fullmatch(rf"({_NAME})\s+in\s+([\(\[])\s*({_END})\s*,\s*({_END})\s*([\)\]])", text)
    if m:
        var, left, a, b, right = m.groups()
        return var, f"Interval({a}, {b}, {left == '(' or 'oo' in a}, {right == ')' or 'oo' in b})"
    m = re.fullmatch(rf"({_NAME})\s+in\s+(?:Reals|R)", text.replace("mathbb", "").replace("(R)", "R"))
    if m:
        return m.group(1), "Reals"
    m = re.fullmatch(rf"({_END})\s*(<=?)\s*({_NAME})\s*(<=?)\s*({_END})", text)
    if m:
        a, l_op, var, r_op, b = m.groups()
        return var, f"Interval({a}, {b}, {l_op == '<'}, {r_op == '<'})"
    m = re.fullmatch(rf"({_NAME})\s*([<>]=?)\s*({_END})", text)
    if m:
        var, op, a = m.groups()
        return var, (f"Interval({a}, oo, {op == '>'}, True)" if op.startswith(">") else
                     f"Interval(-oo, {a}, True, {op == '<'})")
    raise refuse


def _argmax(s: str, subs: list) -> str:
    """``ARGMAX[x] body`` -> ``ArgMax(body, x, domain)``, ``OPTMAX[x] body`` -> ``MaxOver(body, x, domain)`` (and
    the minima), with the body up to the next relation outside brackets; the subscript is read by
    :func:`_optimum_range` (a set like ``R \\in \\Omega_g`` is not read). The innermost (last) first: in
    ``\\min_G \\max_D V(D, G)`` the max is the min's body (read outer first, the max's body ran past the min's
    closing arguments)."""
    while (found := list(re.finditer(r"(ARG|OPT)(MAX|MIN|SUP|INF)\[([^\]]*)\]\s*", s))):
        m = found[-1]
        what = (f"an arg {m.group(2).lower()}" if m.group(1) == "ARG" else "\\" + m.group(2).lower())
        var, domain = _optimum_range(subs[int(m.group(3))], what)
        body, tail = _up_to_relation(s[m.end():])
        body = body.strip()
        if not body:
            raise StatementError(f"{what} of nothing", None, what)
        fn = {"ARGMAX": "ArgMax", "ARGMIN": "ArgMin", "OPTMAX": "MaxOver", "OPTMIN": "MinOver", "OPTSUP": "SupOver",
              "OPTINF": "InfOver"}[m.group(1) + m.group(2)]
        s = s[:m.start()] + f"{fn}({body}, {var}, {domain})" + (" " if tail[:1] in "=<>!" else "") + tail
    return s


_SUM = re.compile(r"\\sum\s*(?:_\s*(?:\{[^{}]*\}|\\?\w+))?\s*")
_INT = re.compile(r"\\int\s*(?:_\s*(?:\{[^{}]*\}|\\?\w+))?\s*")
_DX = re.compile(r"(?:\\[,;!]\s*)?(?:\\mathrm\{d\}|\\,?d|\bd)\s*[xyz]\b")


def _sums_and_integrals(s: str) -> str:
    """``\\sum_x body`` and ``\\int body dx`` over the points of the space: ``\\operatorname{Int}(body)``, the sum
    or integral gantheory's functionals are made of. A sum's body runs to the next + or - or relation outside
    brackets (``\\frac{1}{2} \\sum_x |p(x) - q(x)| + c``), an integral's to its ``dx``; one with limits
    (``\\int_0^1``, ``\\sum_{i=1}^n``) is not over the densities' space: a StatementError says so."""
    for pattern, what, word in ((_INT, "\\int", "an integral"), (_SUM, "\\sum", "a sum")):
        m = pattern.search(s)
        if m and (s[m.end():m.end() + 1] == "^" or re.match(r"_\s*\{[^{}]*=", s[m.start() + len(what):])):
            raise StatementError(f"{word} with limits is not read (gantheory's sums and integrals run over all the "
                                 "points)", m.start() + 1, what)
    while (m := _INT.search(s)):
        dx = _DX.search(s, m.end())
        if dx is None:
            raise StatementError("an integral without its dx", None, "\\int")
        s = s[:m.start()] + "\\operatorname{Int}\\left(" + s[m.end():dx.start()] + "\\right)" + s[dx.end():]
    while (m := _SUM.search(s)):
        depth, j, bars = 0, m.end(), False
        while j < len(s):
            ch = s[j]
            if ch == "|" and s[j - 1] != "\\" and s[j + 1:j + 2] != "|" and s[j - 1] != "|":
                bars = not bars  # |p(x) - q(x)|: inside bars a minus does not end the body
            elif ch in "({[":
                depth += 1
            elif ch in ")}]":
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and not bars and j > m.end() and (
                    ch in "+-=<>" or s.startswith(("\\le", "\\ge", "\\ne"), j)):
                break
            j += 1
        s = s[:m.start()] + "\\operatorname{Int}\\left(" + s[m.end():j] + "\\right)" + s[j:]
    return s


#: The Greek letters a statement uses as numbers (not right before a bracket, not subscripted): with one of them
#: right before a bracket, \\eta(a + b), the bracket is a factor; with another, \\psi(x) + \\psi(-x) = 0 (proved
#: when read as a product, and false for a function), the statement is refused. Set by latex_to_text.
_ALONE: contextvars.ContextVar = contextvars.ContextVar("greek_alone", default=frozenset())


def _greek_alone(s: str) -> frozenset:
    alone = set()
    for m in re.finditer(r"\\(" + "|".join(GREEK) + r")(?![A-Za-z])(\s*(?:\\left\s*)?\(|\s*_)?", s):
        if not m.group(2):
            alone.add(m.group(1))
    return frozenset(alone)


def latex_to_text(latex: str) -> str:
    """Slide LaTeX as the reader's text syntax.

    >>> latex_to_text(r"\\frac{p_{\\text{data}}(x)}{p_{data}(x) + p_g(x)}")
    '((p_data)/(p_data + p_g))'
    """
    s = latex.strip().strip("$").strip()
    token = _ALONE.set(_greek_alone(s) | _ALONE.get())  # a matrix entry is read with its statement's letters
    try:
        return _latex_to_text(s)
    finally:
        _ALONE.reset(token)


def _latex_to_text(s: str) -> str:
    s, matrices = _matrices(s)
    s = _LABEL.sub(lambda m: f"{m.group(1)}_{{{m.group(2)}}}", s)
    s = _sums_and_integrals(s)
    # E[...] and E_{x ~ p}[...] typed without \mathbb: the expectation (seed 000 writes it so)
    s = re.sub(r"(?<![A-Za-z\\])E(?=\s*(?:_\{[^{}]*\}|_\w)?\s*(?:\\left\s*)?\[)", r"\\mathbb{E}", s)
    s = re.sub(r"(\d)([A-Za-z])", r"\1 \2", s)  # 2JSD, 2x: a product (and never a Python complex literal)
    # the seeds' generated sample: R(\tilde{Y}) inside E[...] is R under p_R (the expectation becomes Et)
    s = re.sub(r"\(\s*\\tilde\{Y\}(?:_\{?R\}?|_\{?\\theta_g\}?)?\s*\)", "(YTILDE)", s)
    # \arg\max_{D} body: ArgMax(body, D, domain), the body running to the next relation; a discriminator
    # (D, f) ranges over (0, 1), anything else over the reals. The subscripts wait in ``subs`` (a marker keeps
    # their index: an interval's brackets would end the marker)
    subs: list = []

    def marker(kind, word, what):  # ARGMAX[k] / OPTMIN[k]: the subscript kept in subs[k]
        def replace(m):
            sub = m.group(2)[1:-1] if m.group(2).startswith("{") else m.group(2)
            if re.search(r"\\subset|:|,(?![^()\[\]]*[\)\]])", sub):
                raise StatementError(f"{what(m)} over {sub!r} (a set or a condition) is not read", None,
                                     ("\\arg\\" if kind == "ARG" else "\\") + m.group(1))
            subs.append(sub)
            return f" {kind}{word(m.group(1))}[{len(subs) - 1}] "
        return replace

    # \max_{y \in (0, 1)} body: the optimum's value over the variable (\sup and \inf: SupOver and InfOver)
    arg = marker("ARG", str.upper, lambda m: f"an arg {m.group(1)}")
    optimum = marker("OPT", str.upper, lambda m: f"\\{m.group(1)}")

    s = re.sub(r"\\arg\s*\\?(max|min)" + _SUBSCRIPT, arg, s)
    s = re.sub(r"(?<!arg)(?<!arg\\)\\(max|min|sup|inf)" + _SUBSCRIPT, optimum, s)
    s = _convert(s, 0)
    s = s.replace("**(*)", "_star")
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"\b(D|f)_star_(\w+)", r"\1_star", s)  # D^*_G: the optimal discriminator for G
    s = re.sub(r"\bD_(?!star\b)([A-Za-z0-9]+|[a-z]+_[a-z]+)_star\b", "D_star", s)  # D_G^*, D_\theta^*: the same
    s = _DENSITY_ARG.sub(lambda m: m.group(1), s)  # p_{data}(x), D^*(x): the value at x
    s = _expectations(s)
    s = _derivatives(s)
    s = _primes(s)
    s = _nablas(s)
    s = _transposes(s)
    _applied_to_derivatives(s)
    for name, fn in NAMES.items():
        if "_" in name:
            s = re.sub(rf"\b{re.escape(name)}\b\s*(?=\()", fn, s)
    s = re.sub(r"\bH\s*\*\*\s*\(\s*2\s*\)\s*\(", "Hellinger(", s)
    s = re.sub(r"\bchi\s*\*\*\s*\(\s*2\s*\)\s*\(", "chi2(", s)
    s = re.sub(r"\s+", " ", s).strip()
    s = _argmax(s, subs)
    s = _grouping_brackets(s)
    if re.search(r"\barg(max|min)\b|ARG(MAX|MIN)|OPT(MAX|MIN|SUP|INF)", s):
        raise StatementError("an arg max/arg min that is not read: type it as ArgMax(expression, variable, "
                             "Interval.open(0, 1))", None, "\\arg\\max")
    for key, text in matrices.items():  # a matrix put back (transposed where a ^T followed it)
        s = re.sub(rf"\b{key}\b", lambda _m, t=text: t, s)
    return s
