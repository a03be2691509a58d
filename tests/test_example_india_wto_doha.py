"""The built-in case india-wto-doha: well formed, fully cited, and run by every command.

These tests check the coding's form (citations with locators, rationales, bibliography keys,
roles, issue areas and sides), never its conclusions: what the analysis gives against the
published claims is recorded in the case's own `description`, not pinned here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import multilat
from multilat.bibliography import load_bibliography
from multilat.cli import main
from multilat.examples import example_path

NAME = "india-wto-doha"


@pytest.fixture(scope="module")
def case() -> multilat.Case:
    return multilat.load_example(NAME)


@pytest.fixture(scope="module")
def path() -> Path:
    return example_path(NAME)


def test_listed_and_valid(path: Path) -> None:
    assert NAME in multilat.list_examples()
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output
    listed = CliRunner().invoke(main, ["examples", "list"])
    assert listed.exit_code == 0
    assert any(line.startswith(f"{NAME}: India in the WTO Doha Round")
               for line in listed.output.splitlines())


def test_enough_items_spread_over_the_years(case: multilat.Case) -> None:
    assert len(case.evidence) >= 15
    years = {year for item in case.evidence for year in range(item.start, item.end + 1)}
    # items in every period of the regime and of each issue area
    for periods in [case.periods] + [area.periods for area in case.issue_areas]:
        for period in periods:
            assert years & set(range(period.start, period.end + 1)), period.id
    variables = {item.variable for item in case.evidence}
    assert variables == {"balance_of_outside_options", "indispensability", "strategy"}


def test_every_item_cited_with_a_locator_and_a_rationale(case: multilat.Case,
                                                        path: Path) -> None:
    keys = set(load_bibliography(path.parent / case.bibliography).keys())
    for item in case.evidence:
        assert item.citation.key in keys, item.id
        assert item.citation.pages or item.citation.locator, item.id
        # no web page's page number could be checked: each item says so
        assert "page not checked" in (item.citation.locator or ""), item.id
        assert item.rationale and len(item.rationale.split()) >= 12, item.id
        assert item.summary.strip(), item.id
    for claim in case.claims:
        assert claim.citation.key in keys
        assert claim.citation.pages or claim.citation.locator
        assert claim.note


def test_roles_sides_and_issue_areas(case: multilat.Case) -> None:
    roles = {actor.id: actor.role for actor in case.actors}
    assert [a for a, r in roles.items() if r == "rising"] == ["IND"]
    assert sorted(a for a, r in roles.items() if r == "established") == ["EU", "USA"]
    areas = {area.id for area in case.issue_areas}
    assert areas == {"ssm", "stockholding"}
    used_areas = {item.issue_area for item in case.evidence}
    assert used_areas == {None, "ssm", "stockholding"}
    for item in case.evidence:
        if item.variable == "balance_of_outside_options":
            assert item.side in ("rising", "established"), item.id
            if item.side == "established":
                assert item.whose in ("USA", "EU"), item.id
    whose = {item.whose for item in case.evidence if item.side == "established"}
    assert whose == {"USA", "EU"}


@pytest.mark.parametrize("area", [None, "ssm", "stockholding"])
def test_analyze_json_runs(case: multilat.Case, path: Path, area: str | None) -> None:
    arguments = ["analyze", str(path), "--format", "json"]
    if area:
        arguments += ["--issue-area", area]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["case"] == NAME and document["theory"] == "kpr"
    assert document["issue_area"] == area
    # the area's published claims are checked (whatever their verdicts); ssm has none
    claimed = any(claim.issue_area == area for claim in case.claims)
    assert bool(document["claims"]) == claimed


@pytest.mark.parametrize("command", [
    ["explain", "--variable", "balance_of_outside_options", "--issue-area", "stockholding",
     "--year", "2014"],
    ["check", "--issue-area", "ssm"],
    ["when", "--variable", "observed_strategy", "--issue-area", "stockholding"],
    ["compare-theories"],
])
def test_other_commands_run(path: Path, command: list[str]) -> None:
    result = CliRunner().invoke(main, [command[0], str(path), *command[1:]])
    assert result.exit_code == 0, result.output


def test_report(path: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(path), "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r" / "index.html").is_file()


def test_copy_keeps_it_self_contained(tmp_path: Path) -> None:
    copied = multilat.copy_example(NAME, tmp_path / "c")
    assert {p.name for p in copied} == {"case.yaml", "references.bib"}
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "c" / "case.yaml")])
    assert result.exit_code == 0, result.output
