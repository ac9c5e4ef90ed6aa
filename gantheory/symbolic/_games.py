"""Two-player games as SymPy vector fields, and the Jacobians of their update operators.

One definition per game, loss and regularizer; the simulator lambdifies the same expressions, so
symbolic predictions and simulations cannot disagree by transcription.

Convention (seed 002): the state is (theta, psi) (generator, discriminator); the update is
``x <- x + h v(x)`` with ``v = (-grad_theta L_G, grad_psi L_D)``.

- Dirac-GAN (Mescheder et al. 2018, Sec. 2): p_theta = delta_theta, D(x) = psi x, data delta_0,
  ``L(theta, psi) = f(psi theta) + f(0)``; losses ``gan`` f(t) = -log(1 + e^-t), ``nsgan`` (the
  generator minimizes -f(-psi theta)), ``wgan`` f(t) = t, ``general`` an undefined f, reported
  through f'(0) and f''(0).
- bilinear (seed 004, eq. 7): min over theta, max over psi of theta psi.

Regularizers: instance noise (Gaussian, std sigma; Mescheder 2018 Lemma 3.2), R1 and R2 gradient
penalties (gamma/2) ||grad_x D||^2 on data / generator samples (Mescheder 2018, Sec. 4.1),
consensus optimization v - gamma grad(||v||^2 / 2) (Mescheder et al. 2017, Sec. 4), WGAN-GP
(gamma/2)(||grad_x D|| - 1)^2 (Gulrajani et al. 2017).
"""

from __future__ import annotations

from functools import cache

import sympy as sp

__all__ = [
    "theta", "psi", "h", "gamma", "sigma", "beta", "eps", "fp0", "fpp0",
    "GAMES", "LOSSES", "REGULARIZERS", "OPTIMIZERS", "field", "field_jacobian",
    "update_jacobian", "gaussian_expectation", "NotLinearizable",
]

theta, psi = sp.symbols("theta psi", real=True)
h, gamma, sigma = sp.symbols("h gamma sigma", positive=True)
beta = sp.Symbol("beta", real=True)
eps = sp.Symbol("epsilon", real=True)  # instance noise sample
t = sp.Symbol("t", real=True)
fp0, fpp0 = sp.Symbol("f'(0)", positive=True), sp.Symbol("f''(0)", real=True)  # f'(0) > 0 as for gan, wgan
_F = sp.Function("f")

GAMES = ("dirac", "bilinear")
LOSSES = ("gan", "nsgan", "wgan", "general")
REGULARIZERS = ("none", "instance-noise", "r1", "r2", "consensus", "wgan-gp")
OPTIMIZERS = ("simgd", "altgd", "extragradient", "optimistic")


class NotLinearizable(ValueError):
    """The vector field is not differentiable at the equilibrium (e.g. WGAN-GP on the Dirac-GAN)."""


def _loss(name: str):
    if name in ("gan", "nsgan"):
        return sp.Lambda(t, -sp.log(1 + sp.exp(-t)))
    if name == "wgan":
        return sp.Lambda(t, t)
    if name == "general":
        return sp.Lambda(t, _F(t))
    raise ValueError(f"loss must be one of {LOSSES}, got {name!r}")


@cache
def field(game: str = "dirac", loss: str = "gan", reg: str = "none") -> sp.Matrix:
    """The vector field v(theta, psi) (a 2x1 SymPy matrix); with instance noise it depends on eps.

    Regularizer strengths are the symbols ``gamma`` and ``sigma``.
    """
    if game not in GAMES:
        raise ValueError(f"game must be one of {GAMES}, got {game!r}")
    if reg not in REGULARIZERS:
        raise ValueError(f"reg must be one of {REGULARIZERS}, got {reg!r}")
    if game == "bilinear":
        if reg not in ("none", "consensus"):
            raise ValueError(f"reg={reg!r} is defined for the Dirac-GAN only; the bilinear game takes "
                             "'none' or 'consensus'")
        L = theta * psi
        v = sp.Matrix([-sp.diff(L, theta), sp.diff(L, psi)])
    else:
        f = _loss(loss)
        if reg == "instance-noise":  # data N(0, sigma^2), generator N(theta, sigma^2): one noise draw
            L_D = f(psi * (theta + eps)) + f(-psi * eps)
            L_G = -f(-psi * (theta + eps)) if loss == "nsgan" else L_D
        else:
            L_D = f(psi * theta) + f(0)
            L_G = -f(-psi * theta) if loss == "nsgan" else L_D
        v = sp.Matrix([-sp.diff(L_G, theta), sp.diff(L_D, psi)])
        if reg in ("r1", "r2"):  # grad_x D = psi on data (r1) and on generator samples (r2) alike
            v[1] = v[1] - gamma * psi
        elif reg == "wgan-gp":  # (gamma/2)(|psi| - 1)^2: not differentiable at psi = 0
            v[1] = v[1] - gamma * (sp.Abs(psi) - 1) * sp.sign(psi)
    if reg == "consensus":  # v - gamma grad(||v||^2 / 2) = v - gamma J^T v
        J = v.jacobian([theta, psi])
        v = v - gamma * J.T * v
    return v


def gaussian_expectation(expr: sp.Expr) -> sp.Expr:
    """E over eps ~ N(0, sigma^2) of a polynomial in eps (odd moments 0, E eps^2k = sigma^2k (2k-1)!!)."""
    expr = sp.expand(expr)
    if not expr.has(eps):
        return expr
    poly = sp.Poly(expr, eps)
    out = 0
    for (k,), coeff in poly.terms():
        if k % 2 == 0:
            out += coeff * sigma**k * sp.factorial2(k - 1)
    return out


def _derivatives_at_zero(expr: sp.Expr) -> sp.Expr:
    """Name f'(0) and f''(0) of the undefined loss f."""
    def repl(e):
        if isinstance(e, sp.Subs) and e.point == (0,) and isinstance(e.expr, sp.Derivative):
            order = e.expr.derivative_count
            return {1: fp0, 2: fpp0}.get(order, e)
        return e

    expr = expr.replace(lambda e: isinstance(e, sp.Subs), repl)
    return expr.replace(lambda e: isinstance(e, sp.Derivative) and e.expr.func == _F, lambda e: e)


@cache
def field_jacobian(game: str = "dirac", loss: str = "gan", reg: str = "none") -> sp.Matrix:
    """Jacobian of the field at the equilibrium (0, 0), in closed form.

    Raises :class:`NotLinearizable` where the field has no derivative there (WGAN-GP).
    """
    v = field(game, loss, reg)
    if v.has(sp.Abs) or v.has(sp.sign):
        raise NotLinearizable(f"the {game} field with reg={reg!r} is not differentiable at the equilibrium "
                              "(|psi| in the penalty): no linearization, no eigenvalues")
    J = v.jacobian([theta, psi]).subs({theta: 0, psi: 0})
    J = J.applyfunc(lambda e: _derivatives_at_zero(gaussian_expectation(sp.expand(e.doit()))))
    return J.applyfunc(sp.simplify)


def update_jacobian(J: sp.Matrix, optimizer: str, step=h, n_g: int = 1, n_d: int = 1, momentum=0,
                    n_gen: int | None = None) -> sp.Matrix:
    """Jacobian at the equilibrium of one step of ``optimizer`` on a field with Jacobian ``J`` there.

    ``step`` is a number or symbol, or (without momentum) a diagonal matrix of per-row steps: two time
    scales, the generator's rows with one step and the discriminator's with another. The first
    ``n_gen`` coordinates (default half) are the generator's.

    - ``simgd``: I + hJ; with heavy-ball momentum beta the augmented operator of seed 004 eq. (12),
      [[(1+beta) I + hJ, -beta I], [I, 0]] on (x_t, x_{t-1}).
    - ``altgd``: n_g generator steps, then n_d discriminator steps (each with the other player
      fixed); with momentum (n_g = n_d = 1) the alternating heavy ball of Gidel et al. (2019).
    - ``extragradient``: x + h v(x + h v(x)), linearized: I + hJ + h^2 J^2 (Korpelevich 1976).
    - ``optimistic``: x_{t+1} = x_t + 2h v(x_t) - h v(x_{t-1}) (Daskalakis et al. 2018), augmented.
    """
    k = J.rows
    n_gen = k // 2 if n_gen is None else n_gen  # the generator's coordinates come first
    I2 = sp.eye(k)
    Z = sp.zeros(k)
    if optimizer == "simgd":
        if momentum == 0:
            return I2 + step * J
        return sp.BlockMatrix([[(1 + momentum) * I2 + step * J, -momentum * I2], [I2, Z]]).as_explicit()
    if optimizer == "altgd":
        Jg = sp.Matrix.vstack(J[:n_gen, :], sp.zeros(k - n_gen, k))
        Jd = sp.Matrix.vstack(sp.zeros(n_gen, k), J[n_gen:, :])
        if momentum == 0:
            return (I2 + step * Jd) ** n_d * (I2 + step * Jg) ** n_g
        if (n_g, n_d) != (1, 1) or k != 2:
            raise ValueError("momentum with alternating updates is defined for n_g = n_d = 1 and one "
                             "parameter per player")
        # state (theta, psi, theta_prev, psi_prev): theta first, then psi with the new theta
        b = momentum
        row_t = sp.Matrix([[1 + b + step * J[0, 0], step * J[0, 1], -b, 0]])
        row_p = sp.Matrix([[step * J[1, 0], 1 + b + step * J[1, 1], 0, -b]]) + step * J[1, 0] * (
            row_t - sp.Matrix([[1, 0, 0, 0]]))
        return sp.Matrix.vstack(row_t, row_p, sp.Matrix([[1, 0, 0, 0]]), sp.Matrix([[0, 1, 0, 0]]))
    if momentum != 0:
        raise ValueError(f"momentum is defined for simgd and altgd, not {optimizer}")
    if optimizer == "extragradient":  # x + H v(x + H v(x)): I + HJ + HJHJ (h^2 J^2 for a scalar step)
        return I2 + step * J + step * J * step * J
    if optimizer == "optimistic":
        return sp.BlockMatrix([[I2 + 2 * step * J, -step * J], [I2, Z]]).as_explicit()
    raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {optimizer!r}")
