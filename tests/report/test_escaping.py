"""Case and bibliography text is untrusted: nothing in it may become markup."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import multilat
from multilat.report import build_report

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
