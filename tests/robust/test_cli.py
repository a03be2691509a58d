"""The robustness commands' JSON shapes and exit codes."""

from __future__ import annotations

import json
import math

from click.testing import CliRunner

from multilat.cli import main

CASE = "tests/data/cases/good/minimal.yaml"


def _json(*args: str) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


def test_check_json() -> None:
    document = _json("check", CASE)
    assert document["conclusions"] and document["checks"]
    for conclusion in document["conclusions"]:
        assert {"variable", "level", "survives_leave_one_out", "pivotal"} <= set(conclusion)
        assert ("year" in conclusion) != ("period" in conclusion)
        assert isinstance(conclusion["survives_leave_one_out"], bool)
    periods = [c for c in document["conclusions"] if "period" in c]
    assert {c["period"] for c in periods} == {"early", "late"}
    for check in document["checks"]:
        assert {"name", "assumptions", "verdict"} <= set(check) and check["assumptions"]


def test_when_json() -> None:
    for variable in ("balance_of_outside_options", "observed_strategy"):
        document = _json("when", CASE, "--variable", variable)
        assert document["variable"] == variable
        assert math.isclose(sum(document["posterior"].values()), 1.0, abs_tol=1e-4)
        assert "no_change" in document["posterior"] and document["prior"]
        assert document["lag"]["distribution"]
    two = _json("when", CASE, "--variable", "balance_of_outside_options", "--two-changes")
    assert any("+" in key for key in two["posterior"])


def test_compare_theories_json() -> None:
    document = _json("compare-theories", CASE)
    names = [t["name"] for t in document["theories"]]
    assert {"kpr", "kpr-invest"} <= set(names)
    for theory in document["theories"]:
        assert {"name", "fit", "hits", "misses", "years"} <= set(theory)
        for year in theory["years"].values():
            assert {"predicted", "observed", "hit"} <= set(year)


def test_table_output_and_errors() -> None:
    runner = CliRunner()
    for args in (["check", CASE], ["when", CASE, "--variable", "indispensability"],
                 ["compare-theories", CASE]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
    bad = runner.invoke(main, ["when", CASE, "--variable", "nope"])
    assert bad.exit_code == 1 and "Error: variable: found 'nope'" in bad.output
    missing = runner.invoke(main, ["when", CASE])
    assert missing.exit_code == 2
