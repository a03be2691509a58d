"""Atomic file writing: nothing is ever half-written, and a user's file is backed up first."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from .errors import Problem

__all__ = ["atomic_write_bytes", "atomic_write_text", "is_file", "read_text", "user_error"]


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


def user_error(error: OSError, path: str | Path) -> OSError:
    """``error`` naming ``path`` (the user's) instead of a temporary file's or folder's path.

    The errno, and with it the exception's class (``FileNotFoundError``...), is kept; an error
    without one keeps its message as the reason.
    """
    name = str(path)
    if error.filename == name and error.filename2 is None:
        return error
    return OSError(error.errno, error.strerror or str(error), name)


def _mode_for(path: Path) -> int:
    """The mode of ``path``, or the usual mode of a new file under the user's umask."""
    if path.exists():
        return path.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _replace(path: Path, fill: Callable[[BinaryIO], object], mode: int,
             copy_stat_of: Path | None = None) -> None:
    """Write ``path`` through a temporary file beside it (filled by ``fill``, flushed to disk)
    and one rename: ``path`` is never seen half-written. Errors name ``path``."""
    try:
        import tempfile

        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                             suffix=".tmp")
    except OSError as error:
        raise user_error(error, path) from None
    try:
        # mkstemp makes the file private (0600): give it the mode asked for.
        os.chmod(temporary, mode)
        with os.fdopen(handle, "wb") as stream:
            fill(stream)
            stream.flush()
            os.fsync(stream.fileno())
        if copy_stat_of is not None:
            from shutil import copystat

            copystat(copy_stat_of, temporary)
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise user_error(error, path) from None
        raise


def _backup(path: Path) -> Path:
    """Copy ``path`` to the first free ``path.bak``, ``path.bak1``... atomically: a failure (a
    full disk) leaves no partial backup, and the earlier backups untouched."""
    saved = path.with_name(path.name + ".bak")
    number = 1
    while saved.exists() or saved.is_symlink():
        saved = path.with_name(f"{path.name}.bak{number}")
        number += 1

    def copy(stream: BinaryIO) -> None:
        try:
            with path.open("rb") as source:
                from shutil import copyfileobj

                copyfileobj(source, stream)
        except OSError as error:  # reading the user's file: name it, not the backup
            raise user_error(error, path) from None

    _replace(saved, copy, path.stat().st_mode & 0o7777, copy_stat_of=path)
    return saved


def atomic_write_bytes(path: str | Path, data: bytes, *, backup: bool = True) -> Path | None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    When ``path`` exists and ``backup`` is true, it is first copied to ``path + '.bak'`` (or
    ``.bak1``, ``.bak2``... if that exists), itself through a temporary file and a rename.
    Returns the backup's path, if one was made. An ``OSError`` names ``path`` (or the backup's
    path when the backup failed), never a temporary file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    saved = _backup(path) if backup and path.exists() else None
    _replace(path, lambda stream: stream.write(data), _mode_for(path))
    return saved


def atomic_write_text(path: str | Path, text: str, *, backup: bool = True) -> Path | None:
    """:func:`atomic_write_bytes` for UTF-8 text."""
    return atomic_write_bytes(path, text.encode("utf-8"), backup=backup)
