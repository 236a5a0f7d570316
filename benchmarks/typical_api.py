"""A scoring API built the usual way, for comparison in bench_api_throughput.py: FastAPI, a
scikit-learn pipeline (imputer, then LightGBM's scikit-learn classifier), a one-row
DataFrame per request, and a synchronous INSERT committed per request into SQLite.

Served by granian: TYPICAL_API_DIR holds its training rows (clients.csv) and its database."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
from fastapi import Body, FastAPI
from lightgbm import LGBMClassifier
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline

DIRECTORY = Path(os.environ["TYPICAL_API_DIR"])
DATABASE = DIRECTORY / "typical.db"

_train = pd.read_csv(DIRECTORY / "clients.csv")
COLUMNS = [c for c in _train.select_dtypes("number").columns if c not in ("SK_ID_CURR", "TARGET")]
pipeline = Pipeline(
    [
        ("impute", SimpleImputer(strategy="median")),
        ("model", LGBMClassifier(n_estimators=200, verbose=-1, n_jobs=1)),
    ]
)
pipeline.fit(_train[COLUMNS], _train["TARGET"])
del _train
with sqlite3.connect(DATABASE) as _db:
    _db.execute(
        "CREATE TABLE IF NOT EXISTS predictions "
        "(id INTEGER PRIMARY KEY, inputs TEXT, probability REAL)"
    )
_local = threading.local()

app = FastAPI()


def _connection() -> sqlite3.Connection:
    if not hasattr(_local, "db"):
        _local.db = sqlite3.connect(DATABASE, timeout=30)
    return _local.db


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/score")
def score(applicant: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    frame = pd.DataFrame([applicant]).reindex(columns=COLUMNS)
    probability = float(pipeline.predict_proba(frame)[0, 1])
    db = _connection()
    db.execute(
        "INSERT INTO predictions (inputs, probability) VALUES (?, ?)",
        (json.dumps(applicant), probability),
    )
    db.commit()
    return {"probability": probability, "decision": "refuse" if probability > 0.5 else "approve"}
