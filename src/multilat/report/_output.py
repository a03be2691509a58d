"""Write a report directory atomically: build beside the target, then swap by renames."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from ..errors import InputError

__all__ = ["MARKER", "is_report", "write_directory"]

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
    if target.exists() and not target.is_dir():
        raise InputError(f"{target}: found a file; expected a directory for the report")
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
