"""Fixtures for the event-data tests: the real GDELT 1.0 and ICEWS rows, and variants."""

from __future__ import annotations

import csv
import gzip
import zipfile
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "events"
GDELT_FILES = sorted(DATA.glob("*2012.csv"))
ICEWS_FILE = DATA / "events.2018.sample.tab"


def read_gdelt_rows(paths: list[Path] | None = None) -> list[dict[str, str]]:
    """The raw GDELT rows, read independently of multilat (csv module); 'NA' -> ''."""
    rows = []
    for path in paths or GDELT_FILES:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                rows.append({k: ("" if v == "NA" else v) for k, v in row.items()})
    return rows


def write_tsv(rows: list[dict[str, str]], path: Path, *, header: bool = False,
              extra_columns: dict[str, int] | None = None) -> Path:
    """Rows in GDELT's own export layout: tab-separated, no quoting, empty for missing."""
    columns = list(rows[0].keys())
    for name, position in (extra_columns or {}).items():
        columns.insert(position, name)
    lines = []
    if header:
        lines.append("\t".join(columns))
    for row in rows:
        lines.append("\t".join(row.get(c, "") for c in columns))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def gdelt_rows() -> list[dict[str, str]]:
    return read_gdelt_rows()


@pytest.fixture()
def gdelt_tsv(tmp_path: Path, gdelt_rows: list[dict[str, str]]) -> Path:
    return write_tsv(gdelt_rows, tmp_path / "20121101.export.CSV")


@pytest.fixture()
def gdelt_zip(tmp_path: Path, gdelt_tsv: Path) -> Path:
    target = tmp_path / "20121101.export.CSV.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(gdelt_tsv, gdelt_tsv.name)
    return target


@pytest.fixture()
def gdelt_gz(tmp_path: Path, gdelt_tsv: Path) -> Path:
    target = tmp_path / "20121101.export.tsv.gz"
    target.write_bytes(gzip.compress(gdelt_tsv.read_bytes()))
    return target


@pytest.fixture(scope="session")
def spark():
    """One local Spark session for the module (start-up takes several seconds)."""
    pytest.importorskip("pyspark")
    from multilat.events.query import spark_session

    session = spark_session("local[2]", [("spark.sql.shuffle.partitions", "2")])
    yield session
    session.stop()
