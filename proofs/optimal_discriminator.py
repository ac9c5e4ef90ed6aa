"""Optimal discriminator, value function, C(G) = -log 4 + 2 JSD (seeds 003 and 000).

Run: python proofs/optimal_discriminator.py   (exit 1 if any outcome is not as expected)
"""

import sys

import sympy as sp

from gantheory.report._proof import run_topic
from gantheory.symbolic import JSD, R, integrand, optimal_discriminator, p_data, p_g, virtual_criterion_integrand

a, b, y = sp.symbols("a b y", positive=True)
phi = a * sp.log(y) + b * sp.log(1 - y)
steps = [
    ("phi(y) = a log y + b log(1 - y); its derivative", lambda: sp.diff(phi, y)),
    ("the root of phi'(y) = 0", lambda: sp.solve(sp.diff(phi, y), y)),
    ("phi''(y), negative for a, b > 0 and 0 < y < 1: a maximum", lambda: sp.simplify(sp.diff(phi, y, 2))),
    ("so pointwise in x, D*(x) =", optimal_discriminator),
    ("C(G) = E_pdata[phi(R)] with R = p_g/p_data; phi(R) = max_D [log D + R log(1 - D)] =",
     virtual_criterion_integrand),
    ("C(G) + log 4 - 2 JSD, as an integrand in R (affine with a + b = 0 means identically 0):",
     lambda: sp.simplify(sp.expand_log(integrand(sp.Symbol("C") * 0 + sp.log(4) - 2 * JSD(p_data, p_g))
                                       + virtual_criterion_integrand(), force=True))),
    ("phi''(R) > 0, so by Jensen C(G) >= phi(1) = -log 4 with equality iff R = 1:",
     lambda: sp.simplify(sp.diff(virtual_criterion_integrand(), R, 2))),
]
sys.exit(run_topic(["discriminator"], "Optimal discriminator and the value function", steps))
