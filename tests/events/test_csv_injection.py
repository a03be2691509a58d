"""No CSV multilat writes holds a cell a spreadsheet would run as a formula (OWASP's rule)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from multilat._csv import FORMULA_START, safe_cell
from multilat.cli import main

from .conftest import write_tsv

pytest.importorskip("duckdb")
pyarrow = pytest.importorskip("pyarrow")

HOSTILE = ["=cmd|' /C calc'!A0", "+SUM(1)", "@SUM(A1)", "-2+3+cmd|'/C calc'!A0", "=HYPERLINK(1)",
           "\t=1", "\r=1"]


def _cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows
    return [cell for row in rows for cell in row]


def _formula_cells(path: Path) -> list[str]:
    return [cell for cell in _cells(path)
            if cell.startswith(FORMULA_START) and safe_cell(cell) != cell]


def test_hostile_country_codes_give_no_formula_cells(
        tmp_path: Path, gdelt_rows: list[dict[str, str]]) -> None:
    rows = [dict(r) for r in gdelt_rows[:80]]
    for index, code in enumerate(HOSTILE):
        rows[index]["Actor1CountryCode"] = code                 # a valid row with a bad code
        rows[20 + index]["Actor2CountryCode"] = code
        rows[40 + index]["Actor1Code"] = rows[40 + index]["Actor1Name"] = code
        rows[60 + index]["SQLDATE"] = code                      # rejected by the reader
    raw = write_tsv(rows, tmp_path / "=cmd.tsv")
    runner = CliRunner()
    store = tmp_path / "store"
    result = runner.invoke(main, ["events", "ingest", str(raw), "--store", str(store),
                                  "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["rows_quarantined"] >= len(HOSTILE)
    written = [Path(report["files"][0]["quarantine_path"])]
    for by in ("cameo_root", "event_code"):
        out = tmp_path / f"all-{by}.csv"
        result = runner.invoke(main, ["events", "aggregate", str(store), "--by", by,
                                      "--out", str(out)])
        assert result.exit_code == 0, result.output
        written.append(out)
    out = tmp_path / "raw.csv"
    assert runner.invoke(main, ["events", "aggregate", str(raw), "--out", str(out)]
                         ).exit_code == 0
    written.append(out)
    for path in written:
        assert _formula_cells(path) == [], path
    # The hostile codes are there, neutralised (not dropped).
    prefixed = {cell for path in written for cell in _cells(path) if cell.startswith("'")}
    assert {"'=cmd|' /C calc'!A0", "'-2+3+cmd|'/C calc'!A0"} <= prefixed
    # The raw value is kept in Parquet (and in the quarantine sample in the JSON report).
    parquet = tmp_path / "all.parquet"
    assert runner.invoke(main, ["events", "aggregate", str(store), "--out", str(parquet)]
                         ).exit_code == 0
    import pyarrow.parquet as pq

    values = {v for column in pq.read_table(parquet).columns for v in column.to_pylist()}
    cells = set(_cells(written[1]))
    assert "=cmd|' /C calc'!A0" in values
    for code in HOSTILE:
        if code in values:
            assert "'" + code in cells


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+1+1", "'+1+1"), ("-1+1", "'-1+1"), ("@A1", "'@A1"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("-", "'-"), ("KAZ", "KAZ"), ("", ""),
    ("-3.2", "-3.2"), ("+1e5", "+1e5"), ("-.5", "-.5"), (-3.2, -3.2), (7, 7), (None, None),
])
def test_safe_cell(value: object, expected: object) -> None:
    assert safe_cell(value) == expected


def test_arrow_frame_and_sql_follow_safe_cell() -> None:
    import duckdb
    import pandas as pd

    from multilat._csv import safe_arrow_table, safe_frame, safe_sql

    values = ["=1+1", "-3.2", None, "KAZ", "\tq", "+1e5", "-", "@x", "-1+1"]
    expected = [safe_cell(v) for v in values]
    table = pyarrow.table({"a": values, "n": list(range(-4, 5))})
    assert safe_arrow_table(table).column("a").to_pylist() == expected
    assert safe_arrow_table(table).column("n").to_pylist() == list(range(-4, 5))
    frame = safe_frame(pd.DataFrame({"a": values, "=b": [-1.5] * len(values)}))
    assert [None if pd.isna(v) else v for v in frame["a"]] == expected
    assert list(frame.columns) == ["a", "'=b"] and frame["'=b"].tolist() == [-1.5] * 9
    con = duckdb.connect()
    con.execute("CREATE TABLE t (i INTEGER, x VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(values)))
    got = [row[0] for row in con.execute(f"SELECT {safe_sql('x')} FROM t ORDER BY i").fetchall()]
    assert got == expected


def test_indicator_csv_is_safe(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    from multilat.indicators.table import IndicatorTable, write_table

    frame = pd.DataFrame({"country": ["=cmd|' /C calc'!A0", "KAZ"], "value": [-3.2, 1.0]})
    table = IndicatorTable("macro", "KAZ", frame, "wdi", ("x.csv",))
    text = write_table(table, tmp_path / "t.csv", "csv").decode("utf-8")
    assert text.splitlines() == ["country,value", "'=cmd|' /C calc'!A0,-3.2", "KAZ,1.0"]
    records = json.loads(write_table(table, None, "json"))
    assert "=cmd|' /C calc'!A0" in json.dumps(records)
