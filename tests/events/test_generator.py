"""The synthetic GDELT 1.0 generator of benchmarks/events writes schema-faithful rows."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytest.importorskip("duckdb")

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "events" / "generate_gdelt.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_gdelt", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate_gdelt", module)
    spec.loader.exec_module(module)
    return module


gen = _load()
COL = {name: index for index, name in enumerate(gen.COLUMNS)}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return gen.generate(1000, tmp_path_factory.mktemp("gdelt") / "g.tsv", seed=7)


@pytest.fixture(scope="module")
def rows(generated: Path) -> list[list[str]]:
    text = generated.read_text(encoding="utf-8")
    assert text.endswith("\n") and '"' not in text
    return [line.split("\t") for line in text.splitlines()]


def test_layout_is_gdelt_1_column_order() -> None:
    assert len(gen.COLUMNS) == 58
    names = gen.layout_names()
    if names is not None:
        assert names == gen.COLUMNS


def test_rows_have_58_columns_and_unique_increasing_ids(rows: list[list[str]]) -> None:
    assert len(rows) == 1000
    assert {len(row) for row in rows} == {58}
    ids = [int(row[COL["GLOBALEVENTID"]]) for row in rows]
    assert ids == sorted(set(ids))


def test_dates_are_consistent(rows: list[list[str]]) -> None:
    for row in rows:
        day = dt.datetime.strptime(row[COL["SQLDATE"]], "%Y%m%d").date()
        assert 2010 <= day.year <= 2019
        assert row[COL["MonthYear"]] == f"{day.year}{day.month:02d}"
        assert row[COL["Year"]] == str(day.year)
        fraction = day.year + ((day.month - 1) * 30 + day.day) / 365
        assert float(row[COL["FractionDate"]]) == pytest.approx(fraction, abs=1e-4)
        added = dt.datetime.strptime(row[COL["DATEADDED"]], "%Y%m%d").date()
        assert 0 <= (added - day).days <= 30


def test_event_codes_are_consistent_with_cameo(rows: list[list[str]]) -> None:
    goldstein = dict(gen.read_cameo_codes())
    for row in rows:
        code = row[COL["EventCode"]]
        assert code in goldstein
        assert row[COL["EventBaseCode"]] == code[:3]
        root = row[COL["EventRootCode"]]
        assert root == code[:2]
        number = int(root)
        quad = 1 if number <= 5 else 2 if number <= 8 else 3 if number <= 13 else 4
        assert row[COL["QuadClass"]] == str(quad)
        assert float(row[COL["GoldsteinScale"]]) == goldstein[code]
        mentions, sources, articles = (int(row[COL[c]]) for c in
                                       ("NumMentions", "NumSources", "NumArticles"))
        assert 1 <= sources <= articles <= mentions
        float(row[COL["AvgTone"]])


def test_actors_are_skewed_and_often_empty(rows: list[list[str]]) -> None:
    countries = [row[COL["Actor1CountryCode"]] for row in rows]
    empty = countries.count("") / len(countries)
    assert 0.2 < empty < 0.45
    assert max(set(countries) - {""}, key=countries.count) == "RUS"
    for row in rows:
        code, country = row[COL["Actor1Code"]], row[COL["Actor1CountryCode"]]
        assert code.startswith(country)


def test_same_seed_gives_same_bytes(generated: Path, tmp_path: Path) -> None:
    first = generated.read_bytes()
    assert gen.generate(1000, tmp_path / "b.tsv", seed=7).read_bytes() == first
    assert gen.generate(1000, tmp_path / "c.tsv", seed=8).read_bytes() != first


def test_malformed_rows_are_planted(tmp_path: Path) -> None:
    path = gen.generate(1000, tmp_path / "m.tsv", malformed=10)
    lines = path.read_text(encoding="utf-8").splitlines()
    widths = [len(line.split("\t")) for line in lines]
    assert widths.count(56) == 5
    assert sum(line.split("\t")[1] == "20131345" for line in lines) == 5
