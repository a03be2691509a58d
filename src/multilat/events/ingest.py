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
An *event* is known by its dataset and id: the store keeps one row per event, so an event
given again (the same rows zipped and plain, overlapping extracts, an id repeated in a file) is
counted in ``rows_duplicate`` and not stored twice. Only files whose id range meets that of a
stored file of the same dataset are compared, so the check costs nothing for new data.
"""

from __future__ import annotations

import concurrent.futures
import glob
import gzip
import hashlib
import os
import shutil
import time
import uuid
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .._csv import safe_sql
from .._deps import require
from ..errors import DataSourceError, InputError
from .formats import Detected, detect_format, line_ending_problem
from .store import EventStore, StoredFile

__all__ = ["FileReport", "IngestResult", "expand_paths", "ingest"]

# Columns typed in the reader: a value that does not parse rejects its row (with its line).
# (DuckDB parses only the columns a query uses, so typing others would check nothing.)
_TYPED = {"GLOBALEVENTID": "BIGINT", "SQLDATE": "DATE", "IsRootEvent": "TINYINT",
          "QuadClass": "TINYINT", "GoldsteinScale": "DOUBLE", "NumMentions": "INTEGER",
          "NumSources": "INTEGER", "NumArticles": "INTEGER", "AvgTone": "DOUBLE",
          "DATEADDED": "BIGINT",
          "Event ID": "BIGINT", "Event Date": "DATE", "Intensity": "DOUBLE"}
_DATE_FORMAT = {"gdelt1": "%Y%m%d", "gdelt2": "%Y%m%d", "icews": "%Y-%m-%d"}
_SAMPLE = 5
_CHUNK = 1 << 22
#: Rows DuckDB buffers per year partition and thread before writing them out. It bounds the
#: ingest's memory whatever the file's size (DuckDB's default, 524,288, held ~3.5 GB for a
#: 10M-row file spread over ten years), and a small buffer is also cheaper: a file whose years
#: each hold fewer rows than the buffer is written only when the read ends, all at once, with
#: every partition's rows held meanwhile (122,880 cost the COPY ~10% more CPU at 1M rows over
#: ten years). The writer still joins flushes into row groups of tens of thousands of rows.
_FLUSH_ROWS = 16_384
#: DuckDB's memory for the duplicate-id check (a distinct count over every id of the file,
#: which would otherwise grow with the file: 16 bytes or more per event).
_CHECK_MEMORY = "1GB"

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
    rows_duplicate: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "sha256": self.sha256, "source": self.source,
                "status": self.status, "rows_ingested": self.rows_ingested,
                "rows_quarantined": self.rows_quarantined,
                "quarantine_path": self.quarantine_path, "quarantine_sample": list(self.sample),
                "rows_duplicate": self.rows_duplicate,
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
    def rows_duplicate(self) -> int:
        return sum(f.rows_duplicate for f in self.files if f.status == "ingested")

    @property
    def quarantine_path(self) -> str:
        """The store's quarantine directory (one CSV per raw file with rejected rows)."""
        return str(Path(self.store) / "quarantine")

    def to_dict(self) -> dict[str, Any]:
        return {"store": self.store, "rows_ingested": self.rows_ingested,
                "rows_quarantined": self.rows_quarantined,
                "quarantine_path": self.quarantine_path,
                "rows_duplicate": self.rows_duplicate,
                "files_ingested": sum(f.status == "ingested" for f in self.files),
                "files_skipped": sum(f.status != "ingested" for f in self.files),
                "store_rows": self.store_rows, "years": list(self.years),
                "files": [f.to_dict() for f in self.files]}


def expand_paths(patterns: Sequence[str | Path]) -> list[Path]:
    """Files named by ``patterns`` (globs allowed), each once, in the order given."""
    paths: list[Path] = []
    for pattern in patterns:
        text = str(pattern)
        if glob.has_magic(text) and not Path(text).is_file():
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


def _gzip_problem(path: Path) -> str | None:
    """Why a .gz file is damaged (its CRC or length check fails), or None.

    DuckDB does not check a gzip member's CRC, so a flipped byte would go unnoticed; Python's
    gzip module checks it at the end of the member. Runs beside DuckDB's read.
    """
    try:
        with gzip.open(path, "rb") as handle:
            while handle.read(_CHUNK):
                pass
    except (OSError, EOFError, zlib.error) as error:
        return str(error) or type(error).__name__
    return None


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


_CODE_OK = ("regexp_full_match(coalesce(event_code, ''), '[0-9]{3,4}') AND "
            "left(event_code, 2) BETWEEN '01' AND '20'")
_GOLDSTEIN_OK = ("(goldstein IS NULL OR (isfinite(goldstein) AND goldstein BETWEEN -10 AND 10 "
                 "AND abs(goldstein * 10 - round(goldstein * 10)) < 1e-6))")


#: :data:`_CODE_OK` as two GLOBs (the same ASCII digits; a regular expression costs more on
#: every row), false rather than unknown for a missing code.
_CODE_OK_FAST = ("coalesce((event_code GLOB '[0-9][0-9][0-9]' OR event_code GLOB "
                 "'[0-9][0-9][0-9][0-9]') AND left(event_code, 2) BETWEEN '01' AND '20', false)")


def _valid_sql() -> str:
    """The conditions a parsed row must meet to be an event (else: quarantine)."""
    return (f"event_id IS NOT NULL AND event_date IS NOT NULL AND {_CODE_OK_FAST} AND "
            "cameo_root NOT LIKE '?%' AND (quad_class IS NULL OR quad_class BETWEEN 1 AND 4) "
            f"AND {_GOLDSTEIN_OK} AND coalesce(source_country, '') NOT LIKE '?%' AND "
            "coalesce(target_country, '') NOT LIKE '?%' AND dataset NOT LIKE '?%'")


def _problem_sql() -> str:
    """Why a row that parsed is not an event (for the quarantine), as found/expected."""
    return ("concat_ws('; ', "
            "CASE WHEN event_id IS NULL THEN 'event id: found nothing; expected an integer' END, "
            "CASE WHEN event_date IS NULL THEN 'date: found nothing; expected a date' END, "
            f"CASE WHEN NOT ({_CODE_OK}) THEN 'event code: found ' || "
            "coalesce(event_code, 'nothing') || '; expected a CAMEO code of 3 or 4 digits, "
            "root 01 to 20' END, "
            "CASE WHEN cameo_root LIKE '?%' THEN 'EventRootCode: found ' || "
            "substr(cameo_root, 2) || '; expected the first two digits of EventCode (' || "
            "coalesce(event_code, '') || ')' END, "
            "CASE WHEN quad_class NOT BETWEEN 1 AND 4 THEN 'quad class: found ' || "
            "quad_class || '; expected 1, 2, 3 or 4' END, "
            f"CASE WHEN NOT {_GOLDSTEIN_OK} THEN 'Goldstein score: found ' || goldstein || "
            "'; expected a number of tenths from -10 to 10' END, "
            "CASE WHEN source_country LIKE '?%' THEN 'source country: found ' || "
            "substr(source_country, 2) || '; expected a name in tables/country_names.csv' END, "
            "CASE WHEN target_country LIKE '?%' THEN 'target country: found ' || "
            "substr(target_country, 2) || '; expected a name in tables/country_names.csv' END, "
            "CASE WHEN dataset LIKE '?%' THEN 'DATEADDED: found ' || substr(dataset, 2) || "
            "'; expected a date written YYYYMMDD (GDELT 2.0: YYYYMMDDHHMMSS); the row''s "
            "fields are probably shifted by a stray delimiter' END)")


def _sql_path(path: Path | str) -> str:
    return "'" + str(path).replace("'", "''") + "'"


class _Copy:
    """One raw file's COPY into a staging directory, run on its own DuckDB connection."""

    def __init__(self, path: Path, detected: Detected, stage: Path,
                 threads: int | None, memory_limit: str | None, track: bool = False) -> None:
        duckdb = require("duckdb", "events", "Ingesting event files")
        self.error = duckdb.Error
        self.path, self.detected, self.stage = path, detected, stage
        self.memory_limit = memory_limit
        self.written: list[_Written] = []
        self.con = duckdb.connect(config={"preserve_insertion_order": False})
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if memory_limit:
            try:
                self.con.execute("SET memory_limit = ?", [memory_limit])
            except duckdb.Error:
                raise InputError(f"memory_limit: found {memory_limit!r}; expected a size "
                                 "such as 2GB or 500MB") from None
        self.con.execute(f"SET partitioned_write_flush_threshold = {_FLUSH_ROWS}")
        # read_csv without sniffing estimates a few dozen rows, so DuckDB would build the hash
        # table of the lookup joins (country codes) on the FILE, holding all of it in memory
        # (3.3 GB for 10M rows). Written as it is, the small lookup table is the build side.
        self.con.execute("SET disabled_optimizers = 'build_side_probe_side'")
        self.con.execute("SET temp_directory = ?", [str(stage / "tmp")])
        if track:       # DuckDB measures a query's progress only with its bar on (unprinted)
            self.con.execute("SET enable_progress_bar = true")
            self.con.execute("SET enable_progress_bar_print = false")
        table = "country_names" if detected.format.name == "icews" else "fips_iso3"
        columns = ("{'name': 'VARCHAR', 'iso3': 'VARCHAR'}" if table == "country_names"
                   else "{'fips': 'VARCHAR', 'iso3': 'VARCHAR'}")
        lookup = resources.files("multilat.events").joinpath(f"tables/{table}.csv")
        with resources.as_file(lookup) as location:
            self.con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv(?, header=true, "
                             f"columns={columns}, auto_detect=false)", [str(location)])

    def _fail(self, error: Exception) -> DataSourceError:
        try:                # DuckDB does not say where line endings mix: find the line
            located = line_ending_problem(self.path)
        except DataSourceError:                     # a damaged archive: DuckDB's own words
            located = None
        if located is not None:
            return located
        message = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        return DataSourceError(str(self.path), f"a file DuckDB cannot read ({message})",
                               "a readable event file (a damaged or truncated archive?)")

    def run(self) -> int:
        """The COPY; the rows it wrote. What it wrote is kept in :attr:`written`."""
        select = self.detected.format.select_sql(_read_csv_sql(self.path, self.detected))
        sql = (f"COPY (SELECT * REPLACE (CASE WHEN {_valid_sql()} THEN year END AS year) "
               f"FROM ({select})) TO {_sql_path(self.stage / 'parts')} (FORMAT parquet, "
               "PARTITION_BY (year), WRITE_PARTITION_COLUMNS true, RETURN_STATS true)")
        try:
            rows = self.con.execute(sql).fetchall()
        except self.error as error:
            raise self._fail(error) from None
        self.written = _written(rows)
        return sum(part.rows for part in self.written)

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
                   f"FROM read_parquet({_sql_path(bad / '*.parquet')})") if bad.is_dir() else None
        # DuckDB records a line with missing columns once per missing column, each saying a
        # different "Found: n": the smallest n is the line's real width.
        rejected = ("SELECT line, concat_ws('; ', min(error_message) FILTER "
                    "(WHERE error_type = 'MISSING COLUMNS'), string_agg(DISTINCT error_message, "
                    "'; ') FILTER (WHERE error_type <> 'MISSING COLUMNS')) AS problem, "
                    "first(csv_line) AS raw FROM reject_errors GROUP BY line")
        query = rejected if invalid is None else f"{rejected} UNION ALL {invalid}"
        self.con.execute(f"CREATE TEMP TABLE quarantined AS SELECT {_sql_path(label)} AS file, "
                         f"line, problem, raw FROM ({query}) ORDER BY line NULLS LAST, raw")
        count_row = self.con.execute("SELECT count(*) FROM quarantined").fetchone()
        count = int(count_row[0]) if count_row else 0
        if count:
            # Spreadsheet-safe text (_csv.safe_sql); the sample below keeps the raw values.
            self.con.execute(f"COPY (SELECT {safe_sql('file')} AS file, line, "
                             f"{safe_sql('problem')} AS problem, {safe_sql('raw')} AS raw "
                             f"FROM quarantined) TO {_sql_path(target)} (HEADER true)")
        sample = self.con.execute(f"SELECT line, problem, raw FROM quarantined LIMIT {_SAMPLE}")
        rows = tuple({"line": line, "problem": problem, "raw": raw}
                     for line, problem, raw in sample.fetchall())
        if bad.is_dir():
            shutil.rmtree(bad)
        return count, rows

    def drop_duplicates(self, store: EventStore, source: str) -> tuple[int, int, int | None,
                                                                        int | None]:
        """Keep one row per event id, none already in the store (same dataset).

        Returns (rows kept, duplicate rows dropped, smallest id, largest id). Rows are only
        rewritten when there is something to drop: a file's ids are checked against the
        stored files whose id range meets its own.
        """
        parts = self.stage / "parts"
        staged = _sql_path(parts / "year=*" / "*.parquet")
        valid = [part for part in self.written if part.year is not None]
        if not valid:
            return 0, 0, None, None
        if not self.memory_limit:   # counting distinct ids spills to disk beyond this
            self.con.execute(f"SET memory_limit = '{_CHECK_MEMORY}'")
        # Rows and the id range come from the COPY's own statistics (no pass over the files).
        known = (sum(p.rows for p in valid), min(p.min_id for p in valid),
                 max(p.max_id for p in valid)) if all(
            p.min_id is not None and p.max_id is not None for p in valid) else None
        stats = _id_stats(self.con, staged, known)
        assert stats is not None    # staged rows are valid events: each has an id
        total, distinct, low, high = stats
        others = store.overlapping(source, int(low), int(high))
        if distinct == total and not others:
            return total, 0, low, high
        known = ("SELECT event_id FROM read_parquet([" + ", ".join(
            _sql_path(store.root / part) for f in others for part in f.parts) + "])"
                 ) if others else "SELECT NULL::BIGINT AS event_id WHERE false"
        kept_dir = self.stage / "kept"
        self.con.execute(
            f"COPY (SELECT * FROM read_parquet({staged}, hive_partitioning=false) "
            f"WHERE event_id NOT IN ({known}) QUALIFY row_number() OVER (PARTITION BY "
            "event_id ORDER BY event_date, mentions DESC NULLS LAST, source_url NULLS LAST, "
            "event_code, source_actor NULLS LAST, target_actor NULLS LAST) = 1) "
            f"TO {_sql_path(kept_dir)} (FORMAT parquet, PARTITION_BY (year), "
            "WRITE_PARTITION_COLUMNS true)")
        shutil.rmtree(parts)
        kept_dir.rename(parts)
        kept = _rows_in(parts)
        return kept, total - kept, low, high

    def interrupt(self) -> None:
        self.con.interrupt()

    def close(self) -> None:
        self.con.close()


#: The widest id range counted with a bitmap (one bit an id: 256 MiB); wider ranges of sparse
#: ids are counted by a distinct count.
_BITMAP_BITS = 1 << 31


@dataclass(frozen=True)
class _Written:
    """One Parquet file the COPY wrote, from its statistics (``RETURN_STATS``)."""

    year: str | None                # the partition's value; None: the invalid rows
    rows: int
    min_id: int | None
    max_id: int | None


def _written(rows: list[tuple[Any, ...]]) -> list[_Written]:
    """The files a ``COPY ... (RETURN_STATS true)`` wrote: its rows (filename, count, file and
    footer sizes, column statistics, partition keys, ...) as :class:`_Written`."""
    written = []
    for row in rows:
        count, columns, keys = row[1], row[4] or {}, row[5] or {}
        ids = columns.get('"event_id"') or columns.get("event_id") or {}
        low, high = ids.get("min"), ids.get("max")
        exact = ids.get("min_is_exact", "true") == "true" and ids.get(
            "max_is_exact", "true") == "true" and ids.get("null_count") == "0"
        written.append(_Written(keys.get("year"), int(count),
                                int(low) if exact and low is not None else None,
                                int(high) if exact and high is not None else None))
    return written


def _id_stats(con: Any, staged: str, known: tuple[int, int, int] | None = None
              ) -> tuple[int, int, int, int] | None:
    """(rows, distinct event ids, smallest, largest) of the staged files, or None when there
    are none (or an id is missing).

    ``known``: (rows, smallest, largest) already known (from the COPY's statistics, every id
    present), which saves a pass. Distinct ids are counted with DuckDB's ``bitstring_agg`` over
    the id range (a bit per possible id, set for each id seen: one linear pass, no hash table),
    a fraction of ``count(DISTINCT)``'s cost; a range wider than :data:`_BITMAP_BITS` falls
    back to that.
    """
    if known is None:
        row = con.execute(f"SELECT count(*), count(event_id), min(event_id), max(event_id) "
                          f"FROM read_parquet({staged})").fetchone()
        if row is None or not row[0] or row[0] != row[1]:
            return None
        total, low, high = int(row[0]), int(row[2]), int(row[3])
    else:
        total, low, high = known
    if high - low + 1 <= _BITMAP_BITS:
        query = f"bit_count(bitstring_agg(event_id, {low}, {high}))"
    else:
        query = "count(DISTINCT event_id)"
    counted = con.execute(f"SELECT {query} FROM read_parquet({staged})").fetchone()
    assert counted is not None
    return total, int(counted[0]), low, high


def _unzip(path: Path, stage: Path) -> Path:
    try:
        with zipfile.ZipFile(path) as archive:
            member = next(m for m in archive.infolist() if not m.is_dir())
            target = stage / "raw" / Path(member.filename).name
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink, _CHUNK)
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise DataSourceError(str(path), f"a damaged archive ({error})",
                              "a readable .zip file") from None
    return target


def _run_copy(copy: _Copy, label: str, progress: Progress | None) -> int:
    """Run the COPY on a worker thread, reporting progress; Ctrl-C stops DuckDB too."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as runner:
        job = runner.submit(copy.run)
        try:
            while True:
                try:
                    return job.result(timeout=0.2)
                except concurrent.futures.TimeoutError:
                    if progress is not None:
                        progress(label, copy.progress())
        except KeyboardInterrupt:
            copy.interrupt()
            raise


def _ingest_one(store: EventStore, path: Path, source: str | None, threads: int | None,
                memory_limit: str | None, progress: Progress | None) -> FileReport:
    started = time.perf_counter()
    size = path.stat().st_size
    fingerprint = _fingerprint(path, size)
    candidates = store.find(size, fingerprint)

    def skipped(sha: str, known: StoredFile) -> FileReport:
        return FileReport(str(path), sha, known.source, "already in the store", 0, 0,
                          str(store.root / known.quarantine) if known.quarantine else None,
                          seconds=time.perf_counter() - started)

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        digest = pool.submit(_sha256, path)
        damage = (pool.submit(_gzip_problem, path) if path.name.lower().endswith(".gz")
                  else None)
        if candidates and digest.result() in store.files:
            return skipped(digest.result(), store.files[digest.result()])
        detected = detect_format(path, source)
        stage = store.root / f".stage-{uuid.uuid4().hex}"
        (stage / "tmp").mkdir(parents=True)
        try:
            readable = _unzip(path, stage) if path.name.lower().endswith(".zip") else path
            copy = _Copy(readable, detected, stage, threads, memory_limit,
                         track=progress is not None)
            try:
                _run_copy(copy, f"ingesting {path.name}", progress)
                sha = digest.result()
                problem = damage.result() if damage is not None else None
                if problem is not None:
                    raise DataSourceError(str(path), f"a damaged archive ({problem})",
                                          "a .gz file whose CRC and length check out")
                if sha in store.files:      # the same bytes under another name, in this run
                    return skipped(sha, store.files[sha])
                quarantined, sample = copy.quarantine(stage / "quarantine.csv", str(path))
                rows, duplicates, low, high = copy.drop_duplicates(store, detected.format.name)
            finally:
                copy.close()
            stored = StoredFile(
                sha256=sha, name=path.name, size=size, fingerprint=fingerprint,
                source=detected.format.name, rows=rows, quarantined=quarantined,
                duplicates=duplicates, min_event_id=low, max_event_id=high,
                parts=tuple(_parts(stage / "parts", sha[:16])),
                quarantine=f"quarantine/{sha[:16]}.csv" if quarantined else None)
            _commit(store, stored, stage)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    return FileReport(str(path), sha, detected.format.name, "ingested", stored.rows,
                      quarantined, str(store.root / stored.quarantine) if stored.quarantine
                      else None, sample, time.perf_counter() - started, duplicates)


def _rows_in(parts: Path) -> int:
    """Rows in the staged Parquet files (from their footers)."""
    pq = require("pyarrow.parquet", "events", "Ingesting event files")
    return sum(pq.ParquetFile(p).metadata.num_rows for p in parts.glob("year=*/*.parquet"))


def _parts(parts: Path, tag: str) -> list[str]:
    """The store paths the staged parts will have once moved in."""
    return sorted(f"events/file={tag}/{p.relative_to(parts).as_posix()}"
                  for p in parts.glob("year=*/*.parquet"))


def _commit(store: EventStore, stored: StoredFile, stage: Path) -> None:
    """Quarantine file, then the entry, then the events in ONE rename (see store.py)."""
    if stored.quarantine:
        (store.root / "quarantine").mkdir(exist_ok=True)
        os.replace(stage / "quarantine.csv", store.root / stored.quarantine)
    (stage / "parts").mkdir(exist_ok=True)
    (store.root / "events").mkdir(exist_ok=True)
    store.write_entry(stored)
    try:
        os.rename(stage / "parts", store.root / stored.directory)
    except BaseException:
        store.remove_entry(stored.sha256)
        raise
    store.files[stored.sha256] = stored


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
