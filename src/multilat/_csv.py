"""Data files read row by row, with located errors: CSV rows (plain or gzip), the width of a
row, that a file exists. Shared by the indicator and the event readers."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import DataSourceError

__all__ = ["check_width", "read_csv_rows", "require_file"]


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
