"""Tables of results as formatted cells, shared by the terminal and the report.

A :class:`ResultTable` holds strings only; the CLI prints it (Rich), the report's templates
render it as HTML, Markdown or LaTeX. Both read the same rows, so the numbers a terminal
shows are the numbers a paper gets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .analysis import Analysis
from .decision import Scope, decide

__all__ = ["ResultTable", "result_tables"]


@dataclass(frozen=True, slots=True)
class ResultTable:
    """A table of formatted cells; templates render it as HTML, Markdown or LaTeX."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _same(name: str) -> str:
    return name


def result_tables(analysis: Analysis, name: Callable[[str], str] = _same
                  ) -> tuple[ResultTable, ResultTable]:
    """The per-period and the per-year results: beliefs, predicted, observed, congruence.

    ``name`` shows a level (the report: ``hold up``; the terminal: ``hold_up``). A tie shows
    as ``tie: a, b``; a row with no evidence on the outcome shows ``no evidence`` and ``-``
    (with the outcome's prior beside it when the case's ``priors:`` give one).
    """
    variables = analysis.theory.variables
    outcome = analysis.theory.outcome.levels
    outcome_prior = analysis.theory.outcome.name in analysis.case.priors
    names = [*(v.name for v in variables), analysis.theory.outcome.name]
    columns = (*(f"P({v.levels[0]})" for v in variables), "predicted", "observed",
               "congruence", "items")

    def shown(row: object) -> str:
        decision = decide(outcome, row)  # type: ignore[arg-type]
        label = (decision.level if decision.level is not None
                 else f"tie: {', '.join(decision.top)}")
        return f"{name(label)} {decision.probability:.2f}"

    def cells(index: int, scope: Scope) -> tuple[str, ...]:
        out = [f"{analysis.beliefs[v.name].probabilities(scope)[index][0]:.2f}"
               for v in variables]
        count = sum(int(analysis.beliefs[n].counts(scope)[index]) for n in names)
        out.append(shown(analysis.predicted(scope)[index]))
        if analysis.outcome.counts(scope)[index]:
            out += [shown(analysis.observed(scope)[index]),
                    f"{float(analysis.congruence(scope)[index]):.2f}"]
        elif outcome_prior:
            # The case's prior on the outcome is what "observed" holds without evidence.
            out += [f"no evidence (prior {shown(analysis.observed(scope)[index])})", "-"]
        else:
            out += ["no evidence", "-"]
        return (*out, str(count))

    periods = ResultTable("Results by period", ("period", "years", *columns), tuple(
        (p.id, f"{p.start}-{p.end}", *cells(i, Scope.PERIOD))
        for i, p in enumerate(analysis.case.periods)))
    years = ResultTable("Results by year", ("year", *columns), tuple(
        (str(year), *cells(i, Scope.YEAR)) for i, year in enumerate(analysis.years)))
    return periods, years
