"""Wasserstein claims: seed 000 (Kantorovich-Rubinstein, g_w and d_w, the gradient of W) and the
manifold example of seed 002 (Arjovsky et al. 2017, Example 1). No symbolic route exists for W1
between general densities: those are checked on discretized densities against independent solvers;
the manifold example is derived from the definitions for the two degenerate measures.
"""

from __future__ import annotations

import sympy as sp

from gantheory._claim import Claim, Twin
from gantheory.symbolic import p_R, p_r
from gantheory.symbolic._atoms import W1, KRDual, ManifoldDivergence
from gantheory.topics import _verify_wasserstein as VW

S0 = "000_62b6c109a73221df.txt"
S2 = "002_c2a2977b6273c765.txt"
theta = sp.Symbol("theta", real=True)
ind = sp.Piecewise((1, sp.Ne(theta, 0)), (0, True))
S = sp.Symbol
GRAD_GW = S("P_o grad_R g_w(R, f*)")

CLAIMS = [
    Claim(
        id="wass-kr-duality",
        title="Kantorovich-Rubinstein: W(p_r||p_R) = sup over 1-Lipschitz f of E[f(Y)] - E[f(Y~)]",
        source=f"{S0} § Wasserstein Fundamentals",
        statement=sp.Eq(W1(p_r, p_R), KRDual(p_r, p_R, 1), evaluate=False),
        verifier=VW.kr_duality,
        twins=(Twin("2-Lipschitz", sp.Eq(W1(p_r, p_R), KRDual(p_r, p_R, 2), evaluate=False)),),
        note="Villani 2009, Thm 5.10; checked on 1-D grids: primal by SciPy, dual as an LP over the grid.",
    ),
    Claim(
        id="wass-generator-gradient",
        title="With f* = argmin d_w(R, f) (the critic), P_o grad_R g_w(R, f*) = P_o grad_R W(p_r||p_R), "
        "where g_w(R, f) = E[-f(Y~_R)] has gradient -p_r f*",
        source=f"{S0} § Wasserstein GAN",
        statement=sp.Eq(GRAD_GW, -1, evaluate=False),
        verifier=VW.wasserstein_gradient,
        twins=(Twin("sign flipped (+p_r f*)", sp.Eq(GRAD_GW, 1, evaluate=False)),),
        note="Holds along tangent directions (E[delta(Y)] = 0), which is all GLGD uses after P_o. The "
        "seed's d_w(R, f) = E[f(Y~_R)] - E[f(Y_R)] is garbled: the second term is E[f(Y)], Y ~ p_r, so "
        "that min_f d_w = -W. The statement encodes the claimed gradient's sign: grad g_w = sign * p_r f*.",
    ),
    Claim(
        id="manifold-w1",
        title="Manifold example: W1(P_0, P_theta) = |theta|",
        source=f"{S2} § The Manifold Hypothesis",
        statement=sp.Eq(ManifoldDivergence(S("W1"), theta), sp.Abs(theta)),
        verifier=VW.manifold,
        twins=(Twin("theta^2", sp.Eq(ManifoldDivergence(S("W1"), theta), theta**2)),),
    ),
    Claim(
        id="manifold-js",
        title="Manifold example: JS(P_0, P_theta) = log 2 * 1{theta != 0}",
        source=f"{S2} § The Manifold Hypothesis",
        statement=sp.Eq(ManifoldDivergence(S("JS"), theta), sp.log(2) * ind),
        verifier=VW.manifold,
        twins=(Twin("log 4 * 1{theta != 0}", sp.Eq(ManifoldDivergence(S("JS"), theta), sp.log(4) * ind)),
               Twin("|theta| log 2", sp.Eq(ManifoldDivergence(S("JS"), theta), sp.log(2) * sp.Abs(theta)))),
        note="JS in nats (log 2 for disjoint supports).",
    ),
    Claim(
        id="manifold-kl",
        title="Manifold example: KL(P_0 || P_theta) = 0 at theta = 0 and +inf otherwise (the convex indicator)",
        source=f"{S2} § The Manifold Hypothesis",
        statement=sp.Eq(ManifoldDivergence(S("KL"), theta), sp.Piecewise((sp.oo, sp.Ne(theta, 0)), (0, True))),
        verifier=VW.manifold,
        twins=(Twin("the 0/1 indicator 1{theta = 0}", sp.Eq(ManifoldDivergence(S("KL"), theta),
                                                            sp.Piecewise((0, sp.Ne(theta, 0)), (1, True)))),),
        note="The slide's I_{0}(theta) is the indicator of convex analysis (0 on {0}, +inf elsewhere); read "
        "as the 0/1 characteristic function it would be wrong, which the twin shows.",
    ),
]
