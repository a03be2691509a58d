"""Evidence layers as YAML, JSON and Parquet: the same case gives the same items and numbers,
the same mistakes the same problems (at a line, or for Parquet a row), and malformed files
located problems."""

from __future__ import annotations

import gc
import importlib
import json
import math
import re
import weakref
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import multilat
from multilat import _json
from multilat._json import parse_json
from multilat._yaml import LocatedData, parse_yaml
from multilat.case import dump_case, load_case
from multilat.case import io as case_io
from multilat.case.layers import convert_layer, read_layer, write_layer
from multilat.cli import main
from multilat.errors import CaseFileError, MissingDependencyError

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

FORMATS = ("yaml", "json", "parquet")
LAYERS_LINE = "evidence_files: [rivals.yaml, data-layer.yaml, events-layer.yaml]"


def _item(number: int, **fields: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": f"x{number:03d}", "kind": "statistic", "years": [2012, 2014], "actor": "KAZ",
        "summary": f"Item {number} for the layer formats.",
        "variable": "indispensability", "level": "indispensable", "strength": "hoop",
        "reliability": 0.8, "citation": {"key": "yuneman2020", "pages": "12-14"},
        "rationale": "Written by the test of the layer formats."}
    item.update(fields)
    return {k: v for k, v in item.items() if v is not None}


#: Items using every field the formats map differently: single years, likelihoods (with a
#: failed test and an asserted label), an explicit ratio, quote, side, no reliability, pages as
#: a number, a locator.
EXTRA = [
    _item(1),
    _item(2, years=2015, quote="a short quotation", kind="statement"),
    _item(3, variable="balance_of_outside_options", level=None, strength=None, side="rising",
          likelihoods={"favorable": 0.2, "unfavorable": 0.7}, test="hoop", found=False),
    _item(4, variable="strategy", level="hold_up", strength=None, likelihood_ratio=2.5,
          reliability=None, citation={"key": "yuneman2020", "pages": 80}),
    _item(5, variable="strategy", level=None, strength=None,
          likelihoods={"invest": 0.1, "hold_up": 0.6, "accept": 0.6},
          citation={"key": "yuneman2020", "locator": "section 2"}),
]


def _case_in(kind: str, folder: Path, extra: list[dict[str, Any]] | None = None) -> Path:
    """The built-in case with every layer (and an extra one) as ``kind`` files."""
    multilat.copy_example("kazakhstan-eaeu", folder)
    names = []
    for name in ("rivals.yaml", "data-layer.yaml", "events-layer.yaml"):
        target = name if kind == "yaml" else name.replace(".yaml", f".{kind}")
        if kind != "yaml":
            convert_layer(folder / name, folder / target)
        names.append(target)
    names.append(f"extra.{kind}")
    write_layer(folder / f"extra.{kind}", "extra", EXTRA if extra is None else extra,
                description="Items for the format tests.")
    path = folder / "case.yaml"
    text = path.read_text(encoding="utf-8")
    assert LAYERS_LINE in text
    path.write_text(text.replace(LAYERS_LINE, f"evidence_files: [{', '.join(names)}]"),
                    encoding="utf-8")
    return path


def _numbers(value: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every leaf of an analysis's JSON document, by path (the input hashes left out)."""
    if isinstance(value, dict):
        return [leaf for key, inner in value.items() if key != "inputs"
                for leaf in _numbers(inner, f"{path}.{key}")]
    if isinstance(value, list):
        return [leaf for index, inner in enumerate(value)
                for leaf in _numbers(inner, f"{path}[{index}]")]
    return [(path, value)]


def test_the_same_case_in_every_format_gives_the_same_analysis(tmp_path: Path) -> None:
    cases = {kind: load_case(_case_in(kind, tmp_path / kind)) for kind in FORMATS}
    yaml_case = cases["yaml"]
    assert len(yaml_case.evidence) > 60 and "extra" in yaml_case.layers
    reference = _numbers(multilat.analyze(yaml_case).to_dict())
    assert len(reference) > 1000
    for kind in ("json", "parquet"):
        case = cases[kind]
        assert case.evidence == yaml_case.evidence, kind
        assert case.layer_files == {layer: name.replace(".yaml", f".{kind}") for layer, name
                                    in yaml_case.layer_files.items()}
        numbers = _numbers(multilat.analyze(case).to_dict())
        assert [p for p, _ in numbers] == [p for p, _ in reference]
        for (where, got), (_, want) in zip(numbers, reference, strict=True):
            if isinstance(want, float):
                assert math.isclose(got, want, rel_tol=0, abs_tol=1e-12), (kind, where)
            else:
                assert got == want, (kind, where)


def test_every_format_round_trips_through_dump_case(tmp_path: Path) -> None:
    for kind in ("json", "parquet"):
        case = load_case(_case_in(kind, tmp_path / kind))
        multilat.copy_example("kazakhstan-eaeu", tmp_path / f"out-{kind}")  # theories, bib
        out = tmp_path / f"out-{kind}" / "case.yaml"
        dump_case(case, out, backup=False)
        written = sorted(p.name for p in out.parent.iterdir())
        assert f"extra.{kind}" in written and f"data-layer.{kind}" in written
        located = read_layer(out.parent / f"extra.{kind}")
        assert isinstance(located, LocatedData) and located.data["layer"] == "extra"
        assert located.data["description"] == "Items for the format tests."
        again = load_case(out)
        assert again.evidence == case.evidence


# -- the same mistakes, the same problems ------------------------------------------------

MISTAKES = [
    _item(10, level="indisp"),                                   # not a level
    _item(11, strength="hopp"),                                  # not a strength (schema)
    _item(12, years=2031),                                       # outside the case's span
    _item(13, actor="XYZ"),                                      # not an actor
    {k: v for k, v in _item(14).items() if k != "summary"},      # no summary (schema)
    _item(15, id="x010"),                                        # a duplicate id
    _item(16, citation={"key": "nobody2099"}),                   # not in the bibliography
    _item(17, reliability=float("nan")),                         # not finite
    _item(18, level=None, strength=None, likelihoods={"indispensable": 0.5}),  # a level short
    _item(19, variable="strategy", level="invest", strength=None, likelihood_ratio=3.0,
          found=False),                                          # found: false with a ratio
    _item(20),                                                   # fine
]


def _mistakes(kind: str, tmp_path: Path) -> tuple[Path, list[Any]]:
    path = _case_in(kind, tmp_path / kind, extra=MISTAKES)
    with pytest.raises(CaseFileError) as raised:
        load_case(path)
    layer = str(path.parent / f"extra.{kind}")
    return path.parent / f"extra.{kind}", [p for p in raised.value.problems if p.file == layer]


def _index(field: str) -> int:
    match = re.match(r"evidence\[(\d+)\]", field)
    assert match, field
    return int(match.group(1))


def test_the_same_mistakes_give_the_same_problems_in_every_format(tmp_path: Path) -> None:
    found = {kind: _mistakes(kind, tmp_path) for kind in FORMATS}
    words = {kind: sorted((p.field, p.found, p.expected) for p in problems)
             for kind, (_, problems) in found.items()}
    assert len(words["yaml"]) == 10
    assert {_index(field) for field, _, _ in words["yaml"]} == set(range(10))
    assert words["json"] == words["yaml"]
    assert words["parquet"] == words["yaml"]
    # where: YAML and JSON at the line of the item's field, Parquet at the item's row
    yaml_path, yaml_problems = found["yaml"]
    yaml_lines = parse_yaml(yaml_path.read_text(encoding="utf-8"), yaml_path)
    for problem in yaml_problems:
        assert problem.line == yaml_lines.line(_path(problem.field)), problem
    json_path, json_problems = found["json"]
    json_text = json_path.read_text(encoding="utf-8").split("\n")
    for problem in json_problems:
        assert problem.line is not None
        assert f'"id": "x{10 + _index(problem.field):03d}"' in json_text[problem.line - 1] or \
            _index(problem.field) == 5, problem
    for problem in found["parquet"][1]:
        assert problem.line == _index(problem.field) + 1, problem


def _path(field: str) -> tuple[str | int, ...]:
    parts: list[str | int] = []
    for name, index in re.findall(r"([A-Za-z_]+)|\[(\d+)\]", field):
        parts.append(int(index) if index else name)
    return tuple(parts)


# -- malformed JSON ----------------------------------------------------------------------


def _problems(path: Path) -> list[Any]:
    """The problems of an evidence file as the case loader would give them (read + schema)."""
    problems: list[Any] = []
    case_io._read_evidence_file(path, LocatedData({}, {}, "case.yaml"), ("evidence_files", 0),
                                problems)
    return problems


def _layer_text(items: list[dict[str, Any]] | None = None) -> str:
    return json.dumps({"schema_version": 1, "layer": "extra", "evidence": items or EXTRA},
                      indent=2)


def test_truncated_json_gives_its_line_and_column(tmp_path: Path) -> None:
    text = _layer_text()
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    (problem,) = _problems(path)
    assert problem.file == str(path) and problem.line is not None and problem.line > 10
    assert problem.found.startswith("a JSON syntax error: ") and "column" in problem.found
    assert problem.expected == "valid JSON"


def test_json_of_the_wrong_shape_is_worded_as_yaml_is(tmp_path: Path) -> None:
    for text in ("[1, 2]\n", '{"schema_version": 1, "layer": "Bad Name", "evidence": {}}\n',
                 _layer_text([{**EXTRA[0], "years": "2012"}])):
        as_json, as_yaml = tmp_path / "f.json", tmp_path / "f.yaml"
        as_json.write_text(text, encoding="utf-8")
        as_yaml.write_text(text, encoding="utf-8")   # JSON is YAML: the same problems
        got = [(p.line, p.field, p.found, p.expected) for p in _problems(as_json)]
        want = [(p.line, p.field, p.found, p.expected) for p in _problems(as_yaml)]
        assert got and got == want, text


def test_json_duplicate_keys_and_long_numbers_at_their_lines() -> None:
    text = ('{"schema_version": 1,\n "layer": "a",\n "layer": "b",\n "evidence": [\n'
            '  {"id": "x", "years": ' + "9" * 30 + '},\n  {"v": ' + "1" * 120 + "}]}\n")
    got = parse_json(text, "f.json")
    want = parse_yaml(text, "f.json")
    assert got.problems == want.problems
    assert [(p.line, p.field) for p in got.problems] == [
        (3, "layer"), (5, "evidence[0].years"), (6, "evidence[1].v")]


def test_json_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    deep = "[" * 150 + "]" * 150
    assert "nested more than 100" in parse_json(deep, "f.json").problems[0].found
    assert "nested too deep" in parse_json("[" * 100_000 + "]" * 100_000,
                                           "f.json").problems[0].found
    monkeypatch.setattr(_json, "MAX_NODES", 20)
    (problem,) = parse_json(_layer_text(), "f.json").problems
    assert problem.found == "more than 20 values"
    assert parse_json("x" * (multilat._yaml.MAX_FILE_BYTES + 1), "f.json").problems
    assert parse_json("  \n", "f.json").data is None


def test_json_nan_is_refused_at_its_line(tmp_path: Path) -> None:
    path = _case_in("json", tmp_path, extra=[_item(1), _item(2, reliability=float("nan"))])
    with pytest.raises(CaseFileError) as raised:
        load_case(path)
    (problem,) = raised.value.problems
    assert (problem.line, problem.field, problem.found, problem.expected) == (
        4, "evidence[1].reliability", "nan", "a finite number")


def test_a_clean_json_file_computes_no_line_map() -> None:
    located = parse_json(_layer_text(), "f.json")
    assert not located.problems and located.lines._lines is None  # type: ignore[attr-defined]
    assert located.line(("evidence", 1, "years")) == _layer_text().split("\n").index(
        '      "years": 2015,') + 1


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner,
                                                                max_size=4),
    max_leaves=30)


def _count(value: Any) -> tuple[int, int]:
    """(values, depth) as the YAML reader counts them."""
    if isinstance(value, dict):
        inner = [_count(v) for v in value.values()]
        return (1 + len(value) + sum(n for n, _ in inner),
                1 + max((d for _, d in inner), default=0))
    if isinstance(value, list):
        inner = [_count(v) for v in value]
        return 1 + sum(n for n, _ in inner), 1 + max((d for _, d in inner), default=0)
    return 1, 0


@settings(max_examples=500, deadline=None)
@given(_JSON, st.sampled_from([None, 1, 2]))
def test_json_counts_and_lines_match_the_yaml_reader(value: Any, indent: int | None) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=False)  # (PyYAML splits \ud800\udc00)
    assert _json._structure(text) == _count(value)
    as_json, as_yaml = parse_json(text, "f"), parse_yaml(text, "f")
    # YAML 1.1 refuses a few JSON texts (keys like "<<") and breaks lines also at U+0085,
    # U+2028 and U+2029 (JSON, its decoder's error lines and multilat's: at "\n" only)
    if not as_yaml.problems and not any(c in text for c in "\x85\u2028\u2029"):
        assert dict(as_json.lines) == dict(as_yaml.lines)


# -- malformed Parquet -------------------------------------------------------------------


def _parquet(path: Path, table: Any, metadata: dict[str, str] | None = None) -> Path:
    if metadata is not None:
        table = table.replace_schema_metadata(metadata)
    pq.write_table(table, path)
    return path


def _good_table(tmp_path: Path) -> Any:
    write_layer(tmp_path / "good.parquet", "extra", EXTRA)
    return pq.read_table(tmp_path / "good.parquet")


HEAD = {"schema_version": "1", "layer": "extra"}


def test_parquet_missing_mistyped_and_unknown_columns(tmp_path: Path) -> None:
    table = _good_table(tmp_path)
    missing = _parquet(tmp_path / "a.parquet", table.drop_columns(["summary"]), HEAD)
    assert [(p.line, p.field, p.found) for p in _problems(missing)] == [
        (None, "column summary", "no such column")]
    index = table.column_names.index("reliability")
    mistyped = table.set_column(index, "reliability", pa.array(["high"] * len(table)))
    (problem,) = _problems(_parquet(tmp_path / "b.parquet", mistyped, HEAD))
    assert (problem.field, problem.found) == ("column reliability", "a column of string")
    assert "numbers" in problem.expected
    unknown = table.append_column("levl", pa.array(["x"] * len(table)))
    (problem,) = _problems(_parquet(tmp_path / "c.parquet", unknown, HEAD))
    assert (problem.field, problem.found) == ("column levl", "an unknown column 'levl'")
    assert problem.expected.endswith("(did you mean 'level'?)")


def test_parquet_schema_problems_name_row_and_column(tmp_path: Path) -> None:
    table = _good_table(tmp_path)
    index = table.column_names.index("kind")
    kinds = table.column("kind").to_pylist()
    kinds[3] = "rumour"
    bad = table.set_column(index, "kind", pa.array(kinds))
    (problem,) = _problems(_parquet(tmp_path / "k.parquet", bad, HEAD))
    assert (problem.line, problem.field, problem.found) == (4, "evidence[3].kind", '"rumour"')
    (problem,) = _problems(_parquet(tmp_path / "m.parquet", table, {"layer": "extra"}))
    assert (problem.field, problem.found, problem.expected) == (
        "schema_version", "nothing", "a 'schema_version' field")


def test_a_file_that_is_not_parquet(tmp_path: Path) -> None:
    for name, content in (("text.parquet", b"schema_version: 1\n"), ("empty.parquet", b"")):
        path = tmp_path / name
        path.write_bytes(content)
        (problem,) = _problems(path)
        assert problem.file == str(path) and problem.found.startswith("a file that is not "
                                                                      "Parquet")
    (problem,) = _problems(tmp_path / "absent.parquet")
    assert problem.found == '"absent.parquet" (no such file)'


def test_parquet_other_natural_columns_read_alike(tmp_path: Path) -> None:
    """Years as plain integers, likelihoods as a struct of levels: the same items."""
    items = [EXTRA[0], EXTRA[1], EXTRA[2]]
    write_layer(tmp_path / "map.parquet", "extra", items)
    table = pq.read_table(tmp_path / "map.parquet")
    struct = pa.array([None if v is None else dict(v) for v in
                       table.column("likelihoods").to_pylist()],
                      type=pa.struct([("favorable", pa.float64()),
                                      ("unfavorable", pa.float64())]))
    other = table.set_column(table.column_names.index("likelihoods"), "likelihoods", struct)
    one = _parquet(tmp_path / "struct.parquet", other, HEAD)
    plain = read_layer(tmp_path / "map.parquet")
    again = read_layer(one)
    assert isinstance(plain, LocatedData) and isinstance(again, LocatedData)
    assert again.data["evidence"] == plain.data["evidence"]
    years = pa.table({"id": ["a"], "kind": ["action"], "years": pa.array([2012], pa.int64()),
                      "actor": ["KAZ"], "summary": ["s"], "variable": ["strategy"],
                      "level": ["invest"], "strength": ["hoop"], "citation": [{"key": "k"}],
                      "rationale": ["r"]})
    located = read_layer(_parquet(tmp_path / "years.parquet", years, HEAD))
    assert isinstance(located, LocatedData) and located.data["evidence"][0]["years"] == 2012
    assert not _problems(tmp_path / "years.parquet")
    big = years.set_column(2, "years", pa.array([10**19], pa.uint64()))
    (problem,) = _problems(_parquet(tmp_path / "big.parquet", big, HEAD))
    assert (problem.line, problem.field) == (1, "evidence[0].years")


def test_parquet_without_pyarrow_names_the_extra(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = _case_in("parquet", tmp_path)
    real = importlib.import_module

    def fake(name: str, package: str | None = None) -> Any:
        if name.split(".")[0] == "pyarrow":
            raise ModuleNotFoundError("No module named 'pyarrow'", name="pyarrow")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", fake)
    with pytest.raises(MissingDependencyError, match=r'pip install "multilat\[parquet\]"'):
        load_case(path)


# -- memory: one layer's raw data at a time -------------------------------------------------


class _Tracked(dict):  # type: ignore[type-arg]
    """A dict a weak reference can follow."""


def test_each_layer_is_let_go_before_the_next_is_read(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = _case_in("json", tmp_path)
    alive: list[weakref.ref[Any]] = []
    real = case_io.read_layer

    def tracked(where: Path) -> Any:
        gc.collect()
        assert all(ref() is None for ref in alive), "an earlier layer's data is still held"
        located = real(where)
        assert isinstance(located, LocatedData)
        data = _Tracked(located.data)
        alive.append(weakref.ref(data))
        return LocatedData(data, located.lines, located.file, located.problems)

    monkeypatch.setattr(case_io, "read_layer", tracked)
    case = load_case(path)
    gc.collect()
    assert len(alive) == 4 and all(ref() is None for ref in alive)
    assert len(case.evidence) > 60


# -- the command -------------------------------------------------------------------------


def test_convert_layer_command(tmp_path: Path) -> None:
    runner = CliRunner()
    source = multilat.examples.example_path("kazakhstan-eaeu").parent / "data-layer.yaml"
    target = tmp_path / "data.parquet"
    result = runner.invoke(main, ["convert-layer", str(source), str(target)])
    assert result.exit_code == 0 and f"Wrote {target}." in result.output
    back = tmp_path / "data.json"
    assert runner.invoke(main, ["convert-layer", str(target), str(back)]).exit_code == 0
    assert read_layer(back).data == read_layer(  # type: ignore[union-attr]
        tmp_path / "data.parquet").data
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": 1,\n "layer": }', encoding="utf-8")
    result = runner.invoke(main, ["convert-layer", str(broken), str(tmp_path / "x.yaml")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{broken}:2 found a JSON syntax error" in result.output
    assert not (tmp_path / "x.yaml").exists()


def test_a_parquet_map_with_a_level_twice(tmp_path: Path) -> None:
    write_layer(tmp_path / "map.parquet", "extra", [EXTRA[0], EXTRA[2]])
    table = pq.read_table(tmp_path / "map.parquet")
    twice = pa.array([None, [("favorable", 0.2), ("favorable", 0.3)]],
                     type=pa.map_(pa.string(), pa.float64()))
    bad = table.set_column(table.column_names.index("likelihoods"), "likelihoods", twice)
    (problem,) = _problems(_parquet(tmp_path / "twice.parquet", bad, HEAD))
    assert (problem.line, problem.field, problem.found) == (
        2, "evidence[1].likelihoods.favorable", "a second 'favorable' key")
