"""``gantheory audit FILE``: every relation of a lecture, in file order, through ``check``'s machinery.

The document is read by :mod:`gantheory.reading._document` (math found, chains split into links,
declared notation collected); each claim is read by the whitelist reader and decided by
:func:`gantheory.checking.check_statement` with its time budget, on worker processes. What cannot be
read is ``unread`` with the reason (an unknown function or symbol, prose, a garbled formula) -- never
dropped, never guessed. Definitions (``:=``, "where R = ...", "let ...") are notation, not claims.
"""

from __future__ import annotations

import html
import re
import sys
from dataclasses import asdict, dataclass, field

from gantheory.reading import StatementError
from gantheory.reading._document import DEFINING
from gantheory.reading._latex import EXPECTATION_SUBSCRIPTED, OPTIMUM_SUBSCRIPTED

__all__ = ["AuditItem", "AuditReport", "audit_text", "audit_file", "STATUSES"]

STATUSES = ("proved", "checked", "refuted", "undecided", "unread")


@dataclass
class AuditItem:
    line: int
    where: str
    text: str
    statement: str | None
    status: str
    counterexample: dict | None = None
    repairs: list = field(default_factory=list)
    reason: str | None = None
    detail: str = ""
    mathml: str | None = None

    def to_json(self) -> dict:
        out = asdict(self)
        out.pop("mathml")
        return out


@dataclass
class AuditReport:
    file: str
    items: list
    notation: list
    interrupted: bool = False

    @property
    def summary(self) -> dict:
        out = {"found": len(self.items)}
        for s in STATUSES:
            out[s] = sum(1 for it in self.items if it.status == s)
        out["definitions"] = sum(1 for n in self.notation if n["kind"] in ("definition", "condition"))
        return out

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 130
        s = self.summary
        if s["refuted"]:
            return 1
        if s["undecided"] or s["unread"]:
            return 3
        return 0

    def to_json(self) -> dict:
        return {"file": self.file, "statements": [it.to_json() for it in self.items], "notation": self.notation,
                "summary": self.summary, "interrupted": self.interrupted}


#: names a slide may use without declaring them: single letters and Greek letters (with sub/superscripts)
_GREEK = set("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi rho "
             "varrho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Sigma Phi Psi "
             "Omega".split())


def _unknown_symbols(st) -> list[str]:
    from gantheory.reading import vocabulary

    names, _ = vocabulary()
    known = set(names)
    out = []
    for s in st.free_symbols:
        n = getattr(s, "name", "")
        base = n.split("_")[0]
        if n in known or len(base) <= 1 or base in _GREEK or n.startswith(("gtsym", "gtbare", "gtkw")):
            continue
        out.append(n)
    return sorted(out)


def _prose(text: str) -> bool:
    words = re.findall(r"\\text(?:rm|normal)?\{([^{}]*)\}", text)
    # the subscripts of an optimum (\max_{y \in (0, 1)}) and an expectation (\mathbb{E}_{x \sim p}) are read with them
    bare = EXPECTATION_SUBSCRIPTED.sub(" E ", OPTIMUM_SUBSCRIPTED.sub(" OPT ", text))
    return any(len(w.split()) >= 2 for w in words) or bool(re.search(r"\\(Rightarrow|implies|iff|forall|exists|"
                                                                     r"in|sim|to|mapsto|subset)\b", bare))


def _decide(args):
    """One statement (in a worker): ``(status, statement, counterexample, repairs, reason, detail)``."""
    text, assume, timeout, local, said = args  # said: where the conditions ``local`` were stated
    from gantheory.checking import assumptions_on, check_statement
    from gantheory.reading import RANDOM_VARIABLE_REASON, random_variables, read_statement

    if _prose(text):
        return "unread", None, None, [], "prose or a relation gantheory does not read (\\Rightarrow, \\in, \\sim, " \
            "words inside the formula)", ""
    try:
        st = read_statement(text)
    except StatementError as exc:
        return "unread", None, None, [], str(exc), ""
    rv = random_variables(st)
    if rv:
        return "unread", str(st), None, [], RANDOM_VARIABLE_REASON.format(", ".join(rv)), ""
    from sympy.core.function import AppliedUndef

    undefined = sorted({a.func.__name__ for a in st.atoms(AppliedUndef)})
    # check reads an unknown function as any function; a lecture's function may be defined in its prose, which is
    # not read: a statement proved for every function holds for the lecture's too, any other verdict is not said
    undefined_why = (f"the function{'s' if len(undefined) > 1 else ''} " + ", ".join(undefined) + " the document "
                     "does not define in a formula (check reads an unknown function as any function; a lecture's is "
                     "defined in its prose, so only a proof for every function is reported)") if undefined else ""
    unknown = _unknown_symbols(st)
    if unknown:
        return "unread", str(st), None, [], f"unknown symbol{'s' if len(unknown) > 1 else ''} " + \
            ", ".join(unknown) + " (declare it in the document or with --assume)", ""
    local = assumptions_on(st, local)  # the line's conditions on this statement's symbols
    try:
        res = check_statement(st, assume=(*assume, *local), timeout=timeout)
    except StatementError as exc:
        return "unread", str(st), None, [], str(exc), ""
    from gantheory._claim import _plain

    repairs = [{"label": r["label"], "statement": str(r["statement"]), "status": r["status"]} for r in res.repairs]
    detail = (f"assuming {', '.join(local)} ({said}); " if local else "") + res.detail
    if undefined:
        if res.status != "proved":
            return "unread", str(st), None, [], undefined_why, ""
        detail = f"for every function {', '.join(undefined)}: " + detail
    return res.status, str(res.statement), _plain(res.counterexample), repairs, None, detail


def _sign_condition(d) -> list[str] | None:
    """The conditions on symbols stated as a formula of its own (``$x > 0$``, ``$t \\neq 0$``, ``$-1 < x < 1$``;
    several separated by commas, ``$x \\ge 0, y \\ge 0$``, or shared, ``$x, y > 0$``), as the assumption texts
    ``check`` takes ("x > 0", each read by its own reader); None for anything else."""
    from gantheory.reading import read_assumption
    from gantheory.reading._latex import latex_to_text

    try:
        text = " ".join(latex_to_text(d.text).split())
    except StatementError:
        return None
    shared = re.fullmatch(r"([A-Za-z]\w*(?:\s*,\s*[A-Za-z]\w*)+)\s*(>=|>|<=|<|!=)\s*(\S+)", text)
    if shared:  # x, y > 0: each name
        parts = [f"{name.strip()} {shared.group(2)} {shared.group(3)}" for name in shared.group(1).split(",")]
    else:
        parts = [p.strip() for p in text.split(",")]
    try:
        for part in parts:
            read_assumption(part)
    except StatementError:
        return None
    return parts


_MATH_NAMES = {"KL": "KL", "JSD": "JSD", "TV": "TV", "Hellinger": "H²", "Chi2": "χ²", "NeymanChi2": "χ²ₙ",
               "Entropy": "H", "CrossEntropy": "H", "E": "𝔼", "Et": "𝔼ₚ₉", "BayesDisc": "D*", "W1": "W₁",
               "GANDiv": "D_GAN", "AlphaDiv": "D_α", "FDiv": "D_f", "VirtualCriterion": "C", "ValueFn": "V"}


def _mathml(statement: str | None) -> str | None:
    """The statement as presentation MathML (browsers render it natively, no network), in a <math> block."""
    if statement is None:
        return None
    from sympy.printing.mathml import MathMLPresentationPrinter

    class _Printer(MathMLPresentationPrinter):
        def mathml_tag(self, e):
            return _MATH_NAMES.get(type(e).__name__) or super().mathml_tag(e)

    try:
        from gantheory.reading import read_statement

        expr = read_statement(statement)
        body = _Printer().doprint(expr)
    except Exception:  # a statement the printer cannot typeset is shown as text
        return None
    return f'<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">{body}</math>'


_LONE = re.compile(r"^\s*(?P<name>\\?[A-Za-z]+(?:\s*[_^]\s*(?:\{[^{}]*\}|\\?[A-Za-z0-9*]+))*)\s*"
                   r"(?P<args>\((?:[^()]|\([^()]*\))*\))?\s*$")
#: "=" and the relations that define their left side.
_EQUATING = ("=", *DEFINING)


def _defines(lhs: str, op: str, rhs: str) -> bool:
    """The link names a new object (``i = 0``, ``h(x) = (1 + x) log(1 + x)``, ``R(y) = p_g(y)/p_r(y)``,
    ``\\eta \\neq 0``): notation or a condition of the slide, not a claim for all values. A gantheory object on
    the left (``\\mathrm{KL}(p \\| q)``, ``D^*(x)``, ``\\chi^2(p \\| q)``) makes it a claim; a generic function of
    the registry (f, g, L, ...) or a divergence's name applied to a number (``H(u)``) is being defined."""
    from sympy.core.function import UndefinedFunction

    from gantheory.reading import DIVERGENCES, slide_objects, vocabulary
    from gantheory.reading._latex import latex_to_text

    for side in ((lhs,) if op in _EQUATING else (lhs, rhs)):
        try:
            text = slide_objects(latex_to_text(side))  # C(G), the virtual criterion: one of gantheory's objects
        except StatementError:
            continue
        # |lambda| < 1: a bound on one name's size is a condition too; |lambda| = sqrt(1 + h^2/4) (lambda not on the
        # right) states the size of a quantity the prose names (an eigenvalue), not an identity for every lambda
        sized = re.sub(r"^\s*(?:\|\s*([A-Za-z][A-Za-z0-9_]*)\s*\||Abs\s*\(\s*([A-Za-z][A-Za-z0-9_]*)\s*\))\s*$",
                       lambda mm: mm.group(1) or mm.group(2), text)
        stripped, text = sized != text, sized
        m = re.fullmatch(r"\s*([A-Za-z][A-Za-z0-9_]*)\s*(\((.*)\))?\s*", text)
        if not m or (m.group(3) is not None and not _balanced(m.group(3))):  # F(x) + G(x): not one name's call
            continue
        name, args = m.group(1), m.group(3)
        _, functions = vocabulary()
        fn = functions.get(name)
        if name.startswith("D_star"):
            return False
        if args is None:
            if op not in _EQUATING or stripped:  # t^2 < t, |x| = x: the name and an expression of it
                other = rhs if side is lhs else lhs
                try:
                    other_text = slide_objects(latex_to_text(other))
                except StatementError:
                    other_text = other
                if _mentions(other_text, name):
                    return False
            return True  # a name on its own (R, f, x_t, i): it is being defined, or a condition stated
        if _mentions(args, name):
            return False  # y(1 - y): a product (a function is not defined at its own name), read as check reads it
        if "Jacobian(" in args:
            return False  # lambda(nabla F(theta)) = 1 - eta h: a function's value at a derivative is said, not defined
        if fn is None or isinstance(fn, UndefinedFunction):
            return True
        if name in DIVERGENCES and not re.search(r"\b[pPqQ](_\w+)?\b", args):
            return True  # H(u), KL(a, b) of numbers: a function being defined
        return False
    return False


def _mentions(text: str, name: str) -> bool:
    """``name`` occurs in ``text`` as a whole name (t in t**2, not in theta)."""
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", text) is not None


def _balanced(args: str) -> bool:
    """The brackets of ``args`` close in order and never below depth 0 ("x) + G(x" is two calls, not one)."""
    depth = 0
    for ch in args:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


#: Names a document's definition of a function does not replace: the reader's own objects when called (the
#: likelihood ratio R(y), the discriminator D(x) and f(y), the densities p(x), q(x), p_r(y), ...).
_RESERVED_CALLS = ("R", "D", "f", "p", "q", "u")


def _function_definition(lhs: str, rhs: str, op: str = "="):
    """``v(\\phi, \\theta) = ...``: (name, parameters, body) in the reader's text syntax when the left side is a
    function of distinct names that the reader does not know as a function (``\\mathcal{L}^{(\\phi)}``, ``F_\\eta``,
    ``\\mathbf{v}``), or, defined with ``:=`` or ``\\triangleq``, any function but the likelihood ratio, the
    discriminator D and the densities (``f(x, y) := x^2 + 3y^2`` on an optimization slide); else None."""
    from gantheory.reading import vocabulary
    from gantheory.reading._latex import latex_to_text

    try:
        head, body = latex_to_text(lhs), latex_to_text(rhs)
    except StatementError:
        return None
    m = re.fullmatch(r"\s*([A-Za-z][A-Za-z0-9_]*)\s*\(([^()]*)\)\s*", head)
    if not m:
        return None
    name, params = m.group(1), [a.strip() for a in m.group(2).split(",")]
    _, functions = vocabulary()
    declared = op in DEFINING and name not in ("R", "D", "p", "q", "u")
    if ((not declared and (name in functions or name in _RESERVED_CALLS))
            or name.startswith(("p_", "P_", "D_star", "f_star"))
            or not all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", a) for a in params) or len(set(params)) < len(params)
            or _mentions(body, name)):
        return None
    return name, tuple(params), body


def _arguments(text: str, open_at: int) -> tuple[list[str], int] | None:
    """The comma-separated arguments of the call whose bracket opens at ``text[open_at]``, and the index after it."""
    depth, last, args = 0, open_at + 1, []
    for k in range(open_at, len(text)):
        ch = text[k]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
            if depth == 0:
                args.append(text[last:k].strip())
                return args, k + 1
        elif ch == "," and depth == 1:
            args.append(text[last:k].strip())
            last = k + 1
    return None


def _put_in(text: str, functions: dict) -> tuple[str, list]:
    """``text`` (the reader's syntax) with every call of a function the document defined replaced by its body,
    the parameters replaced by the arguments (simultaneously), until none is left (at most 8 rounds: a body may
    call another defined function); and the names put in."""
    used: list = []
    for _ in range(8):
        changed = False
        for (name, arity), (params, body) in functions.items():
            pattern = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(name)}\s*\(")
            pos = 0
            while (m := pattern.search(text, pos)):
                call = _arguments(text, m.end() - 1)
                if call is None or len(call[0]) != arity:
                    pos = m.end()
                    continue
                args, end = call
                given = dict(zip(params, args))
                new = re.sub(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z0-9_]*(?![A-Za-z0-9_])",
                             lambda t: f"({given[t.group(0)]})" if t.group(0) in given else t.group(0), body)
                text = f"{text[:m.start()]}({new}){text[end:]}"
                pos = m.start() + len(new) + 2
                changed = True
                if name not in used:
                    used.append(name)
        if not changed:
            break
    return text, used


def _classify(found) -> list:
    """Claims and definitions: a formula whose first link defines an object is notation throughout (the
    chain ``R(y) = p_g(y)/p_r(y) = 1`` defines R and states a condition); a later claim whose left side is a
    defined object's left side is checked with the definition put in. A function the document defines
    (``v(\\phi, \\theta) = \\begin{bmatrix} ... \\end{bmatrix}``,
    ``F_\\eta(\\theta) \\triangleq \\theta - \\eta v(\\theta)``;
    the last link of a chain of definitions is its body) is put in wherever a later claim of the same section
    calls it with as many arguments (``reading``, the text that is checked): an example's functions stay in
    its section."""
    from gantheory.reading._latex import latex_to_text

    out, defined = [], {}
    first_of: dict = {}
    functions: dict = {}   # (section, name, arity) -> (parameters, body): a definition holds in its own section
    chained: dict = {}     # formula -> (name, arity, the body's LaTeX): a chain of definitions continues it
    for d in found:
        key = (d.line, d.context)
        lhs = " ".join(d.lhs.split())
        if key not in first_of:  # a chain that starts with a name is notation throughout; one link that
            # restates a defined name is a claim about the definition
            first_of[key] = d.kind == "definition" or ((d.chain > 1 or lhs not in defined)
                                                       and _defines(d.lhs, d.op, d.rhs))
        if first_of[key] or d.kind == "definition":
            if d.op in _EQUATING and lhs not in defined and not d.hypothesis:
                defined[lhs] = d.rhs
            if d.op in _EQUATING and not d.hypothesis:
                link = chained.get(key)
                if link and " ".join(link[2].split()) == lhs and (d.where, link[0], link[1]) in functions:
                    try:  # F(x) = y_1 = x - v(x): the function's body is the chain's last side
                        fkey = (d.where, link[0], link[1])
                        functions[fkey] = (functions[fkey][0], latex_to_text(d.rhs))
                        chained[key] = (link[0], link[1], d.rhs)
                    except StatementError:
                        pass
                elif (fd := _function_definition(d.lhs, d.rhs, d.op)) is not None \
                        and (d.where, fd[0], len(fd[1])) not in functions:
                    functions[d.where, fd[0], len(fd[1])] = (fd[1], fd[2])
                    chained[key] = (fd[0], len(fd[1]), d.rhs)
            d.kind = "definition"
        elif lhs in defined:
            d.notes.append(f"{lhs} = {defined[lhs]} (defined earlier)")
            d.text = rf"\left({defined[lhs]}\right) {d.op} {d.rhs}"
        if d.kind == "claim" and (here := {(n, k): v for (w, n, k), v in functions.items() if w == d.where}):
            try:
                text = latex_to_text(d.text)
            except StatementError:
                text = None
            put, used = _put_in(text, here) if text is not None else (None, [])
            if used:
                d.notes.append("with the document's definition" + ("s" if len(used) > 1 else "") + " of "
                               + ", ".join(used) + " put in")
                d.reading = put
        out.append(d)
    return out


def audit_text(text: str, fmt: str, *, file: str = "<text>", assume=(), timeout: float = 30.0,
               jobs: int | None = None, progress=None, scheduler: str | None = None) -> AuditReport:
    """Audit a document given as text. ``progress(done, total)`` is called as statements finish. With
    ``scheduler`` the statements are decided as Dask tasks (the stability maps' path: ``"threads"``,
    ``"processes"``, ``"synchronous"`` or a distributed scheduler's address)."""
    from gantheory import _dask
    from gantheory.reading._document import DocStatement, read_document

    _dask.check_scheduler(scheduler)

    found, notation = read_document(text, fmt)
    found = _classify(found)
    for d in found:  # "for $x, y > 0$": a condition on several symbols, not a claim
        if d.kind == "claim" and "," in d.lhs and _sign_condition(d) is not None:
            d.kind = "definition"
    for d in found:
        if d.kind == "definition" and not any(n.get("line") == d.line and n.get("meaning") == d.text
                                              for n in notation):
            notation.append({"line": d.line, "kind": "definition" if d.op in _EQUATING
                             and not d.hypothesis else "condition", "name": d.lhs.strip(), "meaning": d.text})
    notation.sort(key=lambda n: n["line"])
    claims = [d for d in found if d.kind == "claim"]
    # a sign condition stated on the claim's own line, in its sentence ("$\\log x \\le x - 1$ for $x > 0$"), is
    # assumed for it ("Given $x > 1$, $\\log x > 0$. But $\\log x > 0$ fails otherwise": not for the second)
    conditions: dict = {}
    for d in found:
        cond = _sign_condition(d) if d.kind == "definition" else None
        if cond is not None:
            conditions.setdefault((d.line, d.sentence), []).extend(cond)
    # a claim stated under conditions in its sentence ("If $B$, then $A$", "$A$ iff $B$", "Suppose $x < 0$. Then $A$"):
    # sign conditions are assumed; any other condition, or an equivalence, is not something check can assume
    unread, assumed = {}, {}
    for k, d in enumerate(claims):
        local = list(dict.fromkeys(conditions.get((d.line, d.sentence), ())))  # a condition stated twice: once
        if d.connective == "iff":
            unread[k] = (f"an equivalence with {', '.join('$' + h + '$' for h in d.hypotheses)} ('iff'): "
                         "gantheory decides statements that hold for all values, not under a condition")
            continue
        same_line = list(local)
        for h in d.hypotheses:
            signs = _sign_condition(DocStatement(d.line, d.where, h))
            if signs is None:
                unread[k] = (f"stated under the condition ${h}$, which gantheory cannot assume (only signs and "
                             "bounds of one symbol: 'x > 0', '-1 < x < 1')")
                break
            local.extend(s_ for s_ in signs if s_ not in local)
        said = "stated on the same line" if local == same_line else "stated with it: its line, sentence or paragraph"
        assumed[k] = (tuple(local), said)
    decided = [k for k in range(len(claims)) if k not in unread]
    args = [(claims[k].reading or claims[k].text, tuple(assume), timeout, *assumed[k]) for k in decided]
    results: list = [None] * len(args)
    interrupted = False
    try:
        if scheduler is not None and args:
            results = _dask.map_tasks(_decide, args, scheduler)
        elif jobs == 1 or len(args) <= 1:
            for k, a in enumerate(args):
                results[k] = _decide(a)
                if progress:
                    progress(k + 1, len(args))
        else:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor, as_completed

            workers = jobs or min(2, multiprocessing.cpu_count())
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                futures = {pool.submit(_decide, a): k for k, a in enumerate(args)}
                done = 0
                try:
                    for fut in as_completed(futures):
                        results[futures[fut]] = fut.result()
                        done += 1
                        if progress:
                            progress(done, len(args))
                except KeyboardInterrupt:
                    for f in futures:
                        f.cancel()
                    raise
    except KeyboardInterrupt:
        interrupted = True
    by_claim: list = [None] * len(claims)
    for k, r in zip(decided, results):
        by_claim[k] = r
    for k, why in unread.items():
        by_claim[k] = ("unread", None, None, [], why, "")
    items = []
    for d, r in zip(claims, by_claim):
        if r is None:  # interrupted before it was decided
            items.append(AuditItem(d.line, d.where, d.text, None, "undecided", reason="interrupted"))
            continue
        status, statement, cex, repairs, reason, detail = r
        items.append(AuditItem(d.line, d.where, d.text, statement, status, cex, repairs, reason,
                               "; ".join([*d.notes, detail]) if d.notes else detail))
    return AuditReport(file, items, notation, interrupted)


def audit_file(path: str, fmt: str | None = None, **kw) -> AuditReport:
    """Audit a file (format from the extension unless ``fmt`` says otherwise). Raises ``ValueError`` with
    one line for a missing, unreadable or binary file."""
    import os

    from gantheory.reading._document import format_of

    if not os.path.exists(path):
        raise ValueError(f"no such file: {path}")
    if os.path.isdir(path):
        raise ValueError(f"{path} is a directory, not a lecture (LaTeX, Markdown or text)")
    if not os.path.isfile(path):
        raise ValueError(f"{path} is not a regular file (a device or a pipe), not a lecture")
    with open(path, "rb") as fh:
        raw = fh.read()
    if b"\x00" in raw[:8192]:
        raise ValueError(f"{path} is a binary file, not a lecture (LaTeX, Markdown or text)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return audit_text(text, format_of(path, fmt), file=path, **kw)


# -- output --------------------------------------------------------------------------------------------

_MARK = {"proved": "✔", "checked": "✔", "refuted": "✘", "undecided": "?", "unread": "·"}


def terminal_lines(report: AuditReport, width: int = 100) -> list[str]:
    out = []
    for it in report.items:
        where = f"{it.line}" + (f" [{it.where[:28]}]" if it.where else "")
        text = " ".join(it.text.split())
        head = f"{_MARK[it.status]} {it.status:<9} {where:<36} "
        room = max(20, width - len(head))
        out.append(head + (text if len(text) <= room else text[:room - 1] + "…"))
        if it.detail.startswith("assuming ") and re.search(r"\(stated (on the same line|with it)", it.detail):
            out.append("      " + it.detail.split(";")[0])
        if it.status == "refuted":
            if it.counterexample:
                cex = ", ".join(f"{k} = {v}" for k, v in list(it.counterexample.items())[:6])
                out.append(f"      counterexample: {cex}"[:width * 2])
            for r in it.repairs:
                out.append(f"      repair ({r['label']}, {r['status']}): {r['statement']}"[:width * 2])
        elif it.status in ("unread", "undecided") and (it.reason or it.detail):
            out.append(f"      {(it.reason or it.detail)}"[:width * 2])
    s = report.summary
    out.append(f"{report.file}: {s['found']} statements: {s['proved']} proved, {s['checked']} checked, "
               f"{s['refuted']} refuted, {s['undecided']} undecided, {s['unread']} unread"
               f" ({s['definitions']} definitions and conditions recorded as notation)"
               + (" -- interrupted, partial report" if report.interrupted else ""))
    return out


_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
.summary { display: flex; gap: 1em; margin-bottom: 1.5em; }
.summary span { padding: .3em .7em; border-radius: .4em; background: #eee; }
.item { border-left: .35em solid #bbb; padding: .4em .8em; margin: .6em 0; background: #fafafa; }
.proved, .checked { border-color: #2a7a2a; } .refuted { border-color: #b3261e; background: #fff4f3; }
.undecided { border-color: #c08a00; } .unread { border-color: #999; color: #555; }
.status { font-weight: bold; text-transform: uppercase; font-size: .8em; margin-right: .6em; }
.where { color: #666; font-size: .85em; } code { background: #eee; padding: 0 .2em; }
.extra { font-size: .9em; margin-top: .3em; } math { font-size: 1.15em; }
"""


def html_page(report: AuditReport) -> str:
    """One self-contained page: the summary on top, each statement typeset (MathML, rendered by the
    browser without a network) and marked by its verdict, counterexample and repairs beside it."""
    s = report.summary
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>gantheory audit: "
             f"{html.escape(report.file)}</title><style>{_CSS}</style></head><body>",
             f"<h1>Audit of <code>{html.escape(report.file)}</code></h1>", "<div class='summary' id='summary'>"]
    for key in ("found", *STATUSES):
        parts.append(f"<span class='{key}' data-key='{key}'>{key}: <b>{s[key]}</b></span>")
    parts.append("</div>")
    for it in report.items:
        mathml = _mathml(it.statement) if it.status != "unread" else None
        body = mathml or f"<code>{html.escape(it.text)}</code>"
        where = f"line {it.line}" + (f" — {html.escape(it.where)}" if it.where else "")
        parts.append(f"<div class='item {it.status}' data-status='{it.status}' data-line='{it.line}' "
                     f"title='{html.escape(it.text, quote=True)}'>"
                     f"<span class='status'>{it.status}</span><span class='where'>{where}</span>"
                     f"<div class='formula'>{body}</div>")
        extra = []
        if it.counterexample:
            extra.append("counterexample: " + ", ".join(f"<code>{html.escape(str(k))} = {html.escape(str(v))}</code>"
                                                        for k, v in it.counterexample.items()))
        for r in it.repairs:
            rm = _mathml(r["statement"]) or f"<code>{html.escape(r['statement'])}</code>"
            extra.append(f"repair ({html.escape(r['label'])}, {r['status']}): {rm}")
        if it.reason or (it.status == "undecided" and it.detail):
            extra.append(html.escape(it.reason or it.detail))
        if extra:
            parts.append("<div class='extra'>" + "<br>".join(extra) + "</div>")
        parts.append("</div>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _progress_bar(done: int, total: int) -> None:
    if not sys.stderr.isatty():
        return
    bar = "#" * int(30 * done / max(total, 1))
    sys.stderr.write(f"\r[{bar:<30}] {done}/{total}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()
