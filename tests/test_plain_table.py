"""The CLI's plain tables (no Rich import when piped) are byte for byte what Rich prints."""

from __future__ import annotations

import random

import pytest

from multilat.cli._common import _is_text, plain_table, rich_table

WORDS = ["By year", "By period", "Kazakhstan", "theory kpr 2.0", "Québec", "São Paulo",
         "P(favorable)", "hold_up", "invest 0.68", "—", "2009-2013", "x", "items", "Ærø"]


def _cell(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.4:
        return f"{rng.uniform(-5, 5):.{rng.randint(0, 3)}f}"
    if kind < 0.6:
        return str(rng.randint(0, 10 ** rng.randint(1, 6)))
    if kind < 0.9:
        return rng.choice(WORDS)
    return rng.choice(["", "–", "a b", "tie"])


def _table(rng: random.Random) -> tuple[str, list[str], list[list[str]]]:
    width = rng.randint(2, 8)
    columns = [rng.choice(["", *WORDS]) for _ in range(width)]
    rows = [[_cell(rng) for _ in range(width)] for _ in range(rng.randint(1, 12))]
    title = "\n".join(rng.choice(["By year", "By period", "Q", "Ærø — x"])
                      for _ in range(rng.randint(1, 2)))
    return title, columns, rows


def test_plain_tables_are_rich_s(capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    rng = random.Random(7)
    compared = 0
    for _ in range(400):
        title, columns, rows = _table(rng)
        text = [_is_text([r[i] for r in rows]) for i in range(len(columns))]
        plain = plain_table(title, columns, rows, text)
        if plain is None:
            continue
        rich_table(title, columns, rows, terminal=False)
        assert capsys.readouterr().out == plain, (title, columns, rows)
        compared += 1
    assert compared > 200


def test_what_only_rich_lays_out() -> None:
    rows = [["a", "1"]]
    assert plain_table("t", ["x", "y"], rows, [False, False]) is not None
    assert plain_table("t", ["x", "y"], [["[bold]a[/bold]", "1"]], [False, False]) is None
    assert plain_table("t", ["x", "y"], [[":smile:", "1"]], [False, False]) is None
    assert plain_table("a title wider than the table", ["x", "y"], rows, [False, False]) is None
    assert plain_table("t", ["x", "y"], rows, [True, False]) is None   # a column that wraps
    assert plain_table("t", ["x", "y"], [["中文", "1"]], [False, False]) is None
    assert plain_table("t", ["x", "y"], [], [False, False]) is None
