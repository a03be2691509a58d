from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import multilat
from multilat.cli import main


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_analyze_builtin_json(runner: CliRunner) -> None:
    result = runner.invoke(main, ["analyze", "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["case"] == "kazakhstan-eaeu" and document["theory"] == "kpr-invest"
    assert [y["year"] for y in document["years"]] == list(range(2009, 2020))
    for block in document["years"] + document["periods"]:
        assert set(block) >= {"variables", "predicted", "observed", "congruence"}
        for distribution in [*block["variables"].values(), block["predicted"],
                             block["observed"]]:
            assert sum(distribution.values()) == pytest.approx(1, abs=1e-5)
    assert {p["id"] for p in document["periods"]} == {"integration", "hold-up"}
    assert all({"id", "variable", "level", "years", "citation"} <= set(e)
               for e in document["evidence"])


def test_analyze_table_and_theory_option(runner: CliRunner) -> None:
    result = runner.invoke(main, ["analyze", "--theory", "kpr"])
    assert result.exit_code == 0, result.output
    assert "theory kpr 2.0" in result.output and "By period" in result.output
    assert "\x1b[" not in result.output  # plain text when not on a terminal


def test_validate_exit_codes(runner: CliRunner, case_dir: Path) -> None:
    path = case_dir / "case.yaml"
    ok = runner.invoke(main, ["validate", str(path)])
    assert ok.exit_code == 0 and "valid" in ok.output
    path.write_text(path.read_text().replace("level: invest", "level: investt"))
    bad = runner.invoke(main, ["validate", str(path)])
    assert bad.exit_code == 1
    assert f"{path}:" in bad.output and "evidence[4].level" in bad.output
    assert "Traceback" not in bad.output
    (case_dir / "junk.yaml").write_text("a: [1,\n")
    junk = runner.invoke(main, ["validate", str(case_dir / "junk.yaml")])
    assert junk.exit_code == 1 and ":2" in junk.output and "YAML syntax error" in junk.output
    usage = runner.invoke(main, ["validate"])
    assert usage.exit_code == 2
    usage = runner.invoke(main, ["analyze", "--format", "xml"])
    assert usage.exit_code == 2


def test_user_errors_are_not_tracebacks(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["analyze", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 1 and "Error:" in result.output and "no such file" in result.output
    result = runner.invoke(main, ["analyze", "--theory", "nope"])
    assert result.exit_code == 1 and "a built-in theory" in result.output
    settings = tmp_path / "multilat.toml"
    settings.write_text("[infer.strength.hoop]\nif_levle = 0.9\n")
    result = runner.invoke(main, ["analyze", "--settings", str(settings)])
    assert result.exit_code == 1
    assert f"{settings}:2 infer.strength.hoop.if_levle" in result.output
    assert "did you mean 'infer.strength.hoop.if_level'" in result.output


def test_schema_and_examples(runner: CliRunner, tmp_path: Path) -> None:
    schema = json.loads(runner.invoke(main, ["schema"]).output)
    assert schema["title"] == "multilat case file"
    listed = runner.invoke(main, ["examples", "list"]).output.splitlines()
    # one line per built-in case, in name order (there may be several)
    assert [line.split(":")[0] for line in listed] == multilat.list_examples()
    assert any(line.startswith("kazakhstan-eaeu: Kazakhstan in the Eurasian Economic Union")
               for line in listed)
    names = runner.invoke(main, ["examples", "copy"])
    assert names.exit_code == 0 and "kazakhstan-eaeu:" in names.output
    copied = runner.invoke(main, ["examples", "copy", "kazakhstan-eaeu", str(tmp_path / "c")])
    assert copied.exit_code == 0
    assert (tmp_path / "c" / "case.yaml").exists() and (tmp_path / "c" / "references.bib").exists()
    again = runner.invoke(main, ["examples", "copy", "kazakhstan-eaeu", str(tmp_path / "c")])
    assert again.exit_code == 1 and "already exist" in again.output
    assert runner.invoke(main, ["validate", str(tmp_path / "c" / "case.yaml")]).exit_code == 0


def test_explain_sums_to_analyze(runner: CliRunner) -> None:
    result = runner.invoke(main, ["explain", "--variable", "balance_of_outside_options",
                                  "--year", "2015", "--format", "json"])
    assert result.exit_code == 0, result.output
    explanation = json.loads(result.output)
    total = explanation["prior_log_odds"] + sum(c["weight"] for c in explanation["contributions"])
    assert total == pytest.approx(explanation["posterior_log_odds"], abs=1e-5)
    analysis = json.loads(runner.invoke(main, ["analyze", "--format", "json"]).output)
    year = next(y for y in analysis["years"] if y["year"] == 2015)
    p = year["variables"]["balance_of_outside_options"]
    assert explanation["posterior_log_odds"] == pytest.approx(
        __import__("math").log(p["favorable"] / p["unfavorable"]), abs=1e-4)
    assert {c["side"] for c in explanation["contributions"]} == {"rising", "established"}
    assert all(c["citation"] for c in explanation["contributions"])


def test_every_command_has_help_with_an_example(runner: CliRunner) -> None:
    def walk(group, prefix):  # type: ignore[no-untyped-def]
        context = click.Context(group)
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            if isinstance(command, click.Group):
                yield from walk(command, [*prefix, name])
            else:
                yield [*prefix, name]

    for path in walk(main, []):
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0
        assert "Example:" in result.output, path


def test_public_api_sorted() -> None:
    assert multilat.__all__ == sorted(multilat.__all__)
    for name in multilat.__all__:
        assert hasattr(multilat, name)


def _fresh(code: str) -> str:
    """Run ``code`` in a new interpreter (with this tree's ``multilat``) and return its output."""
    source = str(Path(multilat.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [source, *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_public_api_is_lazy_and_complete() -> None:
    # every public name but the version is loaded on first use, and each one imports
    names = set(multilat.__all__) - {"__version__"}
    assert set(multilat._LAZY) == names
    out = _fresh("import sys, multilat\n"
                 "heavy = [m for m in ('numpy', 'yaml', 'jsonschema', 'click', 'multilat.case')"
                 " if m in sys.modules]\n"
                 "print(heavy)\n"
                 f"from multilat import {', '.join(sorted(names))}\n"
                 "print('ok')")
    assert out.split("\n")[:2] == ["[]", "ok"]
    assert multilat.load_case.__module__ == "multilat.case.io"
    assert multilat.examples.example_path("kazakhstan-eaeu").is_file()  # submodules too
    with pytest.raises(AttributeError):
        multilat.no_such_name  # noqa: B018


def test_command_table_matches_the_commands() -> None:
    # the lazy group's help comes from a table: each row must match its real command
    from multilat.cli import COMMANDS, LazyGroup, load_command

    assert isinstance(main, LazyGroup)
    for name, (_, _, short) in COMMANDS.items():
        command = load_command(name)
        assert command.name == name
        assert command.get_short_help_str(limit=10**6) == short, name
        for limit in (30, 45, 60):
            assert command.get_short_help_str(limit) == click.Command(
                name, help=short).get_short_help_str(limit)
    assert main.list_commands(click.Context(main)) == sorted(COMMANDS)
    assert main.get_command(click.Context(main), "no-such-command") is None


def test_help_imports_no_command() -> None:
    out = _fresh("import sys\n"
                 "from click.testing import CliRunner\n"
                 "from multilat.cli import main, COMMANDS\n"
                 "result = CliRunner().invoke(main, ['--help'])\n"
                 "assert result.exit_code == 0, result.output\n"
                 "assert all(name in result.output for name in COMMANDS)\n"
                 "print(sorted(m for m in sys.modules if m.startswith('multilat')"
                 " or m in ('numpy', 'yaml', 'jsonschema', 'rich')))\n"
                 "CliRunner().invoke(main, ['schema', '--help'])\n"
                 "print('multilat.cli.core' in sys.modules, 'multilat.cli.robust' in sys.modules)")
    lines = out.split("\n")
    assert lines[0] == "['multilat', 'multilat._version', 'multilat.cli']"
    assert lines[1] == "True False"
    help_text = CliRunner().invoke(main, ["--help"]).output
    assert "analyze " in help_text and "Weigh a case's evidence" in help_text


def test_system_errors_are_not_tracebacks(runner: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = runner.invoke(main, ["examples", "copy", "kazakhstan-eaeu", str(blocker / "sub")])
    assert result.exit_code == 1 and "Error:" in result.output
    assert "Traceback" not in result.output


def test_settings_errors_point_at_their_table(runner: CliRunner, tmp_path: Path) -> None:
    settings = tmp_path / "multilat.toml"
    settings.write_text("[infer.strength.hoop]\nif_level = 0.9\n\n"
                        "[infer.strength.smoking_gun]\nif_other = 0.01\nif_level = 2\n")
    result = runner.invoke(main, ["analyze", "--settings", str(settings)])
    assert result.exit_code == 1
    assert f"{settings}:6 infer.strength.smoking_gun.if_level: found 2" in result.output


def test_ties_are_not_support(runner: CliRunner, case_dir: Path) -> None:
    path = case_dir / "case.yaml"
    path.write_text(path.read_text().replace(
        "claims:\n", "claims:\n  - {variable: strategy, level: invest, years: 2000, "
        "citation: {key: smith2020}}\n"))
    document = json.loads(runner.invoke(main, ["analyze", str(path), "--format",
                                               "json"]).output)
    (claim,) = [c for c in document["claims"] if c["variable"] == "strategy"]
    assert claim["supported"] is False
    assert claim["most_probable"] == "tie: invest, hold_up, accept"
