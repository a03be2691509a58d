"""Set-theoretic fit of a study under one membership choice.

Sets come from the rows' posterior probabilities (:class:`~multilat.study.model.Membership`):

- each *condition* is a level of a theory variable. A variable with two levels is one set, its
  first level (the second is its negation, ``~``); a variable with more levels is one set per
  level. Memberships in a union of levels (a rule naming several) is their fuzzy union (max),
  as in QCA, not the probability of the union;
- each *outcome* set is one level of the observed outcome (``OBSERVED_<LEVEL>``).

Set names are valid R names in capitals (``BALANCE_OF_OUTSIDE_OPTIONS_FAVORABLE``), so that R's
QCA reads ``~`` as negation and never mistakes a lower-case name for a negated one.

Each rule of the theory's table is read as a sufficiency claim (its conditions => its
outcome). The truth table, necessity and the theory evaluation use the calculator of
:mod:`multilat.sets`, whose numbers are those of R's QCA package.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..decision import TIE_TOLERANCE
from ..errors import InputError
from ..theory import Theory
from .model import Membership

__all__ = ["RuleFit", "SetResult", "r_name", "set_fit", "set_names", "undecided_rows"]

_VALID = re.compile(r"[^A-Za-z0-9._]")


def r_name(text: str) -> str:
    """A syntactically valid R name (as R's ``make.names`` makes them)."""
    name = _VALID.sub(".", text)
    if not name or not (name[0].isalpha() or (name[0] == "." and not name[1:2].isdigit())):
        name = "X" + name
    return name


def set_names(theory: Theory) -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    """``({(variable, level): column}, {outcome level: column})``; a two-level variable's
    second level has no column (it is the negation of the first)."""
    conditions: dict[tuple[str, str], str] = {}
    for variable in theory.variables:
        shown = variable.levels[:1] if len(variable.levels) == 2 else variable.levels
        for level in shown:
            conditions[(variable.name, level)] = r_name(f"{variable.name}_{level}").upper()
    outcomes = {level: r_name(f"observed_{level}").upper() for level in theory.outcome.levels}
    return conditions, outcomes


def _level_expression(theory: Theory, variable: str, levels: Sequence[str],
                      columns: dict[tuple[str, str], str]) -> str | None:
    all_levels = theory.variable(variable).levels
    if set(levels) >= set(all_levels):
        return None
    if len(all_levels) == 2:
        return columns[(variable, all_levels[0])] if levels[0] == all_levels[0] \
            else "~" + columns[(variable, all_levels[0])]
    parts = [columns[(variable, level)] for level in levels]
    return parts[0] if len(parts) == 1 else "(" + " + ".join(parts) + ")"


def rule_expressions(theory: Theory) -> list[tuple[str, str, str]]:
    """``(rule text, expression, outcome level)`` for each rule with at least one condition."""
    columns, _ = set_names(theory)
    out = []
    for rule in theory.rules:
        parts = [_level_expression(theory, v.name, rule.when[v.name], columns)
                 for v in theory.variables if v.name in rule.when]
        parts = [p for p in parts if p]
        if not parts:
            continue
        text = " and ".join(f"{v} = {' or '.join(levels)}" for v, levels in rule.when.items())
        out.append((f"{text} -> {rule.then}", "*".join(parts), rule.then))
    return out


@dataclass(frozen=True, slots=True)
class RuleFit:
    """One rule of the theory's table read as a sufficiency claim."""

    rule: str
    expression: str
    outcome: str
    consistency: float
    pri: float
    coverage: float
    cases: int
    types: tuple[Any, ...]

    def to_dict(self) -> dict[str, Any]:
        counts: dict[str, list[str]] = {}
        for t in self.types:
            counts.setdefault(t.kind, []).append(t.case)
        return {"rule": self.rule, "expression": self.expression, "outcome": self.outcome,
                "consistency": _round(self.consistency), "pri": _round(self.pri),
                "coverage": _round(self.coverage), "cases_in_x": self.cases,
                "typology": counts}


def _round(value: float | None) -> float | None:
    if value is None or not np.isfinite(value):
        return None
    return round(float(value), 6)


@dataclass(frozen=True, slots=True)
class SetResult:
    """Everything set-theoretic under one membership choice."""

    membership: Membership
    table: Any                       # multilat.sets.SetTable (None when it failed)
    conditions: tuple[str, ...]
    outcomes: dict[str, str]
    rules: tuple[RuleFit, ...] = ()
    necessity: tuple[dict[str, Any], ...] = ()
    truth_tables: dict[str, Any] | None = None
    evaluations: dict[str, Any] | None = None
    theory_expressions: dict[str, str] | None = None
    error: str | None = None
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"membership": self.membership.to_dict(), "error": self.error,
                               "conditions": list(self.conditions),
                               "outcomes": dict(self.outcomes), "notes": list(self.notes)}
        if self.error is None:
            out["sufficiency"] = [r.to_dict() for r in self.rules]
            out["necessity"] = list(self.necessity)
            out["truth_tables"] = {k: v.to_dict() for k, v in (self.truth_tables or {}).items()}
            out["theory_evaluation"] = {k: v.to_dict()
                                        for k, v in (self.evaluations or {}).items()}
            out["theory_expressions"] = dict(self.theory_expressions or {})
        return out


def _membership_table(rows: Sequence[Any], theory: Theory,
                      membership: Membership) -> tuple[Any, tuple[str, ...], dict[str, str]]:
    from ..sets import SetTable

    ids = tuple(r.id for r in rows)
    conditions, outcomes = set_names(theory)
    columns: dict[str, Any] = {}
    for (variable, level), column in conditions.items():
        p = np.array([r.conditions[variable][level] for r in rows])
        columns[column] = membership.apply(p, ids, column)
    for level, column in outcomes.items():
        p = np.array([r.observed[level] for r in rows])
        columns[column] = membership.apply(p, ids, column)
    return SetTable(ids, columns), tuple(conditions.values()), outcomes


def _solution(table: Any, conditions: tuple[str, ...]) -> str | None:
    """The disjunction of the truth table's sufficient rows (equal as a set to QCA's
    conservative solution, before minimisation)."""
    terms = ["*".join(c if bit else f"~{c}" for c, bit in zip(conditions, row.config,
                                                              strict=True))
             for row in table.rows if row.out == "1"]
    return " + ".join(terms) if terms else None


def undecided_rows(rows: Sequence[Any], theory: Theory) -> list[str]:
    """Rows where no evidence decides a condition set: its probability is 0.5 (within the tie
    tolerance). Such a row belongs to no truth-table row, and R's QCA refuses it."""
    conditions, _ = set_names(theory)
    return [r.id for r in rows
            if any(abs(r.conditions[variable][level] - 0.5) <= TIE_TOLERANCE
                   for variable, level in conditions)]


def set_fit(rows: Sequence[Any], theory: Theory, membership: Membership,
            incl_cut: float = 0.8, undecided: str = "exclude") -> SetResult:
    """Truth tables, sufficiency of each rule, necessity and the theory evaluation.

    ``undecided``: ``"exclude"`` leaves out the rows no evidence decides
    (:func:`undecided_rows`), with a note naming them, so that every membership choice is
    computed on the same rows; ``"error"`` keeps them, so a crisp membership refuses them and
    a truth table cannot be built.
    """
    from .. import sets

    if undecided not in ("exclude", "error"):
        raise InputError(f"undecided: found {undecided!r}; expected exclude or error")
    notes: list[str] = []
    left_out = undecided_rows(rows, theory) if undecided == "exclude" else []
    if left_out:
        rows = [r for r in rows if r.id not in set(left_out)]
        notes.append(f"left out of the set-theoretic analysis: {', '.join(left_out)} (no "
                     "evidence decides a condition: P = 0.5, which belongs to no truth-table "
                     "row)")
    if not rows:
        conditions_, outcomes_ = set_names(theory)
        return SetResult(membership, None, tuple(conditions_.values()), outcomes_,
                         error="no row left: every row has an undecided condition",
                         notes=tuple(notes))
    try:
        table, conditions, outcomes = _membership_table(rows, theory, membership)
    except InputError as error:
        conditions_, outcomes_ = set_names(theory)
        return SetResult(membership, None, tuple(conditions_.values()), outcomes_,
                         error=str(error), notes=tuple(notes))
    ids = table.cases
    rules = []
    names = table.names
    theory_parts: dict[str, list[str]] = {}
    for text, expression, level in rule_expressions(theory):
        x = sets.parse_expression(expression, names).membership(table)
        y = table.column(outcomes[level])
        fit = sets.sufficiency(x, y)
        try:
            types = tuple(sets.typology(x, y, ids))
        except InputError as error:
            types = ()
            notes.append(f"no case typology for {text}: {error}")
        rules.append(RuleFit(text, expression, level, fit.consistency, fit.pri, fit.coverage,
                             int((x > 0.5).sum()), types))
        theory_parts.setdefault(level, []).append(expression)
    necessity = []
    for condition in conditions:
        for negated in (False, True):
            name = f"~{condition}" if negated else condition
            x = sets.parse_expression(name, names).membership(table)
            for column in outcomes.values():
                result = sets.necessity(x, table.column(column))
                necessity.append({"condition": name, "outcome": column,
                                  "consistency": _round(result.consistency),
                                  "coverage": _round(result.coverage),
                                  "relevance": _round(result.relevance)})
    truth_tables: dict[str, Any] = {}
    evaluations: dict[str, Any] = {}
    expressions = {level: " + ".join(parts) for level, parts in theory_parts.items()}
    for level, column in outcomes.items():
        try:
            truth = sets.truth_table(table, column, conditions, incl_cut=incl_cut)
        except InputError as error:
            notes.append(f"no truth table for {column}: {error}")
            continue
        truth_tables[column] = truth
        solution = _solution(truth, conditions)
        if level not in expressions:
            notes.append(f"no rule of the theory predicts {level}: no theory evaluation")
            continue
        if solution is None:
            notes.append(f"no truth-table row is sufficient for {column} at incl.cut "
                         f"{incl_cut:g}: no empirical solution to evaluate the theory against")
            continue
        try:
            evaluations[column] = sets.theory_evaluation(table, expressions[level], solution,
                                                         column)
        except InputError as error:
            notes.append(f"no theory evaluation for {column}: {error}")
    return SetResult(membership, table, conditions, outcomes, tuple(rules), tuple(necessity),
                     truth_tables, evaluations, expressions, None, tuple(notes))
