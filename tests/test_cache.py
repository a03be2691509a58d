"""The on-disk cache: what it returns equals what it saves the work of; damage is ignored."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from multilat import _cache, _validation
from multilat.bibliography import _parse_bibtex, load_bibliography
from multilat.case.schema import case_schema
from multilat.examples import example_path

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MULTILAT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(_validation, "_COMPILED", {})
    return tmp_path / "cache"


def test_off_and_default_folders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MULTILAT_CACHE_DIR", "off")
    assert _cache.cache_dir() is None
    _cache.write("k", "x", b"body")          # does nothing
    assert _cache.read("k", "x") is None
    monkeypatch.delenv("MULTILAT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert _cache.cache_dir() == tmp_path / "multilat"


def test_round_trip_and_damage(cache: Path) -> None:
    key = _cache.cache_key("a", b"b")
    assert key != _cache.cache_key("ab") and key == _cache.cache_key("a", b"b")
    _cache.write("kind", key, b"some bytes")
    assert _cache.read("kind", key) == b"some bytes"
    entry = cache / "kind" / key
    entry.write_bytes(entry.read_bytes()[:-1] + b"X")
    assert _cache.read("kind", key) is None
    entry.write_bytes(b"short")
    assert _cache.read("kind", key) is None


def test_unwritable_cache_is_quiet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("MULTILAT_CACHE_DIR", str(blocker / "sub"))
    _cache.write("kind", "key", b"x")
    assert _cache.read("kind", "key") is None


def test_cached_bibliography_equals_parsed(cache: Path) -> None:
    path = example_path("kazakhstan-eaeu").parent / "references.bib"
    first = load_bibliography(path)
    assert list((cache / "bibtex").iterdir())
    second = load_bibliography(path)        # from the cache
    fresh = _parse_bibtex(path, path.read_text(encoding="utf-8"))
    for got in (first, second):
        assert {k: dict(v) for k, v in got.entries.items()} == {
            k: dict(v) for k, v in fresh.entries.items()}
        assert dict(got.lines) == dict(fresh.lines) and got.path == fresh.path


def test_a_bad_bibliography_is_never_cached(cache: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.bib"
    bad.write_text("@article{a, title={x}, year={20x1}}\n")
    for _ in range(2):
        with pytest.raises(Exception, match="year"):
            load_bibliography(bad)
    assert not (cache / "bibtex").exists() or not list((cache / "bibtex").iterdir())


def test_cached_schema_check_behaves_the_same(cache: Path) -> None:
    schema = case_schema()
    first = _validation.compiled_validator(schema)
    assert first is not None and list((cache / "schema-check").iterdir())
    _validation._COMPILED.clear()
    second = _validation.compiled_validator(schema)
    assert second is not None and second is not first
    data = {"schema_version": 1}
    for check in (first, second):
        with pytest.raises(ValueError):
            check(data)
    # a damaged entry is regenerated
    for entry in (cache / "schema-check").iterdir():
        entry.write_bytes(b"0" * 40)
    _validation._COMPILED.clear()
    assert _validation.compiled_validator(schema) is not None


def test_second_run_imports_neither_pybtex_nor_fastjsonschema(tmp_path: Path) -> None:
    code = ("import sys\nfrom multilat import analyze, load_example\n"
            "analyze(load_example())\n"
            "print(sorted(m for m in ('pybtex', 'fastjsonschema', 'jsonschema')"
            " if m in sys.modules))")
    env = {**os.environ, "MULTILAT_CACHE_DIR": str(tmp_path / "c"),
           "PYTHONPATH": str(ROOT / "src")}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env=env, check=True, timeout=120).stdout.strip() for _ in range(2)]
    assert runs[0] == "['fastjsonschema', 'pybtex']"
    assert runs[1] == "[]"


def test_cached_yaml_equals_parsed_and_is_reused(cache: Path, monkeypatch: pytest.MonkeyPatch
                                                 ) -> None:
    from multilat import _yaml

    text = "a: 1\nb:\n  - x\n  - {c: 2.5, d: null, e: true}\n"
    fresh = _yaml.parse_yaml(text, "first.yaml", fast=False)
    first = _yaml.parse_yaml(text, "first.yaml")
    assert list((cache / "yaml").iterdir())
    monkeypatch.setattr(_yaml, "_fast", lambda *a: pytest.fail("parsed again"))
    second = _yaml.parse_yaml(text, "second.yaml")      # from the cache, under its own name
    for got in (first, second):
        assert got.data == fresh.data and dict(got.lines) == dict(fresh.lines)
        assert not got.problems
    assert second.file == "second.yaml" and second.line(("b", 1, "c")) == 4


def test_yaml_with_problems_dates_or_large_is_not_cached(cache: Path) -> None:
    from multilat import _yaml

    assert _yaml.parse_yaml("a: 1\na: 2\n", "dup.yaml").problems       # duplicate key
    _yaml.parse_yaml("when: 2020-01-01\n", "date.yaml")                 # a date: not marshal
    _yaml.parse_yaml("x: " + "y" * (_yaml.CACHE_MAX_CHARS + 1) + "\n", "big.yaml")
    assert not (cache / "yaml").exists() or not list((cache / "yaml").iterdir())
    again = _yaml.parse_yaml("a: 1\na: 2\n", "dup.yaml")
    assert again.problems and again.problems[0].line == 2


def test_each_kind_is_pruned(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_cache, "MAX_ENTRIES", 8)
    for number in range(20):
        key = _cache.cache_key(str(number))
        _cache.write("kind", key, b"x")
        if (cache / "kind" / key).exists():   # written in order (clocks tick coarsely)
            os.utime(cache / "kind" / key, ns=(number * 10**9, number * 10**9))
    kept = {entry.name for entry in (cache / "kind").iterdir()}
    assert 6 <= len(kept) <= 8
    assert _cache.cache_key("19") in kept and _cache.cache_key("0") not in kept


@pytest.mark.parametrize("style", [None, "apa", "ieee"])
def test_cached_bibliography_equals_formatted(cache: Path, monkeypatch: pytest.MonkeyPatch,
                                              style: str | None) -> None:
    pytest.importorskip("citeproc")
    from multilat.report import citations

    bibliography = load_bibliography(example_path("kazakhstan-eaeu").parent / "references.bib")
    items = dict(bibliography.entries)
    first = citations.format_references(items, {"own": "A theory's own reference."}, style)
    assert list((cache / "csl-bibliography").iterdir())
    real = citations.load_style
    monkeypatch.setattr(citations, "load_style",
                        lambda *a: pytest.fail("formatted again"))   # the cache answers
    second = citations.format_references(items, {"own": "A theory's own reference."}, style)
    assert second == first and len(first) == len(items) + 1
    key = next(iter(items))
    changed = {**items, key: {**items[key], "title": "A Title Changed Since"}}
    monkeypatch.setattr(citations, "load_style", real)
    third = citations.format_references(changed, None, style)   # another item: formatted
    assert "A Title Changed Since" in next(r.text for r in third if r.key == key)


def test_json_output_is_the_standard_librarys_data() -> None:
    import json

    from multilat import _json, analyze, load_example

    document = analyze(load_example()).to_dict()
    text = _json.dumps(document)
    assert json.loads(text) == json.loads(json.dumps(document))
    assert text.startswith('{\n  "case": ') and _json.dump_bytes(document) == text.encode()
