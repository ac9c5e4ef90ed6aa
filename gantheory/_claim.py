"""The claim model: a statement, where it comes from, what we expect, and how it is checked.

A claim is a small declarative object. Its verifier is a pure function ``statement -> Evidence``;
the same verifier is run on the claim's *perturbed twins* (wrong sign, wrong constant, dropped
factor, ...), which it must refute. A verifier that cannot refute a twin could not have failed,
so the claim is reported ``failed``.

For an erratum (a claim expected to be false as printed) the twins include the corrected
statement, which the same verifier must *prove*: a verifier that refutes everything is caught too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

__all__ = ["Claim", "Evidence", "Twin", "Verdict", "STATUSES"]

#: Every status a verdict can have (DESIGN.md, "Contract: verdicts").
STATUSES = ("proved", "checked", "refuted", "failed")


def _plain(value: Any) -> Any:
    """Turn numbers, SymPy objects and arrays into JSON-friendly Python values."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist"):  # NumPy arrays and scalars
        return _plain(value.tolist())
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        if math.isnan(value):
            return "nan"
        return value
    if isinstance(value, sp.Basic):
        if value.is_number:
            if value.is_infinite:
                return "inf" if value.is_extended_positive else "-inf"
            try:
                return float(value)
            except TypeError:
                return str(value)
        return str(value)
    return str(value)


def _steps_plain(steps) -> list:
    """A verifier's derivation steps as plain data (they cross process boundaries and go into JSON):
    ``{"step": what, "text": result as SymPy text, "latex": result as LaTeX, "latex_lines": the LaTeX broken
    over lines for a page too narrow, or None}``."""
    import sympy as sp

    from gantheory.symbolic import latex
    from gantheory.symbolic._latex import latex_lines

    out = []
    for what, val in steps:
        if val is None:
            out.append({"step": what, "text": None, "latex": None})
        else:
            tex, lines = latex(val), None
            if len(tex) > 300 and _exact_numbers(val):  # radicals of a quartic's roots: their values read better
                tex = r"\approx " + latex(sp.Tuple(*(sp.N(x, 6) for x in val)))
            elif isinstance(val, sp.Basic):
                try:
                    lines = latex_lines(val)
                except Exception:  # nothing to break at that the printer understands
                    lines = None
            out.append({"step": what, "text": sp.sstr(val), "latex": tex, "latex_lines": lines})
    return out


def _exact_numbers(val) -> bool:
    """``val`` is a tuple or list of numbers without free symbols (roots, say, as radicals)."""
    import sympy as sp

    return (isinstance(val, (sp.Tuple, list, tuple)) and len(val) > 0
            and all(isinstance(x, sp.Expr) and not x.free_symbols and x.is_number for x in val))


@dataclass(frozen=True)
class Evidence:
    """What a verifier found about one statement.

    ``holds`` is True (shown to hold), False (a counterexample was found) or None (the verifier
    could not decide: reported as ``failed``). ``method`` is ``"symbolic"`` or ``"numeric"``.
    """

    holds: bool | None
    method: str
    detail: str = ""
    counterexample: Mapping[str, Any] | None = None
    #: the derivation, step by step: ``(what the step does, its result as a SymPy object or None)``
    steps: tuple = ()

    def __post_init__(self) -> None:
        if self.method not in ("symbolic", "numeric"):
            raise ValueError(f"method must be 'symbolic' or 'numeric', got {self.method!r}")
        if self.holds is False and not self.counterexample:
            raise ValueError("a refutation needs a concrete counterexample")

    @property
    def status(self) -> str:
        if self.holds is None:
            return "failed"
        if self.holds is False:
            return "refuted"
        return "proved" if self.method == "symbolic" else "checked"


@dataclass(frozen=True)
class Twin:
    """A perturbed copy of a claim's statement, run through the claim's own verifier.

    ``holds`` says what the verifier must find: False for a mutant (it must be refuted), True for
    the corrected statement attached to an erratum (it must be proved).
    """

    label: str
    statement: sp.Basic
    holds: bool = False


Verifier = Callable[[sp.Basic], Evidence]


@dataclass(frozen=True)
class Claim:
    """One mathematical statement from the source documents (or from the literature).

    Parameters
    ----------
    id : str
        Stable identifier, lower-case words joined by dashes; groups share a prefix.
    title : str
        One line in words.
    source : str
        Seed file name and section heading as printed (``"003_....txt § Proof of optimality"``),
        or paper and lemma.
    statement : sympy.Basic
        The statement as a SymPy object (usually an ``Eq``); what the notes print.
    verifier : callable
        ``verifier(statement) -> Evidence``; pure, and applied to the twins as well.
    twins : tuple of Twin
        Perturbed statements the verifier must refute (and, for errata, the corrected statement
        it must prove). At least one must be a mutant to refute.
    expected : bool
        True for a claim that should hold; False for an erratum as printed.
    correction : str or None
        For an erratum, the id of the registered corrected claim.
    note : str
        What was reconstructed, assumed or departs from the source.
    timeout : float
        Seconds allowed for the whole check (statement and twins).
    """

    id: str
    title: str
    source: str
    statement: sp.Basic
    verifier: Verifier
    twins: tuple[Twin, ...]
    expected: bool = True
    correction: str | None = None
    note: str = ""
    timeout: float = 20.0
    topic: str = field(default="", compare=False)
    #: LaTeX of the corrected claim (for an erratum); the registry fills it in, so that the claim
    #: model never looks claims up by id (lookups belong to the registry).
    corrected_latex: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.id or self.id != self.id.strip() or " " in self.id:
            raise ValueError(f"claim id must be a non-empty word without spaces, got {self.id!r}")
        if not any(not t.holds for t in self.twins):
            raise ValueError(f"claim {self.id!r} needs at least one perturbed twin to refute")
        if not self.expected and self.correction is None:
            raise ValueError(f"erratum {self.id!r} must name its correction (the corrected claim's id)")
        if not self.expected and not any(t.holds for t in self.twins):
            raise ValueError(f"erratum {self.id!r} needs its corrected statement as a twin that holds, "
                             "so that its verifier is shown able to prove, not only to refute")
        if self.timeout <= 0:
            raise ValueError(f"timeout must be positive, got {self.timeout!r}")

    @property
    def latex(self) -> str:
        from gantheory.symbolic import latex

        return latex(self.statement)

    def verify(self) -> Verdict:
        """Run the verifier on the statement and on every twin; no time limit here.

        ``gantheory.check`` and ``gantheory prove`` run this in a worker with a time limit.
        """
        import time

        start = time.perf_counter()
        try:
            ev = self.verifier(self.statement)
        except Exception as exc:  # a verifier that raises is a failed verdict, not a crash
            return self._verdict("failed", "symbolic", start, detail=f"verifier raised {exc!r}")
        status, problems, refuted, twin_rows = ev.status, [], 0, []
        for twin in self.twins:
            try:
                tev = self.verifier(twin.statement)
                tstatus = tev.status
            except Exception as exc:
                tstatus, tev = "failed", None
                problems.append(f"twin '{twin.label}' raised {exc!r}")
            ok = (tstatus in ("proved", "checked")) if twin.holds else (tstatus == "refuted")
            refuted += tstatus == "refuted" and not twin.holds
            twin_rows.append({"label": twin.label, "status": tstatus, "must": "hold" if twin.holds else "fail"})
            if not ok and tev is not None:
                want = "proved" if twin.holds else "refuted"
                problems.append(f"twin '{twin.label}' was {tstatus}, must be {want}")
        detail = ev.detail
        if problems and status != "failed" and not (self.expected and status == "refuted"):
            status = "failed"
            detail = "the check could not fail: " + "; ".join(problems)
        elif problems:
            detail = (detail + " | " if detail else "") + "; ".join(problems)
        return self._verdict(status, ev.method, start, detail=detail,
                             counterexample=ev.counterexample, mutants=refuted, twins=twin_rows,
                             steps=_steps_plain(ev.steps))

    def _verdict(self, status, method, start, **kw) -> Verdict:
        import time

        try:
            tex = self.latex
        except Exception as exc:  # a printer error is a failed verdict, never a crash
            tex = ""
            status = "failed"
            kw["detail"] = (kw.get("detail", "") + " | " if kw.get("detail") else "") + f"LaTeX printer raised {exc!r}"
        return Verdict(id=self.id, title=self.title, source=self.source, expected=self.expected,
                       status=status, method=method, seconds=time.perf_counter() - start,
                       correction=self.correction, latex=tex, topic=self.topic,
                       corrected_latex=self.corrected_latex, **kw)


@dataclass
class Verdict:
    """The outcome of checking one claim (DESIGN.md, "Contract: verdicts")."""

    id: str
    title: str
    source: str
    expected: bool
    status: str
    method: str
    seconds: float
    correction: str | None = None
    latex: str = ""
    detail: str = ""
    counterexample: Mapping[str, Any] | None = None
    mutants: int = 0
    twins: list = field(default_factory=list)
    topic: str = ""
    corrected_latex: str = ""
    #: the verifier's derivation, step by step (see :func:`_steps_plain`)
    steps: list = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")

    @property
    def as_expected(self) -> bool:
        """True iff an expected-true claim is proved/checked or an erratum is refuted."""
        if self.expected:
            return self.status in ("proved", "checked")
        return self.status == "refuted"

    def to_json(self) -> dict:
        corrected = self.corrected_latex or None
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "topic": self.topic,
            "expected": "true" if self.expected else "false",
            "status": self.status,
            "as_expected": self.as_expected,
            "method": self.method,
            "seconds": round(self.seconds, 4),
            "counterexample": _plain(self.counterexample),
            "correction": self.correction,
            "mutants": self.mutants,
            "twins": _plain(self.twins),
            "latex": self.latex,
            "corrected_latex": corrected,
            "detail": self.detail,
            "steps": self.steps,
        }
