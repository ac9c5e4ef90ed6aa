"""The five source documents and their section headings as printed (in order), for traceability.

The package does not ship the documents; it ships what a lecturer needs to find a statement in them:
the file name, the title, and every section heading as it appears (markdown marks and bullets
stripped; repeated headings kept once). A claim's ``source`` is ``"<file> § <heading>[ (detail)]"``;
:func:`section_of` maps it back to the heading. Seed 003 is slide text without markup: its headings
are the slide titles.
"""

from __future__ import annotations

__all__ = ["DOCUMENTS", "RESTATED", "NO_STATEMENT", "section_of", "document_of"]

DOCUMENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "000_62b6c109a73221df.txt": ("Computing the GAN Equilibrium", (
        "GAN Equilibrium Conditions", "Reparameterize Loss Functions", "Reparameterized Loss Functions",
        "Algorithm 1: Alternating Minimization", "Bayes Discriminator and the Likelihood Ratio",
        "Alternative Approach", "Algorithm 2: Generator Loss Gradient Descent (GLGD)",
        "GLGD Convergence for Non-Saturating GAN", "Extra Stuff", "More Details on GLGD",
        "Some Important Functions", "A Useful Relationships", "Convergence of GANs",
        "Algorithm 2: Practical Algorithm", "Failure Mode: Mode Collapse",
        "Conditional Generative Adversarial Network", "Advanced GAN Methods", "Concept Wasserstein GAN",
        "Wasserstein Metric", "Wasserstein Fundamentals", "Wasserstein GAN",
        "Method 3: Wasserstein Algorithm", "Method 3: Wasserstein Practical Algorithm")),
    "001_6fb4bb27135ac5f1.txt": ("Dualing GANs (Li, Schwing, Wang, Zemel), poster", (
        "Introduction", "GANs with Linear Discriminators", "Properties", "GANs with Non-Linear Discriminators",
        "GAN optimization with model function", "Dualing GANs", "Experiments")),
    "002_c2a2977b6273c765.txt": ("Convergence Analysis of GAN training procedures", (
        "Generative Adversarial Networks", "Theorem (unique Nash-equilibrium [Goodfellow, 2014])",
        "Theorem (sufficient condition for local convergence [Mescheder, 2017])",
        "proposition (sufficient condition for convergence [Mescheder, 2017])", "The Manifold Hypothesis",
        "Definition (Dirac-GAN [Mescheder, 2018])", "Lemma (integral curves do not converge)",
        "Lemma (simultaneous gradient does not converge)", "Lemma (alternating gradient descent does not converge)",
        "a toy data distribution", "Creating convergent procedures", "Lemma", "Wasserstein GAN",
        "Regularizing Wasserstein GAN [Liu, 2019]", "Convergence WGAN-QC in Dirac-GAN")),
    "003_c1c0aa34b0c233a3.txt": ("GAN basics and f-GANs, lecture slides", (
        "Basic Algorithm", "Generative Models", "Big Idea - Analogy", "Big Idea", "Formulation and Value Function",
        "Perspectives on GANs", "Pros and Cons", "Training a GAN", "Alternating Training of D and G",
        "Proof of optimality", "GANs as a NE", "Mixed NE and Minimax", "Unique PNE Existence for the idealized game.",
        "Global optimality", "Relations to VAE", "Alternative Divergence Measures", "So Far...",
        "However in implementation", "Another alternative", "A family of alternatives (f-GAN)",
        "Some divergence measures", "Fenchel (Convex) Dual", "New Optimization",
        "Fenchel Duals for various divergence functions", "f-GAN Summary")),
    "004_c244375ad6f330fe.txt": ("IFT 6085 - Lecture 14: The Numerics of GANs", (
        "1 Summary", "2 Vector fields in optimization", "3 GANs as games", "3.1 Zero-sum games",
        "4 Negative Momentum", "4.1 Momentum", "4.2 Negative Momentum in Games")),
}


D0, D1, D2, D3, D4 = sorted(DOCUMENTS)

#: Sections whose mathematical statements repeat ones registered under another heading (or another
#: document): (document, heading) -> (claim ids, what the section states). ``gantheory sources`` shows
#: them, so a lecturer can follow a slide to the claim that checks it.
RESTATED: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {
    (D0, "Alternative Approach"): (
        ("glgd-grad-projected", "glgd-c-unique-min", "ns-generator-min-value"),
        "L(R) = g(R, f*(R)) with the best discriminator plugged in, minimized over R"),
    (D0, "Algorithm 2: Practical Algorithm"): (
        ("game-minibatch-gradient-unbiased", "game-algorithm-1-generator-step"),
        "N_d minibatch stochastic gradient steps for d, then one for g: with d trained to convergence the step on "
        "g is the gradient of -log 4 + 2 JSD"),
    (D0, "Failure Mode: Mode Collapse"): (
        ("altmin-best-response", "altmin-not-equilibrium"),
        "mode collapse: against a fixed discriminator the generator's best response is a point mass"),
    (D0, "Concept Wasserstein GAN"): (
        ("manifold-js", "manifold-w1", "manifold-js-zero-gradient", "ns-saturating-gradient",
         "ns-nonsaturating-gradient"),
        "non-overlapping distributions: JS is constant (no gradient) while W1 measures the distance; with the "
        "'-log D trick' the generator's gradient does not vanish where D(G(z)) -> 0, while log(1 - D) does"),
    (D1, "Dualing GANs"): (
        ("dual-nonlinear-loss-not-convex", "dual-feature-map-convex", "dual-strong-duality"),
        "the loss f(theta, w) with a score F(w, x): convex for F linear in w, not in general"),
    (D3, "Formulation and Value Function"): (
        ("disc-optimal-d", "value-cg-min-value", "value-cg-jsd"), "the value function V(D, G)"),
    (D3, "Perspectives on GANs"): (
        ("value-cg-jsd",), "training a GAN minimizes the Jensen-Shannon divergence"),
    (D3, "So Far..."): (("value-cg-jsd", "disc-optimal-d"), "C(G) = -log 4 + 2 JSD(p_data || p_g)"),
    (D3, "f-GAN Summary"): (
        ("fgan-kl-optimal-critic", "fgan-gan-optimal-critic", "fgan-standard-gan-objective"),
        "the min-max comes from the Fenchel dual's lower bound, attained at T* = f'(p/q)"),
    (D4, "3 GANs as games"): (
        ("value-pushforward", "disc-optimal-d"),
        "eq. (3): min_G max_D V = E_x[log D(x)] + E_z[log(1 - D(G(z)))], the E_z form of the generator's term"),
    (D4, "1 Summary"): (
        ("manifold-w1", "manifold-js"),
        "WGANs avoid the zero gradient of JS between distributions with mismatched supports"),
    (D4, "4 Negative Momentum"): (
        ("dyn-consensus-eigenvalues", "num-bilinear-altgd-momentum-stable-set"),
        "a regularizer or a momentum shifts the eigenvalues into the unit circle"),
}

#: Sections without a mathematical statement to check: (document, heading) -> what they contain.
NO_STATEMENT: dict[tuple[str, str], str] = {
    (D0, "Extra Stuff"): "a list of the appendix slides",
    (D0, "Conditional Generative Adversarial Network"): "an architecture (the discriminator reads (y, x) pairs)",
    (D0, "Advanced GAN Methods"): "a list of topics",
    (D1, "Experiments"): "measured Inception scores: empirical results, not mathematical statements",
    (D3, "Basic Algorithm"): "a title slide",
    (D3, "Generative Models"): "the three tasks of a generative model (sampling, estimation, likelihood) in words",
    (D3, "Big Idea - Analogy"): "the counterfeiter analogy, in words",
    (D3, "Big Idea"): "the architecture (two multilayer perceptrons), in words",
    (D3, "Pros and Cons"): "qualitative pros and cons",
    (D3, "Alternative Divergence Measures"): "a title slide",
}


def document_of(source: str) -> str | None:
    """The seed file a claim's source names, or None (a paper from the literature)."""
    head = source.split(" § ", 1)[0].strip()
    return head if head in DOCUMENTS else None


def section_of(source: str) -> str | None:
    """The heading as printed that a claim's source names (the longest that its section text starts
    with, so "Proof of optimality (corrected domain)" maps to "Proof of optimality"), or None."""
    doc = document_of(source)
    if doc is None or " § " not in source:
        return None
    text = source.split(" § ", 1)[1].strip().lower()
    best = None
    for heading in DOCUMENTS[doc][1]:
        h = heading.lower()
        if text == h or text.startswith(h + " ") or text.startswith(h + ",") or text.startswith(h + ":"):
            if best is None or len(heading) > len(best):
                best = heading
    return best
