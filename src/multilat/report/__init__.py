"""Reports a researcher can publish: self-contained HTML, Markdown/LaTeX tables, figures.

Needs the ``report`` extra (``pip install "multilat[report]"``): Jinja2, matplotlib and
citeproc-py are imported only when a report is built.

>>> import multilat
>>> from multilat.report import build_report
>>> files = build_report(multilat.analyze(multilat.load_example()))
>>> sorted(files)[-3:]
['figures/tornado.png', 'figures/tornado.svg', 'index.html']
"""

from ._worker import ReportWorker
from .build import FORMATS, ReportResult, build_report, write_report
from .citations import FormattedReference, format_references
from .figures import (
    plot_change_years,
    plot_contributions,
    plot_strategy_map,
    plot_timeline,
    plot_tornado,
)
from .robustness import RobustnessSection, robustness_section

__all__ = [
    "FORMATS",
    "FormattedReference",
    "ReportResult",
    "ReportWorker",
    "RobustnessSection",
    "build_report",
    "format_references",
    "plot_change_years",
    "plot_contributions",
    "plot_strategy_map",
    "plot_timeline",
    "plot_tornado",
    "robustness_section",
    "write_report",
]
