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
