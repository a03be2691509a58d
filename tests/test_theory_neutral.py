"""The whole pipeline on a theory with none of the built-in theory's names.

The theory (``posture``) has other roles (challenger, incumbent), three variables (one with
three levels), another outcome and levels, and a variant; the case has two incumbents (their
contributions must stay apart) and a sub-issue analysed on its own.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import multilat
from multilat.cli import main
from multilat.decision import ClaimVerdict
from multilat.errors import THEORY_UNKNOWN, CaseFileError, TheoryError
from multilat.theory import resolve_theory

FOLDER = Path(__file__).parent / "data" / "cases" / "good" / "incumbents"
CASE = str(FOLDER / "case.yaml")
BUILT_IN_TEXT = re.compile(r"kazakh|russia|eurasia|yuneman|the seed|rising power|"
                           r"established power|balance of outside|indispensab", re.I)


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.output


def _json(*args: str) -> dict:  # type: ignore[type-arg]
    return json.loads(_run(*args, "--format", "json"))  # type: ignore[no-any-return]


def test_the_theory_declares_what_the_engine_used_to_assume() -> None:
    theory = resolve_theory("posture.yaml", FOLDER)
    assert [r.name for r in theory.roles] == ["challenger", "incumbent"]
    assert theory.role("incumbent").max_actors == 3
    assert [len(v.levels) for v in theory.variables] == [3, 2, 2]
    assert theory.readings == (f"{FOLDER / 'posture.yaml'}#posture-eager",)
    eager = resolve_theory(theory.readings[0])
    assert eager.name == "posture-eager" and eager.variant_of == "posture"
    cells = {combo: rule.then for combo, rule in eager.cells()}
    assert cells[("middling", "needed", "split")] == "bargain"
    assert {combo: rule.then for combo, rule in theory.cells()}[
        ("middling", "needed", "split")] == "abstain"


def test_each_incumbent_keeps_its_contribution_apart() -> None:
    explanation = _json("explain", CASE, "--variable", "leverage", "--year", "2001")
    by_side = explanation["per_level"]["strong"]["by_side"]
    assert set(by_side) == {"challenger", "incumbent:INA", "incumbent:INB"}
    # INA's poor options push towards strong leverage; INB's rich ones away from it.
    assert by_side["incumbent:INA"] > 0 > by_side["incumbent:INB"]
    analysis = multilat.analyze(multilat.load_case(CASE))
    beliefs = analysis.beliefs["leverage"]
    assert beliefs.sides == ("challenger", "incumbent:INA", "incumbent:INB")
    rows = {e["id"]: e for e in analysis.to_dict()["evidence"]}
    assert rows["inc-a-poor"]["whose"] == "INA" and "whose" not in rows["chl-options"]


def test_issue_areas_are_analysed_on_their_own() -> None:
    whole = multilat.load_case(CASE)
    regime = multilat.analyze(whole)
    fisheries = multilat.analyze(whole, issue_area="fisheries")
    assert regime.years == tuple(range(2000, 2008))
    assert fisheries.years == tuple(range(2002, 2006))
    assert [p.id for p in fisheries.case.periods] == ["talks", "deal"]
    assert set(fisheries.table.ids) == {"fish-threat", "fish-need", "fish-leverage"}
    assert not set(fisheries.table.ids) & set(regime.table.ids)
    # The sub-issue's posture is bargain; the regime's behaviour is mostly build.
    document = _json("analyze", CASE, "--issue-area", "fisheries")
    assert document["issue_area"] == "fisheries"
    assert [p["id"] for p in document["periods"]] == ["talks", "deal"]
    observed = {p["id"]: max(p["observed"], key=p["observed"].get) for p in document["periods"]}
    assert observed == {"talks": "bargain", "deal": "bargain"}
    assert _json("analyze", CASE)["issue_area"] is None
    # Pooled only on request: every item, over the regime's years.
    assert len(multilat.analyze(whole.pooled()).table) == len(whole.evidence)


def test_claims_in_four_words() -> None:
    document = _json("analyze", CASE)
    verdicts = {(c["variable"], c["level"], c["year"]): c["verdict"]
                for c in document["claims"]}
    assert verdicts[("posture", "build", 2006)] == "no evidence"
    assert verdicts[("posture", "build", 2007)] == "no evidence"
    assert verdicts[("posture", "build", 2004)] == "not supported"
    assert verdicts[("need", "needed", 2000)] == "supported"
    assert set(verdicts.values()) <= {str(v) for v in ClaimVerdict}
    text = _run("analyze", CASE)
    assert "NO EVIDENCE: posture = build" in text and "2006; 2007" in text
    fisheries = _json("analyze", CASE, "--issue-area", "fisheries")
    assert {c["year"]: c["verdict"] for c in fisheries["claims"]} == {
        2002: "no evidence", 2003: "supported", 2004: "supported", 2005: "supported"}


def test_a_weak_claim_is_neither_supported_nor_contradicted() -> None:
    analysis = multilat.analyze(multilat.load_case(CASE),
                                settings=multilat.default_settings().replace(
                                    **{"claims.weak_below": 0.95}))
    verdicts = {(c.claim.variable, c.year): c.verdict for c in analysis.claim_checks()}
    assert verdicts[("need", 2000)] is ClaimVerdict.WEAK  # P(needed) = 0.89 < 0.95


@pytest.mark.parametrize("area", [None, "fisheries"])
def test_every_command_runs_on_the_case(area: str | None, tmp_path: Path) -> None:
    extra = ["--issue-area", area] if area else []
    _run("validate", CASE)
    checks = _json("check", CASE, *extra)
    variant = next(c for c in checks["checks"] if c["name"] == "variant_rule_table")
    assert variant["details"]["variants"] == ["posture-eager"]
    assert variant["verdict"] in ("robust", "sensitive")
    when = _json("when", CASE, "--variable", "leverage", *extra)
    assert when["variable"] == "leverage"
    comparison = _json("compare-theories", CASE, *extra)
    assert {t["name"] for t in comparison["theories"]} == {"posture", "posture-eager"}
    out = tmp_path / "report"
    _run("report", CASE, "--out", str(out), "--format", "html", "--format", "md", *extra)
    for name in ("index.html", "report.md"):
        text = (out / name).read_text(encoding="utf-8")
        assert not BUILT_IN_TEXT.search(text), BUILT_IN_TEXT.search(text)
        assert "Challengia" in text and "posture" in text
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "<dt>Incumbents</dt><dd>Incumbia, Secundia</dd>" in html
    assert "Analysed apart: The fisheries file" in html or area
    if area:
        assert "<code>fisheries</code>" in html


def _case_with(tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    for path in FOLDER.iterdir():
        shutil.copy(path, tmp_path / path.name)
    data = yaml.safe_load((FOLDER / "case.yaml").read_text(encoding="utf-8"))
    change(data)
    (tmp_path / "case.yaml").write_text(yaml.safe_dump(data, sort_keys=False),
                                        encoding="utf-8")
    return tmp_path / "case.yaml"


def _problems(path: Path) -> dict[str, str]:
    with pytest.raises(CaseFileError) as caught:
        multilat.load_case(path)
    return {p.field: f"{p.found}; {p.expected}" for p in caught.value.problems}


def test_an_item_on_a_shared_side_must_say_whose(tmp_path: Path) -> None:
    def change(data):  # type: ignore[no-untyped-def]
        del data["evidence"][0]["whose"]
        data["evidence"][1]["whose"] = "CHL"
        data["evidence"][3]["whose"] = "INA"
    problems = _problems(_case_with(tmp_path, change))
    assert "no whose" in problems["evidence[0].whose"]
    assert "INA, INB" in problems["evidence[0].whose"]
    assert '"CHL"' in problems["evidence[1].whose"]
    assert "only with a side" in problems["evidence[3].whose"]


def test_roles_are_the_theorys(tmp_path: Path) -> None:
    def change(data):  # type: ignore[no-untyped-def]
        data["actors"][3]["role"] = "rising"
        data["actors"] += [{"id": f"X{i}", "name": f"X{i}", "role": "incumbent"}
                           for i in range(2)]
    problems = _problems(_case_with(tmp_path, change))
    assert '"rising"' in problems["actors[3].role"]
    assert "challenger, incumbent, other" in problems["actors[3].role"]
    assert problems["actors"].startswith("4 actors with role 'incumbent'")
    assert "1 to 3 (the incumbent; theory posture)" in problems["actors"]


def test_issue_area_mistakes_are_located(tmp_path: Path) -> None:
    def change(data):  # type: ignore[no-untyped-def]
        data["evidence"][7]["issue_area"] = "fishing"
        data["evidence"][8]["years"] = [2000, 2005]
        data["issue_areas"][0]["periods"][1]["end"] = 2006
    problems = _problems(_case_with(tmp_path, change))
    assert '"fishing"' in problems["evidence[7].issue_area"]
    assert "span of issue area fisheries 2002-2005" in problems["evidence[8].years"]
    assert "span of issue area fisheries" in problems["issue_areas[0].periods[1]"]


def test_theory_file_mistakes(tmp_path: Path) -> None:
    text = (FOLDER / "posture.yaml").read_text(encoding="utf-8")
    bad = (text.replace("sides: [challenger, incumbent]", "sides: [challenger, leader]")
           .replace("- name: posture-eager", "- name: posture"))
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(TheoryError) as caught:
        multilat.load_theory(path)
    fields = {p.field: p for p in caught.value.problems}
    assert "variables[0].sides[1]" in fields and fields["variables[0].sides[1]"].line
    path.write_text(text.replace("- name: posture-eager", "- name: posture"), encoding="utf-8")
    with pytest.raises(TheoryError, match="variants\\[0\\].name"):
        multilat.load_theory(path)
    with pytest.raises(TheoryError) as caught:
        resolve_theory(f"{FOLDER / 'posture.yaml'}#nope")
    assert caught.value.problems[0].code == THEORY_UNKNOWN
    with pytest.raises(TheoryError) as caught:
        resolve_theory("no-such-theory")
    assert caught.value.problems[0].code == THEORY_UNKNOWN


def test_a_mistyped_role_is_reported_once(tmp_path: Path) -> None:
    def change(data):  # type: ignore[no-untyped-def]
        data["actors"][2]["role"] = "incumbant"
    problems = _problems(_case_with(tmp_path, change))
    assert "actors[2].role" in problems
    assert not [f for f in problems if f.endswith(".whose")]
