"""``multilat events fetch``: download GDELT event files into a folder (checked and cached)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ._common import emit_json, handle_errors

if TYPE_CHECKING:
    from ..events.fetch import RemoteFile
    from ..indicators.fetch import HttpClient

__all__ = ["fetch"]


def make_client() -> HttpClient:
    """The HTTP client the command downloads with (tests replace it with a recorded one)."""
    from ..indicators.fetch import HttpClient

    return HttpClient(cache_dir=None)


_DAY = click.DateTime(formats=["%Y-%m-%d"])


@click.command("fetch")
@click.option("--version", "gdelt_version", type=click.Choice(["1", "2"]), required=True,
              help="GDELT 1.0 (yearly/monthly/daily files) or 2.0 (15-minute files).")
@click.option("--from", "first", type=_DAY, required=True, metavar="YYYY-MM-DD",
              help="First day (inclusive).")
@click.option("--to", "last", type=_DAY, required=True, metavar="YYYY-MM-DD",
              help="Last day (inclusive).")
@click.option("--dest", type=click.Path(file_okay=False), required=True,
              help="Folder to download into (created if needed); files already there with "
                   "the right checksum are kept.")
@click.option("--refresh", is_flag=True, help="Download again even files already in --dest.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Report format.")
@handle_errors
def fetch(gdelt_version: str, first: datetime, last: datetime, dest: str, refresh: bool,
          fmt: str) -> None:
    """Download GDELT event exports for a date range, checked against GDELT's md5 sums.

    \b
    Example: multilat events fetch --version 1 --from 2012-08-01 --to 2012-08-31
               --dest gdelt1
    """
    from ..events.fetch import (
        GDELT1_FIRST_DAY,
        GDELT2_FIRST_DAY,
        download_gdelt,
        gdelt1_names,
    )

    version = int(gdelt_version)
    first_day, last_day = first.date(), last.date()
    if first_day > last_day:
        raise click.UsageError(f"--from {first_day.isoformat()} is after --to "
                               f"{last_day.isoformat()}; expected --from on or before --to")
    begins = GDELT1_FIRST_DAY if version == 1 else GDELT2_FIRST_DAY
    if last_day < begins:
        raise click.UsageError(
            f"--to {last_day.isoformat()} is before GDELT {version}.0 begins; expected --to "
            f"on or after {begins.isoformat()}"
            + (" (GDELT 1.0, --version 1, covers 1979 onwards)" if version == 2 else ""))
    statuses: dict[str, tuple[RemoteFile, str]] = {}

    def progress(remote: RemoteFile, status: str) -> None:
        if status == "downloading":
            if fmt == "text":
                click.echo(f"downloading {remote.url}", err=True)
            return
        statuses[remote.name] = (remote, status)

    paths = download_gdelt(version, first_day, last_day, Path(dest), client=make_client(),
                           refresh=refresh, progress=progress)
    listed = {path.name for path in paths}
    skipped = ([name for name in gdelt1_names(first_day, last_day) if name not in listed]
               if version == 1 else [])
    if fmt == "json":
        emit_json(_report(version, first_day, last_day, dest, paths, statuses, skipped))
        return
    for path in paths:
        _remote, status = statuses[path.name]
        click.echo(f"{status:<10}  {path}")
    for name in skipped:
        reason = ("the server answered 404" if statuses.get(name, (None, ""))[1] == "missing"
                  else "not listed by GDELT")
        click.echo(f"{'skipped':<10}  {name} ({reason}: not on the server)")
    done = sum(1 for path in paths if statuses[path.name][1] == "downloaded")
    click.echo(f"{len(paths)} file{'s' if len(paths) != 1 else ''} in {dest}: {done} "
               f"downloaded, {len(paths) - done} already there"
               + (f", {len(skipped)} not on the server" if skipped else "") + ".", err=True)


def _report(version: int, first: date, last: date, dest: str, paths: list[Path],
            statuses: dict[str, tuple[RemoteFile, str]], skipped: list[str]) -> dict[str, Any]:
    files = []
    for path in paths:
        remote, status = statuses[path.name]
        files.append({"name": remote.name, "url": remote.url, "path": str(path),
                      "md5": remote.md5, "size": path.stat().st_size, "status": status})
    return {"version": version, "from": first.isoformat(), "to": last.isoformat(),
            "dest": dest, "files": files, "skipped": skipped}
