"""YAML reading that remembers where every value came from.

PyYAML composes a node tree whose marks carry line numbers; we turn it into plain Python data
and keep a map from each field path (a tuple of keys and indices) to its 1-based line. Duplicate
keys, which PyYAML would silently collapse, are reported as problems.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

__all__ = ["LocatedData", "format_path", "parse_yaml"]

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class LocatedData:
    """Plain data parsed from a YAML text, with the line of every field."""

    data: Any
    lines: Mapping[FieldPath, int]
    file: str
    problems: tuple[Problem, ...] = field(default=())

    def line(self, path: FieldPath) -> int | None:
        """Line of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


def format_path(path: FieldPath) -> str:
    """``("evidence", 3, "level")`` -> ``"evidence[3].level"``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def parse_yaml(text: str, file: str | Path) -> LocatedData:
    """Parse ``text``; syntax errors come back as problems, never as exceptions."""
    name = str(file)
    loader = yaml.SafeLoader(text)
    lines: dict[FieldPath, int] = {}
    problems: list[Problem] = []
    try:
        node = loader.get_single_node()
        data = None if node is None else _construct(loader, node, (), lines, problems, name)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = None if mark is None else mark.line + 1
        found = (error.problem or "unreadable text").strip()
        if error.context:
            found = f"{found} ({error.context.strip()})"
        problem = Problem(name, line, "", f"a YAML syntax error: {found}", "valid YAML")
        return LocatedData(None, {}, name, (problem,))
    except yaml.YAMLError as error:  # e.g. a reader error on bad characters
        problem = Problem(name, None, "", f"unreadable YAML: {error}", "valid YAML")
        return LocatedData(None, {}, name, (problem,))
    finally:
        loader.dispose()
    return LocatedData(data, lines, name, tuple(problems))


def _construct(
    loader: yaml.SafeLoader,
    node: yaml.Node,
    path: FieldPath,
    lines: dict[FieldPath, int],
    problems: list[Problem],
    file: str,
) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) or key is None:
                key = str(key)
            child = (*path, key if isinstance(key, str) else str(key))
            if key in result:
                problems.append(
                    Problem(
                        file,
                        key_node.start_mark.line + 1,
                        format_path(child),
                        f"a second {key!r} key",
                        "each key once per mapping",
                    )
                )
            lines[child] = key_node.start_mark.line + 1
            result[key] = _construct(loader, value_node, child, lines, problems, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(loader, item, (*path, index), lines, problems, file)
            for index, item in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)
