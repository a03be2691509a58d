"""Exports of a comparison: the rows as CSV, membership tables R reads, an R script.

The membership CSV has the case-period ids as row names (R's ``read.csv(..., row.names = 1)``)
and valid R column names; the R script runs QCA's ``truthTable``, ``minimize`` and ``pof`` and
SetMethods' ``theory.evaluation`` on it, so Boolean minimisation is done where it is mature.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .._csv import safe_cell
from .._files import atomic_write_text
from .compare import CaseComparison, flat_row
from .setfit import SetResult

__all__ = ["membership_csv", "r_script", "rows_csv", "write_exports"]


def rows_csv(comparison: CaseComparison) -> str:
    """One CSV row per case-period (every cell neutralised against spreadsheet formulas)."""
    rows = [flat_row(r) for r in comparison.rows]
    columns = list(dict.fromkeys(k for r in rows for k in r))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row.get(c, "")) for c in columns])
    return buffer.getvalue()


def membership_csv(result: SetResult) -> str:
    """The membership table as R's ``write.csv`` writes one: an empty first header cell,
    case-period ids as row names, memberships to 6 decimals."""
    table = result.table
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["", *table.names])
    for index, case in enumerate(table.cases):
        writer.writerow([safe_cell(case), *(f"{float(table.column(n)[index]):.6f}"
                                            for n in table.names)])
    return buffer.getvalue()


def _r_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=True)  # a JSON string is a valid R string literal


def _comment(text: str) -> str:
    return " ".join(text.split()).encode("ascii", "replace").decode("ascii")


def r_script(comparison: CaseComparison, result: SetResult, csv_name: str) -> str:
    """An R script that reproduces (and minimises) the set-theoretic analysis."""
    conditions = ", ".join(_r_string(c) for c in result.conditions)
    lines = [
        f"# multilat compare-cases: {_comment(comparison.study.title)}",
        f"# membership: {_comment(result.membership.label)}; unit: {comparison.unit}; "
        f"incl.cut {comparison.study.incl_cut:g}",
        "# Needs R packages QCA and SetMethods: install.packages(c(\"QCA\", \"SetMethods\"))",
        "library(QCA)",
        "library(SetMethods)",
        f"data <- read.csv({_r_string(csv_name)}, row.names = 1, check.names = FALSE)",
        f"conditions <- c({conditions})",
        "",
    ]
    expressions = result.theory_expressions or {}
    for level, outcome in result.outcomes.items():
        variable = outcome.lower()
        lines += [
            f"# Outcome {outcome}",
            f"tt_{variable} <- truthTable(data, outcome = {_r_string(outcome)}, "
            f"conditions = conditions, incl.cut = {comparison.study.incl_cut:g}, "
            "complete = TRUE, show.cases = TRUE, PRI = TRUE)",
            f"print(tt_{variable})",
            f"sol_{variable} <- tryCatch(minimize(tt_{variable}, details = TRUE),",
            "    error = function(e) { message(conditionMessage(e)); NULL })",
            f"if (!is.null(sol_{variable})) print(sol_{variable})",
        ]
        if level in expressions:
            theory = _r_string(expressions[level])
            lines += [
                f"theory_{variable} <- {theory}",
                f"print(pof(theory_{variable}, outcome = {_r_string(outcome)}, data = data))",
                f"if (!is.null(sol_{variable})) print(theory.evaluation(theory = "
                f"theory_{variable}, empirics = sol_{variable}, outcome = {_r_string(outcome)},"
                " print.fit = TRUE, print.data = TRUE))",
            ]
        lines.append("")
    return "\n".join(lines)


def write_exports(comparison: CaseComparison, folder: str | Path) -> list[Path]:
    """Write ``rows.csv``, ``comparison.json`` and, per membership choice, ``sets-<kind>.csv``
    and ``qca-<kind>.R`` into ``folder`` (atomically; an existing file is kept as a backup)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    outputs: dict[str, str] = {
        "rows.csv": rows_csv(comparison),
        "comparison.json": json.dumps(comparison.to_dict(), indent=2, sort_keys=False,
                                      ensure_ascii=False) + "\n",
    }
    for result in comparison.sets:
        if result.table is None:
            continue
        name = f"sets-{result.membership.key}.csv"
        outputs[name] = membership_csv(result)
        outputs[f"qca-{result.membership.key}.R"] = r_script(comparison, result, name)
    for name, text in outputs.items():
        atomic_write_text(folder / name, text)
        written.append(folder / name)
    return written
