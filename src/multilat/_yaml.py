"""YAML reading that remembers where every value came from.

PyYAML composes a node tree whose marks carry line numbers; we turn it into plain Python data
and keep a map from each field path (a tuple of keys and indices) to its 1-based line. Duplicate
keys, which PyYAML would silently collapse, are reported as problems.

Whatever the text, :func:`parse_yaml` returns problems rather than raising: characters YAML
forbids, syntax errors, unknown or unsafe tags (``!!python/object``...), values that do not
match their tag (``!!int x``), and texts past the limits below (file size, values, nesting,
aliases and what they expand to, number size). Keys are text: a key written as a number or a
boolean (``1:``, ``yes:``) is kept as written.

Speed: when LibYAML is there (``yaml.CSafeLoader``, whose nodes carry the same line marks), it
composes the text and the builder below turns the nodes into data, with the garbage collector
paused (the nodes and the data are millions of small objects that hold no cycles). The pure
loader above runs only when LibYAML is missing or the fast read is not clean (a syntax error,
a tag, an alias, a duplicate key, any limit): whatever it finds is then worded exactly as
before. The fast read is tried only on texts whose number of values is bounded well below
what a hostile text could make (:func:`_value_bound`).
"""

from __future__ import annotations

import gc
from array import array
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

__all__ = ["MAX_ALIASES", "MAX_ALIAS_VALUES", "MAX_DEPTH", "MAX_FILE_BYTES", "MAX_INTEGER",
           "MAX_NODES", "MAX_NUMBER_CHARS", "LocatedData", "format_path", "parse_yaml"]

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


#: Limits on what a YAML text may hold, checked while reading, so that no text costs more than
#: a few seconds and a few hundred megabytes (docs/reliability.md).
MAX_FILE_BYTES = 10_000_000
#: Values (mappings, lists, scalars) as written in one file.
MAX_NODES = 1_000_000
#: Levels of nested mappings and lists (also through aliases).
MAX_DEPTH = 100
#: Uses of aliases (``*name``) in one file.
MAX_ALIASES = 10_000
#: Values copied by aliases beyond those written (an alias copies its whole anchored value).
MAX_ALIAS_VALUES = 100_000
#: Characters of a number as written; the largest whole number (in size).
MAX_NUMBER_CHARS = 100
MAX_INTEGER = 10**18

_CORE = "tag:yaml.org,2002:"
_SCALARS = {f"{_CORE}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}
_TAGS = ("a value without a tag (or one of the tags !!str, !!int, !!float, !!bool, !!null, "
         "!!timestamp, !!map, !!seq)")
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE
_STR = f"{_CORE}str"
#: LibYAML's composer, or None when PyYAML was built without it.
_CLoader: Any = getattr(yaml, "CSafeLoader", None)
#: The fast read is tried while the bound on a text's values is at most this (each value is a
#: few hundred bytes while composing: this keeps a hostile text under about a gigabyte).
FAST_VALUE_BOUND = 3 * MAX_NODES
#: Characters that can start or separate values on one line.
_INDICATORS = ",[{:-?"


class _Refused(Exception):
    """A limit was passed: reading stops with this problem."""

    def __init__(self, line: int | None, field: str, found: str, expected: str) -> None:
        super().__init__(found)
        self.line, self.field, self.found, self.expected = line, field, found, expected


def _line(mark: Any) -> int | None:
    return None if mark is None else mark.line + 1


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, composing with bounds on values, nesting and aliases (its
    composer recurses once per level and would otherwise overflow the stack)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.depth = 0
        self.nodes = 0
        self.aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _Refused(_line(event.start_mark), "", f"more than {MAX_ALIASES} aliases",
                               f"at most {MAX_ALIASES} aliases (*name) in one file")
            return super().compose_node(parent, index)
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Refused(_line(event.start_mark), "", f"more than {MAX_NODES} values",
                           f"at most {MAX_NODES} values (mappings, lists, scalars) in one file")
        if self.depth >= MAX_DEPTH:
            raise _Refused(_line(event.start_mark), "",
                           f"values nested more than {MAX_DEPTH} deep",
                           f"at most {MAX_DEPTH} levels of nested mappings and lists")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag


def _bad_characters(text: str, file: str) -> list[Problem]:
    """Characters YAML does not allow (control characters, DEL, U+FFFE/FFFF...), at most one
    problem per line and ten in all."""
    problems: list[Problem] = []
    last = None
    for match in _NON_PRINTABLE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if line == last:
            continue
        last = line
        problems.append(Problem(file, line, "",
                                f"the character U+{ord(match.group()):04X} (a control or "
                                "non-character)", "text without control characters (tabs and "
                                "line breaks aside)"))
        if len(problems) == 10:
            break
    return problems


def _value_bound(text: str) -> int:
    """An upper bound on the values a text composes to: a line or an indicator (``- : , [ {
    ?``) starts at most three (a mapping, its key and its value)."""
    return 3 * (1 + text.count("\n") + sum(text.count(c) for c in _INDICATORS))


@contextmanager
def gc_paused() -> Iterator[None]:
    """The garbage collector off inside the block (as it was after it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _fast(text: str, name: str) -> LocatedData | None:
    """The text read by LibYAML, or None when it is not clean (the pure loader then words what
    is wrong)."""
    if _CLoader is None or _value_bound(text) > FAST_VALUE_BOUND:
        return None
    loader = None
    try:
        with gc_paused():
            loader = _CLoader(text)
            node = loader.get_single_node()
            if node is None:
                return LocatedData(None, {}, name)
            builder = _Builder(loader, name, compact=True)
            data = builder.build(node, (), 0)
    except Exception:  # noqa: BLE001 - anything unusual is worded by the pure loader
        return None
    finally:
        if loader is not None:
            loader.dispose()
    if builder.problems or builder.copied or builder.nodes > MAX_NODES:
        return None
    return LocatedData(data, _CompactLines(data, builder.order), name)


#: Texts up to this size that read without a problem are kept read in multilat's on-disk
#: cache (:mod:`._cache`), so that the files a researcher edits by hand and runs hundreds of
#: times (a case, its theory, a small layer) are not parsed again while their bytes are
#: unchanged. Larger texts (generated layers) are always read: their entries would fill the
#: cache with a copy per version.
CACHE_MAX_CHARS = 1 << 20
#: Bump when what a text is read into changes: earlier entries are then not reused.
_CACHE_FORMAT = "2"


def _from_cache(text: str, name: str) -> LocatedData | None:
    if len(text) > CACHE_MAX_CHARS:
        return None
    from . import _cache

    body = _cache.read("yaml", _cache.cache_key("yaml", _CACHE_FORMAT, text))
    if body is None:
        return None
    import marshal

    try:
        data, order = marshal.loads(body)
        lines = array("i", order)
    except (EOFError, ValueError, TypeError):
        return None
    return LocatedData(data, _CompactLines(data, lines), name)


def _to_cache(text: str, located: LocatedData) -> None:
    if len(text) > CACHE_MAX_CHARS:
        return
    import marshal

    lines = located.lines
    if not isinstance(lines, _CompactLines) or lines._order is None:
        return
    try:   # plain data only: a date or other value marshal cannot write is not cached
        body = marshal.dumps((located.data, lines._order.tobytes()))
    except ValueError:
        return
    from . import _cache

    _cache.write("yaml", _cache.cache_key("yaml", _CACHE_FORMAT, text), body)


def parse_yaml(text: str, file: str | Path, *, fast: bool = True) -> LocatedData:
    """Parse ``text``; every problem (syntax, tags, limits) comes back as a problem, never as
    an exception. ``fast=False`` uses the pure loader only (the same data, slower)."""
    name = str(file)

    def refused(line: int | None, found: str, expected: str, where: str = "") -> LocatedData:
        return LocatedData(None, {}, name, (Problem(name, line, where, found, expected),))

    if len(text) > MAX_FILE_BYTES:
        return refused(None, f"a text of {len(text)} characters",
                       f"at most {MAX_FILE_BYTES} characters")
    bad = _bad_characters(text, name)
    if bad:
        return LocatedData(None, {}, name, tuple(bad))
    if fast:
        located = _from_cache(text, name)
        if located is not None:
            return located
        located = _fast(text, name)
        if located is not None:
            _to_cache(text, located)
            return located
    loader = None
    try:
        with gc_paused():
            loader = _Loader(text)
            node = loader.get_single_node()
            if node is None:
                return LocatedData(None, {}, name)
            builder = _Builder(loader, name)
            data = builder.build(node, (), 0)
        return LocatedData(data, builder.lines, name, tuple(builder.problems))
    except _Refused as error:
        return refused(error.line, error.found, error.expected, error.field)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        found = (error.problem or "unreadable text").strip()
        if error.context:
            found = f"{found} ({error.context.strip()})"
        return refused(_line(mark), f"a YAML syntax error: {found}", "valid YAML")
    except yaml.YAMLError as error:
        return refused(None, f"unreadable YAML: {error}", "valid YAML")
    except RecursionError:
        return refused(None, "values nested too deep to read", f"at most {MAX_DEPTH} levels")
    except Exception as error:  # noqa: BLE001 - whatever a hostile text raises is a problem
        return refused(None, f"unreadable YAML ({type(error).__name__}: {error})"[:300],
                       "valid YAML")
    finally:
        if loader is not None:
            loader.dispose()


class LazyLines(Mapping[FieldPath, int]):
    """A line map made on first use by ``_map`` (only when a problem is worded)."""

    def _map(self) -> dict[FieldPath, int]:  # pragma: no cover - each subclass has one
        raise NotImplementedError

    def __getitem__(self, path: FieldPath) -> int:
        return self._map()[path]

    def __contains__(self, path: object) -> bool:
        return path in self._map()

    def __iter__(self) -> Iterator[FieldPath]:
        return iter(self._map())

    def __len__(self) -> int:
        return len(self._map())


class _CompactLines(LazyLines):
    """The line map of a clean read, kept as one array: the line of every field in the order
    the builder met them (a mapping's fields at their keys, a list's items where they start).
    The map from field paths is made from it and the data on first use, that is only when a
    problem is worded: a clean file keeps 4 bytes per field instead of a tuple and a dict
    entry (about 170 bytes)."""

    def __init__(self, data: Any, order: array[int]) -> None:
        self._data: Any = data
        self._order: array[int] | None = order
        self._lines: dict[FieldPath, int] | None = None

    def _map(self) -> dict[FieldPath, int]:
        if self._lines is None:
            assert self._order is not None
            lines: dict[FieldPath, int] = {}
            order = iter(self._order)

            def walk(value: Any, path: FieldPath, keyed: bool) -> None:
                if not keyed:
                    lines[path] = next(order)
                if isinstance(value, dict):
                    for key, child in value.items():
                        inner = (*path, key)
                        lines[inner] = next(order)
                        walk(child, inner, True)
                elif isinstance(value, list):
                    for index, child in enumerate(value):
                        walk(child, (*path, index), False)

            walk(self._data, (), False)
            self._lines, self._data, self._order = lines, None, None
        return self._lines



class _Builder:
    """Plain data from a composed node tree, with the line of every field.

    Aliases are followed (each use gives its own copy), counting what they copy; an alias to a
    value that contains it is refused. ``compact=True`` (the LibYAML read, used only when the
    text is clean) notes the lines in an array, in the order :class:`_CompactLines` reads them.
    """

    def __init__(self, loader: Any, file: str, *, compact: bool = False) -> None:
        self.loader = loader
        self.file = file
        self.compact = compact
        self.order: array[int] = array("i")
        self.lines: dict[FieldPath, int] = {}
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.active: set[int] = set()
        self.copied = 0
        self.nodes = 0

    def problem(self, node: yaml.Node, path: FieldPath, found: str, expected: str) -> None:
        problem = Problem(self.file, node.start_mark.line + 1, format_path(path), found,
                          expected)
        if problem not in self.problems:
            self.problems.append(problem)

    def build(self, node: yaml.Node, path: FieldPath, depth: int, keyed: bool = False) -> Any:
        key = id(node)
        line = node.start_mark.line + 1
        if key in self.active:
            raise _Refused(line, format_path(path), "a recursive alias (a value that contains "
                           "itself)", "aliases only to values outside themselves")
        if depth >= MAX_DEPTH:
            raise _Refused(line, format_path(path), f"values nested more than {MAX_DEPTH} "
                           "deep (through aliases)",
                           f"at most {MAX_DEPTH} levels of nested mappings and lists")
        if key in self.seen:
            self.copied += 1
            if self.copied > MAX_ALIAS_VALUES:
                raise _Refused(line, format_path(path), f"aliases copying more than "
                               f"{MAX_ALIAS_VALUES} values", f"aliases that copy at most "
                               f"{MAX_ALIAS_VALUES} values in all")
        else:
            self.nodes += 1
        self.seen.add(key)
        if not self.compact:
            self.lines.setdefault(path, line)
        elif not keyed:  # a mapping's field has its key's line
            self.order.append(line)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        self.active.add(key)
        try:
            if isinstance(node, yaml.MappingNode):
                self.check_tag(node, path, f"{_CORE}map")
                return self.mapping(node, path, depth)
            if isinstance(node, yaml.SequenceNode):
                self.check_tag(node, path, f"{_CORE}seq")
                return [self.build(item, (*path, index), depth + 1)
                        for index, item in enumerate(node.value)]
        finally:
            self.active.discard(key)
        return None  # pragma: no cover - PyYAML has no other node kinds

    def check_tag(self, node: yaml.Node, path: FieldPath, tag: str) -> None:
        if node.tag != tag:
            self.problem(node, path, f"the tag {_tag_name(node.tag)} (unknown or unsafe)",
                         _TAGS)

    def mapping(self, node: yaml.MappingNode, path: FieldPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                kind = "list" if isinstance(key_node, yaml.SequenceNode) else "mapping"
                self.problem(key_node, path, f"a {kind} as a key", "text keys")
                continue
            if key_node.tag == f"{_CORE}merge":
                self.problem(key_node, path, "a merge key '<<'",
                             "the keys written out (merge keys are not supported)")
                continue
            value = self.scalar(key_node, path)
            key = value if isinstance(value, str) else str(key_node.value)
            child = (*path, key)
            line = key_node.start_mark.line + 1
            if key in result:
                self.problems.append(Problem(self.file, line, format_path(child),
                                             f"a second {key!r} key",
                                             "each key once per mapping"))
            if self.compact:
                self.order.append(line)
            else:
                self.lines[child] = line
            result[key] = self.build(value_node, child, depth + 1, True)
        return result

    def scalar(self, node: yaml.ScalarNode, path: FieldPath) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value  # what SafeConstructor.construct_yaml_str returns
        if tag not in _SCALARS:
            self.problem(node, path, f"the tag {_tag_name(tag)} (unknown or unsafe)", _TAGS)
            return None
        text = node.value
        number = tag in (f"{_CORE}int", f"{_CORE}float")
        if number and len(text) > MAX_NUMBER_CHARS:
            self.problem(node, path, f"a number too large ({len(text)} characters)",
                         f"a number of at most {MAX_NUMBER_CHARS} characters")
            return None
        try:
            if tag == f"{_CORE}null" and text not in ("", "~", "null", "Null", "NULL"):
                raise ValueError(text)  # PyYAML would read any text as null
            value = self.loader.construct_object(node)
        except Exception:  # noqa: BLE001 - a value its tag does not fit (!!int x, 2020-13-45)
            self.problem(node, path, f"{_short(text)} tagged {_tag_name(tag)} (not a valid "
                         f"{_tag_name(tag)[2:]})", "a value its tag fits, or no tag")
            return None
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
            self.problem(node, path, f"a number too large ({_short(text)})",
                         "a whole number of at most 10^18 in size")
            return None
        return value


def _short(text: str) -> str:
    shown = repr(text)
    return shown if len(shown) <= 40 else shown[:37] + "...'"
