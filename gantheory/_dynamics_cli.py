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


def analyse(game, loss, reg, optimizer, h, n_g=1, n_d=1, beta=0.0, gamma=1.0, sigma=1.0,
            trajectories=64, seed=0) -> dict:
    """Everything ``gantheory dynamics --json`` prints."""
    from gantheory.engine._dynamics import linearization, simulate

    out = {"game": game, "loss": loss, "reg": reg, "optimizer": optimizer, "h": h, "ng": n_g, "nd": n_d,
           "beta": beta, "gamma": gamma, "sigma": sigma}
    try:
        lin = linearization(game, loss, reg, optimizer, h, n_g, n_d, beta, gamma, sigma)
        out["linearization"] = "ok"
        out["field_eigenvalues"] = [[float(z.real), float(z.imag)] for z in lin["field_eigenvalues"]]
        out["update_eigenvalues"] = [[float(z.real), float(z.imag)] for z in lin["update_eigenvalues"]]
        out["spectral_radius"] = lin["spectral_radius"]
    except G.NotLinearizable as exc:
        out["linearization"] = str(exc)
        out["field_eigenvalues"] = out["update_eigenvalues"] = out["spectral_radius"] = None
    rho = out["spectral_radius"]
    steps = steps_for(rho)
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0, 2 * np.pi, trajectories)
    start = START_GROW if (rho is None or rho > 1) else START_SHRINK
    th, ps = start * np.cos(angle), start * np.sin(angle)
    with np.errstate(all="ignore"):  # a divergent run overflows on purpose; it is reported below
        sim = simulate(th, ps, h, game=game, loss=loss, reg=reg, optimizer=optimizer, steps=steps, n_g=n_g,
                       n_d=n_d, beta=beta, gamma=gamma, sigma=sigma)
    diverged = bool(np.any(sim.diverged))
    out["simulation_steps"] = steps
    out["diverged"] = diverged
    out["simulated_rate"] = None if diverged else float(np.nanmedian(sim.rate))
    out["final_distance"] = None if diverged else float(np.max(sim.distance))
    if rho is not None:
        out["converges"] = bool(rho < 1)
    else:  # no linearization: judge by the simulation
        out["converges"] = (not diverged) and out["final_distance"] < start * 1e-3
    if diverged:
        out["note"] = "the simulation diverged: no rate"
    return out


def plot(result: dict, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from gantheory.engine._dynamics import numeric_field, simulate

    game, loss, reg = result["game"], result["loss"], result["reg"]
    v = numeric_field(game, loss, reg, result["gamma"], result["sigma"])
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 5))
    grid = np.linspace(-2, 2, 21)
    T, P = np.meshgrid(grid, grid, indexing="ij")
    with np.errstate(all="ignore"):
        a, b = v(T.ravel(), P.ravel())
    ax1.quiver(T.ravel(), P.ravel(), a, b, color="0.6", angles="xy")
    rng = np.random.default_rng(1)
    th, ps = rng.uniform(-1.5, 1.5, 4), rng.uniform(-1.5, 1.5, 4)
    with np.errstate(all="ignore"):
        for i in range(4):
            xs, ys = [th[i]], [ps[i]]
            t, p = np.array([th[i]]), np.array([ps[i]])
            for _ in range(300):
                s = simulate(t, p, result["h"], game=game, loss=loss, reg=reg, optimizer=result["optimizer"], steps=1,
                             n_g=result["ng"], n_d=result["nd"], beta=0.0, gamma=result["gamma"], sigma=result["sigma"],
                             track=False)
                t, p = s.theta, s.psi
                if not (np.all(np.isfinite(t)) and abs(t[0]) < 10 and abs(p[0]) < 10):
                    break
                xs.append(t[0])
                ys.append(p[0])
            ax1.plot(xs, ys, lw=1)
            ax1.plot(xs[0], ys[0], "o", ms=3)
    ax1.plot(0, 0, "k*", ms=10)
    ax1.set(xlim=(-2, 2), ylim=(-2, 2), xlabel=r"$\theta$", ylabel=r"$\psi$",
            title=f"{game} ({loss}, {reg}): field and {result['optimizer']} trajectories")
    circle = np.exp(1j * np.linspace(0, 2 * np.pi, 400))
    ax2.plot(circle.real, circle.imag, "k", lw=1)
    if result["update_eigenvalues"]:
        ue = np.array(result["update_eigenvalues"])
        ax2.plot(ue[:, 0], ue[:, 1], "rx", ms=10, label="update operator")
        fe = np.array(result["field_eigenvalues"])
        ax2.plot(1 + result["h"] * fe[:, 0], result["h"] * fe[:, 1], "b+", ms=10, label="1 + h * field")
        ax2.legend()
        ax2.set_title(f"eigenvalues (spectral radius {result['spectral_radius']:.4f})")
    else:
        ax2.text(0, 0, "no linearization:\nfield not differentiable\nat the equilibrium", ha="center")
    ax2.set_aspect("equal")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def cmd_dynamics(args) -> int:
    from gantheory.cli import UsageError, require_matplotlib

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
    if args.plot:
        require_matplotlib()
    res = analyse(args.game, args.loss, args.reg, args.optimizer, args.h, args.ng, args.nd, args.beta,
                  args.gamma, args.sigma)
    if args.plot:
        plot(res, args.plot)
    if args.json:
        json.dump(res, sys.stdout, indent=1)
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
    else:
        print(f"  simulated rate:      {res['simulated_rate']:.8g} per step ({res['simulation_steps']} steps)")
    print(f"  converges:           {'yes' if res['converges'] else 'no'}")
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
