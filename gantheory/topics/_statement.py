"""Relations for claim statements, built unevaluated.

A claim's statement is data for its verifier. SymPy's ``Eq(a, b)`` (and ``<``, ``<=`` ...) would try
to decide the relation as it is built -- structurally, which is not the verifier's derivation, and it
cost about two seconds of every import of the registry. These build the same objects without that
attempt.
"""

from __future__ import annotations

import sympy as sp


def Eq(lhs, rhs, *, evaluate=False):
    return sp.Eq(lhs, rhs, evaluate=evaluate)


def Ne(lhs, rhs, *, evaluate=False):
    return sp.Ne(lhs, rhs, evaluate=evaluate)


def StrictLessThan(lhs, rhs, *, evaluate=False):
    return sp.StrictLessThan(lhs, rhs, evaluate=evaluate)


def StrictGreaterThan(lhs, rhs, *, evaluate=False):
    return sp.StrictGreaterThan(lhs, rhs, evaluate=evaluate)


def LessThan(lhs, rhs, *, evaluate=False):
    return sp.LessThan(lhs, rhs, evaluate=evaluate)


def GreaterThan(lhs, rhs, *, evaluate=False):
    return sp.GreaterThan(lhs, rhs, evaluate=evaluate)
