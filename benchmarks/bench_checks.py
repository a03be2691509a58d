"""Scaling of the robustness checks against the analysis they check (issue 13, deliverable 3).

Run: python benchmarks/bench_checks.py [--sizes 1000 10000 100000] [--repeat 3]

For each size N a generated case is built in memory (theory ``kpr``, rising KAZ, established
RUS, 1970-2019, five ten-year periods; items draw their variable, level, side, kind, strength,
reliability 0.6-0.95, span 1-5 years and one of max(10, N/50) sources at random: the items
``benchmarks/scaling/generate_case.py`` writes for ``bench_scaling.py``). Each measurement runs
in a fresh subprocess that builds the case first, then times (best of ``--repeat``)

* ``analyze``: :func:`multilat.analyze` on the case (tabulate, weigh, predict);
* ``check``: ``analyze`` then :func:`multilat.checks.run_checks` (the default suite), which is
  what ``multilat check`` does once the case is loaded;

and, in another run under ``tracemalloc``, the peak memory each allocates above the loaded
case. Loading the YAML is left out on purpose: it is the same for both commands (and
``benchmarks/bench_loading.py``'s subject), so leaving it out makes the ratio check/analyze the
strictest one. Prints time, peak memory, the ratios check/analyze and the growth exponent
fitted (least squares on log-log) over the sizes.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "scaling"))
import generate_case  # noqa: E402  (the generator bench_scaling.py writes to files)


def generated_case(n_items: int, seed: int = 0):  # type: ignore[no-untyped-def]
    """The case, in memory: the items ``scaling/generate_case.py`` writes, validated and
    built as a case file would be (its bibliography in a temporary folder; no YAML read)."""
    import tempfile

    from multilat.case import case_from_mapping

    data = {**generate_case.case_fields(n_items),
            "evidence": generate_case.generated_items(n_items, seed)}
    with tempfile.TemporaryDirectory() as folder:
        generate_case.write_bibliography(Path(folder), generate_case.sources(n_items))
        return case_from_mapping(data, folder)


def _child(command: str, n_items: int, repeat: int, memory: bool) -> dict[str, float]:
    import multilat
    from multilat.checks import run_checks

    case = generated_case(n_items)

    def run() -> None:
        analysis = multilat.analyze(case)
        if command == "check":
            run_checks(analysis)

    if memory:
        tracemalloc.start()
        run()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return {"peak_mib": peak / 2**20}
    best = math.inf
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - began)
    return {"seconds": best}


def _measure(command: str, n_items: int, repeat: int) -> dict[str, float]:
    out: dict[str, float] = {}
    for memory in (False, True):
        done = subprocess.run(
            [sys.executable, __file__, "--child", command, str(n_items), str(repeat),
             str(int(memory))], check=True, capture_output=True, text=True)
        out.update(json.loads(done.stdout.strip().splitlines()[-1]))
    return out


def _exponent(sizes: list[int], values: list[float]) -> float:
    xs, ys = [math.log(s) for s in sizes], [math.log(v) for v in values]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return (sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
            / sum((x - mx) ** 2 for x in xs))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        command, n_items, repeat, memory = sys.argv[2:6]
        print(json.dumps(_child(command, int(n_items), int(repeat), memory == "1")))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import numpy

    print(f"python {platform.python_version()}, numpy {numpy.__version__}, "
          f"{platform.machine()}")
    print(f"{'items':>8} {'analyze s':>10} {'check s':>9} {'ratio':>6} "
          f"{'analyze MiB':>12} {'check MiB':>10} {'ratio':>6}")
    rows = []
    for n_items in args.sizes:
        analyze = _measure("analyze", n_items, args.repeat)
        check = _measure("check", n_items, args.repeat)
        rows.append((n_items, analyze, check))
        print(f"{n_items:>8} {analyze['seconds']:>10.3f} {check['seconds']:>9.3f} "
              f"{check['seconds'] / analyze['seconds']:>6.2f} {analyze['peak_mib']:>12.1f} "
              f"{check['peak_mib']:>10.1f} {check['peak_mib'] / analyze['peak_mib']:>6.2f}",
              flush=True)
    if len(rows) > 1:
        sizes = [r[0] for r in rows]
        for name, index in (("analyze", 1), ("check", 2)):
            seconds = _exponent(sizes, [r[index]["seconds"] for r in rows])
            memory = _exponent(sizes, [r[index]["peak_mib"] for r in rows])
            print(f"growth exponent {name}: time {seconds:.2f}, memory {memory:.2f}")


if __name__ == "__main__":
    main()
