"""gantheory: the theory of GAN training, checked symbolically and numerically.

>>> import gantheory
>>> len(gantheory.claims()) > 0
True
>>> gantheory.check("disc-bayes-f").status
'proved'
"""

from __future__ import annotations

from gantheory import _sympy_setup  # noqa: F401  (before SymPy's first import: its cache's size)
from gantheory._claim import Claim, Evidence, Twin, Verdict
from gantheory._version import __version__

__all__ = ["Claim", "Evidence", "Twin", "Verdict", "__version__", "check", "check_statement", "claims", "prove"]


def check_statement(statement, assume=(), repairs: bool = True, timeout: float | None = 60.0):
    """Check a statement typed as text (SymPy syntax or LaTeX) or given as SymPy, within ``timeout``
    seconds (undecided past it): see :func:`gantheory.checking.check_statement`. The text is read by a
    whitelist, never executed; unreadable text raises :class:`gantheory.reading.StatementError`."""
    from gantheory.checking import check_statement as _check

    return _check(statement, assume=assume, repairs=repairs, timeout=timeout)


def claims(pattern: str | None = None) -> list[Claim]:
    """Every registered claim, or those whose id matches ``pattern`` (substring or glob)."""
    from gantheory.topics import select

    if pattern is not None and not isinstance(pattern, str):
        raise TypeError(f"pattern must be a string or None, got {type(pattern).__name__}")
    return select(pattern)


def check(claim_id: str, *, timeout: float | None = None) -> Verdict:
    """Check one registered claim by its id and return its verdict.

    Raises
    ------
    KeyError
        If no claim has that id (the message lists close matches).
    """
    import difflib

    from gantheory._runner import run_claims
    from gantheory.topics import REGISTRY

    if not isinstance(claim_id, str):
        raise TypeError(f"claim_id must be a string, got {type(claim_id).__name__}")
    if claim_id not in REGISTRY:
        close = difflib.get_close_matches(claim_id, REGISTRY, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KeyError(f"no claim with id {claim_id!r}{hint}")
    return next(run_claims([REGISTRY[claim_id]], jobs=1, timeout=timeout))


def prove(pattern: str | None = None, *, jobs: int | None = None,
          timeout: float | None = None) -> list[Verdict]:
    """Check every claim (or those matching ``pattern``); verdicts in registry order."""
    from gantheory._runner import run_claims

    return list(run_claims(claims(pattern), jobs=jobs, timeout=timeout))


def __getattr__(name: str):
    if name == "formulas":
        import importlib

        return importlib.import_module("gantheory.formulas")
    raise AttributeError(f"module 'gantheory' has no attribute {name!r}")
