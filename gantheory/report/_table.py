"""The terminal table and summary printed by ``gantheory prove``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from gantheory._claim import Verdict

#: columns of a terminal the table fits (the full source is in ``--json`` and ``gantheory sources``)
WIDTH = 100


def _short_source(source: str) -> str:
    """``000_62b6c109a73221df.txt § Heading`` -> ``000 § Heading`` (the document's number)."""
    import re

    return re.sub(r"^(\d{3})_[0-9a-f]{16}\.txt", r"\1", source)


def table(verdicts: Sequence[Verdict], width: int = WIDTH) -> str:
    """One row per verdict: id, source, status, seconds, within ``width`` columns (a long source is
    shortened with an ellipsis); a ``!`` marks an unexpected outcome, on a line of its own."""
    rows = [("id", "source", "status", "seconds", "")]
    for v in verdicts:
        status = v.status + (" (erratum)" if not v.expected else "")
        mark = "" if v.as_expected else "!  " + (v.detail[:width - 8] if v.detail else "not as expected")
        rows.append((v.id, _short_source(v.source), status, f"{v.seconds:.2f}", mark))
    widths = [max(len(r[k]) for r in rows) for k in range(4)]
    room = max(12, width - (widths[0] + widths[2] + widths[3] + 6))
    if widths[1] > room:
        rows = [r if n == 0 or len(r[1]) <= room else (r[0], r[1][:room - 1] + "…", *r[2:])
                for n, r in enumerate(rows)]
        widths[1] = room
    lines = []
    for n, r in enumerate(rows):
        lines.append("  ".join(r[k].ljust(widths[k]) if k != 3 else r[k].rjust(widths[k])
                               for k in range(4)))
        if r[4]:
            lines.append("    " + r[4])
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def summary(verdicts: Sequence[Verdict], seconds: float | None = None, of: int | None = None) -> str:
    """``N claims: a proved, b checked, c refuted (errata), d failed; all as expected``.

    ``of``: the number of claims asked for, when the run was interrupted before all were checked.
    """
    counts = Counter(v.status for v in verdicts)
    bad = [v.id for v in verdicts if not v.as_expected]
    errata = sum(1 for v in verdicts if not v.expected)
    mutants = sum(v.mutants for v in verdicts)
    parts = [f"{counts.get(s, 0)} {s}" for s in ("proved", "checked", "refuted", "failed")]
    head = f"{len(verdicts)} claims ({errata} errata): " + ", ".join(parts)
    tail = f"{mutants} perturbed twins refuted" + (f"; {seconds:.1f} s" if seconds is not None else "")
    head += ("\n" if len(head) + len(tail) + 2 > WIDTH else "; ") + tail
    if bad:
        return head + f"\nNOT as expected ({len(bad)}): " + ", ".join(bad)
    if of is not None and of > len(verdicts):
        return head + f"\ninterrupted: {of - len(verdicts)} of {of} claims not checked"
    return head + "\nevery outcome as expected"


def per_document(verdicts: Sequence[Verdict]) -> str:
    """One line per source document (and one for the literature): claims, errata, statuses."""
    from gantheory.topics._sources import DOCUMENTS, document_of

    groups: dict = {doc: [] for doc in DOCUMENTS}
    groups[None] = []
    for v in verdicts:
        groups[document_of(v.source)].append(v)
    width = max(len(d) for d in DOCUMENTS)
    lines = []
    for doc, vs in groups.items():
        if not vs:
            continue
        counts = Counter(v.status for v in vs)
        errata = sum(1 for v in vs if not v.expected)
        name = doc if doc is not None else "literature"
        lines.append(f"  {name:<{width}}  {len(vs):>3} claims ({errata:>2} errata): "
                     + ", ".join(f"{counts.get(st, 0)} {st}" for st in ("proved", "checked", "refuted", "failed")))
    return "per document:\n" + "\n".join(lines)
