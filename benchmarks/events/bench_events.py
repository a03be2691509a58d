"""Event data: multilat's ingest and aggregation against the engines' own limits, in one run.

Run: python benchmarks/events/bench_events.py --rows 1000000 10000000 [--repeat 1]
     [--workdir DIR] [--keep] [--steps ...]

For each size, a synthetic GDELT 1.0 daily export (``generate_gdelt.py``) is written to the
work directory (default: a temporary one, removed at the end unless ``--keep``), then each step
runs in its own Python subprocess, so that its peak memory (the child's peak resident set since
``exec``, ``VmHWM``; for Spark, the Python driver's plus the JVM's) is its own:

ingest
  * ``duckdb-copy`` (baseline): DuckDB's own ``COPY (SELECT <the store's 20 columns> FROM
    read_csv(raw, delim='\\t', header=false, columns={all 58})) TO 'x.parquet'``, typed as
    multilat's reader types them: the engine's limit for this conversion.
  * ``multilat``: ``multilat.events.ingest([raw], store)`` (same read, plus the SHA-256 of
    the file, rejected-row capture and the quarantine, partitioning by year, the manifest).
aggregate (per year, source country, target country, CAMEO root)
  * ``duckdb-hand`` (baseline): the same table written by hand as one DuckDB query over the
    store's Parquet (``read_parquet('<store>/events/**/*.parquet')``): count(DISTINCT
    event_id), count(*), sums of mentions/sources/articles, avg(goldstein), the
    mentions-weighted Goldstein mean, and dyad totals and shares through one WINDOW.
  * ``duckdb-hand-rows``: the same query with ``count(*)`` for ``count(DISTINCT event_id)``, as
    one who knows the store holds one row per event writes it.
  * ``multilat``: ``multilat.events.aggregate(store)`` (DuckDB engine): the same columns, by
    multilat's engine-neutral SQL (integer sums of Goldstein tenths), plus the file listing
    from the manifest and the schema normalisation.
  * ``pandas-raw``: pandas from the raw file as a typical user writes it: ``pd.read_csv(raw,
    sep='\\t', header=None, names=<58 GDELT names>, dtype=<code columns as str>)`` -- every
    column, no ``usecols`` -- then ``groupby([...]).agg(...)``.
  * ``spark``: ``multilat.events.aggregate(store, engine="spark")`` in local mode; Spark's
    start-up (the session) is timed separately and not in the step's seconds.

CPU s is the child's CPU time (user + system, all threads) in the fastest run: the work done,
which other processes' load moves less than the wall time. Seconds are the operation's wall
time inside the child, excluding the interpreter's start-up
and imports, best of ``--repeat`` rounds; a round runs each step once in a fresh child, in
order, so that a baseline and what is compared with it are interleaved under the same load;
rows/s is input rows per second. A correctness guard checks
that multilat's aggregate, pandas and Spark give the hand-written query's numbers. Nothing here
is a test: no time is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate_gdelt  # noqa: E402

# The reader's types, as multilat's ingest declares them (codes stay text: leading zeros).
READ_TYPES = {name: "VARCHAR" for name in generate_gdelt.COLUMNS}
READ_TYPES.update({"GLOBALEVENTID": "BIGINT", "SQLDATE": "DATE", "QuadClass": "TINYINT",
                   "GoldsteinScale": "DOUBLE", "NumMentions": "INTEGER", "NumSources": "INTEGER",
                   "NumArticles": "INTEGER", "AvgTone": "DOUBLE"})

BASELINE_INGEST_SELECT = """
SELECT GLOBALEVENTID AS event_id, SQLDATE AS event_date, CAST(year(SQLDATE) AS INTEGER) AS year,
  Actor1Code AS source_actor, Actor1CountryCode AS source_country,
  Actor2Code AS target_actor, Actor2CountryCode AS target_country,
  EventCode AS event_code, EventBaseCode AS event_base_code, left(EventCode, 2) AS cameo_root,
  QuadClass AS quad_class, GoldsteinScale AS goldstein, NumMentions AS mentions,
  NumSources AS sources, NumArticles AS articles, AvgTone AS avg_tone,
  IsRootEvent = '1' AS is_root, ActionGeo_CountryCode AS action_country,
  SOURCEURL AS source_url, 'gdelt1' AS dataset
FROM read_csv('{raw}', delim='\\t', quote='', header=false, columns={columns},
              auto_detect=false, dateformat='%Y%m%d')"""

# The same table multilat's aggregation returns (same columns, same rows), written by hand the
# way a DuckDB user would: avg() for the means, one WINDOW for the dyad totals.
HAND_AGGREGATE = """
WITH cells AS (
  SELECT year, source_country, target_country, cameo_root, min(quad_class) AS quad_class,
         count(DISTINCT event_id) AS events, count(*) AS "rows",
         sum(mentions) AS mentions, sum(sources) AS sources, sum(articles) AS articles,
         avg(goldstein) AS goldstein_mean,
         sum(goldstein * mentions) / sum(CASE WHEN goldstein IS NOT NULL THEN mentions END)
           AS goldstein_mean_by_mentions
  FROM read_parquet('{store}/events/**/*.parquet', hive_partitioning=false)
  WHERE source_country IS NOT NULL AND target_country IS NOT NULL AND cameo_root IS NOT NULL
  GROUP BY ALL)
SELECT *, sum(events) OVER w AS dyad_events, sum(mentions) OVER w AS dyad_mentions,
       events / sum(events) OVER w AS event_share,
       mentions / sum(mentions) OVER w AS mention_share,
       sources / sum(sources) OVER w AS source_share
FROM cells
WINDOW w AS (PARTITION BY year, source_country, target_country)
ORDER BY year, source_country, target_country, cameo_root"""

STEPS = ("ingest:duckdb-copy", "ingest:multilat", "aggregate:duckdb-hand",
         "aggregate:duckdb-hand-rows", "aggregate:multilat",
         "aggregate:pandas-raw", "aggregate:spark")


# --- the steps (run in a child process) ---------------------------------------------------

#: CPU seconds (user + system, every thread of the child) of the fastest run :func:`_timed`
#: timed: on a shared machine less moved by other processes' load than the wall time.
CPU_SECONDS = [float("nan")]


def _cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed(function, repeat: int, reset=None) -> float:
    best = float("inf")
    for _ in range(repeat):
        if reset is not None:
            reset()
        cpu, start = _cpu(), time.perf_counter()
        function()
        seconds = time.perf_counter() - start
        if seconds < best:
            best, CPU_SECONDS[0] = seconds, _cpu() - cpu
    return best


def step_ingest_duckdb(raw: Path, work: Path, repeat: int) -> dict[str, float]:
    import duckdb

    columns = "{" + ", ".join(f"'{c}': '{READ_TYPES[c]}'" for c in generate_gdelt.COLUMNS) + "}"
    out = work / "baseline.parquet"
    sql = (f"COPY ({BASELINE_INGEST_SELECT.format(raw=raw, columns=columns)}) "
           f"TO '{out}' (FORMAT parquet)")

    def run() -> None:
        con = duckdb.connect()
        con.execute(sql)
        con.close()

    return {"seconds": _timed(run, repeat, lambda: out.unlink(missing_ok=True))}


def step_ingest_multilat(raw: Path, work: Path, repeat: int) -> dict[str, float]:
    import duckdb  # noqa: F401 - imported before the clock starts, as for the baseline
    import pyarrow.parquet  # noqa: F401

    from multilat.events import ingest

    store = work / "store"
    results = []

    def run() -> None:
        results.append(ingest([raw], store))

    seconds = _timed(run, repeat, lambda: shutil.rmtree(store, ignore_errors=True))
    return {"seconds": seconds, "rows_ingested": results[-1].rows_ingested,
            "rows_quarantined": results[-1].rows_quarantined}


def _hand(work: Path, repeat: int, query: str, name: str) -> dict[str, float]:
    import duckdb

    tables = []

    def run() -> None:
        con = duckdb.connect()
        tables.append(con.sql(query.format(store=work / "store")).to_arrow_table())
        con.close()

    seconds = _timed(run, repeat)
    _save(tables[-1], work / f"agg-{name}.parquet")
    return {"seconds": seconds, "groups": tables[-1].num_rows}


def step_aggregate_hand(raw: Path, work: Path, repeat: int) -> dict[str, float]:
    return _hand(work, repeat, HAND_AGGREGATE, "duckdb-hand")


def step_aggregate_hand_rows(raw: Path, work: Path, repeat: int) -> dict[str, float]:
    """The hand-written query as one who knows the store has one row per event writes it."""
    query = HAND_AGGREGATE.replace("count(DISTINCT event_id)", "count(*)")
    return _hand(work, repeat, query, "duckdb-hand-rows")


def step_aggregate_multilat(raw: Path, work: Path, repeat: int) -> dict[str, float]:
    from multilat.events import aggregate

    tables = []
    seconds = _timed(lambda: tables.append(aggregate(work / "store").table), repeat)
    _save(tables[-1], work / "agg-multilat.parquet")
    return {"seconds": seconds, "groups": tables[-1].num_rows}


def step_aggregate_pandas(raw: Path, work: Path, repeat: int) -> dict[str, float]:
    import pandas as pd
    import pyarrow as pa

    frames = []

    def run() -> None:
        # As a typical user writes it: GDELT's names, codes kept as text, every column read.
        codes = {c: str for c in ("EventCode", "EventBaseCode", "EventRootCode",
                                  "Actor1CountryCode", "Actor2CountryCode")}
        df = pd.read_csv(raw, sep="\t", header=None, names=list(generate_gdelt.COLUMNS),
                         dtype=codes)
        frames.append(
            df.groupby(["Year", "Actor1CountryCode", "Actor2CountryCode", "EventRootCode"])
            .agg(events=("GLOBALEVENTID", "nunique"), mentions=("NumMentions", "sum"),
                 goldstein_mean=("GoldsteinScale", "mean"))
            .reset_index())
        del df

    seconds = _timed(run, repeat)
    result = frames[-1].rename(columns={"Year": "year", "Actor1CountryCode": "source_country",
                                        "Actor2CountryCode": "target_country",
                                        "EventRootCode": "cameo_root"})
    _save(pa.Table.from_pandas(result, preserve_index=False), work / "agg-pandas.parquet")
    return {"seconds": seconds, "groups": len(result)}


def _jvm_peak_kib() -> int:
    """Peak resident set (VmHWM) of this process's child processes: Spark's JVM."""
    total = 0
    me = str(os.getpid())
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if stat.rsplit(")", 1)[1].split()[1] != me:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total


def _own_peak_kib() -> int:
    """This process's peak resident set since exec (VmHWM), in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def step_aggregate_spark(raw: Path, work: Path, repeat: int) -> dict[str, float]:
    from multilat.events import aggregate
    from multilat.events.query import spark_session

    start = time.perf_counter()
    session = spark_session()
    startup = time.perf_counter() - start
    tables = []
    seconds = _timed(lambda: tables.append(aggregate(work / "store", engine="spark",
                                                     session=session).table), repeat)
    jvm = _jvm_peak_kib()
    session.stop()
    _save(tables[-1], work / "agg-spark.parquet")
    return {"seconds": seconds, "startup_seconds": startup, "groups": tables[-1].num_rows,
            "extra_peak_kib": jvm}


def _save(table, path: Path) -> None:
    import pyarrow.parquet as pq

    pq.write_table(table, path)


CHILD = {"ingest:duckdb-copy": step_ingest_duckdb, "ingest:multilat": step_ingest_multilat,
         "aggregate:duckdb-hand": step_aggregate_hand,
         "aggregate:duckdb-hand-rows": step_aggregate_hand_rows,
         "aggregate:multilat": step_aggregate_multilat,
         "aggregate:pandas-raw": step_aggregate_pandas, "aggregate:spark": step_aggregate_spark}


# --- the parent ---------------------------------------------------------------------------

def run_child(step: str, raw: Path, work: Path, repeat: int) -> dict[str, float]:
    """Run one step in a fresh interpreter; its result plus peak memory in MiB."""
    out = work / f"{step.replace(':', '-')}.json"
    command = [sys.executable, str(Path(__file__).resolve()), "--child", step, "--raw", str(raw),
               "--workdir", str(work), "--repeat", str(repeat), "--result", str(out)]
    with open(work / "child.log", "ab") as log:
        process = subprocess.Popen(command, stdout=log, stderr=log)
        _, status = os.waitpid(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"step {step} failed ({process.returncode}); see {work / 'child.log'}")
    result = json.loads(out.read_text())
    # The child's own peak (VmHWM; ru_maxrss from wait4 would include the forking parent's
    # resident set, which Linux carries across exec), plus the JVM's for Spark.
    result["peak_mib"] = result.pop("peak_kib") / 1024
    return result


_KEYS = ("year", "source_country", "target_country", "cameo_root")
_INTEGER_COLUMNS = ("quad_class", "events", "rows", "mentions", "sources", "articles",
                    "dyad_events", "dyad_mentions")
_FLOAT_COLUMNS = ("goldstein_mean", "goldstein_mean_by_mentions", "event_share",
                  "mention_share", "source_share")


def check_same(work: Path) -> list[str]:
    """Compare each aggregation with the hand-written query, on every column both tables
    have (pandas computes three: events, mentions, goldstein_mean): lines describing it."""
    import duckdb

    con = duckdb.connect()
    hand = work / "agg-duckdb-hand.parquet"
    lines = []
    for name in ("duckdb-hand-rows", "multilat", "pandas", "spark"):
        other = work / f"agg-{name}.parquet"
        if not (hand.exists() and other.exists()):
            continue
        shared = [c for c in con.execute(f"DESCRIBE SELECT * FROM '{other}'").fetchall()]
        names = {c[0] for c in shared} & {c[0] for c in con.execute(
            f"DESCRIBE SELECT * FROM '{hand}'").fetchall()}
        integers = [c for c in _INTEGER_COLUMNS if c in names]
        floats = [c for c in _FLOAT_COLUMNS if c in names]
        join = " AND ".join(f"h.{k} = o.{k}" for k in _KEYS)
        differ = " OR ".join(f"h.{c} IS DISTINCT FROM o.{c}" for c in integers) or "false"
        gaps = ", ".join(f"coalesce(abs(h.{c} - o.{c}), CASE WHEN (h.{c} IS NULL) <> "
                         f"(o.{c} IS NULL) THEN 1e9 ELSE 0 END)" for c in floats)
        row = con.execute(f"""
            SELECT count(*) FILTER (WHERE h.year IS NULL OR o.year IS NULL),
                   count(*) FILTER (WHERE {differ}),
                   max(greatest({gaps})), count(*)
            FROM '{hand}' h FULL JOIN '{other}' o ON {join}""").fetchone()
        unmatched, different, gap, total = row
        ok = unmatched == 0 and different == 0 and (gap or 0) < 1e-9
        lines.append(f"  {name:<16} vs duckdb-hand: {total} groups, {unmatched} unmatched, "
                     f"{different} with other integers ({', '.join(integers)}), max float "
                     f"gap {gap or 0:.1e} ({', '.join(floats)}) -> "
                     f"{'same' if ok else 'DIFFERENT'}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--steps", nargs="+", default=list(STEPS), choices=STEPS)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--raw", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        result = CHILD[args.child](args.raw, args.workdir, args.repeat)
        result["peak_kib"] = _own_peak_kib() + result.pop("extra_peak_kib", 0)
        result["cpu_seconds"] = CPU_SECONDS[0]
        args.result.write_text(json.dumps(result))
        return 0

    import duckdb

    root = args.workdir or Path(tempfile.mkdtemp(prefix="multilat-evbench-"))
    root.mkdir(parents=True, exist_ok=True)
    print(f"python {platform.python_version()}, duckdb {duckdb.__version__}, "
          f"{os.cpu_count()} cores, work directory {root}")
    baseline = {"ingest": "ingest:duckdb-copy", "aggregate": "aggregate:duckdb-hand"}
    summary = []
    try:
        for rows in args.rows:
            work = root / f"rows-{rows}"
            work.mkdir(exist_ok=True)
            raw = work / f"gdelt-{rows}.tsv"
            if not raw.exists():
                start = time.perf_counter()
                generate_gdelt.generate(rows, raw, seed=args.seed)
                print(f"\n{rows:,} rows: generated {raw.stat().st_size / 2**30:.2f} GiB in "
                      f"{time.perf_counter() - start:.1f} s")
            else:
                print(f"\n{rows:,} rows: reusing {raw}")
            # Interleaved: each round runs every step once (a fresh child each), so a baseline
            # and the step compared with it share the machine's load; best of the rounds.
            results: dict[str, dict[str, float]] = {}
            for _ in range(args.repeat):
                for step in STEPS:
                    if step in args.steps:
                        result = run_child(step, raw, work, 1)
                        best = results.get(step)
                        if best is None or result["seconds"] < best["seconds"]:
                            results[step] = result
            print(f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())} after "
                  f"{args.repeat} interleaved round(s)")
            print(f"{'step':<24} {'seconds':>8} {'rows/s':>12} {'peak MiB':>9} {'x baseline':>10}"
                  f" {'CPU s':>7} {'x CPU':>6}")
            for step, result in results.items():
                base = results.get(baseline[step.split(':')[0]])
                ratio = result["seconds"] / base["seconds"] if base else float("nan")
                cpu_ratio = (result["cpu_seconds"] / base["cpu_seconds"] if base
                             else float("nan"))
                extra = (f"  (+ {result['startup_seconds']:.1f} s Spark start-up)"
                         if "startup_seconds" in result else "")
                print(f"{step:<24} {result['seconds']:>8.2f} {rows / result['seconds']:>12,.0f} "
                      f"{result['peak_mib']:>9,.0f} {ratio:>10.2f} {result['cpu_seconds']:>7.2f} "
                      f"{cpu_ratio:>6.2f}{extra}")
                summary.append({"rows": rows, "step": step, "ratio": ratio, **result})
            pandas = results.get("aggregate:pandas-raw")
            mine = results.get("aggregate:multilat")
            if pandas and mine:
                print(f"multilat aggregate is {pandas['seconds'] / mine['seconds']:.1f}x faster "
                      "than pandas from the raw file")
                ingested = results.get("ingest:multilat")
                if ingested:
                    both = ingested["seconds"] + mine["seconds"]
                    print(f"end to end, pandas from the raw file takes "
                          f"{pandas['seconds'] / both:.2f}x the time of multilat's ingest + "
                          f"aggregate ({both:.2f} s; the ingest is done once per file)")
            rows_only = results.get("aggregate:duckdb-hand-rows")
            if rows_only and mine:
                print(f"multilat aggregate is {mine['seconds'] / rows_only['seconds']:.2f}x the "
                      "hand-written query that counts rows (count(*)) instead of distinct ids")
            print("correctness guard:")
            print("\n".join(check_same(work)) or "  (nothing to compare)")
            if not args.keep and args.workdir is None:
                shutil.rmtree(work)
        (root / "results.json").write_text(json.dumps(summary, indent=1))
        if args.keep or args.workdir is not None:
            print(f"\nresults in {root / 'results.json'}")
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
