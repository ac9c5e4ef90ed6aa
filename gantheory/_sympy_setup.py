"""SymPy's cache, sized for gantheory's work before SymPy is first imported.

SymPy memoizes its core operations in LRU caches of ``SYMPY_CACHE_SIZE`` entries each (1000 unless set), read once,
when SymPy is imported. Proving the registry or checking a statement revisits far more expressions than that: with
:data:`CACHE_SIZE` entries the registry's proof takes about a tenth less CPU time (measured on the two-core machine
of the README's benchmarks: 70-73 CPU-s against 77-84; about 40 MB more memory). Where SymPy is already imported (a
session that imported it before gantheory) or ``SYMPY_CACHE_SIZE`` is set, nothing changes. The variable is set
only while SymPy is imported, so processes the user starts later do not inherit it.
"""

from __future__ import annotations

import os
import sys

#: Entries in each of SymPy's caches when gantheory imports SymPy first.
CACHE_SIZE = 10000

if "sympy" not in sys.modules and "SYMPY_CACHE_SIZE" not in os.environ:
    os.environ["SYMPY_CACHE_SIZE"] = str(CACHE_SIZE)
    try:
        import sympy  # noqa: F401
    finally:
        del os.environ["SYMPY_CACHE_SIZE"]
