"""Dirac-GAN and bilinear games (seeds 002, 004): Jacobians and update operators.

Run: python proofs/game_dynamics.py
"""

import sys

from gantheory.report._proof import run_topic
from gantheory.symbolic import _games as G

steps = [
    ("Dirac-GAN field v(theta, psi) = (-dL/dtheta, dL/dpsi), L = f(psi theta) + f(0):",
     lambda: G.field("dirac", "general", "none")),
    ("its Jacobian at the equilibrium:", lambda: G.field_jacobian("dirac", "general", "none")),
    ("with instance noise (expectation over the noise taken exactly):",
     lambda: G.field_jacobian("dirac", "general", "instance-noise")),
    ("with an R1 penalty:", lambda: G.field_jacobian("dirac", "general", "r1")),
    ("alternating GD, n_g = n_d = 1, update Jacobian:",
     lambda: G.update_jacobian(G.field_jacobian("dirac", "general", "none"), "altgd")),
    ("bilinear game, heavy-ball momentum (seed 004 eq. 12):",
     lambda: G.update_jacobian(G.field_jacobian("bilinear", "gan", "none"), "simgd", G.h, momentum=G.beta)),
]
sys.exit(run_topic(["dynamics"], "Game dynamics", steps))
