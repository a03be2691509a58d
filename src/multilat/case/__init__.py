"""Case files: the model, the JSON Schema, and loading with located errors."""

from .io import case_to_dict, dump_case, load_case, validate_case
from .model import Actor, Case, Claim, Evidence, Institution, Period
from .schema import CASE_SCHEMA_VERSION, case_schema

__all__ = [
    "CASE_SCHEMA_VERSION",
    "Actor",
    "Case",
    "Claim",
    "Evidence",
    "Institution",
    "Period",
    "case_schema",
    "case_to_dict",
    "dump_case",
    "load_case",
    "validate_case",
]
