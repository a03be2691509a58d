"""Drop a whole kind of evidence (statistics, actions, statements, assessments)."""

from __future__ import annotations

import numpy as np

from ..analysis import Analysis
from ._core import CheckResult, drop_each_group

__all__ = ["drop_kind"]

ASSUMPTIONS = (
    "Each scenario removes every item of one kind; the rest keep their weights.",
    "A conclusion left with no evidence becomes a tie and counts as changed.",
)


def drop_kind(analysis: Analysis, *, rng: np.random.Generator) -> CheckResult:
    """Does any conclusion rest on one kind of evidence alone?"""
    return drop_each_group(analysis, lambda e: e.kind, "without {}s", "drop_kind",
                           "Does any conclusion rest on one kind of evidence alone?", ASSUMPTIONS)
