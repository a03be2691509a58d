"""Bibliographies as Zotero exports them: BibTeX (``.bib``) or CSL-JSON (``.json``).

Entries are kept as CSL-JSON items (the data model citation processors use), so that reports
can format them in any CSL style. BibTeX is read with :mod:`pybtex`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ._files import is_file, read_text
from .errors import FILE_KIND, FILE_MISSING, BibliographyError, Problem

__all__ = ["Bibliography", "load_bibliography"]

_BIBTEX_TYPES = {
    "article": "article-journal",
    "book": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "techreport": "report",
    "report": "report",
    "online": "webpage",
    "misc": "document",
    "inproceedings": "paper-conference",
    "legislation": "legislation",
    "legal": "legislation",
    "newsarticle": "article-newspaper",
}
_FIELDS = {
    "title": "title",
    "journal": "container-title",
    "journaltitle": "container-title",
    "booktitle": "container-title",
    "publisher": "publisher",
    "address": "publisher-place",
    "location": "publisher-place",
    "volume": "volume",
    "number": "issue",
    "issue": "issue",
    "pages": "page",
    "doi": "DOI",
    "url": "URL",
    "note": "note",
    "school": "publisher",
    "institution": "publisher",
    "edition": "edition",
}


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


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("{", "").replace("}", "")).strip()


def _from_bibtex(path: Path) -> Bibliography:
    from pybtex.database import parse_string
    from pybtex.scanner import PybtexSyntaxError

    text = read_text(path, "a BibTeX file")
    if isinstance(text, Problem):
        raise BibliographyError(str(path), [text])
    try:
        database = parse_string(text, "bibtex")
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
    entries = {}
    for key, entry in database.entries.items():
        item: dict[str, Any] = {"id": key, "type": _BIBTEX_TYPES.get(entry.type.lower(),
                                                                     "document")}
        for name, value in entry.fields.items():
            target = _FIELDS.get(name.lower())
            if target and target not in item:
                item[target] = _clean(value)
        year = entry.fields.get("year") or entry.fields.get("date", "")[:4]
        if year:
            item["issued"] = {"date-parts": [[int(year)]]} if year.isdigit() else {
                "literal": year}
        for role in ("author", "editor"):
            people = entry.persons.get(role)
            if people:
                item[role] = [
                    {"family": _clean(" ".join(p.prelast_names + p.last_names)),
                     "given": _clean(" ".join(p.first_names + p.middle_names))}
                    if p.last_names and (p.first_names or p.middle_names)
                    else {"literal": _clean(str(p))}
                    for p in people
                ]
        entries[key] = MappingProxyType(item)
    return Bibliography(str(path), MappingProxyType(entries), MappingProxyType(lines))


def _from_csl_json(path: Path) -> Bibliography:
    text = read_text(path, "a CSL-JSON file")
    if isinstance(text, Problem):
        raise BibliographyError(str(path), [text])
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BibliographyError(str(path), [Problem(str(path), error.lineno, "",
                                                    error.msg, "valid CSL-JSON")]) from None
    if not isinstance(data, list):
        raise BibliographyError(str(path), [Problem(str(path), 1, "", "a JSON "
                                                    f"{type(data).__name__}",
                                                    "a list of CSL-JSON items")])
    problems, entries = [], {}
    for index, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str | int):
            problems.append(Problem(str(path), None, f"[{index}].id", "no id",
                                    "each CSL-JSON item to have an id"))
            continue
        entries[str(item["id"])] = MappingProxyType(dict(item))
    if problems:
        raise BibliographyError(str(path), problems)
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.search(r'"id"\s*:\s*"([^"]+)"', line)
        if match:
            lines.setdefault(match.group(1), number)
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
