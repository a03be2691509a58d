"""Robustness checks: would one item, or one assumption, change a conclusion?

Each check is a plain function ``(analysis, *, rng) -> CheckResult`` that states its
assumptions; :data:`DEFAULT_CHECKS` lists the default suite and :func:`run_checks` runs a list
of them and tabulates, for every conclusion (the most probable level of each variable, of the
observed and of the predicted strategy, per year and per period), whether it survives leaving
out each item, which items are pivotal, its smallest flip set and its contrary prior.

>>> import multilat
>>> from multilat.checks import run_checks
>>> report = run_checks(multilat.analyze(multilat.load_case("case.yaml")))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..analysis import Analysis
from ._core import (
    CheckResult,
    ConclusionChange,
    conclusions_of,
    decided_level,
)
from .contrary_prior import ContraryPrior, contrary_prior, contrary_priors
from .drop_kind import drop_kind
from .drop_source import drop_source
from .flip_sets import FlipSet, flip_set_check, smallest_flip_sets
from .leave_one_out import LeaveOneOut, leave_one_out, leave_one_out_check
from .model_choices import dynamic_priors, reliability_model
from .reliability_sweep import reliability_sweep
from .strength_sweep import strength_sweep
from .uniform_strength import uniform_strength
from .variant_theory import variant_rule_table

__all__ = [
    "DEFAULT_CHECKS",
    "Check",
    "CheckResult",
    "ConclusionChange",
    "ConclusionRobustness",
    "ContraryPrior",
    "FlipSet",
    "LeaveOneOut",
    "RobustnessReport",
    "contrary_prior",
    "contrary_priors",
    "decided_level",
    "drop_kind",
    "drop_source",
    "dynamic_priors",
    "flip_set_check",
    "leave_one_out",
    "leave_one_out_check",
    "reliability_model",
    "reliability_sweep",
    "run_checks",
    "smallest_flip_sets",
    "strength_sweep",
    "uniform_strength",
    "variant_rule_table",
]

Check = Callable[..., CheckResult]

#: The default suite, in the order reports show it.
DEFAULT_CHECKS: tuple[Check, ...] = (
    leave_one_out_check,
    flip_set_check,
    strength_sweep,
    uniform_strength,
    reliability_sweep,
    reliability_model,
    dynamic_priors,
    contrary_prior,
    variant_rule_table,
    drop_kind,
    drop_source,
)


@dataclass(frozen=True, slots=True)
class ConclusionRobustness:
    """One conclusion and how it fares under every check."""

    variable: str
    scope: str
    at: int | str
    level: str
    probability: float
    survives_leave_one_out: bool | None
    pivotal: tuple[str, ...]
    flip_set: FlipSet | None
    contrary_prior: ContraryPrior | None
    changed_by: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "variable": self.variable, self.scope: self.at, "level": self.level,
            "probability": round(self.probability, 6),
            "survives_leave_one_out": self.survives_leave_one_out,
            "pivotal": list(self.pivotal),
            "smallest_flip_set": self.flip_set.to_dict() if self.flip_set else None,
            "contrary_prior": self.contrary_prior.to_dict() if self.contrary_prior else None,
            "changed_by": list(self.changed_by),
        }


@dataclass(frozen=True, slots=True)
class RobustnessReport:
    """The conclusions of one analysis with the results of every check run on it."""

    case: str
    theory: str
    seed: int | None
    conclusions: tuple[ConclusionRobustness, ...]
    undetermined: tuple[tuple[str, str, int | str], ...]
    checks: tuple[CheckResult, ...]

    def __repr__(self) -> str:
        fragile = sum(1 for c in self.conclusions if c.survives_leave_one_out is False)
        checks = ", ".join(f"{c.name} {c.verdict}" for c in self.checks)
        return (f"<RobustnessReport {self.case} under {self.theory}: {len(self.conclusions)} "
                f"conclusions, {fragile} rest on one item; {checks}>")[:1500]

    def _repr_html_(self) -> str:
        from .._display import html_table

        return html_table(f"Robustness of {self.case} under {self.theory}",
                          ("check", "verdict", "summary"),
                          [(c.name, str(c.verdict), c.summary) for c in self.checks])

    def __str__(self) -> str:
        lines = [f"Robustness of {self.case} under {self.theory}:"]
        lines += [str(check) for check in self.checks]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case, "theory": self.theory, "seed": self.seed,
            "conclusions": [c.to_dict() for c in self.conclusions],
            "undetermined": [{"variable": v, scope: at} for v, scope, at in self.undetermined],
            "checks": [c.to_dict() for c in self.checks],
        }


def run_checks(analysis: Analysis, checks: Sequence[Check] = DEFAULT_CHECKS,
               seed: int | np.random.Generator | None = 0) -> RobustnessReport:
    """Run exactly ``checks`` on ``analysis`` (each once) and tabulate which conclusions
    survive.

    The table's per-conclusion columns come from the checks that compute them: leave-one-out
    (``survives_leave_one_out``, ``pivotal``; ``None`` and empty when it is not run), the
    smallest flip sets and the contrary priors (``None`` when not run).

    Parameters
    ----------
    analysis
        From :func:`multilat.analyze`.
    checks
        Functions ``(analysis, *, rng) -> CheckResult``; default :data:`DEFAULT_CHECKS`.
    seed
        Seeds the generator handed to every check (the default checks draw nothing).
    """
    rng = np.random.default_rng(seed)
    results = tuple(check(analysis, rng=rng) for check in checks)
    found = {result.name: result.by_conclusion for result in results}
    pivotal = found.get("leave_one_out")
    flip_sets = found.get("smallest_flip_sets", {})
    priors = found.get("contrary_prior", {})
    changed: dict[tuple[str, str, int | str], list[str]] = {}
    for result in results:
        for change in result.changes:
            names = changed.setdefault((change.variable, change.scope, change.at), [])
            if result.name not in names:
                names.append(result.name)
    rows, undetermined = [], []
    for key, (level, probability) in conclusions_of(analysis).items():
        if level is None:
            undetermined.append(key)
            continue
        ids = tuple(pivotal.get(key, ())) if pivotal is not None else ()
        rows.append(ConclusionRobustness(key[0], key[1], key[2], level, probability,
                                         None if pivotal is None else not ids,
                                         ids, flip_sets.get(key), priors.get(key),
                                         tuple(changed.get(key, ()))))
    return RobustnessReport(analysis.case.id, analysis.theory.name,
                            seed if isinstance(seed, int) else None, tuple(rows),
                            tuple(undetermined), results)
