"""Directed dyad-year event counts: the netify/ICEWS layout and multilat's own aggregates.

Both readers return the same tidy table, one row per directed dyad-year::

    year, source_country, target_country,
    verbal_coop, material_coop, verbal_conflict, material_conflict      (counts of events)

with ISO3 codes. :func:`read_event_aggregate` adds one column per CAMEO root code
(``cameo_01`` .. ``cameo_20``) because multilat's aggregates keep the root; the netify counts
have quad classes only, so rules on them cannot separate demands (10), rejections (12) and
threats (13) from other verbal conflict.

Errors are :class:`~multilat.errors.DataSourceError` naming the file, row (1-based, header
included, as a text editor shows a CSV; Parquet rows are counted the same way) and column.
pandas (the ``data`` extra) is imported only when a reader runs; Parquet needs pyarrow.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .._csv import check_width, read_csv_rows, require_file
from .._deps import require
from ..errors import DataSourceError

__all__ = ["CAMEO_ROOTS", "DYAD_COLUMNS", "NETIFY_COLUMNS", "QUAD_CLASSES", "builtin_dyads_path",
           "read_dyad_years", "read_event_aggregate"]

#: Quad classes in CAMEO's order (quad_class 1..4 in event files).
QUAD_CLASSES = ("verbal_coop", "material_coop", "verbal_conflict", "material_conflict")
#: CAMEO root codes as two-digit strings.
CAMEO_ROOTS = tuple(f"{code:02d}" for code in range(1, 21))
#: Columns of the tidy dyad-year table both readers return.
DYAD_COLUMNS = ("year", "source_country", "target_country", *QUAD_CLASSES)
#: netify column -> tidy column (the netify layout's required columns).
NETIFY_COLUMNS = {"year": "year", "i_iso3c": "source_country", "j_iso3c": "target_country",
                  "verbCoop": "verbal_coop", "matlCoop": "material_coop",
                  "verbConf": "verbal_conflict", "matlConf": "material_conflict"}
#: Required columns of an event aggregate table (``multilat events aggregate``).
AGGREGATE_COLUMNS = ("year", "source_country", "target_country", "quad_class", "cameo_root",
                     "events")


def builtin_dyads_path() -> Path:
    """The ICEWS dyad-year counts shipped with multilat (netify 1.5.3; DATA_SOURCES.md)."""
    from importlib import resources

    return Path(str(resources.files("multilat") / "data" / "events"
                    / "netify_icews_dyad_year_focus6.csv.gz"))


def _pandas(purpose: str) -> Any:
    return require("pandas", "data", purpose)


def _count(value: Any, *, file: str, row: int, column: str) -> int:
    """A non-negative whole count (``736`` or ``736.0``), else a located error."""
    text = str(value).strip() if value is not None else ""
    try:
        number = float(text)
    except ValueError:
        raise DataSourceError(file, repr(value) if text else "an empty cell",
                              "a count of events (a whole number >= 0)", row=row,
                              column=column) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise DataSourceError(file, text, "a count of events (a whole number >= 0)", row=row,
                              column=column)
    if number < 0:
        raise DataSourceError(file, f"a negative count {text}",
                              "a count of events (a whole number >= 0)", row=row, column=column)
    if number != int(number):
        raise DataSourceError(file, f"a fractional count {text}",
                              "a count of events (a whole number >= 0)", row=row, column=column)
    return int(number)


def _year(value: Any, *, file: str, row: int) -> int:
    text = str(value).strip() if value is not None else ""
    try:
        number = float(text)
    except ValueError:
        number = float("nan")
    if number != number or number != int(number) or not 1000 <= number <= 9999:
        raise DataSourceError(file, repr(value) if text else "an empty cell", "a year",
                              row=row, column="year")
    return int(number)


def _country(value: Any, *, file: str, row: int, column: str) -> str:
    text = str(value).strip() if value is not None else ""
    if len(text) != 3 or not text.isalpha():
        raise DataSourceError(file, repr(value) if text else "an empty cell",
                              "an ISO3 country code", row=row, column=column)
    return text.upper()


def _header(file: str, line: int, fields: list[str], required: tuple[str, ...]) -> dict[str, int]:
    names = [f.strip() for f in fields]
    missing = [c for c in required if c not in names]
    if missing:
        raise DataSourceError(file, f"no column {missing[0]!r} (columns: {', '.join(names)})",
                              f"the columns {', '.join(required)}", row=line,
                              column=missing[0])
    return {c: names.index(c) for c in required}


def read_dyad_years(path: str | Path | None = None) -> Any:
    """Read directed dyad-year quad-class counts in the netify/ICEWS layout.

    Parameters
    ----------
    path
        A CSV (``.gz`` too) with at least the columns ``year, verbCoop, matlCoop, verbConf,
        matlConf, i_iso3c, j_iso3c`` (``i`` = source, ``j`` = target; other columns are
        ignored). Default: the shipped ICEWS counts (:func:`builtin_dyads_path`).

    Returns
    -------
    pandas.DataFrame
        :data:`DYAD_COLUMNS`, one row per directed dyad-year, sorted.

    Raises
    ------
    DataSourceError
        A missing column, an unreadable year or country code, a count that is not a whole
        number >= 0, or a dyad-year given twice, each with file, row and column; a file with
        a header and no rows.
    """
    pandas = _pandas("Reading dyad-year event counts")
    path = Path(path) if path is not None else builtin_dyads_path()
    require_file(path)
    file = str(path)
    columns: dict[str, int] = {}
    width = 0
    seen: dict[tuple[int, str, str], int] = {}
    records: list[tuple[Any, ...]] = []
    for line, fields in read_csv_rows(path):
        if not columns:
            columns = _header(file, line, fields, tuple(NETIFY_COLUMNS))
            width = len(fields)
            continue
        if not any(f.strip() for f in fields):
            continue
        check_width(file, line, fields, width)
        year = _year(fields[columns["year"]], file=file, row=line)
        source = _country(fields[columns["i_iso3c"]], file=file, row=line, column="i_iso3c")
        target = _country(fields[columns["j_iso3c"]], file=file, row=line, column="j_iso3c")
        key = (year, source, target)
        if key in seen:
            raise DataSourceError(file, f"{source}->{target} {year} again (first in row "
                                        f"{seen[key]})", "one row per directed dyad-year",
                                  row=line)
        seen[key] = line
        counts = tuple(_count(fields[columns[name]], file=file, row=line, column=name)
                       for name in ("verbCoop", "matlCoop", "verbConf", "matlConf"))
        records.append((year, source, target, *counts))
    if not columns:
        raise DataSourceError(file, "an empty file", f"the columns {', '.join(NETIFY_COLUMNS)}")
    if not records:
        raise DataSourceError(file, "a header and no rows", "at least one dyad-year row")
    frame = pandas.DataFrame.from_records(records, columns=list(DYAD_COLUMNS))
    return frame.sort_values(["source_country", "target_country", "year"],
                             ignore_index=True)


def _aggregate_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(row, {column: value})`` of an aggregate CSV or Parquet file."""
    file = str(path)
    if path.suffix == ".parquet":
        pandas = _pandas("Reading Parquet event aggregates")
        try:
            frame = pandas.read_parquet(path)
        except ImportError:
            raise
        except Exception as error:  # pyarrow raises several types for a bad file
            raise DataSourceError(file, f"an unreadable Parquet file ({error})",
                                  "a Parquet file written by multilat events aggregate") from None
        names = [str(c) for c in frame.columns]
        _header(file, 1, names, AGGREGATE_COLUMNS)
        for index, values in enumerate(frame[list(AGGREGATE_COLUMNS)].itertuples(index=False)):
            yield index + 2, dict(zip(AGGREGATE_COLUMNS, values, strict=True))
        return
    columns: dict[str, int] = {}
    width = 0
    for line, fields in read_csv_rows(path):
        if not columns:
            columns = _header(file, line, fields, AGGREGATE_COLUMNS)
            width = len(fields)
            continue
        if not any(f.strip() for f in fields):
            continue
        check_width(file, line, fields, width)
        yield line, {c: fields[i] for c, i in columns.items()}
    if not columns:
        raise DataSourceError(file, "an empty file", f"the columns {', '.join(AGGREGATE_COLUMNS)}")


def _root(value: Any, *, file: str, row: int) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    if text in ("", "NA", "None", "nan"):
        return None
    code = text.zfill(2) if text.isdigit() else text
    if code not in CAMEO_ROOTS:
        raise DataSourceError(file, repr(value), "a CAMEO root code '01'..'20' (or empty)",
                              row=row, column="cameo_root")
    return code


def read_event_aggregate(path: str | Path) -> Any:
    """Turn an aggregate table of ``multilat events aggregate`` into directed dyad-year counts.

    Parameters
    ----------
    path
        CSV (``.gz`` too) or Parquet (``.parquet``) with at least ``year, source_country,
        target_country, quad_class`` (1 = verbal cooperation, 2 = material cooperation,
        3 = verbal conflict, 4 = material conflict), ``cameo_root`` (``'01'``..``'20'``; an
        integer or an empty value is accepted) and ``events``. Rows of one dyad-year (one per
        root, or split by further columns) are summed.

    Returns
    -------
    pandas.DataFrame
        :data:`DYAD_COLUMNS` plus ``cameo_01`` .. ``cameo_20`` (events with that root).

    Raises
    ------
    DataSourceError
        A missing column, a bad year, country, quad class, root or count, with its row; a
        file with a header and no rows.
    """
    pandas = _pandas("Reading event aggregates")
    path = Path(path)
    require_file(path)
    file = str(path)
    roots = [f"cameo_{code}" for code in CAMEO_ROOTS]
    totals: dict[tuple[int, str, str], list[int]] = {}
    for line, row in _aggregate_rows(path):
        year = _year(row["year"], file=file, row=line)
        source = _country(row["source_country"], file=file, row=line, column="source_country")
        target = _country(row["target_country"], file=file, row=line, column="target_country")
        quad = str(row["quad_class"]).strip().removesuffix(".0")
        if quad not in ("1", "2", "3", "4"):
            raise DataSourceError(file, repr(row["quad_class"]),
                                  "a quad class 1, 2, 3 or 4", row=line, column="quad_class")
        root = _root(row["cameo_root"], file=file, row=line)
        events = _count(row["events"], file=file, row=line, column="events")
        counts = totals.setdefault((year, source, target), [0] * (4 + len(roots)))
        counts[int(quad) - 1] += events
        if root is not None:
            counts[4 + int(root) - 1] += events
    if not totals:
        raise DataSourceError(file, "a header and no rows", "at least one aggregate row")
    records = [(*key, *counts) for key, counts in totals.items()]
    frame = pandas.DataFrame.from_records(records, columns=[*DYAD_COLUMNS, *roots])
    return frame.sort_values(["source_country", "target_country", "year"],
                             ignore_index=True)
