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
from _processes import running  # noqa: E402

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


#: Two processes started by the controller of a distributed run over the configured test paths (the README's
#: command, the slow run), which work while the test workers run the tests that do not wait for them:
#: - ``verdicts`` proves the registry (one forked prover: 70 CPU-s here, against 84 with two, which repeat each
#:   other's SymPy work); the tests that need the verdicts come last (see pytest_collection_modifyitems);
#: - ``kernels`` compiles the Numba kernels into Numba's on-disk cache (about 25 CPU-s; without it each worker,
#:   and each process a test starts, compiles them again on a clean checkout); a worker's first use of the
#:   kernels waits for it (see _kernels_after_warm_up).
#: Each writes ``NAME.done`` when it has finished (``verdicts.pickle`` first), or ``NAME.failed`` with the
#: traceback; a worker whose wait ends otherwise does the work itself.
_BACKGROUND = ("verdicts", "kernels")
_SCRIPT = """
import os, pickle, sys, threading, time, traceback
sys.dont_write_bytecode = False
name, shared, root = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, root)


def watch(parent=os.getppid()):  # the run's controller gone (crashed, killed): nobody needs the result
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


threading.Thread(target=watch, daemon=True).start()
try:
    if name == "verdicts":
        import gantheory
        out = {v.id: v for v in gantheory.prove(jobs=1)}
        with open(os.path.join(shared, "verdicts.pickle.part"), "wb") as f:
            pickle.dump(out, f)
        os.replace(os.path.join(shared, "verdicts.pickle.part"), os.path.join(shared, "verdicts.pickle"))
    else:
        from gantheory.engine._backend import warm_compiled
        warm_compiled()
    open(os.path.join(shared, name + ".done"), "w").close()
except BaseException:
    with open(os.path.join(shared, name + ".failed"), "w") as f:
        f.write(traceback.format_exc())
"""
_BACKGROUND_KEY = pytest.StashKey()


def _needs_verdicts(item) -> bool:
    return "verdicts" in getattr(item, "fixturenames", ())


def _starts_background(config) -> bool:
    """The controller of a distributed run (pytest-xdist) over the configured test paths, not a worker."""
    if hasattr(config, "workerinput") or not config.pluginmanager.has_plugin("dsession"):
        return False
    if config.option.keyword or config.getoption("collectonly", False):
        return False
    return config.args_source == pytest.Config.ArgsSource.TESTPATHS


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    """The controller starts the background work before the workers start (xdist starts them after this)."""
    config = session.config
    if not _starts_background(config):
        return
    import subprocess

    shared = config._tmp_path_factory.getbasetemp()
    root = os.path.dirname(os.path.dirname(os.path.abspath(gantheory.__file__)))
    procs = []
    for name in _BACKGROUND:
        with open(shared / f"{name}.log", "w") as log:
            proc = subprocess.Popen([sys.executable, "-c", _SCRIPT, name, str(shared), root],
                                    stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
        (shared / f"{name}.background").write_text(str(proc.pid))
        procs.append(proc)
    config.stash[_BACKGROUND_KEY] = procs


def pytest_configure(config):
    if hasattr(config, "workerinput") and config.option.basetemp:  # a pytest-xdist worker: basetemp is its own
        from pathlib import Path

        shared = Path(config.option.basetemp).parent
        if (shared / "kernels.background").exists():
            _kernels_after_warm_up(shared)


def pytest_sessionfinish(session):
    import signal

    for proc in session.config.stash.get(_BACKGROUND_KEY, []):
        if proc.poll() is None:  # the run ended (or stopped) before it needed the work: the process and the
            try:                 # prover's forked worker (its own session, so its own group)
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()


def _wait_for(shared, name: str) -> bool:
    """Wait for the background process ``name``: True once it is done, False if it failed or is gone."""
    import time

    pid = int((shared / f"{name}.background").read_text())
    while not (shared / f"{name}.done").exists():
        if (shared / f"{name}.failed").exists() or not running(pid):
            return (shared / f"{name}.done").exists()
        time.sleep(0.05)
    return True


def _kernels_after_warm_up(shared) -> None:
    """Make the worker's first use of the compiled kernels wait for the background warm-up, so that it loads
    them from Numba's cache instead of compiling them too. ``compiled()`` returns the one module object it
    keeps (``_backend._COMPILED``); until that is filled, a stand-in takes its place, which waits, fills it
    and hands on each attribute. Nothing changes where Numba is not installed."""
    import importlib.util

    from gantheory.engine import _backend

    if _backend._COMPILED or importlib.util.find_spec("numba") is None:
        return

    class _AfterWarmUp:
        # a test that patches a kernel on compiled()'s object (monkeypatch.setattr) patches the module itself: set
        # on this stand-in, it was lost once compiled() returned the module (a test failed when it came first)
        @staticmethod
        def _module():
            _wait_for(shared, "kernels")
            from gantheory.engine import _compiled

            _backend._COMPILED[0] = _compiled
            return _compiled

        def __getattr__(self, name):
            return getattr(self._module(), name)

        def __setattr__(self, name, value):
            setattr(self._module(), name, value)

        def __delattr__(self, name):
            delattr(self._module(), name)

    _backend._COMPILED.append(_AfterWarmUp())


@pytest.fixture(scope="session")
def verdicts(tmp_path_factory):
    """Every registered claim's verdict, proved once per test session. Under pytest-xdist the controller's
    background prover (see _BACKGROUND) or else the first worker to ask proves them, and the others read the pickle
    (a lock file orders them)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return {v.id: v for v in gantheory.prove()}
    import fcntl
    import pickle

    shared = tmp_path_factory.getbasetemp().parent
    with open(shared / "verdicts.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            cache = shared / "verdicts.pickle"
            if (shared / "verdicts.background").exists():
                _wait_for(shared, "verdicts")
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
    default run (the README's test command) deselects them and says how many. The tests that need the
    registry's verdicts run last, so that the workers are busy while the background prover works."""
    items.sort(key=_needs_verdicts)  # stable: the tests that need the registry's verdicts last
    if _thorough() or config.option.markexpr:
        return
    slow = [item for item in items if item.get_closest_marker("slow") is not None]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if item.get_closest_marker("slow") is None]
