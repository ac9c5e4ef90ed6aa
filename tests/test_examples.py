"""Each example script writes its PNG (quick mode, into a temporary folder)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCRIPTS = {"mode_collapse.py": "mode_collapse.png", "glgd_vs_mirror.py": "glgd_vs_mirror.png",
           "wasserstein_critic.py": "wasserstein_critic.png", "dirac_phase_portraits.py": "dirac_phase_portraits.png",
           "negative_momentum.py": "negative_momentum.png", "game_updates.py": "game_updates.png",
           **{f"train_{a}.py": f"train_{a}.png" for a in ("goodfellow", "wgan", "fgan", "dualing")}}


@pytest.mark.parametrize("script", [pytest.param(s, marks=[] if s == "mode_collapse.py" else [pytest.mark.slow])
                                    for s in sorted(SCRIPTS)])
def test_example_writes_its_png(script, tmp_path, monkeypatch, capsys):
    """Each script as a user runs it (``python examples/X.py --quick --out DIR``), in this process: the
    arguments, the import of its neighbour ``_common`` and ``__main__`` as a real run has them."""
    import runpy

    monkeypatch.setattr(sys, "argv", [str(EXAMPLES / script), "--quick", "--out", str(tmp_path)])
    monkeypatch.syspath_prepend(str(EXAMPLES))
    runpy.run_path(str(EXAMPLES / script), run_name="__main__")
    assert str(tmp_path) in capsys.readouterr().out
    png = tmp_path / SCRIPTS[script]
    assert png.exists() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000


def test_gallery_is_committed():
    gallery = EXAMPLES.parent / "docs" / "gallery"
    assert sorted(p.name for p in gallery.glob("*.png")) == sorted(SCRIPTS.values())


@pytest.mark.slow
def test_negative_momentum_curves_decay_at_the_printed_spectral_radius(tmp_path):
    """Each plotted trajectory's rate over its second half matches the rho printed in its legend
    (a script that dropped beta, or restarted the momentum every step, fails here)."""
    r = subprocess.run([sys.executable, str(EXAMPLES / "negative_momentum.py"), "--out", str(tmp_path)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    curves = [dict(kv.split("=") for kv in line.split()[3:]) | {"beta": line.split()[2]}
              for line in r.stdout.splitlines() if line.startswith("curve")]
    assert len(curves) == 3
    rhos = set()
    for c in curves:
        rho, rate = float(c["rho"]), float(c["plotted_rate"])
        assert rate == pytest.approx(rho, abs=0.01), c
        rhos.add(round(rho, 4))
    assert len(rhos) == 3  # beta changes the dynamics: three different spectral radii


#: A rate measured from a simulated trajectory (a fit of log-distances down to a floor near rounding level) moves
#: by up to a few 1e-6 between CPUs: NumPy picks its SIMD exp/log by the CPU's features, and a last-bit difference
#: shifts the distances the fit reads near the floor (game_updates' five measured rates moved by 1.2e-7 to 2.6e-6
#: between the machine that drew the gallery and an AMD EPYC, from the same commit; every other number of the
#: gallery agreed to 1e-9). That is far below what a figure shows; a stale figure moves its other numbers too.
MEASURED_RTOL = 1e-5


def _close(a, b, path=""):
    """Numbers equal to 1e-9 relative (float64 runs of the same code; BLAS order may differ; a measured rate to
    MEASURED_RTOL), keys equal."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and sorted(a) == sorted(b), (path, sorted(a), sorted(b))
        for k in a:
            _close(a[k], b[k], f"{path}/{k}")
    elif isinstance(a, (list, tuple)):
        assert isinstance(b, (list, tuple)) and len(a) == len(b), path
        for k, (x, y) in enumerate(zip(a, b)):
            _close(x, y, f"{path}[{k}]")
    elif isinstance(a, float) or isinstance(b, float):
        rel = MEASURED_RTOL if path.endswith("measured_rate") else 1e-9
        assert b is not None and a == pytest.approx(b, rel=rel, abs=1e-12), (path, a, b)
    else:
        assert a == b, (path, a, b)


#: redrawn in full by the "all" case only (5 s: 20 panels of 400-step simulations; 3 s: fourteen training runs;
#: 1-3.5 s: each trainer's run); the "default" case checks their quick form's legibility. Both cases are in the slow
#: run (the default case alone takes 9 s here)
SLOW_FIGURES = {"dirac_phase_portraits", "game_updates", "train_goodfellow", "train_wgan", "train_fgan",
                "train_dualing"}


@pytest.mark.slow
@pytest.mark.parametrize("full", [pytest.param(False, id="default"),
                                  pytest.param(True, id="all", marks=pytest.mark.slow)])
def test_the_committed_gallery_is_what_the_figures_draw_today_and_reads_at_print_size(tmp_path, full):
    """Every figure redrawn in full: its numbers equal docs/gallery/numbers.json (written with the
    committed PNGs by examples/make_gallery.py; a stale PNG fails here), and it prints no text below
    7 pt at the width the notes place it and no axis without a label."""
    pytest.importorskip("matplotlib")
    import json

    import matplotlib

    matplotlib.use("Agg")
    from gantheory.figures import FIGURES, legibility, numbers

    committed = json.loads((EXAMPLES.parent / "docs" / "gallery" / "numbers.json").read_text())
    assert sorted(committed) == sorted(FIGURES)
    for name, draw in FIGURES.items():
        if name in SLOW_FIGURES and not full:  # legible in its quick form; its numbers in the slow run
            assert legibility(draw(tmp_path / f"{name}.png", quick=True)["figure"]) == [], name
            continue
        res = draw(tmp_path / f"{name}.png")
        assert legibility(res["figure"]) == [], name
        _close(json.loads(json.dumps(numbers(res))), committed[name], name)


def test_legibility_sees_small_text_and_missing_labels():
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from gantheory.figures import legibility

    fig = Figure(figsize=(12, 3))
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1])
    ax.set_title("small", fontsize=10)  # 10 pt at 12 in prints at 5.1 pt on a 6.1 in line
    problems = legibility(fig)
    assert any("small" in p for p in problems) and any("lack a label" in p for p in problems)
    ax.set(xlabel="x", ylabel="y")
    for t in fig.findobj(lambda a: hasattr(a, "set_fontsize")):
        t.set_fontsize(20)
    assert legibility(fig) == []
