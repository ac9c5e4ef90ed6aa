"""KL, JSD and their relationships (seed 000 "Extra Stuff", seed 003), errata included."""

from __future__ import annotations

import sympy as sp

from gantheory._claim import Claim, Twin
from gantheory.symbolic import (
    JSD,
    KL,
    ArgMax,
    ArgMin,
    BayesDisc,
    D,
    E,
    R,
    p_1,
    p_2,
    p_data,
    p_g,
    p_R,
    p_r,
)
from gantheory.symbolic._atoms import ArgMaxOmega, ArgMinOmega, Et, GeneratorGrad, Int, ParamGrad
from gantheory.topics._statement import Eq
from gantheory.verify import general as V

S0 = "000_62b6c109a73221df.txt"
S3 = "003_c1c0aa34b0c233a3.txt"
log = sp.log
pbar = (p_R + p_r) / 2
p12 = (p_1 + p_2) / 2
v = sp.Symbol("v", real=True)
sigmoid = 1 / (1 + sp.exp(-v))
UNIT = sp.Interval.open(0, 1)
_Dv = sp.Symbol("D", positive=True)  # the discriminator's value, in a generator loss Lambda(D, loss)

# The proof in "A Useful Relationships", line by line (p_1 absolutely continuous w.r.t. p_2).
_STEPS = [
    KL(p_1, p_2) - 2 * JSD(p_1, p_2),
    KL(p_1, p_2) - KL(p_1, p12) - KL(p_2, p12),
    Int(p_1 * log(p_1 / p_2) - p_1 * log(p_1 / p12) - p_2 * log(p_2 / p12)),
    Int(p_1 * log(p12 / p_2) - p_2 * log(p_2 / p12)),
    Int(-(p_1 + p_2) * log(p_2 / p12)),
    2 * Int(-p12 * log(p_2 / p12)),
    2 * KL(p12, p_2),
]
_WRONG_STEPS = [  # one perturbed twin per step: a flipped sign or a dropped factor
    KL(p_1, p_2) - KL(p_1, p12) + KL(p_2, p12),
    Int(p_1 * log(p_1 / p_2) - p_1 * log(p_1 / p12) + p_2 * log(p_2 / p12)),
    Int(p_1 * log(p12 / p_2) + p_2 * log(p_2 / p12)),
    Int(-(p_1 - p_2) * log(p_2 / p12)),
    Int(-p12 * log(p_2 / p12)),
    2 * KL(p_2, p12),
]

delta_g = sp.Symbol("delta", positive=True)  # p_g - p_data > 0 at a point

CLAIMS = [
    Claim(
        id="div-kl-definition",
        title="KL(p_a||p_b) = int -p_a log(p_b/p_a) dx = E_a[-log p_b + log p_a]",
        source=f"{S0} § Some Important Functions",
        statement=Eq(KL(p_1, p_2), Int(-p_1 * log(p_2 / p_1))),
        verifier=V.expectation_identity,
        twins=(Twin("arguments swapped in the integrand", Eq(KL(p_1, p_2), Int(-p_2 * log(p_1 / p_2)))),
               Twin("sign dropped", Eq(KL(p_1, p_2), Int(p_1 * log(p_2 / p_1))))),
        note="KL is computed numerically with scipy.special.rel_entr, the integral from its integrand.",
    ),
    Claim(
        id="div-jsd-definition",
        title="JSD(p_a||p_b) = KL(p_a||pbar)/2 + KL(p_b||pbar)/2, pbar = (p_a + p_b)/2",
        source=f"{S0} § Some Important Functions",
        statement=Eq(JSD(p_1, p_2), KL(p_1, p12) / 2 + KL(p_2, p12) / 2),
        verifier=V.expectation_identity,
        twins=(Twin("KL to p_b instead of pbar", Eq(JSD(p_1, p_2), KL(p_1, p_2) / 2 + KL(p_2, p12) / 2)),),
        note="The numeric JSD is SciPy's jensenshannon squared (nats), an independent implementation.",
    ),
    Claim(
        id="div-kl-ratio-as-printed",
        title="KL(p_R||p_r) = E[-log R(Y~)] = E[-R(Y) log R(Y)]",
        source=f"{S0} § A Useful Relationships",
        statement=Eq(KL(p_R, p_r), E(-R * log(R))),
        verifier=V.expectation_identity,
        expected=False,
        correction="div-kl-ratio",
        twins=(Twin("corrected sign", Eq(KL(p_R, p_r), E(R * log(R))), holds=True),
               Twin("R dropped", Eq(KL(p_R, p_r), E(-log(R))))),
        note="Sign error: KL(p_R||p_r) = E[log R(Y~)] >= 0, while E[-R log R] <= 0 by Jensen. "
        "(E[-log R(Y)] = KL(p_r||p_R) is the reverse divergence.)",
    ),
    Claim(
        id="div-kl-ratio",
        title="KL(p_R||p_r) = E[log R(Y~)] = E[R(Y) log R(Y)]",
        source=f"{S0} § A Useful Relationships (corrected sign)",
        statement=Eq(KL(p_R, p_r), E(R * log(R))),
        verifier=V.expectation_identity,
        twins=(Twin("printed sign", Eq(KL(p_R, p_r), E(-R * log(R)))),
               Twin("reverse KL", Eq(KL(p_R, p_r), E(-log(R))))),
    ),
    Claim(
        id="div-kl-ratio-tilde",
        title="E[log R(Y~)] = E[R(Y) log R(Y)] (the change of measure in that line is right)",
        source=f"{S0} § A Useful Relationships",
        statement=Eq(Et(log(R)), E(R * log(R))),
        verifier=V.expectation_identity,
        twins=(Twin("R dropped", Eq(Et(log(R)), E(log(R)))),),
    ),
    Claim(
        id="div-2kl-mixture-as-printed",
        title="2 KL((p_R + p_r)/2 || p_r) = E[(1 + R(Y)) log(1 + R(Y))]",
        source=f"{S0} § A Useful Relationships",
        statement=Eq(2 * KL(pbar, p_r), E((1 + R) * log(1 + R))),
        verifier=V.expectation_identity,
        expected=False,
        correction="div-2kl-mixture",
        twins=(Twin("corrected: minus 2 log 2", Eq(2 * KL(pbar, p_r), E((1 + R) * log(1 + R)) - 2 * log(2)),
                    holds=True),
               Twin("factor 2 dropped", Eq(KL(pbar, p_r), E((1 + R) * log(1 + R))))),
        note="Missing constant: 2 KL(pbar||p_r) = E[(1+R) log((1+R)/2)] = E[(1+R) log(1+R)] - 2 log 2.",
    ),
    Claim(
        id="div-2kl-mixture",
        title="2 KL((p_R + p_r)/2 || p_r) = E[(1 + R) log(1 + R)] - 2 log 2",
        source=f"{S0} § A Useful Relationships (corrected constant)",
        statement=Eq(2 * KL(pbar, p_r), E((1 + R) * log(1 + R)) - 2 * log(2)),
        verifier=V.expectation_identity,
        twins=(Twin("printed (no constant)", Eq(2 * KL(pbar, p_r), E((1 + R) * log(1 + R)))),
               Twin("- log 2", Eq(2 * KL(pbar, p_r), E((1 + R) * log(1 + R)) - log(2)))),
    ),
    Claim(
        id="div-kl-mixture-as-printed",
        title="KL(pbar||p_2) = KL(p_1||p_2) - 2 JSD(p_1||p_2), pbar = (p_1 + p_2)/2",
        source=f"{S0} § A Useful Relationships",
        statement=Eq(KL(p12, p_2), KL(p_1, p_2) - 2 * JSD(p_1, p_2)),
        verifier=V.expectation_identity,
        expected=False,
        correction="div-kl-mixture",
        twins=(Twin("corrected: 2 KL(pbar||p_2)", Eq(2 * KL(p12, p_2), KL(p_1, p_2) - 2 * JSD(p_1, p_2)),
                    holds=True),
               Twin("JSD with factor 1", Eq(KL(p12, p_2), KL(p_1, p_2) - JSD(p_1, p_2)))),
        note="Dropped factor 2: the slide's own proof ends in 2 KL(pbar||p_2).",
    ),
    Claim(
        id="div-kl-mixture",
        title="2 KL(pbar||p_2) = KL(p_1||p_2) - 2 JSD(p_1||p_2)",
        source=f"{S0} § A Useful Relationships (corrected factor)",
        statement=Eq(2 * KL(p12, p_2), KL(p_1, p_2) - 2 * JSD(p_1, p_2)),
        verifier=V.expectation_identity,
        twins=(Twin("printed (factor 1)", Eq(KL(p12, p_2), KL(p_1, p_2) - 2 * JSD(p_1, p_2))),
               Twin("+ 2 JSD", Eq(2 * KL(p12, p_2), KL(p_1, p_2) + 2 * JSD(p_1, p_2)))),
    ),
    *[
        Claim(
            id=f"div-kl-mixture-proof-step-{k + 1}",
            title=f"Proof of the mixture identity, step {k + 1}",
            source=f"{S0} § A Useful Relationships (Proof)",
            statement=Eq(_STEPS[k], _STEPS[k + 1]),
            verifier=V.expectation_identity,
            twins=(Twin("perturbed step", Eq(_STEPS[k], _WRONG_STEPS[k])),),
        )
        for k in range(len(_STEPS) - 1)
    ],
    Claim(
        id="div-kl-qp-route",
        title="KL(Q||P) = E_Q[log((1 - D*(x)) / D*(x))] with D* = P/(P + Q)",
        source=f"{S3} § Another alternative",
        statement=Eq(KL(p_g, p_data), Et(log((1 - BayesDisc(R)) / BayesDisc(R)))),
        verifier=V.expectation_identity,
        twins=(Twin("KL(P||Q) instead", Eq(KL(p_data, p_g), Et(log((1 - BayesDisc(R)) / BayesDisc(R))))),
               Twin("D/(1 - D)", Eq(KL(p_g, p_data), Et(log(BayesDisc(R) / (1 - BayesDisc(R))))))),
        note="Q = p_g (generated), P = p_data; D*(x) = P/(P+Q) is the derived optimal discriminator.",
    ),
    Claim(
        id="div-generator-max-js-as-printed",
        title="At the equilibrium D = p_r/(p_g + p_r), G is maximizing JS(r||g)",
        source=f"{S3} § Global optimality",
        statement=Eq(ArgMaxOmega(JSD(p_data, p_g)), 1),
        verifier=V.omega_minimum,
        expected=False,
        correction="div-generator-min-js",
        twins=(Twin("corrected: minimizing", Eq(ArgMinOmega(JSD(p_data, p_g)), 1), holds=True),
               Twin("maximizer R = 2", Eq(ArgMaxOmega(JSD(p_data, p_g)), 2))),
        note="p_g = p_data (R = 1) is the unique *minimizer* of JS; JS has no maximizer in Omega_g.",
    ),
    Claim(
        id="div-generator-min-js",
        title="The generator's equilibrium p_g = p_data is the unique minimizer of JS(p_data||p_g)",
        source=f"{S3} § Global optimality (corrected: minimizing)",
        statement=Eq(ArgMinOmega(JSD(p_data, p_g)), 1),
        verifier=V.omega_minimum,
        twins=(Twin("R = 1/2", Eq(ArgMinOmega(JSD(p_data, p_g)), sp.Rational(1, 2))),),
    ),
    Claim(
        id="div-generator-gradient-jsd",
        title="Training a GAN minimizes JSD -- in gradient form: against the optimal D held fixed, the "
        "generator's gradient E_z[grad_theta log(1 - D*(G_theta(z)))] is grad_theta 2 JSD(p_theta||p_data)",
        source=f"{S3} § Perspectives on GANs",
        statement=Eq(GeneratorGrad(sp.Lambda(_Dv, log(1 - _Dv)), sp.true), ParamGrad(2 * JSD(p_R, p_r))),
        verifier=V.parametric_gradient,
        twins=(Twin("the non-saturating generator -log D* follows 2 JSD too (the caveat dropped)",
                    Eq(GeneratorGrad(sp.Lambda(_Dv, -log(_Dv)), sp.true), ParamGrad(2 * JSD(p_R, p_r)))),
               Twin("JSD with factor 1", Eq(GeneratorGrad(sp.Lambda(_Dv, log(1 - _Dv)), sp.true),
                                              ParamGrad(JSD(p_R, p_r))))),
        note="Along the softmax family on 3 points (p_theta plays p_g, p_r plays p_data). The slogan needs two "
        "caveats: the discriminator must be optimal (V(D*, G) = -log 4 + 2 JSD), and the generator must "
        "minimize log(1 - D) as in V. The non-saturating generator used in practice follows "
        "KL - 2 JSD instead (glgd-arjovsky-bottou-theta).",
    ),
    Claim(
        id="div-kl-game-discriminator",
        title="With payoffs r(D) = D - 1 and g(D) = -log D, the optimal discriminator is D = p_g/p_r",
        source=f"{S3} § Global optimality",
        statement=Eq(ArgMin(E(D - 1) + Et(-log(D)), D, sp.Interval.open(0, sp.oo)), p_g / p_data),
        verifier=V.argmax,
        twins=(Twin("p_r/p_g", Eq(ArgMin(E(D - 1) + Et(-log(D)), D, sp.Interval.open(0, sp.oo)), p_data / p_g)),),
        note="D = p_g/p_r *minimizes* E_r[D - 1] + E_g[-log D] (the objective is convex in D).",
    ),
    Claim(
        id="div-kl-game-value",
        title="... and the value there is -KL(g||r)",
        source=f"{S3} § Global optimality",
        statement=Eq(E(R - 1) + Et(-log(R)), -KL(p_g, p_data)),
        verifier=V.expectation_identity,
        twins=(Twin("reverse KL", Eq(E(R - 1) + Et(-log(R)), -KL(p_data, p_g))),),
    ),
    Claim(
        id="div-generator-max-kl-as-printed",
        title="... and G is maximizing KL(g||r)",
        source=f"{S3} § Global optimality",
        statement=Eq(ArgMaxOmega(KL(p_g, p_data)), 1),
        verifier=V.omega_minimum,
        expected=False,
        correction="div-generator-min-kl",
        twins=(Twin("corrected: minimizing", Eq(ArgMinOmega(KL(p_g, p_data)), 1), holds=True),
               Twin("maximizer R = 3", Eq(ArgMaxOmega(KL(p_g, p_data)), 3))),
    ),
    Claim(
        id="div-generator-min-kl",
        title="p_g = p_r is the unique minimizer of KL(g||r) over the generator",
        source=f"{S3} § Global optimality (corrected: minimizing)",
        statement=Eq(ArgMinOmega(KL(p_g, p_data)), 1),
        verifier=V.omega_minimum,
        twins=(Twin("R = 2", Eq(ArgMinOmega(KL(p_g, p_data)), 2)),),
    ),
    Claim(
        id="ns-minimax-as-printed",
        title="The non-saturating GAN is min_G max_D E[log D(x)] - E[log D(G(z))] "
        "(with the usual optimal D = p_data/(p_data + p_g))",
        source=f"{S3} § However in implementation",
        statement=Eq(ArgMax(E(log(D)) + Et(-log(D)), D, UNIT), p_data / (p_data + p_g)),
        verifier=V.argmax,
        expected=False,
        correction="disc-optimal-d",
        twins=(Twin("corrected: D keeps the objective V", Eq(ArgMax(E(log(D)) + Et(log(1 - D)), D, UNIT),
                                                                 p_data / (p_data + p_g)), holds=True),
               Twin("optimal D = 1/2", Eq(ArgMax(E(log(D)) + Et(-log(D)), D, UNIT), sp.Rational(1, 2)))),
        note="As one minimax objective, D maximizes (p_data - p_g) log D pointwise: no interior "
        "optimum (D -> 1 where p_data > p_g, D -> 0 elsewhere). The non-saturating trick changes "
        "only the generator's loss; the discriminator keeps maximizing V.",
    ),
    Claim(
        id="ns-minimax-inner-sup-infinite",
        title="... the inner max of that objective is +inf: wherever p_g(x) > p_data(x), the pointwise objective "
        "(p_data - p_g) log D grows without bound as D -> 0",
        source=f"{S3} § However in implementation",
        statement=Eq(sp.Limit((p_data - (p_data + delta_g)) * log(D), D, 0, "+"), sp.oo),
        verifier=V.limit_value,
        twins=(Twin("bounded: limit 0", Eq(sp.Limit((p_data - (p_data + delta_g)) * log(D), D, 0, "+"), 0)),
               Twin("where p_g < p_data", Eq(sp.Limit((p_data + delta_g - p_data) * log(D), D, 0, "+"), sp.oo))),
        note="p_g = p_data + delta with delta > 0 at the point. Since both densities integrate to 1, p_g > p_data "
        "somewhere unless p_g = p_data, so max_D of the printed objective is +inf for every other generator: "
        "the min over G of +inf is no objective at all.",
    ),
    Claim(
        id="ns-saturating-gradient",
        title="When D(G(z)) -> 0, the gradient of log(1 - D(G(z))) in the logit vanishes",
        source=f"{S3} § Alternating Training of D and G",
        statement=Eq(sp.Limit(sp.diff(log(1 - sigmoid), v), v, -sp.oo), 0),
        verifier=V.limit_value,
        twins=(Twin("limit -1", Eq(sp.Limit(sp.diff(log(1 - sigmoid), v), v, -sp.oo), -1)),),
    ),
    Claim(
        id="ns-nonsaturating-gradient",
        title="... while the gradient of log D(G(z)) in the logit tends to 1 (does not saturate)",
        source=f"{S3} § Alternating Training of D and G",
        statement=Eq(sp.Limit(sp.diff(log(sigmoid), v), v, -sp.oo), 1),
        verifier=V.limit_value,
        twins=(Twin("limit 0", Eq(sp.Limit(sp.diff(log(sigmoid), v), v, -sp.oo), 0)),),
    ),
]
