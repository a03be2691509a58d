"""What every reader shares: the tidy trade columns and value parsing with located errors.

Reading CSV rows, checking their width and that a file exists are shared with the event readers
(``multilat._csv``).
"""

from __future__ import annotations

import re
from typing import Any

from ...errors import DataSourceError

__all__ = ["MACRO_COLUMNS", "TRADE_COLUMNS", "parse_number"]

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
