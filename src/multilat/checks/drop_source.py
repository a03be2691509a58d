"""Drop every item cited to one source."""

from __future__ import annotations

import numpy as np

from ..analysis import Analysis
from ._core import CheckResult, reweigh, scenario_result

__all__ = ["drop_source"]

ASSUMPTIONS = (
    "A source is a bibliography key; each scenario removes every item citing it.",
    "A conclusion left with no evidence becomes a tie and counts as changed.",
)


def drop_source(analysis: Analysis, *, rng: np.random.Generator) -> CheckResult:
    """Does any conclusion rest on one source alone?"""
    keys = {e.id: e.citation.key for e in analysis.case.evidence}
    column = np.array([keys[i] for i in analysis.table.ids], dtype=object)
    scenarios = {f"without {key}": reweigh(analysis, analysis.table.subset(column != key))
                 for key in sorted(set(column.tolist()))}
    return scenario_result(
        "drop_source", "Does any conclusion rest on one cited source alone?",
        ASSUMPTIONS, analysis, scenarios)
