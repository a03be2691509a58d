"""Raw event files -> the event store (Parquet by year), once, streaming, with a quarantine.

One DuckDB ``COPY (SELECT ... FROM read_csv(...)) TO ... (PARTITION_BY (year))`` per raw file:
DuckDB parses the file in parallel and streams it to Parquet, so memory stays bounded whatever
the file's size. The columns multilat uses are typed *in the reader* (ids, dates, counts,
scores); a row that does not fit its layout (too few or too many fields, a value that does not
parse, bytes that are not UTF-8) is rejected by the reader and recorded with its line number and
text (DuckDB's ``store_rejects``). Rows that parse but lack what an event needs (an id, a date, a
CAMEO code of 2-4 digits, a quad class of 1-4) go to a separate partition. Both end up in the
file's quarantine CSV, counted; none is dropped silently.

A raw file is known by the SHA-256 of its bytes: ingesting it again changes nothing. The hash is
computed while DuckDB reads (a quick fingerprint of size, head and tail finds candidates first).
"""

from __future__ import annotations

import concurrent.futures
import glob
import hashlib
import os
import shutil
import time
import uuid
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import DataSourceError
from ._deps import require
from .formats import Detected, detect_format
from .store import EventStore, StoredFile

__all__ = ["FileReport", "IngestResult", "expand_paths", "ingest"]

_TYPED = {"GLOBALEVENTID": "BIGINT", "SQLDATE": "DATE", "QuadClass": "TINYINT",
          "GoldsteinScale": "DOUBLE", "NumMentions": "INTEGER", "NumSources": "INTEGER",
          "NumArticles": "INTEGER", "AvgTone": "DOUBLE",
          "Event ID": "BIGINT", "Event Date": "DATE", "Intensity": "DOUBLE"}
_DATE_FORMAT = {"gdelt1": "%Y%m%d", "gdelt2": "%Y%m%d", "icews": "%Y-%m-%d"}
_SAMPLE = 5
_CHUNK = 1 << 22

#: ``progress(description, fraction_done)``; ``fraction_done`` is None when unknown.
Progress = Callable[[str, float | None], None]


@dataclass(frozen=True)
class FileReport:
    """What happened to one raw file."""

    path: str
    sha256: str
    source: str
    status: str                      # "ingested" or "already in the store"
    rows_ingested: int
    rows_quarantined: int
    quarantine_path: str | None
    sample: tuple[dict[str, Any], ...] = ()
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "sha256": self.sha256, "source": self.source,
                "status": self.status, "rows_ingested": self.rows_ingested,
                "rows_quarantined": self.rows_quarantined,
                "quarantine_path": self.quarantine_path, "quarantine_sample": list(self.sample),
                "seconds": round(self.seconds, 3)}


@dataclass(frozen=True)
class IngestResult:
    """The outcome of :func:`ingest` (counts are for this run's new files)."""

    store: str
    files: tuple[FileReport, ...]
    store_rows: int
    years: tuple[int, ...] = field(default=())

    @property
    def rows_ingested(self) -> int:
        return sum(f.rows_ingested for f in self.files if f.status == "ingested")

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files if f.status == "ingested")

    @property
    def quarantine_path(self) -> str:
        """The store's quarantine directory (one CSV per raw file with rejected rows)."""
        return str(Path(self.store) / "quarantine")

    def to_dict(self) -> dict[str, Any]:
        return {"store": self.store, "rows_ingested": self.rows_ingested,
                "rows_quarantined": self.rows_quarantined,
                "quarantine_path": self.quarantine_path,
                "files_ingested": sum(f.status == "ingested" for f in self.files),
                "files_skipped": sum(f.status != "ingested" for f in self.files),
                "store_rows": self.store_rows, "years": list(self.years),
                "files": [f.to_dict() for f in self.files]}


def expand_paths(patterns: Sequence[str | Path]) -> list[Path]:
    """Files named by ``patterns`` (globs allowed), each once, in the order given."""
    paths: list[Path] = []
    for pattern in patterns:
        text = str(pattern)
        if glob.has_magic(text):
            matches = sorted(Path(p) for p in glob.glob(text, recursive=True))
            matches = [p for p in matches if p.is_file()]
            if not matches:
                raise DataSourceError(text, "no file matching the pattern",
                                      "at least one event file")
        else:
            path = Path(text)
            if not path.is_file():
                found = "a directory" if path.is_dir() else "no such file"
                raise DataSourceError(text, found, "an event file (.csv, .tsv, .txt, .zip, .gz)")
            matches = [path]
        for path in matches:
            if path not in paths:
                paths.append(path)
    return paths


def _fingerprint(path: Path, size: int) -> str:
    digest = hashlib.sha256(str(size).encode())
    with path.open("rb") as handle:
        digest.update(handle.read(1 << 20))
        if size > 2 << 20:
            handle.seek(size - (1 << 20))
            digest.update(handle.read(1 << 20))
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _read_csv_sql(path: Path, detected: Detected) -> str:
    columns = ", ".join(
        f"'{name.replace(chr(39), chr(39) * 2)}': '{_TYPED.get(name, 'VARCHAR')}'"
        for name in detected.format.columns)
    nulls = ", ".join(f"'{s}'" for s in detected.null_strings)
    quote = detected.quote.replace("'", "''")
    location = str(path).replace("'", "''")
    return (f"read_csv('{location}', delim='{detected.delimiter}', quote='{quote}', "
            f"escape='{quote}', header={str(detected.header).lower()}, "
            f"columns={{{columns}}}, nullstr=[{nulls}], auto_detect=false, "
            f"dateformat='{_DATE_FORMAT[detected.format.name]}', store_rejects=true, "
            "strict_mode=true, max_line_size=4194304)")


def _valid_sql() -> str:
    return ("event_id IS NOT NULL AND event_date IS NOT NULL AND event_code IS NOT NULL AND "
            "length(event_code) BETWEEN 2 AND 4 AND TRY_CAST(event_code AS INTEGER) IS NOT NULL "
            "AND event_code NOT LIKE '%-%' AND event_code NOT LIKE '%+%' "
            "AND (quad_class IS NULL OR quad_class BETWEEN 1 AND 4)")


def _problem_sql() -> str:
    """Why a row that parsed is not an event (for the quarantine)."""
    return ("concat_ws('; ', "
            "CASE WHEN event_id IS NULL THEN 'event id: found nothing; expected an integer' END, "
            "CASE WHEN event_date IS NULL THEN 'date: found nothing; expected a date' END, "
            "CASE WHEN event_code IS NULL OR length(event_code) NOT BETWEEN 2 AND 4 OR "
            "TRY_CAST(event_code AS INTEGER) IS NULL OR event_code LIKE '%-%' OR "
            "event_code LIKE '%+%' THEN 'event code: found ' || coalesce(event_code, 'nothing') "
            "|| '; expected a CAMEO code of 2 to 4 digits' END, "
            "CASE WHEN quad_class NOT BETWEEN 1 AND 4 THEN 'quad class: found ' || "
            "quad_class || '; expected 1, 2, 3 or 4' END)")


class _Copy:
    """One raw file's COPY into a staging directory, run on its own DuckDB connection."""

    def __init__(self, path: Path, detected: Detected, stage: Path,
                 threads: int | None, memory_limit: str | None) -> None:
        duckdb = require("duckdb", "Ingesting event files")
        self.path, self.detected, self.stage = path, detected, stage
        self.con = duckdb.connect(config={"preserve_insertion_order": False})
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if memory_limit:
            self.con.execute("SET memory_limit = ?", [memory_limit])
        self.con.execute("SET temp_directory = ?", [str(stage / "tmp")])
        if detected.format.name == "icews":
            names = resources.files("multilat.events").joinpath("tables/country_names.csv")
            with resources.as_file(names) as location:
                self.con.execute("CREATE TABLE country_names AS SELECT * FROM read_csv(?, "
                                 "header=true, columns={'name': 'VARCHAR', 'iso3': 'VARCHAR'})",
                                 [str(location)])

    def run(self) -> int:
        select = self.detected.format.select_sql(_read_csv_sql(self.path, self.detected))
        out = str(self.stage / "parts").replace("'", "''")
        sql = (f"COPY (SELECT * REPLACE (CASE WHEN {_valid_sql()} THEN year END AS year) "
               f"FROM ({select})) TO '{out}' (FORMAT parquet, PARTITION_BY (year), "
               "WRITE_PARTITION_COLUMNS true)")
        row = self.con.execute(sql).fetchone()
        return int(row[0]) if row else 0

    def progress(self) -> float | None:
        try:
            value = float(self.con.query_progress())
        except Exception:  # noqa: BLE001 - progress is best effort, never fatal
            return None
        return value / 100.0 if value >= 0 else None

    def quarantine(self, target: Path, label: str) -> tuple[int, tuple[dict[str, Any], ...]]:
        """Write the rejected and invalid rows to ``target`` (CSV); their count and a sample."""
        bad = self.stage / "parts" / "year=__HIVE_DEFAULT_PARTITION__"
        invalid = (f"SELECT NULL::BIGINT AS line, {_problem_sql()} AS problem, "
                   "concat_ws(' | ', 'event_id=' || coalesce(event_id::VARCHAR, ''), "
                   "'date=' || coalesce(event_date::VARCHAR, ''), "
                   "'code=' || coalesce(event_code, ''), "
                   "'source=' || coalesce(source_actor, ''), "
                   "'target=' || coalesce(target_actor, '')) AS raw "
                   f"FROM read_parquet('{bad}/*.parquet')") if bad.is_dir() else None
        # DuckDB records a line with missing columns once per missing column, each saying a
        # different "Found: n": the smallest n is the line's real width.
        rejected = ("SELECT line, concat_ws('; ', min(error_message) FILTER "
                    "(WHERE error_type = 'MISSING COLUMNS'), string_agg(DISTINCT error_message, "
                    "'; ') FILTER (WHERE error_type <> 'MISSING COLUMNS')) AS problem, "
                    "first(csv_line) AS raw FROM reject_errors GROUP BY line")
        query = rejected if invalid is None else f"{rejected} UNION ALL {invalid}"
        label_sql = label.replace("'", "''")
        self.con.execute(f"CREATE TEMP TABLE quarantined AS SELECT '{label_sql}' AS file, line, "
                         f"problem, raw FROM ({query}) ORDER BY line NULLS LAST, raw")
        count_row = self.con.execute("SELECT count(*) FROM quarantined").fetchone()
        count = int(count_row[0]) if count_row else 0
        if count:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}")
            where = str(temporary).replace("'", "''")
            self.con.execute(f"COPY quarantined TO '{where}' (HEADER true)")
            os.replace(temporary, target)
        sample = self.con.execute(f"SELECT line, problem, raw FROM quarantined LIMIT {_SAMPLE}")
        rows = tuple({"line": line, "problem": problem, "raw": raw}
                     for line, problem, raw in sample.fetchall())
        if bad.is_dir():
            shutil.rmtree(bad)
        return count, rows

    def close(self) -> None:
        self.con.close()


def _unzip(path: Path, stage: Path) -> Path:
    with zipfile.ZipFile(path) as archive:
        member = next(m for m in archive.infolist() if not m.is_dir())
        target = stage / "raw" / Path(member.filename).name
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(member) as source, target.open("wb") as sink:
            shutil.copyfileobj(source, sink, _CHUNK)
    return target


def _ingest_one(store: EventStore, path: Path, source: str | None, threads: int | None,
                memory_limit: str | None, progress: Progress | None) -> FileReport:
    started = time.perf_counter()
    size = path.stat().st_size
    fingerprint = _fingerprint(path, size)
    candidates = store.find(size, fingerprint)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        digest = pool.submit(_sha256, path)
        if candidates:
            sha = digest.result()
            known = store.files.get(sha)
            if known is not None:
                return FileReport(str(path), sha, known.source, "already in the store", 0, 0,
                                  str(store.root / known.quarantine) if known.quarantine
                                  else None, seconds=time.perf_counter() - started)
        detected = detect_format(path, source)
        stage = store.root / f".stage-{uuid.uuid4().hex}"
        (stage / "tmp").mkdir(parents=True)
        try:
            readable = _unzip(path, stage) if path.name.lower().endswith(".zip") else path
            copy = _Copy(readable, detected, stage, threads, memory_limit)
            try:
                with concurrent.futures.ThreadPoolExecutor(max_workers=1) as runner:
                    job = runner.submit(copy.run)
                    while True:
                        try:
                            total = job.result(timeout=0.2)
                            break
                        except concurrent.futures.TimeoutError:
                            if progress is not None:
                                progress(f"ingesting {path.name}", copy.progress())
                sha = digest.result()
                if sha in store.files:      # same bytes under another name, in this run
                    known = store.files[sha]
                    return FileReport(str(path), sha, known.source, "already in the store", 0,
                                      0, None, seconds=time.perf_counter() - started)
                tag = sha[:16]
                quarantine = store.root / "quarantine" / f"{tag}.csv"
                quarantined, sample = copy.quarantine(quarantine, str(path))
            finally:
                copy.close()
            invalid = total - _rows_in(stage / "parts")
            parts = _move_parts(stage / "parts", store.root, tag)
            stored = StoredFile(sha256=sha, name=path.name, size=size, fingerprint=fingerprint,
                                source=detected.format.name, rows=total - invalid,
                                quarantined=quarantined, parts=tuple(parts),
                                quarantine=f"quarantine/{tag}.csv" if quarantined else None)
            store.files[sha] = stored
            store.save()
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    return FileReport(str(path), sha, detected.format.name, "ingested", stored.rows,
                      quarantined, str(quarantine) if quarantined else None, sample,
                      time.perf_counter() - started)


def _rows_in(parts: Path) -> int:
    """Rows in the staged Parquet files (from their footers)."""
    pq = require("pyarrow.parquet", "Ingesting event files")
    return sum(pq.ParquetFile(p).metadata.num_rows for p in parts.glob("year=*/*.parquet"))


def _move_parts(parts: Path, root: Path, tag: str) -> list[str]:
    moved = []
    for directory in sorted(parts.glob("year=*")):
        for index, file in enumerate(sorted(directory.glob("*.parquet"))):
            relative = f"events/{directory.name}/{tag}-{index}.parquet"
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            os.replace(file, root / relative)
            moved.append(relative)
    return moved


def ingest(paths: Sequence[str | Path], store: str | Path, *, source: str | None = None,
           threads: int | None = None, memory_limit: str | None = None,
           progress: Progress | None = None) -> IngestResult:
    """Add raw event files to the store at ``store`` (created if new); see the module docs.

    ``paths`` may hold glob patterns. ``source`` (``gdelt1``, ``gdelt2``, ``icews``) checks each
    file's layout instead of detecting it. ``threads`` and ``memory_limit`` (e.g. ``"2GB"``)
    are passed to DuckDB. ``progress`` is called with a description and the fraction done.
    """
    files = expand_paths(paths)
    event_store = EventStore.open(store, create=True)
    reports = []
    with event_store.writing():
        for path in files:
            reports.append(_ingest_one(event_store, path, source, threads, memory_limit,
                                       progress))
    years = sorted({int(part.split("year=")[1].split("/")[0])
                    for f in event_store.files.values() for part in f.parts})
    return IngestResult(str(event_store.root), tuple(reports), event_store.rows, tuple(years))
