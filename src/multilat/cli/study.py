"""``compare-cases``: the theory tested across cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..errors import InputError
from ._common import emit_json, flag_names, handle_errors, open_settings, print_table

__all__ = ["COMMANDS"]


def _anchors(text: str | None) -> tuple[float, float, float] | None:
    if text is None:
        return None
    parts = [p.strip() for p in text.split(",")]
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        raise InputError(f"--anchors: found {text!r}; expected three numbers separated by "
                         "commas, e.g. 0.2,0.5,0.8") from None
    if len(values) != 3:
        raise InputError(f"--anchors: found {len(values)} number(s); expected three "
                         "(exclusion, crossover, inclusion)")
    return values  # type: ignore[return-value]


def _p(mapping: dict[str, float], level: str | None) -> str:
    if level is None:
        return "tie"
    return f"{level} {mapping[level]:.2f}"


def _value(value: float | None) -> str:
    return "-" if value is None or value != value else f"{value:.3f}"


def _print_text(comparison: Any) -> None:
    from ..study.compare import condition_cell

    click.echo(comparison.headline())
    variables = list(comparison.variables)
    rows = []
    for r in comparison.rows:
        cells = [r.id]
        cells += [condition_cell(r.conditions[variable]) if variable in r.conditions else "-"
                  for variable in variables]
        cells += [_p(dict(r.predicted), r.predicted_level), _p(dict(r.observed),
                                                                 r.observed_level),
                  "-" if r.congruence is None else f"{r.congruence:.2f}",
                  {True: "hit", False: "miss", None: "-"}[r.hit]]
        rows.append(cells)
    print_table(f"One row per case-{comparison.unit} (most probable level and its probability)",
                ["row", *variables, "predicted", "observed", "congruence", "hit"], rows)
    print_table("Hits per case", ["case", "theory", "hits", "misses", "unscored", "hit rate"],
                [[c.key, c.theory, str(c.hits), str(c.misses), str(c.unscored),
                  "-" if c.hit_rate is None else f"{c.hit_rate:.0%}"] for c in comparison.cases])
    if comparison.theories:
        reference = next(t.name for t in comparison.theories if t.log_bayes_factor == 0.0)
        print_table("Theories over all cases (fit = summed log marginal likelihood vs uniform; "
                    f"log BF vs {reference})",
                    ["theory", "fit", "log BF", "year hits", "year misses", "not applied to"],
                    [[t.name, f"{t.fit:+.3f}", f"{t.log_bayes_factor:+.3f}", str(t.year_hits),
                      str(t.year_misses), ", ".join(t.not_applied) or "-"]
                     for t in comparison.theories])
    _print_sets(comparison)
    for note in comparison.notes:
        click.echo(f"note: {note}")
    for assumption in comparison.assumptions:
        click.echo(f"assumes: {assumption}")


def _print_sets(comparison: Any) -> None:
    results = list(comparison.sets)
    if not results:
        return
    usable = [s for s in results if s.error is None]
    for s in results:
        if s.error is not None:
            click.echo(f"not computed under {s.membership.label}: {s.error}")
    if not usable:
        return
    columns = ["rule (sufficiency claim)"]
    for s in usable:
        columns += [f"{s.membership.key} cons", f"{s.membership.key} PRI",
                    f"{s.membership.key} cov"]
    rows = []
    for index, rule in enumerate(usable[0].rules):
        cells = [rule.rule]
        for s in usable:
            other = s.rules[index]
            cells += [_value(other.consistency), _value(other.pri), _value(other.coverage)]
        rows.append(cells)
    print_table("Each rule of the theory read as a sufficiency claim, per membership choice",
                columns, rows)
    primary = usable[0]
    for outcome, table in (primary.truth_tables or {}).items():
        print_table(f"Truth table for {outcome} ({primary.membership.label}); conditions: "
                    f"{', '.join(primary.conditions)}",
                    ["row", "OUT", "n", "incl", "PRI", "cases"],
                    [["".join(str(b) for b in row.config), row.out, str(row.n),
                      _value(row.consistency), _value(row.pri), ", ".join(row.cases) or "-"]
                     for row in table.rows])
    for note in primary.notes:
        click.echo(f"note ({primary.membership.key}): {note}")
    click.echo("A posterior probability is a degree of belief, not a degree of set membership: "
               "the membership choices above read one as the other in three ways; compare them "
               "before relying on a number.")


@click.command("compare-cases")
@click.argument("inputs", nargs=-1, metavar="[STUDY|CASE...]")
@click.option("--theory", default=None, metavar="NAME|FILE",
              help="Analyse every case under this theory (default: the study's, else each "
                   "case's own).")
@click.option("--membership", "membership", type=click.Choice(["fuzzy", "crisp", "calibrated"]),
              multiple=True,
              help="How probabilities become set memberships (repeatable; default: the "
                   "study's choices, else fuzzy and crisp).")
@click.option("--anchors", default=None, metavar="E,C,I",
              help="Ragin's three anchors for --membership calibrated (exclusion, crossover, "
                   "inclusion), e.g. 0.2,0.5,0.8.")
@click.option("--unit", type=click.Choice(["period", "year"]), default=None,
              help="One row per case-period (default) or case-year.")
@click.option("--incl-cut", "incl_cut", type=float, default=None,
              help="Truth-table consistency threshold (default: the study's, else 0.8).")
@click.option("--undecided", type=click.Choice(["exclude", "error"]), default=None,
              help="Rows where no evidence decides a condition (P = 0.5): leave them out of "
                   "the set-theoretic fit, named (default), or keep them (a crisp membership "
                   "then refuses them).")
@click.option("--settings", "settings_path", type=click.Path(dir_okay=False), default=None,
              help="Settings for every case (default: each case's own multilat.toml).")
@click.option("--export", "export", type=click.Path(file_okay=False), default=None,
              metavar="DIR", help="Also write rows.csv, comparison.json, the membership "
                                  "tables and an R script (QCA, SetMethods) into DIR.")
@click.option("--format", "output", type=click.Choice(["text", "json", "csv"]), default="text",
              show_default=True)
@handle_errors
@flag_names({"incl_cut": "--incl-cut", "undecided": "--undecided"})
def compare_cases(inputs: tuple[str, ...], theory: str | None, membership: tuple[str, ...],
                  anchors: str | None, unit: str | None, incl_cut: float | None,
                  undecided: str | None, settings_path: str | None, export: str | None,
                  output: str) -> None:
    """Test the theory across cases: a row per case-period, hits, theories, set-theoretic fit.

    INPUTS is a study file, or case files / built-in case names (NAME#AREA for one issue
    area); no argument: the built-in study.

    Example: multilat compare-cases kazakhstan-eaeu my-case/case.yaml --format csv
    """
    from ..study import Membership, load_study, study_from_cases
    from ..study import compare_cases as run
    from ..study.export import rows_csv, write_exports
    from ..study.io import is_study_file

    chosen_anchors = _anchors(anchors)
    if chosen_anchors is not None and "calibrated" not in membership:
        raise InputError("--anchors: given without --membership calibrated; expected both "
                         "or neither")
    memberships = None
    if membership:
        if "calibrated" in membership and chosen_anchors is None:
            raise InputError("--membership calibrated: needs --anchors E,C,I (Ragin's three "
                             "anchors on the probability scale)")
        memberships = [Membership(m, chosen_anchors if m == "calibrated" else None)
                       for m in dict.fromkeys(membership)]
    if len(inputs) == 1 and is_study_file(Path(inputs[0])):
        study = load_study(inputs[0])
    elif inputs:
        study = study_from_cases(list(inputs))
    else:
        study = None
    settings = open_settings(settings_path) if settings_path else None
    comparison = run(study, theory=theory, memberships=memberships, settings=settings,
                     unit=unit, incl_cut=incl_cut, undecided=undecided)
    if export:
        written = write_exports(comparison, export)
        click.echo(f"wrote {len(written)} files to {export}", err=True)
    if output == "json":
        emit_json(comparison.to_dict())
    elif output == "csv":
        click.echo(rows_csv(comparison), nl=False)
    else:
        _print_text(comparison)


COMMANDS = [compare_cases]
