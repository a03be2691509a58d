"""Indicator values checked against the data files themselves (never typed-in numbers)."""

from __future__ import annotations

import csv

import pytest
from indicators_helpers import (
    DATA,
    GDP_GROWTH,
    KAZ_WORKBOOK,
    RUS_WORKBOOK,
    TARIFF,
    raw_dots_value,
    raw_wdi_value,
)

from multilat.indicators import eaeu_members, macro_table, trade_table
from multilat.indicators.readers import read_dots_long, read_dots_workbook, read_wdi_wide

RUS = "Russian Federation"
CHN = "China, P.R.: Mainland"


def _share(table, partner: str, flow: str, year: int) -> float:
    frame = table.frame
    row = frame[(frame.partner == partner) & (frame.flow == flow) & (frame.year == year)]
    assert len(row) == 1
    return float(row.share_pct.iloc[0])


def test_kaz_imports_from_russia_2015_matches_the_workbook() -> None:
    expected = 100 * (raw_dots_value(KAZ_WORKBOOK, "Imports, CIF", RUS, 2015)
                      / raw_dots_value(KAZ_WORKBOOK, "Imports, CIF", "World", 2015))
    assert abs(_share(trade_table("KAZ"), "RUS", "imports", 2015) - expected) < 0.1


def test_kaz_exports_to_china_2010_matches_the_workbook() -> None:
    expected = 100 * (raw_dots_value(KAZ_WORKBOOK, "Exports, FOB", CHN, 2010)
                      / raw_dots_value(KAZ_WORKBOOK, "Exports, FOB", "World", 2010))
    assert abs(_share(trade_table("KAZ"), "CHN", "exports", 2010) - expected) < 0.1


def test_kaz_gdp_growth_2015_matches_the_wdi_file() -> None:
    frame = macro_table("KAZ", indicators=["NY.GDP.MKTP.KD.ZG"]).frame
    value = frame[(frame.year == 2015) & (frame.measure == "value")].value.iloc[0]
    assert value == pytest.approx(raw_wdi_value(GDP_GROWTH, "KAZ", 2015), abs=1e-9)


def test_eaeu_share_of_russia_sums_the_members_of_the_year() -> None:
    table = trade_table("RUS")
    for year in (2013, 2016):
        members = [m for m in eaeu_members(year) if m != "RUS"]
        names = {"KAZ": "Kazakhstan, Rep. of", "BLR": "Belarus, Rep. of",
                 "ARM": "Armenia, Rep. of", "KGZ": "Kyrgyz Rep."}
        total = sum(raw_dots_value(RUS_WORKBOOK, sheet, names[m], year)
                    for m in members for sheet in ("Exports, FOB", "Imports, CIF"))
        world = sum(raw_dots_value(RUS_WORKBOOK, sheet, "World", year)
                    for sheet in ("Exports, FOB", "Imports, CIF"))
        assert _share(table, "EAEU", "turnover", year) == pytest.approx(100 * total / world)


def test_group_with_a_member_without_data_is_flagged() -> None:
    frame = trade_table("RUS").frame
    row = frame[(frame.partner == "EAEU") & (frame.flow == "turnover") & (frame.year == 2009)]
    assert row.missing.iloc[0] == "BLR"


def test_eaeu_membership_by_year() -> None:
    assert eaeu_members(2010) == ("BLR", "KAZ", "RUS")
    assert eaeu_members(2014) == ("BLR", "KAZ", "RUS")
    assert set(eaeu_members(2015)) == {"ARM", "BLR", "KAZ", "KGZ", "RUS"}


def test_hhi_is_the_sum_of_squared_partner_shares() -> None:
    table = trade_table("KAZ").frame
    trade = read_dots_workbook(KAZ_WORKBOOK)
    rows = trade[(trade.flow == "exports") & (trade.year == 2015)]
    world = float(rows[rows.partner == "WORLD"].value.iloc[0])
    economies = rows[rows.partner.str.fullmatch(r"[A-Z]{3}")]
    expected = float(((economies.value / world * 100) ** 2).sum())
    hhi = table[(table.partner == "WORLD") & (table.flow == "exports") & (table.year == 2015)]
    assert hhi.hhi.iloc[0] == pytest.approx(expected)


def test_trend_is_the_three_year_slope() -> None:
    frame = trade_table("KAZ").frame
    rows = frame[(frame.partner == "CHN+EU") & (frame.flow == "turnover")].set_index("year")
    shares = rows.share_pct
    assert rows.trend_pp_per_year[2016] == pytest.approx((shares[2016] - shares[2014]) / 2)


def test_long_csv_agrees_with_the_workbook() -> None:
    long = read_dots_long(DATA / "dots" / "imf_dots_focus_reporters_2005_2020.csv.gz")
    book = read_dots_workbook(KAZ_WORKBOOK)
    keys = ["partner", "flow", "year"]
    left = long[(long.country == "KAZ") & (long.year >= 2005)].set_index(keys).value.sort_index()
    right = book[book.year >= 2005].set_index(keys).value.sort_index()
    common = left.index.intersection(right.index)
    assert len(common) > 1000
    assert (left[common] - right[common]).abs().max() < 1e-6


def test_tariff_series_is_read_from_the_bulk_csv() -> None:
    with TARIFF.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    header = rows[0]
    kaz = next(r for r in rows if r[1] == "KAZ")
    expected = {int(y): float(v) for y, v in zip(header[4:], kaz[4:], strict=False)
                if y.strip() and v.strip()}
    frame = read_wdi_wide(TARIFF)
    got = dict(zip(frame[frame.country == "KAZ"].year, frame[frame.country == "KAZ"].value,
                   strict=True))
    assert got == expected
    changes = macro_table("KAZ", indicators=["TM.TAX.MRCH.WM.AR.ZS"]).frame
    change_2010 = changes[(changes.year == 2010) & (changes.measure == "change")]
    assert change_2010.base_year.iloc[0] == 2008
    assert change_2010.value.iloc[0] == pytest.approx(expected[2010] - expected[2008])


def test_shipped_files_match_their_datapackage_hashes() -> None:
    import hashlib
    import json

    package = json.loads((DATA / "datapackage.json").read_text())
    assert len(package["resources"]) >= 10
    for resource in package["resources"]:
        data = (DATA / resource["path"]).read_bytes()
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest(), resource["path"]
        assert resource["sources"] and resource["licenses"]
