"""The ``gantheory`` command line (DESIGN.md, "Contract: command line").

Usage errors exit 2 with one line on stderr and no traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence

from gantheory._version import __version__


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

    folder = os.path.dirname(os.path.abspath(path)) or "."
    if os.path.isdir(path):
        raise UsageError(f"{option} {path}: is a folder, not a file")
    if not os.path.isdir(folder):
        raise UsageError(f"{option} {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"{option} {path}: the folder {folder} is not writable")
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


def _cmd_prove(args) -> int:
    import gantheory
    from gantheory._runner import Interrupted, run_claims
    from gantheory.report import per_document, summary, table

    selected = gantheory.claims(args.k)
    if not selected:
        raise UsageError(f"-k {args.k!r} matches no claim id")
    start = time.perf_counter()
    progress = None
    if not args.json and sys.stderr.isatty():
        total, seen = len(selected), [0]

        def progress(v):
            seen[0] += 1
            print(f"\r  checked {seen[0]}/{total}", end="", file=sys.stderr, flush=True)

    try:
        verdicts = list(run_claims(selected, jobs=args.jobs, timeout=args.timeout, on_done=progress))
    except Interrupted as exc:
        if progress:
            print("\r" + " " * 30 + "\r", end="", file=sys.stderr)
        if exc.completed and not args.json:
            print(table(exc.completed))
            print()
            print(summary(exc.completed, time.perf_counter() - start, of=exc.total))
        elif args.json:
            json.dump([v.to_json() for v in exc.completed], sys.stdout, indent=1)
            print()
        return report_interrupt(len(exc.completed), exc.total, "claims", "the summary covers those only")
    if progress:
        print("\r" + " " * 30 + "\r", end="", file=sys.stderr)
    if args.json:
        json.dump([v.to_json() for v in verdicts], sys.stdout, indent=1)
        print()
    else:
        print(table(verdicts))
        print()
        print(per_document(verdicts))
        print(summary(verdicts, time.perf_counter() - start))
    return 0 if all(v.as_expected for v in verdicts) else 1


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gantheory",
                     description="Check the theory of GAN training, symbolically and numerically.")
    parser.add_argument("--version", action="version", version=f"gantheory {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("prove", help="check every registered claim (or those matching -k)",
                       description="Check every registered claim; exit 0 iff every outcome is "
                       "as expected (true claims proved/checked, errata refuted).")
    p.add_argument("--json", action="store_true", help="print one JSON array of verdicts")
    p.add_argument("-k", metavar="PATTERN", default=None,
                   help="only claims whose id contains PATTERN (or matches it as a glob)")
    p.add_argument("--jobs", type=int, default=None, help="parallel workers (default: CPU count)")
    p.add_argument("--timeout", type=_positive_float("--timeout"), default=None,
                   help="seconds per claim (default: each claim's own limit, 20 s)")
    p.set_defaults(func=_cmd_prove)

    for extra in _EXTRA_COMMANDS:
        extra(sub)
    return parser


def _extra_commands():
    from gantheory._check_cli import add_check_command
    from gantheory._dynamics_cli import add_dynamics_command
    from gantheory._notes_cli import add_notes_command
    from gantheory._run_cli import add_run_command
    from gantheory._sources_cli import add_sources_command
    from gantheory._stability_cli import add_stability_command

    return [add_notes_command, add_run_command, add_dynamics_command, add_sources_command, add_stability_command,
            add_check_command]


#: Functions ``(subparsers) -> None`` that add further commands (notes, run, dynamics).
_EXTRA_COMMANDS = _extra_commands()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if getattr(args, "jobs", None) is not None and args.jobs < 1:
            raise UsageError(f"--jobs must be at least 1, got {args.jobs}")
        return args.func(args)
    except UsageError as exc:
        print(f"gantheory: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("gantheory: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    _entry()
