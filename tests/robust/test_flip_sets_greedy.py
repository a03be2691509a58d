"""The predicted strategy's greedy flip set: the batched search equals one removal at a time."""

from __future__ import annotations

import numpy as np
import pytest

import multilat
from multilat.checks import smallest_flip_sets
from multilat.checks.synthetic import synthetic_analysis
from multilat.decision import Scope
from multilat.predict import predict_strategy


def _reference(analysis: multilat.Analysis, scope: Scope, row: int) -> tuple[str, ...]:
    """Remove, one at a time, the item whose removal most lowers the predicted level's lead
    (the first such item in table order), each candidate weighed alone."""
    theory, table = analysis.theory, analysis.table
    if scope is Scope.YEAR:
        year = analysis.years[row]
        covers = (table.start <= year) & (table.end >= year)
    else:
        period = analysis.case.periods[row]
        covers = (table.start <= period.end) & (table.end >= period.start)
    remaining = [int(i) for i in np.flatnonzero(covers & (table.target < len(theory.variables)))]
    scores = {v.name: analysis.beliefs[v.name].finite_scores(scope)[row].copy()
              for v in theory.variables}
    ruled = {v.name: analysis.beliefs[v.name].ruled_out(scope)[row].copy()
             for v in theory.variables}
    matrix, impossible = table.width(max(len(v.levels) for v in theory.variables))

    def predict(s: dict, r: dict) -> np.ndarray:  # type: ignore[type-arg]
        out = {}
        for name, values in s.items():
            values = np.where(r[name] > 0, -np.inf, values)
            p = np.exp(values - values.max())
            out[name] = (p / p.sum())[None, :]
        return predict_strategy(out, theory)[0]  # type: ignore[no-any-return]

    def lead(p: np.ndarray, top: int) -> float:  # type: ignore[type-arg]
        return float(p[top] - np.delete(p, top).max())

    def without(item: int) -> tuple[dict, dict]:  # type: ignore[type-arg]
        name = theory.variables[int(table.target[item])].name
        k = len(scores[name])
        return ({**scores, name: scores[name] - matrix[item, :k]},
                {**ruled, name: ruled[name] - impossible[item, :k]})

    top = int(np.argmax(analysis.predicted(scope)[row]))
    removed: list[str] = []
    for _ in range(200):
        if not remaining:
            break
        leads = [lead(predict(*without(i)), top) for i in remaining]
        pick = int(np.argmin(leads))
        if leads[pick] >= lead(predict(scores, ruled), top) - 1e-9:
            break
        item = remaining.pop(pick)
        removed.append(table.ids[item])
        scores, ruled = without(item)
        if leads[pick] <= 1e-9:
            return tuple(removed)
    return ()


@pytest.mark.parametrize(("n_items", "seed"), [(60, 0), (400, 1), (1500, 2)])
def test_batched_greedy_equals_one_at_a_time(n_items: int, seed: int) -> None:
    analysis = synthetic_analysis(n_items, theory="kpr", seed=seed)
    sets = smallest_flip_sets(analysis)
    checked = 0
    for scope in Scope:
        for row, at in enumerate(analysis.labels(scope)):
            found = sets.get((analysis.theory.predicted_name, scope, at))
            if found is None:
                continue
            assert found.ids == _reference(analysis, scope, row)
            checked += 1
    assert checked


def test_builtin_case_greedy_sets() -> None:
    analysis = multilat.analyze(multilat.load_example())
    sets = smallest_flip_sets(analysis)
    for scope in Scope:
        for row, at in enumerate(analysis.labels(scope)):
            found = sets.get((analysis.theory.predicted_name, scope, at))
            if found is not None:
                assert found.ids == _reference(analysis, scope, row)
