"""``gantheory audit FILE``: a lecture checked statement by statement (issue 26).

A beamer deck and a Markdown file written for these tests carry true statements and planted errors of
the kinds slides contain (a wrong constant, a wrong sign, a swapped argument, a false bound, a lost
quantifier), declared notation used later, injection payloads inside math, and code that is not math.
"""

from __future__ import annotations

import json
import pathlib
import shutil
import subprocess

import pytest
from _cli import run_cli

from gantheory.auditing import audit_text, html_page
from gantheory.checking import check_statement

DECK = r"""
\documentclass{beamer}
\newcommand{\KL}{\mathrm{KL}}
\begin{document}
\section{Divergences}
\begin{frame}{The optimal discriminator}
\[ D^*(x) = \frac{p_{data}(x)}{p_{data}(x) + p_g(x)} \]
A swapped argument: $D^*(x) = \frac{p_g(x)}{p_{data}(x) + p_g(x)}$.
\end{frame}
\begin{frame}{Identities}
where $R = \frac{p_g}{p_r}$,
\begin{align}
  \KL(p_g \| p_r) &= \mathbb{E}[R \log R] \\
  \KL(p_g \| p_r) &= \mathbb{E}[-R \log R]
\end{align}
\end{frame}
\begin{frame}{Bounds}
$\mathrm{JSD}(p, q) \le \log 2$ and the wrong constant $\mathrm{JSD}(p, q) \le \log 2 / 2$.
The quantifier lost: $\KL(p \| q) > 0$.
\begin{equation}
  \chi^2(p \| q) \geq \KL(p \| q) \geq 0
\end{equation}
\end{frame}
\begin{frame}{Not mathematics}
$__import__('os').system('touch MARKER') = 0$ and $eval("1") = 1$.
\end{frame}
\end{document}
"""

MARKDOWN = r"""# Notes

## Bounds

$$\mathrm{TV}(p, q) \le \sqrt{\frac{1}{2}\mathrm{KL}(p \| q)}$$

A false bound: $\mathrm{KL}(p \| q) \le 5$.

```python
x = 1  # code, not a claim
```

Pinsker the other way round: $\mathrm{KL}(p \| q) \le \mathrm{TV}(p, q)$.
"""


@pytest.fixture(scope="module")
def deck_report(tmp_path_factory):
    marker = tmp_path_factory.mktemp("audit") / "MARKER"
    text = DECK.replace("MARKER", str(marker))
    report = audit_text(text, "latex", file="deck.tex", timeout=30, jobs=2)
    assert not marker.exists()
    return report


def _by_line(report):
    out = {}
    for it in report.items:
        out.setdefault(it.line, []).append(it)
    return out


def test_the_deck_is_judged_in_order_with_locations(deck_report):
    items = deck_report.items
    assert [it.line for it in items] == sorted(it.line for it in items)
    lines = _by_line(deck_report)
    assert lines[7][0].status == "proved" and lines[7][0].where == "The optimal discriminator"
    assert lines[8][0].status == "refuted"                          # swapped argument
    assert lines[13][0].status == "proved" and lines[13][0].where == "Identities"  # \KL declared, used
    assert lines[14][0].status == "refuted"                         # wrong sign
    assert any(r["label"] == "sign" and r["status"] == "proved" for r in lines[14][0].repairs)
    assert [it.status for it in lines[18]] == ["proved", "refuted"]  # wrong constant
    assert lines[18][1].counterexample is not None
    assert lines[19][0].status == "refuted"                         # KL > 0 fails at P = Q
    assert [it.status for it in lines[21]] == ["proved", "proved"]  # a chain: both links
    assert all(it.status == "unread" for it in lines[25])           # payloads: refused, never run
    assert deck_report.exit_code == 1


def test_notation_is_recorded_not_checked(deck_report):
    kinds = {(n["kind"], n["name"]) for n in deck_report.notation}
    assert ("macro", "\\KL") in kinds and ("definition", "R") in kinds
    assert not any(it.text.startswith("R =") for it in deck_report.items)


@pytest.mark.slow
def test_markdown_skips_code_and_judges_math():
    report = audit_text(MARKDOWN, "markdown", file="notes.md", jobs=1)
    assert [(it.line, it.status) for it in report.items] == [(5, "proved"), (7, "refuted"), (13, "refuted")]
    assert report.items[0].where == "Bounds"


def _cli(*args, **kw):
    return run_cli("audit", *args, **kw)


def test_cli_json_exit_codes_and_usage_errors(tmp_path):
    good = tmp_path / "good.md"
    good.write_text("# T\n\n$\\mathrm{JSD}(p, q) \\le \\log 2$ and $\\frac{a}{a+b} + \\frac{b}{a+b} = 1$\n")
    r = _cli(str(good), "--json")
    data = json.loads(r.stdout)
    assert r.returncode == 0, r.stdout
    assert set(data) >= {"file", "statements", "summary"}
    assert set(data["statements"][0]) >= {"line", "where", "text", "statement", "status", "counterexample",
                                          "repairs", "reason"}
    unread = tmp_path / "unread.md"
    unread.write_text("$\\nabla_R g(R) = 0$\n")
    r = _cli(str(unread))
    assert r.returncode == 3 and "unread" in r.stdout
    for args, needle in [((str(tmp_path / "missing.tex"),), "no such file"),
                         ((str(tmp_path),), "is a directory, not a lecture"),
                         (("/dev/null",), "is not a regular file"),
                         ((str(good), "--html", str(tmp_path / "nowhere" / "r.html")), "does not exist"),
                         ((str(good), "--format", "docx"), "invalid choice")]:
        r = _cli(*args)
        assert r.returncode == 2 and needle in r.stderr and "Traceback" not in r.stderr, (args, r.stderr)
    binary = tmp_path / "b.tex"
    binary.write_bytes(b"\x00\x01\x02")
    r = _cli(str(binary))
    assert r.returncode == 2 and "binary" in r.stderr


def test_the_seeds_errata_are_found_from_the_text():
    """Seed 000's "A Useful Relationships" prints three relations the registry knows as errata
    (div-kl-ratio-as-printed, div-2kl-mixture-as-printed, div-kl-mixture-as-printed); the audit finds
    them from the text alone, and proves the true lines around them."""
    seed = pathlib.Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_62b6c109a73221df.txt"
    if not seed.exists():
        pytest.skip("the seeds are not next to this checkout")
    report = audit_text(seed.read_text(), "text", file=seed.name, jobs=2)
    status = {(it.line, it.text.split("=")[0].strip()[:12]): it.status for it in report.items}
    refuted = {it.line for it in report.items if it.status == "refuted"}
    assert {245, 249, 253} <= refuted, refuted
    assert {it.line for it in report.items if it.status == "proved"} >= {227, 229, 231, 235, 260, 262, 264, 266, 268,
                                                                          270}, status
    assert len(refuted) == 4  # the four errata, no more (the integral steps are read, and hold)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium")
def test_the_html_page_in_a_real_browser(deck_report, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(html_page(deck_report))
    assert "http" not in page.read_text().replace("http://www.w3.org/1998/Math/MathML", "")  # offline
    dom = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    assert dom.count("data-status=\"refuted\"") == deck_report.summary["refuted"]
    assert dom.count("data-status=\"proved\"") == deck_report.summary["proved"]
    assert "<math" in dom and "counterexample" in dom and "repair (sign, proved)" in dom
    shot = tmp_path / "report.png"
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--screenshot={shot}",
                    "--window-size=1000,800", page.as_uri()], capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 10_000  # a rendered page, not an empty one


@pytest.mark.parametrize("jobs", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_an_interrupt_gives_the_partial_report(jobs):
    """Ctrl-C while statements are decided: exit 130, the statements decided so far keep their verdicts,
    the rest are undecided with the reason (the command prints this partial report)."""
    seen = []

    def progress(done, total):
        seen.append(done)
        if done == 2:
            raise KeyboardInterrupt

    report = audit_text(MARKDOWN, "markdown", file="notes.md", jobs=jobs, progress=progress)
    assert report.interrupted and report.exit_code == 130
    decided = [it for it in report.items if it.reason != "interrupted"]
    assert len(decided) == 2 and all(it.status in ("proved", "refuted") for it in decided)
    assert [it.status for it in report.items if it.reason == "interrupted"] == ["undecided"]


@pytest.mark.slow
def test_audit_through_dask_gives_the_local_report(tmp_path):
    """``audit --scheduler``: the statements decided as Dask tasks; the report is the local one on a local
    distributed cluster, and a task's argument and result survive pickling (what worker processes need;
    the slow run sends the deck to worker processes)."""
    import pickle

    from gantheory.auditing import _decide

    deck = tmp_path / "deck.tex"
    deck.write_text(DECK)
    local = run_cli("audit", deck, "--json")
    # text, --assume, timeout, the conditions stated with it, and where they were stated
    task = ("KL(p || q) = KL(q || p)", ("p > 0",), 60.0, (), "stated on the same line")
    assert pickle.loads(pickle.dumps(task)) == task
    decided = _decide(task)
    assert decided[0] == "refuted" and pickle.loads(pickle.dumps(decided)) == decided
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0") as c:
        far = run_cli("audit", deck, "--json", "--scheduler", c.scheduler_address)
    assert json.loads(far.stdout) == json.loads(local.stdout)
    bad = run_cli("audit", deck, "--scheduler", "threads", "--jobs", "2")
    assert bad.returncode == 2 and "--jobs sets the local worker processes" in bad.stderr
    bad = run_cli("audit", deck, "--scheduler", "gpu")
    assert bad.returncode == 2 and "scheduler must be" in bad.stderr


@pytest.mark.slow
def test_audit_in_worker_processes_gives_the_local_report(tmp_path):
    """``audit --scheduler processes``: every statement pickled to a fresh process and decided there."""
    deck = tmp_path / "deck.tex"
    deck.write_text(DECK)
    local = run_cli("audit", deck, "--json")
    far = run_cli("audit", deck, "--json", "--scheduler", "processes")
    assert far.returncode == local.returncode and json.loads(far.stdout) == json.loads(local.stdout)


@pytest.mark.slow
def test_the_virtual_criterion_c_of_g_on_a_slide_is_a_claim_not_a_definition():
    """C(G) (seed 003's max_D V(G, D)) is read as the virtual criterion: Theorem 1's C(G) = -log 4 + 2 JSD is
    proved and a slide that drops the 2 is refuted; they were recorded as definitions of a new C and never
    checked. Seed 000's C(R), defined on its own slide, stays a name."""
    text = (r"$C(G) = -\log 4 + 2 \cdot JSD(p_{data} \| p_g)$ and $C(G) \ge -\log 4$." "\n\n"
            r"A slip: $C(G) = -\log 4 + JSD(p_{data} \| p_g)$." "\n\n"
            r"Define $C(R) = E[(1 + R) \log(1 + R)]$.")
    report = audit_text(text, "markdown", jobs=1)
    status = [(it.text, it.status) for it in report.items]
    assert [s for _, s in status] == ["proved", "proved", "refuted"], status
    assert report.summary["definitions"] == 1


def test_a_sign_condition_on_the_line_is_assumed_for_its_claims():
    """``$\\log x \\le x - 1$ for $x > 0$``: the condition was recorded as notation and the claim left undecided
    (log x is not real for x < 0); it is now assumed for the line's claims on x, and the report says so. A
    claim on another line, or on another symbol, does not get it."""
    text = ("We use $\\log x \\le x - 1$ for $x > 0$.\n\n"
            "And $\\log t \\le t - 1$ on its own.\n\n"
            "Also $\\frac{1}{x} > 0$ for $x > 0$.\n\n"
            "But $x^3 > 0$ is false.\n")
    rep = audit_text(text, "markdown", jobs=1)
    by_text = {it.text: it for it in rep.items}
    first = by_text["\\log x \\le x - 1"]
    assert first.status == "proved" and first.detail.startswith("assuming x > 0 (stated on the same line)")
    assert by_text["\\log t \\le t - 1"].status == "undecided"  # t real: log t is not real for t < 0
    assert by_text["\\frac{1}{x} > 0"].status == "proved"
    cubed = by_text["x^3 > 0"]
    assert cubed.status == "refuted"  # no condition on its line: refuted at x = 0 (or below)
    lines = "\n".join(__import__("gantheory.auditing", fromlist=["terminal_lines"]).terminal_lines(rep))
    assert "assuming x > 0 (stated on the same line)" in lines


@pytest.mark.slow
def test_a_bound_by_a_number_on_the_line_is_assumed_and_a_product_is_a_claim():
    """``for $x > -1$``, ``for $0 < x < 1$``, ``for $-1 \\le x \\le 1$``: bounds by numbers are the line's conditions
    (check reads them as a change of variable); without them log(1 + x) <= x is not decided for all real x, and
    x^2 <= 1 is false. ``$y(1-y) \\le \\frac{1}{5}$`` was recorded as a condition on a function y: a name applied
    to an expression in itself is a product, a claim (refuted at y = 1/2)."""
    text = ("For $x > -1$ we have $\\log(1+x) \\le x$.\n\n"
            "For $0 < x < 1$, $x \\log x + (1-x)\\log(1-x) \\ge -\\log 2$.\n\n"
            "For $-1 \\le x \\le 1$: $x^2 \\le 1$.\n\n"
            "For $-1 \\le x \\le 1$: $x^2 < 1$.\n\n"
            "And $x^2 \\le 1$ on its own.\n\n"
            "For $0 \\le y \\le 1$, $y(1-y) \\le \\frac{1}{5}$.\n")
    rep = audit_text(text, "markdown", jobs=1)
    got = [(it.line, it.text, it.status) for it in rep.items]
    assert [g[2] for g in got] == ["proved", "proved", "proved", "refuted", "refuted", "refuted"], got
    assert rep.items[0].detail.startswith("assuming x > -1 (stated on the same line)")
    assert rep.items[3].counterexample["x"] in ("-1", "1")  # tight at a closed end
    assert rep.items[5].counterexample["y"] == "1/2"
    assert not any(n["name"].startswith("y(") for n in rep.notation)


def test_a_bound_on_a_names_size_is_a_condition():
    """Seed 004's Lemma 8 writes $$|\\lambda| < 1 \\quad \\forall \\lambda \\in \\sigma(I + hA)$$: once bars were read
    as Abs, |lambda| < 1 became a claim for all lambda and was refuted at lambda = 1. A bound on one name's
    size is a condition, as lambda < 1 is; a bound on an expression's size stays a claim."""
    rep = audit_text("$$|\\lambda| < 1 \\quad \\forall \\lambda \\in \\sigma(I + hA)$$\n\n$|x - 1| \\le |x| + 1$\n",
                     "markdown", jobs=1)
    assert [it.status for it in rep.items] == ["proved"]
    assert any(n["kind"] == "condition" and "lambda" in n["meaning"] for n in rep.notation)


def test_conditions_listed_with_commas_and_the_sigmoid_on_a_slide():
    """``for $x \\ge 0, y \\ge 0$`` and ``for $x, y > 0$`` are the line's conditions on each symbol (the first was
    split into the chain x >= (0, y) >= 0, the second was an unread claim), and sigma applied to an argument is
    the logistic sigmoid of GAN slides (sigma(x) + sigma(-x) = 1 was refuted, read as sigma*x + sigma*(-x))."""
    text = ("AM-GM: $\\sqrt{xy} \\le \\frac{x+y}{2}$ for $x \\ge 0, y \\ge 0$.\n\n"
            "Again $\\sqrt{xy} \\le \\frac{x+y}{2}$ for $x, y > 0$.\n\n"
            "Not so: $\\sqrt{xy} \\le \\frac{x+y}{3}$ for $x, y > 0$.\n\n"
            "Sigmoid: $\\sigma(x) + \\sigma(-x) = 1$, $\\log \\sigma(x) \\le 0$.\n\n"
            "Not so: $\\sigma(x) + \\sigma(-x) = 2$.\n")
    rep, got = _lines_and_statuses(text)
    assert got == [(1, "proved"), (3, "proved"), (5, "refuted"), (7, "proved"), (7, "proved"), (9, "refuted")], got
    assert rep.items[0].detail.startswith("assuming x >= 0, y >= 0 (stated on the same line)")
    assert rep.items[1].detail.startswith("assuming x > 0, y > 0 (stated on the same line)")
    assert "exp(-x)" in rep.items[3].statement  # the sigmoid, 1/(1 + exp(-x))


def _lines_and_statuses(text: str):
    """The audit of a Markdown text, and its (line, status) pairs in order."""
    rep = audit_text(text, "markdown", jobs=1)
    return rep, [(it.line, it.status) for it in rep.items]


def test_a_claim_is_read_with_the_conditions_of_its_sentence_and_never_without_them():
    """Goodfellow's Theorem 1 on a slide, "$C(G) = -\\log 4$ iff $p_g = p_{data}$", was refuted (C(G) is not -log 4
    for every p_g), and "If $p_g = p_{data}$, then ..." made p_g = p_data a definition. A claim tied to a condition
    by iff is an equivalence (unread); one stated under a condition check cannot assume is unread; a sign condition
    or bound stated before it in its sentence ("If $a > 0$ and $b > 0$, then"), as a membership ("for $t \\in (0,
    1)$"), or by "Suppose" earlier in its paragraph is assumed. Without them, the twins are refuted."""
    text = ("Hence $C(G) = -\\log 4$ iff $p_g = p_{data}$.\n"
            "If $p_g = p_{data}$, then $C(G) = -\\log 4$.\n"
            "The minimum $C(G) = -\\log 4$ is attained if and only if $p_g = p_{data}$.\n"
            "If $a > 0$ and $b > 0$, then $\\frac{a+b}{2} \\ge \\sqrt{ab}$.\n"
            "For $t \\in (0, 1)$ we have $t^2 < t$.\n"
            "Suppose $x < 0$.\n"
            "Then $\\sqrt{x^2} = -x$.\n\n"
            "A new paragraph: $\\sqrt{x^2} = -x$.\n"
            "And $t^2 < t$, $C(G) = -\\log 4$.\n"
            "We have $x^2 = x$ only if $x > 0$.\n"
            "Also $\\mathrm{KL}(p \\| q) \\ge 0$, with equality iff $p = q$.\n")
    rep, got = _lines_and_statuses(text)
    assert got == [(1, "unread"), (2, "unread"), (3, "unread"), (4, "proved"), (5, "proved"), (7, "proved"),
                   (9, "refuted"), (10, "refuted"), (10, "refuted"), (11, "unread"), (12, "proved")], got
    assert "iff" in rep.items[0].reason and "p_g = p_{data}" in rep.items[1].reason
    assert rep.items[5].detail.startswith("assuming x < 0 (stated with it")
    assert not any(n["meaning"].startswith("p_g") and n["kind"] == "definition" for n in rep.notation)


def test_the_size_of_a_named_quantity_is_notation_and_an_identity_in_it_a_claim():
    """``$|\\lambda| = \\sqrt{1 + h^2/4}$`` states the size of an eigenvalue the prose names: it was refuted at
    lambda = 30/7 as an identity for every lambda. With the name on both sides (``|x| = x``) it is a claim, and a
    condition stated twice on the line is said once."""
    rep, got = _lines_and_statuses("With $h > 0$ the eigenvalue has $|\\lambda| = \\sqrt{1 + h^2/4}$.\n\n"
                                   "For $x \\ge 0$, $|x| = x$. Also $|x| = -x$ for $x \\ge 0$.\n")
    assert got == [(3, "proved"), (3, "refuted")], got
    assert rep.items[0].detail.startswith("assuming x >= 0 (stated on the same line);")
    assert any("lambda" in n["meaning"] for n in rep.notation)


def test_a_lines_condition_reaches_only_its_sentence():
    """"Given $x > 1$, $\\log x > 0$. But $\\log x > 0$ fails otherwise." assumed x > 1 for both claims of the line
    (the second was proved); a condition now reaches the claims of its own sentence, before or after it."""
    rep, got = _lines_and_statuses("Given $x > 1$, $\\log x > 0$. But $\\log x > 0$ fails otherwise.\n\n"
                                   "$\\log x \\le x - 1$ for $x > 0$.\n\n"
                                   "Let $x < 0$. Then $\\sqrt{x^2} = -x$.\n\n"  # "Let" a condition: it stands
                                   "For $x < 0$ (i.e. a negative $x$), $|x| = -x$.\n\n"  # "i.e." ends nothing
                                   "Let $f(x) = x^2$. Then $f(x) \\ge 0$.\n")  # "Let" a definition: notation
    assert got == [(1, "proved"), (1, "refuted"), (3, "proved"), (5, "proved"), (7, "proved"), (9, "proved")], got
    assert rep.items[1].counterexample["x"] == "1" and "assuming" not in rep.items[1].detail


def test_a_function_the_document_does_not_define_is_not_any_function():
    """check reads F(x) as any real-valued function; in a lecture F is defined in prose, so a claim about it is
    unread (F(x) + G(x) >= 0 would be refuted for arbitrary F and G) unless it is proved for every function,
    which covers the lecture's (F(x)^2 >= 0). And F(x) + G(x) is not one call of F: the relation is a claim, not
    F's definition (it was recorded as notation)."""
    rep = audit_text("Here $F(x) + G(x) \\ge 0$ and $F(x)^2 \\ge 0$ and $F(x)^2 \\ge 1$.\n", "markdown", jobs=1)
    assert [it.status for it in rep.items] == ["unread", "proved", "unread"]
    assert "unknown function 'G'" in rep.items[0].reason and "does not define" in rep.items[2].reason
    assert rep.items[1].detail.startswith("for every function F")
    assert check_statement("F(x)**2 >= 0").status == "proved"  # check: for every function
    assert check_statement("F(x)**2 >= 1").status == "refuted"


def test_relations_separated_by_commas_are_separate_statements():
    from gantheory.reading._document import _comma_parts
    from gantheory.reading._latex import latex_to_text

    assert [p for _, p in _comma_parts(r"x \ge 0, y \ge 0")] == [r"x \ge 0", r" y \ge 0"]
    assert _comma_parts(r"f(x, y) \le 1") == [(0, r"f(x, y) \le 1")]  # a comma inside brackets
    assert _comma_parts(r"x, y > 0") == [(0, r"x, y > 0")]  # one condition on two names
    assert latex_to_text(r"\sigma(x) = 1") == "sigmoid(x) = 1"
    assert latex_to_text(r"\sigma^2 x = 1") == "sigma **(2) x = 1"  # sigma alone is a symbol (a deviation)


GAME = "\n".join([
    "",
    "## Games",
    "",
    "If we consider the vector field",
    "",
    r"$$v(\phi, \theta) = \begin{bmatrix} \nabla_\phi \mathcal{L}^{(\phi)}(\phi, \theta) \\ "
    r"\nabla_\theta \mathcal{L}^{(\theta)}(\phi, \theta) \end{bmatrix}$$",
    "",
    r"the update is $F_\eta(\phi, \theta) \triangleq \begin{bmatrix} \phi \\ \theta \end{bmatrix} "
    r"- \eta v(\phi, \theta)$.",
    r"For example, $\mathcal{L}^{(\phi)}(\phi, \theta) = \theta\phi$ and "
    r"$\mathcal{L}^{(\theta)}(\phi, \theta) = -\theta\phi$.",
    "",
    r"Then $$\nabla v(\phi, \theta) = \begin{bmatrix} 0 & 1 \\ -1 & 0 \end{bmatrix}, "
    r"\nabla F_\eta(\phi, \theta) = \begin{bmatrix} 1 & -\eta \\ \eta & 1 \end{bmatrix}$$",
    "",
    r"Transposed by mistake: $\nabla v(\phi, \theta) = \begin{bmatrix} 0 & -1 \\ 1 & 0 \end{bmatrix}$.",
    r"The sign of the step lost: $\nabla F_\eta(\phi, \theta) = \begin{bmatrix} 1 & \eta \\ -\eta & 1 \end{bmatrix}$.",
    r"An eigenvalue: $\lambda(\nabla F_\eta(\phi, \theta)) = 1 - i \eta$.",
    "",
    "## Another section",
    "",
    r"$\nabla v(\phi, \theta) = \begin{bmatrix} 0 & 1 \\ -1 & 0 \end{bmatrix}$",
    "",
    r"For any loss, $\nabla_\phi \nabla_\theta \left(g(\phi, \theta)\right) = "
    r"\nabla_\theta \nabla_\phi \left(g(\phi, \theta)\right)$,",
    r"but not $\nabla_\phi \left(g(\phi, \theta)\right) = \nabla_\theta \left(g(\phi, \theta)\right)$.",
    "",
])


def test_a_lectures_vector_field_is_read_with_its_definitions_in_its_section():
    """Seed 004 defines v(phi, theta) from the players' losses L^(phi), L^(theta) (labels as superscripts), the
    update F_eta with \\triangleq and the losses of its example, then states the Jacobians as matrices: none was
    read (\\nabla unknown, the matrices' & dropped by the line splitter). The definitions are put in, the
    Jacobians taken from the vector field itself: the true ones are proved and the transposed or sign-flipped
    twins refuted; an eigenvalue lambda(M) is not read as a product; another section does not see the example's
    functions; a statement about an undefined function is reported only when proved for every function."""
    rep, got = _lines_and_statuses(GAME)
    assert got == [(11, "proved"), (11, "proved"), (13, "refuted"), (14, "refuted"), (15, "unread"),
                   (19, "unread"), (21, "proved"), (22, "unread")], got
    assert "definitions of v, L_phi, L_theta put in" in rep.items[0].detail
    assert "F_eta, v, L_phi, L_theta" in rep.items[1].detail
    assert "\\lambda(...) is read neither as a function" in rep.items[4].reason
    assert "for every function g" in rep.items[6].detail
    assert "only a proof for every function is reported" in rep.items[7].reason
    assert any(n["name"].startswith("F_\\eta") and n["kind"] == "definition" for n in rep.notation)


@pytest.mark.parametrize("statement, status", [
    (r"\nabla_\theta \left(\frac{h}{2}\theta^2\right) = h\theta", "proved"),
    (r"\nabla_\theta \left(\frac{h}{2}\theta^2\right) = 2h\theta", "refuted"),
    (r"\nabla^2_{x, y} \left(x^2 y\right) = \begin{bmatrix} 2y & 2x \\ 2x & 0 \end{bmatrix}", "proved"),
    (r"\nabla^2_{x, y} \left(x^2 y\right) = \begin{bmatrix} 2y & 2x \\ 2x & 1 \end{bmatrix}", "refuted"),
    (r"\nabla_{(x, y)} \left(x y\right) = \begin{bmatrix} y \\ x \end{bmatrix}", "proved"),
    (r"\nabla_{(x, y)} \left(x y\right) = \begin{bmatrix} x \\ y \end{bmatrix}", "refuted"),
    (r"\nabla_{\phi, \theta} \begin{bmatrix} \theta \\ -\phi \end{bmatrix} = "
     r"\begin{bmatrix} 0 & 1 \\ -1 & 0 \end{bmatrix}", "proved"),
    (r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix} = \begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}", "proved"),
    (r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix} = \begin{pmatrix} 1 & 3 \\ 2 & 4 \end{pmatrix}", "refuted"),
])
def test_nabla_and_matrices_in_slide_latex(statement, status):
    assert check_statement(statement, timeout=30).status == status


@pytest.mark.parametrize("statement, says", [
    (r"\nabla_\theta \frac{h}{2}\theta^2 = h\theta", "before a product"),  # the gradient of h/2 alone would be 0
    (r"\nabla_x f = 0", "a function's value"),  # a bare name would be read as a constant
    (r"\nabla (x^2) = 2x", "needs its variables"),
    (r"\nabla_x^3 (x^4) = 24x", "a power '3'"),
    (r"\mathrm{eig}(\nabla_x (x^2)) = 2x", "of a derivative"),
    (r"\lambda(\nabla_x (x^2)) = 2x", "read neither as a function"),  # lambda used nowhere as a number
    (r"\nabla_x (x) = \mathbf{I}", "identity matrix"),
    (r"\begin{bmatrix} 1 & \\ 0 & 1 \end{bmatrix} = 1", "an empty entry"),
    (r"\begin{bmatrix} 1 & 2 \\ 0 \end{bmatrix} = 1", "different lengths"),
])
def test_what_nabla_and_matrices_do_not_guess_is_said(statement, says):
    from gantheory.reading import StatementError, read_statement

    with pytest.raises(StatementError, match=says):
        read_statement(statement)


def test_a_matrix_transposed_with_a_caret_is_its_transpose():
    """``\\begin{bmatrix} 1 & 2 \\end{bmatrix}^T`` was read as the matrix times a symbol _T (refuted for the shapes)."""
    assert check_statement(r"\begin{bmatrix} 1 & 2 \end{bmatrix}^T = \begin{bmatrix} 1 \\ 2 \end{bmatrix}").status \
        == "proved"
    assert check_statement(r"\begin{bmatrix} 1 & 2 \end{bmatrix}^\top = \begin{bmatrix} 2 \\ 1 \end{bmatrix}").status \
        == "refuted"


QUADRATIC = "\n".join([
    "## Gradient descent on a quadratic",
    "",
    r"Let $f(x, y) := x^2 + 3 y^2$. Its gradient is $\nabla f(x, y) = \begin{bmatrix} 2x \\ 6y \end{bmatrix}$ and",
    r"its Hessian $\nabla^2 f(x, y) = \begin{pmatrix} 2 & 0 \\ 0 & 6 \end{pmatrix}$.",
    "",
    r"A wrong Hessian: $\nabla^2 f(x, y) = \begin{pmatrix} 2 & 0 \\ 0 & 3 \end{pmatrix}$.",
    "",
    r"The step $G(x, y) := \begin{bmatrix} x \\ y \end{bmatrix} - \eta \nabla f(x, y)$ has Jacobian",
    r"$$\nabla G(x, y) = \begin{bmatrix} 1 - 2\eta & 0 \\ 0 & 1 - 6\eta \end{bmatrix}$$",
    "",
    r"A wrong one: $\nabla G(x, y) = \begin{bmatrix} 1 - 2\eta & 0 \\ 0 & 1 - 3\eta \end{bmatrix}$.",
    "",
])


def test_an_objective_defined_with_colon_equals_is_put_in_even_with_a_name_gantheory_knows():
    """On an optimization slide f is the objective, not seed 000's discriminator: defined with := (a declaration),
    it is put in, and its gradient, Hessian and the step's Jacobian are derived from it; the wrong Hessian and the
    wrong Jacobian are refuted. (With "=", f stays gantheory's: the claims were unread, f undefined.)"""
    rep, got = _lines_and_statuses(QUADRATIC)
    assert got == [(3, "proved"), (4, "proved"), (6, "refuted"), (9, "proved"), (11, "refuted")], got
    assert rep.items[2].counterexample == {"lhs": "[[2, 0], [0, 6]]", "rhs": "[[2, 0], [0, 3]]"}
    rep2, got2 = _lines_and_statuses(QUADRATIC.replace(":=", "="))
    assert [s for _, s in got2][:3] == ["unread", "unread", "unread"]


def test_optima_over_an_interval_and_chains_on_a_slide_are_claims_read_and_judged():
    """``\\max_{y \\in (0,1)} ...`` was unread (its \\in taken for prose) and ``\\max_D ...`` read as the name max_D
    times the objective; "KL is not symmetric" written with \\ne is not an erratum."""
    text = ("For $a, b > 0$, $\\max_{y \\in (0,1)} a \\log y + b \\log(1-y) = a \\log\\frac{a}{a+b} + "
            "b\\log\\frac{b}{a+b}$.\n\n"
            "Also $\\max_{D} \\log D + \\log(1-D) = -\\log 2$.\n\n"
            "KL is not symmetric: $D_{KL}(p \\| q) \\ne D_{KL}(q \\| p)$.\n")
    rep = audit_text(text, "markdown", jobs=1)
    by_text = {it.text: it for it in rep.items}
    first = next(it for t, it in by_text.items() if t.startswith("\\max_{y \\in (0,1)}"))
    assert first.status == "proved", (first.status, first.detail)
    wrong = by_text["\\max_{D} \\log D + \\log(1-D) = -\\log 2"]  # the twin: the max is -log 4
    assert wrong.status == "refuted" and wrong.counterexample == {"max": "-log(4)", "claimed": "-log(2)"}
    assert by_text["D_{KL}(p \\| q) \\ne D_{KL}(q \\| p)"].status == "undecided"


def test_expectations_under_a_named_density_and_the_gan_theorem_on_a_slide_are_read_and_judged():
    """``\\mathbb{E}_{x \\sim p_{data}}`` was unread (the subscript's \\sim taken for prose), and
    ``\\max_D V(D, G)`` and ``\\min_G \\max_D V(D, G)`` undecided or unread; the false bound and f-GAN's bound with
    f* off by one are errata found, the rest proved."""
    text = ("The value function is $V(D, G) = \\mathbb{E}_{x \\sim p_{data}}[\\log D(x)] + "
            "\\mathbb{E}_{x \\sim p_g}[\\log(1 - D(x))]$.\n\n"
            "For a fixed generator $\\max_D V(D, G) = -\\log 4 + 2 \\cdot JSD(p_{data} \\| p_g)$.\n\n"
            "Hence $\\min_G \\max_D V(D, G) = -\\log 4$.\n\n"
            "For every discriminator $V(D, G) \\le -\\log 4$.\n\n"
            "And $KL(p \\| q) = \\sup_T \\mathbb{E}_{x \\sim p}[T(x)] - \\mathbb{E}_{x \\sim q}[e^{T(x)}]$.\n")
    rep = audit_text(text, "markdown", jobs=1)
    got = [(it.text.split(" = ")[0].split(" \\le")[0], it.status) for it in rep.items]
    assert got == [("V(D, G)", "proved"), ("\\max_D V(D, G)", "proved"), ("\\min_G \\max_D V(D, G)", "proved"),
                   ("V(D, G)", "refuted"), ("KL(p \\| q)", "refuted")], got
