"""The whitelist reader: text -> SymPy objects, built by a walk over Python's syntax tree.

Nothing here evaluates user text. ``ast.parse`` (mode ``eval``) only *parses*; the walk below accepts
numbers, names, arithmetic, comparisons, boolean operators, tuples/lists/sets as arguments, and calls of
functions from one table given by the caller, and builds every SymPy object itself. Everything else --
attributes (but the few dotted constructors in :data:`DOTTED`), subscripts, strings, keyword arguments
(but ``Limit``'s direction), lambdas, comprehensions, f-strings, starred arguments, conditional
expressions, walrus, dunder names -- is refused with :class:`StatementError`, naming the construct and
its column. Sizes are bounded: text length, nesting depth, integer digits, powers and factorials.

Shape after simpleeval (``simpleeval.py``: operators, functions and names as tables, a ``MAX_POWER``).
"""

from __future__ import annotations

import ast
import io
import keyword
import math
import re
import tokenize
from collections.abc import Callable, Mapping

import sympy as sp

__all__ = ["StatementError", "Chain", "read_expression", "MAX_TEXT", "MAX_POWER", "MAX_DEPTH"]

MAX_TEXT = 20_000         # characters of one statement
MAX_DEPTH = 60            # nesting of the syntax tree
MAX_DIGITS = 400          # digits of one integer literal
MAX_POWER = 1_000         # |integer exponent| of a symbolic base
MAX_BITS = 100_000        # bits of an exact numeric power or factorial


class StatementError(ValueError):
    """Text that cannot be read as mathematics (``column`` is 1-based where known; ``construct`` names
    what was refused)."""

    def __init__(self, message: str, column: int | None = None, construct: str | None = None):
        super().__init__(message if column is None else f"{message} (at column {column})")
        self.column = column
        self.construct = construct


class Chain(tuple):
    """``a = b = c`` or ``a <= b < c``: the links, in order (each a SymPy relational)."""


_REFUSED = {
    ast.Attribute: "an attribute access", ast.Subscript: "a subscript", ast.Lambda: "a lambda",
    ast.ListComp: "a comprehension", ast.SetComp: "a comprehension", ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a generator expression", ast.JoinedStr: "a format string",
    ast.FormattedValue: "a format string", ast.Starred: "a starred argument", ast.IfExp: "a conditional expression",
    ast.NamedExpr: "an assignment expression", ast.Dict: "a dictionary", ast.Await: "await",
    ast.Yield: "yield", ast.YieldFrom: "yield", ast.Slice: "a slice",
}

#: dotted constructors users type (SymPy's printer writes them too): the only attribute access read.
DOTTED = {("Interval", "open"): lambda a, b: sp.Interval.open(a, b),
          ("Interval", "Lopen"): lambda a, b: sp.Interval.Lopen(a, b),
          ("Interval", "Ropen"): lambda a, b: sp.Interval.Ropen(a, b)}

_RELATIONS = {ast.Eq: sp.Equality, ast.NotEq: sp.Unequality, ast.Lt: sp.StrictLessThan,
              ast.LtE: sp.LessThan, ast.Gt: sp.StrictGreaterThan, ast.GtE: sp.GreaterThan}


def _bits(x) -> float:
    return math.log2(abs(int(x)) + 1)


def _guarded_pow(base, exp, col):
    if isinstance(exp, sp.Integer) and abs(int(exp)) > MAX_POWER and not (base.is_Number and base in (0, 1, -1)):
        if base.is_Integer or base.is_Rational:
            if _bits(base.p) * abs(int(exp)) > MAX_BITS or _bits(base.q) * abs(int(exp)) > MAX_BITS:
                raise StatementError(f"a power too large to work with (exponent {exp})", col, "a power")
        else:
            raise StatementError(f"a power too large to work with (exponent {exp}; at most {MAX_POWER})", col,
                                 "a power")
    if isinstance(exp, sp.Rational) and not isinstance(exp, sp.Integer) and \
            (abs(exp.p) > MAX_POWER * 1000 or exp.q > MAX_POWER * 1000):
        raise StatementError(f"a power too large to work with (exponent {exp})", col, "a power")
    if exp.is_Number and exp.is_Integer is not True and exp.is_real and abs(float(exp)) > MAX_POWER and \
            base.is_Number and abs(float(base)) != 1:
        raise StatementError(f"a power too large to work with (exponent {exp})", col, "a power")
    return sp.Pow(base, exp)


def _guarded_factorial(n, col):
    if n.is_Number and n.is_finite and float(n) > 5_000:
        raise StatementError(f"a factorial too large to work with ({n}!)", col, "a factorial")
    return sp.factorial(n)


class _Walker:
    def __init__(self, names: Mapping[str, sp.Basic], functions: Mapping[str, Callable], source: str,
                 origin: list[int], unknown_names: bool, known_hint: str):
        self.names, self.functions, self.source, self.origin = names, functions, source, origin
        self.unknown_names, self.known_hint = unknown_names, known_hint

    def col(self, node) -> int | None:
        off = getattr(node, "col_offset", None)
        if off is None:
            return None
        return (self.origin[off] if off < len(self.origin) else len(self.source)) + 1

    def refuse(self, node, what: str, why: str = "is not mathematics gantheory reads"):
        raise StatementError(f"{what} {why}", self.col(node), what)

    def walk(self, node, depth=0, arg=False):
        if depth > MAX_DEPTH:
            self.refuse(node, "a nesting deeper than " + str(MAX_DEPTH), "is too deep to read")
        if (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id in ("E", "Et")
                and node.value.id in self.functions):  # E[...] is the expectation E(...), as in the help
            if isinstance(node.slice, (ast.Tuple, ast.Slice)):
                self.refuse(node, "an expectation E[...] of more than one expression",
                            "is not read (write E[expression]: one integrand under the reference)")
            call = ast.Call(func=node.value, args=[node.slice], keywords=[])
            ast.copy_location(call, node)
            return self.call(call, depth + 1)
        for kind, what in _REFUSED.items():
            if isinstance(node, kind):
                self.refuse(node, what)
        d = depth + 1
        if isinstance(node, ast.Expression):
            return self.walk(node.body, d)
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.BinOp):
            a, b = self.walk(node.left, d), self.walk(node.right, d)
            return self.binop(node, a, b)
        if isinstance(node, ast.UnaryOp):
            x = self.walk(node.operand, d)
            if isinstance(node.op, ast.USub):
                return -x
            if isinstance(node.op, ast.UAdd):
                return x
            if isinstance(node.op, (ast.Not, ast.Invert)):
                return sp.Not(x)
        if isinstance(node, ast.BoolOp):
            vals = [self.walk(v, d) for v in node.values]
            return (sp.And if isinstance(node.op, ast.And) else sp.Or)(*vals)
        if isinstance(node, ast.Compare):
            return self.compare(node, d)
        if isinstance(node, ast.Call):
            return self.call(node, d)
        if isinstance(node, (ast.Tuple, ast.List)):
            items = [self.walk(e, d, arg=True) for e in node.elts]
            if isinstance(node, ast.List):
                if not arg:
                    self.refuse(node, "a list", "is read only as an argument (Matrix([[...]]))")
                return items
            return tuple(items) if arg else sp.Tuple(*items)
        if isinstance(node, ast.Set):
            return sp.FiniteSet(*[self.walk(e, d) for e in node.elts])
        self.refuse(node, f"the construct {type(node).__name__}")

    def constant(self, node):
        v = node.value
        if isinstance(v, bool):
            return sp.true if v else sp.false
        if isinstance(v, int):
            if len(str(abs(v))) > MAX_DIGITS if abs(v) < 10 ** (MAX_DIGITS + 1) else True:
                self.refuse(node, "an integer with more than " + str(MAX_DIGITS) + " digits", "is too large")
            return sp.Integer(v)
        if isinstance(v, float):
            seg = ast.get_source_segment(self.source_t, node) or repr(v)
            if not math.isfinite(v):
                self.refuse(node, f"the number {seg}", "overflows a float")
            return sp.Float(seg.replace("_", ""), max(15, sum(c.isdigit() for c in seg)))
        if isinstance(v, str):
            self.refuse(node, "a string")
        if isinstance(v, complex):
            self.refuse(node, "a Python complex literal", "is not read (write I for the imaginary unit)")
        self.refuse(node, f"the constant {v!r}")

    def name(self, node):
        n = node.id
        if n.startswith("__") or n.endswith("__"):
            self.refuse(node, f"the name {n}", "(a dunder name) is refused")
        if n in self.names:
            return self.names[n]
        if n in self.functions:
            hint = " (E[...] is an expectation; Euler's number is exp(1))" if n == "E" else ""
            self.refuse(node, f"the function {n}", f"is used without its arguments{hint}")
        if n in ("None", "Ellipsis") or keyword.iskeyword(n):
            self.refuse(node, f"the keyword {n}")
        if not self.unknown_names:
            raise StatementError(f"unknown name {n!r}{self.known_hint}", self.col(node), f"the name {n}")
        return sp.Symbol(n)

    def binop(self, node, a, b):
        op = node.op
        if isinstance(a, sp.Lambda) or isinstance(b, sp.Lambda):
            self.refuse(node, "arithmetic on a Lambda", "is not read (a function is not a number: write its "
                        "expression, or Lambda(x, ...) as a whole on one side)")
        if isinstance(a, (sp.Tuple, tuple)) or isinstance(b, (sp.Tuple, tuple)):
            self.refuse(node, "arithmetic on a tuple", "is not read (a tuple (a, b) is not a number: a sum, product "
                        "or power of one has no meaning here)")
        try:
            if isinstance(op, ast.Add):
                return a + b
            if isinstance(op, ast.Sub):
                return a - b
            if isinstance(op, ast.Mult):
                return a * b
            if isinstance(op, ast.Div):
                return a / b
            if isinstance(op, (ast.Pow, ast.BitXor)):
                return _guarded_pow(sp.sympify(a), sp.sympify(b), self.col(node))
            if isinstance(op, ast.BitAnd):
                return sp.And(a, b)
            if isinstance(op, ast.BitOr):
                return sp.Or(a, b)
        except StatementError:
            raise
        except (TypeError, ValueError, AttributeError, NotImplementedError, IndexError) as exc:
            raise StatementError(f"cannot combine these terms ({_reason(exc)})", self.col(node)) from None
        self.refuse(node, f"the operator {type(op).__name__}")

    def compare(self, node, d):
        left = self.walk(node.left, d)
        links = []
        for op, right_node in zip(node.ops, node.comparators):
            right = self.walk(right_node, d)
            cls = _RELATIONS.get(type(op))
            if cls is None:
                self.refuse(node, f"the comparison {type(op).__name__}")
            try:
                links.append(cls(left, right, evaluate=False))
            except (TypeError, ValueError) as exc:
                raise StatementError(f"cannot compare these sides ({_reason(exc)})", self.col(node)) from None
            left = right
        return links[0] if len(links) == 1 else Chain(links)

    def call(self, node, d):
        f = node.func
        if isinstance(f, ast.Attribute):
            if isinstance(f.value, ast.Name) and (f.value.id, f.attr) in DOTTED:
                fn, label = DOTTED[(f.value.id, f.attr)], f"{f.value.id}.{f.attr}"
            else:
                self.refuse(f, "an attribute access")
        elif isinstance(f, ast.Name):
            label = f.id
            if label.startswith("__") or label.endswith("__"):
                self.refuse(f, f"the name {label}", "(a dunder name) is refused")
            fn = self.functions.get(label)
            if fn is None:
                if label in self.names:
                    self.refuse(f, f"{label}(...)", f"calls {label}, which is not a function here")
                raise StatementError(f"unknown function {label!r}{self.known_hint}", self.col(f),
                                     f"the function {label}")
        else:
            self.refuse(f, "a call of a computed function")
        if any(isinstance(a, ast.Starred) for a in node.args):
            self.refuse(node, "a starred argument")
        kwargs = {}
        for kw in node.keywords:
            if label == "Limit" and kw.arg == "dir" and isinstance(kw.value, ast.Constant) \
                    and kw.value.value in ("+", "-", "+-"):
                kwargs["dir"] = kw.value.value
            else:
                self.refuse(kw.value if kw.arg is None else node, "a keyword argument")
        args = [self.walk(a, d, arg=True) for a in node.args]
        if label == "factorial" and len(args) == 1:
            return _guarded_factorial(sp.sympify(args[0]), self.col(node))
        if label in ("binomial", "gamma") and any(isinstance(a, sp.Number) and a.is_finite and abs(float(a)) > 5_000
                                                   for a in args if isinstance(a, sp.Basic)):
            raise StatementError(f"{label}(...) of a number this large is too large to work with", self.col(node),
                                 f"the function {label}")
        try:
            out = fn(*args, **kwargs)
        except StatementError:
            raise
        except RecursionError:
            raise StatementError(f"{label}(...) is nested too deeply", self.col(node)) from None
        except Exception as exc:  # the constructor refused its arguments: say which, readably
            raise StatementError(f"{label}(...) cannot take these arguments ({_reason(exc)}){_usage(fn)}",
                                 self.col(node)) from None
        if not isinstance(out, (sp.Basic, sp.MatrixBase, bool, int)):
            raise StatementError(f"{label}(...) did not give a mathematical object", self.col(node))
        return out


def _usage(fn) -> str:
    """How one of gantheory's objects is called, from its docstring's first sentence ("; usage: ..."), or ""."""
    doc = (getattr(fn, "__doc__", None) or "") if getattr(fn, "__module__", "").startswith("gantheory") else ""
    first = " ".join(doc.strip().split("\n\n")[0].split())
    if not first:
        return ""
    first = re.sub(r":math:`([^`]*)`", r"\1", first).replace("``", "").replace("\\", "")
    return "; usage: " + (first if len(first) <= 200 else first[:197] + "...")


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    return text[:160]


# -- tokens: '=' -> '==', '^' -> '**', '||' -> ',', implicit multiplication and application ---------

_OPEN, _CLOSE = "([{", ")]}"


def _tokens(text: str):
    try:
        return [t for t in tokenize.generate_tokens(io.StringIO(text).readline)
                if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT,
                                  tokenize.DEDENT, tokenize.COMMENT)]
    except (tokenize.TokenError, IndentationError, SyntaxError) as exc:
        msg = exc.args[0] if exc.args else str(exc)
        pos = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], tuple) else None
        raise StatementError(f"cannot read the text: {msg}", None if pos is None else pos[1] + 1) from None


_DIRECTIONS = frozenset({"'+'", "'-'", "'+-'", '"+"', '"-"', '"+-"'})
_WORD_OPS = frozenset({"and", "or", "not", "in", "is", "if", "else", "for", "lambda"})


#: Tokens that end an implicit function argument (``log x + 1`` is ``log(x) + 1``); ``**`` does not (``log x^2``).
_ENDS_ARGUMENT = frozenset({"+", "-", "*", "/", "==", "!=", "<", ">", "<=", ">=", ",", ":", "=", "||"})


def _rewrite(text: str, functions: Mapping, unary: frozenset, names: Mapping):
    """The text for ``ast.parse`` and, per character, its column in ``text``: ``=`` is ``==``, ``^`` is
    ``**``, ``||`` is a comma, juxtaposition is a product (``2x``, ``R log(R)``, ``(a)(b)``), a unary
    function of ``unary`` applies to the next atom (``log R``), and a name not in ``names`` followed by
    ``(`` is a call (so ``foo(p)`` is an unknown function, never ``foo*p``)."""
    toks = _tokens(text)
    # the names used as numbers somewhere (not right before a bracket): y(1 - y) is a product; psi(x) + psi(-x) = 0
    # with psi a number nowhere else was proved as psi x - psi x, and is refused (a function or a product?)
    alone = {t.string for n, t in enumerate(toks) if t.type == tokenize.NAME
             and not (n + 1 < len(toks) and toks[n + 1].string == "(")}
    out: list[tuple[str, int]] = []  # (piece, column in text)
    prev = None  # (type, string) of the last token emitted
    # implicit application (log x, sin 2x): per open argument, [the bracket depth it was opened at, whether a
    # factor is in it yet]
    implicit: list[list] = []
    depth = 0
    bars: list[int] = []  # the bracket depth of each open |x|
    k = 0
    while k < len(toks):
        tok = toks[k]
        s, col, kind = tok.string, tok.start[1], tok.type
        if tok.start[0] != 1:
            raise StatementError("a statement is one line of text")
        if kind == tokenize.ERRORTOKEN:
            if not s.isspace():
                raise StatementError(f"the character {s!r} is not read", col + 1, f"the character {s!r}")
            k += 1
            continue
        if kind == tokenize.OP and s == "=" and prev == (tokenize.NAME, "dir") and k + 1 < len(toks) \
                and toks[k + 1].string in _DIRECTIONS:  # Limit(..., dir='+'): the one keyword read
            out.extend([("=", col), (toks[k + 1].string, toks[k + 1].start[1])])
            prev, k = (tokenize.STRING, toks[k + 1].string), k + 2
            continue
        if kind == tokenize.STRING or kind == getattr(tokenize, "FSTRING_START", -1):
            raise StatementError("a string is not mathematics gantheory reads", col + 1, "a string")
        if kind == tokenize.OP and s == "=" and depth > 0 and k >= 2 and toks[k - 1].type == tokenize.NAME \
                and toks[k - 2].string in ("(", ","):
            raise StatementError("a keyword argument is not mathematics gantheory reads", toks[k - 1].start[1] + 1,
                                 "a keyword argument")
        if kind == tokenize.OP and s == "|" and not (k + 1 < len(toks) and toks[k + 1].string == "|"
                                                     and toks[k + 1].start[1] == col + 1):
            # |x|, as on a slide, is Abs(x): a bar closes the innermost open one where an operand just ended
            pk, ps = prev if prev is not None else (None, None)
            operand = ps is not None and (pk == tokenize.NUMBER or ps in _CLOSE or (
                pk == tokenize.NAME and ps not in _WORD_OPS and ps not in functions))
            if bars and bars[-1] == depth and operand:
                while implicit and implicit[-1][0] == depth:  # |log x|: the argument ends with the bars
                    out.append((")", col))
                    implicit.pop()
                out.append((")", col))
                bars.pop()
                depth -= 1
                prev = (tokenize.OP, ")")
            else:
                if operand:  # 2|x|: a product
                    out.append(("*", col))
                elif pk == tokenize.NAME and ps in unary:  # log |x|: the bars are the argument's first factor
                    out.append(("(", col))
                    implicit.append([depth, False])
                out.extend([("Abs", col), ("(", col)])
                depth += 1
                bars.append(depth)
                prev = (tokenize.OP, "(")
            for arg in implicit:
                arg[1] = True
            k += 1
            continue
        # an implicit argument runs over the factors set side by side after the function, as in TeX (sin 2x is
        # sin(2x), log xy is log(xy), log x^2 is log(x^2)): it ends at an explicit operator, a relation, a comma, a
        # bracket closing around it, or another function once it has a factor (2 sin x cos x)
        while implicit and implicit[-1][0] == depth and (
                (kind == tokenize.OP and (s in _ENDS_ARGUMENT or s in ")]}"))
                or (implicit[-1][1] and kind == tokenize.NAME and s in functions and s not in _WORD_OPS)):
            out.append((")", col))
            implicit.pop()
        if kind == tokenize.OP and s in "([{":
            depth += 1
        elif kind == tokenize.OP and s in ")]}":
            depth -= 1
        if kind == tokenize.OP:
            if s == "|" and k + 1 < len(toks) and toks[k + 1].string == "|" and toks[k + 1].start[1] == col + 1:
                s, k = ",", k + 1
            elif s == "^" and prev == (tokenize.NAME, "e") and out and out[-1][0] == "e":
                # e^x, as on a slide, is the exponential (e**x in SymPy syntax stays a symbol e, as in SymPy)
                ecol = out.pop()[1]
                out.extend([("exp", ecol), ("(", ecol), ("1", ecol), (")", ecol)])
                s = "**"
            else:
                s = {"=": "==", "^": "**", "||": ","}.get(s, s)
        starts = (kind in (tokenize.NAME, tokenize.NUMBER) and s not in _WORD_OPS) or s == "("
        if prev is not None and starts:
            pk, ps = prev
            ends = (pk == tokenize.NUMBER or ps in _CLOSE
                    or (pk == tokenize.NAME and ps not in _WORD_OPS and ps not in functions))
            call = s == "(" and pk == tokenize.NAME and ps not in names and ps not in _WORD_OPS
            if s == "(" and pk == tokenize.NAME and ends and not call and ps not in alone:
                raise StatementError(f"{ps}(...): {ps} is one of gantheory's numbers, not a function, and the "
                                     f"statement uses it nowhere else: write {ps}*(...) for a product", col + 1,
                                     f"{ps}(")
            if ends and not call:
                out.append(("*", col))
            elif pk == tokenize.NAME and ps in unary and s != "(":
                out.append(("(", col))
                implicit.append([depth, False])
        out.append((s, col))
        prev = (kind, s)
        for arg in implicit:
            arg[1] = True
        k += 1
    out.extend((")", len(text) - 1) for _ in implicit)
    src, origin = [], []
    for piece, col in out:
        if src:
            src.append(" ")
            origin.append(col)
        src.append(piece)
        origin.extend([col] * len(piece))
    return "".join(src), origin


def _unbalanced(text: str) -> int | None:
    """0-based position of the first unmatched bracket, or None."""
    stack = []
    pairs = {")": "(", "]": "[", "}": "{"}
    for i, ch in enumerate(text):
        if ch in "([{":
            stack.append((ch, i))
        elif ch in ")]}":
            if not stack or stack[-1][0] != pairs[ch]:
                return i
            stack.pop()
    return stack[0][1] if stack else None


def read_expression(text: str, names: Mapping[str, sp.Basic], functions: Mapping[str, Callable], *,
                    unknown_names: bool = True, unary: frozenset = frozenset(), what: str = "the statement",
                    hint_names=None):
    """Read ``text`` into a SymPy object (a relational, an expression, a boolean, or a :class:`Chain`).

    ``names`` maps identifiers to SymPy objects, ``functions`` names to callables that build SymPy objects;
    an identifier in neither is a plain ``Symbol`` (or an error, with ``unknown_names=False``). ``unary``
    are the functions that may be applied without brackets (``log x``).
    """
    if not isinstance(text, str):
        raise StatementError(f"{what} must be text, got {type(text).__name__}")
    if not text.strip():
        raise StatementError(f"{what} is empty")
    if len(text) > MAX_TEXT:
        raise StatementError(f"{what} is longer than {MAX_TEXT} characters")
    if "\n" in text.strip() or "\r" in text:
        text = " ".join(text.split())
    known = list(hint_names) if hint_names is not None else sorted(functions)
    hint = "; known functions: " + ", ".join(known) + (" and gantheory's objects (see gantheory check --help)"
                                                        if hint_names is not None else "")
    text = text.strip()
    text = re.sub(r"(?<![\w.])(\d+(?:\.\d*)?)([jJ])(?=[A-Za-z_])", r"\1 \2", text)  # 2JSD is 2*JSD, not 2j*SD
    bad = _unbalanced(text)
    if bad is not None:
        raise StatementError(f"unbalanced bracket {text[bad]!r} in {what}", bad + 1, "an unbalanced bracket")
    src, origin = _rewrite(text, functions, unary, names)
    try:
        tree = ast.parse(src, mode="eval")
    except SyntaxError as exc:
        off = (exc.offset or 1) - 1
        col = origin[off] + 1 if 0 <= off < len(origin) else None
        msg = exc.msg or "invalid syntax"
        if not exc.offset and msg == "invalid syntax":  # the parser ran out of input (offset 0): say so, at the end
            msg, col = "it ends where more is expected", len(text)
        if "too many nested" in msg or "too deeply" in msg:
            msg = "the brackets are nested too deeply"
        raise StatementError(f"cannot read {what}: {msg}", col) from None
    except (RecursionError, MemoryError, ValueError):
        raise StatementError(f"{what} is nested too deeply to read") from None
    walker = _Walker(names, functions, text, origin, unknown_names, hint)
    walker.source_t = src
    try:
        return walker.walk(tree)
    except RecursionError:
        raise StatementError(f"{what} is nested too deeply to read") from None
