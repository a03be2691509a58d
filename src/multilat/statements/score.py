"""Scoring paragraphs with a dictionary: matched terms, guards, cues near topics, the best
sentence as the quote, and a keyword-in-context line.

A paragraph's score is the sum over the groups that count in it of ``weight`` plus a quarter
of it for each further occurrence (at most two more). A match counts unless a group of its
``unless_near`` occurs within ``window`` sentences, and, for a group with ``near``, only if
one of those groups occurs within the window. A cue counts only within the window of a
topic match. A text's own actor naming itself counts for nothing (its name is in every
paragraph of its speeches). The quote is the sentence with the highest score by the same
rules (the first on ties); the proposal is the strongest cue's ``propose``, else that of the
strongest topic group with one, else none (the reviewer codes it).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .corpus import Document
from .dictionary import Dictionary, Group, word_start
from .segment import Paragraph, paragraphs

__all__ = ["Candidate", "Match", "kwic", "score_corpus", "score_document"]


@dataclass(frozen=True, slots=True)
class Match:
    """One term found: its group, its text and offsets in the document, its sentence."""

    group: str
    term: str
    start: int
    end: int
    sentence: int


@dataclass(frozen=True, slots=True)
class Candidate:
    """A scored paragraph of a document; ``start``/``end`` are the quote's offsets."""

    document: Document
    paragraph: Paragraph
    score: float
    start: int
    end: int
    matches: tuple[Match, ...]
    groups: Mapping[str, int]
    propose: Mapping[str, str] | None = None
    cue: str | None = None
    kwic: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def quote(self) -> str:
        return self.document.text[self.start:self.end]

    @property
    def file(self) -> str:
        return self.document.file


def _hits(text: str, groups: Sequence[Group]) -> list[tuple[int, int, str, str]]:
    """Every term occurrence in ``text`` once: (start, end, group, term), by start."""
    found = [(hit.start(), hit.end(), group.id, term.text) for group in groups
             for term in group.terms for hit in term.pattern.finditer(text)
             if word_start(text, hit.start())]
    return sorted(found)


def _find(hits: list[tuple[int, int, str, str]], paragraph: Paragraph,
          groups: Sequence[Group]) -> list[Match]:
    """The occurrences inside ``paragraph`` as matches; one per place and group (the longest
    term wins)."""
    low = bisect.bisect_left(hits, (paragraph.start,))
    high = bisect.bisect_left(hits, (paragraph.end,))
    found = []
    for start, end, group, term in hits[low:high]:
        if end > paragraph.end:
            continue
        index = next((i for i, s in enumerate(paragraph.sentences)
                      if s.start <= start < s.end), 0)
        found.append(Match(group, term, start, end, index))
    order = {g.id: i for i, g in enumerate(groups)}
    found.sort(key=lambda m: (m.start, -(m.end - m.start), order[m.group]))
    kept: list[Match] = []
    for match in found:
        if any(k.group == match.group and k.start < match.end and match.start < k.end
               for k in kept):
            continue
        kept.append(match)
    return kept


def _counting(matches: list[Match], dictionary: Dictionary) -> list[Match]:
    """The matches that count after ``near``/``unless_near`` and the cue-near-topic rule."""
    window = dictionary.window
    groups = {g.id: g for g in dictionary.groups}

    def around(match: Match, names: Iterable[str], pool: list[Match]) -> bool:
        wanted = set(names)
        return any(o is not match and o.group in wanted
                   and abs(o.sentence - match.sentence) <= window for o in pool)

    kept = []
    for match in matches:
        group = groups[match.group]
        if group.kind == "guard":
            continue
        if group.unless_near and around(match, group.unless_near, matches):
            continue
        if group.near and not around(match, group.near, matches):
            continue
        kept.append(match)
    topics = [m for m in kept if groups[m.group].kind == "topic"]
    return [m for m in kept if groups[m.group].kind == "topic"
            or around(m, (t.group for t in topics), topics)]


def _score(matches: Sequence[Match], dictionary: Dictionary) -> tuple[float, dict[str, int]]:
    counts: dict[str, int] = {}
    for match in matches:
        counts[match.group] = counts.get(match.group, 0) + 1
    total = 0.0
    for group_id, count in counts.items():
        weight = dictionary.group(group_id).weight
        total += weight * (1 + 0.25 * min(count - 1, 2))
    return round(total, 4), counts


def _shown(text: str) -> str:
    """Whitespace folded; control characters (from a source: an escape sequence) as escapes,
    so a KWIC line printed on a terminal cannot act on it."""
    folded = " ".join(text.split())
    if folded.isprintable():
        return folded
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in folded)


def kwic(text: str, start: int, end: int, width: int = 40) -> str:
    """``left [match] right`` on one line, ``width`` characters each side."""
    left = _shown(text[max(0, start - width * 2):start])[-width:]
    right = _shown(text[end:end + width * 2])[:width]
    return f"{left} [{_shown(text[start:end])}] {right}".strip()


def score_document(document: Document, dictionary: Dictionary) -> list[Candidate]:
    """Every paragraph of ``document`` with a positive score."""
    out = []
    hits = _hits(document.text, dictionary.groups)
    for paragraph in paragraphs(document.text):
        found = [m for m in _find(hits, paragraph, dictionary.groups)
                 if dictionary.term_actors.get(m.term) != document.actor]
        matches = _counting(found, dictionary)
        if not matches:
            continue
        score, counts = _score(matches, dictionary)
        if score <= 0:
            continue
        best, best_score = 0, -1.0
        for index in range(len(paragraph.sentences)):
            inside = [m for m in matches if m.sentence == index]
            value = _score(inside, dictionary)[0] if inside else 0.0
            if value > best_score:
                best, best_score = index, value
        sentence = paragraph.sentences[best] if paragraph.sentences else paragraph
        cues = [m for m in matches if dictionary.group(m.group).kind == "cue"]
        cue = None
        if cues:
            weights: dict[str, float] = {}
            for m in cues:
                weights[m.group] = weights.get(m.group, 0.0) + dictionary.group(m.group).weight
            cue = max(weights, key=lambda g: (weights[g], -[c.group for c in cues].index(g)))
        if cue is None:  # no cue: the strongest topic that proposes something, if any
            topics = [g for g in counts if dictionary.group(g).propose is not None]
            if topics:
                cue = max(topics, key=lambda g: dictionary.group(g).weight * counts[g])
        first = min(matches, key=lambda m: (-dictionary.group(m.group).weight, m.start))
        out.append(Candidate(document, paragraph, score, sentence.start, sentence.end,
                             tuple(matches), counts,
                             dictionary.group(cue).propose if cue else None, cue,
                             kwic(document.text, first.start, first.end)))
    return out


def score_corpus(documents: Iterable[Document], dictionary: Dictionary, *,
                 min_score: float = 0.0) -> list[Candidate]:
    """Candidates of every document, best first (ties: file, then position)."""
    found = [c for d in documents for c in score_document(d, dictionary)
             if c.score >= min_score]
    return sorted(found, key=lambda c: (-c.score, c.file, c.paragraph.start))
