"""``gantheory run {altmin,glgd,wasserstein}``: the seed-000 algorithms on the default problem."""

from __future__ import annotations

import json
import sys
import time

DEFAULT_STEPS = {"altmin": 20, "glgd": 200, "wasserstein": 200}


def default_problem(n: int):
    """A bimodal reference and a unimodal initial generator on a 1-D grid over [-4, 4]."""
    from gantheory.engine import Grid, gaussian_mixture

    grid = Grid.uniform(-4.0, 4.0, n)
    p_r = gaussian_mixture(grid, [-2.0, 2.0], 0.5)
    p_g0 = gaussian_mixture(grid, [0.0], 1.0)
    return grid, p_r, p_g0


class _Progress:
    """A progress bar on stderr that appears only once a run has taken more than a second."""

    def __init__(self, label: str):
        self.label, self.start, self.shown = label, time.perf_counter(), False
        self.enabled = sys.stderr.isatty()

    def __call__(self, step: int, total: int) -> None:
        if not self.enabled or time.perf_counter() - self.start < 1.0:
            return
        self.shown = True
        width = 30
        done = int(width * step / max(total, 1))
        print(f"\r{self.label} [{'#' * done}{'.' * (width - done)}] {step}/{total}", end="",
              file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.shown:
            print(file=sys.stderr)


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


def cmd_run(args) -> int:
    from gantheory.cli import UsageError, check_output_path, image_formats, report_interrupt
    from gantheory.engine import alternating_minimization, glgd, wasserstein_descent
    from gantheory.engine._algorithms import InterruptedRun

    if args.n < 8:
        raise UsageError(f"--n must be at least 8, got {args.n}")
    steps = DEFAULT_STEPS[args.algorithm] if args.steps is None else args.steps
    if steps < 0:
        raise UsageError(f"--steps must be non-negative, got {steps}")
    if args.record_every is not None and args.record_every < 0:
        raise UsageError(f"--record-every must be non-negative, got {args.record_every}")
    if args.plot:  # before any computation: a bad path fails now, not after the run
        args.plot = check_output_path(args.plot, "--plot", image_formats(), "png")
    grid, p_r, p_g0 = default_problem(args.n)
    record = 1 if args.record_every is None else args.record_every
    progress = _Progress(args.algorithm)
    kw = dict(steps=steps, record_every=record, keep_densities=bool(args.plot), progress=progress)
    try:
        if args.algorithm == "altmin":
            traj = alternating_minimization(p_r, p_g0, grid, **kw)
        elif args.algorithm == "glgd":
            traj = glgd(p_r, p_g0, grid, method=args.method, **kw)
        else:
            traj = wasserstein_descent(p_r, p_g0, grid, method=args.method, **kw)
    except InterruptedRun as exc:
        progress.close()
        last = exc.trajectory.history[-1] if exc.trajectory.history else None
        extra = (f"last record: step {last['step']}, objective {last['objective']:.6g}, kl {last['kl']:.6g}"
                 if last else "nothing recorded")
        return report_interrupt(exc.step, steps, "steps", extra + "; no plot written")
    progress.close()
    if args.plot:
        if len(traj.densities) > 12:  # keep the picture readable
            pick = sorted(set(round(i * (len(traj.densities) - 1) / 11) for i in range(12)))
            traj.densities = [traj.densities[i] for i in pick]
        plot_trajectory(traj, grid, p_r, args.plot)
    if args.json:
        json.dump(traj.to_json(), sys.stdout, indent=1)
        print()
    else:
        first, last = traj.history[0], traj.history[-1]
        print(f"{traj.algorithm} on a {args.n}-cell grid, {traj.steps} steps"
              + (f" (stopped: {traj.stopped})" if traj.stopped else ""))
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
                   help="record diagnostics every K steps (default 1; 0: first and last)")
    p.add_argument("--method", choices=["projected", "mirror"], default="projected",
                   help="update of glgd/wasserstein: the seed's projected step (default) or the "
                   "multiplicative (mirror) one")
    p.add_argument("--json", action="store_true", help="print {algorithm, steps, history} as JSON")
    p.add_argument("--plot", metavar="FILE", help="write densities over iterations and the diagnostics (PNG)")
    p.set_defaults(func=cmd_run)
