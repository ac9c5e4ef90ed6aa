"""The claim model catches wrong claims, vacuous checks, crashing and hanging verifiers."""

from __future__ import annotations

import json
import time

import pytest
import sympy as sp
from _processes import parent, running

from gantheory import Claim, Evidence, Twin
from gantheory._runner import run_claims
from gantheory.cli import main
from gantheory.symbolic import JSD, KL, p_data, p_g
from gantheory.topics import REGISTRY
from gantheory.verify import general as V

x = sp.Symbol("x")


def _claim(**kw):
    base = dict(id="t-claim", title="t", source="test § t", statement=sp.Eq(x, x),
                verifier=lambda s: Evidence(True, "symbolic"), twins=(Twin("w", sp.Eq(x, 1)),))
    base.update(kw)
    return Claim(**base)


@pytest.mark.slow
def test_wrong_claim_is_refuted_and_prove_exits_1(monkeypatch, capsys):
    wrong = _claim(id="zz-wrong-jsd", verifier=V.expectation_identity,
                   statement=sp.Eq(JSD(p_data, p_g), KL(p_data, p_g) / 2),
                   twins=(Twin("other", sp.Eq(JSD(p_data, p_g), KL(p_data, p_g))),))
    monkeypatch.setitem(REGISTRY, wrong.id, wrong)
    assert main(["prove", "-k", "zz-wrong", "--json"]) == 1
    (row,) = json.loads(capsys.readouterr().out)
    assert row["status"] == "refuted" and row["expected"] == "true"
    assert row["counterexample"]["lhs"] != row["counterexample"]["rhs"]


def test_raising_verifier_is_failed_not_a_crash():
    def boom(statement):
        raise RuntimeError("kaboom")

    (v,) = run_claims([_claim(verifier=boom)])
    assert v.status == "failed" and "kaboom" in v.detail


def test_hanging_verifier_times_out():
    def hang(statement):
        time.sleep(60)

    start = time.perf_counter()
    (v,) = run_claims([_claim(verifier=hang)], timeout=0.5)
    assert v.status == "failed" and "timed out" in v.detail
    assert time.perf_counter() - start < 10
    assert 0.5 <= v.seconds < 10  # the time the claim ran, not a clock reading


@pytest.mark.slow
def test_a_worker_that_times_out_or_dies_is_replaced_and_the_run_goes_on():
    """Workers live from claim to claim: one killed at its time limit, or one that dies, is replaced, and
    the claims after it (in one worker, jobs=1) still get their own verdicts, in the order given."""
    import os

    def hang(statement):
        time.sleep(60)

    def die(statement):
        os._exit(3)

    def yes(statement):
        if statement == sp.Eq(x, x):
            return Evidence(True, "symbolic")
        return Evidence(False, "numeric", counterexample={"x": 0})

    claims = [_claim(id="t-ok-1", verifier=yes), _claim(id="t-hang", verifier=hang),
              _claim(id="t-ok-2", verifier=yes), _claim(id="t-die", verifier=die), _claim(id="t-ok-3", verifier=yes)]
    verdicts = list(run_claims(claims, jobs=1, timeout=1.0))
    assert [v.id for v in verdicts] == [c.id for c in claims]
    assert [v.status for v in verdicts] == ["proved", "failed", "proved", "failed", "proved"]
    assert "timed out" in verdicts[1].detail and "worker died (exit code 3)" in verdicts[3].detail


def test_an_idle_worker_whose_parent_is_killed_stops(tmp_path):
    """A run whose process is killed outright (SIGKILL: no None is sent, no pipe is closed by it) leaves no
    worker behind: the idle worker sees it has been adopted and stops (it waited for ever, holding its memory)."""
    import os
    import signal

    if not os.path.exists("/proc/self/stat"):
        pytest.skip("reads /proc")

    def record(statement):
        if statement == sp.Eq(x, x):
            (tmp_path / "worker").write_text(str(os.getpid()))
            return Evidence(True, "symbolic")
        return Evidence(False, "numeric", counterexample={"x": 0})

    pid = os.fork()
    if pid == 0:  # the process that runs the claims
        try:
            run = run_claims([_claim(id="t-record", verifier=record)], jobs=1)
            next(run)  # kept: a generator dropped here would stop its worker
            (tmp_path / "ready").write_text("1")
            time.sleep(120)
        finally:
            os._exit(0)
    worker = None
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "ready").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (tmp_path / "worker").exists()  # the claim was verified (in the worker, or in a process it started)
        children = [int(d) for d in os.listdir("/proc") if d.isdigit() and parent(int(d)) == pid]
        assert len(children) == 1 and running(children[0]), children
        worker = children[0]
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        deadline = time.monotonic() + 15
        while running(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not running(worker), "the worker outlived its killed parent"
    finally:
        for p in (pid, worker):
            if p is not None and running(p):
                os.kill(p, signal.SIGKILL)
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass


@pytest.mark.slow
def test_each_worker_takes_claims_from_its_own_stretch_of_the_registry(tmp_path):
    """Neighbouring claims share SymPy work, so with two workers the first half of the claims goes to one
    and the second half to the other (not dealt out in turn); verdicts still come in the order given."""
    import os

    def recorder(k):
        def verify(statement):
            if statement == sp.Eq(x, x):
                (tmp_path / f"{k}").write_text(str(os.getpid()))
                time.sleep(0.3)
                return Evidence(True, "symbolic")
            return Evidence(False, "numeric", counterexample={"x": 0})
        return verify

    claims = [_claim(id=f"t-{k}", verifier=recorder(k)) for k in range(6)]
    verdicts = list(run_claims(claims, jobs=2))
    assert [v.id for v in verdicts] == [c.id for c in claims] and {v.status for v in verdicts} == {"proved"}
    pid = {k: (tmp_path / f"{k}").read_text() for k in range(6)}
    assert pid[0] == pid[1] and pid[3] == pid[4] and pid[0] != pid[3]


def test_pending_claims_are_taken_from_the_own_stretch_then_from_the_end_of_the_longest():
    from gantheory._runner import _Pending

    p = _Pending([[0, 1, 2], [3, 4, 5, 6]])
    assert [p.take(0), p.take(1), p.take(0), p.take(0)] == [0, 3, 1, 2]
    assert [p.take(0), p.take(1), p.take(0)] == [6, 4, 5] and not p


def test_vacuous_verifier_fails_because_twin_not_refuted():
    (v,) = run_claims([_claim()])
    assert v.status == "failed" and "could not fail" in v.detail and v.mutants == 0


def test_erratum_whose_verifier_refutes_everything_fails():
    def nay(statement):
        return Evidence(False, "numeric", counterexample={"x": 1})

    err = _claim(expected=False, correction="disc-lemma", verifier=nay,
                 twins=(Twin("fixed", sp.Eq(x, x), holds=True), Twin("w", sp.Eq(x, 2))))
    (v,) = run_claims([err])
    assert v.status == "failed" and "must be proved" in v.detail


def test_claim_model_rejects_claims_without_mutants_or_correction():
    with pytest.raises(ValueError, match="twin"):
        _claim(twins=())
    with pytest.raises(ValueError, match="correction"):
        _claim(expected=False)
    with pytest.raises(ValueError, match="able to prove"):
        _claim(expected=False, correction="disc-lemma")
    with pytest.raises(ValueError, match="counterexample"):
        Evidence(False, "numeric")
