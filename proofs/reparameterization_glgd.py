"""The likelihood-ratio game of seed 000: f* = 1/(1+R), GLGD, P_o and C(R).

Run: python proofs/reparameterization_glgd.py
"""

import sys

import sympy as sp

from gantheory.report._proof import run_topic
from gantheory.symbolic import R, bayes_discriminator, f

steps = [
    ("d(R, f) pointwise: -log f - R log(1 - f); minimizing in f gives f* =", bayes_discriminator),
    ("grad_R g(R, f*) with f* held fixed: -p_r log f* = p_r *", lambda: -sp.log(bayes_discriminator())),
    ("grad_R C(R), C = E[(1+R) log(1+R)]: p_r *", lambda: sp.diff((1 + R) * sp.log(1 + R), R)),
    ("their difference is p_r * (constant):", lambda: sp.simplify(sp.diff((1 + R) * sp.log(1 + R), R)
                                                                   + sp.log(bayes_discriminator()))),
    ("and P_o p_r = p_r - (E[p_r]/E[p_r]) p_r = 0, so the identity holds after P_o only", lambda: 0),
    ("h(x) = (1+x) log(1+x): h''(x) =", lambda: sp.diff((1 + f) * sp.log(1 + f), f, 2)),
]
sys.exit(run_topic(["reparameterization"], "Reparameterization, alternating minimization and GLGD", steps))
