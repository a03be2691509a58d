"""Raw layouts, ingest into the store, quarantine, no-op re-ingest, interrupted ingest."""

from __future__ import annotations

import csv
import importlib
import json
from pathlib import Path

import duckdb
import pytest

from multilat.errors import DataSourceError
from multilat.events import EventStore, detect_format, ingest
from multilat.events.formats import GDELT1_COLUMNS, GDELT2_COLUMNS

from .conftest import GDELT_FILES, ICEWS_FILE, read_gdelt_rows, write_tsv

# the module, not the function of the same name that multilat.events exports
ingest_module = importlib.import_module("multilat.events.ingest")


def _store_rows(store: Path) -> list[tuple]:
    files = [str(p) for p in EventStore.open(store).parquet_files()]
    con = duckdb.connect()
    return con.execute("SELECT event_id, event_date, source_country, target_country, "
                       "event_code, cameo_root, quad_class, goldstein, mentions FROM "
                       "read_parquet(?) ORDER BY event_id", [files]).fetchall()


def test_layouts_have_the_published_widths() -> None:
    assert len(GDELT1_COLUMNS) == 58 and GDELT1_COLUMNS[-1] == "SOURCEURL"
    assert len(GDELT2_COLUMNS) == 61 and "ActionGeo_ADM2Code" in GDELT2_COLUMNS
    with GDELT_FILES[0].open(encoding="utf-8") as handle:
        published = handle.readline()
    assert [c.strip('"') for c in published.strip().split(",")] == list(GDELT1_COLUMNS)


def test_detects_each_layout(tmp_path: Path, gdelt_rows: list[dict[str, str]],
                             gdelt_tsv: Path, gdelt_zip: Path) -> None:
    csv_header = detect_format(GDELT_FILES[0])
    assert (csv_header.format.name, csv_header.delimiter, csv_header.header) == (
        "gdelt1", ",", True)
    tsv = detect_format(gdelt_tsv)
    assert (tsv.format.name, tsv.delimiter, tsv.header) == ("gdelt1", "\t", False)
    assert detect_format(gdelt_zip).format.name == "gdelt1"
    v2 = write_tsv(gdelt_rows[:5], tmp_path / "v2.export.CSV", extra_columns={
        "Actor1Geo_ADM2Code": 39, "Actor2Geo_ADM2Code": 47, "ActionGeo_ADM2Code": 55})
    assert detect_format(v2).format.name == "gdelt2"
    assert detect_format(ICEWS_FILE).format.name == "icews"


def test_wrong_layout_is_located(tmp_path: Path, gdelt_tsv: Path) -> None:
    with pytest.raises(DataSourceError, match=r"row 1: found 58 columns.*expected the layout "
                                              r"of icews"):
        detect_format(gdelt_tsv, "icews")
    odd = tmp_path / "odd.tsv"
    odd.write_text("a\tb\tc\n", encoding="utf-8")
    with pytest.raises(DataSourceError, match=r"odd.tsv row 1: found 3 columns in the first row; "
                                              r"expected one of"):
        detect_format(odd)
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(DataSourceError, match="an empty file"):
        ingest([empty], tmp_path / "store")


def test_real_gdelt_rows_all_arrive(tmp_path: Path, gdelt_rows: list[dict[str, str]]) -> None:
    result = ingest([str(GDELT_FILES[0].parent / "*2012.csv")], tmp_path / "store")
    assert result.rows_ingested == len(gdelt_rows) == 8785
    assert result.rows_quarantined == 0
    stored = _store_rows(tmp_path / "store")
    assert [r[0] for r in stored] == sorted(int(r["GLOBALEVENTID"]) for r in gdelt_rows)
    by_id = {int(r["GLOBALEVENTID"]): r for r in gdelt_rows}
    for event_id, date, source, target, code, root, quad, goldstein, mentions in stored[::97]:
        raw = by_id[event_id]
        assert date.strftime("%Y%m%d") == raw["SQLDATE"]
        assert (source or "", target or "", code) == (
            raw["Actor1CountryCode"], raw["Actor2CountryCode"], raw["EventCode"])
        assert root == raw["EventRootCode"] and quad == int(raw["QuadClass"])
        assert goldstein == float(raw["GoldsteinScale"])
        assert mentions == int(raw["NumMentions"])
    # partitioned by the event date's year, one directory per year
    years = {p.parent.name for p in EventStore.open(tmp_path / "store").parquet_files()}
    assert years == {f"year={y}" for y in {r["SQLDATE"][:4] for r in gdelt_rows}}


def test_plain_zip_and_gz_give_the_same_rows(tmp_path: Path, gdelt_tsv: Path, gdelt_zip: Path,
                                             gdelt_gz: Path) -> None:
    outcomes = []
    for name, path in (("plain", gdelt_tsv), ("zip", gdelt_zip), ("gz", gdelt_gz)):
        ingest([path], tmp_path / name)
        outcomes.append(_store_rows(tmp_path / name))
    assert outcomes[0] == outcomes[1] == outcomes[2]
    assert len(outcomes[0]) == 8785


def test_reingesting_the_same_bytes_is_a_no_op(tmp_path: Path, gdelt_tsv: Path) -> None:
    store = tmp_path / "store"
    first = ingest([gdelt_tsv], store)
    manifest = (store / "manifest.json").read_bytes()
    files = sorted(p.name for p in store.rglob("*.parquet"))
    copy = tmp_path / "renamed.tsv"
    copy.write_bytes(gdelt_tsv.read_bytes())
    again = ingest([gdelt_tsv, copy], store)
    assert first.rows_ingested == 8785
    assert [f.status for f in again.files] == ["already in the store"] * 2
    assert again.rows_ingested == 0 and again.store_rows == 8785
    assert (store / "manifest.json").read_bytes() == manifest
    assert sorted(p.name for p in store.rglob("*.parquet")) == files


def _plant(rows: list[dict[str, str]], path: Path) -> tuple[Path, set[int]]:
    """A GDELT export with malformed rows at known lines (1-based)."""
    lines = ["\t".join(r.values()) for r in rows[:300]]
    planted = {
        10: lines[9].rsplit("\t", 5)[0],                              # 53 fields
        20: lines[19] + "\textra",                                     # 59 fields
        30: "\t".join(["x1"] + lines[29].split("\t")[1:]),             # id not an integer
        40: "\t".join(lines[39].split("\t")[:1] + ["20121341"] + lines[39].split("\t")[2:]),
        50: "\t".join(lines[49].split("\t")[:30] + ["lots"] + lines[49].split("\t")[31:]),
        60: "",                                                        # blank line
    }
    for line, text in planted.items():
        lines[line - 1] = text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, set(planted)


def test_malformed_rows_are_quarantined_and_counted(tmp_path: Path,
                                                    gdelt_rows: list[dict[str, str]]) -> None:
    raw, planted = _plant(gdelt_rows, tmp_path / "bad.tsv")
    result = ingest([raw], tmp_path / "store")
    report = result.files[0]
    assert result.rows_quarantined == len(planted) - 1    # the blank line is no row at all
    assert result.rows_ingested == 300 - len(planted)
    with open(report.quarantine_path, encoding="utf-8", newline="") as handle:
        quarantined = list(csv.DictReader(handle))
    assert {int(r["line"]) for r in quarantined} == planted - {60}
    by_line = {int(r["line"]): r for r in quarantined}
    assert "Expected Number of Columns: 58 Found: 53" in by_line[10]["problem"]
    assert "Found: 59" in by_line[20]["problem"]
    assert "GLOBALEVENTID" in by_line[30]["problem"] and by_line[30]["raw"].startswith("x1\t")
    assert "20121341" in by_line[40]["problem"]
    assert '"lots"' in by_line[50]["problem"] and "GoldsteinScale" in by_line[50]["problem"]
    assert len(report.sample) == 5 and Path(result.quarantine_path).is_dir()


def test_rows_that_parse_but_are_not_events_are_quarantined(
        tmp_path: Path, gdelt_rows: list[dict[str, str]]) -> None:
    rows = [dict(r) for r in gdelt_rows[:20]]
    rows[3]["SQLDATE"] = ""
    rows[4]["EventCode"] = "1x3"
    rows[5]["QuadClass"] = "7"
    result = ingest([write_tsv(rows, tmp_path / "x.tsv")], tmp_path / "store")
    assert (result.rows_ingested, result.rows_quarantined) == (17, 3)
    text = Path(result.files[0].quarantine_path or "").read_text(encoding="utf-8")
    assert "date: found nothing" in text and "event code: found 1x3" in text
    assert "quad class: found 7" in text


def test_an_interrupted_ingest_leaves_no_partial_partition(
        tmp_path: Path, gdelt_tsv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "store"
    real_move = ingest_module._move_parts

    def move_then_die(parts: Path, root: Path, tag: str) -> list[str]:
        real_move(parts, root, tag)           # files are in place, the manifest not written
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest_module, "_move_parts", move_then_die)
    with pytest.raises(KeyboardInterrupt):
        ingest([gdelt_tsv], store)
    assert EventStore.open(store).files == {}
    assert EventStore.open(store).parquet_files() == []
    assert not list(store.glob(".stage-*"))
    monkeypatch.undo()
    result = ingest([gdelt_tsv], store)       # cleans the leftovers, then ingests
    assert result.rows_ingested == 8785
    on_disk = sorted(store.rglob("*.parquet"))
    assert on_disk == EventStore.open(store).parquet_files()


def test_icews_rows_get_iso3_countries(tmp_path: Path) -> None:
    result = ingest([ICEWS_FILE], tmp_path / "store")
    assert result.rows_ingested == 3705 and result.files[0].source == "icews"
    con = duckdb.connect()
    files = [str(p) for p in EventStore.open(tmp_path / "store").parquet_files()]
    with ICEWS_FILE.open(encoding="utf-8", newline="") as handle:
        raw = list(csv.DictReader(handle, delimiter="\t"))
    expected = sum(r["Source Country"] == "Russian Federation" for r in raw)
    (got,) = con.execute("SELECT count(*) FROM read_parquet(?) WHERE source_country = 'RUS'",
                         [files]).fetchone()
    assert got == expected > 0
    unmapped = con.execute("SELECT count(*) FROM read_parquet(?) WHERE source_country IS NULL",
                           [files]).fetchone()
    named = sum(r["Source Country"] not in ("", "NA") for r in raw)
    assert 3705 - unmapped[0] == named     # every named country found its code


def test_manifest_problems_are_clear(tmp_path: Path) -> None:
    (tmp_path / "notastore").mkdir()
    (tmp_path / "notastore" / "x.txt").write_text("x", encoding="utf-8")
    with pytest.raises(DataSourceError, match="a directory without manifest.json"):
        ingest([ICEWS_FILE], tmp_path / "notastore")
    store = tmp_path / "store"
    ingest([ICEWS_FILE], store)
    data = json.loads((store / "manifest.json").read_text(encoding="utf-8"))
    data["version"] = 99
    (store / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataSourceError, match="version 99"):
        EventStore.open(store)


def test_glob_matching_nothing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match="no file matching"):
        ingest([str(tmp_path / "*.zip")], tmp_path / "store")


def test_independent_reader_agrees_on_row_count() -> None:
    assert len(read_gdelt_rows([GDELT_FILES[0]])) == 1255
