"""The GDELT downloader against recorded responses (tests/data/events/recorded): no network."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import zipfile
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import IO

import pytest
from click.testing import CliRunner

from multilat._http import MAX_WAIT_SECONDS
from multilat.cli import events_fetch
from multilat.cli.events_fetch import fetch
from multilat.errors import FetchError, InputError
from multilat.events.fetch import (
    GDELT1_EVENTS_URL,
    GDELT2_MASTER_URL,
    RemoteFile,
    download_gdelt,
    gdelt1_names,
    gdelt_files,
)
from multilat.indicators.fetch import HttpClient

RECORDED = Path(__file__).parents[1] / "data" / "events" / "recorded"
ZIP = (RECORDED / "201208.zip").read_bytes()
ZIP_MD5 = hashlib.md5(ZIP, usedforsecurity=False).hexdigest()
MD5SUMS_URL = GDELT1_EVENTS_URL + "md5sums"
FILESIZES_URL = GDELT1_EVENTS_URL + "filesizes"
AUG_2012_URL = GDELT1_EVENTS_URL + "201208.zip"
V2 = "http://data.gdeltproject.org/gdeltv2/"
AUG = (date(2012, 8, 10), date(2012, 8, 20))

Body = bytes | str | Callable[[], IO[bytes]]
Answer = tuple[int, Body] | tuple[int, Body, Mapping[str, str]]


class BreaksOff(io.BytesIO):
    """A response stream that fails half-way, as a dropped connection does."""

    def read(self, size: int | None = -1) -> bytes:
        if self.tell() > 0:
            raise ConnectionResetError("connection reset by peer")
        return super().read(min(size or 100, 100))


class CutShort(io.BytesIO):
    """A stream whose server closed early but normally: the bytes it got, then ``b""``.

    That is what http.client's ``read(amt)`` returns when a connection closes before the
    ``Content-Length`` announced is reached (no ``IncompleteRead``).
    """

    def read(self, size: int | None = -1) -> bytes:
        return super().read(min(size or 100, 100) if size and size > 0 else 100)


class Interrupted(io.BytesIO):
    """A stream during which the user presses Ctrl-C (after its first bytes)."""

    def read(self, size: int | None = -1) -> bytes:
        if self.tell() > 0:
            raise KeyboardInterrupt
        return super().read(100)


def _cut(data: bytes, keep: int) -> tuple[Callable[[], IO[bytes]], dict[str, str]]:
    """A fresh :class:`CutShort` body of ``data[:keep]`` and headers announcing all of it."""
    return (lambda: CutShort(data[:keep])), {"Content-Length": str(len(data))}


class Server:
    """A fake transport: each URL answers from a queue of recorded answers; records requests.

    An answer is ``(status, body)`` or ``(status, body, headers)``; a body naming a file
    serves that recorded file as a stream; ``"OSError"`` refuses the connection;
    ``"breaks"`` serves a stream that fails after its first bytes; a callable body is
    called for a fresh stream.
    """

    def __init__(self, routes: Mapping[str, list[Answer]]) -> None:
        self.routes = {url: list(answers) for url, answers in routes.items()}
        self.requests: list[str] = []

    def __call__(self, url: str, headers: Mapping[str, str],
                 timeout: float) -> tuple[int, Mapping[str, str], bytes | io.BytesIO]:
        self.requests.append(url)
        assert headers["User-Agent"].startswith("multilat/")
        queue = self.routes.get(url)
        if not queue:
            return 404, {}, b"<html>404 Not Found</html>"
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        status, body = answer[0], answer[1]
        reply_headers = answer[2] if len(answer) == 3 else {}  # type: ignore[misc]
        if body == "OSError":
            raise OSError("connection refused")
        if body == "breaks":
            return status, reply_headers, BreaksOff(ZIP)
        if callable(body):
            return status, reply_headers, body()  # type: ignore[return-value]
        if isinstance(body, str):
            return status, reply_headers, io.BytesIO((RECORDED / body).read_bytes())
        return status, reply_headers, body


def _client(server: Server, waits: list[float] | None = None) -> HttpClient:
    return HttpClient(cache_dir=None, opener=server, retries=3,
                      sleep=(waits if waits is not None else []).append)


def _v1(**extra: list[Answer]) -> Server:
    return Server({MD5SUMS_URL: [(200, "md5sums")], FILESIZES_URL: [(200, "filesizes")],
                   AUG_2012_URL: [(200, "201208.zip")], **extra})


def _leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


# ---- which files a date range needs -------------------------------------------------------

@pytest.mark.parametrize(("first", "last", "names"), [
    (date(2005, 12, 31), date(2006, 1, 1), ["2005.zip", "200601.zip"]),
    (date(2013, 3, 31), date(2013, 4, 2),
     ["201303.zip", "20130401.export.CSV.zip", "20130402.export.CSV.zip"]),
    (date(1970, 6, 1), date(1980, 1, 1), ["1979.zip", "1980.zip"]),
    (date(2012, 11, 30), date(2013, 1, 1), ["201211.zip", "201212.zip", "201301.zip"]),
    (date(2016, 2, 29), date(2016, 2, 29), ["20160229.export.CSV.zip"]),
    (date(1960, 1, 1), date(1978, 12, 31), []),
])
def test_gdelt1_names_follow_the_yearly_monthly_daily_layout(
        first: date, last: date, names: list[str]) -> None:
    assert gdelt1_names(first, last) == names


def test_a_whole_gdelt1_history_has_one_file_per_year_month_and_day() -> None:
    names = gdelt1_names(date(1979, 1, 1), date(2013, 12, 31))
    assert len(names) == 27 + 87 + 275
    assert names[26:28] == ["2005.zip", "200601.zip"] and names[113] == "201303.zip"


def test_bad_ranges_and_versions_are_input_errors() -> None:
    with pytest.raises(InputError, match="2012-08-20 after 2012-08-10"):
        gdelt_files(1, date(2012, 8, 20), date(2012, 8, 10), client=_client(Server({})))
    with pytest.raises(InputError, match="found 3; expected 1 or 2"):
        gdelt_files(3, *AUG, client=_client(Server({})))


def test_gdelt1_files_carry_md5sums_and_skip_unlisted_days(
        caplog: pytest.LogCaptureFixture) -> None:
    server = _v1()
    with caplog.at_level(logging.WARNING):
        files = gdelt_files(1, date(2013, 3, 30), date(2013, 4, 4), client=_client(server))
    sums = dict(reversed(line.split()) for line in (RECORDED / "md5sums").read_text().splitlines())
    assert [f.name for f in files] == ["201303.zip", "20130401.export.CSV.zip",
                                       "20130402.export.CSV.zip", "20130404.export.CSV.zip"]
    sizes = {name: int(size) for size, name in
             (line.split() for line in (RECORDED / "filesizes").read_text().splitlines())}
    assert all(f.url == GDELT1_EVENTS_URL + f.name and f.md5 == sums[f.name]
               and f.size == sizes[f.name] for f in files)
    assert server.requests == [MD5SUMS_URL, FILESIZES_URL]
    assert "20130403.export.CSV.zip" in caplog.text


def test_gdelt1_without_md5sums_lists_every_name_unchecked() -> None:
    files = gdelt_files(1, *AUG, client=_client(Server({})))
    assert files == [RemoteFile(AUG_2012_URL, "201208.zip", None, None)]


def test_unreadable_md5sums_is_a_fetch_error_naming_the_line() -> None:
    server = Server({MD5SUMS_URL: [(200, b"0123  201207.zip\n")]})
    with pytest.raises(FetchError, match=r"md5sums: line 1 is '0123  201207.zip'"):
        gdelt_files(1, *AUG, client=_client(server))


def test_gdelt2_keeps_export_files_of_the_range_only() -> None:
    server = Server({GDELT2_MASTER_URL: [(200, "masterfilelist.txt")]})
    files = gdelt_files(2, date(2015, 2, 19), date(2015, 2, 19), client=_client(server))
    assert files == [RemoteFile(f"{V2}{stamp}.export.CSV.zip", f"{stamp}.export.CSV.zip",
                                ZIP_MD5, len(ZIP))
                     for stamp in ("20150219000000", "20150219001500")]
    whole = gdelt_files(2, date(2015, 2, 18), date(2015, 2, 20), client=_client(server))
    assert [f.name[:14] for f in whole] == [
        "20150218230000", "20150218231500", "20150218233000", "20150218234500",
        "20150219000000", "20150219001500", "20150220000000"]
    assert whole[0] == RemoteFile(f"{V2}20150218230000.export.CSV.zip",
                                  "20150218230000.export.CSV.zip",
                                  "297a16b493de7cf6ca809a7cc31d0b93", 150383)


def test_gdelt2_skips_an_unreadable_line_with_a_warning(
        caplog: pytest.LogCaptureFixture) -> None:
    listing = (f"{len(ZIP)} {ZIP_MD5} {V2}20150219000000.export.CSV.zip\n"
               f"  {V2}20150219001500.export.CSV.zip\n\n").encode()
    server = Server({GDELT2_MASTER_URL: [(200, listing)]})
    with caplog.at_level(logging.WARNING):
        files = gdelt_files(2, date(2015, 2, 19), date(2015, 2, 19), client=_client(server))
    assert [f.name for f in files] == ["20150219000000.export.CSV.zip"]
    assert "line 2" in caplog.text and "20150219001500.export.CSV.zip skipped" in caplog.text


# ---- downloading ----------------------------------------------------------------------------

def test_download_writes_the_recorded_zip_and_nothing_else(tmp_path: Path) -> None:
    server = _v1()
    dest = tmp_path / "gdelt"
    paths = download_gdelt(1, *AUG, dest, client=_client(server))
    assert paths == [dest / "201208.zip"] and _leftovers(dest) == ["201208.zip"]
    assert paths[0].read_bytes() == ZIP
    with zipfile.ZipFile(paths[0]) as archive:
        assert archive.read("201208.csv") == (RECORDED / "aug2012_georgia_head.csv").read_bytes()
    assert server.requests == [MD5SUMS_URL, FILESIZES_URL, AUG_2012_URL]


def test_checksum_mismatch_raises_and_leaves_nothing(tmp_path: Path) -> None:
    damaged = ZIP[:-1] + bytes([ZIP[-1] ^ 0xFF])
    server = _v1(**{AUG_2012_URL: [(200, damaged)]})
    with pytest.raises(FetchError) as caught:
        download_gdelt(1, *AUG, tmp_path, client=_client(server))
    message = str(caught.value)
    found = hashlib.md5(damaged, usedforsecurity=False).hexdigest()
    assert AUG_2012_URL in message
    assert f"md5 {found}; expected md5 {ZIP_MD5}" in message
    assert _leftovers(tmp_path) == []


def test_size_mismatch_on_gdelt2_raises_and_leaves_nothing(tmp_path: Path) -> None:
    url = f"{V2}20150219000000.export.CSV.zip"
    server = Server({GDELT2_MASTER_URL: [(200, "masterfilelist.txt")],
                     url: [(200, ZIP[:100])]})
    with pytest.raises(FetchError, match=f"{url}: the download has 100 bytes; expected "
                                         f"{len(ZIP)} bytes"):
        download_gdelt(2, date(2015, 2, 19), date(2015, 2, 19), tmp_path,
                       client=_client(server))
    assert _leftovers(tmp_path) == []


def test_gdelt2_download_checks_each_export(tmp_path: Path) -> None:
    urls = [f"{V2}{stamp}.export.CSV.zip" for stamp in ("20150219000000", "20150219001500")]
    server = Server({GDELT2_MASTER_URL: [(200, "masterfilelist.txt")],
                     urls[0]: [(200, "201208.zip")], urls[1]: [(200, "201208.zip")]})
    paths = download_gdelt(2, date(2015, 2, 19), date(2015, 2, 19), tmp_path,
                           client=_client(server))
    assert [p.name for p in paths] == [u.rsplit("/", 1)[1] for u in urls]
    assert all(p.read_bytes() == ZIP for p in paths)
    assert server.requests == [GDELT2_MASTER_URL, *urls]


def test_a_file_already_there_is_not_downloaded_again(tmp_path: Path) -> None:
    server = _v1()
    seen: list[tuple[str, str]] = []
    download_gdelt(1, *AUG, tmp_path, client=_client(server))
    paths = download_gdelt(1, *AUG, tmp_path, client=_client(server),
                           progress=lambda f, status: seen.append((f.name, status)))
    assert server.requests == [MD5SUMS_URL, FILESIZES_URL, AUG_2012_URL, MD5SUMS_URL,
                               FILESIZES_URL]
    assert seen == [("201208.zip", "cached")] and paths[0].read_bytes() == ZIP
    download_gdelt(1, *AUG, tmp_path, client=_client(server), refresh=True,
                   progress=lambda f, status: seen.append((f.name, status)))
    assert server.requests[-1] == AUG_2012_URL
    assert seen[1:] == [("201208.zip", "downloading"), ("201208.zip", "downloaded")]


def test_a_damaged_local_copy_is_downloaded_again(tmp_path: Path) -> None:
    (tmp_path / "201208.zip").write_bytes(b"x" * len(ZIP))
    server = _v1()
    download_gdelt(1, *AUG, tmp_path, client=_client(server))
    assert server.requests == [MD5SUMS_URL, FILESIZES_URL, AUG_2012_URL]
    assert (tmp_path / "201208.zip").read_bytes() == ZIP


def test_retries_503_and_a_refused_connection_then_succeeds(tmp_path: Path) -> None:
    waits: list[float] = []
    server = _v1(**{AUG_2012_URL: [(503, b"busy", {"Retry-After": "7"}), (200, "OSError"),
                                   (200, "201208.zip")]})
    paths = download_gdelt(1, *AUG, tmp_path, client=_client(server, waits))
    assert paths[0].read_bytes() == ZIP
    assert server.requests.count(AUG_2012_URL) == 3
    assert waits == [7.0, 2.0]  # Retry-After honoured, then backoff * 2**1


def test_retry_after_is_capped_and_429_is_retried(tmp_path: Path) -> None:
    waits: list[float] = []
    server = _v1(**{AUG_2012_URL: [(429, b"", {"Retry-After": "86400"}), (200, "201208.zip")]})
    download_gdelt(1, *AUG, tmp_path, client=_client(server, waits))
    assert waits == [MAX_WAIT_SECONDS]


def test_a_transfer_that_breaks_off_is_retried_and_leaves_no_part_file(tmp_path: Path) -> None:
    waits: list[float] = []
    server = _v1(**{AUG_2012_URL: [(200, "breaks"), (200, "201208.zip")]})
    download_gdelt(1, *AUG, tmp_path, client=_client(server, waits))
    assert _leftovers(tmp_path) == ["201208.zip"] and waits == [1.0]
    assert (tmp_path / "201208.zip").read_bytes() == ZIP


def test_a_download_cut_short_is_retried_not_reported_as_a_md5_mismatch(
        tmp_path: Path) -> None:
    waits: list[float] = []
    body, headers = _cut(ZIP, 800)
    server = _v1(**{AUG_2012_URL: [(200, body, headers), (200, "201208.zip")]})
    paths = download_gdelt(1, *AUG, tmp_path, client=_client(server, waits))
    assert paths[0].read_bytes() == ZIP and _leftovers(tmp_path) == ["201208.zip"]
    assert server.requests.count(AUG_2012_URL) == 2 and waits == [1.0]


def test_a_download_cut_short_without_listings_fails_and_is_never_cached(
        tmp_path: Path) -> None:
    body, headers = _cut(ZIP, 800)
    server = Server({AUG_2012_URL: [(200, body, headers)]})  # no md5sums, no filesizes
    with pytest.raises(FetchError) as caught:
        download_gdelt(1, *AUG, tmp_path, client=_client(server))
    assert str(caught.value) == (
        f"{AUG_2012_URL}: gave up after 4 attempts; last: the transfer broke off: 800 bytes "
        f"received; expected {len(ZIP)} bytes (Content-Length)")
    assert _leftovers(tmp_path) == [] and server.requests.count(AUG_2012_URL) == 4


def test_a_file_with_nothing_to_check_it_by_is_not_trusted_as_cached(tmp_path: Path) -> None:
    (tmp_path / "201208.zip").write_bytes(ZIP[:800])  # e.g. left by an older, cut-short run
    server = Server({AUG_2012_URL: [(200, "201208.zip")]})  # no md5sums, no filesizes
    seen: list[str] = []
    download_gdelt(1, *AUG, tmp_path, client=_client(server),
                   progress=lambda f, status: seen.append(status))
    assert seen == ["downloading", "downloaded"]
    assert (tmp_path / "201208.zip").read_bytes() == ZIP


def test_a_cached_file_of_the_wrong_size_is_fetched_again_by_filesizes(tmp_path: Path) -> None:
    (tmp_path / "201208.zip").write_bytes(ZIP[:800])
    server = Server({FILESIZES_URL: [(200, "filesizes")],  # md5sums is missing (404)
                     AUG_2012_URL: [(200, "201208.zip")]})
    files = gdelt_files(1, *AUG, client=_client(server))
    assert files == [RemoteFile(AUG_2012_URL, "201208.zip", None, len(ZIP))]
    download_gdelt(1, *AUG, tmp_path, client=_client(server))
    assert (tmp_path / "201208.zip").read_bytes() == ZIP
    assert server.requests[-1] == AUG_2012_URL


@pytest.mark.parametrize("version", [1, 2])
def test_a_listing_cut_short_is_a_fetch_error_not_fewer_files(version: int) -> None:
    url, name = ((MD5SUMS_URL, "md5sums") if version == 1
                 else (GDELT2_MASTER_URL, "masterfilelist.txt"))
    listing = (RECORDED / name).read_bytes()
    keep = listing.rindex(b"\n", 0, len(listing) // 2) + 1  # whole lines: it would parse
    body, headers = _cut(listing, keep)
    server = Server({url: [(200, body, headers)], FILESIZES_URL: [(200, "filesizes")]})
    with pytest.raises(FetchError, match=f"{url}: gave up after 4 attempts; last: the "
                                         f"transfer broke off: {keep} bytes received; "
                                         f"expected {len(listing)} bytes"):
        gdelt_files(version, date(2012, 8, 1) if version == 1 else date(2015, 2, 18),
                    date(2013, 4, 4) if version == 1 else date(2015, 2, 20),
                    client=_client(server))
    assert server.requests.count(url) == 4


def test_ctrl_c_mid_transfer_leaves_no_part_file_and_no_target(tmp_path: Path) -> None:
    server = _v1(**{AUG_2012_URL: [(200, lambda: Interrupted(ZIP))]})
    with pytest.raises(KeyboardInterrupt):
        download_gdelt(1, *AUG, tmp_path, client=_client(server))
    assert _leftovers(tmp_path) == []
    assert server.requests.count(AUG_2012_URL) == 1  # not retried


def test_an_unlisted_day_missing_on_the_server_is_skipped(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    days = [f"201304{day:02d}.export.CSV.zip" for day in (1, 2, 3)]
    server = Server({GDELT1_EVENTS_URL + days[0]: [(200, "201208.zip")],
                     GDELT1_EVENTS_URL + days[2]: [(200, "201208.zip")]})  # no listings
    seen: list[tuple[str, str]] = []
    with caplog.at_level(logging.WARNING):
        paths = download_gdelt(1, date(2013, 4, 1), date(2013, 4, 3), tmp_path,
                               client=_client(server),
                               progress=lambda f, status: seen.append((f.name, status)))
    assert [p.name for p in paths] == [days[0], days[2]] == _leftovers(tmp_path)
    assert (days[1], "missing") in seen
    assert f"{GDELT1_EVENTS_URL}{days[1]}: the server answered 404" in caplog.text


def test_a_listed_file_missing_on_the_server_is_still_an_error(tmp_path: Path) -> None:
    server = _v1(**{AUG_2012_URL: [(404, b"")]})
    with pytest.raises(FetchError, match="answered 404"):
        download_gdelt(1, *AUG, tmp_path, client=_client(server))


@pytest.mark.parametrize(("version", "first", "last", "begins"), [
    (2, date(2014, 1, 1), date(2014, 12, 31), "2015-02-18"),
    (1, date(1970, 1, 1), date(1978, 12, 31), "1979-01-01"),
])
def test_a_range_before_the_version_begins_is_an_input_error(
        version: int, first: date, last: date, begins: str) -> None:
    with pytest.raises(InputError, match=f"found the last date {last.isoformat()}, before "
                                         f"GDELT {version}.0 begins; expected a range that "
                                         f"ends on or after {begins}"):
        gdelt_files(version, first, last, client=_client(Server({})))


def test_gives_up_after_the_retries(tmp_path: Path) -> None:
    server = _v1(**{AUG_2012_URL: [(503, b"")]})
    with pytest.raises(FetchError, match=r"201208.zip: gave up after 4 attempts; last: HTTP 503"):
        download_gdelt(1, *AUG, tmp_path, client=_client(server))
    assert _leftovers(tmp_path) == [] and server.requests.count(AUG_2012_URL) == 4


def test_404_is_a_clear_fetch_error(tmp_path: Path) -> None:
    server = Server({MD5SUMS_URL: [(200, "md5sums")]})  # 201208.zip is not served
    with pytest.raises(FetchError) as caught:
        download_gdelt(1, *AUG, tmp_path, client=_client(server))
    assert caught.value.status == 404 and caught.value.url == AUG_2012_URL
    assert str(caught.value) == (f"{AUG_2012_URL} (HTTP 404): the server answered 404; "
                                 "expected 200")
    assert server.requests == [MD5SUMS_URL, FILESIZES_URL, AUG_2012_URL]
    assert _leftovers(tmp_path) == []


def test_get_json_still_reads_a_streamed_body() -> None:
    server = Server({"https://example.invalid/j": [(200, b'{"a": 1}')]})
    client = HttpClient(cache_dir=None, opener=lambda u, h, t: (200, {}, io.BytesIO(b"[1]")))
    assert client.get_json("https://example.invalid/j") == [1]
    assert _client(server).get_json("https://example.invalid/j") == {"a": 1}


# ---- the command ----------------------------------------------------------------------------

@pytest.fixture
def recorded_server(monkeypatch: pytest.MonkeyPatch) -> Server:
    server = _v1()
    monkeypatch.setattr(events_fetch, "make_client", lambda: _client(server))
    return server


ARGS = ["--version", "1", "--from", "2012-08-10", "--to", "2012-08-20"]


def test_cli_downloads_then_reports_cached(recorded_server: Server, tmp_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(fetch, [*ARGS, "--dest", str(tmp_path)])
    assert first.exit_code == 0, first.output
    assert f"downloaded  {tmp_path / '201208.zip'}" in first.stdout
    second = runner.invoke(fetch, [*ARGS, "--dest", str(tmp_path), "--format", "json"])
    report = json.loads(second.stdout)
    assert report["files"] == [{"name": "201208.zip", "url": AUG_2012_URL,
                                "path": str(tmp_path / "201208.zip"), "md5": ZIP_MD5,
                                "size": len(ZIP), "status": "cached"}]
    assert report["skipped"] == [] and report["version"] == 1


def test_cli_reports_days_missing_from_md5sums(recorded_server: Server,
                                               tmp_path: Path) -> None:
    args = ["--version", "1", "--from", "2013-04-03", "--to", "2013-04-03", "--dest",
            str(tmp_path)]
    text = CliRunner().invoke(fetch, args)
    assert text.exit_code == 0, text.output
    assert ("skipped     20130403.export.CSV.zip (not listed by GDELT: not on the server)"
            in text.stdout)
    report = json.loads(CliRunner().invoke(fetch, [*args, "--format", "json"]).stdout)
    assert report["files"] == [] and report["skipped"] == ["20130403.export.CSV.zip"]
    assert recorded_server.requests == [MD5SUMS_URL, FILESIZES_URL] * 2


def test_cli_refuses_a_gdelt2_range_before_2015(recorded_server: Server,
                                                  tmp_path: Path) -> None:
    result = CliRunner().invoke(fetch, ["--version", "2", "--from", "2014-01-01", "--to",
                                        "2014-12-31", "--dest", str(tmp_path)])
    assert result.exit_code == 2 and recorded_server.requests == []
    assert ("--to 2014-12-31 is before GDELT 2.0 begins; expected --to on or after "
            "2015-02-18" in result.output)


def test_cli_reports_a_day_the_server_does_not_have(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    server = Server({GDELT1_EVENTS_URL + "20130401.export.CSV.zip": [(200, "201208.zip")]})
    monkeypatch.setattr(events_fetch, "make_client", lambda: _client(server))
    args = ["--version", "1", "--from", "2013-04-01", "--to", "2013-04-02", "--dest",
            str(tmp_path)]
    text = CliRunner().invoke(fetch, args)
    assert text.exit_code == 0, text.output
    assert ("skipped     20130402.export.CSV.zip (the server answered 404: not on the server)"
            in text.stdout)
    assert "1 file in" in text.stderr and "1 not on the server" in text.stderr
    report = json.loads(CliRunner().invoke(fetch, [*args, "--format", "json"]).stdout)
    assert report["skipped"] == ["20130402.export.CSV.zip"]
    assert [f["status"] for f in report["files"]] == ["downloaded"]  # nothing to check it by


def test_cli_errors_are_one_line_without_traceback(recorded_server: Server,
                                                   tmp_path: Path) -> None:
    recorded_server.routes[AUG_2012_URL] = [(200, b"x" * len(ZIP))]  # the listed size
    result = CliRunner().invoke(fetch, [*ARGS, "--dest", str(tmp_path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        f"downloading {AUG_2012_URL}",
        f"Error: {AUG_2012_URL}: the download has md5 "
        f"{hashlib.md5(b'x' * len(ZIP), usedforsecurity=False).hexdigest()}; expected md5 "
        f"{ZIP_MD5} (nothing was kept; the file may have changed on the server or been "
        "damaged in transit: try again)"]
    assert _leftovers(tmp_path) == []
    backwards = CliRunner().invoke(fetch, ["--version", "1", "--from", "2012-08-20", "--to",
                                           "2012-08-10", "--dest", str(tmp_path)])
    assert backwards.exit_code == 2 and "expected --from on or before --to" in backwards.output
