"""Atomic file writing: nothing is ever half-written, and a user's file is backed up first."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .errors import Problem

__all__ = ["atomic_write_bytes", "atomic_write_text", "is_file", "read_text"]


def is_file(path: str | Path) -> bool:
    """Whether ``path`` is a file; a name the system refuses (too long, a NUL byte...) is not."""
    try:
        return Path(path).is_file()
    except (OSError, ValueError):
        return False


def read_text(path: str | Path, expected: str, *, max_bytes: int | None = None) -> str | Problem:
    """A file's UTF-8 text, or the problem that kept it from being read (also a file larger
    than ``max_bytes``, checked before reading)."""
    name = str(path)
    try:
        if max_bytes is not None and is_file(path):
            size = Path(path).stat().st_size
            if size > max_bytes:
                return Problem(name, None, "", f"a file of {size} bytes",
                               f"{expected} of at most {max_bytes} bytes")
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return Problem(name, None, "", "no such file", expected)
    except IsADirectoryError:
        return Problem(name, None, "", "a folder", expected)
    except UnicodeDecodeError as error:
        line = Path(path).read_bytes()[: error.start].count(b"\n") + 1
        return Problem(name, line, "", f"bytes that are not UTF-8 ({error.reason} at "
                             f"byte {error.start})", f"{expected} in UTF-8")
    except OSError as error:
        return Problem(name, None, "", f"an unreadable file ({error.strerror})", expected)
    except ValueError:  # a NUL byte in the name
        return Problem(name, None, "", "a file name with a NUL byte", expected)


def _copy_atomically(source: Path, destination: Path) -> None:
    """Copy ``source`` to ``destination`` through a temporary file, so that a failure (a full
    disk) leaves no truncated copy."""
    handle, temporary = tempfile.mkstemp(dir=destination.parent,
                                         prefix=f".{destination.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream, source.open("rb") as original:
            shutil.copyfileobj(original, stream)
            stream.flush()
            os.fsync(stream.fileno())
        shutil.copystat(source, temporary)
        os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: str | Path, data: bytes, *, backup: bool = True) -> Path | None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    When ``path`` exists and ``backup`` is true, it is first copied to ``path + '.bak'`` (or
    ``.bak1``, ``.bak2``... if that exists). Returns the backup's path, if one was made.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    saved = None
    if backup and path.exists():
        saved = path.with_name(path.name + ".bak")
        number = 1
        while saved.exists():
            saved = path.with_name(f"{path.name}.bak{number}")
            number += 1
        _copy_atomically(path, saved)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file private (0600); give it the old file's mode, or the usual
        # mode for a new file under the user's umask.
        if path.exists():
            mode = path.stat().st_mode & 0o7777
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(temporary, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return saved


def atomic_write_text(path: str | Path, text: str, *, backup: bool = True) -> Path | None:
    """:func:`atomic_write_bytes` for UTF-8 text."""
    return atomic_write_bytes(path, text.encode("utf-8"), backup=backup)
