"""Loading: ``analyze`` and ``validate`` against a bare LibYAML load of the same files, gc off.

Run: python benchmarks/bench_loading.py [--sizes 100000] [--repeat 1] [--workdir DIR]

Issue 13's loading goal: at 10^5 items ``analyze`` within 2.5x of a bare LibYAML load
(``yaml.load(..., Loader=yaml.CSafeLoader)`` of every YAML file of the case, garbage collector
off) and its peak memory within 3x of that load's. The measurement is ``bench_scaling.py``'s
(generated case, fresh processes, wall time and peak resident set of each child) for these two
commands; the ``x ... of libyaml`` column is the ratio. No time is asserted anywhere.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_scaling  # noqa: E402

if __name__ == "__main__":
    arguments = sys.argv[1:]
    if "--sizes" not in arguments:
        arguments = ["--sizes", "100000", *arguments]
    sys.argv = [sys.argv[0], *arguments, "--commands", "validate", "analyze"]
    bench_scaling.main()
