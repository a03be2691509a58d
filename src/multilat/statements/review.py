"""The review file: ranked candidates as CSV, read back with the reviewer's decisions.

Columns (``COLUMNS``): ``rank, file, start, end, score, quote`` (``file[start:end] == quote``,
offsets into the file's UTF-8 text), then where and what (``sha256, actor, year, language,
citation, paragraph, paragraph_start, paragraph_end``), what the dictionary proposes
(``variable, level, side, cue``), why (``matched``: ``group:term`` pairs; ``kwic``), and the
reviewer's columns: ``decision`` (``accept`` or ``reject``; empty = not reviewed), ``coder``
and ``note``. A reviewer may change ``variable``, ``level``, ``side``, ``start``/``end``
(to quote another part of the paragraph) and add ``strength`` or ``summary`` columns.

Every text cell is written through :func:`multilat._csv.safe_cell` (a cell a spreadsheet
would read as a formula gets a leading ``'``), which :func:`read_review` undoes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._csv import FORMULA_START, safe_cell
from .._files import atomic_write_text
from ..errors import DataSourceError
from .score import Candidate

__all__ = ["ACCEPT", "COLUMNS", "REJECT", "ReviewRow", "candidates_csv", "read_review",
           "write_candidates"]

COLUMNS = ("rank", "file", "start", "end", "score", "quote", "sha256", "actor", "year",
           "language", "citation", "paragraph", "paragraph_start", "paragraph_end",
           "variable", "level", "side", "cue", "matched", "kwic", "decision", "coder", "note")
ACCEPT = frozenset({"accept", "accepted", "yes", "y", "1", "true", "relevant"})
REJECT = frozenset({"reject", "rejected", "no", "n", "0", "false", "irrelevant"})
_REQUIRED = ("file", "start", "end", "quote")
#: The most rows a review file may hold (a corpus of speeches gives thousands at most).
MAX_ROWS = 1_000_000


def _row(rank: int, candidate: Candidate) -> list[Any]:
    document, paragraph = candidate.document, candidate.paragraph
    propose = candidate.propose or {}
    matched = "; ".join(dict.fromkeys(f"{m.group}:{m.term}" for m in candidate.matches))
    return [rank, document.file, candidate.start, candidate.end, candidate.score,
            candidate.quote, document.sha256, document.actor, document.year, document.language,
            document.citation, paragraph.number, paragraph.start, paragraph.end,
            propose.get("variable", ""), propose.get("level", ""), propose.get("side", ""),
            candidate.cue or "", matched, candidate.kwic, "", "", ""]


def candidates_csv(candidates: Sequence[Candidate]) -> str:
    """The review file's text for ``candidates`` (already ranked)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for rank, candidate in enumerate(candidates, start=1):
        writer.writerow([safe_cell(v) for v in _row(rank, candidate)])
    return buffer.getvalue()


def write_candidates(path: str | Path, candidates: Sequence[Candidate]) -> Path:
    """Write the review file atomically (an existing file is kept as ``.bak``)."""
    path = Path(path)
    atomic_write_text(path, candidates_csv(candidates))
    return path


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One row of a review file: its line, its cells and the decision read from them."""

    line: int
    cells: Mapping[str, str]
    decision: str | None  # "accept", "reject" or None (not reviewed)

    def get(self, column: str, default: str = "") -> str:
        return self.cells.get(column, default)

    def integer(self, column: str, source: str) -> int:
        value = self.get(column)
        try:
            return int(value)
        except ValueError:
            raise DataSourceError(source, repr(value), "a whole number", row=self.line,
                                  column=column) from None


def _plain(cell: str) -> str:
    """A cell as it was before :func:`safe_cell` neutralised it."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in FORMULA_START:
        return cell[1:]
    return cell


def read_review(path: str | Path) -> tuple[ReviewRow, ...]:
    """Every row of a review file with its decision.

    Raises
    ------
    DataSourceError
        A missing file or column, a row of the wrong width, a decision that is neither
        accept nor reject (each located by row and column).
    """
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise DataSourceError(str(path), "no such file", "a review CSV (statements scan "
                              "--out)") from None
    except UnicodeDecodeError as error:
        raise DataSourceError(str(path), f"bytes that are not UTF-8 ({error.reason})",
                              "a review CSV in UTF-8") from None
    except OSError as error:
        raise DataSourceError(str(path), f"an unreadable file ({error.strerror})",
                              "a review CSV") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise DataSourceError(str(path), f"no column {', '.join(missing)}",
                              "the columns of statements scan's output (file, start, end, "
                              "quote, decision...)", row=1)
    rows: list[ReviewRow] = []
    line = 1
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise DataSourceError(str(path), f"more than {MAX_ROWS} rows",
                                  f"at most {MAX_ROWS} candidates", row=line)
        if len(cells) != len(header):
            raise DataSourceError(str(path), f"{len(cells)} cells",
                                  f"{len(header)} cells, one per header column", row=line)
        mapping = {h: _plain(c) for h, c in zip(header, cells, strict=True)}
        raw = mapping.get("decision", "").strip().lower()
        if raw in ACCEPT:
            decision: str | None = "accept"
        elif raw in REJECT:
            decision = "reject"
        elif raw == "":
            decision = None
        else:
            raise DataSourceError(str(path), repr(raw), "accept, reject (or yes/no, 1/0) or "
                                  "empty (not reviewed)", row=line, column="decision")
        rows.append(ReviewRow(line, mapping, decision))
    return tuple(rows)

