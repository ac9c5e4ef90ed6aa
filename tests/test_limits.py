"""The time limit around computations without a deadline of their own (gantheory._limits), and its use by
the joint optimum's exact solve."""

from __future__ import annotations

import signal
import sys
import threading
import time

import pytest

from gantheory._limits import TimeLimitExceeded, call_with_time_limit


def _busy(seconds):
    """Pure Python work (no sleep, which a signal would also cut short): returns the seconds it ran."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        sum(range(1000))
    return time.monotonic() - t0


def test_the_main_thread_is_interrupted_and_its_signal_state_restored():
    before = signal.getsignal(signal.SIGALRM)
    t0 = time.monotonic()
    with pytest.raises(TimeLimitExceeded):
        call_with_time_limit(_busy, 0.2, 30.0)
    assert time.monotonic() - t0 < 5
    assert signal.getsignal(signal.SIGALRM) is before and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert call_with_time_limit(_busy, 5.0, 0.05) >= 0.05  # within its limit: the value comes back
    with pytest.raises(TimeLimitExceeded):
        call_with_time_limit(_busy, 0.0, 0.01)  # no time at all


@pytest.mark.slow
def test_a_timer_the_caller_set_still_fires_at_its_time_with_its_handler():
    fired = []
    old = signal.signal(signal.SIGALRM, lambda *a: fired.append(time.monotonic()))
    try:
        t0 = time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, 0.6)
        assert call_with_time_limit(_busy, 5.0, 0.1) >= 0.1  # ends before the caller's timer
        assert not fired and signal.getitimer(signal.ITIMER_REAL)[0] > 0.3
        _busy(0.8)
        assert len(fired) == 1 and 0.5 < fired[0] - t0 < 1.2
        signal.setitimer(signal.ITIMER_REAL, 0.2)  # the caller's timer comes first: its handler, not a raise
        assert call_with_time_limit(_busy, 5.0, 0.5) >= 0.5
        assert len(fired) == 2
        signal.setitimer(signal.ITIMER_REAL, 0.1)  # the caller's fires first, and the limit still holds after it
        t1 = time.monotonic()
        with pytest.raises(TimeLimitExceeded):
            call_with_time_limit(_busy, 0.4, 30.0)
        assert len(fired) == 3 and 0.3 < time.monotonic() - t1 < 5
        _busy(0.2)
        assert len(fired) == 3  # and does not fire again
        from gantheory.checking import _budget  # check's budget is the same alarm: it keeps the caller's too

        signal.setitimer(signal.ITIMER_REAL, 0.4)
        with _budget(5.0):
            _busy(0.1)
        assert len(fired) == 3 and signal.getitimer(signal.ITIMER_REAL)[0] > 0.1
        _busy(0.5)
        assert len(fired) == 4
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def test_another_thread_runs_it_in_a_forked_process_that_is_killed_in_time():
    out = {}

    def run():
        t0 = time.monotonic()
        try:
            call_with_time_limit(_busy, 0.3, 60.0)
        except TimeLimitExceeded:
            out["stopped_after"] = time.monotonic() - t0
        out["value"] = call_with_time_limit(_busy, 10.0, 0.05)
        try:
            call_with_time_limit(lambda: 1 / 0, 10.0)
        except ZeroDivisionError as exc:  # the child's exception, raised here
            out["error"] = f"{type(exc).__name__}: {exc}"

    th = threading.Thread(target=run)
    th.start()
    th.join(60)
    assert out["stopped_after"] < 5 and out["value"] >= 0.05
    assert out["error"].startswith("ZeroDivisionError")


@pytest.mark.slow
def test_the_exact_solve_past_its_budget_leaves_the_optimum_numeric_and_says_so(monkeypatch):
    """Negative momentum's triple root is solved exactly in about half a second; with 0.05 s for the solve
    the optimum stays numeric (still the same point to the search's accuracy) and the result and the command
    say why there is no exact form."""
    import json

    import numpy as np
    from _cli import run_cli

    import gantheory.stability as S

    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: None)  # as in the gc-callback test below
    monkeypatch.setattr(S, "EXACT_MAX_SECONDS", 0.05)
    s = S.Setup("bilinear", "gan", "none", "altgd", momentum=True)
    j = S.joint_optimum(s, ["h", "beta"], {}, {"h": (1e-3, 2.0), "beta": (-0.999, 0.999)}, certify=False)
    assert j["exact"] is None and "not solved within 0.05 s" in j["exact_note"]
    assert abs(j["spectral_radius"] - (2 * np.sqrt(3) - 3)) < 1e-3
    args = ("stability", "--game", "bilinear", "--optimizer", "altgd", "--optimize", "h,beta", "--no-certify")
    res = run_cli(*args)
    assert res.returncode == 0
    assert "exact:                     the multiple-root equations were not solved" in res.stdout
    assert "not solved within" in json.loads(run_cli(*args, "--json").stdout)["joint_optimum"]["exact_note"]


@pytest.mark.slow
def test_an_alarm_lost_in_a_garbage_collector_callback_comes_again(monkeypatch):
    """Python ignores an exception raised by a signal handler while a gc callback runs (Hypothesis installs
    one): the alarm repeats after the limit, so the computation is still stopped; without the repeat this ran
    its whole 10 s. The same for ``check``'s own budget. The first alarm lands in a callback by construction
    (one collection at the start, its callback busy past the limit); the ignored exceptions are counted by a
    silent hook (pytest's own formats them in Python, where a repeated alarm may land)."""
    import gc

    from gantheory.checking import _budget, _OverBudget

    ignored = []
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: ignored.append(unraisable.exc_type))

    def slow_callback(phase, info):
        if phase == "start":
            _busy(0.3)  # the limit (0.05 s) passes in here

    def work():
        gc.callbacks.append(slow_callback)
        try:
            gc.collect()
        finally:
            gc.callbacks.remove(slow_callback)
        for _ in range(200):  # 10 s of plain Python: a repeated alarm lands here
            _busy(0.05)

    for limited, exc_type in ((lambda: call_with_time_limit(work, 0.05), TimeLimitExceeded),
                              (lambda: _run_under_budget(_budget, work), _OverBudget)):
        before = len(ignored)
        t0 = time.monotonic()
        with pytest.raises(exc_type):
            limited()
        assert time.monotonic() - t0 < 5
        assert exc_type in ignored[before:]  # the first alarm was indeed lost in the callback
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def _run_under_budget(budget, work):
    with budget(0.05):
        work()


def _limited_in_a_thread(queue):
    out = {}

    def run():
        try:
            call_with_time_limit(_busy, 0.3, 60.0)
        except TimeLimitExceeded:
            out["stopped"] = True
        out["value"] = call_with_time_limit(_busy, 10.0, 0.01)

    th = threading.Thread(target=run)
    th.start()
    th.join(30)
    queue.put((out.get("stopped", False), out.get("value", 0) >= 0.01))


def test_a_thread_of_a_daemonic_process_is_limited_too():
    """A distributed worker is a daemonic process, to which multiprocessing refuses children: the limit forks
    by itself (os.fork), so a computation in one of its threads is still stopped, and a result comes back."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_limited_in_a_thread, args=(queue,), daemon=True)
    proc.start()
    try:
        assert queue.get(timeout=60) == (True, True)
    finally:
        proc.join(10)
        if proc.is_alive():
            proc.kill()
