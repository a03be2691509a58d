"""Hostile YAML: every text becomes data or located problems, fast, never an exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import multilat
from multilat._yaml import MAX_ALIAS_VALUES, parse_yaml
from multilat.cli import main
from multilat.errors import CaseFileError, TheoryError

GOOD = Path(__file__).parent / "data" / "cases" / "good"
_LEVEL = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{b}: &{b} [{', '.join(['*' + a] * 10)}]\n" for a, b in zip("abcdefgh", "bcdefghi",
                                                                     strict=True))
HOSTILE = {
    # (tests/inputs/test_yaml_inputs.py checks each shape's wording and line.)
    "nul": ("title: a\x00b\n", 1, "U+0000"),
    "bell": ("x: 1\ntitle: a\x07b\n", 2, "U+0007"),
    "del": ("title: a\x7fb\n", 1, "U+007F"),
    "fffe": ("title: \ufffe\n", 1, "U+FFFE"),
    "recursive alias": ("title: &a [*a]\n", 1, "recursive alias"),
    "deep": ("title: " + "[" * 1000 + "]" * 1000 + "\n", None, "nesting"),
    "huge integer": ("title: " + "9" * 5000 + "\n", 1, "5000 digits"),
    "bad bool": ("title: !!bool maybe\n", 1, "not a valid bool"),
    "bad int": ("title: !!int x\n", 1, "not a valid int"),
    "python object": ("title: !!python/object/apply:os.system ['true']\n", 1, "the tag"),
    "unknown tag": ("title: !secret x\n", 1, "the tag"),
    "billion laughs": (_LEVEL, 1, "alias"),
    "list as key": ("? [a]\n: 1\n", 1, "key"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_every_loader_refuses_it_with_exit_1(name: str, tmp_path: Path) -> None:
    text, _, _ = HOSTILE[name]
    (tmp_path / "case.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "theory.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CaseFileError):
        multilat.load_case(tmp_path / "case.yaml")
    with pytest.raises(TheoryError):
        multilat.load_theory(tmp_path / "theory.yaml")
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "case.yaml")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "found" in result.output and "expected" in result.output


def test_aliases_that_stay_small_are_read() -> None:
    located = parse_yaml("base: &b {x: 1, y: 2}\nd: *b\n", "f.yaml")
    assert located.problems == ()
    assert located.data == {"base": {"x": 1, "y": 2}, "d": {"x": 1, "y": 2}}
    assert MAX_ALIAS_VALUES >= 10_000


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_mutated_case_files_load_or_fail_located(data: st.DataObject, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("mutated")
    base = data.draw(st.sampled_from([GOOD / "minimal.yaml", GOOD / "incumbents" / "case.yaml"]))
    for other in base.parent.iterdir():
        if other.is_file() and other.suffix in (".bib", ".yaml") and other.name != base.name:
            (folder / other.name).write_bytes(other.read_bytes())
    text = base.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    action = data.draw(st.sampled_from(["flip", "delete", "duplicate", "insert", "retype"]))
    index = data.draw(st.integers(0, len(lines) - 1))
    if action == "flip":
        position = data.draw(st.integers(0, len(text) - 1))
        char = data.draw(st.characters())
        text = text[:position] + char + text[position + 1:]
    elif action == "delete":
        text = "".join(lines[:index] + lines[index + 1:])
    elif action == "duplicate":
        text = "".join(lines[:index + 1] + lines[index:])
    elif action == "insert":
        hostile = data.draw(st.sampled_from([h for h, _, _ in HOSTILE.values()]
                                            + ["- x\n", ": :\n", "  ? a\n", "\t\n"]))
        text = "".join(lines[:index]) + hostile + "".join(lines[index:])
    else:
        value = data.draw(st.sampled_from(["[]", "{}", "null", "true", "-1", "1e400",
                                           ".nan", "'x'", "[1, 2, 3]", "{a: 1}"]))
        line = lines[index]
        if ":" in line:
            key = line.split(":", 1)[0]
            lines[index] = f"{key}: {value}\n"
        text = "".join(lines)
    (folder / "case.yaml").write_text(text, encoding="utf-8")
    try:
        multilat.load_case(folder / "case.yaml")
    except CaseFileError as error:
        assert error.problems
        assert all(p.file and p.found and p.expected for p in error.problems)


FUZZ = Path(__file__).parent / "data" / "malformed" / "fuzz"


@pytest.mark.parametrize("path", sorted(FUZZ.glob("*-crash-*")) if FUZZ.is_dir() else [],
                         ids=lambda p: p.name)
def test_inputs_the_fuzzer_found_are_refused_cleanly(path: Path, tmp_path: Path) -> None:
    """Regression inputs from scripts/fuzz.py: ``<target>-crash-<sha1>``."""
    from multilat.errors import MultilatError

    target = path.name.split("-crash-")[0]
    names = {"case": "case.yaml", "layer": "layer.yaml", "theory": "theory.yaml",
             "bibtex": "refs.bib", "csl": "refs.json", "settings": "multilat.toml"}
    copy = tmp_path / names[target]
    copy.write_bytes(path.read_bytes())
    loaders = {"case": multilat.load_case, "theory": multilat.load_theory,
               "settings": multilat.load_settings}
    try:
        if target in ("bibtex", "csl"):
            multilat.load_bibliography(copy)
        elif target in loaders:
            loaders[target](copy)
    except MultilatError:
        pass


@pytest.mark.parametrize("text, line, found", [
    ("a = 1\nb = = 2\n", 2, "invalid TOML"),
    ("a = " + "[" * 100_000 + "]" * 100_000 + "\n", 1, "nested too deep"),
])
def test_hostile_settings_are_located(text: str, line: int | None, found: str,
                                      tmp_path: Path) -> None:
    from multilat.errors import SettingsError

    path = tmp_path / "multilat.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        multilat.load_settings(path)
    (problem,) = caught.value.problems
    assert problem.line == line and found in problem.found and len(problem.found) < 200


@pytest.mark.parametrize("extra, field", [
    ("priors: {indispensability: {1: 0.5, 2: 0.5}}", "priors.indispensability"),
    ("priors: {1: {a: 0.5}}", "priors.1"),
    ("priors: {indispensability: 5}", "priors.indispensability"),
    ("rival_theories: [1]", "rival_theories[0]"),
    ("evidence_files: [{a: 1}]", "evidence_files[0]"),
])
def test_keys_and_values_of_the_wrong_kind_are_located(extra: str, field: str,
                                                       tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text((GOOD / "refs.bib").read_text())
    text = (GOOD / "minimal.yaml").read_text(encoding="utf-8") + extra + "\n"
    (tmp_path / "case.yaml").write_text(text, encoding="utf-8")
    problems = multilat.validate_case(tmp_path / "case.yaml")
    assert [p.field for p in problems] == [field] and problems[0].line


def test_a_year_written_as_a_float_is_a_located_problem(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text((GOOD / "refs.bib").read_text())
    text = (GOOD / "minimal.yaml").read_text(encoding="utf-8").replace(
        "span: {start: 2000, end: 2003}", "span: {start: 2000.0, end: 2003}")
    (tmp_path / "case.yaml").write_text(text, encoding="utf-8")
    problems = multilat.validate_case(tmp_path / "case.yaml")
    assert [p.field for p in problems] == ["span.start"] and problems[0].line
