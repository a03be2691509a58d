"""The smallest sets of evidence items whose removal flips a conclusion.

For a weighed belief (a variable or the observed strategy) the log-score of each level is the
prior plus a sum of item weights, so the conclusion ``a`` beats a challenger ``j`` by the margin
``m_j = score_a - score_j``. Removing item ``i`` lowers that margin by its signed contribution
``c_i = w_i`` if it points at ``a``, ``-w_i`` if it points at ``j``, ``0`` otherwise. The fewest
removals that bring ``m_j`` to zero or below are the items with the largest ``c_i``, taken in
order until their sum reaches ``m_j``: exact, by an exchange argument. The conclusion flips as
soon as any challenger catches up, so the smallest flip set is the smallest over challengers.
With two levels this is the familiar "how many of the strongest supporting items must go".

The predicted strategy depends on several variables through the rule table, so no sum
argument applies; its flip set is found greedily (remove, one at a time, the item whose
removal most lowers the predicted level's lead). That set flips the prediction but may not be
the smallest: it is an upper bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..analysis import Analysis, most_probable_level
from ..decision import CheckVerdict, Scope
from ..predict import predict_strategy
from ._core import TIE, CheckResult, ConclusionChange, ConclusionKey

__all__ = ["FlipSet", "flip_set_check", "minimal_flip_count", "smallest_flip_sets"]

FloatArray = npt.NDArray[np.float64]
MAX_GREEDY_STEPS = 200

ASSUMPTIONS = (
    "Removing items leaves the other items' weights unchanged.",
    "A tie counts as a flip.",
    "Weighed beliefs: the flip set is the smallest (exact, sum of log-likelihood ratios).",
    "Predicted outcome: the flip set is found greedily and is an upper bound on the smallest.",
)


@dataclass(frozen=True, slots=True)
class FlipSet:
    """The fewest items whose removal flips one conclusion.

    ``ids`` is empty when no set was found: for an exact search that means no removal can flip
    the conclusion; for the greedy search (predicted strategy) only that the search gave up, and
    ``describe()`` says which.
    """

    variable: str
    scope: str
    at: int | str
    level: str
    ids: tuple[str, ...]
    to: str | None
    exact: bool

    @property
    def size(self) -> int | None:
        return len(self.ids) if self.ids else None

    def describe(self) -> str:
        """The size, marked when it is only an upper bound, or why there is none."""
        if self.ids:
            return str(self.size) if self.exact else f"<= {self.size}"
        return "cannot flip" if self.exact else "not found (greedy)"

    def to_dict(self) -> dict[str, Any]:
        return {"variable": self.variable, self.scope: self.at, "level": self.level,
                "ids": list(self.ids), "size": self.size, "to": self.to,
                "method": "exact" if self.exact else "greedy (upper bound)",
                "result": self.describe()}


def minimal_flip_count(margin: float, contributions: FloatArray) -> int | None:
    """Fewest removals bringing ``margin`` to <= 0 (``None`` if removing everything cannot)."""
    positive = np.sort(contributions[contributions > 0])[::-1]
    reached = np.flatnonzero(margin - np.cumsum(positive) <= TIE)
    return int(reached[0]) + 1 if len(reached) else None


def _covering(analysis: Analysis, scope: Scope) -> list[npt.NDArray[np.int64]]:
    """Per year (or period) of ``scope``, the table rows that count in it, ascending: one pass
    over the (row, year) pairs instead of one scan of the table per year."""
    table = analysis.table
    n_places = len(analysis.labels(scope))
    if scope is Scope.YEAR:
        span = (table.end - table.start + 1).astype(np.int64)
        rows = np.repeat(np.arange(len(table), dtype=np.int64), span)
        offset = np.arange(len(rows)) - np.repeat(np.cumsum(span) - span, span)
        place = (table.start[rows] - analysis.case.start + offset).astype(np.int64)
        order = np.argsort(place, kind="stable")
        bounds = np.searchsorted(place[order], np.arange(n_places + 1))
        return [rows[order[bounds[i]:bounds[i + 1]]] for i in range(n_places)]
    return [np.flatnonzero((table.start <= period.end) & (table.end >= period.start))
            for period in analysis.case.periods]


def _weighed(analysis: Analysis, target: int, scope: Scope, row: int,
             label: str, covering: npt.NDArray[np.int64],
             padded: tuple[FloatArray, npt.NDArray[np.bool_]]) -> FlipSet | None:
    name, levels, _ = analysis.theory.targets[target]
    beliefs = analysis.beliefs[name]
    scores = beliefs.scores(scope)[row]
    order = np.argsort(-scores, kind="stable")
    if scores[order[0]] - scores[order[1]] <= TIE:
        return None
    top = int(order[0])
    at = analysis.labels(scope)[row]
    table = analysis.table
    k = len(levels)
    matrix, impossible = padded
    finite = beliefs.finite_scores(scope)[row]
    ruled = beliefs.ruled_out(scope)[row]
    rows = covering[table.target[covering] == target]
    best: tuple[int, list[str], str] | None = None
    for challenger in range(len(levels)):
        if challenger == top:
            continue
        weights = matrix[rows, :k]
        contribution = weights[:, top] - weights[:, challenger]
        # A ruled-out challenger comes back only once every item ruling it out is gone.
        forced = impossible[rows, challenger]
        margin = float(finite[top] - finite[challenger]) - float(contribution[forced].sum())
        free = contribution[~forced]
        count = minimal_flip_count(margin, free)
        if count is None and margin <= TIE:
            count = 0
        if count is None:
            continue
        count += int(forced.sum())
        if best is not None and count >= best[0]:
            continue
        picked = rows[~forced][np.argsort(-free, kind="stable")[:count - int(forced.sum())]]
        chosen = np.concatenate([rows[forced], picked]).astype(np.int64)
        if not len(chosen):
            continue
        # Name what the conclusion becomes: the new leader, or a tie.
        after = finite - matrix[chosen, :k].sum(axis=0)
        left = ruled - impossible[chosen, :k].sum(axis=0)
        after = np.where(left > 0, -np.inf, after)
        probabilities = np.exp(after - after.max())
        best = (count, [table.ids[int(i)] for i in chosen],
                most_probable_level(levels, probabilities / probabilities.sum()))
    ids, to = (tuple(best[1]), best[2]) if best else ((), None)
    return FlipSet(label, scope, at, levels[top], ids, to, True)


def _effects(analysis: Analysis, padded: tuple[FloatArray, npt.NDArray[np.bool_]]
             ) -> npt.NDArray[np.int64]:
    """Per table row, a label shared by exactly the rows with the same target, weights and
    ruled-out levels (the same effect when removed)."""
    table = analysis.table
    if not len(table):
        return np.zeros(0, np.int64)
    matrix, impossible = padded
    effect = np.column_stack([table.target.astype(np.float64), matrix, impossible])
    _, label = np.unique(effect, axis=0, return_inverse=True)
    return np.asarray(label, np.int64).ravel()


def _predicted(analysis: Analysis, scope: Scope, row: int, covering: npt.NDArray[np.int64],
               padded: tuple[FloatArray, npt.NDArray[np.bool_]],
               effects: npt.NDArray[np.int64]) -> FlipSet | None:
    theory, table = analysis.theory, analysis.table
    predicted = analysis.predicted(scope)[row]
    order = np.argsort(-predicted, kind="stable")
    if predicted[order[0]] - predicted[order[1]] <= TIE:
        return None
    top = int(order[0])
    at = analysis.labels(scope)[row]
    n_variables = len(theory.variables)
    candidates = covering[table.target[covering] < n_variables]
    scores = {v.name: analysis.beliefs[v.name].finite_scores(scope)[row].copy()
              for v in theory.variables}
    ruled = {v.name: analysis.beliefs[v.name].ruled_out(scope)[row].copy()
             for v in theory.variables}
    matrix, impossible = padded
    # Items with the same variable, weights and ruled-out levels have the same effect: each
    # step weighs one removal per distinct effect (exact), then picks the first item of the
    # best one, in table order.
    _, first, label = np.unique(effects[candidates], return_index=True, return_inverse=True)
    label = np.asarray(label, np.int64).ravel()
    kind_items = candidates[first]
    removed: list[int] = []
    remaining = np.arange(len(candidates))

    def without(state: dict[str, FloatArray], counts: dict[str, Any], item: int
                ) -> tuple[dict[str, FloatArray], dict[str, Any]]:
        variable = theory.variables[int(table.target[item])].name
        k = len(state[variable])
        return ({**state, variable: state[variable] - matrix[item, :k]},
                {**counts, variable: counts[variable] - impossible[item, :k]})

    for _ in range(MAX_GREEDY_STEPS):
        if not len(remaining):
            break
        by_kind = _predictions(scores, ruled, kind_items, table, matrix, impossible, theory)
        lead_by_kind = by_kind[:, top] - np.delete(by_kind, top, axis=1).max(axis=1)
        lead = lead_by_kind[label[remaining]]
        pick = int(np.argmin(lead))
        current = _prediction(scores, ruled, theory)
        if lead[pick] >= current[top] - np.delete(current, top).max() - TIE:
            break
        outcome = by_kind[label[remaining[pick]]]
        item = int(candidates[remaining[pick]])
        remaining = np.delete(remaining, pick)
        removed.append(item)
        scores, ruled = without(scores, ruled, item)
        if lead[pick] <= TIE:
            flipped = np.delete(outcome, top)
            others = [lv for i, lv in enumerate(theory.outcome.levels) if i != top]
            return FlipSet(analysis.theory.predicted_name, scope, at, theory.outcome.levels[top],
                           tuple(table.ids[i] for i in removed), others[int(np.argmax(flipped))],
                           False)
    return FlipSet(analysis.theory.predicted_name, scope, at, theory.outcome.levels[top], (),
                   None, False)


def _distribution(scores: FloatArray, ruled: Any) -> FloatArray:
    scores = np.where(ruled > 0, -np.inf, scores)
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return weights / weights.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]


def _predictions(scores: dict[str, FloatArray], ruled: dict[str, Any],
                 items: npt.NDArray[np.int64], table: Any, matrix: FloatArray,
                 impossible: npt.NDArray[np.bool_], theory: Any) -> FloatArray:
    """The predicted outcome after removing each of ``items`` alone (rows), at once."""
    distributions = {}
    for index, (name, row) in enumerate(scores.items()):
        k = len(row)
        mine = table.target[items] == index
        rows = np.tile(_distribution(row, ruled[name]), (len(items), 1))
        if mine.any():
            rows[mine] = _distribution(row - matrix[items[mine], :k],
                                       ruled[name] - impossible[items[mine], :k])
        distributions[name] = rows
    return predict_strategy(distributions, theory)  # type: ignore[no-any-return]


def _prediction(scores: dict[str, FloatArray], ruled: dict[str, Any],
                theory: Any) -> FloatArray:
    distributions = {name: _distribution(row, ruled[name])[None, :]
                     for name, row in scores.items()}
    return predict_strategy(distributions, theory)[0]  # type: ignore[no-any-return]


def smallest_flip_sets(analysis: Analysis) -> dict[ConclusionKey, FlipSet]:
    """The smallest flip set of every decided conclusion (see the module docstring)."""
    out: dict[ConclusionKey, FlipSet] = {}
    n_variables = len(analysis.theory.variables)
    padded = analysis.table.width(max(len(levels) for _, levels, _ in analysis.theory.targets))
    effects = _effects(analysis, padded)
    for scope in Scope:
        n_rows = len(analysis.labels(scope))
        covering = _covering(analysis, scope)
        for target, (name, _, _) in enumerate(analysis.theory.targets):
            label = analysis.theory.observed_name if target == n_variables else name
            for row in range(n_rows):
                found = _weighed(analysis, target, scope, row, label, covering[row], padded)
                if found is not None:
                    out[(label, scope, found.at)] = found
        for row in range(n_rows):
            found = _predicted(analysis, scope, row, covering[row], padded, effects)
            if found is not None:
                out[(analysis.theory.predicted_name, scope, found.at)] = found
    return out


def flip_set_check(analysis: Analysis, *, rng: np.random.Generator) -> CheckResult:
    """How many items would have to go to flip each conclusion?"""
    if any(b.dynamic for b in analysis.beliefs.values()):
        return CheckResult(
            "smallest_flip_sets",
            "What is the fewest evidence items whose removal flips each conclusion?",
            ASSUMPTIONS, CheckVerdict.NOT_APPLICABLE,
            "flip sets are computed with fixed priors only (infer.priors = fixed): with "
            "dynamic priors an item also moves the years after it, so margins are not sums",
            (), (), {"flip_sets": [], "threshold": 2}, {})
    sets = smallest_flip_sets(analysis)
    sizes = [s.size for s in sets.values() if s.size is not None]
    small = [s for s in sets.values() if s.size is not None and s.size <= 2]
    changes = tuple(ConclusionChange(s.variable, s.scope, s.at, s.level, s.to,
                                     f"without {', '.join(s.ids)}") for s in small)
    summary = (f"smallest flip sets: median {int(np.median(sizes))} items, minimum "
               f"{min(sizes)}; {len(small)} conclusions flip by removing two items or fewer"
               if sizes else "no conclusion can be flipped by removing items")
    return CheckResult(
        "smallest_flip_sets",
        "What is the fewest evidence items whose removal flips each conclusion?",
        ASSUMPTIONS, CheckVerdict.of(small), summary, (), changes,
        {"flip_sets": [s.to_dict() for s in sets.values()], "threshold": 2}, sets)
