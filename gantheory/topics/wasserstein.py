"""Wasserstein claims: seed 000 (Kantorovich-Rubinstein, g_w and d_w, the gradient of W) and the
manifold example of seed 002 (Arjovsky et al. 2017, Example 1). No symbolic route exists for W1
between general densities: those are checked on discretized densities against independent solvers;
the manifold example is derived from the definitions for the two degenerate measures.
"""

from __future__ import annotations

import sympy as sp

from gantheory._claim import Claim, Twin
from gantheory.symbolic import p_R, p_r
from gantheory.symbolic._atoms import (
    W1,
    AtPoint,
    BoxMax,
    CriticLossMin,
    E,
    FullColumnRank,
    Grad,
    IsHurwitz,
    IsPD,
    JacobianOf,
    KRDual,
    ManifoldDivergence,
    Minimizers,
    Proj,
    QCValue,
    QuadraticOT,
    R,
    StableSet,
    W1Coupling,
)
from gantheory.topics._statement import Eq, Ne
from gantheory.verify import calculus as VC
from gantheory.verify import general as V
from gantheory.verify import wasserstein as VW

S0 = "000_62b6c109a73221df.txt"
S2 = "002_c2a2977b6273c765.txt"
S4 = "004_c244375ad6f330fe.txt"
theta = sp.Symbol("theta", real=True)
ind = sp.Piecewise((1, Ne(theta, 0)), (0, True))
S = sp.Symbol
n_critic = sp.Symbol("n_critic", integer=True, positive=True)
tc = sp.Symbol("t", integer=True)
cc = sp.Symbol("c", positive=True)
wc = sp.symbols("w_1:4", real=True)
xc = sp.symbols("x_1:4", real=True)
critic = sum(w * x for w, x in zip(wc, xc))  # a linear critic f_w(x) = w . x on R^3
# WGAN-QC (Liu et al. 2019) on the Dirac-GAN: data delta_0, generator delta_theta, critic D_psi(x) = psi x,
# one sample each. The potentials come from the one-point LP (max H_r - H_f s.t. H_r - H_f <= theta^2/2,
# normalised to H_r + H_f = 0 as Liu et al.'s code does); the regulariser is read in the vector form the
# printed norms square (Brenier: grad D(X) = y_sigma(X) - X), the generator loss is -D_psi(G_theta(Z)).
qc_psi = sp.Symbol("psi", real=True)
qc_lam = sp.Symbol("lambda", positive=True)
qc_h = sp.Symbol("h", positive=True)
QC_VARS = sp.Tuple(qc_psi, theta)
QC_ORIGIN = sp.Tuple(0, 0)
# WGAN-QC's critic loss on samples: D's values d_j = D(y_j) at the m points y_j and e_i = D(x_i) at the n points
# x_i are the variables (a critic able to take any values there); the LP's potentials H_j*, H_i* are parameters.
QC_M, QC_N = 2, 3
qc_d = sp.symbols(f"d_1:{QC_M + 1}", real=True)
qc_e = sp.symbols(f"e_1:{QC_N + 1}", real=True)
qc_hy = sp.symbols(f"Hy_1:{QC_M + 1}", real=True)
qc_hx = sp.symbols(f"Hx_1:{QC_N + 1}", real=True)


def _qc_critic_loss(printed: bool, m: int = QC_M, n: int = QC_N):
    """The critic's loss (lambda = 0): as printed, 1/2 ((1/m) sum_j D(y_j) - (1/n) sum_j H_j*)^2 + 1/2 (1/n)
    sum_i (D(x_i) - H_i*)^2 (the sum over j read as applying to both terms of the first bracket); Liu et al.'s,
    1/2 (1/m) sum_j (D(y_j) - H_j*)^2 + 1/2 (1/n) sum_i (D(x_i) - H_i*)^2."""
    d, hy, e, hx = qc_d[:m], qc_hy[:m], qc_e[:n], qc_hx[:n]
    if printed:
        first = sp.Rational(1, 2) * (sp.Add(*d) / m - sp.Add(*hy) / n) ** 2
    else:
        first = sp.Rational(1, 2) * sp.Add(*[(a - b) ** 2 for a, b in zip(d, hy)]) / m
    return first + sp.Rational(1, 2) * sp.Add(*[(a - b) ** 2 for a, b in zip(e, hx)]) / n


def _qc_fit(printed: bool, m: int = QC_M, n: int = QC_N, scale=1):
    return Eq(Minimizers(_qc_critic_loss(printed, m, n), sp.Tuple(*qc_d[:m], *qc_e[:n])),
              sp.FiniteSet(sp.Tuple(*[scale * v for v in (*qc_hy[:m], *qc_hx[:n])])))


def _qc_dirac_field(lam=qc_lam):
    lam = sp.sympify(lam)  # an int lambda must not make lam / 2 a float
    H_r, H_f = sp.symbols("H_r H_f", real=True)
    pot = sp.solve([H_r - H_f - theta**2 / 2, H_r + H_f], [H_r, H_f], dict=True)[0]
    x = sp.Symbol("x", real=True)
    D = sp.Lambda(x, qc_psi * x)
    grad_D = sp.diff(D(x), x).subs(x, theta)
    loss_d = ((D(0) - pot[H_r]) ** 2 / 2 + (D(theta) - pot[H_f]) ** 2 / 2
              + lam / 2 * (grad_D - (0 - theta)) ** 2)
    loss_g = -D(theta)
    return sp.ImmutableMatrix([-sp.diff(loss_d, qc_psi), -sp.diff(loss_g, theta)])  # order (psi, theta)


def _qc_jac(F):
    return AtPoint(JacobianOf(F, QC_VARS), QC_VARS, QC_ORIGIN)


QC_FIELD = _qc_dirac_field()
QC_NEG_JAC = -_qc_jac(QC_FIELD)


def _qc_simgd(lam):
    return _qc_jac(sp.ImmutableMatrix(sp.Matrix(QC_VARS) + qc_h * _qc_dirac_field(lam)))


# the printed form [[M_DD + M_R, M_GD], [0, 0]] at lambda = 1 (M_DD + M_R = lambda, M_GD = lambda as derived):
# the simultaneous step I - h (-grad v') it would give
QC_PRINTED_STEP = sp.ImmutableMatrix(sp.eye(2) - qc_h * sp.Matrix([[1, 1], [0, 0]]))
lip_critic = sp.sqrt(sum(sp.diff(critic, x) ** 2 for x in xc))  # its Lipschitz constant ||grad_x f_w||

# The block structure of -grad v' for WGAN-QC with psi in R^2 and theta in R^2: general blocks with
# symbolic entries. P stands for M_DD + M_R, Q for M_GD; the generator's row is -Q^T.
_P = sp.ImmutableMatrix(2, 2, sp.symbols("p_11 p_12 p_21 p_22", real=True))
_Q = sp.ImmutableMatrix(2, 2, sp.symbols("q_11 q_12 q_21 q_22", real=True))


def _block_field_jacobian(lower_sign=1):
    """grad v' = -[[P, Q], [-Q^T, 0]] (lower_sign = -1 flips the generator's row: a perturbed twin)."""
    neg = sp.BlockMatrix([[_P, _Q], [-lower_sign * _Q.T, sp.zeros(2, 2)]]).as_explicit()
    return sp.ImmutableMatrix(-neg)


CLAIMS = [
    Claim(
        id="wass-kr-duality",
        title="Kantorovich-Rubinstein: W(p_r||p_R) = sup over 1-Lipschitz f of E[f(Y)] - E[f(Y~)]",
        source=f"{S0} § Wasserstein Fundamentals",
        statement=Eq(W1(p_r, p_R), KRDual(p_r, p_R, 1), evaluate=False),
        verifier=VW.kr_duality,
        twins=(Twin("2-Lipschitz", Eq(W1(p_r, p_R), KRDual(p_r, p_R, 2), evaluate=False)),),
        note="Villani 2009, Thm 5.10; checked on 1-D grids: primal by SciPy, dual as an LP over the grid.",
    ),
    Claim(
        id="wass-critic-loss-min",
        title="The WGAN discriminator loss d_w(R, f) = E[f(Y~_R)] - E[f(Y)], minimized over 1-Lipschitz f, is "
        "-W(p_r||p_R): the critic's optimal loss is minus the distance",
        source=f"{S0} § Wasserstein GAN",
        statement=Eq(CriticLossMin(p_r, p_R, 1), -W1(p_r, p_R), evaluate=False),
        verifier=VW.kr_duality,
        twins=(Twin("+W (sign)", Eq(CriticLossMin(p_r, p_R, 1), W1(p_r, p_R), evaluate=False)),
               Twin("over 2-Lipschitz f", Eq(CriticLossMin(p_r, p_R, 2), -W1(p_r, p_R), evaluate=False))),
        note="The minimization is a linear program over Lipschitz functions on the grid (HiGHS), the distance "
        "SciPy's primal. The slide says 'define ... f in Omega_g so that Omega_d^W = {f : ||f||_L <= 1}': the "
        "f in Omega_g is a typo for f in Omega_d^W (Omega_g holds likelihood ratios, positive with mean 1); the "
        "statement here uses Omega_d^W as the next line defines it.",
    ),
    Claim(
        id="wass-generator-gradient",
        title="With f* = argmin d_w(R, f) (the critic), P_o grad_R g_w(R, f*) = P_o grad_R W(p_r||p_R), "
        "where g_w(R, f) = E[-f(Y~_R)] has gradient -p_r f*",
        source=f"{S0} § Wasserstein GAN",
        statement=Eq(Proj(Grad(E(-R * VW.F_W))), Proj(Grad(W1(p_r, p_R))), evaluate=False),
        verifier=VW.wasserstein_gradient,
        twins=(Twin("sign flipped: g_w = E[f(Y~_R)]", Eq(Proj(Grad(E(R * VW.F_W))), Proj(Grad(W1(p_r, p_R))),
                                                              evaluate=False)),
               Twin("g_w = E[-R^2 f*] (not linear in R)", Eq(Proj(Grad(E(-R**2 * VW.F_W))),
                                                                  Proj(Grad(W1(p_r, p_R))), evaluate=False))),
        note="g_w(R, f) = E[-f(Y~_R)] = E_{p_r}[-R f] with Y~_R ~ p_R = R p_r. Holds along tangent directions "
        "(E[delta(Y)] = 0), which is all GLGD uses after P_o. The seed's d_w(R, f) = E[f(Y~_R)] - E[f(Y_R)] is "
        "garbled: the second term is E[f(Y)], Y ~ p_r, so that min_f d_w = -W.",
    ),
    Claim(
        id="manifold-w1",
        title="Manifold example: W1(P_0, P_theta) = |theta|",
        source=f"{S2} § The Manifold Hypothesis",
        statement=Eq(ManifoldDivergence(S("W1"), theta), sp.Abs(theta)),
        verifier=VW.manifold,
        twins=(Twin("theta^2", Eq(ManifoldDivergence(S("W1"), theta), theta**2)),),
    ),
    Claim(
        id="manifold-w1-continuous",
        title="theta -> W1(P_0, P_theta) is continuous at theta = 0: its limit there is W1(P_0, P_0) = 0",
        source=f"{S2} § The Manifold Hypothesis",
        statement=Eq(sp.Limit(ManifoldDivergence(S("W1"), theta), theta, 0, "+-"),
                        ManifoldDivergence(S("W1"), 0)),
        verifier=VW.manifold_calculus,
        twins=(Twin("limit 1", Eq(sp.Limit(ManifoldDivergence(S("W1"), theta), theta, 0, "+-"), 1)),),
    ),
    Claim(
        id="manifold-js-jump",
        title="... while JS jumps: as theta -> 0 it stays log 2, but JS(P_0, P_0) = 0",
        source=f"{S2} § The Manifold Hypothesis",
        statement=Eq(sp.Limit(ManifoldDivergence(S("JS"), theta), theta, 0, "+-"), sp.log(2)),
        verifier=VW.manifold_calculus,
        twins=(Twin("continuous like W1 (limit JS(P_0, P_0))",
                    Eq(sp.Limit(ManifoldDivergence(S("JS"), theta), theta, 0, "+-"),
                          ManifoldDivergence(S("JS"), 0))),),
        note="Both one-sided limits are derived from the definition with theta a positive and a negative "
        "symbol (disjoint supports for every theta != 0); continuity is read as the limit equal to the value "
        "at 0, which is derived at theta = 0.",
    ),
    Claim(
        id="manifold-js-zero-gradient",
        title="The JS gradient is zero: d/dtheta JS(P_0, P_theta) = 0 for every theta != 0",
        source=f"{S4} § 1 Summary (WGANs avoid the vanishing gradient of JS)",
        statement=Eq(sp.Derivative(ManifoldDivergence(S("JS"), theta), theta), 0),
        verifier=VW.manifold_calculus,
        twins=(Twin("the W1 gradient sign(theta)", Eq(sp.Derivative(ManifoldDivergence(S("JS"), theta), theta),
                                                          sp.sign(theta))),),
    ),
    Claim(
        id="manifold-w1-gradient",
        title="... while the W1 gradient is d/dtheta W1(P_0, P_theta) = sign(theta): it points back to theta = 0",
        source=f"{S4} § 1 Summary (WGANs avoid the vanishing gradient of JS)",
        statement=Eq(sp.Derivative(ManifoldDivergence(S("W1"), theta), theta), sp.sign(theta)),
        verifier=VW.manifold_calculus,
        twins=(Twin("zero, like JS", Eq(sp.Derivative(ManifoldDivergence(S("W1"), theta), theta), 0)),
               Twin("-sign(theta) (pointing away)", Eq(sp.Derivative(ManifoldDivergence(S("W1"), theta), theta),
                                                           -sp.sign(theta)))),
        note="Gradient descent on W1 moves theta by -h sign(theta), toward the data at 0; on JS it does not "
        "move at all.",
    ),
    Claim(
        id="manifold-js",
        title="Manifold example: JS(P_0, P_theta) = log 2 * 1{theta != 0}",
        source=f"{S2} § The Manifold Hypothesis",
        statement=Eq(ManifoldDivergence(S("JS"), theta), sp.log(2) * ind),
        verifier=VW.manifold,
        twins=(Twin("log 4 * 1{theta != 0}", Eq(ManifoldDivergence(S("JS"), theta), sp.log(4) * ind)),
               Twin("|theta| log 2", Eq(ManifoldDivergence(S("JS"), theta), sp.log(2) * sp.Abs(theta)))),
        note="JS in nats (log 2 for disjoint supports).",
    ),
    Claim(
        id="manifold-kl",
        title="Manifold example: KL(P_0 || P_theta) = 0 at theta = 0 and +inf otherwise (the convex indicator)",
        source=f"{S2} § The Manifold Hypothesis",
        statement=Eq(ManifoldDivergence(S("KL"), theta), sp.Piecewise((sp.oo, Ne(theta, 0)), (0, True))),
        verifier=VW.manifold,
        twins=(Twin("the 0/1 indicator 1{theta = 0}", Eq(ManifoldDivergence(S("KL"), theta),
                                                            sp.Piecewise((0, Ne(theta, 0)), (1, True)))),),
        note="The slide's I_{0}(theta) is the indicator of convex analysis (0 on {0}, +inf elsewhere); read "
        "as the 0/1 characteristic function it would be wrong, which the twin shows.",
    ),
    Claim(
        id="wass-metric-coupling-definition",
        title="The Wasserstein metric as defined: inf over couplings gamma with marginals p_r, p_R of "
        "E_gamma ||x - y|| -- the transport LP equals W1",
        source=f"{S0} § Wasserstein Metric",
        statement=Eq(W1Coupling(p_r, p_R, 1), W1(p_r, p_R), evaluate=False),
        verifier=VW.coupling_definition,
        twins=(Twin("squared cost ||x - y||^2", Eq(W1Coupling(p_r, p_R, 2), W1(p_r, p_R), evaluate=False)),),
        note="The slide writes both marginal conditions with x as the free variable (p_R(x) = int gamma dx); "
        "read as p_R(y) = int gamma(x, y) dx. Checked on 20-cell grids: the coupling LP by HiGHS, W1 by the CDF "
        "formula (SciPy).",
    ),
    Claim(
        id="wass-qc-lp-as-printed",
        title="WGAN-QC as printed: the LP max (1/m) sum H_j - (1/m) sum H_i s.t. |H_i - H_j| <= ||x_i - y_j||^2/2 "
        "has the quadratic transport cost as its value",
        source=f"{S2} § Regularizing Wasserstein GAN [Liu, 2019]",
        statement=Eq(QCValue(S("lp-absolute")), QuadraticOT(), evaluate=False),
        verifier=VW.qc_transport,
        expected=False,
        correction="wass-qc-lp",
        twins=(Twin("corrected: one-sided constraint H_j - H_i <= c_ij", Eq(QCValue(S("lp-one-sided")),
                                                                               QuadraticOT(), evaluate=False),
                    holds=True),
               Twin("value 0", Eq(QCValue(S("lp-absolute")), 0, evaluate=False))),
        note="The absolute value adds the constraints H_i - H_j <= c_ij, which cut off the optimal potentials: "
        "the value drops below the transport cost. Kantorovich duality (and Liu et al. 2019, eq. 7) has the "
        "one-sided constraint.",
    ),
    Claim(
        id="wass-qc-lp",
        title="WGAN-QC's potentials: with the one-sided constraint H_j - H_i <= ||x_i - y_j||^2/2 the LP's value "
        "is the quadratic transport cost (Kantorovich duality)",
        source=f"{S2} § Regularizing Wasserstein GAN [Liu, 2019] (corrected)",
        statement=Eq(QCValue(S("lp-one-sided")), QuadraticOT(), evaluate=False),
        verifier=VW.qc_transport,
        twins=(Twin("as printed (absolute value)", Eq(QCValue(S("lp-absolute")), QuadraticOT(), evaluate=False)),),
        note="HiGHS for the LP; POT's network simplex and SciPy's assignment solver for the transport cost.",
    ),
    Claim(
        id="wass-qc-assignment",
        title="... and sigma(j) = argmin_i ||x_i - y_j||^2/2 + H_i* - H_j* describes the optimal transport: every "
        "pair (sigma*(j), j) of an optimal matching attains the argmin",
        source=f"{S2} § Regularizing Wasserstein GAN [Liu, 2019] (the assignment sigma)",
        statement=Eq(QCValue(S("matched-gap")), 0, evaluate=False),
        verifier=VW.qc_transport,
        twins=(Twin("any argmin (ties to the lowest index) is an optimal assignment",
                    Eq(QCValue(S("assignment")), QuadraticOT(), evaluate=False)),),
        note="Complementary slackness: c_ij + H_i - H_j >= 0, with equality on the support of an optimal plan. "
        "The converse fails on finite samples: LP potentials are degenerate, several i attain the minimum for "
        "one j, and an argmin chosen among them need not be a bijection (the twin; Liu et al. state sigma for "
        "continuous distributions, where ties have probability 0).",
    ),
    Claim(
        id="wass-qc-critic-loss-as-printed",
        title="WGAN-QC as printed: the critic's loss 1/2 ((1/m) sum D(y_j) - (1/n) H_j*)^2 + 1/2 (1/n) sum (D(x_i) - "
        "H_i*)^2 fits D to the LP's potentials -- its minimizers are D(y_j) = H_j*, D(x_i) = H_i* (m = 2, n = 3)",
        source=f"{S2} § Regularizing Wasserstein GAN [Liu, 2019] (the losses)",
        statement=_qc_fit(printed=True),
        verifier=V.minimizers,
        expected=False,
        correction="wass-qc-critic-loss",
        twins=(Twin("as printed, with as many samples on both sides (m = n = 2)", _qc_fit(printed=True, m=2, n=2)),
               Twin("corrected: 1/2 (1/m) sum_j (D(y_j) - H_j*)^2", _qc_fit(printed=False), holds=True)),
        note="The first bracket, read with its sum over j applied to both terms, matches only the mean of D over "
        "the y_j: the minimizers form an affine set, and for m != n it does not contain D(y_j) = H_j* (the 1/m "
        "and 1/n of the two averages differ). With m = n the potentials are a minimizer but not the only one. "
        "Liu et al. (2019) regress D on the potentials at each sample. The gradient regulariser (lambda > 0) "
        "constrains grad D, not D's values at the samples, and is left out (lambda = 0).",
    ),
    Claim(
        id="wass-qc-critic-loss",
        title="WGAN-QC's critic loss, 1/2 (1/m) sum_j (D(y_j) - H_j*)^2 + 1/2 (1/n) sum_i (D(x_i) - H_i*)^2, is "
        "minimized exactly where D takes the potentials' values at the samples (m = 2, n = 3)",
        source=f"{S2} § Regularizing Wasserstein GAN [Liu, 2019] (the losses, corrected)",
        statement=_qc_fit(printed=False),
        verifier=V.minimizers,
        twins=(Twin("as printed", _qc_fit(printed=True)),
               Twin("D at twice the potentials", _qc_fit(printed=False, scale=2)),
               Twin("the same with m = 3, n = 2", _qc_fit(printed=False, m=3, n=2), holds=True)),
        note="The Hessian is diag(1/m, ..., 1/n) > 0: the loss is strictly convex in D's values at the samples and "
        "its unique minimizer is H*. That D_psi can take these values is the critic's capacity, an assumption. "
        "The generator's loss -(1/n) sum D_psi(G_theta(Z_i)) is the WGAN generator loss on n samples; with "
        "D = H* its gradient moves each G(Z_i) along grad D, toward its matched y_sigma(i) (Brenier).",
    ),
    Claim(
        id="wass-qc-jacobian-generator-row-as-printed",
        title="WGAN-QC as printed: -grad v'(theta*, psi*) = [[M_DD + M_R, M_GD], [0, 0]], i.e. the generator's "
        "row of the Jacobian vanishes -- read on the Dirac-GAN",
        source=f"{S2} § Regularizing Wasserstein GAN [Liu, 2019]",
        statement=Eq(-_qc_jac(sp.ImmutableMatrix([QC_FIELD[1]])), sp.ImmutableMatrix([[0, 0]]), evaluate=False),
        verifier=VC.calculus_identity,
        expected=False,
        correction="wass-qc-dirac-jacobian",
        twins=(Twin("corrected: the generator's row is (-1, 0)", Eq(-_qc_jac(sp.ImmutableMatrix([QC_FIELD[1]])),
                                                                      sp.ImmutableMatrix([[-1, 0]]), evaluate=False),
                    holds=True),
               Twin("sign flipped: (1, 0)", Eq(-_qc_jac(sp.ImmutableMatrix([QC_FIELD[1]])),
                                                  sp.ImmutableMatrix([[1, 0]]), evaluate=False))),
        note="The generator minimises -D_psi(G_theta(Z)), so its field is grad_x D_psi(G_theta(Z)) grad_theta G, "
        "whose derivative in psi, E[grad_theta G^T grad_psi grad_x D], is not zero at the equilibrium (here 1). A "
        "zero row would also give grad v' an eigenvalue 0 and the update operator an eigenvalue 1, which "
        "contradicts the convergence the next slide shows.",
    ),
    Claim(
        id="wass-qc-dirac-jacobian",
        title="WGAN-QC on the Dirac-GAN, derived from its losses: -grad v' at the equilibrium, in the order "
        "(psi, theta), is [[lambda, lambda], [-1, 0]]",
        source=f"{S2} § Regularizing Wasserstein GAN [Liu, 2019] (corrected)",
        statement=Eq(QC_NEG_JAC, sp.ImmutableMatrix([[qc_lam, qc_lam], [-1, 0]]), evaluate=False),
        verifier=VC.calculus_identity,
        twins=(Twin("as printed: generator row zero", Eq(QC_NEG_JAC, sp.ImmutableMatrix([[qc_lam, qc_lam], [0, 0]]),
                                                            evaluate=False)),
               Twin("M_GD = 0 (no psi-theta coupling in the regulariser)",
                    Eq(QC_NEG_JAC, sp.ImmutableMatrix([[qc_lam, 0], [-1, 0]]), evaluate=False))),
        note="The (1, 1) block is M_DD + M_R of the slide: M_DD = 0 here (grad_psi D(0) = 0 at the data point) and "
        "M_R = lambda. The regression terms on H* are O(theta^2) and drop out of the Jacobian. The regulariser as "
        "printed, (||grad D(X)|| - ||y_sigma(X) - X||)^2, is not differentiable at the Dirac-GAN's equilibrium "
        "(in one dimension (|psi| - |theta|)^2); the vector form it squares is used here.",
    ),
    Claim(
        id="wass-qc-block-jacobian-stable",
        title="WGAN-QC's Jacobian in general: if M_DD + M_R > 0 and M_GD has full column rank, every eigenvalue "
        "of grad v' = -[[M_DD + M_R, M_GD], [-M_GD^T, 0]] has a negative real part",
        source=f"{S2} § Regularizing Wasserstein GAN [Liu, 2019] (the general statement)",
        statement=sp.Implies(sp.And(IsPD(_P), FullColumnRank(_Q)), IsHurwitz(_block_field_jacobian())),
        verifier=VC.matrix_logic,
        twins=(Twin("without the rank condition", sp.Implies(IsPD(_P), IsHurwitz(_block_field_jacobian()))),
               Twin("without M_DD + M_R > 0", sp.Implies(FullColumnRank(_Q), IsHurwitz(_block_field_jacobian()))),
               Twin("the generator's row +M_GD^T", sp.Implies(sp.And(IsPD(_P), FullColumnRank(_Q)),
                                                               IsHurwitz(_block_field_jacobian(-1))))),
        note="Mescheder et al. (2018), Lemma G.2, the argument behind Liu et al.'s convergence result: for an "
        "eigenvector (a, b), Re lambda (|a|^2 + |b|^2) = -a* (M_DD + M_R) a, and a = 0 forces M_GD b = 0, so b = 0. "
        "Here psi and theta are in R^2 and the four 2 x 2 blocks have symbolic entries, drawn as random "
        "rationals (so singular M_GD and semidefinite M_DD + M_R occur; eigenvalues on the imaginary axis are "
        "decided exactly by Routh-Hurwitz). The slide prints the generator's row as 0, refuted in "
        "wass-qc-jacobian-generator-row-as-printed. The Dirac-GAN's [[lambda, lambda], [-1, 0]] "
        "(wass-qc-dirac-jacobian) is an instance up to scaling theta by sqrt(lambda): it is similar to "
        "[[lambda, sqrt(lambda)], [-sqrt(lambda), 0]].",
    ),
    *[
        Claim(
            id=f"wass-qc-dirac-simgd-stable-lambda-{lam}",
            title=f"WGAN-QC converges on the Dirac-GAN: simultaneous GD with lambda = {lam} is locally "
            f"convergent exactly for 0 < h < {sp.sstr(bound)}",
            source=f"{S2} § Convergence WGAN-QC in Dirac-GAN",
            statement=Eq(StableSet(_qc_simgd(lam), qc_h, sp.Interval.open(0, sp.oo)), sp.Interval.open(0, bound),
                            evaluate=False),
            verifier=VC.stable_set,
            twins=(Twin(f"0 < h < {sp.sstr(2 * bound)}",
                        Eq(StableSet(_qc_simgd(lam), qc_h, sp.Interval.open(0, sp.oo)),
                              sp.Interval.open(0, 2 * bound), evaluate=False)),
                   Twin("the printed Jacobian (generator row zero): never stable",
                        Eq(StableSet(QC_PRINTED_STEP, qc_h, sp.Interval.open(0, sp.oo)),
                              sp.Interval.open(0, 1), evaluate=False))),
            note="The slide shows the convergence as a figure; this is the statement it illustrates, with the "
            "update operator's exact stable set. For lambda < 4 the eigenvalues of grad v' are complex with "
            "|mu|^2 = lambda, Re mu = -lambda/2 (|1 + h mu|^2 = 1 - h lambda + h^2 lambda); for lambda >= 4 real.",
        )
        for lam, bound in ((1, sp.Integer(1)), (8, 1 - sp.sqrt(2) / 2))
    ],
    Claim(
        id="wass-critic-loop-count-as-printed",
        title="WGAN's practical algorithm as printed: 'for t = 0, ..., n_critic' runs the critic n_critic times "
        "per generator step",
        source=f"{S0} § Method 3: Wasserstein Practical Algorithm",
        statement=Eq(sp.Sum(1, (tc, 0, n_critic)), n_critic, evaluate=False),
        verifier=VC.calculus_identity,
        expected=False,
        correction="wass-critic-loop-count",
        twins=(Twin("corrected: t = 1, ..., n_critic", Eq(sp.Sum(1, (tc, 1, n_critic)), n_critic, evaluate=False),
                    holds=True),
               Twin("n_critic + 2 iterations", Eq(sp.Sum(1, (tc, 0, n_critic)), n_critic + 2, evaluate=False))),
        note="The loop as printed (Arjovsky et al. 2017, Algorithm 1) has n_critic + 1 iterations, one more than "
        "the caption's 'the number of iterations of the critic per generator iteration' (6 with the default 5).",
    ),
    Claim(
        id="wass-critic-loop-count",
        title="... 'for t = 1, ..., n_critic' runs it n_critic times",
        source=f"{S0} § Method 3: Wasserstein Practical Algorithm (corrected)",
        statement=Eq(sp.Sum(1, (tc, 1, n_critic)), n_critic, evaluate=False),
        verifier=VC.calculus_identity,
        twins=(Twin("n_critic - 1", Eq(sp.Sum(1, (tc, 1, n_critic)), n_critic - 1, evaluate=False)),),
    ),
    Claim(
        id="wass-clipping-lipschitz",
        title="Weight clipping to [-c, c] does not impose the 1-Lipschitz condition: a clipped linear critic "
        "w . x on R^3 is at most c sqrt(3)-Lipschitz, and that bound is attained",
        source=f"{S0} § Method 3: Wasserstein Algorithm (clip the discriminator weights)",
        statement=Eq(BoxMax(lip_critic, sp.Tuple(*wc), cc), cc * sp.sqrt(3), evaluate=False),
        verifier=VC.box_max,
        twins=(Twin("1-Lipschitz", Eq(BoxMax(lip_critic, sp.Tuple(*wc), cc), 1, evaluate=False)),
               Twin("c-Lipschitz", Eq(BoxMax(lip_critic, sp.Tuple(*wc), cc), cc, evaluate=False))),
        note="The Lipschitz constant ||grad_x f_w|| = ||w|| is derived from the critic. Clipping gives a "
        "K-Lipschitz family with K depending on c and the architecture, so the critic estimates K W1 up to the "
        "family's expressiveness -- regularization, as the slide suspects, not the 1-Lipschitz constraint.",
    ),
]
