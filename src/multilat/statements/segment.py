"""Paragraphs and sentences of a text, as exact character offsets into it.

``text[p.start:p.end]`` is the paragraph (no leading or trailing whitespace; line breaks inside
a paragraph kept as they are); each sentence likewise. Offsets count Python characters (code
points) of the text decoded from UTF-8, the way :class:`~multilat.statements.corpus.Document`
holds it.

Four layouts are recognised (the UN General Debate Corpus has the first three):

``blank``
    paragraphs separated by blank lines (UNGDC 2013-2014);
``lines``
    one paragraph per line, lines long (UNGDC 2015 on; most exported texts);
``indent``
    lines wrapped at a fixed width, a new paragraph where a line starts with a space (UNGDC
    2009-2011);
``wrapped``
    lines wrapped with no paragraph marker at all (UNGDC 2012): a paragraph ends at a line that
    ends a sentence and is short enough that the next line's first word would have fitted on
    it (a typesetter only breaks early at a paragraph's end).

In every layout a block that starts in lower case after one that ends mid-sentence continues
it (a page break), and a UN page header line ("53 09-52470") is no paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Layout", "Paragraph", "Span", "detect_layout", "paragraphs", "sentences"]

Layout = str
_SPACE = " \t\r\n\f\v\u00a0\ufeff\u2028\u2029"
#: A UN document's running page header (page number and document symbol, "53 09-52470"),
#: left in the text by the PDF conversion; never a paragraph.
_PAGE_HEADER = re.compile(r"^(?:\d{1,4}\s+)?\d{2}-\d{5}(?:\s+\d{1,4})?$")
_LINE = re.compile(r"[^\n]*\n|[^\n]+$")
_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
#: A sentence ends at . ! ? (or …), closing quotes/brackets, then space and a capital, digit or
#: opening quote (Latin, Cyrillic).
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-ZА-ЯЁ0-9])")
#: Words a period follows without ending the sentence (titles, months, Latin, Russian).
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st no nos art prof gen jr sr vs cf inc ltd co jan feb mar apr jun jul aug "
    "sep sept oct nov dec e.g i.e u.s u.n u.k "
    "г гг т.е т.д т.п см им ст тыс млн млрд".split())


@dataclass(frozen=True, slots=True)
class Span:
    """``text[start:end]``."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph: its 1-based number in the file, its offsets and its sentences'."""

    number: int
    start: int
    end: int
    sentences: tuple[Span, ...]


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, the newline excluded."""
    out = []
    for match in _LINE.finditer(text):
        end = match.end() - (1 if match.group(0).endswith("\n") else 0)
        out.append((match.start(), end))
    return out


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _SPACE:
        start += 1
    while end > start and text[end - 1] in _SPACE:
        end -= 1
    return start, end


def detect_layout(text: str) -> Layout:
    """Which of the four layouts (module docstring) ``text`` has."""
    lines = [text[a:b] for a, b in _lines(text)]
    filled = [line for line in lines if line.strip(_SPACE)]
    if not filled:
        return "lines"
    blanks = sum(1 for i in range(1, len(lines)) if not lines[i].strip(_SPACE)
                 and lines[i - 1].strip(_SPACE))
    lengths = sorted(len(line.rstrip(_SPACE)) for line in filled)
    median = lengths[len(lengths) // 2]
    if median > 200 or len(filled) <= 2:
        return "lines"
    if blanks >= 3 and blanks * 40 >= len(filled):
        return "blank"
    indented = sum(1 for line in filled[1:] if line[:1] in (" ", "\t"))
    if indented >= 3:
        return "indent"
    return "wrapped"


def _blocks(text: str, layout: Layout) -> list[tuple[int, int]]:
    """(start, end) of each paragraph before stripping."""
    lines = _lines(text)
    blocks: list[tuple[int, int]] = []
    current: list[int] | None = None

    def close() -> None:
        nonlocal current
        if current is not None:
            blocks.append((current[0], current[1]))
        current = None

    if layout == "wrapped":
        filled = [len(text[a:b].rstrip(_SPACE)) for a, b in lines if text[a:b].strip(_SPACE)]
        ordered = sorted(filled)
        width = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))] if ordered else 0
    for index, (a, b) in enumerate(lines):
        line = text[a:b]
        if not line.strip(_SPACE):
            close()
            continue
        starts_new = (layout == "lines"
                      or (layout == "indent" and line[:1] in (" ", "\t")))
        if starts_new:
            close()
        if current is None:
            current = [a, b]
        else:
            current[1] = b
        if layout == "wrapped" and index + 1 < len(lines):
            stripped = line.rstrip(_SPACE)
            following = text[lines[index + 1][0]:lines[index + 1][1]].strip(_SPACE)
            first_word = following.split()[0] if following else ""
            if (_END.search(stripped) and first_word
                    and len(stripped) + 1 + len(first_word) <= width
                    and (first_word[0].isupper() or first_word[0].isdigit()
                         or first_word[0] in "\"“«")):
                close()
    close()
    return blocks


def sentences(text: str, start: int, end: int) -> tuple[Span, ...]:
    """The sentences of ``text[start:end]``, as offsets into ``text``."""
    out: list[Span] = []
    begin = start
    segment = text[start:end]
    for match in _SENTENCE_END.finditer(segment):
        stop = start + match.end()
        words = text[begin:stop].split()
        token = words[-1].rstrip("\"'”’»)]").rstrip(".").lower() if words else ""
        if text[start + match.start()] == "." and (
                token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())):
            continue  # "Mr. Treki", "J. Smith", "29 г." do not end a sentence
        a, b = _strip(text, begin, stop)
        if b > a:
            out.append(Span(a, b))
        begin = stop
    a, b = _strip(text, begin, end)
    if b > a:
        out.append(Span(a, b))
    return tuple(out)


def paragraphs(text: str, layout: Layout | None = None) -> tuple[Paragraph, ...]:
    """The paragraphs of ``text`` (numbered from 1) in the given or the detected layout."""
    chosen = layout or detect_layout(text)
    if chosen not in ("blank", "lines", "indent", "wrapped"):
        raise ValueError(f"layout: found {chosen!r}; expected blank, lines, indent or wrapped")
    spans: list[tuple[int, int]] = []
    for a, b in _blocks(text, chosen):
        a, b = _strip(text, a, b)
        if b <= a or _PAGE_HEADER.match(text[a:b]):
            continue
        if spans and text[a].islower() and not _END.search(text[spans[-1][0]:spans[-1][1]]):
            spans[-1] = (spans[-1][0], b)  # a page break cut the paragraph
        else:
            spans.append((a, b))
    return tuple(Paragraph(number, a, b, sentences(text, a, b))
                 for number, (a, b) in enumerate(spans, start=1))
