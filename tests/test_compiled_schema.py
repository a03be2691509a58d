"""The compiled schema check agrees with jsonschema: valid data pass both, invalid fail both."""

from __future__ import annotations

import copy
import os
import random
from pathlib import Path
from typing import Any

import pytest

from multilat import _validation
from multilat._validation import compiled_validator, schema_problems
from multilat._yaml import LocatedData, parse_yaml
from multilat.case.schema import case_schema, evidence_file_schema
from multilat.examples import example_path
from multilat.study.io import SCHEMA as STUDY_SCHEMA
from multilat.theory.io import theory_schema

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = {"case": case_schema(), "evidence": evidence_file_schema(), "theory": theory_schema(),
           "study": STUDY_SCHEMA}


def _jsonschema_valid(data: Any, schema: Any) -> bool:
    return not list(_validation._jsonschema_validator()(schema).iter_errors(data))


def _compiled_valid(data: Any, schema: Any) -> bool:
    check = compiled_validator(schema)
    assert check is not None
    try:
        check(data)
    except Exception:  # noqa: BLE001
        return False
    return True


def _documents() -> list[Any]:
    paths = sorted({*ROOT.joinpath("src", "multilat").rglob("*.yaml"),
                    *ROOT.joinpath("tests").rglob("*.yaml")})
    found = [parse_yaml(p.read_text(encoding="utf-8", errors="replace"), p).data for p in paths]
    return [d for d in found if d is not None]


def _mutations(data: Any, rng: random.Random, count: int) -> list[Any]:
    """Copies of ``data`` with one value replaced by a value of another kind."""
    replacements = [2002.0, 1.0, 0, -1, True, None, "", "x" * 300, [], {}, [1, 2], {"a": 1},
                    "2002", 0.5, 10**20]
    paths: list[tuple[Any, ...]] = []

    def walk(value: Any, path: tuple[Any, ...]) -> None:
        paths.append(path)
        if isinstance(value, dict):
            for key, child in value.items():
                walk(child, (*path, key))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                walk(child, (*path, index))

    walk(data, ())
    out = []
    for _ in range(count):
        path = rng.choice(paths[1:])
        mutated = copy.deepcopy(data)
        target = mutated
        for part in path[:-1]:
            target = target[part]
        if rng.random() < 0.15 and isinstance(target, dict):
            del target[path[-1]]
        else:
            target[path[-1]] = rng.choice(replacements)
        out.append(mutated)
    return out


def test_every_schema_compiles() -> None:
    for name, schema in SCHEMAS.items():
        assert compiled_validator(schema) is not None, name


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_compiled_agrees_with_jsonschema_on_every_file(name: str) -> None:
    schema = SCHEMAS[name]
    documents = _documents()
    assert len(documents) > 20
    agreed_valid = 0
    for data in documents:
        expected = _jsonschema_valid(data, schema)
        assert _compiled_valid(data, schema) == expected
        agreed_valid += expected
    assert agreed_valid or name == "study"


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_compiled_agrees_with_jsonschema_on_mutations(name: str) -> None:
    schema = SCHEMAS[name]
    rng = random.Random(13)
    valid = [d for d in _documents() if _jsonschema_valid(d, schema)]
    if name == "case":
        valid.insert(0, parse_yaml(example_path("kazakhstan-eaeu").read_text(), "c").data)
    for data in valid[:6]:
        for mutated in _mutations(data, rng, 60):
            assert _compiled_valid(mutated, schema) == _jsonschema_valid(mutated, schema)


def test_an_integral_float_is_no_integer() -> None:
    schema = {"type": "object", "properties": {"year": {"type": "integer"}}}
    assert not _compiled_valid({"year": 2002.0}, schema)
    assert _compiled_valid({"year": 2002}, schema)
    problems = schema_problems(LocatedData({"year": 2002.0}, {("year",): 3}, "f.yaml"), schema)
    assert [(p.line, p.field, p.found) for p in problems] == [(3, "year", "2002.0")]


def test_keywords_read_differently_go_to_jsonschema() -> None:
    assert compiled_validator({"type": "array", "prefixItems": [{"type": "integer"}]}) is None
    assert compiled_validator({"type": "array", "items": [{"type": "integer"}]}) is None
    assert compiled_validator({"$ref": "https://example.org/s.json"}) is None
    schema = {"type": "object", "dependentRequired": {"a": ["b"]}}
    assert compiled_validator(schema) is None
    located = LocatedData({"a": 1}, {(): 1}, "f.yaml")
    assert schema_problems(located, schema)  # still checked, by jsonschema


def test_happy_path_does_not_import_jsonschema() -> None:
    import subprocess
    import sys

    code = ("import sys\nfrom multilat import load_case, analyze\n"
            "analyze(load_case(sys.argv[1]))\n"
            "print('jsonschema' in sys.modules)")
    source = str(ROOT / "src")
    done = subprocess.run([sys.executable, "-c", code, str(example_path("kazakhstan-eaeu"))],
                          capture_output=True, text=True, check=True, timeout=120,
                          env={"PYTHONPATH": source, "PATH": "",
                               "MULTILAT_CACHE_DIR": os.environ["MULTILAT_CACHE_DIR"]})
    assert done.stdout.strip() == "False"
