"""Core commands: analyze, validate, schema, examples, theories, explain."""

from __future__ import annotations

import click
import numpy as np

from ..analysis import analyze as run_analysis
from ..analysis import most_probable_level
from ..case import case_schema, load_case
from ..errors import CaseFileError
from ..examples import copy_example, list_examples
from ..explain import explain_belief
from ..theory import builtin_theories, load_theory
from ._common import (
    case_argument,
    emit_json,
    handle_errors,
    layer_option,
    open_case,
    open_settings,
    print_table,
    settings_option,
    theory_option,
)

WEAK_SUPPORT = 0.9


def _pick(levels: dict[str, float]) -> str:
    names = tuple(levels)
    best = most_probable_level(names, np.array([levels[n] for n in names]))
    return f"{best} {max(levels.values()):.2f}"


@click.command()
@case_argument
@theory_option
@settings_option
@layer_option
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@handle_errors
def analyze(case: str | None, theory: str | None, settings_path: str | None,
            layers: tuple[str, ...], output: str) -> None:
    """Weigh a case's evidence; print yearly and per-period beliefs and strategies.

    CASE is a case file or a built-in case name (default: kazakhstan-eaeu).

    Example: multilat analyze --format json > analysis.json
    """
    analysis = run_analysis(open_case(case), theory, open_settings(settings_path),
                            layers=layers or None)
    document = analysis.to_dict()
    if output == "json":
        emit_json(document)
        return
    variables = [v for v in analysis.theory.variables]
    columns = ["", *(f"P({v.levels[0]})" for v in variables), "predicted", "observed",
               "congruence", "items"]

    def row(label: str, block: dict[str, object]) -> list[str]:
        beliefs = block["variables"]
        assert isinstance(beliefs, dict)
        counts = block["evidence_counts"]
        assert isinstance(counts, dict)
        observed = (_pick(block["observed"])  # type: ignore[arg-type]
                    if counts[analysis.theory.outcome.name] else "no evidence")
        return [label, *(f"{beliefs[v.name][v.levels[0]]:.2f}" for v in variables),
                _pick(block["predicted"]), observed,  # type: ignore[arg-type]
                f"{block['congruence']:.2f}", str(sum(counts.values()))]

    title = f"{analysis.case.title} — theory {analysis.theory.name} {analysis.theory.version}"
    print_table(f"{title}\nBy year", columns,
                [row(str(y["year"]), y) for y in document["years"]])
    print_table("By period", ["period", *columns[1:]],
                [row(f"{p['id']} {p['start']}-{p['end']}", p) for p in document["periods"]])
    click.echo(f"Layers weighed: {', '.join(document['layers'])}.")
    if document["unused_evidence"]:
        click.echo(f"{len(document['unused_evidence'])} items about variables theory "
                   f"{analysis.theory.name} does not declare (e.g. rival theories') are not "
                   "weighed; see unused_evidence in --format json.")
    unsupported = [c for c in document["claims"] if not c["supported"]]
    if document["claims"]:
        click.echo(f"Published claims checked: {len(document['claims'])} claim-years, "
                   f"{len(unsupported)} not supported by the coded evidence.")
        for claim in unsupported:
            click.echo(f"  NOT SUPPORTED: {claim['year']} {claim['variable']} = {claim['level']} "
                       f"({claim['citation']}): evidence gives P = {claim['probability']:.2f}, "
                       f"most probable {claim['most_probable']}")
        weak: dict[str, list[str]] = {}
        for claim in document["claims"]:
            if claim["supported"] and claim["probability"] < WEAK_SUPPORT:
                weak.setdefault(f"{claim['variable']} = {claim['level']}", []).append(
                    f"{claim['year']} ({claim['probability']:.2f})")
        for label, years in weak.items():
            click.echo(f"  supported but with P < {WEAK_SUPPORT}: {label} in {', '.join(years)}")


@click.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@handle_errors
def validate(path: str, output: str) -> None:
    """Check a case file; report every problem as file:line field: found X; expected Y.

    Exit code 0 when valid, 1 when not.

    Example: multilat validate my-case/case.yaml
    """
    try:
        case = load_case(path)
    except CaseFileError as error:
        if output == "json":
            emit_json({"valid": False, "problems": [p.to_dict() for p in error.problems]})
        else:
            for problem in error.problems:
                click.echo(str(problem), err=True)
            click.echo(f"{len(error.problems)} problem(s) found.", err=True)
        raise SystemExit(1) from None
    if output == "json":
        emit_json({"valid": True, "problems": [], "evidence": len(case.evidence)})
    else:
        click.echo(f"{path}: valid ({len(case.evidence)} evidence items, theory {case.theory}).")


@click.command()
@click.option("--theory", default="kpr", show_default=True, metavar="NAME|FILE",
              help="Enumerate this theory's variables and levels in the schema.")
@click.option("--generic", is_flag=True, help="A schema with no theory's names in it.")
@handle_errors
def schema(theory: str, generic: bool) -> None:
    """Print the JSON Schema of case files, for editors' validation and completion.

    Example: multilat schema > case.schema.json
    """
    emit_json(case_schema(None if generic else load_theory(theory)))


@click.group()
def examples() -> None:
    """The built-in cases to start from."""


@examples.command("list")
def examples_list() -> None:
    """List the built-in cases.

    Example: multilat examples list
    """
    for name in list_examples():
        click.echo(name)


@examples.command("copy")
@click.argument("name")
@click.argument("directory", type=click.Path(file_okay=False))
@handle_errors
def examples_copy(name: str, directory: str) -> None:
    """Copy a built-in case's files into DIRECTORY (never overwrites a file).

    Example: multilat examples copy kazakhstan-eaeu my-case
    """
    for path in copy_example(name, directory):
        click.echo(str(path))


@click.command()
@handle_errors
def theories() -> None:
    """List the built-in theories and their rule tables.

    Example: multilat theories
    """
    for name in builtin_theories():
        theory = load_theory(name)
        click.echo(f"{theory.name} {theory.version}: {theory.title}")
        for combo, rule in theory.cells():
            click.echo(f"  {' x '.join(combo)} -> {rule.then}  [{rule.citation}]")


@click.command()
@case_argument
@click.option("--variable", required=True, help="A variable of the theory, or the outcome.")
@click.option("--year", type=int, default=None)
@click.option("--period", default=None, help="A period id of the case.")
@theory_option
@settings_option
@layer_option
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@handle_errors
def explain(case: str | None, variable: str, year: int | None, period: str | None,
            theory: str | None, settings_path: str | None, layers: tuple[str, ...],
            output: str) -> None:
    """List every evidence item that moved a belief, from prior to posterior.

    Example: multilat explain --variable balance_of_outside_options --year 2015
    """
    if (year is None) == (period is None):
        raise click.UsageError("give exactly one of --year or --period")
    analysis = run_analysis(open_case(case), theory, open_settings(settings_path),
                            layers=layers or None)
    explanation = explain_belief(analysis, variable, year=year, period=period)
    if output == "json":
        emit_json(explanation.to_dict())
        return
    where = f"year {year}" if year is not None else f"period {period}"
    for level, path in explanation.contributions.items():
        click.echo(f"{variable} in {where}: log-odds of {level} against "
                   f"{explanation.reference}")
        click.echo(f"  prior                        {explanation.prior_log_odds[level]:+.3f}")
        rows = [[c.id, f"{c.weight:+.3f}", c.side or "", c.citation, f"{c.running_total:+.3f}"]
                for c in path]
        print_table("", ["item", "weight", "side", "citation", "running"], rows)
        click.echo(f"  posterior log-odds           {explanation.posterior_log_odds[level]:+.3f}")
        sides = ", ".join(f"{k} {v:+.3f}" for k, v in explanation.by_side[level].items())
        if sides:
            click.echo(f"  by side: {sides}")
    posterior = ", ".join(f"{k} {v:.3f}" for k, v in explanation.posterior.items())
    click.echo(f"  posterior: {posterior}")


COMMANDS = [analyze, validate, schema, examples, theories, explain]
