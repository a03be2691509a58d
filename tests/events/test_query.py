"""The aggregation: against an independent computation from the raw rows, and DuckDB = Spark."""

from __future__ import annotations

import importlib
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from multilat.errors import DataSourceError, InputError, MissingDependencyError
from multilat.events import AggregateQuery, aggregate, aggregate_sql, ingest, spark_sql

from .conftest import GDELT_FILES, write_tsv

query_module = importlib.import_module("multilat.events.query")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("events") / "store"
    ingest(GDELT_FILES, root)
    return root


def _independent(rows: list[dict[str, str]]) -> dict[tuple[Any, ...], dict[str, float]]:
    """Per (year, source, target, root): events, mentions, mean Goldstein, from raw text."""
    cells: dict[tuple[Any, ...], dict[str, Any]] = defaultdict(
        lambda: {"ids": set(), "mentions": 0, "goldstein": []})
    for row in rows:
        source, target = row["Actor1CountryCode"], row["Actor2CountryCode"]
        if not source or not target:
            continue
        key = (int(row["SQLDATE"][:4]), source, target, row["EventCode"][:2])
        cell = cells[key]
        cell["ids"].add(row["GLOBALEVENTID"])
        cell["mentions"] += int(row["NumMentions"])
        cell["goldstein"].append(float(row["GoldsteinScale"]))
    return {key: {"events": len(c["ids"]), "mentions": c["mentions"],
                  "goldstein_mean": sum(c["goldstein"]) / len(c["goldstein"])}
            for key, c in cells.items()}


def test_counts_match_an_independent_computation(store: Path,
                                                 gdelt_rows: list[dict[str, str]]) -> None:
    table = aggregate(store).to_pylist()
    expected = _independent(gdelt_rows)
    got = {(r["year"], r["source_country"], r["target_country"], r["cameo_root"]): r
           for r in table}
    assert set(got) == set(expected)
    for dyad in [("RUS", "USA"), ("USA", "RUS"), ("USA", "GEO"), ("KAZ", "RUS"), ("RUS", "KAZ")]:
        keys = [k for k in expected if k[1:3] == dyad]
        assert keys, dyad
        for key in keys:
            assert got[key]["events"] == expected[key]["events"]
            assert got[key]["mentions"] == expected[key]["mentions"]
            assert got[key]["goldstein_mean"] == pytest.approx(expected[key]["goldstein_mean"],
                                                               abs=1e-12)
    # shares of a dyad-year add up to one
    totals: dict[tuple[Any, ...], float] = defaultdict(float)
    for r in table:
        totals[(r["year"], r["source_country"], r["target_country"])] += r["event_share"]
    assert all(abs(t - 1) < 1e-12 for t in totals.values())


def test_required_columns(store: Path) -> None:
    columns = aggregate(store).column_names
    for name in ("year", "source_country", "target_country", "cameo_root", "events",
                 "mentions", "goldstein_mean"):
        assert name in columns


def test_quad_class_and_plover_groupings(store: Path, gdelt_rows: list[dict[str, str]]) -> None:
    by_root = aggregate(store, countries=["RUS"]).to_pylist()
    by_quad = aggregate(store, by="quad_class", countries=["RUS"]).to_pylist()
    summed: dict[tuple[Any, ...], int] = defaultdict(int)
    for r in by_root:
        summed[(r["year"], r["source_country"], r["target_country"], r["quad_class"])] += (
            r["events"])
    assert summed == {(r["year"], r["source_country"], r["target_country"], r["quad_class"]):
                      r["events"] for r in by_quad}
    plover = aggregate(store, by="plover_event").to_pylist()
    consult = [r for r in plover if r["plover_event"] == "CONSULT"]
    roots = [r for r in aggregate(store).to_pylist() if r["cameo_root"] == "04"]
    assert sum(r["events"] for r in consult) == sum(r["events"] for r in roots) > 0


def test_plover_table_reads_codes_as_text() -> None:
    rows = {code: event for code, event, _mode, _context in query_module._plover_rows()}
    assert rows["0311"] == "AGREE" and rows["040"] == "CONSULT"
    assert all(len(code) >= 2 and code.isdigit() for code in rows)


def test_dedupe_merges_repeated_reports(tmp_path: Path,
                                        gdelt_rows: list[dict[str, str]]) -> None:
    rows = [dict(r) for r in gdelt_rows if r["Actor1CountryCode"] and r["Actor2CountryCode"]][:5]
    copies = []
    for index, row in enumerate(rows):      # the same event reported again under a new id
        twin = dict(row)
        twin["GLOBALEVENTID"] = str(900000000 + index)
        copies.append(twin)
    raw = write_tsv(rows + copies, tmp_path / "twice.tsv")
    plain = sum(r["events"] for r in aggregate([raw]).to_pylist())
    merged = sum(r["events"] for r in aggregate([raw], dedupe=True).to_pylist())
    assert plain == 10
    distinct = {(r["SQLDATE"], r["Actor1Code"], r["Actor2Code"], r["EventCode"]) for r in rows}
    assert merged == len(distinct)


def test_filters_and_bad_options(store: Path) -> None:
    only = aggregate(store, countries=["KAZ"]).to_pylist()
    assert only and all("KAZ" in (r["source_country"], r["target_country"]) for r in only)
    with pytest.raises(InputError, match="--by: found 'nope'"):
        aggregate(store, by="nope")
    with pytest.raises(InputError, match="--engine: found 'pandas'"):
        aggregate(store, engine="pandas")
    with pytest.raises(InputError, match="--country: found 'kz'"):
        aggregate(store, countries=["kz"])
    with pytest.raises(DataSourceError, match="no events"):
        aggregate(store, years=(1990, 1991))


def test_raw_files_are_ingested_into_a_temporary_store(tmp_path: Path) -> None:
    from_raw = aggregate(GDELT_FILES)
    assert from_raw.num_rows > 0
    assert from_raw.schema.metadata[b"multilat.rows_quarantined"] == b"0"


def test_spark_gets_one_translated_text() -> None:
    duck, spark = aggregate_sql(), spark_sql()
    assert "COUNT(DISTINCT e.event_id)" in duck and "`rows`" in spark
    assert spark != duck and "WITH cells AS" in spark


def test_missing_engine_names_its_extra(monkeypatch: pytest.MonkeyPatch, store: Path) -> None:
    real = importlib.import_module

    def fake(name: str, package: str | None = None) -> Any:
        if name.startswith("pyspark"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", fake)
    with pytest.raises(MissingDependencyError, match=r'pip install "multilat\[spark\]"'):
        aggregate(store, engine="spark")


@pytest.mark.parametrize("query", [AggregateQuery(), AggregateQuery(dedupe=True),
                                   AggregateQuery(by="quad_class"),
                                   AggregateQuery(by="plover_event"),
                                   AggregateQuery(by="event_code", countries=("RUS",))])
def test_duckdb_and_spark_give_identical_tables(store: Path, spark: Any,
                                                query: AggregateQuery) -> None:
    files = query_module.EventStore.open(store).parquet_files()
    duck = query_module._normalise(query_module.run_duckdb(files, query), query)
    other = query_module._normalise(query_module.run_spark(files, query, session=spark), query)
    assert duck.num_rows > 0
    assert duck.schema.equals(other.schema)
    assert duck.equals(other)     # same values, same order, bit for bit


def test_aggregate_with_the_spark_engine(store: Path, spark: Any) -> None:
    assert aggregate(store, engine="spark", session=spark).equals(aggregate(store))
