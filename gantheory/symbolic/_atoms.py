"""SymPy atoms for the objects the seeds talk about, with their LaTeX.

Densities are symbols evaluated at one point ``y``. Each pair of densities has a *reference*
(``p_r``, ``p_data``, ``p_2``) and an *other* density (``p_R``, ``p_g``, ``p_1``) absolutely
continuous with respect to it, with likelihood ratio ``R = other / reference``. Every functional
below is an expectation under the reference of a pointwise function of ``R``; the reductions in
:mod:`gantheory.symbolic._reduce` compute that function.
"""

from __future__ import annotations

import sympy as sp

# --- symbols ------------------------------------------------------------------------------
#: Likelihood ratio R(y) = p_R(y) / p_r(y) at one point (seed 000: R in Omega_g is positive).
R = sp.Symbol("R", positive=True)
#: A discriminator value f(y) (seed 000: f in Omega_d maps into (0, 1)).
f = sp.Symbol("f", positive=True)
#: A frozen discriminator in a gradient: differentiated as a constant, then set to f*(R).
f_star = sp.Symbol("f^*", positive=True)
#: Discriminator output D(x) (seed 003).
D = sp.Symbol("D", positive=True)
lam = sp.Symbol("lambda", real=True)

p_r, p_R = sp.symbols("p_r p_R", positive=True)
p_data, p_g = sp.symbols("p_data p_g", positive=True)
p_1, p_2 = sp.symbols("p_1 p_2", positive=True)

#: reference density -> other density (the other one is R times the reference).
DENSITY_PAIRS = {p_r: p_R, p_data: p_g, p_2: p_1}
REFERENCES = frozenset(DENSITY_PAIRS)
OTHERS = frozenset(DENSITY_PAIRS.values())
DENSITIES = REFERENCES | OTHERS


def _tex(printer, arg) -> str:
    return printer._print(arg)


def _pair_tex(printer, name: str, a, b) -> str:
    r"""``name(a \| b)``: how a divergence between two distributions prints."""
    return rf"{name}\left({_tex(printer, a)} \,\middle\|\, {_tex(printer, b)}\right)"


class _Atom(sp.Function):
    """A named function of the seeds' objects; subclasses give their LaTeX in ``_latex_body``.

    SymPy's printer passes ``exp`` for a power (``KL(p, q)**2``): it is applied here, once, so that
    no atom can crash the printer (and with it ``gantheory prove``) on a power of itself.
    """

    def _eval_evalf(self, prec):
        if any(isinstance(a, sp.Lambda) for a in self.args):  # a map, not a number: no value
            return None
        return super()._eval_evalf(prec)

    def _latex(self, printer, exp=None):
        if not hasattr(self, "_latex_body"):
            return printer._print_Function(self, exp=exp)
        body = self._latex_body(printer)
        return body if exp is None else rf"\left({body}\right)^{{{exp}}}"


class KL(_Atom):
    r"""Kullback-Leibler divergence :math:`\mathrm{KL}(a \| b) = \int a \log(a/b)`, in nats."""

    nargs = 2

    def _latex_body(self, printer):
        return _pair_tex(printer, r"\operatorname{KL}", *self.args)


class JSD(_Atom):
    r"""Jensen-Shannon divergence :math:`\tfrac12\mathrm{KL}(a\|m) + \tfrac12\mathrm{KL}(b\|m)`."""

    nargs = 2

    def _latex_body(self, printer):
        return _pair_tex(printer, r"\operatorname{JSD}", *self.args)


class E(_Atom):
    r"""Expectation over :math:`Y \sim p_r` (the reference) of a pointwise function of ``R``."""

    nargs = 1

    def _latex_body(self, printer):
        return rf"\mathbb{{E}}\left[{_tex(printer, self.args[0])}\right]"


class GenLoss(_Atom):
    r"""Seed 000 generator loss :math:`g(R, f) = \mathbb{E}[-\log f(\tilde Y)]`, :math:`\tilde Y \sim R p_r`."""

    nargs = 2

    def _latex_body(self, printer):
        a, b = self.args
        return rf"g\left({_tex(printer, a)}, {_tex(printer, b)}\right)"


class DiscLoss(_Atom):
    r"""Seed 000 discriminator loss :math:`d(R, f) = \mathbb{E}[-\log f(Y)] + \mathbb{E}[-\log(1 - f(\tilde Y))]`."""

    nargs = 2

    def _latex_body(self, printer):
        a, b = self.args
        return rf"d\left({_tex(printer, a)}, {_tex(printer, b)}\right)"


class ValueFn(_Atom):
    r"""Seed 003 value function :math:`V(G, D) = \mathbb{E}_{p_{data}}[\log D] + \mathbb{E}_{p_g}[\log(1-D)]`.

    Arguments: the data density, the generator density, the discriminator value ``D``.
    """

    nargs = 3

    def _latex_body(self, printer):
        return rf"V\left(G, {_tex(printer, self.args[2])}\right)"


class VirtualCriterion(_Atom):
    r"""Seed 003 virtual training criterion :math:`C(G) = \max_D V(G, D)` (the max is *derived*)."""

    nargs = 2

    def _latex_body(self, printer):
        return r"C(G)"


class BayesDisc(_Atom):
    r""":math:`f^*(R) = \arg\min_{f \in \Omega_d} d(R, f)`, the best discriminator (the argmin is *derived*)."""

    nargs = 1

    def _latex_body(self, printer):
        return rf"f^*\left({_tex(printer, self.args[0])}\right)"


class Posterior(_Atom):
    r"""``Posterior(prior, p_real, p_fake)``: P{Class = real | y} by Bayes' rule, for a sample that is real with
    probability ``prior`` and then drawn from ``p_real``, else from ``p_fake`` (the rule is applied by the
    verifier, not here)."""

    nargs = 3

    def _latex_body(self, printer):
        pi_, a, b = self.args
        return (rf"P\left\{{\mathrm{{real}} \mid y\right\}}_{{P\{{\mathrm{{real}}\}} = {_tex(printer, pi_)},\ "
                rf"{_tex(printer, a)},\ {_tex(printer, b)}}}")


class ParamGrad(_Atom):
    r"""``ParamGrad(J)``: the gradient in theta of a functional J of (p_R, p_r) along the softmax family
    p_R = p_theta(y_k) = e^{theta_k} / sum_j e^{theta_j} on K points (Arjovsky & Bottou's parametrization)."""

    nargs = 1

    def _latex_body(self, printer):
        return rf"\nabla_\theta \left[{_tex(printer, self.args[0])}\right]_{{p_R = p_\theta}}"


class AlgorithmOneStep(_Atom):
    r"""``AlgorithmOneStep(loss, k, h)``: the gradient the generator descends in Algorithm 1 (Goodfellow et al.
    2014) after k ascent steps of size h on V in the discriminator from D = 1/2, with expected gradients (the
    minibatch gradients' mean), on the trainers' parametric GAN at theta = (mu, log sigma) = (0, 0): data
    N(1, 0.7^2), generator G_theta(z) = mu + e^l z, D_w(x) = sigmoid(w0 + w1 x + w2 x^2). ``loss`` is gan
    (log(1 - D(G(z))), as stated) or nsgan (-log D(G(z))); k = oo runs the inner loop to convergence."""

    nargs = 3

    def _latex_body(self, printer):
        loss, k, h = self.args
        g = r"\log\left(1 - D(G_\theta(z))\right)" if str(loss) == "gan" else r"-\log D(G_\theta(z))"
        return (rf"\mathbb{{E}}_z\left[\nabla_\theta {g}\right]_{{D = D_{{w_k}},\ k = {_tex(printer, k)},\ "
                rf"h = {_tex(printer, h)}}}")


class FamilyGrad(_Atom):
    r"""``FamilyGrad(J)``: the gradient in theta = (mu, log sigma) of a functional J of (p_data, p_g) along the
    location-scale family p_g = N(mu, sigma^2), at theta = (0, 0) against p_data = N(1, 0.7^2) (the setting of
    :class:`AlgorithmOneStep`)."""

    nargs = 1

    def _latex_body(self, printer):
        return rf"\nabla_\theta \left[{_tex(printer, self.args[0])}\right]_{{p_g = \mathcal{{N}}(\mu, \sigma^2)}}"


class GeneratorGrad(_Atom):
    r"""``GeneratorGrad(Lambda(D, loss), frozen)``: E_z[grad_theta loss(D*(G_theta(z)))] along the softmax family,
    with the optimal discriminator D* = p_r / (p_r + p_theta) held at the current theta (``frozen`` true: the
    generator's gradient against a trained discriminator) or differentiated too (``frozen`` false)."""

    nargs = 2

    def _latex_body(self, printer):
        lam, frozen = self.args
        body = _tex(printer, lam.expr.xreplace({lam.variables[0]: sp.Symbol("DSTAR")}))
        body = body.replace("DSTAR", r"D^*\left(G_\theta(z)\right)")
        held = r",\ D^* \text{ held fixed}" if frozen == sp.true else ""
        return rf"\mathbb{{E}}_z\left[\nabla_\theta\, {body}\right]{held}"


class Ez(_Atom):
    r"""``Ez(h)``: :math:`\mathbb{E}_{z \sim p_z}[h(G(z))]` for a function ``h = Lambda(x, ...)`` of the data space."""

    nargs = 1

    def _latex_body(self, printer):
        h = self.args[0]
        body = _tex(printer, h.expr.xreplace({h.variables[0]: sp.Symbol("GZ")})).replace("GZ", r"G(z)")
        return rf"\mathbb{{E}}_{{z \sim p_z}}\left[{body}\right]"


class Ex(_Atom):
    r"""``Ex(h, which)``: :math:`\mathbb{E}_{x \sim p}[h(x)]` over the data space, for ``which`` = ``data``
    (p_data), ``pushforward`` (p_g, the law of G(z)) or ``latent`` (p_z's masses read as if G were the
    identity: a perturbed twin)."""

    nargs = 2

    def _latex_body(self, printer):
        h, which = self.args
        dist = {"data": r"p_{\mathrm{data}}", "pushforward": r"p_g = G_\# p_z", "latent": "p_z"}[str(which)]
        body = _tex(printer, h.expr.xreplace({h.variables[0]: sp.Symbol("x")}))
        return rf"\mathbb{{E}}_{{x \sim {dist}}}\left[{body}\right]"


class GLGDStepInOmega(_Atom):
    r"""``GLGDStepInOmega(p_r, R, alpha)``: whether one GLGD step of seed 000 (non-saturating generator,
    R <- R - alpha P_o grad_R g(R, f*), f* = 1/(1 + R)) from the ratio ``R`` on cells of unit volume with
    masses ``p_r`` stays in Omega_g = {R > 0, E[R] = 1}; the arguments are tuples of numbers."""

    nargs = 3

    def _latex_body(self, printer):
        p, r, a = self.args
        return (rf"R - {_tex(printer, a)}\, P_o \nabla_R g(R, f^*) \in \Omega_g\ \text{{for}}\ "
                rf"p_r = {_tex(printer, p)},\ R = {_tex(printer, r)}")


class GLGDBestRate(_Atom):
    r"""``GLGDBestRate((p_1, ..., p_n))``: the best linear rate of seed 000's GLGD near its minimizer R* = 1, for
    p_r with masses p_i on n cells of unit volume: min over alpha of the spectral radius of the Jacobian of
    R -> R - alpha P_o grad_R C(R) at R = 1, on the tangent space E[delta] = 0."""

    nargs = 1

    def _latex_body(self, printer):
        return rf"\rho^*_{{\mathrm{{GLGD}}}}\left(p_r = {_tex(printer, self.args[0])}\right)"


class PointMassTarget(_Atom):
    r"""``PointMassTarget(f, G, D, zs, xs)``: the GAN training target of seed 002 (Mescheder et al. 2018, eq. 1),
    L(theta, psi) = E_Z[f(D_psi(G_theta(Z)))] + E_X[f(-D_psi(X))], for Z uniform on the points ``zs`` and X on
    ``xs``; ``f``, ``G``, ``D`` are Lambdas (the verifier takes the expectations)."""

    nargs = 5

    def _latex_body(self, printer):
        f_, g_, d_, zs, xs = self.args
        return (rf"\left(\mathbb{{E}}_Z\, f\left(D_\psi(G_\theta(Z))\right) + \mathbb{{E}}_X\, f\left(-D_\psi(X)\right)"
                rf"\right)\Big|_{{f(t) = {_tex(printer, f_.expr)},\ G_\theta(z) = {_tex(printer, g_.expr)},\ "
                rf"D_\psi(x) = {_tex(printer, d_.expr)},\ Z \in {_tex(printer, sp.FiniteSet(*zs))},\ "
                rf"X \in {_tex(printer, sp.FiniteSet(*xs))}}}")


class ImageOver(_Atom):
    r"""``ImageOver(Lambda(x, g), I)``: the set of values g takes on the interval I (derived by the verifier)."""

    nargs = 2

    def _latex_body(self, printer):
        lam, dom = self.args
        var, body = _tex(printer, lam.variables[0]), _tex(printer, lam.expr)
        return rf"\left\{{{body} : {var} \in {_tex(printer, dom)}\right\}}"


class Minimizers(_Atom):
    r"""``Minimizers(L, Tuple(x_1, ..., x_k))``: the set of global minimizers of L over all of R^k (every other
    symbol of L is a parameter); derived by the verifier."""

    nargs = 2

    def _latex_body(self, printer):
        loss, xs = self.args
        names = ", ".join(_tex(printer, x) for x in xs)
        return (rf"\operatorname{{arg\,min}}_{{({names}) \in \mathbb{{R}}^{{{len(xs)}}}}} "
                rf"\left[{_tex(printer, loss)}\right]")


class ArgMax(_Atom):
    r""":math:`\arg\max_{x \in I} \phi(x)`: arguments ``(phi, x, I)`` with ``I`` a SymPy interval.

    Over a function space (``phi`` an expectation), the optimum is taken pointwise.
    """

    nargs = 3

    def _latex_body(self, printer):
        phi, x, interval = self.args
        return (rf"\operatorname*{{arg\,max}}_{{{_tex(printer, x)} \in {_tex(printer, interval)}}}"
                rf"\left[{_tex(printer, phi)}\right]")


class ArgMin(_Atom):
    r""":math:`\arg\min_{x \in I} \phi(x)`, as :class:`ArgMax` of ``-phi``."""

    nargs = 3

    def _latex_body(self, printer):
        phi, x, interval = self.args
        return (rf"\operatorname*{{arg\,min}}_{{{_tex(printer, x)} \in {_tex(printer, interval)}}}"
                rf"\left[{_tex(printer, phi)}\right]")


class MinOmega(_Atom):
    r""":math:`\min_{R \in \Omega_g} J(R)` for a functional ``J`` of the likelihood ratio."""

    nargs = 1

    def _latex_body(self, printer):
        return rf"\min_{{R \in \Omega_g}} {_tex(printer, self.args[0])}"


class ArgMinOmega(_Atom):
    r""":math:`\arg\min_{R \in \Omega_g} J(R)`; a constant answer means the constant function."""

    nargs = 1

    def _latex_body(self, printer):
        return rf"\operatorname*{{arg\,min}}_{{R \in \Omega_g}} {_tex(printer, self.args[0])}"


class StrictlyConvex(_Atom):
    r"""The statement ':math:`h` is strictly convex on the interval ``I``': arguments ``(h, x, I)``."""

    nargs = 3

    def _latex_body(self, printer):
        h, x, interval = self.args
        return (rf"{_tex(printer, h)} \text{{ is strictly convex in }} {_tex(printer, x)}"
                rf" \in {_tex(printer, interval)}")


class Grad(_Atom):
    r""":math:`\nabla_R J`: the gradient of a functional of ``R`` in :math:`L^2(dy)`.

    Symbols ``f^*`` inside are held fixed while differentiating, then set to :math:`f^*(R)`.
    """

    nargs = 1

    def _latex_body(self, printer):
        return rf"\nabla_R {_tex(printer, self.args[0])}"


class Proj(_Atom):
    r""":math:`P_o d = d - \frac{\mathbb{E}[d(Y)]}{\mathbb{E}[p_r(Y)]} p_r` (seed 000), applied to a gradient."""

    nargs = 1

    def _latex_body(self, printer):
        return rf"P_o {_tex(printer, self.args[0])}"


FUNCTIONALS = (KL, JSD, E, GenLoss, DiscLoss, ValueFn, VirtualCriterion)


class Et(_Atom):
    r"""Expectation over :math:`\tilde Y \sim p_R` (the *other* density): :math:`\mathbb{E}[h(\tilde Y)]`."""

    nargs = 1

    def _latex_body(self, printer):
        return rf"\mathbb{{E}}\left[{_tex(printer, self.args[0])}\right]_{{\tilde Y}}"


class Int(_Atom):
    r""":math:`\int \phi(y)\,dy` for a pointwise expression in the densities (homogeneous of degree one)."""

    nargs = 1

    def _latex_body(self, printer):
        return rf"\int {_tex(printer, self.args[0])} \, dy"


class ArgMaxOmega(_Atom):
    r""":math:`\arg\max_{R \in \Omega_g} J(R)`."""

    nargs = 1

    def _latex_body(self, printer):
        return rf"\operatorname*{{arg\,max}}_{{R \in \Omega_g}} {_tex(printer, self.args[0])}"


class Inner(_Atom):
    r""":math:`\langle a, b \rangle = \int a(y) b(y)\, dy` for pointwise quantities (vectors on cells)."""

    nargs = 2

    def _latex_body(self, printer):
        a, b = self.args
        return rf"\left\langle {_tex(printer, a)}, {_tex(printer, b)} \right\rangle"


FUNCTIONALS = (KL, JSD, E, Et, Int, GenLoss, DiscLoss, ValueFn, VirtualCriterion)


# -- game dynamics --------------------------------------------------------------------------------

class FieldJac(_Atom):
    r"""Jacobian at the equilibrium of a game's vector field: ``FieldJac(game, loss, reg)`` (names as symbols)."""

    nargs = 3

    def _latex_body(self, printer):
        game, loss, reg = (str(a) for a in self.args)
        sub = loss if reg == "none" else f"{loss}, {reg}"
        return rf"{{v'}}_{{\mathrm{{{game}}}}}^{{\mathrm{{{sub}}}}}(0)"


class UpdateJac(_Atom):
    r"""Jacobian at the equilibrium of one update: ``UpdateJac(game, loss, reg, optimizer, h, n_g, n_d, beta)``."""

    nargs = 8

    def _latex_body(self, printer):
        game, loss, reg, opt = (str(a) for a in self.args[:4])
        step, ng, nd, b = self.args[4:]
        extra = []
        if str(opt) == "altgd" and (ng, nd) != (1, 1):
            extra.append(rf"n_g={_tex(printer, ng)}, n_d={_tex(printer, nd)}")
        if b != 0:
            extra.append(rf"\beta={_tex(printer, b)}")
        tail = (", " + ", ".join(extra)) if extra else ""
        head = rf"{{F'}}_{{\mathrm{{{opt}}}}}\left(\mathrm{{{game}}}, \mathrm{{{loss}}}"
        return head + rf", h={_tex(printer, step)}{tail}\right)"


class Spectrum(_Atom):
    r"""The eigenvalues of a matrix atom, as a tuple (with multiplicity)."""

    nargs = 1

    def _latex_body(self, printer):
        return rf"\sigma\left({_tex(printer, self.args[0])}\right)"


class SpectralRadius(_Atom):
    nargs = 1

    def _latex_body(self, printer):
        return rf"\rho\left({_tex(printer, self.args[0])}\right)"


class SpectralAbscissa(_Atom):
    r"""The largest real part of the eigenvalues."""

    nargs = 1

    def _latex_body(self, printer):
        return rf"\max \operatorname{{Re}} \sigma\left({_tex(printer, self.args[0])}\right)"


class Det(_Atom):
    nargs = 1

    def _latex_body(self, printer):
        return rf"\det {_tex(printer, self.args[0])}"


class StableStepBound(_Atom):
    r"""The supremum of step sizes h > 0 with :math:`|1 + h\lambda| < 1`, for one eigenvalue lambda."""

    nargs = 1

    def _latex_body(self, printer):
        return rf"\sup\{{h > 0 : |1 + h ({_tex(printer, self.args[0])})| < 1\}}"


class LieDerivative(_Atom):
    r"""``LieDerivative(H, FieldOf(game, loss, reg))``: dH/dt along the integral curves of the field."""

    nargs = 2

    def _latex_body(self, printer):
        return rf"\frac{{d}}{{dt}}\left[{_tex(printer, self.args[0])}\right]"


class FieldOf(_Atom):
    """The vector field of ``(game, loss, reg)`` (names as symbols)."""

    nargs = 3


class Converges(_Atom):
    r"""Whether a simulated training run converges: ``Converges(game, loss, optimizer, h, n_d, clip)``."""

    nargs = 6

    def _latex_body(self, printer):
        game, loss, opt, step, nd, clip = self.args
        return (rf"\text{{{opt} on {game} ({loss}), }} h={_tex(printer, step)},\ n_d={_tex(printer, nd)},"
                rf"\ |\psi| \le {_tex(printer, clip)} \text{{ converges}}")


class AtParams(_Atom):
    r"""A matrix atom with the regularizer strengths fixed: ``AtParams(M, gamma, sigma)``."""

    nargs = 3

    def _latex_body(self, printer):
        m, g, s = self.args
        return rf"\left.{_tex(printer, m)}\right|_{{\gamma={_tex(printer, g)}, \sigma={_tex(printer, s)}}}"


class WithValues(_Atom):
    r"""``WithValues(M, (x1, ...), (v1, ...))``: a matrix atom with some of its symbols replaced by values
    or by other symbols (``f''(0)`` by ``-kappa`` with ``kappa > 0``, say)."""

    nargs = 3

    def _latex_body(self, printer):
        m, xs, vs = self.args
        subs = ", ".join(f"{_tex(printer, x)}={_tex(printer, v)}" for x, v in zip(xs, vs))
        return rf"\left.{_tex(printer, m)}\right|_{{{subs}}}"


# -- f-divergences ------------------------------------------------------------------------------

class FDiv(_Atom):
    r""":math:`D_f(P\|Q) = \int q f(p/q)`: arguments ``(Lambda(u, f(u)), P, Q)``; Q is the reference."""

    nargs = 3

    def _latex_body(self, printer):
        return _pair_tex(printer, "D_f", self.args[1], self.args[2])


class Conjugate(_Atom):
    r""":math:`f^*(t) = \sup_{u > 0} (u t - f(u))` on the interval ``dom``: arguments ``(Lambda(u, f(u)), dom)``."""

    nargs = 2

    def _latex_body(self, printer):
        return rf"f^*(t),\ t \in {_tex(printer, self.args[1])}"


class ImageOf(_Atom):
    r"""The image of the real line under a map: ``ImageOf(Lambda(v, g(v)))``."""

    nargs = 1

    def _latex_body(self, printer):
        return rf"g_f(\mathbb{{R}}),\ g_f(v) = {_tex(printer, self.args[0].expr)}"


class DerivAtOne(_Atom):
    r""":math:`f'(1)` (the subdifferential where f has a kink): ``DerivAtOne(Lambda(u, f(u)))``."""

    nargs = 1

    def _latex_body(self, printer):
        return r"f'(1)"


class VariationalGap(_Atom):
    r""":math:`D_f(P\|Q) - (E_P[T] - E_Q[f^*(T)])` for ``(f, f*, T)`` with T a Lambda of the ratio p/q."""

    nargs = 3

    def _latex_body(self, printer):
        return (rf"D_f(P\|Q) - \left(\mathbb{{E}}_P[T] - \mathbb{{E}}_Q[f^*(T)]\right),\ "
                rf"T = {_tex(printer, self.args[2].expr)}")


FUNCTIONALS = FUNCTIONALS + (FDiv,)


# -- Dualing GANs ---------------------------------------------------------------------------------

class _OptimumOver(_Atom):
    r""":math:`\max_{x \in I} \phi(x)` and its kin: arguments ``(phi, x, I)``, printed with :attr:`_command`."""

    nargs = 3
    _command = r"\max"

    def _latex_body(self, printer):
        phi, x, interval = self.args
        return (rf"{self._command}_{{{_tex(printer, x)} \in {_tex(printer, interval)}}} "
                rf"\left[{_tex(printer, phi)}\right]")


class MaxOver(_OptimumOver):
    r""":math:`\max_{x \in I} \phi(x)`: arguments ``(phi, x, I)``."""


class MinOver(_OptimumOver):
    r""":math:`\min_{x \in I} \phi(x)`: arguments ``(phi, x, I)`` (slide LaTeX's ``\min_{x \in I}``)."""

    _command = r"\min"


class SupOver(MaxOver):
    r""":math:`\sup_{x \in I} \phi(x)`: a :class:`MaxOver` that need not be attained (slide LaTeX's
    ``\sup_{x \in I}``)."""

    _command = r"\sup"


class InfOver(MinOver):
    r""":math:`\inf_{x \in I} \phi(x)`: a :class:`MinOver` that need not be attained (slide LaTeX's
    ``\inf_{x \in I}``)."""

    _command = r"\inf"


class DualingGap(_Atom):
    r"""Primal optimum minus dual optimum of the linear-discriminator GAN loss (seed 001), for the dual
    objective given as a Lambda of (lambda_x, lambda_z, X, Y, C, n); 0 is strong duality."""

    nargs = 1

    def _latex_body(self, printer):
        return (r"\min_{\mathbf w} f(\theta, \mathbf w) - \max_{\lambda} g(\theta, \lambda),\ "
                rf"g = {_tex(printer, self.args[0].expr)}")


# -- Wasserstein -----------------------------------------------------------------------------------

class W1(_Atom):
    r""":math:`W(p_r \| p_R) = \inf_\gamma \int \|x - y\| d\gamma` (primal)."""

    nargs = 2

    def _latex_body(self, printer):
        return _pair_tex(printer, "W", self.args[0], self.args[1])


class KRDual(_Atom):
    r""":math:`\sup_{\|f\|_L \le L} \mathbb{E}_a[f] - \mathbb{E}_b[f]`: arguments ``(a, b, L)``."""

    nargs = 3

    def _latex_body(self, printer):
        a, b, lip = self.args
        return (rf"\sup_{{\|f\|_L \le {_tex(printer, lip)}}} \mathbb{{E}}_{{{_tex(printer, a)}}}[f]"
                rf" - \mathbb{{E}}_{{{_tex(printer, b)}}}[f]")


class CriticLossMin(_Atom):
    r""":math:`\min_{\|f\|_L \le L} d_w(R, f)` with seed 000's WGAN discriminator loss
    :math:`d_w(R, f) = E[f(\tilde Y_R)] - E[f(Y)]`: arguments ``(p_real, p_generated, L)``."""

    nargs = 3

    def _latex_body(self, printer):
        a, b, lip = self.args
        return (rf"\min_{{\|f\|_L \le {_tex(printer, lip)}}} \mathbb{{E}}_{{{_tex(printer, b)}}}[f]"
                rf" - \mathbb{{E}}_{{{_tex(printer, a)}}}[f]")


class ManifoldDivergence(_Atom):
    r"""A divergence between P_0 and P_theta, the laws of (0, Z) and (theta, Z), Z ~ U(0, 1):
    ``ManifoldDivergence(name, theta)`` with name W1, JS or KL."""

    nargs = 2

    def _latex_body(self, printer):
        name, th = self.args
        return rf"\mathrm{{{name}}}\left(\mathbb{{P}}_0, \mathbb{{P}}_{{{_tex(printer, th)}}}\right)"


class Biconjugate(_Atom):
    r""":math:`f^{**}(u) = \sup_{t \in \mathrm{dom} f^*} (t u - f^*(t))`: arguments ``(Lambda(t, f*), dom)``."""

    nargs = 2

    def _latex_body(self, printer):
        return r"f^{**}(u)"


class IterationRate(_Atom):
    r"""``IterationRate(F, vars, point, r, start)``: iterating the (nonlinear) map F from any x_0 within
    ``start`` of its fixed point (the symbol ``near``: a small enough neighbourhood), ||F^t(x_0) - point|| =
    O(r^t) (a statement, true or false; Property 3 of seed 004 for a nonlinear map)."""

    nargs = 5

    def _latex_body(self, printer):
        F, xs, pt, r, start = self.args
        where = (r"x_0 \text{ near } x^*" if str(start) == "near"
                 else rf"\|x_0 - x^*\| = {_tex(printer, start)}")
        return (rf"\left\|F^{{t}}(x_0) - x^*\right\| = O\!\left(\left({_tex(printer, r)}\right)^{{t}}\right),\ "
                rf"F = {_tex(printer, F)},\ x^* = {_tex(printer, pt)},\ {where}")


class PowerBound(_Atom):
    r"""``PowerBound(M, r)``: :math:`\|M^k\| = O(r^k)` as :math:`k \to \infty` (a statement, true or false).

    The distance of a linearized iteration to its fixed point after k steps is ``M^k`` applied to
    the start, so this is the rate statement of Property 3 (seed 004) and of the local convergence
    theorem of seed 002.
    """

    nargs = 2

    def _latex_body(self, printer):
        M, r = self.args
        return rf"\left\|{_tex(printer, M)}^{{k}}\right\| = O\!\left(\left({_tex(printer, r)}\right)^{{k}}\right)"


class Unrestricted(_Atom):
    r"""``Unrestricted(Eq(...))``: the identity claimed also where absolute continuity fails (p_g has
    mass on a cell where p_r has none; R = p_g / p_r is then set on the support of p_r only)."""

    nargs = 1

    def _latex_body(self, printer):
        return rf"{_tex(printer, self.args[0])}\ \text{{(also without }} p_R \ll p_r\text{{)}}"


# -- calculus, update operators and stable sets (seeds 002 and 004) -------------------------------

def _vars_tex(printer, vs) -> str:
    return ", ".join(_tex(printer, v) for v in vs)


class JacobianOf(_Atom):
    r"""``JacobianOf(F, vars)``: the Jacobian matrix :math:`\partial F_i / \partial x_j` of the map F
    (a column of expressions) in the variables ``vars``, computed by differentiation."""

    nargs = 2

    def _latex_body(self, printer):
        F, vs = self.args
        return rf"\frac{{\partial\, {_tex(printer, F)}}}{{\partial ({_vars_tex(printer, vs)})}}"


class HessianOf(_Atom):
    r"""``HessianOf(L, vars)``: the Hessian :math:`\nabla^2 L` in ``vars``, computed by differentiation."""

    nargs = 2

    def _latex_body(self, printer):
        L, vs = self.args
        return rf"\nabla^2_{{({_vars_tex(printer, vs)})}} {_tex(printer, L)}"


class AtPoint(_Atom):
    r"""``AtPoint(expr, vars, point)``: ``expr`` (an atom or matrix) evaluated at ``vars = point``."""

    nargs = 3

    def _latex_body(self, printer):
        e, vs, pt = self.args
        pairs = ", ".join(rf"{_tex(printer, v)} = {_tex(printer, p)}" for v, p in zip(vs, pt))
        return rf"\left. {_tex(printer, e)} \right|_{{{pairs}}}"


class Conservative(_Atom):
    r"""``Conservative(v, vars)``: the vector field v is a gradient, :math:`\exists f: v = \nabla f`
    (seed 004, Definition 1); a statement, true or false."""

    nargs = 2

    def _latex_body(self, printer):
        v, vs = self.args
        return rf"\exists f:\ {_tex(printer, v)} = \nabla_{{({_vars_tex(printer, vs)})}} f"


class StableSet(_Atom):
    r"""``StableSet(M, x, domain)``: the values of the parameter x in ``domain`` for which every
    eigenvalue of the matrix M(x) lies strictly inside the unit circle (the iteration converges
    locally at a linear rate; a root on the circle is marginal and excluded)."""

    nargs = 3

    def _latex_body(self, printer):
        M, x, dom = self.args
        return (rf"\left\{{{_tex(printer, x)} \in {_tex(printer, dom)} : "
                rf"\rho\left({_tex(printer, M)}\right) < 1\right\}}")


class PureNash(_Atom):
    r"""``PureNash(A, B, rows, cols)``: the pure Nash equilibria (row action, column action) of the
    bimatrix game in which the row player receives A and the column player B (both maximize)."""

    nargs = 4

    def _latex_body(self, printer):
        return rf"\mathrm{{PNE}}\left({_tex(printer, self.args[0])}, {_tex(printer, self.args[1])}\right)"


class GameValue(_Atom):
    r"""``GameValue(M, order, strategies)`` for the zero-sum game in which the row player x minimizes
    and the column player y maximizes :math:`M_{xy}`: ``order`` is ``minmax``
    (:math:`\min_x \max_y`) or ``maxmin`` (:math:`\max_y \min_x`), over ``pure`` or ``mixed`` strategies."""

    nargs = 3

    def _latex_body(self, printer):
        M, order, kind = (self.args[0], str(self.args[1]), str(self.args[2]))
        X, Y = (r"x \in \Delta", r"y \in \Delta") if kind == "mixed" else ("x", "y")
        f = rf"x^\top {_tex(printer, M)}\, y" if kind == "mixed" else rf"{_tex(printer, M)}_{{xy}}"
        if order == "minmax":
            return rf"\min_{{{X}}} \max_{{{Y}}} {f}"
        return rf"\max_{{{Y}}} \min_{{{X}}} {f}"


class IdealizedPNE(_Atom):
    r"""``IdealizedPNE(r_data, r_g)``: the pure Nash equilibria (p_g, D) of seed 003's idealized game:
    D maximizes :math:`E_{p_{data}}[r_{data}(D)] + E_{p_g}[r_g(D)]` over D(x) in (0, 1) and the
    generator minimizes the same payoff over distributions p_g. The value is written as the pair
    (p_g, D) of a PNE, and claimed unique."""

    nargs = 2

    def _latex_body(self, printer):
        return (rf"\mathrm{{PNE}}\left(\max_D \min_{{p_g}} \mathbb{{E}}_{{p_{{data}}}}"
                rf"[{_tex(printer, self.args[0].expr)}] + "
                rf"\mathbb{{E}}_{{p_g}}[{_tex(printer, self.args[1].expr)}]\right)")


class Solutions(_Atom):
    r"""``Solutions(expr, x)``: the real solutions of ``expr = 0`` in x, as a set."""

    nargs = 2

    def _latex_body(self, printer):
        e, x = self.args
        return rf"\left\{{{_tex(printer, x)} \in \mathbb{{R}} : {_tex(printer, e)} = 0\right\}}"


class IsNash(_Atom):
    r"""``IsNash(L_phi, L_theta, (phi, theta), point)``: the point is a (global, pure) Nash equilibrium of
    the game in which phi minimizes L_phi and theta minimizes L_theta (seed 004, Definition 4)."""

    nargs = 4

    def _latex_body(self, printer):
        Lp, Lt, (p, t), pt = self.args
        return (rf"{_tex(printer, p)}^* \in \arg\min_{{{_tex(printer, p)}}} {_tex(printer, Lp)}\ \wedge\ "
                rf"{_tex(printer, t)}^* \in \arg\min_{{{_tex(printer, t)}}} {_tex(printer, Lt)}\ "
                rf"\text{{at }} ({_tex(printer, p)}^*, {_tex(printer, t)}^*) = {_tex(printer, pt)}")


class NormIsRadius(_Atom):
    r"""``NormIsRadius(M)``: the operator 2-norm of M equals its spectral radius, for every value of
    the symbols in M (a statement, true or false)."""

    nargs = 1

    def _latex_body(self, printer):
        M = _tex(printer, self.args[0])
        return rf"\|{M}\|_2 = \rho\left({M}\right)"


# -- seed 001: bounds and model functions -----------------------------------------------------------

class LogisticPrimal(_Atom):
    r"""``LogisticPrimal(k)``: the discriminator's loss f(theta, w) of seed 001 at w after k gradient
    steps from w = 0 (``k = oo``: at the minimizer w*(theta)), on a fixed random logistic problem."""

    nargs = 1

    def _latex_body(self, printer):
        k = self.args[0]
        if k == sp.oo:
            return r"f(\theta, w^*(\theta))"
        return rf"f(\theta, w_{{{_tex(printer, k)}}})"


class LogisticDual(_Atom):
    r"""``LogisticDual(g, t)``: the dual objective g(theta, lambda) at lambda = t lambda* + (1 - t) lambda_0,
    lambda* the dual optimum and lambda_0 a random feasible point."""

    nargs = 2

    def _latex_body(self, printer):
        return rf"g(\theta, \lambda_{{{_tex(printer, self.args[1])}}})"


class BetterModel(_Atom):
    r"""``BetterModel(m1, m2, f, W, S)``: for every w_k in W and step s in S,
    :math:`|m_1(w_k, s) - f(w_k + s)| \le |m_2(w_k, s) - f(w_k + s)|` (a statement, true or false)."""

    nargs = 5

    def _latex_body(self, printer):
        return (r"\forall w_k, s:\ |m_B(w_k, s) - f(w_k + s)| \le |m_A(w_k, s) - f(w_k + s)|")


class FGenerator(_Atom):
    r"""``FGenerator(Lambda(u, f))``: f is an admissible f-divergence generator on u > 0: convex, lower
    semicontinuous, with f(1) = 0 (seed 003 § A family of alternatives); a statement."""

    nargs = 1

    def _latex_body(self, printer):
        f = _tex(printer, self.args[0].expr)
        return rf"f(u) = {f}\ \text{{is convex on }} u > 0 \text{{ with }} f(1) = 0"


class ConjugateAt(_Atom):
    r"""``ConjugateAt(Lambda(u, f), x)``: the Fenchel conjugate :math:`f^*(x) = \sup_{u > 0} (u x - f(u))`,
    derived from f (not read from a table)."""

    nargs = 2

    def _latex_body(self, printer):
        return rf"f^*\left({_tex(printer, self.args[1])}\right)"


class W1Coupling(_Atom):
    r"""``W1Coupling(a, b, p)``: :math:`\inf_{\gamma \in \Gamma(a, b)} \int |x - y|^p \gamma(x, y)`, the
    transport problem over couplings with marginals a and b (seed 000 § Wasserstein Metric, p = 1)."""

    nargs = 3

    def _latex_body(self, printer):
        a, b, p = (_tex(printer, x) for x in self.args)
        cost = r"\|x - y\|" if self.args[2] == 1 else rf"\|x - y\|^{{{p}}}"
        return rf"\inf_{{\gamma \in \Gamma({a}, {b})}} \int {cost}\, \gamma(x, y)\, dx\, dy"


class QCValue(_Atom):
    r"""WGAN-QC (Liu et al. 2019; seed 002): ``QCValue(kind)`` on m data points x_i and m generated
    points y_j with cost c_ij = ||x_i - y_j||^2 / 2: ``lp-absolute`` the value of the linear program as
    printed (|H_i - H_j| <= c_ij), ``lp-one-sided`` with H_j - H_i <= c_ij, ``assignment`` the mean cost
    of sigma(j) = argmin_i c_ij + H_i* - H_j* from the one-sided LP's potentials (ties to the lowest i),
    ``matched-gap`` how far the pairs (sigma*(j), j) of an optimal matching are from attaining that argmin."""

    nargs = 1

    def _latex_body(self, printer):
        kind = str(self.args[0])
        if kind == "lp-absolute":
            return (r"\max_{H} \tfrac{1}{m}\sum_j H_j - \tfrac{1}{m}\sum_i H_i\ \text{s.t.}\ "
                    r"|H_i - H_j| \le \tfrac12 \|x_i - y_j\|^2")
        if kind == "lp-one-sided":
            return (r"\max_{H} \tfrac{1}{m}\sum_j H_j - \tfrac{1}{m}\sum_i H_i\ \text{s.t.}\ "
                    r"H_j - H_i \le \tfrac12 \|x_i - y_j\|^2")
        if kind == "assignment":
            return r"\tfrac{1}{m}\sum_j \tfrac12 \|x_{\sigma(j)} - y_j\|^2"
        if kind == "matched-gap":
            return (r"\max_j \bigl(c_{\sigma^*(j) j} + H^*_{\sigma^*(j)} - H^*_j - "
                    r"\min_i (c_{ij} + H^*_i - H^*_j)\bigr)")
        return rf"\mathrm{{QC}}(\mathrm{{{kind}}})"


class QuadraticOT(_Atom):
    r"""The optimal transport cost between the empirical measures of x_i and y_j with cost
    :math:`\tfrac12\|x - y\|^2` (solved by POT's network simplex and by an assignment solver)."""

    nargs = 0

    def _latex_body(self, printer):
        return r"\min_{\gamma \in \Gamma} \sum_{ij} \gamma_{ij} \tfrac12 \|x_i - y_j\|^2"


class BoxMax(_Atom):
    r"""``BoxMax(expr, vars, c)``: the maximum of ``expr`` over the box :math:`[-c, c]^N` of its variables
    (weight clipping)."""

    nargs = 3

    def _latex_body(self, printer):
        e, vs, c = self.args
        return rf"\max_{{|{_vars_tex(printer, vs)}| \le {_tex(printer, c)}}} {_tex(printer, e)}"


class LocalNashSymEig(_Atom):
    r"""The smallest eigenvalue of the symmetric part of :math:`\nabla v` at a local Nash equilibrium of a
    zero-sum game (seed 004, Corollary 7); a statement ``rel(LocalNashSymEig(), 0)`` claims the relation
    at every local Nash equilibrium."""

    nargs = 0

    def _latex_body(self, printer):
        return r"\lambda_{\min}\left(\tfrac12(\nabla v + \nabla v^\top)\right)\big|_{\text{local N.E.}}"


class LocalMinimizers(_Atom):
    r"""``LocalMinimizers(L, x)``: the real local minimizers of the polynomial L in x (exact derivative test)."""

    nargs = 2

    def _latex_body(self, printer):
        L, x = self.args
        return rf"\{{{_tex(printer, x)} : {_tex(printer, x)} \text{{ a local minimizer of }} {_tex(printer, L)}\}}"


class StepsToHalve(_Atom):
    r"""``StepsToHalve(algorithm, method)``: the steps a seed-000 algorithm takes to halve KL(p_g || p_r) on
    gantheory's demo problem (bimodal p_r, unimodal p_g0, 256 cells on [-4, 4])."""

    nargs = 2

    def _latex_body(self, printer):
        return (rf"k_{{1/2}}\left(\mathrm{{{self.args[0]}}}, \mathrm{{{self.args[1]}}}\right)")


class _BooleanAtom(sp.logic.boolalg.BooleanFunction):
    """A statement about a matrix that And / Equivalent / Implies can combine (decided by a verifier)."""

    nargs = 1

    @classmethod
    def eval(cls, *args):
        return None

    def _latex(self, printer, exp=None):
        return self._latex_body(printer)


class IsPSD(_BooleanAtom):
    r"""``IsPSD(M)``: the symmetric part of M is positive semidefinite (a statement, true or false)."""

    def _latex_body(self, printer):
        return rf"{_tex(printer, self.args[0])} \succeq 0"


class IsHurwitz(_BooleanAtom):
    r"""``IsHurwitz(M)``: every eigenvalue of M has a negative real part (a statement, true or false)."""

    def _latex_body(self, printer):
        return rf"\operatorname{{Re}} \lambda < 0\ \forall \lambda \in \sigma\left({_tex(printer, self.args[0])}\right)"


class HasStableStep(_BooleanAtom):
    r"""``HasStableStep(A)``: some step h > 0 puts every eigenvalue of I + hA strictly inside the unit circle."""

    def _latex_body(self, printer):
        return rf"\exists h > 0:\ \rho\left(I + h {_tex(printer, self.args[0])}\right) < 1"


class IsPD(_BooleanAtom):
    r"""``IsPD(M)``: the symmetric part of M is positive definite (a statement, true or false)."""

    def _latex_body(self, printer):
        return rf"{_tex(printer, self.args[0])} \succ 0"


class FullColumnRank(_BooleanAtom):
    r"""``FullColumnRank(M)``: the columns of M are linearly independent (a statement, true or false)."""

    def _latex_body(self, printer):
        M = self.args[0]
        return rf"\operatorname{{rank}} {_tex(printer, M)} = {sp.Matrix(M).cols}"


class IsSchur(_BooleanAtom):
    r"""``IsSchur(M)``: every eigenvalue of M lies strictly inside the unit circle, rho(M) < 1."""

    def _latex_body(self, printer):
        return rf"\rho\left({_tex(printer, self.args[0])}\right) < 1"


class _EigenvalueStatement(_BooleanAtom):
    """``EveryEigenvalue(A, Lambda((re, im), condition))`` / ``SomeEigenvalue(...)``: the condition on the
    real and imaginary parts of the eigenvalues of A, for all of them / for at least one."""

    nargs = 2
    _quantifier = ""

    def _latex_body(self, printer):
        A_, cond = self.args
        re_, im_ = cond.args[0]
        lam = sp.Symbol("lambda")
        body = cond.args[1].xreplace({re_: sp.re(lam), im_: sp.im(lam)})
        return rf"{self._quantifier} \lambda \in \sigma\left({_tex(printer, A_)}\right):\ {_tex(printer, body)}"


class EveryEigenvalue(_EigenvalueStatement):
    __doc__ = _EigenvalueStatement.__doc__
    _quantifier = r"\forall"


class SomeEigenvalue(_EigenvalueStatement):
    __doc__ = _EigenvalueStatement.__doc__
    _quantifier = r"\exists"


class LocalNashIf(_BooleanAtom):
    r"""``LocalNashIf(condition)``: in every zero-sum game (phi minimizes L, theta minimizes -L), a stationary
    point where ``condition`` holds is a local Nash equilibrium (seed 004, after Corollary 7). Conditions:
    ``hessians`` (Hess_phi L > 0 and Hess_theta L < 0), ``hessians_semidefinite`` (>= 0 and <= 0),
    ``phi_only`` (Hess_phi L > 0)."""

    _TEXT = {"hessians": r"\nabla^2_\phi L \succ 0,\ \nabla^2_\theta L \prec 0",
             "hessians_semidefinite": r"\nabla^2_\phi L \succeq 0,\ \nabla^2_\theta L \preceq 0",
             "phi_only": r"\nabla^2_\phi L \succ 0"}

    def _latex_body(self, printer):
        cond = self._TEXT.get(str(self.args[0]), str(self.args[0]))
        return (rf"\left(v(\phi^*, \theta^*) = 0,\ {cond}\right) \Rightarrow "
                r"(\phi^*, \theta^*) \text{ is a local N.E.}")


class FieldZeros(_Atom):
    r"""``FieldZeros(v, vars)``: the real points where the vector field v vanishes, as a set of tuples."""

    nargs = 2

    def _latex_body(self, printer):
        v, vs = self.args
        return rf"\left\{{({_vars_tex(printer, vs)}) : {_tex(printer, v)} = 0\right\}}"


class Minimizer(_Atom):
    r"""``Minimizer(M, x, lo, hi)``: the value of x in [lo, hi] minimizing the spectral radius of M(x)."""

    nargs = 4

    def _latex_body(self, printer):
        M, x, lo, hi = self.args
        return (rf"\operatorname{{arg\,min}}_{{{_tex(printer, x)} \in [{_tex(printer, lo)}, {_tex(printer, hi)}]}}"
                rf" \rho\left({_tex(printer, M)}\right)")


class ArgMaxCell(_Atom):
    r"""``ArgMaxCell(f)``: the point y_o where the discriminator f is largest."""

    nargs = 1

    def _latex_body(self, printer):
        return rf"\operatorname{{arg\,max}}_y {_tex(printer, self.args[0])}(y)"


class ArgMinCell(_Atom):
    r"""``ArgMinCell(f)``: the point where the discriminator f is smallest."""

    nargs = 1

    def _latex_body(self, printer):
        return rf"\operatorname{{arg\,min}}_y {_tex(printer, self.args[0])}(y)"


class PointMassRatio(_Atom):
    r"""``PointMassRatio(y*)``: the likelihood ratio of a point mass at y*, :math:`R(y) = \delta(y - y^*) / p_r(y^*)`
    (the generator collapsed onto one point)."""

    nargs = 1

    def _latex_body(self, printer):
        y = _tex(printer, self.args[0])
        return rf"\frac{{\delta\left(y - {y}\right)}}{{p_r\left({y}\right)}}"


# -- the divergences a lecturer writes (check's vocabulary) ------------------------------------------

_u = sp.Symbol("u", positive=True)


class NamedFDiv(_Atom):
    r"""An f-divergence :math:`D_f(P\|Q) = \sum_x q(x) f(p(x)/q(x))` with a fixed generator ``f`` (in
    ``u = p/q``); the last two arguments are ``P, Q`` (Q the reference of the ratio)."""

    nargs = 2
    tex = r"D_f"

    @classmethod
    def generator(cls, *params) -> sp.Expr:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    @property
    def densities(self):
        return self.args[-2], self.args[-1]

    @property
    def params(self):
        return self.args[:-2]

    def _latex_body(self, printer):
        return _pair_tex(printer, self.tex, *self.densities)


class TV(NamedFDiv):
    r"""Total variation :math:`\tfrac12 \sum |p - q|` (f(u) = |u - 1|/2), in [0, 1]."""

    tex = r"\operatorname{TV}"

    @classmethod
    def generator(cls):
        return sp.Abs(_u - 1) / 2


class Hellinger(NamedFDiv):
    r"""Squared Hellinger distance :math:`1 - \sum \sqrt{pq} = \tfrac12 \sum (\sqrt p - \sqrt q)^2`
    (f(u) = (sqrt(u) - 1)^2 / 2), in [0, 1]. (The f-GAN table's "squared Hellinger" is twice this.)"""

    tex = r"H^2"

    @classmethod
    def generator(cls):
        return (sp.sqrt(_u) - 1) ** 2 / 2


class Chi2(NamedFDiv):
    r"""Pearson :math:`\chi^2(P\|Q) = \sum (p - q)^2 / q` (f(u) = (u - 1)^2)."""

    tex = r"\chi^2"

    @classmethod
    def generator(cls):
        return (_u - 1) ** 2


class NeymanChi2(NamedFDiv):
    r"""Neyman :math:`\chi^2_N(P\|Q) = \sum (p - q)^2 / p` (f(u) = (1 - u)^2 / u)."""

    tex = r"\chi^2_N"

    @classmethod
    def generator(cls):
        return (1 - _u) ** 2 / _u


class GANDiv(NamedFDiv):
    r"""The f-GAN table's GAN divergence :math:`2\,\mathrm{JSD}(P\|Q) - \log 4`
    (f(u) = u log u - (u + 1) log(u + 1))."""

    tex = r"D_{\mathrm{GAN}}"

    @classmethod
    def generator(cls):
        return _u * sp.log(_u) - (_u + 1) * sp.log(_u + 1)


class AlphaDiv(NamedFDiv):
    r"""The f-GAN table's alpha-divergence: arguments ``(alpha, P, Q)``,
    f(u) = (u^alpha - 1 - alpha (u - 1)) / (alpha (alpha - 1)), alpha not 0 or 1."""

    nargs = 3
    tex = r"D_\alpha"

    @classmethod
    def eval(cls, alpha, p, q):
        if alpha.is_Number and alpha in (0, 1):
            raise ValueError("the alpha-divergence needs alpha other than 0 and 1 (their limits are KL)")

    @classmethod
    def generator(cls, alpha):
        return (_u**alpha - 1 - alpha * (_u - 1)) / (alpha * (alpha - 1))

    def _latex_body(self, printer):
        return _pair_tex(printer, f"D_{{{_tex(printer, self.args[0])}}}", *self.densities)


class Entropy(_Atom):
    r"""Shannon entropy :math:`H(p) = -\sum p \log p` of a distribution on the cells, in nats."""

    nargs = 1

    def _latex_body(self, printer):
        return rf"H\left({_tex(printer, self.args[0])}\right)"


class CrossEntropy(_Atom):
    r"""Cross-entropy :math:`H(p, q) = -\sum p \log q = H(p) + \mathrm{KL}(p\|q)`, in nats."""

    nargs = 2

    def _latex_body(self, printer):
        return rf"H\left({_tex(printer, self.args[0])}, {_tex(printer, self.args[1])}\right)"


#: generators in u = p/q of the f-divergences that are not NamedFDiv atoms
def fdiv_generator(atom) -> sp.Expr | None:
    """The generator f(u) of an f-divergence atom D(P || Q) (P first), or None for other atoms."""
    if isinstance(atom, NamedFDiv):
        return type(atom).generator(*atom.params)
    if isinstance(atom, KL):
        return _u * sp.log(_u)
    if isinstance(atom, JSD):
        return (_u * sp.log(_u) - (_u + 1) * sp.log((_u + 1) / 2)) / 2
    if isinstance(atom, FDiv) and isinstance(atom.args[0], sp.Lambda) and len(atom.args[0].variables) == 1:
        return atom.args[0](_u)
    return None


def fdiv_pair(atom):
    """(P, Q) of an f-divergence atom D(P || Q)."""
    if isinstance(atom, NamedFDiv):
        return atom.densities
    if isinstance(atom, FDiv):
        return atom.args[1], atom.args[2]
    return atom.args[0], atom.args[1]


FUNCTIONALS = FUNCTIONALS + (TV, Hellinger, Chi2, NeymanChi2, GANDiv, AlphaDiv)
#: functionals of two distributions that are not expectations of a function of the ratio
NONRATIO = (W1, Entropy, CrossEntropy)
U = _u


def _partner_name(other) -> str:
    """The reference density of the pair that ``other`` belongs to, as text."""
    return next(str(r) for r, o in DENSITY_PAIRS.items() if o == other)
