"""Seeded synthetic evidence tables, for tests and benchmarks.

Synthetic *cases* with a known truth are :func:`multilat.checks.synthetic.synthetic_case`.
"""

from __future__ import annotations

import numpy as np

from .infer.weighing import EvidenceTable
from .theory.model import Theory

__all__ = ["synthetic_table"]


def synthetic_table(theory: Theory, n_items: int, years: tuple[int, int] = (2000, 2019),
                    seed: int | np.random.Generator | None = 0) -> EvidenceTable:
    """``n_items`` random evidence rows over the theory's targets, as columns.

    Spans are 1-5 years; weights are log-likelihood ratios drawn from N(0.4, 0.3).
    """
    rng = np.random.default_rng(seed)
    targets = theory.targets
    target = rng.integers(0, len(targets), n_items)
    n_levels = np.array([len(levels) for _, levels, _ in targets])
    n_sides = np.array([len(sides) for _, _, sides in targets])
    level = (rng.random(n_items) * n_levels[target]).astype(np.int64)
    side = np.where(n_sides[target] > 0,
                    (rng.random(n_items) * np.maximum(n_sides[target], 1)).astype(np.int64), -1)
    start = rng.integers(years[0], years[1] + 1, n_items)
    end = np.minimum(start + rng.integers(0, 5, n_items), years[1])
    weight = rng.normal(0.4, 0.3, n_items)
    ids = tuple(f"s{i}" for i in range(n_items))
    return EvidenceTable(ids, target, level, side, start, end, weight)

