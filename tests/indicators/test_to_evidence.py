"""Evidence from indicators: a valid layer that changes the analysis only through its items."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

import multilat
from multilat.errors import RulesFileError
from multilat.indicators import default_rules_path, evidence_from_indicators, write_evidence_file

pytest.importorskip("pandas")


def _case_with_layer(tmp_path: Path, text: str) -> Path:
    multilat.copy_example("kazakhstan-eaeu", tmp_path)
    (tmp_path / "data-layer.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "case.yaml"


def test_output_loads_as_an_evidence_file_and_acts_only_through_its_items(
        tmp_path: Path) -> None:
    layer = evidence_from_indicators()
    assert layer.items, "the default rules fire on the shipped data"
    case = multilat.load_case(_case_with_layer(tmp_path, layer.to_yaml()))
    added = [e for e in case.evidence if e.layer == "data"]
    assert sorted(e.id for e in added) == sorted(item["id"] for item in layer.items)
    core_only = case.with_layers({"core"})
    # (the case also lists the events layer: leave it out to see the data layer alone)
    with_layer = multilat.analyze(case, layers=["core", "rivals", "data"])
    # The same items put inline into the core-only case give the same analysis...
    inline = multilat.analyze(replace(core_only, evidence=core_only.evidence + tuple(added)))
    assert inline.to_dict()["years"] == with_layer.to_dict()["years"]
    # ...and selecting the core layer gives back the analysis without the file.
    assert (multilat.analyze(case, layers=["core"]).to_dict()["years"]
            == multilat.analyze(core_only).to_dict()["years"])
    assert with_layer.to_dict()["years"] != multilat.analyze(core_only).to_dict()["years"]


def test_items_record_dataset_query_values_threshold_and_rule() -> None:
    for firing in evidence_from_indicators().firings:
        item = firing.item
        assert item["citation"]["key"] in {"imf_dots", "worldbank_wdi"}
        assert ".xlsx" in item["citation"]["locator"] or ".csv" in item["citation"]["locator"]
        assert "threshold:" in item["summary"]
        for year, values in firing.values.items():
            assert str(year) in item["summary"]
            assert len(values) >= 1
        assert f"Rule {firing.rule} " in item["rationale"]


def test_shipped_layer_is_what_the_default_rules_give() -> None:
    shipped = Path(multilat.examples.example_path("kazakhstan-eaeu")).with_name("data-layer.yaml")
    assert yaml.safe_load(shipped.read_text()) == evidence_from_indicators().to_dict()


def test_edited_threshold_changes_the_items(tmp_path: Path) -> None:
    rules = yaml.safe_load(default_rules_path().read_text())
    rules["rules"] = [r for r in rules["rules"] if r["id"] == "{rising}-imports-eaeu-high"]
    rules["rules"][0]["when"][0]["at_least"] = 40.0
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(rules))
    layer = evidence_from_indicators(path)
    fired = {y for f in layer.firings for y in f.values}
    assert fired and all(f.values[y][0] >= 40 for f in layer.firings for y in f.values)
    assert fired < set(range(2011, 2020))


def test_rules_file_errors_are_located(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("schema_version: 1\nlayer: data\nrules:\n  - id: x\n    label: y\n"
                    "    when: [{table: trade, country: KAZ, partner: RUS, flow: import,\n"
                    "            measure: share_pct, at_least: 3}]\n"
                    "    evidence: {actor: KAZ, variable: v, level: l, strength: huge}\n"
                    "    rationale: r\n")
    with pytest.raises(RulesFileError) as caught:
        evidence_from_indicators(path)
    fields = {p.field for p in caught.value.problems}
    assert "rules[0].when[0].flow" in fields and "rules[0].evidence.strength" in fields
    assert all(p.line is not None for p in caught.value.problems)


def test_write_evidence_file_backs_up(tmp_path: Path) -> None:
    target = tmp_path / "layer.yaml"
    target.write_text("mine")
    layer = evidence_from_indicators()
    backup = write_evidence_file(layer, target)
    assert backup is not None and backup.read_text() == "mine"
    assert yaml.safe_load(target.read_text())["layer"] == "data"
