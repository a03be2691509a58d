"""Carriage returns in event files: located errors (file, line) or rows quarantined by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from multilat.errors import DataSourceError
from multilat.events import aggregate, ingest

from .conftest import GDELT_FILES, ICEWS_FILE, write_tsv

pytest.importorskip("duckdb")


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().split(b"\n")


def test_one_crlf_row_in_a_tsv_is_located(tmp_path: Path) -> None:
    lines = _lines(ICEWS_FILE)
    lines[3] += b"\r"
    path = tmp_path / "events.tab"
    path.write_bytes(b"\n".join(lines))
    for run in (lambda: ingest([path], tmp_path / "store"), lambda: aggregate([path])):
        with pytest.raises(DataSourceError) as caught:
            run()
        assert caught.value.row == 4 and caught.value.file == str(path)
        assert "CRLF" in caught.value.found and "LF" in caught.value.expected


def test_bare_cr_inside_a_tsv_row_is_located(tmp_path: Path) -> None:
    lines = _lines(ICEWS_FILE)
    lines[5] = lines[5].replace(b"\t", b"\r\t", 1)
    path = tmp_path / "events.tab"
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(DataSourceError) as caught:
        ingest([path], tmp_path / "store")
    assert caught.value.row == 6 and "carriage return" in caught.value.found


@pytest.mark.parametrize("where", [0, "all"])
def test_bare_cr_in_the_first_line_is_located(tmp_path: Path, where: object) -> None:
    text = GDELT_FILES[0].read_bytes()
    if where == "all":
        text = text.replace(b"\n", b"\r")
    else:
        first, rest = text.split(b"\n", 1)
        text = first.replace(b",", b",\r", 1) + b"\n" + rest
    path = tmp_path / "events.csv"
    path.write_bytes(text)
    with pytest.raises(DataSourceError) as caught:
        ingest([path], tmp_path / "store")
    assert caught.value.row == 1 and "carriage return" in caught.value.found


def test_bare_cr_in_a_later_csv_row_quarantines_by_line(tmp_path: Path) -> None:
    lines = _lines(GDELT_FILES[0])[:30]
    lines[3] = lines[3].replace(b",", b",\r", 1)
    path = tmp_path / "events.csv"
    path.write_bytes(b"\n".join(lines) + b"\n")
    result = ingest([path], tmp_path / "store")
    # DuckDB reads the CR as a line break: both halves are quarantined, by line.
    assert result.rows_quarantined == 2 and result.rows_ingested == 28
    assert [row["line"] for row in result.files[0].sample] == [4, 5]


def test_crlf_files_and_crlf_gdelt_rows_are_read(tmp_path: Path,
                                                 gdelt_rows: list[dict[str, str]]) -> None:
    path = write_tsv(gdelt_rows[:30], tmp_path / "all-crlf.tsv")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert ingest([path], tmp_path / "store").rows_ingested == 30
