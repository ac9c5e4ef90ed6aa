"""``gantheory check "STATEMENT"`` and :func:`check_statement`: a statement typed as text, run through
the same verifiers as the registry.

Parsing: SymPy syntax over gantheory's objects (``KL(p_g || p_r)``, ``JSD(p_1, p_2)``, ``E(log(D))``,
``R``, ``p_r``, ``p_g``, ``GenLoss``, ``Spectrum(...)``, ...), or LaTeX as it appears on slides
(``\\mathrm{KL}(p_g \\| p_r)``, ``\\mathbb{E}[...]``, ``\\frac{a}{b}``, ``\\log``): the LaTeX constructs
SymPy's own LaTeX parser does not know (``\\mathrm``, ``\\mathbb{E}``, ``\\|``) are rewritten into that
syntax first. ``=`` is an equation, ``<``, ``<=``, ``>``, ``>=`` inequalities.

Verifier: the one the registry uses for statements built from the same objects (a table derived from
the registry, so ``check`` and ``gantheory prove`` cannot disagree about which mathematics applies);
a statement with none of gantheory's objects is an identity or inequality between plain expressions,
checked by :func:`gantheory.verify.calculus.calculus_identity` or on random values.

For a refuted equation the standard repairs are tried with the same verifier -- a factor 2 or 1/2, a
flipped sign, swapped arguments of KL/JSD, a missing constant log 2 or log 4 -- and the ones that hold
are reported.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import sympy as sp
from sympy.core.function import AppliedUndef

from gantheory._claim import Evidence
from gantheory._limits import TimeLimitExceeded, call_with_time_limit
from gantheory.reading import (
    RANDOM_VARIABLE_REASON,
    Chain,
    StatementError,
    no_value_between,
    random_variables,
    read_assumption,
    read_number,
    read_statement,
)
from gantheory.symbolic import _atoms as A
from gantheory.symbolic._numeric import exact_in_domain

__all__ = ["CheckResult", "StatementError", "check_statement", "parse_statement"]

EXIT = {"proved": 0, "checked": 0, "refuted": 1, "undecided": 3}


@dataclass
class CheckResult:
    statement: sp.Basic
    status: str  # proved | checked | refuted | undecided
    method: str
    detail: str
    verifier: str
    counterexample: dict | None = None
    assumptions: list = field(default_factory=list)
    repairs: list = field(default_factory=list)
    #: the derivation: ``(what the step does, its result)`` pairs from the verifier
    steps: tuple = ()

    @property
    def exit_code(self) -> int:
        return EXIT[self.status]

    def to_json(self) -> dict:
        from gantheory._claim import _plain

        return {"statement": str(self.statement), "latex": sp.latex(self.statement), "status": self.status,
                "method": self.method, "detail": self.detail, "verifier": self.verifier,
                "counterexample": _plain(self.counterexample), "assumptions": self.assumptions,
                "steps": [{"step": what, "result": None if val is None else str(val),
                           "latex": None if val is None else sp.latex(val)} for what, val in self.steps],
                "repairs": [{"label": r["label"], "statement": str(r["statement"]),
                             "latex": sp.latex(r["statement"]), "status": r["status"]} for r in self.repairs]}

    def latex(self) -> str:
        lines = [rf"\[ {sp.latex(self.statement)} \]", rf"\textbf{{{self.status}}} ({self.method}): "
                 + _tex_escape(self.detail)]
        if self.steps:
            items = [rf"\item {_tex_escape(what)}" + ("" if val is None else rf": \[ {sp.latex(val)} \]")
                     for what, val in self.steps]
            lines.append("\\begin{enumerate}\n" + "\n".join(items) + "\n\\end{enumerate}")
        if self.counterexample:
            lines.append(r"Counterexample: " + ", ".join(f"${_tex_escape(str(k))} = {_tex_escape(str(v))}$"
                                                         for k, v in self.counterexample.items()))
        for r in self.repairs:
            lines.append(rf"Repair ({_tex_escape(r['label'])}, {r['status']}): \[ {sp.latex(r['statement'])} \]")
        return "\n\n".join(lines) + "\n"


def _tex_escape(s: str) -> str:
    return s.replace("\\", r"\textbackslash{}").replace("_", r"\_").replace("%", r"\%").replace("&", r"\&") \
        .replace("#", r"\#").replace("^", r"\^{}").replace("{", r"\{").replace("}", r"\}")


# -- the symbol table and the dispatch table, both derived from the registry -----------------------

def _registry_tables():
    from gantheory.topics import REGISTRY

    symbols: dict[str, Counter] = defaultdict(Counter)
    funcs: dict[str, Counter] = defaultdict(Counter)
    votes: dict = defaultdict(Counter)
    for claim in REGISTRY.values():
        stmts = [claim.statement, *(t.statement for t in claim.twins)]
        for st in stmts:
            for s in st.free_symbols:
                if isinstance(s, sp.Symbol):
                    symbols[s.name][s] += 1
            for f in st.atoms(sp.Function):
                if isinstance(f, AppliedUndef):
                    funcs[f.func.__name__][f.func] += 1
                elif type(f).__module__.startswith("gantheory"):
                    funcs[type(f).__name__][type(f)] += 1
            for a in _atom_types(st):
                votes[a][claim.verifier] += 1
            votes[_shape(st)][claim.verifier] += 1
    table = {name: cnt.most_common(1)[0][0] for name, cnt in symbols.items()}
    table["__functions__"] = {name: cnt.most_common(1)[0][0] for name, cnt in funcs.items()}
    signature: dict = {}  # verifier -> the atom types present in every statement it checks
    for claim in REGISTRY.values():
        for st in [claim.statement, *(t.statement for t in claim.twins)]:
            t = _atom_types(st)
            signature[claim.verifier] = t if claim.verifier not in signature else signature[claim.verifier] & t
    return table, votes, signature


def _shape(st):
    """The statement's form: its class and the class of its left side (e.g. Eq of StrictlyConvex)."""
    lhs = getattr(st, "lhs", None)
    return ("shape", type(st).__name__, type(lhs).__name__ if lhs is not None else None)


def _atom_types(st) -> set:
    out = {type(a) for a in sp.preorder_traversal(st) if isinstance(a, (A._Atom, A._BooleanAtom))}
    if isinstance(st, (A._Atom, A._BooleanAtom)):
        out.add(type(st))
    return out


_TABLES = None


def _tables():
    global _TABLES
    if _TABLES is None:
        _TABLES = _registry_tables()
    return _TABLES


def parse_statement(text: str, fresh=()):
    """A statement as a SymPy relational (or a boolean atom such as ``StrictlyConvex(...)``), read by the
    whitelist reader of :mod:`gantheory.reading` (never evaluated); the names in ``fresh`` are read as plain
    real symbols (see :func:`gantheory.reading.read_statement`)."""
    return read_statement(text, fresh=fresh)


# -- assumptions -------------------------------------------------------------------------------------

def _xrep(st, mapping):
    """xreplace that keeps a relation unevaluated (Eq(a, a') would otherwise collapse to True)."""
    if isinstance(st, sp.Rel):
        return type(st)(st.lhs.xreplace(mapping), st.rhs.xreplace(mapping), evaluate=False)
    return st.xreplace(mapping)


def assumptions_on(st, assumptions) -> list[str]:
    """The assumptions (text) that name one of the statement's symbols (or are about absolute continuity, p <<
    q): a batch's or a slide line's shared assumptions, given to each statement they concern. Raises
    StatementError on an assumption that cannot be read."""
    names = {getattr(x, "name", "") for x in st.free_symbols}
    return [a for a in assumptions if read_assumption(a)[0] in names | {None}]


#: The sign and integer assumptions a symbol of the vocabulary may carry (``h``, ``y``, ``sigma`` are positive).
_SIGN_FACTS = ("positive", "nonnegative", "negative", "nonpositive", "nonzero", "integer")
_SIGN_TEXT = {"positive": "> 0", "nonnegative": ">= 0", "negative": "< 0", "nonpositive": "<= 0", "integer": "integer"}


def _facts(symbol) -> set:
    return {k for k in _SIGN_FACTS if getattr(symbol, f"is_{k}") is True}


def _is_object(symbol) -> bool:
    """A density, the ratio R or the discriminator's value D: gantheory's objects, positive by definition."""
    return symbol in A.DENSITIES or symbol in (A.R, A.D)


def _implied(kw) -> set:
    """The facts of :data:`_SIGN_FACTS` that one assumption (as :func:`read_assumption` reads it) implies."""
    if "bounds" not in kw:
        try:
            return _facts(sp.Symbol("t", **kw))
        except ValueError:  # inconsistent: reported by _apply_assumptions
            return set()
    (lo, hi), out = kw["bounds"], set()
    if lo is not None and lo[0] >= 0:
        out.add("nonnegative")
        if lo[0] > 0 or lo[1]:
            out |= {"positive", "nonzero"}
    if hi is not None and hi[0] <= 0:
        out.add("nonpositive")
        if hi[0] < 0 or hi[1]:
            out |= {"negative", "nonzero"}
    return out


def _fresh_names(assumptions) -> set:
    """The names to read as plain real symbols: those whose symbol in the vocabulary carries a sign (``y > 0``)
    that the user's assumptions on the name do not imply (``y < 0``, ``y real``, ``y > -1``). Read with the
    vocabulary's symbol, the statement would already be simplified under that sign (``sqrt(x*y)`` split into
    ``sqrt(x)*sqrt(y)``), and giving y another sign afterwards would change its value."""
    from gantheory.reading import vocabulary

    names, _ = vocabulary()
    given: dict = defaultdict(set)
    capped: dict = {}  # name -> every assumption on it is an upper bound above 0 (y < 1)
    for a in assumptions or ():
        name, kw = read_assumption(a)
        if name is not None:
            given[name] |= _implied(kw)
            lo, hi = kw.get("bounds", (0, None))
            capped[name] = capped.get(name, True) and lo is None and hi is not None and hi[0] > 0
    # an upper bound above 0 alone says nothing against the letter's sign: y < 1 is 0 < y < 1 (y*log(y) + (1 -
    # y)*log(1 - y) >= -log(2) with y < 1 was read for every real y < 1, where y log y has no real value, and left
    # undecided); a lower bound (y > -1), another sign or 'y real' reads the letter as a plain real number
    return {name for name, facts in given.items() if isinstance(names.get(name), sp.Symbol)
            and not _is_object(names[name]) and not _facts(names[name]) <= facts
            and not (capped.get(name) and _facts(names[name]) & {"positive", "nonnegative"})}


def _vocabulary_signs(st, assumptions) -> list[str]:
    """The signs the statement's symbols have from the vocabulary, not from the user (``h > 0``): said with the
    other assumptions, with how to drop them."""
    named = {read_assumption(a)[0] for a in assumptions or ()}
    # a variable an atom ranges over a stated set (ArgMax(g, y, Interval.open(0, 1))) has that set as domain
    ranged = {a.args[1] for a in sp.preorder_traversal(st) if isinstance(a, A._Atom) and len(a.args) > 2
              and isinstance(a.args[1], sp.Symbol) and isinstance(a.args[2], sp.Set)}
    changed = {f"s_{n}" for n in named}  # the new variables of the bounds' changes of variable (said with them)
    out = []
    for x in sorted((s for s in st.free_symbols if isinstance(s, sp.Symbol)), key=str):
        facts = _facts(x)
        if not facts or _is_object(x) or x.name in named or x in ranged or x.name.rstrip("_") in changed:
            continue
        said = [f"{x.name} {_SIGN_TEXT[k]}" for k in ("integer", "positive", "negative") if k in facts]
        said = said or [f"{x.name} {_SIGN_TEXT[k]}" for k in ("nonnegative", "nonpositive") if k in facts]
        if said:
            out.append(f"{', '.join(said)} (as gantheory reads {x.name}; assume '{x.name} real' for any real "
                       f"{x.name})")
    return out


def _apply_assumptions(st, assumptions, shifts=None):
    """``x > 0``, ``x >= 0``, ``x < 0``, ``x != 0``, ``x real``, ``x integer``: the symbol is replaced by one
    with that assumption. ``p_g << p_r`` is already assumed by the reductions (say so)."""
    used, given, bounds = [], {}, {}
    for a in assumptions or ():
        name, kw = read_assumption(a)
        if name is None:
            used.append(f"{kw} (absolute continuity: assumed by the density reductions)")
            continue
        syms = [s for s in st.free_symbols if getattr(s, "name", None) == name]
        if not syms:
            raise StatementError(f"the assumption {a!r} names {name!r}, which is not in the statement")
        if "bounds" in kw:
            bounds[name] = _meet(bounds.get(name, (None, None)), kw["bounds"], a, name)
            used.append(" ".join(a.split()))
            continue
        given.setdefault(name, {}).update(kw)  # the assumptions on one symbol hold together
        try:
            symbol = sp.Symbol(name, **given[name])
        except ValueError:  # SymPy's InconsistentAssumptions
            raise StatementError(f"the assumptions on {name!r} contradict each other (the last: {a!r})") from None
        st = _xrep(st, {syms[0]: symbol})
        used.append(" ".join(a.split()))
    for name, (lo, hi) in bounds.items():
        st = _bounded(st, name, lo, hi, given.get(name, {}), used, shifts)
    return st, used


def _meet(old, new, text, name):
    """The intersection of two bounds ``(lower, upper)`` on one symbol (each end ``(number, strict)`` or None)."""
    def tighter(a, b, sign):
        if a is None or b is None:
            return a or b
        if a[0] != b[0]:
            return a if sign * (a[0] - b[0]) > 0 else b
        return (a[0], a[1] or b[1])
    lo, hi = tighter(old[0], new[0], 1), tighter(old[1], new[1], -1)
    if no_value_between(lo, hi):
        raise StatementError(f"the assumptions on {name!r} leave no value (the last: {text!r})")
    return lo, hi


def _bounded(st, name, lo, hi, kw, used, shifts):
    """The statement with the symbol ``name`` bounded by numbers: a bound at 0 alone is its sign assumption; any
    other is a change of variable onto a new symbol, which ``used`` records (x > a: x = a + s_x, s_x > 0;
    a < x < b: x = a + (b - a) s_x/(1 + s_x), s_x > 0, s_x >= 0 for a closed end; a <= x <= b:
    x = (a + b)/2 - (b - a) s_x/(1 + s_x^2), s_x real, which is a at s_x = 1 and b at s_x = -1). A sign
    assumption on the same symbol is one more bound. ``shifts`` (a list, or None) gets ``(user's symbol
    name, new symbol, the user's variable in terms of it, the user's symbol, lo, hi, the statement before)``: a
    counterexample is reported in the user's variable too, and a statement in one variable bounded on both sides
    is decided on its interval too (:func:`_on_its_interval`)."""
    x = next(s for s in st.free_symbols if getattr(s, "name", None) == name)
    sign = {"positive": ((0, True), None), "nonnegative": ((0, False), None), "negative": (None, (0, True)),
            "nonpositive": (None, (0, False))}
    integer = bool(kw.get("integer"))
    for k in ("positive", "nonnegative"):  # the vocabulary's sign kept (y < 1 on gantheory's positive y)
        if lo is None and getattr(x, f"is_{k}") is True and not any(kw.get(j) for j in sign) and not _is_object(x):
            lo, hi = _meet((lo, hi), sign[k], f"{name} {_SIGN_TEXT[k]}", name)
            used.append(f"{name} {_SIGN_TEXT[k]} (as gantheory reads {name}; assume '{name} real' for any real {name})")
            break
    for k, v in kw.items():
        if k in sign and v:
            lo, hi = _meet((lo, hi), sign[k], f"{name} {k}", name)
        elif k not in ("real", "integer") and v:
            raise StatementError(f"{name!r} has a bound by a number and the assumption {k!r}: state it as a bound")
    if integer and (lo is not None and hi is not None or not all(e is None or e[0].is_integer for e in (lo, hi))):
        raise StatementError(f"an integer {name!r} takes one bound by an integer ('{name} >= 2'), not an interval")
    rel = next((k for k, v in sign.items() if v == (lo, hi)), None)  # one bound at 0: a sign assumption
    if rel is not None:
        return _xrep(st, {x: sp.Symbol(name, **{rel: True}, **({"integer": True} if integer else {}))})
    names = {getattr(v, "name", "") for v in st.free_symbols}
    new = f"s_{name}"
    while new in names:
        new += "_"
    if lo is not None and hi is not None and not (lo[1] or hi[1]):  # [a, b]: a real s_x, both ends reached
        s = sp.Symbol(new, real=True)
        value = (lo[0] + hi[0]) / 2 - (hi[0] - lo[0]) * s / (1 + s**2)
        used.append(f"{name} = {value}, {new} real ({name} = {lo[0]} at {new} = 1, {hi[0]} at {new} = -1: the bounds "
                    f"on {name} as a change of variable)")
    else:
        # the end the new symbol starts from is the closed one (or the lower one when both are open)
        from_lower = lo is not None and (hi is None or not lo[1] or hi[1])
        strict = (lo if from_lower else hi)[1]
        s = sp.Symbol(new, **{"positive" if strict else "nonnegative": True}, **({"integer": True} if integer else {}))
        if hi is None:
            value = lo[0] + s
        elif lo is None:
            value = hi[0] - s
        elif from_lower:
            value = lo[0] + (hi[0] - lo[0]) * s / (1 + s)
        else:
            value = hi[0] - (hi[0] - lo[0]) * s / (1 + s)
        used.append(f"{name} = {value}, {new} {'>' if strict else '>='} 0 (the bound on {name} as a change of "
                    "variable)")
    if shifts is not None:
        shifts.append((name, s, value, x, lo, hi, st))
    return _xrep(st, {x: value})


# -- verification -----------------------------------------------------------------------------------

def _candidates(st) -> list:
    """Verifiers for the statement, best first: those the registry uses for statements with the same
    objects (every object the verifier always sees must be present) and the same form."""
    from gantheory.verify import calculus as VC

    _, votes, signature = _tables()
    types = _atom_types(st)
    if any(issubclass(t, A._OptimumOver) for t in types) and isinstance(st, sp.Rel):
        return [_optimum]
    if isinstance(st, sp.Unequality) and types and types <= set(A.FUNCTIONALS) | set(A.NONRATIO):
        return [_functional_not_equal]
    shape_votes = votes.get(_shape(st), Counter())
    ineq = (sp.GreaterThan, sp.StrictGreaterThan, sp.LessThan, sp.StrictLessThan)
    if types and isinstance(st, ineq) and types <= set(A.FUNCTIONALS) | set(A.NONRATIO):
        return [_functional_inequality]
    if isinstance(st, ineq) and A.BayesDisc in types and len(types) > 1 \
            and types - {A.BayesDisc} <= set(A.FUNCTIONALS) | set(A.NONRATIO):
        return [_functional_inequality_bayes]
    if types & set(A.NONRATIO) and isinstance(st, sp.Equality) and types <= set(A.FUNCTIONALS) | set(A.NONRATIO):
        return [_functional_equation]
    types = {A.KL if issubclass(t, A.NamedFDiv) else t for t in types}  # the registry votes for KL's verifier
    if types and types <= {A.BayesDisc} and isinstance(st, sp.Rel):
        return [_pointwise_bayes]
    if not types:
        plain = VC.calculus_identity if isinstance(st, sp.Equality) else _plain_inequality
        return [v for v, _ in shape_votes.most_common(2)] + [plain]
    common = None
    for t in types:
        vs = set(votes.get(t, {}))
        if vs:
            common = vs if common is None else common & vs
    ranked = Counter()
    for t in types:
        ranked.update(votes.get(t, Counter()))
    if not ranked:
        raise StatementError(f"no verifier handles {', '.join(sorted(t.__name__ for t in types))}")
    pool = common or set(ranked)
    fitting = {v for v in pool if signature.get(v, set()) <= types} or pool
    order = sorted(fitting, key=lambda v: (-(shape_votes.get(v, 0) > 0), -ranked[v], v.__name__))
    rest = [v for v, _ in ranked.most_common() if v not in order]
    return (order + rest)[:5]


def _quadratic_form_decides(d) -> Evidence | None:
    """d >= 0 proved for d a polynomial of degree 2 with rational coefficients in real symbols: d = (x, 1)^T M
    (x, 1) with M symmetric, and M positive semidefinite (decided exactly) makes d >= 0 at every
    real point, so on any domain the symbols' assumptions leave. (On all of R^n that is also necessary; on a
    smaller domain it is not, so this only proves.) None where it does not apply."""
    xs = sorted(d.free_symbols, key=str)
    if not xs or any(not x.is_real for x in xs):
        return None
    try:
        poly = sp.Poly(sp.expand(d), *xs)
    except sp.PolynomialError:
        return None
    if poly.total_degree() != 2 or not all(c.is_Rational for c in poly.coeffs()) or len(xs) > 40:
        return None
    n = len(xs)
    M = sp.zeros(n + 1, n + 1)
    for monom, c in poly.terms():
        idx = [i for i, k in enumerate(monom) for _ in range(k)] + [n, n]
        i, j = idx[0], idx[1]
        if i == j:
            M[i, i] += c
        else:
            M[i, j] += c / 2
            M[j, i] += c / 2
    if M.is_positive_semidefinite is True:  # exact on rational entries (SymPy's pivoted LDL^T)
        return Evidence(True, "symbolic", "lhs - rhs is the quadratic form (x, 1)^T M (x, 1) with M positive "
                        f"semidefinite (exactly), over x = ({', '.join(map(str, xs))})", steps=(("M", M),))
    return None


def _exact_sign_decides(d, strict: bool, sign: int = 1, said: str = "") -> Evidence | None:
    """d >= 0 (> 0 if ``strict``) proved by an exact argument on a rational margin: its factored form has a sign
    SymPy knows (x**2 + y**2 - 2*x*y is (x - y)**2), or (not strict) it is a positive semidefinite quadratic form.
    Only proves; None where neither applies. ``d`` is ``sign`` * (lhs - rhs); ``said`` opens the detail (a change
    of variable made before)."""
    factored = d
    if d.free_symbols and (d.is_polynomial() or d.is_rational_function()):
        try:
            factored = call_with_time_limit(sp.factor, FACTOR_SECONDS, d)
        except (TimeLimitExceeded, sp.PolynomialError):
            pass
    if factored.is_positive if strict else factored.is_nonnegative:
        return Evidence(True, "symbolic", f"{said}lhs - rhs = {sign * factored}, of the claimed sign")
    if not strict:
        quadratic = _quadratic_form_decides(d)
        if quadratic is not None:
            return Evidence(True, "symbolic", f"{said}{quadratic.detail}", steps=quadratic.steps)
        by_factors = _factor_signs(factored)
        if by_factors is not None:
            return Evidence(True, "symbolic", f"{said}lhs - rhs = {sign * factored}, a product of factors of known "
                            f"sign: {by_factors}", steps=(("factored", factored),))
    return None


def _factor_signs(factored) -> str | None:
    """Why a factored margin is >= 0 wherever it is defined, factor by factor: each factor has a sign SymPy knows, or
    is an odd power of a positive semidefinite quadratic form (x**2 + x*y + y**2), and the nonpositive ones come in
    an even number ((x - y)**2*(x**2 + x*y + y**2) >= 0). None where some factor's sign is not known that way."""
    if not isinstance(factored, sp.Mul):
        return None
    negatives, said = 0, []
    for f in factored.args:
        if f.is_nonnegative:
            continue
        if f.is_nonpositive:
            negatives += 1
            continue
        base, exp = f.as_base_exp()
        if not (exp.is_Integer and exp.is_odd) or _quadratic_form_decides(base) is None:
            return None
        said.append(f"{base} >= 0 (a positive semidefinite quadratic form)")
    if negatives % 2 or not said:
        return None
    return "; ".join(said)


def _square_roots_decide(d, strict: bool, sign: int = 1) -> Evidence | None:
    """d >= 0 (> 0 if ``strict``) proved where every square root in d is of nonnegative symbols: each such x is
    written t_x**2 with t_x >= 0 (positive if x is), which takes every value of x exactly once, so d >= 0 for all
    x is d(t**2) >= 0 for all t; the square roots are then gone (sqrt(t**2) = t) and the polynomial margin left is
    decided by :func:`_exact_sign_decides` (``sqrt(x*y) <= (x + y)/2``: (t - u)**2/2 >= 0). Only proves; None
    where it does not apply. ``d`` is the margin of the claimed sign, ``sign`` * (lhs - rhs)."""
    halves = [p for p in d.atoms(sp.Pow) if p.exp.is_Rational and p.exp.q == 2]
    roots = {x for p in halves for x in p.base.free_symbols}
    if not halves or not roots or not all(isinstance(x, sp.Symbol) and x.is_nonnegative for x in roots):
        return None
    ts = {x: sp.Symbol(f"t_{x.name}", **({"positive": True} if x.is_positive else {"nonnegative": True}))
          for x in roots}
    d2 = sp.expand(d.xreplace({x: t**2 for x, t in ts.items()}))
    if any(p.exp.is_Rational and p.exp.q != 1 for p in d2.atoms(sp.Pow)) or not d2.is_polynomial():
        return None
    said = ", ".join(f"{x} = {t}**2" for x, t in sorted(ts.items(), key=lambda kv: str(kv[0])))
    return _exact_sign_decides(d2, strict, sign, f"with {said} (each >= 0): ")


#: Seconds for factoring a rational margin before the search (a square hidden in an expanded form).
FACTOR_SECONDS = 2.0


def _not_equal(st) -> Evidence:
    """``lhs != rhs`` for all values: refuted at an exact zero of lhs - rhs (in one variable, a real root SymPy's
    solveset finds and substitution confirms; else one the strict inequalities' searches meet), proved where lhs -
    rhs has one strict sign everywhere (either), or, for a rational function of one variable, where solveset finds
    no real zero (1/x != 0: no sign, no zero); else undecided. It was decided as lhs <= rhs: exp(x) != 0 was
    refuted at x = 0, where exp(0) - 0 = 1."""
    from gantheory.symbolic._numeric import symbol_intervals
    from gantheory.verify.joint_range import exact_decimals

    st = exact_decimals(st)
    d = st.lhs - st.rhs
    free = sorted((x for x in d.free_symbols if isinstance(x, sp.Symbol)), key=str)
    no_zero = None
    if len(free) == 1 and not st.atoms(AppliedUndef) and not isinstance(d, sp.MatrixBase):
        x = free[0]
        domain = sp.Union(*symbol_intervals(x))  # x's sign: x - 2 != 0 with x < 0 was refuted at x = 2
        try:
            roots = sp.solveset(d, x, domain)
        except (NotImplementedError, ValueError, TypeError):
            roots = None
        if isinstance(roots, sp.FiniteSet):
            for r in sorted(roots, key=sp.default_sort_key):
                if r.is_real and sp.simplify(d.subs(x, r)) == 0:
                    return Evidence(False, "symbolic", f"lhs = rhs at {x} = {r} (a root, substituted exactly)",
                                    {str(x): str(r), "lhs_minus_rhs": "0"})
        elif roots is sp.S.EmptySet and sp.together(d).is_rational_function(x):
            no_zero = f"lhs - rhs, a rational function of {x}, has no zero in {domain} (SymPy's solveset)"
    for rel, word in ((sp.StrictGreaterThan, ">"), (sp.StrictLessThan, "<")):
        ev = _plain_inequality(rel(st.lhs, st.rhs, evaluate=False))
        if ev.holds:
            return Evidence(True, ev.method, f"lhs {word} rhs everywhere, so they never meet: {ev.detail}",
                            steps=ev.steps)
        cex = ev.counterexample or {}
        if ev.holds is False and cex.get("lhs_minus_rhs") in ("0", 0):
            return Evidence(False, "symbolic", "lhs = rhs at these values (exactly)", cex)
    if no_zero:
        return Evidence(True, "symbolic", no_zero)
    return Evidence(None, "numeric", "lhs - rhs has no single strict sign and no exact zero was found")


def _plain_inequality(st) -> Evidence:
    """An inequality between plain expressions: simplify(lhs - rhs) with SymPy's sign facts; else values
    of the symbols (random ones, wide and tiny scales, positive symbols positive) and a local minimization
    of the margin from the five worst. A failure is confirmed at exact (rational) values; "checked" needs
    a smallest margin clear of rounding, else the verdict is undecided. (R is seed 000's likelihood ratio, in
    Omega_g: positive everywhere.)"""
    import numpy as np
    from scipy.optimize import minimize

    from gantheory.verify._interval import exact_sign
    from gantheory.verify.joint_range import exact_decimals

    if isinstance(st, sp.Unequality):
        return _not_equal(st)
    st = exact_decimals(st)  # a decimal typed is the exact decimal number it denotes
    if st.atoms(AppliedUndef):
        return _with_unknown_functions(st)
    # an inequality is between real numbers, and its symbols are searched at real values: a symbol read without
    # assumptions is real here, so that the exact arguments know (z - 1)**2 >= 0 as the search does
    real = {x: sp.Symbol(x.name, real=True) for x in st.free_symbols
            if isinstance(x, sp.Symbol) and x.is_real is None and x.is_commutative}
    if real:
        st = st.func(st.lhs.xreplace(real), st.rhs.xreplace(real), evaluate=False)
    diff = sp.simplify(st.lhs - st.rhs)
    strict = isinstance(st, (sp.StrictGreaterThan, sp.StrictLessThan))
    sign = 1 if isinstance(st, (sp.GreaterThan, sp.StrictGreaterThan)) else -1
    d = sign * diff
    if (d.is_positive if strict else d.is_nonnegative):
        return Evidence(True, "symbolic", f"lhs - rhs = {diff}, of the claimed sign")
    exact = (_exact_sign_decides(d, strict, sign) or _square_roots_decide(d, strict, sign)
             or _piecewise_linear(d, strict))
    if exact is not None:
        return exact
    syms = sorted(diff.free_symbols, key=str)
    if not syms:
        s_ = exact_sign(d)
        if s_ is None:
            return Evidence(None, "numeric", "the sign of a number could not be decided")
        holds = s_ > 0 or (s_ == 0 and not strict)
        return Evidence(holds, "symbolic", f"lhs - rhs = {diff} (its sign decided exactly)",
                        None if holds else {"lhs_minus_rhs": str(diff)})
    f = sp.lambdify(syms, d, "numpy")
    # each symbol's domain, from its assumptions: where values are drawn, the local search's bound, and
    # whether an exact value lies in it (a counterexample outside the assumed domain refutes nothing)
    side = [1 if (s_.is_positive or s_.is_nonnegative) else -1 if (s_.is_negative or s_.is_nonpositive) else 0
            for s_ in syms]
    integer = [bool(s_.is_integer) for s_ in syms]

    def in_domain(point):
        return all(exact_in_domain(v_, s_) for s_, v_ in point.items())

    def value(vals):
        return _real_value(f, vals)

    def cost(z):  # the margin once per call; an undefined one is a large cost
        v = value(list(z))
        return v if v is not None else 1e300

    rng = np.random.default_rng(3)
    samples = []
    for k in range(2000):
        scale = (1e-3, 1.0, 10.0, 1e3)[k % 4]
        vals = [float(sd * rng.uniform(0, 1) * scale) if sd else float(rng.normal(0, 1) * scale) for sd in side]
        vals = [float(round(x)) if isint else x for x, isint in zip(vals, integer)]
        v = value(vals)
        if v is not None:
            samples.append((v, vals))
    samples.sort(key=lambda t: t[0])
    # the margin minimized locally from the worst starts, unless a drawn value fails clearly already (then the exact
    # confirmation below needs no worse one, and a margin unbounded below sent L-BFGS-B on thousands of evaluations:
    # x > 2 with x < 0 took 9 s to refute)
    clearly = bool(samples) and samples[0][0] < -1e-6 * (1 + max(map(abs, samples[0][1]), default=0.0))
    for v0, x0 in samples[:5] if not (any(integer) or clearly) else ():
        bounds = [(0, None) if sd > 0 else (None, 0) if sd < 0 else (None, None) for sd in side]
        res = minimize(cost, np.array(x0),
                       method="L-BFGS-B" if any(side) else "Nelder-Mead",
                       bounds=bounds if any(side) else None,
                       options={"maxiter": 400, "maxfun": 2000} if any(side) else {"maxiter": 400})
        v = value(list(res.x))
        if v is not None:
            samples.append((v, list(res.x)))
    if not samples:
        return Evidence(None, "numeric", "no values of the symbols give both sides a real value")
    samples.sort(key=lambda t: t[0])
    worst, at = samples[0]
    # a failure must be confirmed at exact values: first at simple values (0 and the domain's boundary, an integer,
    # a small fraction) near the failing values nearest to size 1 and near the smallest margins, which gives a
    # readable counterexample and reaches where the statement is tight; then at the failing values as they are
    failing = sorted(((v, vals) for v, vals in samples if (v <= 0 if strict else v < 0)),
                     key=lambda t: max(abs(np.log10(abs(x))) if x else 0.0 for x in t[1]))
    snapped = _snapped(d, syms, failing[:5] + samples[:5], strict)
    if snapped is not None and snapped[0] == "fails":
        _, point, value_ = snapped
        return Evidence(False, "symbolic", "the inequality fails at these values (confirmed exactly)",
                        {**{str(k_): str(v_) for k_, v_ in point.items()}, "lhs_minus_rhs": str(sign * value_)})
    for v, vals in failing[:20]:
        point = {s_: sp.Rational(x) for s_, x in zip(syms, vals)}
        if not in_domain(point):  # a search bound reached (0 for x > 0): not a value the statement is about
            continue
        value = _exactly_at(d, point)
        s_ = None if value is None else exact_sign(value)
        if s_ is not None and (s_ < 0 or (strict and s_ == 0)):
            return Evidence(False, "symbolic", "the inequality fails at these values (confirmed exactly)",
                            {**{str(k_): str(v_) for k_, v_ in point.items()}, "lhs_minus_rhs": sign * v})
    if len(syms) == 1 and not integer[0]:  # one variable: the infimum from the critical points and the ends
        try:
            exact = call_with_time_limit(_one_variable_decides, ONE_VARIABLE_SECONDS, st, d, sign, syms[0], strict,
                                         worst, [vals for _, vals in samples])
        except TimeLimitExceeded:
            exact = None
        if exact is not None:
            return exact
    if len(syms) >= 2 and all(x.is_positive for x in syms):
        scaled = _homogeneous(st, d, syms)
        if scaled is not None:
            return scaled
    if len(syms) >= 2:
        eliminated = _eliminated(d, syms, strict)
        if eliminated is not None:
            return eliminated
    rounding = 1e-7 * (1 + max(abs(x) for x in at))  # a margin this small: tight there, or rounding
    if worst < -rounding:
        return Evidence(None, "numeric", f"the margin is {worst:.3g} at {dict(zip(map(str, syms), at))}, but "
                        "no exact evaluation confirms the failure: undecided")
    if abs(worst) <= rounding:
        return Evidence(None, "numeric", f"the smallest margin found is within rounding of zero ({worst:.3g}) "
                        "and no exact argument applies")
    if snapped is not None:  # (no failing value here) its sign undecidable at a simple value, or 0 there: tight
        where = ", ".join(f"{k_} = {v_}" for k_, v_ in snapped[1].items())
        if snapped[0] == "zero":
            return Evidence(None, "numeric", f"lhs - rhs is exactly 0 at {where}: the statement is tight there, "
                            "which a search of values cannot certify, and no exact argument applies")
        return Evidence(None, "numeric", f"the sign of lhs - rhs at {where} cannot be decided exactly")
    how = "integers, drawn at four scales" if any(integer) else "random at four scales, then locally minimized"
    return Evidence(True, "numeric", f"holds at {len(samples)} values ({how}); smallest margin {worst:.3g}")


def _domain_of(x: sp.Symbol) -> sp.Interval:
    """The interval a symbol's sign assumptions leave it."""
    if x.is_positive:
        return sp.Interval.open(0, sp.oo)
    if x.is_nonnegative:
        return sp.Interval(0, sp.oo)
    if x.is_negative:
        return sp.Interval.open(-sp.oo, 0)
    if x.is_nonpositive:
        return sp.Interval(-sp.oo, 0)
    return sp.Reals


def _eliminated(d, syms, strict) -> Evidence | None:
    """``d >= 0`` (``> 0`` if ``strict``) in two or more symbols, one of them eliminated: where d is strictly convex in
    a symbol y over its domain, with one critical point y*(others) inside for every value of the others (derived by
    :func:`gantheory.symbolic._reduce.pointwise_argmax`, which proves both), min_y d = d(y*), and the statement is
    ``d(y*) >= 0`` in the others, decided as any plain inequality (Fenchel-Young, t x - e^x <= t log t - t, and
    a log x <= a (x - 1) with a > 0 were undecided: tight along a curve). A failure of the reduced statement at some
    values fails the statement there, at y = y*. None where no symbol is eliminated so, or the reduced statement is
    not decided."""
    import time

    from gantheory.symbolic._reduce import NotDerivable, pointwise_argmax
    from gantheory.symbolic._simplify import simplified

    end = time.monotonic() + ATTEMPT_SECONDS  # for the derivations, all symbols together
    for y in syms:
        left = end - time.monotonic()
        if y.is_integer or left <= 0:
            continue
        try:
            star = call_with_time_limit(pointwise_argmax, left, -d, y, _domain_of(y))
        except (NotDerivable, TimeLimitExceeded, NotImplementedError, ValueError, TypeError):
            continue
        if star.has(y):
            continue
        try:
            low = call_with_time_limit(simplified, max(end - time.monotonic(), 0.5), d.xreplace({y: star}))
        except TimeLimitExceeded:
            continue
        reduced = (sp.StrictGreaterThan if strict else sp.GreaterThan)(low, 0, evaluate=False)
        ev = _plain_inequality(reduced)
        if ev.holds is None:
            continue
        step = (f"lhs - rhs is strictly convex in {y} on {y}'s domain with one critical point inside, {y}* = {star}, "
                f"so its minimum over {y} is {low}")
        steps = ((step, sp.Eq(sp.Symbol(f"min_{y}"), low, evaluate=False)), *ev.steps)
        if ev.holds:
            return Evidence(True, ev.method, f"{step}; and {reduced} for every value of the others: {ev.detail}",
                            steps=steps)
        cex = dict(ev.counterexample or {})
        at = {}
        for k, v in cex.items():  # the others' exact values, as the reduced statement's counterexample gives them
            sym = next((x for x in syms if str(x) == k), None)
            if sym is not None:
                try:
                    at[sym] = read_number(str(v))
                except StatementError:
                    at = None
                    break
        value = star.xreplace(at) if at is not None and not (star.free_symbols - set(at)) else star
        cex[str(y)] = str(value)
        return Evidence(False, ev.method, f"{step}; {reduced} fails ({ev.detail}), so the statement fails there at "
                        f"{y} = {star}", cex, steps=steps)
    return None


def _real_value(f, vals) -> float | None:
    """``f(*vals)`` (a lambdified margin) as a real number: None where it is undefined, infinite or complex beyond
    rounding (an imaginary part over 1e-12 of its size)."""
    import numpy as np

    with np.errstate(all="ignore"):
        try:
            v = complex(f(*vals))
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            return None
    return v.real if abs(v.imag) <= 1e-12 * (1 + abs(v.real)) and np.isfinite(v.real) else None


def _with_unknown_functions(st) -> Evidence:
    """An inequality about functions gantheory does not know (F(x) >= 0, F(x)**2 >= 0): it is about every real-valued
    F, so each value F(a) is taken as an independent real number. Holding for all such numbers, it holds for every F
    (proved). A failure is a counterexample only where some F takes those values: each function's arguments must be
    pairwise different there (F(x) - F(y) < 0 at x = y is no counterexample); else undecided."""
    from gantheory.verify._interval import exact_sign

    apps = sorted(st.atoms(AppliedUndef), key=str)
    if any(not a.args or any(not isinstance(arg, sp.Expr) for arg in a.args) for a in apps):
        return Evidence(None, "symbolic", "a function gantheory does not know is applied to something not a number")
    values = {a: sp.Symbol(str(a), real=True) for a in apps}
    plain = st.func(st.lhs.xreplace(values), st.rhs.xreplace(values), evaluate=False)
    if plain.atoms(AppliedUndef):  # an unknown function applied to an unknown function's value: not taken apart
        return Evidence(None, "symbolic", "an unknown function is applied to another one's value")
    said = ", ".join(str(a) for a in apps)
    ev = _plain_inequality(plain)
    if ev.holds is True:
        return Evidence(True, ev.method, f"for every real-valued {', '.join(sorted({a.func.__name__ for a in apps}))}: "
                        f"with {said} taken as independent real numbers, {ev.detail}", steps=ev.steps)
    if ev.holds is False:
        ce = ev.counterexample or {}
        point = {}
        for k, v in ce.items():
            sym = next((x for x in plain.free_symbols if str(x) == k), None)
            if sym is not None and sym not in values.values():
                try:
                    point[sym] = sp.sympify(v) if isinstance(v, str) else sp.nsimplify(v)
                except (sp.SympifyError, TypeError, ValueError):
                    return Evidence(None, ev.method, f"with {said} as independent real numbers it fails, but the point "
                                    "could not be read back")
        by_function = defaultdict(list)
        for a in apps:
            by_function[a.func].append(tuple(arg.xreplace(point) for arg in a.args))
        for f, args in by_function.items():
            for i in range(len(args)):
                for j in range(i + 1, len(args)):
                    # different at the point, or different expressions of symbols the point leaves free (F(x) and F(y)
                    # of x, y the statement does not otherwise constrain: they are chosen apart)
                    differ = [(p_ - q_).free_symbols and sp.simplify(p_ - q_) != 0
                              or exact_sign(sp.nsimplify(p_ - q_)) not in (None, 0) for p_, q_ in zip(args[i], args[j])]
                    if not any(differ):
                        return Evidence(None, ev.method, f"with {said} as independent real numbers it fails, but at a "
                                        f"point where two arguments of {f.__name__} may coincide: undecided")
        return Evidence(False, ev.method, f"fails for a real-valued function with these values of {said} (one exists: "
                        "each function's arguments differ there); confirmed exactly", ev.counterexample, steps=ev.steps)
    return Evidence(None, ev.method, f"with {said} taken as independent real numbers: {ev.detail}", steps=ev.steps)


#: Seconds for the exact analysis of a margin in one variable, in all (each level of its convexity argument may ask
#: SymPy's solveset and function_range, which have no deadline of their own: exp(-x**2) <= 1/(1 + x**2) ran past 60 s).
ONE_VARIABLE_SECONDS = 15.0
#: Seconds for one exact analysis of a margin in one variable (:func:`_one_variable_decides`).
ATTEMPT_SECONDS = 6.0


def _one_variable_decides(st, d, sign, x, strict, worst, points):
    """:func:`_one_variable_extremes` on the margin as simplified and as typed (simplify may fold logarithms into
    powers, x log x -> log(x**x), which solveset cannot take), and, where both sides are positive (SymPy's sign
    facts), on the difference of their logarithms, which orders the same way (exp(-x**2) <= 1/(1 + x**2) is
    log(1 + x**2) <= x**2: one critical point, at 0); that form first where it has fewer exponentials. Each attempt
    has :data:`ATTEMPT_SECONDS`. The logarithms' own smallest value over the searched points is their independent
    check."""
    attempts = [(m, worst, False) for m in dict.fromkeys((d, sign * (st.lhs - st.rhs)))]
    if st.lhs.is_positive and st.rhs.is_positive:
        logs = sign * (sp.expand_log(sp.log(st.lhs)) - sp.expand_log(sp.log(st.rhs)))
        f = sp.lambdify([x], logs, "numpy")
        vals = [v for v in (_real_value(f, p) for p in points) if v is not None]
        if vals:
            of_logs = [(m, min(vals), True) for m in dict.fromkeys((sp.simplify(logs), logs))]
            fewer = logs.count(sp.exp) < d.count(sp.exp)
            attempts = of_logs + attempts if fewer else attempts + of_logs
    for margin, smallest, of_logs in attempts:
        try:
            exact = call_with_time_limit(_one_variable_extremes, ATTEMPT_SECONDS, margin, x, strict, smallest)
        except TimeLimitExceeded:
            continue
        if exact is None:
            continue
        if not of_logs:
            return exact
        if exact.holds:  # (a failure is the search's to confirm, at a point, in the statement's own terms)
            return Evidence(True, exact.method, "both sides are positive, so the statement is that of their "
                            f"logarithms, {margin} {'>' if strict else '>='} 0: {exact.detail}", steps=exact.steps)
    return None


def _homogeneous(st, d, syms) -> Evidence | None:
    """A margin positively homogeneous in its positive symbols, d(l a, l b, ...) = l**k d(a, b, ...) for l > 0
    (a log(a/b) - a + b, of degree 1; shown exactly, its degree k read off d at doubled values), has the sign of
    d(1, b/a, ...): the statement is decided with the first symbol set to 1, in one variable fewer (a two-point KL or
    JSD bound becomes one in the ratio). A counterexample there is one with a = 1. None where d is not homogeneous
    or the smaller statement is undecided."""
    import numpy as np

    first, rest = syms[0], syms[1:]
    f = sp.lambdify(syms, d, "numpy")
    rng = np.random.default_rng(5)
    degrees = []
    for _ in range(3):
        v = rng.uniform(0.5, 2.0, len(syms))
        at_v, at_2v = _real_value(f, v), _real_value(f, 2 * v)
        if at_v is None or at_2v is None or at_v == 0 or not at_2v / at_v > 0:
            return None
        degrees.append(math.log2(at_2v / at_v))
    k = round(2 * degrees[0]) / 2
    if any(abs(g - k) > 1e-6 for g in degrees):
        return None
    lam = sp.Dummy("l", positive=True)
    try:
        gap = call_with_time_limit(lambda: sp.simplify(sp.expand_log(d.xreplace({x: lam * x for x in syms}))
                                                       - lam ** sp.nsimplify(k) * sp.expand_log(d)), ATTEMPT_SECONDS)
    except TimeLimitExceeded:
        return None
    if gap != 0:
        return None
    lhs, rhs = st.lhs.xreplace({first: sp.Integer(1)}), st.rhs.xreplace({first: sp.Integer(1)})
    ev = _plain_inequality(st.func(lhs, rhs, evaluate=False))
    if ev.holds is None:
        return None
    said = (f"lhs - rhs is homogeneous of degree {sp.nsimplify(k)} in the positive {', '.join(map(str, syms))} (shown "
            f"exactly), so it has the sign it has at {first} = 1, where {', '.join(map(str, rest))} "
            f"{'is the ratio' if len(rest) == 1 else 'are the ratios'} to {first}: ")
    ce = None if ev.counterexample is None else {str(first): "1", **ev.counterexample}
    return Evidence(ev.holds, ev.method, said + ev.detail, ce, steps=ev.steps)


#: At most this many absolute values (after Max and Min are written with them) in a piecewise linear margin: one
#: exact LP per sign pattern of their arguments
PIECEWISE_LINEAR_KINKS = 5


def _piecewise_linear(d, strict) -> Evidence | None:
    """A margin built from linear forms with rational coefficients by |.|, Max and Min (|x + y| <= |x| + |y|,
    max(a, b) >= (a + b)/2): on each sign pattern of the absolute values' arguments it is one linear form on a
    closed polyhedral cone (cut by the symbols' signs), whose minimum SymPy's exact simplex finds (``lpmin``, in
    rational arithmetic). The minimum over the closure is the infimum over the part (the margin is continuous).
    Every minimum >= 0 (> 0 if strict) proves the statement; otherwise None (a failure is the search's to show, at a
    point in the statement's own domain)."""
    import itertools

    from sympy.solvers.simplex import InfeasibleLPError, UnboundedLPError, lpmin

    if not d.has(sp.Abs, sp.Max, sp.Min) or d.has(sp.Piecewise):
        return None
    e = d.replace(sp.Max, lambda *a: _pairwise(a, +1)).replace(sp.Min, lambda *a: _pairwise(a, -1))
    syms = sorted(e.free_symbols, key=str)
    kinks = sorted(e.atoms(sp.Abs), key=sp.default_sort_key)
    if not kinks or len(kinks) > PIECEWISE_LINEAR_KINKS or any(not isinstance(x, sp.Symbol) for x in syms):
        return None

    def linear(expr):
        try:
            poly = sp.Poly(expr, *syms)
        except sp.PolynomialError:
            return False
        return poly.total_degree() <= 1 and all(c.is_Rational for c in poly.coeffs())

    # plain real variables for the LPs, with the symbols' signs as constraints (y >= 0 of a positive y is True to
    # SymPy, and would be lost)
    plain = {x: sp.Dummy(x.name, real=True) for x in syms}
    sides = [plain[x] >= 0 for x in syms if x.is_nonnegative] + [plain[x] <= 0 for x in syms if x.is_nonpositive]
    back = {v: k for k, v in plain.items()}
    e = e.xreplace(plain)
    kinks = [k.xreplace(plain) for k in kinks]
    syms = [plain[x] for x in syms]
    # innermost first: an argument may hold an absolute value itself (||x| - 1|): replaced as its sign pattern says
    order = sorted(kinks, key=lambda k: sp.count_ops(k))
    lowest = None
    for signs in itertools.product((1, -1), repeat=len(order)):
        rep, region = {}, list(sides)
        for k, sg in zip(order, signs):
            arg = k.args[0].xreplace(rep)
            if not linear(arg):
                return None
            rep[k] = sg * arg
            region.append(sg * arg >= 0)
        piece = sp.expand(e.xreplace(rep))
        if piece.has(sp.Abs) or not linear(piece):
            return None
        try:
            value, _ = lpmin(piece, region)
        except InfeasibleLPError:
            continue  # no point has this sign pattern
        except UnboundedLPError:
            return None
        if value < 0 or (strict and value == 0):
            return None
        lowest = value if lowest is None else min(lowest, value)
    if lowest is None:
        return None
    args = ", ".join(str(k.args[0].xreplace(back)) for k in order)
    return Evidence(True, "symbolic", f"piecewise linear: on each of the {2 ** len(order)} sign patterns of {args} the "
                    "margin is linear, and its exact minimum there (a linear program in rational arithmetic) is "
                    f"{'> 0' if strict else '>= 0'} (the smallest: {lowest})")


def _pairwise(args, sign):
    """Max (sign +1) or Min (-1) of the arguments with absolute values: max(u, v) = (u + v + |u - v|)/2."""
    out = args[0]
    for a in args[1:]:
        out = (out + a + sign * sp.Abs(out - a)) / 2
    return out


#: The largest numerator and denominator of a rational exponent met at a point (below)
EXACT_EXPONENT_MAX = 10**4


def _exactly_at(d, point):
    """d at exact values, or None where that cannot be had quickly. SymPy writes a rational power of a rational
    exactly: (p/q)**(m/n) multiplies out p**m before it takes an n-th root, in one big-integer operation that no
    alarm interrupts (((a + c)/(b + d))**(-a - c) at c = 294297/355367 ran for minutes past check's budget); so a
    point where an exponent becomes a rational with a numerator or denominator over :data:`EXACT_EXPONENT_MAX` is
    skipped. Otherwise the substitution runs under :data:`SNAP_POINT_SECONDS` (SymPy factors the integers of a
    rational power: s**s at s = 999999/1000000)."""
    for pw in d.atoms(sp.Pow):
        if not pw.free_symbols:
            continue
        e = pw.exp.xreplace(point)
        if e.is_Rational and (abs(e.p) > EXACT_EXPONENT_MAX or e.q > EXACT_EXPONENT_MAX) and not e.is_integer:
            return None
        if e.is_Integer and abs(e) > EXACT_EXPONENT_MAX and pw.base.xreplace(point).is_Rational:
            return None
    try:
        return call_with_time_limit(d.xreplace, SNAP_POINT_SECONDS, point)
    except TimeLimitExceeded:
        return None


#: functions whose derivative is not the elementary one everywhere (kinks, jumps): no critical-point argument
_NOT_SMOOTH = (sp.Abs, sp.sign, sp.Max, sp.Min, sp.floor, sp.ceiling, sp.Piecewise, sp.Heaviside, sp.re, sp.im,
               sp.arg, sp.factorial, sp.binomial)


def _one_variable_extremes(d, x, strict, sampled_min, domains=None, depth=0):
    """Decide d(x) >= 0 (> 0 if ``strict``) over x's assumed domain exactly, for d smooth there: its infimum is
    a value at a critical point (the real zeros of d', found by ``solveset`` as a finite set, or none where d' has
    one sign) or at a closed end, or a limit at an open end. Every attained value of the wrong sign refutes
    there; all of them (and the limits) of the right sign prove. The sampled smallest margin must not lie below
    the derived infimum (the independent check). None where a step does not apply."""
    from sympy.calculus.util import continuous_domain

    from gantheory.symbolic._numeric import symbol_intervals
    from gantheory.symbolic._simplify import simplified
    from gantheory.symbolic._stability import _rational_between
    from gantheory.verify._interval import exact_sign

    if d.has(sp.Derivative, sp.Integral, sp.Sum, sp.Limit):
        return None
    if d.has(*_NOT_SMOOTH):
        return _piecewise_extremes(d, x, strict, sampled_min, domains)
    dd = simplified(sp.diff(d, x))
    steps, lowest = [("the margin, claimed " + (">" if strict else ">=") + " 0", d), ("its derivative", dd)], []
    enclosed = False  # a critical point located only between rationals: its value bounded below, exactly
    for dom in domains or symbol_intervals(x):
        # d continuous on dom and differentiable inside it: its infimum is at a closed end, an interior critical
        # point or a limit at an open end (d' may blow up at a closed end: sqrt(t) - t on [0, 1])
        inner = dom.interior if isinstance(dom, sp.Interval) else dom
        try:
            if continuous_domain(d, x, dom) != dom or continuous_domain(dd, x, inner) != inner:
                return None
            crit = sp.solveset(dd, x, inner)
        except (NotImplementedError, ValueError, TypeError):
            return None
        bound = None  # a certified lower bound of d at a critical point located only between two rationals
        if not isinstance(crit, sp.FiniteSet):
            monotone = _one_sign(dd, x, inner) is not None  # d' of one sign: d monotone
            curved = None if monotone else _convex_critical_point(d, dd, x, inner, depth)
            if curved is not None:
                # d' strictly monotone (d'' of one sign, shown exactly): one critical point at most, found exactly
                # or enclosed; a concave d has its infimum at the ends (cos x >= 1 - x**2/2: d'' = 1 - cos x)
                crit, bound, how = curved
                steps.append((f"on {dom}: {how}", crit if bound is None else bound[2]))
            elif not monotone:
                # neither finitely many critical points nor monotone (cos x): the range of d itself
                got = _range_decides(d, x, dom, strict)
                if got is None or isinstance(got, Evidence):
                    return got
                lowest.append(got[0])
                steps.append(got[1])
                continue
            else:
                # d is monotone on dom; an elementary d is analytic there, so unless d' vanishes identically (d
                # constant: its one value is attained) it is strictly monotone and the infimum is a limit at an end
                crit = sp.S.EmptySet
        if bound is not None:  # d >= d(a) + (b - a) d'(a) at the one critical point, in (a, b)
            enclosed = True
            sg = exact_sign(bound[0])
            if sg is None or sg < 0 or (strict and sg == 0):
                return None  # not certified: the search's to decide
        if len(crit) > 40:
            return None
        attained = [(c, d.subs(x, c)) for c in crit]
        if dd == 0:
            c = _rational_between(dom.inf, dom.sup)
            attained.append((c, d.subs(x, c)))
        attained += [(e, d.subs(x, e)) for e in (dom.inf, dom.sup) if e.is_finite and dom.contains(e) == sp.true]
        limits = []
        for e, side in ((dom.inf, "+"), (dom.sup, "-")):
            if e.is_finite and dom.contains(e) == sp.true:
                continue
            lim = sp.limit(d, x, e, side) if e.is_finite else sp.limit(d, x, e)
            if lim.has(sp.AccumBounds) or lim is sp.nan or lim is sp.zoo or lim.free_symbols:
                return None
            limits.append((e, lim))
        for c, val in attained:
            sg = exact_sign(val)
            if sg is None:
                return None
            if sg < 0 or (strict and sg == 0):
                return Evidence(False, "symbolic", f"lhs - rhs = {simplified(val)} at {x} = {c}, a critical point or "
                                "an end of the domain (exact)", {str(x): str(c), "lhs_minus_rhs": str(simplified(val))})
        for e, lim in limits:
            sg = exact_sign(lim)
            if sg is None or sg < 0:
                return None  # values of the wrong sign near an end: the search's counterexample, not a limit
        values = [v for _, v in attained] + [v for _, v in limits] + ([bound[0]] if bound is not None else [])
        finite = [float(sp.N(v, 30)) for v in values if v.is_finite]
        lowest.append(min(finite) if finite else math.inf)
        points = sp.Tuple(*[sp.Eq(x, c, evaluate=False) for c, _ in attained]) if attained else None
        steps += [(f"on {dom}: the real zeros of the derivative (critical points)", crit),
                  ("the critical points and the closed ends", points),
                  ("the margin's values at them, and its limits at the open ends",
                   sp.Tuple(*[simplified(v) for v in values]))]
    if lowest and sampled_min < min(lowest) - 1e-9 * (1 + abs(min(lowest))):
        return None  # the samples went below the derived infimum: the derivation missed something
    return Evidence(True, "symbolic", f"the infimum of lhs - rhs over {x}'s domain is at a critical point, a closed "
                    f"end or a limit at an open end, and every one is {'> 0' if strict else '>= 0'} (the smallest: "
                    f"{min(lowest):.6g}" + ("; a critical point enclosed between rationals counts with a lower bound "
                                            "of its value, exact" if enclosed else "") + ")", steps=tuple(steps))


#: Seconds for SymPy's ``function_range`` of a margin or a derivative (x - sin x on [0, oo) ran for minutes).
RANGE_SECONDS = 3.0


def _function_range(e, x, dom):
    """SymPy's ``function_range(e, x, dom)`` within :data:`RANGE_SECONDS`; None where it fails or runs over."""
    from sympy.calculus.util import function_range

    try:
        return call_with_time_limit(function_range, RANGE_SECONDS, e, x, dom)
    except (TimeLimitExceeded, NotImplementedError, ValueError, TypeError):
        return None


#: How deep the convexity argument recurses (d'' of one sign shown by the same analysis of d'', ...): the Taylor
#: bounds of cos and sin need three levels (cos x <= 1 - x**2/2 + x**4/24: d'' = cos x - 1 + x**2/2, whose d'' is
#: 1 - cos x).
CONVEXITY_DEPTH = 3


def _one_sign(e, x, dom, depth: int | None = None) -> int | None:
    """+1 if e >= 0 on dom, -1 if e <= 0, shown exactly: SymPy's sign facts on dom's parametrization, e's range
    (1 - cos x: [0, 2]), or, given the ``depth`` of the analysis asking, the one-variable analysis of e one level
    deeper; None otherwise."""
    from gantheory.symbolic._reduce import interval_parametrization
    from gantheory.symbolic._simplify import simplified

    w, x_of_w = interval_parametrization(dom, x)
    on_dom = simplified(e.subs(x, x_of_w))
    if on_dom.is_nonnegative:
        return 1
    if on_dom.is_nonpositive:
        return -1
    rng = _function_range(e, x, dom)
    if isinstance(rng, sp.Interval):
        if (rng.inf >= 0) in (sp.true, True):
            return 1
        if (rng.sup <= 0) in (sp.true, True):
            return -1
    if depth is None or depth + 1 >= CONVEXITY_DEPTH:
        return None
    for sgn in (1, -1):
        ev = _one_variable_extremes(sgn * e, x, False, math.inf, domains=[dom], depth=depth + 1)
        if ev is not None and ev.holds is True:
            return sgn
    return None


def _convex_critical_point(d, dd, x, dom, depth):
    """Where d' has no finite set of zeros SymPy can write (x - sin x): if d'' has one sign on dom (shown exactly,
    recursively), d' is strictly monotone there (d'' does not vanish identically, and an elementary function that
    vanished on an interval would vanish on all of it), so d has one critical point at most. A concave d (d'' <= 0)
    takes its infimum at the ends: no critical point is needed. A convex d takes it at the zero of d' if d' changes
    sign: that zero is found numerically and confirmed exactly at a simple value near it (x = 0), or else enclosed
    between rationals a < c < b with d'(a) < 0 < d'(b) exactly, and d(c) >= d(a) + (b - a) d'(a) (d' increases
    from d'(a) to 0 on [a, c]) is the certified lower bound. Returns (critical points, bound or None, what was
    shown), or None where the argument does not apply."""
    import mpmath
    import numpy as np
    from scipy.optimize import brentq

    from gantheory.symbolic._simplify import simplified
    from gantheory.verify._interval import exact_sign

    d2 = simplified(sp.diff(dd, x))
    if d2 == 0 or d2.has(*_NOT_SMOOTH):
        return None
    curvature = _one_sign(d2, x, dom, depth)
    if curvature is None:
        return None
    if curvature < 0:
        return sp.S.EmptySet, None, "d'' <= 0 (shown exactly): d is concave, its infimum is at the ends"
    ends = []
    for e, side in ((dom.inf, "+"), (dom.sup, "-")):
        try:
            lim = sp.limit(dd, x, e, side) if e.is_finite else sp.limit(dd, x, e)
        except (NotImplementedError, ValueError, TypeError):
            return None
        sg = exact_sign(lim) if not lim.has(sp.AccumBounds, sp.nan, sp.zoo) and not lim.free_symbols else None
        if sg is None:
            return None
        ends.append(sg)
    if ends[0] >= 0 or ends[1] <= 0:  # d' of one sign on dom: d monotone, its infimum at an end
        return sp.S.EmptySet, None, "d'' >= 0 (shown exactly) and d' keeps one sign: d is monotone"
    f = sp.lambdify(x, dd, "mpmath")

    def at(v):  # at an mpf, not a NumPy float: x**x at x = 1e8 is a large mpf, not an overflow warning
        try:
            return float(f(mpmath.mpf(float(v))))
        except (ValueError, TypeError, ZeroDivisionError, OverflowError):
            return math.nan

    # points of dom in increasing order (near finite ends, out to 1e8 towards infinite ones): d' increases, so the
    # first point where it is positive and the one before bracket its zero
    near = np.geomspace(1e-9, 1e8, 400)
    lo, hi = dom.inf, dom.sup
    if lo.is_finite and hi.is_finite:
        pts = float(lo) + (float(hi) - float(lo)) * np.concatenate([near[near < 0.5], 1 - near[near < 0.5][::-1]])
    elif lo.is_finite:
        pts = float(lo) + near
    elif hi.is_finite:
        pts = float(hi) - near[::-1]
    else:
        pts = np.concatenate([-near[::-1], [0.0], near])
    vals = [at(v) for v in pts]
    k = next((i for i, v in enumerate(vals) if v > 0), None)  # (rounding may give 0 around the zero: x - sin x)
    j = max((i for i, v in enumerate(vals[:k]) if v < 0), default=None) if k is not None else None
    if j is None or any(math.isnan(v) for v in vals[j:k + 1]):
        return None
    a_, b_ = float(pts[j]), float(pts[k])
    try:
        c = brentq(at, a_, b_, xtol=1e-300, rtol=1e-15, maxiter=400)
    except (ValueError, RuntimeError):
        return None
    from fractions import Fraction

    # d' is strictly monotone: a simple value where it is exactly 0 is its one zero, however far the rounded root is
    # (x - sin x is ~x**3/6: its floating-point zero can be off by 1e-5)
    simple = [sp.Integer(0), sp.Integer(round(c)), sp.Rational(Fraction(c).limit_denominator(12)),
              sp.Rational(Fraction(c / math.pi).limit_denominator(12)) * sp.pi,
              sp.exp(sp.Rational(Fraction(math.log(c)).limit_denominator(12))) if c > 0 else sp.Integer(0),  # 1/e
              sp.log(sp.Rational(Fraction(math.exp(c)).limit_denominator(12))) if c < 700 else sp.Integer(0)]
    for cand in dict.fromkeys(simple):
        if a_ <= float(cand) <= b_ and dom.contains(cand) == sp.true and exact_sign(dd.subs(x, cand)) == 0:
            return sp.FiniteSet(cand), None, f"d'' >= 0 (shown exactly): d' increases, and its one zero is {x} = {cand}"
    width = 1e-12 * (1 + abs(c))
    for k in range(6):
        a, b = sp.Rational(Fraction(c - width)), sp.Rational(Fraction(c + width))
        if dom.contains(a) == sp.true and dom.contains(b) == sp.true \
                and exact_sign(dd.subs(x, a)) == -1 and exact_sign(dd.subs(x, b)) == 1:
            low = d.subs(x, a) + (b - a) * dd.subs(x, a)
            return sp.S.EmptySet, (low, (a, b), sp.Interval(a, b)), \
                (f"d'' >= 0 (shown exactly): d' increases, its one zero lies in [{float(a):.12g}, {float(b):.12g}] "
                 "(signs of d' there exact), and d there is at least d(a) + (b - a) d'(a)")
        width *= 1000
    return None


def _range_decides(d, x, dom, strict):
    """The margin's range on dom (SymPy's ``function_range``: critical values over a period, limits, its ends
    marked attained or not): a refutation where it reaches 0 at a found point of a strict statement,
    ``(infimum, step)`` where every value is of the claimed sign, None otherwise (a failure is then the search's
    to show, with a point)."""
    from gantheory.verify._interval import exact_sign

    rng = _function_range(d, x, dom)
    if rng is None:
        return None
    if not isinstance(rng, sp.Interval) or exact_sign(rng.inf) is None:
        return None
    sg = exact_sign(rng.inf)
    attained_zero = sg == 0 and not rng.left_open
    if strict and attained_zero:  # the margin reaches 0: where?
        zero = _a_zero(d, x, dom)
        if zero is not None:
            return Evidence(False, "symbolic", f"lhs - rhs = 0 at {x} = {zero} (exact)",
                            {str(x): str(zero), "lhs_minus_rhs": "0"})
    if sg < 0 or (strict and attained_zero):
        return None
    return float(sp.N(rng.inf, 30)), (f"on {dom}: the range of the margin (critical values over a period, limits)",
                                       rng)


def _piecewise_extremes(d, x, strict, sampled_min, domains=None):
    """:func:`_one_variable_extremes` for a margin with kinks (|x|, Max, Min, Piecewise): written as one
    Piecewise, each branch decided on its part of the domain (an isolated point exactly, an interval by the
    smooth analysis with its ends), so |x| >= x and |x - 1| <= |x| + 1 are proved piece by piece."""
    from gantheory.symbolic._numeric import branch_regions
    from gantheory.symbolic._simplify import simplified
    from gantheory.verify._interval import exact_sign

    got = branch_regions(d, x, domains)
    if got is None:
        return None
    folded, pieces = got
    if folded.has(*[k for k in _NOT_SMOOTH if k is not sp.Piecewise]):
        return None
    steps, lowest = [("the margin as one Piecewise", folded)], []
    for expr, parts in pieces:
        for part in parts:
            if isinstance(part, sp.FiniteSet):
                for pt in part:
                    sg = exact_sign(d.subs(x, pt))
                    if sg is None:
                        return None
                    if sg < 0 or (strict and sg == 0):
                        return Evidence(False, "symbolic", f"lhs - rhs = {simplified(d.subs(x, pt))} at {x} = {pt}",
                                        {str(x): str(pt), "lhs_minus_rhs": str(simplified(d.subs(x, pt)))})
                    lowest.append(float(sp.N(d.subs(x, pt), 30)))
                continue
            if not isinstance(part, sp.Interval) or expr.has(sp.Piecewise):
                return None
            ev = _one_variable_extremes(expr, x, strict, math.inf, domains=[part])
            if ev is None or ev.holds is None:
                return None
            if ev.holds is False:
                return ev
            steps.append((f"on {part}: {expr}", None))
    if lowest and sampled_min < min(lowest) - 1e-9 * (1 + abs(min(lowest))):
        return None
    return Evidence(True, "symbolic", f"piece by piece: on each piece of {x}'s domain the margin's infimum (critical "
                    f"points, ends, limits) is {'> 0' if strict else '>= 0'}", steps=tuple(steps))


def _a_zero(d, x, dom):
    """One exact zero of d in dom (the first of a finite set, or of a periodic family at n = 0, 1, -1), checked
    by substitution; None if none is found."""
    from gantheory.verify._interval import exact_sign

    try:
        sol = sp.solveset(d, x, dom)
    except (NotImplementedError, ValueError, TypeError):
        return None
    parts = sol.args if isinstance(sol, sp.Union) else (sol,)
    for part in parts:
        if isinstance(part, sp.Intersection):  # an ImageSet cut to the domain: its members near n = 0
            part = next((a for a in part.args if isinstance(a, (sp.ImageSet, sp.FiniteSet))), part)
        if isinstance(part, sp.FiniteSet):
            cands = list(part)[:3]
        elif isinstance(part, sp.ImageSet) and len(part.lamda.variables) == 1:
            cands = [part.lamda(n) for n in (0, 1, -1, 2, -2)]
        else:
            continue
        for c in cands:
            if dom.contains(c) == sp.true and exact_sign(d.subs(x, c)) == 0:
                return c
    return None


#: Seconds to evaluate the margin exactly at one snapped point (a point that takes longer is not simple).
SNAP_POINT_SECONDS = 1.0


def _snapped(d, syms, worst, strict):
    """Exact values near the worst samples: each value snapped to 0, the nearest integer, the nearest
    fraction with denominator <= 12 and a close rational, within the symbol's domain (a boundary such as 0
    for x >= 0 included). Returns ("fails", point, d there) where ``d`` (the margin, >= 0 or > 0 claimed) is
    exactly of the wrong sign; ("tight", point, None) where its sign there cannot be decided; ("zero", point, 0)
    where d is exactly 0 there (a non-strict statement tight at a simple value); else None. A statement that fails
    at a simple value (x**2 > 0 at x = 0; x > 0 for x >= 0) is refuted there instead of left undecided or, worse,
    "checked" from margins that never reach the boundary; one tight there (sqrt(t) + sqrt(1 - t) >= 1 at t = 0,
    where the search's margins stop at 5e-6) is not "checked" either."""
    import itertools
    from fractions import Fraction

    from gantheory.verify._interval import exact_sign

    def near(x, sym):
        x = float(x)
        out = [sp.Integer(0)]
        if abs(x) <= 1e6:  # a huge value is not simple (and exact powers of it could not be evaluated)
            out += [sp.Integer(round(x)), sp.Rational(Fraction(x).limit_denominator(12))]
            # round values of the same sign, by closeness in scale (the failing set often reaches them)
            sgn = 1 if x >= 0 else -1
            out += sorted((sgn * c for c in (sp.Rational(1, 2), sp.Integer(2), sp.Rational(1, 10), sp.Integer(10))),
                          key=lambda c: abs(math.log(abs(float(c))) - math.log(max(abs(x), 1e-300))))
            out.append(sp.Rational(Fraction(x).limit_denominator(10**6)))
            turn = sp.Rational(Fraction(x / math.pi).limit_denominator(12))  # k pi / m: where sin and cos meet
            if turn != 0 and abs(float(turn) * math.pi - x) < 1e-4 * (1 + abs(x)):
                out.append(turn * sp.pi)
        else:  # a huge failing value: round powers of ten of its sign, smallest first (x <= 10**7 fails at 10**8)
            sgn = 1 if x > 0 else -1
            top = min(int(math.ceil(math.log10(abs(x)))), 300)
            out += [sgn * sp.Integer(10) ** k for k in (7, 8, 9, 10, 12, 15, 20, 30, 50, 100, 200, top) if k <= top]
        return list(dict.fromkeys(c for c in out if exact_in_domain(c, sym)))

    tried, tight, zero = set(), None, None
    for _, vals in worst:
        for combo in itertools.islice(itertools.product(*[near(x, sym) for x, sym in zip(vals, syms)]), 64):
            if combo in tried:
                continue
            tried.add(combo)
            point = dict(zip(syms, combo))
            value = _exactly_at(d, point)
            if value is None or value.free_symbols or not (value.is_real and value.is_finite):
                continue  # undefined there (a pole), or not to be had quickly
            s_ = exact_sign(value)
            if s_ is not None and (s_ < 0 or (strict and s_ == 0)):
                return "fails", point, value
            if s_ is None and tight is None:
                tight = ("tight", point, None)
            if s_ == 0 and zero is None:
                zero = ("zero", point, value)
    return tight or zero


#: relative size of a margin that is rounding, not mathematics: float64 sums over at most a few
#: dozen cells of terms of size ~1 carry errors of a few 1e-16 each; 1e-9 leaves a wide berth.
MARGIN_RTOL = 1e-9


def _adversarial_pairs(st, ref):
    """Pairs (reference, other) of discrete distributions that reach where inequalities between
    functionals are tight: the registry's deterministic pairs, random pairs on 2-8 cells, equal pairs,
    point masses, disjoint and nearly disjoint supports, tiny cells and huge ratios. With E[...] in the
    statement (R = other/reference) the other density stays absolutely continuous w.r.t. the reference."""
    import numpy as np

    from gantheory.symbolic._numeric import instances

    ac = any(isinstance(a, (A.E, A.Et, A.GenLoss, A.DiscLoss)) for a in sp.preorder_traversal(st))
    rng = np.random.default_rng(11)
    pairs = list(instances())
    for n in rng.integers(2, 9, 200):
        pairs.append((rng.dirichlet(np.ones(n)), rng.dirichlet(np.ones(n) * rng.uniform(0.2, 3))))
    same = rng.dirichlet(np.ones(4))
    pairs.append((same, same.copy()))
    for n in (2, 3, 5):
        for k in range(n):
            mass = np.zeros(n)
            mass[k] = 1.0
            other = np.full(n, 1.0 / n)
            pairs += [(other, mass), (mass, other)]
            for eps in (1e-3, 1e-9):
                near = (1 - eps) * mass + eps * other
                pairs += [(other, near), (near, other)]
        if not ac:
            left, right = np.zeros(n), np.zeros(n)
            left[: n // 2 or 1], right[n // 2 or 1:] = 1.0, 1.0
            pairs.append((left / left.sum(), right / right.sum()))
            pairs.append((right / right.sum(), left / left.sum()))
    for ratio in (1e3, 1e6, 1e12):
        pairs.append((np.array([1.0, ratio]) / (1 + ratio), np.array([ratio, 1.0]) / (1 + ratio)))
    if _grows_with_cells(st):
        pairs += _wide_pairs()
    if ac:
        pairs = [(r, o) for r, o in pairs if not np.any((r == 0) & (o > 0))]
    return pairs


#: Support sizes searched for functionals whose range grows with the number of cells (entropy up to
#: log n, W1 up to n - 1 with the cells at 0, ..., n - 1). Powers of two: their uniform masses are exact
#: binary fractions, so a failure there is confirmed in exact arithmetic as cheaply as on two cells.
WIDE_CELLS = (16, 64, 256, 1024, 4096)


def _grows_with_cells(st) -> bool:
    """Whether a functional of the statement has a range that grows with the number of cells (W1, entropy,
    cross-entropy), unlike an f-divergence, whose joint range two cells already fill."""
    return any(isinstance(a, A.NONRATIO) for a in sp.preorder_traversal(st))


def _wide_pairs():
    """Structured pairs on WIDE_CELLS cells, where entropy and W1 are extreme: uniform (maximum entropy),
    point masses at the two ends (maximum W1), the two halves, and a point mass blurred by the uniform."""
    import numpy as np

    out = []
    for n in range(3, 9):  # the smallest supports where a bound such as H(p) <= log(n - 1) fails
        uniform, first, last = np.full(n, 1.0 / n), np.zeros(n), np.zeros(n)
        first[0], last[-1] = 1.0, 1.0
        out += [(uniform, uniform.copy()), (uniform, first), (first, uniform), (first, last), (last, first)]
    for n in WIDE_CELLS:
        uniform, first, last = np.full(n, 1.0 / n), np.zeros(n), np.zeros(n)
        first[0], last[-1] = 1.0, 1.0
        low, high = np.zeros(n), np.zeros(n)
        low[: n // 2], high[n // 2:] = 2.0 / n, 2.0 / n
        blurred = (1 - 2.0**-10) * first + 2.0**-10 * uniform
        out += [(uniform, uniform.copy()), (uniform, first), (first, uniform), (uniform, blurred),
                (blurred, uniform), (last, first), (first, last), (uniform, last), (last, uniform),
                (low, high), (high, low), (uniform, low), (low, uniform)]
    return out


def _cells_trend(rows, rounding):
    """For a functional whose range grows with the cells: the smallest margin at each searched support size
    (up to 8 cells together, then each of WIDE_CELLS), and whether it still falls at the largest sizes (by
    more than rounding at each of the last three), so that no finite search reaches its infimum."""
    levels: dict = {}
    for d, lhs, rhs, reference, other in rows:
        n = reference.size
        key = 8 if n <= 8 else n
        if key not in levels or d < levels[key][0]:
            levels[key] = (d, lhs, rhs)
    sizes = sorted(levels)
    worst = [levels[n][0] for n in sizes]
    tail = worst[-4:]
    falling = len(tail) == 4 and all(b < a - rounding(*levels[n][1:]) for a, b, n in zip(tail, tail[1:], sizes[-3:]))
    return [(n, levels[n][0]) for n in sizes], falling


def _reference(st):
    """The reference density of the one pair a statement uses, or None (none, or several pairs)."""
    refs = [r for r in A.REFERENCES if st.has(r) or st.has(A.DENSITY_PAIRS[r])]
    return refs[0] if len(refs) == 1 else None


def _rounding(lhs: float, rhs: float) -> float:
    """The size of a margin that is rounding at these values (0 where a side is infinite)."""
    import numpy as np

    return MARGIN_RTOL * (1 + abs(lhs) + abs(rhs)) if np.isfinite(lhs) and np.isfinite(rhs) else 0.0


def _margins(st, sign, ref, pairs):
    import numpy as np

    from gantheory.symbolic._numeric import evaluate

    out = []
    for reference, other in pairs:
        try:
            with np.errstate(all="ignore"):
                lhs, rhs = evaluate(st.lhs, reference, other, ref), evaluate(st.rhs, reference, other, ref)
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            continue
        if lhs != lhs or rhs != rhs:  # NaN: an undefined value at this pair (not a margin)
            continue
        d = sign * (lhs - rhs) if not (lhs == rhs and abs(lhs) == float("inf")) else 0.0
        out.append((d, lhs, rhs, reference, other))
    return out


def _xrep_rel(st, fn):
    return type(st)(fn(st.lhs), fn(st.rhs), evaluate=False)


def _functional_search(st) -> Evidence:
    """An inequality between functionals (KL, JSD, E[...], W1, entropy, ...) that no reduction decides:
    searched adversarially (:func:`_adversarial_pairs`), then the margin is minimized locally from the
    three worst pairs (softmax parameters, SciPy's Nelder-Mead). Refuted by a pair where it fails beyond
    rounding; "checked" only with a smallest margin clear of rounding; else undecided."""
    import numpy as np
    from scipy.optimize import minimize

    from gantheory.symbolic._numeric import evaluate

    strict = isinstance(st, (sp.StrictGreaterThan, sp.StrictLessThan))
    sign = 1 if isinstance(st, (sp.GreaterThan, sp.StrictGreaterThan)) else -1
    ref = _functional_reference(st)
    if ref is None:
        return Evidence(None, "numeric",
                        "the statement must use one pair of densities (p_r/p_R, p_data/p_g or p_2/p_1)")
    pairs = _adversarial_pairs(st, ref)
    rows = _margins(st, sign, ref, pairs)
    if not rows:
        return Evidence(None, "numeric", "no pair of distributions gives both sides a value")
    rows.sort(key=lambda r: r[0])

    def confirmed_failure():
        # the fewest cells first (a readable counterexample), then the largest failure
        failing = sorted((r for r in rows if r[0] < -_rounding(r[1], r[2]) or (strict and r[0] <= 0)),
                         key=lambda r: (r[3].size, r[0]))[:20]
        for d_f, lhs_f, rhs_f, ref_f, oth_f in failing:  # a failure is confirmed exactly, or it is not one
            confirmed = _confirm_exactly(st, sign, strict, ref, ref_f, oth_f)
            if confirmed is True:
                return failing, Evidence(
                    False, "numeric", "the inequality fails on a pair of distributions (confirmed in exact "
                    "arithmetic at these masses)", {str(ref): ref_f, str(A.DENSITY_PAIRS[ref]): oth_f,
                                                    "lhs": lhs_f, "rhs": rhs_f})
            if confirmed is None and d_f < -1e-6 * (1 + abs(lhs_f) + abs(rhs_f)):  # no exact route: clear margin only
                return failing, Evidence(
                    False, "numeric", "the inequality fails on a pair of distributions (float64; no exact "
                    "evaluation of these functionals)", {str(ref): ref_f, str(A.DENSITY_PAIRS[ref]): oth_f,
                                                         "lhs": lhs_f, "rhs": rhs_f})
        return failing, None

    # a failure among the searched pairs is confirmed first; the local minimization (hundreds of evaluations of
    # both sides from each start) runs only where none is
    failing, refuted = confirmed_failure()
    if refuted is not None:
        return refuted
    small = [r for r in rows if r[3].size <= 8]
    for d0, lhs, rhs, reference, other in small[:3]:  # local minimization of the margin (a few cells)
        n = reference.size

        def margin(z, n=n):
            r = np.exp(z[:n] - z[:n].max())
            o = np.exp(z[n:] - z[n:].max())
            r, o = r / r.sum(), o / o.sum()
            with np.errstate(all="ignore"):
                try:
                    val = sign * (evaluate(st.lhs, r, o, ref) - evaluate(st.rhs, r, o, ref))
                except (ValueError, ZeroDivisionError, OverflowError, TypeError):
                    return 1e300
            return val if np.isfinite(val) else 1e300

        z0 = np.concatenate([np.log(np.maximum(reference, 1e-12)), np.log(np.maximum(other, 1e-12))])
        res = minimize(margin, z0, method="Nelder-Mead", options={"maxiter": 300, "xatol": 1e-10, "fatol": 1e-14})
        r = np.exp(res.x[:n] - res.x[:n].max())
        o = np.exp(res.x[n:] - res.x[n:].max())
        rows += _margins(st, sign, ref, [(r / r.sum(), o / o.sum())])
    rows.sort(key=lambda r: r[0])
    d, lhs, rhs, reference, other = rows[0]
    scale = _rounding(lhs, rhs)
    cex = {str(ref): reference, str(A.DENSITY_PAIRS[ref]): other, "lhs": lhs, "rhs": rhs}
    if small:  # the minimization added pairs: their failures are confirmed as the others were
        failing, refuted = confirmed_failure()
        if refuted is not None:
            return refuted
    if failing:
        return Evidence(None, "numeric", f"the margin is negative in float64 ({failing[0][0]:.3g}) at "
                        f"{_pair_text(failing[0][3], failing[0][4])}, but exact arithmetic does not confirm it")
    wide = _grows_with_cells(st)
    searched = (f"{len(pairs)} pairs on 2-8 cells (point masses, disjoint and nearly disjoint supports, tiny "
                "cells, huge ratios, equal pairs)"
                + (f" and on {WIDE_CELLS[0]}-{WIDE_CELLS[-1]} cells (uniform, point masses at the ends, halves), "
                   "where entropy and W1 grow" if wide else "")
                + " and a local minimization of the margin from the 3 worst")
    if wide:
        levels, falling = _cells_trend(rows, _rounding)
        if falling:
            shown = "; ".join(f"{'2-8' if n == 8 else n} cells: {m:.4g}" for n, m in levels)
            return Evidence(None, "numeric", "no failure found, but the smallest margin still falls as the number "
                            f"of cells grows ({shown}): entropy and W1 grow without bound with the cells, so no "
                            "finite search reaches where the statement is tight", cex)
    if abs(d) <= scale or (strict and d <= scale):
        return Evidence(None, "numeric", f"the smallest margin is within rounding of zero ({d:.3g}, at "
                        f"{_pair_text(reference, other)}) after {searched}", cex)
    return Evidence(True, "numeric", f"holds on {searched}; smallest margin {d:.3g}")


def _exact_values(expr, ref, masses, other_masses) -> dict | None:
    """Every functional of ``expr`` (a statement or an expression) at one pair of distributions, exactly: ``ref`` has
    the rational ``masses``, its pair's other density ``other_masses``. None where one has no exact evaluation."""
    from gantheory.verify.joint_range import exact_value

    env = {ref: tuple(masses), A.DENSITY_PAIRS[ref]: tuple(other_masses)}
    values = {}
    for a in dict.fromkeys(a for a in sp.preorder_traversal(expr) if isinstance(a, A.FUNCTIONALS + A.NONRATIO)):
        v = exact_value(a, ref, env)
        if v is None:
            return None
        values[a] = v
    return values


def _confirm_exactly(st, sign, strict, ref, reference, other):
    """True / False: the statement fails / holds at these masses in exact arithmetic (the floats as the
    binary rationals they are, renormalized); None where a functional has no exact evaluation."""
    from gantheory.verify._interval import exact_sign

    def rational(v):
        r = [sp.Rational(float(x)) for x in v]
        total = sum(r)
        return tuple(x / total for x in r)

    values = _exact_values(st, ref, rational(reference), rational(other))
    if values is None:
        return None
    margin = sign * (st.lhs.xreplace(values) - st.rhs.xreplace(values))
    if margin.has(sp.nan, sp.zoo) or (margin.has(sp.oo) and margin.has(-sp.oo)):
        return None
    s_ = exact_sign(margin)
    if s_ is None:
        return None
    return s_ < 0 or (strict and s_ == 0)


def _pair_text(reference, other) -> str:
    import numpy as np

    return f"({np.array2string(np.asarray(reference), precision=3)}, {np.array2string(np.asarray(other), precision=3)})"


def _functional_inequality(st) -> Evidence:
    """An inequality between functionals: decided on two-point distributions where it is a function of
    f-divergences of one pair (:mod:`gantheory.verify.joint_range`), else searched adversarially."""
    from gantheory.verify.joint_range import NotReducible, decide_fdiv_inequality

    every = _for_every_function(st)
    if every is not None:
        return every
    original = st
    # cross-entropy by its definition, H(p, q) = H(p) + KL(p || q): the entropies then often cancel
    st = _xrep_rel(st, lambda e: e.replace(lambda a: isinstance(a, A.CrossEntropy),
                                           lambda a: A.Entropy(a.args[0]) + A.KL(a.args[0], a.args[1])))
    st = type(st)(sp.expand(st.lhs - st.rhs), 0, evaluate=False) if any(
        isinstance(a, A.Entropy) for a in sp.preorder_traversal(st)) else st
    try:
        ev = decide_fdiv_inequality(st, deadline=_DEADLINE.get("t"))
    except NotReducible:
        ev = _functional_search(st)
        if ev.holds is not False:  # a sum over cells of a term of one sign: proved termwise (H(p) >= 0)
            termwise = _termwise_inequality(original)
            if termwise is not None:
                return termwise
        return _with_function_values(original, _as_stated(original, ev))
    if ev.holds is not None:
        return ev
    ev2 = _functional_search(st)  # a set {Phi >= 0} that is not convex can fail on three or more points
    if ev2.holds is False:
        return _as_stated(original, ev2)
    return Evidence(None, ev.method, ev.detail, steps=ev.steps)


def _with_function_values(st, ev: Evidence) -> Evidence:
    """A searched counterexample of a statement with a function of the point inside its expectations (D(x), T(x),
    a general g(y)) gives that function's values on the cells: the search drew them (fixed pseudo-random values,
    :func:`gantheory.symbolic._numeric.arbitrary_values`), and the pair alone does not reproduce the failure."""
    import numpy as np

    from gantheory.symbolic._numeric import arbitrary_values

    cex = ev.counterexample
    ref = _functional_reference(st)
    if not cex or ref is None or not isinstance(cex.get(str(ref)), np.ndarray):
        return ev
    inside = set()
    for a in sp.preorder_traversal(st):
        if isinstance(a, (A.E, A.Et)):
            inside |= a.free_symbols - A.DENSITIES - {A.R}
    if not inside:
        return ev
    shape = cex[str(ref)].shape
    values = {f"{s} (on the cells)": [float(v) for v in arbitrary_values(s, shape)] for s in sorted(inside, key=str)}
    return Evidence(ev.holds, ev.method, ev.detail, {**cex, **values}, steps=ev.steps)


def _as_stated(st, ev: Evidence) -> Evidence:
    """A searched pair's counterexample in the user's terms: the two sides of the statement as typed (the
    search may have moved everything to one side), and only the densities the statement names."""
    import numpy as np

    from gantheory.symbolic._numeric import evaluate

    cex = ev.counterexample
    ref = _functional_reference(st)
    if not cex or ref is None or str(ref) not in cex or "lhs" not in cex:
        return ev
    other = A.DENSITY_PAIRS[ref]
    named = st.has(ref) or st.has(other)  # expectations alone (E, Et) name neither: both are kept
    out = {k: v for k, v in cex.items() if k not in ("lhs", "rhs")
           and not (named and k in (str(ref), str(other)) and not st.has(ref if k == str(ref) else other))}
    try:
        with np.errstate(all="ignore"):
            out["lhs"] = evaluate(st.lhs, cex[str(ref)], cex[str(other)], ref)
            out["rhs"] = evaluate(st.rhs, cex[str(ref)], cex[str(other)], ref)
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        return ev
    return Evidence(ev.holds, ev.method, ev.detail, out, steps=ev.steps)


def _functional_equation(st) -> Evidence:
    """An equation between functionals that include W1 (no symbolic route: W1 is not an expectation of a
    function of R): both sides on the pairs of :func:`_adversarial_pairs`, equal to 1e-9 (1 + |rhs|)
    (float64 sums of a few cells; the tolerance is 10^7 ulps)."""
    ref = _reference(st)
    if ref is None:
        return Evidence(None, "numeric", "the statement must use one pair of densities")
    count = 0
    for d, lhs, rhs, reference, other in _margins(st, 1, ref, _adversarial_pairs(st, ref)):
        if abs(lhs - rhs) > MARGIN_RTOL * (1 + abs(rhs)):
            return Evidence(False, "numeric", "the two sides differ on a pair of distributions",
                            {str(ref): reference, str(A.DENSITY_PAIRS[ref]): other, "lhs_minus_rhs": lhs - rhs})
        count += 1
    termwise = _termwise_identity(st, ref)
    if termwise is not None:
        return termwise
    return Evidence(True, "numeric", f"the two sides agree to 1e-9 on {count} pairs of discrete distributions "
                    "(W1 with the cells at 0, 1, ..., n - 1; point masses and disjoint supports included)")


def _per_cell(diff, ref):
    """``(cell, p, q)``: ``diff`` (an expression affine in functionals that are sums over cells: entropy
    -sum p log p, cross-entropy -sum p log q, f-divergences sum q f(p/q)) as one cell's term in that cell's
    masses p, q, a constant c counted as c q (sum q = 1); None where a functional is not a sum over cells
    (W1) or diff is not affine in them."""
    from gantheory.verify.joint_range import NotReducible, U, _generator_of

    other = A.DENSITY_PAIRS[ref]
    P, Q = sp.Symbol(f"{other}(x)", positive=True), sp.Symbol(f"{ref}(x)", positive=True)  # one cell's masses
    cells = {other: P, ref: Q}
    atoms = [a for a in sp.preorder_traversal(diff) if isinstance(a, (A._Atom,)) and a.has(other, ref)]
    atoms = [a for a in atoms if not any(b is not a and a.has(b) for b in atoms)]  # the outermost
    if not atoms or any(isinstance(a, A.W1) for a in atoms):
        return None
    marks = {a: sp.Dummy() for a in atoms}
    marked = diff.xreplace(marks)
    if marked.has(other, ref) or any(sp.diff(marked, m).has(*marks.values()) for m in marks.values()):
        return None  # densities outside a functional, or not affine in the functionals
    # a constant c is c times a density that sums to 1: the one the statement uses (both: the reference)
    cell = marked.xreplace({m: 0 for m in marks.values()}) * (P if not diff.has(ref) else Q)
    for atom, m in marks.items():
        if isinstance(atom, A.Entropy):
            a = atom.args[0].xreplace(cells)
            term = -a * sp.log(a)
        elif isinstance(atom, A.CrossEntropy):
            a, b = (x.xreplace(cells) for x in atom.args[:2])
            term = -a * sp.log(b)
        elif isinstance(atom, A.Int):  # a sum (or integral) over the points, typed out: its summand
            term = atom.args[0].xreplace(cells)
            if term.free_symbols - {P, Q}:
                return None
        else:
            try:
                f, (Pe, Qe), _ = _generator_of(atom, ref)
            except NotReducible:
                return None
            Pc, Qc = Pe.xreplace(cells), Qe.xreplace(cells)
            term = Qc * f.subs(U, Pc / Qc)
        cell += sp.diff(marked, m) * term
    return cell, P, Q


def _termwise_inequality(st) -> Evidence | None:
    """A sufficient condition for Phi >= 0 where Phi is a sum over cells (:func:`_per_cell`) of a term in one
    cell's mass alone (H(p) >= 0: -p log p): the term is >= 0 for every mass in (0, 1] (a one-variable
    inequality, its limit at 0 included). Non-strict statements only; None where it does not apply."""
    from gantheory.symbolic._simplify import simplified

    if not isinstance(st, (sp.GreaterThan, sp.LessThan)):
        return None
    ref = _reference(st)
    if ref is None:
        return None
    margin = st.lhs - st.rhs if isinstance(st, sp.GreaterThan) else st.rhs - st.lhs
    got = _per_cell(margin, ref)
    if got is None:
        return None
    cell, P, Q = got
    cell = sp.expand_log(sp.expand(cell), force=True)
    free = cell.free_symbols
    if len(free) == 2:  # both masses: SymPy's sign facts with p = 1/(1 + a), q = 1/(1 + b), a, b >= 0
        a, b = sp.Symbol("a", nonnegative=True), sp.Symbol("b", nonnegative=True)
        if simplified(sp.expand_log(cell.xreplace({P: 1 / (1 + a), Q: 1 / (1 + b)}), force=True)).is_nonnegative:
            return Evidence(True, "symbolic", f"termwise: each cell contributes {cell} >= 0 for masses in (0, 1] "
                            "(SymPy's sign facts), so the sum is >= 0 for every pair of discrete distributions",
                            steps=(("each functional as a sum over cells of a term in that cell's masses", cell),))
        return None
    if len(free) != 1:
        return None
    (x,) = free
    import numpy as np

    grid = np.linspace(1e-9, 1.0, 2001)
    with np.errstate(all="ignore"):
        vals = np.asarray(sp.lambdify(x, cell, "numpy")(grid), dtype=float) * np.ones_like(grid)
    if not np.all(np.isfinite(vals)):
        return None
    ev = _one_variable_extremes(cell, x, False, float(vals.min()), domains=[sp.Interval.Lopen(0, 1)])
    if ev is None or ev.holds is not True:
        return None
    steps = (("each functional as a sum over cells of a term in that cell's mass (a constant c as c times the "
              "other mass, which sums to 1)", cell), *ev.steps[1:],
             ("each term is >= 0 for every mass in (0, 1], so is their sum", None))
    return Evidence(True, "symbolic", f"termwise: each cell contributes {cell} >= 0 (for a mass in (0, 1]), so the "
                    "sum is >= 0 for every discrete distribution (masses in [0, 1]; for densities, where p(x) may "
                    "exceed 1, this argument does not apply: a differential entropy can be negative)", steps=steps)


def _termwise_identity(st, ref) -> Evidence | None:
    """An identity between functionals that are sums over cells (:func:`_per_cell`), affine in them: the
    per-cell difference of the two sides must be a p + b q with a + b = 0 (it sums to a + b = 0). Proved for
    every pair with positive cells; the caller has compared both sides on pairs with point masses and
    disjoint supports too. None where the difference is not of that form."""
    from gantheory.symbolic._simplify import simplified

    got = _per_cell(st.lhs - st.rhs, ref)
    if got is None:
        return None
    cell, P, Q = got
    cell = simplified(sp.expand_log(sp.expand(cell), force=True))
    alpha, beta = simplified(sp.diff(cell, P)), simplified(sp.diff(cell, Q))
    if alpha.free_symbols or beta.free_symbols or simplified(cell - alpha * P - beta * Q) != 0:
        return None
    gap = simplified(alpha + beta)
    if gap != 0:  # the sides differ by the same constant on every pair (seen below rounding by the numbers)
        return Evidence(False, "symbolic", f"termwise: the two sides differ by {cell} per cell, so by {gap} on every "
                        "pair of distributions", {str(A.DENSITY_PAIRS[ref]): "(1/2, 1/2)", str(ref): "(1/2, 1/2)",
                                                  "lhs_minus_rhs": str(gap), "per_cell": str(cell)})
    steps = (("each functional as a sum over cells of a function of the cell's masses p, q; a constant c as the "
              "sum of c q", None),
             ("the difference of the two sides, per cell", cell),
             ("of the form a p + b q with a + b = 0, so it sums to a + b = 0 over the cells", sp.Tuple(alpha, beta)))
    return Evidence(True, "symbolic", f"termwise: the two sides differ by {cell} per cell, which sums to 0 (sum p = "
                    "sum q = 1); for every pair with positive cells, and equal on point masses and disjoint supports",
                    steps=steps)


_DEADLINE: dict = {}


def _normalize_densities(st):
    """Users write KL(p_g || p_r) with R = p_g / p_r: gantheory's pairs are (p_r, p_R) and (p_data, p_g).
    A statement that mixes p_g with p_r (and not p_data) means p_R; one that mixes p_R with p_data means p_g."""
    fs = st.free_symbols
    # density positions: both arguments of KL, JSD, C(G), W1, and the first two of V and the KR dual
    named = [a for a in sp.preorder_traversal(st)
             if isinstance(a, (A.KL, A.JSD, A.VirtualCriterion, A.W1, A.ValueFn, A.KRDual, A.NamedFDiv, A.FDiv,
                               A.Entropy, A.CrossEntropy))]
    unknown = []
    for atom in named:
        args = atom.densities if isinstance(atom, A.NamedFDiv) else atom.args[1:3] if isinstance(atom, A.FDiv) \
            else atom.args[:2]
        for arg in args:
            for x in sorted(arg.free_symbols, key=str) if not isinstance(arg, sp.Symbol) else [arg]:
                if isinstance(x, sp.Symbol) and x not in A.DENSITIES and x != A.R and x not in unknown \
                        and x.name not in ("D", "f", "f^*", "y"):
                    unknown.append(x)
    bar = [x for x in unknown if x.name in ("p_bar", "pbar", "bar_p")]
    if bar and len(unknown) == 3:  # p-bar, the seeds' mixture (p_a + p_b)/2 of the other two
        a, b = [x for x in unknown if x not in bar]
        st = _xrep(st, {bar[0]: (a + b) / 2})
        unknown = [a, b]
    bar = [x for x in st.free_symbols if getattr(x, "name", "") in ("p_bar", "pbar", "bar_p")]
    pairs = [(r, o) for r, o in A.DENSITY_PAIRS.items() if r in fs or o in fs]
    if bar and set(unknown) <= set(bar) and len(pairs) == 1:  # p-bar next to a named pair: their mixture
        r, o = pairs[0]
        return _xrep(st, {bar[0]: (r + o) / 2}), f"{bar[0]} read as ({o} + {r})/2 (the mixture)"
    if unknown and not (fs & A.DENSITIES):
        if len(unknown) > 2:
            raise StatementError(f"more than two densities ({', '.join(map(str, unknown))}): gantheory's functionals "
                                 "compare two densities")
        # p (p_a) is p_1 and q (p_b) is p_2 (the reference) whatever their order, so that E_{x ~ q}[...] (read as
        # E, under the reference) and E_{x ~ p}[...] (Et) mean what they say in KL(q || p) too; others by appearance
        fixed = {x: slot for x in unknown for name, slot in (("p", A.p_1), ("q", A.p_2), ("P", A.p_1), ("Q", A.p_2),
                                                             ("p_a", A.p_1), ("p_b", A.p_2)) if x.name == name}
        free_slots = [slot for slot in (A.p_1, A.p_2) if slot not in fixed.values()]
        rename = {**fixed, **dict(zip([x for x in unknown if x not in fixed], free_slots))}
        rename = {x: rename[x] for x in unknown if x in rename}
        return _xrep(st, rename), ", ".join(f"{k} read as {v}" for k, v in rename.items()) + \
            " (densities; p_2 is the reference)"
    if A.p_g in fs and A.p_r in fs and A.p_data not in fs:
        return _xrep(st, {A.p_g: A.p_R}), "p_g read as p_R (the generator density of the pair p_r, R = p_g/p_r)"
    if A.p_R in fs and A.p_data in fs and A.p_r not in fs:
        return _xrep(st, {A.p_R: A.p_g}), "p_R read as p_g (the pair p_data, p_g)"
    return st, None


def verifier_label(verifier) -> str:
    """A verifier's name as words (no private spelling on a verdict line)."""
    name = getattr(verifier, "__name__", str(verifier))
    return name.strip("_").replace("_", " ")


def _with_bayes(st, decide) -> Evidence:
    """The optimal discriminator D*(R) = f*(R) *derived* (the maximizer of log f + R log(1 - f) over (0, 1),
    solved by SymPy with its concavity checked), substituted into the statement, which ``decide`` decides;
    the derivation's first two steps say so."""
    from gantheory.symbolic._reduce import bayes_discriminator

    star = bayes_discriminator()
    plain = st.func(*[side.replace(lambda e: isinstance(e, A.BayesDisc), lambda e: star.subs(A.R, e.args[0]))
                      for side in (st.lhs, st.rhs)], evaluate=False)
    ev = decide(plain)
    steps = (("D* derived: the maximizer over (0, 1) of log f + R log(1 - f)", sp.Eq(A.BayesDisc(A.R), star)),
             ("the statement with D* substituted", plain), *ev.steps)
    return Evidence(ev.holds, ev.method, ev.detail, ev.counterexample, steps=steps)


def _pointwise_bayes(st) -> Evidence:
    """A pointwise statement about the optimal discriminator: D* derived and substituted (:func:`_with_bayes`),
    and the plain statement decided."""
    from gantheory.verify import calculus as VC

    return _with_bayes(st, lambda plain: VC.calculus_identity(plain) if isinstance(plain, sp.Equality)
                       else _at_the_ratios_ends(plain, _plain_inequality(plain)))


def _at_the_ratios_ends(plain, ev: Evidence) -> Evidence:
    """A pointwise inequality about D*(x) = p_data(x)/(p_data(x) + p_g(x)) (seed 003, where either density may
    vanish: no Omega_g there) that holds for 0 < R < oo, tested where one density vanishes: R = 0 (p_g(x) = 0 <
    p_data(x), where D* = 1) and R = oo (p_data(x) = 0 < p_g(x), where D* = 0), as limits. ``D*(x) < 1`` fails
    at the first, ``D*(x) > 0`` at the second: refuted there, with the caveat named."""
    from gantheory.verify._interval import exact_sign

    if ev.holds is not True or plain.free_symbols != {A.R}:
        return ev
    strict = isinstance(plain, (sp.StrictGreaterThan, sp.StrictLessThan))
    sign = 1 if isinstance(plain, (sp.GreaterThan, sp.StrictGreaterThan)) else -1
    margin = sign * (plain.lhs - plain.rhs)
    for end, side, where in ((sp.Integer(0), "+", "p_g(x) = 0 < p_data(x) (R = 0)"),
                             (sp.oo, "-", "p_data(x) = 0 < p_g(x) (R = oo)")):
        try:
            lim = sp.limit(margin, A.R, end, side)
        except (NotImplementedError, ValueError, TypeError):
            return Evidence(None, ev.method, ev.detail + f"; not decided where {where}")
        sg = exact_sign(lim)
        if sg is None:
            return Evidence(None, ev.method, ev.detail + f"; not decided where {where}")
        if sg < 0 or (strict and sg == 0):
            sides = {"lhs": str(sp.limit(plain.lhs, A.R, end, side)), "rhs": str(sp.limit(plain.rhs, A.R, end, side))}
            return Evidence(False, "symbolic", f"holds where both densities are positive (R > 0, as in seed 000's "
                            f"Omega_g), but D*(x) is defined where one vanishes too, and it fails where {where}: "
                            f"the limit of lhs - rhs there is {sign * lim}", {"R": str(end), "where": where, **sides},
                            steps=ev.steps)
    return Evidence(True, ev.method, ev.detail + "; also where one density vanishes (R = 0 and R = oo, as limits)",
                    ev.counterexample, steps=ev.steps)


def _functional_not_equal(st) -> Evidence:
    """``lhs != rhs`` between functionals of one pair of distributions. Read for every pair (never equal), it is proved
    where lhs > rhs or lhs < rhs is proved for every pair. Where the sides meet at some pair (p = q is tried first,
    then a few two- and three-point pairs and their swaps), the statement is refuted only if they meet at every pair
    (the equation lhs = rhs is proved: ``JSD(p, q) != JSD(q, p)``); where they also differ at a pair, a slide means
    "not the same functional" (``KL(p || q) != KL(q || p)``: KL is not symmetric), which holds, while "never equal"
    fails: undecided, with both pairs said. (Every verifier refused an Unequality: it was undecided without a
    reason.)"""
    from gantheory.verify._interval import exact_sign

    ref = _reference(st)
    if ref is None:
        return Evidence(None, "numeric", "the statement must use one pair of densities (p_r/p_R, p_data/p_g or "
                        "p_2/p_1)")
    other = A.DENSITY_PAIRS[ref]
    half, third, quarter, most = sp.Rational(1, 2), sp.Rational(1, 3), sp.Rational(1, 4), sp.Rational(3, 4)
    pairs = [((half, half), (half, half)), ((quarter, most),) * 2, ((third,) * 3,) * 2,
             ((quarter, most), (most, quarter)), ((half, half), (quarter, most)), ((quarter, most), (half, half)),
             ((sp.Integer(1), sp.Integer(0)), (sp.Integer(0), sp.Integer(1)))]
    meet = differ = None
    for a_, b_ in pairs:
        values = _exact_values(st, ref, a_, b_)
        if values is None:
            continue
        lhs, rhs = st.lhs.xreplace(values), st.rhs.xreplace(values)
        if lhs.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or rhs.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            continue
        sg = exact_sign(sp.simplify(lhs - rhs))
        at = {str(ref): str(a_), str(other): str(b_), "lhs": str(sp.simplify(lhs)), "rhs": str(sp.simplify(rhs))}
        if sg == 0 and meet is None:
            meet = at
        elif sg not in (0, None) and differ is None:
            differ = at
    if meet is not None:
        def pair(at):
            return f"{ref} = {at[str(ref)]}, {other} = {at[str(other)]}"

        if differ is not None:
            return Evidence(None, "symbolic", f"the sides meet at {pair(meet)} (both {meet['lhs']}) and differ at "
                            f"{pair(differ)} ({differ['lhs']} and {differ['rhs']}, exact): they are not the same "
                            "functional (true as 'not equal in general'), but they are not different at every pair "
                            "(false as 'never equal'); say which is meant")
        ev, _ = _decided(sp.Eq(st.lhs, st.rhs, evaluate=False))
        if ev is not None and ev.holds:
            return Evidence(False, ev.method, f"the two sides are equal at every pair ({ev.detail}); at {pair(meet)} "
                            f"both are {meet['lhs']}", meet, steps=ev.steps)
        return Evidence(None, "symbolic", f"the sides meet at {pair(meet)}; no pair tried makes them differ")
    for rel, word in ((sp.StrictGreaterThan, ">"), (sp.StrictLessThan, "<")):
        ev, _ = _decided(rel(st.lhs, st.rhs, evaluate=False))
        if ev is not None and ev.holds:
            return Evidence(True, ev.method, f"lhs {word} rhs for every pair, so they never meet: {ev.detail}",
                            steps=ev.steps)
    return Evidence(None, "numeric", "no pair tried makes the sides equal, and neither side is proved larger for "
                    "every pair")


def _decided(st) -> tuple[Evidence | None, str]:
    """The first verdict of :func:`_candidates`' verifiers on ``st`` that decides it, with the verifier's label."""
    for verifier in _candidates(st):
        ev, _ = _run(verifier, st)
        if ev is not None and ev.holds is not None:
            return ev, verifier_label(verifier)
    return None, ""


_FLIPPED = {sp.Equality: sp.Equality, sp.GreaterThan: sp.LessThan, sp.LessThan: sp.GreaterThan,
            sp.StrictGreaterThan: sp.StrictLessThan, sp.StrictLessThan: sp.StrictGreaterThan}


#: The letters that stand for a discriminator's value at a point inside an expectation, by name, with the values
#: it takes: seed 003's D(x) and seed 000's f(y) map into (0, 1); f-GAN's critic T(x) takes any real value
#: (Nowozin et al. 2016, eq. (4): D_f(P || Q) >= sup_T E_P[T] - E_Q[f*(T)]).
_POINTWISE_FUNCTIONS = {"D": sp.Interval.open(0, 1), "f": sp.Interval.open(0, 1), "T": sp.Reals}

_EDGE_CAVEAT = ("where one density vanishes the pointwise optimum is approached at an end of the range, not "
                "attained: there it is a supremum")


def _pointwise_optimum(expr, x, interval, ref, word):
    """(the integrand, over ``ref``, of the optimum of ``expr`` over functions x of the point with values in
    ``interval``; the optimizer x*(R)). ``expr`` is affine in expectations of functions of x and R; the optimum is
    taken point by point, where the integrand is strictly concave (max) or convex (min) in x with one critical
    point inside (:func:`gantheory.symbolic._reduce.pointwise_argmax`, which derives it). Raises NotDerivable where
    that is not shown (in time), or where x also occurs outside the expectations."""
    from gantheory.symbolic._reduce import NotDerivable, _functional_atoms, integrand, pointwise_argmax
    from gantheory.symbolic._simplify import simplified

    if expr.xreplace({a: sp.Dummy() for a in _functional_atoms(expr)}).has(x):
        raise NotDerivable(f"{x} occurs outside the expectations")
    try:
        phi = integrand(expr, ref)
        star = call_with_time_limit(pointwise_argmax, ATTEMPT_SECONDS, phi if word == "max" else -phi, x, interval)
    except (TimeLimitExceeded, NotImplementedError, ValueError, TypeError) as exc:
        raise NotDerivable(f"the critical point is not found ({type(exc).__name__}: {exc})") from exc
    if star.has(x):
        raise NotDerivable(f"the pointwise optimizer {star} is not a function of R")
    return simplified(phi.xreplace({x: star})), star


def _functional_reference(st):
    """The reference density of the one pair a functional statement uses; p_r where it names none (expectations
    alone: E is under the reference, Et under the other, whatever their names); None for several pairs."""
    ref = _reference(st)
    if ref is None and not any(st.has(d) for d in A.DENSITIES):
        return A.p_r
    return ref


def _function_optimum(opt, rhs):
    """(ref, the optimum's integrand over ref, x*, the step that says so) for ``max_x J(x)`` (or min) over functions x
    of the point, taken point by point (:func:`_pointwise_optimum`); an undecided Evidence where it is not derived."""
    from gantheory.symbolic._reduce import NotDerivable
    from gantheory.verify.general import interval_text

    g, x, interval = opt.args
    word = "max" if isinstance(opt, A.MaxOver) else "min"
    ref = _functional_reference(sp.Eq(g, rhs, evaluate=False))
    if ref is None or not isinstance(interval, sp.Interval):
        return Evidence(None, "symbolic", f"the {word} is not over a function of the point of one pair of densities")
    try:
        value, star = _pointwise_optimum(g, x, interval, ref, word)
    except NotDerivable as exc:
        return Evidence(None, "symbolic", f"the {word} over functions {x} is not derived point by point ({exc})")
    shape = "concave" if word == "max" else "convex"
    step = (f"the {word} over functions {x} of the point with values in {interval_text(interval)}, taken point by "
            f"point: the integrand is strictly {shape} in {x} with one critical point, {x}* = {star} (R = "
            f"{A.DENSITY_PAIRS[ref]}/{ref}), so the {word} is E_{ref}[{value}] ({_EDGE_CAVEAT})")
    return ref, value, star, step


def _optimum_over_functions(opt, rhs, rel) -> Evidence:
    """``max_D J(D) REL w`` (or min) with J affine in expectations of functions of D(x) and R, over every function
    D of the point with values in the range the subscript gives (a lone D or f: (0, 1); T: the reals):
    the optimum is taken point by point (:func:`_function_optimum`: the integrand strictly concave in D with one
    critical point D*(R)), and ``E[phi(D*(R), R)] REL w`` is then decided as any functional statement (seed 003:
    max_D V(G, D) = -log 4 + 2 JSD(p_data || p_g), Goodfellow et al. 2014, Theorem 1's proof)."""
    derived = _function_optimum(opt, rhs)
    if isinstance(derived, Evidence):
        return derived
    ref, value, _, step = derived
    reduced = rel(A.E(value), rhs, evaluate=False)
    ev, _ = _decided(reduced)
    if ev is None:
        return Evidence(None, "symbolic", f"{step}; the statement {reduced} is not decided")
    if _reference(reduced) is None:  # decided on p_r/p_R: said in the statement's pair
        ev = _said_in_pair(ev, ref)
    return Evidence(ev.holds, ev.method, f"{step}; the statement is then {reduced}: {ev.detail}", ev.counterexample,
                    steps=((step, sp.Eq(opt, A.E(value), evaluate=False)), *ev.steps))


def _nested_optimum(opt, rhs, rel) -> Evidence:
    """``min_G max_D J(D, G) REL w``: the inner optimum over functions D derived point by point
    (:func:`_function_optimum`), then the outer one over generators (:func:`_optimum_over_generators`)."""
    inner = opt.args[0]
    derived = _function_optimum(inner, rhs)
    if isinstance(derived, Evidence):
        return derived
    ref, value, _, step = derived
    outer = type(opt)(A.E(value), *opt.args[1:])
    ev = _optimum_over_generators(outer, rhs, rel, "max" if isinstance(opt, A.MaxOver) else "min", ref)
    return Evidence(ev.holds, ev.method, f"the inner optimum first: {step}; {ev.detail}", ev.counterexample,
                    steps=((step, sp.Eq(inner, A.E(value), evaluate=False)), *ev.steps))


def _optimum_over_generators(opt, rhs, rel, word, ref=None) -> Evidence:
    """``min_G F REL w`` (or max) with F a functional of one pair of densities whose second one is the generator's
    (p_g): the optimum over every distribution p_g, G ranging over all generators (the non-parametric setting of
    Goodfellow et al. 2014, Theorem 1). ``min_G F >= w`` is ``F >= w`` at every pair; ``min_G F = w`` is that and
    ``F = w`` at p_g = p_data (the two-point uniform pair, exactly); ``min_G F <= w`` holds where F <= w at p_g =
    p_data, and fails where ``F > w`` at every pair. Refuted where F goes below w (``= w``, ``>= w``); the rest is
    undecided."""
    from gantheory.verify._interval import exact_sign

    F = opt.args[0]
    ref = ref or _functional_reference(sp.Eq(F, rhs, evaluate=False))
    if ref is None or rhs.has(*A.DENSITIES) or rhs.has(*A.FUNCTIONALS):
        return Evidence(None, "symbolic", "an optimum over the generator G is compared with a value free of the "
                        "densities, for one pair of densities")
    sign = 1 if word == "min" else -1  # max_G F REL w  <=>  min_G (-F) REL' -w
    small, w = sign * F, sign * rhs
    rel = rel if word == "min" else _FLIPPED[rel]
    one, zero, half = sp.Integer(1), sp.Integer(0), sp.Rational(1, 2)
    # where an optimum over every distribution p_g is reached: p_g = p_data (divergences' minimum) or disjoint
    # supports (their maximum); each value exact
    other = A.DENSITY_PAIRS[ref]
    candidates = [(f"{other} = {ref}", (half, half), (half, half)), ("disjoint supports", (one, zero), (zero, one))]
    reached = []  # (where, the pair as said, the sign of F - w there)
    for where_, a_, b_ in candidates:
        values = _exact_values(small, ref, a_, b_)
        if values is None:
            continue
        gap = sp.simplify(small.xreplace(values) - w)
        if gap.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            continue
        sg = exact_sign(gap)
        if sg is not None:
            pair = {str(ref): f"({a_[0]}, {a_[1]})", str(other): f"({b_[0]}, {b_[1]})"}
            reached.append((where_, pair, sg, sign * small.xreplace(values)))
    equal = next((r for r in reached if r[2] == 0), None)
    below = next((r for r in reached if r[2] < 0 or (r[2] == 0 and rel is sp.LessThan)), None)
    cmp = ">=" if word == "min" else "<="
    said = f"{sign * small} {cmp} {sign * w}"

    def decided(statement):  # a statement of expectations alone is decided on p_r/p_R: said in ref's pair
        ev, _ = _decided(statement)
        if ev is not None and _reference(statement) is None:
            ev = _said_in_pair(ev, ref)
        return ev

    if rel in (sp.Equality, sp.GreaterThan, sp.StrictGreaterThan):
        every = decided(sp.GreaterThan(small, w, evaluate=False))
        if every is not None and every.holds is False:
            return Evidence(False, every.method, f"the {word} over G passes {sign * w}: {said} fails at a pair "
                            f"({every.detail})", every.counterexample, steps=every.steps)
        if every is None or not every.holds:
            return Evidence(None, "symbolic", f"that {said} for every generator is not decided")
        if rel is sp.GreaterThan:
            return Evidence(True, every.method, f"{said} for every generator's p_g: {every.detail}", steps=every.steps)
        if rel is sp.Equality:
            if equal is not None:
                return Evidence(True, every.method, f"{said} for every generator's p_g ({every.detail}), with "
                                f"equality at {equal[0]}: the {word} over G is {sign * w}", steps=every.steps)
            if reached:  # the optimum may be reached at a candidate with another value: then it is that value
                where_, pair, _, v = min(reached, key=lambda r: sign * r[3])
                there = decided(sp.GreaterThan(small, sign * v, evaluate=False))
                if there is not None and there.holds:
                    return Evidence(False, there.method, f"{sign * small} {cmp} {v} for every generator's p_g "
                                    f"({there.detail}), with equality at {where_}: the {word} over G is {v}, not "
                                    f"{sign * w}", {word: str(v), "claimed": str(sign * w), **pair}, steps=there.steps)
            return Evidence(None, every.method, f"{said} for every generator ({every.detail}), but it is not reached "
                            f"at p_g = p_data nor at disjoint supports: that the {word} is {sign * w} is not shown")
        if equal is not None:  # strict: the value is reached
            return Evidence(False, "symbolic", f"at {equal[0]} the value is {sign * w}, so the {word} over G is not "
                            f"beyond it", equal[1])
        return Evidence(None, every.method, f"{said} for every generator, but strictly is not shown")
    # min_G F <= w (or <): reached where F <= w at one pair, or fails where F > w at every pair
    if below is not None:
        return Evidence(True, "symbolic", f"at {below[0]} the value is {below[3]}, so the {word} over G is "
                        f"{'at most' if word == 'min' else 'at least'} {sign * w}")
    above = decided(sp.StrictGreaterThan(small, w, evaluate=False) if rel is sp.LessThan
                    else sp.GreaterThan(small, w, evaluate=False))
    if above is not None and above.holds is True:
        strictly = rel is sp.LessThan  # then F > w was proved: the optimum is strictly beyond w
        bound = ("more than" if strictly else "at least") if word == "min" else ("less than" if strictly else "at most")
        claimed = f"{rel.rel_op if word == 'min' else _FLIPPED[rel].rel_op} {sign * w}"
        return Evidence(False, above.method, f"the value at every generator's p_g is {bound} {sign * w} "
                        f"({above.detail}), so the {word} is not within the claim",
                        {f"{word} over G": f"{bound} {sign * w} (every p_g)", "claimed": claimed}, steps=above.steps)
    return Evidence(None, "symbolic", f"the {word} over G against {sign * w} is not decided")


def _for_every_function(st) -> Evidence | None:
    """An inequality with a discriminator's value D(x) (or f(y)) inside its expectations and no quantifier claims
    the bound for every such function (seed 003: V(G, D) <= C(G) for every D). With ``small <= big``, D on one
    side: that is ``sup_D small <= big`` (or ``small <= inf_D big``), the optimum taken point by point
    (:func:`_pointwise_optimum`); the reduced statement is decided as any other. A refutation is witnessed by D*
    (or, where a density vanishes and the sup is not attained there, by a D close to it: a non-strict bound
    only); a strict bound refuted at a pair where D* is not attained stays undecided. None where D is not read
    so (no such letter, on both sides, not pointwise optimizable)."""
    from gantheory.symbolic._reduce import NotDerivable
    from gantheory.verify.general import interval_text

    free = set()
    for a in sp.preorder_traversal(st):
        if isinstance(a, A.FUNCTIONALS):
            free |= {x for x in a.free_symbols if isinstance(x, sp.Symbol) and x.name in _POINTWISE_FUNCTIONS}
    if len(free) != 1:
        return None
    x = free.pop()
    small, big = (st.lhs, st.rhs) if isinstance(st, (sp.LessThan, sp.StrictLessThan)) else (st.rhs, st.lhs)
    if small.has(x) == big.has(x):
        return None
    side = small if small.has(x) else big
    word = "max" if side is small else "min"
    terms = sp.Add.make_args(sp.expand(side))
    J = sp.Add(*[t for t in terms if t.has(x)])
    rest = sp.Add(*[t for t in terms if not t.has(x)])
    ref = _functional_reference(st)
    if ref is None:
        return None
    try:
        value, star = _pointwise_optimum(J, x, _POINTWISE_FUNCTIONS[x.name], ref, word)
    except NotDerivable:
        return None
    optimum = A.E(value) + rest
    strict = isinstance(st, (sp.StrictLessThan, sp.StrictGreaterThan))
    rel = sp.StrictLessThan if strict else sp.LessThan
    reduced = rel(optimum, big, evaluate=False) if word == "max" else rel(small, optimum, evaluate=False)
    said = "sup" if word == "max" else "inf"
    step = (f"for every function {x} of the point with values in {interval_text(_POINTWISE_FUNCTIONS[x.name])}: the "
            f"{said} over {x} of {J}, taken point by "
            f"point at {x}* = {star} (R = {A.DENSITY_PAIRS[ref]}/{ref}), is E_{ref}[{value}] ({_EDGE_CAVEAT})")
    ev = None
    # the bound is often the optimum itself (d(R, f) >= d(R, f*)): an identity proves it, and refutes it strictly at
    # any pair where both densities are positive (there x* is attained)
    same, _ = _decided(sp.Eq(reduced.lhs, reduced.rhs, evaluate=False))
    if same is not None and same.holds:
        ev = Evidence(not strict, same.method, f"the two sides are equal: {same.detail}",
                      None if not strict else {"P = Q": "any"}, steps=same.steps)
    if ev is None:
        ev, _ = _decided(reduced)
    if ev is None:
        return Evidence(None, "symbolic", f"{step}; the statement {reduced} is not decided")
    steps = ((step, sp.Eq(sp.Symbol(f"{said}_{x}"), optimum, evaluate=False)), *ev.steps)
    if ev.holds:
        return Evidence(True, ev.method, f"{step}; so it holds for every {x} where {reduced}: {ev.detail}",
                        steps=steps)
    if _reference(reduced) is None:  # decided on p_r/p_R: said in the statement's pair
        ev = _said_in_pair(ev, ref)
    cex = dict(ev.counterexample or {})
    if "P = Q" in cex:  # fails at every pair of equal distributions: the two-point uniform one shows it
        del cex["P = Q"]
        cex = {str(ref): "(1/2, 1/2)", str(A.DENSITY_PAIRS[ref]): "(1/2, 1/2)", **cex}
    masses = _pair_masses(cex, ref)
    # D* is attained at a point where both densities are positive (a point where both vanish does not count)
    attained = masses is not None and all((a > 0) == (b > 0) for a, b in zip(*masses))
    if strict and not attained:
        return Evidence(None, ev.method, f"{step}; {reduced} fails ({ev.detail}), but at a pair where one density "
                        f"vanishes and the other does not, where {x}* is not attained: the strict bound is not "
                        "decided", steps=steps)
    if attained:
        at = sp.lambdify(A.R, star, "math")
        cex[str(x)] = [float(at(b / a)) if a > 0 else "any" for a, b in zip(*masses)]
    cex[f"{x} (the witness)"] = f"{x}* = {star}" + ("" if attained else f", or close to it ({_EDGE_CAVEAT})")
    return Evidence(False, ev.method, f"{step}; {reduced} fails, so {x} = {x}* (or one close to it) breaks the "
                    f"statement: {ev.detail}", cex, steps=steps)


def _in_pair(cex, ref):
    """A counterexample of a statement that names no densities (decided on p_r/p_R) in the pair ``ref`` names."""
    if not cex or ref is A.p_r:
        return cex
    names = {"p_r": str(ref), "p_R": str(A.DENSITY_PAIRS[ref])}
    return {names.get(k, k): v for k, v in cex.items()}


def _said_in_pair(ev: Evidence, ref) -> Evidence:
    """A verdict on a statement of expectations alone (decided on p_r/p_R) in the words of the pair ``ref`` names:
    its reasons, its counterexample and its steps."""
    return Evidence(ev.holds, ev.method, _in_pair_text(ev.detail, ref), _in_pair(ev.counterexample, ref),
                    steps=tuple((_in_pair_text(t, ref) if isinstance(t, str) else t, e) for t, e in ev.steps))


def _in_pair_text(text: str, ref) -> str:
    """:func:`_in_pair` for the words of a verdict."""
    import re

    if ref is A.p_r:
        return text
    return re.sub(r"\bp_R\b", str(A.DENSITY_PAIRS[ref]), re.sub(r"\bp_r\b", str(ref), text))


def _pair_masses(cex: dict, ref):
    """The reference's and the other density's masses in a counterexample (arrays, or our exact tuples written as
    '(1/2, 1/2)'), as two lists of floats; None where they are not there or not read."""
    import numpy as np

    out = []
    for d in (ref, A.DENSITY_PAIRS[ref]):
        v = cex.get(str(d))
        if isinstance(v, str):
            try:
                v = [float(read_number(t.strip())) for t in v.strip("()[] ").split(",")]
            except (StatementError, ValueError):
                return None
        if v is None:
            return None
        out.append([float(t) for t in np.ravel(np.asarray(v, float))])
    return out if len(out[0]) == len(out[1]) else None


def _optimum(st) -> Evidence:
    """``max_{x in I} g(x) REL w`` (``MaxOver``, the supremum; ``MinOver`` as the max of -g), w free of x, for every
    value of the other symbols. The optimum is derived where g is strictly concave on I with one critical point
    inside (:func:`gantheory.symbolic._reduce.pointwise_argmax`), or, in one variable, from the critical points
    SymPy's solveset finds in I (finitely many), the closed ends and the limits at the open ends (a smooth g); the
    statement is then ``optimum REL w``, decided exactly or as any other statement. Otherwise ``max <= w`` is
    ``g(x) <= w`` for every x in I (a plain inequality with x's bounds, refuted at a point where g exceeds w), and
    ``max = w`` is refuted there too; the rest is undecided. A supremum that is only approached (at an open end) is
    not a maximum: an equation with it stays undecided. (Slide LaTeX's ``\\max_y y(1 - y) = 1/4`` was read as the
    name max_y times y(1 - y), and refuted.)"""
    from gantheory.symbolic._reduce import NotDerivable, pointwise_argmax
    from gantheory.verify._interval import exact_sign
    from gantheory.verify.general import interval_text

    if not isinstance(st, tuple(_FLIPPED)):
        return Evidence(None, "symbolic", "an optimum is compared with =, <, <=, > or >=")
    lhs, rhs, rel = st.lhs, st.rhs, type(st)
    if not isinstance(lhs, A._OptimumOver):
        lhs, rhs, rel = rhs, lhs, _FLIPPED[rel]
    opts = [a for a in sp.preorder_traversal(st) if isinstance(a, A._OptimumOver)]
    if isinstance(lhs, A._OptimumOver) and len(opts) == 2 and isinstance(lhs.args[0], (A.MaxOver, A.MinOver)) \
            and lhs.args[0].args[0].has(*A.FUNCTIONALS):  # \min_G \max_D V(D, G): the inner optimum first
        return _nested_optimum(lhs, rhs, rel)
    if not isinstance(lhs, A._OptimumOver) or len(opts) != 1:
        return Evidence(None, "symbolic", "a max or min over a variable is decided alone on one side of the relation")
    g, x, interval = lhs.args
    word = "max" if isinstance(lhs, A.MaxOver) else "min"
    if isinstance(x, sp.Symbol) and x.name == "G" and g.has(*A.FUNCTIONALS):  # \min_G: over generators
        return _optimum_over_generators(lhs, rhs, rel, word)
    if not isinstance(x, sp.Symbol) or not isinstance(interval, sp.Interval) or x in rhs.free_symbols:
        return Evidence(None, "symbolic", "a max or min over one variable on an interval, compared with a value that "
                        "does not depend on the variable")
    if x not in g.free_symbols:  # \max_i |\lambda_i|: an index over a family, not a variable of the expression
        return Evidence(None, "symbolic", f"the objective does not depend on {x}: an index over a family "
                        f"({x} in lambda_{x}) is not read")
    if g.has(*A.FUNCTIONALS):  # max_D V(G, D): over functions of the point, taken point by point
        return _optimum_over_functions(lhs, rhs, rel)
    bound = isinstance(lhs, (A.SupOver, A.InfOver))  # \sup and \inf: the value need not be attained
    shape = "concave" if word == "max" else "convex"
    where = f"{x} in {interval_text(interval)}"
    if word == "min":  # min g REL w  <=>  max (-g) REL' -w
        g, rhs, rel = -g, -rhs, _FLIPPED[rel]
    xr = sp.Symbol(x.name, real=True)  # the variable ranges over I alone, whatever gantheory's letter x carries
    g = g.xreplace({x: xr})

    def shown(v):  # the optimum as the user's statement has it (a min is minus the max of -g)
        return v if word == "max" else -v

    def decide(value, step, attained=True):
        """The statement with the optimum's exact value in place."""
        reduced = rel(value, rhs, evaluate=False) if word == "max" else _FLIPPED[rel](-value, -rhs, evaluate=False)
        said = f"{reduced.lhs} {reduced.rel_op} {reduced.rhs}"
        if not attained and not bound and rel is not sp.LessThan:
            return Evidence(None, "symbolic", f"{step}; it is approached, not attained, so no {word} exists to be "
                            f"compared (as a {'supremum' if word == 'max' else 'infimum'}: {said})")
        if not (reduced.free_symbols - A.DENSITIES):  # numbers: compared exactly
            sg = exact_sign(sp.simplify(value - rhs))
            if sg is not None:
                holds = {sp.Equality: sg == 0, sp.LessThan: sg <= 0, sp.GreaterThan: sg >= 0,
                         sp.StrictLessThan: sg < 0, sp.StrictGreaterThan: sg > 0}[rel]
                return Evidence(holds, "symbolic", f"{step}; so the statement is {said}, "
                                f"{'true' if holds else 'false'} (exact)",
                                None if holds else {word if attained else ("supremum" if word == "max" else "infimum"):
                                                    str(shown(value)), "claimed": str(shown(rhs))},
                                steps=((step, sp.Eq(lhs, shown(value), evaluate=False)),))
        ev, _ = _decided(reduced)
        if ev is None:
            return Evidence(None, "symbolic", f"{step}; the statement {said} is not decided")
        return Evidence(ev.holds, ev.method, f"{step}; the statement is then {said}: {ev.detail}",
                        ev.counterexample, steps=((step, sp.Eq(lhs, shown(value), evaluate=False)), *ev.steps))

    try:
        star = call_with_time_limit(pointwise_argmax, ATTEMPT_SECONDS, g, xr, interval)
    except (NotDerivable, TimeLimitExceeded, NotImplementedError, ValueError, TypeError):
        star = None
    if star is not None and xr not in star.free_symbols:
        value = sp.simplify(g.xreplace({xr: star}))
        return decide(value, f"the {word} over {where}: the objective is strictly {shape} there with one critical "
                      f"point inside, {x}* = {star}, so the {word} is {shown(value)}")
    if g.free_symbols == {xr}:
        try:
            found = call_with_time_limit(_one_variable_sup, ATTEMPT_SECONDS, g, xr, interval, shown)
        except (TimeLimitExceeded, NotImplementedError, ValueError, TypeError):
            found = None
        if found is not None:
            value, at, attained, points = found
            kind = word if attained else ("supremum" if word == "max" else "infimum")
            reached = f"attained at {x} = {at}" if attained else f"approached as {x} -> {at}"
            return decide(value, f"the {kind} over {where} from the critical points inside, the closed ends and the "
                          f"limits at the open ends ({points}): {shown(value)}, {reached}", attained)
    lo = None if interval.inf == -sp.oo else (interval.inf, bool(interval.left_open))
    hi = None if interval.sup == sp.oo else (interval.sup, bool(interval.right_open))
    if rel in (sp.Equality, sp.GreaterThan, sp.StrictGreaterThan):  # max >= w fails where g stays below some c < w
        below = _stays_below(g, xr, interval, rhs, lo, hi)
        if below is not None:
            c, ev = below
            cmp = "<=" if word == "max" else ">="
            return Evidence(False, ev.method, f"{shown(g)} {cmp} {shown(c)} for every {where} ({ev.detail}), so the "
                            f"{word} is {'at most' if word == 'max' else 'at least'} {shown(c)}, short of the claimed "
                            f"{shown(rhs)}", {f"{word}_bound": str(shown(c)), "claimed": str(shown(rhs))},
                            steps=ev.steps)
    if rel not in (sp.LessThan, sp.Equality):
        return Evidence(None, "symbolic", f"the {word} is not derived in closed form (no strictly {shape} objective "
                        f"with one critical point inside {interval_text(interval)}, nor finitely many critical points)")
    pointwise, shifts = sp.LessThan(g, rhs, evaluate=False), []
    if lo is not None or hi is not None:
        pointwise = _bounded(pointwise, xr.name, lo, hi, {}, [], shifts)
    ev = _plain_inequality(pointwise)
    every = f"{shown(g)} {'<=' if word == 'max' else '>='} {shown(rhs)}"
    if ev.holds is False:
        return Evidence(False, ev.method, f"the objective passes the claimed {word} at a point of "
                        f"{interval_text(interval)}: {every} fails there ({ev.detail})",
                        _unshifted(ev.counterexample, shifts))
    if ev.holds and rel is sp.LessThan:
        return Evidence(True, ev.method, f"{every} for every {where}: {ev.detail}", steps=ev.steps)
    return Evidence(None, ev.method, f"the {word} is not derived in closed form; {every} for every {where} "
                    f"{'holds' if ev.holds else 'is undecided'}, but that the {word} reaches the value is not shown")


def _stays_below(g, x, interval, w, lo, hi):
    """(c, the proof) with c < w a simple rational above every sampled value of g on the interval and ``g <= c``
    proved for every x in it (so sup g <= c < w); None where w is not a number, the samples come within 1e-6 of w,
    or the bound is not proved."""
    import numpy as np

    from gantheory.verify._interval import exact_sign

    if w.free_symbols or g.free_symbols != {x} or not w.is_extended_real or not w.is_finite:
        return None
    a, b = float(interval.inf), float(interval.sup)
    span = [t for t in np.concatenate([np.linspace(-50, 50, 2001), np.geomspace(1e-6, 1e6, 400),
                                       -np.geomspace(1e-6, 1e6, 400)]) if a < t < b]
    if np.isfinite(a) and np.isfinite(b):
        span += list(np.linspace(a, b, 2001))
    f = sp.lambdify([x], g, "numpy")
    vals = [v for v in (_real_value(f, [t]) for t in span) if v is not None]
    if not vals or max(vals) > float(w) - 1e-6 * (1 + abs(float(w))):
        return None
    mid, c = (max(vals) + float(w)) / 2, None
    for j in range(0, 30):  # the simplest dyadic rational between the samples' max and w: 3/2, 5/4, ...
        cand = sp.Rational(math.ceil(mid * 2**j), 2**j)
        if float(cand) > max(vals) and exact_sign(w - cand) == 1:
            c = cand
            break
    if c is None:
        return None
    bound = sp.LessThan(g, c, evaluate=False)
    if lo is not None or hi is not None:
        bound = _bounded(bound, x.name, lo, hi, {}, [], None)
    try:
        ev = call_with_time_limit(_plain_inequality, ATTEMPT_SECONDS, bound)
    except TimeLimitExceeded:
        return None
    return (c, ev) if ev.holds and ev.method == "symbolic" else None


#: Functions whose derivative may not exist where the function does: the critical points miss their kinks.
_KINKED = (sp.Abs, sp.Max, sp.Min, sp.Piecewise, sp.sign, sp.floor, sp.ceiling, sp.Heaviside)


def _one_variable_sup(g, x, interval, show=lambda v: v):
    """(the supremum of g over the interval, where it is reached, whether it is attained, the candidates said) for
    a smooth g of one variable: the largest of g at the critical points solveset finds inside (a finite set), at
    the closed ends and its limits at the open ends; None where the candidates are not all exact and finite in
    number or cannot be ordered exactly."""
    from gantheory.verify._interval import exact_sign

    if g.has(*_KINKED) or g.atoms(AppliedUndef):
        return None
    crit = sp.solveset(sp.diff(g, x), x, sp.Interval.open(interval.inf, interval.sup))
    if crit is not sp.S.EmptySet and (not isinstance(crit, sp.FiniteSet) or len(crit) > 20
                                      or any(not c.is_real for c in crit)):
        return None
    cands = [(sp.simplify(g.xreplace({x: c})), c, True) for c in crit]
    for end, is_open, side in ((interval.inf, interval.left_open, "+"), (interval.sup, interval.right_open, "-")):
        if end.is_finite and not is_open:
            cands.append((sp.simplify(g.xreplace({x: end})), end, True))
        else:
            cands.append((sp.limit(g, x, end, side) if end.is_finite else sp.limit(g, x, end), end, False))
    if any(v.has(sp.nan, sp.zoo, sp.AccumBounds) or not (v.is_extended_real or v in (sp.oo, -sp.oo))
           for v, _, _ in cands):
        return None
    best = cands[0]
    for cand in cands[1:]:
        if cand[0] == best[0]:
            best = best if best[2] else cand  # an attained value beats the same value approached
            continue
        sg = exact_sign(cand[0] - best[0]) if sp.oo not in (cand[0], best[0]) and -sp.oo not in (cand[0], best[0]) \
            else (1 if cand[0] == sp.oo or best[0] == -sp.oo else -1)
        if sg is None:
            return None
        if sg > 0 or (sg == 0 and cand[2] and not best[2]):
            best = cand
    said = ", ".join(f"{x} = {c}: {show(v)}" + ("" if att else " (limit)") for v, c, att in cands)  # a min's values
    return best[0], best[1], best[2], said


def _functional_inequality_bayes(st) -> Evidence:
    """An inequality between expectations of the optimal discriminator (E_data[log D*] + E_g[log(1 - D*)] <= 0):
    D* derived and substituted (:func:`_with_bayes`), and the inequality between functionals decided."""
    return _with_bayes(st, _functional_inequality)


def _pointwise_ratio(st):
    """Outside the functionals, a statement is about one point y: there the other density of a pair is R
    times its reference (R = p_g/p_data = p_R/p_r), so ``p_g/p_data = R`` is an identity, not a relation
    between independent symbols."""
    if not any(isinstance(s, sp.Symbol) and s in A.OTHERS for s in _outside_atoms(st)):
        return st, None
    mapping = {other: A.R * ref for ref, other in A.DENSITY_PAIRS.items()}

    def rep(e):
        if isinstance(e, (A._Atom, A._BooleanAtom)):
            return e
        if isinstance(e, sp.Symbol):
            return mapping.get(e, e)
        if not e.args:
            return e
        return e.func(*[rep(a) for a in e.args], evaluate=False) if isinstance(e, sp.Rel) else e.func(*map(rep, e.args))

    used = sorted({o for o in _outside_atoms(st) if o in A.OTHERS}, key=str)
    said = ", ".join(f"{o} = R {A._partner_name(o)}" for o in used)
    return rep(st), said + " at each point (R is the likelihood ratio)"


def _outside_atoms(e):
    if isinstance(e, (A._Atom, A._BooleanAtom)):
        return set()
    if isinstance(e, sp.Symbol):
        return {e}
    out = set()
    for a in e.args:
        out |= _outside_atoms(a)
    return out


def _run(verifier, st):
    try:
        return verifier(st), None
    except RecursionError:
        return None, f"the {verifier_label(verifier)} verifier could not decide it (the expression is too deep)"
    except Exception as exc:  # a verifier that cannot handle the statement: undecided, with a readable reason
        first = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else ""
        readable = first if first and "Error" not in first and "object" not in first else ""
        return None, f"the {verifier_label(verifier)} verifier does not apply" + (f" ({readable})" if readable else "")


def _repair_screens() -> dict:
    from gantheory.verify import general as G

    return {G.expectation_identity: G.expectation_identity_fails_numerically}


#: verifier -> a cheap test that is True only where the verifier would not say a candidate repair holds
_REPAIR_SCREENS = _repair_screens()


def _screened_out(screen, cand) -> bool:
    try:
        return bool(screen(cand))
    except Exception:  # the screen cannot read it: the verifier decides
        return False


def _repairs(st):
    """Standard repairs of an equation: factor 2 or 1/2, sign, a constant log 2 or log 4, swapped KL/JSD
    arguments."""
    if not isinstance(st, sp.Equality):
        return []
    lhs, rhs = st.lhs, st.rhs
    if isinstance(rhs, (sp.Set, sp.Tuple)) or rhs.is_Boolean:  # sets, spectra, truth values: no arithmetic
        return []
    if isinstance(rhs, sp.Lambda):  # a function typed as Lambda(t, ...): its body repaired
        if len(rhs.variables) != 1:
            return []
        return [(lab, sp.Eq(lhs, sp.Lambda(rhs.variables, r.rhs), evaluate=False))
                for lab, r in _repairs(sp.Eq(lhs, rhs.expr, evaluate=False))]
    cands = [("factor 2 on the right", 2 * rhs), ("factor 1/2 on the right", rhs / 2), ("sign", -rhs)]
    for c in (sp.log(2), sp.log(4)) if not isinstance(rhs, sp.MatrixBase) else ():
        cands += [(f"+ {c}", rhs + c), (f"- {c}", rhs - c)]
    swapped = rhs.replace(lambda e: isinstance(e, (A.KL, A.JSD)), lambda e: type(e)(*reversed(e.args)))
    if swapped != rhs:
        cands.append(("arguments of KL/JSD swapped on the right", swapped))
    swapped_l = lhs.replace(lambda e: isinstance(e, (A.KL, A.JSD)), lambda e: type(e)(*reversed(e.args)))
    if swapped_l != lhs:
        return [(lab, sp.Eq(lhs, r, evaluate=False)) for lab, r in cands] + [
            ("arguments of KL/JSD swapped on the left", sp.Eq(swapped_l, rhs, evaluate=False))]
    return [(lab, sp.Eq(lhs, r, evaluate=False)) for lab, r in cands]


class _OverBudget(BaseException):  # not an Exception: no verifier's ``except Exception`` swallows it
    pass


class _budget:
    """A time budget for one check: a cooperative deadline for the deciders, and in the main thread the interval
    timer of :func:`gantheory._limits.alarm`, which interrupts a SymPy computation past it (so no statement can
    hang the checker) and keeps a timer the caller set."""

    def __init__(self, seconds):
        self.seconds = seconds

    def __enter__(self):
        import signal
        import threading
        import time

        from gantheory._limits import alarm

        self.timer = None
        if self.seconds is None:
            return self
        _DEADLINE["t"] = time.monotonic() + self.seconds
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            self.timer = alarm(self.seconds, _OverBudget)
            self.timer.__enter__()
        return self

    def __exit__(self, *exc):
        _DEADLINE.pop("t", None)
        if self.timer is not None:
            self.timer.__exit__(*exc)
        return False


#: seconds one statement may take (``check --timeout``); past it the verdict is undecided
DEFAULT_TIMEOUT = 60.0


def check_statement(statement, assume=(), repairs: bool = True, timeout: float | None = DEFAULT_TIMEOUT
                    ) -> CheckResult:
    """Check a statement given as text (SymPy syntax or LaTeX) or as a SymPy object, within ``timeout``
    seconds (undecided past it; ``None``: no budget)."""
    _check_timeout(timeout)
    try:
        with _budget(timeout):
            return _check_statement(statement, assume, repairs)
    except _OverBudget:
        return _over_budget(statement, f"over its time budget ({timeout:g} s)")


def _check_timeout(timeout) -> None:
    if timeout is not None and not (isinstance(timeout, (int, float)) and timeout > 0):
        raise ValueError(f"timeout must be a positive number of seconds or None, got {timeout!r}")


def _over_budget(statement, detail: str) -> CheckResult:
    """The undecided verdict of a check stopped at its budget (the statement as given: it may not have been read)."""
    shown = statement if isinstance(statement, sp.Basic) else sp.Symbol(str(statement)[:200])
    return CheckResult(shown, "undecided", "symbolic", detail, "none")


#: Seconds past a check's budget after which :func:`check_within` stops it from outside (its own alarm could not)
HARD_GRACE_SECONDS = 10.0


def check_within(statement, assume=(), repairs: bool = True, timeout: float | None = DEFAULT_TIMEOUT) -> CheckResult:
    """:func:`check_statement` with a limit no computation escapes: the budget's alarm interrupts Python code, but not
    one long operation in C (a big-integer power SymPy writes out exactly ran for minutes past a 30-s budget). So the
    check runs in a forked process, killed :data:`HARD_GRACE_SECONDS` after its budget, and is then undecided. The
    command line uses it; where there is no ``fork`` (or no budget) it is check_statement itself."""
    import os

    from gantheory._limits import _in_fork

    _check_timeout(timeout)
    if timeout is None or not hasattr(os, "fork"):
        return check_statement(statement, assume, repairs, timeout)
    try:
        return _in_fork(check_statement, timeout + HARD_GRACE_SECONDS, (statement, assume, repairs, timeout))
    except TimeLimitExceeded:
        return _over_budget(statement, f"over its time budget ({timeout:g} s): stopped {HARD_GRACE_SECONDS:g} s "
                            "past it, in a computation its alarm could not interrupt")


def _prepared(statement, assume=(), shifts=None) -> tuple:
    """(the statement the verifiers see, the assumptions and normalizations used): the text read, the
    assumptions applied, the densities normalized and a pointwise ratio rewritten. The verifiers then run
    on it in the order :func:`_candidates` gives."""
    if isinstance(statement, str):
        st = parse_statement(statement, fresh=_fresh_names(assume))
    elif isinstance(statement, sp.Basic):
        st = statement
    else:
        raise StatementError(f"a statement is text or a SymPy object, got {type(statement).__name__}")
    if isinstance(st, sp.Equality) and isinstance(st.lhs, sp.Lambda) and isinstance(st.rhs, sp.Lambda):
        # two functions are equal where their values are, at every argument: compared at the left's variables
        if len(st.lhs.variables) != len(st.rhs.variables):
            raise StatementError(f"the two sides are functions of {len(st.lhs.variables)} and "
                                 f"{len(st.rhs.variables)} variables")
        xs = st.lhs.variables
        st = sp.Eq(st.lhs(*xs), st.rhs(*xs), evaluate=False)
    st, used = _apply_assumptions(st, assume, shifts)
    st, note = _normalize_densities(st)
    if note:
        used.append(note)
    st, note = _pointwise_ratio(st)
    if note:
        used.append(note)
    return st, used + _vocabulary_signs(st, assume)


def _on_its_interval(st, shifts) -> Evidence | None:
    """A plain inequality in one variable bounded on both sides (0 <= t <= 1) that is undecided in the variable of
    its change of variable (sqrt(t) at t = 1/2 - s/(1 + s**2) has a kink at s = 1, where the statement is tight),
    decided on the interval itself: the infimum over it from the critical points inside and the ends
    (:func:`_one_variable_extremes`), against the margin sampled on the interval. None where that does not apply."""
    import numpy as np

    from gantheory.verify.joint_range import exact_decimals

    ineq = (sp.GreaterThan, sp.StrictGreaterThan, sp.LessThan, sp.StrictLessThan)
    if len(shifts) != 1 or not isinstance(st, ineq):
        return None
    name, s, value, x, lo, hi, before = shifts[0]
    if lo is None or hi is None or st.free_symbols != {s} or before.free_symbols != {x} \
            or before.atoms(AppliedUndef) or _xrep(before, {x: value}) != st:
        return None
    before = exact_decimals(before)
    xr = sp.Symbol(name, real=True)
    strict = isinstance(st, (sp.StrictGreaterThan, sp.StrictLessThan))
    sign = 1 if isinstance(st, (sp.GreaterThan, sp.StrictGreaterThan)) else -1
    margin = sign * (before.lhs - before.rhs).xreplace({x: xr})
    interval = sp.Interval(lo[0], hi[0], lo[1], hi[1])
    f = sp.lambdify([xr], margin, "numpy")
    a, b = float(lo[0]), float(hi[0])
    pts = a + (b - a) * np.linspace(0.0, 1.0, 2001)[1 if lo[1] else 0:2000 if hi[1] else 2001]
    real = [v for v in (_real_value(f, [t]) for t in pts) if v is not None]
    if not real:
        return None
    for m in dict.fromkeys((sp.simplify(margin), margin)):
        try:
            ev = call_with_time_limit(_one_variable_extremes, ATTEMPT_SECONDS, m, xr, strict, min(real), [interval])
        except (TimeLimitExceeded, NotImplementedError, ValueError, TypeError):
            ev = None
        if ev is not None and ev.holds is not None:
            detail = ev.detail.replace(f"over {xr}'s domain", f"over {name} in {interval}")
            return Evidence(ev.holds, ev.method, f"on the interval itself: {detail}", ev.counterexample,
                            steps=ev.steps)
    return None


def _unshifted(counterexample, shifts) -> dict | None:
    """The counterexample with each user's variable that a bound changed (see :func:`_bounded`) beside the new
    symbol's value: ``x = -1 + s_x`` at s_x = 1/2 adds x = -1/2."""
    if not counterexample:
        return None
    out = dict(counterexample)
    from gantheory.reading import read_loss

    for name, s, value, *_ in shifts:
        if s.name in out and name not in out:
            try:
                at = read_loss(str(out[s.name]).split(" = ")[0], [])
            except StatementError:
                continue
            x = sp.nsimplify(value.subs(s, at)) if at.is_Float else sp.simplify(value.subs(s, at))
            out[name] = str(x)
    return out


def _check_chain(chain, assume) -> CheckResult:
    """``0 < sigma(x) < 1``, ``a <= b = c``: every link checked (with the assumptions that name its symbols), and
    the chain is what its links are together: refuted where one is (that link's counterexample), proved where every
    one is, checked where each is proved or checked, else undecided. (A chain was refused: check one link at a
    time.)"""
    results = [_check_statement(link, assumptions_on(link, assume), repairs=False) for link in chain]
    links = [f"link {k + 1} ({link}): {r.status}" for k, (link, r) in enumerate(zip(chain, results))]
    used = list(dict.fromkeys(a for r in results for a in r.assumptions))
    statement = sp.And(*chain, evaluate=False)
    bad = next((r for r in results if r.status == "refuted"), None)
    if bad is not None:
        k = results.index(bad)
        return CheckResult(statement, "refuted", bad.method, f"link {k + 1} of the chain, {chain[k]}, is refuted: "
                           f"{bad.detail}", bad.verifier, bad.counterexample, used, steps=bad.steps)
    statuses = {r.status for r in results}
    status = "proved" if statuses == {"proved"} else "checked" if statuses <= {"proved", "checked"} else "undecided"
    methods = " and ".join(dict.fromkeys(r.method for r in results))
    steps = tuple((f"link {k + 1}: {what}", val) for k, r in enumerate(results) for what, val in r.steps)
    return CheckResult(statement, status, methods, "; ".join(f"{line}, {r.detail}" for line, r in zip(links, results)),
                       ", ".join(dict.fromkeys(r.verifier for r in results)), None, used, steps=steps)


def _check_statement(statement, assume=(), repairs: bool = True) -> CheckResult:
    """Check a statement given as text (SymPy syntax or LaTeX) or as a SymPy object.

    Returns a :class:`CheckResult` (``status``: proved, checked, refuted or undecided; ``exit_code`` 0, 0,
    1, 3). Raises :class:`StatementError` for text that cannot be parsed or an unreadable assumption.
    """
    if isinstance(statement, str):  # read once, a chain included (it was read twice: as a chain, then again)
        statement = read_statement(statement, chains=True, fresh=_fresh_names(assume))
        if isinstance(statement, Chain):
            return _check_chain(statement, assume)
    rv = random_variables(statement)
    if rv and any(isinstance(a, A.FUNCTIONALS) for a in sp.preorder_traversal(statement)):
        # E[h(Y) R(Y)] was read as E(h Y R), h the step size, and the change of measure refuted
        raise StatementError(RANDOM_VARIABLE_REASON.format(", ".join(rv)))
    shifts: list = []
    st, used = _prepared(statement, assume, shifts)
    reasons, methods = [], []
    ev = None
    for verifier in _candidates(st):  # the first that decides
        ev, why = _run(verifier, st)
        if ev is not None and ev.holds is not None:
            break
        reasons.append(why or f"{verifier_label(verifier)}: {ev.detail}")
        if ev is not None and ev.method not in methods:
            methods.append(ev.method)
        ev = None
    if ev is None:
        ev = _on_its_interval(st, shifts)
        if ev is not None:
            verifier = _plain_inequality
    if ev is None:  # the methods the undecided attempts used (a numeric search is not "symbolic")
        return CheckResult(st, "undecided", " and ".join(methods) or "symbolic",
                           "; ".join(reasons) or "no verifier applies", "none", None, used)
    res = CheckResult(st, ev.status, ev.method, ev.detail, verifier_label(verifier),
                      _unshifted(ev.counterexample, shifts), used, steps=tuple(ev.steps))
    if ev.holds is False and repairs:
        screen = _REPAIR_SCREENS.get(verifier)
        for label, cand in _repairs(st):
            if any(r["statement"] == cand for r in res.repairs):
                continue  # one repair under two names (factor 2 and - log 2 of -log 2): listed once
            if screen is not None and _screened_out(screen, cand):
                continue  # the verifier would not say it holds: not a repair, and not shown
            ev2, _ = _run(verifier, cand)
            if ev2 is not None and ev2.holds:
                res.repairs.append({"label": label, "statement": cand, "status": ev2.status})
        loose = sorted((x for x in st.free_symbols if isinstance(x, sp.Symbol) and not x.is_positive
                        and x not in A.DENSITIES and x != A.R), key=str)
        if loose:  # a domain restriction: every free symbol positive
            cand = _xrep(st, {x: sp.Symbol(x.name, positive=True) for x in loose})
            ev2, _ = _run(verifier, cand)
            if ev2 is not None and ev2.holds:
                res.repairs.append({"label": "domain restriction: " + ", ".join(map(str, loose)) + " > 0",
                                    "statement": cand, "status": ev2.status})
    return res
