"""Relations for claim statements, built unevaluated.

A claim's statement is data for its verifier. SymPy's ``Eq(a, b)`` (and ``<``, ``<=`` ...) would try
to decide the relation as it is built -- structurally, which is not the verifier's derivation, and it
cost about two seconds of every import of the registry. These build the same objects without that
attempt.
"""

from __future__ import annotations

import sympy as sp


def _unevaluated(cls):
    def build(lhs, rhs, *, evaluate=False):
        return cls(lhs, rhs, evaluate=evaluate)

    build.__name__ = build.__qualname__ = cls.__name__
    build.__doc__ = f"``{cls.__name__}(lhs, rhs)``, not decided as it is built."
    return build


Eq = _unevaluated(sp.Eq)
Ne = _unevaluated(sp.Ne)
StrictLessThan = _unevaluated(sp.StrictLessThan)
StrictGreaterThan = _unevaluated(sp.StrictGreaterThan)
LessThan = _unevaluated(sp.LessThan)
GreaterThan = _unevaluated(sp.GreaterThan)
