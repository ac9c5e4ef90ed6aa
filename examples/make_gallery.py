"""Regenerate every figure of the gallery (docs/gallery/*.png): python examples/make_gallery.py"""

import subprocess
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
scripts = ["mode_collapse.py", "glgd_vs_mirror.py", "wasserstein_critic.py", "dirac_phase_portraits.py",
           "negative_momentum.py"]
failed = [s for s in scripts if subprocess.run([sys.executable, str(here / s), *sys.argv[1:]]).returncode != 0]
if failed:
    sys.exit(f"failed: {', '.join(failed)}")
