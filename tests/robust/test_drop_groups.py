"""Drop-each-source and drop-each-kind by subtraction (and leave-one-out under dynamic
priors by re-filtering) agree with weighing each scenario again."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import multilat
from multilat.case.model import EvidenceGroup
from multilat.checks import drop_kind, drop_source
from multilat.checks._core import conclusions_of, drop_each_group, reweigh
from multilat.checks._groups import group_beliefs, group_pairs
from multilat.checks.synthetic import synthetic_case
from multilat.decision import Scope

TRIAL = sorted((Path(__file__).parents[1] / "data" / "cases" / "trial").glob("*/case.yaml"))


def _generated() -> multilat.Case:
    """Three items per year and target over 12 years, with a group of two dependent items
    (two sources) and items whose likelihoods rule a level out."""
    base = synthetic_case({"balance_of_outside_options": ("favorable", "unfavorable", 2005),
                           "indispensability": ("indispensable", "dispensable", 2008),
                           "strategy": ("invest", "hold_up", 2006)},
                          n_per_year=3, accuracy=0.8, theory="kpr", seed=3)
    items = []
    for item in base.evidence:
        if item.variable == "strategy" and item.id.endswith("-2") and item.start % 2:
            # Rules out 'accept' (a zero likelihood); the other two levels stay possible.
            item = replace(item, strength=None, level="hold_up",
                           likelihoods={"invest": 0.2, "hold_up": 0.5, "accept": 0.0})
        items.append(item)
    group = EvidenceGroup("pair", ("balance_of_outside_options-2004-0",
                                   "balance_of_outside_options-2004-1"), "one report, twice",
                          likelihoods={"favorable": 0.1, "unfavorable": 0.6})
    return replace(base, evidence=tuple(items), groups=(group,))


def _cases() -> list[tuple[str, multilat.Analysis]]:
    out = [("builtin", multilat.analyze(multilat.load_example())),
           ("generated", multilat.analyze(_generated()))]
    out += [(path.parent.name, multilat.analyze(multilat.load_case(path))) for path in TRIAL]
    return out


CASES = _cases()


def _groups(analysis: multilat.Analysis, group_of) -> tuple[list[str], list[set[str]]]:  # type: ignore[no-untyped-def]
    groups = {e.id: group_of(e) for e in analysis.case.evidence}
    belongs = [{groups[i] for i in members} for members in analysis.table.members]
    return sorted(set().union(*belongs)), belongs


def _assert_same(probabilities, predicted, offset: int, other: multilat.Analysis,  # type: ignore[no-untyped-def]
                 scope: Scope) -> None:
    """One scenario of :func:`group_beliefs` equals the analysis weighed again."""
    for target in probabilities:
        np.testing.assert_allclose(probabilities[target][offset],
                                   other.beliefs[target].probabilities(scope), rtol=0, atol=1e-12)
    np.testing.assert_allclose(predicted[offset], other.predicted(scope), rtol=0, atol=1e-12)


@pytest.mark.parametrize(("name", "analysis"), CASES, ids=[n for n, _ in CASES])
@pytest.mark.parametrize("group_of", [lambda e: e.citation.key, lambda e: e.kind],
                         ids=["source", "kind"])
def test_subtracted_beliefs_equal_reweighed(name: str, analysis: multilat.Analysis,
                                            group_of) -> None:  # type: ignore[no-untyped-def]
    names, belongs = _groups(analysis, group_of)
    number = {g: i for i, g in enumerate(names)}
    row_group, row = group_pairs([frozenset(number[g] for g in of) for of in belongs])
    seen = 0
    for scope, first, _, probabilities, predicted in group_beliefs(analysis, row_group, row,
                                                                   len(names)):
        for offset in range(predicted.shape[0]):
            group = names[first + offset]
            other = reweigh(analysis, analysis.table.subset(
                np.array([group not in of for of in belongs], dtype=bool)))
            _assert_same(probabilities, predicted, offset, other, scope)
            seen += 1
    assert seen == len(names) * len(Scope)


@pytest.mark.parametrize(("name", "analysis"), CASES, ids=[n for n, _ in CASES])
@pytest.mark.parametrize("check", [drop_source, drop_kind])
def test_check_equals_the_reweighing_path(name: str, analysis: multilat.Analysis,
                                          check) -> None:  # type: ignore[no-untyped-def]
    fast = check(analysis, rng=np.random.default_rng(0))
    key = (lambda e: e.citation.key) if check is drop_source else (lambda e: e.kind)
    label = "without {}" if check is drop_source else "without {}s"
    slow = drop_each_group(analysis, key, label, fast.name, fast.question, fast.assumptions,
                           reweighing=True)
    assert fast.to_dict() == slow.to_dict()


def test_the_generated_case_has_groups_zeros_and_changes() -> None:
    analysis = dict(CASES)["generated"]
    assert any(len(m) > 1 for m in analysis.table.members)
    assert analysis.table.impossible.any()
    result = drop_source(analysis, rng=np.random.default_rng(0))
    assert result.changes  # something to compare, not only "all hold"
    assert len(result.scenarios) == len({e.citation.key for e in analysis.case.evidence})


def test_dynamic_priors_keep_the_reweighing_path() -> None:
    base = dict(CASES)["generated"]
    analysis = multilat.analyze(base.case, base.theory,
                                base.settings.replace(**{"infer.priors": "dynamic"}))
    assert any(b.dynamic for b in analysis.beliefs.values())
    result = drop_source(analysis, rng=np.random.default_rng(0))
    before = conclusions_of(analysis)
    names, belongs = _groups(analysis, lambda e: e.citation.key)
    expected = []
    for group in names:
        other = conclusions_of(reweigh(analysis, analysis.table.subset(
            np.array([group not in of for of in belongs], dtype=bool))))
        expected += [(key, f"without {group}") for key, (level, _) in before.items()
                     if level is not None and other[key][0] != level]
    assert [((c.variable, c.scope, c.at), c.scenario) for c in result.changes] == expected


@pytest.mark.parametrize(("name", "analysis"), CASES, ids=[n for n, _ in CASES])
def test_other_priors_reuse_the_table_exactly(name: str, analysis: multilat.Analysis) -> None:
    from multilat.checks.model_choices import _again

    for mode in ("dynamic", "fixed"):
        fast = _again(analysis, **{"infer.priors": mode})
        slow = multilat.analyze(analysis.case, analysis.theory,
                                analysis.settings.replace(**{"infer.priors": mode}))
        for target, beliefs in slow.beliefs.items():
            for scope in Scope:
                np.testing.assert_allclose(fast.beliefs[target].probabilities(scope),
                                           beliefs.probabilities(scope), rtol=0, atol=1e-12)
        np.testing.assert_allclose(fast.predicted_yearly, slow.predicted_yearly, atol=1e-12)


def test_variant_rule_table_without_tabulating_again() -> None:
    from multilat.checks._core import compare_conclusions
    from multilat.checks.variant_theory import variant_rule_table
    from multilat.infer.weighing import tabulate_evidence
    from multilat.theory import resolve_theory

    analysis = dict(CASES)["builtin"]
    result = variant_rule_table(analysis, rng=np.random.default_rng(0))
    expected = []
    for reference in analysis.theory.readings:
        variant = resolve_theory(reference, analysis.case.folder)
        table = tabulate_evidence(analysis.case, variant, analysis.settings)
        other = reweigh(analysis.__class__(analysis.case, variant, analysis.settings, table,
                                           analysis.beliefs, analysis.predicted_yearly,
                                           analysis.predicted_periods), table)
        expected += compare_conclusions(analysis, other, f"theory {variant.name}",
                                        only=lambda key: key[0] == analysis.theory.predicted_name)
    assert analysis.theory.readings and result.changes == tuple(expected)


@pytest.mark.parametrize(("name", "analysis"), CASES, ids=[n for n, _ in CASES])
def test_dynamic_leave_one_out_equals_weighing_again(name: str,
                                                     analysis: multilat.Analysis) -> None:
    """Under dynamic priors leave-one-out re-filters each item's target from its first year:
    the same (item, conclusion) pairs and flips as weighing again without each item."""
    from multilat.checks.leave_one_out import _by_reweighing, leave_one_out

    dynamic = multilat.analyze(analysis.case, analysis.theory,
                               analysis.settings.replace(**{"infer.priors": "dynamic"}))
    fast, slow = leave_one_out(dynamic), _by_reweighing(dynamic)
    assert fast.keys == slow.keys and fast.levels == slow.levels
    assert len(slow.item)
    np.testing.assert_array_equal(fast.item, slow.item)
    np.testing.assert_array_equal(fast.conclusion, slow.conclusion)
    np.testing.assert_array_equal(fast.flips, slow.flips)
    np.testing.assert_allclose(fast.before, slow.before, rtol=0, atol=1e-12)
    np.testing.assert_allclose(fast.after, slow.after, rtol=0, atol=1e-12)


@pytest.mark.parametrize(("name", "analysis"), CASES, ids=[n for n, _ in CASES])
@pytest.mark.parametrize("factor", [0.25, 4.0])
def test_scaled_beliefs_equal_reweighed(name: str, analysis: multilat.Analysis,
                                        factor: float) -> None:
    from multilat.checks.strength_sweep import strength_labels

    labels = strength_labels(analysis)
    names = sorted(set(labels))
    row_group, row = group_pairs([names.index(label) for label in labels])
    for scope, first, which, probabilities, predicted in group_beliefs(
            analysis, row_group, row, len(names), keeps=(0.5, factor)):
        if which == 0:
            continue
        for offset in range(predicted.shape[0]):
            chosen = np.array([label == names[first + offset] for label in labels])
            other = reweigh(analysis, analysis.table.scaled(np.where(chosen, factor, 1.0)))
            _assert_same(probabilities, predicted, offset, other, scope)


@pytest.mark.parametrize(("name", "analysis"), CASES, ids=[n for n, _ in CASES])
def test_strength_sweep_equals_the_reweighing_path(name: str,
                                                   analysis: multilat.Analysis) -> None:
    from multilat.checks.strength_sweep import _reweighed, strength_labels, strength_sweep

    fast = strength_sweep(analysis, rng=np.random.default_rng(0))
    labels = strength_labels(analysis)
    slow = _reweighed(analysis, np.array(labels, dtype=object),
                      ("all", *sorted(set(labels))), fast.question, {"factors": [0.25, 0.5,
                                                                                 2.0, 4.0]})
    assert fast.to_dict() == slow.to_dict()
    assert fast.scenarios == slow.scenarios and len(fast.scenarios) >= 8


def test_strength_sweep_finds_changes_on_the_generated_case() -> None:
    from multilat.checks.strength_sweep import strength_sweep

    result = strength_sweep(dict(CASES)["generated"], rng=np.random.default_rng(0))
    assert result.changes  # the comparison above compares something


def test_strength_sweep_under_dynamic_priors_weighs_each_scenario() -> None:
    from multilat.checks.strength_sweep import strength_sweep

    base = dict(CASES)["generated"]
    analysis = multilat.analyze(base.case, base.theory,
                                base.settings.replace(**{"infer.priors": "dynamic"}))
    result = strength_sweep(analysis, rng=np.random.default_rng(0))
    before = conclusions_of(analysis)
    scaled = conclusions_of(reweigh(analysis, analysis.table.scaled(
        np.full(len(analysis.table), 4.0))))
    expected = {key for key, (level, _) in before.items()
                if level is not None and scaled[key][0] != level}
    assert {(c.variable, c.scope, c.at) for c in result.changes
            if c.scenario == "all x4"} == expected

