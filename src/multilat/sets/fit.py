"""Parameters of fit of set relations, computed as R's QCA package computes them.

For a sufficiency relation X => Y (memberships x, y; ~y = 1 - y), after QCA's ``C_pof``:

* consistency (inclS) = sum(min(x, y)) / sum(x)
* coverage (covS)     = sum(min(x, y)) / sum(y)
* PRI                 = (sum(min(x, y)) - sum(min(x, y, ~y))) / (sum(x) - sum(min(x, y, ~y)))
* unique coverage of a term (covU) = its coverage - sum(min(term, y, union of the other
  terms)) / sum(y), i.e. the coverage of the whole solution minus that of the other terms.

For a necessity relation X <= Y:

* consistency (inclN) = sum(min(x, y)) / sum(y)
* coverage (covN)     = sum(min(x, y)) / sum(x)
* relevance (RoN)     = sum(1 - x) / sum(1 - min(x, y))

A ratio whose denominator is 0 (an empty set) is NaN, as in R, and ``None`` in ``to_dict``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError
from .expression import Expression, parse_expression
from .table import SetTable, check_membership

__all__ = ["Fit", "NecessityFit", "SolutionFit", "TermFit", "fit", "necessity",
           "outcome_membership", "sufficiency"]

#: Differences smaller than this are rounding noise (unique coverage that is really 0).
_NOISE = 1e-12


def _sum(values: np.ndarray) -> float:
    """Left-to-right sum, as QCA's C loops add (numpy's pairwise sum can differ in the last
    bit, and R prints 0.8125000000000003 as 0.813 where 0.8125 would be 0.812)."""
    return float(np.cumsum(values)[-1]) if values.size else 0.0


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else math.nan


def _json(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _show(value: float | None) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:.3f}"


@dataclass(frozen=True, slots=True)
class Fit:
    """Consistency, PRI and coverage of a sufficiency relation X => Y."""

    consistency: float
    pri: float
    coverage: float

    def to_dict(self) -> dict[str, Any]:
        return {"consistency": _json(self.consistency), "pri": _json(self.pri),
                "coverage": _json(self.coverage)}

    def __repr__(self) -> str:
        return (f"Fit(consistency={_show(self.consistency)}, pri={_show(self.pri)}, "
                f"coverage={_show(self.coverage)})")


@dataclass(frozen=True, slots=True)
class NecessityFit:
    """Consistency, coverage and relevance (RoN) of a necessity relation X <= Y."""

    consistency: float
    coverage: float
    relevance: float

    def to_dict(self) -> dict[str, Any]:
        return {"consistency": _json(self.consistency), "coverage": _json(self.coverage),
                "relevance": _json(self.relevance)}

    def __repr__(self) -> str:
        return (f"NecessityFit(consistency={_show(self.consistency)}, "
                f"coverage={_show(self.coverage)}, relevance={_show(self.relevance)})")


@dataclass(frozen=True, slots=True)
class TermFit:
    """One term of a solution: inclS, PRI, covS and covU as QCA's ``pof`` reports them.

    ``unique_coverage`` is ``None`` for a solution of a single term (R prints ``-``)."""

    term: str
    consistency: float
    pri: float
    coverage: float
    unique_coverage: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"term": self.term, "consistency": _json(self.consistency),
                "pri": _json(self.pri), "coverage": _json(self.coverage),
                "unique_coverage": _json(self.unique_coverage)}

    def __repr__(self) -> str:
        return (f"TermFit({self.term!r}, consistency={_show(self.consistency)}, "
                f"pri={_show(self.pri)}, coverage={_show(self.coverage)}, "
                f"unique_coverage={_show(self.unique_coverage)})")


@dataclass(frozen=True, slots=True)
class SolutionFit:
    """The fit of each term of a sum of products and of the whole (the solution)."""

    terms: tuple[TermFit, ...]
    solution: Fit
    expression: str = ""
    outcome: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"expression": self.expression, "outcome": self.outcome,
                "terms": [t.to_dict() for t in self.terms],
                "solution": self.solution.to_dict()}

    def __repr__(self) -> str:
        return (f"SolutionFit({self.expression!r} -> {self.outcome!r}: "
                f"{len(self.terms)} terms, {self.solution!r})")


def _pair(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    xs = check_membership(x, "x")
    ys = check_membership(y, "y")
    if xs.shape != ys.shape:
        raise InputError(f"y: found {ys.shape[0]} memberships; expected {xs.shape[0]}, as "
                         "many as x")
    return xs, ys


def _sufficiency(x: np.ndarray, y: np.ndarray) -> Fit:
    both = np.minimum(x, y)
    overlap = _sum(both)
    contradictory = _sum(np.minimum(both, 1.0 - y))
    size = _sum(x)
    return Fit(consistency=_ratio(overlap, size),
               pri=_ratio(overlap - contradictory, size - contradictory),
               coverage=_ratio(overlap, _sum(y)))


def sufficiency(x: Any, y: Any) -> Fit:
    """The fit of X => Y (X a subset of Y): consistency, PRI and coverage.

    >>> sufficiency([0.2, 0.8, 1.0], [0.4, 0.9, 0.6])
    Fit(consistency=0.800, pri=0.692, coverage=0.842)
    """
    return _sufficiency(*_pair(x, y))


def necessity(x: Any, y: Any) -> NecessityFit:
    """The fit of X <= Y (X a superset of Y, i.e. necessary for Y): consistency, coverage,
    relevance of necessity (RoN).

    >>> necessity([0.9, 0.8, 0.3], [0.7, 0.6, 0.2])
    NecessityFit(consistency=1.000, coverage=0.750, relevance=0.667)
    """
    xs, ys = _pair(x, y)
    both = np.minimum(xs, ys)
    overlap = _sum(both)
    return NecessityFit(consistency=_ratio(overlap, _sum(ys)),
                        coverage=_ratio(overlap, _sum(xs)),
                        relevance=_ratio(_sum(1.0 - xs), _sum(1.0 - both)))


def outcome_membership(table: SetTable, outcome: str | Expression | Any,
                       ) -> tuple[np.ndarray, str]:
    """The outcome's memberships and its text: a column name, ``~NAME``, any expression,
    or an array of memberships (shown as ``"outcome"``)."""
    if isinstance(outcome, Expression):
        return outcome.membership(table), str(outcome)
    if isinstance(outcome, str):
        parsed = _parse(outcome, table, "outcome")
        return parsed.membership(table), str(parsed)
    values = check_membership(outcome, "outcome")
    if values.shape[0] != len(table.cases):
        raise InputError(f"outcome: found {values.shape[0]} memberships; expected "
                         f"{len(table.cases)}, one per case")
    return values, "outcome"


def _parse(text: str, table: SetTable, parameter: str) -> Expression:
    try:
        return parse_expression(text, table)
    except InputError as error:
        message = str(error)
        if message.startswith("expression: ") and parameter != "expression":
            message = f"{parameter}: " + message[len("expression: "):]
        raise InputError(message) from None


def as_expression(table: SetTable, expression: str | Expression, parameter: str = "expression",
                  ) -> Expression:
    """``expression`` parsed against the table's sets (an Expression is checked too)."""
    if isinstance(expression, Expression):
        missing = [n for n in expression.sets if n not in table.names]
        if missing:
            return _parse(str(expression), table, parameter)
        return expression
    return _parse(expression, table, parameter)


def term_fits(terms: Sequence[np.ndarray], y: np.ndarray, names: Sequence[str],
              ) -> tuple[TermFit, ...]:
    """Each term's fit, with unique coverage as QCA's ``C_pof`` computes it."""
    overlaps = [np.minimum(t, y) for t in terms]
    total = _sum(y)
    fits: list[TermFit] = []
    for index, (term, name) in enumerate(zip(terms, names, strict=True)):
        base = _sufficiency(term, y)
        unique: float | None = None
        if len(terms) > 1:
            # covS - sum(min(term * y, max of the other terms * y)) / sum(y), as C_pof.
            others = np.max([o for i, o in enumerate(overlaps) if i != index], axis=0)
            unique = base.coverage - _ratio(_sum(np.minimum(overlaps[index], others)), total)
            if abs(unique) < _NOISE:
                unique = 0.0
        fits.append(TermFit(name, base.consistency, base.pri, base.coverage, unique))
    return tuple(fits)


def fit(table: SetTable, outcome: str | Expression | Any, expression: str | Expression,
        ) -> SolutionFit:
    """The fit of ``expression`` (a sum of products) as sufficient for ``outcome``: each
    term's consistency, PRI, coverage and unique coverage, and the whole solution's.

    ``outcome`` is a column, ``~COLUMN`` for its negation, an expression, or an array.
    """
    y, outcome_text = outcome_membership(table, outcome)
    parsed = as_expression(table, expression)
    terms = parsed.terms
    values = [t.membership(table) for t in terms]
    fits = term_fits(values, y, [str(t) for t in terms])
    whole = _sufficiency(parsed.membership(table), y)
    return SolutionFit(fits, whole, str(parsed), outcome_text)
