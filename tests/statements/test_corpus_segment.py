"""Corpus reading (manifest, UNGDC names, hashes, exact text) and segmentation offsets."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from multilat.errors import DataSourceError, InputError, MissingDependencyError
from multilat.statements import detect_layout, paragraphs, read_corpus, read_document
from multilat.statements.corpus import ungdc_metadata


def test_ungdc_names_are_read_without_a_manifest(corpus: Path) -> None:
    documents = read_corpus([corpus], actors=["KAZ"], years=(2009, 2019))
    assert [d.year for d in documents] == list(range(2009, 2020))
    first = documents[0]
    assert (first.actor, first.language, first.citation) == ("KAZ", "en", "ungdc_baturo2017")
    assert first.sha256 == hashlib.sha256(Path(first.file).read_bytes()).hexdigest()
    assert first.text == Path(first.file).read_bytes().decode("utf-8")
    assert ungdc_metadata("RUS_69_2014.txt") == {"actor": "RUS", "session": 69, "year": 2014,
                                                 "language": "en",
                                                 "citation": "ungdc_baturo2017"}
    assert ungdc_metadata("notes.txt") is None


def test_bom_and_crlf_are_kept_so_offsets_hold(tmp_path: Path) -> None:
    data = "\ufeffFirst paragraph here.\r\n\r\nSecond one, with Mr. Smith.\r\n".encode()
    (tmp_path / "AAA_1_2000.txt").write_bytes(data)
    document = read_document(tmp_path / "AAA_1_2000.txt")
    assert document.text == data.decode("utf-8")
    found = paragraphs(document.text)
    assert [document.text[p.start:p.end] for p in found] == [
        "First paragraph here.", "Second one, with Mr. Smith."]
    assert len(found[1].sentences) == 1  # "Mr." ends no sentence


def test_manifest_describes_files(tmp_path: Path) -> None:
    (tmp_path / "speech.txt").write_text("Речь о союзе.\n", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,actor,date,citation,language\nspeech.txt,KAZ,2014-05-29,nazarbayev2014,ru\n",
        encoding="utf-8")
    (document,) = read_corpus([tmp_path])
    assert (document.actor, document.year, document.date, document.citation,
            document.language) == ("KAZ", 2014, "2014-05-29", "nazarbayev2014", "ru")


@pytest.mark.parametrize(("manifest", "where"), [
    ("file,actor\nspeech.txt,KAZ\n", "row 1"),
    ("file,actor,date\nspeech.txt,KAZ,May 2014\n", "row 2 column 'date'"),
    ("file,actor,date\nspeech.txt,,2014\n", "row 2 column 'actor'"),
    ("file,actor,date,language\nspeech.txt,KAZ,2014,Russian\n", "row 2 column 'language'"),
    ("file,actor,date\nmissing.txt,KAZ,2014\n", "row 2 column 'file'"),
    ("file,actor,date\nspeech.txt,KAZ\n", "row 2"),
])
def test_manifest_problems_are_located(tmp_path: Path, manifest: str, where: str) -> None:
    (tmp_path / "speech.txt").write_text("Text.\n", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(manifest, encoding="utf-8")
    with pytest.raises(DataSourceError) as error:
        read_corpus([tmp_path])
    assert str(tmp_path / "manifest.csv") in str(error.value) and where in str(error.value)


def test_bad_files_are_located(tmp_path: Path) -> None:
    (tmp_path / "KAZ_1_2000.txt").write_bytes(b"fine\n\xff\xfe broken\n")
    with pytest.raises(DataSourceError, match="row 2.*not UTF-8"):
        read_document(tmp_path / "KAZ_1_2000.txt")
    (tmp_path / "notes.txt").write_text("who said this?\n")
    with pytest.raises(DataSourceError, match="no manifest describes"):
        read_corpus([tmp_path / "notes.txt"])
    with pytest.raises(DataSourceError, match="no such file"):
        read_corpus([tmp_path / "nothing.txt"])
    (tmp_path / "KAZ_1_2000.txt").write_text("fine\n")
    with pytest.raises(InputError, match="no statement file"):
        read_corpus([tmp_path], actors=["RUS"])


def test_html_and_docx_texts(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        "<html><head><title>x</title><script>var a;</script></head><body>"
        "<p>The union&nbsp;grows.</p><p>Second   paragraph.</p></body></html>", encoding="utf-8")
    docx = pytest.importorskip("docx")
    word = docx.Document()
    word.add_paragraph("Customs union first.")
    word.add_paragraph("Then sovereignty.")
    word.save(tmp_path / "talk.docx")
    (tmp_path / "manifest.csv").write_text(
        "file,actor,date\npage.html,KAZ,2015\ntalk.docx,KAZ,2016\n", encoding="utf-8")
    page, talk = read_corpus([tmp_path])
    assert page.extracted and [page.text[p.start:p.end] for p in paragraphs(page.text)] == [
        "The union grows.", "Second paragraph."]
    assert [talk.text[p.start:p.end] for p in paragraphs(talk.text)] == [
        "Customs union first.", "Then sovereignty."]


def test_pdf_without_the_extra_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pypdf", None)  # as if not installed
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "manifest.csv").write_text("file,actor,date\na.pdf,KAZ,2015\n")
    with pytest.raises(MissingDependencyError, match=r'multilat\[statements\]'):
        read_corpus([tmp_path])


@pytest.mark.parametrize(("name", "layout"), [
    ("KAZ_64_2009.txt", "indent"), ("KAZ_67_2012.txt", "wrapped"),
    ("KAZ_68_2013.txt", "blank"), ("KAZ_70_2015.txt", "lines"), ("RUS_73_2018.txt", "lines")])
def test_the_corpus_layouts(corpus: Path, name: str, layout: str) -> None:
    text = (corpus / name).read_bytes().decode("utf-8")
    assert detect_layout(text) == layout
    found = paragraphs(text)
    assert len(found) >= 15
    for paragraph in found:
        body = text[paragraph.start:paragraph.end]
        assert body == body.strip(" \n\ufeff") and body
        assert not body[0].islower() or paragraph.number == 1
        assert paragraph.sentences[0].start == paragraph.start
        assert paragraph.sentences[-1].end == paragraph.end
        for sentence in paragraph.sentences:
            assert paragraph.start <= sentence.start < sentence.end <= paragraph.end
    # the UN page headers ("53 09-52470") are no paragraphs
    assert not any(text[p.start:p.end].replace(" ", "").replace("-", "").isdigit()
                   for p in found)


def test_wrapped_text_breaks_where_a_line_ends_early(corpus: Path) -> None:
    text = (corpus / "KAZ_67_2012.txt").read_bytes().decode("utf-8")
    starts = [text[p.start:p.start + 40] for p in paragraphs(text)]
    assert any(s.startswith("In recent years, the world") for s in starts)
    assert any(s.startswith("Kazakhstan fully supports the proposal") for s in starts)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .\n\n  AZ?!жЖ\ufeff\r\t")), max_size=400))
def test_paragraphs_are_ordered_disjoint_and_stripped(text: str) -> None:
    previous = 0
    for paragraph in paragraphs(text):
        assert previous <= paragraph.start < paragraph.end <= len(text)
        body = text[paragraph.start:paragraph.end]
        assert body.strip(" \t\r\n\f\v\u00a0\ufeff\u2028\u2029") == body
        previous = paragraph.end
