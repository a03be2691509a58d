"""multilat's event store: Parquet files partitioned by year, and a manifest.

Layout of a store directory::

    STORE/manifest.json                    which raw files are in, by content hash (sha256)
    STORE/events/year=YYYY/<hash16>-<n>.parquet   the events of one raw file in one year
    STORE/quarantine/<hash16>.csv          the rows of that file that could not be read
    STORE/.lock                            held while an ingest writes

Only files the manifest lists are part of the store: an ingest stages its output in a
temporary directory, moves it in, then rewrites the manifest (atomically), so an interrupted
ingest leaves at most files the manifest does not list; they are removed the next time the
store is opened for writing.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._files import atomic_write_text
from ..errors import DataSourceError

__all__ = ["EventStore", "StoredFile"]

_FORMAT = "multilat-event-store"
_VERSION = 1


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
    parts: tuple[str, ...]
    quarantine: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "name": self.name, "size": self.size,
                "fingerprint": self.fingerprint, "source": self.source, "rows": self.rows,
                "quarantined": self.quarantined, "parts": list(self.parts),
                "quarantine": self.quarantine}


class EventStore:
    """A store directory (see the module's docstring)."""

    def __init__(self, root: Path, files: dict[str, StoredFile]) -> None:
        self.root = root
        self.files = files

    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    @classmethod
    def is_store(cls, path: Path) -> bool:
        return (path / "manifest.json").is_file()

    @classmethod
    def open(cls, root: Path | str, *, create: bool = False) -> EventStore:
        """Read a store's manifest (``create``: an empty store when the directory is new)."""
        root = Path(root)
        manifest = root / "manifest.json"
        if not manifest.is_file():
            if create and (not root.exists() or (root.is_dir() and not any(root.iterdir()))):
                root.mkdir(parents=True, exist_ok=True)
                store = cls(root, {})
                store.save()
                return store
            found = "a directory without manifest.json" if root.is_dir() else (
                "a file" if root.exists() else "nothing")
            raise DataSourceError(str(root), found,
                                  "an event store made by `multilat events ingest` "
                                  "(or a new or empty directory)")
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise DataSourceError(str(manifest), f"unreadable JSON ({error})",
                                  "a store manifest") from None
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            raise DataSourceError(str(manifest), "another kind of file",
                                  f"a manifest with format {_FORMAT!r}")
        if data.get("version") != _VERSION:
            raise DataSourceError(str(manifest), f"version {data.get('version')!r}",
                                  f"version {_VERSION} (made by a newer multilat?)")
        files = {}
        for entry in data.get("files", []):
            entry = dict(entry)
            entry["parts"] = tuple(entry["parts"])
            files[entry["sha256"]] = StoredFile(**entry)
        return cls(root, files)

    def save(self) -> None:
        data = {"format": _FORMAT, "version": _VERSION,
                "files": [f.to_dict() for f in sorted(self.files.values(),
                                                      key=lambda f: (f.name, f.sha256))]}
        atomic_write_text(self.manifest_path, json.dumps(data, indent=1) + "\n", backup=False)

    @contextlib.contextmanager
    def writing(self) -> Iterator[EventStore]:
        """Hold the store's lock, and remove what an interrupted ingest left behind."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise DataSourceError(str(self.root), "another ingest writing this store",
                                      "one ingest at a time") from None
            fresh = EventStore.open(self.root)
            self.files = fresh.files
            self._remove_leftovers()
            yield self

    def _remove_leftovers(self) -> None:
        for stage in self.root.glob(".stage-*"):
            shutil.rmtree(stage, ignore_errors=True)
        listed = {self.root / part for f in self.files.values() for part in f.parts}
        listed |= {self.root / f.quarantine for f in self.files.values() if f.quarantine}
        for pattern in ("events/year=*/*.parquet", "quarantine/*.csv"):
            for path in self.root.glob(pattern):
                if path not in listed:
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
