"""Benchmark: false drift alarms on stable synthetic windows, and how honest the p-values are.

Builds the card's reference from N synthetic rows (seed 1), draws windows of each size
from a large pool of the same generator (seed 99), runs `drift.assess` on each (min_rows
off) and reports the share of windows with any flagged feature (Benjamini-Hochberg at
alpha bounds it by alpha when nothing moved), the share of p-values below 1 %, 0.1 % and
0.01 % (a calibrated test gives those shares), and the time per assessment.
Run: .venv/bin/python benchmarks/bench_drift_false_alarms.py [--windows 200]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from credit_app.ml import synth
from credit_app.ml.drift import ALPHA, assess, count_matrix
from credit_app.ml.features import FEATURE_NAMES, frame_features
from credit_app.ml.reference import build_reference


def main() -> None:
    """Print one line per window size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference-rows", type=int, default=20_000)
    parser.add_argument("--pool-rows", type=int, default=200_000)
    parser.add_argument("--windows", type=int, default=200)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 250, 500, 1000, 3000])
    args = parser.parse_args()
    m = args.reference_rows
    reference = build_reference(frame_features(synth.generate(m, seed=1)), np.zeros(m))
    importance = dict.fromkeys(FEATURE_NAMES, 1.0)
    pool = frame_features(synth.generate(args.pool_rows, seed=99))
    rng = np.random.default_rng(0)
    print(f"reference {m} rows, {args.windows} windows per size, alpha {ALPHA}")
    print("rows | windows with a flag | p < 0.01 | p < 0.001 | p < 0.0001 | ms per assess")
    for size in args.sizes:
        flagged, p_values, seconds = 0, [], 0.0
        for _ in range(args.windows):
            window = pool[rng.choice(len(pool), size, replace=False)]
            start = time.perf_counter()
            report = assess(
                reference.features,
                count_matrix(window, reference.features),
                importance,
                m,
                min_rows=0,
            )
            seconds += time.perf_counter() - start
            flagged += any(row.drifted for row in report.rows)
            p_values += [row.p_value for row in report.rows]
        p = np.array(p_values)
        print(
            f"{size} | {flagged / args.windows:.3f} | {np.mean(p < 1e-2):.4f} | "
            f"{np.mean(p < 1e-3):.4f} | {np.mean(p < 1e-4):.5f} | "
            f"{1000 * seconds / args.windows:.1f}"
        )


if __name__ == "__main__":
    main()
