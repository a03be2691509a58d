"""Drop a whole kind of evidence (statistics, actions, statements, assessments)."""

from __future__ import annotations

import numpy as np

from ..analysis import Analysis
from ._core import CheckResult, reweigh, scenario_result

__all__ = ["drop_kind"]

ASSUMPTIONS = (
    "Each scenario removes every item of one kind; the rest keep their weights.",
    "A conclusion left with no evidence becomes a tie and counts as changed.",
)


def drop_kind(analysis: Analysis, *, rng: np.random.Generator) -> CheckResult:
    """Does any conclusion rest on one kind of evidence alone?"""
    kinds = {e.id: e.kind for e in analysis.case.evidence}
    column = np.array([kinds[i] for i in analysis.table.ids], dtype=object)
    scenarios = {f"without {kind}s": reweigh(analysis, analysis.table.subset(column != kind))
                 for kind in sorted(set(column.tolist()))}
    return scenario_result(
        "drop_kind", "Does any conclusion rest on one kind of evidence alone?",
        ASSUMPTIONS, analysis, scenarios)
