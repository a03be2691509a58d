"""Hostile input: mutated membership files and random expression texts load or fail with
multilat's own errors (located), never with any other exception."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from multilat.errors import DataSourceError, InputError
from multilat.sets import SetTable, fit, parse_expression, truth_table

LF = (Path(__file__).parent.parent / "data" / "qca" / "LF.csv").read_bytes()
HOSTILE = [b"\x00", b"\xff", b'"', b",", b"\r", b"nan", b"-0.1", b"1e999", b"=1+1", b"0.5",
           b"\n", b"\xef\xbb\xbf", b"inf", b"1,2,3", b"" + b"9" * 400]


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    data = LF
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "insert", "delete_line", "double_line"]))
        if kind == "flip":
            at = draw(st.integers(0, len(data) - 1))
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]
        elif kind == "insert":
            at = draw(st.integers(0, len(data)))
            data = data[:at] + draw(st.sampled_from(HOSTILE)) + data[at:]
        else:
            lines = data.split(b"\n")
            at = draw(st.integers(0, len(lines) - 1))
            lines[at:at + 1] = [] if kind == "delete_line" else [lines[at], lines[at]]
            data = b"\n".join(lines)
    return data


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_mutated())
def test_mutated_membership_files(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "mutated.csv"
    path.write_bytes(data)
    try:
        table = SetTable.from_csv(path)
    except DataSourceError as error:
        assert error.file == str(path) and error.found and error.expected
        return
    # What loads can be analysed, or is refused with an InputError (e.g. a 0.5 membership).
    try:
        if "SURV" in table.names and "DEV" in table.names:
            fit(table, "SURV", "DEV")
            truth_table(table, "SURV")
    except InputError:
        pass


TEXT = st.text(alphabet=st.sampled_from(list("AB~*+() \t.x_1[]&|-")), max_size=40)


@given(TEXT)
def test_random_expressions(text: str) -> None:
    try:
        parsed = parse_expression(text, ["A", "B", "x", "x_1", "A.B"])
    except InputError as error:
        assert str(error).startswith("expression: found ")
        return
    assert parse_expression(str(parsed), ["A", "B", "x", "x_1", "A.B"]) == parsed
