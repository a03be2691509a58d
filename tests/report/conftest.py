"""Fixtures for the report tests: a hostile case, cached built reports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

import multilat

GOOD = Path(__file__).parents[1] / "data" / "cases" / "good"
THEORY = Path(multilat.__file__).parent / "theories" / "kpr.yaml"

pytest.importorskip("jinja2")
pytest.importorskip("matplotlib")
pytest.importorskip("citeproc")

# Breaks out of elements, attributes, comments, Markdown and LaTeX if anything is unescaped.
HOSTILE = ('<script>alert(1)</script>"><img src=x onerror=alert(2)>\'</td></table>'
           '<a href="javascript:alert(3)">x</a> --> <!-- $5 & 10% _x_ {y} \\end{document} | * `')
# Breaks Markdown blocks and LaTeX comments, paragraphs and fonts if passed through.
HOSTILE_LINES = ("\n\n# heading\n> quote\r\n\\end{document}\n% comment\n[2pt] ~~struck~~ "
                 "\U0001F600 \u5317\u4eac \u041c\u043e\u0441\u043a\u0432\u0430 caf\u00e9")
#: The theory's version in the hostile theory.
HOSTILE_VERSION = "<img src=x onerror=alert(1)>\n\\end{document}"


@pytest.fixture
def hostile_case(tmp_path: Path) -> Path:
    """The minimal case with attacker-controlled text in every free-text field."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    data = yaml.safe_load((GOOD / "minimal.yaml").read_text(encoding="utf-8"))
    data["title"] = "Hostile " + HOSTILE + HOSTILE_LINES
    data["description"] = HOSTILE + HOSTILE_LINES
    data["theory"] = "hostile-theory.yaml"
    theory = yaml.safe_load(THEORY.read_text(encoding="utf-8"))
    theory["version"] = HOSTILE_VERSION
    theory["title"] = theory["description"] = HOSTILE + HOSTILE_LINES
    for role in theory["roles"]:
        role["label"] = HOSTILE + HOSTILE_LINES
    for rule in theory["rules"]:
        rule["note"] = HOSTILE + HOSTILE_LINES
    theory["references"] = {key: HOSTILE + HOSTILE_LINES for key in theory["references"]}
    (folder / "hostile-theory.yaml").write_text(yaml.safe_dump(theory, sort_keys=False),
                                                encoding="utf-8")
    data["institution"]["name"] = HOSTILE
    for actor in data["actors"]:
        actor["name"] = HOSTILE
    for period in data["periods"]:
        period["label"] = HOSTILE + HOSTILE_LINES
    for item in data["evidence"]:
        item["summary"] = HOSTILE + HOSTILE_LINES
        item["rationale"] = HOSTILE + " ".join(HOSTILE_LINES.split())  # one line, by rule
        item["citation"]["pages"] = HOSTILE
    data["evidence"][0]["quote"] = HOSTILE
    data["evidence"][1]["citation"]["key"] = "evil"
    data["claims"][0]["citation"]["pages"] = HOSTILE
    (folder / "case.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    bib = (GOOD / "refs.bib").read_text(encoding="utf-8") + """
@online{evil,
  author = {{<script>alert(4)</script>}},
  title = {Evil "onmouseover=alert(5) <b>bold</b> <a href='javascript:alert(7)'>y</a>},
  url = {javascript:alert(6)},
  year = {2021}
}
"""
    (folder / "refs.bib").write_text(bib, encoding="utf-8")
    return folder / "case.yaml"


@pytest.fixture(scope="session")
def builtin_analysis() -> multilat.Analysis:
    return multilat.analyze(multilat.load_example())


@pytest.fixture(scope="session")
def minimal_analysis() -> multilat.Analysis:
    return multilat.analyze(multilat.load_case(GOOD / "minimal.yaml"))


@pytest.fixture(scope="session")
def builtin_report(tmp_path_factory: pytest.TempPathFactory,
                   builtin_analysis: multilat.Analysis) -> Path:
    """The built-in case's report in all formats (built once per session)."""
    from multilat.report import write_report

    out = tmp_path_factory.mktemp("builtin") / "report"
    write_report(builtin_analysis, out, formats=("html", "md", "tex"))
    return out


@pytest.fixture
def minimal_copy(tmp_path: Path) -> Path:
    shutil.copy(GOOD / "minimal.yaml", tmp_path / "case.yaml")
    shutil.copy(GOOD / "refs.bib", tmp_path / "refs.bib")
    return tmp_path / "case.yaml"
