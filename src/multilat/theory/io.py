"""Load theory files (YAML) and the built-in theories shipped with multilat."""

from __future__ import annotations

import itertools
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .._files import read_text
from .._validation import describe, schema_problems
from .._yaml import LocatedData, parse_yaml
from ..errors import Problem, TheoryError
from .model import Citation, Outcome, Rule, Theory, Variable

__all__ = ["builtin_theories", "load_theory", "theory_schema"]

_NAME = {"type": "string", "pattern": r"^[a-z][a-z0-9_]*$",
         "description": "a lowercase name of letters, digits and '_'"}
_CITATION = {
    "type": "object",
    "required": ["key"],
    "additionalProperties": False,
    "properties": {
        "key": {"type": "string", "minLength": 1},
        "pages": {"type": ["string", "integer"]},
        "locator": {"type": "string"},
    },
}


def theory_schema() -> dict[str, Any]:
    """The JSON Schema of theory files (schema_version 1)."""
    levels = {"type": "array", "items": _NAME, "minItems": 2, "uniqueItems": True}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "multilat theory file",
        "type": "object",
        "required": ["schema_version", "name", "version", "title", "variables", "outcome", "rules"],
        "additionalProperties": False,
        "properties": {
            "schema_version": {"const": 1},
            "name": {"type": "string", "pattern": r"^[a-z][a-z0-9_-]*$",
                     "description": "a lowercase name of letters, digits, '-' and '_'"},
            "version": {"type": "string", "minLength": 1},
            "title": {"type": "string", "minLength": 1},
            "description": {"type": "string"},
            "citation": _CITATION,
            "references": {"type": "object", "additionalProperties": {"type": "string"}},
            "variables": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["name", "levels", "description", "citation"],
                    "additionalProperties": False,
                    "properties": {
                        "name": _NAME,
                        "levels": levels,
                        "description": {"type": "string"},
                        "sides": {"type": "array", "items": _NAME, "minItems": 2,
                                  "uniqueItems": True},
                        "citation": _CITATION,
                    },
                },
            },
            "outcome": {
                "type": "object",
                "required": ["name", "levels"],
                "additionalProperties": False,
                "properties": {
                    "name": _NAME,
                    "description": {"type": "string"},
                    "levels": {
                        "type": "array",
                        "minItems": 2,
                        "items": {
                            "type": "object",
                            "required": ["name", "description"],
                            "additionalProperties": False,
                            "properties": {"name": _NAME, "description": {"type": "string"}},
                        },
                    },
                },
            },
            "rules": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["when", "then", "citation", "note"],
                    "additionalProperties": False,
                    "properties": {
                        "when": {
                            "type": "object",
                            "additionalProperties": {
                                "oneOf": [_NAME, {"type": "array", "items": _NAME, "minItems": 1}],
                                "description": "a level, or a list of levels",
                            },
                        },
                        "then": _NAME,
                        "citation": _CITATION,
                        "note": {"type": "string", "minLength": 1},
                    },
                },
            },
        },
    }


def builtin_theories() -> dict[str, Path]:
    """Names and paths of the theory files shipped with multilat."""
    folder = resources.files("multilat") / "theories"
    return {
        Path(str(entry)).stem: Path(str(entry))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".yaml")
    }


def load_theory(name_or_path: str | Path) -> Theory:
    """Load a built-in theory by name (``kpr``) or a theory file by path.

    Raises
    ------
    TheoryError
        With every problem found, each located at its file and line.
    """
    builtins = builtin_theories()
    if isinstance(name_or_path, str) and name_or_path in builtins:
        path = builtins[name_or_path]
    else:
        path = Path(name_or_path)
        if not path.is_file():
            known = ", ".join(sorted(builtins))
            raise TheoryError(
                str(path),
                [Problem(str(path), None, "", "no such theory or file",
                         f"a built-in theory ({known}) or a theory file")],
            )
    text = read_text(path, "a theory file (YAML)")
    if isinstance(text, Problem):
        raise TheoryError(str(path), [text])
    located = parse_yaml(text, path)
    problems = list(located.problems)
    if not problems:
        problems = schema_problems(located, theory_schema())
    if not problems:
        problems = _consistency_problems(located)
    if problems:
        raise TheoryError(str(path), problems)
    return _build(located.data, str(path))


def _consistency_problems(located: LocatedData) -> list[Problem]:
    data, file = located.data, located.file
    problems: list[Problem] = []
    variables = {v["name"]: v for v in data["variables"]}
    outcomes = [level["name"] for level in data["outcome"]["levels"]]
    if data["outcome"]["name"] in variables:
        problems.append(Problem(file, located.line(("outcome", "name")), "outcome.name",
                                describe(data["outcome"]["name"]),
                                "a name no variable of the theory has"))
    for index, name in enumerate(outcomes):
        if name in outcomes[:index]:
            problems.append(Problem(file, located.line(("outcome", "levels", index, "name")),
                                    f"outcome.levels[{index}].name", f"{describe(name)} again",
                                    "each outcome level once"))
    if len(variables) != len(data["variables"]):
        problems.append(Problem(file, located.line(("variables",)), "variables",
                                "a variable name used twice", "unique variable names"))
    covered: dict[tuple[str, ...], int] = {}
    for index, rule in enumerate(data["rules"]):
        when = {}
        for name, levels in rule["when"].items():
            where = ("rules", index, "when", name)
            if name not in variables:
                problems.append(Problem(file, located.line(where), f"rules[{index}].when",
                                        f"the variable {name!r}",
                                        f"one of: {', '.join(variables)}"))
                continue
            levels = [levels] if isinstance(levels, str) else levels
            for level in levels:
                if level not in variables[name]["levels"]:
                    problems.append(Problem(file, located.line(where),
                                            f"rules[{index}].when.{name}", describe(level),
                                            f"one of: {', '.join(variables[name]['levels'])}"))
            when[name] = levels
        if rule["then"] not in outcomes:
            problems.append(Problem(file, located.line(("rules", index, "then")),
                                    f"rules[{index}].then", describe(rule["then"]),
                                    f"one of: {', '.join(outcomes)}"))
        for combo in itertools.product(*(v["levels"] for v in data["variables"])):
            pairs = zip(variables, combo, strict=True)
            if all(level in when.get(name, [level]) for name, level in pairs):
                if combo in covered:
                    problems.append(Problem(file, located.line(("rules", index)),
                                            f"rules[{index}]",
                                            f"the cell {' x '.join(combo)} already given by "
                                            f"rules[{covered[combo]}]",
                                            "each combination of levels in exactly one rule"))
                covered.setdefault(combo, index)
    if not problems:
        for combo in itertools.product(*(v["levels"] for v in data["variables"])):
            if combo not in covered:
                problems.append(Problem(file, located.line(("rules",)), "rules",
                                        f"no rule for the cell {' x '.join(combo)}",
                                        "a rule for every combination of levels"))
    return problems


def _citation(raw: dict[str, Any] | None) -> Citation | None:
    if raw is None:
        return None
    pages = raw.get("pages")
    return Citation(raw["key"], None if pages is None else str(pages), raw.get("locator"))


def _build(data: dict[str, Any], source: str) -> Theory:
    variables = tuple(
        Variable(v["name"], tuple(v["levels"]), v.get("description", "").strip(),
                 tuple(v.get("sides", ())), _citation(v.get("citation")))
        for v in data["variables"]
    )
    outcome = Outcome(
        data["outcome"]["name"],
        tuple(level["name"] for level in data["outcome"]["levels"]),
        data["outcome"].get("description", "").strip(),
        MappingProxyType({lv["name"]: lv["description"].strip()
                          for lv in data["outcome"]["levels"]}),
    )
    rules = tuple(
        Rule(
            MappingProxyType({k: (v,) if isinstance(v, str) else tuple(v)
                              for k, v in r["when"].items()}),
            r["then"],
            _citation(r["citation"]) or Citation(""),
            r["note"].strip(),
        )
        for r in data["rules"]
    )
    return Theory(
        name=data["name"],
        version=str(data["version"]),
        title=data["title"].strip(),
        variables=variables,
        outcome=outcome,
        rules=rules,
        description=data.get("description", "").strip(),
        citation=_citation(data.get("citation")),
        references=MappingProxyType(dict(data.get("references", {}))),
        source=source,
    )
