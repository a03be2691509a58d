"""Atomic writes and their backups: never half-written, errors name the user's path."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

import pytest

from multilat import _files
from multilat._files import atomic_write_bytes, atomic_write_text


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_write_backs_up_and_replaces(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    assert atomic_write_text(path, "one\n") is None
    os.chmod(path, 0o640)
    saved = atomic_write_text(path, "two\n")
    assert saved == tmp_path / "case.yaml.bak" and saved.read_text() == "one\n"
    assert atomic_write_text(path, "three\n") == tmp_path / "case.yaml.bak1"
    assert path.read_text() == "three\n" and path.stat().st_mode & 0o777 == 0o640
    assert saved.stat().st_mode & 0o777 == 0o640
    assert _names(tmp_path) == ["case.yaml", "case.yaml.bak", "case.yaml.bak1"]


def _full_disk_midway(monkeypatch: pytest.MonkeyPatch) -> None:
    """The backup's copy writes half of the file, then the disk is full."""

    def copy(source: BinaryIO, target: BinaryIO) -> None:
        data = source.read()
        target.write(data[: len(data) // 2])
        target.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(shutil, "copyfileobj", copy)


def test_a_full_disk_leaves_no_truncated_backup(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "case.yaml"
    path.write_text("first version\n" * 100)
    atomic_write_text(path, "second version\n" * 100)          # case.yaml.bak: the first
    _full_disk_midway(monkeypatch)
    with pytest.raises(OSError) as caught:
        atomic_write_text(path, "third version\n")
    assert caught.value.errno == errno.ENOSPC
    assert caught.value.filename == str(tmp_path / "case.yaml.bak1")  # the user's names only
    assert ".tmp" not in str(caught.value)
    # the old backup and the file are untouched, and no partial backup or temporary is left
    assert _names(tmp_path) == ["case.yaml", "case.yaml.bak"]
    assert (tmp_path / "case.yaml.bak").read_text() == "first version\n" * 100
    assert path.read_text() == "second version\n" * 100
    monkeypatch.undo()
    assert atomic_write_text(path, "third version\n") == tmp_path / "case.yaml.bak1"
    assert (tmp_path / "case.yaml.bak1").read_text() == "second version\n" * 100


def test_a_full_disk_while_writing_names_the_users_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "table.csv"
    path.write_bytes(b"old")
    real_fsync = os.fsync

    def full(descriptor: int) -> None:
        if os.readlink(f"/proc/self/fd/{descriptor}").endswith(".tmp"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(descriptor)

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc")
    monkeypatch.setattr(_files.os, "fsync", full)
    with pytest.raises(OSError) as caught:
        atomic_write_bytes(path, b"new", backup=False)
    assert caught.value.filename == str(path) and caught.value.filename2 is None
    assert ".tmp" not in str(caught.value)
    assert path.read_bytes() == b"old" and _names(tmp_path) == ["table.csv"]


@pytest.mark.parametrize("failing", ["mkstemp", "replace"])
def test_errors_never_name_the_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              failing: str) -> None:
    path = tmp_path / "layer.yaml"
    if failing == "replace":
        path.mkdir()                      # a folder where the file should go
        with pytest.raises(IsADirectoryError) as caught:
            atomic_write_text(path, "x", backup=False)
    else:
        def refuse(*args: object, **kwargs: object) -> None:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES),
                                  str(tmp_path / ".layer.yaml.abc.tmp"))

        monkeypatch.setattr(tempfile, "mkstemp", refuse)
        with pytest.raises(PermissionError) as caught:
            atomic_write_text(path, "x")
    assert caught.value.filename == str(path)
    assert ".tmp" not in str(caught.value)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_an_unchanged_error_is_kept() -> None:
    error = FileNotFoundError(errno.ENOENT, "No such file or directory", "/x/case.yaml")
    assert _files.user_error(error, "/x/case.yaml") is error
    renamed = _files.user_error(OSError("disk full"), "/x/case.yaml")
    assert renamed.filename == "/x/case.yaml" and "disk full" in str(renamed)


def test_the_backup_keeps_the_files_times(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text("one")
    os.utime(path, (1_000_000_000, 1_000_000_000))
    saved = atomic_write_text(path, "two")
    assert saved is not None and saved.stat().st_mtime == 1_000_000_000
