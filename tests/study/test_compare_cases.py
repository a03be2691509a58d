"""compare-cases: rows agree with each case's own analysis; memberships, exports, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import multilat
from multilat.cli import main
from multilat.compare import compare_theories
from multilat.decision import Scope, decide
from multilat.errors import StudyFileError
from multilat.study import Membership, compare_cases, load_study

TRIAL = Path(__file__).parents[1] / "data" / "cases" / "trial"
STUDY = TRIAL / "study.yaml"


@pytest.fixture(scope="module")
def comparison() -> multilat.study.CaseComparison:
    return compare_cases(STUDY)


def _own(entry: multilat.study.StudyCase) -> multilat.Analysis:
    path = TRIAL / entry.case
    case = (multilat.load_case(path / "case.yaml" if path.is_dir() else path)
            if path.exists() else multilat.load_example(entry.case))
    return multilat.analyze(case, issue_area=entry.issue_area)


def test_every_row_agrees_with_the_case_s_own_analysis(comparison) -> None:
    study = load_study(STUDY)
    rows = list(comparison.rows)
    for entry in study.cases:
        analysis = _own(entry)
        levels = analysis.theory.outcome.levels
        mine = [r for r in rows if r.case == analysis.case.id
                and r.issue_area == analysis.case.scope]
        assert [r.at for r in mine] == [p.id for p in analysis.case.periods]
        for index, row in enumerate(mine):
            assert row.theory == analysis.theory.name
            np.testing.assert_allclose([row.predicted[lv] for lv in levels],
                                       analysis.predicted(Scope.PERIOD)[index])
            np.testing.assert_allclose([row.observed[lv] for lv in levels],
                                       analysis.observed(Scope.PERIOD)[index])
            assert row.predicted_level == decide(levels,
                                                 analysis.predicted(Scope.PERIOD)[index]).level
            for variable in analysis.theory.variables:
                np.testing.assert_allclose(
                    [row.conditions[variable.name][lv] for lv in variable.levels],
                    analysis.beliefs[variable.name].probabilities(Scope.PERIOD)[index])
    assert len(rows) == sum(len(_own(e).case.periods) for e in study.cases)


def test_hits_add_up_and_unscored_rows_are_not_counted(comparison) -> None:
    assert comparison.hits == sum(1 for r in comparison.rows if r.hit is True)
    assert comparison.misses == sum(1 for r in comparison.rows if r.hit is False)
    for summary in comparison.cases:
        mine = [r for r in comparison.rows if r.case == summary.case
                and r.issue_area == summary.issue_area]
        assert summary.hits + summary.misses + summary.unscored == len(mine)


def test_theory_fits_are_the_sums_of_each_case_s_fits(comparison) -> None:
    study = load_study(STUDY)
    by_name = {t.name: t for t in comparison.theories}
    assert set(by_name) == {"kpr", "kpr-invest"}
    total = {"kpr": 0.0, "kpr-invest": 0.0}
    for entry in study.cases:
        case = _own(entry).case
        for fit in compare_theories(case, ["kpr", "kpr-invest"]).theories:
            total[fit.name] += fit.fit
    for name, value in total.items():
        assert by_name[name].fit == pytest.approx(value)
    assert any("independent" in a for a in comparison.assumptions)


def test_the_membership_choice_changes_the_numbers(comparison) -> None:
    fuzzy, crisp, calibrated = comparison.sets
    assert [s.membership.kind for s in comparison.sets] == ["fuzzy", "crisp", "calibrated"]
    assert all(s.error is None for s in comparison.sets)
    first = [r.consistency for r in fuzzy.rules]
    assert first != [r.consistency for r in crisp.rules]
    assert first != [r.consistency for r in calibrated.rules]
    # crisp memberships are 0 or 1
    values = np.concatenate([crisp.table.column(n) for n in crisp.table.names])
    assert set(values.tolist()) <= {0.0, 1.0}
    from multilat.study.report import membership_effects

    effects = membership_effects(comparison)
    assert any("crisp at 0.5" in e and "fuzzy" in e for e in effects)


def test_the_truth_table_has_every_configuration(comparison) -> None:
    fuzzy = comparison.sets[0]
    k = len(fuzzy.conditions)
    for table in fuzzy.truth_tables.values():
        assert len(table.rows) == 2 ** k
        assert sum(r.n for r in table.rows) == len(comparison.rows)


def test_crisp_membership_refuses_an_undecided_row(tmp_path: Path) -> None:
    from multilat.new_case import new_case

    # A new case has only commented examples: no evidence, every probability 0.5.
    new_case(tmp_path / "blank", {"rising": ["BLR"], "established": ["RUS"]},
                               institution="Union", start=2010, end=2012)
    result = compare_cases([str(tmp_path / "blank" / "case.yaml")],
                           memberships=[Membership("crisp"), Membership("fuzzy")],
                           undecided="error")
    crisp, fuzzy = result.sets
    assert crisp.error is not None
    assert "P = 0.5" in crisp.error and "coin flip" in crisp.error and "/whole" in crisp.error
    assert fuzzy.error is None and fuzzy.truth_tables == {}
    # By default the undecided rows are left out, by name, for every choice alike.
    excluded = compare_cases([str(tmp_path / "blank" / "case.yaml")],
                             memberships=[Membership("crisp"), Membership("fuzzy")])
    for result in excluded.sets:
        assert result.error == "no row left: every row has an undecided condition"
        assert "/whole" in result.notes[0]


def test_anchors_are_checked() -> None:
    with pytest.raises(multilat.InputError, match="exclusion < crossover < inclusion"):
        Membership("calibrated", (0.8, 0.5, 0.2))
    with pytest.raises(multilat.InputError, match="three anchors"):
        Membership("calibrated")


@pytest.mark.parametrize(("text", "found"), [
    ("schema_version: 1\nid: s\ncases: []\n", "cases"),
    ("schema_version: 1\nid: s\ncases: [a]\nmembership: fuzzzy\n", "membership"),
    ("schema_version: 1\nid: s\ncases: [a]\nmembership: {calibrated: [0.9, 0.5, 0.1]}\n",
     "exclusion < crossover"),
    ("schema_version: 1\nid: s\ncases: [a, a]\n", "again"),
    ("schema_version: 1\nid: s\ncases: [a]\ncolour: red\n", "colour"),
])
def test_study_file_problems_are_located(tmp_path: Path, text: str, found: str) -> None:
    path = tmp_path / "study.yaml"
    path.write_text(text)
    with pytest.raises(StudyFileError) as error:
        load_study(path)
    assert found in str(error.value)
    assert all(p.file == str(path) and p.line is not None for p in error.value.problems)


def test_an_unknown_case_suggests_a_name(tmp_path: Path) -> None:
    path = tmp_path / "study.yaml"
    path.write_text("schema_version: 1\nid: s\ncases: [kazakstan-eaeu]\n")
    with pytest.raises(multilat.InputError, match="did you mean 'kazakhstan-eaeu'"):
        compare_cases(path)


def test_cli_formats_and_exports(tmp_path: Path) -> None:
    runner = CliRunner()
    text = runner.invoke(main, ["compare-cases", str(STUDY)])
    assert text.exit_code == 0, text.output
    assert "not a degree of set membership" in text.output and "independent" in text.output
    as_csv = runner.invoke(main, ["compare-cases", str(STUDY), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert len(rows) == len(compare_cases(STUDY, sets=False).rows)
    assert {"id", "predicted_level", "observed_level", "congruence", "hit"} <= set(rows[0])
    as_json = json.loads(runner.invoke(main, ["compare-cases", str(STUDY), "--format", "json",
                                              "--export", str(tmp_path / "out")]).stdout)
    assert as_json["rows"] and as_json["sets"][0]["membership"]["kind"] == "fuzzy"
    script = (tmp_path / "out" / "qca-fuzzy.R").read_text()
    for call in ("truthTable(", "minimize(", "pof(", "theory.evaluation(",
                 'read.csv("sets-fuzzy.csv", row.names = 1'):
        assert call in script
    table = list(csv.reader(io.StringIO((tmp_path / "out" / "sets-fuzzy.csv").read_text())))
    assert table[0][0] == "" and len(table) == len(rows) + 1
    assert all(name.replace("_", "").replace(".", "").isalnum() for name in table[0][1:])


def test_cli_errors_are_messages_not_tracebacks() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["compare-cases", "kazakhstan-eaeu", "--membership",
                                  "calibrated"])
    assert result.exit_code == 1 and "--anchors" in result.output
    result = runner.invoke(main, ["compare-cases", "kazakhstan-eaeu", "--membership",
                                  "calibrated", "--anchors", "0.2,x,0.8"])
    assert result.exit_code == 1 and "three numbers" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(main, ["compare-cases", "kazakhstan-eaeu", "--incl-cut", "2"])
    assert result.exit_code == 1 and "--incl-cut: found 2" in result.output


def test_the_builtin_study_runs() -> None:
    result = CliRunner().invoke(main, ["compare-cases", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    # every built-in case, and issue areas as cases of their own
    assert {c["case"] for c in data["cases"]} == set(multilat.list_examples())
    assert any(c["issue_area"] for c in data["cases"])
    assert len(data["rows"]) > len(data["cases"])  # several periods per case


def test_python_api_frame_and_display(comparison) -> None:
    frame = comparison.to_frame()
    assert len(frame) == len(comparison.rows) and "hit" in frame.columns
    assert len(comparison._repr_html_()) < 20_000 and len(repr(comparison)) < 2_000


def test_the_cross_case_report_is_deterministic_and_escaped(tmp_path: Path) -> None:
    study = tmp_path / "study.yaml"
    text = STUDY.read_text().replace("title: Trial cases compared",
                                     "title: \"<script>alert(1)</script> & co\"")
    study.write_text(text.replace("armenia-eaeu/case.yaml", str(TRIAL / "armenia-eaeu"))
                     .replace("china-npt/case.yaml", str(TRIAL / "china-npt/case.yaml"))
                     .replace("china-sco/case.yaml", str(TRIAL / "china-sco/case.yaml"))
                     .replace("china-unfccc\n", f"{TRIAL / 'china-unfccc'}\n")
                     .replace("china-imf-g20/case.yaml", str(TRIAL / "china-imf-g20")))
    runner = CliRunner()
    for out in ("a", "b"):
        result = runner.invoke(main, ["report", str(study), "--out", str(tmp_path / out),
                                      "--format", "html", "--format", "md"])
        assert result.exit_code == 0, result.output
    a, b = tmp_path / "a", tmp_path / "b"
    names = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    assert "index.html" in names and "data/qca-fuzzy.R" in names
    assert all((a / n).read_bytes() == (b / n).read_bytes() for n in names)
    page = (a / "index.html").read_text()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "How the membership choice matters" in page


def test_cases_under_theories_with_other_variables_and_outcomes() -> None:
    incumbents = Path(__file__).parents[1] / "data" / "cases" / "good" / "incumbents"
    result = compare_cases(["kazakhstan-eaeu", str(incumbents / "case.yaml")])
    assert {r.case for r in result.rows} == {"kazakhstan-eaeu", "incumbents"}
    assert result.sets == () and any("no set-theoretic fit" in n for n in result.notes)
    names = {t.name: t for t in result.theories}
    assert {"kpr", "kpr-invest", "posture"} <= set(names)
    assert names["posture"].not_applied == ("kazakhstan-eaeu",)
    assert names["kpr"].not_applied == ("incumbents",)
    text = CliRunner().invoke(main, ["compare-cases", "kazakhstan-eaeu",
                                     str(incumbents / "case.yaml")])
    assert text.exit_code == 0, text.output
