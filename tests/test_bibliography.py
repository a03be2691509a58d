"""Bibliographies: every malformed file is a located BibliographyError, fast and bounded."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import multilat
from multilat import bibliography as bib
from multilat.errors import BibliographyError

GOOD_BIB = (Path(__file__).parent / "data" / "cases" / "good" / "refs.bib").read_text(
    encoding="utf-8")
GOOD_CSL = json.dumps([
    {"id": "smith2020", "type": "article-journal", "title": "A Test Article",
     "author": [{"family": "Smith", "given": "Jane"}, {"literal": "Doe Inc."}],
     "container-title": "Journal of Tests", "volume": 1, "page": "1-20",
     "issued": {"date-parts": [[2020, 3]]}},
    {"id": "roe2019", "type": "book", "title": "A Test Book", "publisher": "Test Press",
     "issued": {"literal": "forthcoming"}},
], indent=1)


def _problems(path: Path) -> list[multilat.Problem]:
    with pytest.raises(BibliographyError) as caught:
        multilat.load_bibliography(path)
    assert caught.value.problems
    return list(caught.value.problems)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("year", ["²⁰²⁰", "9" * 5000, "٢٠٢٠", "20200"])
def test_bad_years_are_located(tmp_path: Path, year: str) -> None:
    path = _write(tmp_path, "refs.bib", GOOD_BIB + f"\n@book{{odd,\n  title = {{T}},\n"
                  f"  year = {{{year}}}\n}}\n")
    [problem] = _problems(path)
    assert problem.field == "odd.year"
    assert problem.line == GOOD_BIB.count("\n") + 2
    assert "four digits" in problem.expected
    assert len(str(problem)) < 400


def test_text_year_stays_a_literal(tmp_path: Path) -> None:
    path = _write(tmp_path, "refs.bib", "@book{a, title={T}, year={forthcoming}}\n")
    assert multilat.load_bibliography(path).entries["a"]["issued"] == {"literal": "forthcoming"}


def test_string_expansion_is_bounded(tmp_path: Path) -> None:
    # Nine lines that double eight times each: 2 * 8**8 characters, were 368 MB and minutes.
    lines = ['@string{s0 = "xx"}'] + [
        f"@string{{s{i} = " + " # ".join([f"s{i - 1}"] * 8) + "}" for i in range(1, 9)]
    path = _write(tmp_path, "refs.bib", "\n".join(lines) + "\n@book{a, title=s8, year=2000}\n")
    start = time.perf_counter()
    [problem] = _problems(path)
    assert time.perf_counter() - start < 2
    assert "@string" in problem.found and problem.line is not None
    assert str(bib.MAX_MACRO_EXPANSION) in problem.expected


def test_ordinary_string_macros_still_expand(tmp_path: Path) -> None:
    path = _write(tmp_path, "refs.bib", '@string{jt = "Journal of Tests"}\n'
                  "@article{a, title={T}, journal=jt # { Quarterly}, year=2000, month=jan}\n")
    assert multilat.load_bibliography(path).entries["a"]["container-title"] == (
        "Journal of Tests Quarterly")


def test_deep_csl_json_is_a_problem(tmp_path: Path) -> None:
    path = _write(tmp_path, "refs.json", "[" * 100_000 + "]" * 100_000)
    [problem] = _problems(path)
    assert problem.line == 1 and str(bib.MAX_JSON_DEPTH) in problem.expected


def test_huge_number_in_csl_json(tmp_path: Path) -> None:
    path = _write(tmp_path, "refs.json", '[{"id": "a", "volume": ' + "9" * 5000 + "}]")
    [problem] = _problems(path)
    assert problem.expected == "valid CSL-JSON"


def test_large_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bib, "MAX_FILE_BYTES", 100)
    path = _write(tmp_path, "refs.bib", GOOD_BIB)
    [problem] = _problems(path)
    assert "bytes" in problem.found and "at most 100 bytes" in problem.expected


@pytest.mark.parametrize(("field", "value", "found"), [
    ("author", "Smith", "a string"),
    ("author", ["Smith"], "a string at [0]"),
    ("editor", [{"family": 3}], "a number at [0].family"),
    ("author", [{}], "a name without family, given or literal at [0]"),
    ("issued", "2020", "a string"),
    ("issued", {"date-parts": [["x"]]}, "the date part 'x'"),
    ("issued", {"date-parts": [[10 ** 30]]}, "the date part"),
    ("issued", {"date-parts": 2020}, "date-parts that are not one or two dates"),
    ("accessed", {}, "an object without date-parts, literal or raw"),
    ("title", ["A", "B"], "a list"),
    ("volume", True, "true/false"),
    ("page", None, "null"),
])
def test_csl_json_field_types_are_checked(tmp_path: Path, field: str, value: object,
                                          found: str) -> None:
    items = json.loads(GOOD_CSL)
    items[1][field] = value
    path = _write(tmp_path, "refs.json", json.dumps(items, indent=1))
    [problem] = _problems(path)
    assert problem.field == f"[1] roe2019.{field}"
    assert problem.found.startswith(found)
    assert problem.line == json.dumps(items, indent=1).splitlines().index('  "id": "roe2019",') + 1


def test_repeated_csl_json_id(tmp_path: Path) -> None:
    items = json.loads(GOOD_CSL)
    path = _write(tmp_path, "refs.json", json.dumps([*items, items[0]]))
    [problem] = _problems(path)
    assert "second item" in problem.found


def test_checked_csl_json_formats_without_error(tmp_path: Path) -> None:
    pytest.importorskip("citeproc")
    from multilat.report.citations import format_references

    items = json.loads(GOOD_CSL)
    items[0]["issued"] = {"date-parts": [["2020", "3", "1"], [2021]]}
    items[1]["author"] = [{"given": "Only"}, {"family": "Van", "non-dropping-particle": "de",
                                              "comma-suffix": True}]
    items[1]["accessed"] = {"raw": "2020-01-01"}
    path = _write(tmp_path, "refs.json", json.dumps(items))
    loaded = multilat.load_bibliography(path)
    references = format_references(dict(loaded.entries))
    assert [r.key for r in references] and all(r.text for r in references)


# ---- property tests: whatever the bytes, load_bibliography returns or raises this error ----

def _mutate(text: str, data: st.DataObject) -> str:
    pieces = st.sampled_from(["{", "}", "@", "#", '"', ",", "=", "\r", "\n", "\x00", "²", "9" * 60,
                              "[", "]", ":", "null", "-1", "@string{x = x # x}", "\\", "ÿ",
                              "\ud7ff", "{{{{", "author = ", "year = {٣}", "true", "1e999"])
    for _ in range(data.draw(st.integers(1, 6))):
        position = data.draw(st.integers(0, len(text)))
        action = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        if action == "insert":
            text = text[:position] + data.draw(pieces) + text[position:]
        elif action == "delete":
            end = data.draw(st.integers(position, min(len(text), position + 20)))
            text = text[:position] + text[end:]
        else:
            text = text[:position] + data.draw(st.text(max_size=3)) + text[position + 1:]
    return text


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
@pytest.mark.parametrize(("name", "text"), [("refs.bib", GOOD_BIB), ("refs.json", GOOD_CSL)])
def test_mutated_bibliographies(tmp_path: Path, name: str, text: str,
                                data: st.DataObject) -> None:
    path = tmp_path / name
    path.write_text(_mutate(text, data), encoding="utf-8", errors="surrogatepass")
    try:
        loaded = multilat.load_bibliography(path)
    except BibliographyError as error:
        assert error.problems
        return
    for item in loaded.entries.values():
        assert isinstance(item["id"], str | int)
