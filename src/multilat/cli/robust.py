"""Commands that challenge a result: check, when, compare-theories."""

from __future__ import annotations

from typing import Any

import click

from ..analysis import analyze as run_analysis
from ..changepoint import change_point, switch_lag
from ..checks import run_checks
from ..compare import compare_theories as run_comparison
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

format_option = click.option("--format", "output", type=click.Choice(["table", "json"]),
                             default="table", show_default=True)
counting_option = click.option(
    "--counting", type=click.Choice(["once", "per_year"]), default="once", show_default=True,
    help="How an item spanning several years counts in the likelihood: once in total "
         "(spread over its years) or once per year it covers.")


@click.command()
@case_argument
@theory_option
@settings_option
@layer_option
@issue_area_option
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the generator handed to the checks.")
@format_option
@handle_errors
def check(case: str | None, theory: str | None, settings_path: str | None,
          layers: tuple[str, ...], seed: int, output: str,
        issue_area: str | None) -> None:
    """Run the robustness checks: which conclusions survive, and what would flip them?

    Leaves each item out, finds the smallest sets of items whose removal flips each
    conclusion, sweeps strengths and reliabilities, replaces the labels by one strength, finds
    the contrary prior that flips each conclusion, applies the variant rule table, and drops
    each kind of evidence and each cited source.

    Example: multilat check --format json > checks.json
    """
    analysis = run_analysis(open_case(case, issue_area), theory, open_settings(settings_path),
                            layers=layers or None)
    report = run_checks(analysis, seed=seed)
    if output == "json":
        emit_json(report.to_dict())
        return
    rows = []
    for conclusion in report.conclusions:
        flip = conclusion.flip_set
        rows.append([conclusion.variable, str(conclusion.at), conclusion.level,
                     f"{conclusion.probability:.2f}",
                     {True: "yes", False: "NO", None: "-"}[conclusion.survives_leave_one_out],
                     ", ".join(conclusion.pivotal) or "-",
                     flip.describe() if flip else "-",
                     ", ".join(conclusion.changed_by) or "-"])
    print_table(f"Conclusions of {report.case} under {report.theory}",
                ["conclusion", "year/period", "level", "P", "survives LOO", "pivotal items",
                 "flip set", "changed by"], rows)
    print_table("Checks", ["check", "verdict", "summary"],
                [[c.name, c.verdict, c.summary] for c in report.checks])
    if report.undetermined:
        click.echo("Undetermined (tied, no conclusion): " + ", ".join(
            f"{v} {at}" for v, _, at in report.undetermined))
    click.echo("Assumptions of each check: multilat check --format json (checks[].assumptions).")


@click.command()
@case_argument
@click.option("--variable", required=True,
              help="A theory variable, or observed_OUTCOME (e.g. observed_strategy) for the "
                   "observed outcome.")
@click.option("--two-changes", is_flag=True, help="Also allow two change points.")
@click.option("--no-change-prior", type=float, default=None,
              help="Prior probability of no change (default: uniform over all hypotheses).")
@click.option("--lag-against", default=None, metavar="VARIABLE",
              help="Date this variable too and report the lag between the two switches "
                   "(default: the observed outcome, or the theory's first variable when "
                   "--variable is the observed outcome).")
@counting_option
@theory_option
@settings_option
@layer_option
@issue_area_option
@format_option
@handle_errors
def when(case: str | None, variable: str, two_changes: bool, no_change_prior: float | None,
         lag_against: str | None, counting: str, theory: str | None,
         settings_path: str | None, layers: tuple[str, ...], output: str,
        issue_area: str | None) -> None:
    """Date a switch: the posterior over the year a variable (or the strategy) changed.

    Exact under a one-change model (or two changes with --two-changes), with a stated prior
    over change years and "no change"; also the lag between the switches of the variable and
    the observed strategy.

    Example: multilat when --variable balance_of_outside_options --format json
    """
    analysis = run_analysis(open_case(case, issue_area), theory, open_settings(settings_path),
                            layers=layers or None)
    result = change_point(analysis, variable, two_changes=two_changes, counting=counting,
                          no_change_prior=no_change_prior)
    observed = analysis.theory.observed_name
    other = lag_against or (analysis.theory.variables[0].name
                            if analysis.theory.target_of(variable) == analysis.theory.outcome.name
                            else observed)
    lag = None
    if other != variable:
        single = result if not two_changes else change_point(
            analysis, variable, counting=counting, no_change_prior=no_change_prior)
        second = change_point(analysis, other, counting=counting,
                              no_change_prior=no_change_prior)
        cause, effect = ((single, second)
                         if analysis.theory.target_of(variable) != analysis.theory.outcome.name
                         else (second, single))
        lag = switch_lag(cause, effect)
    document: dict[str, Any] = result.to_dict()
    document["lag"] = lag.to_dict() if lag else None
    if output == "json":
        emit_json(document)
        return
    rows = [[key, f"{result.prior[key]:.3f}", f"{probability:.3f}"]
            for key, probability in result.posterior.items()]
    print_table(f"When did {variable} change? ({document['model']}, counting {counting})",
                ["change year", "prior", "posterior"], rows)
    click.echo(result.headline[:1].upper() + result.headline[1:] + ".")
    click.echo("Given a change: " + ", ".join(
        f"{k} {v:.3f}" for k, v in sorted(result.transitions.items(), key=lambda x: -x[1])[:4]))
    if lag:
        click.echo(f"Lag ({lag.effect} minus {lag.cause}, one-change model, given both "
                   "change in any direction; independent): "
                   f"most probable {lag.most_probable:+d} years, mean {lag.mean:+.2f}, "
                   f"P(lag >= 0) = {lag.probability_not_before:.3f}")
    for assumption in result.assumptions:
        click.echo(f"assumes: {assumption}")


@click.command("compare-theories")
@case_argument
@click.option("--theory", "theories", multiple=True, metavar="NAME|FILE",
              help="A theory to compare (repeatable; the first is the reference). Default: "
                   "the case's theory, its other readings and the case's rival theories.")
@counting_option
@settings_option
@layer_option
@issue_area_option
@format_option
@handle_errors
def compare_theories(case: str | None, theories: tuple[str, ...], counting: str,
                     settings_path: str | None, layers: tuple[str, ...], output: str,
        issue_area: str | None) -> None:
    """Which theory fits the observed strategy best? Fit, Bayes factors, hits per year.

    Example: multilat compare-theories --format json
    """
    comparison = run_comparison(open_case(case, issue_area), list(theories) or None,
                                open_settings(settings_path), layers=layers or None,
                                counting=counting)
    if output == "json":
        emit_json(comparison.to_dict())
        return
    years = comparison.theories[0].years if comparison.theories else ()
    marks = {True: "+", False: "x", None: "."}
    rows = [[t.name, f"{t.fit:+.3f}", f"{t.log_bayes_factor:+.3f}", str(t.hits), str(t.misses),
             "".join(marks[h] for h in t.hit)] for t in comparison.theories]
    span = f"{years[0]}-{years[-1]}" if years else ""
    print_table(f"Theories on {comparison.case} (fit = log marginal likelihood vs uniform; "
                f"log BF vs {comparison.reference})",
                ["theory", "fit", "log BF", "hits", "misses", f"years {span} (+ hit, x miss)"],
                rows)
    for assumption in comparison.assumptions:
        click.echo(f"assumes: {assumption}")


COMMANDS = [check, when, compare_theories]
