"""``gantheory notes --format {latex,markdown,notebook} [-o FILE|FOLDER] [-k PATTERN] [--figures] [--json]``."""

from __future__ import annotations

import sys


def cmd_notes(args) -> int:
    import gantheory
    from gantheory._runner import Interrupted, run_claims
    from gantheory.cli._common import UsageError, check_output_path, report_interrupt
    from gantheory.report._notes import render_notes

    if args.o is not None and not str(args.o).strip():
        raise UsageError("-o: the path is empty")
    selected = gantheory.claims(args.k)
    if not selected:
        raise UsageError(f"-k {args.k!r} matches no claim id")
    if args.format == "notebook":
        return _notebooks(args, selected)
    if args.execute:
        raise UsageError("--execute runs notebooks: it goes with --format notebook")
    if args.o:  # the file's extension must say what --format writes (LaTeX in a .docx helps nobody)
        exts = {"latex": ("tex", "ltx"), "markdown": ("md", "markdown", "qmd")}[args.format]
        args.o = check_output_path(args.o, "-o", exts, exts[0])
    if args.figures:
        from gantheory.cli._common import require_matplotlib

        if not args.o:
            raise UsageError("--figures writes image files next to the notes: give -o FILE")
        require_matplotlib("--figures")
    tty = sys.stderr.isatty()
    verdicts = []
    try:
        for v in run_claims(selected):  # a progress line while the claims are checked
            verdicts.append(v)
            if tty:
                print(f"\rchecking claims: {len(verdicts)}/{len(selected)}", end="", file=sys.stderr, flush=True)
    except Interrupted as exc:
        if tty:
            print(file=sys.stderr)
        return report_interrupt(len(exc.completed), exc.total, "claims", "no notes written")
    if tty:
        print(file=sys.stderr)
    figures = {}
    if args.figures:
        figures = _make_figures(args.o, {v.id for v in verdicts}, tty)
    text = render_notes(verdicts, args.format, include_fgan_table=args.k is None or "fgan" in args.k,
                        figures=figures)
    if args.json and not args.o:
        raise UsageError("--json describes the file written: give -o FILE")
    if args.o:
        try:
            with open(args.o, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            raise UsageError(f"cannot write -o {args.o}: {exc.strerror}") from None
        print(f"wrote {args.o} ({len(verdicts)} claims)", file=sys.stderr)
        if args.json:
            import json
            from collections import Counter

            json.dump({"output": args.o, "format": args.format, "claims": len(verdicts),
                       "errata": sum(1 for v in verdicts if not v.expected),
                       "statuses": dict(Counter(v.status for v in verdicts)),
                       "as_expected": all(v.as_expected for v in verdicts),
                       "ids": [v.id for v in verdicts],
                       "figures": {cid: [p for p, _ in fs] for cid, fs in figures.items()}}, sys.stdout, indent=1)
            print()
    else:
        sys.stdout.write(text)
    return 0 if all(v.as_expected for v in verdicts) else 1


def _notebooks(args, selected) -> int:
    """``--format notebook``: one notebook per topic into the folder -o (the claims are checked when the
    notebooks run, not here)."""
    import json
    from pathlib import Path

    from gantheory.cli._common import UsageError

    if not args.o:
        raise UsageError("--format notebook writes one notebook per topic: give -o FOLDER")
    if args.figures:
        raise UsageError("--figures is for latex and markdown; notebooks draw their figures when they run")
    try:
        import nbformat  # noqa: F401
    except ImportError:
        raise UsageError("--format notebook needs nbformat: pip install 'gantheory[notebook]'") from None
    from gantheory.report._notebook import write_notebooks

    out = Path(args.o)
    if out.exists() and not out.is_dir():
        raise UsageError(f"-o {args.o}: not a folder (--format notebook writes one notebook per topic)")
    try:
        paths = write_notebooks(out, {c.id for c in selected}, training=args.k is None)  # the chapter with all
    except OSError as exc:
        raise UsageError(f"cannot write -o {args.o}: {exc.strerror}") from None
    print(f"wrote {len(paths)} notebooks into {args.o} ({len(selected)} claims)", file=sys.stderr)
    executed = _execute_notebooks(paths) if args.execute else None
    if args.json:
        rec = {"output": args.o, "format": "notebook", "claims": len(selected), "notebooks": paths,
               "ids": [c.id for c in selected]}
        if executed is not None:
            rec["executed"] = executed
        json.dump(rec, sys.stdout, indent=1)
        print()
    return 0 if executed is None or all(e["ok"] for e in executed) else 1


def _execute_notebooks(paths) -> list[dict]:
    """Run each notebook in its folder with nbclient and save it with its outputs; one line per notebook
    on stderr. A notebook whose claim is not as expected raises in its cell: that notebook failed."""
    from pathlib import Path

    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    out = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        try:
            NotebookClient(nb, timeout=600, kernel_name="python3",
                           resources={"metadata": {"path": str(Path(path).parent)}}).execute()
            ok, why = True, ""
        except CellExecutionError as exc:
            ok, why = False, str(exc).strip().splitlines()[-1][:300]
        nbformat.write(nb, path)
        print(f"executed {path}: " + ("every claim as expected" if ok else f"FAILED: {why}"), file=sys.stderr)
        out.append({"notebook": path, "ok": ok, "error": why})
    return out


def _make_figures(output: str, ids: set, tty: bool) -> dict:
    """The figures whose claim is among ``ids``, written into ``<output stem>_figures/`` next to the notes;
    claim id -> [(path relative to the notes' folder, caption)]."""
    from pathlib import Path

    from gantheory.figures import ANCHORS, FIGURES

    out = Path(output)
    folder = out.parent / (out.stem + "_figures")
    made = {}
    for name, anchor in ANCHORS.items():
        if anchor not in ids:
            continue
        if tty:
            print(f"\rdrawing figure: {name:30s}", end="", file=sys.stderr, flush=True)
        res = FIGURES[name](folder / f"{name}.png")
        made.setdefault(anchor, []).append(((folder / f"{name}.png").relative_to(out.parent).as_posix(),
                                            res["caption"]))
    if tty and made:
        print(file=sys.stderr)
    return made


def add_notes_command(sub) -> None:
    p = sub.add_parser("notes", help="lecture notes of every claim (LaTeX, Markdown or one notebook per topic)",
                       description="Check the claims and write notes: statement, source, verdict, method; "
                       "for errata the printed statement, the counterexample and the correction.")
    p.add_argument("--format", choices=("latex", "markdown", "notebook"), required=True,
                   help="latex or markdown: one document; notebook: one Jupyter notebook per topic whose code "
                   "cells re-check each claim and draw its figures (needs -o FOLDER)")
    p.add_argument("-o", metavar="FILE", help="write to FILE (a folder for --format notebook) instead of standard "
                   "output")
    p.add_argument("-k", metavar="PATTERN", default=None, help="only claims whose id matches PATTERN")
    p.add_argument("--figures", action="store_true",
                   help="with -o: draw the engine's figures (mode collapse, GLGD, W1 critic, Dirac-GAN portraits, "
                   "negative momentum) into <FILE stem>_figures/ and include each after the claim it illustrates")
    p.add_argument("--execute", action="store_true",
                   help="with --format notebook: run every notebook written (nbclient) and save its outputs; "
                   "exit 1 if a claim in one is not as expected")
    p.add_argument("--json", action="store_true", help="with -o: print what was written (claims, statuses) as JSON")
    p.set_defaults(func=cmd_notes)
