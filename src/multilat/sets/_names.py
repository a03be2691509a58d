"""'Did you mean' hints for unknown set names."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

__all__ = ["suggest"]


def suggest(name: str, names: Sequence[str]) -> str:
    """`` (did you mean 'DEV'?)`` for the closest of ``names`` (case ignored), else ``""``."""
    same_case = [n for n in names if n.lower() == name.lower()]
    if same_case:
        return f" (did you mean {same_case[0]!r}?)"
    lowered = {n.lower(): n for n in names}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean {lowered[close[0]]!r}?)" if close else ""
