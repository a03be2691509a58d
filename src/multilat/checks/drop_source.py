"""Drop every item cited to one source."""

from __future__ import annotations

import numpy as np

from ..analysis import Analysis
from ._core import CheckResult, drop_each_group

__all__ = ["drop_source"]

ASSUMPTIONS = (
    "A source is a bibliography key; each scenario removes every item citing it.",
    "A conclusion left with no evidence becomes a tie and counts as changed.",
)


def drop_source(analysis: Analysis, *, rng: np.random.Generator) -> CheckResult:
    """Does any conclusion rest on one cited source alone?"""
    return drop_each_group(analysis, lambda e: e.citation.key, "without {}", "drop_source",
                           "Does any conclusion rest on one cited source alone?", ASSUMPTIONS)
