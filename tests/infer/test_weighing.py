from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import multilat
from multilat.case.model import Citation, Evidence
from multilat.settings import default_settings


def _item(item_id: str, variable: str = "balance_of_outside_options", level: str = "favorable",
          years: tuple[int, int] = (2000, 2000), side: str | None = "rising",
          strength: str | None = None, ratio: float | None = 2.0, found: bool = True,
          reliability: float = 1.0) -> Evidence:
    if variable != "balance_of_outside_options":
        side = None
    return Evidence(id=item_id, kind="statistic", start=years[0], end=years[1], actor="RIS",
                    summary="s", variable=variable, level=level, citation=Citation("smith2020"),
                    rationale="r", side=side, strength=strength,
                    likelihood_ratio=None if strength else ratio, found=found,
                    reliability=reliability)


@pytest.fixture
def base(minimal_path: Path) -> multilat.Case:
    return replace(multilat.load_case(minimal_path), evidence=())


def test_strength_scale_found_and_missing() -> None:
    s = default_settings()
    hoop = _item("h", strength="hoop")
    assert multilat.infer.evidence_weight(hoop, s) == pytest.approx(math.log(0.95 / 0.6))
    failed = replace(hoop, found=False)
    assert multilat.infer.evidence_weight(failed, s) == pytest.approx(math.log(0.05 / 0.4))
    gun = replace(_item("g", strength="smoking_gun"), reliability=0.5)
    assert multilat.infer.evidence_weight(gun, s) == pytest.approx(0.5 * math.log(8))
    custom = s.replace(**{"infer.strength.hoop.if_level": 0.9})
    assert multilat.infer.evidence_weight(hoop, custom) == pytest.approx(math.log(1.5))


def test_hand_computed_beliefs_and_sides(base: multilat.Case) -> None:
    case = replace(base, evidence=(
        _item("a", ratio=4.0, years=(2000, 2001)),
        _item("b", ratio=2.0, side="established", years=(2001, 2001)),
        _item("c", level="unfavorable", ratio=8.0, years=(2003, 2003), reliability=0.5),
    ))
    analysis = multilat.analyze(case)
    balance = analysis.beliefs["balance_of_outside_options"]
    expected_odds = [4.0, 8.0, 1.0, 1 / math.sqrt(8)]
    np.testing.assert_allclose(balance.yearly[:, 0], [o / (1 + o) for o in expected_odds])
    # rising, established, none: contributions kept apart
    np.testing.assert_allclose(balance.yearly_contributions[1, :, 0],
                               [math.log(4), math.log(2), 0])
    # each item counts once per period, however many years of it fall inside
    np.testing.assert_allclose(balance.periods[0, 0], 8 / 9)
    assert list(balance.period_counts) == [2, 1]


def test_predicted_follows_rule_table(base: multilat.Case) -> None:
    case = replace(base, evidence=(
        _item("a", ratio=1e6), _item("i", variable="indispensability", level="dispensable",
                                     ratio=1e6)))
    analysis = multilat.analyze(case)
    np.testing.assert_allclose(analysis.predicted_yearly[0], [0, 0, 1], atol=1e-5)
    free = multilat.analyze(replace(case, evidence=(
        _item("a", level="unfavorable", ratio=1e6),
        _item("i", variable="indispensability", level="dispensable", ratio=1e6))),
        "kpr-free-ride")
    np.testing.assert_allclose(free.predicted_yearly[0], [0, 0, 1], atol=1e-5)


def test_congruence_is_agreement_probability(base: multilat.Case) -> None:
    case = replace(base, evidence=(_item("o", variable="strategy", level="invest", ratio=2.0),))
    analysis = multilat.analyze(case)
    observed = np.array([0.5, 0.25, 0.25])
    np.testing.assert_allclose(analysis.observed_yearly[0], observed)
    assert analysis.congruence_yearly[0] == pytest.approx(
        float(analysis.predicted_yearly[0] @ observed))


_items = st.lists(
    st.tuples(
        st.sampled_from(["balance_of_outside_options", "indispensability", "strategy"]),
        st.integers(0, 2), st.integers(2000, 2003), st.integers(0, 3),
        st.floats(0.05, 20.0), st.floats(0.05, 1.0), st.sampled_from(["rising", "established"]),
    ),
    max_size=25,
)

_LEVELS = {"balance_of_outside_options": ("favorable", "unfavorable"),
           "indispensability": ("indispensable", "dispensable"),
           "strategy": ("invest", "hold_up", "accept")}


def _build(raw: list[tuple[str, int, int, int, float, float, str]]) -> tuple[Evidence, ...]:
    out = []
    for index, (variable, level, start, length, ratio, reliability, side) in enumerate(raw):
        levels = _LEVELS[variable]
        out.append(_item(f"i{index}", variable, levels[level % len(levels)],
                         (start, min(start + length, 2003)), side, ratio=ratio,
                         reliability=reliability))
    return tuple(out)


MINIMAL = Path(__file__).parents[1] / "data" / "cases" / "good" / "minimal.yaml"


@settings(max_examples=60, deadline=None)
@given(raw=_items, rng=st.randoms(use_true_random=False))
def test_properties(raw, rng) -> None:  # type: ignore[no-untyped-def]
    base = replace(multilat.load_case(MINIMAL), evidence=())
    evidence = _build(raw)
    analysis = multilat.analyze(replace(base, evidence=evidence))
    for beliefs in analysis.beliefs.values():
        np.testing.assert_allclose(beliefs.yearly.sum(axis=1), 1.0)
        np.testing.assert_allclose(beliefs.periods.sum(axis=1), 1.0)
    np.testing.assert_allclose(analysis.predicted_yearly.sum(axis=1), 1.0)
    # order of evidence does not matter
    shuffled = list(evidence)
    rng.shuffle(shuffled)
    again = multilat.analyze(replace(base, evidence=tuple(shuffled)))
    for name, beliefs in analysis.beliefs.items():
        np.testing.assert_allclose(again.beliefs[name].yearly, beliefs.yearly, atol=1e-12)
        np.testing.assert_allclose(again.beliefs[name].periods, beliefs.periods, atol=1e-12)
    # a likelihood ratio of 1 changes nothing
    neutral = (*evidence, _item("neutral", ratio=1.0, years=(2000, 2003)),
               _item("neutral2", variable="strategy", level="accept", ratio=1.0))
    same = multilat.analyze(replace(base, evidence=neutral))
    for name, beliefs in analysis.beliefs.items():
        np.testing.assert_allclose(same.beliefs[name].yearly, beliefs.yearly, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(raw=_items)
def test_load_dump_load_round_trips(raw) -> None:  # type: ignore[no-untyped-def]
    import tempfile

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "refs.bib").write_text((MINIMAL.parent / "refs.bib").read_text())
        case = replace(multilat.load_case(MINIMAL), evidence=_build(raw))
        path = multilat.dump_case(case, folder / "case.yaml")
        assert multilat.load_case(path) == case


def test_synthetic_truth_is_recovered(base: multilat.Case) -> None:
    """Evidence drawn from known levels points to them (seeded)."""
    rng = np.random.default_rng(7)
    truth = {2000: "unfavorable", 2001: "unfavorable", 2002: "favorable", 2003: "favorable"}
    items = []
    for index in range(200):
        year = int(rng.integers(2000, 2004))
        right = rng.random() < 0.7  # 70% of items point the right way
        level = truth[year] if right else ({"favorable", "unfavorable"} - {truth[year]}).pop()
        items.append(_item(f"s{index}", level=level, years=(year, year), ratio=1.5))
    analysis = multilat.analyze(replace(base, evidence=tuple(items)))
    balance = analysis.beliefs["balance_of_outside_options"]
    for row, year in enumerate(analysis.years):
        assert balance.levels[int(np.argmax(balance.yearly[row]))] == truth[year]
