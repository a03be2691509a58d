"""Case files: the model, the JSON Schema, and loading with located errors."""

from .io import (
    case_from_mapping,
    case_to_dict,
    dump_case,
    load_case,
    validate_case,
    validate_case_mapping,
)
from .model import Actor, Case, Claim, Evidence, Institution, IssueArea, Period
from .schema import CASE_SCHEMA_VERSION, case_schema

__all__ = [
    "CASE_SCHEMA_VERSION",
    "Actor",
    "Case",
    "Claim",
    "Evidence",
    "Institution",
    "IssueArea",
    "Period",
    "case_from_mapping",
    "case_schema",
    "case_to_dict",
    "dump_case",
    "load_case",
    "validate_case",
    "validate_case_mapping",
]
