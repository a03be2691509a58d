"""Statements by a state's leadership into candidate evidence, reviewed by the researcher.

corpus (files, manifest, UNGDC names, SHA-256) -> segment (paragraphs and sentences with
exact offsets) -> dictionary (YAML per case, from the case's actors and institution) ->
score (ranked candidates, quote, KWIC) -> review (CSV with accept/reject) -> to_evidence
(an evidence layer of kind ``statement``); validate (precision, recall, average precision,
unflagged sample, Krippendorff's alpha, a learned ranker). See docs/statements.md.
"""

from __future__ import annotations

from .corpus import Document, read_corpus, read_document, ungdc_metadata
from .dictionary import (
    DICTIONARY_NAME,
    Dictionary,
    Group,
    case_dictionary_text,
    default_dictionary_path,
    dictionary_for_case,
    load_dictionary,
)
from .review import COLUMNS, ReviewRow, candidates_csv, read_review, write_candidates
from .score import Candidate, Match, kwic, score_corpus, score_document
from .segment import Paragraph, Span, detect_layout, paragraphs, sentences
from .to_evidence import StatementsLayer, evidence_from_review
from .validate import (
    Label,
    RankerComparison,
    RankingMetrics,
    evaluate,
    krippendorff_alpha,
    learned_ranker,
    load_labels,
    ranking_metrics,
    unflagged_sample,
)

__all__ = ["COLUMNS", "DICTIONARY_NAME", "Candidate", "Dictionary", "Document", "Group",
           "Label", "Match", "Paragraph", "RankerComparison", "RankingMetrics", "ReviewRow",
           "Span", "StatementsLayer", "candidates_csv", "case_dictionary_text",
           "default_dictionary_path", "detect_layout", "dictionary_for_case", "evaluate",
           "evidence_from_review", "krippendorff_alpha", "kwic", "learned_ranker",
           "load_dictionary", "load_labels", "paragraphs", "ranking_metrics", "read_corpus",
           "read_document", "read_review", "score_corpus", "score_document", "sentences",
           "ungdc_metadata", "unflagged_sample", "write_candidates"]
