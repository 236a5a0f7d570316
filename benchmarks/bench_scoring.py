"""Benchmark: scoring speed against raw LightGBM calls measured in the same run.

Trains a model with the default parameters on synthetic rows, then times, interleaving
our call and the raw call so that machine load hits both alike (medians):
  - one applicant, score only: CreditModel.score(dict) vs Booster.predict(numpy row)
  - one applicant, explained: CreditModel.score(dict, explain=True) vs pred_contrib(row)
  - a 100,000-row file: load + validate + features + predict vs Booster.predict(matrix)
The process runs with the OpenMP settings of the scoring processes (SCORING_ENVIRONMENT).
Run: .venv/bin/python benchmarks/bench_scoring.py [--train-rows 50000] [--file-rows 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from credit_app.ml import use_scoring_threads

use_scoring_threads()  # as `credit-app serve` and `credit-app score` run; before lightgbm loads

from credit_app.ml import synth  # noqa: E402
from credit_app.ml.features import frame_features, record_features  # noqa: E402
from credit_app.ml.loader import load_applications  # noqa: E402
from credit_app.ml.model import CreditModel  # noqa: E402
from credit_app.ml.train import train_model  # noqa: E402

APPLICANTS = 200


def _interleaved(calls: int, *functions: Callable[[int], object]) -> list[float]:
    """Median seconds per call of each function(i), the functions taking turns call by call."""
    timings: list[list[float]] = [[] for _ in functions]
    for i in range(calls):
        for function, timing in zip(functions, timings, strict=True):
            started = time.perf_counter()
            function(i)
            timing.append(time.perf_counter() - started)
    return [statistics.median(timing) for timing in timings]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--train-rows", type=int, default=50_000)
    parser.add_argument("--file-rows", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--explained-calls", type=int, default=400)
    parser.add_argument("--file-repeats", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        model_dir = Path(tmp) / "model"
        train_model(synth.generate(args.train_rows, seed=1), model_dir, folds=2)
        model = CreditModel.load(model_dir)
        booster = model.booster
        applicants = synth.generate(APPLICANTS, seed=2).drop(columns="TARGET")
        # A JSON round trip gives the plain Python values an API request would carry.
        records = [
            {key: value for key, value in record.items() if value is not None}
            for record in json.loads(applicants.to_json(orient="records"))
        ]
        rows = [record_features(record) for record in records]
        for i in range(200):  # warm-up
            booster.predict(rows[i % APPLICANTS])
            model.score(records[i % APPLICANTS], explain=i % 10 == 0)

        score, raw, raw_threaded = _interleaved(
            args.calls,
            lambda i: model.score(records[i % APPLICANTS]),
            lambda i: booster.predict(rows[i % APPLICANTS], num_threads=1),
            lambda i: booster.predict(rows[i % APPLICANTS]),
        )
        explained, raw_contrib = _interleaved(
            args.explained_calls,
            lambda i: model.score(records[i % APPLICANTS], explain=True),
            lambda i: booster.predict(rows[i % APPLICANTS], pred_contrib=True, num_threads=1),
        )

        file_path = Path(tmp) / "applications.csv"
        synth.write_csv(synth.generate(args.file_rows, seed=3).drop(columns="TARGET"), file_path)
        loaded = load_applications(file_path)
        matrix = frame_features(loaded.frame)
        whole_file, in_memory, raw_file = _interleaved(
            args.file_repeats,
            lambda _: model.predict_frame(load_applications(file_path).frame),
            lambda _: model.predict_frame(loaded.frame),
            lambda _: booster.predict(matrix),
        )

    leaves = model.card.params["num_leaves"]
    print(
        f"model: {booster.num_trees()} trees of at most {leaves} leaves, "
        f"{booster.num_feature()} features; {os.cpu_count()} cores; medians"
    )
    print()
    print("| measure | ours | raw LightGBM | ratio | target |")
    print("|---|---|---|---|---|")
    print(
        f"| one applicant, score only | {score * 1e3:.3f} ms | {raw * 1e3:.3f} ms | "
        f"{score / raw:.2f}x | <= 3x |"
    )
    print(
        f"| (raw `Booster.predict` of one row, default threads) | | "
        f"{raw_threaded * 1e3:.3f} ms | | |"
    )
    print(
        f"| one applicant, with explanation | {explained * 1e3:.3f} ms | "
        f"{raw_contrib * 1e3:.3f} ms | {explained / raw_contrib:.2f}x | <= 1.5x |"
    )
    raw_rate = args.file_rows / raw_file
    for label, seconds in (
        (f"{args.file_rows:,}-row file, rows/s: load + validate + features + predict", whole_file),
        (f"{args.file_rows:,}-row frame in memory, rows/s: features + predict", in_memory),
    ):
        print(
            f"| {label} | {args.file_rows / seconds:,.0f} | {raw_rate:,.0f} | "
            f"{raw_file / seconds:.2f} of raw | >= 0.5 of raw |"
        )


if __name__ == "__main__":
    main()
