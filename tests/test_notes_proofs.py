"""Lecture notes, proof scripts and formulas: what a lecturer and a student actually run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _cli import run_cli

from gantheory import formulas
from gantheory._runner import run_claims
from gantheory.report._notes import render_notes
from gantheory.topics import REGISTRY

ROOT = Path(__file__).resolve().parents[1]
ERRATA = [c for c in REGISTRY.values() if not c.expected]


@pytest.fixture(scope="module")
def some_verdicts():
    ids = ["div-kl-mixture-as-printed", "div-kl-mixture", "disc-optimal-d", "dyn-r1-eigenvalues",
           "fgan-pearson-conjugate-as-printed", "fgan-pearson-conjugate", "dual-w-star"]
    return list(run_claims([REGISTRY[i] for i in ids]))


@pytest.mark.slow
def test_markdown_shows_errata_side_by_side(some_verdicts):
    md = render_notes(some_verdicts, "markdown")
    assert "## Computing the GAN Equilibrium" in md and "$$" in md
    i = md.index("`div-kl-mixture-as-printed`")
    block = md[i:md.index("**", i + 40)]
    assert "Counterexample: p_2 = " in block and "Corrected (`div-kl-mixture`)" in block
    assert "The f-GAN table, computed" in md


def _pdflatex(tex: str, folder) -> str:
    """Compile ``tex`` as notes.tex in ``folder`` (skip without pdflatex); returns the log."""
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex not installed (.ci/run installs texlive-latex-base)")
    (folder / "notes.tex").write_text(tex)
    r = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "notes.tex"], cwd=folder,
                       capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stdout[-2000:]
    return (folder / "notes.log").read_text(errors="replace")


def test_latex_compiles(tmp_path, some_verdicts):
    tex = render_notes(some_verdicts, "latex")
    assert tex.startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")
    _pdflatex(tex, tmp_path)
    assert (tmp_path / "notes.pdf").stat().st_size > 10_000


#: spellings of Python or of SymPy's str() that must not reach a page of the notes
PYTHON_SPELLINGS = [r"\*\*(?!\}|\(u\))", r"Interval", r"\bEq\(", r"Matrix\(", r"\bsqrt\(", r"\boo\b", r"array\(",
                    r"Piecewise", r"\bTuple\(", r"\\text\{True\}", r"\\text\{False\}", r"\\\{'", r"\d+j\b",
                    r"Immutable", r"_gt_", r"\['", r"'\]", r"EmptySet", r"\bReals\b", r"Abs\(", r"CRootOf",
                    r"LambertW", r"(?<!\\)\binf\)", r"[-+(]\s*inf\b", r"\+\s*-(?!\d)", r"-\s*\+(?=\s)",
                    r"\b[a-z]+\d'", r"\b\d+\.0\b(?!\d)"]

#: what a reader must not see in the PDF's text (pdftotext): Python and SymPy spellings, floats where
#: the derivation is exact (doubled signs are checked in the LaTeX: pdftotext scatters a display's
#: fractions and radicals over lines, so signs that are apart on the page meet in its text)
PDF_SPELLINGS = [r"EmptySet", r"Interval", r"\boo\b", r"Abs\(", r"CRootOf", r"\*\*", r"sqrt\(", r"Piecewise",
                 r"Lambda\(", r"\bEq\(", r"\bTrue\b(?! of)", r"\bFalse\b", r"\bNone\b", r"[-+(−]\s*inf\b",
                 r"\b(?:phi|psi|theta)\d", r"(?<![\d.])-?\d+\.0(?:[^\d]|$)",
                 r"f∧", r"\bnan\b"]


@pytest.mark.slow
def test_all_notes_compile_without_overfull_boxes_or_python(tmp_path, verdicts):
    """The whole notes: no Python spelling in the .tex, and pdflatex reports no overfull box (nothing
    runs past the margin)."""
    import re

    tex = render_notes(list(verdicts.values()), "latex")
    found = {p: re.findall(r".{0,30}" + p + r".{0,30}", tex)[:3] for p in PYTHON_SPELLINGS}
    assert not {p: f for p, f in found.items() if f}
    md = render_notes(list(verdicts.values()), "markdown")
    assert not re.search(r"Interval\.|\bEq\(|Piecewise|\{'", md.split("## The f-GAN table")[0])
    log = _pdflatex(tex, tmp_path)
    assert "Overfull" not in log, log[log.index("Overfull"):][:600]
    assert "Erratum:" in tex and tex.count(r"\begin{erratum}") == sum(not v.expected for v in verdicts.values())
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed (Debian: poppler-utils; .ci/run installs it)")
    r = subprocess.run(["pdftotext", "notes.pdf", "-"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    page = r.stdout
    found = {p: re.findall(r".{0,40}" + p + r".{0,40}", page)[:3] for p in PDF_SPELLINGS}
    assert not {p: f for p, f in found.items() if f}
    assert "Pearson χ" in page or "Pearson χ" in page.replace("\n", " ")  # the table's headings are mathematics


def test_notes_cli_writes_a_file(tmp_path):
    out = tmp_path / "n.md"
    r = run_cli("notes", "--format", "markdown", "-k", "eq-loss",
                        "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "eq-loss-g" in out.read_text()
    r = run_cli("notes", "-k", "eq-loss")
    assert r.returncode == 2 and "--format" in r.stderr


def _proof_scripts():
    scripts = sorted((ROOT / "proofs").glob("*.py"))
    assert len(scripts) >= 9
    return scripts


@pytest.mark.slow
def test_every_proof_script_derives_and_exits_0(shared_verdicts, capsys):
    """Each script of proofs/ runs its derivation steps and reports every claim of its topics as
    expected (exit 0). The claims' verdicts are the session's (each claim is proved once per test
    session); the derivation steps are computed here."""
    import runpy

    for script in _proof_scripts():
        with pytest.raises(SystemExit) as stop:
            runpy.run_path(str(script), run_name="__main__")
        out = capsys.readouterr().out
        assert stop.value.code == 0, (script.name, out[-3000:])
        assert "outcomes as expected" in out and "Derivation" in out, script.name
        n = int(out.split("\nClaims (")[1].split(")")[0])
        assert n >= 1 and out.count("\nok ") == n, script.name


@pytest.mark.slow
def test_a_proof_script_runs_as_a_user_runs_it():
    """One script end to end in its own process, proving its claims itself."""
    script = ROOT / "proofs" / "games.py"
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert "outcomes as expected" in r.stdout and "Derivation" in r.stdout


@pytest.mark.slow
def test_every_proof_script_exits_0_in_its_own_process():
    """Each script of proofs/ runs as a user runs it and exits 0; two at a time (the machine's two cores)."""
    from concurrent.futures import ThreadPoolExecutor

    def run(script):
        return script, subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)

    with ThreadPoolExecutor(2) as pool:
        for script, r in pool.map(run, _proof_scripts()):
            assert r.returncode == 0, (script.name, r.stdout[-3000:] + r.stderr[-3000:])
            assert "outcomes as expected" in r.stdout and "Derivation" in r.stdout, script.name


def test_formulas_come_from_the_registry():
    f = formulas.optimal_discriminator
    assert f.expr is REGISTRY["disc-optimal-d"].statement
    assert f._repr_latex_().startswith("$\\displaystyle")
    assert f.verdict().status == "proved"
    for name in formulas.names():
        assert getattr(formulas, name).id in REGISTRY
    with pytest.raises(AttributeError, match="names"):
        formulas.no_such_formula  # noqa: B018


def test_every_erratum_links_to_a_registered_correction():
    assert len(ERRATA) >= 10
    for c in ERRATA:
        assert REGISTRY[c.correction].expected


def test_notes_json_describes_what_was_written(tmp_path):
    import json

    out = tmp_path / "n.md"
    r = run_cli("notes", "--format", "markdown", "-k", "disc-lemma",
                        "-o", str(out), "--json")
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)
    assert rec["output"] == str(out) and rec["claims"] == 2 and rec["errata"] == 1
    assert rec["statuses"] == {"refuted": 1, "proved": 1} and rec["as_expected"] is True
    r = run_cli("notes", "--format", "markdown", "-k", "disc-lemma",
                        "--json")
    assert r.returncode == 2 and "-o FILE" in r.stderr


@pytest.mark.slow
def test_notes_figures_are_drawn_from_the_run_their_caption_quotes(tmp_path):
    """--figures draws each figure after the claim it illustrates, and its caption quotes the numbers of
    the very run drawn (here: the largest cell mass per step of alternating minimization, recomputed
    independently with the engine)."""
    pytest.importorskip("matplotlib")
    import json
    import re

    from gantheory.engine import Grid, alternating_minimization, gaussian_mixture

    out = tmp_path / "n.tex"
    r = run_cli("notes", "--format", "latex", "-k", "altmin-*",
                        "-o", str(out), "--figures", "--json")
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)
    assert rec["figures"] == {"altmin-not-equilibrium": ["n_figures/mode_collapse.png"]}
    png = tmp_path / "n_figures" / "mode_collapse.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    tex = out.read_text()
    assert r"\includegraphics[width=\linewidth]{n_figures/mode_collapse.png}" in tex
    assert tex.index("mode_collapse.png") > tex.index("altmin-not-equilibrium")
    g = Grid.uniform(-4.0, 4.0, 256)
    traj = alternating_minimization(gaussian_mixture(g, [-2.0, 2.0], 0.5), gaussian_mixture(g, [0.0], 1.0), g,
                                    steps=6)
    caption = tex[tex.index("mode_collapse.png"):]
    caption = caption[caption.index("per step is"):caption.index("(a point")]
    shown = [float(x) for x in re.findall(r"\$(\d+(?:\.\d+)?)\$", caption)]
    assert shown == pytest.approx([float(f"{h['max_cell_mass']:.3g}") for h in traj.history])
    r = run_cli("notes", "--format", "latex", "-k", "altmin-*",
                        "--figures")
    assert r.returncode == 2 and "-o FILE" in r.stderr


def _execute(nb, folder):
    from nbclient import NotebookClient

    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    return nb


@pytest.mark.slow
def test_notebooks_are_written_per_topic_and_run(tmp_path, shared_verdicts, capsys):
    """--format notebook writes one notebook per topic; executing one (nbclient) re-checks every claim in it
    and prints each verdict; a cell whose claim is not as expected raises, so a broken notebook fails."""
    pytest.importorskip("nbclient")
    import json

    import nbformat
    from nbclient.exceptions import CellExecutionError

    from gantheory.cli import main

    assert main(["notes", "--format", "notebook", "-o", str(tmp_path), "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)
    topics = {c.topic for c in REGISTRY.values()}
    assert sorted(Path(p).stem for p in rec["notebooks"]) == sorted(topics | {"training"})
    nb = nbformat.read(tmp_path / "games.ipynb", as_version=4)
    games = [c.id for c in REGISTRY.values() if c.topic == "games"]
    assert sum(f"recheck({cid!r})" in c.source for c in nb.cells for cid in games) == len(games)
    # (a good notebook running to the end: the --execute test below) the same notebook with a verdict that
    # is not the expected one: execution fails at the first claim
    broken = nbformat.read(tmp_path / "games.ipynb", as_version=4)
    broken.cells.insert(2, nbformat.v4.new_code_cell(
        "class _V:\n    status, method, detail, steps = 'refuted', 'symbolic', '', []\n"
        "    as_expected, expected = False, True\ngantheory.check = lambda cid: _V()"))
    broken.cells = broken.cells[:5]
    assert "recheck(" in broken.cells[4].source
    with pytest.raises(CellExecutionError, match="expected proved or checked"):
        _execute(broken, tmp_path)
    r = run_cli("notes", "--format", "notebook")
    assert r.returncode == 2 and "-o FOLDER" in r.stderr


def test_the_training_chapter_asserts_the_theory_about_each_run():
    """Each algorithm's cell of training.ipynb asserts what the theory predicts; the claims it names exist; a
    chapter is written only with every claim (not under -k)."""
    import re

    from gantheory.report._notebook import _TRAINING, training_notebook

    nb = training_notebook()
    code = [c.source for c in nb.cells if c.cell_type == "code"][1:]
    assert len(code) == len(_TRAINING) == 6 and all("\nassert " in c for c in code)
    for md, _ in _TRAINING:
        for cid in re.findall(r"`([a-z0-9-]+)`", md):
            assert cid.endswith("*") or cid in REGISTRY, cid


@pytest.mark.slow
def test_the_training_chapter_runs_and_fails_when_the_theory_does_not_hold(tmp_path):
    """Executed, the chapter runs each algorithm and passes; with the first run's summary falsified (V above
    -log 4 + 2 JSD), its cell raises."""
    pytest.importorskip("nbclient")
    import nbformat
    from nbclient.exceptions import CellExecutionError

    from gantheory.report._notebook import training_notebook

    _execute(training_notebook(), tmp_path)
    broken = training_notebook()
    broken.cells.insert(2, nbformat.v4.new_code_cell(
        "_draw = figures.train_goodfellow\n"
        "def _falsified(path, quick=False):\n    res = _draw(path, quick)\n"
        "    res['summary']['value_below_optimum_at_every_record'] = False\n    return res\n"
        "figures.train_goodfellow = _falsified"))
    broken.cells = broken.cells[:5]
    with pytest.raises(CellExecutionError, match="V\\(D, G\\) exceeded"):
        _execute(broken, tmp_path)


def test_an_erratum_and_its_correction_read_differently():
    """disc-lemma as printed (a, b real) and corrected (a, b > 0) have the same formula: the notes show the
    domains, and the counterexample's better point lies visibly inside (0, 1)."""
    vs = list(run_claims([REGISTRY["disc-lemma-as-printed"], REGISTRY["disc-lemma"]]))
    tex = render_notes(vs, "latex", include_fgan_table=False)
    block = tex[tex.index(r"\begin{erratum}"):tex.index(r"\end{erratum}")]
    printed, corrected = block.split("Corrected and")
    assert r"a, b \in \mathbb{R}" in printed and "a, b > 0" in corrected
    ce = vs[0].counterexample
    assert 0.005 < ce["better_point"] < 0.995 and ce["objective_there"] > ce["objective_at_claimed"]


def test_prose_with_stray_symbols_still_compiles(tmp_path):
    """Titles and notes of claims not written yet: stray ^ _ $ % & # braces and brackets become valid
    LaTeX (a title must never break the notes)."""
    from gantheory.report._notes import prose_tex

    texts = ["x^ and y_", "50% of $5 & #3", "a {b", "sqrt(x", "f*(t)) more", "R^{2", "a \\ b", "p_r ~ q",
             "E[R]]", "((a", "__init__", "a <= b >= c != d -> e << f", "cost $10$ and x^{", "}}{{", "$$", "a_{b",
             "x^(2", "1e-300 and 2.5e+10", "theta_{ij}^2 / sigma_k"]
    body = "\n\n".join(prose_tex(t) for t in texts)
    _pdflatex("\\documentclass{article}\\usepackage{amsmath,amssymb}\\usepackage[T1]{fontenc}"
              "\\begin{document}\n" + body + "\n\\end{document}\n", tmp_path)


def test_notes_refuse_an_extension_that_is_not_the_format(tmp_path):
    r = run_cli("notes", "--format", "latex", "-k", "disc-bayes-f",
                        "-o", str(tmp_path / "x.docx"))
    assert r.returncode == 2 and ".tex" in r.stderr and not (tmp_path / "x.docx").exists()


@pytest.mark.slow
def test_notes_execute_runs_the_notebooks_and_typesets_their_derivations(tmp_path):
    """notes --format notebook --execute: one command writes and runs the notebooks (exit 0 when every
    claim is as expected), saves their outputs, and the derivation steps are typeset math (text/latex),
    not SymPy text; --execute with another format is a usage error."""
    pytest.importorskip("nbclient")
    import json

    import nbformat

    r = run_cli("notes", "--format", "notebook", "-k", "disc-bayes-*", "-o", str(tmp_path), "--execute", "--json")
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)
    assert [e["ok"] for e in rec["executed"]] == [True] and "every claim as expected" in r.stderr
    nb = nbformat.read(rec["notebooks"][0], as_version=4)
    outs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert any("text/latex" in o.get("data", {}) for o in outs)
    printed = "".join(o.get("text", "") for o in outs)
    assert printed.count("proved") + printed.count("checked") + printed.count("refuted") >= len(rec["ids"]) >= 1
    assert not any("Piecewise(" in o.get("text", "") or "**" in o.get("text", "") for o in outs)
    r = run_cli("notes", "--format", "latex", "-k", "disc-bayes-*", "--execute")
    assert r.returncode == 2 and "--format notebook" in r.stderr
