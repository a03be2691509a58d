"""``multilat statements``: scan, kwic, to-evidence, dictionary, validate; user errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from multilat.cli import main

from .conftest import LABELS


def test_scan_writes_a_review_file_with_exact_quotes(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "candidates.csv"
    result = CliRunner().invoke(main, ["statements", "scan", str(corpus), "--actor", "KAZ",
                                       "--years", "2009-2019", "--case", "kazakhstan-eaeu",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and rows[0]["rank"] == "1"
    for row in rows:
        text = Path(row["file"]).read_bytes().decode("utf-8")
        assert text[int(row["start"]):int(row["end"])] == row["quote"]
    table = CliRunner().invoke(main, ["statements", "scan", str(corpus), "--actor", "KAZ",
                                      "--top", "3"])
    assert table.exit_code == 0 and "KAZ_74_2019.txt ¶24" in table.output


def test_kwic_lists_every_occurrence(corpus: Path) -> None:
    result = CliRunner().invoke(main, ["statements", "kwic", str(corpus), "--actor", "RUS",
                                       "--term", "Eurasian Economic Union"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "\t" in line]
    assert len(lines) >= 3 and all("[Eurasian Economic Union]" in line for line in lines)
    bad = CliRunner().invoke(main, ["statements", "kwic", str(corpus), "--group", "nope"])
    assert bad.exit_code == 2 and "--group" in bad.output


def test_to_evidence_and_validate(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "candidates.csv"
    runner = CliRunner()
    assert runner.invoke(main, ["statements", "scan", str(corpus), "--actor", "KAZ", "--out",
                                str(out)]).exit_code == 0
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["decision"] = "accept"
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    layer = tmp_path / "layer.yaml"
    result = runner.invoke(main, ["statements", "to-evidence", str(out), "--out", str(layer)])
    assert result.exit_code == 0, result.output
    assert "kind: statement" in layer.read_text(encoding="utf-8")
    result = runner.invoke(main, ["statements", "validate", str(corpus), "--actor", "KAZ",
                                  "--labels", str(LABELS), "--second-coder", str(LABELS),
                                  "--sample", "5", "--sample-out", str(tmp_path / "s.csv"),
                                  "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[:result.output.rindex("}") + 1])
    assert data["ranking"]["average_precision"] >= 0.6 and data["krippendorff_alpha"] == 1.0
    with (tmp_path / "s.csv").open(encoding="utf-8", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 5


def test_to_evidence_adds_the_corpus_to_the_case_bibliography(corpus: Path,
                                                               tmp_path: Path) -> None:
    runner = CliRunner()
    folder = tmp_path / "case"
    assert runner.invoke(main, ["examples", "copy", "kazakhstan-eaeu", str(folder)]
                         ).exit_code == 0
    bib = folder / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").split("@dataset{ungdc_baturo2017")[0],
                   encoding="utf-8")
    result = runner.invoke(main, ["statements", "to-evidence",
                                  str(folder / "statements-review.csv"),
                                  "--case", str(folder / "case.yaml"),
                                  "--out", str(folder / "statements-layer.yaml")])
    assert result.exit_code == 0, result.output
    assert "ungdc_baturo2017" in bib.read_text(encoding="utf-8")
    case_file = folder / "case.yaml"
    text = case_file.read_text(encoding="utf-8").replace(
        "events-layer.yaml]", "events-layer.yaml, statements-layer.yaml]", 1)
    case_file.write_text(text, encoding="utf-8")
    assert runner.invoke(main, ["validate", str(case_file)]).exit_code == 0
    analysed = runner.invoke(main, ["analyze", str(case_file), "--format", "json"])
    assert analysed.exit_code == 0 and "statements" in json.loads(analysed.output)["layers"]


def test_dictionary_command(tmp_path: Path) -> None:
    out = tmp_path / "statements-dictionary.yaml"
    result = CliRunner().invoke(main, ["statements", "dictionary", "--out", str(out)])
    assert result.exit_code == 0 and "Eurasian Economic Union" in out.read_text("utf-8")


def test_user_errors_are_not_tracebacks(tmp_path: Path) -> None:
    runner = CliRunner()
    for args, code in ((["statements", "scan", str(tmp_path / "none")], 1),
                       (["statements", "scan", str(tmp_path), "--years", "2019-2009"], 2),
                       (["statements", "to-evidence", str(tmp_path / "none.csv")], 1),
                       (["statements", "validate", str(tmp_path), "--labels",
                         str(tmp_path / "l.csv")], 1)):
        result = runner.invoke(main, args)
        assert result.exit_code == code, (args, result.output)
        assert "Traceback" not in result.output
        if code == 1:
            assert "Error:" in result.output
