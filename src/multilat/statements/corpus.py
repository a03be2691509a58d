"""Corpora of statements: texts with who said them, when, and how to cite them.

A corpus is a set of files (or folders of files). Each file becomes a :class:`Document`: its
text exactly as the file's bytes decode as UTF-8 (no newline translation, a byte-order mark
kept as the character it is, so offsets into ``text`` find every quote again), the SHA-256
of the bytes, and its metadata from, in order:

1. a manifest beside the files (``manifest.csv``: ``file, actor, date, citation, language``;
   ``date`` is a year ``2014`` or an ISO date ``2014-09-25``);
2. a UN General Debate Corpus name, ``ISO3_session_year.txt`` (e.g. ``KAZ_69_2014.txt``):
   actor = the ISO3 code, year, language English, citation ``ungdc_baturo2017``.

A file neither describes is a located error. Plain text (``.txt``) is read as it is; HTML is
read with the standard library's parser; PDF and DOCX need the ``statements`` extra
(pypdf, python-docx), and their offsets point into the text extracted from them (kept in
``Document.text``; ``extracted`` says so).
"""

from __future__ import annotations

import csv
import hashlib
import html.parser
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .._deps import require
from .._files import is_file
from ..errors import DataSourceError, InputError

__all__ = ["MANIFEST_NAME", "UNGDC_CITATION", "Document", "guess_language", "read_corpus",
           "read_document", "ungdc_metadata"]

MANIFEST_NAME = "manifest.csv"
#: The bibliography key of the UN General Debate Corpus (``data/datasets.bib``).
UNGDC_CITATION = "ungdc_baturo2017"
_UNGDC = re.compile(r"^([A-Z]{3})_(\d{1,3})_(\d{4})\.txt$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".pdf", ".docx")
_MANIFEST_COLUMNS = ("file", "actor", "date", "citation", "language")
#: The largest text file read (bytes): a speech is kilobytes; a corpus file is a text, not data.
MAX_TEXT_BYTES = 20_000_000


@dataclass(frozen=True, slots=True)
class Document:
    """One statement text and what is known about it."""

    #: The path as found (a folder the user named, joined with the file's name).
    file: str
    text: str
    sha256: str
    actor: str
    year: int
    citation: str
    language: str = "en"
    date: str = ""
    #: True when ``text`` was extracted from a PDF, DOCX or HTML file (offsets point into it).
    extracted: bool = False

    @property
    def name(self) -> str:
        return Path(self.file).name


def ungdc_metadata(name: str) -> dict[str, str | int] | None:
    """Actor, session and year from a UNGDC file name (``KAZ_69_2014.txt``), else ``None``."""
    match = _UNGDC.match(name)
    if match is None:
        return None
    return {"actor": match.group(1), "session": int(match.group(2)),
            "year": int(match.group(3)), "language": "en", "citation": UNGDC_CITATION}


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DataSourceError(str(path), f"bytes that are not UTF-8 ({error.reason} at byte "
                                         f"{error.start})", "a text in UTF-8",
                              row=line) from None


class _HtmlText(html.parser.HTMLParser):
    """The visible text of an HTML page, one block element per paragraph."""

    _BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote",
               "section", "article"}
    _SKIP = {"script", "style", "head", "title", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(" ".join(data.split()) if data.strip() else " ")

    def text(self) -> str:
        joined = "".join(self.parts)
        blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", joined)]
        return "\n\n".join(b for b in blocks if b) + "\n"


def _extract(path: Path, data: bytes) -> tuple[str, bool]:
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        parser = _HtmlText()
        parser.feed(_decode(path, data))
        parser.close()
        return parser.text(), True
    if suffix == ".pdf":
        pypdf = require("pypdf", "statements", "Reading PDF statements")
        try:
            reader = pypdf.PdfReader(io.BytesIO(data))
            pages = [page.extract_text() or "" for page in reader.pages]
        except Exception as error:  # pypdf raises many kinds on a damaged file
            raise DataSourceError(str(path), f"a PDF that cannot be read ({error})",
                                  "a PDF file with a text layer") from None
        return "\n\n".join(pages), True
    if suffix == ".docx":
        docx = require("docx", "statements", "Reading DOCX statements")
        try:
            document = docx.Document(io.BytesIO(data))
        except Exception as error:  # python-docx raises zip and XML errors alike
            raise DataSourceError(str(path), f"a DOCX that cannot be read ({error})",
                                  "a Word (.docx) file") from None
        return "\n\n".join(p.text for p in document.paragraphs if p.text.strip()) + "\n", True
    return _decode(path, data), False


def _year_of(date: str, path: str, row: int) -> int:
    match = _DATE.match(date.strip())
    if match is None:
        raise DataSourceError(path, f"date {date!r}", "a year (2014) or an ISO date "
                              "(2014-09-25)", row=row, column="date")
    return int(match.group(1))


def _read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """File name -> its row of ``manifest.csv``; every problem located by row and column."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DataSourceError(str(path), f"an unreadable file ({error.strerror})",
                              "a manifest (CSV)") from None
    reader = csv.reader(io.StringIO(_decode(path, raw).lstrip("\ufeff"), newline=""))
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in ("file", "actor", "date") if c not in header]
    if missing:
        raise DataSourceError(str(path), f"the columns {', '.join(header) or 'none'}",
                              f"a header with {', '.join(_MANIFEST_COLUMNS)} (citation and "
                              "language optional)", row=1)
    rows: dict[str, dict[str, str]] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise DataSourceError(str(path), f"{len(cells)} cells", f"{len(header)} cells, "
                                  "one per header column", row=number)
        row = {h: c.strip() for h, c in zip(header, cells, strict=True)}
        for column in ("file", "actor", "date"):
            if not row[column]:
                raise DataSourceError(str(path), "an empty cell", f"a {column}", row=number,
                                      column=column)
        language = row.get("language", "") or "en"
        if not _LANGUAGE.match(language):
            raise DataSourceError(str(path), f"language {language!r}", "an ISO 639 code "
                                  "such as en or ru", row=number, column="language")
        _year_of(row["date"], str(path), number)
        row["language"] = language
        row["_row"] = str(number)
        if row["file"] in rows:
            raise DataSourceError(str(path), f"{row['file']!r} a second time",
                                  "each file once", row=number, column="file")
        rows[row["file"]] = row
    return rows


def guess_language(text: str) -> str:
    """``ru`` when most letters of ``text`` are Cyrillic, else ``en`` (for undescribed texts)."""
    letters = [c for c in text[:20000] if c.isalpha()]
    cyrillic = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
    return "ru" if letters and cyrillic * 2 > len(letters) else "en"


def read_document(path: str | Path, *, meta: Mapping[str, str] | None = None,
                  citation: str | None = None, undescribed: bool = False) -> Document:
    """One file as a :class:`Document`, described by ``meta`` (a manifest row) or its name.

    Raises
    ------
    DataSourceError
        The file is missing, unreadable, not UTF-8, or neither a manifest row nor a UNGDC name
        says who spoke when.
    """
    path = Path(path)
    if not is_file(path):
        raise DataSourceError(str(path), "no such file", "a statement text file")
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise DataSourceError(str(path), f"a file of {size} bytes",
                              f"a statement text of at most {MAX_TEXT_BYTES} bytes")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DataSourceError(str(path), f"an unreadable file ({error.strerror})",
                              "a statement text file") from None
    text, extracted = _extract(path, data)
    digest = hashlib.sha256(data).hexdigest()
    if meta is not None:
        where = f"{meta.get('_manifest', MANIFEST_NAME)}"
        year = _year_of(meta["date"], where, int(meta.get("_row", "0")))
        return Document(str(path), text, digest, meta["actor"], year,
                        citation or meta.get("citation") or "", meta.get("language") or "en",
                        meta["date"], extracted)
    found = ungdc_metadata(path.name)
    if found is None and undescribed:
        # scanned without knowing who spoke when: actor and year stay unknown ("", 0), which
        # to-evidence refuses until a manifest says them
        return Document(str(path), text, digest, "", 0, citation or "", guess_language(text),
                        "", extracted)
    if found is None:
        raise DataSourceError(str(path), "a file no manifest describes and not named like the "
                              "UN General Debate Corpus", f"a row for it in {MANIFEST_NAME} "
                              "beside it (file, actor, date, citation, language) or a name "
                              "ISO3_session_year.txt")
    return Document(str(path), text, digest, str(found["actor"]), int(found["year"]),
                    citation or str(found["citation"]), "en", str(found["year"]), extracted)


def _manifest_for(folder: Path, cache: dict[Path, dict[str, dict[str, str]] | None]
                  ) -> dict[str, dict[str, str]] | None:
    if folder not in cache:
        manifest = folder / MANIFEST_NAME
        rows = _read_manifest(manifest) if is_file(manifest) else None
        if rows is not None:
            for row in rows.values():
                row["_manifest"] = str(manifest)
        cache[folder] = rows
    return cache[folder]


def read_corpus(paths: Iterable[str | Path], *, actors: Sequence[str] | None = None,
                years: tuple[int, int] | None = None, citation: str | None = None,
                undescribed: bool = False) -> tuple[Document, ...]:
    """Every statement file under ``paths`` (files, or folders read one level deep), sorted by
    actor, year and name; only ``actors`` and ``years`` (inclusive) when given.

    A folder's ``manifest.csv`` describes its files (and only those are read from it); a
    folder without one is read for UNGDC-named files. ``citation`` overrides every file's key.
    ``undescribed=True`` reads a file named on its own that nothing describes with an unknown
    actor and year (``""``, ``0``; kept by the ``years`` filter) and a guessed language, so
    that it can be scanned; turning its candidates into evidence needs a manifest.

    Raises
    ------
    DataSourceError, InputError
        A missing path, a malformed manifest or a manifest row naming a missing file, a file
        nothing describes, an empty corpus.
    """
    cache: dict[Path, dict[str, dict[str, str]] | None] = {}
    documents: list[Document] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            rows = _manifest_for(path, cache)
            if rows is not None:
                for name, row in rows.items():
                    target = path / name
                    if not is_file(target):
                        raise DataSourceError(row["_manifest"], f"the file {name!r}, which "
                                              "does not exist", "a file beside the manifest",
                                              row=int(row["_row"]), column="file")
                    if target.resolve() not in seen:
                        seen.add(target.resolve())
                        documents.append(read_document(target, meta=row, citation=citation))
                continue
            files = sorted(p for p in path.iterdir()
                           if p.is_file() and p.suffix.lower() in _SUFFIXES)
            for file in files:
                if file.resolve() not in seen and ungdc_metadata(file.name) is not None:
                    seen.add(file.resolve())
                    documents.append(read_document(file, citation=citation))
            continue
        if not path.exists():
            raise DataSourceError(str(path), "no such file or folder",
                                  "a statement file or a folder of them")
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        rows = _manifest_for(path.parent, cache)
        meta = rows.get(path.name) if rows is not None else None
        documents.append(read_document(path, meta=meta, citation=citation,
                                       undescribed=undescribed))
    if actors is not None:
        wanted = {a.upper() for a in actors}
        documents = [d for d in documents if d.actor.upper() in wanted]
    if years is not None:
        documents = [d for d in documents if d.year == 0 or years[0] <= d.year <= years[1]]
    if not documents:
        raise InputError("paths: found no statement file (for the actors and years asked); "
                         "expected UNGDC-named .txt files (ISO3_session_year.txt) or a folder "
                         f"with a {MANIFEST_NAME}")
    return tuple(sorted(documents, key=lambda d: (d.actor, d.year, d.name)))
