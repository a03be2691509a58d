"""Scale the strength scale up and down: do the conclusions depend on how strong tests are?"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..analysis import Analysis
from ._core import CheckResult, reweigh, streamed_result

__all__ = ["FACTORS", "strength_sweep"]

#: Multipliers of the log-likelihood ratios (1 = as coded).
FACTORS = (0.25, 0.5, 2.0, 4.0)

ASSUMPTIONS = (
    "Scaling a log-likelihood ratio by f raises the likelihood ratio to the power f.",
    "'all' scales every item; '<label>' scales only the items with that Van Evera label "
    "(or 'explicit' likelihood ratios, 'likelihoods', 'group'), changing its weight "
    "relative to the others.",
    "Priors are unchanged; with uniform priors a global scale cannot change a single "
    "variable's most probable level, only the predicted outcome and non-uniform priors.",
)


def strength_labels(analysis: Analysis) -> list[str]:
    """The strength label of each table row ('explicit' for a given likelihood ratio)."""
    labels = {e.id: e.strength or ("likelihoods" if e.likelihoods is not None else "explicit")
              for e in analysis.case.evidence}
    return [labels[m[0]] if len(m) == 1 else "group" for m in analysis.table.members]


def strength_sweep(analysis: Analysis, *, rng: np.random.Generator) -> CheckResult:
    """Multiply all log-likelihood ratios, then each label's, by 0.25, 0.5, 2 and 4."""
    labels = np.array(strength_labels(analysis), dtype=object)

    def scenarios() -> Iterator[tuple[str, Analysis]]:  # one scaled table at a time
        for group in ("all", *sorted(set(labels.tolist()))):
            chosen = np.ones(len(labels), bool) if group == "all" else labels == group
            for factor in FACTORS:
                yield f"{group} x{factor:g}", reweigh(
                    analysis, analysis.table.scaled(np.where(chosen, factor, 1.0)))

    return streamed_result(
        "strength_sweep", "Do the conclusions survive stronger or weaker tests?",
        ASSUMPTIONS, analysis, scenarios(), {"factors": list(FACTORS)})
