"""Symbolic derivations (SymPy): atoms for the seeds' objects and the reductions that prove things.

Pure functions returning SymPy objects; :mod:`gantheory.formulas` re-exports the named results.
"""

from gantheory.symbolic._atoms import (
    JSD,
    KL,
    ArgMax,
    ArgMin,
    ArgMinOmega,
    BayesDisc,
    D,
    DiscLoss,
    E,
    GenLoss,
    Grad,
    MinOmega,
    Proj,
    R,
    StrictlyConvex,
    ValueFn,
    VirtualCriterion,
    f,
    f_star,
    p_1,
    p_2,
    p_data,
    p_g,
    p_R,
    p_r,
)
from gantheory.symbolic._latex import latex
from gantheory.symbolic._reduce import (
    NotDerivable,
    bayes_discriminator,
    integrand,
    optimal_discriminator,
    pointwise_argmax,
    relative_density,
    virtual_criterion_integrand,
)

__all__ = [
    "JSD", "KL", "ArgMax", "ArgMin", "ArgMinOmega", "BayesDisc", "D", "DiscLoss", "E", "GenLoss",
    "Grad", "MinOmega", "Proj", "R", "StrictlyConvex", "ValueFn", "VirtualCriterion", "f", "f_star",
    "p_1", "p_2", "p_data", "p_g", "p_r", "p_R", "latex", "NotDerivable", "bayes_discriminator",
    "integrand", "optimal_discriminator", "pointwise_argmax", "relative_density",
    "virtual_criterion_integrand",
]
