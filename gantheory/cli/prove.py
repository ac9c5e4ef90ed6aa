"""``gantheory prove [--json] [-k PATTERN] [--jobs N] [--timeout S] [--scheduler ADDR]``."""

from __future__ import annotations

import json
import sys
import time

from gantheory.cli._common import UsageError, _positive_float, report_interrupt


def _cmd_prove(args) -> int:
    import gantheory
    from gantheory._runner import Interrupted, run_claims
    from gantheory.report import summary, table

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

    if args.scheduler is not None:
        if args.jobs is not None or args.timeout is not None:
            raise UsageError("--jobs and --timeout apply to the local workers, not to --scheduler")
        from gantheory._runner import run_claims_dask

        try:
            verdicts = run_claims_dask(selected, args.scheduler)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        progress = None
        return _report(args, verdicts, start)
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
    return _report(args, verdicts, start)


def _report(args, verdicts, start) -> int:
    from gantheory.report import per_document, summary, table

    if args.json:
        json.dump([v.to_json() for v in verdicts], sys.stdout, indent=1)
        print()
    else:
        print(table(verdicts))
        print()
        print(per_document(verdicts))
        print(summary(verdicts, time.perf_counter() - start))
    return 0 if all(v.as_expected for v in verdicts) else 1


def add_prove_command(sub) -> None:
    p = sub.add_parser("prove", help="check every registered claim (or those matching -k)",
                       description="Check every registered claim; exit 0 iff every outcome is "
                       "as expected (true claims proved/checked, errata refuted).")
    p.add_argument("--json", action="store_true", help="print one JSON array of verdicts")
    p.add_argument("-k", metavar="PATTERN", default=None,
                   help="only claims whose id contains PATTERN (or matches it as a glob)")
    p.add_argument("--jobs", type=int, default=None, help="parallel workers (default: CPU count)")
    p.add_argument("--timeout", type=_positive_float("--timeout"), default=None,
                   help="seconds per claim (default: each claim's own limit, 20 s)")
    p.add_argument("--scheduler", metavar="ADDR", default=None,
                   help="verify the claims as Dask tasks: 'threads', 'processes', 'synchronous' or a distributed "
                   "scheduler's address (as stability --scheduler); claims then run without a time limit")
    p.set_defaults(func=_cmd_prove)
