"""The report's robustness section: checks, tornado plot, change years, rival theories."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import multilat
from multilat.changepoint import change_point
from multilat.checks import run_checks
from multilat.cli import main
from multilat.compare import default_theories
from multilat.report import build_report
from multilat.report.robustness import robustness_section
from multilat.theory import resolve_theory


def _section(html: str) -> str:
    start = html.index('<section id="robustness">')
    return html[start:html.index("</section>", start)]


@pytest.fixture(scope="module")
def section_html(builtin_report: Path) -> str:
    return _section((builtin_report / "index.html").read_text(encoding="utf-8"))


def test_section_exists_after_contributions(builtin_report: Path) -> None:
    html = (builtin_report / "index.html").read_text(encoding="utf-8")
    assert '<a href="#robustness">Robustness</a>' in html
    assert (html.index('<section id="contributions">') < html.index('<section id="robustness">')
            < html.index('<section id="references">'))
    for name in ("tornado", "change-year"):
        assert (builtin_report / "figures" / f"{name}.svg").is_file()
        assert (builtin_report / "figures" / f"{name}.png").read_bytes()[:4] == b"\x89PNG"


def test_names_the_most_pivotal_items(section_html: str,
                                      builtin_analysis: multilat.Analysis) -> None:
    report = run_checks(builtin_analysis)
    pivotal = {i for c in report.conclusions for i in c.pivotal}
    assert pivotal  # the built-in case has conclusions resting on one item
    for item in pivotal:
        assert f'href="#ev-{item}"' in section_html, item
    section = robustness_section(builtin_analysis)
    assert {i.id for i in section.influences} >= pivotal  # every pivotal item is in the plot
    changes = [abs(i.change) for i in section.influences]
    assert changes == sorted(changes, reverse=True)
    assert f"<code>{section.influences[0].id}</code>" in section_html
    # The fragile conclusions are the ones run_checks says do not survive.
    fragile = [c for c in report.conclusions if not c.survives_leave_one_out]
    assert len(section.fragile) == len(fragile) and section.survive == (
        len(report.conclusions) - len(fragile))
    assert "observed strategy, 2009" in section_html


def test_lists_every_check_with_its_verdict(section_html: str,
                                            builtin_analysis: multilat.Analysis) -> None:
    for check in run_checks(builtin_analysis).checks:
        assert f"<code>{check.name}</code>" in section_html
        assert f'class="verdict {check.verdict}"' in section_html


def test_lists_all_theories_compared(section_html: str,
                                     builtin_analysis: multilat.Analysis) -> None:
    case = builtin_analysis.case
    names = [resolve_theory(n, case.folder).name for n in default_theories(case)]
    assert names == ["kpr-invest", "kpr", "border-security", "russia-west", "multi-vector"]
    rows = re.findall(r"<tr(?: class=\"reference\")?><td><code>([^<]+)</code></td>",
                      section_html[section_html.index('class="numbers theories"'):])
    assert sorted(rows) == sorted(names)
    years = builtin_analysis.years
    strips = re.findall(r'<td class="strip">(.*?)</td>', section_html)
    assert len(strips) == len(names)
    assert all(strip.count("<span") == len(years) for strip in strips)


def test_change_year_posterior_sums_to_one(section_html: str,
                                           builtin_analysis: multilat.Analysis) -> None:
    section = robustness_section(builtin_analysis)
    assert [c.variable for c in section.change_years] == ["balance_of_outside_options",
                                                          "observed_strategy"]
    for dated in section.change_years:
        assert sum(dated.posterior) == pytest.approx(1.0, abs=1e-9)
        assert sum(dated.prior) == pytest.approx(1.0, abs=1e-9)
        assert dated.keys[0] == "no_change"
        expected = change_point(builtin_analysis, dated.variable)
        assert dated.most_probable_year == expected.most_probable_year[0]
        assert f"<strong>{dated.most_probable_year}</strong>" in section_html
    assert "uniform over &#39;no change&#39; and each change year" in section_html
    # The table as shown: each posterior column sums to 1 within rounding.
    table = section_html[section_html.index('class="numbers change-years"'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r"<tr><td>([^<]+)</td>((?:<td>[^<]+</td>)+)</tr>", table)
    assert len(rows) == len(builtin_analysis.years)  # no change + every year but the first
    columns = list(zip(*[[float(v) for v in re.findall(r"<td>([^<]+)</td>", cells)]
                         for _, cells in rows], strict=True))
    for column in columns:
        assert sum(column) == pytest.approx(1.0, abs=0.006)
    assert "Lag of the switch" in section_html


def test_markdown_and_latex_have_comparison_and_change_years(builtin_report: Path) -> None:
    markdown = (builtin_report / "report.md").read_text(encoding="utf-8")
    assert "## Robustness" in markdown
    assert "### Theories compared (log Bayes factor against kpr-invest)" in markdown
    assert "| multi-vector |" in markdown and "| no change |" in markdown
    latex = (builtin_report / "report.tex").read_text(encoding="utf-8")
    assert "theories compared" in latex and "no change &" in latex
    assert "multi-vector &" in latex


def test_no_robustness_skips_the_section(minimal_analysis: multilat.Analysis) -> None:
    files = build_report(minimal_analysis, formats=("html", "md", "tex"), robustness=False)
    html = files["index.html"].decode("utf-8")
    assert 'id="robustness"' not in html and "#robustness" not in html
    assert not any(name.startswith(("figures/tornado", "figures/change-year"))
                   for name in files)
    assert "Robustness" not in files["report.md"].decode("utf-8")
    assert "theories compared" not in files["report.tex"].decode("utf-8")
    with_section = build_report(minimal_analysis, formats=("html",))
    assert 'id="robustness"' in with_section["index.html"].decode("utf-8")


def test_cli_no_robustness(tmp_path: Path, minimal_copy: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["report", str(minimal_copy), "--out", str(out),
                                       "--no-robustness"])
    assert result.exit_code == 0, result.output
    assert not (out / "figures" / "tornado.svg").exists()
    assert 'id="robustness"' not in (out / "index.html").read_text(encoding="utf-8")


def test_section_is_deterministic(minimal_analysis: multilat.Analysis) -> None:
    first = build_report(minimal_analysis, formats=("html", "md", "tex"))
    second = build_report(minimal_analysis, formats=("html", "md", "tex"))
    assert first == second
    assert {"figures/tornado.svg", "figures/change-year.png"} <= set(first)


def test_single_year_case_has_no_change_years(tmp_path: Path, minimal_copy: Path) -> None:
    import yaml

    data = yaml.safe_load(minimal_copy.read_text(encoding="utf-8"))
    data["span"] = {"start": 2000, "end": 2000}
    data["periods"] = [{"id": "only", "label": "2000", "start": 2000, "end": 2000}]
    data["claims"] = []
    data["evidence"] = [{**e, "years": 2000} for e in data["evidence"]]
    minimal_copy.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    analysis = multilat.analyze(multilat.load_case(minimal_copy))
    html = build_report(analysis)["index.html"].decode("utf-8")
    assert "Dating a switch needs at least two years" in _section(html)
    assert "figures/change-year.svg" not in build_report(analysis)


def test_the_report_reads_one_assessment(builtin_analysis: multilat.Analysis,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Leave-one-out, the change points and the comparison are computed once per report, and
    a report built from an assessment is the same, byte for byte."""
    import sys

    import multilat.assessment as assessment_module
    from multilat.report import build_report

    loo_module = sys.modules["multilat.checks.leave_one_out"]

    calls = {"leave_one_out": 0, "change_point": 0, "compare_theories": 0}

    def counting(module, name):  # type: ignore[no-untyped-def]
        original = getattr(module, name)

        def run(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls[name] += 1
            return original(*args, **kwargs)
        monkeypatch.setattr(module, name, run)

    counting(loo_module, "leave_one_out")
    counting(assessment_module, "change_point")
    counting(assessment_module, "compare_theories")
    files = build_report(builtin_analysis, formats=("html", "md"))
    assert calls == {"leave_one_out": 1, "change_point": 2, "compare_theories": 1}
    assessment = multilat.assess(builtin_analysis)
    assert build_report(assessment, formats=("html", "md")) == files
    document = assessment.to_dict()
    assert {"analysis", "robustness", "switches", "lag", "theories"} <= set(document)
    assert [s["variable"] for s in document["switches"]] == ["balance_of_outside_options",
                                                              "observed_strategy"]
