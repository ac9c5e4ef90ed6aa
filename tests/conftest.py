"""Shared fixtures: the array namespaces under test, and the verdicts of one full run.

``GANTHEORY_XP`` picks the backends (comma-separated: numpy, array_api_strict, cupy; default the
first two, plus cupy when a GPU is usable).
"""

from __future__ import annotations

import os
import sys

# Compiled bytecode is kept even where PYTHONDONTWRITEBYTECODE is set (it is on this machine): without it every
# test worker, and every `python -m gantheory` a test starts, compiles the package's 24 000 lines again
# (0.7 s a process here). Python ignores a cache directory it cannot write to.
sys.dont_write_bytecode = False

import pytest  # noqa: E402

import gantheory  # noqa: E402
from gantheory.testing import load_profile  # noqa: E402

load_profile()


def _cupy_usable() -> bool:
    try:
        import cupy

        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:
        return False


def _backends():
    wanted = os.environ.get("GANTHEORY_XP", "numpy,array_api_strict,cupy").split(",")
    out = []
    for name in wanted:
        name = name.strip()
        if name == "numpy":
            import array_api_compat.numpy as xnp

            out.append(pytest.param(xnp, id="numpy"))
        elif name == "array_api_strict":
            import array_api_strict

            out.append(pytest.param(array_api_strict, id="array_api_strict"))
        elif name == "cupy":
            marks = [pytest.mark.gpu, pytest.mark.skipif(not _cupy_usable(), reason="CuPy with a GPU not available")]
            out.append(pytest.param("cupy", id="cupy", marks=marks))
    return out


@pytest.fixture(params=_backends())
def xp(request):
    if request.param == "cupy":
        import array_api_compat.cupy as xcp

        return xcp
    return request.param


@pytest.fixture(scope="session")
def verdicts(tmp_path_factory):
    """Every registered claim's verdict, proved once per test session. Under pytest-xdist the first
    worker to ask proves them and the others read its pickle (a lock file orders them)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return {v.id: v for v in gantheory.prove()}
    import fcntl
    import pickle

    shared = tmp_path_factory.getbasetemp().parent
    with open(shared / "verdicts.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            cache = shared / "verdicts.pickle"
            if cache.exists():
                return pickle.loads(cache.read_bytes())
            out = {v.id: v for v in gantheory.prove()}
            cache.write_bytes(pickle.dumps(out))
            return out
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture
def shared_verdicts(verdicts, monkeypatch):
    """Serve the session's verdicts to whatever runs claims in this process (the CLI in-process, the
    proof scripts run with runpy): each claim is proved once per test session. A claim the session did
    not prove (one a test registers) is still verified as usual."""
    import gantheory._runner as runner

    real = runner.run_claims

    def run_claims(claims, *args, on_done=None, **kwargs):
        claims = list(claims)
        if not all(c.id in verdicts and verdicts[c.id].title == c.title for c in claims):
            yield from real(claims, *args, on_done=on_done, **kwargs)
            return
        for c in claims:
            if on_done is not None:
                on_done(verdicts[c.id])
            yield verdicts[c.id]

    monkeypatch.setattr(runner, "run_claims", run_claims)
    return verdicts


def _thorough() -> bool:
    return os.environ.get("GANTHEORY_HYPOTHESIS_PROFILE", "") == "thorough"


def pytest_collection_modifyitems(config, items):
    """Tests marked ``slow`` run under the ``thorough`` profile or when ``-m`` selects markers; the
    default run (the README's test command) deselects them and says how many."""
    if _thorough() or config.option.markexpr:
        return
    slow = [item for item in items if item.get_closest_marker("slow") is not None]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if item.get_closest_marker("slow") is None]
