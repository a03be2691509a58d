"""A small polite HTTP client: a User-Agent, a local cache, retries with backoff.

The transport is injectable (``opener``), so tests replay recorded responses and never touch
the network.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import logging
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ... import __version__
from ..._files import atomic_write_bytes
from ...errors import FetchError

__all__ = ["HttpClient", "Opener", "default_cache_dir"]

logger = logging.getLogger(__name__)

#: ``opener(url, headers, timeout) -> (status, headers, body)``; raises ``OSError`` when the
#: server cannot be reached.
Opener = Callable[[str, Mapping[str, str], float], tuple[int, Mapping[str, str], bytes]]
_RETRY_STATUS = {429, 500, 502, 503, 504}


#: The longest a server's Retry-After may make the client wait, in seconds.
MAX_WAIT_SECONDS = 120.0

def default_cache_dir() -> Path:
    """``$MULTILAT_CACHE``, else ``$XDG_CACHE_HOME/multilat``, else ``~/.cache/multilat``."""
    if os.environ.get("MULTILAT_CACHE"):
        return Path(os.environ["MULTILAT_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "multilat"


def urllib_opener(url: str, headers: Mapping[str, str],
                  timeout: float) -> tuple[int, Mapping[str, str], bytes]:
    """The real transport (urllib from the standard library)."""
    request = urllib.request.Request(url, headers=dict(headers))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return int(response.status), dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return int(error.code), dict(error.headers or {}), error.read() or b""


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
        last = "no attempt"
        last_headers: Mapping[str, str] = {}
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self._wait(attempt, last_headers))
                last_headers = {}
            try:
                status, last_headers, body = self.opener(url, headers, self.timeout)
            except (OSError, http.client.HTTPException) as error:
                last = f"cannot connect or read ({error!r})"
                continue
            if status in _RETRY_STATUS:
                last = f"HTTP {status}"
                continue
            if status != 200:
                raise FetchError(url, f"the server answered {status}; expected 200",
                                 status=status)
            try:
                data = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                raise FetchError(url, f"a body that is not JSON ({body[:60]!r})",
                                 status=status) from None
            if cached is not None and (cacheable is None or cacheable(data)):
                atomic_write_bytes(cached, body, backup=False)
            return data
        raise FetchError(url, f"gave up after {self.retries + 1} attempts; last: {last}")

    def _wait(self, attempt: int, headers: Mapping[str, str]) -> float:
        retry_after = {k.lower(): v for k, v in headers.items()}.get("retry-after", "")
        if retry_after.isdigit():
            return min(float(retry_after), MAX_WAIT_SECONDS)
        return float(self.backoff * 2 ** (attempt - 1))
