"""Build a report from an :class:`~multilat.Analysis`: HTML, Markdown or LaTeX, and figures."""

from __future__ import annotations

import hashlib
import os
import platform
import sys
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from .._deps import require
from ..analysis import Analysis
from ..assessment import Assessment
from ..bibliography import load_bibliography
from ..errors import InputError
from . import content
from ._output import MARKER, write_directory
from ._worker import ReportWorker
from .citations import format_references, resolve_style
from .figures import FigureData, draw_figures, draw_robustness_figures
from .render import inline_svg, links, matrix_rows, render
from .robustness import RobustnessSection, robustness_section

__all__ = ["FORMATS", "ReportResult", "build_report", "write_report"]

FORMATS = ("html", "md", "tex")
_OUTPUTS = {"html": ("report.html.j2", "index.html"), "md": ("report.md.j2", "report.md"),
            "tex": ("report.tex.j2", "report.tex")}


@dataclass(frozen=True, slots=True)
class ReportResult:
    """Where a report was written, its files, their total size and any backup made."""

    path: Path
    files: tuple[str, ...]
    size: int
    backup: Path | None = None

    def __str__(self) -> str:
        saved = f"; the previous directory was kept as {self.backup}" if self.backup else ""
        return f"{self.path}: {len(self.files)} files, {self.size} bytes{saved}"


def _cited(analysis: Analysis) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """The cited CSL-JSON items of the case's bibliography and the theory's own references
    for the other cited keys (``InputError`` for a key found in neither)."""
    keys = content.cited_keys(analysis)
    bibliography = load_bibliography(analysis.case.bibliography_path)
    items = {k: dict(bibliography.entries[k]) for k in keys if k in bibliography.entries}
    own = {k: v for k, v in analysis.theory.references.items() if k in keys and k not in items}
    missing = sorted(set(keys) - set(items) - set(own))
    if missing:
        raise InputError(f"citation keys {', '.join(missing)}: found in neither the case's "
                         f"bibliography nor the theory's references; expected every cited key "
                         "in one of them")
    return items, own


#: Below this many weighed rows, a process that has matplotlib loaded draws the figures
#: itself: starting a worker would cost about as much as it saves.
WORKER_ROWS = 1000


def _worker(choice: ReportWorker | bool | None, analysis: Analysis, png: bool,
            stack: ExitStack) -> ReportWorker:
    """The worker given, or one started for this report (stopped when ``stack`` closes)."""
    if isinstance(choice, ReportWorker):
        return choice
    if choice is None:
        choice = "matplotlib.figure" not in sys.modules or len(analysis.table) >= WORKER_ROWS
    return stack.enter_context(ReportWorker(start=bool(choice)))


def _provenance(analysis: Analysis, style: str | Path | None, timestamp: str | None,
                known: Mapping[str, str]) -> dict[str, Any]:
    path = resolve_style(style)
    if style and Path(str(style)).is_file():
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        style_label = f"{Path(path).name} (sha256 {digest[:16]})"
    else:
        style_label = f"{style} ({Path(path).name})"
    versions = {"multilat": __version__, "python": platform.python_version()}
    for module in ("matplotlib", "jinja2", "citeproc"):
        if module in known:  # as the worker that drew the figures imported it
            versions[module] = known[module]
            continue
        loaded = require(module, "report", "Writing a report")
        versions[module] = str(getattr(loaded, "__version__", "unknown"))
    theory = analysis.theory
    return {
        "theory": f"{theory.name} {theory.version}: {theory.title}",
        "theory_file": Path(theory.source).name if theory.source else "(built in)",
        "versions": sorted(versions.items()),
        "settings": [(k, repr(v)) for k, v in analysis.settings.to_dict().items()],
        "settings_source": Path(analysis.settings.source).name,
        "inputs": sorted(analysis.input_hashes.items()),
        "style": style_label,
        "timestamp": timestamp,
        "assumptions": list(analysis.assumptions),
    }


def build_report(analysis: Analysis | Assessment, *, formats: Sequence[str] = ("html",),
                 style: str | Path | None = None,
                 timestamp: str | None = None, robustness: bool = True,
                 png: bool = True, worker: ReportWorker | bool | None = None
                 ) -> dict[str, bytes]:
    """The report's files in memory: relative path -> bytes.

    Parameters
    ----------
    analysis
        From :func:`multilat.analyze`, or an :class:`~multilat.Assessment` of it (from
        :func:`multilat.assess`), whose checks, switches and theory comparison the report then
        reads instead of computing them.
    formats
        Any of ``"html"`` (``index.html``, self-contained), ``"md"`` (``report.md``) and
        ``"tex"`` (``report.tex``). Figures are always written as ``figures/*.svg`` (the HTML
        inlines them, the Markdown links them), and as ``figures/*.png`` unless ``png`` is
        false.
    style
        A CSL style file or name; default: the ``report.citation_style`` setting (Harvard).
    timestamp
        Text to print as the build time; default none, so that the bytes are reproducible.
    robustness
        Add the robustness section (default): the checks of :func:`multilat.checks.run_checks`
        with a leave-one-out tornado plot, the change-year posteriors of the theory's first
        variable and of the observed strategy, and the comparison with rival theories.
    png
        Also write each figure as PNG (default); false saves the rasterising, the slowest
        part of the figures.
    worker
        Where the figures are drawn and the references formatted: a started
        :class:`~multilat.report.ReportWorker` (the command line starts one before
        it reads the case), ``True`` (a worker process started here), ``False`` (this
        process) or ``None`` (default: a worker unless this process has matplotlib loaded
        already and the analysis has fewer than ``WORKER_ROWS`` rows). The bytes are the
        same either way.

    Raises
    ------
    InputError
        For an unknown format or citation style, or a citation key no bibliography holds.
    MissingDependencyError
        When the ``report`` extra is not installed.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise InputError(f"report format {', '.join(unknown) or '(none)'}: expected one or "
                         f"more of: {', '.join(FORMATS)}")
    assessment = analysis if isinstance(analysis, Assessment) else None
    analysis = analysis.analysis if isinstance(analysis, Assessment) else analysis
    style = style or analysis.settings["report.citation_style"]
    items, own = _cited(analysis)
    resolve_style(style)  # an unknown style is refused before anything is computed
    with ExitStack() as stack:
        pool = _worker(worker, analysis, png, stack)
        # Sent first, so that the worker draws and formats while this process checks.
        figures_job = pool.submit(draw_figures, FigureData.of(analysis), png)
        references_job = pool.submit(format_references, items, own, style)
        section = (robustness_section(assessment or analysis) if robustness or assessment
                   else None)
        robustness_job = (pool.submit(draw_robustness_figures, section.influences,
                                      section.change_years, png) if section else None)
        context = _context(analysis, items, section)
        # Done with its own work, this process formats the references itself if the
        # worker has not started on them (it is still drawing).
        references = references_job.result(take_back=True)
        # Likewise the robustness figures: drawn here while the worker draws the others.
        robust = robustness_job.result(take_back=True) if robustness_job is not None else {}
        figures = figures_job.result()
        figures.update(robust)
        versions = pool.library_versions()
    context.update({
        "references": references,
        "provenance": _provenance(analysis, style, timestamp, versions),
        "figure_names": sorted(figures),
        "svg": {name: inline_svg(svg, f"{name}-") for name, (svg, _) in figures.items()},
    })
    files: dict[str, bytes] = {}
    for name, (svg, raster) in figures.items():
        files[f"figures/{name}.svg"] = svg
        if raster is not None:
            files[f"figures/{name}.png"] = raster
    for fmt in sorted(set(formats)):
        template, output = _OUTPUTS[fmt]
        files[output] = render(template, context).encode("utf-8")
    return files


def _context(analysis: Analysis, items: Mapping[str, Mapping[str, Any]],
             section: RobustnessSection | None) -> dict[str, Any]:
    """What the templates show, but the references, figures and provenance."""
    groups, columns, matrix = content.evidence_matrix(analysis, items)
    period_table, year_table = content.result_tables(analysis)
    case, theory = analysis.case, analysis.theory
    return {
        "case": case, "theory": theory, "human": content.human,
        "roles": content.role_rows(analysis),
        "periods": content.period_sentences(analysis),
        "claims": content.claim_sentences(analysis),
        "rules": [(tuple(content.human(x) for x in combo), content.human(rule.then),
                   content.citation_link(rule.citation, items), rule.note)
                  for combo, rule in theory.cells()],
        "tables": (period_table, year_table),
        "unused": content.unused_evidence(analysis, items),
        "layers": analysis.weighed_layers,
        "matrix_groups": groups, "matrix_columns": columns, "matrix": matrix,
        "matrix_html": matrix_rows(matrix, len(columns)), "links": links,
        "contributions": content.contribution_tables(analysis),
        "weight_unit": WEIGHT_UNIT_NAMES[str(analysis.settings["report.weight_unit"])],
        "evidence_count": len(analysis.table), "multilat_version": __version__,
        "robustness": section,
        "robustness_tables": tuple(t for t in (section.change_table, section.theory_table)
                                   if t is not None) if section else (),
    }


#: How the report names each weight unit.
WEIGHT_UNIT_NAMES = {"nats": "natural log", "log10": "base-10 log",
                     "decibels": "decibels, 10 x base-10 log"}


def write_report(analysis: Analysis | Assessment, out_dir: str | Path, *,
                 formats: Sequence[str] = ("html",), style: str | Path | None = None,
                 force: bool = False, timestamp: str | None = None,
                 robustness: bool = True, png: bool = True,
                 worker: ReportWorker | bool | None = None) -> ReportResult:
    """Build the report and write it to ``out_dir`` atomically (see :func:`build_report`).

    ``out_dir`` may be new, empty or a previous report (replaced in one rename). A non-empty
    directory that is not a report is refused unless ``force``, and then kept as a backup.

    Examples
    --------
    >>> import multilat, tempfile
    >>> from multilat.report import write_report
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     result = write_report(multilat.analyze(multilat.load_example()), folder + "/report")
    >>> "index.html" in result.files
    True
    """
    from ._output import recover

    recover(Path(os.path.abspath(out_dir)))  # a killed earlier write, even if this build fails
    files = build_report(analysis, formats=formats, style=style, timestamp=timestamp,
                         robustness=robustness, png=png, worker=worker)
    case = analysis.analysis.case if isinstance(analysis, Assessment) else analysis.case
    marker: Mapping[str, object] = {"multilat": __version__, "case": case.id,
                                    "files": sorted(files)}
    backup = write_directory(Path(out_dir), files, marker, force=force)
    return ReportResult(Path(out_dir), tuple(sorted([*files, MARKER])),
                        sum(len(b) for b in files.values()), backup)
