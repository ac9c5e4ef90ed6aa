"""The optimal discriminator and the value function (seeds 003 and 000).

Goodfellow et al. (2014), Prop. 1 and Thm. 1, as printed in seed 003; the reparameterized form of
seed 000 (f*(y) = 1/(1 + R(y)), the equilibrium losses).
"""

from __future__ import annotations

import sympy as sp

from gantheory._claim import Claim, Twin
from gantheory.symbolic import (
    JSD,
    KL,
    ArgMax,
    ArgMin,
    ArgMinOmega,
    BayesDisc,
    D,
    DiscLoss,
    GenLoss,
    MinOmega,
    R,
    ValueFn,
    VirtualCriterion,
    f,
    p_data,
    p_g,
    p_R,
    p_r,
)
from gantheory.symbolic._atoms import Ex, Ez, ImageOver, Posterior
from gantheory.topics._statement import Eq
from gantheory.verify import general as V

S003 = "003_c1c0aa34b0c233a3.txt"
S000 = "000_62b6c109a73221df.txt"
UNIT = sp.Interval.open(0, 1)

a_real, b_real = sp.symbols("a b", real=True)
a, b = sp.symbols("a b", positive=True)
y = sp.Symbol("y", positive=True)
log = sp.log


PRIOR = sp.Symbol("pi_r", positive=True)  # P{Class = real}
_x = sp.Symbol("x", real=True)
_r = sp.Symbol("R", real=True)  # a value of the ratio, its domain given by the statement
_Dfun = sp.Function("D")
_h_real, _h_fake = sp.Lambda(_x, log(_Dfun(_x))), sp.Lambda(_x, log(1 - _Dfun(_x)))
_DATA, _PUSH, _LATENT = sp.Symbol("data"), sp.Symbol("pushforward"), sp.Symbol("latent")  # P{Class = real}, in (0, 1)


def _lemma(p, q):
    return ArgMax(p * log(y) + q * log(1 - y), y, UNIT)


m = (p_data + p_g) / 2
VC = VirtualCriterion(p_data, p_g)

CLAIMS = [
    Claim(
        id="disc-lemma-as-printed",
        title="For any (a, b) in R^2 \\ {0}, a log y + b log(1-y) has its max on [0,1] at a/(a+b)",
        source=f"{S003} § Proof of optimality",
        statement=Eq(_lemma(a_real, b_real), a_real / (a_real + b_real)),
        verifier=V.argmax,
        expected=False,
        correction="disc-lemma",
        twins=(
            Twin("corrected: a, b > 0", Eq(_lemma(a, b), a / (a + b)), holds=True),
            Twin("b/(a+b) for all real a, b", Eq(_lemma(a_real, b_real), b_real / (a_real + b_real))),
        ),
        note="Needs a, b >= 0 (densities), not any real pair: with a = b = -2 the critical point "
        "a/(a+b) = 1/2 is a minimum and the sup is +inf. For a, b > 0 the max is interior; a = 0 or b = 0 puts "
        "it at an end point, where the formula still holds as a limit.",
    ),
    Claim(
        id="disc-lemma",
        title="For a, b > 0, y -> a log y + b log(1-y) has its unique max on (0,1) at a/(a+b)",
        source=f"{S003} § Proof of optimality (corrected domain)",
        statement=Eq(_lemma(a, b), a / (a + b)),
        verifier=V.argmax,
        twins=(
            Twin("swapped: b/(a+b)", Eq(_lemma(a, b), b / (a + b))),
            Twin("wrong sign: a/(a-b)", Eq(_lemma(a, b), a / (a - b))),
        ),
    ),
    Claim(
        id="value-pushforward",
        title="V(D, G) = E_{p_data}[log D(x)] + E_{z ~ p_z}[log(1 - D(G(z)))] = int p_data log D + p_g log(1 - D) dx, "
        "p_g the law of G(z) (the proof's step to a single integral over x)",
        source=f"{S003} § Proof of optimality",
        statement=Eq(Ex(_h_real, _DATA) + Ez(_h_fake), Ex(_h_real, _DATA) + Ex(_h_fake, _PUSH)),
        verifier=V.pushforward,
        twins=(Twin("p_z in place of p_g (G dropped)", Eq(Ex(_h_real, _DATA) + Ez(_h_fake),
                                                              Ex(_h_real, _DATA) + Ex(_h_fake, _LATENT))),
               Twin("log D(x) for the generated samples", Eq(Ex(_h_real, _DATA) + Ez(_h_fake),
                                                                 Ex(_h_real, _DATA) + Ex(_h_real, _PUSH)))),
        note="The slide's V(G, D) = int p_data log D dx + int p_z log(1 - D(g(z))) dz becomes "
        "int [p_data log D + p_g log(1 - D)] dx by the change of variables x = g(z). Checked exactly on discrete "
        "spaces for every map G of 4 latent points onto 3 data points, the masses and D's values symbols; "
        "the maximization over D is then pointwise (disc-optimal-d).",
    ),
    Claim(
        id="disc-optimal-d",
        title="The optimal discriminator is D*(x) = p_data(x) / (p_data(x) + p_g(x))",
        source=f"{S003} § Proof of optimality",
        statement=Eq(ArgMax(ValueFn(p_data, p_g, D), D, UNIT), p_data / (p_data + p_g)),
        verifier=V.argmax,
        twins=(
            Twin("p_g on top", Eq(ArgMax(ValueFn(p_data, p_g, D), D, UNIT), p_g / (p_data + p_g))),
            Twin("p_g doubled in the denominator", Eq(ArgMax(ValueFn(p_data, p_g, D), D, UNIT),
                                                          p_data / (p_data + 2 * p_g))),
        ),
        note="V is maximized over all functions D, hence pointwise in x.",
    ),
    Claim(
        id="disc-bayes-f",
        title="The best discriminator for d(R, f) is f*(y) = 1/(1 + R(y))",
        source=f"{S000} § Bayes Discriminator and the Likelihood Ratio",
        statement=Eq(ArgMin(DiscLoss(R, f), f, UNIT), 1 / (1 + R)),
        verifier=V.argmax,
        twins=(
            Twin("R/(1+R)", Eq(ArgMin(DiscLoss(R, f), f, UNIT), R / (1 + R))),
            Twin("1/(2+R)", Eq(ArgMin(DiscLoss(R, f), f, UNIT), 1 / (2 + R))),
        ),
    ),
    Claim(
        id="disc-bayes-posterior",
        title="The Bayes discriminator is the posterior: f*(y) = P{Class = real | y} = p_r / (p_r + p_R) = "
        "1/(1 + R(y)), for equal priors",
        source=f"{S000} § Bayes Discriminator and the Likelihood Ratio",
        statement=Eq(Posterior(sp.Rational(1, 2), p_r, p_R), 1 / (1 + R)),
        verifier=V.posterior,
        twins=(Twin("any prior: pi p_r / (pi p_r + (1 - pi) p_R)",
                    Eq(Posterior(PRIOR, p_r, p_R), PRIOR / (PRIOR + (1 - PRIOR) * R)), holds=True),
               Twin("the equal-priors caveat dropped (prior pi for the real class)",
                    Eq(Posterior(PRIOR, p_r, p_R), 1 / (1 + R))),
               Twin("R/(1 + R)", Eq(Posterior(sp.Rational(1, 2), p_r, p_R), R / (1 + R)))),
        note="The slide's f* comes from d(R, f), which weights real and generated samples equally: that is "
        "a balanced two-class problem (prior 1/2 each), and only then is argmin_f d(R, f) (disc-bayes-f) the "
        "posterior. With a prior pi for the real class, Bayes' rule gives pi / (pi + (1 - pi) R), e.g. "
        "1/(1 + 2R) for pi = 1/3.",
    ),
    Claim(
        id="disc-bayes-in-omega-d",
        title="The Bayes discriminator maps Omega_g into Omega_d: for R > 0 (as R in Omega_g guarantees), "
        "f* = 1/(1 + R) takes exactly the values (0, 1)",
        source=f"{S000} § Bayes Discriminator and the Likelihood Ratio",
        statement=Eq(ImageOver(sp.Lambda(_r, 1 / (1 + _r)), sp.Interval.open(0, sp.oo)), UNIT, evaluate=False),
        verifier=V.image_over,
        twins=(Twin("2/(1 + R): values up to 2, outside Omega_d",
                    Eq(ImageOver(sp.Lambda(_r, 2 / (1 + _r)), sp.Interval.open(0, sp.oo)), UNIT, evaluate=False)),
               Twin("any real R (R > 0 of Omega_g dropped)",
                    Eq(ImageOver(sp.Lambda(_r, 1 / (1 + _r)), sp.Reals), UNIT, evaluate=False))),
        note="Omega_g = {R > 0, E[R] = 1} and Omega_d = {f : (0, 1)-valued} as the slide defines them: the image "
        "of R > 0 under f* is derived (f* is strictly decreasing, with limits 1 at R -> 0 and 0 at R -> oo), so "
        "f* is an admissible discriminator; for a real R the map has a pole at R = -1.",
    ),
    Claim(
        id="disc-nash-f-half",
        title="At R* = 1 the best discriminator is f* = 1/2",
        source=f"{S000} § GAN Equilibrium Conditions",
        statement=Eq(ArgMin(DiscLoss(1, f), f, UNIT), sp.Rational(1, 2)),
        verifier=V.argmax,
        twins=(Twin("f* = 1/3", Eq(ArgMin(DiscLoss(1, f), f, UNIT), sp.Rational(1, 3))),),
    ),
    Claim(
        id="value-cg-kl",
        title="C(G) = -log 4 + KL(p_data || m) + KL(p_g || m), m = (p_data + p_g)/2",
        source=f"{S003} § Proof of optimality (virtual training criterion)",
        statement=Eq(VC, -log(4) + KL(p_data, m) + KL(p_g, m)),
        verifier=V.expectation_identity,
        twins=(
            Twin("-log 2 instead of -log 4", Eq(VC, -log(2) + KL(p_data, m) + KL(p_g, m))),
            Twin("KL to p_g instead of m", Eq(VC, -log(4) + KL(p_data, p_g) + KL(p_g, m))),
        ),
        note="C(G) is computed by maximizing V over D pointwise (derived), not from the seed's D*.",
    ),
    Claim(
        id="value-cg-jsd",
        title="C(G) = -log 4 + 2 JSD(p_data || p_g)",
        source=f"{S003} § Proof of optimality (virtual training criterion is JSD)",
        statement=Eq(VC, -log(4) + 2 * JSD(p_data, p_g)),
        verifier=V.expectation_identity,
        twins=(
            Twin("factor 2 dropped", Eq(VC, -log(4) + JSD(p_data, p_g))),
            Twin("-log 2 instead of -log 4", Eq(VC, -log(2) + 2 * JSD(p_data, p_g))),
        ),
    ),
    Claim(
        id="value-cg-min-value",
        title="The global minimum of C(G) is -log 4",
        source=f"{S003} § Proof of optimality (Theorem 1)",
        statement=Eq(MinOmega(VC), -log(4)),
        verifier=V.omega_minimum,
        twins=(Twin("-log 2", Eq(MinOmega(VC), -log(2))), Twin("0", Eq(MinOmega(VC), 0))),
    ),
    Claim(
        id="value-cg-min-unique",
        title="C(G) attains its minimum only at p_g = p_data (R = 1)",
        source=f"{S003} § Proof of optimality (Theorem 1)",
        statement=Eq(ArgMinOmega(VC), 1),
        verifier=V.omega_minimum,
        twins=(Twin("R = 2", Eq(ArgMinOmega(VC), 2)),),
        note="Omega_g: ratios R = p_g/p_data > 0 with E[R] = 1; uniqueness from strict convexity.",
    ),
    Claim(
        id="eq-loss-g",
        title="At equilibrium the generator loss is g = log 2",
        source=f"{S000} § Convergence of GANs",
        statement=Eq(GenLoss(1, BayesDisc(1)), log(2)),
        verifier=V.expectation_identity,
        twins=(Twin("2 log 2", Eq(GenLoss(1, BayesDisc(1)), 2 * log(2))),
               Twin("-log 2", Eq(GenLoss(1, BayesDisc(1)), -log(2)))),
    ),
    Claim(
        id="eq-loss-d",
        title="At equilibrium the discriminator loss is d = 2 log 2",
        source=f"{S000} § Convergence of GANs",
        statement=Eq(DiscLoss(1, BayesDisc(1)), 2 * log(2)),
        verifier=V.expectation_identity,
        twins=(Twin("log 2", Eq(DiscLoss(1, BayesDisc(1)), log(2))),),
    ),
    Claim(
        id="ns-generator-minimum",
        title="The non-saturating generator loss at the Bayes discriminator is minimized only at R = 1",
        source=f"{S000} § GAN Equilibrium Conditions (Non-Saturating)",
        statement=Eq(ArgMinOmega(GenLoss(R, BayesDisc(R))), 1),
        verifier=V.omega_minimum,
        twins=(Twin("R = 1/2", Eq(ArgMinOmega(GenLoss(R, BayesDisc(R))), sp.Rational(1, 2))),),
        note="g(R, f*(R)) = E[R log(1 + R)], strictly convex in R.",
    ),
    Claim(
        id="ns-generator-min-value",
        title="... and its minimum value is log 2",
        source=f"{S000} § Convergence of GANs",
        statement=Eq(MinOmega(GenLoss(R, BayesDisc(R))), log(2)),
        verifier=V.omega_minimum,
        twins=(Twin("2 log 2", Eq(MinOmega(GenLoss(R, BayesDisc(R))), 2 * log(2))),),
    ),
]
