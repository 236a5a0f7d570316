"""A large prediction log for benchmarks, written through the product's own PredictionLog
in batches as batch scoring writes it (inputs included): 1,000 synthetic applicants over
and over, spread evenly over the last 30 days, a third per channel.

With a model, each record carries that model's version, probability, decision and bins
(`drift.BinLayout`), as the scoring service records them."""

from __future__ import annotations

import random
import time
from datetime import timedelta

from credit_app.db.engine import Database
from credit_app.db.types import utcnow
from credit_app.ml import synth
from credit_app.ml.model import CreditModel
from credit_app.services.prediction_log import PredictionLog, prediction_row, scored_fields
from credit_app.services.values import json_records

CHUNK = 20_000
DAYS = 30


def fill(database_url: str, rows: int, model: CreditModel | None = None) -> float:
    """Write `rows` predictions over the last 30 days; seconds taken."""
    frame = synth.generate(1000, seed=5).drop(columns=["TARGET", "SK_ID_CURR"])
    inputs = json_records(frame)
    scored = model.score_frame(frame) if model is not None else None
    rng = random.Random(5)
    start = utcnow() - timedelta(days=DAYS)
    log = PredictionLog(Database(database_url), secret="benchmark")
    began = time.perf_counter()
    for first in range(0, rows, CHUNK):
        batch = []
        for n in range(first, min(first + CHUNK, rows)):
            row = {
                "created_at": start + timedelta(seconds=n * DAYS * 86400 / rows),
                "actor_kind": "api_client",
                "actor_name": "bench",
                "channel": rng.choice(("api", "ui", "batch")),
                "inputs": inputs[n % len(inputs)],
                "latency_ms": 1.0,
            }
            if scored is None:
                probability = rng.random() * 0.3
                row |= {
                    "model_version": "bench",
                    "probability": probability,
                    "decision": "refuse" if probability >= 0.1 else "approve",
                    "threshold": 0.1,
                }
            else:
                row |= scored_fields(scored[n % len(scored)])
            batch.append(prediction_row(**row))
        log.write(batch)
    return time.perf_counter() - began
