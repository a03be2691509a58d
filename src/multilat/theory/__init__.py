"""Theories as data: variables, the outcome, and the rule table from level combinations."""

from .io import builtin_theories, load_theory, theory_schema
from .model import Outcome, Rule, Theory, Variable

__all__ = [
    "Outcome",
    "Rule",
    "Theory",
    "Variable",
    "builtin_theories",
    "load_theory",
    "theory_schema",
]
