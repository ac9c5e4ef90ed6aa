"""KL/JSD identities of seeds 000 and 003, with the errata and their corrections.

Run: python proofs/divergence_identities.py
"""

import sys

import sympy as sp

from gantheory.report._proof import run_topic
from gantheory.symbolic import JSD, KL, E, R, integrand, p_1, p_2, p_R, p_r

pbar = (p_R + p_r) / 2
steps = [
    ("KL(p_R || p_r) as E[phi(R)]: phi =", lambda: integrand(KL(p_R, p_r))),
    ("2 KL(pbar || p_r) - E[(1+R) log(1+R)], pointwise (its expectation is -2 log 2, not 0):",
     lambda: sp.simplify(sp.expand_log(integrand(2 * KL(pbar, p_r) - E((1 + R) * sp.log(1 + R))), force=True))),
    ("KL(p_1||p_2) - 2 JSD(p_1||p_2) - 2 KL(pbar||p_2), pointwise:",
     lambda: sp.simplify(sp.expand_log(integrand(KL(p_1, p_2) - 2 * JSD(p_1, p_2) - 2 * KL((p_1 + p_2) / 2, p_2)),
                                       force=True))),
]
sys.exit(run_topic(["divergences"], "Divergence identities (errata included)", steps))
