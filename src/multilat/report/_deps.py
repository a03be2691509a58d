"""Lazy imports of the report's optional dependencies, with an install hint when absent."""

from __future__ import annotations

import importlib
from types import ModuleType

from ..errors import MissingDependencyError

__all__ = ["require"]

_PACKAGES = {"jinja2": "jinja2", "matplotlib": "matplotlib", "citeproc": "citeproc-py"}


def require(module: str) -> ModuleType:
    """Import ``module`` or raise :class:`MissingDependencyError` naming the ``report`` extra.

    Raises
    ------
    MissingDependencyError
        When the module is not installed; the message says ``pip install "multilat[report]"``.
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        top = module.split(".", 1)[0]
        raise MissingDependencyError(_PACKAGES.get(top, top), "report",
                                     "Writing a report") from None
