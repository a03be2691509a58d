"""SetTable: reading R-style CSVs with located errors, writing them back."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from multilat.errors import DataSourceError, InputError
from multilat.sets import SetTable

LF = Path(__file__).parent.parent / "data" / "qca" / "LF.csv"


def _write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_lf_as_r_writes_it() -> None:
    table = SetTable.from_csv(LF)
    assert table.names == ("DEV", "URB", "LIT", "IND", "STB", "SURV")
    assert len(table.cases) == 18 and table.cases[:3] == ("AU", "BE", "CZ")
    assert table.column("DEV")[0] == 0.81
    assert repr(table).startswith("SetTable(18 cases x 6 sets")


def test_reads_what_r_write_csv_writes(tmp_path: Path) -> None:
    # write.csv(LF[1:2, c("DEV", "SURV")]) quotes the names and the empty corner cell.
    text = '"","DEV","SURV"\r\n"AU",0.81,0.05\r\n"BE",0.99,0.95\r\n'
    table = SetTable.from_csv(_write(tmp_path, text))
    assert table.cases == ("AU", "BE") and table.names == ("DEV", "SURV")
    assert table.column("SURV").tolist() == [0.05, 0.95]


def test_header_may_name_the_case_column(tmp_path: Path) -> None:
    table = SetTable.from_csv(_write(tmp_path, "case,A,B\nx,0,1\ny,0.25,0.75\n"))
    assert table.cases == ("x", "y") and table.column("B").tolist() == [1.0, 0.75]


def test_round_trip(tmp_path: Path) -> None:
    table = SetTable.from_csv(LF)
    out = tmp_path / "copy.csv"
    assert table.to_csv(out) is None
    again = SetTable.from_csv(out)
    assert again.cases == table.cases and again.names == table.names
    for name in table.names:
        assert np.array_equal(again.column(name), table.column(name))
    assert out.read_text().splitlines()[0] == ",DEV,URB,LIT,IND,STB,SURV"
    # Writing again keeps the previous file as a backup.
    first = out.read_text()
    backup = table.with_column("X", [0.5] * 18).to_csv(out)
    assert backup is not None and backup.read_text() == first
    assert SetTable.from_csv(out).names[-1] == "X"


def test_columns_are_read_only() -> None:
    table = SetTable(["a"], {"X": [0.3]})
    with pytest.raises(ValueError):
        table.column("X")[0] = 1.0


def test_csv_cells_that_look_like_formulas_are_neutralised(tmp_path: Path) -> None:
    table = SetTable(["=cmd()", "b"], {"+X": [0.1, 0.9]})
    text = table.to_csv_text()
    assert text.splitlines() == [",'+X", "'=cmd(),0.1", "b,0.9"]


@pytest.mark.parametrize(("text", "row", "column", "found"), [
    (",A,B\nx,0.2,abc\n", 2, "B", "'abc'"),
    (",A,B\nx,0.2,\n", 2, "B", "an empty cell"),
    (",A,B\nx,0.2,1.5\n", 2, "B", "1.5"),
    (",A,B\nx,0.2,0.3\ny,-0.1,0.3\n", 3, "A", "-0.1"),
    (",A,B\nx,NaN,0.3\n", 2, "A", "'NaN' (a missing value)"),
    (",A,B\nx,0.1,NA\n", 2, "B", "'NA' (a missing value)"),
    (",A,B\nx,0.1,nan(1)\n", 2, "B", "'nan(1)'"),
    (",A,B\nx,0.2\n", 2, None, "2 fields"),
    (",A,B\nx,0.2,0.3\nx,0.1,0.3\n", 3, None, "the case 'x' again (first on line 2)"),
    (",A,A\nx,0.2,0.3\n", 1, "A", "the column 'A' twice"),
    (",A,\nx,0.2,0.3\n", 1, None, "an empty name in column 3"),
    (",A\n,0.2\n", 2, None, "an empty case name"),
    (",A\n", 1, None, "a header and no cases"),
    ("case\nx\n", 1, None, "a header with one column"),
])
def test_located_errors(tmp_path: Path, text: str, row: int, column: str | None,
                        found: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(DataSourceError) as caught:
        SetTable.from_csv(path)
    error = caught.value
    assert (error.file, error.row, error.column) == (str(path), row, column)
    assert error.found.startswith(found)
    assert str(error).startswith(f"{path} row {row}")


def test_empty_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match="an empty file"):
        SetTable.from_csv(_write(tmp_path, "\n\n"))
    with pytest.raises(DataSourceError, match="no such file"):
        SetTable.from_csv(tmp_path / "missing.csv")
    with pytest.raises(DataSourceError, match="a folder"):
        SetTable.from_csv(tmp_path)
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b",A\nx,\xff\xfe\n")
    with pytest.raises(DataSourceError, match="not UTF-8"):
        SetTable.from_csv(binary)


def test_constructor_checks() -> None:
    with pytest.raises(InputError, match="cases: found 'a' twice"):
        SetTable(["a", "a"], {"X": [0.1, 0.2]})
    with pytest.raises(InputError, match=r"columns\['X'\]: found 1 values; expected 2"):
        SetTable(["a", "b"], {"X": [0.1]})
    with pytest.raises(InputError, match=r"columns\['X'\]: found 2.0 at position 2"):
        SetTable(["a", "b"], {"X": [0.1, 2.0]})


def test_unknown_column_suggests() -> None:
    table = SetTable.from_csv(LF)
    with pytest.raises(InputError, match=r"found 'dev'.*did you mean 'DEV'"):
        table.column("dev")
    with pytest.raises(InputError, match=r"did you mean 'SURV'"):
        table.column("SUVR")
