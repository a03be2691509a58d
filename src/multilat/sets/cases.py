"""Cases against a set relation: Schneider & Rohlfing's case types for X => Y, and
Schneider & Wagemann's theory evaluation (the four intersections of a theory T and an
empirical solution S, as SetMethods' ``theory.evaluation`` lays them out).

Sources: C. Q. Schneider and I. Rohlfing (2013), "Combining QCA and process tracing in
set-theoretic multi-method research", *Sociological Methods & Research* 42(4); C. Q.
Schneider and C. Wagemann (2012), *Set-Theoretic Methods for the Social Sciences*,
Cambridge University Press, ch. 11.3 (theory evaluation).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError
from .expression import Expression
from .fit import Fit, _pair, _sufficiency, as_expression, outcome_membership
from .table import SetTable

__all__ = ["CASE_KINDS", "CaseType", "TheoryEvaluation", "TheoryIntersection",
           "theory_evaluation", "typology"]

TYPICAL = "typical"
DEVIANT_CONSISTENCY = "deviant consistency"
DEVIANT_COVERAGE = "deviant coverage"
IRRELEVANT = "individually irrelevant"
#: The four kinds, in Schneider & Rohlfing's order.
CASE_KINDS = (TYPICAL, DEVIANT_CONSISTENCY, DEVIANT_COVERAGE, IRRELEVANT)


@dataclass(frozen=True, slots=True)
class CaseType:
    """One case's type for X => Y, with its memberships in X and Y."""

    case: str
    kind: str
    x: float
    y: float

    def to_dict(self) -> dict[str, Any]:
        return {"case": self.case, "kind": self.kind, "x": float(self.x), "y": float(self.y)}

    def __repr__(self) -> str:
        return f"CaseType({self.case!r}: {self.kind}, x={self.x:.2f}, y={self.y:.2f})"


def typology(x: Any, y: Any, cases: Sequence[str]) -> tuple[CaseType, ...]:
    """Each case's type for the sufficiency of X for Y (Schneider & Rohlfing 2013):

    * typical: X > .5 and Y > .5
    * deviant consistency: X > .5, Y < .5 (X holds, the outcome does not)
    * deviant coverage: X < .5, Y > .5 (the outcome without X)
    * individually irrelevant: X < .5, Y < .5

    A membership of exactly 0.5 in X or Y has no type and is an error naming the case.
    """
    xs, ys = _pair(x, y)
    names = [str(c) for c in cases]
    if len(names) != xs.shape[0]:
        raise InputError(f"cases: found {len(names)} names; expected {xs.shape[0]}, one per "
                         "membership")
    result: list[CaseType] = []
    for name, xv, yv in zip(names, xs, ys, strict=True):
        for label, value in (("x", xv), ("y", yv)):
            if value == 0.5:
                raise InputError(f"{label}: found a membership of exactly 0.5 for case "
                                 f"{name!r}; expected a value above or below 0.5 (a case "
                                 "at the crossover has no type)")
        if xv > 0.5:
            kind = TYPICAL if yv > 0.5 else DEVIANT_CONSISTENCY
        else:
            kind = DEVIANT_COVERAGE if yv > 0.5 else IRRELEVANT
        result.append(CaseType(name, kind, float(xv), float(yv)))
    return tuple(result)


@dataclass(frozen=True, slots=True)
class TheoryIntersection:
    """One of T*S, T*~S, ~T*S, ~T*~S: its cases (membership > .5) by outcome, and its fit
    as sufficient for the outcome."""

    label: str
    expression: str
    cases_in_outcome: tuple[str, ...]
    cases_not_in_outcome: tuple[str, ...]
    fit: Fit

    @property
    def consistency(self) -> float:
        return self.fit.consistency

    @property
    def coverage(self) -> float:
        return self.fit.coverage

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "expression": self.expression,
                "cases_in_outcome": list(self.cases_in_outcome),
                "cases_not_in_outcome": list(self.cases_not_in_outcome),
                **self.fit.to_dict()}

    def __repr__(self) -> str:
        return (f"TheoryIntersection({self.label}: {len(self.cases_in_outcome)} in Y, "
                f"{len(self.cases_not_in_outcome)} not, {self.fit!r})")


@dataclass(frozen=True, slots=True)
class TheoryEvaluation:
    """A theory T against an empirical solution S for an outcome Y: the four intersections
    (in the order T*S, T*~S, ~T*S, ~T*~S)."""

    theory: str
    solution: str
    outcome: str
    intersections: tuple[TheoryIntersection, ...]
    #: The fit of T and of S on their own as sufficient for Y (SetMethods' last two rows).
    theory_fit: Fit | None = None
    solution_fit: Fit | None = None

    def intersection(self, label: str) -> TheoryIntersection:
        for item in self.intersections:
            if item.label == label:
                return item
        raise InputError(f"label: found {label!r}; expected one of "
                         f"{', '.join(i.label for i in self.intersections)}")

    def to_dict(self) -> dict[str, Any]:
        return {"theory": self.theory, "solution": self.solution, "outcome": self.outcome,
                "intersections": [i.to_dict() for i in self.intersections],
                "theory_fit": None if self.theory_fit is None else self.theory_fit.to_dict(),
                "solution_fit": None if self.solution_fit is None
                else self.solution_fit.to_dict()}

    def __repr__(self) -> str:
        counts = ", ".join(f"{i.label}: {len(i.cases_in_outcome) + len(i.cases_not_in_outcome)}"
                           for i in self.intersections)
        return f"TheoryEvaluation(T={self.theory!r}, S={self.solution!r}; cases {counts})"


def theory_evaluation(table: SetTable, theory: Expression | str, solution: Expression | str,
                      outcome: str | Expression | Any) -> TheoryEvaluation:
    """Compare a theory's expectation T with an empirical solution S for outcome Y
    (Schneider & Wagemann 2012, 11.3): for each intersection T*S (theory and solution
    agree), T*~S (expected by theory only), ~T*S (found by the solution only) and ~T*~S,
    the cases with membership above 0.5, split by Y above / below 0.5, and the
    intersection's consistency, PRI and coverage as sufficient for Y."""
    t = as_expression(table, theory, "theory")
    s = as_expression(table, solution, "solution")
    y, outcome_text = outcome_membership(table, outcome)
    parts = (("T*S", t, s), ("T*~S", t, s.negate()), ("~T*S", t.negate(), s),
             ("~T*~S", t.negate(), s.negate()))
    items: list[TheoryIntersection] = []
    for label, left, right in parts:
        expression = Expression.all_of([left, right])
        membership = expression.membership(table)
        inside = membership > 0.5
        cases_in = tuple(c for c, i, v in zip(table.cases, inside, y, strict=True)
                         if i and v > 0.5)
        cases_out = tuple(c for c, i, v in zip(table.cases, inside, y, strict=True)
                          if i and v < 0.5)
        items.append(TheoryIntersection(label, str(expression), cases_in, cases_out,
                                        _sufficiency(np.asarray(membership), y)))
    return TheoryEvaluation(str(t), str(s), outcome_text, tuple(items),
                            _sufficiency(t.membership(table), y),
                            _sufficiency(s.membership(table), y))
