"""``gantheory run {altmin,glgd,wasserstein}``: the seed-000 algorithms on the default problem."""

from __future__ import annotations

import json
import sys

DEFAULT_STEPS = {"altmin": 20, "glgd": 200, "wasserstein": 200}


def plot_trajectory(traj, grid, p_r, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from gantheory.engine._backend import to_numpy

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    x = grid.points
    ax1.plot(x, to_numpy(p_r), "k", lw=2, label="$p_r$")
    cmap = plt.get_cmap("viridis")
    dens = traj.densities
    for k, (step, p) in enumerate(dens):
        ax1.plot(x, p, color=cmap(k / max(1, len(dens) - 1)), lw=1, alpha=0.8,
                 label=f"$p_g$ step {step}" if k in (0, len(dens) - 1) else None)
    ax1.set_xlabel("y")
    ax1.set_title(f"{traj.algorithm}: densities over iterations")
    top = 1.2 * float(np.max(to_numpy(p_r)))
    if traj.algorithm != "altmin":
        ax1.set_ylim(0, top)
    ax1.legend(fontsize=8)
    steps = [h["step"] for h in traj.history]
    for key in ("objective", "kl", "jsd", "w1"):
        vals = [h[key] for h in traj.history]
        ax2.plot(steps, vals, label=key)
    ax2.set_xlabel("step")
    ax2.set_title("diagnostics")
    ax2.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


#: The distance each algorithm drives to 0, from which its rate is measured.
RATE_KEY = {"altmin": "kl", "glgd": "kl", "wasserstein": "w1"}
METHODS = {"glgd": ("projected", "mirror"), "wasserstein": ("mass", "projected", "mirror")}


def rounding_floor(traj, key: str) -> float:
    """The level below which ``key`` is rounding, not distance: (cells) x (machine epsilon of p_g) x its
    first value. A sum over n cells of terms each correct to about one epsilon is correct to about n
    epsilon of its size; below that, which value a run prints (3e-31 or 0) depends on the machine's
    libm and SIMD, not on the algorithm."""
    import numpy as np

    p_g = traj.p_g
    cells = int(np.prod(getattr(p_g, "shape", ()) or (1,)))
    try:
        eps = float(np.finfo(np.dtype(str(p_g.dtype).rsplit(".", 1)[-1])).eps)
    except (TypeError, ValueError, AttributeError):
        eps = float(np.finfo(np.float64).eps)
    return cells * eps * abs(traj.history[0][key])


def measured_rate(traj, key: str) -> float | None:
    """The geometric-mean factor per step by which ``key`` fell to the best value the run recorded above
    its rounding floor (``rounding_floor``), (best/first)^(1/steps to it) -- the best, not the last,
    because Polyak's steps are not monotone; None when it cannot be measured (no step, a value that is 0 or
    not finite, or the first recorded step already at rounding)."""
    import math

    first = traj.history[0]
    vals = [h[key] for h in traj.history]
    if not all(math.isfinite(v) for v in vals):
        return None
    floor = rounding_floor(traj, key)
    best = min((h for h in traj.history[1:] if h[key] > floor), key=lambda h: h[key], default=None)
    if best is None:
        return None
    steps = best["step"] - first["step"]
    a, b = first[key], best[key]
    if steps <= 0 or a <= 0 or b <= 0:
        return None
    return (b / a) ** (1.0 / steps)


def reached_rounding(traj, key: str) -> int | None:
    """The first recorded step at which ``key`` is at its rounding floor, or None."""
    floor = rounding_floor(traj, key)
    return next((h["step"] for h in traj.history[1:] if h[key] <= floor), None)


def plot_comparison(trajs, grid, p_r, key: str, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from gantheory.engine._backend import to_numpy

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    x = grid.points
    ax1.plot(x, to_numpy(p_r), "k", lw=2, label="$p_r$")
    first = trajs[0].densities[0][1] if trajs[0].densities else None
    if first is not None:
        ax1.plot(x, first, color="0.6", lw=1, ls="--", label="$p_g$ at step 0")
    for tr in trajs:
        step, p = tr.densities[-1]
        ax1.plot(x, p, lw=1.2, label=f"{tr.algorithm}, step {step}")
        steps = [h["step"] for h in tr.history]
        rate = measured_rate(tr, key)
        ax2.semilogy(steps, [max(h[key], 1e-300) for h in tr.history],
                     label=f"{tr.algorithm}" + (f" (rate {rate:.4f}/step)" if rate is not None else ""))
    ax1.set_xlabel("y")
    ax1.set_title("densities: start and end of each run")
    ax1.legend(fontsize=8)
    ax2.set_xlabel("step")
    ax2.set_ylabel(key.upper() + r"$(p_g, p_r)$" if key == "kl" else r"$W_1(p_r, p_g)$")
    ax2.set_title(f"{key.upper()} per step (log scale), from the same runs")
    ax2.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


#: the most cells x steps one run takes (about 1e8 cell-steps a second here: some 20 minutes)
MAX_CELL_STEPS = 10**11


def cmd_run(args) -> int:
    from gantheory.cli._common import Progress, UsageError, check_output_path, image_formats, report_interrupt
    from gantheory.engine import alternating_minimization, demo_problem, glgd, wasserstein_descent
    from gantheory.engine._algorithms import InterruptedRun

    if args.n < 8:
        raise UsageError(f"--n must be at least 8, got {args.n}")
    steps = DEFAULT_STEPS[args.algorithm] if args.steps is None else args.steps
    if steps < 0:
        raise UsageError(f"--steps must be non-negative, got {steps}")
    if steps * args.n > MAX_CELL_STEPS:  # refused before any work: a run that would take hours or more
        raise UsageError(f"--steps {steps} on {args.n} cells is {steps * args.n:.3g} cell-steps, more than "
                         f"{MAX_CELL_STEPS:.0e} (20 minutes or more here); lower --steps or --n")
    if args.record_every is not None and args.record_every < 0:
        raise UsageError(f"--record-every must be non-negative, got {args.record_every}")
    method = args.method
    if args.algorithm == "altmin":
        if method is not None:
            raise UsageError("--method applies to glgd and wasserstein, not altmin")
        methods = [None]
    else:
        allowed = (*METHODS[args.algorithm], "compare")
        method = method or "compare"
        if method not in allowed:
            raise UsageError(f"--method for {args.algorithm} must be one of {', '.join(allowed)}, got {method!r}")
        methods = list(METHODS[args.algorithm]) if method == "compare" else [method]
    if args.plot is not None:  # before any computation: a bad path fails now, not after the run
        args.plot = check_output_path(args.plot, "--plot", image_formats(), "png")
    from gantheory.engine._grid import check_fits

    try:  # about 32 float64 arrays of the grid's size at the peak (measured: 180 bytes per cell at 10^6)
        check_fits(args.n * 32, 8, f"run {args.algorithm} --n {args.n}")
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    # records: every step up to 1000 steps, then thinned to about 1000 (bounded memory on long runs)
    record = max(1, steps // 1000) if args.record_every is None else args.record_every
    rows = (steps // record + 2) if record > 0 else 2
    try:  # a record is about 1 KB (a dict of floats), plus the densities kept for --plot
        check_fits(rows * (128 + (args.n if args.plot else 0)) * len(methods), 8,
                   f"run {args.algorithm} --steps {steps} with a record every {record} step(s)",
                   "raise --record-every")
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    grid, p_r, p_g0 = demo_problem(args.n)
    trajs = []
    for m in methods:
        progress = Progress(args.algorithm if m is None else f"{args.algorithm} ({m})")
        kw = dict(steps=steps, record_every=record, keep_densities=bool(args.plot), progress=progress)
        try:
            if args.algorithm == "altmin":
                traj = alternating_minimization(p_r, p_g0, grid, **kw)
            elif args.algorithm == "glgd":
                traj = glgd(p_r, p_g0, grid, method=m, **kw)
            else:
                traj = wasserstein_descent(p_r, p_g0, grid, method=m, **kw)
        except InterruptedRun as exc:
            progress.close()
            last = exc.trajectory.history[-1] if exc.trajectory.history else None
            extra = (f"last record: step {last['step']}, objective {last['objective']:.6g}, kl {last['kl']:.6g}"
                     if last else "nothing recorded")
            return report_interrupt(exc.step, steps, "steps", extra + "; no plot written")
        progress.close()
        trajs.append(traj)
    key = RATE_KEY[args.algorithm]
    if args.plot:
        for traj in trajs:
            if len(traj.densities) > 12:  # keep the picture readable
                pick = sorted(set(round(i * (len(traj.densities) - 1) / 11) for i in range(12)))
                traj.densities = [traj.densities[i] for i in pick]
        if len(trajs) == 1:
            plot_trajectory(trajs[0], grid, p_r, args.plot)
        else:
            plot_comparison(trajs, grid, p_r, key, args.plot)
    if args.json:
        recs = [{**t.to_json(), "rate": measured_rate(t, key), "rate_of": key,
                 "rounding_floor": rounding_floor(t, key), "at_rounding_from": reached_rounding(t, key)}
                for t in trajs]
        # the contract's object (algorithm, steps, history) is the first method's run; a comparison adds
        # every run under "runs"
        json.dump(recs[0] if len(recs) == 1 else {**recs[0], "runs": recs}, sys.stdout, indent=1)
        print()
        return 0
    for traj in trajs:
        first, last = traj.history[0], traj.history[-1]
        rate = measured_rate(traj, key)
        at = reached_rounding(traj, key)
        print(f"{traj.algorithm} on a {args.n}-cell grid, {traj.steps} steps"
              + (f" (stopped: {traj.stopped})" if traj.stopped else "")
              + (f"; best {key.upper()} reached at a rate of {rate:.6f} per step (geometric mean)"
                 if rate is not None else "")
              + (f"; {key.upper()} at rounding (<= {rounding_floor(traj, key):.1e}) from step {at}"
                 if at is not None else ""))
        keys = ("objective", "kl", "jsd", "w1", "expected_R", "max_cell_mass")
        print(f"{'':>8}" + "".join(f"{k:>15}" for k in keys))
        for label, rec in (("first", first), ("last", last)):
            print(f"{label:>8}" + "".join(f"{rec[k]:>15.6g}" for k in keys))
    if args.plot:
        print(f"plot written to {args.plot}")
    return 0


def add_run_command(sub) -> None:
    p = sub.add_parser("run", help="run a seed-000 algorithm on discretized densities",
                       description="Run alternating minimization, GLGD or the Wasserstein algorithm on a "
                       "bimodal reference (a 1-D grid over [-4, 4]) from a unimodal generator.")
    p.add_argument("algorithm", choices=["altmin", "glgd", "wasserstein"])
    p.add_argument("--n", type=int, default=512, help="grid cells (default 512)")
    p.add_argument("--steps", type=int, default=None,
                   help="iterations (default: 20 for altmin, 200 otherwise)")
    p.add_argument("--record-every", type=int, default=None,
                   help="record diagnostics every K steps (default 1, or steps/1000 on runs over 1000 steps "
                   "so that memory stays bounded; 0: first and last)")
    p.add_argument("--method", choices=["compare", "projected", "mirror", "mass"], default=None,
                   help="update of glgd/wasserstein: 'projected' (the seed's additive step), 'mirror' "
                   "(multiplicative), 'mass' (wasserstein only: Polyak steps on the cell masses); default "
                   "'compare' runs each and prints its rate")
    p.add_argument("--json", action="store_true", help="print {algorithm, steps, history} as JSON")
    p.add_argument("--plot", metavar="FILE", help="write densities over iterations and the diagnostics (PNG)")
    p.set_defaults(func=cmd_run)
