"""Jupyter notebooks of the claims, one per topic (nbformat).

Each claim is a markdown cell (its statement typeset from SymPy, its source, and for an erratum the
corrected statement) followed by a code cell that re-checks it with :func:`gantheory.check` and fails
(an ``AssertionError``) if the verdict is not the expected one; the figures that illustrate a topic's
claims are drawn by code cells after them (:mod:`gantheory.figures`). Executing a notebook is therefore a
test of what it says: ``jupyter nbconvert --execute`` or nbclient, as gantheory's own tests do.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["topic_notebook", "write_notebooks"]

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


def write_notebooks(folder, ids=None, quick_figures: bool = True) -> list[str]:
    """One ``<topic>.ipynb`` per topic in ``folder``, with every claim or those in ``ids``; returns the
    paths."""
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
    return paths
