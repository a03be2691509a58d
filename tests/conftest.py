"""Shared fixtures: paths to the test cases and a copy helper."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
GOOD = DATA / "cases" / "good"


@pytest.fixture
def minimal_path() -> Path:
    return GOOD / "minimal.yaml"


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    """A writable copy of the minimal case (case.yaml + refs.bib)."""
    shutil.copy(GOOD / "minimal.yaml", tmp_path / "case.yaml")
    shutil.copy(GOOD / "refs.bib", tmp_path / "refs.bib")
    return tmp_path
