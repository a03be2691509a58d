"""multilat: explain and monitor how a state behaves inside an international institution.

Does a rising power invest in an institution, hold it up for concessions, or accept it
passively? multilat weighs cited evidence about the Kastner-Pearson-Rector model's variables
per year and per period, pushes the beliefs through the theory's rule table, and compares the
predicted strategy with the observed one.

>>> import multilat
>>> analysis = multilat.analyze(multilat.load_example())
"""

from ._version import __version__

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

#: Every public name -> the module that defines it. Nothing is imported until a name is first
#: used (PEP 562), so ``import multilat`` and the command line's start-up stay light.
_LAZY = {
    "Analysis": "analysis",
    "Assessment": "assessment",
    "Bibliography": "bibliography",
    "Case": "case",
    "CaseFileError": "errors",
    "ClaimCheck": "analysis",
    "Evidence": "case",
    "InferenceError": "errors",
    "InputError": "errors",
    "MultilatError": "errors",
    "Problem": "errors",
    "Settings": "settings",
    "SettingsError": "errors",
    "Theory": "theory",
    "TheoryError": "errors",
    "analyze": "analysis",
    "assess": "assessment",
    "builtin_theories": "theory",
    "case_from_mapping": "case",
    "case_schema": "case",
    "compare_cases": "study",
    "copy_example": "examples",
    "default_settings": "settings",
    "dump_case": "case",
    "infer_variables": "infer",
    "list_examples": "examples",
    "load_bibliography": "bibliography",
    "load_case": "case",
    "load_example": "examples",
    "load_settings": "settings",
    "load_study": "study",
    "load_theory": "theory",
    "predict_strategy": "predict",
    "resolve_theory": "theory",
    "tabulate_evidence": "infer",
    "validate_case": "case",
    "validate_case_mapping": "case",
}


def __getattr__(name: str) -> object:
    """Import the module behind a public name on first use and keep the name here; a
    submodule (``multilat.examples``) is imported when first reached as an attribute, as it
    was when this package imported everything."""
    import importlib
    import importlib.util

    module = _LAZY.get(name)
    if module is None:
        if name.startswith("__") or importlib.util.find_spec(f"{__name__}.{name}") is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        return importlib.import_module(f".{name}", __name__)
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
