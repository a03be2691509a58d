"""Evidence as likelihoods: the worked examples of Bayesian process tracing, reproduced.

Each posterior is checked to 1e-5 (most to 1e-9) against the published number or the
published formula, with its source beside it:

- Humphreys, M. and Jacobs, A. M. (2023) *Integrated Inferences*, ch. 5 "Bayesian Answers"
  (the book's source: github.com/integrated-inferences/book, 05-being-bayesian.qmd);
- DeclareDesign's process-tracing design (DesignLibrary: vignettes/process_tracing.Rmd and
  R/process_tracing_designer.R), its default clues and its correlated-clue model.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

import multilat
from multilat.checks import leave_one_out, smallest_flip_sets
from multilat.errors import CaseFileError, InferenceError
from multilat.explain import explain_belief
from multilat.settings import default_settings

GOOD = Path(__file__).parents[1] / "data" / "cases" / "good"
BASE = yaml.safe_load((GOOD / "minimal.yaml").read_text(encoding="utf-8"))
TWO = "indispensability"  # levels indispensable, dispensable; no sides
THREE = "strategy"  # the outcome: invest, hold_up, accept


def _item(item_id: str, likelihoods: dict[str, float] | None = None, *,
          variable: str = TWO, years: Any = 2000, **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"id": item_id, "kind": "action", "years": years, "actor": "RIS",
                            "summary": "a clue", "variable": variable,
                            "citation": {"key": "smith2020"}, "rationale": "why"}
    if likelihoods is not None:
        item["likelihoods"] = likelihoods
    item.update(extra)
    return item


def _case(items: list[dict[str, Any]], priors: dict[str, dict[str, float]] | None = None,
          groups: list[dict[str, Any]] | None = None) -> multilat.Case:
    data = copy.deepcopy(BASE)
    data["evidence"] = items
    data.pop("claims")
    if priors:
        data["priors"] = priors
    if groups:
        data["evidence_groups"] = groups
    return multilat.case_from_mapping(data, GOOD)


def _posterior(case: multilat.Case, variable: str = TWO, year: int = 2000,
               settings: multilat.Settings | None = None) -> dict[str, float]:
    beliefs = multilat.analyze(case, settings=settings).beliefs[variable]
    row = beliefs.yearly[year - case.start]
    return dict(zip(beliefs.levels, row.tolist(), strict=True))


# --- Humphreys and Jacobs, ch. 5 ------------------------------------------------------------

def test_diagnostic_test_prior_001_gives_one_half() -> None:
    """H&J ch. 5, "Simple Instances", 'Interpreting Your Test Results': a disease of 1 in
    100, a test right 99% of the time either way; a positive result gives P(sick) = 99 / (99 +
    99) = 0.5."""
    case = _case([_item("test", {"indispensable": 0.99, "dispensable": 0.01})],
                 {TWO: {"indispensable": 0.01, "dispensable": 0.99}})
    assert _posterior(case)["indispensable"] == pytest.approx(0.5, abs=1e-9)


def test_failed_hoop_test_074_to_026() -> None:
    """H&J ch. 5, "Priors Matter" (fig. 5.3, the hoop test phi = 0.95 if H, 0.6 if not): a
    clue looked for and not found moves a prior of 0.74 to 0.26 ('at the maximum, beliefs
    change from 0.74 to 0.26'); exactly 0.74 x 0.05 / (0.74 x 0.05 + 0.26 x 0.4) = 0.26241."""
    case = _case([_item("hoop", {"indispensable": 0.95, "dispensable": 0.6}, found=False)],
                 {TWO: {"indispensable": 0.74, "dispensable": 0.26}})
    posterior = _posterior(case)["indispensable"]
    assert posterior == pytest.approx(0.037 / 0.141, abs=1e-12)
    assert posterior == pytest.approx(0.2624, abs=1e-4)


def test_three_rivals_in_one_item() -> None:
    """Bayes' rule over an exclusive, exhaustive set of hypotheses (H&J ch. 5, "Bayes' Rule
    for Discrete Hypotheses", the sum over H'): priors 0.2 / 0.3 / 0.5 and likelihoods
    0.6 / 0.3 / 0.1 give 0.12 / 0.09 / 0.05
    over 0.26."""
    case = _case([_item("rivals", {"invest": 0.6, "hold_up": 0.3, "accept": 0.1},
                        variable=THREE)],
                 {THREE: {"invest": 0.2, "hold_up": 0.3, "accept": 0.5}})
    posterior = _posterior(case, THREE)
    assert posterior["invest"] == pytest.approx(0.4615385, abs=1e-6)
    assert posterior["hold_up"] == pytest.approx(0.3461538, abs=1e-6)
    assert posterior["accept"] == pytest.approx(0.1923077, abs=1e-6)
    # One item, one fact: the table has one row with a weight on every level.
    analysis = multilat.analyze(case)
    assert analysis.table.ids == ("rivals",)
    assert np.count_nonzero(analysis.table.matrix[0]) == 2  # accept, the least likely, is 0


def test_a_level_with_likelihood_zero_gets_probability_zero() -> None:
    """A clue impossible under a level rules it out (H&J: the card that is a heart is
    not the Jack of Spades, ch. 5 "Simple Instances"), whatever the prior and the other items."""
    case = _case([_item("gun", {"indispensable": 0.3, "dispensable": 0.0}),
                  _item("other", {"indispensable": 0.1, "dispensable": 0.9})],
                 {TWO: {"indispensable": 0.05, "dispensable": 0.95}})
    posterior = _posterior(case)
    assert posterior["dispensable"] == 0.0
    assert posterior["indispensable"] == 1.0
    assert _posterior(case, year=2001)["indispensable"] == pytest.approx(0.05, abs=1e-12)


def test_expected_learning_and_probative_value() -> None:
    """H&J ch. 5, "Learning" (expected learning, and its formula for p = 0.5): a search for
    K1 (0.99, 0.01) has an expected learning of about 95%, for K2 (0.099, 0.001) about 5%,
    although the probative
    value of finding either is the same, log10(99) = 1.996."""
    from multilat.infer.diagnostics import expected_learning, van_evera_test

    k1 = expected_learning(0.99, 0.01, 0.5)
    k2 = expected_learning(0.099, 0.001, 0.5)
    assert k1 == pytest.approx(0.98 ** 2 / (2 * 1.0 - 1.0 ** 2), abs=1e-12)
    assert round(k1, 2) == 0.96 and round(k2, 2) == 0.05
    # The general formula (any prior) agrees with the expected reduction in variance.
    p, f1, f0 = 0.134, 0.6, 0.38
    loss = (p * f1 * (1 - f1 * p / (f1 * p + f0 * (1 - p))) ** 2
            + p * (1 - f1) * (1 - (1 - f1) * p / ((1 - f1) * p + (1 - f0) * (1 - p))) ** 2
            + (1 - p) * f0 * (f1 * p / (f1 * p + f0 * (1 - p))) ** 2
            + (1 - p) * (1 - f0) * ((1 - f1) * p / ((1 - f1) * p + (1 - f0) * (1 - p))) ** 2)
    assert expected_learning(f1, f0, p) == pytest.approx(1 - loss / (p * (1 - p)), abs=1e-12)
    # The tests as regions of (P(E | level), P(E | other)), H&J fig. 5.2 (ratio 2 lines).
    assert van_evera_test(0.6, 0.4, 2.0) == "straw_in_the_wind"
    assert van_evera_test(0.95, 0.6, 2.0) == "hoop"
    assert van_evera_test(0.4, 0.05, 2.0) == "smoking_gun"
    assert van_evera_test(0.95, 0.05, 2.0) == "doubly_decisive"
    assert van_evera_test(0.5, 0.5, 2.0) == "uninformative"
    for label in ("straw_in_the_wind", "hoop", "smoking_gun", "doubly_decisive"):
        if_level, if_other = default_settings().strength_probabilities(label)
        assert van_evera_test(if_level, if_other, 2.0) == label


# --- DeclareDesign's process-tracing design --------------------------------------------------

E1 = {"indispensable": 0.8, "dispensable": 0.2}  # straw in the wind (p_E1_H, p_E1_not_H)
E2 = {"indispensable": 0.3, "dispensable": 0.0}  # smoking gun (p_E2_H, p_E2_not_H)
EVEN = {TWO: {"indispensable": 0.5, "dispensable": 0.5}}  # prior_H = 0.5


def test_declaredesign_single_clues() -> None:
    """process_tracing_designer()'s defaults with its bayes_rule: E1 found gives 0.8; E2
    (P(E2 | not H) = 0) found gives 1; E2 looked for and missing gives 0.35 / 0.85."""
    assert _posterior(_case([_item("e1", E1)], EVEN))["indispensable"] == \
        pytest.approx(0.8, abs=1e-12)
    assert _posterior(_case([_item("e2", E2)], EVEN))["indispensable"] == 1.0
    assert _posterior(_case([_item("e2", E2, found=False)], EVEN))["indispensable"] == \
        pytest.approx(0.35 / 0.85, abs=1e-12)


def test_declaredesign_correlated_clues() -> None:
    """The designer's joint_prob(p1, p2, rho): P(E1 = 1, E2 = 0) = p1 (1 - p2) - rho s with
    s = sqrt(p1 p2 (1 - p1) (1 - p2)); with cor_E1E2_H = 0.32 (the vignette's value) and
    cor_E1E2_not_H = 0, finding E1 but not E2 gives 0.50134 / 0.70134 = 0.71484; without the
    correlation, 0.56 / 0.76 = 0.73684."""
    items = [_item("e1", E1), _item("e2", E2, found=False)]
    s = math.sqrt(0.8 * 0.3 * 0.2 * 0.7)
    joint_h = 0.8 * 0.7 - 0.32 * s
    expected = joint_h / (joint_h + 0.2)
    assert expected == pytest.approx(0.71484, abs=1e-5)
    correlated = _case(items, EVEN, [{"id": "e1e2", "items": ["e1", "e2"], "rationale": "r",
                                      "correlation": {"indispensable": 0.32,
                                                      "dispensable": 0.0}}])
    assert _posterior(correlated)["indispensable"] == pytest.approx(expected, abs=1e-12)
    assert _posterior(_case(items, EVEN))["indispensable"] == pytest.approx(0.56 / 0.76,
                                                                           abs=1e-12)
    # Zero correlation is independence; a joint given outright is used as given.
    zero = _case(items, EVEN, [{"id": "g", "items": ["e1", "e2"], "rationale": "r",
                                "correlation": 0}])
    assert _posterior(zero)["indispensable"] == pytest.approx(0.56 / 0.76, abs=1e-12)
    joint = _case(items, EVEN, [{"id": "g", "items": ["e1", "e2"], "rationale": "r",
                                 "likelihoods": {"indispensable": joint_h,
                                                 "dispensable": 0.2}}])
    assert _posterior(joint)["indispensable"] == pytest.approx(expected, abs=1e-12)


def test_a_group_is_one_fact_for_the_checks() -> None:
    items = [_item("e1", E1, years=[2000, 2003]), _item("e2", E2, found=False, years=[2000, 2003]),
             _item("e3", {"indispensable": 0.4, "dispensable": 0.7}, years=[2000, 2003])]
    case = _case(items, None, [{"id": "e1e2", "items": ["e1", "e2"], "rationale": "r",
                                "correlation": {"indispensable": 0.32, "dispensable": 0.0}}])
    analysis = multilat.analyze(case)
    assert analysis.table.ids == ("e1e2", "e3")
    assert analysis.table.members == (("e1", "e2"), ("e3",))
    assert list(analysis.table.size) == [2, 1]
    assert int(analysis.beliefs[TWO].yearly_counts[0]) == 3
    result = leave_one_out(analysis)
    assert set(result.ids) == {"e1e2", "e3"}
    sets = smallest_flip_sets(analysis)
    flip = sets[(TWO, "year", 2000)]
    assert flip.ids == ("e1e2",)  # the group alone carries the conclusion
    explanation = explain_belief(analysis, TWO, year=2000)
    assert [c.id for c in explanation.contributions["indispensable"]] == ["e1e2", "e3"]
    # Without one of its items (e.g. that layer left out), the group's items weigh alone.
    alone = multilat.analyze(case.without({"e2"}))
    assert alone.table.ids == ("e1", "e3")


def test_group_problems_are_located() -> None:
    items = [_item("e1", E1), _item("e2", E2, years=2001), _item("e3", E1), _item("e4", E2)]
    with pytest.raises(CaseFileError) as error:
        _case(items, None, [
            {"id": "g1", "items": ["e1", "e2"], "rationale": "r", "correlation": 0.2},
            {"id": "g2", "items": ["e1", "nope"], "rationale": "r", "correlation": 0.2},
            {"id": "e3", "items": ["e3", "e4"], "rationale": "r",
             "likelihoods": {"indispensable": 0.1}}])
    found = {(p.field, p.found) for p in error.value.problems}
    assert ("evidence_groups[0].items", "items with different years: 2000, 2001") in found
    assert ("evidence_groups[1].items[0]", "'e1', already in group 'g1'") in found
    assert ("evidence_groups[1].items[1]", '"nope"') in found
    assert ("evidence_groups[2].id", "the duplicate id 'e3'") in found
    assert ("evidence_groups[2].likelihoods", "indispensable") in found
    impossible = _case([_item("a", {"indispensable": 0.9, "dispensable": 0.9}),
                        _item("b", {"indispensable": 0.9, "dispensable": 0.9})], None,
                       [{"id": "g", "items": ["a", "b"], "rationale": "r", "correlation": -1}])
    with pytest.raises(InferenceError, match="the correlation is not possible"):
        multilat.analyze(impossible)


# --- what the numbers must satisfy ------------------------------------------------------------

def test_likelihood_problems_are_located() -> None:
    with pytest.raises(CaseFileError) as error:
        _case([_item("a", {"indispensable": 0.0, "dispensable": 0.0}),
               _item("b", {"indispensable": 1.0, "dispensable": 1.0}, found=False),
               _item("c", {"indispensable": 0.2, "dispensable": 0.6}, level="indispensable"),
               _item("d", {"indispensable": 0.2}),
               _item("e", {"invest": 0.2, "hold_up": 0.5}, variable=THREE),
               _item("f", {"indispensable": 1.5, "dispensable": 0.5}),
               _item("g", {"indispensable": 0.5, "dispensable": 0.5}, strength="hoop"),
               _item("h"), _item("i", {"indispensable": 0.5, "dispensable": 0.4},
                                 test="hoop")])
    problems = {p.field: (p.found, p.expected) for p in error.value.problems}
    assert problems["evidence[0].likelihoods"][0] == "P(E | level) = 0 for every level"
    assert "rules out every level" in problems["evidence[0].likelihoods"][1]
    assert problems["evidence[1].likelihoods"][0] == \
        "P(E | level) = 1 for every level with found: false"
    assert problems["evidence[2].level"] == (
        '"indispensable" with P(E | level) 0.2',
        "the most likely level: dispensable (P(E | level) 0.6), or no level")
    assert problems["evidence[3].likelihoods"][0] == "indispensable"
    assert problems["evidence[4].likelihoods"][1].startswith(
        "a probability for each of: invest, hold_up, accept")
    assert "evidence[5].likelihoods.indispensable" in problems
    assert "evidence[6]" in problems and "evidence[7]" in problems
    assert "evidence[8]" not in problems  # an asserted test beside likelihoods is fine
    # Without a level, the item points to its most likely level.
    case = _case([_item("a", {"indispensable": 0.2, "dispensable": 0.6})])
    assert case.evidence[0].level == "dispensable"
    assert multilat.Evidence.from_mapping(case.evidence[0].to_mapping()) == case.evidence[0]


def test_items_that_together_rule_out_every_level_are_named() -> None:
    case = _case([_item("a", {"indispensable": 0.0, "dispensable": 0.5}, years=[2000, 2001]),
                  _item("b", {"indispensable": 0.5, "dispensable": 0.0}, years=2001)])
    with pytest.raises(InferenceError, match=r"rules out every level of 'indispensability' "
                                             r"in year 2001: items a, b"):
        multilat.analyze(case)


def test_strength_items_are_the_vector_special_case() -> None:
    """A strength item weighs as the likelihoods its label stands for."""
    labelled = _case([_item("a", level="indispensable", strength="hoop"),
                      _item("b", level="dispensable", strength="smoking_gun", found=False)])
    spelled = _case([_item("a", {"indispensable": 0.95, "dispensable": 0.6}),
                     _item("b", {"indispensable": 0.05, "dispensable": 0.4}, found=False,
                           level="dispensable")])
    for year in (2000,):
        a, b = _posterior(labelled, year=year), _posterior(spelled, year=year)
        assert a["indispensable"] == pytest.approx(b["indispensable"], abs=1e-12)


# --- reliability, units, dynamic priors ----------------------------------------------------

def test_reliability_models() -> None:
    """A doubly decisive item (0.95, 0.05) at r = 0.5: tempered LR 19 ** 0.5 = 4.36; as a
    mixture with an uninformative report (mean likelihood 0.5) 1.45 / 0.55 = 2.64."""
    case = _case([_item("dd", level="indispensable", strength="doubly_decisive",
                        reliability=0.5)])
    tempered = _posterior(case)["indispensable"]
    assert tempered / (1 - tempered) == pytest.approx(19 ** 0.5, abs=1e-9)
    mixture = default_settings().replace(**{"infer.reliability_model": "credibility"})
    credible = _posterior(case, settings=mixture)["indispensable"]
    assert credible / (1 - credible) == pytest.approx(1.45 / 0.55, abs=1e-9)
    # A zero rules a level out under tempering whatever r, but not under credibility.
    gun = _case([_item("g", {"indispensable": 0.3, "dispensable": 0.0}, reliability=0.8)])
    assert _posterior(gun)["dispensable"] == 0.0
    odds = 0.8 * 0.3 + 0.2 * 0.15
    assert _posterior(gun, settings=mixture)["indispensable"] == pytest.approx(
        odds / (odds + 0.2 * 0.15), abs=1e-12)


def test_weight_units() -> None:
    from multilat.infer.units import format_weight, in_unit

    assert in_unit(math.log(10), "log10") == pytest.approx(1.0)
    assert in_unit(math.log(10), "decibels") == pytest.approx(10.0)
    assert format_weight(math.log(19), "decibels") == "+12.788"
    assert format_weight(float("inf"), "nats") == "+inf"


def test_dynamic_priors_carry_the_posterior() -> None:
    """Year 2000: prior 0.5, an item of LR 4 gives 0.8; with a switch probability of 0.1,
    2001 starts from 0.9 x 0.8 + 0.1 x 0.2 = 0.74 (and has no evidence)."""
    case = _case([_item("a", {"indispensable": 0.8, "dispensable": 0.2})])
    dynamic = default_settings().replace(**{"infer.priors": "dynamic"})
    assert _posterior(case, year=2001) == {"indispensable": 0.5, "dispensable": 0.5}
    assert _posterior(case, year=2001, settings=dynamic)["indispensable"] == \
        pytest.approx(0.74, abs=1e-12)
    assert _posterior(case, year=2002, settings=dynamic)["indispensable"] == \
        pytest.approx(0.9 * 0.74 + 0.1 * 0.26, abs=1e-12)
    analysis = multilat.analyze(case, settings=dynamic)
    result = leave_one_out(analysis)  # by weighing again: the item moves later years too
    moved = {result.keys[int(c)] for c in result.conclusion}
    assert (TWO, "year", 2003) in moved


# --- what is shown ---------------------------------------------------------------------------

def test_json_diagnostics_and_groups() -> None:
    import json

    items = [_item("e1", E1), _item("e2", E2), _item("h", level="indispensable", strength="hoop",
                                                      years=2001)]
    case = _case(items, EVEN, [{"id": "g", "items": ["e1", "e2"], "rationale": "r",
                                "correlation": 0.0}])
    strict = default_settings().replace(**{"infer.strength.hoop.if_other": 0.9})
    document = multilat.analyze(case, settings=strict).to_dict()
    json.dumps(document, allow_nan=False)  # a row ruling out every rival has no finite weight
    by_id = {e["id"]: e for e in document["evidence"]}
    assert by_id["e1"]["group"] == "g" and by_id["e1"]["weight"] is None
    assert document["evidence_groups"][0]["weight"] is None  # it rules out dispensable
    assert by_id["e2"]["diagnostics"]["test_by_numbers"] == "smoking_gun"
    assert by_id["e1"]["diagnostics"]["expected_learning"] == pytest.approx(
        0.6 ** 2 / (2 * 1.0 - 1.0), abs=1e-6)
    # A hoop whose numbers (0.95, 0.9) no longer make it one is flagged.
    assert by_id["h"]["diagnostics"]["test_by_numbers"] == "straw_in_the_wind"
    assert "labelled hoop" in by_id["h"]["diagnostics"]["warning"]


def test_the_outcome_prior_is_shown_where_there_is_no_evidence() -> None:
    from multilat.views import result_tables

    case = _case([_item("a", E1)], {THREE: {"invest": 0.6, "hold_up": 0.3, "accept": 0.1}})
    periods, years = result_tables(multilat.analyze(case))
    observed = years.columns.index("observed")
    assert years.rows[0][observed] == "no evidence (prior invest 0.60)"
    plain = result_tables(multilat.analyze(_case([_item("a", E1)])))[1]
    assert plain.rows[0][observed] == "no evidence"


def test_settings_of_the_weighing_are_validated() -> None:
    from multilat.errors import SettingsError

    for key, value in (("infer.reliability_model", "mixture"), ("infer.priors", "carried"),
                       ("report.weight_unit", "bits"), ("infer.test_ratio", 1.0),
                       ("infer.dynamic.switch_probability", 1.0)):
        with pytest.raises(SettingsError):
            default_settings().replace(**{key: value})


def test_model_choice_checks() -> None:
    from multilat.checks import dynamic_priors, reliability_model

    rng = np.random.default_rng(0)
    # One unreliable item decides 2000; as a mixture it is weaker but still decides.
    case = _case([_item("a", E1, reliability=0.5)])
    result = reliability_model(multilat.analyze(case), rng=rng)
    assert result.scenarios == ("reliability as credibility",)
    assert str(result.verdict) == "robust"
    assert str(reliability_model(multilat.analyze(_case([_item("a", E1)])), rng=rng)
               .verdict) == "not_applicable"
    # Fixed priors: 2001-2003 have no evidence, so no conclusion there to lose; 2000 holds.
    carried = dynamic_priors(multilat.analyze(case), rng=rng)
    assert carried.scenarios == ("dynamic priors (switch 0.1)",)
    assert str(carried.verdict) == "robust"
    # Dynamic priors carry 2000 into 2001-2003; fixed ones make those years ties again.
    back = dynamic_priors(multilat.analyze(case, settings=default_settings().replace(
        **{"infer.priors": "dynamic"})), rng=rng)
    assert {(c.variable, c.at) for c in back.changes} >= {(TWO, 2001)}


def test_checks_and_report_content_take_vectors_groups_and_zeros() -> None:
    import json

    from multilat.checks import run_checks
    from multilat.report import content

    items = [_item("e1", E1, years=[2000, 2003]), _item("e2", E2, years=[2000, 2003]),
             _item("r", {"invest": 0.6, "hold_up": 0.3, "accept": 0.0}, variable=THREE,
                   years=[2001, 2002]),
             _item("s", level="favorable", strength="hoop", variable="balance_of_outside_options",
                   side="rising", reliability=0.7)]
    case = _case(items, EVEN, [{"id": "g", "items": ["e1", "e2"], "rationale": "together",
                                "correlation": {"indispensable": 0.32, "dispensable": 0.0}}])
    for settings in (default_settings(),
                     default_settings().replace(**{"infer.reliability_model": "credibility",
                                                   "report.weight_unit": "decibels"}),
                     default_settings().replace(**{"infer.priors": "dynamic"})):
        analysis = multilat.analyze(case, settings=settings)
        report = run_checks(analysis)
        json.dumps(report.to_dict(), allow_nan=False)
        json.dumps(analysis.to_dict(), allow_nan=False)
        _, columns, rows = content.evidence_matrix(analysis, {})
        by_id = {row.id: row for row in rows}
        accept = columns.index("accept")
        if settings["infer.reliability_model"] == "tempering":
            assert by_id["r"].cells[accept].text == "ruled out"
            assert by_id["g"].cells[columns.index("indispensable")].text == "rules out the rest"
        assert by_id["g"].test.startswith("group, correlated (e1: P(E | level)")
        content.contribution_tables(analysis)
        explanation = explain_belief(analysis, THREE, year=2001)
        json.dumps(explanation.to_dict(), allow_nan=False)
    tempered = multilat.analyze(case)
    explanation = explain_belief(tempered, THREE, year=2001)
    assert explanation.ruled_out == ("accept",)
    assert explanation.posterior["accept"] == 0.0
    sets = smallest_flip_sets(tempered)
    # The invest conclusion in 2001 needs r out: it alone rules accept out and favours invest.
    assert sets[("observed_strategy", "year", 2001)].ids == ("r",)


def test_change_point_with_a_ruled_out_level() -> None:
    """A level ruled out in 2001 rules out every path holding it then; the rest is exact
    (checked against enumerating the paths)."""
    from multilat.changepoint import change_point

    items = [_item("a", {"indispensable": 0.9, "dispensable": 0.3}, years=2000),
             _item("b", {"indispensable": 0.0, "dispensable": 0.5}, years=2001),
             _item("c", {"indispensable": 0.2, "dispensable": 0.6}, years=[2002, 2003])]
    analysis = multilat.analyze(_case(items))
    for counting in ("once", "per_year"):
        result = change_point(analysis, TWO, counting=counting)
        assert all(math.isfinite(v) for v in result.posterior.values())
        # indispensable -> dispensable at 2001 is possible; a change at 2002 needs 2001 at
        # indispensable, which b rules out, unless the path starts dispensable.
        share = 0.5 if counting == "once" else 1.0
        like = {  # the four paths' likelihoods, by hand
            "2001": 0.9 * 0.5 * 0.6 ** (2 * share),
            "2002": 0.3 * 0.5 * 0.2 ** (2 * share),  # dispensable, then indispensable
            "2003": 0.3 * 0.5 * 0.6 ** share * 0.2 ** share,
            "no_change": 0.3 * 0.5 * 0.6 ** (2 * share)}
        total = sum(like.values())
        for key, value in like.items():
            assert result.posterior[key] == pytest.approx(value / total, abs=1e-9)


def test_dump_and_load_keep_likelihoods_and_groups(tmp_path: Path) -> None:
    import shutil

    shutil.copy(GOOD / "refs.bib", tmp_path / "refs.bib")
    case = _case([_item("e1", E1, test="straw_in_the_wind"), _item("e2", E2, found=False)],
                 EVEN, [{"id": "g", "items": ["e1", "e2"], "rationale": "together",
                         "correlation": {"indispensable": 0.32, "dispensable": 0.0}}])
    path = multilat.dump_case(case, tmp_path / "case.yaml")
    again = multilat.load_case(path)
    assert again == case
    assert again.groups[0].correlation == {"indispensable": 0.32, "dispensable": 0.0}
    assert again.evidence[0].likelihoods == E1 and again.evidence[0].test == "straw_in_the_wind"


def test_cli_prints_units_and_label_warnings(tmp_path: Path) -> None:
    import shutil

    from click.testing import CliRunner

    from multilat.cli import main

    shutil.copy(GOOD / "refs.bib", tmp_path / "refs.bib")
    data = copy.deepcopy(BASE)
    data.pop("claims")
    data["evidence"] = [_item("e1", {"indispensable": 0.95, "dispensable": 0.9},
                              test="smoking_gun")]
    (tmp_path / "case.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    (tmp_path / "multilat.toml").write_text('[report]\nweight_unit = "decibels"\n',
                                            encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["analyze", str(tmp_path / "case.yaml")])
    assert result.exit_code == 0, result.output
    assert ("Warning: evidence e1: labelled smoking gun, but its numbers (P(E | indispensable) "
            "0.95, P(E | other) 0.9) make it straw in the wind.") in result.output
    explained = runner.invoke(main, ["explain", str(tmp_path / "case.yaml"), "--variable", TWO,
                                     "--year", "2000", "--settings",
                                     str(tmp_path / "multilat.toml")])
    assert explained.exit_code == 0, explained.output
    weight = 10 * math.log10(0.95 / 0.9)
    assert f"{weight:+.3f}" in explained.output and "(in decibels)" in explained.output
