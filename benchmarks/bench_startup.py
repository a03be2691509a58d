"""Start-up: the CLI on the built-in case against the import floor of its core libraries.

Run: python benchmarks/bench_startup.py [--runs 15]

Issue 13's goals, measured side by side in one run: ``multilat analyze`` on the built-in case
within 1.5x of ``python -c "import numpy, yaml"``, and ``multilat --help`` within 2x of
``python -c "import click"``. Each command runs ``--runs`` times in fresh processes, the
commands interleaved (one round runs each once) so that a change in the machine's load hits
them alike; the table gives the median and the fastest wall time and each median's ratio to
its baseline's median. One warm-up round first writes the byte-code and multilat's on-disk
cache (``multilat._cache``), as any earlier run on the machine would have. Byte-code is
allowed (``PYTHONDONTWRITEBYTECODE`` is dropped for the children), as on a user's machine.
Nothing here is a test: no time is asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time

PY = sys.executable
RUNS = {
    "python -c pass": [PY, "-c", "pass"],
    "import numpy, yaml": [PY, "-c", "import numpy, yaml"],
    "import click": [PY, "-c", "import click"],
    "multilat --help": [PY, "-m", "multilat", "--help"],
    "multilat schema": [PY, "-m", "multilat", "schema"],
    "multilat analyze": [PY, "-m", "multilat", "analyze"],
    "multilat analyze --format json": [PY, "-m", "multilat", "analyze", "--format", "json"],
    "multilat validate (built-in)": None,
}
BASELINE = {"multilat analyze": "import numpy, yaml",
            "multilat analyze --format json": "import numpy, yaml",
            "multilat validate (built-in)": "import numpy, yaml",
            "multilat --help": "import click", "multilat schema": "import click",
            "import numpy, yaml": "python -c pass", "import click": "python -c pass"}
GOALS = {"multilat analyze": 1.5, "multilat --help": 2.0}


def _validate_argv() -> list[str]:
    code = ("from multilat.examples import example_path; print(example_path('kazakhstan-eaeu'))")
    path = subprocess.run([PY, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip()
    return [PY, "-m", "multilat", "validate", path]


def _once(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                          check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode()[-1000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    runs = dict(RUNS)
    runs["multilat validate (built-in)"] = _validate_argv()
    times: dict[str, list[float]] = {name: [] for name in runs}
    for argv in runs.values():          # warm-up: byte-code and multilat's cache
        _once(argv, env)
    for _ in range(args.runs):
        for name, argv in runs.items():
            times[name].append(_once(argv, env))
    print(f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}; {args.runs} runs each, interleaved")
    print(f"{'run':<32} {'median s':>9} {'best s':>8}  ratio (medians)")
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, values in times.items():
        base = BASELINE.get(name)
        ratio = f"x{medians[name] / medians[base]:.2f} {base}" if base else ""
        goal = GOALS.get(name)
        if goal is not None:
            met = "met" if medians[name] / medians[base] <= goal else "NOT met"
            ratio += f" (goal <= {goal}x: {met})"
        print(f"{name:<32} {medians[name]:>9.3f} {min(values):>8.3f}  {ratio}")


if __name__ == "__main__":
    main()
