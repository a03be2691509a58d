"""``multilat indicators``: output formats, atomic writes with backups, evidence, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from multilat.cli import main

pytest.importorskip("pandas")


def test_trade_json_records() -> None:
    result = CliRunner().invoke(main, ["indicators", "trade", "--country", "KAZ", "--years",
                                       "2015", "2015", "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert {"country", "partner", "year", "flow", "share_pct"} <= set(records[0])
    assert {r["partner"] for r in records} >= {"RUS", "CHN", "EU", "EAEU", "WORLD"}
    assert {r["flow"] for r in records} >= {"exports", "imports"}


def test_macro_json_records() -> None:
    result = CliRunner().invoke(main, ["indicators", "macro", "--country", "KAZ",
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert {"country", "indicator", "year", "value"} <= set(records[0])
    assert "NY.GDP.MKTP.KD.ZG" in {r["indicator"] for r in records}


def test_out_file_is_backed_up_and_parquet_round_trips(tmp_path: Path) -> None:
    import pandas

    target = tmp_path / "kaz.parquet"
    target.write_bytes(b"mine")
    result = CliRunner().invoke(main, ["indicators", "trade", "--country", "KAZ", "--format",
                                       "parquet", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "kaz.parquet.bak").read_bytes() == b"mine"
    assert "share_pct" in pandas.read_parquet(target).columns


def test_parquet_needs_out() -> None:
    result = CliRunner().invoke(main, ["indicators", "trade", "--country", "KAZ", "--format",
                                       "parquet"])
    assert result.exit_code == 2


def test_unknown_country_is_an_error() -> None:
    result = CliRunner().invoke(main, ["indicators", "trade", "--country", "XYZ"])
    assert result.exit_code == 1 and result.output.startswith("Error: no trade of 'XYZ'")


def test_bad_file_is_an_error_naming_the_row(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("country,partner,year,flow,value\nKAZ,WORLD,20x5,exports,1\n")
    result = CliRunner().invoke(main, ["indicators", "trade", "--country", "KAZ", "--file",
                                       str(path)])
    assert result.exit_code == 1 and "row 2" in result.output and "'20x5'" in result.output


def test_as_evidence_writes_a_layer(tmp_path: Path) -> None:
    target = tmp_path / "trade-layer.yaml"
    result = CliRunner().invoke(main, ["indicators", "trade", "--as-evidence", "default",
                                       "--out", str(target)])
    assert result.exit_code == 0, result.output
    layer = yaml.safe_load(target.read_text())
    assert layer["schema_version"] == 1 and layer["layer"] == "data"
    assert all(item["citation"]["key"] == "imf_dots" for item in layer["evidence"])


def test_every_indicators_command_has_an_example() -> None:
    runner = CliRunner()
    for command in (["trade"], ["macro"], ["evidence"], ["fetch", "worldbank"],
                    ["fetch", "imf"]):
        result = runner.invoke(main, ["indicators", *command, "--help"])
        assert result.exit_code == 0 and "Example:" in result.output


def test_same_data_twice_is_refused_not_double_counted() -> None:
    from multilat.indicators import builtin_data_dir

    dots = builtin_data_dir() / "dots"
    result = CliRunner().invoke(main, [
        "indicators", "trade", "--country", "KAZ", "--years", "2015", "2015", "--format",
        "json", "--file", str(dots / "DOTS_103.xlsx"),
        "--file", str(dots / "imf_dots_focus_reporters_2005_2020.csv.gz")])
    assert result.exit_code == 1
    assert "given 2 times" in result.output and "each flow once" in result.output


def test_truncated_gzip_is_a_located_error(tmp_path: Path) -> None:
    from multilat.indicators import builtin_data_dir

    source = builtin_data_dir() / "dots" / "imf_dots_focus_reporters_2005_2020.csv.gz"
    broken = tmp_path / "cut.csv.gz"
    broken.write_bytes(source.read_bytes()[:100])
    result = CliRunner().invoke(main, ["indicators", "trade", "--country", "KAZ",
                                       "--file", str(broken)])
    assert result.exit_code == 1
    assert str(broken) in result.output and "compressed file" in result.output


def test_partner_without_data_has_no_share_and_no_trend() -> None:
    result = CliRunner().invoke(main, ["indicators", "trade", "--country", "KAZ", "--years",
                                       "1992", "1996", "--format", "json"])
    records = [r for r in json.loads(result.output)
               if r["partner"] == "RUS" and r["flow"] == "exports"]
    by_year = {r["year"]: r for r in records}
    assert by_year[1992]["missing"] == "RUS" and by_year[1992]["share_pct"] is None
    assert by_year[1994]["trend_pp_per_year"] is None  # its window holds years without data


def test_written_files_keep_the_usual_mode(tmp_path: Path) -> None:
    import os
    import stat

    out = tmp_path / "k.json"
    CliRunner().invoke(main, ["indicators", "trade", "--country", "KAZ", "--format", "json",
                              "--out", str(out)])
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask
