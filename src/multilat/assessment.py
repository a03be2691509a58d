"""Everything computed from one analysis, once: robustness checks, dated switches, theories.

:func:`assess` runs the checks (:func:`multilat.checks.run_checks`), dates the switch of the
theory's first variable and of the observed outcome (:func:`multilat.changepoint.change_point`)
with the lag between them, and compares the analysis's theory with its other readings and the
case's rival theories (:func:`multilat.compare.compare_theories`). The report and the JSON
read the :class:`Assessment`; nothing in them computes any of this again.

>>> import multilat
>>> assessment = multilat.assess(multilat.analyze(multilat.load_example()))
>>> [c.name for c in assessment.robustness.checks][:2]
['leave_one_out', 'smallest_flip_sets']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .analysis import Analysis
from .changepoint import ChangePosterior, SwitchLag, change_point, switch_lag
from .checks import DEFAULT_CHECKS, Check, LeaveOneOut, RobustnessReport, run_checks
from .compare import TheoryComparison, compare_theories, default_theories
from .errors import InputError
from .theory import Theory, resolve_theory

__all__ = ["Assessment", "assess", "comparable_theories"]


@dataclass(frozen=True, slots=True)
class Assessment:
    """One analysis and what was computed from it: read it, don't recompute.

    ``switches`` holds the change-year posteriors of the theory's first variable and of the
    observed outcome (empty, with ``switch_note`` saying why, when they cannot be dated);
    ``comparison`` is ``None`` when the theories could not be compared (``comparison_note``
    says why); ``skipped_theories`` names those not comparable (another outcome, unreadable).
    """

    analysis: Analysis
    robustness: RobustnessReport
    leave_one_out: LeaveOneOut | None
    switches: tuple[ChangePosterior, ...]
    lag: SwitchLag | None
    switch_note: str
    comparison: TheoryComparison | None
    comparison_note: str
    skipped_theories: tuple[str, ...]

    def __repr__(self) -> str:
        best = self.comparison.theories[0].name if self.comparison else "not compared"
        return (f"<Assessment of {self.analysis.case.id} under {self.analysis.theory.name}: "
                f"{len(self.robustness.checks)} checks, {len(self.switches)} switches dated, "
                f"best-fitting theory {best}>")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe document: the analysis, the checks, the switches and the theories."""
        return {
            "analysis": self.analysis.to_dict(),
            "robustness": self.robustness.to_dict(),
            "switches": [s.to_dict() for s in self.switches],
            "switch_note": self.switch_note or None,
            "lag": self.lag.to_dict() if self.lag else None,
            "theories": self.comparison.to_dict() if self.comparison else None,
            "theories_note": self.comparison_note or None,
            "skipped_theories": list(self.skipped_theories),
        }


def comparable_theories(analysis: Analysis) -> tuple[list[Theory], list[str]]:
    """The analysis's theory, then the case's, their other readings and the case's rivals.

    Only theories with the same outcome and levels can be scored on the same evidence; the
    others (and any that cannot be read) are returned as skipped, by name.
    """
    case, theory = analysis.case, analysis.theory
    try:
        names = [*default_theories(case), *theory.readings]
    except InputError:
        names = [*theory.readings, *case.rival_theories]
    chosen, skipped = [theory], []
    for name in dict.fromkeys(names):
        try:
            other = resolve_theory(name, case.folder)
        except InputError:
            skipped.append(name)
            continue
        if other.name in {t.name for t in chosen}:
            continue
        if (other.outcome.name, other.outcome.levels) != (theory.outcome.name,
                                                          theory.outcome.levels):
            skipped.append(other.name)
            continue
        chosen.append(other)
    return chosen, skipped


def assess(analysis: Analysis, checks: Sequence[Check] = DEFAULT_CHECKS, *,
           seed: int = 0) -> Assessment:
    """Run ``checks`` (default: the default suite), date the switches and compare the
    theories, each once."""
    robustness = run_checks(analysis, checks, seed=seed)
    loo = next((c.result for c in robustness.checks if c.name == "leave_one_out"), None)
    switches: tuple[ChangePosterior, ...] = ()
    lag, note = None, ""
    if len(analysis.years) < 2 or not analysis.theory.variables:
        note = "Dating a switch needs at least two years and one theory variable."
    else:
        cause = change_point(analysis, analysis.theory.variables[0].name)
        effect = change_point(analysis, analysis.theory.observed_name)
        switches, lag = (cause, effect), switch_lag(cause, effect)
    theories, skipped = comparable_theories(analysis)
    comparison, comparison_note = None, ""
    try:
        comparison = compare_theories(analysis.case, theories, analysis.settings,
                                      analysis=analysis)
    except InputError as error:  # e.g. a theory file the case names but cannot be read
        comparison_note = f"The theories could not be compared: {error}"
    return Assessment(analysis, robustness, loo, switches, lag, note, comparison,
                      comparison_note, tuple(skipped))
