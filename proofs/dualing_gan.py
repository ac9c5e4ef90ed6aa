"""Dualing GANs (seed 001): the dual of the linear discriminator's problem.

Run: python proofs/dualing_gan.py
"""

import sys

import sympy as sp

from gantheory.report._proof import run_topic

a, s = sp.Symbol("a", positive=True), sp.Symbol("s", real=True)
H = -a * sp.log(a) - (1 - a) * sp.log(1 - a)
steps = [
    ("maximize -a s + H(a) over a in (0, 1): a* =", lambda: sp.solve(sp.diff(-a * s + H, a), a)),
    ("value at a*, which is log(1 + e^{-s}):", lambda: sp.simplify((-a * s + H).subs(a, 1 / (1 + sp.exp(s))))),
    ("min over w of C/2 |w|^2 - w.m gives w* = m / C and value -|m|^2/(2C): the dual's quadratic term",
     lambda: sp.solve(sp.diff(sp.Symbol("C") / 2 * sp.Symbol("w") ** 2 - sp.Symbol("w") * sp.Symbol("m"),
                              sp.Symbol("w")), sp.Symbol("w"))),
]
sys.exit(run_topic(["dualing"], "Dualing GANs", steps))
