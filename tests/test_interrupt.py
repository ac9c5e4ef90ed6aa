"""Ctrl-C as a terminal sends it (SIGINT to the whole process group): workers stopped, one line
"interrupted after k/N ...", a partial summary, exit status 130, no traceback, no process left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from _cli import run_cli

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="process groups and SIGINT are POSIX")


def _signal_state() -> str:
    """SIGINT in this thread's blocked mask and in the process's ignored set (what a child inherits)."""
    try:
        with open("/proc/thread-self/status") as f:
            fields = dict(line.split(":", 1) for line in f if line.startswith(("SigBlk", "SigIgn")))
    except OSError:
        return "unknown"
    bit = 1 << (signal.SIGINT - 1)
    return ", ".join(f"SIGINT {'in' if int(v, 16) & bit else 'not in'} {k}" for k, v in sorted(fields.items()))


def _interrupt(args, ready: str, blocked: bool = False):
    """Start ``gantheory ARGS`` in its own process group with stderr on a terminal (a pty, so that it
    shows its progress), wait until stderr matches ``ready`` (work is under way), send SIGINT to the
    group as a terminal does, and return (exit status, stdout, stderr, whether a process of the group
    was left). The group is killed in any case, so a failing test leaves nothing running. ``blocked``
    starts the command with SIGINT blocked, as a careless parent would (the mask survives exec)."""
    import pty
    import re
    import threading

    master, slave = pty.openpty()
    state = _signal_state()
    # Started as a terminal's shell starts a foreground job: SIGINT at its default action. The test run itself
    # may ignore SIGINT (a suite started in the background of a non-interactive shell), and an ignored signal
    # survives exec: a launcher resets it (and, for ``blocked``, blocks it) before exec'ing gantheory.
    launch = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
              + ("signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}); " if blocked else "")
              + "os.execv(sys.executable, [sys.executable, '-m', 'gantheory', *sys.argv[1:]])")
    p = subprocess.Popen([sys.executable, "-c", launch, *args], stdout=subprocess.PIPE, stderr=slave,
                         text=True, start_new_session=True)
    os.close(slave)
    chunks: list[bytes] = []

    def drain():  # read the terminal all along, so that the command never blocks writing to it
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the pty closes with the last process holding it
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 120
        while not re.search(ready, b"".join(chunks).decode(errors="replace")):
            assert p.poll() is None, "the command finished before the signal: make it longer"
            assert time.monotonic() < deadline, f"no progress matching {ready!r} in 120 s"
            time.sleep(0.05)
        os.killpg(p.pid, signal.SIGINT)
        out = p.communicate(timeout=60)[0]
        deadline = time.monotonic() + 10
        left = True
        while left and time.monotonic() < deadline:  # every worker of the group is gone
            try:
                os.killpg(p.pid, 0)
                time.sleep(0.05)
            except ProcessLookupError:
                left = False
        reader.join(timeout=10)
        err = b"".join(chunks).decode(errors="replace").replace("\r\n", "\n")
        return p.returncode, out, err + f"\n[the test process when it started the command: {state}]", left
    finally:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait(timeout=30)
        reader.join(timeout=10)
        os.close(master)


@pytest.mark.slow
def test_sigint_stops_prove_with_a_partial_summary():
    rc, out, err, left = _interrupt(["prove"], r"checked [1-9]\d*/")
    assert rc == 130, err
    assert "Traceback" not in err and not left
    assert "gantheory: interrupted after" in err and " claims" in err
    assert "interrupted:" in out and "claims not checked" in out
    assert "NOT as expected" not in out  # no innocent claim reported failed by the signal
    assert "every outcome as expected" not in out


@pytest.mark.slow
def test_sigint_stops_notes_without_writing(tmp_path):
    target = tmp_path / "n.tex"
    rc, out, err, left = _interrupt(["notes", "--format", "latex", "-o", str(target)], r"checking claims: [1-9]\d*/")
    assert rc == 130 and "Traceback" not in err and not left
    assert "interrupted after" in err and "no notes written" in err
    assert not target.exists()


@pytest.mark.parametrize("blocked", [pytest.param(False, id="default"),
                                     pytest.param(True, id="inherited-blocked", marks=pytest.mark.slow)])
def test_sigint_stops_run_with_the_last_record(tmp_path, blocked):
    rc, out, err, left = _interrupt(["run", "wasserstein", "--steps", "1000000", "--plot", str(tmp_path / "w.png")],
                                    r"\] [1-9]\d*/1000000", blocked=blocked)
    assert rc == 130 and "Traceback" not in err and not left, err[-3000:]
    assert "interrupted after" in err and "/1000000 steps" in err and "last record" in err
    assert not (tmp_path / "w.png").exists()


@pytest.mark.parametrize("bad, msg", [("/nonexistent-folder/x.png", "does not exist"), ("x.txt", "unsupported format")])
def test_bad_plot_path_fails_before_computing(bad, msg):
    start = time.perf_counter()
    r = run_cli("run", "glgd", "--steps", "100000", "--plot", bad)
    assert r.returncode == 2 and msg in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert time.perf_counter() - start < 30  # it did not run 100000 steps first


def test_plot_without_suffix_reports_the_file_it_wrote(tmp_path):
    target = tmp_path / "noext"
    r = run_cli("dynamics", "--game", "bilinear", "--optimizer", "simgd",
                        "--h", "0.1", "--plot", str(target))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "noext.png").exists()
    assert f"plot written to {target}.png" in r.stdout
