"""Leave-one-out over 10^4, 10^5 and 3x10^5 synthetic items: linear, not quadratic.

Removing item i only subtracts its weight from the years and periods it covers, so
`multilat.checks.leave_one_out` computes every leave-one-out analysis from the full one in
O(number of (item, year) pairs). This script times it against a same-run baseline (one full
inference: `infer_variables` + the rule table) and prints the growth ratios. A naive
leave-one-out re-runs the inference n times: its cost is estimated as n x the baseline.

Run: .venv/bin/python benchmarks/bench_leave_one_out.py [--sizes 10000 100000 300000]
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable

import numpy as np

from multilat import Analysis
from multilat.checks import leave_one_out
from multilat.checks.synthetic import synthetic_analysis
from multilat.infer import infer_variables
from multilat.predict import predict_from_beliefs

THEORY = "kpr"  # the built-in theory the synthetic cases are drawn under


def best_of(function: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 300_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    print(f"{'items':>8} {'pairs':>9} {'baseline s':>11} {'LOO s':>9} {'LOO/base':>9} "
          f"{'growth':>7} {'naive est. s':>13}")
    previous = None
    for size in args.sizes:
        analysis = synthetic_analysis(size, seed=1, theory=THEORY)
        table = analysis.table

        def baseline(analysis: Analysis = analysis) -> None:
            beliefs = infer_variables(analysis.table, analysis.theory, analysis.years,
                                      analysis.case.periods)
            predict_from_beliefs(beliefs, analysis.theory)

        base = best_of(baseline, args.repeat)
        loo = best_of(lambda analysis=analysis: leave_one_out(analysis), args.repeat)
        assert len(leave_one_out(analysis).item) > 0
        pairs = int((table.end - table.start + 1).sum())
        growth = f"{loo / previous[1]:.2f}x/{size / previous[0]:.0f}x" if previous else "-"
        print(f"{size:>8} {pairs:>9} {base:>11.4f} {loo:>9.4f} {loo / base:>9.1f} "
              f"{growth:>7} {size * base:>13.0f}")
        previous = (size, loo)


if __name__ == "__main__":
    main()
