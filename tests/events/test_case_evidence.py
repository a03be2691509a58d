"""Event evidence for any case: roles filled from the case, actors mapped to the data's codes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import multilat
from multilat.cli import main
from multilat.errors import CaseFileError, InputError
from multilat.events.actors import resolve_code
from multilat.events.evidence import default_event_rules_path, evidence_from_events
from multilat.new_case import new_case

pytest.importorskip("pandas")

SHIPPED = Path(multilat.__file__).parent / "examples" / "kazakhstan-eaeu" / "events-layer.yaml"
HEADER = "i,j,year,id,verbCoop,matlCoop,verbConf,matlConf,i_iso3c,j_iso3c"


def _belarus(tmp_path: Path, established: tuple[str, ...] = ("RUS",)) -> Path:
    folder = tmp_path / "belarus"
    new_case(folder, {"rising": ["BLR"], "established": list(established)},
             institution="Eurasian Economic Union", start=2010, end=2019)
    return folder / "case.yaml"


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["events", "to-evidence", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_default_run_regenerates_the_shipped_layer_byte_for_byte() -> None:
    code, stdout, _ = _invoke()
    assert code == 0
    assert stdout == SHIPPED.read_text(encoding="utf-8")
    # The rules are written in roles: no country of the built-in case is named in them.
    rules = yaml.safe_load(default_event_rules_path().read_text(encoding="utf-8"))
    text = yaml.safe_dump(rules["rules"])
    assert "KAZ" not in text and "Kazakhstan" not in text and "RUS" not in text
    assert rules["roles"]["rising"] == {"id": "KAZ", "name": "Kazakhstan"}


def test_a_belarus_case_gets_items_about_belarus_and_none_about_kazakhstan(
        tmp_path: Path) -> None:
    case_file = _belarus(tmp_path)
    out = case_file.with_name("events-layer.yaml")
    code, _, stderr = _invoke("--case", str(case_file), "--out", str(out))
    assert code == 0, stderr
    layer = yaml.safe_load(out.read_text(encoding="utf-8"))
    items = layer["evidence"]
    assert items and {i["actor"] for i in items} == {"BLR"}
    assert all(i["id"].startswith("events-blr-rus-") for i in items)
    assert all("BLR->RUS" in i["citation"]["locator"] for i in items)
    text = out.read_text(encoding="utf-8")
    assert "KAZ" not in text and "Kazakhstan" not in text
    assert all("Belarus's" in i["summary"] and "toward Russia" in i["summary"] for i in items)
    # The span is the case's (2010-2019; the counts end in 2014), the baseline the 7 years
    # before it.
    assert all(2010 <= y <= 2014 for i in items
               for y in (i["years"] if isinstance(i["years"], list) else [i["years"]]))
    assert all("baseline 2003-2009" in i["citation"]["locator"] for i in items)
    # The summary names the rule that did not fire, and why.
    assert "did not fire: blr-rus-material-coop-share-rising (effect too small" in stderr
    # The dataset's reference came with the layer: the case validates with it.
    assert "Added to" in stderr and "icews_boschee2015" in stderr
    assert case_file.with_name("references.bib.bak").exists()
    case_text = case_file.read_text(encoding="utf-8")
    case_file.write_text(case_text.replace("bibliography: references.bib",
                                           "bibliography: references.bib\n"
                                           "evidence_files: [events-layer.yaml]"))
    case = multilat.load_case(case_file)
    assert sorted(e.id for e in case.evidence) == sorted(i["id"] for i in items)


def test_the_belarus_items_are_the_kazakhstan_rules_applied_to_belarus(tmp_path: Path) -> None:
    case = multilat.load_case(_belarus(tmp_path))
    layer = evidence_from_events(case=case)
    same = evidence_from_events(country="BLR", partner="RUS", years=(2010, 2019))
    # --country/--partner give the same judgements once the span is the case's, except the
    # baseline: without a case it stays anchored on the rules file's span (2002-2008).
    assert {j.baseline_years for j in layer.judgements} == {tuple(range(2003, 2010))}
    assert {j.baseline_years for j in same.judgements} == {tuple(range(2002, 2009))}
    assert {(j.rule, j.year, j.count, j.total) for j in layer.judgements} == \
        {(j.rule, j.year, j.count, j.total) for j in same.judgements}


def test_several_established_powers_give_one_item_per_actor(tmp_path: Path) -> None:
    case = multilat.load_case(_belarus(tmp_path, ("RUS", "CHN")))
    layer = evidence_from_events(case=case)
    rules = {j.rule for j in layer.judgements}
    assert rules == {"blr-rus-conflict-share-rising", "blr-rus-material-coop-share-rising",
                     "blr-chn-conflict-share-rising", "blr-chn-material-coop-share-rising"}
    for firing in layer.firings:
        partner = firing.rule.split("-")[1].upper()
        assert f"BLR->{partner}" in firing.item["citation"]["locator"]
    # --partner picks one of them.
    chosen = evidence_from_events(case=case, partner="CHN")
    assert {j.rule.split("-")[1] for j in chosen.judgements} == {"chn"}


def test_several_actors_and_an_id_without_the_role_ask_for_partner(tmp_path: Path) -> None:
    spec = yaml.safe_load(default_event_rules_path().read_text(encoding="utf-8"))
    spec["rules"] = [{**spec["rules"][0], "id": "{rising}-conflict-share-rising"}]
    rules = tmp_path / "rules.yaml"
    rules.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    case = multilat.load_case(_belarus(tmp_path, ("RUS", "CHN")))
    with pytest.raises(InputError, match=r"established \(RUS, CHN\).*--partner"):
        evidence_from_events(rules, case=case)
    assert evidence_from_events(rules, case=case, partner="RUS").judgements


def test_an_unknown_case_actor_is_a_located_error_with_a_suggestion(tmp_path: Path) -> None:
    case_file = _belarus(tmp_path)
    text = case_file.read_text(encoding="utf-8")
    case_file.write_text(text.replace("- id: RUS\n  name: Russia", "- id: RUZ\n  name: Ruthenia"),
                         encoding="utf-8")
    case = multilat.load_case(case_file)
    with pytest.raises(CaseFileError) as caught:
        evidence_from_events(case=case)
    (problem,) = caught.value.problems
    line = case_file.read_text(encoding="utf-8").splitlines().index("- id: RUZ") + 1
    assert (problem.file, problem.line, problem.field) == (str(case_file), line, "actors[1].id")
    assert "'RUZ'" in problem.found and "did you mean RUS = Russia?" in problem.expected
    code, _, stderr = _invoke("--case", str(case_file))
    assert code == 1 and f"{case_file}:{line} actors[1].id" in stderr
    assert "Traceback" not in stderr
    # --partner stands in for the actor the data cannot name.
    assert evidence_from_events(case=case, partner="RUS").judgements


def test_a_case_actor_is_found_by_its_name_when_its_id_is_not_a_code(tmp_path: Path) -> None:
    case_file = _belarus(tmp_path)
    text = case_file.read_text(encoding="utf-8")
    case_file.write_text(text.replace("- id: RUS\n  name: Russia",
                                      "- id: moscow\n  name: Russian Federation"),
                         encoding="utf-8")
    layer = evidence_from_events(case=multilat.load_case(case_file))
    assert layer.firings
    assert {j.rule for j in layer.judgements} == {"blr-moscow-conflict-share-rising",
                                                  "blr-moscow-material-coop-share-rising"}
    assert all("BLR->RUS" in f.item["citation"]["locator"] for f in layer.firings)


@pytest.mark.parametrize(("typed", "suggested"), [("KZA", "KAZ"), ("Belarus", "BLR"),
                                                  ("rux", "RUS")])
def test_an_unknown_code_suggests_the_likely_one(typed: str, suggested: str) -> None:
    with pytest.raises(InputError, match=rf"--country: found '{typed}'.*did you mean .*"
                                         rf"{suggested} ="):
        resolve_code(typed, "--country")
    code, _, stderr = _invoke("--country", typed)
    assert code == 1 and "did you mean" in stderr and "Traceback" not in stderr


def test_lower_case_codes_are_accepted() -> None:
    assert resolve_code("blr", "--country") == "BLR"


def _dyads(tmp_path: Path, rows: dict[int, tuple[int, int]]) -> Path:
    """BLR->RUS dyad-years: ``year -> (conflict events, all events)``."""
    lines = [HEADER]
    for year, (conflict, total) in sorted(rows.items()):
        lines.append(f"BLR,RUS,{year},x,{total - conflict},0,{conflict},0,BLR,RUS")
    path = tmp_path / "dyads.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_summary_says_why_each_rule_did_not_fire(tmp_path: Path) -> None:
    # A baseline swinging between 0% and 20% (300/3,500 = 8.57%; phi about 73).
    base = {year: ((0, 500) if year % 2 else (100, 500)) for year in range(2003, 2010)}
    rows = {**base, 2010: (45, 500),      # 9%: h 0.02, too small an effect
            2011: (3, 20),                # 20 events: below min_events 30
            2012: (12, 40)}               # 30%: h 0.56, but p 0.29 with that baseline
    data = _dyads(tmp_path, rows)
    layer = evidence_from_events(dyads=data, country="BLR", years=(2010, 2012))
    assert layer.firings == ()
    why = dict(layer.silent)
    conflict = why["blr-rus-conflict-share-rising"]
    assert conflict == ("effect too small for straw_in_the_wind (h below 0.2) in 2010; "
                        "fewer than 30 events in 2011; "
                        "not significant (p not below 0.05) in 2012; "
                        # the baseline is anchored on the rules' span (2009-2019), not on
                        # the years judged, and these data begin in 2003
                        "the data cover 2003-2012; the rule judges 2010-2012 against a "
                        "baseline 2002-2008")
    assert why["blr-rus-material-coop-share-rising"].startswith("effect too small")
    assert "did not fire: blr-rus-conflict-share-rising (" in str(layer)
    assert layer.summary()["did_not_fire"][0]["rule"] == "blr-rus-conflict-share-rising"
    nothing = evidence_from_events(dyads=data, country="ARM")
    assert dict(nothing.silent)["arm-rus-conflict-share-rising"] == \
        "no ARM->RUS events in dyads.csv"


def test_rules_without_roles_refuse_country_and_foreign_actors(tmp_path: Path) -> None:
    spec = yaml.safe_load(default_event_rules_path().read_text(encoding="utf-8"))
    spec.pop("roles")
    spec["rules"] = [{**spec["rules"][0], "id": "kaz-rus-conflict",
                      "label": "conflict share, KAZ toward RUS",
                      "measure": {**spec["rules"][0]["measure"], "source": "KAZ",
                                  "target": "RUS"},
                      "evidence": {**spec["rules"][0]["evidence"], "actor": "KAZ"},
                      "rationale": "a rule written for one case"}]
    rules = tmp_path / "rules.yaml"
    rules.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    assert evidence_from_events(rules).judgements  # fine on its own
    with pytest.raises(InputError, match=r"--country BLR: found no \{rising\}"):
        evidence_from_events(rules, country="BLR")
    case = multilat.load_case(_belarus(tmp_path))
    with pytest.raises(InputError, match=r"evidence about 'KAZ', not an actor of case"):
        evidence_from_events(rules, case=case)


def test_a_case_beyond_the_data_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "late"
    new_case(folder, {"rising": ["ARM"], "established": ["RUS"]},
             institution="Eurasian Economic Union", start=2015, end=2020)
    layer = evidence_from_events(case=multilat.load_case(folder / "case.yaml"))
    assert layer.firings == () and layer.judgements == ()
    assert dict(layer.silent)["arm-rus-conflict-share-rising"] == \
        "the data cover 2002-2014; the rule judges 2015-2020"
    early = tmp_path / "early"
    new_case(early, {"rising": ["CHN"], "established": ["USA"]}, institution="NPT",
             start=1992, end=2012)
    why = dict(evidence_from_events(case=multilat.load_case(early / "case.yaml")).silent)
    assert why["chn-usa-conflict-share-rising"] == (
        "no data for the dyad in 1992-2001; baseline 1985-1991 with fewer than 30 events in "
        "2002-2012; the data cover 2002-2014; the rule judges 1992-2012 against a baseline "
        "1985-1991")


def test_a_non_country_actor_points_to_the_option_and_the_role_s_other_actor(
        tmp_path: Path) -> None:
    folder = tmp_path / "imf"
    new_case(folder, {"rising": ["CHN"], "established": ["USA", "EU"]}, institution="IMF",
             start=2005, end=2014)
    with pytest.raises(CaseFileError, match=r"actors\[2\]\.id: found 'EU'.*--partner ISO3 "
                                            r"\(e\.g\. --partner USA\)"):
        evidence_from_events(case=multilat.load_case(folder / "case.yaml"))
