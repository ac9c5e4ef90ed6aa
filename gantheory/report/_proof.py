"""The printer behind ``proofs/*.py``: a derivation step by step, then every claim of a topic."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

import sympy as sp


def _show(value) -> str:
    if isinstance(value, sp.Basic):
        return sp.pretty(value, use_unicode=True, wrap_line=False)
    return str(value)


def run_topic(topics: Sequence[str], title: str, steps: Sequence[tuple[str, Callable[[], object]]] = ()) -> int:
    """Print the derivation ``steps`` (each computed now, with SymPy) and the verdicts of every claim
    in ``topics``; return 0 iff every outcome is as expected (for ``sys.exit``)."""
    from gantheory._runner import run_claims
    from gantheory.topics import REGISTRY

    print("=" * 78)
    print(title)
    print("=" * 78)
    if steps:
        print("\nDerivation\n----------")
        for k, (text, compute) in enumerate(steps, 1):
            print(f"\n[{k}] {text}")
            for line in _show(compute()).splitlines():
                print("    " + line)
    claims = [c for c in REGISTRY.values() if c.topic in topics]
    print(f"\nClaims ({len(claims)})\n------")
    bad = 0
    for v in run_claims(claims):
        claim = REGISTRY[v.id]
        tag = "ok " if v.as_expected else "!! "
        bad += not v.as_expected
        kind = "erratum, " if not v.expected else ""
        print(f"\n{tag}{v.id}: {v.title}")
        print(f"    source: {v.source}")
        for line in _show(claim.statement).splitlines():
            print("      " + line)
        print(f"    verdict: {v.status} ({kind}{v.method}, {v.mutants} twin(s) refuted, {v.seconds:.2f} s)")
        if v.detail:
            print(f"    why: {v.detail[:300]}")
        if v.counterexample:
            ce = ", ".join(f"{k} = {val}" for k, val in v.to_json()["counterexample"].items())
            print(f"    counterexample: {ce[:400]}")
        if claim.correction:
            print(f"    corrected by: {claim.correction}")
    print(f"\n{len(claims) - bad} of {len(claims)} outcomes as expected.")
    sys.stdout.flush()
    return 0 if bad == 0 else 1
