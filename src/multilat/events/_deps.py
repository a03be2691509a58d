"""Lazy imports of the optional ``events`` (DuckDB, pyarrow, SQLGlot) and ``spark`` extras."""

from __future__ import annotations

import importlib
from types import ModuleType

from ..errors import MissingDependencyError

__all__ = ["require"]

_EXTRA = {"duckdb": "events", "pyarrow": "events", "sqlglot": "events", "pyspark": "spark"}


def require(package: str, purpose: str) -> ModuleType:
    """Import ``package`` or raise :class:`MissingDependencyError` naming its extra."""
    try:
        return importlib.import_module(package)
    except ModuleNotFoundError as error:
        root = package.split(".")[0]
        if error.name not in (package, root):
            raise
        raise MissingDependencyError(root, _EXTRA.get(root, "events"), purpose) from None
