"""Shared fixtures of the statements tests: the shipped corpus, the built-in case."""

from __future__ import annotations

from pathlib import Path

import pytest

from multilat.case import Case, load_case
from multilat.examples import example_path
from multilat.statements.to_evidence import shipped_corpus

LABELS = Path(__file__).parent.parent / "data" / "speeches" / "kaz-ungdc-2009-2019-labels.csv"


@pytest.fixture(scope="session")
def corpus() -> Path:
    return shipped_corpus()


@pytest.fixture(scope="session")
def builtin() -> Case:
    return load_case(example_path("kazakhstan-eaeu"))
