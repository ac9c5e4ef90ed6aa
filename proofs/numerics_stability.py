"""Vector fields, update operators and exact stable step sizes (seed 004; seed 002's operators).

Run: python proofs/numerics_stability.py
"""

import sys

import sympy as sp

from gantheory import stability as S
from gantheory.report._proof import run_topic
from gantheory.symbolic import _games as G
from gantheory.symbolic._stability import stable_set

lam = sp.Symbol("lambda")
steps = [
    ("extragradient on the bilinear game: characteristic polynomial of I + hJ + h^2 J^2:",
     lambda: S.characteristic_polynomial(S.Setup("bilinear", "gan", "none", "extragradient"))),
    ("... the exact set of step sizes with every root strictly inside the unit circle:",
     lambda: stable_set(S.update_matrix(S.Setup("bilinear", "gan", "none", "extragradient")), G.h,
                        sp.Interval.open(0, sp.oo))[0]),
    ("alternating GD with momentum, h = 1/2: the exact set of momenta that converge (negative only):",
     lambda: S.condition(S.Setup("bilinear", "gan", "none", "altgd", momentum=True), "beta",
                         {"h": sp.Rational(1, 2)})["set"]),
    ("alternating GD without momentum: det of the update Jacobian (= 1: never strictly inside):",
     lambda: sp.simplify(S.update_matrix(S.Setup("bilinear", "gan", "none", "altgd")).det())),
]
sys.exit(run_topic(["numerics"], "Vector fields, update operators and stable step sizes", steps))
