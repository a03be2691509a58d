"""Expressions in R QCA notation: parsing, canonical text, memberships, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from multilat.errors import InputError
from multilat.sets import Expression, SetTable, parse_expression

NAMES = ["A", "B", "C", "DEV", "x.1"]
TABLE = SetTable(["p", "q", "r"], {"A": [0.2, 0.8, 1.0], "B": [0.6, 0.3, 0.0],
                                   "C": [0.9, 0.1, 0.5], "DEV": [0, 1, 0.4],
                                   "x.1": [0.3, 0.3, 0.3]})


@pytest.mark.parametrize(("text", "canonical"), [
    ("A*~B + C", "A*~B + C"),
    ("A*~B+C", "A*~B + C"),
    ("  A * ~B  +  C ", "A*~B + C"),
    ("~(A+B)", "~(A + B)"),
    ("~~A", "A"),
    ("(A*B)*C", "A*B*C"),
    ("A*B*A + B*A*A", "A*B + B*A"),
    ("A + A", "A"),
    ("A + (B + C)", "A + B + C"),
    ("(A + B)*C", "(A + B)*C"),
    ("~(A*B) + x.1", "~(A*B) + x.1"),
    ("DEV*~(B + ~C)", "DEV*~(B + ~C)"),
])
def test_canonical_text(text: str, canonical: str) -> None:
    parsed = parse_expression(text, NAMES)
    assert str(parsed) == canonical
    assert parse_expression(str(parsed), NAMES) == parsed
    assert repr(parsed) == f"Expression({canonical!r})"


def test_terms_and_sets() -> None:
    parsed = parse_expression("DEV*~B + A*C + C", NAMES)
    assert [str(t) for t in parsed.terms] == ["DEV*~B", "A*C", "C"]
    assert parsed.sets == ("DEV", "B", "A", "C")
    single = parse_expression("A*~B", NAMES)
    assert single.terms == (single,)
    assert single.to_dict() == {"expression": "A*~B", "terms": ["A*~B"], "sets": ["A", "B"]}


def test_fuzzy_membership() -> None:
    a, b, c = (TABLE.column(n) for n in "ABC")
    assert np.allclose(parse_expression("A*~B + C", NAMES).membership(TABLE),
                       np.maximum(np.minimum(a, 1 - b), c))
    assert np.allclose(parse_expression("~(A + B)", NAMES).membership(TABLE),
                       1 - np.maximum(a, b))
    assert np.allclose(parse_expression("A*B*C", NAMES).membership(TABLE),
                       [0.2, 0.1, 0.0])


@pytest.mark.parametrize(("text", "message"), [
    ("A*", "found the end of the text at column 3 of 'A\\*'"),
    ("A + * B", "found '\\*' at column 5"),
    ("(A + B", "found the end of the text at column 7 .*closing parenthesis for the one "
               "at column 1"),
    ("A + B)", "found '\\)' at column 6 .*opening parenthesis"),
    ("A B", "found 'B' at column 3 .*\\* or \\+ between sets"),
    ("A & B", "found '&' at column 3"),
    ("", "found an empty text"),
    ("   ", "found an empty text"),
    ("A*DEVV", "found the set 'DEVV' at column 3 .*did you mean 'DEV'"),
    ("a", "found the set 'a' at column 1 .*did you mean 'A'"),
    ("A[1]", "found '\\[' at column 2"),
])
def test_errors_name_the_column(text: str, message: str) -> None:
    with pytest.raises(InputError, match="^expression: " + message):
        parse_expression(text, NAMES)


def test_depth_and_length_are_bounded() -> None:
    with pytest.raises(InputError, match="nested"):
        parse_expression("~" * 500 + "A", NAMES)
    with pytest.raises(InputError, match="characters"):
        parse_expression("A+" * 6000 + "A", NAMES)
    with pytest.raises(InputError, match="expected text"):
        parse_expression(3, NAMES)  # type: ignore[arg-type]


def test_any_name_without_a_list() -> None:
    assert parse_expression("FOO*~bar").sets == ("FOO", "bar")


def test_builders() -> None:
    a, b = Expression.set("A"), Expression.set("B")
    assert str(Expression.any_of([Expression.all_of([a, b.negate()]), b])) == "A*~B + B"
    assert a.negate().negate() == a


names = st.sampled_from(["A", "B", "C"])


def _expressions() -> st.SearchStrategy[str]:
    return st.recursive(names, lambda inner: st.one_of(
        st.builds(lambda x: f"~{x}", inner),
        st.builds(lambda x, y: f"({x})*({y})", inner, inner),
        st.builds(lambda x, y: f"{x} + {y}", inner, inner)), max_leaves=8)


@given(_expressions())
def test_canonical_text_reparses_to_the_same_memberships(text: str) -> None:
    parsed = parse_expression(text, NAMES)
    again = parse_expression(str(parsed), NAMES)
    assert again == parsed
    values = parsed.membership(TABLE)
    assert np.all((values >= 0) & (values <= 1))
    # De Morgan: ~(X) is 1 - X.
    assert np.allclose(parse_expression(f"~({text})", NAMES).membership(TABLE), 1 - values)
