"""Jupyter notebooks of the claims, one per topic (nbformat).

Each claim is a markdown cell (its statement typeset from SymPy, its source, and for an erratum the
corrected statement) followed by a code cell that re-checks it with :func:`gantheory.check` and fails
(an ``AssertionError``) if the verdict is not the expected one; the figures that illustrate a topic's
claims are drawn by code cells after them (:mod:`gantheory.figures`). Executing a notebook is therefore a
test of what it says: ``jupyter nbconvert --execute`` or nbclient, as gantheory's own tests do.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["topic_notebook", "training_notebook", "write_notebooks"]

_TOPIC_TITLES = {
    "discriminator": "The optimal discriminator and the GAN value function",
    "reparameterization": "The likelihood-ratio reparameterization: R, g, d, C(R), GLGD, P_o",
    "divergences": "KL, JSD and their identities",
    "wasserstein": "Wasserstein distance, duality and the Wasserstein algorithm",
    "fgan": "The f-GAN table: generators, conjugates, activations",
    "dualing": "Dualing GANs: the dual of the discriminator's problem",
    "dynamics": "Game dynamics: the Dirac-GAN and bilinear games",
    "numerics": "The numerics of GANs: vector fields, stability, momentum",
    "games": "GANs as games: Nash equilibria, minimax, the f-GAN objective",
}


def topic_notebook(topic: str, quick_figures: bool = True, ids=None):
    """The notebook of one topic of the registry (an ``nbformat`` NotebookNode, not executed); ``ids``
    restricts it to those claims."""
    import nbformat
    from nbformat import v4

    from gantheory.figures import ANCHORS
    from gantheory.report._notes import prose_unicode
    from gantheory.topics import REGISTRY

    claims = [c for c in REGISTRY.values() if c.topic == topic and (ids is None or c.id in ids)]
    if not claims:
        known = sorted({c.topic for c in REGISTRY.values()})
        raise ValueError(f"no claims in topic {topic!r}; topics: {', '.join(known)}")
    title = _TOPIC_TITLES.get(topic, topic)
    cells = [v4.new_markdown_cell(
        f"# {title}\n\n{len(claims)} claims of gantheory's registry (topic `{topic}`), "
        f"{sum(not c.expected for c in claims)} of them errata: statements the source documents make "
        "and get wrong. Each code cell re-checks its claim with `gantheory.check` and raises if the "
        "verdict is not the expected one, so running the notebook tests what it says."),
        v4.new_code_cell("import gantheory\nfrom IPython.display import Math, display\n\n\ndef recheck(claim_id):\n"
                         "    v = gantheory.check(claim_id)\n"
                         "    print(f\"{v.status} ({v.method}): {v.detail}\")\n"
                         "    for k, step in enumerate(v.steps, 1):  # each result typeset, not SymPy text\n"
                         "        print(f\"{k}. {step['step']}\")\n"
                         "        if step[\"latex\"]:\n"
                         "            display(Math(step[\"latex\"]))\n"
                         "    assert v.as_expected, f\"{claim_id}: {v.status}, expected \" + "
                         "(\"refuted\" if not v.expected else \"proved or checked\")\n"
                         "    return v")]
    for c in claims:
        kind = "**Erratum** (wrong as printed). " if not c.expected else ""
        md = [f"### {prose_unicode(c.title)}", "", f"{kind}Source: {c.source}. Claim `{c.id}`.", "",
              f"$$ {c.latex} $$"]
        if c.correction and c.correction in REGISTRY:
            md += ["", f"Corrected (`{c.correction}`):", "", f"$$ {REGISTRY[c.correction].latex} $$"]
        if c.note:
            md += ["", f"> {prose_unicode(c.note)}"]
        cells.append(v4.new_markdown_cell("\n".join(md)))
        cells.append(v4.new_code_cell(f"recheck({c.id!r});"))
        for name, anchor in ANCHORS.items():
            if anchor == c.id:
                cells.append(v4.new_code_cell(
                    "from IPython.display import Image, display\n\nfrom gantheory import figures\n\n"
                    f"fig = figures.{name}({name + '.png'!r}, quick={quick_figures})\n"
                    "print(fig['caption'])\ndisplay(Image(fig['path']))"))
    nb = v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                               "language": "python"}})
    nbformat.validate(nb)
    return nb


#: the training chapter: (markdown, code) per algorithm; each code cell runs the algorithm once (the quick
#: form of its gallery figure, or the trainer itself), shows the figure drawn from that run and asserts what
#: the theory predicts about it, so executing the chapter tests it
_TRAINING = [
    ("## Algorithm 1 of Goodfellow et al. (2014)\n\n"
     "k = 5 discriminator ascent steps (seed 000's practical loop with N_d = 5), then one generator step, on "
     "minibatches of 64, with data N(1, 0.7^2) that the generator family contains. The theory (Prop. 1 and "
     "Thm. 1 of the paper; claims `disc-bayes-*` and `game-algorithm-1-generator-step`): for every D, "
     "V(D, G) <= -log 4 + 2 JSD, with equality at D* = p_data / (p_data + p_g); at the equilibrium p_g = p_data "
     "and D* = 1/2.",
     "res = figures.train_goodfellow('train_goodfellow.png', quick=True)\nsm = res['summary']\n"
     "print(res['caption'])\ndisplay(Image(res['path']))\n"
     "assert sm['value_below_optimum_at_every_record'], 'V(D, G) exceeded -log 4 + 2 JSD'\n"
     "assert sm['final_d_gap'] < 0.05 and sm['final_jsd'] < 0.02, sm"),
    ("## WGAN with weight clipping (Arjovsky et al. 2017)\n\n"
     "n_critic = 5 critic steps with the weights clipped to [-0.01, 0.01], RMSProp, on two modes. A clipped "
     "quadratic critic w1 x + w2 x^2 sees only the first two moments: the theory predicts that the generator "
     "goes to the data's mean and variance, where W1 is not 0, and that the critic's value never exceeds the "
     "clipped family's optimum (`wass-clipping-lipschitz`).",
     "res = figures.train_wgan('train_wgan.png', quick=True)\nsm = res['summary']\n"
     "print(res['caption'])\ndisplay(Image(res['path']))\n"
     "assert sm['critic_below_clipped_optimum_at_every_record'], 'the critic beat its family optimum'\n"
     "assert abs(sm['final_w1'] - sm['w1_at_target']) < 0.02 and sm['w1_at_target'] > 0.5, sm"),
    ("## f-GAN (Nowozin et al. 2016), reverse KL\n\n"
     "The single-step gradient method with the table's output activation. Fenchel-Young: the critic's "
     "F = E_data T - E_g f*(T) never exceeds D_f(p_data || p_g), with equality at T* = f'(p/q) "
     "(`fgan-reverse-kl-optimal-critic`). Reverse KL's minimizer over the family sits on one mode, but a "
     "quadratic critic makes the game stationary at moment matching too, and the run stops there.",
     "res = figures.train_fgan('train_fgan.png', quick=True)\nsm = res['summary']\n"
     "print(res['caption'])\ndisplay(Image(res['path']))\n"
     "assert sm['variational_below_divergence_at_every_record'], 'F exceeded D_f'\n"
     "assert sm['final']['divergence'] > sm['optimum']['divergence'] + 1, sm\n"
     "assert abs(sm['final']['sigma'] - sm['moment_match']['sigma']) < 0.2, sm"),
    ("## Dualing GANs (Li et al. 2017), linear discriminator\n\n"
     "Each iteration solves the dual max_lambda g(theta, lambda) exactly and takes one ascent step in theta. "
     "Each record also solves the primal min_w f: strong duality (`dual-strong-duality`) says the two values "
     "agree and w* from lambda* is the primal minimizer (`dual-w-star`).",
     "from gantheory.cli.train import _summary\nfrom gantheory.engine._training import TrainingGAN, dualing\n\n"
     "gan = TrainingGAN()\nrun = dualing(gan, steps=200, record_every=50, theta0=(1.0, -0.7))\n"
     "sm = _summary(run, gan)\nprint({k: sm[k] for k in ('max_duality_gap', 'max_w_gap', 'final_w1', "
     "'w1_at_target')})\n"
     "assert sm['max_duality_gap'] < 1e-9 and sm['max_w_gap'] < 1e-6, sm"),
    ("## Dualing GANs, nonlinear discriminator: trust-region steps\n\n"
     "A one-hidden-layer score makes f non-convex in w; each iteration minimizes the score-linearized model "
     "in a trust region, through its dual. The model's value at the step equals the dual's (strong duality "
     "of the convex model), and V(D_w, G) stays below -log 4 + 2 JSD.",
     "res = figures.train_dualing('train_dualing.png', quick=True)\nsm = res['summary']\n"
     "print(res['caption'])\ndisplay(Image(res['path']))\n"
     "assert sm['max_model_duality_gap'] < 1e-9 and sm['max_step_value_above_scipy'] < 1e-9, sm\n"
     "assert sm['value_below_optimum_at_every_record'], sm"),
    ("## Consensus optimization on the parametric WGAN (Mescheder et al. 2017)\n\n"
     "Simultaneous GD on the expected gradients from a perturbed equilibrium. The spectral radius of the "
     "update map's Jacobian (composed from the field's, derived by SymPy) predicts the rate; consensus moves "
     "the field's eigenvalues into the left half-plane (`dyn-consensus-stable-gammas`).",
     "from gantheory.cli.train import _game_summary\nfrom gantheory.engine._game_training import game_dynamics\n\n"
     "one = TrainingGAN(means=(1.0,), stds=(0.7,), weights=(1.0,))\n"
     "run = game_dynamics(one, loss='wgan', reg='consensus', gamma=0.5, h=0.2, steps=3000)\n"
     "sm = _game_summary(run, one)\nprint(sm['predicted_rate'], sm['measured_rate'], sm['verdict'])\n"
     "assert sm['verdict'] == 'converges' and sm['rate_agrees'], sm"),
]


def training_notebook():
    """The training chapter: each algorithm of ``gantheory train`` run once, its figure, and assertions of what
    the theory predicts about that run (an ``nbformat`` NotebookNode, not executed)."""
    import nbformat
    from nbformat import v4

    cells = [v4.new_markdown_cell(
        "# Training algorithms against the theory\n\n"
        "The documents' training algorithms on a small parametric GAN (1-D Gaussian-mixture data, a "
        "location-scale Gaussian generator, logistic discriminators), as `gantheory train` runs them. Each cell "
        "runs one algorithm, shows the figure drawn from that run, and asserts what the theory predicts about "
        "it: running the notebook tests it."),
        v4.new_code_cell("from IPython.display import Image, display\n\nfrom gantheory import figures")]
    for md, code in _TRAINING:
        cells += [v4.new_markdown_cell(md), v4.new_code_cell(code)]
    nb = v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                               "language": "python"}})
    nbformat.validate(nb)
    return nb


def write_notebooks(folder, ids=None, quick_figures: bool = True, training: bool = False) -> list[str]:
    """One ``<topic>.ipynb`` per topic in ``folder``, with every claim or those in ``ids``, and with
    ``training`` the chapter ``training.ipynb`` (:func:`training_notebook`); returns the paths."""
    import nbformat

    from gantheory.topics import REGISTRY

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    order = list(dict.fromkeys(c.topic for c in REGISTRY.values() if ids is None or c.id in ids))
    paths = []
    for topic in order:
        path = folder / f"{topic}.ipynb"
        nbformat.write(topic_notebook(topic, quick_figures, ids), path)
        paths.append(str(path))
    if training:
        path = folder / "training.ipynb"
        nbformat.write(training_notebook(), path)
        paths.append(str(path))
    return paths
