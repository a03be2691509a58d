"""Helpers shared by the CLI commands: case arguments, errors, output."""

from __future__ import annotations

import functools
import gc
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from .._json import dump_bytes
from ..case import Case, load_case
from ..errors import InputError, MultilatError
from ..examples import example_path, list_examples
from ..settings import Settings, load_settings

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_CASE = "kazakhstan-eaeu"


def handle_errors(function: F) -> F:
    """Turn multilat's errors, and the system's refusals to read or write a path, into
    ``Error: ...`` with exit code 1 (never a traceback)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except MultilatError as error:
            raise click.ClickException(str(error)) from None
        except BrokenPipeError:
            # The reader went away (e.g. `| head`): stop quietly, as other tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise SystemExit(1) from None
        except OSError as error:
            where = error.filename if error.filename is not None else "a file"
            reason = error.strerror or str(error)
            raise click.ClickException(f"cannot read or write {where}: {reason}") from None

    return wrapper  # type: ignore[return-value]


def flag_names(names: Mapping[str, str]) -> Callable[[F], F]:
    """Re-word the library's errors for the command line: an :class:`InputError` naming a
    function parameter (``countries: found 'kz'; ...``, or ``force=True`` in its text) names the
    command's flag instead (``--country: found 'kz'; ...``, ``--force``).

    ``names`` maps a library parameter to the flag (or argument) of the command. Apply it below
    :func:`handle_errors`, which prints the result.
    """

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return function(*args, **kwargs)
            except InputError as error:
                text = reworded = str(error)
                for parameter, flag in names.items():
                    if reworded.startswith(f"{parameter}: "):
                        reworded = flag + reworded[len(parameter):]
                    reworded = reworded.replace(f"{parameter}=True", flag)
                if reworded == text:
                    raise
                raise InputError(reworded) from None

        return wrapper  # type: ignore[return-value]

    return decorate


def resolve_case_path(case: str | None) -> Path:
    """A built-in case name or a path; default: the built-in case."""
    name = case or DEFAULT_CASE
    if name in list_examples() and not Path(name).exists():
        return example_path(name)
    return Path(name)


def open_case(case: str | None, issue_area: str | None = None) -> Case:
    """The case (a file or a built-in name) as one issue area (default: the regime itself).

    The loaded case lives as long as the command: it is moved out of the garbage collector's
    sight (``gc.freeze``), so that the collections the analysis triggers do not traverse the
    millions of objects of a large case again and again.
    """
    loaded = load_case(resolve_case_path(case))
    gc.freeze()
    return loaded.in_issue_area(issue_area)


def open_settings(path: str | None) -> Settings:
    return load_settings(path)


case_argument = click.argument("case", required=False, metavar="[CASE]")
settings_option = click.option(
    "--settings", "settings_path", type=click.Path(dir_okay=False), default=None,
    help="A multilat.toml with settings (strength scale, citation style).")
theory_option = click.option(
    "--theory", default=None, metavar="NAME|FILE",
    help="The theory to apply (default: the case's own): a built-in name or variant "
         "(multilat theories), a theory file, or FILE#VARIANT.")


layer_option = click.option(
    "--layer", "layers", multiple=True, metavar="NAME",
    help="Weigh only this evidence layer (repeatable; default: every layer of the case).")


issue_area_option = click.option(
    "--issue-area", "issue_area", default=None, metavar="ID",
    help="Analyse this issue area of the case on its own (default: the regime itself; issue "
         "areas are never pooled).")


def emit_json(data: Any) -> None:
    """``data`` as indented JSON on standard output: the encoded bytes written as they are
    (a large analysis is not held a second time as text and a third time re-encoded)."""
    text = dump_bytes(data)
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:  # a text-only stream (e.g. redirected in a notebook)
        click.echo(text.decode("utf-8"))
        return
    sys.stdout.flush()
    stream.write(text)
    stream.write(b"\n")
    stream.flush()


def screen_columns(default: int = 120) -> int:
    """The terminal's width as ``shutil.get_terminal_size`` gives it (``COLUMNS`` first, then
    standard output's terminal, else ``default``), without importing shutil and the
    compression modules it loads."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else default


#: A text column wraps down to this width before the table grows past the screen.
TEXT_MIN = 16


def _is_text(cells: Sequence[str]) -> bool:
    """A column of prose or lists (wraps) rather than of values and ids (never cut)."""
    return any(len(c.split()) > 3 for c in cells)


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def _column_widths(columns: Sequence[str], cells: Sequence[Sequence[str]],
                   text: Sequence[bool], screen: int) -> list[int]:
    """Each column's width: a value column as wide as its widest cell (its header wraps at
    spaces if longer), a text column at least its longest word (lists wrap between items,
    never inside one) and ``TEXT_MIN``; what the screen has left goes first to headers that
    would wrap, then to the text columns, up to what their cells need on one line."""
    widths, wants = [], []
    for header, values, is_text in zip(columns, cells, text, strict=True):
        longest = max(map(len, values), default=0)
        if is_text:
            width = max(min(TEXT_MIN, longest), _longest_word(header),
                        max(map(_longest_word, values), default=0))
            wants.append(max(longest, len(header)) - width)
        else:
            width = max(longest, _longest_word(header))
            wants.append(0)
        widths.append(width)
    spare = screen - sum(widths) - _OVERHEAD * len(widths)
    for index, header in enumerate(columns):  # headers on one line first
        need = max(0, len(header) - widths[index])
        if not text[index] and 0 < need <= spare:
            widths[index] += need
            spare -= need
    total_want = sum(wants)
    if spare > 0 and total_want > 0:
        shares = [min(want, spare * want // total_want) for want in wants]
        widths = [w + share for w, share in zip(widths, shares, strict=True)]
    return widths


#: Columns' padding and rule, per column (an upper bound: Rich needs at most this).
_OVERHEAD = 3


def printable(text: str) -> str:
    """``text`` with control characters (an escape sequence from a source, a bell) shown as
    escapes (``\\x1b``), so that nothing from a case or data file acts on the terminal."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == "\n" else
                   c.encode("unicode_escape").decode("ascii") for c in text)


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A Rich table on a terminal; plain aligned text when piped.

    Every number is kept at any width: value columns are as wide as their widest cell and
    never cut (their headers wrap at spaces); prose columns (summaries, lists of names) wrap
    between words, never inside one. The width is the terminal's (or ``COLUMNS``; 120 when
    piped), grown when the value columns and the longest words need more. Widths are fixed
    here, so Rich never shrinks (or crops) a column.
    """
    terminal = sys.stdout.isatty()
    cells = [[str(row[i]) for row in rows] + [str(columns[i])] for i in range(len(columns))]
    text = [_is_text(c[:-1]) for c in cells]
    if not terminal:
        plain = plain_table(title, columns, rows, text)
        if plain is not None:
            sys.stdout.write(plain)
            sys.stdout.flush()
            return
    rich_table(title, columns, rows, terminal)


def _plain_text(value: str) -> bool:
    """Text Rich prints as it is, one cell per character: no markup ``[``, no emoji codes
    ``:name:``, no control, combining or wide characters."""
    import unicodedata

    return "[" not in value and ":" not in value and all(
        (" " <= c < "\x7f") or (c >= "\xa0" and unicodedata.east_asian_width(c) in "NaHA"
                                 and not unicodedata.combining(c)
                                 and unicodedata.category(c)[0] in "LNPSZ"
                                 and c not in "\u2028\u2029")
        for c in value)


def plain_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]],
                text: Sequence[bool]) -> str | None:
    """The table exactly as :func:`rich_table` prints it when piped, without importing Rich,
    or None when only Rich can lay it out (a column that wraps, a title wider than the
    table, text Rich would read as markup or measure otherwise)."""
    if not rows or any(text):
        return None
    titles = title.split("\n")
    strings = [*titles, *map(str, columns), *(str(c) for row in rows for c in row)]
    if not all(map(_plain_text, strings)) or any(len(row) != len(columns) for row in rows):
        return None
    widths = [max(len(str(columns[i])), *(len(str(row[i])) for row in rows))
              for i in range(len(columns))]
    # Only where Rich would give every column exactly that width (no header wrapped).
    screen = screen_columns()
    laid_out = _column_widths(columns, [[str(row[i]) for row in rows]
                                        for i in range(len(columns))], text, screen)
    if laid_out != widths:
        return None
    width = sum(widths) + 2 * (len(widths) - 1)
    if any(len(line) > width or line != line.strip() or not line for line in titles):
        return None

    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(cell).ljust(widths[0]) if index == 0 else
                         str(cell).rjust(widths[index]) for index, cell in enumerate(cells))

    out = [t.ljust(width) for t in titles]
    out.append(line(columns))
    out.extend(line(row) for row in rows)
    return "\n".join(out) + "\n"


def rich_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]],
               terminal: bool) -> None:
    """The table laid out by Rich (a boxed table on a terminal, plain text when piped)."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    cells = [[str(row[i]) for row in rows] for i in range(len(columns))]
    text = [_is_text(c) for c in cells]
    screen = screen_columns()
    widths = _column_widths(columns, cells, text, screen)
    width = max(screen, sum(widths) + _OVERHEAD * len(widths))
    console = Console(width=width, no_color=not terminal, highlight=False,
                      soft_wrap=False)
    # Text, never markup: a case's ids and summaries may hold brackets ("[sic]", "[/b]").
    table = Table(title=Text(title), box=box.SIMPLE_HEAVY if terminal else None,
                  title_justify="left", show_edge=terminal, pad_edge=False)
    for index, column in enumerate(columns):
        table.add_column(Text(column), justify="left" if text[index] or index == 0 else "right",
                         overflow="fold", width=widths[index])
    for row in rows:
        table.add_row(*(Text(printable(str(cell))) for cell in row))
    console.print(table)
