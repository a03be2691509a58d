"""A table of set memberships: cases (rows) by sets (columns), every value in [0, 1].

Read from and written to CSV the way R writes a data frame with row names
(``write.csv(LF)``): the first column holds the case names and its header may be empty.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .._csv import read_csv_rows, safe_cell
from .._files import atomic_write_text
from ..errors import DataSourceError, InputError
from ._names import suggest

__all__ = ["SetTable", "check_membership"]


def check_values(values: Any, name: str, *, memberships: bool = True) -> np.ndarray:
    """``values`` as a 1-D float array, or an :class:`InputError` naming ``name`` and the first
    bad position: set memberships in [0, 1] (``memberships``), else any finite numbers (raw
    values to calibrate)."""
    what = "set memberships between 0 and 1" if memberships else "numbers"
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{name}: found values that are not numbers; expected {what}") from None
    if array.ndim != 1:
        raise InputError(f"{name}: found an array of shape {array.shape}; expected one "
                         f"{'membership' if memberships else 'value'} per case")
    wrong = ~np.isfinite(array)
    if memberships:
        wrong |= (array < 0) | (array > 1)
    bad = np.flatnonzero(wrong)
    if bad.size:
        index = int(bad[0])
        expected = "a set membership between 0 and 1" if memberships else "a finite number"
        raise InputError(f"{name}: found {float(array[index])!r} at position {index + 1}; "
                         f"expected {expected}")
    return array


def check_membership(values: Any, name: str) -> np.ndarray:
    """``values`` as a 1-D float array of memberships in [0, 1] (see :func:`check_values`)."""
    return check_values(values, name)


@dataclass(frozen=True, slots=True, init=False)
class SetTable:
    """Cases by sets, memberships in [0, 1]. Immutable: the arrays are read-only copies.

    >>> t = SetTable(["a", "b"], {"X": [0.2, 0.9], "Y": [1, 0]})
    >>> t.names, t.cases, t.column("X").tolist()
    (('X', 'Y'), ('a', 'b'), [0.2, 0.9])
    """

    cases: tuple[str, ...]
    names: tuple[str, ...]
    _columns: Mapping[str, np.ndarray] = field(repr=False)

    def __init__(self, cases: Sequence[str], columns: Mapping[str, Sequence[float]]) -> None:
        names = tuple(str(c) for c in cases)
        if len(set(names)) != len(names):
            twice = next(n for n in names if names.count(n) > 1)
            raise InputError(f"cases: found {twice!r} twice; expected each case once")
        checked: dict[str, np.ndarray] = {}
        for column, values in columns.items():
            array = check_membership(values, f"columns[{column!r}]").copy()
            if array.shape[0] != len(names):
                raise InputError(f"columns[{column!r}]: found {array.shape[0]} values; "
                                 f"expected {len(names)}, one per case")
            array.setflags(write=False)
            checked[str(column)] = array
        object.__setattr__(self, "cases", names)
        object.__setattr__(self, "names", tuple(checked))
        object.__setattr__(self, "_columns", checked)

    def column(self, name: str) -> np.ndarray:
        """The memberships of every case in set ``name`` (read-only)."""
        try:
            return self._columns[name]
        except KeyError:
            raise InputError(f"column: found {name!r}; expected one of "
                             f"{', '.join(self.names)}{suggest(name, self.names)}") from None

    def with_column(self, name: str, values: Iterable[float]) -> SetTable:
        """A new table with column ``name`` added (or replaced)."""
        columns: dict[str, Any] = dict(self._columns)
        columns[name] = list(values)
        return SetTable(self.cases, columns)

    def __len__(self) -> int:
        return len(self.cases)

    def __repr__(self) -> str:
        return f"SetTable({len(self.cases)} cases x {len(self.names)} sets: " \
               f"{', '.join(self.names)})"

    def to_dict(self) -> dict[str, Any]:
        return {"cases": list(self.cases),
                "columns": {n: [float(v) for v in a] for n, a in self._columns.items()}}

    def to_csv_text(self) -> str:
        """The table as CSV: an empty first header (R's row names), then one row per case."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["", *(safe_cell(n) for n in self.names)])
        for index, case in enumerate(self.cases):
            writer.writerow([safe_cell(case),
                             *(_number(self._columns[n][index]) for n in self.names)])
        return out.getvalue()

    def to_csv(self, path: str | Path) -> Path | None:
        """Write the table to ``path`` atomically (an existing file is kept as ``.bak``);
        ``read.csv(path, row.names = 1)`` in R reads it back. Returns the backup's path."""
        return atomic_write_text(path, self.to_csv_text())

    @classmethod
    def from_csv(cls, path: str | Path) -> SetTable:
        """Read a CSV whose first column names the cases and whose other columns are sets.

        Every problem is a :class:`DataSourceError` with the file, the line and the column:
        an empty file, a duplicate case or column, a row of another width than the header,
        a cell that is not a number, NaN, or a value outside [0, 1].
        """
        path = Path(path)
        file = str(path)
        if not path.is_file():
            raise DataSourceError(file, "no such file" if not path.exists() else "a folder",
                                  "a CSV file of set memberships")
        rows = list(read_csv_rows(path))
        rows = [(line, fields) for line, fields in rows if any(f.strip() for f in fields)]
        if not rows:
            raise DataSourceError(file, "an empty file", "a header line (an empty first "
                                  "cell, then the names of the sets) and one row per case")
        header_line, header = rows[0]
        names = [h.strip() for h in header[1:]]
        if not names:
            raise DataSourceError(file, "a header with one column", "case names, then at "
                                  "least one set", row=header_line)
        seen: dict[str, int] = {}
        for position, name in enumerate(names, start=2):
            if not name:
                raise DataSourceError(file, f"an empty name in column {position}",
                                      "a name for every set", row=header_line)
            if name in seen:
                raise DataSourceError(file, f"the column {name!r} twice (columns "
                                      f"{seen[name]} and {position})", "each set once",
                                      row=header_line, column=name)
            seen[name] = position
        if len(rows) == 1:
            raise DataSourceError(file, "a header and no cases", "one row per case after "
                                  "the header", row=header_line)
        cases: list[str] = []
        first_line: dict[str, int] = {}
        values: dict[str, list[float]] = {n: [] for n in names}
        width = len(header)
        for line, fields in rows[1:]:
            if len(fields) != width:
                raise DataSourceError(file, f"{len(fields)} fields",
                                      f"{width} fields, as in the header", row=line)
            case = fields[0].strip()
            if not case:
                raise DataSourceError(file, "an empty case name", "a name in the first "
                                      "column", row=line)
            if case in first_line:
                raise DataSourceError(file, f"the case {case!r} again (first on line "
                                      f"{first_line[case]})", "each case once", row=line)
            first_line[case] = line
            cases.append(case)
            for name, cell in zip(names, fields[1:], strict=True):
                values[name].append(_parse_cell(cell, file, line, name))
        return cls(cases, values)


def _parse_cell(cell: str, file: str, line: int, column: str) -> float:
    text = cell.strip()
    if text in ("NA", "NaN", "nan", "N/A", "."):
        raise DataSourceError(file, f"{text!r} (a missing value)", "a set membership between "
                              "0 and 1 for every case (drop or code the case first)",
                              row=line, column=column)
    try:
        value = float(text)
    except ValueError:
        shown = repr(text) if text else "an empty cell"
        raise DataSourceError(file, shown, "a set membership (a number between 0 and 1)",
                              row=line, column=column) from None
    if math.isnan(value):
        raise DataSourceError(file, f"{text!r} (not a number)", "a set membership between "
                              "0 and 1 (a missing value is not allowed)", row=line,
                              column=column)
    if not 0.0 <= value <= 1.0:
        raise DataSourceError(file, text, "a set membership between 0 and 1", row=line,
                              column=column)
    return value


def _number(value: float) -> str:
    """The shortest text that reads back as the same float (``1.0`` as ``1``)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text
