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
    table = aggregate(store).table.to_pylist()
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
    columns = aggregate(store).table.column_names
    for name in ("year", "source_country", "target_country", "cameo_root", "events",
                 "mentions", "goldstein_mean"):
        assert name in columns


def test_quad_class_and_plover_groupings(store: Path, gdelt_rows: list[dict[str, str]]) -> None:
    by_root = aggregate(store, countries=["RUS"]).table.to_pylist()
    by_quad = aggregate(store, by="quad_class", countries=["RUS"]).table.to_pylist()
    summed: dict[tuple[Any, ...], int] = defaultdict(int)
    for r in by_root:
        summed[(r["year"], r["source_country"], r["target_country"], r["quad_class"])] += (
            r["events"])
    assert summed == {(r["year"], r["source_country"], r["target_country"], r["quad_class"]):
                      r["events"] for r in by_quad}
    plover = aggregate(store, by="plover_event").table.to_pylist()
    consult = [r for r in plover if r["plover_event"] == "CONSULT"]
    roots = [r for r in aggregate(store).table.to_pylist() if r["cameo_root"] == "04"]
    assert sum(r["events"] for r in consult) == sum(r["events"] for r in roots) > 0


def test_plover_table_reads_codes_as_text() -> None:
    listed = [code for code, _event, _mode, _context in query_module._plover_rows()]
    rows = {code: event for code, event, _mode, _context in query_module._plover_rows()}
    assert rows["0311"] == "AGREE" and rows["040"] == "CONSULT" and rows["175"] == "ASSAULT"
    assert len(listed) == len(set(listed))          # one PLOVER event per CAMEO code
    assert all(len(code) in (3, 4) and code.isdigit() for code in rows)


def test_plover_keeps_the_dyad_totals(store: Path) -> None:
    plover = aggregate(store, by="plover_event").table.to_pylist()
    roots = aggregate(store).table.to_pylist()

    def totals(table: list[dict[str, Any]]) -> dict[tuple[Any, ...], tuple[int, int]]:
        return {(r["year"], r["source_country"], r["target_country"]):
                (r["dyad_events"], r["dyad_mentions"]) for r in table}

    assert totals(plover) == totals(roots)
    assert sum(r["events"] for r in plover) == sum(r["events"] for r in roots)
    assert any(r["plover_event"] == "UNMAPPED" for r in plover)


def test_datasets_do_not_share_event_ids(tmp_path: Path,
                                         gdelt_rows: list[dict[str, str]]) -> None:
    from .conftest import ICEWS_FILE

    text = ICEWS_FILE.read_text(encoding="utf-8").splitlines()
    first_id = gdelt_rows[0]["GLOBALEVENTID"]
    icews = tmp_path / "icews.tab"   # an ICEWS event whose id is also a GDELT event's id
    fields = text[1].split("\t")
    fields[0] = first_id
    icews.write_text("\n".join([text[0], "\t".join(fields)]) + "\n", encoding="utf-8")
    result = ingest([write_tsv(gdelt_rows[:1], tmp_path / "g.tsv"), icews], tmp_path / "s")
    assert result.rows_ingested == 2 and result.rows_duplicate == 0


def test_dedupe_merges_repeated_reports(tmp_path: Path,
                                        gdelt_rows: list[dict[str, str]]) -> None:
    rows = [dict(r) for r in gdelt_rows if r["Actor1CountryCode"] and r["Actor2CountryCode"]][:5]
    copies = []
    for index, row in enumerate(rows):      # the same event reported again under a new id
        twin = dict(row)
        twin["GLOBALEVENTID"] = str(900000000 + index)
        copies.append(twin)
    raw = write_tsv(rows + copies, tmp_path / "twice.tsv")
    plain = sum(r["events"] for r in aggregate([raw]).table.to_pylist())
    merged = sum(r["events"] for r in aggregate([raw], dedupe=True).table.to_pylist())
    assert plain == 10
    distinct = {(r["SQLDATE"], r["Actor1Code"], r["Actor2Code"], r["EventCode"]) for r in rows}
    assert merged == len(distinct)


def test_filters_and_bad_options(store: Path) -> None:
    only = aggregate(store, countries=["KAZ"]).table.to_pylist()
    assert only and all("KAZ" in (r["source_country"], r["target_country"]) for r in only)
    with pytest.raises(InputError, match="^by: found 'nope'"):
        aggregate(store, by="nope")
    with pytest.raises(InputError, match="^engine: found 'pandas'"):
        aggregate(store, engine="pandas")
    with pytest.raises(InputError, match="^countries: found 'kz'"):
        aggregate(store, countries=["kz"])
    with pytest.raises(InputError, match="^inputs: found .*; expected one store directory"):
        aggregate([store, GDELT_FILES[0]])
    with pytest.raises(DataSourceError, match="no events"):
        aggregate(store, years=(1990, 1991))


def test_raw_files_are_ingested_into_a_temporary_store(
        tmp_path: Path, gdelt_rows: list[dict[str, str]]) -> None:
    from_raw = aggregate(GDELT_FILES)
    assert from_raw.table.num_rows > 0 and from_raw.rows_quarantined == 0
    assert not from_raw.table.schema.metadata       # the counts travel on the result
    rows = [dict(r) for r in gdelt_rows[:20]]
    rows[3]["GLOBALEVENTID"] = "x"
    damaged = aggregate([write_tsv(rows, tmp_path / "x.tsv")])
    assert damaged.rows_quarantined == 1 and damaged.table.num_rows > 0


def test_spark_gets_one_translated_text() -> None:
    duck, spark = aggregate_sql(), spark_sql()
    assert "COUNT(*) AS events" in duck and "`rows`" in spark
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


@pytest.fixture(scope="module")
def edge_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """GDELT rows over four years with missing scores and counts, plus ICEWS rows."""
    from .conftest import ICEWS_FILE, read_gdelt_rows

    rows = [dict(r) for r in read_gdelt_rows(GDELT_FILES[:1])
            if r["Actor1CountryCode"] and r["Actor2CountryCode"]][:60]
    for index, row in enumerate(rows):
        year = 2009 + index % 4
        row["SQLDATE"] = f"{year}{row['SQLDATE'][4:]}"
        if index % 5 == 0:
            row["GoldsteinScale"] = ""
        if index % 7 == 0:
            row["NumMentions"] = "0"
        if index % 11 == 0:
            row["NumSources"] = ""
    root = tmp_path_factory.mktemp("edge")
    store = root / "store"
    ingest([write_tsv(rows, root / "edge.tsv"), ICEWS_FILE], store)
    return store


@pytest.mark.parametrize("query", [AggregateQuery(), AggregateQuery(dedupe=True),
                                   AggregateQuery(by="plover_event", dedupe=True),
                                   AggregateQuery(root_events_only=True)])
def test_duckdb_and_spark_agree_on_edge_values(edge_store: Path, spark: Any,
                                               query: AggregateQuery) -> None:
    files = query_module.EventStore.open(edge_store).parquet_files()
    duck = query_module._normalise(query_module.run_duckdb(files, query), query)
    other = query_module._normalise(query_module.run_spark(files, query, session=spark), query)
    assert duck.num_rows > 100 and duck.equals(other)
    years = set(duck.column("year").to_pylist())
    assert {2009, 2010, 2011, 2012, 2018} <= years    # GDELT's four years and ICEWS's one


def test_a_bad_spark_master_is_a_clear_error(store: Path, tmp_path: Path) -> None:
    """In a fresh process: a session already running would be reused whatever the master."""
    pytest.importorskip("pyspark")
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "multilat", "events", "aggregate", str(store), "--engine",
         "spark", "--spark-master", "bogus://x", "--out", str(tmp_path / "x.csv")],
        capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1, done.stderr
    assert "Error: --spark-master/--spark-conf: Spark did not start with master 'bogus://x'" in (
        done.stderr)
    assert "Traceback" not in done.stderr and not (tmp_path / "x.csv").exists()


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
    on_spark = aggregate(store, engine="spark", session=spark).table
    assert on_spark.equals(aggregate(store).table)
