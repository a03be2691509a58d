"""Scale the strength scale up and down: do the conclusions depend on how strong tests are?"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..analysis import Analysis
from ._core import (
    CheckResult,
    changes_result,
    conclusions_of,
    group_changes,
    reweigh,
    streamed_result,
)

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
    """Multiply all log-likelihood ratios, then each label's, by 0.25, 0.5, 2 and 4.

    Under fixed priors a scaled scenario is the analysis minus ``(1 - factor)`` times the
    scaled rows' summed weights (:mod:`multilat.checks._groups`): one pass over the rows per
    factor for every label at once. Under dynamic priors each scenario is weighed again.
    """
    names = strength_labels(analysis)
    groups = ("all", *sorted(set(names)))
    labels = [f"{group} x{factor:g}" for group in groups for factor in FACTORS]
    details = {"factors": list(FACTORS)}
    question = "Do the conclusions survive stronger or weaker tests?"
    if any(b.dynamic for b in analysis.beliefs.values()):
        return _reweighed(analysis, np.array(names, dtype=object), groups, question, details)
    number = {group: index for index, group in enumerate(groups)}
    # every row is in "all" (group 0) and in its label's group: pairs sorted by group
    n = len(names)
    label_group = np.fromiter((number[name] for name in names), np.int64, n)
    order = np.argsort(label_group, kind="stable")
    row_group = np.concatenate([np.zeros(n, np.int64), label_group[order]])
    row = np.concatenate([np.arange(n, dtype=np.int64), order.astype(np.int64)])
    found = group_changes(analysis, conclusions_of(analysis), row_group, row, len(groups),
                          labels, FACTORS)
    found.sort(key=lambda entry: (entry[0], entry[1]))
    return changes_result("strength_sweep", question, ASSUMPTIONS, analysis, tuple(labels),
                          [change for _, _, change in found], details)


def _reweighed(analysis: Analysis, labels: np.ndarray, groups: tuple[str, ...], question: str,
               details: dict[str, list[float]]) -> CheckResult:
    def scenarios() -> Iterator[tuple[str, Analysis]]:  # one scaled table at a time
        for group in groups:
            chosen = np.ones(len(labels), bool) if group == "all" else labels == group
            for factor in FACTORS:
                yield f"{group} x{factor:g}", reweigh(
                    analysis, analysis.table.scaled(np.where(chosen, factor, 1.0)))

    return streamed_result("strength_sweep", question, ASSUMPTIONS, analysis, scenarios(),
                           details)
