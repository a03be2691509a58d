"""Readers: malformed files get errors naming file, sheet, row and column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from indicators_helpers import GDP_GROWTH, KAZ_WORKBOOK, TARIFF

from multilat.errors import DataSourceError, InputError
from multilat.indicators import read_macro_file, read_trade_file
from multilat.indicators.readers import (
    read_dots_long,
    read_dots_workbook,
    read_tidy_trade,
    read_wdi_long,
    read_wdi_wide,
)


def _edited_workbook(tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    import openpyxl

    workbook = openpyxl.load_workbook(KAZ_WORKBOOK)
    edit(workbook)
    path = tmp_path / "DOTS_bad.xlsx"
    workbook.save(path)
    return path


def test_errors_are_input_errors() -> None:
    assert issubclass(DataSourceError, InputError)


def test_workbook_reads_estimates_and_drops_the_repeated_first_row() -> None:
    frame = read_dots_workbook(KAZ_WORKBOOK)
    assert frame.estimate.any()
    australia = frame[(frame.partner == "AUS") & (frame.flow == "exports")]
    assert australia.year.is_unique


def test_malformed_workbook_cell_names_file_sheet_row_and_column(tmp_path: Path) -> None:
    path = _edited_workbook(tmp_path, lambda wb: wb["Imports, CIF"].cell(row=12, column=5,
                                                                         value="n/a"))
    with pytest.raises(DataSourceError) as caught:
        read_dots_workbook(path)
    error = caught.value
    assert (error.file, error.sheet, error.row, error.column) == (str(path), "Imports, CIF", 12,
                                                                   "E")
    assert "'n/a'" in str(error) and "DOTS_bad.xlsx" in str(error) and "row 12" in str(error)


def test_workbook_without_its_sheets(tmp_path: Path) -> None:
    def rename(workbook):  # type: ignore[no-untyped-def]
        workbook["Exports, FOB"].title = "Sheet1"

    with pytest.raises(DataSourceError, match="the sheets"):
        read_dots_workbook(_edited_workbook(tmp_path, rename))


def test_workbook_with_a_bad_year_header(tmp_path: Path) -> None:
    path = _edited_workbook(tmp_path, lambda wb: wb["Exports, FOB"].cell(row=7, column=4,
                                                                         value="FY93"))
    with pytest.raises(DataSourceError) as caught:
        read_dots_workbook(path)
    assert (caught.value.row, caught.value.column) == (7, "D")


def test_workbook_repeating_a_partner_with_other_values(tmp_path: Path) -> None:
    path = _edited_workbook(tmp_path, lambda wb: wb["Exports, FOB"].cell(row=8, column=10,
                                                                         value=123456.0))
    with pytest.raises(DataSourceError, match="again") as caught:
        read_dots_workbook(path)
    assert caught.value.row == 32


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "DOTS_1.xlsx"
    path.write_text("not a zip")
    with pytest.raises(DataSourceError, match="xlsx"):
        read_dots_workbook(path)


def test_wdi_wide_with_and_without_preamble(tmp_path: Path) -> None:
    plain = read_wdi_wide(TARIFF)
    text = TARIFF.read_text(encoding="utf-8-sig")
    with_preamble = tmp_path / "API_with_preamble.csv"
    with_preamble.write_text('"Data Source","World Development Indicators",\n\n'
                             '"Last Updated Date","2026-07-01",\n\n' + text, encoding="utf-8")
    assert read_wdi_wide(with_preamble).value.tolist() == plain.value.tolist()


def test_wdi_file_with_a_broken_row_names_file_and_row(tmp_path: Path) -> None:
    lines = TARIFF.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if '"KAZ"' in line)
    lines[number] = lines[number].replace('"4.4"', '"4,4%"')
    path = tmp_path / "API_broken.csv"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataSourceError) as caught:
        read_wdi_wide(path)
    assert (caught.value.file, caught.value.row, caught.value.column) == (str(path), number + 1,
                                                                          "2010")
    assert "API_broken.csv row" in str(caught.value) and "'4,4%'" in str(caught.value)


def test_wdi_row_with_missing_fields(tmp_path: Path) -> None:
    lines = TARIFF.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    lines[5] = '"Nowhere","NWH","x","TM.TAX.MRCH.WM.AR.ZS","1"\n'
    path = tmp_path / "API_short.csv"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataSourceError, match="fields") as caught:
        read_wdi_wide(path)
    assert caught.value.row == 6


def test_wdi_long_broken_row(tmp_path: Path) -> None:
    lines = GDP_GROWTH.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = "Armenia,ARM,1993,minus eight\n"
    path = tmp_path / "ny.gdp.mktp.kd.zg.csv"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataSourceError) as caught:
        read_wdi_long(path)
    assert (caught.value.row, caught.value.column) == (4, "Value")


def test_wdi_long_takes_its_code_from_the_datapackage(tmp_path: Path) -> None:
    shutil.copy(GDP_GROWTH, tmp_path / "growth.csv")
    shutil.copy(GDP_GROWTH.with_name("ny.gdp.mktp.kd.zg.datapackage.json"),
                tmp_path / "growth.datapackage.json")
    assert set(read_wdi_long(tmp_path / "growth.csv").indicator) == {"NY.GDP.MKTP.KD.ZG"}


def test_tidy_csv(tmp_path: Path) -> None:
    path = tmp_path / "trade.csv"
    path.write_text("country,partner,year,flow,value\nKAZ,RUS,2015,imports,30\n"
                    "KAZ,WORLD,2015,imports,100\n", encoding="utf-8")
    assert read_tidy_trade(path).value.sum() == 130
    assert read_trade_file(path).value.sum() == 130
    path.write_text("country,partner,year,flow,value\nKAZ,RUS,2015,imported,30\n")
    with pytest.raises(DataSourceError) as caught:
        read_tidy_trade(path)
    assert (caught.value.row, caught.value.column) == (2, "flow")


def test_dots_long_bad_value(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("reporter_name,reporter_iso3,partner_name,partner_iso3,flow,year,"
                    "value_usd_millions\nK,KAZ,World,,exports_fob,2015,1\n"
                    "K,KAZ,World,,exports_fob,2016,lots\n", encoding="utf-8")
    with pytest.raises(DataSourceError) as caught:
        read_dots_long(path)
    assert (caught.value.row, caught.value.column) == (3, "value_usd_millions")


def test_unknown_format_is_named(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(DataSourceError, match="expected a World Bank"):
        read_macro_file(path)
    with pytest.raises(DataSourceError, match="expected an IMF DOTS"):
        read_trade_file(path)


def test_missing_file() -> None:
    with pytest.raises(DataSourceError, match="no such file"):
        read_dots_workbook("nowhere.xlsx")


@pytest.mark.parametrize(("value", "found"), [
    ("=C12*2", "the formula '=C12*2'"), ("=SUM(C8:C9)", "the formula"),
    ("NaN", "'NaN'"), ("nan", "'nan'"), ("inf", "'inf'"), ("-Infinity e", "'-Infinity e'"),
])
def test_workbook_formula_or_nan_cell_is_located(tmp_path: Path, value: str,
                                                 found: str) -> None:
    # Formula cells used to read as None (no cached value) and NaN as a value: rows dropped.
    path = _edited_workbook(tmp_path, lambda wb: wb["Exports, FOB"].cell(row=12, column=4,
                                                                         value=value))
    with pytest.raises(DataSourceError) as caught:
        read_dots_workbook(path)
    error = caught.value
    assert (error.sheet, error.row, error.column) == ("Exports, FOB", 12, "D")
    assert error.found.startswith(found)


def test_workbook_nan_number_cell_is_located(tmp_path: Path) -> None:
    from multilat.indicators.readers._common import parse_number

    for value in (float("nan"), float("inf"), "1e999"):
        with pytest.raises(DataSourceError, match="finite number"):
            parse_number(value, file="f.xlsx", row=3, column="C", sheet="S")
    assert parse_number("-3.5", file="f", row=1, column="A") == (-3.5, False)
    assert parse_number("1,234.5 e", file="f", row=1, column="A", estimates=True) == (1234.5, True)
