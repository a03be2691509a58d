"""Validation: metrics by hand, Krippendorff's canonical example, the scan against the hand
labels of Kazakhstan's UN speeches, the unflagged sample, the learned ranker."""

from __future__ import annotations

from pathlib import Path

import pytest

from multilat.case import Case
from multilat.errors import DataSourceError, InputError
from multilat.statements import (
    dictionary_for_case,
    evaluate,
    krippendorff_alpha,
    learned_ranker,
    load_labels,
    ranking_metrics,
    read_corpus,
    score_corpus,
    unflagged_sample,
)

from .conftest import LABELS


def test_metrics_by_hand() -> None:
    # relevant at ranks 1, 3 and one never ranked: AP = (1/1 + 2/3) / 3
    metrics = ranking_metrics([True, False, True, False], 3, k=2)
    assert metrics.average_precision == round((1 + 2 / 3) / 3, 4)
    assert (metrics.precision_at_k, metrics.recall_at_k) == (0.5, round(1 / 3, 4))
    assert (metrics.precision, metrics.recall) == (0.5, round(2 / 3, 4))
    assert metrics.read_for_80 is None
    assert ranking_metrics([True, True], 2).read_for_80 == 2
    with pytest.raises(InputError, match="no relevant paragraph"):
        ranking_metrics([False], 0)


def test_krippendorff_alpha_canonical_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the 4 coders x 12
    # units example with missing values: nominal alpha = 0.743.
    table = {"A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
             "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
             "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
             "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]}
    ratings = {coder: {unit: v for unit, v in enumerate(values) if v is not None}
               for coder, values in table.items()}
    assert round(krippendorff_alpha(ratings), 3) == 0.743
    assert krippendorff_alpha({"a": {1: True, 2: False}, "b": {1: True, 2: False}}) == 1.0
    with pytest.raises(InputError):
        krippendorff_alpha({"a": {1: True}, "b": {2: True}})


def test_the_scan_ranks_the_hand_labelled_paragraphs(builtin: Case, corpus: Path) -> None:
    """The hand labels (tests/data/speeches, reasoning per row) of all 292 paragraphs of
    Kazakhstan's UN speeches 2009-2019: the measured ranking quality, kept from falling."""
    labels = load_labels(LABELS)
    assert len(labels) == 292 and sum(lab.relevant for lab in labels) == 16
    assert all(lab.reasoning for lab in labels)
    documents = read_corpus([corpus], actors=["KAZ"], years=(2009, 2019))
    for lab in labels:  # the labels point at paragraphs of the files as shipped
        text = next(d.text for d in documents if d.name == lab.name)
        assert text[lab.start:lab.end].strip() == text[lab.start:lab.end]
    candidates = score_corpus(documents, dictionary_for_case(builtin))
    metrics = evaluate(candidates, labels, k=20)
    assert metrics.average_precision >= 0.75
    assert metrics.recall_at_k >= 0.7
    assert metrics.read_for_80 is not None and metrics.read_for_80 <= 25


def test_the_unflagged_sample_is_seeded_and_unflagged(builtin: Case, corpus: Path) -> None:
    documents = read_corpus([corpus], actors=["KAZ"])
    candidates = score_corpus(documents, dictionary_for_case(builtin))
    flagged = {(c.file, c.paragraph.start) for c in candidates}
    sample = unflagged_sample(documents, candidates, 25, seed=3)
    assert len(sample) == 25 and sample == unflagged_sample(documents, candidates, 25, seed=3)
    assert not {(d.file, p.start) for d, p in sample} & flagged
    assert sample != unflagged_sample(documents, candidates, 25, seed=4)


def test_the_learned_ranker_waits_for_enough_labels(builtin: Case, corpus: Path) -> None:
    documents = read_corpus([corpus], actors=["KAZ"])
    candidates = score_corpus(documents, dictionary_for_case(builtin))
    labels = load_labels(LABELS)
    with pytest.raises(InputError, match="at least 100"):
        learned_ranker(documents, labels[:50], candidates)
    pytest.importorskip("sklearn")
    comparison = learned_ranker(documents, labels, candidates)
    assert comparison.labelled == 292 and comparison.relevant == 16
    assert 0 <= comparison.learned_ap <= 1
    assert comparison.dictionary_ap >= 0.6  # the dictionary, on the same labels


def test_label_problems_are_located(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("file,start,end,relevant\nKAZ_64_2009.txt,0,10,perhaps\n")
    with pytest.raises(DataSourceError, match="row 2 column 'relevant'"):
        load_labels(path)
    path.write_text("file,start\n")
    with pytest.raises(DataSourceError, match="no column end"):
        load_labels(path)


def test_two_reviews_of_one_scan_give_an_alpha(tmp_path: Path) -> None:
    head = "file,start,end,quote,decision\n"
    rows = [("a.txt", 0, 5), ("a.txt", 9, 20), ("b.txt", 3, 8), ("b.txt", 10, 12)]
    first = tmp_path / "first.csv"
    second = tmp_path / "second.csv"
    first.write_text(head + "".join(f"{f},{a},{b},q,{d}\n" for (f, a, b), d in
                                     zip(rows, ["accept", "reject", "accept", ""],
                                         strict=True)))
    second.write_text(head + "".join(f"{f},{a},{b},q,{d}\n" for (f, a, b), d in
                                      zip(rows, ["accept", "accept", "accept", "reject"],
                                          strict=True)))
    one, two = load_labels(first), load_labels(second)
    assert len(one) == 3 and len(two) == 4
    alpha = krippendorff_alpha({"1": {(x.name, x.start): x.relevant for x in one},
                                "2": {(x.name, x.start): x.relevant for x in two}})
    # pairable units (T,T), (F,T), (T,T): observed disagreement 2, expected 5*1*2/5 = 2
    assert alpha == 0.0
