"""Seed 000: the GAN game in the likelihood ratio R = p_R / p_r and the discriminator f.

Omega_g = {R > 0 : E[R(Y)] = 1}, Omega_d = {f : (0, 1)-valued}; g(R, f) = E[-R log f],
d(R, f) = E[-log f] + E[-R log(1 - f)]; GLGD with the projection P_o; C(R) = E[(1+R) log(1+R)].
"""

from __future__ import annotations

import sympy as sp

from gantheory._claim import Claim, Twin
from gantheory.symbolic import (
    KL,
    ArgMinOmega,
    BayesDisc,
    E,
    GenLoss,
    Grad,
    MinOmega,
    Proj,
    R,
    StrictlyConvex,
    f,
    f_star,
    p_R,
    p_r,
)
from gantheory.symbolic._atoms import (
    JSD,
    ArgMaxCell,
    ArgMinCell,
    Et,
    GeneratorGrad,
    GLGDBestRate,
    GLGDStepInOmega,
    Inner,
    ParamGrad,
    PointMassRatio,
    StepsToHalve,
    Unrestricted,
)
from gantheory.topics._statement import Eq, LessThan, Ne, StrictGreaterThan, StrictLessThan
from gantheory.verify import calculus as VC
from gantheory.verify import general as V

S = "000_62b6c109a73221df.txt"
log = sp.log
h = sp.Symbol("h", real=True)  # an arbitrary function h(y), at one point
d_, e_ = sp.symbols("d e", real=True)  # directions (functions of y), at one point
x = sp.Symbol("x", real=True)
_D = sp.Symbol("D", positive=True)
_P3 = sp.Tuple(sp.Rational(1, 2), sp.Rational(1, 4), sp.Rational(1, 4))   # p_r on three cells of unit volume
_R3 = sp.Tuple(sp.Rational(1, 5), sp.Rational(9, 5), sp.Rational(9, 5))   # E[R] = 1/10 + 9/20 + 9/20 = 1
HALF_ = sp.Rational(1, 2)
_P4 = sp.Tuple(*sp.symbols("m_1:5", positive=True))  # the masses of p_r on four cells (not p_1, a density)
_P_LOW = sp.Tuple(sp.Rational(1, 100), *[sp.Rational(33, 100)] * 3)
_P_UNIFORM = sp.Tuple(*[sp.Rational(1, 4)] * 4)  # the discriminator's value, in a generator loss Lambda(D, loss)
C = E((1 + R) * log(1 + R))
pbar = (p_R + p_r) / 2


def P_o(v):
    """Seed 000: P_o d(y) = d(y) - E[d(Y)] / E[p_r(Y)] * p_r(y), with E[d(Y)] = <d, p_r>."""
    return v - Inner(v, p_r) / Inner(p_r, p_r) * p_r


def P_wrong(v):
    """P_o with the denominator E[p_r(Y)] dropped: a perturbed twin."""
    return v - Inner(v, p_r) * p_r


CLAIMS = [
    # -- Reparameterize Loss Functions -----------------------------------------------------------
    Claim(
        id="rep-mean-ratio-one",
        title="E[R(Y)] = 1 for Y ~ p_r (R = p_g / p_r with p_g << p_r, as R in Omega_g guarantees)",
        source=f"{S} § Reparameterize Loss Functions",
        statement=Eq(E(R), 1),
        verifier=V.discrete_expectation,
        twins=(Twin("E[R] = 2", Eq(E(R), 2)), Twin("E[R^2] = 1", Eq(E(R**2), 1)),
               Twin("without p_g << p_r", Unrestricted(Eq(E(R), 1)))),
        note="Checked with symbolic masses u_i/sum(u), v_i/sum(v), so normalization is not assumed.",
    ),
    Claim(
        id="rep-change-of-measure",
        title="For any h, E[h(Y~)] = E[h(Y) R(Y)] (p_R << p_r: R in Omega_g)",
        source=f"{S} § Reparameterize Loss Functions",
        statement=Eq(Et(h), E(h * R)),
        verifier=V.discrete_expectation,
        twins=(Twin("R dropped", Eq(Et(h), E(h))), Twin("1/R", Eq(Et(h), E(h / R))),
               Twin("without p_R << p_r", Unrestricted(Eq(Et(h), E(h * R))))),
    ),
    Claim(
        id="rep-g-form",
        title="g(R, f) = E[-log f(Y~)] = E[-R(Y) log f(Y)] (p_R << p_r)",
        source=f"{S} § Reparameterized Loss Functions",
        statement=Eq(Et(-log(f)), E(-R * log(f))),
        verifier=V.discrete_expectation,
        twins=(Twin("R dropped", Eq(Et(-log(f)), E(-log(f)))),
               Twin("without p_R << p_r", Unrestricted(Eq(Et(-log(f)), E(-R * log(f)))))),
    ),
    Claim(
        id="rep-d-form",
        title="d(R, f) = E[-log f(Y)] + E[-log(1 - f(Y~))] = E[-log f(Y)] + E[-R(Y) log(1 - f(Y))] (p_R << p_r)",
        source=f"{S} § Reparameterized Loss Functions",
        statement=Eq(E(-log(f)) + Et(-log(1 - f)), E(-log(f)) + E(-R * log(1 - f))),
        verifier=V.discrete_expectation,
        twins=(Twin("R on the wrong term", Eq(E(-log(f)) + Et(-log(1 - f)),
                                                  E(-R * log(f)) + E(-log(1 - f)))),
               Twin("without p_R << p_r", Unrestricted(Eq(E(-log(f)) + Et(-log(1 - f)),
                                                              E(-log(f)) + E(-R * log(1 - f)))))),
    ),
    Claim(
        id="rep-nash-generator-indifferent",
        title="Against f = 1/2 every R in Omega_g has g(R, 1/2) = log 2 (so R* = 1 is a best response)",
        source=f"{S} § GAN Equilibrium Conditions",
        statement=Eq(GenLoss(R, sp.Rational(1, 2)), log(2)),
        verifier=V.expectation_identity,
        twins=(Twin("2 log 2", Eq(GenLoss(R, sp.Rational(1, 2)), 2 * log(2))),),
        note="The Nash equilibrium (R*, f*) = (1, 1/2) is weak for the generator: every R is a best "
        "response to f = 1/2. It is the discriminator's best response 1/(1+R) that pins R* = 1.",
    ),
    # -- GLGD ------------------------------------------------------------------------------------
    Claim(
        id="glgd-po-tangent",
        title="P_o maps onto the tangent space of E[R] = 1: E[(P_o d)(Y)] = 0",
        source=f"{S} § Algorithm 2: Generator Loss Gradient Descent (GLGD)",
        statement=Eq(Inner(P_o(d_), p_r), 0),
        verifier=V.vector_identity,
        twins=(Twin("denominator dropped", Eq(Inner(P_wrong(d_), p_r), 0)),),
    ),
    Claim(
        id="glgd-step-can-leave-omega",
        title="P_o keeps E[R] = 1 but not R > 0: with the bare step alpha the GLGD update "
        "R - alpha P_o grad_R g(R, f*) leaves Omega_g (p_r = (1/2, 1/4, 1/4), R = (1/5, 9/5, 9/5), alpha = 20)",
        source=f"{S} § Algorithm 2: Generator Loss Gradient Descent (GLGD)",
        statement=Eq(GLGDStepInOmega(_P3, _R3, 20), sp.false, evaluate=False),
        verifier=V.glgd_step_membership,
        twins=(Twin("a small step stays in Omega_g (alpha = 1/2)",
                    Eq(GLGDStepInOmega(_P3, _R3, HALF_), sp.true, evaluate=False), holds=True),
               Twin("alpha = 20 stays in Omega_g", Eq(GLGDStepInOmega(_P3, _R3, 20), sp.true, evaluate=False)),
               Twin("alpha = 1/2 leaves it", Eq(GLGDStepInOmega(_P3, _R3, HALF_), sp.false, evaluate=False))),
        note="E[P_o d] = 0 (glgd-po-tangent), so every step keeps E[R] = 1, for any alpha; positivity is "
        "another matter: the step keeps R > 0 only for alpha < min over {P_o d > 0} of R / P_o d (here about "
        "12.7: the step moves mass toward R = 1, and overshoots). The slide's update writes a bare alpha; "
        "gantheory's glgd caps its first trial step at half of that bound and halves it until C(R) decreases, "
        "so its iterates stay in Omega_g (the mirror variant keeps R > 0 by construction).",
    ),
    Claim(
        id="glgd-po-idempotent",
        title="P_o is idempotent: P_o P_o d = P_o d",
        source=f"{S} § Algorithm 2: Generator Loss Gradient Descent (GLGD)",
        statement=Eq(P_o(P_o(d_)), P_o(d_)),
        verifier=V.vector_identity,
        twins=(Twin("denominator dropped", Eq(P_wrong(P_wrong(d_)), P_wrong(d_))),),
    ),
    Claim(
        id="glgd-po-self-adjoint",
        title="P_o is self-adjoint in L2(dy): <P_o d, e> = <d, P_o e>",
        source=f"{S} § Algorithm 2: Generator Loss Gradient Descent (GLGD)",
        statement=Eq(Inner(P_o(d_), e_), Inner(d_, P_o(e_))),
        verifier=V.vector_identity,
        twins=(Twin("projection on one side only", Eq(Inner(P_o(d_), e_), Inner(d_, e_))),),
        note="Self-adjoint and idempotent: P_o is the orthogonal projection in L2(dy) onto "
        "{d : E[d(Y)] = 0}, the tangent space of Omega_g.",
    ),
    Claim(
        id="glgd-grad-as-printed",
        title="For the non-saturating GAN, grad_R g(R, f*) = grad_R C(R)",
        source=f"{S} § GLGD Convergence for Non-Saturating GAN",
        statement=Eq(Grad(GenLoss(R, f_star)), Grad(C)),
        verifier=V.gradient_identity,
        expected=False,
        correction="glgd-grad-projected",
        twins=(
            Twin("corrected: P_o on both sides", Eq(Proj(Grad(GenLoss(R, f_star))), Proj(Grad(C))), holds=True),
            Twin("C without the 1 +", Eq(Grad(GenLoss(R, f_star)), Grad(E(R * log(R))))),
        ),
        note="grad_R g(R, f*) = p_r log(1+R) while grad_R C(R) = p_r (log(1+R) + 1): they differ by "
        "p_r, which P_o annihilates. f* is held fixed while differentiating, as in GLGD.",
    ),
    Claim(
        id="glgd-grad-projected",
        title="P_o grad_R g(R, f*) = P_o grad_R C(R) (f* held fixed, then f* = 1/(1+R))",
        source=f"{S} § More Details on GLGD",
        statement=Eq(Proj(Grad(GenLoss(R, f_star))), Proj(Grad(C))),
        verifier=V.gradient_identity,
        twins=(
            Twin("C with (1 + 2R)", Eq(Proj(Grad(GenLoss(R, f_star))), Proj(Grad(E((1 + 2 * R) * log(1 + R)))))),
            Twin("f* differentiated too", Eq(Proj(Grad(GenLoss(R, BayesDisc(R)))), Proj(Grad(C)))),
        ),
    ),
    Claim(
        id="glgd-arjovsky-bottou-as-printed",
        title="P_o grad_R g(R, f*) = grad_R {KL(p_R||p_r) - 2 JSD(p_R||p_r)}",
        source=f"{S} § More Details on GLGD",
        statement=Eq(Proj(Grad(GenLoss(R, f_star))), Grad(KL(p_R, p_r) - 2 * JSD(p_R, p_r))),
        verifier=V.gradient_identity,
        expected=False,
        correction="glgd-arjovsky-bottou",
        twins=(
            Twin("corrected: P_o on both sides", Eq(Proj(Grad(GenLoss(R, f_star))),
                                                       Proj(Grad(KL(p_R, p_r) - 2 * JSD(p_R, p_r)))), holds=True),
            Twin("JSD with factor 1", Eq(Proj(Grad(GenLoss(R, f_star))), Grad(KL(p_R, p_r) - JSD(p_R, p_r)))),
        ),
        note="The right side is not tangent to Omega_g (its E[.] is not 0), so it cannot equal a "
        "projected gradient. Arjovsky & Bottou (2017, Thm 2.5) differentiate along a parametric "
        "family, i.e. in tangent directions only: the identity holds after P_o.",
    ),
    Claim(
        id="glgd-arjovsky-bottou",
        title="P_o grad_R g(R, f*) = P_o grad_R {KL(p_R||p_r) - 2 JSD(p_R||p_r)}",
        source="Arjovsky & Bottou 2017, Theorem 2.5 (as used in 000 § More Details on GLGD)",
        statement=Eq(Proj(Grad(GenLoss(R, f_star))), Proj(Grad(KL(p_R, p_r) - 2 * JSD(p_R, p_r)))),
        verifier=V.gradient_identity,
        twins=(Twin("JSD with factor 1", Eq(Proj(Grad(GenLoss(R, f_star))),
                                                 Proj(Grad(KL(p_R, p_r) - JSD(p_R, p_r))))),),
    ),
    Claim(
        id="glgd-arjovsky-bottou-theta",
        title="Arjovsky-Bottou Theorem 2.5 in a parametrization: with D* = p_r/(p_r + p_theta) held fixed, "
        "E_z[-grad_theta log D*(G_theta(z))] = grad_theta [KL(p_theta||p_r) - 2 JSD(p_theta||p_r)] (softmax family)",
        source=f"{S} § More Details on GLGD (Arjovsky & Bottou 2017, Theorem 2.5)",
        statement=Eq(GeneratorGrad(sp.Lambda(_D, -log(_D)), sp.true), ParamGrad(KL(p_R, p_r) - 2 * JSD(p_R, p_r))),
        verifier=V.parametric_gradient,
        twins=(Twin("the same gradient in the C(R) form E[(1+R) log(1+R)]",
                    Eq(GeneratorGrad(sp.Lambda(_D, -log(_D)), sp.true), ParamGrad(C)), holds=True),
               Twin("D* differentiated as well (not held fixed)",
                    Eq(GeneratorGrad(sp.Lambda(_D, -log(_D)), sp.false),
                          ParamGrad(KL(p_R, p_r) - 2 * JSD(p_R, p_r)))),
               Twin("JSD with factor 1", Eq(GeneratorGrad(sp.Lambda(_D, -log(_D)), sp.true),
                                              ParamGrad(KL(p_R, p_r) - JSD(p_R, p_r))))),
        note="The theorem's own setting: a generator p_theta(y_k) = e^{theta_k} / sum e^{theta_j} on 3 points, "
        "p_r general (symbolic masses), the discriminator trained to optimality and then held while the "
        "generator steps. Differentiating along the family only moves p_theta in directions with total mass 0, "
        "which is why the R-form needs P_o (glgd-arjovsky-bottou). Since C(R) = KL - 2 JSD + 2 log 2 "
        "(glgd-c-kl-jsd), the C(R) form has the same gradient.",
    ),
    Claim(
        id="glgd-kl-form-gradient",
        title="P_o grad_R g(R, f*) = P_o grad_R {2 KL((p_R + p_r)/2 || p_r)}",
        source=f"{S} § More Details on GLGD",
        statement=Eq(Proj(Grad(GenLoss(R, f_star))), Proj(Grad(2 * KL(pbar, p_r)))),
        verifier=V.gradient_identity,
        twins=(Twin("KL to p_R", Eq(Proj(Grad(GenLoss(R, f_star))), Proj(Grad(2 * KL(pbar, p_R))))),),
        note="Printed without P_o on the middle term; with it, as here, it holds.",
    ),
    Claim(
        id="glgd-h-convex-as-printed",
        title="h(x) = (1+x) log(1+x) is strictly convex on x in R^N",
        source=f"{S} § GLGD Convergence for Non-Saturating GAN",
        statement=StrictlyConvex((1 + x) * log(1 + x), x, sp.Reals),
        verifier=V.strict_convexity,
        expected=False,
        correction="glgd-h-convex",
        twins=(
            Twin("corrected domain x > -1", StrictlyConvex((1 + x) * log(1 + x), x, sp.Interval.open(-1, sp.oo)),
                 holds=True),
            Twin("domain x > -2", StrictlyConvex((1 + x) * log(1 + x), x, sp.Interval.open(-2, sp.oo))),
        ),
        note="h is real only for x >= -1 (x = -2 gives log(-1)); on (-1, inf) h'' = 1/(1+x) > 0. "
        "For GLGD only x = R(y) > 0 matters.",
    ),
    Claim(
        id="glgd-h-convex",
        title="h(x) = (1+x) log(1+x) is strictly convex on x > -1",
        source=f"{S} § GLGD Convergence for Non-Saturating GAN (corrected domain)",
        statement=StrictlyConvex((1 + x) * log(1 + x), x, sp.Interval.open(-1, sp.oo)),
        verifier=V.strict_convexity,
        twins=(
            Twin("negated h", StrictlyConvex(-(1 + x) * log(1 + x), x, sp.Interval.open(-1, sp.oo))),
            Twin("minus x^2 added", StrictlyConvex((1 + x) * log(1 + x) - x**2, x, sp.Interval.open(-1, sp.oo))),
        ),
    ),
    Claim(
        id="glgd-c-unique-min",
        title="C(R) = E[(1+R) log(1+R)] has a unique global minimum on Omega_g at R = 1",
        source=f"{S} § GLGD Convergence for Non-Saturating GAN",
        statement=Eq(ArgMinOmega(C), 1),
        verifier=V.omega_minimum,
        twins=(Twin("R = 2", Eq(ArgMinOmega(C), 2)),),
    ),
    Claim(
        id="glgd-c-min-value",
        title="min over Omega_g of C(R) is 2 log 2",
        source=f"{S} § GLGD Convergence for Non-Saturating GAN",
        statement=Eq(MinOmega(C), 2 * log(2)),
        verifier=V.omega_minimum,
        twins=(Twin("0 (as the 2 KL form would suggest)", Eq(MinOmega(C), 0)),),
    ),
    Claim(
        id="glgd-c-kl-jsd",
        title="C(R) = KL(p_R||p_r) - 2 JSD(p_R||p_r) + 2 log 2: the two forms of the GLGD objective are one "
        "function (for R in Omega_g)",
        source=f"{S} § More Details on GLGD",
        statement=Eq(C, KL(p_R, p_r) - 2 * JSD(p_R, p_r) + 2 * log(2)),
        verifier=V.expectation_identity,
        twins=(Twin("without the constant 2 log 2", Eq(C, KL(p_R, p_r) - 2 * JSD(p_R, p_r))),
               Twin("JSD with factor 1", Eq(C, KL(p_R, p_r) - JSD(p_R, p_r) + 2 * log(2))),
               Twin("KL(p_r||p_R) instead", Eq(C, KL(p_r, p_R) - 2 * JSD(p_R, p_r) + 2 * log(2))),
               Twin("without p_R << p_r", Unrestricted(Eq(C, KL(p_R, p_r) - 2 * JSD(p_R, p_r) + 2 * log(2))))),
        note="The slide writes the Arjovsky-Bottou gradient with KL - 2 JSD and the convexity argument with "
        "E[(1+R) log(1+R)]; they differ by the constant 2 log 2, so they have the same gradients and minimizer. "
        "Where p_R has mass outside the support of p_r, KL(p_R||p_r) = +inf while C(R), an expectation under "
        "p_r, stays finite: the identity needs R in Omega_g.",
    ),
    Claim(
        id="glgd-c-equals-2kl-as-printed",
        title="C(R) = 2 KL((P_R + P_r)/2 || P_r)",
        source=f"{S} § More Details on GLGD",
        statement=Eq(C, 2 * KL(pbar, p_r)),
        verifier=V.expectation_identity,
        expected=False,
        correction="div-2kl-mixture",
        twins=(
            Twin("corrected: C(R) - 2 log 2", Eq(C - 2 * log(2), 2 * KL(pbar, p_r)), holds=True),
            Twin("KL without the 2", Eq(C, KL(pbar, p_r))),
        ),
        note="Off by the constant 2 log 2 (so gradients agree and the minimizer is the same, but "
        "C(1) = 2 log 2 while the KL form is 0 at R = 1).",
    ),
    Claim(
        id="altmin-best-response",
        title="Against a fixed f the generator's best response is a point mass at argmax f: "
        "R(y) = delta(y - y_o) / p_r(y_o)",
        source=f"{S} § Algorithm 1: Alternating Minimization",
        statement=Eq(ArgMinOmega(GenLoss(R, f)), PointMassRatio(ArgMaxCell(f))),
        verifier=V.point_mass_best_response,
        twins=(
            Twin("mass at argmin f", Eq(ArgMinOmega(GenLoss(R, f)), PointMassRatio(ArgMinCell(f)))),
            Twin("R = 1", Eq(ArgMinOmega(GenLoss(R, f)), 1)),
        ),
        note="Discrete version: minimize sum_i q_i (-log f_i) over q = p_r R in the simplex; the "
        "minimum of a linear function on the simplex is at the vertex argmin(-log f) = argmax f. "
        "The minimizer is a limit of elements of Omega_g (R > 0), not an element.",
    ),
    Claim(
        id="altmin-not-equilibrium",
        title="The point mass is not a best response to the Bayes discriminator against it (no Nash "
        "equilibrium: Algorithm 1 hops between modes)",
        source=f"{S} § Algorithm 1: Alternating Minimization",
        statement=Ne(ArgMinOmega(GenLoss(R, BayesDisc(PointMassRatio(ArgMaxCell(f))))),
                        PointMassRatio(ArgMaxCell(f))),
        verifier=V.point_mass_not_best_response,
        twins=(
            Twin("the point mass at argmax f is not the best response to f", Ne(
                ArgMinOmega(GenLoss(R, f)), PointMassRatio(ArgMaxCell(f)))),
        ),
        note="A consequence the seed draws in words ('mode collapse', the generator chases the cell the "
        "discriminator likes best), not a statement it makes wrongly: registered as a true claim. The "
        "discriminator that best responds to the collapsed generator rates y_o lowest, so the "
        "generator's best response moves elsewhere.",
    ),
    Claim(
        id="glgd-convergence-slow",
        title="'However, convergence tends to be slow': the seed's GLGD step needs over ten times as many steps "
        "as the multiplicative (mirror) step to halve KL(p_g || p_r) on the demo problem",
        source=f"{S} § More Details on GLGD (convergence tends to be slow)",
        statement=StrictGreaterThan(StepsToHalve(sp.Symbol("glgd"), sp.Symbol("projected")),
                                       10 * StepsToHalve(sp.Symbol("glgd"), sp.Symbol("mirror"))),
        verifier=VC.halving_steps,
        twins=(Twin("as fast as the mirror step", LessThan(StepsToHalve(sp.Symbol("glgd"), sp.Symbol("projected")),
                                                              StepsToHalve(sp.Symbol("glgd"), sp.Symbol("mirror")))),),
        note="Measured by running gantheory's GLGD (bimodal p_r, unimodal p_g0, 256 cells on [-4, 4]). The seed's "
        "additive step in R changes p_g by alpha p_r^2 (...): mass where p_r is small moves slowly. "
        "gantheory run glgd prints the rate of each method.",
        timeout=60.0,
    ),
    Claim(
        id="glgd-rate-conditioning",
        title="'Convergence tends to be slow' as conditioning: near R* = 1 the best linear rate of GLGD (over alpha) "
        "is at most (max p_r - min p_r) / (max p_r + min p_r), for every p_r (here on 4 cells)",
        source=f"{S} § GLGD Convergence for Non-Saturating GAN (convergence tends to be slow)",
        statement=LessThan(GLGDBestRate(_P4), (sp.Max(*_P4) - sp.Min(*_P4)) / (sp.Max(*_P4) + sp.Min(*_P4))),
        verifier=V.glgd_rate,
        twins=(Twin("half that bound", LessThan(GLGDBestRate(_P4), (sp.Max(*_P4) - sp.Min(*_P4))
                                                    / (sp.Max(*_P4) + sp.Min(*_P4)) / 2)),
               Twin("never slow: rate 0 for every p_r", LessThan(GLGDBestRate(_P4), 0))),
        note="The Jacobian of R -> R - alpha P_o grad_R C(R) at R = 1 is I - alpha P_o diag(p_r / 2) (derived by "
        "SymPy); on the tangent space E[delta] = 0 its eigenvalues mu_k interlace p_r / 2, so the best rate "
        "(mu_max - mu_min) / (mu_max + mu_min) lies below the bound, which tends to 1 as min p_r -> 0. The "
        "slide's bare alpha is the only step in this analysis; gantheory's glgd chooses alpha by line search.",
    ),
    Claim(
        id="glgd-rate-slow-low-mass",
        title="... and a cell with little mass makes it slow: p_r = (1/100, 33/100, 33/100, 33/100) gives a best "
        "rate above 9/10, while a uniform p_r converges in one step (rate 0)",
        source=f"{S} § GLGD Convergence for Non-Saturating GAN (convergence tends to be slow)",
        statement=StrictGreaterThan(GLGDBestRate(_P_LOW), sp.Rational(9, 10)),
        verifier=V.glgd_rate,
        twins=(Twin("uniform p_r: rate 0 (one step)", LessThan(GLGDBestRate(_P_UNIFORM), 0), holds=True),
               Twin("uniform p_r is as slow", StrictGreaterThan(GLGDBestRate(_P_UNIFORM), sp.Rational(9, 10))),
               Twin("the low-mass p_r is fast (rate below 1/2)",
                    StrictLessThan(GLGDBestRate(_P_LOW), sp.Rational(1, 2)))),
        note="A discretized density's tails are such cells: the additive step in R moves mass there at a rate set by "
        "p_r itself, which is what glgd-convergence-slow measures on the demo problem.",
    ),
]
