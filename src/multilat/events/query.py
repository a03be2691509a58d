"""Directed dyad-year indicators from the event store: one SQL text, two engines.

:func:`aggregate_sql` writes the aggregation once, in DuckDB's SQL, over a relation named
``events`` with the store's columns. DuckDB runs it as written; for Spark it is transpiled by
SQLGlot (``sqlglot.transpile(sql, read="duckdb", write="spark")``). The query is written so
that both engines give the same bytes: counts and sums are integers; Goldstein means are
computed from integer sums of tenths (every CAMEO Goldstein value has one decimal) and one
final division, so no engine-specific order of floating-point additions enters the result.

Columns of the result (one row per year, source country, target country and group):

``year`` (of the event date), ``source_country``, ``target_country`` (the actors' CAMEO country
codes), the group (``cameo_root``, ``quad_class``, ``event_code`` or ``plover_event``),
``quad_class`` (for CAMEO roots and codes), ``events`` (distinct events: the store holds one
row per dataset and event id; with ``dedupe``, distinct near-duplicate keys), ``rows`` (store
rows), ``mentions``, ``sources``,
``articles`` (sums), ``goldstein_mean`` (mean over events with a score),
``goldstein_mean_by_mentions`` (weighted by mentions), ``dyad_events`` / ``dyad_mentions`` (the
dyad-year's totals), ``event_share``, ``mention_share`` and ``source_share`` (the group's share
of the dyad-year's events, mentions and sources: normalised by the dyad's volume, weighted by
events, mentions or sources).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .._deps import require
from ..errors import DataSourceError, InputError
from .store import EventStore

__all__ = ["ENGINES", "GROUPS", "AggregateQuery", "AggregateResult", "aggregate", "aggregate_sql",
           "spark_sql"]

ENGINES = ("duckdb", "spark")
GROUPS = ("cameo_root", "quad_class", "event_code", "plover_event")

#: The near-duplicate key: one event per day, source actor, target actor and CAMEO code
#: (the "one-a-day" filter common with ICEWS and GDELT).
_DEDUPE_KEY = ("concat_ws('|', e.dataset, CAST(e.event_date AS VARCHAR), "
               "coalesce(e.source_actor, ''), coalesce(e.target_actor, ''), e.event_code)")


@dataclass(frozen=True)
class AggregateQuery:
    """What to aggregate: the grouping, de-duplication, and filters."""

    by: str = "cameo_root"
    dedupe: bool = False
    countries: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    root_events_only: bool = False

    def __post_init__(self) -> None:
        if self.by not in GROUPS:
            raise InputError(f"by: found {self.by!r}; expected one of {', '.join(GROUPS)}")
        for code in self.countries:
            if not (code.isalpha() and len(code) == 3):
                raise InputError(f"countries: found {code!r}; expected a 3-letter CAMEO "
                                 "country code such as KAZ")
        object.__setattr__(self, "countries", tuple(c.upper() for c in self.countries))


@dataclass(frozen=True)
class AggregateResult:
    """What :func:`aggregate` returns: the indicators, and the raw files' unreadable rows."""

    #: The directed dyad-year indicators (a pyarrow Table; columns in the module's docstring).
    table: Any
    #: Rows of raw input files that could not be read and are not counted (their quarantine
    #: went with the temporary store); 0 for a store, whose own ingest counted them.
    rows_quarantined: int = 0


def aggregate_sql(query: AggregateQuery | None = None) -> str:
    """The aggregation, in DuckDB's SQL, over a relation ``events`` (and ``cameo_plover``
    when grouping by PLOVER event)."""
    q = query or AggregateQuery()
    conditions = ["e.source_country IS NOT NULL", "e.target_country IS NOT NULL",
                  "e.cameo_root IS NOT NULL"]
    if q.countries:
        listed = ", ".join(f"'{code}'" for code in q.countries)
        conditions.append(f"(e.source_country IN ({listed}) OR e.target_country IN ({listed}))")
    if q.years is not None:
        conditions.append(f"e.year BETWEEN {int(q.years[0])} AND {int(q.years[1])}")
    if q.root_events_only:
        conditions.append("coalesce(e.is_root, true)")     # ICEWS has no root events: all
    if q.by == "plover_event":
        # Codes the PLOVER table does not map stay in the dyad's totals, as UNMAPPED.
        group = "coalesce(p.plover_event, 'UNMAPPED')"
        join = "LEFT JOIN cameo_plover AS p ON p.cameo_code = e.event_code"
        quad = ""
    else:
        group, join = f"e.{q.by}", ""
        quad = "" if q.by == "quad_class" else "MIN(e.quad_class) AS quad_class,"
    # The store keeps one row per (dataset, event id) (the ingest drops events given again),
    # so counting rows counts distinct events; ``dedupe`` counts distinct near-duplicate keys.
    counted = f"COUNT(DISTINCT {_DEDUPE_KEY})" if q.dedupe else "COUNT(*)"
    where = " AND ".join(conditions)
    name = q.by
    return f"""
WITH cells AS (
  SELECT e.year AS year, e.source_country AS source_country,
         e.target_country AS target_country, {group} AS {name},
         {quad}
         {counted} AS events,
         COUNT(*) AS "rows",
         CAST(SUM(e.mentions) AS BIGINT) AS mentions,
         CAST(SUM(e.sources) AS BIGINT) AS sources,
         CAST(SUM(e.articles) AS BIGINT) AS articles,
         CAST(SUM(CAST(ROUND(e.goldstein * 10) AS BIGINT)) AS BIGINT) AS goldstein_tenths,
         COUNT(e.goldstein) AS goldstein_n,
         CAST(SUM(CAST(ROUND(e.goldstein * 10) AS BIGINT) * e.mentions) AS BIGINT)
           AS goldstein_tenths_by_mentions,
         CAST(SUM(CASE WHEN e.goldstein IS NOT NULL THEN e.mentions END) AS BIGINT)
           AS goldstein_mentions
  FROM events AS e {join}
  WHERE {where}
  GROUP BY e.year, e.source_country, e.target_country, {group}
), totals AS (
  SELECT *, SUM(events) OVER (PARTITION BY year, source_country, target_country) AS dyad_events,
         SUM(mentions) OVER (PARTITION BY year, source_country, target_country) AS dyad_mentions,
         SUM(sources) OVER (PARTITION BY year, source_country, target_country) AS dyad_sources
  FROM cells
)
SELECT year, source_country, target_country, {name}, {"quad_class, " if quad else ""}
       events, "rows", mentions, sources, articles,
       CAST(goldstein_tenths AS DOUBLE) / NULLIF(10 * goldstein_n, 0) AS goldstein_mean,
       CAST(goldstein_tenths_by_mentions AS DOUBLE) / NULLIF(10 * goldstein_mentions, 0)
         AS goldstein_mean_by_mentions,
       CAST(dyad_events AS BIGINT) AS dyad_events, CAST(dyad_mentions AS BIGINT) AS dyad_mentions,
       CAST(events AS DOUBLE) / dyad_events AS event_share,
       CAST(mentions AS DOUBLE) / NULLIF(dyad_mentions, 0) AS mention_share,
       CAST(sources AS DOUBLE) / NULLIF(dyad_sources, 0) AS source_share
FROM totals
ORDER BY year, source_country, target_country, {name}
"""


def spark_sql(query: AggregateQuery | None = None) -> str:
    """:func:`aggregate_sql` transpiled to Spark SQL by SQLGlot."""
    sqlglot = require("sqlglot", "events", "Running the aggregation on Spark")
    (text,) = sqlglot.transpile(aggregate_sql(query), read="duckdb", write="spark")
    return str(text)


def _plover_rows() -> list[tuple[str, str, str, str]]:
    """CAMEO code -> PLOVER event, mode, context (``tables/CAMEO2PLOVER-2021.txt``).

    Lines of two-digit codes are the table's section headings (``08: CONCEDE`` and ``08:
    RETREAT`` both head parts of root 08), not mappings; events carry 3- or 4-digit codes. A
    code listed twice must map to the same PLOVER event (``175`` is, with two descriptions).
    """
    name = "tables/CAMEO2PLOVER-2021.txt"
    text = resources.files("multilat.events").joinpath(name).read_text(encoding="utf-8")
    rows: dict[str, tuple[str, str, str, str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        body = line.split("#", 1)[0].strip()
        if not body or ":" not in body:
            continue
        code, rest = (part.strip() for part in body.split(":", 1))
        fields = [f.strip() for f in rest.split(",")] + ["", ""]
        if not (code.isdigit() and len(code) in (3, 4) and fields[0]):
            continue
        row = (code, fields[0], fields[1], fields[2])
        if code in rows and rows[code][1] != row[1]:
            raise DataSourceError(name, f"code {code} mapped to {rows[code][1]} and {row[1]}",
                                  "one PLOVER event per CAMEO code", row=number)
        rows.setdefault(code, row)
    return list(rows.values())


def _inputs(inputs: str | Path | Sequence[str | Path], years: tuple[int, int] | None,
            source: str | None) -> tuple[list[Path], Any]:
    """Parquet files to read: those of a store, or of raw files ingested into a temporary
    store (returned too, to be cleaned up by the caller)."""
    items = [inputs] if isinstance(inputs, (str, Path)) else list(dict.fromkeys(inputs))
    directories = [item for item in items if Path(item).is_dir()]
    if directories:
        if len(items) > 1:
            raise InputError(f"inputs: found {', '.join(map(str, items))}; expected one store "
                             "directory, or raw event files")
        store = EventStore.open(items[0])
        return store.parquet_files(years), None
    import tempfile

    from .ingest import ingest

    temporary = tempfile.TemporaryDirectory(prefix="multilat-store-")
    try:
        result = ingest(items, Path(temporary.name) / "store", source=source)
    except BaseException:
        temporary.cleanup()
        raise
    store = EventStore.open(Path(temporary.name) / "store")
    return store.parquet_files(years), (temporary, result.rows_quarantined)


def _empty_store(files: Sequence[Path], inputs: Any) -> None:
    if not files:
        where = str(inputs) if isinstance(inputs, (str, Path)) else ", ".join(map(str, inputs))
        raise DataSourceError(where, "no events (an empty store, or none in those years)",
                              "a store with ingested event files")


def run_duckdb(files: Sequence[Path], query: AggregateQuery, *,
               threads: int | None = None) -> Any:
    """The aggregation on DuckDB (embedded); a pyarrow Table."""
    duckdb = require("duckdb", "events", "Aggregating events")
    con = duckdb.connect()
    try:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        listed = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
        con.execute(f"CREATE TEMP VIEW events AS SELECT * FROM read_parquet([{listed}], "
                    "hive_partitioning=false)")
        if query.by == "plover_event":
            con.execute("CREATE TABLE cameo_plover (cameo_code VARCHAR, plover_event VARCHAR, "
                        "plover_mode VARCHAR, plover_context VARCHAR)")
            con.executemany("INSERT INTO cameo_plover VALUES (?, ?, ?, ?)", _plover_rows())
        return con.sql(aggregate_sql(query)).to_arrow_table()
    finally:
        con.close()


def spark_session(master: str | None = None, config: Sequence[tuple[str, str]] = ()) -> Any:
    """A SparkSession on ``master`` (default ``$MULTILAT_SPARK_MASTER``, else ``local[*]``)."""
    sql = require("pyspark.sql", "spark", "Running the aggregation on Spark")
    builder = sql.SparkSession.builder.appName("multilat-events").master(
        master or os.environ.get("MULTILAT_SPARK_MASTER") or "local[*]")
    defaults = {"spark.sql.session.timeZone": "UTC", "spark.ui.enabled": "false",
                "spark.sql.shuffle.partitions": "8", "spark.sql.ansi.enabled": "true",
                "spark.ui.showConsoleProgress": "false"}
    for key, value in {**defaults, **dict(config)}.items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
        session.sparkContext.setLogLevel("ERROR")
    except Exception as error:  # noqa: BLE001 - PySpark raises many kinds; all mean the same
        raise InputError(f"master/config: Spark did not start with master "
                         f"{master or os.environ.get('MULTILAT_SPARK_MASTER') or 'local[*]'!r} "
                         f"and settings {dict(config)}: {_first_line(error)}; expected a "
                         "reachable master URL (spark://host:7077, yarn, k8s://..., "
                         "local[N]), valid settings, and Java 17 or newer") from None
    return session


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0][:300] if text else type(error).__name__


def run_spark(files: Sequence[Path], query: AggregateQuery, *, session: Any = None,
              master: str | None = None, config: Sequence[tuple[str, str]] = ()) -> Any:
    """The same aggregation on Spark (local mode or a cluster); a pyarrow Table."""
    pa = require("pyarrow", "events", "Aggregating events")
    spark = session or spark_session(master, config)
    try:
        frame = spark.read.parquet(*[str(f) for f in files])
    except Exception as error:  # noqa: BLE001 - Py4J and Spark errors
        raise DataSourceError(str(files[0]), f"a file Spark cannot read ({_first_line(error)})",
                              "Parquet files every executor can read at the same path"
                              ) from None
    frame.createOrReplaceTempView("events")
    if query.by == "plover_event":
        spark.createDataFrame(_plover_rows(), "cameo_code string, plover_event string, "
                              "plover_mode string, plover_context string"
                              ).createOrReplaceTempView("cameo_plover")
    try:
        result = spark.sql(spark_sql(query))
        return result.toArrow() if hasattr(result, "toArrow") else pa.Table.from_pandas(
            result.toPandas(), preserve_index=False)
    except Exception as error:  # noqa: BLE001 - Py4J and Spark errors
        raise DataSourceError(str(files[0].parent.parent.parent) if files else "the store",
                              f"an error from Spark ({_first_line(error)})",
                              "Parquet files every executor can read at the same path"
                              ) from None


def _normalise(table: Any, query: AggregateQuery) -> Any:
    """One schema whatever the engine (Spark's and DuckDB's integer widths differ)."""
    pa = require("pyarrow", "events", "Aggregating events")
    types = {"year": pa.int32(), "source_country": pa.string(), "target_country": pa.string(),
             "cameo_root": pa.string(), "event_code": pa.string(), "plover_event": pa.string(),
             "quad_class": pa.int8(), "goldstein_mean": pa.float64(),
             "goldstein_mean_by_mentions": pa.float64(), "event_share": pa.float64(),
             "mention_share": pa.float64(),
             "source_share": pa.float64()}
    fields = [pa.field(name, types.get(name, pa.int64())) for name in table.column_names]
    return table.cast(pa.schema(fields))


def aggregate(inputs: str | Path | Sequence[str | Path], *, engine: str = "duckdb",
              by: str = "cameo_root", dedupe: bool = False, countries: Sequence[str] = (),
              years: tuple[int, int] | None = None, root_events_only: bool = False,
              source: str | None = None, spark_master: str | None = None,
              spark_config: Sequence[tuple[str, str]] = (), session: Any = None,
              threads: int | None = None) -> AggregateResult:
    """Directed dyad-year indicators: an :class:`AggregateResult`, whose ``table`` is a pyarrow
    Table (columns in the module's docstring).

    ``inputs``: an event store directory, or raw event files (globs allowed; ingested into a
    temporary store first, their layout detected or given by ``source``).
    """
    if engine not in ENGINES:
        raise InputError(f"engine: found {engine!r}; expected one of {', '.join(ENGINES)}")
    query = AggregateQuery(by=by, dedupe=dedupe, countries=tuple(countries), years=years,
                           root_events_only=root_events_only)
    files, temporary = _inputs(inputs, years, source)
    try:
        _empty_store(files, inputs)
        if engine == "duckdb":
            table = run_duckdb(files, query, threads=threads)
        else:
            table = run_spark(files, query, session=session, master=spark_master,
                              config=spark_config)
        return AggregateResult(_normalise(table, query),
                               temporary[1] if temporary is not None else 0)
    finally:
        if temporary is not None:
            temporary[0].cleanup()
