"""The ``gantheory`` command line (DESIGN.md, "Contract: command line").

Usage errors exit 2 with one line on stderr and no traceback. One module per command (``prove``,
``notes``, ``run``, ``dynamics``, ``sources``, ``stability``, ``check``, ``audit``), each with its
``add_<command>_command(subparsers)``; what they share is in :mod:`gantheory.cli._common`, which imports
no command, so the modules form no circle.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from gantheory._version import __version__
from gantheory.cli._common import (  # noqa: F401  (the helpers' public home before the package split)
    UsageError,
    _Parser,
    check_output_path,
    image_formats,
    report_interrupt,
    require_matplotlib,
)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gantheory",
                     description="Check the theory of GAN training, symbolically and numerically.")
    parser.add_argument("--version", action="version", version=f"gantheory {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    for extra in _EXTRA_COMMANDS:
        extra(sub)
    return parser


def _extra_commands():
    from gantheory.cli.audit import add_audit_command
    from gantheory.cli.check import add_check_command
    from gantheory.cli.dynamics import add_dynamics_command
    from gantheory.cli.notes import add_notes_command
    from gantheory.cli.prove import add_prove_command
    from gantheory.cli.run import add_run_command
    from gantheory.cli.sources import add_sources_command
    from gantheory.cli.stability import add_stability_command
    from gantheory.cli.train import add_train_command

    return [add_prove_command, add_notes_command, add_run_command, add_dynamics_command, add_sources_command,
            add_stability_command, add_check_command, add_audit_command, add_train_command]


#: Functions ``(subparsers) -> None`` that add the commands, one module each.
_EXTRA_COMMANDS = _extra_commands()


def _one_line(text: str) -> str:
    """A message on one line: control characters from the user's input (a newline in a statement) escaped."""
    return "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if getattr(args, "jobs", None) is not None and args.jobs < 1:
            raise UsageError(f"--jobs must be at least 1, got {args.jobs}")
        return args.func(args)
    except UsageError as exc:
        print(f"gantheory: error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("gantheory: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a file the command reads or writes failed after its checks (a full disk, say)
        if exc.filename is None:
            raise
        print(f"gantheory: error: {_one_line(f'{exc.filename}: {exc.strerror}')}", file=sys.stderr)
        return 1


def _honour_ctrl_c() -> None:
    """Unblock SIGINT if the process inherited it blocked (a signal mask survives ``exec``: a parent
    that spawned us while blocking it would leave Ctrl-C pending forever, and every worker we fork with
    it). An *ignored* SIGINT (``nohup``, a background job) is the launcher's choice and stays ignored."""
    import signal

    if hasattr(signal, "pthread_sigmask") and signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, ()):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _entry() -> None:
    try:
        _honour_ctrl_c()  # a Ctrl-C pending since start-up is raised here, inside the try
        code = main()
    except KeyboardInterrupt:
        print("gantheory: interrupted", file=sys.stderr)
        code = 130
    sys.exit(code)


if __name__ == "__main__":
    _entry()
