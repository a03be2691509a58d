"""The malformed corpus (tests/data/malformed, written by its make.py): every file is refused
by the command line with located problems, exit code 1 and no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from multilat.cli import main

CORPUS = Path(__file__).parents[1] / "data" / "malformed"
CASES = sorted(CORPUS.glob("case-*.yaml"))
THEORIES = sorted(CORPUS.glob("theory-*.yaml"))


def test_the_corpus_is_there() -> None:
    assert len(CASES) >= 40 and len(THEORIES) >= 10


def _run(arguments: list[str]) -> str:
    result = CliRunner().invoke(main, arguments, catch_exceptions=False)
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert result.exit_code == 1, output
    assert "Traceback" not in output
    assert "found" in output and "expected" in output, output
    return output


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_validate_refuses_each_malformed_case(path: Path) -> None:
    output = _run(["validate", str(path)])
    assert f"{path}:" in output or f"{CORPUS}" in output, output


@pytest.mark.parametrize("path", THEORIES, ids=lambda p: p.stem)
def test_theories_refuses_each_malformed_theory(path: Path) -> None:
    output = _run(["theories", str(path)])
    assert str(path) in output, output
