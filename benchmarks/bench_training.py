"""Benchmark: train on synthetic rows (default 300,000) and report time and peak memory.

Run: .venv/bin/python benchmarks/bench_training.py [--rows 300000] [--folds 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from credit_app.ml import synth
from credit_app.ml.train import train_model


def _peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    started = time.perf_counter()
    frame = synth.generate(args.rows, args.seed)
    generated = time.perf_counter() - started
    before = _peak_rss_mib()
    steps: list[tuple[float, str]] = []
    start_training = time.perf_counter()

    def progress(message: str) -> None:
        steps.append((time.perf_counter() - start_training, message))
        print(f"  {steps[-1][0]:7.1f} s  {message}", flush=True)

    with tempfile.TemporaryDirectory() as out:
        card = train_model(frame, Path(out), folds=args.folds, progress=progress)
        model_mib = (Path(out) / "model.txt").stat().st_size / 2**20
    total = time.perf_counter() - start_training
    metrics = card.metrics
    print()
    print(f"| rows | {args.rows:,} ({args.folds}-fold CV + final model) |")
    print("|---|---|")
    print(f"| cores | {os.cpu_count()} |")
    print(f"| synthetic data generation | {generated:.1f} s |")
    print(f"| training wall time (CV, baseline, final model, card) | {total:.1f} s |")
    print(f"| peak RSS before training (data in memory) | {before:,.0f} MiB |")
    print(f"| peak RSS of the whole run | {_peak_rss_mib():,.0f} MiB |")
    print(f"| model.txt size | {model_mib:.1f} MiB |")
    print(
        f"| out-of-fold AUC / logistic baseline | {metrics.auc:.4f} / "
        f"{metrics.baseline_logistic_auc:.4f} |"
    )
    print(f"| threshold | {card.threshold:.4f} |")


if __name__ == "__main__":
    main()
