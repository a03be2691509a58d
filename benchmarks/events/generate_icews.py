"""Schema-faithful synthetic ICEWS coded-event files, for benchmarks.

Run: python benchmarks/events/generate_icews.py --rows 1000000 --out /tmp/icews-1M.tab

An ICEWS file (Harvard Dataverse, doi:10.7910/DVN/28075, ``events.YYYY.*.tab``) is 20
tab-separated columns with a header row (``Event ID``, ``Event Date``, ``Source Name``, ...,
``Latitude``, ``Longitude``), no quoting, and ``NA`` for a missing value, as R writes it. This
script writes that layout with values shaped like the real files (the sample in
``tests/data/events/events.2018.sample.tab``):

* Event ID unique and increasing from 30,000,000; Event Date over 1995-2020 (``YYYY-MM-DD``);
* source and target: an actor kind and its country, ``Government (Russia)``, or a person's
  role; sectors as comma-separated lists; countries by ICEWS's own names (the store's
  ``tables/country_names.csv``), skewed (Zipf) towards Russia, the United States, China,
  Kazakhstan..., 3% ``NA``;
* CAMEO Code: real 3- and 4-digit codes from ``cameoCodeTable.tsv`` weighted by root as in
  ``generate_gdelt.py``, Intensity the code's Goldstein value, Event Text a generic label;
* Story ID, Sentence Number (1-12), Publisher, City, District (mostly ``NA``), Province,
  Country (the event's place, often the source's country), Latitude and Longitude.

Everything is computed by DuckDB in one ``COPY (SELECT ... FROM range(n))`` with
pseudo-randomness from ``hash(row * 64 + stream, seed)``: the same ``--rows`` and ``--seed`` give
the same bytes (for a given DuckDB version). ``multilat events ingest`` reads the result as
``icews``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_gdelt import (  # noqa: E402
    _event_code_slots,
    _list,
    _slots,
    generator_connection,
    read_cameo_codes,
)

NAMES = HERE.parents[1] / "src" / "multilat" / "events" / "tables" / "country_names.csv"
KINDS = ("Government", "Foreign Affairs", "Military", "Police", "Citizen", "Business",
         "Media", "Protester", "Legislature", "Judiciary", "Head of Government",
         "Ministry of Interior")
SECTORS = ("Executive,Government", "Executive,Foreign Ministry,Government",
           "Military,Government", "Police,Government", "General Population,Civilian",
           "Business,Social", "News,Media,Social", "Dissident,Protestors", "Legislative,Government",
           "Judicial,Government")
PUBLISHERS = ("Xinhua News Agency", "BBC Monitoring", "Agence France-Presse", "Reuters News",
              "Interfax", "ITAR-TASS", "Associated Press", "Kazakhstan Today",
              "Vietnam News Agency Bulletin", "Trend News Agency")
PLACES = ("Moscow", "Beijing", "Astana", "Washington", "Kyiv", "Tbilisi", "Minsk", "Bishkek",
          "Tashkent", "Baku", "Yerevan", "Ankara", "Tehran", "Berlin", "Paris")
COLUMNS = ("Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country",
           "Event Text", "CAMEO Code", "Intensity", "Target Name", "Target Sectors",
           "Target Country", "Story ID", "Sentence Number", "Publisher", "City", "District",
           "Province", "Country", "Latitude", "Longitude")


LEADING = ("Russian Federation", "United States", "China", "Kazakhstan", "Ukraine", "Belarus",
           "Georgia", "Kyrgyzstan", "Armenia", "Azerbaijan")


def country_names(path: Path = NAMES) -> list[str]:
    """ICEWS's country names, those of :data:`LEADING` first (the Zipf skew favours them)."""
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    names = [n for n in names if n and "\t" not in n and "'" not in n]
    first = [n for n in LEADING if n in names]
    return first + [n for n in names if n not in first]


def generator_sql(rows: int, seed: int = 0, source: str | None = None) -> str:
    """The SELECT producing ``rows`` ICEWS rows under ICEWS's column names."""
    source = source or f"range({rows}) t(i)"
    codes = read_cameo_codes()
    names = country_names()
    zipf = _slots([1.0 / rank for rank in range(1, len(names) + 1)], 1000)
    h = [f"hash(i * 64 + {k + 1}, {seed})" for k in range(16)]

    def pick(values: tuple[str, ...] | list[str], k: int) -> str:
        return f"{_list(list(values))}[1 + (h{k} % {len(values)})::INTEGER]"

    def country(k: int) -> str:   # 3% NA, else Zipf over the names
        return (f"CASE WHEN h{k} % 100 < 3 THEN 'NA' ELSE {_list(names)}"
                f"[{_list(zipf)}[1 + ((h{k} // 100) % 1000)::INTEGER]] END")

    code_list = _list([c for c, _ in codes])
    goldstein_list = _list([f"{g:g}" for _, g in codes])
    slots = _list(_event_code_slots(codes))
    days = "(DATE '2020-12-31' - DATE '1995-01-01' + 1)"
    inner = [
        "30000000 + i AS event_id",
        f"DATE '1995-01-01' + (h0 % {days})::INTEGER AS d",
        f"{country(1)} AS sc", f"{country(2)} AS tc",
        f"{slots}[1 + (h3 % 10000)::INTEGER] AS ci",
        "h4, h5, h6, h7, h8, h9, h10, h11, h12",
    ]
    fields = [
        "event_id::VARCHAR", "strftime(d, '%Y-%m-%d')",
        f"CASE WHEN sc = 'NA' THEN {pick(KINDS, 4)} ELSE {pick(KINDS, 4)} || ' (' || sc || ')' END",
        pick(SECTORS, 5), "sc",
        "'Event ' || cameo", "cameo", "intensity",
        f"CASE WHEN tc = 'NA' THEN {pick(KINDS, 6)} ELSE {pick(KINDS, 6)} || ' (' || tc || ')' END",
        pick(SECTORS, 7), "tc",
        "(40000000 + h8 % 20000000)::VARCHAR", "(1 + h9 % 12)::VARCHAR", pick(PUBLISHERS, 10),
        f"CASE WHEN h11 % 4 = 0 THEN 'NA' ELSE {pick(PLACES, 11)} END",
        "'NA'", f"CASE WHEN h11 % 4 = 0 THEN 'NA' ELSE {pick(PLACES, 11)} || ' Province' END",
        "CASE WHEN h12 % 5 = 0 THEN tc ELSE sc END",
        "printf('%.4f', (h12 % 1800000) / 10000.0 - 90)",
        "printf('%.4f', (h11 % 3600000) / 10000.0 - 180)",
    ]
    assert len(fields) == len(COLUMNS)
    hashes = ",\n    ".join(f"{expr} AS h{k}" for k, expr in enumerate(h))
    named = ",\n  ".join(f"{expr} AS \"{name}\"" for expr, name in zip(fields, COLUMNS,
                                                                       strict=True))
    return (f"WITH r AS (SELECT i,\n    {hashes}\n  FROM {source}),\n"
            f"b AS (SELECT {', '.join(inner)} FROM r),\n"
            f"c AS (SELECT *, {code_list}[ci] AS cameo, {goldstein_list}[ci] AS intensity "
            "FROM b)\n"
            f"SELECT\n  {named}\nFROM c")


def generate(rows: int, out: Path | str, *, seed: int = 0, threads: int | None = None) -> Path:
    """Write ``rows`` synthetic ICEWS rows (with the header) to ``out`` and return its path."""
    out = Path(out)
    con = generator_connection(rows, out, threads)
    sql = generator_sql(rows, seed, source="ids")
    location = str(out).replace("'", "''")
    con.execute(f"COPY ({sql}) TO '{location}' (FORMAT csv, HEADER true, DELIMITER '\t', "
                "QUOTE '\x1e', ESCAPE '\x1e')")
    con.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    path = generate(args.rows, args.out, seed=args.seed, threads=args.threads)
    seconds = time.perf_counter() - start
    print(f"wrote {args.rows:,} rows, {path.stat().st_size / 2**20:,.0f} MiB to {path} in "
          f"{seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
