"""How good is a ranking of candidates? Metrics against hand labels, what the scan misses,
agreement between coders, and a learned ranker to compare with the dictionary.

* :func:`load_labels`: a labels CSV (``file, start, end, relevant``; ``paragraph``, ``coder``,
  ``reasoning`` optional): one row per paragraph read; or a reviewed scan, whose ``decision``
  column says (rows not reviewed are left out).
* :func:`ranking_metrics`: precision, recall and average precision (AP) of a ranking against
  the labels; relevant paragraphs the ranking never lists count as missed (AP counts them
  with precision 0), so AP rewards finding everything early.
* :func:`unflagged_sample`: a seeded random sample of the paragraphs the scan did not flag, to
  read and estimate how many relevant ones it misses.
* :func:`krippendorff_alpha`: agreement of two or more coders (nominal), missing values
  allowed (Krippendorff 2011, "Computing Krippendorff's alpha-reliability").
* :func:`learned_ranker`: a TF-IDF + logistic-regression ranker (scikit-learn, the
  ``statements`` extra), scored by cross-validation over documents on the same labels, only
  once there are enough labels (:data:`MIN_LABELS`, :data:`MIN_RELEVANT`).
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._deps import require
from ..errors import DataSourceError, InputError
from .corpus import Document
from .score import Candidate
from .segment import Paragraph, paragraphs

__all__ = ["MIN_LABELS", "MIN_RELEVANT", "Label", "RankerComparison", "RankingMetrics",
           "krippendorff_alpha", "learned_ranker", "load_labels", "match_labels",
           "ranking_metrics", "unflagged_sample"]

#: A learned ranker is offered only with at least this many labelled paragraphs...
MIN_LABELS = 100
#: ... of which at least this many are relevant.
MIN_RELEVANT = 10
_TRUE = {"1", "yes", "y", "true", "relevant", "accept"}
_FALSE = {"0", "no", "n", "false", "irrelevant", "reject"}


@dataclass(frozen=True, slots=True)
class Label:
    """A paragraph read by a coder: where it is and whether it is relevant."""

    file: str
    start: int
    end: int
    relevant: bool
    coder: str = ""
    reasoning: str = ""
    line: int = 0

    @property
    def name(self) -> str:
        return Path(self.file).name


def load_labels(path: str | Path) -> tuple[Label, ...]:
    """Read a labels CSV; every problem located by row and column."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise DataSourceError(str(path), f"an unreadable file ({error})",
                              "a labels CSV in UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in next(reader, [])]
    # a reviewed scan (statements scan --out) is labels too: its decision column says
    flag_column = "relevant" if "relevant" in header or "decision" not in header else "decision"
    for column in ("file", "start", "end", flag_column):
        if column not in header:
            raise DataSourceError(str(path), f"no column {column}", "the columns file, start, "
                                  "end, relevant (coder, reasoning optional), or a reviewed "
                                  "scan with its decision column", row=1)
    out = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        line = reader.line_num
        if len(cells) != len(header):
            raise DataSourceError(str(path), f"{len(cells)} cells", f"{len(header)} cells",
                                  row=line)
        row = dict(zip(header, (c.strip() for c in cells), strict=True))
        flag = row[flag_column].lower()
        if flag == "" and flag_column == "decision":
            continue  # not reviewed
        if flag not in _TRUE | _FALSE:
            raise DataSourceError(str(path), repr(row[flag_column]), "1 or 0 (yes/no, accept/"
                                  "reject)", row=line, column=flag_column)
        try:
            start, end = int(row["start"]), int(row["end"])
        except ValueError:
            raise DataSourceError(str(path), f"{row['start']!r}-{row['end']!r}",
                                  "whole-number offsets", row=line, column="start") from None
        out.append(Label(row["file"], start, end, flag in _TRUE, row.get("coder", ""),
                         row.get("reasoning", ""), line))
    if not out:
        raise DataSourceError(str(path), "no labels", "one row per paragraph read")
    return tuple(out)


def match_labels(candidates: Sequence[Candidate], labels: Sequence[Label]
                 ) -> list[Label | None]:
    """For each candidate, the labelled paragraph its quote falls in (same file name, the
    quote's start inside the label's span), else ``None``."""
    by_file: dict[str, list[Label]] = {}
    for label in labels:
        by_file.setdefault(label.name, []).append(label)
    out: list[Label | None] = []
    for candidate in candidates:
        spans = by_file.get(Path(candidate.file).name, [])
        out.append(next((lab for lab in spans if lab.start <= candidate.start < lab.end
                         or candidate.start <= lab.start < candidate.end), None))
    return out


@dataclass(frozen=True, slots=True)
class RankingMetrics:
    """A ranking against labels (``k`` the cut-off of precision and recall)."""

    labelled: int
    relevant: int
    ranked: int
    k: int
    precision_at_k: float
    recall_at_k: float
    precision: float  # over every candidate listed
    recall: float  # share of the relevant paragraphs listed at all
    average_precision: float
    #: How many candidates one reads to find 80% of the relevant paragraphs (None: never).
    read_for_80: int | None
    per_rank: tuple[bool, ...] = field(repr=False, default=())

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in (
            "labelled", "relevant", "ranked", "k", "precision_at_k", "recall_at_k",
            "precision", "recall", "average_precision", "read_for_80")}


def ranking_metrics(hits: Sequence[bool], relevant: int, *, k: int = 20,
                    labelled: int = 0) -> RankingMetrics:
    """Metrics of a ranking whose i-th item is relevant iff ``hits[i]``, with ``relevant``
    relevant items in all (some perhaps never ranked)."""
    if relevant <= 0:
        raise InputError("labels: found no relevant paragraph; expected at least one to "
                         "measure a ranking against")
    found, precisions, read_for_80 = 0, 0.0, None
    for rank, hit in enumerate(hits, start=1):
        if hit:
            found += 1
            precisions += found / rank
            if read_for_80 is None and found >= 0.8 * relevant:
                read_for_80 = rank
    top = sum(hits[:k])
    return RankingMetrics(
        labelled=labelled, relevant=relevant, ranked=len(hits), k=k,
        precision_at_k=round(top / min(k, len(hits)), 4) if hits else 0.0,
        recall_at_k=round(top / relevant, 4),
        precision=round(found / len(hits), 4) if hits else 0.0,
        recall=round(found / relevant, 4), average_precision=round(precisions / relevant, 4),
        read_for_80=read_for_80, per_rank=tuple(hits))


def evaluate(candidates: Sequence[Candidate], labels: Sequence[Label], *,
             k: int = 20) -> RankingMetrics:
    """:func:`ranking_metrics` of ``candidates`` (ranked) against ``labels``; a labelled
    paragraph counts once (at its best-ranked candidate)."""
    seen: set[tuple[str, int]] = set()
    hits = []
    for label in match_labels(candidates, labels):
        if label is None:
            hits.append(False)
            continue
        key = (label.name, label.start)
        hits.append(label.relevant and key not in seen)
        seen.add(key)
    relevant = sum(1 for lab in labels if lab.relevant)
    return ranking_metrics(hits, relevant, k=k, labelled=len(labels))


def unflagged_sample(documents: Iterable[Document], candidates: Sequence[Candidate],
                     size: int, *, seed: int = 0) -> list[tuple[Document, Paragraph]]:
    """A random sample (seeded, reproducible) of ``size`` paragraphs no candidate is in."""
    flagged = {(c.file, c.paragraph.start) for c in candidates}
    pool = [(d, p) for d in documents for p in paragraphs(d.text)
            if (d.file, p.start) not in flagged]
    rng = random.Random(seed)
    return sorted(rng.sample(pool, min(size, len(pool))),
                  key=lambda dp: (dp[0].file, dp[1].start))


def krippendorff_alpha(ratings: Mapping[str, Mapping[Any, Any]]) -> float:
    """Krippendorff's alpha (nominal) of ``{coder: {unit: value}}``; a coder may skip units.

    Units with fewer than two values are not pairable and are left out. 1 is perfect
    agreement, 0 what chance gives.

    >>> krippendorff_alpha({"a": {1: "x", 2: "y"}, "b": {1: "x", 2: "y"}})
    1.0
    """
    units: dict[Any, list[Any]] = {}
    for values in ratings.values():
        for unit, value in values.items():
            if value is not None and value != "":
                units.setdefault(unit, []).append(value)
    coincidences: dict[tuple[Any, Any], float] = {}
    for pairable in units.values():
        m = len(pairable)
        if m < 2:
            continue
        for i, a in enumerate(pairable):
            for j, b in enumerate(pairable):
                if i != j:
                    coincidences[(a, b)] = coincidences.get((a, b), 0.0) + 1 / (m - 1)
    if not coincidences:
        raise InputError("ratings: found no unit rated by two coders; expected at least one")
    totals: dict[Any, float] = {}
    for (a, _), value in coincidences.items():
        totals[a] = totals.get(a, 0.0) + value
    n = sum(totals.values())
    observed = sum(v for (a, b), v in coincidences.items() if a != b)
    expected = sum(totals[a] * totals[b] for a in totals for b in totals if a != b) / (n - 1)
    if expected == 0:
        return 1.0
    return round(1 - observed / expected, 6)


@dataclass(frozen=True, slots=True)
class RankerComparison:
    """The dictionary's and a learned ranker's AP on the same labels (cross-validated)."""

    folds: int
    dictionary_ap: float
    learned_ap: float
    labelled: int
    relevant: int

    def to_dict(self) -> dict[str, Any]:
        return {"folds": self.folds, "dictionary_ap": self.dictionary_ap,
                "learned_ap": self.learned_ap, "labelled": self.labelled,
                "relevant": self.relevant}


def _ap(scores: Sequence[float], truth: Sequence[bool]) -> float:
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    return ranking_metrics([truth[i] for i in order], sum(truth)).average_precision


def learned_ranker(documents: Sequence[Document], labels: Sequence[Label],
                   candidates: Sequence[Candidate], *, folds: int = 5,
                   seed: int = 0) -> RankerComparison:
    """Cross-validate a TF-IDF + logistic-regression ranker on the labelled paragraphs (folds
    by document, so a speech is never both trained and tested on) and compare its AP with the
    dictionary's score on the same held-out paragraphs.

    Raises
    ------
    InputError
        Fewer than :data:`MIN_LABELS` labels or :data:`MIN_RELEVANT` relevant ones: a
        learned ranker trained on fewer would not be worth comparing.
    MissingDependencyError
        Without scikit-learn (``pip install "multilat[statements]"``).
    """
    relevant = sum(1 for lab in labels if lab.relevant)
    if len(labels) < MIN_LABELS or relevant < MIN_RELEVANT:
        raise InputError(f"labels: found {len(labels)} labelled paragraphs, {relevant} "
                         f"relevant; expected at least {MIN_LABELS} and {MIN_RELEVANT} before "
                         "a learned ranker is worth training")
    text_module = require("sklearn.feature_extraction.text", "statements",
                          "Training a learned ranker")
    linear = require("sklearn.linear_model", "statements", "Training a learned ranker")
    texts = {d.name: d.text for d in documents}
    rows = [lab for lab in labels if lab.name in texts]
    if len(rows) < len(labels):
        missing = sorted({lab.name for lab in labels if lab.name not in texts})
        raise InputError(f"labels: found files not in the corpus ({', '.join(missing[:5])}); "
                         "expected every labelled file among the texts scanned")
    corpus_text = [texts[lab.name][lab.start:lab.end] for lab in rows]
    truth = [lab.relevant for lab in rows]
    by_place = {(Path(c.file).name, c.paragraph.start): c.score for c in candidates}
    dictionary_scores = []
    for lab in rows:
        score = max((s for (name, start), s in by_place.items()
                     if name == lab.name and lab.start <= start < lab.end), default=0.0)
        dictionary_scores.append(score)
    names = sorted({lab.name for lab in rows})
    random.Random(seed).shuffle(names)
    fold_of = {name: i % folds for i, name in enumerate(names)}
    learned = [0.0] * len(rows)
    for fold in range(folds):
        train = [i for i, lab in enumerate(rows) if fold_of[lab.name] != fold]
        test = [i for i, lab in enumerate(rows) if fold_of[lab.name] == fold]
        if not test or len({truth[i] for i in train}) < 2:
            continue
        vectorizer = text_module.TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2),
                                                 min_df=2)
        matrix = vectorizer.fit_transform([corpus_text[i] for i in train])
        model = linear.LogisticRegression(max_iter=1000, class_weight="balanced")
        model.fit(matrix, [truth[i] for i in train])
        probabilities = model.predict_proba(vectorizer.transform([corpus_text[i]
                                                                  for i in test]))[:, 1]
        for i, p in zip(test, probabilities, strict=True):
            learned[i] = float(p)
    return RankerComparison(folds, _ap(dictionary_scores, truth), _ap(learned, truth),
                            len(rows), relevant)
