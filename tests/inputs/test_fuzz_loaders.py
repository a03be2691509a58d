"""Property tests: mutated case, layer, theory, settings and rules files load or fail with
located problems (file, found, expected), never with any other exception.

The mutations work on the text: byte flips, lines deleted or doubled, hostile strings inserted,
values swapped for values of other types. Quick by design (the long coverage-guided run is
documented in docs/reliability.md).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from multilat.case.io import load_case
from multilat.errors import CaseFileError, MultilatError, Problem
from multilat.events.evidence import load_event_rules
from multilat.indicators.to_evidence import load_rules
from multilat.settings import load_settings
from multilat.theory import load_theory

DATA = Path(__file__).parents[1] / "data"
SRC = Path(__file__).parents[2] / "src" / "multilat"

HOSTILE = [
    "\x00", "\x07", "\x7f", "\ufffe", "\uffff", "\x1b[31m", "\t", "\r", "\u2028", "\ufeff",
    "&a [*a]", "*a", "&a", "!!python/object:os.system x", "!!python/name:os.system",
    "!!timestamp x", "!!bool x", "!!int x", "!!float x", "!!binary x", "!!set {a}", "!foo",
    "[" * 200, "{" * 200, "9" * 5000, "1" + "0" * 19, ".nan", ".inf", "-.inf", "1e999", "~",
    "{", "}", "[", "]", "- ", ": ", "? ", "<<: *a", "'", '"', "#", "|", ">", "---", "...",
    "%YAML 1.1", "yes", "2020-13-45", "\n  - x\n", "\nkey: value\n", "=", "[[x]]", "{a = ",
    "\\u0000", "<script>", "${HOME}", "😀", "\u202e",
]
VALUES = [
    "1", "-1", "0", "1.5", "2002.0", ".nan", ".inf", "true", "false", "~", "[]", "{}",
    "[1, 2]", "[2003, 2000]", "[2000]", "{a: 1}", "{1: {a: 0.5}}", '"x"', "''", "2000",
    "99999999999999999999", "!!int x", "!!python/object:x {}", "&b [*b]", "- x", "yes",
    "2020-01-01", "[[[[1]]]]", "{x: [1, {y: 2}]}",
]
TOML_VALUES = ["1", "0.5", "-1", "nan", "inf", "true", '"x"', "[]", "{}", "[1, [2]]",
               "{a = 1}", "1979-05-27", "9" * 300, '"""', "[[", "= 1"]


@st.composite
def _mutated(draw: st.DrawFn, text: str, values: list[str]) -> bytes:
    data = text.encode("utf-8")
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "delete", "double", "insert", "swap"]))
        lines = data.split(b"\n")
        if kind == "flip" and data:
            position = draw(st.integers(0, len(data) - 1))
            data = data[:position] + bytes([draw(st.integers(0, 255))]) + data[position + 1:]
        elif kind in ("delete", "double"):
            index = draw(st.integers(0, len(lines) - 1))
            lines[index:index + 1] = [] if kind == "delete" else [lines[index]] * 2
            data = b"\n".join(lines)
        elif kind == "insert":
            position = draw(st.integers(0, len(data)))
            data = data[:position] + draw(st.sampled_from(HOSTILE)).encode() + data[position:]
        else:
            index = draw(st.integers(0, len(lines) - 1))
            line = lines[index].decode("utf-8", "replace")
            # A value after "key: " (in block or flow style) or "key = " (TOML).
            spots = list(re.finditer(r"(?<=: |= )[^,{}\[\]\n]+", line))
            if spots:
                spot = draw(st.sampled_from(spots))
                line = line[:spot.start()] + draw(st.sampled_from(values)) + line[spot.end():]
                lines[index] = line.encode("utf-8")
                data = b"\n".join(lines)
    return data


def _assert_located(error: MultilatError) -> None:
    problems: list[Problem] = list(getattr(error, "problems", ()))
    assert problems, error
    for problem in problems:
        assert problem.file and problem.found and problem.expected, problem
        str(problem)


def _check(load: Callable[[Path], Any], path: Path, data: bytes,
           kind: type[MultilatError]) -> None:
    path.write_bytes(data)
    try:
        load(path)
    except kind as error:
        _assert_located(error)


FUZZ = settings(max_examples=int(os.environ.get("MULTILAT_FUZZ_EXAMPLES", 200)), deadline=None,
                derandomize="MULTILAT_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    minimal = tmp_path_factory.mktemp("minimal")
    shutil.copy(DATA / "cases" / "good" / "minimal.yaml", minimal / "case.yaml")
    shutil.copy(DATA / "cases" / "good" / "refs.bib", minimal / "refs.bib")
    incumbents = tmp_path_factory.mktemp("incumbents")
    shutil.copytree(DATA / "cases" / "good" / "incumbents", incumbents, dirs_exist_ok=True)
    return {"minimal": minimal, "incumbents": incumbents,
            "other": tmp_path_factory.mktemp("other")}


MINIMAL = (DATA / "cases" / "good" / "minimal.yaml").read_text()
INCUMBENTS = (DATA / "cases" / "good" / "incumbents" / "case.yaml").read_text()
POSTURE = (DATA / "cases" / "good" / "incumbents" / "posture.yaml").read_text()
KPR = (SRC / "theories" / "kpr.yaml").read_text()
INDICATOR_RULES = (SRC / "indicators" / "rules" / "default.yaml").read_text()
EVENT_RULES = (SRC / "events" / "rules" / "default.yaml").read_text()
TOML = """[claims]
weak_below = 0.8

[infer.strength.hoop]
if_level = 0.9
if_other = 0.6

[report]
citation_style = "harvard1"
"""


@FUZZ
@given(data=_mutated(MINIMAL, VALUES))
def test_mutated_minimal_case(folders: dict[str, Path], data: bytes) -> None:
    _check(load_case, folders["minimal"] / "case.yaml", data, CaseFileError)


@FUZZ
@given(data=_mutated(INCUMBENTS, VALUES))
def test_mutated_incumbents_case(folders: dict[str, Path], data: bytes) -> None:
    _check(load_case, folders["incumbents"] / "case.yaml", data, CaseFileError)


@FUZZ
@given(data=_mutated(POSTURE, VALUES))
def test_mutated_theory_beside_a_case(folders: dict[str, Path], data: bytes) -> None:
    """The incumbents case with its theory file (posture.yaml) mutated."""
    folder = folders["incumbents"]
    (folder / "case.yaml").write_text(INCUMBENTS)
    try:
        _check(load_case, folder / "posture.yaml", data, CaseFileError)
        _check(lambda _: load_case(folder / "case.yaml"), folder / "posture.yaml", data,
               CaseFileError)
    finally:
        (folder / "posture.yaml").write_text(POSTURE)


@FUZZ
@given(data=_mutated(KPR, VALUES))
def test_mutated_theory(folders: dict[str, Path], data: bytes) -> None:
    from multilat.errors import TheoryError

    _check(load_theory, folders["other"] / "theory.yaml", data, TheoryError)


@FUZZ
@given(data=_mutated(TOML, TOML_VALUES))
def test_mutated_settings(folders: dict[str, Path], data: bytes) -> None:
    from multilat.errors import SettingsError

    _check(load_settings, folders["other"] / "multilat.toml", data, SettingsError)


@FUZZ
@given(data=_mutated(INDICATOR_RULES, VALUES))
def test_mutated_indicator_rules(folders: dict[str, Path], data: bytes) -> None:
    from multilat.errors import RulesFileError

    _check(load_rules, folders["other"] / "rules.yaml", data, RulesFileError)


@FUZZ
@given(data=_mutated(EVENT_RULES, VALUES))
def test_mutated_event_rules(folders: dict[str, Path], data: bytes) -> None:
    from multilat.errors import RulesFileError

    _check(load_event_rules, folders["other"] / "event-rules.yaml", data, RulesFileError)
