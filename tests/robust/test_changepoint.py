"""The change-point posterior: sums to one, recovers a planted change year."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import multilat
from multilat.changepoint import change_point, switch_lag
from multilat.checks.synthetic import synthetic_analysis, synthetic_case
from multilat.errors import InputError

THEORY = "kpr"  # the built-in theory the synthetic cases are drawn under


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 400), st.integers(2, 12), st.booleans(),
       st.sampled_from(["once", "per_year"]),
       st.sampled_from(["balance_of_outside_options", "observed_strategy"]))
def test_posterior_sums_to_one(n_items: int, n_years: int, two: bool, counting: str,
                               variable: str) -> None:
    analysis = synthetic_analysis(n_items, n_years=n_years, max_span=min(3, n_years),
                                  seed=n_items, theory=THEORY)
    result = change_point(analysis, variable, two_changes=two, counting=counting)
    assert math.isclose(sum(result.posterior.values()), 1.0, abs_tol=1e-9)
    assert math.isclose(sum(result.prior.values()), 1.0, abs_tol=1e-9)
    assert set(result.posterior) == set(result.prior)


@pytest.mark.parametrize(("variable", "truth", "year"), [
    ("balance_of_outside_options", ("unfavorable", "favorable"), 2006),
    ("observed_strategy", ("invest", "hold_up"), 2008),
])
@pytest.mark.parametrize("counting", ["once", "per_year"])
def test_recovers_a_planted_change_year(variable: str, truth: tuple[str, str], year: int,
                                        counting: str) -> None:
    target = "strategy" if variable == "observed_strategy" else variable
    case = synthetic_case({target: (*truth, year)}, n_per_year=3, accuracy=0.9, seed=3,
                          theory=THEORY)
    result = change_point(multilat.analyze(case), variable, counting=counting)
    assert result.most_probable == str(year)
    assert max(result.transitions, key=lambda k: result.transitions[k]) == "->".join(truth)


def test_no_change_is_most_probable_without_a_change() -> None:
    case = synthetic_case({"balance_of_outside_options": ("unfavorable", "unfavorable", 2000)},
                          n_per_year=3, accuracy=0.95, seed=1, theory=THEORY)
    result = change_point(multilat.analyze(case), "balance_of_outside_options")
    assert result.most_probable == "no_change"


def test_two_changes_recover_a_planted_return() -> None:
    case = synthetic_case({"balance_of_outside_options": ("unfavorable", "favorable", 2004)},
                          n_per_year=4, accuracy=1.0, end=2011, seed=2, theory=THEORY)
    # plant a return to unfavorable from 2009 by relabelling later items
    from dataclasses import replace
    items = tuple(replace(e, level="unfavorable") if e.start >= 2009 else e
                  for e in case.evidence)
    result = change_point(multilat.analyze(replace(case, evidence=items)),
                          "balance_of_outside_options", two_changes=True)
    assert result.most_probable == "2004+2009"


def test_lag_between_planted_switches() -> None:
    case = synthetic_case({"balance_of_outside_options": ("unfavorable", "favorable", 2004),
                           "strategy": ("invest", "hold_up", 2006)},
                          n_per_year=4, accuracy=1.0, seed=5, theory=THEORY)
    analysis = multilat.analyze(case)
    lag = switch_lag(change_point(analysis, "balance_of_outside_options"),
                     change_point(analysis, "observed_strategy"))
    assert lag.most_probable == 2
    assert math.isclose(sum(lag.distribution.values()), 1.0, abs_tol=1e-9)


def test_bad_inputs_are_input_errors() -> None:
    analysis = synthetic_analysis(10, seed=0, theory=THEORY)
    with pytest.raises(InputError, match="variable: found"):
        change_point(analysis, "nope")
    with pytest.raises(InputError, match="no change"):
        change_point(analysis, "indispensability", no_change_prior=1.5)
