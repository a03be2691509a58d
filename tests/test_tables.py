"""Terminal tables keep every number and every list item whole, at 80 columns and piped."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import multilat
from multilat.cli import main
from multilat.cli._common import print_table

SRC = str(Path(multilat.__file__).resolve().parents[1])
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _words(output: str) -> set[str]:
    return {word.strip(",;") for word in output.split()}


def _whole(expected: set[str], output: str) -> None:
    """Every expected item appears whole, and none appears cut (a prefix left on a line)."""
    words = _words(output)
    assert expected <= words, sorted(expected - words)
    cut = {w for w in words - expected if ("_" in w or "-" in w)
           and any(e.startswith(w) and e != w for e in expected)}
    assert not cut, sorted(cut)


def test_lists_wrap_between_items_and_values_stay_whole(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    changed = "leave_one_out, smallest_flip_sets, contrary_prior, drop_kind, drop_source"
    rows = [["balance_of_outside_options", "0.59", "NO", changed],
            ["indispensability", "0.86", "yes", "-"]]
    print_table("t", ["conclusion", "P", "survives LOO", "changed by"], rows)
    output = capsys.readouterr().out
    assert "…" not in output
    assert all(len(line) <= 80 for line in output.splitlines())  # the list wrapped
    words = _words(output)
    for row in rows:
        for cell in row:
            assert set(cell.replace(",", "").split()) <= words, cell
    assert sum("smallest_flip_sets" in line for line in output.splitlines()) == 1


def test_value_columns_wider_than_the_screen_grow_the_table(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    ids = [f"item-number-{i}-with-a-long-identifier" for i in range(3)]
    print_table("t", ["id", "weight", "note"],
                [[i, f"{-1.234 * n:+.3f}", "a note of several words that wraps"]
                 for n, i in enumerate(ids)])
    output = capsys.readouterr().out
    assert "…" not in output
    assert all(i in output for i in ids) and "-2.468" in output


def _check_words() -> tuple[set[str], list[str]]:
    """The items and names a check table must show whole, from the JSON."""
    document = json.loads(CliRunner().invoke(main, ["check", "--format", "json"]).output)
    expected: set[str] = set()
    numbers = []
    for conclusion in document["conclusions"]:
        expected |= set(conclusion["changed_by"]) | set(conclusion["pivotal"])
        numbers.append(f"{conclusion['probability']:.2f}")
    return expected, numbers


@pytest.mark.parametrize("columns", ["80", None])
def test_piped_check_keeps_every_item_whole(columns: str | None) -> None:
    expected, numbers = _check_words()
    result = CliRunner().invoke(main, ["check"], env={"COLUMNS": columns})
    assert result.exit_code == 0, result.output
    assert "…" not in result.output
    _whole(expected, result.output)
    body = result.output
    assert all(number in body for number in numbers)


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize("command", [["check"], ["analyze"],
                                     ["explain", "--variable", "balance_of_outside_options",
                                      "--year", "2013"]])
def test_on_an_80_column_terminal_nothing_is_cut(command: list[str]) -> None:
    primary, secondary = os.openpty()
    env = {**os.environ, "COLUMNS": "80", "LINES": "40", "PYTHONPATH": SRC,
           "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen([sys.executable, "-m", "multilat", *command], stdout=secondary,
                               stderr=secondary, stdin=subprocess.DEVNULL, env=env)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    assert process.wait(timeout=300) == 0
    output = ANSI.sub("", b"".join(chunks).decode("utf-8"))
    assert "━" in output  # the terminal layout (Rich's box), not the piped one
    assert "…" not in output
    if command == ["check"]:
        expected, _ = _check_words()
        _whole(expected, output)


def test_brackets_in_cells_are_text_not_markup(capsys: pytest.CaptureFixture[str]) -> None:
    # A case's title, ids, summaries and citations are the user's text: "[/b]" would be a
    # closing tag that crashes Rich, "[red]...[/red]" would vanish into a style.
    print_table("case [/b]", ["item [sic]", "P"],
                [["[/bold] the source's [sic]", "0.5"], ["[red]hidden?[/red]", "1"]])
    output = capsys.readouterr().out
    for text in ("case [/b]", "item [sic]", "[/bold] the source's [sic]",
                 "[red]hidden?[/red]"):
        assert text in output
