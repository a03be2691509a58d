"""Replace the Van Evera labels by one uniform strength."""

from __future__ import annotations

import numpy as np

from ..analysis import Analysis
from ._core import CheckResult, reweigh, scenario_result

__all__ = ["UNIFORM_RATIOS", "uniform_strength"]

#: Likelihood ratios a found item gets in each scenario (a failed test gets the inverse).
UNIFORM_RATIOS = (1.5, 3.0)

ASSUMPTIONS = (
    "Every labelled item gets the same likelihood ratio r if found (1/r if looked for and "
    "not found), times its reliability; items with an explicit likelihood ratio or "
    "likelihoods, and groups, keep their weights.",
    "So the conclusion rests on counting items (weighted by reliability), not on which test "
    "each was judged to be.",
)


def uniform_strength(analysis: Analysis, *, rng: np.random.Generator) -> CheckResult:
    """Does the coding of test strengths decide any conclusion?"""
    evidence = {e.id: e for e in analysis.case.evidence}
    rows = [evidence[m[0]] for m in analysis.table.members]
    labelled = np.array([e.strength is not None and len(m) == 1
                         for e, m in zip(rows, analysis.table.members, strict=True)], bool)
    sign = np.array([1.0 if e.found else -1.0 for e in rows])
    reliability = np.array([e.reliability for e in rows])
    scenarios = {}
    for ratio in UNIFORM_RATIOS:
        weight = np.where(labelled, sign * reliability * np.log(ratio), analysis.table.weight)
        scenarios[f"every label = LR {ratio:g}"] = reweigh(
            analysis, analysis.table.with_weight(labelled, weight))
    return scenario_result(
        "uniform_strength", "Do the conclusions survive one uniform strength for every item?",
        ASSUMPTIONS, analysis, scenarios, {"ratios": list(UNIFORM_RATIOS)})
