"""``gantheory audit FILE [--json] [--html OUT.html] [--format {latex,markdown,text}] [--assume A ...]``:
see :mod:`gantheory.auditing`."""

from __future__ import annotations

import json
import shutil
import sys


def cmd_audit(args) -> int:
    from gantheory.auditing import _progress_bar, audit_file, html_page, terminal_lines
    from gantheory.cli._common import UsageError, check_output_path
    from gantheory.reading import StatementError, read_assumption

    html_path = check_output_path(args.html, "--html", ("html", "htm"), "html") if args.html else None
    for a in args.assume or ():
        try:
            read_assumption(a)
        except StatementError as exc:
            raise UsageError(str(exc)) from None
    if args.timeout is not None and not args.timeout > 0:
        raise UsageError(f"--timeout must be a positive number of seconds, got {args.timeout}")
    try:
        if args.scheduler is not None and args.jobs is not None:
            raise UsageError("--jobs sets the local worker processes, not --scheduler")
        report = audit_file(args.file, args.format, assume=args.assume or (), timeout=args.timeout,
                            jobs=args.jobs, progress=None if args.json else _progress_bar, scheduler=args.scheduler)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if html_path:
        with open(html_path, "w", encoding="utf-8") as fh:
            fh.write(html_page(report))
    if args.json:
        json.dump(report.to_json(), sys.stdout, indent=1, ensure_ascii=False)
        print()
    else:
        width = shutil.get_terminal_size((100, 24)).columns
        for line in terminal_lines(report, width=min(width, 140)):
            print(line)
        if html_path:
            print(f"wrote {html_path}")
    if report.interrupted:
        print("gantheory: interrupted (the report above is partial)", file=sys.stderr)
    return report.exit_code


def add_audit_command(sub) -> None:
    p = sub.add_parser("audit", help="check every relation of a lecture (LaTeX, Markdown or text), in order",
                       description="Read a lecture -- LaTeX (article or beamer), Markdown (Jupyter, Quarto, "
                       "MkDocs) or text with $$ blocks -- find every relation (=, <=, >=, <, >, !=) in its math, "
                       "split chains into links, and decide each with check's machinery (never executed). "
                       "Definitions (:=, 'where', 'let') are recorded as notation; what cannot be read is "
                       "'unread' with the reason. Exit 0 all proved/checked, 1 something refuted, 3 undecided or "
                       "unread (nothing refuted), 2 bad usage, 130 interrupted (partial report).")
    p.add_argument("file")
    p.add_argument("--format", choices=("latex", "markdown", "text"), help="the file's format (default: from "
                   "its extension: .tex latex, .md/.qmd markdown, else text)")
    p.add_argument("--json", action="store_true", help="the report as one JSON object")
    p.add_argument("--html", metavar="OUT.html", help="write a self-contained page (MathML, no network)")
    p.add_argument("--assume", action="append", metavar="A", help="an assumption for every statement (repeatable)")
    p.add_argument("--timeout", type=float, default=30.0, metavar="S",
                   help="seconds per statement (default 30); past it the statement is undecided")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: up to 2)")
    p.add_argument("--scheduler", metavar="ADDR", default=None,
                   help="decide the statements as Dask tasks: 'threads', 'processes', 'synchronous' or a "
                   "distributed scheduler's address (as stability --scheduler)")
    p.set_defaults(func=cmd_audit)
