"""ICEWS ingest against DuckDB's bare COPY of the same file, in one run.

Run: python benchmarks/events/bench_icews.py --rows 1000000 10000000 [--repeat 3] [--workdir D]

For each size a synthetic ICEWS file is written (``generate_icews.py``), then each step runs in
its own Python subprocess (its peak resident set is its own, ``ru_maxrss`` from ``os.wait4``):

* ``duckdb-copy`` (baseline): ``COPY (SELECT <the store's columns> FROM read_csv(raw, 20
  columns typed as multilat types them, header, nullstr 'NA') LEFT JOIN country_names (three
  times)) TO 'x.parquet'``, with the DuckDB settings multilat's ingest uses: the same read and
  country lookups, no validation, partitioning, quarantine, hash or duplicate check;
* ``multilat``: ``multilat.events.ingest([raw], store)``.

Seconds are the operation's wall time inside the child, excluding start-up and imports, best of
``--repeat`` rounds, each round running both steps once (interleaved, under the same load).
Nothing here is a test: no time is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate_icews  # noqa: E402


def _baseline(raw: Path, work: Path, repeat: int) -> float:
    import duckdb

    from multilat.events.formats import FORMATS

    names = HERE.parents[1] / "src" / "multilat" / "events" / "tables" / "country_names.csv"
    types = {"Event ID": "BIGINT", "Event Date": "DATE", "Intensity": "DOUBLE"}
    columns = "{" + ", ".join(f"'{c}': '{types.get(c, 'VARCHAR')}'"
                              for c in generate_icews.COLUMNS) + "}"
    read = (f"read_csv('{raw}', delim='\t', quote='', header=true, columns={columns}, "
            "nullstr=['', 'NA'], auto_detect=false, dateformat='%Y-%m-%d')")
    select = FORMATS["icews"].select_sql(read)
    out = work / "baseline.parquet"
    best = float("inf")
    for _ in range(repeat):
        out.unlink(missing_ok=True)
        # The settings multilat's ingest uses (insertion order not kept; the small lookup
        # table as the join's build side): without them DuckDB builds the three lookups'
        # hash tables on the file (7 GB at 10M rows) and the baseline is no engine limit.
        con = duckdb.connect(config={"preserve_insertion_order": False})
        con.execute("SET disabled_optimizers = 'build_side_probe_side'")
        con.execute("CREATE TABLE country_names AS SELECT * FROM read_csv(?, header=true, "
                    "columns={'name': 'VARCHAR', 'iso3': 'VARCHAR'}, auto_detect=false)",
                    [str(names)])
        start = time.perf_counter()
        con.execute(f"COPY ({select}) TO '{out}' (FORMAT parquet)")
        best = min(best, time.perf_counter() - start)
        con.close()
    return best


def _multilat(raw: Path, work: Path, repeat: int) -> float:
    import duckdb  # noqa: F401 - imported before the clock starts, as for the baseline
    import pyarrow.parquet  # noqa: F401

    from multilat.events import ingest

    store = work / "store"
    best = float("inf")
    for _ in range(repeat):
        shutil.rmtree(store, ignore_errors=True)
        start = time.perf_counter()
        ingest([raw], store)
        best = min(best, time.perf_counter() - start)
    return best


STEPS = {"duckdb-copy": _baseline, "multilat": _multilat}


def _child(step: str, raw: Path, work: Path, repeat: int, result: Path) -> None:
    seconds = STEPS[step](raw, work, repeat)
    result.write_text(json.dumps({"seconds": seconds}))


def _run(step: str, raw: Path, work: Path, repeat: int) -> tuple[float, float]:
    result = work / f"{step}.json"
    child = subprocess.Popen([sys.executable, __file__, "--child", step, "--raw", str(raw),
                              "--workdir", str(work), "--repeat", str(repeat),
                              "--result", str(result)])
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{step} failed")
    return json.loads(result.read_text())["seconds"], usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--child", choices=sorted(STEPS))
    parser.add_argument("--raw", type=Path)
    parser.add_argument("--result", type=Path)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.raw, args.workdir, args.repeat, args.result)
        return
    work = args.workdir or Path(tempfile.mkdtemp(prefix="multilat-icews-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{'rows':>11} {'step':<12} {'seconds':>8} {'rows/s':>11} {'peak MiB':>9} "
          "x baseline", flush=True)
    for rows in args.rows:
        raw = work / f"icews-{rows}.tab"
        if not raw.is_file():
            generate_icews.generate(rows, raw)
        best: dict[str, tuple[float, float]] = {}
        for _ in range(args.repeat):        # interleaved rounds: the same load for both
            for step in STEPS:
                seconds, mib = _run(step, raw, work, 1)
                if step not in best or seconds < best[step][0]:
                    best[step] = (seconds, mib)
        base = best["duckdb-copy"][0]
        for step, (seconds, mib) in best.items():
            print(f"{rows:>11,} {step:<12} {seconds:>8.2f} {rows / seconds:>11,.0f} "
                  f"{mib:>9,.0f} {seconds / base:>10.2f}", flush=True)
        print(f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}", flush=True)
        raw.unlink()


if __name__ == "__main__":
    main()
