"""compare-theories ranks a planted true theory first."""

from __future__ import annotations

from dataclasses import replace

import pytest

import multilat
from multilat.case.model import Evidence
from multilat.checks.synthetic import synthetic_case
from multilat.compare import compare_theories
from multilat.errors import InputError
from multilat.theory.model import Citation

THEORY = "kpr"  # the built-in theory the synthetic cases are drawn under


def _case(strategy_change: int) -> object:
    """kpr's balance turns in 2005; the Russia-West confrontation rises in 2009."""
    case = synthetic_case({"balance_of_outside_options": ("unfavorable", "favorable", 2005),
                           "indispensability": ("indispensable", "indispensable", 2000),
                           "strategy": ("invest", "hold_up", strategy_change)},
                          n_per_year=3, accuracy=0.9, seed=11, theory=THEORY)
    rival = tuple(
        Evidence(id=f"rw-{year}-{i}", kind="assessment", start=year, end=year, actor="RIS",
                 summary="synthetic", variable="russia_west_confrontation",
                 level="high" if year >= 2009 else "low", citation=Citation("src"),
                 rationale="synthetic", strength="hoop")
        for year in range(case.start, case.end + 1) for i in range(3))
    return replace(case, evidence=(*case.evidence, *rival),
                   rival_theories=("russia-west",))


@pytest.mark.parametrize(("change", "winner"), [(2005, "kpr"), (2009, "russia-west")])
def test_planted_true_theory_ranks_first(change: int, winner: str) -> None:
    comparison = compare_theories(_case(change), ["kpr", "russia-west"])  # type: ignore[arg-type]
    assert comparison.theories[0].name == winner
    best = comparison.theories[0]
    assert best.misses <= 1 and best.hits >= 10


def test_default_theories_and_reference() -> None:
    comparison = compare_theories(_case(2005))  # type: ignore[arg-type]
    assert comparison.theories[0].fit == max(t.fit for t in comparison.theories)
    assert {t.name for t in comparison.theories} == {"kpr", "kpr-invest", "russia-west"}
    assert comparison.reference == "kpr"
    kpr = [t for t in comparison.theories if t.name == "kpr"][0]
    assert kpr.log_bayes_factor == 0.0


def test_theories_must_share_the_outcome(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from multilat.theory import builtin_theories
    text = builtin_theories()["kpr"].read_text().replace("- name: accept", "- name: exit")
    text = text.replace("then: accept", "then: exit")
    path = tmp_path / "odd.yaml"
    path.write_text(text)
    with pytest.raises(InputError, match="outcome"):
        compare_theories(_case(2005), ["kpr", str(path)])  # type: ignore[arg-type]


def test_reused_analysis_and_shared_tables_give_the_same_comparison() -> None:
    from multilat.assessment import comparable_theories

    case = multilat.load_example()
    analysis = multilat.analyze(case)
    theories, _ = comparable_theories(analysis)
    assert len(theories) > 1
    fresh = compare_theories(analysis.case, theories, analysis.settings)
    reused = compare_theories(analysis.case, theories, analysis.settings, analysis=analysis)
    assert reused == fresh
    # Each theory weighed on its own gives the same fit as the comparison.
    for theory in theories:
        alone = compare_theories(analysis.case, [theory], analysis.settings).theories[0]
        same = next(f for f in fresh.theories if f.name == theory.name)
        assert alone.yearly_fit == same.yearly_fit and alone.predicted == same.predicted
