"""Optional dependencies, imported on first use: one helper for every package of multilat.

The extras (``pyproject.toml``): ``report`` (Jinja2, Matplotlib, citeproc-py), ``data``
(pandas, openpyxl, pyarrow), ``events`` (DuckDB, pyarrow, SQLGlot), ``parquet`` (pyarrow, for
Parquet evidence layers), ``spark`` (PySpark) and
``statements`` (scikit-learn, pypdf, python-docx).

>>> require("json", "data", "Reading JSON").__name__
'json'
"""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import MissingDependencyError

__all__ = ["require"]

#: Import name -> the distribution ``pip`` installs, where the two differ.
_DISTRIBUTIONS = {"citeproc": "citeproc-py", "sklearn": "scikit-learn", "docx": "python-docx"}


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """Import ``module``, or say which extra of multilat installs it.

    Parameters
    ----------
    module
        The module to import (``"pandas"``, ``"pyarrow.parquet"``, ``"pyspark.sql"``).
    extra
        The extra of multilat that installs it (``"data"``, ``"events"``, ``"spark"``,
        ``"report"``).
    purpose
        What needs it, to start the message (``"Aggregating events"``).

    Raises
    ------
    MissingDependencyError
        When ``module`` (or a package it is part of) is not installed; the message names the
        distribution and says ``pip install "multilat[extra]"``.
    ModuleNotFoundError
        As raised, when the module is installed but a module it imports in turn is missing
        (a broken installation, which the extra would not mend).
    """
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        parts = module.split(".")
        ours = {".".join(parts[:n]) for n in range(1, len(parts) + 1)}
        if error.name not in ours:
            raise
        raise MissingDependencyError(_DISTRIBUTIONS.get(parts[0], parts[0]), extra,
                                     purpose) from None
