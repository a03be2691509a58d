"""Case files wrong in their meaning: every one is a CaseFileError with located problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from multilat.case.io import load_case
from multilat.errors import CaseFileError

MINIMAL = (Path(__file__).parents[1] / "data" / "cases" / "good" / "minimal.yaml").read_text()
ACTOR = "  - {id: RIS, name: Risingland, role: rising}"
SPAN = "span: {start: 2000, end: 2003}"
CLAIM = "claims:\n  - {variable"

#: name: (replaced, by, field of a problem, text in its found)
WRONG = {
    "an integer key in priors": ("", "priors: {1: {invest: 0.5}}\n", "priors.1", '"1"'),
    "a priors level not a mapping": ("", "priors: {strategy: 3}\n", "priors.strategy", "3"),
    "a priors level a list": ("", "priors: {strategy: [1]}\n", "priors.strategy", "a list"),
    "a prior not a number": ("", "priors: {strategy: {invest: x}}\n", "priors.strategy.invest",
                             '"x"'),
    "priors not finite": ("", "priors: {strategy: {invest: .nan, hold_up: .nan}}\n",
                          "priors.strategy", "not finite"),
    "years: true": ("years: 2002\n", "years: true\n", "evidence[1].years", "true"),
    "years: [2000]": ("years: 2002\n", "years: [2000]\n", "evidence[1].years", "a list"),
    "years: 2002.0": ("years: 2002\n", "years: 2002.0\n", "evidence[1].years", "2002.0"),
    "years: 10^18": ("years: 2002\n", "years: 1000000000000000000\n", "evidence[1].years",
                     "1000000000000000000"),
    "a float span": (SPAN, "span: {start: 2000.0, end: 2003}", "span.start", "2000.0"),
    "an infinite span": (SPAN, "span: {start: 2000, end: .inf}", "span.end", "inf"),
    "reliability: .nan": ("reliability: 0.9", "reliability: .nan", "evidence[0].reliability",
                          "nan"),
    "likelihood_ratio: .inf": ("likelihood_ratio: 2.0", "likelihood_ratio: .inf",
                               "evidence[2].likelihood_ratio", "inf"),
    "a claim that is a string": (CLAIM, "claims:\n  - oops\n  - {variable", "claims[0]",
                                 '"oops"'),
    "an actor that is a string": (ACTOR, "  - RIS", "actors[0]", '"RIS"'),
    "an actor that is a number": (ACTOR, "  - 3", "actors[0]", "3"),
    "an evidence item that is a string": ("evidence:\n", "evidence:\n  - hello\n", "evidence[0]",
                                          '"hello"'),
    "an evidence item that is empty": ("evidence:\n", "evidence:\n  -\n", "evidence[0]",
                                       "nothing"),
    "a citation that is a string": ("citation: {key: roe2019}", "citation: roe2019",
                                    "evidence[2].citation", '"roe2019"'),
    "a duplicate actor id": ("{id: EST, name: Establishia", "{id: RIS, name: Establishia",
                             "actors[1].id", "duplicate id 'RIS'"),
    "a duplicate period id": ("{id: late,", "{id: early,", "periods[1].id",
                              "duplicate id 'early'"),
    "a duplicate evidence id": ("id: e2\n", "id: e1\n", "evidence[1].id", "duplicate id 'e1'"),
    "an institution without an id": ("institution: {id: inst,", "institution: {",
                                     "institution.id", "nothing"),
    "a theory name too long for a file": ("theory: kpr", "theory: " + "9" * 5000 + ".yaml",
                                          "theory", "99999"),
    "a bibliography name too long": ("bibliography: refs.bib", "bibliography: " + "x" * 5000,
                                     "bibliography", "xxxx"),
    "a bibliography with a NUL": ("bibliography: refs.bib", 'bibliography: "refs\\0.bib"',
                                  "bibliography", "refs"),
    "an evidence file name too long": ("", "evidence_files: [" + "x" * 5000 + "]\n",
                                       "evidence_files[0]", "xxxx"),
    "the case as its own evidence file": ("", "evidence_files: [case.yaml]\n", "layer",
                                          "nothing"),
    "a !!python/object actor": (ACTOR, "  - !!python/object:os.system {id: RIS}", "actors[0]",
                                "!!python/object:os.system"),
    "a timestamp tag on a title": ("title: A minimal test case", "title: !!timestamp x",
                                   "title", "'x' tagged !!timestamp"),
}


@pytest.mark.parametrize("name", list(WRONG))
def test_a_wrong_case_is_a_located_problem(case_dir: Path, name: str) -> None:
    old, new, field, found = WRONG[name]
    path = case_dir / "case.yaml"
    assert old in MINIMAL
    path.write_text(MINIMAL.replace(old, new, 1) if old else MINIMAL + new)
    with pytest.raises(CaseFileError) as caught:
        load_case(path)
    problems = caught.value.problems
    assert any(p.field == field and found in p.found for p in problems), [
        str(p) for p in problems]
    for problem in problems:
        assert problem.file and problem.line and problem.found and problem.expected, problem


@pytest.mark.parametrize("depth", [150, 5000])
def test_a_mapping_nested_too_deep_is_a_problem(depth: int) -> None:
    from multilat.case.io import case_from_mapping

    nested: list[object] = []
    inner = nested
    for _ in range(depth):
        inner.append([])
        inner = inner[0]  # type: ignore[assignment]
    with pytest.raises(CaseFileError) as caught:
        case_from_mapping({"title": nested})
    assert caught.value.problems[0].found == "data nested more than 100 deep"
