"""Hostile YAML texts: every one comes back as located problems, fast, never an exception."""

from __future__ import annotations

import time

import pytest

from multilat import _yaml
from multilat._yaml import parse_yaml


def _bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


HOSTILE = {
    "nul": ("a: b\x00c\n", 1, "U+0000"),
    "control": ("a: 1\nb: x\x07y\n", 2, "U+0007"),
    "del": ("a: b\x7f\n", 1, "U+007F"),
    "fffe": ("a: b\ufffe\n", 1, "U+FFFE"),
    "ffff": ("a: b\uffff\n", 1, "U+FFFF"),
    "escape": ("a: \x1b[31mred\n", 1, "U+001B"),
    "recursive alias": ("a: &a [*a]\n", 1, "recursive alias"),
    "recursive mapping alias": ("a: &a {b: *a}\n", 1, "recursive alias"),
    "deep flow": ("a: " + "[" * 1000 + "]" * 1000 + "\n", 1, "nested more than 100"),
    "deep block": ("".join("  " * i + f"k{i}:\n" for i in range(300)) + "  " * 300 + "x: 1\n",
                   100, "nested more than 100"),
    "5000-digit integer": ("a: " + "9" * 5000 + "\n", 1, "a number too large"),
    "integer beyond 10^18": ("a: 1" + "0" * 19 + "\n", 1, "a number too large"),
    "hex beyond 10^18": ("a: 0x" + "f" * 40 + "\n", 1, "a number too large"),
    "negative beyond 10^18": ("a: -1" + "0" * 19 + "\n", 1, "a number too large"),
    "long float": ("a: 0." + "1" * 200 + "\n", 1, "a number too large"),
    "!!timestamp x": ("a: !!timestamp x\n", 1, "tagged !!timestamp"),
    "!!bool x": ("a: !!bool x\n", 1, "tagged !!bool"),
    "!!int x": ("a: !!int x\n", 1, "tagged !!int"),
    "!!float x": ("a: !!float x\n", 1, "tagged !!float"),
    "!!null x": ("b: 1\na: !!null x\n", 2, "tagged !!null"),
    "bad implicit date": ("a: 2020-13-45\n", 1, "tagged !!timestamp"),
    "!!python/object": ("a: !!python/object:os.system {cmd: ls}\n", 1, "!!python/object"),
    "!!python/name": ("a: !!python/name:os.system ''\n", 1, "!!python/name"),
    "!!python/object/apply seq": ("a: !!python/object/apply:os.system [ls]\n", 1,
                                  "!!python/object/apply"),
    "local tag": ("a: !foo bar\n", 1, "!foo"),
    "local tag on a key": ("!foo a: bar\n", 1, "!foo"),
    "!!binary": ("a: !!binary aGk=\n", 1, "!!binary"),
    "!!set": ("a: !!set {x, y}\n", 1, "!!set"),
    "!!omap": ("a: !!omap [x: 1]\n", 1, "!!omap"),
    "merge key": ("b: &b {x: 1}\na: {<<: *b}\n", 2, "merge key"),
    "list as key": ("? [1, 2]\n: x\n", 1, "a list as a key"),
    "mapping as key": ("{a: 1}: x\n", 1, "a mapping as a key"),
    "billion laughs": (_bomb(), 1, "aliases copying more than"),
    "many aliases": ("x: &x 1\nl: [" + ", ".join(["*x"] * 10_001) + "]\n", 2,
                     "more than 10000 aliases"),
    "undefined alias": ("a: *nowhere\n", 1, "undefined alias"),
    "two documents": ("a: 1\n---\nb: 2\n", 2, "another document"),
    "syntax": ("a: [1, 2\n", 2, "YAML syntax error"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_text_is_a_located_problem(name: str) -> None:
    text, line, found = HOSTILE[name]
    started = time.perf_counter()
    located = parse_yaml(text, "hostile.yaml")
    assert time.perf_counter() - started < 5
    assert located.problems, name
    assert any(found in p.found and p.line == line for p in located.problems), [
        str(p) for p in located.problems]
    for problem in located.problems:
        assert problem.file == "hostile.yaml" and problem.found and problem.expected


def test_too_many_values_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_yaml, "MAX_NODES", 50)
    located = parse_yaml("a: [" + "1, " * 60 + "1]\n", "big.yaml")
    assert [p.found for p in located.problems] == ["more than 50 values"]


def test_a_text_past_the_size_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_yaml, "MAX_FILE_BYTES", 100)
    located = parse_yaml("a: " + "x" * 200 + "\n", "big.yaml")
    assert "characters" in located.problems[0].found
    assert "at most 100" in located.problems[0].expected


def test_a_file_past_the_size_limit_is_refused_before_reading(tmp_path) -> None:
    from multilat._files import read_text

    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 200 + "\n")
    problem = read_text(path, "a case file (YAML)", max_bytes=100)
    assert not isinstance(problem, str)
    assert problem.found == "a file of 204 bytes" and "at most 100 bytes" in problem.expected


def test_ordinary_values_and_aliases_still_read() -> None:
    located = parse_yaml("c: &c {key: x, pages: 3}\nitems: [*c, *c]\nn: 1000000000000000000\n"
                         "f: 1.5e300\nd: 2020-01-02\nyes: on\n1: one\n", "ok.yaml")
    assert not located.problems
    assert located.data["items"] == [{"key": "x", "pages": 3}] * 2
    assert located.data["items"][0] is not located.data["items"][1]
    assert located.data["n"] == 10**18
    # Keys are text, as written.
    assert located.data["yes"] is True and located.data["1"] == "one"
    assert located.line(("items", 1, "pages")) == 1


def test_a_key_twice_after_writing_it_as_text_is_a_duplicate() -> None:
    located = parse_yaml('1: a\n"1": b\n', "dup.yaml")
    assert [p.found for p in located.problems] == ["a second '1' key"]
    assert located.problems[0].line == 2
