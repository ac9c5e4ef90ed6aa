"""``gantheory check "STATEMENT" [--assume A ...] [--json] [--latex]``: see :mod:`gantheory.checking`."""

from __future__ import annotations

import json
import sys


def cmd_check(args) -> int:
    from gantheory.checking import StatementError, check_statement
    from gantheory.cli._common import UsageError

    try:
        res = check_statement(args.statement, assume=args.assume or (), repairs=not args.no_repairs)
    except StatementError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        json.dump(res.to_json(), sys.stdout, indent=1)
        print()
    elif args.latex:
        sys.stdout.write(res.latex())
    else:
        print(f"statement:  {res.statement}")
        for a in res.assumptions:
            print(f"assuming:   {a}")
        print(f"verdict:    {res.status} ({res.method}, by {res.verifier})")
        print(f"why:        {res.detail}")
        if res.steps:
            print("derivation:")
            for k, (what, val) in enumerate(res.steps, 1):
                print(f"    {k}. {what}" + ("" if val is None else f":  {val}"))
        if res.counterexample:
            print("counterexample:")
            for k, v in res.counterexample.items():
                print(f"    {k} = {v}")
        for r in res.repairs:
            print(f"repair ({r['label']}): {r['statement']}  -- {r['status']}")
    return res.exit_code


def add_check_command(sub) -> None:
    p = sub.add_parser("check", help="check a statement typed as text (SymPy syntax or LaTeX)",
                       description="Parse a statement over gantheory's objects (KL, JSD, E[...], R, p_r, p_g, the "
                       "GAN losses, ArgMax, Spectrum, ...) in SymPy syntax or LaTeX, and run it through the "
                       "registry's verifiers. Exit 0 proved/checked, 1 refuted, 3 undecided, 2 bad usage.")
    p.add_argument("statement")
    p.add_argument("--assume", action="append", metavar="A",
                   help="an assumption: 'x > 0', 'x >= 0', 'x < 0', 'x != 0', 'x real', 'x integer', 'p << q' "
                   "(repeatable)")
    p.add_argument("--json", action="store_true", help="the verdict as one JSON object")
    p.add_argument("--latex", action="store_true", help="the verdict as a LaTeX snippet for notes")
    p.add_argument("--no-repairs", action="store_true", help="do not try repairs of a refuted statement")
    p.set_defaults(func=cmd_check)
