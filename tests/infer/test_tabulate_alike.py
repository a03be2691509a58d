"""Items coded alike are weighed once per table: the rows equal weighing each item alone."""

from __future__ import annotations

import numpy as np
import pytest

import multilat
from multilat.infer.likelihood import observation_probabilities, weigh_probabilities
from multilat.infer.weighing import tabulate_evidence


@pytest.mark.parametrize("model", ["credibility"])  # every item a vector row
def test_rows_equal_item_by_item(model: str) -> None:
    case = multilat.load_example()
    theory = multilat.resolve_theory(case.theory, case.folder)
    settings = multilat.default_settings().replace(**{"infer.reliability_model": model})
    table = tabulate_evidence(case, theory, settings)
    names = [name for name, _, _ in theory.targets]
    rows = table.row_of()
    checked = 0
    for item in case.evidence:
        row = rows.get(item.id)
        if row is None or len(table.members[row]) > 1 or not table.vectors[row]:
            continue
        levels = theory.targets[names.index(item.variable)][1]
        weights, ruled = weigh_probabilities(observation_probabilities(item, levels, settings),
                                             item.reliability, model)
        np.testing.assert_array_equal(table.matrix[row, :len(levels)], weights)
        np.testing.assert_array_equal(table.impossible[row, :len(levels)], ruled)
        checked += 1
    assert checked
