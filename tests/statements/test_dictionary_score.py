"""The dictionary (placeholders, located problems, term syntax) and scoring (guards, cues,
quotes at their offsets, Russian texts)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from multilat.case import Case
from multilat.errors import RulesFileError
from multilat.statements import (
    case_dictionary_text,
    dictionary_for_case,
    load_dictionary,
    read_corpus,
    read_document,
    score_corpus,
    score_document,
)
from multilat.statements.dictionary import compile_term, word_start


def test_terms_match_whole_words_stems_and_line_breaks() -> None:
    assert compile_term("russia*").search("the Russian\nFederation")
    hit = compile_term("russia*").search("Belorussia")
    assert hit is not None and not word_start("Belorussia", hit.start())
    assert word_start("the Russian", 4) and word_start("Russian", 0)
    assert compile_term("economic union").search("Economic \n Union")
    assert compile_term("интеграц*").search("евразийской ИНТЕГРАЦИИ")
    assert compile_term("=EU").search("the EU and") and not compile_term("=EU").search("eu")
    assert compile_term("one belt*").search("One Belt-One Road")


def test_placeholders_are_filled_from_the_case(builtin: Case) -> None:
    dictionary = load_dictionary(case=builtin)
    institution = {t.text for t in dictionary.group("institution").terms}
    assert {"Customs Union", "Common Economic Space", "Eurasian Economic Union",
            "=EAEU"} <= institution
    assert {"Russia*", "=RUS"} <= {t.text for t in dictionary.group("established").terms}
    others = {t.text for t in dictionary.group("partners").terms}
    assert {"China*", "Belarus*", "European Union*"} <= others and "Russia*" not in others
    assert dictionary.term_actors["Kazakhstan*"] == "KAZ"
    # without a case the role placeholders match nothing
    bare = load_dictionary()
    assert not bare.group("established").terms


def test_the_generated_case_dictionary_loads_as_the_filled_default(
        builtin: Case, tmp_path: Path) -> None:
    path = tmp_path / "statements-dictionary.yaml"
    path.write_text(case_dictionary_text(builtin), encoding="utf-8")
    generated = load_dictionary(path, case=builtin)
    filled = load_dictionary(case=builtin)
    assert [(g.id, [t.text for t in g.terms]) for g in generated.groups] == \
        [(g.id, [t.text for t in g.terms]) for g in filled.groups]
    assert all(g.reasoning for g in generated.groups)


def test_the_builtin_case_uses_its_own_edited_dictionary(builtin: Case) -> None:
    dictionary = dictionary_for_case(builtin)
    assert dictionary.source.endswith("statements-dictionary.yaml")
    assert "=ЕАЭС" in {t.text for t in dictionary.group("institution").terms}


def test_dictionary_problems_are_located(tmp_path: Path) -> None:
    data = yaml.safe_load(Path(load_dictionary().source).read_text(encoding="utf-8"))
    data["groups"][0]["near"] = ["nowhere"]
    data["groups"][1]["id"] = data["groups"][0]["id"]
    cue = next(g for g in data["groups"] if g["kind"] == "cue")
    del cue["propose"]
    data["groups"].append({"id": "bad", "kind": "topic", "terms": {"en": ["x"]},
                           "reasoning": "r"})
    path = tmp_path / "dictionary.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    with pytest.raises(RulesFileError) as error:
        load_dictionary(path)
    text = str(error.value)
    assert "groups[0].near[0]: found 'nowhere'" in text
    assert "groups[1].id" in text and "ids unique" in text
    assert "a cue without propose" in text and "no weight" in text
    assert f"{path}:" in text


def _doc(tmp_path: Path, text: str, actor: str = "KAZ", language: str = "en") -> Path:
    (tmp_path / "s.txt").write_text(text, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        f"file,actor,date,citation,language\ns.txt,{actor},2015,src,{language}\n",
        encoding="utf-8")
    return tmp_path


def test_guards_against_the_trials_false_positives(builtin: Case, tmp_path: Path) -> None:
    dictionary = dictionary_for_case(builtin)
    text = ("The sovereignty of Syria must be respected by every State.\n"
            "We support the integration of Afghanistan into regional trade networks.\n"
            "The Eurasian region needs collective security through CICA and the OSCE.\n"
            "Within the Eurasian Economic Union we defend our sovereignty and equal rights.\n")
    (document,) = read_corpus([_doc(tmp_path, text)])
    candidates = score_document(document, dictionary)
    by_start = {c.quote.split()[0]: c for c in candidates}
    assert set(by_start) == {"We", "Within"}  # Syria's sovereignty, CICA's Eurasia: nothing
    assert set(by_start["We"].groups) == {"economy"}  # "trade" alone; not the integration
    candidates = [by_start["Within"]]
    (best,) = candidates
    assert best.propose == {"variable": "strategy", "level": "hold_up"}
    assert {"institution", "sovereignty", "hold_up_demands"} <= set(best.groups)


def test_a_russian_text_naming_the_union_yields_candidates(builtin: Case,
                                                           tmp_path: Path) -> None:
    text = ("Казахстан является членом Евразийского экономического союза.\n\n"
            "Мы будем защищать наш суверенитет в рамках ЕАЭС и развивать "
            "транзитные коридоры в Китай.\n\n"
            "Погода в Астане сегодня хорошая.\n")
    (document,) = read_corpus([_doc(tmp_path, text, language="ru")])
    for dictionary in (dictionary_for_case(builtin), load_dictionary(case=builtin)):
        candidates = score_document(document, dictionary)
        assert len(candidates) == 2
        assert all(document.text[c.start:c.end] == c.quote for c in candidates)
    top = score_corpus([document], dictionary_for_case(builtin))[0]
    assert "суверенитет" in top.quote and top.propose == {"variable": "strategy",
                                                          "level": "hold_up"}


def test_a_text_naming_its_own_actor_is_not_about_it(builtin: Case, tmp_path: Path) -> None:
    dictionary = dictionary_for_case(builtin)
    text = "Russia has always defended sovereignty and non-interference.\n"
    (as_russia,) = read_corpus([_doc(tmp_path, text, actor="RUS")])
    assert score_document(as_russia, dictionary) == []
    (as_kazakhstan,) = read_corpus([_doc(tmp_path, text, actor="KAZ")])
    assert [c.groups.get("established") for c in score_document(as_kazakhstan, dictionary)] \
        == [1]


def test_every_quote_is_at_its_offsets_in_the_whole_corpus(builtin: Case,
                                                           corpus: Path) -> None:
    documents = read_corpus([corpus])
    candidates = score_corpus(documents, dictionary_for_case(builtin))
    assert len(candidates) > 50
    for candidate in candidates:
        text = read_document(candidate.file).text
        assert text[candidate.start:candidate.end] == candidate.quote
        assert candidate.paragraph.start <= candidate.start < candidate.end \
            <= candidate.paragraph.end
    scores = [c.score for c in candidates]
    assert scores == sorted(scores, reverse=True)
    # the one paragraph naming the union in Kazakhstan's speeches ranks first among them
    kazakh = [c for c in candidates if c.document.actor == "KAZ"]
    assert "Eurasian Economic Union" in kazakh[0].quote


def test_kwic_lines_are_one_line_and_inert() -> None:
    from multilat.statements import kwic

    text = "before\x1b[31m the\nEurasian Economic Union\x07 after"
    start = text.index("Eurasian")
    line = kwic(text, start, start + len("Eurasian Economic Union"), width=20)
    assert "\x1b" not in line and "\n" not in line and "\\x1b" in line
    assert "[Eurasian Economic Union]" in line


def test_an_undescribed_russian_file_is_scanned_but_not_evidence(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from multilat.cli import main

    text = "Казахстан остаётся членом Евразийского экономического союза и защищает суверенитет.\n"
    (tmp_path / "rech.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "c.csv"
    result = CliRunner().invoke(main, ["statements", "scan", str(tmp_path / "rech.txt"),
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "no manifest says who spoke when in rech.txt" in result.output
    content = out.read_text(encoding="utf-8")
    assert "суверенитет" in content and ",ru," in content
    content = content.replace(",,,\n", ",accept,,\n", 1)
    out.write_text(content, encoding="utf-8")
    refused = CliRunner().invoke(main, ["statements", "to-evidence", str(out)])
    assert refused.exit_code == 1 and "speaker or year is unknown" in refused.output
