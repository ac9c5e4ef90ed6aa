"""The numeric engine, written once against the Array API standard (NumPy, CuPy, array_api_strict).

>>> from gantheory.engine import Grid, gaussian_mixture, kl
>>> g = Grid.uniform(-4.0, 4.0, 512)
>>> p = gaussian_mixture(g, [-2.0, 2.0], 0.5)
>>> kl(p, p, g)
0.0
"""

from gantheory.engine._algorithms import (
    GLGDState,
    Trajectory,
    alternating_minimization,
    glgd,
    glgd_init,
    glgd_update,
    wasserstein_descent,
)
from gantheory.engine._divergence import jsd, kl
from gantheory.engine._grid import Grid, check_density, demo_problem, gaussian_mixture, point_mass, uniform_box
from gantheory.engine._wasserstein import W1Result, lipschitz_constant, wasserstein1, wasserstein1_bounds

__all__ = [
    "Grid", "check_density", "demo_problem", "gaussian_mixture", "uniform_box", "point_mass", "kl", "jsd",
    "wasserstein1",
    "wasserstein1_bounds",
    "W1Result", "lipschitz_constant", "Trajectory", "alternating_minimization", "glgd", "glgd_init",
    "glgd_update", "GLGDState", "wasserstein_descent",
]
