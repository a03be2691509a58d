"""Evidence layers as YAML, JSON or Parquet files: reading into located data, writing from items.

The format is the file's suffix: ``.json`` (the same structure as a YAML layer), ``.parquet``
(one row per item, a column per field, the layer's own fields as key-value metadata; see
docs/case-format.md, "Evidence files as JSON or Parquet"), anything else YAML. Every reader
gives the plain data of the YAML layer format (:class:`~multilat._yaml.LocatedData`), which the
case loader checks alike; :meth:`Evidence.to_mapping` and :meth:`Evidence.from_mapping` stay
the one converter between items and that data. Parquet needs pyarrow (the ``parquet`` extra).

Problems in a Parquet layer name the row as their line (1-based: ``evidence[12]`` is row 13)
and the column as their field; a problem of a whole column says ``column NAME``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .._deps import require
from .._files import atomic_write_bytes, read_text
from .._json import parse_json
from .._yaml import (
    MAX_FILE_BYTES,
    MAX_INTEGER,
    MAX_NODES,
    FieldPath,
    LocatedData,
    _short,
    format_path,
    parse_yaml,
)
from ..errors import Problem
from .model import Evidence
from .schema import CASE_SCHEMA_VERSION, evidence_file_schema

__all__ = ["LAYER_FORMATS", "convert_layer", "layer_format", "read_layer", "write_layer"]

#: File suffix -> layer format.
LAYER_FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".parquet": "parquet"}
_NAMES = {"yaml": "YAML", "json": "JSON", "parquet": "Parquet"}

#: The item fields a Parquet layer holds as text columns.
_TEXT = ("id", "kind", "actor", "summary", "quote", "variable", "level", "side", "whose",
         "issue_area", "strength", "test", "rationale")
_NUMBERS = ("likelihood_ratio", "reliability")
_CITATION = ("key", "pages", "locator")


def layer_format(path: str | Path) -> str:
    """``"yaml"``, ``"json"`` or ``"parquet"``, by the file's suffix (YAML unless another)."""
    return LAYER_FORMATS.get(Path(path).suffix.lower(), "yaml")


def read_layer(path: str | Path) -> LocatedData | Problem:
    """An evidence file's plain data with the line (for Parquet: the row) of its fields, or
    the problem that kept it from being read. Nothing is checked against the schema here."""
    kind = layer_format(path)
    if kind == "parquet":
        return _read_parquet(Path(path))
    text = read_text(path, f"an evidence file ({_NAMES[kind]})", max_bytes=MAX_FILE_BYTES)
    if isinstance(text, Problem):
        return text
    return parse_json(text, path) if kind == "json" else parse_yaml(text, path)


def convert_layer(source: str | Path, target: str | Path, *, backup: bool = True) -> Path:
    """Write the evidence file ``source`` again as ``target``, in the format of ``target``'s
    suffix (YAML, JSON or Parquet), through :class:`Evidence`: the same items, so the same
    analysis (summaries and rationales come out with their white space folded, defaults such
    as ``reliability: 1.0`` written out). The file is checked against the evidence file schema
    first; what needs its case (variables, actors, citation keys) is checked when the case
    loads.

    Raises
    ------
    CaseFileError
        When ``source`` cannot be read or breaks the schema (every problem, located).
    """
    from .._files import is_file
    from .._validation import schema_problems
    from ..errors import CaseFileError

    source = Path(source)
    name = str(source)
    if not is_file(source):
        raise CaseFileError(name, [Problem(name, None, "", "no such file" if not source.exists()
                                           else "a folder", "an evidence file (YAML, JSON or "
                                           "Parquet)")])
    located = read_layer(source)
    if isinstance(located, Problem):
        raise CaseFileError(name, [located])
    if located.data is None and not located.problems:
        raise CaseFileError(name, [Problem(name, 1, "", "an empty file", "an evidence file")])
    problems = list(located.problems) or schema_problems(located, evidence_file_schema())
    if problems:
        raise CaseFileError(name, problems)
    data = located.data
    items = [Evidence.from_mapping(item, data["layer"]) for item in data["evidence"]]
    return write_layer(target, data["layer"], items, description=data.get("description"),
                       backup=backup)


# -- writing -------------------------------------------------------------------------------


def write_layer(path: str | Path, layer: str, items: Iterable[Evidence | Mapping[str, Any]], *,
                description: str | None = None, backup: bool = True) -> Path:
    """Write an evidence file at ``path`` (atomically; an existing file is first kept as
    ``.bak`` unless ``backup=False``), in the format of its suffix: YAML, JSON (one item per
    line) or Parquet.

    ``items`` are :class:`Evidence` (written with :meth:`Evidence.to_mapping`) or mappings in
    the file format. The file is not checked: the case that names it is, when it loads.
    """
    path = Path(path)
    mappings = [item.to_mapping(with_layer=False) if isinstance(item, Evidence) else dict(item)
                for item in items]
    head: dict[str, Any] = {"schema_version": CASE_SCHEMA_VERSION, "layer": layer}
    if description:
        head["description"] = description
    kind = layer_format(path)
    if kind == "parquet":
        data = _parquet_bytes(head, mappings)
    elif kind == "json":
        data = _json_text(head, mappings).encode("utf-8")
    else:
        import yaml

        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        data = yaml.dump({**head, "evidence": mappings}, Dumper=dumper, sort_keys=False,
                         allow_unicode=True, width=100).encode("utf-8")
    atomic_write_bytes(path, data, backup=backup)
    return path


def _json_text(head: Mapping[str, Any], items: list[dict[str, Any]]) -> str:
    """The layer as JSON with one item per line (so that a problem's line is its item's)."""
    lines = [json.dumps(item, ensure_ascii=False) for item in items]
    fields = ", ".join(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}"
                       for k, v in head.items())
    body = ",\n  ".join(lines)
    return f'{{{fields},\n "evidence": [\n  {body}\n ]}}\n' if lines else \
        f'{{{fields}, "evidence": []}}\n'


def _arrow_types(pa: Any) -> dict[str, Any]:
    """The Arrow type of each column multilat writes."""
    types: dict[str, Any] = {name: pa.string() for name in _TEXT}
    types.update({name: pa.float64() for name in _NUMBERS})
    types.update({
        "years": pa.list_(pa.int32()), "found": pa.bool_(),
        "likelihoods": pa.map_(pa.string(), pa.float64()),
        "citation": pa.struct([(name, pa.string()) for name in _CITATION])})
    return types


#: Columns in the order of :meth:`Evidence.to_mapping`'s keys.
_ORDER = ("id", "kind", "years", "actor", "summary", "quote", "variable", "level", "side",
          "whose", "issue_area", "strength", "likelihood_ratio", "likelihoods", "test",
          "found", "reliability", "citation", "rationale")
_REQUIRED = tuple(evidence_file_schema()["properties"]["evidence"]["items"]["required"])


def _column(name: str, values: list[Any]) -> list[Any]:
    """One field's values (None where an item lacks it) as the Arrow column takes them."""
    if name == "years":
        return [None if v is None else [v] if isinstance(v, int) else list(v) for v in values]
    if name == "likelihoods":
        return [None if v is None else list(v.items()) for v in values]
    if name == "citation":
        return [None if v is None else {k: None if v.get(k) is None else str(v[k])
                                        for k in _CITATION} for v in values]
    return values


def _parquet_bytes(head: Mapping[str, Any], items: list[dict[str, Any]]) -> bytes:
    pa = require("pyarrow", "parquet", "Writing a Parquet evidence layer")
    pq = require("pyarrow.parquet", "parquet", "Writing a Parquet evidence layer")
    types = _arrow_types(pa)
    present = {key for item in items for key in item}
    unknown = sorted(present - set(_ORDER))
    if unknown:
        raise ValueError(f"items: found the field {unknown[0]!r}; expected the fields of "
                         "evidence items")
    names = [n for n in _ORDER if n in present or n in _REQUIRED]
    arrays = [pa.array(_column(n, [item.get(n) for item in items]), type=types[n])
              for n in names]
    metadata = {key: str(value) for key, value in head.items()}
    table = pa.Table.from_arrays(arrays, schema=pa.schema(
        [pa.field(n, types[n]) for n in names], metadata=metadata))
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


# -- reading Parquet -----------------------------------------------------------------------


class _RowLines(Mapping[FieldPath, int]):
    """A Parquet layer's "lines": every field of item ``i`` is on row ``i + 1``."""

    def __init__(self, rows: int) -> None:
        self._rows = rows

    def __getitem__(self, path: FieldPath) -> int:
        if len(path) >= 2 and path[0] == "evidence" and isinstance(path[1], int) \
                and 0 <= path[1] < self._rows:
            return path[1] + 1
        raise KeyError(path)

    def __contains__(self, path: object) -> bool:
        return isinstance(path, tuple) and len(path) >= 2 and path[0] == "evidence" \
            and isinstance(path[1], int) and 0 <= path[1] < self._rows

    def __iter__(self) -> Iterator[FieldPath]:
        return (("evidence", i) for i in range(self._rows))

    def __len__(self) -> int:
        return self._rows


def _type_name(arrow_type: Any) -> str:
    return str(arrow_type).replace("large_", "")


class _Columns:
    """Checks each column's Arrow type against what its field holds; collects the problems."""

    def __init__(self, pa: Any, file: str) -> None:
        self.pa = pa
        self.types = pa.types
        self.file = file
        self.problems: list[Problem] = []

    def wrong(self, column: str, found: Any, expected: str) -> None:
        self.problems.append(Problem(self.file, None, f"column {column}",
                                     f"a column of {_type_name(found)}", expected))

    def text(self, arrow_type: Any) -> bool:
        t = self.types
        if t.is_dictionary(arrow_type):
            arrow_type = arrow_type.value_type
        return bool(t.is_string(arrow_type) or t.is_large_string(arrow_type)
                    or t.is_null(arrow_type))

    def number(self, arrow_type: Any) -> bool:
        t = self.types
        return bool(t.is_floating(arrow_type) or t.is_integer(arrow_type)
                    or t.is_null(arrow_type))

    def listed(self, arrow_type: Any) -> Any:
        t = self.types
        if t.is_list(arrow_type) or t.is_large_list(arrow_type) \
                or t.is_fixed_size_list(arrow_type):
            return arrow_type.value_type
        return None

    def check(self, name: str, arrow_type: Any) -> None:
        t = self.types
        if name in _TEXT:
            if not self.text(arrow_type):
                self.wrong(name, arrow_type, "text (a string column)")
        elif name in _NUMBERS:
            if not self.number(arrow_type):
                self.wrong(name, arrow_type, "numbers (a floating-point or integer column)")
        elif name == "found":
            if not (t.is_boolean(arrow_type) or t.is_null(arrow_type)):
                self.wrong(name, arrow_type, "true or false (a boolean column)")
        elif name == "years":
            inner = self.listed(arrow_type)
            if not (t.is_integer(arrow_type) or (inner is not None and t.is_integer(inner))):
                self.wrong(name, arrow_type, "a year or [first, last] (an integer column, or "
                           "a list of integers)")
        elif name == "likelihoods":
            if t.is_map(arrow_type):
                if not (self.text(arrow_type.key_type) and self.number(arrow_type.item_type)):
                    self.wrong(name, arrow_type, "P(E | level) by level (a map from strings "
                               "to numbers, or a struct of numbers)")
            elif t.is_struct(arrow_type):
                bad = [f for f in arrow_type if not self.number(f.type)]
                if bad:
                    self.wrong(f"{name}.{bad[0].name}", bad[0].type,
                               "a number, P(E | level)")
            elif not t.is_null(arrow_type):
                self.wrong(name, arrow_type, "P(E | level) by level (a map from strings to "
                           "numbers, or a struct of numbers)")
        elif name == "citation":
            if not t.is_struct(arrow_type):
                self.wrong(name, arrow_type, "a struct of key, pages and locator")
                return
            for child in arrow_type:
                if child.name not in _CITATION:
                    self.problems.append(Problem(
                        self.file, None, f"column {name}.{child.name}",
                        f"an unknown field {child.name!r}", f"one of: {', '.join(_CITATION)}"))
                elif not (self.text(child.type) or (child.name == "pages"
                                                    and t.is_integer(child.type))):
                    self.wrong(f"{name}.{child.name}", child.type, "text (a string column)")


def _read_parquet(path: Path) -> LocatedData:
    pa = require("pyarrow", "parquet", "Reading a Parquet evidence layer")
    pq = require("pyarrow.parquet", "parquet", "Reading a Parquet evidence layer")
    name = str(path)

    def refused(found: str, expected: str, field: str = "") -> LocatedData:
        return LocatedData(None, {}, name, (Problem(name, None, field, found, expected),))

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return refused(f"a file of {size} bytes",
                           f"an evidence file (Parquet) of at most {MAX_FILE_BYTES} bytes")
        handle = pq.ParquetFile(path)
    except OSError as error:
        return refused(f"an unreadable file ({error.strerror or error})",
                       "an evidence file (Parquet)")
    except Exception as error:  # noqa: BLE001 - pyarrow's ArrowInvalid and its kin
        return refused(f"a file that is not Parquet ({_reason(error)})",
                       "an evidence file in Parquet format (or name it .yaml or .json)")
    try:
        return _parquet_data(pa, handle, name, refused)
    finally:
        handle.close()


def _parquet_data(pa: Any, handle: Any, name: str,
                  refused: Callable[..., LocatedData]) -> LocatedData:
    meta = handle.metadata
    values = sum(meta.row_group(g).column(c).num_values for g in range(meta.num_row_groups)
                 for c in range(meta.num_columns))
    raw = sum(meta.row_group(g).total_byte_size for g in range(meta.num_row_groups))
    if values > MAX_NODES:
        return refused(f"more than {MAX_NODES} values ({values})",
                       f"at most {MAX_NODES} values (rows x columns) in one file")
    if raw > MAX_FILE_BYTES:
        return refused(f"{raw} bytes of data uncompressed",
                       f"at most {MAX_FILE_BYTES} bytes of data in one file")
    schema = handle.schema_arrow
    columns = _Columns(pa, name)
    known = set(_ORDER)
    for field in schema:
        if field.name in known:
            columns.check(field.name, field.type)
        else:
            import difflib

            close = difflib.get_close_matches(field.name, _ORDER, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            columns.problems.append(Problem(
                name, None, f"column {field.name}", f"an unknown column {field.name!r}",
                f"one of: {', '.join(sorted(_ORDER))}{hint}"))
    present = set(schema.names)
    for required in _REQUIRED:
        if required not in present:
            columns.problems.append(Problem(name, None, f"column {required}", "no such column",
                                            f"a {required!r} column (a field every item has)"))
    head, problems = _head(schema.metadata or {}, name)
    if columns.problems:
        return LocatedData(None, {}, name, tuple(columns.problems + problems))
    try:
        table = handle.read()
    except Exception as error:  # noqa: BLE001 - damaged pages, unsupported encodings
        return refused(f"an unreadable Parquet file ({_reason(error)})",
                       "an evidence file (Parquet)")
    items, problems = _items(table, name, problems)
    return LocatedData({**head, "evidence": items}, _RowLines(len(items)), name,
                       tuple(problems))


def _reason(error: Exception) -> str:
    text = " ".join(str(error).split())
    return (text if len(text) <= 160 else text[:157] + "...") or type(error).__name__


def _head(metadata: Mapping[bytes, bytes], file: str) -> tuple[dict[str, Any], list[Problem]]:
    """The layer's own fields (schema_version, layer, description) from the key-value
    metadata; other keys (pandas', Arrow's) are left alone."""
    head: dict[str, Any] = {}
    problems: list[Problem] = []
    for key in ("schema_version", "layer", "description"):
        raw = metadata.get(key.encode())
        if raw is None:
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(Problem(file, None, key, "bytes that are not UTF-8 in the "
                                    "file's metadata", "UTF-8 text"))
            continue
        head[key] = int(text) if key == "schema_version" and text.isdigit() else text
    return head, problems


def _items(table: Any, file: str, problems: list[Problem]) -> tuple[list[dict[str, Any]],
                                                                    list[Problem]]:
    """One mapping per row in the file format: a null is a field the item lacks."""
    names = table.column_names
    rows = table.num_rows
    converted = []
    for column in names:
        values = table.column(column).to_pylist()
        converted.append(_values(column, values, file, problems))
    items = [{k: v for k, v in zip(names, row, strict=True) if v is not None}
             for row in zip(*converted, strict=True)] if names else [{} for _ in range(rows)]
    return items, problems


def _values(column: str, values: list[Any], file: str, problems: list[Problem]) -> list[Any]:
    def too_large(row: int, path: FieldPath, value: int) -> None:
        problems.append(Problem(file, row + 1, format_path(("evidence", row, *path)),
                                f"a number too large ({_short(str(value))})",
                                "a whole number of at most 10^18 in size"))

    if column == "years":
        out: list[Any] = []
        for row, value in enumerate(values):
            if isinstance(value, list):
                if any(v is not None and abs(v) > MAX_INTEGER for v in value):
                    too_large(row, (column,), max(value, key=lambda v: abs(v or 0)))
                    value = None
                elif len(value) == 1:
                    value = value[0]
            elif value is not None and abs(value) > MAX_INTEGER:
                too_large(row, (column,), value)
                value = None
            out.append(value)
        return out
    if column == "likelihoods":
        out = []
        for row, value in enumerate(values):
            if isinstance(value, list):  # a map: (key, value) pairs
                mapping = dict(value)
                if len(mapping) != len(value):
                    keys = [k for k, _ in value]
                    twice = next(k for i, k in enumerate(keys) if k in keys[:i])
                    problems.append(Problem(file, row + 1, format_path(
                        ("evidence", row, column, twice)), f"a second {twice!r} key",
                        "each key once per mapping"))
                value = mapping
            elif isinstance(value, dict):  # a struct: its null fields are levels not given
                value = {k: v for k, v in value.items() if v is not None}
            out.append(_bounded(value, row, column, too_large))
        return out
    if column == "citation":
        return [None if value is None else
                _bounded({k: v for k, v in value.items() if v is not None}, row, column,
                         too_large) for row, value in enumerate(values)]
    if column in _NUMBERS:
        return [_bounded(value, row, column, too_large) for row, value in enumerate(values)]
    return values


def _bounded(value: Any, row: int, column: str, too_large: Any) -> Any:
    """``value`` unless a whole number in it is past the YAML reader's limit (then None and a
    problem)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) > MAX_INTEGER:
            too_large(row, (column,), value)
            return None
    elif isinstance(value, dict):
        for key, inner in value.items():
            if isinstance(inner, int) and not isinstance(inner, bool) \
                    and abs(inner) > MAX_INTEGER:
                too_large(row, (column, key), inner)
                return None
    return value
