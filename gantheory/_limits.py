"""A time limit around one computation that cannot stop by itself (a SymPy ``solve`` has no deadline).

In the main thread an interval timer (SIGALRM) interrupts the computation; a timer set by the caller (the
command-line budget, ``check``'s) is kept: it still fires at its own time, with its own handler. In any other
thread (a Dask worker thread) signals cannot be used: the computation runs in a forked child process, killed
when its time is up, and its result (or its exception) comes back pickled. Where neither exists (no
``setitimer``, no ``fork``) it runs unguarded.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import threading
import time
from collections.abc import Callable

__all__ = ["TimeLimitExceeded", "alarm", "call_with_time_limit"]


#: After the limit the alarm repeats this often: an exception raised by a signal handler while a garbage
#: collector callback runs (Hypothesis installs one) is ignored by Python, and a single alarm would be lost.
REPEAT_SECONDS = 0.25


class TimeLimitExceeded(BaseException):
    """The computation ran past its time limit (a BaseException: no ``except Exception`` inside SymPy
    swallows it)."""


def call_with_time_limit(fn: Callable, seconds: float, *args):
    """``fn(*args)``, or :class:`TimeLimitExceeded` once it has run ``seconds``."""
    if not seconds > 0:
        raise TimeLimitExceeded
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        return _with_alarm(fn, seconds, args)
    if hasattr(os, "fork"):
        return _in_fork(fn, seconds, args)
    return fn(*args)


def _with_alarm(fn, seconds, args):
    with alarm(seconds, TimeLimitExceeded):
        return fn(*args)


@contextlib.contextmanager
def alarm(seconds: float, exc_type: type[BaseException]):
    """In the main thread: raise ``exc_type`` in the block once it has run ``seconds``, and again every
    :data:`REPEAT_SECONDS` until it ends (a raise Python ignored is not lost). A timer the caller set is kept: it
    fires at its own time with its own handler, and goes on after the block. ``check``'s time budget uses it too."""
    start = time.monotonic()
    due = start + seconds
    outer_handler = signal.getsignal(signal.SIGALRM)
    outer_left, outer_interval = signal.getitimer(signal.ITIMER_REAL)
    outer = {"due": start + outer_left if outer_left > 0 else None}

    def arm():  # the next of the two deadlines, then again every REPEAT_SECONDS until cleared
        nxt = due if outer["due"] is None else min(due, outer["due"])
        signal.setitimer(signal.ITIMER_REAL, max(nxt - time.monotonic(), 1e-6), REPEAT_SECONDS)

    def on_alarm(signum, frame):
        now = time.monotonic()
        if outer["due"] is not None and now >= outer["due"] - 1e-3:
            # the caller's own timer is due: its handler decides (it may raise); a periodic one comes back
            outer["due"] = now + outer_interval if outer_interval > 0 else None
            if now < due - 1e-3:
                arm()
            if callable(outer_handler):
                outer_handler(signum, frame)
            if now < due - 1e-3:
                return
        raise exc_type

    signal.signal(signal.SIGALRM, on_alarm)
    arm()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, outer_handler)
        if outer["due"] is not None:  # the caller's timer goes on from where it was (at once if it is due)
            signal.setitimer(signal.ITIMER_REAL, max(outer["due"] - time.monotonic(), 1e-6), outer_interval)


def _loads(payload: bytes):
    """The child's answer unpickled as it was built: SymPy rebuilds an object from its arguments, and with evaluation on
    a relation the child kept unevaluated collapsed (``0 < 1/(1 + exp(-x))`` came back as True, and the command line
    showed the statement as "True"). The arguments are SymPy's canonical forms already, so nothing else changes."""
    import sympy as sp

    with sp.evaluate(False):
        return pickle.loads(payload)


def _in_fork(fn, seconds, args):
    """``fn(*args)`` in a child made by ``os.fork`` (multiprocessing refuses children to a daemonic process, as
    a distributed worker is), its result or exception pickled back through a pipe; killed past ``seconds``."""
    deadline = time.monotonic() + seconds
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: only this thread exists here; it never returns into the caller's code
        try:
            os.close(read_end)
            try:
                payload = pickle.dumps((True, fn(*args)))
            except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it there
                try:
                    payload = pickle.dumps((False, exc))
                except Exception:  # an exception that does not pickle: its type and message
                    payload = pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
        finally:
            os._exit(0)
    os.close(write_end)
    chunks = []
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read_end], [], [], left)[0]:
                os.kill(pid, signal.SIGKILL)
                raise TimeLimitExceeded
            chunk = os.read(read_end, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)
    if not chunks:
        raise RuntimeError("the computation's process ended without an answer")
    ok, value = _loads(b"".join(chunks))
    if not ok:
        raise value
    return value
