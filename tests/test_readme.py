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


#: A number printed with a decimal point or an exponent.
_FLOAT = r"[-+]?(?:\d+\.\d*|\.\d+|\d+(?=[eE]))(?:[eE][-+]?\d+)?"
#: How far a printed float may be from the README's: 1e-3 relative. The same code gives last-bit
#: different exp/log on other CPUs (SIMD paths of NumPy and libm), and a run of a thousand steps at a
#: rate near 1 carries that into the fourth significant digit (4.1288e-12 on one machine, 4.1286e-12 on
#: another). Integers (counts, steps, cell numbers) are compared exactly.
FLOAT_RTOL = 1e-3


def _line_matches(expected: str, actual: str) -> bool:
    """One line: text equal, ``...`` any text, floats within FLOAT_RTOL."""
    parts, floats = [], []
    for k, piece in enumerate(expected.split("...")):
        if k:
            parts.append(".*?")
        pos = 0
        for m in re.finditer(_FLOAT, piece):
            if m.start() > 0 and (piece[m.start() - 1].isalnum() or piece[m.start() - 1] in "_."):
                continue  # part of a word or of a version such as v1.2
            parts.append(re.escape(piece[pos:m.start()]) + "(" + _FLOAT + ")")
            floats.append(float(m.group()))
            pos = m.end()
        parts.append(re.escape(piece[pos:]))
    m = re.fullmatch("".join(parts), actual)
    if m is None:
        return False
    got = [float(g) for g in m.groups()]
    return all(abs(g - e) <= FLOAT_RTOL * abs(e) for g, e in zip(got, floats))


def _matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line; ``...`` alone matches any run of lines, ``...`` inside a line any text, and floats
    agree to FLOAT_RTOL."""
    exp = [_normalize(e) for e in expected]
    act = [_normalize(a) for a in actual]
    seen: dict = {}

    def match(i: int, j: int) -> bool:
        if (i, j) in seen:
            return seen[(i, j)]
        if i == len(exp):
            out = j == len(act)
        elif exp[i].strip() == "...":
            out = any(match(i + 1, k) for k in range(j, len(act) + 1))
        else:
            out = j < len(act) and _line_matches(exp[i], act[j]) and match(i + 1, j + 1)
        seen[(i, j)] = out
        return out

    return match(0, 0)


def test_the_transcript_comparison_can_fail():
    """The tolerance admits a last-digit difference and nothing coarser; text, integers and lines count."""
    assert _matches(["rate 0.992548 at step 1200", "...", "end"], ["rate 0.992549 at step 1200", "x", "y", "end"])
    assert _matches(["   0  4.1288e-12"], ["   0  4.1286e-12"])
    assert not _matches(["rate 0.992548"], ["rate 0.990548"])
    assert not _matches(["at step 1200"], ["at step 1201"])
    assert not _matches(["last 3.25e-31"], ["last 0"])
    assert not _matches(["a 1.0", "b"], ["a 1.0"])
    assert not _matches(["proved"], ["refuted"])
    assert _matches(["x ... 1.5 y"], ["x anything 1.5 y"])
    assert _matches(["v1.2 in 0.5 s"], ["v1.2 in 9.9 s"])  # timings are normalized away


CASES = [(c, e) for c, e in _transcripts() if not c.startswith("echo") and c not in NOT_RUN]


def test_the_readme_has_transcripts():
    assert len(CASES) >= 10


#: transcripts checked in the slow run only (1-6 s each here: training runs, a joint optimum, a map, the whole
#: registry's discriminator claims, an audit with its page); the default run checks the rest
SLOW_TRANSCRIPTS = ("gantheory train ", "gantheory prove -k",
                    "gantheory audit examples/lectures/gan_divergences.tex --html",
                    "gantheory stability --game bilinear --optimizer altgd --optimize",
                    "gantheory stability --game bilinear --optimizer altgd --map")


@pytest.mark.parametrize("command, expected", [
    pytest.param(c, e, id=c[:60], marks=[pytest.mark.slow] if c.startswith(SLOW_TRANSCRIPTS) else [])
    for c, e in CASES])
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


def _check_table():
    """The rows of the README's table of `check` verdicts: (statement, assumptions, verdict), one per statement.
    A cell lists statements in backticks, groups separated by '; ' paired with the assumptions' groups; 'the
    same' repeats the row above; '(the first)' gives the assumptions to the first statement only."""
    text = (ROOT / "README.md").read_text()
    start = text.index("| statement typed | assumptions | verdict | repairs proposed |")
    rows = []
    previous: list[list[str]] = []
    for line in text[start:].split("\n")[2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        stmt_cell, assume_cell, verdict_cell = cells[0], cells[1], cells[2]
        verdict = re.match(r"[a-z]+", verdict_cell).group(0)

        def groups(cell):
            return [re.findall(r"`([^`]*)`", g) for g in re.split(r";\s+(?=`)", cell)]

        stmts = previous if stmt_cell == "the same" else groups(stmt_cell)
        previous = stmts
        assumes = [re.findall(r"--assume '([^']*)'", g) for g in re.split(r";\s+(?=`)", assume_cell)]
        for k, group in enumerate(stmts):
            for j, stmt in enumerate(group):
                if "(the first)" in assume_cell:
                    given = assumes[0] if (k, j) == (0, 0) else []
                elif len(assumes) == len(stmts):
                    given = assumes[k]
                else:
                    given = assumes[0]
                stmt = re.sub(r"\\(\\)?\|", lambda m: (m.group(1) or "") + "|", stmt)  # \| is |, \\| is \|
                rows.append((stmt, tuple(given), verdict))
    return rows


def test_the_check_table_reads_its_rows():
    rows = _check_table()
    assert len(rows) >= 30
    assert ("log(x) <= x - 1", ("x > 0",), "proved") in rows
    assert ("\\left| x - 1 \\right| \\le |x| + 1", (), "proved") in rows
    assert ("x**2 < 1", ("-1 <= x <= 1",), "refuted") in rows
    assert ("KL(p || q) = KL(q || p)", (), "refuted") in rows


@pytest.mark.slow
@pytest.mark.parametrize("statement, assume, verdict", _check_table(), ids=lambda v: str(v)[:50])
def test_the_check_table_is_what_check_says(statement, assume, verdict):
    """Every verdict in the README's table of `check` verdicts is the one `check` gives."""
    from gantheory.checking import check_statement

    res = check_statement(statement, assume=list(assume), repairs=False)
    assert res.status == verdict, (statement, assume, res.status, res.detail)
