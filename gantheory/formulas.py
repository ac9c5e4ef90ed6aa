"""Named results as SymPy objects for lecture notes -- the very statements the prover checks.

>>> from gantheory import formulas
>>> f = formulas.optimal_discriminator
>>> f.source.startswith("003_")
True
>>> print(f.latex)  # doctest: +ELLIPSIS
\\operatorname*{arg\\,max}...
>>> f.verdict().status
'proved'

Every registered claim is available by id (``formulas.get("glgd-c-unique-min")``); the names
below are the ones a lecturer reaches for. ``formulas.fgan_table()`` is the f-GAN table with
conjugates *derived* from the generators.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

__all__ = ["Formula", "get", "names", "fgan_table", "NAMES"]

#: name -> claim id
NAMES = {
    "optimal_discriminator": "disc-optimal-d",
    "bayes_discriminator": "disc-bayes-f",
    "discriminator_lemma": "disc-lemma",
    "virtual_criterion_kl": "value-cg-kl",
    "virtual_criterion_jsd": "value-cg-jsd",
    "virtual_criterion_minimum": "value-cg-min-value",
    "equilibrium_generator_loss": "eq-loss-g",
    "equilibrium_discriminator_loss": "eq-loss-d",
    "change_of_measure": "rep-change-of-measure",
    "projection_idempotent": "glgd-po-idempotent",
    "projection_self_adjoint": "glgd-po-self-adjoint",
    "glgd_gradient": "glgd-grad-projected",
    "arjovsky_bottou": "glgd-arjovsky-bottou",
    "c_of_r_minimizer": "glgd-c-unique-min",
    "c_of_r_minimum": "glgd-c-min-value",
    "c_of_r_kl_form": "div-2kl-mixture",
    "kl_of_ratio": "div-kl-ratio",
    "kl_mixture_identity": "div-kl-mixture",
    "dirac_field_eigenvalues": "dyn-dirac-field-eigenvalues",
    "dirac_simgd_eigenvalues": "dyn-dirac-simgd-eigenvalues",
    "dirac_altgd_eigenvalues": "dyn-dirac-altgd-eigenvalues-1-1",
    "instance_noise_eigenvalues": "dyn-instance-noise-eigenvalues",
    "r1_eigenvalues": "dyn-r1-eigenvalues",
    "consensus_eigenvalues": "dyn-consensus-eigenvalues",
    "lemma8_step_bound": "dyn-lemma8-step-bound",
    "dualing_gan_dual": "dual-strong-duality",
    "dualing_gan_w_star": "dual-w-star",
}


class Formula:
    """A registered claim seen as a formula: ``expr`` (SymPy), ``latex``, ``source``, ``verdict()``."""

    def __init__(self, claim):
        self.claim = claim

    @property
    def id(self) -> str:
        return self.claim.id

    @property
    def expr(self) -> sp.Basic:
        return self.claim.statement

    @property
    def latex(self) -> str:
        return self.claim.latex

    @property
    def source(self) -> str:
        return self.claim.source

    @property
    def title(self) -> str:
        return self.claim.title

    def verdict(self):
        """The claim's verdict (checked once per process, then cached)."""
        return _verdict(self.claim.id)

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {self.latex}$"

    def __repr__(self) -> str:
        return f"Formula({self.claim.id!r}: {self.claim.title})"


@cache
def _verdict(claim_id: str):
    import gantheory

    return gantheory.check(claim_id)


def get(claim_id: str) -> Formula:
    """The formula of any registered claim, by id."""
    from gantheory.topics import REGISTRY

    if claim_id not in REGISTRY:
        raise KeyError(f"no claim with id {claim_id!r}")
    return Formula(REGISTRY[claim_id])


def names() -> list[str]:
    return sorted(NAMES)


def fgan_table():
    """The f-GAN table with conjugates and domains derived from the generators f(u)."""
    from gantheory.topics.fgan import table

    return table()


def __getattr__(name: str) -> Formula:
    if name in NAMES:
        return get(NAMES[name])
    raise AttributeError(f"gantheory.formulas has no formula {name!r}; see formulas.names()")


def __dir__():
    return sorted(list(globals()) + list(NAMES))
