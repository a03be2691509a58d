"""``multilat sets``: set-theoretic fit, truth tables, necessity and calibration (QCA)."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from ._common import emit_json, flag_names, handle_errors, print_table, printable

if TYPE_CHECKING:
    from ..sets import Expression, SetTable

_FLAGS = {"expression": "--expression", "outcome": "--outcome", "conditions": "--conditions",
          "incl_cut": "--incl-cut", "n_cut": "--n-cut", "column": "--column",
          "anchors": "--anchors", "exclusion": "--anchors", "crossover": "--anchors",
          "inclusion": "--anchors", "log_odds": "--log-odds", "name": "--name"}

_DATA = click.argument("data", metavar="DATA.csv", type=click.Path(dir_okay=False))
_OUTCOME = click.option("--outcome", required=True, metavar="Y",
                        help="The outcome: a column, ~COLUMN for its negation, or an "
                             "expression.")
_FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]),
                       default="text", show_default=True)


def _plain(text: str) -> str:
    """Text from a data file made inert for the terminal table (``print_table`` shows every
    cell as plain text, control characters as escapes)."""
    return printable(text)


def _table(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    print_table(_plain(title), [_plain(c) for c in columns],
                [[_plain(cell) for cell in row] for row in rows])


def _number(value: float | None) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) \
        else f"{value:.3f}"


def _csv_text(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    from .._csv import safe_cell

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None or (isinstance(v, float) and math.isnan(v))
                         else safe_cell(v) for v in row])
    return out.getvalue()


def _outcome(table: SetTable, text: str, negate: bool = False) -> Expression:
    from ..sets import parse_expression

    try:
        parsed = parse_expression(text, table)
    except Exception as error:
        message = str(error)
        if message.startswith("expression: "):
            from ..errors import InputError

            raise InputError("outcome: " + message[len("expression: "):]) from None
        raise
    return parsed.negate() if negate else parsed


@click.group()
def sets() -> None:
    """Set-theoretic calculations (QCA) on a CSV of memberships: fit, truth tables,
    necessity, calibration. The numbers are those of R's QCA package.

    DATA.csv: case names in the first column (as R's write.csv writes row names), one set
    per other column, memberships from 0 to 1. See docs/sets.md.
    """


@sets.command("fit")
@_DATA
@_OUTCOME
@click.option("--expression", required=True, metavar="EXPR",
              help="A sum of products in R QCA notation, e.g. \"A*~B + C\".")
@click.option("--negate-outcome", is_flag=True, help="Fit the expression to the outcome's "
              "negation (~Y).")
@_FORMAT
@handle_errors
@flag_names(_FLAGS)
def fit_command(data: str, outcome: str, expression: str, negate_outcome: bool,
                fmt: str) -> None:
    """Consistency, PRI, coverage and unique coverage of each term and of the whole, for
    the expression as sufficient for the outcome (R's pof / minimize details).

    Example: multilat sets fit LF.csv --outcome SURV --expression "DEV*~URB*LIT*STB + DEV*STB"
    """
    from ..sets import SetTable, fit

    table = SetTable.from_csv(data)
    result = fit(table, _outcome(table, outcome, negate_outcome), expression)
    if fmt == "json":
        emit_json(result.to_dict())
        return
    whole = result.solution
    rows: list[list[Any]] = [["term", t.term, t.consistency, t.pri, t.coverage,
                              t.unique_coverage] for t in result.terms]
    rows.append(["solution", result.expression, whole.consistency, whole.pri,
                 whole.coverage, None])
    if fmt == "csv":
        click.echo(_csv_text(["kind", "expression", "consistency", "pri", "coverage",
                              "unique_coverage"], rows), nl=False)
        return
    body = [[str(i + 1), t.term, _number(t.consistency), _number(t.pri), _number(t.coverage),
             _number(t.unique_coverage)] for i, t in enumerate(result.terms)]
    body.append(["", "solution", _number(whole.consistency), _number(whole.pri),
                 _number(whole.coverage), "-"])
    _table(f"Sufficiency for {result.outcome}",
                ["", "term", "inclS", "PRI", "covS", "covU"], body)


@sets.command("necessity")
@_DATA
@_OUTCOME
@click.option("--expression", required=True, metavar="EXPR",
              help="A condition or expression, e.g. \"A + B\"; each term of a sum is "
                   "reported too.")
@click.option("--negate-outcome", is_flag=True, help="Test necessity for ~Y.")
@_FORMAT
@handle_errors
@flag_names(_FLAGS)
def necessity_command(data: str, outcome: str, expression: str, negate_outcome: bool,
                      fmt: str) -> None:
    """Consistency, relevance (RoN) and coverage of the expression, and of each of its
    terms, as necessary for the outcome (R's pof with relation "nec").

    Example: multilat sets necessity CVF.csv --outcome PROTEST --expression "~NATPRIDE + GEOCON"
    """
    from ..sets import SetTable, necessity, parse_expression

    table = SetTable.from_csv(data)
    y = _outcome(table, outcome, negate_outcome)
    parsed = parse_expression(expression, table)
    items = [*parsed.terms, parsed] if len(parsed.terms) > 1 else [parsed]
    membership = y.membership(table)
    results = [(str(e), necessity(e.membership(table), membership)) for e in items]
    if fmt == "json":
        emit_json({"expression": str(parsed), "outcome": str(y),
                   "rows": [{"expression": name, **r.to_dict()} for name, r in results]})
        return
    if fmt == "csv":
        click.echo(_csv_text(["expression", "consistency", "relevance", "coverage"],
                             [[n, r.consistency, r.relevance, r.coverage]
                              for n, r in results]), nl=False)
        return
    _table(f"Necessity for {y}", ["", "expression", "inclN", "RoN", "covN"],
                [[str(i + 1), n, _number(r.consistency), _number(r.relevance),
                  _number(r.coverage)] for i, (n, r) in enumerate(results)])


def _conditions(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [c.strip() for c in value.split(",") if c.strip()]


@sets.command("truth-table")
@_DATA
@_OUTCOME
@click.option("--conditions", default=None, metavar="A,B,C",
              help="The conditions, comma-separated (default: every other column).")
@click.option("--incl-cut", "incl_cut", type=float, default=0.8, show_default=True,
              help="A row is positive (OUT 1) from this consistency.")
@click.option("--n-cut", "n_cut", type=int, default=1, show_default=True,
              help="A row with fewer cases is a remainder (OUT ?).")
@click.option("--complete", is_flag=True, help="List every row, remainders too (text, csv; "
              "json always does).")
@_FORMAT
@handle_errors
@flag_names(_FLAGS)
def truth_table_command(data: str, outcome: str, conditions: str | None, incl_cut: float,
                        n_cut: int, complete: bool, fmt: str) -> None:
    """The truth table: each configuration's cases (membership above 0.5), n, consistency
    and PRI for the outcome, and OUT (R's truthTable).

    Example: multilat sets truth-table LF.csv --outcome SURV --incl-cut 0.7
    """
    from ..sets import SetTable, truth_table

    table = SetTable.from_csv(data)
    result = truth_table(table, _outcome(table, outcome), _conditions(conditions),
                         incl_cut=incl_cut, n_cut=n_cut)
    if fmt == "json":
        emit_json(result.to_dict())
        return
    rows = result.rows if complete else result.observed
    header = ["row", *result.conditions, "OUT", "n", "incl", "PRI", "cases"]
    if fmt == "csv":
        click.echo(_csv_text(header, [[r.number, *r.config, r.out, r.n, r.consistency,
                                       r.pri, ",".join(r.cases)] for r in rows]), nl=False)
        return
    _table(f"Truth table of {result.outcome} (incl.cut {result.incl_cut:g}, n.cut "
                f"{result.n_cut})", header,
                [[str(r.number), *map(str, r.config), r.out, str(r.n), _number(r.consistency),
                  _number(r.pri), ",".join(r.cases)] for r in rows])


def _anchors(value: str) -> tuple[float, float, float]:
    from ..errors import InputError

    parts = [p.strip() for p in value.split(",")]
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if len(numbers) != 3:
        raise InputError(f"anchors: found {value!r}; expected three numbers EXCLUSION,"
                         "CROSSOVER,INCLUSION such as 2500,5000,20000")
    return numbers[0], numbers[1], numbers[2]


@sets.command("calibrate")
@click.argument("data", metavar="DATA.csv", type=click.Path(dir_okay=False))
@click.option("--column", required=True, metavar="X", help="The raw column to calibrate.")
@click.option("--anchors", required=True, metavar="E,C,I",
              help="Exclusion, crossover and inclusion anchors (decreasing for a set lower "
                   "values belong to).")
@click.option("--name", default=None, metavar="NAME",
              help="The new column's name (default: X_fs).")
@click.option("--log-odds", "log_odds", type=float, default=3.0, show_default=True,
              help="Log odds at the anchors (3: Ragin, memberships 0.953 / 0.047; "
                   "2.944 = log(19) as R's calibrate default, 0.95 / 0.05).")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Write the table here (atomically; an existing file is kept as .bak). "
                   "Default: standard output.")
@handle_errors
@flag_names(_FLAGS)
def calibrate_command(data: str, column: str, anchors: str, name: str | None,
                      log_odds: float, out: str | None) -> None:
    """Add a fuzzy-set column calibrated from a raw one by Ragin's direct method.

    DATA.csv holds raw values (case names first); the other columns are kept as they are.

    Example: multilat sets calibrate income.csv --column GNP --anchors 2500,5000,20000 --out fs.csv
    """
    from .._files import atomic_write_text
    from ..sets import calibrate_direct
    from ..sets.rawcsv import RawTable

    raw = RawTable.read(data)
    exclusion, crossover, inclusion = _anchors(anchors)
    values = calibrate_direct(raw.numbers(column), exclusion, crossover, inclusion,
                              log_odds=log_odds)
    text = raw.with_column(name or f"{column}_fs", values)
    if out is None:
        click.echo(text, nl=False)
        return
    atomic_write_text(out, text)
    click.echo(f"Wrote {out}: {len(values)} cases, column {name or f'{column}_fs'}.",
               err=True)


@sets.command("cases")
@_DATA
@_OUTCOME
@click.option("--expression", required=True, metavar="EXPR",
              help="The sufficient term or solution X.")
@_FORMAT
@handle_errors
@flag_names(_FLAGS)
def cases_command(data: str, outcome: str, expression: str, fmt: str) -> None:
    """Each case's type for X -> Y (Schneider & Rohlfing): typical, deviant consistency,
    deviant coverage, individually irrelevant.

    Example: multilat sets cases LF.csv --outcome SURV --expression "DEV*STB"
    """
    from ..sets import SetTable, parse_expression, typology

    table = SetTable.from_csv(data)
    y = _outcome(table, outcome)
    x = parse_expression(expression, table)
    types = typology(x.membership(table), y.membership(table), table.cases)
    if fmt == "json":
        emit_json({"expression": str(x), "outcome": str(y),
                   "cases": [t.to_dict() for t in types]})
        return
    rows = [[t.case, t.kind, t.x, t.y] for t in types]
    if fmt == "csv":
        click.echo(_csv_text(["case", "kind", "x", "y"], rows), nl=False)
        return
    _table(f"Cases for {x} -> {y}", ["case", "type", "X", "Y"],
           [[t.case, t.kind, f"{t.x:.2f}", f"{t.y:.2f}"] for t in types])


@sets.command("theory")
@_DATA
@_OUTCOME
@click.option("--theory", "theory", required=True, metavar="EXPR",
              help="The theory's expectation T, e.g. \"A*B + C\".")
@click.option("--solution", required=True, metavar="EXPR",
              help="The empirical solution S.")
@_FORMAT
@handle_errors
@flag_names({**_FLAGS, "theory": "--theory", "solution": "--solution"})
def theory_command(data: str, outcome: str, theory: str, solution: str, fmt: str) -> None:
    """Theory evaluation (Schneider & Wagemann): the cases and fit of T*S, T*~S, ~T*S and
    ~T*~S for the outcome.

    Example: multilat sets theory LF.csv --outcome SURV --theory "DEV*LIT" --solution "DEV*STB"
    """
    from ..sets import SetTable, theory_evaluation

    table = SetTable.from_csv(data)
    result = theory_evaluation(table, theory, solution, _outcome(table, outcome))
    if fmt == "json":
        emit_json(result.to_dict())
        return
    rows = [[i.label, i.expression, i.consistency, i.fit.pri, i.coverage,
             ",".join(i.cases_in_outcome), ",".join(i.cases_not_in_outcome)]
            for i in result.intersections]
    if fmt == "csv":
        click.echo(_csv_text(["intersection", "expression", "consistency", "pri", "coverage",
                              "cases_in_outcome", "cases_not_in_outcome"], rows), nl=False)
        return
    _table(f"T = {result.theory}, S = {result.solution}, Y = {result.outcome}",
           ["", "inclS", "PRI", "covS", "cases in Y", "cases not in Y"],
           [[i.label, _number(i.consistency), _number(i.fit.pri), _number(i.coverage),
             ",".join(i.cases_in_outcome) or "-", ",".join(i.cases_not_in_outcome) or "-"]
            for i in result.intersections])


COMMANDS = [sets]
