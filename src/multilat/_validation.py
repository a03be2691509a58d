"""Turn JSON Schema errors into located, readable problems.

The structural rules of case and theory files live in their JSON Schemas (one source of truth,
also printed by ``multilat schema`` for editors); :mod:`jsonschema` checks them and this module
words each error as ``found X; expected Y`` at the line the YAML node came from.

On the happy path a compiled validator (:mod:`fastjsonschema`, generated once per schema and
process) says whether the data are valid, at a fraction of jsonschema's cost; jsonschema is
imported and run only when they are not, to find and word every problem. The compiled check
is used only for schemas whose keywords both libraries read alike (:data:`_SAME_KEYWORDS`),
and counts a float such as 2002.0 as no integer, as the loaders' checker below does.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ._yaml import LocatedData, format_path
from .errors import Problem

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

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
    import json

    if value is None:
        return "nothing"
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, str) else (
        str(value) if isinstance(value, int | float) else f"{type(value).__name__} {value}")
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


Worded = tuple[str, str, tuple[str | int, ...]]


def _words(error: ValidationError) -> list[Worded]:
    """One (found, expected, path) per problem the error stands for."""
    from difflib import get_close_matches

    path = tuple(error.absolute_path)
    value: Any = error.instance
    kind = str(error.validator)
    rule: Any = error.validator_value
    schema: Any = error.schema
    if kind == "required":
        # jsonschema raises one error per missing property; its message names it.
        match = re.match(r"^'(.+)' is a required property$", error.message)
        missing = [match.group(1)] if match else [n for n in rule if n not in (value or {})]
        return [("nothing", f"a {name!r} field", (*path, name)) for name in missing]
    if kind == "additionalProperties":
        allowed = sorted((schema.get("properties") or {}).keys())
        words = []
        for name in sorted(str(k) for k in value if k not in allowed):
            close = get_close_matches(name, allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            words.append((f"an unknown field {name!r}", f"one of: {', '.join(allowed)}{hint}",
                          (*path, name)))
        return words
    if kind == "oneOf" and isinstance(value, Mapping):
        alternatives = [name for branch in schema.get("oneOf", [])
                        for name in branch.get("required", [])]
        if alternatives:
            present = [name for name in alternatives if name in value]
            found = (f"both {' and '.join(repr(n) for n in present)}" if len(present) > 1
                     else f"none of {', '.join(repr(n) for n in alternatives)}")
            return [(found, f"exactly one of {', '.join(repr(n) for n in alternatives)}",
                     path)]
    return [_word(error, path, value, kind, rule, schema)]


def _word(error: ValidationError, path: tuple[str | int, ...], value: Any, kind: str,
          rule: Any, schema: Any) -> Worded:
    from difflib import get_close_matches

    if kind == "type":
        return describe(value), _expected_type(rule), path
    if kind == "enum":
        options = ", ".join(str(v) for v in rule)
        close = get_close_matches(str(value), [str(v) for v in rule], n=1)
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


def _is_integer(checker: Any, instance: Any) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


_VALIDATOR: Any = None


def _jsonschema_validator() -> Any:
    """jsonschema's Draft 2020-12 validator, where 2002.0 is no integer (the loaders' years,
    pages and counts must be ints); imported on first need."""
    global _VALIDATOR
    if _VALIDATOR is None:
        from jsonschema import Draft202012Validator, validators

        _VALIDATOR = validators.extend(  # type: ignore[no-untyped-call]
            Draft202012Validator,
            type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer))
    return _VALIDATOR


#: Keywords that fastjsonschema (drafts 4-7) and jsonschema (2020-12, without a format checker)
#: read alike; a schema with any other keyword is checked by jsonschema alone.
_SAME_KEYWORDS = frozenset({
    "$schema", "$id", "$defs", "definitions", "$ref", "$comment", "title", "description",
    "default", "examples", "type", "enum", "const", "properties", "required",
    "additionalProperties", "patternProperties", "propertyNames", "minProperties",
    "maxProperties", "items", "minItems", "maxItems", "uniqueItems", "contains", "pattern",
    "minLength", "maxLength", "format", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "multipleOf", "oneOf", "anyOf", "allOf", "not", "if", "then", "else"})
#: Keywords whose value is a mapping of names to schemas, or a list of schemas.
_NAMED = frozenset({"properties", "patternProperties", "$defs", "definitions"})
_LISTS = frozenset({"oneOf", "anyOf", "allOf"})
#: fastjsonschema's integer test also admits integral floats; ours does not.
_INTEGRAL_FLOAT = re.compile(r" and not \(isinstance\((\w+), float\) and \1\.is_integer\(\)\)")


def _portable(schema: Any) -> bool:
    """Whether every keyword of ``schema`` (and of its subschemas) is in :data:`_SAME_KEYWORDS`
    with a form both libraries read alike."""
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, Mapping):
        return False
    for keyword, value in schema.items():
        if keyword not in _SAME_KEYWORDS:
            return False
        if keyword in _NAMED:
            if not isinstance(value, Mapping) or not all(map(_portable, value.values())):
                return False
        elif keyword in _LISTS:
            if not isinstance(value, list) or not all(map(_portable, value)):
                return False
        elif keyword in ("items", "additionalProperties", "propertyNames", "contains", "not",
                         "if", "then", "else"):
            if not _portable(value):  # a list under items is not 2020-12
                return False
        elif keyword == "$ref" and not (isinstance(value, str) and value.startswith("#")):
            return False
    return True


_COMPILED: dict[str, Callable[[Any], Any] | None] = {}
#: Bump when the generated check changes (it is cached on disk under a key that includes this).
_CHECK_VERSION = "5"
_IMPORT_LINE = re.compile(r"^from fastjsonschema import [^\n]*\n", re.MULTILINE)
#: fastjsonschema's failures build a message and the failing rule's definition; an alternative
#: of ``oneOf`` or ``anyOf`` that does not fit fails (and is caught) for many a valid item.
#: Only pass or fail is read from the compiled check (jsonschema words the problems), so each
#: failure raises with nothing to build.
_RAISE_LINE = re.compile(r"^(\s*)raise (JsonSchemaValues?Exception)\([^\n]*\)$", re.MULTILINE)


class _Invalid(ValueError):
    """What the generated check raises for invalid data (fastjsonschema's exceptions' shape:
    the check then runs without importing fastjsonschema)."""

    def __init__(self, message: Any = "", value: Any = None, name: Any = None,
                 definition: Any = None, rule: Any = None) -> None:
        super().__init__(message)


class _AnyDecimal(type):
    def __instancecheck__(cls, value: Any) -> bool:
        # No Decimal can exist before the decimal module is imported: no need to import it.
        module = sys.modules.get("decimal")
        return module is not None and isinstance(value, module.Decimal)


class _Decimal(metaclass=_AnyDecimal):
    """``isinstance(x, _Decimal)`` is ``isinstance(x, decimal.Decimal)``, without importing
    decimal (the generated check tests numbers against it)."""


_DECIMAL_LINE = re.compile(r"^from decimal import Decimal\n", re.MULTILINE)


def _generate(schema: Mapping[str, Any]) -> tuple[str, str] | None:
    """(function name, Python source) of fastjsonschema's check of ``schema``, or None."""
    try:
        import fastjsonschema
        from fastjsonschema.ref_resolver import RefResolver
    except ImportError:  # pragma: no cover - a core dependency
        return None
    try:
        code = fastjsonschema.compile_to_code(dict(schema), use_default=False,
                                              use_formats=False)
        name = RefResolver.from_schema(dict(schema), store={}).get_scope_name()
    except Exception:  # noqa: BLE001 - a schema it cannot compile goes to jsonschema
        return None
    code = _INTEGRAL_FLOAT.sub("", code)
    code = _RAISE_LINE.sub(r"\1raise \2()", code)
    code, imports = _IMPORT_LINE.subn("", code)
    code, decimals = _DECIMAL_LINE.subn("", code)
    return (str(name), code) if imports == 1 and decimals <= 1 else None


def _bind(name: str, code: Any) -> Callable[[Any], Any] | None:
    namespace: dict[str, Any] = {"JsonSchemaValueException": _Invalid,
                                 "JsonSchemaValuesException": _Invalid, "Decimal": _Decimal}
    exec(code, namespace)  # noqa: S102 - code generated from multilat's own schemas
    function = namespace.get(name)
    return function if callable(function) else None


def compiled_validator(schema: Mapping[str, Any]) -> Callable[[Any], Any] | None:
    """A compiled check of ``schema`` that raises on invalid data, or None where only
    jsonschema can tell (fastjsonschema missing, or a keyword it reads differently).

    Generated once per schema: kept for the process, and on disk (:mod:`._cache`) as a code
    object, so that a later run neither imports fastjsonschema nor compiles the check.
    """
    import marshal

    from . import _cache

    text = repr(schema)  # the schemas are plain data built by code: repr is faithful
    if text in _COMPILED:
        return _COMPILED[text]
    function: Callable[[Any], Any] | None = None
    if _portable(schema):
        key = _cache.cache_key("schema-check", _CHECK_VERSION, text)
        body = _cache.read("schema-check", key)
        if body is not None:
            try:
                stored, _, blob = body.partition(b"\n")
                function = _bind(stored.decode("ascii"), marshal.loads(blob))
            except Exception:  # noqa: BLE001 - a damaged entry: generate it again
                function = None
        if function is None:
            generated = _generate(schema)
            if generated is not None:
                name, source = generated
                code = compile(source, "<multilat compiled schema>", "exec")
                function = _bind(name, code)
                if function is not None:
                    _cache.write("schema-check", key,
                                 name.encode("ascii") + b"\n" + marshal.dumps(code))
    _COMPILED[text] = function
    return function


def schema_problems(located: LocatedData, schema: Mapping[str, Any]) -> list[Problem]:
    """Every violation of ``schema`` in ``located.data``, located and worded."""
    check = compiled_validator(schema)
    if check is not None:
        try:
            check(located.data)
        except Exception:  # noqa: BLE001 - invalid (or unusual) data: jsonschema words it
            pass
        else:
            return []
    validator = _jsonschema_validator()(schema)
    problems: list[Problem] = []
    for top in validator.iter_errors(located.data):
        for error in _leaf_errors(top):
            for found, expected, path in _words(error):
                problem = Problem(located.file, located.line(path), format_path(path), found,
                                  expected)
                if problem not in problems:
                    problems.append(problem)
    return problems
