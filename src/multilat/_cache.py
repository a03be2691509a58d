"""A small on-disk cache of derived data, so that each run does not redo what depends only on
bytes it has seen before (a compiled schema check, a parsed bibliography, a small YAML file
read with the line of every field).

Entries live in ``$MULTILAT_CACHE_DIR`` (``off`` or empty: no cache), else
``$XDG_CACHE_HOME/multilat``, else ``~/.cache/multilat``; each is named by the BLAKE2b
(256-bit) digest of what it was derived from (and of multilat's and Python's versions), so a
changed input is a new entry, never a stale one. An entry is written through a temporary file
and a rename and starts with the digest of its body: a damaged or foreign file is ignored and
rewritten. Each kind keeps at most ``MAX_ENTRIES`` entries (the least recently written go
first). The cache is best effort: a folder that cannot be made or written costs only the time
it would have saved. Delete the folder at any time.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ._version import __version__

try:  # BLAKE2 without hashlib's OpenSSL start-up (2 ms of every command's start)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b

__all__ = ["cache_dir", "cache_key", "read", "write"]

_DIGEST = 32
#: Entries kept per kind; past it, a write removes the oldest quarter.
MAX_ENTRIES = 400


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off."""
    chosen = os.environ.get("MULTILAT_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "multilat"


def cache_key(*parts: bytes | str) -> str:
    """A name for an entry derived from ``parts`` (with multilat's and Python's versions)."""
    digest = blake2b(f"{__version__}\0{sys.version}\0".encode(), digest_size=_DIGEST)
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
    if len(data) < _DIGEST or blake2b(body, digest_size=_DIGEST).digest() != data[:_DIGEST]:
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
        import tempfile

        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(blake2b(body, digest_size=_DIGEST).digest() + body)
        os.replace(temporary, path)
        temporary = None
        _prune(path.parent)
    except OSError:
        pass
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    """Keep the folder under ``MAX_ENTRIES`` entries (oldest written removed first)."""
    entries = [entry for entry in os.scandir(folder) if not entry.name.startswith(".")]
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
    for entry in entries[:len(entries) - MAX_ENTRIES * 3 // 4]:
        try:
            os.unlink(entry.path)
        except OSError:
            pass
