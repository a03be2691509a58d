"""The built-in case belarus-eaeu: it loads, every item is cited and explained, the commands run.

Nothing here pins the case's conclusions: the coding may change as sources are read, and a
test must not hold it to an answer (the case file's header records what the analysis gives).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import multilat
from multilat.bibliography import load_bibliography
from multilat.cli import main
from multilat.examples import example_path

NAME = "belarus-eaeu"


@pytest.fixture(scope="module")
def case() -> multilat.Case:
    return multilat.load_example(NAME)


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.output


def test_listed_and_valid() -> None:
    assert NAME in multilat.list_examples()
    assert any(line.startswith(f"{NAME}: ") for line in _run("examples", "list").splitlines())
    assert "valid" in _run("validate", str(example_path(NAME)))


def test_enough_items_on_every_variable(case: multilat.Case) -> None:
    regime = [e for e in case.evidence if e.issue_area is None]
    assert len(regime) >= 15
    assert {e.variable for e in regime} == {
        "indispensability", "balance_of_outside_options", "strategy"}
    assert {e.side for e in regime if e.variable == "balance_of_outside_options"} == {
        "rising", "established"}
    covered = {year for e in regime for year in range(e.start, e.end + 1)}
    assert covered == set(range(case.start, case.end + 1))


def test_every_item_cited_with_a_locator_and_explained(case: multilat.Case) -> None:
    bibliography = load_bibliography(case.bibliography_path)
    for item in case.evidence:
        assert item.citation.key in bibliography, item.id
        assert (item.citation.pages or "").strip() or (item.citation.locator or "").strip(), \
            item.id
        assert len(item.rationale.split()) >= 8, item.id
        assert item.summary.strip(), item.id
    for claim in case.claims:
        assert claim.citation.key in bibliography
        assert claim.note.strip()


def test_every_source_listed_is_cited(case: multilat.Case) -> None:
    bibliography = load_bibliography(case.bibliography_path)
    cited = {e.citation.key for e in case.evidence} | {c.citation.key for c in case.claims}
    assert set(bibliography.keys()) == cited


def test_the_header_states_every_reliability_used(case: multilat.Case) -> None:
    header = example_path(NAME).read_text(encoding="utf-8").split("schema_version:")[0]
    assert "Reliability scale" in header
    stated = {float(value) for value in re.findall(r"^#\s+(0\.\d+|1\.0)\s", header, re.M)}
    assert {e.reliability for e in case.evidence} <= stated


@pytest.mark.parametrize("area", [None, "union-state"])
def test_analyze_json_runs(case: multilat.Case, area: str | None) -> None:
    extra = ["--issue-area", area] if area else []
    document = json.loads(_run("analyze", str(example_path(NAME)), "--format", "json", *extra))
    years = [y["year"] for y in document["years"]]
    first, last = next(((a.start, a.end) for a in case.issue_areas if a.id == area),
                       (case.start, case.end))
    assert years == list(range(first, last + 1))
    assert len(document["claims"]) == sum(
        c.end - c.start + 1 for c in case.claims if c.issue_area == area)


def test_the_other_commands_run(tmp_path: Path) -> None:
    path = str(example_path(NAME))
    _run("explain", path, "--variable", "balance_of_outside_options", "--year", "2014")
    _run("check", path)
    _run("when", path, "--variable", "balance_of_outside_options")
    _run("compare-theories", path)
    _run("report", path, "--out", str(tmp_path / "report"), "--format", "md")
    assert (tmp_path / "report" / "report.md").is_file()
