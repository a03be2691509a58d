"""Leave each evidence item out: which conclusions does a single item decide?

Removing item ``i`` only subtracts its weight from the log-score of its level in the years
(and periods) it covers, so every leave-one-out analysis is computed at once from the full
one: the cost is linear in the number of (item, year) and (item, period) pairs, not quadratic
in the number of items. For the predicted strategy the changed variable's distribution is
pushed through the rule table with the other variables held at their full-evidence beliefs
(exact, since an item moves one variable only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..analysis import Analysis
from ..decision import CheckVerdict, Scope
from ..predict import predict_strategy
from ._core import TIE, CheckResult, ConclusionChange, ConclusionKey

__all__ = ["LeaveOneOut", "leave_one_out", "leave_one_out_check"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

ASSUMPTIONS = (
    "The other items keep their weights when one is left out (weights are independent).",
    "A conclusion 'flips' when its level is no longer the single most probable one "
    "(a tie counts as a flip).",
    "For the predicted outcome, the other variables keep their full-evidence beliefs.",
)


def _softmax(scores: FloatArray) -> FloatArray:
    shifted = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]


def _top_and_margin(values: FloatArray) -> tuple[IntArray, FloatArray]:
    """Index of the largest entry per row and its gap to the runner-up."""
    order = np.argsort(-values, axis=-1, kind="stable")
    top = order[:, 0]
    rows = np.arange(len(values))
    gap = values[rows, top] - values[rows, order[:, 1]]
    return top.astype(np.int64), gap


def _pairs(analysis: Analysis, scope: Scope) -> tuple[IntArray, IntArray]:
    """``(item index, row)`` for every year (or period) each item counts in."""
    table = analysis.table
    if scope is Scope.YEAR:
        span = (table.end - table.start + 1).astype(np.int64)
        items = np.repeat(np.arange(len(table)), span)
        offsets = np.arange(len(items)) - np.repeat(np.cumsum(span) - span, span)
        return items, (table.start[items] - analysis.case.start + offsets).astype(np.int64)
    items_list, rows_list = [], []
    for row, period in enumerate(analysis.case.periods):
        touches = np.flatnonzero((table.start <= period.end) & (table.end >= period.start))
        items_list.append(touches)
        rows_list.append(np.full(len(touches), row))
    if not items_list:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return (np.concatenate(items_list).astype(np.int64),
            np.concatenate(rows_list).astype(np.int64))


@dataclass(frozen=True, slots=True)
class LeaveOneOut:
    """Every (item, conclusion) effect of leaving one item out.

    Arrays are parallel, one entry per pair: ``item`` indexes ``analysis.table.ids``,
    ``conclusion`` indexes ``keys``; ``before``/``after`` are the probability of the concluded
    level with and without the item; ``flips`` whether the conclusion is lost.
    """

    ids: tuple[str, ...]
    keys: tuple[ConclusionKey, ...]
    levels: tuple[str | None, ...]
    item: IntArray
    conclusion: IntArray
    before: FloatArray
    after: FloatArray
    flips: npt.NDArray[np.bool_]

    def pivotal(self) -> dict[ConclusionKey, list[str]]:
        """For every decided conclusion, the ids whose removal alone flips it."""
        out: dict[ConclusionKey, list[str]] = {
            key: [] for key, level in zip(self.keys, self.levels, strict=True) if level}
        for item, index in zip(self.item[self.flips], self.conclusion[self.flips], strict=True):
            out[self.keys[int(index)]].append(self.ids[int(item)])
        return {key: sorted(set(ids)) for key, ids in out.items()}

    def influences(self, limit: int = 10) -> list[dict[str, Any]]:
        """The ``limit`` largest single-item effects on any conclusion (for a tornado plot)."""
        change = self.after - self.before
        order = np.argsort(-np.abs(change), kind="stable")
        out, seen = [], set()
        for pair in order:
            item = self.ids[int(self.item[pair])]
            if item in seen:
                continue
            seen.add(item)
            variable, scope, at = self.keys[int(self.conclusion[pair])]
            out.append({"id": item, "variable": variable, scope: at,
                        "level": self.levels[int(self.conclusion[pair])],
                        "probability_with": round(float(self.before[pair]), 6),
                        "probability_without": round(float(self.after[pair]), 6),
                        "change": round(float(change[pair]), 6),
                        "flips": bool(self.flips[pair])})
            if len(out) == limit:
                break
        return out


def leave_one_out(analysis: Analysis) -> LeaveOneOut:
    """Leave each item out in turn, for every conclusion at once (linear time).

    With dynamic priors an item also moves the priors of the years after it: its target's
    forward filter is run again from the item's first year on, for every item at once
    (:func:`_dynamic`; linear in items x years).
    """
    if any(b.dynamic for b in analysis.beliefs.values()):
        return _dynamic(analysis)
    theory, table = analysis.theory, analysis.table
    names = [name for name, _, _ in theory.targets]
    n_variables = len(theory.variables)
    keys: list[ConclusionKey] = []
    levels: list[str | None] = []
    parts: dict[str, list[Any]] = {k: [] for k in ("item", "conclusion", "before", "after",
                                                    "flips")}

    def add(items: IntArray, index: IntArray, before: FloatArray, after: FloatArray,
            flips: npt.NDArray[np.bool_]) -> None:
        for key, value in zip(parts, (items, index, before, after, flips), strict=True):
            parts[key].append(value)

    for scope in Scope:
        labels = analysis.labels(scope)
        items, rows = _pairs(analysis, scope)
        marginals = {v.name: analysis.beliefs[v.name].probabilities(scope)
                     for v in theory.variables}
        predicted = analysis.predicted(scope)
        predicted_top, predicted_gap = _top_and_margin(predicted) if len(labels) else (
            np.zeros(0, np.int64), np.zeros(0))
        block_start: dict[str, int] = {}
        for target, name in enumerate(names):
            beliefs = analysis.beliefs[name]
            probabilities = beliefs.probabilities(scope)
            top, gap = _top_and_margin(probabilities)
            block_start[name] = len(keys)
            label = analysis.theory.observed_name if target == n_variables else name
            keys += [(label, scope, at) for at in labels]
            levels += [beliefs.levels[int(t)] if g > TIE else None for t, g in zip(top, gap,
                                                                                    strict=True)]
            chosen = table.target[items] == target
            pair_items, pair_rows = items[chosen], rows[chosen]
            # Removing a row subtracts its weight vector and its ruled-out levels.
            k = len(beliefs.levels)
            matrix, impossible = table.width(k)
            new = beliefs.finite_scores(scope)[pair_rows] - matrix[pair_items, :k]
            if impossible.any():
                still = beliefs.ruled_out(scope)[pair_rows] - impossible[pair_items, :k]
                new = np.where(still > 0, -np.inf, new)
            new_probabilities = _softmax(new)
            old_top = top[pair_rows]
            decided = gap[pair_rows] > TIE
            new_top, new_gap = _top_and_margin(new_probabilities) if len(new) else (old_top, gap[
                pair_rows])
            flips = decided & ((new_top != old_top) | (new_gap <= TIE))
            pick = np.arange(len(new))
            add(pair_items[decided], (block_start[name] + pair_rows)[decided],
                probabilities[pair_rows, old_top][decided],
                new_probabilities[pick, old_top][decided], flips[decided])
            if target >= n_variables or not len(pair_items):
                continue
            # The predicted strategy given each level of this variable, the others as they are.
            conditional = np.stack([
                predict_strategy({**marginals, name: np.tile(np.eye(len(beliefs.levels))[level],
                                                             (len(labels), 1))}, theory)
                for level in range(len(beliefs.levels))], axis=1)
            new_predicted = np.einsum("pk,pko->po", new_probabilities, conditional[pair_rows])
            old = predicted_top[pair_rows]
            decided = predicted_gap[pair_rows] > TIE
            moved_top, moved_gap = _top_and_margin(new_predicted)
            flips = decided & ((moved_top != old) | (moved_gap <= TIE))
            block_start.setdefault(analysis.theory.predicted_name, -1)
            add(pair_items[decided], -1 - pair_rows[decided],  # resolved below
                predicted[pair_rows, old][decided], new_predicted[pick, old][decided],
                flips[decided])
        top, gap = _top_and_margin(predicted) if len(labels) else (np.zeros(0, np.int64),
                                                                    np.zeros(0))
        predicted_start = len(keys)
        keys += [(analysis.theory.predicted_name, scope, at) for at in labels]
        levels += [theory.outcome.levels[int(t)] if g > TIE else None
                   for t, g in zip(top, gap, strict=True)]
        for position, index in enumerate(parts["conclusion"]):
            negative = index < 0
            if negative.any():
                parts["conclusion"][position] = np.where(negative, predicted_start - 1 - index,
                                                         index)

    def joined(key: str, dtype: Any) -> Any:
        return (np.concatenate(parts[key]).astype(dtype) if parts[key]
                else np.zeros(0, dtype=dtype))

    return LeaveOneOut(table.ids, tuple(keys), tuple(levels), joined("item", np.int64),
                       joined("conclusion", np.int64), joined("before", np.float64),
                       joined("after", np.float64), joined("flips", np.bool_))


#: Items whose re-filtered years are held at once (items x years x levels floats each).
DYNAMIC_CHUNK = 8192


def _filtered(beliefs: Any, start: IntArray, end: IntArray, weights: FloatArray,
              flags: npt.NDArray[np.bool_]) -> FloatArray:
    """Yearly probabilities ``(items, years, levels)`` of one target under dynamic priors with
    each item (first year index ``start``, last ``end``, weight and ruled-out rows) left out:
    years before the item as they are, the forward filter run again from its first year."""
    prior, finite = beliefs.yearly_prior, beliefs.yearly_contributions.sum(axis=1)
    ruled = beliefs.ruled_out(Scope.YEAR)
    years, k = finite.shape
    switch = float(beliefs.switch_probability)
    stay, move = 1.0 - switch, (switch / (k - 1) if k > 1 else 0.0)
    base = beliefs.yearly
    out = np.broadcast_to(base, (len(start), years, k)).copy()
    current = np.zeros((len(start), k))
    for year in range(int(start.min()) if len(start) else years, years):
        current[start == year] = prior[year]
        active = start <= year
        inside = (active & (end >= year))[:, None]
        scores = current + finite[year] - np.where(inside, weights, 0.0)
        left = ruled[year] - (flags & inside)
        scores = np.where(left > 0, -np.inf, scores)
        posterior = _softmax(scores)
        out[:, year] = np.where(active[:, None], posterior, out[:, year])
        current = np.where(active[:, None],
                           np.log(stay * posterior + move * (1.0 - posterior)), current)
    return out


def _dynamic(analysis: Analysis) -> LeaveOneOut:
    """Leave-one-out under dynamic priors, as :func:`_by_reweighing` finds it (the same pairs:
    every conclusion whose belief the item moves), without weighing again per item.

    Yearly beliefs of the item's target are re-filtered from its first year on; period
    beliefs keep the fixed prior, so the item's weights are subtracted as with fixed priors;
    the predicted strategy takes the moved variable with the others as they are.
    """
    from ._core import belief_matrices

    theory, table = analysis.theory, analysis.table
    base = belief_matrices(analysis)
    keys: list[ConclusionKey] = []
    levels: list[str | None] = []
    tops: list[int] = []
    where: dict[tuple[str, Scope], int] = {}
    for name, names, scope, matrix in base:
        where[(name, scope)] = len(keys)
        for row, at in enumerate(analysis.labels(scope)):
            top, gap = _top_and_margin(matrix[row:row + 1])
            keys.append((name, scope, at))
            levels.append(names[int(top[0])] if gap[0] > TIE else None)
            tops.append(int(top[0]))
    top_of = np.array(tops, np.int64)
    decided = np.array([level is not None for level in levels], bool)
    parts: dict[str, list[Any]] = {k: [] for k in ("item", "conclusion", "before", "after",
                                                    "flips")}
    n_variables = len(theory.variables)
    k_max = max(len(lv) for _, lv, _ in theory.targets)
    matrix_all, impossible_all = table.width(k_max)

    def record(items: IntArray, first: int, old: FloatArray, new: FloatArray) -> None:
        """Pairs (item, conclusion first + row) for ``new`` (items, rows, levels) against
        ``old`` (rows, levels), where the row moved and the conclusion is decided."""
        rows = np.arange(old.shape[0])
        moved = ~np.all(new == old[None], axis=2) & decided[first + rows][None, :]
        item_index, row = np.nonzero(moved)
        if not len(row):
            return
        chosen = new[item_index, row]
        top = top_of[first + row]
        new_top, new_gap = _top_and_margin(chosen)
        pick = np.arange(len(row))
        parts["item"].append(items[item_index])
        parts["conclusion"].append(first + row)
        parts["before"].append(old[row, top])
        parts["after"].append(chosen[pick, top])
        parts["flips"].append((new_top != top) | (new_gap <= TIE))

    marginals = {scope: {v.name: analysis.beliefs[v.name].probabilities(scope)
                         for v in theory.variables} for scope in Scope}
    for target, (name, names, _) in enumerate(theory.targets):
        label = theory.observed_name if target == n_variables else name
        beliefs = analysis.beliefs[name]
        k = len(names)
        rows_of = np.flatnonzero(table.target == target)
        for lo in range(0, len(rows_of), DYNAMIC_CHUNK):
            items = rows_of[lo:lo + DYNAMIC_CHUNK]
            weights, flags = matrix_all[items, :k], impossible_all[items, :k]
            for scope in Scope:
                labels = analysis.labels(scope)
                if not labels:
                    continue
                if scope is Scope.YEAR and beliefs.dynamic:
                    new = _filtered(beliefs, table.start[items] - analysis.case.start,
                                    table.end[items] - analysis.case.start, weights, flags)
                else:
                    touch = _cover(analysis, scope, items)[:, :, None]
                    finite = beliefs.finite_scores(scope)[None] - np.where(touch, weights[:, None],
                                                                           0.0)
                    left = beliefs.ruled_out(scope)[None] - (touch & flags[:, None])
                    new = np.where(touch, _softmax(np.where(left > 0, -np.inf, finite)),
                                   beliefs.probabilities(scope)[None])
                old = beliefs.probabilities(scope)
                record(items, where[(label, scope)], old, new)
                if target >= n_variables:
                    continue
                flat = new.reshape(-1, k)
                others = {v: np.tile(m, (len(items), 1)) for v, m in marginals[scope].items()}
                predicted = predict_strategy({**others, name: flat}, theory).reshape(
                    len(items), len(labels), -1)
                # Where the variable did not move, neither did the prediction (as weighed).
                still = np.all(new == old[None], axis=2)[:, :, None]
                record(items, where[(theory.predicted_name, scope)], analysis.predicted(scope),
                       np.where(still, analysis.predicted(scope)[None], predicted))

    def joined(key: str, dtype: Any) -> Any:
        return (np.concatenate(parts[key]).astype(dtype) if parts[key]
                else np.zeros(0, dtype=dtype))

    item, conclusion = joined("item", np.int64), joined("conclusion", np.int64)
    order = np.lexsort((conclusion, item))
    return LeaveOneOut(table.ids, tuple(keys), tuple(levels), item[order], conclusion[order],
                       joined("before", np.float64)[order], joined("after", np.float64)[order],
                       joined("flips", np.bool_)[order])


def _cover(analysis: Analysis, scope: Scope, items: IntArray) -> npt.NDArray[np.bool_]:
    """``(items, years or periods)``: whether each item counts there."""
    table = analysis.table
    if scope is Scope.YEAR:
        low = high = np.asarray(analysis.years)
    else:
        low = np.array([p.start for p in analysis.case.periods])
        high = np.array([p.end for p in analysis.case.periods])
    return ((table.start[items][:, None] <= high[None, :])
            & (table.end[items][:, None] >= low[None, :]))


def _by_reweighing(analysis: Analysis) -> LeaveOneOut:
    """Leave-one-out by re-running the analysis without each row (any prior model)."""
    from ._core import belief_matrices, reweigh

    base = belief_matrices(analysis)
    keys: list[ConclusionKey] = []
    levels: list[str | None] = []
    index: list[tuple[int, int, int]] = []  # (matrix, row, level index)
    for position, (name, names, scope, matrix) in enumerate(base):
        for row, at in enumerate(analysis.labels(scope)):
            top, gap = _top_and_margin(matrix[row:row + 1])
            keys.append((name, scope, at))
            decided = bool(gap[0] > TIE)
            levels.append(names[int(top[0])] if decided else None)
            index.append((position, row, int(top[0])))
    items, conclusions, before, after, flips = [], [], [], [], []
    for item in range(len(analysis.table)):
        mask = np.ones(len(analysis.table), bool)
        mask[item] = False
        other = belief_matrices(reweigh(analysis, analysis.table.subset(mask)))
        for conclusion, (position, row, top) in enumerate(index):
            if levels[conclusion] is None:
                continue
            old, new = base[position][3][row], other[position][3][row]
            if np.array_equal(old, new):
                continue
            new_top, new_gap = _top_and_margin(new[None, :])
            items.append(item)
            conclusions.append(conclusion)
            before.append(float(old[top]))
            after.append(float(new[top]))
            flips.append(bool(new_top[0] != top or new_gap[0] <= TIE))
    return LeaveOneOut(analysis.table.ids, tuple(keys), tuple(levels),
                       np.array(items, np.int64), np.array(conclusions, np.int64),
                       np.array(before, np.float64), np.array(after, np.float64),
                       np.array(flips, np.bool_))


def leave_one_out_check(analysis: Analysis, *, rng: np.random.Generator) -> CheckResult:
    """Leave each evidence item out: is any conclusion decided by a single item?"""
    result = leave_one_out(analysis)
    pivotal = result.pivotal()
    changes = []
    for key, ids in pivotal.items():
        level = result.levels[result.keys.index(key)]
        assert level is not None
        changes += [ConclusionChange(key[0], key[1], key[2], level, None, f"without {i}")
                    for i in ids]
    fragile = [key for key, ids in pivotal.items() if ids]
    summary = (f"{len(fragile)} of {len(pivotal)} conclusions rest on a single item"
               if fragile else f"no single item decides any of {len(pivotal)} conclusions")
    return CheckResult(
        "leave_one_out", "Does leaving out any one evidence item flip a conclusion?",
        ASSUMPTIONS, CheckVerdict.of(fragile), summary,
        tuple(f"without {i}" for i in analysis.table.ids), tuple(changes),
        {"most_influential": result.influences()}, pivotal, result)
