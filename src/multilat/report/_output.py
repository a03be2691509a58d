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


def is_report(directory: Path) -> bool:
    """Whether ``directory`` holds a report multilat wrote (it has the marker file)."""
    return (directory / MARKER).is_file()


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
        raise InputError(f"{target}: found a non-empty directory that is not a multilat "
                         "report; expected an empty or new directory (or pass --force: the "
                         "directory is then kept as a backup)")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.new-"))
    try:
        for relative, data in sorted(files.items()):
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        (staging / MARKER).write_text(json.dumps(marker, indent=2, sort_keys=True) + "\n",
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
