"""Run claims with a time limit each, in parallel worker processes.

SymPy can hang on a hard simplification, and a thread cannot be interrupted, so claims are checked
in forked worker processes, one claim at a time each; a worker whose claim runs out of time is
killed and replaced. Workers live from claim to claim, so SymPy's cache stays warm (the whole
registry takes about two thirds of the time it takes with a fresh process per claim). A claim that
raises, or whose worker dies or times out, yields a ``failed`` verdict with the reason; the run
itself never crashes or hangs.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import wait as wait_conns

from gantheory._claim import Claim, Verdict

__all__ = ["run_claims", "Interrupted", "check_timeout"]


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during :func:`run_claims`: the workers were stopped; ``completed`` holds the verdicts
    that had finished (in registry order) and ``total`` the number of claims asked for."""

    def __init__(self, completed: list, total: int):
        super().__init__(f"interrupted after {len(completed)}/{total} claims")
        self.completed, self.total = completed, total


#: How often an idle worker checks that its parent is still there (see :func:`_worker`).
IDLE_CHECK_SECONDS = 1.0


def _worker(claims: list, tasks, results) -> None:
    """A long-lived worker: verifies ``claims[i]`` for each index ``i`` it receives, sends ``(i, verdict)``
    back, and stops at ``None``. It keeps SymPy's cache warm from claim to claim (about a third of the
    work of a fresh process per claim) and inherits ``claims`` from the fork (nothing is pickled but
    the indices and the verdicts)."""
    # A terminal sends SIGINT to the whole process group: the parent alone handles it (it stops the
    # workers and reports what finished), so a worker must not turn it into a "failed" verdict. The
    # worker starts with SIGINT blocked (see _start); a signal pending since the fork is discarded.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    parent = os.getppid()
    try:
        while True:
            # A parent killed outright (SIGKILL) sends no None, and the fork left this process a copy of the
            # pipe's sending end, so no end of file comes either: an idle worker that finds itself adopted by
            # another process stops instead of waiting for ever.
            while not tasks.poll(IDLE_CHECK_SECONDS):
                if os.getppid() != parent:
                    return
            try:
                i = tasks.recv()
            except EOFError:
                return
            if i is None:
                return
            claim = claims[i]
            try:
                verdict = claim.verify()
            except BaseException as exc:  # verify() already catches verifier errors; this is a last resort
                verdict = claim._verdict("failed", "symbolic", time.perf_counter(), detail=f"crashed: {exc!r}")
            results.send((i, verdict))
    finally:
        results.close()


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
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(claims)))
    done: dict[int, Verdict] = {}
    finished: dict[int, Verdict] = {}
    # each worker takes claims from its own stretch of the registry: neighbouring claims share SymPy
    # expressions, so its cache is warmer than with claims dealt out in turn (the registry on two workers:
    # 21 s against 22-24 s); an idle worker takes the last claim of the longest stretch left.
    segments = [list(range(k * len(claims) // jobs, (k + 1) * len(claims) // jobs)) for k in range(jobs)]
    pending = _Pending(segments)
    workers: list = []  # [proc, task sender, result receiver, (index, start) or None]
    emitted = 0

    def spawn():
        task_recv, task_send = ctx.Pipe(duplex=False)
        res_recv, res_send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_worker, args=(claims, task_recv, res_send), daemon=True)
        _start(proc)
        task_recv.close()
        res_send.close()
        return [proc, task_send, res_recv, None]

    def settle(w, i, verdict, respawn):
        done[i] = finished[i] = verdict
        if on_done:
            on_done(verdict)
        w[3] = None
        if respawn:  # the worker is gone (died, or killed at its time limit): a fresh one takes its place
            _stop([w])
            k = next(k for k, x in enumerate(workers) if x is w)  # by identity: the entries are lists
            workers[k] = spawn() if pending else None

    try:
        workers.extend(spawn() for _ in range(jobs))
        while pending or any(w is not None and w[3] is not None for w in workers):
            for k, w in enumerate(workers):
                if w is not None and w[3] is None and pending:
                    i = pending.take(k)
                    w[1].send(i)
                    w[3] = (i, time.perf_counter())
            busy = [w for w in workers if w is not None and w[3] is not None]
            now = time.perf_counter()
            limits = [(timeout if timeout is not None else claims[w[3][0]].timeout) - (now - w[3][1]) for w in busy]
            wait_conns([w[2] for w in busy], timeout=max(0.0, min(limits + [0.05])))
            for w in busy:
                i, start = w[3]
                claim = claims[i]
                limit = timeout if timeout is not None else claim.timeout
                if w[2].poll():
                    try:
                        j, verdict = w[2].recv()
                        settle(w, j, verdict, False)
                    except EOFError:
                        w[0].join(1.0)  # reap it, for its exit code
                        settle(w, i, _failed(claim, start, f"worker died (exit code {w[0].exitcode})"), True)
                elif not w[0].is_alive():
                    settle(w, i, _failed(claim, start, f"worker died (exit code {w[0].exitcode})"), True)
                elif time.perf_counter() - start > limit:
                    w[0].kill()
                    settle(w, i, _failed(claim, start, f"timed out after {limit:g} s"), True)
            while emitted in done:
                yield done.pop(emitted)
                emitted += 1
    except KeyboardInterrupt:
        _stop([w for w in workers if w is not None])
        raise Interrupted([finished[i] for i in sorted(finished)], len(claims)) from None
    finally:  # also when the consumer stops iterating early
        _stop([w for w in workers if w is not None])


class _Pending:
    """Claims not yet sent, as one stretch of indices per worker slot."""

    def __init__(self, segments: list[list[int]]):
        self.segments = segments

    def __bool__(self) -> bool:
        return any(self.segments)

    def take(self, k: int) -> int:
        own = self.segments[k % len(self.segments)]
        if own:
            return own.pop(0)
        return max(self.segments, key=len).pop()


def _start(proc) -> None:
    """Fork with SIGINT blocked. CPython runs at-fork handlers (``logging`` registers some) in the
    parent and *ignores* exceptions raised in them, so a Ctrl-C arriving during ``fork()`` would be
    swallowed: the run would go on and exit 0. Blocked, the signal stays pending and is delivered
    when the mask is restored, where KeyboardInterrupt can be handled."""
    if not hasattr(signal, "pthread_sigmask"):
        proc.start()
        return
    # Asked first, changed inside the try: an exception raised between blocking and the try (a SIGALRM
    # handler's, say) cannot leave SIGINT blocked in this thread, and in every process it starts later.
    was_blocked = signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, ())
    try:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        proc.start()
    finally:
        if not was_blocked:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _stop(workers: list) -> None:
    """Stop workers ``[proc, task sender, result receiver, ...]``: ask politely if idle, kill otherwise."""
    for w in workers:
        proc, tasks, results = w[0], w[1], w[2]
        if proc.is_alive() and w[3] is None:
            try:
                tasks.send(None)
            except (BrokenPipeError, OSError):
                pass
            proc.join(0.5)
        if proc.is_alive():
            proc.kill()
        proc.join(1.0)
        tasks.close()
        results.close()


def _verify(task) -> Verdict:
    """A registered claim travels as its id and is looked up where it runs: SymPy rebuilds a pickled relation
    by evaluating it, so an unevaluated statement would arrive decided (Eq(ImageOver(...), ...) as False)."""
    if isinstance(task, str):
        from gantheory.topics import REGISTRY

        task = REGISTRY[task]
    return task.verify()


def run_claims_dask(claims: Iterable[Claim], scheduler: str) -> list[Verdict]:
    """Every claim verified as one Dask task (the stability maps' path: ``"threads"``, ``"processes"``,
    ``"synchronous"`` or a distributed scheduler's address, where workers on other machines import
    gantheory and run the same verifiers); verdicts in the order given. A claim's time limit is kept by
    :func:`run_claims`'s forked workers only: under a scheduler each claim runs to its end."""
    from gantheory import _dask
    from gantheory.topics import REGISTRY

    _dask.check_scheduler(scheduler)
    tasks = [c.id if REGISTRY.get(c.id) is c else c for c in claims]  # a claim outside the registry is pickled
    return _dask.map_tasks(_verify, tasks, scheduler)
