"""The README's terminal transcripts are what the code prints today.

Every ```python block of README.md runs (see the last test), and every ```text block that starts with
``$ gantheory ...`` is run (from the repository's root,
files it would write redirected to a temporary folder) and its output compared with the block, line by
line, after the normalizations below -- the one documented place where a transcript may differ:

- timings (``0.4 s``, the ``seconds`` column of ``prove``) are not compared;
- a line ``...`` (any indentation) stands for any number of lines, and ``...`` inside a line for any text;
- ``$ echo $?`` compares the exit status of the command before it.

``gantheory sources`` proves every claim for its statuses: here it gets the test session's verdicts
(``shared_verdicts``), so it costs nothing extra.
"""

from __future__ import annotations

import os
import pathlib
import re
import shlex
import subprocess
import sys

import pytest
from _cli import run_cli

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOT_RUN: set[str] = set()


def _transcripts():
    text = (ROOT / "README.md").read_text()
    out = []
    for block in re.findall(r"```text\n(.*?)```", text, flags=re.S):
        lines = block.rstrip("\n").split("\n")
        if not lines or not lines[0].startswith("$ gantheory"):
            continue
        cmd, expected = None, []
        for line in lines + ["$ END"]:
            if line.startswith("$ "):
                if cmd is not None:
                    out.append((cmd, expected))
                cmd, expected = line[2:], []
            else:
                expected.append(line)
    return [(c, e) for c, e in out if c != "END"]


def _normalize(line: str) -> str:
    line = re.sub(r"\b\d+\.\d+ s\b", "<t> s", line)
    line = re.sub(r"(proved|checked|refuted|failed|\(erratum\))(\s+)\d+\.\d\d$", r"\1\2<t>", line)
    return line.rstrip()


def _matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line; ``...`` alone matches any run of lines, ``...`` inside a line any text."""
    pattern = []
    for line in expected:
        norm = _normalize(line)
        if norm.strip() == "...":
            pattern.append(r"(?:[^\n]*\n)*?")
        else:
            pattern.append(".*".join(re.escape(part) for part in norm.split("...")) + r"\n")
    return re.fullmatch("".join(pattern), "".join(_normalize(a) + "\n" for a in actual)) is not None


CASES = [(c, e) for c, e in _transcripts() if not c.startswith("echo") and c not in NOT_RUN]


def test_the_readme_has_transcripts():
    assert len(CASES) >= 10


@pytest.mark.parametrize("command, expected", CASES, ids=[c[:60] for c, _ in CASES])
def test_a_readme_transcript_is_what_the_code_prints(command, expected, tmp_path, monkeypatch, request):
    args = shlex.split(command)[1:]
    written = {}
    for opt in ("--html", "--plot", "-o"):  # files the command writes go to a temporary folder
        if opt in args:
            k = args.index(opt) + 1
            written[str(tmp_path / pathlib.Path(args[k]).name)] = args[k]
            args[k] = str(tmp_path / pathlib.Path(args[k]).name)
    transcripts = _transcripts()
    idx = [c for c, _ in transcripts].index(command)
    exit_expected = None
    if idx + 1 < len(transcripts) and transcripts[idx + 1][0] == "echo $?":
        exit_expected = int(transcripts[idx + 1][1][0])
    if command.startswith("gantheory sources"):
        request.getfixturevalue("shared_verdicts")
    if idx == 0:  # the first transcript through the installed entry point, the rest in-process
        r = subprocess.run([sys.executable, "-m", "gantheory", *args], capture_output=True, text=True, timeout=300,
                           cwd=ROOT, env={**os.environ, "COLUMNS": "100"})
    else:
        monkeypatch.setenv("COLUMNS", "100")
        r = run_cli(*args, cwd=ROOT)
    actual = (r.stdout + r.stderr).rstrip("\n").split("\n")
    for tmp, original in written.items():
        actual = [a.replace(tmp, original) for a in actual]
    while expected and expected[-1] == "":
        expected = expected[:-1]
    assert _matches(expected, actual), "\n".join(["README:", *expected, "", "today:", *actual])
    if exit_expected is not None:
        assert r.returncode == exit_expected


def _python_blocks():
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_the_readme_python_snippets_run():
    """Every ```python block of the README runs as printed; the example claim of "Adding a claim" is a
    valid claim whose verifier proves it and refutes its twin; the engine snippet's comments hold."""
    import sympy as sp

    import gantheory
    from gantheory import Claim, Twin
    from gantheory import verify as V
    from gantheory.symbolic import JSD, VirtualCriterion, p_data, p_g

    blocks = _python_blocks()
    assert len(blocks) >= 3
    for code in blocks:
        ns: dict = {"sp": sp, "Claim": Claim, "Twin": Twin, "V": V.general, "VirtualCriterion": VirtualCriterion,
                    "p_data": p_data, "p_g": p_g, "JSD": JSD, "log": sp.log}
        if code.lstrip().startswith("Claim("):
            claim = eval(compile(code, "README.md", "eval"), ns)  # our own README's example, not user text
            v = claim.verify()
            assert v.status == "proved" and v.mutants == 1, (v.status, v.detail)
            continue
        exec(compile(code, "README.md", "exec"), ns)
        if "grid = Grid.uniform(-4.0, 4.0, 512)" in code:
            grid, p_r, traj = ns["grid"], ns["p_r"], ns["traj"]
            assert grid.shape == (512,) and grid.cell_volume == pytest.approx(8 / 512)
            assert float(p_r.sum() * grid.cell_volume) == pytest.approx(1, abs=1e-12)
            assert set(traj.history[-1]) >= {"step", "objective", "kl", "jsd", "w1", "expected_R", "max_cell_mass"}
        if "gantheory.check(" in code:
            assert ns["v"].status in ("proved", "checked") and ns["v"].id == "value-cg-jsd"
    assert gantheory.claims()
