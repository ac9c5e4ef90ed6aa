"""The timing helper shared by the benchmark scripts."""

import time


def best_of(fn, repeat: int = 5) -> float:
    """The shortest of ``repeat`` wall-clock timings of ``fn()``, in seconds."""
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return min(out)
