"""A small polite HTTP client: a User-Agent, a local cache, retries with backoff.

The transport is injectable (``opener``), so tests replay recorded responses and never touch
the network. JSON answers are read whole (:meth:`HttpClient.get_json`); files are streamed to
disk, checked and renamed into place (:meth:`HttpClient.download_to`).
"""

from __future__ import annotations

import email.utils
import hashlib
import http.client
import json
import logging
import os
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from . import __version__
from ._files import atomic_write_bytes
from .errors import FetchError

__all__ = ["Body", "HttpClient", "Opener", "default_cache_dir", "file_md5"]

logger = logging.getLogger(__name__)

#: A response body: the bytes, or an open binary stream (read, then closed, by the client).
Body = bytes | IO[bytes]
#: ``opener(url, headers, timeout) -> (status, headers, body)``; raises ``OSError`` when the
#: server cannot be reached.
Opener = Callable[[str, Mapping[str, str], float], tuple[int, Mapping[str, str], Body]]
_RETRY_STATUS = {429, 500, 502, 503, 504}
_CHUNK = 1 << 20


#: The longest a server's Retry-After may make the client wait, in seconds.
MAX_WAIT_SECONDS = 120.0


def default_cache_dir() -> Path:
    """``$MULTILAT_CACHE``, else ``$XDG_CACHE_HOME/multilat``, else ``~/.cache/multilat``."""
    if os.environ.get("MULTILAT_CACHE"):
        return Path(os.environ["MULTILAT_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "multilat"


def urllib_opener(url: str, headers: Mapping[str, str],
                  timeout: float) -> tuple[int, Mapping[str, str], Body]:
    """The real transport (urllib from the standard library).

    A 200's body is the open response, streamed by the caller; other answers are read whole.
    """
    request = urllib.request.Request(url, headers=dict(headers))
    try:
        response = urllib.request.urlopen(request, timeout=timeout)  # noqa: S310
    except urllib.error.HTTPError as error:
        with error:
            return int(error.code), dict(error.headers or {}), error.read() or b""
    status = int(response.status)
    if status != 200:
        with response:
            return status, dict(response.headers), response.read()
    return status, dict(response.headers), response


def _read_all(body: Body) -> bytes:
    """The whole of a body; a stream is closed afterwards."""
    if isinstance(body, bytes):
        return body
    with body:
        return body.read()


def _close(body: Body) -> None:
    if not isinstance(body, bytes):
        body.close()


class _Tries:
    """Why the last attempt at a URL failed (set by the retry loop and by its caller)."""

    def __init__(self) -> None:
        self.last = "no attempt"


class _BrokenTransfer(Exception):
    """Reading a response body failed (the network, not the local disk)."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


def _chunks(body: Body) -> Iterator[bytes]:
    """A body in chunks; a failed read raises :class:`_BrokenTransfer`."""
    if isinstance(body, bytes):
        for start in range(0, len(body), _CHUNK):
            yield body[start:start + _CHUNK]
        return
    while True:
        try:
            chunk = body.read(_CHUNK)
        except (OSError, http.client.HTTPException) as error:
            raise _BrokenTransfer(error) from error
        if not chunk:
            return
        yield chunk


def _content_length(headers: Mapping[str, str]) -> int | None:
    """The ``Content-Length`` a response announced (any case of the name), or ``None``."""
    for name, value in headers.items():
        if name.lower() == "content-length":
            text = str(value).strip()
            return int(text) if text.isdigit() else None
    return None


def file_md5(path: str | Path) -> str:
    """The MD5 of a file (lowercase hex), read in chunks."""
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class HttpClient:
    """GET JSON politely: cache first, then up to ``retries`` attempts with backoff.

    A response is cached (under ``cache_dir``, one file per URL) only when it is a 200 with
    valid JSON. ``refresh=True`` ignores the cache. Retries happen on connection errors and on
    429/5xx, waiting ``backoff * 2**attempt`` seconds (or the server's ``Retry-After``).
    """

    cache_dir: Path | None = field(default_factory=default_cache_dir)
    opener: Opener = urllib_opener
    retries: int = 3
    backoff: float = 1.0
    timeout: float = 30.0
    user_agent: str = f"multilat/{__version__} (research toolkit; +https://pypi.org/project/multilat)"
    sleep: Callable[[float], None] = time.sleep
    refresh: bool = False

    def _cache_path(self, url: str) -> Path | None:
        if self.cache_dir is None:
            return None
        host = urllib.parse.urlsplit(url).netloc or "local"
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
        return self.cache_dir / host / f"{digest}.json"

    def get_json(self, url: str, params: Mapping[str, str | int] | None = None, *,
                 cacheable: Callable[[Any], bool] | None = None) -> Any:
        """The decoded JSON at ``url`` (with ``params`` as the query string).

        ``cacheable`` decides whether an answer may be kept (an API's error answer, sent with
        status 200, must not be: it would be replayed forever).
        """
        if params:
            url = f"{url}?{urllib.parse.urlencode(params)}"
        cached = self._cache_path(url)
        if cached is not None and cached.is_file() and not self.refresh:
            try:
                data = json.loads(cached.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, ValueError):
                logger.debug("unreadable cache entry %s, fetching again", cached)
            else:
                logger.debug("cache hit %s", url)
                return data
        headers = {"User-Agent": self.user_agent, "Accept": "application/json"}
        for _, body in self._responses(url, headers, _Tries(), read=True):
            assert isinstance(body, bytes)
            try:
                data = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                raise FetchError(url, f"a body that is not JSON ({body[:60]!r})",
                                 status=200) from None
            if cached is not None and (cacheable is None or cacheable(data)):
                atomic_write_bytes(cached, body, backup=False)
            return data
        raise AssertionError("unreachable: _responses raises when it gives up")

    def _responses(self, url: str, headers: Mapping[str, str], tries: _Tries, *,
                   read: bool = False) -> Iterator[tuple[Mapping[str, str], Body]]:
        """Each 200 answer to GET ``url`` (headers, body; the whole body with ``read``), one
        per attempt, up to ``retries + 1`` attempts.

        Connection errors and 429/5xx take the next attempt after a backoff (or the server's
        ``Retry-After``); another status is a FetchError. The caller asks for the next answer
        when the one it got is unusable (a broken transfer), saying why in ``tries.last``.
        After the last attempt: a FetchError naming the URL and ``tries.last``.
        """
        last_headers: Mapping[str, str] = {}
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self._wait(attempt, last_headers))
                last_headers = {}
            try:
                status, last_headers, body = self.opener(url, headers, self.timeout)
                if read:
                    body = _read_all(body)
            except (OSError, http.client.HTTPException) as error:
                tries.last = f"cannot connect or read ({error!r})"
                continue
            if status != 200:
                try:
                    _close(body)
                except (OSError, http.client.HTTPException):
                    pass
                if status in _RETRY_STATUS:
                    tries.last = f"HTTP {status}"
                    continue
                raise FetchError(url, f"the server answered {status}; expected 200",
                                 status=status)
            yield last_headers, body
        raise FetchError(url, f"gave up after {self.retries + 1} attempts; last: {tries.last}")

    def download_to(self, url: str, path: str | Path, *, md5: str | None = None,
                    size: int | None = None,
                    on_chunk: Callable[[int], None] | None = None) -> Path:
        """Stream ``url`` into ``path``; return ``path``.

        The body goes to a temporary file beside ``path`` and is renamed into place only when
        it is complete and matches ``size`` and ``md5`` (when given). A mismatch raises
        :class:`FetchError` (the URL, what was found, what was expected) and leaves neither
        the temporary file nor a new ``path`` behind. Connection errors, broken transfers
        (a read that fails, or fewer or more bytes than the response's ``Content-Length``) and
        429/5xx are retried with backoff, as in :meth:`get_json`; after the last attempt a
        :class:`FetchError` names the URL and the last problem. The cache is not used.
        ``on_chunk(n)`` is called after each ``n`` bytes written.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        headers = {"User-Agent": self.user_agent}
        tries = _Tries()
        for answer_headers, body in self._responses(url, headers, tries):
            announced = _content_length(answer_headers)
            try:
                temporary, found_md5, found_size = self._stream_to_temporary(body, path,
                                                                             on_chunk)
            except _BrokenTransfer as broken:
                tries.last = f"the transfer broke off ({broken.cause!r})"
                continue
            kept = False
            try:  # from here on, only a file renamed into place survives (Ctrl-C included)
                if announced is not None and found_size != announced:
                    # http.client ends a body cut short by a normal close with b"", not an
                    # error: only the announced length shows that the transfer broke off.
                    tries.last = (f"the transfer broke off: {found_size} bytes received; "
                                  f"expected {announced} bytes (Content-Length)")
                    continue
                problem = None
                if size is not None and found_size != size:
                    problem = f"{found_size} bytes; expected {size} bytes"
                elif md5 is not None and found_md5 != md5.lower():
                    problem = f"md5 {found_md5}; expected md5 {md5.lower()}"
                if problem is not None:
                    raise FetchError(url, f"the download has {problem} (nothing was kept; the "
                                          "file may have changed on the server or been "
                                          "damaged in transit: try again)")
                os.replace(temporary, path)
                kept = True
            finally:
                if not kept:
                    temporary.unlink(missing_ok=True)
            return path
        raise AssertionError("unreachable: _responses raises when it gives up")

    @staticmethod
    def _stream_to_temporary(body: Body, path: Path,
                             on_chunk: Callable[[int], None] | None) -> tuple[Path, str, int]:
        """Write ``body`` to a new temporary file beside ``path``: (file, md5, size)."""
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                        suffix=".part")
        temporary = Path(name)
        digest = hashlib.md5(usedforsecurity=False)
        written = 0
        try:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
            with os.fdopen(handle, "wb") as out:
                for chunk in _chunks(body):
                    out.write(chunk)
                    digest.update(chunk)
                    written += len(chunk)
                    if on_chunk is not None:
                        on_chunk(len(chunk))
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        finally:
            if not isinstance(body, bytes):
                try:
                    body.close()
                except (OSError, http.client.HTTPException):
                    pass
        return temporary, digest.hexdigest(), written

    def _wait(self, attempt: int, headers: Mapping[str, str]) -> float:
        """Seconds before the next attempt: the server's Retry-After (seconds or an HTTP
        date), capped at :data:`MAX_WAIT_SECONDS`, else exponential backoff."""
        retry_after = {k.lower(): v for k, v in headers.items()}.get("retry-after", "").strip()
        if retry_after.isdigit():
            return min(float(retry_after), MAX_WAIT_SECONDS)
        if retry_after:
            try:
                when = email.utils.parsedate_to_datetime(retry_after)
            except (TypeError, ValueError):
                when = None
            if when is not None:
                if when.tzinfo is None:
                    when = when.replace(tzinfo=UTC)
                seconds = (when - datetime.now(UTC)).total_seconds()
                return min(max(seconds, 0.0), MAX_WAIT_SECONDS)
        return float(self.backoff * 2 ** (attempt - 1))
