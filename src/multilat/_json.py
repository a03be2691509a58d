"""JSON in and out: reading that can say where every value came from (evidence layers
written as JSON), and the indented text of ``--format json`` (:func:`dumps`).

:func:`parse_json` returns the same :class:`~multilat._yaml.LocatedData` as the YAML reader,
with the same limits (characters, values, nesting, number size) and the same wording of
duplicate keys and overlong numbers, and never raises. The text is decoded by the standard
library's C decoder; the line of each field is found only when a problem asks for one: the
line map is computed on first use by one pass over the text (:class:`_LazyLines`), so a clean
file costs no more than :func:`json.loads`.

``NaN``, ``Infinity`` and ``-Infinity``, which Python's decoder reads, are read as YAML reads
``.nan`` and ``.inf``: as floats, which the case checks then refuse where a finite number is
expected (reliability, likelihood ratios, likelihoods).
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

from ._yaml import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_INTEGER,
    MAX_NODES,
    MAX_NUMBER_CHARS,
    FieldPath,
    LazyLines,
    LocatedData,
    _short,
    format_path,
)
from .errors import Problem

__all__ = ["dump_bytes", "dumps", "parse_json"]

#: A JSON string (with its escapes), unrolled so that the regular expression engine does not
#: try one alternative per character.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_SPACE = re.compile(r"[ \t\n\r]+")
_SKIP = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null"
                     r"|NaN|-?Infinity")
_EMPTY = re.compile(r"\[\]|\{\}")
_WORDS = frozenset({"true", "false", "null", "NaN", "Infinity", "-Infinity"})


class _Flags:
    """What the decoder's hooks saw: a mapping with a key twice, a number past the limits."""

    def __init__(self) -> None:
        self.duplicates = False
        self.too_large = False

    def pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):
            self.duplicates = True
        return result

    def integer(self, text: str) -> int | None:
        if len(text) > MAX_NUMBER_CHARS:
            self.too_large = True
            return None
        value = int(text)
        if abs(value) > MAX_INTEGER:
            self.too_large = True
            return None
        return value

    def number(self, text: str) -> float | None:
        if len(text) > MAX_NUMBER_CHARS:
            self.too_large = True
            return None
        return float(text)


def _structure(text: str) -> tuple[int, int]:
    """(values, depth) of a valid JSON text, counted as the YAML reader counts them: every
    mapping, list, key and scalar is a value. Computed from the text's punctuation outside
    strings, at the speed of the regular expression engine."""
    bare = _SPACE.sub("", _STRING.sub("s", text))
    empty = bare.count("[]") + bare.count("{}")
    values = (1 + bare.count(":") + bare.count(",") + bare.count("[") + bare.count("{")
              - empty)
    brackets = re.sub(r"[^\[\]{}]", "", bare)
    depth = 0
    while brackets and depth <= MAX_DEPTH:
        brackets = _EMPTY.sub("", brackets)
        depth += 1
    return values, depth if not brackets else MAX_DEPTH + 1


def parse_json(text: str, file: str | Path) -> LocatedData:
    """Parse ``text``; every problem (syntax, duplicate keys, limits) comes back as a problem,
    never as an exception. A text of only white space is empty (``data`` None, no problem)."""
    name = str(file)

    def refused(line: int | None, found: str, expected: str) -> LocatedData:
        return LocatedData(None, {}, name, (Problem(name, line, "", found, expected),))

    if len(text) > MAX_FILE_BYTES:
        return refused(None, f"a text of {len(text)} characters",
                       f"at most {MAX_FILE_BYTES} characters")
    if not text.strip():
        return LocatedData(None, {}, name)
    flags = _Flags()
    try:
        data = json.loads(text, object_pairs_hook=flags.pairs, parse_int=flags.integer,
                          parse_float=flags.number)
    except json.JSONDecodeError as error:
        return refused(error.lineno, f"a JSON syntax error: {error.msg} (line {error.lineno}, "
                       f"column {error.colno})", "valid JSON")
    except RecursionError:
        return refused(None, "values nested too deep to read", f"at most {MAX_DEPTH} levels")
    except Exception as error:  # noqa: BLE001 - whatever a hostile text raises is a problem
        return refused(None, f"unreadable JSON ({type(error).__name__}: {error})"[:300],
                       "valid JSON")
    values, depth = _structure(text)
    if values > MAX_NODES:
        return refused(None, f"more than {MAX_NODES} values",
                       f"at most {MAX_NODES} values (mappings, lists, scalars) in one file")
    if depth > MAX_DEPTH:
        return refused(None, f"values nested more than {MAX_DEPTH} deep",
                       f"at most {MAX_DEPTH} levels of nested mappings and lists")
    lines = _LazyLines(text, name)
    if flags.duplicates or flags.too_large:
        return LocatedData(data, lines, name, tuple(lines.problems()))
    return LocatedData(data, lines, name)


class _LazyLines(LazyLines):
    """The line of every field path of a JSON text, computed on first use (then the text is
    let go)."""

    def __init__(self, text: str, file: str) -> None:
        self._text: str | None = text
        self._file = file
        self._lines: dict[FieldPath, int] | None = None
        self._problems: list[Problem] = []

    def _map(self) -> dict[FieldPath, int]:
        if self._lines is None:
            assert self._text is not None
            walker = _Walker(self._text, self._file)
            walker.value(walker.skip(0), ())
            self._lines, self._problems = walker.lines, walker.problems
            self._text = None
        return self._lines

    def problems(self) -> list[Problem]:
        """The duplicate keys and overlong numbers, each at its line."""
        self._map()
        return self._problems



class _Walker:
    """One pass over a valid JSON text, noting the line of every field (a mapping's field at
    its key, a list's item where it starts, as the YAML reader does)."""

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.lines: dict[FieldPath, int] = {}
        self.problems: list[Problem] = []
        self._at = 0    # positions are visited in order: lines are counted from the last one
        self._line = 1

    def line(self, position: int) -> int:
        self._line += self.text.count("\n", self._at, position)
        self._at = position
        return self._line

    def skip(self, position: int) -> int:
        match = _SKIP.match(self.text, position)
        return match.end() if match else position

    def problem(self, position: int, path: FieldPath, found: str, expected: str) -> None:
        self.problems.append(Problem(self.file, self.line(position), format_path(path), found,
                                     expected))

    def value(self, position: int, path: FieldPath) -> int:
        """Walk the value at ``position`` (no white space before it); return where it ends."""
        text = self.text
        self.lines.setdefault(path, self.line(position))
        first = text[position]
        if first == "{":
            position = self.skip(position + 1)
            seen: set[str] = set()
            while text[position] != "}":
                key, end = scanstring(text, position + 1)
                child = (*path, key)
                self.lines[child] = self.line(position)
                if key in seen:
                    self.problem(position, child, f"a second {key!r} key",
                                 "each key once per mapping")
                seen.add(key)
                position = self.value(self.skip(self.skip(end) + 1), child)
                position = self.skip(position)
                if text[position] == ",":
                    position = self.skip(position + 1)
            return position + 1
        if first == "[":
            position = self.skip(position + 1)
            index = 0
            while text[position] != "]":
                position = self.skip(self.value(position, (*path, index)))
                index += 1
                if text[position] == ",":
                    position = self.skip(position + 1)
            return position + 1
        if first == '"':
            return int(scanstring(text, position + 1)[1])
        match = _SCALAR.match(text, position)
        assert match is not None  # the text was decoded: it is valid JSON
        token = match.group()
        if token not in _WORDS:
            if len(token) > MAX_NUMBER_CHARS:
                self.problem(position, path, f"a number too large ({len(token)} characters)",
                             f"a number of at most {MAX_NUMBER_CHARS} characters")
            elif not any(c in token for c in ".eE") and abs(int(token)) > MAX_INTEGER:
                self.problem(position, path, f"a number too large ({_short(token)})",
                             "a whole number of at most 10^18 in size")
        return match.end()


# Writing. orjson writes indented JSON about ten times faster than the standard library's
# encoder (pure Python whenever ``indent`` is set); a generated case's ``analyze --format
# json`` is tens of megabytes. The text differs from ``json.dumps(indent=2)`` only where JSON
# leaves a choice: a float's shortest form is orjson's (``1e-05`` is written ``0.00001``), and
# a non-finite number is ``null`` (the standard library writes ``NaN``, which is not JSON).


def _other(value: Any) -> Any:
    """What orjson does not know: NumPy scalars (as Python numbers), sets (sorted)."""
    if hasattr(value, "item") and callable(value.item):   # NumPy scalars
        return value.item()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def dump_bytes(data: Any) -> bytes:
    """``data`` as indented JSON, UTF-8 encoded (no final newline)."""
    import orjson

    options = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY
    return orjson.dumps(data, default=_other, option=options)


def dumps(data: Any) -> str:
    """``data`` as indented JSON text (no final newline)."""
    return dump_bytes(data).decode("utf-8")
