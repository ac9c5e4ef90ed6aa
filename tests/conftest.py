"""Shared fixtures: the verdicts of one full run (computed once per session)."""

from __future__ import annotations

import pytest

import gantheory


@pytest.fixture(scope="session")
def verdicts():
    return {v.id: v for v in gantheory.prove()}
