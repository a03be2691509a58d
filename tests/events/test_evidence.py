"""Event counts -> evidence: planted changes fire exactly, the shipped layer loads with the case."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import multilat
from multilat.cli.events_evidence import to_evidence
from multilat.errors import InputError, RulesFileError
from multilat.events.evidence import (
    default_event_rules_path,
    evidence_from_events,
    write_event_evidence_file,
)

pytest.importorskip("pandas")

HEADER = "i,j,year,id,verbCoop,matlCoop,verbConf,matlConf,i_iso3c,j_iso3c"


def _synthetic(tmp_path: Path, conflict: dict[int, int], *, total: int = 500) -> Path:
    """KAZ->RUS and RUS->KAZ 2002-2014: ``total`` events a year, 2% conflict unless planted."""
    base = total // 50
    lines = [HEADER]
    for year in range(2002, 2015):
        for source, target in (("KAZ", "RUS"), ("RUS", "KAZ")):
            k = conflict.get(year, base) if source == "KAZ" else base
            verbal, material = k // 2, k - k // 2
            coop = total - k - 5
            lines.append(f"{source},{target},{year},x,{coop},5,{verbal},{material},"
                         f"{source},{target}")
    path = tmp_path / "dyads.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_planted_rise_fires_the_conflict_rule_in_exactly_those_years(tmp_path: Path) -> None:
    # 2011-2012: 12% (Cohen's h 0.42: small-to-medium); 2014: 60% (h 1.49: large)
    layer = evidence_from_events(dyads=_synthetic(tmp_path, {2011: 60, 2012: 60, 2014: 300}))
    fired = [(f.rule, f.start, f.end, f.strength) for f in layer.firings]
    assert fired == [("kaz-rus-conflict-share-rising", 2011, 2012, "straw_in_the_wind"),
                     ("kaz-rus-conflict-share-rising", 2014, 2014, "smoking_gun")]
    first = layer.firings[0]
    assert [j.year for j in first.judgements] == [2011, 2012]
    judgement = first.judgements[0]
    assert (judgement.count, judgement.total) == (60, 500)
    assert (judgement.baseline_count, judgement.baseline_total) == (70, 3500)
    assert judgement.baseline_years == tuple(range(2002, 2009))
    assert judgement.change_pp == pytest.approx(10.0)
    assert judgement.h == pytest.approx(2 * math.asin(math.sqrt(0.12))
                                        - 2 * math.asin(math.sqrt(0.02)))
    assert judgement.phi == pytest.approx(1.0)  # identical baseline years: no overdispersion
    item = first.item
    assert item["id"] == "events-kaz-rus-conflict-share-rising-2011-2012"
    assert item["years"] == [2011, 2012]
    assert (item["variable"], item["level"], item["strength"]) == \
        ("strategy", "hold_up", "straw_in_the_wind")
    assert item["citation"]["key"] == "icews_boschee2015"
    assert "dyads.csv: KAZ->RUS (verbal_conflict + material_conflict)" in \
        item["citation"]["locator"]
    assert "60/500 = 12.00%" in item["summary"] and "70/3,500 = 2.00%" in item["summary"]
    assert "Rule kaz-rus-conflict-share-rising (default.yaml) fired" in item["rationale"]
    assert "\n" not in item["rationale"]


def test_no_rise_fires_nothing(tmp_path: Path) -> None:
    layer = evidence_from_events(dyads=_synthetic(tmp_path, {2012: 5, 2013: 12}))
    assert layer.firings == ()
    assert {j.year for j in layer.judgements} == set(range(2009, 2015))
    assert all(j.strength is None and j.note == "" for j in layer.judgements)


def test_a_rise_that_is_small_in_size_does_not_fire(tmp_path: Path) -> None:
    # 2% -> 3%: significant with 5,000 events, but h = 0.06 < 0.2
    layer = evidence_from_events(dyads=_synthetic(tmp_path, {2013: 150}, total=5000))
    assert layer.firings == ()
    only = next(j for j in layer.judgements if j.year == 2013 and j.rule.startswith("kaz-rus-c"))
    assert only.p is not None and only.p < 0.05 and only.h is not None and only.h < 0.2


def _rules(tmp_path: Path, edit: dict[str, object] | None = None, **rule: object) -> Path:
    spec = yaml.safe_load(default_event_rules_path().read_text())
    spec.update(edit or {})
    spec["rules"] = [{**spec["rules"][0], **rule}]
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


def test_moving_baseline_and_falling_direction(tmp_path: Path) -> None:
    data = _synthetic(tmp_path, {2009: 60, 2010: 60, 2011: 60, 2012: 10})
    rules = _rules(tmp_path, {"baseline": {"preceding": 3}}, change="falling")
    layer = evidence_from_events(rules, dyads=data)
    # 2012 falls from the 12% of 2009-2011 to 2%. 2013 (2%) against 2010-2012 (8.7%) is as
    # large a fall (h 0.31), but that baseline swings from year to year (12, 12, 2%), and the
    # overdispersion correction widens the test until the fall is not significant.
    assert [(f.start, f.end) for f in layer.firings] == [(2012, 2012)]
    judged = {j.year: j for j in layer.judgements}
    assert judged[2012].baseline_years == (2009, 2010, 2011)
    assert judged[2013].h is not None and judged[2013].h > 0.2
    assert judged[2013].phi > 10 and judged[2013].p is not None and judged[2013].p > 0.05
    without = _rules(tmp_path, {"baseline": {"preceding": 3}, "overdispersion": False},
                     change="falling")
    assert [(f.start, f.end) for f in evidence_from_events(without, dyads=data).firings] == \
        [(2012, 2013)]
    assert judged[2009].strength is None  # a rise is not a fall


def test_cameo_roots_on_quad_class_counts_are_a_located_rules_problem(tmp_path: Path) -> None:
    rules = _rules(tmp_path, measure={"source": "KAZ", "target": "RUS",
                                      "share_of": ["10", "12", "13"]})
    with pytest.raises(RulesFileError) as caught:
        evidence_from_events(rules, dyads=_synthetic(tmp_path, {}))
    fields = {p.field for p in caught.value.problems}
    assert fields == {f"rules[0].measure.share_of[{i}]" for i in range(3)}
    assert all(p.line is not None and "no CAMEO roots" in p.expected
               for p in caught.value.problems)


def test_aggregate_tables_allow_cameo_roots_and_need_a_citation_key(tmp_path: Path) -> None:
    lines = ["year,source_country,target_country,quad_class,cameo_root,events"]
    for year in range(2002, 2015):
        threats = 40 if year == 2013 else 2
        lines += [f"{year},KAZ,RUS,1,04,200", f"{year},KAZ,RUS,3,13,{threats}",
                  f"{year},KAZ,RUS,3,11,3"]
    data = tmp_path / "agg.csv"
    data.write_text("\n".join(lines) + "\n")
    measure = {"source": "KAZ", "target": "RUS", "share_of": ["10", "12", "13"]}
    with pytest.raises(InputError, match="events-aggregate"):
        evidence_from_events(_rules(tmp_path, measure=measure), aggregate=data)
    rules = _rules(tmp_path, {"datasets": {"events-aggregate": "my_events"}}, measure=measure)
    layer = evidence_from_events(rules, aggregate=data)
    assert [(f.start, f.end) for f in layer.firings] == [(2013, 2013)]
    assert layer.firings[0].item["citation"]["key"] == "my_events"
    assert layer.firings[0].judgements[0].count == 40


def test_bad_rules_file_gives_located_problems(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        "schema_version: 1\nlayer: events\nbaseline: {years: [2002, 2008], preceding: 3}\n"
        "rules:\n  - id: r\n    label: l\n"
        "    measure: {source: KAZ, target: RUS, share_of: [conflict]}\n"
        "    change: up\n"
        "    bands:\n      - {strength: strong, p_below: 0.05}\n"
        "    evidence: {actor: KAZ, variable: strategy, level: hold_up}\n"
        "    rationale: r\n")
    with pytest.raises(RulesFileError) as caught:
        evidence_from_events(path, dyads=_synthetic(tmp_path, {}))
    problems = {p.field: p.line for p in caught.value.problems}
    assert problems["rules[0].measure.share_of[0]"] == 7
    assert problems["rules[0].change"] == 8
    assert problems["rules[0].bands[0].strength"] == 10
    assert "baseline" in problems
    assert any(f == "rules[0].bands[0]" for f in problems)  # no size named
    assert str(path) in str(caught.value)


def test_bands_must_go_from_weakest_to_strongest(tmp_path: Path) -> None:
    bands = [{"strength": "smoking_gun", "h_at_least": 0.8, "p_below": 0.001},
             {"strength": "straw_in_the_wind", "h_at_least": 0.2, "p_below": 0.05}]
    with pytest.raises(RulesFileError) as caught:
        evidence_from_events(_rules(tmp_path, bands=bands), dyads=_synthetic(tmp_path, {}))
    assert sorted(p.field for p in caught.value.problems) == ["rules[0].bands[1]",
                                                             "rules[0].bands[1].strength"]


def _case_with_layer(tmp_path: Path, text: str) -> Path:
    multilat.copy_example("kazakhstan-eaeu", tmp_path)
    (tmp_path / "events-layer.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "case.yaml"


def test_real_kaz_rus_data_fire_only_the_2013_conflict_rise() -> None:
    layer = evidence_from_events()
    assert [(f.rule, f.start, f.end, f.strength) for f in layer.firings] == \
        [("kaz-rus-conflict-share-rising", 2013, 2013, "straw_in_the_wind")]
    judged = {(j.rule, j.year): j for j in layer.judgements}
    conflict_2013 = judged[("kaz-rus-conflict-share-rising", 2013)]
    assert (conflict_2013.count, conflict_2013.total) == (48, 514)  # 10 verbal + 38 material
    assert (conflict_2013.baseline_count, conflict_2013.baseline_total) == (130, 5746)
    assert {y for _, y in judged} == set(range(2009, 2015))  # the data end in 2014


def test_emitted_layer_validates_and_acts_only_through_its_items(tmp_path: Path) -> None:
    layer = evidence_from_events()
    case = multilat.load_case(_case_with_layer(tmp_path, layer.to_yaml()))
    added = [e for e in case.evidence if e.layer == "events"]
    assert sorted(e.id for e in added) == sorted(item["id"] for item in layer.items)
    core_only = case.with_layers({"core"})
    with_layer = multilat.analyze(case, layers=["core", "events"])
    inline = multilat.analyze(replace(core_only, evidence=core_only.evidence + tuple(added)))
    assert inline.to_dict()["years"] == with_layer.to_dict()["years"]
    assert with_layer.to_dict()["years"] != multilat.analyze(core_only).to_dict()["years"]


def test_shipped_layer_is_what_the_default_rules_give() -> None:
    shipped = Path(multilat.examples.example_path("kazakhstan-eaeu")).with_name(
        "events-layer.yaml")
    assert yaml.safe_load(shipped.read_text()) == evidence_from_events().to_dict()


def test_cli_prints_writes_with_backup_and_summarises(tmp_path: Path) -> None:
    runner = CliRunner()
    printed = runner.invoke(to_evidence, [])
    assert printed.exit_code == 0, printed.output
    assert yaml.safe_load(printed.output) == evidence_from_events().to_dict()
    target = tmp_path / "layer.yaml"
    target.write_text("mine")
    data = _synthetic(tmp_path, {2011: 60})
    result = runner.invoke(to_evidence, ["--dyads", str(data), "--out", str(target),
                                         "--format", "json", "--years", "2010", "2012"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["fired"] == [{"rule": "kaz-rus-conflict-share-rising", "years": [2011, 2011],
                                 "strength": "straw_in_the_wind",
                                 "item": "events-kaz-rus-conflict-share-rising-2011"}]
    assert {j["year"] for j in summary["judgements"]} == {2010, 2011, 2012}
    assert (tmp_path / "layer.yaml.bak").read_text() == "mine"
    assert yaml.safe_load(target.read_text())["layer"] == "events"


def test_cli_errors_are_messages_not_tracebacks(tmp_path: Path) -> None:
    runner = CliRunner()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "\nK,R,2010,x,1,2,three,0,KAZ,RUS\n")
    result = runner.invoke(to_evidence, ["--dyads", str(bad)])
    assert result.exit_code == 1
    assert "row 2 column 'verbConf'" in result.output and "Traceback" not in result.output
    both = runner.invoke(to_evidence, ["--dyads", str(bad), "--aggregate", str(bad)])
    assert both.exit_code == 2
    backwards = runner.invoke(to_evidence, ["--years", "2014", "2009"])
    assert backwards.exit_code == 2


def test_write_event_evidence_file_backs_up(tmp_path: Path) -> None:
    target = tmp_path / "layer.yaml"
    target.write_text("mine")
    backup = write_event_evidence_file(evidence_from_events(), target)
    assert backup is not None and backup.read_text() == "mine"
