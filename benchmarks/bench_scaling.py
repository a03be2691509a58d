"""Every command from 10^2 to 10^5 evidence items: time, peak memory, growth exponent, ratios.

Run: python benchmarks/bench_scaling.py [--sizes 100 1000 10000 100000]
     [--commands validate analyze check when compare-theories report] [--repeat 1]
     [--workdir DIR] [--budget SECONDS] [--formats yaml json parquet]

For each size a case is generated (``scaling/generate_case.py``: 50 years, 5 periods, layers
of at most 10,000 items, one source per 50 items) and each command runs in a fresh process,
as a user runs it (``python -m multilat COMMAND CASE ...``, output to a file). Time is the
process's wall time (best of ``--repeat``), memory its peak resident set (``ru_maxrss`` of that
child alone, from ``os.wait4``). The same run times two baselines on the same files:

* ``libyaml``: a bare LibYAML load of every YAML file of the case (``yaml.load`` with
  ``CSafeLoader``) with the garbage collector off, in a fresh process: the floor for reading
  the evidence at all (issue 13's reference for ``analyze``).
* ``python``: ``python -c pass``.

Printed per size: seconds, peak MiB, and the ratios the issue asks about (analyze / libyaml
time and memory, check / analyze, report - check). At the end, per command, the growth
exponent: the slope of log(time) and of log(memory) on log(items), fitted by least squares over
the sizes of at least 1,000 items (below that, start-up dominates). A command that passes
``--budget`` seconds at one size is not run at the larger ones. ``--formats json parquet``
also runs the commands on the same items written as JSON or Parquet layers (the ratios are to
the YAML files' bare load). Nothing here is a test: no time is asserted.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "scaling"))

import generate_case  # noqa: E402

COMMANDS = ("validate", "analyze", "check", "when", "compare-theories", "report")


def _arguments(command: str, case: Path, out: Path) -> list[str]:
    extra = {"analyze": ["--format", "json"], "check": ["--format", "json"],
             "when": ["--variable", "balance_of_outside_options", "--format", "json"],
             "compare-theories": ["--format", "json"],
             "report": ["--out", str(out / "report"), "--no-png"]}.get(command, [])
    return [sys.executable, "-m", "multilat", command, str(case), *extra]


def _libyaml(case: Path) -> list[str]:
    files = sorted(str(p) for p in case.parent.glob("*.yaml"))
    code = ("import gc, sys, yaml\ngc.disable()\n"
            "for name in sys.argv[1:]:\n"
            "    with open(name, encoding='utf-8') as handle:\n"
            "        yaml.load(handle.read(), Loader=yaml.CSafeLoader)\n")
    return [sys.executable, "-c", code, *files]


def measure(argv: list[str], out: Path, timeout: float) -> tuple[float, float]:
    """(wall seconds, peak resident MiB) of one child process; raises if it fails."""
    with (out / "stdout.txt").open("wb") as sink, (out / "stderr.txt").open("wb") as errors:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=sink, stderr=errors)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                os.wait4(child.pid, 0)
                raise TimeoutError(f"{' '.join(argv[2:4])}: over {timeout:.0f} s")
            time.sleep(0.005)
        seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):   # check/compare may exit 1 for a failed claim
        raise RuntimeError(f"{argv[2:4]} exited {child.returncode}: "
                           f"{(out / 'stderr.txt').read_text()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def best(argv: list[str], out: Path, repeat: int, timeout: float) -> tuple[float, float]:
    runs = [measure(argv, out, timeout) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def slope(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(value) on log(items)."""
    usable = [(math.log(n), math.log(v)) for n, v in points if n >= 1000 and v > 0]
    if len(usable) < 2:
        return None
    mx = sum(x for x, _ in usable) / len(usable)
    my = sum(y for _, y in usable) / len(usable)
    sxx = sum((x - mx) ** 2 for x, _ in usable)
    return sum((x - mx) * (y - my) for x, y in usable) / sxx


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10_000, 100_000])
    parser.add_argument("--commands", nargs="+", default=list(COMMANDS), choices=COMMANDS)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--budget", type=float, default=600.0,
                        help="seconds after which a command is not run at larger sizes")
    parser.add_argument("--formats", nargs="+", default=["yaml"],
                        choices=generate_case.FORMATS, help="the layers' formats to run")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="multilat-scaling-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.1f} at start; work {work}", flush=True)
    floor = best([sys.executable, "-c", "pass"], work, 3, 60)
    print(f"python -c pass: {floor[0]:.3f} s, {floor[1]:.0f} MiB", flush=True)
    results: dict[str, list[tuple[int, float, float]]] = {}
    stopped: set[str] = set()
    header = f"{'items':>7} {'step':<17} {'seconds':>9} {'peak MiB':>9}  ratio"
    if "yaml" in args.formats:  # the YAML run first: the other formats' ratios are to it
        args.formats = ["yaml", *(f for f in args.formats if f != "yaml")]
    print(header, flush=True)
    for size in args.sizes:
        folder = work / f"case-{size}"
        case = folder / "case.yaml"
        if not case.is_file():
            generate_case.generate(size, folder)
        seconds, mib = best(_libyaml(case), work, args.repeat, 3600)
        results.setdefault("libyaml", []).append((size, seconds, mib))
        print(f"{size:>7} {'libyaml load':<17} {seconds:>9.3f} {mib:>9.0f}  (baseline)",
              flush=True)
        row: dict[str, tuple[float, float]] = {"libyaml": (seconds, mib)}
        runs = [(command, kind) for kind in args.formats for command in args.commands]
        for command, kind in runs:
            if kind != "yaml":
                case = work / f"case-{size}-{kind}" / "case.yaml"
                if not case.is_file():
                    generate_case.generate(size, case.parent, layer_format=kind)
                command_name = f"{command} ({kind})"
            else:
                case, command_name = folder / "case.yaml", command
            if command_name in stopped:
                print(f"{size:>7} {command_name:<17} {'skipped':>9} (over budget at a smaller "
                      "size)", flush=True)
                continue
            try:
                seconds, mib = best(_arguments(command, case, work), work, args.repeat,
                                    max(args.budget * 20, 600))
            except (TimeoutError, RuntimeError) as error:
                print(f"{size:>7} {command_name:<17} failed: {error}", flush=True)
                stopped.add(command_name)
                continue
            row[command_name] = (seconds, mib)
            results.setdefault(command_name, []).append((size, seconds, mib))
            base = row["libyaml"]
            ratio = f"x{seconds / base[0]:.2f} time, x{mib / base[1]:.2f} memory of libyaml"
            suffix = command_name[len(command):]
            same = row.get(f"analyze{suffix}")
            if command == "check" and same:
                ratio += f"; x{seconds / same[0]:.2f} analyze"
                ratio += f", memory x{mib / same[1]:.2f} analyze"
            if command == "report" and f"check{suffix}" in row and same:
                ratio += f"; check + {seconds - row[f'check{suffix}'][0]:.2f} s"
                ratio += f", memory x{mib / same[1]:.2f} analyze"
            if kind != "yaml" and command in row:
                ratio += (f"; x{seconds / row[command][0]:.2f} time, "
                          f"x{mib / row[command][1]:.2f} memory of YAML")
            print(f"{size:>7} {command_name:<17} {seconds:>9.3f} {mib:>9.0f}  {ratio}",
                  flush=True)
            if seconds > args.budget:
                stopped.add(command_name)
    print("\ngrowth exponent (log-log slope over sizes >= 1000): time, memory", flush=True)
    for name, points in results.items():
        time_slope = slope([(n, s) for n, s, _ in points])
        memory_slope = slope([(n, m) for n, _, m in points])
        shown = [f"{v:.2f}" if v is not None else "-" for v in (time_slope, memory_slope)]
        print(f"  {name:<17} {shown[0]:>5} {shown[1]:>5}", flush=True)
    print("\nissue 13's goals, per size (met / NOT met):", flush=True)
    for line in goal_lines(results):
        print(f"  {line}", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f} at end", flush=True)


#: (what, numerator command, denominator command, resource, limit, kind): kind "ratio" is
#: numerator / denominator <= limit, "plus" is numerator - denominator <= limit seconds.
GOALS = (
    ("analyze time <= 2.5x a bare LibYAML load", "analyze", "libyaml", 0, 2.5, "ratio"),
    ("analyze memory <= 3x the load's", "analyze", "libyaml", 1, 3.0, "ratio"),
    ("check time <= 3x analyze", "check", "analyze", 0, 3.0, "ratio"),
    ("check memory <= 2x analyze's", "check", "analyze", 1, 2.0, "ratio"),
    ("report time <= check + 2 s", "report", "check", 0, 2.0, "plus"),
    ("report memory <= 2x analyze's", "report", "analyze", 1, 2.0, "ratio"),
)


def goal_lines(results: dict[str, list[tuple[int, float, float]]]) -> list[str]:
    """One line per goal and size the run measured, then the growth exponents' goal."""
    at = {name: {n: (s, m) for n, s, m in points} for name, points in results.items()}
    lines = []
    for what, top, bottom, resource, limit, kind in GOALS:
        for size in sorted(set(at.get(top, {})) & set(at.get(bottom, {}))):
            a, b = at[top][size][resource], at[bottom][size][resource]
            value = a / b if kind == "ratio" else a - b
            shown = f"x{value:.2f}" if kind == "ratio" else f"{value:+.2f} s"
            verdict = "met" if value <= limit else "NOT met"
            lines.append(f"{what:<42} {size:>7} items: {shown:>8}  {verdict}")
    for name in ("analyze", "check", "report"):
        exponent = slope([(n, s) for n, s, _ in results.get(name, [])])
        if exponent is not None:
            verdict = "met" if exponent <= 1.1 else "NOT met"
            lines.append(f"{name + ' growth exponent <= 1.1':<42} {'':>7}        {exponent:>8.2f}"
                         f"  {verdict}")
    return lines


if __name__ == "__main__":
    main()
