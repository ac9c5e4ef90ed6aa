"""Seed 001 (Li, Schwing, Wang, Zemel, "Dualing GANs", NIPS 2017): the dual of the discriminator's
training problem for a linear discriminator, and the trust-region model steps for nonlinear ones.

The poster's dual is garbled by OCR; it is reconstructed from the derivation (the conjugate of the
logistic loss) and from the poster's own "Properties" line, which has the squared norm.
"""

from __future__ import annotations

import sympy as sp

from gantheory._claim import Claim, Twin
from gantheory.symbolic._atoms import (
    ArgMax,
    AtPoint,
    BetterModel,
    DualingGap,
    HessianOf,
    JacobianOf,
    LogisticDual,
    LogisticPrimal,
    MaxOver,
    StableSet,
    StrictlyConvex,
)
from gantheory.topics._statement import Eq, GreaterThan, LessThan, StrictGreaterThan, StrictLessThan
from gantheory.verify import calculus as VC
from gantheory.verify import dualing as VD
from gantheory.verify import general as V

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

# a scalar discriminator weight w and one real and one generated sample (x = 2, G(z) = -1), C = 1/100
wv, wk, sv = sp.symbols("w w_k s", real=True)
C_small = sp.Rational(1, 100)


def softplus(u):
    return log(1 + exp(u))


def gan_loss(F, c=C_small):
    """Seed 001's f(theta, w) = C/2 w^2 + 1/(2n) sum log(1 + e^{-F(w, x)}) + 1/(2n) sum log(1 + e^{F(w, G(z))})."""
    c = sp.sympify(c)  # exact: c / 2 of a Python int would be a float
    return sp.Lambda(wv, c / 2 * wv**2 + softplus(-F(wv, 2)) / 2 + softplus(F(wv, -1)) / 2)


def model_cost(F):
    """(A) cost linearization: m(s) = f(w_k) + f'(w_k) s."""
    f = gan_loss(F)
    return sp.Lambda((wk, sv), f(wk) + sp.diff(f(wv), wv).subs(wv, wk) * sv)


def model_score(F):
    """(B) score linearization: F(w_k + s, x) ~ F(w_k, x) + s dF/dw(w_k, x) inside the loss."""
    def Fl(x):
        return F(wk, x) + sv * sp.diff(F(wv, x), wv).subs(wv, wk)
    return sp.Lambda((wk, sv), C_small / 2 * (wk + sv) ** 2 + softplus(-Fl(2)) / 2 + softplus(Fl(-1)) / 2)


def F_linear(w, x):
    return w * x


def F_tanh(w, x):  # a one-unit network: nonlinear in w
    return sp.tanh(w) * x


def F_feature(w, x):  # a linear discriminator on a nonlinear feature phi(x) = x^3 + x
    return w * (x**3 + x)


W_RANGE, S_RANGE = sp.Interval(-3, 3), sp.Interval(-sp.Rational(1, 2), sp.Rational(1, 2))

# the poster's alternating updates for max_theta min_w f: theta <- theta + eta grad_theta f, then
# w <- w - eta grad_w f at the new theta; on the bilinear f = theta w (a linear discriminator's score)
th_, w_, eta_ = sp.Symbol("theta", real=True), sp.Symbol("w", real=True), sp.Symbol("eta", positive=True)


def _alternating_map(f):
    th1 = th_ + eta_ * sp.diff(f, th_)
    w1 = w_ - eta_ * sp.diff(f, w_).subs(th_, th1)
    return sp.ImmutableMatrix([th1, w1])


def _alternating_jac(f):
    return AtPoint(JacobianOf(_alternating_map(f), sp.Tuple(th_, w_)), sp.Tuple(th_, w_), sp.Tuple(0, 0))
# -- the linear discriminator's loss with n samples per side, w in R^d (n = 3, d = 2) --------------------
N_S, DIM = 3, 2
W_VEC = sp.Matrix(sp.symbols(f"w_1:{DIM + 1}", real=True))
X_S = [sp.Matrix(sp.symbols(f"x_{i}_1:{DIM + 1}", real=True)) for i in range(1, N_S + 1)]
G_S = [sp.Matrix(sp.symbols(f"G_{i}_1:{DIM + 1}", real=True)) for i in range(1, N_S + 1)]  # G_theta(z_i)
ell = sp.Function("ell")  # a general per-sample loss of the score; the poster's is softplus log(1 + e^t)
_t = sp.Symbol("t", real=True)


def _dot(u, v):
    return (u.T * v)[0]


def _sigmoid(t):
    return 1 / (1 + exp(-t))


def linear_gan_loss(loss=lambda t: log(1 + exp(t)), weight=sp.Rational(1, 2 * N_S)):
    """C/2 ||w||^2 + (1/2n) sum_i loss(-w.x_i) + (1/2n) sum_i loss(w.G(z_i)): the poster's GAN loss for
    loss = softplus (log(1 + e^{-w.x}) and log(1 + e^{w.G(z)}))."""
    return (C / 2 * _dot(W_VEC, W_VEC) + weight * sum(loss(-_dot(W_VEC, x)) for x in X_S)
            + weight * sum(loss(_dot(W_VEC, g)) for g in G_S))


def _cross_entropy(fake=lambda d: log(1 - d), weight=sp.Rational(1, 2 * N_S)):
    """C/2 ||w||^2 - (1/2n) sum_i [log D_w(x_i) + log(1 - D_w(G(z_i)))], D_w(x) = sigma(w.x)."""
    return C / 2 * _dot(W_VEC, W_VEC) - weight * sum(log(_sigmoid(_dot(W_VEC, x))) + fake(_sigmoid(_dot(W_VEC, g)))
                                                     for x, g in zip(X_S, G_S))


def _hessian_of_sums(terms, order=2, with_c=True):
    """C I + (1/2n) sum over (argument, vector) of ell^(order)(argument) vector vector^T: the Hessian of
    C/2 ||.||^2 plus per-sample losses of scores that are affine in the variable."""
    def d(arg):
        return sp.Subs(sp.Derivative(ell(_t), _t, order), _t, arg)

    out = C * sp.eye(DIM) if with_c else sp.zeros(DIM)
    for arg, vec in terms:
        out += sp.Rational(1, 2 * N_S) * d(arg) * vec * vec.T
    return sp.ImmutableMatrix(out)


def _loss_hessian(order=2, with_c=True):
    """C I + (1/2n) sum_i ell''(-w.x_i) x_i x_i^T + (1/2n) sum_i ell''(w.G_i) G_i G_i^T."""
    terms = [(-_dot(W_VEC, x), x) for x in X_S] + [(_dot(W_VEC, g), g) for g in G_S]
    return _hessian_of_sums(terms, order, with_c)


_W_TUPLE = sp.Tuple(*W_VEC)

# the score-linearized model m_k(s) for a vector s, n samples per side and a general score F: at w_k the
# scores F(w_k, x_i), F(w_k, G(z_i)) and their w-gradients are any numbers and vectors (symbols)
S_VEC = sp.Matrix(sp.symbols(f"s_1:{DIM + 1}", real=True))
_WK = sp.Matrix(sp.symbols(f"w_k1:{DIM + 1}", real=True))
_A = sp.symbols(f"F_x1:{N_S + 1}", real=True)                                   # F(w_k, x_i)
_B = [sp.Matrix(sp.symbols(f"b_{i}_1:{DIM + 1}", real=True)) for i in range(1, N_S + 1)]  # grad_w F(w_k, x_i)
_Cg = sp.symbols(f"F_g1:{N_S + 1}", real=True)                                  # F(w_k, G(z_i))
_Dg = [sp.Matrix(sp.symbols(f"d_{i}_1:{DIM + 1}", real=True)) for i in range(1, N_S + 1)]  # grad_w F(w_k, G(z_i))


def score_model(loss=lambda t: log(1 + exp(t))):
    """m_k(s) = C/2 ||w_k + s||^2 + (1/2n) sum loss(-(F(w_k, x_i) + s.b_i)) + (1/2n) sum loss(F(w_k, G_i) + s.d_i)."""
    quad = ((_WK + S_VEC).T * (_WK + S_VEC))[0]
    return (C / 2 * quad + sp.Rational(1, 2 * N_S) * sum(loss(-(a + _dot(S_VEC, b))) for a, b in zip(_A, _B))
            + sp.Rational(1, 2 * N_S) * sum(loss(c + _dot(S_VEC, d)) for c, d in zip(_Cg, _Dg)))


def _score_model_hessian(order=2, with_c=True):
    terms = ([(-(a + _dot(S_VEC, b)), b) for a, b in zip(_A, _B)]
             + [(c + _dot(S_VEC, d), d) for c, d in zip(_Cg, _Dg)])
    return _hessian_of_sums(terms, order, with_c)


_S_TUPLE = sp.Tuple(*S_VEC)

def _hessian_identity(loss, variables, hessian):
    """(statement, twins) of "the Hessian of ``loss`` in ``variables`` is ``hessian()``", with the two
    perturbations each such claim here must see refuted: the C I term dropped, and ell' in place of ell''."""
    lhs = HessianOf(loss, variables)
    return Eq(lhs, hessian(), evaluate=False), (
        Twin("without the C I term", Eq(lhs, hessian(with_c=False), evaluate=False)),
        Twin("ell' in place of ell''", Eq(lhs, hessian(order=1), evaluate=False)))


_LINEAR_HESSIAN = _hessian_identity(linear_gan_loss(loss=ell), _W_TUPLE, _loss_hessian)
_SCORE_HESSIAN = _hessian_identity(score_model(loss=ell), _S_TUPLE, _score_model_hessian)

# f(theta, w) for a general score F(w, x) (any function, here an undefined one of w in R^2 and x): n = 2 data
# points x_i and generated points G(z_i), the per-sample loss the poster's softplus
F_GEN = sp.Function("F")
_WG = sp.symbols("w_1:3", real=True)
_XG, _GG = sp.symbols("x_1:3", real=True), sp.symbols("g_1:3", real=True)  # x_i and G_theta(z_i)


def general_score_loss():
    """f(theta, w) = C/2 ||w||^2 + (1/2n) sum log(1 + e^{-F(w, x_i)}) + (1/2n) sum log(1 + e^{F(w, G(z_i))})."""
    half_n = sp.Rational(1, 2 * len(_XG))
    return (C / 2 * sum(v**2 for v in _WG) + half_n * sum(softplus(-F_GEN(*_WG, x)) for x in _XG)
            + half_n * sum(softplus(F_GEN(*_WG, g)) for g in _GG))


def _general_score_hessian(curvature=True):
    """C I + (1/2n) sum [sigma(F)(1 - sigma(F)) grad F grad F^T - sigma(-F) grad^2 F] over the data and
    + (1/2n) sum [sigma(F)(1 - sigma(F)) grad F grad F^T + sigma(F) grad^2 F] over the samples (F at (w, x)):
    the softplus terms' own curvature is PSD; the score's curvature grad^2 F enters with a sign of its own."""
    half_n = sp.Rational(1, 2 * len(_XG))
    out = C * sp.eye(2)
    for pt, sign in [*((x, -1) for x in _XG), *((g, 1) for g in _GG)]:
        Fv = F_GEN(*_WG, pt)
        grad = sp.Matrix([sp.diff(Fv, v) for v in _WG])
        hess = sp.hessian(Fv, _WG)
        out += half_n * (_sigmoid(Fv) * _sigmoid(-Fv) * grad * grad.T)
        if curvature:
            out += half_n * sign * _sigmoid(sign * Fv) * hess
    return sp.ImmutableMatrix(out)

CLAIMS = [
    Claim(
        id="dual-linear-loss-cross-entropy",
        title="With D_w(x) = sigma(w^T x), the poster's loss C/2 ||w||^2 + (1/2n) sum log(1 + e^{-w^T x_i}) + "
        "(1/2n) sum log(1 + e^{w^T G(z_i)}) is C/2 ||w||^2 - (1/2n) sum [log D_w(x_i) + log(1 - D_w(G(z_i)))]",
        source=f"{S1} § GANs with Linear Discriminators",
        statement=Eq(linear_gan_loss(), _cross_entropy()),
        verifier=VC.calculus_identity,
        twins=(Twin("log D_w(G(z_i)) for the fake samples", Eq(linear_gan_loss(), _cross_entropy(fake=log))),
               Twin("1/n instead of 1/(2n)", Eq(linear_gan_loss(), _cross_entropy(weight=sp.Rational(1, N_S))))),
        note=f"n = {N_S} samples per side and w, x_i, G(z_i) in R^{DIM}, every coordinate a symbol. The poster's "
        "D_w(x) = 1/(1 + e^{-w^T x}) is cut off by the OCR; its loss is the discriminator's cross-entropy "
        "(labels 1 for data, 0 for samples) plus the regularizer C/2 ||w||^2.",
    ),
    Claim(
        id="dual-linear-loss-hessian",
        title="The loss is convex in w: for any per-sample loss ell of the score, its Hessian is "
        "C I + (1/2n) sum ell''(-w^T x_i) x_i x_i^T + (1/2n) sum ell''(w^T G(z_i)) G(z_i) G(z_i)^T "
        "(C I plus positive semidefinite terms when ell is convex)",
        source=f"{S1} § GANs with Linear Discriminators ('The loss is convex in w')",
        statement=_LINEAR_HESSIAN[0],
        verifier=VC.calculus_identity,
        twins=_LINEAR_HESSIAN[1],
        note=f"n = {N_S}, w in R^{DIM}, ell a general function. For the poster's ell(t) = log(1 + e^t), "
        "ell'' = sigma (1 - sigma) > 0 (dual-softplus-convex), so the Hessian is at least C I: strictly convex "
        "for C > 0, whatever the data. With a score nonlinear in w the Hessian gains terms ell' grad^2 F, "
        "which can be indefinite (dual-nonlinear-loss-not-convex).",
    ),
    Claim(
        id="dual-softplus-convex",
        title="The per-sample loss ell(t) = log(1 + e^t) is strictly convex on R (ell'' = sigma(t)(1 - sigma(t)))",
        source=f"{S1} § GANs with Linear Discriminators",
        statement=StrictlyConvex(log(1 + exp(_t)), _t, sp.Reals),
        verifier=V.strict_convexity,
        twins=(Twin("-log(1 + e^t)", StrictlyConvex(-log(1 + exp(_t)), _t, sp.Reals)),
               Twin("log(1 + e^t) - t^2/4", StrictlyConvex(log(1 + exp(_t)) - _t**2 / 4, _t, sp.Reals))),
    ),
    Claim(
        id="dual-logistic-conjugate",
        title="log(1 + e^{-s}) = max over a in [0, 1] of (-a s + H(a)), H the binary entropy",
        source=f"{S1} § GANs with Linear Discriminators",
        statement=Eq(MaxOver(-a * s_ + H, a, sp.Interval.open(0, 1)), log(1 + exp(-s_))),
        verifier=VD.max_value,
        twins=(Twin("log(1 + e^{s})", Eq(MaxOver(-a * s_ + H, a, sp.Interval.open(0, 1)), log(1 + exp(s_)))),),
        note="This conjugate turns each logistic term into a max over a dual variable; lambda = a/(2n).",
    ),
    Claim(
        id="dual-strong-duality",
        title="min_w f(theta, w) = max over lambda in [0, 1/(2n)] of g(theta, lambda), with "
        "g = -||sum lambda_x x - sum lambda_z G(z)||^2/(2C) + sum H(2n lambda)/(2n)",
        source=f"{S1} § GANs with Linear Discriminators",
        statement=Eq(DualingGap(sp.Lambda(ARGS, g_dual)), 0),
        verifier=VD.dualing_duality,
        twins=(
            Twin("1/C instead of 1/(2C)", Eq(DualingGap(sp.Lambda(ARGS, g_dual - SqNorm(moment) / (2 * C))), 0)),
            Twin("norm not squared (as OCR'd)", Eq(DualingGap(sp.Lambda(
                ARGS, -sp.sqrt(SqNorm(moment)) / (2 * C) + EntropySum(2 * n * lx) / (2 * n)
                + EntropySum(2 * n * lz) / (2 * n))), 0)),
        ),
        note="The loss is convex in w (L2 term plus logistic terms), so strong duality holds; checked by "
        "solving both problems with SciPy on random instances, points in R^3 and, as the poster allows, "
        "features phi(x) = (1, x, x^2) of scalar samples in place of x (gantheory train dualing solves this "
        "dual with those features at every iteration).",
    ),
    Claim(
        id="dual-w-star",
        title="w* = (sum lambda_x* x - sum lambda_z* G(z)) / C from the dual optimum",
        source=f"{S1} § GANs with Linear Discriminators",
        statement=Eq(DualingGap(sp.Lambda(ARGS, g_dual)), moment / C),
        verifier=VD.dualing_duality,
        twins=(Twin("divided by 2C", Eq(DualingGap(sp.Lambda(ARGS, g_dual)), moment / (2 * C))),
               Twin("sign flipped", Eq(DualingGap(sp.Lambda(ARGS, g_dual)), -moment / C))),
    ),
    Claim(
        id="dual-moment-matching",
        title="At lambda = 1/(4n) the quadratic term is the squared distance of the means: moment matching",
        source=f"{S1} § Properties",
        statement=Eq(((x1 + x2) / (4 * m2) - (y1 + y2) / (4 * m2)) ** 2 / (2 * C),
                        ((x1 + x2) / m2 - (y1 + y2) / m2) ** 2 / (32 * C), evaluate=False),
        verifier=VD.algebraic_identity,
        twins=(Twin("factor 1/16 dropped", Eq(((x1 + x2) / (4 * m2) - (y1 + y2) / (4 * m2)) ** 2 / (2 * C),
                                                  ((x1 + x2) / m2 - (y1 + y2) / m2) ** 2 / (2 * C), evaluate=False)),),
        note="Two samples per side in one dimension (x_i, y_i = G(z_i)), weights lambda = 1/(4n); the "
        "mean is sum/n.",
    ),
    Claim(
        id="dual-entropy-midpoint",
        title="The entropy term H(2n lambda)/(2n) pulls each lambda to the middle of [0, 1/(2n)]: "
        "its maximizer in q = 2n lambda is q = 1/2, i.e. lambda = 1/(4n)",
        source=f"{S1} § Properties",
        statement=Eq(ArgMax(H.subs(a, q_) / (2 * n), q_, sp.Interval.open(0, 1)), sp.Rational(1, 2)),
        verifier=V.argmax,
        twins=(Twin("q = 2/3", Eq(ArgMax(H.subs(a, q_) / (2 * n), q_, sp.Interval.open(0, 1)), sp.Rational(2, 3))),),
    ),
    Claim(
        id="dual-cost-linearization-step",
        title="Cost linearization: s* = -sqrt(2 Delta) grad / ||grad|| minimizes grad's over 1/2 ||s||^2 <= Delta",
        source=f"{S1} § GAN optimization with model function (A)",
        statement=Eq(sp.Symbol("s^*"), sp.Lambda((g_vec, Delta), -sqrt(2 * Delta) * g_vec / EuclidNorm(g_vec)),
                        evaluate=False),
        verifier=VD.trust_region_step,
        twins=(Twin("sqrt(Delta) instead of sqrt(2 Delta)", Eq(
            sp.Symbol("s^*"), sp.Lambda((g_vec, Delta), -sqrt(Delta) * g_vec / EuclidNorm(g_vec)), evaluate=False)),
               Twin("+ sign (ascent)", Eq(sp.Symbol("s^*"), sp.Lambda((g_vec, Delta),
                                                                      sqrt(2 * Delta) * g_vec / EuclidNorm(g_vec)),
                                             evaluate=False))),
    ),
    Claim(
        id="dual-score-linearization-convex",
        title="Score linearization: the model C/2 ||w + s||^2 + log(1 + e^{-(F + s b)}) is convex in s",
        source=f"{S1} § GAN optimization with model function (B)",
        statement=StrictlyConvex(C / 2 * (sp.Symbol("w", real=True) + s_) ** 2
                                 + log(1 + exp(-(sp.Symbol("F", real=True) + s_ * sp.Symbol("b", real=True)))),
                                 s_, sp.Reals),
        verifier=V.strict_convexity,
        twins=(Twin("minus the quadratic", StrictlyConvex(-C / 2 * (sp.Symbol("w", real=True) + s_) ** 2
                                                          + log(1 + exp(-(sp.Symbol("F", real=True)
                                                                          + s_ * sp.Symbol("b", real=True)))),
                                                          s_, sp.Reals)),),
        note="Checked as stated: one coordinate of s and one sample term, with w, F and b = dF/dw at w_k "
        "symbols. The poster's model has a sum over samples and vector s; it is convex for the same reason "
        "(softplus of an affine function of s is convex, the L2 term strictly convex), not checked separately.",
    ),
    Claim(
        id="dual-score-model-hessian",
        title="Score linearization, in full: for any score F, vector s and both sample sums, the model m_k(s) has "
        "Hessian C I + (1/2n) sum ell''(.) b_i b_i^T + (1/2n) sum ell''(.) d_i d_i^T (b_i, d_i = grad_w F at w_k): "
        "C I plus PSD terms, so it is convex in s and dualizes like the linear case",
        source=f"{S1} § GAN optimization with model function (B)",
        statement=_SCORE_HESSIAN[0],
        verifier=VC.calculus_identity,
        twins=_SCORE_HESSIAN[1],
        note=f"s in R^{DIM}, n = {N_S} samples per side; the scores and their w-gradients at w_k are symbols (any F), "
        "ell a general per-sample loss (the poster's is softplus, ell'' = sigma (1 - sigma) > 0). "
        "dual-score-linearization-convex is its instance with one coordinate and one sample.",
    ),
    Claim(
        id="dual-gradient-steps-upper-bound",
        title="A discriminator from a few gradient steps gives an upper bound: f(theta, w_2) >= min_w f = "
        "f(theta, w*(theta))",
        source=f"{S1} § Introduction",
        statement=GreaterThan(LogisticPrimal(2), LogisticPrimal(sp.oo)),
        verifier=VD.dualing_bounds,
        twins=(Twin("a lower bound", StrictLessThan(LogisticPrimal(2), LogisticPrimal(sp.oo))),),
        note="The poster's 'f(theta, w) >= 0 f(theta, w*(theta))' has an OCR stray '0'; read as >=. Checked on "
        "random logistic problems (4 samples per side in R^3), 2 steps of size 1/2 from w = 0.",
    ),
    Claim(
        id="dual-dual-lower-bound",
        title="... while every feasible dual point gives a lower bound: g(theta, lambda) <= f(theta, w*(theta)) "
        "(weak duality; here at lambda halfway between a random feasible point and the optimum)",
        source=f"{S1} § Introduction",
        statement=LessThan(LogisticDual(sp.Lambda(ARGS, g_dual), sp.Rational(1, 2)), LogisticPrimal(sp.oo)),
        verifier=VD.dualing_bounds,
        twins=(Twin("an upper bound", StrictGreaterThan(LogisticDual(sp.Lambda(ARGS, g_dual), sp.Rational(1, 2)),
                                                            LogisticPrimal(sp.oo))),
               Twin("norm term dropped (not a lower bound)", LessThan(
                   LogisticDual(sp.Lambda(ARGS, EntropySum(2 * n * lx) / (2 * n) + EntropySum(2 * n * lz) / (2 * n)),
                                sp.Rational(1, 2)), LogisticPrimal(sp.oo)))),
    ),
    Claim(
        id="dual-feature-map-convex",
        title="A linear discriminator on any nonlinear feature, F(w, x) = w phi(x), keeps the loss convex in w "
        "(phi(x) = x^3 + x)",
        source=f"{S1} § GANs with Linear Discriminators (feature map phi)",
        statement=StrictlyConvex(gan_loss(F_feature)(wv), wv, sp.Interval(-3, 3)),
        verifier=V.strict_convexity,
        twins=(Twin("nonlinear in w: F = tanh(w) x", StrictlyConvex(gan_loss(F_tanh)(wv), wv, sp.Interval(-3, 3))),),
        note="One real sample x = 2 and one generated sample G(z) = -1, C = 1/100.",
    ),
    Claim(
        id="dual-general-score-loss-hessian",
        title="f(theta, w) for a general score F(w, x): its Hessian in w is C I + (1/2n) sum sigma(1 - sigma) grad F "
        "grad F^T (PSD) plus the score's own curvature, -(1/2n) sum sigma(-F(w, x_i)) grad^2 F(w, x_i) + (1/2n) sum "
        "sigma(F(w, G(z_i))) grad^2 F(w, G(z_i)) -- convexity is lost only through grad^2 F",
        source=f"{S1} § GANs with Non-Linear Discriminators",
        statement=Eq(HessianOf(general_score_loss(), sp.Tuple(*_WG)), _general_score_hessian(), evaluate=False),
        verifier=VC.calculus_identity,
        twins=(Twin("without the score's curvature (convex for every F)", Eq(
            HessianOf(general_score_loss(), sp.Tuple(*_WG)), _general_score_hessian(curvature=False),
            evaluate=False)),),
        note="F is an undefined function of (w_1, w_2, x), n = 2 points per side: the identity is proved with F "
        "general and refuted on random polynomial scores. For F linear in w (grad^2 F = 0) it is "
        "dual-linear-loss-hessian; for F = tanh(w) x the curvature terms make the loss non-convex at C = 1/100 "
        "(dual-nonlinear-loss-not-convex) and are dominated at C = 4 (dual-nonlinear-loss-convex-strong-regularizer).",
    ),
    Claim(
        id="dual-nonlinear-loss-not-convex",
        title="With a score nonlinear in w (F(w, x) = tanh(w) x) the GAN loss is not convex in w",
        source=f"{S1} § GANs with Non-Linear Discriminators",
        statement=Eq(StrictlyConvex(gan_loss(F_tanh)(wv), wv, sp.Interval(-3, 3)), False, evaluate=False),
        verifier=VD.not_strictly_convex,
        twins=(Twin("linear F: not convex", Eq(StrictlyConvex(gan_loss(F_linear)(wv), wv, sp.Interval(-3, 3)), False,
                                                  evaluate=False)),),
        note="The same statement as the poster's 'GANs with Non-Linear Discriminators' paragraph; the "
        "counterexample is a chord lying below the graph.",
    ),
    Claim(
        id="dual-nonlinear-loss-convex-strong-regularizer",
        title="'Not convex in general' has its exception: with C = 4 the same nonlinear score F(w, x) = tanh(w) x "
        "gives a loss strictly convex in w",
        source=f"{S1} § GANs with Non-Linear Discriminators",
        statement=StrictlyConvex(gan_loss(F_tanh, sp.Integer(4))(wv), wv, sp.Interval(-3, 3)),
        verifier=V.strict_convexity,
        twins=(Twin("the poster's regime, C = 1/100", StrictlyConvex(gan_loss(F_tanh)(wv), wv, sp.Interval(-3, 3))),),
        note="The loss's curvature is C plus terms bounded by the score's curvature; a large enough regularizer "
        "dominates them. So 'not convex in w' is a statement about some scores and some C, not a property of "
        "every nonlinear score (dual-nonlinear-loss-not-convex is the counterexample at C = 1/100).",
    ),
    Claim(
        id="dual-score-model-more-accurate-as-printed",
        title="As printed: the score-linearization model (B) is a more accurate approximation of f than the "
        "cost linearization (A) -- read for every score function (here F = tanh(w) x)",
        source=f"{S1} § GAN optimization with model function (B)",
        statement=Eq(BetterModel(model_score(F_tanh), model_cost(F_tanh), gan_loss(F_tanh), W_RANGE, S_RANGE),
                        True, evaluate=False),
        verifier=VD.better_model,
        expected=False,
        correction="dual-score-model-exact-linear",
        twins=(Twin("corrected: for a score linear in w, (B) is exact", Eq(
            BetterModel(model_score(F_linear), model_cost(F_linear), gan_loss(F_linear), W_RANGE, S_RANGE), True,
            evaluate=False), holds=True),
               Twin("(A) at least as accurate everywhere", Eq(
                   BetterModel(model_cost(F_tanh), model_score(F_tanh), gan_loss(F_tanh), W_RANGE, S_RANGE), True,
                   evaluate=False))),
        note="(B) keeps the loss's curvature but linearizes F, so it drops the term of F's own curvature; where "
        "that term dominates (near an inflection of f), (A) is closer. Grid: w_k in [-3, 3], s in [-1/2, 1/2].",
    ),
    Claim(
        id="dual-score-model-exact-linear",
        title="For a score linear in w (F = w x) the score-linearization model (B) equals f(w_k + s) exactly, "
        "so it is at least as accurate as the cost linearization (A) everywhere",
        source=f"{S1} § GAN optimization with model function (B)",
        statement=Eq(BetterModel(model_score(F_linear), model_cost(F_linear), gan_loss(F_linear), W_RANGE, S_RANGE),
                        True, evaluate=False),
        verifier=VD.better_model,
        twins=(Twin("(A) at least as accurate everywhere", Eq(
            BetterModel(model_cost(F_linear), model_score(F_linear), gan_loss(F_linear), W_RANGE, S_RANGE), True,
            evaluate=False)),),
    ),
    Claim(
        id="dual-alternating-updates-no-convergence",
        title="The saddle-point formulation's alternating updates (theta up, then w down) never converge on the "
        "bilinear f = theta w: no step eta > 0 puts both eigenvalues strictly inside the unit circle",
        source=f"{S1} § Introduction (alternating gradient updates; instability of the saddle point)",
        statement=Eq(StableSet(_alternating_jac(th_ * w_), eta_, sp.Interval.open(0, sp.oo)), sp.S.EmptySet,
                        evaluate=False),
        verifier=VC.stable_set,
        twins=(Twin("converges for 0 < eta < 1",
                    Eq(StableSet(_alternating_jac(th_ * w_), eta_, sp.Interval.open(0, sp.oo)),
                          sp.Interval.open(0, 1), evaluate=False)),),
        note="The update map is derived from the poster's rule and differentiated; its determinant is 1, so the "
        "eigenvalues are on the unit circle (eta < 2) or one is outside. This is the instability the poster "
        "attributes to the saddle-point formulation; the dual max_theta max_lambda g is a maximization instead.",
    ),
]
