"""The one room where text becomes mathematics.

Every user string -- a statement for ``check``, an assumption (``--assume``), a loss for
``stability --loss-expr``, a number for ``--at`` -- is read here, by the whitelist reader of
:mod:`gantheory.reading._reader` (a walk over Python's syntax tree that builds SymPy objects itself;
nothing is evaluated), after slide LaTeX has been rewritten to its text syntax by
:mod:`gantheory.reading._latex`. No other module turns a string into mathematics.

>>> read_statement("TV(p, q) <= sqrt(KL(p || q)/2)")
TV(p, q) <= sqrt(2)*sqrt(KL(p, q))/2
>>> read_statement("__import__(os).system(true) = 0")
Traceback (most recent call last):
...
gantheory.reading._reader.StatementError: an attribute access is not mathematics gantheory reads (at column 1)
"""

from __future__ import annotations

import re
from fractions import Fraction

import sympy as sp

from gantheory.reading._latex import latex_to_text, looks_like_latex
from gantheory.reading._reader import Chain, StatementError, read_expression

__all__ = ["Chain", "StatementError", "read_statement", "read_assumption", "read_loss", "read_number",
           "vocabulary", "DIVERGENCES"]

#: the divergences' names as users type them -> (constructor, what it is)
DIVERGENCES = {
    "KL": ("KL", "Kullback-Leibler divergence KL(p || q)"), "D_KL": ("KL", "Kullback-Leibler divergence"),
    "D_JS": ("JSD", "Jensen-Shannon divergence"), "D_TV": ("TV", "total variation"),
    "JSD": ("JSD", "Jensen-Shannon divergence"), "JS": ("JSD", "Jensen-Shannon divergence"),
    "TV": ("TV", "total variation, 1/2 sum |p - q|"),
    "Hellinger": ("Hellinger", "squared Hellinger distance, 1 - sum sqrt(p q)"),
    "H2": ("Hellinger", "squared Hellinger distance"),
    "chi2": ("Chi2", "Pearson chi^2(p || q) = sum (p - q)^2 / q"),
    "Chi2": ("Chi2", "Pearson chi^2"), "Pearson": ("Chi2", "Pearson chi^2"),
    "Neyman": ("NeymanChi2", "Neyman chi^2(p || q) = sum (p - q)^2 / p"),
    "NeymanChi2": ("NeymanChi2", "Neyman chi^2"), "chi2N": ("NeymanChi2", "Neyman chi^2"),
    "Alpha": ("AlphaDiv", "alpha-divergence Alpha(alpha, p, q) of the f-GAN table"),
    "AlphaDiv": ("AlphaDiv", "alpha-divergence"),
    "GANDiv": ("GANDiv", "the f-GAN table's GAN divergence, 2 JSD - log 4"),
    "Df": ("FDiv", "Df(f(u), p, q) = sum q f(p/q) for your generator f in u"),
    "H": ("Entropy", "entropy H(p), or cross-entropy H(p, q)"),
    "Entropy": ("Entropy", "entropy H(p)"), "CrossEntropy": ("CrossEntropy", "cross-entropy H(p, q)"),
    "W1": ("W1", "Wasserstein-1 distance, cells at 0, 1, ..., n - 1 on a line"),
}

#: SymPy functions and constructors a statement may call
_SYMPY_FUNCTIONS = {
    "log": sp.log, "ln": sp.log, "exp": sp.exp, "sqrt": sp.sqrt, "Abs": sp.Abs, "abs": sp.Abs, "sign": sp.sign,
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "tanh": sp.tanh, "sinh": sp.sinh, "cosh": sp.cosh,
    "atan": sp.atan, "asin": sp.asin, "acos": sp.acos, "LambertW": sp.LambertW, "Max": sp.Max, "Min": sp.Min,
    "max": sp.Max, "min": sp.Min, "floor": sp.floor, "ceiling": sp.ceiling, "factorial": sp.factorial,
    "binomial": sp.binomial, "gamma": sp.gamma, "Heaviside": sp.Heaviside, "re": sp.re, "im": sp.im,
    "Lambda": sp.Lambda, "Matrix": sp.ImmutableMatrix, "ImmutableMatrix": sp.ImmutableMatrix,
    "Interval": sp.Interval, "Union": sp.Union, "Intersection": sp.Intersection, "Tuple": sp.Tuple,
    "FiniteSet": sp.FiniteSet, "Piecewise": sp.Piecewise, "Limit": sp.Limit, "Sum": sp.Sum,
    "Derivative": sp.Derivative, "Subs": sp.Subs, "Rational": sp.Rational, "Integer": sp.Integer,
    "Eq": lambda a, b: sp.Eq(a, b, evaluate=False), "Ne": lambda a, b: sp.Ne(a, b, evaluate=False),
    "Lt": sp.Lt, "Le": sp.Le, "Gt": sp.Gt, "Ge": sp.Ge,
    "And": sp.And, "Or": sp.Or, "Not": sp.Not, "Implies": sp.Implies, "Equivalent": sp.Equivalent,
    "CRootOf": sp.CRootOf, "sigmoid": lambda x: 1 / (1 + sp.exp(-x)),
}
_CONSTANTS = {"pi": sp.pi, "oo": sp.oo, "I": sp.I, "true": sp.true, "false": sp.false, "True": sp.true,
              "False": sp.false, "Reals": sp.S.Reals, "EmptySet": sp.S.EmptySet, "nan": sp.nan, "zoo": sp.zoo}
#: slide LaTeX's powers of a function, ``\\sin^2 x`` = (sin x)^2 (``gtpow2_sin``; see reading._latex)
_POWERED = {f"gtpow{n}_{name}": (lambda x, f=getattr(sp, name), n=n: f(x) ** n)
            for n in range(2, 10) for name in ("sin", "cos", "tan", "tanh", "sinh", "cosh", "log")}
_SYMPY_FUNCTIONS.update(_POWERED)
#: functions that may be applied without brackets: ``log R``
UNARY = frozenset({"log", "ln", "exp", "sqrt", "sin", "cos", "tan", "tanh", "sinh", "cosh", *_POWERED})


def _fdiv(f, p, q):
    from gantheory.symbolic import _atoms as A

    if isinstance(f, sp.Lambda):
        return A.FDiv(f, p, q)
    f = sp.sympify(f)
    free = sorted(f.free_symbols, key=str)
    if len(free) > 1:
        raise StatementError(f"Df(f, p, q): the generator f must be a function of one variable, got {f}")
    var = free[0] if free else sp.Symbol("u")
    return A.FDiv(sp.Lambda(A.U, f.subs(var, A.U)), p, q)


def _entropy(*args):
    from gantheory.symbolic import _atoms as A

    if len(args) == 1:
        return A.Entropy(args[0])
    if len(args) == 2:
        return A.CrossEntropy(*args)
    raise StatementError("H takes one distribution (entropy) or two (cross-entropy)")


def _jacobian(expr, variables):
    """``Jacobian(f, (x, y))``, what slide LaTeX's nabla reads as: the derivative in one variable, the gradient
    (a column) of a scalar in several, the Jacobian (rows: components) of a column."""
    variables = tuple(variables) if isinstance(variables, (tuple, list, sp.Tuple)) else (variables,)
    if not variables or not all(isinstance(v, sp.Symbol) for v in variables):
        raise StatementError(f"Jacobian(f, (x, y)): differentiate with respect to names, got {variables}")
    # unevaluated derivatives, as Derivative(...) is read: the statement shows what is differentiated, and the
    # verifiers evaluate it
    if isinstance(expr, sp.MatrixBase):
        if expr.cols != 1:
            raise StatementError(f"Jacobian of a {expr.rows} x {expr.cols} matrix: only a column (a vector field) has "
                                 "one")
        return sp.ImmutableMatrix([[sp.Derivative(e, v) for v in variables] for e in expr])
    if isinstance(expr, (sp.Tuple, tuple)):
        raise StatementError("Jacobian of a tuple: write the vector field as a column, Matrix([f, g])")
    if len(variables) == 1:
        return sp.Derivative(expr, variables[0])
    return sp.ImmutableMatrix([[sp.Derivative(expr, v)] for v in variables])


def _transpose(expr):
    return sp.ImmutableMatrix(expr).T if isinstance(expr, sp.MatrixBase) else expr


_SYMPY_FUNCTIONS.update({"Jacobian": _jacobian, "Transpose": _transpose})

_VOCAB = None
_HINT = [*DIVERGENCES, "E", "Et", "log", "exp", "sqrt", "Abs", "sin", "cos", "tanh", "sigmoid", "Max", "Min",
         "Matrix", "Jacobian", "Interval", "Piecewise", "Lambda", "Derivative", "Limit", "Sum"]


def vocabulary() -> tuple[dict, dict]:
    """``(names, functions)``: the identifiers a statement may use and the functions it may call -- the
    registry's own objects (so every registered statement can be typed), the divergences of
    :data:`DIVERGENCES`, and the SymPy functions above. Nothing else can be called."""
    global _VOCAB
    if _VOCAB is not None:
        return _VOCAB
    from gantheory.checking import _tables
    from gantheory.symbolic import _atoms as A

    table, _, _ = _tables()
    functions: dict = {name: cls for name, cls in vars(A).items() if isinstance(cls, type)
                       and issubclass(cls, (A._Atom, A._BooleanAtom)) and not name.startswith("_")
                       and cls not in (A.NamedFDiv,)}
    functions.update({k: v for k, v in table["__functions__"].items() if k not in functions})
    functions.update(_SYMPY_FUNCTIONS)
    for name, (ctor, _) in DIVERGENCES.items():
        functions[name] = {"FDiv": _fdiv, "Entropy": _entropy}.get(ctor) or getattr(A, ctor)
    names: dict = {"p_r": A.p_r, "p_R": A.p_R, "p_data": A.p_data, "p_g": A.p_g, "p_1": A.p_1, "p_2": A.p_2,
                   "R": A.R, "D": A.D, "u": A.U,
                   # the seeds write the distributions with capitals: P_R, P_r, P_g, P_data
                   "P_r": A.p_r, "P_R": A.p_R, "P_g": A.p_g, "P_data": A.p_data}
    names.update({k: v for k, v in table.items() if k not in names and k != "__functions__" and k.isidentifier()})
    names.update(_CONSTANTS)
    _VOCAB = (names, functions)
    return _VOCAB


def _protect(src: str, names: dict) -> tuple[str, dict]:
    """Registry symbols whose names are not identifiers (``f'(0)``, ``f^*``, ``instance-noise``) and Python
    keywords used as names (``lambda``) -> placeholder identifiers bound to the same symbols; a name that
    is both a registry symbol and a function (``KL``) is the symbol unless called."""
    from gantheory.checking import _tables

    table, _, _ = _tables()
    names = dict(names)
    odd = sorted((n for n in table if not n.isidentifier() and n != "__functions__"), key=len, reverse=True)
    for k, name in enumerate(odd):
        if name in src:
            key = f"gtsym{k}_"
            src = src.replace(name, key)
            names[key] = table[name]
    if re.search(r"\blambda\b", src):
        src = re.sub(r"\blambda\b", "gtkw_lambda", src)
        names["gtkw_lambda"] = table.get("lambda", sp.Symbol("lambda"))
    _, functions = vocabulary()
    for k, name in enumerate(sorted(n for n in table if n.isidentifier() and n in functions
                                    and isinstance(table[n], sp.Symbol))):
        new = re.sub(rf"\b{name}\b(?!\s*\()", f"gtbare{k}_", src)
        if new != src:
            src = new
            names[f"gtbare{k}_"] = names.get(name, table[name])  # a name read fresh stays fresh
    return src, names


def slide_objects(src: str) -> str:
    """The seeds' names for gantheory's objects, in text read from LaTeX or typed: ``D^*`` typed in plain text
    is the optimal discriminator, as in LaTeX (a star superscript has no other reading in SymPy syntax;
    registry names such as f^* are protected later), and ``C(G)`` is seed 003's virtual training criterion
    max_D V(G, D) (Goodfellow et al. 2014, eq. (4)) -- only with the argument G: seed 000's C(R) is another
    cost, defined on its slide -- and ``V(D, G)`` (seed 004's order) or ``V(G, D)`` (seed 003's) is the value
    function E_{p_data}[log D(x)] + E_{p_g}[log(1 - D(x))] (eq. (1) there), only with the arguments D and G."""
    src = re.sub(r"\bD\^\*", "D_star", src)
    src = re.sub(r"\bV\s*\(\s*(?:D\s*,\s*G|G\s*,\s*D)\s*\)", "ValueFn(p_data, p_g, D)", src)
    return re.sub(r"\bC\s*\(\s*G\s*\)", "VirtualCriterion(p_data, p_g)", src)


def _densities_at_points(src: str) -> str:
    """``p_g(x)``, ``D(x)``, f-GAN's critic ``T(x)``: the value at a point is the symbol (statements are pointwise)."""
    return re.sub(r"\b(p_[A-Za-z0-9]+|D_star|D|R|T)\s*\(\s*[xyzXYZ]\s*\)", r"\1", src)


#: Why a statement with a random variable left over is not read: gantheory's expectations are of functions of the
#: point (R(Y), D(x)), and a bare Y (a function h(Y) the reader takes for a product h*Y) has no value there.
RANDOM_VARIABLE_REASON = ("a random variable ({}) outside R(Y) or an expectation: write the statement in R and E[...] "
                          "(a test function h(Y) of the point is not read)")


def random_variables(st) -> list[str]:
    """The names of the random variables (X, Y, Z, Y_tilde, ...) left as symbols in a statement read."""
    return sorted(n for n in (getattr(x, "name", "") for x in st.free_symbols) if re.fullmatch(r"[XYZ](_\w+)?", n))


def read_statement(text, *, chains: bool = False, fresh=()):
    """A statement (text or slide LaTeX) as a SymPy relational, a boolean atom, or -- with
    ``chains=True`` -- a :class:`Chain` of relations. Raises :class:`StatementError`.

    A name of the vocabulary stands for the registry's symbol of that name, with its assumptions (``h``, ``y``,
    ``sigma`` are positive). A name in ``fresh`` is read as a plain real symbol instead: SymPy simplifies as it
    builds (``sqrt(x*y)`` is ``sqrt(x)*sqrt(y)`` for a positive y), so a symbol that the caller will give other
    assumptions must be real from the start."""
    if not isinstance(text, str):
        raise StatementError(f"a statement must be text, got {type(text).__name__}")
    if not text.strip():
        raise StatementError("the statement is empty")
    src = slide_objects(latex_to_text(text) if looks_like_latex(text) else text)
    src = _densities_at_points(src)
    src = src.replace("D_star", "D_star_")
    names, functions = vocabulary()
    if fresh:
        names = dict(names)
        names.update({n: sp.Symbol(n, real=True) for n in fresh if isinstance(names.get(n), sp.Symbol)})
    src, names = _protect(src, names)
    from gantheory.symbolic import _atoms as A

    names.setdefault("D_star_", A.BayesDisc(A.R))
    out = read_expression(src, names, functions, unary=UNARY, hint_names=_HINT)
    if isinstance(out, Chain):
        if chains:
            return out
        raise StatementError(f"a chain of {len(out)} relations: check one link at a time "
                             f"({'; '.join(map(str, out))})", None, "a chain")
    if isinstance(out, sp.Rel) or isinstance(out, (A._BooleanAtom,)):
        return out
    from gantheory.topics import REGISTRY

    boolean_atoms = tuple({type(c.statement) for c in REGISTRY.values()
                           if isinstance(c.statement, (A._Atom, sp.logic.boolalg.BooleanFunction))})
    if boolean_atoms and isinstance(out, boolean_atoms):
        return out
    raise StatementError("a statement needs a relation (=, <, <=, >, >=, !=) or a boolean atom")


_ASSUMPTION_WORDS = {"real": {"real": True}, "integer": {"integer": True}, "positive": {"positive": True},
                     "nonnegative": {"nonnegative": True}, "negative": {"negative": True}}
_ASSUMPTION_RELATIONS = {">": {"positive": True}, ">=": {"nonnegative": True}, "<": {"negative": True},
                         "<=": {"nonpositive": True}, "!=": {"nonzero": True}}


def read_assumption(text: str):
    """``'x > 0'``, ``'x >= 0'``, ``'x < 0'``, ``'x <= 0'``, ``'x != 0'``, ``'x real'``, ``'x integer'``,
    ``'x positive'`` -> ``(name, {assumption: True})``; a bound by a number (``'x > -1'``, ``'-1 < x < 1'``)
    -> ``(name, {"bounds": (lower, upper)})`` (see :func:`_read_bound`); ``'p << q'`` -> ``(None, "p << q")``."""
    if not isinstance(text, str) or not text.strip():
        raise StatementError("an assumption must be non-empty text")
    a = " ".join(re.sub(r"\\ll\b", " << ", text).split())  # p \ll q: absolute continuity (h \ll 1 is no bound)
    if "\\" in a or "{" in a:  # typed as on the slide: 0 < \eta < 1, \theta \ge 0, p_g << p_{data}
        try:
            a = " ".join(latex_to_text(a).split())
        except StatementError:
            pass
    m = re.fullmatch(r"([A-Za-z_]\w*)\s*<<\s*([A-Za-z_]\w*)", a)
    if m:
        return None, f"{m.group(1)} << {m.group(2)}"
    m = re.fullmatch(r"([A-Za-z]\w*)\s+(\w+)", a)
    if m and m.group(2) in _ASSUMPTION_WORDS:
        return m.group(1), _ASSUMPTION_WORDS[m.group(2)]
    hint = ("use 'x > 0', 'x >= 0', 'x < 0', 'x <= 0', 'x != 0', 'x real', 'x integer', 'x positive' "
            "or 'p << q'")
    m = re.fullmatch(r"([A-Za-z]\w*)\s*(>=|>|<=|<|!=)\s*0", a)
    if m:
        return m.group(1), _ASSUMPTION_RELATIONS[m.group(2)]
    bound = _read_bound(a)
    if bound is not None:
        return bound
    raise StatementError(f"cannot read the assumption {text!r} ({hint}; or a bound by a number: 'x > -1', "
                         "'x <= 1/2', '-1 < x < 1')")


_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?(?:/\d+)?"
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def _read_bound(a: str):
    """``'x > -1'``, ``'1/2 <= x'``, ``'-1 < x < 1'`` -> ``(name, {"bounds": (lower, upper)})``, each end
    ``(number, strict)`` or None; None if the text is not of that shape. An empty interval is an error."""
    name = r"([A-Za-z]\w*)"
    lower = upper = None
    m = re.fullmatch(rf"({_NUMBER})\s*(<=|<)\s*{name}\s*(<=|<)\s*({_NUMBER})", a)
    if m:
        var = m.group(3)
        lower = (read_number(m.group(1), f"the bound in {a!r}"), m.group(2) == "<")
        upper = (read_number(m.group(5), f"the bound in {a!r}"), m.group(4) == "<")
    else:
        m = re.fullmatch(rf"{name}\s*(>=|>|<=|<)\s*({_NUMBER})", a)
        if m:
            var, op, c = m.groups()
        else:
            m = re.fullmatch(rf"({_NUMBER})\s*(>=|>|<=|<)\s*{name}", a)
            if not m:
                return None
            c, op, var = m.group(1), _FLIP[m.group(2)], m.group(3)
        end = (read_number(c, f"the bound in {a!r}"), op in "<>")
        lower, upper = (end, None) if op.startswith(">") else (None, end)
    if no_value_between(lower, upper):
        raise StatementError(f"the assumption {a!r} leaves no value of {var}")
    return var, {"bounds": (lower, upper)}


def no_value_between(lower, upper) -> bool:
    """True where the bounds ``(number, strict)`` (either None: no bound) leave no value: 2 < x < 1, 1 < x <= 1."""
    return lower is not None and upper is not None and not (
        lower[0] < upper[0] or (lower[0] == upper[0] and not (lower[1] or upper[1])))


def read_loss(text: str, variables) -> sp.Expr:
    """A loss L typed as text (``stability --loss-expr``): arithmetic and the usual functions of the named
    real variables and numbers; any other name is an error naming it."""
    xs = {n: sp.Symbol(n, real=True) for n in variables}
    functions = {k: v for k, v in _SYMPY_FUNCTIONS.items()
                 if k in UNARY | {"Abs", "abs", "sign", "atan", "asin", "acos", "Max", "Min", "max", "min",
                                  "sigmoid", "LambertW"}}
    out = read_expression(text, {**xs, "pi": sp.pi, "E": sp.E}, functions, unary=UNARY,
                          what="--loss-expr")
    if not isinstance(out, sp.Expr):
        raise StatementError(f"--loss-expr must be a real expression, got {out}")
    return out


def read_number(text: str, what: str = "the value") -> sp.Rational:
    """A decimal or fraction typed as text, exactly (``'0.1'`` -> 1/10, ``'-1/2'`` -> -1/2)."""
    from gantheory.reading._reader import MAX_DIGITS

    m = re.fullmatch(r"\s*[-+]?(\d*)\.?(\d*)(?:[eE]([-+]?\d+))?(?:/(\d+))?\s*", text or "")
    if m and (len(m.group(1)) + len(m.group(2)) + len(m.group(4) or "") > MAX_DIGITS
              or m.group(3) is not None and (len(m.group(3)) > 6 or abs(int(m.group(3))) > MAX_DIGITS)):
        raise StatementError(f"{what}: {text.strip()[:40]!r} is too large a number (at most {MAX_DIGITS} digits and "
                             f"a power of ten up to {MAX_DIGITS})")
    try:
        fr = Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        raise StatementError(f"{what}: {text!r} is not a number") from None
    return sp.Rational(fr.numerator, fr.denominator)
