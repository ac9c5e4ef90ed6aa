"""GANs as games (seed 003 §§ GANs as a NE, Mixed NE and Minimax, Unique PNE, Training a GAN,
Relations to VAE; seed 002's uniqueness theorem).

Matrix games are solved exactly: pure equilibria by checking every unilateral deviation, pure
min-max values by enumeration, mixed values by both players' linear programs (HiGHS) certified with
exact rational bounds. The idealized GAN game is checked on discrete distributions.
"""

from __future__ import annotations

import sympy as sp

from gantheory._claim import Claim, Twin
from gantheory.symbolic._atoms import (
    JSD,
    KL,
    AlgorithmOneStep,
    FamilyGrad,
    GameValue,
    IdealizedPNE,
    JacobianOf,
    PureNash,
    StableSet,
    p_data,
    p_g,
)
from gantheory.topics._statement import Eq
from gantheory.verify import calculus as VC
from gantheory.verify import general as V

S2 = "002_c2a2977b6273c765.txt"
S3 = "003_c1c0aa34b0c233a3.txt"
S = sp.Symbol
Mx = sp.ImmutableMatrix
half = sp.Rational(1, 2)



# "Choosing sides" and the Cooperate/Defect table of the slide (payoffs (row, column), both maximize)
LR = sp.Tuple(S("Left"), S("Right"))
SIDES_A = Mx([[10, 0], [0, 10]])
CD = sp.Tuple(S("Cooperate"), S("Defect"))
CD_A, CD_B = Mx([[1, 0], [2, 0]]), Mx([[1, 2], [0, 0]])
# Rock-paper-scissors: the row player x minimizes M, the column player y maximizes it
RPS_LABELS = sp.Tuple(S("Rock"), S("Paper"), S("Scissors"))
RPS = Mx([[0, 1, -1], [-1, 0, 1], [1, -1, 0]])
SADDLE = Mx([[2, 1], [3, 4]])  # a zero-sum game whose pure min-max and max-min agree (value 2)
R2, C2 = sp.Tuple(S("x_1"), S("x_2")), sp.Tuple(S("y_1"), S("y_2"))


def _alg1(loss="gan", k=sp.oo, J=None):
    """Algorithm 1's generator gradient after k discriminator steps (h = 1/2) against grad J (default C(G))."""
    J = -sp.log(4) + 2 * JSD(p_data, p_g) if J is None else J
    return Eq(AlgorithmOneStep(S(loss), k, half), FamilyGrad(J))


def pure(M, order):
    return GameValue(M, S(order), S("pure"))


def mixed(M, order):
    return GameValue(M, S(order), S("mixed"))


Dv = sp.Symbol("D", positive=True)
GAN_PAYOFFS = (sp.Lambda(Dv, sp.log(Dv)), sp.Lambda(Dv, sp.log(1 - Dv)))
#: seed 003's KL game, in the maximizing discriminator's convention (the slide minimizes D - 1 and -log D)
KL_PAYOFFS = (sp.Lambda(Dv, 1 - Dv), sp.Lambda(Dv, sp.log(Dv)))

# seed 003's single-step gradient method (f-GAN Algorithm 1) on F(theta, w) = theta w + mu theta^2/2 - mu w^2/2
eta = sp.Symbol("eta", positive=True)
th, w = sp.symbols("theta w", real=True)


def single_step_map(mu):
    F = th * w + mu * th**2 / 2 - mu * w**2 / 2
    return Mx([th - eta * sp.diff(F, th), w + eta * sp.diff(F, w)])


def single_step_jac(mu):
    from gantheory.symbolic._atoms import AtPoint

    return AtPoint(JacobianOf(single_step_map(mu), sp.Tuple(th, w)), sp.Tuple(th, w), sp.Tuple(0, 0))


# Goodfellow's minibatch step: the expected minibatch gradient (m = 2, drawn with replacement from a
# three-point data distribution) against the gradient of the expectation
wd = sp.Symbol("w", real=True)
xs = sp.symbols("x_1:4", real=True)
ps = sp.symbols("p_1:4", positive=True)


def _logD(x):
    return -sp.log(1 + sp.exp(-wd * x))


def minibatch_gradient(m_div=2):
    terms = [ps[i] * ps[j] * sp.Derivative((_logD(xs[i]) + _logD(xs[j])) / m_div, wd)
             for i in range(3) for j in range(3)]
    return sp.Add(*terms) / (sum(ps) ** 2)


full_gradient = sp.Derivative(sum(p * _logD(x) for p, x in zip(ps, xs)) / sum(ps), wd)

# seed 003 § Relations to VAE: log p(x) - ELBO(q) = KL(q || p(z | x)) on a two-state latent z
pa, pb, s = sp.symbols("a b s", positive=True)  # p(x, z=1) = a, p(x, z=2) = b; q = (s, 1)/(1 + s)
q1, q2 = s / (1 + s), 1 / (1 + s)
elbo = q1 * sp.log(pa / q1) + q2 * sp.log(pb / q2)
post1, post2 = pa / (pa + pb), pb / (pa + pb)
kl_q_post = q1 * sp.log(q1 / post1) + q2 * sp.log(q2 / post2)
kl_post_q = post1 * sp.log(post1 / q1) + post2 * sp.log(post2 / q2)

CLAIMS = [
    Claim(
        id="game-choosing-sides-pne",
        title="Choosing sides (payoff 10 each when both pick the same side, 0 otherwise): two pure Nash "
        "equilibria, (Left, Left) and (Right, Right)",
        source=f"{S3} § GANs as a NE (Fig. 2)",
        statement=Eq(PureNash(SIDES_A, SIDES_A, LR, LR),
                     sp.FiniteSet(sp.Tuple(S("Left"), S("Left")), sp.Tuple(S("Right"), S("Right")))),
        verifier=VC.pure_nash,
        twins=(Twin("only (Left, Left)", Eq(PureNash(SIDES_A, SIDES_A, LR, LR),
                                            sp.FiniteSet(sp.Tuple(S("Left"), S("Left"))))),
               Twin("also (Left, Right)", Eq(PureNash(SIDES_A, SIDES_A, LR, LR),
                                             sp.FiniteSet(sp.Tuple(S("Left"), S("Left")),
                                                          sp.Tuple(S("Right"), S("Right")),
                                                          sp.Tuple(S("Left"), S("Right")))))),
    ),
    Claim(
        id="game-cooperate-defect-pne",
        title="The Cooperate/Defect table ((1,1) (0,2) / (2,0) (0,0)): its pure Nash equilibria are "
        "(Cooperate, Defect), (Defect, Cooperate) and, weakly, (Defect, Defect)",
        source=f"{S3} § GANs as a NE",
        statement=Eq(PureNash(CD_A, CD_B, CD, CD),
                     sp.FiniteSet(sp.Tuple(S("Cooperate"), S("Defect")), sp.Tuple(S("Defect"), S("Cooperate")),
                                  sp.Tuple(S("Defect"), S("Defect")))),
        verifier=VC.pure_nash,
        twins=(Twin("(Cooperate, Cooperate) too", Eq(PureNash(CD_A, CD_B, CD, CD),
                    sp.FiniteSet(sp.Tuple(S("Cooperate"), S("Defect")), sp.Tuple(S("Defect"), S("Cooperate")),
                                 sp.Tuple(S("Defect"), S("Defect")), sp.Tuple(S("Cooperate"), S("Cooperate"))))),
               Twin("only the two asymmetric ones", Eq(PureNash(CD_A, CD_B, CD, CD),
                    sp.FiniteSet(sp.Tuple(S("Cooperate"), S("Defect")), sp.Tuple(S("Defect"), S("Cooperate")))))),
        note="Payoffs read from the slide's table as (row, column): Cooperate row (1, 1), (0, 2); Defect row "
        "(2, 0), (0, 0). At (Defect, Defect) a deviation to Cooperate pays 0 as well: an equilibrium in the "
        "slide's sense (no player wants to change), not a strict one. (Cooperate, Cooperate) is none: each "
        "player gains 1 by defecting.",
    ),
    Claim(
        id="game-minimax-pure-as-printed",
        title="As printed: a two-player zero-sum game has min_x max_y f(x, y) = max_y min_x f(x, y) -- read over "
        "the players' actions, on the slide's rock-paper-scissors",
        source=f"{S3} § Mixed NE and Minimax",
        statement=Eq(pure(RPS, "minmax"), pure(RPS, "maxmin")),
        verifier=VC.game_value,
        expected=False,
        correction="game-minimax-mixed",
        twins=(Twin("corrected: over mixed strategies (von Neumann)", Eq(mixed(RPS, "minmax"), mixed(RPS, "maxmin")),
                    holds=True),
               Twin("pure min-max value 0", Eq(pure(RPS, "minmax"), 0))),
        note="Over pure actions the minimizer's guaranteed loss is 1 and the maximizer's guaranteed gain -1: "
        "whoever commits first loses. The equality is von Neumann's minimax theorem for mixed strategies, "
        "which the slide's next sentence (play a distribution of actions) points to.",
    ),
    Claim(
        id="game-minimax-mixed",
        title="Minimax theorem: over mixed strategies min_x max_y x^T M y = max_y min_x x^T M y; for "
        "rock-paper-scissors both are 0, at the uniform strategies",
        source=f"{S3} § Mixed NE and Minimax (von Neumann's minimax theorem)",
        statement=Eq(mixed(RPS, "minmax"), mixed(RPS, "maxmin")),
        verifier=VC.game_value,
        twins=(Twin("value 1/3", Eq(mixed(RPS, "minmax"), sp.Rational(1, 3))),),
        note="Both linear programs are solved with HiGHS; the strategies are rounded to rationals and give equal "
        "exact upper and lower bounds, which proves the value.",
    ),
    Claim(
        id="game-rps-no-pure-equilibrium",
        title="Rock-paper-scissors has no pure Nash equilibrium (so a player must randomize)",
        source=f"{S3} § Mixed NE and Minimax",
        statement=Eq(PureNash(-RPS, RPS, RPS_LABELS, RPS_LABELS), sp.S.EmptySet),
        verifier=VC.pure_nash,
        twins=(Twin("(Rock, Rock) is one", Eq(PureNash(-RPS, RPS, RPS_LABELS, RPS_LABELS),
                                              sp.FiniteSet(sp.Tuple(S("Rock"), S("Rock"))))),),
    ),
    Claim(
        id="game-saddle-is-pne",
        title="Where the pure min-max and max-min agree, the saddle point is a pure Nash equilibrium "
        "(M = [[2, 1], [3, 4]], x minimizes, y maximizes: value 2 at (x_1, y_1))",
        source=f"{S3} § Mixed NE and Minimax (any point satisfying this is a PNE)",
        statement=Eq(PureNash(-SADDLE, SADDLE, R2, C2), sp.FiniteSet(sp.Tuple(S("x_1"), S("y_1")))),
        verifier=VC.pure_nash,
        twins=(Twin("(x_2, y_2)", Eq(PureNash(-SADDLE, SADDLE, R2, C2), sp.FiniteSet(sp.Tuple(S("x_2"), S("y_2"))))),),
        note="game-saddle-value checks that min-max = max-min = 2 for this matrix.",
    ),
    Claim(
        id="game-saddle-value",
        title="... for which min_x max_y M = max_y min_x M = 2",
        source=f"{S3} § Mixed NE and Minimax",
        statement=Eq(pure(SADDLE, "minmax"), pure(SADDLE, "maxmin")),
        verifier=VC.game_value,
        twins=(Twin("value 3", Eq(pure(SADDLE, "minmax"), 3)),),
    ),
    Claim(
        id="game-idealized-unique-pne",
        title="The idealized game (D maximizes E_data log D + E_g log(1 - D), G minimizes it) has a unique "
        "pure Nash equilibrium: p_g = p_data and D = 1/2 everywhere",
        source=f"{S3} § Unique PNE Existence for the idealized game.",
        statement=Eq(IdealizedPNE(*GAN_PAYOFFS), sp.Tuple(p_data, half)),
        verifier=VC.idealized_pne,
        twins=(Twin("D = 1/4", Eq(IdealizedPNE(*GAN_PAYOFFS), sp.Tuple(p_data, sp.Rational(1, 4)))),
               Twin("p_g uniform, D = 1/2", Eq(IdealizedPNE(*GAN_PAYOFFS), sp.Tuple(S("p_uniform"), half)))),
        note="On 4-cell data distributions: D's best response p_data / (p_data + p_g) is derived from the "
        "first-order condition; a generator whose best-responding D is not constant on its support gains by "
        "moving mass, so only p_g = p_data survives.",
    ),
    Claim(
        id="game-kl-payoffs-unique-pne",
        title="The unique PNE holds for the KL payoffs too: D minimizing E_r[D - 1] + E_g[-log D] (maximizing "
        "E_r[1 - D] + E_g[log D]) and G minimizing the value have the unique pure equilibrium p_g = p_data, D = 1",
        source=f"{S3} § Global optimality",
        statement=Eq(IdealizedPNE(*KL_PAYOFFS), sp.Tuple(p_data, 1)),
        verifier=VC.idealized_pne,
        twins=(Twin("D = 1/2 (the GAN game's)", Eq(IdealizedPNE(*KL_PAYOFFS), sp.Tuple(p_data, half))),
               Twin("p_g uniform, D = 1", Eq(IdealizedPNE(*KL_PAYOFFS), sp.Tuple(S("p_uniform"), 1)))),
        note="The slide's payoffs r(D) = D - 1 and g(D) = -log D, with D = p_g/p_r their minimizer "
        "(div-kl-game-discriminator); written as the maximizer's payoffs they are 1 - D and log D. The "
        "discriminator's best response p_g/p_data is derived from the first-order condition; at it the value is "
        "KL(g||r) (div-kl-game-value, up to the sign convention), which the generator minimizes "
        "(div-generator-min-kl). D = 1 everywhere at the equilibrium, not 1/2.",
    ),
    Claim(
        id="game-goodfellow-unique-ne",
        title="Goodfellow's theorem: with unlimited capacity the GAN game has a unique Nash equilibrium, "
        "where G(Z) ~ P_D (and D = 1/2)",
        source=f"{S2} § Theorem (unique Nash-equilibrium [Goodfellow, 2014])",
        statement=Eq(IdealizedPNE(*GAN_PAYOFFS), sp.Tuple(p_data, half)),
        verifier=VC.idealized_pne,
        twins=(Twin("p_g uniform", Eq(IdealizedPNE(*GAN_PAYOFFS), sp.Tuple(S("p_uniform"), half))),),
        note="'Powerful enough' is modelled by letting G choose any distribution and D any function on a finite "
        "space (4 cells).",
    ),
    Claim(
        id="game-single-step-gradient-stable-steps",
        title="The single-step gradient method (w <- w + eta grad_w F, theta <- theta - eta grad_theta F) on "
        "F = theta w + mu (theta^2 - w^2)/2 with mu = 1/2 converges iff 0 < eta < 2 mu / (1 + mu^2) = 4/5",
        source=f"{S3} § Training a GAN (Algorithm 1, Single-Step Gradient Method; Nowozin et al. 2016, Thm 1)",
        statement=Eq(StableSet(single_step_jac(half), eta, sp.Interval.open(0, sp.oo)),
                     sp.Interval.open(0, sp.Rational(4, 5))),
        verifier=VC.stable_set,
        twins=(Twin("without curvature (mu = 0): 0 < eta < 4/5",
                    Eq(StableSet(single_step_jac(0), eta, sp.Interval.open(0, sp.oo)),
                       sp.Interval.open(0, sp.Rational(4, 5)))),),
        note="The method's local convergence needs a saddle that is strongly convex-concave; on the bilinear "
        "F (mu = 0) no step converges (the twin).",
    ),
    Claim(
        id="game-algorithm-1-generator-step",
        title="Goodfellow's Algorithm 1 as stated: with the discriminator trained to convergence by its k ascent "
        "steps (G held fixed), the generator's descent step on E_z log(1 - D(G(z))) is the gradient of the "
        "virtual training criterion C(G) = -log 4 + 2 JSD(p_data || p_g)",
        source=f"{S3} § Training a GAN (Algorithm 1)",
        statement=_alg1(),
        verifier=V.algorithm_one,
        twins=(Twin("one ascent step (k = 1) is enough", _alg1(k=1)),
               Twin("k = 10 ascent steps are enough", _alg1(k=10)),
               Twin("JSD with factor 1", _alg1(J=-sp.log(4) + JSD(p_data, p_g))),
               Twin("the non-saturating generator -log D(G(z)) follows C(G) too", _alg1(loss="nsgan")),
               Twin("... it follows KL(p_g || p_data) - 2 JSD (Arjovsky & Bottou 2017, Thm 2.5)",
                    _alg1(loss="nsgan", J=KL(p_g, p_data) - 2 * JSD(p_data, p_g)), holds=True)),
        note="Run on the trainers' parametric GAN (gantheory train): data N(1, 0.7^2), the generator N(mu, sigma^2) "
        "at (mu, log sigma) = (0, 0), D_w(x) = sigmoid(w0 + w1 x + w2 x^2), which contains D* here. The inner "
        "loop ascends V with expected gradients (the minibatch gradient's mean, game-minibatch-gradient-unbiased) "
        "from D = 1/2 with step 1/2 until it settles (1217 steps, |D - D*| < 3e-7); the generator's gradient "
        "is compared with central differences of C computed by quadrature. Its caveats are the twins: a few "
        "ascent steps leave D far from D* and the step is not C's gradient (the slide's 'train D to convergence'); "
        "the non-saturating loss follows KL - 2 JSD instead. Seed 000's practical algorithm (N_d steps on d, "
        "then one on g) is the same loop.",
    ),
    Claim(
        id="game-minibatch-gradient-unbiased",
        title="Goodfellow's minibatch step: the expected gradient of the minibatch average (m = 2, with "
        "replacement) equals the gradient of the expectation",
        source=f"{S3} § Training a GAN (Minibatch stochastic gradient descent training)",
        statement=Eq(minibatch_gradient(), full_gradient),
        verifier=VC.calculus_identity,
        twins=(Twin("sum instead of average (1/m dropped)", Eq(minibatch_gradient(1), full_gradient)),),
        note="Discriminator term E log D(x) with D(x) = sigma(w x), data on three points x_i with probabilities "
        "p_i / sum p (exact expectation over the nine minibatches).",
    ),
    Claim(
        id="game-elbo-gap-is-kl",
        title="VAEs maximize the ELBO: log p(x) - ELBO(q) = KL(q(z) || p(z | x)) >= 0",
        source=f"{S3} § Relations to VAE",
        statement=Eq(sp.log(pa + pb) - elbo, kl_q_post),
        verifier=VC.calculus_identity,
        twins=(Twin("KL(p(z|x) || q)", Eq(sp.log(pa + pb) - elbo, kl_post_q)),),
        note="A two-state latent z: p(x, z = 1) = a, p(x, z = 2) = b, q = (s, 1) / (1 + s).",
    ),
]
