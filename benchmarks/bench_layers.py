"""Loading a case whose layers are YAML, JSON or Parquet: time and memory against a bare load.

Run: python benchmarks/bench_layers.py [--sizes 10000 30000 100000] [--repeat 3]
     [--workdir DIR]

For each size the scaling generator (``scaling/generate_case.py``) writes the same items three
times, with YAML, JSON and Parquet layers (the case file is YAML in all three). Each step runs
in a fresh process:

* ``libyaml``: the baseline, a bare LibYAML load (``yaml.load`` with ``CSafeLoader``, gc off)
  of every YAML file of the YAML case, one file at a time;
* ``load_case (FORMAT)``: ``multilat.load_case`` of the case, every check included.

Time is the step's own wall time inside the child (imports left out: pyarrow is imported
before the clock starts), best of ``--repeat``; memory is the child's peak resident set
(``VmHWM``) and, in a second run under ``tracemalloc``, the peak of Python's allocations during
the step. The items are checked to be equal in the three formats. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "scaling"))

import generate_case  # noqa: E402

FORMATS = ("yaml", "json", "parquet")

_CHILD = r"""
import gc, json, sys, time, tracemalloc
mode, trace, paths = sys.argv[1], sys.argv[2] == "1", sys.argv[3:]
if mode == "libyaml":
    import yaml
    gc.disable()
else:
    from multilat.case import load_case
    if mode == "parquet":
        import pyarrow.parquet  # imported before the clock starts
if trace:
    tracemalloc.start()
start = time.perf_counter()
if mode == "libyaml":
    for name in paths:
        with open(name, encoding="utf-8") as handle:
            yaml.load(handle.read(), Loader=yaml.CSafeLoader)
    digest = None
else:
    case = load_case(paths[0])
seconds = time.perf_counter() - start
traced = tracemalloc.get_traced_memory()[1] if trace else None
if mode != "libyaml":
    import hashlib
    digest = hashlib.sha256(repr(case.evidence).encode()).hexdigest()
peak = next(int(line.split()[1]) for line in open("/proc/self/status")
            if line.startswith("VmHWM"))
print(json.dumps({"seconds": seconds, "traced": traced, "peak_kb": peak, "digest": digest}))
"""


def run(mode: str, paths: list[str], trace: bool) -> dict[str, float]:
    result = subprocess.run([sys.executable, "-c", _CHILD, mode, "1" if trace else "0", *paths],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="multilat-layers-"))
    print(f"python {platform.python_version()}, {os.cpu_count()} cores; load average "
          f"{os.getloadavg()[0]:.1f} at start; work {work}", flush=True)
    print(f"{'items':>7} {'step':<22} {'seconds':>8} {'x base':>7} {'peak MiB':>9} "
          f"{'x base':>7} {'traced MiB':>11} {'x base':>7}", flush=True)
    for size in args.sizes:
        cases = {}
        for kind in FORMATS:
            folder = work / f"case-{size}-{kind}"
            if not (folder / "case.yaml").is_file():
                generate_case.generate(size, folder, layer_format=kind)
            cases[kind] = folder / "case.yaml"
        steps = [("libyaml", "libyaml", sorted(str(p) for p in
                                              cases["yaml"].parent.glob("*.yaml")))]
        steps += [(f"load_case ({kind})", kind, [str(cases[kind])]) for kind in FORMATS]
        base: dict[str, float] = {}
        digests = set()
        for label, mode, paths in steps:
            timed = [run(mode, paths, False) for _ in range(args.repeat)]
            traced = run(mode, paths, True)
            seconds = min(t["seconds"] for t in timed)
            peak = max(t["peak_kb"] for t in timed) / 1024
            heap = traced["traced"] / 2**20
            if mode == "libyaml":
                base = {"seconds": seconds, "peak": peak, "heap": heap}
            else:
                digests.add(traced["digest"])
            print(f"{size:>7} {label:<22} {seconds:>8.3f} {seconds / base['seconds']:>7.2f} "
                  f"{peak:>9.0f} {peak / base['peak']:>7.2f} {heap:>11.1f} "
                  f"{heap / base['heap']:>7.2f}", flush=True)
        print(f"{size:>7} items equal in the three formats: {len(digests) == 1}", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f} at end", flush=True)


if __name__ == "__main__":
    main()
