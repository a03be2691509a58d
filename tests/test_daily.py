"""A researcher's daily tool: a new case in a minute, notebooks, tables that keep numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import multilat
from multilat.cli import main


def _run(*args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_new_case_validates_and_analyses_at_once(tmp_path: Path) -> None:
    folder = tmp_path / "belarus"
    _run("new", str(folder), "--rising", "BLR", "--established", "RUS", "--institution",
         "Eurasian Economic Union", "--years", "2010-2019")
    case = multilat.load_case(folder / "case.yaml")
    assert [(a.id, a.name, a.role) for a in case.actors] == [
        ("BLR", "Belarus", "rising"), ("RUS", "Russia", "established")]
    assert (case.start, case.end, case.theory) == (2010, 2019, "kpr")
    text = (folder / "case.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=case.schema.json")
    for kind in ("statistic", "action", "statement", "assessment"):
        assert f"#     kind: {kind}" in text
    assert json.loads((folder / "case.schema.json").read_text())["title"] == "multilat case file"
    document = json.loads(_run("analyze", str(folder / "case.yaml"), "--format", "json"))
    assert len(document["years"]) == 10 and not document["evidence"]
    # Uncommenting the examples (and dropping the []) gives a case that still validates
    # once its citation key is in the bibliography.
    body = text.replace("evidence: []\n", "evidence:\n").replace("\n#   ", "\n  ").replace(
        "\n#     ", "\n    ")
    (folder / "case.yaml").write_text(body, encoding="utf-8")
    bib = (folder / "references.bib").read_text().replace("  @article", "@article")
    (folder / "references.bib").write_text(bib)
    assert len(multilat.load_case(folder / "case.yaml").evidence) == 4


def test_new_takes_the_theorys_roles_and_refuses_mistakes(tmp_path: Path) -> None:
    posture = Path(__file__).parent / "data" / "cases" / "good" / "incumbents" / "posture.yaml"
    _run("new", str(tmp_path / "p"), "--theory", str(posture), "--challenger", "CHN",
         "--incumbent", "USA", "--incumbent", "EUM", "--years", "2000-2005")
    case = multilat.load_case(tmp_path / "p" / "case.yaml")
    assert [a.role for a in case.actors] == ["challenger", "incumbent", "incumbent"]
    runner = CliRunner()
    typo = runner.invoke(main, ["new", str(tmp_path / "q"), "--risin", "BLR"])
    assert typo.exit_code == 2 and "--established ID, --rising ID" in typo.output
    missing = runner.invoke(main, ["new", str(tmp_path / "r"), "--rising", "BLR"])
    assert missing.exit_code == 1 and "established: found 0 actor(s)" in missing.output
    again = runner.invoke(main, ["new", str(tmp_path / "p"), "--theory", str(posture),
                                 "--challenger", "CHN", "--incumbent", "USA"])
    assert again.exit_code == 1 and "already exist" in again.output


def test_notebook_display() -> None:
    pytest.importorskip("pandas")
    analysis = multilat.analyze(multilat.load_example())
    frame = analysis.to_frame()
    assert list(frame.columns) == ["year", "variable", "level", "probability"]
    assert set(frame["year"]) == set(analysis.years)
    predicted = frame[(frame.variable == "predicted_strategy") & (frame.year == 2015)]
    assert predicted.probability.sum() == pytest.approx(1.0)
    assert analysis.to_frame("period").shape[0] == 2 * (2 + 2 + 3 + 3 + 1)
    with pytest.raises(multilat.InputError, match="scope"):
        analysis.to_frame("decade")
    assert len(analysis._repr_html_()) < 20_000 and len(repr(analysis)) < 2_000
    assert len(repr(analysis.case)) < 2_000
    from multilat.explain import explain_belief
    explanation = explain_belief(analysis, "balance_of_outside_options", year=2013)
    assert len(repr(explanation)) < 2_000 and "<table>" in explanation._repr_html_()
    assessment = multilat.assess(analysis)
    for shown in (assessment, assessment.robustness, *assessment.robustness.checks,
                  *assessment.switches):
        assert len(repr(shown)) < 2_000
    assert "<table>" in assessment.robustness._repr_html_()
    assert "<table>" in assessment.switches[0]._repr_html_()


def test_hostile_text_is_escaped_in_notebook_html() -> None:
    case = multilat.load_case(Path(__file__).parent / "data" / "cases" / "good"
                              / "minimal.yaml")
    import dataclasses
    hostile = dataclasses.replace(case, title="<script>alert(1)</script>")
    assert "<script>" not in multilat.analyze(hostile)._repr_html_()


@pytest.mark.parametrize("width", ["80", "120"])
def test_tables_keep_every_number_at_any_width(width: str) -> None:
    env = {"COLUMNS": width}
    for args in (["check"], ["analyze"],
                 ["explain", "--variable", "balance_of_outside_options", "--year", "2013"]):
        output = _run(*args, env=env)
        assert "…" not in output, (args, width)
    ids = [e.id for e in multilat.load_example().evidence
           if e.variable == "balance_of_outside_options" and e.start <= 2013 <= e.end]
    output = _run("explain", "--variable", "balance_of_outside_options", "--year", "2013",
                  env=env)
    assert all(i in output for i in ids)


def test_when_headlines_no_change_when_it_is_likelier() -> None:
    from multilat.changepoint import change_point
    analysis = multilat.analyze(multilat.load_example())
    for variable in ("balance_of_outside_options", "indispensability", "observed_strategy"):
        result = change_point(analysis, variable)
        year, probability = result.most_probable_year
        if result.posterior["no_change"] >= probability:
            assert "most probably no change" in result.headline
        else:
            assert f"most probable change {year}" in result.headline


def test_the_readme_python_runs() -> None:
    pytest.importorskip("pandas")
    text = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    blocks = text.split("```python\n")[1:]
    assert blocks
    for block in blocks:
        exec(compile(block.split("```")[0], "README.md", "exec"), {})  # noqa: S102


def test_data_evidence_for_any_case(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    pytest.importorskip("openpyxl")
    shipped = (Path(multilat.__file__).parent / "examples" / "kazakhstan-eaeu"
               / "data-layer.yaml").read_text(encoding="utf-8")
    assert _run("indicators", "evidence") == shipped  # the roles default to the built-in case
    folder = tmp_path / "belarus"
    _run("new", str(folder), "--rising", "BLR", "--established", "RUS", "--institution",
         "Eurasian Economic Union", "--years", "2010-2019")
    result = CliRunner().invoke(main, ["indicators", "evidence", "--case",
                                       str(folder / "case.yaml"), "--out",
                                       str(folder / "data-layer.yaml")])
    assert result.exit_code == 0, result.output
    assert "did not fire: " in result.output and "never all held in 2010-2019" in result.output
    assert "Added to" in result.output and "imf_dots" in result.output
    import yaml
    layer = yaml.safe_load((folder / "data-layer.yaml").read_text(encoding="utf-8"))
    assert layer["evidence"] and {i["actor"] for i in layer["evidence"]} <= {"BLR", "RUS"}
    assert all(i["id"].startswith(("data-blr-", "data-rus-")) for i in layer["evidence"])
    assert not any("Kazakhstan" in i["summary"] + i["rationale"] for i in layer["evidence"])
    assert (folder / "references.bib.bak").exists()
    # The case with the layer validates: the dataset's reference came with it.
    text = (folder / "case.yaml").read_text(encoding="utf-8")
    (folder / "case.yaml").write_text(text.replace("bibliography: references.bib",
                                                   "bibliography: references.bib\n"
                                                   "evidence_files: [data-layer.yaml]"))
    assert len(multilat.load_case(folder / "case.yaml").evidence) == len(layer["evidence"])


def test_indicators_print_a_readable_table() -> None:
    pytest.importorskip("pandas")
    pytest.importorskip("openpyxl")
    output = _run("indicators", "trade", "--country", "KAZ", "--format", "table")
    assert "KAZ exports, % by partner" in output and "RUS" in output
    lines = [line for line in output.splitlines() if line.startswith("2015")]
    assert lines and all(len(cell.split(".")[-1]) <= 1 for cell in lines[0].split()[1:]
                         if "." in cell)
    assert _run("indicators", "trade", "--country", "KAZ").startswith("country,partner,year")
