"""`multilat analyze` on the built-in case, as a ratio to bare interpreter start-up.

Run: python benchmarks/bench_cli.py

Both are timed as fresh processes (best of 5) in the same run, so the ratio is comparable
across machines: it is how many interpreter start-ups one analysis costs.
"""

from __future__ import annotations

import subprocess
import sys
import time


def _best(command: list[str], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    bare = _best([sys.executable, "-c", "pass"])
    imported = _best([sys.executable, "-c", "import multilat"])
    analyze = _best([sys.executable, "-m", "multilat", "analyze", "--format", "json"])
    table = _best([sys.executable, "-m", "multilat", "analyze"])
    print(f"{'run':<28} {'seconds':>8} {'x bare start-up':>16}")
    for name, seconds in (("python -c pass", bare), ("import multilat", imported),
                          ("multilat analyze --format json", analyze),
                          ("multilat analyze (table)", table)):
        print(f"{name:<28} {seconds:>8.3f} {seconds / bare:>16.1f}")


if __name__ == "__main__":
    main()
