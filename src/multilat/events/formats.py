"""Raw event-file layouts (GDELT 1.0, GDELT 2.0, ICEWS) and their detection.

Each layout names its columns in file order and says how one raw row becomes one row of
multilat's event store (:data:`STORE_COLUMNS`), as DuckDB SQL over the raw columns. The ingest's
reader types the columns used (ids, dates, counts, scores), so a value that does not parse is
rejected with its line, never turned into a missing value (see :mod:`multilat.events.ingest`).
GDELT's actor country codes are CAMEO's (ISO 3166 alpha-3 for states); ICEWS's country names
are mapped to ISO alpha-3 by ``tables/country_names.csv`` (a name it lacks is marked ``?name``
and the row quarantined, never silently left without a country); the action's country, FIPS
10-4 in GDELT, is mapped to ISO alpha-3 by ``tables/fips_iso3.csv``. A GDELT row whose
``EventRootCode`` is not the first two digits of its ``EventCode`` (e.g. a file re-saved by a
program that dropped leading zeros) gets the root ``?code`` and is quarantined too.

References
----------
GDELT 1.0 event codebook (V1.03) and GDELT 2.0 event codebook (V2.0),
http://data.gdeltproject.org/documentation/; column layouts as published by GDELT
(``GDELT_1.0_event_Column_Labels_Header_Row_Sep2016.tsv``, ``GDELT_2.0_Events_Column_Labels_
Header_Row_Sep2016.csv``). ICEWS Coded Event Data, Harvard Dataverse, doi:10.7910/DVN/28075
(the 20-column tab-separated yearly files).
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..errors import DataSourceError

__all__ = ["FORMATS", "STORE_COLUMNS", "RawFormat", "detect_format", "first_line",
           "quad_class_sql"]

_GDELT_ACTOR = ["Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                "Religion2Code", "Type1Code", "Type2Code", "Type3Code"]
_GDELT_EVENT = ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
                "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone"]


def _gdelt_columns(adm2: bool, source_url: bool) -> tuple[str, ...]:
    geo = ["Type", "FullName", "CountryCode", "ADM1Code"] + (["ADM2Code"] if adm2 else []) + [
        "Lat", "Long", "FeatureID"]
    columns = ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    columns += [f"Actor1{name}" for name in _GDELT_ACTOR]
    columns += [f"Actor2{name}" for name in _GDELT_ACTOR]
    columns += _GDELT_EVENT
    for prefix in ("Actor1Geo_", "Actor2Geo_", "ActionGeo_"):
        columns += [prefix + name for name in geo]
    columns += ["DATEADDED"] + (["SOURCEURL"] if source_url else [])
    return tuple(columns)


GDELT1_COLUMNS = _gdelt_columns(adm2=False, source_url=True)          # 58, daily files
GDELT1_HISTORICAL_COLUMNS = _gdelt_columns(adm2=False, source_url=False)  # 57, before 2013-04
GDELT2_COLUMNS = _gdelt_columns(adm2=True, source_url=True)           # 61
ICEWS_COLUMNS = ("Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country",
                 "Event Text", "CAMEO Code", "Intensity", "Target Name", "Target Sectors",
                 "Target Country", "Story ID", "Sentence Number", "Publisher", "City", "District",
                 "Province", "Country", "Latitude", "Longitude")

#: The event store's columns, in order, with their DuckDB types.
STORE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("event_id", "BIGINT"), ("event_date", "DATE"), ("year", "INTEGER"),
    ("source_actor", "VARCHAR"), ("source_country", "VARCHAR"),
    ("target_actor", "VARCHAR"), ("target_country", "VARCHAR"),
    ("event_code", "VARCHAR"), ("event_base_code", "VARCHAR"), ("cameo_root", "VARCHAR"),
    ("quad_class", "TINYINT"), ("goldstein", "DOUBLE"),
    ("mentions", "INTEGER"), ("sources", "INTEGER"), ("articles", "INTEGER"),
    ("avg_tone", "DOUBLE"), ("is_root", "BOOLEAN"), ("action_country", "VARCHAR"),
    ("source_url", "VARCHAR"), ("dataset", "VARCHAR"),
)


def quad_class_sql(root: str) -> str:
    """CAMEO's quad class of a two-digit root code (text): 01-05 verbal cooperation (1), 06-08
    material cooperation (2), 09-13 verbal conflict (3), 14-20 material conflict (4)."""
    return (f"CASE WHEN {root} BETWEEN '01' AND '05' THEN 1 WHEN {root} BETWEEN '06' AND '08' "
            f"THEN 2 WHEN {root} BETWEEN '09' AND '13' THEN 3 WHEN {root} BETWEEN '14' AND '20' "
            "THEN 4 END")


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class RawFormat:
    """One raw layout: its name, columns, and the SQL turning a raw row into a store row."""

    name: str
    columns: tuple[str, ...]
    description: str

    def select_sql(self, relation: str) -> str:
        """``SELECT`` of the store's columns over ``relation``: the raw file as the ingest's
        reader types it (ids BIGINT, dates DATE, counts INTEGER, scores DOUBLE, the rest text).
        """
        if self.name.startswith("gdelt"):
            return _gdelt_select(self, relation)
        return _icews_select(relation)


def _gdelt_select(fmt: RawFormat, relation: str) -> str:
    url = "SOURCEURL" if "SOURCEURL" in fmt.columns else "CAST(NULL AS VARCHAR)"
    # DATEADDED is the last column but one: a plausible date there means the row's fields were
    # not shifted by a stray delimiter (DuckDB forgives one extra, empty, last field).
    low, high = ("19790101000000", "99991231235959") if fmt.name == "gdelt2" else (
        "19790101", "99991231")
    return f"""
SELECT
  GLOBALEVENTID AS event_id, SQLDATE AS event_date, CAST(year(SQLDATE) AS INTEGER) AS year,
  Actor1Code AS source_actor, Actor1CountryCode AS source_country,
  Actor2Code AS target_actor, Actor2CountryCode AS target_country,
  EventCode AS event_code, EventBaseCode AS event_base_code,
  CASE WHEN EventRootCode IS NULL OR EventRootCode = left(EventCode, 2) THEN left(EventCode, 2)
       ELSE '?' || EventRootCode END AS cameo_root,
  CAST(coalesce(QuadClass, {quad_class_sql("left(EventCode, 2)")}) AS TINYINT) AS quad_class,
  GoldsteinScale AS goldstein, NumMentions AS mentions, NumSources AS sources,
  NumArticles AS articles, AvgTone AS avg_tone, IsRootEvent = 1 AS is_root,
  fips.iso3 AS action_country, {url} AS source_url,
  CASE WHEN DATEADDED IS NULL OR DATEADDED BETWEEN {low} AND {high} THEN {_lit(fmt.name)}
       ELSE '?' || DATEADDED END AS dataset
FROM {relation} AS r
LEFT JOIN fips_iso3 AS fips ON fips.fips = r.ActionGeo_CountryCode"""


def _icews_select(relation: str) -> str:
    root = 'left(r."CAMEO Code", 2)'
    return f"""
SELECT
  r."Event ID" AS event_id, r."Event Date" AS event_date,
  CAST(year(r."Event Date") AS INTEGER) AS year,
  r."Source Name" AS source_actor,
  CASE WHEN r."Source Country" IS NOT NULL THEN coalesce(src.iso3, '?' || r."Source Country")
       END AS source_country,
  r."Target Name" AS target_actor,
  CASE WHEN r."Target Country" IS NOT NULL THEN coalesce(tgt.iso3, '?' || r."Target Country")
       END AS target_country,
  r."CAMEO Code" AS event_code, left(r."CAMEO Code", 3) AS event_base_code,
  {root} AS cameo_root, CAST({quad_class_sql(root)} AS TINYINT) AS quad_class,
  r."Intensity" AS goldstein, 1 AS mentions, CAST(NULL AS INTEGER) AS sources,
  CAST(NULL AS INTEGER) AS articles, CAST(NULL AS DOUBLE) AS avg_tone,
  CAST(NULL AS BOOLEAN) AS is_root, act.iso3 AS action_country,
  CAST(NULL AS VARCHAR) AS source_url, 'icews' AS dataset
FROM {relation} AS r
LEFT JOIN country_names AS src ON src.name = r."Source Country"
LEFT JOIN country_names AS tgt ON tgt.name = r."Target Country"
LEFT JOIN country_names AS act ON act.name = r."Country"
"""


FORMATS: dict[str, RawFormat] = {
    "gdelt1": RawFormat("gdelt1", GDELT1_COLUMNS,
                        "GDELT 1.0 events (58 columns; 57 in the files before April 2013)"),
    "gdelt1-historical": RawFormat("gdelt1", GDELT1_HISTORICAL_COLUMNS,
                                   "GDELT 1.0 historical events (57 columns, no SOURCEURL)"),
    "gdelt2": RawFormat("gdelt2", GDELT2_COLUMNS, "GDELT 2.0 events (61 columns)"),
    "icews": RawFormat("icews", ICEWS_COLUMNS, "ICEWS coded events (20 columns, with header)"),
}
_BY_WIDTH = {len(GDELT1_COLUMNS): "gdelt1", len(GDELT1_HISTORICAL_COLUMNS): "gdelt1-historical",
             len(GDELT2_COLUMNS): "gdelt2", len(ICEWS_COLUMNS): "icews"}
_HEADER_FIRST = {"GLOBALEVENTID", "Event ID"}


@dataclass(frozen=True)
class Detected:
    """What :func:`detect_format` read off a file's first line."""

    format: RawFormat
    delimiter: str
    header: bool
    quote: str
    null_strings: tuple[str, ...]


@contextlib.contextmanager
def _open_raw(path: Path) -> Iterator[IO[bytes]]:
    """A plain, ``.gz`` or single-member ``.zip`` file's bytes."""
    name = path.name.lower()
    try:
        if name.endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.infolist() if not m.is_dir()]
                if len(members) != 1:
                    raise DataSourceError(str(path), f"{len(members)} files in the archive",
                                          "exactly one event file in a .zip")
                with archive.open(members[0]) as handle:
                    yield handle
        elif name.endswith(".gz"):
            with gzip.open(path, "rb") as handle:
                yield handle
        else:
            with path.open("rb") as handle:
                yield handle
    except (zipfile.BadZipFile, gzip.BadGzipFile, EOFError) as error:
        raise DataSourceError(str(path), f"a damaged archive ({error})",
                              "a readable .zip or .gz file") from None


def first_line(path: Path) -> str:
    """The first line of a plain, ``.gz`` or single-member ``.zip`` file (decoded as UTF-8)."""
    with _open_raw(path) as handle:
        raw = handle.readline(1 << 20)
    return raw.decode("utf-8", errors="replace").rstrip("\r\n")


def line_ending_problem(path: Path) -> DataSourceError | None:
    """The first line whose ending differs from the first line's (LF or CRLF), or that holds
    a bare carriage return (CR), as a located error; ``None`` when the endings agree.

    DuckDB refuses such a file as a whole without saying where; this says where.
    """
    with _open_raw(path) as handle:
        crlf: bool | None = None
        for number, raw in enumerate(handle, start=1):
            body = raw.rstrip(b"\n")
            ends_crlf = body.endswith(b"\r")
            if ends_crlf:
                body = body[:-1]
            if b"\r" in body:
                return DataSourceError(str(path), "a carriage return (CR) inside the line",
                                       "lines ending in LF (or all in CRLF), no bare CR",
                                       row=number)
            if not raw.endswith(b"\n"):
                break                   # the last line, without an ending
            if crlf is None:
                crlf = ends_crlf
            elif ends_crlf != crlf:
                found, other = ("CRLF", "LF") if ends_crlf else ("LF", "CRLF")
                return DataSourceError(str(path), f"a line ending in {found}",
                                       f"every line ending in {other}, as the first does",
                                       row=number)
    return None


def detect_format(path: Path, source: str | None = None) -> Detected:
    """Read the first line of ``path`` and say which layout it is in.

    Tab-separated files are read without quoting (GDELT's and ICEWS's own exports); comma-
    separated ones (re-saved extracts, e.g. from R) with double quotes and ``NA`` for missing.
    ``source`` (``gdelt1``, ``gdelt2``, ``icews``) checks the layout instead of guessing it.
    """
    line = first_line(path)
    if not line:
        raise DataSourceError(str(path), "an empty file", "event rows", row=1)
    if "\r" in line:
        raise DataSourceError(str(path), "a carriage return (CR) inside the first line",
                              "lines ending in LF or CRLF, no bare CR", row=1)
    tab = line.count("\t") >= line.count(",")
    if tab:
        fields = line.split("\t")
        delimiter, quote = "\t", ""
        nulls: tuple[str, ...] = ("",)
    else:
        fields = next(csv.reader(io.StringIO(line)))
        delimiter, quote, nulls = ",", '"', ("", "NA")
    header = fields[0].strip().lstrip("\ufeff") in _HEADER_FIRST
    key = _BY_WIDTH.get(len(fields))
    if header and key is not None and key != "icews" and "Actor1Geo_ADM2Code" in fields:
        key = "gdelt2"
    if key is None:
        widths = ", ".join(f"{width} ({FORMATS[k].name})" for width, k in sorted(_BY_WIDTH.items()))
        raise DataSourceError(str(path), f"{len(fields)} columns in the first row",
                              f"one of {widths}", row=1)
    fmt = FORMATS[key]
    if source is not None and fmt.name != source:
        raise DataSourceError(str(path), f"{len(fields)} columns, the layout of {fmt.name}",
                              f"the layout of {source} ({FORMATS[source].description})", row=1)
    if fmt.name == "icews":
        nulls = ("", "NA")          # ICEWS's files (as R writes them) say NA for missing
    if fmt.name == "icews" and not header:
        raise DataSourceError(str(path), f"first field {fields[0]!r}",
                              "ICEWS's header row starting with 'Event ID'", row=1)
    return Detected(fmt, delimiter, header, quote, nulls)
