"""`multilat explain`: prior plus the listed contributions equal the posterior of analyze."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

import multilat
from multilat.cli import main
from multilat.explain import explain_belief
from multilat.report.content import contribution_tables


def _run(*args: str) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


def test_explain_json_sums_to_analyze_by_year_and_period() -> None:
    analysis = _run("analyze", "--format", "json")
    for where, key, value in (("--year", "year", "2015"), ("--year", "year", "2013"),
                              ("--period", "period", "integration")):
        explanation = _run("explain", "--variable", "balance_of_outside_options", where,
                           value, "--format", "json")
        assert {"variable", key, "prior_log_odds", "contributions", "posterior_log_odds",
                "posterior"} <= set(explanation)
        for item in explanation["contributions"]:
            assert {"id", "weight", "side", "citation"} <= set(item)
        total = explanation["prior_log_odds"] + sum(
            c["weight"] for c in explanation["contributions"])
        assert total == pytest.approx(explanation["posterior_log_odds"], abs=1e-4)
        blocks = analysis["years"] if key == "year" else analysis["periods"]
        block = next(b for b in blocks if str(b.get("year", b.get("id"))) == value)
        p = block["variables"]["balance_of_outside_options"]
        assert explanation["posterior_log_odds"] == pytest.approx(
            math.log(p["favorable"] / p["unfavorable"]), abs=1e-3)
        assert explanation["posterior"] == pytest.approx(p, abs=1e-5)


def test_explain_more_levels_per_level_against_reference() -> None:
    explanation = _run("explain", "--variable", "strategy", "--year", "2014", "--format",
                       "json")
    analysis = _run("analyze", "--format", "json")
    observed = next(y for y in analysis["years"] if y["year"] == 2014)["observed"]
    reference = explanation["reference"]
    assert set(explanation["per_level"]) == set(observed) - {reference}
    for level, path in explanation["per_level"].items():
        total = path["prior_log_odds"] + sum(c["weight"] for c in path["contributions"])
        assert total == pytest.approx(path["posterior_log_odds"], abs=1e-4)
        # analyze rounds probabilities to 6 decimals; here they are as small as 1e-4.
        assert path["posterior_log_odds"] == pytest.approx(
            math.log(observed[level] / observed[reference]), rel=1e-2)


def test_explain_text_lists_citations_with_pages() -> None:
    result = CliRunner().invoke(main, ["explain", "--variable", "balance_of_outside_options",
                                       "--year", "2015"])
    assert result.exit_code == 0, result.output
    assert "prior" in result.output and "posterior log-odds" in result.output
    assert ", p. " in result.output


def test_report_contribution_tables_match_explain(
        builtin_analysis: multilat.Analysis) -> None:
    """The report's per-year breakdown is the explain path summed by side."""
    tables = {t.variable: t for t in contribution_tables(builtin_analysis)}
    table = tables["balance_of_outside_options"]
    assert table.sides == ("rising (Kazakhstan)", "established (Russia)")
    for row in table.rows:
        explanation = explain_belief(builtin_analysis, "balance_of_outside_options",
                                     year=row.year)
        sides = explanation.by_side["favorable"]
        assert [float(v) for v in row.sides] == pytest.approx(
            [sides.get("rising", 0.0), sides.get("established", 0.0)], abs=0.006)
        assert float(row.posterior_log_odds) == pytest.approx(
            explanation.posterior_log_odds["favorable"], abs=0.006)
        assert {i for i, _ in row.items} == {
            c.id for c in explanation.contributions["favorable"]}


def test_a_three_level_belief_is_one_table() -> None:
    from click.testing import CliRunner

    from multilat.cli import main

    result = CliRunner().invoke(main, ["explain", "--variable", "strategy", "--year", "2015"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("strategy in year 2015: posterior invest")
    assert sum(1 for line in lines if line.split()[:2] == ["item", "log-odds"]) == 1
    assert "log-odds of invest against accept" in result.output
    assert "log-odds of hold_up against accept" in result.output
