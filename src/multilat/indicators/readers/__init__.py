"""Readers for the trade and macro files researchers download, with located errors.

Every reader returns a pandas DataFrame in one of two tidy shapes (``TRADE_COLUMNS`` or
``MACRO_COLUMNS``) and raises :class:`~multilat.errors.DataSourceError` naming the file,
sheet, row and column of the first thing that is not as expected.
"""

from ._common import MACRO_COLUMNS, TRADE_COLUMNS
from .dots import read_dots_long, read_dots_workbook
from .tidy import read_tidy_trade
from .wdi import read_macro_tidy, read_wdi_long, read_wdi_wide

__all__ = [
    "MACRO_COLUMNS",
    "TRADE_COLUMNS",
    "read_dots_long",
    "read_dots_workbook",
    "read_macro_tidy",
    "read_tidy_trade",
    "read_wdi_long",
    "read_wdi_wide",
]
