"""Inference grows linearly: weigh 10^4 .. 10^6 synthetic evidence items.

Run: python benchmarks/bench_inference.py

For each size it prints wall time (best of 3) and peak traced memory of
``infer_variables`` + ``predict_from_beliefs`` on a columnar EvidenceTable, the time per item,
and the ratios to the smallest size. A same-run baseline is one ``numpy.bincount`` over the
same number of weights (the cheapest possible linear pass): the ratio to it should stay
roughly constant if inference is linear.
"""

from __future__ import annotations

import time
import tracemalloc

import numpy as np

import multilat
from multilat.infer import EvidenceTable
from multilat.predict import predict_from_beliefs
from multilat.testing import synthetic_table

SIZES = (10_000, 100_000, 1_000_000)
PERIODS = (multilat.case.Period("a", 2000, 2009), multilat.case.Period("b", 2010, 2019))
YEARS = tuple(range(2000, 2020))


def _best(function, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    theory = multilat.load_theory("kpr")
    rows = []
    for size in SIZES:
        table = synthetic_table(theory, size, (2000, 2019), seed=1)

        def run(table: EvidenceTable = table) -> None:
            beliefs = multilat.infer_variables(table, theory, YEARS, PERIODS)
            predict_from_beliefs(beliefs, theory)

        def baseline_pass(table: EvidenceTable = table) -> None:
            np.bincount(table.target, table.weight)

        seconds = _best(run)
        baseline = _best(baseline_pass)
        tracemalloc.start()
        run()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append((size, seconds, baseline, peak))
    first = rows[0]
    print(f"{'items':>10} {'seconds':>9} {'us/item':>8} {'x time':>7} {'x items':>8} "
          f"{'vs bincount':>11} {'peak MiB':>9} {'x mem':>6}")
    for size, seconds, baseline, peak in rows:
        print(f"{size:>10} {seconds:>9.4f} {seconds / size * 1e6:>8.3f} "
              f"{seconds / first[1]:>7.1f} {size / first[0]:>8.0f} {seconds / baseline:>11.1f} "
              f"{peak / 2**20:>9.1f} {peak / first[3]:>6.1f}")


if __name__ == "__main__":
    main()
