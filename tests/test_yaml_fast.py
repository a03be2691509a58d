"""The LibYAML read gives exactly what the pure loader gives: data, lines and problems."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from multilat import _yaml
from multilat._yaml import parse_yaml

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted({*ROOT.joinpath("src", "multilat").rglob("*.yaml"),
                *ROOT.joinpath("tests").rglob("*.yaml"), *ROOT.joinpath("tests").rglob("*.yml")})

TEXTS = [
    "a: 1\nb: [1, 2.5, true, null, 2020-01-02]\nc: {d: x}\n",
    "a: &x [1, 2]\nb: *x\n",          # an alias: the pure loader reads it
    "a: 1\na: 2\n",                   # a duplicate key: worded by the pure loader
    "a: !!python/object:os.system x\n",
    "a: [1,\n",                       # a syntax error
    "",
    "- - - 1\n- ~\n-\n",
    "? [a, b]\n: c\n",
    "k: !!int x\n",
    "k: " + "9" * 200 + "\n",
    "'1': a\n1: b\nyes: c\n",
    "a:\n  - {x: 1, y: [2, 3]}\n  - z\n" * 3,
]


def _same(text: str, name: str = "f.yaml") -> None:
    fast, pure = parse_yaml(text, name), parse_yaml(text, name, fast=False)
    # repr: the same types (1, 1.0 and True are ==) and NaN equal to NaN (a cached read has
    # its own NaN object)
    assert repr(fast.data) == repr(pure.data)
    assert dict(fast.lines) == dict(pure.lines)
    assert fast.problems == pure.problems


@pytest.mark.skipif(_yaml._CLoader is None, reason="PyYAML built without LibYAML")
@pytest.mark.parametrize("text", TEXTS)
def test_fast_read_matches_pure(text: str) -> None:
    _same(text)


@pytest.mark.skipif(_yaml._CLoader is None, reason="PyYAML built without LibYAML")
def test_fast_read_matches_pure_on_every_yaml_file() -> None:
    assert len(FILES) > 20
    for path in FILES:
        _same(path.read_text(encoding="utf-8", errors="replace"), str(path))


def test_value_bound_is_an_upper_bound() -> None:
    for text in [*TEXTS, *(p.read_text(errors="replace") for p in FILES[:40])]:
        try:
            loader = _yaml._Loader(text)
            loader.get_single_node()
        except Exception:  # noqa: BLE001 - unreadable texts have no values to count
            continue
        assert loader.nodes <= _yaml._value_bound(text)


def test_pure_path_without_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_yaml, "_CLoader", None)
    located = parse_yaml("a: [1, 2]\n", "f.yaml")
    assert located.data == {"a": [1, 2]} and located.line(("a", 1)) == 1


def test_gc_is_restored() -> None:
    assert gc.isenabled()
    parse_yaml("a: 1\n", "f.yaml")
    parse_yaml("a: [1,\n", "f.yaml")
    assert gc.isenabled()
    gc.disable()
    try:
        parse_yaml("a: 1\n", "f.yaml")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_text_over_the_bound_reads_purely(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    monkeypatch.setattr(_yaml, "_CLoader", lambda text: calls.append(text))
    monkeypatch.setattr(_yaml, "FAST_VALUE_BOUND", 1)
    assert parse_yaml("a: [1, 2]\n", "f.yaml").data == {"a": [1, 2]}
    assert calls == []
