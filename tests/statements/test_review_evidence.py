"""The review CSV, accepted rows into a statements layer, and the built-in case's layer."""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from multilat import analyze
from multilat.case import Case, load_case
from multilat.case.io import validate_case
from multilat.errors import DataSourceError
from multilat.examples import example_path
from multilat.statements import (
    candidates_csv,
    dictionary_for_case,
    evidence_from_review,
    read_corpus,
    read_review,
    score_corpus,
)
from multilat.statements.to_evidence import fit_quote


def _review(tmp_path: Path, builtin: Case, corpus: Path) -> Path:
    documents = read_corpus([corpus], actors=["KAZ"], years=(2014, 2019))
    candidates = score_corpus(documents, dictionary_for_case(builtin), min_score=3)
    path = tmp_path / "candidates.csv"
    path.write_text(candidates_csv(candidates), encoding="utf-8")
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    fields = list(dict.fromkeys(key for row in rows for key in row))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, restval="")
        writer.writeheader()
        writer.writerows(rows)


def _decide(path: Path, decide: dict[int, dict[str, str]]) -> None:
    rows = _rows(path)
    for index, changes in decide.items():
        rows[index].update(changes)
    _write(path, rows)


def test_the_review_file_has_the_columns_and_exact_quotes(builtin: Case, corpus: Path,
                                                          tmp_path: Path) -> None:
    path = _review(tmp_path, builtin, corpus)
    rows = read_review(path)
    assert rows and all(r.decision is None for r in rows)
    header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert header[:6] == ["rank", "file", "start", "end", "score", "quote"]
    assert {"variable", "level", "matched", "kwic", "decision"} <= set(header)
    for row in rows:
        text = Path(row.get("file")).read_bytes().decode("utf-8")
        assert text[int(row.get("start")):int(row.get("end"))] == row.get("quote")


def test_accepted_rows_become_statement_items(builtin: Case, corpus: Path,
                                              tmp_path: Path) -> None:
    path = _review(tmp_path, builtin, corpus)
    _decide(path, {0: {"decision": "accept", "coder": "me"},
                   1: {"decision": "reject"},
                   2: {"decision": "yes", "variable": "strategy", "level": "hold_up",
                       "side": "", "strength": "hoop", "summary": "My own words."}})
    layer = evidence_from_review(path, case=builtin, dictionary=dictionary_for_case(builtin))
    assert len(layer.items) == 2
    first, second = layer.items
    assert first.kind == "statement" and first.strength == "straw_in_the_wind"
    assert first.reliability == 0.9 and first.citation.key == "ungdc_baturo2017"
    assert first.citation.locator is not None and "¶" in first.citation.locator
    assert "by me" in first.rationale
    assert (second.variable, second.level, second.strength, second.summary) == (
        "strategy", "hold_up", "hoop", "My own words.")
    for item in layer.items:
        name, where = item.citation.locator.split(" ¶")
        chars = where.split("chars ")[1]
        start, end = (int(x) for x in chars.split("-"))
        text = (corpus / name).read_bytes().decode("utf-8")
        assert text[start:end] == item.quote and len(item.quote) <= 300
    assert layer.to_dict()["evidence"][0] == first.to_mapping(with_layer=False)


def test_repeats_and_facts_the_case_codes_are_dropped(builtin: Case, corpus: Path,
                                                      tmp_path: Path) -> None:
    path = _review(tmp_path, builtin, corpus)
    rows = _rows(path)
    rows[0]["decision"] = rows[1]["decision"] = "accept"
    rows[1].update({k: rows[0][k] for k in ("file", "start", "end", "quote", "sha256",
                                             "paragraph", "variable", "level", "side")})
    _write(path, rows)
    layer = evidence_from_review(path, case=builtin)
    assert len(layer.items) == 1 and "repeats the statement of line 2" in layer.dropped[0][1]
    coded = replace(builtin, evidence=builtin.evidence + layer.items)
    again = evidence_from_review(path, case=coded)
    assert not again.items and len(again.dropped) == 2
    assert "already codes" in again.dropped[0][1]


@pytest.mark.parametrize(("changes", "message"), [
    ({"quote": "Something else entirely."}, "column 'quote'"),
    ({"start": "-5"}, "column 'start'"),
    ({"actor": "XXX"}, "column 'actor'"),
    ({"strength": "huge"}, "column 'strength'"),
    ({"sha256": "0" * 64}, "column 'sha256'"),
    ({"decision": "maybe"}, "column 'decision'"),
    ({"citation": ""}, "column 'citation'"),
])
def test_review_problems_are_located(builtin: Case, corpus: Path, tmp_path: Path,
                                     changes: dict[str, str], message: str) -> None:
    path = _review(tmp_path, builtin, corpus)
    _decide(path, {0: {"decision": "accept", **changes}})
    with pytest.raises(DataSourceError) as error:
        evidence_from_review(path, case=builtin)
    assert f"{path} row 2" in str(error.value) and message in str(error.value)


def test_an_accepted_row_not_coded_is_left_out_and_said(builtin: Case, corpus: Path,
                                                         tmp_path: Path) -> None:
    path = _review(tmp_path, builtin, corpus)
    _decide(path, {0: {"decision": "accept", "variable": "", "level": ""},
                   1: {"decision": "accept"}})
    layer = evidence_from_review(path, case=builtin)
    assert len(layer.items) == 1
    assert layer.dropped[0][0] == 2 and "variable and level" in layer.dropped[0][1]
    assert "dropped 1 (line 2" in str(layer)


def test_formula_cells_are_neutralised_and_read_back(builtin: Case, corpus: Path,
                                                     tmp_path: Path) -> None:
    path = _review(tmp_path, builtin, corpus)
    _decide(path, {0: {"note": "'=cmd|' /C calc'!A0", "decision": "accept"}})
    (row, *_) = read_review(path)
    assert row.get("note") == "=cmd|' /C calc'!A0"


def test_long_sentences_are_cut_at_a_clause() -> None:
    text = "A" * 10 + ", " + "word " * 80
    start, end = fit_quote(text, 0, len(text), limit=100)
    assert end - start <= 100 and text[start:end] == text[:end]


def _with_statements(tmp_path: Path) -> Path:
    folder = tmp_path / "case"
    shutil.copytree(example_path("kazakhstan-eaeu").parent, folder)
    case_file = folder / "case.yaml"
    text = case_file.read_text(encoding="utf-8")
    old = "evidence_files: [rivals.yaml, data-layer.yaml, events-layer.yaml]"
    assert old in text
    case_file.write_text(text.replace(old, old[:-1] + ", statements-layer.yaml]"),
                         encoding="utf-8")
    return case_file


def test_the_shipped_layer_is_optional_valid_and_regenerates(builtin: Case,
                                                             tmp_path: Path) -> None:
    folder = example_path("kazakhstan-eaeu").parent
    assert "statements" not in builtin.layers  # not weighed by default
    shipped = (folder / "statements-layer.yaml").read_text(encoding="utf-8")
    again = evidence_from_review(folder / "statements-review.csv", case=builtin,
                                 dictionary=dictionary_for_case(builtin))
    assert again.to_yaml() == shipped
    case_file = _with_statements(tmp_path)
    assert validate_case(case_file) == []
    with_layer = load_case(case_file)
    assert with_layer.layers[-1] == "statements"
    result = analyze(with_layer)
    assert {e.layer for e in result.case.evidence} >= {"statements"}
    statements = [e for e in with_layer.evidence if e.layer == "statements"]
    assert len(statements) == len(again.items) >= 5
    assert all(e.kind == "statement" and e.quote for e in statements)
