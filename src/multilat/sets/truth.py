"""Truth tables from fuzzy or crisp memberships, as R's ``QCA::truthTable`` builds them.

Every one of the 2^k configurations of k conditions is a row (R's ``complete = TRUE``),
numbered as R numbers them (the first condition is the most significant bit; row 1 is all
absent). A case belongs to the row where its membership is above 0.5 (so in exactly one
row); a membership of exactly 0.5 in a condition has no row and is an error. For each row:
``n`` (its cases), the consistency and PRI of the row's configuration as sufficient for the
outcome (over all cases, fuzzy), and ``out``: ``"1"`` when consistency >= ``incl_cut`` (and
PRI >= ``pri_cut``), ``"0"`` otherwise, ``"?"`` for a remainder (fewer than ``n_cut``
cases; consistency and PRI are ``None`` when the row has no case at all).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError
from ._names import suggest
from .expression import Expression, parse_expression
from .fit import _json, _show, _sufficiency, outcome_membership
from .table import SetTable

__all__ = ["MAX_CONDITIONS", "TruthRow", "TruthTable", "truth_table"]

#: At most this many conditions (2^16 = 65,536 rows).
MAX_CONDITIONS = 16
#: R's agteb ("almost greater than or equal"): a consistency this close below the cut passes.
_TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class TruthRow:
    """One configuration: its values (1 present, 0 absent, in the table's condition order),
    its cases, and its fit as sufficient for the outcome."""

    config: tuple[int, ...]
    n: int
    consistency: float | None
    pri: float | None
    cases: tuple[str, ...]
    out: str

    @property
    def number(self) -> int:
        """R's row number: 1 + the configuration read as a binary number."""
        value = 0
        for bit in self.config:
            value = value * 2 + bit
        return value + 1

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "config": list(self.config), "out": self.out,
                "n": self.n, "consistency": _json(self.consistency), "pri": _json(self.pri),
                "cases": list(self.cases)}

    def __repr__(self) -> str:
        return (f"TruthRow({''.join(map(str, self.config))}, out={self.out}, n={self.n}, "
                f"consistency={_show(self.consistency)}, pri={_show(self.pri)})")


@dataclass(frozen=True, slots=True)
class TruthTable:
    """All 2^k rows, in R's order, and the cut-offs that decided their ``out``."""

    conditions: tuple[str, ...]
    outcome: str
    rows: tuple[TruthRow, ...]
    incl_cut: float = 0.8
    n_cut: int = 1
    pri_cut: float = 0.0

    @property
    def observed(self) -> tuple[TruthRow, ...]:
        """The rows with at least one case."""
        return tuple(r for r in self.rows if r.n > 0)

    def row(self, config: Sequence[int] | str) -> TruthRow:
        """The row of a configuration, given as values or as text such as ``"10101"``."""
        values = tuple(int(c) for c in config)
        if len(values) != len(self.conditions) or any(v not in (0, 1) for v in values):
            raise InputError(f"config: found {config!r}; expected {len(self.conditions)} "
                             "values of 0 or 1")
        return self.rows[TruthRow(values, 0, None, None, (), "?").number - 1]

    def expression(self, row: TruthRow) -> Expression:
        """The row's configuration as an expression (``DEV*~URB*LIT*IND*STB``)."""
        literals = [Expression.set(c) if v else Expression.set(c).negate()
                    for c, v in zip(self.conditions, row.config, strict=True)]
        return Expression.all_of(literals)

    def to_dict(self) -> dict[str, Any]:
        return {"conditions": list(self.conditions), "outcome": self.outcome,
                "incl_cut": self.incl_cut, "n_cut": self.n_cut, "pri_cut": self.pri_cut,
                "rows": [r.to_dict() for r in self.rows]}

    def __repr__(self) -> str:
        positive = sum(r.out == "1" for r in self.rows)
        return (f"TruthTable({self.outcome} on {', '.join(self.conditions)}: "
                f"{len(self.rows)} rows, {len(self.observed)} observed, {positive} out=1)")


def _check_cut(value: Any, name: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name}: found {value!r}; expected a number from {low:g} to "
                         f"{high:g}") from None
    if math.isnan(number) or not low <= number <= high:
        raise InputError(f"{name}: found {value!r}; expected a number from {low:g} to "
                         f"{high:g}")
    return number


def truth_table(table: SetTable, outcome: str | Expression | Any,
                conditions: Sequence[str] | None = None, incl_cut: float = 0.8,
                n_cut: int = 1, *, pri_cut: float = 0.0) -> TruthTable:
    """The complete truth table of ``conditions`` (default: every set that is not in the
    outcome) for ``outcome`` (a column, ``~COLUMN``, an expression or an array)."""
    y, outcome_text = outcome_membership(table, outcome)
    incl_cut = _check_cut(incl_cut, "incl_cut", 0.0, 1.0)
    pri_cut = _check_cut(pri_cut, "pri_cut", 0.0, 1.0)
    if isinstance(n_cut, bool) or not isinstance(n_cut, int | np.integer) or n_cut < 1:
        raise InputError(f"n_cut: found {n_cut!r}; expected a whole number of at least 1")
    if conditions is None:
        if isinstance(outcome, Expression):
            used = set(outcome.sets)
        elif isinstance(outcome, str):
            used = set(parse_expression(outcome, table).sets)
        else:
            used = set()
        chosen = tuple(n for n in table.names if n not in used)
    else:
        chosen = tuple(conditions)
        for name in chosen:
            if name not in table.names:
                raise InputError(f"conditions: found {name!r}; expected one of "
                                 f"{', '.join(table.names)}{suggest(name, table.names)}")
        if len(set(chosen)) != len(chosen):
            twice = next(c for c in chosen if chosen.count(c) > 1)
            raise InputError(f"conditions: found {twice!r} twice; expected each condition "
                             "once")
    if not chosen:
        raise InputError("conditions: found none; expected at least one set besides the "
                         "outcome")
    if len(chosen) > MAX_CONDITIONS:
        raise InputError(f"conditions: found {len(chosen)}; expected at most "
                         f"{MAX_CONDITIONS} (a truth table of 2^{len(chosen)} rows)")
    data = np.column_stack([table.column(c) for c in chosen])
    half = np.argwhere(data == 0.5)
    if half.size:
        case, column = int(half[0][0]), int(half[0][1])
        raise InputError(f"conditions: found a membership of exactly 0.5 for case "
                         f"{table.cases[case]!r} in {chosen[column]!r}; expected a value "
                         "above or below 0.5 (a case at the crossover belongs to no "
                         "truth-table row: recalibrate it)")
    crisp = (data > 0.5).astype(int)
    weights = 2 ** np.arange(len(chosen) - 1, -1, -1)
    members: dict[int, list[int]] = {}
    for index, number in enumerate((crisp @ weights).tolist()):
        members.setdefault(number, []).append(index)
    rows: list[TruthRow] = []
    # product((0, 1), repeat=k) runs through the configurations in R's row order.
    for number, config in enumerate(itertools.product((0, 1), repeat=len(chosen))):
        found = members.get(number)
        if found is None:
            rows.append(TruthRow(config, 0, None, None, (), "?"))
            continue
        cases = tuple(table.cases[i] for i in found)
        membership = np.min(np.where(np.array(config) == 1, data, 1.0 - data), axis=1)
        fit = _sufficiency(membership, y)
        if len(cases) < n_cut:
            out = "?"
        else:
            passes = fit.consistency >= incl_cut - _TOLERANCE and (
                fit.pri >= pri_cut - _TOLERANCE or math.isnan(fit.pri) and pri_cut == 0)
            out = "1" if passes else "0"
        rows.append(TruthRow(config, len(cases), fit.consistency, fit.pri, cases, out))
    return TruthTable(chosen, outcome_text, tuple(rows), incl_cut, int(n_cut), pri_cut)
