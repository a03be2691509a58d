"""The cross-case figures: every case-period on the theory's map, and an XY plot per rule."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from ..report.content import human
from ..report.figures import PALETTE, _figure, _place_labels, _positions, _text, draw_rule_grid
from ..theory import Theory

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .compare import CaseComparison
    from .setfit import RuleFit, SetResult

__all__ = ["plot_study_map", "plot_xy", "row_numbers"]

_MARKERS = ("o", "s", "^", "D", "v", "P", "X")


def row_numbers(comparison: CaseComparison) -> dict[str, int]:
    """The number each row carries on the map (1, 2, ...), in row order."""
    return {row.id: index + 1 for index, row in enumerate(comparison.rows)}


def plot_study_map(comparison: CaseComparison, theory: Theory) -> Figure | None:
    """The theory's grid of outcomes with every case-period at its expected position.

    The cell is the theory's prediction for the conditions' most probable levels; a marker's
    shape is the row's predicted outcome and its colour the observed one (grey: no evidence or
    a tie); numbers refer to the rows' table. Rows of cases whose theory has other variables
    are not drawn. ``None`` unless the theory has two variables.
    """
    if len(theory.variables) != 2:
        return None
    first, second = theory.variables
    outcome = theory.outcome.levels
    figure = _figure(6.8, 6.0)
    axes = figure.add_subplot()
    draw_rule_grid(axes, theory)
    numbers = row_numbers(comparison)
    names = {v.name for v in theory.variables}
    placed = [r for r in comparison.rows if set(r.conditions) == names]
    if not placed:
        return None
    comparison = replace(comparison, rows=tuple(placed))
    px = np.array([[r.conditions[first.name][lv] for lv in first.levels]
                   for r in comparison.rows])
    py = np.array([[r.conditions[second.name][lv] for lv in second.levels]
                   for r in comparison.rows])
    xs, ys = _positions(px), len(second.levels) - _positions(py)
    for predicted in (*outcome, None):
        chosen = [k for k, r in enumerate(comparison.rows) if r.predicted_level == predicted]
        if not chosen:
            continue
        colours = [PALETTE[outcome.index(lv) % len(PALETTE)] if lv else "#BBBBBB"
                   for lv in (comparison.rows[k].observed_level for k in chosen)]
        marker = _MARKERS[outcome.index(predicted) % len(_MARKERS)] if predicted else "x"
        axes.scatter(xs[chosen], ys[chosen], s=70, c=colours, marker=marker, zorder=3,
                     edgecolors="#222222", linewidths=0.8)
        axes.scatter([], [], s=60, marker=marker, color="#FFFFFF", edgecolors="#222222",
                     label=f"predicted: {human(predicted) if predicted else 'tie'}")
    for level in dict.fromkeys(r.observed_level for r in comparison.rows):
        axes.scatter([], [], s=60, color=PALETTE[outcome.index(level) % len(PALETTE)]
                     if level else "#BBBBBB", edgecolors="#222222",
                     label=f"observed: {human(level) if level else 'no evidence / tie'}")
    spans = [(str(numbers[r.id]), float(x), float(y))
             for r, x, y in zip(comparison.rows, xs, ys, strict=True)]
    for label, x, y, offset in _place_labels(spans):
        axes.annotate(label, (x, y), xytext=offset, textcoords="offset points", fontsize=8,
                      ha="left" if offset[0] > 0 else "right", zorder=4)
    used = sorted({r.theory for r in comparison.rows})
    cells = (f"cell: the rule table of {theory.name}" if used == [theory.name] else
             f"cell: the rule table of {theory.name} (rows under {', '.join(used)} are "
             "predicted by their own)")
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=3, frameon=False,
                title=f"{_text(cells, 90)};\nmarker shape: predicted, colour: observed; "
                      "numbers: rows of the table")
    axes.set_title(f"{_text(comparison.study.title, 60)}\n{len(comparison.rows)} case-"
                   f"{comparison.unit}s", loc="left")
    axes.set_aspect("equal")
    return figure


def plot_xy(result: SetResult, rule: RuleFit, numbers: dict[str, int]) -> Figure:
    """An XY plot of a sufficiency claim: membership in the rule's conditions (X) against
    the observed outcome (Y); points below the diagonal contradict sufficiency."""
    from ..sets import parse_expression

    table = result.table
    x = parse_expression(rule.expression, table.names).membership(table)
    y = table.column(result.outcomes[rule.outcome])
    figure = _figure(4.6, 4.6)
    axes = figure.add_subplot()
    axes.plot([0, 1], [0, 1], color="#777777", linewidth=1.0, zorder=1)
    axes.axhline(0.5, color="#BBBBBB", linewidth=0.8, zorder=0)
    axes.axvline(0.5, color="#BBBBBB", linewidth=0.8, zorder=0)
    axes.scatter(x, y, s=36, color=PALETTE[0], edgecolors="#222222", linewidths=0.6, zorder=3)
    spans = [(str(numbers.get(case, "?")), float(a), float(b))
             for case, a, b in zip(table.cases, x, y, strict=True)]
    scale_spans = [(label, a * 3, b * 3) for label, a, b in spans]
    for (label, a, b), (_, _, _, offset) in zip(spans, _place_labels(scale_spans),
                                                strict=True):
        axes.annotate(label, (a, b), xytext=offset, textcoords="offset points", fontsize=7)
    axes.set_xlim(-0.03, 1.03)
    axes.set_ylim(-0.03, 1.03)
    axes.set_aspect("equal")
    axes.set_xlabel(_text(f"X: {rule.expression}", 60))
    axes.set_ylabel(_text(f"Y: {result.outcomes[rule.outcome]}", 60))
    cons = "-" if not np.isfinite(rule.consistency) else f"{rule.consistency:.3f}"
    cov = "-" if not np.isfinite(rule.coverage) else f"{rule.coverage:.3f}"
    axes.set_title(f"{_text(rule.rule, 55)}\n{result.membership.label}: consistency {cons}, "
                   f"coverage {cov}", loc="left", fontsize=8)
    return figure
