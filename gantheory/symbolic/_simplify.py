"""``sp.simplify`` once per expression in a process.

A claim and its twins share sides, integrands and derivatives, and a worker of ``prove`` verifies many
claims in a row: the same expression was simplified again and again. ``simplify`` is a pure function of
its arguments (no verifier changes SymPy's global evaluation switch), so its result is kept; a mutable
argument (a Matrix) is not hashable and is simplified as before.
"""

from __future__ import annotations

import functools

import sympy as sp

__all__ = ["simplified"]


@functools.lru_cache(maxsize=4096)
def _cached(expr, options: tuple):
    return sp.simplify(expr, **dict(options))


def simplified(expr, **options):
    """``sp.simplify(expr, **options)``, remembered for hashable arguments."""
    try:
        return _cached(expr, tuple(sorted(options.items())))
    except TypeError:  # unhashable: a mutable Matrix, a list
        return sp.simplify(expr, **options)
