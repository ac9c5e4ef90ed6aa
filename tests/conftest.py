"""Shared fixtures: the array namespaces under test, and the verdicts of one full run.

``GANTHEORY_XP`` picks the backends (comma-separated: numpy, array_api_strict, cupy; default the
first two, plus cupy when a GPU is usable).
"""

from __future__ import annotations

import os

import pytest

import gantheory
from gantheory.testing import load_profile

load_profile()


def _cupy_usable() -> bool:
    try:
        import cupy

        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:
        return False


def _backends():
    wanted = os.environ.get("GANTHEORY_XP", "numpy,array_api_strict,cupy").split(",")
    out = []
    for name in wanted:
        name = name.strip()
        if name == "numpy":
            import array_api_compat.numpy as xnp

            out.append(pytest.param(xnp, id="numpy"))
        elif name == "array_api_strict":
            import array_api_strict

            out.append(pytest.param(array_api_strict, id="array_api_strict"))
        elif name == "cupy":
            marks = [pytest.mark.gpu, pytest.mark.skipif(not _cupy_usable(), reason="CuPy with a GPU not available")]
            out.append(pytest.param("cupy", id="cupy", marks=marks))
    return out


@pytest.fixture(params=_backends())
def xp(request):
    if request.param == "cupy":
        import array_api_compat.cupy as xcp

        return xcp
    return request.param


@pytest.fixture(scope="session")
def verdicts():
    return {v.id: v for v in gantheory.prove()}
