"""JSON text for people and programs: indented by two spaces, UTF-8 as written, keys in order.

orjson writes it about ten times faster than the standard library's indenting encoder (which
is pure Python whenever ``indent`` is set); a generated case's ``analyze --format json`` is
tens of megabytes. The text differs from ``json.dumps(indent=2)`` only where JSON leaves a
choice: a float's shortest form is orjson's (``1e-05`` is written ``0.00001``), and a
non-finite number is ``null`` (the standard library writes ``NaN``, which is not JSON).
"""

from __future__ import annotations

from typing import Any

__all__ = ["dumps"]


def _other(value: Any) -> Any:
    """What orjson does not know: NumPy scalars (as Python numbers), sets (sorted)."""
    if hasattr(value, "item") and callable(value.item):   # NumPy scalars
        return value.item()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def dumps(data: Any) -> str:
    """``data`` as indented JSON text (no final newline)."""
    import orjson

    options = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY
    return orjson.dumps(data, default=_other, option=options).decode("utf-8")
