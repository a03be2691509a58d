"""`multilat events ingest|aggregate|sql|info` from the command line."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from multilat.cli import main

from .conftest import GDELT_FILES, write_tsv


def test_ingest_reports_counts_as_json(tmp_path: Path, gdelt_rows: list[dict[str, str]]) -> None:
    rows = [dict(r) for r in gdelt_rows[:50]]
    rows[7]["SQLDATE"] = "2012-08-01"             # not YYYYMMDD: rejected by the reader
    raw = write_tsv(rows, tmp_path / "x.tsv")
    result = CliRunner().invoke(main, ["events", "ingest", str(raw), "--store",
                                       str(tmp_path / "store"), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["rows_ingested"], report["rows_quarantined"]) == (49, 1)
    assert report["quarantine_path"] == str(tmp_path / "store" / "quarantine")
    quarantine = Path(report["files"][0]["quarantine_path"])
    with quarantine.open(encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["line"] == "8" and "2012-08-01" in row["problem"]


def test_aggregate_writes_csv_and_parquet_keeping_a_backup(tmp_path: Path) -> None:
    runner = CliRunner()
    store = tmp_path / "store"
    assert runner.invoke(main, ["events", "ingest", *map(str, GDELT_FILES), "--store",
                                str(store)]).exit_code == 0
    out = tmp_path / "kaz.csv"
    out.write_text("the user's own file\n", encoding="utf-8")
    result = runner.invoke(main, ["events", "aggregate", str(store), "--country", "kaz",
                                  "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "kaz.csv.bak").read_text(encoding="utf-8") == "the user's own file\n"
    with out.open(encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert table and all("KAZ" in (r["source_country"], r["target_country"]) for r in table)
    assert {"year", "source_country", "target_country", "cameo_root", "events", "mentions",
            "goldstein_mean"} <= set(table[0])
    parquet = tmp_path / "all.parquet"
    result = runner.invoke(main, ["events", "aggregate", str(store), "--by", "quad_class",
                                  "--out", str(parquet), "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.output)["rows"] > 0
    assert parquet.read_bytes()[:4] == b"PAR1"


def test_aggregate_from_raw_files_warns_about_unreadable_rows(
        tmp_path: Path, gdelt_rows: list[dict[str, str]]) -> None:
    rows = [dict(r) for r in gdelt_rows[:20]]
    rows[3]["GLOBALEVENTID"] = "x"
    raw = write_tsv(rows, tmp_path / "x.tsv")
    result = CliRunner().invoke(main, ["events", "aggregate", str(raw), "--out",
                                       str(tmp_path / "a.csv")])
    assert result.exit_code == 0
    assert "Warning: 1 row of the raw files could not be read and is not counted" in result.output


def test_bad_options_are_usage_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["events", "aggregate", str(GDELT_FILES[0]), "--out",
                                  str(tmp_path / "a.xlsx")])
    assert result.exit_code == 2 and "expected .csv or .parquet" in result.output
    result = runner.invoke(main, ["events", "aggregate", str(GDELT_FILES[0]), "--years",
                                  "2014", "2010", "--out", str(tmp_path / "a.csv")])
    assert result.exit_code == 2 and "expected FIRST <= LAST" in result.output
    result = runner.invoke(main, ["events", "aggregate", str(tmp_path / "missing.csv"),
                                  "--out", str(tmp_path / "a.csv")])
    assert result.exit_code == 1
    assert "missing.csv: found no such file; expected an event file" in result.output
    assert not (tmp_path / "a.csv").exists()


def test_the_library_s_parameter_names_become_the_command_s_flags(tmp_path: Path) -> None:
    """The library names its parameters (``countries: found ...``); the CLI its flags."""
    runner = CliRunner()
    store = tmp_path / "store"
    assert runner.invoke(main, ["events", "ingest", str(GDELT_FILES[0]), "--store",
                                str(store)]).exit_code == 0
    result = runner.invoke(main, ["events", "aggregate", str(store), "--country", "kz",
                                  "--out", str(tmp_path / "a.csv")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: --country: found 'kz'; expected a 3-letter")
    result = runner.invoke(main, ["events", "aggregate", str(store), str(GDELT_FILES[0]),
                                  "--out", str(tmp_path / "a.csv")])
    assert result.exit_code == 1 and result.output.startswith("Error: PATH: found ")
    result = runner.invoke(main, ["events", "ingest", str(GDELT_FILES[0]), "--store",
                                  str(tmp_path / "other"), "--memory-limit", "lots"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: --memory-limit: found 'lots'; expected a size")


def test_sql_prints_both_dialects() -> None:
    runner = CliRunner()
    duck = runner.invoke(main, ["events", "sql"]).output
    spark = runner.invoke(main, ["events", "sql", "--engine", "spark"]).output
    assert duck.startswith("WITH cells AS") and "`rows`" in spark and '"rows"' in duck


def test_info_lists_the_store(tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(main, ["events", "ingest", str(GDELT_FILES[0]), "--store",
                         str(tmp_path / "s")])
    info = json.loads(runner.invoke(main, ["events", "info", str(tmp_path / "s")]).output)
    assert info["rows"] == 1255 and info["files"][0]["name"] == GDELT_FILES[0].name
