from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import multilat
from multilat.errors import TheoryError

THREE_WAY = """\
schema_version: 1
name: three-way
version: "0.1"
title: A theory with three variables, one of three levels
citation: {key: anon2024}
variables:
  - name: threat
    description: How threatened the state feels.
    levels: [low, medium, high]
    citation: {key: anon2024, pages: 3}
  - name: wealth
    description: Whether the state can pay.
    levels: [rich, poor]
    citation: {key: anon2024}
  - name: leader
    description: Leader's orientation.
    levels: [hawk, dove]
    sides: [domestic, foreign]
    citation: {key: anon2024}
outcome:
  name: posture
  levels:
    - {name: arm, description: build arms}
    - {name: ally, description: seek allies}
    - {name: wait, description: do nothing}
rules:
  - when: {threat: high, wealth: rich}
    then: arm
    citation: {key: anon2024, pages: 5}
    note: Rich and threatened states arm.
  - when: {threat: high, wealth: poor}
    then: ally
    citation: {key: anon2024, pages: 5}
    note: Poor threatened states ally.
  - when: {threat: [low, medium], leader: hawk}
    then: arm
    citation: {key: anon2024, pages: 6}
    note: Hawks arm anyway.
  - when: {threat: [low, medium], leader: dove}
    then: wait
    citation: {key: anon2024, pages: 6}
    note: Doves wait.
"""


def test_builtin_theories_load() -> None:
    assert set(multilat.builtin_theories()) == {"kpr", "kpr-invest"}
    kpr = multilat.load_theory("kpr")
    assert [v.name for v in kpr.variables] == ["balance_of_outside_options", "indispensability"]
    assert kpr.variable("balance_of_outside_options").sides == ("rising", "established")
    assert kpr.outcome.levels == ("invest", "hold_up", "accept")
    cells = {combo: rule.then for combo, rule in kpr.cells()}
    # KPR's own table: accept in the whole dispensable column.
    assert cells == {("unfavorable", "indispensable"): "invest",
                     ("unfavorable", "dispensable"): "accept",
                     ("favorable", "indispensable"): "hold_up",
                     ("favorable", "dispensable"): "accept"}
    assert [r.name for r in kpr.roles] == ["rising", "established"]
    assert (kpr.role("rising").max_actors, kpr.role("established").max_actors) == (1, None)
    assert kpr.readings == ("kpr-invest",) and kpr.variant_of is None
    seed = multilat.load_theory("kpr-invest")
    seed_cells = {combo: rule.then for combo, rule in seed.cells()}
    assert seed_cells == {**cells, ("unfavorable", "dispensable"): "invest"}
    assert seed.variant_of == "kpr" and seed.readings == ("kpr",)
    assert seed.cells()[3][1].citation.key == "yuneman2020"
    # The old name of KPR's own table still leads to it.
    assert multilat.load_theory("kpr-free-ride").table().tolist() == kpr.table().tolist()
    for theory in (kpr, seed):
        assert all(rule.note and rule.citation.key for _, rule in theory.cells())
        assert len(theory.rules) == 4


def test_third_theory_from_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "three.yaml"
    path.write_text(THREE_WAY)
    theory = multilat.load_theory(path)
    assert theory.table().shape == (3, 2, 2, 3)
    assert theory.table().sum() == 12  # every cell maps to exactly one outcome
    distributions = {
        "threat": np.array([[0.0, 0.0, 1.0]]),
        "wealth": np.array([[0.25, 0.75]]),
        "leader": np.array([[0.5, 0.5]]),
    }
    predicted = multilat.predict_strategy(distributions, theory)
    np.testing.assert_allclose(predicted, [[0.25, 0.75, 0.0]])


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (lambda t: t.replace("    then: ally\n", "    then: allies\n"), "rules[1].then"),
        (lambda t: t.replace("threat: [low, medium], leader: dove",
                             "threat: [low], leader: dove"), "no rule for the cell medium"),
        (lambda t: t.replace("threat: [low, medium], leader: hawk",
                             "threat: [low, medium, high], leader: hawk"), "already given"),
        (lambda t: t.replace("levels: [rich, poor]", "levels: [rich]"), "variables[1].levels"),
        (lambda t: t.replace("when: {threat: high, wealth: rich}",
                             "when: {threat: hihg, wealth: rich}"), "rules[0].when.threat"),
    ],
)
def test_bad_theories_are_reported(tmp_path: Path, edit, fragment: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.yaml"
    path.write_text(edit(THREE_WAY))
    with pytest.raises(TheoryError) as raised:
        multilat.load_theory(path)
    assert fragment in str(raised.value)
    assert all(str(path) in str(p) for p in raised.value.problems)


def test_unknown_theory_name() -> None:
    with pytest.raises(TheoryError, match="a built-in theory"):
        multilat.load_theory("no-such-theory")
