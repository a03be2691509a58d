"""The ``multilat`` command line: a thin shell over the library.

Each command opens its inputs, makes one library call and renders the result; multilat's
errors become ``Error: ...`` with exit code 1, usage errors exit with 2.

Commands are loaded lazily: the group knows each command's name, module and one-line help
from :data:`COMMANDS` and imports a command's module only when that command runs or its own
help is asked, so ``multilat --help`` and ``multilat schema`` do not import NumPy, the
analysis or the event engine. ``tests/test_cli.py`` checks that the table matches the real
commands.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from .._version import __version__

__all__ = ["COMMANDS", "main"]

#: name -> (module under ``multilat.cli``, attribute, the command's one-line help exactly as
#: click derives it from the command's docstring).
COMMANDS: dict[str, tuple[str, str, str]] = {
    'analyze': ('core', 'analyze',
        "Weigh a case's evidence; print yearly and per-period beliefs and strategies."),
    'check': ('robust', 'check',
        'Run the robustness checks: which conclusions survive, and what would flip them?'),
    'compare-cases': ('study', 'compare_cases',
        'Test the theory across cases: a row per case-period, hits, theories, set-theoretic fit.'),
    'compare-theories': ('robust', 'compare_theories',
        'Which theory fits the observed strategy best? Fit, Bayes factors, hits per year.'),
    'events': ('events', 'events',
        'Event data (GDELT 1.0/2.0, ICEWS): ingest, aggregate, fetch, to-evidence.'),
    'convert-layer': ('layers', 'convert_layer',
        'Write an evidence layer as YAML, JSON or Parquet (by TARGET\'s suffix).'),
    'examples': ('core', 'examples',
        'The built-in cases to start from (or `multilat new` for an empty one).'),
    'explain': ('core', 'explain',
        'List every evidence item that moved a belief, from prior to posterior.'),
    'indicators': ('indicators', 'indicators',
        'Indicators from trade (IMF DOTS) and macro (World Bank WDI) data, and evidence '
        'from them.'),
    'new': ('core', 'new',
        'Write a minimal valid case into DIRECTORY, to start coding from.'),
    'report': ('report', 'report',
        'Write a self-contained report: HTML, Markdown or LaTeX tables, SVG and PNG figures.'),
    'schema': ('core', 'schema',
        "Print the JSON Schema of case files, for editors' validation and completion."),
    'sets': ('sets', 'sets',
        'Set-theoretic calculations (QCA) on a CSV of memberships: fit, truth tables, '
        'necessity, calibration.'),
    'statements': ('statements', 'statements',
        'Leadership statements (speeches, interviews) into candidate evidence.'),
    'theories': ('core', 'theories',
        'List the built-in theories (or one theory) with their roles and rule tables.'),
    'validate': ('core', 'validate',
        'Check a case file; report every problem as file:line field: found X; expected Y.'),
    'when': ('robust', 'when',
        'Date a switch: the posterior over the year a variable (or the strategy) changed.'),
}


def load_command(name: str) -> click.Command:
    """The real command ``name`` (imports its module)."""
    module, attribute, _ = COMMANDS[name]
    command = getattr(importlib.import_module(f".{module}", __name__), attribute)
    if not isinstance(command, click.Command):  # pragma: no cover - a broken table
        raise TypeError(f"multilat.cli.{module}.{attribute} is not a click command")
    return command


class LazyGroup(click.Group):
    """A group whose commands are imported on first use; its help lists them from the table."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        if cmd_name not in COMMANDS:
            return None
        command = load_command(cmd_name)
        self.commands[cmd_name] = command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in COMMANDS:
                text = click.Command(name, help=COMMANDS[name][2]).get_short_help_str(limit)
            else:
                text = self.commands[name].get_short_help_str(limit)
            rows.append((name, text))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="multilat")
def main() -> None:
    """multilat: does a state invest in, hold up, or accept an institution?

    Start with: multilat analyze
    """


def __getattr__(name: str) -> Any:
    """``multilat.cli.core`` and the other command modules, imported on first use."""
    if name in {module for module, _, _ in COMMANDS.values()}:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
