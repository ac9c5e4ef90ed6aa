"""GANs as games (seed 003): pure equilibria, the minimax equality over pure and mixed strategies,
the idealized game's unique PNE; seed 002's uniqueness theorem.

Run: python proofs/games.py
"""

import sys

import sympy as sp

from gantheory.report._proof import run_topic
from gantheory.symbolic._atoms import GameValue
from gantheory.topics.games import RPS
from gantheory.verify import calculus as VC

a, b = sp.symbols("a b", positive=True)
D = sp.Symbol("D", positive=True)
steps = [
    ("the discriminator's best response in the idealized game, argmax_D a log D + b log(1 - D):",
     lambda: VC._best_discriminator(sp.Lambda(D, sp.log(D)), sp.Lambda(D, sp.log(1 - D))).expr),
    ("rock-paper-scissors (x minimizes): pure min-max, pure max-min, mixed value (certified LP):",
     lambda: tuple(VC._game_value(GameValue(RPS, sp.Symbol(o), sp.Symbol(k)))[0]
                   for o, k in (("minmax", "pure"), ("maxmin", "pure"), ("minmax", "mixed")))),
]
sys.exit(run_topic(["games"], "GANs as games", steps))
