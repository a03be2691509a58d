"""Bibliographies as Zotero exports them: BibTeX (``.bib``) or CSL-JSON (``.json``).

Entries are kept as CSL-JSON items (the data model citation processors use), so that reports
can format them in any CSL style. BibTeX is read with :mod:`pybtex` and mapped to CSL as Zotero
and Better BibTeX write it (:mod:`multilat._bibtex`: LaTeX decoded, types, names); a title's
case-protected lower-case words carry CSL-JSON's ``<span class="nocase">`` mark.

Limits (each a located :class:`~multilat.errors.BibliographyError`, never a traceback):

- a file of at most :data:`MAX_FILE_BYTES` bytes;
- BibTeX ``@string`` macros: at most :data:`MAX_MACRO_EXPANSION` characters substituted in
  the whole file (macros that refer to macros grow exponentially otherwise);
- a year of one to four ASCII digits (or text without digits such as ``forthcoming``, kept as
  a literal date);
- CSL-JSON nested at most :data:`MAX_JSON_DEPTH` levels deep, and every item's fields of the
  types CSL-JSON gives them: names a list of name objects, dates date objects, other
  variables strings or numbers (checked here, so a report never meets them).
"""

from __future__ import annotations

import marshal
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ._files import is_file, read_text
from .errors import FILE_KIND, FILE_MISSING, BibliographyError, Problem

__all__ = ["MAX_FILE_BYTES", "MAX_JSON_DEPTH", "MAX_MACRO_EXPANSION", "Bibliography",
           "load_bibliography"]

#: The largest bibliography file read, in bytes.
MAX_FILE_BYTES = 20_000_000
#: The most characters BibTeX ``@string`` macros may expand to, over the whole file.
MAX_MACRO_EXPANSION = 2_000_000
#: The deepest nesting of arrays and objects in a CSL-JSON file.
MAX_JSON_DEPTH = 32

# BibTeX/BibLaTeX name fields read as CSL names (the rest of the mapping: _bibtex.py).
_NAME_FIELDS = ("author", "editor", "translator")


@dataclass(frozen=True, slots=True)
class Bibliography:
    """Entries keyed by citation key, each a CSL-JSON item."""

    path: str
    entries: Mapping[str, Mapping[str, Any]]
    lines: Mapping[str, int]

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def keys(self) -> list[str]:
        return sorted(self.entries)


class _ExpansionTooLarge(Exception):
    def __init__(self, line: int, name: str) -> None:
        super().__init__(name)
        self.line = line
        self.name = name


def _bibtex_parser(path: Path) -> Any:
    """A pybtex parser whose ``@string`` substitutions stop at :data:`MAX_MACRO_EXPANSION`."""
    from pybtex.database.input.bibtex import LowLevelParser, Parser

    class _Low(LowLevelParser):  # type: ignore[misc]
        expanded = 0

        def substitute_macro(self, name: str) -> str:
            value: str = super().substitute_macro(name)
            self.expanded += len(value)
            if self.expanded > MAX_MACRO_EXPANSION:
                raise _ExpansionTooLarge(self.lineno, self.current_entry_key
                                         or self.current_field_name or name)
            return value

    class _Parser(Parser):  # type: ignore[misc]
        def parse_string(self, text: str) -> Any:
            # pybtex's own loop (Parser.parse_string), over the bounded low-level parser.
            self.unnamed_entry_counter = 1
            self.command_start = 0
            for entry in _Low(text, keyless_entries=self.keyless_entries,
                              handle_error=self.handle_error, want_entry=self.data.want_entry,
                              filename=self.filename, macros=self.macros):
                kind = entry[0].lower()
                if kind == "preamble":
                    self.process_preamble(*entry[1])
                elif kind != "string":
                    self.process_entry(entry[0], *entry[1])
            return self.data

    return _Parser(person_fields=())  # names read by _bibtex.csl_names, from the raw field


def _too_big(path: Path, kind: str) -> Problem | None:
    try:
        size = path.stat().st_size
    except OSError:
        return None
    if size > MAX_FILE_BYTES:
        return Problem(str(path), None, "", f"a file of {size} bytes",
                       f"{kind} of at most {MAX_FILE_BYTES} bytes")
    return None


_YEAR = re.compile(r"[0-9]{1,4}")


def _issued(path: Path, key: str, line: int | None, name: str, year: str
            ) -> dict[str, Any] | Problem:
    """A BibTeX year as a CSL date: digits as a number, text without digits as a literal."""
    year = year.strip()
    if _YEAR.fullmatch(year):
        return {"date-parts": [[int(year)]]}
    if not any(char.isdigit() for char in year):
        return {"literal": year}
    shown = year if len(year) <= 40 else f"{year[:40]}... ({len(year)} characters)"
    return Problem(str(path), line, f"{key}.{name}", repr(shown),
                   "a year of one to four digits 0-9 (or text such as 'forthcoming')")


def _entry_date(path: Path, key: str, line: int | None, fields: Mapping[str, str]
                ) -> dict[str, Any] | Problem | None:
    """``year`` (+ ``month``) or BibLaTeX's ISO ``date`` as a CSL date, or a located problem."""
    from ._bibtex import decode_latex, month_number, parse_date

    year = fields.get("year", "").strip()
    if year:
        issued = _issued(path, key, line, "year", decode_latex(year))
        if isinstance(issued, dict) and "date-parts" in issued:
            month = month_number(fields.get("month", ""))
            if month:
                issued["date-parts"][0].append(month)
        return issued
    date = fields.get("date", "").strip()
    if not date:
        return None
    parts = parse_date(date)
    if parts:
        return {"date-parts": [parts]}
    return _issued(path, key, line, "date", decode_latex(date)[:4] if date[:4].isdigit()
                   else decode_latex(date))


#: Bump when what _from_bibtex makes of a text changes: cached readings are then not reused.
_BIBTEX_READER = "3"


def _cached_bibtex(path: Path, key: str) -> Bibliography | None:
    """The reading of a BibTeX text seen before without a problem (see :mod:`._cache`)."""
    from . import _cache

    body = _cache.read("bibtex", key)
    if body is None:
        return None
    try:
        data = marshal.loads(body)
        entries = {k: MappingProxyType(v) for k, v in data["entries"].items()}
        lines = {str(k): int(v) for k, v in data["lines"].items()}
    except (ValueError, KeyError, TypeError, AttributeError, EOFError):
        return None
    return Bibliography(str(path), MappingProxyType(entries), MappingProxyType(lines))


def _from_bibtex(path: Path) -> Bibliography:
    from . import _cache

    big = _too_big(path, "a BibTeX file")
    if big:
        raise BibliographyError(str(path), [big])
    text = read_text(path, "a BibTeX file")
    if isinstance(text, Problem):
        raise BibliographyError(str(path), [text])
    key = _cache.cache_key("bibtex", _BIBTEX_READER, text)
    cached = _cached_bibtex(path, key)
    if cached is not None:
        return cached
    bibliography = _parse_bibtex(path, text)
    try:
        body = marshal.dumps({"entries": {k: dict(v) for k, v in bibliography.entries.items()},
                              "lines": dict(bibliography.lines)})
    except ValueError:  # a value marshal cannot write: no cache entry, nothing else lost
        return bibliography
    _cache.write("bibtex", key, body)
    return bibliography


def _parse_bibtex(path: Path, text: str) -> Bibliography:
    """The BibTeX text read by pybtex, with its limits; raises for any problem."""
    from pybtex.scanner import PybtexSyntaxError

    try:
        database = _bibtex_parser(path).parse_string(text)
    except _ExpansionTooLarge as error:
        raise BibliographyError(str(path), [Problem(
            str(path), error.line, error.name,
            f"@string macros expanding to more than {MAX_MACRO_EXPANSION} characters",
            f"@string expansions of at most {MAX_MACRO_EXPANSION} characters in all")]) from None
    except PybtexSyntaxError as error:
        line = getattr(error, "lineno", None)
        raise BibliographyError(str(path), [Problem(str(path), line, "", str(error),
                                                    "valid BibTeX")]) from None
    except Exception as error:  # pybtex raises plain errors, e.g. for repeated keys
        repeated = re.search(r"repeated bibliography entry: (\S+)", str(error))
        if repeated:
            key = repeated.group(1)
            starts = [number for number, line in enumerate(text.splitlines(), start=1)
                      if re.match(rf"\s*@\w+\s*[{{(]\s*{re.escape(key)}\s*,", line)]
            raise BibliographyError(str(path), [Problem(
                str(path), starts[-1] if starts else None, key, "a second entry with this key",
                "each citation key once")]) from None
        raise BibliographyError(str(path), [Problem(str(path), None, "", str(error),
                                                    "valid BibTeX")]) from None
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"\s*@\w+\s*[{(]\s*([^,\s]+)\s*,", line)
        if match:
            lines.setdefault(match.group(1), number)
    from ._bibtex import csl_item, csl_names

    entries, problems = {}, []
    for key, entry in database.entries.items():
        fields = {name.lower(): value for name, value in entry.fields.items()}
        item = csl_item(key, entry.type, fields)
        issued = _entry_date(path, key, lines.get(key), fields)
        if isinstance(issued, Problem):
            problems.append(issued)
        elif issued:
            item["issued"] = issued
        for role in _NAME_FIELDS:
            if fields.get(role, "").strip():
                names = csl_names(fields[role])
                if names:
                    item[role] = names
        entries[key] = MappingProxyType(item)
    if problems:
        raise BibliographyError(str(path), problems)
    return Bibliography(str(path), MappingProxyType(entries), MappingProxyType(lines))


# CSL-JSON variables by type (CSL 1.0.2 schema); every other variable is a string or number.
_NAME_VARIABLES = frozenset({
    "author", "chair", "collection-editor", "compiler", "composer", "container-author",
    "contributor", "curator", "director", "editor", "editorial-director", "editor-translator",
    "executive-producer", "guest", "host", "illustrator", "interviewer", "narrator",
    "organizer", "original-author", "performer", "producer", "recipient", "reviewed-author",
    "script-writer", "series-creator", "translator"})
_DATE_VARIABLES = frozenset({"accessed", "available-date", "event-date", "issued",
                             "original-date", "submitted"})
_NAME_PARTS = frozenset({"family", "given", "dropping-particle", "non-dropping-particle",
                         "suffix", "literal"})
_NAME_FLAGS = frozenset({"comma-suffix", "static-ordering", "parse-names"})
# Variables that are structured data, not text: left as they are (no report reads them).
_FREE = frozenset({"custom", "categories"})
_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def _kind(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false",
             type(None): "null", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)


def _text_or_number(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, int | float)
                                      and not isinstance(value, bool))


def _too_deep(text: str) -> tuple[int, int] | None:
    """The line and depth where ``text``'s JSON nesting first passes MAX_JSON_DEPTH."""
    depth = 0
    for match in _BRACKETS.finditer(text):
        token = match.group(0)
        if token in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return text.count("\n", 0, match.start()) + 1, depth
        elif token in "]}":
            depth -= 1
    return None


def _name_problem(value: object) -> str | None:
    if not isinstance(value, list):
        return _kind(value)
    for number, name in enumerate(value):
        if not isinstance(name, dict):
            return f"{_kind(name)} at [{number}]"
        for part, text in name.items():
            if part in _NAME_PARTS and not isinstance(text, str):
                return f"{_kind(text)} at [{number}].{part}"
            if part in _NAME_FLAGS and not isinstance(text, bool | str | int):
                return f"{_kind(text)} at [{number}].{part}"
        if not any(isinstance(name.get(part), str) and name[part].strip()
                   for part in ("family", "given", "literal")):
            return f"a name without family, given or literal at [{number}]"
    return None


def _date_problem(value: object) -> str | None:
    if not isinstance(value, dict):
        return _kind(value)
    for part in ("literal", "raw", "season", "edtf"):
        if part in value and not _text_or_number(value[part]):
            return f"{_kind(value[part])} as {part}"
    if "date-parts" in value:
        parts = value["date-parts"]
        if not isinstance(parts, list) or not 1 <= len(parts) <= 2:
            return "date-parts that are not one or two dates"
        for date in parts:
            if not isinstance(date, list) or not 1 <= len(date) <= 3:
                return "date-parts that are not lists of year[, month[, day]]"
            for number in date:
                if isinstance(number, str) and re.fullmatch(r"-?[0-9]{1,4}", number.strip()):
                    continue
                if (isinstance(number, int) and not isinstance(number, bool)
                        and -9999 <= number <= 9999):
                    continue
                return f"the date part {str(number)[:40]!r}"
    elif not any(part in value for part in ("literal", "raw")):
        return "an object without date-parts, literal or raw"
    return None


def _item_problems(path: Path, index: int, item: Mapping[str, Any],
                   line: int | None) -> list[Problem]:
    problems = []
    key = str(item.get("id"))
    for name, value in item.items():
        if name == "id":
            continue
        if name in _NAME_VARIABLES:
            found = _name_problem(value)
            expected = ("a list of names, each an object with family/given or literal "
                        'strings (e.g. [{"family": "Smith", "given": "Jane"}])')
        elif name in _DATE_VARIABLES:
            found = _date_problem(value)
            expected = ('a date object: {"date-parts": [[year, month, day]]} with numbers '
                        '(year of at most four digits) or {"literal": "..."}')
        elif name in _FREE:
            continue
        else:
            found = None if _text_or_number(value) else _kind(value)
            expected = "a string or a number"
        if found is not None:
            problems.append(Problem(str(path), line, f"[{index}] {key}.{name}", found,
                                    expected))
    return problems


def _from_csl_json(path: Path) -> Bibliography:
    big = _too_big(path, "a CSL-JSON file")
    if big:
        raise BibliographyError(str(path), [big])
    text = read_text(path, "a CSL-JSON file")
    if isinstance(text, Problem):
        raise BibliographyError(str(path), [text])
    deep = _too_deep(text)
    if deep:
        raise BibliographyError(str(path), [Problem(
            str(path), deep[0], "", f"arrays or objects nested more than {MAX_JSON_DEPTH} "
            "deep", f"CSL-JSON nested at most {MAX_JSON_DEPTH} levels")])
    import json

    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BibliographyError(str(path), [Problem(str(path), error.lineno, "",
                                                    error.msg, "valid CSL-JSON")]) from None
    except (ValueError, RecursionError) as error:  # e.g. a number of 5000 digits
        raise BibliographyError(str(path), [Problem(str(path), None, "", str(error)[:200],
                                                    "valid CSL-JSON")]) from None
    if not isinstance(data, list):
        raise BibliographyError(str(path), [Problem(str(path), 1, "", "a JSON "
                                                    f"{type(data).__name__}",
                                                    "a list of CSL-JSON items")])
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.search(r'"id"\s*:\s*"?([^",}\s]+)', line)
        if match:
            lines.setdefault(match.group(1), number)
    problems, entries = [], {}
    for index, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str | int) or (
                isinstance(item.get("id"), bool)):
            problems.append(Problem(str(path), None, f"[{index}].id", "no id",
                                    "each CSL-JSON item to have an id"))
            continue
        key = str(item["id"])
        if key in entries:
            problems.append(Problem(str(path), lines.get(key), f"[{index}].id",
                                    f"a second item with the id {key!r}", "each id once"))
            continue
        found = _item_problems(path, index, item, lines.get(key))
        problems.extend(found)
        if not found:
            entries[key] = MappingProxyType(dict(item))
    if problems:
        raise BibliographyError(str(path), problems)
    return Bibliography(str(path), MappingProxyType(entries), MappingProxyType(lines))


def load_bibliography(path: str | Path) -> Bibliography:
    """Read a BibTeX or CSL-JSON file, chosen by its suffix.

    Raises
    ------
    BibliographyError
        When the file is missing, of an unknown kind, or cannot be parsed.
    """
    path = Path(path)
    if not is_file(path):
        raise BibliographyError(str(path), [Problem(str(path), None, "", "no such file",
                                                    "a BibTeX or CSL-JSON file",
                                                    code=FILE_MISSING)])
    suffix = path.suffix.lower()
    if suffix == ".bib":
        return _from_bibtex(path)
    if suffix == ".json":
        return _from_csl_json(path)
    raise BibliographyError(str(path), [Problem(str(path), None, "", f"the suffix {suffix!r}",
                                                ".bib (BibTeX) or .json (CSL-JSON)",
                                                code=FILE_KIND)])
