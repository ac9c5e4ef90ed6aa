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

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import sympy as sp
from sympy.core.function import AppliedUndef

from gantheory._claim import Evidence
from gantheory.reading import StatementError, read_assumption, read_statement
from gantheory.symbolic import _atoms as A

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


def _eq(a, b):
    return sp.Eq(a, b, evaluate=False)


def _ne(a, b):
    return sp.Ne(a, b, evaluate=False)


def parse_statement(text: str):
    """A statement as a SymPy relational (or a boolean atom such as ``StrictlyConvex(...)``), read by the
    whitelist reader of :mod:`gantheory.reading` (never evaluated)."""
    return read_statement(text)


# -- assumptions -------------------------------------------------------------------------------------

def _xrep(st, mapping):
    """xreplace that keeps a relation unevaluated (Eq(a, a') would otherwise collapse to True)."""
    if isinstance(st, sp.Rel):
        return type(st)(st.lhs.xreplace(mapping), st.rhs.xreplace(mapping), evaluate=False)
    return st.xreplace(mapping)


def _apply_assumptions(st, assumptions):
    """``x > 0``, ``x >= 0``, ``x < 0``, ``x != 0``, ``x real``, ``x integer``: the symbol is replaced by one
    with that assumption. ``p_g << p_r`` is already assumed by the reductions (say so)."""
    used = []
    for a in assumptions or ():
        name, kw = read_assumption(a)
        if name is None:
            used.append(f"{kw} (absolute continuity: assumed by the density reductions)")
            continue
        syms = [s for s in st.free_symbols if getattr(s, "name", None) == name]
        if not syms:
            raise StatementError(f"the assumption {a!r} names {name!r}, which is not in the statement")
        st = _xrep(st, {syms[0]: sp.Symbol(name, **kw)})
        used.append(" ".join(a.split()))
    return st, used


# -- verification -----------------------------------------------------------------------------------

def _candidates(st) -> list:
    """Verifiers for the statement, best first: those the registry uses for statements with the same
    objects (every object the verifier always sees must be present) and the same form."""
    from gantheory.verify import calculus as VC

    _, votes, signature = _tables()
    types = _atom_types(st)
    shape_votes = votes.get(_shape(st), Counter())
    ineq = (sp.GreaterThan, sp.StrictGreaterThan, sp.LessThan, sp.StrictLessThan)
    if types and isinstance(st, ineq) and types <= set(A.FUNCTIONALS) | {A.W1}:
        return [_functional_inequality]
    if A.W1 in types and isinstance(st, sp.Equality) and types <= set(A.FUNCTIONALS) | {A.W1}:
        return [_functional_equation]
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


def _plain_inequality(st) -> Evidence:
    """An inequality between plain expressions: simplify(lhs - rhs) with SymPy's sign facts, else 2000
    random values of the symbols (positive symbols positive)."""
    import numpy as np

    diff = sp.simplify(st.lhs - st.rhs)
    strict = isinstance(st, (sp.StrictGreaterThan, sp.StrictLessThan))
    sign = 1 if isinstance(st, (sp.GreaterThan, sp.StrictGreaterThan)) else -1
    d = sign * diff
    if (d.is_positive if strict else d.is_nonnegative):
        return Evidence(True, "symbolic", f"lhs - rhs = {diff}, of the claimed sign")
    syms = sorted(diff.free_symbols, key=str)
    f = sp.lambdify(syms, d, "numpy")
    rng = np.random.default_rng(3)
    for _ in range(2000):
        vals = [float(rng.uniform(1e-3, 10)) if (s.is_positive or s.is_nonnegative) else float(rng.normal(0, 3))
                for s in syms]
        with np.errstate(all="ignore"):
            val = complex(f(*vals))
        if abs(val.imag) > 1e-12 or not np.isfinite(val.real):
            continue
        if (val.real <= 0 if strict else val.real < -1e-12 * (1 + abs(val.real))):
            return Evidence(False, "numeric", "the inequality fails", {**dict(zip(map(str, syms), vals)),
                                                                      "lhs_minus_rhs": sign * val.real})
    return Evidence(True, "numeric", "holds at 2000 random values")


def _functional_values(st):
    """``(ref, pairs)``: both sides of ``st`` evaluated on the registry's deterministic pairs of discrete
    distributions and 300 random ones (2 to 8 cells, including nearly equal pairs and one equal pair; for
    W1 the cells sit at 0, 1, ..., n - 1 on a line), as ``(reference, other, lhs, rhs)`` lazily."""
    import numpy as np

    from gantheory.symbolic._numeric import evaluate, instances

    refs = [r for r in A.REFERENCES if st.has(r) or st.has(A.DENSITY_PAIRS[r])]
    if len(refs) != 1:
        raise TypeError("the statement must use one pair of densities (p_r/p_R, p_data/p_g or p_2/p_1)")
    ref = refs[0]
    rng = np.random.default_rng(11)
    pairs = list(instances()) + [(rng.dirichlet(np.ones(n)), rng.dirichlet(np.ones(n) * rng.uniform(0.2, 3)))
                                 for n in rng.integers(2, 9, 300)]
    same = rng.dirichlet(np.ones(4))
    pairs.append((same, same.copy()))  # equal densities: where a strict inequality between divergences fails
    return ref, ((a, b, evaluate(st.lhs, a, b, ref), evaluate(st.rhs, a, b, ref)) for a, b in pairs)


def _functional_inequality(st) -> Evidence:
    """An inequality between functionals of two densities (KL, JSD, E[...], V, C(G), W1, ...): both sides on
    the pairs of :func:`_functional_values`; a pair where it fails refutes it."""
    strict = isinstance(st, (sp.StrictGreaterThan, sp.StrictLessThan))
    sign = 1 if isinstance(st, (sp.GreaterThan, sp.StrictGreaterThan)) else -1
    ref, values = _functional_values(st)
    worst, count = float("inf"), 0
    for reference, other, lhs, rhs in values:
        d = sign * (lhs - rhs)
        if (d <= 1e-12 if strict else d < -1e-12):
            return Evidence(False, "numeric", "the inequality fails on a pair of distributions",
                            {str(ref): reference, str(A.DENSITY_PAIRS[ref]): other, "lhs_minus_rhs": sign * d})
        worst, count = min(worst, d), count + 1
    return Evidence(True, "numeric", f"holds on {count} pairs of discrete distributions (smallest margin "
                    f"{worst:.3g})")


def _functional_equation(st) -> Evidence:
    """An equation between functionals that include W1 (no symbolic route: W1 is not an expectation of a
    function of R): both sides on the pairs of :func:`_functional_values`, equal to 1e-9 (1 + |rhs|)."""
    ref, values = _functional_values(st)
    count = 0
    for reference, other, lhs, rhs in values:
        if abs(lhs - rhs) > 1e-9 * (1 + abs(rhs)):
            return Evidence(False, "numeric", "the two sides differ on a pair of distributions",
                            {str(ref): reference, str(A.DENSITY_PAIRS[ref]): other, "lhs_minus_rhs": lhs - rhs})
        count += 1
    return Evidence(True, "numeric", f"the two sides agree to 1e-9 on {count} pairs of discrete distributions "
                    "(W1 with the cells at 0, 1, ..., n - 1)")


def _normalize_densities(st):
    """Users write KL(p_g || p_r) with R = p_g / p_r: gantheory's pairs are (p_r, p_R) and (p_data, p_g).
    A statement that mixes p_g with p_r (and not p_data) means p_R; one that mixes p_R with p_data means p_g."""
    fs = st.free_symbols
    # density positions: both arguments of KL, JSD, C(G), W1, and the first two of V and the KR dual
    named = [a for a in sp.preorder_traversal(st)
             if isinstance(a, (A.KL, A.JSD, A.VirtualCriterion, A.W1, A.ValueFn, A.KRDual))]
    unknown = []
    for atom in named:
        for arg in atom.args[:2]:
            for x in sorted(arg.free_symbols, key=str) if not isinstance(arg, sp.Symbol) else [arg]:
                if isinstance(x, sp.Symbol) and x not in A.DENSITIES and x != A.R and x not in unknown \
                        and x.name not in ("D", "f", "f^*", "y"):
                    unknown.append(x)
    if unknown and not (fs & A.DENSITIES):
        if len(unknown) > 2:
            raise StatementError(f"more than two densities ({', '.join(map(str, unknown))}): gantheory's functionals "
                                 "compare two densities")
        rename = dict(zip(unknown, (A.p_1, A.p_2)))
        return _xrep(st, rename), ", ".join(f"{k} read as {v}" for k, v in rename.items()) + \
            " (densities; p_2 is the reference)"
    if A.p_g in fs and A.p_r in fs and A.p_data not in fs:
        return _xrep(st, {A.p_g: A.p_R}), "p_g read as p_R (the generator density of the pair p_r, R = p_g/p_r)"
    if A.p_R in fs and A.p_data in fs and A.p_r not in fs:
        return _xrep(st, {A.p_R: A.p_g}), "p_R read as p_g (the pair p_data, p_g)"
    return st, None


def _run(verifier, st):
    try:
        return verifier(st), None
    except Exception as exc:  # a verifier that cannot handle the statement: undecided, with the reason
        return None, f"{verifier.__name__} could not decide: {exc.__class__.__name__}: {exc}"


def _repairs(st):
    """Standard repairs of an equation: factor 2 or 1/2, sign, a constant log 2 or log 4, swapped KL/JSD
    arguments."""
    if not isinstance(st, sp.Equality):
        return []
    lhs, rhs = st.lhs, st.rhs
    if isinstance(rhs, (sp.Set, sp.Tuple)) or rhs.is_Boolean:  # sets, spectra, truth values: no arithmetic
        return []
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


def check_statement(statement, assume=(), repairs: bool = True) -> CheckResult:
    """Check a statement given as text (SymPy syntax or LaTeX) or as a SymPy object.

    Returns a :class:`CheckResult` (``status``: proved, checked, refuted or undecided; ``exit_code`` 0, 0,
    1, 3). Raises :class:`StatementError` for text that cannot be parsed or an unreadable assumption.
    """
    if isinstance(statement, str):
        st = parse_statement(statement)
    elif isinstance(statement, sp.Basic):
        st = statement
    else:
        raise StatementError(f"a statement is text or a SymPy object, got {type(statement).__name__}")
    st, used = _apply_assumptions(st, assume)
    st, note = _normalize_densities(st)
    if note:
        used.append(note)
    reasons = []
    ev = None
    for verifier in _candidates(st):  # the first that decides
        ev, why = _run(verifier, st)
        if ev is not None and ev.holds is not None:
            break
        reasons.append(why or f"{verifier.__name__}: {ev.detail}")
        ev = None
    if ev is None:
        return CheckResult(st, "undecided", "symbolic", "; ".join(reasons) or "no verifier applies",
                           "none", None, used)
    res = CheckResult(st, ev.status, ev.method, ev.detail, verifier.__name__,
                      dict(ev.counterexample) if ev.counterexample else None, used, steps=tuple(ev.steps))
    if ev.holds is False and repairs:
        for label, cand in _repairs(st):
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
