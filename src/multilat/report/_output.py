"""Write a report directory atomically: build beside the target, then swap by renames."""

from __future__ import annotations

import ctypes
import errno
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from ..errors import InputError

__all__ = ["MARKER", "is_report", "recover", "write_directory"]

MARKER = ".multilat-report"


def _listed(directory: Path) -> set[str] | None:
    """The files the marker of ``directory`` lists, or None without a readable marker."""
    marker = directory / MARKER
    if not marker.is_file():
        return None
    try:
        return set(json.loads(marker.read_text(encoding="utf-8")).get("files", []))
    except (ValueError, AttributeError, UnicodeDecodeError):
        return None


def _unlisted(directory: Path) -> list[str]:
    """Files in a previous report that its marker does not list (a user's additions)."""
    listed = _listed(directory)
    if listed is None:
        return []
    return sorted(p.relative_to(directory).as_posix() for p in directory.rglob("*")
                  if p.is_file() and p.name != MARKER
                  and p.relative_to(directory).as_posix() not in listed)


def is_report(directory: Path) -> bool:
    """Whether ``directory`` holds only a report multilat wrote.

    It must have the marker file, and every file in it must be one the marker lists: a file a
    user added to a previous report makes the directory theirs again.
    """
    return _listed(directory) is not None and not _unlisted(directory)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two directories in one atomic step (Linux renameat2 RENAME_EXCHANGE); False when
    the system cannot, so the caller falls back on two renames."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second),
                       rename_exchange)
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP if hasattr(errno, "ENOTSUP")
                 else errno.EINVAL):
        return False
    raise OSError(error, os.strerror(error), str(second))


def _ours(path: Path, target: Path, kind: str) -> bool:
    """A folder this writer made beside ``target`` (``.NAME.new-XXXXXXXX``)."""
    return path.is_dir() and not path.is_symlink() and re.fullmatch(
        re.escape(f".{target.name}.{kind}-") + r"[A-Za-z0-9_]{8}", path.name) is not None


def recover(target: Path) -> None:
    """Undo what a killed write left beside ``target``: a previous report stranded as
    ``.NAME.old-*`` while ``target`` is missing is put back; every other leftover
    ``.NAME.new-*`` / ``.NAME.old-*`` folder of this writer is removed."""
    if not target.parent.is_dir():
        return
    leftovers = sorted(target.parent.iterdir(), key=lambda p: p.stat().st_mtime
                       if p.exists() else 0)
    olds = [p for p in leftovers if _ours(p, target, "old")]
    news = [p for p in leftovers if _ours(p, target, "new")]
    if not target.exists() and olds and _listed(olds[-1]) is not None:
        os.rename(olds.pop(), target)
    for path in [*olds, *news]:
        shutil.rmtree(path, ignore_errors=True)


def _backup_name(target: Path) -> Path:
    candidate = target.with_name(target.name + ".bak")
    number = 1
    while candidate.exists():
        candidate = target.with_name(f"{target.name}.bak{number}")
        number += 1
    return candidate


def write_directory(target: Path, files: Mapping[str, bytes], marker: Mapping[str, object],
                    *, force: bool = False) -> Path | None:
    """Write ``files`` (relative path -> bytes) as the directory ``target``, all or nothing.

    The files are written into a temporary directory next to ``target``, which then takes
    ``target``'s place by a rename. A previous report in ``target`` is swapped out by a rename
    and removed only after the new one is in place. A non-empty directory that is not a
    previous report is refused unless ``force``; with ``force`` it is kept as a backup
    (``target.bak``, ``target.bak1``...), whose path is returned.

    Raises
    ------
    InputError
        When ``target`` is a file, or a non-empty directory that is not a report (without
        ``force``).
    """
    target = Path(os.path.abspath(target))
    if target.is_symlink():
        raise InputError(f"{target}: found a symbolic link; expected a directory path "
                         "(reports are not written through links: give the link's target)")
    if target.exists() and not target.is_dir():
        raise InputError(f"{target}: found a file; expected a directory for the report")
    try:
        return _write(target, files, marker, force)
    except OSError as error:
        # Name the user's folder, never the temporary one beside it.
        raise OSError(error.errno, error.strerror or str(error), str(target)) from None


def _write(target: Path, files: Mapping[str, bytes], marker: Mapping[str, object],
           force: bool) -> Path | None:
    recover(target)
    foreign = target.is_dir() and any(target.iterdir()) and not is_report(target)
    if foreign and not force:
        extra = _unlisted(target)
        found = (f"a previous report with files multilat did not write ({', '.join(extra)})"
                 if extra else "a non-empty directory that is not a multilat report")
        raise InputError(f"{target}: found {found}; expected an empty or new directory, or a "
                         "previous report (or force=True: the directory is then kept as a "
                         "backup)")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.new-"))
    try:
        for relative, data in sorted(files.items()):
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        listing = {**marker, "files": sorted(files)}
        (staging / MARKER).write_text(json.dumps(listing, indent=2, sort_keys=True) + "\n",
                                      encoding="utf-8")
        staging.chmod(0o755)
        if not target.exists() or not any(target.iterdir()):
            os.replace(staging, target)
            return None
        old = _backup_name(target) if foreign else Path(
            tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old-"))
        if not foreign:
            old.rmdir()
            if _exchange(staging, target):  # one atomic step: target is old or new, never gone
                shutil.rmtree(staging, ignore_errors=True)
                return None
        os.rename(target, old)
        try:
            os.rename(staging, target)
        except BaseException:
            os.rename(old, target)
            raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if foreign:
        return old
    shutil.rmtree(old, ignore_errors=True)
    return None
