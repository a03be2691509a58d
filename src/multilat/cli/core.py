"""Core commands: analyze, validate, schema, examples, theories, explain."""

from __future__ import annotations

from pathlib import Path

import click

from ..analysis import analyze as run_analysis
from ..case import case_schema, load_case
from ..decision import ClaimVerdict
from ..errors import CaseFileError
from ..examples import copy_example, list_examples
from ..explain import explain_belief
from ..theory import builtin_theories, resolve_theory
from ..views import result_tables
from ._common import (
    case_argument,
    emit_json,
    handle_errors,
    issue_area_option,
    layer_option,
    open_case,
    open_settings,
    print_table,
    settings_option,
    theory_option,
)


@click.command()
@case_argument
@theory_option
@settings_option
@layer_option
@issue_area_option
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@handle_errors
def analyze(case: str | None, theory: str | None, settings_path: str | None,
            layers: tuple[str, ...], output: str,
        issue_area: str | None) -> None:
    """Weigh a case's evidence; print yearly and per-period beliefs and strategies.

    CASE is a case file or a built-in case name (default: kazakhstan-eaeu).

    Example: multilat analyze --format json > analysis.json
    """
    analysis = run_analysis(open_case(case, issue_area), theory, open_settings(settings_path),
                            layers=layers or None)
    document = analysis.to_dict()
    if output == "json":
        emit_json(document)
        return
    periods, years = result_tables(analysis)
    title = f"{analysis.case.title} — theory {analysis.theory.name} {analysis.theory.version}"
    print_table(f"{title}\nBy year", ["", *years.columns[1:]], years.rows)
    print_table("By period", periods.columns, periods.rows)
    click.echo(f"Layers weighed: {', '.join(document['layers'])}.")
    if document["other_issue_areas"]:
        where = (f"issue area {document['issue_area']}" if document["issue_area"]
                 else "the regime itself")
        click.echo(f"This is {where}; the case's other issue areas are analysed apart: "
                   + ", ".join(document["other_issue_areas"])
                   + " (--issue-area ID; the regime is the default).")
    if document["unused_evidence"]:
        click.echo(f"{len(document['unused_evidence'])} items about variables theory "
                   f"{analysis.theory.name} does not declare (e.g. rival theories') are not "
                   "weighed; see unused_evidence in --format json.")
    if document["claims"]:
        _print_claims(document["claims"], analysis.settings["claims.weak_below"])


def _print_claims(claims: list[dict[str, object]], weak_below: float) -> None:
    """Published claims by verdict: one count line, then every claim-year not supported."""
    order = [str(v) for v in ClaimVerdict]
    counts = {v: sum(1 for c in claims if c["verdict"] == v) for v in order}
    click.echo(f"Published claims checked: {len(claims)} claim-years: "
               + ", ".join(f"{counts[v]} {v}" for v in order)
               + f" (weak: the claimed level leads with P < {weak_below:g}).")
    for verdict in order[1:]:
        grouped: dict[str, list[str]] = {}
        for claim in claims:
            if claim["verdict"] != verdict:
                continue
            label = f"{claim['variable']} = {claim['level']} ({claim['citation']})"
            detail = ("" if verdict == str(ClaimVerdict.NO_EVIDENCE) else
                      f" P = {claim['probability']:.2f}"
                      + (f", most probable {claim['most_probable']}"
                         if verdict == str(ClaimVerdict.NOT_SUPPORTED) else ""))
            grouped.setdefault(label, []).append(f"{claim['year']}{detail}")
        for label, years in grouped.items():
            click.echo(f"  {verdict.upper()}: {label}: {'; '.join(years)}")


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
@click.option("--theory", default=None, metavar="NAME|FILE",
              help="Enumerate this theory's variables and levels in the schema "
                   "(default: the generic schema).")
@click.option("--generic", is_flag=True,
              help="A schema with no theory's names in it (the default without --theory).")
@handle_errors
def schema(theory: str | None, generic: bool) -> None:
    """Print the JSON Schema of case files, for editors' validation and completion.

    Example: multilat schema --theory kpr > case.schema.json
    """
    chosen = None if generic or theory is None else resolve_theory(theory, Path.cwd())
    emit_json(case_schema(chosen))


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
@click.argument("theory", required=False, metavar="[NAME|FILE]")
@handle_errors
def theories(theory: str | None) -> None:
    """List the built-in theories (or one theory) with their roles and rule tables.

    Theories that ship with a built-in case (its rival explanations) are files in that case's
    folder; `multilat examples copy` copies them with it.

    Example: multilat theories kpr
    """
    names = [theory] if theory else list(builtin_theories())
    for name in names:
        shown = resolve_theory(name, Path.cwd())
        reading = f" (a reading of {shown.variant_of})" if shown.variant_of else ""
        click.echo(f"{shown.name} {shown.version}{reading}: {shown.title}")
        if shown.roles:
            click.echo("  roles: " + "; ".join(
                f"{r.name} ({r.title}, {_actors(r.min_actors, r.max_actors)})"
                for r in shown.roles))
        header = " x ".join(v.name for v in shown.variables)
        click.echo(f"  {header} -> {shown.outcome.name}")
        for combo, rule in shown.cells():
            click.echo(f"    {' x '.join(combo)} -> {rule.then}  [{rule.citation}]")
        if shown.readings:
            click.echo(f"  other readings: {', '.join(shown.readings)}")


def _actors(low: int, high: int | None) -> str:
    if high == low:
        return f"{low} actor{'s' if low != 1 else ''}"
    return f"{low} or more actors" if high is None else f"{low} to {high} actors"


@click.command()
@case_argument
@click.option("--variable", required=True, help="A variable of the theory, or the outcome.")
@click.option("--year", type=int, default=None)
@click.option("--period", default=None, help="A period id of the case.")
@theory_option
@settings_option
@layer_option
@issue_area_option
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@handle_errors
def explain(case: str | None, variable: str, year: int | None, period: str | None,
            theory: str | None, settings_path: str | None, layers: tuple[str, ...],
            output: str,
        issue_area: str | None) -> None:
    """List every evidence item that moved a belief, from prior to posterior.

    Example: multilat explain --variable balance_of_outside_options --year 2015
    """
    if (year is None) == (period is None):
        raise click.UsageError("give exactly one of --year or --period")
    analysis = run_analysis(open_case(case, issue_area), theory, open_settings(settings_path),
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
