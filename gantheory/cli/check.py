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
    from gantheory.checking import StatementError, check_statement
    from gantheory.cli._common import UsageError
    from gantheory.report._math import math_text

    if args.timeout is not None and not args.timeout > 0:
        raise UsageError(f"--timeout must be a positive number of seconds, got {args.timeout}")
    try:
        res = check_statement(args.statement, assume=args.assume or (), repairs=not args.no_repairs,
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
    p.add_argument("statement")
    p.add_argument("--assume", action="append", metavar="A",
                   help="an assumption: 'x > 0', 'x >= 0', 'x < 0', 'x <= 0', 'x != 0', 'x real', 'x integer', "
                   "'x positive', 'p << q' (repeatable)")
    p.add_argument("--json", action="store_true", help="the verdict as one JSON object")
    p.add_argument("--latex", action="store_true", help="the verdict as a LaTeX snippet for notes")
    p.add_argument("--no-repairs", action="store_true", help="do not try repairs of a refuted statement")
    p.add_argument("--timeout", type=float, default=60.0, metavar="S",
                   help="seconds for the statement (default 60); past it the verdict is undecided (exit 3)")
    p.set_defaults(func=cmd_check)
