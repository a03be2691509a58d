"""A CSV of raw values (case names first, as R writes row names) to calibrate: one column
read as numbers with located errors, a calibrated column added, the rest kept as text."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._csv import read_csv_rows, safe_cell
from ..errors import DataSourceError, InputError
from ._names import suggest

__all__ = ["RawTable"]


@dataclass(frozen=True, slots=True)
class RawTable:
    """The file's header and rows as text, and the line of each row."""

    file: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    lines: tuple[int, ...]

    @classmethod
    def read(cls, path: str | Path) -> RawTable:
        path = Path(path)
        if not path.is_file():
            raise DataSourceError(str(path), "no such file" if not path.exists() else
                                  "a folder", "a CSV file (case names, then columns)")
        found = [(line, fields) for line, fields in read_csv_rows(path)
                 if any(f.strip() for f in fields)]
        if not found:
            raise DataSourceError(str(path), "an empty file", "a header line and one row "
                                  "per case")
        (header_line, header), body = found[0], found[1:]
        if not body:
            raise DataSourceError(str(path), "a header and no cases", "one row per case",
                                  row=header_line)
        for line, fields in body:
            if len(fields) != len(header):
                raise DataSourceError(str(path), f"{len(fields)} fields",
                                      f"{len(header)} fields, as in the header", row=line)
        return cls(str(path), tuple(h.strip() for h in header),
                   tuple(tuple(f) for _, f in body), tuple(line for line, _ in body))

    def numbers(self, column: str) -> np.ndarray:
        """The column's values as numbers (the first column, case names, is not one)."""
        names = self.header[1:]
        if column not in names:
            raise InputError(f"column: found {column!r}; expected one of "
                             f"{', '.join(names)}{suggest(column, names)}")
        index = self.header.index(column, 1)
        values: list[float] = []
        for line, row in zip(self.lines, self.rows, strict=True):
            text = row[index].strip()
            try:
                value = float(text)
            except ValueError:
                value = math.nan
            if not math.isfinite(value):
                raise DataSourceError(self.file, repr(text) if text else "an empty cell",
                                      "a finite number to calibrate", row=line,
                                      column=column)
            values.append(value)
        return np.array(values)

    def with_column(self, name: str, values: Iterable[float]) -> str:
        """The CSV text with column ``name`` added at the end (or replaced, if it exists)."""
        if not name.strip() or name in self.header[:1]:
            raise InputError(f"name: found {name!r}; expected a new column name")
        header = list(self.header)
        position = header.index(name) if name in header[1:] else None
        if position is None:
            header.append(name)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([safe_cell(h) for h in header])
        for row, value in zip(self.rows, list(values), strict=True):
            cells = list(row)
            text = f"{float(value):.10g}"
            if position is None:
                cells.append(text)
            else:
                cells[position] = text
            writer.writerow([safe_cell(c) for c in cells])
        return out.getvalue()
