"""Ingest shortcuts: distinct ids by a bitmap and the code check by GLOBs, checked against
the slower forms they replace."""

from __future__ import annotations

import importlib
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

ingest_module = importlib.import_module("multilat.events.ingest")


def _write(folder: Path, chunks: list[list[int | None]], row_group_size: int = 7) -> list[Path]:
    paths = []
    for index, ids in enumerate(chunks):
        path = folder / f"year={2000 + index}" / "data_0.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.table({"event_id": pa.array(ids, pa.int64()),
                                 "x": list(range(len(ids)))}), path,
                       row_group_size=row_group_size)
        paths.append(path)
    return paths


def _duckdb(paths: list[Path]) -> tuple[int, int, int, int]:
    files = ", ".join(f"'{p}'" for p in paths)
    con = duckdb.connect()
    row = con.execute(f"SELECT count(*), count(DISTINCT event_id), min(event_id), "
                      f"max(event_id) FROM read_parquet([{files}])").fetchone()
    con.close()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2]), int(row[3])


def _stats(paths: list[Path]) -> tuple[int, int, int, int] | None:
    con = duckdb.connect()
    try:
        files = "[" + ", ".join(f"'{p}'" for p in paths) + "]"
        return ingest_module._id_stats(con, files)
    finally:
        con.close()


@pytest.mark.parametrize("seed", range(8))
def test_counts_equal_duckdb_s(tmp_path: Path, seed: int) -> None:
    rng = np.random.default_rng(seed)
    start = int(rng.integers(0, 10**12))
    chunks = [[int(v) for v in start + rng.integers(0, 300, size=int(rng.integers(1, 80)))]
              for _ in range(int(rng.integers(1, 4)))]
    paths = _write(tmp_path, chunks)
    assert _stats(paths) == _duckdb(paths)


def test_unique_ids(tmp_path: Path) -> None:
    paths = _write(tmp_path, [list(range(100, 150)), list(range(150, 160))])
    assert _stats(paths) == (60, 60, 100, 159)


def test_wide_ranges_and_missing_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wide = _write(tmp_path / "wide", [[1, 10**15, 1]])
    assert _stats(wide) == (3, 2, 1, 10**15)                 # a distinct count
    monkeypatch.setattr(ingest_module, "_BITMAP_BITS", 4)
    small = _write(tmp_path / "small", [[5, 6, 7, 8, 9, 5]])
    assert _stats(small) == (6, 5, 5, 9)
    nulls = _write(tmp_path / "nulls", [[1, None, 3]])
    assert _stats(nulls) is None


def test_fast_code_check_is_the_regular_expression_s() -> None:
    codes = ["", None, "01", "010", "0101", "01011", "200", "2000", "201", "210", "00a",
             "0a1", " 010", "010 ", "\u0660\u0661\u0660", "1", "19", "190", "0", "-10", "+10",
             "010\n", "99", "999", "0201", "2099", "0000", "1a2b"]
    con = duckdb.connect()
    con.execute("CREATE TABLE t(event_code VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?)", [[c] for c in codes])
    rows = con.execute(f"SELECT event_code, coalesce({ingest_module._CODE_OK}, false), "
                       f"{ingest_module._CODE_OK_FAST} FROM t").fetchall()
    con.close()
    assert [r for r in rows if r[1] != r[2]] == []
    assert sum(r[2] for r in rows) == 8


def _scenario(folder: Path, rows: list[dict[str, str]]) -> list[Path]:
    """Raw files with events given twice (across and within files), malformed rows and rows
    that parse but are not events."""
    from .conftest import write_tsv

    folder.mkdir()
    first = write_tsv(rows, folder / "all.tsv")
    overlap = write_tsv(rows[100:300] + [dict(rows[0], GLOBALEVENTID="1")],
                        folder / "overlap.tsv")
    repeated = [dict(r, GLOBALEVENTID=str(5_000_000_000 + i % 3)) for i, r in
                enumerate(rows[:9])]
    within = write_tsv(repeated, folder / "repeated.tsv")
    odd = [dict(r, GLOBALEVENTID=str(6_000_000_000 + i)) for i, r in enumerate(rows[1000:1400])]
    odd[3]["SQLDATE"] = ""
    odd[4]["EventCode"] = "1x3"
    odd[5]["QuadClass"] = "7"
    odd[6]["SQLDATE"] = "20121341"
    odd[7]["GLOBALEVENTID"] = odd[8]["GLOBALEVENTID"]
    return [first, overlap, within, write_tsv(odd, folder / "odd.tsv")]


def _contents(store: Path) -> dict[str, object]:
    """Everything a store holds: entries, quarantine files' bytes, every stored row."""
    files = {p.name: p.read_text(encoding="utf-8") for p in (store / "files").glob("*.json")}
    quarantine = {p.name: p.read_bytes() for p in (store / "quarantine").glob("*.csv")}
    con = duckdb.connect()
    stored = con.execute(f"SELECT * FROM read_parquet('{store}/events/*/*/*.parquet', "
                         "hive_partitioning=false) ORDER BY ALL").fetchall()
    con.close()
    return {"files": files, "quarantine": quarantine, "rows": stored}


def test_statistics_path_stores_what_the_scanning_path_stored(
        tmp_path: Path, gdelt_rows: list[dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The COPY's statistics (rows, id range) and a small partition buffer give the same
    store, counts and quarantine as scanning the staged files with the earlier buffer."""
    raws = _scenario(tmp_path / "raw", gdelt_rows)
    ingest = ingest_module.ingest
    scanned: list[tuple[int, int, int]] = []
    real_stats = ingest_module._id_stats

    def counting(con, staged, known=None):  # type: ignore[no-untyped-def]
        if known is not None:               # the scan the statistics replace, for comparison
            again = real_stats(con, staged)
            assert again is not None
            scanned.append((again[0], again[2], again[3]))
            assert known == scanned[-1]
        return real_stats(con, staged, known)

    monkeypatch.setattr(ingest_module, "_id_stats", counting)
    monkeypatch.setattr(ingest_module, "_FLUSH_ROWS", 100)   # many flushes per partition
    new = [ingest([raw], tmp_path / "new").files[0] for raw in raws]
    assert len(scanned) == len(raws)

    real_written = ingest_module._written

    def no_statistics(rows):  # type: ignore[no-untyped-def]
        return [ingest_module._Written(w.year, w.rows, None, None) for w in real_written(rows)]

    monkeypatch.setattr(ingest_module, "_id_stats", real_stats)
    monkeypatch.setattr(ingest_module, "_FLUSH_ROWS", 122_880)
    monkeypatch.setattr(ingest_module, "_written", no_statistics)
    old = [ingest([raw], tmp_path / "old").files[0] for raw in raws]

    counts = [(r.rows_ingested, r.rows_duplicate, r.rows_quarantined) for r in new]
    assert counts == [(r.rows_ingested, r.rows_duplicate, r.rows_quarantined) for r in old]
    assert counts[:3] == [(8785, 0, 0), (1, 200, 0), (3, 6, 0)]
    assert counts[3] == (400 - 4 - 1, 1, 4)
    assert _contents(tmp_path / "new") == _contents(tmp_path / "old")


def test_written_statistics_match_the_files(tmp_path: Path,
                                            gdelt_rows: list[dict[str, str]]) -> None:
    raws = _scenario(tmp_path / "raw", gdelt_rows)
    detected = ingest_module.detect_format(raws[3])
    stage = tmp_path / "stage"
    (stage / "tmp").mkdir(parents=True)
    copy = ingest_module._Copy(raws[3], detected, stage, None, None)
    try:
        assert copy.run() == 400 - 1                # the bad date is rejected by the reader
        con = duckdb.connect()
        for part in copy.written:
            folder = "__HIVE_DEFAULT_PARTITION__" if part.year is None else part.year
            row = con.execute(f"SELECT count(*), min(event_id), max(event_id) FROM "
                              f"read_parquet('{stage}/parts/year={folder}/*.parquet')").fetchone()
            assert row == (part.rows, part.min_id, part.max_id)
        con.close()
        assert sorted(p.year is None for p in copy.written)[-1]     # invalid rows written apart
    finally:
        copy.close()
