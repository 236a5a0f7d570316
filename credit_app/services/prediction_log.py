"""Writes prediction records in their own transaction, so failures are kept even when the
caller's work is rolled back. The one place where predictions are written: a batch of any
size is one multi-row INSERT of plain rows (building an ORM object per row cost more than
scoring it).

An applicant scored by their SK_ID_CURR (`POST /score`, a batch file) is the lender's client
from then on: the record is linked to the client of that id, who is registered with the
application's values if new and given them if known. Their outcome can then be recorded,
their data exported or erased, like any client's."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from credit_app.db.engine import Database, is_unreachable
from credit_app.db.models import Client, Prediction
from credit_app.db.types import utcnow
from credit_app.ml.schema import APPLICATION_COLUMNS, ID_COLUMN, is_valid_id
from credit_app.services.clients import pseudonym, set_application
from credit_app.services.group_commit import GroupCommit
from credit_app.services.values import json_fields

if TYPE_CHECKING:
    from credit_app.ml.model import ScoreResult

_TABLE: Table = Prediction.__table__  # type: ignore[attr-defined]
_DEFAULTS: dict[str, Any] = {column.name: None for column in _TABLE.columns} | {"status": 200}
_CLIENTS: Table = Client.__table__  # type: ignore[attr-defined]
#: The latest score of each client a group scored, for one executemany UPDATE.
_NOTE_SCORE = (
    update(_CLIENTS)
    .where(_CLIENTS.c.id == bindparam("client"))
    .values(
        last_probability=bindparam("probability"),
        last_decision=bindparam("decision"),
        last_scored_at=bindparam("scored_at"),
    )
)


def new_prediction_id() -> str:
    return uuid.uuid4().hex


def scored_fields(result: ScoreResult) -> dict[str, Any]:
    """The columns of a record that say what the model made of the applicant, bins
    included: for rows written without the scoring service (demo history, benchmarks)."""
    return {
        "model_version": result.model_version,
        "probability": result.probability,
        "decision": result.decision,
        "threshold": result.threshold,
        "bins": result.bins,
    }


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
    """Every prediction record goes through here; requests of the same moment share one
    transaction (group commit) and each caller returns once its own rows are committed."""

    def __init__(
        self, database: Database, secret: str, *, queue_size: int = 1000, max_delay_ms: float = 0
    ) -> None:
        self.database = database
        self.secret = secret  # for the pseudonyms of newly registered applicants
        self.writer = GroupCommit(
            self._write_group,
            is_unreachable,
            queue_size=queue_size,
            max_delay_ms=max_delay_ms,
            name="prediction-log",
        )

    def write(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Commit the rows before returning: an id handed to a caller can be read back.

        Raises LogUnavailable (at once) when the queue is full or the database away."""
        self.writer.write(rows)

    def close(self) -> None:
        """Commit what is queued, then stop writing (the server is stopping)."""
        self.writer.close()

    def _write_group(self, rows: list[dict[str, Any]]) -> None:
        try:
            self._write([dict(row) for row in rows])
        except IntegrityError:
            # Another worker registered the same new applicant a moment ago: link to theirs.
            self._write([dict(row) for row in rows])

    def _write(self, rows: list[dict[str, Any]]) -> None:
        with Session(self.database.engine) as session:
            noted = self._link_applicants(session, rows)
            session.execute(insert(_TABLE), rows)
            scores = [
                {
                    "client": row["client_id"],
                    "probability": row["probability"],
                    "decision": row["decision"],
                    "scored_at": row["created_at"],
                }
                for position, row in enumerate(rows)
                if position not in noted
                and row["client_id"] is not None
                and row["decision"] is not None
            ]
            if scores:
                session.connection().execute(_NOTE_SCORE, scores)
            session.commit()

    def _link_applicants(self, session: Session, rows: list[dict[str, Any]]) -> set[int]:
        """Give rows that name an SK_ID_CURR (and no client yet) that client's id; the
        positions of the rows whose score it has noted on their client.

        A scored application registers a new client or updates a known one's values and
        latest score (the latest application wins, as in a client import); a failed one
        only links to a known client, so that erasing the client reaches it too. The new
        clients are inserted together, in one flush: one at a time, registering a batch of
        3,000 new applicants took seconds."""
        by_id: dict[int, list[int]] = {}
        for position, row in enumerate(rows):
            sk_id = _named_client(row)
            if sk_id is not None:
                by_id.setdefault(sk_id, []).append(position)
        if not by_id:
            return set()
        known = {
            client.sk_id_curr: client
            for client in session.exec(select(Client).where(col(Client.sk_id_curr).in_(by_id)))
        }
        noted: set[int] = set()
        linked: list[tuple[Client, list[int]]] = []
        for sk_id, positions in by_id.items():
            scored = [p for p in positions if rows[p]["decision"] is not None]
            client = known.get(sk_id)
            if scored:
                latest = rows[scored[-1]]
                if client is None:
                    client = Client(sk_id_curr=sk_id, pseudonym=pseudonym(self.secret, sk_id))
                set_application(client, json_fields(latest["inputs"], APPLICATION_COLUMNS))
                client.last_probability = latest["probability"]
                client.last_decision = latest["decision"]
                client.last_scored_at = latest["created_at"]
                session.add(client)
                noted.update(scored)
            if client is not None:
                linked.append((client, positions))
        session.flush()
        for client, positions in linked:
            for position in positions:
                rows[position]["client_id"] = client.id
        return noted


def _named_client(row: Mapping[str, Any]) -> int | None:
    """The SK_ID_CURR a row without a client names, if it is a valid one (a file's column
    with gaps arrives as floats)."""
    if row["client_id"] is not None:
        return None
    value = (row["inputs"] or {}).get(ID_COLUMN)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and is_valid_id(value):
        return value
    return None
