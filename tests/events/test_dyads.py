"""Readers of directed dyad-year event counts: the real ICEWS values, and located errors."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest

from multilat.errors import DataSourceError
from multilat.events.dyads import (
    DYAD_COLUMNS,
    builtin_dyads_path,
    read_dyad_years,
    read_event_aggregate,
)

pytest.importorskip("pandas")

HEADER = ("i,j,year,id,verbCoop,matlCoop,verbConf,matlConf,i_year,j_year,i_polity2,j_polity2,"
          "i_iso3c,j_iso3c")


def _netify(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "dyads.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _row(source: str = "KAZ", target: str = "RUS", year: int = 2010,
         counts: str = "10.0,2.0,1.0,0.0") -> str:
    return f"A,B,{year},A_B_{year},{counts},A_{year},B_{year},,,{source},{target}"


def test_shipped_file_gives_the_real_kaz_rus_counts() -> None:
    frame = read_dyad_years()
    assert tuple(frame.columns) == DYAD_COLUMNS
    kaz = frame[(frame.source_country == "KAZ") & (frame.target_country == "RUS")]
    got = dict(zip(kaz.year, kaz.verbal_coop, strict=True))
    assert (got[2002], got[2011], got[2014]) == (736, 442, 612)
    row_2013 = kaz[kaz.year == 2013].iloc[0]
    assert (row_2013.material_coop, row_2013.verbal_conflict, row_2013.material_conflict) == \
        (7, 10, 38)
    assert sorted(kaz.year) == list(range(2002, 2015))


def test_shipped_file_matches_the_raw_csv_read_independently() -> None:
    with gzip.open(builtin_dyads_path(), "rt", encoding="utf-8", newline="") as stream:
        raw = [r for r in csv.DictReader(stream)
               if r["i_iso3c"] == "RUS" and r["j_iso3c"] == "KAZ"]
    frame = read_dyad_years()
    rus = frame[(frame.source_country == "RUS") & (frame.target_country == "KAZ")]
    assert len(raw) == len(rus) == 13
    for record in raw:
        row = rus[rus.year == int(record["year"])].iloc[0]
        assert row.verbal_conflict == int(float(record["verbConf"]))
        assert row.material_coop == int(float(record["matlCoop"]))
    assert len(frame) == 23166


@pytest.mark.parametrize(("rows", "header", "row", "column", "found"), [
    ((_row(),), HEADER.replace(",matlConf", ",matlConflict"), 1, "matlConf", "no column"),
    ((_row(), _row(year=2011, counts="3,x,1,0")), HEADER, 3, "matlCoop", "'x'"),
    ((_row(counts="3,1,-2,0"),), HEADER, 2, "verbConf", "negative"),
    ((_row(counts="3,1,2.5,0"),), HEADER, 2, "verbConf", "fractional"),
    ((_row(counts="3,1,,0"),), HEADER, 2, "verbConf", "empty"),
    ((_row(), _row(year=2011), _row()), HEADER, 4, None, "again (first in row 2)"),
    ((_row(source=""),), HEADER, 2, "i_iso3c", "empty"),
    ((_row(year=20),), HEADER, 2, "year", "'20'"),
])
def test_netify_reader_errors_are_located(tmp_path: Path, rows: tuple[str, ...], header: str,
                                          row: int, column: str | None, found: str) -> None:
    with pytest.raises(DataSourceError) as caught:
        read_dyad_years(_netify(tmp_path, *rows, header=header))
    error = caught.value
    assert (error.row, error.column) == (row, column)
    assert found in error.found
    assert str(tmp_path / "dyads.csv") in str(error)


def test_netify_reader_row_width_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError) as caught:
        read_dyad_years(_netify(tmp_path, _row(), "A,B,2011"))
    assert caught.value.row == 3
    with pytest.raises(DataSourceError):
        read_dyad_years(tmp_path / "absent.csv")


AGGREGATE = [
    {"year": 2013, "source_country": "KAZ", "target_country": "RUS", "quad_class": 1,
     "cameo_root": "04", "events": 40},
    {"year": 2013, "source_country": "KAZ", "target_country": "RUS", "quad_class": 3,
     "cameo_root": "10", "events": 5},
    {"year": 2013, "source_country": "KAZ", "target_country": "RUS", "quad_class": 3,
     "cameo_root": "13", "events": 2},
    # a second row of the same root (e.g. split by month): summed
    {"year": 2013, "source_country": "KAZ", "target_country": "RUS", "quad_class": 3,
     "cameo_root": "13", "events": 1},
    {"year": 2013, "source_country": "KAZ", "target_country": "RUS", "quad_class": 4,
     "cameo_root": "17", "events": 3},
    {"year": 2014, "source_country": "RUS", "target_country": "KAZ", "quad_class": 2,
     "cameo_root": "06", "events": 7},
]


def _write_aggregate(path: Path, rows: list[dict[str, object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=[*rows[0], "extra"])
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "extra": "x"})
    return path


def test_aggregate_rows_are_summed_into_quad_classes_and_roots(tmp_path: Path) -> None:
    frame = read_event_aggregate(_write_aggregate(tmp_path / "agg.csv", AGGREGATE))
    kaz = frame[(frame.source_country == "KAZ") & (frame.year == 2013)].iloc[0]
    assert (kaz.verbal_coop, kaz.material_coop, kaz.verbal_conflict, kaz.material_conflict) == \
        (40, 0, 8, 3)
    assert (kaz.cameo_10, kaz.cameo_13, kaz.cameo_17, kaz.cameo_12) == (5, 3, 3, 0)
    assert list(frame.columns[:7]) == list(DYAD_COLUMNS)
    assert len(frame) == 2


def test_aggregate_parquet_gives_the_same_table(tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    path = tmp_path / "agg.parquet"
    pandas.DataFrame.from_records(AGGREGATE).to_parquet(path)
    from_csv = read_event_aggregate(_write_aggregate(tmp_path / "agg.csv", AGGREGATE))
    assert read_event_aggregate(path).equals(from_csv)


@pytest.mark.parametrize(("change", "row", "column"), [
    ({"quad_class": 5}, 3, "quad_class"),
    ({"cameo_root": "21"}, 3, "cameo_root"),
    ({"events": -1}, 3, "events"),
    ({"events": "many"}, 3, "events"),
    ({"target_country": "Russia"}, 3, "target_country"),
])
def test_aggregate_errors_are_located(tmp_path: Path, change: dict[str, object], row: int,
                                      column: str) -> None:
    rows = [dict(r) for r in AGGREGATE]
    rows[1].update(change)
    with pytest.raises(DataSourceError) as caught:
        read_event_aggregate(_write_aggregate(tmp_path / "agg.csv", rows))
    assert (caught.value.row, caught.value.column) == (row, column)


def test_aggregate_missing_column(tmp_path: Path) -> None:
    rows = [{k: v for k, v in r.items() if k != "cameo_root"} for r in AGGREGATE]
    with pytest.raises(DataSourceError) as caught:
        read_event_aggregate(_write_aggregate(tmp_path / "agg.csv", rows))
    assert caught.value.column == "cameo_root" and caught.value.row == 1


def test_header_only_files_are_errors_not_empty_tables(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match="no rows"):
        read_dyad_years(_netify(tmp_path))
    path = tmp_path / "agg.csv"
    path.write_text("year,source_country,target_country,quad_class,cameo_root,events\n")
    with pytest.raises(DataSourceError, match="no rows"):
        read_event_aggregate(path)
