"""Theory files too large or too deep fail fast with a located problem."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from multilat.errors import TheoryError
from multilat.theory import io as theory_io
from multilat.theory import load_theory, theory_schema


def _theory(count: int, levels: int = 2, rules: str | None = None, variants: str = "") -> str:
    names = [f"l{i}" for i in range(levels)]
    variables = "".join(
        f"  - {{name: v{i}, levels: [{', '.join(names)}], description: d, citation: {{key: k}}}}\n"
        for i in range(count))
    rules = rules if rules is not None else "  - {when: {}, then: a, citation: {key: k}, note: n}\n"
    return ("schema_version: 1\nname: big\nversion: '1'\ntitle: Big\n"
            f"variables:\n{variables}"
            "outcome: {name: out, levels: [{name: a, description: d}, {name: b, description: d}]}\n"
            f"rules:\n{rules}{variants}")


def _load(tmp_path: Path, text: str) -> TheoryError:
    path = tmp_path / "big.yaml"
    path.write_text(text)
    started = time.perf_counter()
    with pytest.raises(TheoryError) as caught:
        load_theory(path)
    assert time.perf_counter() - started < 5
    for problem in caught.value.problems:
        assert problem.file == str(path) and problem.line and problem.found and problem.expected
    return caught.value


def test_24_two_level_variables_are_refused_before_any_cell_is_enumerated(tmp_path: Path,
                                                                          monkeypatch) -> None:
    def enumerate_nothing(*_: object) -> None:
        raise AssertionError("cells enumerated")

    monkeypatch.setattr(theory_io, "_cells", enumerate_nothing)
    error = _load(tmp_path, _theory(24))
    assert [p.found for p in error.problems] == ["16777216 combinations of levels"]
    assert error.problems[0].field == "variables"
    assert "at most 100000" in error.problems[0].expected


def test_a_table_at_the_bound_with_variants_is_bounded_in_all(tmp_path: Path,
                                                              monkeypatch) -> None:
    """Each variant rule covering every cell costs its cells: the total is bounded."""
    monkeypatch.setattr(theory_io, "MAX_CELL_STEPS", 5_000)
    variants = "variants:\n" + "".join(
        f"  - {{name: r{i}, title: R, rules: [{{when: {{}}, then: b, citation: {{key: k}}, "
        "note: n}]}\n" for i in range(10))
    error = _load(tmp_path, _theory(10, variants=variants))  # 1024 cells, 11 tables
    assert [p.found for p in error.problems] == [
        "rules covering more than 5000 cells in all (rules and variants)"]


def test_overlapping_rules_stop_at_the_first_cell_given_twice(tmp_path: Path) -> None:
    rules = "".join("  - {when: {}, then: a, citation: {key: k}, note: n}\n" for _ in range(500))
    error = _load(tmp_path, _theory(16, rules=rules))  # 65536 cells, 500 rules covering all
    assert len(error.problems) == 1
    assert "already given by rules[0]" in error.problems[0].found


def test_a_large_valid_table_loads_and_lists_its_cells_fast(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    rules = ("  - {when: {v0: l0}, then: a, citation: {key: k}, note: n}\n"
             "  - {when: {v0: l1}, then: b, citation: {key: k}, note: n}\n")
    path.write_text(_theory(16, rules=rules))
    started = time.perf_counter()
    theory = load_theory(path)
    assert len(theory.cells()) == 2**16
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize("text, found", [
    ("variables: " + "[" * 1000 + "]" * 1000 + "\n", "nested more than 100"),
    ("a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n"
        for i in range(8)), "aliases copying more than"),
    ("name: !!python/object:os.system x\n", "!!python/object:os.system"),
])
def test_a_deep_or_huge_theory_file_fails_fast(tmp_path: Path, text: str, found: str) -> None:
    error = _load(tmp_path, text)
    assert any(found in p.found for p in error.problems), error.problems


def test_the_schema_of_a_theory_is_plain() -> None:
    assert theory_schema()["properties"]["variables"]["minItems"] == 1
