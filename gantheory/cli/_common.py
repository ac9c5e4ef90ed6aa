"""What every command of the ``gantheory`` command line shares: the usage error, the parser class,
argument checks, output paths, and the interrupt report."""

from __future__ import annotations

import argparse
import sys
import time


class UsageError(Exception):
    """Bad command-line use: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage dump
        raise UsageError(message)


def _positive_float(name: str):
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a number, got {text!r}") from None
        if not value > 0 or value != value or value == float("inf"):
            raise argparse.ArgumentTypeError(f"{name} must be a positive finite number, got {text!r}")
        return value

    return parse


def require_matplotlib(option: str = "--plot") -> None:
    """Raise UsageError unless matplotlib (the ``plot`` extra) is importable."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise UsageError(f"{option} needs matplotlib: pip install 'gantheory[plot]'") from None


def check_output_path(path: str, option: str, formats: tuple[str, ...] | None = None,
                      default_suffix: str | None = None) -> str:
    """Check an output path before any long computation; return the path that will be written.

    The folder must exist and be writable; with ``formats``, the suffix must be one of them (a
    path without a suffix gets ``default_suffix``, and the returned path says so).
    """
    import os

    if not str(path).strip():
        raise UsageError(f"{option}: the path is empty")
    folder = os.path.dirname(os.path.abspath(path)) or "."
    if os.path.isdir(path):
        raise UsageError(f"{option} {path}: is a folder, not a file")
    if not os.path.isdir(folder):
        raise UsageError(f"{option} {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"{option} {path}: the folder {folder} is not writable")
    try:  # a file created there and removed: os.access answers yes to root on /proc or a read-only mount
        import tempfile

        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise UsageError(f"{option} {path}: cannot write in the folder {folder} ({exc.strerror})") from None
    if formats is not None:
        suffix = os.path.splitext(path)[1].lower().lstrip(".")
        if not suffix and default_suffix:
            path, suffix = f"{path}.{default_suffix}", default_suffix
        if suffix not in formats:
            raise UsageError(f"{option} {path}: unsupported format {suffix or '(none)'!r}; use one of "
                             + ", ".join(f".{f}" for f in formats))
    return path


def image_formats() -> tuple[str, ...]:
    """The file formats matplotlib can write (needs the ``plot`` extra)."""
    require_matplotlib()
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    return tuple(sorted(FigureCanvasAgg(Figure()).get_supported_filetypes()))


def report_interrupt(done: int, total: int, unit: str, extra: str = "") -> int:
    """One line on stderr for Ctrl-C; the exit status 130 (128 + SIGINT)."""
    print(f"gantheory: interrupted after {done}/{total} {unit}" + (f"; {extra}" if extra else ""),
          file=sys.stderr)
    return 130


class Progress:
    """A progress bar on stderr that appears only once a run has taken more than a second."""

    def __init__(self, label: str):
        self.label, self.start, self.shown = label, time.perf_counter(), False
        self.enabled = sys.stderr.isatty()

    def __call__(self, step: int, total: int) -> None:
        if not self.enabled or time.perf_counter() - self.start < 1.0:
            return
        self.shown = True
        width = 30
        done = int(width * step / max(total, 1))
        print(f"\r{self.label} [{'#' * done}{'.' * (width - done)}] {step}/{total}", end="",
              file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.shown:
            print(file=sys.stderr)
