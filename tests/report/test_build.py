"""The report's content and its reproducibility."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

import multilat
from multilat.report import build_report, write_report
from multilat.report.content import cited_keys


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_input_same_bytes(tmp_path: Path, minimal_analysis: multilat.Analysis) -> None:
    first = write_report(minimal_analysis, tmp_path / "a", formats=("html", "md", "tex"))
    second = write_report(minimal_analysis, tmp_path / "b", formats=("html", "md", "tex"))
    assert first.files == second.files
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")


def test_same_bytes_from_a_fresh_process(tmp_path: Path, builtin_report: Path) -> None:
    """The CLI in a new interpreter writes the same bytes (no per-process ids or salts)."""
    out = tmp_path / "cli"
    done = subprocess.run([sys.executable, "-m", "multilat", "report", "--out", str(out),
                           "--format", "html", "--format", "md", "--format", "tex"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert _digests(out) == _digests(builtin_report)


def test_no_timestamp_unless_asked(minimal_analysis: multilat.Analysis) -> None:
    plain = build_report(minimal_analysis)["index.html"].decode()
    stamped = build_report(minimal_analysis, timestamp="2030-01-02 03:04 UTC")
    assert "2030-01-02" not in plain and "2030-01-02" in stamped["index.html"].decode()


def test_names_every_evidence_id_and_reference(builtin_report: Path,
                                               builtin_analysis: multilat.Analysis) -> None:
    html = (builtin_report / "index.html").read_text(encoding="utf-8")
    case = builtin_analysis.case
    assert len(case.evidence) > 10
    for item in case.evidence:
        assert f"<code>{item.id}</code>" in html, item.id
    keys = cited_keys(builtin_analysis)
    assert {"kastner2016", "yuneman2020"} <= set(keys)
    for key in keys:
        assert f'id="ref-{key}"' in html and f"[{key}]" in html, key
    for period in case.periods:
        assert period.id in html
    assert 'class="not_supported"' in html  # the built-in case disagrees with the seed on 2013
    assert "not supported in 2013" in html


def test_html_is_self_contained(builtin_report: Path) -> None:
    html = (builtin_report / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|iframe|object|embed|img)\b", html, re.IGNORECASE)
    assert not re.search(r"\bsrc\s*=", html, re.IGNORECASE)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", html, re.IGNORECASE)
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert all(h.startswith(("#", "https://", "http://")) for h in hrefs), hrefs
    # Figures are inline SVG, with ids made unique per figure.
    assert html.count("<svg") == 6
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_figure_files(builtin_report: Path) -> None:
    names = {p.name for p in (builtin_report / "figures").iterdir()}
    for stem in ("strategy-map", "timeline", "contributions-balance_of_outside_options",
                 "contributions-indispensability"):
        assert {f"{stem}.svg", f"{stem}.png"} <= names
        assert (builtin_report / "figures" / f"{stem}.png").read_bytes()[:8] == (
            b"\x89PNG\r\n\x1a\n")
        svg = (builtin_report / "figures" / f"{stem}.svg").read_text(encoding="utf-8")
        assert "<dc:date>" not in svg and "multilat" in svg


def test_markdown_tables(builtin_report: Path, builtin_analysis: multilat.Analysis) -> None:
    text = (builtin_report / "report.md").read_text(encoding="utf-8")
    assert "## Results by period" in text and "## Results by year" in text
    rows = [line for line in text.splitlines() if line.startswith("| integration |")]
    assert len(rows) == 1 and rows[0].count("|") == 9
    for year in builtin_analysis.years:
        assert f"| {year} |" in text
    assert "![strategy-map](figures/strategy-map.svg)" in text
    assert "Yuneman" in text


def test_latex_tables(builtin_report: Path) -> None:
    text = (builtin_report / "report.tex").read_text(encoding="utf-8")
    # per period, per year, change-year posteriors, theory comparison
    assert text.count(r"\begin{tabular}") == 4 and text.count(r"\bottomrule") == 4
    assert "hold-up & 2014-2019 &" in text
    body = [line for line in text.splitlines() if line.endswith(r"\\")]
    assert all(line.count("&") == body[0].count("&") for line in body[:3])


def test_custom_csl_file(tmp_path: Path, minimal_analysis: multilat.Analysis) -> None:
    import citeproc

    style = tmp_path / "my-style.csl"
    style.write_bytes((Path(citeproc.STYLES_PATH) / "harvard-cite-them-right.csl").read_bytes())
    html = build_report(minimal_analysis, style=style)["index.html"].decode()
    assert "my-style.csl (sha256" in html and "Smith, J. and Doe, J. (2020)" in html


def test_bad_style_is_a_clear_error(tmp_path: Path,
                                    minimal_analysis: multilat.Analysis) -> None:
    with pytest.raises(multilat.InputError, match="expected a path to a .csl file"):
        build_report(minimal_analysis, style="no-such-style")
    broken = tmp_path / "broken.csl"
    broken.write_text("<style>not csl", encoding="utf-8")
    with pytest.raises(multilat.InputError, match="broken.csl"):
        build_report(minimal_analysis, style=broken)


def test_unknown_format(minimal_analysis: multilat.Analysis) -> None:
    with pytest.raises(multilat.InputError, match="expected one or more of: html, md, tex"):
        build_report(minimal_analysis, formats=("pdf",))


def test_missing_dependency_names_the_extra(monkeypatch: pytest.MonkeyPatch,
                                            minimal_analysis: multilat.Analysis) -> None:
    from multilat import _deps
    from multilat.errors import MissingDependencyError

    def refuse(name: str) -> None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)

    monkeypatch.setattr(_deps.importlib, "import_module", refuse)
    with pytest.raises(MissingDependencyError, match=r'pip install "multilat\[report\]"'):
        build_report(minimal_analysis)


def test_png_is_optional(tmp_path: Path, minimal_analysis: multilat.Analysis) -> None:
    with_png = build_report(minimal_analysis, formats=("html", "md"))
    without = build_report(minimal_analysis, formats=("html", "md"), png=False)
    pngs = {name for name in with_png if name.endswith(".png")}
    assert pngs and {f"{name[:-4]}.svg" for name in pngs} <= set(with_png)
    assert set(without) == set(with_png) - pngs
    assert all(without[name] == with_png[name] for name in without)  # the rest byte for byte
    from click.testing import CliRunner

    from multilat.cli import main

    result = CliRunner().invoke(main, ["report", "--out", str(tmp_path / "r"), "--no-png",
                                       "--no-robustness"])
    assert result.exit_code == 0, result.output
    names = {p.name for p in (tmp_path / "r" / "figures").iterdir()}
    assert names and all(name.endswith(".svg") for name in names)
