"""Data files read row by row, with located errors: CSV rows (plain or gzip), the width of a
row, that a file exists. Shared by the indicator and the event readers.

And CSVs written safely: every CSV multilat writes passes its text cells through
:func:`safe_cell` (or :func:`safe_frame`, :func:`safe_arrow_table`, :func:`safe_sql`), so a
spreadsheet never reads a cell as a formula (OWASP's "CSV injection" rule: a text cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``).
Numbers are left alone: numeric cells are never touched, nor is a text cell that is a plain
decimal number (``-3.2``, ``+1e5``), which a spreadsheet reads as that number, not a formula.
Header names follow the same rule. JSON and Parquet outputs keep the raw values.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import DataSourceError

__all__ = ["FORMULA_START", "check_width", "read_csv_rows", "require_file", "safe_arrow_table",
           "safe_cell", "safe_frame", "safe_sql"]

#: The first characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?"
_NUMBER_RE = re.compile(_NUMBER)
_START = r"^[=+\-@\t\r]"


def safe_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text a spreadsheet would read as a formula.

    >>> safe_cell("=cmd|' /C calc'!A0"), safe_cell("-3.2"), safe_cell(-3.2), safe_cell("KAZ")
    ("'=cmd|' /C calc'!A0", '-3.2', -3.2, 'KAZ')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not (
            _NUMBER_RE.fullmatch(value)):
        return "'" + value
    return value


def safe_frame(frame: Any) -> Any:
    """A copy of a pandas DataFrame with :func:`safe_cell` applied to its text columns."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    out = frame.copy()
    for column in out.columns:
        if is_object_dtype(out[column]) or is_string_dtype(out[column]):
            out[column] = out[column].map(safe_cell)
    return out.rename(columns={c: safe_cell(c) for c in out.columns if isinstance(c, str)})


def safe_arrow_table(table: Any) -> Any:
    """A pyarrow Table with :func:`safe_cell`'s rule applied to its string columns."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = []
    for column in table.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            risky = pc.and_(pc.match_substring_regex(column, _START),
                            pc.invert(pc.match_substring_regex(column, f"^{_NUMBER}$")))
            column = pc.if_else(risky, pc.binary_join_element_wise("'", column, ""), column)
        columns.append(column)
    return pa.table(columns, names=[safe_cell(name) for name in table.column_names])


def safe_sql(column: str) -> str:
    """A DuckDB expression: the VARCHAR ``column`` with :func:`safe_cell`'s rule applied."""
    return (f"CASE WHEN regexp_matches({column}, '{_START}') AND NOT regexp_matches({column}, "
            f"'^{_NUMBER}$') THEN '''' || {column} ELSE {column} END")


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
