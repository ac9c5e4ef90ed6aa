"""Command-line behaviour: exit codes, one-line errors, JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest
from _cli import run_cli

from gantheory import __version__
from gantheory.cli import main


def _run(*args):
    return run_cli(*args)


@pytest.mark.slow
def test_prove_subset_table(capsys):
    assert main(["prove", "-k", "value-cg"]) == 0
    out = capsys.readouterr().out
    assert "value-cg-jsd" in out and "every outcome as expected" in out


def test_prove_json_is_one_array(capsys):
    assert main(["prove", "-k", "eq-loss", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == ["eq-loss-g", "eq-loss-d"]


@pytest.mark.parametrize("args, needle", [
    (["prove", "--bogus"], "unrecognized arguments"),
    (["prove", "-k", "nothing-matches-this"], "matches no claim"),
    (["prove", "--timeout", "0"], "--timeout"),
    (["frobnicate"], "invalid choice"),
])
def test_usage_errors_exit_2_in_one_line(args, needle):
    r = _run(*args)
    assert r.returncode == 2
    assert needle in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr


def test_version_and_help():
    r = _run("--version")
    assert r.returncode == 0 and __version__ in r.stdout
    r = _run("prove", "--help")
    assert r.returncode == 0 and "--json" in r.stdout


def _run_json(*args):
    r = run_cli("run", *args, "--json")
    return r.returncode, (json.loads(r.stdout) if r.returncode == 0 else None), r.stderr


def test_run_json_contract_and_comparison():
    rc, out, err = _run_json("glgd", "--steps", "4")
    assert rc == 0, err
    for key in ("algorithm", "steps", "history"):
        assert key in out
    rec = out["history"][-1]
    for key in ("step", "objective", "kl", "jsd", "w1", "expected_R", "max_cell_mass"):
        assert key in rec
    assert [r["algorithm"] for r in out["runs"]] == ["glgd-projected", "glgd-mirror"]
    assert all(r["rate_of"] == "kl" for r in out["runs"])
    rc, out, err = _run_json("glgd", "--steps", "4", "--method", "mirror")
    assert rc == 0 and out["algorithm"] == "glgd-mirror" and "runs" not in out


def test_run_rate_stops_at_the_rounding_floor():
    """The mirror GLGD reaches KL at rounding in a few steps: its rate is measured to the best value above
    the floor (cells x eps x first KL), not to a 1e-31 that depends on the machine's libm."""
    rc, out, err = _run_json("glgd", "--steps", "30", "--method", "mirror")
    assert rc == 0, err
    h = out["history"]
    floor = 512 * np.finfo(np.float64).eps * h[0]["kl"]
    assert out["rounding_floor"] == pytest.approx(floor)
    at = out["at_rounding_from"]
    assert at is not None and h[at]["kl"] <= floor < h[at - 1]["kl"]
    above = [r for r in h[1:] if r["kl"] > floor]
    best = min(above, key=lambda r: r["kl"])
    assert out["rate"] == pytest.approx((best["kl"] / h[0]["kl"]) ** (1 / best["step"]), rel=1e-12)
    rc, out, err = _run_json("glgd", "--steps", "30", "--method", "projected")
    assert rc == 0 and out["at_rounding_from"] is None and 0 < out["rate"] < 1


def test_run_wasserstein_default_reduces_w1_twentyfold():
    rc, out, err = _run_json("wasserstein", "--record-every", "0")
    assert rc == 0, err
    h = out["history"]
    assert out["algorithm"] == "wasserstein-mass" and h[-1]["w1"] < h[0]["w1"] / 20
    rates = {r["algorithm"]: r["rate"] for r in out["runs"]}
    assert rates["wasserstein-mass"] < rates["wasserstein-projected"] < 1  # the seed's geometry is slower


@pytest.mark.parametrize("args, needle", [(["glgd", "--method", "mass"], "--method for glgd must be one of"),
                                          (["altmin", "--method", "mirror"], "--method applies to glgd")])
def test_run_rejects_a_method_that_does_not_apply(args, needle):
    rc, out, err = _run_json(*args)
    assert rc == 2 and needle in err


def test_the_command_line_is_a_package_without_circles():
    """One module per command; each imports only the shared helpers (gantheory.cli._common), never the
    package that assembles them or another command."""
    import pathlib
    import re

    import gantheory.cli

    folder = pathlib.Path(gantheory.cli.__file__).parent
    commands = sorted(p.stem for p in folder.glob("*.py") if not p.stem.startswith("_"))
    assert commands == ["audit", "check", "dynamics", "notes", "prove", "run", "sources", "stability", "train"]
    for name in commands + ["_common"]:
        src = (folder / f"{name}.py").read_text()
        imported = set(re.findall(r"from gantheory\.cli(?:\.(\w+))? import", src))
        assert imported <= {"_common"}, (name, imported)


def test_sources_lines_fit_a_terminal():
    r = run_cli("sources", "--no-check")
    assert r.returncode == 0 and "§" in r.stdout
    assert max(len(line) for line in r.stdout.splitlines()) <= 100


def test_sizes_that_cannot_fit_are_refused_up_front_with_the_estimate():
    """run --n 10^9 used to be killed by the kernel after 50 s; Grid.uniform(-1, 1, 10**12) raised
    MemoryError. Both now refuse before allocating, with the estimate and the memory available."""
    import time

    from gantheory.engine import Grid

    start = time.perf_counter()
    r = _run("run", "glgd", "--n", "1000000000", "--steps", "1")
    assert r.returncode == 2 and "GiB" in r.stderr and "available" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and time.perf_counter() - start < 10
    with pytest.raises(ValueError, match="GiB"):
        Grid.uniform(-1, 1, 10**12)


@pytest.mark.slow
def test_prove_through_dask_gives_the_local_verdicts(shared_verdicts):
    """``prove --scheduler``: the claims as Dask tasks (a registered claim travels as its id: SymPy rebuilds a
    pickled relation by evaluating it, and Eq(ImageOver(...), (0, 1)) arrived as False); the verdicts equal
    the local run's (the session's, served to the local path), on threads, in worker processes and on a local
    distributed cluster, where each claim is verified again."""
    local = json.loads(run_cli("prove", "-k", "disc", "--json").stdout)
    threads = run_cli("prove", "-k", "disc", "--json", "--scheduler", "threads")
    assert threads.returncode == 0
    key = lambda vs: [(v["id"], v["status"], v["detail"]) for v in vs]  # noqa: E731
    assert key(json.loads(threads.stdout)) == key(local)
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0") as c:
        far = run_cli("prove", "-k", "disc-bayes", "--json", "--scheduler", c.scheduler_address)
    assert far.returncode == 0
    assert key(json.loads(far.stdout)) == [k for k in key(local) if k[0].startswith("disc-bayes")]
    spawned = run_cli("prove", "-k", "disc-bayes-in-omega", "--json", "--scheduler", "processes")  # pickled
    assert key(json.loads(spawned.stdout)) == [k for k in key(local) if k[0] == "disc-bayes-in-omega-d"]
    bad = run_cli("prove", "-k", "disc", "--scheduler", "threads", "--jobs", "2")
    assert bad.returncode == 2 and "--jobs and --timeout apply to the local workers" in bad.stderr
    bad = run_cli("prove", "-k", "disc", "--scheduler", "gpu")
    assert bad.returncode == 2 and "scheduler must be" in bad.stderr


@pytest.mark.slow
def test_a_file_that_cannot_be_written_is_one_line_not_a_traceback(tmp_path, monkeypatch):
    """The folder is probed by creating a file there (root may write everywhere by its permission bits, yet
    not in /proc or on a read-only mount); a write that fails later (a full disk) ends in one line, exit 1."""
    import os

    if os.path.isdir("/proc/self"):  # procfs: no file can be created in /proc, whoever asks
        r = run_cli("run", "glgd", "--steps", "2", "--plot", "/proc/x.png")
        assert r.returncode == 2 and "/proc" in r.stderr and "Traceback" not in r.stderr, r.stderr
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    def full(self, fname, *a, **k):
        raise OSError(28, "No space left on device", str(fname))

    monkeypatch.setattr(Figure, "savefig", full)
    r = run_cli("run", "glgd", "--steps", "2", "--plot", tmp_path / "x.png")
    assert r.returncode == 1 and r.stderr.strip().splitlines() == [f"gantheory: error: {tmp_path / 'x.png'}: "
                                                                   "No space left on device"], r.stderr
