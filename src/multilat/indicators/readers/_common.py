"""What every reader shares: the tidy trade columns and value parsing with located errors."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ...errors import DataSourceError

__all__ = ["MACRO_COLUMNS", "TRADE_COLUMNS", "check_width", "parse_number", "read_csv_rows",
           "require_file"]

#: Columns of every tidy trade table the readers return (values in US$ millions).
TRADE_COLUMNS = ("country", "country_name", "partner", "partner_name", "flow", "year",
                 "value", "estimate", "source")
#: Columns of every macro (WDI-like) table the readers return.
MACRO_COLUMNS = ("country", "country_name", "indicator", "year", "value", "source")

_ESTIMATE = re.compile(r"^\s*(-?[0-9][0-9,]*\.?[0-9]*(?:[eE][-+]?[0-9]+)?)\s+e\s*$")


def parse_number(value: Any, *, file: str, row: int, column: str,
                 sheet: str | None = None, estimates: bool = False) -> tuple[float | None, bool]:
    """A cell as ``(number or None, is_estimate)``; anything else is a located error.

    Empty cells (``None``, ``''``, ``'..'``) are missing values. With ``estimates``, a
    trailing `` e`` (the IMF's mark of an estimate) is accepted and reported.
    """
    if value is None:
        return None, False
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value), False
    text = str(value).strip()
    if text in ("", ".."):
        return None, False
    if estimates:
        match = _ESTIMATE.match(text)
        if match:
            return float(match.group(1).replace(",", "")), True
    try:
        return float(text), False
    except ValueError:
        expected = ("a number, a number followed by ' e' (an IMF estimate), or an empty cell"
                    if estimates else "a number or an empty cell")
        raise DataSourceError(file, repr(value), expected, sheet=sheet, row=row,
                              column=column) from None


def read_csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """``(line number, fields)`` of a UTF-8 (BOM tolerated) CSV, gzip if it ends in ``.gz``."""
    if path.suffix == ".gz":
        import gzip
        stream: Any = gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    else:
        stream = path.open(encoding="utf-8-sig", newline="")
    with stream:
        reader = csv.reader(stream)
        try:
            for fields in reader:
                yield reader.line_num, fields
        except csv.Error as error:
            raise DataSourceError(str(path), f"malformed CSV ({error})",
                                  "well-formed CSV", row=reader.line_num + 1) from None
        except UnicodeDecodeError as error:
            raise DataSourceError(str(path), f"bytes that are not UTF-8 ({error.reason})",
                                  "a UTF-8 text file", row=reader.line_num + 1) from None
        except (EOFError, OSError) as error:  # a truncated or mislabelled .gz
            raise DataSourceError(str(path), f"an unreadable compressed file ({error})",
                                  "a complete gzip file (or a plain CSV without .gz)",
                                  row=reader.line_num + 1) from None


def check_width(file: str, line: int, fields: list[str], width: int) -> None:
    """A located error when a data row has another number of fields than the header."""
    if len(fields) != width:
        raise DataSourceError(file, f"{len(fields)} fields", f"{width} fields, as in the header",
                              row=line)


def require_file(path: Path) -> None:
    """A located error when ``path`` is not a readable file."""
    if not path.is_file():
        raise DataSourceError(str(path), "no such file", "an existing data file")
