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


#: Limits on what a YAML file may hold (docs/reliability.md).
MAX_BYTES = 50_000_000
MAX_DEPTH = 100
#: Values constructed again through aliases (each use of an anchor re-reads its value).
MAX_ALIASED = 100_000
MAX_DIGITS = 100
_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in
               ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}


class _Budget:
    """Counts values read again through aliases; the first reading of a node is free."""

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.aliased = 0
        self.inside_alias = 0


class _Refused(Exception):
    """The text is well-formed YAML that multilat will not read (a limit, a tag)."""

    def __init__(self, line: int | None, path: FieldPath, found: str, expected: str) -> None:
        super().__init__(found)
        self.line, self.path, self.found, self.expected = line, path, found, expected


def _line_of(text: str, position: int | None) -> int | None:
    return None if position is None else text.count("\n", 0, max(position, 0)) + 1


def parse_yaml(text: str, file: str | Path) -> LocatedData:
    """Parse ``text``; every problem comes back as a located problem, never as an exception.

    Beyond syntax errors: control characters, unknown or unsafe tags (``!!python/object``),
    recursive aliases, alias expansion beyond :data:`MAX_ALIASED` values, nesting deeper than
    :data:`MAX_DEPTH`, integers of more than :data:`MAX_DIGITS` digits and texts over
    :data:`MAX_BYTES` are refused with the line where they are. Timestamps stay the text
    they were written as.
    """
    name = str(file)

    def refuse(line: int | None, field: str, found: str, expected: str) -> LocatedData:
        return LocatedData(None, {}, name, (Problem(name, line, field, found, expected),))

    if len(text) > MAX_BYTES:
        return refuse(None, "", f"a text of {len(text):,} characters",
                      f"at most {MAX_BYTES:,} characters")
    lines: dict[FieldPath, int] = {}
    problems: list[Problem] = []
    loader = None
    try:
        loader = yaml.SafeLoader(text)
        node = loader.get_single_node()
        budget = _Budget()
        data = None if node is None else _construct(loader, node, (), lines, problems, name,
                                                    budget, set())
    except _Refused as refused:
        return refuse(refused.line, format_path(refused.path), refused.found, refused.expected)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = None if mark is None else mark.line + 1
        found = (error.problem or "unreadable text").strip()
        if error.context:
            found = f"{found} ({error.context.strip()})"
        return refuse(line, "", f"a YAML syntax error: {found}", "valid YAML")
    except yaml.reader.ReaderError as error:  # control characters, NUL, U+FFFE...
        return refuse(_line_of(text, error.position), "",
                      f"the character U+{error.character:04X}" if isinstance(error.character, int)
                      else "an unreadable character",
                      "printable text (no control characters)")
    except yaml.YAMLError as error:
        return refuse(None, "", f"unreadable YAML: {error}", "valid YAML")
    except RecursionError:
        return refuse(None, "", "nesting too deep to read", f"at most {MAX_DEPTH} levels")
    finally:
        if loader is not None:
            loader.dispose()
    return LocatedData(data, lines, name, tuple(problems))


def _construct(
    loader: yaml.SafeLoader,
    node: yaml.Node,
    path: FieldPath,
    lines: dict[FieldPath, int],
    problems: list[Problem],
    file: str,
    budget: _Budget,
    active: set[int],
) -> Any:
    line = node.start_mark.line + 1
    lines.setdefault(path, line)
    again = id(node) in budget.seen
    budget.seen.add(id(node))
    if again or budget.inside_alias:
        budget.aliased += 1
        if budget.aliased > MAX_ALIASED:
            raise _Refused(line, path, f"aliases that expand to more than {MAX_ALIASED:,} "
                           "values", "a file without alias bombs")
    if again:
        budget.inside_alias += 1
        try:
            return _construct_node(loader, node, path, lines, problems, file, budget, active,
                                   line)
        finally:
            budget.inside_alias -= 1
    return _construct_node(loader, node, path, lines, problems, file, budget, active, line)


def _construct_node(loader: yaml.SafeLoader, node: yaml.Node, path: FieldPath,
                    lines: dict[FieldPath, int], problems: list[Problem], file: str,
                    budget: _Budget, active: set[int], line: int) -> Any:
    if len(path) > MAX_DEPTH:
        raise _Refused(line, path, f"nesting deeper than {MAX_DEPTH} levels",
                       f"at most {MAX_DEPTH} levels")
    if node.tag not in _PLAIN_TAGS:
        raise _Refused(line, path, f"the tag {node.tag!r}",
                       "plain YAML (no tags beyond !!str, !!int, !!float, !!bool, !!null)")
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        if id(node) in active:
            raise _Refused(line, path, "a recursive alias", "a file without self-reference")
        active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return _mapping(loader, node, path, lines, problems, file, budget, active)
            return [_construct(loader, item, (*path, index), lines, problems, file, budget,
                               active) for index, item in enumerate(node.value)]
        finally:
            active.discard(id(node))
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value  # a date stays the text it was written as
    if node.tag == "tag:yaml.org,2002:int":
        digits = sum(ch.isdigit() for ch in str(node.value))
        if digits > MAX_DIGITS:
            raise _Refused(line, path, f"a number of {digits} digits",
                           f"a number of at most {MAX_DIGITS} digits")
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError:
        raise
    except (ValueError, TypeError, AttributeError, OverflowError, LookupError) as error:
        kind = node.tag.rsplit(":", 1)[-1]
        raise _Refused(line, path, f"{node.value!r}, which is not a valid {kind} ({error})",
                       "a value of its type") from None


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, path: FieldPath,
             lines: dict[FieldPath, int], problems: list[Problem], file: str,
             budget: _Budget, active: set[int]) -> dict[Any, Any]:
    result: dict[Any, Any] = {}
    merged: set[Any] = set()
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":  # `<<: *base`: keys not given here
            sources = (value_node.value if isinstance(value_node, yaml.SequenceNode)
                       else [value_node])
            for source in sources:
                merged_value = _construct(loader, source, path, {}, problems, file, budget,
                                          active)
                if not isinstance(merged_value, dict):
                    raise _Refused(key_node.start_mark.line + 1, path,
                                   "a merge key (<<) of something not a mapping",
                                   "<< followed by a mapping or a list of mappings")
                for key, value in merged_value.items():
                    if key not in result:
                        result[key] = value
                        merged.add(key)
            continue
        if not isinstance(key_node, yaml.ScalarNode):
            raise _Refused(key_node.start_mark.line + 1, path, "a key that is a list or mapping",
                           "plain keys")
        # Keys are text, as in JSON (a year or a number written as a key becomes its text), so
        # every later check can join, sort and compare them.
        key = key_node.value if isinstance(key_node.value, str) else str(key_node.value)
        if key_node.tag not in _PLAIN_TAGS:
            raise _Refused(key_node.start_mark.line + 1, path, f"the tag {key_node.tag!r}",
                           "plain keys")
        child = (*path, key)
        if key in merged:
            merged.discard(key)  # a key written out overrides the merged one
        elif key in result:
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
        result[key] = _construct(loader, value_node, child, lines, problems, file, budget,
                                 active)
    return result
