"""The coding dictionary: topic groups, guards and cues, as an editable YAML file per case.

The default (``dictionaries/default.yaml``) is written in terms of the case's roles; a case's
own copy (:func:`case_dictionary_text`) has them filled in and is what a researcher edits.
:func:`load_dictionary` reads either, with every problem located by line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .._rules import load_rules_file
from .._yaml import LocatedData
from ..case.model import NO_ROLE, Case
from ..errors import Problem

__all__ = ["DICTIONARY_NAME", "Dictionary", "Group", "Term", "case_dictionary_text",
           "compile_term", "default_dictionary_path", "dictionary_for_case", "load_dictionary",
           "word_start"]

#: The name of a case's own dictionary, looked for beside its case file.
DICTIONARY_NAME = "statements-dictionary.yaml"
_PLACEHOLDERS = ("{institution}", "{rising}", "{established}", "{others}")
_TERMS = {"type": "array", "items": {"type": "string", "minLength": 1}}
_SCHEMA: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["schema_version", "groups"],
    "properties": {
        "schema_version": {"const": 1},
        "description": {"type": "string"},
        "window": {"type": "integer", "minimum": 0, "maximum": 10},
        "groups": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False,
            "required": ["id", "kind", "terms", "reasoning"],
            "properties": {
                "id": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
                "kind": {"enum": ["topic", "cue", "guard"]},
                "weight": {"type": "number", "exclusiveMinimum": 0, "maximum": 100},
                "reasoning": {"type": "string", "minLength": 1},
                "terms": {"type": "object", "minProperties": 1,
                          "propertyNames": {"pattern": "^[a-z]{2,3}$"},
                          "additionalProperties": _TERMS},
                "near": {"type": "array", "items": {"type": "string"}},
                "unless_near": {"type": "array", "items": {"type": "string"}},
                "propose": {"type": "object", "additionalProperties": False,
                            "required": ["variable", "level"],
                            "properties": {"variable": {"type": "string"},
                                           "level": {"type": "string"},
                                           "side": {"type": "string"}}},
            }}},
    }}


@dataclass(frozen=True, slots=True)
class Term:
    """One dictionary term and the pattern it compiles to."""

    text: str
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Group:
    """A group of terms: a topic, a guard or a cue (which proposes a variable and level)."""

    id: str
    kind: str
    weight: float
    reasoning: str
    terms: tuple[Term, ...]
    near: tuple[str, ...] = ()
    unless_near: tuple[str, ...] = ()
    propose: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Dictionary:
    """A loaded dictionary: its groups in file order and the sentence window of ``near``."""

    source: str
    groups: tuple[Group, ...]
    window: int = 1
    #: Term -> the actor id it names (filled from a case's actors): a text's own actor naming
    #: itself is no evidence of the topic ("Russia has always..." in Russia's speech).
    term_actors: Mapping[str, str] = field(default_factory=dict)

    def group(self, group_id: str) -> Group:
        return next(g for g in self.groups if g.id == group_id)


def default_dictionary_path() -> Path:
    return Path(str(resources.files("multilat") / "statements" / "dictionaries"
                    / "default.yaml"))


def compile_term(text: str) -> re.Pattern[str]:
    """A pattern for ``text`` as a whole word (with :func:`word_start`): ``*`` ends a word with
    any ending, spaces match any whitespace (line breaks too), a leading ``=`` keeps the
    letter case."""
    exact = text.startswith("=")
    body = text[1:] if exact else text
    words = body.split()
    parts = []
    for word in words:
        star = word.endswith("*")
        core = re.escape(word.rstrip("*")).replace("\\-", "[-\u2010\u2011 ]?")
        parts.append(core + (r"[\w'’\-]*" if star else ""))
    # No look-behind at the start: a pattern starting with a literal is searched much faster;
    # the word boundary before a match is checked by :func:`word_start`.
    pattern = r"\s+".join(parts) + r"(?![\w])"
    return re.compile(pattern, 0 if exact else re.IGNORECASE)


def word_start(text: str, start: int) -> bool:
    """Whether a match at ``start`` begins a word (no letter, digit or ``_`` before it)."""
    return start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_")


def _check(located: LocatedData) -> list[Problem]:
    """Ids unique; ``near``/``unless_near`` name groups; cues and topics have a weight."""
    data = located.data
    groups = data.get("groups") if isinstance(data, Mapping) else None
    if not isinstance(groups, list):
        return []
    problems: list[Problem] = []
    ids = [g.get("id") for g in groups if isinstance(g, Mapping)]
    seen: set[Any] = set()
    for index, group in enumerate(groups):
        if not isinstance(group, Mapping):
            continue
        where = ("groups", index)
        if group.get("id") in seen:
            problems.append(Problem(located.file, located.line((*where, "id")),
                                    f"groups[{index}].id", repr(group.get("id")),
                                    "ids unique among the groups"))
        seen.add(group.get("id"))
        for key in ("near", "unless_near"):
            for position, name in enumerate(group.get(key) or ()):
                if name not in ids:
                    problems.append(Problem(located.file,
                                            located.line((*where, key, position)),
                                            f"groups[{index}].{key}[{position}]", repr(name),
                                            "the id of a group of this dictionary"))
        if group.get("kind") in ("topic", "cue") and "weight" not in group:
            problems.append(Problem(located.file, located.line(where), f"groups[{index}]",
                                    "no weight", "a weight for a topic or cue group"))
        if group.get("kind") == "cue" and "propose" not in group:
            problems.append(Problem(located.file, located.line(where), f"groups[{index}]",
                                    "a cue without propose",
                                    "propose: {variable, level} (the level it points to)"))
    return problems


def _role_terms(case: Case | None, roles: Mapping[str, Sequence[str]] | None
                ) -> dict[str, list[str]]:
    """Placeholder -> the terms it stands for, from ``case`` (or plain ``roles`` lists)."""
    if case is None:
        names = dict(roles or {})
        institution = list(names.get("institution", ()))
        out: dict[str, list[str]] = {p: [] for p in _PLACEHOLDERS}
        out["{institution}"] = institution
        for role in ("rising", "established", "others"):
            out["{" + role + "}"] = [_stem(n) for n in names.get(role, ())]
        return out
    parts = [p.strip() for p in re.split(r"[/()\[\];]", case.institution.name)]
    institution = [p for p in parts if p and not p.isdigit() and len(p) > 2]
    institution.append("=" + case.institution.id.upper())
    out = {"{institution}": institution}
    for placeholder, wanted in (("{rising}", "rising"), ("{established}", "established")):
        out[placeholder] = _actor_terms(a for a in case.actors if a.role == wanted)
    out["{others}"] = _actor_terms(a for a in case.actors if a.role == NO_ROLE)
    return out


def _stem(name: str) -> str:
    """``Russia`` -> ``Russia*`` (Russian, Russia's); a multi-word name stars its last word."""
    return name if name.endswith("*") or name.startswith("=") else name + "*"


def _actor_terms(actors: Any) -> list[str]:
    terms: list[str] = []
    for actor in actors:
        terms.append(_stem(actor.name))
        if actor.id.isupper() and len(actor.id) >= 2:
            terms.append("=" + actor.id)
    return terms


def _term_actors(case: Case | None) -> dict[str, str]:
    """Each actor's generated terms -> its id."""
    if case is None:
        return {}
    return {term: actor.id for actor in case.actors for term in _actor_terms([actor])}


def _fill(groups: list[dict[str, Any]], fills: Mapping[str, list[str]]) -> list[dict[str, Any]]:
    out = []
    for group in groups:
        terms: dict[str, list[str]] = {}
        for language, words in group["terms"].items():
            filled: list[str] = []
            for word in words:
                filled.extend(fills.get(word, [word]) if word in _PLACEHOLDERS else [word])
            terms[language] = list(dict.fromkeys(filled))
        out.append({**group, "terms": terms})
    return out


def _build(source: str, data: Mapping[str, Any], fills: Mapping[str, list[str]] | None,
           term_actors: Mapping[str, str] | None = None) -> Dictionary:
    raw = list(data["groups"])
    if fills is not None:
        raw = _fill(raw, fills)
    groups = []
    for group in raw:
        words = [w for language in group["terms"].values() for w in language
                 if w not in _PLACEHOLDERS]
        groups.append(Group(
            id=group["id"], kind=group["kind"], weight=float(group.get("weight", 0.0)),
            reasoning=" ".join(group["reasoning"].split()),
            terms=tuple(Term(w, compile_term(w)) for w in dict.fromkeys(words)),
            near=tuple(group.get("near", ())), unless_near=tuple(group.get("unless_near", ())),
            propose=dict(group["propose"]) if "propose" in group else None))
    return Dictionary(source, tuple(groups), int(data.get("window", 1)),
                      dict(term_actors or {}))


def load_dictionary(path: str | Path | None = None, *, case: Case | None = None,
                    roles: Mapping[str, Sequence[str]] | None = None) -> Dictionary:
    """Read a dictionary file (default: the default dictionary), placeholders filled from
    ``case`` (or ``roles``: ``{"institution": [...], "rising": [...], ...}``); a placeholder
    nothing fills matches nothing.

    Raises
    ------
    RulesFileError
        Every problem of the file, each with its line.
    """
    path = Path(path) if path is not None else default_dictionary_path()
    located = load_rules_file(path, _SCHEMA, _check)
    return _build(str(path), located.data, _role_terms(case, roles), _term_actors(case))


def dictionary_for_case(case: Case, path: str | Path | None = None) -> Dictionary:
    """The dictionary to code ``case``'s statements with: ``path``, else the case's own
    ``statements-dictionary.yaml`` beside its file, else the default filled from the case."""
    if path is None and case.folder is not None and (case.folder / DICTIONARY_NAME).is_file():
        path = case.folder / DICTIONARY_NAME
    return load_dictionary(path, case=case)


def case_dictionary_text(case: Case, template: str | Path | None = None) -> str:
    """The default dictionary (or ``template``) with the placeholders filled from ``case``:
    the file a researcher saves beside the case and edits."""
    path = Path(template) if template is not None else default_dictionary_path()
    located = load_rules_file(path, _SCHEMA, _check)
    data = dict(located.data)
    data["groups"] = _fill(list(data["groups"]), _role_terms(case, None))
    data["description"] = (f"Dictionary for the case {case.id}, generated by multilat from "
                           f"{path.name} with the case's actors and institution. Edit it: "
                           "add the names your sources use, in each of their languages.")
    head = ("# Coding dictionary for statements (docs/statements.md). Generated from the case's\n"
            "# actors and institution; every group keeps its reasoning. Edit freely.\n")
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return head + body
