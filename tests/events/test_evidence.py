"""Event counts -> evidence: planted changes fire exactly, the shipped layer loads with the case."""

from __future__ import annotations

import csv
import gzip
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
from multilat.events.dyads import builtin_dyads_path, read_event_aggregate
from multilat.events.evidence import (
    EventEvidenceLayer,
    YearJudgement,
    default_event_rules_path,
    dyad_shares,
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


# --- the reviewer's defects: each test below fails without its fix or under the named mutation


def _counts(tmp_path: Path, counts: dict[int, tuple[int, int]], name: str = "dyads.csv") -> Path:
    """KAZ->RUS rows ``year: (conflict events, all events)``; years not given have no row."""
    lines = [HEADER]
    for year, (k, n) in sorted(counts.items()):
        lines.append(f"KAZ,RUS,{year},x,{n - k},0,{k // 2},{k - k // 2},KAZ,RUS")
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _judged(layer: EventEvidenceLayer, year: int) -> YearJudgement:
    return next(j for j in layer.judgements if j.year == year)


def test_phi_ignores_baseline_years_without_events(tmp_path: Path) -> None:
    # phi's degrees of freedom count only the baseline years with events: five empty years
    # must not divide X^2 by 6 instead of 1 (which understated phi: here 5.67 -> 1)
    rising = {2002: (2, 100), 2003: (10, 100), 2010: (40, 100)}
    empty = {year: (0, 0) for year in range(2004, 2009)}
    with_empty = _judged(evidence_from_events(
        dyads=_counts(tmp_path, {**rising, **empty}, "a.csv")), 2010)
    without = _judged(evidence_from_events(dyads=_counts(tmp_path, rising, "b.csv")), 2010)
    pooled = 12 / 200
    chi2 = sum((k - n * pooled) ** 2 / (n * pooled * (1 - pooled)) for k, n in ((2, 100),
                                                                              (10, 100)))
    assert without.phi == pytest.approx(chi2 / 1)
    for name in ("phi", "z", "p", "h"):
        assert getattr(with_empty, name) == pytest.approx(getattr(without, name)), name
    assert with_empty.note == ""


def test_phi_from_one_baseline_year_with_events_is_not_estimable(tmp_path: Path) -> None:
    counts = {2002: (2, 100), **{y: (0, 0) for y in range(2003, 2009)}, 2010: (40, 100)}
    layer = evidence_from_events(dyads=_counts(tmp_path, counts))
    judged = _judged(layer, 2010)
    assert judged.phi == 1.0
    assert "phi not estimable" in judged.note
    assert judged.strength == "smoking_gun"  # still judged
    assert "phi not estimable, 1 used" in layer.firings[0].item["rationale"]


def _aggregate(tmp_path: Path) -> Path:
    """KAZ->RUS: every event is a verbal-conflict threat (root 13)."""
    lines = ["year,source_country,target_country,quad_class,cameo_root,events"]
    lines += [f"{year},KAZ,RUS,3,13,40" for year in range(2002, 2015)]
    path = tmp_path / "agg.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("measure", [
    {"share_of": ["verbal_conflict", "13"]},
    {"share_of": ["13"], "of": ["verbal_conflict", "13"]},
])
def test_a_measure_mixing_quad_classes_and_roots_is_a_located_problem(
        tmp_path: Path, measure: dict[str, list[str]]) -> None:
    rules = _rules(tmp_path, {"datasets": {"events-aggregate": "k"}},
                   measure={"source": "KAZ", "target": "RUS", **measure})
    with pytest.raises(RulesFileError) as caught:
        evidence_from_events(rules, aggregate=_aggregate(tmp_path))
    part = "of" if "of" in measure else "share_of"
    [problem] = caught.value.problems
    assert problem.field == f"rules[0].measure.{part}" and problem.line is not None
    assert "quad classes only or CAMEO roots only" in problem.expected
    result = CliRunner().invoke(to_evidence, ["--rules", str(rules), "--aggregate",
                                              str(_aggregate(tmp_path))])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"rules.yaml:{problem.line} rules[0].measure.{part}: found" in result.output


def test_a_share_above_one_is_an_input_error_not_a_math_error(tmp_path: Path) -> None:
    frame = read_event_aggregate(_aggregate(tmp_path))
    with pytest.raises(InputError, match="a share above 1"):
        dyad_shares(frame, "KAZ", "RUS", ["verbal_conflict", "13"], ["verbal_conflict"])


def test_rules_mistakes_that_ran_silently_are_all_reported_at_once(tmp_path: Path) -> None:
    bands = [{"strength": "hoop", "h_at_least": 0.2, "p_below": 0.05},
             {"strength": "straw_in_the_wind", "h_at_least": 0.3, "p_below": 0.01},
             {"strength": "straw_in_the_wind", "h_at_least": 0.4, "p_below": 0.01}]
    rules = _rules(tmp_path, {"years": [2019, 2009], "baseline": {"years": [2008, 2002]}},
                   years=[2014, 2010], baseline={"years": [2005, 2003]}, bands=bands,
                   change="up",  # a schema problem: reported with the others
                   measure={"source": "kaz", "target": "RUS",
                            "share_of": ["verbal_conflict"]})
    with pytest.raises(RulesFileError) as caught:
        evidence_from_events(rules, dyads=_synthetic(tmp_path, {}))
    problems = {p.field: p for p in caught.value.problems}
    assert set(problems) == {"years", "baseline.years", "rules[0].years",
                             "rules[0].baseline.years", "rules[0].measure.source",
                             "rules[0].bands[1].strength", "rules[0].bands[2].strength",
                             "rules[0].change"}
    assert all(p.line is not None for p in problems.values())
    assert "reversed" in problems["years"].found
    assert "repeated" in problems["rules[0].bands[2].strength"].found
    assert "upper case" in problems["rules[0].measure.source"].expected


def test_a_falling_rule_shows_the_signed_change(tmp_path: Path) -> None:
    data = _synthetic(tmp_path, {2009: 60, 2010: 60, 2011: 60, 2012: 10})
    rules = _rules(tmp_path, {"baseline": {"preceding": 3}}, change="falling")
    layer = evidence_from_events(rules, dyads=data)
    judged = layer.firings[0].judgements[0]
    assert judged.year == 2012
    assert judged.change_pp == pytest.approx(-10.0) and judged.ratio == pytest.approx(1 / 6)
    assert judged.h is not None and judged.h > 0.2 and judged.z is not None and judged.z > 0
    assert "2.00% (-10.00 pp, x0.17, h 0.42" in layer.firings[0].item["summary"]
    row = next(j for j in layer.summary()["judgements"] if j["year"] == 2012)
    assert row["change_pp"] == pytest.approx(-10.0) and row["ratio"] == pytest.approx(1 / 6)


def test_a_run_over_years_with_different_phi_quotes_each(tmp_path: Path) -> None:
    data = _synthetic(tmp_path, {2011: 120, 2012: 120}, total=2000)
    bands = [{"strength": "straw_in_the_wind", "h_at_least": 0.1, "p_below": 0.5}]
    layer = evidence_from_events(_rules(tmp_path, {"baseline": {"preceding": 5}},
                                        bands=bands), dyads=data)
    [firing] = [f for f in layer.firings if f.start == 2011]
    assert (firing.start, firing.end) == (2011, 2012)
    phis = [j.phi for j in firing.judgements]
    assert phis[0] == pytest.approx(1.0) and phis[1] > 10
    assert f"(phi 2011: 1.00; 2012: {phis[1]:.2f})" in firing.item["rationale"]


def test_skip_years_are_not_judged(tmp_path: Path) -> None:
    data = _synthetic(tmp_path, {2011: 60, 2012: 60})
    layer = evidence_from_events(_rules(tmp_path, skip_years=[2011]), dyads=data)
    assert [(f.start, f.end) for f in layer.firings] == [(2012, 2012)]
    assert 2011 not in {j.year for j in layer.judgements}


def test_a_skipped_year_does_not_break_a_run(tmp_path: Path) -> None:
    data = _synthetic(tmp_path, {2011: 60, 2013: 60})
    layer = evidence_from_events(_rules(tmp_path, skip_years=[2012]), dyads=data)
    assert [(f.start, f.end) for f in layer.firings] == [(2011, 2013)]
    assert [j.year for j in layer.firings[0].judgements] == [2011, 2013]
    assert layer.firings[0].item["id"] == "events-kaz-rus-conflict-share-rising-2011-2013"


def test_a_baseline_below_min_events_is_not_judged(tmp_path: Path) -> None:
    counts = {**{y: (1, 10) for y in range(2002, 2009)}, 2010: (500, 1000)}
    layer = evidence_from_events(_rules(tmp_path, min_events=100),
                                 dyads=_counts(tmp_path, counts))
    judged = _judged(layer, 2010)
    assert judged.note == "baseline with fewer than 100 events (70)"
    assert judged.p is None and layer.firings == ()


def test_a_year_with_exactly_min_events_is_judged(tmp_path: Path) -> None:
    data = _synthetic(tmp_path, {2011: 60})  # 500 events every year
    at = evidence_from_events(_rules(tmp_path, min_events=500), dyads=data)
    assert all(j.note == "" and j.p is not None for j in at.judgements)
    assert [(f.start, f.end) for f in at.firings] == [(2011, 2011)]
    above = evidence_from_events(_rules(tmp_path, min_events=501), dyads=data)
    assert {j.note for j in above.judgements} == {"fewer than 501 events (500)"}


def test_of_must_contain_share_of(tmp_path: Path) -> None:
    rules = _rules(tmp_path, measure={"source": "KAZ", "target": "RUS",
                                      "share_of": ["verbal_conflict"],
                                      "of": ["verbal_coop", "material_coop"]})
    with pytest.raises(RulesFileError) as caught:
        evidence_from_events(rules, dyads=_synthetic(tmp_path, {}))
    [problem] = caught.value.problems
    assert problem.field == "rules[0].measure.of" and "missing: verbal_conflict" in \
        problem.expected


def test_the_p_value_is_one_sided_in_the_rule_direction(tmp_path: Path) -> None:
    # a large rise judged by a falling rule: z far below 0, p near 1 (two-sided: near 0)
    layer = evidence_from_events(_rules(tmp_path, change="falling"),
                                 dyads=_synthetic(tmp_path, {2011: 60}))
    judged = _judged(layer, 2011)
    assert judged.z is not None and judged.z < -3 and judged.p is not None and judged.p > 0.99
    assert layer.firings == ()


def test_kaz_rus_2013_statistics_recomputed_from_the_raw_counts() -> None:
    counts: dict[int, tuple[int, int]] = {}
    with gzip.open(builtin_dyads_path(), "rt", encoding="utf-8", newline="") as stream:
        for record in csv.DictReader(stream):
            if (record["i_iso3c"], record["j_iso3c"]) == ("KAZ", "RUS"):
                quads = [int(float(record[c]))
                         for c in ("verbCoop", "matlCoop", "verbConf", "matlConf")]
                counts[int(record["year"])] = (quads[2] + quads[3], sum(quads))
    k1, n1 = counts[2013]
    baseline = [counts[y] for y in range(2002, 2009)]
    k0, n0 = sum(k for k, _ in baseline), sum(n for _, n in baseline)
    assert (k1, n1, k0, n0) == (48, 514, 130, 5746)
    p1, p0 = k1 / n1, k0 / n0
    chi2 = sum((k - n * p0) ** 2 / (n * p0 * (1 - p0)) for k, n in baseline)
    phi = chi2 / (len(baseline) - 1)
    pooled = (k0 + k1) / (n0 + n1)
    z = (p1 - p0) / math.sqrt(phi * pooled * (1 - pooled) * (1 / n1 + 1 / n0))
    p = 0.5 * math.erfc(z / math.sqrt(2))
    h = 2 * math.asin(math.sqrt(p1)) - 2 * math.asin(math.sqrt(p0))
    # the reviewer's hand computation, to 4-5 figures
    assert chi2 == pytest.approx(19.70, abs=0.01)
    assert phi == pytest.approx(3.2835, abs=1e-4)
    assert z == pytest.approx(5.1032, abs=1e-4)
    assert p == pytest.approx(1.67e-7, rel=0.01)
    assert h == pytest.approx(0.3191, abs=1e-4)
    judged = next(j for j in evidence_from_events().judgements
                  if (j.rule, j.year) == ("kaz-rus-conflict-share-rising", 2013))
    for name, value in (("phi", phi), ("z", z), ("p", p), ("h", h)):
        assert getattr(judged, name) == pytest.approx(value), name
    assert judged.change_pp == pytest.approx(100 * (p1 - p0))
    assert judged.ratio == pytest.approx(p1 / p0)


def test_cli_header_only_dyads_file_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text(HEADER + "\n")
    result = CliRunner().invoke(to_evidence, ["--dyads", str(empty)])
    assert result.exit_code == 1 and "no rows" in result.output
    assert "Traceback" not in result.output
