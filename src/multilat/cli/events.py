"""``multilat events``: ingest CAMEO-coded event files, aggregate them, turn them into evidence."""

from __future__ import annotations

import click


@click.group("events")
def events() -> None:
    """Event data (GDELT 1.0/2.0, ICEWS): ingest, aggregate, fetch, to-evidence."""


COMMANDS = [events]
