"""Seed 001 (Li, Schwing, Wang, Zemel, "Dualing GANs", NIPS 2017): the dual of the discriminator's
training problem for a linear discriminator, and the trust-region model steps for nonlinear ones.

The poster's dual is garbled by OCR; it is reconstructed from the derivation (the conjugate of the
logistic loss) and from the poster's own "Properties" line, which has the squared norm.
"""

from __future__ import annotations

import sympy as sp

from gantheory._claim import Claim, Twin
from gantheory.symbolic._atoms import ArgMax, DualingGap, MaxOver, StrictlyConvex
from gantheory.topics import _verify as V
from gantheory.topics import _verify_dualing as VD

S1 = "001_6fb4bb27135ac5f1.txt"
log, exp, sqrt = sp.log, sp.exp, sp.sqrt


class WeightedSum(sp.Function):
    r""":math:`\sum_i \lambda_i x_i` for weights lambda and rows x_i."""

    nargs = 2

    def _latex(self, printer):
        lam, M = self.args
        return rf"\sum_i {{{printer._print(lam)}}}_i {{{printer._print(M)}}}_i"


class SqNorm(sp.Function):
    nargs = 1

    def _latex(self, printer):
        return rf"\left\| {printer._print(self.args[0])} \right\|_2^2"


class EuclidNorm(sp.Function):
    nargs = 1

    def _latex(self, printer):
        return rf"\left\| {printer._print(self.args[0])} \right\|_2"


class EntropySum(sp.Function):
    r""":math:`\sum_i H(q_i)`, H the binary entropy."""

    nargs = 1

    def _latex(self, printer):
        return rf"\sum_i H\left({{{printer._print(self.args[0])}}}_i\right)"


lx, lz, X, Y = sp.symbols("lambda_x lambda_z X G(z)")
C, n = sp.symbols("C n", positive=True)
a = sp.Symbol("a", positive=True)
s_ = sp.Symbol("s", real=True)
q_ = sp.Symbol("q", positive=True)  # q = 2 n lambda
H = -a * log(a) - (1 - a) * log(1 - a)

moment = WeightedSum(lx, X) - WeightedSum(lz, Y)
g_dual = -SqNorm(moment) / (2 * C) + EntropySum(2 * n * lx) / (2 * n) + EntropySum(2 * n * lz) / (2 * n)
ARGS = (lx, lz, X, Y, C, n)

# moment matching, written out for two samples in one dimension
x1, x2, y1, y2 = sp.symbols("x_1 x_2 y_1 y_2", real=True)
m2 = sp.Symbol("m", positive=True)  # n = 2 samples per side

g_vec, Delta = sp.symbols("nabla Delta")
CLAIMS = [
    Claim(
        id="dual-logistic-conjugate",
        title="log(1 + e^{-s}) = max over a in [0, 1] of (-a s + H(a)), H the binary entropy",
        source=f"{S1} § GANs with Linear Discriminators",
        statement=sp.Eq(MaxOver(-a * s_ + H, a, sp.Interval.open(0, 1)), log(1 + exp(-s_))),
        verifier=VD.max_value,
        twins=(Twin("log(1 + e^{s})", sp.Eq(MaxOver(-a * s_ + H, a, sp.Interval.open(0, 1)), log(1 + exp(s_)))),),
        note="This conjugate turns each logistic term into a max over a dual variable; lambda = a/(2n).",
    ),
    Claim(
        id="dual-strong-duality",
        title="min_w f(theta, w) = max over lambda in [0, 1/(2n)] of g(theta, lambda), with "
        "g = -||sum lambda_x x - sum lambda_z G(z)||^2/(2C) + sum H(2n lambda)/(2n)",
        source=f"{S1} § GANs with Linear Discriminators",
        statement=sp.Eq(DualingGap(sp.Lambda(ARGS, g_dual)), 0),
        verifier=VD.dualing_duality,
        twins=(
            Twin("1/C instead of 1/(2C)", sp.Eq(DualingGap(sp.Lambda(ARGS, g_dual - SqNorm(moment) / (2 * C))), 0)),
            Twin("norm not squared (as OCR'd)", sp.Eq(DualingGap(sp.Lambda(
                ARGS, -sp.sqrt(SqNorm(moment)) / (2 * C) + EntropySum(2 * n * lx) / (2 * n)
                + EntropySum(2 * n * lz) / (2 * n))), 0)),
        ),
        note="The loss is convex in w (L2 term plus logistic terms), so strong duality holds; checked by "
        "solving both problems with SciPy on random instances.",
    ),
    Claim(
        id="dual-w-star",
        title="w* = (sum lambda_x* x - sum lambda_z* G(z)) / C from the dual optimum",
        source=f"{S1} § GANs with Linear Discriminators",
        statement=sp.Eq(DualingGap(sp.Lambda(ARGS, g_dual)), moment / C),
        verifier=VD.dualing_duality,
        twins=(Twin("divided by 2C", sp.Eq(DualingGap(sp.Lambda(ARGS, g_dual)), moment / (2 * C))),
               Twin("sign flipped", sp.Eq(DualingGap(sp.Lambda(ARGS, g_dual)), -moment / C))),
    ),
    Claim(
        id="dual-moment-matching",
        title="At lambda = 1/(4n) the quadratic term is the squared distance of the means: moment matching",
        source=f"{S1} § Properties",
        statement=sp.Eq(((x1 + x2) / (4 * m2) - (y1 + y2) / (4 * m2)) ** 2 / (2 * C),
                        ((x1 + x2) / m2 - (y1 + y2) / m2) ** 2 / (32 * C), evaluate=False),
        verifier=VD.algebraic_identity,
        twins=(Twin("factor 1/16 dropped", sp.Eq(((x1 + x2) / (4 * m2) - (y1 + y2) / (4 * m2)) ** 2 / (2 * C),
                                                  ((x1 + x2) / m2 - (y1 + y2) / m2) ** 2 / (2 * C), evaluate=False)),),
        note="Two samples per side in one dimension (x_i, y_i = G(z_i)), weights lambda = 1/(4n); the "
        "mean is sum/n.",
    ),
    Claim(
        id="dual-entropy-midpoint",
        title="The entropy term H(2n lambda)/(2n) pulls each lambda to the middle of [0, 1/(2n)]: "
        "its maximizer in q = 2n lambda is q = 1/2, i.e. lambda = 1/(4n)",
        source=f"{S1} § Properties",
        statement=sp.Eq(ArgMax(H.subs(a, q_) / (2 * n), q_, sp.Interval.open(0, 1)), sp.Rational(1, 2)),
        verifier=V.argmax,
        twins=(Twin("q = 2/3", sp.Eq(ArgMax(H.subs(a, q_) / (2 * n), q_, sp.Interval.open(0, 1)), sp.Rational(2, 3))),),
    ),
    Claim(
        id="dual-cost-linearization-step",
        title="Cost linearization: s* = -sqrt(2 Delta) grad / ||grad|| minimizes grad's over 1/2 ||s||^2 <= Delta",
        source=f"{S1} § GANs with Non-Linear Discriminators (A)",
        statement=sp.Eq(sp.Symbol("s^*"), sp.Lambda((g_vec, Delta), -sqrt(2 * Delta) * g_vec / EuclidNorm(g_vec)),
                        evaluate=False),
        verifier=VD.trust_region_step,
        twins=(Twin("sqrt(Delta) instead of sqrt(2 Delta)", sp.Eq(
            sp.Symbol("s^*"), sp.Lambda((g_vec, Delta), -sqrt(Delta) * g_vec / EuclidNorm(g_vec)), evaluate=False)),
               Twin("+ sign (ascent)", sp.Eq(sp.Symbol("s^*"), sp.Lambda((g_vec, Delta),
                                                                      sqrt(2 * Delta) * g_vec / EuclidNorm(g_vec)),
                                             evaluate=False))),
    ),
    Claim(
        id="dual-score-linearization-convex",
        title="Score linearization: the model C/2 ||w + s||^2 + log(1 + e^{-(F + s b)}) is convex in s",
        source=f"{S1} § GANs with Non-Linear Discriminators (B)",
        statement=StrictlyConvex(C / 2 * (sp.Symbol("w", real=True) + s_) ** 2
                                 + log(1 + exp(-(sp.Symbol("F", real=True) + s_ * sp.Symbol("b", real=True)))),
                                 s_, sp.Reals),
        verifier=V.strict_convexity,
        twins=(Twin("minus the quadratic", StrictlyConvex(-C / 2 * (sp.Symbol("w", real=True) + s_) ** 2
                                                          + log(1 + exp(-(sp.Symbol("F", real=True)
                                                                          + s_ * sp.Symbol("b", real=True)))),
                                                          s_, sp.Reals)),),
        note="One coordinate of s and one sample (the sum over samples and the multivariate case follow: "
        "softplus of an affine map is convex, the L2 term strictly convex).",
    ),
]
