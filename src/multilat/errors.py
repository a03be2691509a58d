"""Exceptions and warnings raised by multilat.

The tree::

    MultilatError                     base of everything multilat raises on purpose
      InputError                      a user's file or option is wrong (CLI exit code 1)
        CaseFileError (path, problems)    every problem of a case file, all at once
        TheoryError (path, problems)      every problem of a theory file
        SettingsError (path, problems)    an unknown or invalid setting
        BibliographyError (path, problems) an unreadable bibliography
        RulesFileError (path, problems)   an invalid indicator -> evidence rules file
        DataSourceError (file, row, column...) a data file (trade, WDI...) that cannot be read
      FetchError (url, status)        an online data source failed or answered nonsense
      InferenceError                  inputs that load but cannot be weighed together
    MissingDependencyError(MultilatError, ImportError)  names the extra to install

    MultilatWarning                   base of multilat's warnings

A *problem* is a :class:`Problem`: the file, the line (1-based, or ``None`` when unknown), the
field path (``evidence[3].level``), what was found and what was expected. ``str(problem)`` is
``file:line field: found X; expected Y``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "FILE_KIND",
    "FILE_MISSING",
    "THEORY_UNKNOWN",
    "BibliographyError",
    "CaseFileError",
    "DataSourceError",
    "FetchError",
    "InferenceError",
    "InputError",
    "MissingDependencyError",
    "MultilatError",
    "MultilatWarning",
    "Problem",
    "RulesFileError",
    "SettingsError",
    "StudyFileError",
    "TheoryError",
]


#: Problem codes callers branch on.
FILE_MISSING = "file.missing"
FILE_KIND = "file.kind"
THEORY_UNKNOWN = "theory.unknown"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file, and where it is."""

    file: str
    line: int | None
    field: str
    found: str
    expected: str
    #: What kind of problem it is (e.g. ``"file.missing"``), for programs; empty when only the
    #: text says. Callers branch on the code, never on the wording.
    code: str = ""

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}{field} found {self.found}; expected {self.expected}"

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "found": self.found,
            "expected": self.expected,
            "code": self.code,
        }


class MultilatError(Exception):
    """Base class of every error multilat raises on purpose."""


class InputError(MultilatError):
    """A user's input (file or option) is invalid."""


class _ProblemsError(InputError):
    kind = "input"

    def __init__(self, path: str, problems: Iterable[Problem]) -> None:
        self.path = path
        self.problems: tuple[Problem, ...] = tuple(
            sorted(problems, key=lambda p: (p.file, p.line or 0, p.field))
        )
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in {self.kind} {path}"
        super().__init__("\n".join([head, *(str(p) for p in self.problems)]))


class CaseFileError(_ProblemsError):
    """A case file (or a file it points to) has one or more problems."""

    kind = "case file"


class TheoryError(_ProblemsError):
    """A theory file is inconsistent or malformed."""

    kind = "theory file"


class SettingsError(_ProblemsError):
    """A settings file or override names an unknown key or an invalid value."""

    kind = "settings"


class BibliographyError(_ProblemsError):
    """A bibliography file cannot be read."""

    kind = "bibliography"


class StudyFileError(_ProblemsError):
    """A study file (cases compared under a theory) has one or more problems."""

    kind = "study file"


class DataSourceError(InputError):
    """A data file (IMF DOTS workbook, WDI CSV, tidy CSV...) cannot be read as expected.

    Carries where the problem is (``file``, ``sheet``, ``row``, ``column``; ``row`` is the
    1-based row as a spreadsheet or text editor shows it, header included) and what was
    ``found`` and ``expected``.
    """

    def __init__(self, file: str, found: str, expected: str, *, sheet: str | None = None,
                 row: int | None = None, column: str | None = None) -> None:
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
        self.found = found
        self.expected = expected
        where = file
        if sheet is not None:
            where += f" sheet {sheet!r}"
        if row is not None:
            where += f" row {row}"
        if column is not None:
            where += f" column {column!r}"
        super().__init__(f"{where}: found {found}; expected {expected}")


class FetchError(MultilatError):
    """An online data source could not be reached or answered something unusable."""

    def __init__(self, url: str, message: str, *, status: int | None = None) -> None:
        self.url = url
        self.status = status
        code = f" (HTTP {status})" if status is not None else ""
        super().__init__(f"{url}{code}: {message}")


class RulesFileError(_ProblemsError):
    """A rules file turning indicators into evidence has one or more problems."""

    kind = "rules file"


class InferenceError(MultilatError):
    """Inputs that load but cannot be weighed together (e.g. a case and a foreign theory)."""


class MissingDependencyError(MultilatError, ImportError):
    """An optional dependency is missing; the message says which extra to install."""

    def __init__(self, package: str, extra: str, purpose: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(
            f"{purpose} needs the package {package!r}: pip install \"multilat[{extra}]\""
        )


class MultilatWarning(UserWarning):
    """Base class of multilat's warnings."""
