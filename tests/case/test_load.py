from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

import multilat
from multilat.errors import CaseFileError

GOOD = Path(__file__).parents[1] / "data" / "cases" / "good"
BUILTIN = multilat.examples.example_path("kazakhstan-eaeu")


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    position = -1
    for _ in range(occurrence):
        position = text.index(needle, position + 1)
    return text.count("\n", 0, position) + 1


def test_builtin_case_loads() -> None:
    case = multilat.load_example()
    assert case.id == "kazakhstan-eaeu"
    assert len(case.evidence) >= 30
    bibliography = multilat.load_bibliography(case.bibliography_path)
    for item in case.evidence:
        assert item.citation.key in bibliography, item.id
        assert item.rationale and "\n" not in item.rationale
        assert item.summary
    assert {e.variable for e in case.evidence} >= {
        "balance_of_outside_options", "indispensability", "strategy"}
    assert {e.side for e in case.evidence if e.variable == "balance_of_outside_options"} == {
        "rising", "established"}


def test_planted_errors_are_each_reported_at_their_line(tmp_path: Path) -> None:
    multilat.copy_example("kazakhstan-eaeu", tmp_path)
    path = tmp_path / "case.yaml"
    text = path.read_text()
    plants = [
        ("    level: indispensable\n    strength: hoop\n",
         "    level: indisp\n    strength: hoop\n", "level: indisp\n", "evidence[0].level",
         '"indisp"'),
        ("  - id: ind-central-asia-gateway\n", "  - id: ind-longest-border\n",
         "  - id: ind-longest-border", "evidence[1].id", "duplicate id"),
        ("      key: putin2011\n", "      key: putin2099\n", "key: putin2099",
         "citation.key", '"putin2099"'),
        ("    years: 2011\n", "    years: 2031\n", "years: 2031", "years",
         "inside the case's span 2009-2019"),
        ("    side: established\n", "    side: establishd\n", "side: establishd", "side",
         "one of: rising, established"),
        ("    variable: strategy\n", "    variable: strategem\n", "variable: strategem",
         "variable", '"strategem"'),
    ]
    for old, new, _, _, _ in plants:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text)
    with pytest.raises(CaseFileError) as raised:
        multilat.load_case(path)
    problems = raised.value.problems
    rendered = [str(p) for p in problems]
    for _, _, needle, field, fragment in plants:
        occurrence = 2 if needle == "  - id: ind-longest-border" else 1
        line = _line_of(text, needle, occurrence)
        matches = [r for r in rendered if r.startswith(f"{path}:{line} ")]
        assert matches, (needle, line, rendered)
        assert any(field in m and fragment in m for m in matches), (needle, matches)
    assert len(problems) == len(plants)


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("schema_version: 1\nid: x\nactors: [\n  {id: a\n")
    with pytest.raises(CaseFileError) as raised:
        multilat.load_case(path)
    (problem,) = raised.value.problems
    assert problem.line is not None and problem.line >= 3
    assert "YAML syntax error" in str(problem)


def test_missing_bibliography_and_fields(case_dir: Path) -> None:
    path = case_dir / "case.yaml"
    text = path.read_text().replace("bibliography: refs.bib", "bibliography: nowhere.bib")
    text = text.replace("    rationale: Heavy dependence", "    rationales: Heavy dependence")
    path.write_text(text)
    problems = multilat.validate_case(path)
    rendered = "\n".join(str(p) for p in problems)
    assert f"{path}:{_line_of(text, 'bibliography:')} bibliography:" in rendered
    assert "no such file" in rendered
    assert "unknown field 'rationales'" in rendered
    assert "(did you mean 'rationale'?)" in rendered


def test_strength_and_ratio_are_exclusive(case_dir: Path) -> None:
    path = case_dir / "case.yaml"
    text = path.read_text().replace("    likelihood_ratio: 2.0\n",
                                    "    likelihood_ratio: 2.0\n    strength: hoop\n")
    path.write_text(text)
    (problem,) = multilat.validate_case(path)
    assert problem.field == "evidence[2]"
    assert problem.found == "both 'strength' and 'likelihood_ratio'"
    assert problem.expected == "exactly one of 'strength', 'likelihood_ratio', 'likelihoods'"


def test_duplicate_yaml_keys_are_problems(case_dir: Path) -> None:
    path = case_dir / "case.yaml"
    text = path.read_text().replace("title: A minimal test case\n",
                                    "title: A minimal test case\ntitle: again\n")
    path.write_text(text)
    (problem,) = multilat.validate_case(path)
    assert problem.line == 4 and "a second 'title' key" in problem.found


def test_dump_keeps_layers_in_their_files_and_the_users_comments(tmp_path: Path) -> None:
    case = multilat.load_example()
    source = Path(case.source).parent
    multilat.copy_example("kazakhstan-eaeu", tmp_path)
    target = tmp_path / "case.yaml"
    multilat.dump_case(case, target)
    assert (tmp_path / "case.yaml.bak").exists()  # the user's file was kept
    # Unchanged, the hand-written files come back byte for byte (comments and all).
    for name in ("case.yaml", "rivals.yaml"):
        assert (tmp_path / name).read_bytes() == (source / name).read_bytes(), name
    assert multilat.load_case(target) == case
    # An edit keeps every comment and every other item's text.
    first, second = case.evidence[0], case.evidence[1]
    edited = dataclasses.replace(
        case, evidence=(dataclasses.replace(first, summary="A new summary."),
                        *case.evidence[2:]))
    multilat.dump_case(edited, target)
    text = target.read_text(encoding="utf-8")
    assert "# Reliability scale used throughout:" in text and "A new summary." in text
    assert f"id: {second.id}" not in text
    assert multilat.load_case(target) == edited
    # Inline: one self-contained file, every item keeping its layer.
    alone = tmp_path / "alone" / "case.yaml"
    alone.parent.mkdir()
    (alone.parent / "references.bib").write_bytes((source / "references.bib").read_bytes())
    for theory in ("border-security.yaml", "russia-west.yaml", "multi-vector.yaml"):
        (alone.parent / theory).write_bytes((source / theory).read_bytes())
    multilat.dump_case(case, alone, inline=True)
    assert multilat.load_case(alone) == case
    assert sorted(p.name for p in alone.parent.iterdir()) == [
        "border-security.yaml", "case.yaml", "multi-vector.yaml", "references.bib",
        "russia-west.yaml"]


def test_schema_validates_the_builtin_case() -> None:
    import yaml
    from jsonschema import Draft202012Validator

    for theory in (None, multilat.load_theory("kpr")):
        schema = multilat.case_schema(theory)
        Draft202012Validator.check_schema(schema)
        data = yaml.safe_load(BUILTIN.read_text())
        assert list(Draft202012Validator(schema).iter_errors(data)) == []
    kpr_schema = json.dumps(multilat.case_schema(multilat.load_theory("kpr")))
    assert "balance_of_outside_options" in kpr_schema and "hold_up" in kpr_schema


def test_evidence_files_are_layers(case_dir: Path) -> None:
    (case_dir / "extra.yaml").write_text(
        "schema_version: 1\nlayer: extra\nevidence:\n"
        "  - id: x1\n    kind: statistic\n    years: 2003\n    actor: RIS\n"
        "    summary: s\n    variable: indispensability\n    level: dispensable\n"
        "    strength: hoop\n    citation: {key: smith2020}\n    rationale: r\n"
        "  - id: e1\n    kind: statistic\n    years: 2003\n    actor: RIS\n"
        "    summary: s\n    variable: indispensability\n    level: dispensible\n"
        "    strength: hoop\n    citation: {key: smith2020}\n    rationale: r\n")
    path = case_dir / "case.yaml"
    path.write_text(path.read_text().replace(
        "bibliography: refs.bib", "bibliography: refs.bib\nevidence_files: [extra.yaml]"))
    rendered = [str(p) for p in multilat.validate_case(path)]
    extra = case_dir / "extra.yaml"
    extra_text = extra.read_text()
    level_line = _line_of(extra_text, "level: dispensible")
    id_line = _line_of(extra_text, "id: e1")
    assert f"{extra}:{level_line} evidence[1].level: found \"dispensible\"" in "\n".join(rendered)
    assert any(r.startswith(f"{extra}:{id_line} evidence[1].id") and "duplicate" in r
               for r in rendered)
    text = (extra).read_text().replace("id: e1", "id: x2").replace("dispensible", "dispensable")
    extra.write_text(text)
    case = multilat.load_case(path)
    assert case.layers == ("core", "extra")
    assert [e.id for e in case.with_layers({"core"}).evidence] == [
        "e1", "e2", "e3", "e4", "e5", "e6"]


def test_csl_json_bibliography(case_dir: Path) -> None:
    items = [
        {"id": "smith2020", "type": "article-journal", "title": "A Test Article",
         "author": [{"family": "Smith", "given": "Jane"}], "issued": {"date-parts": [[2020]]}},
        {"id": "roe2019", "type": "book", "title": "A Test Book",
         "author": [{"family": "Roe", "given": "Richard"}], "issued": {"date-parts": [[2019]]}},
    ]
    (case_dir / "refs.json").write_text(json.dumps(items, indent=2))
    path = case_dir / "case.yaml"
    path.write_text(path.read_text().replace("bibliography: refs.bib", "bibliography: refs.json"))
    case = multilat.load_case(path)
    bibliography = multilat.load_bibliography(case.bibliography_path)
    assert bibliography.keys() == ["roe2019", "smith2020"]
    path.write_text(path.read_text().replace("key: roe2019", "key: roe2018", 1))
    (problem,) = multilat.validate_case(path)
    assert problem.field.endswith("citation.key") and "refs.json" in problem.expected


def test_bibtex_is_read_as_csl_items() -> None:
    case = multilat.load_example()
    entries = multilat.load_bibliography(case.bibliography_path).entries
    kastner = entries["kastner2016"]
    assert kastner["type"] == "article-journal"
    assert kastner["author"][0]["family"] == "Kastner"
    assert kastner["issued"] == {"date-parts": [[2016]]}


def test_every_missing_and_unknown_field_is_reported(case_dir: Path) -> None:
    path = case_dir / "case.yaml"
    text = path.read_text()
    text = text.replace("    kind: statistic\n", "", 1)
    text = text.replace("    rationale: Heavy dependence", "    rationales: Heavy dependence", 1)
    text = text.replace("    reliability: 0.9\n",
                        "    reliability: 0.9\n    foo: 1\n    bar: 2\n", 1)
    text = text.replace("title: A minimal test case", "title: 5")
    text = text.replace("level: invest", "level: investt")
    path.write_text(text)
    rendered = "\n".join(str(p) for p in multilat.validate_case(path))
    for fragment in ("evidence[0].kind: found nothing; expected a 'kind' field",
                     "evidence[0].rationale: found nothing; expected a 'rationale' field",
                     "unknown field 'rationales'", "unknown field 'foo'", "unknown field 'bar'",
                     "title: found 5; expected text",
                     'evidence[4].level: found "investt"'):
        assert fragment in rendered, (fragment, rendered)


def test_non_finite_numbers_are_refused(case_dir: Path) -> None:
    path = case_dir / "case.yaml"
    path.write_text(path.read_text().replace("likelihood_ratio: 2.0", "likelihood_ratio: .inf")
                    .replace("reliability: 0.9", "reliability: .nan"))
    rendered = [str(p) for p in multilat.validate_case(path)]
    assert any("evidence[2].likelihood_ratio: found inf; expected a finite number" in r
               for r in rendered)
    assert any("evidence[0].reliability: found nan; expected a finite number" in r
               for r in rendered)


def test_bytes_that_are_not_utf8(case_dir: Path) -> None:
    (case_dir / "refs.bib").write_bytes(b"@article{x,\n title = {caf\xe9}}\n")
    (problem,) = multilat.validate_case(case_dir / "case.yaml")
    assert "not UTF-8" in problem.found and problem.line == 2


def test_repeated_bibtex_key_and_empty_evidence_file(case_dir: Path) -> None:
    bib = case_dir / "refs.bib"
    bib.write_text(bib.read_text() + "@book{roe2019,\n  title = {Again},\n  year = {2019}\n}\n")
    (problem,) = multilat.validate_case(case_dir / "case.yaml")
    assert problem.file == str(bib) and problem.line == 15 and problem.field == "roe2019"
    bib.write_text((GOOD / "refs.bib").read_text())
    (case_dir / "empty.yaml").write_text("")
    path = case_dir / "case.yaml"
    path.write_text(path.read_text().replace(
        "bibliography: refs.bib", "bibliography: refs.bib\nevidence_files: [empty.yaml]"))
    (problem,) = multilat.validate_case(path)
    assert problem.file == str(case_dir / "empty.yaml") and problem.line == 1


def test_one_converter_between_items_and_mappings() -> None:
    """Every item of the built-in case (all layers) and of the test cases survives
    Evidence -> mapping -> Evidence, and every mapping is valid under the case schema."""
    import jsonschema

    from multilat.case import Evidence

    item_schema = multilat.case_schema()["properties"]["evidence"]["items"]
    cases = [multilat.load_example(),
             multilat.load_case(Path(__file__).parents[1] / "data" / "cases" / "good"
                                / "incumbents" / "case.yaml")]
    for case in cases:
        for item in case.evidence:
            mapping = item.to_mapping()
            jsonschema.validate(mapping, item_schema)
            assert Evidence.from_mapping(mapping) == item
            assert "layer" not in item.to_mapping(with_layer=False)


def test_evidence_items_that_are_not_mappings_are_located(tmp_path: Path) -> None:
    good = Path(__file__).parents[1] / "data" / "cases" / "good"
    (tmp_path / "refs.bib").write_text((good / "refs.bib").read_text())
    text = (good / "minimal.yaml").read_text().replace(
        "evidence:\n", 'evidence:\n  - "a string"\n  - 42\n  - null\n', 1)
    (tmp_path / "case.yaml").write_text(text)
    problems = multilat.validate_case(tmp_path / "case.yaml")
    fields = {p.field for p in problems}
    assert {"evidence[0]", "evidence[1]", "evidence[2]"} <= fields
    assert all(p.line for p in problems)


def test_a_case_built_in_memory_validates_like_a_file() -> None:
    import yaml

    from multilat.case import case_from_mapping, validate_case_mapping

    good = Path(__file__).parents[1] / "data" / "cases" / "good"
    data = yaml.safe_load((good / "minimal.yaml").read_text())
    case = case_from_mapping(data, good)
    assert case == multilat.load_case(good / "minimal.yaml")
    assert multilat.analyze(case).theory.name == "kpr"
    data["evidence"][0]["level"] = "nope"
    data["actors"][0]["role"] = "ris"
    data["evidence"][1] = "a string"
    problems = validate_case_mapping(data, good)
    assert {p.field for p in problems} >= {"actors", "actors[0].role", "evidence[0].level",
                                           "evidence[1]"}
    assert all(p.line is None and p.file == "case.yaml" for p in problems)
    with pytest.raises(CaseFileError, match="not plain"):
        case_from_mapping({"id": object()})


def test_a_full_disk_leaves_no_truncated_backup(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import shutil

    from multilat import _files

    target = tmp_path / "case.yaml"
    target.write_text("old text\n" * 1000)
    real = shutil.copyfileobj

    def full(source, destination, *args):  # type: ignore[no-untyped-def]
        destination.write(source.read(100))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfileobj", full)
    with pytest.raises(OSError):
        _files.atomic_write_text(target, "new text\n")
    monkeypatch.setattr(shutil, "copyfileobj", real)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml"]
    assert target.read_text() == "old text\n" * 1000
