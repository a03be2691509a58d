"""multilat: explain and monitor how a state behaves inside an international institution.

Does a rising power invest in an institution, hold it up for concessions, or accept it
passively? multilat weighs cited evidence about the Kastner-Pearson-Rector model's variables
per year and per period, pushes the beliefs through the theory's rule table, and compares the
predicted strategy with the observed one.

>>> import multilat
>>> analysis = multilat.analyze(multilat.load_example())
"""

__version__ = "0.1.0"

from .analysis import Analysis, ClaimCheck, analyze
from .bibliography import Bibliography, load_bibliography
from .case import (
    Case,
    Evidence,
    case_from_mapping,
    case_schema,
    dump_case,
    load_case,
    validate_case,
    validate_case_mapping,
)
from .errors import (
    CaseFileError,
    InferenceError,
    InputError,
    MultilatError,
    Problem,
    SettingsError,
    TheoryError,
)
from .examples import copy_example, list_examples, load_example
from .infer import infer_variables, tabulate_evidence
from .predict import predict_strategy
from .settings import Settings, default_settings, load_settings
from .theory import Theory, builtin_theories, load_theory, resolve_theory

__all__ = [
    "Analysis",
    "Assessment",
    "Bibliography",
    "Case",
    "CaseFileError",
    "ClaimCheck",
    "Evidence",
    "InferenceError",
    "InputError",
    "MultilatError",
    "Problem",
    "Settings",
    "SettingsError",
    "Theory",
    "TheoryError",
    "__version__",
    "analyze",
    "assess",
    "builtin_theories",
    "case_from_mapping",
    "case_schema",
    "compare_cases",
    "copy_example",
    "default_settings",
    "dump_case",
    "infer_variables",
    "list_examples",
    "load_bibliography",
    "load_case",
    "load_example",
    "load_settings",
    "load_study",
    "load_theory",
    "predict_strategy",
    "resolve_theory",
    "tabulate_evidence",
    "validate_case",
    "validate_case_mapping",
]

_LAZY = {"assess": "assessment", "Assessment": "assessment", "compare_cases": "study",
         "load_study": "study"}


def __getattr__(name: str) -> object:
    """``assess``, ``Assessment``, ``compare_cases`` and ``load_study`` load their modules only
    when first used."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
