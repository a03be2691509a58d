"""Shared fixtures: paths to the test cases and a copy helper."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
GOOD = DATA / "cases" / "good"


def pytest_configure(config: pytest.Config) -> None:
    """Keep multilat's on-disk cache (multilat._cache) in a folder of this run, not the user's
    (subprocesses the tests start inherit it)."""
    if "MULTILAT_CACHE_DIR" not in os.environ:
        folder = tempfile.mkdtemp(prefix="multilat-test-cache-")
        os.environ["MULTILAT_CACHE_DIR"] = folder
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


@pytest.fixture
def minimal_path() -> Path:
    return GOOD / "minimal.yaml"


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    """A writable copy of the minimal case (case.yaml + refs.bib)."""
    shutil.copy(GOOD / "minimal.yaml", tmp_path / "case.yaml")
    shutil.copy(GOOD / "refs.bib", tmp_path / "refs.bib")
    return tmp_path
