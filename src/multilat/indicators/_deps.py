"""Lazy imports of the optional ``data`` extra (pandas, openpyxl, pyarrow)."""

from __future__ import annotations

import importlib
from types import ModuleType

from ..errors import MissingDependencyError

__all__ = ["require"]


def require(package: str, purpose: str) -> ModuleType:
    """Import ``package`` or raise :class:`MissingDependencyError` naming the ``data`` extra."""
    try:
        return importlib.import_module(package)
    except ModuleNotFoundError as error:
        if error.name != package:
            raise
        raise MissingDependencyError(package, "data", purpose) from None
