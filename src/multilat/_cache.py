"""A small on-disk cache of derived data, so that each run does not redo what depends only on
bytes it has seen before (a compiled schema check, a parsed bibliography).

Entries live in ``$MULTILAT_CACHE_DIR`` (``off`` or empty: no cache), else
``$XDG_CACHE_HOME/multilat``, else ``~/.cache/multilat``; each is named by the SHA-256 of what
it was derived from (and of multilat's and Python's versions), so a changed input is a new
entry, never a stale one. An entry is written through a temporary file and a rename and starts
with the SHA-256 of its body: a damaged or foreign file is ignored and rewritten. The cache is
best effort: a folder that cannot be made or written costs only the time it would have saved.
Delete the folder at any time.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

from ._version import __version__

__all__ = ["cache_dir", "cache_key", "read", "write"]

_DIGEST = 32


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off."""
    chosen = os.environ.get("MULTILAT_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "multilat"


def cache_key(*parts: bytes | str) -> str:
    """A name for an entry derived from ``parts`` (with multilat's and Python's versions)."""
    digest = hashlib.sha256(f"{__version__}\0{sys.version}\0".encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def _path(kind: str, key: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / kind / key


def read(kind: str, key: str) -> bytes | None:
    """The entry's body, or None (no cache, no entry, or a damaged one)."""
    path = _path(kind, key)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    body = data[_DIGEST:]
    if len(data) < _DIGEST or hashlib.sha256(body).digest() != data[:_DIGEST]:
        return None
    return body


def write(kind: str, key: str, body: bytes) -> None:
    """Store ``body`` under ``key`` (quietly does nothing when the cache cannot be written)."""
    path = _path(kind, key)
    if path is None:
        return
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(hashlib.sha256(body).digest() + body)
        os.replace(temporary, path)
        temporary = None
    except OSError:
        pass
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
