"""``multilat events to-evidence``: dyad-year event counts -> an evidence layer for a case."""

from __future__ import annotations

import click

from ._common import emit_json, handle_errors, open_case

__all__ = ["to_evidence"]


def _ordered_years(context: click.Context, parameter: click.Parameter,
                   value: tuple[int, int] | None) -> tuple[int, int] | None:
    if value is not None and value[0] > value[1]:
        raise click.BadParameter(f"found {value[0]} {value[1]}; expected FIRST <= LAST")
    return value


@click.command("to-evidence")
@click.option("--dyads", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Dyad-year counts in the netify/ICEWS layout (default: the shipped ICEWS "
                   "counts for dyads touching KAZ, RUS, BLR, ARM, KGZ, CHN, 2002-2014).")
@click.option("--aggregate", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Instead, an aggregate table written by `multilat events aggregate "
                   "--by cameo_root` (the default grouping; other groupings are refused) "
                   "(CSV or Parquet; rules may then use CAMEO roots).")
@click.option("--rules", default="default", show_default=True, metavar="RULES.yaml",
              help="A rules file ('default' = the shipped rules).")
@click.option("--years", nargs=2, type=int, default=None, metavar="FIRST LAST",
              callback=_ordered_years,
              help="Judge only these years (inclusive); baselines may lie outside them.")
@click.option("--case", "case_path", default=None, metavar="CASE",
              help="Whose evidence: the rules' {rising}, {established}... become this case's "
                   "actors (one item per actor of a role), the years its span; the dataset's "
                   "reference is added to its bibliography (kept as .bak first).")
@click.option("--country", default=None, metavar="ISO3",
              help="The rising power ({rising}) instead of the case's (or the rules' default).")
@click.option("--partner", default=None, metavar="ISO3",
              help="The established power ({established}) instead of the case's.")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml",
              show_default=True,
              help="yaml: the evidence file; json: which rules fired, with every year's values.")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Write the evidence file here (atomically; an existing file is kept as "
                   ".bak). Default: print it. With --format json the summary is printed too.")
@handle_errors
def to_evidence(dyads: str | None, aggregate: str | None, rules: str,
                years: tuple[int, int] | None, case_path: str | None, country: str | None,
                partner: str | None, fmt: str, out: str | None) -> None:
    """Turn changes in dyad-year event shares into evidence items (an evidence layer).

    Each rule compares a share of a directed dyad's events in a year (e.g. conflict events
    in KAZ->RUS events) with the dyad's own baseline and fires when the change is large and
    significant; see docs/events-evidence.md.

    \b
    Example: multilat events to-evidence --out events-layer.yaml
             multilat events to-evidence --case my-case/case.yaml --out events-layer.yaml
             multilat events to-evidence --country BLR --partner RUS --format json
    """
    from ..events.evidence import evidence_from_events, write_event_evidence_file
    from .indicators import _add_references

    if dyads is not None and aggregate is not None:
        raise click.UsageError("give --dyads or --aggregate, not both")
    case = open_case(case_path) if case_path else None
    layer = evidence_from_events(None if rules == "default" else rules, dyads=dyads,
                                 aggregate=aggregate, years=years, case=case, country=country,
                                 partner=partner)
    if out is not None:
        backup = write_event_evidence_file(layer, out)
        kept = f" (previous file kept as {backup})" if backup is not None else ""
        click.echo(f"Wrote {out}: {layer}{kept}.", err=True)
    if fmt == "json":
        emit_json(layer.summary())
    elif out is None:
        click.echo(layer.to_yaml(), nl=False)
    if case is not None:
        _add_references(case, {str(item["citation"]["key"]) for item in layer.items})
