"""``gantheory stability``: characteristic polynomial, exact convergence condition, spectral radius,
optimal hyperparameter and stability map of an optimizer on a game (see :mod:`gantheory.stability`)."""

from __future__ import annotations

import json
import sys

import sympy as sp

from gantheory.report._math import math_text

NEEDS = {"r1": ("gamma",), "r2": ("gamma",), "consensus": ("gamma",), "instance-noise": ("sigma",)}


def _axes(text: str) -> dict:
    out = {}
    for part in text.split(","):
        try:
            name, rng = part.split("=", 1)
            lo, hi, n = rng.split(":")
            lo_f, hi_f, n_i = float(lo), float(hi), int(n)
        except ValueError:
            raise ValueError(f"--map: expected P=LO:HI:N, got {part!r}") from None
        if not (lo_f < hi_f) or n_i < 2:
            raise ValueError(f"--map {name.strip()}: need LO < HI and N >= 2, got {rng}")
        out[name.strip()] = (lo_f, hi_f, n_i)
    return out


def _exact_boundary(ax, cond, names, x, y) -> bool:
    """Draw the boundary of the exact Schur-Cohn condition: each of its polynomial relations P > 0 (or
    < 0) contributes the curve P = 0 where every other relation holds. True if something was drawn."""
    import numpy as np

    from gantheory import stability as S

    if not cond or cond["relational"] in (sp.true, sp.false) or set(cond["parameters"]) != set(names):
        return False
    rels = list(cond["relational"].args) if isinstance(cond["relational"], sp.And) else [cond["relational"]]
    syms = [S.PARAMETERS[n] for n in names]
    X, Y = np.meshgrid(x, y, indexing="ij")
    vals = [np.broadcast_to(np.asarray(sp.lambdify(syms, r.lhs - r.rhs, "numpy")(X, Y), dtype=float), X.shape)
            for r in rels]
    holds = [v > 0 if isinstance(r, (sp.StrictGreaterThan, sp.GreaterThan)) else v < 0 for r, v in zip(rels, vals)]
    drawn = False
    for k, v in enumerate(vals):
        others = np.all([h for j, h in enumerate(holds) if j != k], axis=0) if len(holds) > 1 else np.ones_like(v, bool)
        if not others.any() or not ((v > 0).any() and (v < 0).any()):
            continue
        ax.contour(x, y, np.where(others, v, np.nan).T, levels=[0.0], colors="w", linewidths=1.5)
        drawn = True
    if drawn:
        ax.plot([], [], "w", label="exact boundary (Schur-Cohn)")
        ax.legend(fontsize=8, loc="lower right")
    return drawn


def _plot(result, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    m = result["_map"]
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    if len(m["parameters"]) == 1:
        x = np.asarray(m["axes"][0])
        ax.plot(x, m["rho"], lw=1.5, label=r"$\rho$")
        ax.axhline(1.0, color="k", lw=0.8, ls="--", label=r"$\rho = 1$")
        ax.set_xlabel(m["parameters"][0])
        ax.set_ylabel("spectral radius")
    else:
        x, y = (np.asarray(a) for a in m["axes"])
        rho = np.asarray(m["rho"])
        im = ax.pcolormesh(x, y, np.minimum(rho, 2.0).T, shading="auto", cmap="viridis")
        fig.colorbar(im, ax=ax, label=r"$\rho$ (clipped at 2)")
        drawn = _exact_boundary(ax, result.get("_conditions"), m["parameters"], x, y)
        if not drawn:  # no exact condition available: the numeric level set
            ax.contour(x, y, rho.T, levels=[1.0], colors="w", linewidths=1.5)
        ax.set_xlabel(m["parameters"][0])
        ax.set_ylabel(m["parameters"][1])
    opt = result.get("optimum")
    if opt and opt["parameter"] in m["parameters"] and len(m["parameters"]) == 1:
        ax.plot([opt["value"]], [opt["spectral_radius"]], "r*", ms=12, label="optimum")
    ax.set_title(result["title"])
    if len(m["parameters"]) == 1:
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def set_condition(the_set, name: str) -> str:
    """A set of one parameter as a condition a mathematician writes: ``1/40 < gamma < 1601/80``,
    ``0 < h < 0.1640 (the smallest root of ...)``, unions joined by "or", "never" for the empty set."""
    if the_set is None or the_set is sp.S.EmptySet:
        return "never"
    if isinstance(the_set, sp.Union):
        return " or ".join(set_condition(part, name) for part in the_set.args)
    if isinstance(the_set, sp.Interval):
        lo, hi = the_set.start, the_set.end
        left = "" if lo is sp.S.NegativeInfinity else f"{math_text(lo)} {'<' if the_set.left_open else '<='} "
        right = "" if hi is sp.S.Infinity else f" {'<' if the_set.right_open else '<='} {math_text(hi)}"
        return (left + name + right) if (left or right) else f"{name} real"
    if isinstance(the_set, sp.FiniteSet):
        return " or ".join(f"{name} = {math_text(v)}" for v in the_set.args)
    return math_text(the_set)


def cmd_stability(args) -> int:
    from gantheory import stability as S
    from gantheory.cli._common import UsageError, check_output_path, image_formats

    for name in ("ng", "nd"):
        if getattr(args, name) < 1:
            raise UsageError(f"--{name} must be at least 1, got {getattr(args, name)}")
    if (args.game is None) == (args.loss_expr is None):
        raise UsageError("give --game or --loss-expr (one of them)")
    if args.loss_expr is not None and (args.reg != "none" or args.loss != "gan"):
        raise UsageError("--reg and --loss apply to --game; write a regularizer into --loss-expr")
    if args.plot is not None:
        args.plot = check_output_path(args.plot, "--plot", image_formats(), "png")
    try:
        at = tuple(S.parse_assignments(args.at).items()) if args.at else ()
        values = S.parse_assignments(args.fix)
        for name in ("h", "hg", "hd", "beta", "gamma", "sigma"):
            val = getattr(args, name)
            if val is not None:
                values.update(S.parse_assignments(f"{name}={val}"))
        axes = _axes(args.map) if args.map else {}
        opt, opt_ranges = _optimize_spec(args.optimize) if args.optimize else ([], {})
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    for p in [*opt, *axes]:
        if p not in S.PARAMETERS:
            raise UsageError(f"unknown parameter {p!r}; parameters are {', '.join(S.PARAMETERS)}")
    if len(opt) > 3:
        raise UsageError("--optimize takes one, two or three parameters")
    if len(opt) > 1 and args.range:
        raise UsageError("--range is the interval of one parameter; for several write --optimize h=LO:HI,beta=LO:HI")
    if not 1e-12 <= args.tolerance <= 0.1:  # NaN fails too
        raise UsageError(f"--tolerance must be in [1e-12, 0.1], got {args.tolerance!r}")
    if len(opt) < 2 and (args.no_certify or args.tolerance != 1e-6):
        raise UsageError("--tolerance and --no-certify are for a joint optimum (--optimize with two or three "
                         "parameters)")
    if ("h" in values or "h" in opt or "h" in axes) and ({"hg", "hd"} & (set(values) | set(opt) | set(axes))):
        raise UsageError("give either --h or --hg/--hd (two time scales), not both")
    two = bool({"hg", "hd"} & (set(values) | set(opt) | set(axes)))
    momentum = "beta" in values or "beta" in opt or "beta" in axes
    defaulted = set()
    for need in NEEDS.get(args.reg, ()):
        if need not in values and need not in opt and need not in axes:
            values[need] = sp.Integer(1)
            defaulted.add(need)
    def split(t):
        return tuple(v.strip() for v in t.split(",") if v.strip())

    setup = S.Setup(args.game or "expression", args.loss, args.reg, args.optimizer, args.ng, args.nd, two, momentum,
                    args.loss_expr, split(args.min), split(args.max), at)
    try:
        M = S.update_matrix(setup)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    used = {str(s) for s in M.free_symbols}
    names = {str(v): k for k, v in S.PARAMETERS.items()}
    params = sorted(names[u] for u in used if u in names)
    unknown = [p for p in params if p not in values]
    free = opt[0] if len(opt) == 1 else (None if opt else (next(iter(axes)) if axes else
                                                            (unknown[0] if len(unknown) == 1 else None)))
    if free is None and not unknown and "h" in params:
        free = None
    for k in defaulted - set(params):  # a default the update does not use (sigma with f''(0) = 0): dropped
        del values[k]
    fixed = {k: v for k, v in values.items() if k != free and k not in axes and k not in opt}
    for k in list(fixed):
        if k not in params:
            if not params:  # the update matrix is a constant: I when the field's Jacobian vanishes there
                raise UsageError(f"{k} does not enter this update: no parameter does (the field's Jacobian at "
                                 "the equilibrium is zero, so the linearized update does not depend on the "
                                 "step size); drop it to see the characteristic polynomial")
            raise UsageError(f"{k} does not enter this update (parameters here: {', '.join(params)})")
    title = (f"{args.game}, {args.loss}, reg {args.reg}, {args.optimizer}" if args.game else
             f"L = {args.loss_expr} (min {args.min}, max {args.max}), {args.optimizer}")
    result = {"title": title,
              "setup": {"game": args.game, "loss": args.loss, "reg": args.reg, "optimizer": args.optimizer,
                        "n_g": args.ng, "n_d": args.nd, "two_timescale": two, "momentum": momentum,
                        "loss_expr": args.loss_expr},
              "fixed": {k: str(v) for k, v in fixed.items()}}
    poly = S.characteristic_polynomial(setup)
    result["characteristic_polynomial"] = {"expr": str(poly), "latex": sp.latex(poly)}
    try:
        if free is not None and not (set(params) - set(fixed) - {free}):
            c = S.condition(setup, free, fixed)
            result["condition"] = {"parameter": free, "parameters": [free], "set": str(c["set"]),
                                   "relational": str(c["relational"]), "latex": c["latex"], "exceptions": []}
            result["_set"] = c["set"]
        elif len(set(params) - set(values)) >= 2:  # Schur-Cohn in every free parameter
            cond_fixed = {k: v for k, v in values.items() if k in params}
            try:
                c = S.conditions(setup, cond_fixed)
            except S.ConditionsTooHard as hard:
                result["condition"] = None
                result["condition_note"] = (f"not computed: the characteristic polynomial has an irreducible factor "
                                            f"of degree {hard.degree} in lambda, and the Schur-Cohn polynomials in "
                                            f"several parameters grow too fast above degree {hard.max_degree}; "
                                            "--fix decides a point exactly, --map draws rho")
            else:
                result["condition"] = {"parameter": None, "parameters": c["parameters"], "set": None,
                                       "relational": str(c["relational"]), "latex": c["latex"],
                                       "exceptions": [str(e) for e in c["exceptions"]]}
                result["_conditions"] = c
        else:
            result["condition"] = None
        if not set(params) - set(values):
            result.update(S.spectral_radius(setup, {k: values[k] for k in params}))
        else:
            result["spectral_radius"], result["stability"] = None, None
        result["joint_optimum"] = None
        if len(opt) == 1:
            lo, hi = args.range if args.range else opt_ranges.get(opt[0], _default_range(opt[0]))
            result["optimum"] = S.optimum(setup, opt[0], fixed, lo, hi)
        else:
            result["optimum"] = None
        if len(opt) > 1:
            ranges = {p: opt_ranges.get(p, _default_range(p)) for p in opt}
            result["joint_optimum"] = S.joint_optimum(setup, opt, fixed, ranges, certify=not args.no_certify,
                                                      tolerance=args.tolerance)
        if axes:
            m = S.stability_map(setup, axes, fixed, scheduler=args.scheduler)
            result["_map"] = m
            rho = m["rho"]
            result["map"] = {"parameters": m["parameters"], "axes": m["axes"], "rho": rho.tolist(),
                             "stable_fraction": float((rho < 1).mean()), "min_rho": float(rho.min())}
        else:
            result["map"] = None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.plot:
        if "_map" not in result:
            raise UsageError("--plot draws the map: give --map")
        if len(result["_map"]["parameters"]) == 2 and "_conditions" not in result:
            cond_fixed = {k: v for k, v in fixed.items() if k in params}
            try:
                result["_conditions"] = S.conditions(setup, cond_fixed)
            except S.ConditionsTooHard:  # the plot then shows rho alone
                pass
        _plot(result, args.plot)
    result.pop("_map", None)
    result.pop("_conditions", None)
    the_set = result.pop("_set", None)
    if args.json:
        json.dump(result, sys.stdout, indent=1)
        print()
        return 0
    print(result["title"] + (f"; fixed {', '.join(f'{k} = {v}' for k, v in result['fixed'].items())}"
                             if result["fixed"] else ""))
    print(f"  characteristic polynomial: {result['characteristic_polynomial']['expr']}")
    if result["condition"] and result["condition"]["parameter"]:
        c = result["condition"]
        print(f"  converges iff:             {set_condition(the_set, c['parameter'])}"
              f"   (exact; {c['parameter']} in {math_text(S.DOMAINS[c['parameter']])})")
    elif result["condition"]:
        c = result["condition"]
        print(f"  converges iff (Schur-Cohn, exact off the exceptions; "
              f"{', '.join(f'{q} in {math_text(S.DOMAINS[q])}' for q in c['parameters'])}):")
        for rel in (c["relational"].split(" & ") if c["relational"] not in ("True", "False") else [c["relational"]]):
            print(f"      {rel}")
        if c["exceptions"]:
            print(f"  exceptions (decided by --fix at a point): {', '.join(f'{e} = 0' for e in c['exceptions'])}")
    if result.get("condition_note"):
        print(f"  converges iff:             {result['condition_note']}")
    if result["spectral_radius"] is not None:
        print(f"  spectral radius:           {result['spectral_radius']:.10g} ({result['stability']}, exact)")
    if result["optimum"]:
        o = result["optimum"]
        cf = o["closed_form"]
        print(f"  optimum:                   {o['parameter']} = {o['value']:.10g}, rho = {o['spectral_radius']:.10g}"
              f" (bracket [{o['bracket'][0]:.6g}, {o['bracket'][1]:.6g}]"
              + (", certified" if o["certified"] else ", NOT certified") + ")")
        if cf:
            print(f"  closed form:               {o['parameter']} = {cf['value']}"
                  + (f", rho = {cf['spectral_radius_exact']}" if cf.get("spectral_radius_exact") else ""))
    if result.get("joint_optimum"):
        _print_joint(result["joint_optimum"])
    if result["map"]:
        m = result["map"]
        print(f"  map over {' x '.join(m['parameters'])}: {m['stable_fraction']:.1%} of the points converge, "
              f"smallest rho {m['min_rho']:.6g}")
    if args.plot:
        print(f"  plot written to {args.plot}")
    return 0


def _print_joint(j: dict) -> None:
    """The joint optimum's lines: where, the certificate (or why not), the multiple root and the exact form."""
    where = ", ".join(f"{p} = {v:.10g}" for p, v in j["values"].items())
    box = ", ".join(f"{p} in [{a:g}, {b:g}]" for p, (a, b) in j["box"].items())
    print(f"  joint optimum:             {where}, rho = {j['spectral_radius']:.10g} (grid of {j['grid_points']} "
          f"points over {box}, then Nelder-Mead)")
    c = j.get("certificate")
    if c and c["holds"]:
        bracket = f"[{c['lower']:.10g}, {c['upper']:.10g}]"
        print(f"  certified:                 min rho over the box in {bracket} (lower: {c['lower_by']}; "
              f"upper: {c['upper_by']})")
    elif c:
        print(f"  NOT certified:             {c['reason']}")
    else:
        print("  not certified:             --no-certify")
    if j["multiple_root"]:
        print(f"  there:                     {j['multiplicity']} roots of the characteristic polynomial coincide "
              "(a multiple root: the discriminant vanishes at the optimum)")
    if j.get("exact"):
        e = j["exact"]
        print(f"  exact:                     {', '.join(f'{p} = {v}' for p, v in e['values'].items())}, "
              f"rho = {e['spectral_radius']} ({e['root']})")
    elif j.get("exact_note"):
        print(f"  exact:                     {j['exact_note']}")


def _optimize_spec(text: str) -> tuple[list, dict]:
    """``"h,beta"`` or ``"h=0.01:2,beta=-0.9:0.9"``: the parameters and the ranges given."""
    from gantheory.cli._common import UsageError

    names, ranges = [], {}
    for part in (t.strip() for t in text.split(",")):
        if not part:
            raise UsageError(f"--optimize: an empty parameter in {text!r}")
        name, _, rng = part.partition("=")
        name = name.strip()
        if name in names:
            raise UsageError(f"--optimize: {name} is given twice")
        names.append(name)
        if rng:
            bits = rng.split(":")
            try:
                lo, hi = (float(b) for b in bits)
            except ValueError:
                raise UsageError(f"--optimize: {part!r} is not NAME=LO:HI with numbers") from None
            ranges[name] = (lo, hi)
    return names, ranges


def _default_range(param):
    return {"h": (1e-3, 4.0), "hg": (1e-3, 4.0), "hd": (1e-3, 4.0), "beta": (-0.999, 0.999),
            "gamma": (0.0, 20.0), "sigma": (1e-3, 10.0)}[param]


def add_stability_command(sub) -> None:
    p = sub.add_parser("stability", help="exact convergence conditions, optimal hyperparameters, stability maps",
                       description="The update Jacobian at the equilibrium with the hyperparameters as symbols: its "
                       "characteristic polynomial, the exact set of values of one free parameter for which every "
                       "root lies strictly inside the unit circle, the spectral radius at fixed values, the value "
                       "minimizing it (--optimize), and rho over a grid (--map).")
    p.add_argument("--game", choices=["dirac", "bilinear"])
    p.add_argument("--loss-expr", metavar="EXPR", help="a zero-sum game L typed in SymPy syntax, minimized over "
                   "--min and maximized over --max (default theta and psi)")
    p.add_argument("--min", metavar="V,..", default="theta", help="the minimizing player's variables")
    p.add_argument("--max", metavar="V,..", default="psi", help="the maximizing player's variables")
    p.add_argument("--at", metavar="V=x,..", help="the equilibrium to linearize at, when grad L = 0 has several")
    p.add_argument("--loss", choices=["gan", "nsgan", "wgan"], default="gan")
    p.add_argument("--reg", choices=["none", "r1", "r2", "instance-noise", "consensus"], default="none")
    p.add_argument("--gamma", help="regularizer weight (default 1 where the regularizer needs it)")
    p.add_argument("--sigma", help="instance-noise standard deviation (default 1)")
    p.add_argument("--optimizer", choices=["simgd", "altgd", "extragradient", "optimistic"], required=True)
    p.add_argument("--h", help="step size")
    p.add_argument("--hg", help="generator step size (two time scales)")
    p.add_argument("--hd", help="discriminator step size (two time scales)")
    p.add_argument("--beta", help="heavy-ball momentum (simgd, altgd)")
    p.add_argument("--ng", type=int, default=1, help="generator steps per round (altgd)")
    p.add_argument("--nd", type=int, default=1, help="discriminator steps per round (altgd)")
    p.add_argument("--optimize", metavar="P[,P..]", help="minimize the spectral radius over parameter P, or jointly "
                   "over two or three (h,beta or h=LO:HI,beta=LO:HI: a grid, Nelder-Mead, then a certified bracket "
                   "and the exact optimum at a multiple root)")
    p.add_argument("--range", nargs=2, type=float, metavar=("LO", "HI"), help="search interval of --optimize")
    p.add_argument("--tolerance", type=float, default=1e-6, metavar="T",
                   help="width allowed each side of the certified joint optimum (default 1e-6; 1e-12 to 0.1)")
    p.add_argument("--no-certify", action="store_true", help="the joint optimum without its certificate")
    p.add_argument("--map", metavar="P=LO:HI:N[,P=LO:HI:N]", help="rho over a grid of one or two parameters")
    p.add_argument("--fix", metavar="P=x,..", help="fix parameters (same as --h, --beta, ...)")
    p.add_argument("--scheduler", metavar="ADDR", help="compute the map with Dask: 'threads', 'processes', "
                   "'synchronous' or tcp://host:port")
    p.add_argument("--json", action="store_true", help="one JSON object")
    p.add_argument("--plot", metavar="FILE", help="draw the map (heat map with the rho = 1 boundary)")
    p.set_defaults(func=cmd_stability)
