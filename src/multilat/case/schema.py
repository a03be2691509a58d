"""The case file's JSON Schema: the single source of its structural rules.

``case_schema()`` is generic. ``case_schema(theory)`` adds, for editors, the theory's variable
names and each variable's levels and sides, so a YAML language server can complete them.
"""

from __future__ import annotations

from typing import Any

from ..settings import STRENGTHS
from ..theory.model import Theory

__all__ = ["CASE_SCHEMA_VERSION", "case_schema", "evidence_file_schema"]

CASE_SCHEMA_VERSION = 1

_ID = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
       "description": "an id of letters, digits, '.', '-' and '_'"}
_YEAR = {"type": "integer", "minimum": 1000, "maximum": 3000}
_CITATION = {
    "type": "object",
    "required": ["key"],
    "additionalProperties": False,
    "properties": {
        "key": {"type": "string", "minLength": 1,
                "description": "a key of the case's bibliography"},
        "pages": {"type": ["string", "integer"], "description": "page or page range"},
        "locator": {"type": "string", "description": "where in the source, when no pages"},
    },
}
_SPAN = {
    "type": "object", "required": ["start", "end"], "additionalProperties": False,
    "properties": {"start": _YEAR, "end": _YEAR},
}
_PERIODS = {
    "type": "array", "minItems": 1,
    "items": {
        "type": "object", "required": ["id", "start", "end"],
        "additionalProperties": False,
        "properties": {"id": _ID, "label": {"type": "string"}, "start": _YEAR, "end": _YEAR},
    },
}
_YEARS = {
    "oneOf": [_YEAR, {"type": "array", "items": _YEAR, "minItems": 2, "maxItems": 2}],
    "description": "a year, or [first, last]",
}


def _evidence_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["id", "kind", "years", "actor", "summary", "variable",
                     "citation", "rationale"],
        "additionalProperties": False,
        "properties": {
            "id": _ID,
            "kind": {"enum": ["statistic", "action", "statement", "assessment"]},
            "years": _YEARS,
            "actor": {"type": "string", "description": "an actors[].id"},
            "summary": {"type": "string", "minLength": 1,
                        "description": "a short paraphrase in your own words"},
            "quote": {"type": "string", "maxLength": 300,
                      "description": "a short verbatim quotation (at most 300 characters)"},
            "variable": {"type": "string"},
            "level": {"type": "string"},
            "side": {"type": "string"},
            "strength": {"enum": list(STRENGTHS)},
            "likelihood_ratio": {"type": "number", "exclusiveMinimum": 0},
            "likelihoods": _LIKELIHOODS,
            "test": {"enum": list(STRENGTHS),
                     "description": "with likelihoods: the Van Evera test you judge the item "
                                    "to be (shown beside the test its numbers make)"},
            "found": {"type": "boolean"},
            "reliability": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
            "citation": _CITATION,
            "rationale": {"type": "string", "minLength": 1,
                          "description": "one line: why this direction and strength"},
            "layer": {"type": "string", "pattern": r"^[a-z][a-z0-9_-]*$",
                      "description": "a lowercase layer name"},
            "whose": {"type": "string",
                      "description": "on a side whose role several actors hold: the "
                                     "actors[].id the item is about"},
            "issue_area": {"type": "string",
                           "description": "an issue_areas[].id (default: the regime itself)"},
        },
        "oneOf": [{"required": ["strength"]}, {"required": ["likelihood_ratio"]},
                  {"required": ["likelihoods"]}],
        "anyOf": [{"required": ["level"]}, {"required": ["likelihoods"]}],
        # an asserted test label only beside likelihoods (if/then: both validators read it)
        "if": {"required": ["test"]},
        "then": {"required": ["likelihoods"]},
        "description": "an evidence item with one of a strength, a likelihood_ratio or "
                       "likelihoods (a level is required unless it has likelihoods)",
    }


_LIKELIHOODS = {
    "type": "object",
    "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1},
    "description": "P(E | level) for every level of the variable",
}
_GROUPS = {
    "type": "array",
    "description": "items that are not independent given their variable, each group weighed "
                   "as one fact",
    "items": {
        "type": "object", "required": ["id", "items", "rationale"],
        "additionalProperties": False,
        "properties": {
            "id": _ID,
            "items": {"type": "array", "minItems": 2, "items": {"type": "string"},
                      "description": "ids of evidence items (any file of the case)"},
            "likelihoods": {**_LIKELIHOODS, "description": "the joint P(every item's "
                            "observation | level) for every level of the variable"},
            "correlation": {"oneOf": [
                {"type": "number", "minimum": -1, "maximum": 1},
                {"type": "object",
                 "additionalProperties": {"type": "number", "minimum": -1, "maximum": 1}}],
                "description": "two items: the correlation of the two clues given each level"},
            "rationale": {"type": "string", "minLength": 1,
                          "description": "one line: why the items depend on each other"},
        },
        "oneOf": [{"required": ["likelihoods"]}, {"required": ["correlation"]}],
    },
}


def case_schema(theory: Theory | None = None) -> dict[str, Any]:
    """The JSON Schema of case files; with a theory, its variables and levels are enumerated."""
    evidence = _evidence_schema()
    if theory is not None:
        names = [name for name, _, _ in theory.targets]
        evidence["properties"]["variable"] = {"enum": names}
        evidence["allOf"] = [
            {
                "if": {"properties": {"variable": {"const": name}}, "required": ["variable"]},
                "then": {"properties": {"level": {"enum": list(levels)},
                                        "likelihoods": {"propertyNames": {"enum": list(levels)},
                                                        "required": list(levels)},
                                        **({"side": {"enum": list(sides)}} if sides else {})}},
            }
            for name, levels, sides in theory.targets
        ]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://multilat.invalid/schema/case-1.json",
        "title": "multilat case file",
        "description": "A rising power in an institution over time, with cited evidence. "
                       "See docs/case-format.md.",
        "type": "object",
        "required": ["schema_version", "id", "title", "theory", "institution", "actors",
                     "span", "periods", "bibliography", "evidence"],
        "additionalProperties": False,
        "properties": {
            "schema_version": {"const": CASE_SCHEMA_VERSION},
            "id": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9_-]*$",
                   "description": "a lowercase id of letters, digits, '-' and '_'"},
            "title": {"type": "string", "minLength": 1},
            "description": {"type": "string"},
            "theory": {"type": "string", "minLength": 1,
                       "description": "a built-in theory name or a theory file path"},
            "institution": {
                "type": "object", "required": ["id", "name"], "additionalProperties": False,
                "properties": {"id": _ID, "name": {"type": "string"}},
            },
            "actors": {
                "type": "array", "minItems": 2,
                "items": {
                    "type": "object", "required": ["id", "name", "role"],
                    "additionalProperties": False,
                    "properties": {"id": _ID, "name": {"type": "string"},
                                   "role": {"type": "string", "pattern": r"^[a-z][a-z0-9_]*$",
                                            "description": "one of the theory's roles "
                                                           "(multilat theories), or other"}},
                },
            },
            "span": _SPAN,
            "periods": _PERIODS,
            "bibliography": {"type": "string", "minLength": 1,
                             "description": "a .bib or CSL-JSON .json file, relative to the case"},
            "priors": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": {"type": "number", "exclusiveMinimum": 0,
                                             "exclusiveMaximum": 1},
                },
            },
            "claims": {
                "type": "array",
                "description": "published conclusions to compare with; never used as evidence",
                "items": {
                    "type": "object",
                    "required": ["variable", "level", "years", "citation"],
                    "additionalProperties": False,
                    "properties": {"variable": {"type": "string"}, "level": {"type": "string"},
                                   "years": _YEARS, "citation": _CITATION,
                                   "note": {"type": "string"},
                                   "issue_area": {"type": "string"}},
                },
            },
            "issue_areas": {
                "type": "array",
                "description": "sub-issues within the regime, each analysed on its own",
                "items": {
                    "type": "object", "required": ["id", "name", "periods"],
                    "additionalProperties": False,
                    "properties": {"id": _ID, "name": {"type": "string", "minLength": 1},
                                   "description": {"type": "string"},
                                   "span": _SPAN, "periods": _PERIODS},
                },
            },
            "evidence": {"type": "array", "items": evidence},
            "evidence_groups": _GROUPS,
            "evidence_files": {
                "type": "array", "items": {"type": "string", "minLength": 1},
                "description": "evidence files (layers) to add, relative to this file",
            },
            "rival_theories": {
                "type": "array", "items": {"type": "string", "minLength": 1},
                "description": "other theories (names or files) whose variables evidence may "
                               "point at; used when comparing theories",
            },
        },
    }


def evidence_file_schema(theory: Theory | None = None) -> dict[str, Any]:
    """The JSON Schema of an evidence file: a named layer of evidence items for a case."""
    evidence = case_schema(theory)["properties"]["evidence"]
    evidence["items"]["properties"].pop("layer", None)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "multilat evidence file (a layer of a case's evidence)",
        "type": "object",
        "required": ["schema_version", "layer", "evidence"],
        "additionalProperties": False,
        "properties": {
            "schema_version": {"const": CASE_SCHEMA_VERSION},
            "layer": {"type": "string", "pattern": r"^[a-z][a-z0-9_-]*$",
                      "description": "a lowercase layer name"},
            "description": {"type": "string"},
            "evidence": evidence,
        },
    }
