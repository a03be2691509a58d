"""What an item's numbers make it: its Van Evera test and its expected learning.

Both read the clue's probabilities for the level it points to, ``phi1 = P(E | level)``, and
against the other levels, ``phi0 = P(E | other)`` (their prior-weighted mean for a variable of
more than two levels), with ``p`` the level's prior.

- **The test** is a region of ``(phi1, phi0)`` (Humphreys and Jacobs 2023, fig. 5.2): a clue
  whose finding multiplies the odds by at least ``t`` (``phi1 / phi0 >= t``) is a smoking gun,
  whose absence divides them by at least ``t`` (``(1 - phi0) / (1 - phi1) >= t``) a hoop test,
  both a doubly decisive test, neither a straw in the wind; ``t`` is setting
  ``infer.test_ratio`` (2: the lines of the figure, through (1/3, 2/3)).
- **Expected learning** is the expected reduction in the variance of "the variable is at this
  level" from looking for the clue, before knowing whether it will be found (Humphreys and
  Jacobs 2023, ch. 5, "Learning": the definition of expected learning and its formula):
  ``(phi1 - phi0)^2 p (1 - p) / (phi0 (1 - phi0) - (phi1 - phi0)^2 p^2
  - (phi1 - phi0) p (2 phi0 - 1))``, between 0 and 1.

An item with an explicit likelihood ratio has no probabilities, so neither.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..case.model import Evidence
from ..settings import STRENGTHS, Settings
from ..theory.model import Theory
from .likelihood import FloatArray, clue_probabilities

__all__ = ["ItemDiagnostic", "expected_learning", "item_diagnostics", "van_evera_test"]

#: The label of a clue equally likely under every level.
UNINFORMATIVE = "uninformative"
#: The label of a clue less likely under its level than under the others.
AGAINST = "against its level"


def van_evera_test(phi1: float, phi0: float, ratio: float) -> str:
    """The Van Evera test a clue's ``P(E | level)`` and ``P(E | other)`` make it."""
    if phi1 == phi0:
        return UNINFORMATIVE
    if phi1 < phi0:
        return AGAINST
    passing = phi1 / phi0 if phi0 > 0 else float("inf")
    failing = (1 - phi0) / (1 - phi1) if phi1 < 1 else float("inf")
    if passing >= ratio and failing >= ratio:
        return STRENGTHS[3]  # doubly_decisive
    if passing >= ratio:
        return STRENGTHS[2]  # smoking_gun
    if failing >= ratio:
        return STRENGTHS[1]  # hoop
    return STRENGTHS[0]  # straw_in_the_wind


def expected_learning(phi1: float, phi0: float, prior: float) -> float:
    """Expected reduction in variance from looking for the clue (0 to 1)."""
    gap = phi1 - phi0
    if gap == 0 or prior <= 0 or prior >= 1:
        return 0.0
    denominator = (phi0 * (1 - phi0) - gap ** 2 * prior ** 2
                   - gap * prior * (2 * phi0 - 1))
    return float(gap ** 2 * prior * (1 - prior) / denominator) if denominator > 0 else 1.0


@dataclass(frozen=True, slots=True)
class ItemDiagnostic:
    """An item's derived test and expected learning, beside the label it asserts."""

    id: str
    level: str
    if_level: float | None
    if_other: float | None
    test: str | None
    asserted: str | None
    expected_learning: float | None
    warning: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"test_by_numbers": self.test, "asserted_test": self.asserted,
                "if_level": None if self.if_level is None else round(self.if_level, 6),
                "if_other": None if self.if_other is None else round(self.if_other, 6),
                "expected_learning": (None if self.expected_learning is None
                                      else round(self.expected_learning, 6)),
                "warning": self.warning}


def item_diagnostics(evidence: tuple[Evidence, ...], theory: Theory, settings: Settings,
                     priors: Mapping[str, Mapping[str, float]]) -> dict[str, ItemDiagnostic]:
    """The diagnostic of every item about a variable of ``theory``; ``priors`` per target
    (probabilities; uniform where absent).

    Items coded alike (same variable, level, probabilities and asserted label) share one
    computation, so a generated layer of many similar items costs little more than its
    distinct codings.
    """
    levels_of = {name: levels for name, levels, _ in theory.targets}
    ratio = float(settings["infer.test_ratio"])
    done: dict[tuple[Any, ...], tuple[float, float, str, float, str | None] | None] = {}
    out = {}
    for item in evidence:
        levels = levels_of.get(item.variable)
        if levels is None or item.level not in levels:
            continue
        asserted = item.strength or item.test
        key = (item.variable, item.level, item.strength, asserted,
               None if item.likelihoods is None else tuple(item.likelihoods.items()))
        if key in done:
            computed = done[key]
        else:
            clue = clue_probabilities(item, levels, settings)
            computed = done[key] = (None if clue is None else _diagnose(
                item.level, levels, clue, asserted, priors.get(item.variable), ratio))
        if computed is None:  # an explicit likelihood ratio: no probabilities
            out[item.id] = ItemDiagnostic(item.id, item.level, None, None, None, asserted,
                                          None, None)
            continue
        phi1, phi0, test, learning, warning = computed
        out[item.id] = ItemDiagnostic(item.id, item.level, phi1, phi0, test, asserted,
                                      learning, warning)
    return out


def _diagnose(level: str, levels: tuple[str, ...], clue: FloatArray,
              asserted: str | None, given: Mapping[str, float] | None,
              ratio: float) -> tuple[float, float, str, float, str | None]:
    """(phi1, phi0, test, expected learning, warning) of one coding of a clue."""
    index = levels.index(level)
    prior = (np.array([given[name] for name in levels]) if given
             else np.full(len(levels), 1 / len(levels)))
    others = np.delete(np.arange(len(levels)), index)
    phi1 = float(clue[index])
    phi0 = float(np.average(clue[others], weights=prior[others]))
    test = van_evera_test(phi1, phi0, ratio)
    warning = None
    if asserted is not None and test != asserted:
        warning = (f"labelled {asserted.replace('_', ' ')}, but its numbers "
                   f"(P(E | {level}) {phi1:g}, P(E | other) {phi0:g}) make it "
                   f"{test.replace('_', ' ')}")
    return phi1, phi0, test, expected_learning(phi1, phi0, float(prior[index])), warning
