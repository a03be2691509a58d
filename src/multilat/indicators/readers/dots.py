"""IMF Direction of Trade Statistics (DOTS): the per-reporter workbooks and the long CSV.

A DOTS workbook, as the IMF's data portal exported it, has two sheets, ``Exports, FOB`` and
``Imports, CIF``. In each: the reporter's name in B4, the unit (``US Dollars, Millions``) in
B5, the years in row 7 from column C, and one partner per row from row 8 (name in column B).
A trailing `` e`` marks an IMF estimate. The first partner row (Australia) repeats a later
row; exact repeats are dropped, a repeated partner with different values is an error.
A formula in a value cell, and a value that is not a finite number (``NaN``, ``inf``), are
located errors (file, sheet, row, column): no row is dropped silently.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..._csv import require_file
from ..._deps import require
from ...errors import DataSourceError
from ..groups import GROUP_NAMES, partner_code
from ._common import TRADE_COLUMNS, parse_number

__all__ = ["DOTS_SHEETS", "read_dots_long", "read_dots_workbook"]

#: Sheet name -> flow.
DOTS_SHEETS = {"Exports, FOB": "exports", "Imports, CIF": "imports"}
_YEAR_ROW = 7
_FIRST_PARTNER_ROW = 8
_UNIT = "US Dollars, Millions"


def _column(index: int) -> str:
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    return str(get_column_letter(index + 1))


def _formula_text(cell: Any) -> Any:
    return getattr(cell, "text", cell)      # openpyxl's ArrayFormula keeps it in .text


def _is_formula(cell: Any) -> bool:
    """A formula cell (read with ``data_only=False``: its text, not a cached value)."""
    if isinstance(cell, str):
        return cell.startswith("=")
    return type(cell).__name__ in ("ArrayFormula", "DataTableFormula")


def _years(row: tuple[Any, ...], file: str, sheet: str) -> dict[int, int]:
    """Column index -> year, from row 7 (column C on)."""
    years: dict[int, int] = {}
    for index, cell in enumerate(row[2:], start=2):
        if cell is None or str(cell).strip() == "":
            continue
        text = str(cell).strip()
        if text.endswith(".0"):
            text = text[:-2]
        if not text.isdigit() or not 1900 <= int(text) <= 2100:
            raise DataSourceError(file, repr(cell), "a year (e.g. '2015') in row 7", sheet=sheet,
                                  row=_YEAR_ROW, column=_column(index))
        years[index] = int(text)
    if not years:
        raise DataSourceError(file, "no years", "years in row 7 from column C on",
                              sheet=sheet, row=_YEAR_ROW)
    return years


def _read_sheet(rows: list[tuple[Any, ...]], file: str, sheet: str,
                flow: str) -> tuple[str, list[dict[str, Any]]]:
    if len(rows) < _FIRST_PARTNER_ROW:
        raise DataSourceError(file, f"{len(rows)} rows",
                              f"years in row {_YEAR_ROW} and partners from row "
                              f"{_FIRST_PARTNER_ROW}", sheet=sheet)
    reporter = rows[3][1] if len(rows[3]) > 1 else None
    if not isinstance(reporter, str) or not reporter.strip():
        raise DataSourceError(file, repr(reporter), "the reporter's name", sheet=sheet, row=4,
                              column="B")
    unit = rows[4][1] if len(rows[4]) > 1 else None
    if unit != _UNIT:
        raise DataSourceError(file, repr(unit), repr(_UNIT), sheet=sheet, row=5, column="B")
    years = _years(rows[_YEAR_ROW - 1], file, sheet)
    reporter = reporter.strip()
    country = partner_code(reporter)
    records: list[dict[str, Any]] = []
    seen: dict[str, tuple[int, tuple[Any, ...]]] = {}
    for number, row in enumerate(rows[_FIRST_PARTNER_ROW - 1:], start=_FIRST_PARTNER_ROW):
        name = row[1] if len(row) > 1 else None
        values = row[2:]
        if name is None or str(name).strip() == "":
            if any(v is not None and str(v).strip() != "" for v in values):
                raise DataSourceError(file, "values without a partner name",
                                      "a partner name in column B", sheet=sheet, row=number,
                                      column="B")
            continue
        name = str(name).strip()
        if name in seen:
            first, first_values = seen[name]
            if first_values == tuple(values):
                records = [r for r in records if r["partner_name"] != name]
            else:
                raise DataSourceError(
                    file, f"partner {name!r} again, with other values than in row {first}",
                    "each partner once (an exact repeat, like the IMF's first row, is dropped)",
                    sheet=sheet, row=number, column="B")
        seen[name] = (number, tuple(values))
        partner = partner_code(name)
        for index, year in years.items():
            cell = row[index] if index < len(row) else None
            if _is_formula(cell):
                raise DataSourceError(file, f"the formula {str(_formula_text(cell))[:60]!r}",
                                      "a number (the workbook's values: paste formulas as "
                                      "values)", sheet=sheet, row=number,
                                      column=_column(index))
            value, estimate = parse_number(cell, file=file, sheet=sheet, row=number,
                                           column=_column(index), estimates=True)
            if value is not None:
                records.append({"country": country, "country_name": reporter,
                                "partner": partner, "partner_name": name, "flow": flow,
                                "year": year, "value": value, "estimate": estimate,
                                "source": Path(file).name})
    return reporter, records


def read_dots_workbook(path: str | Path) -> Any:
    """Read an IMF DOTS workbook into a tidy trade table (pandas DataFrame).

    Parameters
    ----------
    path
        A ``DOTS_<n>.xlsx`` workbook as the IMF exported it.

    Returns
    -------
    pandas.DataFrame
        Columns ``country, country_name, partner, partner_name, flow, year, value, estimate,
        source``: ``country``/``partner`` are ISO3 codes, ``WORLD`` or ``EU`` for those
        aggregates, ``''`` for other aggregates; ``flow`` is ``exports`` or ``imports``;
        ``value`` in US$ millions; ``estimate`` true where the IMF marked an estimate.

    Raises
    ------
    DataSourceError
        Naming the file, sheet, row and column of the first cell that is not as expected.

    References
    ----------
    International Monetary Fund, Direction of Trade Statistics (DOTS).
    """
    pandas = require("pandas", "data", "Reading IMF DOTS workbooks")
    openpyxl = require("openpyxl", "data", "Reading IMF DOTS workbooks")
    path = Path(path)
    require_file(path)
    file = str(path)
    try:
        # data_only=False: a formula cell reads as its formula (a located error below),
        # not as a cached value that may be missing (a row silently dropped).
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many types for a file that is not xlsx
        raise DataSourceError(file, f"a file openpyxl cannot open ({type(error).__name__})",
                              "an .xlsx workbook") from None
    try:
        missing = [s for s in DOTS_SHEETS if s not in workbook.sheetnames]
        if missing:
            raise DataSourceError(file, f"the sheets {workbook.sheetnames}",
                                  f"the sheets {list(DOTS_SHEETS)}")
        records: list[dict[str, Any]] = []
        reporters = []
        for sheet, flow in DOTS_SHEETS.items():
            rows = list(workbook[sheet].iter_rows(values_only=True))
            reporter, sheet_records = _read_sheet(rows, file, sheet, flow)
            reporters.append(reporter)
            records += sheet_records
    finally:
        workbook.close()
    if reporters[0] != reporters[1]:
        raise DataSourceError(file, f"reporter {reporters[1]!r}",
                              f"the same reporter as sheet 'Exports, FOB' ({reporters[0]!r})",
                              sheet="Imports, CIF", row=4, column="B")
    return pandas.DataFrame.from_records(records, columns=list(TRADE_COLUMNS))


_LONG_COLUMNS = ("reporter_name", "reporter_iso3", "partner_name", "partner_iso3", "flow",
                 "year", "value_usd_millions")
_LONG_FLOWS = {"exports_fob": "exports", "imports_cif": "imports"}


def read_dots_long(path: str | Path) -> Any:
    """Read the long DOTS CSV (one flow per row) into a tidy trade table.

    Expected columns: ``reporter_name, reporter_iso3, partner_name, partner_iso3, flow
    (exports_fob|imports_cif), year, value_usd_millions`` and optionally ``estimate_flag``
    and ``source_file``. Aggregates have an empty ISO3; World and European Union become
    ``WORLD`` and ``EU``. A ``.gz`` file is read as gzip.

    Returns the same columns as :func:`read_dots_workbook`; raises :class:`DataSourceError`
    naming the file, row (line, header = 1) and column of the first bad value.
    """
    pandas = require("pandas", "data", "Reading the DOTS long CSV")
    path = Path(path)
    require_file(path)
    file = str(path)
    try:
        frame = pandas.read_csv(path, dtype=str, keep_default_na=False)
    except (ValueError, UnicodeDecodeError) as error:
        message = " ".join(str(error).split())
        line = re.search(r"line (\d+)", message)
        raise DataSourceError(file, f"unreadable CSV ({message})", "a CSV file",
                              row=int(line.group(1)) if line else None) from None
    except (EOFError, OSError) as error:  # a truncated or mislabelled .gz
        raise DataSourceError(file, f"an unreadable compressed file ({error})",
                              "a complete gzip file (or a plain CSV without .gz)") from None
    missing = [c for c in _LONG_COLUMNS if c not in frame.columns]
    if missing:
        raise DataSourceError(file, f"the columns {list(frame.columns)}",
                              f"the columns {list(_LONG_COLUMNS)}", row=1)

    def fail(mask: Any, column: str, expected: str) -> None:
        if mask.any():
            index = int(mask.to_numpy().nonzero()[0][0])
            raise DataSourceError(file, repr(frame[column].iloc[index]), expected,
                                  row=index + 2, column=column)

    fail(~frame["flow"].isin(list(_LONG_FLOWS)), "flow", "exports_fob or imports_cif")
    years = pandas.to_numeric(frame["year"], errors="coerce")
    fail(years.isna() | (years % 1 != 0), "year", "a year (integer)")
    values = pandas.to_numeric(frame["value_usd_millions"], errors="coerce")
    fail(values.isna() & (frame["value_usd_millions"].str.strip() != ""),
         "value_usd_millions", "a number or an empty cell")
    estimates = (frame["estimate_flag"].str.lower() == "true"
                 if "estimate_flag" in frame.columns else False)

    def codes(iso: str, name: str) -> Any:
        group = frame[name].map(GROUP_NAMES).fillna("")
        return frame[iso].where(frame[iso] != "", group)

    tidy = pandas.DataFrame({
        "country": codes("reporter_iso3", "reporter_name"),
        "country_name": frame["reporter_name"],
        "partner": codes("partner_iso3", "partner_name"),
        "partner_name": frame["partner_name"],
        "flow": frame["flow"].map(_LONG_FLOWS),
        "year": years.astype("int64"),
        "value": values,
        "estimate": estimates,
        "source": frame["source_file"] if "source_file" in frame.columns else path.name,
    })
    return tidy[tidy["value"].notna()].reset_index(drop=True)
