"""Game dynamics (seeds 002 and 004): Dirac-GAN and bilinear games, regularizers and optimizers.

Every matrix is derived from the game's vector field (``gantheory.symbolic._games``): the Jacobian
of the actual field at the equilibrium, composed into the update operator of each optimizer.
"""

from __future__ import annotations

import sympy as sp

from gantheory._claim import Claim, Twin
from gantheory.symbolic._atoms import (
    AtParams,
    Converges,
    Det,
    EveryEigenvalue,
    FieldJac,
    FieldOf,
    FieldZeros,
    HasStableStep,
    IsHurwitz,
    IsPSD,
    IsSchur,
    IterationRate,
    LieDerivative,
    LocalNashIf,
    LocalNashSymEig,
    PointMassTarget,
    PowerBound,
    SomeEigenvalue,
    SpectralAbscissa,
    SpectralRadius,
    Spectrum,
    StableSet,
    StableStepBound,
    UpdateJac,
    WithValues,
)
from gantheory.symbolic._games import _F, field, fp0, fpp0, gamma, h, psi, sigma, t, theta
from gantheory.topics._statement import Eq, GreaterThan, StrictGreaterThan, StrictLessThan
from gantheory.verify import calculus as VC
from gantheory.verify import games as VG
from gantheory.verify import general as V

_v_dirac_gan = sp.ImmutableMatrix(field("dirac", "gan", "none"))



S2 = "002_c2a2977b6273c765.txt"
S4 = "004_c244375ad6f330fe.txt"
IM = sp.I
S = sp.Symbol
HALF = sp.Rational(1, 2)
#: eps > 0 of Property 3
EPS = sp.Symbol("epsilon", positive=True)
#: Jacobians with spectral radius 1/2, defective for b != 0 (a Jordan block): where rho^k and
#: (rho + eps)^k differ as rates
JORDAN_FAMILY = sp.ImmutableMatrix([[HALF, sp.Symbol("b", real=True)], [0, HALF]])
half = sp.Rational(1, 2)


def FJ(game="dirac", loss="general", reg="none"):
    return FieldJac(S(game), S(loss), S(reg))


def UJ(optimizer, game="dirac", loss="general", reg="none", step=h, n_g=1, n_d=1, beta=0):
    return UpdateJac(S(game), S(loss), S(reg), S(optimizer), step, n_g, n_d, beta)


def _alt(ng, nd):
    alpha = sp.sqrt(ng * nd) * h * fp0
    c = 1 - alpha**2 / 2
    return sp.Tuple(c + sp.sqrt(c**2 - 1), c - sp.sqrt(c**2 - 1))


a_neg = sp.Symbol("a", negative=True)
# Lemma 6: blocks of grad v = [[A, B], [-B^T, -C]] with symbolic entries (A, C symmetric: Hessians)
_a = sp.symbols("a_11 a_12 a_22", real=True)
_c = sp.symbols("c_11 c_12 c_22", real=True)
_b = sp.symbols("b_11 b_12 b_21 b_22", real=True)
L6_A = sp.ImmutableMatrix([[_a[0], _a[1]], [_a[1], _a[2]]])
L6_C = sp.ImmutableMatrix([[_c[0], _c[1]], [_c[1], _c[2]]])
L6_B = sp.ImmutableMatrix([[_b[0], _b[1]], [_b[2], _b[3]]])
L6_J = sp.ImmutableMatrix(sp.BlockMatrix([[L6_A, L6_B], [-L6_B.T, -L6_C]]).as_explicit())
# the proposition of seed 002: a general 2 x 2 matrix
P_A = sp.ImmutableMatrix(2, 2, sp.symbols("m_11 m_12 m_21 m_22", real=True))
b_real = sp.Symbol("b", real=True)
# Lemma 8 for a whole matrix: the step h and the parts (x, y) = (Re lambda, Im lambda) of an eigenvalue
h_any = sp.Symbol("h", real=True)
_re, _im = sp.symbols("x y", real=True)


def _lemma8(bound_factor=2, quantifier=None, premise=True):
    """Lemma 8 for a general 2 x 2 matrix A: (Re lambda < 0 on sigma(A) and h > 0) implies
    rho(I + hA) < 1 iff h < factor / (|Re lambda| (1 + (Im lambda / Re lambda)^2)) for every lambda."""
    cond = sp.Lambda((_re, _im), h_any < bound_factor / (sp.Abs(_re) * (1 + (_im / _re) ** 2)))
    every = (quantifier or EveryEigenvalue)(P_A, cond)
    stable = IsSchur(sp.ImmutableMatrix(sp.eye(2) + h_any * P_A))
    hyp = sp.And(IsHurwitz(P_A), h_any > 0) if premise else (h_any > 0)
    return sp.Implies(hyp, sp.Equivalent(stable, every))


KAPPA = sp.Symbol("kappa", positive=True)
_tz, _tx = sp.symbols("z x", real=True)


def _dirac_target(f=None, d=None, xs=(0,)):
    """Seed 002's general target on the Dirac-GAN's model: G_theta(z) = theta, D_psi(x) = psi x, P_D = delta_0."""
    return PointMassTarget(f if f is not None else sp.Lambda(t, _F(t)), sp.Lambda(_tz, theta),
                           d if d is not None else sp.Lambda(_tx, psi * _tx), sp.Tuple(0), sp.Tuple(*xs))


def _target_field(L):
    """v = (-dL/dtheta, dL/dpsi), the simultaneous-gradient field of the zero-sum game with value L."""
    return sp.ImmutableMatrix([-sp.Derivative(L, theta), sp.Derivative(L, psi)])
# Property 3 for a nonlinear map with a Jordan block at its fixed point 0
_px, _py = sp.symbols("x y", real=True)
P3_VARS = sp.Tuple(_px, _py)
P3_POINT = sp.Tuple(0, 0)
P3_MAP = sp.ImmutableMatrix([_px / 2 + _py + _px**2, _py / 2 + _px * _py])
# simultaneous GD with R1 (gamma = 1, h = 1/10) on the Dirac-GAN with the GAN loss: a nonlinear map
R1_VARS = sp.Tuple(theta, psi)
R1_MAP = sp.ImmutableMatrix(sp.Matrix([theta, psi]) + sp.Rational(1, 10) * sp.Matrix(field("dirac", "gan", "r1"))
                            .subs(gamma, 1))


def _noise(fpp0=fpp0, sigma=sigma):
    """The Dirac-GAN's field Jacobian with instance noise, f''(0) and sigma replaced by the given values."""
    pairs = [(x, v) for x, v in ((globals()["fpp0"], fpp0), (globals()["sigma"], sigma)) if x != v]
    return WithValues(FJ(reg="instance-noise"), sp.Tuple(*[x for x, _ in pairs]), sp.Tuple(*[v for _, v in pairs]))


v_gp = field("dirac", "wgan", "wgan-gp")[1].subs(theta, 0)

CLAIMS = [
    Claim(
        id="dyn-dirac-field-eigenvalues",
        title="Dirac-GAN: the Jacobian of v at the equilibrium has eigenvalues +- f'(0) i",
        source=f"{S2} § Definition (Dirac-GAN [Mescheder, 2018])",
        statement=Eq(Spectrum(FJ()), sp.Tuple(IM * fp0, -IM * fp0)),
        verifier=VG.spectrum,
        twins=(Twin("real eigenvalues +- f'(0)", Eq(Spectrum(FJ()), sp.Tuple(fp0, -fp0))),
               Twin("+- f''(0) i", Eq(Spectrum(FJ()), sp.Tuple(IM * fpp0, -IM * fpp0)))),
        note="L(theta, psi) = f(psi theta) + f(0) with a general f; v = (-dL/dtheta, dL/dpsi).",
    ),
    Claim(
        id="dyn-dirac-from-general-target",
        title="The Dirac-GAN derived from the general target: with p_theta = delta_theta (G_theta(z) = theta), "
        "D_psi(x) = psi x and P_D = delta_0, L = E_Z f(D_psi(G_theta(Z))) + E_X f(-D_psi(X)) has the field "
        "v = (-dL/dtheta, dL/dpsi) gantheory uses for every Dirac-GAN claim",
        source=f"{S2} § Definition (Dirac-GAN [Mescheder, 2018])",
        statement=Eq(_target_field(_dirac_target()), sp.ImmutableMatrix(field("dirac", "general", "none"))),
        verifier=VC.calculus_identity,
        twins=(Twin("data at 1 instead of 0 (P_D = delta_1)",
                    Eq(_target_field(_dirac_target(xs=(1,))), sp.ImmutableMatrix(field("dirac", "general", "none")))),
               Twin("a quadratic discriminator D_psi(x) = psi x^2",
                    Eq(_target_field(_dirac_target(d=sp.Lambda(_tx, psi * _tx**2))),
                       sp.ImmutableMatrix(field("dirac", "general", "none")))),
               Twin("a linear f(t) = 2t (WGAN's target, scaled) in place of the general f",
                    Eq(_target_field(_dirac_target(f=sp.Lambda(t, 2 * t))),
                       sp.ImmutableMatrix(field("dirac", "general", "none"))))),
        note="The expectations over the point masses are taken by the verifier; the field gantheory uses "
        "(gantheory.symbolic._games.field) was written as L = f(psi theta) + f(0). With f(t) = t the same "
        "target is WGAN's, L = psi theta.",
    ),
    Claim(
        id="dyn-dirac-unique-equilibrium",
        title="Dirac-GAN: the field v = (-dL/dtheta, dL/dpsi) vanishes only at theta = psi = 0 (the unique "
        "equilibrium, derived from L = f(psi theta) + f(0), f(t) = -log(1 + e^-t))",
        source=f"{S2} § Definition (Dirac-GAN [Mescheder, 2018]) (the unique Nash-equilibrium)",
        statement=Eq(FieldZeros(_v_dirac_gan, sp.Tuple(theta, psi)), sp.FiniteSet(sp.Tuple(0, 0))),
        verifier=VC.field_zeros,
        twins=(Twin("a second equilibrium at (1, 0)", Eq(FieldZeros(_v_dirac_gan, sp.Tuple(theta, psi)),
                                                          sp.FiniteSet(sp.Tuple(0, 0), sp.Tuple(1, 0)))),),
        note="v = (-psi f'(psi theta), theta f'(psi theta)) and f' = 1/(1 + e^t) > 0, so v = 0 forces psi = theta = 0. "
        "(0, 0) is also a Nash equilibrium: there L(theta, 0) and L(0, psi) are constant, so neither player "
        "can improve.",
    ),
    Claim(
        id="dyn-dirac-conserved",
        title="Integral curves of the Dirac-GAN field keep theta^2 + psi^2 constant",
        source=f"{S2} § Lemma (integral curves do not converge)",
        statement=Eq(LieDerivative(theta**2 + psi**2, FieldOf(S("dirac"), S("gan"), S("none"))), 0),
        verifier=VG.conserved,
        twins=(Twin("theta^2 + 2 psi^2", Eq(LieDerivative(theta**2 + 2 * psi**2,
                                                              FieldOf(S("dirac"), S("gan"), S("none"))), 0)),),
    ),
    Claim(
        id="dyn-dirac-simgd-eigenvalues",
        title="Simultaneous GD on the Dirac-GAN: eigenvalues 1 +- h f'(0) i",
        source=f"{S2} § Lemma (simultaneous gradient does not converge)",
        statement=Eq(Spectrum(UJ("simgd")), sp.Tuple(1 + IM * h * fp0, 1 - IM * h * fp0)),
        verifier=VG.spectrum,
        twins=(Twin("1 +- h f'(0)", Eq(Spectrum(UJ("simgd")), sp.Tuple(1 + h * fp0, 1 - h * fp0))),),
    ),
    Claim(
        id="dyn-dirac-simgd-unstable",
        title="... with modulus sqrt(1 + h^2 f'(0)^2) > 1 for every h > 0: never stable",
        source=f"{S2} § Lemma (simultaneous gradient does not converge)",
        statement=StrictGreaterThan(SpectralRadius(UJ("simgd")), 1),
        verifier=VG.radius_bound,
        twins=(Twin("stable (rho < 1)", StrictLessThan(SpectralRadius(UJ("simgd")), 1)),),
    ),
    *[
        Claim(
            id=f"dyn-dirac-altgd-eigenvalues-{ng}-{nd}",
            title=f"Alternating GD (n_g={ng}, n_d={nd}): 1 - a^2/2 +- sqrt((1 - a^2/2)^2 - 1), "
            "a = sqrt(n_g n_d) h f'(0)",
            source=f"{S2} § Lemma (alternating gradient descent does not converge)",
            statement=Eq(Spectrum(UJ("altgd", n_g=ng, n_d=nd)), _alt(ng, nd)),
            verifier=VG.spectrum,
            twins=(Twin("a = (n_g + n_d) h f'(0)", Eq(Spectrum(UJ("altgd", n_g=ng, n_d=nd)),
                                                          _alt(1, (ng + nd) ** 2))),),
            note="Checked for this (n_g, n_d); the update is n_g generator steps, then n_d discriminator steps.",
        )
        for ng, nd in ((1, 1), (1, 5), (3, 2))
    ],
    Claim(
        id="dyn-dirac-altgd-det-one",
        title="... the update Jacobian has determinant 1, so its eigenvalues cannot both lie strictly "
        "inside the unit circle",
        source=f"{S2} § Lemma (alternating gradient descent does not converge)",
        statement=Eq(Det(UJ("altgd", n_g=3, n_d=2)), 1),
        verifier=V.matrix_scalar,
        twins=(Twin("det 1 - h^2 f'(0)^2", Eq(Det(UJ("altgd", n_g=3, n_d=2)), 1 - h**2 * fp0**2)),),
    ),
    Claim(
        id="dyn-instance-noise-eigenvalues",
        title="Instance noise (std sigma): eigenvalues f''(0) sigma^2 +- sqrt(f''(0)^2 sigma^4 - f'(0)^2)",
        source=f"{S2} § Lemma (instance noise)",
        statement=Eq(Spectrum(FJ(reg="instance-noise")),
                        sp.Tuple(fpp0 * sigma**2 + sp.sqrt(fpp0**2 * sigma**4 - fp0**2),
                                 fpp0 * sigma**2 - sp.sqrt(fpp0**2 * sigma**4 - fp0**2))),
        verifier=VG.spectrum,
        twins=(Twin("2 f''(0) sigma^2 +- ...", Eq(Spectrum(FJ(reg="instance-noise")),
                    sp.Tuple(2 * fpp0 * sigma**2 + sp.sqrt(fpp0**2 * sigma**4 - fp0**2),
                             2 * fpp0 * sigma**2 - sp.sqrt(fpp0**2 * sigma**4 - fp0**2)))),),
        note="Data N(0, sigma^2) and generator N(theta, sigma^2) (one noise draw each); the expectation "
        "over the noise is taken exactly on the Jacobian's polynomial in the noise.",
    ),
    Claim(
        id="dyn-instance-noise-stable",
        title="For every f with f''(0) < 0 (and f'(0) != 0), instance noise sigma > 0 puts both eigenvalues of the "
        "Dirac-GAN's Jacobian in Re < 0",
        source=f"{S2} § Creating convergent procedures",
        statement=StrictLessThan(SpectralAbscissa(_noise(fpp0=-KAPPA)), 0),
        verifier=VG.radius_bound,
        twins=(Twin("instance: the GAN loss, f''(0) = -1/4",
                    StrictLessThan(SpectralAbscissa(FJ(loss="gan", reg="instance-noise")), 0), holds=True),
               Twin("the caveat dropped: f''(0) = 0 (the WGAN loss)",
                    StrictLessThan(SpectralAbscissa(FJ(loss="wgan", reg="instance-noise")), 0)),
               Twin("f''(0) > 0", StrictLessThan(SpectralAbscissa(_noise(fpp0=KAPPA)), 0)),
               Twin("no noise (sigma = 0)", StrictLessThan(SpectralAbscissa(_noise(fpp0=-KAPPA, sigma=0)), 0))),
        note="f''(0) is the symbol -kappa with kappa > 0, f'(0) > 0 and sigma > 0 symbols: the Jacobian of the "
        "noisy field (derived, expectation over the noise taken exactly) has trace 2 f''(0) sigma^2 < 0 and "
        "determinant f'(0)^2 > 0, so Routh-Hurwitz decides it for all of them at once. The GAN loss is the "
        "instance the slides show.",
    ),
    Claim(
        id="dyn-r1-eigenvalues",
        title="R1 (or R2) penalty gamma: eigenvalues -gamma/2 +- sqrt(gamma^2/4 - f'(0)^2)",
        source="Mescheder et al. 2018, Sec. 4.1 and Thm 4.1 (R1/R2 on the Dirac-GAN)",
        statement=Eq(Spectrum(FJ(reg="r1")), sp.Tuple(-gamma / 2 + sp.sqrt(gamma**2 / 4 - fp0**2),
                                                         -gamma / 2 - sp.sqrt(gamma**2 / 4 - fp0**2))),
        verifier=VG.spectrum,
        twins=(Twin("-gamma +- ...", Eq(Spectrum(FJ(reg="r1")),
                                        sp.Tuple(-gamma + sp.sqrt(gamma**2 / 4 - fp0**2),
                                                 -gamma - sp.sqrt(gamma**2 / 4 - fp0**2)))),),
    ),
    Claim(
        id="dyn-consensus-eigenvalues",
        title="Consensus optimization v - gamma grad(|v|^2/2): eigenvalues -gamma f'(0)^2 +- f'(0) i",
        source=f"{S4} § 3.1 Zero-sum games (gradient penalty; Mescheder et al. 2017, Sec. 4)",
        statement=Eq(Spectrum(FJ(reg="consensus")), sp.Tuple(-gamma * fp0**2 + IM * fp0, -gamma * fp0**2 - IM * fp0)),
        verifier=VG.spectrum,
        twins=(Twin("-gamma f'(0) +- f'(0) i", Eq(Spectrum(FJ(reg="consensus")),
                                                      sp.Tuple(-gamma * fp0 + IM * fp0, -gamma * fp0 - IM * fp0))),),
    ),
    Claim(
        id="dyn-wgan-gp-jump",
        title="WGAN-GP on the Dirac-GAN: v_psi(0, psi) -> gamma as psi -> 0+, but v_psi(0, 0) = 0: "
        "the field has no Jacobian at the equilibrium",
        source="Gulrajani et al. 2017; Mescheder et al. 2018, Sec. 3.3 (WGAN-GP)",
        statement=Eq(sp.Limit(v_gp, psi, 0, "+"), gamma),
        verifier=V.limit_value,
        twins=(Twin("continuous (limit 0)", Eq(sp.Limit(v_gp, psi, 0, "+"), 0)),),
        note="The penalty (gamma/2)(|psi| - 1)^2 has derivative gamma (|psi| - 1) sign(psi), which jumps "
        "at psi = 0; no eigenvalues are reported for it (gantheory dynamics says so).",
    ),
    Claim(
        id="dyn-wgan-clipping-no-convergence",
        title="WGAN with weight clipping, alternating GD (n_d = 5), fixed h: does not converge on the Dirac-GAN",
        source=f"{S2} § Wasserstein GAN",
        statement=Eq(Converges(S("dirac"), S("wgan"), S("altgd"), sp.Rational(1, 10), 5, 1), False),
        verifier=VG.simulation_outcome,
        twins=(Twin("converges", Eq(Converges(S("dirac"), S("wgan"), S("altgd"), sp.Rational(1, 10), 5, 1),
                                        True)),),
    ),
    Claim(
        id="dyn-r1-simgd-converges",
        title="... while R1 (gamma = 1) with simultaneous GD (h = 0.1) converges on the Dirac-GAN",
        source="Mescheder et al. 2018, Thm 4.1",
        statement=StrictLessThan(SpectralRadius(AtParams(UJ("simgd", loss="gan", reg="r1",
                                                               step=sp.Rational(1, 10)), 1, 1)), 1),
        verifier=VG.radius_bound,
        twins=(Twin("no penalty", StrictLessThan(SpectralRadius(UJ("simgd", loss="gan", step=sp.Rational(1, 10))),
                                                     1)),),
    ),
    Claim(
        id="dyn-bilinear-update-jacobian",
        title="Bilinear game theta.phi: the GD operator has Jacobian [[1, -h], [h, 1]]",
        source=f"{S4} § 3 GANs as games (eq. 8)",
        statement=Eq(UJ("simgd", game="bilinear", loss="gan"), sp.Matrix([[1, -h], [h, 1]])),
        verifier=VG.matrix_equal,
        twins=(Twin("[[1, h], [h, 1]]", Eq(UJ("simgd", game="bilinear", loss="gan"), sp.Matrix([[1, h], [h, 1]]))),),
        note="State (theta, phi), theta minimizes and phi maximizes theta phi; the seed orders (phi, theta) "
        "with x <- x - eta v, which gives the same matrix.",
    ),
    Claim(
        id="dyn-bilinear-field-eigenvalues",
        title="... and the field's Jacobian has eigenvalues +- i",
        source=f"{S4} § 3 GANs as games",
        statement=Eq(Spectrum(FJ("bilinear", "gan")), sp.Tuple(IM, -IM)),
        verifier=VG.spectrum,
        twins=(Twin("+- 1", Eq(Spectrum(FJ("bilinear", "gan")), sp.Tuple(1, -1))),),
    ),
    Claim(
        id="dyn-lemma8-step-bound",
        title="Lemma 8: for Re(lambda) < 0, |1 + h lambda| < 1 iff h < 2 / (|Re lambda| (1 + (Im/Re)^2))",
        source=f"{S4} § 3.1 Zero-sum games (Lemma 8 = Lemma 4 of Mescheder et al. 2017)",
        statement=Eq(StableStepBound(a_neg + IM * b_real), 2 / (sp.Abs(a_neg) * (1 + (b_real / a_neg) ** 2))),
        verifier=VG.step_bound,
        twins=(Twin("factor 2 dropped", Eq(StableStepBound(a_neg + IM * b_real),
                                              1 / (sp.Abs(a_neg) * (1 + (b_real / a_neg) ** 2)))),
               Twin("(Im/Re) not squared", Eq(StableStepBound(a_neg + IM * b_real),
                                                 2 / (sp.Abs(a_neg) * (1 + sp.Abs(b_real / a_neg)))))),
    ),
    Claim(
        id="dyn-lemma8-spectrum",
        title="Lemma 8 for a matrix: if Re lambda < 0 on sigma(A) and h > 0, then rho(I + hA) < 1 iff "
        "h < 2 / (|Re lambda| (1 + (Im lambda / Re lambda)^2)) for every lambda in sigma(A)",
        source=f"{S4} § 3.1 Zero-sum games (Lemma 8 = Lemma 4 of Mescheder et al. 2017)",
        statement=_lemma8(),
        verifier=VC.matrix_logic,
        twins=(Twin("for one eigenvalue only", _lemma8(quantifier=SomeEigenvalue)),
               Twin("without Re lambda < 0 (the caveat dropped)", _lemma8(premise=False)),
               Twin("factor 2 dropped", _lemma8(bound_factor=1))),
        note="A is a general 2 x 2 matrix with symbolic entries and h a symbol; both are drawn as random rationals, "
        "so repeated, real and complex eigenvalues occur, and so does h exactly at the bound (decided exactly "
        "there: Schur's transform for rho(I + hA) < 1, exact eigenvalues for the bound). The bound must hold "
        "for the whole spectrum: with eigenvalues -1 and -3, h = 1 meets the bound of -1 but |1 - 3| = 2. "
        "Without Re lambda < 0 the |Re lambda| in the bound admits unstable matrices (A = I, h = 1). "
        "dyn-lemma8-step-bound derives the bound itself for one eigenvalue (the case d = 1).",
    ),
    Claim(
        id="dyn-lemma8-large-imaginary-part",
        title="A large |Im lambda| forces a small step: Lemma 8's bound for lambda = a + ib (a < 0) tends to 0 as "
        "b -> oo",
        source=f"{S4} § 3.1 Zero-sum games (after Lemma 8: 'if either the real or imaginary component have very "
        "large magnitude then a very small learning rate is needed')",
        statement=Eq(sp.Limit(StableStepBound(a_neg + IM * b_real), b_real, sp.oo), 0),
        verifier=V.limit_value,
        twins=(Twin("the imaginary part does not matter: 2/|a|",
                    Eq(sp.Limit(StableStepBound(a_neg + IM * b_real), b_real, sp.oo), 2 / sp.Abs(a_neg))),
               Twin("any step: the limit is oo", Eq(sp.Limit(StableStepBound(a_neg + IM * b_real), b_real, sp.oo),
                                                    sp.oo))),
        note="The bound is derived from |1 + h lambda|^2 = 1 (h = -2a / (a^2 + b^2)), not read from Lemma 8.",
    ),
    Claim(
        id="dyn-lemma8-large-real-part",
        title="... and so does a large |Re lambda|: the bound tends to 0 as a -> -oo",
        source=f"{S4} § 3.1 Zero-sum games (after Lemma 8)",
        statement=Eq(sp.Limit(StableStepBound(a_neg + IM * b_real), a_neg, -sp.oo), 0),
        verifier=V.limit_value,
        twins=(Twin("a large |Re lambda| allows any step (limit oo)",
                    Eq(sp.Limit(StableStepBound(a_neg + IM * b_real), a_neg, -sp.oo), sp.oo)),
               Twin("the limit is 2/|b|", Eq(sp.Limit(StableStepBound(a_neg + IM * b_real), a_neg, -sp.oo),
                                             2 / sp.Abs(b_real)))),
        note="Strong damping (|Re lambda| large) is no licence for large steps in explicit GD: the step "
        "must shrink like 2/|Re lambda|.",
    ),
    Claim(
        id="dyn-consensus-stable-gammas",
        title="Consensus optimization on the Dirac-GAN (GAN loss), simultaneous GD with h = 1: locally "
        "convergent iff 4 - 2 sqrt(3) < gamma < 4 + 2 sqrt(3) -- 'with the right gamma', not with any larger one",
        source=f"{S4} § 3.1 Zero-sum games (the gradient penalty 'allowing for larger learning rates', "
        "Mescheder et al. 2017)",
        statement=Eq(StableSet(AtParams(UJ("simgd", loss="gan", reg="consensus", step=1), gamma, 1), gamma,
                               sp.Interval.open(0, sp.oo)),
                     sp.Interval.open(4 - 2 * sp.sqrt(3), 4 + 2 * sp.sqrt(3))),
        verifier=VC.stable_set,
        twins=(Twin("every gamma > 0", Eq(StableSet(AtParams(UJ("simgd", loss="gan", reg="consensus", step=1),
                                                             gamma, 1), gamma, sp.Interval.open(0, sp.oo)),
                                          sp.Interval.open(0, sp.oo))),
               Twin("every large enough gamma (more regularization never hurts)",
                    Eq(StableSet(AtParams(UJ("simgd", loss="gan", reg="consensus", step=1), gamma, 1), gamma,
                                 sp.Interval.open(0, sp.oo)), sp.Interval.open(4 - 2 * sp.sqrt(3), sp.oo)))),
        note="The update operator is derived from the regularized field v - gamma grad(|v|^2/2). Its eigenvalues "
        "1 - h gamma f'(0)^2 +- i h f'(0) give the stable steps h < 2 gamma / (1 + gamma^2 f'(0)^2): without the "
        "penalty no step is stable, and the largest stable step grows with gamma only up to gamma = 1/f'(0) (here "
        "2), where it is 1/f'(0), then shrinks. At h = 1 the exact stable set in gamma is bounded on both sides.",
    ),
    Claim(
        id="dyn-bilinear-altgd-negative-momentum",
        title="Bilinear game: alternating GD with negative momentum (beta = -1/2, h = 1/2) converges",
        source=f"{S4} § 4.2 Negative Momentum in Games (Gidel et al. 2019)",
        statement=StrictLessThan(SpectralRadius(UJ("altgd", "bilinear", "gan", step=half, beta=-half)), 1),
        verifier=VG.radius_bound,
        twins=(Twin("positive momentum beta = 1/2", StrictLessThan(
            SpectralRadius(UJ("altgd", "bilinear", "gan", step=half, beta=half)), 1)),),
    ),
    Claim(
        id="dyn-bilinear-altgd-no-momentum",
        title="... and without momentum alternating GD does not converge (rho = 1)",
        source=f"{S4} § 4.2 Negative Momentum in Games",
        statement=Eq(Det(UJ("altgd", "bilinear", "gan", step=half)), 1),
        verifier=V.matrix_scalar,
        twins=(Twin("det 3/4", Eq(Det(UJ("altgd", "bilinear", "gan", step=half)), sp.Rational(3, 4))),),
    ),
    Claim(
        id="dyn-bilinear-simgd-momentum-diverges",
        title="Bilinear game: simultaneous GD diverges with negative momentum too (beta = -1/2, h = 1/2)",
        source=f"{S4} § 4.2 Negative Momentum in Games",
        statement=StrictGreaterThan(SpectralRadius(UJ("simgd", "bilinear", "gan", step=half, beta=-half)), 1),
        verifier=VG.radius_bound,
        twins=(Twin("converges", StrictLessThan(SpectralRadius(UJ("simgd", "bilinear", "gan", step=half,
                                                                        beta=-half)), 1)),),
    ),
    Claim(
        id="dyn-bilinear-extragradient-converges",
        title="Bilinear game: extragradient with h = 1/2 converges (rho^2 = 1 - h^2 + h^4)",
        source="Korpelevich 1976; Gidel et al. 2019 (extragradient on bilinear games)",
        statement=StrictLessThan(SpectralRadius(UJ("extragradient", "bilinear", "gan", step=half)), 1),
        verifier=VG.radius_bound,
        twins=(Twin("h = 3/2", StrictLessThan(SpectralRadius(UJ("extragradient", "bilinear", "gan",
                                                                    step=sp.Rational(3, 2))), 1)),
               Twin("h = 1, where rho = 1 exactly (marginal is not convergent)",
                    StrictLessThan(SpectralRadius(UJ("extragradient", "bilinear", "gan", step=sp.Integer(1))), 1))),
    ),
    Claim(
        id="dyn-bilinear-optimistic-converges",
        title="Bilinear game: optimistic GD with h = 1/4 converges",
        source="Daskalakis et al. 2018 (optimistic mirror descent in zero-sum games)",
        statement=StrictLessThan(SpectralRadius(UJ("optimistic", "bilinear", "gan", step=sp.Rational(1, 4))), 1),
        verifier=VG.radius_bound,
        twins=(Twin("plain simultaneous GD", StrictLessThan(SpectralRadius(UJ("simgd", "bilinear", "gan",
                                                                                 step=sp.Rational(1, 4))), 1)),),
    ),
    Claim(
        id="dyn-lemma6-zero-sum-psd",
        title="Lemma 6: for zero-sum games, grad v is PSD iff Hess_phi L is PSD and Hess_theta L is NSD",
        source=f"{S4} § 3.1 Zero-sum games (Lemma 6)",
        statement=sp.Equivalent(IsPSD(L6_J), sp.And(IsPSD(L6_A), IsPSD(-L6_C))),
        verifier=VC.matrix_logic,
        twins=(Twin("Hess_theta L PSD instead", sp.Equivalent(IsPSD(L6_J), sp.And(IsPSD(L6_A), IsPSD(L6_C)))),
               Twin("an extra condition b_12 = 0", sp.Equivalent(IsPSD(L6_J), sp.And(IsPSD(L6_A), IsPSD(-L6_C),
                                                                                     Eq(L6_B[0, 1], 0))))),
        note="grad v = [[A, B], [-B^T, -C]] (eq. 9) with A = Hess_phi L, C = Hess_theta L symmetric 2 x 2 and B "
        "general, their entries symbols; decided at random rational entries.",
    ),
    Claim(
        id="dyn-corollary7-local-ne-psd",
        title="Corollary 7: at every local Nash equilibrium of a zero-sum game, grad v is PSD",
        source=f"{S4} § 3.1 Zero-sum games (Corollary 7)",
        statement=GreaterThan(LocalNashSymEig(), 0),
        verifier=VC.local_nash_eigen,
        twins=(Twin("positive definite (too strong)", StrictGreaterThan(LocalNashSymEig(), 0)),),
        note="Local Nash equilibria are decided from the definition (each player's own loss has a local minimum "
        "at the point: exact derivative test of a polynomial), not from Hessian conditions, on random polynomial "
        "games with quadratic, cubic and quartic terms. The PD twin fails at a degenerate one (e.g. phi^4).",
    ),
    Claim(
        id="dyn-corollary7-sufficient",
        title="The converse direction of Corollary 7: a stationary point with Hess_phi L > 0 and Hess_theta L < 0 "
        "is a local Nash equilibrium of the zero-sum game",
        source=f"{S4} § 3.1 Zero-sum games (after Corollary 7: 'Summarizing the previous results')",
        statement=LocalNashIf(S("hessians")),
        verifier=VC.local_nash_sufficient,
        twins=(Twin("semidefinite Hessians (strictness dropped)", LocalNashIf(S("hessians_semidefinite"))),
               Twin("only Hess_phi L > 0", LocalNashIf(S("phi_only")))),
        note="Decided on random polynomial zero-sum games from the definition of a local Nash equilibrium (each "
        "player's own loss has a local minimum at the point, by the exact derivative test), not from Hessian "
        "conditions. Strictness matters: L = phi^3 has Hess_phi L = 0 >= 0 at a point that is no local minimum "
        "for phi. For these one-dimensional players the condition is grad v's symmetric part diag(L_phiphi, "
        "-L_thetatheta) > 0.",
    ),
    Claim(
        id="dyn-local-convergence-rate-as-printed",
        title="Local convergence theorem as printed: |lambda_i(F'(x))| < 1 gives ||F^(k)(x0) - x|| in "
        "O(|lambda_max|^k) -- for every such Jacobian (here the family [[1/2, b], [0, 1/2]], rho = 1/2)",
        source=f"{S2} § Theorem (sufficient condition for local convergence [Mescheder, 2017])",
        statement=Eq(PowerBound(JORDAN_FAMILY, HALF), True),
        verifier=VG.power_bound,
        expected=False,
        correction="dyn-property3-rate",
        twins=(Twin("corrected: O((rho + eps)^k) for every eps > 0 (Property 3, seed 004)",
                    Eq(PowerBound(JORDAN_FAMILY, HALF + EPS), True), holds=True),
               Twin("rate rho / 2", Eq(PowerBound(JORDAN_FAMILY, HALF / 2), True))),
        note="A Jacobian with a Jordan block at its largest eigenvalue (b != 0) gives ||F^k|| ~ k rho^k: the "
        "ratio to rho^k grows like k (20, 200, 2000 at k = 10, 100, 1000 for b = 1). The rate holds with "
        "rho + eps for every eps > 0 (Bertsekas Prop. 4.4.1, stated so in seed 004, Property 3), or with rho "
        "itself when the eigenvalues of modulus rho are semisimple (diagonalizable Jacobians).",
    ),
    Claim(
        id="dyn-property3-rate",
        title="Property 3 (Bertsekas Prop. 4.4.1): spectral radius rho < 1 gives a linear rate O((rho + eps)^t) "
        "for every eps > 0 (checked where it matters: a Jordan block, [[1/2, b], [0, 1/2]])",
        source=f"{S4} § 2 Vector fields in optimization (Property 3)",
        statement=Eq(PowerBound(JORDAN_FAMILY, HALF + EPS), True),
        verifier=VG.power_bound,
        twins=(Twin("eps = 0: O(rho^t)", Eq(PowerBound(JORDAN_FAMILY, HALF), True)),
               Twin("rate rho - eps", Eq(PowerBound(JORDAN_FAMILY, HALF - EPS), True))),
        note="Decided from the Jordan form: ||M^t|| = O(r^t) iff r > rho, or r = rho with the eigenvalues "
        "of modulus rho semisimple. The eps cannot be dropped for a defective Jacobian (the twin).",
    ),
    Claim(
        id="dyn-property3-nonlinear",
        title="Property 3 for a nonlinear map: F(x, y) = (x/2 + y + x^2, y/2 + xy) has rho(F'(0)) = 1/2, and from "
        "every start near 0 its iterates approach 0 at the rate O((1/2 + eps)^t), for every eps > 0",
        source=f"{S4} § 2 Vector fields in optimization (Property 3)",
        statement=Eq(IterationRate(P3_MAP, P3_VARS, P3_POINT, HALF + EPS, S("near")), sp.true),
        verifier=VG.iteration_rate,
        twins=(Twin("eps = 0: O((1/2)^t) (the Jordan block's factor t)",
                    Eq(IterationRate(P3_MAP, P3_VARS, P3_POINT, HALF, S("near")), sp.true)),
               Twin("from any start (the neighbourhood dropped: x_0 at distance 2)",
                    Eq(IterationRate(P3_MAP, P3_VARS, P3_POINT, HALF + EPS, 2), sp.true)),
               Twin("rate 1/2 - eps", Eq(IterationRate(P3_MAP, P3_VARS, P3_POINT, HALF - EPS, S("near")), sp.true))),
        note="The map is nonlinear (quadratic terms) and its Jacobian at the fixed point is the Jordan block "
        "[[1/2, 1], [0, 1/2]], so both caveats of Property 3 can be seen: the eps (the distance behaves like "
        "t 2^-t) and the neighbourhood (from distance 2 the quadratic terms win and the iterates blow up). "
        "Iterated in 30-digit arithmetic from 8 starting directions; dyn-property3-rate decides the linear "
        "case exactly.",
    ),
    Claim(
        id="dyn-local-convergence-dirac-r1",
        title="The local convergence theorem on a GAN's own (nonlinear) update: simultaneous GD with R1 (gamma = 1, "
        "h = 1/10) on the Dirac-GAN has rho(F'(0)) = 19/20 and converges from every start near 0 at the rate "
        "O((19/20 + eps)^t), for every eps > 0 -- not O((19/20)^t)",
        source=f"{S2} § Theorem (sufficient condition for local convergence [Mescheder, 2017])",
        statement=Eq(IterationRate(R1_MAP, R1_VARS, P3_POINT, sp.Rational(19, 20) + EPS, S("near")), sp.true),
        verifier=VG.iteration_rate,
        twins=(Twin("as printed: O(|lambda_max|^t) = O((19/20)^t)",
                    Eq(IterationRate(R1_MAP, R1_VARS, P3_POINT, sp.Rational(19, 20), S("near")), sp.true)),
               Twin("rate 9/10", Eq(IterationRate(R1_MAP, R1_VARS, P3_POINT, sp.Rational(9, 10), S("near")),
                                    sp.true))),
        note="F(theta, psi) = (theta, psi) + h v(theta, psi), v the Dirac-GAN's field with the GAN loss and the R1 "
        "penalty (derived by gantheory.symbolic._games.field), so F is nonlinear (it contains the sigmoid). "
        "gamma = 1 = 2 f'(0) is R1's critical damping (lit-r1-critical-damping): F'(0) = [[1, -1/20], [1/20, "
        "9/10]] has the double eigenvalue 19/20 and is not diagonalizable, so the distance behaves like "
        "t (19/20)^t and the printed O(|lambda_max|^k) (dyn-local-convergence-rate-as-printed) fails on a "
        "GAN's own update, while Property 3's O((rho + eps)^t) holds.",
    ),
    Claim(
        id="dyn-proposition-small-steps",
        title="If every eigenvalue of v' has negative real part, some h > 0 puts the eigenvalues of I + h v' "
        "inside the unit circle",
        source=f"{S2} § proposition (sufficient condition for convergence [Mescheder, 2017])",
        statement=sp.Implies(IsHurwitz(P_A), HasStableStep(P_A)),
        verifier=VC.matrix_logic,
        twins=(Twin("positive real parts instead", sp.Implies(IsHurwitz(-P_A), HasStableStep(P_A))),
               Twin("without the premise (every matrix)", HasStableStep(P_A))),
        note="A is a general 2 x 2 matrix with symbolic entries; whether a stable step exists is decided exactly "
        "from the characteristic polynomial of I + hA (its stable set in h), at random rational entries. The "
        "converse also holds (|1 + h lambda| < 1 forces Re lambda < 0), so it is no twin.",
    ),
]
