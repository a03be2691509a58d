"""Core commands: analyze, validate, schema, examples, theories, explain."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..case import case_schema, load_case
from ..errors import CaseFileError
from ..examples import copy_example, example_path, list_examples
from ..theory import builtin_theories, resolve_theory

if TYPE_CHECKING:
    from ..analysis import ClaimCheck

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
    # The weighing (NumPy) is imported by the commands that weigh: schema, examples and
    # theories start without it.
    from ..analysis import analyze as run_analysis
    from ..views import result_tables

    analysis = run_analysis(open_case(case, issue_area), theory, open_settings(settings_path),
                            layers=layers or None)
    if output == "json":
        emit_json(analysis.to_dict())
        return
    # The table reads the analysis itself: the JSON document's per-item records are not built.
    periods, years = result_tables(analysis)
    title = f"{analysis.case.title} — theory {analysis.theory.name} {analysis.theory.version}"
    print_table(f"{title}\nBy year", ["", *years.columns[1:]], years.rows)
    print_table("By period", periods.columns, periods.rows)
    click.echo(f"Layers weighed: {', '.join(analysis.weighed_layers)}.")
    scope = analysis.case.scope
    others = analysis.other_issue_areas
    if others:
        where = f"issue area {scope}" if scope else "the regime itself"
        click.echo(f"This is {where}; the case's other issue areas are analysed apart: "
                   + ", ".join(others) + " (--issue-area ID; the regime is the default).")
    if analysis.table.unused:
        click.echo(f"{len(analysis.table.unused)} items about variables theory "
                   f"{analysis.theory.name} does not declare (e.g. rival theories') are not "
                   "weighed; see unused_evidence in --format json.")
    claims = analysis.claim_checks()
    if claims:
        _print_claims(claims, analysis.settings["claims.weak_below"])
    for diagnostic in analysis.diagnostics().values():
        if diagnostic.warning:
            click.echo(f"Warning: evidence {diagnostic.id}: {diagnostic.warning}.")


def _print_claims(claims: list[ClaimCheck], weak_below: float) -> None:
    """Published claims by verdict: one count line, then every claim-year not supported."""
    from ..decision import ClaimVerdict

    counts = {v: sum(1 for c in claims if c.verdict is v) for v in ClaimVerdict}
    click.echo(f"Published claims checked: {len(claims)} claim-years: "
               + ", ".join(f"{counts[v]} {v}" for v in ClaimVerdict)
               + f" (weak: the claimed level leads with P < {weak_below:g}).")
    for verdict in list(ClaimVerdict)[1:]:
        grouped: dict[str, list[str]] = {}
        for check in claims:
            if check.verdict is not verdict:
                continue
            claim = check.claim
            label = f"{claim.variable} = {claim.level} ({claim.citation})"
            detail = ("" if verdict is ClaimVerdict.NO_EVIDENCE else
                      f" P = {round(check.probability, 6):.2f}"
                      + (f", most probable {check.most_probable}"
                         if verdict is ClaimVerdict.NOT_SUPPORTED else ""))
            grouped.setdefault(label, []).append(f"{check.year}{detail}")
        for label, years in grouped.items():
            click.echo(f"  {str(verdict).upper()}: {label}: {'; '.join(years)}")


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
    """The built-in cases to start from (or `multilat new` for an empty one)."""


def _describe_examples() -> None:
    for name in list_examples():
        case = load_case(example_path(name))
        click.echo(f"{name}: {case.title} (theory {case.theory}, {len(case.evidence)} items)")


@examples.command("list")
@handle_errors
def examples_list() -> None:
    """List the built-in cases, one line each.

    Example: multilat examples list
    """
    _describe_examples()


@examples.command("copy")
@click.argument("name", required=False)
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@handle_errors
def examples_copy(name: str | None, directory: str | None) -> None:
    """Copy a built-in case's files into DIRECTORY (never overwrites a file); without NAME,
    list the names.

    Example: multilat examples copy kazakhstan-eaeu my-case
    """
    if name is None or directory is None:
        if name is not None:
            raise click.UsageError("give a DIRECTORY to copy the case into")
        click.echo("Built-in cases (multilat examples copy NAME DIRECTORY):")
        _describe_examples()
        return
    for path in copy_example(name, directory):
        click.echo(str(path))


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--theory", default="kpr", show_default=True, metavar="NAME|FILE",
              help="The case's theory; its roles become options (multilat theories NAME).")
@click.option("--institution", default="the institution", show_default=True,
              help="The institution's name.")
@click.option("--years", default=None, metavar="START-END",
              help="The span, e.g. 2010-2019 (default: the last ten years).")
@click.option("--id", "case_id", default=None, help="The case's id (default: from the actors).")
@click.pass_context
@handle_errors
def new(context: click.Context, directory: str, theory: str, institution: str,
        years: str | None, case_id: str | None) -> None:
    """Write a minimal valid case into DIRECTORY, to start coding from.

    Each role of the theory is an option taking actor ids (ISO3 codes get their country's
    name; repeat the option for several actors); for kpr: --rising ISO3 --established ISO3.
    The case file comments one example item of each kind; references.bib and the case
    schema (for editors) come beside it. Nothing is overwritten.

    Example: multilat new belarus --rising BLR --established RUS
    --institution "Eurasian Economic Union" --years 2010-2019
    """
    import datetime

    from ..new_case import new_case

    chosen = resolve_theory(theory, Path.cwd())
    roles = {r.name for r in chosen.roles}
    actors: dict[str, list[str]] = {}
    extra = list(context.args)
    while extra:
        flag = extra.pop(0)
        role = flag[2:].replace("-", "_") if flag.startswith("--") else ""
        if role not in roles or not extra or extra[0].startswith("--"):
            options = ", ".join(f"--{r.replace('_', '-')} ID" for r in sorted(roles))
            raise click.UsageError(f"found {flag!r}; expected one of the roles of theory "
                                   f"{chosen.name}: {options or 'none'}")
        actors.setdefault(role, []).append(extra.pop(0))
    if years is None:
        last = datetime.date.today().year - 1
        start, end = last - 9, last
    else:
        parts = years.split("-")
        if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
            raise click.BadParameter(f"found {years!r}; expected START-END, e.g. 2010-2019",
                                     param_hint="--years")
        start, end = int(parts[0]), int(parts[1])
    for path in new_case(directory, actors, institution=institution, start=start, end=end,
                         theory=theory, case_id=case_id):
        click.echo(str(path))
    click.echo(f"Next: multilat validate {Path(directory) / 'case.yaml'}")


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
@click.option("--year", type=int, default=None,
              help="The year of the belief to explain (give --year or --period).")
@click.option("--period", default=None,
              help="A period id of the case (give --year or --period).")
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
    from ..analysis import analyze as run_analysis

    analysis = run_analysis(open_case(case, issue_area), theory, open_settings(settings_path),
                            layers=layers or None)
    from ..explain import explain_belief
    from ..infer.units import format_weight

    explanation = explain_belief(analysis, variable, year=year, period=period)
    if output == "json":
        emit_json(explanation.to_dict())
        return
    where = f"year {year}" if year is not None else f"period {period}"
    unit = str(analysis.settings["report.weight_unit"])
    suffix = "" if unit == "nats" else f" (in {unit})"
    levels = list(explanation.contributions)
    posterior = ", ".join(f"{k} {v:.3f}" for k, v in explanation.posterior.items())
    click.echo(f"{variable} in {where}: posterior {posterior}")
    # One table for every level: each row is one item's push on the log-odds of a level
    # against the reference level, with the running total of that level's log-odds.
    rows = []
    for level in levels:
        rows.append([f"(prior {level})", level, "", "", "",
                     format_weight(explanation.prior_log_odds[level], unit)])
        rows += [[c.id, level, format_weight(c.weight, unit) + (
                     f" (rules out {', '.join(c.rules_out)})" if c.rules_out else ""),
                  c.side or "", c.citation, format_weight(c.running_total, unit)]
                 for c in explanation.contributions[level]]
    print_table(f"log-odds against {explanation.reference}{suffix}, item by item",
                ["item", "log-odds of", "weight", "side", "citation", "running"], rows)
    for level in levels:
        sides = ", ".join(f"{k} {format_weight(v, unit)}"
                          for k, v in explanation.by_side[level].items())
        click.echo(f"  posterior log-odds of {level} against {explanation.reference}: "
                   f"{format_weight(explanation.posterior_log_odds[level], unit)}"
                   + (f" (by side: {sides})" if sides else ""))

    if explanation.ruled_out:
        click.echo(f"  ruled out (probability 0): {', '.join(explanation.ruled_out)}")


COMMANDS = [analyze, validate, schema, new, examples, theories, explain]
