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
