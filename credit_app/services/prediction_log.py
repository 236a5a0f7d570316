"""Writes prediction records in their own transaction, so failures are kept even when the
caller's work is rolled back. One place to batch writes when load requires it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel import Session, update

from credit_app.db.engine import get_engine
from credit_app.db.models import Client, Prediction


def new_prediction_id() -> str:
    return uuid.uuid4().hex


class PredictionLog:
    def __init__(self, database_url: str) -> None:
        self.database_url = database_url

    def write(self, records: Sequence[Prediction]) -> None:
        """Commit the records before returning: an id handed to a caller can be read back."""
        if not records:
            return
        with Session(get_engine(self.database_url)) as session:
            session.add_all(records)
            for record in records:
                if record.client_id is not None and record.decision is not None:
                    session.exec(
                        update(Client)
                        .where(Client.id == record.client_id)
                        .values(
                            last_probability=record.probability,
                            last_decision=record.decision,
                            last_scored_at=record.created_at,
                        )
                    )
            session.commit()
