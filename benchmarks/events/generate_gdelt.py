"""Schema-faithful synthetic GDELT 1.0 daily export files, for benchmarks.

Run: python benchmarks/events/generate_gdelt.py --rows 10000000 --out /tmp/gdelt-10M.tsv

A GDELT 1.0 daily export (``YYYYMMDD.export.CSV``) is 58 tab-separated columns, no header, no
quoting, and an empty string for a missing value. This script writes that layout, in GDELT
1.0's column order (``GDELT_1.0_event_Column_Labels_Header_Row_Sep2016.tsv``), with values
shaped like the real files:

* SQLDATE over 2010-2019 (YYYYMMDD), MonthYear, Year and FractionDate derived from it exactly
  as GDELT does (FractionDate = Year + ((month - 1) * 30 + day) / 365, four decimals); DATEADDED
  on or a few days after SQLDATE;
* actors: CAMEO country codes drawn from a skewed (Zipf) list led by RUS, USA, CHN, KAZ, with
  about 30% of country codes empty; actor codes are country + type (``RUSGOV``) or type alone
  (``GOV``); rare known-group, ethnic and religion codes;
* events: real CAMEO codes from ``cameoCodeTable.tsv`` (strings with leading zeros), weighted by
  root roughly as in GDELT; EventBaseCode and EventRootCode are prefixes of EventCode, QuadClass
  follows the root (01-05 -> 1, 06-08 -> 2, 09-13 -> 3, 14-20 -> 4) and GoldsteinScale is the
  code's value in the table;
* NumMentions heavy-tailed (Pareto, median 2, capped at 5000), NumSources <= NumArticles <=
  NumMentions, AvgTone roughly normal around 0;
* geography (type 0 = none, 1 = country, 2/3 = US state/city, 4 = world city, 5 = world
  region) with FIPS country codes, ADM1 codes, coordinates and integer feature ids;
* GLOBALEVENTID unique and increasing; SOURCEURL a URL (or ``BBC Monitoring``, as in GDELT).

Everything is computed by DuckDB in one ``COPY (SELECT ... FROM range(n))``, with
pseudo-randomness from ``hash(row, seed, stream)``: the same ``--rows``, ``--seed`` and
``--malformed`` give the same bytes (for a given DuckDB version, whose hash and number
formatting are fixed). 10M rows (about 3.4 GB) take well under a minute on 2 cores.

``--malformed N`` plants N bad rows at evenly spaced positions, alternately one with 56
columns instead of 58 and one whose SQLDATE is not a date (``20131345``), for quarantine tests.

``--compare`` parses the written file with DuckDB under GDELT's column names and prints a few
distributions next to the real extract ``gdelt1_georgia_extract/aug2012.csv``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

DATA = Path("/work/shared/data/events/gdelt")
LAYOUT = DATA / "GDELT_1.0_event_Column_Labels_Header_Row_Sep2016.tsv"
CAMEO_TABLE = DATA / "cameoCodeTable.tsv"
REAL_EXTRACT = DATA / "gdelt1_georgia_extract" / "aug2012.csv"

#: GDELT 1.0 event columns, in file order (the layout file, without its ``tableId`` line).
COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)

#: DuckDB types of the 58 columns, as GDELT 1.0's codebook gives them (codes are strings:
#: they keep their leading zeros).
TYPES: dict[str, str] = {name: "VARCHAR" for name in COLUMNS}
TYPES.update({name: "BIGINT" for name in ("GLOBALEVENTID",)})
TYPES.update({name: "INTEGER" for name in (
    "SQLDATE", "MonthYear", "Year", "IsRootEvent", "QuadClass", "NumMentions", "NumSources",
    "NumArticles", "Actor1Geo_Type", "Actor2Geo_Type", "ActionGeo_Type", "DATEADDED",
    "Actor1Geo_FeatureID", "Actor2Geo_FeatureID", "ActionGeo_FeatureID")})
TYPES.update({name: "DOUBLE" for name in (
    "FractionDate", "GoldsteinScale", "AvgTone", "Actor1Geo_Lat", "Actor1Geo_Long",
    "Actor2Geo_Lat", "Actor2Geo_Long", "ActionGeo_Lat", "ActionGeo_Long")})

# CAMEO country code, actor name, FIPS code, geo name, lat, long, capital, capital ADM1,
# capital feature id, region (ADM1 name), region ADM1 code, region feature id.
# Listed by weight: the i-th is drawn with probability proportional to 1 / i.
COUNTRIES: tuple[tuple[str, str, str, str, float, float, str, str, int, str, str, int], ...] = (
    ("RUS", "RUSSIA", "RS", "Russia", 60, 100, "Moscow", "RS48", -2960561,
     "Chechnya", "RS12", -2961410),
    ("USA", "UNITED STATES", "US", "United States", 38, -97, "Washington", "USDC", 531871,
     "Texas", "USTX", 1779801),
    ("CHN", "CHINA", "CH", "China", 35, 105, "Beijing", "CH22", -1898541,
     "Xinjiang", "CH13", -1932218),
    ("KAZ", "KAZAKHSTAN", "KZ", "Kazakhstan", 48, 68, "Astana", "KZ05", -2208983,
     "Almaty", "KZ02", -2204955),
    ("GBR", "UNITED KINGDOM", "UK", "United Kingdom", 54, -2, "London", "UKH9", -2601889,
     "Scotland", "UKU8", -2604329),
    ("UKR", "UKRAINE", "UP", "Ukraine", 49, 32, "Kiev", "UP12", -1044367,
     "Crimea", "UP11", -1042627),
    ("FRA", "FRANCE", "FR", "France", 46, 2, "Paris", "FRA8", -1456928,
     "Corsica", "FRA5", -1423486),
    ("DEU", "GERMANY", "GM", "Germany", 51, 9, "Berlin", "GM16", -1746443,
     "Bavaria", "GM02", -1707389),
    ("IRN", "IRAN", "IR", "Iran", 32, 53, "Tehran", "IR26", -3093959,
     "Khuzestan", "IR15", -3074920),
    ("CHE", "SWITZERLAND", "SZ", "Switzerland", 47, 8, "Geneva", "SZ07", -2552681,
     "Zurich", "SZ25", -2554935),
    ("ISR", "ISRAEL", "IS", "Israel", 31.5, 34.75, "Jerusalem", "IS06", -797545,
     "Haifa", "IS04", -783014),
    ("GEO", "GEORGIA", "GG", "Georgia", 42, 43.5, "Tbilisi", "GG00", -2330077,
     "Abkhazia", "GG02", 10007258),
    ("IND", "INDIA", "IN", "India", 20, 77, "New Delhi", "IN07", -2106102,
     "Kashmir", "IN12", -2103477),
    ("TUR", "TURKEY", "TU", "Turkey", 39, 35, "Ankara", "TU68", -736474,
     "Hakkari", "TU70", -740131),
    ("SYR", "SYRIA", "SY", "Syria", 35, 38, "Damascus", "SY13", -3030329,
     "Aleppo", "SY09", -3014880),
    ("AZE", "AZERBAIJAN", "AJ", "Azerbaijan", 40.5, 47.5, "Baku", "AJ09", -2205884,
     "Nagorno-Karabakh", "AJ56", -2211016),
    ("ARM", "ARMENIA", "AM", "Armenia", 40, 45, "Yerevan", "AM11", -2230046,
     "Lori", "AM06", -2226988),
    ("UZB", "UZBEKISTAN", "UZ", "Uzbekistan", 41, 64, "Tashkent", "UZ13", -2532436,
     "Fergana", "UZ03", -2511934),
    ("KGZ", "KYRGYZSTAN", "KG", "Kyrgyzstan", 41, 75, "Bishkek", "KG02", -2220386,
     "Osh", "KG08", -2227337),
    ("BLR", "BELARUS", "BO", "Belarus", 53, 28, "Minsk", "BO05", -2030476,
     "Brest", "BO01", -2015982),
    ("POL", "POLAND", "PL", "Poland", 52, 20, "Warsaw", "PL78", -523642,
     "Silesia", "PL83", -519879),
    ("AFG", "AFGHANISTAN", "AF", "Afghanistan", 33, 65, "Kabul", "AF13", -3378435,
     "Helmand", "AF10", -3373214),
    ("PAK", "PAKISTAN", "PK", "Pakistan", 30, 70, "Islamabad", "PK08", -2764413,
     "Punjab", "PK04", -2769839),
    ("JPN", "JAPAN", "JA", "Japan", 36, 138, "Tokyo", "JA40", -246227,
     "Okinawa", "JA47", -232447),
    ("PRK", "NORTH KOREA", "KN", "North Korea", 40, 127, "Pyongyang", "KN12", -1153346,
     "Kaesong", "KN08", -1130584),
    ("KOR", "SOUTH KOREA", "KS", "South Korea", 37, 127.5, "Seoul", "KS11", -716292,
     "Busan", "KS10", -697811),
    ("IRQ", "IRAQ", "IZ", "Iraq", 33, 44, "Baghdad", "IZ07", -3086584,
     "Kirkuk", "IZ13", -3094428),
    ("TJK", "TAJIKISTAN", "TI", "Tajikistan", 39, 71, "Dushanbe", "TI02", -2214478,
     "Khatlon", "TI03", -2218219),
    ("TKM", "TURKMENISTAN", "TX", "Turkmenistan", 40, 60, "Ashgabat", "TX02", -2205289,
     "Mary", "TX05", -2219950),
    ("EGY", "EGYPT", "EG", "Egypt", 27, 30, "Cairo", "EG11", -290692,
     "Sinai", "EG27", -312355),
    ("SAU", "SAUDI ARABIA", "SA", "Saudi Arabia", 25, 45, "Riyadh", "SA10", -3092186,
     "Mecca", "SA14", -3091372),
    ("CAN", "CANADA", "CA", "Canada", 60, -95, "Ottawa", "CA08", -570760,
     "Quebec", "CA10", -573001),
    ("MNG", "MONGOLIA", "MG", "Mongolia", 46, 105, "Ulaanbaatar", "MG20", -2166380,
     "Dornod", "MG06", -2158013),
    ("ITA", "ITALY", "IT", "Italy", 42.8333, 12.8333, "Rome", "IT07", -126693,
     "Sicily", "IT15", -127894),
    ("BRA", "BRAZIL", "BR", "Brazil", -10, -55, "Brasilia", "BR07", -945880,
     "Sao Paulo", "BR27", -1016889),
    ("NGA", "NIGERIA", "NI", "Nigeria", 10, 8, "Abuja", "NI11", -1997013,
     "Borno", "NI27", -1998478),
)

# Actor type code and the name GDELT typically gives such an actor; "" = no type.
TYPES_NAMES: tuple[tuple[str, str, int], ...] = (
    ("GOV", "GOVERNMENT", 30), ("GOV", "PRESIDENT", 20), ("GOV", "MINISTRY", 8),
    ("MIL", "MILITARY", 10), ("CVL", "RESIDENTS", 8), ("CVL", "VILLAGE", 5),
    ("MED", "JOURNALIST", 6), ("BUS", "COMPANY", 6), ("COP", "POLICE", 6),
    ("OPP", "THE OPPOSITION", 4), ("LEG", "PARLIAMENT", 4), ("JUD", "COURT", 3),
    ("UAF", "GUNMEN", 3), ("REB", "REBEL", 3), ("EDU", "STUDENT", 2), ("IGO", "UNITED NATIONS", 3),
    ("NGO", "AID GROUP", 2), ("REF", "REFUGEE", 1), ("HLH", "HOSPITAL", 1), ("ELI", "ELITE", 1),
    ("CRM", "CRIMINAL", 2), ("SPY", "INTELLIGENCE", 1), ("LAB", "WORKER", 1),
    ("AGR", "FARMER", 1),
)
KNOWN_GROUPS = ("UNO", "NAT", "EEC", "IMF", "WTO", "SCE", "OPC", "ICG", "IRC")
ETHNIC = ("kur", "che", "pas", "uig", "lar", "tat")
RELIGIONS = ("CHR", "MOS", "JEW", "HIN", "BUD", "CTH", "ITH")
DOMAINS = ("reuters.com", "bbc.co.uk", "rferl.org", "tass.com", "nytimes.com", "xinhuanet.com",
           "themoscowtimes.com", "tengrinews.kz", "civil.ge", "aljazeera.com", "dw.com",
           "washingtonpost.com", "interfax.ru", "globaltimes.cn", "theguardian.com",
           "akipress.com", "eurasianet.org", "news.am", "apa.az", "yahoo.com")

# Share of events per CAMEO root, roughly as in GDELT 1.0 (verbal cooperation dominates).
ROOT_WEIGHTS = {
    "01": 16, "02": 6, "03": 8, "04": 25, "05": 7, "06": 1.5, "07": 3, "08": 2.5, "09": 2,
    "10": 1.5, "11": 5, "12": 3, "13": 2.5, "14": 1.5, "15": 0.5, "16": 1, "17": 3, "18": 2.5,
    "19": 6, "20": 0.5,
}


def quad_class(root: str) -> int:
    """GDELT's QuadClass of a CAMEO root code."""
    number = int(root)
    return 1 if number <= 5 else 2 if number <= 8 else 3 if number <= 13 else 4


def _fmt(value: float) -> str:
    """A number as GDELT writes it: no trailing ``.0``."""
    return f"{value:g}"


def read_cameo_codes(path: Path = CAMEO_TABLE) -> list[tuple[str, float]]:
    """(event code, Goldstein value) of every 3- and 4-digit CAMEO code, in table order."""
    codes = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        fields = line.split("\t")
        if len(fields) >= 3 and len(fields[0]) in (3, 4):
            codes.append((fields[0], float(fields[2])))
    return codes


def _slots(weights: list[float], size: int) -> list[int]:
    """``size`` 1-based indices, index i repeated in proportion to ``weights[i - 1]``."""
    total = sum(weights)
    slots: list[int] = []
    cumulative = 0.0
    for index, weight in enumerate(weights, start=1):
        cumulative += weight
        slots.extend([index] * (round(cumulative / total * size) - len(slots)))
    return slots


def _list(values: list[str] | list[int] | tuple[str, ...]) -> str:
    """A DuckDB list literal."""
    if values and isinstance(values[0], int):
        return "[" + ",".join(str(v) for v in values) + "]"
    return "[" + ",".join("'" + str(v).replace("'", "''") + "'" for v in values) + "]"


def _event_code_slots(codes: list[tuple[str, float]]) -> list[int]:
    """10,000 slots over ``codes``: per root, the ``x0`` base code takes 40% of the root's share,
    the other 3-digit codes 50% and the 4-digit codes 10%."""
    weights = []
    for code, _ in codes:
        root = code[:2]
        siblings3 = [c for c, _ in codes if c[:2] == root and len(c) == 3 and c[2] != "0"]
        siblings4 = [c for c, _ in codes if c[:2] == root and len(c) == 4]
        if len(code) == 3 and code[2] == "0":
            share = 0.4 if (siblings3 or siblings4) else 1.0
        elif len(code) == 3:
            share = (0.5 if siblings4 else 0.6) / len(siblings3)
        else:
            share = (0.1 if siblings3 else 0.6) / len(siblings4)
        weights.append(ROOT_WEIGHTS[root] * share)
    return _slots(weights, 10_000)


def generator_sql(rows: int, seed: int = 0, malformed: int = 0, source: str | None = None) -> str:
    """The SELECT producing ``rows`` GDELT 1.0 lines (one VARCHAR column ``line``), from
    ``source``: a table with the row numbers ``i`` = 0..rows-1 (default ``range(rows)``)."""
    source = source or f"range({rows}) t(i)"
    codes = read_cameo_codes()
    n_countries = len(COUNTRIES)
    # Country slots: index 0 = no country (about 25% of actors with an identity), 1..K Zipf.
    zipf = [1.0 / rank for rank in range(1, n_countries + 1)]
    country_slots = [0] * 250 + _slots(zipf, 750)
    geo_country_slots = _slots(zipf, 1000)

    def col(i: int) -> str:  # a column of COUNTRIES as a list literal, index 1 = "no country"
        return _list([""] + [str(c[i]) for c in COUNTRIES])

    type_slots = _slots([float(t[2]) for t in TYPES_NAMES], 1000)
    # 40 independent streams: one hash per (row, stream) number. (hash(i, seed, k) would
    # combine the hashes of its arguments, and its streams come out correlated.)
    h = [f"hash(i * 64 + {k + 1}, {seed})" for k in range(40)]

    def u(k: int) -> str:  # uniform in [0, 1)
        return f"(h{k} / 18446744073709551616.0)"

    ccodes, cnames = col(0), col(1)
    tcodes = _list([""] + [t[0] for t in TYPES_NAMES])
    tnames = _list([""] + [t[1] for t in TYPES_NAMES])

    def actor(a: int, k: int, absent_pct: int) -> list[str]:
        """Columns of actor ``a`` from streams k..k+9."""
        ci = f"a{a}_ci"
        return [
            f"CASE WHEN h{k} % 100 < {absent_pct} THEN -1 "
            f"ELSE {_list(country_slots)}[1 + (h{k + 1} % 1000)::INTEGER] END AS {ci}",
            # Type: none for 45% of actors with a country; always one without a country.
            f"CASE WHEN h{k + 2} % 100 < 45 THEN 0 "
            f"ELSE {_list(type_slots)}[1 + (h{k + 3} % 1000)::INTEGER] END AS a{a}_t0",
            f"{_list(type_slots)}[1 + (h{k + 3} % 1000)::INTEGER] AS a{a}_t1",
            f"CASE WHEN h{k + 4} % 1000 < 15 THEN {_list(list(KNOWN_GROUPS))}"
            f"[1 + (h{k + 5} % {len(KNOWN_GROUPS)})::INTEGER] ELSE '' END AS a{a}_kg",
            f"CASE WHEN h{k + 4} % 1000 BETWEEN 15 AND 24 THEN {_list(list(ETHNIC))}"
            f"[1 + (h{k + 5} % {len(ETHNIC)})::INTEGER] ELSE '' END AS a{a}_eth",
            f"CASE WHEN h{k + 4} % 1000 BETWEEN 25 AND 44 THEN {_list(list(RELIGIONS))}"
            f"[1 + (h{k + 5} % {len(RELIGIONS)})::INTEGER] ELSE '' END AS a{a}_rel1",
            f"CASE WHEN h{k + 4} % 1000 BETWEEN 25 AND 27 THEN {_list(list(RELIGIONS))}"
            f"[1 + (h{k + 6} % {len(RELIGIONS)})::INTEGER] ELSE '' END AS a{a}_rel2",
            f"CASE WHEN h{k + 6} % 100 < 4 THEN {tcodes}[2 + (h{k + 7} % "
            f"{len(TYPES_NAMES)})::INTEGER] ELSE '' END AS a{a}_type2",
            f"CASE WHEN h{k + 6} % 1000 < 5 THEN {tcodes}[2 + (h{k + 8} % "
            f"{len(TYPES_NAMES)})::INTEGER] ELSE '' END AS a{a}_type3",
        ]

    def geo(g: str, k: int, none_pct: int, actor_ci: str | None) -> list[str]:
        """Index columns of geography ``g``: type and country index."""
        # An absent actor (index -1) has no geography either, as in GDELT's files.
        absent = f"WHEN {actor_ci} < 0 THEN 0 " if actor_ci else ""
        base = (f"CASE {absent}WHEN h{k} % 100 < {none_pct} THEN 0 WHEN h{k} % 100 < "
                f"{none_pct + 15} THEN 1 WHEN h{k} % 100 < 90 THEN 4 ELSE 5 END")
        own = (f"CASE WHEN {actor_ci} > 0 AND h{k + 1} % 10 < 7 THEN {actor_ci} ELSE "
               if actor_ci else "CASE WHEN false THEN 0 ELSE ")
        return [
            f"{base} AS {g}_t",
            f"{own}{_list(geo_country_slots)}[1 + (h{k + 2} % 1000)::INTEGER] END AS {g}_ci",
        ]

    inner = ",\n    ".join(
        [
            "i",
            "DATE '2010-01-01' + (h0 % 3652)::INTEGER AS d",
            f"{_list(_event_code_slots(codes))}[1 + (h1 % 10000)::INTEGER] AS ev",
            f"least(5000, floor(2 * pow(1 - {u(2)}, -1 / 1.5)) - 1)::INTEGER AS mentions",
            f"{u(3)} AS src_u",
            f"{u(4)} AS art_u",
            f"({u(5)} + {u(6)} + {u(7)} - 1.5) * 7.0 AS tone",
            "CASE WHEN h8 % 100 < 70 THEN 0 WHEN h8 % 100 < 90 THEN 1 "
            "ELSE 2 + (h9 % 29)::INTEGER END AS lag",
            "h10 % 100 < 60 AS is_root",
            *actor(1, 11, 10),
            *actor(2, 20, 20),
            *geo("g1", 29, 10, "a1_ci"),
            *geo("g2", 32, 10, "a2_ci"),
            *geo("g3", 35, 1, None),
            "h38 AS url_h",
            "h39 AS jitter",
        ]
    )

    # Event code columns, by the event index (1-based into codes).
    ev_codes = _list([c for c, _ in codes])
    ev_gold = _list([_fmt(g) for _, g in codes])
    ev_quad = _list([str(quad_class(c[:2])) for c, _ in codes])

    def actor_fields(a: int) -> list[str]:
        ci, t0, t1 = f"a{a}_ci", f"a{a}_t0", f"a{a}_t1"
        # No country -> always a type; an absent actor (ci = -1) -> everything empty.
        ti = f"(CASE WHEN {ci} = 0 THEN {t1} ELSE {t0} END)"
        cc = f"{ccodes}[{ci} + 1]"
        present = f"{ci} >= 0"

        def ifp(expr: str) -> str:
            return f"CASE WHEN {present} THEN {expr} ELSE '' END"

        return [
            ifp(f"{cc} || {tcodes}[{ti} + 1]"),
            ifp(f"CASE WHEN {ti} = 0 THEN {cnames}[{ci} + 1] ELSE {tnames}[{ti} + 1] END"),
            ifp(cc),
            ifp(f"a{a}_kg"), ifp(f"a{a}_eth"), ifp(f"a{a}_rel1"), ifp(f"a{a}_rel2"),
            ifp(f"{tcodes}[{ti} + 1]"),
            # A second or third type only after a first one, as in GDELT's files.
            ifp(f"CASE WHEN {ti} > 0 THEN a{a}_type2 ELSE '' END"),
            ifp(f"CASE WHEN {ti} > 0 AND a{a}_type2 <> '' THEN a{a}_type3 ELSE '' END"),
        ]

    # Per country, the seven geography fields for each geo type (0 none, 1 country, 4 city,
    # 5 region; a US city or region is type 3 or 2), precomputed as strings.
    def place(c: tuple[str, str, str, str, float, float, str, str, int, str, str, int],
              kind: int) -> list[str]:
        name, fips, lat, lon = c[3], c[2], float(c[4]), float(c[5])
        if kind == 1:
            return ["1", name, fips, fips, _fmt(lat), _fmt(lon), ""]
        us = c[0] == "USA"
        if kind == 4:
            full = (f"{c[6]}, District of Columbia, {name}" if us
                    else f"{c[6]}, {name} (general), {name}")
            return ["3" if us else "4", full, fips, c[7], _fmt(round(lat * 0.9 + 4, 4)),
                    _fmt(round(lon * 0.95 + 1.25, 4)), str(c[8])]
        return ["2" if us else "5", f"{c[9]}, {name}", fips, c[10],
                _fmt(round(lat * 0.9 + 3.5, 4)), _fmt(round(lon * 0.95 - 1.5, 4)), str(c[11])]

    geo_lists = {kind: [_list([""] + [place(c, kind)[f] for c in COUNTRIES]) for f in range(7)]
                 for kind in (1, 4, 5)}

    def geo_fields(g: str) -> list[str]:
        t, ci = f"{g}_t", f"{g}_ci"
        return [
            f"CASE {t} WHEN 0 THEN '0' WHEN 1 THEN {geo_lists[1][0]}[{ci} + 1] "
            f"WHEN 4 THEN {geo_lists[4][0]}[{ci} + 1] ELSE {geo_lists[5][0]}[{ci} + 1] END"
        ] + [
            f"CASE {t} WHEN 0 THEN '' WHEN 1 THEN {geo_lists[1][f]}[{ci} + 1] "
            f"WHEN 4 THEN {geo_lists[4][f]}[{ci} + 1] ELSE {geo_lists[5][f]}[{ci} + 1] END"
            for f in range(1, 7)
        ]

    ymd = "strftime(d, '%Y%m%d')"
    sources = "(1 + floor((mentions - 1) * pow(src_u, 4)))::INTEGER"
    articles = f"(mentions - floor((mentions - {sources}) * pow(art_u, 3)))::INTEGER"
    fields = [
        "(100000000 + i)::VARCHAR",
        ymd,
        "strftime(d, '%Y%m')",
        "year(d)::VARCHAR",
        "printf('%.4f', year(d) + ((month(d) - 1) * 30 + day(d)) / 365.0)",
        *actor_fields(1),
        *actor_fields(2),
        "CASE WHEN is_root THEN '1' ELSE '0' END",
        f"{ev_codes}[ev]",
        f"left({ev_codes}[ev], 3)",
        f"left({ev_codes}[ev], 2)",
        f"{ev_quad}[ev]",
        f"{ev_gold}[ev]",
        "mentions::VARCHAR",
        f"{sources}::VARCHAR",
        f"{articles}::VARCHAR",
        "tone::VARCHAR",
        *geo_fields("g1"),
        *geo_fields("g2"),
        *geo_fields("g3"),
        "strftime(d + lag, '%Y%m%d')",
        "CASE WHEN url_h % 100 < 2 THEN 'BBC Monitoring' ELSE 'http://www.' || "
        f"{_list(list(DOMAINS))}[1 + (url_h % {len(DOMAINS)})::INTEGER] || '/news/' || "
        "strftime(d, '%Y/%m/%d') || '/article-' || (url_h % 100000000)::VARCHAR || '.html' END",
    ]
    assert len(fields) == len(COLUMNS) == 58, len(fields)
    def joined(parts: list[str]) -> str:  # one tab-joined string, built in one allocation
        return "concat_ws(chr(9), " + ", ".join(parts) + ")"

    line = joined(fields)
    if malformed:
        step = max(1, rows // malformed)
        bad = f"(i % {step} = {step // 2} AND i < {step * malformed})"
        short = joined(fields[:-2])
        bad_date = joined([fields[0], "'20131345'", *fields[2:]])
        line = (f"CASE WHEN NOT {bad} THEN {line} WHEN (i // {step}) % 2 = 0 THEN {short} "
                f"ELSE {bad_date} END")
    hashes = ",\n    ".join(f"{expr} AS h{k}" for k, expr in enumerate(h))
    return (
        f"WITH r AS (SELECT i,\n    {hashes}\n  FROM {source}),\n"
        f"b AS (SELECT\n    {inner}\n  FROM r)\n"
        f"SELECT {line} AS line FROM b"
    )


def generator_connection(rows: int, out: Path, threads: int | None) -> Any:
    """A DuckDB connection with the temporary table ``ids`` of row numbers 0..rows-1 (and
    ``out``'s folder made): what the generators select from."""
    import duckdb

    out.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.execute("SET preserve_insertion_order = true")  # same bytes on every run
    # range() is a single-threaded source; a table of row numbers is scanned in parallel.
    con.execute(f"CREATE TEMP TABLE ids AS SELECT i FROM range({int(rows)}) t(i)")
    return con


def generate(rows: int, out: Path | str, *, seed: int = 0, malformed: int = 0,
             threads: int | None = None) -> Path:
    """Write ``rows`` synthetic GDELT 1.0 lines to ``out`` and return its path."""
    out = Path(out)
    con = generator_connection(rows, out, threads)
    sql = generator_sql(rows, seed, malformed, source="ids")
    # One VARCHAR column, written without quoting: the unit separator never occurs in a line,
    # and no generated value holds a quote or a newline.
    con.execute(f"COPY ({sql}) TO '{out}' (FORMAT csv, HEADER false, DELIMITER '\x1f', "
                "QUOTE '\x1e', ESCAPE '\x1e')")
    con.close()
    return out


def compare(path: Path | str, real: Path = REAL_EXTRACT) -> None:
    """Print a few distributions of ``path`` next to the real extract."""
    import duckdb

    con = duckdb.connect()
    columns = "{" + ", ".join(f"'{c}': '{TYPES[c]}'" for c in COLUMNS) + "}"
    # Planted malformed rows (--malformed) are skipped here.
    con.execute(f"CREATE VIEW gen AS SELECT * FROM read_csv('{path}', delim='\t', "
                f"header=false, quote='', columns={columns}, ignore_errors=true)")
    casts = ", ".join(f"{c}::{TYPES[c]} AS {c}" for c in COLUMNS)
    con.execute(f"CREATE VIEW realx AS SELECT {casts} FROM read_csv('{real}', header=true, "
                "nullstr='NA', all_varchar=true)")

    def share(column: str, limit: int = 8) -> None:
        print(f"\n{column}: share of rows (top {limit}), generated vs real extract")
        for name in ("gen", "realx"):
            top = con.execute(
                f"SELECT coalesce({column}::VARCHAR, '(empty)'), "
                f"round(100.0 * count(*) / sum(count(*)) OVER (), 1) FROM {name} "
                f"GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT {limit}").fetchall()
            print(f"  {name:<6}", "  ".join(f"{k}:{v}%" for k, v in top))

    for column in ("Actor1CountryCode", "Actor2CountryCode", "Actor1Type1Code", "EventRootCode",
                   "EventCode", "QuadClass", "IsRootEvent", "ActionGeo_Type", "NumSources"):
        share(column)
    print("\nnumeric: mean / median / p90 / max, generated vs real extract")
    for column in ("NumMentions", "NumArticles", "AvgTone", "GoldsteinScale"):
        for name in ("gen", "realx"):
            row = con.execute(
                f"SELECT round(avg({column}), 2), quantile_cont({column}, 0.5), "
                f"round(quantile_cont({column}, 0.9), 2), max({column}) FROM {name}").fetchone()
            print(f"  {column:<15} {name:<6} {row}")
    years = con.execute("SELECT min(SQLDATE), max(SQLDATE), count(DISTINCT Year), "
                        "count(*), count(DISTINCT GLOBALEVENTID) FROM gen").fetchone()
    print(f"\ngenerated: SQLDATE {years[0]}..{years[1]}, {years[2]} years, {years[3]} rows, "
          f"{years[4]} distinct ids")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--malformed", type=int, default=0,
                        help="plant this many bad rows (wrong column count, bad SQLDATE)")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--compare", action="store_true",
                        help="print distributions next to the real extract")
    args = parser.parse_args(argv)
    if layout_names() not in (None, COLUMNS):
        print("column list differs from the GDELT 1.0 layout file", file=sys.stderr)
        return 1
    start = time.perf_counter()
    out = generate(args.rows, args.out, seed=args.seed, malformed=args.malformed,
                   threads=args.threads)
    seconds = time.perf_counter() - start
    size = out.stat().st_size
    print(f"wrote {args.rows:,} rows, {size / 2**20:,.0f} MiB to {out} in {seconds:.1f} s "
          f"({args.rows / seconds:,.0f} rows/s)")
    if args.compare:
        compare(out)
    return 0


def layout_names(path: Path = LAYOUT) -> tuple[str, ...] | None:
    """GDELT 1.0's column names from the layout file, when it is on this machine."""
    if not path.exists():
        return None
    names = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return tuple(name for name in names if name and name != "tableId")


if __name__ == "__main__":
    raise SystemExit(main())
