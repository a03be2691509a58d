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
    before = {p.relative_to(store): p.read_bytes() for p in store.rglob("*") if p.is_file()}
    copy = tmp_path / "renamed.tsv"
    copy.write_bytes(gdelt_tsv.read_bytes())
    again = ingest([gdelt_tsv, copy], store)
    assert first.rows_ingested == 8785
    assert [f.status for f in again.files] == ["already in the store"] * 2
    assert again.rows_ingested == 0 and again.store_rows == 8785
    after = {p.relative_to(store): p.read_bytes() for p in store.rglob("*") if p.is_file()}
    assert after == before


def test_events_given_twice_are_stored_once(tmp_path: Path, gdelt_tsv: Path, gdelt_zip: Path,
                                            gdelt_rows: list[dict[str, str]]) -> None:
    store = tmp_path / "store"
    ingest([gdelt_tsv], store)
    zipped = ingest([gdelt_zip], store)         # other bytes, the same events
    assert (zipped.rows_ingested, zipped.rows_duplicate) == (0, 8785)
    overlap = write_tsv(gdelt_rows[100:300] + [dict(gdelt_rows[0], GLOBALEVENTID="1")],
                        tmp_path / "overlap.tsv")
    part = ingest([overlap], store)
    assert (part.rows_ingested, part.rows_duplicate) == (1, 200)
    repeated = [dict(r, GLOBALEVENTID=str(5_000_000_000 + i % 3)) for i, r in
                enumerate(gdelt_rows[:9])]
    within = ingest([write_tsv(repeated, tmp_path / "repeated.tsv")], store)
    assert (within.rows_ingested, within.rows_duplicate) == (3, 6)
    stored = _store_rows(store)
    assert len(stored) == len({r[0] for r in stored}) == 8785 + 1 + 3


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


def _on_disk(store: Path) -> list[Path]:
    return sorted(p for p in store.rglob("*.parquet") if ".stage-" not in str(p))


@pytest.mark.parametrize("moment", ["during the copy", "after the entry, before the rename"])
def test_an_interrupted_ingest_leaves_no_partial_partition(
        tmp_path: Path, gdelt_tsv: Path, monkeypatch: pytest.MonkeyPatch, moment: str) -> None:
    store = tmp_path / "store"
    ingest([ICEWS_FILE], store)                 # a store with something in it already
    before = _on_disk(store)
    if moment == "during the copy":
        def stop(*args: object) -> int:
            raise KeyboardInterrupt
        monkeypatch.setattr(ingest_module, "_run_copy", stop)
    else:
        real_rename = ingest_module.os.rename

        def stop_rename(source: object, target: object) -> None:
            if "events/file=" in str(target):
                raise KeyboardInterrupt
            real_rename(source, target)         # type: ignore[arg-type]
        monkeypatch.setattr(ingest_module.os, "rename", stop_rename)
    with pytest.raises(KeyboardInterrupt):
        ingest([gdelt_tsv], store)
    monkeypatch.undo()
    # what any reader of STORE/events sees: exactly what was there before
    assert _on_disk(store) == before == EventStore.open(store).parquet_files()
    assert not list(store.glob(".stage-*"))
    assert EventStore.open(store).rows == 3705
    result = ingest([gdelt_tsv], store)         # cleans what was left, then ingests
    assert result.rows_ingested == 8785
    assert _on_disk(store) == EventStore.open(store).parquet_files()
    assert len(list((store / "files").glob("*.json"))) == 2


def test_what_a_killed_ingest_leaves_is_removed_by_the_next(tmp_path: Path,
                                                            gdelt_tsv: Path) -> None:
    """kill -9 runs no clean-up: its staging directory, a partition and a quarantine file no
    entry lists, and an entry without its partition stay on disk until the next ingest."""
    store = tmp_path / "store"
    ingest([ICEWS_FILE], store)
    before = _on_disk(store)
    stage = store / ".stage-k1ll3d" / "parts" / "year=2012"
    stage.mkdir(parents=True)
    (stage / "data_0.parquet").write_bytes(b"PAR1 cut short")
    orphan = store / "events" / "file=0123456789abcdef" / "year=2012"
    orphan.mkdir(parents=True)
    (orphan / "data_0.parquet").write_bytes(b"PAR1")
    (store / "quarantine").mkdir(exist_ok=True)
    (store / "quarantine" / "0123456789abcdef.csv").write_text("row\n", encoding="utf-8")
    entry = json.loads(next((store / "files").glob("*.json")).read_text(encoding="utf-8"))
    entry.update(sha256="f" * 64, parts=[])
    (store / "files" / f"{'f' * 64}.json").write_text(json.dumps(entry), encoding="utf-8")
    assert EventStore.open(store).parquet_files() == before   # readers see none of it
    assert EventStore.open(store).rows == 3705
    ingest([gdelt_tsv], store)
    assert not list(store.glob(".stage-*")) and not orphan.parent.exists()
    assert not (store / "quarantine" / "0123456789abcdef.csv").exists()
    assert not (store / "files" / f"{'f' * 64}.json").exists()
    assert len(list((store / "files").glob("*.json"))) == 2
    assert _on_disk(store) == EventStore.open(store).parquet_files()


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
    with pytest.raises(DataSourceError, match="a non-empty directory without store.json"):
        ingest([ICEWS_FILE], tmp_path / "notastore")
    store = tmp_path / "store"
    ingest([ICEWS_FILE], store)
    data = json.loads((store / "store.json").read_text(encoding="utf-8"))
    data["version"] = 99
    (store / "store.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataSourceError, match="version 99"):
        EventStore.open(store)


def test_glob_matching_nothing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match="no file matching"):
        ingest([str(tmp_path / "*.zip")], tmp_path / "store")


def test_bad_values_that_parse_are_quarantined(tmp_path: Path,
                                               gdelt_rows: list[dict[str, str]]) -> None:
    rows = [dict(r) for r in gdelt_rows[:12]]
    planted = {0: {"GoldsteinScale": "nan"}, 1: {"GoldsteinScale": "inf"},
               2: {"GoldsteinScale": "-42"}, 3: {"GoldsteinScale": "2.25"},
               # re-saved by R: leading zeros gone
               4: {"EventCode": "10", "EventBaseCode": "10", "EventRootCode": "1"},
               5: {"EventCode": "043", "EventRootCode": "05"},
               6: {"EventCode": "1e2"}, 7: {"EventCode": "999"}}
    for index, change in planted.items():
        rows[index].update(change)
    result = ingest([write_tsv(rows, tmp_path / "x.tsv")], tmp_path / "store")
    assert (result.rows_ingested, result.rows_quarantined) == (4, 8)
    text = Path(result.files[0].quarantine_path or "").read_text(encoding="utf-8")
    for fragment in ("Goldstein score: found nan", "Goldstein score: found inf",
                     "Goldstein score: found -42", "Goldstein score: found 2.25",
                     "event code: found 10;", "EventRootCode: found 05",
                     "event code: found 1e2", "event code: found 999"):
        assert fragment in text, fragment


def test_a_row_shifted_by_a_stray_tab_is_rejected(tmp_path: Path,
                                                  gdelt_rows: list[dict[str, str]]) -> None:
    rows = [dict(r) for r in gdelt_rows[:5] if r["ActionGeo_FullName"]]
    rows[1]["ActionGeo_FullName"] = rows[1]["ActionGeo_FullName"].replace(", ", "\t", 1)
    rows[1]["SOURCEURL"] = ""                   # DuckDB forgives an empty extra last field
    result = ingest([write_tsv(rows, tmp_path / "shift.tsv")], tmp_path / "store")
    assert result.rows_quarantined == 1 and result.rows_ingested == len(rows) - 1
    assert "probably shifted by a stray delimiter" in result.files[0].sample[0]["problem"]


def test_unknown_icews_country_names_are_quarantined(tmp_path: Path) -> None:
    text = ICEWS_FILE.read_text(encoding="utf-8").replace("\tKazakhstan\t", "\tKazakstan\t")
    renamed = tmp_path / "icews.tab"
    renamed.write_text(text, encoding="utf-8")
    with ICEWS_FILE.open(encoding="utf-8", newline="") as handle:
        raw = list(csv.DictReader(handle, delimiter="\t"))
    kazakh = sum("Kazakhstan" in (r["Source Country"], r["Target Country"]) for r in raw)
    result = ingest([renamed], tmp_path / "store")
    assert result.rows_quarantined == kazakh > 0
    assert "country: found Kazakstan; expected a name in tables/country_names.csv" in (
        result.files[0].sample[0]["problem"])


def test_gdelt_action_country_becomes_iso3(tmp_path: Path,
                                           gdelt_rows: list[dict[str, str]]) -> None:
    ingest(GDELT_FILES[:1], tmp_path / "store")
    files = [str(p) for p in EventStore.open(tmp_path / "store").parquet_files()]
    codes = dict(duckdb.connect().execute(
        "SELECT event_id, action_country FROM read_parquet(?)", [files]).fetchall())
    georgia = [r for r in read_gdelt_rows(GDELT_FILES[:1]) if r["ActionGeo_CountryCode"] == "GG"]
    assert georgia and all(codes[int(r["GLOBALEVENTID"])] == "GEO" for r in georgia)


def test_damaged_archives_are_clear_errors(tmp_path: Path, gdelt_gz: Path,
                                           gdelt_zip: Path) -> None:
    truncated = tmp_path / "truncated.tsv.gz"
    truncated.write_bytes(gdelt_gz.read_bytes()[: gdelt_gz.stat().st_size // 2])
    with pytest.raises(DataSourceError, match=r"truncated.tsv.gz: found a file DuckDB cannot "
                                              r"read .*expected a readable event file"):
        ingest([truncated], tmp_path / "s1")
    flipped = bytearray(gdelt_gz.read_bytes())
    flipped[-8] ^= 0xFF          # the member's CRC-32: the data read fine, the check fails
    damaged = tmp_path / "flipped.tsv.gz"
    damaged.write_bytes(bytes(flipped))
    with pytest.raises(DataSourceError, match=r"flipped.tsv.gz: found a damaged archive "
                                              r"\(CRC check failed"):
        ingest([damaged], tmp_path / "s3")
    assert EventStore.open(tmp_path / "s3").files == {}
    data = bytearray(gdelt_zip.read_bytes())
    data[len(data) // 2] ^= 0xFF
    corrupt = tmp_path / "corrupt.zip"
    corrupt.write_bytes(bytes(data))
    with pytest.raises(DataSourceError, match=r"corrupt.zip: found a damaged archive"):
        ingest([corrupt], tmp_path / "s2")
    assert EventStore.open(tmp_path / "s2").files == {}


def test_file_names_with_glob_characters(tmp_path: Path, gdelt_tsv: Path) -> None:
    odd = tmp_path / "odd[1].tsv"
    odd.write_bytes(gdelt_tsv.read_bytes())
    assert ingest([odd], tmp_path / "store").rows_ingested == 8785
