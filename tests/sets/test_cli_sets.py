"""``multilat sets``: the commands, their formats and their errors (never a traceback)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from multilat.cli import main

DATA = Path(__file__).parent.parent / "data" / "qca"
LF = str(DATA / "LF.csv")
CVF = str(DATA / "CVF.csv")
CONSERVATIVE = "DEV*~URB*LIT*STB + DEV*LIT*IND*STB"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(main, ["sets", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_fit_text_json_csv(runner: CliRunner) -> None:
    text = _ok(runner, "fit", LF, "--outcome", "SURV", "--expression", CONSERVATIVE)
    assert "DEV*~URB*LIT*STB  0.809  0.761  0.433  0.196" in text
    assert "solution  0.871  0.851  0.818" in text
    document = json.loads(_ok(runner, "fit", LF, "--outcome", "SURV", "--expression",
                              "DEV*STB", "--format", "json"))
    assert document["expression"] == "DEV*STB" and document["outcome"] == "SURV"
    assert round(document["solution"]["pri"], 3) == 0.848
    assert document["terms"][0]["unique_coverage"] is None
    rows = list(csv.DictReader(io.StringIO(_ok(
        runner, "fit", LF, "--outcome", "SURV", "--expression", CONSERVATIVE, "--format",
        "csv"))))
    assert [r["kind"] for r in rows] == ["term", "term", "solution"]
    assert round(float(rows[1]["unique_coverage"]), 3) == 0.385
    assert rows[2]["unique_coverage"] == ""


def test_fit_negated_outcome(runner: CliRunner) -> None:
    flag = json.loads(_ok(runner, "fit", CVF, "--outcome", "PROTEST", "--expression",
                          "~NATPRIDE + GEOCON", "--negate-outcome", "--format", "json"))
    tilde = json.loads(_ok(runner, "fit", CVF, "--outcome", "~PROTEST", "--expression",
                           "~NATPRIDE + GEOCON", "--format", "json"))
    assert flag == tilde and flag["outcome"] == "~PROTEST"
    # R's pof("~NATPRIDE + GEOCON -> ~PROTEST", data = CVF): expression 0.524 0.303 0.803
    assert [round(flag["solution"][k], 3) for k in ("consistency", "pri", "coverage")] == [
        0.524, 0.303, 0.803]


def test_necessity(runner: CliRunner) -> None:
    text = _ok(runner, "necessity", CVF, "--outcome", "PROTEST", "--expression",
               "~NATPRIDE + GEOCON")
    # R's pof("~NATPRIDE + GEOCON <- PROTEST", data = CVF)
    assert "~NATPRIDE  0.597  0.952  0.899" in text
    assert "~NATPRIDE + GEOCON  0.946  0.468  0.633" in text
    document = json.loads(_ok(runner, "necessity", CVF, "--outcome", "PROTEST",
                              "--expression", "GEOCON", "--format", "json"))
    assert [r["expression"] for r in document["rows"]] == ["GEOCON"]
    assert round(document["rows"][0]["relevance"], 3) == 0.492
    lines = _ok(runner, "necessity", CVF, "--outcome", "PROTEST", "--expression", "GEOCON",
                "--format", "csv").splitlines()
    assert lines[0] == "expression,consistency,relevance,coverage"


def test_truth_table(runner: CliRunner) -> None:
    text = _ok(runner, "truth-table", LF, "--outcome", "SURV", "--incl-cut", "0.7")
    assert "BE,CZ,NL,UK" in text and "incl.cut 0.7" in text
    rows = list(csv.DictReader(io.StringIO(_ok(
        runner, "truth-table", LF, "--outcome", "SURV", "--conditions", "DEV, STB",
        "--format", "csv", "--complete"))))
    assert [r["row"] for r in rows] == ["1", "2", "3", "4"]
    assert list(rows[0]) == ["row", "DEV", "STB", "OUT", "n", "incl", "PRI", "cases"]
    document = json.loads(_ok(runner, "truth-table", LF, "--outcome", "SURV", "--format",
                              "json", "--n-cut", "2"))
    assert len(document["rows"]) == 32 and document["n_cut"] == 2
    assert {r["number"] for r in document["rows"] if r["out"] == "1"} == {22, 32}


def test_calibrate(runner: CliRunner, tmp_path: Path) -> None:
    raw = tmp_path / "income.csv"
    raw.write_text(",GNP,region\nCH,40110,=eu\nHU,4670,eu\nXX,5000,eu\n", encoding="utf-8")
    text = _ok(runner, "calibrate", str(raw), "--column", "GNP", "--anchors",
               "2500,5000,20000")
    lines = text.splitlines()
    assert lines[0] == ",GNP,region,GNP_fs"
    assert lines[1].startswith("CH,40110,'=eu,0.999")  # a formula-like cell is neutralised
    assert lines[3] == "XX,5000,eu,0.5"
    out = tmp_path / "fs.csv"
    result = runner.invoke(main, ["sets", "calibrate", str(raw), "--column", "GNP",
                                  "--anchors", "2500,5000,20000", "--name", "RICH",
                                  "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").splitlines()[0] == ",GNP,region,RICH"
    # The calibrated file is itself a table of memberships once the raw columns are gone.
    r_default = _ok(runner, "calibrate", str(raw), "--column", "GNP", "--anchors",
                    "2500,5000,20000", "--log-odds", "2.944439")
    assert r_default.splitlines()[2].startswith("HU,4670,eu,0.40")


@pytest.mark.parametrize(("args", "message"), [
    (["fit", LF, "--outcome", "SURVV", "--expression", "DEV"],
     "Error: --outcome: found the set 'SURVV' at column 1 of 'SURVV'; expected one of "
     "DEV, URB, LIT, IND, STB, SURV (did you mean 'SURV'?)"),
    (["fit", LF, "--outcome", "SURV", "--expression", "DEV*(STB"],
     "Error: --expression: found the end of the text at column 9"),
    (["fit", LF, "--outcome", "SURV", "--expression", "DEV & STB"],
     "Error: --expression: found '&' at column 5"),
    (["fit", "missing.csv", "--outcome", "SURV", "--expression", "DEV"],
     "Error: missing.csv: found no such file"),
    (["truth-table", LF, "--outcome", "SURV", "--conditions", "DEV,DEVV"],
     "Error: --conditions: found 'DEVV'"),
    (["truth-table", LF, "--outcome", "SURV", "--incl-cut", "2"],
     "Error: --incl-cut: found 2.0"),
    (["truth-table", LF, "--outcome", "SURV", "--n-cut", "0"], "Error: --n-cut: found 0"),
    (["necessity", LF, "--outcome", "SURV", "--expression", "dev"],
     "did you mean 'DEV'?"),
    (["calibrate", LF, "--column", "DEV", "--anchors", "1,2"],
     "Error: --anchors: found '1,2'; expected three numbers"),
    (["calibrate", LF, "--column", "DEV", "--anchors", "0.9,0.5,0.1,"],
     "Error: --anchors: found"),
    (["calibrate", LF, "--column", "DEV", "--anchors", "0.5,0.5,0.9"],
     "Error: --anchors: found exclusion 0.5, crossover 0.5"),
    (["calibrate", LF, "--column", "GNP", "--anchors", "1,2,3"],
     "Error: --column: found 'GNP'"),
])
def test_errors_are_one_line_with_exit_code_1(runner: CliRunner, args: list[str],
                                              message: str) -> None:
    result = runner.invoke(main, ["sets", *args])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_bad_data_file_is_located(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(",A,Y\nx,0.2,0.3\ny,1.7,0.4\n", encoding="utf-8")
    result = runner.invoke(main, ["sets", "fit", str(bad), "--outcome", "Y", "--expression",
                                  "A"])
    assert result.exit_code == 1
    assert f"Error: {bad} row 3 column 'A': found 1.7; expected a set membership" in \
        result.output
    half = tmp_path / "half.csv"
    half.write_text(",A,Y\nx,0.5,0.3\ny,0.7,0.4\n", encoding="utf-8")
    result = runner.invoke(main, ["sets", "truth-table", str(half), "--outcome", "Y"])
    assert result.exit_code == 1
    assert "exactly 0.5 for case 'x' in 'A'" in result.output


def test_group_help_lists_the_commands(runner: CliRunner) -> None:
    text = _ok(runner, "--help")
    for command in ("fit", "necessity", "truth-table", "calibrate"):
        assert command in text


def test_text_from_the_data_is_inert_in_tables(runner: CliRunner, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.csv"
    hostile.write_text(',A,Y\n[bold red]x[/],0.9,0.8\n"\x1b[31mevil",0.2,0.1\n',
                       encoding="utf-8")
    text = _ok(runner, "truth-table", str(hostile), "--outcome", "Y")
    assert "[bold red]x[/]" in text  # markup printed as written, not interpreted
    assert "\x1b" not in text and "\\x1b[31mevil" in text
    assert json.loads(_ok(runner, "truth-table", str(hostile), "--outcome", "Y", "--format",
                          "json"))["rows"][0]["cases"] == ["\x1b[31mevil"]


def test_cases_and_theory(runner: CliRunner) -> None:
    document = json.loads(_ok(runner, "cases", LF, "--outcome", "SURV", "--expression",
                              "DEV*STB", "--format", "json"))
    kinds = {c["case"]: c["kind"] for c in document["cases"]}
    assert kinds["BE"] == "typical" and kinds["AU"] == "individually irrelevant"
    assert _ok(runner, "cases", LF, "--outcome", "SURV", "--expression", "DEV*STB",
               "--format", "csv").splitlines()[0] == "case,kind,x,y"
    text = _ok(runner, "theory", LF, "--outcome", "SURV", "--theory", "DEV*LIT",
               "--solution", "DEV*STB")
    assert "T*~S" in text and "AU,DE" in text
    rows = list(csv.DictReader(io.StringIO(_ok(
        runner, "theory", LF, "--outcome", "SURV", "--theory", "DEV*LIT", "--solution",
        "DEV*STB", "--format", "csv"))))
    assert [r["intersection"] for r in rows] == ["T*S", "T*~S", "~T*S", "~T*~S"]
    document = json.loads(_ok(runner, "theory", LF, "--outcome", "SURV", "--theory",
                              "DEV*LIT", "--solution", "DEV*STB", "--format", "json"))
    assert round(document["solution_fit"]["consistency"], 3) == 0.869
    result = runner.invoke(main, ["sets", "theory", LF, "--outcome", "SURV", "--theory",
                                  "DEV*LITT", "--solution", "DEV"])
    assert result.exit_code == 1 and "Error: --theory: found the set 'LITT'" in result.output
