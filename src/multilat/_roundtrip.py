"""Write plain data over an existing YAML file, keeping the user's comments and key order.

The file is read with ruamel.yaml's round-trip loader and the new data merged into its tree:
mappings keep their keys' order (new keys go last, removed keys go), lists of items with an
``id`` are matched by id (so a comment above an item stays with it), and a scalar whose text
is unchanged keeps its original form (quotes, a folded block, ``5`` against ``"5"``).
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["merge_into_yaml"]


def _same_scalar(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    if isinstance(old, str) and isinstance(new, str):
        return " ".join(old.split()) == " ".join(new.split())
    return type(old) is type(new) and old == new or (
        isinstance(old, int | float | str) and isinstance(new, int | float | str)
        and str(old) == str(new))


def _ids(items: Any) -> list[Any] | None:
    if isinstance(items, list) and all(isinstance(i, Mapping) and "id" in i for i in items):
        return [i["id"] for i in items]
    return None


def _merge(old: Any, new: Any) -> Any:
    """``new``, reusing ``old``'s nodes (and the comments on them) where they still fit."""
    if isinstance(old, Mapping) and isinstance(new, Mapping) and hasattr(old, "ca"):
        for key in [k for k in old if k not in new]:
            del old[key]
        for key, value in new.items():
            old[key] = _merge(old[key], value) if key in old else value
        return old
    if isinstance(old, list) and isinstance(new, list) and hasattr(old, "ca"):
        before, after = _ids(old), _ids(new)
        if before is None or after is None:
            before = after = None
            if len(old) != len(new):
                return new
            for index, value in enumerate(new):
                old[index] = _merge(old[index], value)
            return old
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
            if tag == "equal":
                for offset in range(i2 - i1):
                    old[i1 + offset] = _merge(old[i1 + offset], new[j1 + offset])
                continue
            for index in range(i2 - 1, i1 - 1, -1):
                del old[index]
            for offset, value in enumerate(new[j1:j2]):
                old.insert(i1 + offset, value)
        return old
    if not isinstance(new, Mapping | list) and not isinstance(old, Mapping | list):
        return old if _same_scalar(old, new) else new
    return new


def _dash_offset(text: str) -> int:
    """How many columns a block list's ``-`` is indented under its parent key (0 or 2)."""
    lines = text.splitlines()
    for before, line in zip(lines, lines[1:], strict=False):
        stripped = before.rstrip()
        if stripped.endswith(":") and line.lstrip().startswith("- "):
            parent = len(before) - len(before.lstrip())
            return max(0, (len(line) - len(line.lstrip())) - parent)
    return 2


def merge_into_yaml(template: Path, data: Mapping[str, Any]) -> str:
    """The text of ``template`` (a YAML file) rewritten to hold ``data``, comments kept."""
    from ruamel.yaml import YAML  # a core dependency, imported only when a case is saved

    text = template.read_text(encoding="utf-8")
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    # The template's own layout: how far a list's dash sits under its key, and whether its
    # long lines were wrapped by a program (then at the same width) or by hand (never).
    offset = _dash_offset(text)
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    longest = max((len(line) for line in text.splitlines()), default=0)
    # PyYAML, which writes the generated layers, wraps at 100.
    yaml.width = 100 if offset == 0 and longest < 120 else 4096
    tree = yaml.load(text)
    if not isinstance(tree, Mapping):
        tree = {}
    merged = _merge(tree, data) if hasattr(tree, "ca") else dict(data)
    out = io.StringIO()
    yaml.dump(merged, out)
    return out.getvalue()
