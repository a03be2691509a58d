"""Scaling of the robustness checks against the analysis they check (issue 13, deliverable 3).

Run: python benchmarks/bench_checks.py [--sizes 1000 10000 100000] [--repeat 3]

For each size N a generated case is built in memory (theory ``kpr``, rising KAZ, established
RUS, 1970-2019, five ten-year periods; items draw their variable, level, side, kind, strength,
reliability 0.6-0.95, span 1-5 years and one of max(10, N/50) sources at random, as
``benchmarks/scaling/generate_case.py`` on the perf branch writes them). Each measurement runs
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
import random
import subprocess
import sys
import time
import tracemalloc

START, END = 1970, 2019
VARIABLES = [("balance_of_outside_options", ("favorable", "unfavorable"), ("rising",
                                                                          "established")),
             ("indispensability", ("indispensable", "dispensable"), ()),
             ("strategy", ("invest", "hold_up", "accept"), ())]
KINDS = ("statistic", "action", "statement", "assessment")
STRENGTHS = ("straw_in_the_wind", "hoop", "smoking_gun", "doubly_decisive")


def generated_case(n_items: int, seed: int = 0):  # type: ignore[no-untyped-def]
    """The case, in memory."""
    from multilat.case.model import Actor, Case, Evidence, Institution, Period
    from multilat.theory.model import Citation

    rng = random.Random(seed * 1_000_003 + n_items)
    n_sources = max(10, n_items // 50)
    items = []
    for index in range(n_items):
        variable, levels, sides = VARIABLES[0 if index % 5 < 2 else 1 if index % 5 < 4 else 2]
        first = rng.randint(START, END)
        last = min(END, first + rng.randint(0, 4))
        items.append(Evidence(
            id=f"g{index:07d}", kind=rng.choice(KINDS), start=first, end=last,
            actor="KAZ" if rng.random() < 0.7 else "RUS",
            summary=f"Generated item {index}.", variable=variable, level=rng.choice(levels),
            side=rng.choice(sides) if sides else None,
            strength=rng.choice(STRENGTHS[:3]) if rng.random() < 0.95 else STRENGTHS[3],
            reliability=round(rng.uniform(0.6, 0.95), 2),
            citation=Citation(f"src{rng.randrange(n_sources):05d}"),
            rationale="Generated for the benchmark."))
    return Case(
        id=f"generated-{n_items}", title="Generated case", theory="kpr",
        institution=Institution("inst", "the institution"),
        actors=(Actor("KAZ", "Kazakhstan", "rising"), Actor("RUS", "Russia", "established")),
        start=START, end=END,
        periods=tuple(Period(f"p{i + 1}", START + 10 * i, START + 10 * i + 9)
                      for i in range(5)),
        bibliography="references.bib", evidence=tuple(items))


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
