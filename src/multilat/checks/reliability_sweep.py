"""Sweep how much the reliability of sources matters."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import numpy as np

from ..analysis import Analysis
from ..case.model import Evidence
from ..infer.weighing import tabulate_evidence
from ._core import CheckResult, reweigh, streamed_result

__all__ = ["EXPONENTS", "reliability_sweep"]

#: Each item's reliability r becomes r ** exponent (0: ignore reliability; 2, 4: harsher).
EXPONENTS = (0.0, 2.0, 4.0)

ASSUMPTIONS = (
    "Each scenario replaces every item's reliability r by r**k and weighs again under the "
    "analysis's reliability model (tempering: reliability x ln(LR)).",
    "k = 0 trusts every source fully; k = 2 and 4 discount less reliable sources more.",
)


def _power(item: Evidence, exponent: float) -> Evidence:
    return replace(item, reliability=item.reliability ** exponent)


def reliability_sweep(analysis: Analysis, *, rng: np.random.Generator) -> CheckResult:
    """Do the conclusions survive trusting sources more or less?"""
    plain = analysis.settings["infer.reliability_model"] == "tempering" and all(
        len(members) == 1 for members in analysis.table.members) and all(
        e.likelihoods is None for e in analysis.case.evidence)
    evidence = {e.id: e for e in analysis.case.evidence}
    reliability = np.array([evidence[m[0]].reliability for m in analysis.table.members])

    def scenarios() -> Iterator[tuple[str, Analysis]]:  # one table at a time
        for exponent in EXPONENTS:
            if plain:  # every weight is r x ln(LR): rescale it
                table = analysis.table.scaled(reliability ** (exponent - 1.0))
            else:
                case = replace(analysis.case, evidence=tuple(
                    _power(e, exponent) for e in analysis.case.evidence))
                table = tabulate_evidence(case, analysis.theory, analysis.settings)
            yield f"reliability**{exponent:g}", reweigh(analysis, table)

    return streamed_result(
        "reliability_sweep", "Do the conclusions survive trusting sources more or less?",
        ASSUMPTIONS, analysis, scenarios(), {"exponents": list(EXPONENTS)})
