"""The command line run in this process, as a test sees a subprocess: exit code, stdout, stderr.

A subprocess pays Python's start-up and the registry's import (about 1.5 s) on every call; most tests
of the command line ask what it prints and returns, which ``gantheory.cli.main`` answers in-process
(argparse's own exits included). A traceback would escape ``main`` and fail the test, as it would
show on a subprocess's stderr. Tests of the entry point itself, of signals and of the README's
``python -m`` spellings start real processes.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
from pathlib import Path


def run_cli(*args, cwd: str | Path | None = None) -> subprocess.CompletedProcess:
    """``gantheory ARGS`` in-process; the result has ``returncode``, ``stdout`` and ``stderr``."""
    from gantheory.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as stop:  # argparse's --help and usage errors
                code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 2)
    finally:
        os.chdir(old)
    return subprocess.CompletedProcess(["gantheory", *map(str, args)], code, out.getvalue(), err.getvalue())
