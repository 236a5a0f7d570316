"""Group commit of the prediction log, on real SQLite and PostgreSQL databases: concurrent
writes share transactions and each returns once its own row is committed; a full queue or
an unreachable database fails fast; one bad row does not fail the others; closing drains."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from credit_app.db.engine import Database, is_unreachable
from credit_app.db.models import Client, Prediction
from credit_app.services.errors import LogUnavailable
from credit_app.services.group_commit import GroupCommit, Rows
from credit_app.services.prediction_log import PredictionLog, prediction_row

SECRET = "group-commit-test-secret-" + "x" * 16


def scored_row(sk_id: int, probability: float) -> dict:
    return prediction_row(
        actor_kind="system",
        actor_name="test",
        channel="api",
        latency_ms=1.0,
        model_version="v1",
        inputs={"SK_ID_CURR": sk_id, "AMT_CREDIT": 1000.0 * sk_id},
        probability=probability,
        decision="refuse" if probability > 0.5 else "approve",
        threshold=0.5,
    )


def count_predictions(database: Database) -> int:
    with database.session() as session:
        return session.exec(select(func.count()).select_from(Prediction)).one()


@pytest.fixture
def database(migrated_url: str):  # type: ignore[no-untyped-def]
    built = Database(migrated_url)
    yield built
    built.dispose()


def test_concurrent_writes_share_transactions_and_all_commit(database: Database) -> None:
    log = PredictionLog(database, SECRET)
    groups: list[int] = []
    write_group = log.writer._write

    def counted(rows: Rows) -> None:
        groups.append(len(rows))
        write_group(rows)

    log.writer._write = counted
    # 400 scores of 40 clients from 32 threads: each returns once its row can be read back.
    rows = [scored_row(100_000 + n % 40, (n % 100) / 100) for n in range(400)]

    def write_and_read(row: dict) -> bool:
        log.write([row])
        with database.session() as session:
            return session.get(Prediction, row["id"]) is not None

    with ThreadPoolExecutor(32) as pool:
        assert all(pool.map(write_and_read, rows))
    log.close()
    assert count_predictions(database) == 400
    assert sum(groups) == 400 and len(groups) < 400  # some writes shared a commit
    with database.session() as session:
        clients = session.exec(select(Client)).all()
        by_id = {c.sk_id_curr: c for c in clients}
        times: dict[int | None, set] = {}
        for row in rows:  # each row linked to the client it names
            stored = session.get(Prediction, row["id"])
            assert stored is not None
            assert stored.client_id == by_id[row["inputs"]["SK_ID_CURR"]].id
            times.setdefault(stored.client_id, set()).add(stored.created_at)
    assert len(clients) == 40
    for client in clients:  # each client's last score is one of its own
        assert client.last_scored_at in times[client.id]


def test_a_bad_row_fails_alone(database: Database) -> None:
    log = PredictionLog(database, SECRET, max_delay_ms=300)  # one group for all four
    first = scored_row(200_001, 0.2)
    log.write([first])
    duplicate = {**scored_row(200_002, 0.3), "id": first["id"]}
    good = [scored_row(200_003 + n, 0.4) for n in range(3)]
    futures = [log.writer.submit([row]) for row in (good[0], duplicate, *good[1:])]
    errors = [future.exception(timeout=30) for future in futures]
    log.close()
    assert errors[0] is None and errors[2] is None and errors[3] is None
    assert isinstance(errors[1], IntegrityError)
    assert count_predictions(database) == 4


def test_closing_commits_everything_queued(database: Database) -> None:
    log = PredictionLog(database, SECRET, max_delay_ms=50)
    futures = [log.writer.submit([scored_row(300_000 + n, 0.1)]) for n in range(300)]
    log.close()
    assert all(future.done() and future.exception() is None for future in futures)
    assert count_predictions(database) == 300
    with pytest.raises(LogUnavailable):
        log.write([scored_row(300_999, 0.1)])


def test_a_full_queue_refuses_at_once() -> None:
    release = threading.Event()
    writer = GroupCommit(lambda rows: release.wait(30), is_unreachable, queue_size=2)
    taken = writer.submit([{"n": 0}])  # the writer holds this one until released
    deadline = time.monotonic() + 5
    while writer.pending and time.monotonic() < deadline:
        time.sleep(0.01)
    queued = [writer.submit([{"n": n}]) for n in (1, 2)]
    began = time.perf_counter()
    with pytest.raises(LogUnavailable, match="full"):
        writer.submit([{"n": 3}])
    assert time.perf_counter() - began < 0.1
    release.set()
    writer.close()
    assert all(f.exception() is None for f in [taken, *queued])


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_database_fails_fast_and_says_why() -> None:
    database = Database(f"postgresql+psycopg2://postgres@127.0.0.1:{_closed_port()}/none")
    log = PredictionLog(database, SECRET)
    began = time.perf_counter()
    with pytest.raises(LogUnavailable, match="unavailable"):
        log.write([scored_row(400_001, 0.1)])
    assert time.perf_counter() - began < 1.0
    assert log.writer.outage and "127.0.0.1" in log.writer.outage
    log.close()
    database.dispose()
