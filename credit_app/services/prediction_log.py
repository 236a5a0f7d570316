"""Writes prediction records in their own transaction, so failures are kept even when the
caller's work is rolled back. The one place where predictions are written: a batch of any
size is one multi-row INSERT of plain rows (building an ORM object per row cost more than
scoring it)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, insert, update
from sqlmodel import Session

from credit_app.db.engine import Database
from credit_app.db.models import Client, Prediction
from credit_app.db.types import utcnow

_TABLE: Table = Prediction.__table__  # type: ignore[attr-defined]
_DEFAULTS: dict[str, Any] = {column.name: None for column in _TABLE.columns} | {"status": 200}


def new_prediction_id() -> str:
    return uuid.uuid4().hex


def prediction_row(**fields: Any) -> dict[str, Any]:
    """A whole `predictions` row: the given columns, else a new id, the time now, defaults."""
    unknown = fields.keys() - _DEFAULTS.keys()
    if unknown:
        raise TypeError(f"not columns of predictions: {sorted(unknown)}")
    row = {**_DEFAULTS, "created_at": utcnow(), **fields}
    if row["id"] is None:
        row["id"] = new_prediction_id()
    return row


class PredictionLog:
    def __init__(self, database: Database) -> None:
        self.database = database

    def write(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Commit the rows before returning: an id handed to a caller can be read back."""
        if not rows:
            return
        with Session(self.database.engine) as session:
            session.execute(insert(_TABLE), list(rows))
            for row in rows:
                if row["client_id"] is not None and row["decision"] is not None:
                    session.execute(
                        update(Client)
                        .where(Client.id == row["client_id"])
                        .values(
                            last_probability=row["probability"],
                            last_decision=row["decision"],
                            last_scored_at=row["created_at"],
                        )
                    )
            session.commit()
