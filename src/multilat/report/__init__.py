"""Reports a researcher can publish: self-contained HTML, Markdown/LaTeX tables, figures.

Needs the ``report`` extra (``pip install "multilat[report]"``): Jinja2, matplotlib and
citeproc-py are imported only when a report is built.

>>> import multilat
>>> from multilat.report import build_report
>>> files = build_report(multilat.analyze(multilat.load_example()))
>>> sorted(files)[-3:]
['figures/timeline.png', 'figures/timeline.svg', 'index.html']
"""

from .build import FORMATS, ReportResult, build_report, write_report
from .citations import FormattedReference, format_references
from .figures import plot_contributions, plot_strategy_map, plot_timeline

__all__ = [
    "FORMATS",
    "FormattedReference",
    "ReportResult",
    "build_report",
    "format_references",
    "plot_contributions",
    "plot_strategy_map",
    "plot_timeline",
    "write_report",
]
