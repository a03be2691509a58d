"""Load theory files (YAML) and the built-in theories shipped with multilat."""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .._files import is_file, read_text
from .._validation import describe, schema_problems
from .._yaml import MAX_FILE_BYTES, LocatedData, format_path, parse_yaml
from ..errors import THEORY_UNKNOWN, Problem, TheoryError
from .model import Citation, Outcome, Role, Rule, Theory, Variable

#: multilat's package folder (its built-in theories and examples).
_PACKAGE = Path(__file__).resolve().parents[1]

__all__ = ["builtin_theories", "load_theory", "resolve_theory", "theory_schema"]

_THEORY_NAME_RE = re.compile(r"^[a-z][a-z0-9_-]*$")

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


_THEORY_NAME = {"type": "string", "pattern": r"^[a-z][a-z0-9_-]*$",
                "description": "a lowercase name of letters, digits, '-' and '_'"}
_RULES = {
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
}


def theory_schema() -> dict[str, Any]:
    """The JSON Schema of theory files (schema_version 1).

    Beside the variables, outcome and rule table, a theory may declare its ``roles`` (the parts
    actors play, with how many actors a case may give each), ``aliases`` (other names it
    answers to) and ``variants`` (named readings that replace some of its rules).
    """
    levels = {"type": "array", "items": _NAME, "minItems": 2, "uniqueItems": True}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "multilat theory file",
        "type": "object",
        "required": ["schema_version", "name", "version", "title", "variables", "outcome", "rules"],
        "additionalProperties": False,
        "properties": {
            "schema_version": {"const": 1},
            "name": _THEORY_NAME,
            "aliases": {"type": "array", "items": _THEORY_NAME, "uniqueItems": True,
                        "description": "other names this theory answers to"},
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
            "roles": {
                "type": "array",
                "minItems": 1,
                "description": "the parts actors play in the theory; sides name them",
                "items": {
                    "type": "object",
                    "required": ["name", "description"],
                    "additionalProperties": False,
                    "properties": {
                        "name": _NAME,
                        "label": {"type": "string", "minLength": 1},
                        "description": {"type": "string"},
                        "actors": {
                            "type": "object", "additionalProperties": False,
                            "description": "how many actors a case may give the role",
                            "properties": {"min": {"type": "integer", "minimum": 0,
                                                   "maximum": 1000},
                                           "max": {"type": "integer", "minimum": 1,
                                                   "maximum": 1000}},
                        },
                    },
                },
            },
            "rules": _RULES,
            "variants": {
                "type": "array",
                "description": "named readings of the theory that replace some of its rules",
                "items": {
                    "type": "object",
                    "required": ["name", "title", "rules"],
                    "additionalProperties": False,
                    "properties": {
                        "name": _THEORY_NAME,
                        "version": {"type": "string", "minLength": 1},
                        "title": {"type": "string", "minLength": 1},
                        "description": {"type": "string"},
                        "citation": _CITATION,
                        "references": {"type": "object",
                                       "additionalProperties": {"type": "string"}},
                        "rules": _RULES,
                    },
                },
            },
        },
    }


@dataclass(frozen=True, slots=True)
class _Entry:
    """Where a theory name leads: a file, and the variant in it (``None``: the file's own)."""

    path: Path
    variant: str | None
    shipped_with: str | None = None


def _names_in(path: Path) -> tuple[str, list[str], list[str]]:
    """A theory file's name, aliases and variant names (empty when it cannot be read)."""
    text = read_text(path, "a theory file (YAML)", max_bytes=MAX_FILE_BYTES)
    if isinstance(text, Problem):
        return path.stem, [], []
    data = parse_yaml(text, path).data
    if not isinstance(data, dict) or "rules" not in data:
        return "", [], []
    name = data.get("name") if isinstance(data.get("name"), str) else path.stem
    aliases = [a for a in data.get("aliases") or [] if isinstance(a, str)]
    variants = [v.get("name") for v in data.get("variants") or []
                if isinstance(v, dict) and isinstance(v.get("name"), str)]
    return name, aliases, variants


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, _Entry]:
    """Every name a built-in theory answers to: its own, its aliases and its variants'."""
    entries: dict[str, _Entry] = {}
    for path in sorted((_PACKAGE / "theories").glob("*.yaml")):
        name, aliases, variants = _names_in(path)
        for each in [name, path.stem, *aliases]:
            entries.setdefault(each, _Entry(path, None))
        for variant in variants:
            entries.setdefault(variant, _Entry(path, variant))
    return entries


def _shipped_with_a_case(name: str) -> _Entry | None:
    """A theory file ``NAME.yaml`` shipped with a built-in case (e.g. its rival theories),
    for case files that name it without a path."""
    if not _THEORY_NAME_RE.match(name):
        return None
    for path in sorted((_PACKAGE / "examples").glob(
            f"*/{name}.yaml")):
        if _names_in(path)[0]:
            return _Entry(path, None, path.parent.name)
    return None


def builtin_theories() -> dict[str, Path]:
    """Names of the theories shipped with multilat (with their variants) and their files.

    Theories that ship with a built-in case (e.g. its rival explanations) are not general
    built-ins and are not listed; :func:`resolve_theory` still finds them by name.
    """
    own = {entry.path: _names_in(entry.path)[0] for entry in _index().values()}
    return {name: entry.path for name, entry in _index().items()
            if entry.variant is not None or own[entry.path] == name}


def resolve_theory(reference: str | Path, base: str | Path | None = None) -> Theory:
    """The one way to find a theory: a theory file next to the case, a path, or a name.

    ``reference`` is tried, in order, as a file relative to ``base`` (a case's folder), as a
    path, and as the name of a shipped theory or of one of its variants or aliases. A
    variant of a theory file is ``FILE#VARIANT``.

    Raises
    ------
    TheoryError
        With every problem found, each located at its file and line; a reference that leads
        nowhere has the problem code :data:`multilat.errors.THEORY_UNKNOWN`.
    """
    text = str(reference)
    file_part, _, variant = text.partition("#")
    candidates = []
    if base is not None:
        candidates.append(Path(base) / file_part)
    candidates.append(Path(file_part))
    for candidate in candidates:
        if file_part and candidate.suffix in (".yaml", ".yml") and is_file(candidate):
            return _load(candidate, variant or None, builtin=False)
    entry = None if variant else _index().get(text) or _shipped_with_a_case(text)
    if entry is not None:
        return _load(entry.path, entry.variant, builtin=True)
    known = ", ".join(sorted(builtin_theories()))
    raise TheoryError(text, [Problem(text, None, "", f"{describe(text)} (no such theory or file)",
                                     f"a built-in theory ({known}), a theory file, or "
                                     "FILE#VARIANT", code=THEORY_UNKNOWN)])


def load_theory(name_or_path: str | Path) -> Theory:
    """Load a built-in theory (or variant) by name (``kpr``) or a theory file by path.

    The same as :func:`resolve_theory` without a case folder.

    Raises
    ------
    TheoryError
        With every problem found, each located at its file and line.
    """
    return resolve_theory(name_or_path)


@functools.lru_cache(maxsize=64)
def _load_builtin(path: Path, variant: str | None) -> Theory:
    return _load_file(path, variant, builtin=True)


def _load(path: Path, variant: str | None, *, builtin: bool) -> Theory:
    if builtin:
        return _load_builtin(path, variant)
    return _load_file(path, variant, builtin=False)


def _load_file(path: Path, variant: str | None, *, builtin: bool) -> Theory:
    text = read_text(path, "a theory file (YAML)", max_bytes=MAX_FILE_BYTES)
    if isinstance(text, Problem):
        raise TheoryError(str(path), [text])
    located = parse_yaml(text, path)
    problems = list(located.problems)
    if not problems and located.data is None:
        problems = [Problem(str(path), 1, "", "an empty file", "a theory file")]
    if not problems:
        problems = schema_problems(located, theory_schema())
    if not problems:
        problems = _consistency_problems(located)
    if problems:
        raise TheoryError(str(path), problems)
    data = located.data
    names = [v["name"] for v in data.get("variants", [])]
    if variant is not None and variant not in names:
        raise TheoryError(str(path), [Problem(
            str(path), located.line(("variants",)) if names else None, "variants",
            f"no variant {variant!r}", f"one of: {', '.join(names)}" if names else
            "a theory file that declares variants", code=THEORY_UNKNOWN)])
    return _build(data, str(path), variant, builtin)


def _rule_problems(located: LocatedData, prefix: tuple[str | int, ...],
                   variables: dict[str, Any], outcomes: list[str],
                   complete: bool, budget: list[int]) -> list[Problem]:
    """Problems of one rule table: unknown names, cells given twice, cells missing.

    ``budget`` counts the cells enumerated for every table of the file (past
    :data:`MAX_CELL_STEPS` once reported, the other tables are not checked).
    """
    if budget[0] > MAX_CELL_STEPS:
        return []
    data, file = located.data, located.file
    rules = data
    for key in prefix:
        rules = rules[key]
    problems: list[Problem] = []
    label = format_path(prefix)
    covered: dict[tuple[str, ...], int] = {}
    for index, rule in enumerate(rules):
        when = {}
        for name, levels in rule["when"].items():
            where = (*prefix, index, "when", name)
            if name not in variables:
                problems.append(Problem(file, located.line(where), f"{label}[{index}].when",
                                        f"the variable {name!r}",
                                        f"one of: {', '.join(variables)}"))
                continue
            levels = [levels] if isinstance(levels, str) else levels
            for level in levels:
                if level not in variables[name]["levels"]:
                    problems.append(Problem(file, located.line(where),
                                            f"{label}[{index}].when.{name}", describe(level),
                                            f"one of: {', '.join(variables[name]['levels'])}"))
            when[name] = levels
        if rule["then"] not in outcomes:
            problems.append(Problem(file, located.line((*prefix, index, "then")),
                                    f"{label}[{index}].then", describe(rule["then"]),
                                    f"one of: {', '.join(outcomes)}"))
        if problems:
            continue
        # Each step adds a new cell or ends the rule at its first cell given before, so the
        # table costs at most its cells plus its rules (and the budget bounds all tables).
        for combo in _cells(variables, when):
            budget[0] += 1
            if budget[0] > MAX_CELL_STEPS:
                problems.append(Problem(file, located.line((*prefix, index)),
                                        f"{label}[{index}]",
                                        f"rules covering more than {MAX_CELL_STEPS} cells in "
                                        "all (rules and variants)",
                                        f"rule tables of at most {MAX_CELL_STEPS} cells in all"))
                return problems
            if combo in covered:
                problems.append(Problem(file, located.line((*prefix, index)),
                                        f"{label}[{index}]",
                                        f"the cell {' x '.join(combo)} already given by "
                                        f"{label}[{covered[combo]}]",
                                        "each combination of levels in exactly one rule"))
                break
            covered[combo] = index
    if complete and not problems:
        total = math.prod(len(v["levels"]) for v in variables.values())
        if len(covered) < total:
            missing = next(combo for combo in itertools.product(
                *(v["levels"] for v in variables.values())) if combo not in covered)
            problems.append(Problem(file, located.line(prefix), label,
                                    f"no rule for the cell {' x '.join(missing)}"
                                    + (f" ({total - len(covered) - 1} more cells missing)"
                                       if total - len(covered) > 1 else ""),
                                    "a rule for every combination of levels"))
    return problems


#: The rule table may not hold more cells than this (checked from the levels' counts before
#: any cell is enumerated).
MAX_CELLS = 100_000
#: Cells the rules of a theory file (its table and its variants') may cover in all.
MAX_CELL_STEPS = 1_000_000


def _cells(variables: dict[str, Any], when: dict[str, list[str]]) -> Iterator[tuple[str, ...]]:
    """The cells (one level per variable, in order) a rule's ``when`` covers."""
    return itertools.product(*(when.get(name, v["levels"]) for name, v in variables.items()))


def _consistency_problems(located: LocatedData) -> list[Problem]:
    data, file = located.data, located.file
    problems: list[Problem] = []
    variables: dict[str, Any] = {}
    for index, variable in enumerate(data["variables"]):
        if variable["name"] in variables:
            problems.append(Problem(file, located.line(("variables", index, "name")),
                                    f"variables[{index}].name",
                                    f"{describe(variable['name'])} again",
                                    "unique variable names"))
        variables.setdefault(variable["name"], variable)
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
    cells = math.prod(len(v["levels"]) for v in variables.values())
    if cells > MAX_CELLS:
        problems.append(Problem(file, located.line(("variables",)), "variables",
                                f"{cells} combinations of levels",
                                f"at most {MAX_CELLS} (the rule table covers every one)"))
    roles = [role["name"] for role in data.get("roles", [])]
    for index, role in enumerate(data.get("roles", [])):
        if role["name"] in roles[:index]:
            problems.append(Problem(file, located.line(("roles", index, "name")),
                                    f"roles[{index}].name", f"{describe(role['name'])} again",
                                    "unique role names"))
        counts = role.get("actors", {})
        if counts.get("max", math.inf) < counts.get("min", 1):
            problems.append(Problem(file, located.line(("roles", index, "actors")),
                                    f"roles[{index}].actors",
                                    f"max {counts['max']} below min {counts.get('min', 1)}",
                                    "min <= max"))
    if roles:
        for index, variable in enumerate(data["variables"]):
            for side_index, side in enumerate(variable.get("sides", [])):
                if side not in roles:
                    problems.append(Problem(
                        file, located.line(("variables", index, "sides", side_index)),
                        f"variables[{index}].sides[{side_index}]", describe(side),
                        f"one of the theory's roles: {', '.join(roles)}"))
    if problems:
        return problems
    budget = [0]
    problems += _rule_problems(located, ("rules",), variables, outcomes, complete=True,
                               budget=budget)
    names = [data["name"], *data.get("aliases", [])]
    for index, variant in enumerate(data.get("variants", [])):
        if variant["name"] in names:
            problems.append(Problem(file, located.line(("variants", index, "name")),
                                    f"variants[{index}].name", describe(variant["name"]),
                                    "a name other than the theory's, its aliases' and the "
                                    "other variants'"))
        names.append(variant["name"])
        problems += _rule_problems(located, ("variants", index, "rules"), variables, outcomes,
                                   complete=False, budget=budget)
    return problems


def _citation(raw: dict[str, Any] | None) -> Citation | None:
    if raw is None:
        return None
    pages = raw.get("pages")
    return Citation(raw["key"], None if pages is None else str(pages), raw.get("locator"))


def _rules(raw: list[dict[str, Any]]) -> tuple[Rule, ...]:
    return tuple(
        Rule(
            MappingProxyType({k: (v,) if isinstance(v, str) else tuple(v)
                              for k, v in r["when"].items()}),
            r["then"],
            _citation(r["citation"]) or Citation(""),
            r["note"].strip(),
        )
        for r in raw
    )


def _roles(data: dict[str, Any]) -> tuple[Role, ...]:
    """The declared roles; a file that declares none has one role per side its variables name
    (any number of actors, at least one), as schema_version 1 files before roles did."""
    if "roles" in data:
        return tuple(Role(r["name"], r.get("label", ""), r.get("description", "").strip(),
                          r.get("actors", {}).get("min", 1), r.get("actors", {}).get("max"))
                     for r in data["roles"])
    sides = dict.fromkeys(side for v in data["variables"] for side in v.get("sides", ()))
    return tuple(Role(side) for side in sides)


def _build(data: dict[str, Any], source: str, variant: str | None = None,
           builtin: bool = True) -> Theory:
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

    def reference(name: str | None) -> str:
        if builtin:
            return name or data["name"]
        return f"{source}#{name}" if name else source

    variants = {v["name"]: v for v in data.get("variants", [])}
    own = variants.get(variant) if variant else None
    everyone = [None, *variants]
    readings = tuple(reference(name) for name in everyone if name != variant)
    rules = _rules(data["rules"])
    references = dict(data.get("references", {}))
    name, title = data["name"], data["title"]
    version, description = str(data["version"]), data.get("description", "")
    citation = data.get("citation")
    if own is not None:
        # The variant's rules come first: the first rule that covers a cell gives it.
        rules = (*_rules(own["rules"]), *rules)
        references.update(own.get("references", {}))
        name, title = own["name"], own["title"]
        version = str(own.get("version", version))
        description = own.get("description", description)
        citation = own.get("citation", citation)
    theory = Theory(
        name=name,
        version=version,
        title=title.strip(),
        variables=variables,
        outcome=outcome,
        rules=rules,
        description=description.strip(),
        citation=_citation(citation),
        references=MappingProxyType(references),
        source=source,
        roles=_roles(data),
        readings=readings,
        variant_of=data["name"] if own is not None else None,
    )
    if own is None:
        return theory
    # A base rule every cell of which the variant replaces is not part of the variant.
    used = {id(rule) for _, rule in theory.cells()}
    return replace(theory, rules=tuple(r for r in theory.rules if id(r) in used))
