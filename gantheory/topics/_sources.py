"""The five source documents and their section headings as printed (in order), for traceability.

The package does not ship the documents; it ships what a lecturer needs to find a statement in them:
the file name, the title, and every section heading as it appears (markdown marks and bullets
stripped; repeated headings kept once). A claim's ``source`` is ``"<file> § <heading>[ (detail)]"``;
:func:`section_of` maps it back to the heading. Seed 003 is slide text without markup: its headings
are the slide titles.
"""

from __future__ import annotations

__all__ = ["DOCUMENTS", "section_of", "document_of"]

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
