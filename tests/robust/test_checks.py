"""Robustness checks: planted pivotal items, agreement with brute force, result shapes."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import multilat
from multilat.case.model import Evidence
from multilat.checks import (
    DEFAULT_CHECKS,
    leave_one_out,
    run_checks,
    smallest_flip_sets,
)
from multilat.checks._core import conclusions_of, reweigh
from multilat.checks.synthetic import synthetic_analysis, synthetic_case
from multilat.theory.model import Citation

THEORY = "kpr"  # the built-in theory the synthetic cases are drawn under


def _item(id_: str, year: int, variable: str, level: str, strength: str,
          side: str | None = None) -> Evidence:
    return Evidence(id=id_, kind="assessment", start=year, end=year, actor="RIS",
                    summary="planted", variable=variable, level=level,
                    citation=Citation(f"src-{id_}"), rationale="planted", side=side,
                    strength=strength)


def _planted_case() -> multilat.Case:
    """Balance in 2005 hangs on one smoking gun; 2003 has a wide, robust margin."""
    base = synthetic_case({"indispensability": ("indispensable", "indispensable", 2000)},
                          n_per_year=2, accuracy=1.0, theory=THEORY)
    items = [
        _item("gun-2005", 2005, "balance_of_outside_options", "favorable", "smoking_gun",
              "rising"),
        _item("straw-a-2005", 2005, "balance_of_outside_options", "unfavorable",
              "straw_in_the_wind", "rising"),
        _item("straw-b-2005", 2005, "balance_of_outside_options", "unfavorable",
              "straw_in_the_wind", "established"),
        *(_item(f"gun-2003-{i}", 2003, "balance_of_outside_options", "unfavorable",
                "smoking_gun", "rising") for i in range(3)),
    ]
    return replace(base, evidence=(*base.evidence, *items))


def test_leave_one_out_finds_the_planted_pivotal_item() -> None:
    analysis = multilat.analyze(_planted_case())
    pivotal = leave_one_out(analysis).pivotal()
    assert pivotal[("balance_of_outside_options", "year", 2005)] == ["gun-2005"]
    assert pivotal[("balance_of_outside_options", "year", 2003)] == []
    report = run_checks(analysis)
    rows = {(c.variable, c.scope, c.at): c for c in report.conclusions}
    row = rows[("balance_of_outside_options", "year", 2005)]
    assert row.level == "favorable" and not row.survives_leave_one_out
    assert row.pivotal == ("gun-2005",)
    assert rows[("balance_of_outside_options", "year", 2003)].flip_set.size == 3


def test_vectorised_leave_one_out_matches_rerunning_without_each_item() -> None:
    analysis = multilat.analyze(multilat.load_case("tests/data/cases/good/minimal.yaml"))
    pivotal = leave_one_out(analysis).pivotal()
    before = conclusions_of(analysis)
    expected: dict[tuple[str, str, int | str], list[str]] = {
        key: [] for key, (level, _) in before.items() if level}
    for index, item in enumerate(analysis.table.ids):
        mask = np.ones(len(analysis.table), bool)
        mask[index] = False
        after = conclusions_of(reweigh(analysis, analysis.table.subset(mask)))
        for key in expected:
            if after[key][0] != before[key][0]:
                expected[key].append(item)
    assert pivotal == {k: sorted(v) for k, v in expected.items()}


def _brute_force_minimum(analysis: multilat.Analysis) -> dict[tuple[str, str, int | str], int]:
    before = conclusions_of(analysis)
    n = len(analysis.table)
    found: dict[tuple[str, str, int | str], int] = {}
    for size in range(1, n + 1):
        for removed in itertools.combinations(range(n), size):
            mask = np.ones(n, bool)
            mask[list(removed)] = False
            after = conclusions_of(reweigh(analysis, analysis.table.subset(mask)))
            for key, (level, _) in before.items():
                if level is not None and key not in found and after[key][0] != level:
                    found[key] = size
    return found


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 7), st.integers(0, 10_000))
def test_flip_sets_agree_with_brute_force(n_items: int, seed: int) -> None:
    analysis = synthetic_analysis(n_items, n_years=2, max_span=2, seed=seed, theory=THEORY)
    truth = _brute_force_minimum(analysis)
    sets = smallest_flip_sets(analysis)
    for key, flip in sets.items():
        if flip.exact:
            assert flip.size == truth.get(key), key
        elif flip.size is not None:
            # greedy: a valid flip set, never smaller than the true minimum
            mask = ~np.isin(np.array(analysis.table.ids), flip.ids)
            after = conclusions_of(reweigh(analysis, analysis.table.subset(mask)))
            assert after[key][0] != flip.level
            assert flip.size >= truth[key]


def test_default_checks_state_assumptions_and_serialise() -> None:
    analysis = multilat.analyze(multilat.load_case("tests/data/cases/good/minimal.yaml"))
    rng = np.random.default_rng(0)
    for check in DEFAULT_CHECKS:
        result = check(analysis, rng=rng)
        assert result.assumptions and result.verdict in {"robust", "sensitive",
                                                          "not_applicable"}
        json.dumps(result.to_dict())
    document = run_checks(analysis).to_dict()
    variables = {c["variable"] for c in document["conclusions"]}
    assert {"observed_strategy", "predicted_strategy", "balance_of_outside_options"} <= variables


def test_planted_strength_dependence_is_detected() -> None:
    case = _planted_case()
    result = [c for c in run_checks(multilat.analyze(case)).checks
              if c.name == "uniform_strength"][0]
    # with one uniform strength, two unfavorable items outweigh the single smoking gun
    assert any(c.variable == "balance_of_outside_options" and c.at == 2005
               for c in result.changes)


def test_contrary_prior_probability_for_three_levels() -> None:
    """At the reported prior (rest split evenly), the conclusion ties; just above, it holds."""
    from dataclasses import replace as _replace
    from types import MappingProxyType

    import multilat
    from multilat.checks.contrary_prior import contrary_priors

    analysis = multilat.analyze(multilat.load_example())
    found = contrary_priors(analysis)[("observed_strategy", "year", 2009)]
    levels = analysis.theory.outcome.levels

    def conclusion(p: float) -> str:
        prior = {lv: (p if lv == found.level else (1 - p) / 2) for lv in levels}
        case = _replace(analysis.case, priors=MappingProxyType(
            {**analysis.case.priors, "strategy": MappingProxyType(prior)}))
        row = multilat.analyze(case).observed_yearly[0]
        return multilat.analysis.most_probable_level(levels, row)

    p = found.prior_probability_needed
    assert conclusion(p + 1e-3) == found.level
    assert conclusion(p - 1e-3) != found.level


def test_run_checks_runs_exactly_the_checks_given() -> None:
    from multilat.checks import contrary_prior, flip_set_check, leave_one_out_check, run_checks
    analysis = multilat.analyze(multilat.load_example())
    calls: list[str] = []

    def counted(check):  # type: ignore[no-untyped-def]
        def run(analysis, *, rng):  # type: ignore[no-untyped-def]
            calls.append(check.__name__)
            return check(analysis, rng=rng)
        return run

    only = run_checks(analysis, [counted(leave_one_out_check)])
    assert calls == ["leave_one_out_check"]
    assert [c.name for c in only.checks] == ["leave_one_out"]
    assert all(c.flip_set is None and c.contrary_prior is None for c in only.conclusions)
    assert any(c.survives_leave_one_out is False for c in only.conclusions)
    none = run_checks(analysis, [])
    assert none.checks == () and all(c.survives_leave_one_out is None and not c.pivotal
                                     for c in none.conclusions)
    full = run_checks(analysis, [leave_one_out_check, flip_set_check, contrary_prior])
    assert [c.pivotal for c in full.conclusions] == [c.pivotal for c in only.conclusions]
    assert any(c.flip_set is not None for c in full.conclusions)
