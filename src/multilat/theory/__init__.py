"""Theories as data: variables, the outcome, and the rule table from level combinations."""

from .io import builtin_theories, load_theory, resolve_theory, theory_schema
from .model import Citation, Outcome, Role, Rule, Theory, Variable

__all__ = [
    "Citation",
    "Outcome",
    "Role",
    "Rule",
    "Theory",
    "Variable",
    "builtin_theories",
    "load_theory",
    "resolve_theory",
    "theory_schema",
]
