"""``gantheory dynamics``: linearize an update at the equilibrium and simulate it."""

from __future__ import annotations

import json
import math
import sys

import numpy as np

from gantheory.symbolic import _games as G

#: Starting distance from the equilibrium for the measured rate: small enough for the linear regime,
#: large enough that the final distance stays above rounding (the instance-noise field cancels terms).
START_GROW, START_SHRINK = 1e-6, 1e-3
#: The run is long enough for the distance to shrink by SHRINK (or grow by GROW) at the predicted rate,
#: and at least 1000 steps, so that transients (Jordan blocks, rotation) weigh little; the reported
#: rate is the median over trajectories started at different angles.
SHRINK, GROW = 1e12, 1e4


def steps_for(rho: float | None, cap: int = 20000) -> int:
    """Steps for a rate measurement at predicted spectral radius ``rho``, at most ``cap``."""
    if rho is None or not math.isfinite(rho) or abs(math.log(max(rho, 1e-300))) < 1e-12:
        return cap
    span = GROW if rho > 1 else SHRINK
    return int(min(cap, max(1000, math.ceil(math.log(span) / abs(math.log(rho))))))


#: Trajectories whose every iterate is kept for the figure (out of the simulated ones).
PLOTTED = 4
#: Where no exact decision is possible (irrational coefficients), |rho - 1| below this is "marginal".
MARGINAL_BAND = 64 * 2.0**-52


def exact_stability(game, loss, reg, optimizer, h, n_g=1, n_d=1, beta=0.0, gamma=1.0, sigma=1.0):
    """The update Jacobian at the equilibrium in exact rational arithmetic (a float parameter is the
    rational number it stores), and where its eigenvalues lie against the unit circle."""
    import sympy as sp

    from gantheory.symbolic._stability import matrix_unit_circle_verdict

    J = G.field_jacobian(game, loss, reg).subs({G.gamma: sp.Rational(gamma), G.sigma: sp.Rational(sigma)})
    U = G.update_jacobian(J, optimizer, sp.Rational(h), n_g, n_d, sp.Rational(beta))
    return matrix_unit_circle_verdict(U)


def _stability(rho, game, loss, reg, optimizer, h, n_g, n_d, beta, gamma, sigma):
    """("converges" | "marginal" | "diverges", how it was decided, spectral radius)."""
    try:
        v = exact_stability(game, loss, reg, optimizer, h, n_g, n_d, beta, gamma, sigma)
    except ValueError:  # coefficients not rational: decide numerically, with a band around 1
        if abs(rho - 1) <= MARGINAL_BAND:
            return "marginal", f"numeric (|rho - 1| <= {MARGINAL_BAND:.1e})", rho
        return ("converges" if rho < 1 else "diverges"), "numeric", rho
    kind = {"inside": "converges", "on": "marginal", "outside": "diverges"}[v.kind]
    return kind, "exact (rational arithmetic on the given parameters)", v.rho


def analyse(game, loss, reg, optimizer, h, n_g=1, n_d=1, beta=0.0, gamma=1.0, sigma=1.0,
            trajectories=64, seed=0) -> dict:
    """Everything ``gantheory dynamics --json`` prints, and (under ``"_path"``, not printed) the
    iterates of the first trajectories of the very simulation whose rate is reported."""
    from gantheory.engine._dynamics import linearization, simulate

    out = {"game": game, "loss": loss, "reg": reg, "optimizer": optimizer, "h": h, "ng": n_g, "nd": n_d,
           "beta": beta, "gamma": gamma, "sigma": sigma}
    try:
        lin = linearization(game, loss, reg, optimizer, h, n_g, n_d, beta, gamma, sigma)
        out["linearization"] = "ok"
        out["field_eigenvalues"] = [[float(z.real), float(z.imag)] for z in lin["field_eigenvalues"]]
        out["update_eigenvalues"] = [[float(z.real), float(z.imag)] for z in lin["update_eigenvalues"]]
        kind, how, rho = _stability(lin["spectral_radius"], game, loss, reg, optimizer, h, n_g, n_d, beta,
                                    gamma, sigma)
        out["spectral_radius"] = rho
        out["stability"], out["decided"] = kind, how
    except G.NotLinearizable as exc:
        out["linearization"] = str(exc)
        out["field_eigenvalues"] = out["update_eigenvalues"] = out["spectral_radius"] = None
    rho = out["spectral_radius"]
    steps = steps_for(rho)
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0, 2 * np.pi, trajectories)
    start = START_GROW if (rho is None or rho >= 1) else START_SHRINK
    th, ps = start * np.cos(angle), start * np.sin(angle)
    with np.errstate(all="ignore"):  # a divergent run overflows on purpose; it is reported below
        sim = simulate(th, ps, h, game=game, loss=loss, reg=reg, optimizer=optimizer, steps=steps, n_g=n_g,
                       n_d=n_d, beta=beta, gamma=gamma, sigma=sigma, record=min(PLOTTED, trajectories))
    diverged = bool(np.any(sim.diverged))
    out["simulation_steps"] = steps
    out["diverged"] = diverged
    rates = np.asarray(sim.rate, dtype=float)
    measured = rates[np.isfinite(rates)]
    out["simulated_rate"] = None if diverged or measured.size == 0 else float(np.median(measured))
    out["final_distance"] = None if diverged else float(np.max(sim.distance))
    if rho is not None:
        out["converges"] = out["stability"] == "converges"
    else:  # no linearization: judge by the simulation
        out["converges"] = (not diverged) and out["final_distance"] < start * 1e-3
        out["stability"], out["decided"] = ("converges" if out["converges"] else "diverges"), "simulation"
    if diverged:
        out["note"] = "the simulation diverged: no rate"
    elif out["simulated_rate"] is None:
        out["note"] = "the distance reached rounding level before a rate could be measured: no rate"
    out["_path"] = sim.path
    return out


def plot(result: dict, path: str) -> dict:
    """Three panels from ``result`` (an :func:`analyse` output): the recorded trajectories in the
    (theta, psi) plane, their distance to the equilibrium per step against rho^k, and the
    eigenvalues. Returns the plotted distance curves (one per trajectory) for checking."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    traj = result["_path"]  # (steps + 1, k, 2), from the simulation behind the printed numbers
    dist = np.linalg.norm(traj, axis=-1)
    d0 = dist[0]
    fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(15, 4.6))
    for j in range(traj.shape[1]):
        ax1.plot(traj[:, j, 0] / d0[j], traj[:, j, 1] / d0[j], lw=0.8)
        ax1.plot(traj[0, j, 0] / d0[j], traj[0, j, 1] / d0[j], "o", ms=3, color="k")
    ax1.plot(0, 0, "k*", ms=10)
    lim = 1.2 * max(1.0, float(np.nanmax(np.abs(traj / d0[None, :, None])))) if np.isfinite(traj).any() else 1.5
    lim = min(lim, 5.0)
    ax1.set(xlim=(-lim, lim), ylim=(-lim, lim), xlabel=r"$\theta / d_0$", ylabel=r"$\psi / d_0$",
            title=f"{result['game']} ({result['loss']}, {result['reg']}), {result['optimizer']}: "
                  f"iterates from $d_0$ = {float(d0[0]):.0e}")
    ax1.set_aspect("equal")
    steps = np.arange(traj.shape[0])
    curves = []
    for j in range(traj.shape[1]):
        line, = ax2.semilogy(steps, dist[:, j] / d0[j], lw=0.8, label="simulated" if j == 0 else None)
        curves.append(np.asarray(line.get_ydata(), dtype=float))
    rho = result["spectral_radius"]
    if rho is not None:
        with np.errstate(under="ignore", over="ignore"):
            ax2.semilogy(steps, rho ** steps.astype(float), "k--", lw=1.2,
                         label=rf"$\rho^k$, $\rho$ = {rho:.6g}")
    ax2.set(xlabel="step k", ylabel=r"$\|x_k\| / \|x_0\|$",
            title="distance to the equilibrium" + (f" (measured rate {result['simulated_rate']:.6g})"
                                                   if result["simulated_rate"] is not None else
                                                   " (diverged)" if result["diverged"] else " (no rate measured)"))
    ax2.legend(fontsize=8)
    ax2.xaxis.set_major_locator(plt.MaxNLocator(5, integer=True))  # 20000 steps: labels must not collide
    circle = np.exp(1j * np.linspace(0, 2 * np.pi, 400))
    ax3.plot(circle.real, circle.imag, "k", lw=1)
    if result["update_eigenvalues"]:
        ue = np.array(result["update_eigenvalues"])
        ax3.plot(ue[:, 0], ue[:, 1], "rx", ms=10, label="update operator")
        fe = np.array(result["field_eigenvalues"])
        ax3.plot(1 + result["h"] * fe[:, 0], result["h"] * fe[:, 1], "b+", ms=10, label="1 + h * field")
        ax3.legend(fontsize=8)
        ax3.set_title(f"eigenvalues: spectral radius {rho:.6g} ({result['stability']})")
    else:
        ax3.text(0, 0, "no linearization:\nfield not differentiable\nat the equilibrium", ha="center")
    ax3.set_aspect("equal")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return {"distance_curves": curves, "spectral_radius": rho}


def cmd_dynamics(args) -> int:
    from gantheory.cli._common import UsageError, check_output_path, image_formats

    for name in ("h", "gamma", "sigma", "beta"):
        val = getattr(args, name)
        if val is not None and not math.isfinite(val):
            raise UsageError(f"--{name} must be a finite number, got {val}")
    if not args.h > 0:
        raise UsageError(f"--h must be positive, got {args.h}")
    if args.gamma < 0:
        raise UsageError(f"--gamma must be non-negative, got {args.gamma}")
    if args.sigma < 0:
        raise UsageError(f"--sigma must be non-negative, got {args.sigma}")
    if args.nd < 1 or args.ng < 1:
        raise UsageError(f"--ng and --nd must be at least 1, got {args.ng} and {args.nd}")
    if max(args.nd, args.ng) > 10_000:
        raise UsageError(f"--ng and --nd are at most 10000 steps per round (the exact update is a product of "
                         f"that many matrices), got {args.ng} and {args.nd}")
    if not -1 < args.beta < 1:
        raise UsageError(f"--beta must lie in (-1, 1), got {args.beta}")
    if args.beta != 0 and args.optimizer not in ("simgd", "altgd"):
        raise UsageError("--beta (heavy-ball momentum) applies to simgd and altgd only")
    if args.beta != 0 and args.optimizer == "altgd" and (args.ng, args.nd) != (1, 1):
        raise UsageError("--beta with altgd needs --ng 1 --nd 1")
    if args.optimizer != "altgd" and (args.ng, args.nd) != (1, 1):
        raise UsageError("--ng/--nd apply to altgd only")
    if args.game == "bilinear" and args.reg not in ("none", "consensus"):
        raise UsageError(f"--reg {args.reg} is defined for the Dirac-GAN only (bilinear: none or consensus)")
    if args.plot is not None:  # before any computation: a bad path fails now, not after the run
        args.plot = check_output_path(args.plot, "--plot", image_formats(), "png")
    try:
        res = analyse(args.game, args.loss, args.reg, args.optimizer, args.h, args.ng, args.nd, args.beta,
                      args.gamma, args.sigma)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.plot:
        plot(res, args.plot)
    if args.json:
        json.dump({k: v for k, v in res.items() if not k.startswith("_")}, sys.stdout, indent=1)
        print()
        return 0
    print(f"{args.game} game, loss {args.loss}, reg {args.reg}, {args.optimizer} with h = {args.h}"
          + (f", beta = {args.beta}" if args.beta else "") + (f", n_g = {args.ng}, n_d = {args.nd}"
                                                             if args.optimizer == "altgd" else ""))
    if res["spectral_radius"] is None:
        print(f"  linearization: none ({res['linearization']})")
    else:
        fmt = ", ".join(f"{re:+.6g}{im:+.6g}i" for re, im in res["field_eigenvalues"])
        print(f"  field eigenvalues:   {fmt}")
        fmt = ", ".join(f"{re:+.6g}{im:+.6g}i" for re, im in res["update_eigenvalues"])
        print(f"  update eigenvalues:  {fmt}")
        print(f"  spectral radius:     {res['spectral_radius']:.8g}")
    if res["diverged"]:
        print(f"  simulation:          diverged within {res['simulation_steps']} steps (no rate)")
    elif res["simulated_rate"] is None:
        print(f"  simulation:          {res['note']}")
    else:
        print(f"  simulated rate:      {res['simulated_rate']:.8g} per step ({res['simulation_steps']} steps)")
    verdict = {"converges": "yes", "diverges": "no",
               "marginal": "marginal (spectral radius exactly 1: eigenvalues on the unit circle; "
                           "neither convergence nor divergence)"}[res["stability"]]
    print(f"  converges:           {verdict}" + (f"   [{res['decided']}]" if res.get("decided") else ""))
    if args.plot:
        print(f"  plot written to {args.plot}")
    return 0


def add_dynamics_command(sub) -> None:
    p = sub.add_parser("dynamics", help="eigenvalues and simulation of a game's training dynamics",
                       description="Linearize an optimizer's update at the equilibrium of a game and "
                       "simulate it from points near the equilibrium.")
    p.add_argument("--game", choices=G.GAMES, default="dirac")
    p.add_argument("--loss", choices=("gan", "nsgan", "wgan"), default="gan")
    p.add_argument("--reg", choices=G.REGULARIZERS, default="none")
    p.add_argument("--gamma", type=float, default=1.0, help="regularizer strength (R1/R2, consensus, WGAN-GP)")
    p.add_argument("--sigma", type=float, default=1.0, help="instance-noise standard deviation")
    p.add_argument("--optimizer", choices=G.OPTIMIZERS, required=True)
    p.add_argument("--h", type=float, required=True, help="step size")
    p.add_argument("--ng", type=int, default=1, help="generator steps per round (altgd)")
    p.add_argument("--nd", type=int, default=1, help="discriminator steps per round (altgd)")
    p.add_argument("--beta", type=float, default=0.0, help="heavy-ball momentum (negative allowed)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--plot", metavar="FILE", help="vector field, trajectories and eigenvalues (PNG)")
    p.set_defaults(func=cmd_dynamics)
