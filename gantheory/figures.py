"""The pictures the engine makes, each drawn from one run whose numbers it also returns.

Every function takes the output path (PNG, or any format matplotlib writes) and ``quick`` (fewer steps,
for tests and previews), runs the algorithm once, draws the figure from that very run, writes it, and
returns the numbers shown in it (so a caption or a test can quote them). They need the ``plot`` extra
(matplotlib). ``gantheory notes --figures`` includes each after the claim it illustrates (:data:`ANCHORS`), with
a caption quoting the run's numbers (``caption``); the gallery
scripts in ``examples/`` call them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

__all__ = ["mode_collapse", "glgd_vs_mirror", "wasserstein_critic", "dirac_phase_portraits", "negative_momentum",
           "game_updates", "train_goodfellow", "train_wgan", "train_fgan", "train_dualing", "ANCHORS", "FIGURES",
           "legibility", "numbers"]


def _figure(figsize):
    try:
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - the plot extra is missing
        raise ImportError("figures need matplotlib: pip install 'gantheory[plot]'") from None
    return Figure(figsize=figsize)


#: the width a figure is placed at in the notes (\\linewidth of the handout, inches) and the smallest
#: text size a reader gets there (points)
PLACED_WIDTH_IN, MIN_PT = 6.1, 7.0


def _min_font(fig) -> float:
    """The font size (points, at the figure's own size) that prints at MIN_PT when the figure is
    scaled to PLACED_WIDTH_IN."""
    return MIN_PT * max(1.0, fig.get_figwidth() / PLACED_WIDTH_IN)


def legibility(fig) -> list[str]:
    """What a reader of the printed notes could not read: text below MIN_PT at the placed width, and
    axes (insets aside) without both axis labels. An empty list when the figure is fine."""
    from matplotlib.text import Text

    scale = min(1.0, PLACED_WIDTH_IN / fig.get_figwidth())
    out = [f"text {t.get_text()!r} prints at {t.get_fontsize() * scale:.1f} pt"
           for t in fig.findobj(Text) if t.get_text().strip() and t.get_visible()
           and t.get_fontsize() * scale < MIN_PT - 1e-9]
    for ax in fig.axes:
        if ax.get_label() == "inset" or not ax.get_visible() or not ax.has_data():
            continue
        if not ax.get_xlabel() or not ax.get_ylabel():
            out.append(f"axes {ax.get_title()!r} lack a label (x: {ax.get_xlabel()!r}, y: {ax.get_ylabel()!r})")
    return out


def _save(fig, path, dpi=100) -> str:
    """Raise every text to the size that prints at MIN_PT in the notes, lay out, write."""
    from matplotlib.text import Text

    least = _min_font(fig)
    for t in fig.findobj(Text):
        if t.get_fontsize() < least:
            t.set_fontsize(least)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=dpi)
    return str(path)


def mode_collapse(path, quick: bool = False) -> dict:
    """Alternating minimization (seed 000, Algorithm 1): the generator's mass per cell over iterations,
    collapsing onto one cell and then hopping between the modes of p_r."""
    from gantheory.engine import alternating_minimization, demo_problem

    g, p_r, p_g = demo_problem(256)
    traj = alternating_minimization(p_r, p_g, g, steps=4 if quick else 6, keep_densities=True)
    n = len(traj.densities)
    cols = min(4, n)
    rows = -(-n // cols)
    fig = _figure((8, 2.3 * rows + 0.6))
    axes = np.atleast_1d(fig.subplots(rows, cols, sharey=True, sharex=True, squeeze=False)).ravel()
    for ax, (step, p) in zip(axes, traj.densities):
        ax.fill_between(g.points, p * g.cell_volume, color="C1", label="mass of $p_g$ per cell")
        ax.plot(g.points, p_r * g.cell_volume * 20, "k", lw=1, label="$p_r$ (x20)")
        ax.set_title(f"step {step}")
        ax.set_yscale("symlog", linthresh=1e-3)
        ax.set(xlabel="x", ylabel="mass per cell")
    for ax in axes[n:]:
        ax.set_visible(False)
    axes[0].legend(fontsize=9)
    fig.suptitle("Alternating minimization: collapse onto one cell,\nthen cycling between the modes")
    masses = [float(h["max_cell_mass"]) for h in traj.history]
    caption = ("Alternating minimization on 256 cells: the largest cell mass of p_g per step is "
               + ", ".join(f"{m:.3g}" for m in masses) + " (a point mass from the first best response on).")
    return {"path": _save(fig, path), "max_cell_mass": masses, "caption": caption, "figure": fig}


def glgd_vs_mirror(path, quick: bool = False) -> dict:
    """GLGD with the seed's additive step against the multiplicative (mirror) step on the same problem:
    C(R) - 2 log 2, KL and W1 per step, log scale."""
    from gantheory.engine import demo_problem, glgd

    g, p_r, p_g = demo_problem(256)
    steps = 40 if quick else 300
    fig = _figure((8, 3.4))
    axes = fig.subplots(1, 3)
    final = {}
    for method, style in (("projected", "-"), ("mirror", "--")):
        traj = glgd(p_r, p_g, g, steps=steps, method=method)
        s = [h["step"] for h in traj.history]
        for ax, key, shift in zip(axes, ("objective", "kl", "w1"), (2 * np.log(2), 0.0, 0.0)):
            vals = np.array([h[key] for h in traj.history], dtype=float) - shift
            if not np.all(np.isfinite(vals)):
                raise FloatingPointError(f"glgd ({method}) produced a non-finite {key}")
            # exact zeros (or rounding below zero) cannot go on a log axis: drawn at 1e-16 and said so
            ax.semilogy(s, np.where(vals > 1e-16, vals, 1e-16), style, label=method)
        final[method] = {"kl": float(traj.history[-1]["kl"]), "w1": float(traj.history[-1]["w1"]),
                         "steps": int(traj.history[-1]["step"])}
    for ax, title in zip(axes, ("$C(R) - 2\\log 2$", "KL$(p_g\\,\\|\\,p_r)$", "$W_1(p_r, p_g)$")):
        ax.set_title(title)
        ax.set(xlabel="step", ylabel=title)
        ax.legend(fontsize=9)
    fig.suptitle("GLGD: the seed's step (slow where $p_r$ is small) vs the mirror step\n"
                 "(values below 1e-16 drawn at 1e-16)")
    caption = (f"GLGD after {final['projected']['steps']} steps: KL = {final['projected']['kl']:.3g} with the "
               f"seed's step, {final['mirror']['kl']:.3g} with the mirror step.")
    return {"path": _save(fig, path), **final, "caption": caption, "figure": fig}


def wasserstein_critic(path, quick: bool = False) -> dict:
    """The Wasserstein algorithm (seed 000, Method 3) with its exact critic: densities over iterations,
    and the 1-Lipschitz critic of the first step next to the Bayes discriminator 1/(1 + R)."""
    import matplotlib

    from gantheory.engine import demo_problem, wasserstein1, wasserstein_descent

    g, p_r, p_g = demo_problem(256)
    traj = wasserstein_descent(p_r, p_g, g, steps=20 if quick else 150, record_every=10, method="mirror",
                               keep_densities=True)
    res = wasserstein1(p_r, p_g, g)
    fig = _figure((8, 3.6))
    ax1, ax2 = fig.subplots(1, 2)
    ax1.plot(g.points, p_r, "k", lw=2, label="$p_r$")
    cmap = matplotlib.colormaps["viridis"]
    for k, (step, p) in enumerate(traj.densities):
        ax1.plot(g.points, p, color=cmap(k / max(1, len(traj.densities) - 1)), lw=1,
                 label=f"$p_g$ step {step}" if k in (0, len(traj.densities) - 1) else None)
    w_first, w_last = float(traj.history[0]["w1"]), float(traj.history[-1]["w1"])
    ax1.legend(fontsize=9)
    ax1.set_title(f"Wasserstein descent (mirror step):\n$W_1$ {w_first:.3f} -> {w_last:.4f}")
    ax1.set(xlabel="x", ylabel="density")
    ax2.plot(g.points, res.critic, label="critic $f^*$ (1-Lipschitz)")
    ax2.plot(g.points, 1 / (1 + p_g / p_r), label="Bayes discriminator $1/(1+R)$")
    ax2.legend(fontsize=9)
    ax2.set_title("clean critic gradients vs\na saturating discriminator")
    ax2.set(xlabel="x", ylabel="value")
    caption = (f"Wasserstein descent (mirror step): W1 from {w_first:.3f} to {w_last:.4f}; exact W1 at the start "
               f"{float(res.distance):.3f}.")
    return {"path": _save(fig, path), "w1_first": w_first, "w1_last": w_last, "w1_exact": float(res.distance),
            "caption": caption, "figure": fig}


def dirac_phase_portraits(path, quick: bool = False) -> dict:
    """Dirac-GAN phase portraits for each regularizer and optimizer, with the update operator's
    eigenvalues against the unit circle (seed 002; Mescheder et al. 2018)."""
    from gantheory.cli.dynamics import analyse
    from gantheory.engine._dynamics import numeric_field, simulate

    regs = ["none", "r1"] if quick else ["none", "instance-noise", "r1", "consensus", "wgan-gp"]
    opts = ["simgd", "altgd"] if quick else ["simgd", "altgd", "extragradient", "optimistic"]
    fig = _figure((3.2 * len(opts), 3.0 * len(regs)))
    axes = fig.subplots(len(regs), len(opts), squeeze=False)
    grid = np.linspace(-2, 2, 13)
    T, P = np.meshgrid(grid, grid, indexing="ij")
    radii = {}
    for i, reg in enumerate(regs):
        loss = "wgan" if reg == "wgan-gp" else "gan"
        v = numeric_field("dirac", loss, reg, 1.0, 1.0)
        with np.errstate(all="ignore"):
            A, B = v(T.ravel(), P.ravel())
        for j, opt in enumerate(opts):
            ax = axes[i][j]
            ax.quiver(T.ravel(), P.ravel(), A, B, color="0.75", angles="xy")
            with np.errstate(all="ignore"):  # one simulation from two starting points, every iterate kept
                sim = simulate(np.array([1.5, -1.0]), np.array([0.0, 1.2]), 0.2, loss=loss, reg=reg, optimizer=opt,
                               steps=150 if quick else 400, track=False, record=2)
            ax.plot(np.clip(sim.path[:, :, 0], -5, 5), np.clip(sim.path[:, :, 1], -5, 5), lw=0.8)
            res = analyse("dirac", loss, reg, opt, 0.2, trajectories=2)
            rho = res["spectral_radius"]
            radii[f"{reg}/{opt}"] = rho
            ax.set_title(f"{reg} / {opt}\n" + (f"rho = {rho:.4f}" if rho is not None else "no linearization"))
            ax.set(xlim=(-2, 2), ylim=(-2, 2), xticks=[-2, 0, 2], yticks=[-2, 0, 2],
                   xlabel="generator $\\theta$", ylabel="discriminator $\\psi$")
            if res["update_eigenvalues"]:
                inset = ax.inset_axes([0.68, 0.68, 0.3, 0.3])
                inset.set_label("inset")
                c = np.exp(1j * np.linspace(0, 2 * np.pi, 200))
                inset.plot(c.real, c.imag, "k", lw=0.5)
                ue = np.array(res["update_eigenvalues"])
                inset.plot(ue[:, 0], ue[:, 1], "rx", ms=4)
                inset.set(xticks=[], yticks=[], aspect="equal")
    caption = ("Dirac-GAN, h = 0.2: spectral radius of the update operator per regularizer / optimizer: "
               + "; ".join(f"{k} {v:.4f}" if v is not None else f"{k} none" for k, v in radii.items()) + ".")
    return {"path": _save(fig, path, dpi=90), "spectral_radius": radii, "caption": caption, "figure": fig}


def negative_momentum(path, quick: bool = False) -> dict:
    """Negative momentum on the bilinear game (seed 004, Sec. 4; Gidel et al. 2019): the spectral radius
    of alternating and simultaneous heavy-ball updates against beta, and one trajectory each, with the
    rate measured on the plotted curve."""
    from gantheory.engine._dynamics import linearization, simulate

    betas = np.linspace(-0.9, 0.5, 15 if quick else 57)
    fig = _figure((8, 3.8))
    ax1, ax2 = fig.subplots(1, 2)
    for opt in ("altgd", "simgd"):
        rho = [linearization("bilinear", "gan", "none", opt, 0.5, beta=float(b))["spectral_radius"] for b in betas]
        ax1.plot(betas, rho, label=opt)
    ax1.axhline(1, color="k", lw=0.5)
    ax1.set(xlabel="momentum beta", ylabel="spectral radius", title="bilinear game, h = 0.5")
    ax1.legend()
    curves = []
    for opt, beta in (("altgd", -0.5), ("altgd", 0.0), ("simgd", -0.5)):
        with np.errstate(all="ignore"):  # one simulation per curve, every iterate recorded
            sim = simulate(np.array([1.0]), np.array([0.0]), 0.5, game="bilinear", optimizer=opt, beta=beta,
                           steps=60 if quick else 150, track=False, record=1)
        pts = sim.path[:, 0, :]
        rho = linearization("bilinear", "gan", "none", opt, 0.5, beta=beta)["spectral_radius"]
        ax2.plot(pts[:, 0], pts[:, 1], lw=0.8, label=f"{opt}, beta = {beta} (rho = {rho:.4f})")
        d = np.linalg.norm(pts, axis=1)
        half = len(d) // 2  # the rate of the plotted curve over its second half (transients gone)
        curves.append({"optimizer": opt, "beta": beta, "rho": float(rho),
                       "plotted_rate": float((d[-1] / d[half]) ** (1 / (len(d) - 1 - half)))})
    ax2.set(xlim=(-3, 3), ylim=(-3, 3), title="trajectories from (1, 0)", xlabel="$\\theta$", ylabel="$\\varphi$")
    ax2.legend(fontsize=9)
    caption = ("Bilinear game, h = 0.5: " + "; ".join(
        f"{c['optimizer']} with beta = {c['beta']}: rho = {c['rho']:.4f}, rate of the plotted curve "
        f"{c['plotted_rate']:.4f}" for c in curves) + ".")
    return {"path": _save(fig, path), "curves": curves, "caption": caption, "figure": fig}


def game_updates(path, quick: bool = False) -> dict:
    """Simultaneous GD on the parametric WGAN (``train game``; seeds 002 and 004), without and with consensus
    optimization: the spectral radius of the update map against h (the theory) with the rate measured on
    runs at a few step sizes, and the distance to the equilibrium of one run each at h = 0.2, drawn from
    those runs beside rho^k."""
    from gantheory.engine._game_training import game_dynamics, game_model, update_radius
    from gantheory.engine._training import TrainingGAN

    gan = TrainingGAN(means=(1.0,), stds=(0.7,), weights=(1.0,))
    fig = _figure((8, 3.6))
    ax1, ax2 = fig.subplots(1, 2)
    fine = np.linspace(0.02, 0.6, 120)
    probes = [0.1, 0.3, 0.5] if quick else [0.05, 0.15, 0.25, 0.35, 0.45, 0.55]
    games, runs = {}, []
    for label, reg, color in (("plain", "none", "C0"), ("consensus", "consensus", "C1")):
        m = game_model(gan, loss="wgan", reg=reg, gamma=0.5)
        ax1.plot(fine, [update_radius(m, "simgd", h) for h in fine], color, label=f"{label} (theory)")
        measured = []
        for h in probes:
            r = game_dynamics(gan, loss="wgan", reg=reg, gamma=0.5, h=h, steps=3000, model=m)
            measured.append({"h": h, "rho": r.rho, "measured_rate": r.measured_rate})
        ax1.plot(probes, [p["measured_rate"] for p in measured], color + "o", ms=4)
        run = game_dynamics(gan, loss="wgan", reg=reg, gamma=0.5, h=0.2, steps=3000, model=m)
        k, d = run.steps_recorded, run.distances
        ax2.semilogy(k, d, color, lw=2.5, label=f"{label}, measured")
        ax2.semilogy(k, d[-1] * run.rho ** (k - k[-1]).astype(float), "k:", lw=1.2,
                     label=f"theory: rho = {run.rho:.4f}")
        games[reg] = measured
        runs.append({"reg": reg, "h": 0.2, "rho": run.rho, "verdict": run.verdict,
                     "measured_rate": run.measured_rate, "steps": int(k[-1])})
    ax1.axhline(1, color="k", lw=0.5)
    ax1.set(xlabel="step size h", ylabel="rate per step",
            title="simultaneous GD on the WGAN\n(consensus: gamma = 0.5; dots: measured)")
    ax1.legend(fontsize=8)
    ax2.set(xlabel="step", ylabel="distance to the equilibrium", title="h = 0.2, one run each\n", ylim=(None, 10.0))
    ax2.legend(fontsize=8, loc="upper right")
    caption = ("Simultaneous GD on the parametric WGAN at h = 0.2: " + "; ".join(
        f"{r['reg']}: rho = {r['rho']:.4f} ({r['verdict']}), measured rate {r['measured_rate']:.4f}" for r in runs)
        + ". Without a regularizer the field's Jacobian has imaginary eigenvalues and the update diverges at "
        "every h; consensus moves them into the left half-plane.")
    return {"path": _save(fig, path), "sweeps": games, "runs": runs, "caption": caption, "figure": fig}


def _trained(path, algorithm: str, draw_name: str, run, gan) -> dict:
    """A training run drawn by the figure ``gantheory train ... --plot`` draws, with its summary's numbers."""
    import matplotlib

    matplotlib.use("Agg")
    from gantheory.cli import train as T

    sm = T._summary(run, gan)
    fig = getattr(T, draw_name)(run, gan, sm, path)
    last = run.history[-1]
    return {"path": str(path), "figure": fig, "summary": sm, "final": {k: last[k] for k in ("step", "mu", "sigma")},
            "records": len(run.history)}


def train_goodfellow(path, quick: bool = False) -> dict:
    """Algorithm 1 of Goodfellow et al. (2014) with k = 5 discriminator steps per generator step (seed 000's
    practical loop with N_d = 5) on data the generator family contains: D_w against D* and V(D_w, G) against
    -log 4 + 2 JSD (Prop. 1 and Thm. 1 of the paper), from ``gantheory train goodfellow``."""
    from gantheory.engine._training import TrainingGAN, goodfellow

    gan = TrainingGAN(means=(1.0,), stds=(0.7,), weights=(1.0,))
    run = goodfellow(gan, k=5, steps=300 if quick else 1500, record_every=25)
    res = _trained(path, "goodfellow", "plot_training", run, gan)
    sm = res["summary"]
    res["caption"] = (f"Algorithm 1 (k = 5, m = 64) on N(1, 0.7^2): after {res['final']['step']} iterations "
                      f"|D - D*| = {sm['final_d_gap']:.3g} and JSD = {sm['final_jsd']:.3g}; V(D, G) <= -log 4 + 2 JSD "
                      f"at every record (largest excess {sm['max_value_minus_optimum']:.2g}).")
    return res


def train_wgan(path, quick: bool = False) -> dict:
    """WGAN with weight clipping (Arjovsky et al. 2017, Algorithm 1, as seed 000 prints it) on two modes: the
    clipped quadratic critic matches the first two moments, so W1 stops at its value at the moment match."""
    from gantheory.engine._training import TrainingGAN, wgan_clipping

    gan = TrainingGAN()
    run = wgan_clipping(gan, steps=500 if quick else 2000, record_every=25)
    res = _trained(path, "wgan", "plot_wgan", run, gan)
    sm = res["summary"]
    res["caption"] = (f"WGAN with clipping c = 0.01 on two modes: W1 = {sm['final_w1']:.4f} after "
                      f"{res['final']['step']} iterations against {sm['w1_at_target']:.4f} at the moment match the "
                      "theory predicts (not 0).")
    return res


def train_fgan(path, quick: bool = False) -> dict:
    """f-GAN for reverse KL (Nowozin et al. 2016, the single-step method) on two modes: the critic's bound F
    below D_f at every record; the minimizer of D_f over the family against where the run stops."""
    from gantheory.engine._training import TrainingGAN, fgan

    gan = TrainingGAN()
    run = fgan(gan, divergence="reverse-kl", steps=500 if quick else 2000, record_every=25)
    res = _trained(path, "fgan", "plot_fgan", run, gan)
    sm = res["summary"]
    res["caption"] = (f"f-GAN, reverse KL, on two modes: F <= D_f at every record; min over the family "
                      f"{sm['optimum']['divergence']:.4f} on one mode, the run stops at D_f = "
                      f"{sm['final']['divergence']:.4f} where p_g matches the data's mean and variance (a "
                      "quadratic critic sees nothing else).")
    return res


def train_dualing(path, quick: bool = False) -> dict:
    """Dualing GANs with a nonlinear discriminator (seed 001): trust-region steps on the score-linearized
    model, dualized, on two modes: D_w against D* and V against -log 4 + 2 JSD."""
    from gantheory.engine._dualing_nonlinear import dualing_nonlinear
    from gantheory.engine._training import TrainingGAN

    gan = TrainingGAN()
    run = dualing_nonlinear(gan, steps=150 if quick else 600, record_every=10)
    res = _trained(path, "dualing", "plot_training", run, gan)
    sm = res["summary"]
    res["caption"] = (f"Dualing GAN, one-hidden-layer discriminator, model (B): |D - D*| = {sm['final']['d_gap']:.3g} "
                      f"and JSD = {sm['final']['jsd']:.4f} after {res['final']['step']} iterations (the family's "
                      f"minimum {sm['jsd_optimum']['jsd']:.4f}); the model's duality gap at most "
                      f"{sm['max_model_duality_gap']:.1e}.")
    return res


#: every figure by name
FIGURES = {f.__name__: f for f in (mode_collapse, glgd_vs_mirror, wasserstein_critic, dirac_phase_portraits,
                                   negative_momentum, game_updates, train_goodfellow, train_wgan, train_fgan,
                                   train_dualing)}
#: the claim each figure illustrates (the notes place it after that claim)
ANCHORS = {"mode_collapse": "altmin-not-equilibrium", "glgd_vs_mirror": "glgd-convergence-slow",
           "wasserstein_critic": "wass-kr-duality", "dirac_phase_portraits": "dyn-dirac-simgd-unstable",
           "negative_momentum": "dyn-bilinear-altgd-negative-momentum", "game_updates": "dyn-consensus-stable-gammas",
           "train_goodfellow": "game-algorithm-1-generator-step", "train_wgan": "wass-clipping-lipschitz",
           "train_fgan": "fgan-reverse-kl-optimal-critic", "train_dualing": "dual-general-score-loss-hessian"}


def numbers(result: dict) -> dict:
    """The numbers behind a figure (its result without the path, the caption and the Figure object):
    what ``examples/make_gallery.py`` records next to the committed PNGs, and what a test recomputes."""
    return {k: v for k, v in result.items() if k not in ("path", "figure", "caption")}
