"""``multilat events``: ingest CAMEO-coded event files, aggregate them, turn them into evidence."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from ._common import emit_json, flag_names, handle_errors, print_table

_SOURCE = click.option("--source", type=click.Choice(["gdelt1", "gdelt2", "icews"]),
                       default=None, help="The raw files' layout (default: detected from the "
                                          "first line of each file).")


def _ordered_years(context: click.Context, parameter: click.Parameter,
                   value: tuple[int, int] | None) -> tuple[int, int] | None:
    if value is not None and value[0] > value[1]:
        raise click.BadParameter(f"found {value[0]} {value[1]}; expected FIRST <= LAST")
    return value


def _key_values(context: click.Context, parameter: click.Parameter,
                value: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in value:
        key, sep, setting = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"found {item!r}; expected KEY=VALUE")
        pairs.append((key.strip(), setting.strip()))
    return tuple(pairs)


@click.group("events")
def events() -> None:
    """Event data (GDELT 1.0/2.0, ICEWS): ingest, aggregate, fetch, to-evidence.

    Raw files are ingested once into a Parquet store (DuckDB); the aggregation runs on DuckDB
    or Spark from one SQL text. See docs/events.md.

    \b
    Example: multilat events ingest 'gdelt/*.zip' --store events-store
    """


@contextmanager
def _progress(enabled: bool) -> Iterator[Any]:
    """A Rich progress bar on standard error (a terminal), or nothing."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    columns = (TextColumn("{task.description}", markup=False), BarColumn(),  # file names
               TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        tasks: dict[str, Any] = {}

        def update(description: str, fraction: float | None) -> None:
            if description not in tasks:
                tasks[description] = bar.add_task(description, total=1.0)
            if fraction is not None:
                bar.update(tasks[description], completed=fraction)

        yield update
        for task in tasks.values():
            bar.update(task, completed=1.0)


@events.command("ingest")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--store", required=True, type=click.Path(file_okay=False),
              help="The store directory (created if new).")
@_SOURCE
@click.option("--threads", type=click.IntRange(1), default=None,
              help="DuckDB threads (default: all cores).")
@click.option("--memory-limit", default=None, metavar="SIZE",
              help="DuckDB's memory limit, e.g. 2GB (default: DuckDB's, 80% of RAM).")
@click.option("--progress/--no-progress", default=None,
              help="A progress bar on standard error (default: when it is a terminal).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@handle_errors
@flag_names({"memory_limit": "--memory-limit"})
def ingest_command(paths: tuple[str, ...], store: str, source: str | None,
                   threads: int | None, memory_limit: str | None, progress: bool | None,
                   fmt: str) -> None:
    """Convert raw event files (PATH: files or globs; plain, .gz or .zip) into a Parquet store
    partitioned by year. Files already in the store (same bytes) are skipped; rows that cannot
    be read go to the store's quarantine, counted.

    \b
    Example: multilat events ingest 'gdelt/*.export.CSV.zip' --store events-store
    """
    from ..events import ingest

    show = sys.stderr.isatty() if progress is None else progress
    with _progress(show) as update:
        result = ingest(paths, store, source=source, threads=threads,
                        memory_limit=memory_limit, progress=update)
    if fmt == "json":
        emit_json(result.to_dict())
        return
    rows = [[Path(f.path).name, f.source, f.status, f"{f.rows_ingested:,}",
             f"{f.rows_quarantined:,}", f"{f.seconds:.2f}"] for f in result.files]
    print_table(f"Ingested into {result.store}",
                ["file", "source", "status", "rows", "quarantined", "seconds"], rows)
    click.echo(f"{result.rows_ingested:,} rows ingested, {result.rows_quarantined:,} "
               f"quarantined ({result.quarantine_path}); the store holds "
               f"{result.store_rows:,} rows.")


@events.command("aggregate")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb",
              show_default=True, help="DuckDB (embedded) or Spark (local mode or a cluster).")
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="The table to write: .csv or .parquet (atomically; an existing file is "
                   "kept as .bak).")
@click.option("--by", type=click.Choice(["cameo_root", "quad_class", "event_code",
                                         "plover_event"]), default="cameo_root",
              show_default=True, help="Group each dyad-year's events by this.")
@click.option("--dedupe", is_flag=True,
              help="Merge near-duplicate reports: count one event per day, source actor, "
                   "target actor and CAMEO code.")
@click.option("--country", "countries", multiple=True, metavar="CODE",
              help="Only dyads with this CAMEO country code on either side (repeatable).")
@click.option("--years", nargs=2, type=int, default=None, metavar="FIRST LAST",
              callback=_ordered_years, help="Only these years (inclusive).")
@click.option("--root-events-only", is_flag=True,
              help="Only GDELT's root events (IsRootEvent = 1).")
@_SOURCE
@click.option("--spark-master", default=None, metavar="URL",
              help="Spark master, e.g. spark://host:7077 (default: $MULTILAT_SPARK_MASTER, "
                   "else local[*]).")
@click.option("--spark-conf", multiple=True, metavar="KEY=VALUE", callback=_key_values,
              help="A Spark setting (repeatable), e.g. spark.executor.memory=8g.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="What to print about the written table.")
@handle_errors
@flag_names({"inputs": "PATH", "engine": "--engine", "by": "--by", "countries": "--country",
             "master/config": "--spark-master/--spark-conf"})
def aggregate_command(paths: tuple[str, ...], engine: str, out: str, by: str, dedupe: bool,
                      countries: tuple[str, ...], years: tuple[int, int] | None,
                      root_events_only: bool, source: str | None, spark_master: str | None,
                      spark_conf: tuple[tuple[str, str], ...], fmt: str) -> None:
    """Directed dyad-year indicators from a store (PATH = the store directory) or from raw
    files (ingested into a temporary store first): events, mentions, Goldstein means and
    shares by CAMEO root (or quad class, event code, PLOVER event).

    \b
    Example: multilat events aggregate events-store --country KAZ --out kaz.csv
             multilat events aggregate events-store --engine spark --out kaz.parquet
    """
    from ..events import aggregate

    suffix = Path(out).suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise click.BadParameter(f"found {suffix or 'no suffix'!r}; expected .csv or .parquet",
                                 param_hint="--out")
    result = aggregate(list(paths), engine=engine, by=by, dedupe=dedupe,
                       countries=list(countries), years=years,
                       root_events_only=root_events_only, source=source,
                       spark_master=spark_master, spark_config=spark_conf)
    table, quarantined = result.table, result.rows_quarantined
    _write_table(table, Path(out))
    if quarantined:
        rows = "1 row" if quarantined == 1 else f"{quarantined:,} rows"
        click.echo(f"Warning: {rows} of the raw files could not be read and "
                   f"{'is' if quarantined == 1 else 'are'} not counted; `multilat events "
                   "ingest` keeps them in a quarantine to inspect.", err=True)
    summary = {"out": out, "engine": engine, "by": by, "dedupe": dedupe,
               "rows": table.num_rows, "columns": table.column_names}
    if fmt == "json":
        emit_json(summary)
    else:
        click.echo(f"Wrote {out}: {table.num_rows:,} dyad-year rows by {by} ({engine}).")


def _write_table(table: Any, out: Path) -> None:
    """CSV or Parquet, atomically, keeping an existing file as .bak."""
    from .._files import atomic_write_bytes

    buffer = io.BytesIO()
    if out.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        pq.write_table(table, buffer)
    else:
        import pyarrow.csv as pacsv

        from .._csv import safe_arrow_table

        pacsv.write_csv(safe_arrow_table(table), buffer)
    atomic_write_bytes(out, buffer.getvalue())


@events.command("sql")
@click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb",
              show_default=True)
@click.option("--by", type=click.Choice(["cameo_root", "quad_class", "event_code",
                                         "plover_event"]), default="cameo_root",
              show_default=True)
@click.option("--dedupe", is_flag=True)
@handle_errors
def sql_command(engine: str, by: str, dedupe: bool) -> None:
    """Print the aggregation's SQL as the engine runs it (DuckDB's, or SQLGlot's translation
    for Spark): the one definition behind `events aggregate`.

    \b
    Example: multilat events sql --engine spark --by quad_class
    """
    from ..events.query import AggregateQuery, aggregate_sql, spark_sql

    query = AggregateQuery(by=by, dedupe=dedupe)
    click.echo(aggregate_sql(query).strip() if engine == "duckdb" else spark_sql(query))


@events.command("info")
@click.argument("store", type=click.Path(file_okay=False))
@handle_errors
def info_command(store: str) -> None:
    """What a store holds: its raw files, rows and quarantined rows (JSON).

    \b
    Example: multilat events info events-store
    """
    from ..events.store import EventStore

    opened = EventStore.open(store)
    click.echo(json.dumps({"store": store, "rows": opened.rows,
                           "files": [f.to_dict() for f in opened.files.values()]}, indent=2))


def _register_subcommands() -> None:
    from .events_evidence import to_evidence
    from .events_fetch import fetch

    events.add_command(fetch)
    events.add_command(to_evidence)


_register_subcommands()

COMMANDS = [events]
