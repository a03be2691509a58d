"""multilat's event store: Parquet files partitioned by year, and one entry per raw file.

Layout of a store directory::

    STORE/store.json                       marks the directory as a store (format, version)
    STORE/files/<sha256>.json              one entry per raw file: name, size, layout, rows,
                                           event-id range, quarantine, its Parquet parts
    STORE/events/file=<hash16>/year=YYYY/data_<n>.parquet
                                           the raw file's events, partitioned by the event
                                           date's year (Hive-style: Spark, DuckDB and pandas
                                           read ``STORE/events`` as one partitioned dataset)
    STORE/quarantine/<hash16>.csv          the raw file's rows that could not be read
    STORE/.lock                            held while an ingest writes

A raw file enters the store in two steps: its entry is written (atomically), then its
directory, fully written in a staging directory beside, is moved under ``events/`` by ONE
rename. A reader of ``STORE/events`` therefore sees all of a file's rows or none of them, never
a partial partition. An entry whose directory is missing (an ingest stopped between the two
steps) is ignored, and removed when the store is next opened for writing, with any directory or
quarantine file no entry lists and any staging directory.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .._files import atomic_write_text
from ..errors import DataSourceError

__all__ = ["EventStore", "StoredFile"]

_FORMAT = "multilat-event-store"
_VERSION = 2


@dataclass(frozen=True)
class StoredFile:
    """One raw file in the store."""

    sha256: str
    name: str
    size: int
    fingerprint: str
    source: str
    rows: int
    quarantined: int
    duplicates: int
    min_event_id: int | None
    max_event_id: int | None
    parts: tuple[str, ...]
    quarantine: str | None

    @property
    def tag(self) -> str:
        return self.sha256[:16]

    @property
    def directory(self) -> str:
        return f"events/file={self.tag}"

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["parts"] = list(self.parts)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StoredFile:
        values = {f.name: data[f.name] for f in fields(cls)}
        values["parts"] = tuple(values["parts"])
        return cls(**values)


class EventStore:
    """A store directory (see the module's docstring)."""

    def __init__(self, root: Path, files: dict[str, StoredFile]) -> None:
        self.root = root
        self.files = files

    @classmethod
    def is_store(cls, path: Path) -> bool:
        return (path / "store.json").is_file()

    @classmethod
    def open(cls, root: Path | str, *, create: bool = False) -> EventStore:
        """Read a store (``create``: make an empty store when the directory is new or empty)."""
        root = Path(root)
        marker = root / "store.json"
        if not marker.is_file():
            if create and (not root.exists() or (root.is_dir() and not any(root.iterdir()))):
                root.mkdir(parents=True, exist_ok=True)
                header = {"format": _FORMAT, "version": _VERSION}
                atomic_write_text(marker, json.dumps(header) + "\n", backup=False)
                return cls(root, {})
            found = ("a non-empty directory without store.json" if root.is_dir() else
                     "a file" if root.exists() else "nothing")
            raise DataSourceError(str(root), found,
                                  "an event store made by `multilat events ingest` "
                                  "(or a new or empty directory)")
        header = _read_json(marker)
        if not isinstance(header, dict) or header.get("format") != _FORMAT:
            raise DataSourceError(str(marker), "another kind of file",
                                  f"a store marker with format {_FORMAT!r}")
        if header.get("version") != _VERSION:
            raise DataSourceError(str(marker), f"version {header.get('version')!r}",
                                  f"version {_VERSION} (made by another multilat version?)")
        files = {}
        for entry_path in sorted((root / "files").glob("*.json")):
            try:
                stored = StoredFile.from_dict(_read_json(entry_path))
            except (KeyError, TypeError) as error:
                raise DataSourceError(str(entry_path), f"an entry without {error}",
                                      "a store entry written by `multilat events ingest`"
                                      ) from None
            if (root / stored.directory).is_dir():
                files[stored.sha256] = stored
        return cls(root, files)

    def write_entry(self, stored: StoredFile) -> None:
        atomic_write_text(self.root / "files" / f"{stored.sha256}.json",
                          json.dumps(stored.to_dict(), indent=1) + "\n", backup=False)

    def remove_entry(self, sha256: str) -> None:
        (self.root / "files" / f"{sha256}.json").unlink(missing_ok=True)

    @contextlib.contextmanager
    def writing(self) -> Iterator[EventStore]:
        """Hold the store's lock, and remove what an interrupted ingest left behind."""
        with (self.root / ".lock").open("w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise DataSourceError(str(self.root), "another ingest writing this store",
                                      "one ingest at a time") from None
            self.files = EventStore.open(self.root).files
            self._remove_leftovers()
            yield self

    def _remove_leftovers(self) -> None:
        for stage in self.root.glob(".stage-*"):
            shutil.rmtree(stage, ignore_errors=True)
        for entry_path in (self.root / "files").glob("*.json"):
            if entry_path.stem not in self.files:
                entry_path.unlink()
        listed = {self.root / f.directory for f in self.files.values()}
        for directory in self.root.glob("events/file=*"):
            if directory not in listed:
                shutil.rmtree(directory, ignore_errors=True)
        quarantines = {self.root / f.quarantine for f in self.files.values() if f.quarantine}
        for path in self.root.glob("quarantine/*.csv"):
            if path not in quarantines:
                path.unlink()

    def parquet_files(self, years: tuple[int, int] | None = None) -> list[Path]:
        """The store's Parquet files (of ``years`` only, inclusive), in a stable order."""
        paths = []
        for stored in self.files.values():
            for part in stored.parts:
                year = int(part.split("year=")[1].split("/")[0])
                if years is None or years[0] <= year <= years[1]:
                    paths.append(self.root / part)
        return sorted(paths)

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files.values())

    def find(self, size: int, fingerprint: str) -> list[StoredFile]:
        return [f for f in self.files.values()
                if f.size == size and f.fingerprint == fingerprint]

    def overlapping(self, source: str, low: int, high: int) -> list[StoredFile]:
        """Stored files of the same dataset whose event-id range meets [low, high]."""
        return [f for f in self.files.values()
                if f.source == source and f.min_event_id is not None
                and f.max_event_id is not None and f.min_event_id <= high
                and low <= f.max_event_id]


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise DataSourceError(str(path), f"unreadable JSON ({error})",
                              "a file written by `multilat events ingest`") from None
