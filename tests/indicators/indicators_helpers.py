"""Fixtures of the indicator tests: the shipped data files, read independently of multilat."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

pytest.importorskip("pandas")
pytest.importorskip("openpyxl")

from multilat.indicators import builtin_data_dir  # noqa: E402

DATA = builtin_data_dir()
KAZ_WORKBOOK = DATA / "dots" / "DOTS_103.xlsx"
RUS_WORKBOOK = DATA / "dots" / "DOTS_162.xlsx"
GDP_GROWTH = DATA / "wdi" / "ny.gdp.mktp.kd.zg.csv"
TARIFF = DATA / "wdi" / "API_TM.TAX.MRCH.WM.AR.ZS_DS2_en_csv_v2_440.csv"
FETCHED = Path(__file__).parent.parent / "data" / "fetch"


def raw_dots_value(workbook: Path, sheet: str, partner: str, year: int) -> float:
    """A DOTS cell read straight from the workbook with openpyxl (row 7 = years, B = partner)."""
    import openpyxl

    book = openpyxl.load_workbook(workbook, read_only=True)
    try:
        rows = list(book[sheet].iter_rows(values_only=True))
    finally:
        book.close()
    column = [str(c) for c in rows[6]].index(str(year))
    matches = [r[column] for r in rows[7:] if r[1] == partner]
    assert matches, f"{partner} not in {workbook.name} {sheet}"
    cell = matches[-1]
    return float(str(cell).removesuffix(" e")) if isinstance(cell, str) else float(cell)


def raw_wdi_value(path: Path, country: str, year: int) -> float:
    """A value of a long WDI CSV read with the csv module."""
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            if row["Country Code"] == country and row["Year"] == str(year):
                return float(row["Value"])
    raise AssertionError(f"{country} {year} not in {path.name}")


@pytest.fixture
def kaz_workbook() -> Path:
    return KAZ_WORKBOOK
