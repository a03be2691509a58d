"""The cross-case report: ``multilat report STUDY --out DIR``.

It keeps the case report's guarantees: one self-contained ``index.html`` (figures inlined, no
script, a content security policy), every text from a case or source escaped by the template
engine, the same inputs giving the same bytes, and the folder written all or nothing
(:func:`multilat.report._output.write_directory`). Beside it: the figures as SVG and PNG and the
exports of :mod:`multilat.study.export` (rows, membership tables, an R script).
"""

from __future__ import annotations

import platform
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from .._deps import require
from ..errors import InputError
from ..report._output import write_directory
from ..report.figures import figure_bytes, figure_style
from ..report.render import inline_svg, render
from .compare import CaseComparison, condition_cell
from .export import membership_csv, r_script, rows_csv
from .figures import plot_study_map, plot_xy, row_numbers
from .setfit import SetResult

__all__ = ["STUDY_FORMATS", "build_study_report", "membership_effects", "write_study_report"]

STUDY_FORMATS = ("html", "md")
_OUTPUTS = {"html": ("study.html.j2", "index.html"), "md": ("study.md.j2", "report.md")}


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    heading: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    figures: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()


def _v(value: float | None) -> str:
    return "–" if value is None or value != value else f"{value:.3f}"


def membership_effects(comparison: CaseComparison) -> list[str]:
    """What switching the membership choice changes, in sentences: each rule's consistency
    under every choice and whether it passes the consistency threshold; truth-table rows
    coded differently."""
    usable = [s for s in comparison.sets if s.error is None]
    out = [f"Not computed under {s.membership.label}: {s.error}" for s in comparison.sets
           if s.error is not None]
    if len(usable) < 2:
        return out + (["Only one membership choice could be computed; nothing to compare."]
                      if usable else [])
    cut = comparison.study.incl_cut
    for index, rule in enumerate(usable[0].rules):
        values = [(s.membership.label, s.rules[index].consistency) for s in usable]
        shown = ", ".join(f"{_v(v)} ({label})" for label, v in values)
        passing = [label for label, v in values if v == v and v >= cut]
        finite = [v for _, v in values if v == v]
        spread = (max(finite) - min(finite)) if finite else 0.0
        verdict = (f"it passes the {cut:g} threshold under every choice" if len(passing) ==
                   len(values) else f"it passes the {cut:g} threshold under none"
                   if not passing else f"it passes the {cut:g} threshold only under "
                   + ", ".join(passing))
        out.append(f"{rule.rule}: consistency {shown}; spread {spread:.3f}; {verdict}.")
    for outcome in usable[0].outcomes.values():
        coded: dict[str, list[str]] = {}
        for s in usable:
            table = (s.truth_tables or {}).get(outcome)
            if table is None:
                continue
            for row in table.rows:
                key = "".join(str(b) for b in row.config)
                coded.setdefault(key, []).append(f"{row.out} ({s.membership.key})")
        changed = {k: v for k, v in coded.items() if len({c.split()[0] for c in v}) > 1}
        for key, codes in changed.items():
            out.append(f"Truth table for {outcome}, row {key}: coded {', '.join(codes)}.")
    return out


def _set_section(result: SetResult, comparison: CaseComparison,
                 figures: list[str]) -> Section:
    label = result.membership.label
    if result.error is not None:
        return Section(f"sets-{result.membership.key}", f"Set-theoretic fit: {label}",
                       (f"Not computed: {result.error}",))
    tables = [Table("Each rule of the theory read as a sufficiency claim",
                    ("rule", "X", "consistency", "PRI", "coverage", "rows in X"),
                    tuple((r.rule, r.expression, _v(r.consistency), _v(r.pri),
                           _v(r.coverage), str(r.cases)) for r in result.rules))]
    kinds = ("typical", "deviant consistency", "deviant coverage", "individually irrelevant")
    tables.append(Table("Case typology per sufficiency claim (Schneider and Rohlfing)",
                        ("rule", *kinds),
                        tuple((r.rule, *(", ".join(t.case for t in r.types if t.kind == k)
                                         or "–" for k in kinds)) for r in result.rules)))
    tables.append(Table("Necessity of each condition for each outcome",
                        ("condition", "outcome", "consistency", "coverage", "relevance"),
                        tuple((n["condition"], n["outcome"], _v(n["consistency"]),
                               _v(n["coverage"]), _v(n["relevance"]))
                              for n in result.necessity)))
    conditions = ", ".join(result.conditions)
    for outcome, table in (result.truth_tables or {}).items():
        tables.append(Table(f"Truth table for {outcome}", ("row", "OUT", "n", "incl", "PRI",
                                                            "cases"),
                            tuple(("".join(str(b) for b in row.config), row.out, str(row.n),
                                   _v(row.consistency), _v(row.pri),
                                   ", ".join(row.cases) or "–") for row in table.rows),
                            f"Conditions, in order: {conditions}; incl.cut "
                            f"{comparison.study.incl_cut:g}."))
    for outcome, evaluation in (result.evaluations or {}).items():
        tables.append(_evaluation_table(outcome, evaluation))
    return Section(f"sets-{result.membership.key}", f"Set-theoretic fit: {label}",
                   tuple(result.notes), tuple(tables), tuple(figures))


def _evaluation_table(outcome: str, evaluation: Any) -> Table:
    rows = tuple((i.label, _v(i.consistency), _v(i.coverage),
                  ", ".join(i.cases_in_outcome) or "–", ", ".join(i.cases_not_in_outcome) or "–")
                 for i in evaluation.intersections)
    return Table(f"Theory evaluation for {outcome} (Schneider and Wagemann): theory T against "
                 "the empirical solution S", ("intersection", "consistency", "coverage",
                                              "cases with Y > 0.5", "cases with Y < 0.5"),
                 rows, f"T = {evaluation.theory}; S = {evaluation.solution}")


def _figures(comparison: CaseComparison, png: bool = True
             ) -> dict[str, tuple[bytes, bytes | None]]:
    out: dict[str, tuple[bytes, bytes | None]] = {}
    analyses = list(comparison.analyses.values())
    if not analyses:
        return out
    theory = analyses[0].theory
    with figure_style():
        figure = plot_study_map(comparison, theory)
        if figure is not None:
            out["study-map"] = (figure_bytes(figure, "svg"),
                                figure_bytes(figure, "png") if png else None)
        usable = [s for s in comparison.sets if s.error is None]
        if usable:
            numbers = row_numbers(comparison)
            for index, rule in enumerate(usable[0].rules):
                figure = plot_xy(usable[0], rule, numbers)
                out[f"xy-{index + 1}"] = (figure_bytes(figure, "svg"),
                                          figure_bytes(figure, "png") if png else None)
    return out


def build_study_report(comparison: CaseComparison, *, formats: Sequence[str] = ("html",),
                       timestamp: str | None = None, png: bool = True) -> dict[str, bytes]:
    """The cross-case report's files in memory: relative path -> bytes (figures as SVG, and
    as PNG unless ``png`` is false)."""
    unknown = [f for f in formats if f not in STUDY_FORMATS]
    if unknown or not formats:
        raise InputError(f"report format {', '.join(unknown) or '(none)'}: a cross-case report "
                         f"is written as {' or '.join(STUDY_FORMATS)}")
    figures = _figures(comparison, png)
    numbers = row_numbers(comparison)
    variables = list(comparison.variables)
    row_table = Table(
        f"One row per case-{comparison.unit}",
        ("#", "row", *variables, "predicted", "observed", "congruence", "hit"),
        tuple((str(numbers[r.id]), r.id,
               *(condition_cell(r.conditions[v]) if v in r.conditions else "–"
                 for v in variables),
               f"{r.predicted_level} {r.predicted[r.predicted_level]:.2f}"
               if r.predicted_level else "tie",
               f"{r.observed_level} {r.observed[r.observed_level]:.2f}"
               if r.observed_level else "tie",
               "–" if r.congruence is None else f"{r.congruence:.2f}",
               {True: "hit", False: "miss", None: "–"}[r.hit]) for r in comparison.rows),
        "Each condition: its most probable level and that level's probability.")
    case_table = Table("Hits per case", ("case", "title", "theory", "hits", "misses",
                                         "unscored", "hit rate"),
                       tuple((c.key, c.title, c.theory, str(c.hits), str(c.misses),
                              str(c.unscored), "–" if c.hit_rate is None
                              else f"{c.hit_rate:.0%}") for c in comparison.cases))
    theory_table = Table(
        "Theories over all cases", ("theory", "fit", "log BF", "year hits", "year misses",
                                    "not applied to"),
        tuple((t.name, f"{t.fit:+.3f}", f"{t.log_bayes_factor:+.3f}", str(t.year_hits),
               str(t.year_misses), ", ".join(t.not_applied) or "–")
              for t in comparison.theories),
        "Fit: the summed log marginal likelihood of the observed-outcome evidence relative to "
        "a uniform prediction; log BF against the theory with 0.")
    rate = comparison.hit_rate
    sections = [
        Section("summary", "Summary",
                (comparison.study.description, comparison.headline() + ".",
                 "" if rate is None else f"Overall hit rate {rate:.0%}.")),
        Section("rows", "Cases and case-periods", (), (case_table, row_table),
                ("study-map",) if "study-map" in figures else ()),
        Section("theories", "Theories compared over all cases", (), (theory_table,)),
        Section("membership", "How the membership choice matters",
                ("A posterior probability is a degree of belief that a case-period is in a "
                 "set, not a degree of membership; each choice below reads one as the other "
                 "in its own way.",), (),
                (), tuple(membership_effects(comparison))),
    ]
    xy = sorted(n for n in figures if n.startswith("xy-"))
    for index, result in enumerate(comparison.sets):
        sections.append(_set_section(result, comparison, xy if index == 0 else []))
    sections.append(Section("assumptions", "Assumptions", (), (), (),
                            tuple([*comparison.assumptions, *comparison.notes])))
    versions = {"multilat": __version__, "python": platform.python_version()}
    for module in ("matplotlib", "jinja2"):
        loaded = require(module, "report", "Writing a report")
        versions[module] = str(getattr(loaded, "__version__", "unknown"))
    inputs = [(key, name, digest) for key, a in comparison.analyses.items()
              for name, digest in sorted(a.input_hashes.items())]
    files: dict[str, bytes] = {}
    for name, (svg, raster) in figures.items():
        files[f"figures/{name}.svg"] = svg
        if raster is not None:
            files[f"figures/{name}.png"] = raster
    files["data/rows.csv"] = rows_csv(comparison).encode("utf-8")
    for result in comparison.sets:
        if result.table is not None:
            csv_name = f"sets-{result.membership.key}.csv"
            files[f"data/{csv_name}"] = membership_csv(result).encode("utf-8")
            files[f"data/qca-{result.membership.key}.R"] = r_script(
                comparison, result, csv_name).encode("utf-8")
    context = {
        "study": comparison.study, "sections": sections, "multilat_version": __version__,
        "svg": {name: inline_svg(svg, f"{name}-") for name, (svg, _) in figures.items()},
        "versions": versions, "inputs": inputs, "timestamp": timestamp,
        "data_files": sorted(n for n in files if n.startswith("data/")),
    }
    for fmt in sorted(set(formats)):
        template, output = _OUTPUTS[fmt]
        files[output] = render(template, context).encode("utf-8")
    return files


def write_study_report(comparison: CaseComparison, out_dir: str | Path, *,
                       formats: Sequence[str] = ("html",), force: bool = False,
                       timestamp: str | None = None, png: bool = True
                       ) -> tuple[Path, int, Path | None]:
    """Build the cross-case report and write it to ``out_dir`` all or nothing; returns the
    folder, the number of files and the backup of a replaced non-report folder (if any)."""
    import os

    from ..report._output import recover

    recover(Path(os.path.abspath(out_dir)))
    files = build_study_report(comparison, formats=formats, timestamp=timestamp, png=png)
    marker = {"multilat": __version__, "study": comparison.study.id, "files": sorted(files)}
    backup = write_directory(Path(out_dir), files, marker, force=force)
    return Path(out_dir), len(files) + 1, backup


