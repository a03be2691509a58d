"""World Bank World Development Indicators: the bulk CSV (wide) and the long datapackage CSV.

The bulk CSV the World Bank's site and API serve (``API_<code>_DS2_en_csv_v2_<n>.csv``) has one
row per economy and one column per year, after an optional 4-line preamble (``"Data
Source","World Development Indicators"``, a blank line, ``"Last Updated Date",...``, a blank
line). The long format (datahub / Frictionless datapackage) has the columns ``Country Name,
Country Code, Year, Value``, one indicator per file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..._csv import check_width, read_csv_rows, require_file
from ..._deps import require
from ...errors import DataSourceError
from ._common import MACRO_COLUMNS, parse_number

__all__ = ["read_macro_tidy", "read_wdi_long", "read_wdi_wide"]

_WIDE_KEYS = ("Country Name", "Country Code", "Indicator Name", "Indicator Code")
_PREAMBLE = ("Data Source", "Last Updated Date")


def read_wdi_wide(path: str | Path) -> Any:
    """Read a World Bank bulk CSV (years as columns) into a long macro table.

    Parameters
    ----------
    path
        The ``API_<indicator>_DS2_...csv`` file, with or without its 4-line preamble.

    Returns
    -------
    pandas.DataFrame
        Columns ``country, country_name, indicator, year, value, source``; one row per
        economy-year with a value (``indicator`` is the WDI code, e.g. ``TM.TAX.MRCH.WM.AR.ZS``).

    Raises
    ------
    DataSourceError
        Naming the file, the row (line number) and column (year) of the first bad cell, or a
        row with the wrong number of fields.

    References
    ----------
    World Bank, World Development Indicators (CC BY 4.0).
    """
    pandas = require("pandas", "data", "Reading World Bank CSV files")
    path = Path(path)
    require_file(path)
    file = str(path)
    header: list[str] | None = None
    years: dict[int, int] = {}
    records: list[dict[str, Any]] = []
    for line, fields in read_csv_rows(path):
        if header is None:
            if fields[:4] == list(_WIDE_KEYS):
                header = fields
                for index, name in enumerate(fields[4:], start=4):
                    if name.strip() == "":
                        continue
                    if not name.strip().isdigit():
                        raise DataSourceError(file, repr(name), "a year as a column name",
                                              row=line, column=name)
                    years[index] = int(name)
            elif not any(f.strip() for f in fields) or fields[0] in _PREAMBLE:
                continue
            else:
                raise DataSourceError(file, repr(",".join(fields)[:60]),
                                      f"the header {', '.join(_WIDE_KEYS)}, 1960, ... (after an "
                                      "optional 'Data Source' preamble)", row=line)
            continue
        if not any(f.strip() for f in fields):
            continue
        check_width(file, line, fields, len(header))
        code = fields[1].strip()
        if not code:
            raise DataSourceError(file, "an empty country code", "an ISO3 or aggregate code",
                                  row=line, column="Country Code")
        for index, year in years.items():
            value, _ = parse_number(fields[index], file=file, row=line, column=header[index])
            if value is not None:
                records.append({"country": code, "country_name": fields[0],
                                "indicator": fields[3].strip(), "year": year, "value": value,
                                "source": path.name})
    if header is None:
        raise DataSourceError(file, "no header row",
                              f"a header starting {', '.join(_WIDE_KEYS)}")
    return pandas.DataFrame.from_records(records, columns=list(MACRO_COLUMNS))


_LONG_KEYS = ("Country Name", "Country Code", "Year", "Value")


def _indicator_code(path: Path) -> str:
    """The WDI code: from ``<code>.datapackage.json`` beside the file, else the file name."""
    package = path.with_name(path.name.removesuffix(".csv") + ".datapackage.json")
    if package.is_file():
        try:
            name = json.loads(package.read_text(encoding="utf-8")).get("name")
        except (ValueError, AttributeError):
            name = None
        if isinstance(name, str) and name:
            return name.upper()
    return path.name.removesuffix(".gz").removesuffix(".csv").upper()


def read_wdi_long(path: str | Path, indicator: str | None = None) -> Any:
    """Read a long WDI CSV (``Country Name, Country Code, Year, Value``) into a macro table.

    ``indicator`` defaults to the ``name`` of the ``<file>.datapackage.json`` beside it, or the
    file's name (``ny.gdp.mktp.kd.zg.csv`` -> ``NY.GDP.MKTP.KD.ZG``). Returns the columns of
    :func:`read_wdi_wide`; raises :class:`DataSourceError` naming file, row and column.
    """
    pandas = require("pandas", "data", "Reading World Bank CSV files")
    path = Path(path)
    require_file(path)
    file = str(path)
    code = indicator or _indicator_code(path)
    records: list[dict[str, Any]] = []
    header: list[str] | None = None
    for line, fields in read_csv_rows(path):
        if header is None:
            if fields[:4] != list(_LONG_KEYS):
                raise DataSourceError(file, repr(",".join(fields)[:60]),
                                      f"the header {','.join(_LONG_KEYS)}", row=line)
            header = fields
            continue
        if not any(f.strip() for f in fields):
            continue
        check_width(file, line, fields, len(header))
        year = fields[2].strip()
        if not year.isdigit():
            raise DataSourceError(file, repr(fields[2]), "a year", row=line, column="Year")
        value, _ = parse_number(fields[3], file=file, row=line, column="Value")
        if value is not None:
            records.append({"country": fields[1].strip(), "country_name": fields[0],
                            "indicator": code, "year": int(year), "value": value,
                            "source": path.name})
    if header is None:
        raise DataSourceError(file, "an empty file", f"the header {','.join(_LONG_KEYS)}")
    return pandas.DataFrame.from_records(records, columns=list(MACRO_COLUMNS))


def read_macro_tidy(path: str | Path) -> Any:
    """Read a macro table as multilat writes it (``country, indicator, year, value``, ...).

    Rows whose ``measure`` column (if any) is not ``value`` are left out, so a table written by
    ``multilat indicators macro`` or ``multilat indicators fetch worldbank`` reads back.
    """
    pandas = require("pandas", "data", "Reading macro tables")
    path = Path(path)
    require_file(path)
    file = str(path)
    records: list[dict[str, Any]] = []
    names: list[str] = []
    for line, fields in read_csv_rows(path):
        if not names:
            names = [f.strip() for f in fields]
            missing = [c for c in ("country", "indicator", "year", "value") if c not in names]
            if missing:
                raise DataSourceError(file, f"the columns {names}",
                                      "the columns country, indicator, year, value", row=line)
            continue
        if not any(f.strip() for f in fields):
            continue
        check_width(file, line, fields, len(names))
        row = dict(zip(names, fields, strict=True))
        if row.get("measure", "value") != "value":
            continue
        if not row["year"].strip().isdigit():
            raise DataSourceError(file, repr(row["year"]), "a year", row=line, column="year")
        value, _ = parse_number(row["value"], file=file, row=line, column="value")
        if value is not None:
            records.append({"country": row["country"].strip(),
                            "country_name": row.get("country_name", row["country"]),
                            "indicator": row["indicator"].strip(), "year": int(row["year"]),
                            "value": value, "source": path.name})
    return pandas.DataFrame.from_records(records, columns=list(MACRO_COLUMNS))
