"""Command-line behaviour: exit codes, one-line errors, JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gantheory import __version__
from gantheory.cli import main


def _run(*args):
    return subprocess.run([sys.executable, "-m", "gantheory", *args], capture_output=True, text=True)


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
