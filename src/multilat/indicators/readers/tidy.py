"""A generic tidy trade CSV: ``country, partner, year, flow, value``, one flow per row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..._csv import check_width, read_csv_rows, require_file
from ..._deps import require
from ...errors import DataSourceError
from ._common import TRADE_COLUMNS, parse_number

__all__ = ["TIDY_COLUMNS", "read_tidy_trade"]

#: Required columns of a tidy trade CSV (more columns are allowed and ignored).
TIDY_COLUMNS = ("country", "partner", "year", "flow", "value")
_FLOWS = ("exports", "imports")


def read_tidy_trade(path: str | Path) -> Any:
    """Read a tidy trade CSV into the trade table the indicators use.

    Parameters
    ----------
    path
        A UTF-8 CSV with the columns ``country`` (ISO3 of the reporter), ``partner`` (ISO3,
        or a group code such as ``WORLD``, ``EU``), ``year``, ``flow`` (``exports`` or
        ``imports``) and ``value`` (one unit throughout, e.g. US$ millions). Shares need a
        ``WORLD`` row per country, year and flow.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`~multilat.indicators.readers.read_dots_workbook`.

    Raises
    ------
    DataSourceError
        Naming file, row and column of the first bad value.
    """
    pandas = require("pandas", "data", "Reading tidy trade CSV files")
    path = Path(path)
    require_file(path)
    file = str(path)
    records: list[dict[str, Any]] = []
    columns: dict[str, int] = {}
    width = 0
    for line, fields in read_csv_rows(path):
        if not columns:
            names = [f.strip().lower() for f in fields]
            missing = [c for c in TIDY_COLUMNS if c not in names]
            if missing:
                raise DataSourceError(file, f"the columns {fields}",
                                      f"the columns {', '.join(TIDY_COLUMNS)}", row=line)
            columns = {c: names.index(c) for c in TIDY_COLUMNS}
            width = len(fields)
            continue
        if not any(f.strip() for f in fields):
            continue
        check_width(file, line, fields, width)
        row = {c: fields[i].strip() for c, i in columns.items()}
        for column in ("country", "partner"):
            if not row[column]:
                raise DataSourceError(file, "an empty cell", "a country or group code",
                                      row=line, column=column)
        if not row["year"].isdigit():
            raise DataSourceError(file, repr(row["year"]), "a year", row=line, column="year")
        if row["flow"] not in _FLOWS:
            raise DataSourceError(file, repr(row["flow"]), "exports or imports", row=line,
                                  column="flow")
        value, _ = parse_number(row["value"], file=file, row=line, column="value")
        if value is not None:
            records.append({"country": row["country"], "country_name": row["country"],
                            "partner": row["partner"], "partner_name": row["partner"],
                            "flow": row["flow"], "year": int(row["year"]), "value": value,
                            "estimate": False, "source": path.name})
    if not columns:
        raise DataSourceError(file, "an empty file", f"the columns {', '.join(TIDY_COLUMNS)}")
    return pandas.DataFrame.from_records(records, columns=list(TRADE_COLUMNS))
