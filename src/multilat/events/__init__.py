"""Behaviour from CAMEO-coded event data (GDELT 1.0/2.0, ICEWS).

Raw event files are ingested once into a Parquet store partitioned by year (DuckDB, streaming);
one aggregation query, written in DuckDB's SQL and transpiled for Spark with SQLGlot, turns the
store into directed dyad-year indicators; threshold rules turn indicator changes into evidence
for a case. DuckDB, pyarrow and SQLGlot come with the ``events`` extra, PySpark with ``spark``;
both are imported only when used.
"""

from __future__ import annotations

from .formats import FORMATS, STORE_COLUMNS, detect_format
from .ingest import FileReport, IngestResult, ingest
from .query import AggregateQuery, AggregateResult, aggregate, aggregate_sql, spark_sql
from .store import EventStore

__all__ = ["FORMATS", "STORE_COLUMNS", "AggregateQuery", "AggregateResult", "EventStore",
           "FileReport", "IngestResult", "aggregate", "aggregate_sql", "detect_format", "ingest",
           "spark_sql"]
