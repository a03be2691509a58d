"""The report command: a publishable report of one case."""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from ..analysis import analyze
from ..errors import InputError
from ._common import (
    case_argument,
    flag_names,
    handle_errors,
    issue_area_option,
    layer_option,
    open_case,
    open_settings,
    settings_option,
    theory_option,
)


@click.command()
@case_argument
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="The report directory (new, empty, or a previous report).")
@theory_option
@settings_option
@layer_option
@issue_area_option
@click.option("--format", "formats", type=click.Choice(["html", "md", "tex"]), multiple=True,
              default=("html",), show_default=True,
              help="index.html, report.md or report.tex (repeat for several).")
@click.option("--force", is_flag=True,
              help="Replace a non-empty directory that is not a report (kept as DIR.bak).")
@click.option("--csl", "style", default=None, metavar="STYLE",
              help="The bibliography's CSL style: a name from the CSL style repository "
                   "(apa, chicago-author-date, harvard-cite-them-right, ieee, "
                   "modern-language-association, ...) or a .csl file (default: Harvard).")
@click.option("--timestamp", is_flag=True, help="Print the build time (bytes then differ).")
@click.option("--robustness/--no-robustness", default=True, show_default=True,
              help="Add the robustness section: leave-one-out tornado plot, checks, change-year "
                   "posteriors, rival theories (--no-robustness is faster).")
@click.option("--png/--no-png", default=True, show_default=True,
              help="Also save each figure as PNG beside its SVG (--no-png is faster; the HTML "
                   "inlines the SVG either way).")
@handle_errors
@flag_names({"force": "--force"})
def report(case: str | None, out_dir: str, theory: str | None, settings_path: str | None,
           layers: tuple[str, ...], formats: tuple[str, ...], force: bool, style: str | None,
           timestamp: bool, robustness: bool, png: bool,
           issue_area: str | None) -> None:
    """Write a self-contained report: HTML, Markdown or LaTeX tables, SVG and PNG figures.

    CASE is a case file or a built-in case name (default: kazakhstan-eaeu), or a study file
    (cases compared: see compare-cases), which gets the cross-case report (HTML or
    Markdown). The same inputs give the same bytes.

    Example: multilat report --out report && open report/index.html
    """
    from ..report import write_report
    from ..study.io import is_study_file

    when = (datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
            if timestamp else None)
    if case is not None and is_study_file(Path(case)):
        _study_report(case, out_dir, theory, settings_path, formats, force, when,
                      layers, issue_area, style, png)
        return
    from ..report._worker import ReportWorker

    # The worker process imports matplotlib and citeproc-py while this one reads the case,
    # then draws the figures and formats the references while this one runs the checks.
    with ReportWorker() as worker:
        analysis = analyze(open_case(case, issue_area), theory, open_settings(settings_path),
                           layers=layers or None)
        result = write_report(analysis, out_dir, formats=formats, style=style, force=force,
                              timestamp=when, robustness=robustness, png=png, worker=worker)
    click.echo(f"Wrote {result}")


def _study_report(path: str, out_dir: str, theory: str | None, settings_path: str | None,
                  formats: tuple[str, ...], force: bool, when: str | None,
                  layers: tuple[str, ...], issue_area: str | None, style: str | None,
                  png: bool = True) -> None:
    from ..study import compare_cases
    from ..study.report import write_study_report

    refused = [flag for flag, given in (("--layer", layers), ("--issue-area", issue_area),
                                        ("--csl", style)) if given]
    if refused:
        raise InputError(f"{', '.join(refused)}: not for a study (each case of a study names "
                         "its issue area in the study file); expected a case file")
    settings = open_settings(settings_path) if settings_path else None
    comparison = compare_cases(path, theory=theory, settings=settings)
    folder, count, _ = write_study_report(comparison, out_dir, formats=formats, force=force,
                                          timestamp=when, png=png)
    click.echo(f"Wrote {folder} ({count} files)")


COMMANDS = [report]
