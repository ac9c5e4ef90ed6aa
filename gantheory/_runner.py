"""Run claims with a time limit each, in parallel worker processes.

SymPy can hang on a hard simplification, and a thread cannot be interrupted, so each claim is
checked in a forked child that is killed when its time runs out. A child that raises, dies or
times out yields a ``failed`` verdict with the reason; the run itself never crashes or hangs.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator

from gantheory._claim import Claim, Verdict

__all__ = ["run_claims", "Interrupted", "check_timeout"]


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during :func:`run_claims`: the workers were stopped; ``completed`` holds the verdicts
    that had finished (in registry order) and ``total`` the number of claims asked for."""

    def __init__(self, completed: list, total: int):
        super().__init__(f"interrupted after {len(completed)}/{total} claims")
        self.completed, self.total = completed, total


def _child(claim: Claim, conn) -> None:
    # A terminal sends SIGINT to the whole process group: the parent alone handles it (it stops the
    # workers and reports what finished), so a worker must not turn it into a "failed" verdict. The
    # worker starts with SIGINT blocked (see _start); a signal pending since the fork is discarded.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        verdict = claim.verify()
    except BaseException as exc:  # verify() already catches verifier errors; this is a last resort
        verdict = claim._verdict("failed", "symbolic", time.perf_counter(), detail=f"crashed: {exc!r}")
    try:
        conn.send(verdict)
    finally:
        conn.close()


def _failed(claim: Claim, start: float, why: str) -> Verdict:
    """A ``failed`` verdict for a worker that died or ran out of time, ``start`` its perf_counter start."""
    return claim._verdict("failed", "symbolic", start, detail=why)


def check_timeout(timeout):
    """``timeout`` as a float, or None; ValueError/TypeError unless it is a positive finite number."""
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError(f"timeout must be a number of seconds or None, got {type(timeout).__name__}")
    if not (math.isfinite(timeout) and timeout > 0):
        raise ValueError(f"timeout must be a positive finite number of seconds, got {timeout!r}")
    return float(timeout)


def _fork_available() -> bool:
    return "fork" in mp.get_all_start_methods()


def run_claims(claims: Iterable[Claim], *, jobs: int | None = None, timeout: float | None = None,
               on_done: Callable[[Verdict], None] | None = None) -> Iterator[Verdict]:
    """Check ``claims``; yield verdicts in the order given.

    Parameters
    ----------
    jobs : int, optional
        Parallel workers (default: the number of CPUs).
    timeout : float, optional
        Seconds per claim, overriding each claim's own ``timeout``.
    on_done : callable, optional
        Called with each verdict as soon as it is ready (for progress output).
    """
    timeout = check_timeout(timeout)
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise ValueError(f"jobs must be a positive integer or None, got {jobs!r}")
    claims = list(claims)
    if not _fork_available():  # no way to kill a hung SymPy call: run in-process
        finished_inline: list[Verdict] = []
        try:
            for claim in claims:
                v = claim.verify()
                finished_inline.append(v)
                if on_done:
                    on_done(v)
                yield v
        except KeyboardInterrupt:
            raise Interrupted(finished_inline, len(claims)) from None
        return
    ctx = mp.get_context("fork")
    jobs = max(1, jobs or os.cpu_count() or 1)
    done: dict[int, Verdict] = {}
    finished: dict[int, Verdict] = {}
    running: dict[int, tuple] = {}
    pending = list(enumerate(claims))
    emitted = 0
    try:
        while pending or running:
            while pending and len(running) < jobs:
                i, claim = pending.pop(0)
                recv, send = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=_child, args=(claim, send), daemon=True)
                _start(proc)
                send.close()
                running[i] = (claim, proc, recv, time.perf_counter())
            for i, (claim, proc, recv, start) in list(running.items()):
                limit = timeout if timeout is not None else claim.timeout
                verdict = None
                if recv.poll():
                    try:
                        verdict = recv.recv()
                    except EOFError:
                        verdict = _failed(claim, start, f"worker died (exit code {proc.exitcode})")
                elif not proc.is_alive():
                    verdict = _failed(claim, start, f"worker died (exit code {proc.exitcode})")
                elif time.perf_counter() - start > limit:
                    proc.kill()
                    verdict = _failed(claim, start, f"timed out after {limit:g} s")
                if verdict is not None:
                    proc.join(1.0)
                    recv.close()
                    del running[i]
                    done[i] = finished[i] = verdict
                    if on_done:
                        on_done(verdict)
            while emitted in done:
                yield done.pop(emitted)
                emitted += 1
            if running:
                time.sleep(0.005)
    except KeyboardInterrupt:
        _stop(running)
        raise Interrupted([finished[i] for i in sorted(finished)], len(claims)) from None
    finally:  # also when the consumer stops iterating early
        _stop(running)


def _start(proc) -> None:
    """Fork with SIGINT blocked. CPython runs at-fork handlers (``logging`` registers some) in the
    parent and *ignores* exceptions raised in them, so a Ctrl-C arriving during ``fork()`` would be
    swallowed: the run would go on and exit 0. Blocked, the signal stays pending and is delivered
    when the mask is restored, where KeyboardInterrupt can be handled."""
    if not hasattr(signal, "pthread_sigmask"):
        proc.start()
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        proc.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _stop(running: dict) -> None:
    for _, proc, recv, _ in running.values():
        if proc.is_alive():
            proc.kill()
        proc.join(1.0)
        recv.close()
    running.clear()
