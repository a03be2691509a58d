"""Download GDELT event exports (1.0 and 2.0) into a folder, checked against GDELT's checksums.

GDELT 1.0 (``http://data.gdeltproject.org/events/``) publishes one zip per year for 1979-2005
(``YYYY.zip``), one per month for 2006-01..2013-03 (``YYYYMM.zip``) and one per day from
2013-04-01 (``YYYYMMDD.export.CSV.zip``); the folder's ``md5sums`` lists ``<md5>  <file>`` and its
``filesizes`` lists ``<size> <file>``.
GDELT 2.0 publishes a file every 15 minutes from 2015-02-18; its master list
(``http://data.gdeltproject.org/gdeltv2/masterfilelist.txt``) has one ``<size> <md5> <url>``
line per file, events (``YYYYMMDDHHMMSS.export.CSV.zip``), mentions and GKG alike.

A file already in the destination folder with the listed size and md5 is not downloaded again
(one with neither listed is: nothing would show that it is whole).
Downloads are streamed to a temporary file beside the target and renamed only after the check
(see :meth:`multilat.indicators.fetch.HttpClient.download_to`).

References
----------
GDELT Project, "GDELT 1.0 Event Database" file list, http://data.gdeltproject.org/events/index.html
GDELT Project, GDELT 2.0 master file list, http://data.gdeltproject.org/gdeltv2/masterfilelist.txt
GDELT Project, "GDELT Event Database Data Format Codebook" V1.03 (2013),
http://data.gdeltproject.org/documentation/GDELT-Data_Format_Codebook.pdf
GDELT Project, "GDELT Event Codebook V2.0" (2015),
http://data.gdeltproject.org/documentation/GDELT-Event_Codebook-V2.0.pdf
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from .._http import HttpClient, file_md5
from ..errors import FetchError, InputError

__all__ = [
    "GDELT1_EVENTS_URL",
    "GDELT2_MASTER_URL",
    "RemoteFile",
    "download_gdelt",
    "gdelt1_names",
    "gdelt_files",
]

logger = logging.getLogger(__name__)

GDELT1_EVENTS_URL = "http://data.gdeltproject.org/events/"
GDELT2_MASTER_URL = "http://data.gdeltproject.org/gdeltv2/masterfilelist.txt"

#: The first day each GDELT 1.0 file granularity covers (yearly, monthly, daily).
GDELT1_FIRST_DAY = date(1979, 1, 1)
GDELT1_MONTHLY_FROM = date(2006, 1, 1)
GDELT1_DAILY_FROM = date(2013, 4, 1)
#: The first day of GDELT 2.0 (its first file is 2015-02-18 23:00:00 UTC).
GDELT2_FIRST_DAY = date(2015, 2, 18)

_MD5 = re.compile(r"^[0-9a-fA-F]{32}$")
_GDELT2_EXPORT = re.compile(r"^(\d{14})\.export\.CSV\.zip$")

#: ``progress(file, status)``; status is ``"downloading"``, ``"downloaded"``, ``"cached"`` or
#: ``"missing"`` (an unlisted GDELT 1.0 file the server answered 404 for: skipped).
Progress = Callable[["RemoteFile", str], None]


@dataclass(frozen=True, slots=True)
class RemoteFile:
    """One file on GDELT's server, with the checksum (and size) it is listed with, if any."""

    url: str
    name: str
    md5: str | None = None
    size: int | None = None


def _check_range(version: int, first: date, last: date) -> None:
    if version not in (1, 2):
        raise InputError(f"GDELT version: found {version!r}; expected 1 or 2")
    if first > last:
        raise InputError(f"date range: found {first.isoformat()} after {last.isoformat()}; "
                         "expected the first date on or before the last")


def gdelt1_names(first: date, last: date) -> list[str]:
    """The GDELT 1.0 event file names covering ``first..last`` (inclusive), oldest first.

    A year before 2006 is one ``YYYY.zip``, a month from 2006-01 to 2013-03 one ``YYYYMM.zip``,
    a day from 2013-04-01 one ``YYYYMMDD.export.CSV.zip``. Days before 1979 have no file.
    """
    _check_range(1, first, last)
    first = max(first, GDELT1_FIRST_DAY)
    names: list[str] = []
    for year in range(first.year, min(last.year, GDELT1_MONTHLY_FROM.year - 1) + 1):
        names.append(f"{year}.zip")
    month = max(date(first.year, first.month, 1), GDELT1_MONTHLY_FROM)
    while month < GDELT1_DAILY_FROM and month <= last:
        names.append(f"{month:%Y%m}.zip")
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    day = max(first, GDELT1_DAILY_FROM)
    while day <= last:
        names.append(f"{day:%Y%m%d}.export.CSV.zip")
        day += timedelta(days=1)
    return names


def _listing_lines(client: HttpClient, url: str) -> Iterator[tuple[int, str]]:
    """The lines of a listing (``md5sums``, ``masterfilelist.txt``) as ``(number, text)``.

    The listing is streamed to a temporary file (the 2.0 master list is large), then read.
    """
    with tempfile.TemporaryDirectory(prefix="multilat-gdelt-") as folder:
        path = client.download_to(url, Path(folder) / "listing.txt")
        with open(path, encoding="utf-8", errors="replace") as stream:
            yield from enumerate(stream, start=1)


def _optional_listing(client: HttpClient, url: str,
                      consequence: str) -> list[tuple[int, str]] | None:
    """The lines of a listing, or ``None`` (with a warning) when the server answers 404."""
    try:
        return list(_listing_lines(client, url))
    except FetchError as error:
        if error.status == 404:
            logger.warning("%s is missing: %s", url, consequence)
            return None
        raise


def _two_column_listing(client: HttpClient, url: str, consequence: str,
                        valid: Callable[[str], bool], layout: str) -> dict[str, str] | None:
    """``{file name: first column}`` from a listing of ``<value> <file name>`` lines, or
    ``None`` when the listing is missing; a line that does not fit is a FetchError."""
    lines = _optional_listing(client, url, consequence)
    if lines is None:
        return None
    values: dict[str, str] = {}
    for number, line in lines:
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 2 or not valid(parts[0]):
            raise FetchError(url, f"line {number} is {line.strip()[:80]!r}; expected {layout!r}")
        values[parts[1].lstrip("*")] = parts[0]
    return values


def _gdelt1_checksums(client: HttpClient, folder_url: str) -> dict[str, str] | None:
    """``{file name: md5}`` from the folder's ``md5sums``, or ``None`` when it is missing."""
    sums = _two_column_listing(client, folder_url + "md5sums",
                               "GDELT 1.0 files will not be checked by md5",
                               lambda value: bool(_MD5.match(value)), "<md5>  <file name>")
    return None if sums is None else {name: md5.lower() for name, md5 in sums.items()}


def _gdelt1_sizes(client: HttpClient, folder_url: str) -> dict[str, int] | None:
    """``{file name: size}`` from the folder's ``filesizes``, or ``None`` when it is missing."""
    sizes = _two_column_listing(client, folder_url + "filesizes",
                                "GDELT 1.0 files will not be checked by size", str.isdigit,
                                "<size in bytes> <file name>")
    return None if sizes is None else {name: int(size) for name, size in sizes.items()}


def _gdelt1_files(client: HttpClient, first: date, last: date,
                  folder_url: str) -> list[RemoteFile]:
    names = gdelt1_names(first, last)
    if not names:
        return []
    sums = _gdelt1_checksums(client, folder_url)
    sizes = _gdelt1_sizes(client, folder_url)
    listed, listing = (sums, "md5sums") if sums is not None else (sizes, "filesizes")
    if listed is None:
        return [RemoteFile(folder_url + name, name) for name in names]
    missing = [name for name in names if name not in listed]
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5
                                          else "")
        logger.warning("%s%s does not list %s: skipped (not on the server)",
                       folder_url, listing, shown)
    return [RemoteFile(folder_url + name, name,
                       None if sums is None else sums[name],
                       None if sizes is None else sizes.get(name))
            for name in names if name in listed]


def _gdelt2_files(client: HttpClient, first: date, last: date,
                  master_url: str) -> list[RemoteFile]:
    start, end = f"{first:%Y%m%d}000000", f"{last:%Y%m%d}235959"
    files: dict[str, RemoteFile] = {}
    unreadable = 0
    for number, line in _listing_lines(client, master_url):
        parts = line.split()
        if not parts:
            continue
        name = parts[-1].rsplit("/", 1)[-1]
        match = _GDELT2_EXPORT.match(name)
        if match is None or not start <= match.group(1) <= end:
            continue  # mentions, GKG, or outside the range
        if len(parts) != 3 or not parts[0].isdigit() or not _MD5.match(parts[1]):
            unreadable += 1
            logger.warning("%s line %d is %r; expected '<size> <md5> <url>': %s skipped",
                           master_url, number, line.strip()[:100], name)
            continue
        files[name] = RemoteFile(parts[2], name, parts[1].lower(), int(parts[0]))
    if unreadable:
        logger.warning("%s: %d export files in range skipped (unreadable lines)",
                       master_url, unreadable)
    return [files[name] for name in sorted(files)]


def gdelt_files(version: int, first_date: date, last_date: date, *,
                client: HttpClient | None = None,
                base_url: str | None = None) -> list[RemoteFile]:
    """The GDELT event files covering ``first_date..last_date`` (inclusive), oldest first.

    Parameters
    ----------
    version
        1 (GDELT 1.0 events: yearly, monthly, then daily files) or 2 (GDELT 2.0 events:
        15-minute files; mentions and GKG files are left out).
    client
        The HTTP client (retries, transport); default :class:`HttpClient()`.
    base_url
        For version 1 the events folder (default :data:`GDELT1_EVENTS_URL`), for version 2
        the master file list (default :data:`GDELT2_MASTER_URL`).

    For version 1 the names follow from the dates; each carries its md5 from ``md5sums`` and
    its size from ``filesizes``. Names missing from ``md5sums`` are skipped with a warning
    (GDELT has a few missing days); when ``md5sums`` is missing (404), ``filesizes`` decides
    instead, and when both are missing every name is returned with neither.

    Raises
    ------
    InputError
        An unknown version, ``first_date`` after ``last_date``, or a range that ends before
        the version begins (GDELT 1.0 on 1979-01-01, GDELT 2.0 on 2015-02-18).
    FetchError
        A listing cannot be downloaded or read.
    """
    _check_range(version, first_date, last_date)
    begins = GDELT1_FIRST_DAY if version == 1 else GDELT2_FIRST_DAY
    if last_date < begins:
        raise InputError(f"date range: found the last date {last_date.isoformat()}, before "
                         f"GDELT {version}.0 begins; expected a range that ends on or after "
                         f"{begins.isoformat()}"
                         + (" (use GDELT 1.0 for earlier days)" if version == 2 else ""))
    client = client or HttpClient()
    if version == 1:
        folder = base_url or GDELT1_EVENTS_URL
        folder = folder if folder.endswith("/") else folder + "/"
        return _gdelt1_files(client, first_date, last_date, folder)
    return _gdelt2_files(client, first_date, last_date, base_url or GDELT2_MASTER_URL)


def _is_cached(path: Path, remote: RemoteFile) -> bool:
    """Whether ``path`` already holds ``remote``: same size and md5, when they are known.

    With neither known the answer is no: nothing would show that the file is whole.
    """
    if not path.is_file() or (remote.size is None and remote.md5 is None):
        return False
    if remote.size is not None and path.stat().st_size != remote.size:
        return False
    if remote.md5 is not None:
        return file_md5(path) == remote.md5
    return True


def download_gdelt(version: int, first: date, last: date, dest_dir: str | Path, *,
                   client: HttpClient | None = None, refresh: bool = False,
                   progress: Progress | None = None,
                   base_url: str | None = None) -> list[Path]:
    """Download the GDELT event files covering ``first..last`` into ``dest_dir``.

    A file already there with the listed size and md5 is kept (``refresh=True`` downloads it
    again); a file whose checksum does not match is downloaded again. Each download is checked
    against the listed md5 and size (and against the response's ``Content-Length``) before
    it is renamed into place. A file with neither a listed md5 nor a listed size (GDELT 1.0
    with no ``md5sums`` and no ``filesizes``) is downloaded again on every run, and one the
    server answers 404 for is skipped with a warning (GDELT has missing days) and left out
    of the result. Returns the paths of the files of the range, oldest first.
    ``progress(file, status)`` is told ``"downloading"`` before a download, then
    ``"downloaded"`` or ``"missing"``; or ``"cached"``.

    Raises
    ------
    FetchError
        A listing or file cannot be downloaded, or a download does not match its checksum
        (the message names the URL, the md5 found and the md5 expected).
    """
    client = client or HttpClient()
    files = gdelt_files(version, first, last, client=client, base_url=base_url)
    folder = Path(dest_dir)
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for remote in files:
        target = folder / remote.name
        if not refresh and _is_cached(target, remote):
            logger.debug("cached %s", target)
            if progress is not None:
                progress(remote, "cached")
        else:
            if progress is not None:
                progress(remote, "downloading")
            try:
                client.download_to(remote.url, target, md5=remote.md5, size=remote.size)
            except FetchError as error:
                if error.status != 404 or remote.md5 is not None or remote.size is not None:
                    raise
                logger.warning("%s: the server answered 404 and no listing names the file: "
                               "skipped (GDELT has missing days)", remote.url)
                if progress is not None:
                    progress(remote, "missing")
                continue
            if progress is not None:
                progress(remote, "downloaded")
        paths.append(target)
    return paths
