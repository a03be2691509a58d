"""Write a report directory atomically: build beside the target, then swap by renames; recover
from a killed write at the next one."""

from __future__ import annotations

import contextlib
import fcntl
import glob
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from .._files import user_error
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


def _backup_name(target: Path) -> Path:
    candidate = target.with_name(target.name + ".bak")
    number = 1
    while candidate.exists():
        candidate = target.with_name(f"{target.name}.bak{number}")
        number += 1
    return candidate


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (the report's parent): one report write, with its
    recovery, at a time there, so that one never removes another's temporary directory."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _temporaries(target: Path, kind: str) -> list[Path]:
    """The ``.DIR.new-*`` or ``.DIR.old-*`` directories beside ``target`` (never a link)."""
    return sorted((p for p in target.parent.glob(f".{glob.escape(target.name)}.{kind}-*")
                   if p.is_dir() and not p.is_symlink()),
                  key=lambda p: (p.stat().st_mtime_ns, p.name))


def _complete(directory: Path) -> bool:
    """Whether every file the marker of ``directory`` lists is there."""
    listed = _listed(directory)
    return listed is not None and all((directory / name).is_file() for name in listed)


def _remove(directory: Path) -> None:
    """Remove a temporary directory of multilat's, its marker last: a removal killed midway
    leaves a directory :func:`recover` still knows as multilat's (or an empty one)."""
    for child in directory.iterdir():
        if child.name == MARKER:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
    (directory / MARKER).unlink(missing_ok=True)
    directory.rmdir()


def recover(target: Path) -> None:
    """Undo what a killed write of the report ``target`` left behind.

    When ``target`` is missing and a complete previous report waits in ``.DIR.old-*`` (a kill
    between the two renames of the swap), it is moved back. Then every ``.DIR.new-*`` and
    ``.DIR.old-*`` directory that carries the marker, or is empty, is removed; any other is
    left alone.
    """
    if not target.exists() and not target.is_symlink():
        stranded = [p for p in _temporaries(target, "old") if _complete(p)]
        if stranded:
            os.rename(stranded[-1], target)          # the latest, if ever there are several
    for directory in _temporaries(target, "new") + _temporaries(target, "old"):
        with contextlib.suppress(OSError):
            if (directory / MARKER).is_file():
                _remove(directory)
            else:
                directory.rmdir()                    # only if empty: nothing of anyone's lost


def _followed(target: Path) -> Path:
    """The directory to write for ``target``: itself, or where it links to when that is a
    previous report (recovered first if a kill left it missing)."""
    if not target.is_symlink():
        return target
    real = Path(os.path.realpath(target))
    if real.parent.is_dir():
        with _locked(real.parent):
            recover(real)
    if real.is_dir() and not real.is_symlink() and is_report(real):
        return real
    found = ("a link to nothing" if not real.exists() and not real.is_symlink()
             else "a link to a file" if not real.is_dir()
             else "a link to a directory that is not a multilat report")
    raise InputError(f"{target}: found {found} ({real}); expected a new directory, or a "
                     "previous report or a link to one (a link is never replaced, force=True "
                     "or not)")


def write_directory(target: Path, files: Mapping[str, bytes], marker: Mapping[str, object],
                    *, force: bool = False) -> Path | None:
    """Write ``files`` (relative path -> bytes) as the directory ``target``, all or nothing.

    The files are written into a temporary directory next to ``target`` (``.DIR.new-*``, the
    marker first), which then takes ``target``'s place by a rename. A previous report in
    ``target`` is swapped out by a rename (to ``.DIR.old-*``) and removed only after the new one
    is in place. A non-empty directory that is not a previous report is refused unless
    ``force``; with ``force`` it is kept as a backup (``target.bak``, ``target.bak1``...), whose
    path is returned. Every write first recovers from a killed one (:func:`recover`). A
    ``target`` that is a symbolic link is followed when it links to a previous report, and
    refused otherwise.

    Raises
    ------
    InputError
        When ``target`` is a file, a link to anything but a previous report, or a non-empty
        directory that is not a report (without ``force``).
    OSError
        Naming ``target`` (or a file in it), never a temporary directory.
    """
    given = Path(os.path.abspath(target))
    target = _followed(given)
    if target.exists() and not target.is_dir():
        raise InputError(f"{given}: found a file; expected a directory for the report")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _locked(target.parent):
            recover(target)
            return _write(target, files, marker, force=force, given=given)
    except OSError as error:
        raise _named(error, given, target) from None


def _named(error: OSError, given: Path, target: Path) -> OSError:
    """``error`` naming the user's paths: a temporary directory (or a file in it) is named as
    ``given`` (or that file in ``given``)."""
    temporary = re.compile(rf"{re.escape(str(target.parent))}/"
                           rf"\.{re.escape(target.name)}\.(?:new|old)-[^/]*")

    def user(name: object) -> str | None:
        if name is None:
            return None
        text = os.fsdecode(name) if isinstance(name, str | bytes) else str(name)
        text = temporary.sub(lambda _: str(target), text, count=1)
        inside = text == str(target) or text.startswith(str(target) + os.sep)
        return str(given) + text[len(str(target)):] if inside else text

    first, second = user(error.filename), user(error.filename2)
    if first == second or first is None:
        first, second = first or second or str(given), None
    if (first, second) == (error.filename, error.filename2):
        return error
    if second is None:
        return user_error(error, first)
    return OSError(error.errno, error.strerror or str(error), first, None, second)


def _write(target: Path, files: Mapping[str, bytes], marker: Mapping[str, object], *,
           force: bool, given: Path) -> Path | None:
    foreign = target.is_dir() and any(target.iterdir()) and not is_report(target)
    if foreign and not force:
        extra = _unlisted(target)
        found = (f"a previous report with files multilat did not write ({', '.join(extra)})"
                 if extra else "a non-empty directory that is not a multilat report")
        raise InputError(f"{given}: found {found}; expected an empty or new directory, or a "
                         "previous report (or force=True: the directory is then kept as a "
                         "backup)")
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.new-"))
    try:
        # The marker first: a write killed at any later moment leaves a directory recover()
        # knows as multilat's own.
        listing = {**marker, "files": sorted(files)}
        (staging / MARKER).write_text(json.dumps(listing, indent=2, sort_keys=True) + "\n",
                                      encoding="utf-8")
        for relative, data in sorted(files.items()):
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
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
    with contextlib.suppress(OSError):
        _remove(old)
    return None
