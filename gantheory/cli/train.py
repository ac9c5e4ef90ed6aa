"""``gantheory train``: the documents' training algorithms on a small parametric GAN, each record beside
what the theory predicts (:mod:`gantheory.engine._training`)."""

from __future__ import annotations

import json
import math
import sys

ALGORITHMS = ("goodfellow", "practical", "wgan", "fgan", "dualing", "game")
#: options of some algorithms only: name -> {algorithm: default}
_SAMPLED = ("goodfellow", "practical", "wgan", "fgan", "dualing")  # the trainers that draw minibatches
_ONLY = {"k": {"goodfellow": 1}, "nd": {"practical": 5}, "lr_d": {"goodfellow": 0.05, "practical": 0.05},
         "lr_g": {"goodfellow": 0.02, "practical": 0.02, "fgan": 0.01, "dualing": 0.2}, "c": {"dualing": 0.1},
         "loss": {"goodfellow": "nonsaturating", "game": "gan"}, "n_critic": {"wgan": 5}, "lr": {"wgan": 0.005},
         "clip": {"wgan": 0.01}, "optimizer": {"wgan": "rmsprop", "game": "simgd"}, "divergence": {"fgan": "kl"},
         "lr_t": {"fgan": 0.01}, "m": {**dict.fromkeys(_SAMPLED, 64), "game": None},
         "mu0": dict.fromkeys(_SAMPLED, 0.0), "log_sigma0": dict.fromkeys(_SAMPLED, 0.0), "h": {"game": 0.1},
         "beta": {"game": 0.0},
         "reg": {"game": "none"}, "gamma": {"game": 1.0}, "eps": {"game": 1e-7}, "sweep_h": {"game": None},
         "seeds": {**dict.fromkeys(_SAMPLED, 1), "game": 1},
         "scheduler": {**dict.fromkeys(_SAMPLED, None), "game": None},
         "discriminator": {"dualing": "linear", "goodfellow": "linear", "practical": "linear"},
         "generator": {"goodfellow": "location-scale", "practical": "location-scale"},
         "model": {"dualing": None}, "delta": {"dualing": None},
         "hidden": {"dualing": None, "goodfellow": None, "practical": None}}
#: options of the nonlinear Dualing GAN (train dualing --discriminator mlp) and their defaults there
_NONLINEAR = {"model": "score", "delta": 0.05, "hidden": 4, "c": 1e-3, "lr_g": 0.1}
#: values of a shared option that only some algorithms take
_CHOICES = {"loss": {"goodfellow": ("nonsaturating", "saturating"), "game": ("gan", "nsgan", "wgan")},
            "optimizer": {"wgan": ("rmsprop", "sgd"), "game": ("simgd", "altgd", "extragradient", "optimistic")}}


def parse_mixture(text: str):
    """``"mean:std[:weight],..."`` as (means, stds, weights); weights default to equal. Numbers only. A mean
    ``x/y`` is a point of the plane (2-D data, isotropic stds): every component then has one."""
    from gantheory.cli._common import UsageError

    means, stds, weights = [], [], []
    for k, part in enumerate(text.split(",")):
        fields = part.strip().split(":")
        if len(fields) not in (2, 3):
            raise UsageError(f"--data: component {k + 1} {part.strip()!r} is not mean:std or mean:std:weight")
        try:
            mean = tuple(float(f) for f in fields[0].split("/"))
            vals = [float(f) for f in fields[1:]]
        except ValueError:
            raise UsageError(f"--data: component {k + 1} {part.strip()!r} holds something that is not a number") \
                from None
        if len(mean) > 2:
            raise UsageError(f"--data: component {k + 1}: a mean is x or x/y (1-D or 2-D data), got {fields[0]!r}")
        means.append(mean if len(mean) == 2 else mean[0])
        stds.append(vals[0])
        weights.append(vals[1] if len(vals) == 2 else None)
    if len({isinstance(mm, tuple) for mm in means}) > 1:
        raise UsageError("--data: give every component a 2-D mean x/y, or none")
    if any(w is None for w in weights) and not all(w is None for w in weights):
        raise UsageError("--data: give a weight to every component or to none")
    if weights[0] is None:
        weights = [1 / len(means)] * len(means)
    return means, stds, weights


def cmd_train(args) -> int:
    from gantheory.cli._common import Progress, UsageError, check_output_path, require_matplotlib
    from gantheory.engine._training import TrainingGAN

    means, stds, weights = parse_mixture(args.data)
    two_d = isinstance(means[0], tuple)
    if two_d:
        gan = _gan_2d(args, means, stds, weights)
    else:
        try:
            gan = TrainingGAN(means=tuple(means), stds=tuple(stds), weights=tuple(weights))
        except ValueError as exc:
            raise UsageError(f"--data: {exc}") from None
    if args.plot is not None:
        args.plot = check_output_path(args.plot, "--plot", ("png", "pdf", "svg"), "png")
        require_matplotlib("--plot")
    if args.algorithm == "dualing" and args.discriminator == "mlp":
        for name, default in _NONLINEAR.items():
            if getattr(args, name) is None:
                setattr(args, name, default)
    else:
        for name in ("model", "delta"):
            if getattr(args, name) is not None:
                raise UsageError(f"--{name} applies to 'train dualing --discriminator mlp' (the trust-region steps "
                                 "of a nonlinear discriminator)")
        if args.hidden is not None and args.discriminator != "mlp":
            raise UsageError("--hidden applies to --discriminator mlp")
        if args.discriminator == "mlp" and args.hidden is None:
            args.hidden = 4
    for name, defaults in _ONLY.items():
        if getattr(args, name) is None:
            setattr(args, name, defaults.get(args.algorithm))
        elif args.algorithm not in defaults:
            flag = "--" + name.replace("_", "-")
            owners = " and ".join(f"'train {a}'" for a in defaults)
            raise UsageError(f"{flag} applies to {owners}, not to 'train {args.algorithm}'")
    for name, allowed in _CHOICES.items():
        ok = allowed.get(args.algorithm)
        if ok is not None and getattr(args, name) not in ok:
            raise UsageError(f"--{name} for 'train {args.algorithm}' is one of {', '.join(ok)}, got "
                             f"{getattr(args, name)!r}")
    if args.algorithm == "game":
        return _cmd_game(args, gan)
    if args.algorithm == "practical" and args.nd < 1:
        raise UsageError(f"--nd (N_d) must be an integer >= 1, got {args.nd}")
    if two_d:
        return _cmd_2d(args, gan)
    if args.seeds != 1 or args.scheduler is not None:
        return _cmd_batch(args, gan)
    progress = Progress(f"train {args.algorithm}")
    run, code = _guarded(args, progress, lambda: _run_trainer(args.algorithm, gan, _trainer_options(args), args.seed,
                                                               progress))
    if code:
        if code == 130 and args.json:
            _dump(run, _summary(run, gan))
        return code
    sm = _summary(run, gan)  # once: fgan's summary runs a Nelder-Mead search on the grid
    if args.json:
        _dump(run, sm)
    else:
        {"wgan": _table_wgan, "fgan": _table_fgan, "dualing": _table_dualing, "practical": _table_practical,
         "dualing-nonlinear": _table_dualing_nonlinear}.get(_kind(run), _table)(run, sm)
    if args.plot:
        {"wgan": plot_wgan, "fgan": plot_fgan, "dualing": plot_wgan}.get(_kind(run), plot_training)(
            run, gan, sm, args.plot)
        print(f"plot written to {args.plot}")
    return 0


def _moment_match(run, gan) -> dict:
    """Where the theory says a moment-matching trainer (wgan, dualing) drives the generator: the data's mean
    and standard deviation (recorded as mu_target, sigma_target), W1 there, and how far the run ended from it."""
    from gantheory.engine import wasserstein1
    from gantheory.engine._grid import gaussian_mixture

    h = run.history[-1]
    target = gaussian_mixture(gan.grid, [h["mu_target"]], [h["sigma_target"]])
    data = gaussian_mixture(gan.grid, list(gan.means), list(gan.stds), list(gan.weights))
    return {"mu_target": h["mu_target"], "sigma_target": h["sigma_target"],
            "final_distance_to_target": math.hypot(h["mu"] - h["mu_target"], h["sigma"] - h["sigma_target"]),
            "w1_at_target": float(wasserstein1(data, target, gan.grid).distance), "final_w1": h["w1"]}


def _gan_2d(args, means, stds, weights):
    """2-D data: the GAN of :mod:`gantheory.engine._training2d`, for goodfellow and practical only, with none of
    the options that choose 1-D families (checked before the options' defaults are filled in)."""
    from gantheory.cli._common import UsageError
    from gantheory.engine._training2d import TrainingGAN2D

    if args.algorithm not in ("goodfellow", "practical"):
        raise UsageError(f"2-D data (a mean x/y) runs with 'train goodfellow' and 'train practical', not "
                         f"'train {args.algorithm}'")
    given = [f for f in ("plot", "generator", "discriminator", "hidden", "seeds", "scheduler", "mu0", "log_sigma0",
                         "model", "delta") if getattr(args, f) not in (None, False)]
    if given:
        raise UsageError(f"--{given[0].replace('_', '-')} is for 1-D data (2-D data: the 2-D location-scale generator "
                         "from N(0, I), the quadratic discriminator, no plot)")
    try:
        return TrainingGAN2D(means=tuple(means), stds=tuple(stds), weights=tuple(weights))
    except ValueError as exc:
        raise UsageError(f"--data: {exc}") from None


def _cmd_2d(args, gan) -> int:
    """2-D data: Algorithm 1 (goodfellow, or the practical loop) with the 2-D location-scale generator and the
    quadratic discriminator in 2-D, the theory on a 48 x 48 grid; the options' defaults are those of 1-D."""
    from gantheory.cli._common import Progress
    from gantheory.engine._training2d import goodfellow2d

    practical = args.algorithm == "practical"
    progress = Progress(f"train {args.algorithm}")
    run, code = _guarded(args, progress, lambda: goodfellow2d(
        gan, steps=args.steps, k=args.nd if practical else args.k, m=args.m, lr_d=args.lr_d, lr_g=args.lr_g,
        loss="nonsaturating" if practical else args.loss, seed=args.seed, record_every=args.record_every,
        on_step=progress))
    if run is None:
        return code
    run.algorithm = args.algorithm
    sm = _algorithm_one_summary(run)
    if args.json:
        _dump(run, sm)
        return code
    st = run.settings
    print(f"{args.algorithm}: Algorithm 1 of Goodfellow et al. (2014) on 2-D data, k = {st['k']}, m = {st['m']}, "
          f"{st['loss']} generator loss, lr_d = {st['lr_d']}, lr_g = {st['lr_g']}, seed {st['seed']}")
    print(f"data: {len(gan.means)}-component 2-D Gaussian mixture; generator {st['generator']}; discriminator "
          f"{st['discriminator']}")
    print(f"theory beside each record (on a {gan.cells} x {gan.cells} grid of [{gan.lo}, {gan.hi}]^2): D* = "
          "p_data/(p_data + p_g), max_D V(D, G) = -log 4 + 2 JSD, W1 exact (network simplex)")
    print(f"{'step':>7} {'mu':>17} {'sigma':>15} {'|D-D*|':>8} {'V(D,G)':>9} {'-log4+2JSD':>10} {'JSD':>8} "
          f"{'W1':>7} {'modes':>5}")
    for h in _shown(run):
        mu = f"({h['mu'][0]:.3f}, {h['mu'][1]:.3f})"
        sg = f"({h['sigma'][0]:.3f}, {h['sigma'][1]:.3f})"
        print(f"{h['step']:>7} {mu:>17} {sg:>15} {h['d_gap']:>8.4f} {h['value']:>9.4f} "
              f"{h['value_at_optimal_d']:>10.4f} {h['jsd']:>8.5f} {h['w1']:>7.4f} {h['modes_covered']:>5}")
    print(f"V(D, G) <= -log 4 + 2 JSD at every record: {'yes' if sm['value_below_optimum_at_every_record'] else 'NO'} "
          f"(largest V - (-log 4 + 2 JSD): {sm['max_value_minus_optimum']:.3g}); {run.seconds:.2f} s")
    return code


def _guarded(args, progress, make_run):
    """``make_run()`` with the trainers' endings: (run, 0); a bad value is a usage error; (None, 1) when the run
    diverged or left the grid (the reason on stderr); (the run so far, 130) on Ctrl-C, its last record on
    stderr."""
    from gantheory.cli._common import UsageError
    from gantheory.engine._training import _Interrupted

    try:
        run = make_run()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    except FloatingPointError as exc:
        progress.close()
        print(f"gantheory: {exc}", file=sys.stderr)
        return None, 1
    except _Interrupted as stop:
        progress.close()
        last = stop.run.history[-1]
        print(f"gantheory: interrupted after {last['step']}/{args.steps} steps; last record: "
              + ", ".join(f"{k} = {v:.4g}" for k, v in last.items() if k != "step" and isinstance(v, (int, float))),
              file=sys.stderr)
        return stop.run, 130
    progress.close()
    return run, 0


def _trainer_options(args) -> dict:
    """The options of a sampled trainer, as plain values (a batch ships them to Dask workers)."""
    names = ("steps", "m", "mu0", "log_sigma0", "record_every", "c", "lr_g", "delta", "model", "hidden",
             "discriminator", "divergence", "lr_t", "n_critic", "lr", "clip", "optimizer", "nd", "k", "lr_d", "loss",
             "generator")
    return {n: getattr(args, n) for n in names}


def _run_trainer(algorithm: str, gan, o: dict, seed: int, on_step=None):
    """One run of a sampled trainer with the options ``o`` (see :func:`_trainer_options`)."""
    from gantheory.engine._training import dualing, fgan, goodfellow, wgan_clipping

    common = dict(steps=o["steps"], m=o["m"], theta0=(o["mu0"], o["log_sigma0"]), seed=seed,
                  record_every=o["record_every"], on_step=on_step)
    if algorithm == "dualing" and o["discriminator"] == "mlp":
        from gantheory.engine._dualing_nonlinear import dualing_nonlinear

        return dualing_nonlinear(gan, c=o["c"], lr_g=o["lr_g"], delta=o["delta"], model=o["model"],
                                 hidden=o["hidden"], **common)
    if algorithm == "dualing":
        return dualing(gan, c=o["c"], lr_g=o["lr_g"], **common)
    if algorithm == "fgan":
        return fgan(gan, divergence=o["divergence"], lr_t=o["lr_t"], lr_g=o["lr_g"], **common)
    if algorithm == "wgan":
        return wgan_clipping(gan, n_critic=o["n_critic"], lr=o["lr"], clip=o["clip"], optimizer=o["optimizer"],
                             **common)
    families = _families(o)
    if algorithm == "practical":  # seed 000's Algorithm 2: N_d descent steps on d, one on g = E[-log D]
        run = goodfellow(gan, k=o["nd"], lr_d=o["lr_d"], lr_g=o["lr_g"], loss="nonsaturating",
                         **{**common, **families})
        run.algorithm = "practical"
        run.settings["N_d"] = run.settings.pop("k")
        return run
    return goodfellow(gan, k=o["k"], lr_d=o["lr_d"], lr_g=o["lr_g"], loss=o["loss"], **{**common, **families})


#: per trainer: the summary's verdict that the theory's inequality held at every record, and its label
_HOLDS = {"goodfellow": ("value_below_optimum_at_every_record", "V <= -log 4 + 2 JSD"),
          "practical": ("value_below_optimum_at_every_record", "d >= log 4 - 2 JSD"),
          "dualing-nonlinear": ("value_below_optimum_at_every_record", "V <= -log 4 + 2 JSD"),
          "wgan": ("critic_below_clipped_optimum_at_every_record", "critic <= clipped optimum"),
          "fgan": ("variational_below_divergence_at_every_record", "F <= D_f"),
          "dualing": ("primal_at_most_log2_at_every_record", "min f <= log 2, strong duality")}


def _batch_task(algorithm: str, gan, o: dict, seed: int) -> dict:
    """One seed of a batch: the final record and whether the theory's inequality held at every record."""
    try:
        run = _run_trainer(algorithm, gan, o, seed)
    except FloatingPointError as exc:
        return {"seed": seed, "error": str(exc)}
    sm = _summary(run, gan)
    key, _ = _HOLDS[_kind(run)]
    holds = bool(sm[key]) and (_kind(run) != "dualing" or sm["max_duality_gap"] <= 1e-9)
    return {"seed": seed, "final": run.history[-1], "theory_holds": holds, "seconds": run.seconds}


def _cmd_batch(args, gan) -> int:
    """``--seeds K [--scheduler S]`` for a sampled trainer: K runs (seeds --seed .. --seed + K - 1), through Dask
    with --scheduler (the path of stability --map and the game sweep), each final record beside whether the
    theory's inequality held at every record of that run."""
    import functools

    from gantheory import _dask
    from gantheory.cli._common import UsageError

    if isinstance(args.seeds, bool) or not 1 <= args.seeds <= 1000:
        raise UsageError(f"--seeds must be an integer in [1, 1000], got {args.seeds}")
    if args.plot:
        raise UsageError("--plot draws one run: leave out --seeds and --scheduler")
    try:
        _dask.check_scheduler(args.scheduler)
    except ValueError as exc:
        raise UsageError(f"--scheduler: {exc}") from None
    o = _trainer_options(args)
    seeds = list(range(args.seed, args.seed + args.seeds))
    fn = functools.partial(_batch_task, args.algorithm, gan, o)
    rows, interrupted = [], False
    try:
        if args.scheduler is None:
            for s_ in seeds:
                rows.append(fn(s_))
        else:
            rows = _dask.map_tasks(fn, seeds, args.scheduler)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    except KeyboardInterrupt:  # the runs finished so far are printed, then exit 130
        interrupted = True
        print(f"gantheory: interrupted after {len(rows)} of {len(seeds)} runs", file=sys.stderr)
    ok = [r for r in rows if "error" not in r]
    label = _HOLDS["dualing-nonlinear" if args.algorithm == "dualing" and args.discriminator == "mlp"
                   else args.algorithm][1]
    if args.json:
        _print_json({"algorithm": args.algorithm, "batch": {"seeds": seeds, "scheduler": args.scheduler},
                     "options": o, "runs": rows})
    else:
        print(f"{args.algorithm}: {len(seeds)} runs (seeds {seeds[0]}..{seeds[-1]})"
              + (f" through Dask ({args.scheduler})" if args.scheduler else "") + f"; theory: {label} at every record")
        print(f"{'seed':>6} {'mu':>8} {'sigma':>7} {'W1':>7} {'theory':>7}")
        for r in rows:
            if "error" in r:
                print(f"{r['seed']:>6} stopped: {r['error']}")
                continue
            f = r["final"]
            print(f"{r['seed']:>6} {f['mu']:>8.4f} {f['sigma']:>7.4f} {f['w1']:>7.4f} "
                  f"{'holds' if r['theory_holds'] else 'FAILS':>7}")
        if ok:
            w1 = [r["final"]["w1"] for r in ok]
            mean = sum(w1) / len(w1)
            sd = math.sqrt(sum((v - mean) ** 2 for v in w1) / max(len(w1) - 1, 1))
            print(f"the theory held in {sum(r['theory_holds'] for r in ok)} of {len(ok)} runs; final W1 {mean:.4f} "
                  f"+- {sd:.4f} (mean +- sd over the runs)" + (f"; {len(rows) - len(ok)} stopped" if len(ok) < len(rows)
                                                              else ""))
    if interrupted:
        return 130
    return 0 if all("error" not in r and r["theory_holds"] for r in rows) else 1


def _families(o: dict) -> dict:
    """goodfellow and practical: the generator family and the discriminator (its initial generator from
    --mu0/--log-sigma0: the location-scale's parameters, the mixture's components at mu0 -+ 0.5, tanh's
    N(mu0, e^(2 log_sigma0)) plus e^-1 tanh(z))."""
    g, mu0, ls0 = o["generator"], o["mu0"], o["log_sigma0"]
    theta0 = {"location-scale": (mu0, ls0), "mixture": (mu0 - 0.5, ls0, mu0 + 0.5, ls0), "tanh": (mu0, ls0, -1.0)}
    out = {"generator": g, "discriminator": o["discriminator"], "theta0": theta0[g]}
    if o["discriminator"] == "mlp":
        out["hidden"] = o["hidden"]
    return out


def _kind(run) -> str:
    """The trainer's name, "dualing-nonlinear" for the Dualing GAN's trust-region steps."""
    return "dualing-nonlinear" if run.algorithm == "dualing" and "model" in run.settings else run.algorithm


def _summary(run, gan) -> dict:
    """Goodfellow: the theory's inequality V(D, G) <= C(G) = -log 4 + 2 JSD over every record, and the final
    gap. WGAN: the critic's value below the clipped family's optimum at every record, and where the theory
    says the generator goes (the data's mean and standard deviation) with W1 there."""
    if run.algorithm == "fgan":
        from gantheory.engine._training import _moments, fgan_optimum

        h = run.history[-1]
        mu_opt, sigma_opt, d_opt = fgan_optimum(gan, run.settings["divergence"])
        e1, e2 = _moments(gan)
        excess = max(r["variational_value"] - r["divergence"] for r in run.history)
        return {"variational_below_divergence_at_every_record": bool(excess <= 1e-9),
                "max_variational_minus_divergence": excess,
                "optimum": {"mu": mu_opt, "sigma": sigma_opt, "divergence": d_opt},
                "moment_match": {"mu": e1, "sigma": math.sqrt(max(e2 - e1**2, 0.0))},
                "final": {"mu": h["mu"], "sigma": h["sigma"], "divergence": h["divergence"]}}
    if _kind(run) == "dualing-nonlinear":
        h = run.history[-1]
        dual = run.history[1:] if run.settings["model"] == "score" else []
        return {**_value_bound(run),
                "max_model_duality_gap": max((abs(r["model_gap"]) for r in dual), default=None),
                "max_step_value_above_scipy": max((r["scipy_gap"] for r in dual), default=None),
                "jsd_optimum": _jsd_location_scale_minimum(gan),
                "final": {"mu": h["mu"], "sigma": h["sigma"], "jsd": h["jsd"], "d_gap": h["d_gap"]}}
    if run.algorithm == "dualing":
        return {"max_duality_gap": max(abs(r["gap"]) for r in run.history),
                "primal_at_most_log2_at_every_record": bool(all(r["primal"] <= math.log(2) + 1e-12
                                                               for r in run.history)),
                "max_w_gap": max(r["w_gap"] for r in run.history), **_moment_match(run, gan)}
    if run.algorithm == "wgan":
        excess = max(r["critic_value"] - r["clipped_optimum"] for r in run.history)
        return {"critic_below_clipped_optimum_at_every_record": bool(excess <= 1e-12),
                "max_critic_minus_optimum": excess, **_moment_match(run, gan)}
    out = _algorithm_one_summary(run)
    if run.score is not None or run.generator != "location-scale":  # what a single Gaussian can reach, for scale
        out["jsd_location_scale_minimum"] = _jsd_location_scale_minimum(gan)
    if run.algorithm == "practical":  # seed 000: at the equilibrium d = 2 log 2 and g = log 2
        h = run.history[-1]
        out.update({"d_loss_at_equilibrium": 2 * math.log(2), "g_loss_at_equilibrium": math.log(2),
                    "final_d_loss": -h["value"], "final_g_loss": h["g_loss"]})
    return out


def _value_bound(run) -> dict:
    """V(D, G) <= -log 4 + 2 JSD (= max_D V) at every record (to the quadrature's 1e-6) and the largest excess:
    the theory of every trainer with a logistic discriminator."""
    excess = max(h["value"] - h["value_at_optimal_d"] for h in run.history)
    return {"value_below_optimum_at_every_record": bool(excess <= 1e-6), "max_value_minus_optimum": excess}


def _algorithm_one_summary(run) -> dict:
    """Algorithm 1's summary: the value bound, and the final |D - D*| and JSD."""
    return {**_value_bound(run), "final_d_gap": run.history[-1]["d_gap"], "final_jsd": run.history[-1]["jsd"]}


def _jsd_location_scale_minimum(gan) -> dict:
    """The single Gaussian closest to the data in JSD (Nelder-Mead on the grid) and its JSD."""
    from gantheory.engine import jsd
    from gantheory.engine._grid import gaussian_mixture
    from gantheory.engine._training import fgan_optimum

    mu_opt, sigma_opt, _ = fgan_optimum(gan, "jensen-shannon")
    data = gaussian_mixture(gan.grid, list(gan.means), list(gan.stds), list(gan.weights))
    return {"mu": mu_opt, "sigma": sigma_opt,
            "jsd": float(jsd(data, gaussian_mixture(gan.grid, [mu_opt], [sigma_opt]), gan.grid))}


def _dump(run, sm: dict) -> None:
    _print_json({"algorithm": run.algorithm, "settings": run.settings, "steps": run.history[-1]["step"],
                 "interrupted": run.interrupted, "seconds": run.seconds, "w": run.w.tolist(),
                 "theta": run.theta.tolist(), "theory": sm, "history": run.history})


def _json_safe(obj):
    """Strict JSON: NaN (a quantity not defined yet, e.g. rho before the first step) as null, +-inf as the
    strings "inf" and "-inf"; NumPy scalars as Python numbers."""
    if isinstance(obj, dict):
        return {k: _json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_safe(v) for v in obj]
    if isinstance(obj, float) or type(obj).__module__ == "numpy":
        try:
            v = obj.item() if hasattr(obj, "item") else obj
        except (ValueError, AttributeError):
            return obj
        if isinstance(v, float) and not math.isfinite(v):
            return None if math.isnan(v) else ("inf" if v > 0 else "-inf")
        return v
    return obj


def _print_json(obj) -> None:
    json.dump(_json_safe(obj), sys.stdout, indent=1, allow_nan=False)
    print()


def _shown(run) -> list:
    """About ten records of a run for a table: the first, every tenth of the way, and the last."""
    rows = run.history
    return [rows[i] for i in sorted({0, len(rows) - 1, *range(0, len(rows), max(1, len(rows) // 10))})]


def _figure(run, gan, theory_curve, theory_label: str, title: str):
    """The two-panel figure every trainer draws: p_data, p_g at the end and the theory's density on the left
    (``theory_curve`` on the grid, or None), the right panel left to the caller. Returns (fig, ax2)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from gantheory.engine._training import curves

    c = curves(gan, run.w, run.theta, run.score, run.generator)
    fig = Figure(figsize=(8, 3.6))
    ax1, ax2 = fig.subplots(1, 2)
    ax1.plot(c["x"], c["p_data"], "k", lw=2, label="$p_{data}$")
    ax1.plot(c["x"], c["p_g"], "C1", label=f"$p_g$ (step {run.history[-1]['step']})")
    if theory_curve is not None:
        ax1.plot(c["x"], theory_curve, "C2--", label=theory_label)
    ax1.set(xlabel="x", ylabel="density", title=title)
    return fig, ax1, ax2, c


def _table(run, sm: dict) -> None:
    s = run.settings
    print(f"{run.algorithm}: Algorithm 1 of Goodfellow et al. (2014), k = {s['k']}, m = {s['m']}, {s['loss']} "
          f"generator loss, lr_d = {s['lr_d']}, lr_g = {s['lr_g']}, seed {s['seed']}")
    print(f"data: {len(s['data']['means'])}-component Gaussian mixture; generator {s['generator']}; "
          f"discriminator {s['discriminator']}")
    print("theory beside each record: D* = p_data/(p_data + p_g), max_D V(D, G) = -log 4 + 2 JSD")
    if len(s["data"]["means"]) > 1 and run.score is None:
        print("note: the data is a mixture, so log D*/(1 - D*) = log p_data/p_g is not quadratic in x: D* is "
              "outside the discriminator family and |D - D*| cannot reach 0 (the theory assumes any D)")
    if run.generator != "location-scale":
        print("mu and sigma: the mean and standard deviation of p_g (on the grid)")
    head = f"{'step':>7} {'mu':>8} {'sigma':>7} {'|D-D*|':>8} {'V(D,G)':>9} {'-log4+2JSD':>10} {'JSD':>8} " \
           f"{'KL':>8} {'W1':>7} {'modes':>5}"
    print(head)
    for h in _shown(run):
        print(f"{h['step']:>7} {h['mu']:>8.4f} {h['sigma']:>7.4f} {h['d_gap']:>8.4f} {h['value']:>9.4f} "
              f"{h['value_at_optimal_d']:>10.4f} {h['jsd']:>8.5f} {h['kl']:>8.4f} {h['w1']:>7.4f} "
              f"{h['modes_covered']:>5}")
    print(f"V(D, G) <= -log 4 + 2 JSD at every record: {'yes' if sm['value_below_optimum_at_every_record'] else 'NO'} "
          f"(largest V - (-log 4 + 2 JSD): {sm['max_value_minus_optimum']:.3g}); "
          f"{run.seconds:.2f} s")
    if "jsd_location_scale_minimum" in sm:
        o = sm["jsd_location_scale_minimum"]
        print(f"theory: at D = D* the generator descends -log 4 + 2 JSD (Thm. 1), so it is driven to the JSD "
              f"minimizer of its family; a single Gaussian's best is JSD = {o['jsd']:.4f} at (mu, sigma) = "
              f"({o['mu']:.3f}, {o['sigma']:.3f}); the run ends at JSD = {sm['final_jsd']:.4f}")


def _table_practical(run, sm: dict) -> None:
    s = run.settings
    print(f"practical: seed 000's Algorithm 2, N_d = {s['N_d']} descent steps on d(theta_g, theta_d; B) = "
          f"E[-log D(Y)] + E[-log(1 - D(G(Z)))] with beta = {s['lr_d']}, then one on g(theta_g, theta_d; B) = "
          f"E[-log D(G(Z))] with alpha = {s['lr_g']}; batches of {s['m']}, seed {s['seed']}")
    print(f"data: {len(s['data']['means'])}-component Gaussian mixture; generator {s['generator']}; "
          f"discriminator {s['discriminator']}")
    print("theory beside each record: d >= log 4 - 2 JSD (= -max_D V), with equality at D* = p_data/(p_data + p_g); "
          "at the equilibrium (p_g = p_data, D = 1/2) d = 2 log 2 = 1.3863 and g = log 2 = 0.6931")
    print(f"{'step':>7} {'mu':>8} {'sigma':>7} {'|D-D*|':>8} {'d':>8} {'log4-2JSD':>9} {'g':>8} {'JSD':>8} "
          f"{'W1':>7} {'modes':>5}")
    for h in _shown(run):
        print(f"{h['step']:>7} {h['mu']:>8.4f} {h['sigma']:>7.4f} {h['d_gap']:>8.4f} {-h['value']:>8.4f} "
              f"{-h['value_at_optimal_d']:>9.4f} {h['g_loss']:>8.4f} {h['jsd']:>8.5f} {h['w1']:>7.4f} "
              f"{h['modes_covered']:>5}")
    print(f"d >= log 4 - 2 JSD at every record: {'yes' if sm['value_below_optimum_at_every_record'] else 'NO'}; "
          f"the run ends with d = {sm['final_d_loss']:.4f} and g = {sm['final_g_loss']:.4f} (equilibrium: "
          f"{sm['d_loss_at_equilibrium']:.4f} and {sm['g_loss_at_equilibrium']:.4f}); {run.seconds:.2f} s")


def _table_wgan(run, sm: dict) -> None:
    s = run.settings
    print(f"wgan: Algorithm 1 of Arjovsky et al. (2017), n_critic = {s['n_critic']}, m = {s['m']}, clip = "
          f"{s['clip']}, {s['optimizer']} with lr = {s['lr']}, seed {s['seed']}")
    print(f"data: {len(s['data']['means'])}-component Gaussian mixture; generator {s['generator']}; "
          f"critic {s['critic']}")
    print("theory beside each record: the clipped critics' best value c (|E x - mu| + |E x^2 - mu^2 - sigma^2|) "
          "(moment matching, not W1), and the true W1")
    print(f"{'step':>7} {'mu':>8} {'sigma':>7} {'critic':>9} {'clip-opt':>9} {'W1':>7} {'Lip(f)':>7}")
    for h in _shown(run):
        print(f"{h['step']:>7} {h['mu']:>8.4f} {h['sigma']:>7.4f} {h['critic_value']:>9.5f} "
              f"{h['clipped_optimum']:>9.5f} {h['w1']:>7.4f} {h['lipschitz']:>7.4f}")
    print(f"critic value <= the clipped optimum at every record: "
          f"{'yes' if sm['critic_below_clipped_optimum_at_every_record'] else 'NO'}")
    print(f"theory: the generator is driven to the data's mean and standard deviation, (mu, sigma) = "
          f"({sm['mu_target']:.4g}, {sm['sigma_target']:.4g}), where W1 = {sm['w1_at_target']:.4f} (not 0 unless the "
          f"data is Gaussian); the run ends {sm['final_distance_to_target']:.3g} from it with W1 = "
          f"{sm['final_w1']:.4f}; {run.seconds:.2f} s")


def _table_fgan(run, sm: dict) -> None:
    s = run.settings
    print(f"fgan: the single-step gradient method of Nowozin et al. (2016) for D_f = {s['divergence']}, m = "
          f"{s['m']}, lr_t = {s['lr_t']}, lr_g = {s['lr_g']}, seed {s['seed']}")
    print(f"f(u) = {s['f']}, f*(t) = {s['conjugate']}, g_f(v) = {s['activation']} (the f-GAN table's corrected cells)")
    print(f"data: {len(s['data']['means'])}-component Gaussian mixture; generator {s['generator']}; "
          f"critic {s['critic']}")
    print("theory beside each record: F = E_data T - E_g f*(T) never exceeds D_f(p_data || p_g) (Fenchel-Young)")
    print(f"{'step':>7} {'mu':>8} {'sigma':>7} {'F':>9} {'D_f':>9} {'KL(d||g)':>9} {'KL(g||d)':>9} {'W1':>7} "
          f"{'modes':>5}")
    for h in _shown(run):
        print(f"{h['step']:>7} {h['mu']:>8.4f} {h['sigma']:>7.4f} {h['variational_value']:>9.4f} "
              f"{h['divergence']:>9.4f} {h['kl_data_g']:>9.4f} {h['kl_g_data']:>9.4f} {h['w1']:>7.4f} "
              f"{h['modes_covered']:>5}")
    print(f"F <= D_f at every record: {'yes' if sm['variational_below_divergence_at_every_record'] else 'NO'}")
    o, mm, fin = sm["optimum"], sm["moment_match"], sm["final"]
    print(f"theory: min over the generator family of D_f is {o['divergence']:.4f} at (mu, sigma) = ({o['mu']:.3f}, "
          f"{o['sigma']:.3f}); with the quadratic critic the game is also stationary where p_g matches the data's "
          f"mean and variance, ({mm['mu']:.3f}, {mm['sigma']:.3f}) (the critic's gradient at T = f'(1) is "
          f"E_data phi - E_g phi, phi = 1, x, x^2); the run ends at ({fin['mu']:.3f}, {fin['sigma']:.3f}) with "
          f"D_f = {fin['divergence']:.4f}; {run.seconds:.2f} s")


def plot_fgan(run, gan, sm: dict, path: str):
    from gantheory.engine._grid import gaussian_mixture
    from gantheory.figures import _save

    fig, ax1, ax2, _ = _figure(run, gan, gaussian_mixture(gan.grid, [sm["optimum"]["mu"]], [sm["optimum"]["sigma"]]),
                               "min $D_f$ over the family", f"the end of the run ({run.settings['divergence']})")
    ax1.legend(fontsize=9)
    steps = [r["step"] for r in run.history]
    ax2.plot(steps, [r["divergence"] for r in run.history], label="$D_f(p_{data} \\| p_g)$")
    ax2.plot(steps, [r["variational_value"] for r in run.history], label="critic's $F$ (a lower bound)")
    ax2.axhline(sm["optimum"]["divergence"], color="C2", ls="--", label="min over the family")
    ax2.set(xlabel="iteration", ylabel="value", title="the variational bound against $D_f$")
    ax2.legend(fontsize=9)
    _save(fig, path)
    return fig


def _table_dualing(run, sm: dict) -> None:
    s = run.settings
    print(f"dualing: Dualing GANs (Li et al. 2017) with a linear discriminator on (1, x, x^2), C = {s['c']}, m = "
          f"{s['m']}, lr_g = {s['lr_g']}, seed {s['seed']}")
    print(f"data: {len(s['data']['means'])}-component Gaussian mixture; generator {s['generator']}")
    print("each iteration: the dual max_lambda g(theta, lambda) solved exactly (Newton), then one ascent step on "
          "g in theta; each record also solves the primal min_w f on the same minibatch")
    print(f"{'step':>7} {'mu':>8} {'sigma':>7} {'max g':>9} {'min f':>9} {'gap':>9} {'|w-w*|':>9} {'W1':>7}")
    for h in _shown(run):
        print(f"{h['step']:>7} {h['mu']:>8.4f} {h['sigma']:>7.4f} {h['dual']:>9.5f} {h['primal']:>9.5f} "
              f"{h['gap']:>9.1e} {h['w_gap']:>9.1e} {h['w1']:>7.4f}")
    print(f"strong duality at every record: |min f - max g| <= {sm['max_duality_gap']:.1e}, w* from lambda* within "
          f"{sm['max_w_gap']:.1e} of the primal minimizer; min f <= log 2 (w = 0) at every record: "
          f"{'yes' if sm['primal_at_most_log2_at_every_record'] else 'NO'}")
    print(f"theory: at lambda's centre the dual's quadratic term is moment matching, so the generator is driven to "
          f"the data's mean and standard deviation ({sm['mu_target']:.4g}, {sm['sigma_target']:.4g}), where W1 = "
          f"{sm['w1_at_target']:.4f}; the run ends {sm['final_distance_to_target']:.3g} from it; "
          f"{run.seconds:.2f} s")


def _table_dualing_nonlinear(run, sm: dict) -> None:
    s = run.settings
    model = "(B) score" if s["model"] == "score" else "(A) cost"
    print(f"dualing: Dualing GANs (Li et al. 2017) with a nonlinear discriminator, {s['discriminator']}; C = "
          f"{s['c']}, m = {s['m']}, lr_g = {s['lr_g']}, initial delta = {s['delta']}, seed {s['seed']}")
    print(f"data: {len(s['data']['means'])}-component Gaussian mixture; generator {s['generator']}")
    print(f"each iteration: one ascent step on f(theta, w_k) in theta, then min m_k(s) s.t. 1/2 ||s||^2 <= delta_k "
          f"on the model {model} linearization" + (" (dualized, the trust region's multiplier from ||s|| = "
                                                   "sqrt(2 delta))" if s["model"] == "score" else "")
          + "; rho = actual / predicted decrease of f adapts delta")
    print("theory beside each record: D* = p_data/(p_data + p_g), max_D V(D, G) = -log 4 + 2 JSD")
    head = f"{'step':>7} {'mu':>8} {'sigma':>7} {'|D-D*|':>8} {'V(D,G)':>9} {'-log4+2JSD':>10} {'JSD':>8} " \
           f"{'W1':>7} {'delta':>8} {'rho':>7} {'taken':>5}"
    if s["model"] == "score":
        head += f" {'dual gap':>9}"
    print(head)
    for h in _shown(run):
        row = (f"{h['step']:>7} {h['mu']:>8.4f} {h['sigma']:>7.4f} {h['d_gap']:>8.4f} {h['value']:>9.4f} "
               f"{h['value_at_optimal_d']:>10.4f} {h['jsd']:>8.5f} {h['w1']:>7.4f} {h['delta']:>8.2g} "
               f"{h['rho']:>7.3f} {h['taken']:>5.2f}")
        if s["model"] == "score":
            row += f" {h['model_gap']:>9.1e}"
        print(row)
    print(f"V(D, G) <= -log 4 + 2 JSD at every record: {'yes' if sm['value_below_optimum_at_every_record'] else 'NO'} "
          f"(largest V - (-log 4 + 2 JSD): {sm['max_value_minus_optimum']:.3g})")
    if s["model"] == "score":
        print(f"the model's dual: |m(s*) - max dual| <= {sm['max_model_duality_gap']:.1e} at every record; SciPy's "
              f"SLSQP on the primal finds no lower model value (largest excess of m(s*) over it: "
              f"{sm['max_step_value_above_scipy']:.1e})")
    o, fin = sm["jsd_optimum"], sm["final"]
    print(f"theory: near D* the generator's ascent on f descends 2 JSD - log 4; min over the family of JSD is "
          f"{o['jsd']:.4f} at (mu, sigma) = ({o['mu']:.3f}, {o['sigma']:.3f}); the run ends at ({fin['mu']:.3f}, "
          f"{fin['sigma']:.3f}) with JSD = {fin['jsd']:.4f}, |D - D*| = {fin['d_gap']:.4f}; {run.seconds:.2f} s")


def plot_wgan(run, gan, sm: dict, path: str):
    from gantheory.engine._grid import gaussian_mixture
    from gantheory.figures import _save

    fig, ax1, ax2, _ = _figure(run, gan, gaussian_mixture(gan.grid, [sm["mu_target"]], [sm["sigma_target"]]),
                               "moment match (theory)", "the end of the run")
    ax1.legend(fontsize=9)
    steps = [r["step"] for r in run.history]
    ax2.plot(steps, [r["w1"] for r in run.history], label="$W_1(p_{data}, p_g)$ measured")
    ax2.axhline(sm["w1_at_target"], color="C2", ls="--", label="$W_1$ at the moment match (theory)")
    ax2.set(xlabel="iteration", ylabel="$W_1$", title=("weight clipping" if run.algorithm == "wgan" else "the dual")
            + " matches moments, not $W_1$")
    ax2.legend(fontsize=9)
    _save(fig, path)
    return fig


def plot_training(run, gan, sm: dict, path: str):
    from gantheory.figures import _save

    s = run.settings
    title = {"goodfellow": f"Algorithm 1, k = {s.get('k')}: the end of the run",
             "dualing-nonlinear": "Dualing GAN, trust-region steps:\nthe end of the run"}.get(_kind(run),
                                                                                              "the end of the run")
    fig, ax1, ax2, c = _figure(run, gan, None, "", title)
    ax1.plot(c["x"], c["d"], "C0", label="$D_w$ learned")
    ax1.plot(c["x"], c["d_star"], "C0--", label="$D^*$ (theory)")
    ax1.set(ylabel="density / D")
    ax1.legend(fontsize=9)
    steps = [h["step"] for h in run.history]
    ax2.plot(steps, [h["value"] for h in run.history], label="$V(D_w, G)$ measured")
    ax2.plot(steps, [h["value_at_optimal_d"] for h in run.history], "--", label=r"$-\log 4 + 2\,$JSD (theory)")
    ax2.set(xlabel="iteration", ylabel="value", title="value against its maximum over D")
    ax2.legend(fontsize=9)
    _save(fig, path)
    return fig


def _cmd_game(args, gan) -> int:
    """``train game``: the expected-gradient dynamics from a perturbed equilibrium, against its spectrum."""
    from gantheory.cli._common import Progress, UsageError
    from gantheory.engine._game_training import game_dynamics
    from gantheory.engine._training import _Interrupted

    if args.sweep_h is not None:
        return _cmd_game_sweep(args, gan)
    if args.seeds != 1 or args.scheduler is not None:
        raise UsageError("--seeds and --scheduler apply to a sweep: give --sweep-h LO:HI:N")
    progress = Progress("train game")
    try:
        run = game_dynamics(gan, loss=args.loss, optimizer=args.optimizer, h=args.h, beta=args.beta, reg=args.reg,
                            gamma=args.gamma, steps=args.steps, eps=args.eps, seed=args.seed, m=args.m,
                            record_every=args.record_every, on_step=progress)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    except _Interrupted as stop:
        progress.close()
        run = stop.run
        print(f"gantheory: interrupted after step {int(run.steps_recorded[-1])}/{args.steps}; distance to u* "
              f"{run.distances[-1]:.4g}", file=sys.stderr)
        if args.json:
            _dump_game(run, _game_summary(run, gan))
        return 130
    progress.close()
    sm = _game_summary(run, gan)
    if args.json:
        _dump_game(run, sm)
    else:
        _table_game(run, sm)
    if args.plot:
        plot_game(run, sm, args.plot)
        print(f"plot written to {args.plot}")
    return 0


#: the measured rate agrees with the linearization's over the same steps when their logarithms differ by at
#: most this: the fit stays below |u - u*| = 1e-3, where the map's quadratic terms change a step by ~1e-3
RATE_TOLERANCE = 2e-3


def _game_summary(run, gan) -> dict:
    """The equilibrium (its generator, D there, JSD to the data) and the predicted rate against the measured."""
    import numpy as np

    from gantheory.engine import jsd
    from gantheory.engine._grid import gaussian_mixture

    m = run.model
    mu, sigma = float(m.u_star[-2]), math.exp(float(m.u_star[-1]))
    data = gaussian_mixture(gan.grid, list(gan.means), list(gan.stds), list(gan.weights))
    gen = gaussian_mixture(gan.grid, [mu], [sigma])
    rate, lin = run.measured_rate, run.linear_rate
    agrees = None if rate is None else bool(abs(math.log(rate) - math.log(lin)) <= RATE_TOLERANCE)
    return {"equilibrium": dict(zip(m.names, map(float, m.u_star))), "generator_at_equilibrium":
            {"mu": mu, "sigma": sigma}, "newton_residual": m.residual,
            "jsd_at_equilibrium": float(jsd(data, gen, gan.grid)),
            "field_jacobian_eigenvalues": [[float(z.real), float(z.imag)] for z in np.sort_complex(run.spectrum)],
            "predicted_rate": run.rho, "verdict": run.verdict, "measured_rate": rate,
            "linearized_rate_over_fitted_steps": lin, "fitted_steps": run.fitted_steps,
            "rate_agrees": agrees, "rate_tolerance": RATE_TOLERANCE, "stopped": run.stopped,
            **({} if run.settings.get("m") is None else {
                "minibatch": run.settings["m"], "predicted_noise_floor": run.floor,
                "measured_mean_square": run.measured_mean_square, "mean_square_error": run.mean_square_error})}


def _dump_game(run, sm: dict) -> None:
    _print_json({"algorithm": "game", "settings": run.settings, "interrupted": run.interrupted, "theory": sm,
                 "history": [{"step": int(k), "distance": float(d)} for k, d in
                             zip(run.steps_recorded, run.distances)]})


def _table_game(run, sm: dict) -> None:
    s = run.settings
    what = {"gan": "D = sigmoid(w0 + w1 x + w2 x^2), generator loss log(1 - D(G(z)))",
            "nsgan": "D = sigmoid(w0 + w1 x + w2 x^2), generator loss -log D(G(z))",
            "wgan": "critic f = w1 x + w2 x^2, no clipping"}[s["loss"]]
    reg = "" if s["reg"] == "none" else f", {s['reg']} with gamma = {s['gamma']}"
    mom = f", momentum beta = {s['beta']}" if s["beta"] else ""
    grads = (f"the expected gradients ({s['nodes']}-point Gauss-Hermite quadrature)" if s.get("m") is None else
             f"minibatch gradients ({s['m']} data and {s['m']} noise samples a step; the theory's expectations by "
             f"{s['nodes']}-point Gauss-Hermite quadrature)")
    print(f"game: {s['optimizer']} with h = {s['h']}{mom}{reg} on {grads}; {what}; generator N(mu, exp(l)^2)")
    eq = ", ".join(f"{k} = {v:.4g}" for k, v in sm["equilibrium"].items())
    g = sm["generator_at_equilibrium"]
    print(f"equilibrium u* (Newton, residual {sm['newton_residual']:.1e}): {eq}; the generator N({g['mu']:.4g}, "
          f"{g['sigma']:.4g}^2) matches the data's mean and variance (what the quadratic discriminator sees); "
          f"JSD to the data there: {sm['jsd_at_equilibrium']:.4g}")
    pairs = sm["field_jacobian_eigenvalues"]
    scale = max(math.hypot(re, im) for re, im in pairs)
    tiny = lambda x: 0.0 if abs(x) <= 1e-12 * scale else x  # noqa: E731 - rounding shown as 0 (the JSON keeps it)
    eig = ", ".join(f"{tiny(re):.4g}{tiny(im):+.4g}i" for re, im in pairs)
    print(f"eigenvalues of the field's Jacobian at u* (parts below 1e-12 of the largest shown as 0): {eig}")
    print(f"theory: the update map's Jacobian at u* has spectral radius {sm['predicted_rate']:.6f}: "
          f"{sm['verdict']}")
    print(f"{'step':>8} {'|u - u*|':>11}")
    for k, d in _shown_game(run):
        print(f"{k:>8} {d:>11.4e}")
    if sm["stopped"]:
        print(f"the run {sm['stopped']}")
    if "minibatch" in sm:
        _table_noise_floor(sm)
        return
    if sm["measured_rate"] is None:
        print("measured rate: fewer than 4 steps with 1e-13 <= |u - u*| <= 1e-3 to fit (raise --steps or lower "
              "--eps)")
    else:
        a, b = sm["fitted_steps"]
        m, lin = sm["measured_rate"], sm["linearized_rate_over_fitted_steps"]
        print(f"measured rate over steps {a}-{b} (a log-slope where 1e-13 <= |u - u*| <= 1e-3): {m:.6f}; the "
              f"linearized update from the same start, over the same steps: {lin:.6f} -- "
              f"{'agrees' if sm['rate_agrees'] else 'DIFFERS'} (relative difference {abs(math.log(m / lin)):.1e}, "
              f"tolerance {sm['rate_tolerance']:.0e}); |measured - spectral radius| = "
              f"{abs(m - sm['predicted_rate']):.1e}")


def _table_noise_floor(sm: dict) -> None:
    """The minibatch run against the noise floor the linearized update predicts."""
    fl, ms, se = sm["predicted_noise_floor"], sm["measured_mean_square"], sm["mean_square_error"]
    print(f"minibatches of m = {sm['minibatch']}: the update is driven by the batch field's noise (its covariance "
          "at u* by quadrature, divided by m)")
    if fl is None:
        print("theory: the update map does not contract (rho >= 1), so there is no stationary noise floor")
    else:
        print(f"theory (to first order in the noise): E|u - u*|^2 -> {fl['mean_square']:.4g} = {fl['spread']:.4g} "
              f"(tr P, P = A P A^T + G Sigma G^T, the discrete Lyapunov equation) + {fl['offset']:.3g} (the squared "
              "offset of the mean)")
    if ms is None:
        print("measured: no stationary stretch (the run stopped early or has fewer than 40 steps)")
    else:
        ratio = f"; measured / predicted = {ms / fl['mean_square']:.3f}" if fl is not None else ""
        print(f"measured: mean |u - u*|^2 over the second half of the run = {ms:.4g} +- {se:.2g} (standard error, 20 "
              f"batch means){ratio}")


def _sweep_axis(text: str):
    """``LO:HI:N`` as N step sizes from LO to HI."""
    import numpy as np

    from gantheory.cli._common import UsageError

    parts = text.split(":")
    try:
        lo, hi, n = float(parts[0]), float(parts[1]), int(parts[2])
        if len(parts) != 3:
            raise ValueError
    except (ValueError, IndexError):
        raise UsageError(f"--sweep-h: expected LO:HI:N (numbers, N an integer), got {text!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and 0 < lo < hi) or not 2 <= n <= 10**4:
        raise UsageError(f"--sweep-h: need 0 < LO < HI (finite) and 2 <= N <= 10000, got {text!r}")
    return np.linspace(lo, hi, n)


def _cmd_game_sweep(args, gan) -> int:
    """``train game --sweep-h``: one run per step size and seed (through Dask with --scheduler), the measured
    rate beside the spectral radius at each h."""
    from gantheory.cli._common import UsageError
    from gantheory.engine._game_training import game_sweep

    hs = _sweep_axis(args.sweep_h)
    if isinstance(args.seeds, bool) or not 1 <= args.seeds <= 1000:
        raise UsageError(f"--seeds must be an integer in [1, 1000], got {args.seeds}")
    try:
        rows = game_sweep(gan, h_values=hs, seeds=range(args.seeds), loss=args.loss, reg=args.reg, gamma=args.gamma,
                          scheduler=args.scheduler, optimizer=args.optimizer, beta=args.beta, steps=args.steps,
                          eps=args.eps)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    per_h = []
    for h in hs:
        rs = [r for r in rows if r["h"] == float(h)]
        rates = [r["measured_rate"] for r in rs if r["measured_rate"] is not None]
        agree = [abs(math.log(r["measured_rate"] / r["linear_rate"])) <= RATE_TOLERANCE for r in rs
                 if r["measured_rate"] is not None]
        per_h.append({"h": float(h), "rho": rs[0]["rho"], "verdict": rs[0]["verdict"], "runs": len(rs),
                      "fitted": len(rates), "measured_min": min(rates) if rates else None,
                      "measured_max": max(rates) if rates else None, "all_agree": bool(agree) and all(agree)})
    if args.json:
        _print_json({"algorithm": "game-sweep", "settings": {k: getattr(args, k) for k in (
            "loss", "optimizer", "beta", "reg", "gamma", "steps", "eps", "seeds", "sweep_h")},
            "per_h": per_h, "runs": rows})
    else:
        reg = "" if args.reg == "none" else f", {args.reg} gamma = {args.gamma}"
        print(f"game sweep: {args.optimizer}{reg}, loss {args.loss}, {len(hs)} step sizes x {args.seeds} seed(s)"
              + (f" through Dask ({args.scheduler})" if args.scheduler else ""))
        print(f"{'h':>9} {'rho (theory)':>13} {'verdict':>10} {'measured':>21} {'vs linearized':>14}")
        for p in per_h:
            m = ("--" if p["measured_min"] is None else f"{p['measured_min']:.6f}" if p["runs"] == 1 else
                 f"{p['measured_min']:.6f}..{p['measured_max']:.6f}")
            agree = "agrees" if p["all_agree"] else ("no fit" if not p["fitted"] else "DIFFERS")
            print(f"{p['h']:>9.4g} {p['rho']:>13.6f} {p['verdict']:>10} {m:>21} {agree:>14}")
        ok = sum(p["all_agree"] for p in per_h)
        conv = ", ".join(f"{p['h']:.4g}" for p in per_h if p["verdict"] == "converges") or "nowhere"
        print(f"the measured rate agrees with the linearized update at {ok} of {len(per_h)} step sizes "
              f"(relative tolerance {RATE_TOLERANCE:.0e}); the theory says it converges at h = {conv}")
    if args.plot:
        plot_game_sweep(args, gan, per_h, rows, args.plot)
        print(f"plot written to {args.plot}")
    return 0


def plot_game_sweep(args, gan, per_h, rows, path: str) -> None:
    """The spectral radius against h (the theory, on a fine grid) and every run's measured rate on it."""
    import matplotlib
    import numpy as np

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from gantheory.engine._game_training import _cached_model, update_radius
    from gantheory.figures import _save

    m = _cached_model(gan, args.loss, args.reg, args.gamma, 48)  # the sweep's own model, from the cache
    fine = np.linspace(per_h[0]["h"], per_h[-1]["h"], 400)
    rho = [update_radius(m, args.optimizer, h, args.beta) for h in fine]
    fig = Figure(figsize=(6, 3.6))
    ax = fig.subplots()
    ax.plot(fine, rho, "C0", label="spectral radius of the update map (theory)")
    pts = [(r["h"], r["measured_rate"]) for r in rows if r["measured_rate"] is not None]
    if pts:
        ax.plot(*zip(*pts), "C3.", label="measured rate, one per run")
    ax.axhline(1, color="k", lw=0.8)
    ax.set(xlabel="step size h", ylabel="rate per step", title=f"{args.optimizer}, {args.loss}"
           + ("" if args.reg == "none" else f", {args.reg} gamma = {args.gamma}"))
    ax.legend(fontsize=8)
    _save(fig, path)


def _shown_game(run) -> list:
    n = len(run.distances)
    idx = sorted({0, n - 1, *range(0, n, max(1, n // 10))})
    return [(int(run.steps_recorded[i]), float(run.distances[i])) for i in idx]


def plot_game(run, sm: dict, path: str) -> None:
    """Left: the update map's eigenvalues and the unit circle; right: |u - u*| of this run, with the
    predicted rate's line through its last record."""
    import matplotlib
    import numpy as np

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from gantheory.engine._game_training import update_jacobian
    from gantheory.figures import _save

    s = run.settings
    M = update_jacobian(run.model.jac(run.model.u_star), s["optimizer"], s["h"], s["beta"],
                        len(run.model.names) - 2)
    lam = np.linalg.eigvals(M)
    fig = Figure(figsize=(8, 3.6))
    ax1, ax2 = fig.subplots(1, 2)
    t = np.linspace(0, 2 * np.pi, 400)
    ax1.plot(np.cos(t), np.sin(t), "k", lw=1, label="unit circle")
    ax1.plot(lam.real, lam.imag, "C3o", label="eigenvalues of the update map")
    ax1.set(aspect="equal", xlabel="Re", ylabel="Im", title=f"spectral radius {run.rho:.4f} ({run.verdict})")
    ax1.legend(fontsize=8, loc="lower left")
    k, d = run.steps_recorded, run.distances
    ok = np.isfinite(d) & (d > 0)
    ax2.semilogy(k[ok], d[ok], "C0", label="$\\|u_k - u^*\\|$ measured")
    if ok.any():
        k_end, d_end = k[ok][-1], d[ok][-1]
        ax2.semilogy(k[ok], d_end * run.rho ** (k[ok] - k_end).astype(float), "C1--",
                     label=f"$\\rho^k$, $\\rho$ = {run.rho:.4f} (theory)")
    ax2.set(xlabel="step", ylabel="distance to $u^*$", title=f"{s['optimizer']}, {s['loss']}"
            + ("" if s["reg"] == "none" else f", {s['reg']}"))
    ax2.legend(fontsize=8)
    _save(fig, path)


FGAN_CHOICES = ("total-variation", "kl", "reverse-kl", "pearson", "neyman", "squared-hellinger", "jeffrey",
                "jensen-shannon", "jensen-shannon-weighted", "gan", "alpha-half", "alpha-minus-half", "alpha-two")


def add_train_command(sub) -> None:
    p = sub.add_parser("train", help="a training algorithm of the documents on a small parametric GAN, "
                       "with the theory beside every record",
                       description="Train a small parametric GAN (1-D or 2-D Gaussian-mixture data; a location-scale, "
                       "mixture or tanh generator; a logistic quadratic or one-hidden-layer network discriminator) "
                       "with one of the documents' algorithms, and print, beside each record, what the theory "
                       "predicts: the optimal discriminator D*, max_D V = -log 4 + 2 JSD, KL, JSD and W1, and each "
                       "algorithm's own bound or equilibrium.")
    p.add_argument("algorithm", choices=ALGORITHMS, help="goodfellow: Algorithm 1 of Goodfellow et al. (2014); "
                   "practical: seed 000's Algorithm 2 (N_d discriminator steps, one generator step on -log D); "
                   "wgan: Algorithm 1 of Arjovsky et al. (2017), weight clipping; fgan: the single-step gradient "
                   "method of Nowozin et al. (2016); dualing: Dualing GANs (Li et al. 2017), the dual solved "
                   "each iteration; game: simultaneous, alternating, extragradient or optimistic steps (with "
                   "momentum, R1 or consensus) on the expected gradients from a perturbed equilibrium, against "
                   "the spectral radius that predicts their rate")
    p.add_argument("--data", default="-2:0.5,2:0.5", metavar="MIXTURE",
                   help="mean:std[:weight],... of the data's Gaussian mixture (default -2:0.5,2:0.5); a mean x/y makes "
                   "2-D data (goodfellow, practical); write --data=-2:... for a negative first mean")
    p.add_argument("--steps", type=int, default=2000, help="training iterations (default 2000)")
    p.add_argument("--k", type=int, default=None, help="goodfellow: discriminator steps per iteration (default 1)")
    p.add_argument("--nd", type=int, default=None, help="practical: N_d discriminator steps per generator step "
                   "(default 5)")
    p.add_argument("--m", type=int, default=None, help="minibatch size (default 64; game: minibatch gradients instead "
                   "of the expected ones, against the predicted noise floor)")
    p.add_argument("--lr-d", type=float, default=None, help="goodfellow, practical: discriminator step size (beta; "
                   "default 0.05)")
    p.add_argument("--lr-g", type=float, default=None, help="goodfellow, practical (alpha), fgan, dualing: generator "
                   "step size (default 0.02, "
                   "0.01 for fgan, 0.2 for dualing, 0.1 with --discriminator mlp)")
    p.add_argument("--loss", choices=("nonsaturating", "saturating", "gan", "nsgan", "wgan"), default=None,
                   help="goodfellow: generator loss -log D(G(z)) (nonsaturating, default) or log(1 - D(G(z))) "
                   "(saturating, as stated); game: gan (default), nsgan or wgan")
    p.add_argument("--divergence", choices=FGAN_CHOICES, default=None,
                   help="fgan: the f-divergence, a row of the f-GAN table (default kl)")
    p.add_argument("--lr-t", type=float, default=None, help="fgan: the critic's step size (default 0.01)")
    p.add_argument("--c", type=float, default=None, help="dualing: the discriminator's regularizer C/2 ||w||^2 "
                   "(default 0.1; 1e-3 with --discriminator mlp)")
    p.add_argument("--discriminator", choices=("linear", "mlp"), default=None,
                   help="goodfellow, practical, dualing: linear, logistic on the features (1, x, x^2) (default), or "
                   "mlp, a one-hidden-layer tanh network (dualing: trained by trust-region steps on a local model, "
                   "the poster's non-linear discriminators)")
    p.add_argument("--generator", choices=("location-scale", "mixture", "tanh"), default=None,
                   help="goodfellow, practical: the generator family, location-scale mu + sigma z (default), mixture "
                   "of two location-scale components, or tanh, mu + e^l z + e^k tanh(z) (nonlinear, increasing)")
    p.add_argument("--model", choices=("score", "cost"), default=None,
                   help="dualing --discriminator mlp: the model function, (B) score linearization, dualized "
                   "(default), or (A) cost linearization")
    p.add_argument("--delta", type=float, default=None, help="dualing --discriminator mlp: the initial trust "
                   "region 1/2 ||s||^2 <= delta (default 0.05)")
    p.add_argument("--hidden", type=int, default=None, help="--discriminator mlp: hidden units (default 4)")
    p.add_argument("--n-critic", type=int, default=None, help="wgan: critic steps per generator step (default 5)")
    p.add_argument("--lr", type=float, default=None, help="wgan: step size of both players (default 0.005; the "
                   "paper's 5e-5 needs far more steps)")
    p.add_argument("--clip", type=float, default=None, help="wgan: the critic's weights are clipped to "
                   "[-clip, clip] (default 0.01)")
    p.add_argument("--optimizer", choices=("rmsprop", "sgd", "simgd", "altgd", "extragradient", "optimistic"),
                   default=None, help="wgan: rmsprop as in the paper (default) or sgd; game: simgd (default), altgd "
                   "(discriminator first), extragradient or optimistic")
    p.add_argument("--h", type=float, default=None, help="game: the step size (default 0.1)")
    p.add_argument("--beta", type=float, default=None, help="game: heavy-ball momentum for simgd and altgd, "
                   "negative for negative momentum (default 0)")
    p.add_argument("--reg", choices=("none", "r1", "consensus"), default=None,
                   help="game: regularizer (default none; r1 for gan and nsgan)")
    p.add_argument("--gamma", type=float, default=None, help="game: the regularizer's weight (default 1)")
    p.add_argument("--eps", type=float, default=None, help="game: the distance of the starting point from the "
                   "equilibrium (default 1e-7; at most 1e-3)")
    p.add_argument("--sweep-h", metavar="LO:HI:N", default=None, help="game: one run per step size, N from LO to "
                   "HI, each rate beside the spectral radius")
    p.add_argument("--seeds", type=int, default=None, help="a batch of runs: seeds --seed .. --seed + K - 1, each "
                   "final record beside whether the theory held (game sweep: runs per step size, each from another "
                   "direction; default 1)")
    p.add_argument("--scheduler", metavar="ADDR", default=None, help="a batch or a game sweep through Dask: "
                   "'threads', 'processes', 'synchronous' or tcp://host:port (as stability --scheduler)")
    p.add_argument("--mu0", type=float, default=None, help="the generator's initial location (default 0; not "
                   "for game)")
    p.add_argument("--log-sigma0", type=float, default=None, help="the generator's initial log scale (default 0; "
                   "not for game)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--record-every", type=int, default=10, help="record every N iterations (default 10)")
    p.add_argument("--json", action="store_true", help="print the run as JSON (records like run's)")
    p.add_argument("--plot", metavar="FILE", default=None, help="draw p_data, p_g, D against D*, V against theory")
    p.set_defaults(func=cmd_train)
