"""Parameters of fit: formulas, edge cases and properties."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from multilat.errors import InputError
from multilat.sets import SetTable, fit, necessity, parse_expression, sufficiency

memberships = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@st.composite
def pairs(draw: st.DrawFn) -> tuple[list[float], list[float]]:
    size = draw(st.integers(min_value=1, max_value=30))
    x = draw(st.lists(memberships, min_size=size, max_size=size))
    y = draw(st.lists(memberships, min_size=size, max_size=size))
    return x, y


def _in_unit(value: float) -> bool:
    return math.isnan(value) or -1e-12 <= value <= 1 + 1e-12


@given(pairs())
def test_every_parameter_is_in_the_unit_interval(pair: tuple[list[float], list[float]]) -> None:
    x, y = pair
    suf, nec = sufficiency(x, y), necessity(x, y)
    for value in (suf.consistency, suf.pri, suf.coverage, nec.consistency, nec.coverage,
                  nec.relevance):
        assert _in_unit(value)
    # PRI never exceeds consistency; sufficiency and necessity mirror each other.
    if not math.isnan(suf.pri):
        assert suf.pri <= suf.consistency + 1e-12
    assert sufficiency(y, x).consistency == pytest.approx(nec.consistency, nan_ok=True)
    assert sufficiency(y, x).coverage == pytest.approx(nec.coverage, nan_ok=True)


@given(st.lists(memberships, min_size=1, max_size=30).filter(lambda v: sum(v) > 0))
def test_a_set_fits_itself(x: list[float]) -> None:
    suf = sufficiency(x, x)
    assert suf.consistency == pytest.approx(1) and suf.coverage == pytest.approx(1)
    assert necessity(x, x).consistency == pytest.approx(1)


@given(pairs())
def test_a_subset_is_perfectly_consistent(pair: tuple[list[float], list[float]]) -> None:
    x, y = pair
    sub = np.minimum(x, y)
    if sub.sum() > 0:
        assert sufficiency(sub, y).consistency == pytest.approx(1)
    if np.sum(y) > 0:
        assert necessity(np.maximum(x, y), y).consistency == pytest.approx(1)


@given(pairs(), pairs())
def test_unique_coverages_never_exceed_the_solution(first: tuple, second: tuple) -> None:
    size = min(len(first[0]), len(second[0]))
    y = first[1][:size]
    if sum(y) == 0:
        return
    table = SetTable([f"c{i}" for i in range(size)],
                     {"A": first[0][:size], "B": second[0][:size], "C": second[1][:size],
                      "Y": y})
    result = fit(table, "Y", "A + B*~C")
    assert [t.term for t in result.terms] == ["A", "B*~C"]
    unique = sum(t.unique_coverage or 0 for t in result.terms)
    assert unique <= result.solution.coverage + 1e-9
    for term in result.terms:
        assert term.unique_coverage is not None
        assert -1e-12 <= term.unique_coverage <= term.coverage + 1e-12
    # Unique coverage = coverage of the whole - coverage of the other terms.
    others = fit(table, "Y", "B*~C").solution.coverage
    assert result.terms[0].unique_coverage == pytest.approx(result.solution.coverage - others,
                                                            abs=1e-9)


def test_pri_uses_the_intersection_with_the_negated_outcome() -> None:
    # The pitfall: sum(min(x, ~y)) instead of sum(min(x, y, ~y)) gives another PRI.
    x, y = np.array([0.9, 0.6, 0.3]), np.array([0.7, 0.4, 0.8])
    overlap = np.minimum(x, y).sum()  # 0.7 + 0.4 + 0.3 = 1.4
    both = np.minimum(np.minimum(x, y), 1 - y).sum()  # 0.3 + 0.4 + 0.2 = 0.9
    expected = (overlap - both) / (x.sum() - both)  # 0.5 / 0.9
    assert sufficiency(x, y).pri == pytest.approx(expected)
    wrong = (overlap - np.minimum(x, 1 - y).sum()) / (x.sum() - np.minimum(x, 1 - y).sum())
    assert not math.isclose(sufficiency(x, y).pri, wrong)


def test_empty_sets_give_nan_and_json_null() -> None:
    result = sufficiency([0, 0], [0.3, 0.4])
    assert math.isnan(result.consistency) and math.isnan(result.pri)
    assert result.to_dict() == {"consistency": None, "pri": None,
                                "coverage": 0.0}
    assert "consistency=-" in repr(result)


def test_input_checks() -> None:
    with pytest.raises(InputError, match="y: found 1 memberships; expected 2"):
        sufficiency([0.1, 0.2], [0.3])
    with pytest.raises(InputError, match="x: found 1.5 at position 2"):
        necessity([0.1, 1.5], [0.3, 0.2])
    with pytest.raises(InputError, match="x: found nan at position 1"):
        sufficiency([math.nan], [0.3])


def test_fit_outcome_forms() -> None:
    table = SetTable(["a", "b", "c"], {"X": [0.9, 0.2, 0.7], "Y": [1.0, 0.4, 0.6]})
    plain = fit(table, "Y", "X")
    negated = fit(table, "~Y", "X")
    array = fit(table, 1 - table.column("Y"), parse_expression("X", table))
    assert negated.outcome == "~Y" and array.outcome == "outcome"
    assert negated.solution == array.solution != plain.solution
    document = plain.to_dict()
    json.dumps(document)
    assert document["terms"][0]["unique_coverage"] is None
    with pytest.raises(InputError, match="^outcome: found the set 'Z'"):
        fit(table, "Z", "X")
    with pytest.raises(InputError, match="^expression: found the set 'W'"):
        fit(table, "Y", "X + W")
    with pytest.raises(InputError, match="^outcome: found 2 memberships; expected 3"):
        fit(table, [0.1, 0.2], "X")
