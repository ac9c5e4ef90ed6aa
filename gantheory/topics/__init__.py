"""The claim registry: one table, built from one module per topic.

Adding a claim takes one :class:`~gantheory.Claim` in the ``CLAIMS`` list of its topic module.
The prover, the tests, ``proofs/`` and the notes all iterate over :data:`REGISTRY`.
"""

from __future__ import annotations

import dataclasses
import fnmatch

from gantheory._claim import Claim
from gantheory.topics import (
    discriminator,
    divergences,
    dualing,
    dynamics,
    fgan,
    games,
    numerics,
    reparameterization,
    wasserstein,
)

#: topic name -> module, in the order the notes present them.
TOPICS = {
    "discriminator": discriminator,
    "reparameterization": reparameterization,
    "divergences": divergences,
    "wasserstein": wasserstein,
    "fgan": fgan,
    "dualing": dualing,
    "dynamics": dynamics,
    "numerics": numerics,
    "games": games,
}


def _build() -> dict[str, Claim]:
    table: dict[str, Claim] = {}
    for topic, module in TOPICS.items():
        for claim in module.CLAIMS:
            if claim.id in table:
                raise ValueError(f"duplicate claim id {claim.id!r} in topic {topic!r}")
            table[claim.id] = dataclasses.replace(claim, topic=topic)
    for cid, claim in table.items():
        if claim.correction is not None:
            if claim.correction not in table:
                raise ValueError(f"erratum {claim.id!r} names unknown correction {claim.correction!r}")
            table[cid] = dataclasses.replace(claim, corrected_latex=table[claim.correction].latex)
    return table


REGISTRY: dict[str, Claim] = _build()


def select(pattern: str | None = None, registry: dict[str, Claim] | None = None) -> list[Claim]:
    """Claims whose id matches ``pattern``: a shell glob if it has ``*?[``, else a substring."""
    table = REGISTRY if registry is None else registry
    if not pattern:
        return list(table.values())
    pat = pattern.lower()
    if any(ch in pat for ch in "*?["):
        return [c for c in table.values() if fnmatch.fnmatchcase(c.id.lower(), pat)]
    return [c for c in table.values() if pat in c.id.lower()]
