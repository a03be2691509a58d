"""What every reader shares: the tidy trade columns and value parsing with located errors.

Reading CSV rows, checking their width and that a file exists are shared with the event readers
(``multilat._csv``).
"""

from __future__ import annotations

import math
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
    trailing `` e`` (the IMF's mark of an estimate) is accepted and reported. A number that
    is not finite (``NaN``, ``inf``) is a located error, never a silently missing value.
    """
    if value is None:
        return None, False
    expected = ("a finite number, a finite number followed by ' e' (an IMF estimate), or an "
                "empty cell" if estimates else "a finite number or an empty cell")
    estimate = False
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        text = str(value).strip()
        if text in ("", ".."):
            return None, False
        match = _ESTIMATE.match(text) if estimates else None
        try:
            number = float(match.group(1).replace(",", "")) if match else float(text)
        except (ValueError, OverflowError):
            raise DataSourceError(file, repr(value)[:80], expected, sheet=sheet, row=row,
                                  column=column) from None
        estimate = match is not None
    if not math.isfinite(number):
        raise DataSourceError(file, repr(value)[:80], expected, sheet=sheet, row=row,
                              column=column)
    return number, estimate
