"""Shared argument parsing for the example scripts: ``--out DIR`` and ``--quick``."""

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")


def args(doc: str):
    ap = argparse.ArgumentParser(description=doc.strip().splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs" / "gallery"),
                    help="folder for the PNG (default: docs/gallery)")
    ap.add_argument("--quick", action="store_true", help="fewer steps (for tests)")
    a = ap.parse_args()
    Path(a.out).mkdir(parents=True, exist_ok=True)
    return a
