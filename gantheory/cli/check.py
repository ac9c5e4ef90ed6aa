"""``gantheory check "STATEMENT" [--assume A ...] [--json] [--latex] [--timeout S]``: see
:mod:`gantheory.checking`. The statement is read by the whitelist reader of :mod:`gantheory.reading`;
it is never executed."""

from __future__ import annotations

import json
import sys


def _value_text(v) -> str:
    import numpy as np

    from gantheory.report._math import math_text

    if isinstance(v, np.ndarray):
        return "(" + ", ".join(f"{x:.6g}" for x in v.tolist()) + ")"
    if isinstance(v, float):
        return f"{v:.6g}"
    return math_text(v) if not isinstance(v, str) else v


def cmd_check(args) -> int:
    from gantheory.checking import StatementError, check_within
    from gantheory.cli._common import UsageError
    from gantheory.report._math import math_text

    if args.timeout is not None and not args.timeout > 0:
        raise UsageError(f"--timeout must be a positive number of seconds, got {args.timeout}")
    if (args.statement is None) == (args.batch is None):
        raise UsageError("give one statement, or --batch FILE (one statement per line)")
    if args.batch is not None:
        return _cmd_batch(args)
    if args.scheduler is not None:
        raise UsageError("--scheduler applies to --batch")
    try:
        res = check_within(args.statement, assume=args.assume or (), repairs=not args.no_repairs,
                           timeout=args.timeout)
    except StatementError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        json.dump(res.to_json(), sys.stdout, indent=1)
        print()
    elif args.latex:
        sys.stdout.write(res.latex())
    else:
        print(f"statement:  {math_text(res.statement)}")
        for a in res.assumptions:
            print(f"assuming:   {a}")
        by = f", by the {res.verifier} verifier" if res.verifier != "none" else ""
        print(f"verdict:    {res.status} ({res.method}{by})")
        print(f"why:        {res.detail}")
        if res.steps:
            print("derivation:")
            for k, (what, val) in enumerate(res.steps, 1):
                print(f"    {k}. {what}" + ("" if val is None else f":  {math_text(val)}"))
        if res.counterexample:
            print("counterexample:")
            for k, v in res.counterexample.items():
                print(f"    {k} = {_value_text(v)}")
        for r in res.repairs:
            print(f"repair ({r['label']}): {math_text(r['statement'])}  -- {r['status']}")
    return res.exit_code


def read_batch(text: str) -> list[dict]:
    """The statements of a batch file: one per line, as typed, or a JSON object {"statement": ..., "assume":
    [...], "id": ...} per line (JSON lines); blank lines and lines starting with # are skipped. A line that
    cannot be read is kept with the reason (it is reported, the others are still checked)."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        item = {"line": n, "id": None, "statement": s, "assume": [], "error": None}
        if s.startswith("{"):
            try:
                obj = json.loads(s)
                if not isinstance(obj, dict) or not isinstance(obj.get("statement"), str):
                    raise ValueError('a JSON line needs a "statement" string')
                assume = obj.get("assume", [])
                if not isinstance(assume, list) or not all(isinstance(a, str) for a in assume):
                    raise ValueError('"assume" must be a list of strings')
                item.update(statement=obj["statement"], assume=assume,
                            id=None if obj.get("id") is None else str(obj["id"]))
            except ValueError as exc:
                item["error"] = f"line {n}: {exc}"
        out.append(item)
    return out


def _check_item(item: dict, repairs: bool, timeout, assume=()) -> dict:
    """One batch statement checked: its verdict as JSON, with the line (a bad statement: status unread).
    ``assume``: the command line's --assume, used for every statement that names the symbol (with the line's
    own assumptions)."""
    from gantheory.checking import StatementError, assumptions_on, check_within
    from gantheory.reading import read_statement

    head = {"line": item["line"], "id": item["id"], "text": item["statement"]}
    if item["error"]:
        return {**head, "status": "unread", "detail": item["error"]}
    try:
        shared = assumptions_on(read_statement(item["statement"]), assume) if assume else []
        res = check_within(item["statement"], assume=[*item["assume"], *shared], repairs=repairs, timeout=timeout)
    except StatementError as exc:
        return {**head, "status": "unread", "detail": str(exc)}
    return {**head, **res.to_json()}


def _cmd_batch(args) -> int:
    """``check --batch FILE``: every statement of the file (through Dask with --scheduler), one line each."""
    import functools
    from pathlib import Path

    from gantheory import _dask
    from gantheory.cli._common import UsageError

    try:
        _dask.check_scheduler(args.scheduler)
        if Path(args.batch).is_dir():
            raise ValueError(f"{args.batch} is a directory, not a file of statements")
        text = Path(args.batch).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UsageError(f"--batch: {exc}") from None
    items = read_batch(text)
    if not items:
        raise UsageError(f"--batch: {args.batch} holds no statement")
    from gantheory.checking import StatementError
    from gantheory.reading import read_assumption

    for a in args.assume or ():
        try:
            read_assumption(a)
        except StatementError as exc:
            raise UsageError(f"--assume {a!r}: {exc}") from None
    fn = functools.partial(_check_item, repairs=not args.no_repairs, timeout=args.timeout,
                           assume=tuple(args.assume or ()))
    if args.scheduler is None:
        results = [fn(it) for it in items]
    else:
        results = _dask.map_tasks(fn, items, args.scheduler)
    counts = {s: sum(r["status"] == s for r in results)
              for s in ("proved", "checked", "refuted", "undecided", "unread")}
    if args.json:
        json.dump({"file": str(args.batch), "counts": counts, "results": results}, sys.stdout, indent=1)
        print()
    else:
        for r in results:
            label = f"{r['id']}: " if r["id"] else ""
            print(f"{r['line']:>5}  {r['status']:<9}  {label}{r['text']}")
            if r["status"] in ("refuted", "unread"):
                print(f"{'':>5}  {'':<9}  {r['detail']}")
        print(f"{len(results)} statements: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    if counts["refuted"]:
        return 1
    return 3 if counts["undecided"] or counts["unread"] else 0


def add_check_command(sub) -> None:
    from gantheory.reading import DIVERGENCES

    names = ", ".join(sorted({k for k in DIVERGENCES}))
    p = sub.add_parser("check", help="check a statement typed as text (SymPy syntax or LaTeX)",
                       description="Read a statement over gantheory's objects -- the divergences " + names +
                       ", E[...] (under the reference), R (the likelihood ratio), p_r, p_g, p_data, the GAN "
                       "losses, ArgMax, Spectrum, ... -- in SymPy syntax or slide LaTeX, and decide it with the "
                       "registry's verifiers. The text is read by a whitelist (numbers, names, arithmetic, "
                       "relations and the known functions); it is never executed. Inequalities between "
                       "f-divergences are decided on two-point distributions (proved with a certificate, or "
                       "refuted with an exact counterexample). Exit 0 proved/checked, 1 refuted, 3 undecided, "
                       "2 bad usage.")
    p.add_argument("statement", nargs="?", default=None)
    p.add_argument("--batch", metavar="FILE", default=None,
                   help="check every statement of FILE instead: one per line, or JSON lines {\"statement\": ..., "
                   "\"assume\": [...], \"id\": ...}; exit 1 if any is refuted, 3 if any is undecided or unread")
    p.add_argument("--scheduler", metavar="ADDR", default=None,
                   help="with --batch: check the statements through Dask: 'threads', 'processes', 'synchronous' "
                   "or a distributed scheduler's address (as stability --scheduler)")
    p.add_argument("--assume", action="append", metavar="A",
                   help="an assumption: 'x > 0', 'x >= 0', 'x < 0', 'x <= 0', 'x != 0', 'x real', 'x integer', "
                   "'x positive', 'p << q' (repeatable)")
    p.add_argument("--json", action="store_true", help="the verdict as one JSON object")
    p.add_argument("--latex", action="store_true", help="the verdict as a LaTeX snippet for notes")
    p.add_argument("--no-repairs", action="store_true", help="do not try repairs of a refuted statement")
    p.add_argument("--timeout", type=float, default=60.0, metavar="S",
                   help="seconds for the statement (default 60); past it the verdict is undecided (exit 3)")
    p.set_defaults(func=cmd_check)
