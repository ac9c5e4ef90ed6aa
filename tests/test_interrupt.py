"""Ctrl-C as a terminal sends it (SIGINT to the whole process group): workers stopped, one line
"interrupted after k/N ...", a partial summary, exit status 130, no traceback, no process left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="process groups and SIGINT are POSIX")


def _interrupt(args, after: float):
    p = subprocess.Popen([sys.executable, "-m", "gantheory", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, start_new_session=True)
    time.sleep(after)
    assert p.poll() is None, "the command finished before the signal: make it longer"
    os.killpg(p.pid, signal.SIGINT)
    out, err = p.communicate(timeout=60)
    time.sleep(0.3)
    try:  # every worker of the group is gone
        os.killpg(p.pid, 0)
        left = True
    except ProcessLookupError:
        left = False
    return p.returncode, out, err, left


def test_sigint_stops_prove_with_a_partial_summary():
    rc, out, err, left = _interrupt(["prove"], 4.0)
    assert rc == 130, err
    assert "Traceback" not in err and not left
    assert "gantheory: interrupted after" in err and " claims" in err
    assert "interrupted:" in out and "claims not checked" in out
    assert "NOT as expected" not in out  # no innocent claim reported failed by the signal
    assert "every outcome as expected" not in out


def test_sigint_stops_notes_without_writing(tmp_path):
    target = tmp_path / "n.tex"
    rc, out, err, left = _interrupt(["notes", "--format", "latex", "-o", str(target)], 3.0)
    assert rc == 130 and "Traceback" not in err and not left
    assert "interrupted after" in err and "no notes written" in err
    assert not target.exists()


def test_sigint_stops_run_with_the_last_record(tmp_path):
    rc, out, err, left = _interrupt(["run", "wasserstein", "--steps", "1000000", "--plot", str(tmp_path / "w.png")],
                                    3.0)
    assert rc == 130 and "Traceback" not in err and not left
    assert "interrupted after" in err and "/1000000 steps" in err and "last record" in err
    assert not (tmp_path / "w.png").exists()


@pytest.mark.parametrize("bad, msg", [("/nonexistent-folder/x.png", "does not exist"), ("x.txt", "unsupported format")])
def test_bad_plot_path_fails_before_computing(bad, msg):
    start = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "gantheory", "run", "glgd", "--steps", "100000", "--plot", bad],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and msg in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert time.perf_counter() - start < 30  # it did not run 100000 steps first


def test_plot_without_suffix_reports_the_file_it_wrote(tmp_path):
    target = tmp_path / "noext"
    r = subprocess.run([sys.executable, "-m", "gantheory", "dynamics", "--game", "bilinear", "--optimizer", "simgd",
                        "--h", "0.1", "--plot", str(target)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "noext.png").exists()
    assert f"plot written to {target}.png" in r.stdout
