"""Vector fields, update operators and stable step sizes (seed 004 §§ 2-4; seed 002's update operators).

Each statement names the map it is about (a gradient step on a loss, the game's field, the momentum
operator of eq. (12)); the verifier differentiates that map, solves its fixed-point equation or
derives the exact set of step sizes (or momenta) for which every eigenvalue of its Jacobian lies
strictly inside the unit circle (:func:`gantheory.symbolic._stability.stable_set`).

Conventions: seed 004 writes steps ``x <- x - eta v`` with v the gradients of the players' own
losses; gantheory's games (seed 002) write ``x <- x + h v`` with ``v = (-grad_theta L, grad_psi L)``.
"""

from __future__ import annotations

import sympy as sp

from gantheory._claim import Claim, Twin
from gantheory.symbolic._atoms import (
    AtParams,
    AtPoint,
    Conservative,
    HessianOf,
    IsNash,
    JacobianOf,
    LocalMinimizers,
    Minimizer,
    NormIsRadius,
    Solutions,
    Spectrum,
    StableSet,
    UpdateJac,
)
from gantheory.symbolic._games import beta, field, h, psi, theta
from gantheory.symbolic._games import gamma as G_gamma
from gantheory.topics._statement import Eq
from gantheory.verify import calculus as VC
from gantheory.verify import games as VG

S2 = "002_c2a2977b6273c765.txt"
S4 = "004_c244375ad6f330fe.txt"
S = sp.Symbol
Mx = sp.ImmutableMatrix
half = sp.Rational(1, 2)
POS = sp.Interval.open(0, sp.oo)



def UJ(optimizer, game="dirac", loss="gan", reg="none", step=h, n_g=1, n_d=1, b=0):
    return UpdateJac(S(game), S(loss), S(reg), S(optimizer), step, n_g, n_d, b)


# -- seed 004 § 2: optimization ------------------------------------------------------------------
eta = sp.Symbol("eta", positive=True)
hc = sp.Symbol("h", positive=True)  # curvature of the quadratic example (eq. 2)
t1, t2 = sp.symbols("theta_1 theta_2", real=True)
a_, b_, c_ = sp.symbols("a b c", real=True)
Lgen = sp.Function("L")(t1, t2)  # a general smooth loss
grad_L = Mx([sp.diff(Lgen, t1), sp.diff(Lgen, t2)])
F_eta = Mx([t1 - eta * grad_L[0], t2 - eta * grad_L[1]])
H_sym = Mx([[a_, b_], [b_, c_]])
L_quad2 = (Mx([[t1, t2]]) * H_sym * Mx([t1, t2]))[0] / 2
F_quad2 = Mx([t1, t2]) - eta * Mx([sp.diff(L_quad2, t1), sp.diff(L_quad2, t2)])
mu_pm = ((a_ + c_) / 2 + sp.sqrt((a_ - c_) ** 2 / 4 + b_**2), (a_ + c_) / 2 - sp.sqrt((a_ - c_) ** 2 / 4 + b_**2))
th = sp.Symbol("theta", real=True)
L_quad = hc * th**2 / 2  # eq. (2)
L_quartic = th**4 / 4 - th**2 / 2  # stationary points -1, 0, 1


def gd_step(L, x, step=eta):
    return x - step * sp.diff(L, x)


# -- seed 004 § 3: games -------------------------------------------------------------------------
ph, tt = sp.symbols("phi theta", real=True)
L_phi7, L_theta7 = tt * ph, -tt * ph  # eq. (7)
v7 = Mx([sp.diff(L_phi7, ph), sp.diff(L_theta7, tt)])
p1, p2 = sp.symbols("phi_1 phi_2", real=True)
Lzs = sp.Function("L")(p1, p2, tt)  # a general zero-sum game, phi in R^2, theta in R (eq. 9)
v9 = Mx([sp.diff(Lzs, p1), sp.diff(Lzs, p2), sp.diff(-Lzs, tt)])


def _eq9(sign):
    Hpp = sp.hessian(Lzs, (p1, p2))
    Hpt = Mx([sp.diff(Lzs, p1, tt), sp.diff(Lzs, p2, tt)])
    Htt = sp.diff(Lzs, tt, 2)
    return Mx(sp.BlockMatrix([[Hpp, Hpt], [sign * Hpt.T, Mx([[-Htt]])]]).as_explicit())


# seed 004 § 3.1's notation: [3] maximizes f (phi) and g (theta) with steps x + h grad; the lecture minimizes
# L^Phi = -f and L^Theta = -g with steps x - eta v
f_max, g_max = sp.Function("f")(ph, tt), sp.Function("g")(ph, tt)
step_max = Mx([ph + eta * sp.diff(f_max, ph), tt + eta * sp.diff(g_max, tt)])


def step_min(L_phi, L_theta):
    return Mx([ph - eta * sp.diff(L_phi, ph), tt - eta * sp.diff(L_theta, tt)])


# eq. (10): a zero-sum game with a stationary point that is no Nash equilibrium (phi's loss is
# concave in phi); gradient descent on 1/2 ||v||^2 is attracted to it, gradient descent on v is not.
L_phi10 = -ph**2 / 2 + ph * tt
v10 = Mx([sp.diff(L_phi10, ph), sp.diff(-L_phi10, tt)])
half_norm2 = (v10.T * v10)[0] / 2
gd_on_norm = Mx([ph - eta * sp.diff(half_norm2, ph), tt - eta * sp.diff(half_norm2, tt)])
gd_on_field = Mx([ph, tt]) - eta * v10
ORIGIN2 = sp.Tuple(0, 0)

# -- seed 004 § 4: heavy ball (eq. 11) and its augmented operator (eq. 12) -----------------------
x1, x2, y1, y2 = sp.symbols("x_1 x_2 y_1 y_2", real=True)  # x_t = (x1, x2), x_{t-1} = (y1, y2)
vgen = Mx([sp.Function("v_1")(x1, x2), sp.Function("v_2")(x1, x2)])
xt, xp = Mx([x1, x2]), Mx([y1, y2])
I2, Z2 = sp.eye(2), sp.zeros(2)


def eq12(low_left=I2, low_right=Z2, v=vgen, step=eta, b=beta):
    """Seed 004 eq. (12) as printed: [[I, 0], [I, 0]] X - eta [v(x_t); 0] + beta [[I, -I], [0, 0]] X."""
    X = Mx.vstack(xt, xp)
    top = Mx(sp.BlockMatrix([[I2, Z2], [low_left, low_right]]).as_explicit())
    mom = Mx(sp.BlockMatrix([[I2, -I2], [Z2, Z2]]).as_explicit())
    return sp.MatAdd(sp.MatMul(top, X, evaluate=False), sp.MatMul(-step, Mx.vstack(v, sp.zeros(2, 1)), evaluate=False),
                     sp.MatMul(b, mom, X, evaluate=False), evaluate=False)


heavy_ball = Mx.vstack(xt - eta * vgen + beta * (xt - xp), xt)  # eq. (11), stacked with x_t
# The Dirac-GAN in seed 004's convention: v = gradients of the players' own losses = -(gantheory's field)
v_dirac = -field("dirac", "gan", "none")
v_dirac_xy = Mx([v_dirac[0].subs({theta: x1, psi: x2}, simultaneous=True),
                 v_dirac[1].subs({theta: x1, psi: x2}, simultaneous=True)])
STATE4 = sp.Tuple(x1, x2, y1, y2)
ZERO4 = sp.Tuple(0, 0, 0, 0)

# -- seed 002: the update operators F_h, simultaneous and alternating -----------------------------
nu = field("dirac", "gan", "none")  # (-dL/dtheta, dL/dpsi), L = f(psi theta) + f(0)


def F1(x):  # generator step (theta moves, psi fixed)
    return Mx([x[0] + h * nu[0].subs({theta: x[0], psi: x[1]}, simultaneous=True), x[1]])


def F2(x):  # discriminator step (psi moves, theta fixed)
    return Mx([x[0], x[1] + h * nu[1].subs({theta: x[0], psi: x[1]}, simultaneous=True)])


def compose(*maps):
    """compose(F2, F1)(x) = F2(F1(x)): the rightmost map is applied first."""
    x = Mx([theta, psi])
    for m in reversed(maps):
        x = m(x)
    return x


TP, ORIGIN = sp.Tuple(theta, psi), sp.Tuple(0, 0)

# the literature: two time scales, proximal point, Nagarajan & Kolter
hd_ = sp.Symbol("h_d", positive=True)
J_dirac = Mx(field("dirac", "gan", "none").jacobian([theta, psi]).subs({theta: 0, psi: 0}))
J_bilinear = Mx(field("bilinear", "gan", "none").jacobian([theta, psi]))
_f = sp.Lambda(sp.Symbol("t"), -sp.log(1 + sp.exp(-sp.Symbol("t"))))


def nk_field(eta_nk):
    """The Dirac-GAN field when the generator minimizes L + (eta/2)(dL/dpsi)^2 (Nagarajan & Kolter 2017)."""
    L = _f(psi * theta) + _f(0)
    LG = L + sp.Rational(eta_nk) / 2 * sp.diff(L, psi) ** 2
    return Mx([-sp.diff(LG, theta), sp.diff(L, psi)])


def Jat0(F):
    return AtPoint(JacobianOf(F, TP), TP, ORIGIN)


CLAIMS = [
    # ---- seed 004 § 2 -------------------------------------------------------------------------
    Claim(
        id="num-def1-gradient-field-conservative",
        title="Definition 1: the gradient field of a loss is conservative (here a quadratic loss with a "
        "general symmetric Hessian; the potential is recovered by integrating v)",
        source=f"{S4} § 2 Vector fields in optimization (Definition 1)",
        statement=Eq(Conservative(Mx([a_ * t1 + b_ * t2, b_ * t1 + c_ * t2]), sp.Tuple(t1, t2)), True),
        verifier=VC.conservative,
        twins=(Twin("a rotational part (b -> -b in the second row)",
                    Eq(Conservative(Mx([a_ * t1 + b_ * t2, -b_ * t1 + c_ * t2]), sp.Tuple(t1, t2)), True)),),
        note="On R^n a C^1 field is a gradient iff its Jacobian is symmetric (Poincare lemma); the verifier "
        "builds f by integrating v along rays from 0 and checks grad f = v.",
    ),
    Claim(
        id="num-gd-operator-jacobian",
        title="The Jacobian of the gradient step F_eta(theta) = theta - eta grad L(theta) is I - eta grad v, "
        "grad v = Hess L (for a general smooth L on R^2)",
        source=f"{S4} § 2 Vector fields in optimization (Definition 2)",
        statement=Eq(JacobianOf(F_eta, sp.Tuple(t1, t2)), Mx(sp.eye(2) - eta * sp.hessian(Lgen, (t1, t2)))),
        verifier=VC.calculus_identity,
        twins=(Twin("I + eta Hess L", Eq(JacobianOf(F_eta, sp.Tuple(t1, t2)),
                                         Mx(sp.eye(2) + eta * sp.hessian(Lgen, (t1, t2))))),
               Twin("factor eta dropped", Eq(JacobianOf(F_eta, sp.Tuple(t1, t2)),
                                             Mx(sp.eye(2) - sp.hessian(Lgen, (t1, t2)))))),
        note="Definition 2 (the Jacobian) is checked through its use here: the left side is computed by "
        "differentiating the update map; L is an undefined function (random cubic polynomials for refutation).",
    ),
    Claim(
        id="num-gd-jacobian-eigenvalues",
        title="Eq. (1): the eigenvalues of grad F_eta are 1 - eta lambda(grad v); real, since grad v = Hess L "
        "is symmetric (quadratic loss, general symmetric Hessian [[a, b], [b, c]])",
        source=f"{S4} § 2 Vector fields in optimization (eq. 1)",
        statement=Eq(Spectrum(JacobianOf(F_quad2, sp.Tuple(t1, t2))), sp.Tuple(*(1 - eta * m for m in mu_pm))),
        verifier=VC.spectrum_identity,
        twins=(Twin("1 + eta lambda", Eq(Spectrum(JacobianOf(F_quad2, sp.Tuple(t1, t2))),
                                         sp.Tuple(*(1 + eta * m for m in mu_pm)))),
               Twin("1 - eta lambda^2", Eq(Spectrum(JacobianOf(F_quad2, sp.Tuple(t1, t2))),
                                           sp.Tuple(*(1 - eta * m**2 for m in mu_pm))))),
        note="The eigenvalues of the Hessian [[a, b], [b, c]] are (a + c)/2 +- sqrt((a - c)^2/4 + b^2), real.",
    ),
    Claim(
        id="num-fixed-points-are-stationary",
        title="For eta != 0 the fixed points of F_eta are the stationary points of v (L = theta^4/4 - theta^2/2)",
        source=f"{S4} § 2 Vector fields in optimization",
        statement=Eq(Solutions(gd_step(L_quartic, th) - th, th), Solutions(sp.diff(L_quartic, th), th)),
        verifier=VC.set_identity,
        twins=(Twin("also at eta = 0 (every point is then fixed)",
                    Eq(Solutions(gd_step(L_quartic, th, 0) - th, th), Solutions(sp.diff(L_quartic, th), th))),),
        note="eta is a positive symbol; the twin at eta = 0 is the caveat the statement needs.",
    ),
    Claim(
        id="num-fixed-point-local-optimum-as-printed",
        title="As printed: a fixed point of the update signifies a local optimum (L = theta^4/4 - theta^2/2: its "
        "fixed points against its local minimizers)",
        source=f"{S4} § 3.1 Zero-sum games (a fixed point signifies that we are in a local optimum)",
        statement=Eq(Solutions(gd_step(L_quartic, th) - th, th), LocalMinimizers(L_quartic, th)),
        verifier=VC.set_identity,
        expected=False,
        correction="num-fixed-points-are-stationary",
        twins=(Twin("corrected: the fixed points are the stationary points",
                    Eq(Solutions(gd_step(L_quartic, th) - th, th), Solutions(sp.diff(L_quartic, th), th)), holds=True),
               Twin("only theta = 0 is fixed", Eq(Solutions(gd_step(L_quartic, th) - th, th), sp.FiniteSet(0)))),
        note="theta = 0 is a fixed point of gradient descent and a local maximum of L. A fixed point is a "
        "stationary point of v; whether the iteration is attracted to it is the spectral-radius question "
        "(Property 3): here |1 - eta L''(0)| = 1 + eta > 1, so it repels.",
    ),
    Claim(
        id="num-symmetric-norm-is-radius",
        title="For a symmetric matrix the operator 2-norm equals the spectral radius (so rho < 1 bounds every step)",
        source=f"{S4} § 2 Vector fields in optimization",
        statement=Eq(NormIsRadius(H_sym), True),
        verifier=VC.norm_radius,
        twins=(Twin("for a non-symmetric matrix [[a, b], [0, c]]", Eq(NormIsRadius(Mx([[a_, b_], [0, c_]])), True)),),
    ),
    Claim(
        id="num-quadratic-gd-stable-steps",
        title="Eq. (2): on L = h theta^2 / 2 gradient descent converges iff 0 < eta < 2/h (|1 - eta h| < 1)",
        source=f"{S4} § 2 Vector fields in optimization (eq. 2)",
        statement=Eq(StableSet(JacobianOf(Mx([gd_step(L_quad, th)]), sp.Tuple(th)), eta, POS),
                     sp.Interval.open(0, 2 / hc)),
        verifier=VC.stable_set,
        twins=(Twin("0 < eta < 1/h", Eq(StableSet(JacobianOf(Mx([gd_step(L_quad, th)]), sp.Tuple(th)), eta, POS),
                                        sp.Interval.open(0, 1 / hc))),
               Twin("0 < eta <= 2/h (eta = 2/h oscillates forever)",
                    Eq(StableSet(JacobianOf(Mx([gd_step(L_quad, th)]), sp.Tuple(th)), eta, POS),
                       sp.Interval.Lopen(0, 2 / hc)))),
    ),
    Claim(
        id="num-convex-gd-reaches-minimum-as-printed",
        title="As printed: with the update F_eta, on a convex loss the iterates trace a path to a minimum "
        "(no condition on eta) -- read on the convex quadratic of eq. (2)",
        source=f"{S4} § 2 Vector fields in optimization",
        statement=Eq(StableSet(JacobianOf(Mx([gd_step(L_quad, th)]), sp.Tuple(th)), eta, POS), POS),
        verifier=VC.stable_set,
        expected=False,
        correction="num-quadratic-gd-stable-steps",
        twins=(Twin("corrected: 0 < eta < 2/h", Eq(StableSet(JacobianOf(Mx([gd_step(L_quad, th)]), sp.Tuple(th)),
                                                             eta, POS), sp.Interval.open(0, 2 / hc)), holds=True),
               Twin("0 < eta < 3/h", Eq(StableSet(JacobianOf(Mx([gd_step(L_quad, th)]), sp.Tuple(th)), eta, POS),
                                        sp.Interval.open(0, 3 / hc)))),
        note="True of the gradient flow and of small steps; the update with a fixed step eta > 2/h multiplies "
        "theta by 1 - eta h < -1 and diverges on the convex quadratic (e.g. h = 1, eta = 3: theta_t = (-2)^t).",
    ),
    Claim(
        id="num-quadratic-linearization-exact",
        title="On a quadratic loss the update map is affine (its second derivative vanishes), so Property 3's "
        "local result holds from every starting point",
        source=f"{S4} § 2 Vector fields in optimization (quadratics: Prop. 3 is global)",
        statement=Eq(HessianOf(gd_step(L_quad, th), sp.Tuple(th)), Mx([[0]])),
        verifier=VC.calculus_identity,
        twins=(Twin("a quartic loss (theta^4/4 - theta^2/2)",
                    Eq(HessianOf(gd_step(L_quartic, th), sp.Tuple(th)), Mx([[0]]))),),
    ),
    # ---- seed 004 § 3 -------------------------------------------------------------------------
    Claim(
        id="num-game-field-not-conservative",
        title="The field of the game (7) (L_phi = theta phi, L_theta = -theta phi) is not conservative",
        source=f"{S4} § 3 GANs as games (eq. 7-8)",
        statement=Eq(Conservative(v7, sp.Tuple(ph, tt)), False),
        verifier=VC.conservative,
        twins=(Twin("conservative", Eq(Conservative(v7, sp.Tuple(ph, tt)), True)),),
        note="v = (grad_phi L_phi, grad_theta L_theta) = (theta, -phi) is derived from the losses; its Jacobian "
        "[[0, 1], [-1, 0]] is antisymmetric.",
    ),
    Claim(
        id="num-nash-bilinear-origin",
        title="Definition 4 on the game (7): (phi, theta) = (0, 0) is a Nash equilibrium",
        source=f"{S4} § 3 GANs as games (Definition 4)",
        statement=Eq(IsNash(L_phi7, L_theta7, sp.Tuple(ph, tt), ORIGIN2), True),
        verifier=VC.nash_point,
        twins=(Twin("(phi, theta) = (1, 0)", Eq(IsNash(L_phi7, L_theta7, sp.Tuple(ph, tt), sp.Tuple(1, 0)), True)),),
        note="Each player's global best responses to the other's action are computed exactly (polynomial losses).",
    ),
    Claim(
        id="num-maximization-notation",
        title="The two notations agree: gradient ascent on f and g ([3]) is the lecture's gradient descent on "
        "L^Phi = -f and L^Theta = -g (so Lemma 8's A is minus the lecture's grad v)",
        source=f"{S4} § 3.1 Zero-sum games (notation: L^Phi = -f, L^Theta = -g)",
        statement=Eq(step_max, step_min(-f_max, -g_max)),
        verifier=VC.calculus_identity,
        twins=(Twin("L^Phi = f (sign not flipped)", Eq(step_max, step_min(f_max, -g_max))),),
        note="f and g are general functions. The same update map means: the lecture's update Jacobian "
        "I - eta grad v equals [3]'s I + h A with A = -grad v, which is why Lemma 8 asks Re(lambda) < 0 of A.",
    ),
    Claim(
        id="num-zero-sum-field-jacobian",
        title="Eq. (9): for a zero-sum game grad v = [[Hess_phi L, grad_phi grad_theta L], "
        "[-(grad_phi grad_theta L)^T, -Hess_theta L]] (general L, phi in R^2, theta in R)",
        source=f"{S4} § 3.1 Zero-sum games (Definition 5, eq. 9)",
        statement=Eq(JacobianOf(v9, sp.Tuple(p1, p2, tt)), _eq9(-1)),
        verifier=VC.calculus_identity,
        twins=(Twin("lower-left block without the minus sign", Eq(JacobianOf(v9, sp.Tuple(p1, p2, tt)), _eq9(1))),),
        note="Definition 5 (L_theta = -L_phi) is used to form v = (grad_phi L, -grad_theta L).",
    ),
    Claim(
        id="num-norm-minimization-attracts-non-nash",
        title="Eq. (10): gradient descent on 1/2 ||v||^2 is attracted to a stationary point that is no Nash "
        "equilibrium: the steps 0 < eta < 3 - sqrt(5) converge to it (L_phi = -phi^2/2 + phi theta)",
        source=f"{S4} § 3.1 Zero-sum games (eq. 10: saddle points become attractive)",
        statement=Eq(StableSet(AtPoint(JacobianOf(gd_on_norm, sp.Tuple(ph, tt)), sp.Tuple(ph, tt), ORIGIN2), eta, POS),
                     sp.Interval.open(0, 3 - sp.sqrt(5))),
        verifier=VC.stable_set,
        twins=(Twin("gradient descent on the field itself converges there too",
                    Eq(StableSet(AtPoint(JacobianOf(gd_on_field, sp.Tuple(ph, tt)), sp.Tuple(ph, tt), ORIGIN2),
                                 eta, POS), sp.Interval.open(0, 3 - sp.sqrt(5)))),),
        note="Hess(1/2 ||v||^2) = (grad v)^T grad v at a stationary point: positive definite whenever grad v is "
        "invertible, whatever kind of point it is. See num-norm-minimization-point-not-nash for the point.",
    ),
    Claim(
        id="num-norm-minimization-point-not-nash",
        title="... and that point (0, 0) is not a Nash equilibrium (phi's loss -phi^2/2 has no minimum), while "
        "plain gradient descent on v converges for no step size",
        source=f"{S4} § 3.1 Zero-sum games (eq. 10)",
        statement=Eq(IsNash(L_phi10, -L_phi10, sp.Tuple(ph, tt), ORIGIN2), False),
        verifier=VC.nash_point,
        twins=(Twin("a Nash equilibrium", Eq(IsNash(L_phi10, -L_phi10, sp.Tuple(ph, tt), ORIGIN2), True)),),
    ),
    Claim(
        id="num-field-gd-repelled-from-non-nash",
        title="... gradient descent on v itself is repelled from that point: no step size converges",
        source=f"{S4} § 3.1 Zero-sum games (eq. 10)",
        statement=Eq(StableSet(AtPoint(JacobianOf(gd_on_field, sp.Tuple(ph, tt)), sp.Tuple(ph, tt), ORIGIN2), eta, POS),
                     sp.S.EmptySet),
        verifier=VC.stable_set,
        twins=(Twin("0 < eta < 1", Eq(StableSet(AtPoint(JacobianOf(gd_on_field, sp.Tuple(ph, tt)), sp.Tuple(ph, tt),
                                                         ORIGIN2), eta, POS), sp.Interval.open(0, 1))),),
    ),
    # ---- seed 004 § 4 -------------------------------------------------------------------------
    Claim(
        id="num-momentum-operator-eq12",
        title="Eq. (12): the augmented operator maps (x_t, x_{t-1}) to (x_{t+1}, x_t) of the heavy ball (eq. 11), "
        "for every field v",
        source=f"{S4} § 4.1 Momentum (eqs. 11-12)",
        statement=Eq(eq12(), heavy_ball),
        verifier=VC.calculus_identity,
        twins=(Twin("lower-left block [0, I] (returns x_{t-1})", Eq(eq12(low_left=Z2, low_right=I2), heavy_ball)),
               Twin("momentum sign flipped", Eq(eq12(b=-beta), heavy_ball))),
        note="v = (v_1, v_2) is a general field on R^2. The printed left side F(x_{t+1}, x_t) names the output "
        "pair; the operator's input is (x_t, x_{t-1}).",
    ),
    Claim(
        id="num-momentum-operator-jacobian",
        title="... its Jacobian at the Dirac-GAN equilibrium is the augmented matrix gantheory's simulator and "
        "verifiers use, [[(1 + beta) I + h v', -beta I], [I, 0]]",
        source=f"{S4} § 4.1 Momentum (eq. 12)",
        statement=Eq(AtPoint(JacobianOf(eq12(v=v_dirac_xy, step=h), STATE4), STATE4, ZERO4), UJ("simgd", b=beta)),
        verifier=VC.calculus_identity,
        twins=(Twin("momentum sign flipped in the matrix", Eq(AtPoint(JacobianOf(eq12(v=v_dirac_xy, step=h), STATE4),
                                                                     STATE4, ZERO4), UJ("simgd", b=-beta))),),
        note="Seed 004's v is the players' own gradients, the negative of gantheory's field (x <- x + h v).",
    ),
    Claim(
        id="num-bilinear-altgd-momentum-stable-set",
        title="Bilinear game, alternating GD with momentum, h = 1/2: converges iff -3/4 < beta < 0 -- negative "
        "momentum is necessary",
        source=f"{S4} § 4.2 Negative Momentum in Games (Gidel et al. 2019)",
        statement=Eq(StableSet(UJ("altgd", "bilinear", step=half, b=beta), beta, sp.Interval.open(-1, 1)),
                     sp.Interval.open(-sp.Rational(3, 4), 0)),
        verifier=VC.stable_set,
        twins=(Twin("-3/4 < beta <= 0 (beta = 0 is marginal)",
                    Eq(StableSet(UJ("altgd", "bilinear", step=half, b=beta), beta, sp.Interval.open(-1, 1)),
                       sp.Interval.Lopen(-sp.Rational(3, 4), 0))),
               Twin("-1/2 < beta < 1/4", Eq(StableSet(UJ("altgd", "bilinear", step=half, b=beta), beta,
                                                      sp.Interval.open(-1, 1)),
                                                   sp.Interval.open(-half, sp.Rational(1, 4))))),
        note="Exact: the characteristic polynomial's unit-circle crossings in beta are the roots of a resultant; "
        "each interval between them is classified at a rational point.",
    ),
    Claim(
        id="num-bilinear-simgd-any-momentum-diverges",
        title="Bilinear game, simultaneous GD, h = 1/2: no momentum beta in (-1, 1) converges",
        source=f"{S4} § 4.2 Negative Momentum in Games",
        statement=Eq(StableSet(UJ("simgd", "bilinear", step=half, b=beta), beta, sp.Interval.open(-1, 1)),
                     sp.S.EmptySet),
        verifier=VC.stable_set,
        twins=(Twin("negative momentum converges", Eq(StableSet(UJ("simgd", "bilinear", step=half, b=beta), beta,
                                                                sp.Interval.open(-1, 1)), sp.Interval.open(-1, 0))),),
    ),
    Claim(
        id="num-bilinear-altgd-no-step-converges",
        title="Bilinear game, alternating GD without momentum: no step size h > 0 converges (det = 1)",
        source=f"{S4} § 4.2 Negative Momentum in Games",
        statement=Eq(StableSet(UJ("altgd", "bilinear", step=hc), hc, POS), sp.S.EmptySet),
        verifier=VC.stable_set,
        twins=(Twin("0 < h < 2", Eq(StableSet(UJ("altgd", "bilinear", step=hc), hc, POS), sp.Interval.open(0, 2))),),
    ),
    Claim(
        id="num-bilinear-extragradient-stable-steps",
        title="Bilinear game, extragradient: converges iff 0 < h < 1",
        source="Korpelevich 1976; Gidel et al. 2019 (extragradient on bilinear games)",
        statement=Eq(StableSet(UJ("extragradient", "bilinear", step=hc), hc, POS), sp.Interval.open(0, 1)),
        verifier=VC.stable_set,
        twins=(Twin("0 < h <= 1", Eq(StableSet(UJ("extragradient", "bilinear", step=hc), hc, POS),
                                     sp.Interval.Lopen(0, 1))),),
    ),
    Claim(
        id="num-bilinear-optimistic-stable-steps",
        title="Bilinear game, optimistic GD (z+ = z - 2h v(z_t) + h v(z_{t-1})): converges iff 0 < h < 1/sqrt(3)",
        source="Daskalakis et al. 2018 (optimistic mirror descent in zero-sum games)",
        statement=Eq(StableSet(UJ("optimistic", "bilinear", step=hc), hc, POS), sp.Interval.open(0, 1 / sp.sqrt(3))),
        verifier=VC.stable_set,
        twins=(Twin("0 < h < 1/2", Eq(StableSet(UJ("optimistic", "bilinear", step=hc), hc, POS),
                                      sp.Interval.open(0, half))),),
    ),
    # ---- seed 002: update operators --------------------------------------------------------------
    Claim(
        id="dyn-simgd-operator-jacobian",
        title="Simultaneous GD F_h(theta, psi) = (theta, psi) + h v: F_h' = I + h v' at the equilibrium "
        "(the matrix gantheory uses), from differentiating F_h",
        source=f"{S2} § Generative Adversarial Networks (update operators)",
        statement=Eq(Jat0(Mx([theta, psi]) + h * nu), UJ("simgd")),
        verifier=VC.calculus_identity,
        twins=(Twin("I - h v'", Eq(Jat0(Mx([theta, psi]) - h * nu), UJ("simgd"))),),
        note="Dirac-GAN, f(t) = -log(1 + e^-t); the left side differentiates the nonlinear map, the right side is "
        "the matrix composed from the field's Jacobian by gantheory.",
    ),
    Claim(
        id="dyn-altgd-operator-composition",
        title="Alternating GD F_h = F_{2,h} o F_{1,h} (generator step first): its Jacobian at the equilibrium "
        "is the matrix gantheory uses -- and differs from the reversed order, which has the same spectrum",
        source=f"{S2} § Generative Adversarial Networks (alternating gradient descent)",
        statement=Eq(Jat0(compose(F2, F1)), UJ("altgd")),
        verifier=VC.calculus_identity,
        twins=(Twin("discriminator step first (F_1 o F_2)", Eq(Jat0(compose(F1, F2)), UJ("altgd"))),),
        note="Both orders give det 1 and trace 2 - h^2 f'(0)^2; they differ in which diagonal entry carries "
        "-h^2 f'(0)^2, i.e. in which player sees the other's new value.",
    ),
    Claim(
        id="dyn-altgd-operator-composition-3-2",
        title="... with n_g = 3 generator and n_d = 2 discriminator steps, F_h = F_2^2 ∘ F_1^3",
        source=f"{S2} § Lemma (alternating gradient descent does not converge)",
        statement=Eq(Jat0(compose(F2, F2, F1, F1, F1)), UJ("altgd", n_g=3, n_d=2)),
        verifier=VC.calculus_identity,
        twins=(Twin("n_g and n_d swapped", Eq(Jat0(compose(F2, F2, F2, F1, F1)), UJ("altgd", n_g=3, n_d=2))),),
    ),
    Claim(
        id="dyn-nagarajan-instance-noise-stable-steps",
        title="Nagarajan & Kolter's theorem on a concrete case: with absolutely continuous distributions "
        "(Dirac-GAN smoothed by instance noise sigma = 1) simultaneous GD converges locally iff 0 < h < 2",
        source=f"{S2} § a toy data distribution (Theorem, Nagarajan 2017)",
        statement=Eq(StableSet(AtParams(UJ("simgd", reg="instance-noise", step=hc), 1, 1), hc, POS),
                     sp.Interval.open(0, 2)),
        verifier=VC.stable_set,
        twins=(Twin("point masses (no noise): 0 < h < 2", Eq(StableSet(UJ("simgd", step=hc), hc, POS),
                                                             sp.Interval.open(0, 2))),),
        note="The theorem's assumptions are not checked in general; this is the Dirac-GAN with Gaussian "
        "instance noise of standard deviation 1 on both distributions (gan loss).",
    ),
    # ---- the literature: two time scales, proximal point, Nagarajan & Kolter's regularizer ----------
    Claim(
        id="lit-ttur-dirac-no-convergence",
        title="Two time scales alone do not stabilize the Dirac-GAN: simultaneous GD with generator step 1/10 "
        "converges for no discriminator step h_d > 0",
        source="Heusel et al. 2017 (two time-scale update rule), on the Dirac-GAN of Mescheder et al. 2018",
        statement=Eq(StableSet(Mx(sp.eye(2) + sp.diag(sp.Rational(1, 10), hd_) * J_dirac), hd_, POS), sp.S.EmptySet),
        verifier=VC.stable_set,
        twins=(Twin("0 < h_d < 1", Eq(StableSet(Mx(sp.eye(2) + sp.diag(sp.Rational(1, 10), hd_) * J_dirac), hd_, POS),
                                      sp.Interval.open(0, 1))),),
        note="The update is I + diag(h_g, h_d) v' with v' the Dirac-GAN field's Jacobian (gan loss); its "
        "eigenvalues 1 +- i sqrt(h_g h_d) f'(0) have modulus > 1. TTUR's guarantee assumes a stable ODE limit.",
    ),
    Claim(
        id="lit-proximal-point-bilinear",
        title="Proximal point x+ = x + h v(x+) on the bilinear game converges for every step h > 0",
        source="Mokhtari, Ozdaglar & Pattathil 2020 (proximal point on bilinear games)",
        statement=Eq(StableSet(Mx((sp.eye(2) - hc * J_bilinear).inv()), hc, POS), POS),
        verifier=VC.stable_set,
        twins=(Twin("explicit step x + h v(x) (simultaneous GD)",
                    Eq(StableSet(Mx(sp.eye(2) + hc * J_bilinear), hc, POS), POS)),),
        note="The implicit step's Jacobian is (I - h v')^{-1}, eigenvalues 1/(1 -+ i h), modulus 1/sqrt(1 + h^2).",
    ),
    Claim(
        id="lit-nagarajan-kolter-regularizer",
        title="Nagarajan & Kolter's regularizer (the generator adds eta/2 (dL/dpsi)^2, eta = 1) makes simultaneous "
        "GD on the Dirac-GAN converge iff 0 < h < 1",
        source="Nagarajan & Kolter 2017 (gradient descent GAN optimization is locally stable), on the Dirac-GAN",
        statement=Eq(StableSet(AtPoint(JacobianOf(Mx([theta, psi]) + hc * nk_field(1), TP), TP, ORIGIN), hc, POS),
                     sp.Interval.open(0, 1)),
        verifier=VC.stable_set,
        twins=(Twin("without the regularizer (eta = 0)", Eq(StableSet(AtPoint(JacobianOf(Mx([theta, psi])
                                                                                          + hc * nk_field(0), TP),
                                                                               TP, ORIGIN), hc, POS),
                                                              sp.Interval.open(0, 1))),),
        note="The field is derived from the regularized generator loss L + (eta/2)(dL/dpsi)^2 with "
        "L = f(psi theta) + f(0), f(t) = -log(1 + e^-t); its Jacobian at 0 gains -eta f'(0)^2 in the generator's "
        "diagonal entry, so both eigenvalues get a negative real part.",
    ),
    # ---- optimal hyperparameters (the minimizer of the spectral radius) -----------------------------
    Claim(
        id="lit-extragradient-optimal-step",
        title="Extragradient on the bilinear game converges fastest at h = 1/sqrt(2) (rho^2 = 1 - h^2 + h^4 is "
        "smallest there: rho = sqrt(3)/2)",
        source="Gidel et al. 2019 (extragradient on bilinear games; rho^2 = 1 - h^2 + h^4 for sigma = 1)",
        statement=Eq(Minimizer(UJ("extragradient", "bilinear", step=hc), hc, sp.Rational(1, 100), 1), 1 / sp.sqrt(2)),
        verifier=VC.optimal_parameter,
        twins=(Twin("h = 1/2", Eq(Minimizer(UJ("extragradient", "bilinear", step=hc), hc, sp.Rational(1, 100), 1),
                                  half)),),
    ),
    Claim(
        id="lit-optimistic-optimal-step",
        title="Optimistic GD on the bilinear game converges fastest at h = 1/2, with rho = 1/sqrt(2) (its stable "
        "steps are 0 < h < 1/sqrt(3))",
        source="Daskalakis et al. 2018; Mokhtari, Ozdaglar & Pattathil 2020 (optimistic GD on bilinear games; "
        "the rate as a function of h, minimized here over the stable steps)",
        statement=Eq(Minimizer(UJ("optimistic", "bilinear", step=hc), hc, sp.Rational(1, 100), sp.Rational(57, 100)),
                     half),
        verifier=VC.optimal_parameter,
        twins=(Twin("h = 1/sqrt(3) (the edge of the stable steps)",
                    Eq(Minimizer(UJ("optimistic", "bilinear", step=hc), hc, sp.Rational(1, 100),
                                 sp.Rational(57, 100)), 1 / sp.sqrt(3))),
               Twin("h = 1/4", Eq(Minimizer(UJ("optimistic", "bilinear", step=hc), hc, sp.Rational(1, 100),
                                            sp.Rational(57, 100)), sp.Rational(1, 4)))),
        note="rho(h) of the stacked operator (z_t, z_{t-1}) is minimized numerically over [1/100, 57/100] and "
        "the minimizer certified by a bracket; gantheory stability --game bilinear --optimizer optimistic "
        "--optimize h finds the closed form h = 1/2 (rho = 0.7071...).",
    ),
    Claim(
        id="lit-proximal-point-rate",
        title="Proximal point on the bilinear game: the update's eigenvalues are 1/(1 -+ i h), so it contracts at "
        "the rate 1/sqrt(1 + h^2) for every h > 0",
        source="Mokhtari, Ozdaglar & Pattathil 2020 (proximal point on bilinear games: linear rate 1/sqrt(1 + h^2))",
        statement=Eq(Spectrum(Mx((sp.eye(2) - hc * J_bilinear).inv())),
                     sp.Tuple(1 / (1 - sp.I * hc), 1 / (1 + sp.I * hc))),
        verifier=VG.spectrum,
        twins=(Twin("the explicit step's 1 +- i h", Eq(Spectrum(Mx((sp.eye(2) - hc * J_bilinear).inv())),
                                                       sp.Tuple(1 + sp.I * hc, 1 - sp.I * hc))),
               Twin("real 1/(1 -+ h)", Eq(Spectrum(Mx((sp.eye(2) - hc * J_bilinear).inv())),
                                          sp.Tuple(1 / (1 - hc), 1 / (1 + hc))))),
        note="The implicit step x+ = x + h v(x+) has the Jacobian (I - h v')^{-1}, derived here by inverting the "
        "bilinear field's Jacobian; |1/(1 -+ i h)| = 1/sqrt(1 + h^2) < 1.",
    ),
    Claim(
        id="lit-r1-critical-damping",
        title="R1 on the Dirac-GAN (gan loss, h = 1/10): the penalty gamma = 2 f'(0) = 1 minimizes rho "
        "(critical damping: a double eigenvalue)",
        source="Mescheder et al. 2018, Sec. 4.1 (R1 on the Dirac-GAN; eigenvalues -gamma/2 +- "
        "sqrt(gamma^2/4 - f'(0)^2))",
        statement=Eq(Minimizer(AtParams(UJ("simgd", reg="r1", step=sp.Rational(1, 10)), G_gamma, 1), G_gamma, 0, 5), 1),
        verifier=VC.optimal_parameter,
        twins=(Twin("gamma = 2", Eq(Minimizer(AtParams(UJ("simgd", reg="r1", step=sp.Rational(1, 10)), G_gamma, 1),
                                              G_gamma, 0, 5), 2)),),
        note="With f(t) = -log(1 + e^-t), f'(0) = 1/2; below gamma = 1 the eigenvalues are complex with modulus "
        "sqrt(1 - h gamma + h^2/4) decreasing in gamma, above it they are real and the larger one grows.",
    ),
]
