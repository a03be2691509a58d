"""Turn JSON Schema errors into located, readable problems.

The structural rules of case and theory files live in their JSON Schemas (one source of truth,
also printed by ``multilat schema`` for editors); :mod:`jsonschema` checks them and this module
words each error as ``found X; expected Y`` at the line the YAML node came from.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from ._yaml import LocatedData, format_path
from .errors import Problem

__all__ = ["describe", "schema_problems"]

_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "nothing",
}


def describe(value: Any) -> str:
    """A short, readable rendering of a found value."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + '..."'


def _expected_type(schema_type: Any) -> str:
    types = schema_type if isinstance(schema_type, list) else [schema_type]
    return " or ".join(_TYPE_NAMES.get(str(t), str(t)) for t in types)


def _leaf_errors(error: ValidationError) -> Iterable[ValidationError]:
    """For oneOf/anyOf, report the branch that got furthest rather than a vague summary."""
    if error.validator in ("oneOf", "anyOf") and error.context:
        deepest = max(len(e.absolute_path) for e in error.context)
        if deepest > len(error.absolute_path):
            best = [e for e in error.context if len(e.absolute_path) == deepest]
            yield from best[:1]
            return
    yield error


def _word(error: ValidationError) -> tuple[str, str, tuple[str | int, ...]]:
    path = tuple(error.absolute_path)
    value: Any = error.instance
    kind = error.validator
    rule: Any = error.validator_value
    schema: Any = error.schema
    if kind == "required":
        missing = next(
            (name for name in rule if name not in (value or {})), "?"
        )
        return "nothing", f"a {missing!r} field", (*path, missing)
    if kind == "additionalProperties":
        allowed = sorted((schema.get("properties") or {}).keys())
        extra = sorted(set(value) - set(allowed))
        name = extra[0] if extra else "?"
        close = difflib.get_close_matches(str(name), allowed, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"an unknown field {name!r}", f"one of: {', '.join(allowed)}{hint}", (*path, name)
    if kind == "type":
        return describe(value), _expected_type(rule), path
    if kind == "enum":
        options = ", ".join(str(v) for v in rule)
        close = difflib.get_close_matches(str(value), [str(v) for v in rule], n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return describe(value), f"one of: {options}{hint}", path
    if kind == "const":
        return describe(value), describe(rule), path
    if kind == "pattern":
        title = schema.get("description") or f"text matching {rule}"
        return describe(value), title, path
    if kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        sign = {"minimum": ">=", "exclusiveMinimum": ">", "maximum": "<=", "exclusiveMaximum": "<"}
        return describe(value), f"a number {sign[kind]} {rule}", path
    if kind in ("minItems", "maxItems"):
        bound = "at least" if kind == "minItems" else "at most"
        return f"{len(value)} items", f"{bound} {rule}", path
    if kind == "minLength":
        return describe(value), "non-empty text", path
    if kind == "maxLength":
        return f"text of {len(value)} characters", f"at most {rule} characters", path
    if kind in ("oneOf", "anyOf"):
        expected = schema.get("description") or "one of the documented forms"
        return describe(value), expected, path
    return describe(value), error.message, path


def schema_problems(located: LocatedData, schema: Mapping[str, Any]) -> list[Problem]:
    """Every violation of ``schema`` in ``located.data``, located and worded."""
    validator = Draft202012Validator(schema)
    problems = []
    for top in validator.iter_errors(located.data):
        for error in _leaf_errors(top):
            found, expected, path = _word(error)
            problems.append(
                Problem(located.file, located.line(path), format_path(path), found, expected)
            )
    return problems
