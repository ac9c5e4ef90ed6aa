"""The timing helpers shared by the benchmark scripts: medians of repeats, and a busy second core."""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import statistics
import time


def median_of(fn, repeat: int = 5, setup=None) -> float:
    """The median of ``repeat`` wall-clock timings of ``fn(setup())`` (or ``fn()``), in seconds.

    ``setup`` runs before each repeat, untimed (e.g. fresh copies of a state the timed code overwrites).
    One untimed warm-up call first (JIT compilation, page faults of the first touch).
    """
    def once():
        arg = setup() if setup is not None else None
        t = time.perf_counter()
        fn(arg) if setup is not None else fn()
        return time.perf_counter() - t

    once()
    return statistics.median(once() for _ in range(repeat))


def _spin(stop):
    import numpy as np

    a = np.random.default_rng(0).random(1 << 22)  # 32 MB: the busy core also competes for memory
    b = np.empty_like(a)
    while not stop.is_set():
        np.exp(a, out=b)


@contextlib.contextmanager
def busy_core(enabled: bool = True):
    """Keep another core busy (NumPy passes over 32 MB) while the block runs: the "loaded" condition."""
    if not enabled:
        yield
        return
    stop = mp.Event()
    proc = mp.Process(target=_spin, args=(stop,), daemon=True)
    proc.start()
    time.sleep(0.5)
    try:
        yield
    finally:
        stop.set()
        proc.join(5)
