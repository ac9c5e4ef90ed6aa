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
           "negative_momentum.py": "negative_momentum.png"}


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_example_writes_its_png(script, tmp_path):
    r = subprocess.run([sys.executable, str(EXAMPLES / script), "--quick", "--out", str(tmp_path)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    png = tmp_path / SCRIPTS[script]
    assert png.exists() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000


def test_gallery_is_committed():
    gallery = EXAMPLES.parent / "docs" / "gallery"
    assert sorted(p.name for p in gallery.glob("*.png")) == sorted(SCRIPTS.values())


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
