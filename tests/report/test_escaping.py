"""Case and bibliography text is untrusted: nothing in it may become markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import multilat
from multilat.report import build_report
from multilat.report.citations import escape_latex, escape_markdown

ALLOWED = {"html", "head", "meta", "title", "style", "body", "header", "main", "nav", "section",
           "h1", "h2", "h3", "h4", "p", "a", "code", "dl", "dt", "dd", "div", "ul", "li",
           "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td", "strong",
           "span", "br", "i", "b",
           # inline SVG from matplotlib
           "svg", "metadata", "defs", "g", "path", "use", "clippath", "rect",
           "rdf:rdf", "cc:work", "dc:type", "dc:date", "dc:format", "dc:creator", "cc:agent",
           "dc:title"}

class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

def _parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector

def test_hostile_case_html(hostile_case: Path) -> None:
    analysis = multilat.analyze(multilat.load_case(hostile_case))
    html = build_report(analysis)["index.html"].decode("utf-8")
    tags = _parse(html).tags
    assert {tag for tag, _ in tags} <= ALLOWED
    for tag, attrs in tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "xlink:href"):
                assert value and value.startswith(("#", "https://", "http://")), value
    assert "<script" not in html.lower() and "<img" not in html.lower()
    # The text is shown, escaped, not dropped.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "javascript:alert(6)" in html  # the bib URL, as inert text
    assert 'href="javascript' not in html.lower()
    # Hostile summaries flow into the robustness section too (the tornado table), escaped.
    start = html.index('<section id="robustness">')
    robustness = html[start:html.index("</section>", start)]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in robustness
    assert "<script" not in robustness.lower() and "<img" not in robustness.lower()

def test_hostile_case_markdown_and_latex(hostile_case: Path) -> None:
    analysis = multilat.analyze(multilat.load_case(hostile_case))
    files = build_report(analysis, formats=("md", "tex"))
    markdown = files["report.md"].decode("utf-8")
    assert "<script" not in markdown and "<img" not in markdown
    assert "&lt;script&gt;" in markdown
    latex = files["report.tex"].decode("utf-8")
    assert r"\end{document}" not in latex.replace(r"\textbackslash{}end", "")
    assert r"\$5 \& 10\% \_x\_ \{y\}" in latex
    assert "Hostile" in latex and "<script>" not in latex


def test_a_hostile_theory_version_stays_text(tmp_path, minimal_analysis) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    from multilat.report import build_report

    hostile = "<img src=x onerror=alert(1)>`\n\\end{document}\n\n😀"
    theory = dataclasses.replace(minimal_analysis.theory, version=hostile)
    analysis = dataclasses.replace(minimal_analysis, theory=theory)
    files = build_report(analysis, formats=("html", "md", "tex"), robustness=False)
    markdown = files["report.md"].decode("utf-8")
    assert "<img" not in markdown and "&lt;img" in markdown
    tex = files["report.tex"].decode("utf-8")
    first = tex.splitlines()[0]
    assert first.startswith("% multilat") and "end\\{document\\}" in first
    assert "😀" not in tex and "[U+1F600]" in tex
    assert "<img" not in files["index.html"].decode("utf-8")
def test_hostile_theory_and_lines_markdown(hostile_case: Path) -> None:
    """A theory's version, title, notes and references, and multi-line case text, stay text."""
    analysis = multilat.analyze(multilat.load_case(hostile_case))
    assert analysis.theory.version == "<img src=x onerror=alert(1)>\n\\end{document}"
    markdown = build_report(analysis, formats=("md",))["report.md"].decode("utf-8")
    assert "<img" not in markdown.lower() and "<script" not in markdown.lower()
    assert "version &lt;img src=x onerror=alert(1)&gt; \\\\end{document}" in markdown
    for line in markdown.splitlines():
        # No field starts a block: headings and quotes are only the template's own.
        assert not line.startswith(("# heading", "> quote", "% comment", "[2pt]")), line
    assert "\\~\\~struck\\~\\~" in markdown


def test_hostile_theory_and_lines_latex(hostile_case: Path) -> None:
    analysis = multilat.analyze(multilat.load_case(hostile_case))
    latex = build_report(analysis, formats=("tex",))["report.tex"].decode("utf-8")
    assert latex.isascii()  # every character is one pdflatex typesets (or a placeholder)
    lines = latex.splitlines()
    # The version is in the first line, a comment: it must not end it.
    assert lines[0].startswith("% multilat") and "onerror" in lines[0]
    assert [line for line in lines if line.startswith("%")] == lines[:2]
    assert r"\end{document}" not in latex.replace(r"\textbackslash{}end", "")
    # No field holds a blank line (a paragraph break stops a caption or a table cell).
    for index, line in enumerate(lines):
        if not line.strip():
            assert lines[index - 1].startswith((r"\end{table}", r"\end{itemize}", "%")), index
    assert "{[U+1F600]}" in latex and r"caf\'{e}" in latex and "{[}2pt{]}" in latex


@pytest.mark.parametrize(("text", "expected"), [
    ("a\n\nb\r\nc\td  e", "a b c d e"),
    ("50% of $5 & #1_x {y} ~ ^ \\ < > | \"q\"",
     r"50\% of \$5 \& \#1\_x \{y\} \textasciitilde{} \textasciicircum{} \textbackslash{} "
     r"\textless{} \textgreater{} \textbar{} ''q''"),
    ("[opt] x]", "{[}opt{]} x{]}"),
    ("café naïve Şimşek ő", r"caf\'{e} na\"{\i}ve \c{S}im\c{s}ek \H{o}"),
    ("Ærø ß Łódź – “q” …", r"\AE{}r\o{} \ss{} \L{}\'{o}d\'{z} -- ``q'' \ldots{}"),
    ("😀 北 М", "{[U+1F600]} {[U+5317]} {[U+041C]}"),
    ("a\x00\x07\x1b\u200b\ue000b", "ab"),
    ("\u2028x\u3000y\u00a0z", " x y z"),
])
def test_escape_latex(text: str, expected: str) -> None:
    assert escape_latex(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_escape_latex_any_text(text: str) -> None:
    out = escape_latex(text)
    assert out.isascii() and "\n" not in out and "\r" not in out
    assert "%" not in out.replace(r"\%", "")
    stripped = re.sub(r"\\[a-zA-Z]+|\\.", "", out)
    assert stripped.count("{") == stripped.count("}")


def test_escape_markdown_and_filters() -> None:
    from multilat.report.render import _markdown, _markdown_code

    assert escape_markdown("<img src=x> *a* _b_ `c` [d](e) |f| ~~g~~ \\") == (
        "&lt;img src=x&gt; \\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\|f\\| \\~\\~g\\~\\~ \\\\")
    assert _markdown("a\n\n# b\r\n> c") == "a # b &gt; c"
    assert _markdown_code("e1.x-2") == "`e1.x-2`"
    assert _markdown_code("a`b <i>") == "a\\`b &lt;i&gt;"
