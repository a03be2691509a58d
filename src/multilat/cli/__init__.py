"""The ``multilat`` command line: a thin shell over the library.

Each command opens its inputs, makes one library call and renders the result; multilat's
errors become ``Error: ...`` with exit code 1, usage errors exit with 2.
"""

from __future__ import annotations

import click

from .. import __version__
from . import core, events, indicators, report, robust, sets, statements, study

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="multilat")
def main() -> None:
    """multilat: does a state invest in, hold up, or accept an institution?

    Start with: multilat analyze
    """


for _module in (core, robust, study, report, indicators, events, sets, statements):
    for _command in _module.COMMANDS:
        main.add_command(_command)
