"""The verifiers: functions that take a statement (a SymPy relational or boolean atom built from the
objects of :mod:`gantheory.symbolic`) and return :class:`~gantheory._claim.Evidence` -- proved, checked,
refuted, or undecided (``holds is None``), with the derivation or the counterexample.

Each verifier derives its verdict from the statement it is given: change the statement and the verdict
follows (the registry keeps perturbed twins to show it). The registry (:mod:`gantheory.topics`) and
``gantheory check`` (:func:`gantheory.check_statement`) call the same functions; they are public so that
a statement can also be sent to one verifier directly::

    >>> import sympy as sp
    >>> from gantheory import verify
    >>> from gantheory.symbolic._atoms import StableSet, JacobianOf
    >>> eta, th = sp.symbols("eta theta", positive=True)
    >>> step = sp.Matrix([th - eta * 3 * th])            # gradient descent on 3 theta^2 / 2
    >>> verify.stable_set(sp.Eq(StableSet(JacobianOf(step, sp.Tuple(th)), eta, sp.Interval.open(0, sp.oo)),
    ...                         sp.Interval.open(0, sp.Rational(2, 3)), evaluate=False)).status
    'proved'

Modules, by the kind of mathematics:

- :mod:`~gantheory.verify.general`: identities between functionals of densities (KL, JSD, E, g, d, V, C),
  argmax over an interval, constrained minima over Omega, convexity, limits, projections, best responses;
- :mod:`~gantheory.verify.calculus`: Jacobians, Hessians, exact stable sets, conservative fields, Nash
  points and game values, spectra, matrix properties as boolean statements;
- :mod:`~gantheory.verify.games`: game dynamics (spectra and radii of update operators, simulation);
- :mod:`~gantheory.verify.fgan`: convex conjugates and the f-GAN table;
- :mod:`~gantheory.verify.dualing`: the Dualing-GAN dual, its bounds and linearizations;
- :mod:`~gantheory.verify.wasserstein`: Kantorovich-Rubinstein duality, couplings, WGAN-QC's programs.
"""

from __future__ import annotations

from gantheory._claim import Evidence
from gantheory.verify.calculus import (
    box_max,
    calculus_identity,
    conservative,
    f_generator,
    field_zeros,
    game_value,
    halving_steps,
    idealized_pne,
    local_nash_eigen,
    local_nash_sufficient,
    matrix_logic,
    nash_point,
    norm_radius,
    optimal_parameter,
    pure_nash,
    set_identity,
    spectrum_identity,
    stable_set,
)
from gantheory.verify.dualing import (
    algebraic_identity,
    better_model,
    dualing_bounds,
    dualing_duality,
    max_value,
    not_strictly_convex,
    trust_region_step,
)
from gantheory.verify.fgan import activation_image, biconjugate, conjugate, derivative_at_one, fenchel_young
from gantheory.verify.games import (
    conserved,
    iteration_rate,
    matrix_equal,
    power_bound,
    radius_bound,
    simulation_outcome,
    spectrum,
    step_bound,
)
from gantheory.verify.general import (
    algorithm_one,
    argmax,
    discrete_expectation,
    expectation_identity,
    glgd_rate,
    glgd_step_membership,
    gradient_identity,
    image_over,
    limit_value,
    matrix_scalar,
    minimizers,
    omega_minimum,
    parametric_gradient,
    point_mass_best_response,
    point_mass_not_best_response,
    posterior,
    pushforward,
    strict_convexity,
    vector_identity,
)
from gantheory.verify.wasserstein import (
    coupling_definition,
    kr_duality,
    manifold,
    manifold_calculus,
    qc_transport,
    wasserstein_gradient,
)

#: every verifier by name
VERIFIERS = {f.__name__: f for f in (
    box_max, calculus_identity, conservative, f_generator, field_zeros, game_value, halving_steps, idealized_pne,
    local_nash_eigen, local_nash_sufficient, matrix_logic, nash_point, norm_radius, optimal_parameter, pure_nash,
    set_identity,
    spectrum_identity, stable_set, algebraic_identity, better_model, dualing_bounds, dualing_duality, max_value,
    not_strictly_convex, trust_region_step, activation_image, biconjugate, conjugate, derivative_at_one,
    fenchel_young, conserved, iteration_rate, matrix_equal, power_bound, radius_bound, simulation_outcome, spectrum,
    step_bound,
    algorithm_one, argmax, discrete_expectation, expectation_identity, glgd_rate, glgd_step_membership,
    gradient_identity, image_over,
    limit_value,
    matrix_scalar, minimizers,
    omega_minimum, parametric_gradient, point_mass_best_response, point_mass_not_best_response, posterior,
    pushforward, strict_convexity, vector_identity,
    coupling_definition, kr_duality, manifold, manifold_calculus, qc_transport, wasserstein_gradient,
)}

__all__ = ["Evidence", "VERIFIERS", *sorted(VERIFIERS)]
