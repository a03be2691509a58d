"""What the checks share: the conclusions of an analysis, re-weighing, and result objects.

A *conclusion* is the most probable level of one belief in one year or period: of each theory
variable, of the observed strategy (the outcome's weighed beliefs) and of the predicted
strategy (the rule table applied to the variables). Where two levels tie (e.g. a year with no
evidence) there is no conclusion: the year is *undetermined*.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from ..analysis import Analysis
from ..case.model import Evidence
from ..decision import TIE_TOLERANCE, CheckVerdict, Scope, decide
from ..infer.weighing import EvidenceTable, infer_variables, switch_probability
from ..predict import predict_from_beliefs
from ._groups import decided_index, group_beliefs, group_pairs

__all__ = [
    "CheckResult",
    "ConclusionChange",
    "ConclusionKey",
    "compare_conclusions",
    "conclusions_of",
    "decided_level",
    "priors_of",
    "reweigh",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
#: ``(variable, scope, at)``: scope is :data:`Scope.YEAR` (at = the year) or
#: :data:`Scope.PERIOD` (at = the period id); a ``Scope`` equals its string.
ConclusionKey = tuple[str, Scope, int | str]
#: Two probabilities closer than this tie (the one tolerance of :mod:`multilat.decision`).
TIE = TIE_TOLERANCE


def belief_matrices(analysis: Analysis) -> list[tuple[str, tuple[str, ...], Scope, FloatArray]]:
    """``(name, levels, scope, probabilities rows x levels)`` of every belief with conclusions."""
    out = []
    outcome = analysis.theory.outcome
    for scope in Scope:
        for variable in analysis.theory.variables:
            beliefs = analysis.beliefs[variable.name]
            out.append((variable.name, beliefs.levels, scope, beliefs.probabilities(scope)))
        out.append((analysis.theory.observed_name, outcome.levels, scope,
                    analysis.observed(scope)))
        out.append((analysis.theory.predicted_name, outcome.levels, scope,
                    analysis.predicted(scope)))
    return out


def row_labels(analysis: Analysis, scope: Scope) -> list[int | str]:
    return analysis.labels(scope)


def decided_level(row: FloatArray, levels: tuple[str, ...]) -> str | None:
    """The most probable level, or ``None`` when the top two tie (:func:`decide`)."""
    return decide(levels, row).level


def conclusions_of(analysis: Analysis) -> dict[ConclusionKey, tuple[str | None, float]]:
    """Every conclusion: ``{(variable, scope, at): (level or None if tied, probability)}``."""
    out: dict[ConclusionKey, tuple[str | None, float]] = {}
    for name, levels, scope, matrix in belief_matrices(analysis):
        for at, row in zip(row_labels(analysis, scope), matrix, strict=True):
            out[(name, scope, at)] = (decided_level(row, levels), float(row.max()))
    return out


@dataclass(frozen=True, slots=True)
class ConclusionChange:
    """A conclusion that a check's scenario changes.

    ``after`` (``to`` in JSON) is the new conclusion, ``"tie: a, b"`` when levels tie, or
    ``None`` when the check records only that the conclusion no longer holds (leave-one-out).
    """

    variable: str
    scope: str
    at: int | str
    before: str
    after: str | None
    scenario: str

    def to_dict(self) -> dict[str, Any]:
        return {"variable": self.variable, self.scope: self.at, "from": self.before,
                "to": self.after, "scenario": self.scenario}


def compare_conclusions(base: Analysis, other: Analysis, scenario: str,
                        only: Callable[[ConclusionKey], bool] | None = None
                        ) -> list[ConclusionChange]:
    """Conclusions of ``base`` that ``other`` does not reach (undetermined ones are skipped)."""
    before, after = conclusions_of(base), conclusions_of(other)
    changes = []
    for key, (level, _) in before.items():
        if level is None or (only is not None and not only(key)):
            continue
        new = after.get(key, (None, 0.0))[0]
        if new != level:
            changes.append(ConclusionChange(key[0], key[1], key[2], level, new, scenario))
    return changes


def priors_of(analysis: Analysis) -> dict[str, dict[str, float]]:
    """The prior probabilities the analysis used, per target."""
    return {name: dict(zip(b.levels, np.exp(b.prior).tolist(), strict=True))
            for name, b in analysis.beliefs.items()}


def reweigh(analysis: Analysis, table: EvidenceTable,
            priors: Mapping[str, Mapping[str, float]] | None = None) -> Analysis:
    """The analysis re-run on another evidence table (and optionally other priors)."""
    beliefs = infer_variables(table, analysis.theory, analysis.years, analysis.case.periods,
                              priors if priors is not None else priors_of(analysis),
                              switch_probability(analysis.settings))
    yearly, periods = predict_from_beliefs(beliefs, analysis.theory)
    return replace(analysis, table=table, beliefs=beliefs, predicted_yearly=yearly,
                   predicted_periods=periods)




@dataclass(frozen=True, slots=True)
class CheckResult:
    """What one robustness check found, and what it assumed.

    ``verdict`` is :class:`~multilat.decision.CheckVerdict`: ``ROBUST`` (no conclusion changes
    under any of its scenarios), ``SENSITIVE`` (some do: see ``changes``) or
    ``NOT_APPLICABLE`` (equal to the strings ``"robust"``, ``"sensitive"``,
    ``"not_applicable"``).
    """

    name: str
    question: str
    assumptions: tuple[str, ...]
    verdict: CheckVerdict
    summary: str
    scenarios: tuple[str, ...] = ()
    changes: tuple[ConclusionChange, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)
    #: What the check found per conclusion, as objects (e.g. each conclusion's pivotal items),
    #: for :func:`multilat.checks.run_checks` to tabulate without computing it again.
    by_conclusion: Mapping[ConclusionKey, Any] = field(default_factory=dict, compare=False,
                                                       repr=False)
    #: The check's whole result object where it has one (leave-one-out: ``LeaveOneOut``).
    result: Any = field(default=None, compare=False, repr=False)

    def __repr__(self) -> str:
        return f"<CheckResult {self.name}: {self.verdict}. {self.summary}>"[:1500]

    def __str__(self) -> str:
        lines = [f"{self.name}: {self.verdict}. {self.summary}"]
        lines += [f"  assumes: {a}" for a in self.assumptions]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "question": self.question,
                "assumptions": list(self.assumptions), "verdict": self.verdict,
                "summary": self.summary, "scenarios": list(self.scenarios),
                "changes": [c.to_dict() for c in self.changes], "details": dict(self.details)}


def scenario_result(name: str, question: str, assumptions: tuple[str, ...],
                    base: Analysis, scenarios: Mapping[str, Analysis],
                    details: Mapping[str, Any] | None = None) -> CheckResult:
    """A check made of named scenarios, each a re-run analysis compared with ``base``."""
    before = conclusions_of(base)
    changes: list[ConclusionChange] = []
    for label, other in scenarios.items():
        changes += _changes(before, other, label)
    return changes_result(name, question, assumptions, base, tuple(scenarios), changes,
                          details)


def streamed_result(name: str, question: str, assumptions: tuple[str, ...], base: Analysis,
                    scenarios: Iterable[tuple[str, Analysis]],
                    details: Mapping[str, Any] | None = None) -> CheckResult:
    """As :func:`scenario_result`, from ``(label, analysis)`` pairs made one at a time (a
    generator): each scenario is compared and dropped, only its changed conclusions kept."""
    before = conclusions_of(base)
    labels: list[str] = []
    changes: list[ConclusionChange] = []
    for label, other in scenarios:
        labels.append(label)
        changes += _changes(before, other, label)
    return changes_result(name, question, assumptions, base, tuple(labels), changes, details)


def _changes(before: Mapping[ConclusionKey, tuple[str | None, float]], other: Analysis,
             scenario: str) -> list[ConclusionChange]:
    after = conclusions_of(other)
    return [ConclusionChange(key[0], key[1], key[2], level, after.get(key, (None, 0.0))[0],
                             scenario)
            for key, (level, _) in before.items()
            if level is not None and after.get(key, (None, 0.0))[0] != level]


def changes_result(name: str, question: str, assumptions: tuple[str, ...], base: Analysis,
                   scenarios: tuple[str, ...], changes: list[ConclusionChange],
                   details: Mapping[str, Any] | None = None) -> CheckResult:
    """A check from its scenario labels and the conclusions they change (in that order)."""
    if not scenarios:
        return CheckResult(name, question, assumptions, CheckVerdict.NOT_APPLICABLE,
                           "no scenario applies to this case", (), (), details or {})
    decided = sum(1 for level, _ in conclusions_of(base).values() if level is not None)
    flipped = {(c.variable, c.scope, c.at) for c in changes}
    if changes:
        worst = sorted({c.scenario for c in changes})
        summary = (f"{len(flipped)} of {decided} conclusions change under at least one of "
                   f"{len(scenarios)} scenarios (those that change some: "
                   f"{', '.join(worst[:6])}{'...' if len(worst) > 6 else ''})")
    else:
        summary = f"all {decided} conclusions hold under {len(scenarios)} scenarios"
    return CheckResult(name, question, assumptions, CheckVerdict.of(changes),
                       summary, scenarios, tuple(changes), details or {})


def drop_each_group(analysis: Analysis, group_of: Callable[[Evidence], str], label: str,
                    name: str, question: str, assumptions: tuple[str, ...], *,
                    reweighing: bool = False) -> CheckResult:
    """Scenarios that each remove every item of one group (``group_of(item)``).

    A row of several items (a group of dependent items) goes with any of its items' groups.
    Under fixed priors each scenario subtracts its group's summed weights from the full
    analysis (:mod:`multilat.checks._groups`: linear in the rows); under dynamic priors (or
    with ``reweighing``) each scenario is weighed again, exact for any prior model but
    ``groups x rows``. Either way only the changed conclusions are kept.
    """
    groups = {e.id: group_of(e) for e in analysis.case.evidence}
    members = analysis.table.members
    names = sorted({groups[i] for row in members for i in row})
    labels = tuple(label.format(group) for group in names)
    before = conclusions_of(analysis)
    changes: list[ConclusionChange] = []
    if reweighing or any(b.dynamic for b in analysis.beliefs.values()):
        belongs = [{groups[i] for i in row} for row in members]
        for group, scenario in zip(names, labels, strict=True):
            other = reweigh(analysis, analysis.table.subset(
                np.array([group not in of for of in belongs], dtype=bool)))
            changes += _changes(before, other, scenario)
        return changes_result(name, question, assumptions, analysis, labels, changes)

    number = {group: index for index, group in enumerate(names)}
    row_group, row = group_pairs([number[groups[i[0]]] if len(i) == 1
                                  else frozenset(number[groups[m]] for m in i)
                                  for i in members])
    found = group_changes(analysis, before, row_group, row, len(names), labels)
    found.sort(key=lambda entry: (entry[0], entry[1]))
    return changes_result(name, question, assumptions, analysis, labels,
                          [change for _, _, change in found])


def group_changes(analysis: Analysis,
                  before: Mapping[ConclusionKey, tuple[str | None, float]],
                  row_group: IntArray, row: IntArray, n_groups: int,
                  labels: Sequence[str], keeps: Sequence[float] = (0.0,)
                  ) -> list[tuple[int, int, ConclusionChange]]:
    """The conclusions each group's scenario changes, from the summed weights
    (:func:`multilat.checks._groups.group_beliefs`: the group dropped, or scaled by each of
    ``keeps``): ``(scenario index, conclusion order, change)``, the scenario of group ``g``
    under ``keeps[j]`` being ``g * len(keeps) + j``, named by ``labels`` at that index."""
    order = {key: index for index, key in enumerate(before)}
    found: list[tuple[int, int, ConclusionChange]] = []
    theory = analysis.theory
    n_variables = len(theory.variables)
    for scope, first, which, probabilities, predicted in group_beliefs(
            analysis, row_group, row, n_groups, keeps):
        places = row_labels(analysis, scope)
        beliefs = [(theory.observed_name if target == n_variables else target_name, levels,
                    probabilities[target_name])
                   for target, (target_name, levels, _) in enumerate(theory.targets)]
        beliefs.append((theory.predicted_name, theory.outcome.levels, predicted))
        for belief, levels, matrix in beliefs:
            old = [before[(belief, scope, at)][0] for at in places]
            old_index = np.array([levels.index(lv) if lv is not None else -1 for lv in old],
                                 np.int64)
            new_index = decided_index(matrix)
            moved = (old_index[None, :] >= 0) & (new_index != old_index[None, :])
            for group, place in zip(*np.nonzero(moved), strict=True):
                at = places[int(place)]
                key = (belief, scope, at)
                after = int(new_index[group, place])
                level = old[int(place)]
                assert level is not None
                scenario = (first + int(group)) * len(keeps) + which
                found.append((scenario, order[key], ConclusionChange(
                    belief, scope, at, level, levels[after] if after >= 0 else None,
                    labels[scenario])))
    return found
