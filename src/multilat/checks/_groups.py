"""Drop (or scale) each group of rows by subtracting the group's summed weights (fixed priors).

A belief's log-scores in a year (or period) are the prior plus the sum of the weight vectors of
the rows covering it, and a level is ruled out while at least one covering row rules it out
(docs/weighing.md). Removing a group of rows therefore subtracts, per year and level, the
group's own sums of weights and of ruled-out flags: the same numbers as weighing the rest again,
up to rounding. The sums of every group are taken at once, a chunk of groups at a time, with one
``bincount`` over (group, year, level) per target, so the cost is linear in the number of
(row, group) pairs plus ``groups x conclusions``; nothing is kept per group but the changed
conclusions. Scaling a group's weights by ``f`` subtracts ``(1 - f)`` times its sums (the
strength sweep), its ruled-out flags unchanged.

With dynamic priors a row also moves the priors of the years after it, so sums do not
subtract; :func:`multilat.checks._core.drop_each_group` then weighs each scenario again.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt

from ..analysis import Analysis
from ..decision import TIE_TOLERANCE, Scope
from ..predict import predict_strategy

__all__ = ["decided_index", "group_beliefs", "group_pairs"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
#: Upper bound on ``groups x rows x levels`` entries per chunk (about 16 MB of float64).
CHUNK_ENTRIES = 2_000_000


def decided_index(probabilities: FloatArray) -> IntArray:
    """Per row (last axis: levels), the index of the one most probable level, ``-1`` on a tie.

    The same rule as :func:`multilat.decision.decide`: a level wins when no other comes within
    ``TIE_TOLERANCE`` of the top probability.
    """
    top = probabilities.max(axis=-1, keepdims=True)
    winners = (probabilities >= top - TIE_TOLERANCE).sum(axis=-1)
    return np.where(winners == 1, probabilities.argmax(axis=-1), -1).astype(np.int64)


def _softmax(scores: FloatArray) -> FloatArray:
    shifted = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]


def _cover(analysis: Analysis, scope: Scope, rows: IntArray) -> tuple[IntArray, IntArray]:
    """``(position in rows, year or period index)`` for every place each row counts in."""
    table = analysis.table
    start, end = table.start[rows], table.end[rows]
    if scope is Scope.YEAR:
        span = (end - start + 1).astype(np.int64)
        position = np.repeat(np.arange(len(rows)), span)
        offset = np.arange(len(position)) - np.repeat(np.cumsum(span) - span, span)
        return position, (start[position] - analysis.case.start + offset).astype(np.int64)
    positions, places = [], []
    for index, period in enumerate(analysis.case.periods):
        touches = np.flatnonzero((start <= period.end) & (end >= period.start))
        positions.append(touches)
        places.append(np.full(len(touches), index, np.int64))
    if not positions:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(positions).astype(np.int64), np.concatenate(places)


def group_beliefs(analysis: Analysis, row_group: IntArray, row: IntArray, n_groups: int,
                  keeps: Sequence[float] = (0.0,)
                  ) -> Iterator[tuple[Scope, int, int, dict[str, FloatArray], FloatArray]]:
    """For chunks of groups, every belief's probabilities with the group's rows removed
    (``keep`` 0), or with their weights multiplied by ``keep`` (levels they rule out stay
    ruled out, as :meth:`EvidenceTable.scaled` keeps them); the sums are taken once for all
    ``keeps``.

    ``(row_group[p], row[p])`` are the (group, table row) pairs, sorted by group. Yields
    ``(scope, first group, index in keeps, {belief name: (groups, places, levels)},
    predicted)`` where the names are the theory's targets (the outcome's weighed beliefs
    under its own name) and ``predicted`` the rule table applied to the variables,
    ``(groups, places, outcome levels)``.
    """
    theory, table = analysis.theory, analysis.table
    targets = theory.targets
    width = max(len(levels) for _, levels, _ in targets)
    matrix, impossible = table.width(width)
    for scope in Scope:
        n_places = len(analysis.labels(scope))
        if not n_places:
            continue
        per_chunk = max(1, CHUNK_ENTRIES // (n_places * width))
        bounds = np.searchsorted(row_group, np.arange(0, n_groups + per_chunk, per_chunk))
        for chunk, first in enumerate(range(0, n_groups, per_chunk)):
            size = min(per_chunk, n_groups - first)
            lo, hi = int(bounds[chunk]), int(bounds[chunk + 1])
            groups, rows = row_group[lo:hi] - first, row[lo:hi]
            position, place = _cover(analysis, scope, rows)
            covered_group, covered_row = groups[position], rows[position]
            # per target: the chunk's summed weights and ruled-out counts (None: no rows)
            sums: list[tuple[FloatArray, FloatArray | None] | None] = []
            for target, (_, levels, _) in enumerate(targets):
                k = len(levels)
                mine = table.target[covered_row] == target
                if not mine.any():
                    sums.append(None)
                    continue
                cell = (covered_group[mine] * n_places + place[mine]) * k
                chosen = covered_row[mine]
                index = (cell[:, None] + np.arange(k)).ravel()
                total = size * n_places * k
                weights = np.bincount(index, matrix[chosen, :k].ravel(),
                                      total).reshape(size, n_places, k)
                flags = impossible[chosen, :k]
                counts = (np.rint(np.bincount(index, flags.ravel().astype(np.float64), total))
                          .astype(np.int64).reshape(size, n_places, k) if flags.any()
                          else None)
                sums.append((weights, counts))
            for which, keep in enumerate(keeps):
                probabilities: dict[str, FloatArray] = {}
                for target, (name, levels, _) in enumerate(targets):
                    k = len(levels)
                    beliefs = analysis.beliefs[name]
                    finite = np.broadcast_to(beliefs.finite_scores(scope), (size, n_places, k))
                    ruled = np.broadcast_to(beliefs.ruled_out(scope), (size, n_places, k))
                    summed = sums[target]
                    if summed is not None:
                        finite = finite - (1.0 - keep) * summed[0]
                        if keep == 0.0 and summed[1] is not None:
                            ruled = ruled - summed[1]
                    scores = np.where(ruled > 0, -np.inf, finite) if ruled.any() else finite
                    probabilities[name] = _softmax(np.asarray(scores, dtype=np.float64))
                predicted = predict_strategy(
                    {v.name: probabilities[v.name].reshape(size * n_places, -1)
                     for v in theory.variables}, theory).reshape(size, n_places, -1)
                yield scope, first, which, probabilities, predicted


def group_pairs(belongs: Sequence[int | frozenset[int]]) -> tuple[IntArray, IntArray]:
    """``(group, row)`` pairs sorted by group, from each row's group index (or set of them,
    for a row of several items)."""
    single = np.fromiter((of if isinstance(of, int) else -1 for of in belongs), np.int64,
                         len(belongs))
    several = np.flatnonzero(single < 0)
    extra_row = np.array([r for r in several for _ in belongs[r]], np.int64)  # type: ignore[union-attr]
    extra_group = np.array([g for r in several for g in sorted(belongs[r])], np.int64)  # type: ignore[arg-type]
    alone = np.flatnonzero(single >= 0)
    group = np.concatenate([single[alone], extra_group])
    row = np.concatenate([alone, extra_row]).astype(np.int64)
    order = np.lexsort((row, group))
    return group[order], row[order]
