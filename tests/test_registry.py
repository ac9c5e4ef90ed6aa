"""The registry as a whole: every claim has its expected outcome and no check is vacuous."""

from __future__ import annotations

import math
import numbers
import re

import pytest
import sympy as sp

import gantheory
from gantheory.topics import REGISTRY

IDS = sorted(REGISTRY)


@pytest.mark.parametrize("claim_id", IDS)
def test_outcome_as_expected(verdicts, claim_id):
    v = verdicts[claim_id]
    assert v.as_expected, f"{claim_id}: {v.status} ({v.detail})"


@pytest.mark.parametrize("claim_id", IDS)
def test_twins_refuted_by_same_verifier(verdicts, claim_id):
    """The mutation check over the whole registry: every perturbed twin is refuted."""
    v = verdicts[claim_id]
    assert v.mutants >= 1
    assert v.mutants == sum(1 for t in REGISTRY[claim_id].twins if not t.holds)
    for row in v.twins:
        assert row["status"] == ("refuted" if row["must"] == "fail" else row["status"])
        if row["must"] == "hold":
            assert row["status"] in ("proved", "checked")


@pytest.mark.parametrize("claim_id", [i for i in IDS if not REGISTRY[i].expected])
def test_errata_have_numbers_and_a_proved_correction(verdicts, claim_id):
    v = verdicts[claim_id]
    assert v.status == "refuted"
    numbers_in_ce = [x for x in v.counterexample.values()
                     if isinstance(x, numbers.Number) or hasattr(x, "__len__")]
    assert numbers_in_ce, v.counterexample
    corr = verdicts[REGISTRY[claim_id].correction]
    assert corr.expected and corr.status in ("proved", "checked")
    claim = REGISTRY[claim_id]
    assert any(t.holds for t in claim.twins), "an erratum's verifier must also prove its correction"


def test_every_claim_has_a_source_naming_a_seed_or_paper():
    for claim in REGISTRY.values():
        # a seed section, or a paper named with its year
        assert "§" in claim.source or re.search(r"\b(19|20)\d\d\b", claim.source), claim.id
        assert isinstance(claim.statement, sp.Basic)
        assert claim.latex


def test_json_keys(verdicts):
    keys = {"id", "title", "source", "expected", "status", "method", "seconds", "counterexample",
            "correction", "mutants", "latex"}
    for v in verdicts.values():
        row = v.to_json()
        assert keys <= set(row)
        assert row["expected"] in ("true", "false")
        assert isinstance(row["seconds"], float) and math.isfinite(row["seconds"])


def test_verdicts_carry_the_derivation(verdicts):
    """Proved claims bring their verifier's steps (into JSON and the notes): the Lagrangian of the C(G)
    minimum ends in lambda = -log 2 and the value -log 4; the argmax of the lemma in y = a/(a + b)."""
    steps = verdicts["value-cg-min-value"].steps
    assert steps and steps[-1]["text"] == "(Eq(lambda, -log(2)), -log(4))"
    assert verdicts["disc-lemma"].steps[2]["text"] == "Eq(y, a/(a + b))"
    assert sum(bool(v.steps) for v in verdicts.values() if v.status == "proved") >= 80


def test_check_by_id_and_unknown_id():
    assert gantheory.check("disc-bayes-f").status == "proved"
    with pytest.raises(KeyError, match="did you mean"):
        gantheory.check("disc-bayes")


def test_select_substring_and_glob():
    assert {c.id for c in gantheory.claims("value-cg")} >= {"value-cg-jsd", "value-cg-kl"}
    assert all(c.id.startswith("disc-") for c in gantheory.claims("disc-*"))
    assert gantheory.claims("no-such-claim-anywhere") == []


def test_verifiers_are_one_public_package():
    """topics/ holds claims only; every verifier the registry uses is public in gantheory.verify, and its
    docstring example runs."""
    import doctest
    import pathlib

    import gantheory.topics
    import gantheory.verify as verify

    used = {c.verifier for c in REGISTRY.values()}
    assert all(verify.VERIFIERS.get(f.__name__) is f for f in used)
    topic_dir = pathlib.Path(gantheory.topics.__file__).parent
    assert not list(topic_dir.glob("_verify*.py"))
    assert doctest.testmod(verify).failed == 0


def test_exact_statements_hold_no_floats():
    """A claim is stated exactly: a float in a statement or a twin (lambda / 2 with an int lambda gave
    1.0 and 0.5 in the WGAN-QC derivation) would print as 1.0 in an exact derivation."""
    import sympy as sp

    from gantheory.topics import REGISTRY

    floats = {cid: [a for st in [c.statement, *(t.statement for t in c.twins)]
                    for a in sp.preorder_traversal(st) if isinstance(a, sp.Float)][:3]
              for cid, c in REGISTRY.items()}
    assert not {cid: f for cid, f in floats.items() if f}
