"""What the report says: plain-words conclusions, claim checks, matrix order, figures."""

from __future__ import annotations

import numpy as np

import multilat
from multilat.report import plot_contributions, plot_strategy_map, plot_timeline
from multilat.report.citations import escape_markdown, format_references
from multilat.report.content import (
    claim_sentences,
    evidence_matrix,
    period_sentences,
    result_tables,
)
from multilat.report.figures import figure_style


def test_period_conclusions_in_plain_words(builtin_analysis: multilat.Analysis) -> None:
    sentences = dict(period_sentences(builtin_analysis))
    assert "predicts invest" in sentences["integration (2009-2013)"]
    assert "predicts hold up" in sentences["hold-up (2014-2019)"]
    assert all("agree" in text for text in sentences.values())


def test_claims_say_plainly_what_is_not_supported(
        builtin_analysis: multilat.Analysis) -> None:
    verdicts = claim_sentences(builtin_analysis)
    assert {verdict for verdict, _ in verdicts} <= {"supported", "weak", "not_supported",
                                                    "no_evidence"}
    failing = [text for verdict, text in verdicts if verdict == "not_supported"]
    assert [t for t in failing if "balance of outside options was favorable" in t
            and "not supported in 2013" in t]
    weak = [text for verdict, text in verdicts if verdict == "weak"]
    assert any("indispensability was indispensable" in t and "weak in 2009-2010" in t
               for t in weak)


def test_matrix_ordered_by_diagnosticity(builtin_analysis: multilat.Analysis) -> None:
    groups, columns, rows = evidence_matrix(builtin_analysis, {})
    assert [name for name, _ in groups] == [
        "balance_of_outside_options", "indispensability", "strategy"]
    assert len(columns) == sum(width for _, width in groups) == 7
    weights = [abs(float(r.weight)) for r in rows]
    assert weights == sorted(weights, reverse=True)
    assert len(rows) == len(builtin_analysis.table)
    for row in rows:
        filled = [c for c in row.cells if c.text]
        assert filled and sum(c.text.startswith("+") for c in filled) >= 1


def test_result_tables(minimal_analysis: multilat.Analysis) -> None:
    periods, years = result_tables(minimal_analysis)
    assert periods.columns[:2] == ("period", "years") and len(periods.rows) == 2
    assert [row[0] for row in years.rows] == ["2000", "2001", "2002", "2003"]
    # 2000 has no coded behaviour: no observation, rather than a uniform one.
    assert years.rows[0][4:6] == ("no evidence", "-")


def test_figures_are_built_from_the_analysis(minimal_analysis: multilat.Analysis) -> None:
    with figure_style():
        strategy_map = plot_strategy_map(minimal_analysis)
        assert strategy_map is not None
        axes = strategy_map.axes[0]
        assert [t.get_text() for t in axes.get_xticklabels()] == ["favorable", "unfavorable"]
        assert [t.get_text() for t in axes.get_yticklabels()] == ["dispensable",
                                                                  "indispensable"]
        points = axes.collections[0].get_offsets()
        assert len(points) == len(minimal_analysis.years)
        timeline = plot_timeline(minimal_analysis)
        assert len(timeline.axes) == 3
        bars = plot_contributions(minimal_analysis, "balance_of_outside_options")
        labels = bars.axes[0].get_legend_handles_labels()[1]
        assert {"side: rising", "side: established", "posterior log-odds"} <= set(labels)


def test_strategy_map_needs_two_variables(minimal_analysis: multilat.Analysis) -> None:
    from dataclasses import replace

    theory = minimal_analysis.theory
    single = replace(minimal_analysis, theory=replace(theory, variables=theory.variables[:1]))
    assert plot_strategy_map(single) is None


def test_references_escape_and_link_only_web_urls() -> None:
    # <b> is CSL-JSON rich text (dropped, text kept); any other tag is text, escaped.
    items = {"a": {"type": "webpage", "title": "<b>T</b> <img src=x>",
                   "URL": "javascript:alert(1)",
                   "issued": {"date-parts": [[2020]]}},
             "b": {"type": "webpage", "title": "Web", "URL": "https://example.org/?x=1&y=2",
                   "issued": {"date-parts": [[2021]]}}}
    references = {r.key: r for r in format_references(items, {"c": "Theory <ref>."})}
    html = references["a"].html
    assert "&lt;img src=x&gt;" in html and "<a " not in html and "<b>" not in html
    assert references["a"].text.startswith("T <img src=x>")
    assert '<a href="https://example.org/?x=1&amp;y=2">' in references["b"].html
    assert references["c"].html == "Theory &lt;ref&gt;."
    assert escape_markdown("*a* [b](c)") == r"\*a\* \[b\](c)"
    assert np.all([r.anchor.startswith("ref-") for r in references.values()])


def test_one_variable_theory_degrades_gracefully(builtin_analysis: multilat.Analysis) -> None:
    from multilat.report import build_report

    rival = multilat.analyze(builtin_analysis.case, "border-security")
    assert len(rival.theory.variables) == 1
    files = build_report(rival, formats=("html", "md"))
    html = files["index.html"].decode("utf-8")
    assert "figures/strategy-map.svg" not in files and "A map of the rule table needs" in html
    # timeline, the one contribution chart, the tornado plot and the change-year posterior
    assert html.count("<svg") == 4
