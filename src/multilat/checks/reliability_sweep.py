"""Sweep how much the reliability of sources matters."""

from __future__ import annotations

import numpy as np

from ..analysis import Analysis
from ._core import CheckResult, reweigh, scenario_result, with_weights

__all__ = ["EXPONENTS", "reliability_sweep"]

#: Each item's reliability r becomes r ** exponent (0: ignore reliability; 2, 4: harsher).
EXPONENTS = (0.0, 2.0, 4.0)

ASSUMPTIONS = (
    "An item's weight is reliability x ln(LR); the sweep replaces reliability r by r**k.",
    "k = 0 trusts every source fully; k = 2 and 4 discount less reliable sources more.",
)


def reliability_sweep(analysis: Analysis, *, rng: np.random.Generator) -> CheckResult:
    """Do the conclusions survive trusting sources more or less?"""
    evidence = {e.id: e for e in analysis.case.evidence}
    reliability = np.array([evidence[i].reliability for i in analysis.table.ids])
    scenarios = {}
    for exponent in EXPONENTS:
        weight = analysis.table.weight * reliability ** (exponent - 1.0)
        scenarios[f"reliability**{exponent:g}"] = reweigh(
            analysis, with_weights(analysis.table, weight))
    return scenario_result(
        "reliability_sweep", "Do the conclusions survive trusting sources more or less?",
        ASSUMPTIONS, analysis, scenarios, {"exponents": list(EXPONENTS)})
